import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, type RequestRecord, startGitHubServer } from '../../github-server/server.js';
import { BASE_FILES, HEAD_CHANGES, TestRepo } from './repo.js';
import { type ActionRun, pullRequestEvent, runAction } from './run-action.js';

/**
 * A pull request reviewed both ways (examples/workflows/monorepo.yml): one job, and three
 * `publish: false` shards plus one `mode: publish` job that has no checkout. Each way has its own
 * local GitHub server; the requests that change GitHub state must be the same, body for body
 * (comments, their lines, the check run's conclusion and annotations), and so must the job
 * summary, the outputs and the SARIF report.
 */

const PR = 7;
let one: GitHubServer;
let split: GitHubServer;
let repo: TestRepo;
let base: string;
let head: string;
const temps: string[] = [];

beforeAll(async () => {
  [one, split] = await Promise.all([startGitHubServer(), startGitHubServer()]);
  repo = new TestRepo();
  base = repo.commit('base', BASE_FILES);
  repo.git('checkout', '-q', '-b', 'feature');
  head = repo.commit('break three things', HEAD_CHANGES);
  for (const server of [one, split])
    server.addPull({
      number: PR,
      head: { sha: head, ref: 'feature' },
      base: { sha: base, ref: 'main' },
      files: repo.pullFiles(base, head),
    });
});
afterAll(async () => {
  await Promise.all([one.stop(), split.stop()]);
  repo.remove();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
afterEach(() => {
  expect(one.violations).toEqual([]);
  expect(split.violations).toEqual([]);
});

const event = () => pullRequestEvent({ number: PR, baseSha: base, headSha: head });
/** Requests that change GitHub's state; a check run's timestamps are the only thing that may differ. */
const writes = (server: GitHubServer): Omit<RequestRecord, 'status'>[] =>
  server.requests
    .filter((r) => r.method !== 'GET')
    .map(({ method, path, body }) => ({ method, path, body: withoutTimes(body) }));
function withoutTimes(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { started_at: _s, completed_at: _c, ...rest } = body as Record<string, unknown>;
  return rest;
}

function job(server: GitHubServer, workspace: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({
    workspace,
    apiUrl: server.url,
    eventName: 'pull_request',
    payload: event(),
    sha: head,
    inputs: { sarif: 'shipshape.sarif', ...inputs },
  });
}

/** The publish job's workspace: what download-artifact left, one folder per artifact. */
function downloads(files: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shipshape-publish-'));
  temps.push(dir);
  files.forEach((text, i) => {
    const name = JSON.parse(text).shard;
    const folder = path.join(dir, 'shipshape-results', `shipshape-result-${i + 1}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `shipshape-result-${name.index}-of-${name.count}.json`), text);
  });
  return dir;
}

describe('one job, or three shards and a publish job', () => {
  let single: ActionRun;
  const results: string[] = [];

  it('the single job reviews the pull request', async () => {
    repo.checkout(head);
    single = await job(one, repo.dir, {});
    expect(single.code, single.stdout + single.stderr).toBe(1);
    expect(one.threads(PR)).toHaveLength(3);
  });

  it('three shards split the three affected targets and write nothing to GitHub', async () => {
    repo.checkout(head);
    const taken: string[][] = [];
    for (let i = 1; i <= 3; i++) {
      const run = await job(split, repo.dir, { shard: `${i}/3`, publish: 'false' });
      // A shard fails on its own part's findings, like the job it is part of.
      expect([0, 1], run.stdout + run.stderr).toContain(run.code);
      expect(run.outputs['result-file']).toMatch(new RegExp(`shipshape-result-${i}-of-3\\.json$`));
      const file = JSON.parse(run.reports.result!);
      expect(file.shard).toMatchObject({ index: i, count: 3, total: 3 });
      taken.push(file.shard.targets);
      results.push(run.reports.result!);
    }
    expect(taken.flat().sort()).toEqual(['charts/web', 'kustomize/overlays/prod', 'plain manifests']);
    expect(taken.every((t) => t.length === 1)).toBe(true);
    expect(writes(split)).toEqual([]);
  });

  it('a shard missing, the publish job refuses and posts nothing', async () => {
    const run = await job(split, downloads([results[0], results[2]]), { mode: 'publish' });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('the result of shard 2/3 is missing');
    expect(writes(split)).toEqual([]);
  });

  it('the publish job, with no checkout, makes exactly the single job’s requests', async () => {
    const run = await job(split, downloads([...results].reverse()), { mode: 'publish' });
    expect(run.code, run.stdout + run.stderr).toBe(single.code);
    expect(writes(split)).toEqual(writes(one));
    // Spelled out, for the failure message: three inline comments on the same lines, one
    // summary comment, one failing check run on the head with the same annotations.
    expect(split.threads(PR).map((c) => [c.path, c.line, c.side, c.body])).toEqual(
      one.threads(PR).map((c) => [c.path, c.line, c.side, c.body]),
    );
    expect(split.checkRuns.map((r) => [r.name, r.head_sha, r.conclusion, r.annotations])).toEqual(
      one.checkRuns.map((r) => [r.name, r.head_sha, r.conclusion, r.annotations]),
    );
    expect(run.summary).toBe(single.summary);
    expect(run.reports.sarif).toBe(single.reports.sarif);
    for (const name of ['errors', 'warnings', 'notices', 'rendered-changed'])
      expect(run.outputs[name], name).toBe(single.outputs[name]);
  });
});
