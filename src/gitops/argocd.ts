import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { relativeName } from '../load/files.js';
import type { InputError, PathSegment, SourceLocation } from '../model/types.js';
import { KUSTOMIZATION_FILES } from '../render/kustomize-map.js';
import type {
  AppInfo,
  HelmTarget,
  InlineValues,
  KustomizeTarget,
  PlainTarget,
  Target,
} from '../render/types.js';
import { embeddedValues } from './embedded.js';
import { type Context, type Definition, error, list, note, record, specOf, str } from './model.js';
import { OverlayBuilder } from './overlay.js';
import { type Resolved, resolveFromTop, resolveIn } from './paths.js';
import { appInfo, appName, skipped } from './targets.js';
import { objectLayer, parameterLayer, parseImageOverride, parseSetPath, typedValue } from './values.js';

/**
 * An Argo CD Application -> one target per source that renders (a `sources` entry that only
 * gives a `ref` for `$values` files renders nothing itself). The source's folder decides the
 * tool, as Argo CD decides it: a Chart.yaml is Helm, a kustomization Kustomize, anything else a
 * folder of plain manifests; an explicit `helm:`, `kustomize:` or `directory:` wins.
 */

interface Source {
  at: PathSegment[];
  src: Record<string, unknown>;
}

export async function applicationTargets(def: Definition, ctx: Context): Promise<Target[]> {
  const o = def.object;
  const spec = specOf(o);
  const base = appName(def);
  const sources: Source[] = Array.isArray(spec.sources)
    ? spec.sources.flatMap((src, i) => {
        const r = record(src);
        return r ? [{ at: ['spec', 'sources', i], src: r }] : [];
      })
    : record(spec.source)
      ? [{ at: ['spec', 'source'], src: spec.source as Record<string, unknown> }]
      : [];
  if (sources.length === 0) {
    return [skipped(appInfo(def, base, [error(`${base}: has no source`, def.locate(['spec']))]))];
  }
  const refs = new Map<string, Source>();
  for (const s of sources) {
    const ref = str(s.src.ref);
    if (ref) refs.set(ref, s);
  }
  const rendering = sources.filter(
    (s) => !(str(s.src.ref) && s.src.path === undefined && s.src.chart === undefined),
  );
  const out: Target[] = [];
  for (const s of rendering) {
    const name = rendering.length > 1 ? `${base} sources[${s.at[2]}]` : base;
    out.push(await sourceTarget(def, ctx, s, name, refs));
  }
  return out;
}

async function sourceTarget(
  def: Definition,
  ctx: Context,
  s: Source,
  name: string,
  refs: Map<string, Source>,
): Promise<Target> {
  const spec = specOf(def.object);
  const notes: InputError[] = [];
  const app = appInfo(def, name, notes);
  const destNs = str(record(spec.destination)?.namespace);
  if (destNs) app.namespace = destNs;
  const at = (...p: PathSegment[]) => def.locate([...s.at, ...p]);
  const src = s.src;
  const repoURL = str(src.repoURL);
  const chart = str(src.chart);
  if (chart) {
    notes.push(
      note(
        `${name}: chart "${chart}" comes from the chart repository ${repoURL ?? '(none given)'}, which is not fetched (no network); vendor the chart into this repository to have it rendered and checked`,
        at('chart'),
      ),
    );
    return skipped(app);
  }
  if (record(src.plugin)) {
    const plugin = str(record(src.plugin)?.name);
    notes.push(
      note(
        `${name}: config management plugin${plugin ? ` "${plugin}"` : ''} is not run (no program from the repository runs); only Helm charts, Kustomize overlays and plain manifests are rendered`,
        at('plugin'),
      ),
    );
    return skipped(app);
  }
  const p = str(src.path) ?? '.';
  const dir = await resolveFromTop(ctx, p);
  if ('error' in dir) {
    notes.push(error(`${name}: path ${dir.error}`, at('path')));
    return skipped(app);
  }
  if (!ctx.identity.isThis(repoURL, dir.exists)) {
    notes.push(
      note(
        `${name}: ${repoURL ?? 'the source'} is another repository, which is not fetched; only sources in this repository are rendered`,
        at('repoURL'),
      ),
    );
    return skipped(app);
  }
  if (!dir.isDir) {
    notes.push(missingPath(name, p, str(src.targetRevision), at('path')));
    return skipped(app);
  }
  const tool = await toolOf(src, dir.abs);
  if (tool.problem) notes.push(error(`${name}: ${tool.problem}`, at(tool.kind)));
  if (tool.kind === 'helm') return helmTarget(def, ctx, s, app, dir, refs);
  if (tool.kind === 'kustomize') return kustomizeTarget(def, ctx, s, app, dir);
  return directoryTarget(def, ctx, s, app, dir);
}

