// GitOps repositories (bench/gitops-repos.yaml), cloned outside this repository: every app whose
// sources are in the repository must render; how long does discovery plus rendering take, and
// does the source map hold (the self-check of `render --verify`)?
//
//   tsc -p tsconfig.json --outDir lib (or npm run build), then
//   SHIPSHAPE_PUBLIC=/tmp/public node bench/gitops.mjs   (or npm run bench gitops)
//   SHIPSHAPE_LIB=<compiled src> overrides lib/; ROUNDS=<n> the timing rounds (default 3).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const lib = path.resolve(root, process.env.SHIPSHAPE_LIB ?? 'lib');
const pub = path.resolve(process.env.SHIPSHAPE_PUBLIC ?? '/tmp/public');
const spec = parse(readFileSync(path.join(import.meta.dirname, 'gitops-repos.yaml'), 'utf8'));
const load = (p) => import(pathToFileURL(path.join(lib, p)).href);

export async function run() {
  const { runRender } = await load('jobs/render.js');
  const { verifyMapping } = await load('render/verify.js');
  const { resolveTools } = await load('render/index.js');
  const rounds = Number(process.env.ROUNDS ?? 3);
  const tools = await resolveTools();
  const report = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${os.loadavg()[0].toFixed(1)}`,
    node: process.version,
    tools: tools.versions,
    repos: [],
  };
  for (const [name, repo] of Object.entries(spec.repos)) {
    const cwd = path.join(pub, name);
    if (!existsSync(cwd)) {
      report.repos.push({ name, missing: `clone ${repo.url} into ${cwd}` });
      continue;
    }
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const discover = { folders: true, gitops: true, repoURLs: repo.repoURLs ?? [] };
    const times = [];
    let job;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      job = await runRender({ cwd, paths: ['.'], discover, timeoutMs: 120_000 });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // The same repository with folder discovery alone (charts and overlays with their defaults).
    const folderTimes = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await runRender({ cwd, paths: ['.'], discover: { ...discover, gitops: false }, timeoutMs: 120_000 });
      folderTimes.push(performance.now() - t0);
    }
    folderTimes.sort((a, b) => a - b);
    const apps = job.results.filter((r) => r.target.app);
    const failed = apps.filter((r) => r.errors.some((e) => e.level === 'error'));
    const skipped = apps.filter((r) => r.target.app.skip && !failed.includes(r));
    const rendered = apps.filter((r) => !r.target.app.skip && !failed.includes(r));
    const read = (f) => {
      try {
        return readFileSync(path.resolve(cwd, f), 'utf8');
      } catch {
        return undefined;
      }
    };
    let checked = 0;
    const mismatches = [];
    for (const r of rendered) {
      const v = verifyMapping(r.manifests, read);
      checked += v.checked;
      for (const x of v.mismatches)
        mismatches.push(`${x.location.file}:${x.location.line} ${x.object} ${x.path}`);
    }
    report.repos.push({
      name,
      commit,
      apps: apps.length,
      rendered: rendered.length,
      objects: rendered.reduce((n, r) => n + r.manifests.length, 0),
      notRenderedHere: skipped.map((r) =>
        `${r.target.app.name}: ${r.errors[0]?.message ?? ''}`.slice(0, 220),
      ),
      failed: failed.map((r) =>
        `${r.target.app.name}: ${r.errors.find((e) => e.level === 'error')?.message ?? ''}`.slice(0, 300),
      ),
      folderTargets: job.results.length - apps.length,
      mapping: { checked, mismatches: mismatches.length, first: mismatches.slice(0, 5) },
      ms: { fastest: Math.round(times[0]), median: Math.round(times[Math.floor(times.length / 2)]) },
      foldersOnlyMs: {
        fastest: Math.round(folderTimes[0]),
        median: Math.round(folderTimes[Math.floor(folderTimes.length / 2)]),
      },
    });
  }
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href)
  console.log(JSON.stringify(await run(), null, 2));
