import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { BASE_FILES, HEAD_CHANGES, TestRepo } from './repo.js';
import { pullRequestEvent, runAction, TOKEN } from './run-action.js';

/**
 * The fork pattern end to end (examples/workflows/fork-pull-requests*.yml): a fork's
 * `pull_request` run computes with `publish: false` and writes nothing; a `workflow_run` job
 * with `mode: publish` reads only the result file, and posts the review to the pull request and
 * head commit GitHub's event names. Forged, oversized and injected files are refused or made
 * inert. `node <bundle>/index.js` against the local GitHub server, real git, helm and kustomize.
 */

const FORK = 'octo-fork/shop';
const PR = 9;
let server: GitHubServer;
let repo: TestRepo;
let base: string;
let head: string;
let resultText: string;
const downloads: string[] = [];

const writes = () => server.requests.filter((r) => r.method !== 'GET');

beforeAll(async () => {
  server = await startGitHubServer();
  repo = new TestRepo();
  base = repo.commit('base', BASE_FILES);
  repo.git('checkout', '-q', '-b', 'feature');
  head = repo.commit('break three things', HEAD_CHANGES);
  server.addPull({
    number: PR,
    head: { sha: head, ref: 'feature', repo: FORK },
    base: { sha: base, ref: 'main' },
    files: repo.pullFiles(base, head),
  });
  // A pull request from another fork on a branch of the same name: not ours to post to.
  server.addPull({
    number: 10,
    head: { sha: base, ref: 'feature', repo: 'someone-else/shop' },
    base: { sha: base, ref: 'main' },
    files: [],
  });
});
afterAll(async () => {
  await server.stop();
  repo.remove();
  for (const d of downloads) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  expect(server.violations).toEqual([]);
});

/** The publish job's workspace: no checkout, only what download-artifact left. */
function download(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shipshape-publish-'));
  downloads.push(dir);
  mkdirSync(path.join(dir, 'shipshape-results', 'shipshape-result'), { recursive: true });
  writeFileSync(path.join(dir, 'shipshape-results', 'shipshape-result', 'shipshape-result.json'), text);
  return dir;
}

function publish(workspace: string) {
  return runAction({
    workspace,
    apiUrl: server.url,
    eventName: 'workflow_run',
    payload: {
      action: 'completed',
      workflow_run: {
        id: 4242,
        name: 'shipshape (pull request)',
        event: 'pull_request',
        status: 'completed',
        conclusion: 'failure',
        head_sha: head,
        head_branch: 'feature',
        head_repository: { full_name: FORK, owner: { login: 'octo-fork' } },
        // GitHub leaves this empty when the head is a fork's.
        pull_requests: [],
      },
      repository: { full_name: 'acme/shop', name: 'shop', owner: { login: 'acme' } },
    },
    // A workflow_run job runs on the default branch's latest commit.
    sha: base,
    inputs: { mode: 'publish', results: 'shipshape-results' },
  });
}

// biome-ignore lint/suspicious/noExplicitAny: a forged file is whatever its author makes it
type Forged = any;

/** The result file, damaged by `edit` (a forged or hostile file). */
function forged(edit: (file: Forged) => void): string {
  const file = JSON.parse(resultText);
  edit(file);
  return JSON.stringify(file);
}

