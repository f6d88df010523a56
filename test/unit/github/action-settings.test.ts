import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readContext } from '../../../src/action/context.js';
import {
  instanceKey,
  readSettings,
  resolveJob,
  SettingsError,
  splitList,
} from '../../../src/action/settings.js';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('readSettings', () => {
  it('reads shard, publish and results, and refuses what would publish part of a run', () => {
    expect(readSettings(reader({}))).toMatchObject({ publish: true, results: ['shipshape-results'] });
    expect(readSettings(reader({}))).not.toHaveProperty('shard', expect.anything());
    expect(readSettings(reader({ shard: '2/4', publish: 'false' }))).toMatchObject({
      shard: { index: 2, count: 4 },
      publish: false,
    });
    expect(readSettings(reader({ mode: 'publish', results: 'a\nb' }))).toMatchObject({
      mode: 'publish',
      results: ['a', 'b'],
    });
    expect(() => readSettings(reader({ shard: '2/4' }))).toThrow(/shard 2\/4 needs publish: false/);
    expect(() => readSettings(reader({ shard: '5/4', publish: 'false' }))).toThrow(
      /input shard "5\/4": this job's number must be 1 to 4/,
    );
    expect(() => readSettings(reader({ mode: 'publish', shard: '1/2' }))).toThrow(/takes neither shard/);
    expect(() => readSettings(reader({ mode: 'publish', results: '../elsewhere' }))).toThrow(
      /must stay inside the workspace/,
    );
  });

  it('applies the defaults action.yml documents', () => {
    const s = readSettings(reader({ 'github-token': 't' }));
    expect(s).toMatchObject({
      token: 't',
      mode: 'auto',
      paths: ['.'],
      failOn: 'error',
      comment: true,
      review: true,
      maxInlineComments: 25,
      drift: { failOnDrift: true, issue: true },
    });
    expect(s.sarif).toBeUndefined();
  });

  it('reads lists, booleans and numbers the way workflow authors write them', () => {
    const s = readSettings(
      reader({
        paths: 'charts\n deploy/overlays , plain # the rest\n',
        comment: 'False',
        review: 'no',
        'max-inline-comments': '5',
        'fail-on': 'warning',
      }),
    );
    expect(s).toMatchObject({
      paths: ['charts', 'deploy/overlays', 'plain'],
      comment: false,
      review: false,
      maxInlineComments: 5,
      failOn: 'warning',
    });
  });

  it('reads the Kubernetes version charts see, and refuses one that is not a version', () => {
    expect(readSettings(reader({ 'kube-version': ' 1.33.0 ' })).kubeVersion).toBe('1.33.0');
    expect(readSettings(reader({})).kubeVersion).toBeUndefined();
    expect(() => readSettings(reader({ 'kube-version': 'latest' }))).toThrow(/input kube-version: "latest"/);
  });

  it('names every bad input at once', () => {
    const read = reader({
      mode: 'sometimes',
      'fail-on': 'critical',
      review: 'maybe',
      'max-inline-comments': '-1',
      paths: '../outside',
    });
    expect(() => readSettings(read)).toThrow(SettingsError);
    try {
      readSettings(read);
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ['mode', 'fail-on', 'review', 'max-inline-comments', '../outside'])
        expect(message).toContain(name);
    }
  });

  it('keeps the kubeconfig exactly as given', () => {
    const kubeconfig = 'apiVersion: v1\nclusters: []\n';
    expect(readSettings(reader({ kubeconfig })).drift.kubeconfig).toBe(kubeconfig);
  });
});

describe('splitList', () => {
  it('ignores blank lines and comments', () => {
    expect(splitList('\n# nothing\n a ,b\n\n')).toEqual(['a', 'b']);
  });
});

describe('resolveJob', () => {
  it('maps events to jobs in auto mode', () => {
    expect(resolveJob('auto', 'pull_request', false)).toBe('pull-request');
    expect(resolveJob('auto', 'push', true)).toBe('check');
    expect(resolveJob('auto', 'schedule', true)).toBe('drift');
    expect(resolveJob('auto', 'schedule', false)).toBe('check');
    expect(resolveJob('auto', 'workflow_dispatch', true)).toBe('drift');
    expect(resolveJob('check', 'pull_request', false)).toBe('check');
  });
});

describe('readContext', () => {
  const payload = (headRepo: string | null) => ({
    pull_request: {
      number: 3,
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/shop' } },
      head: { sha: 'h'.repeat(40), ref: 'f', repo: headRepo === null ? null : { full_name: headRepo } },
    },
  });
  const envWith = (body: unknown) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ctx-'));
    const file = path.join(dir, 'event.json');
    writeFileSync(file, JSON.stringify(body));
    return {
      GITHUB_EVENT_PATH: file,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_WORKSPACE: dir,
    };
  };

  it('reads the pull request and tells a fork from a branch', () => {
    expect(readContext(envWith(payload('acme/shop'))).pullRequest).toMatchObject({
      number: 3,
      fromFork: false,
    });
    expect(readContext(envWith(payload('someone/shop'))).pullRequest?.fromFork).toBe(true);
    expect(readContext(envWith(payload(null))).pullRequest?.fromFork).toBe(true); // deleted fork
  });

  it('has no pull request on a push', () => {
    const ctx = readContext(envWith({ ref: 'refs/heads/main' }));
    expect(ctx.pullRequest).toBeUndefined();
    expect(ctx.repo).toEqual({ owner: 'acme', repo: 'shop' });
  });
});

describe('instanceKey', () => {
  it('is default for the whole repository and stable for the same folders', () => {
    expect(instanceKey(['.'])).toBe('default');
    expect(instanceKey(['./'])).toBe('default');
    expect(instanceKey(['charts', 'deploy/'])).toBe(instanceKey(['deploy', 'charts']));
    expect(instanceKey(['charts'])).not.toBe(instanceKey(['deploy']));
  });
});
