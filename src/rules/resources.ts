import type { Manifest } from '../load/yaml.js';
import { quantitiesEqual } from '../model/quantity.js';
import { Interner } from '../model/text.js';
import { isRecord, type PathSegment } from '../model/types.js';
import type { Rule, RuleContext, Violation } from './types.js';
import {
  containerCause,
  containersOfKinds,
  describeContainer,
  isCritical,
  recordAt,
  workloads,
} from './util/containers.js';
import { namespaceViolation } from './util/namespaces.js';

/** The `resources` checklist category. */

const RESOURCES = ['cpu', 'memory'] as const;
/** Ephemeral containers may not set resources (the API rejects them), so they are not asked to. */
const SIZED_KINDS = ['containers', 'initContainers'] as const;

/**
 * Missing `requests` or `limits`: one finding for the whole block when it is absent, otherwise
 * one per missing resource, each at the path the field should have. A resource set at pod level
 * (`spec.resources`, pod-level resources) covers every container, so it is not asked of them.
 */
function* missing(ctx: RuleContext, block: 'requests' | 'limits'): Generator<Violation> {
  const noun = block === 'requests' ? 'request' : 'limit';
  for (const workload of workloads(ctx)) {
    const { manifest, template } = workload;
    const podLevel = recordAt(recordAt(template.spec, 'resources'), block);
    const wanted = RESOURCES.filter((r) => podLevel[r] === undefined || podLevel[r] === null);
    if (wanted.length === 0) continue;
    for (const container of containersOfKinds(workload, SIZED_KINDS)) {
      const values = recordAt(container.container, 'resources')[block];
      const absent = isRecord(values)
        ? wanted.filter((r) => values[r] === undefined || values[r] === null)
        : [...wanted];
      if (absent.length === 0) continue;
      const who = describeContainer(container);
      const base = [...container.path, 'resources', block];
      // Missing requests and limits on one container are one thing to fix: one finding.
      const key = containerCause(ctx, 'sizing', container);
      if (!isRecord(values)) {
        const none = noneOf(absent.join(' or '), noun);
        yield { manifest, path: base, message: `${who} has ${none}`, cause: { key, also: none } };
        continue;
      }
      for (const resource of absent) {
        const none = noneOf(resource, noun);
        yield {
          manifest,
          path: [...base, resource],
          message: `${who} has ${none}`,
          cause: { key, also: none },
        };
      }
    }
  }
}

/**
 * `no cpu or memory request`: what a merged sizing finding lists. One string per wording (there
 * are a handful), not one per container: the engine keeps it until every rule has run.
 */
function noneOf(resources: string, noun: string): string {
  return WORDINGS.of(`no ${resources} ${noun}`);
}

const WORDINGS = new Interner();

const SIZING_APPLIES_TO =
  'Containers and init containers of every workload kind, Jobs and Helm hooks included (the ' +
  'scheduler places them too); not ephemeral containers, which may not set resources. A resource ' +
  'set at pod level covers every container. Missing requests and limits on one container are one ' +
  'finding.';

/** A Pod whose container requests and limits cpu and memory, for the examples. */
const SIZED_POD = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      resources:
        requests: {cpu: 250m, memory: 512Mi}
        limits: {cpu: "1", memory: 512Mi}`;

const requestsMissing: Rule = {
  meta: {
    id: 'resources-requests-missing',
    category: 'resources',
    severity: 'error',
    title: 'Every container requests cpu and memory',
    why: 'The scheduler places pods by their requests. Without them a pod lands on a node that cannot hold it, and it is the first to be evicted under memory pressure.',
    fix: 'Set resources.requests.cpu and resources.requests.memory on every container and init container, sized from observed usage under load.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      resources: {}`,
      good: SIZED_POD,
      line: 8,
    },
    appliesTo: SIZING_APPLIES_TO,
  },
  check: (ctx) => missing(ctx, 'requests'),
};

