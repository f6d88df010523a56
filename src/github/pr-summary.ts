import type { ObjectDiff, PullRequestJobResult, TargetOutcome } from '../jobs/pull-request.js';
import { CATEGORIES, type Finding, type InputError, refKey } from '../model/types.js';
import { cell, code, details, fence } from './markdown.js';

/**
 * The pull request's report in Markdown, as a list of blocks (one per section or object) so it
 * can be split under the comment cap without cutting anything in half. The sticky comment, the
 * job summary and the check run's summary are all made from these blocks.
 */

export interface SummaryContext {
  failOn: string;
  failed: boolean;
  /** Link to a file and line at the head, when the repository is known. */
  link?: (file: string, line: number) => string;
  /**
   * Fingerprints that got (or already had) an inline comment. Absent in a preview made without
   * GitHub (`shipshape check --base -f markdown`): the findings then carry no inline note.
   */
  commented?: ReadonlySet<string>;
  /** Fingerprints left without an inline comment by `max-inline-comments`. */
  overLimit?: ReadonlySet<string>;
  /** Why the report is not also inline (a fork's read-only token ...). */
  notes?: readonly string[];
}

const ICON: Record<Finding['severity'], string> = { error: '🔴', warning: '🟠', info: '🔵' };

export function summaryBlocks(result: PullRequestJobResult, ctx: SummaryContext): string[] {
  const blocks = [headline(result, ctx)];
  if (ctx.notes?.length) blocks.push(ctx.notes.map((n) => `> ${n}`).join('\n'));
  if (result.targets.length === 0) {
    blocks.push(
      result.mode === 'pull-request'
        ? 'No Helm chart, Kustomize overlay or manifest folder is affected by this change.'
        : 'No Helm chart, Kustomize overlay or manifest folder was found.',
    );
  } else {
    blocks.push(overview(result));
  }
  if (result.errors.length > 0) blocks.push(errorsBlock(result.errors, ctx));
  for (const t of result.targets) blocks.push(...targetBlocks(t, result, ctx));
  return blocks;
}

function headline(result: PullRequestJobResult, ctx: SummaryContext): string {
  const counted = result.mode === 'pull-request' ? result.newFindings : result.findings;
  const bySeverity = (s: Finding['severity']) => counted.filter((f) => f.severity === s).length;
  const status = ctx.failed ? '❌' : '✅';
  const what = result.mode === 'pull-request' ? 'new' : 'found';
  const parts = [
    `${status} **shipshape**: ${counted.length} ${what} (${bySeverity('error')} errors, ${bySeverity('warning')} warnings, ${bySeverity('info')} info)`,
  ];
  if (result.mode === 'pull-request') {
    parts.push(`${result.existingFindings.length} existing`, `${result.fixedFindings.length} fixed`);
  }
  const verdict = ctx.failed
    ? `Fails on \`${ctx.failOn}\`.`
    : ctx.failOn === 'never'
      ? 'Never fails (`fail-on: never`).'
      : `Nothing at \`${ctx.failOn}\` or above.`;
  return `## shipshape readiness report\n\n${parts.join(' · ')}. ${verdict}`;
}

function overview(result: PullRequestJobResult): string {
  const pr = result.mode === 'pull-request';
  const head = pr
    ? '| target | new | existing | fixed | rendered objects changed |\n| --- | ---: | ---: | ---: | ---: |'
    : '| target | errors | warnings | info | objects |\n| --- | ---: | ---: | ---: | ---: |';
  const rows = result.targets.map((t) => {
    const name = `${code(t.name)}${t.presence === 'added' ? ' (new)' : t.presence === 'removed' ? ' (removed)' : ''}`;
    if (pr)
      return `| ${name} | ${t.newFindings.length} | ${t.existingFindings.length} | ${t.fixedFindings.length} | ${t.diff.length} |`;
    const f = t.head?.findings ?? [];
    const n = (s: Finding['severity']) => f.filter((x) => x.severity === s).length;
    return `| ${name} | ${n('error')} | ${n('warning')} | ${n('info')} | ${t.head?.objects ?? 0} |`;
  });
  return [head, ...rows].join('\n');
}

function targetBlocks(t: TargetOutcome, result: PullRequestJobResult, ctx: SummaryContext): string[] {
  const blocks = [`### ${cell(t.name)}`];
  if (t.head) blocks.push(scorecard(t));
  const pr = result.mode === 'pull-request';
  const listed = pr ? t.newFindings : (t.head?.findings ?? []);
  if (listed.length > 0) {
    blocks.push(`**${pr ? 'New findings' : 'Findings'}**\n\n${findingList(listed, ctx, pr)}`);
  } else if (t.head) {
    blocks.push(pr ? '**No new findings.**' : '**No findings.**');
  }
  if (t.existingFindings.length > 0) {
    blocks.push(
      details(
        `${t.existingFindings.length} existing ${t.existingFindings.length === 1 ? 'finding' : 'findings'} (already at the base; not failing this pull request)`,
        findingList(t.existingFindings, ctx, false),
      ),
    );
  }
  if (t.fixedFindings.length > 0) {
    blocks.push(
      details(
        `${t.fixedFindings.length} fixed by this pull request`,
        t.fixedFindings
          .map((f) => `- ✅ ${code(f.ruleId)} ${cell(refKey(f.object))} ${code(f.path)}`)
          .join('\n'),
      ),
    );
  }
  if (pr && t.diff.length > 0) {
    blocks.push(`**Rendered diff** (${t.diff.length} ${t.diff.length === 1 ? 'object' : 'objects'})`);
    for (const d of t.diff) blocks.push(objectDiffBlock(d));
  } else if (pr && t.head) {
    blocks.push('_The rendered output did not change._');
  }
  return blocks;
}

