import { describe, expect, it } from 'vitest';
import { check, lineOf } from './helpers.js';

/** A Service `api` selecting the pods of `app()`, on one port named web. */
function service(targetPort: string | number) {
  return `
    apiVersion: v1
    kind: Service
    metadata: { name: api }
    spec:
      selector: { app: api }
      ports: [{ name: web, port: 80, targetPort: ${targetPort} }]
  `;
}

/** A Deployment with one container `app` whose body (ports, probes) is given. */
function app(body: string, kind = 'Deployment') {
  return `
    apiVersion: apps/v1
    kind: ${kind}
    metadata: { name: api }
    spec:
      template:
        metadata: { labels: { app: api } }
        spec:
          containers:
            - name: app
              image: acme/app:1
${body}
  `;
}

const healthy = `              ports:
                - { name: http, containerPort: 8080 }
              readinessProbe:
                httpGet: { path: /healthz/ready, port: http }
              livenessProbe:
                httpGet: { path: /healthz/live, port: http }`;

const ALL = [
  'probes-readiness-missing',
  'probes-liveness-missing',
  'probes-startup-missing',
  'probes-liveness-dependency',
  'probes-liveness-same-as-readiness',
  'probes-port-name-unknown',
  'probes-port-undeclared',
];

describe('probes-readiness-missing and probes-liveness-missing', () => {
  it('report a serving container without probes, at its name line', () => {
    const yaml = `${app('              ports: [{ name: http, containerPort: 8080 }]')}---\n${service('http')}`;
    const findings = check(yaml, ALL);
    expect(findings.map((f) => [f.ruleId, f.message, f.location.line, f.severity])).toEqual([
      [
        'probes-readiness-missing',
        'container "app" receives traffic from Service "api" (port web) but has no readiness probe',
        lineOf(yaml, '- name: app'),
        'error',
      ],
      [
        'probes-liveness-missing',
        'container "app" has no liveness probe',
        lineOf(yaml, '- name: app'),
        'warning',
      ],
    ]);
  });

  it('ask readiness only of the containers Service traffic reaches', () => {
    const pod = (containers: string) => `
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api }
    spec:
      template:
        metadata: { labels: { app: api } }
        spec:
          containers:
${containers}
  `;
    const web = `            - name: web
              image: acme/web:1
              ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090 }]`;
    const sidecar = `            - name: shipper
              image: acme/logs:1`;
    const worker = `            - name: worker
              image: acme/worker:1
              ports: [{ name: admin, containerPort: 7000 }]`;
    const readiness = (yaml: string) => check(yaml, 'probes-readiness-missing').map((f) => f.message);
    // No Service: nothing to gate. A sidecar and a port no Service targets: not asked.
    expect(readiness(pod(`${web}\n${sidecar}\n${worker}`))).toEqual([]);
    expect(readiness(`${pod(`${web}\n${sidecar}\n${worker}`)}---\n${service('http')}`)).toEqual([
      'container "web" receives traffic from Service "api" (port web) but has no readiness probe',
    ]);
    // By number: the container that declares it; an undeclared number goes to the first container.
    expect(readiness(`${pod(`${sidecar}\n${worker}`)}---\n${service(7000)}`)).toEqual([
      'container "worker" receives traffic from Service "api" (port web) but has no readiness probe',
    ]);
    expect(readiness(`${pod(`${sidecar}\n${worker}`)}---\n${service(8443)}`)).toEqual([
      'container "shipper" receives traffic from Service "api" (port web) but has no readiness probe',
    ]);
    // A Service that only exposes metrics (a controller), or publishes unready addresses.
    const metricsOnly = service('metrics').replace('name: web', 'name: http-metrics');
    expect(readiness(`${pod(web)}---\n${metricsOnly}`)).toEqual([]);
    const unready = service('http').replace('spec:', 'spec:\n      publishNotReadyAddresses: true');
    expect(readiness(`${pod(web)}---\n${unready}`)).toEqual([]);
  });

  it('pass a container with both probes', () => {
    expect(check(app(healthy), ALL)).toEqual([]);
  });

  it('leave Jobs, CronJobs, init and ephemeral containers alone', () => {
    const yaml = `
      apiVersion: batch/v1
      kind: Job
      metadata: { name: migrate }
      spec:
        template:
          spec:
            containers:
              - name: migrate
                image: acme/migrate:1
      ---
      apiVersion: v1
      kind: Pod
      metadata: { name: one-shot }
      spec:
        restartPolicy: Never
        containers:
          - name: task
      ---
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec:
        initContainers:
          - name: wait
        ephemeralContainers:
          - name: debugger
        containers:
          - name: app
            readinessProbe: { tcpSocket: { port: 80 } }
            livenessProbe: { exec: { command: [cat, /tmp/alive] } }
    `;
    expect(check(yaml, ALL)).toEqual([]);
  });

  it('leave Helm and Argo CD hook pods alone (`helm test`), whatever their restartPolicy', () => {
    const hook = (annotation: string) => `
      apiVersion: v1
      kind: Pod
      metadata:
        name: test-connection
        annotations: { ${annotation}: test }
      spec:
        containers:
          - name: wget
            image: busybox:1.36
            ports: [{ containerPort: 8080 }]
    `;
    expect(check(hook('helm.sh/hook'), ALL)).toEqual([]);
    expect(check(hook('argocd.argoproj.io/hook'), ALL)).toEqual([]);
    expect(check(hook('example.com/note'), 'probes-liveness-missing')).toHaveLength(1);
  });
});

