import type { CheckResult } from '../jobs/check.js';
import { pushTo } from '../model/collections.js';
import type { Finding, InputError, Severity } from '../model/types.js';
import { objectName, plural, severityCounts, summarize } from './summary.js';

/**
 * The terminal report: grouped by file, in line order, each finding with its object and field
 * path, and the fix. A fix is printed once per file, at the first finding it answers: the same
 * paragraph under every container of a Deployment drowned what differs between them.
 * Colour only when the caller says so (a TTY without NO_COLOR); plain text otherwise.
 */

export interface TextOptions {
  color?: boolean;
}

type Paint = (code: number, text: string) => string;

const SEVERITY_COLOR: Record<Severity, number> = { error: 31, warning: 33, info: 36 };
const BOLD = 1;
const DIM = 2;
/** Where a finding's second and third lines start, under its message. */
const UNDER = ' '.repeat(9);

/** What the report shows under a file at a line: a finding or an input error. */
interface Item {
  line: number;
  column: number;
  finding?: Finding;
  error?: InputError;
}

export function renderText(result: CheckResult, options: TextOptions = {}): string {
  return [...textChunks(result, options)].join('');
}

/**
 * The report in pieces of about 64 KiB, so that a large one (a file of 20,000 Deployments, 100,000
 * findings) is never held whole: each finding's text is made as it is written, and its parts are
 * joined once per piece (a string built with `+` is a tree of every part until it is written).
 */
export function* textChunks(result: CheckResult, options: TextOptions = {}): Generator<string> {
  const paint: Paint = options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_, text) => text;
  const byFile = new Map<string, Item[]>();
  const unplaced: string[] = [];

  for (const e of result.errors) {
    if (e.location)
      pushTo(byFile, e.location.file, { line: e.location.line, column: e.location.column, error: e });
    else unplaced.push(`  ${label(e, paint)}  ${e.message}`);
  }
  for (const f of result.findings)
    pushTo(byFile, f.location.file, { line: f.location.line, column: f.location.column, finding: f });

  const out = new Pieces();
  if (unplaced.length > 0) out.add(`${unplaced.join('\n')}\n\n`);
  for (const file of [...byFile.keys()].sort()) {
    const items = byFile.get(file)!.sort((a, b) => a.line - b.line || a.column - b.column);
    // A loop, not Math.max(...): a file may hold tens of thousands of findings.
    let width = 0;
    for (const e of items) width = Math.max(width, `${e.line}:${e.column}`.length);
    out.add(`${paint(BOLD, file)}\n`);
    const indent = ' '.repeat(width + 4);
    const fixes = new Set<string>();
    for (const item of items) {
      out.add('  ', paint(DIM, `${item.line}:${item.column}`.padEnd(width)), '  ');
      if (item.error) {
        out.add(errorText(item.error, paint), '\n');
      } else {
        const f = item.finding!;
        out.add(findingText(f, paint), '\n', indent, paint(DIM, `${UNDER}${objectName(f)} ${f.path}`), '\n');
        if (!fixes.has(f.remediation)) {
          fixes.add(f.remediation);
          out.add(indent, UNDER, 'fix: ', f.remediation, '\n');
        }
      }
      if (out.full()) yield out.take();
    }
    out.add('\n');
  }
  out.add(`${headline(result, paint)}\n`);
  yield out.take();
}

/** Parts of the text not yet written, joined when there are enough of them to be worth a write. */
class Pieces {
  private parts: string[] = [];
  private length = 0;

  add(...parts: string[]): void {
    for (const part of parts) {
      this.parts.push(part);
      this.length += part.length;
    }
  }

  full(): boolean {
    return this.length >= 1 << 16;
  }

  take(): string {
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    return text;
  }
}

/** A finding's first line: severity, message, rule and category. */
function findingText(f: Finding, paint: Paint): string {
  const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7));
  return `${severity}  ${f.message}  ${paint(DIM, `${f.ruleId} (${f.checklist})`)}`;
}

function errorText(e: InputError, paint: Paint): string {
  return `${label(e, paint)}  ${e.message}`;
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
