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
