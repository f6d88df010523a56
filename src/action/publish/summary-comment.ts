import * as core from '@actions/core';
import type { GitHubSession } from '../../github/client.js';
import { type Identity, isOurs } from '../../github/identity.js';
import { splitMarkdown } from '../../github/markdown.js';
import { readSummaryMarker } from '../../github/markers.js';
import { publishSticky, SUMMARY_PART_LIMIT } from '../../github/sticky.js';
import { reportBlocks } from './blocks.js';
import { canWrite, type Publisher } from './types.js';

/**
 * The sticky summary comment on the pull request, in as many parts as the comment cap needs,
 * updated in place on every run. A pull request that touches no manifest gets none (but an
 * earlier one is kept current).
 */
export const publishSummaryComment: Publisher = async (result, ctx) => {
  const pr = result.pullRequest;
  if (!pr || !canWrite(result, ctx) || !ctx.settings.comment || !ctx.identity) return;
  const nothingToSay = result.run.targets.length === 0 && result.counted.length === 0;
  const parts = splitMarkdown(reportBlocks(result, ctx), SUMMARY_PART_LIMIT);
  const existing = nothingToSay ? await hasSticky(ctx.session, pr.number, result.key, ctx.identity) : true;
  if (!existing) {
    core.info('No manifest is affected: no summary comment.');
    return;
  }
  const outcome = await publishSticky(ctx.session, pr.number, parts, ctx.identity, result.key);
  core.info(
    `Summary comment: ${outcome.created} created, ${outcome.updated} updated, ${outcome.deleted} deleted (${parts.length} parts).`,
  );
};

async function hasSticky(
  session: GitHubSession,
  issue: number,
  key: string,
  identity: Identity,
): Promise<boolean> {
  const comments = await session.call('list pull request comments', (gh) =>
    gh.paginate(gh.rest.issues.listComments, { ...session.repo, issue_number: issue, per_page: 100 }),
  );
  return (comments ?? []).some((c) => isOurs(c.user, identity) && readSummaryMarker(c.body)?.key === key);
}
