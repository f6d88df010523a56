import path from 'node:path';
import type { DriftConfig } from '../config/drift.js';
import { type Config, defaultConfig } from '../config/index.js';
import { resolveTargets } from '../config/render.js';
import { compareObject } from '../drift/compare.js';
import { projectDeclared } from '../drift/dry-run.js';
import { ImageScan } from '../drift/images.js';
import { oldestWriter } from '../drift/ownership.js';
import { builtInSchemas, type OpenApiDocument, type Schemas, schemasFrom } from '../drift/schema.js';
import type {
  DriftCoverage,
  DriftError,
  DriftItem,
  DriftReport,
  MissingItem,
  OrphanItem,
} from '../drift/types.js';
import { youngGenerationForPages } from '../heap.js';
import type { KubeClient, ResourceInfo } from '../kube/client.js';
import type { Connection, ConnectOptions } from '../kube/connect.js';
import {
  ClusterUnreachableError,
  DeadlineError,
  KubeApiError,
  KubeAuthError,
  KubeConfigError,
} from '../kube/errors.js';
import { relativeName } from '../load/files.js';
import type { Manifest } from '../load/yaml.js';
import { pushAll } from '../model/collections.js';
import type { InputError, KubeObject, PathSegment } from '../model/types.js';
import { isRecord, refKey } from '../model/types.js';
import { targetName, targetNamespace } from '../render/types.js';
import { collectObject } from '../secrets/index.js';
import { runRender } from './render.js';

/**
 * The drift job: Git's objects -> the same objects read from the cluster -> drift with
 * attribution, missing objects, and the images the cluster runs. Read-only: only `get` and
 * `list`. A kind the cluster does not serve or the account may not list is an error in the
 * report and the run goes on; a cluster that does not answer ends the run with one line.
 *
 * The report says what it can vouch for (`coverage`): a run that could not read everything Git
 * declares is partial, and one that could read nothing is no result at all, never "no drift".
 */

export interface DriftSettings {
  /** Files and folders of manifests (what Git declares), relative to `cwd`. */
  paths: readonly string[];
  cwd?: string;
  config?: Config;
  /** Objects already rendered (Helm, Kustomize targets); used with or instead of `paths`. */
  desired?: readonly Manifest[];
  kubeconfig?: string;
  context?: string;
  /** The namespace of objects that name none (a target's namespace); `default` otherwise. */
  namespace?: string;
  /** Scan images in every namespace, not only Git's. */
  allNamespaces?: boolean;
  /** Compare through a server-side dry run (needs patch permission); the config's setting otherwise. */
  serverSideDryRun?: boolean;
  /** List live objects no target declares; the config's setting otherwise. */
  orphans?: boolean;
  /** One request's time limit and the run's deadline, in ms; the config's settings otherwise. */
  requestTimeoutMs?: number;
  deadlineMs?: number;
  /** From how many namespaces on a kind is read with one cluster-wide list (default 16). */
  wideFrom?: number;
  /** Injectable for tests: how to reach the cluster. */
  connect?: (options: ConnectOptions) => Promise<Connection>;
  connectOptions?: Omit<ConnectOptions, 'kubeconfig' | 'context'>;
}

export interface DriftResult {
  report: DriftReport;
  /** Problems reading Git's side (bad YAML, a missing file, a chart that does not render). */
  inputErrors: InputError[];
  /** Set when the run could not read the cluster at all: one line, no stack. */
  fatal?: string;
  context?: string;
  server?: string;
  /** SHA-256 of the cluster's CA, when known: part of the cluster's identity. */
  caFingerprint?: string;
  stats: { objects: number; compared: number; requests: number; millis: number };
}

