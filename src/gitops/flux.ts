import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { relativeName } from '../load/files.js';
import { sha256Hex } from '../model/hash.js';
import { type InputError, isRecord, type PathSegment, type SourceLocation } from '../model/types.js';
import { KUSTOMIZATION_FILES } from '../render/kustomize-map.js';
import type { AppInfo, HelmTarget, InlineValues, KustomizeTarget, Target } from '../render/types.js';
import { secrets } from '../secrets/index.js';
import { addPatch, missingPath } from './argocd.js';
import { embeddedValues } from './embedded.js';
import { type Context, type Definition, error, list, note, record, specOf, str } from './model.js';
import { OverlayBuilder } from './overlay.js';
import { type Resolved, resolveFromTop } from './paths.js';
import { substituteResult, VARIABLE_NAME, type Variable } from './substitute.js';
import { appInfo, appName, skipped } from './targets.js';
import { nested, objectLayer, parseSetPath, typedValue } from './values.js';

/**
 * Flux: a Kustomization -> a Kustomize target over its source's path (a folder without a
 * kustomization.yaml is all of its manifests, as kustomize-controller generates one), with its
 * `targetNamespace`, `namePrefix`/`nameSuffix`, `commonMetadata`, `images`, `patches` and
 * `components` laid over, and its `postBuild` variables substituted after the build. A
 * HelmRelease whose chart is in this repository (a GitRepository source, or `chartRef` to a
 * HelmChart on one) -> a Helm target with `valuesFiles`, `valuesFrom` and `values` layered as
 * helm-controller layers them. Sources are this repository when their URL says so (or for the
 * `flux-system` GitRepository that bootstrap creates, when the repository does not define it);
 * chart repositories, OCI and Bucket sources are never fetched.
 */

/** Files source-controller leaves out of every artifact. */
const IGNORED = /^(\.|appveyor\.yml$|cloudbuild\.yaml$|codeship-(services|steps)\.yml$)/;

interface SourceRoot {
  /** The folder (inside this repository) a path in the source names. */
  resolve(p: string): Promise<Resolved | { error: string }>;
  /** The branch, tag or commit the source tracks, when it says. */
  revision?: string;
}

// ---------------------------------------------------------------------------------------------
// Sources

async function sourceRoot(
  ctx: Context,
  def: Definition,
  at: PathSegment[],
  ref: Record<string, unknown>,
): Promise<SourceRoot | { note: InputError }> {
  const kind = str(ref.kind) ?? 'GitRepository';
  const name = str(ref.name) ?? '';
  const ns = str(ref.namespace) ?? def.object.metadata.namespace ?? 'default';
  const where = def.locate(at);
  if (kind === 'GitRepository') return gitRoot(ctx, name, ns, where, def);
  if (kind === 'ExternalArtifact') return artifactRoot(ctx, name, ns, where, def);
  const src = findSource(ctx, kind, ns, name, def);
  const url = src ? str(specOf(src.object).url) : undefined;
  return {
    note: note(
      `${kind} ${ns}/${name}${url ? ` (${url})` : ''} is not fetched (no network); only sources in this repository are rendered`,
      where,
    ),
  };
}

/**
 * The source a definition refers to. Clusters kept side by side in one repository reuse names
 * (`flux-system` everywhere): the one defined nearest the referring file wins.
 */
function findSource(
  ctx: Context,
  kind: string,
  ns: string,
  name: string,
  near?: Definition,
): Definition | undefined {
  const all = ctx.inventory.sources.filter((d) => d.object.kind === kind && d.object.metadata.name === name);
  return (
    nearest(
      all.filter((d) => (d.object.metadata.namespace ?? ns) === ns),
      near,
    ) ?? all[0]
  );
}

