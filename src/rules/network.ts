import type { Manifest } from '../load/yaml.js';
import { suggest } from '../model/suggest.js';
import { isRecord } from '../model/types.js';
import { isLongRunning, replicasOf, selects } from '../model/workload.js';
import type { ObjectIndex } from './object-index.js';
import type { Rule, RuleContext, Violation } from './types.js';
import { namespaceViolation } from './util/namespaces.js';
import { customResourceNamespaces, findNamed, namesIn } from './util/references.js';
import {
  exampleDeployment,
  isEmptySelector,
  memo,
  named,
  podLabelIndex,
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
      line: 3,
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
      line: 3,
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
      line: 3,
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

// --- references that must resolve inside the set ------------------------------------------------

/**
 * How sure a "selects nothing" finding is: where the set holds custom resources in the namespace,
 * an operator may make the pods from them, so the finding is a note that says so.
 */
function selectsNothing(
  index: ObjectIndex,
  manifest: Manifest,
  path: Violation['path'],
  what: string,
): Violation {
  const namespace = index.namespaceOf(manifest);
  if (!customResourceNamespaces(index).has(namespace)) {
    return { manifest, path, message: `${named(manifest)} ${what} in namespace "${namespace}"` };
  }
  return {
    manifest,
    path,
    severity: 'info',
    message: `${named(manifest)} ${what} in namespace "${namespace}"; the set holds custom resources there, whose operators may make the pods`,
  };
}

function serviceExample(selector: string, extra = ''): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: web}',
    'spec:',
    `  selector: ${selector}`,
    `  ports: [{name: http, port: 80, targetPort: 8080}]${extra}`,
  ].join('\n');
}

const serviceSelectsNothing: Rule = {
  meta: {
    id: 'network-service-selects-nothing',
    category: 'network',
    severity: 'warning',
    title: 'Services select the pods of some workload in the set',
    why:
      'A Service whose selector matches no pod has no endpoints: every connection to it is refused ' +
      'or times out. It usually follows a renamed label on the workload, or a Service in the wrong ' +
      'namespace.',
    fix: "Make spec.selector match the pod template labels of the workload, in the workload's namespace.",
    example: {
      bad: `${exampleDeployment()}\n---\n${serviceExample('{app: web-v1}')}`,
      good: `${exampleDeployment()}\n---\n${serviceExample('{app: web}')}`,
      line: 18,
    },
    appliesTo:
      'Services with a selector (not ExternalName Services, nor Services whose endpoints are managed ' +
      'by hand). Where the set holds custom resources in the namespace, an info note: an operator ' +
      'may make the pods.',
  },
  *check({ index }) {
    const pods = podLabelIndex(index);
    for (const service of index.kind('Service')) {
      const spec = specOf(service);
      if (spec.type === 'ExternalName') continue;
      if (!isRecord(spec.selector) || Object.keys(spec.selector).length === 0) continue;
      if (pods.selectedBy(index.namespaceOf(service), spec.selector).length > 0) continue;
      yield selectsNothing(index, service, ['spec', 'selector'], 'selects no pods of a workload in the set');
    }
  },
};

const networkPolicySelectsNothing: Rule = {
  meta: {
    id: 'network-policy-selects-nothing',
    category: 'network',
    severity: 'warning',
    title: 'NetworkPolicies select the pods of some workload in the set',
    why:
      'A NetworkPolicy whose podSelector matches no pod protects nothing, silently: the workload it ' +
      'was written for stays open (or stays cut off from what the policy would allow) while ' +
      'everybody believes otherwise.',
    fix: "Make spec.podSelector match the pod template labels of the workload, in the workload's namespace.",
    example: {
      bad: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{matchLabels: {app: web-v1}}', 'ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]')}`,
      good: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{matchLabels: {app: web}}', 'ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]')}`,
      line: 18,
    },
    appliesTo:
      'NetworkPolicies whose podSelector is not empty, in namespaces where the set runs workloads. ' +
      'Where the set holds custom resources in the namespace, an info note.',
  },
  *check({ index }) {
    const pods = podLabelIndex(index);
    const running = new Set(pods.namespaces());
    for (const policy of index.kind('NetworkPolicy')) {
      const selector = specOf(policy).podSelector;
      const namespace = index.namespaceOf(policy);
      if (isEmptySelector(selector) || !running.has(namespace)) continue;
      if (pods.selectedBy(namespace, selector).length > 0) continue;
      yield selectsNothing(
        index,
        policy,
        ['spec', 'podSelector'],
        'selects no pods of a workload in the set',
      );
    }
  },
};

