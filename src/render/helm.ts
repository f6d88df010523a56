import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printable } from '../model/text.js';
import type { InputError, SourceLocation } from '../model/types.js';
import type { Containment } from './contain.js';
import { boundMessage, MAX_MESSAGE, run } from './exec.js';
import { readText, readTree } from './files.js';
import { align, defineTable } from './helm-align.js';
import { joinPath, mapHelmOutput, splitChunks } from './helm-map.js';
import { parseTemplate } from './helm-template.js';
import { inlineLocator, writeInlineValues } from './inline-values.js';
import { readChartArchive } from './tgz.js';
import { type HelmTarget, type RenderResult, targetName } from './types.js';
import { yamlData } from './yaml-data.js';
import { yamlLocator } from './yaml-locate.js';

/**
 * Render one chart with `helm template`. Missing local (file://) dependencies are built in a
 * temporary copy of the chart, so the user's folder is never written to; a remote dependency
 * that is not vendored under charts/ is reported on its Chart.yaml line without calling helm.
 */

export interface HelmRunOptions {
  cwd: string;
  helm: string;
  timeoutMs: number;
  maxMemoryBytes?: number;
  /** What the render may read: the repository, outside `.git`. */
  contain: Containment;
  /** Chart files already read in this run (one chart, several values files): folder -> files. */
  trees?: Map<string, Promise<Map<string, string>>>;
}

interface Dependency {
  name: string;
  repository: string;
  alias?: string;
  index: number;
}

export async function renderHelm(
  target: HelmTarget,
  opts: HelmRunOptions,
): Promise<Omit<RenderResult, 'millis' | 'tool'>> {
  const started = { target, manifests: [], rendered: '' };
  const chartAbs = path.resolve(opts.cwd, target.chart);
  const chartDir = displayPath(opts.cwd, chartAbs);
  const chartYamlName = joinPath(chartDir, 'Chart.yaml');
  const refused = await escapes(chartAbs, target.valuesFiles, opts, chartYamlName);
  if (refused.length > 0) return { ...started, errors: refused };
  const files = new Map(await readChart(chartAbs, opts));
  const chartYaml = files.get(chartYamlName);
  if (chartYaml === undefined) {
    return {
      ...started,
      errors: [{ level: 'error', message: `${chartDir}: no Chart.yaml; not a Helm chart` }],
    };
  }
  const valuesFiles: string[] = [];
  const errors: InputError[] = [];
  for (const f of target.valuesFiles) {
    const abs = path.resolve(opts.cwd, f);
    const name = displayPath(opts.cwd, abs);
    if ((await readText(abs, opts.cwd, files)) === undefined) {
      errors.push({ level: 'error', message: `values file ${f} not found or unreadable` });
    } else valuesFiles.push(name);
  }
  if (errors.length > 0) return { ...started, errors };

  const deps = dependenciesOf(chartYaml);
  const vendored = new Set(await readdir(path.join(chartAbs, 'charts')).catch(() => [] as string[]));
  const missing = deps.filter((d) => !isVendored(d, vendored));
  const remote = missing.filter((d) => !d.repository.startsWith('file://'));
  if (remote.length > 0) {
    return {
      ...started,
      errors: remote.map((d) => ({
        level: 'error',
        message:
          `dependency "${d.name}" comes from ${d.repository || 'no repository'} and is not vendored in ${chartDir}/charts/; ` +
          'rendering has no network: run `helm dependency build` where it has and commit charts/, or use a file:// dependency',
        location: depLocation(chartYamlName, chartYaml, d.index),
      })),
    };
  }

  // Subcharts packaged as .tgz: their templates and values are read for the source map (never
  // as places to edit: what a human changes is the parent's values under the subchart's name).
  const virtual = await readArchives(chartAbs, chartDir, deps, files);
  let renderDir = chartAbs;
  let cleanup: (() => Promise<void>) | undefined;
  const subchartDirs: Record<string, string> = {};
  // A chart at the top of its repository would load .git (the checkout's token) as chart files:
  // it renders from a copy without it, as a chart with dependencies to vendor does.
  const gitInside = (await opts.contain.scan(chartAbs)).gitInside;
  if (missing.length > 0 || gitInside) {
    const built = await vendorLocalDependencies(chartAbs, opts);
    if ('error' in built) {
      const dep = missing.find((d) => d.name === built.dependency);
      const location = dep
        ? depLocation(chartYamlName, chartYaml, dep.index)
        : { file: chartYamlName, line: 1, column: 1 };
      return { ...started, errors: [{ level: 'error', message: built.error, location }] };
    }
    renderDir = built.dir;
    cleanup = built.cleanup;
    // Findings in a local dependency land in its own folder, where it is edited.
    for (const [name, abs] of Object.entries(built.sources)) {
      subchartDirs[name] = displayPath(opts.cwd, abs);
      await readTree(abs, opts.cwd, files);
    }
  }
  // An app definition's inline values: temporary files for helm, the definition's lines for the map.
  const inline = await writeInlineValues(target.inlineValues ?? []).catch(async (err) => {
    await cleanup?.();
    throw err;
  });
  try {
    const args = templateArgs(target, renderDir, [
      ...valuesFiles.map((f) => path.resolve(opts.cwd, f)),
      ...inline.files,
    ]);
    const bounds = { cwd: opts.cwd, timeoutMs: opts.timeoutMs, maxMemoryBytes: opts.maxMemoryBytes };
    const res = await run(opts.helm, args, bounds);
    if (res.timedOut || res.overMemory) {
      return {
        ...started,
        errors: [
          {
            level: 'error',
            message: `helm template ${boundMessage(res, opts)}`,
            location: { file: chartYamlName, line: 1, column: 1 },
          },
        ],
      };
    }
    if (res.code !== 0) {
      const error = await helmError(res.stderr, chartDir, chartYamlName, files, async () => {
        const debug = await run(opts.helm, [...args, '--debug'], bounds);
        return debug.stdout;
      });
      return { ...started, errors: [error] };
    }
    const layers = target.inlineValues ?? [];
    const sources = {
      chartDir,
      files,
      valuesFiles: [...valuesFiles, ...layers.map((l) => l.name)],
      setKeys: [...Object.keys(target.set), ...Object.keys(target.setString ?? {})],
      subchartDirs,
      virtual,
      inline: new Map(layers.map((l) => [l.name, inlineLocator(l)])),
    };
    const mapped = mapHelmOutput(res.stdout, renderedName(target), sources);
    return { target, manifests: mapped.manifests, errors: mapped.errors, rendered: res.stdout };
  } finally {
    await cleanup?.();
    await inline.cleanup();
  }
}

