import { getAt } from './path.js';
import { isRecord, type KubeObject, type PathSegment } from './types.js';

/**
 * Every kind that carries a pod template, and where the template sits (a Pod is its own); its pod
 * spec and metadata are under it. Unknown kinds (CRDs) have none, so the per-container rules pass
 * them by without noise.
 */
const TEMPLATE_PATHS: Record<string, readonly PathSegment[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};
const under = (key: string) =>
  Object.fromEntries(Object.entries(TEMPLATE_PATHS).map(([kind, path]) => [kind, [...path, key]]));
const POD_SPEC_PATHS: Record<string, readonly PathSegment[]> = {
  ...under('spec'),
  // Not a workload (nothing runs it), but its pod spec holds containers all the same.
  PodTemplate: ['template', 'spec'],
};
const POD_META_PATHS: Record<string, readonly PathSegment[]> = under('metadata');

/** Where a kind keeps its pod spec: the workloads and PodTemplate; undefined for other kinds. */
export function podSpecPath(kind: string): readonly PathSegment[] | undefined {
  return Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
}

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(Object.keys(TEMPLATE_PATHS));
/** Kinds that keep pods running (and so want replicas, PDBs, probes); Jobs run to completion. */
export const SERVING_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
]);

/** Annotations that make an object part of a deploy tool's own lifecycle: install hooks, tests. */
const HOOK_ANNOTATIONS = ['helm.sh/hook', 'argocd.argoproj.io/hook'];

/** Is this object a Helm or Argo CD hook (a migration, a check, a `helm test` pod)? */
export function isDeployHook(obj: KubeObject): boolean {
  const annotations = obj.metadata?.annotations;
  return isRecord(annotations) && HOOK_ANNOTATIONS.some((a) => Object.hasOwn(annotations, a));
}

/**
 * Does this workload keep pods running (and so want probes, metrics, a NetworkPolicy, replicas)?
 * Not Jobs and CronJobs, which run to completion; not a bare Pod whose restartPolicy is Never or
 * OnFailure, or that is a Helm or Argo CD hook (`helm test` pods, install checks).
 */
export function isLongRunning(obj: KubeObject): boolean {
  if (!SERVING_KINDS.has(obj.kind)) return false;
  if (obj.kind !== 'Pod') return true;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  if (spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure') return false;
  return !isDeployHook(obj);
}

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  container: Record<string, unknown>;
  name: string;
  kind: ContainerKind;
  /** Concrete path from the object root to the container. */
  path: PathSegment[];
}

export interface PodTemplate {
  spec: Record<string, unknown>;
  /** Shared by every workload of its kind: never changed. */
  specPath: readonly PathSegment[];
  /** Labels of the pods this workload makes (the template's, or a Pod's own). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  metaPath: readonly PathSegment[];
}

export function isWorkload(obj: KubeObject): boolean {
  return WORKLOAD_KINDS.has(obj.kind) && obj.apiVersion !== 'metrics.k8s.io/v1beta1';
}

export function podTemplate(obj: KubeObject): PodTemplate | undefined {
  // Own keys only: a kind named `constructor` is no workload.
  if (!WORKLOAD_KINDS.has(obj.kind)) return undefined;
  const specPath = POD_SPEC_PATHS[obj.kind];
  const spec = getAt(obj, specPath);
  if (!isRecord(spec)) return undefined;
  const metaPath = POD_META_PATHS[obj.kind];
  const meta = getAt(obj, metaPath);
  const labels = isRecord(meta) && isRecord(meta.labels) ? (meta.labels as Record<string, string>) : {};
  const annotations =
    isRecord(meta) && isRecord(meta.annotations) ? (meta.annotations as Record<string, string>) : {};
  return { spec, specPath, labels, annotations, metaPath };
}

/** Every container of a workload: regular, init and ephemeral, each with its concrete path. */
export function containersOf(
  obj: KubeObject,
  kinds: readonly ContainerKind[] = ['containers', 'initContainers', 'ephemeralContainers'],
): ContainerRef[] {
  const tpl = podTemplate(obj);
  if (!tpl) return [];
  const out: ContainerRef[] = [];
  for (const kind of kinds) {
    const list = tpl.spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isRecord(c)) return;
      out.push({
        container: c,
        name: typeof c.name === 'string' ? c.name : `#${i}`,
        kind,
        path: [...tpl.specPath, kind, i],
      });
    });
  }
  return out;
}

/** Desired replicas: undefined for kinds without the field (DaemonSet, Pod, Job). Absent means 1. */
export function replicasOf(obj: KubeObject): number | undefined {
  if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(obj.kind))
    return undefined;
  const spec = obj.spec;
  if (!isRecord(spec)) return 1;
  return typeof spec.replicas === 'number' ? spec.replicas : 1;
}

/**
 * Does a label selector (`matchLabels` / `matchExpressions`, or a plain map as Services use)
 * select these labels? An empty selector selects everything; a missing one selects nothing.
 */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (!isRecord(selector)) return false;
  const hasStructured = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels = hasStructured ? selector.matchLabels : selector;
  if (isRecord(matchLabels)) {
    for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== String(v)) return false;
  }
  const exprs = hasStructured && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isRecord(e) || typeof e.key !== 'string') return false;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
