import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { relativeName } from '../load/files.js';
import { getAt } from '../model/path.js';
import {
  type InputError,
  isRecord,
  type KubeObject,
  type PathSegment,
  type SourceLocation,
} from '../model/types.js';
import { yamlLocator } from '../render/yaml-locate.js';
import { executeFastTemplate, executeGoTemplate } from './gotemplate.js';
import { type Context, type Definition, describe, error, list, note, record, specOf, str } from './model.js';

/**
 * An ApplicationSet -> the Applications its generators make: `list` (elements and
 * elementsYaml), and `git` directories and files in this repository, rendered through the
 * template the way Argo CD does (fasttemplate `{{ name }}` parameters, or Go templates with
 * `goTemplate: true`). Each generated Application is edited in the ApplicationSet's template,
 * except a field that is exactly one parameter, which is edited where the parameter is set (the
 * list element's key, the git file's key). Generators that need a cluster or a provider's API
 * (clusters, pull requests, SCM providers, plugins, matrix and merge of those) are noted.
 */

/** Most Applications one ApplicationSet may make here. */
export const MAX_GENERATED = 500;

interface ParamSet {
  /** Flat parameters (`path.basename`) for fasttemplate; the nested data for Go templates. */
  flat: Record<string, string>;
  data: Record<string, unknown>;
  /** Where each parameter (flat name) is set. */
  origins: Map<string, SourceLocation>;
}

export async function expandApplicationSet(
  def: Definition,
  ctx: Context,
): Promise<{ apps: Definition[]; notes: InputError[] }> {
  const spec = specOf(def.object);
  const notes: InputError[] = [];
  const name = describe(def);
  const template = record(spec.template);
  if (!template) return { apps: [], notes: [error(`${name}: has no template`, def.locate(['spec']))] };
  if (spec.templatePatch !== undefined) {
    notes.push(note(`${name}: templatePatch is not applied`, def.locate(['spec', 'templatePatch'])));
  }
  const goTemplate = spec.goTemplate === true;
  const sets: ParamSet[] = [];
  for (const [gi, raw] of list(spec.generators).entries()) {
    const g = record(raw);
    if (!g) continue;
    const at = (...p: PathSegment[]) => def.locate(['spec', 'generators', gi, ...p]);
    if (record(g.list)) sets.push(...listParams(def, gi, record(g.list)!, goTemplate, notes));
    else if (record(g.git)) sets.push(...(await gitParams(def, ctx, gi, record(g.git)!, goTemplate, notes)));
    else {
      const kind = Object.keys(g).find((k) => k !== 'selector' && k !== 'values') ?? 'generator';
      notes.push(
        note(
          `${name}: the ${kind} generator is not expanded (it needs a cluster or a provider's API); only list and git generators are`,
          at(kind),
        ),
      );
    }
  }
  const apps: Definition[] = [];
  for (const params of sets.slice(0, MAX_GENERATED)) {
    const made = generate(def, template, params, goTemplate);
    if ('error' in made) {
      notes.push(
        error(`${name}: ${made.error}; that Application is left out`, def.locate(['spec', 'template'])),
      );
      continue;
    }
    apps.push(made);
  }
  if (sets.length > MAX_GENERATED) {
    notes.push(
      note(
        `${name}: makes ${sets.length} Applications; the first ${MAX_GENERATED} are checked`,
        def.locate(['spec']),
      ),
    );
  }
  return { apps, notes };
}

function listParams(
  def: Definition,
  gi: number,
  g: Record<string, unknown>,
  goTemplate: boolean,
  notes: InputError[],
): ParamSet[] {
  const out: ParamSet[] = [];
  const base: PathSegment[] = ['spec', 'generators', gi, 'list'];
  for (const [ei, raw] of list(g.elements).entries()) {
    const element = record(raw);
    if (!element) continue;
    const set = paramsOf(element, goTemplate, (key) =>
      def.locate([...base, 'elements', ei, ...key.split('.')]),
    );
    if (set) out.push(set);
    else
      notes.push(
        error(
          `${describe(def)}: list element ${ei} has a value that is not a string`,
          def.locate([...base, 'elements', ei]),
        ),
      );
  }
  if (typeof g.elementsYaml === 'string') {
    try {
      const docs = parseAllDocuments(g.elementsYaml);
      const items = (Array.isArray(docs) ? docs : []).flatMap((d) => {
        const v = d.toJS({ maxAliasCount: 100 });
        return Array.isArray(v) ? v : [];
      });
      for (const item of items) {
        const set = isRecord(item)
          ? paramsOf(item, true, () => def.locate([...base, 'elementsYaml']))
          : undefined;
        if (set) out.push(set);
      }
    } catch {
      notes.push(
        error(`${describe(def)}: elementsYaml is not valid YAML`, def.locate([...base, 'elementsYaml'])),
      );
    }
  }
  return out;
}

/**
 * Parameters from one object: nested as they are for Go templates; for fasttemplate, strings as
 * they are and `values` flattened one level (`values.x`), as Argo CD's list generator does.
 */
