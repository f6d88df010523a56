import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli.js';
import { runAgainstBase } from '../../../src/cli/commands/base.js';
import type { CliIo } from '../../../src/cli/io.js';

/** `shipshape diff` against a real git repository made here, with the real helm and kustomize. */

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const abs = path.join(repo, file);
  const text = await readFile(abs, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  await writeFile(abs, text.replace(from, to));
}

function fakeIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdoutIsTTY: false,
    env: {},
    cwd,
    writeFile: async () => undefined,
    out: () => out,
    err: () => err,
  };
}

beforeAll(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'shipshape-diff-'));
  git('init', '-q', '-b', 'main');
  for (const chart of ['webapp', 'secrets', 'broken', 'localdep', 'common']) {
    await cp(path.join(fixtures, 'charts', chart), path.join(repo, 'charts', chart), { recursive: true });
  }
  await cp(path.join(fixtures, 'kustomize/shop'), path.join(repo, 'deploy'), { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'base');
  // The change: more replicas in prod, a new database password, a new image tag in the prod
  // overlay, and a fix for the broken chart (so its base fails to render but its head does not).
  await edit('charts/webapp/values-prod.yaml', 'replicaCount: 3', 'replicaCount: 4');
  await edit('charts/secrets/values.yaml', 's3cr3t-from-values', 'an0ther-longer-s3cr3t');
  await edit('deploy/overlays/prod/kustomization.yaml', 'newTag: 1.8.1-dirty', 'newTag: 1.8.2');
  await edit('charts/broken/templates/configmap.yaml', '.Values.confg.retries', '.Values.config.level');
  // A local (file://) dependency changes: the chart that uses it changes too.
  await edit('charts/common/values.yaml', 'port: 9000', 'port: 9100');
  git('add', '-A');
  git('commit', '-qm', 'head');
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('shipshape diff', () => {
  it('diffs each affected target per object, never showing a secret, marking random output', async () => {
    const io = fakeIo(repo);
    const code = await runCli(['diff', '--base', 'HEAD~1', '--head', 'HEAD'], io);
    const out = io.out();
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    // webapp: only the prod values changed, so only that target shows a change.
    expect(out).toContain('=== charts/webapp (values-prod.yaml) (1 changed');
    expect(out).toContain('~ Deployment/webapp-webapp (changed)');
    expect(out).toMatch(/- {2}replicas: 3\n\s+\+ {2}replicas: 4/);
    expect(out).not.toContain('charts/webapp (values-dev.yaml)');
    // Secrets: sizes, never the value; the generated CA and the timestamp are not changes.
    expect(out).not.toContain('s3cr3t');
    expect(out).toContain('password: "<secret: 18 bytes>"');
    expect(out).toContain('password: "<secret: 21 bytes> (changed)"');
    expect(out).toContain('non-deterministic (differs between renders, not a change): stringData.sessionKey');
    expect(out).not.toContain('Secret/secrets-ca');
    expect(out).not.toContain('ConfigMap/secrets-meta');
    // Kustomize: the overlay's image changed.
    expect(out).toContain('=== deploy/overlays/prod');
    expect(out).toContain('+          image: registry.example.com/shop/checkout:1.8.2');
    // The chart on the changed local dependency shows the change in its own objects.
    expect(out).toContain('=== charts/localdep (1 changed');
    expect(out).toMatch(/- {2}port: "9000"\n\s+\+ {2}port: "9100"/);
    // A base that failed to render is a status, not a crash.
    expect(out).toContain('=== charts/broken (base did not render');
    expect(out).toMatch(/! base: charts\/broken\/templates\/configmap.yaml:8:21: helm: template:/);
  });

  it('removes its temporary worktrees', () => {
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('uses the working tree as the head when --head is not given', async () => {
    await edit('deploy/base/deployment.yaml', 'cpu: 100m', 'cpu: 250m');
    try {
      const result = await runAgainstBase({
        cwd: repo,
        base: 'HEAD',
        paths: ['deploy'],
      });
      expect(result.diffs.map((t) => t.target)).toEqual(['deploy/overlays/prod', 'deploy/overlays/staging']);
      for (const t of result.diffs) {
        expect(t.objects.map((o) => `${o.change} ${o.key.split('/')[0]}`)).toEqual(['changed Deployment']);
        expect(t.objects[0].diff).toContain('+              cpu: 250m');
      }
    } finally {
      git('checkout', '-q', '--', 'deploy/base/deployment.yaml');
    }
  });

  it('from a subfolder, takes a new file not yet committed as part of the change', async () => {
    const qa = path.join(repo, 'charts/webapp/values-qa.yaml');
    await writeFile(qa, 'replicaCount: 2\n');
    try {
      const result = await runAgainstBase({ cwd: path.join(repo, 'charts'), base: 'HEAD', paths: [] });
      expect(result.result.changedFiles).toEqual(['charts/webapp/values-qa.yaml']);
      // Names as seen from the subfolder; only the new environment's target, and it is new.
      expect(result.diffs.map((t) => [t.target, t.status])).toEqual([['webapp (values-qa.yaml)', 'added']]);
      expect(result.diffs[0].objects.length).toBeGreaterThan(0);
      expect(result.diffs[0].objects.every((o) => o.change === 'added')).toBe(true);
    } finally {
      await rm(qa, { force: true });
    }
  });

  it('says which ref is unknown', async () => {
    const io = fakeIo(repo);
    expect(await runCli(['diff', '--base', 'no-such-ref'], io)).toBe(2);
    expect(io.err()).toContain('unknown git ref "no-such-ref"');
    const check = fakeIo(repo);
    expect(await runCli(['check', '--base', 'no-such-ref'], check)).toBe(2);
    expect(check.err()).toContain('unknown git ref "no-such-ref"');
    expect(await runCli(['check', '--head', 'HEAD', 'charts'], fakeIo(repo))).toBe(2);
  });

  it('says when the folder is not in a git repository', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'shipshape-nogit-'));
    try {
      const io = fakeIo(outside);
      expect(await runCli(['check', '--base', 'main'], io)).toBe(2);
      expect(io.err()).toMatch(/not a git repository/i);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('shipshape diff --base on a branch', () => {
  it('diffs from the merge base: what main changed since the branch point is not the branch’s change', async () => {
    const head = git('rev-parse', 'HEAD').trim();
    git('checkout', '-q', '-b', 'topic', head);
    await edit('charts/webapp/values-prod.yaml', 'replicaCount: 4', 'replicaCount: 5');
    git('commit', '-qam', 'topic: five replicas');
    // Main moves on after the branch point, in another target.
    git('checkout', '-q', 'main');
    await edit('deploy/overlays/prod/kustomization.yaml', 'newTag: 1.8.2', 'newTag: 1.9.0');
    git('commit', '-qam', 'main: a new tag');
    git('checkout', '-q', 'topic');
    try {
      const result = await runAgainstBase({
        cwd: repo,
        base: 'main',
        paths: [],
      });
      expect(result.result.changedFiles).toEqual(['charts/webapp/values-prod.yaml']);
      const changedTargets = result.diffs.filter((t) => t.objects.length > 0).map((t) => t.target);
      expect(changedTargets).toEqual(['charts/webapp (values-prod.yaml)']);
    } finally {
      git('checkout', '-q', 'main');
    }
  });
});
