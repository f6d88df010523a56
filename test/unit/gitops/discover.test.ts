import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAffected, targetInputs } from '../../../src/jobs/pull-request-targets.js';
import type { InputError } from '../../../src/model/types.js';
import { discoverTargets } from '../../../src/render/discover.js';
import type { HelmTarget, KustomizeTarget, PlainTarget, Target } from '../../../src/render/types.js';

/**
 * GitOps discovery without the tools: app definitions written in files become targets with
 * their values, overlays and notes; paths that leave the repository are errors on their line.
 */

let repo: string;
let outside: string;

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
}

const URL = 'https://github.com/acme/deploy.git';
const app = (name: string, source: string, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${URL}
${source
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
${extra}`;

async function discover(paths: string[] = ['.'], repoURLs = [URL]) {
  return discoverTargets(paths, { cwd: repo, gitops: { repoURLs, env: {} } });
}

const byName = (targets: Target[], prefix: string) => {
  const found = targets.filter((t) => t.app?.name.startsWith(prefix));
  expect(found, `${prefix} among ${targets.map((t) => t.app?.name ?? t.kind).join(' | ')}`).toHaveLength(1);
  return found[0];
};

const notesOf = (t: Target): InputError[] => t.app?.notes ?? [];

beforeAll(() => {
  const top = mkdtempSync(path.join(os.tmpdir(), 'shipshape-gitops-'));
  repo = path.join(top, 'repo');
  outside = path.join(top, 'outside');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'values.yaml'), 'password: hunter2\n');
  write({
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/values.yaml': 'replicaCount: 2\n',
    'charts/web/values-prod.yaml': 'replicaCount: 3\n',
    'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
    'env/prod/web.yaml': 'image:\n  tag: "1.0"\n',
    'overlays/prod/kustomization.yaml': 'resources: [deploy.yaml]\n',
    'overlays/prod/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    'components/tls/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
    'plain/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'plain/sub/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    'plain/sub/skip.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: skip}\n',
    'apps/web.yaml': app(
      'web',
      `path: charts/web
helm:
  releaseName: web-prod
  valueFiles:
    - values-prod.yaml
  valuesObject:
    replicaCount: 1
  parameters:
    - name: image.tag
      value: "2.0"
    - name: ports[0]
      value: "8080"
      forceString: true`,
    ),
    'apps/web-values.yaml': app(
      'web-values',
      `path: charts/web
helm:
  values: |
    replicaCount: 5`,
    ),
    'apps/multi.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: multi
spec:
  sources:
    - repoURL: ${URL}
      path: charts/web
      helm:
        valueFiles:
          - $values/env/prod/web.yaml
          - $other/values.yaml
    - repoURL: ${URL}
      ref: values
    - repoURL: https://github.com/acme/elsewhere.git
      ref: other
  destination:
    namespace: shop
`,
    'apps/overlay.yaml': app(
      'overlay',
      `path: overlays/prod
kustomize:
  namePrefix: eu-
  images:
    - ghcr.io/acme/web:latest
  components:
    - ../../components/tls`,
    ),
    'apps/plain.yaml': app(
      'plain',
      `path: plain
directory:
  recurse: true
  exclude: '{sub/skip.yaml}'`,
    ),
    'apps/escape.yaml': app('escape', 'path: ../../outside'),
    'apps/absolute.yaml': app('absolute', 'path: /etc'),
    'apps/values-escape.yaml': app(
      'values-escape',
      `path: charts/web
helm:
  valueFiles:
    - ../../../outside/values.yaml`,
    ),
    'apps/remote-chart.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: remote-chart
spec:
  source:
    repoURL: https://charts.example.com
    chart: redis
    targetRevision: 1.0.0
  destination:
    namespace: cache
`,
    'apps/other-repo.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: other-repo
spec:
  source:
    repoURL: https://github.com/acme/elsewhere.git
    path: charts/web
`,
  });
  write({
    'apps/branch.yaml': app('branch', 'path: only/on/a/branch\ntargetRevision: feature-x'),
    'apps/typo.yaml': app('typo', 'path: charts/wbe\ntargetRevision: main'),
  });
  symlinkSync(outside, path.join(repo, 'charts/link'));
  write({ 'apps/link.yaml': app('link', 'path: charts/link') });
});

