import { isRecord, type KubeObject } from '../model/types.js';
import { builtInRoot, indexByKey, itemKey, keyString, type TypeNode } from './schema.js';

/**
 * The optional server-side dry-run comparison: the API server applies Git's object with
 * `dryRun=All` and answers with what the object would be: defaults, admission webhooks' mutations
 * and its own normalization included. Git's declared fields then take the server's values, so that
 * a value only the server can normalize (a webhook's rewrite of an image, say) compares as equal.
 * What Git does not declare stays out, exactly as without the dry run.
 *
 * Lists pair Git's items with the server's the way the apply merged them (`type`): keyed lists by
 * their whole key, atomic lists by position. (Pairing by a field that is not unique, a port
 * number alone, would give Git's TCP entry the server's UDP one.)
 */
export function projectDeclared(
  desired: KubeObject,
  normalized: KubeObject,
  type: TypeNode = builtInRoot(desired.kind),
): KubeObject {
  return project(desired, normalized, type) as KubeObject;
}

function project(want: unknown, norm: unknown, type: TypeNode): unknown {
  if (norm === undefined || norm === null) return want;
  if (isRecord(want)) {
    if (!isRecord(norm)) return want;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(want)) out[k] = k in norm ? project(v, norm[k], type.field(k)) : v;
    return out;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(norm)) return want;
    const list = type.list();
    const items = type.items();
    const found = indexByKey(norm, list, items);
    if (list.type === 'map' && found && indexByKey(want, list, items)) {
      return want.map((item) => {
        const key = itemKey(item, list, items);
        const j = key ? found.get(keyString(key, list)) : undefined;
        return j === undefined ? item : project(item, norm[j], items);
      });
    }
    // Atomic lists (and sets) keep Git's order through an apply.
    return norm.length === want.length ? want.map((item, i) => project(item, norm[i], items)) : want;
  }
  // Scalars: the server's form when it has one of the same kind of thing.
  return typeof norm === 'object' ? want : norm;
}
