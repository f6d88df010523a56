import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { preStopSleep } from '../../../src/rules/lifecycle.js';
import { check, lineOf } from './helpers.js';

function app(preStop: string, grace = '') {
  return `
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api }
    spec:
      template:
        metadata:
          labels: { app: api }
        spec:
${grace}
          containers:
            - name: app
              ports: [{ name: http, containerPort: 8080 }]
              lifecycle:
                preStop:
${preStop}
  `;
}

describe('lifecycle-prestop-exceeds-grace', () => {
  it('reports an exec sleep as long as the default grace period, on the hook', () => {
    const yaml = app('                  exec: { command: [sleep, "30"] }');
    const findings = check(yaml, 'lifecycle-prestop-exceeds-grace');
    expect(findings.map((f) => [f.message, f.location.line, f.severity, f.path])).toEqual([
      [
        'container "app" preStop hook sleeps 30s, which uses up the default grace period of 30s',
        lineOf(yaml, 'exec:'),
        'error',
        'spec.template.spec.containers[name=app].lifecycle.preStop.exec.command',
      ],
    ]);
  });

  it('reports a native sleep longer than the configured grace period', () => {
    const yaml = app(
      '                  sleep:\n                    seconds: 45',
      '          terminationGracePeriodSeconds: 40',
    );
    const findings = check(yaml, 'lifecycle-prestop-exceeds-grace');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      [
        'container "app" preStop hook sleeps 45s, which uses up a grace period of 40s',
        lineOf(yaml, 'seconds: 45'),
      ],
    ]);
  });

  it('reads sleeps inside sh -c, with units', () => {
    const yaml = app(
      '                  exec: { command: [/bin/sh, -c, "sleep 1m; nginx -s quit"] }',
      '          terminationGracePeriodSeconds: 45',
    );
    expect(check(yaml, 'lifecycle-prestop-exceeds-grace').map((f) => f.message)).toEqual([
      'container "app" preStop hook sleeps 60s, which uses up a grace period of 45s',
    ]);
  });

  it('passes a sleep shorter than the grace period, and sleeps it cannot know', () => {
    expect(
      check(
        app('                  exec: { command: [sh, -c, "sleep 10 && nginx -s quit"] }'),
        'lifecycle-prestop-exceeds-grace',
      ),
    ).toEqual([]);
    expect(
      check(
        app('                  sleep: { seconds: 20 }', '          terminationGracePeriodSeconds: 60'),
        'lifecycle-prestop-exceeds-grace',
      ),
    ).toEqual([]);
    expect(
      check(
        app('                  exec: { command: [sh, -c, "sleep $DRAIN"] }'),
        'lifecycle-prestop-exceeds-grace',
      ),
    ).toEqual([]);
  });

  it('parses the forms of sleep', () => {
    expect(preStopSleep({ exec: { command: ['sleep', '1m', '30s'] } })?.seconds).toBe(90);
    expect(preStopSleep({ exec: { command: ['busybox', 'sleep', '5'] } })?.seconds).toBe(5);
    expect(preStopSleep({ exec: { command: ['sh', '-c', 'sleep 5; sleep 10'] } })?.seconds).toBe(15);
    expect(preStopSleep({ exec: { command: ['sleep', 'infinity'] } })?.seconds).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(preStopSleep({ httpGet: { path: '/drain', port: 8080 } })).toBeUndefined();
  });
});

