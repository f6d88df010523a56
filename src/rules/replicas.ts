import type { Manifest } from '../load/yaml.js';
import { suggest } from '../model/suggest.js';
import { isRecord, type PathSegment } from '../model/types.js';
import { replicasOf, selects } from '../model/workload.js';
import type { ObjectIndex } from './object-index.js';
import type { Rule, Violation } from './types.js';
import { namesIn } from './util/references.js';
import {
  exampleDeployment,
  isEmptySelector,
  memo,
  named,
  namedList,
  podLabelIndex,
  SelectorIndex,
  type WorkloadInfo,
  workloadInfos,
} from './util/selection.js';

/**
 * The `replicas` checklist category: enough pods to survive a node going away, a
 * PodDisruptionBudget that protects them without blocking drains, and pods spread over nodes.
 * Only long-running replicated kinds are checked: Jobs run to completion and DaemonSets run one
 * pod per node by design.
 */

const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet']);

// --- shared tables ------------------------------------------------------------------------------

/** HorizontalPodAutoscalers by the workload they scale (namespace, kind, name). */
function hpaTargets(index: ObjectIndex): Map<string, Manifest> {
  return memo(index, 'replicas:hpa', () => {
    const out = new Map<string, Manifest>();
    for (const hpa of index.kind('HorizontalPodAutoscaler')) {
      const spec = hpa.object.spec;
      const target = isRecord(spec) ? spec.scaleTargetRef : undefined;
      if (!isRecord(target) || typeof target.kind !== 'string' || typeof target.name !== 'string') continue;
      const key = targetKey(index.namespaceOf(hpa), target.kind, target.name);
      if (!out.has(key)) out.set(key, hpa);
    }
    return out;
  });
}

function targetKey(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}

function hpaFor(index: ObjectIndex, w: WorkloadInfo): Manifest | undefined {
  const { kind, metadata } = w.manifest.object;
  return hpaTargets(index).get(targetKey(w.namespace, kind, metadata.name ?? ''));
}

function minReplicasOf(hpa: Manifest): number {
  const spec = hpa.object.spec;
  return isRecord(spec) && typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
}

/**
 * How many pods a workload keeps at the least: an HPA's minReplicas when one scales it (the HPA
 * owns spec.replicas then), else spec.replicas. Undefined for kinds without replicas.
 */
function effectiveReplicas(index: ObjectIndex, w: WorkloadInfo): number | undefined {
  const declared = replicasOf(w.manifest.object);
  if (declared === undefined) return w.manifest.object.kind === 'Pod' ? 1 : undefined;
  const hpa = hpaFor(index, w);
  return hpa ? minReplicasOf(hpa) : declared;
}

/** Replicated workloads that keep two or more pods: the ones that want a PDB and spreading. */
function multiReplica(index: ObjectIndex): WorkloadInfo[] {
  return workloadInfos(index).filter(
    (w) => REPLICATED_KINDS.has(w.manifest.object.kind) && (effectiveReplicas(index, w) ?? 0) >= 2,
  );
}

/** PodDisruptionBudgets by their selector, per namespace. */
function pdbIndex(index: ObjectIndex): SelectorIndex<Manifest> {
  return memo(index, 'replicas:pdb', () => {
    const pdbs = new SelectorIndex<Manifest>();
    for (const pdb of index.kind('PodDisruptionBudget'))
      pdbs.add(index.namespaceOf(pdb), pdbSelector(pdb), pdb);
    return pdbs;
  });
}

/** policy/v1beta1 read an empty selector as "no pods"; policy/v1 reads it as "every pod". */
function pdbSelector(pdb: Manifest): unknown {
  const spec = pdb.object.spec;
  const selector = isRecord(spec) ? spec.selector : undefined;
  if (pdb.object.apiVersion === 'policy/v1beta1' && isEmptySelector(selector)) return undefined;
  return selector;
}

// --- rules --------------------------------------------------------------------------------------

