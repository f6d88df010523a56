import path from 'node:path';
import type { Config } from '../config/index.js';
import type { TargetDiff } from '../diff/rendered.js';
import type { Manifest } from '../load/yaml.js';
import { pushAll } from '../model/collections.js';
import { defaultConcurrency, mapConcurrent } from '../model/concurrency.js';
import type { ShardSpec } from '../model/partition.js';
import { getAt, resolvePath } from '../model/path.js';
import { type Finding, type InputError, type ObjectRef, refKey, refOf } from '../model/types.js';
import { isWorkload } from '../model/workload.js';
import {
  changedFiles,
  checkedOut,
  ensureCommit,
  extractCommit,
  hasCommit,
  mergeBase,
  repoRoot,
} from '../render/git.js';
import type { Renderer } from '../render/index.js';
import type { Target } from '../render/types.js';
import { sortFindings } from '../rules/engine.js';
import {
  checkManifests,
  configRenderer,
  diffManifests,
  findTargets,
  loadBaseline,
  type ObjectDiff,
} from './pull-request-adapters.js';
import { isAffected, targetInputs, targetKey } from './pull-request-targets.js';
import { type ShardInfo, shardPlan } from './shard.js';

export type { ObjectDiff };

/**
 * The pull-request job: which targets the change touches (with reverse dependencies), each
 * rendered at the merge base and at the head, the checklist run on both, and every head finding
 * sorted into new (its fingerprint is absent at the base) or existing. Only new findings fail the
 * check and get inline comments. Without a base (a push to main), every target is checked and
 * every finding counts.
 *
 * The one base-vs-head pipeline: the Action's pull-request and check jobs (action/readiness.ts),
 * `shipshape diff --base` and `shipshape check --base` (cli/commands/base.ts) all run it; each
 * only publishes or prints the result differently. Pure of GitHub; the result is plain data.
 */

export interface PullRequestJobSettings {
  /** The head checkout (the workspace); finding locations are relative to it. */
  cwd: string;
  /** Where to look for targets, relative to `cwd`. */
  roots: readonly string[];
  config: Config;
  configErrors?: readonly InputError[];
  /** The base commit (the pull request's base branch tip); none for a plain check. */
  base?: string;
  /**
   * The head commit: when the checkout is another commit (GitHub's merge commit), this one is
   * rendered. With a base and no head, the working tree (and its new files) is the head.
   */
  head?: string;
  /**
   * The commit whose config-side files (the baseline) are trusted: the pull request's base. The
   * head's are the pull request's own, which may not accept its own findings.
   */
  trustedCommit?: string;
  /** Changed files (repository-relative) as GitHub lists them; read from git when absent. */
  changed?: readonly string[];
  log?: (message: string) => void;
  today?: Date;
  /**
   * Evaluate only this shard's part of the targets (jobs/shard.ts); the result says which
   * (`shard`), so that a publish job can put the shards back together (result/merge.ts).
   */
  shard?: ShardSpec;
}

/** One side's render and checklist, inside the job (manifests carry functions: never in the result). */
interface Evaluation {
  manifests: Manifest[];
  /** A second render of a chart, to tell random output (passwords, certificates) from change. */
  again?: Manifest[];
  findings: Finding[];
  errors: InputError[];
}

/**
 * One target's outcome. Plain data, like the whole result: it can be written to a JSON file and
 * read back by a job that only publishes.
 */
export interface TargetOutcome {
  name: string;
  kind: Target['kind'];
  /** The app definition that made the target (`Application argocd/web (apps/web.yaml)`), if any. */
  app?: string;
  /** `added`: only at the head; `removed`: only at the base. */
  presence: 'both' | 'added' | 'removed' | 'head-only-check';
  /** The head: its findings, its render's errors and notes, how many objects it rendered to. */
  head?: { findings: Finding[]; errors: InputError[]; objects: number };
  /** How the rendered diff came out: `base-failed`/`head-failed` when that side did not render. */
  status: TargetDiff['status'];
  /** The base render's errors (a base that did not render is a status, not the change's fault). */
  baseErrors: InputError[];
  newFindings: Finding[];
  existingFindings: Finding[];
  /** Base findings the head no longer has. */
  fixedFindings: Finding[];
  diff: ObjectDiff[];
  /** Objects the same at the base and the head. */
  unchanged: number;
  workloads: ObjectRef[];
}