describe('lifecycle-prestop-missing', () => {
  const service = (selector: string) => `
    apiVersion: v1
    kind: Service
    metadata: { name: api }
    spec:
      selector: ${selector}
      ports: [{ port: 80, targetPort: http }]
  `;
  const workload = `
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api }
    spec:
      template:
        metadata:
          labels: { app: api, tier: web }
        spec:
          containers:
            - name: app
              ports: [{ name: http, containerPort: 8080 }]
            - name: log-shipper
  `;

  it('notes a container behind a Service without a preStop hook', () => {
    const yaml = `${workload}\n---\n${service('{ app: api }')}`;
    const findings = check(yaml, 'lifecycle-prestop-missing');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [
        'container "app" receives Service traffic but has no preStop hook',
        lineOf(yaml, '- name: app'),
        'info',
      ],
    ]);
  });

  it('is quiet without a selecting Service, in another namespace, or for a selector-less Service', () => {
    expect(check(workload, 'lifecycle-prestop-missing')).toEqual([]);
    expect(check(`${workload}\n---\n${service('{ app: other }')}`, 'lifecycle-prestop-missing')).toEqual([]);
    expect(check(`${workload}\n---\n${service('{}')}`, 'lifecycle-prestop-missing')).toEqual([]);
    const elsewhere = service('{ app: api }').replace('name: api }', 'name: api, namespace: other }');
    expect(check(`${workload}\n---\n${elsewhere}`, 'lifecycle-prestop-missing')).toEqual([]);
  });

  it('asks it only of the containers the Service sends traffic to, not of sidecars with ports', () => {
    const withAdmin = workload.replace(
      '- name: log-shipper',
      '- name: log-shipper\n              ports: [{ name: admin, containerPort: 9000 }]',
    );
    const yaml = `${withAdmin}\n---\n${service('{ app: api }')}`;
    expect(check(yaml, 'lifecycle-prestop-missing').map((f) => f.message)).toEqual([
      'container "app" receives Service traffic but has no preStop hook',
    ]);
  });

  it('passes a container with a preStop hook', () => {
    const yaml = app('                  sleep: { seconds: 5 }');
    expect(check(`${yaml}\n---\n${service('{ app: api }')}`, 'lifecycle-prestop-missing')).toEqual([]);
  });
});

