// Small readers for metadata.managedFields, shared by the tool proof tests. They deliberately stay naive
// (a walk down fieldsV1 keys) so that the tests show the raw shape the API server writes.
import { AppsV1Api, KubeConfig, type V1ManagedFieldsEntry, type V1ObjectMeta } from '@kubernetes/client-node';

export interface Entry {
  manager: string | undefined;
  operation: string | undefined;
  subresource: string | undefined;
  time: Date | undefined;
}

/** The entries, in the order the API server keeps them, without their fieldsV1. */
export function entries(meta: V1ObjectMeta | undefined): Entry[] {
  return (meta?.managedFields ?? []).map((e) => ({
    manager: e.manager,
    operation: e.operation,
    subresource: e.subresource,
    time: e.time,
  }));
}

/** Label of an entry: `manager/operation`, plus `/subresource` when there is one. */
export function label(e: Pick<V1ManagedFieldsEntry, 'manager' | 'operation' | 'subresource'>): string {
  return [e.manager, e.operation, e.subresource].filter(Boolean).join('/');
}

/**
 * Labels of the entries that own a field, given as fieldsV1 keys, e.g.
 * ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image'].
 */
export function ownersOf(meta: V1ObjectMeta | undefined, keys: string[]): string[] {
  return (meta?.managedFields ?? [])
    .filter((e) => {
      let node: unknown = e.fieldsV1;
      for (const k of keys) {
        if (typeof node !== 'object' || node === null || !(k in node)) return false;
        node = (node as Record<string, unknown>)[k];
      }
      return true;
    })
    .map(label);
}

/** fieldsV1 keys of a container's field in a pod template. */
export const containerField = (container: string, ...fields: string[]) => [
  'f:spec',
  'f:template',
  'f:spec',
  'f:containers',
  `k:{"name":"${container}"}`,
  ...fields.map((f) => `f:${f}`),
];

/** Read a Deployment with @kubernetes/client-node, the way shipshape's drift job reads live objects. */
export function deploymentReader(kubeconfig: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const apps = kc.makeApiClient(AppsV1Api);
  return (namespace: string, name: string) => apps.readNamespacedDeployment({ namespace, name });
}
