import { type Config, defaultConfig } from '../config.js';
import { compareObject } from '../drift/compare.js';
import type { DriftConfig } from '../drift/config.js';
import { projectDeclared } from '../drift/dry-run.js';
import { scanImages } from '../drift/images.js';
import type { DriftError, DriftItem, DriftReport, MissingItem } from '../drift/types.js';
import type { KubeClient, ResourceInfo } from '../kube/client.js';
import type { Connection, ConnectOptions } from '../kube/connect.js';
import { ClusterUnreachableError, KubeApiError, KubeConfigError } from '../kube/errors.js';
import type { Manifest } from '../load/yaml.js';
import type { InputError, KubeObject } from '../model/types.js';
import { refKey } from '../model/types.js';
import { resolveTargets } from '../render/config.js';
import { runRender } from './render.js';

/**
 * The drift job: Git's objects -> the same objects read from the cluster -> drift with
 * attribution, missing objects, and the images the cluster runs. Read-only: only `get` and
 * `list`. A kind the cluster does not serve or the account may not list is an error in the
 * report and the run goes on; a cluster that does not answer ends the run with one line.
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
  /** Injectable for tests: how to reach the cluster. */
  connect?: (options: ConnectOptions) => Promise<Connection>;
  connectOptions?: Omit<ConnectOptions, 'kubeconfig' | 'context'>;
}

export interface DriftResult {
  report: DriftReport;
  /** Problems reading Git's side (bad YAML, a missing file). */
  inputErrors: InputError[];
  /** Set when the run could not read the cluster at all: one line, no stack. */
  fatal?: string;
  context?: string;
  server?: string;
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

export async function runDriftJob(settings: DriftSettings): Promise<DriftResult> {
  const started = Date.now();
  const config = settings.config ?? defaultConfig(settings.cwd);
  const drift = config.drift as DriftConfig;
  const report: DriftReport = { version: 1, drift: [], missing: [], images: [], errors: [] };
  const result: DriftResult = {
    report,
    inputErrors: [],
    stats: { objects: 0, compared: 0, requests: 0, millis: 0 },
  };

  const desired = await desiredObjects(settings, config, result.inputErrors);
  result.stats.objects = desired.length;
  // A chart that failed to render leaves its objects out of the comparison: the report must say so.
  for (const e of result.inputErrors) {
    if (e.level !== 'error') continue;
    const at = e.location ? `${e.location.file}:${e.location.line}` : undefined;
    report.errors.push(at ? { scope: at, message: `${at}: ${e.message}` } : { message: e.message });
  }

  let conn: Connection;
  try {
    const connect = settings.connect ?? (await import('../kube/connect.js')).connect;
    conn = await connect({
      ...settings.connectOptions,
      kubeconfig: settings.kubeconfig,
      context: settings.context,
    });
    result.context = conn.context;
    result.server = conn.server;
    report.cluster = conn.context;
    await conn.client.version(); // one clear line now rather than one per kind later
  } catch (err) {
    return fail(result, err, started);
  }

  const reader = new ListCache(conn.client, report.errors);
  try {
    const groups = groupByCollection(desired);
    const dryRun =
      (settings.serverSideDryRun ?? drift.serverSideDryRun)
        ? new DryRun(conn.client, report.errors)
        : undefined;
    await Promise.all(
      [...groups.values()].map(async (g) => {
        const live = await reader.list(g.apiVersion, g.kind, g.namespace, g.objects.length);
        if (live) result.stats.compared += await compareGroup(g, live, drift, report, dryRun);
      }),
    );

    const namespaces =
      drift.allNamespaces || settings.allNamespaces ? undefined : imageNamespaces(desired, drift);
    const workloads = (
      await Promise.all(
        IMAGE_KINDS.flatMap(([apiVersion, kind]) =>
          (namespaces ?? [undefined]).map((ns) => reader.list(apiVersion, kind, ns, 0, true)),
        ),
      )
    ).flatMap((list) => (list ? [...list.items.values()] : []));
    report.images = scanImages({
      live: workloads,
      desired: desired.map((d) => d.manifest.object),
      debugTagPatterns: config.images.debugTagPatterns,
    });
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
}

/**
 * What Git declares: the targets under `paths` (charts, overlays, plain folders) rendered the way
 * the pull-request job renders them, or the config's `targets:` when no path is given.
 */
async function desiredObjects(
  settings: DriftSettings,
  config: Config,
  errors: InputError[],
): Promise<Desired[]> {
  const defaultNs = settings.namespace ?? 'default';
  const out: Desired[] = (settings.desired ?? []).map((manifest) => ({ manifest, namespace: defaultNs }));
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
    });
    errors.push(...rendered.errors);
    for (const r of rendered.results) {
      errors.push(...r.errors);
      // helm template leaves the release namespace off namespaced objects: they land in it.
      const ns = r.target.kind === 'helm' ? r.target.namespace : defaultNs;
      for (const manifest of r.manifests) out.push({ manifest, namespace: ns });
    }
  }
  // Objects Git does not name cannot be found in the cluster; generateName is the server's choice.
  return out
    .filter(
      (d) => typeof d.manifest.object.metadata.name === 'string' && d.manifest.object.metadata.name !== '',
    )
    .map((d) => ({ ...d, namespace: d.manifest.object.metadata.namespace ?? d.namespace }));
}

interface Group {
  apiVersion: string;
  kind: string;
  namespace: string;
  objects: Manifest[];
}

function groupByCollection(desired: readonly Desired[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const { manifest, namespace } of desired) {
    const { apiVersion, kind } = manifest.object;
    const key = `${apiVersion}|${kind}|${namespace}`;
    let g = groups.get(key);
    if (!g) {
      g = { apiVersion, kind, namespace, objects: [] };
      groups.set(key, g);
    }
    g.objects.push(manifest);
  }
  return groups;
}

