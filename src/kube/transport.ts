import http from 'node:http';
import https from 'node:https';

/**
 * The one door to the API server. `get` is all the drift job needs. `dryRunApply` exists only
 * for the optional server-side dry-run comparison, and it cannot write: it always sends
 * `dryRun=All`, which the API server answers without persisting anything. Tests put a fake behind
 * the same interface.
 */

export interface KubeResponse {
  status: number;
  /** The parsed answer; left to the caller (undefined) for a successful `raw` request. */
  body: unknown;
  /** The answer's text, for a `raw` request. */
  text?: string;
  /** Seconds from a `Retry-After` header (429, 503), when the server sent one. */
  retryAfter?: number;
}

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  /** Give up on the request (connection, headers and body) after this many milliseconds. */
  timeoutMs?: number;
  /** Hand a successful answer back as text, unparsed (errors are parsed as always). */
  raw?: boolean;
}

export interface Transport {
  /** The server URL, for messages. */
  readonly server: string;
  get(path: string, query?: Query, options?: RequestOptions): Promise<KubeResponse>;
  /** Server-side apply of `body` to `path` with `dryRun=All`: what the object would become. */
  dryRunApply?(
    path: string,
    body: unknown,
    fieldManager: string,
    options?: RequestOptions,
  ): Promise<KubeResponse>;
}

/** A request that got no complete answer within its time: an API server that accepts and never answers. */
export class RequestTimeoutError extends Error {
  readonly code = 'ESHIPSHAPE_TIMEOUT';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${formatMs(timeoutMs)}`);
    this.name = 'RequestTimeoutError';
  }
}

export function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Request options (TLS material, Authorization) for each request, fresh so that tokens can rotate. */
export type OptionsProvider = () => Promise<https.RequestOptions>;

/** `proxyUrl`: an http:// or https:// proxy every request goes through (Node's own proxy support). */
export function httpTransport(
  server: string,
  options: OptionsProvider,
  defaultTimeoutMs = 30_000,
  proxyUrl?: string,
): Transport {
  const base = new URL(server);
  const client = base.protocol === 'http:' ? http : https;
  const prefix = base.pathname.replace(/\/$/, '');
  // One TLS handshake per connection, not per request: hundreds of lists reuse a few sockets.
  const agent = new client.Agent({
    keepAlive: true,
    maxSockets: 8,
    ...(proxyUrl ? { proxyEnv: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl } } : {}),
  });

  const send = async (
    method: 'GET' | 'PATCH',
    path: string,
    query: Query | undefined,
    timeoutMs: number,
    body?: string,
    type?: string,
    raw = false,
  ) => {
    const opts = await options();
    return new Promise<KubeResponse>((resolve, reject) => {
      const headers: Record<string, string | number> = {
        ...(opts.headers as Record<string, string>),
        Accept: 'application/json',
      };
      if (body !== undefined) {
        headers['Content-Type'] = type ?? 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const req = client.request(
        {
          agent,
          ...opts,
          method,
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port || undefined,
          path: prefix + withQuery(path, query),
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            const retry = Number(res.headers['retry-after']);
            const status = res.statusCode ?? 0;
            const ok = status >= 200 && status < 300;
            resolve({
              status,
              body: raw && ok ? undefined : parseBody(text),
              ...(raw && ok ? { text } : {}),
              retryAfter: Number.isFinite(retry) ? retry : undefined,
            });
          });
        },
      );
      // The whole exchange is bounded, not only the idle socket: a server that accepts the
      // connection and never answers (or answers a byte a minute) is given up on in time.
      const timer = setTimeout(() => req.destroy(new RequestTimeoutError(timeoutMs)), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  };

  return {
    server,
    get: (path, query, o) =>
      send('GET', path, query, o?.timeoutMs ?? defaultTimeoutMs, undefined, undefined, o?.raw),
    dryRunApply: (path, body, fieldManager, o) =>
      send(
        'PATCH',
        path,
        // dryRun=All is not optional: without it this would be a write, and shipshape never writes.
        { dryRun: 'All', fieldManager, force: 'true' },
        o?.timeoutMs ?? defaultTimeoutMs,
        JSON.stringify(body),
        'application/apply-patch+yaml',
      ),
  };
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
