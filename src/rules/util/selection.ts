import type { Manifest } from '../../load/yaml.js';
import { pushAll } from '../../model/collections.js';
import { isRecord, type KubeObject, type PathSegment } from '../../model/types.js';
import {
  type ContainerRef,
  containersOf,
  type PodTemplate,
  podTemplate,
  selects,
} from '../../model/workload.js';
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
  // A label value is a string; a mapping in its place (even one with a `toString` key) is text too.
  const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `${key}\u0000${text}`;
}

/**
 * What a selector demands, as alternatives to index it by: each alternative is a set of label
 * pairs of which a selected object must carry one (`app=web` alone, or `tier=a|tier=b` from an
 * `In` expression). Undefined when it demands no particular pair (empty, or only NotIn / Exists /
 * DoesNotExist) so that every object has to be tried; `[[]]` (an empty alternative) for a missing
 * selector, which selects nothing.
 */
function pairAlternatives(selector: unknown): string[][] | undefined {
  if (!isRecord(selector)) return [[]];
  const structured = 'matchLabels' in selector || 'matchExpressions' in selector;
  const out: string[][] = [];
  const matchLabels = structured ? selector.matchLabels : selector;
  if (isRecord(matchLabels)) for (const [k, v] of Object.entries(matchLabels)) out.push([pairKey(k, v)]);
  const exprs = structured && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (isRecord(e) && e.operator === 'In' && typeof e.key === 'string' && Array.isArray(e.values)) {
      const key = e.key;
      out.push([...new Set(e.values.map((v) => pairKey(key, v)))]);
    }
  }
  return out.length > 0 ? out : undefined;
}

/** The alternative whose pairs are rarest, by a count of how often each pair occurs. */
function rarest(alternatives: string[][], count: (pair: string) => number): string[] {
  let best = alternatives[0];
  let bestCount = Number.POSITIVE_INFINITY;
  for (const alt of alternatives) {
    const n = alt.reduce((sum, p) => sum + count(p), 0);
    if (n < bestCount) {
      best = alt;
      bestCount = n;
    }
  }
  return best;
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
    const alternatives = pairAlternatives(selector);
    const byPair = this.byPair.get(namespace);
    let candidates: (Entry<T> & { labels: Record<string, string> })[];
    if (alternatives === undefined) candidates = this.all.get(namespace) ?? [];
    else {
      // Every alternative is necessary; look up the one with the fewest candidates.
      const pairs = rarest(alternatives, (p) => byPair?.get(p)?.length ?? 0);
      candidates = pairs.flatMap((p) => byPair?.get(p) ?? []);
    }
    return bySeq(candidates.filter((e) => selects(selector, e.labels)));
  }
}

/**
 * Selectors (PDBs, NetworkPolicies, monitors) by namespace, to answer "which selectors select
 * these labels?" by looking up the labels' own pairs rather than trying every selector.
 */
export class SelectorIndex<T> {
  private readonly entries = new Map<string, SelectorEntry<T>[]>();
  /** Built on the first query after an add: namespace -> label pair -> selectors requiring it. */
  private keyed?: Map<string, Map<string, SelectorEntry<T>[]>>;
  private unkeyed = new Map<string, SelectorEntry<T>[]>();
  private seq = 0;

  add(namespace: string, selector: unknown, item: T): void {
    const entry = { seq: this.seq++, item, selector, alternatives: pairAlternatives(selector) };
    getOrCreate(this.entries, namespace, () => []).push(entry);
    this.keyed = undefined;
  }

  /** Items in the namespace whose selector selects these labels, in the order they were added. */
  selecting(namespace: string, labels: Record<string, string>): T[] {
    const keyed = this.build();
    const unkeyed = this.unkeyed.get(namespace);
    const byPair = keyed.get(namespace);
    // Nothing here selects anything (no Service in the namespace, say): asked for every workload.
    if (!unkeyed && !byPair) return [];
    const found: SelectorEntry<T>[] = unkeyed ? [...unkeyed] : [];
    if (byPair) for (const [k, v] of Object.entries(labels)) pushAll(found, byPair.get(pairKey(k, v)) ?? []);
    return bySeq(found.filter((e) => selects(e.selector, labels)));
  }

