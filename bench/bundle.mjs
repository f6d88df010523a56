// Benchmark: the bundle (`npm run build`, then `npm run bench bundle`): the size of each file in dist/
// and the Action's cold start, `node dist/index.js` from spawn to exit in an empty workspace with no
// event (mode auto: a check of nothing). BENCH_DIST names other dist folders to compare, comma-separated
// (a scratch build of another commit, say); runs are interleaved so that load on the machine is shared.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machine, measureNode, median } from './measure.mjs';

const root = path.resolve(import.meta.dirname, '..');
const DISTS = (process.env.BENCH_DIST ?? path.join(root, 'dist')).split(',');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);

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

export async function run() {
  const workspace = mkdtempSync(path.join(tmpdir(), 'shipshape-cold-'));
  const env = {
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: workspace,
    HOME: workspace,
    GITHUB_EVENT_NAME: '',
    GITHUB_EVENT_PATH: '',
    GITHUB_OUTPUT: '',
    GITHUB_STEP_SUMMARY: '',
  };
  const times = DISTS.map(() => []);
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [d, dist] of DISTS.entries()) {
        const r = await measureNode([path.join(dist, 'index.js')], { cwd: workspace, env });
        if (r.code !== 0) throw new Error(`${dist}/index.js exited ${r.code}: ${r.stderr.slice(0, 500)}`);
        times[d].push(r.seconds);
      }
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
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
        coldStartMedianS: +median(times[d]).toFixed(3),
        coldStartMinS: +Math.min(...times[d]).toFixed(3),
      };
    }),
  };
}
