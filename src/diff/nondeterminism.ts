import { formatPath } from '../model/path.js';
import { isRecord, type KubeObject, type PathSegment } from '../model/types.js';

/**
 * Output that changes from one render to the next (randAlphaNum passwords, genCA certificates,
 * timestamps, checksums of those) is not a change anybody made. Rendering the head twice and
 * comparing finds those fields; the diff marks them instead of showing them. Pure.
 */

export interface Unstable {
  /** Concrete paths of fields that differ between two renders of the same source. */
  paths: PathSegment[][];
  /** The whole object differs in identity (a random name): it appeared in one render only. */
  whole: boolean;
}

export function findUnstable(first: KubeObject | undefined, second: KubeObject | undefined): Unstable {
  if (!first || !second) return { paths: [], whole: true };
  const paths: PathSegment[][] = [];
  compare(first, second, [], paths);
  return { paths, whole: false };
}

function compare(a: unknown, b: unknown, at: PathSegment[], out: PathSegment[][]): void {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) compare(a[i], b[i], [...at, i], out);
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) compare(a[k], b[k], [...at, k], out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(at);
}

export const UNSTABLE_MARK = '(non-deterministic: differs between renders)';

/** Replace unstable fields by the mark (in place), where the path exists. Returns display paths. */
export function markUnstable(obj: KubeObject | undefined, paths: PathSegment[][]): string[] {
  if (!obj) return [];
  const shown: string[] = [];
  for (const path of paths) {
    if (path.length === 0) continue;
    let node: unknown = obj;
    for (const seg of path.slice(0, -1)) {
      node = isRecord(node) ? node[seg as string] : Array.isArray(node) ? node[seg as number] : undefined;
    }
    const last = path[path.length - 1];
    if (isRecord(node) && typeof last === 'string' && last in node) {
      shown.push(formatPath(obj, path));
      node[last] = UNSTABLE_MARK;
    } else if (Array.isArray(node) && typeof last === 'number' && last < node.length) {
      shown.push(formatPath(obj, path));
      node[last] = UNSTABLE_MARK;
    }
  }
  return shown;
}
