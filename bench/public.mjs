// Public charts and overlays (bench/public-targets.yaml), cloned outside the repository: does the
// source map hold on them (the self-check of `render --format sources --verify`), and how long does
// one `shipshape render` take against the same `helm template` / `kustomize build` commands run one
// after another?
//
//   tsc -p tsconfig.json --outDir lib (or npm run build), then
//   SHIPSHAPE_PUBLIC=/tmp/public node bench/public.mjs [verify|time|all]   (default: all)
//   SHIPSHAPE_LIB=<compiled src> overrides lib/; SHIPSHAPE_CLI the CLI measured (default
//   <lib>/cli/main.js); ROUNDS=<n> the timing rounds (default 5).
//
// Dependencies that are not vendored are packaged as .tgz into the chart's charts/ from local clones
// (what `helm dependency build` would download); that writes into the clones, never into this
// repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const lib = path.resolve(root, process.env.SHIPSHAPE_LIB ?? 'lib');
const cliEntry = path.resolve(root, process.env.SHIPSHAPE_CLI ?? path.join(lib, 'cli/main.js'));
const pub = path.resolve(process.env.SHIPSHAPE_PUBLIC ?? '/tmp/public');
const spec = parse(readFileSync(path.join(import.meta.dirname, 'public-targets.yaml'), 'utf8'));
const load = (p) => import(pathToFileURL(path.join(lib, p)).href);

function targetsOf(list) {
  return list.map((t) =>
    t.chart
      ? {
          kind: 'helm',
          chart: t.chart,
          releaseName: t.releaseName ?? path.basename(t.chart).slice(0, 53),
          namespace: t.namespace ?? 'default',
          valuesFiles: t.values ?? [],
          set: t.set ?? {},
          apiVersions: [],
        }
      : { kind: 'kustomize', dir: t.kustomize },
  );
}

/** Package every missing dependency of a chart into its charts/ (recursively), as .tgz. */
function vendor(helm, chartAbs, seen = new Set()) {
  if (seen.has(chartAbs)) return;
  seen.add(chartAbs);
  const chart = parse(readFileSync(path.join(chartAbs, 'Chart.yaml'), 'utf8')) ?? {};
  const present = existsSync(path.join(chartAbs, 'charts')) ? readdirSync(path.join(chartAbs, 'charts')) : [];
  for (const dep of chart.dependencies ?? []) {
    const has = present.some((e) => e === dep.name || (e.startsWith(`${dep.name}-`) && e.endsWith('.tgz')));
    if (has || String(dep.repository ?? '').startsWith('file://')) continue;
    const named = spec.vendor?.[dep.name];
    const from = named ? path.join(pub, named) : path.join(path.dirname(chartAbs), dep.name);
    if (!existsSync(path.join(from, 'Chart.yaml'))) {
      console.error(`vendor: no local chart for ${dep.name} (needed by ${path.relative(pub, chartAbs)})`);
      continue;
    }
    vendor(helm, from, seen);
    execFileSync(helm, ['package', from, '-d', path.join(chartAbs, 'charts')], { stdio: 'ignore' });
  }
}

/** CPU seconds of this process's waited-for children so far (user + system), from /proc. */
function childCpu() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime (after the comm field)
}