  /**
   * File each selector under the pairs of its rarest alternative. Selectors often share their
   * first label (a Helm release's `app.kubernetes.io/instance`); the rarest one tells them apart,
   * so that a lookup finds few candidates. An object carries at most one value per key, so it
   * meets each selector at most once.
   */
  private build(): Map<string, Map<string, SelectorEntry<T>[]>> {
    if (this.keyed) return this.keyed;
    const keyed = new Map<string, Map<string, SelectorEntry<T>[]>>();
    this.unkeyed = new Map();
    for (const [namespace, entries] of this.entries) {
      const frequency = new Map<string, number>();
      for (const e of entries) {
        for (const alt of e.alternatives ?? [])
          for (const p of alt) frequency.set(p, (frequency.get(p) ?? 0) + 1);
      }
      const byPair = new Map<string, SelectorEntry<T>[]>();
      for (const e of entries) {
        if (e.alternatives === undefined) getOrCreate(this.unkeyed, namespace, () => []).push(e);
        else
          for (const p of rarest(e.alternatives, (q) => frequency.get(q) ?? 0))
            getOrCreate(byPair, p, () => []).push(e);
      }
      keyed.set(namespace, byPair);
    }
    this.keyed = keyed;
    return keyed;
  }
}

interface SelectorEntry<T> extends Entry<T> {
  selector: unknown;
  alternatives: string[][] | undefined;
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
  /** Every container (regular, init, ephemeral, in that order) with its concrete path. */
  containers: readonly ContainerRef[];
}

/**
 * Every workload with a pod template (kinds without one, CRDs, are skipped), in load order, with
 * its containers. Read once per run and shared by every rule: some thirty rules walk the same
 * workloads, and re-reading each one per rule was most of their cost.
 */