export interface PullRequestJobResult {
  mode: 'pull-request' | 'check';
  base?: string;
  head?: string;
  /** The commit the base side was rendered at: the merge base of the base and the head. */
  mergeBase?: string;
  changedFiles: string[];
  targets: TargetOutcome[];
  /** Every finding at the head, in the affected targets. */
  findings: Finding[];
  newFindings: Finding[];
  existingFindings: Finding[];
  fixedFindings: Finding[];
  errors: InputError[];
  /** Did any affected target render to something different? */
  renderedChanged: boolean;
  /** Files read at the head, and objects checked, for the report's summary. */
  files: string[];
  objects: number;
  /** With a shard: which of the planned targets it took, of how many. */
  shard?: ShardInfo;
}

export async function runPullRequestJob(settings: PullRequestJobSettings): Promise<PullRequestJobResult> {
  const log = settings.log ?? (() => {});
  const errors: InputError[] = [...(settings.configErrors ?? [])];
  const { cwd } = settings;
  const result: PullRequestJobResult = {
    mode: settings.base ? 'pull-request' : 'check',
    base: settings.base,
    head: settings.head,
    changedFiles: [],
    targets: [],
    findings: [],
    newFindings: [],
    existingFindings: [],
    fixedFindings: [],
    errors,
    renderedChanged: false,
    files: [],
    objects: 0,
  };

  // Where cwd sits in its repository: git names files from the top, targets from cwd.
  const root = settings.base ? await repoRoot(cwd).catch(() => cwd) : cwd;
  const prefix = path.relative(root, cwd).split(path.sep).join('/');
  // `actions/checkout` on pull_request checks out GitHub's merge commit by default: its lines are
  // not the head's once the base has moved, and comments are posted against the head. Render the
  // head commit itself then, so every line a finding names is a line of the head. (The CLI's
  // --head is a commit other than the checkout too.)
  const headTree = await headCheckout(settings, log);
  if (headTree.error) errors.push({ level: 'note', message: headTree.error });
  const headCwd = headTree.dir ? path.join(headTree.dir, prefix) : cwd;
  try {
    return await runIn(settings, result, { root, prefix, headCwd });
  } finally {
    await headTree.remove?.();
  }
}

async function headCheckout(
  settings: PullRequestJobSettings,
  log: (message: string) => void,
): Promise<{ dir?: string; remove?: () => Promise<void>; error?: string }> {
  const { cwd, head } = settings;
  if (!settings.base || !head) return {};
  const current = await checkedOut(cwd);
  if (current === undefined || current === head) return {};
  const fetchError = await ensureCommit(cwd, head);
  if (fetchError)
    return {
      error: `${fetchError}; findings are placed on the lines of the checkout ${current.slice(0, 12)}`,
    };
  const extracted = await extractCommit(cwd, head);
  if ('error' in extracted)
    return { error: `${extracted.error}; findings are placed on the lines of the checkout` };
  log(
    `The checkout (${current.slice(0, 12)}) is not the pull request's head (${head.slice(0, 12)}), as with GitHub's merge commit: rendering the head commit, so that every comment lands on the head's own line.`,
  );
  return extracted;
}

interface Place {
  /** The repository's top folder, and cwd relative to it ('' at the top). */
  root: string;
  prefix: string;
  /** Where the head is rendered: cwd, or the same folder in the head commit's tree. */
  headCwd: string;
}