function hpaExample(minReplicas: number): string {
  return [
    'apiVersion: autoscaling/v2',
    'kind: HorizontalPodAutoscaler',
    'metadata: {name: web}',
    'spec:',
    '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
    `  minReplicas: ${minReplicas}`,
    '  maxReplicas: 10',
  ].join('\n');
}

function pdbExample(budget: string, app: string, unhealthy = 'AlwaysAllow'): string {
  return [
    'apiVersion: policy/v1',
    'kind: PodDisruptionBudget',
    'metadata: {name: web}',
    'spec:',
    `  ${budget}`,
    ...(unhealthy ? [`  unhealthyPodEvictionPolicy: ${unhealthy}`] : []),
    `  selector: {matchLabels: {app: ${app}}}`,
  ].join('\n');
}

const minimum: Rule = {
  meta: {
    id: 'replicas-minimum',
    category: 'replicas',
    severity: 'error',
    title: 'Deployments and StatefulSets run two or more replicas',
    why:
      'With a single pod, every node drain, eviction, crash or rollout is an outage. A second replica ' +
      'keeps the service answering while the first one is replaced. A workload scaled to zero on ' +
      'purpose (replicas: 0) is left alone; one scaled by an HPA is judged by the HPA.',
    fix: 'Set spec.replicas to 2 or more, or let a HorizontalPodAutoscaler with minReplicas of 2 or more scale it.',
    example: {
      bad: exampleDeployment({ replicas: 1 }),
      good: exampleDeployment({ replicas: 3 }),
      line: 5,
    },
    appliesTo:
      'Deployments and StatefulSets that no HPA in the set scales, unless scaled to zero on purpose. Not DaemonSets (one pod per node by design) nor run-to-completion work.',
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      if (!REPLICATED_KINDS.has(w.manifest.object.kind) || hpaFor(index, w)) continue;
      const replicas = replicasOf(w.manifest.object) ?? 1;
      const spec = w.manifest.object.spec;
      const scaledToZero = replicas === 0 && isRecord(spec) && spec.replicas === 0;
      if (replicas >= 2 || scaledToZero) continue;
      yield {
        manifest: w.manifest,
        path: ['spec', 'replicas'],
        message: `${named(w.manifest)} runs ${replicas} replica; one node drain or crash takes it down`,
      };
    }
  },
};

