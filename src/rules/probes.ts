import { isRecord, type PathSegment, refKey } from '../model/types.js';
import { isLongRunning } from '../model/workload.js';
import type { Rule, RuleContext, Violation } from './types.js';
import { optionValue, programName, simpleCommands } from './util/command.js';
import {
  containersOfKinds,
  declaredPorts,
  describeContainer,
  intField,
  type WorkloadContainer,
  workloadContainers,
} from './util/containers.js';
import {
  EXAMPLE_SERVED_WEB,
  named,
  type ServiceRoute,
  serviceTraffic,
  workloadInfos,
} from './util/selection.js';

/** The `probes` checklist category. */

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
type ProbeField = (typeof PROBES)[number];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

/**
 * Regular containers of workloads that keep pods running. Jobs and CronJobs run to completion,
 * and so does a bare Pod whose restartPolicy is Never or OnFailure, or that is a Helm or Argo CD
 * hook.
 */
function* longRunningContainers(ctx: RuleContext): Generator<WorkloadContainer> {
  for (const wc of workloadContainers(ctx, ['containers'])) {
    if (isLongRunning(wc.manifest.object)) yield wc;
  }
}

function probeOf(wc: WorkloadContainer, field: ProbeField): Record<string, unknown> | undefined {
  const probe = wc.container.container[field];
  return isRecord(probe) ? probe : undefined;
}

function missingProbe(field: ProbeField, label: string) {
  return function* (ctx: RuleContext): Generator<Violation> {
    for (const wc of longRunningContainers(ctx)) {
      if (probeOf(wc, field)) continue;
      yield {
        manifest: wc.manifest,
        path: [...wc.container.path, field],
        message: `${describeContainer(wc.container)} has no ${label} probe`,
      };
    }
  };
}