/** Of the candidates, the one whose file shares the longest folder prefix with `near`'s. */
function nearest(candidates: readonly Definition[], near: Definition | undefined): Definition | undefined {
  if (!near || candidates.length < 2) return candidates[0];
  const parts = (d: Definition) => d.file.split('/').slice(0, -1);
  const here = parts(near);
  let best = candidates[0];
  let score = -1;
  for (const c of candidates) {
    const there = parts(c);
    let k = 0;
    while (k < there.length && k < here.length && there[k] === here[k]) k++;
    const s = k + (near.parent && c.parent === near.parent ? 100 : 0);
    if (s > score) {
      best = c;
      score = s;
    }
  }
  return best;
}

function gitRoot(
  ctx: Context,
  name: string,
  ns: string,
  where: SourceLocation,
  near?: Definition,
): SourceRoot | { note: InputError } {
  const src = findSource(ctx, 'GitRepository', ns, name, near);
  const url = src ? str(specOf(src.object).url) : undefined;
  // Bootstrap's own GitRepository is the repository that holds the cluster's folder.
  const own = src
    ? ctx.identity.isThis(url, true)
    : name === 'flux-system' || ctx.identity.isThis(undefined, true);
  if (!own) {
    return {
      note: note(
        src
          ? `GitRepository ${ns}/${name} is ${url ?? 'another repository'}, which is not fetched; only sources in this repository are rendered`
          : `GitRepository ${ns}/${name} is not defined in this repository, so its content is not known; not rendered`,
        where,
      ),
    };
  }
  const ref = record(src ? specOf(src.object).ref : undefined);
  const revision =
    str(ref?.branch) ?? str(ref?.tag) ?? str(ref?.semver) ?? str(ref?.name) ?? str(ref?.commit);
  // Bootstrap's own source is the checkout, whatever branch it names.
  return {
    resolve: (p) => resolveFromTop(ctx, p),
    ...(revision && name !== 'flux-system' ? { revision } : {}),
  };
}

/**
 * An ExternalArtifact an ArtifactGenerator makes by copying folders of this repository
 * (`from: "@repo/apps/**"`, `to: "@artifact/apps/"`): its paths map back to those folders.
 */
