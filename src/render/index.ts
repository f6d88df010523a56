import path from 'node:path';
import { loadPaths } from '../load/files.js';
import { defaultConcurrency, mapConcurrent } from '../model/concurrency.js';
import type { InputError } from '../model/types.js';
import { Containment, repositoryRoot } from './contain.js';
import { DEFAULT_MAX_MEMORY_BYTES, run, which } from './exec.js';
import { renderHelm } from './helm.js';
import { renderKustomize } from './kustomize.js';
import { collectTargetInputs, secureResult } from './secret-inputs.js';
import { type RenderOptions, type RenderResult, type Target, type ToolPaths, targetName } from './types.js';

export { discoverTargets } from './discover.js';
export * from './types.js';

/**
 * Renders at once by default: one per core, and one more. A render is a helm or kustomize process
 * and then this process reading and mapping what it printed; while one render's output is read
 * here, the others keep both cores busy with the tools.
 */
function renderConcurrency(): number {
  return defaultConcurrency() + 1;
}

/**
 * Render targets concurrently, one per core (and one more) by default. Each result is a value: a failing chart
 * is a result with errors, and the others go on.
 */
export async function renderTargets(
  targets: readonly Target[],
  options: RenderOptions = {},
): Promise<RenderResult[]> {
  const shared = newShared(await resolveTools(options.tools));
  return mapConcurrent(
    targets,
    (t) => renderOne(t, options, shared),
    options.concurrency ?? renderConcurrency(),
  );
}

/** Renders a target in a folder, sharing one run's state with the other renders it makes. */
export type Renderer = (target: Target, cwd: string) => Promise<RenderResult>;

/**
 * One run's renders in several trees (the base's and the head's): the tools are found once,
 * chart files read once, and each tree's containment worked out once. The base-vs-head pipeline
 * renders every target two or three times.
 */
export async function renderer(options: Omit<RenderOptions, 'cwd'> = {}): Promise<Renderer> {
  const shared = newShared(await resolveTools(options.tools));
  return (target, cwd) => renderOne(target, { ...options, cwd }, shared);
}

export async function renderTarget(target: Target, options: RenderOptions = {}): Promise<RenderResult> {
  return renderOne(target, options, newShared(await resolveTools(options.tools)));
}

/** What the renders of one run share: the tools, chart files read once, each checkout's bounds. */
interface RunShared {
  tools: ResolvedTools;
  trees: Map<string, Promise<Map<string, string>>>;
  contain: Map<string, Promise<Containment>>;
}

function newShared(tools: ResolvedTools): RunShared {
  return { tools, trees: new Map(), contain: new Map() };
}

/** The containment for renders in `cwd`: its repository (the given root, or found upwards). */
function containmentFor(shared: RunShared, cwd: string, root?: string): Promise<Containment> {
  const key = `${cwd}\0${root ?? ''}`;
  let found = shared.contain.get(key);
  if (!found) {
    found = (async () => new Containment(root ?? (await repositoryRoot(cwd))))();
    shared.contain.set(key, found);
  }
  return found;
}

export interface ResolvedTools {
  helm?: string;
  /** The kustomize command: `kustomize build` or `kubectl kustomize`. */
  kustomize?: string[];
  versions: { helm?: string; kustomize?: string };
}

const toolCache = new Map<string, Promise<ResolvedTools>>();

/** Find helm and kustomize (or kubectl) and ask their versions, once per process. */
export function resolveTools(given: ToolPaths = {}): Promise<ResolvedTools> {
  const key = JSON.stringify(given) + (process.env.PATH ?? '');
  let found = toolCache.get(key);
  if (!found) {
    found = (async () => {
      const helm = given.helm ?? (await which('helm'));
      const kustomizeBin = given.kustomize ?? (await which('kustomize'));
      const kubectl = given.kubectl ?? (await which('kubectl'));
      const kustomize = kustomizeBin ? [kustomizeBin, 'build'] : kubectl ? [kubectl, 'kustomize'] : undefined;
      // Both versions at once: every render waits for them.
      const probe = async (program: string, args: string[]) =>
        (await run(program, args, { timeoutMs: 10_000 })).stdout.trim();
      const [helmVersion, kustomizeVersion] = await Promise.all([
        helm ? probe(helm, ['version', '--short']) : undefined,
        kustomizeBin
          ? probe(kustomizeBin, ['version'])
          : kubectl
            ? probe(kubectl, ['version', '--client'])
            : undefined,
      ]);
      const versions: ResolvedTools['versions'] = {};
      if (helmVersion !== undefined) versions.helm = `helm ${helmVersion}`;
      if (kustomizeBin) versions.kustomize = `kustomize ${kustomizeVersion}`;
      else if (kubectl)
        versions.kustomize = `kubectl kustomize (${/Kustomize Version: (\S+)/.exec(kustomizeVersion ?? '')?.[1] ?? 'unknown'})`;
      return { helm, kustomize, versions };
    })();
    toolCache.set(key, found);
  }
  return found;
}