export async function run(mode = process.argv[2] ?? 'all') {
  const { renderTargets, resolveTools } = await load('render/index.js');
  const { templateArgs } = await load('render/helm.js');
  const { verifyMapping } = await load('render/verify.js');
  const tools = await resolveTools();
  const targets = targetsOf(spec.targets);
  for (const t of targets) if (t.kind === 'helm') vendor(tools.helm, path.join(pub, t.chart));

  const report = {
    date: new Date().toISOString(),
    loadStart: os.loadavg().map((l) => Number(l.toFixed(1))),
    machine: `${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    tools: tools.versions,
    targets: targets.length,
  };
  const results = await renderTargets(targets, { cwd: pub, timeoutMs: 120_000 });
  const ok = results.filter((r) => !r.errors.some((e) => e.level === 'error'));
  report.rendered = ok.length;
  report.failed = results
    .filter((r) => !ok.includes(r))
    .map((r) => `${r.target.chart ?? r.target.dir}: ${r.errors.find((e) => e.level === 'error')?.message}`);

  if (mode === 'verify' || mode === 'all') {
    const read = (f) => {
      try {
        return readFileSync(path.resolve(pub, f), 'utf8');
      } catch {
        return undefined;
      }
    };
    let checked = 0;
    let values = 0;
    let objects = 0;
    const mismatches = [];
    report.perTarget = [];
    for (const r of ok) {
      const v = verifyMapping(r.manifests, read);
      checked += v.checked;
      values += v.values;
      objects += r.manifests.length;
      report.perTarget.push({
        target: r.target.chart ?? r.target.dir,
        objects: r.manifests.length,
        checked: v.checked,
        values: v.values,
        mismatches: v.mismatches.length,
      });
      for (const x of v.mismatches)
        mismatches.push(
          `${x.location.file}:${x.location.line}: ${x.object} ${x.path} = ${JSON.stringify(x.rendered).slice(0, 60)}; line holds ${x.found.slice(0, 60)}`,
        );
    }
    report.verify = { objects, checked, values, mismatches: mismatches.length };
    if (mismatches.length) console.error(mismatches.join('\n'));
  }

  if (mode === 'time' || mode === 'all') {
    const rounds = Number(process.env.ROUNDS ?? 5);
    const timed = ok.map((r) => r.target);
    const config = path.join(pub, '.shipshape-public.yaml');
    writeFileSync(
      config,
      `targets:\n${timed
        .map((t) =>
          t.kind === 'helm'
            ? `  - chart: ${t.chart}\n    releaseName: ${t.releaseName}\n${Object.keys(t.set).length ? `    set: ${JSON.stringify(t.set)}\n` : ''}`
            : `  - kustomize: ${t.dir}\n`,
        )
        .join('')}render:\n  timeoutSeconds: 120\n`,
    );
    const plain = () => {
      for (const t of timed) {
        const [cmd, args] =
          t.kind === 'helm'
            ? [tools.helm, templateArgs(t, path.join(pub, t.chart), [])]
            : [tools.kustomize[0], [...tools.kustomize.slice(1), path.join(pub, t.dir)]];
        execFileSync(cmd, args, { cwd: pub, stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
      }
    };
    const cli = (command, format) => () => {
      const res = spawnSync(process.execPath, [cliEntry, command, '-c', config, '--format', format], {
        cwd: pub,
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 1 << 30,
      });
      if (res.status !== 0 && !(command === 'check' && res.status === 1))
        throw new Error(`${command} exited ${res.status}: ${res.stderr}`);
    };
    const measure = (fn) => {
      const cpu0 = childCpu();
      const t0 = performance.now();
      fn();
      return { wall: (performance.now() - t0) / 1000, cpu: childCpu() - cpu0 };
    };
    const sides = {
      plain: plain,
      render: cli('render', 'yaml'),
      sources: cli('render', 'sources'),
      check: cli('check', 'json'),
    };
    const samples = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
    for (const fn of Object.values(sides)) fn(); // warm the page cache
    for (let r = 0; r < rounds; r++)
      for (const [k, fn] of Object.entries(sides)) samples[k].push(measure(fn));
    // BENCH_KEEP=1 leaves the config (its path on stderr) for profiling one side by hand.
    if (process.env.BENCH_KEEP) console.error(`config kept in ${config}`);
    else rmSync(config, { force: true });
    // The machine may be shared: the median of each side, and its fastest round (the one least
    // disturbed by other work), as bench/render.mjs reports them.
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const fig = (k) => ({
      wallMedian: Number(median(samples[k].map((s) => s.wall)).toFixed(2)),
      wallFastest: Number(Math.min(...samples[k].map((s) => s.wall)).toFixed(2)),
      cpuMedian: Number(median(samples[k].map((s) => s.cpu)).toFixed(2)),
    });
    report.timed = timed.length;
    report.rounds = rounds;
    report.loadEnd = os.loadavg().map((l) => Number(l.toFixed(1)));
    report.time = Object.fromEntries(Object.keys(sides).map((k) => [k, fig(k)]));
    const ratio = (a, b) => ({
      median: Number((report.time[a].wallMedian / report.time[b].wallMedian).toFixed(2)),
      fastest: Number((report.time[a].wallFastest / report.time[b].wallFastest).toFixed(2)),
    });
    report.ratios = {
      render: ratio('render', 'plain'),
      sources: ratio('sources', 'plain'),
      check: ratio('check', 'plain'),
      checkOverRender: ratio('check', 'render'),
    };
  }
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await run(), null, 2));
}
