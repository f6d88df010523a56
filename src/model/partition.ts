/**
 * Sharding: which of N jobs (an Actions matrix) does which part of the work. The partition is a
 * pure function of the items' ids and sizes, so every shard, on any machine and in any run,
 * computes the same split without talking to the others, and the shards together cover every
 * item exactly once.
 *
 * Balance is by size, not count: greedy longest-processing-time (the biggest item first, each to
 * the shard with the least work so far), which is never worse than 4/3 of the best split. Ties
 * are broken by id (plain code-unit order, never the locale's), then by the shard with fewest
 * items, then by the lowest shard.
 */

/** Shard `index` (1-based) of `count`, as `--shard 2/4` and the `shard: 2/4` input write it. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** More shards than this is a typo, not a matrix (GitHub allows 256 jobs per matrix). */
export const MAX_SHARDS = 256;

export class ShardError extends Error {}

/** `I/N` with 1 <= I <= N <= 256; anything else is a ShardError saying what is wrong. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  if (!m)
    throw new ShardError(`shard "${text}" is not I/N (this job's number, then how many jobs), e.g. 2/4`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS)
    throw new ShardError(`shard "${text}": the number of shards must be 1 to ${MAX_SHARDS}`);
  if (index < 1 || index > count)
    throw new ShardError(`shard "${text}": this job's number must be 1 to ${count} (shards count from 1)`);
  return { index, count };
}

export function formatShard(spec: ShardSpec): string {
  return `${spec.index}/${spec.count}`;
}

/** An item to place: a stable id (the same on every machine) and an estimate of its cost. */
export interface Sized {
  id: string;
  size: number;
}

/**
 * Split `items` into `count` shards. Items that share an id stay together (one unit, sizes
 * summed), so the split never depends on the order they came in. Each shard keeps the input
 * order, so a shard's output reads like the matching part of an unsharded run.
 */
export function partition<T extends Sized>(items: readonly T[], count: number): T[][] {
  if (!Number.isInteger(count) || count < 1) throw new ShardError(`cannot split into ${count} shards`);
  const units = new Map<string, number>();
  for (const item of items) units.set(item.id, (units.get(item.id) ?? 0) + cost(item.size));
  const order = [...units].sort(([a, sa], [b, sb]) => sb - sa || (a < b ? -1 : a > b ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const held = new Array<number>(count).fill(0);
  const shardOf = new Map<string, number>();
  for (const [id, size] of order) {
    // The least loaded shard; among equals the one with fewest items (so items of no size
    // spread too), then the first.
    let best = 0;
    for (let s = 1; s < count; s++)
      if (load[s] < load[best] || (load[s] === load[best] && held[s] < held[best])) best = s;
    load[best] += size;
    held[best]++;
    shardOf.set(id, best);
  }
  const shards: T[][] = Array.from({ length: count }, () => []);
  for (const item of items) shards[shardOf.get(item.id)!].push(item);
  return shards;
}

/** The items shard `spec` takes (all of them for 1/1). */
export function shardItems<T extends Sized>(items: readonly T[], spec: ShardSpec): T[] {
  if (spec.count === 1) return [...items];
  return partition(items, spec.count)[spec.index - 1];
}

/** Sizes are estimates: anything that is not a finite, non-negative number counts as nothing. */
function cost(size: number): number {
  return Number.isFinite(size) && size > 0 ? size : 0;
}
