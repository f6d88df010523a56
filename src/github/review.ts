import { type Finding, refKey } from '../model/types.js';
import type { GitHubSession } from './client.js';
import { inlineCommentBody, resolvedCommentBody } from './comment.js';
import type { CommentableLines } from './hunks.js';
import { type Identity, isOurs } from './identity.js';
import { DEFAULT_KEY, readFingerprintMarker } from './markers.js';

/**
 * One review per run: new findings on lines the pull request shows become inline comments;
 * comments from earlier runs are never repeated, and those whose finding is gone are deleted,
 * or marked resolved when a human has replied (deleting would orphan the conversation).
 */

export interface ExistingReviewComment {
  id: number;
  body: string;
  path: string;
  inReplyToId?: number;
  /** Who wrote it: only the token's own comments are shipshape's. */
  author?: string;
}

export interface PlannedComment {
  path: string;
  line: number;
  /** RIGHT: a line of the head; LEFT: a line of the base, for what the pull request removed. */
  side: 'RIGHT' | 'LEFT';
  body: string;
  finding: Finding;
}

export interface ReviewPlan {
  comments: PlannedComment[];
  /** New findings whose line the pull request does not show: reported in the summary instead. */
  outsideDiff: Finding[];
  /** New findings left out because `max-inline-comments` was reached: in the summary too. */
  overLimit: Finding[];
  /** New findings that already have a comment (from an earlier run, or one planned for the same line). */
  alreadyCommented: Finding[];
  /** Our comments whose finding is gone and which nobody answered. */
  toDelete: ExistingReviewComment[];
  /** Our comments whose finding is gone but which have replies. */
  toResolve: ExistingReviewComment[];
}

export interface PlanInput {
  /** Findings new in this pull request (absent at the base), in report order. */
  newFindings: readonly Finding[];
  /** Every fingerprint the head still has (new and existing): a comment on any of them stays. */
  headFingerprints: ReadonlySet<string>;
  lines: CommentableLines;
  existing: readonly ExistingReviewComment[];
  maxComments: number;
  /** The text of a line of the head, for one-line suggestions. */
  lineText?: (file: string, line: number) => string | undefined;
  /**
   * Keep every earlier comment: set when some target could not be rendered, since its findings
   * are then unknown rather than gone.
   */
  keepStale?: boolean;
  /** This job's key (see fingerprintMarker): only its own comments are matched and tidied. */
  key?: string;
  /** Who the token acts as: a comment by anyone else is never taken for ours. */
  identity: Identity;
}

export function planReview(input: PlanInput): ReviewPlan {
  const plan: ReviewPlan = {
    comments: [],
    outsideDiff: [],
    overLimit: [],
    alreadyCommented: [],
    toDelete: [],
    toResolve: [],
  };
  const key = input.key ?? DEFAULT_KEY;
  const ours = input.existing.filter(
    (c) =>
      c.inReplyToId === undefined &&
      isOurs({ login: c.author }, input.identity) &&
      readFingerprintMarker(c.body)?.key === key,
  );
  const active = new Set(
    ours
      .map((c) => readFingerprintMarker(c.body)!)
      .filter((m) => !m.resolved)
      .map((m) => m.fingerprint),
  );
  const posted = new Set<string>();
  for (const f of input.newFindings) {
    if (active.has(f.fingerprint)) {
      plan.alreadyCommented.push(f);
      continue;
    }
    // The same finding reached twice (two values files), or two objects made from one line (a
    // base both overlays use): one comment, since one edit fixes both.
    const sameLine = `${f.ruleId}\0${f.location.file}:${f.location.line}\0${f.message}`;
    if (posted.has(f.fingerprint) || posted.has(sameLine)) {
      plan.alreadyCommented.push(f); // covered by the comment just planned
      continue;
    }
    const { file, line } = f.location;
    // A regression made by deleting lines: its finding sits on a parent line the diff may not
    // show; the deleted lines are shown, on the LEFT side, and say best what went.
    const onRight = input.lines.has(file, line);
    const removed = f.removedAt ? input.lines.left(f.removedAt.file, f.removedAt.line) : undefined;
    if (!onRight && !removed) {
      plan.outsideDiff.push(f);
      continue;
    }
    if (plan.comments.length >= input.maxComments) {
      plan.overLimit.push(f);
      continue;
    }
    posted.add(f.fingerprint);
    posted.add(sameLine);
    if (removed && f.removedAt) {
      const body = `${removalNote(f)}\n\n${inlineCommentBody(f, undefined, key)}`;
      plan.comments.push({ path: removed, line: f.removedAt.line, side: 'LEFT', body, finding: f });
    } else {
      const body = inlineCommentBody(f, input.lineText?.(file, line), key);
      const note = f.removedAt ? `${removalNote(f)}\n\n` : '';
      plan.comments.push({ path: file, line, side: 'RIGHT', body: note + body, finding: f });
    }
  }
  const replied = new Set(input.existing.map((c) => c.inReplyToId).filter((id) => id !== undefined));
  for (const c of input.keepStale ? [] : ours) {
    const marker = readFingerprintMarker(c.body)!;
    if (marker.resolved || input.headFingerprints.has(marker.fingerprint)) continue;
    (replied.has(c.id) ? plan.toResolve : plan.toDelete).push(c);
  }
  return plan;
}

