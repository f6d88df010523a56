import type { Manifest } from '../load/yaml.js';
import { isRecord } from '../model/types.js';
import { isLongRunning } from '../model/workload.js';
import type { ObjectIndex } from './object-index.js';
import type { Rule, Violation } from './types.js';
import { containersOfKinds } from './util/containers.js';
import {
  exampleDeployment,
  LabelIndex,
  METRICS_PORT_NAME,
  memo,
  named,
  namedList,
  podLabelIndex,
  SelectorIndex,
  servicesByPodSelector,
  type WorkloadInfo,
  workloadInfos,
} from './util/selection.js';

/**
 * The `observability` checklist category: every long-running workload exposes metrics that
 * something scrapes. Scraping is recognised the ways Prometheus setups actually do it: scrape
 * annotations (on the pods or on a Service in front of them), Prometheus Operator ServiceMonitors
 * and PodMonitors, or a container port named for metrics.
 */

const SCRAPE_ANNOTATION = 'prometheus.io/scrape';
const MONITORING_GROUP = 'monitoring.coreos.com/';

function specOf(m: Manifest): Record<string, unknown> {
  return isRecord(m.object.spec) ? m.object.spec : {};
}

function wantsScrape(annotations: unknown): boolean {
  return isRecord(annotations) && String(annotations[SCRAPE_ANNOTATION]).toLowerCase() === 'true';
}

function isMonitor(m: Manifest): boolean {
  return m.object.apiVersion.startsWith(MONITORING_GROUP);
}

/**
 * The namespaces a ServiceMonitor or PodMonitor looks in: `any: true` (every namespace loaded),
 * `matchNames`, or by default its own namespace.
 */
function monitoredNamespaces(index: ObjectIndex, monitor: Manifest, all: () => string[]): string[] {
  const ns = specOf(monitor).namespaceSelector;
  if (isRecord(ns) && ns.any === true) return all();
  if (isRecord(ns) && Array.isArray(ns.matchNames) && ns.matchNames.length > 0)
    return ns.matchNames.map(String);
  return [index.namespaceOf(monitor)];
}

function describeNamespaces(index: ObjectIndex, monitor: Manifest): string {
  const ns = specOf(monitor).namespaceSelector;
  if (isRecord(ns) && ns.any === true) return 'in any namespace';
  const names = monitoredNamespaces(index, monitor, () => []);
  return names.length === 1
    ? `in namespace "${names[0]}"`
    : `in namespaces ${names.map((n) => `"${n}"`).join(', ')}`;
}

function listOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

// --- Services and ServiceMonitors ---------------------------------------------------------------

/** Services by their own labels, for ServiceMonitors to select. */
function servicesByLabels(index: ObjectIndex): LabelIndex<Manifest> {
  return memo(index, 'observability:service-labels', () => {
    const services = new LabelIndex<Manifest>();
    for (const s of index.kind('Service')) {
      const labels = s.object.metadata.labels;
      services.add(index.namespaceOf(s), isRecord(labels) ? labels : {}, s);
    }
    return services;
  });
}

/**
 * Does one of a ServiceMonitor's endpoints scrape one of this Service's ports? `port` names a
 * Service port; the older `targetPort` names or numbers the port behind it. An endpoint naming
 * neither scrapes whatever the Service exposes.
 */
function endpointMatches(endpoint: Record<string, unknown>, service: Manifest): boolean {
  const ports = listOf(specOf(service).ports);
  if (typeof endpoint.port === 'string') return ports.some((p) => p.name === endpoint.port);
  if (endpoint.targetPort !== undefined) {
    return ports.some((p) => String(p.targetPort ?? p.port) === String(endpoint.targetPort));
  }
  return ports.length > 0;
}

interface ServiceMonitorReach {
  selected: Manifest[];
  scraped: Manifest[];
}

/** For each ServiceMonitor, the Services it selects and those whose ports it scrapes. */
function serviceMonitorReach(index: ObjectIndex): Map<Manifest, ServiceMonitorReach> {
  return memo(index, 'observability:service-monitors', () => {
    const labels = servicesByLabels(index);
    const out = new Map<Manifest, ServiceMonitorReach>();
    for (const sm of index.kind('ServiceMonitor')) {
      if (!isMonitor(sm)) continue;
      const spec = specOf(sm);
      const endpoints = listOf(spec.endpoints);
      const selected = monitoredNamespaces(index, sm, () => labels.namespaces()).flatMap((ns) =>
        labels.selectedBy(ns, spec.selector),
      );
      const scraped = selected.filter((s) => endpoints.some((e) => endpointMatches(e, s)));
      out.set(sm, { selected, scraped });
    }
    return out;
  });
}

