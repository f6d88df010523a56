import { type DiscoverConfig, type RenderConfig, resolveTargets } from '../config/render.js';
import type { GitOpsOptions } from '../gitops/discover.js';
import { compileGlob, type LoadResult, loadPaths } from '../load/files.js';
import type { Manifest } from '../load/yaml.js';
import { pushAll } from '../model/collections.js';
import type { ShardSpec } from '../model/partition.js';
import type { InputError } from '../model/types.js';
import { discoverTargets } from '../render/discover.js';
import { renderTarget, renderTargets } from '../render/index.js';
import { secureResult } from '../render/secret-inputs.js';
import {
  type RenderOptions,
  type RenderResult,
  type Target,
  type ToolPaths,
  targetName,
  targetNamespace,
} from '../render/types.js';
import { type ShardInfo, selectShard } from './shard.js';

/**
 * Render what the user points at: the targets discovered under `paths`, or the config's
 * `targets:` when no path is given. Every target renders (concurrently); failures are values.
 */
export interface RenderJobInput {
  cwd: string;
  paths: readonly string[];
  /** Targets from the config file, used when `paths` is empty. */
  configTargets?: readonly Target[];
  tools?: ToolPaths;
  concurrency?: number;
  timeoutMs?: number;
  maxMemoryBytes?: number;
  /** What charts see as `.Capabilities` when their target does not say. */
  kubeVersion?: string;
  apiVersions?: string[];
  /** The config's `discover:` section (GitOps app definitions, folder shapes); both on by default. */
  discover?: DiscoverConfig;
  /** Render only this shard's part of the targets (jobs/shard.ts). */
  shard?: ShardSpec;
}

export interface RenderJobResult {
  targets: Target[];
  results: RenderResult[];
  /** Discovery problems (a path that does not exist). Render errors sit in each result. */
  errors: InputError[];
  /** With a shard: which targets it took, of how many. */
  shard?: ShardInfo;
}

export async function runRender(input: RenderJobInput): Promise<RenderJobResult> {
  const renderOpts = {
    cwd: input.cwd,
    tools: input.tools,
    concurrency: input.concurrency,
    timeoutMs: input.timeoutMs,
    maxMemoryBytes: input.maxMemoryBytes,
    kubeVersion: input.kubeVersion,
    apiVersions: input.apiVersions,
  };
  const done = new Map<Target, Promise<RenderResult>>();
  const discovered =
    input.paths.length > 0 || !input.configTargets?.length
      ? await discoverTargets(input.paths.length > 0 ? input.paths : ['.'], {
          cwd: input.cwd,
          gitops: gitopsOptions(input.discover, renderOpts, done),
        })
      : { targets: [...input.configTargets], errors: [] };
  const fromConfig = !(input.paths.length > 0 || !input.configTargets?.length);
  const sharded = input.shard
    ? await selectShard(input.cwd, discovered.targets, input.shard, !fromConfig)
    : undefined;
  const targets = sharded?.targets ?? discovered.targets;
  const results = await renderOnce(targets, renderOpts, done);
  return { targets, results, errors: discovered.errors, ...(sharded && { shard: sharded.info }) };
}

/** Render the targets, reusing what discovery already rendered (an app it expanded). */
async function renderOnce(
  targets: readonly Target[],
  options: RenderOptions,
  done: ReadonlyMap<Target, Promise<RenderResult>>,
): Promise<RenderResult[]> {
  const todo = targets.filter((t) => !done.has(t));
  const fresh = await renderTargets(todo, options);
  const byTarget = new Map(todo.map((t, i) => [t, fresh[i]]));
  return Promise.all(targets.map((t) => byTarget.get(t) ?? done.get(t)!));
}

export interface SourcesResult extends LoadResult {
  /** With a shard: which targets it took, of how many. */
  shard?: ShardInfo;
  /**
   * The manifests per rendered target (plain files together as one), to be checked apart, with
   * the namespace objects that name none are installed to (a Helm target's --namespace).
   */
  groups: { manifests: Manifest[]; namespace?: string }[];
}

export interface LoadSourcesOptions {
  cwd: string;
  /** Globs of files to leave out of plain folders. */
  exclude?: readonly string[];
  /** Files that are no manifests, left out wherever they are (config files). */
  skip?: (file: string) => boolean;
  stdin?: () => Promise<string>;
  /** The config's `targets:` (paths relative to `configDir`) and `render:` sections. */
  configTargets?: readonly Target[];
  configDir?: string;
  render?: RenderConfig;
  discover?: DiscoverConfig;
  /**
   * Check only this shard's part of the targets. The loose manifests are one target (they are
   * checked together, as without shards), and stdin cannot be split.
   */
  shard?: ShardSpec;
}

/**
 * What `check` lints: plain files as before, and every chart and overlay among the paths
 * rendered first (their manifests know the line a human edits). With no paths, the config's
 * `targets:`. The same shape as loadPaths, so the rest of the check does not change.
 */
