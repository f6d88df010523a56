import { isRecord } from '../model/types.js';
import { podSpecPath } from '../model/workload.js';

/**
 * The containers of an object, wherever its kind keeps them: straight where the built-in
 * workloads do, by a bounded search for custom kinds, and not at all for the built-in kinds that
 * hold none (most of a large repository: Services, ConfigMaps, PodDisruptionBudgets, ...).
 */

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** Built-in kinds without containers. */
const NO_CONTAINERS = new Set([
  'Service',
  'ConfigMap',
  'Secret',
  'Namespace',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'Ingress',
  'IngressClass',
  'HorizontalPodAutoscaler',
  'ResourceQuota',
  'LimitRange',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
  'PriorityClass',
  'Endpoints',
  'EndpointSlice',
  'CustomResourceDefinition',
  'ServiceMonitor',
  'PodMonitor',
]);

/** Visit every container (with a stable name for it: `containers.app`) of an object. */
export function forEachContainer(
  obj: Record<string, unknown>,
  visit: (container: Record<string, unknown>, where: string) => void,
): void {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  if (NO_CONTAINERS.has(kind)) return;
  const inPodSpec = (spec: unknown): void => {
    if (!isRecord(spec)) return;
    for (const list of CONTAINER_LISTS) {
      const items = spec[list];
      if (Array.isArray(items))
        for (const c of items) if (isRecord(c)) visit(c, `${list}.${String(c.name ?? '')}`);
    }
  };
  const path = podSpecPath(kind);
  if (path) {
    let node: unknown = obj;
    for (const key of path) node = isRecord(node) ? node[key] : undefined;
    inPodSpec(node);
    return;
  }
  // A custom kind: look for container lists anywhere outside metadata and status.
  const walk = (node: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(node)) {
      for (const item of node) if (isRecord(item) || Array.isArray(item)) walk(item, depth + 1);
      return;
    }
    if (!isRecord(node)) return;
    inPodSpec(node);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'metadata' || k === 'status' || CONTAINER_LISTS.includes(k)) continue;
      if (isRecord(v) || Array.isArray(v)) walk(v, depth + 1);
    }
  };
  walk(obj, 0);
}
