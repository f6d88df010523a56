import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { VERSION } from '../cli/version.js';
import { type Annotation, publishCheckRun } from '../github/checks.js';
import { createGitHub, GitHubSession, type Log } from '../github/client.js';
import { listChangedFiles } from '../github/files.js';
import { type ChangedFile, CommentableLines } from '../github/hunks.js';
import { type Identity, isOurs, resolveIdentity } from '../github/identity.js';
import { splitMarkdown } from '../github/markdown.js';
import { readSummaryMarker } from '../github/markers.js';
import { jobSummary, summaryBlocks } from '../github/pr-summary.js';
import { listReviewComments, planReview, publishReview } from '../github/review.js';
import { publishSticky, SUMMARY_PART_LIMIT } from '../github/sticky.js';
import type { CheckResult } from '../jobs/check.js';
import { reachesThreshold } from '../jobs/check.js';
import { type PullRequestJobResult, runPullRequestJob } from '../jobs/pull-request.js';
import { readFileAtCommit } from '../jobs/pull-request-git.js';
import type { Finding } from '../model/types.js';
import { renderGithub } from '../report/github.js';
import { jsonReport } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { ALL_RULES } from '../rules/index.js';
import { SUPPRESSION_RULES } from '../rules/suppress.js';
import { maskSecrets } from '../secrets/index.js';
import { loadTrustedConfig } from './config.js';
import type { RunContext } from './context.js';
import { type ActionSettings, instanceKey } from './settings.js';

/**
 * The pull-request and check jobs as the Action runs them: run the job, then publish what the
 * token allows (inline review, sticky summary, check run) and what needs no token at all
 * (workflow annotations, job summary, JSON, SARIF, outputs). The exit status follows `fail-on`
 * whatever GitHub accepted, so the job stays a trustworthy required check.
 */

export interface ReadinessOutcome {
  failed: boolean;
  result: PullRequestJobResult;
}

const log: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
};

