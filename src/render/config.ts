import path from 'node:path';
import type { ConfigPath, ConfigReader, ConfigSection } from '../config.js';
import { relativeName } from '../load/files.js';
import { suggest } from '../model/suggest.js';
import { isRecord } from '../model/types.js';
import { isInside } from './contain.js';
import type { Target, ToolPaths } from './types.js';

/**
 * The `targets:` and `render:` sections of `.shipshape.yaml`. Paths are relative to the config
 * file's folder, as written; `resolveTargets` makes them relative to the working directory.
 *
 *   targets:
 *     - chart: charts/web                 # a Helm chart
 *       values: [charts/web/values-prod.yaml]
 *       releaseName: web                  # default: the chart folder's name
 *       namespace: shop                   # default: default
 *       set: { image.tag: "1.4.2" }
 *       kubeVersion: "1.31.0"
 *       apiVersions: [monitoring.coreos.com/v1]
 *     - kustomize: deploy/overlays/prod   # a Kustomize overlay
 *     - plain: [manifests/]               # plain manifests
 *   render:
 *     timeoutSeconds: 60                  # per helm or kustomize call (at most 3600)
 *     maxMemoryMiB: 2048                  # per helm or kustomize call (64 to 65536)
 *     concurrency: 4                      # default: the number of cores
 *
 * Every path resolves inside the repository: an absolute path or one that climbs out with `..` is
 * an error on its line. Which programs run as helm and kustomize is never read from this file
 * (a pull request could change it): that is `--helm`/`--kustomize`, the Action's inputs, or PATH.
 */

const HELM_KEYS = ['chart', 'values', 'releaseName', 'namespace', 'set', 'kubeVersion', 'apiVersions'];

export const targetsSection: ConfigSection<Target[]> = {
  defaults: () => [],
  read(value, r, p) {
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) {
      r.error(p, 'must be a list of targets (each with chart:, kustomize: or plain:)');
      return [];
    }
    const out: Target[] = [];
    value.forEach((item, i) => {
      const t = readTarget(item, r, [...p, i]);
      if (t) out.push(t);
    });
    return out;
  },
};

function readTarget(item: unknown, r: ConfigReader, p: ConfigPath): Target | undefined {
  if (!isRecord(item)) {
    r.error(p, 'must be a mapping with chart:, kustomize: or plain:');
    return undefined;
  }
  if (typeof item.kustomize === 'string' && item.kustomize) {
    for (const k of Object.keys(item))
      if (k !== 'kustomize')
        r.error([...p, k], 'unknown key for a kustomize target (it takes only kustomize:)');
    return insideRepository(item.kustomize, r, [...p, 'kustomize'])
      ? { kind: 'kustomize', dir: item.kustomize }
      : undefined;
  }
  if ('plain' in item) {
    const paths = strings(item.plain, r, [...p, 'plain'], true)?.filter((f, i) =>
      insideRepository(f, r, typeof item.plain === 'string' ? [...p, 'plain'] : [...p, 'plain', i]),
    );
    return paths && paths.length > 0 ? { kind: 'plain', paths } : undefined;
  }
  if (typeof item.chart !== 'string' || !item.chart) {
    r.error(
      p,
      'needs chart: (a Helm chart folder), kustomize: (an overlay folder) or plain: (manifest paths)',
    );
    return undefined;
  }
  for (const k of Object.keys(item))
    if (!HELM_KEYS.includes(k))
      r.error([...p, k], `unknown key${suggest(k, HELM_KEYS)}; expected one of ${HELM_KEYS.join(', ')}`);
  const set: Record<string, string> = {};
  if (isRecord(item.set)) {
    for (const [k, v] of Object.entries(item.set)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') set[k] = String(v);
      else r.error([...p, 'set', k], 'must be a string, number or boolean');
    }
  } else if (item.set !== undefined) r.error([...p, 'set'], 'must be a mapping of key: value');
  const chart = item.chart;
  if (!insideRepository(chart, r, [...p, 'chart'])) return undefined;
  const valuesFiles = (strings(item.values, r, [...p, 'values'], true) ?? []).filter((f, i) =>
    insideRepository(f, r, typeof item.values === 'string' ? [...p, 'values'] : [...p, 'values', i]),
  );
  return {
    kind: 'helm',
    chart,
    releaseName: optionalString(item.releaseName, r, [...p, 'releaseName']) ?? releaseNameOf(chart),
    namespace: optionalString(item.namespace, r, [...p, 'namespace']) ?? 'default',
    valuesFiles,
    set,
    kubeVersion: optionalString(item.kubeVersion, r, [...p, 'kubeVersion']),
    apiVersions: strings(item.apiVersions, r, [...p, 'apiVersions'], false) ?? [],
  };
}

/**
 * The `discover:` section: which kinds of discovery make targets when paths are given.
 *
 *   discover:
 *     folders: true        # charts, overlays and plain manifests, by the folder's shape
 *     gitops: true         # Argo CD Applications/ApplicationSets, Flux Kustomizations/HelmReleases
 *     repoURLs:            # URLs app definitions use for this repository (besides the origin
 *       - https://github.com/acme/deploy   # remote and GITHUB_REPOSITORY); nothing else is fetched
 */
export interface DiscoverConfig {
  folders: boolean;
  gitops: boolean;
  repoURLs: string[];
}

const DISCOVER_KEYS = ['folders', 'gitops', 'repoURLs'];

