import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { LineCounter, parseAllDocuments, stringify } from 'yaml';
import { printable } from '../model/text.js';
import type { InputError, KubeObject, SourceLocation } from '../model/types.js';
import { isRecord } from '../model/types.js';
import { type Containment, isRemoteReference } from './contain.js';
import { boundMessage, MAX_MESSAGE, type RunResult, run } from './exec.js';
import { readText } from './files.js';
import { enableHelmArgs, helmChartProblems, helmChartsOf, inflatedManifests } from './kustomize-helm.js';
import {
  type BuildMetadata,
  KUSTOMIZATION_FILES,
  KustomizeMapper,
  mapKustomizeOutput,
  stripAll,
} from './kustomize-map.js';
import { overlayInputs, overlayLocations, wrapperKustomization } from './kustomize-overlay.js';
import { type KustomizeTarget, type RenderResult, targetName } from './types.js';
import { fastYamlData } from './yaml-data.js';
import { type YamlLocator, yamlLocator } from './yaml-locate.js';

/**
 * Build an overlay with `kustomize build` (or `kubectl kustomize`). A wrapper kustomization in a
 * temporary folder references the overlay and turns on Kustomize's build metadata, so the
 * user's files are never touched, and the origin and transformer annotations tell the mapper
 * where each object came from. The annotations are stripped before anything is linted or diffed.
 */

export { KUSTOMIZATION_FILES };

export interface KustomizeRunOptions {
  cwd: string;
  /** [program, ...leading args]: ['kustomize', 'build'] or ['kubectl', 'kustomize']. */
  command: string[];
  timeoutMs: number;
  maxMemoryBytes?: number;
  /** What the build may read: the repository, outside `.git`. */
  contain: Containment;
  /** The helm that inflates `helmCharts:` (the run's own, never one a repository names). */
  helm?: string;
  /** `--kube-version` and `--api-versions` for those charts. */
  kubeVersion?: string;
  apiVersions?: string[];
}

export async function kustomizationFile(dirAbs: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const st = await stat(path.join(dirAbs, name)).catch(() => undefined);
    if (st?.isFile()) return path.join(dirAbs, name);
  }
  return undefined;
}

export interface KustomizationRef {
  /** As written in the kustomization (a `files:` entry's `key=` prefix removed). */
  ref: string;
  /** The field path, e.g. `patches[2].path`. */
  field: string;
  line: number;
  column: number;
}

export interface KustomizationInfo {
  file: string;
  /** Local folders it builds on (resources and components that are folders). */
  bases: string[];
  /** Local files it names (resources, patches, generator inputs...): they belong to this build. */
  files?: string[];
  /** A `kind: Component`: built only as part of the overlays that list it, never on its own. */
  component?: boolean;
  /** Remote references, which cannot be built without a network. */
  remote: KustomizationRef[];
  /** Local paths that resolve outside the repository or into `.git` (symlinks followed). */
  escapes: (KustomizationRef & { reason: string })[];
}

/**
 * Every field of a kustomization that names a file, a folder or a URL, as paths into its YAML
 * (`*` for each list item). Anything kustomize can read from a path is here, so that each is
 * checked for the network and for escapes before kustomize runs.
 */
const PATH_FIELDS: readonly (readonly string[])[] = [
  ['resources', '*'],
  ['bases', '*'],
  ['components', '*'],
  ['crds', '*'],
  ['configurations', '*'],
  ['generators', '*'],
  ['transformers', '*'],
  ['validators', '*'],
  ['patchesStrategicMerge', '*'],
  ['patches', '*', 'path'],
  ['patchesJson6902', '*', 'path'],
  ['replacements', '*', 'path'],
  ['openapi', 'path'],
  ['helmGlobals', 'chartHome'],
  ['helmGlobals', 'configHome'],
  ['helmCharts', '*', 'repo'],
  ['helmCharts', '*', 'valuesFile'],
  ['helmCharts', '*', 'additionalValuesFiles', '*'],
  ...['configMapGenerator', 'secretGenerator'].flatMap((g) => [
    [g, '*', 'files', '*'],
    [g, '*', 'envs', '*'],
    [g, '*', 'env'],
  ]),
];