export async function runReadiness(
  job: 'pull-request' | 'check',
  settings: ActionSettings,
  ctx: RunContext,
): Promise<ReadinessOutcome> {
  const pr = job === 'pull-request' ? ctx.pullRequest : undefined;
  // On a pull request the config (and the baseline) are the base branch's, never the head's.
  const trusted = await loadTrustedConfig(settings, ctx.workspace, pr?.baseSha);
  const { config, errors: configErrors } = trusted;
  const failOn = settings.failOn;
  const key = instanceKey(settings.paths);
  if (job === 'pull-request' && !pr) {
    core.warning('mode is pull-request but the event carries no pull request; checking the branch instead');
  }
  const session = settings.token
    ? new GitHubSession(createGitHub({ token: settings.token, baseUrl: ctx.apiUrl, log }), ctx.repo, log)
    : undefined;
  // Only comments the token itself wrote are ours to edit or delete.
  const identity = pr && session ? await resolveIdentity(session, settings.botLogin) : undefined;

  // The pull request's files and hunks, from the API (paginated); git fills in the names anyway.
  let files: ChangedFile[] | undefined;
  if (pr && session) files = await listChangedFiles(session, pr.number);

  const result = await runPullRequestJob({
    cwd: ctx.workspace,
    roots: settings.paths,
    config,
    configErrors,
    base: pr?.baseSha,
    head: pr?.headSha ?? ctx.sha,
    trustedCommit: trusted.trustedCommit,
    changed: files?.flatMap((f) => (f.previousFilename ? [f.filename, f.previousFilename] : [f.filename])),
    log: (m) => core.info(m),
  });

  // As the check job reports them: a finding several targets make on one line is one finding.
  const counted = onePerLine(result.mode === 'pull-request' ? result.newFindings : result.findings);
  const inputErrors = result.errors.filter((e) => e.level === 'error');
  const failed = failOn !== 'never' && (reachesThreshold(counted, failOn) || inputErrors.length > 0);

  // ---- GitHub: review, sticky summary, check run (each failure reported, the rest goes on).
  const notes: string[] = [...trusted.notes];
  for (const note of trusted.notes) core.notice(note);
  const commented = new Set<string>();
  const overLimit = new Set<string>();
  const readOnly = pr?.fromFork === true;
  if (readOnly) {
    notes.push(
      'This pull request comes from a fork, whose token is read-only: the findings are in the workflow annotations, the job summary and the SARIF report instead of review comments.',
    );
    core.info(
      'Pull request from a fork: read-only token. Falling back to annotations, the job summary and SARIF.',
    );
  }
  // Each feature needs its own permission (pull-requests, checks): a 403 on one does not stop
  // the others from being tried.
  const canWrite = () => session !== undefined && !readOnly;

  if (pr && session && canWrite() && settings.review && files) {
    const existing = await listReviewComments(session, { number: pr.number, headSha: pr.headSha });
    if (existing) {
      const plan = planReview({
        newFindings: result.newFindings,
        headFingerprints: new Set(result.findings.map((f) => f.fingerprint)),
        lines: new CommentableLines(files),
        existing,
        maxComments: settings.maxInlineComments,
        lineText: await lineReader(ctx.workspace, pr.headSha, result.newFindings),
        keepStale: inputErrors.length > 0,
        key,
        identity: identity!,
      });
      const outcome = await publishReview(session, { number: pr.number, headSha: pr.headSha }, plan);
      for (const f of plan.alreadyCommented) commented.add(f.fingerprint);
      for (const fp of outcome.postedFingerprints) commented.add(fp);
      for (const f of plan.overLimit) overLimit.add(f.fingerprint);
      core.info(
        `Review: ${outcome.posted} new inline comments, ${plan.alreadyCommented.length} already commented, ${outcome.deleted} deleted, ${outcome.resolved} marked resolved, ${plan.outsideDiff.length} outside the diff, ${plan.overLimit.length} over the limit of ${settings.maxInlineComments}.`,
      );
    }
  }
  if (session?.writeDenied && !readOnly) {
    notes.push(
      'The token may not write review comments (needs `pull-requests: write`): findings are in the annotations and the job summary.',
    );
    core.info('GitHub refused a write (403): falling back to annotations, the job summary and SARIF.');
  }

  const link = (file: string, line: number) =>
    `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/blob/${pr?.headSha ?? ctx.sha}/${file.split('/').map(encodeURIComponent).join('/')}#L${line}`;
  const blocks = summaryBlocks(result, { failOn, failed, link, commented, overLimit, notes });

  if (pr && session && canWrite() && settings.comment) {
    const nothingToSay = result.targets.length === 0 && counted.length === 0;
    const parts = splitMarkdown(blocks, SUMMARY_PART_LIMIT);
    // A pull request that touches no manifest gets no comment (but an earlier one is kept current).
    const existing = nothingToSay ? await hasSticky(session, pr.number, key, identity!) : true;
    if (existing) {
      const outcome = await publishSticky(session, pr.number, parts, identity!, key);
      core.info(
        `Summary comment: ${outcome.created} created, ${outcome.updated} updated, ${outcome.deleted} deleted (${parts.length} parts).`,
      );
    } else {
      core.info('No manifest is affected: no summary comment.');
    }
  }

  // Each finding shows once in the files view: as its inline comment, else as an annotation of
  // the check run, else (no check run could be made) as a workflow-command annotation.
  let checkRunMade = false;
  if (session && canWrite()) {
    const failuresBefore = session.failures.length;
    const annotations = counted.filter((f) => !commented.has(f.fingerprint)).map(toAnnotation);
    const check = await publishCheckRun(session, {
      // Two jobs on different folders each need their own required check.
      name: key === 'default' ? 'shipshape' : `shipshape (${settings.paths.join(', ')})`,
      headSha: pr?.headSha ?? ctx.sha,
      conclusion: failed ? 'failure' : 'success',
      title: headline(result, failed),
      summary: jobSummary(blocks, 65_000),
      annotations,
      ...(ctx.runUrl ? { detailsUrl: ctx.runUrl } : {}),
    });
    checkRunMade = !check.failed;
    if (!check.failed) {
      core.info(`Check run: ${failed ? 'failure' : 'success'}, ${check.annotations} annotations.`);
    } else if (session.failures.slice(failuresBefore).some((f) => f.status === 403)) {
      core.info(
        'GitHub refused the check run (needs `checks: write`): the job status and the annotations carry the verdict.',
      );
    }
  }

  // ---- No token needed: workflow annotations, job summary, reports, outputs.
  const report = checkResultOf(result, counted);
  process.stdout.write(
    renderGithub({
      ...report,
      findings: checkRunMade ? [] : counted.filter((f) => !commented.has(f.fingerprint)),
    }),
  );
  await writeJobSummary(jobSummary(blocks));
  const jsonPath = await writeJson(ctx, result, report);
  core.setOutput('report-json', jsonPath);
  // Without write access the SARIF report is one of the fallbacks: write it even unasked.
  const fellBack = readOnly || session?.writeDenied === true;
  const sarifPath = settings.sarif
    ? path.resolve(ctx.workspace, settings.sarif)
    : fellBack
      ? path.join(ctx.tempDir, 'shipshape', 'report.sarif')
      : undefined;
  if (sarifPath) {
    await mkdir(path.dirname(sarifPath), { recursive: true });
    await writeFile(
      sarifPath,
      maskSecrets(renderSarif({ ...report, findings: onePerLine(result.findings) }, { version: VERSION })),
    );
    if (!settings.sarif)
      core.info(`SARIF report: ${sarifPath} (upload it with github/codeql-action/upload-sarif)`);
  }
  core.setOutput('report-sarif', sarifPath ?? '');
  core.setOutput('errors', String(counted.filter((f) => f.severity === 'error').length));
  core.setOutput('warnings', String(counted.filter((f) => f.severity === 'warning').length));
  core.setOutput('notices', String(counted.filter((f) => f.severity === 'info').length));
  core.setOutput('rendered-changed', String(result.renderedChanged));
  return { failed, result };
}