export async function loadSources(
  paths: readonly string[],
  options: LoadSourcesOptions,
): Promise<SourcesResult> {
  const { cwd } = options;
  // Plain manifests' secrets are collected as they load, like rendered ones (render/index.ts).
  const load = async (p: readonly string[]) =>
    secureResult(
      await loadPaths(p, { cwd, exclude: options.exclude, skip: options.skip, stdin: options.stdin }),
    );
  const renderOpts = {
    cwd,
    tools: options.render?.tools,
    timeoutMs: options.render?.timeoutMs,
    maxMemoryBytes: options.render?.maxMemoryBytes,
    concurrency: options.render?.concurrency,
    kubeVersion: options.render?.kubeVersion,
    apiVersions: options.render?.apiVersions,
  };
  const { shard } = options;
  if (shard && paths.includes('-')) throw new Error('stdin (-) cannot be split into shards');
  if (paths.length === 0 && options.configTargets?.length) {
    const all = resolveTargets(options.configTargets, options.configDir ?? '.', cwd);
    const sharded = shard ? await selectShard(cwd, all, shard, false) : undefined;
    const merged = merge(await renderTargets(sharded?.targets ?? all, renderOpts), [], options);
    return sharded ? { ...merged, shard: sharded.info } : merged;
  }
  const onDisk = paths.filter((p) => p !== '-');
  const done = new Map<Target, Promise<RenderResult>>();
  const discovered = await discoverTargets(onDisk, {
    cwd,
    gitops: gitopsOptions(options.discover, renderOpts, done),
  });
  const { errors } = discovered;
  const sharded = shard ? await selectShard(cwd, discovered.targets, shard) : undefined;
  const targets = sharded?.targets ?? discovered.targets;
  const withShard = (r: SourcesResult): SourcesResult => (sharded ? { ...r, shard: sharded.info } : r);
  // App definitions' targets render as apps, plain ones included (their notes and namespace).
  const rendered = targets.filter((t) => t.kind !== 'plain' || t.app);
  // Discovery's own notes (an app whose source is elsewhere); missing paths the loader reports.
  const notes = errors.filter((e) => !/: no such file or folder$/.test(e.message));
  // Nothing to render: plain manifests exactly as the loader always read them.
  // (Of all targets, not this shard's: a shard holding only the loose manifests reads only them.)
  if (!discovered.targets.some((t) => t.kind !== 'plain' || t.app) && options.discover?.folders !== false) {
    // A shard without the loose manifests has nothing to read (paths that do not exist are
    // every shard's error, as they are discovery's).
    const mine = !sharded || targets.length > 0;
    const plainOnly = mine
      ? await load(paths)
      : { manifests: [], files: [], errors: errors.filter((e) => !notes.includes(e)) };
    return withShard({
      ...plainOnly,
      errors: [...notes, ...plainOnly.errors],
      groups: [{ manifests: plainOnly.manifests }],
    });
  }
  const plain = targets.flatMap((t) => (t.kind === 'plain' && !t.app ? t.paths : []));
  const loose = [...plain, ...(paths.includes('-') ? ['-'] : [])];
  const [results, plainLoad] = await Promise.all([
    renderOnce(rendered, renderOpts, done),
    loose.length > 0 ? load(loose) : Promise.resolve(undefined),
  ]);
  const merged = merge(results, plainLoad ? [plainLoad] : [], options);
  merged.errors.unshift(...notes);
  return withShard(merged);
}

/**
 * GitOps discovery as the config says, with a renderer for the app definitions other apps
 * render (an app of apps, the HelmReleases a Flux Kustomization builds). What it renders is kept
 * in `done`, when given, so that a target is not rendered twice in one run.
 */
export function gitopsOptions(
  discover: DiscoverConfig | undefined,
  render: RenderOptions,
  done?: Map<Target, Promise<RenderResult>>,
): GitOpsOptions {
  return {
    gitops: discover?.gitops ?? true,
    folders: discover?.folders ?? true,
    repoURLs: discover?.repoURLs ?? [],
    render: (target) => {
      const result = renderTarget(target, render);
      done?.set(target, result);
      return result;
    },
  };
}

function merge(
  results: RenderResult[],
  loads: LoadResult[],
  options: Pick<LoadSourcesOptions, 'exclude' | 'skip'>,
): SourcesResult {
  const out: SourcesResult = { manifests: [], errors: [], files: [], groups: [] };
  const globs = (options.exclude ?? []).map(compileGlob);
  const left = (file: string) => options.skip?.(file) || globs.some((re) => re.test(file));
  for (const r of results) {
    // `exclude:` applies to rendered objects by the file they come from (a template, a base).
    const kept =
      !options.skip && globs.length === 0 ? r.manifests : r.manifests.filter((m) => !left(sourceFile(m)));
    const namespace = targetNamespace(r.target);
    out.groups.push(namespace ? { manifests: kept, namespace } : { manifests: kept });
    pushAll(out.manifests, kept);
    pushAll(out.errors, r.errors);
    out.files.push(targetName(r.target));
  }
  for (const l of loads) {
    out.groups.push({ manifests: l.manifests });
    pushAll(out.manifests, l.manifests);
    pushAll(out.errors, l.errors);
    pushAll(out.files, l.files);
  }
  return out;
}

/** The file an object comes from: its template or base for a rendered one. */
function sourceFile(m: Manifest): string {
  return (m.locateSource?.([]) ?? m.locate([])).file;
}
