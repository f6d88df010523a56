import { describe, expect, it } from 'vitest';
import { check, dedent, lineOf } from './helpers.js';

const docs = (...parts: string[]) => parts.map((p) => dedent(p).replace(/\n\s*$/, '\n')).join('---\n');

interface WorkloadOptions {
  kind?: string;
  namespace?: string;
  annotations?: string;
  ports?: string;
}

function workload(name: string, o: WorkloadOptions = {}) {
  return `
    apiVersion: apps/v1
    kind: ${o.kind ?? 'Deployment'}
    metadata:
      name: ${name}${o.namespace ? `\n      namespace: ${o.namespace}` : ''}
    spec:
      selector:
        matchLabels: {app: ${name}}
      template:
        metadata:
          labels: {app: ${name}}${o.annotations ? `\n          annotations: ${o.annotations}` : ''}
        spec:
          containers:
            - name: app
              image: ${name}:1.0
              ports: ${o.ports ?? '[{name: http, containerPort: 8080}]'}
    `;
}

function service(name: string, o: { namespace?: string; annotations?: string; portName?: string } = {}) {
  return `
    apiVersion: v1
    kind: Service
    metadata:
      name: ${name}${o.namespace ? `\n      namespace: ${o.namespace}` : ''}
      labels: {app: ${name}}${o.annotations ? `\n      annotations: ${o.annotations}` : ''}
    spec:
      selector: {app: ${name}}
      ports:
        - {name: ${o.portName ?? 'http'}, port: 80, targetPort: 8080}
    `;
}

function monitor(kind: 'ServiceMonitor' | 'PodMonitor', name: string, spec: string, namespace?: string) {
  return `
    apiVersion: monitoring.coreos.com/v1
    kind: ${kind}
    metadata:
      name: ${name}${namespace ? `\n      namespace: ${namespace}` : ''}
    spec:
      ${spec.trim().split('\n').join('\n      ')}
    `;
}

describe('observability-metrics', () => {
  const rule = 'observability-metrics';

  it('flags a workload nothing scrapes, on the pod template annotations (or their parent)', () => {
    const yaml = workload('web');
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe(
      'Deployment "web" exposes no metrics: no scrape annotation, metrics port, ServiceMonitor or PodMonitor reaches its pods',
    );
    expect(f.path).toBe('spec.template.metadata.annotations');
    expect(f.location.line).toBe(lineOf(yaml, 'metadata:', 2));
  });

  it('passes a scrape annotation on the pods, or on a Service in front of them', () => {
    expect(check(workload('web', { annotations: '{prometheus.io/scrape: "true"}' }), rule)).toEqual([]);
    expect(check(workload('web', { annotations: '{prometheus.io/scrape: "false"}' }), rule)).toHaveLength(1);
    const annotated = service('web', { annotations: '{prometheus.io/scrape: "true"}' });
    expect(check(docs(workload('web'), annotated), rule)).toEqual([]);
  });

  it('passes a container port named for metrics', () => {
    for (const name of ['metrics', 'http-metrics', 'prom']) {
      expect(check(workload('web', { ports: `[{name: ${name}, containerPort: 9090}]` }), rule)).toEqual([]);
    }
  });

  it('passes a ServiceMonitor that reaches the pods through a Service port', () => {
    const sm = monitor(
      'ServiceMonitor',
      'web',
      'selector:\n  matchLabels: {app: web}\nendpoints:\n  - port: http',
    );
    expect(check(docs(workload('web'), service('web'), sm), rule)).toEqual([]);
    // The port it names must exist on the Service.
    const wrongPort = sm.replace('port: http', 'port: metrics');
    expect(check(docs(workload('web'), service('web'), wrongPort), rule)).toHaveLength(1);
  });

  it('follows the ServiceMonitor namespaceSelector', () => {
    const sm = (ns?: string) =>
      monitor(
        'ServiceMonitor',
        'web',
        `selector:\n  matchLabels: {app: web}\n${ns ? `namespaceSelector: ${ns}\n` : ''}endpoints:\n  - port: http`,
        'monitoring',
      );
    const app = [workload('web', { namespace: 'shop' }), service('web', { namespace: 'shop' })];
    expect(check(docs(...app, sm('{matchNames: [shop]}')), rule)).toEqual([]);
    expect(check(docs(...app, sm('{any: true}')), rule)).toEqual([]);
    expect(check(docs(...app, sm('{matchNames: [billing]}')), rule)).toHaveLength(1);
    // Without a namespaceSelector a monitor looks only in its own namespace.
    expect(check(docs(...app, sm()), rule)).toHaveLength(1);
  });

  it('passes a PodMonitor that selects the pods with matchExpressions', () => {
    const pm = monitor(
      'PodMonitor',
      'web',
      'selector:\n  matchExpressions: [{key: app, operator: In, values: [web, api]}]\npodMetricsEndpoints:\n  - port: http',
    );
    expect(check(docs(workload('web'), pm), rule)).toEqual([]);
    expect(check(docs(workload('web', { namespace: 'shop' }), pm), rule)).toHaveLength(1);
  });

  it('leaves Jobs, CronJobs and unknown kinds alone, and checks DaemonSets', () => {
    const job = `
      apiVersion: batch/v1
      kind: Job
      metadata: {name: migrate}
      spec:
        template:
          spec:
            containers: [{name: m, image: m:1}]
      `;
    const crd = `
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: w}
      spec: {template: {spec: {containers: [{name: a, image: a}]}}}
      `;
    expect(check(docs(job, crd), rule)).toEqual([]);
    expect(check(workload('agent', { kind: 'DaemonSet' }), rule)).toHaveLength(1);
  });

  it('leaves a Helm test pod alone', () => {
    const testPod = `
      apiVersion: v1
      kind: Pod
      metadata: {name: web-test, annotations: {helm.sh/hook: test}}
      spec:
        containers: [{name: wget, image: busybox:1.36}]
      `;
    expect(check(testPod, rule)).toEqual([]);
    expect(check(testPod.replace('helm.sh/hook: test', 'team: web'), rule)).toHaveLength(1);
  });
});

