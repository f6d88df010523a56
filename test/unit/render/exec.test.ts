import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_TIMEOUT_MS, minimalEnv, run } from '../../../src/render/exec.js';
import { alive } from './processes.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'shipshape-exec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('run', () => {
  it('passes arguments as they are and returns the output and status', async () => {
    const res = await run('/bin/sh', [
      '-c',
      'printf "%s|" "$@"; echo oops >&2; exit 3',
      'sh',
      'a b',
      '$(id)',
    ]);
    expect(res).toMatchObject({ code: 3, stdout: 'a b|$(id)|', stderr: 'oops\n', timedOut: false });
  });

  it('stops the whole process group at the timeout: no grandchild survives', async () => {
    const pidFile = path.join(tmp, 'grandchild.pid');
    const started = Date.now();
    const res = await run('/bin/sh', ['-c', `sleep 300 & echo $! > ${pidFile}; wait`], { timeoutMs: 500 });
    expect(res.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
  });

  it('kills what a process leaves running in its group when it exits', async () => {
    const pidFile = path.join(tmp, 'orphan.pid');
    const res = await run('/bin/sh', ['-c', `sleep 300 >/dev/null 2>&1 & echo $! > ${pidFile}`]);
    expect(res.code).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('stops a process over its memory bound, counting its children', async () => {
    const script = path.join(tmp, 'hog.js');
    writeFileSync(script, 'const a = []; for (;;) { a.push(Buffer.alloc(16 << 20, 1)); }\n');
    const started = Date.now();
    const res = await run('/bin/sh', ['-c', `${process.execPath} ${script}; sleep 300`], {
      maxMemoryBytes: 200 * 1024 * 1024,
      timeoutMs: 60_000,
    });
    expect(res.overMemory).toBeGreaterThan(200 * 1024 * 1024);
    expect(res.timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('holds a huge timeout instead of firing at once (timer overflow)', async () => {
    const res = await run('/bin/sh', ['-c', 'sleep 0.2; echo done'], { timeoutMs: 10 ** 12 });
    expect(res).toMatchObject({ code: 0, stdout: 'done\n', timedOut: false });
    expect(MAX_TIMEOUT_MS).toBeLessThan(2 ** 31);
  });

  it('reports a program that cannot start', async () => {
    const res = await run(path.join(tmp, 'no-such-program'), []);
    expect(res.code).toBe(127);
    expect(res.stderr).toMatch(/ENOENT/);
    expect(existsSync(path.join(tmp, 'no-such-program'))).toBe(false);
  });
});

describe('minimalEnv', () => {
  it('passes no token and closes every way to a network', () => {
    process.env.GITHUB_TOKEN = 'ghs_secret';
    process.env.ACTIONS_RUNTIME_TOKEN = 'rt_secret';
    try {
      const env = minimalEnv();
      expect(env.GITHUB_TOKEN).toBeUndefined();
      expect(env.ACTIONS_RUNTIME_TOKEN).toBeUndefined();
      expect(env.HTTPS_PROXY).toBe('http://127.0.0.1:9');
      expect(env.https_proxy).toBe('http://127.0.0.1:9');
      expect(env.GIT_ALLOW_PROTOCOL).toBe('none');
      expect(env.HELM_NO_PLUGINS).toBe('1');
      expect(env.NO_PROXY).toBeUndefined();
    } finally {
      delete process.env.GITHUB_TOKEN;
      delete process.env.ACTIONS_RUNTIME_TOKEN;
    }
  });

  it('leaves the network open only when asked (git fetching the base commit)', () => {
    expect(minimalEnv({}, true).HTTPS_PROXY).toBeUndefined();
  });
});
