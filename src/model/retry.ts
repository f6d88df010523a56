/**
 * The one way a call is tried again: `retry` runs it until it succeeds or the caller's `delayMs`
 * says to stop (then the last failure is thrown as it was), waiting in between. What is worth a
 * retry and how long to wait are the caller's: GitHub (src/github/client.ts: rate limits, 5xx) and
 * the cluster client (src/kube/client.ts: 429, 5xx, dropped connections, within a deadline) each
 * pass their own, built from `exponentialMs` and `jitter`.
 */

export interface RetryOptions {
  /**
   * How long to wait after `error`, the failure of attempt `attempt` (the first is 1), before the
   * next attempt; undefined to stop and throw `error`.
   */
  delayMs(error: unknown, attempt: number): number | undefined;
  /** The wait; a timer by default. It may throw instead (a deadline the wait would pass). */
  sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function retry<T>(call: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      const ms = options.delayMs(error, attempt);
      if (ms === undefined) throw error;
      await wait(ms);
    }
  }
}

/** `baseMs` doubled for each attempt after the first (1: base, 2: 2 × base, ...), at most `capMs`. */
export function exponentialMs(attempt: number, baseMs: number, capMs = Number.POSITIVE_INFINITY): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** Somewhere in the upper half of `ms`, at random: clients that failed together do not retry together. */
export function jitter(ms: number, random: () => number = Math.random): number {
  return ms / 2 + random() * (ms / 2);
}