const CHANGE_ICON = { added: '➕', removed: '➖', changed: '✏️', renamed: '🔀' } as const;

function objectDiffBlock(d: ObjectDiff): string {
  const title = `${CHANGE_ICON[d.change]} ${cell(d.key)}${d.from ? ` (renamed from ${cell(d.from)})` : ''}${d.secret ? ' 🔒' : ''}`;
  const notes: string[] = [];
  if (d.secret) notes.push('_A Secret: values are never shown, only whether they changed and their sizes._');
  if (d.nondeterministic.length > 0) {
    notes.push(
      `_Differs between two renders of the head (random output, not a change): ${d.nondeterministic.map(code).join(', ')}._`,
    );
  }
  const body = d.diff ? fence(d.diff, 'diff') : '_Only the name changed._';
  return details(title, [...notes, body].join('\n\n'));
}

/**
 * Workloads against the checklist: ✅ nothing found, 🔴/🟠/🔵 the worst new finding, ⚪ only
 * existing ones. Findings on other objects (a namespace without a NetworkPolicy) get their own row.
 */
function scorecard(t: TargetOutcome): string {
  const findings = t.head?.findings ?? [];
  const newOnes = new Set(t.newFindings.map((f) => f.fingerprint));
  const rows = new Map<string, Finding[]>();
  for (const w of t.workloads) rows.set(refKey(w), []);
  const other: Finding[] = [];
  for (const f of findings) {
    const row = rows.get(refKey(f.object));
    if (row) row.push(f);
    else other.push(f);
  }
  if (rows.size === 0 && other.length === 0) return '_No workloads._';
  const header = `| workload | ${CATEGORIES.join(' | ')} |\n| --- |${CATEGORIES.map(() => ' :-: |').join('')}`;
  const line = (name: string, list: Finding[]) =>
    `| ${name} | ${CATEGORIES.map((c) =>
      scoreCell(
        list.filter((f) => f.checklist === c),
        newOnes,
      ),
    ).join(' | ')} |`;
  const lines = [...rows].map(([key, list]) => line(cell(key), list));
  if (other.length > 0) lines.push(line('_other objects_', other));
  const ready = [...rows.values()].filter((l) => l.length === 0).length;
  return `**Readiness scorecard**: ${ready} of ${rows.size} workloads pass every check.\n\n${header}\n${lines.join('\n')}`;
}

function scoreCell(list: Finding[], newOnes: ReadonlySet<string>): string {
  if (list.length === 0) return '✅';
  const fresh = list.filter((f) => newOnes.has(f.fingerprint));
  const worst = (fresh.length > 0 ? fresh : list).reduce((a, f) => (rank(f) < rank(a) ? f : a));
  return fresh.length > 0 ? `${ICON[worst.severity]} ${list.length}` : `⚪ ${list.length}`;
}

function rank(f: Finding): number {
  return { error: 0, warning: 1, info: 2 }[f.severity];
}

function findingList(findings: readonly Finding[], ctx: SummaryContext, markInline: boolean): string {
  return findings
    .map((f) => {
      const where = `${f.location.file}:${f.location.line}`;
      const place = ctx.link
        ? `[${cell(where)}](${ctx.link(f.location.file, f.location.line)})`
        : code(where);
      const inline = markInline ? inlineNote(f, ctx) : '';
      return `- ${ICON[f.severity]} ${code(f.ruleId)} ${cell(refKey(f.object))}: ${cell(f.message)} (${place}${inline})`;
    })
    .join('\n');
}

function inlineNote(f: Finding, ctx: SummaryContext): string {
  if (!ctx.commented) return '';
  if (ctx.commented.has(f.fingerprint)) return ' · 💬 inline';
  if (ctx.overLimit?.has(f.fingerprint)) return ' · over the inline comment limit';
  return ' · not on a changed line';
}

function errorsBlock(errors: readonly InputError[], ctx: SummaryContext): string {
  const lines = errors.map((e) => {
    const where = e.location ? `${e.location.file}:${e.location.line}` : '';
    const place = where
      ? ` (${ctx.link && e.location ? `[${cell(where)}](${ctx.link(e.location.file, e.location.line)})` : code(where)})`
      : '';
    return `- ${e.level === 'error' ? '⛔' : 'ℹ️'} ${cell(e.message)}${place}`;
  });
  return `**Could not check everything**\n\n${lines.join('\n')}`;
}

/** The job summary takes up to 1 MiB per step; keep whole blocks and say what was left out. */
export function jobSummary(blocks: readonly string[], limit = 1_000_000): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (used + blocks[i].length + 2 > limit - 200) {
      out.push(
        `_… ${blocks.length - i} more sections left out to stay under the job summary's size limit; the JSON report has everything._`,
      );
      break;
    }
    out.push(blocks[i]);
    used += blocks[i].length + 2;
  }
  return `${out.join('\n\n')}\n`;
}