afterAll(() => rmSync(path.dirname(repo), { recursive: true, force: true }));

describe('Argo CD Applications', () => {
  it('a Helm source: values files, inline values, parameters and the release as Argo CD sets them', async () => {
    const { targets } = await discover();
    const web = byName(targets, 'Application argocd/web ') as HelmTarget;
    expect(web).toMatchObject({
      kind: 'helm',
      chart: 'charts/web',
      releaseName: 'web-prod',
      namespace: 'shop',
      valuesFiles: ['charts/web/values-prod.yaml'],
      setString: { 'ports[0]': '8080' },
    });
    expect(web.app).toMatchObject({ name: 'Application argocd/web (apps/web.yaml)', namespace: 'shop' });
    expect(web.inlineValues?.map((l) => l.values)).toEqual([{ replicaCount: 1 }, { image: { tag: '2.0' } }]);
    // Each key is edited on its own line of the Application.
    expect(web.inlineValues?.[0].locate(['replicaCount'])).toMatchObject({ file: 'apps/web.yaml', line: 16 });
    expect(web.inlineValues?.[1].locate(['image', 'tag'])).toMatchObject({ file: 'apps/web.yaml', line: 19 });
    expect(notesOf(web)).toEqual([]);
  });

  it('helm.values as a literal block: its keys map to their own lines', async () => {
    const { targets } = await discover();
    const t = byName(targets, 'Application argocd/web-values') as HelmTarget;
    expect(t.inlineValues?.[0].values).toEqual({ replicaCount: 5 });
    expect(t.inlineValues?.[0].locate(['replicaCount'])).toEqual({
      file: 'apps/web-values.yaml',
      line: 13,
      column: 9,
    });
    expect(t.releaseName).toBe('web-values');
  });

  it('multiple sources: $values files from a ref source in this repository; another repository is noted', async () => {
    const { targets } = await discover();
    const t = byName(targets, 'Application multi') as HelmTarget;
    expect(t.valuesFiles).toEqual(['env/prod/web.yaml']);
    expect(t.app?.inputs.files).toContain('env/prod/web.yaml');
    expect(notesOf(t)).toEqual([
      expect.objectContaining({
        level: 'note',
        message: expect.stringContaining('$other/values.yaml is in https://github.com/acme/elsewhere.git'),
        location: expect.objectContaining({ file: 'apps/multi.yaml', line: 12 }),
      }),
    ]);
    // The ref-only sources render nothing themselves.
    expect(targets.filter((x) => x.app?.name.startsWith('Application multi'))).toHaveLength(1);
  });

  it('a Kustomize source: the overlay laid over it, components checked and read', async () => {
    const { targets } = await discover();
    const t = byName(targets, 'Application argocd/overlay') as KustomizeTarget;
    expect(t.dir).toBe('overlays/prod');
    expect(t.overlay?.text).toBe(
      'namePrefix: eu-\nimages:\n  - name: ghcr.io/acme/web\n    newTag: latest\n',
    );
    expect(t.overlay?.components).toEqual(['components/tls']);
    expect(t.overlay?.locate(4, 5)).toMatchObject({ file: 'apps/overlay.yaml', line: 14 });
    expect(t.overlay?.locate(1, 1)).toMatchObject({ file: 'apps/overlay.yaml', line: 12 });
  });

  it('a directory source: recurse and exclude as Argo CD reads them; folder discovery leaves the files to it', async () => {
    const { targets } = await discover();
    const t = byName(targets, 'Application argocd/plain') as PlainTarget;
    expect(t.paths).toEqual(['plain/a.yaml', 'plain/sub/b.yaml']);
    expect(t.app?.namespace).toBe('shop');
    const loose = targets.find((x) => x.kind === 'plain' && !x.app) as PlainTarget;
    expect(loose.paths).toContain('plain/sub/skip.yaml');
    expect(loose.paths).not.toContain('plain/a.yaml');
    // The chart an app renders is the app's, not a folder target with default values.
    expect(targets.filter((x) => x.kind === 'helm' && !x.app)).toEqual([]);
  });

  it('paths that leave the repository are errors on their line, and nothing is rendered for them', async () => {
    const { targets } = await discover();
    for (const [name, file, line, text] of [
      ['escape', 'apps/escape.yaml', 10, 'leads outside the repository'],
      ['absolute', 'apps/absolute.yaml', 10, 'is an absolute path'],
      ['link', 'apps/link.yaml', 10, 'resolves to a path outside the repository'],
      ['values-escape', 'apps/values-escape.yaml', 13, 'leads outside the repository'],
    ] as const) {
      const t = byName(targets, `Application argocd/${name} `);
      expect(notesOf(t), name).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: expect.stringContaining(text),
          location: expect.objectContaining({ file, line }),
        }),
      );
      if (name !== 'values-escape') expect(t.app?.skip, name).toBe(true);
      else expect((t as HelmTarget).valuesFiles).toEqual([]);
    }
  });

  it('a path missing here: an error, or a note when the source tracks another branch (not fetched)', async () => {
    const { targets } = await discover();
    expect(notesOf(byName(targets, 'Application argocd/branch'))).toEqual([
      expect.objectContaining({
        level: 'note',
        message: expect.stringContaining('tracks revision "feature-x", which may hold it'),
        location: expect.objectContaining({ file: 'apps/branch.yaml', line: 10 }),
      }),
    ]);
    expect(notesOf(byName(targets, 'Application argocd/typo'))).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('"charts/wbe" is not a folder'),
      }),
    ]);
  });

  it('remote charts and other repositories are noted, never fetched', async () => {
    const { targets } = await discover();
    const remote = byName(targets, 'Application remote-chart');
    expect(remote.app?.skip).toBe(true);
    expect(notesOf(remote)[0]).toMatchObject({
      level: 'note',
      message: expect.stringContaining(
        'chart "redis" comes from the chart repository https://charts.example.com',
      ),
      location: { file: 'apps/remote-chart.yaml', line: 8 },
    });
    const other = byName(targets, 'Application other-repo');
    expect(other.app?.skip).toBe(true);
    expect(notesOf(other)[0].message).toContain('is another repository, which is not fetched');
  });

  it('without a known URL, a source whose path exists here is taken as this repository, and the run says so', async () => {
    const { targets, errors } = await discover(['.'], []);
    expect(byName(targets, 'Application argocd/web ').app?.skip).toBeUndefined();
    expect(errors).toContainEqual(
      expect.objectContaining({ level: 'note', message: expect.stringContaining('set discover.repoURLs') }),
    );
    // Still not: a path that is not here.
    expect(byName(targets, 'Application remote-chart').app?.skip).toBe(true);
  });

  it('config switches: gitops off leaves folder discovery as it was; folders off keeps only apps', async () => {
    const off = await discoverTargets(['.'], { cwd: repo, gitops: { gitops: false } });
    expect(off.targets.every((t) => !t.app)).toBe(true);
    expect(off.targets.some((t) => t.kind === 'helm' && t.chart === 'charts/web')).toBe(true);
    const apps = await discoverTargets(['.'], {
      cwd: repo,
      gitops: { folders: false, repoURLs: [URL], env: {} },
    });
    expect(apps.targets.every((t) => t.app)).toBe(true);
  });
});

describe('affected apps on a pull request', () => {
  it('a change to the definition, a path it renders, a values file it names or a base it reaches marks the app', async () => {
    const { targets } = await discover();
    const inputs = async (prefix: string) => targetInputs(repo, byName(targets, prefix));
    const web = await inputs('Application argocd/web ');
    const multi = await inputs('Application multi');
    const overlay = await inputs('Application argocd/overlay');
    expect(isAffected(web, ['apps/web.yaml'])).toBe(true);
    expect(isAffected(web, ['charts/web/templates/cm.yaml'])).toBe(true);
    expect(isAffected(web, ['env/prod/web.yaml'])).toBe(false);
    expect(isAffected(multi, ['env/prod/web.yaml'])).toBe(true);
    expect(isAffected(multi, ['apps/web.yaml'])).toBe(false);
    expect(isAffected(overlay, ['components/tls/kustomization.yaml'])).toBe(true);
    expect(isAffected(overlay, ['overlays/prod/deploy.yaml'])).toBe(true);
    expect(isAffected(overlay, ['charts/web/values.yaml'])).toBe(false);
  });
});