export const discoverSection: ConfigSection<DiscoverConfig> = {
  defaults: () => ({ folders: true, gitops: true, repoURLs: [] }),
  read(value, r, p) {
    const out = discoverSection.defaults();
    if (value === null || value === undefined) return out;
    if (!isRecord(value)) {
      r.error(p, 'must be a mapping (folders:, gitops:, repoURLs:)');
      return out;
    }
    for (const [k, v] of Object.entries(value)) {
      if (k === 'folders' || k === 'gitops') {
        if (typeof v === 'boolean') out[k] = v;
        else r.error([...p, k], 'must be true or false');
      } else if (k === 'repoURLs') out.repoURLs = strings(v, r, [...p, k], true) ?? [];
      else
        r.error(
          [...p, k],
          `unknown key${suggest(k, DISCOVER_KEYS)}; expected one of ${DISCOVER_KEYS.join(', ')}`,
        );
    }
    return out;
  },
};

export interface RenderConfig {
  /**
   * The programs that run as helm and kustomize. Never read from the file: the entry point sets
   * them from `--helm`/`--kustomize` or the Action's inputs; PATH otherwise.
   */
  tools: ToolPaths;
  timeoutMs?: number;
  concurrency?: number;
  maxMemoryBytes?: number;
  /** `--kube-version` / `--api-versions` for targets that do not set their own (entry points set them). */
  kubeVersion?: string;
  apiVersions?: string[];
}

const RENDER_NUMBERS = {
  timeoutSeconds: { min: 1, max: 3600 },
  maxMemoryMiB: { min: 64, max: 65_536 },
  concurrency: { min: 1, max: 64 },
} as const;

export const renderSection: ConfigSection<RenderConfig> = {
  defaults: () => ({ tools: {} }),
  read(value, r, p) {
    const out: RenderConfig = { tools: {} };
    if (value === null || value === undefined) return out;
    if (!isRecord(value)) {
      r.error(p, 'must be a mapping');
      return out;
    }
    for (const [k, v] of Object.entries(value)) {
      if (k === 'helm' || k === 'kustomize' || k === 'kubectl') {
        r.error(
          [...p, k],
          `which program runs as ${k} is not read from the repository (a pull request could point it at its own script); ` +
            `use --${k === 'kubectl' ? 'kustomize' : k} on the command line, the Action's ${k === 'kubectl' ? 'kustomize' : k} input, or PATH`,
        );
      } else if (k in RENDER_NUMBERS) {
        const { min, max } = RENDER_NUMBERS[k as keyof typeof RENDER_NUMBERS];
        if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
          r.error([...p, k], `must be a number from ${min} to ${max}`);
        } else if (k === 'timeoutSeconds') out.timeoutMs = Math.round(v * 1000);
        else if (k === 'maxMemoryMiB') out.maxMemoryBytes = Math.round(v * 1024 * 1024);
        else out.concurrency = Math.floor(v);
      } else
        r.error(
          [...p, k],
          `unknown key${suggest(k, Object.keys(RENDER_NUMBERS))}; expected one of ${Object.keys(RENDER_NUMBERS).join(', ')}`,
        );
    }
    return out;
  },
};

/**
 * A path from the config must stay inside the repository: relative, and not climbing out of it
 * from the config's folder. Otherwise an error on its line, and the path is not used.
 */
export function insideRepository(p: string, r: ConfigReader, at: ConfigPath): boolean {
  if (path.isAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p)) {
    r.error(
      at,
      `"${p}" is an absolute path; paths in the config are relative and stay inside the repository`,
    );
    return false;
  }
  if (!isInside(r.root, path.resolve(r.dir, p))) {
    r.error(at, `"${p}" leads outside the repository; paths in the config stay inside it`);
    return false;
  }
  return true;
}

/** Config targets with their paths made relative to the working directory (from the config's folder). */
export function resolveTargets(targets: readonly Target[], configDir: string, cwd?: string): Target[] {
  const at = (p: string) => {
    // With the working directory known, names come out relative to it, as discovered ones do.
    if (cwd !== undefined) return relativeName(cwd, path.resolve(cwd, configDir || '.', p));
    return configDir === '.' || !configDir || p.startsWith('/') ? p : `${configDir.replace(/\/+$/, '')}/${p}`;
  };
  return targets.map((t): Target => {
    if (t.kind === 'helm') return { ...t, chart: at(t.chart), valuesFiles: t.valuesFiles.map(at) };
    if (t.kind === 'kustomize') return { ...t, dir: at(t.dir) };
    return { ...t, paths: t.paths.map(at) };
  });
}

function releaseNameOf(chart: string): string {
  const base = chart.replace(/\/+$/, '').split('/').pop() ?? 'release';
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 53) || 'release'
  );
}

function optionalString(v: unknown, r: ConfigReader, p: ConfigPath): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  r.error(p, 'must be a string');
  return undefined;
}

function strings(v: unknown, r: ConfigReader, p: ConfigPath, allowOne: boolean): string[] | undefined {
  if (v === undefined || v === null) return [];
  if (allowOne && typeof v === 'string') return [v];
  if (!Array.isArray(v)) {
    r.error(p, 'must be a list of strings');
    return undefined;
  }
  return v.filter((s, i) => {
    if (typeof s === 'string' && s) return true;
    r.error([...p, i], 'must be a non-empty string');
    return false;
  });
}
