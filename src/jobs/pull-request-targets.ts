import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { isRecord } from '../model/types.js';
import {
  type HelmTarget,
  type KustomizeTarget,
  type PlainTarget,
  type Target,
  targetName,
} from '../render/types.js';

/**
 * Which targets a pull request touches. Each target lists the files it is made of (its inputs),
 * following the links users make between folders: an overlay's bases and components, a chart's
 * local (file://) dependencies and vendored subcharts, extra values files. A changed file marks
 * every target that has it as an input, so a change to a shared base re-checks every overlay
 * that uses it, and a change to a subchart re-checks its parents.
 */

const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', '.github']);
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const YAML = /\.ya?ml$/i;

interface Scan {
  charts: string[];
  kustomizations: string[];
  /** Folders holding plain YAML (outside charts and kustomizations), with their files. */
  plain: Map<string, string[]>;
}

/** Targets under `roots` (relative to `cwd`), discovered the way the render layer documents. */
export async function discoverTargets(cwd: string, roots: readonly string[]): Promise<Target[]> {
  const scan: Scan = { charts: [], kustomizations: [], plain: new Map() };
  for (const root of roots) await walk(cwd, normalize(root), scan);
  const targets: Target[] = [];
  for (const chart of unique(scan.charts)) targets.push(...(await chartTargets(cwd, chart)));
  // A kustomization that another one uses (as a resource, base or component) is not a target itself.
  const used = new Set<string>();
  for (const k of scan.kustomizations) for (const ref of await kustomizationRefs(cwd, k)) used.add(ref);
  for (const k of unique(scan.kustomizations)) {
    if (!used.has(k)) targets.push({ kind: 'kustomize', dir: k } satisfies KustomizeTarget);
  }
  const folders = [...scan.plain.keys()].sort();
  for (const files of folders.map((dir) => scan.plain.get(dir)!)) {
    // Files, not the folder: loading a folder would recurse into charts and overlays below it.
    targets.push({ kind: 'plain', paths: files } satisfies PlainTarget);
  }
  return targets;
}

async function walk(cwd: string, rel: string, scan: Scan): Promise<void> {
  const abs = path.resolve(cwd, rel);
  const st = await stat(abs).catch(() => undefined);
  if (!st) return;
  if (st.isFile()) {
    if (YAML.test(rel)) addPlain(scan, path.posix.dirname(rel), rel);
    return;
  }
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  const names = new Set(entries.map((e) => e.name));
  if (names.has('Chart.yaml')) {
    scan.charts.push(rel);
    return; // templates, values and subcharts belong to the chart
  }
  if (KUSTOMIZATION_FILES.some((n) => names.has(n))) {
    scan.kustomizations.push(rel);
    // Nested folders may hold other kustomizations (overlays under a base folder).
    for (const e of entries) {
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walkKustomizeOnly(cwd, join(rel, e.name), scan);
    }
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(cwd, join(rel, e.name), scan);
    else if (e.isFile() && YAML.test(e.name)) addPlain(scan, rel, join(rel, e.name));
  }
}

/** Inside a kustomization's folder only nested kustomizations and charts count. */
async function walkKustomizeOnly(cwd: string, rel: string, scan: Scan): Promise<void> {
  const entries = await readdir(path.resolve(cwd, rel), { withFileTypes: true }).catch(() => []);
  const names = new Set(entries.map((e) => e.name));
  if (names.has('Chart.yaml')) return;
  if (KUSTOMIZATION_FILES.some((n) => names.has(n))) {
    await walk(cwd, rel, scan);
    return;
  }
  for (const e of entries) {
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walkKustomizeOnly(cwd, join(rel, e.name), scan);
  }
}

const NOT_MANIFESTS = /(^|\/)(\.shipshape\.ya?ml|\.pre-commit-config\.ya?ml|\.gitlab-ci\.ya?ml)$/;

function addPlain(scan: Scan, dir: string, file: string): void {
  if (NOT_MANIFESTS.test(file)) return;
  const list = scan.plain.get(dir);
  if (list) list.push(file);
  else scan.plain.set(dir, [file]);
}

/** One target per values file: the chart's values.yaml alone, and `values-<env>.yaml` layered on it. */
async function chartTargets(cwd: string, chart: string): Promise<HelmTarget[]> {
  const names = await readdir(path.resolve(cwd, chart)).catch(() => [] as string[]);
  const extra = names.filter((n) => /^values[-.][\w.-]+\.ya?ml$/.test(n) && n !== 'values.yaml').sort();
  const base = { kind: 'helm' as const, chart, namespace: 'default', set: {}, apiVersions: [] };
  const release = path.posix.basename(chart === '.' ? path.resolve(cwd) : chart);
  if (extra.length === 0) return [{ ...base, releaseName: release, valuesFiles: [] }];
  return extra.map((n) => ({ ...base, releaseName: release, valuesFiles: [join(chart, n)] }));
}

/**
 * A target's identity across commits. A plain target is its folder: adding a file to it must not
 * make it a different target (every finding in it would look new).
 */
