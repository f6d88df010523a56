import { flat } from './text.js';
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
  let out = '';
  let node: unknown = root;
  let parentKey = '';
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (typeof seg === 'number') {
      const item = Array.isArray(node) ? node[seg] : undefined;
      const mk = mergeKeyOf(parentKey, item);
      out += mk ? `[${mk.key}=${mk.value}]` : `[${seg}]`;
      node = item;
    } else {
      out += !PLAIN_KEY.test(seg) ? `[${JSON.stringify(seg)}]` : i > 0 ? `.${seg}` : seg;
      node = isRecord(node) ? node[seg] : undefined;
      parentKey = seg;
    }
  }
  // One piece: a finding keeps its path for the run.
  return flat(out);
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