const hpaMinReplicas: Rule = {
  meta: {
    id: 'replicas-hpa-min-replicas',
    category: 'replicas',
    severity: 'error',
    title: 'HorizontalPodAutoscalers keep at least two replicas',
    why:
      'An HPA owns the replica count of the workload it scales. With minReplicas below 2 it scales ' +
      'the workload down to a single pod when traffic is low, often at night, exactly when a node ' +
      'upgrade drains it.',
    fix: 'Set spec.minReplicas to 2 or more.',
    example: {
      bad: hpaExample(1),
      good: hpaExample(2),
      line: 6,
    },
    appliesTo: 'Every HorizontalPodAutoscaler.',
  },
  *check({ index }) {
    for (const hpa of index.kind('HorizontalPodAutoscaler')) {
      const min = minReplicasOf(hpa);
      if (min >= 2) continue;
      const spec = hpa.object.spec;
      const target = isRecord(spec) && isRecord(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
      const what =
        typeof target.kind === 'string' ? `${target.kind} "${String(target.name ?? '')}"` : 'its target';
      yield {
        manifest: hpa,
        path: ['spec', 'minReplicas'],
        message: `${named(hpa)} lets ${what} scale down to ${min} replica${min === 1 ? '' : 's'}`,
      };
    }
  },
};

const pdbMissing: Rule = {
  meta: {
    id: 'replicas-pdb-missing',
    category: 'replicas',
    severity: 'warning',
    title: 'Multi-replica workloads are covered by a PodDisruptionBudget',
    why:
      'Without a PodDisruptionBudget, a node drain or cluster upgrade may evict every replica at ' +
      'once. A PDB in the same namespace whose selector matches the pod labels makes voluntary ' +
      'evictions wait until enough pods are ready elsewhere.',
    fix: "Add a PodDisruptionBudget in the workload's namespace that selects its pod labels, with maxUnavailable: 1.",
    example: {
      bad: exampleDeployment({ replicas: 3 }),
      good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
      line: 3,
    },
    appliesTo:
      'Deployments and StatefulSets that keep two or more pods (spec.replicas, or the minReplicas of the HPA that scales them).',
  },
  *check({ index }) {
    const pdbs = pdbIndex(index);
    for (const w of multiReplica(index)) {
      if (pdbs.selecting(w.namespace, w.template.labels).length > 0) continue;
      yield {
        manifest: w.manifest,
        path: ['metadata'],
        message: `${named(w.manifest)} has no PodDisruptionBudget selecting its pods in namespace "${w.namespace}"`,
      };
    }
  },
};

const pdbBlocksDrain: Rule = {
  meta: {
    id: 'replicas-pdb-blocks-drain',
    category: 'replicas',
    severity: 'error',
    title: 'PodDisruptionBudgets allow at least one eviction',
    why:
      'A PDB that allows no disruption (maxUnavailable: 0, minAvailable: 100%, minAvailable as large ' +
      'as the replica count, or neither field set) makes every node drain hang. Cluster upgrades stall and ' +
      'operators end up deleting the PDB by hand, which removes the protection entirely.',
    fix: 'Use maxUnavailable: 1 (or a minAvailable below the replica count).',
    example: {
      bad: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('minAvailable: 3', 'web')}`,
      good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
      line: 19,
    },
    appliesTo:
      'Every PodDisruptionBudget. A minAvailable count is compared with the pods of the workloads it selects, at their fewest.',
  },
  *check({ index }) {
    for (const pdb of index.kind('PodDisruptionBudget')) {
      const v = drainBlock(index, pdb);
      if (v) yield v;
    }
  },
};

/** A count (`2`) or a percentage (`50%`) of pods, as PodDisruptionBudgets spell them. */
function parseIntOrPercent(value: unknown): { count: number } | { percent: number } | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return { count: value };
  if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value.trim());
    if (m) return { percent: Number(m[1]) };
  }
  return undefined;
}

function drainBlock(index: ObjectIndex, pdb: Manifest): Violation | undefined {
  const spec = pdb.object.spec;
  if (!isRecord(spec)) return undefined;
  const unset = (v: unknown) => v === undefined || v === null;
  if (unset(spec.maxUnavailable) && unset(spec.minAvailable)) {
    // The disruption controller expects no pods then, and allows no eviction at all.
    return {
      manifest: pdb,
      path: ['spec', 'maxUnavailable'],
      message: `${named(pdb)} sets neither maxUnavailable nor minAvailable, so it allows no eviction and no node running its pods can be drained`,
    };
  }
  const maxUnavailable = parseIntOrPercent(spec.maxUnavailable);
  if (maxUnavailable && ('count' in maxUnavailable ? maxUnavailable.count : maxUnavailable.percent) === 0) {
    return {
      manifest: pdb,
      path: ['spec', 'maxUnavailable'],
      message: `${named(pdb)} allows no pod to be unavailable, so no node running its pods can be drained`,
    };
  }
  const minAvailable = parseIntOrPercent(spec.minAvailable);
  if (!minAvailable) return undefined;
  const path: PathSegment[] = ['spec', 'minAvailable'];
  if ('percent' in minAvailable && minAvailable.percent >= 100) {
    return {
      manifest: pdb,
      path,
      message: `${named(pdb)} requires 100% of its pods available, so no node can be drained`,
    };
  }
  // Compare with the pods the PDB covers, at the least the workloads keep (an HPA's minReplicas).
  const selected = podLabelIndex(index).selectedBy(index.namespaceOf(pdb), pdbSelector(pdb));
  if (selected.length === 0) return undefined;
  let total = 0;
  for (const w of selected) {
    const replicas = effectiveReplicas(index, w);
    if (replicas === undefined) return undefined; // DaemonSets and the like: pod count unknown
    total += replicas;
  }
  // Kubernetes rounds a minAvailable percentage up.
  const required =
    'count' in minAvailable ? minAvailable.count : Math.ceil((minAvailable.percent * total) / 100);
  if (total === 0 || required < total) return undefined;
  return {
    manifest: pdb,
    path,
    message: `${named(pdb)} requires ${required} of the ${total} pods of ${namedList(selected.map((w) => w.manifest))} available, so no node can be drained`,
  };
}

const pdbSelectsNothing: Rule = {
  meta: {
    id: 'replicas-pdb-selects-nothing',
    category: 'replicas',
    severity: 'warning',
    title: 'PodDisruptionBudgets select the pods of some workload',
    why:
      'A PDB whose selector matches no pod in its namespace protects nothing: usually a label was ' +
      'renamed on the workload, or the PDB sits in another namespace. The workload it was meant ' +
      'for is unprotected while everybody believes otherwise.',
    fix: "Make spec.selector match the pod template labels of the workload, in the workload's namespace.",
    example: {
      bad: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web-v1')}`,
      good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
      line: 21,
    },
    appliesTo:
      'Every PodDisruptionBudget (an empty selector selects nothing under policy/v1beta1, everything under policy/v1).',
  },
  *check({ index }) {
    const pods = podLabelIndex(index);
    for (const pdb of index.kind('PodDisruptionBudget')) {
      const namespace = index.namespaceOf(pdb);
      if (pods.selectedBy(namespace, pdbSelector(pdb)).length > 0) continue;
      yield {
        manifest: pdb,
        path: ['spec', 'selector'],
        message: `${named(pdb)} selects no pods in namespace "${namespace}"`,
      };
    }
  },
};

