import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readsPath } from '../load/files.js';
import { defaultConcurrency, mapConcurrent } from '../model/concurrency.js';
import type { InputError } from '../model/types.js';
import { Containment, isInside, repositoryRoot } from '../render/contain.js';
import { originUrl } from '../render/git.js';
import { readKustomization } from '../render/kustomize.js';
import { type RenderResult, type Target, targetName } from '../render/types.js';
import { expandApplicationSet } from './applicationset.js';
import { applicationTargets } from './argocd.js';
import { fluxKustomizationTarget, helmReleaseTarget } from './flux.js';
import { type Context, type Definition, kindOf, list, note, record, specOf, str } from './model.js';
import { environmentNames, RepoIdentity } from './repository.js';
import { addDefinitions, definitionsIn, emptyInventory, scanFiles, yamlFiles } from './scan.js';

/**
 * GitOps discovery, next to folder discovery: the Argo CD Applications (and the Applications
 * ApplicationSets make) and the Flux Kustomizations and HelmReleases under the paths become
 * targets that render the way the controller would, with the definition's values, patches and
 * variables. Definitions that an app renders (an app of apps, the HelmReleases a Flux
 * Kustomization builds, with its patches and variables applied) are found by rendering those
 * apps first, when a renderer is given. Folder targets that an app renders are dropped: the app
 * renders them the way production does.
 */

export interface GitOpsOptions {
  /** Look for app definitions (default true). */
  gitops?: boolean;
  /** Keep the targets folder discovery found (default true). */
  folders?: boolean;
  /** URLs that name this repository, besides GITHUB_REPOSITORY and the origin remote. */
  repoURLs?: readonly string[];
  /**
   * Renders a target, to find the app definitions other apps render. Without it only the
   * definitions written in files are read.
   */
  render?: (target: Target) => Promise<RenderResult>;
  /** The environment (GITHUB_REPOSITORY); injectable for tests. */
  env?: NodeJS.ProcessEnv;
}

export interface Discovered {
  targets: Target[];
  errors: InputError[];
}

/** Rounds of "render what may define more apps" (an app of apps of apps...). */
const MAX_ROUNDS = 5;
/** Most app targets one discovery makes. */
const MAX_APPS = 2000;

const GITOPS_TEXT = /argoproj\.io|fluxcd\.io/;

