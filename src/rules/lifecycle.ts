import { pushTo } from '../model/collections.js';
import { isRecord, type PathSegment } from '../model/types.js';
import { isLongRunning, selects } from '../model/workload.js';
import type { Rule, RuleContext } from './types.js';
import { programName, simpleCommands } from './util/command.js';
import {
  containersOfKinds,
  declaredPorts,
  describeContainer,
  intField,
  recordAt,
  type Workload,
  workloads,
} from './util/containers.js';

/** The `lifecycle` checklist category. */

/** What Kubernetes uses when terminationGracePeriodSeconds is absent. */
const DEFAULT_GRACE_SECONDS = 30;

const SLEEP_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of one `sleep` invocation (`sleep 15`, `sleep 1m 30s`, `sleep infinity`), or undefined. */
function sleepArgs(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  let total = 0;
  for (const arg of args) {
    if (arg === 'infinity' || arg === 'inf') return Number.POSITIVE_INFINITY;
    const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(arg);
    if (!m) return undefined; // `sleep $DRAIN_SECONDS`: not knowable here
    total += Number(m[1]) * SLEEP_UNITS[m[2]];
  }
  return total;
}

/**
 * How long a preStop hook sleeps, and where: the native `sleep.seconds` action, or `sleep N`
 * run by exec directly or inside `sh -c` (sleeps in one script add up).
 */
export function preStopSleep(preStop: unknown): { seconds: number; path: PathSegment[] } | undefined {
  if (!isRecord(preStop)) return undefined;
  const native = intField(recordAt(preStop, 'sleep').seconds);
  if (native !== undefined) return { seconds: native, path: ['sleep', 'seconds'] };
  const exec = recordAt(preStop, 'exec');
  let total = 0;
  let found = false;
  for (let words of simpleCommands(exec.command)) {
    if (programName(words) === 'busybox') words = words.slice(1);
    if (programName(words) !== 'sleep') continue;
    const seconds = sleepArgs(words.slice(1));
    if (seconds === undefined) continue;
    total += seconds;
    found = true;
  }
  return found ? { seconds: total, path: ['exec', 'command'] } : undefined;
}

function formatSeconds(seconds: number): string {
  return Number.isFinite(seconds) ? `${seconds}s` : 'forever';
}

const preStopExceedsGrace: Rule = {
  meta: {
    id: 'lifecycle-prestop-exceeds-grace',
    category: 'lifecycle',
    severity: 'error',
    title: 'The preStop sleep is shorter than the termination grace period',
    why: 'The grace period counts from the start of the preStop hook. A hook that sleeps as long as the grace period (30s when unset) uses all of it: the container is killed with SIGKILL before it ever receives SIGTERM, dropping in-flight requests.',
    fix: 'Raise terminationGracePeriodSeconds above the preStop sleep plus the time the app needs to drain, or shorten the sleep.',
    example: {
      bad: `spec:
  containers:
    - name: app
      lifecycle:
        preStop:
          exec: { command: [sleep, "30"] }`,
      good: `spec:
  terminationGracePeriodSeconds: 60
  containers:
    - name: app
      lifecycle:
        preStop:
          sleep: { seconds: 10 }`,
    },
  },
  *check(ctx) {
    for (const workload of workloads(ctx)) {
      const { manifest, template } = workload;
      const configured = intField(template.spec.terminationGracePeriodSeconds);
      const grace = configured ?? DEFAULT_GRACE_SECONDS;
      for (const container of containersOfKinds(workload, ['containers', 'initContainers'])) {
        const sleep = preStopSleep(recordAt(container.container, 'lifecycle').preStop);
        if (!sleep || sleep.seconds < grace) continue;
        const graceText =
          configured === undefined ? `the default grace period of ${grace}s` : `a grace period of ${grace}s`;
        yield {
          manifest,
          path: [...container.path, 'lifecycle', 'preStop', ...sleep.path],
          message: `${describeContainer(container)} preStop hook sleeps ${formatSeconds(sleep.seconds)}, which uses up ${graceText}`,
        };
      }
    }
  },
};

/**
 * Services of each namespace, indexed by one `key=value` of their selector, so finding the
 * Services that select a pod costs a lookup per pod label instead of a scan of every Service.
 */
class ServiceSelectors {
  private readonly byLabel = new Map<string, Record<string, unknown>[]>();

  constructor(ctx: RuleContext) {
    for (const service of ctx.index.kind('Service')) {
      const selector = recordAt(service.object.spec, 'selector');
      const first = Object.entries(selector)[0];
      // A Service without a selector has hand-managed endpoints: it selects no pods.
      if (!first) continue;
      pushTo(this.byLabel, this.key(ctx.index.namespaceOf(service), first[0], String(first[1])), selector);
    }
  }

  private key(namespace: string, label: string, value: string): string {
    return `${namespace}\0${label}\0${value}`;
  }

  selectsPods(namespace: string, labels: Record<string, string>): boolean {
    for (const [label, value] of Object.entries(labels)) {
      const candidates = this.byLabel.get(this.key(namespace, label, String(value)));
      if (candidates?.some((selector) => selects(selector, labels))) return true;
    }
    return false;
  }
}

const preStopMissing: Rule = {
  meta: {
    id: 'lifecycle-prestop-missing',
    category: 'lifecycle',
    severity: 'info',
    title: 'Containers behind a Service wait for endpoints to update before stopping',
    why: 'When a pod is deleted, removing it from Service endpoints and sending SIGTERM happen at the same time. Without a short preStop pause, load balancers keep sending requests to a process that is already shutting down.',
    fix: 'Add a short preStop pause (lifecycle.preStop.sleep.seconds: 5 to 10, or exec sleep) and keep terminationGracePeriodSeconds above it plus the drain time.',
    example: {
      bad: `containers:
  - name: app
    ports: [{ name: http, containerPort: 8080 }]`,
      good: `terminationGracePeriodSeconds: 45
containers:
  - name: app
    ports: [{ name: http, containerPort: 8080 }]
    lifecycle:
      preStop:
        sleep: { seconds: 10 }`,
    },
  },
  *check(ctx) {
    const services = new ServiceSelectors(ctx);
    for (const workload of workloads(ctx)) {
      const { manifest, template } = workload;
      if (!isLongRunning(manifest.object)) continue;
      if (!services.selectsPods(ctx.index.namespaceOf(manifest), template.labels)) continue;
      for (const container of servingContainers(workload)) {
        if (isRecord(recordAt(container.container, 'lifecycle').preStop)) continue;
        yield {
          manifest,
          path: [...container.path, 'lifecycle', 'preStop'],
          message: `${describeContainer(container)} receives Service traffic but has no preStop hook`,
        };
      }
    }
  },
};

/** The containers that take traffic: those that declare ports, or the first one when none do. */
function servingContainers(workload: Workload) {
  const containers = containersOfKinds(workload, ['containers']);
  const withPorts = containers.filter((c) => declaredPorts(c.container).numbers.size > 0);
  return withPorts.length > 0 ? withPorts : containers.slice(0, 1);
}

export const rules: Rule[] = [preStopExceedsGrace, preStopMissing];
