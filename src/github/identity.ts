import type { GitHubSession } from './client.js';
import { statusOf } from './client.js';

/**
 * Who the token acts as, so that only comments it wrote are taken for shipshape's own: a
 * reviewer's comment that quotes one of ours, hidden marker and all, is never edited or deleted.
 *
 * A personal token is a user (`GET /user` says which). An installation token (the workflow's
 * `GITHUB_TOKEN`, or a GitHub App's) is no user: GitHub answers 403 there, and the workflow's
 * token writes as `github-actions[bot]`; an App's token writes as `<app-slug>[bot]`, which the
 * `bot-login` input names.
 */

export const ACTIONS_BOT = 'github-actions[bot]';

export interface Identity {
  login: string;
}

export interface Author {
  login?: string;
}

export async function resolveIdentity(session: GitHubSession, configured?: string): Promise<Identity> {
  if (configured) return { login: configured };
  try {
    const { data } = await session.octokit.rest.users.getAuthenticated();
    return { login: data.login };
  } catch (error) {
    // Not a failure of the run: the token is an installation's, not a user's.
    if (statusOf(error) !== 403)
      session.log.info(
        `GitHub: cannot tell who the token is (${statusOf(error) ?? 'no answer'}); assuming ${ACTIONS_BOT}`,
      );
    return { login: ACTIONS_BOT };
  }
}

/** Written by the identity the token acts as. */
export function isOurs(author: Author | null | undefined, identity: Identity): boolean {
  return author?.login !== undefined && author.login.toLowerCase() === identity.login.toLowerCase();
}
