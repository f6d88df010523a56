import { isRecord, type PathSegment, type SourceLocation } from '../model/types.js';
import type { InlineValues } from '../render/types.js';
import type { Definition } from './model.js';

/**
 * Helm's `--set` syntax, as Argo CD parameters and Flux `valuesFrom.targetPath` use it: a dotted
 * path with `[n]` list indexes and `\.` for a dot inside a key, and a value typed the way Helm's
 * strvals types it (`true`, `false`, `null`, integers without a leading zero; everything else a
 * string).
 */

export function parseSetPath(name: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let key = '';
  let i = 0;
  const flush = () => {
    if (key !== '') out.push(key);
    key = '';
  };
  while (i < name.length) {
    const ch = name[i];
    if (ch === '\\' && i + 1 < name.length) {
      key += name[i + 1];
      i += 2;
    } else if (ch === '.') {
      if (key === '' && out.length === 0) return undefined;
      flush();
      i++;
    } else if (ch === '[') {
      flush();
      const close = name.indexOf(']', i);
      if (close < 0) return undefined;
      const n = Number(name.slice(i + 1, close));
      if (!Number.isInteger(n) || n < 0 || n > 65_535) return undefined;
      out.push(n);
      i = close + 1;
    } else {
      key += ch;
      i++;
    }
  }
  flush();
  return out.length > 0 ? out : undefined;
}

export function typedValue(v: string): unknown {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v === 'null') return null;
  if (/^-?(0|[1-9]\d*)$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  return v;
}

/** A nested object holding `value` at `path` (lists grown as needed). */
export function nested(path: readonly PathSegment[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  setAt(root, path, value);
  return root;
}

export function setAt(root: Record<string, unknown>, path: readonly PathSegment[], value: unknown): void {
  let node: unknown = root;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k];
    const last = k === path.length - 1;
    const next = typeof path[k + 1] === 'number' ? [] : {};
    if (Array.isArray(node) && typeof seg === 'number') {
      while (node.length <= seg) node.push(null);
      if (last) node[seg] = value;
      else {
        if (node[seg] === null || typeof node[seg] !== 'object') node[seg] = next;
        node = node[seg];
      }
    } else if (isRecord(node) && typeof seg === 'string') {
      if (last) node[seg] = value;
      else {
        if (node[seg] === null || typeof node[seg] !== 'object') node[seg] = next;
        node = node[seg];
      }
    } else return;
  }
}

/** A values layer read from a field of a definition that holds a mapping (`valuesObject`, `values`). */
export function objectLayer(
  name: string,
  def: Pick<Definition, 'locate'>,
  at: readonly PathSegment[],
  values: Record<string, unknown>,
): InlineValues {
  return { name, values, locate: (p) => def.locate([...at, ...p]) };
}

/** Parameters (`name`, `value`) as one values layer; each key is edited on its parameter's line. */
export function parameterLayer(
  name: string,
  entries: readonly { path: PathSegment[]; value: unknown; at: SourceLocation }[],
): InlineValues {
  const values: Record<string, unknown> = {};
  for (const e of entries) setAt(values, e.path, e.value);
  return {
    name,
    values,
    locate(p) {
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i];
        if (e.path.length === p.length && e.path.every((s, k) => s === p[k])) return e.at;
      }
      return undefined;
    },
  };
}

/**
 * `kustomize edit set image` syntax, as Argo CD's `kustomize.images` uses it:
 * `[name=]newName[:tag][@digest]`, or `name=*:tag`-free forms like `nginx:1.25`.
 */
export function parseImageOverride(spec: string): Record<string, string> | undefined {
  const s = spec.trim();
  if (!s) return undefined;
  const eq = s.indexOf('=');
  const name = eq >= 0 ? s.slice(0, eq) : undefined;
  let rest = eq >= 0 ? s.slice(eq + 1) : s;
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  let repo = rest;
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    repo = rest.slice(0, colon);
  }
  const out: Record<string, string> = { name: name ?? repo };
  if (name !== undefined && repo !== '' && repo !== name && repo !== '*') out.newName = repo;
  if (tag !== undefined) out.newTag = tag;
  if (digest !== undefined) out.digest = digest;
  return out.name ? out : undefined;
}
