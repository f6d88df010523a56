import { type Config, ruleSelectionOf } from '../config.js';
import { diffObjects, type ObjectChange } from '../diff/rendered.js';
import { loadPaths } from '../load/files.js';
import type { Manifest } from '../load/yaml.js';
import type { Finding } from '../model/types.js';
import { which } from '../render/exec.js';
import { renderHelm } from '../render/helm.js';
import { renderKustomize } from '../render/kustomize.js';
import { type RenderResult, type Target, targetName } from '../render/types.js';
import { runRules } from '../rules/engine.js';
import { ALL_RULES } from '../rules/index.js';
import { applySuppressions } from '../rules/suppress.js';

/**
 * Narrow adapters over the render, check and diff layers, so the pull-request job can run on
 * rendered manifests. Each is the smallest thing that works with the layer as it stands; swap a
 * body for the layer's own entry point when it grows one (a renderTargets, a checkManifests, a
 * per-object rendered diff with secret redaction).
 */

export interface RenderContext {
  cwd: string;
  timeoutMs?: number;
}

/** Render one target with the real tools; a failure is a result with errors, never a throw. */
export async function renderTarget(target: Target, ctx: RenderContext): Promise<RenderResult> {
  const started = Date.now();
  const timeoutMs = ctx.timeoutMs ?? 120_000;
  try {
    if (target.kind === 'plain') {
      const loaded = await loadPaths(target.paths, { cwd: ctx.cwd });
      return {
        target,
        manifests: loaded.manifests,
        errors: loaded.errors,
        rendered: '',
        millis: Date.now() - started,
      };
    }
    if (target.kind === 'helm') {
      const helm = await which('helm');
      if (!helm) return missingTool(target, 'helm', started);
      const res = await renderHelm(target, { cwd: ctx.cwd, helm, timeoutMs });
      return { ...res, tool: 'helm', millis: Date.now() - started };
    }
    const kustomize = await which('kustomize');
    const kubectl = kustomize ? undefined : await which('kubectl');
    if (!kustomize && !kubectl) return missingTool(target, 'kustomize', started);
    const command = kustomize ? [kustomize, 'build'] : [kubectl!, 'kustomize'];
    const res = await renderKustomize(target, { cwd: ctx.cwd, command, timeoutMs });
    return { ...res, tool: kustomize ? 'kustomize' : 'kubectl kustomize', millis: Date.now() - started };
  } catch (err) {
    return {
      target,
      manifests: [],
      errors: [{ level: 'error', message: `${targetName(target)}: ${(err as Error).message}` }],
      rendered: '',
      millis: Date.now() - started,
    };
  }
}

function missingTool(target: Target, tool: string, started: number): RenderResult {
  return {
    target,
    manifests: [],
    errors: [{ level: 'error', message: `${targetName(target)}: ${tool} is not on PATH` }],
    rendered: '',
    millis: Date.now() - started,
  };
}

/** The checklist over one target's manifests, with the config's selection and suppressions. */
export function checkManifests(
  manifests: readonly Manifest[],
  config: Config,
  today = new Date(),
): Finding[] {
  const selection = ruleSelectionOf(config);
  const ran = ALL_RULES.filter((r) => !selection.disabled.has(r.meta.id));
  const raw = runRules(manifests, ran, { settings: selection.settings, severity: selection.severity });
  return applySuppressions(manifests, raw, {
    rules: ALL_RULES.map((r) => r.meta),
    ran: new Set(ran.map((r) => r.meta.id)),
    today,
    disabled: selection.disabled,
    severity: selection.severity,
  }).findings;
}

// ---------------------------------------------------------------------------------------------
// Rendered diff: the diff layer's per-object diff (sorted, secrets redacted, renames paired,
// non-deterministic fields marked when a second render of the head is given).

export type ObjectDiff = ObjectChange;

export function diffManifests(
  base: readonly Manifest[],
  head: readonly Manifest[],
  headAgain?: readonly Manifest[],
): ObjectDiff[] {
  return diffObjects({
    base: base.map((m) => m.object),
    head: head.map((m) => m.object),
    ...(headAgain ? { headAgain: headAgain.map((m) => m.object) } : {}),
  }).objects;
}