const readinessMissing: Rule = {
  meta: {
    id: 'probes-readiness-missing',
    category: 'probes',
    severity: 'error',
    title: 'Serving containers have a readiness probe',
    why: 'Without a readiness probe a pod receives traffic the moment its process starts, before it can answer, and keeps receiving it while it is overloaded or shutting down.',
    fix: 'Add a readinessProbe that answers only when the container can serve requests (an HTTP endpoint such as /healthz/ready).',
    example: {
      bad: EXAMPLE_SERVED_WEB,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /healthz/ready, port: http}
            periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]`,
      line: 10,
    },
    appliesTo:
      'Regular containers that receive Service traffic: a Service in the set selects the pods and one ' +
      'of its ports (not a metrics port) lands on the container. Sidecars and workers that no Service ' +
      'reaches, controllers that only serve metrics, and run-to-completion work are left alone.',
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      if (!isLongRunning(w.manifest.object)) continue;
      const traffic = serviceTraffic(index, w);
      if (traffic.size === 0) continue;
      for (const c of containersOfKinds(w, ['containers'])) {
        const routes = traffic.get(Number(c.path[c.path.length - 1]));
        if (!routes || isRecord(c.container.readinessProbe)) continue;
        yield {
          manifest: w.manifest,
          path: [...c.path, 'readinessProbe'],
          message: `${describeContainer(c)} receives traffic from ${describeRoutes(routes)} but has no readiness probe`,
        };
      }
    }
  },
};

/** `Service "web" (ports http, grpc)`, and how many more Services. */
export function describeRoutes(routes: readonly ServiceRoute[]): string {
  const first = routes[0].service;
  const ports = [...new Set(routes.filter((r) => r.service === first).map((r) => r.port))];
  const others = new Set(routes.map((r) => r.service));
  others.delete(first);
  const more = others.size === 0 ? '' : ` and ${others.size} more Service${others.size === 1 ? '' : 's'}`;
  return `${named(first)} (port${ports.length === 1 ? '' : 's'} ${ports.join(', ')})${more}`;
}

const livenessMissing: Rule = {
  meta: {
    id: 'probes-liveness-missing',
    category: 'probes',
    severity: 'warning',
    title: 'Serving containers have a liveness probe',
    why: 'A process that deadlocks without exiting keeps its pod Running forever; a liveness probe lets the kubelet restart it.',
    fix: 'Add a livenessProbe that checks only the process itself (an endpoint that does not call databases or other services).',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      readinessProbe: {httpGet: {path: /healthz/ready, port: 8080}}`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      readinessProbe: {httpGet: {path: /healthz/ready, port: 8080}}
      livenessProbe: {httpGet: {path: /healthz/live, port: 8080}, periodSeconds: 20}`,
      line: 6,
    },
    appliesTo:
      'Regular containers of workloads that keep pods running. Not Jobs, CronJobs, Pods that run once, or Helm and Argo CD hooks; not init or ephemeral containers.',
  },
  check: missingProbe('livenessProbe', 'liveness'),
};

/** A liveness delay this long means a slow starter, which a startupProbe protects better. */
const SLOW_START_SECONDS = 60;

const startupMissing: Rule = {
  meta: {
    id: 'probes-startup-missing',
    category: 'probes',
    severity: 'warning',
    title: 'Slow starters use a startup probe, not a long liveness delay',
    why: 'A long initialDelaySeconds on the liveness probe leaves a hung container undetected for that long on every restart, and is still too short on a bad day. A startupProbe holds liveness off exactly until the app has started.',
    fix: 'Add a startupProbe (failureThreshold x periodSeconds covering the slowest start) and drop the liveness initialDelaySeconds.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      livenessProbe:
        httpGet: {path: /healthz/live, port: 8080}
        initialDelaySeconds: 120`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      startupProbe:
        httpGet: {path: /healthz/live, port: 8080}
        periodSeconds: 10
        failureThreshold: 30
      livenessProbe:
        httpGet: {path: /healthz/live, port: 8080}`,
      line: 10,
    },
    appliesTo:
      'Containers and init containers whose liveness probe waits 60 seconds or more and that have no startup probe.',
  },
  *check(ctx) {
    for (const wc of workloadContainers(ctx, ['containers', 'initContainers'])) {
      const liveness = probeOf(wc, 'livenessProbe');
      if (!liveness || probeOf(wc, 'startupProbe')) continue;
      const delay = intField(liveness.initialDelaySeconds);
      if (delay === undefined || delay < SLOW_START_SECONDS) continue;
      yield {
        manifest: wc.manifest,
        path: [...wc.container.path, 'livenessProbe', 'initialDelaySeconds'],
        message: `${describeContainer(wc.container)} delays its liveness probe by ${delay}s and has no startup probe`,
      };
    }
  },
};

// ---- liveness that depends on other services --------------------------------------------

/** Hosts that are the pod itself. Anything else (a Service name, an env var for one) is another service. */
function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === '' ||
    h === 'localhost' ||
    h === '::1' ||
    h === '0.0.0.0' ||
    h.startsWith('127.') ||
    h.startsWith('/') || // a unix socket path
    /^\$\{?(hostname|pod_ip|my_pod_ip|host_ip)\}?$/i.test(h) ||
    h.startsWith('$(hostname')
  );
}

/** The host of `scheme://user:pass@host:port/path` or `host:port/path`. */
function hostOfUrl(text: string): string {
  const rest = text.includes('://') ? text.slice(text.indexOf('://') + 3) : text;
  const authority = rest.split(/[/?#]/)[0];
  const hostPort = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1);
  return hostPort.split(',')[0].split(':')[0];
}

/** Database and queue clients, and how each names the server it talks to. */
const CLIENT_HOST_OPTIONS: Record<string, { short?: string; long?: string; positional?: boolean }> = {
  psql: { short: 'h', long: 'host' },
  pg_isready: { short: 'h', long: 'host' },
  mysql: { short: 'h', long: 'host' },
  mysqladmin: { short: 'h', long: 'host' },
  mariadb: { short: 'h', long: 'host' },
  'mariadb-admin': { short: 'h', long: 'host' },
  'redis-cli': { short: 'h' },
  'valkey-cli': { short: 'h' },
  mongo: { long: 'host' },
  mongosh: { long: 'host' },
  'clickhouse-client': { long: 'host' },
  cqlsh: { positional: true },
  grpc_health_probe: { long: 'addr' },
  etcdctl: { long: 'endpoints' },
};
const HTTP_CLIENTS = new Set(['curl', 'wget', 'http', 'httpie']);
const PORT_CHECKERS = new Set(['nc', 'ncat', 'netcat']);

/** `nc [options] host port`: the host is the word before the port. */
function netcatHost(words: readonly string[]): string | undefined {
  const operands = words.slice(1).filter((w) => !w.startsWith('-'));
  if (operands.length < 2 || !/^\d+$/.test(operands[operands.length - 1])) return undefined;
  return operands[operands.length - 2];
}

/** The other host an exec command reaches, with the program that reaches it, if any. */
function remoteCall(command: unknown): { program: string; host: string } | undefined {
  for (const words of simpleCommands(command)) {
    const program = programName(words);
    const options = CLIENT_HOST_OPTIONS[program];
    if (options) {
      const value = optionValue(words, options.short, options.long);
      const url = words.slice(1).find((w) => /^[a-z][a-z0-9+.-]*:\/\//i.test(w));
      // libpq connection strings: psql "host=orders-db dbname=orders"
      const conninfo = words
        .slice(1)
        .map((w) => /(?:^|\s)host=(\S+)/.exec(w)?.[1])
        .find(Boolean);
      // cqlsh HOST [PORT]
      const positional =
        options.positional && words.length > 1 && !words[1].startsWith('-') ? words[1] : undefined;
      const host =
        value !== undefined
          ? hostOfUrl(value)
          : url !== undefined
            ? hostOfUrl(url)
            : (conninfo ?? positional);
      if (host !== undefined && !isLocalHost(host)) return { program, host };
    } else if (PORT_CHECKERS.has(program)) {
      const host = netcatHost(words);
      if (host !== undefined && !isLocalHost(host)) return { program, host };
    } else if (HTTP_CLIENTS.has(program)) {
      const target = words.slice(1).find((w) => w.includes('://')) ?? words.slice(1).find(looksLikeHostPath);
      if (target !== undefined) {
        const host = hostOfUrl(target);
        if (!isLocalHost(host)) return { program, host };
      }
    }
  }
  return undefined;
}

function looksLikeHostPath(word: string): boolean {
  return !word.startsWith('-') && /^[A-Za-z0-9$_{}.-]+(:\d+)?\/\S*$/.test(word);
}

/**
 * Words in an HTTP probe path that name a dependency: a kind of service, or a product. Words that
 * only describe how thorough a check is (`full`, `deep`, `verbose`) or name a part of the app
 * (`backend`) are not enough: `/healthz?full=true` may still check only the process.
 */
const DEPENDENCY_WORDS = new Set([
  'db',
  'database',
  'databases',
  'dep',
  'deps',
  'dependency',
  'dependencies',
  'upstream',
  'upstreams',
  'downstream',
  'downstreams',
  'postgres',
  'postgresql',
  'pg',
  'mysql',
  'redis',
  'mongo',
  'mongodb',
  'kafka',
  'rabbitmq',
  'amqp',
  'elasticsearch',
  'cassandra',
]);

function dependencyWordInPath(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  return path
    .toLowerCase()
    .split(/[/?&=.,_\-:;]+/)
    .find((word) => DEPENDENCY_WORDS.has(word));
}

/** Why a liveness probe depends on something outside its own process, or undefined. */
function livenessDependency(
  liveness: Record<string, unknown>,
): { reason: string; path: PathSegment[] } | undefined {
  const exec = isRecord(liveness.exec) ? liveness.exec : undefined;
  if (exec) {
    const call = remoteCall(exec.command);
    if (call) return { reason: `runs ${call.program} against ${call.host}`, path: ['exec', 'command'] };
  }
  for (const handler of ['httpGet', 'tcpSocket'] as const) {
    const h = isRecord(liveness[handler]) ? (liveness[handler] as Record<string, unknown>) : undefined;
    if (h && typeof h.host === 'string' && !isLocalHost(h.host)) {
      return { reason: `checks another host (${h.host})`, path: [handler, 'host'] };
    }
  }
  const http = isRecord(liveness.httpGet) ? liveness.httpGet : undefined;
  const word = http ? dependencyWordInPath(http.path) : undefined;
  if (http && word) {
    return {
      reason: `calls ${String(http.path)}, whose path names a dependency ("${word}"), so it likely checks more than the process`,
      path: ['httpGet', 'path'],
    };
  }
  return undefined;
}

const livenessDependsOnService: Rule = {
  meta: {
    id: 'probes-liveness-dependency',
    category: 'probes',
    severity: 'error',
    title: 'Liveness probes do not depend on other services',
    why: 'When a liveness probe checks a database or another service, a slow dependency makes every pod fail liveness at once: the kubelet restarts them all, the survivors take the load and fail too. A dependency outage becomes your outage.',
    fix: 'Make liveness check only the process (is it able to answer at all?). Put dependency checks in the readiness probe, which takes pods out of rotation without restarting them.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      livenessProbe:
        exec:
          command: [sh, -c, "pg_isready -h orders-db -p 5432"]`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      livenessProbe:
        httpGet: {path: /healthz/live, port: 8080}
      readinessProbe:
        httpGet: {path: /healthz/ready, port: 8080}`,
      line: 10,
    },
    appliesTo:
      'Liveness probes of containers and init containers: exec commands that run a database, queue or HTTP client against another host; httpGet or tcpSocket probes against another host; HTTP paths with a word that names a dependency (db, database, dependencies, upstream, or a product such as postgres, redis or kafka). The last is a guess from words, and the message says which word it went by.',
  },
  *check(ctx) {
    for (const wc of workloadContainers(ctx, ['containers', 'initContainers'])) {
      const liveness = probeOf(wc, 'livenessProbe');
      const dependency = liveness && livenessDependency(liveness);
      if (!dependency) continue;
      yield {
        manifest: wc.manifest,
        path: [...wc.container.path, 'livenessProbe', ...dependency.path],
        message: `${describeContainer(wc.container)} liveness probe ${dependency.reason}`,
      };
    }
  },
};

/** The probe's handler in a canonical form (keys sorted), timings left out. */
function handlerKey(probe: Record<string, unknown>): string | undefined {
  for (const handler of HANDLERS) {
    if (probe[handler] !== undefined) return `${handler}:${canonicalJson(probe[handler])}`;
  }
  return undefined;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const livenessSameAsReadiness: Rule = {
  meta: {
    id: 'probes-liveness-same-as-readiness',
    category: 'probes',
    severity: 'warning',
    title: 'Liveness and readiness probes check different things',
    why: 'Readiness answers "can I take traffic?", which usually includes dependencies; liveness answers "am I stuck?". With the same check, anything that makes a pod unready also gets it restarted, turning brief overloads into restart storms.',
    fix: 'Point liveness at a cheaper endpoint that checks only the process, and keep the readiness probe for traffic decisions.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      readinessProbe: {httpGet: {path: /healthz, port: 8080}}
      livenessProbe: {httpGet: {path: /healthz, port: 8080}}`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      readinessProbe: {httpGet: {path: /healthz/ready, port: 8080}}
      livenessProbe: {httpGet: {path: /healthz/live, port: 8080}}`,
      line: 9,
    },
    appliesTo:
      'Containers and init containers that have both probes, compared by their handler (timings aside).',
  },
  *check(ctx) {
    for (const wc of workloadContainers(ctx, ['containers', 'initContainers'])) {
      const liveness = probeOf(wc, 'livenessProbe');
      const readiness = probeOf(wc, 'readinessProbe');
      if (!liveness || !readiness) continue;
      const key = handlerKey(liveness);
      if (key === undefined || key !== handlerKey(readiness)) continue;
      yield {
        manifest: wc.manifest,
        path: [...wc.container.path, 'livenessProbe'],
        message: `${describeContainer(wc.container)} liveness probe is the same check as its readiness probe`,
      };
    }
  },
};

// ---- probe ports ---------------------------------------------------------------------------

interface ProbePort {
  wc: WorkloadContainer;
  field: ProbeField;
  port: string | number;
  path: PathSegment[];
}

/** Probes of one container on the same missing port are one thing to fix: one finding. */
function portCause(pp: ProbePort): Violation['cause'] {
  const { manifest, container } = pp.wc;
  return {
    key: `probe-port\u0000${refKey(manifest.ref)}\u0000${container.path.join('.')}\u0000${pp.port}`,
    also: `the ${PROBE_LABEL[pp.field]} probe uses it too`,
  };
}

function* probePorts(ctx: RuleContext): Generator<ProbePort> {
  for (const wc of workloadContainers(ctx, ['containers', 'initContainers'])) {
    for (const field of PROBES) {
      const probe = probeOf(wc, field);
      if (!probe) continue;
      for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
        const h = probe[handler];
        if (!isRecord(h)) continue;
        // A probe against another host is about that host's ports, not this container's.
        if (typeof h.host === 'string' && !isLocalHost(h.host)) continue;
        const port = h.port;
        if (typeof port !== 'string' && typeof port !== 'number') continue;
        yield { wc, field, port, path: [...wc.container.path, field, handler, 'port'] };
      }
    }
  }
}

const PROBE_LABEL: Record<ProbeField, string> = {
  readinessProbe: 'readiness',
  livenessProbe: 'liveness',
  startupProbe: 'startup',
};

const namedPortUnknown: Rule = {
  meta: {
    id: 'probes-port-name-unknown',
    category: 'probes',
    severity: 'error',
    title: 'Probes use port names the container declares',
    why: 'A probe on a port name the container does not declare can never succeed: the pod never becomes ready, or is restarted in a loop.',
    fix: 'Use a name from the container’s ports list (or add the port there).',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports: [{name: http, containerPort: 8080}]
      readinessProbe: {httpGet: {path: /ready, port: web}}`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports: [{name: http, containerPort: 8080}]
      readinessProbe: {httpGet: {path: /ready, port: http}}`,
      line: 9,
    },
    appliesTo: 'httpGet, tcpSocket and grpc probes on a named port, except probes against another host.',
  },
  *check(ctx) {
    for (const pp of probePorts(ctx)) {
      const { wc, field, port, path } = pp;
      if (typeof port !== 'string' || /^\d+$/.test(port)) continue;
      if (declaredPorts(wc.container.container).names.has(port)) continue;
      yield {
        manifest: wc.manifest,
        path,
        message: `${describeContainer(wc.container)} ${PROBE_LABEL[field]} probe uses port "${port}", which the container does not declare`,
        cause: portCause(pp),
      };
    }
  },
};

