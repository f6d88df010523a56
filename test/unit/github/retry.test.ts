import { describe, expect, it } from 'vitest';
import { retryDelayMs, withRetry } from '../../../src/github/client.js';

const httpError = (status: number, headers: Record<string, string> = {}, message = 'boom') =>
  Object.assign(new Error(message), { status, response: { headers, data: { message } } });

describe('retryDelayMs', () => {
  it('honours retry-after on a secondary rate limit', () => {
    expect(retryDelayMs(httpError(403, { 'retry-after': '3' }), 0)).toBe(3000);
    expect(retryDelayMs(httpError(429, { 'retry-after': '0' }), 0)).toBe(0);
  });

  it('backs off on a secondary rate limit without retry-after', () => {
    expect(retryDelayMs(httpError(403, {}, 'You have exceeded a secondary rate limit'), 1)).toBe(120_000);
  });

  it('retries 5xx with exponential backoff', () => {
    expect(retryDelayMs(httpError(502), 0)).toBe(1000);
    expect(retryDelayMs(httpError(503), 2)).toBe(4000);
  });

  it('does not retry a plain 403, 404 or 422', () => {
    expect(retryDelayMs(httpError(403, {}, 'Resource not accessible by integration'), 0)).toBeUndefined();
    expect(retryDelayMs(httpError(404), 0)).toBeUndefined();
    expect(retryDelayMs(httpError(422), 0)).toBeUndefined();
  });
});

describe('withRetry', () => {
  const log = { info: () => {}, warning: () => {} };

  it('waits as told and then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw httpError(calls === 1 ? 403 : 500, calls === 1 ? { 'retry-after': '2' } : {});
        return 'ok';
      },
      'GET /x',
      { log, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    expect(waits).toEqual([2000, 2000]);
  });

  it('gives up after the retry budget and rethrows the last error', async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw httpError(502);
      },
      'GET /x',
      { log, retries: 2, sleep: async () => {} },
    );
    await expect(failing).rejects.toMatchObject({ status: 502 });
    expect(calls).toBe(3);
  });

  it('does not wait out a retry-after longer than the cap', async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw httpError(403, { 'retry-after': '3600' });
      },
      'GET /x',
      { log, maxWaitMs: 60_000, sleep: async () => {} },
    );
    await expect(failing).rejects.toMatchObject({ status: 403 });
    expect(calls).toBe(1);
  });
});
