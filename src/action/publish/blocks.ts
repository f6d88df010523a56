import { summaryBlocks } from '../../github/pr-summary.js';
import type { PublishContext, ReadinessResult } from './types.js';

/**
 * The report's Markdown blocks, as the summary comment, the check run and the job summary show
 * it: made when asked, from the result and what the publishers before did (which findings got an
 * inline comment).
 */
export function reportBlocks(result: ReadinessResult, ctx: PublishContext): string[] {
  const { run } = ctx;
  const link = (file: string, line: number) =>
    `${run.serverUrl}/${run.repo.owner}/${run.repo.repo}/blob/${result.commit}/${file.split('/').map(encodeURIComponent).join('/')}#L${line}`;
  return summaryBlocks(result.run, {
    failOn: result.failOn,
    failed: result.failed,
    link,
    commented: ctx.state.commented,
    overLimit: ctx.state.overLimit,
    notes: [...result.notes, ...ctx.state.notes],
  });
}

/** The check run's title: the verdict and the count. */
export function headline(result: ReadinessResult): string {
  const what = result.run.mode === 'pull-request' ? 'new finding' : 'finding';
  const n = result.counted.length;
  return `${result.failed ? 'Not ready' : 'Ready'}: ${n} ${what}${n === 1 ? '' : 's'}`;
}
