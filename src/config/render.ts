import path from 'node:path';
import { relativeName } from '../load/files.js';
import type { Target, ToolPaths } from '../render/types.js';
import {
  type ConfigPath,
  type ConfigReader,
  type ConfigSection,
  describe,
  expectBoolean,
  expectMap,
  expectNumberWithin,
  expectRepositoryPaths,
  expectStringList,
  expectStringMap,
  insideRepository,
  optionalString,
  rejectUnknownKeys,
  unknownKey,
} from './validate.js';

/**
 * The `targets:`, `render:` and `discover:` sections of `.shipshape.yaml`. Paths are relative to
 * the config file's folder, as written; `resolveTargets` makes them relative to the working
 * directory.
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
 *     concurrency: 4                      # default: the number of cores, plus one
 *
 * Every path resolves inside the repository: an absolute path or one that climbs out with `..` is
 * an error on its line. Which programs run as helm and kustomize is never read from this file
 * (a pull request could change it): that is `--helm`/`--kustomize`, the Action's inputs, or PATH.
 */

const HELM_KEYS = ['chart', 'values', 'releaseName', 'namespace', 'set', 'kubeVersion', 'apiVersions'];
const TARGET_KINDS =
  'chart: (a Helm chart folder), kustomize: (an overlay folder) or plain: (manifest paths)';

export const targetsSection: ConfigSection<Target[]> = {
  defaults: () => [],
  read(value, r, p) {
    if (value === null || value === undefined) return [];
    if (!Array.isArray(value)) {
      r.error(
        p,
        `must be a list of targets (each with chart:, kustomize: or plain:), got ${describe(value)}`,
      );
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
  const map = expectMap(item, r, p, 'a mapping with chart:, kustomize: or plain:');
  if (!map) {
    if (item === null || item === undefined) r.error(p, `needs ${TARGET_KINDS}`);
    return undefined;
  }
  if ('kustomize' in map) {
    rejectUnknownKeys(map, ['kustomize'], r, p, 'a kustomize target takes only kustomize:');
    const dir = optionalString(map.kustomize, r, [...p, 'kustomize']);
    if (!dir) {
      if (map.kustomize === null || map.kustomize === undefined || map.kustomize === '')
        r.error([...p, 'kustomize'], 'must be an overlay folder');
      return undefined;
    }
    return insideRepository(dir, r, [...p, 'kustomize']) ? { kind: 'kustomize', dir } : undefined;
  }
  if ('plain' in map) {
    rejectUnknownKeys(map, ['plain'], r, p, 'a plain target takes only plain:');
    const paths = expectRepositoryPaths(map.plain, r, [...p, 'plain'], { allowOne: true });
    return paths && paths.length > 0 ? { kind: 'plain', paths } : undefined;
  }
  rejectUnknownKeys(map, HELM_KEYS, r, p);
  if (typeof map.chart !== 'string' || !map.chart) {
    r.error('chart' in map ? [...p, 'chart'] : p, `needs ${TARGET_KINDS}`);
    return undefined;
  }
  const chart = map.chart;
  const set = expectStringMap(map.set, r, [...p, 'set']) ?? {};
  if (!insideRepository(chart, r, [...p, 'chart'])) return undefined;
  return {
    kind: 'helm',
    chart,
    releaseName: optionalString(map.releaseName, r, [...p, 'releaseName']) ?? releaseNameOf(chart),
    namespace: optionalString(map.namespace, r, [...p, 'namespace']) ?? 'default',
    valuesFiles: expectRepositoryPaths(map.values, r, [...p, 'values'], { allowOne: true }) ?? [],
    set,
    kubeVersion: optionalString(map.kubeVersion, r, [...p, 'kubeVersion']),
    apiVersions: expectStringList(map.apiVersions, r, [...p, 'apiVersions']) ?? [],
  };
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
    const map = expectMap(value, r, p, 'a mapping (folders:, gitops:, repoURLs:)');
    if (!map) return out;
    rejectUnknownKeys(map, DISCOVER_KEYS, r, p);
    if ('folders' in map) out.folders = expectBoolean(map.folders, r, [...p, 'folders']) ?? out.folders;
    if ('gitops' in map) out.gitops = expectBoolean(map.gitops, r, [...p, 'gitops']) ?? out.gitops;
    if ('repoURLs' in map)
      out.repoURLs = expectStringList(map.repoURLs, r, [...p, 'repoURLs'], { allowOne: true }) ?? [];
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

/**
 * Bounds each render setting must keep. A timeout stays far below Node's 2^31 ms timer limit
 * (beyond it every timer fires at once, and every render would time out).
 */
const RENDER_NUMBERS = {
  timeoutSeconds: { min: 1, max: 3600 },
  maxMemoryMiB: { min: 64, max: 65_536 },
  concurrency: { min: 1, max: 64 },
} as const;

const TOOLS = ['helm', 'kustomize', 'kubectl'];

export const renderSection: ConfigSection<RenderConfig> = {
  defaults: () => ({ tools: {} }),
  read(value, r, p) {
    const out: RenderConfig = { tools: {} };
    const map = expectMap(value, r, p);
    if (!map) return out;
    for (const [k, v] of Object.entries(map)) {
      if (TOOLS.includes(k)) {
        const flag = k === 'kubectl' ? 'kustomize' : k;
        r.error(
          [...p, k],
          `which program runs as ${k} is not read from the repository (a pull request could point it at its own script); ` +
            `use --${flag} on the command line, the Action's ${flag} input, or PATH`,
        );
      } else if (!(k in RENDER_NUMBERS)) unknownKey(k, Object.keys(RENDER_NUMBERS), r, p);
      else {
        const n = expectNumberWithin(v, RENDER_NUMBERS[k as keyof typeof RENDER_NUMBERS], r, [...p, k]);
        if (n === undefined) continue;
        if (k === 'timeoutSeconds') out.timeoutMs = Math.round(n * 1000);
        else if (k === 'maxMemoryMiB') out.maxMemoryBytes = Math.round(n * 1024 * 1024);
        else out.concurrency = Math.floor(n);
      }
    }
    return out;
  },
};

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
