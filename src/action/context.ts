import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Repo } from '../github/client.js';

/**
 * What the runner tells the Action about this run, read once from the environment and the event
 * payload (GITHUB_EVENT_PATH), the way @actions/github's context does, plus what it leaves out:
 * whether the pull request comes from a fork (its token is read-only then).
 */

export interface PullRequestInfo {
  number: number;
  baseSha: string;
  headSha: string;
  baseRef: string;
  headRef: string;
  /** The head lives in another repository: the workflow token cannot write. */
  fromFork: boolean;
}

/**
 * What a `workflow_run` event says about the run that triggered it: GitHub's own account, the one
 * thing a publish job trusts about which pull request and commit a result file is for.
 */
export interface WorkflowRunInfo {
  id: number;
  /** The triggering run's event (`pull_request` for the fork pattern). */
  event: string;
  headSha: string;
  headBranch: string;
  /** `owner/name` of the repository the head lives in (a fork's, for a fork's pull request). */
  headRepository: string;
}

export interface RunContext {
  eventName: string;
  workspace: string;
  sha: string;
  repo: Repo;
  apiUrl: string;
  serverUrl: string;
  runUrl?: string;
  tempDir: string;
  pullRequest?: PullRequestInfo;
  workflowRun?: WorkflowRunInfo;
}

type Env = Record<string, string | undefined>;

export function readContext(env: Env = process.env): RunContext {
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const ctx: RunContext = {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    sha: env.GITHUB_SHA ?? '',
    repo: { owner, repo },
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    serverUrl,
    tempDir: env.RUNNER_TEMP ?? os.tmpdir(),
  };
  if (env.GITHUB_RUN_ID && owner)
    ctx.runUrl = `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`;
  const pr = pullRequestOf(payload);
  if (pr) ctx.pullRequest = pr;
  const run = workflowRunOf(payload);
  if (run) ctx.workflowRun = run;
  return ctx;
}

export function workflowRunOf(payload: Record<string, unknown>): WorkflowRunInfo | undefined {
  const run = payload.workflow_run as
    | {
        id?: number;
        event?: string;
        head_sha?: string;
        head_branch?: string;
        head_repository?: { full_name?: string } | null;
      }
    | undefined;
  if (!run?.id || !run.head_sha) return undefined;
  return {
    id: run.id,
    event: run.event ?? '',
    headSha: run.head_sha,
    headBranch: run.head_branch ?? '',
    headRepository: run.head_repository?.full_name ?? '',
  };
}

function readPayload(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

interface PayloadPull {
  number?: number;
  base?: { sha?: string; ref?: string; repo?: { full_name?: string } };
  head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
}

export function pullRequestOf(payload: Record<string, unknown>): PullRequestInfo | undefined {
  const pr = payload.pull_request as PayloadPull | undefined;
  if (!pr?.number || !pr.base?.sha || !pr.head?.sha) return undefined;
  const baseRepo = pr.base.repo?.full_name;
  const headRepo = pr.head.repo?.full_name;
  return {
    number: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    baseRef: pr.base.ref ?? '',
    headRef: pr.head.ref ?? '',
    // A deleted fork has no head repository at all; treat it as a fork too.
    fromFork: headRepo === undefined || headRepo !== baseRepo,
  };
}
