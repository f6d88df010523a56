import { type Limit, limiter } from '../model/concurrency.js';
import { exponentialMs, jitter, retry, sleep } from '../model/retry.js';
import { isRecord, type KubeObject } from '../model/types.js';
import {
  ClusterUnreachableError,
  DeadlineError,
  isNetworkError,
  KubeApiError,
  KubeAuthError,
  networkReason,
} from './errors.js';
import { formatMs, type KubeResponse, RequestTimeoutError, type Transport } from './transport.js';

/**
 * Reads from a cluster: discovery of kinds and scopes (CRDs included, one group version at a
 * time and only those asked for), the OpenAPI v3 documents of those group versions (how their
 * lists merge), lists paged with `limit`/`continue`, bounded concurrency, and backoff on 429 and
 * 5xx. Only GET. Every request is bounded in time, and so is the whole run: an API server that
 * accepts connections and never answers costs one request timeout, not the afternoon.
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
  /** Give up on one request after this long (default 30 s). A timed-out request is not retried. */
  requestTimeoutMs?: number;
  /** Give up on the whole run after this long from the client's creation (default 10 min). */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_DEADLINE_MS = 10 * 60_000;

export interface ListResult {
  items: KubeObject[];
  /** Requests made, for the benchmark and the tests. */
  pages: number;
  /** The continue token expired mid-list and the list started again. */
  restarted: boolean;
}

export class KubeClient {
  private readonly limit: Limit;
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();
  private openApiIndex?: Promise<Map<string, string>>;
  private readonly openApiDocs = new Map<string, Promise<unknown>>();
  private readonly pageSize: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  readonly requestTimeoutMs: number;
  readonly deadlineMs: number;
  private readonly deadlineAt: number;
  requests = 0;