/** A Service port as a backend names it: by number (`port`) or by name. */
function servicePortExists(service: Manifest, port: unknown): boolean {
  if (port === undefined || port === null) return true;
  const ports = Array.isArray(specOf(service).ports)
    ? (specOf(service).ports as unknown[]).filter(isRecord)
    : [];
  return ports.some((p) => String(p.port) === String(port) || (typeof port === 'string' && p.name === port));
}

interface Backend {
  path: Violation['path'];
  /** Where the port is named (or would be). */
  portPath: Violation['path'];
  namespace: string;
  name: string;
  port: unknown;
  /** `/api` or `host example.com`: what the backend serves, for the message. */
  serves: string;
}

/** The Service backends an Ingress (networking.k8s.io/v1, or the old serviceName form) names. */
function ingressBackends(index: ObjectIndex, ingress: Manifest): Backend[] {
  const namespace = index.namespaceOf(ingress);
  const out: Backend[] = [];
  const add = (backend: unknown, path: Violation['path'], serves: string) => {
    if (!isRecord(backend)) return;
    if (isRecord(backend.service) && typeof backend.service.name === 'string') {
      const port = isRecord(backend.service.port)
        ? (backend.service.port.number ?? backend.service.port.name)
        : undefined;
      const at = [...path, 'service'];
      out.push({ path: at, portPath: [...at, 'port'], namespace, name: backend.service.name, port, serves });
    } else if (typeof backend.serviceName === 'string') {
      const portPath = [...path, 'servicePort'];
      out.push({ path, portPath, namespace, name: backend.serviceName, port: backend.servicePort, serves });
    }
  };
  const spec = specOf(ingress);
  add(
    spec.defaultBackend ?? spec.backend,
    ['spec', spec.defaultBackend ? 'defaultBackend' : 'backend'],
    'by default',
  );
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule, i) => {
    if (!isRecord(rule) || !isRecord(rule.http) || !Array.isArray(rule.http.paths)) return;
    const host = typeof rule.host === 'string' ? rule.host : '';
    rule.http.paths.forEach((p, j) => {
      if (!isRecord(p)) return;
      const serves = `${host}${typeof p.path === 'string' ? p.path : '/'}`;
      add(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend'], serves);
    });
  });
  return out;
}

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

/** The Service backendRefs of a Gateway API route. */
function routeBackends(index: ObjectIndex, route: Manifest): Backend[] {
  const out: Backend[] = [];
  const rules = specOf(route).rules;
  (Array.isArray(rules) ? rules : []).forEach((rule, i) => {
    if (!isRecord(rule) || !Array.isArray(rule.backendRefs)) return;
    rule.backendRefs.forEach((ref, j) => {
      if (!isRecord(ref) || typeof ref.name !== 'string') return;
      if ((ref.kind ?? 'Service') !== 'Service' || ((ref.group as string | undefined) ?? '') !== '') return;
      const namespace = typeof ref.namespace === 'string' ? ref.namespace : index.namespaceOf(route);
      out.push({
        path: ['spec', 'rules', i, 'backendRefs', j],
        portPath: ['spec', 'rules', i, 'backendRefs', j, 'port'],
        namespace,
        name: ref.name,
        port: ref.port,
        serves: `rule ${i + 1}`,
      });
    });
  });
  return out;
}

function ingressExample(service: string, port: string): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata: {name: web}',
    'spec:',
    '  rules:',
    '    - host: shop.example.com',
    '      http:',
    '        paths:',
    `          - {path: /, pathType: Prefix, backend: {service: {name: ${service}, port: {${port}}}}}`,
  ].join('\n');
}

const backendMissing: Rule = {
  meta: {
    id: 'network-backend-missing',
    category: 'network',
    severity: 'error',
    title: 'Ingresses and Gateway API routes send traffic to a Service and port that exist',
    why:
      'A backend that names a Service or port that is not there answers every request with an error ' +
      '(a 503 from the ingress controller, or a route the Gateway marks unresolved): the path is down ' +
      'from the first request.',
    fix: 'Name a Service the set defines in that namespace, and one of its ports (by number or by name).',
    example: {
      bad: `${serviceExample('{app: web}')}\n---\n${ingressExample('web', 'number: 8080')}`,
      good: `${serviceExample('{app: web}')}\n---\n${ingressExample('web', 'name: http')}`,
      line: 16,
    },
    appliesTo:
      'Ingress backends and the Service backendRefs of HTTPRoute, GRPCRoute, TCPRoute, TLSRoute and ' +
      'UDPRoute, in namespaces where the set defines Services (elsewhere the Service may come from ' +
      'another source).',
  },
  *check({ index }) {
    const sources = [
      ...index.kind('Ingress').map((m) => ({ m, backends: ingressBackends(index, m) })),
      ...ROUTE_KINDS.flatMap((k) => index.kind(k)).map((m) => ({ m, backends: routeBackends(index, m) })),
    ];
    for (const { m, backends } of sources) {
      for (const b of backends) {
        const defined = namesIn(index, 'Service', b.namespace);
        if (defined.size === 0) continue;
        const service = findNamed(index, 'Service', b.namespace, b.name);
        if (!service) {
          yield {
            manifest: m,
            path: b.path,
            message: `${named(m)} sends ${b.serves} to Service "${b.name}", which the set does not define in namespace "${b.namespace}"${suggest(b.name, defined)}`,
          };
        } else if (!servicePortExists(service, b.port)) {
          yield {
            manifest: m,
            path: b.portPath,
            message: `${named(m)} sends ${b.serves} to port ${String(b.port)} of Service "${b.name}", which has no such port`,
          };
        }
      }
    }
  },
};