export async function withGitOps(
  inputs: readonly string[],
  found: Discovered,
  cwd: string,
  options: GitOpsOptions = {},
): Promise<Discovered> {
  const folders = options.folders === false ? [] : found.targets;
  if (options.gitops === false) return { targets: folders, errors: found.errors };
  const root = await repositoryRoot(cwd);
  const files = await yamlFiles(inputs, cwd);
  const inventory = emptyInventory();
  addDefinitions(inventory, await scanFiles(files, cwd));
  // Folder targets that may render app definitions (an app-of-apps chart) are expanded too.
  const producers: Target[] = [];
  if (options.render) {
    for (const t of folders) if (await mayDefineApps(t, cwd, inventory.apps)) producers.push(t);
  }
  if (inventory.apps.length + inventory.appSets.length + producers.length === 0) {
    return { targets: folders, errors: found.errors };
  }

  const bases = [root];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    const st = await stat(abs).catch(() => undefined);
    const dir = st?.isDirectory() ? abs : path.dirname(abs);
    if (isInside(root, dir) && !bases.includes(dir)) bases.push(dir);
  }
  const identity = new RepoIdentity([
    ...(options.repoURLs ?? []),
    ...environmentNames(options.env ?? process.env, await originUrl(root)),
  ]);
  identity.settle(urlsOf([...inventory.apps, ...inventory.appSets, ...inventory.sources]));
  const ctx: Context = {
    cwd,
    root,
    bases,
    identity,
    contain: new Containment(root),
    inventory,
    notes: [],
    trees: new Map(),
  };

  const apps = new AppSet();
  // The definition each app target was made from, to follow a render's chain of parents.
  const defOf = new Map<Target, Definition>();
  let queue: Definition[] = [...inventory.apps];
  for (const set of inventory.appSets) queue.push(...(await expandSet(set, ctx)));

  for (let round = 1; round <= MAX_ROUNDS && (queue.length > 0 || producers.length > 0); round++) {
    const planned: { def: Definition; targets: Target[] }[] = [];
    for (const def of queue) {
      if (apps.size >= MAX_APPS) break;
      planned.push({ def, targets: await targetsOf(def, ctx) });
    }
    // A definition inside the folder another app renders waits for that render: the rendered copy
    // (patched, substituted) is what the controller applies.
    const expandable = new Map<Target, Reach>();
    // A folder that an app renders is the app's to expand (with its overlay and variables).
    const uncovered = withoutCovered(
      producers.splice(0),
      planned.flatMap((p) => p.targets.map((target) => ({ target }))),
      cwd,
    );
    for (const t of uncovered) expandable.set(t, await reachOf(t, cwd));
    const waiting: Definition[] = [];
    if (options.render) {
      for (const p of planned)
        for (const t of p.targets)
          if (await mayDefineApps(t, cwd, inventory.apps)) expandable.set(t, await reachOf(t, cwd));
    }
    const isNested = (p: (typeof planned)[number]) =>
      round < MAX_ROUNDS &&
      !p.def.parent &&
      planned.some(
        (o) =>
          o !== p && o.targets.some((t) => expandable.has(t) && readsPath(expandable.get(t)!, p.def.file)),
      );
    const nestedDefs = new Set(planned.filter(isNested));
    // Definitions that all reach each other: none waits.
    if (nestedDefs.size === planned.length) nestedDefs.clear();
    for (const p of planned) {
      if (nestedDefs.has(p)) {
        waiting.push(p.def);
        for (const t of p.targets) expandable.delete(t);
      } else apps.add(p.def, p.targets);
      for (const t of p.targets) defOf.set(t, p.def);
    }
    const toRender = [...expandable.keys()];
    const results = options.render
      ? await mapConcurrent(toRender, (t) => options.render!(t).catch(() => undefined), defaultConcurrency())
      : [];
    const next: Definition[] = [];
    results.forEach((result, k) => {
      if (!result) return;
      const parent = toRender[k];
      const defs = definitionsIn(result, parent, cwd);
      addDefinitions(
        ctx.inventory,
        defs.filter((d) => kindOf(d.object) === 'source' || kindOf(d.object) === 'config'),
      );
      for (const d of defs) {
        const kind = kindOf(d.object);
        if (
          kind !== 'Application' &&
          kind !== 'FluxKustomization' &&
          kind !== 'HelmRelease' &&
          kind !== 'ApplicationSet'
        )
          continue;
        // An app that renders its own definition (flux-system applies the folder it is in).
        if (ancestors(parent, defOf).some((a) => sameOrigin(a, d))) continue;
        // The rendered copy stands for the file it came from (and for anything that one made).
        for (const w of [...waiting]) if (sameOrigin(w, d)) waiting.splice(waiting.indexOf(w), 1);
        apps.supersede(d);
        next.push(d);
      }
    });
    queue = [];
    for (const d of next) {
      if (kindOf(d.object) === 'ApplicationSet') queue.push(...(await expandSet(d, ctx)));
      else queue.push(d);
    }
    queue.push(...waiting);
  }
  if (apps.size >= MAX_APPS)
    ctx.notes.push(note(`more than ${MAX_APPS} apps; the first ${MAX_APPS} are checked`));
  if (identity.guessed.size > 0) {
    ctx.notes.push(
      note(
        `which repository URL is this one is not known (discover.repoURLs, GITHUB_REPOSITORY and the origin remote name none that the app definitions use), so ${[
          ...identity.guessed,
        ].join(
          ', ',
        )} ${identity.guessed.size === 1 ? 'was' : 'were'} taken as this repository because the paths named exist here; set discover.repoURLs to be sure`,
      ),
    );
  }
  const appTargets = ordered(apps.all());
  return {
    targets: [...withoutCovered(folders, appTargets, cwd), ...appTargets.map((a) => a.target)],
    errors: [...found.errors, ...ctx.notes],
  };
}

/** The definitions of the apps whose renders led to this target: itself, its parent, theirs... */
function ancestors(target: Target, defOf: ReadonlyMap<Target, Definition>): Definition[] {
  const out: Definition[] = [];
  let t: Target | undefined = target;
  while (t && out.length < 20) {
    const d = defOf.get(t);
    if (!d) break;
    out.push(d);
    t = d.parent;
  }
  return out;
}

async function expandSet(def: Definition, ctx: Context): Promise<Definition[]> {
  const r = await expandApplicationSet(def, ctx);
  ctx.notes.push(...r.notes);
  return r.apps;
}

