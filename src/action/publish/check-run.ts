import * as core from '@actions/core';
import { type Annotation, publishCheckRun } from '../../github/checks.js';
import { jobSummary } from '../../github/pr-summary.js';
import type { Finding } from '../../model/types.js';
import { headline, reportBlocks } from './blocks.js';
import { canWrite, type Publisher } from './types.js';

/**
 * The check run a branch protection rule can require: the verdict, the report, and an annotation
 * for each counted finding that has no inline comment (each finding shows once in the files view).
 */
export const publishCheck: Publisher = async (result, ctx) => {
  if (!canWrite(result, ctx)) return;
  const { session } = ctx;
  const failuresBefore = session.failures.length;
  const annotations = result.counted.filter((f) => !ctx.state.commented.has(f.fingerprint)).map(toAnnotation);
  const check = await publishCheckRun(session, {
    name: result.checkName,
    headSha: result.commit,
    conclusion: result.failed ? 'failure' : 'success',
    title: headline(result),
    summary: jobSummary(reportBlocks(result, ctx), 65_000),
    annotations,
    ...(ctx.run.runUrl ? { detailsUrl: ctx.run.runUrl } : {}),
  });
  ctx.state.checkRunMade = !check.failed;
  if (!check.failed) {
    core.info(`Check run: ${result.failed ? 'failure' : 'success'}, ${check.annotations} annotations.`);
  } else if (session.failures.slice(failuresBefore).some((f) => f.status === 403)) {
    core.info(
      'GitHub refused the check run (needs `checks: write`): the job status and the annotations carry the verdict.',
    );
  }
};

const LEVEL: Record<Finding['severity'], Annotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  info: 'notice',
};

function toAnnotation(f: Finding): Annotation {
  return {
    path: f.location.file,
    start_line: f.location.line,
    end_line: f.location.endLine ?? f.location.line,
    annotation_level: LEVEL[f.severity],
    title: `${f.ruleId} (${f.checklist})`,
    message: `${f.message}\nFix: ${f.remediation}`,
    raw_details: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name} ${f.path}`,
  };
}
