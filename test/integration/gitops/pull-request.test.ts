import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/index.js';
import { runPullRequestJob } from '../../../src/jobs/pull-request.js';
import { TestRepo } from '../action/repo.js';

/**
 * Affected apps on a pull request, on a real git repository holding the Argo CD and Flux
 * examples: a change to an app definition, a path it renders, a values file it names, or a
 * chart or base it reaches marks exactly the apps that read it.
 */

const root = path.resolve(import.meta.dirname, '../../..');

function filesOf(dir: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) Object.assign(out, filesOf(abs, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(abs, 'utf8');
  }
  return out;
}

let repo: TestRepo;
let base: string;
const argo = filesOf(path.join(root, 'examples/gitops/argocd'), 'argocd/');
const flux = filesOf(path.join(root, 'examples/gitops/flux'), 'flux/');

beforeAll(() => {
  repo = new TestRepo();
  base = repo.commit('base', { ...argo, ...flux });
});
afterAll(() => repo.remove());

async function affectedBy(change: Record<string, string>, roots: string[]) {
  repo.checkout(base);
  repo.git('checkout', '-q', '-B', `change-${Object.keys(change)[0].replace(/\W+/g, '-')}`);
  const head = repo.commit('change', change);
  const config = defaultConfig(repo.dir);
  config.discover.repoURLs = ['https://github.com/example/shop-deploy', 'https://github.com/example/fleet'];
  const result = await runPullRequestJob({ cwd: repo.dir, roots, config, base, head });
  // The apps affected (folder discovery's plain target, which holds the definitions' files, aside).
  const apps = result.targets.filter((t) => t.app);
  return { result, names: apps.map((t) => t.name.replace(/ \(.*$/, '')) };
}

describe('affected apps on a pull request', () => {
  it('a values file an Application names ($values): only that Application, with its new finding on the line', async () => {
    const file = 'argocd/environments/prod/catalog.yaml';
    const { result, names } = await affectedBy(
      { [file]: argo[file].replace('replicaCount: 3', 'replicaCount: 1') },
      ['argocd'],
    );
    expect(names).toEqual(['Application argocd/catalog']);
    expect(result.newFindings.map((f) => [f.ruleId, f.location.file, f.location.line])).toContainEqual([
      'replicas-minimum',
      file,
      1,
    ]);
  });

  it('an Application definition: only that Application, its finding on the valuesObject line', async () => {
    const file = 'argocd/apps/storefront.yaml';
    const { result, names } = await affectedBy(
      { [file]: argo[file].replace('tag: "3.2.1"', 'tag: "3.2.1-debug"') },
      ['argocd'],
    );
    expect(names).toEqual(['Application argocd/storefront']);
    expect(result.newFindings.map((f) => [f.ruleId, f.location.file, f.location.line])).toEqual([
      ['image-tag-debug', file, 22],
    ]);
  });

  it('a chart several apps render: each of them, and nothing else', async () => {
    const file = 'argocd/charts/storefront/templates/service.yaml';
    const { names } = await affectedBy({ [file]: `${argo[file]}\n` }, ['argocd']);
    expect(names.sort()).toEqual([
      'Application argocd/catalog',
      'Application argocd/storefront',
      'Application argocd/storefront-pr-101',
      'Application argocd/storefront-pr-102',
    ]);
  });

  it('Flux: a ConfigMap of variables marks the Kustomization that substitutes from it and the releases it builds', async () => {
    const file = 'flux/clusters/production/cluster-settings.yaml';
    const { result, names } = await affectedBy(
      { [file]: flux[file].replace('log_level: info', 'log_level: debug') },
      ['flux'],
    );
    expect(names.sort()).toEqual([
      'HelmRelease web/api',
      'HelmRelease web/podinfo',
      'Kustomization flux-system/apps',
      'Kustomization flux-system/flux-system',
    ]);
    const apps = result.targets.find((t) => t.name.startsWith('Kustomization flux-system/apps'))!;
    expect(apps.diff.map((d) => [d.key, d.change])).toEqual([['Deployment/web/web', 'changed']]);
  });
});
