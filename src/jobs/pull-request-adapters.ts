import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Config, isConfigFile } from '../config/index.js';
import { resolveTargets } from '../config/render.js';
import { diffObjects, type ObjectChange } from '../diff/rendered.js';
import { compileGlob, relativeName } from '../load/files.js';
import type { Manifest } from '../load/yaml.js';
import type { Finding, InputError } from '../model/types.js';
import { discoverTargets } from '../render/discover.js';
import { readFileAtCommit } from '../render/git.js';
import { type Renderer, renderer } from '../render/index.js';
import type { Target } from '../render/types.js';
import { parseBaseline } from '../rules/baseline.js';
import { checkManifests as checkWithConfig } from './check.js';
import { gitopsOptions } from './render.js';

/**
 * The pull-request job's view of the other layers: targets found and rendered by the render
 * layer, the checklist run per target the way the check job runs it (config selection,
 * suppressions), and the diff layer's per-object rendered diff.
 */

/**
 * Render targets with the real tools, as the config's `render:` section says, sharing one run's
 * state (render/index.ts). Rendered objects that come from a file `exclude:` names are dropped,
 * as the check job does.
 */
export async function configRenderer(config: Config): Promise<Renderer> {
  const { render } = config;
  const renderIn = await renderer({
    tools: render.tools,
    timeoutMs: render.timeoutMs,
    maxMemoryBytes: render.maxMemoryBytes,
    kubeVersion: render.kubeVersion,
    apiVersions: render.apiVersions,
  });
  const skip = config.exclude.map(compileGlob);
  return async (target, cwd) => {
    const result = await renderIn(target, cwd);
    if (skip.length === 0 || target.kind === 'plain') return result;
    const kept = result.manifests.filter((m) => {
      const file = (m.locateSource?.([]) ?? m.locate([])).file;
      return !skip.some((re) => re.test(file));
    });
    return { ...result, manifests: kept };
  };
}

/**
 * The targets under `roots`: the config's `targets:` when it has some, else those discovered
 * (charts, overlays, and the loose manifests as one plain target, as `shipshape check` does).
 * Plain files the config excludes are left out. `cwd` is the tree to look in, `checkout` the
 * folder the config was read for (the two differ for an extracted base or head commit).
 */
export async function findTargets(
  cwd: string,
  roots: readonly string[],
  config: Config,
  checkout = cwd,
): Promise<{ targets: Target[]; errors: InputError[]; fromConfig: boolean }> {
  if (config.targets.length > 0) {
    // The config's folder as it sits in the checkout, applied to this tree (the base's or the
    // head's extracted copy): each side renders its own files.
    const dir = config.dir === checkout ? '.' : relativeName(checkout, config.dir);
    return {
      targets: resolveTargets(config.targets, dir),
      errors: [],
      fromConfig: true,
    };
  }
  const { render } = config;
  const found = await discoverTargets(roots, {
    cwd,
    gitops: gitopsOptions(config.discover, {
      cwd,
      tools: render.tools,
      timeoutMs: render.timeoutMs,
      maxMemoryBytes: render.maxMemoryBytes,
    }),
  });
  // The config file is YAML but no manifest; neither is anything the config excludes.
  const exclude = config.exclude.map(compileGlob);
  const left = (p: string) => isConfigFile(p) || exclude.some((re) => re.test(p));
  const targets = found.targets
    .map((t) => (t.kind === 'plain' ? { ...t, paths: t.paths.filter((p) => !left(p)) } : t))
    .filter((t) => t.kind !== 'plain' || t.paths.length > 0 || t.app);
  return { targets, errors: found.errors, fromConfig: false };
}

/** The checklist over one target's manifests: the check job's own, per target and revision. */
export function checkManifests(
  manifests: readonly Manifest[],
  config: Config,
  today = new Date(),
): Finding[] {
  return checkWithConfig(manifests, config, { today }).findings;
}

/**
 * The config's baseline (findings accepted as they are), read from the head checkout. A broken
 * or missing file is an input error and accepts nothing.
 */
export async function loadBaseline(
  cwd: string,
  config: Config,
  trustedCommit?: string,
): Promise<{ fingerprints: Set<string>; errors: InputError[] }> {
  if (!config.baseline) return { fingerprints: new Set(), errors: [] };
  const abs = path.resolve(cwd, config.dir, config.baseline);
  const rel = relativeName(cwd, abs);
  // On a pull request the baseline is the base branch's: the change may not accept its own findings.
  const text = trustedCommit
    ? await readFileAtCommit(cwd, trustedCommit, rel)
    : await readFile(abs, 'utf8').catch(() => undefined);
  if (text === undefined) {
    return {
      fingerprints: new Set(),
      errors: [
        {
          level: 'error',
          message: `baseline ${rel}: cannot read it${trustedCommit ? ` at the base commit ${trustedCommit.slice(0, 12)}` : ''}`,
        },
      ],
    };
  }
  return parseBaseline(text, rel);
}

// ---------------------------------------------------------------------------------------------
// Rendered diff: the diff layer's per-object diff (sorted, secrets redacted, renames paired,
// non-deterministic fields marked when a second render of the head is given).

export type ObjectDiff = ObjectChange;

export function diffManifests(
  base: readonly Manifest[],
  head: readonly Manifest[],
  headAgain?: readonly Manifest[],
): { objects: ObjectDiff[]; unchanged: number } {
  return diffObjects({
    base: base.map((m) => m.object),
    head: head.map((m) => m.object),
    ...(headAgain ? { headAgain: headAgain.map((m) => m.object) } : {}),
  });
}