const IMAGE_KINDS: readonly [string, string][] = [
  ['v1', 'Pod'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
];

/** From this many namespaces on, a kind is read with one cluster-wide list (when allowed) rather than one per namespace. */
const WIDE = 16;

/**
 * Kinds listed for orphans, besides those Git declares: what people create by hand. Objects with
 * an owner (a ReplicaSet's pods, a CronJob's Jobs) are their controller's, never orphans.
 */
const ORPHAN_KINDS: readonly [string, string][] = [
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'ServiceAccount'],
  ['v1', 'PersistentVolumeClaim'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
];

export async function runDriftJob(settings: DriftSettings): Promise<DriftResult> {
  const started = Date.now();
  youngGenerationForPages();
  const config = settings.config ?? defaultConfig(settings.cwd);
  const drift = config.drift as DriftConfig;
  const report: DriftReport = { version: 1, drift: [], missing: [], images: [], errors: [] };
  const result: DriftResult = {
    report,
    inputErrors: [],
    stats: { objects: 0, compared: 0, requests: 0, millis: 0 },
  };
  const cwd = settings.cwd ?? process.cwd();

  const git = await desiredObjects(settings, config, result.inputErrors);
  const desired = git.objects;
  result.stats.objects = desired.length;
  // A chart that failed to render leaves its objects out of the comparison: the report must say so.
  for (const e of result.inputErrors) {
    if (e.level !== 'error') continue;
    const at = e.location ? `${sourcePath(cwd, e.location.file)}:${e.location.line}` : undefined;
    report.errors.push(at ? { scope: at, message: `${at}: ${e.message}` } : { message: e.message });
  }
  const notCompared = [...new Set(git.notRendered)];

  let conn: Connection;
  try {
    const connect = settings.connect ?? (await import('../kube/connect.js')).connect;
    conn = await connect({
      ...settings.connectOptions,
      kubeconfig: settings.kubeconfig,
      context: settings.context,
      requestTimeoutMs: settings.requestTimeoutMs ?? drift.requestTimeoutMs,
      deadlineMs: settings.deadlineMs ?? drift.deadlineMs,
    });
    result.context = conn.context;
    result.server = conn.server;
    if (conn.caFingerprint) result.caFingerprint = conn.caFingerprint;
    report.cluster = conn.context;
    await conn.client.version(); // one clear line now rather than one per kind later
  } catch (err) {
    return fail(result, err, started);
  }

  const reader = new ListCache(conn.client, report.errors, settings.wideFrom ?? WIDE);
  try {
    const groups = groupByCollection(desired);
    const schemas = await readSchemas(conn.client, groups);
    const dryRun =
      (settings.serverSideDryRun ?? drift.serverSideDryRun)
        ? new DryRun(conn.client, report.errors, schemas)
        : undefined;
    // A kind Git declares in many namespaces is read with one cluster-wide list where allowed.
    const spread = new Map<string, { apiVersion: string; kind: string; namespaces: Map<string, number> }>();
    for (const g of groups.values()) {
      const key = `${g.apiVersion}|${g.kind}`;
      const entry = spread.get(key) ?? { apiVersion: g.apiVersion, kind: g.kind, namespaces: new Map() };
      entry.namespaces.set(g.namespace, g.hookOnly ? 0 : g.objects.length);
      spread.set(key, entry);
    }
    for (const { apiVersion, kind, namespaces } of spread.values())
      reader.prefetchWide(apiVersion, kind, namespaces);
    let read = 0;
    await Promise.all(
      [...groups.values()].map(async (g) => {
        const live = await reader.list(g.apiVersion, g.kind, g.namespace, g.hookOnly ? 0 : g.objects.length);
        if (!live) {
          if (!g.hookOnly) notCompared.push(`${scopeOf(g)} (${plural(g.objects.length, 'object')} in Git)`);
          return;
        }
        if (!g.hookOnly) read++;
        // Awaited first: `x += await y` reads x before waiting, and groups finish concurrently.
        const compared = await compareGroup(g, live, drift, report, dryRun, schemas, cwd);
        result.stats.compared += compared;
      }),
    );
    const readable = [...groups.values()].filter((g) => !g.hookOnly).length;
    // Compared: the lists are let go. The image scan streams what it needs (a few pages for a
    // kind spread over many namespaces), so memory holds one phase's objects, not both.
    if (readable >= WIDE) reader.release();

    const inScope = scopeNamespaces(desired, drift);
    const imageNamespaces = drift.allNamespaces || settings.allNamespaces ? [undefined] : inScope;
    const scan = new ImageScan(
      desired.map((d) => d.manifest.object),
      config.images.debugTagPatterns,
    );
    // Hooks left out of the comparison are still Git's: never orphans.
    const orphans =
      (settings.orphans ?? drift.orphans) ? new Orphans([...desired, ...git.hooks], inScope) : undefined;
    const visits: Promise<void>[] = [];
    const visit = (
      apiVersion: string,
      kind: string,
      namespaces: readonly (string | undefined)[],
      fn: (o: KubeObject) => void,
      what: string,
    ) =>
      visits.push(
        reader.eachIn(apiVersion, kind, namespaces, fn).then((failed) => {
          for (const ns of failed)
            notCompared.push(`${apiVersion} ${kind}${ns ? ` in ${ns}` : ''} (${what})`);
        }),
      );
    for (const [apiVersion, kind] of IMAGE_KINDS)
      visit(
        apiVersion,
        kind,
        imageNamespaces,
        (obj) => {
          scan.visit(obj);
          orphans?.visit(obj);
        },
        'images not scanned',
      );
    if (orphans) {
      const kinds = imageNamespaces[0] === undefined ? orphans.kinds() : orphans.kindsBeyond(IMAGE_KINDS);
      for (const [apiVersion, kind] of kinds)
        visit(apiVersion, kind, inScope, (obj) => orphans.visit(obj), 'not searched for orphans');
    }
    await Promise.all(visits);
    report.images = scan.issues();
    if (orphans) report.orphans = orphans.found();

    const summary = schemas.summary();
    report.coverage = {
      status: readable > 0 && read === 0 ? 'none' : notCompared.length > 0 ? 'partial' : 'complete',
      notCompared: notCompared.sort(),
      lists: summary.source,
      ...(summary.note ? { listsNote: summary.note } : {}),
    };
  } catch (err) {
    return fail(result, err, started);
  }

  sortReport(report);
  result.stats.requests = conn.client.requests;
  result.stats.millis = Date.now() - started;
  return result;
}

/** One object Git declares, with the namespace it lands in (its own, its target's, or the default). */
interface Desired {
  manifest: Manifest;
  namespace: string;
  /** A Helm hook kept (no delete policy): compared when it exists, never reported missing. */
  hook?: true;
}

/**
 * What Git declares: the targets under `paths` (charts, overlays, plain folders) rendered the way
 * the pull-request job renders them, or the config's `targets:` when no path is given.
 *
 * Helm hooks are not part of a release's steady state: test hooks never count, and other hooks
 * only when they carry no delete policy (then Helm leaves them in place) and exist.
 */
async function desiredObjects(
  settings: DriftSettings,
  config: Config,
  errors: InputError[],
): Promise<{ objects: Desired[]; hooks: Desired[]; notRendered: string[] }> {
  const defaultNs = settings.namespace ?? 'default';
  const out: Desired[] = (settings.desired ?? []).map((manifest) => ({ manifest, namespace: defaultNs }));
  const notRendered: string[] = [];
  const configTargets = config.targets.length > 0 ? resolveTargets(config.targets, config.dir) : [];
  if (settings.paths.length > 0 || configTargets.length > 0) {
    const cwd = settings.cwd ?? process.cwd();
    const rendered = await runRender({
      cwd,
      paths: settings.paths,
      configTargets,
      tools: config.render.tools,
      concurrency: config.render.concurrency,
      timeoutMs: config.render.timeoutMs,
      maxMemoryBytes: config.render.maxMemoryBytes,
      discover: config.discover,
    });
    pushAll(errors, rendered.errors);
    for (const e of rendered.errors)
      if (e.level === 'error')
        notRendered.push(`${e.location ? sourcePath(cwd, e.location.file) : 'a path'} (not read)`);
    for (const r of rendered.results) {
      pushAll(errors, r.errors);
      const failed = r.errors.filter((e) => e.level === 'error');
      // An app whose source is not in the repository (a remote chart) was not compared.
      if (r.target.app?.skip)
        notRendered.push(`${targetName(r.target)} (its source is not in the repository)`);
      // A chart or overlay that fails renders nothing; a plain folder loses only its bad files.
      if (failed.length > 0 && r.target.kind !== 'plain')
        notRendered.push(`${sourcePath(cwd, targetName(r.target))} (did not render)`);
      else
        for (const e of failed)
          notRendered.push(
            `${e.location ? sourcePath(cwd, e.location.file) : targetName(r.target)} (not read)`,
          );
      // helm template leaves the release namespace off namespaced objects: they land in it (and an
      // app definition's objects in its destination namespace).
      const ns = targetNamespace(r.target) ?? defaultNs;
      for (const manifest of r.manifests) out.push({ manifest, namespace: ns });
    }
  }
  const objects: Desired[] = [];
  const hooks: Desired[] = [];
  for (const d of out) {
    const { metadata } = d.manifest.object;
    // Objects Git does not name cannot be found in the cluster; generateName is the server's choice.
    if (typeof metadata.name !== 'string' || metadata.name === '') continue;
    const hook = hookOf(d.manifest.object);
    if (hook === 'skip') {
      hooks.push({ ...d, namespace: metadata.namespace ?? d.namespace });
      continue;
    }
    objects.push({
      ...d,
      namespace: metadata.namespace ?? d.namespace,
      ...(hook === 'keep' ? { hook: true } : {}),
    });
  }
  return { objects, hooks, notRendered };
}

/** `skip` a Helm hook that is not steady state, `keep` one Helm leaves in place, undefined for others. */
function hookOf(obj: KubeObject): 'skip' | 'keep' | undefined {
  const annotations = isRecord(obj.metadata.annotations) ? obj.metadata.annotations : {};
  const hooks = annotations['helm.sh/hook'];
  if (typeof hooks !== 'string' || hooks.trim() === '') return undefined;
  if (hooks.split(',').some((h) => h.trim().startsWith('test'))) return 'skip';
  const policy = annotations['helm.sh/hook-delete-policy'];
  return typeof policy === 'string' && policy.trim() !== '' ? 'skip' : 'keep';
}

interface Group {
  apiVersion: string;
  kind: string;
  namespace: string;
  objects: Desired[];
  /** Every object is a kept hook: nothing is missing when the group cannot be read. */
  hookOnly: boolean;
}

function groupByCollection(desired: readonly Desired[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const d of desired) {
    const { apiVersion, kind } = d.manifest.object;
    const key = `${apiVersion}|${kind}|${d.namespace}`;
    let g = groups.get(key);
    if (!g) {
      g = { apiVersion, kind, namespace: d.namespace, objects: [], hookOnly: true };
      groups.set(key, g);
    }
    g.objects.push(d);
    if (!d.hook) g.hookOnly = false;
  }
  return groups;
}

function scopeOf(g: Group): string {
  return `${g.apiVersion} ${g.kind} in ${g.namespace}`;
}

/**
 * How the lists of every kind Git declares merge: the API server's OpenAPI v3 documents, one
 * per group version Git uses, read once; the built-in table where one cannot be read.
 */
async function readSchemas(client: KubeClient, groups: Map<string, Group>): Promise<Schemas> {
  const versions = [...new Set([...groups.values()].map((g) => g.apiVersion))];
  const docs = new Map<string, OpenApiDocument>();
  try {
    await Promise.all(
      versions.map(async (v) => {
        try {
          docs.set(v, { doc: await client.openApi(v) });
        } catch (err) {
          if (err instanceof ClusterUnreachableError) throw err;
          // The index itself could not be read: no document will be, say so once.
          if (err instanceof KubeApiError && err.path === '/openapi/v3') throw err;
          docs.set(v, { error: (err as Error).message });
        }
      }),
    );
  } catch (err) {
    if (err instanceof ClusterUnreachableError) throw err;
    return builtInSchemas(`the server's /openapi/v3 could not be read: ${(err as Error).message}`);
  }
  return schemasFrom(docs);
}

async function compareGroup(
  g: Group,
  live: Live,
  drift: DriftConfig,
  report: DriftReport,
  dryRun: DryRun | undefined,
  schemas: Schemas,
  cwd: string,
): Promise<number> {
  let compared = 0;
  for (const { manifest: m, hook } of g.objects) {
    const found = live.items.get(m.object.metadata.name!);
    if (!found) {
      if (hook) continue;
      const missing: MissingItem = { object: { ...m.ref } };
      if (live.namespaced) missing.object.namespace = g.namespace;
      else delete missing.object.namespace;
      const source = locate(m, [], cwd);
      if (source) missing.source = source;
      report.missing.push(missing);
      continue;
    }
    compared++;
    collectObject(found); // the live object's secrets are masked in every output too
    const ns = live.namespaced ? g.namespace : undefined;
    const type = schemas.of(m.object.apiVersion, m.object.kind).root;
    const desired = (await dryRun?.normalize(live.resource, m.object, ns)) ?? m.object;
    report.drift.push(
      ...compareObject(desired, found, drift.policy, type, {
        locate: (segments) => locate(m, segments, cwd),
      }),
    );
  }
  return compared;
}

/**
 * Where a human edits a field: the values key, template line, patch or plain manifest line that
 * `check` points at too, as `file:line` relative to the repository (the working directory).
 */
function locate(m: Manifest, segments: readonly PathSegment[], cwd: string): string | undefined {
  try {
    const at = m.locateSource?.(segments) ?? m.locate(segments);
    return at.file ? `${sourcePath(cwd, at.file)}:${at.line}` : undefined;
  } catch {
    return m.file ? sourcePath(cwd, m.file) : undefined;
  }
}

function sourcePath(cwd: string, file: string): string {
  return relativeName(cwd, path.resolve(cwd, file));
}

/**
 * The optional server-side dry run. It needs `patch` on each kind (nothing is stored, but the API
 * server authorizes it as a write); where that is refused, one error says so and those objects
 * are compared without it.
 */
class DryRun {
  private readonly refused = new Set<string>();

  constructor(
    private readonly client: KubeClient,
    private readonly errors: DriftError[],
    private readonly schemas: Schemas,
  ) {}

  async normalize(
    resource: ResourceInfo,
    desired: KubeObject,
    ns: string | undefined,
  ): Promise<KubeObject | undefined> {
    const key = `${resource.plural}|${ns ?? ''}`;
    if (this.refused.has(key)) return undefined;
    try {
      const type = this.schemas.of(desired.apiVersion, desired.kind).root;
      return projectDeclared(desired, await this.client.dryRunApply(resource, desired, ns), type);
    } catch (err) {
      if (err instanceof ClusterUnreachableError) throw err;
      const where = ns ? ` in namespace ${ns}` : '';
      const scope = `${resource.apiVersion} ${resource.kind}${ns ? ` in ${ns}` : ''}`;
      if (err instanceof KubeApiError && err.status === 403) {
        this.refused.add(key);
        this.errors.push({
          scope,
          message: `server-side dry run refused: it needs patch on ${resource.plural}${where}; compared without it`,
        });
      } else {
        this.errors.push({
          scope,
          message: `server-side dry run of ${resource.kind} ${desired.metadata.name} failed: ${(err as Error).message}; compared without it`,
        });
      }
      return undefined;
    }
  }
}

/**
 * Where images are scanned and orphans looked for: the config's namespaces, else every namespace
 * Git's objects land in (and the Namespaces it declares).
 */
function scopeNamespaces(desired: readonly Desired[], drift: DriftConfig): string[] {
  if (drift.namespaces.length > 0) return [...drift.namespaces];
  const set = new Set<string>();
  for (const { manifest, namespace } of desired) {
    if (manifest.object.kind === 'Namespace') set.add(manifest.object.metadata.name!);
    else set.add(namespace);
  }
  return [...set].sort();
}

/**
 * Live objects no target declares and no controller owns, in the namespaces in scope, each with
 * the manager that created it: what someone made by hand (`kubectl create`, `run`, a dashboard).
 */
class Orphans {
  private readonly declared = new Set<string>();
  private readonly wanted = new Map<string, [string, string]>();
  private readonly namespaces: Set<string>;
  private readonly out = new Map<string, OrphanItem>();

  constructor(desired: readonly Desired[], namespaces: readonly string[]) {
    this.namespaces = new Set(namespaces);
    for (const { manifest, namespace } of desired) {
      const { apiVersion, kind, metadata } = manifest.object;
      this.declared.add(identity(apiVersion, kind, metadata.namespace ?? namespace, metadata.name!));
      if (kind !== 'Namespace') this.wanted.set(`${apiVersion}|${kind}`, [apiVersion, kind]);
    }
    for (const [apiVersion, kind] of ORPHAN_KINDS)
      this.wanted.set(`${apiVersion}|${kind}`, [apiVersion, kind]);
  }

  /** The kinds looked at: those Git declares, and those people create by hand. */
  kinds(): [string, string][] {
    return [...this.wanted.values()];
  }

  /** The kinds to list besides `listed` (those the image scan lists anyway). */
  kindsBeyond(listed: readonly [string, string][]): [string, string][] {
    const skip = new Set(listed.map(([a, k]) => `${a}|${k}`));
    return [...this.wanted.entries()].filter(([key]) => !skip.has(key)).map(([, kind]) => kind);
  }

  visit(obj: KubeObject): void {
    const { metadata } = obj;
    if (!this.wanted.has(`${obj.apiVersion}|${obj.kind}`)) return;
    if (!metadata.namespace || !this.namespaces.has(metadata.namespace)) return;
    if (Array.isArray(metadata.ownerReferences) && metadata.ownerReferences.length > 0) return;
    const name = metadata.name ?? '';
    if (this.declared.has(identity(obj.apiVersion, obj.kind, metadata.namespace, name))) return;
    if (madeByTheCluster(obj)) return;
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: metadata.namespace, name };
    const who = oldestWriter(obj);
    this.out.set(refKey(ref), {
      object: ref,
      manager: who?.manager ?? null,
      operation: who?.operation ?? null,
      time: who?.time ?? null,
    });
  }

  found(): OrphanItem[] {
    return [...this.out.values()];
  }
}

