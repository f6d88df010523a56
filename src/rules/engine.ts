import { createHash } from 'node:crypto';
import type { Manifest } from '../load/yaml.js';
import { formatPath } from '../model/path.js';
import { type Finding, refKey, type Severity } from '../model/types.js';
import { ObjectIndex } from './object-index.js';
import type { Rule, RuleSettings, Violation } from './types.js';

export interface EngineOptions {
  settings: RuleSettings;
  /** Rules switched off by id. */
  disabled?: ReadonlySet<string>;
  /** Severity overrides by rule id. */
  severity?: ReadonlyMap<string, Severity>;
}

/**
 * Run the checklist over everything loaded in one run. Rules are pure; this turns their
 * violations into findings with a display path, a location a human edits, and a fingerprint.
 */
export function runRules(
  manifests: readonly Manifest[],
  rules: readonly Rule[],
  options: EngineOptions,
): Finding[] {
  const index = new ObjectIndex(manifests, options.settings.defaultNamespace);
  const ctx = { manifests, index, settings: options.settings };
  const violations: { rule: Rule; severity: Severity; v: Violation }[] = [];
  for (const rule of rules) {
    if (options.disabled?.has(rule.meta.id)) continue;
    const severity = options.severity?.get(rule.meta.id) ?? rule.meta.severity;
    for (const v of rule.check(ctx)) violations.push({ rule, severity, v });
  }
  // Locate document by document: each document's positions are then worked out once.
  const order = new Map(manifests.map((m, i) => [m, i]));
  violations.sort((a, b) => (order.get(a.v.manifest) ?? 0) - (order.get(b.v.manifest) ?? 0));
  return sortFindings(violations.map(({ rule, severity, v }) => toFinding(rule, severity, v)));
}

export function toFinding(rule: Rule, severity: Severity, v: Violation): Finding {
  const { manifest } = v;
  const path = formatPath(manifest.object, v.path);
  const rendered = manifest.locate(v.path);
  const source = manifest.locateSource?.(v.path);
  const finding: Finding = {
    ruleId: rule.meta.id,
    checklist: rule.meta.category,
    severity,
    message: v.message,
    remediation: v.remediation ?? rule.meta.fix,
    object: manifest.ref,
    path,
    location: source ?? rendered,
    fingerprint: fingerprint(rule.meta.id, refKey(manifest.ref), path),
  };
  if (source) finding.renderedLocation = rendered;
  return finding;
}

/** Stable across commits and line moves: rule, object and field path only. */
export function fingerprint(ruleId: string, objectKey: string, path: string): string {
  return createHash('sha256').update(`${ruleId}\0${objectKey}\0${path}`).digest('hex').slice(0, 16);
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.path, b.path),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
