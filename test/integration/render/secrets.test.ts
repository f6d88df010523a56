import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaries, canaryFiles, leaksIn } from '../support/canaries.js';

/**
 * A distinct canary in each place a secret can sit (issue 9's table and more), at the base and
 * at the head of a change, and the real CLI (`node dist/cli.js`, so `npm run build` first) run
 * with every command and format: no canary, nor its base64, appears in any stdout, stderr or
 * written file. The failing targets still fail, and say so with the placeholder.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');

let repo: string;
let out: string;
const base = canaries('base');
const head = canaries('head');

function git(...args: string[]): void {
  execFileSync('git', args, {
    cwd: repo,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
}

async function writeAll(tree: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(tree)) {
    await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await writeFile(path.join(repo, file), text);
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function shipshape(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const leaks = (text: string) => leaksIn(text, base, head);

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  repo = await mkdtemp(path.join(os.tmpdir(), 'shipshape-canaries-'));
  out = await mkdtemp(path.join(os.tmpdir(), 'shipshape-canaries-out-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  await writeAll(canaryFiles(base));
  git('add', '-A');
  git('commit', '-qm', 'base');
  await writeAll(canaryFiles(head));
  git('add', '-A');
  git('commit', '-qm', 'head');
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

describe('no secret leaves the CLI', () => {
  it.each(['text', 'json', 'sarif', 'markdown', 'github'])('check --format %s', async (format) => {
    const file = path.join(out, `check.${format}`);
    const toStdout = await shipshape(['check', '--format', format]);
    const toFile = await shipshape(['check', '--format', format, '--output', file]);
    const text =
      toStdout.stdout + toStdout.stderr + toFile.stdout + toFile.stderr + (await readFile(file, 'utf8'));
    expect(leaks(text)).toEqual([]);
    // The failing targets are still reported, with the secret masked in their errors.
    expect(toStdout.code).toBe(2);
    if (format === 'text') {
      expect(text).toMatch(/bad <secret: \d+ bytes>/);
      expect(text).toMatch(/refusing password <secret: \d+ bytes>/);
      expect(text).toMatch(/invalid literal source <secret: \d+ bytes>/);
    }
  });

  it.each(['yaml', 'json', 'sources'])('render --format %s', async (format) => {
    const run = await shipshape(['render', '--format', format]);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    expect(run.stdout).toContain('Deployment');
    if (format === 'yaml') {
      expect(run.stdout).toContain(
        `value: "redis://:<secret: ${head.redisValuesPw.length} bytes>@redis:6379/0"`,
      );
      expect(run.stdout).toContain(`--db-password=<secret: ${head.argEquals.length} bytes>`);
    }
  });

  it.each(['text', 'json'])('diff --format %s', async (format) => {
    const run = await shipshape(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', format]);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    expect(run.stdout).toContain('Deployment');
    // Base and head canaries have the same length: the change still shows.
    if (format === 'text') expect(run.stdout).toContain('(changed)');
  });

  it('writes a baseline without a secret', async () => {
    const file = path.join(out, 'baseline.yaml');
    const run = await shipshape(['check', '--write-baseline', file, '--format', 'json']);
    expect(leaks(run.stdout + run.stderr + (await readFile(file, 'utf8')))).toEqual([]);
  });

  it('leaves nothing with a canary in the output folder', async () => {
    for (const f of await readdir(out))
      expect(leaks(await readFile(path.join(out, f), 'utf8')), f).toEqual([]);
  });
});
