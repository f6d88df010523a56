import { createTwoFilesPatch, diffLines } from 'diff';
import { stringify } from 'yaml';
import { type InputError, isRecord, type KubeObject, refKey, refOf } from '../model/types.js';
import { CHANGED, redactPair, secrets } from '../secrets/index.js';
import { findUnstable, markUnstable } from './nondeterminism.js';

/**
 * The rendered diff of one target: objects keyed by kind, namespace and name, sorted; fields in
 * a stable order; one unified diff per changed object; a line per added, removed or renamed
 * object. Secret values are redacted (and every secret the run has seen is masked in the text)
 * and fields that differ between two renders of the head are marked instead of shown. Pure
 * but for the run's secrets: objects in, a value out, for the CLI and the PR comment.
 */

export type ChangeKind = 'added' | 'removed' | 'changed' | 'renamed';

export interface ObjectChange {
  /** `Kind/namespace/name` (or `Kind/name` when cluster-scoped) at the head; at the base when removed. */
  key: string;
  change: ChangeKind;
  /** For renames: the key at the base. */
  from?: string;
  /** Unified diff of the redacted YAML (empty when only the name changed). */
  diff: string;
  /** Fields whose value differs between two renders of the head: marked, not shown as a change. */
  nondeterministic: string[];
  /** The whole object has a name that differs between renders (a random suffix). */
  unstableName?: boolean;
  /** A Secret: its values never appear, only whether they changed and their sizes. */
  secret: boolean;
}

export interface TargetDiff {
  /** The target's display name. */
  target: string;
  /** `base-failed` / `head-failed`: that side did not render; its errors say why. */
  status: 'ok' | 'added' | 'removed' | 'base-failed' | 'head-failed';
  baseErrors: InputError[];
  headErrors: InputError[];
  objects: ObjectChange[];
  unchanged: number;
}

export interface DiffInput {
  base: readonly KubeObject[];
  head: readonly KubeObject[];
  /** A second render of the head, to tell non-deterministic output from real change. */
  headAgain?: readonly KubeObject[];
}

export function diffObjects(input: DiffInput): { objects: ObjectChange[]; unchanged: number } {
  const base = byKey(input.base);
  const head = byKey(input.head);
  const again = input.headAgain ? byKey(input.headAgain) : undefined;
  const changes: ObjectChange[] = [];
  let unchanged = 0;

  const removed = [...base.keys()].filter((k) => !head.has(k));
  const added = [...head.keys()].filter((k) => !base.has(k));
  const renames = pairRenames(removed, added, base, head);

  for (const [key, h] of head) {
    const renamedFrom = renames.byAdded.get(key);
    const b = base.get(key) ?? (renamedFrom ? base.get(renamedFrom) : undefined);
    const unstable = again ? findUnstable(h, again.get(key)) : { paths: [], whole: false };
    const change = compareOne(b, h, unstable.paths);
    const kind: ChangeKind | undefined = renamedFrom
      ? 'renamed'
      : !b
        ? 'added'
        : change.diff
          ? 'changed'
          : undefined;
    if (!kind) {
      unchanged++;
      continue;
    }
    changes.push({
      key,
      change: kind,
      ...(renamedFrom ? { from: renamedFrom } : {}),
      diff: change.diff,
      nondeterministic: change.marked,
      ...(unstable.whole && again ? { unstableName: true } : {}),
      secret: h.kind === 'Secret',
    });
  }
  for (const key of removed) {
    if (renames.byRemoved.has(key)) continue;
    const b = base.get(key)!;
    changes.push({
      key,
      change: 'removed',
      diff: compareOne(b, undefined, []).diff,
      nondeterministic: [],
      secret: b.kind === 'Secret',
    });
  }
  changes.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return { objects: changes, unchanged };
}