describe('reading hooks from arbitrary input', () => {
  it('never throws, and reports a sleep only as a non-negative number of seconds', () => {
    const word = fc.oneof(
      fc.constantFrom('sleep', 'sh', '-c', 'busybox', '10', '1m', 'infinity', ';', '&&'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.anything(), fc.array(word, { maxLength: 6 }), (junk, command) => {
        for (const hook of [
          junk,
          { exec: { command } },
          { exec: { command: ['sh', '-c', command.join(' ')] } },
        ]) {
          const sleep = preStopSleep(hook);
          if (sleep) expect(sleep.seconds).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('lifecycle-config-reference-missing', () => {
  const rule = 'lifecycle-config-reference-missing';
  const configMap = (name: string, data = '{LOG_LEVEL: info}') => `
    apiVersion: v1
    kind: ConfigMap
    metadata: { name: ${name}, namespace: shop }
    data: ${data}
  `;
  const secret = (name: string) => `
    apiVersion: v1
    kind: Secret
    metadata: { name: ${name}, namespace: shop }
    stringData: { password: s3cret }
  `;
  /** A Deployment in `shop` whose container reads what `container` adds, with `volumes` of its own. */
  const pod = (container: string, volumes = '') => `
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api, namespace: shop }
    spec:
      template:
        spec:
          containers:
            - name: app
              image: acme/app:1
${container}${volumes ? `\n          volumes:\n${volumes}` : ''}
  `;
  const join = (...parts: string[]) => parts.join('\n---\n');
  const messages = (yaml: string) => check(yaml, rule).map((f) => f.message);

  it('flags envFrom, env and volume references to objects the set does not define, with a suggestion', () => {
    const yaml = join(
      configMap('api-config'),
      secret('api-db'),
      pod(
        [
          '              envFrom: [{ configMapRef: { name: api-conf } }]',
          '              env:',
          '                - name: DB_PASSWORD',
          '                  valueFrom: { secretKeyRef: { name: api-database, key: password } }',
        ].join('\n'),
        '            - { name: tls, secret: { secretName: api-tls } }',
      ),
    );
    const findings = check(yaml, rule);
    expect(findings.map((f) => [f.message, f.severity, f.location.line])).toEqual([
      [
        'container "app" (envFrom) reads ConfigMap "api-conf", which the set does not define in namespace "shop" (did you mean "api-config"?): the pod cannot start',
        'error',
        lineOf(yaml, 'envFrom:'),
      ],
      [
        'container "app" (env DB_PASSWORD) reads Secret "api-database", which the set does not define in namespace "shop": the pod cannot start',
        'error',
        lineOf(yaml, 'secretKeyRef'),
      ],
      [
        'volume "tls" reads Secret "api-tls", which the set does not define in namespace "shop": the pod cannot start',
        'error',
        lineOf(yaml, 'secretName: api-tls'),
      ],
    ]);
  });

  it('flags keys the object the set defines does not have', () => {
    const yaml = join(
      configMap('api-config'),
      pod(
        [
          '              env:',
          '                - name: LEVEL',
          '                  valueFrom: { configMapKeyRef: { name: api-config, key: LOG_LEVE } }',
        ].join('\n'),
        '            - { name: conf, configMap: { name: api-config, items: [{ key: LOG_LEVEL, path: level }] } }',
      ),
    );
    expect(messages(yaml)).toEqual([
      'container "app" (env LEVEL) reads key "LOG_LEVE" of ConfigMap "api-config", which has no such key (did you mean "LOG_LEVEL"?): the pod cannot start',
    ]);
  });

  it('follows the sources of a projected volume, and their keys, and skips the optional ones', () => {
    const yaml = join(
      configMap('api-config'),
      secret('api-db'),
      pod(
        '              volumeMounts: [{ name: all, mountPath: /etc/all }]',
        [
          '            - name: all',
          '              projected:',
          '                sources:',
          '                  - configMap: { name: api-config, items: [{ key: LOG_LEVL, path: level }] }',
          '                  - secret: { name: api-certs }',
          '                  - secret: { name: maybe, optional: true }',
        ].join('\n'),
      ),
    );
    expect(messages(yaml)).toEqual([
      'volume "all" reads key "LOG_LEVL" of ConfigMap "api-config", which has no such key (did you mean "LOG_LEVEL"?): the pod cannot start',
      'volume "all" reads Secret "api-certs", which the set does not define in namespace "shop": the pod cannot start',
    ]);
  });

  it('is one finding for many references to the same missing object in one workload', () => {
    const env = ['A', 'B', 'C']
      .map(
        (n) =>
          `                - { name: ${n}, valueFrom: { configMapKeyRef: { name: params, key: ${n} } } }`,
      )
      .join('\n');
    const yaml = join(configMap('api-config'), pod(`              env:\n${env}`));
    expect(messages(yaml)).toEqual([
      'container "app" (env A) reads ConfigMap "params", which the set does not define in namespace "shop": the pod cannot start; also: container "app" (env B) too; container "app" (env C) too',
    ]);
  });

  it('leaves alone what it cannot judge: optional references, kinds the set defines none of, and kube-root-ca.crt', () => {
    const optional = pod('              envFrom: [{ configMapRef: { name: extra, optional: true } }]');
    expect(messages(join(configMap('api-config'), optional))).toEqual([]);
    const noConfigMaps = pod('              envFrom: [{ configMapRef: { name: shared-settings } }]');
    expect(messages(noConfigMaps)).toEqual([]);
    const caBundle = pod('', '            - { name: ca, configMap: { name: kube-root-ca.crt } }');
    expect(messages(join(configMap('api-config'), caBundle))).toEqual([]);
  });

  it('leaves Secrets alone that something in the set writes at run time, or generates', () => {
    const reads = pod('              envFrom: [{ secretRef: { name: api-generated } }]');
    expect(messages(join(secret('api-db'), reads))).toHaveLength(1);
    const writer = `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: { name: secret-init, namespace: shop }
    rules: [{ apiGroups: [""], resources: [secrets], verbs: [get, create] }]
  `;
    const binding = `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: { name: secret-init, namespace: shop }
    roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-init }
    subjects: [{ kind: ServiceAccount, name: secret-init, namespace: shop }]
  `;
    expect(messages(join(secret('api-db'), reads, writer, binding))).toEqual([]);
    const certificate = `
    apiVersion: cert-manager.io/v1
    kind: Certificate
    metadata: { name: api, namespace: shop }
    spec: { secretName: api-generated, dnsNames: [api.shop.example.com], issuerRef: { name: ca } }
  `;
    expect(messages(join(secret('api-db'), reads, certificate))).toEqual([]);
  });
});

describe('lifecycle-env-duplicate', () => {
  const rule = 'lifecycle-env-duplicate';

  it('flags the later entries of a name set twice, and not an override of envFrom', () => {
    const yaml = `
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec:
        containers:
          - name: app
            image: acme/app:1
            envFrom: [{ configMapRef: { name: defaults } }]
            env:
              - { name: LOG_LEVEL, value: debug }
              - { name: REGION, value: eu }
              - { name: LOG_LEVEL, value: info }
    `;
    expect(check(yaml, rule).map((f) => [f.message, f.severity, f.location.line])).toEqual([
      [
        'container "app" sets LOG_LEVEL more than once; the last entry wins and the earlier one is ignored',
        'warning',
        lineOf(yaml, 'value: info'),
      ],
    ]);
    expect(check(yaml.replace('{ name: LOG_LEVEL, value: info }', '{ name: ZONE, value: a }'), rule)).toEqual(
      [],
    );
  });
});