const spread: Rule = {
  meta: {
    id: 'replicas-spread',
    category: 'replicas',
    severity: 'warning',
    title: 'Multi-replica workloads spread their pods across nodes or zones',
    why:
      'The scheduler may put every replica on the same node or in the same zone; losing that node ' +
      'or zone then loses them all, and the extra replicas bought nothing. A topology spread ' +
      'constraint or a pod anti-affinity on the hostname or zone keeps them apart.',
    fix:
      'Add spec.template.spec.topologySpreadConstraints on topology.kubernetes.io/zone or ' +
      'kubernetes.io/hostname, with a labelSelector matching the pod labels.',
    example: {
      bad: exampleDeployment({ replicas: 3 }),
      good: exampleDeployment({
        replicas: 3,
        podSpec: [
          'topologySpreadConstraints:',
          '  - maxSkew: 1',
          '    topologyKey: topology.kubernetes.io/zone',
          '    whenUnsatisfiable: ScheduleAnyway',
          '    labelSelector: {matchLabels: {app: web}}',
        ],
      }),
      line: 10,
    },
    appliesTo:
      'Deployments and StatefulSets that keep two or more pods. A spread constraint or an anti-affinity term counts when its key is a hostname, zone or region, its selector matches the pods, and (anti-affinity) its namespaces can include their own.',
  },
  *check({ index }) {
    for (const w of multiReplica(index)) {
      if (spreadsOut(index, w)) continue;
      yield {
        manifest: w.manifest,
        path: [...w.template.specPath, 'topologySpreadConstraints'],
        message: `${named(w.manifest)} runs ${effectiveReplicas(index, w)} replicas with nothing spreading them across nodes or zones`,
      };
    }
  },
};

/** Topology keys that separate failure domains: nodes, zones, regions (well-known and vendor ones). */
function isFailureDomainKey(key: unknown): boolean {
  return typeof key === 'string' && /hostname|zone|region/i.test(key);
}

/**
 * Does the pod spec keep this workload's own pods apart? A spread constraint or an anti-affinity
 * term counts only when its key is a failure domain, its selector matches the pods themselves and
 * (for anti-affinity) its namespaces can include the workload's own.
 */