/**
 * What helm would read from outside the repository (or from `.git`): the chart folder or a values
 * file that resolves there, or a symlink anywhere under the chart. Each is an error naming it.
 */
async function escapes(
  chartAbs: string,
  valuesFiles: readonly string[],
  opts: HelmRunOptions,
  chartYamlName: string,
): Promise<InputError[]> {
  const at = { file: chartYamlName, line: 1, column: 1 };
  const refuse = (reason: string): InputError => ({
    level: 'error',
    message: `${reason}; refused (a render reads only the repository, outside .git)`,
    location: at,
  });
  const chart = await opts.contain.check(chartAbs);
  if (chart) return [refuse(chart)];
  const out: InputError[] = [];
  for (const f of valuesFiles) {
    const reason = await opts.contain.check(path.resolve(opts.cwd, f));
    if (reason) out.push({ ...refuse(reason), location: undefined });
  }
  const named = new Set(out.map((e) => e.message));
  for (const e of await opts.contain.escapesUnder(chartAbs)) {
    const error = refuse(e.reason);
    if (!named.has(error.message)) out.push(error);
  }
  return out;
}

/** The chart's files, read once per run however many targets share the chart. */
function readChart(chartAbs: string, opts: HelmRunOptions): Promise<Map<string, string>> {
  if (!opts.trees) return readTree(chartAbs, opts.cwd);
  let tree = opts.trees.get(chartAbs);
  if (!tree) {
    tree = readTree(chartAbs, opts.cwd);
    opts.trees.set(chartAbs, tree);
  }
  return tree;
}

export function renderedName(target: HelmTarget): string {
  return `${targetName(target)} [rendered]`;
}

export function templateArgs(target: HelmTarget, chartPath: string, valuesFiles: string[]): string[] {
  // CRDs are objects the chart installs; `helm test` Pods are not part of the deployment.
  const args = [
    'template',
    target.releaseName,
    chartPath,
    '--namespace',
    target.namespace,
    '--include-crds',
    '--skip-tests',
  ];
  for (const f of valuesFiles) args.push('--values', f);
  for (const [k, v] of Object.entries(target.set)) args.push('--set', `${k}=${v}`);
  for (const [k, v] of Object.entries(target.setString ?? {})) args.push('--set-string', `${k}=${v}`);
  if (target.kubeVersion) args.push('--kube-version', target.kubeVersion);
  for (const api of target.apiVersions) args.push('--api-versions', api);
  return args;
}

function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  const name = rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel || '.';
  return name.split(path.sep).join('/');
}

