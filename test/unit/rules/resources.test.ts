import { describe, expect, it } from 'vitest';
import { check, lineOf } from './helpers.js';

const noResources = `
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: api
    namespace: shop
  spec:
    template:
      spec:
        initContainers:
          - name: migrate
            image: acme/migrate:1
            resources:
              requests:
                cpu: 100m
        containers:
          - name: app
            image: acme/app:1
`;

const sized = `
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: api
  spec:
    template:
      spec:
        containers:
          - name: app
            image: acme/app:1
            resources:
              requests: { cpu: 250m, memory: 256Mi }
              limits: { cpu: "1", memory: 256Mi }
`;

describe('resources-requests-missing', () => {
  it('reports a container without requests at its name line, and each missing request of an init container', () => {
    const findings = check(noResources, 'resources-requests-missing');
    expect(findings.map((f) => [f.message, f.location.line, f.path])).toEqual([
      [
        'init container "migrate" has no memory request',
        lineOf(noResources, 'requests:'),
        'spec.template.spec.initContainers[name=migrate].resources.requests.memory',
      ],
      [
        'container "app" has no cpu or memory request',
        lineOf(noResources, '- name: app'),
        'spec.template.spec.containers[name=app].resources.requests',
      ],
    ]);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].checklist).toBe('resources');
  });

  it('is one finding with the missing limits of the same container', () => {
    const findings = check(noResources, ['resources-requests-missing', 'resources-limits-missing']);
    expect(findings.map((f) => [f.ruleId, f.message, f.location.line])).toEqual([
      [
        'resources-requests-missing',
        'init container "migrate" has no memory request; also: no cpu or memory limit (resources-limits-missing)',
        lineOf(noResources, 'requests:'),
      ],
      [
        'resources-requests-missing',
        'container "app" has no cpu or memory request; also: no cpu or memory limit (resources-limits-missing)',
        lineOf(noResources, '- name: app'),
      ],
    ]);
    expect(findings[1].remediation).toMatch(/requests\.cpu.*limits\.memory/s);
  });

  it('passes a sized container', () => {
    expect(check(sized, ['resources-requests-missing', 'resources-limits-missing'])).toEqual([]);
  });

  it('covers every workload kind, and stays quiet for unknown kinds', () => {
    const yaml = `
      apiVersion: batch/v1
      kind: CronJob
      metadata: { name: nightly }
      spec:
        jobTemplate:
          spec:
            template:
              spec:
                containers:
                  - name: report
                    image: acme/report:1
      ---
      apiVersion: acme.io/v1
      kind: Widget
      metadata: { name: w }
      spec:
        template:
          spec:
            containers:
              - name: x
    `;
    const findings = check(yaml, 'resources-requests-missing');
    expect(findings).toHaveLength(1);
    expect(findings[0].location.line).toBe(lineOf(yaml, '- name: report'));
  });
});

describe('pod-level resources', () => {
  const podLevel = (resources: string, container = '') => `
    apiVersion: v1
    kind: Pod
    metadata:
      name: p
      labels: { shipshape.io/critical: "true" }
    spec:
      resources:
${resources}
      containers:
        - name: app
${container}
  `;

  it('cover the containers for the resources they set', () => {
    const yaml = podLevel('        requests: { cpu: "1", memory: 1Gi }\n        limits: { memory: 1Gi }');
    const findings = check(yaml, ['resources-requests-missing', 'resources-limits-missing']);
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      ['container "app" has no cpu limit', lineOf(yaml, '- name: app')],
    ]);
  });

  it('decide Guaranteed QoS for the whole pod', () => {
    const burstable = podLevel(
      '        requests: { cpu: 500m, memory: 1Gi }\n        limits: { cpu: "1", memory: 1Gi }',
    );
    const findings = check(burstable, 'resources-critical-not-guaranteed');
    expect(findings.map((f) => [f.message, f.location.line, f.path])).toEqual([
      [
        'pod of Pod "p" requests cpu 500m but is limited to 1; a critical workload needs them equal (Guaranteed QoS)',
        lineOf(burstable, 'requests:'),
        'spec.resources.requests.cpu',
      ],
    ]);
    const guaranteed = podLevel(
      '        limits: { cpu: "1", memory: 1Gi }',
      '          resources: { requests: { cpu: 100m } }',
    );
    expect(check(guaranteed, 'resources-critical-not-guaranteed')).toEqual([]);
  });
});

describe('resources-limits-missing', () => {
  it('reports a missing memory limit on the limits line', () => {
    const yaml = `
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec:
        containers:
          - name: app
            image: acme/app:1
            resources:
              requests: { cpu: 100m, memory: 64Mi }
              limits:
                cpu: 200m
    `;
    const findings = check(yaml, 'resources-limits-missing');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe('container "app" has no memory limit');
    expect(findings[0].location.line).toBe(lineOf(yaml, 'limits:'));
  });

  it('does not ask ephemeral containers for resources (the API forbids them)', () => {
    const yaml = `
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec:
        containers:
          - name: app
            resources:
              requests: { cpu: 100m, memory: 64Mi }
              limits: { cpu: 100m, memory: 64Mi }
        ephemeralContainers:
          - name: debugger
            image: busybox:1.36
    `;
    expect(check(yaml, ['resources-limits-missing', 'resources-requests-missing'])).toEqual([]);
  });
});

