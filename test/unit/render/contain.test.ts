import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Containment, isRemoteReference, repositoryRoot } from '../../../src/render/contain.js';

/** A repository with links of every kind, beside a folder outside it. */
let top: string;
let repo: string;
let outside: string;

beforeAll(() => {
  top = mkdtempSync(path.join(os.tmpdir(), 'shipshape-contain-'));
  repo = path.join(top, 'repo');
  outside = path.join(top, 'outside');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'chart/templates'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(repo, '.git/config'), '[http]\n\textraheader = AUTHORIZATION: basic abc\n');
  writeFileSync(path.join(outside, 'kubeconfig.yaml'), 'apiVersion: v1\nkind: Config\n');
  writeFileSync(path.join(repo, 'chart/values.yaml'), 'a: 1\n');
  writeFileSync(path.join(repo, 'shared.txt'), 'shared\n');
  symlinkSync('../shared.txt', path.join(repo, 'chart/inside.txt'));
  symlinkSync('../../../outside/kubeconfig.yaml', path.join(repo, 'chart/templates/out.txt'));
  symlinkSync('../.git/config', path.join(repo, 'chart/git.txt'));
  symlinkSync('/nonexistent/far/away', path.join(repo, 'chart/dangling.txt'));
  symlinkSync(outside, path.join(repo, 'outdir'));
});
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('Containment', () => {
  it('lets a path inside the repository through, symlinks within it too', async () => {
    const c = new Containment(repo);
    expect(await c.check(path.join(repo, 'chart/values.yaml'))).toBeUndefined();
    expect(await c.check(path.join(repo, 'chart/inside.txt'))).toBeUndefined();
    expect(await c.check(path.join(repo, 'chart/missing.yaml'))).toBeUndefined();
  });

  it('refuses what resolves outside, into .git, or climbs out', async () => {
    const c = new Containment(repo);
    expect(await c.check(path.join(repo, 'chart/templates/out.txt'))).toBe(
      'chart/templates/out.txt resolves to a path outside the repository',
    );
    expect(await c.check(path.join(repo, 'chart/git.txt'))).toBe(
      "chart/git.txt resolves into the repository's .git folder",
    );
    expect(await c.check(path.join(repo, 'chart/dangling.txt'))).toBe(
      'chart/dangling.txt is a symbolic link to a path outside the repository',
    );
    expect(await c.check(path.join(repo, 'outdir/kubeconfig.yaml'))).toMatch(/outside the repository/);
    expect(await c.check(path.join(repo, '../outside/kubeconfig.yaml'))).toMatch(/outside the repository/);
    expect(await c.check('/etc/passwd')).toMatch(/outside the repository/);
    expect(await c.check(path.join(repo, '.git/config'))).toMatch(/\.git folder/);
  });

  it('names every escaping link under a folder, once per run', async () => {
    const c = new Containment(repo);
    const scan = await c.scan(path.join(repo, 'chart'));
    expect(scan.escapes.map((e) => e.link).sort()).toEqual([
      'chart/dangling.txt',
      'chart/git.txt',
      'chart/templates/out.txt',
    ]);
    expect(scan.gitInside).toBe(false);
    expect(c.scan(path.join(repo, 'chart'))).toBe(c.scan(path.join(repo, 'chart')));
    expect((await c.scan(repo)).gitInside).toBe(true);
  });

  it('finds the repository above a folder, or takes the folder itself', async () => {
    expect(await repositoryRoot(path.join(repo, 'chart/templates'))).toBe(repo);
    expect(await repositoryRoot(outside)).toBe(outside);
  });
});

describe('isRemoteReference', () => {
  it.each([
    'https://github.com/org/repo//deploy?ref=v1',
    'HTTPS://host/x',
    'Http://127.0.0.1:8080/base.yaml',
    'git@github.com:org/repo.git',
    'ssh://git@host/repo',
    'git::https://host/repo',
    'github.com/org/repo/deploy',
    'GitHub.com/Org/Repo',
    'gitlab.com/org/repo//base?ref=main',
    'example.io/base',
    'oci://registry/chart',
    'file:///etc',
  ])('%s is remote', (ref) => {
    expect(isRemoteReference(ref)).toBe(true);
  });

  it.each(['base', '../base', 'deploy.yaml', './overlays/prod', 'config.json', 'patches/app.patch.yaml'])(
    '%s is local',
    (ref) => {
      expect(isRemoteReference(ref)).toBe(false);
    },
  );
});