async function targetsOf(def: Definition, ctx: Context): Promise<Target[]> {
  switch (kindOf(def.object)) {
    case 'Application':
      return applicationTargets(def, ctx);
    case 'FluxKustomization':
      return [await fluxKustomizationTarget(def, ctx)];
    case 'HelmRelease':
      return [await helmReleaseTarget(def, ctx)];
    default:
      return [];
  }
}

/** The app targets found so far, by definition, in the order found. */
class AppSet {
  private readonly entries: { def: Definition; targets: Target[] }[] = [];

  get size(): number {
    return this.entries.reduce((n, e) => n + e.targets.length, 0);
  }

  add(def: Definition, targets: Target[]): void {
    this.entries.push({ def, targets });
  }

  targetsOf(def: Definition): Target[] | undefined {
    return this.entries.find((e) => e.def === def)?.targets;
  }

  /** A rendered definition replaces the file's own (and whatever that one's render defined). */
  supersede(rendered: Definition): void {
    const gone = new Set<Target>();
    for (const e of [...this.entries]) {
      if (e.def.parent || !sameOrigin(e.def, rendered)) continue;
      this.entries.splice(this.entries.indexOf(e), 1);
      for (const t of e.targets) gone.add(t);
    }
    let changed = gone.size > 0;
    while (changed) {
      changed = false;
      for (const e of [...this.entries]) {
        if (e.def.parent && gone.has(e.def.parent)) {
          this.entries.splice(this.entries.indexOf(e), 1);
          for (const t of e.targets) gone.add(t);
          changed = true;
        }
      }
    }
  }

  all(): { def: Definition; target: Target }[] {
    return this.entries.flatMap((e) => e.targets.map((target) => ({ def: e.def, target })));
  }
}

/** The same definition: one written in a file, and its copy in a render (same file, same line). */
function sameOrigin(a: Definition, b: Definition): boolean {
  if (a.object.kind !== b.object.kind) return false;
  const x = a.locate(['kind']);
  const y = b.locate(['kind']);
  return x.file === y.file && x.line === y.line && a.generatedBy === b.generatedBy;
}