/** Fields whose folders kustomize builds as kustomizations of their own. */
const BASE_FIELDS = new Set(['resources', 'bases', 'components']);

/**
 * Read a kustomization: its local bases, any remote references, and any path that would read
 * outside the repository (each with its line). `contain` is the run's containment; without one
 * only remote references are looked for.
 */
export async function readKustomization(
  dirAbs: string,
  contain?: Containment,
): Promise<KustomizationInfo | undefined> {
  const file = await kustomizationFile(dirAbs);
  if (!file) return undefined;
  const text = await readFile(file, 'utf8').catch(() => '');
  // Read fast (kustomize reads a kustomization as YAML 1.1); lines are looked up only for what is
  // refused, which is rare.
  // Anchors, or a broken document, go through the document model, as tolerant as before.
  const data = fastYamlData(text)?.[0] ?? yamlLocator(text, file).toJS();
  let loc: YamlLocator | undefined;
  const lineOf = (segments: (string | number)[]) => {
    loc ??= yamlLocator(text, file);
    return loc.find(segments);
  };
  const info: KustomizationInfo = {
    file,
    bases: [],
    files: [],
    remote: [],
    escapes: [],
    component: isRecord(data) && data.kind === 'Component',
  };
  if (contain) {
    const reason = await contain.check(file);
    if (reason) info.escapes.push({ ref: path.basename(file), field: '', line: 1, column: 1, reason });
  }
  for (const { segments, value } of valuesAt(data, PATH_FIELDS)) {
    if (typeof value !== 'string' || value === '' || value.includes('\n')) continue; // inline YAML
    const field = segments[0] as string;
    // `files:` entries may be `key=path`.
    const ref =
      segments.includes('files') && value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
    const where = () => {
      const at = lineOf(segments);
      return { ref, field: fieldName(segments), line: at?.line ?? 1, column: at?.column ?? 1 };
    };
    const abs = path.resolve(dirAbs, ref);
    const local = await stat(abs).catch(() => undefined);
    // kustomize reads a local file first and falls back to a URL or a git repository; a helm
    // chart repository is always remote.
    if (
      (field === 'helmCharts' && segments.at(-1) === 'repo') ||
      /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
      (!local && isRemoteReference(ref))
    ) {
      info.remote.push(where());
      continue;
    }
    if (contain) {
      const reason = await contain.check(abs);
      if (reason) {
        info.escapes.push({ ...where(), reason });
        continue;
      }
    }
    if (local?.isDirectory() && BASE_FIELDS.has(field)) info.bases.push(abs);
    else if (local?.isFile()) info.files?.push(abs);
  }
  info.remote.sort((a, b) => a.line - b.line || a.column - b.column);
  info.escapes.sort((a, b) => a.line - b.line || a.column - b.column);
  return info;
}

/** The values at each field path (with `*` over list items), with their concrete paths. */
function valuesAt(
  root: unknown,
  fields: readonly (readonly string[])[],
): { segments: (string | number)[]; value: unknown }[] {
  const out: { segments: (string | number)[]; value: unknown }[] = [];
  const visit = (node: unknown, rest: readonly string[], at: (string | number)[]) => {
    if (rest.length === 0) {
      out.push({ segments: at, value: node });
      return;
    }
    const [head, ...tail] = rest;
    if (head === '*') {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) visit(node[i], tail, [...at, i]);
      }
    } else if (isRecord(node) && head in node) visit(node[head], tail, [...at, head]);
  };
  for (const f of fields) visit(root, f, []);
  return out;
}