const statefulSetService: Rule = {
  meta: {
    id: 'network-statefulset-service',
    category: 'network',
    severity: 'warning',
    title: 'StatefulSets name a headless Service that selects their pods',
    why:
      "A StatefulSet's pods get stable DNS names (db-0.db) only through the headless Service named " +
      'by spec.serviceName. Without it, or with a Service that has a cluster IP, peers cannot find ' +
      'each other by name and replication or leader election breaks.',
    fix: 'Set spec.serviceName to a Service with clusterIP: None whose selector matches the pod labels.',
    example: {
      bad: [
        'apiVersion: apps/v1',
        'kind: StatefulSet',
        'metadata: {name: db}',
        'spec:',
        '  serviceName: db',
        '  selector: {matchLabels: {app: db}}',
        '  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: ghcr.io/acme/db:1.4.2}]}}',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: db}',
        'spec: {selector: {app: db}, ports: [{port: 5432}]}',
      ].join('\n'),
      good: [
        'apiVersion: apps/v1',
        'kind: StatefulSet',
        'metadata: {name: db}',
        'spec:',
        '  serviceName: db',
        '  selector: {matchLabels: {app: db}}',
        '  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: ghcr.io/acme/db:1.4.2}]}}',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: db}',
        'spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}',
      ].join('\n'),
      line: 5,
    },
    appliesTo:
      'StatefulSets. A serviceName the set does not define is reported only where the set defines ' +
      'Services in that namespace (elsewhere it may come from another source). A missing Service ' +
      'is a note for a single replica, which has no peers to find by name.',
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      if (w.manifest.object.kind !== 'StatefulSet') continue;
      const spec = specOf(w.manifest);
      const name = typeof spec.serviceName === 'string' ? spec.serviceName : '';
      const at: Violation['path'] = ['spec', 'serviceName'];
      // Without the Service the pods still run; only peers that address each other by name break.
      // With one replica there are no peers, so a missing Service is a note.
      const replicas = replicasOf(w.manifest.object) ?? 1;
      // The message does not depend on the replica count, so that targets of one chart with different
      // values (dev with one replica, prod with three) report the same finding on the same line.
      const missing = (text: string): Violation => ({
        manifest: w.manifest,
        path: at,
        message: `${text}: its pods get no stable DNS names, which replicas that find each other by name need`,
        ...(replicas < 2 && { severity: 'info' as const }),
      });
      if (name === '') {
        yield missing(`${named(w.manifest)} names no governing Service (spec.serviceName)`);
        continue;
      }
      const service = findNamed(index, 'Service', w.namespace, name);
      if (!service) {
        const defined = namesIn(index, 'Service', w.namespace);
        if (defined.size === 0) continue;
        yield missing(
          `${named(w.manifest)} names Service "${name}", which the set does not define in namespace "${w.namespace}"${suggest(name, defined)}`,
        );
        continue;
      }
      const serviceSpec = specOf(service);
      if (serviceSpec.clusterIP !== 'None') {
        yield {
          manifest: w.manifest,
          path: at,
          message: `${named(w.manifest)} names Service "${name}", which is not headless (clusterIP: None): its pods get no stable DNS names`,
        };
      } else if (isRecord(serviceSpec.selector) && !selects(serviceSpec.selector, w.template.labels)) {
        yield {
          manifest: w.manifest,
          path: at,
          message: `${named(w.manifest)} names Service "${name}", whose selector does not match its pods`,
        };
      }
    }
  },
};

export const rules: Rule[] = [
  defaultDenyIngress,
  defaultDenyEgress,
  policySelectsWorkload,
  serviceSelectsNothing,
  networkPolicySelectsNothing,
  backendMissing,
  statefulSetService,
];