export function targetKey(target: Target): string {
  if (target.kind !== 'plain') return targetName(target);
  const dirs = [...new Set(target.paths.map((p) => path.posix.dirname(normalize(p))))];
  return dirs.length === 1 ? (dirs[0] === '.' ? './' : `${dirs[0]}/`) : targetName(target);
}

// ---------------------------------------------------------------------------------------------
// Inputs

export interface TargetInputs {
  /** Folders whose every file is an input (a chart, a kustomization's folder). */
  dirs: string[];
  /** Single files that are inputs (values files, plain manifests, resources outside the folder). */
  files: string[];
}

export async function targetInputs(cwd: string, target: Target): Promise<TargetInputs> {
  const inputs: TargetInputs = { dirs: [], files: [] };
  if (target.kind === 'plain') {
    for (const p of target.paths) {
      const st = await stat(path.resolve(cwd, p)).catch(() => undefined);
      (st?.isDirectory() ? inputs.dirs : inputs.files).push(normalize(p));
    }
  } else if (target.kind === 'helm') {
    await chartInputs(cwd, normalize(target.chart), inputs, new Set());
    inputs.files.push(...target.valuesFiles.map(normalize));
  } else {
    await kustomizeInputs(cwd, normalize(target.dir), inputs, new Set());
  }
  return inputs;
}

async function chartInputs(cwd: string, chart: string, into: TargetInputs, seen: Set<string>): Promise<void> {
  if (seen.has(chart)) return;
  seen.add(chart);
  into.dirs.push(chart); // templates, values, vendored subcharts under charts/
  const text = await readFile(path.resolve(cwd, chart, 'Chart.yaml'), 'utf8').catch(() => '');
  const doc = safeParse(text);
  const deps = isRecord(doc) && Array.isArray(doc.dependencies) ? doc.dependencies : [];
  for (const d of deps) {
    if (isRecord(d) && typeof d.repository === 'string' && d.repository.startsWith('file://')) {
      await chartInputs(cwd, join(chart, d.repository.slice('file://'.length)), into, seen);
    }
  }
}

async function kustomizeInputs(
  cwd: string,
  dir: string,
  into: TargetInputs,
  seen: Set<string>,
): Promise<void> {
  if (seen.has(dir)) return;
  seen.add(dir);
  into.dirs.push(dir);
  for (const ref of await kustomizationRefs(cwd, dir, true)) {
    const st = await stat(path.resolve(cwd, ref)).catch(() => undefined);
    if (st?.isDirectory()) await kustomizeInputs(cwd, ref, into, seen);
    else into.files.push(ref);
  }
}

/**
 * Paths a kustomization names, relative to `cwd`. By default only folders it builds on
 * (resources, bases, components); with `allFiles`, also patches, generators' files and the like.
 */
async function kustomizationRefs(cwd: string, dir: string, allFiles = false): Promise<string[]> {
  let text = '';
  for (const name of KUSTOMIZATION_FILES) {
    text = await readFile(path.resolve(cwd, dir, name), 'utf8').catch(() => '');
    if (text) break;
  }
  const doc = safeParse(text);
  if (!isRecord(doc)) return [];
  const refs: string[] = [];
  const add = (p: unknown) => {
    if (typeof p === 'string' && !/^[a-z]+:\/\//i.test(p) && !p.startsWith('git@')) refs.push(join(dir, p));
  };
  for (const key of ['resources', 'bases', 'components']) {
    if (Array.isArray(doc[key])) for (const p of doc[key]) add(p);
  }
  if (allFiles) {
    for (const key of ['patchesStrategicMerge', 'crds', 'configurations', 'transformers', 'generators']) {
      if (Array.isArray(doc[key])) for (const p of doc[key]) add(p);
    }
    for (const key of ['patches', 'patchesJson6902', 'replacements']) {
      if (Array.isArray(doc[key])) for (const p of doc[key]) if (isRecord(p)) add(p.path);
    }
    for (const key of ['configMapGenerator', 'secretGenerator']) {
      if (!Array.isArray(doc[key])) continue;
      for (const g of doc[key]) {
        if (!isRecord(g)) continue;
        for (const f of [
          ...(Array.isArray(g.files) ? g.files : []),
          ...(Array.isArray(g.envs) ? g.envs : []),
        ]) {
          if (typeof f === 'string') add(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
        }
      }
    }
  }
  return refs;
}

/** Does any changed file (repository-relative) belong to this target? */
export function isAffected(inputs: TargetInputs, changed: readonly string[]): boolean {
  return changed.some(
    (file) =>
      inputs.files.includes(file) ||
      inputs.dirs.some((d) => d === '.' || file === d || file.startsWith(`${d}/`)),
  );
}

function safeParse(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function join(a: string, b: string): string {
  return normalize(path.posix.join(a, b));
}

function normalize(p: string): string {
  const n = path.posix.normalize(p.split(path.sep).join('/')).replace(/\/$/, '');
  return n === '' ? '.' : n.replace(/^\.\//, '');
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
