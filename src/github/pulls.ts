import type { GitHubSession } from './client.js';

/**
 * Which open pull request a `workflow_run` is about, from GitHub alone: the run's head commit,
 * branch and repository as the event names them, matched against the pull requests GitHub lists
 * for that head. GitHub leaves `workflow_run.pull_requests` empty when the head is in a fork, so
 * the list is asked by `owner:branch`; a pull request counts only when its head is exactly the
 * run's commit in the run's repository. Nothing a result file says takes part.
 */

export interface RunHead {
  headSha: string;
  headBranch: string;
  /** `owner/name` of the head's repository. */
  headRepository: string;
}

export interface FoundPull {
  number: number;
  baseSha: string;
  baseRef: string;
  headSha: string;
  headRef: string;
  /** The head is in another repository than the base. */
  fromFork: boolean;
}

export type PullLookup = { pull: FoundPull } | { error: string; superseded?: boolean };

export async function findPullForRun(session: GitHubSession, run: RunHead): Promise<PullLookup> {
  const owner = run.headRepository.split('/')[0];
  if (!owner || !run.headBranch)
    return { error: 'the workflow_run event names no head repository and branch' };
  const pulls = await session.call('list pull requests', (gh) =>
    gh.paginate(gh.rest.pulls.list, {
      ...session.repo,
      state: 'open',
      head: `${owner}:${run.headBranch}`,
      per_page: 100,
    }),
  );
  if (!pulls) return { error: 'could not list the pull requests for the run’s head (see the log)' };
  const here = `${session.repo.owner}/${session.repo.repo}`.toLowerCase();
  const fromRepo = pulls.filter(
    (p) =>
      p.head.ref === run.headBranch &&
      (p.head.repo?.full_name ?? '').toLowerCase() === run.headRepository.toLowerCase() &&
      (p.base.repo?.full_name ?? here).toLowerCase() === here,
  );
  const matching = fromRepo.filter((p) => p.head.sha === run.headSha);
  if (matching.length === 1) {
    const p = matching[0];
    return {
      pull: {
        number: p.number,
        baseSha: p.base.sha,
        baseRef: p.base.ref,
        headSha: p.head.sha,
        headRef: p.head.ref,
        fromFork: (p.head.repo?.full_name ?? '').toLowerCase() !== here,
      },
    };
  }
  if (matching.length > 1)
    return {
      error: `${matching.length} open pull requests have head ${run.headSha.slice(0, 12)}: not publishing to any`,
    };
  if (fromRepo.length > 0)
    return {
      superseded: true,
      error: `pull request #${fromRepo[0].number} has moved on to ${fromRepo[0].head.sha.slice(0, 12)} since this run (${run.headSha.slice(0, 12)}): the newer run publishes`,
    };
  return {
    error: `no open pull request has head ${run.headRepository}:${run.headBranch} at ${run.headSha.slice(0, 12)}`,
  };
}
