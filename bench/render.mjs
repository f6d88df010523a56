// Rendering benchmark: a corpus of our own realistic charts and overlays (the mapping corpus, the
// test fixtures and the examples: helper libraries, toYaml blocks, a .tgz subchart, Components,
// helmCharts:), copied COPIES times. Measured side by side, in interleaved rounds:
//   plain   the same `helm template` / `kustomize build` commands, one after another
//   parallel  the same commands, cores + 1 at a time, from a bare Node process: the tools' own limit
//   render  one `shipshape render` process over every target (what a user runs)
//   check   one `shipshape check` process over the same targets (render + rules + locations)
// Targets: render <= 0.55 x plain on 2 cores, check <= 1.2 x render.
//
//   tsc -p tsconfig.json --outDir lib (or npm run build), then: npm run bench render
//   SHIPSHAPE_LIB=<compiled src> (default lib/), SHIPSHAPE_CLI=<the CLI measured> (default
//   <lib>/cli/main.js; a bundle such as dist/cli.js is what users run), ROUNDS (default 5), COPIES (3),
//   BENCH_KEEP=1 (keep the corpus for profiling), SHIPSHAPE_CLI_BEFORE=<another build> (its render
//   measured in the same rounds).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const lib = path.resolve(root, process.env.SHIPSHAPE_LIB ?? 'lib');
const cliEntry = path.resolve(root, process.env.SHIPSHAPE_CLI ?? path.join(lib, 'cli/main.js'));
const beforeEntry = process.env.SHIPSHAPE_CLI_BEFORE && path.resolve(root, process.env.SHIPSHAPE_CLI_BEFORE);

/** Charts (with their environment values files) and overlays, as folders of this repository. */
const CHARTS = [
  'test/fixtures/charts/webapp',
  'examples/charts/storefront',
  'test/mapping-corpus/charts/edge',
  'test/mapping-corpus/charts/shop',
  'test/mapping-corpus/charts/api',
  'test/mapping-corpus/charts/worker',
];
const OVERLAYS = [
  'test/fixtures/kustomize/shop',
  'examples/kustomize/payments',
  'test/mapping-corpus/kustomize',
];

/** Runs `argv[1]` (JSON [[program, args], ...]) `argv[2]` at a time, output dropped. */
const PARALLEL = `
const { execFile } = require('node:child_process');
const commands = JSON.parse(process.argv[1]);
let next = 0;
const worker = () => new Promise((resolve, reject) => {
  const go = () => {
    if (next >= commands.length) return resolve();
    const [cmd, args] = commands[next++];
    execFile(cmd, args, { maxBuffer: 1 << 30 }, (err) => (err ? reject(err) : go()));
  };
  go();
});
Promise.all(Array.from({ length: Number(process.argv[2]) }, worker)).catch((e) => { console.error(e.message); process.exit(1); });
`;

/** CPU seconds of this process's waited-for children so far (user + system), from /proc. */
function childCpu() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