function fieldName(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export async function renderKustomize(
  target: KustomizeTarget,
  opts: KustomizeRunOptions,
): Promise<Omit<RenderResult, 'millis' | 'tool'>> {
  const dirAbs = path.resolve(opts.cwd, target.dir);
  const display = (abs: string) => displayPath(opts.cwd, abs);
  const empty = { target, manifests: [], rendered: '' };
  const kfile = await kustomizationFile(dirAbs);
  if (!kfile && !target.overlay?.resources)
    return { ...empty, errors: [{ level: 'error', message: `${target.dir}: no kustomization.yaml` }] };
  // An app definition's overlay: its own resources and components are read and checked too.
  const inputs = target.overlay
    ? await overlayInputs(target, opts.cwd, opts.contain, kustomizationFile)
    : undefined;
  const seen = new Set<string>();
  const tree: KustomizationInfo[] = [];
  for (const dir of inputs?.dirs ?? [dirAbs]) tree.push(...(await closure(dir, seen, opts.contain)));
  const refused: InputError[] = tree.flatMap((k) => [
    ...k.remote.map((r) => ({
      level: 'error' as const,
      message: r.field.startsWith('helmCharts')
        ? `${r.field}: ${r.ref} is a chart repository, which renders cannot reach (no network); vendor the chart under helmGlobals.chartHome and drop \`repo:\``
        : `${r.field}: remote reference ${r.ref} cannot be built here (no network); vendor it into the repository`,
      location: { file: display(k.file), line: r.line, column: r.column },
    })),
    ...k.escapes.map((e) => ({
      level: 'error' as const,
      message: `${e.field ? `${e.field}: ` : ''}${e.reason}; refused (a render reads only the repository, outside .git)`,
      location: { file: display(k.file), line: e.line, column: e.column },
    })),
  ]);
  refused.unshift(...(inputs?.refused ?? []));
  // `helmCharts:` are inflated by our helm, from charts inside the repository only.
  const charts = await helmChartsOf(tree);
  refused.push(...(await helmChartProblems(charts, opts.helm, opts.contain, display)));
  if (refused.length > 0) return { ...empty, errors: refused };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'shipshape-kustomize-'));
  try {
    const rel = path.relative(tmp, dirAbs).split(path.sep).join('/');
    const wrapper = path.join(tmp, 'kustomization.yaml');
    await writeFile(
      wrapper,
      target.overlay
        ? wrapperKustomization(target, tmp, opts.cwd)
        : stringify({ resources: [rel], buildMetadata: ['originAnnotations', 'transformerAnnotations'] }),
    );
    const [program, ...lead] = opts.command;
    const helmFlags =
      charts.length > 0 && opts.helm ? enableHelmArgs(opts.helm, opts.kubeVersion, opts.apiVersions) : [];
    const restrictor = target.overlay?.loadRestrictorNone
      ? ['--load-restrictor', 'LoadRestrictionsNone']
      : [];
    // Errors and notes about the overlay's own fields land in the app definition.
    const fromWrapper = target.overlay ? overlayLocations(target, display(wrapper)) : undefined;
    const wrapperInfo = target.overlay ? await readKustomization(tmp) : undefined;
    if (wrapperInfo) tree.unshift(wrapperInfo);
    const res = await run(program, [...lead, ...helmFlags, tmp, ...restrictor], {
      cwd: opts.cwd,
      timeoutMs: opts.timeoutMs,
      maxMemoryBytes: opts.maxMemoryBytes,
    });
    if (res.code !== 0 || res.timedOut || res.overMemory) {
      const error = await kustomizeError(res, opts, tmp, tree, display);
      return { ...empty, errors: [fromWrapper?.error(error) ?? error] };
    }
    const resolve = (p: string) => display(path.resolve(tmp, p));
    const objects = readOutput(res.stdout);
    const metas = stripAll(objects, resolve);
    // Printed as YAML 1.1, which is how it is read back (and how kubectl reads it): a string that
    // 1.1 would take for something else (`"yes"`, `"on"`, a key `"n"`) stays quoted, as kustomize
    // printed it.
    const rendered = objects.map((o) => stringify(o, { lineWidth: 0, version: '1.1' })).join('---\n');
    const files = new Map<string, string>();
    await readSources([...metas.values()], opts.cwd, files);
    const inflated = opts.helm ? await inflatedManifests(charts, { ...opts, helm: opts.helm }, display) : [];
    const mapper = new KustomizeMapper(
      files,
      (dir, relPath) => display(path.resolve(opts.cwd, dir, relPath)),
      display(kfile ?? wrapper),
      inflated,
    );
    const parsed = mapKustomizeOutput(rendered, `${targetName(target)} [rendered]`, metas, mapper);
    const warnings = await kustomizeWarnings(res.stderr, tree, display);
    const result = { target, manifests: parsed.manifests, errors: [...warnings, ...parsed.errors], rendered };
    return fromWrapper?.result(result) ?? result;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * The objects kustomize printed, read with js-yaml (a few times faster than the document model,
 * which is not needed here): YAML 1.2's core schema, as kustomize printed them, no dates.
 * Aliases stay shared objects; the printed text is parsed again later with its bounds.
 */
function readOutput(stdout: string): KubeObject[] {
  let docs: unknown[];
  try {
    docs = loadAll(stdout, null, { schema: CORE_SCHEMA });
  } catch {
    // What kustomize printed is YAML; if it is not, the printed text's parse says where.
    docs = parseAllDocuments(stdout).map((doc) => doc.toJS() as unknown);
  }
  return docs.filter((o): o is KubeObject => isRecord(o) && isRecord(o.metadata));
}

/**
 * Kustomize's warnings (`# Warning: 'commonLabels' is deprecated...`) as notes, on the line of the
 * field they name in the kustomization that has it.
 */
async function kustomizeWarnings(
  stderr: string,
  tree: KustomizationInfo[],
  display: (abs: string) => string,
): Promise<InputError[]> {
  const notes: InputError[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^#?\s*Warning:\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const field = /'([A-Za-z]+)'/.exec(m[1])?.[1];
    let location: SourceLocation = { file: display(tree[0].file), line: 1, column: 1 };
    for (const k of tree) {
      const lines = (await readFile(k.file, 'utf8').catch(() => '')).split('\n');
      const at = field ? lines.findIndex((l) => l.startsWith(`${field}:`)) : -1;
      if (at >= 0) {
        location = { file: display(k.file), line: at + 1, column: 1 };
        break;
      }
    }
    notes.push({ level: 'note', message: `kustomize: ${m[1]}`, location });
  }
  return notes;
}

/** The kustomization and every local one it builds on, each read once. */
async function closure(
  dirAbs: string,
  seen: Set<string>,
  contain: Containment,
): Promise<KustomizationInfo[]> {
  if (seen.has(dirAbs)) return [];
  seen.add(dirAbs);
  const info = await readKustomization(dirAbs, contain);
  if (!info) return [];
  const out = [info];
  for (const base of info.bases) out.push(...(await closure(base, seen, contain)));
  return out;
}

/** Read every file the mapper may need: origins, kustomizations, and their patches. */
async function readSources(metas: BuildMetadata[], cwd: string, files: Map<string, string>): Promise<void> {
  const wanted = new Set<string>();
  for (const m of metas) {
    if (m.origin) wanted.add(m.origin.file);
    for (const k of m.transformedIn) wanted.add(k);
  }
  for (const file of wanted) {
    const text = await readText(path.resolve(cwd, file), cwd, files);
    if (text === undefined || !KUSTOMIZATION_FILES.includes(path.basename(file))) continue;
    const loc = yamlLocator(text, file);
    for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
      const list = loc.value([key]);
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        const rel =
          typeof entry === 'string'
            ? entry
            : isRecord(entry) && typeof entry.path === 'string'
              ? entry.path
              : undefined;
        if (rel) await readText(path.resolve(cwd, path.dirname(file), rel), cwd, files);
      }
    }
  }
}

