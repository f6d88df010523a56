import type { Manifest } from '../../load/yaml.js';
import { isRecord, type KubeObject, type PathSegment } from '../../model/types.js';
import { type PodTemplate, podTemplate, selects } from '../../model/workload.js';
import type { ObjectIndex } from '../object-index.js';

/**
 * Helpers for the cross-object rules: who selects whom, in which namespace, without comparing
 * every object with every other one. A run may hold 50,000 objects; these keep the checks linear.
 */

// --- per-run memo -------------------------------------------------------------------------------

const memos = new WeakMap<ObjectIndex, Map<string, unknown>>();

/** Build a derived table once per run (per ObjectIndex) and share it between rules. */
export function memo<T>(index: ObjectIndex, key: string, build: () => T): T {
  let tables = memos.get(index);
  if (!tables) {
    tables = new Map();
    memos.set(index, tables);
  }
  if (!tables.has(key)) tables.set(key, build());
  return tables.get(key) as T;
}

// --- label selectors ----------------------------------------------------------------------------

function pairKey(key: string, value: unknown): string {
  return `${key}\u0000${String(value)}`;
}

/**
 * The label pairs of which a selected object must carry at least one, or undefined when the
 * selector demands no particular pair (empty, or only NotIn / Exists / DoesNotExist) and every
 * object has to be checked. A missing selector selects nothing: no pairs at all.
 */
function requiredPairs(selector: unknown): string[] | undefined {
  if (!isRecord(selector)) return [];
  const structured = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels = structured ? selector.matchLabels : selector;
  if (isRecord(matchLabels)) {
    const first = Object.entries(matchLabels)[0];
    if (first) return [pairKey(first[0], first[1])];
  }
  const exprs = structured && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (isRecord(e) && e.operator === 'In' && typeof e.key === 'string' && Array.isArray(e.values)) {
      const key = e.key;
      return e.values.map((v) => pairKey(key, v));
    }
  }
  return undefined;
}

/**
 * Is this a selector with no requirement at all (`{}`, or empty lists)? In a NetworkPolicy's
 * podSelector that means every pod in the namespace. A missing podSelector decodes to the same.
 */
export function isEmptySelector(selector: unknown): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isRecord(selector)) return false;
  const labels = selector.matchLabels;
  const exprs = selector.matchExpressions;
  return (
    (labels === undefined || labels === null || (isRecord(labels) && Object.keys(labels).length === 0)) &&
    (exprs === undefined || exprs === null || (Array.isArray(exprs) && exprs.length === 0)) &&
    Object.keys(selector).every((k) => k === 'matchLabels' || k === 'matchExpressions')
  );
}

interface Entry<T> {
  seq: number;
  item: T;
}

function bySeq<T>(entries: Iterable<Entry<T>>): T[] {
  return [...entries].sort((a, b) => a.seq - b.seq).map((e) => e.item);
}

/**
 * Labelled things (pod templates, Services) by namespace, to answer "what does this selector
 * select here?" by looking up one of the pairs the selector requires rather than scanning.
 */
export class LabelIndex<T> {
  private seq = 0;
  private readonly all = new Map<string, (Entry<T> & { labels: Record<string, string> })[]>();
  private readonly byPair = new Map<string, Map<string, (Entry<T> & { labels: Record<string, string> })[]>>();

  add(namespace: string, labels: Record<string, string>, item: T): void {
    const entry = { seq: this.seq++, item, labels };
    getOrCreate(this.all, namespace, () => []).push(entry);
    const pairs = getOrCreate(this.byPair, namespace, () => new Map());
    for (const [k, v] of Object.entries(labels)) getOrCreate(pairs, pairKey(k, v), () => []).push(entry);
  }

  /** Namespaces with at least one item, in first-seen order. */
  namespaces(): string[] {
    return [...this.all.keys()];
  }

  /** Items in the namespace whose labels the selector selects, in the order they were added. */
  selectedBy(namespace: string, selector: unknown): T[] {
    const pairs = requiredPairs(selector);
    const candidates =
      pairs === undefined
        ? (this.all.get(namespace) ?? [])
        : pairs.flatMap((p) => this.byPair.get(namespace)?.get(p) ?? []);
    return bySeq(candidates.filter((e) => selects(selector, e.labels)));
  }
}

