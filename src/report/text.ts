import type { CheckResult } from '../jobs/check.js';
import { pushTo } from '../model/collections.js';
import type { Finding, InputError, Severity, SourceLocation } from '../model/types.js';
import { Pieces } from './pieces.js';
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

export function renderText(result: CheckResult, options: TextOptions = {}): string {
  return [...textChunks(result, options)].join('');
}

/**
 * The report in pieces (report/pieces.ts), so that a large one (a file of 20,000 Deployments,
 * 100,000 findings) is never held whole: each finding's text is made as it is written.
 */
export function* textChunks(result: CheckResult, options: TextOptions = {}): Generator<string> {
  const paint: Paint = options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_, text) => text;
  const errorsByFile = new Map<string, InputError[]>();
  const findingsByFile = new Map<string, Finding[]>();
  const unplaced: string[] = [];

  for (const e of result.errors) {
    if (e.location) pushTo(errorsByFile, e.location.file, e);
    else unplaced.push(`  ${label(e, paint)}  ${e.message}`);
  }
  for (const f of result.findings) pushTo(findingsByFile, f.location.file, f);

  const out = new Pieces();
  if (unplaced.length > 0) out.add(`${unplaced.join('\n')}\n\n`);
  const files = new Set([...errorsByFile.keys(), ...findingsByFile.keys()]);
  for (const file of [...files].sort()) {
    const errors = byPosition(errorsByFile.get(file) ?? [], (e) => e.location!);
    const findings = byPosition(findingsByFile.get(file) ?? [], (f) => f.location);
    // A loop, not Math.max(...): a file may hold tens of thousands of findings.
    let width = 0;
    for (const e of errors) width = Math.max(width, positionOf(e.location!).length);
    for (const f of findings) width = Math.max(width, positionOf(f.location).length);
    out.add(`${paint(BOLD, file)}\n`);
    const indent = ' '.repeat(width + 4);
    const fixes = new Set<string>();
    // In line order, an input error before a finding at the same place.
    let i = 0;
    let j = 0;
    while (i < errors.length || j < findings.length) {
      const e = errors[i];
      const f = findings[j];
      if (e && (!f || comparePositions(e.location!, f.location) <= 0)) {
        out.add('  ', paint(DIM, positionOf(e.location!).padEnd(width)), '  ', errorText(e, paint), '\n');
        i++;
      } else {
        out.add('  ', paint(DIM, positionOf(f.location).padEnd(width)), '  ', findingText(f, paint), '\n');
        out.add(indent, paint(DIM, `${UNDER}${objectName(f)} ${f.path}`), '\n');
        if (!fixes.has(f.remediation)) {
          fixes.add(f.remediation);
          out.add(indent, UNDER, 'fix: ', f.remediation, '\n');
        }
        j++;
      }
      if (out.full()) yield out.take();
    }
    out.add('\n');
  }
  out.add(`${headline(result, paint)}\n`);
  yield out.take();
}

function positionOf(at: SourceLocation): string {
  return `${at.line}:${at.column}`;
}

function comparePositions(a: SourceLocation, b: SourceLocation): number {
  return a.line - b.line || a.column - b.column;
}

/**
 * In line order, stably. A check's findings already are (sorted by file, line and column), so
 * they are only read through: a copy is sorted only when they are not.
 */
function byPosition<T>(items: T[], at: (item: T) => SourceLocation): T[] {
  for (let k = 1; k < items.length; k++) {
    if (comparePositions(at(items[k - 1]), at(items[k])) > 0)
      return [...items].sort((a, b) => comparePositions(at(a), at(b)));
  }
  return items;
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
