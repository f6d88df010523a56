import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { TestRepo } from './repo.js';
import { pullRequestEvent, runAction } from './run-action.js';

/**
 * The most common way a pull request makes a workload worse is by deleting lines: a probe, the
 * limits, the securityContext, a PodDisruptionBudget. Each finding then sits on a parent line the
 * diff does not show; the comment goes on the deleted lines instead (the LEFT side), saying what
 * was removed. Run as the runner runs the Action, against the local GitHub server.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
let server: GitHubServer;
let repo: TestRepo;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /ready, port: http}
          livenessProbe:
            httpGet: {path: /healthz, port: http}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits:
              memory: 128Mi
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
`;

function cut(text: string, from: string, lines: number): string {
  const all = text.split('\n');
  const at = all.findIndex((l) => l.includes(from));
  all.splice(at, lines);
  return all.join('\n');
}

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

describe('regressions made by deleting lines', () => {
  it('are commented on the deleted lines, saying what was removed', async () => {
    const base = repo.commit('base', { 'deploy/web.yaml': WEB, 'deploy/pdb.yaml': PDB });
    repo.git('checkout', '-q', '-b', 'slim');
    let slim = cut(WEB, 'readinessProbe:', 2);
    slim = cut(slim, '            limits:', 2);
    slim = cut(slim, '          securityContext:', 5);
    const head = repo.commit('slim down', {
      'deploy/web.yaml': `${slim}---\n${SERVICE}`,
      'deploy/pdb.yaml': null,
    });
    server.addPull({
      number: 31,
      head: { sha: head, ref: 'slim' },
      base: { sha: base, ref: 'main' },
      files: repo.pullFiles(base, head),
    });
    const run = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 31, baseSha: base, headSha: head }),
      sha: head,
      inputs: { 'fail-on': 'warning' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);

    const baseLines = WEB.split('\n');
    const lineOf = (text: string) => baseLines.findIndex((l) => l.includes(text)) + 1;
    const left = server
      .threads(31)
      .filter((c) => c.side === 'LEFT')
      .map((c) => ({ line: c.line, rule: /`([a-z]+-[a-z-]+)`/.exec(c.body)?.[1], body: c.body }));
    // Each deleted field gets its comment on the line that held it at the base, and nothing else
    // is commented on the left.
    expect(left.map((c) => [c.rule, c.line]).sort()).toEqual(
      [
        ['probes-readiness-missing', lineOf('readinessProbe:')],
        ['resources-limits-missing', lineOf('limits:')],
        ['security-run-as-root', lineOf('runAsNonRoot:')],
      ].sort(),
    );
    // The deleted securityContext is one edit and one comment, on the first line it held, naming
    // every setting that went with it.
    const context = left.find((c) => c.rule === 'security-run-as-root')?.body ?? '';
    for (const id of [
      'security-privilege-escalation',
      'security-root-filesystem-writable',
      'security-capabilities-not-dropped',
    ])
      expect(context).toContain(id);
    // On the right only what the head itself made new: the Service it adds makes a preStop hook
    // matter, on the container's own line.
    const headLines = `${slim}---\n${SERVICE}`.split('\n');
    const right = server.threads(31).filter((c) => c.side !== 'LEFT');
    expect(right.map((c) => [/`([a-z]+-[a-z-]+)`/.exec(c.body)?.[1], headLines[(c.line ?? 0) - 1]])).toEqual([
      ['lifecycle-prestop-missing', '        - name: web'],
    ]);
    for (const c of left) expect(c.body).toContain('Removed by this pull request');
    for (const c of server.threads(31)) expect(c.path).toBe('deploy/web.yaml');

    // The deleted PodDisruptionBudget: its finding is about the Deployment, and the summary says
    // plainly that the object was removed.
    const summary = server.issueComments
      .filter((c) => c.issue_number === 31)
      .map((c) => c.body)
      .join('\n');
    expect(summary).toContain('replicas-pdb-missing');
    expect(summary).toMatch(/PodDisruptionBudget\/shop\/web/);
    expect(summary).toContain('➖ PodDisruptionBudget/shop/web'); // in the rendered diff, as removed
  });
});
