import path from 'node:path';
import type { FailOn } from '../../config/check.js';
import type { Config } from '../../config/index.js';
import { formatDiff } from '../../diff/format.js';
import { summaryBlocks } from '../../github/pr-summary.js';
import { reachesThreshold } from '../../jobs/check.js';
import type { ShardSpec } from '../../model/partition.js';
import { GitError } from '../../render/git.js';
import { type ReportFormat, renderReport } from '../../report/index.js';
import { asCheckResult, countedFindings, pullRequestJson } from '../../report/pull-request.js';
import { type CliIo, EXIT } from '../io.js';
import { formatError, shardLine } from '../render-flags.js';
import { VERSION } from '../version.js';
import { runAgainstBase } from './base.js';

/**
 * `shipshape check --base <ref> [--head <ref>]`: a local preview of what the Action says on the
 * pull request. The same pipeline as the Action's pull-request job (cli/commands/base.ts): from
 * the merge base, the targets the change touches, new findings only (those the base already had
 * are existing, and do not fail), and the rendered diff.
 *
 * - text: the new findings as `check` reports findings, a line with the counts, the rendered diff;
 * - markdown: the summary comment the Action posts, as it would read;
 * - json: the Action's report.json (every head finding, and the pullRequest section);
 * - sarif, github: the new findings.
 */

export interface CheckBaseInput {
  base: string;
  head?: string;
  paths: readonly string[];
  format: ReportFormat;
  /** `--fail-on`; else the config's `failOn`, else error. */
  failOn?: FailOn;
  output?: string;
  color: boolean;
  /** `--config`, read at the base commit. */
  configFile?: string;
  /** What the command line adds to the config. */
  adjust?: (config: Config) => void;
  /** Only this shard's part of the affected targets (`--shard I/N`). */
  shard?: ShardSpec;
}

export async function checkAgainstBase(input: CheckBaseInput, io: CliIo): Promise<number> {
  let run: Awaited<ReturnType<typeof runAgainstBase>>;
  try {
    run = await runAgainstBase({
      cwd: io.cwd,
      base: input.base,
      head: input.head,
      paths: input.paths,
      configFile: input.configFile,
      adjust: input.adjust,
      today: io.today,
      shard: input.shard,
    });
  } catch (err) {
    if (err instanceof GitError) {
      io.stderr.write(`shipshape check: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
  const { result } = run;
  if (result.shard) io.stderr.write(shardLine(result.shard));
  for (const note of run.notes) io.stderr.write(`note: ${note}\n`);
  const failOn: FailOn = input.failOn ?? run.config.failOn ?? 'error';
  const counted = countedFindings(result);
  const inputErrors = result.errors.some((e) => e.level === 'error');
  const failed = failOn !== 'never' && (reachesThreshold(counted, failOn) || inputErrors);

  let text: string;
  switch (input.format) {
    case 'markdown':
      text = `${summaryBlocks(result, { failOn, failed, notes: run.notes }).join('\n\n')}\n`;
      break;
    case 'json':
      text = `${JSON.stringify(pullRequestJson(result), null, 2)}\n`;
      break;
    case 'text': {
      const from = `${run.base}${result.mergeBase ? ` (merge base ${result.mergeBase.slice(0, 12)})` : ''}`;
      const counts = `${counted.length} new finding${counted.length === 1 ? '' : 's'}, ${result.existingFindings.length} existing, ${result.fixedFindings.length} fixed`;
      const report = renderReport('text', asCheckResult(result, counted), {
        version: VERSION,
        color: input.color,
      });
      const diff =
        run.diffs.length === 0
          ? `No target is affected by the change from ${run.base}.\n`
          : `Rendered diff:\n\n${formatDiff(run.diffs)}`;
      text = `Compared with ${from}, head ${run.head}: ${counts}.\n\n${report}\n${diff}`;
      break;
    }
    default:
      text = renderReport(input.format, asCheckResult(result, counted), { version: VERSION });
  }
  if (input.output) {
    await io.writeFile(path.resolve(io.cwd, input.output), text);
    io.stderr.write(
      `shipshape: ${counted.length} new finding${counted.length === 1 ? '' : 's'}; report in ${input.output}\n`,
    );
  } else {
    // Errors in the report formats are in the report; say the others' once on stderr.
    if (input.format === 'markdown') for (const e of run.errors) io.stderr.write(`${formatError(e)}\n`);
    await io.stdout.write(text);
  }
  if (inputErrors) return EXIT.usage;
  return reachesThreshold(counted, failOn) ? EXIT.findings : EXIT.ok;
}
