// Run a command as a child process and report its wall time and peak resident memory.
// Peak memory comes from the child's own /proc/self/status (VmHWM) written at exit by a preloaded
// hook, so no external `time` binary is needed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const HOOK = `import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => {
  const kb = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const { user, system } = process.cpuUsage();
  if (kb && process.env.BENCH_PEAK_FILE) writeFileSync(process.env.BENCH_PEAK_FILE, kb + ' ' + (user + system));
});`;

/**
 * Time `node args...`; resolves { seconds, cpuSeconds, peakMiB, code, stdoutBytes }. CPU time (the
 * main process's user + system) is what to compare on a machine others load: wall time waits.
 */
export function measureNode(args, { cwd, env } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-bench-'));
  const peakFile = path.join(dir, 'peak');
  const hook = `data:text/javascript,${encodeURIComponent(HOOK)}`;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', hook, ...args], {
      cwd,
      env: { ...process.env, ...env, BENCH_PEAK_FILE: peakFile, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdoutBytes += d.length;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let peakMiB = Number.NaN;
      let cpuSeconds = Number.NaN;
      try {
        const [kb, cpu] = readFileSync(peakFile, 'utf8').split(' ');
        peakMiB = Number(kb) / 1024;
        cpuSeconds = Number(cpu) / 1e6;
      } catch {}
      rmSync(dir, { recursive: true, force: true });
      resolve({ seconds, cpuSeconds, peakMiB, code, stdoutBytes, stderr });
    });
  });
}

export function machine() {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const cores = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0;
  const memGiB = Math.round(
    Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024,
  );
  return `${cores} cores (${cpu}), ${memGiB} GiB, Node ${process.version}`;
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
