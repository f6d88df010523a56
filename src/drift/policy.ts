import { type PathStep, parsePath } from '../model/path.js';
import type { FieldPath } from '../model/types.js';
import type { DriftPolicy, ManagerEntry } from './types.js';

/**
 * Which writers are Git's, which controllers may own which fields, and which paths never count.
 * Sensible defaults; the config file replaces any of the three lists.
 */

export const DEFAULT_DRIFT_POLICY: DriftPolicy = {
  deployers: [
    'helm',
    'kubectl-client-side-apply',
    'kubectl:Apply',
    'kubectl-create',
    'kubectl-replace',
    'argocd-controller',
    'argocd-application-controller',
    'kustomize-controller',
    'helm-controller',
    'before-first-apply',
    'Go-http-client:Apply',
  ],
  controllers: [
    // Deployment revisions, HPA scaling (through the scale subresource), garbage collection.
    {
      manager: 'kube-controller-manager',
      paths: ['metadata.annotations.*', 'metadata.labels.*', 'metadata.finalizers', 'spec.replicas'],
    },
    { manager: 'kube-scheduler' },
    { manager: 'kubelet' },
    { manager: 'cluster-autoscaler', paths: ['spec.replicas'] },
    { manager: 'keda-operator', paths: ['spec.replicas'] },
    { manager: 'vpa-updater', paths: ['spec.template.spec.containers[*].resources.**'] },
    { manager: 'cainjector', paths: ['**.caBundle'] },
  ],
  ignore: [
    'status.**',
    'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]',
    'metadata.annotations["deployment.kubernetes.io/revision"]',
    'metadata.annotations["meta.helm.sh/release-name"]',
    'metadata.annotations["meta.helm.sh/release-namespace"]',
  ],
};

/** `helm` matches the manager; `kubectl:Apply` the manager with that operation. */
export function isDeployer(entry: ManagerEntry, policy: DriftPolicy): boolean {
  return policy.deployers.some((d) => {
    const colon = d.lastIndexOf(':');
    if (colon < 0) return d === entry.manager;
    return d.slice(0, colon) === entry.manager && d.slice(colon + 1) === entry.operation;
  });
}

export function controllerMayOwn(entry: ManagerEntry, path: FieldPath, policy: DriftPolicy): boolean {
  return remembered(policy, `${entry.manager}\n${path}`, () =>
    policy.controllers.some(
      (c) => c.manager === entry.manager && (!c.paths || c.paths.some((p) => pathMatches(p, path))),
    ),
  );
}

export function isIgnored(path: FieldPath, policy: DriftPolicy): boolean {
  return remembered(policy, path, () => policy.ignore.some((p) => pathMatches(p, path)));
}

/**
 * The same paths come up in every object of a kind (`spec.template.spec.containers[name=app].image`
 * in each of 2,800 Deployments): each answer is worked out once per policy (a policy does not
 * change once a run has started).
 */
const answers = new WeakMap<DriftPolicy, Map<string, boolean>>();

function remembered(policy: DriftPolicy, key: string, answer: () => boolean): boolean {
  let known = answers.get(policy);
  if (!known) {
    known = new Map();
    answers.set(policy, known);
  }
  let value = known.get(key);
  if (value === undefined) {
    value = answer();
    if (known.size < 200_000) known.set(key, value);
  }
  return value;
}

/** Does a display path match a pattern? `*` is one step, `**` any number of steps. */
export function pathMatches(pattern: string, path: FieldPath): boolean {
  const want = patternTokens(pattern);
  const have = tokens(path);
  if (!want || !have) return false;
  return matchFrom(want, 0, have, 0);
}

function matchFrom(want: string[], i: number, have: string[], j: number): boolean {
  if (i === want.length) return j === have.length;
  if (want[i] === '**') {
    for (let k = j; k <= have.length; k++) if (matchFrom(want, i + 1, have, k)) return true;
    return false;
  }
  if (j === have.length) return false;
  return (want[i] === '*' || want[i] === have[j]) && matchFrom(want, i + 1, have, j + 1);
}

/** At most this many `**` in one pattern: each one more multiplies the matching work by the depth. */
export const MAX_DEEP_WILDCARDS = 2;

/** Why `pattern` cannot be a field path pattern (for the config to report), or undefined. */
export function pathPatternProblem(pattern: string): string | undefined {
  const steps = tokens(pattern.replaceAll('[*]', '.*'));
  if (!steps) return 'not a field path (e.g. spec.replicas, metadata.annotations["a/b"], spec.**)';
  if (steps.filter((t) => t === '**').length > MAX_DEEP_WILDCARDS)
    return `at most ${MAX_DEEP_WILDCARDS} \`**\` in one pattern (each more multiplies the work of matching)`;
  return undefined;
}

/** Patterns are few and asked about for every field compared: each is parsed once. */
const patterns = new Map<string, string[] | undefined>();

function patternTokens(pattern: string): string[] | undefined {
  if (!patterns.has(pattern)) patterns.set(pattern, tokens(pattern.replaceAll('[*]', '.*')));
  return patterns.get(pattern);
}

function tokens(path: string): string[] | undefined {
  try {
    return parsePath(path).map(token);
  } catch {
    return undefined;
  }
}

function token(step: PathStep): string {
  if ('key' in step) return step.key;
  if ('index' in step) return `[${step.index}]`;
  return `[${step.match.key}=${step.match.value}]`;
}
