import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { BASE_FILES, TestRepo } from './repo.js';
import { pullRequestEvent, runAction, TOKEN } from './run-action.js';

/**
 * A pull request written by an attacker, run the way the runner runs the Action (`node
 * dist/index.js`) against the local GitHub server: its config names its own script as helm and
 * turns the gate off; its chart links out of the repository and into `.git/config` (where
 * actions/checkout keeps the token); its overlay points at a "remote" base on a loopback port.
 * Nothing it brings runs, nothing outside the repository or in .git reaches any output or any
 * request, no connection is made, and the gate stays the base branch's.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const OUTSIDE_CANARY = 'CANARY-runner-file-5d1e';
const GIT_CANARY = 'CANARY-checkout-token-a83f';

let server: GitHubServer;
let repo: TestRepo;
let outside: string;
let marker: string;
let listener: Server;
let connections = 0;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/index.js')))
    throw new Error('dist/index.js is missing: run `npm run build` first');
  server = await startGitHubServer();
  repo = new TestRepo();
  outside = mkdtempSync(path.join(os.tmpdir(), 'shipshape-runner-files-'));
  marker = path.join(outside, 'pwned');
  writeFileSync(
    path.join(outside, 'kubeconfig.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\ndata: {token: ${OUTSIDE_CANARY}}\n`,
  );
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await server.stop();
  await new Promise((r) => listener.close(r));
  repo.remove();
  rmSync(outside, { recursive: true, force: true });
});

describe('a hostile pull request', () => {
  it('runs nothing of its own, reads nothing outside the repository, and cannot open its own gate', async () => {
    const port = (listener.address() as { port: number }).port;
    const base = repo.commit('base', {
      ...BASE_FILES,
      '.shipshape.yaml': 'failOn: error\n',
    });
    // actions/checkout leaves the token in .git/config.
    repo.git('config', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${GIT_CANARY}`);
    repo.git('checkout', '-q', '-b', 'feature');
    const script = `#!/bin/sh\ntouch ${marker}\nenv > ${marker}\necho 'apiVersion: v1'\n`;
    repo.write({
      'pwn.sh': script,
      '.shipshape.yaml': [
        'render:',
        '  helm: ./pwn.sh',
        '  kustomize: ./pwn.sh',
        'rules:',
        '  security-privileged: off',
        'targets:',
        '  - chart: charts/web',
        '    values: [/etc/passwd]',
        'baseline: /tmp/anything.json',
        '',
      ].join('\n'),
      // Made worse: the gate must still see this.
      'plain/worker.yaml': BASE_FILES['plain/worker.yaml'].replace(
        '          image: ghcr.io/acme/worker:3.1.0\n',
        '          image: ghcr.io/acme/worker:3.1.0\n          securityContext:\n            privileged: true\n',
      ),
      'charts/web/templates/stolen.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: stolen',
        'data:',
        '  runner: {{ .Files.Get "runner.txt" | quote }}',
        '  git: {{ .Files.Get "git.txt" | quote }}',
        '',
      ].join('\n'),
      'kustomize/overlays/prod/kustomization.yaml': [
        'namespace: prod',
        'resources:',
        '  - ../../base',
        `  - HTTP://127.0.0.1:${port}/base.yaml`,
        'patches:',
        '  - path: resources.yaml',
        '',
      ].join('\n'),
    });
    writeFileSync(path.join(repo.dir, 'pwn.sh'), script, { mode: 0o755 });
    mkdirSync(path.join(repo.dir, 'charts/web'), { recursive: true });
    symlinkSync(path.join(outside, 'kubeconfig.yaml'), path.join(repo.dir, 'charts/web/runner.txt'));
    symlinkSync('../../.git/config', path.join(repo.dir, 'charts/web/git.txt'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'innocent change');
    const head = repo.head();
    server.addPull({
      number: 9,
      head: { sha: head, ref: 'feature' },
      base: { sha: base, ref: 'main' },
      files: repo.pullFiles(base, head),
    });

    const run = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 9, baseSha: base, headSha: head }),
      sha: head,
    });

    // The pull request's program never ran, and nothing reached the loopback "remote".
    expect(existsSync(marker)).toBe(false);
    expect(connections).toBe(0);

    // No canary in any output, report, or request GitHub received.
    const outputs = [
      run.stdout,
      run.stderr,
      run.summary,
      run.reports.json ?? '',
      run.reports.sarif ?? '',
      JSON.stringify(server.requests.map((r) => r.body ?? null)),
      JSON.stringify(run.outputs),
    ].join('\n');
    for (const canary of [OUTSIDE_CANARY, GIT_CANARY, TOKEN]) expect(outputs).not.toContain(canary);

    // The gate is the base branch's: the privileged container still fails the check.
    expect(run.code).toBe(1);
    const checks = server.checkRuns.filter((r) => r.head_sha === head);
    expect(checks.map((c) => c.conclusion)).toEqual(['failure']);
    const report = JSON.parse(run.reports.json ?? '{}') as {
      findings: { ruleId: string; location: { file: string } }[];
      errors: { message: string; location?: { file: string; line: number } }[];
    };
    expect(report.findings.some((f) => f.ruleId === 'security-privileged')).toBe(true);

    // Each refusal names what it refused, where it stands.
    const errors = report.errors.map(
      (e) => `${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.message}`,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^charts\/web\/Chart\.yaml:1 charts\/web\/git\.txt resolves into the repository's \.git folder; refused/,
        ),
        expect.stringMatching(
          /^charts\/web\/Chart\.yaml:1 charts\/web\/runner\.txt resolves to a path outside the repository; refused/,
        ),
        expect.stringMatching(
          /^kustomize\/overlays\/prod\/kustomization\.yaml:4 resources\[1\]: remote reference HTTP:\/\/127\.0\.0\.1:\d+\/base\.yaml cannot be built here \(no network\)/,
        ),
      ]),
    );

    // The pull request is told its config change waits for the merge.
    const summary = server.issueComments
      .filter((c) => c.issue_number === 9)
      .map((c) => c.body)
      .join('\n');
    expect(summary).toContain(
      'This pull request changes `.shipshape.yaml`: the change takes effect after merge',
    );
  });
});