async function runIn(
  settings: PullRequestJobSettings,
  result: PullRequestJobResult,
  { prefix, headCwd }: Place,
): Promise<PullRequestJobResult> {
  const log = settings.log ?? (() => {});
  const { cwd } = settings;
  const { errors } = result;
  const found = await findTargets(headCwd, settings.roots, settings.config, cwd);
  pushAll(errors, found.errors);
  const baseline = await loadBaseline(cwd, settings.config, settings.trustedCommit);
  pushAll(errors, baseline.errors);
  const render = await configRenderer(settings.config);
  const evalSettings = { ...settings, headCwd, baseline: baseline.fingerprints, render };
  const keyOf = (t: Target) => targetKey(t, !found.fromConfig);
  const headTargets = found.targets;
  if (!settings.base) {
    const plan = await shardOf(
      result,
      headTargets.map((t) => ({ key: keyOf(t), head: t })),
      settings,
      headCwd,
    );
    await evaluateAll(result, plan, evalSettings);
    return finish(result);
  }

  // The base: make sure the commit is here, diff from the merge base (what GitHub shows).
  const fetchError = await ensureCommit(cwd, settings.base);
  if (fetchError) errors.push({ level: 'error', message: fetchError });
  // The checkout may be GitHub's merge commit, whose head parent a shallow clone lacks: the
  // checkout itself is then the head to compare. No head at all: the working tree is the head.
  const head = settings.head && (await hasCommit(cwd, settings.head)) ? settings.head : undefined;
  const from = (await mergeBase(cwd, settings.base, head ?? 'HEAD')) ?? settings.base;
  result.mergeBase = from;
  const gitChanges = await changedFiles(cwd, from, settings.head ? (head ?? 'HEAD') : undefined);
  const changed = new Set<string>(settings.changed ?? []);
  for (const c of gitChanges ?? []) {
    changed.add(c.file);
    if (c.previous) changed.add(c.previous);
  }
  result.changedFiles = [...changed].sort();
  if (changed.size === 0) {
    log('No changed files: nothing to check.');
    await shardOf(result, [], settings, headCwd);
    return finish(result);
  }
  // Changed files as seen from cwd, the way target paths are written.
  const changedHere = prefix ? [...changed].map((f) => path.posix.relative(prefix, f)) : [...changed];

  const extracted = await extractCommit(cwd, from);
  if ('error' in extracted) {
    errors.push({ level: 'error', message: `${extracted.error}; every finding counts as new` });
  }
  const baseDir = 'dir' in extracted ? path.join(extracted.dir, prefix) : undefined;
  try {
    const baseTargets = baseDir
      ? (await findTargets(baseDir, settings.roots, settings.config, cwd)).targets
      : [];
    const affected = await affectedTargets(headCwd, baseDir, headTargets, baseTargets, changedHere, keyOf);
    log(
      affected.length === 0
        ? 'No target is affected by the changed files.'
        : `Affected targets: ${affected.map((p) => p.key).join(', ')}`,
    );
    const plan = await shardOf(result, affected, settings, headCwd, baseDir);
    await evaluateAll(result, plan, { ...evalSettings, baseDir });
  } finally {
    if ('remove' in extracted) await extracted.remove();
  }
  return finish(result);
}

/** This shard's part of the plan (all of it without a shard), noting the split in the result. */
async function shardOf(
  result: PullRequestJobResult,
  plan: Planned[],
  settings: PullRequestJobSettings,
  headCwd: string,
  baseDir?: string,
): Promise<Planned[]> {
  if (!settings.shard) return plan;
  const { items, info } = await shardPlan(plan, settings.shard, headCwd, baseDir);
  result.shard = info;
  settings.log?.(
    `Shard ${info.spec.index}/${info.spec.count}: ${items.length} of ${plan.length} targets${items.length > 0 ? ` (${items.map((p) => p.key).join(', ')})` : ''}.`,
  );
  return items;
}

interface Planned {
  key: string;
  /** The target as defined at the head, and at the base (a plain folder's files may differ). */
  head?: Target;
  base?: Target;
}

/**
 * Targets whose inputs (at the head or at the base) include a changed file, each paired with its
 * definition on the other side when it exists there.
 */
