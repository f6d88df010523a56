import { describe, expect, it } from 'vitest';
import { check, dedent, lineOf } from './helpers.js';

const docs = (...parts: string[]) => parts.map((p) => dedent(p).replace(/\n\s*$/, '\n')).join('---\n');

function deployment(name: string, namespace?: string, extra = '') {
  return `
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ${name}${namespace ? `\n      namespace: ${namespace}` : ''}
    spec:
      replicas: 2
      selector:
        matchLabels: {app: ${name}}
      template:
        metadata:
          labels: {app: ${name}, tier: backend}
        spec:${extra}
          containers:
            - name: app
              image: ${name}:1.0
    `;
}

function policy(name: string, spec: string, namespace?: string) {
  return `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: ${name}${namespace ? `\n      namespace: ${namespace}` : ''}
    spec:
      ${spec.trim().split('\n').join('\n      ')}
    `;
}

const denyAll = (namespace?: string) =>
  policy('default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]', namespace);

describe('network-default-deny-ingress', () => {
  const rule = 'network-default-deny-ingress';

  it('reports once per namespace, on the first workload there', () => {
    const yaml = docs(deployment('web', 'shop'), deployment('api', 'shop'), deployment('db', 'data'));
    const findings = check(yaml, rule, { ownedNamespaces: ['shop', 'data'] });
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(findings.map((f) => [f.object.name, f.path, f.location.line, f.message])).toEqual([
      [
        'web',
        'metadata',
        lineOf(yaml, 'metadata:'),
        'Namespace "shop" runs 2 workloads (Deployment "web" first) without a default-deny ingress NetworkPolicy',
      ],
      [
        'db',
        'metadata',
        lineOf(yaml, 'metadata:', 5),
        'Namespace "data" runs 1 workload (Deployment "db" first) without a default-deny ingress NetworkPolicy',
      ],
    ]);
  });

  it('passes with an empty podSelector and no ingress rules', () => {
    expect(check(docs(deployment('web'), denyAll()), rule)).toEqual([]);
    // Without policyTypes, a policy governs Ingress.
    expect(check(docs(deployment('web'), policy('deny', 'podSelector: {}')), rule)).toEqual([]);
    // A missing podSelector decodes to an empty one: every pod.
    expect(check(docs(deployment('web'), policy('deny', 'policyTypes: [Ingress]')), rule)).toEqual([]);
  });

  it('does not count policies that select some pods, allow traffic, or only govern egress', () => {
    const notDenying = [
      policy('p', 'podSelector:\n  matchLabels: {app: web}\npolicyTypes: [Ingress]'),
      policy('p', 'podSelector: {}\npolicyTypes: [Ingress]\ningress:\n  - {}'),
      policy('p', 'podSelector: {}\npolicyTypes: [Egress]'),
    ];
    for (const p of notDenying) expect(check(docs(deployment('web'), p), rule)).toHaveLength(1);
  });

  it('does not count a default deny in another namespace', () => {
    const yaml = docs(deployment('web', 'shop'), denyAll('billing'));
    expect(check(yaml, rule).map((f) => f.object.name)).toEqual(['web']);
  });

  it('says nothing about namespaces without workloads or about unknown kinds', () => {
    const crd = `
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: w, namespace: shop}
      spec: {replicas: 1}
      `;
    expect(check(crd, rule)).toEqual([]);
  });
});

