import http from 'node:http';
import https from 'node:https';

/**
 * The one door to the API server: GET a path, get back the status and parsed JSON. Read-only by
 * construction: there is no other verb. Tests put a fake behind the same interface.
 */

export interface KubeResponse {
  status: number;
  body: unknown;
  /** Seconds from a `Retry-After` header (429, 503), when the server sent one. */
  retryAfter?: number;
}

export interface Transport {
  /** The server URL, for messages. */
  readonly server: string;
  get(path: string, query?: Record<string, string | number | undefined>): Promise<KubeResponse>;
}

export function withQuery(path: string, query?: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Request options (TLS material, Authorization) for each request, fresh so that tokens can rotate. */
export type OptionsProvider = () => Promise<https.RequestOptions>;

export function httpTransport(server: string, options: OptionsProvider, timeoutMs = 30_000): Transport {
  const base = new URL(server);
  const client = base.protocol === 'http:' ? http : https;
  const prefix = base.pathname.replace(/\/$/, '');
  return {
    server,
    async get(path, query) {
      const opts = await options();
      return new Promise<KubeResponse>((resolve, reject) => {
        const req = client.request(
          {
            ...opts,
            method: 'GET',
            protocol: base.protocol,
            hostname: base.hostname,
            port: base.port || undefined,
            path: prefix + withQuery(path, query),
            headers: { ...(opts.headers ?? {}), Accept: 'application/json' },
            timeout: timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const retry = Number(res.headers['retry-after']);
              resolve({
                status: res.statusCode ?? 0,
                body: parseBody(text),
                retryAfter: Number.isFinite(retry) ? retry : undefined,
              });
            });
          },
        );
        req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end();
      });
    },
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