/** Services that some ServiceMonitor scrapes. */
function scrapedServices(index: ObjectIndex): Set<Manifest> {
  return memo(index, 'observability:scraped-services', () => {
    const out = new Set<Manifest>();
    for (const reach of serviceMonitorReach(index).values()) for (const s of reach.scraped) out.add(s);
    return out;
  });
}

// --- PodMonitors --------------------------------------------------------------------------------

/** PodMonitors by selector, per namespace they watch; `any: true` ones under every namespace. */
function podMonitorIndex(index: ObjectIndex): {
  byNamespace: SelectorIndex<Manifest>;
  anywhere: SelectorIndex<Manifest>;
} {
  return memo(index, 'observability:pod-monitors', () => {
    const byNamespace = new SelectorIndex<Manifest>();
    const anywhere = new SelectorIndex<Manifest>();
    for (const pm of index.kind('PodMonitor')) {
      if (!isMonitor(pm)) continue;
      const spec = specOf(pm);
      const ns = spec.namespaceSelector;
      if (isRecord(ns) && ns.any === true) anywhere.add('*', spec.selector, pm);
      else for (const n of monitoredNamespaces(index, pm, () => [])) byNamespace.add(n, spec.selector, pm);
    }
    return { byNamespace, anywhere };
  });
}

/** Does one of a PodMonitor's endpoints name a port this workload's containers have? */
function podMonitorScrapes(pm: Manifest, w: WorkloadInfo): boolean {
  const ports = containersOfKinds(w, ['containers', 'initContainers']).flatMap((c) =>
    listOf(c.container.ports),
  );
  return listOf(specOf(pm).podMetricsEndpoints).some((e) => {
    if (typeof e.port === 'string') return ports.some((p) => p.name === e.port);
    if (e.portNumber !== undefined) return ports.some((p) => p.containerPort === e.portNumber);
    if (e.targetPort !== undefined) {
      return ports.some((p) => String(p.name) === String(e.targetPort) || p.containerPort === e.targetPort);
    }
    return true;
  });
}

// --- rules --------------------------------------------------------------------------------------

/** How this workload's metrics get scraped, or undefined when nothing scrapes them. */
function scrapedBy(index: ObjectIndex, w: WorkloadInfo): string | undefined {
  if (wantsScrape(w.template.annotations)) return 'scrape annotation';
  const containers = containersOfKinds(w, ['containers', 'initContainers']);
  if (
    containers.some((c) =>
      listOf(c.container.ports).some((p) => METRICS_PORT_NAME.test(String(p.name ?? ''))),
    )
  ) {
    return 'metrics port';
  }
  const scraped = scrapedServices(index);
  for (const service of servicesByPodSelector(index).selecting(w.namespace, w.template.labels)) {
    if (wantsScrape(service.object.metadata.annotations) || scraped.has(service)) return named(service);
  }
  const pms = podMonitorIndex(index);
  const monitors = [
    ...pms.byNamespace.selecting(w.namespace, w.template.labels),
    ...pms.anywhere.selecting('*', w.template.labels),
  ];
  return monitors.find((pm) => podMonitorScrapes(pm, w)) ? 'PodMonitor' : undefined;
}

const serviceExample = [
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: web, labels: {app: web}}',
  'spec:',
  '  selector: {app: web}',
  '  ports: [{name: http, port: 80, targetPort: 8080}, {name: http-metrics, port: 9090}]',
].join('\n');

function serviceMonitorExample(port: string): string {
  return [
    'apiVersion: monitoring.coreos.com/v1',
    'kind: ServiceMonitor',
    'metadata: {name: web}',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    `  endpoints: [{port: ${port}}]`,
  ].join('\n');
}

