import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, defaultConfig } from '../../../src/config/index.js';
import { type CheckResult, runCheck } from '../../../src/jobs/check.js';
import { type RenderJobResult, runRender } from '../../../src/jobs/render.js';
import type { Manifest } from '../../../src/load/yaml.js';
import type { Finding } from '../../../src/model/types.js';

/**
 * examples/gitops/argocd with the real helm and kustomize: every Application (and each one its
 * ApplicationSets make) renders as Argo CD would render it, and findings land on the lines of
 * the app definitions that set the values.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const EX = 'examples/gitops/argocd';
let config: Config;
let check: CheckResult;
let render: RenderJobResult;

/** The fields of a rendered Deployment these tests read. */
interface Dep {
  metadata: { namespace?: string; labels: Record<string, string> };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        priorityClassName?: string;
        containers: {
          image: string;
          env?: { name: string; value: unknown }[];
          resources: { limits: Record<string, string> };
        }[];
      };
    };
  };
}
const asDep = (m: Manifest) => m.object as unknown as Dep;

beforeAll(async () => {
  config = defaultConfig(root);
  config.discover.repoURLs = ['https://github.com/example/shop-deploy'];
  [check, render] = await Promise.all([
    runCheck({ paths: [EX], cwd: root, config, today: '2026-06-01' }),
    runRender({ cwd: root, paths: [EX], discover: config.discover }),
  ]);
});

const at = (f: Finding) => `${f.location.file.replace(`${EX}/`, '')}:${f.location.line}`;
const finding = (ruleId: string, objectName: string) => {
  const found = check.findings.filter((f) => f.ruleId === ruleId && f.object.name === objectName);
  expect(found, `${ruleId} on ${objectName}`).toHaveLength(1);
  return found[0];
};
const app = (name: string) => {
  const r = render.results.find((x) => x.target.app?.name === `Application argocd/${name}`);
  expect(r, name).toBeDefined();
  return r!;
};
const object = (manifests: Manifest[], kind: string, name: string) => {
  const m = manifests.find((x) => x.object.kind === kind && x.object.metadata.name === name);
  expect(m, `${kind}/${name}`).toBeDefined();
  return m!;
};