/**
 * A source path that is not in this checkout: an error, unless the source tracks a revision other
 * than the usual default branches (`HEAD`, `main`, `master`), which may hold it: other revisions
 * are not fetched.
 */
export function missingPath(
  name: string,
  p: string,
  revision: string | undefined,
  at: SourceLocation,
): InputError {
  if (revision && !['HEAD', 'main', 'master'].includes(revision)) {
    return note(
      `${name}: path "${p}" is not in this checkout; the source tracks revision "${revision}", which may hold it (other revisions are not fetched)`,
      at,
    );
  }
  return error(`${name}: path "${p}" is not a folder in this repository`, at);
}

async function toolOf(
  src: Record<string, unknown>,
  dirAbs: string,
): Promise<{ kind: 'helm' | 'kustomize' | 'directory'; problem?: string }> {
  const exists = async (f: string) => !!(await stat(path.join(dirAbs, f)).catch(() => undefined));
  const hasChart = await exists('Chart.yaml');
  let hasKustomization = false;
  for (const f of KUSTOMIZATION_FILES) if (await exists(f)) hasKustomization = true;
  const explicit = (['helm', 'kustomize', 'directory'] as const).filter(
    (k) => src[k] !== undefined && src[k] !== null,
  );
  if (explicit.length === 1) {
    const kind = explicit[0];
    if (kind === 'helm' && !hasChart)
      return {
        kind: hasKustomization ? 'kustomize' : 'directory',
        problem: 'helm: is set, but the folder has no Chart.yaml',
      };
    if (kind === 'kustomize' && !hasKustomization)
      return {
        kind: hasChart ? 'helm' : 'directory',
        problem: 'kustomize: is set, but the folder has no kustomization.yaml',
      };
    return { kind };
  }
  return { kind: hasChart ? 'helm' : hasKustomization ? 'kustomize' : 'directory' };
}