describe('namespace-level rules in namespaces the checked set does not own', () => {
  const namespaceRules = [
    'network-default-deny-ingress',
    'network-default-deny-egress',
    'resources-namespace-quota-missing',
  ];
  const namespace = (name: string) => `
    apiVersion: v1
    kind: Namespace
    metadata: {name: ${name}}
    `;

  it('are one info note per namespace, naming everything not checked there', () => {
    const yaml = docs(deployment('web', 'shop'), deployment('api', 'shop'), deployment('db', 'data'));
    const findings = check(yaml, namespaceRules);
    expect(findings.map((f) => [f.object.name, f.severity, f.ruleId])).toEqual([
      ['web', 'info', 'resources-namespace-quota-missing'],
      ['db', 'info', 'resources-namespace-quota-missing'],
    ]);
    expect(findings[0].message).toBe(
      'namespace "shop" (where Deployment "web" runs) has no ResourceQuota in the checked set, which does not own the namespace (no Namespace object, not in namespaces.owned): it may be managed elsewhere; also: no default-deny ingress NetworkPolicy (network-default-deny-ingress); no default-deny egress NetworkPolicy (network-default-deny-egress)',
    );
    expect(findings[0].remediation).toMatch(/namespaces\.owned/);
  });

  it('are raised at their severity where the set holds the Namespace object', () => {
    const yaml = docs(namespace('shop'), deployment('web', 'shop'), deployment('db', 'data'));
    const findings = check(yaml, namespaceRules);
    expect(findings.map((f) => [f.object.name, f.severity, f.ruleId])).toEqual([
      ['web', 'warning', 'network-default-deny-ingress'],
      ['web', 'warning', 'resources-namespace-quota-missing'],
      ['db', 'info', 'resources-namespace-quota-missing'],
    ]);
    // Ingress and egress default deny are one policy to write: one finding.
    expect(findings[0].message).toMatch(
      /without a default-deny ingress NetworkPolicy; also: no default-deny egress NetworkPolicy \(network-default-deny-egress\)$/,
    );
  });

  it('are raised at their severity in namespaces the config lists, by name or glob', () => {
    const yaml = docs(deployment('web', 'team-a'), deployment('db', 'data'));
    const severities = (owned: string[]) =>
      check(yaml, 'network-default-deny-ingress', { ownedNamespaces: owned }).map((f) => f.severity);
    expect(severities(['team-*'])).toEqual(['warning', 'info']);
    expect(severities(['data'])).toEqual(['info', 'warning']);
    expect(severities([])).toEqual(['info', 'info']);
  });

  it('stay separate findings when one of them is suppressed on the workload', () => {
    const suppressed = deployment('web', 'shop').replace(
      'name: web',
      'name: web\n      annotations: {shipshape.io/ignore.network-default-deny-ingress: "central policy"}',
    );
    const findings = check(suppressed, namespaceRules);
    expect(findings.map((f) => f.ruleId).sort()).toEqual([
      'network-default-deny-ingress',
      'resources-namespace-quota-missing',
    ]);
  });
});

describe('network-default-deny-egress', () => {
  const rule = 'network-default-deny-egress';

  it('reports a namespace whose default deny covers only ingress', () => {
    const yaml = docs(deployment('web'), policy('deny', 'podSelector: {}\npolicyTypes: [Ingress]'));
    const [f, ...rest] = check(yaml, rule, { ownedNamespaces: ['default'] });
    expect(rest).toEqual([]);
    expect(f.severity).toBe('info');
    expect(f.message).toBe(
      'Namespace "default" runs 1 workload (Deployment "web" first) without a default-deny egress NetworkPolicy',
    );
    expect(f.location.line).toBe(lineOf(yaml, 'metadata:'));
  });

  it('passes Egress in policyTypes with no egress rules', () => {
    expect(check(docs(deployment('web'), denyAll()), rule)).toEqual([]);
  });

  it('does not count a policy with egress rules', () => {
    const allowDns = policy(
      'dns',
      'podSelector: {}\npolicyTypes: [Egress]\negress:\n  - ports: [{port: 53, protocol: UDP}]',
    );
    expect(check(docs(deployment('web'), allowDns), rule)).toHaveLength(1);
  });
});

describe('network-policy-missing', () => {
  const rule = 'network-policy-missing';

  it('flags a workload no policy in its namespace selects, on its metadata', () => {
    const yaml = docs(
      deployment('web', 'shop'),
      policy('api', 'podSelector:\n  matchLabels: {app: api}', 'shop'),
      policy('web', 'podSelector:\n  matchLabels: {app: web}', 'billing'),
    );
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe('Deployment "web" runs pods that no NetworkPolicy in namespace "shop" selects');
    expect(f.path).toBe('metadata');
    expect(f.location.line).toBe(lineOf(yaml, 'metadata:'));
  });

  it('passes a workload selected by its own policy or by the default deny', () => {
    expect(
      check(docs(deployment('web'), policy('web', 'podSelector:\n  matchLabels: {app: web}')), rule),
    ).toEqual([]);
    expect(check(docs(deployment('web'), denyAll()), rule)).toEqual([]);
  });

  it('understands matchExpressions', () => {
    const byTier = (op: string) =>
      policy(
        'backend',
        `podSelector:\n  matchExpressions:\n    - {key: tier, operator: ${op}, values: [backend]}`,
      );
    expect(check(docs(deployment('web'), byTier('In')), rule)).toEqual([]);
    expect(check(docs(deployment('web'), byTier('NotIn')), rule)).toHaveLength(1);
  });

  it('leaves run-to-completion work alone: Jobs, CronJobs and hook pods', () => {
    const job = (annotations: string) => `
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: migrate${annotations}
      spec:
        template:
          metadata: {labels: {app: migrate}}
          spec:
            restartPolicy: Never
            containers: [{name: m, image: m:1}]
      `;
    const helmTest = `
      apiVersion: v1
      kind: Pod
      metadata: {name: t, annotations: {helm.sh/hook: test}}
      spec:
        containers: [{name: t, image: t:1}]
      `;
    expect(
      check(docs(job(''), job('\n        annotations: {helm.sh/hook: pre-upgrade}'), helmTest), rule),
    ).toEqual([]);
    expect(check(docs(deployment('web')), rule)).toHaveLength(1);
  });

  it('leaves pods on the host network alone (policies do not apply to them)', () => {
    expect(check(deployment('agent', undefined, '\n          hostNetwork: true'), rule)).toEqual([]);
  });
});

