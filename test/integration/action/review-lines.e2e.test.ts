import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { BASE_FILES, TestRepo } from './repo.js';
import { pullRequestEvent, runAction } from './run-action.js';

/**
 * The default `actions/checkout` on `pull_request` checks out GitHub's merge commit. When the base
 * has moved since the branch was made (here: three lines added above the problem), the merge
 * tree's lines are not the head's, but review comments are posted against the head: the comment
 * must still land on the head's own line, the one that holds the problem: with the whole history
 * checked out (`fetch-depth: 0`), and in the default depth-1 clone, which has neither the base nor
 * the head until the Action fetches them.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
let server: GitHubServer;
let repo: TestRepo;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/index.js')))
    throw new Error('dist/index.js is missing: run `npm run build` first');
  server = await startGitHubServer();
  repo = new TestRepo();
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});
afterEach(() => {
  expect(server.violations).toEqual([]);
});

/** The first test's pull request, for the second. */
let pull: { branchPoint: string; base: string; head: string; merge: string; line: number } | undefined;

describe('a merge-commit checkout', () => {
  it('comments on the head line that holds the problem, not the merge tree line (full history, fetch-depth: 0)', async () => {
    const branchPoint = repo.commit('base', BASE_FILES);
    repo.git('checkout', '-q', '-b', 'feature');
    const worker = BASE_FILES['plain/worker.yaml'].replace(
      '          image: ghcr.io/acme/worker:3.1.0\n',
      '          image: ghcr.io/acme/worker:3.1.0\n          securityContext:\n            privileged: true\n',
    );
    const head = repo.commit('privileged worker', { 'plain/worker.yaml': worker });
    // Meanwhile main adds three lines above the problem.
    repo.checkout('main');
    const base = repo.commit('document the worker', {
      'plain/worker.yaml': `# The worker drains the queue.\n# Owned by the payments team.\n# Runbook: docs/worker.md\n${BASE_FILES['plain/worker.yaml']}`,
    });
    // What actions/checkout checks out by default: the merge of the head into the base.
    repo.git('checkout', '-q', '--detach', base);
    repo.git('merge', '-q', '--no-ff', '--no-edit', head);
    const merge = repo.head();
    expect(merge).not.toBe(head);

    server.addPull({
      number: 21,
      head: { sha: head, ref: 'feature' },
      base: { sha: base, ref: 'main' },
      files: repo.pullFiles(branchPoint, head),
    });
    const run = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 21, baseSha: base, headSha: head }),
      sha: merge,
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain("is not the pull request's head");

    const headLines = worker.split('\n');
    const line = headLines.findIndex((l) => l.includes('privileged: true')) + 1;
    const threads = server.threads(21);
    expect(threads.map((c) => [c.path, c.line, c.commit_id])).toEqual([['plain/worker.yaml', line, head]]);
    expect(headLines[(threads[0].line ?? 0) - 1]).toContain('privileged: true');
    expect(threads[0].body).toContain('```suggestion\n            privileged: false\n```');
    pull = { branchPoint, base, head, merge, line };
  });

  it('does the same in a depth-1 clone of the merge commit (the default fetch-depth)', async () => {
    if (!pull) throw new Error('needs the first test');
    const { branchPoint, base, head, merge, line } = pull;
    // What actions/checkout makes by default: one commit, the merge, and origin to fetch from.
    const clone = new TestRepo();
    try {
      clone.git('remote', 'add', 'origin', `file://${repo.dir}`);
      clone.git('fetch', '-q', '--depth=1', 'origin', merge);
      clone.git('checkout', '-q', 'FETCH_HEAD');
      expect(clone.git('rev-list', '--count', 'HEAD').trim()).toBe('1');
      server.addPull({
        number: 22,
        head: { sha: head, ref: 'feature' },
        base: { sha: base, ref: 'main' },
        files: repo.pullFiles(branchPoint, head),
      });
      const run = await runAction({
        workspace: clone.dir,
        apiUrl: server.url,
        eventName: 'pull_request',
        payload: pullRequestEvent({ number: 22, baseSha: base, headSha: head }),
        sha: merge,
      });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toContain("is not the pull request's head");
      const threads = server.threads(22);
      expect(threads.map((c) => [c.path, c.line, c.commit_id])).toEqual([['plain/worker.yaml', line, head]]);
      // Only the one new finding: the base was fetched and compared, not everything counted new.
      const report = JSON.parse(run.reports.json ?? '{}') as { pullRequest?: { new: string[] } };
      expect(report.pullRequest?.new).toHaveLength(1);
    } finally {
      clone.remove();
    }
  });
});