async function helmTarget(
  def: Definition,
  ctx: Context,
  s: Source,
  app: AppInfo,
  dir: Resolved,
  refs: Map<string, Source>,
): Promise<HelmTarget> {
  const name = app.name;
  const notes = app.notes;
  const helm = record(s.src.helm) ?? {};
  const hat = (...p: PathSegment[]): PathSegment[] => [...s.at, 'helm', ...p];
  const valuesFiles: string[] = [];
  const ignoreMissing = helm.ignoreMissingValueFiles === true;
  for (const [i, v] of list(helm.valueFiles).entries()) {
    if (typeof v !== 'string' || v === '') continue;
    const where = def.locate(hat('valueFiles', i));
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
      notes.push(note(`${name}: values file ${v} is remote and is not fetched; it is left out`, where));
      continue;
    }
    let file: Resolved | { error: string };
    if (v.startsWith('$')) {
      const slash = v.indexOf('/');
      const refName = v.slice(1, slash < 0 ? undefined : slash);
      const ref = refs.get(refName);
      if (!ref) {
        notes.push(error(`${name}: ${v}: no source has ref "${refName}"`, where));
        continue;
      }
      file = await resolveFromTop(ctx, slash < 0 ? '.' : v.slice(slash + 1));
      if (!('error' in file) && !ctx.identity.isThis(str(ref.src.repoURL), file.exists)) {
        notes.push(
          note(
            `${name}: ${v} is in ${str(ref.src.repoURL) ?? 'another repository'}, which is not fetched; it is left out`,
            where,
          ),
        );
        continue;
      }
    } else file = await resolveIn(ctx, dir.abs, v);
    if ('error' in file) {
      notes.push(error(`${name}: values file ${file.error}`, where));
      continue;
    }
    if (!file.exists || file.isDir) {
      notes.push(
        ignoreMissing
          ? note(`${name}: values file ${v} does not exist (ignoreMissingValueFiles)`, where)
          : error(`${name}: values file ${v} does not exist; rendered without it`, where),
      );
      continue;
    }
    valuesFiles.push(file.rel);
    app.inputs.files.push(file.rel);
  }
  const inlineValues: InlineValues[] = [];
  // valuesObject replaces values when both are set, as Argo CD does.
  const valuesObject = record(helm.valuesObject);
  if (valuesObject) {
    inlineValues.push(objectLayer(`${def.file} (valuesObject)`, def, hat('valuesObject'), valuesObject));
  } else if (typeof helm.values === 'string') {
    const embedded = embeddedValues(def, hat('values'), helm.values);
    if ('error' in embedded)
      notes.push(error(`${name}: helm.values: ${embedded.error}`, def.locate(hat('values'))));
    else inlineValues.push({ name: `${def.file} (values)`, ...embedded });
  } else if (record(helm.values)) {
    inlineValues.push(
      objectLayer(`${def.file} (values)`, def, hat('values'), helm.values as Record<string, unknown>),
    );
  }
  const set: Record<string, string> = {};
  const setString: Record<string, string> = {};
  const params: { path: PathSegment[]; value: unknown; at: SourceLocation }[] = [];
  for (const [i, raw] of list(helm.parameters).entries()) {
    const param = record(raw);
    const key = str(param?.name);
    if (!param || !key) continue;
    const value = param.value === undefined || param.value === null ? '' : String(param.value);
    const force = param.forceString === true;
    const segments = parseSetPath(key);
    if (!segments) {
      notes.push(
        error(
          `${name}: parameter "${key}" is not a Helm value path`,
          def.locate(hat('parameters', i, 'name')),
        ),
      );
      continue;
    }
    // A list index keeps --set's own merge (one item of a list); anything else is a values layer,
    // whose keys are edited on their parameter's line.
    if (segments.some((x) => typeof x === 'number')) (force ? setString : set)[key] = value;
    else
      params.push({
        path: segments,
        value: force ? value : typedValue(value),
        at: def.locate(hat('parameters', i, 'value')),
      });
  }
  if (params.length > 0) inlineValues.push(parameterLayer(`${def.file} (parameters)`, params));
  if (list(helm.fileParameters).length > 0) {
    notes.push(note(`${name}: helm.fileParameters are not applied`, def.locate(hat('fileParameters'))));
  }
  const destNs = app.namespace;
  const target: HelmTarget = {
    kind: 'helm',
    chart: dir.rel,
    releaseName: str(helm.releaseName) ?? str(def.object.metadata.name) ?? 'release',
    namespace: str(helm.namespace) ?? destNs ?? 'default',
    valuesFiles,
    set,
    apiVersions: list(helm.apiVersions).filter((a): a is string => typeof a === 'string'),
    app: { ...app, namespace: str(helm.namespace) ?? destNs ?? 'default' },
  };
  const kubeVersion = str(helm.kubeVersion);
  if (kubeVersion) target.kubeVersion = kubeVersion.replace(/^v/, '');
  if (Object.keys(setString).length > 0) target.setString = setString;
  if (inlineValues.length > 0) target.inlineValues = inlineValues;
  return target;
}

async function kustomizeTarget(
  def: Definition,
  ctx: Context,
  s: Source,
  app: AppInfo,
  dir: Resolved,
): Promise<KustomizeTarget> {
  const k = record(s.src.kustomize) ?? {};
  const kat = (...p: PathSegment[]): PathSegment[] => [...s.at, 'kustomize', ...p];
  const here = (...p: PathSegment[]) => def.locate(kat(...p));
  const overlay = new OverlayBuilder();
  for (const field of ['namePrefix', 'nameSuffix', 'namespace']) {
    const v = str(k[field]);
    if (v) overlay.set(field, v, () => here(field));
  }
  for (const [i, v] of list(k.images).entries()) {
    const image = typeof v === 'string' ? parseImageOverride(v) : undefined;
    if (!image) {
      app.notes.push(
        error(`${app.name}: kustomize.images: "${String(v)}" is not name=image:tag`, here('images', i)),
      );
      continue;
    }
    overlay.push('images', image, () => here('images', i));
  }
  const labels = record(k.commonLabels);
  if (labels) {
    overlay.push('labels', { pairs: labels, includeSelectors: k.labelWithoutSelector !== true }, (rel) =>
      rel[0] === 'pairs' && rel[1] !== undefined ? here('commonLabels', rel[1]) : here('commonLabels'),
    );
  }
  const annotations = record(k.commonAnnotations);
  if (annotations) overlay.set('commonAnnotations', annotations, (rel) => here('commonAnnotations', ...rel));
  const replicas = list(k.replicas).flatMap((r) => {
    const e = record(r);
    const count = Number(e?.count);
    return e && str(e.name) && Number.isFinite(count) ? [{ name: str(e.name), count }] : [];
  });
  if (replicas.length > 0) overlay.set('replicas', replicas, (rel) => here('replicas', ...rel));
  for (const [i, raw] of list(k.patches).entries()) {
    const p = record(raw);
    if (!p) continue;
    await addPatch(overlay, def, ctx, app, kat('patches', i), p, dir.abs);
  }
  for (const [i, c] of list(k.components).entries()) {
    if (typeof c !== 'string' || !c) continue;
    const r = await resolveIn(ctx, dir.abs, c);
    if ('error' in r)
      app.notes.push(error(`${app.name}: kustomize.components: ${r.error}`, here('components', i)));
    else {
      overlay.components.push(r.rel);
      app.inputs.dirs.push(r.rel);
    }
  }
  const target: KustomizeTarget = { kind: 'kustomize', dir: dir.rel, app };
  if (!overlay.empty) target.overlay = overlay.build();
  return target;
}

