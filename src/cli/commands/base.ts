import type { Config } from '../../config/index.js';
import type { TargetDiff } from '../../diff/rendered.js';
import {
  type PullRequestJobResult,
  runErrors,
  runPullRequestJob,
  targetDiffs,
} from '../../jobs/pull-request.js';
import { configAtBase } from '../../jobs/trusted-config.js';
import type { ShardSpec } from '../../model/partition.js';
import type { InputError } from '../../model/types.js';
import { repoRoot, resolveRef } from '../../render/git.js';

/**
 * `shipshape diff --base` and `shipshape check --base` run the Action's own pull-request job
 * (jobs/pull-request.ts) on the local repository: from the merge base of the base ref and the
 * head (a ref, or the working tree and its new files), the targets the change touches, rendered
 * at both, new findings by fingerprint, the rendered diff; the config and baseline as the base
 * commit has them, as the Action reads them. Only the output differs.
 */

export interface BaseRunInput {
  cwd: string;
  /** The refs as the user wrote them. */
  base: string;
  head?: string;
  /** Where to look for targets, relative to cwd; the whole folder when empty. */
  paths: readonly string[];
  /** `--config`: the file to read at the base commit (else the usual names, from cwd). */
  configFile?: string;
  /** What the command line adds to the config: the programs, time limits, capabilities. */
  adjust?: (config: Config) => void;
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
  /** The change adds or changes the config: the base's was used, as the Action does. */
  notes: string[];
  /** The config the run used. */
  config: Config;
}

/** Run the pipeline; an unknown ref is a GitError (a usage error to the CLI). */
export async function runAgainstBase(input: BaseRunInput): Promise<BaseRun> {
  await repoRoot(input.cwd); // outside a repository: git says so
  const base = await resolveRef(input.cwd, input.base);
  const head = input.head === undefined ? undefined : await resolveRef(input.cwd, input.head);
  // The config (and its baseline) as the base has it: what the Action uses on the pull request.
  const trusted = await configAtBase(input.cwd, base, input.configFile);
  input.adjust?.(trusted.config);
  const result = await runPullRequestJob({
    cwd: input.cwd,
    roots: input.paths.length > 0 ? input.paths : ['.'],
    config: trusted.config,
    configErrors: trusted.errors,
    trustedCommit: trusted.trustedCommit,
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
    notes: trusted.notes,
    config: trusted.config,
  };
}
