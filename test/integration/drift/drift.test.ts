// The drift job against a real control plane: objects deployed with `helm install` and
// `kubectl apply`, then changed the ways people change production by hand. The report must name
// each change, its path, its manager and time, and say nothing about the objects nobody touched.
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import { loadConfig } from '../../../src/config/index.js';
import type { DriftItem, DriftReport } from '../../../src/drift/types.js';
import { type DriftResult, runDriftJob } from '../../../src/jobs/drift.js';
import { useCluster } from '../support/cluster.js';

const cluster = useCluster();
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const FOREIGN = `sha256:${'b'.repeat(64)}`;
const PINNED = `sha256:${'a'.repeat(64)}`;

let startedAt: string;
let result: DriftResult;
let report: DriftReport;

/** The drift items of one object, as `type path` strings. */
function itemsOf(kind: string, name: string): DriftItem[] {
  return report.drift.filter((d) => d.object.kind === kind && d.object.name === name);
}

function one(kind: string, name: string, path: string): DriftItem {
  const found = itemsOf(kind, name).filter((d) => d.path === path);
  expect(found, `${kind}/${name} ${path} in ${JSON.stringify(report.drift, null, 1)}`).toHaveLength(1);
  return found[0];
}

function expectRecent(time: string | null) {
  expect(time).not.toBeNull();
  // managedFields times are whole seconds.
  expect(Date.parse(time!)).toBeGreaterThanOrEqual(Math.floor(Date.parse(startedAt) / 1000) * 1000);
}

beforeAll(async () => {
  const c = cluster();
  startedAt = new Date().toISOString();
  const k = (args: string[], input?: string) => c.kubectl(args, { check: true, input });
  await k(['create', 'namespace', 'shop']);
  // No controller manager here: the namespace's default service account (which pods need) is ours to make.
  await k(['create', 'serviceaccount', 'default', '-n', 'shop']);
  await k(['apply', '-f', fixture('crd.yaml')]);
  await k(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);

  // Git's side, a repository of its own: a Helm release and plain manifests.
  cpSync(fixture('chart'), join(c.dir, 'chart'), { recursive: true });
  cpSync(fixture('plain'), join(c.dir, 'plain'), { recursive: true });
  await c.helm(['install', 'web', join(c.dir, 'chart'), '-n', 'shop'], { check: true });
  // What Git declares, as the config names it: the chart as a Helm target, rendered by shipshape
  // with `helm template`, and the plain folder.
  writeFileSync(
    join(c.dir, '.shipshape.yaml'),
    [
      'targets:',
      '  - chart: chart',
      '    releaseName: web',
      '    namespace: shop',
      '  - plain: [plain]',
      '',
    ].join('\n'),
  );
  await k(['apply', '-f', join(c.dir, 'plain')]);

  // A pod the Deployment's image pins by digest, whose node reports another digest. There is no
  // kubelet: the status is written through the status subresource the way a kubelet would.
  await k(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'checkout-7d4b9-x2x5q', namespace: 'shop', labels: { app: 'checkout' } },
      spec: { containers: [{ name: 'app', image: `registry.example.com/shop/checkout:v1.2.2@${PINNED}` }] },
    }),
  );
  const status = {
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 0,
          image: `registry.example.com/shop/checkout:v1.2.2@${PINNED}`,
          imageID: `registry.example.com/shop/checkout@${FOREIGN}`,
          state: { running: { startedAt: '2026-11-21T03:00:00Z' } },
        },
      ],
    },
  };
  await k([
    'patch',
    'pod/checkout-7d4b9-x2x5q',
    '-n',
    'shop',
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify(status),
  ]);

  // The changes people make by hand.
  await c.kubectl(['edit', 'deployment/checkout', '-n', 'shop'], {
    env: { EDITOR: `${process.execPath} ${fixture('editor.mjs')}` },
    check: true,
  });
  await k([
    'set',
    'image',
    'deployment/web',
    'web=registry.example.com/shop/web:1.0.0-debug-DONT-PUSH',
    '-n',
    'shop',
  ]);
  await k(['scale', 'deployment/checkout', '--replicas=5', '-n', 'shop']);
  await k([
    'patch',
    'configmap/web-config',
    '-n',
    'shop',
    '--type=merge',
    '-p',
    '{"data":{"LOG_LEVEL":"debug"}}',
  ]);
  await k(['patch', 'cronjob/nightly', '-n', 'shop', '--type=merge', '-p', '{"spec":{"suspend":true}}']);
  await k([
    'patch',
    'secret/checkout-db',
    '-n',
    'shop',
    '--type=merge',
    '-p',
    '{"stringData":{"password":"typed-at-3am"}}',
  ]);
  await k(['label', 'service/checkout', '-n', 'shop', 'oncall=night']);
  await k(['delete', 'configmap/checkout-extra', '-n', 'shop']);
  await k([
    'debug',
    'pod/checkout-7d4b9-x2x5q',
    '-n',
    'shop',
    '--image=busybox:1.36',
    '--container=debugger',
  ]);

  const { config, errors } = await loadConfig({ cwd: c.dir });
  expect(errors).toEqual([]);
  result = await runDriftJob({ paths: [], cwd: c.dir, config, kubeconfig: c.kubeconfig, namespace: 'shop' });
  report = result.report;
}, 180_000);

