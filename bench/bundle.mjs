// Benchmark: the bundle (`npm run build`, then `npm run bench bundle`): the size of each file in dist/
// and the Action's cold start, `node dist/index.js` from spawn to exit in an empty workspace with no
// event (mode auto: a check of nothing); and the CLI's, `node dist/cli.js --version`. Each start is
// timed in wall-clock time and in CPU time (user + system, from the process itself at exit), which
// a loaded machine disturbs less. BENCH_DIST names other dist folders to compare, comma-separated (a
// scratch build of another commit, say); runs are interleaved so that load on the machine is shared.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machine, median } from './measure.mjs';

const root = path.resolve(import.meta.dirname, '..');
const DISTS = (process.env.BENCH_DIST ?? path.join(root, 'dist')).split(',');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);

const HOOK = `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  if (process.env.BENCH_CPU_FILE) writeFileSync(process.env.BENCH_CPU_FILE, String((user + system) / 1e6));
});`;

/** Every file under `dir` with its size in bytes, relative paths sorted. */
function files(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...files(path.join(dir, entry.name), rel));
    else out.push({ file: rel, bytes: statSync(path.join(dir, entry.name)).size });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Start `node args...` in `cwd`; resolves { wall, cpu } in seconds. */
function start(args, cwd, env) {
  const cpuFile = path.join(cwd, '.cpu');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(HOOK)}`, ...args],
      { cwd, env: { ...env, BENCH_CPU_FILE: cpuFile }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve({ wall, cpu: Number(readFileSync(cpuFile, 'utf8')) });
    });
  });
}

export async function run() {
  const workspace = mkdtempSync(path.join(tmpdir(), 'shipshape-cold-'));
  // Only what the runner would set for a run with no event: nothing of this shell's GITHUB_* leaks in.
  const env = {
    PATH: process.env.PATH,
    HOME: workspace,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: workspace,
  };
  const action = DISTS.map(() => []);
  const cli = DISTS.map(() => []);
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [d, dist] of DISTS.entries()) {
        action[d].push(await start([path.join(dist, 'index.js')], workspace, env));
        cli[d].push(await start([path.join(dist, 'cli.js'), '--version'], workspace, env));
      }
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
  const summary = (runs) => ({
    wallMedianS: +median(runs.map((r) => r.wall)).toFixed(3),
    wallMinS: +Math.min(...runs.map((r) => r.wall)).toFixed(3),
    cpuMedianS: +median(runs.map((r) => r.cpu)).toFixed(3),
  });
  return {
    machine: machine(),
    date: new Date().toISOString().slice(0, 10),
    runs: RUNS,
    dists: DISTS.map((dist, d) => {
      const list = files(dist);
      return {
        dist,
        totalBytes: list.reduce((n, f) => n + f.bytes, 0),
        files: list,
        action: summary(action[d]),
        cliVersion: summary(cli[d]),
      };
    }),
  };
}