/**
 * One target, whatever its input does: anything that throws while rendering or mapping it (a
 * YAML alias bomb in a Chart.yaml, a broken alias) becomes an error on that target, and the
 * other targets go on.
 */
async function renderOne(target: Target, options: RenderOptions, shared: RunShared): Promise<RenderResult> {
  const started = performance.now();
  try {
    return await renderUnguarded(target, options, shared);
  } catch (err) {
    const file = target.kind === 'helm' ? `${target.chart.replace(/\/+$/, '')}/Chart.yaml` : undefined;
    return {
      target,
      manifests: [],
      rendered: '',
      millis: Math.round(performance.now() - started),
      errors: [
        {
          level: 'error',
          message: `${targetName(target)}: cannot be rendered: ${(err as Error).message ?? String(err)}`,
          ...(file ? { location: { file, line: 1, column: 1 } } : {}),
        },
      ],
    };
  }
}

async function renderUnguarded(
  target: Target,
  options: RenderOptions,
  shared: RunShared,
): Promise<RenderResult> {
  const { tools } = shared;
  const cwd = options.cwd ?? process.cwd();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  const contain = await containmentFor(shared, cwd, options.root);
  // Secrets in the inputs are known before any output, a failing render's error text included.
  await collectTargetInputs(target, cwd, contain);
  const started = performance.now();
  const done = (r: Omit<RenderResult, 'millis' | 'tool'>, tool?: string): RenderResult =>
    secureResult({ ...appResult(target, r), tool, millis: Math.round(performance.now() - started) });
  if (target.app?.skip) return done({ target, manifests: [], rendered: '', errors: [] });
  switch (target.kind) {
    case 'helm':
      if (!tools.helm)
        return done({
          target,
          manifests: [],
          rendered: '',
          errors: [missingTool('helm', targetName(target))],
        });
      return done(
        {
          ...(await renderHelm(
            {
              ...target,
              kubeVersion: target.kubeVersion || options.kubeVersion,
              apiVersions: [...target.apiVersions, ...(options.apiVersions ?? [])],
            },
            { cwd, helm: tools.helm, timeoutMs, maxMemoryBytes, contain, trees: shared.trees },
          )),
          target,
        },
        tools.versions.helm,
      );
    case 'kustomize':
      if (!tools.kustomize) {
        return done({
          target,
          manifests: [],
          rendered: '',
          errors: [missingTool('kustomize (or kubectl)', targetName(target))],
        });
      }
      return done(
        await renderKustomize(target, {
          cwd,
          command: tools.kustomize,
          timeoutMs,
          maxMemoryBytes,
          contain,
          helm: tools.helm,
          kubeVersion: options.kubeVersion,
          apiVersions: options.apiVersions,
        }),
        tools.versions.kustomize,
      );
    case 'plain': {
      // A plain file named by the config may be a symlink too: only the repository is read.
      const refused: InputError[] = [];
      const paths: string[] = [];
      for (const p of target.paths) {
        const reason = await contain.check(path.resolve(cwd, p));
        if (reason)
          refused.push({
            level: 'error',
            message: `${reason}; refused (only the repository is read, outside .git)`,
          });
        else paths.push(p);
      }
      const loaded = await loadPaths(paths, { cwd });
      return done({
        target,
        manifests: loaded.manifests,
        errors: [...refused, ...loaded.errors],
        rendered: '',
      });
    }
  }
}

/**
 * What an app definition adds to a render (src/gitops): its notes first, and its post-render
 * step (Flux's variable substitution) on what rendered.
 */
function appResult(
  target: Target,
  r: Omit<RenderResult, 'millis' | 'tool'>,
): Omit<RenderResult, 'millis' | 'tool'> {
  const app = target.app;
  if (!app) return r;
  const after = app.postRender && r.manifests.length > 0 ? app.postRender(r) : r;
  return { ...after, errors: [...app.notes, ...after.errors] };
}

function missingTool(tool: string, what: string) {
  return {
    level: 'error' as const,
    message: `${what}: ${tool} is not installed (not on PATH, and no --helm/--kustomize or Action input names it); cannot render`,
  };
}
