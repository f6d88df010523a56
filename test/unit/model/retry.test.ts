import { describe, expect, it } from 'vitest';
import { exponentialMs, jitter, retry } from '../../../src/model/retry.js';

describe('retry', () => {
  it('tries again after each failure the policy accepts, waiting what it says, until the call succeeds', async () => {
    const waits: number[] = [];
    const seen: [string, number][] = [];
    const result = await retry(
      async (attempt) => {
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return `ok on ${attempt}`;
      },
      {
        delayMs: (err, attempt) => {
          seen.push([(err as Error).message, attempt]);
          return attempt * 100;
        },
        sleep: async (ms) => void waits.push(ms),
      },
    );
    expect(result).toBe('ok on 3');
    expect(seen).toEqual([
      ['fail 1', 1],
      ['fail 2', 2],
    ]);
    expect(waits).toEqual([100, 200]);
  });

  it('throws the failure itself, untouched, when the policy says stop', async () => {
    const err = new Error('not worth it');
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw err;
      },
      { delayMs: () => undefined, sleep: async () => {} },
    );
    await expect(failing).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  it('stops with what the wait throws (a deadline), without another attempt', async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw new Error('503');
      },
      {
        delayMs: () => 60_000,
        sleep: async () => {
          throw new Error('deadline');
        },
      },
    );
    await expect(failing).rejects.toThrow('deadline');
    expect(calls).toBe(1);
  });

  it('waits on a real timer by default', async () => {
    const started = Date.now();
    let calls = 0;
    await retry(
      async () => {
        if (++calls === 1) throw new Error('once');
      },
      { delayMs: () => 20 },
    );
    expect(calls).toBe(2);
    // A loaded machine may wait longer, never shorter (allowing the timer's millisecond rounding).
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
  });
});

describe('exponentialMs and jitter', () => {
  it('doubles from the base for each attempt after the first, up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((a) => exponentialMs(a, 200, 2000))).toEqual([200, 400, 800, 1600, 2000]);
    expect(exponentialMs(3, 1000)).toBe(4000);
    expect(exponentialMs(0, 1000)).toBe(1000);
  });

  it('jitter stays within the upper half', () => {
    expect(jitter(1000, () => 0)).toBe(500);
    expect(jitter(1000, () => 0.999)).toBeCloseTo(999.5);
    for (let i = 0; i < 100; i++) {
      const ms = jitter(800);
      expect(ms).toBeGreaterThanOrEqual(400);
      expect(ms).toBeLessThanOrEqual(800);
    }
  });
});
