import type { CheckResult } from '../jobs/check.js';
import { pushTo } from '../model/collections.js';
import { CATEGORIES, type Category, type Finding, type Severity } from '../model/types.js';
import { objectName, plural, severityCounts, summarize, where } from './summary.js';

/**
 * Markdown for job summaries and pull-request comments: a headline, a table of counts by checklist
 * category, then one table per category with the findings, and the input errors last.
 */

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function renderMarkdown(result: CheckResult): string {
  const s = summarize(result);
  const out: string[] = ['## shipshape readiness check', ''];
  const scope = `${plural(s.objects, 'object')} from ${plural(s.files, 'file')}`;
  out.push(
    s.findings === 0
      ? `✅ No findings in ${scope}.`
      : `**${plural(s.findings, 'finding')}** (${severityCounts(s)}) in ${scope}.`,
  );
  const extras = [
    s.suppressed ? `${s.suppressed} suppressed by annotation` : '',
    s.baselined ? `${s.baselined} accepted by the baseline` : '',
  ].filter(Boolean);
  if (extras.length) out.push('', `Not shown: ${extras.join(', ')}.`);

  const byCategory = new Map<Category, Finding[]>();
  for (const f of result.findings) pushTo(byCategory, f.checklist, f);

  if (byCategory.size > 0) {
    out.push('', '| Checklist | Errors | Warnings | Info |', '| --- | ---: | ---: | ---: |');
    for (const category of CATEGORIES) {
      const list = byCategory.get(category);
      if (!list) continue;
      const count = (sev: Severity) => list.filter((f) => f.severity === sev).length;
      out.push(`| ${category} | ${count('error')} | ${count('warning')} | ${count('info')} |`);
    }
    for (const category of CATEGORIES) {
      const list = byCategory.get(category);
      if (!list) continue;
      out.push(
        '',
        `### ${category}`,
        '',
        '| | Rule | Object | Where | Finding |',
        '| --- | --- | --- | --- | --- |',
      );
      // Errors first; the sort is stable, so file and line order holds within a severity.
      const bySeverity = [...list].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
      for (const f of bySeverity) {
        const at = `${f.location.file}:${f.location.line}`;
        out.push(
          `| ${ICON[f.severity]} ${f.severity} | \`${f.ruleId}\` | ${cell(objectName(f))} | ${code(at)} | ${cell(f.message)}<br>${code(f.path)}<br>Fix: ${cell(f.remediation)} |`,
        );
      }
    }
  }

  if (result.errors.length > 0) {
    out.push('', '### Input errors', '');
    for (const e of result.errors) {
      const at = where(e);
      out.push(`- ${e.level === 'error' ? '❌' : 'ℹ️'} ${at ? `${code(at)}: ` : ''}${cell(e.message)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Text that sits inside a table cell: no pipes, no line breaks, no stray HTML. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** An inline code span that survives backticks and pipes in the content. */
export function code(text: string): string {
  const inner = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const fence = inner.includes('`') ? '``' : '`';
  return `${fence}${inner.includes('`') ? ` ${inner} ` : inner}${fence}`;
}
