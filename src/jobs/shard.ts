import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { inFolder } from '../load/files.js';
import { sha256Hex } from '../model/hash.js';
import { type ShardSpec, shardItems } from '../model/partition.js';
import type { Target } from '../render/types.js';
import { targetInputs, targetKey } from './pull-request-targets.js';

/**
 * Which targets this job takes when the work is split across jobs (`--shard I/N`, the `shard`
 * input). Every shard discovers the same targets from the same commit and runs the same pure
 * partition (model/partition.ts) over them, so the shards agree without talking to each other.
 *
 * A target's size is what it costs to render and check, estimated from what is the same on every
 * machine: the bytes of its source files (its inputs as the pull-request job follows them: the
 * chart with its local dependencies and values files, the overlay with its bases, components and
 * patches, an app definition and what it reads), plus a fixed cost for the tool's process.
 */

/** What starting helm or kustomize costs, in bytes of source it could have read in that time. */
export const PROCESS_COST_BYTES = 64 * 1024;

export interface ShardInfo {
  spec: ShardSpec;
  /** The ids (targetKey) of the targets this shard took, in discovery order. */
  targets: string[];
  /**
   * Where each of them stands in the unsharded order: merged results follow it, so that where
   * one run keeps the first of several equal findings (one line, several targets), so do shards.
   */
  positions: number[];
  /** How many targets there were to split. */
  total: number;
  /**
   * A digest of every target id of the split: shards of one run agree on it, and a result from a
   * run that saw other targets (another commit, other paths) does not.
   */
  partition: string;
}

export interface Sharded {
  targets: Target[];
  info: ShardInfo;
}

/**
 * This shard's targets, in their discovery order. `discovered` is whether discovery (not the
 * config's `targets:`) made them: it decides their ids, as in the pull-request job.
 */
export async function selectShard(
  cwd: string,
  targets: readonly Target[],
  spec: ShardSpec,
  discovered = true,
): Promise<Sharded> {
  const { items, info } = takeShard(await sizeTargets(cwd, targets, discovered), spec);
  return { targets: items.map((s) => s.target), info };
}

/**
 * The pull-request job's plan (each affected target, by key, with its head and base definition),
 * split the same way: each sized from its head, or its base when the change removes it.
 */
export async function shardPlan<T extends { key: string; head?: Target; base?: Target }>(
  plan: readonly T[],
  spec: ShardSpec,
  headCwd: string,
  baseCwd?: string,
): Promise<{ items: T[]; info: ShardInfo }> {
  const size = sizer();
  const sized: { id: string; size: number; item: T }[] = [];
  for (const item of plan) {
    const side = item.head
      ? { cwd: headCwd, target: item.head }
      : { cwd: baseCwd ?? headCwd, target: item.base! };
    sized.push({ id: item.key, size: await size(side.cwd, side.target), item });
  }
  const { items, info } = takeShard(sized, spec);
  return { items: items.map((s) => s.item), info };
}

/** The sized items shard `spec` takes, and what the result file says about it. */
function takeShard<S extends { id: string; size: number }>(
  sized: readonly S[],
  spec: ShardSpec,
): { items: S[]; info: ShardInfo } {
  const mine = shardItems(sized, spec);
  const position = new Map(sized.map((s, i) => [s, i]));
  return {
    items: mine,
    info: {
      spec,
      targets: mine.map((s) => s.id),
      positions: mine.map((s) => position.get(s)!),
      total: sized.length,
      partition: partitionDigest(sized.map((s) => s.id)),
    },
  };
}

export interface SizedTarget {
  id: string;
  size: number;
  target: Target;
}

/** Each target with its id and estimated size. Folders shared by several targets are read once. */
export async function sizeTargets(
  cwd: string,
  targets: readonly Target[],
  discovered = true,
): Promise<SizedTarget[]> {
  const size = sizer();
  const out: SizedTarget[] = [];
  for (const target of targets)
    out.push({ id: targetKey(target, discovered), size: await size(cwd, target), target });
  return out;
}

/** A target's estimated size; folders shared by several targets are read once per sizer. */
function sizer(): (cwd: string, target: Target) => Promise<number> {
  const dirs = new Map<string, Promise<number>>();
  const dirSize = (abs: string) => {
    let size = dirs.get(abs);
    if (!size) {
      size = treeBytes(abs);
      dirs.set(abs, size);
    }
    return size;
  };
  return async (cwd, target) => {
    const inputs = await targetInputs(cwd, target);
    // A folder inside another input folder (a vendored subchart) is counted with its parent.
    const roots = [...new Set(inputs.dirs)].filter(
      (d) => !inputs.dirs.some((o) => o !== d && inFolder(d, o)),
    );
    let bytes = 0;
    for (const d of roots) bytes += await dirSize(path.resolve(cwd, d));
    for (const f of new Set(inputs.files)) {
      if (roots.some((d) => inFolder(f, d))) continue;
      bytes += await fileBytes(path.resolve(cwd, f));
    }
    const renders = target.kind !== 'plain' || target.app !== undefined;
    return bytes + (renders ? PROCESS_COST_BYTES : 0);
  };
}

/** Every target id of a split, order aside, as a short digest. */
export function partitionDigest(ids: readonly string[]): string {
  const sorted = unique(ids).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(sorted.join('\n'), 16);
}

/** Bytes of the regular files under a folder; links are not followed, `.git` is skipped. */
async function treeBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return fileBytes(dir);
  let bytes = 0;
  for (const e of entries) {
    if (e.isDirectory()) {
      if (e.name !== '.git') bytes += await treeBytes(path.join(dir, e.name));
    } else if (e.isFile()) {
      bytes += await fileBytes(path.join(dir, e.name));
    }
  }
  return bytes;
}

async function fileBytes(file: string): Promise<number> {
  const st = await lstat(file).catch(() => undefined);
  return st?.isFile() ? st.size : 0;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