export function workloadInfos(index: ObjectIndex): WorkloadInfo[] {
  return memo(index, 'workloads', () => {
    const out: WorkloadInfo[] = [];
    for (const manifest of index.workloads) {
      const template = podTemplate(manifest.object);
      if (template) {
        const namespace = index.namespaceOf(manifest);
        out.push({ manifest, namespace, template, containers: containersOf(manifest.object) });
      }
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

// --- Services and the containers they send traffic to -------------------------------------------

/** Services with a pod selector, per namespace (one without a selector fronts no pods). */
export function servicesByPodSelector(index: ObjectIndex): SelectorIndex<Manifest> {
  return memo(index, 'services:pod-selectors', () => {
    const services = new SelectorIndex<Manifest>();
    for (const s of index.kind('Service')) {
      const spec = s.object.spec;
      const selector = isRecord(spec) ? spec.selector : undefined;
      if (isRecord(selector) && Object.keys(selector).length > 0)
        services.add(index.namespaceOf(s), selector, s);
    }
    return services;
  });
}

/** Port names that say "scrape me": `metrics`, `http-metrics`, `prom`, `tcp-prometheus-servicemonitor`. */
export const METRICS_PORT_NAME = /metric|prom/i;

export interface ServiceRoute {
  service: Manifest;
  /** The Service port's name, or its number when it has none. */
  port: string;
}

/**
 * The Service traffic each regular container of a workload receives: for every Service in its
 * namespace that selects its pods, each port whose targetPort (by name, or by number) lands on
 * the container. A number no container declares goes to the first container, as it usually
 * does. Metrics ports are left out (a scrape is not traffic a readiness probe gates), and so are
 * Services that publish addresses that are not ready.
 */
export function serviceTraffic(index: ObjectIndex, w: WorkloadInfo): Map<number, ServiceRoute[]> {
  const out = new Map<number, ServiceRoute[]>();
  const containers = Array.isArray(w.template.spec.containers) ? w.template.spec.containers : [];
  const byName = new Map<string, number>();
  const byNumber = new Map<number, number>();
  containers.forEach((c, i) => {
    if (!isRecord(c) || !Array.isArray(c.ports)) return;
    for (const p of c.ports) {
      if (!isRecord(p)) continue;
      if (typeof p.name === 'string' && !byName.has(p.name)) byName.set(p.name, i);
      if (typeof p.containerPort === 'number' && !byNumber.has(p.containerPort))
        byNumber.set(p.containerPort, i);
    }
  });
  for (const service of servicesByPodSelector(index).selecting(w.namespace, w.template.labels)) {
    const spec = isRecord(service.object.spec) ? service.object.spec : {};
    if (spec.publishNotReadyAddresses === true) continue;
    const ports = Array.isArray(spec.ports) ? spec.ports.filter(isRecord) : [];
    for (const p of ports) {
      const target = p.targetPort ?? p.port;
      const label = typeof p.name === 'string' && p.name !== '' ? p.name : String(p.port ?? target);
      if (METRICS_PORT_NAME.test(label) || (typeof target === 'string' && METRICS_PORT_NAME.test(target)))
        continue;
      let container: number | undefined;
      if (typeof target === 'string' && !/^\d+$/.test(target)) container = byName.get(target);
      else if (target !== undefined)
        container = byNumber.get(Number(target)) ?? (containers.length > 0 ? 0 : undefined);
      if (container === undefined) continue;
      const routes = out.get(container) ?? [];
      routes.push({ service, port: label });
      out.set(container, routes);
    }
  }
  return out;
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

/**
 * `Deployment "web", StatefulSet "db" and 2 more`: a short list for a one-line message. `total`
 * counts items beyond those passed, when the caller only collected the first few.
 */
export function namedList(items: readonly (KubeObject | Manifest)[], max = 3, total = items.length): string {
  const names = items.slice(0, max).map(named);
  const rest = total - names.length;
  if (rest > 0) return `${names.join(', ')} and ${rest} more`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

// --- examples for the docs ----------------------------------------------------------------------

/**
 * A Deployment whose container serves a named port behind a Service, and nothing more: the bad
 * example of the rules that ask more of a container that receives traffic (probes, preStop).
 */
export const EXAMPLE_SERVED_WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]`;

export interface ExampleWorkload {
  name?: string;
  namespace?: string;
  replicas?: number;
  /** Extra lines of the pod template's metadata (after its labels), indented for it. */
  podMetadata?: string[];
  /** Extra lines of the pod spec (before its containers), indented for it. */
  podSpec?: string[];
  /** The container's ports, as a YAML flow sequence. */
  ports?: string;
}

/**
 * A short but complete Deployment for the rule catalogue's examples. The cross-object rules'
 * examples are whole manifest sets, so that the tests can run each example through its rule.
 */
export function exampleDeployment(o: ExampleWorkload = {}): string {
  const name = o.name ?? 'web';
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: ${name}${o.namespace ? `, namespace: ${o.namespace}` : ''}}`,
    'spec:',
    ...(o.replicas === undefined ? [] : [`  replicas: ${o.replicas}`]),
    `  selector: {matchLabels: {app: ${name}}}`,
    '  template:',
    '    metadata:',
    `      labels: {app: ${name}}`,
    ...(o.podMetadata ?? []).map((l) => `      ${l}`),
    '    spec:',
    ...(o.podSpec ?? []).map((l) => `      ${l}`),
    '      containers:',
    `        - name: ${name}`,
    `          image: ghcr.io/acme/${name}:1.4.2`,
    ...(o.ports ? [`          ports: ${o.ports}`] : []),
  ];
  return lines.join('\n');
}
