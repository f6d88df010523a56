import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../unit/cli/io.js';

/**
 * `--shard I/N` on the real tools: the shards of `check` and `render` together are exactly the
 * unsharded run, each target in one shard.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const paths = ['examples/charts', 'examples/kustomize', 'examples/checkout-broken'];

interface Report {
  findings: { ruleId: string; message: string; location: { file: string; line: number; column: number } }[];
}
// What one run reports once: a finding several targets make on one line (a shared base) is one.
const keyOf = (f: Report['findings'][number]) =>
  `${f.ruleId} ${f.location.file}:${f.location.line}:${f.location.column} ${f.message}`;

describe('--shard', () => {
  it('check: three shards find exactly what one run finds', async () => {
    const whole = await cli(['check', ...paths, '--format', 'json'], { cwd: root });
    expect(whole.code).toBe(1);
    const all = (JSON.parse(whole.stdout) as Report).findings.map(keyOf).sort();
    const parts: string[] = [];
    const taken: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const run = await cli(['check', ...paths, '--format', 'json', '--shard', `${i}/3`], { cwd: root });
      expect(run.code, run.stderr).not.toBe(2);
      const m = /shard (\d)\/3: (\d+) of (\d+) targets/.exec(run.stderr);
      expect(m?.[1]).toBe(String(i));
      taken.push(m![2]);
      parts.push(...(JSON.parse(run.stdout) as Report).findings.map(keyOf));
    }
    // Every target in one shard: the counts add up to the whole (charts x envs, overlays, plain).
    const total = Number(
      /of (\d+) targets/.exec((await cli(['check', ...paths, '--shard', '1/1'], { cwd: root })).stderr)![1],
    );
    expect(taken.map(Number).reduce((a, b) => a + b, 0)).toBe(total);
    expect(taken.filter((n) => n !== '0').length).toBeGreaterThan(1);
    expect([...new Set(parts)].sort()).toEqual(all);
  });

  it('render: the shards render each target once', async () => {
    const names = async (args: string[]) =>
      (
        JSON.parse((await cli(['render', ...paths, '--format', 'json', ...args], { cwd: root })).stdout) as {
          targets: { target: string }[];
        }
      ).targets.map((t) => t.target);
    const whole = await names([]);
    const shards = [await names(['--shard', '1/2']), await names(['--shard', '2/2'])];
    expect(shards[0].length).toBeGreaterThan(0);
    expect(shards[1].length).toBeGreaterThan(0);
    expect([...shards[0], ...shards[1]].sort()).toEqual([...whole].sort());
  });

  it('diff and check --base: the shards take the affected targets once each', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shard-diff-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
          cwd: dir,
          encoding: 'utf8',
        });
      git('init', '-q');
      for (const p of paths) cpSync(path.join(root, p), path.join(dir, p), { recursive: true });
      git('add', '.');
      git('commit', '-q', '-m', 'base');
      // One change to the chart's default values (three targets) and one to the overlays' base (two).
      const values = path.join(dir, 'examples/charts/storefront/values.yaml');
      writeFileSync(values, readFileSync(values, 'utf8').replace(/replicaCount: \d+/, 'replicaCount: 1'));
      const base = path.join(dir, 'examples/kustomize/payments/base/deployment.yaml');
      writeFileSync(base, readFileSync(base, 'utf8').replace('replicas: 2', 'replicas: 1'));
      const targets = async (args: string[]) => {
        const run = await cli(['diff', '--base', 'HEAD', '--format', 'json', ...args], { cwd: dir });
        expect(run.code, run.stderr).toBe(0);
        return (JSON.parse(run.stdout) as { targets: { target: string }[] }).targets.map((t) => t.target);
      };
      const whole = await targets([]);
      expect(whole.length).toBeGreaterThanOrEqual(4);
      const parts = [await targets(['--shard', '1/2']), await targets(['--shard', '2/2'])];
      expect(parts.every((p) => p.length > 0)).toBe(true);
      expect(parts.flat().sort()).toEqual([...whole].sort());
      const check = await cli(['check', '--base', 'HEAD', '--shard', '2/2', '--format', 'json'], {
        cwd: dir,
      });
      expect(check.stderr).toMatch(/shard 2\/2: \d+ of \d+ targets/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad shard, stdin and --write-baseline', async () => {
    const bad = await cli(['check', 'examples/charts', '--shard', '4/3'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shard "4\/3": this job's number must be 1 to 3/);
    expect((await cli(['check', '-', '--shard', '1/2'], { cwd: root })).stderr).toMatch(/cannot split stdin/);
    expect(
      (await cli(['check', '.', '--shard', '1/2', '--write-baseline', 'b.yaml'], { cwd: root })).stderr,
    ).toMatch(/run it without --shard/);
  });
});