/**
 * Selectors (PDBs, NetworkPolicies, monitors) by namespace, to answer "which selectors select
 * these labels?" by looking up the labels' own pairs rather than trying every selector.
 */
export class SelectorIndex<T> {
  private seq = 0;
  private readonly keyed = new Map<string, Map<string, (Entry<T> & { selector: unknown })[]>>();
  private readonly unkeyed = new Map<string, (Entry<T> & { selector: unknown })[]>();

  add(namespace: string, selector: unknown, item: T): void {
    const entry = { seq: this.seq++, item, selector };
    const pairs = requiredPairs(selector);
    if (pairs === undefined) {
      getOrCreate(this.unkeyed, namespace, () => []).push(entry);
      return;
    }
    const byPair = getOrCreate(this.keyed, namespace, () => new Map());
    for (const p of pairs) getOrCreate(byPair, p, () => []).push(entry);
  }

  /** Items in the namespace whose selector selects these labels, in the order they were added. */
  selecting(namespace: string, labels: Record<string, string>): T[] {
    const found: (Entry<T> & { selector: unknown })[] = [...(this.unkeyed.get(namespace) ?? [])];
    const byPair = this.keyed.get(namespace);
    if (byPair) for (const [k, v] of Object.entries(labels)) found.push(...(byPair.get(pairKey(k, v)) ?? []));
    return bySeq(found.filter((e) => selects(e.selector, labels)));
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

// --- workloads ----------------------------------------------------------------------------------

/** A workload with what the cross-object rules ask of it, computed once per run. */
export interface WorkloadInfo {
  manifest: Manifest;
  namespace: string;
  template: PodTemplate;
}

/** Every workload with a pod template, in load order. */
export function workloadInfos(index: ObjectIndex): WorkloadInfo[] {
  return memo(index, 'workloads', () => {
    const out: WorkloadInfo[] = [];
    for (const manifest of index.workloads) {
      const template = podTemplate(manifest.object);
      if (template) out.push({ manifest, namespace: index.namespaceOf(manifest), template });
    }
    return out;
  });
}

/** Workloads by the labels of the pods they make, to find what a selector selects. */
export function podLabelIndex(index: ObjectIndex): LabelIndex<WorkloadInfo> {
  return memo(index, 'pod-labels', () => {
    const labels = new LabelIndex<WorkloadInfo>();
    for (const w of workloadInfos(index)) labels.add(w.namespace, w.template.labels, w);
    return labels;
  });
}

export interface ServiceAccountUse {
  /** The account's name; `default` when the pod spec names none. */
  name: string;
  /** Whether the pod spec names it (serviceAccountName, or the deprecated serviceAccount). */
  explicit: boolean;
  /** Where the name sits (or would sit) in the object. */
  path: PathSegment[];
}

/** The service account a workload's pods run as. */
export function serviceAccountOf(template: PodTemplate): ServiceAccountUse {
  const { spec, specPath } = template;
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const value = spec[field];
    if (typeof value === 'string' && value !== '') {
      return { name: value, explicit: true, path: [...specPath, field] };
    }
  }
  return { name: 'default', explicit: false, path: [...specPath, 'serviceAccountName'] };
}

const APP_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app'];

/** The app a workload belongs to: its app name label (pods first, then the object), else its name. */
export function appNameOf(w: WorkloadInfo): string {
  const own = w.manifest.object.metadata.labels;
  for (const labels of [w.template.labels, isRecord(own) ? own : {}]) {
    for (const key of APP_LABELS) {
      const value = labels[key];
      if (value !== undefined && value !== null && String(value) !== '') return String(value);
    }
  }
  return w.manifest.object.metadata.name ?? '';
}

/** `Deployment "web"`: how messages name an object. */
export function named(obj: KubeObject | Manifest): string {
  const o: KubeObject = 'ref' in obj && 'locate' in obj ? (obj as Manifest).object : (obj as KubeObject);
  return `${o.kind} "${o.metadata.name ?? ''}"`;
}

/** `Deployment "web", StatefulSet "db" and 2 more`: a short list for a one-line message. */
export function namedList(items: readonly (KubeObject | Manifest)[], max = 3): string {
  const names = items.slice(0, max).map(named);
  const rest = items.length - names.length;
  if (rest > 0) return `${names.join(', ')} and ${rest} more`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