/**
 * One `patches:` entry of an app definition into the overlay: inline text as it is, a `path:` read
 * from the repository and inlined (its lines still map to its own file).
 */
export async function addPatch(
  overlay: OverlayBuilder,
  def: Definition,
  ctx: Context,
  app: AppInfo,
  at: PathSegment[],
  p: Record<string, unknown>,
  fromDir: string,
): Promise<void> {
  const entry: Record<string, unknown> = {};
  if (record(p.target)) entry.target = p.target;
  if (record(p.options)) entry.options = p.options;
  if (typeof p.patch === 'string') {
    entry.patch = p.patch;
    overlay.push('patches', entry, (rel, inText) => {
      if (rel[0] === 'patch' && inText) {
        const b = def.block?.([...at, 'patch']);
        if (b) return { file: def.file, line: b.line + inText.line - 1, column: b.indent + inText.column };
      }
      return def.locate([...at, ...rel]);
    });
    return;
  }
  const file = str(p.path);
  if (!file) return;
  const r = await resolveIn(ctx, fromDir, file);
  if ('error' in r) {
    app.notes.push(error(`${app.name}: patch ${r.error}`, def.locate([...at, 'path'])));
    return;
  }
  const text = r.exists && !r.isDir ? await readFile(r.abs, 'utf8').catch(() => undefined) : undefined;
  if (text === undefined) {
    app.notes.push(error(`${app.name}: patch ${file} does not exist`, def.locate([...at, 'path'])));
    return;
  }
  entry.patch = text;
  app.inputs.files.push(r.rel);
  overlay.push('patches', entry, (rel, inText) =>
    rel[0] === 'patch' && inText
      ? { file: r.rel, line: inText.line, column: inText.column }
      : def.locate([...at, rel[0] === 'patch' ? 'path' : String(rel[0] ?? 'path')]),
  );
}

async function directoryTarget(
  def: Definition,
  ctx: Context,
  s: Source,
  app: AppInfo,
  dir: Resolved,
): Promise<PlainTarget> {
  const d = record(s.src.directory) ?? {};
  const at = (...p: PathSegment[]) => def.locate([...s.at, 'directory', ...p]);
  const include = str(d.include);
  const exclude = str(d.exclude);
  const inc = include ? argoGlob(include) : undefined;
  const exc = exclude ? argoGlob(exclude) : undefined;
  const files: string[] = [];
  let jsonnet = false;
  const walk = async (abs: string, rel: string) => {
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (d.recurse === true && !e.name.startsWith('.')) await walk(path.join(abs, e.name), r);
      } else if (e.isFile()) {
        if (/\.(jsonnet|libsonnet)$/.test(e.name)) jsonnet = true;
        if (!/\.(ya?ml|json)$/i.test(e.name)) continue;
        if (inc && !inc.test(r)) continue;
        if (exc?.test(r)) continue;
        const reason = await ctx.contain.check(path.join(abs, e.name));
        if (reason) app.notes.push(error(`${app.name}: ${reason}; refused`, at()));
        else files.push(relativeName(ctx.cwd, path.join(abs, e.name)));
      }
    }
  };
  await walk(dir.abs, '');
  if (jsonnet || record(d.jsonnet)) {
    app.notes.push(
      note(
        `${app.name}: Jsonnet is not evaluated; only the folder's YAML and JSON manifests are checked`,
        at(),
      ),
    );
  }
  return { kind: 'plain', paths: files, app };
}

/** Argo CD's directory globs: `*` crosses folders, `{a,b}` alternatives, `?` one character. */
export function argoGlob(pattern: string): { test(file: string): boolean } {
  let re = '';
  let depth = 0;
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '{') {
      re += '(?:';
      depth++;
    } else if (ch === '}' && depth > 0) {
      re += ')';
      depth--;
    } else if (ch === ',' && depth > 0) re += '|';
    else re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^(?:${re})$`);
  return { test: (file) => compiled.test(file) };
}