async function affectedTargets(
  cwd: string,
  baseDir: string | undefined,
  headTargets: readonly Target[],
  baseTargets: readonly Target[],
  changed: readonly string[],
  keyOf: (t: Target) => string,
): Promise<Planned[]> {
  const headByKey = new Map(headTargets.map((t) => [keyOf(t), t]));
  const baseByKey = new Map(baseTargets.map((t) => [keyOf(t), t]));
  const plan = new Map<string, Planned>();
  for (const [key, t] of headByKey) {
    if (isAffected(await targetInputs(cwd, t), changed))
      plan.set(key, { key, head: t, base: baseByKey.get(key) });
  }
  for (const [key, t] of baseByKey) {
    if (plan.has(key) || !baseDir) continue;
    // Affected only through its base definition: a file it used was removed or renamed away.
    if (isAffected(await targetInputs(baseDir, t), changed))
      plan.set(key, { key, head: headByKey.get(key), base: t });
  }
  return [...plan.values()];
}

async function evaluateAll(
  result: PullRequestJobResult,
  plan: readonly Planned[],
  settings: EvalSettings & { baseDir?: string },
): Promise<void> {
  // Each target renders twice at once (base and head): half as many targets as renders at once
  // (the config's render.concurrency, else the cores).
  const limit = Math.max(1, Math.ceil((settings.config.render.concurrency ?? defaultConcurrency()) / 2));
  const outcomes = await mapConcurrent(
    plan,
    async (p) => {
      const [head, base] = await Promise.all([
        p.head ? evaluate(p.head, settings.headCwd, settings, result.mode === 'pull-request') : undefined,
        p.base && settings.baseDir ? evaluate(p.base, settings.baseDir, settings) : undefined,
      ]);
      return { outcome: compare(p, head, base, result.mode), head };
    },
    limit,
  );
  const files = new Set(result.files);
  for (const { outcome: o, head } of outcomes) {
    result.targets.push(o);
    pushAll(result.findings, o.head?.findings ?? []);
    pushAll(result.newFindings, o.newFindings);
    pushAll(result.existingFindings, o.existingFindings);
    pushAll(result.fixedFindings, o.fixedFindings);
    pushAll(result.errors, o.head?.errors ?? []);
    if (o.diff.length > 0) result.renderedChanged = true;
    for (const m of head?.manifests ?? []) {
      if (files.has(m.file)) continue;
      files.add(m.file);
      result.files.push(m.file);
    }
    result.objects += head?.manifests.length ?? 0;
  }
}

type EvalSettings = PullRequestJobSettings & {
  /** Where the head is rendered: the checkout, or the head commit's tree when the checkout is a merge. */
  headCwd: string;
  baseline: ReadonlySet<string>;
  /** Every render of the run, sharing the tools, chart files and containment. */
  render: Renderer;
};

async function evaluate(
  target: Target,
  cwd: string,
  settings: EvalSettings,
  twice = false,
): Promise<Evaluation> {
  const rendered = await settings.render(target, cwd);
  // Findings the baseline accepts are not reported, at the base or the head.
  const findings = checkManifests(rendered.manifests, settings.config, settings.today).filter(
    (f) => !settings.baseline.has(f.fingerprint),
  );
  const evaluation: Evaluation = { manifests: rendered.manifests, findings, errors: rendered.errors };
  // Only templates can produce random output; Kustomize and plain files render the same every time.
  if (twice && target.kind === 'helm' && rendered.errors.length === 0) {
    evaluation.again = (await settings.render(target, cwd)).manifests;
  }
  return evaluation;
}

/** New is "absent at the base" by fingerprint (rule, object, field path), never by line. */
function compare(
  p: Planned,
  head: Evaluation | undefined,
  base: Evaluation | undefined,
  mode: PullRequestJobResult['mode'],
): TargetOutcome {
  const baseFps = new Set(base?.findings.map((f) => f.fingerprint) ?? []);
  const headFps = new Set(head?.findings.map((f) => f.fingerprint) ?? []);
  const headFindings = head?.findings ?? [];
  const comparable = mode === 'pull-request' && base !== undefined;
  const target = (p.head ?? p.base)!;
  const rendered =
    mode === 'pull-request' ? renderedDiff(base, head) : { status: 'ok' as const, objects: [], unchanged: 0 };
  return {
    name: p.key,
    kind: target.kind,
    ...(target.app ? { app: target.app.name } : {}),
    presence: mode === 'check' ? 'head-only-check' : p.head && p.base ? 'both' : p.head ? 'added' : 'removed',
    ...(head
      ? { head: { findings: head.findings, errors: head.errors, objects: head.manifests.length } }
      : {}),
    status: rendered.status,
    baseErrors: base?.errors.filter((e) => e.level === 'error') ?? [],
    newFindings: comparable
      ? markRemovals(
          headFindings.filter((f) => !baseFps.has(f.fingerprint)),
          base?.manifests ?? [],
          head?.manifests ?? [],
        )
      : [...headFindings],
    existingFindings: comparable ? headFindings.filter((f) => baseFps.has(f.fingerprint)) : [],
    fixedFindings: (base?.findings ?? []).filter((f) => !headFps.has(f.fingerprint)),
    diff: rendered.objects,
    unchanged: rendered.unchanged,
    workloads: (head?.manifests ?? []).filter((m) => isWorkload(m.object)).map((m) => refOf(m.object)),
  };
}

