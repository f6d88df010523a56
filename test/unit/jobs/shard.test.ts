import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_COST_BYTES, partitionDigest, selectShard, sizeTargets } from '../../../src/jobs/shard.js';
import type { Target } from '../../../src/render/types.js';

let dir: string;
const write = async (file: string, bytes: number) => {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), 'x'.repeat(bytes));
};
const helm = (chart: string, valuesFiles: string[] = []): Target => ({
  kind: 'helm',
  chart,
  releaseName: 'r',
  namespace: 'default',
  valuesFiles,
  set: {},
  apiVersions: [],
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shard-'));
  await write('charts/web/Chart.yaml', 100);
  await write('charts/web/values.yaml', 200);
  await write('charts/web/values-prod.yaml', 50);
  await write('charts/web/charts/sub/Chart.yaml', 30); // vendored: counted once, with its parent
  await write('charts/big/Chart.yaml', 10);
  await write('charts/big/templates/a.yaml', 5000);
  await mkdir(path.join(dir, 'deploy/base'), { recursive: true });
  await writeFile(path.join(dir, 'deploy/base/kustomization.yaml'), 'resources: [app.yaml]\n');
  await write('deploy/base/app.yaml', 400);
  await mkdir(path.join(dir, 'deploy/prod'), { recursive: true });
  await writeFile(path.join(dir, 'deploy/prod/kustomization.yaml'), 'resources: [../base]\n');
  await write('plain/a.yaml', 70);
  // A link to a file outside: not followed, so neither counted nor read.
  await symlink('/etc/passwd', path.join(dir, 'charts/web/templates-link'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('sizeTargets', () => {
  it('counts the bytes of each target’s inputs, plus a process for the rendered ones', async () => {
    const sized = await sizeTargets(dir, [
      helm('charts/web'),
      helm('charts/web', ['charts/web/values-prod.yaml']),
      helm('charts/big'),
      { kind: 'kustomize', dir: 'deploy/prod' },
      { kind: 'plain', paths: ['plain/a.yaml'] },
    ]);
    const base = 'resources: [app.yaml]\n'.length + 400;
    const prod = 'resources: [../base]\n'.length;
    expect(sized.map((s) => [s.id, s.size])).toEqual([
      ['charts/web', 380 + PROCESS_COST_BYTES],
      // The values file sits in the chart folder: counted once.
      ['charts/web (values-prod.yaml)', 380 + PROCESS_COST_BYTES],
      ['charts/big', 5010 + PROCESS_COST_BYTES],
      ['deploy/prod', prod + base + PROCESS_COST_BYTES],
      // Discovery's loose manifests go by one fixed id, whatever files they hold.
      ['plain manifests', 70],
    ]);
  });

  it('gives the same split from a copy of the same files (another machine)', async () => {
    const targets = [
      helm('charts/web'),
      helm('charts/big'),
      { kind: 'kustomize', dir: 'deploy/prod' } as Target,
    ];
    const a = await selectShard(dir, targets, { index: 1, count: 2 });
    const b = await selectShard(dir, [...targets].reverse(), { index: 1, count: 2 });
    expect(b.info.targets.sort()).toEqual(a.info.targets.sort());
    expect(b.info.partition).toBe(a.info.partition);
    const other = await selectShard(dir, targets, { index: 2, count: 2 });
    expect([...a.info.targets, ...other.info.targets].sort()).toEqual(
      ['charts/big', 'charts/web', 'deploy/prod'].sort(),
    );
    expect(a.info.total).toBe(3);
    // Positions in the unsharded order, for merging shards back in that order.
    expect([...a.info.positions, ...other.info.positions].sort()).toEqual([0, 1, 2]);
    expect(
      a.info.targets.map((id) =>
        targets.findIndex((t) => (t.kind === 'kustomize' ? t.dir : (t as { chart: string }).chart) === id),
      ),
    ).toEqual(a.info.positions);
    // The biggest (charts/big) has a shard to itself.
    expect([a.info.targets, other.info.targets]).toContainEqual(['charts/big']);
  });
});

describe('partitionDigest', () => {
  it('names the set of targets, not their order', () => {
    expect(partitionDigest(['b', 'a'])).toBe(partitionDigest(['a', 'b', 'a']));
    expect(partitionDigest(['a', 'b'])).not.toBe(partitionDigest(['a', 'b', 'c']));
  });
});
