import { isRecord, type PathSegment } from '../model/types.js';
import { containersOf, isLongRunning } from '../model/workload.js';
import type { Rule } from './types.js';
import { programName, simpleCommands } from './util/command.js';
import { containersOfKinds, describeContainer, intField, recordAt, workloads } from './util/containers.js';
import { serviceTraffic, workloadInfos } from './util/selection.js';

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
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      if (!isLongRunning(w.manifest.object)) continue;
      const traffic = serviceTraffic(index, w);
      if (traffic.size === 0) continue;
      for (const container of containersOf(w.manifest.object, ['containers'])) {
        const routes = traffic.get(Number(container.path[container.path.length - 1]));
        if (!routes || isRecord(recordAt(container.container, 'lifecycle').preStop)) continue;
        yield {
          manifest: w.manifest,
          path: [...container.path, 'lifecycle', 'preStop'],
          message: `${describeContainer(container)} receives Service traffic but has no preStop hook`,
        };
      }
    }
  },
};

export const rules: Rule[] = [preStopExceedsGrace, preStopMissing];