  constructor(
    readonly transport: Transport,
    options: ClientOptions = {},
  ) {
    this.limit = limiter(options.concurrency ?? 6);
    this.pageSize = options.pageSize ?? 500;
    this.attempts = options.attempts ?? 5;
    this.backoffMs = options.backoffMs ?? 200;
    this.sleep = options.sleep ?? sleep;
    this.now = options.now ?? Date.now;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.deadlineAt = this.now() + this.deadlineMs;
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

  /**
   * The OpenAPI v3 document of a group version (`/openapi/v3/apis/apps/v1`): how its kinds'
   * lists merge, for built-in kinds and CRDs alike. The index (`/openapi/v3`) is read once; each
   * document once, by the URL the index gives (it carries the document's hash). Rejects with the
   * reason when the server has no such document or will not give it.
   */
  openApi(apiVersion: string): Promise<unknown> {
    let pending = this.openApiDocs.get(apiVersion);
    if (!pending) {
      pending = this.fetchOpenApi(apiVersion);
      this.openApiDocs.set(apiVersion, pending);
    }
    return pending;
  }

  private async fetchOpenApi(apiVersion: string): Promise<unknown> {
    this.openApiIndex ??= this.request('/openapi/v3').then((res) => {
      const paths = isRecord(res.body) && isRecord(res.body.paths) ? res.body.paths : {};
      const out = new Map<string, string>();
      for (const [gv, entry] of Object.entries(paths))
        if (isRecord(entry) && typeof entry.serverRelativeURL === 'string')
          out.set(gv, entry.serverRelativeURL);
      return out;
    });
    const index = await this.openApiIndex;
    const key = apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`;
    const url = index.get(key);
    if (!url) throw new Error(`the server's /openapi/v3 lists no ${key}`);
    return (await this.request(url)).body;
  }

  /** Every object of a resource (in one namespace, or everywhere), page by page. */
  async list(resource: ResourceInfo, namespace?: string): Promise<ListResult> {
    const items: KubeObject[] = [];
    const { pages, restarted } = await this.listEach(resource, namespace, (obj) => items.push(obj));
    return { items, pages, restarted };
  }

  /**
   * Every object of a resource, handed to `visit` page by page and not kept: for the image scan
   * of tens of thousands of pods, whose memory must not grow with the cluster.
   */
  async listEach(
    resource: ResourceInfo,
    namespace: string | undefined,
    visit: (obj: KubeObject) => void,
  ): Promise<Omit<ListResult, 'items'>> {
    const path = collectionPath(resource, namespace);
    const seen = new Set<string>();
    const page = (token: string | undefined) => {
      const pending = this.withRetries(path, (timeoutMs) =>
        this.transport.get(path, { limit: this.pageSize, continue: token }, { timeoutMs, raw: true }),
      );
      pending.catch(() => {}); // awaited below; a failure is handled there, not reported as unhandled
      return pending;
    };
    let token: string | undefined;
    let pages = 0;
    let restarts = 0;
    let next: Promise<KubeResponse> | undefined = page(undefined);
    while (next) {
      let res: KubeResponse;
      try {
        res = await next;
      } catch (err) {
        // 410 Gone: the continue token expired (etcd compacted past it). The server may offer a
        // fresh token that carries on from where we were; otherwise start again and keep what we
        // have, by uid, so that nothing is counted twice.
        if (err instanceof KubeApiError && err.status === 410 && token !== undefined && restarts < 3) {
          token = err.continueToken;
          restarts++;
          next = page(token);
          continue;
        }
        throw err;
      }
      pages++;
      // The next page's token comes first in the answer (metadata before items): ask for the next
      // page now, and parse this one while the server prepares it.
      const early = res.text === undefined ? undefined : continueAtHead(res.text);
      next = early ? page(early) : undefined;
      const body = res.text === undefined ? res.body : parseJson(res.text);
      const list = isRecord(body) ? body : {};
      for (const item of Array.isArray(list.items) ? list.items : []) {
        if (!isRecord(item)) continue;
        const obj = withTypeMeta(item, resource);
        const uid =
          typeof obj.metadata.uid === 'string'
            ? obj.metadata.uid
            : `${obj.metadata.namespace}/${obj.metadata.name}`;
        // A list started over after an expired token sees some objects again: once each.
        if (seen.has(uid)) continue;
        seen.add(uid);
        visit(obj);
      }
      const meta = isRecord(list.metadata) ? list.metadata : {};
      token = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
      if (token !== early) next = token ? page(token) : undefined;
    }
    return { pages, restarted: restarts > 0 };
  }

  /** One GET with bounded concurrency and retries; errors as KubeApiError or ClusterUnreachableError. */
  async request(path: string, query?: Record<string, string | number | undefined>): Promise<KubeResponse> {
    return this.withRetries(path, (timeoutMs) => this.transport.get(path, query, { timeoutMs }));
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
    const res = await this.withRetries(path, (timeoutMs) =>
      apply.call(this.transport, path, body, DRY_RUN_MANAGER, { timeoutMs }),
    );
    return withTypeMeta(isRecord(res.body) ? res.body : {}, resource);
  }

  /**
   * One call with bounded concurrency, time and retries (429 and 5xx, honouring Retry-After; a
   * dropped connection up to three times; never a request that timed out); errors as
   * KubeApiError, or as ClusterUnreachableError (and its kinds: KubeAuthError, DeadlineError)
   * that end the run.
   */
  private async withRetries(
    path: string,
    call: (timeoutMs: number) => Promise<KubeResponse>,
  ): Promise<KubeResponse> {
    const once = async () => {
      this.requests++;
      const res = await this.limit(() => {
        const left = this.deadlineAt - this.now();
        if (left <= 0) throw this.deadlineError();
        return call(Math.min(this.requestTimeoutMs, left));
      });
      if (res.status >= 200 && res.status < 300) return res;
      if (res.status === 401) {
        throw new KubeAuthError(
          `the cluster at ${this.transport.server} refused the credentials (401 Unauthorized)`,
        );
      }
      throw apiError(res, path);
    };
    try {
      return await retry(once, {
        delayMs: (err, attempt) => {
          if (err instanceof KubeApiError && (err.status === 429 || err.status >= 500))
            return attempt < this.attempts ? (err.retryAfterMs ?? this.delay(attempt)) : undefined;
          if (err instanceof RequestTimeoutError) return undefined;
          if (isNetworkError(err) && attempt < Math.min(this.attempts, 3)) return this.delay(attempt);
          return undefined;
        },
        sleep: (ms) => this.pause(ms),
      });
    } catch (err) {
      if (err instanceof KubeApiError || err instanceof ClusterUnreachableError) throw err;
      if (err instanceof RequestTimeoutError) {
        // Bounded by the deadline rather than the request timeout: say which one ran out.
        if (err.timeoutMs < this.requestTimeoutMs) throw this.deadlineError();
        throw new ClusterUnreachableError(
          `the cluster at ${this.transport.server} did not answer GET ${path.split('?')[0]} within ${formatMs(err.timeoutMs)}`,
        );
      }
      throw new ClusterUnreachableError(
        `cannot reach the cluster at ${this.transport.server}: ${networkReason(err)}`,
      );
    }
  }

  /** Sleep, but never past the deadline. */
  private async pause(ms: number): Promise<void> {
    const left = this.deadlineAt - this.now();
    if (ms >= left) throw this.deadlineError();
    await this.sleep(ms);
  }

  private deadlineError(): DeadlineError {
    return new DeadlineError(
      `the run against ${this.transport.server} did not finish within its deadline of ${formatMs(this.deadlineMs)}`,
    );
  }

  private delay(attempt: number): number {
    return jitter(exponentialMs(attempt, this.backoffMs, 10_000));
  }
}

/** The list's continue token, read from the head of its text (before `"items"`), if it is there. */
export function continueAtHead(text: string): string | undefined {
  const head = text.slice(0, 4096);
  const items = head.indexOf('"items"');
  const m = /"continue":"([^"\\]+)"/.exec(items < 0 ? head : head.slice(0, items));
  return m?.[1];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function apiError(res: KubeResponse, path: string): KubeApiError {
  const body = isRecord(res.body) ? res.body : {};
  const reason = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
  const err = new KubeApiError(res.status, path, reason);
  if (res.retryAfter !== undefined) err.retryAfterMs = res.retryAfter * 1000;
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
