import { publishAnnotations } from './annotations.js';
import { publishCheck } from './check-run.js';
import { publishReports } from './reports.js';
import { publishReviewComments } from './review.js';
import { publishSummaryComment } from './summary-comment.js';
import type { PublishContext, Publisher, ReadinessResult } from './types.js';

export type { PublishContext, Publisher, PublishState, ReadinessResult } from './types.js';

/**
 * Every output of the pull-request and check jobs, in order: the review first (the others say
 * which findings it commented), the check run before the workflow annotations (which it makes
 * unnecessary). A new output is one new file and one line here.
 */
export const PUBLISHERS: readonly Publisher[] = [
  publishReviewComments,
  publishSummaryComment,
  publishCheck,
  publishAnnotations,
  publishReports,
];

/** Run every publisher over one result; each reports its own failures and the rest go on. */
export async function publishAll(result: ReadinessResult, ctx: PublishContext): Promise<void> {
  for (const publish of PUBLISHERS) await publish(result, ctx);
}
