import { getOctokit } from '@actions/github';
import { exponentialMs, retry } from '../model/retry.js';
import { secrets } from '../secrets/index.js';

/**
 * The one way shipshape talks to GitHub: an Octokit from @actions/github (so proxies and GHES
 * base URLs work as they do for every other Action) with retries for the failures that pass:
 * secondary rate limits (403/429 with `retry-after`), an exhausted primary limit that resets
 * soon, and 5xx. Everything else (403 for a read-only token, 404, 422) is the caller's to report.
 */

export type GitHub = ReturnType<typeof getOctokit>;

/** Where the GitHub layer writes; the Action passes @actions/core's functions in. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug?(message: string): void;
}

export interface ClientOptions {
  token: string;
  /** GITHUB_API_URL; @actions/github reads it from the environment when absent. */
  baseUrl?: string;
  log: Log;
  retries?: number;
  /** Longest single wait we accept; a longer `retry-after` is reported instead of waited out. */
  maxWaitMs?: number;
  /** Injected by unit tests; real timers otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRIES = 4;
const DEFAULT_MAX_WAIT_MS = 120_000;

export function createGitHub(options: ClientOptions): GitHub {
  const octokit = getOctokit(options.token, options.baseUrl ? { baseUrl: options.baseUrl } : {});
  // Secret values never leave the process: comments, reviews, check runs and issues included.
  octokit.hook.before('request', (params) => maskRequest(params as Record<string, unknown>));
  octokit.hook.wrap('request', (request, params) =>
    withRetry(async () => request(params), `${params.method} ${params.url}`, options),
  );
  return octokit;
}

/** What routes a request rather than being sent as its content: never masked. */
const ROUTING = new Set(['method', 'url', 'baseUrl', 'headers', 'request', 'mediaType']);

/**
 * Every secret the run has seen masked in a request's parameters (bodies, titles, annotations,
 * GraphQL variables), in place. The URL's own parameters (`{owner}`, `{issue_number}`) and a
 * GraphQL document are left as they are: they say where the request goes and what it does.
 */
export function maskRequest(params: Record<string, unknown>): void {
  if (secrets.size === 0) return;
  const url = typeof params.url === 'string' ? params.url : '';
  for (const key of Object.keys(params)) {
    if (ROUTING.has(key) || url.includes(`{${key}}`)) continue;
    if (key === 'query' && url.endsWith('/graphql')) continue; // the GraphQL document: code, not content
    params[key] = secrets.maskDeep(params[key]);
  }
}

interface HttpErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/**
 * How long to wait before trying again after the failure of retry `attempt` (0: the first call),
 * or undefined when the error is not worth a retry.
 */
export function retryDelayMs(error: unknown, attempt: number): number | undefined {
  const e = error as HttpErrorLike;
  const status = e.status ?? 0;
  const headers = e.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  const message = `${e.message ?? ''} ${JSON.stringify(e.response?.data ?? '')}`.toLowerCase();
  if (status === 403 || status === 429) {
    if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
    if (message.includes('secondary rate limit')) return exponentialMs(attempt + 1, 60_000);
    if (String(headers['x-ratelimit-remaining']) === '0') {
      const reset = Number(headers['x-ratelimit-reset']) * 1000;
      return Number.isFinite(reset) ? Math.max(0, reset - Date.now()) + 1000 : undefined;
    }
    return undefined; // a real permission problem
  }
  if (status >= 500 && status <= 599) {
    if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
    return exponentialMs(attempt + 1, 1000);
  }
  return undefined;
}

export function withRetry<T>(
  call: () => Promise<T>,
  label: string,
  options: Pick<ClientOptions, 'log' | 'retries' | 'maxWaitMs' | 'sleep'>,
): Promise<T> {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const maxWait = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  return retry(call, {
    delayMs: (error, attempt) => {
      const delay = retryDelayMs(error, attempt - 1);
      if (delay === undefined || attempt > retries || delay > maxWait) return undefined;
      const status = (error as HttpErrorLike).status;
      options.log.info(`GitHub answered ${status} to ${label}; retrying in ${Math.ceil(delay / 1000)} s`);
      return delay;
    },
    sleep: options.sleep,
  });
}

/** The parts of a failed call worth logging: never the request headers (the token is there). */
export function describeError(error: unknown): string {
  const e = error as HttpErrorLike;
  const data = e.response?.data as { message?: string; errors?: unknown } | undefined;
  const detail = data?.message ?? e.message ?? String(error);
  const errors = data?.errors ? ` ${JSON.stringify(data.errors).slice(0, 500)}` : '';
  return e.status ? `${e.status} ${detail}${errors}` : `${detail}${errors}`;
}

export function statusOf(error: unknown): number | undefined {
  return (error as HttpErrorLike).status;
}

/** A 403 on a write: the token may not write here (a fork's pull request, missing permissions). */
export function isPermissionDenied(error: unknown): boolean {
  return statusOf(error) === 403;
}

export interface Repo {
  owner: string;
  repo: string;
}

export interface CallFailure {
  label: string;
  status?: number;
  message: string;
}

/**
 * One run's conversation with GitHub. A failed call is logged and recorded, and the run goes on
 * with the next one: a 404 on a deleted comment must not cost the user their check run.
 */
export class GitHubSession {
  readonly failures: CallFailure[] = [];
  /** Set when GitHub refused a write with 403: the rest of the run falls back to read-only. */
  writeDenied = false;

  constructor(
    readonly octokit: GitHub,
    readonly repo: Repo,
    readonly log: Log,
  ) {}

  async call<T>(label: string, fn: (octokit: GitHub) => Promise<T>): Promise<T | undefined> {
    try {
      return await fn(this.octokit);
    } catch (error) {
      const status = statusOf(error);
      const message = describeError(error);
      this.failures.push({ label, status, message });
      if (isPermissionDenied(error)) this.writeDenied = true;
      this.log.warning(`GitHub: ${label} failed: ${message}`);
      return undefined;
    }
  }
}
