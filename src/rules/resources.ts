import { isRecord } from '../model/types.js';
import { containersOf } from '../model/workload.js';
import type { Rule, RuleContext, Violation } from './types.js';
import {
  describeContainer,
  isCritical,
  recordAt,
  type WorkloadContainer,
  workloadContainers,
  workloads,
} from './util/containers.js';
import { sameQuantity } from './util/quantity.js';

/** The `resources` checklist category. */

const RESOURCES = ['cpu', 'memory'] as const;
/** Ephemeral containers may not set resources (the API rejects them), so they are not asked to. */
const SIZED_KINDS = ['containers', 'initContainers'] as const;

/**
 * Missing `requests` or `limits`: one finding for the whole block when it is absent, otherwise
 * one per missing resource, each at the path the field should have.
 */
function* missing(ctx: RuleContext, block: 'requests' | 'limits'): Generator<Violation> {
  const noun = block === 'requests' ? 'request' : 'limit';
  for (const { manifest, container } of workloadContainers(ctx, SIZED_KINDS)) {
    const resources = recordAt(container.container, 'resources');
    const base = [...container.path, 'resources', block];
    const values = resources[block];
    if (!isRecord(values)) {
      yield { manifest, path: base, message: `${describeContainer(container)} has no cpu or memory ${noun}` };
      continue;
    }
    for (const resource of RESOURCES) {
      if (values[resource] === undefined || values[resource] === null) {
        yield {
          manifest,
          path: [...base, resource],
          message: `${describeContainer(container)} has no ${resource} ${noun}`,
        };
      }
    }
  }
}

const requestsMissing: Rule = {
  meta: {
    id: 'resources-requests-missing',
    category: 'resources',
    severity: 'error',
    title: 'Every container requests cpu and memory',
    why: 'The scheduler places pods by their requests. Without them a pod lands on a node that cannot hold it, and it is the first to be evicted under memory pressure.',
    fix: 'Set resources.requests.cpu and resources.requests.memory on every container and init container, sized from observed usage under load.',
    example: {
      bad: `containers:
  - name: app
    image: ghcr.io/acme/app:1.4.2
    resources: {}`,
      good: `containers:
  - name: app
    image: ghcr.io/acme/app:1.4.2
    resources:
      requests: { cpu: 250m, memory: 512Mi }
      limits: { cpu: "1", memory: 512Mi }`,
    },
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
      bad: `containers:
  - name: app
    resources:
      requests: { cpu: 250m, memory: 512Mi }`,
      good: `containers:
  - name: app
    resources:
      requests: { cpu: 250m, memory: 512Mi }
      limits: { cpu: "1", memory: 512Mi }`,
    },
  },
  check: (ctx) => missing(ctx, 'limits'),
};

/**
 * Guaranteed QoS needs, on every container and init container, a limit for cpu and memory and
 * a request equal to it (an absent request defaults to the limit, as the API server does).
 */
function* guaranteedViolations({ manifest, container }: WorkloadContainer): Generator<Violation> {
  const resources = recordAt(container.container, 'resources');
  const requests = recordAt(resources, 'requests');
  const limits = recordAt(resources, 'limits');
  const who = describeContainer(container);
  for (const resource of RESOURCES) {
    const limit = limits[resource];
    const request = requests[resource] ?? limit;
    if (limit === undefined || limit === null) {
      yield {
        manifest,
        path: [...container.path, 'resources', 'limits', resource],
        message: `${who} has no ${resource} limit, so the critical workload is not Guaranteed QoS`,
      };
    } else if (!sameQuantity(request, limit)) {
      yield {
        manifest,
        path: [...container.path, 'resources', 'requests', resource],
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
      bad: `kind: Deployment
metadata:
  name: checkout
  labels: { shipshape.io/critical: "true" }
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests: { cpu: 500m, memory: 1Gi }
            limits: { cpu: "2", memory: 2Gi }`,
      good: `kind: Deployment
metadata:
  name: checkout
  labels: { shipshape.io/critical: "true" }
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests: { cpu: "1", memory: 2Gi }
            limits: { cpu: "1", memory: 2Gi }`,
    },
  },
  *check(ctx) {
    for (const { manifest, template } of workloads(ctx)) {
      if (!isCritical(manifest, template, ctx.settings)) continue;
      for (const container of containersOf(manifest.object, SIZED_KINDS)) {
        yield* guaranteedViolations({ manifest, template, container });
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
    },
  },
  *check(ctx) {
    const withQuota = new Set(ctx.index.kind('ResourceQuota').map((q) => ctx.index.namespaceOf(q)));
    for (const [namespace, members] of ctx.index.workloadNamespaces()) {
      if (withQuota.has(namespace)) continue;
      const first = members[0];
      const path = first.object.metadata.namespace ? ['metadata', 'namespace'] : ['metadata'];
      yield {
        manifest: first,
        path,
        message: `namespace "${namespace}" runs workloads but has no ResourceQuota`,
      };
    }
  },
};

export const rules: Rule[] = [requestsMissing, limitsMissing, qosNotGuaranteed, quotaMissing];
