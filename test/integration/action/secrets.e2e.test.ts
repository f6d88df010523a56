import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { canaries, canaryFiles, leaksIn } from '../support/canaries.js';
import { TestRepo } from './repo.js';
import { type ActionRun, pullRequestEvent, runAction } from './run-action.js';

/**
 * The Action (`node dist/index.js`, as the runner starts it) on a pull request that changes a
 * canary in every place a secret can sit, against the local GitHub server: no canary (nor its
 * base64) appears in any request body, in the logs, the job summary, the outputs or the JSON
 * and SARIF reports. The runner is told every secret to mask (`::add-mask::`) and that is the
 * only place one appears. Needs a fresh `npm run build`.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const base = canaries('base');
const head = canaries('head');
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

const ADD_MASK = '::add-mask::';

/** Everything a run let out, but the runner's own add-mask commands. */
function everything(run: ActionRun, server: GitHubServer): string {
  const logs = (run.stdout + run.stderr)
    .split('\n')
    .filter((l) => !l.startsWith(ADD_MASK))
    .join('\n');
  return [
    logs,
    run.summary,
    JSON.stringify(run.outputs),
    run.reports.json ?? '',
    run.reports.sarif ?? '',
    JSON.stringify(server.requests),
    JSON.stringify(server.issueComments),
    JSON.stringify(server.reviewComments),
    JSON.stringify(server.checkRuns),
  ].join('\n');
}

describe('the pull-request Action and secrets', () => {
  it('lets no secret out, in any comment, annotation, log, summary or report', async () => {
    const baseSha = repo.commit('base', canaryFiles(base));
    repo.git('checkout', '-q', '-b', 'feature');
    const headFiles = canaryFiles(head);
    // A new finding too, so that a review comment and an annotation are posted.
    headFiles['plain/app.yaml'] = headFiles['plain/app.yaml'].replace(
      'image: example/api:1.0',
      'image: example/api:latest',
    );
    const headSha = repo.commit('head', headFiles);
    server.addPull({
      number: 9,
      head: { sha: headSha, ref: 'feature' },
      base: { sha: baseSha, ref: 'main' },
      files: repo.pullFiles(baseSha, headSha),
    });

    const run = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 9, baseSha, headSha }),
      sha: headSha,
      inputs: { sarif: 'shipshape.sarif' },
    });

    // It ran and published: a summary comment with the rendered diff, a review, a check run.
    const summary = server.issueComments.filter((c) => c.issue_number === 9);
    expect(summary, run.stdout + run.stderr).toHaveLength(1);
    expect(summary[0].body).toContain('Rendered diff');
    expect(summary[0].body).toMatch(/<secret: \d+ bytes>/);
    expect(server.checkRuns.filter((r) => r.head_sha === headSha)).toHaveLength(1);
    expect(server.reviewComments.length).toBeGreaterThan(0);
    expect(run.summary).toContain('shipshape');
    expect(run.reports.sarif).toBeDefined();

    expect(leaksIn(everything(run, server), base, head)).toEqual([]);

    // The runner was told to mask each of them (the values it saw at the head, at least).
    const masks = new Set(
      run.stdout
        .split('\n')
        .filter((l) => l.startsWith(ADD_MASK))
        .map((l) => l.slice(ADD_MASK.length)),
    );
    for (const name of ['helmRequired', 'helmFail', 'kustomizeMalformed', 'mysqlPwd', 'lastApplied'] as const)
      expect(masks, name).toContain(head[name]);
  });
});