describe('probes-startup-missing', () => {
  it('reports a long liveness delay without a startup probe, on the delay', () => {
    const yaml = app(`              readinessProbe: { httpGet: { path: /ready, port: 8080 } }
              livenessProbe:
                httpGet: { path: /live, port: 8080 }
                initialDelaySeconds: 120`);
    const findings = check(yaml, 'probes-startup-missing');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      [
        'container "app" delays its liveness probe by 120s and has no startup probe',
        lineOf(yaml, 'initialDelaySeconds'),
      ],
    ]);
  });

  it('passes a short delay, or a long one with a startup probe', () => {
    const short = app(`              livenessProbe:
                httpGet: { path: /live, port: 8080 }
                initialDelaySeconds: 15`);
    expect(check(short, 'probes-startup-missing')).toEqual([]);
    const withStartup =
      app(`              startupProbe: { httpGet: { path: /live, port: 8080 }, failureThreshold: 30 }
              livenessProbe:
                httpGet: { path: /live, port: 8080 }
                initialDelaySeconds: 90`);
    expect(check(withStartup, 'probes-startup-missing')).toEqual([]);
  });
});

describe('probes-liveness-dependency', () => {
  const liveness = (handler: string) =>
    app(`              livenessProbe:
${handler}`);

  it.each([
    [
      '                exec: { command: [sh, -c, "pg_isready -h orders-db -p 5432"] }',
      'runs pg_isready against orders-db',
    ],
    [
      '                exec: { command: [psql, "postgresql://app@db.shop.svc:5432/orders", -c, "select 1"] }',
      'runs psql against db.shop.svc',
    ],
    [
      '                exec: { command: [psql, "host=orders-db dbname=orders", -c, "select 1"] }',
      'runs psql against orders-db',
    ],
    [
      '                exec: { command: [mysqladmin, ping, --host=mysql.data] }',
      'runs mysqladmin against mysql.data',
    ],
    [
      '                exec: { command: [/bin/sh, -c, "redis-cli -h $REDIS_HOST ping | grep PONG"] }',
      'runs redis-cli against $REDIS_HOST',
    ],
    [
      '                exec: { command: [mongosh, "mongodb://mongo-0.mongo:27017", --eval, "db.runCommand({ping:1})"] }',
      'runs mongosh against mongo-0.mongo',
    ],
    [
      '                exec: { command: [sh, -c, "curl -fsS http://payments:8080/health"] }',
      'runs curl against payments',
    ],
    [
      '                exec: { command: [wget, -q, -O, "-", "auth.svc:9000/ping"] }',
      'runs wget against auth.svc',
    ],
    [
      '                exec: { command: [cqlsh, cassandra-0, "9042", -e, "describe keyspaces"] }',
      'runs cqlsh against cassandra-0',
    ],
    [
      '                exec: { command: [sh, -c, "nc -z -w 2 kafka-0.kafka 9092"] }',
      'runs nc against kafka-0.kafka',
    ],
  ])('catches %s', (handler, reason) => {
    const yaml = liveness(handler);
    const findings = check(yaml, 'probes-liveness-dependency');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [`container "app" liveness probe ${reason}`, lineOf(yaml, 'exec:'), 'error'],
    ]);
    expect(findings[0].path).toBe('spec.template.spec.containers[name=app].livenessProbe.exec.command');
  });

  it('catches an HTTP path that names a dependency, and an httpGet against another host', () => {
    const byPath = liveness('                httpGet: { path: /health/db, port: 8080 }');
    expect(check(byPath, 'probes-liveness-dependency').map((f) => f.message)).toEqual([
      'container "app" liveness probe calls /health/db, whose path names a dependency ("db"), so it likely checks more than the process',
    ]);
    const deps = liveness('                httpGet: { path: "/healthz?check=dependencies", port: 8080 }');
    expect(check(deps, 'probes-liveness-dependency')).toHaveLength(1);
    const yaml = liveness(
      '                httpGet:\n                  host: auth.example.com\n                  path: /\n                  port: 443',
    );
    const findings = check(yaml, 'probes-liveness-dependency');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      ['container "app" liveness probe checks another host (auth.example.com)', lineOf(yaml, 'host: auth')],
    ]);
  });

  it.each([
    '                httpGet: { path: "/healthz?full=true", port: 8080 }',
    '                httpGet: { path: /health/deep, port: 8080 }',
    '                httpGet: { path: /backend/healthz, port: 8080 }',
    '                exec: { command: [pg_isready, -U, postgres] }',
    '                exec: { command: [sh, -c, "pg_isready -h localhost -p 5432"] }',
    '                exec: { command: [redis-cli, ping] }',
    '                exec: { command: [sh, -c, "curl -fsS http://127.0.0.1:8080/healthz/live"] }',
    '                exec: { command: [curl, -f, "localhost:8080/live", -o, /dev/null] }',
    '                exec: { command: [mysqladmin, ping, -h, "$(hostname -i)"] }',
    '                exec: { command: [nc, -z, localhost, "8080"] }',
    '                httpGet: { path: /healthz/live, port: 8080 }',
    '                httpGet: { path: /debug/health, port: 8080 }',
  ])('passes a self-check: %s', (handler) => {
    expect(check(liveness(handler), 'probes-liveness-dependency')).toEqual([]);
  });
});

