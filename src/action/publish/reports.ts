import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { VERSION } from '../../cli/version.js';
import { asCheckResult, pullRequestJson } from '../../report/pull-request.js';
import { renderSarif } from '../../report/sarif.js';
import { onePerLine } from '../../rules/engine.js';
import { maskSecrets } from '../../secrets/index.js';
import { type Publisher, readOnly } from './types.js';

/**
 * Report files and step outputs: the JSON report (always), SARIF (when asked for, and as a
 * fallback when nothing could be written to the pull request), and the counts.
 */
export const publishReports: Publisher = async (result, ctx) => {
  const dir = path.join(ctx.run.tempDir, 'shipshape');
  await mkdir(dir, { recursive: true });
  const jsonPath = path.join(dir, 'report.json');
  await writeFile(jsonPath, maskSecrets(`${JSON.stringify(pullRequestJson(result.run), null, 2)}\n`));
  core.setOutput('report-json', jsonPath);

  // Without write access the SARIF report is one of the fallbacks: write it even unasked.
  const fellBack = readOnly(result) || ctx.session?.writeDenied === true;
  const sarifPath = ctx.settings.sarif
    ? path.resolve(ctx.run.workspace, ctx.settings.sarif)
    : fellBack
      ? path.join(dir, 'report.sarif')
      : undefined;
  if (sarifPath) {
    await mkdir(path.dirname(sarifPath), { recursive: true });
    const all = asCheckResult(result.run, onePerLine(result.run.findings));
    await writeFile(sarifPath, maskSecrets(renderSarif(all, { version: VERSION })));
    if (!ctx.settings.sarif)
      core.info(`SARIF report: ${sarifPath} (upload it with github/codeql-action/upload-sarif)`);
  }
  core.setOutput('report-sarif', sarifPath ?? '');
  const count = (s: string) => String(result.counted.filter((f) => f.severity === s).length);
  core.setOutput('errors', count('error'));
  core.setOutput('warnings', count('warning'));
  core.setOutput('notices', count('info'));
  core.setOutput('rendered-changed', String(result.run.renderedChanged));
};
