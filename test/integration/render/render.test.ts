import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import { loadSources } from '../../../src/jobs/render.js';
import { Containment } from '../../../src/render/contain.js';
import { discoverTargets } from '../../../src/render/discover.js';
import { which } from '../../../src/render/exec.js';
import { renderTarget, renderTargets, resolveTools, type Target } from '../../../src/render/index.js';
import { helmChartProblems, helmChartsOf } from '../../../src/render/kustomize-helm.js';

/** Real helm and kustomize on the charts and overlays under test/fixtures. */

const root = path.resolve(import.meta.dirname, '../../..');
const charts = 'test/fixtures/charts';
const shop = 'test/fixtures/kustomize/shop';
const helm = (chart: string, valuesFiles: string[] = []): Target => ({
  kind: 'helm',
  chart: `${charts}/${chart}`,
  releaseName: 'r',
  namespace: 'default',
  valuesFiles,
  set: {},
  apiVersions: [],
});

function fakeIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdoutIsTTY: false,
    env: {},
    cwd,
    writeFile: async () => undefined,
    out: () => out,
    err: () => err,
  };
}

const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

describe('discovery', () => {
  it('makes a chart’s default values a target, one more per values-<env>.yaml, and only the roots of a kustomize tree', async () => {
    const { targets, errors } = await discoverTargets([`${charts}/webapp`, shop], { cwd: root });
    expect(errors).toEqual([]);
    expect(targets).toEqual([
      expect.objectContaining({ kind: 'helm', chart: `${charts}/webapp`, valuesFiles: [] }),
      expect.objectContaining({
        kind: 'helm',
        chart: `${charts}/webapp`,
        valuesFiles: [`${charts}/webapp/values-dev.yaml`],
      }),
      expect.objectContaining({
        kind: 'helm',
        chart: `${charts}/webapp`,
        valuesFiles: [`${charts}/webapp/values-prod.yaml`],
      }),
      { kind: 'kustomize', dir: `${shop}/overlays/prod` },
      { kind: 'kustomize', dir: `${shop}/overlays/staging` },
    ]);
  });

  it('leaves chart-testing values files out: the default values stay the target', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-ct-'));
    temps.push(dir);
    const write = async (f: string, text: string) => {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    };
    await write('chart/Chart.yaml', 'apiVersion: v2\nname: chart\nversion: 0.1.0\n');
    await write('chart/values.yaml', 'replicaCount: 1\n');
    await write('chart/values.test.yaml', 'replicaCount: 9\n');
    await write('chart/values-ci.yaml', 'replicaCount: 9\n');
    await write('chart/ci/default-values.yaml', 'replicaCount: 9\n');
    await write('chart/values-prod.yaml', 'replicaCount: 3\n');
    const { targets } = await discoverTargets(['.'], { cwd: dir });
    expect(targets.map((t) => (t.kind === 'helm' ? t.valuesFiles : t))).toEqual([
      [],
      ['chart/values-prod.yaml'],
    ]);
  });

  it('never makes a Kustomize Component a target, and every file a kustomization reaches belongs to it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-comp-'));
    temps.push(dir);
    const write = async (f: string, text: string) => {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    };
    const deploy =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: app\n          image: example/web:1.0\n';
    await write('app/base/deploy.yaml', deploy);
    await write(
      'app/patches/replicas.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
    );
    await write(
      'app/kustomization.yaml',
      'resources: [base/deploy.yaml]\nreplicas: [{name: web, count: 3}]\npatches: [{path: patches/replicas.yaml}]\n',
    );
    // A component nobody lists, and one an overlay lists.
    await write(
      'components/unused/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: [{path: patch.yaml}]\n',
    );
    await write(
      'components/unused/patch.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nothing-here\n',
    );
    await write(
      'components/used/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels: [{pairs: {tier: web}}]\n',
    );
    await write('overlay/kustomization.yaml', 'resources: [../app]\ncomponents: [../components/used]\n');
    await write('loose/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: loose\n');
    const { targets, errors } = await discoverTargets(['.'], { cwd: dir });
    expect(errors).toEqual([]);
    expect(targets).toEqual([
      { kind: 'kustomize', dir: 'overlay' },
      { kind: 'plain', paths: ['loose/cm.yaml'] },
    ]);
    // Built as the overlay builds it: the replicas field wins, once.
    const [result] = await renderTargets([targets[0]], { cwd: dir });
    expect(result.errors.filter((e) => e.level === 'error')).toEqual([]);
    expect(result.manifests.map((m) => [m.ref.kind, m.object.spec])).toEqual([
      ['Deployment', expect.objectContaining({ replicas: 3 })],
    ]);
  });

  it('skips library charts, which render nothing by themselves', async () => {
    const { targets } = await discoverTargets(['test/mapping-corpus/charts'], { cwd: root });
    const chartsFound = [...new Set(targets.map((t) => (t.kind === 'helm' ? t.chart : '')))];
    expect(chartsFound.sort()).toEqual([
      'test/mapping-corpus/charts/api',
      'test/mapping-corpus/charts/edge',
      'test/mapping-corpus/charts/fleet',
      'test/mapping-corpus/charts/shop',
      'test/mapping-corpus/charts/worker',
    ]);
  });

  it('never treats chart templates or a kustomization’s resources as plain manifests', async () => {
    const { targets } = await discoverTargets(['test/fixtures'], { cwd: root });
    const plain = targets
      .filter((t) => t.kind === 'plain')
      .flatMap((t) => (t.kind === 'plain' ? t.paths : []));
    expect(plain.filter((p) => p.includes('/templates/') || p.startsWith(shop))).toEqual([]);
  });
});

