import type { FailOn } from '../../config/check.js';
import type { GitHubSession } from '../../github/client.js';
import type { ChangedFile } from '../../github/hunks.js';
import type { Identity } from '../../github/identity.js';
import type { PullRequestJobResult } from '../../jobs/pull-request.js';
import type { Finding } from '../../model/types.js';
import type { PullRequestInfo, RunContext } from '../context.js';
import type { ActionSettings } from '../settings.js';

/**
 * What the pull-request and check jobs computed, once, for every publisher. Plain data (no
 * functions, no Sets, no class instances): `JSON.stringify` writes all of it and `JSON.parse`
 * gives it back whole, so a job can compute it, save it, and another job can publish it. It holds
 * lines of the head (`lines`) and finding messages: write it through `maskSecrets`, like every
 * other file the Action writes.
 */
export interface ReadinessResult {
  version: 1;
  job: 'pull-request' | 'check';
  /** Which paths this run covers (`default` for the whole repository): keys comments and the check. */
  key: string;
  /** The check run's name: one per set of paths, so that each can be a required check. */
  checkName: string;
  /** The commit the findings are about: the pull request's head, else the commit checked. */
  commit: string;
  pullRequest?: PullRequestInfo;
  failOn: FailOn;
  /** Does the run fail (`fail-on` reached, or something could not be checked)? */
  failed: boolean;
  /**
   * What counts: new findings on a pull request, every finding otherwise, one per line (several
   * targets that make the same finding on one line make one finding).
   */
  counted: Finding[];
  /** Notes for every summary (the pull request changes the config ...). */
  notes: string[];
  /** The head's text of each line a new finding is on, for one-line suggestions: file, line, text. */
  lines: Record<string, Record<string, string>>;
  /** The base-vs-head run itself: targets, findings new, existing and fixed, the rendered diff, errors. */
  run: PullRequestJobResult;
}

/** What the publishers have done so far, for those after them (the order is PUBLISHERS'). */
export interface PublishState {
  /** Fingerprints that have (or got) an inline comment. */
  commented: Set<string>;
  /** Fingerprints left without one by `max-inline-comments`. */
  overLimit: Set<string>;
  /** Why the report is not (all) inline: a fork's read-only token, a refused write. */
  notes: string[];
  /** A check run carries the annotations: the workflow log need not. */
  checkRunMade: boolean;
}

/** The GitHub side of publishing: the run, the inputs, and the API session when there is a token. */
export interface PublishContext {
  settings: ActionSettings;
  run: RunContext;
  /** The API, as the token allows; none without a token. */
  session?: GitHubSession;
  /** Who the token writes as: only comments by it (with our marker) are ours. */
  identity?: Identity;
  /** The pull request's files and hunks, as the API lists them. */
  files?: ChangedFile[];
  state: PublishState;
}

/** One output. Each takes the result and the context, and reports its own failures. */
export type Publisher = (result: ReadinessResult, ctx: PublishContext) => Promise<void>;

/** A fork's token is read-only: nothing can be written to the pull request. */
export function readOnly(result: ReadinessResult): boolean {
  return result.pullRequest?.fromFork === true;
}

/** May this run write to GitHub at all (a token, not a fork's)? Each write still needs its permission. */
export function canWrite(
  result: ReadinessResult,
  ctx: PublishContext,
): ctx is PublishContext & {
  session: GitHubSession;
} {
  return ctx.session !== undefined && !readOnly(result);
}
