import { DEFAULT_DRIFT_POLICY, pathPatternProblem } from '../drift/policy.js';
import type { DriftPolicy } from '../drift/types.js';
import {
  type Bounds,
  type ConfigPath,
  type ConfigReader,
  type ConfigSection,
  describe,
  expectBoolean,
  expectMap,
  expectStringList,
  outOfBounds,
  rejectUnknownKeys,
} from './validate.js';

/**
 * The `drift:` section of `.shipshape.yaml`:
 *
 *   drift:
 *     deployers: [helm, argocd-controller]        # replaces the default list
 *     controllers:                                # replaces the default list
 *       - { manager: kube-controller-manager, paths: [spec.replicas] }
 *     ignore: ['spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]']  # adds
 *     namespaces: [shop, payments]                # images and orphans; default: Git's namespaces
 *     allNamespaces: false                        # image scope: every namespace
 *     serverSideDryRun: false                     # needs patch permission
 *     orphans: false                              # list live objects no target declares
 *     requestTimeoutSeconds: 30                   # one request to the API server
 *     deadlineSeconds: 600                        # the whole run against the cluster
 *
 * Field path patterns (`ignore`, a controller's `paths`) must parse and hold at most two `**`.
 */

export interface DriftConfig {
  policy: DriftPolicy;
  namespaces: string[];
  allNamespaces: boolean;
  serverSideDryRun: boolean;
  orphans: boolean;
  requestTimeoutMs: number;
  deadlineMs: number;
}

const KEYS = [
  'deployers',
  'controllers',
  'ignore',
  'namespaces',
  'allNamespaces',
  'serverSideDryRun',
  'orphans',
  'requestTimeoutSeconds',
  'deadlineSeconds',
];

/** Bounds of the time limits, in seconds (the command line's --request-timeout and --timeout too). */
export const TIME_LIMITS = {
  requestTimeoutSeconds: { min: 1, max: 600, unit: 'seconds', fallback: 30 },
  deadlineSeconds: { min: 5, max: 6 * 3600, unit: 'seconds', fallback: 600 },
} as const satisfies Record<string, Bounds & { fallback: number }>;

export function defaultDriftConfig(): DriftConfig {
  return {
    policy: structuredClone(DEFAULT_DRIFT_POLICY),
    namespaces: [],
    allNamespaces: false,
    serverSideDryRun: false,
    orphans: false,
    requestTimeoutMs: TIME_LIMITS.requestTimeoutSeconds.fallback * 1000,
    deadlineMs: TIME_LIMITS.deadlineSeconds.fallback * 1000,
  };
}

/** A number of seconds within bounds (a string of digits too: a flag), or what is wrong with it. */
export function secondsWithin(value: unknown, key: keyof typeof TIME_LIMITS): number | string {
  const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  return outOfBounds(n, TIME_LIMITS[key]) ?? (n as number);
}

export const driftSection: ConfigSection<DriftConfig> = {
  defaults: defaultDriftConfig,
  read(value, r, p) {
    const out = defaultDriftConfig();
    const map = expectMap(value, r, p);
    if (!map) return out;
    rejectUnknownKeys(map, KEYS, r, p);
    if ('deployers' in map)
      out.policy.deployers = list(map.deployers, r, [...p, 'deployers']) ?? out.policy.deployers;
    if ('ignore' in map) out.policy.ignore.push(...(patterns(map.ignore, r, [...p, 'ignore']) ?? []));
    if ('namespaces' in map) out.namespaces = list(map.namespaces, r, [...p, 'namespaces']) ?? [];
    if ('controllers' in map)
      out.policy.controllers =
        controllers(map.controllers, r, [...p, 'controllers']) ?? out.policy.controllers;
    for (const key of ['allNamespaces', 'serverSideDryRun', 'orphans'] as const) {
      if (key in map) out[key] = expectBoolean(map[key], r, [...p, key]) ?? out[key];
    }
    for (const [key, field] of [
      ['requestTimeoutSeconds', 'requestTimeoutMs'],
      ['deadlineSeconds', 'deadlineMs'],
    ] as const) {
      if (!(key in map)) continue;
      const seconds = secondsWithin(map[key], key);
      if (typeof seconds === 'string') r.error([...p, key], seconds);
      else out[field] = Math.round(seconds * 1000);
    }
    return out;
  },
};

/** A list of strings given explicitly (nothing is an error here: it would empty a default list). */
function list(value: unknown, r: ConfigReader, p: ConfigPath): string[] | undefined {
  if (value === null || value === undefined) {
    r.error(p, `must be a list of strings, got ${describe(value)}`);
    return undefined;
  }
  return expectStringList(value, r, p);
}

function patterns(value: unknown, r: ConfigReader, p: ConfigPath): string[] | undefined {
  if (value === null || value === undefined) return list(value, r, p);
  return expectStringList(value, r, p, {
    each(pattern, at) {
      const problem = pathPatternProblem(pattern);
      if (problem) r.error(at, problem);
      return !problem;
    },
  });
}

function controllers(value: unknown, r: ConfigReader, p: ConfigPath): DriftPolicy['controllers'] | undefined {
  if (!Array.isArray(value)) {
    r.error(p, `must be a list of { manager, paths }, got ${describe(value)}`);
    return undefined;
  }
  const out: DriftPolicy['controllers'] = [];
  value.forEach((v, i) => {
    if (typeof v === 'string' && v) {
      out.push({ manager: v });
      return;
    }
    const map = expectMap(v, r, [...p, i], 'a manager name or { manager, paths }');
    if (!map) {
      if (v === null || v === undefined) r.error([...p, i], 'must be a manager name or { manager, paths }');
      return;
    }
    rejectUnknownKeys(map, ['manager', 'paths'], r, [...p, i]);
    if (typeof map.manager !== 'string' || !map.manager) {
      r.error([...p, i, 'manager'], `must be a manager name, got ${describe(map.manager)}`);
      return;
    }
    const paths = 'paths' in map ? patterns(map.paths, r, [...p, i, 'paths']) : undefined;
    out.push(paths ? { manager: map.manager, paths } : { manager: map.manager });
  });
  return out;
}
