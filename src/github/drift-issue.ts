import type { DriftReport } from '../drift/types.js';
import { sha256Hex } from '../model/hash.js';
import { driftVerdict, renderDriftMarkdown } from '../report/drift.js';
import type { GitHubSession } from './client.js';

/**
 * One GitHub issue per cluster for drift: found again by a hidden marker (the cluster's identity,
 * hashed) and a label, created when drift appears, updated in place while it lasts, closed with a
 * comment once the cluster is read in full and matches Git. A run that could not tell (a chart
 * that did not render, kinds that could not be read) closes nothing: it adds what went wrong to
 * the open issue and leaves it open.
 */

export const DRIFT_LABEL = 'shipshape-drift';
/** GitHub's limit for an issue body is 65,536 characters; keep room for the marker and the note. */
const BODY_LIMIT = 65_000;

/** Which cluster an issue is about: stable across runs, distinct across clusters. */
export interface ClusterIdentity {
  /** The readable name for titles and text: the `cluster` input, else the context and the server's host. */
  name: string;
  /** What the marker hashes: the `cluster` input, else the API server's address and its CA. */
  key: string;
}

/**
 * The cluster's identity. A `cluster` input names it outright; otherwise the API server's address
 * and CA fingerprint do, since context names repeat across clusters (k3s calls every context
 * `default`, and every in-cluster run is `in-cluster`) and so may in-cluster addresses.
 */
export function clusterIdentity(input: {
  cluster?: string;
  context?: string;
  server?: string;
  caFingerprint?: string;
}): ClusterIdentity {
  if (input.cluster) return { name: input.cluster, key: `cluster=${input.cluster}` };
  const host = hostOf(input.server);
  const context = input.context ?? 'cluster';
  return {
    name: host ? `${context} (${host})` : context,
    key: `server=${input.server ?? ''}\nca=${input.caFingerprint ?? ''}\ncontext=${input.server ? '' : context}`,
  };
}

function hostOf(server: string | undefined): string | undefined {
  if (!server) return undefined;
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

export interface DriftIssueOptions {
  cluster: ClusterIdentity;
  /**
   * The context name earlier versions keyed issues by (`cluster=<context>`): an open issue with
   * that marker is taken over (and re-marked) when none carries the new one.
   */
  legacyName?: string;
  label?: string;
  /** Link to the workflow run, shown in the issue. */
  runUrl?: string;
  /** What went wrong on Git's side or reading the cluster, for an incomplete run. */
  problems?: readonly string[];
  now?: Date;
}

export type DriftIssueAction =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'closed'
  | 'kept-open'
  | 'none'
  | 'failed';

export interface DriftIssueOutcome {
  action: DriftIssueAction;
  number?: number;
  url?: string;
}

export function driftMarker(cluster: ClusterIdentity): string {
  const id = sha256Hex(cluster.key, 16);
  return `<!-- shipshape:drift id=${id} -->`;
}

function legacyMarker(name: string): string {
  return `<!-- shipshape:drift cluster=${encodeURIComponent(name)} -->`;
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
  const open = await findOpenIssue(session, label, marker, options.legacyName);
  if (open === null) return { action: 'failed' };
  const verdict = options.problems?.length
    ? driftVerdict(report) === 'drift'
      ? 'drift'
      : 'unknown'
    : driftVerdict(report);

  if (verdict === 'clean') {
    if (!open) return { action: 'none' };
    const when = (options.now ?? new Date()).toISOString();
    const run = options.runUrl ? ` ([run](${options.runUrl}))` : '';
    await session.call('comment on the drift issue', (gh) =>
      gh.rest.issues.createComment({
        owner,
        repo,
        issue_number: open.number,
        body: `No drift in \`${options.cluster.name}\` any more as of ${when}${run}: every object Git declares was read, and the cluster matches Git. Closing.`,
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

  // Unknown: an open issue keeps the drift it reported and stays open, with what went wrong
  // added; no issue is opened for it alone.
  if (verdict === 'unknown' && !open) return { action: 'none' };
  const body =
    verdict === 'unknown' && open
      ? withProblems(open.body, marker, options)
      : issueBody(report, options, marker);
  if (open) {
    if (open.body === body)
      return {
        action: verdict === 'unknown' ? 'kept-open' : 'unchanged',
        number: open.number,
        url: open.html_url,
      };
    const updated = await session.call('update the drift issue', (gh) =>
      gh.rest.issues.update({ owner, repo, issue_number: open.number, body, title: title(options) }),
    );
    if (!updated) return { action: 'failed' };
    return {
      action: verdict === 'unknown' ? 'kept-open' : 'updated',
      number: open.number,
      url: open.html_url,
    };
  }
  const created = await session.call('create the drift issue', (gh) =>
    gh.rest.issues.create({ owner, repo, title: title(options), body, labels: [label] }),
  );
  return created
    ? { action: 'created', number: created.data.number, url: created.data.html_url }
    : { action: 'failed' };
}

function title(options: DriftIssueOptions): string {
  return `Drift in cluster ${options.cluster.name}`;
}

/**
 * The open issue with our label and this cluster's marker (or, failing that, an earlier version's
 * marker for the same context name); undefined if none, null if GitHub failed.
 */
async function findOpenIssue(
  session: GitHubSession,
  label: string,
  marker: string,
  legacyName: string | undefined,
): Promise<FoundIssue | undefined | null> {
  const { owner, repo } = session.repo;
  const issues = await session.call('list drift issues', (gh) =>
    gh.paginate(gh.rest.issues.listForRepo, { owner, repo, state: 'open', labels: label, per_page: 100 }),
  );
  if (!issues) return null;
  const mine = issues.filter((i) => !i.pull_request);
  const legacy = legacyName ? legacyMarker(legacyName) : undefined;
  const found =
    mine.find((i) => (i.body ?? '').includes(marker)) ??
    (legacy ? mine.find((i) => (i.body ?? '').startsWith(legacy)) : undefined);
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
    { ...report, cluster: options.cluster.name },
    { title: `Drift in cluster ${options.cluster.name}` },
  );
  text += problemsSection(options);
  if (options.runUrl) text += `\nLatest run: ${options.runUrl}\n`;
  if (text.length > BODY_LIMIT) {
    const cut = text.lastIndexOf('\n', BODY_LIMIT - 200);
    text = `${text.slice(0, cut)}\n\n… truncated: the full report is in the run's job summary and JSON output.\n`;
  }
  return `${marker}\n${text}`;
}

const PROBLEMS_HEADING = '### The latest run could not tell';

function problemsSection(options: DriftIssueOptions): string {
  if (!options.problems?.length) return '';
  const run = options.runUrl ? ` ([run](${options.runUrl}))` : '';
  return (
    `\n${PROBLEMS_HEADING}\n\n` +
    `The latest run${run} could not compare everything, so this issue stays open until one does:\n\n` +
    `${options.problems.map((p) => `- ${p.replaceAll('\n', ' ')}`).join('\n')}\n`
  );
}

/** An open issue's body as it was (the drift it reported), with the latest problems in place of earlier ones. */
function withProblems(body: string, marker: string, options: DriftIssueOptions): string {
  const at = body.indexOf(`\n${PROBLEMS_HEADING}`);
  let kept = (at >= 0 ? body.slice(0, at) : body).trimEnd().replace(/\nLatest run: \S+$/, '');
  // An issue taken over from an earlier version gets this version's marker.
  if (!kept.startsWith(marker)) kept = `${marker}\n${kept.replace(/^<!-- shipshape:drift [^>]*-->\n?/, '')}`;
  return `${kept}\n${problemsSection(options)}`;
}
