import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/index.js';
import { type RenderJobResult, runRender } from '../../../src/jobs/render.js';

/**
 * Repository layouts beyond the examples, with the real tools: a Flux path without a
 * kustomization.yaml and with components, ExternalArtifacts an ArtifactGenerator copies from
 * this repository, a HelmRelease on a HelmChart, kustomizations that name files outside their
 * folder (as Flux allows) and one that climbs out of the repository (refused), and an Argo CD
 * app of apps whose Applications a chart generates.
 */

let top: string;
let repo: string;
let out: RenderJobResult;
const CANARY = 'CANARY-outside-the-repository-5e1d';

const write = (files: Record<string, string>, dir = repo) => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
};
const cm = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n${extra}`;
const ks = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
${spec}`;

beforeAll(async () => {
  top = mkdtempSync(path.join(os.tmpdir(), 'shipshape-layouts-'));
  repo = path.join(top, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  write({ 'secret.yaml': cm('stolen', `  b: ${CANARY}\n`) }, path.join(top, 'outside'));
  write({
    // Flux: a plain folder, laid over with a namespace and a component.
    'clusters/dev/plain.yaml': ks(
      'plain',
      `  sourceRef: {kind: GitRepository, name: flux-system}
  path: ./plain
  targetNamespace: dev
  components: [../components/label]
`,
    ),
    'plain/one.yaml': cm('one'),
    'plain/nested/two.yaml': cm('two'),
    'components/label/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {tier: plain}\n',
    // Flux: an ExternalArtifact copied from this repository.
    'clusters/dev/artifact.yaml': `${ks(
      'artifact',
      `  sourceRef: {kind: ExternalArtifact, name: bundle}
  path: ./stuff
`,
    )}---
apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: gen
  namespace: flux-system
spec:
  sources:
    - alias: repo
      kind: GitRepository
      name: flux-system
  artifacts:
    - name: bundle
      copy:
        - from: "@repo/deploy/things/**"
          to: "@artifact/stuff/"
`,
    'deploy/things/kustomization.yaml': 'resources: [a.yaml, ../shared/b.yaml]\n',
    'deploy/things/a.yaml': cm('a'),
    // A file outside the kustomization's folder: Flux builds it (no load restrictor).
    'deploy/shared/b.yaml': cm('b'),
    // Climbing out of the repository is refused before kustomize runs.
    'clusters/dev/escape.yaml': ks(
      'escape',
      `  sourceRef: {kind: GitRepository, name: flux-system}
  path: ./escape
`,
    ),
    'escape/kustomization.yaml': 'resources:\n  - ../../outside/secret.yaml\n',
    // Flux: a HelmRelease on a HelmChart built from this repository.
    'clusters/dev/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: dev
spec:
  chartRef:
    kind: HelmChart
    name: web
  values:
    replicas: 5
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata:
  name: web
  namespace: dev
spec:
  chart: ./charts/web
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
`,
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/values.yaml': 'replicas: 1\n',
    'charts/web/templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n',
    // Argo CD: an app of apps whose Applications a chart generates.
    'argo/root.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: root
  namespace: argocd
spec:
  source:
    repoURL: https://github.com/acme/deploy
    path: argo/apps
  destination:
    namespace: argocd
`,
    'argo/apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 0.1.0\n',
    'argo/apps/values.yaml': 'apps:\n  - name: first\n    path: plain\n',
    'argo/apps/templates/apps.yaml': `{{- range .Values.apps }}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{ .name }}
  namespace: argocd
spec:
  source:
    repoURL: https://github.com/acme/deploy
    path: {{ .path }}
  destination:
    namespace: generated
{{- end }}
`,
  });
  const config = defaultConfig(repo);
  config.discover.repoURLs = ['https://github.com/acme/deploy'];
  out = await runRender({ cwd: repo, paths: ['.'], discover: config.discover });
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

const result = (prefix: string) => {
  const r = out.results.find((x) => x.target.app?.name.startsWith(prefix));
  expect(r, `${prefix} among ${out.results.map((x) => x.target.app?.name)}`).toBeDefined();
  return r!;
};
const objects = (prefix: string) =>
  result(prefix).manifests.map(
    (m) => `${m.object.kind}/${m.object.metadata.namespace ?? ''}/${m.object.metadata.name}`,
  );

describe('GitOps layouts', () => {
  it('Flux: a folder without kustomization.yaml, laid over with targetNamespace and a component', () => {
    const r = result('Kustomization flux-system/plain');
    expect(r.errors).toEqual([]);
    expect(objects('Kustomization flux-system/plain').sort()).toEqual([
      'ConfigMap/dev/one',
      'ConfigMap/dev/two',
    ]);
    expect(r.manifests.every((m) => m.object.metadata.labels?.tier === 'plain')).toBe(true);
    const one = r.manifests.find((m) => m.object.metadata.name === 'one')!;
    expect(one.locateSource!(['data', 'a'])).toMatchObject({ file: 'plain/one.yaml', line: 6 });
    expect(one.locateSource!(['metadata', 'namespace'])).toMatchObject({
      file: 'clusters/dev/plain.yaml',
      line: 10,
    });
  });

  it('Flux: an ExternalArtifact maps back to the folders it copies; files outside a folder build as Flux builds them', () => {
    const r = result('Kustomization flux-system/artifact');
    expect(r.errors).toEqual([]);
    expect(objects('Kustomization flux-system/artifact').sort()).toEqual(['ConfigMap//a', 'ConfigMap//b']);
  });

  it('a kustomization that climbs out of the repository is refused on its line, and nothing outside is read', () => {
    const r = result('Kustomization flux-system/escape');
    expect(r.manifests).toEqual([]);
    expect(r.errors).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('refused'),
        location: expect.objectContaining({ file: 'escape/kustomization.yaml', line: 2 }),
      }),
    ]);
    expect(JSON.stringify(out)).not.toContain(CANARY);
  });

  it('Flux: a HelmRelease on a HelmChart in this repository', () => {
    const r = result('HelmRelease dev/web');
    expect(r.errors).toEqual([]);
    const m = r.manifests[0];
    expect(m.object.data).toEqual({ replicas: '5' });
    expect(m.locateSource!(['data', 'replicas'])).toMatchObject({
      file: 'clusters/dev/release.yaml',
      line: 11,
    });
  });

  it('Argo CD: Applications a chart generates (an app of apps) are rendered too', () => {
    const r = result('Application argocd/first');
    expect(r.target.app?.name).toBe(
      'Application argocd/first (argo/apps/templates/apps.yaml) in Application argocd/root (argo/root.yaml)',
    );
    expect(r.target.app?.namespace).toBe('generated');
    // A directory source without recurse: the top folder's manifests only, as Argo CD reads it.
    expect(r.manifests.map((m) => m.object.metadata.name)).toEqual(['one']);
  });
});