describe('observability-monitor-selects-nothing', () => {
  const rule = 'observability-monitor-selects-nothing';

  it('flags a ServiceMonitor that selects no Service, on its selector', () => {
    const yaml = docs(
      service('web'),
      monitor('ServiceMonitor', 'web', 'selector:\n  matchLabels: {app: web-v1}\nendpoints:\n  - port: http'),
    );
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe('ServiceMonitor "web" selects no Service in namespace "default"');
    expect(f.location.line).toBe(lineOf(yaml, 'selector:', 2));
  });

  it('flags a ServiceMonitor whose endpoint port no selected Service has, on the port', () => {
    const yaml = docs(
      service('web'),
      monitor('ServiceMonitor', 'web', 'selector:\n  matchLabels: {app: web}\nendpoints:\n  - port: metrics'),
    );
    const [f] = check(yaml, rule);
    expect(f.message).toBe('ServiceMonitor "web" selects Service "web", but none has a port named "metrics"');
    expect(f.path).toBe('spec.endpoints[0].port');
    expect(f.location.line).toBe(lineOf(yaml, 'port: metrics'));
  });

  it('flags a PodMonitor that selects no pods in its namespaces', () => {
    const pm = monitor(
      'PodMonitor',
      'web',
      'selector:\n  matchLabels: {app: web}\npodMetricsEndpoints:\n  - port: http',
      'monitoring',
    );
    const yaml = docs(workload('web', { namespace: 'shop' }), pm);
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe('PodMonitor "web" selects no pods in namespace "monitoring"');
    expect(
      check(
        docs(
          workload('web', { namespace: 'shop' }),
          pm.replace('spec:\n', 'spec:\n      namespaceSelector: {any: true}\n'),
        ),
        rule,
      ),
    ).toEqual([]);
  });

  it('passes monitors that reach something', () => {
    const sm = monitor(
      'ServiceMonitor',
      'web',
      'selector:\n  matchLabels: {app: web}\nendpoints:\n  - port: http',
    );
    const pm = monitor(
      'PodMonitor',
      'web',
      'selector:\n  matchLabels: {app: web}\npodMetricsEndpoints:\n  - port: http',
    );
    expect(check(docs(workload('web'), service('web'), sm, pm), rule)).toEqual([]);
  });
});
