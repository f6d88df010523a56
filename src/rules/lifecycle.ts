import { suggest } from '../model/suggest.js';
import { isRecord, type PathSegment, refKey } from '../model/types.js';
import { type ContainerRef, isLongRunning, type PodTemplate } from '../model/workload.js';
import { writtenAtRunTime } from './rbac.js';
import type { Rule } from './types.js';
import { programName, simpleCommands } from './util/command.js';
import { containersOfKinds, describeContainer, intField, recordAt, workloads } from './util/containers.js';
import { findNamed, generatedSecrets, namesIn } from './util/references.js';
import { EXAMPLE_SERVED_WEB, exampleDeployment, serviceTraffic, workloadInfos } from './util/selection.js';

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
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      lifecycle:
        preStop:
          exec: {command: [sleep, "40"]}`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 60
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      lifecycle:
        preStop:
          sleep: {seconds: 10}`,
      line: 10,
    },
    appliesTo:
      'Containers and init containers with a preStop sleep (the sleep action, or sleep run by exec or a shell script).',
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
      bad: EXAMPLE_SERVED_WEB,
      good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          lifecycle:
            preStop:
              sleep: {seconds: 10}
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
      'Regular containers of long-running workloads that receive Service traffic: a Service in the set selects the pods and one of its ports (not a metrics port) lands on the container.',
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      if (!isLongRunning(w.manifest.object)) continue;
      const traffic = serviceTraffic(index, w);
      if (traffic.size === 0) continue;
      for (const container of containersOfKinds(w, ['containers'])) {
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

// ---- references to ConfigMaps and Secrets -----------------------------------------------------

type ConfigKind = 'ConfigMap' | 'Secret';

interface ConfigReference {
  kind: ConfigKind;
  name: string;
  /** The keys the reference reads, when it names them. */
  keys: string[];
  path: PathSegment[];
  /** `container "api" (env DATABASE_URL)`, `volume "config"`: who reads it, for the message. */
  reader: string;
}

/**
 * The references in `holder` under a ConfigMap field and a Secret field (`configMapRef` and
 * `secretRef`, say) that name their object (in `name`, or the Secret's in `secretNameField`, as a
 * volume does) and are not optional.
 */
function* namedRefs(
  holder: unknown,
  configMapField: string,
  secretField: string,
  secretNameField = 'name',
): Generator<{
  field: string;
  nameField: string;
  kind: ConfigKind;
  ref: Record<string, unknown>;
  name: string;
}> {
  for (const [field, kind, nameField] of [
    [configMapField, 'ConfigMap', 'name'],
    [secretField, 'Secret', secretNameField],
  ] as const) {
    const ref = recordAt(holder, field);
    const name = ref[nameField];
    if (typeof name === 'string' && ref.optional !== true) yield { field, nameField, kind, ref, name };
  }
}

/** Every non-optional ConfigMap and Secret reference of a pod template. */
function* configReferences(
  template: PodTemplate,
  containers: readonly ContainerRef[],
): Generator<ConfigReference> {
  const itemKeys = (source: Record<string, unknown>) =>
    Array.isArray(source.items)
      ? source.items.flatMap((i) => (isRecord(i) && typeof i.key === 'string' ? [i.key] : []))
      : [];
  for (const c of containers) {
    const who = describeContainer(c);
    const env = Array.isArray(c.container.env) ? c.container.env : [];
    for (let i = 0; i < env.length; i++) {
      const e = env[i];
      const from = isRecord(e) ? recordAt(e, 'valueFrom') : {};
      for (const { field, kind, ref, name } of namedRefs(from, 'configMapKeyRef', 'secretKeyRef')) {
        const keys = typeof ref.key === 'string' ? [ref.key] : [];
        const reader = `${who} (env ${isRecord(e) ? String(e.name) : i})`;
        yield { kind, name, keys, path: [...c.path, 'env', i, 'valueFrom', field, 'name'], reader };
      }
    }
    const envFrom = Array.isArray(c.container.envFrom) ? c.container.envFrom : [];
    for (let i = 0; i < envFrom.length; i++) {
      for (const { field, kind, name } of namedRefs(envFrom[i], 'configMapRef', 'secretRef'))
        yield {
          kind,
          name,
          keys: [],
          path: [...c.path, 'envFrom', i, field, 'name'],
          reader: `${who} (envFrom)`,
        };
    }
  }
  const volumes = Array.isArray(template.spec.volumes) ? template.spec.volumes : [];
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i];
    if (!isRecord(v)) continue;
    const reader = `volume "${String(v.name)}"`;
    const base = [...template.specPath, 'volumes', i];
    for (const { field, nameField, kind, ref, name } of namedRefs(v, 'configMap', 'secret', 'secretName'))
      yield { kind, name, keys: itemKeys(ref), path: [...base, field, nameField], reader };
    const sources = recordAt(v, 'projected').sources;
    const list = Array.isArray(sources) ? sources : [];
    for (let j = 0; j < list.length; j++) {
      for (const { field, kind, ref, name } of namedRefs(list[j], 'configMap', 'secret'))
        yield {
          kind,
          name,
          keys: itemKeys(ref),
          path: [...base, 'projected', 'sources', j, field, 'name'],
          reader,
        };
    }
  }
}

