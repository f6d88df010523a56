import type { CheckResult } from '../jobs/check.js';
import type { Finding, InputError } from '../model/types.js';
import { type Summary, summarize } from './summary.js';

/**
 * The JSON report, documented in docs/report-schema.md. Keys come in a fixed order so that the
 * output diffs well; `version` changes only when a field is removed or changes meaning.
 */
export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  errors: InputError[];
  summary: Summary;
}

export type JsonFinding = Pick<
  Finding,
  | 'ruleId'
  | 'checklist'
  | 'severity'
  | 'message'
  | 'remediation'
  | 'object'
  | 'path'
  | 'location'
  | 'renderedLocation'
  | 'fingerprint'
>;

export function jsonReport(result: CheckResult): JsonReport {
  return { ...reportOf(result), findings: result.findings.map(jsonFinding) };
}

/** The report with the findings as they are (the same key order). */
function reportOf(result: CheckResult): Omit<JsonReport, 'findings'> & { findings: readonly Finding[] } {
  return {
    version: 1,
    findings: result.findings,
    errors: result.errors.map((e) => ({
      level: e.level,
      message: e.message,
      ...(e.location && { location: { ...e.location } }),
    })),
    summary: summarize(result),
  };
}

function jsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    checklist: f.checklist,
    severity: f.severity,
    message: f.message,
    remediation: f.remediation,
    object: {
      apiVersion: f.object.apiVersion,
      kind: f.object.kind,
      ...(f.object.namespace !== undefined && { namespace: f.object.namespace }),
      name: f.object.name,
    },
    path: f.path,
    location: { ...f.location },
    fingerprint: f.fingerprint,
  };
  if (f.renderedLocation) out.renderedLocation = { ...f.renderedLocation };
  return out;
}

export function renderJson(result: CheckResult): string {
  return [...jsonChunks(result)].join('');
}

/**
 * The same text as `JSON.stringify(report, null, 2)`, a finding at a time: a large report then
 * never needs to exist as one string (50,000 objects can make 50 MB of JSON), and each finding's
 * JSON shape is made as it is written, not all of them first (100,000 findings: 40 MiB less).
 */
export function* jsonChunks(result: CheckResult): Generator<string> {
  const report = reportOf(result);
  const keys = Object.keys(report) as (keyof JsonReport)[];
  yield '{';
  for (const [k, key] of keys.entries()) {
    yield `${k === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    const value = report[key];
    if (Array.isArray(value) && value.length > 0) {
      const shape =
        key === 'findings' ? (item: unknown) => jsonFinding(item as Finding) : (item: unknown) => item;
      yield '[';
      for (const [i, item] of value.entries()) {
        yield `${i === 0 ? '' : ','}\n    ${JSON.stringify(shape(item), null, 2).replaceAll('\n', '\n    ')}`;
      }
      yield '\n  ]';
    } else {
      yield JSON.stringify(value, null, 2).replaceAll('\n', '\n  ');
    }
  }
  yield '\n}\n';
}
