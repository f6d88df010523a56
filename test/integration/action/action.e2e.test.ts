import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_BODY_LIMIT, type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { BASE_FILES, HEAD_CHANGES, TestRepo } from './repo.js';
import { pullRequestEvent, runAction, TOKEN } from './run-action.js';

/**
 * The Action end to end: `node dist/index.js` as the runner starts it, on real git repositories,
 * with real helm and kustomize, against the local GitHub server. Needs a fresh `npm run build`.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
let server: GitHubServer;
let repo: TestRepo;
let base: string;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/index.js')))
    throw new Error('dist/index.js is missing: run `npm run build` first');
  server = await startGitHubServer();
  repo = new TestRepo();
  base = repo.commit('base', BASE_FILES);
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});
afterEach(() => {
  expect(server.violations).toEqual([]);
});

/** Is a fence still open at the end of this Markdown? */
function openFenceAtEnd(md: string): boolean {
  let open: string | undefined;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})(.*)$/.exec(line);
    if (!m) continue;
    if (!open) open = m[1];
    else if (m[1].length >= open.length && m[2].trim() === '') open = undefined;
  }
  return open !== undefined;
}

function openPull(number: number, head: string) {
  const existing = server.pulls.get(number);
  const files = repo.pullFiles(base, head);
  if (existing) {
    existing.head.sha = head;
    existing.files = files;
    return existing;
  }
  return server.addPull({
    number,
    head: { sha: head, ref: 'feature' },
    base: { sha: base, ref: 'main' },
    files,
  });
}

async function runOnPull(
  number: number,
  head: string,
  inputs: Record<string, string> = {},
  headRepo?: string,
) {
  repo.checkout(head);
  return runAction({
    workspace: repo.dir,
    apiUrl: server.url,
    eventName: 'pull_request',
    payload: pullRequestEvent({ number, baseSha: base, headSha: head, headRepo }),
    sha: head,
    inputs,
  });
}