function spreadsOut(index: ObjectIndex, w: WorkloadInfo): boolean {
  const { spec, labels } = w.template;
  const constraints = Array.isArray(spec.topologySpreadConstraints) ? spec.topologySpreadConstraints : [];
  for (const c of constraints) {
    if (isRecord(c) && isFailureDomainKey(c.topologyKey) && selects(c.labelSelector, labels)) return true;
  }
  const anti = isRecord(spec.affinity) ? spec.affinity.podAntiAffinity : undefined;
  if (!isRecord(anti)) return false;
  const required = Array.isArray(anti.requiredDuringSchedulingIgnoredDuringExecution)
    ? anti.requiredDuringSchedulingIgnoredDuringExecution
    : [];
  const preferred = Array.isArray(anti.preferredDuringSchedulingIgnoredDuringExecution)
    ? anti.preferredDuringSchedulingIgnoredDuringExecution.map((p) =>
        isRecord(p) ? p.podAffinityTerm : undefined,
      )
    : [];
  return [...required, ...preferred].some(
    (term) =>
      isRecord(term) &&
      isFailureDomainKey(term.topologyKey) &&
      selects(term.labelSelector, labels) &&
      termReachesNamespace(index, term, w.namespace),
  );
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Can a pod affinity term's namespaces include this one? With neither `namespaces` nor a
 * `namespaceSelector` it means the pod's own namespace; a list names namespaces; a selector
 * (`{}` for all) matches namespace labels. Without the Namespace object only the name label is
 * known, so a selector is ruled out only when it asks for another name.
 */
function termReachesNamespace(index: ObjectIndex, term: Record<string, unknown>, namespace: string): boolean {
  const names = Array.isArray(term.namespaces) ? term.namespaces.map(String) : [];
  const selector = term.namespaceSelector;
  const hasSelector = selector !== undefined && selector !== null;
  if (names.length === 0 && !hasSelector) return true;
  if (names.includes(namespace)) return true;
  if (!hasSelector) return false;
  const object = index.kind('Namespace').find((n) => n.object.metadata.name === namespace);
  const own = object?.object.metadata.labels;
  const labels = { ...(isRecord(own) ? own : {}), [NAME_LABEL]: namespace };
  if (selects(selector, labels)) return true;
  if (object) return false;
  return selects(nameRequirements(selector), { [NAME_LABEL]: namespace });
}

/** The part of a label selector about the namespace name label. */
function nameRequirements(selector: unknown): Record<string, unknown> {
  if (!isRecord(selector)) return {};
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return {
    matchLabels: NAME_LABEL in matchLabels ? { [NAME_LABEL]: matchLabels[NAME_LABEL] } : {},
    matchExpressions: exprs.filter((e) => isRecord(e) && e.key === NAME_LABEL),
  };
}

const hpaTargetMissing: Rule = {
  meta: {
    id: 'replicas-hpa-target-missing',
    category: 'replicas',
    severity: 'error',
    title: 'HorizontalPodAutoscalers scale a workload that exists',
    why:
      'An HPA whose scaleTargetRef names nothing scales nothing: the workload it was meant for runs ' +
      'at its static replica count through every traffic peak, and the HPA only reports ' +
      'FailedGetScale.',
    fix: 'Make spec.scaleTargetRef name the kind and name of the workload, in the same namespace.',
    example: {
      bad: `${exampleDeployment()}\n---\n${hpaExample(2).replace('kind: Deployment, name: web}', 'kind: Deployment, name: web-v2}')}`,
      good: `${exampleDeployment()}\n---\n${hpaExample(2)}`,
      line: 18,
    },
    appliesTo:
      'HorizontalPodAutoscalers whose target kind the set defines objects of in that namespace ' +
      '(elsewhere the target may come from another source).',
  },
  *check({ index }) {
    for (const hpa of index.kind('HorizontalPodAutoscaler')) {
      const spec = hpa.object.spec;
      const target = isRecord(spec) ? spec.scaleTargetRef : undefined;
      if (!isRecord(target) || typeof target.kind !== 'string' || typeof target.name !== 'string') continue;
      const namespace = index.namespaceOf(hpa);
      const defined = namesIn(index, target.kind, namespace);
      if (defined.size === 0 || defined.has(target.name)) continue;
      yield {
        manifest: hpa,
        path: ['spec', 'scaleTargetRef', 'name'],
        message: `${named(hpa)} scales ${target.kind} "${target.name}", which the set does not define in namespace "${namespace}"${suggest(target.name, defined)}`,
      };
    }
  },
};

const staticReplicasUnderHpa: Rule = {
  meta: {
    id: 'replicas-hpa-static-replicas',
    category: 'replicas',
    severity: 'warning',
    title: 'Workloads an HPA scales do not also set spec.replicas',
    why:
      'The HPA owns the replica count. A spec.replicas in the manifest puts it back on every apply, ' +
      'Helm upgrade or GitOps sync: a Deployment scaled to 12 for a traffic peak drops to 3 in the ' +
      'middle of it, until the HPA scales it up again.',
    fix: 'Remove spec.replicas from the manifest (in a chart, render it only when autoscaling is off).',
    example: {
      bad: `${exampleDeployment({ replicas: 3 })}\n---\n${hpaExample(3)}`,
      good: `${exampleDeployment()}\n---\n${hpaExample(3)}`,
      line: 5,
    },
    appliesTo: 'Workloads a HorizontalPodAutoscaler in the set scales.',
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      const hpa = hpaFor(index, w);
      const spec = w.manifest.object.spec;
      if (!hpa || !isRecord(spec) || spec.replicas === undefined || spec.replicas === null) continue;
      yield {
        manifest: w.manifest,
        path: ['spec', 'replicas'],
        message: `${named(w.manifest)} sets spec.replicas: ${String(spec.replicas)}, but ${named(hpa)} scales it: every apply or sync resets the count to ${String(spec.replicas)}`,
      };
    }
  },
};