export async function run() {
  const { resolveTools } = await import(pathToFileURL(path.join(lib, 'render/index.js')).href);
  const { templateArgs } = await import(pathToFileURL(path.join(lib, 'render/helm.js')).href);
  const { discoverTargets } = await import(pathToFileURL(path.join(lib, 'render/discover.js')).href);
  const ROUNDS = Number(process.env.ROUNDS ?? 5);
  const COPIES = Number(process.env.COPIES ?? 3);

  const work = mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-'));
  execFileSync('git', ['init', '-q'], { cwd: work });
  for (let c = 0; c < COPIES; c++) {
    for (const src of [...CHARTS, ...OVERLAYS]) {
      const dest = path.join(work, `copy-${c}`, src.replaceAll('/', '_'));
      cpSync(path.join(root, src), dest, { recursive: true });
    }
    // The library chart the api chart depends on (file://../libcommon), vendored the way
    // `helm dependency build` does, so that plain helm renders it too.
    const charts = path.join(work, `copy-${c}`, 'test_mapping-corpus_charts_api', 'charts');
    mkdirSync(charts, { recursive: true });
    cpSync(path.join(root, 'test/mapping-corpus/charts/libcommon'), path.join(charts, 'libcommon'), {
      recursive: true,
    });
  }
  const tools = await resolveTools();
  const { targets, errors } = await discoverTargets(['.'], { cwd: work });
  if (errors.length) throw new Error(JSON.stringify(errors));
  const rendered = targets.filter((t) => t.kind !== 'plain');
  const config = path.join(work, '.shipshape.yaml');
  writeFileSync(
    config,
    `targets:\n${rendered
      .map((t) =>
        t.kind === 'helm'
          ? `  - chart: ${t.chart}\n    releaseName: ${t.releaseName}\n    values: [${t.valuesFiles.join(', ')}]\n`
          : `  - kustomize: ${t.dir}\n`,
      )
      .join('')}`,
  );

  const helmChart = (dir) =>
    readFileSync(path.join(work, dir, 'kustomization.yaml'), 'utf8').includes('helmCharts:');
  const commands = rendered.map((t) =>
    t.kind === 'helm'
      ? [
          tools.helm,
          templateArgs(
            t,
            path.join(work, t.chart),
            t.valuesFiles.map((f) => path.join(work, f)),
          ),
        ]
      : [
          tools.kustomize[0],
          [
            ...tools.kustomize.slice(1),
            ...(helmChart(t.dir) ? ['--enable-helm', '--helm-command', tools.helm] : []),
            path.join(work, t.dir),
          ],
        ],
  );
  const plain = () => {
    for (const [cmd, args] of commands)
      execFileSync(cmd, args, { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  };
  // The same commands, as many at a time as `render` runs (cores + 1), from a bare Node process with
  // nothing else to do: what the tools allow on this machine in parallel, with no work of ours at all.
  const parallel = () => {
    const res = spawnSync(
      process.execPath,
      ['-e', PARALLEL, JSON.stringify(commands), String(os.availableParallelism() + 1)],
      {
        cwd: work,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    if (res.status !== 0) throw new Error(`parallel plain run exited ${res.status}`);
  };
  const cli =
    (command, format, entry = cliEntry) =>
    () => {
      const res = spawnSync(process.execPath, [entry, command, '--format', format], {
        cwd: work,
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
  const sides = { plain, parallel, render: cli('render', 'yaml'), check: cli('check', 'json') };
  // SHIPSHAPE_CLI_BEFORE=<another build>: its `render` is measured in the same rounds, for a change's
  // effect side by side.
  if (beforeEntry) sides.renderBefore = cli('render', 'yaml', beforeEntry);
  for (const fn of Object.values(sides)) fn(); // warm the page cache and the tools' start-up
  const samples = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(sides)) samples[k].push(measure(fn));
  // BENCH_KEEP=1 leaves the corpus (its path on stderr) for profiling one side by hand.
  if (process.env.BENCH_KEEP) console.error(`corpus kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });

  // The machine is shared: the median of each side is reported, and the fastest round, the one
  // least disturbed by other work.
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fig = (k) => ({
    wallMedian: Number(median(samples[k].map((s) => s.wall)).toFixed(3)),
    wallFastest: Number(Math.min(...samples[k].map((s) => s.wall)).toFixed(3)),
    cpuMedian: Number(median(samples[k].map((s) => s.cpu)).toFixed(2)),
  });
  const time = Object.fromEntries(Object.keys(sides).map((k) => [k, fig(k)]));
  const ratio = (a, b, k) => Number((time[a][k] / time[b][k]).toFixed(2));
  const report = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    load: os.loadavg().map((l) => Number(l.toFixed(1))),
    node: process.version,
    tools: tools.versions,
    targets: {
      helm: rendered.filter((t) => t.kind === 'helm').length,
      kustomize: rendered.filter((t) => t.kind === 'kustomize').length,
    },
    rounds: ROUNDS,
    time,
    renderOverPlain: {
      median: ratio('render', 'plain', 'wallMedian'),
      fastest: ratio('render', 'plain', 'wallFastest'),
    },
    checkOverRender: {
      median: ratio('check', 'render', 'wallMedian'),
      fastest: ratio('check', 'render', 'wallFastest'),
    },
    ...(beforeEntry && {
      renderBeforeOverPlain: {
        median: ratio('renderBefore', 'plain', 'wallMedian'),
        fastest: ratio('renderBefore', 'plain', 'wallFastest'),
      },
    }),
    // The tools alone, run in parallel as render runs them: what the machine allows them.
    parallelOverPlain: {
      median: ratio('parallel', 'plain', 'wallMedian'),
      fastest: ratio('parallel', 'plain', 'wallFastest'),
    },
    renderOverParallel: {
      median: ratio('render', 'parallel', 'wallMedian'),
      fastest: ratio('render', 'parallel', 'wallFastest'),
    },
    // What two cores allow at best: the tools' own CPU time, shared by both cores with nothing of
    // ours, over the plain (sequential) time.
    floorOverPlain: Number((time.plain.cpuMedian / 2 / time.plain.wallMedian).toFixed(2)),
  };
  report.pass = report.renderOverPlain.median <= 0.55 && report.checkOverRender.median <= 1.2;
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = await run();
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = report.pass ? 0 : 1;
}