describe('the pull-request Action', () => {
  let head1: string;
  let head2: string;

  it('comments exactly the three new problems inline, summarises, and fails the check', async () => {
    repo.checkout('main');
    repo.git('checkout', '-q', '-b', 'feature');
    head1 = repo.commit('break three things', HEAD_CHANGES);
    openPull(7, head1);

    const run = await runOnPull(7, head1);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);

    const threads = server.threads(7);
    expect(threads.map((c) => [c.path, c.line, c.side])).toEqual([
      ['charts/web/values.yaml', 4, 'RIGHT'],
      // The dropped limit: on the deleted line itself (the base's line 16), saying what went.
      ['kustomize/overlays/prod/resources.yaml', 16, 'LEFT'],
      ['plain/worker.yaml', 20, 'RIGHT'],
    ]);
    expect(server.reviews.filter((r) => r.pull_number === 7)).toHaveLength(1);
    const privileged = threads[2].body;
    expect(privileged).toContain('**What is wrong:**');
    expect(privileged).toContain('**Why it matters in production:**');
    expect(privileged).toContain('```suggestion\n            privileged: false\n```');
    expect(threads[0].body).not.toContain('```suggestion'); // only a human can pick the right tag

    const summary = server.issueComments.filter((c) => c.issue_number === 7);
    expect(summary).toHaveLength(1);
    expect(summary[0].body).toContain('<!-- shipshape:summary');
    expect(summary[0].body).toContain('Readiness scorecard');
    expect(summary[0].body).toContain('Rendered diff');
    expect(summary[0].body).toContain('<details><summary>✏️ Deployment/prod/api</summary>');
    expect(summary[0].body.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);

    const checks = server.checkRuns.filter((r) => r.head_sha === head1);
    // Once per finding in the files view: each of the three has its inline comment, so the check
    // run carries no annotation for it, and no workflow command repeats it.
    expect(checks.map((r) => [r.name, r.status, r.conclusion, r.annotations.length])).toEqual([
      ['shipshape', 'completed', 'failure', 0],
    ]);

    expect([run.outputs.errors, run.outputs.warnings, run.outputs.notices]).toEqual(['3', '0', '0']);
    expect(run.outputs['rendered-changed']).toBe('true');
    expect(run.summary).toContain('shipshape readiness report');
    expect(run.stdout).not.toContain('::error file=');
  });

  it('on the next push keeps two comments, removes the fixed one, and never repeats itself', async () => {
    repo.checkout('feature');
    head2 = repo.commit('unprivileged again', { 'plain/worker.yaml': BASE_FILES['plain/worker.yaml'] });
    openPull(7, head2);
    const summaryId = server.issueComments.find((c) => c.issue_number === 7)!.id;

    const run = await runOnPull(7, head2);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(server.threads(7).map((c) => c.path)).toEqual([
      'charts/web/values.yaml',
      'kustomize/overlays/prod/resources.yaml',
    ]);
    expect(server.reviews.filter((r) => r.pull_number === 7)).toHaveLength(1); // nothing new to post
    const summary = server.issueComments.filter((c) => c.issue_number === 7);
    expect(summary.map((c) => c.id)).toEqual([summaryId]); // updated in place
    expect(summary[0].body).not.toContain('security-privileged');
    expect(server.checkRuns.find((r) => r.head_sha === head2)?.conclusion).toBe('failure');
  });

  it("never touches a human's comment that quotes ours, marker and all", async () => {
    // A reviewer starts a thread quoting our comment on values.yaml, and quotes the summary.
    const ours = server.threads(7).find((c) => c.path === 'charts/web/values.yaml')!;
    const quote = (body: string) =>
      body
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    const review = server.humanReviewComment(7, ours.path, ours.line ?? 1, `Agreed:\n\n${quote(ours.body)}`);
    const summary = server.issueComments.find((c) => c.issue_number === 7)!;
    const conversation = server.humanIssueComment(7, `Summary says:\n\n${quote(summary.body)}`);

    repo.checkout('feature');
    const head3 = repo.commit('a pinned tag again', {
      'charts/web/values.yaml': BASE_FILES['charts/web/values.yaml'],
    });
    openPull(7, head3);
    const run = await runOnPull(7, head3);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    // Our fixed comment is gone; the reviewer's thread and conversation comment are as they were.
    expect(server.reviewComments.find((c) => c.id === ours.id)).toBeUndefined();
    expect(server.reviewComments.find((c) => c.id === review.id)?.body).toBe(review.body);
    expect(server.issueComments.find((c) => c.id === conversation.id)?.body).toBe(conversation.body);
    expect(server.issueComments.filter((c) => c.issue_number === 7 && c.user.type === 'Bot')).toHaveLength(1);
  });

  it('passes a pull request that changes no manifest, without commenting', async () => {
    repo.checkout('main');
    repo.git('checkout', '-q', '-b', 'docs');
    const docs = repo.commit('docs only', { 'README.md': '# shop\n\nHow to run it.\n' });
    openPull(8, docs);
    const run = await runOnPull(8, docs);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(server.threads(8)).toEqual([]);
    expect(server.issueComments.filter((c) => c.issue_number === 8)).toEqual([]);
    expect(server.checkRuns.find((r) => r.head_sha === docs)?.conclusion).toBe('success');
    expect(run.outputs.errors).toBe('0');
    expect(run.outputs['rendered-changed']).toBe('false');
  });

  it('falls back to annotations, the job summary and SARIF for a fork, and still fails', async () => {
    repo.checkout('feature');
    openPull(9, head1);
    const before = server.requests.length;
    const run = await runOnPull(9, head1, { sarif: 'shipshape.sarif' }, 'forker/shop');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/fork/i);
    const writes = server.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
    expect(run.stdout).toContain('::error file=charts/web/values.yaml,line=4');
    expect(run.summary).toContain('from a fork');
    const sarif = JSON.parse(run.reports.sarif ?? '{}');
    rmSync(path.join(repo.dir, 'shipshape.sarif'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(3);
  });

  it('falls back when the token may not write (403), and still fails', async () => {
    repo.checkout('feature');
    openPull(12, head1);
    server.readOnly = true;
    try {
      const run = await runOnPull(12, head1);
      expect(run.code).toBe(1);
      expect(server.threads(12)).toEqual([]);
      expect(run.stdout).toContain('falling back to annotations');
      expect(run.stdout).toContain('refused the check run');
      expect(run.stdout).toContain('::error file=plain/worker.yaml,line=20');
      expect(run.summary).toContain('security-privileged');
      expect(JSON.parse(run.reports.sarif ?? '{}').version).toBe('2.1.0'); // written unasked
    } finally {
      server.readOnly = false;
    }
  });

  it('splits a huge rendered diff over several comments, never mid-line or mid-fence', async () => {
    repo.checkout('main');
    repo.git('checkout', '-q', '-b', 'big');
    // A ConfigMap holding a Markdown runbook: its own ``` fences must not close ours.
    const runbook = Array.from({ length: 4000 }, (_, i) =>
      i % 50 === 0
        ? '    ```sh'
        : i % 50 === 25
          ? '    ```'
          : `    step ${i}: kubectl rollout status deploy/web # ${'x'.repeat(20)}`,
    ).join('\n');
    const big = repo.commit('runbook', {
      'plain/runbook.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: runbook\n  namespace: jobs\ndata:\n  RUNBOOK.md: |\n${runbook}\n`,
    });
    openPull(11, big);
    const run = await runOnPull(11, big);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const parts = server.issueComments.filter((c) => c.issue_number === 11);
    expect(parts.length).toBeGreaterThan(2);
    for (const [i, c] of parts.entries()) {
      expect(c.body.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);
      expect(c.body).toContain(`part=${i + 1}/${parts.length}`);
      expect(openFenceAtEnd(c.body)).toBe(false);
    }
    // Every line of the runbook arrives whole, in order, exactly once.
    const shown = parts
      .flatMap((c) => c.body.split('\n'))
      .filter((l) => l.startsWith('+    step '))
      .map((l) => l.slice(1));
    expect(shown).toEqual(runbook.split('\n').filter((l) => l.includes('step ')));
  });

  it('rides out a secondary rate limit and a 5xx', async () => {
    openPull(10, head1);
    server.secondaryRateLimit(1, 1);
    server.fail(502, { count: 1, method: 'POST' });
    const run = await runOnPull(10, head1);
    expect(run.code).toBe(1);
    expect(server.threads(10)).toHaveLength(3);
    expect(run.stdout).toContain('retrying');
  });
});

