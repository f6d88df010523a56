import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { DiscoverConfig } from '../config/render.js';
import { diffObjects, type TargetDiff } from '../diff/rendered.js';
import type { InputError } from '../model/types.js';
import { discoverTargets } from '../render/discover.js';
import { addWorktree, changedFiles, repoRoot, type Worktree } from '../render/git.js';
import { renderJobs } from '../render/index.js';
import { readKustomization } from '../render/kustomize.js';
import { type RenderResult, type Target, type ToolPaths, targetName } from '../render/types.js';
import { mergeBase } from './pull-request-git.js';
import { gitopsOptions } from './render.js';

/**
 * `shipshape diff --base <ref> [--head <ref>] [paths...]`: render every target the change
 * touches at both refs and diff the objects. The base (and a named head) is checked out in a
 * temporary git worktree, removed afterwards; without --head the working tree is the head. The
 * head renders twice so that output that changes by itself (random passwords, generated
 * certificates, timestamps) is marked rather than reported.
 */

export interface DiffJobInput {
  cwd: string;
  base: string;
  head?: string;
  /** Where to look for targets (relative to cwd); the whole repository when empty. */
  paths: readonly string[];
  tools?: ToolPaths;
  concurrency?: number;
  timeoutMs?: number;
  maxMemoryBytes?: number;
  /** What charts see as `.Capabilities` when their target does not say. */
  kubeVersion?: string;
  apiVersions?: string[];
  /** The config's `discover:` section. */
  discover?: DiscoverConfig;
}

export interface DiffJobResult {
  base: string;
  head: string;
  /** Files the change touches, relative to the repository root. */
  changed: string[];
  targets: TargetDiff[];
  errors: InputError[];
}

export async function runDiff(input: DiffJobInput): Promise<DiffJobResult> {
  const root = await repoRoot(input.cwd);
  const prefix = path.relative(root, input.cwd);
  const worktrees: Worktree[] = [];
  try {
    // What the branch changed, as GitHub shows a pull request: from the merge base, not from the
    // tip of the base branch (which may have moved on since the branch was made).
    const from = (await mergeBase(root, input.base, input.head ?? 'HEAD')) ?? input.base;
    const baseTree = await addWorktree(root, from);
    worktrees.push(baseTree);
    let headRoot = root;
    if (input.head) {
      const headTree = await addWorktree(root, input.head);
      worktrees.push(headTree);
      headRoot = headTree.dir;
    }
    const baseCwd = path.join(baseTree.dir, prefix);
    const headCwd = path.join(headRoot, prefix);
    const changed = await changedFiles(root, from, input.head);
    // Changed files as seen from cwd, the way target paths are written.
    const changedHere = changed.map((f) => path.relative(prefix, f).split(path.sep).join('/'));
    const roots = input.paths.length > 0 ? input.paths : ['.'];

    const found = (cwd: string) =>
      discoverTargets(roots, { cwd, gitops: gitopsOptions(input.discover, { ...input, cwd }) });
    const [atHead, atBase] = await Promise.all([
      found(headCwd),
      found(baseCwd).catch(() => ({ targets: [] as Target[], errors: [] })),
    ]);
    const headAffected = await affected(atHead.targets, changedHere, headCwd);
    const baseAffected = await affected(atBase.targets, changedHere, baseCwd);
    const names = new Set([...headAffected, ...baseAffected].map(targetName));
    const headTargets = headAffected.concat(
      atHead.targets.filter((t) => names.has(targetName(t)) && !headAffected.includes(t)),
    );
    const baseTargets = atBase.targets.filter((t) => names.has(targetName(t)));

    const opts = {
      tools: input.tools,
      concurrency: input.concurrency,
      timeoutMs: input.timeoutMs,
      maxMemoryBytes: input.maxMemoryBytes,
      kubeVersion: input.kubeVersion,
      apiVersions: input.apiVersions,
    };
    // One pool for all three renders (head twice, to tell random output from change; base once).
    const jobs = [
      ...headTargets.map((target) => ({ target, cwd: headCwd })),
      ...headTargets.map((target) => ({ target, cwd: headCwd })),
      ...baseTargets.map((target) => ({ target, cwd: baseCwd })),
    ];
    const all = await renderJobs(jobs, opts);
    const headOnce = all.slice(0, headTargets.length);
    const headTwice = all.slice(headTargets.length, 2 * headTargets.length);
    const baseOnce = all.slice(2 * headTargets.length);
    const targets = [...names].sort().map((name) => {
      const find = (list: RenderResult[]) => list.find((r) => targetName(r.target) === name);
      return diffTarget(name, find(baseOnce), find(headOnce), find(headTwice));
    });
    return {
      base: input.base,
      head: input.head ?? '(working tree)',
      changed,
      targets,
      errors: [...atHead.errors],
    };
  } finally {
    for (const w of worktrees) await w.remove();
  }
}