/** The keys a ConfigMap or Secret defines (data, stringData, binaryData). */
function keysOf(object: Record<string, unknown>): Set<string> {
  return new Set(['data', 'stringData', 'binaryData'].flatMap((f) => Object.keys(recordAt(object, f))));
}

/** Every namespace has this ConfigMap, published by the control plane. */
const ALWAYS_THERE = new Set(['ConfigMap\u0000kube-root-ca.crt']);

const configReferenceMissing: Rule = {
  meta: {
    id: 'lifecycle-config-reference-missing',
    category: 'lifecycle',
    severity: 'error',
    title: 'Pods read only ConfigMaps, Secrets and keys that exist',
    why:
      'A container whose env or envFrom names a ConfigMap or Secret (or a key) that is not there does ' +
      'not start (CreateContainerConfigError), and a missing volume source keeps the pod in ' +
      'ContainerCreating: the rollout stalls on a typo or a rename.',
    fix: 'Name an object (and key) the set defines, add it, or mark the reference optional: true if the app copes without it.',
    example: {
      bad: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {LOG_LEVEL: info}\n---\n${exampleDeployment().replace(
        '          image: ghcr.io/acme/web:1.4.2',
        '          image: ghcr.io/acme/web:1.4.2\n          envFrom: [{configMapRef: {name: web-config}}]',
      )}`,
      good: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {LOG_LEVEL: info}\n---\n${exampleDeployment().replace(
        '          image: ghcr.io/acme/web:1.4.2',
        '          image: ghcr.io/acme/web:1.4.2\n          envFrom: [{configMapRef: {name: web}}]',
      )}`,
      line: 18,
    },
    appliesTo:
      'Non-optional env, envFrom and volume (also projected) references, in namespaces where the set ' +
      'defines objects of that kind; keys are checked on objects the set defines. Not where something ' +
      'in the set may write that kind at run time (a role that grants create, update or patch on it, ' +
      'like a hook Job that generates a password), nor Secrets that External Secrets, Sealed Secrets ' +
      'or cert-manager Certificates in the set produce.',
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      for (const ref of configReferences(w.template, w.containers)) {
        const defined = namesIn(index, ref.kind, w.namespace);
        if (defined.size === 0 || ALWAYS_THERE.has(`${ref.kind}\u0000${ref.name}`)) continue;
        const resource = ref.kind === 'ConfigMap' ? 'configmaps' : 'secrets';
        if (writtenAtRunTime(index, resource, w.namespace)) continue;
        if (ref.kind === 'Secret' && generatedSecrets(index, w.namespace).has(ref.name)) continue;
        const object = findNamed(index, ref.kind, w.namespace, ref.name);
        const cause = {
          key: `config-ref\u0000${refKey(w.manifest.ref)}\u0000${ref.kind}\u0000${ref.name}`,
          also: `${ref.reader} too`,
        };
        if (!object) {
          yield {
            manifest: w.manifest,
            path: ref.path,
            message: `${ref.reader} reads ${ref.kind} "${ref.name}", which the set does not define in namespace "${w.namespace}"${suggest(ref.name, defined)}: the pod cannot start`,
            cause,
          };
          continue;
        }
        const keys = keysOf(object.object);
        const missing = ref.keys.filter((k) => !keys.has(k));
        if (missing.length === 0) continue;
        yield {
          manifest: w.manifest,
          path: ref.path,
          message: `${ref.reader} reads key${missing.length === 1 ? '' : 's'} ${missing.map((k) => `"${k}"`).join(', ')} of ${ref.kind} "${ref.name}", which has no such key${suggest(missing[0], keys)}: the pod cannot start`,
          cause,
        };
      }
    }
  },
};

const envDuplicate: Rule = {
  meta: {
    id: 'lifecycle-env-duplicate',
    category: 'lifecycle',
    severity: 'warning',
    title: 'Containers set each environment variable once',
    why:
      'When a container lists the same variable twice, the last one wins without a word: the value ' +
      'someone just changed in the first entry has no effect, and reviews read the wrong one.',
    fix: 'Keep one entry per variable name in the container env list.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      env:
        - {name: LOG_LEVEL, value: debug}
        - {name: LOG_LEVEL, value: info}`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      env:
        - {name: LOG_LEVEL, value: info}`,
      line: 10,
    },
    appliesTo:
      'The env list of every container (init and ephemeral too). A variable from envFrom that env ' +
      'sets again is an intended override and is left alone.',
  },
  *check(ctx) {
    for (const workload of workloads(ctx)) {
      for (const c of workload.containers) {
        const env = Array.isArray(c.container.env) ? c.container.env : [];
        const seen = new Set<string>();
        for (let i = 0; i < env.length; i++) {
          const e = env[i];
          if (!isRecord(e) || typeof e.name !== 'string') continue;
          if (!seen.has(e.name)) {
            seen.add(e.name);
            continue;
          }
          yield {
            manifest: workload.manifest,
            path: [...c.path, 'env', i],
            message: `${describeContainer(c)} sets ${e.name} more than once; the last entry wins and the earlier one is ignored`,
          };
        }
      }
    }
  },
};

export const rules: Rule[] = [preStopExceedsGrace, preStopMissing, configReferenceMissing, envDuplicate];