describe('Argo CD Applications, rendered and checked', () => {
  it('renders every app whose source is in the repository, and notes the one that is not', () => {
    const names = render.results.flatMap((r) => (r.target.app ? [r.target.app.name] : [])).sort();
    expect(names).toEqual([
      `Application argocd/catalog (${EX}/apps/catalog.yaml)`,
      `Application argocd/grafana (${EX}/apps/grafana.yaml)`,
      `Application argocd/payments (${EX}/apps/payments.yaml)`,
      `Application argocd/status-page (${EX}/apps/status-page.yaml)`,
      `Application argocd/storefront (${EX}/apps/storefront.yaml)`,
      `Application argocd/storefront-pr-101 (${EX}/appsets/previews.yaml)`,
      `Application argocd/storefront-pr-102 (${EX}/appsets/previews.yaml)`,
      `Application argocd/worker-mailer (${EX}/appsets/workers.yaml)`,
      `Application argocd/worker-thumbnails (${EX}/appsets/workers.yaml)`,
    ]);
    for (const r of render.results) {
      expect(
        r.errors.filter((e) => e.level === 'error'),
        r.target.app?.name,
      ).toEqual([]);
    }
    expect(app(`grafana (${EX}/apps/grafana.yaml)`).errors).toEqual([
      expect.objectContaining({
        level: 'note',
        message: expect.stringContaining('chart "grafana" comes from the chart repository'),
        location: { file: `${EX}/apps/grafana.yaml`, line: 11, column: 5 },
      }),
    ]);
    // The chart and the overlay render only as the apps say, never with their defaults as well.
    expect(render.results.filter((r) => !r.target.app && r.target.kind !== 'plain')).toEqual([]);
  });

  it('a Helm source: values files, valuesObject and parameters applied, the release and namespace as Argo CD sets them', () => {
    const r = app(`storefront (${EX}/apps/storefront.yaml)`);
    expect(r.target).toMatchObject({ kind: 'helm', releaseName: 'storefront', namespace: 'shop' });
    const dep = asDep(object(r.manifests, 'Deployment', 'storefront-storefront'));
    expect(dep.spec.replicas).toBe(1);
    const c = dep.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/example/storefront:3.2.1');
    expect(c.resources.limits.cpu).toBe('500m'); // values-prod.yaml
    expect(dep.spec.template.metadata.annotations['prometheus.io/port']).toBe('9102'); // a parameter
  });

  it('multiple sources: the $values file from the ref source', () => {
    const r = app(`catalog (${EX}/apps/catalog.yaml)`);
    const dep = asDep(object(r.manifests, 'Deployment', 'catalog-storefront'));
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.template.spec.containers[0].image).toBe('ghcr.io/example/catalog:1.4.0-debug');
  });

  it('a Kustomize source with the Application’s images, namePrefix, commonLabels and patches laid over', () => {
    const r = app(`payments (${EX}/apps/payments.yaml)`);
    const m = object(r.manifests, 'Deployment', 'eu-payments');
    const dep = asDep(m);
    expect(dep.metadata.namespace).toBe('payments');
    expect(dep.metadata.labels.team).toBe('payments');
    expect(dep.spec.selector.matchLabels.team).toBe('payments');
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.template.spec.priorityClassName).toBe('business-critical');
    expect(dep.spec.template.spec.containers[0].image).toBe('ghcr.io/example/payments:latest');
    const file = `${EX}/apps/payments.yaml`;
    expect(m.locateSource!(['metadata', 'labels', 'team'])).toMatchObject({ file, line: 16 });
    expect(m.locateSource!(['spec', 'template', 'spec', 'priorityClassName'])).toMatchObject({
      file,
      line: 26,
    });
    // The overlay's own fields still land in the overlay.
    expect(m.locateSource!(['spec', 'replicas'])).toMatchObject({
      file: `${EX}/kustomize/payments/overlays/prod/kustomization.yaml`,
      line: 6,
    });
  });

  it('a directory source: recurse and exclude, objects in the destination namespace', () => {
    const r = app(`status-page (${EX}/apps/status-page.yaml)`);
    expect(r.manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`).sort()).toEqual([
      'Deployment/status-page',
      'Service/status-page',
      'ServiceAccount/status-page',
    ]);
    expect(r.target.app?.namespace).toBe('status');
  });

  it('ApplicationSets: one app per generated parameter set', () => {
    expect(
      app(`worker-mailer (${EX}/appsets/workers.yaml)`).manifests.map((m) => m.object.metadata.name),
    ).toEqual(['mailer', 'mailer']);
    const pr = app(`storefront-pr-102 (${EX}/appsets/previews.yaml)`);
    expect(pr.target).toMatchObject({ releaseName: 'pr-102', namespace: 'preview-pr-102' });
    expect(asDep(object(pr.manifests, 'Deployment', 'pr-102-storefront')).spec.replicas).toBe(1);
  });

  it('findings land where a human edits: the app definition for what it sets', () => {
    expect(at(finding('replicas-minimum', 'storefront-storefront'))).toBe('apps/storefront.yaml:20');
    expect(at(finding('image-tag-latest', 'eu-payments'))).toBe('apps/payments.yaml:18');
    expect(at(finding('image-tag-debug', 'catalog-storefront'))).toBe('environments/prod/catalog.yaml:4');
    expect(at(finding('replicas-minimum', 'pr-102-storefront'))).toBe('appsets/previews.yaml:15');
    expect(at(finding('replicas-minimum', 'thumbnails'))).toBe('workers/thumbnails/deployment.yaml:6');
    // A value the apps leave alone stays on the chart's line (reported once for all of them).
    expect(check.findings.filter((f) => f.ruleId === 'resources-limits-missing').map(at)).toContain(
      'charts/storefront/values.yaml:28',
    );
    expect(check.errors.filter((e) => e.level === 'error')).toEqual([]);
  });
});