function paramsOf(
  element: Record<string, unknown>,
  goTemplate: boolean,
  origin: (key: string) => SourceLocation,
): ParamSet | undefined {
  const flat: Record<string, string> = {};
  const origins = new Map<string, SourceLocation>();
  if (goTemplate) {
    for (const [k, leaf] of flatten(element)) {
      flat[k] = leaf;
      origins.set(k, origin(k));
    }
    return { flat, data: element, origins };
  }
  for (const [k, v] of Object.entries(element)) {
    if (k === 'values' && isRecord(v)) {
      for (const [vk, vv] of Object.entries(v)) {
        if (typeof vv !== 'string') return undefined;
        flat[`values.${vk}`] = vv;
        origins.set(`values.${vk}`, origin(`values.${vk}`));
      }
    } else if (typeof v === 'string') {
      flat[k] = v;
      origins.set(k, origin(k));
    } else return undefined;
  }
  return { flat, data: element, origins };
}

/** Dotted leaves of an object, as Argo CD's flatten (DotStyle) makes them. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i)));
  if (isRecord(value))
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  return prefix ? [[prefix, value === null || value === undefined ? '<nil>' : String(value)]] : [];
}

async function gitParams(
  def: Definition,
  ctx: Context,
  gi: number,
  g: Record<string, unknown>,
  goTemplate: boolean,
  notes: InputError[],
): Promise<ParamSet[]> {
  const name = describe(def);
  const base: PathSegment[] = ['spec', 'generators', gi, 'git'];
  const at = (...p: PathSegment[]) => def.locate([...base, ...p]);
  const repoURL = str(g.repoURL);
  const prefix = str(g.pathParamPrefix);
  const dirs = list(g.directories).flatMap((d, i) => {
    const r = record(d);
    return r && str(r.path) ? [{ pattern: str(r.path)!, exclude: r.exclude === true, i }] : [];
  });
  const files = list(g.files).flatMap((d, i) => {
    const r = record(d);
    return r && str(r.path) ? [{ pattern: str(r.path)!, exclude: r.exclude === true, i }] : [];
  });
  // The first folder discovery knows that has a match is the repository's top for these patterns.
  for (const top of ctx.bases) {
    const tree = await listTree(ctx, top);
    const matchDirs = dirs.length > 0 ? matching(tree.dirs, dirs) : [];
    const matchFiles = files.length > 0 ? matching(tree.files, files) : [];
    if (matchDirs.length === 0 && matchFiles.length === 0) continue;
    if (!ctx.identity.isThis(repoURL, true)) break;
    const out: ParamSet[] = [];
    for (const d of matchDirs) {
      const origin = at('directories', d.i, 'path');
      out.push(
        withValues(pathParams(d.path, undefined, prefix, goTemplate, origin), g, goTemplate, def, base),
      );
    }
    for (const f of matchFiles) {
      const origin = at('files', f.i, 'path');
      const abs = path.join(top, f.path);
      if (await ctx.contain.check(abs)) continue;
      const text = await readFile(abs, 'utf8').catch(() => undefined);
      const file = relativeName(ctx.cwd, abs);
      if (text === undefined) continue;
      let value: unknown;
      try {
        value = parseAllDocuments(text)[0]?.toJS({ maxAliasCount: 100 }) ?? {};
      } catch {
        notes.push(
          error(`${name}: ${file} is not valid YAML or JSON; its Applications are left out`, origin),
        );
        continue;
      }
      const objects = Array.isArray(value) ? value : [value];
      const loc = yamlLocator(text, file);
      objects.forEach((o, idx) => {
        if (!isRecord(o)) return;
        const set = pathParams(path.posix.dirname(f.path), f.path, prefix, goTemplate, origin);
        for (const [k, leaf] of flatten(o)) {
          set.flat[k] = leaf;
          const segs = k.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
          set.origins.set(
            k,
            loc.find(Array.isArray(value) ? [idx, ...segs] : segs) ?? { file, line: 1, column: 1 },
          );
        }
        Object.assign(set.data, o);
        out.push(withValues(set, g, goTemplate, def, base));
      });
    }
    return out;
  }
  if (!ctx.identity.isThis(repoURL, false)) {
    notes.push(
      note(
        `${name}: ${repoURL ?? 'the git generator'} is another repository, which is not read`,
        at('repoURL'),
      ),
    );
  } else {
    notes.push(
      note(
        `${name}: the git generator matches no ${dirs.length > 0 ? 'folder' : 'file'} in this repository`,
        at(),
      ),
    );
  }
  return [];
}

function matching(
  entries: readonly string[],
  patterns: readonly { pattern: string; exclude: boolean; i: number }[],
): { path: string; i: number }[] {
  const out: { path: string; i: number }[] = [];
  for (const p of entries) {
    const include = patterns.find((x) => !x.exclude && path.posix.matchesGlob(p, x.pattern));
    if (!include) continue;
    if (patterns.some((x) => x.exclude && path.posix.matchesGlob(p, x.pattern))) continue;
    out.push({ path: p, i: include.i });
  }
  return out;
}

/** Argo CD's path parameters for a folder (and a file in it). */
function pathParams(
  dir: string,
  file: string | undefined,
  prefix: string | undefined,
  goTemplate: boolean,
  origin: SourceLocation,
): ParamSet {
  const name = prefix ? `${prefix}.path` : 'path';
  const basename = path.posix.basename(dir);
  const flat: Record<string, string> = { [name]: dir, [`${name}.basename`]: basename };
  flat[`${name}.basenameNormalized`] = sanitize(basename);
  if (file) {
    flat[`${name}.filename`] = path.posix.basename(file);
    flat[`${name}.filenameNormalized`] = sanitize(path.posix.basename(file));
  }
  dir.split('/').forEach((seg, i) => {
    if (seg) flat[`${name}[${i}]`] = seg;
  });
  const pathData: Record<string, unknown> = {
    path: dir,
    basename,
    basenameNormalized: sanitize(basename),
    segments: dir.split('/'),
    ...(file
      ? { filename: path.posix.basename(file), filenameNormalized: sanitize(path.posix.basename(file)) }
      : {}),
  };
  const data: Record<string, unknown> = prefix ? { [prefix]: { path: pathData } } : { path: pathData };
  const origins = new Map<string, SourceLocation>(Object.keys(flat).map((k) => [k, origin]));
  if (goTemplate) for (const k of ['path', 'path.path', 'path.basename']) origins.set(k, origin);
  return { flat, data, origins };
}

