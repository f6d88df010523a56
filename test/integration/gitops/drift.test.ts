import { cpSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultConfig } from '../../../src/config/index.js';
import type { DriftReport } from '../../../src/drift/types.js';
import { runDriftJob } from '../../../src/jobs/drift.js';
import { runRender } from '../../../src/jobs/render.js';
import { useCluster } from '../support/cluster.js';

/**
 * Drift per app, against a real API server: an Argo CD Application is the desired state (its
 * chart rendered with its values, in its destination namespace), and a `kubectl scale` of what
 * it deployed is drift attributed to kubectl, on the Application's line that sets the value.
 */

const cluster = useCluster();
const root = path.resolve(import.meta.dirname, '../../..');
let repo: string;
let report: DriftReport;

beforeAll(async () => {
  const c = cluster();
  repo = path.join(c.dir, 'repo');
  cpSync(path.join(root, 'examples/gitops/argocd'), repo, { recursive: true });
  const config = defaultConfig(repo);
  config.discover.repoURLs = ['https://github.com/example/shop-deploy'];
  // The apps' objects are the desired state (the Application object itself is Argo CD's).
  config.discover.folders = false;
  // What Argo CD would have applied: the app rendered the way shipshape renders it.
  const rendered = await runRender({ cwd: repo, paths: ['apps/storefront.yaml'], discover: config.discover });
  const app = rendered.results.find((r) => r.target.app?.name.startsWith('Application argocd/storefront'))!;
  expect(app.errors).toEqual([]);
  const k = (args: string[], input?: string) => c.kubectl(args, { check: true, input });
  await k(['create', 'namespace', 'shop']);
  const objects = app.manifests.map((m) => ({
    ...m.object,
    metadata: { ...m.object.metadata, namespace: m.object.metadata.namespace ?? 'shop' },
  }));
  await k(
    ['apply', '--server-side', '--field-manager', 'argocd-controller', '-f', '-'],
    objects.map((o) => stringify(o)).join('---\n'),
  );
  // The change someone makes by hand.
  await k(['scale', 'deployment/storefront-storefront', '--replicas=3', '-n', 'shop']);
  const result = await runDriftJob({
    paths: ['apps/storefront.yaml'],
    cwd: repo,
    config,
    kubeconfig: c.kubeconfig,
  });
  expect(result.fatal).toBeUndefined();
  report = result.report;
}, 180_000);

describe('drift for an app definition', () => {
  it('compares what the Application declares, in its destination namespace, and reads all of it', () => {
    expect(report.errors).toEqual([]);
    expect(report.missing).toEqual([]);
    expect(report.coverage?.status).toBe('complete');
  });

  it('a scale by hand is drift by kubectl, on the valuesObject line that sets replicas', () => {
    const item = report.drift.find(
      (d) => d.object.name === 'storefront-storefront' && d.path === 'spec.replicas',
    );
    expect(item).toMatchObject({
      type: 'changed',
      desired: 1,
      live: 3,
      source: 'apps/storefront.yaml:20',
    });
    expect(item?.manager).toMatch(/^kubectl/);
  });
});