describe('pull requests from forks', () => {
  it('the pull_request run computes, writes the result file, and makes no write request', async () => {
    server.readOnly = true; // a fork's token
    repo.checkout(head);
    const run = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: PR, baseSha: base, headSha: head, headRepo: FORK }),
      sha: head,
      inputs: { publish: 'false' },
    });
    server.readOnly = false;
    // Still the trustworthy required check: it fails on the new errors itself.
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(writes()).toEqual([]);
    expect(run.outputs['result-file']).toMatch(/shipshape-result\.json$/);
    expect(run.stdout).toContain('Nothing was published');
    resultText = run.reports.result!;
    const file = JSON.parse(resultText);
    expect(file).toMatchObject({ format: 'shipshape-result', commit: head, pullRequest: { number: PR } });
    expect(file.result.counted).toHaveLength(3);
    expect(resultText).not.toContain(TOKEN);
  });

  it('the workflow_run job posts the inline comments, the summary and the check run', async () => {
    const before = server.requests.length;
    const run = await publish(download(resultText));
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('read as untrusted input');
    expect(server.threads(PR).map((c) => [c.path, c.line, c.side, c.commit_id])).toEqual([
      ['charts/web/values.yaml', 4, 'RIGHT', head],
      ['kustomize/overlays/prod/resources.yaml', 16, 'LEFT', head],
      ['plain/worker.yaml', 20, 'RIGHT', head],
    ]);
    expect(server.threads(10)).toEqual([]);
    expect(server.issueComments.filter((c) => c.issue_number === PR)).toHaveLength(1);
    expect(server.checkRuns.map((r) => [r.name, r.head_sha, r.conclusion])).toEqual([
      ['shipshape', head, 'failure'],
    ]);
    // It found the pull request from the event's head alone, and checked out nothing.
    const asked = server.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(asked).toContain(`GET /repos/acme/shop/pulls?state=open&head=octo-fork%3Afeature&per_page=100`);
    expect(run.summary).toContain('Readiness scorecard');
  });

  it('refuses a result that names another pull request or commit, and posts nothing', async () => {
    const other = repo.commit('another commit', { 'README.md': '# shop 2\n' });
    const cases: [string, (f: Forged) => void, RegExp][] = [
      [
        'another pull request',
        (f) => {
          f.pullRequest.number = 7;
          f.result.pullRequest.number = 7;
        },
        /shard 1\/1 is about pull request #7, not #9/,
      ],
      [
        'another commit',
        (f) => {
          for (const o of [f, f.result]) o.commit = other;
          f.pullRequest.headSha = other;
          f.result.pullRequest.headSha = other;
          f.result.run.head = other;
        },
        /is about commit [0-9a-f]{12}, not [0-9a-f]{12}/,
      ],
      ['an envelope that disagrees with its result', (f) => (f.result.commit = other), /its result is about/],
      [
        'an oversized file',
        (f) => (f.result.notes = ['x'.repeat(33 * 1024 * 1024)]),
        /larger than 32 MiB; refused unread/,
      ],
      [
        'a path outside the repository',
        (f) => (f.result.counted[0].location.file = '../../../etc/passwd'),
        /location\.file: .* is not allowed/,
      ],
    ];
    for (const [what, edit, message] of cases) {
      const before = writes().length;
      const run = await publish(download(forged(edit)));
      expect(run.code, what).toBe(1);
      expect(run.stdout + run.stderr, what).toMatch(message);
      expect(writes().length, what).toBe(before);
    }
  });

  it('publishes nothing when the pull request has moved on since the run', async () => {
    const pull = server.pulls.get(PR)!;
    pull.head.sha = repo.commit('a newer push', { 'README.md': '# shop 3\n' });
    try {
      const before = writes().length;
      const run = await publish(download(resultText));
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(
        /Not published: pull request #9 has moved on to [0-9a-f]{12} since this run/,
      );
      expect(writes().length).toBe(before);
    } finally {
      pull.head.sha = head;
    }
  });

  it('refuses a missing result file', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'shipshape-publish-'));
    downloads.push(empty);
    mkdirSync(path.join(empty, 'shipshape-results'));
    const run = await publish(empty);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/no result file was found/);
  });

  it('neutralises Markdown and HTML injected into object names and messages', async () => {
    const evil =
      '<img src=x onerror=alert(1)>[pwn](https://evil.example/x)@acme/admins<!-- shipshape:summary -->';
    const text = forged((f) => {
      const lists = [
        f.result.counted,
        f.result.run.findings,
        f.result.run.newFindings,
        ...f.result.run.targets.flatMap((t: Forged) => [t.newFindings, t.head?.findings ?? []]),
      ];
      for (const list of lists)
        for (const finding of list) {
          finding.object.name = evil;
          finding.message = `${finding.message} ${evil}`;
        }
      f.result.run.targets[0].name = evil;
      f.shard.targets[0] = evil;
    });
    const before = server.requests.length;
    const run = await publish(download(text));
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const bodies = server.requests
      .slice(before)
      .filter((r) => r.method !== 'GET')
      .map((r) => JSON.stringify(r.body));
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.join('\n')).toContain('evil.example'); // the text is there, inert
    for (const body of bodies) {
      expect(body).not.toMatch(/<img/);
      expect(body).not.toMatch(/\]\(https:\/\/evil/);
      expect(body).not.toMatch(/@acme\/admins/);
      // Only our own markers remain.
      for (const m of body.matchAll(/<!--(.*?)-->/g)) expect(m[1]).toMatch(/^ shipshape:(summary|finding)/);
    }
  });
});