describe('drift against a live cluster', () => {
  it('reads the cluster without errors', () => {
    expect(result.fatal).toBeUndefined();
    expect(report.errors).toEqual([]);
    expect(report.coverage?.status).toBe('complete');
    expect(result.stats.compared).toBeGreaterThanOrEqual(10);
  });

  it('kubectl edit: an env var added and a limit changed, by kubectl-edit, with the time', () => {
    const env = one('Deployment', 'checkout', 'spec.template.spec.containers[name=app].env[name=DEBUG]');
    expect(env).toMatchObject({ type: 'added', desired: null, live: { name: 'DEBUG', value: 'true' } });
    expect(env).toMatchObject({ manager: 'kubectl-edit', operation: 'Update', subresource: null });
    expectRecent(env.time);
    const limit = one(
      'Deployment',
      'checkout',
      'spec.template.spec.containers[name=app].resources.limits.memory',
    );
    expect(limit).toMatchObject({
      type: 'changed',
      desired: '256Mi',
      live: '512Mi',
      manager: 'kubectl-edit',
    });
    expectRecent(limit.time);
  });

  it('kubectl scale: replicas changed through the scale subresource', () => {
    // The API server records no time for writes through /scale: the report says so rather than guess.
    expect(one('Deployment', 'checkout', 'spec.replicas')).toMatchObject({
      type: 'changed',
      desired: 2,
      live: 5,
      manager: 'kubectl',
      operation: 'Update',
      subresource: 'scale',
    });
  });

  it('kubectl set image on a Helm release: the debug tag, by kubectl-set', () => {
    const image = one('Deployment', 'web', 'spec.template.spec.containers[name=web].image');
    expect(image).toMatchObject({
      type: 'changed',
      desired: 'registry.example.com/shop/web:1.0.0',
      live: 'registry.example.com/shop/web:1.0.0-debug-DONT-PUSH',
      manager: 'kubectl-set',
    });
    expectRecent(image.time);
    expect(report.images).toContainEqual(
      expect.objectContaining({
        kind: 'debug-tag',
        container: 'web',
        manager: 'kubectl-set',
        object: expect.objectContaining({ name: 'web' }),
      }),
    );
  });

  it('kubectl patch: a changed value and an added field', () => {
    expect(one('ConfigMap', 'web-config', 'data.LOG_LEVEL')).toMatchObject({
      type: 'changed',
      desired: 'info',
      live: 'debug',
      manager: 'kubectl-patch',
    });
    expect(one('CronJob', 'nightly', 'spec.suspend')).toMatchObject({
      type: 'added',
      live: true,
      manager: 'kubectl-patch',
    });
  });

  it('a patched Secret shows as changed with sizes, never with content', () => {
    expect(one('Secret', 'checkout-db', 'data.password')).toMatchObject({
      type: 'changed',
      desired: '<secret: 16 bytes>',
      live: '<secret: 12 bytes>',
      manager: 'kubectl-patch',
    });
    expect(JSON.stringify(report)).not.toMatch(/hunter2|typed-at-3am|aHVudGVy|dHlwZWQ/);
  });

  it('kubectl label: an added label, by kubectl-label', () => {
    const label = one('Service', 'checkout', 'metadata.labels.oncall');
    expect(label).toMatchObject({ type: 'added', live: 'night', manager: 'kubectl-label' });
    expectRecent(label.time);
  });

  it('a deleted object is missing', () => {
    expect(report.missing).toEqual([
      {
        object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'checkout-extra' },
        source: expect.stringMatching(/^plain\/checkout\.yaml:\d+$/),
      },
    ]);
  });

  it('a pod running a digest other than the one Git pins', () => {
    expect(report.images).toContainEqual(
      expect.objectContaining({
        kind: 'foreign-digest',
        object: expect.objectContaining({ kind: 'Pod', name: 'checkout-7d4b9-x2x5q' }),
        desiredDigest: PINNED,
        liveDigests: [FOREIGN],
      }),
    );
  });

  it('kubectl debug: an ephemeral debug container, with who added it', () => {
    const debug = report.images.find((i) => i.kind === 'ephemeral-container');
    expect(debug).toMatchObject({
      object: { kind: 'Pod', name: 'checkout-7d4b9-x2x5q' },
      container: 'debugger',
      image: 'busybox:1.36',
    });
    expect(debug?.manager).toMatch(/^kubectl/);
    expectRecent(debug?.time ?? null);
  });

  it('reports nothing else: untouched objects (defaults, quantities, CRDs, Services, PDBs) show no drift', () => {
    const seen = report.drift.map((d) => `${d.object.kind}/${d.object.name} ${d.type} ${d.path}`).sort();
    expect(seen).toEqual(
      [
        'ConfigMap/web-config changed data.LOG_LEVEL',
        'CronJob/nightly added spec.suspend',
        'Deployment/checkout added spec.template.spec.containers[name=app].env[name=DEBUG]',
        'Deployment/checkout changed spec.replicas',
        'Deployment/checkout changed spec.template.spec.containers[name=app].resources.limits.memory',
        'Deployment/web changed spec.template.spec.containers[name=web].image',
        'Secret/checkout-db changed data.password',
        'Service/checkout added metadata.labels.oncall',
      ].sort(),
    );
  });

  it('with the server-side dry run: the same drift, and nothing written to the cluster', async () => {
    const c = cluster();
    const { config } = await loadConfig({ cwd: c.dir });
    const before = (
      await c.kubectl(['get', 'configmap/web-config', '-n', 'shop', '-o', 'json'], { check: true })
    ).stdout;
    const dry = await runDriftJob({
      paths: [],
      cwd: c.dir,
      config,
      kubeconfig: c.kubeconfig,
      namespace: 'shop',
      serverSideDryRun: true,
    });
    expect(dry.report.errors).toEqual([]);
    const key = (d: DriftItem) => `${d.object.kind}/${d.object.name} ${d.type} ${d.path} ${d.manager}`;
    expect(dry.report.drift.map(key).sort()).toEqual(report.drift.map(key).sort());
    const after = (
      await c.kubectl(['get', 'configmap/web-config', '-n', 'shop', '-o', 'json'], { check: true })
    ).stdout;
    expect(JSON.parse(after).metadata.resourceVersion).toBe(JSON.parse(before).metadata.resourceVersion);
    expect(after).not.toContain('shipshape-dry-run');
  });

  it('the CLI prints the JSON contract and exits 1 on drift', async () => {
    const c = cluster();
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      stdoutIsTTY: false,
      env: {},
      cwd: c.dir,
      writeFile: async () => {},
    };
    const code = await runCli(['drift', '--kubeconfig', c.kubeconfig, '-n', 'shop', '--format', 'json'], io);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['version', 'drift', 'missing', 'images', 'errors', 'coverage']);
    expect(Object.keys(json.drift[0])).toEqual([
      'object',
      'type',
      'path',
      'desired',
      'live',
      'manager',
      'operation',
      'subresource',
      'time',
      'source',
    ]);
    expect(json.coverage).toEqual({ status: 'complete', notCompared: [], lists: 'openapi-v3' });
    expect(json.drift).toHaveLength(8);
  });

  it('the text report names change, path, manager and time, and says managers are not people', async () => {
    const c = cluster();
    let stdout = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: () => {} },
      stdoutIsTTY: false,
      env: {},
      cwd: c.dir,
      writeFile: async () => {},
    };
    await runCli(['drift', '--kubeconfig', c.kubeconfig, '-n', 'shop'], io);
    expect(stdout).toContain('Deployment shop/checkout');
    expect(stdout).toMatch(
      /changed\s+spec\.template\.spec\.containers\[name=app\]\.resources\.limits\.memory/,
    );
    expect(stdout).toMatch(/by manager kubectl-edit \(Update\) at 20\d\d-/);
    expect(stdout).toContain('not a person');
    expect(stdout).not.toContain('typed-at-3am');
  });
});
