import { isRecord, type PathSegment } from '../model/types.js';
import { builtInRoot, type TypeNode } from './schema.js';

/**
 * `metadata.managedFields[].fieldsV1` -> the concrete paths (keys and list indexes) a manager
 * owns in the live object.
 *
 * The format is a trie of JSON objects whose keys say how to step:
 *   `f:name`          a map field
 *   `k:{"name":"app"}` a list item chosen by its merge key(s), as JSON
 *   `v:"value"`       a member of a set-like list (finalizers), as JSON
 *   `i:3`             a list item by index (atomic-ish lists)
 *   `.`               the node itself (a list item or map the manager created)
 * An empty object `{}` is a leaf: the manager owns that field's whole value.
 *
 * List steps are resolved against the live object, because indexes are what the rest of the
 * drift code walks with. Items the live object no longer has (a stale entry) are skipped. A key
 * field an item leaves out matches the schema's default for it (`protocol: TCP`), as server-side
 * apply keys it.
 */

export interface OwnedPath {
  segments: PathSegment[];
  /** True for a leaf (`{}`): the value is owned. False for `.`: the node exists because of this manager. */
  leaf: boolean;
}

export function decodeFieldsV1(fields: unknown, live: unknown, type?: TypeNode): OwnedPath[] {
  const out: OwnedPath[] = [];
  const root = type ?? builtInRoot(isRecord(live) && typeof live.kind === 'string' ? live.kind : '');
  if (isRecord(fields)) walk(fields, live, root, [], out);
  return out;
}

function walk(
  trie: Record<string, unknown>,
  node: unknown,
  type: TypeNode,
  prefix: PathSegment[],
  out: OwnedPath[],
): void {
  for (const [key, child] of Object.entries(trie)) {
    if (key === '.') {
      if (prefix.length > 0) out.push({ segments: [...prefix], leaf: false });
      continue;
    }
    if (!isRecord(child)) continue;
    const step = resolveStep(key, node, type);
    if (step === undefined) continue;
    const segments = [...prefix, step];
    const next =
      typeof step === 'number' ? (node as unknown[])[step] : isRecord(node) ? node[step] : undefined;
    const nextType = typeof step === 'number' ? type.items() : type.field(step);
    if (Object.keys(child).length === 0) out.push({ segments, leaf: true });
    else walk(child, next, nextType, segments, out);
  }
}

/** One trie key -> a map key or a live list index; undefined when it does not apply. */
function resolveStep(key: string, node: unknown, type: TypeNode): PathSegment | undefined {
  const colon = key.indexOf(':');
  if (colon !== 1) return undefined;
  const kind = key[0];
  const rest = key.slice(2);
  if (kind === 'f') return rest;
  if (!Array.isArray(node)) return undefined;
  if (kind === 'i') {
    const index = Number(rest);
    return Number.isInteger(index) && index >= 0 && index < node.length ? index : undefined;
  }
  const parsed = parseJson(rest);
  if (parsed === undefined) return undefined;
  if (kind === 'k') {
    if (!isRecord(parsed)) return undefined;
    const items = type.items();
    const index = node.findIndex((item) => matchesKeys(item, parsed, items));
    return index >= 0 ? index : undefined;
  }
  if (kind === 'v') {
    const index = node.findIndex((item) => sameJson(item, parsed));
    return index >= 0 ? index : undefined;
  }
  return undefined;
}

function matchesKeys(item: unknown, keys: Record<string, unknown>, items: TypeNode): boolean {
  if (!isRecord(item)) return false;
  return Object.entries(keys).every(([k, v]) => sameJson(item[k] ?? items.field(k).defaultValue(), v));
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
