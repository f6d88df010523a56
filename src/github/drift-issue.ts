import type { DriftReport } from '../drift/types.js';
import { hasDrift, renderDriftMarkdown } from '../report/drift.js';
import type { GitHubSession } from './client.js';

/**
 * One GitHub issue per cluster for drift: found again by a hidden marker and a label, created
 * when drift appears, updated in place while it lasts, closed with a comment once it is gone.
 */

export const DRIFT_LABEL = 'shipshape-drift';
/** GitHub's limit for an issue body is 65,536 characters; keep room for the marker and the note. */
const BODY_LIMIT = 65_000;

export interface DriftIssueOptions {
  /** The cluster's name as the workflow knows it (matrix entry, context name). */
  cluster: string;
  label?: string;
  /** Link to the workflow run, shown in the issue. */
  runUrl?: string;
  now?: Date;
}

export type DriftIssueAction = 'created' | 'updated' | 'unchanged' | 'closed' | 'none' | 'failed';

export interface DriftIssueOutcome {
  action: DriftIssueAction;
  number?: number;
  url?: string;
}

export function driftMarker(cluster: string): string {
  return `<!-- shipshape:drift cluster=${encodeURIComponent(cluster)} -->`;
}

interface FoundIssue {
  number: number;
  body: string;
  html_url: string;
}

export async function syncDriftIssue(
  session: GitHubSession,
  report: DriftReport,
  options: DriftIssueOptions,
): Promise<DriftIssueOutcome> {
  const label = options.label ?? DRIFT_LABEL;
  const marker = driftMarker(options.cluster);
  const { owner, repo } = session.repo;
  const open = await findOpenIssue(session, label, marker);
  if (open === null) return { action: 'failed' };

  if (!hasDrift(report)) {
    if (!open) return { action: 'none' };
    const when = (options.now ?? new Date()).toISOString();
    const run = options.runUrl ? ` ([run](${options.runUrl}))` : '';
    await session.call('comment on the drift issue', (gh) =>
      gh.rest.issues.createComment({
        owner,
        repo,
        issue_number: open.number,
        body: `No drift in \`${options.cluster}\` any more as of ${when}${run}: the cluster matches Git. Closing.`,
      }),
    );
    const closed = await session.call('close the drift issue', (gh) =>
      gh.rest.issues.update({
        owner,
        repo,
        issue_number: open.number,
        state: 'closed',
        state_reason: 'completed',
      }),
    );
    return closed ? { action: 'closed', number: open.number, url: open.html_url } : { action: 'failed' };
  }

  const body = issueBody(report, options, marker);
  if (open) {
    if (open.body === body) return { action: 'unchanged', number: open.number, url: open.html_url };
    const updated = await session.call('update the drift issue', (gh) =>
      gh.rest.issues.update({ owner, repo, issue_number: open.number, body }),
    );
    return updated ? { action: 'updated', number: open.number, url: open.html_url } : { action: 'failed' };
  }
  const created = await session.call('create the drift issue', (gh) =>
    gh.rest.issues.create({
      owner,
      repo,
      title: `Drift in cluster ${options.cluster}`,
      body,
      labels: [label],
    }),
  );
  return created
    ? { action: 'created', number: created.data.number, url: created.data.html_url }
    : { action: 'failed' };
}

/** The open issue with our label and this cluster's marker; undefined if none, null if GitHub failed. */
async function findOpenIssue(
  session: GitHubSession,
  label: string,
  marker: string,
): Promise<FoundIssue | undefined | null> {
  const { owner, repo } = session.repo;
  const issues = await session.call('list drift issues', (gh) =>
    gh.paginate(gh.rest.issues.listForRepo, { owner, repo, state: 'open', labels: label, per_page: 100 }),
  );
  if (!issues) return null;
  const found = issues.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
  return found ? { number: found.number, body: found.body ?? '', html_url: found.html_url } : undefined;
}

/**
 * The issue body: the Markdown report, cut at a line boundary under GitHub's limit. Stable for the
 * same drift (no run time inside) so that an unchanged issue is not rewritten every schedule.
 */
export function issueBody(
  report: DriftReport,
  options: DriftIssueOptions,
  marker = driftMarker(options.cluster),
): string {
  let text = renderDriftMarkdown(
    { ...report, cluster: options.cluster },
    { title: `Drift in cluster ${options.cluster}` },
  );
  if (options.runUrl) text += `\nLatest run: ${options.runUrl}\n`;
  if (text.length > BODY_LIMIT) {
    const cut = text.lastIndexOf('\n', BODY_LIMIT - 200);
    text = `${text.slice(0, cut)}\n\n… truncated: the full report is in the run's job summary and JSON output.\n`;
  }
  return `${marker}\n${text}`;
}
