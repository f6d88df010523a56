import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { createGitHub, GitHubSession, type Log } from '../github/client.js';
import { listChangedFiles } from '../github/files.js';
import type { ChangedFile } from '../github/hunks.js';
import { resolveIdentity } from '../github/identity.js';
import { reachesThreshold } from '../jobs/check.js';
import { type PullRequestJobResult, runPullRequestJob } from '../jobs/pull-request.js';
import type { Finding } from '../model/types.js';
import { readFileAtCommit } from '../render/git.js';
import { countedFindings } from '../report/pull-request.js';
import { loadTrustedConfig } from './config.js';
import type { RunContext } from './context.js';
import { actionLog } from './log.js';
import { type PublishContext, publishAll, type ReadinessResult } from './publish/index.js';
import { type ActionSettings, instanceKey } from './settings.js';

/**
 * The pull-request and check jobs as the Action runs them: compute one result (the base-vs-head
 * run, what counts, the verdict), then hand it to every publisher (src/action/publish/). The exit
 * status follows `fail-on` whatever GitHub accepted, so the job stays a trustworthy required check.
 */

const log: Log = actionLog;

export async function runReadiness(
  job: 'pull-request' | 'check',
  settings: ActionSettings,
  ctx: RunContext,
): Promise<ReadinessResult> {
  const pr = job === 'pull-request' ? ctx.pullRequest : undefined;
  if (job === 'pull-request' && !pr) {
    core.warning('mode is pull-request but the event carries no pull request; checking the branch instead');
  }
  const session = openSession(settings, ctx);
  // Only comments the token itself wrote are ours to edit or delete.
  const identity = pr && session ? await resolveIdentity(session, settings.botLogin) : undefined;
  // The pull request's files and hunks, from the API (paginated); git fills in the names anyway.
  const files = pr && session ? await listChangedFiles(session, pr.number) : undefined;

  const result = await computeReadiness(job, settings, ctx, files);
  await publishResult(result, settings, ctx, { session, identity, files });
  return result;
}

/** The API as the token allows; none without a token. */
export function openSession(settings: ActionSettings, ctx: RunContext): GitHubSession | undefined {
  return settings.token
    ? new GitHubSession(createGitHub({ token: settings.token, baseUrl: ctx.apiUrl, log }), ctx.repo, log)
    : undefined;
}

/** Hand one result to every publisher, with what they need from GitHub besides it. */
export async function publishResult(
  result: ReadinessResult,
  settings: ActionSettings,
  ctx: RunContext,
  github: Pick<PublishContext, 'session' | 'identity' | 'files'>,
): Promise<void> {
  const publish: PublishContext = {
    settings,
    run: ctx,
    ...github,
    state: { commented: new Set(), overLimit: new Set(), notes: [], checkRunMade: false },
  };
  if (result.pullRequest?.fromFork) {
    publish.state.notes.push(
      'This pull request comes from a fork, whose token is read-only: the findings are in the workflow annotations, the job summary and the SARIF report instead of review comments.',
    );
    core.info(
      'Pull request from a fork: read-only token. Falling back to annotations, the job summary and SARIF.',
    );
  }
  await publishAll(result, publish);
}

/**
 * What a job decides from its own inputs, whoever computed the run: the comment key and the check
 * run's name (from `paths`: two jobs on different folders each need their own required check),
 * what counts, and the verdict against its `fail-on` (a counted finding reaches it, or something
 * could not be checked).
 */
function judge(
  run: PullRequestJobResult,
  settings: ActionSettings,
): Pick<ReadinessResult, 'key' | 'checkName' | 'failOn' | 'failed' | 'counted'> {
  const counted = countedFindings(run);
  const inputErrors = run.errors.some((e) => e.level === 'error');
  const key = instanceKey(settings.paths);
  return {
    key,
    checkName: key === 'default' ? 'shipshape' : `shipshape (${settings.paths.join(', ')})`,
    failOn: settings.failOn,
    failed: settings.failOn !== 'never' && (reachesThreshold(counted, settings.failOn) || inputErrors),
    counted,
  };
}

/**
 * The one result every publisher works from: the base-vs-head run (on a pull request) or the
 * check of the branch, what counts, the verdict, and the head's text of each line a new finding
 * is on. Plain data: it can be saved as JSON and published by another job.
 */
export async function computeReadiness(
  job: 'pull-request' | 'check',
  settings: ActionSettings,
  ctx: RunContext,
  files?: readonly ChangedFile[],
): Promise<ReadinessResult> {
  const pr = job === 'pull-request' ? ctx.pullRequest : undefined;
  // On a pull request the config (and the baseline) are the base branch's, never the head's.
  const trusted = await loadTrustedConfig(settings, ctx.workspace, pr?.baseSha);
  for (const note of trusted.notes) core.notice(note);
  const commit = pr?.headSha ?? ctx.sha;
  const run = await runPullRequestJob({
    cwd: ctx.workspace,
    roots: settings.paths,
    config: trusted.config,
    configErrors: trusted.errors,
    base: pr?.baseSha,
    head: commit,
    trustedCommit: trusted.trustedCommit,
    changed: files?.flatMap((f) => (f.previousFilename ? [f.filename, f.previousFilename] : [f.filename])),
    log: actionLog.info,
    shard: settings.shard,
  });
  const lines = pr ? await lineTexts(ctx.workspace, pr.headSha, run.newFindings) : {};
  return resultOf(run, settings, { job, commit, pullRequest: pr, notes: trusted.notes, lines });
}

/** The result of a run, judged by this job's own settings: what one job computes or a publish job merges. */
export function resultOf(
  run: PullRequestJobResult,
  settings: ActionSettings,
  about: Pick<ReadinessResult, 'job' | 'commit' | 'pullRequest' | 'notes' | 'lines'>,
): ReadinessResult {
  const judged = judge(run, settings);
  return {
    version: 1,
    job: about.job,
    key: judged.key,
    checkName: judged.checkName,
    commit: about.commit,
    ...(about.pullRequest ? { pullRequest: about.pullRequest } : {}),
    failOn: judged.failOn,
    failed: judged.failed,
    counted: judged.counted,
    notes: about.notes,
    lines: about.lines,
    run,
  };
}

/** The head's text of each line that carries a new finding, for one-line suggestions. */
async function lineTexts(
  cwd: string,
  headSha: string,
  findings: readonly Finding[],
): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const file of new Set(findings.map((f) => f.location.file))) {
    // The head commit's text, not the checkout's: a merge checkout's lines are not the head's.
    const text =
      (await readFileAtCommit(cwd, headSha, file)) ??
      (await readFile(path.resolve(cwd, file), 'utf8').catch(() => undefined));
    if (text === undefined) continue;
    const lines = text.split('\n');
    const wanted: Record<string, string> = {};
    for (const f of findings) {
      const line = f.location.file === file ? lines[f.location.line - 1] : undefined;
      if (line !== undefined) wanted[String(f.location.line)] = line;
    }
    out[file] = wanted;
  }
  return out;
}