function service(name: string, selector: string, extra = '', namespace?: string) {
  return `
    apiVersion: v1
    kind: Service
    metadata:
      name: ${name}${namespace ? `\n      namespace: ${namespace}` : ''}
    spec:
      selector: ${selector}
      ports: [{name: http, port: 80, targetPort: 8080}]${extra}
    `;
}

describe('network-service-selects-nothing', () => {
  const rule = 'network-service-selects-nothing';

  it('flags a Service whose selector matches no pods in its namespace, on the selector', () => {
    const yaml = docs(deployment('web', 'shop'), service('web', '{app: web-v1}', '', 'shop'));
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect([f.message, f.severity, f.location.line]).toEqual([
      'Service "web" selects no pods of a workload in the set in namespace "shop"',
      'warning',
      lineOf(yaml, 'selector: {app: web-v1}'),
    ]);
    // The right labels, but the Service sits in another namespace.
    expect(check(docs(deployment('web', 'shop'), service('web', '{app: web}')), rule)).toHaveLength(1);
  });

  it('passes a Service that selects pods, one without a selector, and an ExternalName Service', () => {
    expect(check(docs(deployment('web'), service('web', '{app: web, tier: backend}')), rule)).toEqual([]);
    expect(check(docs(deployment('web'), service('db', '{}')), rule)).toEqual([]);
    const external = service(
      'mail',
      '{app: mail}',
      '\n      type: ExternalName\n      externalName: mail.example.com',
    );
    expect(check(docs(deployment('web'), external), rule)).toEqual([]);
  });

  it('is a note where custom resources in the namespace may make the pods (operators)', () => {
    const prometheus = `
      apiVersion: monitoring.coreos.com/v1
      kind: Prometheus
      metadata: {name: main, namespace: monitoring}
      spec: {replicas: 2}
      `;
    const yaml = docs(
      prometheus,
      service('prometheus', '{app.kubernetes.io/name: prometheus}', '', 'monitoring'),
    );
    const [f] = check(yaml, rule);
    expect(f.severity).toBe('info');
    expect(f.message).toMatch(/custom resources there, whose operators may make the pods$/);
  });
});

describe('network-policy-selects-nothing', () => {
  const rule = 'network-policy-selects-nothing';

  it('flags a policy whose podSelector matches no pods, in a namespace that runs workloads', () => {
    const yaml = docs(
      deployment('web', 'shop'),
      policy('api', 'podSelector:\n  matchLabels: {app: api}', 'shop'),
    );
    expect(check(yaml, rule).map((f) => [f.message, f.location.line])).toEqual([
      [
        'NetworkPolicy "api" selects no pods of a workload in the set in namespace "shop"',
        lineOf(yaml, 'podSelector:'),
      ],
    ]);
  });

  it('passes a default deny, a policy that selects pods, and namespaces the set runs nothing in', () => {
    expect(check(docs(deployment('web'), denyAll()), rule)).toEqual([]);
    expect(
      check(docs(deployment('web'), policy('web', 'podSelector:\n  matchLabels: {app: web}')), rule),
    ).toEqual([]);
    expect(check(policy('api', 'podSelector:\n  matchLabels: {app: api}', 'shared'), rule)).toEqual([]);
  });
});