async function compareGroup(
  g: Group,
  live: Live,
  drift: DriftConfig,
  report: DriftReport,
  dryRun: DryRun | undefined,
): Promise<number> {
  let compared = 0;
  for (const m of g.objects) {
    const found = live.items.get(m.object.metadata.name!);
    if (!found) {
      const missing: MissingItem = { object: { ...m.ref } };
      if (live.namespaced) missing.object.namespace = g.namespace;
      else delete missing.object.namespace;
      if (m.file) missing.source = `${m.file}:${m.locate([]).line}`;
      report.missing.push(missing);
      continue;
    }
    compared++;
    const ns = live.namespaced ? g.namespace : undefined;
    const desired = (await dryRun?.normalize(live.resource, m.object, ns)) ?? m.object;
    report.drift.push(...compareObject(desired, found, drift.policy));
  }
  return compared;
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
  ) {}

  async normalize(
    resource: ResourceInfo,
    desired: KubeObject,
    ns: string | undefined,
  ): Promise<KubeObject | undefined> {
    const key = `${resource.plural}|${ns ?? ''}`;
    if (this.refused.has(key)) return undefined;
    try {
      return projectDeclared(desired, await this.client.dryRunApply(resource, desired, ns));
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

function imageNamespaces(desired: readonly Desired[], drift: DriftConfig): string[] {
  if (drift.namespaces.length > 0) return [...drift.namespaces];
  const set = new Set<string>();
  for (const { manifest, namespace } of desired) {
    if (manifest.object.kind === 'Namespace') set.add(manifest.object.metadata.name!);
    else set.add(namespace);
  }
  return [...set].sort();
}

/** A listed collection: its objects by name, and whether the kind is namespaced. */
interface Live {
  items: Map<string, KubeObject>;
  namespaced: boolean;
  resource: ResourceInfo;
}

/**
 * Lists by (kind, namespace), each fetched once and shared by the comparison and the image scan.
 * Errors become report lines; an unreachable cluster is rethrown to stop the run.
 */
class ListCache {
  private readonly lists = new Map<string, Promise<Live | undefined>>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly client: KubeClient,
    private readonly errors: DriftError[],
  ) {}

  /** Live objects by name; undefined (and an error reported) when they cannot be read. */
  list(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    declared: number,
    quiet = false,
  ): Promise<Live | undefined> {
    const key = `${apiVersion}|${kind}|${namespace ?? '*'}`;
    let pending = this.lists.get(key);
    if (!pending) {
      pending = this.fetch(apiVersion, kind, namespace, declared, quiet);
      this.lists.set(key, pending);
    }
    return pending;
  }

  private async fetch(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    declared: number,
    quiet: boolean,
  ): Promise<Live | undefined> {
    let resource: ResourceInfo | undefined;
    try {
      resource = await this.client.resource(apiVersion, kind);
    } catch (err) {
      if (err instanceof ClusterUnreachableError) throw err;
      this.error(`${apiVersion} ${kind}`, `discovery of ${apiVersion} failed: ${(err as Error).message}`);
      return undefined;
    }
    if (!resource) {
      if (!quiet) {
        this.error(
          `${apiVersion} ${kind}`,
          `${kind} (${apiVersion}) is not served by this cluster: ${declared} object${declared === 1 ? '' : 's'} in Git not compared`,
        );
      }
      return undefined;
    }
    // A cluster-scoped kind is one collection, whatever namespace its objects were grouped under.
    if (!resource.namespaced && namespace !== undefined)
      return this.list(apiVersion, kind, undefined, declared, quiet);
    const ns = namespace;
    try {
      const { items } = await this.client.list(resource, ns);
      // By name within one namespace (or for cluster-scoped kinds); by namespace/name across all.
      const keyOf = (o: KubeObject) =>
        resource.namespaced && !ns ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? '');
      const kept = items.filter((o) => !ns || o.metadata.namespace === ns);
      return { items: new Map(kept.map((o) => [keyOf(o), o])), namespaced: resource.namespaced, resource };
    } catch (err) {
      if (err instanceof ClusterUnreachableError) throw err;
      const where = ns ? ` in namespace ${ns}` : resource.namespaced ? ' in all namespaces' : '';
      const scope = `${apiVersion} ${kind}${ns ? ` in ${ns}` : ''}`;
      if (err instanceof KubeApiError && err.status === 403) {
        this.error(
          scope,
          `forbidden: cannot list ${resource.plural}${where}; grant get and list on it (${err.message})`,
        );
      } else {
        this.error(scope, `cannot list ${resource.plural}${where}: ${(err as Error).message}`);
      }
      return undefined;
    }
  }

  private error(scope: string, message: string) {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.errors.push({ scope, message });
  }
}

function fail(result: DriftResult, err: unknown, started: number): DriftResult {
  const known = err instanceof ClusterUnreachableError || err instanceof KubeConfigError;
  result.fatal = known
    ? (err as Error).message
    : `drift run failed: ${(err as Error).message.split('\n')[0]}`;
  result.report.errors.push({ message: result.fatal });
  result.stats.millis = Date.now() - started;
  return result;
}

function sortReport(report: DriftReport): void {
  const byObject = (a: { object: DriftItem['object'] }, b: { object: DriftItem['object'] }) =>
    refKey(a.object).localeCompare(refKey(b.object));
  // Stable sorts keep each object's fields in the order they were walked (the manifest's order).
  report.drift.sort(byObject);
  report.missing.sort(byObject);
  report.images.sort(
    (a, b) => byObject(a, b) || a.container.localeCompare(b.container) || a.kind.localeCompare(b.kind),
  );
}
