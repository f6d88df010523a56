import type {
  DriftCoverage,
  DriftError,
  DriftItem,
  DriftReport,
  ImageIssue,
  MissingItem,
  OrphanItem,
} from '../drift/types.js';
import { pushTo } from '../model/collections.js';
import { type ObjectRef, refKey } from '../model/types.js';

/**
 * Drift reports: text for the terminal, JSON (the stable contract), Markdown for the job summary
 * and the drift issue. Values are already redacted by the comparison (secrets show as sizes).
 */

export const DRIFT_FORMATS = ['text', 'json', 'markdown'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

export function isDriftFormat(value: string): value is DriftFormat {
  return (DRIFT_FORMATS as readonly string[]).includes(value);
}

export const MANAGER_NOTE =
  'A manager is the name a client gives itself (kubectl-edit, helm, a dashboard), not a person: ' +
  "the cluster's audit log says who ran it.";

export function renderDrift(
  format: DriftFormat,
  report: DriftReport,
  options: { color?: boolean } = {},
): string {
  if (format === 'json') return renderDriftJson(report);
  if (format === 'markdown') return renderDriftMarkdown(report);
  return renderDriftText(report, options);
}

/** `{version, drift, missing, orphans (when looked for), images, errors, coverage}`. */
export function renderDriftJson(report: DriftReport): string {
  const { version, drift, missing, orphans, images, errors, coverage } = report;
  return `${JSON.stringify({ version, drift, missing, orphans, images, errors, coverage }, null, 2)}\n`;
}

/**
 * Whether the run found something to act on: drifted fields, missing objects, objects Git does
 * not know (when looked for), or an image issue other than a missing digest pin (which the
 * checklist already reports on Git's side).
 */
export function hasDrift(report: DriftReport): boolean {
  return (
    report.drift.length > 0 ||
    report.missing.length > 0 ||
    (report.orphans?.length ?? 0) > 0 ||
    report.images.some((i) => i.kind !== 'not-pinned')
  );
}

/** Everything Git declares was rendered and every collection in scope read. */
export function isComplete(report: DriftReport): boolean {
  return (report.coverage?.status ?? 'complete') === 'complete';
}

/**
 * What the run can say: `drift` (found, whatever could not be read), `clean` (nothing found and
 * everything read), or `unknown` (nothing found in what could be read, which is not clean).
 */
export function driftVerdict(report: DriftReport): 'drift' | 'clean' | 'unknown' {
  if (hasDrift(report)) return 'drift';
  return isComplete(report) ? 'clean' : 'unknown';
}

export function driftHeadline(report: DriftReport): string {
  const objects = new Set(report.drift.map((d) => refKey(d.object))).size;
  const parts = [
    `${plural(report.drift.length, 'drifted field')} in ${plural(objects, 'object')}`,
    `${report.missing.length} missing`,
  ];
  if (report.orphans) parts.push(`${report.orphans.length} not in Git`);
  parts.push(plural(report.images.length, 'image issue'));
  if (report.errors.length) parts.push(plural(report.errors.length, 'error'));
  const where = report.cluster ? ` in ${report.cluster}` : '';
  const coverage = report.coverage;
  if (coverage?.status === 'none')
    return `Not compared${where}: nothing could be read from the cluster (${notComparedList(coverage)}); this is not a clean result`;
  const partial =
    coverage?.status === 'partial'
      ? `partial, ${plural(coverage.notCompared.length, 'part')} not compared`
      : '';
  if (hasDrift(report)) return `Drift${where}${partial ? ` (${partial})` : ''}: ${parts.join(', ')}`;
  if (coverage?.status === 'partial')
    return `Partial result${where}: no drift in what was compared, but ${notComparedList(coverage)} could not be compared`;
  return `No drift${where}: the cluster matches Git`;
}

/** The first few of what was not compared, for a headline. */
function notComparedList(coverage: DriftCoverage): string {
  const shown = coverage.notCompared.slice(0, 3);
  const more = coverage.notCompared.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}` || 'nothing';
}

/** The word on how lists were compared: the API server's own description, or the built-in table. */
export function listsNote(coverage: DriftCoverage | undefined): string | undefined {
  if (!coverage?.lists) return undefined;
  if (coverage.lists === 'openapi-v3')
    return "Lists were paired the way the API server's OpenAPI v3 says they merge.";
  const why = coverage.listsNote ? ` (${coverage.listsNote})` : '';
  return coverage.lists === 'mixed'
    ? `Lists were paired by the API server's OpenAPI v3 where it describes them, else by shipshape's built-in table${why}.`
    : `Lists were paired by shipshape's built-in table, not the API server's OpenAPI v3${why}.`;
}

// ---------------------------------------------------------------------------------------------
// Text

type Paint = (code: number, text: string) => string;

export function renderDriftText(report: DriftReport, options: { color?: boolean } = {}): string {
  const paint: Paint = options.color ? (c, t) => `\u001b[${c}m${t}\u001b[0m` : (_, t) => t;
  const out: string[] = [paint(1, driftHeadline(report)), ''];
  const byObject = new Map<string, DriftItem[]>();
  for (const d of report.drift) pushTo(byObject, refKey(d.object), d);
  for (const items of byObject.values()) {
    out.push(paint(1, name(items[0].object)));
    for (const d of items) out.push(...textItem(d, paint));
    out.push('');
  }
  if (report.missing.length) {
    out.push(paint(1, 'Missing: declared in Git, absent from the cluster'));
    for (const m of report.missing) out.push(`  ${name(m.object)}${m.source ? `  (${m.source})` : ''}`);
    out.push('');
  }
  if (report.orphans?.length) {
    out.push(paint(1, 'Not in Git: live objects no target declares and no controller owns'));
    for (const o of report.orphans) out.push(`  ${name(o.object)}  ${created(o)}`);
    out.push('');
  }
  if (report.images.length) {
    out.push(paint(1, 'Images'));
    for (const i of report.images)
      out.push(`  ${name(i.object)} [${i.container}] ${paint(33, i.kind)}: ${i.message}${by(i)}`);
    out.push('');
  }
  if (report.errors.length) {
    out.push(paint(1, 'Errors'));
    for (const e of report.errors) out.push(`  ${paint(31, 'error')}  ${e.message}`);
    out.push('');
  }
  if (report.coverage && report.coverage.status !== 'complete') {
    out.push(paint(1, 'Not compared'));
    for (const n of report.coverage.notCompared) out.push(`  ${n}`);
    out.push('');
  }
  if (report.drift.length || report.images.some((i) => i.manager) || report.orphans?.length)
    out.push(paint(2, MANAGER_NOTE));
  const lists = listsNote(report.coverage);
  if (lists) out.push(paint(2, lists));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function created(o: OrphanItem): string {
  if (!o.manager) return 'created by: unknown (no field manager recorded it)';
  return `created by manager ${o.manager}${o.operation ? ` (${o.operation})` : ''}${o.time ? ` at ${o.time}` : ''}`;
}

const TYPE_COLOR = { changed: 33, added: 35, removed: 31 } as const;

function textItem(d: DriftItem, paint: Paint): string[] {
  const lines = [
    `  ${paint(TYPE_COLOR[d.type], d.type.padEnd(8))} ${d.path}${d.source ? `  (${d.source})` : ''}`,
  ];
  const pad = ' '.repeat(11);
  if (d.type === 'changed') lines.push(`${pad}Git: ${show(d.desired)}  live: ${show(d.live)}`);
  else if (d.type === 'added') lines.push(`${pad}live: ${show(d.live)}`);
  else lines.push(`${pad}Git: ${show(d.desired)}`);
  lines.push(`${pad}${attribution(d)}`);
  return lines;
}

function attribution(d: Pick<DriftItem, 'manager' | 'operation' | 'subresource' | 'time'>): string {
  if (!d.manager) return 'by: unknown (no field manager recorded it)';
  const how = [d.operation, d.subresource ? `subresource ${d.subresource}` : ''].filter(Boolean).join(', ');
  // Writes through /scale carry no time: say so rather than leave the reader guessing.
  return `by manager ${d.manager}${how ? ` (${how})` : ''}${d.time ? ` at ${d.time}` : ', time not recorded'}`;
}

function by(i: ImageIssue): string {
  return i.manager ? ` (image set by manager ${i.manager}${i.time ? ` at ${i.time}` : ''})` : '';
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function renderDriftMarkdown(
  report: DriftReport,
  options: { title?: string; headline?: string } = {},
): string {
  const out = [
    `## ${options.title ?? 'shipshape drift'}`,
    '',
    `**${escapeCell(options.headline ?? driftHeadline(report))}.**`,
  ];
  if (report.drift.length) {
    out.push(
      '',
      '| Object | Change | Field | Git | Live | Manager | When | Declared in |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const d of report.drift) {
      const how = [d.operation, d.subresource].filter(Boolean).join(', ');
      out.push(
        row([
          name(d.object),
          d.type,
          code(d.path),
          d.type === 'added' ? '' : code(show(d.desired)),
          d.type === 'removed' ? '' : code(show(d.live)),
          d.manager ? `${code(d.manager)}${how ? ` (${how})` : ''}` : 'unknown',
          d.time ?? '',
          d.source ? code(d.source) : '',
        ]),
      );
    }
  }
  if (report.missing.length) {
    out.push('', '### Missing from the cluster', '', ...report.missing.map((m) => missingLine(m)));
  }
  if (report.orphans?.length) {
    out.push(
      '',
      '### Not in Git',
      '',
      'Live objects no target declares and no controller owns.',
      '',
      '| Object | Created by | When |',
      '| --- | --- | --- |',
      ...report.orphans.map((o) =>
        row([
          name(o.object),
          o.manager ? `${code(o.manager)}${o.operation ? ` (${o.operation})` : ''}` : 'unknown',
          o.time ?? '',
        ]),
      ),
    );
  }
  if (report.images.length) {
    out.push(
      '',
      '### Images',
      '',
      '| Object | Container | Issue | Detail | Set by |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const i of report.images) {
      out.push(
        row([
          name(i.object),
          code(i.container),
          i.kind,
          escapeCell(i.message),
          i.manager ? `${code(i.manager)} ${i.time ?? ''}` : '',
        ]),
      );
    }
  }
  if (report.errors.length)
    out.push('', '### Errors', '', ...report.errors.map((e: DriftError) => `- ${escapeCell(e.message)}`));
  if (report.coverage && report.coverage.status !== 'complete')
    out.push('', '### Not compared', '', ...report.coverage.notCompared.map((n) => `- ${escapeCell(n)}`));
  const notes = [
    report.drift.length || report.images.some((i) => i.manager) || report.orphans?.length ? MANAGER_NOTE : '',
    listsNote(report.coverage) ?? '',
  ].filter(Boolean);
  if (notes.length) out.push('', `<sub>${notes.map(escapeCell).join(' ')}</sub>`);
  return `${out.join('\n')}\n`;
}

function missingLine(m: MissingItem): string {
  return `- ${name(m.object)}${m.source ? ` (declared in ${code(m.source)})` : ''}`;
}

// ---------------------------------------------------------------------------------------------

function name(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(absent)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function code(text: string): string {
  return `\`${text.replaceAll('`', "'").replaceAll('|', '\\|')}\``;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;');
}

function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replaceAll('\n', ' ')).join(' | ')} |`;
}
