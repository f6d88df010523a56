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
 *     namespaces: [shop, payments]                # image scope; default: Git's namespaces
 *     allNamespaces: false                        # image scope: every namespace
 *     serverSideDryRun: false                     # needs patch permission
 */

export interface DriftConfig {
  policy: DriftPolicy;
  namespaces: string[];
  allNamespaces: boolean;
  serverSideDryRun: boolean;
}

const KEYS = ['deployers', 'controllers', 'ignore', 'namespaces', 'allNamespaces', 'serverSideDryRun'];

export function defaultDriftConfig(): DriftConfig {
  return {
    policy: structuredClone(DEFAULT_DRIFT_POLICY),
    namespaces: [],
    allNamespaces: false,
    serverSideDryRun: false,
  };
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
    for (const key of ['allNamespaces', 'serverSideDryRun'] as const) {
      if (!(key in value)) continue;
      if (typeof value[key] === 'boolean') out[key] = value[key];
      else r.error([...p, key], 'must be true or false');
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
