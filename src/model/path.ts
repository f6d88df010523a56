import { type FieldPath, isRecord, type PathSegment } from './types.js';

/**
 * Field paths read the way people talk about manifests. Lists with a merge key are addressed by
 * that key (`containers[name=app]`), never by index; other lists by index (`rules[0]`).
 */

/**
 * The fields that key the items of the built-in kinds' lists, by the list's name: their
 * strategic-merge keys (`containers` by `name`, `volumeMounts` by `mountPath`). Field paths
 * address list items by them, and drift's built-in fallback pairs list items by them
 * (drift/schema.ts); each adds the few lists only it keys.
 */
export const LIST_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  conditions: ['type'],
  containerStatuses: ['name'],
  initContainerStatuses: ['name'],
  ephemeralContainerStatuses: ['name'],
};

/** `table[name]`, own entries only: a list named `constructor` or `toString` has no keys. */
export function listKeys(
  table: Readonly<Record<string, readonly string[]>>,
  name: string,
): readonly string[] | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** For addressing: a port by its number (or name), a claim template by its name, a subject by its name. */
const MERGE_KEYS: Record<string, readonly string[]> = {
  ...LIST_KEYS,
  ports: ['containerPort', 'port', 'name'],
  volumeClaimTemplates: ['metadata.name'],
  subjects: ['name'],
};

export function mergeKeyOf(listField: string, item: unknown): { key: string; value: string } | undefined {
  const keys = listKeys(MERGE_KEYS, listField);
  if (!keys || !isRecord(item)) return undefined;
  for (const key of keys) {
    const value = key.includes('.')
      ? key.split('.').reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), item)
      : item[key];
    if (typeof value === 'string' || typeof value === 'number') return { key, value: String(value) };
  }
  return undefined;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Format a concrete path (keys and indexes) against the object it walks, using merge keys. */
export function formatPath(root: unknown, segments: readonly PathSegment[]): FieldPath {
  // Parts joined once: a finding keeps its path for the run, and `+=` would keep a tree of pieces.
  const out: string[] = [];
  formatInto(out, root, segments, 0, segments.length, '');
  return out.join('');
}

/**
 * The pieces of `segments[from..to)`, walked from `node` (reached by the segments before `from`;
 * `parentKey` is the last key on the way there), appended to `out`.
 */
function formatInto(
  out: string[],
  node: unknown,
  segments: readonly PathSegment[],
  from: number,
  to: number,
  parentKey: string,
): void {
  for (let i = from; i < to; i++) {
    const seg = segments[i];
    if (typeof seg === 'number') {
      const item = Array.isArray(node) ? node[seg] : undefined;
      const mk = mergeKeyOf(parentKey, item);
      if (mk) out.push('[', mk.key, '=', mk.value, ']');
      else out.push('[', String(seg), ']');
      node = item;
    } else {
      if (!PLAIN_KEY.test(seg)) out.push('[', JSON.stringify(seg), ']');
      else if (out.length > 0 || i > 0) out.push('.', seg);
      else out.push(seg);
      node = isRecord(node) ? node[seg] : undefined;
      parentKey = seg;
    }
  }
}

/**
 * `formatPath` for the many paths a run's findings take into the same objects. The part that leads
 * to the last list item on a path is formatted once per item, and every text is kept once: a path
 * is then a pair of shared strings. 80,000 findings on 10,000 containers of one Deployment kept
 * 80,000 paths of 70 characters, each copied twice by the young-generation collector; now they
 * keep 10,000 prefixes and a few dozen tails, and each path costs one pair.
 */
export class PathFormatter {
  private readonly items = new Map<object, { root: unknown; at: readonly PathSegment[]; text: string }>();
  private readonly texts = new Map<string, string>();

  format(root: unknown, segments: readonly PathSegment[]): FieldPath {
    let k = segments.length - 1;
    while (k >= 0 && typeof segments[k] !== 'number') k--;
    if (k < 0) return this.kept(formatPath(root, segments));
    const prefix = this.prefix(root, segments, k);
    if (prefix === undefined) return this.kept(formatPath(root, segments));
    if (k === segments.length - 1) return prefix.text;
    const out: string[] = [];
    formatInto(out, prefix.item, segments, k + 1, segments.length, '');
    return prefix.text + this.kept(out.join(''));
  }

  /** The text up to and including the list item at `segments[k]`, when that item is an object. */
  private prefix(
    root: unknown,
    segments: readonly PathSegment[],
    k: number,
  ): { item: object; text: string } | undefined {
    let node = root;
    for (let i = 0; i <= k; i++) {
      const seg = segments[i];
      if (typeof seg === 'number') node = Array.isArray(node) ? node[seg] : undefined;
      else node = isRecord(node) ? node[seg] : undefined;
    }
    if (typeof node !== 'object' || node === null) return undefined;
    const known = this.items.get(node);
    // An item reached by another path (a YAML alias shares one object) is formatted afresh.
    if (known && known.root === root && sameStart(known.at, segments, k + 1))
      return { item: node, text: known.text };
    const out: string[] = [];
    formatInto(out, root, segments, 0, k + 1, '');
    const text = this.kept(out.join(''));
    if (!known) this.items.set(node, { root, at: segments.slice(0, k + 1), text });
    return { item: node, text };
  }

  /** One string per distinct text. */
  private kept(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    this.texts.set(text, text);
    return text;
  }
}

function sameStart(a: readonly PathSegment[], b: readonly PathSegment[], n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Parse a display path back into steps; `[name=app]` steps stay symbolic until resolved. */
export type PathStep = { key: string } | { index: number } | { match: { key: string; value: string } };

export function parsePath(path: FieldPath): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      i++;
      continue;
    }
    if (ch === '[') {
      const end = findClosingBracket(path, i);
      const inner = path.slice(i + 1, end);
      i = end + 1;
      if (inner.startsWith('"')) steps.push({ key: JSON.parse(inner) as string });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else {
        const eq = inner.indexOf('=');
        if (eq < 0) throw new Error(`bad field path ${path}: [${inner}]`);
        steps.push({ match: { key: inner.slice(0, eq), value: inner.slice(eq + 1) } });
      }
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    steps.push({ key: path.slice(i, j) });
    i = j;
  }
  return steps;
}

function findClosingBracket(path: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < path.length; i++) {
    const c = path[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') return i;
  }
  throw new Error(`bad field path ${path}: unclosed [`);
}

/** Resolve a display path against an object into concrete segments (as far as it exists). */
export function resolvePath(root: unknown, path: FieldPath): { segments: PathSegment[]; complete: boolean } {
  const segments: PathSegment[] = [];
  let node: unknown = root;
  for (const step of parsePath(path)) {
    if ('key' in step) {
      if (!isRecord(node) || !(step.key in node)) return { segments, complete: false };
      segments.push(step.key);
      node = node[step.key];
    } else if ('index' in step) {
      if (!Array.isArray(node) || step.index >= node.length) return { segments, complete: false };
      segments.push(step.index);
      node = node[step.index];
    } else {
      if (!Array.isArray(node)) return { segments, complete: false };
      const { key, value } = step.match;
      const idx = node.findIndex((item) => {
        const v = key.split('.').reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), item);
        return v !== undefined && String(v) === value;
      });
      if (idx < 0) return { segments, complete: false };
      segments.push(idx);
      node = node[idx];
    }
  }
  return { segments, complete: true };
}

/** Read the value at a concrete path, or undefined. */
export function getAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let node = root;
  for (const seg of segments) {
    if (typeof seg === 'number') node = Array.isArray(node) ? node[seg] : undefined;
    else node = isRecord(node) ? node[seg] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}