const numericPortUndeclared: Rule = {
  meta: {
    id: 'probes-port-undeclared',
    category: 'probes',
    severity: 'warning',
    title: 'Probes use a port the container declares',
    why: 'When a container lists its ports, a probe on a number that is not among them is usually a typo or a port that moved, and fails on the next rollout.',
    fix: 'Probe a declared port, preferably by name, or declare the port the probe uses.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports: [{name: http, containerPort: 8080}]
      livenessProbe: {httpGet: {path: /live, port: 8081}}`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports: [{name: http, containerPort: 8080}]
      livenessProbe: {httpGet: {path: /live, port: http}}`,
      line: 9,
    },
    appliesTo:
      'Probes on a port number, in containers that declare ports (one that declares none is not judged). All probes of one container on one port are one finding.',
  },
  *check(ctx) {
    for (const pp of probePorts(ctx)) {
      const { wc, field, port, path } = pp;
      const number = typeof port === 'number' ? port : /^\d+$/.test(port) ? Number(port) : undefined;
      if (number === undefined) continue;
      const { numbers } = declaredPorts(wc.container.container);
      if (numbers.size === 0 || numbers.has(number)) continue;
      yield {
        manifest: wc.manifest,
        path,
        message: `${describeContainer(wc.container)} ${PROBE_LABEL[field]} probe uses port ${number}, which the container does not declare`,
        cause: portCause(pp),
      };
    }
  },
};

export const rules: Rule[] = [
  readinessMissing,
  livenessMissing,
  startupMissing,
  livenessDependsOnService,
  livenessSameAsReadiness,
  namedPortUnknown,
  numericPortUndeclared,
];
