import type { ConfigPath, ConfigReader, ConfigSection } from '../config.js';
import { isRecord } from '../model/types.js';
import { DEFAULT_DRIFT_POLICY } from './policy.js';
import type { DriftPolicy } from './types.js';

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

/** Bounds of the time limits, in seconds. */
export const TIME_LIMITS = {
  requestTimeoutSeconds: { min: 1, max: 600, fallback: 30 },
  deadlineSeconds: { min: 5, max: 6 * 3600, fallback: 600 },
} as const;

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

/** A number of seconds within bounds, or a message saying what is wrong with it. */
export function secondsWithin(value: unknown, key: keyof typeof TIME_LIMITS): number | string {
  const { min, max } = TIME_LIMITS[key];
  const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max)
    return `must be a number of seconds from ${min} to ${max}`;
  return n;
}

export const driftSection: ConfigSection<DriftConfig> = {
  defaults: defaultDriftConfig,
  read(value, r, p) {
    const out = defaultDriftConfig();
    if (!isRecord(value)) {
      if (value !== null && value !== undefined) r.error(p, 'must be a mapping');
      return out;
    }
    for (const key of Object.keys(value)) {
      if (!KEYS.includes(key)) r.error([...p, key], `unknown key; expected one of ${KEYS.join(', ')}`);
    }
    if ('deployers' in value)
      out.policy.deployers = strings(value.deployers, r, [...p, 'deployers']) ?? out.policy.deployers;
    if ('ignore' in value) out.policy.ignore.push(...(strings(value.ignore, r, [...p, 'ignore']) ?? []));
    if ('namespaces' in value) out.namespaces = strings(value.namespaces, r, [...p, 'namespaces']) ?? [];
    if ('controllers' in value)
      out.policy.controllers =
        controllers(value.controllers, r, [...p, 'controllers']) ?? out.policy.controllers;
    for (const key of ['allNamespaces', 'serverSideDryRun', 'orphans'] as const) {
      if (!(key in value)) continue;
      if (typeof value[key] === 'boolean') out[key] = value[key];
      else r.error([...p, key], 'must be true or false');
    }
    for (const [key, field] of [
      ['requestTimeoutSeconds', 'requestTimeoutMs'],
      ['deadlineSeconds', 'deadlineMs'],
    ] as const) {
      if (!(key in value)) continue;
      const seconds = secondsWithin(value[key], key);
      if (typeof seconds === 'string') r.error([...p, key], seconds);
      else out[field] = Math.round(seconds * 1000);
    }
    return out;
  },
};

function strings(value: unknown, r: ConfigReader, p: ConfigPath): string[] | undefined {
  if (!Array.isArray(value)) {
    r.error(p, 'must be a list of strings');
    return undefined;
  }
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v === 'string' && v) out.push(v);
    else r.error([...p, i], 'must be a non-empty string');
  });
  return out;
}

function controllers(value: unknown, r: ConfigReader, p: ConfigPath): DriftPolicy['controllers'] | undefined {
  if (!Array.isArray(value)) {
    r.error(p, 'must be a list of { manager, paths }');
    return undefined;
  }
  const out: DriftPolicy['controllers'] = [];
  value.forEach((v, i) => {
    if (typeof v === 'string' && v) {
      out.push({ manager: v });
      return;
    }
    if (!isRecord(v) || typeof v.manager !== 'string' || !v.manager) {
      r.error([...p, i], 'must be a manager name or { manager, paths }');
      return;
    }
    const paths = 'paths' in v ? strings(v.paths, r, [...p, i, 'paths']) : undefined;
    out.push(paths ? { manager: v.manager, paths } : { manager: v.manager });
  });
  return out;
}