function urlsOf(defs: readonly Definition[]): string[] {
  const out: string[] = [];
  for (const d of defs) {
    const spec = specOf(d.object);
    const add = (v: unknown) => {
      const s = str(v);
      if (s) out.push(s);
    };
    add(spec.url);
    add(record(spec.source)?.repoURL);
    for (const s of list(spec.sources)) add(record(s)?.repoURL);
    for (const g of list(spec.generators)) add(record(record(g)?.git)?.repoURL);
    add(
      record(record(spec.template)?.spec)?.source &&
        record(record(record(spec.template)?.spec)?.source)?.repoURL,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What a target reaches, and whether it may define apps

/** Folders (relative to cwd) and files a target renders from, as far as discovery needs to know. */
async function reach(t: Target, cwd: string): Promise<Reach> {
  if (t.app?.skip) return { dirs: [], files: [] };
  if (t.kind === 'helm') return { dirs: [t.chart], files: [] };
  if (t.kind === 'plain') return { dirs: [], files: t.paths };
  const dirs: string[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const visit = async (rel: string) => {
    const abs = path.resolve(cwd, rel);
    if (seen.has(abs) || seen.size > 200) return;
    seen.add(abs);
    dirs.push(rel);
    const info = await readKustomization(abs).catch(() => undefined);
    for (const b of info?.bases ?? []) await visit(path.relative(cwd, b).split(path.sep).join('/') || '.');
  };
  for (const r of t.overlay?.resources ?? [t.dir]) {
    const st = await stat(path.resolve(cwd, r)).catch(() => undefined);
    if (st?.isDirectory()) await visit(r);
    else files.push(r);
  }
  for (const c of t.overlay?.components ?? []) await visit(c);
  return { dirs, files };
}

type Reach = { dirs: string[]; files: string[] };

const reaches = new WeakMap<Target, Promise<Reach>>();
function reachOf(t: Target, cwd: string): Promise<Reach> {
  let r = reaches.get(t);
  if (!r) {
    r = reach(t, cwd);
    reaches.set(t, r);
  }
  return r;
}

/**
 * Whether rendering the target may define apps: a Flux Kustomization or an overlay whose folders
 * hold app definitions, or a chart whose templates name Argo CD or Flux kinds.
 */
async function mayDefineApps(t: Target, cwd: string, apps: readonly Definition[]): Promise<boolean> {
  if (t.app?.skip || t.kind === 'plain') return false;
  if (t.kind === 'helm') return chartMentions(path.resolve(cwd, t.chart));
  const r = await reachOf(t, cwd);
  if (apps.some((a) => !a.parent && readsPath(r, a.file))) return true;
  // A Flux Kustomization's folder may hold the ConfigMaps its HelmReleases take values from.
  return t.app?.name.startsWith('Kustomization ') === true && r.dirs.length + r.files.length > 0
    ? await anyMentions(r, cwd)
    : false;
}

async function chartMentions(chartAbs: string): Promise<boolean> {
  const templates = path.join(chartAbs, 'templates');
  const entries = await readdir(templates, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries.slice(0, 500)) {
    if (!e.isFile()) continue;
    const text = await readFile(path.join(e.parentPath, e.name), 'utf8').catch(() => '');
    if (GITOPS_TEXT.test(text)) return true;
  }
  return false;
}

async function anyMentions(r: Reach, cwd: string): Promise<boolean> {
  for (const f of r.files) {
    const text = await readFile(path.resolve(cwd, f), 'utf8').catch(() => '');
    if (GITOPS_TEXT.test(text)) return true;
  }
  for (const d of r.dirs) {
    const entries = await readdir(path.resolve(cwd, d), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isFile() || !/\.ya?ml$/i.test(e.name)) continue;
      const text = await readFile(path.join(path.resolve(cwd, d), e.name), 'utf8').catch(() => '');
      if (GITOPS_TEXT.test(text)) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Coverage and order

/** Folder targets an app renders are left to the app (it renders them the way production does). */
function withoutCovered(
  folders: readonly Target[],
  apps: readonly { target: Target }[],
  _cwd: string,
): Target[] {
  const charts = new Set<string>();
  const dirs = new Set<string>();
  const files = new Set<string>();
  for (const { target: t } of apps) {
    if (t.app?.skip) continue;
    if (t.kind === 'helm') {
      charts.add(t.chart);
      // A values file the app names (`$values/...`) is no manifest of its own.
      for (const f of t.valuesFiles) files.add(f);
    } else if (t.kind === 'kustomize') {
      dirs.add(t.dir);
      // A Flux folder's resources: its manifests, and the folders with a kustomization under it.
      for (const r of t.overlay?.resources ?? []) {
        files.add(r);
        dirs.add(r);
      }
    } else for (const p of t.paths) files.add(p);
  }
  const out: Target[] = [];
  for (const t of folders) {
    if (t.kind === 'helm' && charts.has(t.chart)) continue;
    if (t.kind === 'kustomize' && dirs.has(t.dir)) continue;
    if (t.kind === 'plain') {
      const paths = t.paths.filter((p) => !files.has(p));
      if (paths.length > 0) out.push(paths.length === t.paths.length ? t : { ...t, paths });
      continue;
    }
    out.push(t);
  }
  return out;
}

/** Flux Kustomizations after those they depend on (`dependsOn`, in the same folder of definitions). */
function ordered(entries: { def: Definition; target: Target }[]): { def: Definition; target: Target }[] {
  const key = (d: Definition, ns: string | undefined, name: string) =>
    `${path.posix.dirname(d.file)}|${d.parent ? targetName(d.parent) : ''}|${ns ?? d.object.metadata.namespace ?? ''}/${name}`;
  const byKey = new Map<string, { def: Definition; target: Target }>();
  for (const e of entries) {
    if (kindOf(e.def.object) === 'FluxKustomization')
      byKey.set(key(e.def, undefined, e.def.object.metadata.name ?? ''), e);
  }
  const out: { def: Definition; target: Target }[] = [];
  const done = new Set<{ def: Definition; target: Target }>();
  const visiting = new Set<{ def: Definition; target: Target }>();
  const visit = (e: { def: Definition; target: Target }) => {
    if (done.has(e) || visiting.has(e)) return;
    visiting.add(e);
    if (kindOf(e.def.object) === 'FluxKustomization') {
      for (const dep of list(specOf(e.def.object).dependsOn)) {
        const r = record(dep);
        const name = str(r?.name);
        const other = name ? byKey.get(key(e.def, str(r?.namespace), name)) : undefined;
        if (other) visit(other);
      }
    }
    visiting.delete(e);
    done.add(e);
    out.push(e);
  };
  for (const e of entries) visit(e);
  return out;
}