describe('the check mode on a push', () => {
  it('checks every target and fails on errors', async () => {
    repo.checkout('feature');
    const sha = repo.head();
    const run = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'push',
      payload: { ref: 'refs/heads/main', after: sha, repository: { full_name: 'acme/shop' } },
      sha,
    });
    expect(run.code).toBe(1);
    expect(
      server.checkRuns.filter((r) => r.head_sha === sha && r.name === 'shipshape').at(-1)?.conclusion,
    ).toBe('failure');
    const report = JSON.parse(run.reports.json ?? '{}');
    expect(report.version).toBe(1);
    const counted = Number(run.outputs.errors) + Number(run.outputs.warnings) + Number(run.outputs.notices);
    expect(report.findings.length).toBe(counted);
    // Once per finding: the check run annotates each, and the log does not repeat them.
    const check = server.checkRuns.filter((r) => r.head_sha === sha && r.name === 'shipshape').at(-1);
    expect(check?.annotations.length).toBe(counted);
    expect(run.stdout).not.toMatch(/^::(error|warning|notice) file=/m);
  });
});

describe('the drift mode', () => {
  it('never shows the kubeconfig, removes it, and fails clearly when the cluster does not answer', async () => {
    const secret = 'kubeconfig-token-d0-not-print';
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]',
      `users: [{name: u, user: {token: ${secret}}}]`,
      'contexts: [{name: ctx, context: {cluster: c, user: u}}]',
      'current-context: ctx',
      '',
    ].join('\n');
    repo.checkout('main');
    const run = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'schedule',
      payload: { schedule: '0 6 * * *', repository: { full_name: 'acme/shop' } },
      sha: base,
      inputs: { kubeconfig, paths: 'plain' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('shipshape: drift');
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.runnerTemp.filter((f) => f.includes('kube'))).toEqual([]);
  });
});
