import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { VERSION } from '../cli/version.js';
import { listChangedFiles } from '../github/files.js';
import { resolveIdentity } from '../github/identity.js';
import { findPullForRun } from '../github/pulls.js';
import { inPieces } from '../report/pieces.js';
import {
  checkResultSet,
  findResultFiles,
  readResultFiles,
  resultFileChunks,
  resultFileName,
  resultFileOf,
} from '../result/file.js';
import { mergeLines, mergeRuns } from '../result/merge.js';
import { ResultError } from '../result/schema.js';
import { maskSecrets } from '../secrets/index.js';
import type { PullRequestInfo, RunContext } from './context.js';
import type { ReadinessResult } from './publish/index.js';
import { computeReadiness, openSession, publishResult, resultOf } from './readiness.js';
import type { ActionSettings } from './settings.js';

/**
 * Computing and publishing in different jobs. `publish: false` computes the result as every job
 * does and leaves it in one file; `mode: publish` reads the files of every shard (or of a fork's
 * run), checks them as one run about the commit and pull request its own event names, merges
 * them, and hands the merge to the same publishers a single job uses (src/action/publish/).
 */

/** `publish: false`: compute, save the result file, write nothing to GitHub. */
export async function computeOnly(
  job: 'pull-request' | 'check',
  settings: ActionSettings,
  ctx: RunContext,
): Promise<ReadinessResult> {
  const pr = job === 'pull-request' ? ctx.pullRequest : undefined;
  const session = openSession(settings, ctx);
  // Reading the pull request's files is all this job asks of the API.
  const files = pr && session ? await listChangedFiles(session, pr.number) : undefined;
  const result = await computeReadiness(job, settings, ctx, files);
  await saveResult(result, ctx);
  return result;
}

/**
 * The result as one file in the runner's temporary folder (masked like every file the Action
 * writes), named by its shard, and the `result-file` output naming it.
 */
export async function saveResult(result: ReadinessResult, ctx: RunContext): Promise<string> {
  const file = resultFileOf(result, VERSION);
  const stamp = { ...file.shard, spec: { index: file.shard.index, count: file.shard.count } };
  const dir = path.join(ctx.tempDir, 'shipshape');
  await mkdir(dir, { recursive: true });
  const out = path.join(dir, resultFileName(stamp.spec));
  // Written a piece at a time (each masked): it can be larger than one string may be.
  const handle = await open(out, 'w');
  try {
    for (const piece of inPieces(resultFileChunks(file))) await handle.write(maskSecrets(piece));
  } finally {
    await handle.close();
  }
  core.setOutput('result-file', out);
  core.info(
    `Result of shard ${stamp.spec.index}/${stamp.spec.count} (${stamp.targets.length} of ${stamp.total} targets, ${result.counted.length} counted findings, ${result.failed ? 'failing' : 'passing'}): ${out}. Nothing was published: a mode: publish job publishes it.`,
  );
  return out;
}

/**
 * `mode: publish`. What is published, and where, is decided by what this job trusts: its inputs
 * and its event. On `workflow_run` the files come from a run that had less privilege (a fork's)
 * and are read as hostile input; the pull request is the open one whose head is exactly the
 * commit the event names. Otherwise they come from this run's own jobs and are published as they
 * are, to this event's pull request or commit.
 */
export async function runPublishResults(
  settings: ActionSettings,
  ctx: RunContext,
): Promise<ReadinessResult | undefined> {
  const session = openSession(settings, ctx);
  const untrusted = ctx.eventName === 'workflow_run';
  let pr: PullRequestInfo | undefined;
  let commit: string;
  if (untrusted) {
    const run = ctx.workflowRun;
    if (!run) throw new ResultError('the workflow_run event names no run');
    if (run.event !== 'pull_request')
      throw new ResultError(
        `the run that triggered this one ran on ${run.event || 'an unknown event'}, not pull_request`,
      );
    if (!session)
      throw new ResultError('mode publish on workflow_run needs a github-token to find the pull request');
    const found = await findPullForRun(session, run);
    if ('error' in found) {
      if (found.superseded) {
        core.warning(`Not published: ${found.error}.`);
        return undefined;
      }
      throw new ResultError(`cannot tell which pull request to publish to: ${found.error}`);
    }
    // This job's token may write even when the head is a fork's: that is what the pattern is for.
    pr = { ...found.pull, fromFork: false };
    commit = run.headSha;
  } else {
    pr = ctx.pullRequest;
    commit = pr?.headSha ?? ctx.sha;
  }

  const paths = await findResultFiles(settings.results, ctx.workspace);
  const files = checkResultSet(await readResultFiles(paths, { untrusted, cwd: ctx.workspace }), {
    commit,
    ...(pr ? { pullRequest: pr.number } : {}),
    version: VERSION,
  });
  const run = mergeRuns(files);
  if (run.head !== undefined && run.head !== commit)
    throw new ResultError(
      `the results compare up to ${run.head.slice(0, 12)}, not the head ${commit.slice(0, 12)}`,
    );
  if ((run.mode === 'pull-request') !== (pr !== undefined))
    throw new ResultError(
      pr
        ? 'the results are a check of a branch, not a pull request review'
        : 'the results review a pull request, but this run is about none',
    );
  core.info(
    `Publishing ${files.length} result file${files.length === 1 ? '' : 's'} (${paths.map((p) => path.relative(ctx.workspace, p)).join(', ')}) as one run: ${run.targets.length} targets${untrusted ? ', read as untrusted input from the pull request’s run' : ''}.`,
  );

  // What this job decides itself: the verdict against its own fail-on, the check's name and the
  // comment key from its own paths, the pull request from its own event.
  const result = resultOf(run, settings, {
    job: pr ? 'pull-request' : 'check',
    commit,
    pullRequest: pr,
    notes: files[0].result.notes,
    lines: mergeLines(files),
  });
  const identity = pr && session ? await resolveIdentity(session, settings.botLogin) : undefined;
  const changed = pr && session ? await listChangedFiles(session, pr.number) : undefined;
  await publishResult(result, settings, ctx, { session, identity, files: changed });
  return result;
}
