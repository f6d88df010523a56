import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { TestRepo } from './repo.js';
import { runAction } from './run-action.js';

/**
 * A Deployment with 32,000 containers (128,006 findings: four per container), checked by the bundled
 * Action the way the runner starts it. The check job once stopped at about 120,000 findings with
 * "Maximum call stack size exceeded" (`push(...findings)`) and no result at all. (At 160,000 the
 * result file is written, in pieces, but is more text than this test can read back as one string.)
 */

let server: GitHubServer;
let repo: TestRepo;

function containers(n: number): string {
  const lines = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: big}', 'spec:', '  template:'];
  lines.push('    spec:', '      containers:');
  for (let i = 0; i < n; i++) lines.push(`        - name: c${i}`, `          image: nginx:1.${i}`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  server = await startGitHubServer();
  repo = new TestRepo();
  repo.commit('big', { 'deploy/big.yaml': containers(32_000) });
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});

describe('the check mode on a very large object', () => {
  it('reports every finding in its result file', async () => {
    const sha = repo.head();
    const run = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'push',
      payload: { ref: 'refs/heads/main', after: sha, repository: { full_name: 'acme/shop' } },
      sha,
      inputs: { publish: 'false' },
    });
    expect(run.stdout).not.toMatch(/Maximum call stack|shipshape failed/);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.reports.result ?? readFileSync(run.outputs['result-file'], 'utf8'));
    expect(result.result.run.findings.length).toBe(128_006);
  }, 120_000);
});
