import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatShard,
  parseShard,
  partition,
  ShardError,
  type Sized,
  shardItems,
} from '../../../src/model/partition.js';

const items = (sizes: number[]): Sized[] =>
  sizes.map((size, i) => ({ id: `t${String(i).padStart(3, '0')}`, size }));
const total = (xs: readonly Sized[]) => xs.reduce((n, x) => n + x.size, 0);

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 3 / 3 ', { index: 3, count: 3 }],
    ['256/256', { index: 256, count: 256 }],
  ])('%s', (text, spec) => {
    expect(parseShard(text)).toEqual(spec);
    expect(parseShard(formatShard(spec))).toEqual(spec);
  });

  it.each([
    ['', /is not I\/N/],
    ['2', /is not I\/N/],
    ['a/b', /is not I\/N/],
    ['-1/4', /is not I\/N/],
    ['1.5/4', /is not I\/N/],
    ['0/4', /count from 1/],
    ['5/4', /must be 1 to 4/],
    ['1/0', /must be 1 to 256/],
    ['1/257', /must be 1 to 256/],
  ])('refuses %j', (text, message) => {
    expect(() => parseShard(text)).toThrow(ShardError);
    expect(() => parseShard(text)).toThrow(message);
  });
});

describe('partition', () => {
  const arbItems = fc
    .uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), size: fc.nat(1_000_000) }), {
      selector: (x) => x.id,
      maxLength: 80,
    })
    .map((xs) => xs as Sized[]);

  it('covers every item exactly once, whatever the count', () => {
    fc.assert(
      fc.property(arbItems, fc.integer({ min: 1, max: 12 }), (xs, n) => {
        const shards = partition(xs, n);
        expect(shards).toHaveLength(n);
        const seen = shards.flat();
        expect(seen).toHaveLength(xs.length);
        expect(new Set(seen)).toEqual(new Set(xs));
        // shardItems agrees with partition, shard by shard.
        for (let i = 1; i <= n; i++) expect(shardItems(xs, { index: i, count: n })).toEqual(shards[i - 1]);
      }),
    );
  });

  it('does not depend on the order items come in (another machine, another run)', () => {
    fc.assert(
      fc.property(
        arbItems.chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length }))),
        fc.integer({ min: 1, max: 8 }),
        ([xs, shuffled], n) => {
          const ids = (shards: Sized[][]) => shards.map((s) => s.map((x) => x.id).sort());
          expect(ids(partition(shuffled, n))).toEqual(ids(partition(xs, n)));
        },
      ),
    );
  });

  it('is pinned: the same ids and sizes always give this split', () => {
    // A change here changes which job renders what for every user: make it on purpose.
    const xs = [
      { id: 'charts/web (values-prod.yaml)', size: 900 },
      { id: 'charts/web', size: 900 },
      { id: 'overlays/prod', size: 400 },
      { id: 'overlays/dev', size: 400 },
      { id: 'plain manifests', size: 50 },
      { id: 'charts/db', size: 1200 },
    ];
    expect(partition(xs, 3).map((s) => s.map((x) => x.id))).toEqual([
      // db 1200 to 1; web 900 to 2; web (prod) 900 to 3; overlays/dev 400 to 2 (2 and 3 tie,
      // the first wins); overlays/prod 400 to 3; plain 50 to 1, the least loaded. Input order kept.
      ['plain manifests', 'charts/db'],
      ['charts/web', 'overlays/dev'],
      ['charts/web (values-prod.yaml)', 'overlays/prod'],
    ]);
  });

  it('breaks ties by id in code-unit order, not the locale', () => {
    const xs = [
      { id: 'b', size: 1 },
      { id: 'a', size: 1 },
      { id: 'B', size: 1 },
      { id: 'é', size: 1 },
    ];
    // 'B' < 'a' < 'b' < 'é' in code units: shards 1..4 in that order.
    expect(partition(xs, 4).map((s) => s.map((x) => x.id))).toEqual([['B'], ['a'], ['b'], ['é']]);
  });

  it('balances by size, not by count', () => {
    // One big target and many small ones: the big one gets a shard to itself.
    const xs = items([1000, ...Array(30).fill(10)]);
    const [first, ...rest] = partition(xs, 4);
    expect(first.map((x) => x.size)).toEqual([1000]);
    for (const s of rest) expect(total(s)).toBe(100);
  });

  it('keeps each shard within the greedy bound: at most the average plus the biggest item', () => {
    fc.assert(
      fc.property(arbItems, fc.integer({ min: 1, max: 8 }), (xs, n) => {
        const biggest = Math.max(0, ...xs.map((x) => x.size));
        for (const s of partition(xs, n)) expect(total(s)).toBeLessThanOrEqual(total(xs) / n + biggest);
      }),
    );
  });

  it('splits 300 similar targets into 4 near-equal shards', () => {
    const xs = items(Array.from({ length: 300 }, (_, i) => 20_000 + ((i * 7919) % 5000)));
    const loads = partition(xs, 4).map(total);
    expect(Math.max(...loads) / Math.min(...loads)).toBeLessThan(1.01);
  });

  it('keeps items that share an id together and in input order within a shard', () => {
    const xs = [
      { id: 'a', size: 5, n: 1 },
      { id: 'b', size: 5, n: 2 },
      { id: 'a', size: 5, n: 3 },
      { id: 'c', size: 1, n: 4 },
    ];
    const shards = partition(xs, 2);
    expect(shards.map((s) => s.map((x) => x.n))).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('treats sizes that are not numbers as nothing, and more shards than items as empty shards', () => {
    const xs = [
      { id: 'a', size: Number.NaN },
      { id: 'b', size: -4 },
      { id: 'c', size: Number.POSITIVE_INFINITY },
    ];
    const shards = partition(xs, 5);
    expect(shards.flat()).toHaveLength(3);
    expect(shards.filter((s) => s.length === 0)).toHaveLength(2);
    expect(() => partition(xs, 0)).toThrow(ShardError);
  });
});