const pdbUnhealthyEviction: Rule = {
  meta: {
    id: 'replicas-pdb-unhealthy-eviction',
    category: 'replicas',
    severity: 'warning',
    title: 'PodDisruptionBudgets let unhealthy pods be evicted (unhealthyPodEvictionPolicy: AlwaysAllow)',
    why:
      'By default a pod that is running but not ready counts against the budget: when an app is ' +
      'already broken (crash-looping, never ready), its PDB blocks every node drain that would move ' +
      'it, and a cluster upgrade stalls on an app that is down anyway.',
    fix: 'Set spec.unhealthyPodEvictionPolicy: AlwaysAllow (Kubernetes 1.27 and later).',
    example: {
      bad: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web', '')}`,
      good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
      line: 18,
    },
    appliesTo:
      'policy/v1 PodDisruptionBudgets that do not set the field. One that sets IfHealthyBudget on ' +
      'purpose is left alone.',
  },
  *check({ index }) {
    for (const pdb of index.kind('PodDisruptionBudget')) {
      if (pdb.object.apiVersion !== 'policy/v1') continue;
      const spec = pdb.object.spec;
      if (
        isRecord(spec) &&
        spec.unhealthyPodEvictionPolicy !== undefined &&
        spec.unhealthyPodEvictionPolicy !== null
      )
        continue;
      yield {
        manifest: pdb,
        path: ['spec', 'unhealthyPodEvictionPolicy'],
        message: `${named(pdb)} does not set unhealthyPodEvictionPolicy, so pods that are not ready block node drains`,
      };
    }
  },
};

export const rules: Rule[] = [
  minimum,
  hpaMinReplicas,
  hpaTargetMissing,
  staticReplicasUnderHpa,
  pdbMissing,
  pdbBlocksDrain,
  pdbSelectsNothing,
  pdbUnhealthyEviction,
  spread,
];