function dependenciesOf(chartYaml: string): Dependency[] {
  // An alias bomb or a broken file gives nothing here: helm itself reports the file.
  const value = yamlData(chartYaml)[0] as { dependencies?: unknown } | null | undefined;
  const list = Array.isArray(value?.dependencies) ? value.dependencies : [];
  return list.flatMap((d, index) => {
    if (!d || typeof d !== 'object' || typeof (d as Dependency).name !== 'string') return [];
    const dep = d as Partial<Dependency>;
    return [{ name: dep.name!, repository: String(dep.repository ?? ''), alias: dep.alias, index }];
  });
}

/**
 * Read every `charts/*.tgz` of the chart into `files`, under the folder helm renders it as
 * (`chartDir/charts/<alias or name>/...`), and return those display paths.
 */
async function readArchives(
  chartAbs: string,
  chartDir: string,
  deps: Dependency[],
  files: Map<string, string>,
): Promise<Set<string>> {
  const virtual = new Set<string>();
  const entries = await readdir(path.join(chartAbs, 'charts')).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.endsWith('.tgz')).sort()) {
    const archive = await readChartArchive(path.join(chartAbs, 'charts', entry));
    if ('error' in archive) continue;
    const top = [...archive.keys()][0]?.split('/')[0];
    if (!top) continue;
    const dep = deps.find((d) => d.name === top && entry.startsWith(`${d.name}-`));
    const folder = joinPath(chartDir, `charts/${dep?.alias ?? top}`);
    // A folder of the same name wins, as it does for helm.
    if (files.has(`${folder}/Chart.yaml`)) continue;
    for (const [name, text] of archive) {
      if (!name.startsWith(`${top}/`)) continue;
      const file = `${folder}/${name.slice(top.length + 1)}`;
      files.set(file, text);
      virtual.add(file);
    }
  }
  return virtual;
}

/** Vendored as `charts/<name>/` or `charts/<name>-<version>.tgz`. */
function isVendored(dep: Dependency, entries: Set<string>): boolean {
  if (entries.has(dep.name)) return true;
  for (const e of entries) if (e.startsWith(`${dep.name}-`) && e.endsWith('.tgz')) return true;
  return false;
}

function depLocation(file: string, text: string, index: number): SourceLocation {
  return yamlLocator(text, file).find(['dependencies', index]) ?? { file, line: 1, column: 1 };
}

/**
 * Copy the chart to a temporary folder and vendor its missing file:// dependencies into the
 * copy's charts/ as folders (recursively, for dependencies of dependencies). This is what
 * `helm dependency build` does for local dependencies, without Helm's repository handling, so
 * nothing can reach for a network and the user's folder is never written to.
 */
async function vendorLocalDependencies(
  chartAbs: string,
  opts: HelmRunOptions,
): Promise<
  | { dir: string; cleanup: () => Promise<void>; sources: Record<string, string> }
  | { error: string; dependency?: string }
> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'shipshape-chart-'));
  const dir = path.join(tmp, path.basename(chartAbs));
  const cleanup = () => rm(tmp, { recursive: true, force: true });
  try {
    await cp(chartAbs, dir, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
    const sources: Record<string, string> = {};
    const budget: VendorBudget = { charts: 0, deadline: Date.now() + opts.timeoutMs, contain: opts.contain };
    const failure = await vendorInto(dir, chartAbs, sources, 0, budget);
    if (failure) {
      await cleanup();
      return failure;
    }
    return { dir, cleanup, sources };
  } catch (err) {
    await cleanup();
    return { error: `cannot vendor local dependencies: ${(err as Error).message}` };
  }
}

/** Bounds on vendoring file:// dependencies: a chart may not make us copy without end. */
export const VENDOR_LIMITS = { depth: 5, charts: 50 } as const;

interface VendorBudget {
  charts: number;
  deadline: number;
  contain: Containment;
}

