import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isRecord } from '../model/types.js';
import {
  collectEnvFile,
  collectKustomization,
  collectObject,
  collectValues,
  type SecretRegistry,
  type SecretSink,
  secrets,
} from '../secrets/index.js';
import { kustomizationFile, readKustomization } from './kustomize.js';
import type { RenderResult, Target } from './types.js';
import { yamlData } from './yaml-data.js';

/**
 * The secrets of a target's inputs, collected before it renders (a failing render's error text
 * may quote a values password or a malformed secretGenerator literal), and of its output after.
 * Only files inside the repository are read (the render's own containment decides), each at
 * most 4 MiB. All of it is the repository's own text (`fromRepository`), and so are the names
 * its objects and files show.
 */

/** Decides whether a file may be read: a reason when it may not (render/contain.ts). */
export interface ReadCheck {
  check(abs: string): Promise<string | undefined>;
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Charts, dependencies and kustomizations visited per target, at most. */
const MAX_VISITS = 200;

async function readSafe(abs: string, contain: ReadCheck | undefined): Promise<string | undefined> {
  if (contain && (await contain.check(abs)) !== undefined) return undefined;
  const st = await stat(abs).catch(() => undefined);
  if (!st?.isFile() || st.size > MAX_FILE_BYTES) return undefined;
  return readFile(abs, 'utf8').catch(() => undefined);
}

/** Collect the secrets a target's inputs hold: Helm values, kustomize generators. */
export async function collectTargetInputs(
  target: Target,
  cwd: string,
  contain?: ReadCheck,
  registry: SecretRegistry = secrets,
): Promise<void> {
  const sink = registry.fromRepository();
  // The target's own folders and files are named in every message about it, rendered or not.
  const paths =
    target.kind === 'helm'
      ? [target.chart, ...target.valuesFiles]
      : target.kind === 'kustomize'
        ? [target.dir]
        : target.paths;
  sink.addPublicNames(paths.flatMap((p) => p.split('/')));
  if (target.kind === 'helm') {
    await collectChartValues(path.resolve(cwd, target.chart), contain, sink, new Set());
    for (const f of target.valuesFiles) {
      const text = await readSafe(path.resolve(cwd, f), contain);
      if (text !== undefined) for (const doc of yamlData(text)) collectValues(doc, sink);
    }
    for (const [key, value] of Object.entries(target.set)) collectValues({ [key]: value }, sink);
    for (const [key, value] of Object.entries(target.setString ?? {})) collectValues({ [key]: value }, sink);
    for (const layer of target.inlineValues ?? []) collectValues(layer.values, sink);
  } else if (target.kind === 'kustomize') {
    await collectKustomizations(path.resolve(cwd, target.dir), contain, sink, new Set());
  }
}

/** A chart's values.yaml, and those of its subcharts (vendored folders and file:// dependencies). */
async function collectChartValues(
  chartAbs: string,
  contain: ReadCheck | undefined,
  registry: SecretSink,
  seen: Set<string>,
): Promise<void> {
  if (seen.has(chartAbs) || seen.size >= MAX_VISITS) return;
  seen.add(chartAbs);
  for (const name of ['values.yaml', 'values.yml']) {
    const text = await readSafe(path.join(chartAbs, name), contain);
    if (text !== undefined) for (const doc of yamlData(text)) collectValues(doc, registry);
  }
  const subcharts: string[] = [];
  const chartYaml = await readSafe(path.join(chartAbs, 'Chart.yaml'), contain);
  for (const doc of chartYaml === undefined ? [] : yamlData(chartYaml)) {
    const deps = isRecord(doc) && Array.isArray(doc.dependencies) ? doc.dependencies : [];
    for (const d of deps) {
      const repo = isRecord(d) && typeof d.repository === 'string' ? d.repository : '';
      if (repo.startsWith('file://')) subcharts.push(path.resolve(chartAbs, repo.slice('file://'.length)));
    }
  }
  const vendored = await readdir(path.join(chartAbs, 'charts'), { withFileTypes: true }).catch(() => []);
  for (const e of vendored) if (e.isDirectory()) subcharts.push(path.join(chartAbs, 'charts', e.name));
  for (const sub of subcharts) {
    if (contain && (await contain.check(sub)) !== undefined) continue;
    await collectChartValues(sub, contain, registry, seen);
  }
}

/** A kustomization's generator literals and files, and those of every local base it builds on. */
async function collectKustomizations(
  dirAbs: string,
  contain: ReadCheck | undefined,
  registry: SecretSink,
  seen: Set<string>,
): Promise<void> {
  if (seen.has(dirAbs) || seen.size >= MAX_VISITS) return;
  seen.add(dirAbs);
  const file = await kustomizationFile(dirAbs);
  const text = file === undefined ? undefined : await readSafe(file, contain);
  if (text === undefined) return;
  for (const doc of yamlData(text)) {
    const files = collectKustomization(doc, registry);
    const read = (f: string) => readSafe(path.resolve(dirAbs, f), contain);
    for (const f of files.secretFiles) registry.add(await read(f));
    for (const f of files.secretEnvs) {
      const env = await read(f);
      if (env !== undefined) collectEnvFile(env, true, registry);
    }
    for (const f of files.configEnvs) {
      const env = await read(f);
      if (env !== undefined) collectEnvFile(env, false, registry);
    }
  }
  const info = await readKustomization(dirAbs).catch(() => undefined);
  for (const base of info?.bases ?? []) {
    if (contain && (await contain.check(base)) !== undefined) continue;
    await collectKustomizations(base, contain, registry, seen);
  }
}

/**
 * After a render: collect the secrets of what it produced, and mask every secret seen so far in
 * its error text (helm and kustomize quote values and literals back).
 */
export function secureResult<R extends Pick<RenderResult, 'manifests' | 'errors'>>(
  result: R,
  registry: SecretRegistry = secrets,
): R {
  const sink = registry.fromRepository();
  for (const m of result.manifests) {
    sink.addPublicNames(m.file?.split('/') ?? []);
    collectObject(m.object, sink);
  }
  if (result.errors.length === 0 || registry.size === 0) return result;
  return { ...result, errors: result.errors.map((e) => ({ ...e, message: registry.mask(e.message) })) };
}