describe('resources-critical-not-guaranteed', () => {
  const critical = (resources: string, marker = 'labels: { shipshape.io/critical: "true" }') => `
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: checkout
      ${marker}
    spec:
      template:
        spec:
          containers:
            - name: app
              resources:
${resources}
  `;

  it('reports a request that differs from its limit, at the request', () => {
    const yaml = critical(`                requests: { cpu: 500m, memory: 1Gi }
                limits: { cpu: 500m, memory: 2Gi }`);
    const findings = check(yaml, 'resources-critical-not-guaranteed');
    expect(findings.map((f) => f.message)).toEqual([
      'container "app" requests memory 1Gi but is limited to 2Gi; a critical workload needs them equal (Guaranteed QoS)',
    ]);
    expect(findings[0].location.line).toBe(lineOf(yaml, 'requests:'));
    expect(findings[0].path).toBe('spec.template.spec.containers[name=app].resources.requests.memory');
  });

  it('reports a missing limit, found by priority class', () => {
    const yaml = `
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: ledger }
      spec:
        template:
          spec:
            priorityClassName: system-cluster-critical
            containers:
              - name: app
                resources:
                  limits: { memory: 1Gi }
    `;
    const findings = check(yaml, 'resources-critical-not-guaranteed');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      [
        'container "app" has no cpu limit, so the critical workload is not Guaranteed QoS',
        lineOf(yaml, 'limits:'),
      ],
    ]);
  });

  it('accepts equal quantities written differently, and absent requests (they default to the limits)', () => {
    expect(
      check(
        critical(`                requests: { cpu: "1", memory: 1024Mi }
                limits: { cpu: 1000m, memory: 1Gi }`),
        'resources-critical-not-guaranteed',
      ),
    ).toEqual([]);
    expect(
      check(
        critical(`                limits: { cpu: "1", memory: 1Gi }`),
        'resources-critical-not-guaranteed',
      ),
    ).toEqual([]);
  });

  it('ignores workloads that are not marked critical, and honours the configured annotation', () => {
    const burstable = `                requests: { cpu: 100m, memory: 1Gi }
                limits: { cpu: "1", memory: 2Gi }`;
    expect(
      check(critical(burstable, 'labels: { app: checkout }'), 'resources-critical-not-guaranteed'),
    ).toEqual([]);
    const settings = { critical: { labels: {}, annotations: { tier: 'gold' }, priorityClassNames: [] } };
    const marked = critical(burstable, 'annotations: { tier: gold }');
    expect(check(marked, 'resources-critical-not-guaranteed', settings)).toHaveLength(2);
  });
});

describe('resources-namespace-quota-missing', () => {
  const workload = (name: string, ns?: string) => `
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ${name}
      ${ns ? `namespace: ${ns}` : ''}
    spec: {}
  `;

  it('reports each namespace once, on the first workload in it', () => {
    const yaml = [workload('a', 'shop'), workload('b', 'shop'), workload('c')].join('\n---\n');
    const findings = check(yaml, 'resources-namespace-quota-missing', { ownedNamespaces: ['*'] });
    expect(findings.map((f) => [f.message, f.location.line, f.object.name, f.path])).toEqual([
      [
        'namespace "shop" runs workloads but has no ResourceQuota',
        lineOf(yaml, 'namespace: shop'),
        'a',
        'metadata.namespace',
      ],
      [
        'namespace "default" runs workloads but has no ResourceQuota',
        lineOf(yaml, 'metadata:', 3),
        'c',
        'metadata',
      ],
    ]);
  });

  it('passes a namespace that has a quota', () => {
    const yaml = `${workload('a', 'shop')}
    ---
    apiVersion: v1
    kind: ResourceQuota
    metadata: { name: compute, namespace: shop }
    spec: { hard: { limits.memory: 8Gi } }
    `;
    expect(check(yaml, 'resources-namespace-quota-missing')).toEqual([]);
  });
});

describe('resources-ephemeral-storage', () => {
  const rule = 'resources-ephemeral-storage';

  it('notes a container without an ephemeral-storage request or limit', () => {
    const findings = check(sized, rule);
    expect(findings.map((f) => [f.message, f.severity, f.path])).toEqual([
      [
        'container "app" has no ephemeral-storage request or limit',
        'info',
        'spec.template.spec.containers[name=app].resources.requests.ephemeral-storage',
      ],
    ]);
    const limitOnly = sized.replace('memory: 256Mi }\n', 'memory: 256Mi, ephemeral-storage: 1Gi }\n');
    expect(check(limitOnly, rule).map((f) => f.message)).toEqual([
      'container "app" has no ephemeral-storage limit',
    ]);
  });

  it('passes both set, on the container or for the whole pod', () => {
    const both = sized
      .replace('memory: 256Mi }', 'memory: 256Mi, ephemeral-storage: 1Gi }')
      .replace('memory: 256Mi }', 'memory: 256Mi, ephemeral-storage: 1Gi }');
    expect(check(both, rule)).toEqual([]);
    const podLevel = sized.replace(
      '      spec:\n        containers:',
      '      spec:\n        resources: { requests: { ephemeral-storage: 1Gi }, limits: { ephemeral-storage: 2Gi } }\n        containers:',
    );
    expect(check(podLevel, rule)).toEqual([]);
  });

  it('is part of the finding about the same container missing its requests and limits', () => {
    const all = ['resources-requests-missing', 'resources-limits-missing', rule];
    const findings = check(noResources, all).filter(
      (f) => f.object.name === 'api' && f.message.startsWith('container'),
    );
    expect(findings.map((f) => f.message)).toEqual([
      'container "app" has no cpu or memory request; also: no cpu or memory limit (resources-limits-missing); no ephemeral-storage request or limit (resources-ephemeral-storage)',
    ]);
  });
});
