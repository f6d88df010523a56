import { describe, expect, it } from 'vitest';
import { defaultConcurrency, limiter, mapConcurrent } from '../../../src/model/concurrency.js';

/** A task that can be finished from outside, to see exactly what is running at each moment. */
function gate<T>() {
  let open!: (value: T) => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('limiter', () => {
  it('runs at most n tasks at once and starts the rest in the order they came', async () => {
    const limit = limiter(2);
    const gates = Array.from({ length: 5 }, () => gate<number>());
    const started: number[] = [];
    const results = gates.map((g, i) =>
      limit(() => {
        started.push(i);
        return g.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].open(1);
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].open(0);
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const [i, g] of gates.entries()) g.open(i);
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
  });

  it('passes a failure to its caller and frees the slot for the next task', async () => {
    const limit = limiter(1);
    const failing = limit(() => Promise.reject(new Error('boom')));
    const next = limit(async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('ran');
  });

  it('counts a task that throws before returning a promise as finished', async () => {
    const limit = limiter(1);
    const thrown = limit((() => {
      throw new Error('sync');
    }) as () => Promise<never>);
    await expect(thrown).rejects.toThrow('sync');
    expect(await limit(async () => 'after')).toBe('after');
  });
});

describe('mapConcurrent', () => {
  it('keeps the input order whatever order the work finishes in, within the limit', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapConcurrent(
      [30, 5, 20, 1, 10],
      async (ms, i) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, ms));
        active--;
        return `${i}:${ms}`;
      },
      2,
    );
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10']);
    expect(peak).toBe(2);
  });

  it('treats a limit below one as one', async () => {
    let active = 0;
    let peak = 0;
    await mapConcurrent(
      [1, 2, 3],
      async () => {
        active++;
        peak = Math.max(peak, active);
        await tick();
        active--;
      },
      0,
    );
    expect(peak).toBe(1);
  });

  it('defaults to one task per core', () => {
    expect(defaultConcurrency()).toBeGreaterThanOrEqual(1);
  });
});
