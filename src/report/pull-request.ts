import type { CheckResult } from '../jobs/check.js';
import type { PullRequestJobResult } from '../jobs/pull-request.js';
import type { Finding } from '../model/types.js';
import { onePerLine } from '../rules/engine.js';
import { ALL_RULES } from '../rules/index.js';
import { SUPPRESSION_RULES } from '../rules/suppress.js';
import { type JsonReport, jsonReport } from './json.js';

/**
 * A base-vs-head run in the shapes the shared reporters take (text, JSON, SARIF, annotations),
 * and the JSON report's `pullRequest` section: the Action's report.json and
 * `shipshape check --base --format json` write the same document.
 */

/** What counts on a run: the new findings on a pull request, every finding otherwise, one per line. */
export function countedFindings(result: PullRequestJobResult): Finding[] {
  return onePerLine(result.mode === 'pull-request' ? result.newFindings : result.findings);
}

/** The shape the shared reporters take, reporting `findings`. */
export function asCheckResult(result: PullRequestJobResult, findings: Finding[]): CheckResult {
  return {
    findings,
    errors: result.errors,
    files: result.files,
    objects: result.objects,
    rules: [...ALL_RULES.map((r) => r.meta), ...SUPPRESSION_RULES],
    suppressed: [],
    baselined: [],
  };
}

export interface PullRequestSection {
  base?: string;
  head?: string;
  /** The commit the base side was rendered at: the merge base of the base and the head. */
  mergeBase?: string;
  changedFiles: string[];
  renderedChanged: boolean;
  new: string[];
  existing: string[];
  fixed: Pick<Finding, 'ruleId' | 'object' | 'path' | 'fingerprint'>[];
  targets: {
    name: string;
    presence: string;
    new: number;
    existing: number;
    fixed: number;
    changedObjects: { object: string; change: string }[];
  }[];
}

/** The JSON report of a run: every head finding (one per line), and on a pull request what is new. */
export function pullRequestJson(
  result: PullRequestJobResult,
): JsonReport & { pullRequest?: PullRequestSection } {
  return {
    ...jsonReport(asCheckResult(result, onePerLine(result.findings))),
    pullRequest:
      result.mode === 'pull-request'
        ? {
            base: result.base,
            head: result.head,
            ...(result.mergeBase ? { mergeBase: result.mergeBase } : {}),
            changedFiles: result.changedFiles,
            renderedChanged: result.renderedChanged,
            new: result.newFindings.map((f) => f.fingerprint),
            existing: result.existingFindings.map((f) => f.fingerprint),
            fixed: result.fixedFindings.map((f) => ({
              ruleId: f.ruleId,
              object: f.object,
              path: f.path,
              fingerprint: f.fingerprint,
            })),
            targets: result.targets.map((t) => ({
              name: t.name,
              presence: t.presence,
              new: t.newFindings.length,
              existing: t.existingFindings.length,
              fixed: t.fixedFindings.length,
              changedObjects: t.diff.map((d) => ({ object: d.key, change: d.change })),
            })),
          }
        : undefined,
  };
}