/** What a LEFT-side comment says first: this pull request removed the field the finding needs. */
function removalNote(f: Finding): string {
  const field = f.path.split('.').at(-1) ?? f.path;
  const at = f.removedAt ? ` (line ${f.removedAt.line} of \`${f.removedAt.file}\` at the base)` : '';
  return `⚠️ **Removed by this pull request:** \`${field}\`${at}; without it ${refKey(f.object)} no longer passes \`${f.ruleId}\`.`;
}

export interface PullRequestRef {
  number: number;
  headSha: string;
}

/** Read the review comments already on the pull request (all pages). */
export async function listReviewComments(
  session: GitHubSession,
  pr: PullRequestRef,
): Promise<ExistingReviewComment[] | undefined> {
  const raw = await session.call('list review comments', (gh) =>
    gh.paginate(gh.rest.pulls.listReviewComments, { ...session.repo, pull_number: pr.number, per_page: 100 }),
  );
  return raw?.map((c) => ({
    id: c.id,
    body: c.body ?? '',
    path: c.path,
    ...(c.user?.login ? { author: c.user.login } : {}),
    ...(c.in_reply_to_id ? { inReplyToId: c.in_reply_to_id } : {}),
  }));
}

export interface ReviewOutcome {
  posted: number;
  deleted: number;
  resolved: number;
  /** The review was refused (a fork's read-only token, or GitHub rejected a line). */
  failed: boolean;
  /** Findings that now have an inline comment. */
  postedFingerprints: string[];
}

/**
 * Post the plan: the new comments as one review (GitHub rejects the whole review when one line
 * is outside the diff, which the plan has already ruled out), then tidy up the stale ones.
 */
export async function publishReview(
  session: GitHubSession,
  pr: PullRequestRef,
  plan: ReviewPlan,
): Promise<ReviewOutcome> {
  const outcome: ReviewOutcome = {
    posted: 0,
    deleted: 0,
    resolved: 0,
    failed: false,
    postedFingerprints: [],
  };
  if (plan.comments.length > 0) {
    const n = plan.comments.length;
    const review = await session.call('create review', (gh) =>
      gh.rest.pulls.createReview({
        ...session.repo,
        pull_number: pr.number,
        commit_id: pr.headSha,
        event: 'COMMENT',
        body: `shipshape found ${n} new readiness ${n === 1 ? 'problem' : 'problems'} on lines this pull request changes.`,
        comments: plan.comments.map(({ path, line, side, body }) => ({ path, line, side, body })),
      }),
    );
    if (review) outcome.posted = n;
    else if (session.failures.at(-1)?.status === 422 && n > 1) {
      // GitHub rejected one line we thought was in the diff, and with it the whole review: post
      // the comments one by one so only the offending one is lost (it stays in the summary).
      for (const c of plan.comments) {
        const ok = await session.call(`create review comment on ${c.path}:${c.line}`, (gh) =>
          gh.rest.pulls.createReview({
            ...session.repo,
            pull_number: pr.number,
            commit_id: pr.headSha,
            event: 'COMMENT',
            comments: [{ path: c.path, line: c.line, side: c.side, body: c.body }],
          }),
        );
        if (ok) {
          outcome.posted++;
          outcome.postedFingerprints.push(c.finding.fingerprint);
        }
      }
      outcome.failed = outcome.posted === 0;
    } else outcome.failed = true;
    if (review) outcome.postedFingerprints.push(...plan.comments.map((c) => c.finding.fingerprint));
  }
  for (const c of plan.toDelete) {
    const ok = await session.call(`delete review comment ${c.id}`, (gh) =>
      gh.rest.pulls.deleteReviewComment({ ...session.repo, comment_id: c.id }),
    );
    if (ok) outcome.deleted++;
  }
  for (const c of plan.toResolve) {
    const marker = readFingerprintMarker(c.body)!;
    const ok = await session.call(`mark review comment ${c.id} resolved`, (gh) =>
      gh.rest.pulls.updateReviewComment({
        ...session.repo,
        comment_id: c.id,
        body: resolvedCommentBody(c.body, marker.fingerprint, pr.headSha, marker.key),
      }),
    );
    if (ok) outcome.resolved++;
  }
  return outcome;
}
