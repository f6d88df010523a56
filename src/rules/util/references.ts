import type { Manifest } from '../../load/yaml.js';
import { isRecord } from '../../model/types.js';
import type { ObjectIndex } from '../object-index.js';
import { memo } from './selection.js';

/**
 * Helpers for the reference rules: does the checked set define the object a reference names? A
 * set that defines no object of a kind in a namespace says nothing about it (the object may come
 * from elsewhere); one that defines some, but not the one named, most likely has a typo or a
 * rename.
 */

/** Names of the objects of a kind the set defines in a namespace. */
export function namesIn(index: ObjectIndex, kind: string, namespace: string): Set<string> {
  const table = memo(index, `references:names:${kind}`, () => {
    const out = new Map<string, Set<string>>();
    for (const m of index.kind(kind)) {
      const ns = index.namespaceOf(m);
      const names = out.get(ns) ?? new Set<string>();
      names.add(m.object.metadata.name ?? '');
      out.set(ns, names);
    }
    return out;
  });
  return table.get(namespace) ?? new Set();
}

/** The object of a kind named `name` in a namespace, if the set defines it. */
export function findNamed(
  index: ObjectIndex,
  kind: string,
  namespace: string,
  name: string,
): Manifest | undefined {
  const table = memo(index, `references:objects:${kind}`, () => {
    const out = new Map<string, Manifest>();
    for (const m of index.kind(kind)) {
      const key = `${index.namespaceOf(m)}\u0000${m.object.metadata.name ?? ''}`;
      if (!out.has(key)) out.set(key, m);
    }
    return out;
  });
  return table.get(`${namespace}\u0000${name}`);
}

/**
 * Is this object of a Kubernetes API group (core, apps, batch, policy, autoscaling, `*.k8s.io`)?
 * Anything else is a custom resource, which an operator may turn into pods the set cannot see.
 */
export function isBuiltIn(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return true;
  const group = apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** Namespaces where the set holds custom resources (operators may make pods from them there). */
export function customResourceNamespaces(index: ObjectIndex): Set<string> {
  return memo(index, 'references:custom-resource-namespaces', () => {
    const out = new Set<string>();
    for (const m of index.manifests) {
      if (!isBuiltIn(m.object.apiVersion) && m.object.metadata.namespace)
        out.add(m.object.metadata.namespace);
    }
    return out;
  });
}

/**
 * Secrets that resources in the set make at run time, by namespace: External Secrets, Sealed
 * Secrets and cert-manager Certificates name the Secret they write.
 */
export function generatedSecrets(index: ObjectIndex, namespace: string): Set<string> {
  const table = memo(index, 'references:generated-secrets', () => {
    const out = new Map<string, Set<string>>();
    const add = (m: Manifest, name: unknown) => {
      if (typeof name !== 'string' || name === '') return;
      const ns = index.namespaceOf(m);
      const names = out.get(ns) ?? new Set<string>();
      names.add(name);
      out.set(ns, names);
    };
    for (const m of index.manifests) {
      const { kind, apiVersion, metadata } = m.object;
      const spec = isRecord(m.object.spec) ? m.object.spec : {};
      const group = apiVersion.split('/')[0];
      if (kind === 'ExternalSecret' && group === 'external-secrets.io') {
        const target = isRecord(spec.target) ? spec.target : {};
        add(m, target.name ?? metadata.name);
      } else if (kind === 'SealedSecret' && group === 'bitnami.com') {
        add(m, metadata.name);
      } else if (kind === 'Certificate' && group === 'cert-manager.io') {
        add(m, spec.secretName);
      }
    }
    return out;
  });
  return table.get(namespace) ?? new Set();
}
