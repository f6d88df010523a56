import type { Manifest } from '../load/yaml.js';
import { pushTo } from '../model/collections.js';
import { closestName, suggest } from '../model/suggest.js';
import { type Category, type Finding, refKey, type Severity } from '../model/types.js';
import { sortFindings, toFinding } from './engine.js';
import { type RuleMeta, SUPPRESSION_PREFIX } from './types.js';

/**
 * Per-object suppressions, by annotation on the object that has the finding:
 *
 *     metadata:
 *       annotations:
 *         shipshape.io/ignore.<rule-id>: "<reason>; expires=YYYY-MM-DD"
 *
 * A suppression drops that rule's findings on that object while it is valid. It must say why, and
 * may say until when (the date is the last day it holds). Suppressions that rot are findings of
 * their own: one without a reason or with a bad date (`suppression-invalid`), one past its date
 * (`suppression-expired`), one with nothing left to suppress (`suppression-unused`). Invalid and
 * expired suppressions suppress nothing. Pure: "today" is an input.
 */

export { SUPPRESSION_PREFIX };

/** Suppression findings take the category of the rule they suppress, so their meta has none. */
export type SuppressionRuleMeta = Omit<RuleMeta, 'category'>;

/** A Pod whose image has no digest (image-digest-missing), with the given suppression annotation. */
function suppressed(value: string | undefined, image = 'ghcr.io/acme/web:1.4.2'): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    ...(value === undefined
      ? []
      : ['  annotations:', `    shipshape.io/ignore.image-digest-missing: ${value}`]),
    'spec:',
    '  containers:',
    '    - name: web',
    `      image: ${image}`,
  ].join('\n');
}

const EXAMPLE_GOOD = suppressed('"pinned by the mirror\'s admission webhook; expires=2099-01-31"');

export const SUPPRESSION_RULES: readonly SuppressionRuleMeta[] = [
  {
    id: 'suppression-invalid',
    severity: 'warning',
    title: 'Suppressions name a known rule and give a reason (and a valid expiry date, if any)',
    why: 'A suppression without a reason cannot be reviewed or revisited; one that names no rule, or has a date nobody can read, silently hides nothing or everything. Invalid suppressions suppress nothing.',
    fix: 'Write the annotation as `shipshape.io/ignore.<rule-id>: "<why this is acceptable>; expires=YYYY-MM-DD"`, with a rule id from `shipshape rules`.',
    example: { bad: suppressed('""'), good: EXAMPLE_GOOD, line: 6 },
  },
  {
    id: 'suppression-expired',
    severity: 'warning',
    title: 'Suppressions are removed or renewed when they expire',
    why: 'An expiry date is a promise to revisit the exception. Past the date the suppression no longer applies: the finding it hid is reported again, and so is the stale annotation.',
    fix: 'Fix what the rule reports and delete the annotation, or renew it with a new reason and date after a review.',
    example: { bad: suppressed('"mirror pins it; expires=2024-01-31"'), good: EXAMPLE_GOOD, line: 6 },
  },
  {
    id: 'suppression-unused',
    severity: 'info',
    title: 'Suppressions that no longer suppress anything are removed',
    why: 'A leftover suppression hides the next regression of the same rule on that object without anyone deciding it should.',
    fix: 'Delete the annotation: the rule passes on this object now.',
    example: {
      // The image is pinned now: nothing is left to suppress.
      bad: suppressed('"legacy"', `ghcr.io/acme/web:1.4.2@sha256:${'3b5c9e1f'.repeat(8)}`),
      good: suppressed(undefined, `ghcr.io/acme/web:1.4.2@sha256:${'3b5c9e1f'.repeat(8)}`),
      line: 6,
    },
  },
];

export interface Suppression {
  manifest: Manifest;
  annotation: string;
  ruleId: string;
  reason: string;
  /** `YYYY-MM-DD`, the last day the suppression holds. */
  expires?: string;
  /** Why the annotation is unusable, when it is. */
  problem?: string;
}

/** Read one annotation value: `reason; expires=YYYY-MM-DD` (the expiry part is optional). */
export function parseSuppression(value: string): { reason: string; expires?: string; problem?: string } {
  const reasons: string[] = [];
  let expires: string | undefined;
  let problem: string | undefined;
  for (const raw of value.split(';')) {
    const part = raw.trim();
    const m = /^expires\s*[=:]\s*(.*)$/i.exec(part);
    if (!m) {
      if (part) reasons.push(part);
      continue;
    }
    expires = m[1].trim();
    if (!isCalendarDate(expires)) problem = `expiry "${expires}" is not a date as YYYY-MM-DD`;
  }
  const reason = reasons.join('; ');
  if (!reason) problem ??= 'no reason given: say why this finding is acceptable';
  return { reason, ...(expires !== undefined && { expires }), ...(problem && { problem }) };
}

