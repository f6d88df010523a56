import { FAIL_ON } from '../config/check.js';
import { CATEGORIES } from '../model/types.js';
import { ALL_RULES } from '../rules/index.js';
import { SUPPRESSION_RULES } from '../rules/suppress.js';
import { bool, int, list, obj, oneOf, optional, record, type Schema, str } from './schema.js';

/**
 * The schemas of what a result file carries: findings, input errors, the rendered diff, and the
 * pull-request job's result. Every field a run writes from its own vocabulary (rule ids,
 * categories, severities, fingerprints, commits) must be exactly that vocabulary; free text is
 * bounded and, from an untrusted run, neutralised; file paths stay relative and inside the
 * repository (they become links and review-comment positions).
 */

/** The most any one list in a result may hold (findings of a run, targets, objects of a diff). */
export const MAX_LIST = 50_000;
/** The longest free text (a message, a note, an error). */
export const MAX_TEXT = 8_192;
/** The longest rendered diff of one object. */
export const MAX_DIFF = 2 * 1024 * 1024;

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
export const sha = str(64, { pattern: SHA });
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what it refuses
const ref = str(255, { pattern: /^[^\u0000-\u001f\u007f]*$/, as: 'text' });

/**
 * A repository-relative path: no leading `/`, no `..` segment, no control characters. A path is
 * a review comment's position and a link, so it is never rewritten: from an untrusted run it must
 * also be plain (letters, digits, `. _ - / + = , ~` and spaces), or the file is refused.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what it refuses
const RELATIVE = /^(?!\/)(?!(?:.*\/)?\.\.(?:\/|$))[^\u0000-\u001f\u007f\\]+$/;
const PLAIN_PATH = /^[\w.\-/+=,~ ]+$/;
const anyPath = str(1024, { pattern: RELATIVE });
const plainPath = str(1024, { pattern: PLAIN_PATH });
export const repoPath: Schema<string> = (value, at, budget) => {
  const path = anyPath(value, at, budget);
  return budget.untrusted ? plainPath(path, at, { ...budget, chars: Number.POSITIVE_INFINITY }) : path;
};

const text = str(MAX_TEXT, { as: 'text' });
const line = int(0, 10_000_000);

const locationIn = (file: Schema<string>) =>
  obj({
    file,
    line,
    column: line,
    endLine: optional(line),
    endColumn: optional(line),
    key: optional(str(1024, { as: 'text' })),
  });
export const location = locationIn(repoPath);
/** A path that is only shown (any file a pull request changes), neutralised like text. */
const pathText = str(1024, { pattern: RELATIVE, as: 'text' });
/** Where a field sits in rendered output: `charts/web [rendered]`, a name more than a path. */
const renderedLocation = locationIn(pathText);

/** Names as Kubernetes has them, bounded; from an untrusted run, neutralised like any text. */
const name = str(253, { as: 'text' });

export const objectRef = obj({
  apiVersion: name,
  kind: name,
  namespace: optional(name),
  name,
});

const RULE_IDS = [...ALL_RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((m) => m.id)];

export const finding = obj({
  ruleId: oneOf(RULE_IDS),
  checklist: oneOf(CATEGORIES),
  severity: oneOf(['error', 'warning', 'info']),
  message: text,
  remediation: text,
  object: objectRef,
  path: str(4096, { as: 'text' }),
  location,
  renderedLocation: optional(renderedLocation),
  fingerprint: str(16, { pattern: /^[0-9a-f]{16}$/ }),
  removedAt: optional(location),
});

export const inputError = obj({
  // A tool's own error text can be long (helm's template traces): bounded, more generously.
  message: str(64 * 1024, { as: 'text' }),
  location: optional(location),
  level: oneOf(['error', 'note']),
});

export const objectDiff = obj({
  key: name,
  change: oneOf(['added', 'removed', 'changed', 'renamed']),
  from: optional(name),
  diff: str(MAX_DIFF, { as: 'code' }),
  nondeterministic: list(str(4096, { as: 'text' }), 10_000),
  unstableName: optional(bool),
  secret: bool,
});

const findings = list(finding, MAX_LIST);
const errors = list(inputError, MAX_LIST);

export const targetOutcome = obj({
  name: str(2048, { as: 'text' }),
  kind: oneOf(['helm', 'kustomize', 'plain']),
  app: optional(str(2048, { as: 'text' })),
  presence: oneOf(['both', 'added', 'removed', 'head-only-check']),
  head: optional(obj({ findings, errors, objects: int(0, 10_000_000) })),
  status: oneOf(['ok', 'added', 'removed', 'base-failed', 'head-failed']),
  baseErrors: errors,
  newFindings: findings,
  existingFindings: findings,
  fixedFindings: findings,
  diff: list(objectDiff, MAX_LIST),
  unchanged: int(0, 10_000_000),
  workloads: list(objectRef, MAX_LIST),
});

/** The pull-request (or check) job's result: jobs/pull-request.ts's PullRequestJobResult. */
export const jobResult = obj({
  mode: oneOf(['pull-request', 'check']),
  base: optional(sha),
  head: optional(sha),
  mergeBase: optional(sha),
  changedFiles: list(pathText, MAX_LIST),
  targets: list(targetOutcome, 10_000),
  findings,
  newFindings: findings,
  existingFindings: findings,
  fixedFindings: findings,
  errors,
  renderedChanged: bool,
  files: list(str(2048, { as: 'text' }), MAX_LIST),
  objects: int(0, 100_000_000),
});

export const pullRequestInfo = obj({
  number: int(1, 1_000_000_000),
  baseSha: sha,
  headSha: sha,
  baseRef: ref,
  headRef: ref,
  fromFork: bool,
});

/** The Action's result of one run (action/publish/types.ts's ReadinessResult). */
export const readinessResult = obj({
  version: int(1, 1),
  job: oneOf(['pull-request', 'check']),
  key: str(64, { pattern: /^(default|[0-9a-f]{10})$/ }),
  checkName: str(1024, { as: 'text' }),
  commit: sha,
  pullRequest: optional(pullRequestInfo),
  failOn: oneOf(FAIL_ON),
  failed: bool,
  counted: findings,
  notes: list(text, 1_000),
  // The head's text of each line a new finding sits on: file -> line number -> text.
  lines: record(
    repoPath,
    record(str(9, { pattern: /^[1-9]\d{0,8}$/ }), str(MAX_TEXT, { as: 'code' }), 10_000),
    10_000,
  ),
  run: jobResult,
}) satisfies Schema<unknown>;
