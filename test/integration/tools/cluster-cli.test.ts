// `npm run cluster -- up|status|down` as a person uses it: detached processes that outlive the command,
// the two lines to paste into a shell, and a kubeconfig that is only ever ours to overwrite or delete.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stateDirFor, sweepOrphans, TOOLS_BIN } from '../../../scripts/cluster.mjs';
import { runTool } from '../support/cluster.js';

const script = fileURLToPath(new URL('../../../scripts/cluster.mjs', import.meta.url));
const name = `cli${process.pid}`;
const scratch = mkdtempSync(join(tmpdir(), 'shipshape-cli-test-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => {
  cli('down', '--name', name); // whatever the tests left behind
  cli('down', '--name', `${name}-orphan`);
  rmSync(scratch, { recursive: true, force: true });
});

describe('npm run cluster', () => {
  it('refuses to overwrite a kubeconfig it did not write, and leaves it as it was', () => {
    const foreign = join(scratch, 'someone-elses-kubeconfig');
    const text = 'apiVersion: v1\nkind: Config\nclusters: []\n';
    writeFileSync(foreign, text);
    const r = cli('up', '--name', name, '--kubeconfig', foreign);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `refusing to overwrite ${foreign}: it is not a kubeconfig written by shipshape`,
    );
    expect(readFileSync(foreign, 'utf8')).toBe(text);
    expect(existsSync(stateDirFor(name))).toBe(false);
  });

  it('up prints KUBECONFIG and PATH, and the processes keep running after the command exits', async () => {
    const kubeconfig = join(scratch, 'kube', 'config');
    const r = cli('up', '--name', name, '--kubeconfig', kubeconfig);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([`KUBECONFIG=${kubeconfig}`, `PATH=${TOOLS_BIN}`]);
    expect(r.stderr).toMatch(/ready at https:\/\/127\.0\.0\.1:\d+ in \d+\.\d s/);

    const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(scratch, 'kube-cache') };
    const ns = await runTool(join(TOOLS_BIN, 'kubectl'), ['get', 'namespace', 'kube-system', '-o', 'name'], {
      env: env as Record<string, string>,
      check: true,
    });
    expect(ns.stdout.trim()).toBe('namespace/kube-system');

    const status = cli('status', '--name', name);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^${name}: ready at https://127\\.0\\.0\\.1:\\d+ KUBECONFIG=`));
  });

  it('up refuses a second cluster of the same name', () => {
    const r = cli('up', '--name', name);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
  });

  it('down stops the processes and removes the state and the kubeconfig it wrote', () => {
    const dir = stateDirFor(name);
    const state = JSON.parse(readFileSync(join(dir, 'shipshape-cluster.json'), 'utf8'));
    const r = cli('down', '--name', name);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${name} stopped and removed`);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(state.kubeconfig)).toBe(false);
    for (const pid of Object.values(state.pids) as number[]) {
      expect(
        existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8'),
      ).not.toContain(dir);
    }
    expect(cli('status', '--name', name)).toMatchObject({ code: 1, stdout: `${name}: down\n` });
  });

  it('down leaves alone a folder of that name that is not ours', () => {
    const dir = stateDirFor(name);
    mkdirSync(dir);
    try {
      const r = cli('down', '--name', name);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('not ours, left untouched');
      expect(existsSync(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('sweeps away the cluster of a test process that was killed before its afterAll', async () => {
    const orphan = `${name}-orphan`;
    // A stand-in for a vitest worker: it starts a cluster, says so, and is then killed outright.
    const code = `import { up } from ${JSON.stringify(script)};
const c = await up({ name: ${JSON.stringify(orphan)} });
console.log(JSON.stringify(c.pids));
setInterval(() => {}, 1000);`;
    const worker = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = await once(worker.stdout, 'data');
    const pids = Object.values(JSON.parse(String(line))) as number[];
    worker.kill('SIGKILL');
    await once(worker, 'exit');
    const dir = stateDirFor(orphan);
    const running = () =>
      pids.filter(
        (pid) =>
          existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir),
      );
    expect(running()).toHaveLength(2); // leaked: etcd and kube-apiserver outlive their owner

    expect(await sweepOrphans()).toContain(orphan); // and any other orphan lying around
    expect(running()).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
