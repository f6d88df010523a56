// The Action in drift mode end to end: `node dist/index.js` as the runner starts it on a schedule,
// a kubeconfig from the input, two real control planes whose kubeconfigs both call their context
// `default` (as k3s writes them), real helm, and the local GitHub server for the drift issues.
// Needs a fresh `npm run build`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { TestRepo } from '../action/repo.js';
import { type ActionRun, runAction, TOKEN } from '../action/run-action.js';
import { type TestCluster, useCluster } from '../support/cluster.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const east = useCluster();
const west = useCluster();

const VALUES_OK = 'image:\n  repository: registry.example.com/shop/web\n  tag: "2.1.0"\n';
const CHART: Record<string, string> = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': VALUES_OK,
  'charts/web/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ required "image.tag is required" .Values.image.tag }}"
`,
  '.shipshape.yaml': 'targets:\n  - chart: charts/web\n    releaseName: web\n    namespace: shop\n',
};

let server: GitHubServer;
let repo: TestRepo;
let sha: string;
const kubeconfigs = new Map<TestCluster, string>();

/** The cluster's admin kubeconfig with its context renamed `default`, as k3s writes every one. */
async function k3sStyleKubeconfig(c: TestCluster): Promise<string> {
  const view = await c.kubectl(['config', 'view', '--raw', '--minify', '-o', 'json'], { check: true });
  const config = JSON.parse(view.stdout);
  config.contexts[0].name = 'default';
  config['current-context'] = 'default';
  return JSON.stringify(config);
}

async function deploy(c: TestCluster) {
  await c.kubectl(['create', 'namespace', 'shop'], { check: true });
  await c.helm(['install', 'web', path.join(repo.dir, 'charts/web'), '-n', 'shop'], { check: true });
  kubeconfigs.set(c, await k3sStyleKubeconfig(c));
}

function drift(c: TestCluster, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    workspace: repo.dir,
    apiUrl: server.url,
    eventName: 'schedule',
    payload: { schedule: '17 * * * *', repository: { full_name: 'acme/shop' } },
    sha,
    inputs: { kubeconfig: kubeconfigs.get(c)!, ...inputs },
  });
}

function noLeaks(run: ActionRun, c: TestCluster) {
  const key = JSON.parse(kubeconfigs.get(c)!).users[0].user['client-key-data'] as string;
  for (const text of [run.stdout, run.stderr, run.summary, run.reports.json ?? ''])
    for (const secret of [TOKEN, key]) expect(text).not.toContain(secret);
}

const openIssues = () => server.issues.filter((i) => i.state === 'open');

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/index.js')))
    throw new Error('dist/index.js is missing: run `npm run build` first');
  server = await startGitHubServer();
  repo = new TestRepo();
  sha = repo.commit('the shop', CHART);
  await deploy(east());
  await deploy(west());
}, 180_000);

afterAll(async () => {
  await server?.stop();
  repo?.remove();
});

afterEach(() => {
  expect(server.violations).toEqual([]);
});

describe('the drift Action', () => {
  it('two clusters whose contexts are both "default" get an issue each, and a clean one closes neither', async () => {
    const e = east();
    const w = west();
    await e.kubectl(['set', 'env', 'deployment/web', '-n', 'shop', 'DEBUG=true'], { check: true });

    const eastRun = await drift(e);
    expect(eastRun.code, eastRun.stdout).toBe(1);
    expect(eastRun.outputs.drift).toBe('true');
    noLeaks(eastRun, e);
    expect(openIssues()).toHaveLength(1);
    const eastHost = new URL(e.server).host;
    expect(openIssues()[0].title).toBe(`Drift in cluster default (${eastHost})`);
    expect(openIssues()[0].body).toContain('env[name=DEBUG]');
    expect(openIssues()[0].body).toContain('`charts/web/templates/deployment.yaml:14`');

    // The clean cluster, same context name: it closes nothing.
    const westRun = await drift(w);
    expect(westRun.code, westRun.stdout).toBe(0);
    expect(westRun.outputs.drift).toBe('false');
    expect(westRun.stdout).toContain('Drift issue: none');
    expect(openIssues()).toHaveLength(1);

    // Once it drifts too, it gets its own issue.
    await w.kubectl(['scale', 'deployment/web', '-n', 'shop', '--replicas=5'], { check: true });
    const westDrift = await drift(w);
    expect(westDrift.code).toBe(1);
    expect(
      openIssues()
        .map((i) => i.title)
        .sort(),
    ).toEqual(
      [
        `Drift in cluster default (${eastHost})`,
        `Drift in cluster default (${new URL(w.server).host})`,
      ].sort(),
    );
  });

  it('a chart that stops rendering fails the job with drift unknown; the open issue stays open, the error added', async () => {
    const e = east();
    const before = openIssues().find((i) => i.title.includes(new URL(e.server).host))!;
    sha = repo.commit('lose the tag', {
      'charts/web/values.yaml': 'image:\n  repository: registry.example.com/shop/web\n',
    });
    try {
      const run = await drift(e);
      expect(run.code, run.stdout).toBe(1);
      expect(run.outputs.drift).toBe('unknown');
      expect(run.stdout).toMatch(/::error.*image\.tag is required/);
      expect(run.stdout).toContain('Drift issue: kept-open');
      expect(run.stdout).not.toContain('No drift');
      expect(run.summary).toContain('Partial result in default');
      expect(before.state).toBe('open');
      // The drift it reported is still there, with why this run could not tell.
      expect(before.body).toContain('env[name=DEBUG]');
      expect(before.body).toContain('The latest run could not tell');
      expect(before.body).toContain('image.tag is required');
      expect(server.issueComments.filter((c) => c.issue_number === before.number)).toEqual([]);
      noLeaks(run, e);
    } finally {
      sha = repo.commit('the tag is back', { 'charts/web/values.yaml': VALUES_OK });
    }
  });

  it('the cluster clean again, the issue closes', async () => {
    const e = east();
    await e.kubectl(['set', 'env', 'deployment/web', '-n', 'shop', 'DEBUG-'], { check: true });
    const run = await drift(e);
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.drift).toBe('false');
    expect(run.stdout).toContain('Drift issue: closed');
    expect(openIssues()).toHaveLength(1);
  });

  it('a token without issues: write gets the permission named in the log and the job summary', async () => {
    const e = east();
    await e.kubectl(['label', 'deployment/web', '-n', 'shop', 'oncall=night'], { check: true });
    server.readOnly = true;
    try {
      const run = await drift(e);
      expect(run.code).toBe(1);
      expect(run.outputs.drift).toBe('true');
      expect(run.stdout).toContain('Drift issue: failed');
      expect(run.stdout).toMatch(
        /::warning::The drift issue could not be written: GitHub answered 403 .*issues: write/,
      );
      expect(run.summary).toContain('`issues: write`');
      expect(run.summary).toContain('Resource not accessible by integration');
      noLeaks(run, e);
    } finally {
      server.readOnly = false;
    }
  });

  it('the `cluster` input names and keys the issue', async () => {
    const run = await drift(east(), { cluster: 'prod-eu' });
    expect(run.code).toBe(1);
    expect(openIssues().map((i) => i.title)).toContain('Drift in cluster prod-eu');
  });
});
