import * as core from '@actions/core';
import { jobSummary } from '../../github/pr-summary.js';
import { renderGithub } from '../../report/github.js';
import { asCheckResult } from '../../report/pull-request.js';
import { maskSecrets } from '../../secrets/index.js';
import { reportBlocks } from './blocks.js';
import type { Publisher } from './types.js';

/**
 * What needs no token: workflow-command annotations, only for findings that neither an inline
 * comment nor a check run carries (a read-only token), and the job summary.
 */
export const publishAnnotations: Publisher = async (result, ctx) => {
  const findings = ctx.state.checkRunMade
    ? []
    : result.counted.filter((f) => !ctx.state.commented.has(f.fingerprint));
  // One command per write: the output guard (action/output.ts) lets a chunk through as a
  // workflow command only when it is one line, as @actions/core writes them.
  for (const line of renderGithub(asCheckResult(result.run, findings)).split('\n')) {
    if (line) process.stdout.write(`${line}\n`);
  }
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(maskSecrets(jobSummary(reportBlocks(result, ctx)))).write();
};
