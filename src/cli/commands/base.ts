import type { Config } from '../../config/index.js';
import type { TargetDiff } from '../../diff/rendered.js';
import {
  type PullRequestJobResult,
  runErrors,
  runPullRequestJob,
  targetDiffs,
} from '../../jobs/pull-request.js';
import type { ShardSpec } from '../../model/partition.js';
import type { InputError } from '../../model/types.js';
import { repoRoot, resolveRef } from '../../render/git.js';

/**
 * `shipshape diff --base` and `shipshape check --base` run the Action's own pull-request job
 * (jobs/pull-request.ts) on the local repository: from the merge base of the base ref and the
 * head (a ref, or the working tree and its new files), the targets the change touches, rendered
 * at both, new findings by fingerprint, the rendered diff. Only the output differs.
 */

export interface BaseRunInput {
  cwd: string;
  /** The refs as the user wrote them. */
  base: string;
  head?: string;
  /** Where to look for targets, relative to cwd; the whole folder when empty. */
  paths: readonly string[];
  config: Config;
  configErrors?: readonly InputError[];
  log?: (message: string) => void;
  today?: Date;
  /** Only this shard's part of the affected targets (`--shard I/N`). */
  shard?: ShardSpec;
}

export interface BaseRun {
  /** The refs as given, for output; the head is `(working tree)` without --head. */
  base: string;
  head: string;
  result: PullRequestJobResult;
  /** Each affected target's rendered diff. */
  diffs: TargetDiff[];
  /** Errors that belong to no target (config, discovery, git): each target's are in its diff. */
  errors: InputError[];
}

/** Run the pipeline; an unknown ref is a GitError (a usage error to the CLI). */
export async function runAgainstBase(input: BaseRunInput): Promise<BaseRun> {
  await repoRoot(input.cwd); // outside a repository: git says so
  const base = await resolveRef(input.cwd, input.base);
  const head = input.head === undefined ? undefined : await resolveRef(input.cwd, input.head);
  const result = await runPullRequestJob({
    cwd: input.cwd,
    roots: input.paths.length > 0 ? input.paths : ['.'],
    config: input.config,
    configErrors: input.configErrors,
    base,
    head,
    log: input.log,
    today: input.today,
    shard: input.shard,
  });
  return {
    base: input.base,
    head: input.head ?? '(working tree)',
    result,
    diffs: targetDiffs(result),
    errors: runErrors(result),
  };
}
