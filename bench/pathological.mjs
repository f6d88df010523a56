// Benchmark: pathological inputs (issue 12), each through the whole `shipshape check` process in the
// default text format: wall time from spawn to exit and peak resident memory (the process's own
// VmHWM). `npm run bench pathological`; SHIPSHAPE_CLI=path/to/cli.js measures another build (a
// tsc-compiled lib/cli/main.js works too); SHIPSHAPE_BASELINE_CLI=path/to/cli.js measures a second
// build run by run with the first (the host's speed drifts by ±10 % between minutes: only builds
// measured turn about compare). Targets: the 10,000-container Deployment and the
// 4,000-item List under 1 s each; under 512 MiB for the alias file and the 20,000-Deployment file;
// 50,000 objects under 384 MiB.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from './check.mjs';
import { machine, measureNode, median } from './measure.mjs';

const root = path.resolve(import.meta.dirname, '..');
const CLI = process.env.SHIPSHAPE_CLI ?? path.join(root, 'dist/cli.js');
const BASELINE = process.env.SHIPSHAPE_BASELINE_CLI;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MiB = 1024 * 1024;

function containers(n) {
  const lines = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: big}', 'spec:', '  template:'];
  lines.push('    spec:', '      containers:');
  for (let i = 0; i < n; i++) lines.push(`        - name: c${i}`, `          image: nginx:1.${i}`);
  return `${lines.join('\n')}\n`;
}

function list(n) {
  const lines = ['apiVersion: v1', 'kind: List', 'items:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      `    metadata: {name: d${i}}`,
      '    spec:',
      '      template:',
      '        spec:',
      '          containers: [{name: c, image: nginx}]',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One 1 MiB string aliased 1,024 times: 2 MB of text that expands to a gigabyte. */
function aliases() {
  const big = 'x'.repeat(MiB);
  const refs = Array(1024).fill('*a').join(',');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  big: &a "${big}"\n  list: [${refs}]\n`;
}

/** A ConfigMap whose one field is a flow list of 10 MB. */
function flowList() {
  const items = [];
  let size = 0;
  for (let i = 0; size < 10 * MiB; i++) {
    const item = `item-${i}`;
    items.push(item);
    size += item.length + 2;
  }
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flow}\ndata: {}\nbinaryData: {}\nitems: [${items.join(', ')}]\n`;
}

function deployments(n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: d${i}}}\n  template:\n    metadata: {labels: {app: d${i}}}\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/d${i}:latest\n`,
    );
  }
  return docs.join('---\n');
}

const CASES = [
  { name: '10,000-container Deployment', file: () => containers(10_000), target: { seconds: 1 } },
  { name: '4,000-item List', file: () => list(4000), target: { seconds: 1 } },
  { name: '2 MB alias file (1 MiB string aliased 1,024 times)', file: aliases, target: { peakMiB: 512 } },
  { name: '10 MB flow list', file: flowList, target: {} },
  { name: '20,000 Deployments in one file', file: () => deployments(20_000), target: { peakMiB: 512 } },
  { name: '50,000-object fleet (2,500 files)', fleet: 50_000, target: { peakMiB: 384 } },
];

export async function run() {
  const rows = [];
  const only = process.env.BENCH_CASES?.split(',').map(Number);
  for (const [i, c] of CASES.entries()) {
    if (only && !only.includes(i + 1)) continue;
    let dir;
    let args;
    if (c.fleet) {
      dir = generate(c.fleet);
      args = ['.'];
    } else {
      dir = mkdtempSync(path.join(tmpdir(), 'shipshape-pathological-'));
      const text = c.file();
      writeFileSync(path.join(dir, 'input.yaml'), text);
      args = ['input.yaml'];
    }
    // The baseline (if any) and this build turn about, run by run, in alternating order.
    const builds = BASELINE
      ? [
          { cli: BASELINE, label: ' [baseline]' },
          { cli: CLI, label: '' },
        ]
      : [{ cli: CLI, label: '' }];
    const samples = builds.map(() => []);
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? [...builds.keys()] : [...builds.keys()].reverse();
      for (const b of order) {
        const m = await measureNode([builds[b].cli, 'check', ...args], { cwd: dir });
        if (![0, 1, 2].includes(m.code))
          throw new Error(`${c.name}: exit ${m.code}: ${m.stderr.slice(0, 500)}`);
        if (/shipshape check: /.test(m.stderr))
          throw new Error(`${c.name}: aborted: ${m.stderr.slice(0, 500)}`);
        samples[b].push(m);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    for (const [b, build] of builds.entries()) {
      const row = {
        case: c.name,
        build: path.relative(root, build.cli),
        exit: samples[b][0].code,
        seconds: median(samples[b].map((s) => s.seconds)),
        fastest: Math.min(...samples[b].map((s) => s.seconds)),
        cpuSeconds: median(samples[b].map((s) => s.cpuSeconds)),
        peakMiB: Math.max(...samples[b].map((s) => s.peakMiB)),
        target: c.target,
      };
      rows.push(row);
      console.log(
        `${c.name}${build.label}: exit ${row.exit}, ${row.seconds.toFixed(2)} s median (fastest ${row.fastest.toFixed(2)} s), CPU ${row.cpuSeconds.toFixed(2)} s, peak ${row.peakMiB.toFixed(0)} MiB`,
      );
    }
  }
  return {
    machine: machine(),
    date: new Date().toISOString().slice(0, 10),
    cli: path.relative(root, CLI),
    rows,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  console.log(JSON.stringify(result, null, 2));
}
