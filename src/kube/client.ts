import { isRecord, type KubeObject } from '../model/types.js';
import { ClusterUnreachableError, isNetworkError, KubeApiError, networkReason } from './errors.js';
import type { KubeResponse, Transport } from './transport.js';

/**
 * Reads from a cluster: discovery of kinds and scopes (CRDs included, one group version at a
 * time and only those asked for), lists paged with `limit`/`continue`, bounded concurrency, and
 * backoff on 429 and 5xx. Only GET.
 */

export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  /** The URL name: `deployments`. */
  plural: string;
  namespaced: boolean;
  verbs: string[];
}

/** The field manager of dry-run applies; never recorded, since nothing is stored. */
export const DRY_RUN_MANAGER = 'shipshape-dry-run';

export interface ClientOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  /** Items per page. */
  pageSize?: number;
  /** Attempts for a request that meets 429, 5xx or a dropped connection. */
  attempts?: number;
  /** First backoff in milliseconds; doubles each attempt, capped at 10 s, with jitter. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ListResult {
  items: KubeObject[];
  /** Requests made, for the benchmark and the tests. */
  pages: number;
  /** The continue token expired mid-list and the list started again. */
  restarted: boolean;
}

export class KubeClient {
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();
  private readonly pageSize: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  requests = 0;

  constructor(
    readonly transport: Transport,
    options: ClientOptions = {},
  ) {
    this.limit = limiter(options.concurrency ?? 6);
    this.pageSize = options.pageSize ?? 500;
    this.attempts = options.attempts ?? 5;
    this.backoffMs = options.backoffMs ?? 200;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Check that the server answers at all: one clear error when it does not. */
  async version(): Promise<string> {
    const res = await this.request('/version');
    const body = res.body;
    return isRecord(body) && typeof body.gitVersion === 'string' ? body.gitVersion : 'unknown';
  }

  /** The resource for a kind, or undefined when the cluster does not serve it (a CRD not installed). */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let pending = this.discovery.get(apiVersion);
    if (!pending) {
      pending = this.discoverGroupVersion(apiVersion);
      this.discovery.set(apiVersion, pending);
    }
    return (await pending)?.get(kind);
  }

  private async discoverGroupVersion(apiVersion: string): Promise<Map<string, ResourceInfo> | undefined> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let res: KubeResponse;
    try {
      res = await this.request(path);
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
    const kinds = new Map<string, ResourceInfo>();
    const resources = isRecord(res.body) && Array.isArray(res.body.resources) ? res.body.resources : [];
    for (const r of resources) {
      // Subresources (`deployments/scale`) share the kind; keep the main resource.
      if (!isRecord(r) || typeof r.name !== 'string' || r.name.includes('/') || typeof r.kind !== 'string')
        continue;
      kinds.set(r.kind, {
        apiVersion,
        kind: r.kind,
        plural: r.name,
        namespaced: r.namespaced === true,
        verbs: Array.isArray(r.verbs) ? r.verbs.map(String) : [],
      });
    }
    return kinds;
  }

  /** Every object of a resource (in one namespace, or everywhere), page by page. */
  async list(resource: ResourceInfo, namespace?: string): Promise<ListResult> {
    const path = collectionPath(resource, namespace);
    const byUid = new Map<string, KubeObject>();
    let token: string | undefined;
    let pages = 0;
    let restarts = 0;
    for (;;) {
      let res: KubeResponse;
      try {
        res = await this.request(path, { limit: this.pageSize, continue: token });
      } catch (err) {
        // 410 Gone: the continue token expired (etcd compacted past it). The server may offer a
        // fresh token that carries on from where we were; otherwise start again and keep what we
        // have, by uid, so that nothing is counted twice.
        if (err instanceof KubeApiError && err.status === 410 && token !== undefined && restarts < 3) {
          token = err.continueToken;
          restarts++;
          continue;
        }
        throw err;
      }
      pages++;
      const body = isRecord(res.body) ? res.body : {};
      for (const item of Array.isArray(body.items) ? body.items : []) {
        if (!isRecord(item)) continue;
        const obj = withTypeMeta(item, resource);
        const uid =
          typeof obj.metadata.uid === 'string'
            ? obj.metadata.uid
            : `${obj.metadata.namespace}/${obj.metadata.name}`;
        byUid.set(uid, obj);
      }
      const meta = isRecord(body.metadata) ? body.metadata : {};
      token = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
      if (!token) break;
    }
    return { items: [...byUid.values()], pages, restarted: restarts > 0 };
  }

