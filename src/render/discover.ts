import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type GitOpsOptions, withGitOps } from '../gitops/discover.js';
import { relativeName as relativeToCwd } from '../load/files.js';
import type { InputError } from '../model/types.js';
import { KUSTOMIZATION_FILES, type KustomizationInfo, readKustomization } from './kustomize.js';
import { helmChartsOf } from './kustomize-helm.js';
import type { HelmTarget, KustomizeTarget, PlainTarget, Target } from './types.js';

/**
 * Find targets under the given paths:
 *  - a folder with Chart.yaml is a chart: its default values (values.yaml alone) make one target,
 *    and each `values-<env>.yaml` next to it one more (layered on values.yaml); chart-testing
 *    files (`ci/*-values.yaml`, `values.test.yaml`, `values-ci.yaml`...) are for the chart's own
 *    tests and make none (a config's `targets:` may still name them);
 *  - a folder with kustomization.yaml is an overlay, unless another discovered kustomization
 *    builds on it (then only the kustomizations at the top are targets); a `kind: Component` is
 *    never a target, it is built by the overlays that list it;
 *  - any other YAML is plain manifests; a chart's templates and every file a kustomization
 *    reaches (its folder, resources and patches wherever they sit, generator inputs) are not.
 */

export interface DiscoverOptions {
  cwd?: string;
  /** Release name and namespace for discovered charts. */
  releaseName?: string;
  namespace?: string;
  /**
   * GitOps app definitions (Argo CD, Flux) among the paths become targets too (src/gitops);
   * `{ gitops: false }` turns that off, `{ folders: false }` keeps only them.
   */
  gitops?: GitOpsOptions;
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', '.github']);
const ENV_VALUES = /^values[-.]([\w.-]+)\.ya?ml$/;
/** Values files for a chart's own tests (chart-testing, linters, examples), not environments. */
const TEST_VALUES = /(^|[-._])(test|tests|ci|lint|linter|example|examples|sample|schema|e2e|debug)([-._]|$)/i;

export async function discoverTargets(
  inputs: readonly string[],
  options: DiscoverOptions = {},
): Promise<{ targets: Target[]; errors: InputError[] }> {
  const cwd = options.cwd ?? process.cwd();
  const charts: string[] = [];
  const kustomizations: string[] = [];
  const plain: string[] = [];
  const errors: InputError[] = [];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    const st = await stat(abs).catch(() => undefined);
    if (!st) {
      errors.push({ level: 'error', message: `${input}: no such file or folder` });
      continue;
    }
    if (st.isDirectory()) await walk(abs, charts, kustomizations, plain);
    else if (path.basename(abs) === 'Chart.yaml') charts.push(path.dirname(abs));
    else if (KUSTOMIZATION_FILES.includes(path.basename(abs))) kustomizations.push(path.dirname(abs));
    else plain.push(abs);
  }

  const targets: Target[] = [];
  const roots = await kustomizeRoots(unique(kustomizations));
  // A chart a kustomization inflates (`helmCharts:`) is built by it, not on its own.
  for (const chart of unique(charts))
    if (!roots.ownedCharts.has(chart)) targets.push(...(await chartTargets(chart, cwd, options)));
  for (const dir of roots.roots)
    targets.push({ kind: 'kustomize', dir: relativeName(cwd, dir) } satisfies KustomizeTarget);
  // Files a kustomization reaches are built by it, not linted on their own.
  const loose = unique(plain).filter(
    (f) => !roots.ownedDirs.has(path.dirname(f)) && !roots.ownedFiles.has(f),
  );
  if (loose.length > 0)
    targets.push({ kind: 'plain', paths: loose.map((f) => relativeName(cwd, f)) } satisfies PlainTarget);
  return withGitOps(inputs, { targets, errors }, cwd, options.gitops);
}

async function walk(dir: string, charts: string[], kustomizations: string[], plain: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = new Set(entries.map((e) => e.name));
  if (names.has('Chart.yaml')) {
    // A chart: its templates/ and charts/ are Helm's business, never plain manifests. A library
    // chart only holds helpers for others and renders nothing by itself.
    if (!(await isLibraryChart(dir))) charts.push(dir);
    return;
  }
  if (KUSTOMIZATION_FILES.some((k) => names.has(k))) kustomizations.push(dir);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(full, charts, kustomizations, plain);
    } else if (e.isFile() && /\.ya?ml$/i.test(e.name) && !KUSTOMIZATION_FILES.includes(e.name)) {
      plain.push(full);
    }
  }
}

async function isLibraryChart(dir: string): Promise<boolean> {
  const text = await readFile(path.join(dir, 'Chart.yaml'), 'utf8').catch(() => '');
  return /^type:\s*["']?library["']?\s*$/m.test(text);
}

async function chartTargets(chartAbs: string, cwd: string, options: DiscoverOptions): Promise<HelmTarget[]> {
  const chart = relativeName(cwd, chartAbs);
  const entries = await readdir(chartAbs).catch(() => [] as string[]);
  const envFiles = entries
    .filter((f) => ENV_VALUES.exec(f) && !TEST_VALUES.test(ENV_VALUES.exec(f)![1]))
    .sort();
  const base = {
    kind: 'helm' as const,
    chart,
    releaseName: options.releaseName ?? releaseNameOf(chartAbs),
    namespace: options.namespace ?? 'default',
    set: {},
    apiVersions: [],
  };
  return [
    { ...base, valuesFiles: [] },
    ...envFiles.map((f) => ({ ...base, valuesFiles: [relativeName(cwd, path.join(chartAbs, f))] })),
  ];
}

/** A release name Helm accepts: lowercase, digits and dashes, at most 53 characters. */
function releaseNameOf(chartAbs: string): string {
  const name = path
    .basename(chartAbs)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (name || 'release').slice(0, 53);
}

/**
 * Kustomizations that no other discovered kustomization builds on (Components are never roots),
 * and what they own: their folders, the folders they build on, and every file any of them names,
 * through the whole tree of bases and components.
 */
async function kustomizeRoots(
  dirs: string[],
): Promise<{ roots: string[]; ownedDirs: Set<string>; ownedFiles: Set<string>; ownedCharts: Set<string> }> {
  const usedAsBase = new Set<string>();
  const components = new Set<string>();
  const ownedDirs = new Set<string>(dirs);
  const ownedFiles = new Set<string>();
  const seen = new Set<string>();
  const infos: KustomizationInfo[] = [];
  const visit = async (dir: string): Promise<void> => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const info = await readKustomization(dir);
    if (!info) return;
    infos.push(info);
    if (info.component) components.add(dir);
    for (const f of info.files ?? []) ownedFiles.add(f);
    for (const base of info.bases) {
      usedAsBase.add(base);
      ownedDirs.add(base);
      await visit(base);
    }
  };
  for (const dir of dirs) await visit(dir);
  const ownedCharts = new Set((await helmChartsOf(infos)).map((c) => c.chartAbs));
  return {
    roots: dirs.filter((d) => !usedAsBase.has(d) && !components.has(d)),
    ownedDirs,
    ownedFiles,
    ownedCharts,
  };
}

/** Relative to the working directory; the working directory itself is `.`. */
function relativeName(cwd: string, abs: string): string {
  return relativeToCwd(cwd, abs) || '.';
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
