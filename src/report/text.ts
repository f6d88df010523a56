import type { CheckResult } from '../jobs/check.js';
import { pushTo } from '../model/collections.js';
import type { Finding, InputError, Severity } from '../model/types.js';
import { objectName, plural, severityCounts, summarize } from './summary.js';

/**
 * The terminal report: grouped by file, in line order, each finding with its object, field path
 * and fix. Colour only when the caller says so (a TTY without NO_COLOR); plain text otherwise.
 */

export interface TextOptions {
  color?: boolean;
}

type Paint = (code: number, text: string) => string;

const SEVERITY_COLOR: Record<Severity, number> = { error: 31, warning: 33, info: 36 };
const BOLD = 1;
const DIM = 2;

/** One line of the report under a file: a finding or an input error, at a line and column. */
interface Entry {
  line: number;
  column: number;
  text: string[];
}

export function renderText(result: CheckResult, options: TextOptions = {}): string {
  const paint: Paint = options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_, text) => text;
  const byFile = new Map<string, Entry[]>();
  const unplaced: string[] = [];

  for (const e of result.errors) {
    if (e.location) pushTo(byFile, e.location.file, errorEntry(e, paint));
    else unplaced.push(`  ${label(e, paint)}  ${e.message}`);
  }
  for (const f of result.findings) pushTo(byFile, f.location.file, findingEntry(f, paint));

  const out: string[] = [];
  if (unplaced.length > 0) out.push(...unplaced, '');
  for (const file of [...byFile.keys()].sort()) {
    const entries = byFile.get(file)!.sort((a, b) => a.line - b.line || a.column - b.column);
    // A loop, not Math.max(...): a file may hold tens of thousands of findings.
    let width = 0;
    for (const e of entries) width = Math.max(width, `${e.line}:${e.column}`.length);
    out.push(paint(BOLD, file));
    for (const entry of entries) {
      const pos = `${entry.line}:${entry.column}`.padEnd(width);
      const indent = ' '.repeat(width + 4);
      out.push(`  ${paint(DIM, pos)}  ${entry.text[0]}`);
      for (const more of entry.text.slice(1)) out.push(`${indent}${more}`);
    }
    out.push('');
  }
  out.push(headline(result, paint));
  return `${out.join('\n')}\n`;
}

function findingEntry(f: Finding, paint: Paint): Entry {
  const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7));
  return {
    line: f.location.line,
    column: f.location.column,
    text: [
      `${severity}  ${f.message}  ${paint(DIM, `${f.ruleId} (${f.checklist})`)}`,
      paint(DIM, `${' '.repeat(9)}${objectName(f)} ${f.path}`),
      `${' '.repeat(9)}fix: ${f.remediation}`,
    ],
  };
}

function errorEntry(e: InputError, paint: Paint): Entry {
  return {
    line: e.location?.line ?? 0,
    column: e.location?.column ?? 0,
    text: [`${label(e, paint)}  ${e.message}`],
  };
}

function label(e: InputError, paint: Paint): string {
  return e.level === 'error' ? paint(SEVERITY_COLOR.error, 'input error') : paint(DIM, 'note'.padEnd(11));
}

function headline(result: CheckResult, paint: Paint): string {
  const s = summarize(result);
  const scope = `${plural(s.objects, 'object')} from ${plural(s.files, 'file')}`;
  const extras = [
    s.suppressed ? `${s.suppressed} suppressed` : '',
    s.baselined ? `${s.baselined} in the baseline` : '',
    s.errors ? paint(SEVERITY_COLOR.error, plural(s.errors, 'input error')) : '',
    s.notes ? plural(s.notes, 'note') : '',
  ].filter(Boolean);
  const tail = extras.length ? `; ${extras.join(', ')}` : '';
  if (s.findings === 0) return `${paint(32, '✔')} no findings in ${scope}${tail}`;
  const mark = paint(s.bySeverity.error ? SEVERITY_COLOR.error : SEVERITY_COLOR.warning, '✖');
  return `${mark} ${plural(s.findings, 'finding')} (${severityCounts(s)}) in ${scope}${tail}`;
}