const limitsMissing: Rule = {
  meta: {
    id: 'resources-limits-missing',
    category: 'resources',
    severity: 'error',
    title: 'Every container has cpu and memory limits',
    why: 'Without a memory limit one leaking container can push its node into out-of-memory kills that take its neighbours (and the kubelet) down with it; without a cpu limit it can starve them.',
    fix: 'Set resources.limits.memory (and resources.limits.cpu) on every container and init container; keep the memory limit close to the request.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      resources:
        requests: {cpu: 250m, memory: 512Mi}`,
      good: SIZED_POD,
      line: 8,
    },
    appliesTo: SIZING_APPLIES_TO,
  },
  check: (ctx) => missing(ctx, 'limits'),
};

/**
 * Guaranteed QoS needs a cpu and a memory limit and requests equal to them (an absent request
 * defaults to the limit, as the API server does): on every container and init container, or
 * once for the whole pod when it sets pod-level resources.
 */
function* guaranteedViolations(
  manifest: Manifest,
  resources: unknown,
  base: PathSegment[],
  who: string,
): Generator<Violation> {
  const requests = recordAt(resources, 'requests');
  const limits = recordAt(resources, 'limits');
  for (const resource of RESOURCES) {
    const limit = limits[resource];
    const request = requests[resource] ?? limit;
    if (limit === undefined || limit === null) {
      yield {
        manifest,
        path: [...base, 'limits', resource],
        message: `${who} has no ${resource} limit, so the critical workload is not Guaranteed QoS`,
      };
    } else if (!quantitiesEqual(request, limit)) {
      yield {
        manifest,
        path: [...base, 'requests', resource],
        message: `${who} requests ${resource} ${String(request)} but is limited to ${String(limit)}; a critical workload needs them equal (Guaranteed QoS)`,
      };
    }
  }
}

const qosNotGuaranteed: Rule = {
  meta: {
    id: 'resources-critical-not-guaranteed',
    category: 'resources',
    severity: 'error',
    title: 'Critical workloads run with Guaranteed QoS (requests equal limits)',
    why: 'Burstable pods are evicted before Guaranteed ones when a node runs short of memory, and can overcommit it in the first place. The workloads you marked critical should be the last to go.',
    fix: 'On every container and init container, set cpu and memory limits and make the requests equal to them.',
    example: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  labels: {shipshape.io/critical: "true"}
spec:
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/checkout:1.4.2
          resources:
            requests: {cpu: 500m, memory: 1Gi}
            limits: {cpu: "2", memory: 2Gi}`,
      good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  labels: {shipshape.io/critical: "true"}
spec:
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/checkout:1.4.2
          resources:
            requests: {cpu: "1", memory: 2Gi}
            limits: {cpu: "1", memory: 2Gi}`,
      line: 15,
    },
    appliesTo:
      'Workloads marked critical (by the labels, annotations or priority classes of the critical: config): every container and init container, or the pod as a whole when it sets pod-level resources.',
  },
  *check(ctx) {
    for (const workload of workloads(ctx)) {
      const { manifest, template } = workload;
      if (!isCritical(manifest, template, ctx.settings)) continue;
      const podResources = template.spec.resources;
      if (isRecord(podResources) && (isRecord(podResources.limits) || isRecord(podResources.requests))) {
        const who = `pod of ${manifest.ref.kind} "${manifest.ref.name}"`;
        yield* guaranteedViolations(manifest, podResources, [...template.specPath, 'resources'], who);
        continue;
      }
      for (const container of containersOfKinds(workload, SIZED_KINDS)) {
        const base = [...container.path, 'resources'];
        yield* guaranteedViolations(
          manifest,
          container.container.resources,
          base,
          describeContainer(container),
        );
      }
    }
  },
};

const quotaMissing: Rule = {
  meta: {
    id: 'resources-namespace-quota-missing',
    category: 'resources',
    severity: 'warning',
    title: 'Every namespace that runs workloads has a ResourceQuota',
    why: 'A ResourceQuota caps what one namespace can take from the cluster, so one bad rollout is rejected by the API server instead of starving every other team on the same nodes.',
    fix: 'Add a ResourceQuota to the namespace that bounds requests.cpu, requests.memory, limits.cpu and limits.memory.',
    example: {
      bad: `# the only object in namespace shop: no ResourceQuota
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop`,
      good: `apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: shop
spec:
  hard:
    requests.cpu: "20"
    requests.memory: 40Gi
    limits.cpu: "40"
    limits.memory: 80Gi`,
      line: 6,
    },
    appliesTo:
      'Each namespace that runs workloads, once. At full severity where the checked set owns the ' +
      'namespace (it holds the Namespace object, or namespaces.owned lists it); elsewhere one info ' +
      'note per namespace, shared with the other namespace-level rules.',
  },
  *check(ctx) {
    const withQuota = new Set(ctx.index.kind('ResourceQuota').map((q) => ctx.index.namespaceOf(q)));
    for (const [namespace, members] of ctx.index.workloadNamespaces()) {
      if (withQuota.has(namespace)) continue;
      const first = members[0];
      const path = first.object.metadata.namespace ? ['metadata', 'namespace'] : ['metadata'];
      yield namespaceViolation(ctx, namespace, first, {
        path,
        missing: 'no ResourceQuota',
        ownedMessage: `namespace "${namespace}" runs workloads but has no ResourceQuota`,
      });
    }
  },
};

const ephemeralStorage: Rule = {
  meta: {
    id: 'resources-ephemeral-storage',
    category: 'resources',
    severity: 'info',
    title: 'Containers request and limit ephemeral-storage',
    why:
      'Logs, emptyDirs and files written to the container filesystem use the node disk. Without an ' +
      'ephemeral-storage request the scheduler ignores that use; without a limit one container can ' +
      'fill the disk, and the kubelet then evicts pods that did nothing wrong.',
    fix: 'Set resources.requests.ephemeral-storage and resources.limits.ephemeral-storage on every container.',
    example: {
      bad: SIZED_POD,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      resources:
        requests: {cpu: 250m, memory: 512Mi, ephemeral-storage: 256Mi}
        limits: {cpu: "1", memory: 512Mi, ephemeral-storage: 1Gi}`,
      line: 9,
    },
    appliesTo:
      'Containers and init containers of every workload kind, unless pod-level resources set it. Part ' +
      "of the same finding as the container's missing requests or limits, when it has that too.",
  },
  *check(ctx) {
    for (const workload of workloads(ctx)) {
      const { manifest, template } = workload;
      const pod = recordAt(template.spec, 'resources');
      for (const container of containersOfKinds(workload, SIZED_KINDS)) {
        const resources = recordAt(container.container, 'resources');
        const absent = (['requests', 'limits'] as const).filter((block) => {
          const set =
            recordAt(resources, block)['ephemeral-storage'] ?? recordAt(pod, block)['ephemeral-storage'];
          return set === undefined || set === null;
        });
        if (absent.length === 0) continue;
        const what =
          absent.length === 2 ? 'request or limit' : absent[0] === 'requests' ? 'request' : 'limit';
        const none = noneOf('ephemeral-storage', what);
        yield {
          manifest,
          path: [...container.path, 'resources', absent[0], 'ephemeral-storage'],
          message: `${describeContainer(container)} has ${none}`,
          cause: { key: containerCause(ctx, 'sizing', container), also: none },
        };
      }
    }
  },
};

export const rules: Rule[] = [
  requestsMissing,
  limitsMissing,
  qosNotGuaranteed,
  quotaMissing,
  ephemeralStorage,
];
