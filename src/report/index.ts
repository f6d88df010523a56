import type { CheckResult } from '../jobs/check.js';
import { renderGithub } from './github.js';
import { jsonChunks, renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { inPieces } from './pieces.js';
import { renderSarif } from './sarif.js';
import { renderText, textChunks } from './text.js';

/** Every report format by name, as `--format` takes it. */

export interface ReportOptions {
  /** shipshape's version, for reports that name the tool (SARIF). */
  version: string;
  /** ANSI colour (text only): the caller decides (a TTY, and NO_COLOR unset). */
  color?: boolean;
}

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const RENDERERS: Record<ReportFormat, (result: CheckResult, options: ReportOptions) => string> = {
  text: (r, o) => renderText(r, { color: o.color }),
  json: (r) => renderJson(r),
  sarif: (r, o) => renderSarif(r, { version: o.version }),
  markdown: (r) => renderMarkdown(r),
  github: (r) => renderGithub(r),
};

export function renderReport(format: ReportFormat, result: CheckResult, options: ReportOptions): string {
  return RENDERERS[format](result, options);
}

/**
 * The report in pieces of about 64 KiB (report/pieces.ts), for writing as it is made: text and
 * JSON are made a finding at a time, the other formats in one piece.
 */
export function* reportChunks(
  format: ReportFormat,
  result: CheckResult,
  options: ReportOptions,
): Generator<string> {
  if (format === 'json') yield* inPieces(jsonChunks(result));
  else if (format === 'text') yield* textChunks(result, { color: options.color });
  else yield renderReport(format, result, options);
}

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}