  /** One GET with bounded concurrency and retries; errors as KubeApiError or ClusterUnreachableError. */
  async request(path: string, query?: Record<string, string | number | undefined>): Promise<KubeResponse> {
    return this.withRetries(path, () => this.transport.get(path, query));
  }

  /**
   * What the API server would make of `desired` if it were applied (server-side apply with
   * `dryRun=All`: nothing is stored). Needs `patch` permission on the resource; a 403 is thrown
   * as a KubeApiError like any other refusal.
   */
  async dryRunApply(resource: ResourceInfo, desired: KubeObject, namespace?: string): Promise<KubeObject> {
    const apply = this.transport.dryRunApply;
    if (!apply) throw new Error('this transport cannot do a server-side dry run');
    const name = encodeURIComponent(desired.metadata.name ?? '');
    const path = `${collectionPath(resource, namespace)}/${name}`;
    const body = {
      ...desired,
      metadata: { ...desired.metadata, ...(resource.namespaced ? { namespace } : {}) },
    };
    const res = await this.withRetries(path, () => apply.call(this.transport, path, body, DRY_RUN_MANAGER));
    return withTypeMeta(isRecord(res.body) ? res.body : {}, resource);
  }

  /** One call with bounded concurrency and retries; errors as KubeApiError or ClusterUnreachableError. */
  private async withRetries(path: string, call: () => Promise<KubeResponse>): Promise<KubeResponse> {
    for (let attempt = 1; ; attempt++) {
      let res: KubeResponse;
      try {
        this.requests++;
        res = await this.limit(call);
      } catch (err) {
        if (isNetworkError(err) && attempt < Math.min(this.attempts, 3)) {
          await this.sleep(this.delay(attempt));
          continue;
        }
        throw new ClusterUnreachableError(
          `cannot reach the cluster at ${this.transport.server}: ${networkReason(err)}`,
        );
      }
      if (res.status >= 200 && res.status < 300) return res;
      const retryable = res.status === 429 || res.status >= 500;
      if (retryable && attempt < this.attempts) {
        await this.sleep(res.retryAfter !== undefined ? res.retryAfter * 1000 : this.delay(attempt));
        continue;
      }
      throw apiError(res, path);
    }
  }

  private delay(attempt: number): number {
    const base = Math.min(10_000, this.backoffMs * 2 ** (attempt - 1));
    return base / 2 + Math.random() * (base / 2);
  }
}

function apiError(res: KubeResponse, path: string): KubeApiError {
  const body = isRecord(res.body) ? res.body : {};
  const reason = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
  const err = new KubeApiError(res.status, path, reason);
  const meta = isRecord(body.metadata) ? body.metadata : {};
  if (typeof meta.continue === 'string' && meta.continue) err.continueToken = meta.continue;
  return err;
}

export function collectionPath(resource: ResourceInfo, namespace?: string): string {
  const base = resource.apiVersion.includes('/')
    ? `/apis/${resource.apiVersion}`
    : `/api/${resource.apiVersion}`;
  return resource.namespaced && namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
    : `${base}/${resource.plural}`;
}

/** List items come without apiVersion and kind; put them back so that items stand alone. */
function withTypeMeta(item: Record<string, unknown>, resource: ResourceInfo): KubeObject {
  const obj = item as KubeObject;
  obj.apiVersion = resource.apiVersion;
  obj.kind = resource.kind;
  if (!isRecord(obj.metadata)) obj.metadata = {};
  return obj;
}

/** At most `n` tasks at once; the rest wait in order. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (active >= n) return;
    const run = queue.shift();
    if (run) {
      active++;
      run();
    }
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
}