function byKey(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const map = new Map<string, KubeObject>();
  for (const o of objects) map.set(refKey(refOf(o)), o);
  return new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function compareOne(
  base: KubeObject | undefined,
  head: KubeObject | undefined,
  unstable: (string | number)[][],
): { diff: string; marked: string[] } {
  const b = base ? structuredClone(base) : undefined;
  const h = head ? structuredClone(head) : undefined;
  const marked = markUnstable(h, unstable);
  markUnstable(b, unstable);
  redactPair(b, h);
  const before = b ? toYaml(b) : '';
  const after = h ? toYaml(h) : '';
  if (before === after) return { diff: '', marked };
  const name = refKey(refOf((head ?? base)!));
  const patch = createTwoFilesPatch(`base/${name}`, `head/${name}`, before, after, undefined, undefined, {
    context: 3,
  });
  // Drop the `===` banner line; keep the ---/+++ headers and hunks.
  return { diff: maskPatch(patch.replace(/^=+\n/m, '')), marked };
}

/**
 * The run's secrets masked in a patch. A changed line that reads the same once masked (a
 * password in a URL that changed at the same length) gets ` (changed)` on its head side, so
 * the change still shows without its content.
 */
export function maskPatch(patch: string): string {
  if (secrets.size === 0) return patch;
  const lines = patch.split('\n');
  const out = lines.map((l) => secrets.mask(l));
  for (let i = 0; i < lines.length; ) {
    if (!lines[i].startsWith('-') || lines[i].startsWith('---')) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j].startsWith('-')) j++;
    let k = j;
    while (k < lines.length && lines[k].startsWith('+')) k++;
    for (let n = 0; n < Math.min(j - i, k - j); n++) {
      const [minus, plus] = [i + n, j + n];
      if (out[minus].slice(1) === out[plus].slice(1) && lines[minus].slice(1) !== lines[plus].slice(1))
        out[plus] += CHANGED;
    }
    i = Math.max(k, i + 1);
  }
  return out.join('\n');
}

/** YAML with fields in a stable order: identity first, then alphabetical at every level. */
export function toYaml(obj: KubeObject): string {
  return stringify(canonical(obj, 0), { lineWidth: 0, sortMapEntries: false });
}

const TOP_ORDER = ['apiVersion', 'kind', 'metadata', 'spec', 'data', 'stringData'];
const META_ORDER = ['name', 'namespace', 'labels', 'annotations'];

function canonical(value: unknown, depth: number, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, depth + 1));
  if (!isRecord(value)) return value;
  const order = depth === 0 ? TOP_ORDER : parentKey === 'metadata' ? META_ORDER : [];
  const keys = Object.keys(value).sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = canonical(value[k], depth + 1, k);
  return out;
}

/**
 * A removed and an added object of the same kind and namespace whose content is mostly the
 * same (a renamed Deployment, a ConfigMap whose hash suffix changed) is a rename.
 */
function pairRenames(
  removed: string[],
  added: string[],
  base: Map<string, KubeObject>,
  head: Map<string, KubeObject>,
): { byAdded: Map<string, string>; byRemoved: Map<string, string> } {
  const byAdded = new Map<string, string>();
  const byRemoved = new Map<string, string>();
  const candidates: { r: string; a: string; score: number }[] = [];
  for (const r of removed) {
    const b = base.get(r)!;
    for (const a of added) {
      const h = head.get(a)!;
      if (b.kind !== h.kind || (b.metadata.namespace ?? '') !== (h.metadata.namespace ?? '')) continue;
      const score = similarity(withoutName(b), withoutName(h));
      if (score >= 0.6) candidates.push({ r, a, score });
    }
  }
  candidates.sort((x, y) => y.score - x.score);
  for (const c of candidates) {
    if (byAdded.has(c.a) || byRemoved.has(c.r)) continue;
    byAdded.set(c.a, c.r);
    byRemoved.set(c.r, c.a);
  }
  return { byAdded, byRemoved };
}

function withoutName(obj: KubeObject): string {
  const copy = structuredClone(obj);
  delete copy.metadata.name;
  redactPair(copy, undefined);
  return toYaml(copy);
}

function similarity(a: string, b: string): number {
  let same = 0;
  let total = 0;
  for (const part of diffLines(a, b)) {
    const n = part.count ?? 0;
    total += n;
    if (!part.added && !part.removed) same += 2 * n;
    else same += 0;
  }
  const lines = a.split('\n').length + b.split('\n').length;
  return total === 0 ? 1 : same / Math.max(lines, 1);
}
