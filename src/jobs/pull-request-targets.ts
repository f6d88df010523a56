import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { readsPath } from '../load/files.js';
import { isRecord } from '../model/types.js';
import { KUSTOMIZATION_FILES } from '../render/kustomize-map.js';
import { type Target, targetName } from '../render/types.js';

/**
 * Which targets a pull request touches. Each target lists the files it is made of (its inputs),
 * following the links users make between folders: an overlay's bases and components, a chart's
 * local (file://) dependencies and vendored subcharts, extra values files. A changed file marks
 * every target that has it as an input, so a change to a shared base re-checks every overlay
 * that uses it, and a change to a subchart re-checks its parents.
 */

/**
 * A target's identity across commits, to pair its base with its head. The discovered plain
 * target's name lists its files, so adding a file would make it a different target (and every
 * finding in it look new): it goes by a fixed key instead.
 */
export function targetKey(target: Target, discovered: boolean): string {
  // Discovery makes at most one plain target, of every loose manifest (an app's go by its name).
  if (target.kind === 'plain' && discovered && !target.app) return PLAIN_KEY;
  return targetName(target);
}

export const PLAIN_KEY = 'plain manifests';

// ---------------------------------------------------------------------------------------------
// Inputs

export interface TargetInputs {
  /** Folders whose every file is an input (a chart, a kustomization's folder). */
  dirs: string[];
  /** Single files that are inputs (values files, plain manifests, resources outside the folder). */
  files: string[];
  /**
   * Files inside `dirs` that are not inputs after all: a chart's values file for another
   * environment (`values-prod.yaml` is the prod target's, not the dev target's).
   */
  excluded?: string[];
}

export async function targetInputs(cwd: string, target: Target, depth = 0): Promise<TargetInputs> {
  const inputs: TargetInputs = { dirs: [], files: [] };
  if (target.app) await appInputs(cwd, target, inputs, depth);
  if (target.kind === 'plain') {
    for (const p of target.paths) {
      const st = await stat(path.resolve(cwd, p)).catch(() => undefined);
      (st?.isDirectory() ? inputs.dirs : inputs.files).push(normalize(p));
    }
  } else if (target.kind === 'helm') {
    await chartInputs(cwd, normalize(target.chart), inputs, new Set());
    inputs.files.push(...target.valuesFiles.map(normalize));
    inputs.excluded = await otherValuesFiles(cwd, target.chart, target.valuesFiles.map(normalize));
  } else {
    await kustomizeInputs(cwd, normalize(target.dir), inputs, new Set());
  }
  return inputs;
}

/**
 * What an app definition adds (src/gitops): the definition's file, the values files and the
 * ConfigMaps and Secrets it names, the components it lays over, and whatever the app that
 * rendered the definition reads (an app of apps: a change there may change this app).
 */
async function appInputs(cwd: string, target: Target, into: TargetInputs, depth: number): Promise<void> {
  const app = target.app!;
  into.files.push(...app.inputs.files.map(normalize));
  for (const d of app.inputs.dirs) {
    const st = await stat(path.resolve(cwd, d)).catch(() => undefined);
    if (st?.isDirectory()) await kustomizeInputs(cwd, normalize(d), into, new Set());
    else into.files.push(normalize(d));
  }
  if (target.kind === 'kustomize') {
    for (const r of target.overlay?.resources ?? []) into.files.push(normalize(r));
  }
  // The app that rendered this definition: what shapes its copy of it. A Flux folder without a
  // kustomization is only its definition and variables (the other files hold other objects);
  // anything else (an overlay's patches, an app-of-apps chart's templates) whole.
  const parent = app.parent;
  if (parent && depth < 5) {
    const whole = !(parent.kind === 'kustomize' && parent.overlay?.resources);
    const from = whole
      ? await targetInputs(cwd, parent, depth + 1)
      : await targetInputs(cwd, { kind: 'plain', paths: [], app: parent.app }, depth + 1);
    into.dirs.push(...from.dirs);
    into.files.push(...from.files);
  }
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

/** A chart's own `values-<env>.yaml` (or `values.<env>.yaml`) files that this target does not use. */
async function otherValuesFiles(cwd: string, chart: string, used: readonly string[]): Promise<string[]> {
  const names = await readdir(path.resolve(cwd, chart)).catch(() => [] as string[]);
  return names
    .filter((n) => /^values[-.][\w.-]+\.ya?ml$/.test(n))
    .map((n) => join(chart, n))
    .filter((f) => !used.includes(f));
}

/** Does any changed file (relative to the folder targets are named from) belong to this target? */
export function isAffected(inputs: TargetInputs, changed: readonly string[]): boolean {
  return changed.some((file) => readsPath(inputs, file));
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
