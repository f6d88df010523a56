import type { Manifest } from '../load/yaml.js';
import { isRecord } from '../model/types.js';
import { isLongRunning } from '../model/workload.js';
import type { ObjectIndex } from './object-index.js';
import type { Rule, RuleContext, Violation } from './types.js';
import { namespaceViolation } from './util/namespaces.js';
import {
  exampleDeployment,
  isEmptySelector,
  memo,
  named,
  SelectorIndex,
  workloadInfos,
} from './util/selection.js';

/**
 * The `network` checklist category. Kubernetes networking is flat and open by default: any pod
 * can reach any other. A default-deny NetworkPolicy per namespace closes it, and a policy that
 * selects each workload opens exactly what that workload needs.
 */

type Direction = 'Ingress' | 'Egress';

/** A policy's own spec, or an empty one. */
function specOf(policy: Manifest): Record<string, unknown> {
  return isRecord(policy.object.spec) ? policy.object.spec : {};
}

/**
 * The directions a policy governs. Without policyTypes, Kubernetes assumes Ingress, plus Egress
 * when the policy has egress rules.
 */
function policyTypes(spec: Record<string, unknown>): Direction[] {
  if (Array.isArray(spec.policyTypes)) {
    return spec.policyTypes.filter((t): t is Direction => t === 'Ingress' || t === 'Egress');
  }
  return Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/**
 * Does this policy deny all traffic in a direction for every pod of its namespace? That takes an
 * empty podSelector (a missing one decodes to the same), the direction among its types, and no
 * rule allowing anything in it (`ingress: [{}]` would allow everything).
 */
export function deniesAll(policy: Manifest, direction: Direction): boolean {
  const spec = specOf(policy);
  if (!isEmptySelector(spec.podSelector)) return false;
  if (!policyTypes(spec).includes(direction)) return false;
  const allow = spec[direction === 'Ingress' ? 'ingress' : 'egress'];
  return allow === undefined || allow === null || (Array.isArray(allow) && allow.length === 0);
}

/** NetworkPolicies by their podSelector, per namespace. */
function policyIndex(index: ObjectIndex): SelectorIndex<Manifest> {
  return memo(index, 'network:policies', () => {
    const policies = new SelectorIndex<Manifest>();
    for (const p of index.kind('NetworkPolicy')) {
      const selector = specOf(p).podSelector;
      policies.add(index.namespaceOf(p), selector ?? {}, p);
    }
    return policies;
  });
}

/**
 * Once per namespace that runs workloads, on its first workload, when no policy denies by default:
 * at the rule's severity where the checked set owns the namespace, else a note (see namespaces.ts).
 */
function* namespacesWithoutDefaultDeny(ctx: RuleContext, direction: Direction): Iterable<Violation> {
  const { index } = ctx;
  const missing = `no default-deny ${direction.toLowerCase()} NetworkPolicy`;
  for (const [namespace, workloads] of index.workloadNamespaces()) {
    if (index.inNamespace('NetworkPolicy', namespace).some((p) => deniesAll(p, direction))) continue;
    const count = workloads.length === 1 ? '1 workload' : `${workloads.length} workloads`;
    yield namespaceViolation(ctx, namespace, workloads[0], {
      path: ['metadata'],
      missing,
      ownedMessage: `Namespace "${namespace}" runs ${count} (${named(workloads[0])} first) without a default-deny ${direction.toLowerCase()} NetworkPolicy`,
      ownedCause: `default-deny\u0000${namespace}`,
    });
  }
}

const NAMESPACE_APPLIES_TO =
  'Each namespace that runs workloads, once. At full severity where the checked set owns the ' +
  'namespace (it holds the Namespace object, or namespaces.owned lists it); elsewhere one info note ' +
  'per namespace, shared with the other namespace-level rules.';

function policyExample(namespace: string, podSelector: string, rest: string): string {
  const name = podSelector === '{}' ? 'default-deny' : 'allow';
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'spec:',
    `  podSelector: ${podSelector}`,
    `  ${rest}`,
  ].join('\n');
}

const defaultDenyIngress: Rule = {
  meta: {
    id: 'network-default-deny-ingress',
    category: 'network',
    severity: 'warning',
    title: 'Every namespace that runs workloads has a default-deny ingress NetworkPolicy',
    why:
      'Without a default-deny policy, every pod in the cluster can connect to every pod in the ' +
      'namespace, so one compromised pod anywhere can reach your databases and internal APIs. ' +
      'A default deny makes each allowed connection an explicit, reviewed policy.',
    fix:
      'Add a NetworkPolicy with an empty podSelector, policyTypes [Ingress] and no ingress rules to ' +
      'the namespace, then allow the traffic each workload needs with its own policy.',
    example: {
      bad: exampleDeployment({ namespace: 'shop' }),
      good: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{}', 'policyTypes: [Ingress, Egress]')}`,
    },
    appliesTo: NAMESPACE_APPLIES_TO,
  },
  check: (ctx) => namespacesWithoutDefaultDeny(ctx, 'Ingress'),
};

const defaultDenyEgress: Rule = {
  meta: {
    id: 'network-default-deny-egress',
    category: 'network',
    severity: 'info',
    title: 'Every namespace that runs workloads has a default-deny egress NetworkPolicy',
    why:
      'Denying egress by default limits what a compromised pod can reach: the cloud metadata ' +
      'endpoint, other namespaces, the internet for exfiltration. It takes more care than ingress ' +
      '(DNS must be allowed explicitly), so it is a lower-severity expectation.',
    fix:
      "Add Egress to the policyTypes of the namespace's default-deny policy (no egress rules), and " +
      'allow DNS and the destinations each workload needs in their own policies.',
    example: {
      bad: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{}', 'policyTypes: [Ingress]')}`,
      good: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{}', 'policyTypes: [Ingress, Egress]')}`,
    },
    appliesTo: NAMESPACE_APPLIES_TO,
  },
  check: (ctx) => namespacesWithoutDefaultDeny(ctx, 'Egress'),
};

const policySelectsWorkload: Rule = {
  meta: {
    id: 'network-policy-missing',
    category: 'network',
    severity: 'warning',
    title: "Every workload's pods are selected by a NetworkPolicy in its namespace",
    why:
      'A pod that no NetworkPolicy selects accepts connections from anywhere in the cluster. ' +
      'Selecting it (with the default deny, or a policy of its own that names its allowed peers) ' +
      'puts its traffic under review. Pods on the host network are not affected by policies and ' +
      'are left out.',
    fix: 'Add a NetworkPolicy in the same namespace whose podSelector matches the pod labels.',
    example: {
      bad: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{matchLabels: {app: api}}', 'ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]')}`,
      good: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{matchLabels: {app: web}}', 'ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]')}`,
    },
    appliesTo:
      'Workloads that keep pods running, except pods on the host network (policies do not apply to ' +
      'them). Not Jobs, CronJobs, Pods that run once, or Helm and Argo CD hooks: they serve nothing ' +
      'for long.',
  },
  *check({ index }) {
    const policies = policyIndex(index);
    for (const w of workloadInfos(index)) {
      if (w.template.spec.hostNetwork === true || !isLongRunning(w.manifest.object)) continue;
      if (policies.selecting(w.namespace, w.template.labels).length > 0) continue;
      yield {
        manifest: w.manifest,
        path: ['metadata'],
        message: `${named(w.manifest)} runs pods that no NetworkPolicy in namespace "${w.namespace}" selects`,
      };
    }
  },
};

export const rules: Rule[] = [defaultDenyIngress, defaultDenyEgress, policySelectsWorkload];