/** The generator's `values:`, themselves templates over the other parameters. */
function withValues(
  set: ParamSet,
  g: Record<string, unknown>,
  goTemplate: boolean,
  def: Definition,
  base: PathSegment[],
): ParamSet {
  const values = record(g.values);
  if (!values) return set;
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'string') continue;
    const rendered = goTemplate
      ? executeGoTemplate(v, set.data)
      : { value: executeFastTemplate(v, set.flat) };
    const value = 'value' in rendered ? rendered.value : v;
    set.flat[`values.${k}`] = value;
    data[k] = value;
    set.origins.set(`values.${k}`, def.locate([...base, 'values', k]));
  }
  set.data.values = data;
  return set;
}

/** Argo CD's SanitizeName: a DNS-1123 label. */
function sanitize(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 253);
}

/** Every folder and file under `top` (relative, forward slashes), hidden folders left out. */
function listTree(ctx: Context, top: string): Promise<{ dirs: string[]; files: string[] }> {
  let found = ctx.trees.get(top);
  if (!found) {
    found = (async () => {
      const dirs: string[] = [];
      const files: string[] = [];
      const walk = async (abs: string, rel: string, depth: number) => {
        if (depth > 12 || dirs.length + files.length > 50_000) return;
        const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
        for (const e of entries) {
          if (e.name.startsWith('.') || e.name === 'node_modules') continue;
          const r = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) {
            dirs.push(r);
            await walk(path.join(abs, e.name), r, depth + 1);
          } else if (e.isFile()) files.push(r);
        }
      };
      await walk(top, '', 0);
      dirs.sort();
      files.sort();
      return { dirs, files };
    })();
    ctx.trees.set(top, found);
  }
  return found;
}

/** Render the template with one parameter set into an Application definition. */
function generate(
  appSet: Definition,
  template: Record<string, unknown>,
  params: ParamSet,
  goTemplate: boolean,
): Definition | { error: string } {
  let failure: string | undefined;
  const render = (text: string): string => {
    if (!text.includes('{{')) return text;
    if (!goTemplate) return executeFastTemplate(text, params.flat);
    const r = executeGoTemplate(text, params.data);
    if ('error' in r) {
      failure ??= `template expression ${r.error}`;
      return text;
    }
    return r.value;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return render(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [render(k), walk(x)]));
    return v;
  };
  const rendered = walk(template) as Record<string, unknown>;
  if (failure) return { error: failure };
  const metadata = record(rendered.metadata) ?? {};
  const namespace = str(metadata.namespace) ?? appSet.object.metadata.namespace;
  const object: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { ...metadata, ...(namespace ? { namespace } : {}) } as KubeObject['metadata'],
    spec: rendered.spec ?? {},
  };
  const single = /^\s*\{\{-?\s*\.?([\w.[\]-]+)\s*-?\}\}\s*$/;
  return {
    object,
    file: appSet.file,
    generatedBy: describe(appSet),
    ...(appSet.parent ? { parent: appSet.parent } : {}),
    locate(segments) {
      const raw = getAt(template, segments);
      if (typeof raw === 'string') {
        const m = single.exec(raw);
        const origin = m ? params.origins.get(m[1]) : undefined;
        if (origin) return origin;
      }
      return appSet.locate(['spec', 'template', ...segments]);
    },
    block: appSet.block ? (segments) => appSet.block!(['spec', 'template', ...segments]) : undefined,
  };
}