/** One target's diff; a side that did not render is a status with its errors, not an exception. */
export function diffTarget(
  name: string,
  base: RenderResult | undefined,
  head: RenderResult | undefined,
  headAgain?: RenderResult,
): TargetDiff {
  const failed = (r: RenderResult | undefined) =>
    !!r && r.errors.some((e) => e.level === 'error') && r.manifests.length === 0;
  const baseErrors = base?.errors.filter((e) => e.level === 'error') ?? [];
  const headErrors = head?.errors.filter((e) => e.level === 'error') ?? [];
  const status: TargetDiff['status'] = !base
    ? 'added'
    : !head
      ? 'removed'
      : failed(head)
        ? 'head-failed'
        : failed(base)
          ? 'base-failed'
          : 'ok';
  if (status === 'head-failed')
    return { target: name, status, baseErrors, headErrors, objects: [], unchanged: 0 };
  const { objects, unchanged } = diffObjects({
    base: (base?.manifests ?? []).map((m) => m.object),
    head: (head?.manifests ?? []).map((m) => m.object),
    headAgain: headAgain && !failed(headAgain) ? headAgain.manifests.map((m) => m.object) : undefined,
  });
  return { target: name, status, baseErrors, headErrors, objects, unchanged };
}

/** Targets that have a changed file among their inputs (a kustomization's bases included). */
async function affected(targets: Target[], changed: string[], cwd: string): Promise<Target[]> {
  const out: Target[] = [];
  for (const t of targets) {
    const inputs = [...(await inputsOf(t, cwd)), ...(await appInputsOf(t, cwd))];
    const touches = (f: string) =>
      inputs.some((i) => f === i || f.startsWith(`${i}/`)) && !otherEnvValues(t, f);
    if (changed.some(touches)) out.push(t);
  }
  return out;
}

/** A chart's values-<env>.yaml that belongs to another of the chart's targets. */
function otherEnvValues(t: Target, file: string): boolean {
  if (t.kind !== 'helm' || t.valuesFiles.includes(file)) return false;
  return path.posix.dirname(file) === t.chart && /^values[-.][\w.-]+\.ya?ml$/.test(path.posix.basename(file));
}

/** Folders of a chart's file:// dependencies (and theirs), relative to cwd: a change there changes it. */
async function localDependencies(chartAbs: string, cwd: string, seen: Set<string>): Promise<string[]> {
  if (seen.has(chartAbs)) return [];
  seen.add(chartAbs);
  const text = await readFile(path.join(chartAbs, 'Chart.yaml'), 'utf8').catch(() => '');
  let deps: unknown;
  try {
    deps = (parse(text) as { dependencies?: unknown } | null)?.dependencies;
  } catch {
    return []; // a broken Chart.yaml is the render's to report
  }
  const out: string[] = [];
  for (const dep of Array.isArray(deps) ? (deps as { repository?: unknown }[]) : []) {
    const repo = typeof dep?.repository === 'string' ? dep.repository : '';
    if (!repo.startsWith('file://')) continue;
    const abs = path.resolve(chartAbs, repo.slice('file://'.length));
    out.push(path.relative(cwd, abs).split(path.sep).join('/'), ...(await localDependencies(abs, cwd, seen)));
  }
  return out;
}

/** What an app definition adds: its file, values files, components, and its parent's inputs. */
async function appInputsOf(t: Target, cwd: string, depth = 0): Promise<string[]> {
  if (!t.app) return [];
  const out = [...t.app.inputs.files, ...t.app.inputs.dirs];
  if (t.kind === 'kustomize') out.push(...(t.overlay?.resources ?? []));
  if (t.app.parent && depth < 5) {
    out.push(...(await inputsOf(t.app.parent, cwd)), ...(await appInputsOf(t.app.parent, cwd, depth + 1)));
  }
  return out;
}

async function inputsOf(t: Target, cwd: string): Promise<string[]> {
  switch (t.kind) {
    case 'helm':
      return [
        t.chart,
        ...t.valuesFiles,
        ...(await localDependencies(path.resolve(cwd, t.chart), cwd, new Set())),
      ];
    case 'plain':
      return [...t.paths];
    case 'kustomize': {
      const dirs: string[] = [];
      const seen = new Set<string>();
      const visit = async (abs: string): Promise<void> => {
        if (seen.has(abs)) return;
        seen.add(abs);
        dirs.push(path.relative(cwd, abs).split(path.sep).join('/') || '.');
        const info = await readKustomization(abs);
        for (const b of info?.bases ?? []) await visit(b);
      };
      await visit(path.resolve(cwd, t.dir));
      return dirs;
    }
  }
}
