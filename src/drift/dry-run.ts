import { getAt, mergeKeyOf } from '../model/path.js';
import { isRecord, type KubeObject } from '../model/types.js';

/**
 * The optional server-side dry-run comparison: the API server applies Git's object with
 * `dryRun=All` and answers with what the object would be: defaults, admission webhooks' mutations
 * and its own normalization included. Git's declared fields then take the server's values, so that
 * a value only the server can normalize (a webhook's rewrite of an image, say) compares as equal.
 * What Git does not declare stays out, exactly as without the dry run.
 */
export function projectDeclared(desired: KubeObject, normalized: KubeObject): KubeObject {
  return project(desired, normalized, '') as KubeObject;
}

function project(want: unknown, norm: unknown, field: string): unknown {
  if (norm === undefined || norm === null) return want;
  if (isRecord(want)) {
    if (!isRecord(norm)) return want;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(want)) out[k] = k in norm ? project(v, norm[k], k) : v;
    return out;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(norm)) return want;
    return want.map((item, i) => {
      const key = mergeKeyOf(field, item);
      if (!key) return norm.length === want.length ? project(item, norm[i], field) : item;
      const match = norm.find((n) => {
        const v = isRecord(n) ? getAt(n, key.key.split('.')) : undefined;
        return v !== undefined && String(v) === key.value;
      });
      return match === undefined ? item : project(item, match, field);
    });
  }
  // Scalars: the server's form when it has one of the same kind of thing.
  return typeof norm === 'object' ? want : norm;
}