describe('probes-liveness-same-as-readiness', () => {
  it('reports identical handlers, whatever the timings', () => {
    const yaml = app(`              readinessProbe:
                httpGet: { path: /healthz, port: http }
                periodSeconds: 5
              livenessProbe:
                httpGet: { port: http, path: /healthz }
                periodSeconds: 20`);
    const findings = check(yaml, 'probes-liveness-same-as-readiness');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [
        'container "app" liveness probe is the same check as its readiness probe',
        lineOf(yaml, 'livenessProbe'),
        'warning',
      ],
    ]);
  });

  it('passes different endpoints', () => {
    expect(check(app(healthy), 'probes-liveness-same-as-readiness')).toEqual([]);
  });
});

describe('probe ports', () => {
  it('probes-port-name-unknown: a name the container does not declare', () => {
    const yaml = app(`              ports: [{ name: http, containerPort: 8080 }]
              readinessProbe:
                httpGet:
                  path: /ready
                  port: web`);
    const findings = check(yaml, ALL);
    expect(findings.map((f) => [f.ruleId, f.message, f.location.line])).toEqual([
      ['probes-liveness-missing', 'container "app" has no liveness probe', lineOf(yaml, '- name: app')],
      [
        'probes-port-name-unknown',
        'container "app" readiness probe uses port "web", which the container does not declare',
        lineOf(yaml, 'port: web'),
      ],
    ]);
  });

  it('probes-port-undeclared: a number missing from declared ports, but not when none are declared', () => {
    const yaml = app(`              ports: [{ name: http, containerPort: 8080 }]
              readinessProbe: { httpGet: { path: /ready, port: http } }
              livenessProbe:
                tcpSocket:
                  port: 8081`);
    const findings = check(yaml, 'probes-port-undeclared');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [
        'container "app" liveness probe uses port 8081, which the container does not declare',
        lineOf(yaml, 'port: 8081'),
        'warning',
      ],
    ]);
    const undeclared = app(`              readinessProbe: { httpGet: { path: /ready, port: 8081 } }`);
    expect(check(undeclared, ['probes-port-undeclared', 'probes-port-name-unknown'])).toEqual([]);
  });

  it('probes-port-undeclared: probes of one container on the same missing port are one finding', () => {
    const yaml = app(`              ports: [{ name: http, containerPort: 8080 }]
              readinessProbe: { httpGet: { path: /ready, port: 10254 } }
              livenessProbe: { httpGet: { path: /live, port: 10254 } }`);
    expect(check(yaml, 'probes-port-undeclared').map((f) => [f.message, f.location.line])).toEqual([
      [
        'container "app" readiness probe uses port 10254, which the container does not declare; also: the liveness probe uses it too',
        lineOf(yaml, 'readinessProbe'),
      ],
    ]);
  });
});
