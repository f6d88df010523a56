import type { ConfigSection } from '../config.js';
import { isRecord } from '../model/types.js';

/**
 * The `namespaces:` section of `.shipshape.yaml`:
 *
 *   namespaces:
 *     owned: [shop, "team-*"]   # namespaces this repository manages, besides those it has a Namespace object for
 *
 * Namespace-level rules (default-deny policies, quotas) are raised at their severity only in
 * namespaces the checked set owns; elsewhere they are one info note per namespace.
 */

export interface NamespacesConfig {
  owned: string[];
}

export const namespacesSection: ConfigSection<NamespacesConfig> = {
  defaults: () => ({ owned: [] }),
  read(value, r, p) {
    const out: NamespacesConfig = { owned: [] };
    if (value === null || value === undefined) return out;
    if (!isRecord(value)) {
      r.error(p, 'must be a mapping with `owned:`, a list of namespace names');
      return out;
    }
    for (const key of Object.keys(value)) {
      if (key !== 'owned') r.error([...p, key], 'unknown key; expected owned');
    }
    const owned = value.owned;
    if (owned === null || owned === undefined) return out;
    if (!Array.isArray(owned)) {
      r.error([...p, 'owned'], 'must be a list of namespace names (globs with `*` allowed)');
      return out;
    }
    owned.forEach((name, i) => {
      if (typeof name === 'string' && name !== '') out.owned.push(name);
      else r.error([...p, 'owned', i], 'must be a namespace name');
    });
    return out;
  },
};
