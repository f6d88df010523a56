import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built bundle (`npm run build` first): one bundle for the Action and the CLI, small, with no
 * file shipped twice, and without client-node's generated API (drift needs only its kubeconfig
 * reading). Both entry points start from it: `node dist/index.js` is the Action, `dist/cli.js`
 * (package.json's `bin`) the CLI.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DIST = path.join(ROOT, 'dist');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

let workspace: string;
beforeAll(() => {
  if (!existsSync(path.join(DIST, 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  workspace = mkdtempSync(path.join(os.tmpdir(), 'shipshape-bundle-'));
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('dist/', () => {
  it('is under 8 MB, and no file in it is a copy of another', () => {
    const all = files(DIST);
    const total = all.reduce((n, f) => n + statSync(f).size, 0);
    expect(total).toBeLessThan(8 * 1024 * 1024);
    const byHash = new Map<string, string[]>();
    for (const f of all) {
      const hash = createHash('sha256').update(readFileSync(f)).digest('hex');
      byHash.set(hash, [...(byHash.get(hash) ?? []), path.relative(DIST, f)]);
    }
    expect([...byHash.values()].filter((names) => names.length > 1)).toEqual([]);
  });

  it("holds none of client-node's generated API clients and models", () => {
    for (const f of files(DIST)) {
      const text = readFileSync(f, 'utf8');
      expect(text.includes('class CoreV1Api'), f).toBe(false);
      expect(text.includes('class V1PodSpec'), f).toBe(false);
    }
  });

  it('is the CLI when started as dist/cli.js, the one package.json names', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      bin: { shipshape: string };
    };
    expect(pkg.bin.shipshape).toBe('dist/cli.js');
    const out = execFileSync(process.execPath, [path.join(ROOT, pkg.bin.shipshape), '--version'], {
      encoding: 'utf8',
    });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(statSync(path.join(ROOT, pkg.bin.shipshape)).mode & 0o111).not.toBe(0);
  });

  it('is the Action when the runner starts dist/index.js, and exits 0 on a workspace with nothing to check', () => {
    const res = spawnSync(process.execPath, [path.join(DIST, 'index.js')], {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: workspace,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: workspace,
      },
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^shipshape: check \(event unknown, mode auto\)/);
  });

  // The machine's own Node (the Debian package here) is older than package.json's engines.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    if (!existsSync(p)) return false;
    const [major, minor] = execFileSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' })
      .trim()
      .split('.')
      .map(Number);
    return major < 22 || (major === 22 && minor < 19);
  });
  it.skipIf(!oldNode)('says in one line that an older Node is too old, and exits 2', () => {
    const res = spawnSync(oldNode as string, [path.join(DIST, 'cli.js'), '--version'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^shipshape needs Node\.js 22\.19 or later \(24 recommended\); this is v\d+/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });
});