/**
 * Kustomize's error -> an InputError on the file and line it is about, found among the
 * kustomizations of the tree:
 *   ... MalformedYAMLError: yaml: line 7: mapping values ... in File: deployment.yaml
 *   invalid Kustomization: yaml: line 5: did not find expected ',' or ']'
 *   ... lstat /abs/path/patch.yaml: no such file or directory   (a missing resource or patch)
 * otherwise the target's kustomization.
 */
async function kustomizeError(
  res: RunResult,
  opts: KustomizeRunOptions,
  tmp: string,
  tree: KustomizationInfo[],
  display: (abs: string) => string,
): Promise<InputError> {
  const stderr = generatorReason(res.stderr);
  const target = { file: display(tree[0].file), line: 1, column: 1 };
  if (res.timedOut || res.overMemory) {
    return {
      level: 'error',
      message: `${opts.command.join(' ')} ${boundMessage(res, opts)}`,
      location: target,
    };
  }
  // Kustomize names files by absolute path; show them as the user does, and never the temp wrapper.
  let message = printable(
    (stderr.split('\n').find((l) => l.startsWith('Error:')) ?? stderr.trim().split('\n')[0] ?? '')
      // kubectl kustomize logs through klog: `E1201 01:57:52.930571 5047 run.go:72] "command failed" err="..."`
      .replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] /, ''),
    MAX_MESSAGE,
  )
    .replace(/^Error:\s*/, '')
    .replaceAll(`${tmp}/`, '')
    .replaceAll(`${opts.cwd}/`, '');
  if (!message) message = 'kustomize build failed';
  // A file a kustomization lists that is not there comes back at the end of a chain of every
  // kustomization on the way (2,000 characters for three levels): say that, and which build it was.
  const missing = /lstat ([^:']+): no such file or directory/.exec(message);
  if (missing) {
    const overlay = display(path.dirname(tree[0].file)) || '.';
    message = `${missing[1]} does not exist (building ${overlay}; a kustomization it reaches lists it)`;
  }
  const location = (await errorLocation(stderr, tree, display)) ?? target;
  return { level: 'error', message: `kustomize: ${message}`, location };
}

/**
 * Kustomize reports a generator it cannot run as `trouble configuring builtin X with config: `,
 * the whole config as YAML, then `: <reason>`; the reason (`must specify --enable-helm`, helm's
 * own error) is what a human needs, so the config in between goes.
 */
function generatorReason(stderr: string): string {
  const m = /^(Error: .*?with config: )`\n[\s\S]*?\n`: ([\s\S]*)$/m.exec(stderr);
  return m ? `${m[1]}${m[2].trim().replace(/\s*\n\s*/g, ' ')}` : stderr;
}

async function errorLocation(
  stderr: string,
  tree: KustomizationInfo[],
  display: (abs: string) => string,
): Promise<SourceLocation | undefined> {
  const malformed = /yaml: line (\d+): .*? in File: (\S+)/.exec(stderr);
  if (malformed) {
    for (const k of tree) {
      const candidate = path.resolve(path.dirname(k.file), malformed[2]);
      if (await stat(candidate).catch(() => undefined)) {
        return { file: display(candidate), line: Number(malformed[1]), column: 1 };
      }
    }
  }
  if (/invalid Kustomization/.test(stderr)) {
    for (const k of tree) {
      const text = await readFile(k.file, 'utf8').catch(() => '');
      const lineCounter = new LineCounter();
      const err = parseAllDocuments(text, { lineCounter }).flatMap((d) => ('errors' in d ? d.errors : []))[0];
      if (err) {
        const { line, col } = lineCounter.linePos(err.pos[0]);
        return { file: display(k.file), line, column: col };
      }
    }
  }
  const missing = /(?:lstat|open) (\/[^:\s]+): no such file/.exec(stderr);
  if (missing) {
    const name = path.basename(missing[1]);
    for (const k of tree) {
      const lines = (await readFile(k.file, 'utf8').catch(() => '')).split('\n');
      const at = lines.findIndex((l) => l.includes(name));
      if (at >= 0) return { file: display(k.file), line: at + 1, column: lines[at].search(/\S/) + 1 };
    }
  }
  return undefined;
}

function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  const name = rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel || '.';
  return name.split(path.sep).join('/');
}