function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Every suppression annotation on the objects loaded, invalid ones included. */
export function collectSuppressions(manifests: readonly Manifest[]): Suppression[] {
  const out: Suppression[] = [];
  for (const manifest of manifests) {
    const annotations = manifest.object.metadata.annotations;
    if (!annotations || typeof annotations !== 'object') continue;
    for (const [annotation, value] of Object.entries(annotations)) {
      if (!annotation.startsWith(SUPPRESSION_PREFIX)) continue;
      const ruleId = annotation.slice(SUPPRESSION_PREFIX.length);
      out.push({ manifest, annotation, ruleId, ...parseSuppression(typeof value === 'string' ? value : '') });
    }
  }
  return out;
}

export interface SuppressionOptions {
  /** Every rule a suppression may name (ran or not), for validation and categories. */
  rules: readonly RuleMeta[];
  /** The rules that ran: a suppression of a rule switched off in the config is not "unused". */
  ran: ReadonlySet<string>;
  /** Today, as `YYYY-MM-DD` (UTC) or a Date. */
  today: string | Date;
  /** Config for the suppression rules themselves. */
  disabled?: ReadonlySet<string>;
  severity?: ReadonlyMap<string, Severity>;
}

export interface SuppressionResult {
  /** The findings left, plus the suppression findings, sorted. */
  findings: Finding[];
  /** The findings dropped, each with the suppression that dropped it. */
  suppressed: { finding: Finding; reason: string; expires?: string }[];
}

export function applySuppressions(
  manifests: readonly Manifest[],
  findings: readonly Finding[],
  options: SuppressionOptions,
): SuppressionResult {
  const today = typeof options.today === 'string' ? options.today : options.today.toISOString().slice(0, 10);
  const known = new Map(options.rules.map((r) => [r.id, r]));
  const byObject = new Map<string, Suppression[]>();
  const extra: Finding[] = [];
  const report = (s: Suppression, id: string, message: string) => {
    if (options.disabled?.has(id)) return;
    extra.push(suppressionFinding(s, id, categoryFor(s.ruleId, options.rules), message, options.severity));
  };

  for (const s of collectSuppressions(manifests)) {
    if (!known.has(s.ruleId)) {
      report(
        s,
        'suppression-invalid',
        `\`${s.annotation}\` names no rule "${s.ruleId}"${nearest(s.ruleId, known)}`,
      );
    } else if (s.problem) {
      report(s, 'suppression-invalid', `\`${s.annotation}\`: ${s.problem}; it suppresses nothing`);
    } else if (s.expires && s.expires < today) {
      report(
        s,
        'suppression-expired',
        `\`${s.annotation}\` expired on ${s.expires}; ${s.ruleId} is reported again`,
      );
    } else {
      pushTo(byObject, `${refKey(s.manifest.ref)}\0${s.ruleId}`, s);
    }
  }

  // No annotation suppresses anything (most runs): every finding is kept as it is.
  if (byObject.size === 0) return { findings: sortFindings([...findings, ...extra]), suppressed: [] };

  const used = new Set<Suppression>();
  const kept: Finding[] = [];
  const suppressed: SuppressionResult['suppressed'] = [];
  for (const finding of findings) {
    const matches = byObject.get(`${refKey(finding.object)}\0${finding.ruleId}`);
    if (!matches) {
      kept.push(finding);
      continue;
    }
    for (const s of matches) used.add(s);
    const s = matches[0];
    suppressed.push({ finding, reason: s.reason, ...(s.expires && { expires: s.expires }) });
  }

  for (const list of byObject.values()) {
    for (const s of list) {
      if (used.has(s) || !options.ran.has(s.ruleId)) continue;
      report(
        s,
        'suppression-unused',
        `\`${s.annotation}\` suppresses nothing: ${s.ruleId} passes on this object`,
      );
    }
  }
  return { findings: sortFindings([...kept, ...extra]), suppressed };
}

function suppressionFinding(
  s: Suppression,
  id: string,
  category: Category,
  message: string,
  severities?: ReadonlyMap<string, Severity>,
): Finding {
  const meta = SUPPRESSION_RULES.find((m) => m.id === id)!;
  const rule = { meta: { ...meta, category }, check: () => [] };
  return toFinding(rule, severities?.get(id) ?? meta.severity, {
    manifest: s.manifest,
    path: ['metadata', 'annotations', s.annotation],
    message,
  });
}

/** The suppressed rule's category; for an unknown id, that of the closest known rule id. */
function categoryFor(ruleId: string, rules: readonly RuleMeta[]): Category {
  const exact = rules.find((r) => r.id === ruleId);
  if (exact) return exact.category;
  // Any distance will do here: the category only groups the report, the message names the typo.
  const close = closestName(
    ruleId,
    rules.map((r) => r.id),
    Number.POSITIVE_INFINITY,
  );
  return rules.find((r) => r.id === close)?.category ?? 'api';
}

function nearest(id: string, known: ReadonlyMap<string, RuleMeta>): string {
  return suggest(id, known.keys());
}
