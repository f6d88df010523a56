import type { GitHubSession } from './client.js';
import { type Identity, isOurs } from './identity.js';
import { GITHUB_COMMENT_LIMIT } from './markdown.js';
import { readSummaryMarker, summaryMarker } from './markers.js';

/**
 * The sticky summary: one comment per pull request (more when it must be split), found again by
 * its hidden marker and edited in place on every push, so the conversation does not fill up with
 * a new report per commit.
 */

/** Room each part leaves for its marker line. */
export const SUMMARY_PART_LIMIT = GITHUB_COMMENT_LIMIT - 200;

export interface StickyOutcome {
  created: number;
  updated: number;
  deleted: number;
  failed: boolean;
}

export async function publishSticky(
  session: GitHubSession,
  issueNumber: number,
  parts: readonly string[],
  identity: Identity,
  key = 'default',
): Promise<StickyOutcome> {
  const outcome: StickyOutcome = { created: 0, updated: 0, deleted: 0, failed: false };
  const comments = await session.call('list pull request comments', (gh) =>
    gh.paginate(gh.rest.issues.listComments, { ...session.repo, issue_number: issueNumber, per_page: 100 }),
  );
  if (!comments) {
    outcome.failed = true;
    return outcome;
  }
  const ours = comments
    .filter((c) => isOurs(c.user, identity))
    .map((c) => ({ id: c.id, body: c.body ?? '', marker: readSummaryMarker(c.body) }))
    .filter((c) => c.marker?.key === key)
    .sort((a, b) => a.marker!.part - b.marker!.part || a.id - b.id);

  for (let i = 0; i < parts.length; i++) {
    const body = `${summaryMarker(i + 1, parts.length, key)}\n${parts[i]}`;
    const existing = ours[i];
    if (existing?.body === body) continue;
    const ok = existing
      ? await session.call(`update summary comment ${existing.id}`, (gh) =>
          gh.rest.issues.updateComment({ ...session.repo, comment_id: existing.id, body }),
        )
      : await session.call('create summary comment', (gh) =>
          gh.rest.issues.createComment({ ...session.repo, issue_number: issueNumber, body }),
        );
    if (!ok) outcome.failed = true;
    else if (existing) outcome.updated++;
    else outcome.created++;
  }
  for (const stale of ours.slice(parts.length)) {
    const ok = await session.call(`delete summary comment ${stale.id}`, (gh) =>
      gh.rest.issues.deleteComment({ ...session.repo, comment_id: stale.id }),
    );
    if (ok) outcome.deleted++;
  }
  return outcome;
}