const metricsExposed: Rule = {
  meta: {
    id: 'observability-metrics',
    category: 'observability',
    severity: 'warning',
    title: 'Long-running workloads expose metrics that something scrapes',
    why:
      'Without metrics, the first sign of saturation, error spikes or a slow dependency is a user ' +
      'complaint, and the 2 AM debugging starts blind. shipshape looks for a prometheus.io/scrape ' +
      'annotation on the pods or on a Service in front of them, a ServiceMonitor or PodMonitor ' +
      'that reaches the pods, or a container port named for metrics. Jobs and CronJobs are left out.',
    fix:
      'Expose a metrics port (name it `metrics`) and scrape it: annotate the pod template with ' +
      'prometheus.io/scrape: "true", or add a ServiceMonitor or PodMonitor that selects the pods.',
    example: {
      bad: exampleDeployment({ ports: '[{name: http, containerPort: 8080}]' }),
      good: exampleDeployment({
        podMetadata: ['annotations: {prometheus.io/scrape: "true", prometheus.io/port: "9090"}'],
        ports: '[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]',
      }),
      line: 7,
    },
    appliesTo:
      'Workloads that keep pods running: Deployments, StatefulSets, DaemonSets, ReplicaSets and bare ' +
      'Pods that restart. Not Jobs and CronJobs, nor Pods that run once or are Helm or Argo CD hooks.',
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      if (!isLongRunning(w.manifest.object)) continue;
      if (scrapedBy(index, w)) continue;
      yield {
        manifest: w.manifest,
        path: [...w.template.metaPath, 'annotations'],
        message: `${named(w.manifest)} exposes no metrics: no scrape annotation, metrics port, ServiceMonitor or PodMonitor reaches its pods`,
      };
    }
  },
};

const monitorSelectsNothing: Rule = {
  meta: {
    id: 'observability-monitor-selects-nothing',
    category: 'observability',
    severity: 'warning',
    title: 'ServiceMonitors and PodMonitors select something to scrape',
    why:
      'A monitor that selects nothing scrapes nothing, silently: the dashboards stay empty and the ' +
      'alerts never fire, while everybody believes the service is watched. It usually follows a ' +
      'renamed label or port, or a monitor in the wrong namespace.',
    fix:
      'Make spec.selector match the labels of the Service (ServiceMonitor) or the pods (PodMonitor), ' +
      'spec.namespaceSelector name their namespace, and each endpoint port name a port they have.',
    example: {
      bad: `${serviceExample}\n---\n${serviceMonitorExample('metrics')}`,
      good: `${serviceExample}\n---\n${serviceMonitorExample('http-metrics')}`,
      line: 13,
    },
    appliesTo: 'Prometheus Operator ServiceMonitors and PodMonitors (monitoring.coreos.com).',
  },
  *check({ index }) {
    for (const [sm, reach] of serviceMonitorReach(index)) {
      const v = serviceMonitorProblem(index, sm, reach);
      if (v) yield v;
    }
    const pods = podLabelIndex(index);
    for (const pm of index.kind('PodMonitor')) {
      if (!isMonitor(pm)) continue;
      const selector = specOf(pm).selector;
      const namespaces = monitoredNamespaces(index, pm, () => pods.namespaces());
      if (namespaces.some((ns) => pods.selectedBy(ns, selector).length > 0)) continue;
      yield {
        manifest: pm,
        path: ['spec', 'selector'],
        message: `${named(pm)} selects no pods ${describeNamespaces(index, pm)}`,
      };
    }
  },
};

function serviceMonitorProblem(
  index: ObjectIndex,
  sm: Manifest,
  reach: ServiceMonitorReach,
): Violation | undefined {
  if (reach.selected.length === 0) {
    return {
      manifest: sm,
      path: ['spec', 'selector'],
      message: `${named(sm)} selects no Service ${describeNamespaces(index, sm)}`,
    };
  }
  if (reach.scraped.length > 0) return undefined;
  const endpoints = listOf(specOf(sm).endpoints);
  const portNames = endpoints.map((e) => e.port).filter((p): p is string => typeof p === 'string');
  const wanted =
    portNames.length > 0 ? `a port named ${portNames.map((p) => `"${p}"`).join(' or ')}` : 'a matching port';
  return {
    manifest: sm,
    path: endpoints.length > 0 ? ['spec', 'endpoints', 0, 'port'] : ['spec', 'endpoints'],
    message: `${named(sm)} selects ${namedList(reach.selected)}, but none has ${wanted}`,
  };
}

export const rules: Rule[] = [metricsExposed, monitorSelectsNothing];
