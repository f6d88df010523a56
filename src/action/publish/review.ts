import * as core from '@actions/core';
import { CommentableLines } from '../../github/hunks.js';
import { listReviewComments, planReview, publishReview } from '../../github/review.js';
import { canWrite, type Publisher } from './types.js';

/**
 * Inline review comments: each new finding on a line the pull request shows (or on the lines it
 * deleted), once; earlier comments whose finding is gone are deleted or marked resolved.
 */
export const publishReviewComments: Publisher = async (result, ctx) => {
  const pr = result.pullRequest;
  if (pr && canWrite(result, ctx) && ctx.settings.review && ctx.files && ctx.identity) {
    const { session } = ctx;
    const existing = await listReviewComments(session, { number: pr.number, headSha: pr.headSha });
    if (existing) {
      const { run } = result;
      const plan = planReview({
        newFindings: run.newFindings,
        headFingerprints: new Set(run.findings.map((f) => f.fingerprint)),
        lines: new CommentableLines(ctx.files),
        existing,
        maxComments: ctx.settings.maxInlineComments,
        lineText: (file, line) => result.lines[file]?.[String(line)],
        keepStale: run.errors.some((e) => e.level === 'error'),
        key: result.key,
        identity: ctx.identity,
      });
      const outcome = await publishReview(session, { number: pr.number, headSha: pr.headSha }, plan);
      for (const f of plan.alreadyCommented) ctx.state.commented.add(f.fingerprint);
      for (const fp of outcome.postedFingerprints) ctx.state.commented.add(fp);
      for (const f of plan.overLimit) ctx.state.overLimit.add(f.fingerprint);
      core.info(
        `Review: ${outcome.posted} new inline comments, ${plan.alreadyCommented.length} already commented, ${outcome.deleted} deleted, ${outcome.resolved} marked resolved, ${plan.outsideDiff.length} outside the diff, ${plan.overLimit.length} over the limit of ${ctx.settings.maxInlineComments}.`,
      );
    }
  }
  if (ctx.session?.writeDenied && canWrite(result, ctx)) {
    ctx.state.notes.push(
      'The token may not write review comments (needs `pull-requests: write`): findings are in the annotations and the job summary.',
    );
    core.info('GitHub refused a write (403): falling back to annotations, the job summary and SARIF.');
  }
};