function artifactRoot(
  ctx: Context,
  name: string,
  ns: string,
  where: SourceLocation,
  near?: Definition,
): SourceRoot | { note: InputError } {
  const generator = nearest(
    ctx.inventory.sources.filter(
      (d) =>
        d.object.kind === 'ArtifactGenerator' &&
        (d.object.metadata.namespace ?? ns) === ns &&
        list(specOf(d.object).artifacts).some((a) => record(a)?.name === name),
    ),
    near,
  );
  if (!generator) {
    return {
      note: note(
        `ExternalArtifact ${ns}/${name} is not made by an ArtifactGenerator in this repository; not rendered`,
        where,
      ),
    };
  }
  const spec = specOf(generator.object);
  const artifact = list(spec.artifacts)
    .map(record)
    .find((a) => a?.name === name)!;
  const aliases = new Map<string, SourceRoot | { note: InputError }>();
  for (const s of list(spec.sources)) {
    const r = record(s);
    const alias = str(r?.alias);
    if (!r || !alias) continue;
    aliases.set(
      alias,
      str(r.kind) === 'GitRepository'
        ? gitRoot(ctx, str(r.name) ?? '', str(r.namespace) ?? ns, where, generator)
        : { note: note(`${str(r.kind)} ${str(r.name)} is not fetched`, where) },
    );
  }
  const rules = list(artifact.copy).flatMap((c) => {
    const r = record(c);
    const from = /^@([^/]+)\/(.*?)\/?\*\*$/.exec(str(r?.from) ?? '');
    const to = /^@artifact\/?(.*)$/.exec(str(r?.to) ?? '');
    if (!from || !to) return [];
    return [{ alias: from[1], from: from[2].replace(/\/+$/, ''), to: to[1].replace(/\/+$/, '') }];
  });
  return {
    async resolve(p) {
      const rel = path.posix.normalize(p.replace(/^\.\//, '')).replace(/^\.$/, '').replace(/\/+$/, '');
      // The longest `to` that holds the path wins (a later rule of equal length overrides).
      let best: (typeof rules)[number] | undefined;
      for (const r of rules) {
        if (r.to === '' || rel === r.to || rel.startsWith(`${r.to}/`)) {
          if (!best || r.to.length >= best.to.length) best = r;
        }
      }
      if (!best)
        return { error: `"${p}" is not copied into ExternalArtifact ${ns}/${name} from this repository` };
      const root = aliases.get(best.alias);
      if (!root || 'note' in root)
        return { error: `"${p}" comes from @${best.alias}, which is not this repository` };
      const rest = best.to === '' ? rel : rel.slice(best.to.length).replace(/^\//, '');
      return root.resolve(path.posix.join(best.from || '.', rest || '.'));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// ConfigMaps and Secrets

interface ConfigValue {
  text: string;
  secret: boolean;
  def: Definition;
  /** Where the key is, in the config's definition. */
  at: PathSegment[];
  /** Base64 in `data`: its text has no lines of its own in the file. */
  encoded: boolean;
}

function findConfig(
  ctx: Context,
  kind: string,
  ns: string,
  name: string,
  near: Definition,
): Definition | undefined {
  const all = ctx.inventory.configs.filter(
    (d) =>
      d.object.kind === kind && d.object.metadata.name === name && (d.object.metadata.namespace ?? ns) === ns,
  );
  // Built by the same Kustomization, then written with this namespace, then any; nearest first.
  const same = all.filter((d) => near.parent && d.parent === near.parent);
  const named = all.filter((d) => d.object.metadata.namespace === ns);
  return nearest(same, near) ?? nearest(named, near) ?? nearest(all, near);
}

function configEntries(def: Definition): Map<string, ConfigValue> {
  const out = new Map<string, ConfigValue>();
  const secret = def.object.kind === 'Secret';
  const data = record(def.object.data) ?? {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    const text = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
    out.set(k, { text, secret, def, at: ['data', k], encoded: secret });
  }
  for (const [k, v] of Object.entries(record(def.object.stringData) ?? {})) {
    if (typeof v === 'string') out.set(k, { text: v, secret, def, at: ['stringData', k], encoded: false });
  }
  return out;
}

function sopsEncrypted(def: Definition): boolean {
  return isRecord(def.object.sops);
}

// ---------------------------------------------------------------------------------------------
// Kustomization

export async function fluxKustomizationTarget(def: Definition, ctx: Context): Promise<Target> {
  const name = appName(def);
  const notes: InputError[] = [];
  const app = appInfo(def, name, notes);
  const spec = specOf(def.object);
  const here = (...p: PathSegment[]) => def.locate(['spec', ...p]);
  const src = await sourceRoot(ctx, def, ['spec', 'sourceRef'], record(spec.sourceRef) ?? {});
  if ('note' in src) {
    notes.push({ ...src.note, message: `${name}: ${src.note.message}` });
    return skipped(app);
  }
  const p = str(spec.path) ?? './';
  const dir = await src.resolve(p);
  if ('error' in dir) {
    notes.push(error(`${name}: path ${dir.error}`, here('path')));
    return skipped(app);
  }
  if (!dir.isDir) {
    notes.push(missingPath(name, p, src.revision, here('path')));
    return skipped(app);
  }
  const overlay = new OverlayBuilder();
  overlay.loadRestrictorNone = true;
  let hasKustomization = false;
  for (const f of KUSTOMIZATION_FILES)
    if (await stat(path.join(dir.abs, f)).catch(() => undefined)) hasKustomization = true;
  if (!hasKustomization) overlay.resources = await folderResources(dir.abs, ctx, app, here('path'));
  const targetNamespace = str(spec.targetNamespace);
  if (targetNamespace) {
    app.namespace = targetNamespace;
    overlay.set('namespace', targetNamespace, () => here('targetNamespace'));
  }
  for (const field of ['namePrefix', 'nameSuffix']) {
    const v = str(spec[field]);
    if (v) overlay.set(field, v, () => here(field));
  }
  const common = record(spec.commonMetadata);
  const labels = record(common?.labels);
  if (labels) {
    overlay.push('labels', { pairs: labels, includeSelectors: false }, (rel) =>
      here('commonMetadata', 'labels', ...(rel[0] === 'pairs' ? rel.slice(1) : [])),
    );
  }
  const annotations = record(common?.annotations);
  if (annotations)
    overlay.set('commonAnnotations', annotations, (rel) => here('commonMetadata', 'annotations', ...rel));
  for (const [i, raw] of list(spec.images).entries()) {
    const img = record(raw);
    if (!img || !str(img.name)) continue;
    const entry: Record<string, string> = {};
    for (const k of ['name', 'newName', 'newTag', 'digest']) if (str(img[k])) entry[k] = str(img[k])!;
    overlay.push('images', entry, (rel) => here('images', i, ...rel));
  }
  for (const [i, raw] of list(spec.patches).entries()) {
    const patch = record(raw);
    if (patch) await addPatch(overlay, def, ctx, app, ['spec', 'patches', i], patch, dir.abs);
  }
  for (const old of ['patchesStrategicMerge', 'patchesJson6902']) {
    if (list(spec[old]).length > 0)
      notes.push(
        note(
          `${name}: ${old} (removed in kustomize.toolkit.fluxcd.io/v1) is not applied; use patches`,
          here(old),
        ),
      );
  }
  for (const [i, c] of list(spec.components).entries()) {
    if (typeof c !== 'string' || !c) continue;
    const r = await src.resolve(path.posix.join(p, c));
    if ('error' in r || !r.isDir)
      notes.push(
        error(
          `${name}: component ${'error' in r ? r.error : `"${c}" is not a folder`}`,
          here('components', i),
        ),
      );
    else {
      overlay.components.push(r.rel);
      app.inputs.dirs.push(r.rel);
    }
  }
  const vars = await variables(def, ctx, app);
  if (vars.size > 0) {
    const quoted = quotedReader(ctx);
    app.postRender = (result) =>
      substituteResult(result, vars, {
        at: here('postBuild'),
        name,
        quoted: (m, segs) => quoted(m.locateSource?.(segs)),
      });
  }
  return { kind: 'kustomize', dir: dir.rel, overlay: overlay.build(), app } satisfies KustomizeTarget;
}

/**
 * A Flux path without a kustomization.yaml: every manifest under it, and each subfolder that has
 * a kustomization as a whole (kustomize-controller's generated kustomization). A YAML file that
 * is no Kubernetes object fails Flux's build; here it is left out with an error on it.
 */
async function folderResources(
  dirAbs: string,
  ctx: Context,
  app: AppInfo,
  at: SourceLocation,
): Promise<string[]> {
  const out: string[] = [];
  const walk = async (abs: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (IGNORED.test(e.name)) continue;
      const full = path.join(abs, e.name);
      if (e.isDirectory()) {
        let sub = false;
        for (const f of KUSTOMIZATION_FILES)
          if (await stat(path.join(full, f)).catch(() => undefined)) sub = true;
        if (sub) out.push(relativeName(ctx.cwd, full));
        else await walk(full);
      } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
        const reason = await ctx.contain.check(full);
        const rel = relativeName(ctx.cwd, full);
        if (reason) {
          app.notes.push(error(`${app.name}: ${reason}; refused`, at));
          continue;
        }
        const text = await readFile(full, 'utf8').catch(() => '');
        if (!/^\s*kind:\s*\S/m.test(text) || !/^\s*apiVersion:\s*\S/m.test(text)) {
          app.notes.push(
            error(`${app.name}: ${rel} is not a Kubernetes manifest (Flux's build fails on it); left out`, {
              file: rel,
              line: 1,
              column: 1,
            }),
          );
          continue;
        }
        out.push(rel);
      }
    }
  };
  await walk(dirAbs);
  return out;
}

/** `postBuild.substituteFrom` (in order) then `postBuild.substitute`, as kustomize-controller merges them. */
async function variables(def: Definition, ctx: Context, app: AppInfo): Promise<Map<string, Variable>> {
  const out = new Map<string, Variable>();
  const spec = specOf(def.object);
  const post = record(spec.postBuild);
  if (!post) return out;
  const ns = def.object.metadata.namespace ?? 'default';
  const here = (...p: PathSegment[]) => def.locate(['spec', 'postBuild', ...p]);
  for (const [i, raw] of list(post.substituteFrom).entries()) {
    const ref = record(raw);
    const kind = str(ref?.kind);
    const name = str(ref?.name);
    if (!ref || !name || (kind !== 'ConfigMap' && kind !== 'Secret')) continue;
    const cfg = findConfig(ctx, kind, ns, name, def);
    if (!cfg) {
      if (ref.optional !== true) {
        app.notes.push(
          note(
            `${app.name}: ${kind} ${ns}/${name} is not in this repository; its variables are not known here`,
            here('substituteFrom', i),
          ),
        );
      }
      continue;
    }
    app.inputs.files.push(cfg.file);
    if (sopsEncrypted(cfg)) {
      app.notes.push(
        note(
          `${app.name}: ${kind} ${ns}/${name} is encrypted (SOPS); its variables are not known here`,
          here('substituteFrom', i),
        ),
      );
      continue;
    }
    for (const [key, v] of configEntries(cfg)) {
      if (v.secret) secrets.add(v.text, 'repository');
      out.set(key, { value: v.text.replaceAll('\n', ''), at: cfg.locate(v.at) });
    }
  }
  for (const [key, v] of Object.entries(record(post.substitute) ?? {})) {
    if (v === null || v === undefined || typeof v === 'object') continue;
    out.set(key, { value: String(v).replaceAll('\n', ''), at: here('substitute', key) });
  }
  for (const key of out.keys()) {
    if (!VARIABLE_NAME.test(key)) {
      app.notes.push(
        error(`${app.name}: "${key}" is not a valid variable name (Flux refuses the substitution)`, here()),
      );
      out.delete(key);
    }
  }
  return out;
}

/** Is the value at a location written in quotes (read from the file, once per file)? */
function quotedReader(ctx: Context): (loc: SourceLocation | undefined) => boolean | undefined {
  const files = new Map<string, string[] | null>();
  return (loc) => {
    if (!loc) return undefined;
    if (!files.has(loc.file)) {
      let lines: string[] | null = null;
      try {
        // Synchronous on purpose: a post-render step runs in one go, and each file is read once.
        lines = readFileSyncSafe(path.resolve(ctx.cwd, loc.file))?.split('\n') ?? null;
      } catch {
        lines = null;
      }
      files.set(loc.file, lines);
    }
    const line = files.get(loc.file)?.[loc.line - 1];
    if (line === undefined) return undefined;
    const rest = line.slice(loc.column - 1);
    const m = /^(?:-\s+)?(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^:#]*?):\s+(["'])/.exec(rest);
    return !!m || /^(?:-\s+)?["']/.test(rest);
  };
}

function readFileSyncSafe(abs: string): string | undefined {
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > 4 * 1024 * 1024) return undefined;
  return readFileSync(abs, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// HelmRelease

export async function helmReleaseTarget(def: Definition, ctx: Context): Promise<Target> {
  const name = appName(def);
  const notes: InputError[] = [];
  const app = appInfo(def, name, notes);
  const spec = specOf(def.object);
  const here = (...p: PathSegment[]) => def.locate(['spec', ...p]);
  const ns = def.object.metadata.namespace ?? def.parent?.app?.namespace ?? 'default';
  const releaseNs = str(spec.targetNamespace) ?? ns;
  app.namespace = releaseNs;
  // The chart: spec.chart.spec, or chartRef to a HelmChart (whose spec has the same fields).
  let chartDef = def;
  let chartAt: PathSegment[] = ['spec', 'chart', 'spec'];
  const chartRef = record(spec.chartRef);
  if (chartRef) {
    const kind = str(chartRef.kind) ?? '';
    const refNs = str(chartRef.namespace) ?? ns;
    const refName = str(chartRef.name) ?? '';
    if (kind !== 'HelmChart') {
      const src = findSource(ctx, kind, refNs, refName, def);
      const url = src ? str(specOf(src.object).url) : undefined;
      notes.push(
        note(
          `${name}: the chart comes from ${kind} ${refNs}/${refName}${url ? ` (${url})` : ''}, which is not fetched (no network); the HelmRelease is not rendered (vendor the chart into this repository to have it checked)`,
          here('chartRef'),
        ),
      );
      return skipped(app);
    }
    const hc = findSource(ctx, 'HelmChart', refNs, refName, def);
    if (!hc) {
      notes.push(
        error(`${name}: HelmChart ${refNs}/${refName} is not defined in this repository`, here('chartRef')),
      );
      return skipped(app);
    }
    chartDef = hc;
    chartAt = ['spec'];
    app.inputs.files.push(hc.file);
  }
  const chartSpec = record(getIn(chartDef.object, chartAt));
  const chartName = str(chartSpec?.chart);
  if (!chartSpec || !chartName) {
    notes.push(error(`${name}: names no chart`, here()));
    return skipped(app);
  }
  const sourceRef = record(chartSpec.sourceRef) ?? {};
  const sourceKind = str(sourceRef.kind) ?? 'HelmRepository';
  if (sourceKind !== 'GitRepository' && sourceKind !== 'ExternalArtifact') {
    const refNs = str(sourceRef.namespace) ?? chartDef.object.metadata.namespace ?? ns;
    const src = findSource(ctx, sourceKind, refNs, str(sourceRef.name) ?? '', chartDef);
    const url = src ? str(specOf(src.object).url) : undefined;
    notes.push(
      note(
        `${name}: chart "${chartName}" comes from ${sourceKind} ${refNs}/${str(sourceRef.name) ?? ''}${url ? ` (${url})` : ''}, which is not fetched (no network); the HelmRelease is not rendered (vendor the chart into this repository to have it checked)`,
        chartDef.locate([...chartAt, 'chart']),
      ),
    );
    return skipped(app);
  }
  const root = await sourceRoot(ctx, chartDef, [...chartAt, 'sourceRef'], sourceRef);
  if ('note' in root) {
    notes.push({ ...root.note, message: `${name}: ${root.note.message}` });
    return skipped(app);
  }
  const chart = await root.resolve(chartName);
  if (
    'error' in chart ||
    !chart.isDir ||
    !(await stat(path.join(chart.abs, 'Chart.yaml')).catch(() => undefined))
  ) {
    notes.push(
      error(
        `${name}: chart ${'error' in chart ? chart.error : `"${chartName}" is not a chart folder in this repository`}`,
        chartDef.locate([...chartAt, 'chart']),
      ),
    );
    return skipped(app);
  }
  const valuesFiles: string[] = [];
  for (const [i, f] of list(chartSpec.valuesFiles).entries()) {
    if (typeof f !== 'string' || !f) continue;
    const r = await root.resolve(f);
    if ('error' in r || !r.exists) {
      notes.push(
        error(
          `${name}: values file ${'error' in r ? r.error : `${f} does not exist`}`,
          chartDef.locate([...chartAt, 'valuesFiles', i]),
        ),
      );
    } else {
      valuesFiles.push(r.rel);
      app.inputs.files.push(r.rel);
    }
  }
  const inlineValues: InlineValues[] = [];
  for (const [i, raw] of list(spec.valuesFrom).entries()) {
    const layer = valuesFrom(def, ctx, app, ns, i, record(raw));
    if (layer) inlineValues.push(layer);
  }
  const values = record(spec.values);
  if (values) inlineValues.push(objectLayer(`${def.file} (values)`, def, ['spec', 'values'], values));
  if (list(spec.postRenderers).length > 0) {
    notes.push(
      note(
        `${name}: postRenderers are not applied; the chart's output is checked as Helm renders it`,
        here('postRenderers'),
      ),
    );
  }
  const target: HelmTarget = {
    kind: 'helm',
    chart: chart.rel,
    releaseName: releaseName(def),
    namespace: releaseNs,
    valuesFiles,
    set: {},
    apiVersions: [],
    app,
  };
  if (inlineValues.length > 0) target.inlineValues = inlineValues;
  return target;
}

function getIn(o: unknown, at: readonly PathSegment[]): unknown {
  let node = o;
  for (const s of at) node = isRecord(node) ? node[String(s)] : undefined;
  return node;
}

/** `spec.releaseName`, else `[targetNamespace-]name`, shortened as helm-controller does past 53 characters. */
export function releaseName(def: Definition): string {
  const spec = specOf(def.object);
  const given = str(spec.releaseName);
  if (given) return given;
  const tn = str(spec.targetNamespace);
  const name = `${tn ? `${tn}-` : ''}${def.object.metadata.name ?? 'release'}`;
  if (name.length <= 53) return name;
  const hash = sha256Hex(name, 12);
  return `${name.slice(0, 40)}-${hash}`;
}

function valuesFrom(
  def: Definition,
  ctx: Context,
  app: AppInfo,
  ns: string,
  i: number,
  ref: Record<string, unknown> | undefined,
): InlineValues | undefined {
  const kind = str(ref?.kind);
  const cfgName = str(ref?.name);
  const where = def.locate(['spec', 'valuesFrom', i]);
  if (!ref || !cfgName || (kind !== 'ConfigMap' && kind !== 'Secret')) return undefined;
  const optional = ref.optional === true;
  const cfg = findConfig(ctx, kind, ns, cfgName, def);
  if (!cfg) {
    if (!optional)
      app.notes.push(
        note(
          `${app.name}: ${kind} ${ns}/${cfgName} is not in this repository; its values are left out`,
          where,
        ),
      );
    return undefined;
  }
  app.inputs.files.push(cfg.file);
  if (sopsEncrypted(cfg)) {
    app.notes.push(
      note(`${app.name}: ${kind} ${ns}/${cfgName} is encrypted (SOPS); its values are left out`, where),
    );
    return undefined;
  }
  const key = str(ref.valuesKey) ?? 'values.yaml';
  const entry = configEntries(cfg).get(key);
  if (!entry) {
    if (!optional)
      app.notes.push(
        note(`${app.name}: ${kind} ${ns}/${cfgName} has no key "${key}"; its values are left out`, where),
      );
    return undefined;
  }
  if (entry.secret) secrets.add(entry.text, 'repository');
  const name = `${cfg.file} (${kind} ${cfgName} ${key})`;
  const targetPath = str(ref.targetPath);
  if (targetPath) {
    const segments = parseSetPath(targetPath);
    if (!segments) {
      app.notes.push(
        error(
          `${app.name}: targetPath "${targetPath}" is not a Helm value path`,
          def.locate(['spec', 'valuesFrom', i, 'targetPath']),
        ),
      );
      return undefined;
    }
    const quoted = /^(".*"|'.*')$/s.exec(entry.text);
    const value = quoted ? entry.text.slice(1, -1) : typedValue(entry.text);
    if (entry.secret && typeof value === 'string') secrets.add(value, 'repository');
    const at = cfg.locate(entry.at);
    return {
      name,
      values: nested(segments, value),
      locate: (p) => (p.length === segments.length && p.every((s, k) => s === segments[k]) ? at : undefined),
    };
  }
  const source = entry.encoded ? { file: cfg.file, locate: cfg.locate } : cfg;
  const embedded = embeddedValues(source, entry.at, entry.text);
  if ('error' in embedded) {
    app.notes.push(
      error(`${app.name}: ${kind} ${ns}/${cfgName} key ${key}: ${embedded.error}`, cfg.locate(entry.at)),
    );
    return undefined;
  }
  if (entry.secret) secrets.addAll(leaves(embedded.values), 'repository');
  return { name, ...embedded };
}

function leaves(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (isRecord(v)) return Object.values(v).flatMap(leaves);
  return [];
}