async function vendorInto(
  copyDir: string,
  originalDir: string,
  sources: Record<string, string>,
  depth: number,
  budget: VendorBudget,
): Promise<{ error: string; dependency?: string } | undefined> {
  if (depth > VENDOR_LIMITS.depth) {
    return {
      error: `file:// dependencies nest more than ${VENDOR_LIMITS.depth} deep (a cycle?); not rendered`,
    };
  }
  const text = await readFile(path.join(originalDir, 'Chart.yaml'), 'utf8').catch(() => '');
  const present = new Set(await readdir(path.join(copyDir, 'charts')).catch(() => [] as string[]));
  for (const dep of dependenciesOf(text)) {
    if (isVendored(dep, present) || !dep.repository.startsWith('file://')) continue;
    const from = path.resolve(originalDir, dep.repository.slice('file://'.length));
    const outside = await budget.contain.check(from);
    if (outside) {
      return {
        error: `file:// dependency "${dep.name}": ${outside}; refused (a render reads only the repository, outside .git)`,
        dependency: depth === 0 ? dep.name : undefined,
      };
    }
    const links = await budget.contain.escapesUnder(from);
    if (links.length > 0) {
      return {
        error: `file:// dependency "${dep.name}": ${links[0].reason}; refused (a render reads only the repository, outside .git)`,
        dependency: depth === 0 ? dep.name : undefined,
      };
    }
    if (++budget.charts > VENDOR_LIMITS.charts) {
      return { error: `more than ${VENDOR_LIMITS.charts} file:// dependencies to vendor; not rendered` };
    }
    if (Date.now() > budget.deadline)
      return { error: 'vendoring file:// dependencies took too long; not rendered' };
    const st = await stat(path.join(from, 'Chart.yaml')).catch(() => undefined);
    if (!st) {
      return {
        error: `file:// dependency "${dep.name}" has no chart at ${dep.repository} (no Chart.yaml there)`,
        dependency: depth === 0 ? dep.name : undefined,
      };
    }
    const to = path.join(copyDir, 'charts', dep.name);
    await cp(from, to, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
    if (depth === 0) sources[dep.name] = from;
    const nested = await vendorInto(to, from, sources, depth + 1, budget);
    if (nested) return nested;
  }
  return undefined;
}

function firstError(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.startsWith('Error:')) ?? stderr.trim().split('\n')[0] ?? '';
  return printable(line.replace(/^Error:\s*/, '').trim(), MAX_MESSAGE);
}

/**
 * Helm's error -> an InputError on the file and line it names:
 *   template: web/templates/x.yaml:8:20: executing ...      (execution, with column)
 *   execution error at (web/templates/x.yaml:6:8): ...       (`required`, `fail`)
 *   parse error at (web/templates/x.yaml:7): ...             (template syntax)
 *   YAML parse error on web/templates/x.yaml: ... line 7: ...  (line of the rendered output)
 */
export async function helmError(
  stderr: string,
  chartDir: string,
  chartYaml: string,
  files: Map<string, string>,
  debugOutput: () => Promise<string>,
): Promise<InputError> {
  const message = firstError(stderr) || 'helm template failed';
  const toFile = (source: string) => joinPath(chartDir, source.split('/').slice(1).join('/'));
  const clamp = (file: string, line: number, column: number): SourceLocation => {
    const text = files.get(file);
    if (text === undefined) return { file: chartYaml, line: 1, column: 1 };
    const count = text.split('\n').length;
    return { file, line: Math.max(1, Math.min(line, count)), column: Math.max(1, column) };
  };
  const exec = /(?:template: |error at \()([^:()\s]+):(\d+)(?::(\d+))?/.exec(message);
  if (exec) {
    const file = toFile(exec[1]);
    return {
      level: 'error',
      message: `helm: ${message}`,
      location: clamp(file, Number(exec[2]), Number(exec[3] ?? 1)),
    };
  }
  const yamlErr = /YAML parse error on ([^:\s]+): .*?line (\d+)/.exec(message);
  if (yamlErr) {
    const file = toFile(yamlErr[1]);
    const location = await renderedLineToTemplate(
      yamlErr[1],
      file,
      Number(yamlErr[2]),
      files,
      await debugOutput(),
    );
    return { level: 'error', message: `helm: ${message}`, location: location ?? clamp(file, 1, 1) };
  }
  const valuesMissing = /open ([^:]+): no such file/.exec(message);
  return {
    level: 'error',
    message: `helm: ${message}`,
    location: valuesMissing ? undefined : { file: chartYaml, line: 1, column: 1 },
  };
}

/** `--debug` prints the invalid output: align that template's output to find the printing line. */
async function renderedLineToTemplate(
  source: string,
  file: string,
  line: number,
  files: Map<string, string>,
  output: string,
): Promise<SourceLocation | undefined> {
  const text = files.get(file);
  if (text === undefined) return undefined;
  const chunk = splitChunks(output, '').find((c) => c.template === source.split('/').slice(1).join('/'));
  if (!chunk) return undefined;
  const helpers = [...files]
    .filter(([f]) => /(^|\/)templates\/.*\.tpl$/.test(f))
    .map(([f, t]) => ({ file: f, text: t }));
  // Helm prints a blank line after `# Source:`; its YAML line numbers count from the content.
  const lines = chunk.lines[0] === '' ? chunk.lines.slice(1) : chunk.lines;
  const origins = align(lines, parseTemplate(file, text).template, defineTable(helpers));
  const origin = origins[Math.min(line, origins.length) - 1];
  return origin ? { file: origin.file, line: origin.line, column: origin.column } : undefined;
}
