import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/render/exec.js';
import { launcherPid } from '../../../src/render/launcher.js';
import { alive } from './processes.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'shipshape-launcher-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Scripts of their own import the launcher alone (it imports nothing of ours), as TypeScript.
const launcher = path.resolve('src/render/launcher.ts');
const requestSource = `function request(program, args) {
  return { program, args, env: { PATH: process.env.PATH }, timeoutMs: 60000, maxOutputBytes: 1 << 20, maxErrorBytes: 1 << 20, pollMs: 100 };
}\n`;

async function until(test: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return test();
}

describe('the process launcher', () => {
  it('answers many concurrent runs, each with its own output', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        run('/bin/sh', ['-c', `sleep 0.0$((${i} % 5)); echo out-${i}; exit $((${i} % 3))`]),
      ),
    );
    results.forEach((res, i) => {
      expect(res).toMatchObject({ stdout: `out-${i}\n`, code: i % 3, timedOut: false });
    });
  });

  it('runs the program outside this process, and does not keep this process alive when idle', () => {
    // A script that runs one program and then simply ends: it must exit, not hang on the launcher.
    const script = path.join(tmp, 'once.mjs');
    writeFileSync(
      script,
      `const { launch } = await import(${JSON.stringify(launcher)});\nconst r = await launch(request('/bin/echo', ['hi']));\nprocess.stdout.write(r.stdout);\n${requestSource}`,
    );
    const out = execFileSync(process.execPath, ['--experimental-strip-types', '--no-warnings', script], {
      timeout: 20_000,
    }).toString();
    expect(out).toBe('hi\n');
  });

  it('kills what it started when the process that asked goes away', async () => {
    const pidFile = path.join(tmp, 'tool.pid');
    const script = path.join(tmp, 'dies.mjs');
    writeFileSync(
      script,
      `const { launch } = await import(${JSON.stringify(launcher)});\nlaunch(request('/bin/sh', ['-c', 'echo $$ > ${pidFile}; exec sleep 300']));\n${requestSource}`,
    );
    const parent = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', script], {
      stdio: 'ignore',
    });
    expect(await until(() => readFileSync(pidFile, { flag: 'a+' }).toString().trim() !== '', 10_000)).toBe(
      true,
    );
    const tool = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(tool)).toBe(true);
    parent.kill('SIGKILL');
    expect(await until(() => !alive(tool))).toBe(true);
  });

  it('reports runs cut short when the launcher dies, and starts a new one for the next run', async () => {
    const pending = run('/bin/sh', ['-c', 'sleep 300']);
    await new Promise((r) => setTimeout(r, 200));
    const pid = launcherPid();
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    const res = await pending;
    expect(res.code).toBe(127);
    expect(res.stderr).toMatch(/the process launcher stopped/);
    const next = await run('/bin/echo', ['again']);
    expect(next).toMatchObject({ code: 0, stdout: 'again\n' });
    expect(launcherPid()).not.toBe(pid);
  });
});

describe('stopLauncher', () => {
  it('waits until the launcher has exited, and the next run starts another', async () => {
    const { stopLauncher } = await import('../../../src/render/launcher.js');
    await run('/bin/true', []);
    const pid = launcherPid() as number;
    await stopLauncher();
    expect(alive(pid)).toBe(false);
    expect(launcherPid()).toBeUndefined();
    expect(await run('/bin/echo', ['back'])).toMatchObject({ code: 0, stdout: 'back\n' });
  });

  it('a run sent to the next launcher is not failed by the last one exiting', async () => {
    const { stopLauncher } = await import('../../../src/render/launcher.js');
    await run('/bin/true', []);
    const stopping = stopLauncher();
    // Asked while the old launcher is on its way out: a new one answers it.
    const next = run('/bin/echo', ['from the next one']);
    await stopping;
    expect(await next).toMatchObject({ code: 0, stdout: 'from the next one\n' });
  });

  it('holds the process until the launcher is gone: a script that awaits it exits cleanly', () => {
    const script = path.join(tmp, 'stop.mjs');
    writeFileSync(
      script,
      `const { launch, stopLauncher } = await import(${JSON.stringify(launcher)});\nawait launch(request('/bin/true', []));\nawait stopLauncher();\nprocess.stdout.write('stopped');\n${requestSource}`,
    );
    const out = execFileSync(process.execPath, ['--experimental-strip-types', '--no-warnings', script], {
      timeout: 20_000,
    }).toString();
    expect(out).toBe('stopped');
  });
});