function onePerLine(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\0${f.location.file}:${f.location.line}:${f.location.column}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function headline(result: PullRequestJobResult, failed: boolean): string {
  const counted = onePerLine(result.mode === 'pull-request' ? result.newFindings : result.findings);
  const what = result.mode === 'pull-request' ? 'new finding' : 'finding';
  return `${failed ? 'Not ready' : 'Ready'}: ${counted.length} ${what}${counted.length === 1 ? '' : 's'}`;
}

async function hasSticky(
  session: GitHubSession,
  issue: number,
  key: string,
  identity: Identity,
): Promise<boolean> {
  const comments = await session.call('list pull request comments', (gh) =>
    gh.paginate(gh.rest.issues.listComments, { ...session.repo, issue_number: issue, per_page: 100 }),
  );
  return (comments ?? []).some((c) => isOurs(c.user, identity) && readSummaryMarker(c.body)?.key === key);
}

const LEVEL: Record<Finding['severity'], Annotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  info: 'notice',
};

function toAnnotation(f: Finding): Annotation {
  return {
    path: f.location.file,
    start_line: f.location.line,
    end_line: f.location.endLine ?? f.location.line,
    annotation_level: LEVEL[f.severity],
    title: `${f.ruleId} (${f.checklist})`,
    message: `${f.message}\nFix: ${f.remediation}`,
    raw_details: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name} ${f.path}`,
  };
}

/** Lines of the head's files that carry new findings, for one-line suggestions. */
async function lineReader(
  cwd: string,
  headSha: string,
  findings: readonly Finding[],
): Promise<(file: string, line: number) => string | undefined> {
  const texts = new Map<string, string[]>();
  for (const file of new Set(findings.map((f) => f.location.file))) {
    // The head commit's text, not the checkout's: a merge checkout's lines are not the head's.
    const text =
      (await readFileAtCommit(cwd, headSha, file)) ??
      (await readFile(path.resolve(cwd, file), 'utf8').catch(() => undefined));
    if (text !== undefined) texts.set(file, text.split('\n'));
  }
  return (file, line) => texts.get(file)?.[line - 1];
}

/** The shape the shared reporters (JSON, SARIF, annotations) take. */
function checkResultOf(result: PullRequestJobResult, counted: Finding[]): CheckResult {
  return {
    findings: counted,
    errors: result.errors,
    files: result.files,
    objects: result.objects,
    rules: [...ALL_RULES.map((r) => r.meta), ...SUPPRESSION_RULES],
    suppressed: [],
    baselined: [],
  };
}

async function writeJson(
  ctx: RunContext,
  result: PullRequestJobResult,
  report: CheckResult,
): Promise<string> {
  const dir = path.join(ctx.tempDir, 'shipshape');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'report.json');
  const body = {
    ...jsonReport({ ...report, findings: onePerLine(result.findings) }),
    pullRequest:
      result.mode === 'pull-request'
        ? {
            base: result.base,
            head: result.head,
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
  await writeFile(file, maskSecrets(`${JSON.stringify(body, null, 2)}\n`));
  return file;
}

async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(maskSecrets(markdown)).write();
}
