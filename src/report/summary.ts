import type { CheckResult } from '../jobs/check.js';
import { CATEGORIES, type Category, type Finding, type InputError, type Severity } from '../model/types.js';

/** What every report says at the end: counts by severity and checklist category. */
export interface Summary {
  files: number;
  objects: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  /** Every category, zeros included, in the checklist's order. */
  byChecklist: Record<Category, number>;
  suppressed: number;
  baselined: number;
  /** Input errors (a file or document that could not be checked). */
  errors: number;
  /** Input notes (a file or document skipped on purpose, such as a non-Kubernetes document). */
  notes: number;
}

export function summarize(result: CheckResult): Summary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byChecklist = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const f of result.findings) {
    bySeverity[f.severity]++;
    byChecklist[f.checklist]++;
  }
  return {
    files: result.files.length,
    objects: result.objects,
    findings: result.findings.length,
    bySeverity,
    byChecklist,
    suppressed: result.suppressed.length,
    baselined: result.baselined.length,
    errors: result.errors.filter((e) => e.level === 'error').length,
    notes: result.errors.filter((e) => e.level === 'note').length,
  };
}

/** `3 errors, 1 warning, 0 info` style counts, for headlines. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}

export function severityCounts(s: Summary): string {
  return `${plural(s.bySeverity.error, 'error')}, ${plural(s.bySeverity.warning, 'warning')}, ${plural(s.bySeverity.info, 'info')}`;
}

/** `Deployment shop/checkout` (or `ClusterRole admin`), the way people name objects. */
export function objectName(f: Finding): string {
  const { kind, namespace, name } = f.object;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** `file:line:column`, or just the file, or nothing, as much as the error knows. */
export function where(e: InputError): string {
  const l = e.location;
  if (!l) return '';
  return `${l.file}:${l.line}:${l.column}`;
}
