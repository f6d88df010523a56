import { compileGlob } from '../../load/files.js';
import type { Manifest } from '../../load/yaml.js';
import type { Severity } from '../../model/types.js';
import type { RuleContext, Violation } from '../types.js';
import { memo, named } from './selection.js';

/**
 * Namespace-level rules (a default-deny policy, a quota) ask something of a namespace, not of one
 * object. A chart or an overlay usually installs into a namespace that somebody else manages, so
 * they are raised at their severity only where the checked set owns the namespace: it contains
 * the Namespace object, or the config says so (`namespaces.owned`). Elsewhere, one note per
 * namespace says what was not checked.
 */

/** Does the checked set own this namespace? */
export function ownsNamespace(ctx: RuleContext, namespace: string): boolean {
  const owned = memo(ctx.index, 'namespaces:owned', () => {
    const names = new Set(ctx.index.kind('Namespace').map((n) => n.object.metadata.name ?? ''));
    const patterns = ctx.settings.ownedNamespaces.map(compileGlob);
    return { names, patterns };
  });
  return owned.names.has(namespace) || owned.patterns.some((p) => p.test(namespace));
}

/** The remediation of every note about a namespace the set does not own (one text, so it merges). */
export const NOT_OWNED_REMEDIATION =
  'If this set manages the namespace, add its Namespace object or list it under namespaces.owned in ' +
  '.shipshape.yaml and the check applies at full severity; otherwise make sure whoever manages the ' +
  'namespace provides it.';

/**
 * A namespace-level violation: at the rule's severity (sharing `ownedCause` with related rules)
 * where the set owns the namespace; elsewhere an `info` note that merges with the other
 * namespace-level notes on the same namespace into one.
 */
export function namespaceViolation(
  ctx: RuleContext,
  namespace: string,
  first: Manifest,
  v: { path: Violation['path']; missing: string; ownedMessage: string; ownedCause?: string },
): Violation {
  if (ownsNamespace(ctx, namespace)) {
    return {
      manifest: first,
      path: v.path,
      message: v.ownedMessage,
      ...(v.ownedCause && { cause: { key: v.ownedCause, also: v.missing } }),
    };
  }
  const severity: Severity = 'info';
  return {
    manifest: first,
    path: v.path,
    severity,
    message: `namespace "${namespace}" (where ${named(first)} runs) has ${v.missing} in the checked set, which does not own the namespace (no Namespace object, not in namespaces.owned): it may be managed elsewhere`,
    remediation: NOT_OWNED_REMEDIATION,
    cause: { key: `namespace-not-owned\u0000${namespace}`, also: v.missing },
  };
}