describe('network-backend-missing', () => {
  const rule = 'network-backend-missing';
  const ingress = (backend: string, namespace = 'shop') => `
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: shop, namespace: ${namespace}}
    spec:
      rules:
        - host: shop.example.com
          http:
            paths:
              - path: /api
                pathType: Prefix
                backend:
                  service: ${backend}
    `;
  const route = (ref: string) => `
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: shop, namespace: shop}
    spec:
      parentRefs: [{name: public}]
      rules:
        - backendRefs:
            - ${ref}
    `;
  const web = service('web', '{app: web}', '', 'shop');

  it('flags an Ingress backend naming a Service the set does not define, with a suggestion', () => {
    const yaml = docs(web, ingress('{name: wbe, port: {number: 80}}'));
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect([f.message, f.severity, f.path, f.location.line]).toEqual([
      'Ingress "shop" sends shop.example.com/api to Service "wbe", which the set does not define in namespace "shop" (did you mean "web"?)',
      'error',
      'spec.rules[0].http.paths[0].backend.service',
      lineOf(yaml, 'service: {name: wbe'),
    ]);
  });

  it('flags a port the Service does not have, by number or by name', () => {
    expect(
      check(docs(web, ingress('{name: web, port: {number: 8080}}')), rule).map((f) => f.message),
    ).toEqual([
      'Ingress "shop" sends shop.example.com/api to port 8080 of Service "web", which has no such port',
    ]);
    expect(check(docs(web, ingress('{name: web, port: {name: grpc}}')), rule)).toHaveLength(1);
    expect(check(docs(web, ingress('{name: web, port: {name: http}}')), rule)).toEqual([]);
    expect(check(docs(web, ingress('{name: web, port: {number: 80}}')), rule)).toEqual([]);
  });

  it('checks Gateway API routes, in the namespace they name', () => {
    expect(check(docs(web, route('{name: web, port: 80}')), rule)).toEqual([]);
    expect(check(docs(web, route('{name: api, port: 80}')), rule).map((f) => f.message)).toEqual([
      'HTTPRoute "shop" sends rule 1 to Service "api", which the set does not define in namespace "shop"',
    ]);
    expect(check(docs(web, route('{name: web, port: 443}')), rule)).toHaveLength(1);
    // Other kinds of backend, and namespaces where the set defines no Service, are not judged.
    expect(check(docs(web, route('{kind: Bucket, group: storage.example.com, name: x}')), rule)).toEqual([]);
    expect(check(docs(web, route('{name: api, namespace: payments, port: 80}')), rule)).toEqual([]);
    expect(check(ingress('{name: api, port: {number: 80}}', 'payments'), rule)).toEqual([]);
  });
});

describe('network-statefulset-service', () => {
  const rule = 'network-statefulset-service';
  const statefulSet = (serviceName: string) => `
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:${serviceName ? `\n      serviceName: ${serviceName}` : ''}
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec:
          containers: [{name: db, image: db:1}]
    `;
  const headless = (name: string, selector = '{app: db}') =>
    service(name, selector, '\n      clusterIP: None');

  it('passes a headless Service that selects the pods', () => {
    expect(check(docs(statefulSet('db'), headless('db')), rule)).toEqual([]);
  });

  it('flags a missing serviceName, a Service with a cluster IP, and one that selects other pods', () => {
    const messages = (...parts: string[]) => check(docs(...parts), rule).map((f) => f.message);
    expect(messages(statefulSet('').replace('spec:', 'spec:\n      replicas: 3'))).toEqual([
      'StatefulSet "db" names no governing Service (spec.serviceName): its pods get no stable DNS names, which replicas that find each other by name need',
    ]);
    expect(messages(statefulSet('db'), service('db', '{app: db}'))).toEqual([
      'StatefulSet "db" names Service "db", which is not headless (clusterIP: None): its pods get no stable DNS names',
    ]);
    expect(messages(statefulSet('db'), headless('db', '{app: cache}'))).toEqual([
      'StatefulSet "db" names Service "db", whose selector does not match its pods',
    ]);
    // A single replica has no peers to find: a missing Service is a note.
    const single = check(docs(statefulSet('db-headless'), headless('db')), rule);
    expect(single.map((f) => [f.severity, f.message])).toEqual([
      [
        'info',
        'StatefulSet "db" names Service "db-headless", which the set does not define in namespace "default": its pods get no stable DNS names, which replicas that find each other by name need',
      ],
    ]);
    // A set without Services says nothing about where the Service comes from.
    expect(messages(statefulSet('db'))).toEqual([]);
  });
});
