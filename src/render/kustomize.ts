import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LineCounter, parseAllDocuments, stringify } from 'yaml';
import type { InputError, KubeObject, SourceLocation } from '../model/types.js';
import { isRecord } from '../model/types.js';
import { run } from './exec.js';
import { readText } from './files.js';
import { type BuildMetadata, KustomizeMapper, mapKustomizeOutput, stripAll } from './kustomize-map.js';
import { type KustomizeTarget, type RenderResult, targetName } from './types.js';
import { yamlLocator } from './yaml-locate.js';

/**
 * Build an overlay with `kustomize build` (or `kubectl kustomize`). A wrapper kustomization in a
 * temporary folder references the overlay and turns on Kustomize's build metadata, so the
 * user's files are never touched, and the origin and transformer annotations tell the mapper
 * where each object came from. The annotations are stripped before anything is linted or diffed.
 */

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface KustomizeRunOptions {
  cwd: string;
  /** [program, ...leading args]: ['kustomize', 'build'] or ['kubectl', 'kustomize']. */
  command: string[];
  timeoutMs: number;
}

export async function kustomizationFile(dirAbs: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const st = await stat(path.join(dirAbs, name)).catch(() => undefined);
    if (st?.isFile()) return path.join(dirAbs, name);
  }
  return undefined;
}

const REMOTE =
  /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\.git(\/\/|$)/;

export interface KustomizationInfo {
  file: string;
  /** Local folders it builds on (resources and components that are folders). */
  bases: string[];
  /** Remote references, which cannot be built without a network. */
  remote: { ref: string; line: number; column: number }[];
}

/** Read a kustomization: its local bases and any remote references (with their lines). */
export async function readKustomization(dirAbs: string): Promise<KustomizationInfo | undefined> {
  const file = await kustomizationFile(dirAbs);
  if (!file) return undefined;
  const text = await readFile(file, 'utf8').catch(() => '');
  const loc = yamlLocator(text, file);
  const info: KustomizationInfo = { file, bases: [], remote: [] };
  for (const key of ['resources', 'bases', 'components']) {
    const list = loc.value([key]);
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const ref = list[i];
      if (typeof ref !== 'string') continue;
      if (REMOTE.test(ref)) {
        const at = loc.find([key, i]);
        info.remote.push({ ref, line: at?.line ?? 1, column: at?.column ?? 1 });
        continue;
      }
      const abs = path.resolve(dirAbs, ref);
      const st = await stat(abs).catch(() => undefined);
      if (st?.isDirectory()) info.bases.push(abs);
    }
  }
  return info;
}

export async function renderKustomize(
  target: KustomizeTarget,
  opts: KustomizeRunOptions,
): Promise<Omit<RenderResult, 'millis' | 'tool'>> {
  const dirAbs = path.resolve(opts.cwd, target.dir);
  const display = (abs: string) => displayPath(opts.cwd, abs);
  const empty = { target, manifests: [], rendered: '' };
  const kfile = await kustomizationFile(dirAbs);
  if (!kfile)
    return { ...empty, errors: [{ level: 'error', message: `${target.dir}: no kustomization.yaml` }] };
  const tree = await closure(dirAbs, new Set());
  const remote = tree.flatMap((k) => k.remote.map((r) => ({ file: k.file, ...r })));
  if (remote.length > 0) {
    return {
      ...empty,
      errors: remote.map((r) => ({
        level: 'error' as const,
        message: `remote resource ${r.ref} cannot be built here (no network); vendor it into the repository`,
        location: { file: display(r.file), line: r.line, column: r.column },
      })),
    };
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'shipshape-kustomize-'));
  try {
    const rel = path.relative(tmp, dirAbs).split(path.sep).join('/');
    await writeFile(
      path.join(tmp, 'kustomization.yaml'),
      stringify({ resources: [rel], buildMetadata: ['originAnnotations', 'transformerAnnotations'] }),
    );
    const [program, ...lead] = opts.command;
    const res = await run(program, [...lead, tmp], { cwd: opts.cwd, timeoutMs: opts.timeoutMs });
    if (res.code !== 0 || res.timedOut) {
      const error = await kustomizeError(res.stderr, res.timedOut, opts, tmp, tree, display);
      return { ...empty, errors: [error] };
    }
    const resolve = (p: string) => display(path.resolve(tmp, p));
    const docs = parseAllDocuments(res.stdout);
    const objects = (Array.isArray(docs) ? docs : [])
      .map((doc) => doc.toJS() as unknown)
      .filter((o): o is KubeObject => isRecord(o) && isRecord(o.metadata));
    const metas = stripAll(objects, resolve);
    const rendered = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
    const files = new Map<string, string>();
    await readSources([...metas.values()], opts.cwd, files);
    const mapper = new KustomizeMapper(
      files,
      (dir, relPath) => display(path.resolve(opts.cwd, dir, relPath)),
      display(kfile),
    );
    const parsed = mapKustomizeOutput(rendered, `${targetName(target)} [rendered]`, metas, mapper);
    const warnings = await kustomizeWarnings(res.stderr, tree, display);
    return { target, manifests: parsed.manifests, errors: [...warnings, ...parsed.errors], rendered };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
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
async function closure(dirAbs: string, seen: Set<string>): Promise<KustomizationInfo[]> {
  if (seen.has(dirAbs)) return [];
  seen.add(dirAbs);
  const info = await readKustomization(dirAbs);
  if (!info) return [];
  const out = [info];
  for (const base of info.bases) out.push(...(await closure(base, seen)));
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
  stderr: string,
  timedOut: boolean,
  opts: KustomizeRunOptions,
  tmp: string,
  tree: KustomizationInfo[],
  display: (abs: string) => string,
): Promise<InputError> {
  const target = { file: display(tree[0].file), line: 1, column: 1 };
  if (timedOut) {
    return {
      level: 'error',
      message: `${opts.command.join(' ')} timed out after ${opts.timeoutMs} ms`,
      location: target,
    };
  }
  // Kustomize names files by absolute path; show them as the user does, and never the temp wrapper.
  let message = (stderr.split('\n').find((l) => l.startsWith('Error:')) ?? stderr.trim().split('\n')[0] ?? '')
    .replace(/^Error:\s*/, '')
    .replaceAll(`${tmp}/`, '')
    .replaceAll(`${opts.cwd}/`, '');
  if (!message) message = 'kustomize build failed';
  const location = (await errorLocation(stderr, tree, display)) ?? target;
  return { level: 'error', message: `kustomize: ${message}`, location };
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