/**
 * One target's rendered diff. A side that did not render is a status with its errors, not a
 * change: a head that failed shows no objects (not every object removed); a base that failed
 * shows every head object as added.
 */
function renderedDiff(
  base: Evaluation | undefined,
  head: Evaluation | undefined,
): { status: TargetDiff['status']; objects: ObjectDiff[]; unchanged: number } {
  const failed = (e: Evaluation | undefined) =>
    !!e && e.manifests.length === 0 && e.errors.some((x) => x.level === 'error');
  const status: TargetDiff['status'] = !base
    ? 'added'
    : !head
      ? 'removed'
      : failed(head)
        ? 'head-failed'
        : failed(base)
          ? 'base-failed'
          : 'ok';
  if (status === 'head-failed') return { status, objects: [], unchanged: 0 };
  const again = head?.again && head.again.length > 0 ? head.again : undefined;
  return { status, ...diffManifests(base?.manifests ?? [], head?.manifests ?? [], again) };
}

/**
 * New findings about a field the base had (a deleted readinessProbe, deleted limits): each gets
 * the line that held the field at the base, where a review comment can say what was removed.
 */
function markRemovals(
  findings: Finding[],
  baseManifests: readonly Manifest[],
  headManifests: readonly Manifest[],
): Finding[] {
  if (findings.length === 0 || baseManifests.length === 0) return findings;
  const byRef = new Map(baseManifests.map((m) => [refKey(m.ref), m]));
  const headByRef = new Map(headManifests.map((m) => [refKey(m.ref), m]));
  for (const f of findings) {
    const base = byRef.get(refKey(f.object));
    if (!base) continue;
    const { segments, complete } = resolvePath(base.object, f.path);
    if (!complete || getAt(base.object, segments) === undefined) continue;
    // Removed, not changed: the head no longer has the field at all.
    const head = headByRef.get(refKey(f.object));
    if (head && resolvePath(head.object, f.path).complete) continue;
    f.removedAt = base.locateSource?.(segments) ?? base.locate(segments);
  }
  return findings;
}

/** How a run ends: targets by name, findings by place, files sorted. The merge of shards ends alike. */
export function finish(result: PullRequestJobResult): PullRequestJobResult {
  result.targets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  sortFindings(result.findings);
  sortFindings(result.newFindings);
  sortFindings(result.existingFindings);
  result.files.sort();
  return result;
}

/** Repository-relative form of a path under the workspace. */
export function repoPath(cwd: string, file: string): string {
  return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
}

/** Each target's rendered diff, as `shipshape diff` prints it (diff/format.ts). */
export function targetDiffs(result: PullRequestJobResult): TargetDiff[] {
  return result.targets.map((t) => ({
    target: t.name,
    status: t.status,
    baseErrors: t.baseErrors,
    headErrors: (t.head?.errors ?? []).filter((e) => e.level === 'error'),
    objects: t.diff,
    unchanged: t.unchanged,
  }));
}

/** The run's errors that belong to no target's render (config, discovery, git). */
export function runErrors(result: PullRequestJobResult): InputError[] {
  const ofTargets = new Set(result.targets.flatMap((t) => t.head?.errors ?? []));
  return result.errors.filter((e) => !ofTargets.has(e));
}
