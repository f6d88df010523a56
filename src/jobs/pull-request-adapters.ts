import { createPatch } from 'diff';
import { stringify } from 'yaml';
import { type Config, ruleSelectionOf } from '../config.js';
import { loadPaths } from '../load/files.js';
import type { Manifest } from '../load/yaml.js';
import { type Finding, isRecord, type KubeObject, refKey } from '../model/types.js';
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
// Rendered diff

export interface ObjectDiff {
  /** `Deployment/shop/web` */
  key: string;
  change: 'added' | 'removed' | 'changed';
  /** A unified diff of the object's YAML, secret values redacted. */
  patch: string;
}

/**
 * Per-object diff of two renders: objects keyed by kind, namespace and name, sorted; a unified
 * diff per changed object. Secret data and stringData show as `<secret: N bytes>`, so a change
 * is visible by its size, never by its content.
 */
export function diffManifests(base: readonly Manifest[], head: readonly Manifest[]): ObjectDiff[] {
  const index = (list: readonly Manifest[]) => new Map(list.map((m) => [refKey(m.ref), m.object]));
  const before = index(base);
  const after = index(head);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: ObjectDiff[] = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    const aText = a ? toYaml(redactObject(a)) : '';
    const bText = b ? toYaml(redactObject(b, a)) : '';
    if (aText === bText) continue;
    const change = !a ? 'added' : !b ? 'removed' : 'changed';
    const patch = createPatch(key, aText, bText, 'base', 'head', { context: 3 })
      .split('\n')
      .slice(4) // drop the Index/===/---/+++ header: the section title names the object
      .join('\n')
      .trimEnd();
    out.push({ key, change, patch });
  }
  return out;
}

function toYaml(obj: unknown): string {
  return stringify(obj, { sortMapEntries: true, lineWidth: 0 });
}

const SECRETISH = /pass|secret|token|key|credential|pwd|auth|cert|private|session|cookie|dsn/i;

/**
 * A copy safe to print. With `previous` (the base version), a secret value that differs from it
 * is marked changed, so a same-size change still shows in the diff.
 */
function redactObject(obj: KubeObject, previous?: KubeObject): KubeObject {
  const copy = structuredClone(obj) as KubeObject;
  if (copy.kind === 'Secret') {
    for (const field of ['data', 'stringData'] as const) {
      const data = copy[field];
      if (!isRecord(data)) continue;
      const old =
        previous && isRecord(previous[field]) ? (previous[field] as Record<string, unknown>) : undefined;
      for (const [k, v] of Object.entries(data)) {
        const text = typeof v === 'string' ? v : JSON.stringify(v ?? '');
        const bytes = field === 'data' ? Buffer.from(text, 'base64').length : Buffer.byteLength(text);
        const changed = previous !== undefined && old?.[k] !== v;
        data[k] = `<secret: ${bytes} bytes${changed ? ', changed' : ''}>`;
      }
    }
  }
  const ann = copy.metadata.annotations;
  if (ann?.['kubectl.kubernetes.io/last-applied-configuration']) {
    ann['kubectl.kubernetes.io/last-applied-configuration'] = '<redacted>';
  }
  redactEnv(copy, previous);
  return copy;
}

/** Env values whose names look secret, anywhere in the object. */
function redactEnv(node: unknown, previous: unknown): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      redactEnv(item, Array.isArray(previous) ? previous[i] : undefined);
    });
    return;
  }
  if (!isRecord(node)) return;
  const prev = isRecord(previous) ? previous : undefined;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'env' && Array.isArray(v)) {
      const oldEnv = Array.isArray(prev?.env) ? (prev.env as unknown[]) : undefined;
      for (const e of v) {
        if (
          !isRecord(e) ||
          typeof e.name !== 'string' ||
          !SECRETISH.test(e.name) ||
          typeof e.value !== 'string'
        )
          continue;
        const before = oldEnv?.find((o) => isRecord(o) && o.name === e.name) as
          | Record<string, unknown>
          | undefined;
        const changed = previous !== undefined && before?.value !== e.value;
        e.value = `<secret: ${Buffer.byteLength(e.value)} bytes${changed ? ', changed' : ''}>`;
      }
    } else redactEnv(v, prev?.[k]);
  }
}