describe('rendering', () => {
  it('reports the tool versions', async () => {
    const tools = await resolveTools();
    expect(tools.versions.helm).toMatch(/^helm v3\./);
    expect(tools.versions.kustomize).toMatch(/kustomize/);
  });

  it('turns a failing template into an error on the line Helm names, and the other targets go on', async () => {
    const [broken, good] = await renderTargets(
      [helm('broken'), helm('webapp', [`${charts}/webapp/values-prod.yaml`])],
      {
        cwd: root,
      },
    );
    expect(broken.manifests).toEqual([]);
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0].location).toEqual({
      file: `${charts}/broken/templates/configmap.yaml`,
      line: 8,
      column: 21,
    });
    expect(broken.errors[0].message).toMatch(/nil pointer|can't evaluate|confg/);
    expect(good.errors).toEqual([]);
    expect(good.manifests.map((m) => `${m.ref.kind}/${m.ref.name}`)).toContain('Deployment/r-webapp');
  });

  it('without helm on PATH, each target of a chart is an error that names it, values file and all', async () => {
    const saved = process.env.PATH;
    process.env.PATH = await mkdtemp(path.join(os.tmpdir(), 'shipshape-empty-path-'));
    try {
      const results = await renderTargets(
        [helm('webapp'), helm('webapp', [`${charts}/webapp/values-prod.yaml`])],
        { cwd: root },
      );
      expect(results.map((r) => r.errors.map((e) => e.message))).toEqual([
        [expect.stringMatching(new RegExp(`^${charts}/webapp: helm is not installed`))],
        [
          expect.stringMatching(
            new RegExp(`^${charts}/webapp \\(values-prod\\.yaml\\): helm is not installed`),
          ),
        ],
      ]);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('vendors a missing file:// dependency in a temporary copy and leaves the chart folder untouched', async () => {
    const before = await readdir(path.join(root, charts, 'localdep'));
    const result = await renderTarget(helm('localdep'), { cwd: root });
    expect(result.errors).toEqual([]);
    expect(result.manifests.map((m) => `${m.ref.kind}/${m.ref.name}`).sort()).toEqual([
      'ConfigMap/r-common',
      'Service/api',
    ]);
    expect(await readdir(path.join(root, charts, 'localdep'))).toEqual(before);
    // The dependency's objects map into its own folder, where it is edited.
    const cm = result.manifests.find((m) => m.ref.kind === 'ConfigMap')!;
    expect(cm.locateSource!(['data', 'port'])).toMatchObject({
      file: `${charts}/common/values.yaml`,
      line: 1,
    });
    expect(cm.locateSource!(['kind'])).toMatchObject({
      file: `${charts}/common/templates/configmap.yaml`,
      line: 2,
    });
  });

  it('reports a remote dependency that is not vendored, on its Chart.yaml line, without waiting on a network', async () => {
    const started = Date.now();
    const result = await renderTarget(helm('remotedep'), { cwd: root });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.errors).toEqual([
      expect.objectContaining({
        level: 'error',
        location: { file: `${charts}/remotedep/Chart.yaml`, line: 5, column: 5 },
        message: expect.stringMatching(/postgresql.*https:\/\/charts\.bitnami\.com.*not vendored/),
      }),
    ]);
  });

  it('strips Kustomize build annotations and leaves the overlay untouched', async () => {
    const kfile = path.join(root, shop, 'overlays/prod/kustomization.yaml');
    const before = await readFile(kfile, 'utf8');
    const result = await renderTarget({ kind: 'kustomize', dir: `${shop}/overlays/prod` }, { cwd: root });
    expect(result.errors).toEqual([]);
    expect(result.rendered).not.toContain('config.kubernetes.io/origin');
    expect(result.rendered).not.toContain('alpha.config.kubernetes.io/transformations');
    for (const m of result.manifests) expect(JSON.stringify(m.object)).not.toContain('config.kubernetes.io');
    expect(await readFile(kfile, 'utf8')).toBe(before);
  });

  it('falls back to `kubectl kustomize` when kustomize is not installed', async () => {
    const bin = await mkdtemp(path.join(os.tmpdir(), 'shipshape-bin-'));
    temps.push(bin);
    const kubectl = await which('kubectl');
    expect(kubectl, 'kubectl on PATH').toBeDefined();
    await symlink(kubectl!, path.join(bin, 'kubectl'));
    const saved = process.env.PATH;
    process.env.PATH = bin;
    try {
      const tools = await resolveTools();
      expect(tools.kustomize).toEqual([path.join(bin, 'kubectl'), 'kustomize']);
      expect(tools.versions.kustomize).toMatch(/^kubectl kustomize \(v5\./);
      const result = await renderTarget({ kind: 'kustomize', dir: `${shop}/overlays/prod` }, { cwd: root });
      expect(result.errors).toEqual([]);
      expect(result.tool).toBe(tools.versions.kustomize);
      const dep = result.manifests.find((m) => m.ref.kind === 'Deployment')!;
      expect(dep.locateSource!(['spec', 'replicas'])).toMatchObject({
        file: `${shop}/overlays/prod/kustomization.yaml`,
      });
    } finally {
      process.env.PATH = saved;
    }
  });

  it('reports a remote kustomize resource on its line instead of hanging', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-remote-'));
    temps.push(dir);
    await cp(path.join(root, shop), dir, { recursive: true });
    const kfile = path.join(dir, 'overlays/prod/kustomization.yaml');
    const text = await readFile(kfile, 'utf8');
    await (await import('node:fs/promises')).writeFile(
      kfile,
      text.replace('  - ../../base\n', '  - ../../base\n  - https://github.com/example/infra//base?ref=v1\n'),
    );
    const result = await renderTarget({ kind: 'kustomize', dir: 'overlays/prod' }, { cwd: dir });
    expect(result.errors[0]).toMatchObject({
      level: 'error',
      location: { file: 'overlays/prod/kustomization.yaml', line: 3 },
      message: expect.stringContaining('https://github.com/example/infra//base?ref=v1'),
    });
  });
});

describe('a file a kustomization lists that is not there (a generated manifest.yaml)', () => {
  it('says which file is missing and which build, on the line that lists it, not kustomize’s chain', async () => {
    // The layout of a public ingress controller's manifest templates: providers build on a common
    // base whose manifest.yaml a script generates and the repository does not hold.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-missing-'));
    temps.push(dir);
    await mkdir(path.join(dir, 'templates/common'), { recursive: true });
    await mkdir(path.join(dir, 'templates/provider/aws/nlb'), { recursive: true });
    await writeFile(
      path.join(dir, 'templates/common/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- manifest.yaml\n- namespace.yaml\n',
    );
    await writeFile(
      path.join(dir, 'templates/common/namespace.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: ingress}\n',
    );
    await writeFile(
      path.join(dir, 'templates/provider/aws/kustomization.yaml'),
      'resources:\n- ../../common\n',
    );
    await writeFile(
      path.join(dir, 'templates/provider/aws/nlb/kustomization.yaml'),
      'resources:\n- ../../../common\n',
    );
    for (const overlay of ['templates/provider/aws', 'templates/provider/aws/nlb']) {
      const result = await renderTarget({ kind: 'kustomize', dir: overlay }, { cwd: dir });
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({
        level: 'error',
        location: { file: 'templates/common/kustomization.yaml', line: 4 },
        message: `kustomize: templates/common/manifest.yaml does not exist (building ${overlay}; a kustomization it reaches lists it)`,
      });
    }
  });
});

describe('shipshape render', () => {
  it('prints what a chart folder renders to, one target per values file', async () => {
    const io = fakeIo(root);
    const code = await runCli(['render', `${charts}/webapp`], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toContain(`# target: ${charts}/webapp (values-dev.yaml) (helm v3.`);
    expect(io.out()).toContain('image: ghcr.io/example/webapp:2.4.1-debug');
    // Objects print as the tool printed them (quotes and all), unless something in them is redacted.
    expect(io.out()).toContain('image: "ghcr.io/example/webapp:latest"');
    expect(io.out()).toContain(`# source: ${charts}/webapp/templates/deployment.yaml:1`);
    // values-prod.yaml sets DB_PASSWORD: printed as its size only.
    expect(io.out()).not.toContain('hunter2');
    expect(io.out()).toContain('value: "<secret: 7 bytes>"');
  });

  it('lists where each field is edited with --format sources', async () => {
    const io = fakeIo(root);
    await runCli(['render', `${shop}/overlays/prod`, '--format', 'sources'], io);
    expect(io.out()).toContain(
      `spec.template.spec.containers[name=app].image  ->  ${shop}/overlays/prod/kustomization.yaml:8:5`,
    );
    expect(io.out()).toContain(
      `metadata.labels["app.kubernetes.io/part-of"]  ->  ${shop}/base/kustomization.yaml:6:7`,
    );
  });

  it('checks its own source map with --verify: every field mapped to a values line finds its value there', async () => {
    const io = fakeIo(root);
    const code = await runCli(
      [
        'render',
        'test/mapping-corpus/charts/edge',
        `${shop}/overlays/prod`,
        '--format',
        'sources',
        '--verify',
      ],
      io,
    );
    expect(io.err()).toMatch(/^verify: \d+ mapped fields checked, 0 mismatches$/m);
    expect(Number(/verify: (\d+)/.exec(io.err())?.[1])).toBeGreaterThan(50);
    expect(code).toBe(0);
  });

  it('exits 2 and names the file and line when a chart fails, still printing the others', async () => {
    const io = fakeIo(root);
    const code = await runCli(['render', `${charts}/broken`, `${charts}/secrets`], io);
    expect(code).toBe(2);
    expect(io.err()).toContain(`${charts}/broken/templates/configmap.yaml:8:21: error:`);
    expect(io.out()).toContain('kind: Secret');
    expect(io.out()).not.toContain('s3cr3t-from-values');
    expect(io.out()).toContain('password: "<secret: 18 bytes>"');
  });
});

describe('shipshape check on charts and overlays', () => {
  it('renders a chart folder before the rules and reports findings on the line a human edits', async () => {
    const io = fakeIo(root);
    await runCli(['check', `${charts}/webapp`, '--format', 'json'], io);
    const report = JSON.parse(io.out()) as {
      findings: {
        ruleId: string;
        location: { file: string; line: number };
        renderedLocation?: unknown;
        object: { name: string };
      }[];
    };
    expect(report.findings.length).toBeGreaterThan(0);
    // dev and prod are checked apart; what both get wrong on the same line is reported once.
    const keys = report.findings.map(
      (f) => `${f.ruleId} ${f.object.name} ${f.location.file}:${f.location.line}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of report.findings) {
      expect(f.location.file.startsWith(`${charts}/webapp/`)).toBe(true);
      expect(f.renderedLocation).toBeDefined();
    }
    // Something flags the `latest` tag of the dev values: it lands on that values line.
    const latest = report.findings.filter((f) => f.location.file.endsWith('values-dev.yaml'));
    expect(latest.map((f) => f.location.line)).toContain(2);
  });

  it('checks an overlay folder, and loads the config’s targets: when given no path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-targets-'));
    temps.push(dir);
    await cp(path.join(root, shop), path.join(dir, 'deploy'), { recursive: true });
    const io = fakeIo(dir);
    await runCli(['check', 'deploy/overlays/prod', '--format', 'json'], io);
    const report = JSON.parse(io.out()) as { findings: { location: { file: string } }[] };
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.location.file.startsWith('deploy/'))).toBe(true);

    const loaded = await loadSources([], {
      cwd: dir,
      configTargets: [{ kind: 'kustomize', dir: 'overlays/prod' }],
      configDir: 'deploy',
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.files).toEqual(['deploy/overlays/prod']);
    expect(loaded.manifests.map((m) => m.ref.name).sort()).toEqual(['prod-checkout', 'prod-checkout']);
    // The config's folder as loadConfig gives it (absolute): names still come out relative.
    const again = await loadSources([], {
      cwd: dir,
      configTargets: [{ kind: 'kustomize', dir: 'overlays/prod' }],
      configDir: path.join(dir, 'deploy'),
    });
    expect(again.files).toEqual(['deploy/overlays/prod']);
  });
});

describe('run from inside the chart folder', () => {
  it('maps into _helpers.tpl and the values files with the chart as the working directory', async () => {
    const cwd = path.join(root, charts, 'webapp');
    const [, target] = (await discoverTargets(['.'], { cwd })).targets;
    expect(target).toMatchObject({ kind: 'helm', chart: '.', valuesFiles: ['values-dev.yaml'] });
    const result = await renderTarget(target, { cwd });
    expect(result.errors).toEqual([]);
    const dep = result.manifests.find((m) => m.ref.kind === 'Deployment')!;
    expect(dep.locateSource!(['metadata', 'labels', 'app.kubernetes.io/managed-by'])).toMatchObject({
      file: 'templates/_helpers.tpl',
      line: 21,
    });
    expect(dep.locateSource!(['spec', 'template', 'spec', 'containers', 0, 'image'])).toMatchObject({
      file: 'values-dev.yaml',
      line: 2,
    });
  });
});

describe('exclude', () => {
  it('leaves out rendered objects by the file they come from', async () => {
    const loaded = await loadSources([`${charts}/webapp`], {
      cwd: root,
      exclude: ['**/webapp/templates/service.yaml'],
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.groups).toHaveLength(3);
    const kinds = loaded.manifests.map((m) => m.ref.kind);
    expect(kinds).toContain('Deployment');
    expect(kinds).not.toContain('Service');
  });
});

describe('a chart made by `helm create`', () => {
  it('maps the scaffold’s values-driven fields exactly and every field to a line that exists', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-create-'));
    temps.push(dir);
    const tools = await resolveTools();
    execFileSync(tools.helm!, ['create', 'demo'], { cwd: dir });
    const prod = 'replicaCount: 3\nimage:\n  tag: "1.2.3"\nresources:\n  limits:\n    memory: 256Mi\n';
    await (await import('node:fs/promises')).writeFile(path.join(dir, 'demo/values-prod.yaml'), prod);
    const [, target] = (await discoverTargets(['demo'], { cwd: dir })).targets;
    const result = await renderTarget(target, { cwd: dir });
    expect(result.errors).toEqual([]);
    const dep = result.manifests.find((m) => m.ref.kind === 'Deployment')!;
    const C = ['spec', 'template', 'spec', 'containers', 0];
    const text = async (f: string) => (await readFile(path.join(dir, f), 'utf8')).split('\n');
    const lineOf = async (f: string, needle: string, nth = 1) => {
      let seen = 0;
      return (await text(f)).findIndex((l) => l.includes(needle) && ++seen === nth) + 1;
    };
    const at = (segs: (string | number)[]) => {
      const loc = dep.locateSource!(segs);
      return [loc.file, loc.line];
    };
    expect(at(['spec', 'replicas'])).toEqual(['demo/values-prod.yaml', 1]);
    expect(at([...C, 'image'])).toEqual(['demo/values-prod.yaml', 3]);
    expect(at([...C, 'resources', 'limits', 'memory'])).toEqual(['demo/values-prod.yaml', 6]);
    expect(at([...C, 'ports', 0, 'containerPort'])).toEqual([
      'demo/values.yaml',
      await lineOf('demo/values.yaml', '  port: 80'),
    ]);
    expect(at([...C, 'livenessProbe', 'httpGet', 'path'])).toEqual([
      'demo/values.yaml',
      (await lineOf('demo/values.yaml', 'livenessProbe:')) + 2,
    ]);
    expect(at([...C, 'imagePullPolicy'])).toEqual([
      'demo/values.yaml',
      await lineOf('demo/values.yaml', 'pullPolicy:'),
    ]);
    expect(at(['metadata', 'labels', 'app.kubernetes.io/name'])).toEqual([
      'demo/templates/_helpers.tpl',
      await lineOf('demo/templates/_helpers.tpl', 'app.kubernetes.io/name:'),
    ]);
    // Absent: the template line of the nearest parent (the container's `- name:` line).
    expect(at([...C, 'startupProbe'])).toEqual([
      'demo/templates/deployment.yaml',
      await lineOf('demo/templates/deployment.yaml', '- name: {{ .Chart.Name }}'),
    ]);
    for (const m of result.manifests) {
      const walk = async (value: unknown, segs: (string | number)[]): Promise<void> => {
        const loc = m.locateSource!(segs);
        const lines = await text(loc.file);
        expect(loc.line, `${m.ref.kind} ${segs.join('.')}`).toBeGreaterThanOrEqual(1);
        expect(loc.line, `${m.ref.kind} ${segs.join('.')}`).toBeLessThanOrEqual(lines.length);
        if (Array.isArray(value)) for (let i = 0; i < value.length; i++) await walk(value[i], [...segs, i]);
        else if (value && typeof value === 'object') {
          for (const [k, v] of Object.entries(value)) await walk(v, [...segs, k]);
        }
      };
      await walk(m.object, []);
    }
  });
});

describe('shipshape render with a config', () => {
  it('renders the config’s targets: when given no path, with its render: settings', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-cfg-'));
    temps.push(dir);
    await cp(path.join(root, charts, 'webapp'), path.join(dir, 'charts/web'), { recursive: true });
    const tools = await resolveTools();
    await (await import('node:fs/promises')).writeFile(
      path.join(dir, '.shipshape.yaml'),
      [
        'targets:',
        '  - chart: charts/web',
        '    values: [charts/web/values-prod.yaml]',
        '    releaseName: shop',
        '    namespace: payments',
        '    set: { replicaCount: 5 }',
        'render:',
        '  timeoutSeconds: 30',
        '',
      ].join('\n'),
    );
    const io = fakeIo(dir);
    // The program comes from the command line (or PATH), never from the config.
    expect(await runCli(['render', '--format', 'sources', '--helm', tools.helm ?? 'helm'], io)).toBe(0);
    expect(io.out()).toContain('# target: charts/web (values-prod.yaml)');
    expect(io.out()).toContain('Deployment/shop-webapp');
    // --set values have no file line: the field maps to the template line that prints it.
    expect(io.out()).toContain('spec.replicas  ->  charts/web/templates/deployment.yaml:8:3');

    // check with no path checks the same targets; objects without a namespace are in the target's.
    const checkIo = fakeIo(dir);
    await runCli(['check', '--format', 'json'], checkIo);
    expect(checkIo.err()).toBe('');
    const report = JSON.parse(checkIo.out()) as { findings: { ruleId: string; message: string }[] };
    const quota = report.findings.find((f) => f.ruleId === 'resources-namespace-quota-missing');
    expect(quota?.message).toContain('"payments"');
  });
});

describe('the Kubernetes version charts see', () => {
  it('is the real one by default, and --kube-version / --api-versions set it for render, check and diff', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-kubever-'));
    temps.push(dir);
    const files: Record<string, string> = {
      'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\nkubeVersion: ">=1.25.0-0"\n',
      'chart/values.yaml': '{}\n',
      'chart/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  version: {{ .Capabilities.KubeVersion.Version | quote }}\n  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}\n',
    };
    for (const [f, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    }
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const render = async (...args: string[]) => {
      const io = fakeIo(dir);
      const code = await runCli(['render', 'chart', ...args], io);
      return { code, out: io.out(), err: io.err() };
    };
    const plain = await render();
    expect(plain.code).toBe(0);
    // The helm scripts/tools.sh builds is stamped like the official one: not the v1.20.0 of a bare build.
    const version = /version: "v1\.(\d+)\.\d+"/.exec(plain.out);
    expect(Number(version?.[1])).toBeGreaterThanOrEqual(30);
    expect(plain.out).toContain('monitoring: "false"');

    const pinned = await render(
      '--kube-version',
      '1.31.4',
      '--api-versions',
      'monitoring.coreos.com/v1,batch/v1',
    );
    expect(pinned.code).toBe(0);
    expect(pinned.out).toContain('version: "v1.31.4"');
    expect(pinned.out).toContain('monitoring: "true"');

    const old = await render('--kube-version', '1.20.0');
    expect(old.code).toBe(2);
    expect(old.err).toMatch(
      /chart requires kubeVersion: >=1\.25\.0-0 which is incompatible with Kubernetes v1\.20\.0/,
    );

    const bad = fakeIo(dir);
    expect(await runCli(['check', 'chart', '--kube-version', 'latest'], bad)).toBe(2);
    expect(bad.err()).toContain('--kube-version must be a Kubernetes version');
    const checked = fakeIo(dir);
    await runCli(['check', 'chart', '--kube-version', '1.20.0', '--format', 'json'], checked);
    expect(checked.out()).toContain('incompatible with Kubernetes v1.20.0');

    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: dir });
    git('add', '-A');
    git('commit', '-qm', 'chart');
    await writeFile(path.join(dir, 'chart/values.yaml'), 'changed: true\n');
    const diffed = fakeIo(dir);
    await runCli(['diff', '--base', 'HEAD', '--kube-version', '1.20.0', '--format', 'json'], diffed);
    expect(diffed.out()).toContain('incompatible with Kubernetes v1.20.0');
  });
});

describe('kustomize helmCharts', () => {
  const chart = {
    'Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 0.1.0\n',
    'values.yaml': 'replicas: 1\n',
    'templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cfg\ndata:\n  replicas: {{ .Values.replicas | quote }}\n  {{- if .Values.fail }}\n  {{- fail "the cache needs a size" }}\n  {{- end }}\n',
  };
  async function overlay(kustomization: string, files: Record<string, string> = {}): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-helmcharts-'));
    temps.push(dir);
    const all: Record<string, string> = { 'o/kustomization.yaml': kustomization, ...files };
    for (const [f, t] of Object.entries(chart)) all[`o/charts/cache/${f}`] = t;
    for (const [f, text] of Object.entries(all)) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    }
    execFileSync('git', ['init', '-q'], { cwd: dir });
    return dir;
  }
  const target: Target = { kind: 'kustomize', dir: 'o' };

  it('inflates a chart from helmGlobals.chartHome with our helm, and maps its values to valuesInline', async () => {
    const dir = await overlay(
      'helmCharts:\n  - name: cache\n    releaseName: s\n    valuesInline:\n      replicas: 4\n',
    );
    const [r] = await renderTargets([target], { cwd: dir });
    expect(r.errors).toEqual([]);
    const cm = r.manifests.find((m) => m.ref.kind === 'ConfigMap')!;
    expect(cm.object).toMatchObject({ metadata: { name: 's-cfg' }, data: { replicas: '4' } });
    expect(cm.locateSource!(['data', 'replicas'])).toMatchObject({ file: 'o/kustomization.yaml', line: 5 });
  });

  it('says why a chart cannot be inflated: a repo: (no network), no helm, no chart in chartHome, helm’s own error', async () => {
    const dir = await overlay(
      'helmCharts:\n  - name: cache\n    releaseName: s\n  - name: queue\n  - name: web\n    repo: https://charts.example.com\n    version: 1.0.0\n',
    );
    const [remote] = await renderTargets([target], { cwd: dir });
    expect(remote.errors.map((e) => e.message).join('\n')).toMatch(
      /https:\/\/charts\.example\.com is a chart repository.*no network/,
    );
    const info = { file: path.join(dir, 'o/kustomization.yaml'), bases: [], remote: [], escapes: [] };
    const entries = await helmChartsOf([info]);
    const noHelm = await helmChartProblems(entries, undefined, new Containment(dir), (f) =>
      path.relative(dir, f),
    );
    expect(noHelm.map((e) => e.message)).toEqual([
      expect.stringMatching(/"cache" needs helm to inflate it, and helm is not installed/),
      expect.stringMatching(/"queue" needs helm/),
    ]);

    const local = await overlay('helmCharts:\n  - name: cache\n  - name: queue\n');
    const [missing] = await renderTargets([target], { cwd: local });
    expect(missing.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /helmCharts: "queue" has no chart at o\/charts\/queue .*vendor it there/,
        ),
        location: { file: 'o/kustomization.yaml', line: 3, column: 5 },
      }),
    ]);

    const failing = await overlay('helmCharts:\n  - name: cache\n    valuesInline:\n      fail: true\n');
    const [failed] = await renderTargets([target], { cwd: failing });
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0].message).toContain('the cache needs a size');
    expect(failed.errors[0].message).not.toMatch(/with config: `$/);
  });
});

describe('kustomize errors', () => {
  async function overlayWith(edit: (dir: string) => Promise<void>) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-kerr-'));
    temps.push(dir);
    await cp(path.join(root, shop), dir, { recursive: true });
    await edit(dir);
    return renderTarget({ kind: 'kustomize', dir: 'overlays/prod' }, { cwd: dir });
  }
  const fs = () => import('node:fs/promises');

  it('puts malformed YAML in a base resource on its file and line', async () => {
    const result = await overlayWith(async (dir) => {
      const f = path.join(dir, 'base/service.yaml');
      await (await fs()).writeFile(
        f,
        (await readFile(f, 'utf8')).replace('  selector:', '  selector:\n     bad: [1'),
      );
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].location).toMatchObject({ file: 'base/service.yaml' });
    expect(result.errors[0].location!.line).toBeGreaterThanOrEqual(6);
  });

  it('puts a missing patch file on the kustomization line that names it', async () => {
    const result = await overlayWith(async (dir) => {
      await (await fs()).rm(path.join(dir, 'overlays/prod/resources.yaml'));
    });
    expect(result.errors[0]).toMatchObject({
      level: 'error',
      location: { file: 'overlays/prod/kustomization.yaml', line: 13 },
    });
  });

  it('puts invalid kustomization YAML on its line', async () => {
    const result = await overlayWith(async (dir) => {
      const f = path.join(dir, 'overlays/prod/kustomization.yaml');
      await (await fs()).writeFile(
        f,
        (await readFile(f, 'utf8')).replace('namespace: shop', 'namespace: [shop'),
      );
    });
    expect(result.errors[0].location).toMatchObject({ file: 'overlays/prod/kustomization.yaml' });
    expect(result.errors[0].location!.line).toBeGreaterThanOrEqual(3);
  });
});

describe('kustomize warnings', () => {
  it('become notes on the line of the deprecated field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-kwarn-'));
    temps.push(dir);
    const fs = await import('node:fs/promises');
    await fs.writeFile(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    await fs.writeFile(
      path.join(dir, 'kustomization.yaml'),
      'resources:\n  - cm.yaml\ncommonLabels:\n  team: a\n',
    );
    const result = await renderTarget({ kind: 'kustomize', dir: '.' }, { cwd: dir });
    expect(result.manifests).toHaveLength(1);
    expect(result.errors).toEqual([
      expect.objectContaining({
        level: 'note',
        message: expect.stringContaining("'commonLabels' is deprecated"),
        location: { file: 'kustomization.yaml', line: 3, column: 1 },
      }),
    ]);
    // The label commonLabels adds lands on its entry.
    expect(result.manifests[0].locateSource!(['metadata', 'labels', 'team'])).toMatchObject({
      file: 'kustomization.yaml',
      line: 4,
    });
  });
});