/** Group, kind, namespace and name: the same object whichever version Git names it by. */
function identity(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${group}|${kind}|${namespace ?? ''}|${name}`;
}

/** Objects every namespace gets without anyone asking: not Git's business, not orphans. */
function madeByTheCluster(obj: KubeObject): boolean {
  const { kind, metadata } = obj;
  const name = metadata.name;
  if (kind === 'ConfigMap' && name === 'kube-root-ca.crt') return true;
  if (kind === 'ServiceAccount' && name === 'default') return true;
  const type = (obj as { type?: unknown }).type;
  // Helm's own release records, and legacy service-account token Secrets.
  if (kind === 'Secret' && (type === 'helm.sh/release.v1' || type === 'kubernetes.io/service-account-token'))
    return true;
  if (kind === 'ConfigMap' && metadata.labels?.owner === 'helm' && metadata.labels?.status !== undefined)
    return true;
  return false;
}

/** A listed collection: its objects by name, and whether the kind is namespaced. */
interface Live {
  items: Map<string, KubeObject>;
  namespaced: boolean;
  resource: ResourceInfo;
}

/**
 * Lists by (kind, namespace): those Git's objects are compared with are fetched once and kept;
 * the rest (the image scan's pods, the orphan search) pass through page by page. Errors become
 * report lines; an unreachable cluster is rethrown to stop the run.
 */
class ListCache {
  private readonly lists = new Map<string, Promise<Live | undefined>>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly client: KubeClient,
    private readonly errors: DriftError[],
    private readonly wideFrom: number,
  ) {}

  /** Live objects by name; undefined (and an error reported) when they cannot be read. */
  list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    declared: number,
  ): Promise<Live | undefined> {
    const key = `${apiVersion}|${kind}|${namespace ?? '*'}`;
    let pending = this.lists.get(key);
    if (!pending) {
      pending = this.fetch(apiVersion, kind, namespace, declared);
      this.lists.set(key, pending);
    }
    return pending;
  }

  /**
   * Read a kind for many namespaces with one cluster-wide list (paged), split by namespace, when
   * the account may list it cluster-wide; otherwise (or on any failure) each namespace is listed
   * on its own as usual, and only those failures are reported.
   */
  prefetchWide(apiVersion: string, kind: string, declared: ReadonlyMap<string, number>): void {
    if (declared.size < this.wideFrom) return;
    const namespaces = [...declared.keys()];
    const wide = (async (): Promise<Map<string, Map<string, KubeObject>> | undefined> => {
      const resource = await this.client.resource(apiVersion, kind).catch((err) => {
        if (err instanceof ClusterUnreachableError) throw err;
        return undefined;
      });
      if (!resource?.namespaced) return undefined;
      const wanted = new Set(namespaces);
      const byNs = new Map<string, Map<string, KubeObject>>(namespaces.map((ns) => [ns, new Map()]));
      try {
        await this.client.listEach(resource, undefined, (o) => {
          const ns = o.metadata.namespace ?? '';
          if (wanted.has(ns)) byNs.get(ns)!.set(o.metadata.name ?? '', o);
        });
      } catch (err) {
        if (err instanceof ClusterUnreachableError) throw err;
        return undefined;
      }
      this.wideResources.set(`${apiVersion}|${kind}`, resource);
      return byNs;
    })();
    for (const ns of namespaces) {
      const key = `${apiVersion}|${kind}|${ns}`;
      if (this.lists.has(key)) continue;
      this.lists.set(
        key,
        wide.then((byNs) => {
          const resource = this.wideResources.get(`${apiVersion}|${kind}`);
          if (!byNs || !resource) return this.fetch(apiVersion, kind, ns, declared.get(ns) ?? 0);
          return { items: byNs.get(ns)!, namespaced: true, resource };
        }),
      );
    }
  }

  private readonly wideResources = new Map<string, ResourceInfo>();

  /** Forget the lists kept so far: later visits list again. */
  release(): void {
    this.lists.clear();
  }

  /**
   * Visit every live object of a kind in these namespaces (or everywhere, for `undefined`)
   * without keeping them: the kept lists where the comparison read them, one cluster-wide list
   * for many namespaces where the account may, else one list per namespace. Resolves to the
   * namespaces that could not be read.
   */
  async eachIn(
    apiVersion: string,
    kind: string,
    namespaces: readonly (string | undefined)[],
    visit: (obj: KubeObject) => void,
  ): Promise<(string | undefined)[]> {
    const kept = namespaces.every((ns) => this.lists.has(`${apiVersion}|${kind}|${ns ?? '*'}`));
    if (!kept && namespaces.length >= this.wideFrom && namespaces.every((ns) => ns !== undefined)) {
      const resource = await this.resource(apiVersion, kind, 0);
      if (resource === null) return [...namespaces];
      if (!resource?.namespaced) return [];
      const wanted = new Set(namespaces);
      let seen = 0;
      try {
        await this.client.listEach(resource, undefined, (o) => {
          seen++;
          if (o.metadata.namespace !== undefined && wanted.has(o.metadata.namespace)) visit(o);
        });
        return [];
      } catch (err) {
        if (err instanceof ClusterUnreachableError) throw err;
        // Refused cluster-wide (RBAC by namespace): list each namespace instead. A list that broke
        // off midway is not started again namespace by namespace: its objects were seen already.
        if (seen > 0) {
          this.listError(err, resource, undefined);
          return [undefined];
        }
      }
    }
    const failed: (string | undefined)[] = [];
    await Promise.all(
      namespaces.map(async (ns) => {
        if (!(await this.each(apiVersion, kind, ns, visit))) failed.push(ns);
      }),
    );
    return failed.sort();
  }

  /**
   * Visit every live object of a kind in a namespace (or everywhere) without keeping them, or
   * the kept list when the comparison already read it. False when they could not be read; a kind
   * the cluster does not serve has nothing to visit.
   */
  async each(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    visit: (obj: KubeObject) => void,
  ): Promise<boolean> {
    const kept = this.lists.get(`${apiVersion}|${kind}|${namespace ?? '*'}`);
    if (kept) {
      const live = await kept;
      if (live) for (const obj of live.items.values()) visit(obj);
      return live !== undefined;
    }
    const resource = await this.resource(apiVersion, kind, 0);
    if (resource === null) return false;
    // Not served, or cluster-scoped where a namespace's objects are asked for: nothing to visit.
    if (!resource || (!resource.namespaced && namespace !== undefined)) return true;
    const ns = namespace;
    try {
      await this.client.listEach(resource, ns, (obj) => {
        if (!ns || obj.metadata.namespace === ns) visit(obj);
      });
      return true;
    } catch (err) {
      this.listError(err, resource, ns);
      return false;
    }
  }

  /** The resource of a kind; undefined when not served (reported if Git declares some), null when discovery failed. */
  private async resource(
    apiVersion: string,
    kind: string,
    declared: number,
  ): Promise<ResourceInfo | undefined | null> {
    let resource: ResourceInfo | undefined;
    try {
      resource = await this.client.resource(apiVersion, kind);
    } catch (err) {
      if (err instanceof ClusterUnreachableError) throw err;
      this.error(`${apiVersion} ${kind}`, `discovery of ${apiVersion} failed: ${(err as Error).message}`);
      return null;
    }
    if (!resource && declared > 0) {
      this.error(
        `${apiVersion} ${kind}`,
        `${kind} (${apiVersion}) is not served by this cluster: ${plural(declared, 'object')} in Git not compared`,
      );
    }
    return resource;
  }

  private async fetch(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    declared: number,
  ): Promise<Live | undefined> {
    const resource = await this.resource(apiVersion, kind, declared);
    if (!resource) return undefined;
    // A cluster-scoped kind is one collection, whatever namespace its objects were grouped under.
    if (!resource.namespaced && namespace !== undefined)
      return this.list(apiVersion, kind, undefined, declared);
    const ns = namespace;
    try {
      const { items } = await this.client.list(resource, ns);
      // By name within one namespace (or for cluster-scoped kinds); by namespace/name across all.
      const keyOf = (o: KubeObject) =>
        resource.namespaced && !ns ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? '');
      const kept = items.filter((o) => !ns || o.metadata.namespace === ns);
      return { items: new Map(kept.map((o) => [keyOf(o), o])), namespaced: resource.namespaced, resource };
    } catch (err) {
      this.listError(err, resource, ns);
      return undefined;
    }
  }

  private listError(err: unknown, resource: ResourceInfo, ns: string | undefined): void {
    if (err instanceof ClusterUnreachableError) throw err;
    const where = ns ? ` in namespace ${ns}` : resource.namespaced ? ' in all namespaces' : '';
    const scope = `${resource.apiVersion} ${resource.kind}${ns ? ` in ${ns}` : ''}`;
    if (err instanceof KubeApiError && err.status === 403) {
      this.error(
        scope,
        `forbidden: cannot list ${resource.plural}${where}; grant get and list on it ` +
          `(examples/in-cluster/rbac.yaml has a read-only ClusterRole) (${err.message})`,
      );
    } else {
      this.error(scope, `cannot list ${resource.plural}${where}: ${(err as Error).message}`);
    }
  }

  private error(scope: string, message: string) {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.errors.push({ scope, message });
  }
}

function fail(result: DriftResult, err: unknown, started: number): DriftResult {
  const context = result.context && result.context !== 'in-cluster' ? ` (context "${result.context}")` : '';
  let message: string;
  if (err instanceof KubeAuthError) {
    message =
      `${err.message}${context}: the token may have expired, or the kubeconfig may be for another ` +
      'cluster; check the kubeconfig and its context (inside a pod: the service account and its token)';
  } else if (err instanceof DeadlineError) {
    message = `${err.message}; raise drift.deadlineSeconds (--timeout) if the cluster is only large`;
  } else if (err instanceof ClusterUnreachableError && /did not answer/.test(err.message)) {
    message = `${err.message}; raise drift.requestTimeoutSeconds (--request-timeout) if it is only slow`;
  } else if (err instanceof ClusterUnreachableError || err instanceof KubeConfigError) {
    message = (err as Error).message;
  } else {
    message = `drift run failed: ${(err as Error).message.split('\n')[0]}`;
  }
  result.fatal = message;
  result.report.errors.push({ message });
  result.report.coverage = { status: 'none', notCompared: ['the cluster (not read)'] };
  result.stats.millis = Date.now() - started;
  return result;
}

function sortReport(report: DriftReport): void {
  const byObject = (a: { object: DriftItem['object'] }, b: { object: DriftItem['object'] }) =>
    refKey(a.object).localeCompare(refKey(b.object));
  // Stable sorts keep each object's fields in the order they were walked (the manifest's order).
  report.drift.sort(byObject);
  report.missing.sort(byObject);
  report.orphans?.sort(byObject);
  report.images.sort(
    (a, b) => byObject(a, b) || a.container.localeCompare(b.container) || a.kind.localeCompare(b.kind),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export type { DriftCoverage };
