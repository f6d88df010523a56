import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/load/yaml.js';
import { discoverTargets } from '../../../src/render/discover.js';
import type { HelmTarget, KustomizeTarget, Target } from '../../../src/render/types.js';
import { secrets } from '../../../src/secrets/index.js';

/** Text with `%` written for `$` (the linter reads dollar-brace in a string as a mistaken template). */
const t = (s: string) => s.replaceAll('%', '$');

/** Flux definitions read from files (no renderer): sources, overlays, variables, values. */

let repo: string;
const write = (files: Record<string, string>) => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
};
const ks = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
${spec}`;

const byName = (targets: Target[], prefix: string) => {
  const found = targets.filter((t) => t.app?.name.startsWith(prefix));
  expect(found, `${prefix} among ${targets.map((t) => t.app?.name ?? t.kind).join(' | ')}`).toHaveLength(1);
  return found[0];
};

const discover = () => discoverTargets(['.'], { cwd: repo, gitops: { env: {} } });

beforeAll(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'shipshape-flux-'));
  mkdirSync(path.join(repo, '.git'));
  write({
    'clusters/prod/apps.yaml': ks(
      'apps',
      `  path: ./apps/prod
  dependsOn:
    - name: infra
  targetNamespace: shop
  images:
    - name: ghcr.io/acme/web
      newTag: 1.2.3
  components:
    - ../components/tls
  postBuild:
    substitute:
      replicas: "3"
    substituteFrom:
      - kind: ConfigMap
        name: settings
      - kind: Secret
        name: creds
      - kind: ConfigMap
        name: optional-one
        optional: true
      - kind: ConfigMap
        name: missing
`,
    ),
    'clusters/prod/infra.yaml': ks('infra', '  path: ./infra\n'),
    'clusters/prod/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: flux-system
data:
  region: eu-west-1
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: flux-system
data:
  db_password: ${Buffer.from('flux-substitute-secret-1').toString('base64')}
`,
    'apps/prod/kustomization.yaml': 'resources: [web.yaml]\n',
    'apps/prod/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
    'apps/components/tls/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
    'infra/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
    'infra/sub/kustomization.yaml': 'resources: [q.yaml]\n',
    'infra/sub/q.yaml': 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\n',
    'infra/notes.yaml': 'just: a values file\n',
    'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    'charts/api/values.yaml': 'replicaCount: 2\n',
    'charts/api/values-prod.yaml': 'replicaCount: 4\n',
    'releases/api.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: api
  namespace: shop
spec:
  chart:
    spec:
      chart: ./charts/api
      valuesFiles:
        - ./charts/api/values-prod.yaml
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
    - kind: ConfigMap
      name: api-values
    - kind: Secret
      name: api-secret
      valuesKey: token
      targetPath: auth.token
  values:
    replicaCount: 1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-values
  namespace: shop
data:
  values.yaml: |
    image:
      tag: latest
---
apiVersion: v1
kind: Secret
metadata:
  name: api-secret
  namespace: shop
stringData:
  token: helm-values-secret-2
`,
    'releases/remote.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
spec:
  chart:
    spec:
      chart: redis
      sourceRef:
        kind: HelmRepository
        name: bitnami
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: bitnami
  namespace: cache
spec:
  url: https://charts.bitnami.com/bitnami
`,
    'releases/long.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: a-very-long-release-name-that-goes-on-and-on
  namespace: shop
spec:
  targetNamespace: another-long-namespace-name
  chart:
    spec:
      chart: ./charts/api
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
`,
  });
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));
beforeEach(() => secrets.reset());

describe('Flux Kustomizations', () => {
  it('an overlay path with the definition laid over it, after what it depends on', async () => {
    const { targets } = await discover();
    const apps = byName(targets, 'Kustomization flux-system/apps') as KustomizeTarget;
    expect(apps.dir).toBe('apps/prod');
    expect(apps.overlay?.text).toBe(
      'namespace: shop\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.2.3\n',
    );
    expect(apps.overlay?.components).toEqual(['apps/components/tls']);
    expect(apps.overlay?.loadRestrictorNone).toBe(true);
    expect(apps.app?.namespace).toBe('shop');
    expect(apps.overlay?.locate(1, 1)).toMatchObject({ file: 'clusters/prod/apps.yaml', line: 14 });
    expect(apps.overlay?.locate(4, 5)).toMatchObject({ file: 'clusters/prod/apps.yaml', line: 17 });
    const names = targets.filter((t) => t.app?.name.startsWith('Kustomization')).map((t) => t.app?.name);
    expect(names.indexOf(byName(targets, 'Kustomization flux-system/infra').app!.name)).toBeLessThan(
      names.indexOf(apps.app!.name),
    );
  });

  it('variables from substitute, ConfigMaps and Secrets in the repository; Secret values are registered as secrets', async () => {
    const { targets } = await discover();
    const apps = byName(targets, 'Kustomization flux-system/apps');
    expect(apps.app?.postRender).toBeTypeOf('function');
    expect(secrets.has('flux-substitute-secret-1')).toBe(true);
    expect(apps.app?.inputs.files).toContain('clusters/prod/settings.yaml');
    expect(apps.app?.notes).toEqual([
      expect.objectContaining({
        level: 'note',
        message: expect.stringContaining('ConfigMap flux-system/missing is not in this repository'),
        location: expect.objectContaining({ file: 'clusters/prod/apps.yaml', line: 31 }),
      }),
    ]);
    // The variables substitute, and say where they are defined.
    const built = parseManifests(
      t(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  region: %{region}\n  count: %{replicas}\n  pass: %{db_password}\n',
      ),
      'x',
    );
    const out = apps.app!.postRender!({ target: apps, manifests: built.manifests, errors: [], rendered: '' });
    expect(out.manifests[0].object.data).toEqual({
      region: 'eu-west-1',
      count: 3,
      pass: 'flux-substitute-secret-1',
    });
    expect(out.manifests[0].locateSource!(['data', 'region'])).toMatchObject({
      file: 'clusters/prod/settings.yaml',
      line: 7,
    });
    expect(out.manifests[0].locateSource!(['data', 'count'])).toMatchObject({
      file: 'clusters/prod/apps.yaml',
      line: 22,
    });
  });

  it('a path without a kustomization.yaml is its manifests and its kustomizations, as Flux generates it', async () => {
    const { targets } = await discover();
    const infra = byName(targets, 'Kustomization flux-system/infra') as KustomizeTarget;
    expect(infra.overlay?.resources).toEqual(['infra/ns.yaml', 'infra/sub']);
    // The kustomization under it is built by the app, not as a folder target with nothing laid over.
    expect(targets.filter((t) => !t.app && t.kind === 'kustomize')).toEqual([]);
    expect(infra.app?.notes).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining(
          "infra/notes.yaml is not a Kubernetes manifest (Flux's build fails on it)",
        ),
      }),
    ]);
  });
});

describe('Flux HelmReleases', () => {
  it('a chart in this repository, with valuesFiles, valuesFrom and values layered in order', async () => {
    const { targets } = await discover();
    const api = byName(targets, 'HelmRelease shop/api') as HelmTarget;
    expect(api).toMatchObject({
      kind: 'helm',
      chart: 'charts/api',
      releaseName: 'api',
      namespace: 'shop',
      valuesFiles: ['charts/api/values-prod.yaml'],
    });
    expect(api.inlineValues?.map((l) => l.values)).toEqual([
      { image: { tag: 'latest' } },
      { auth: { token: 'helm-values-secret-2' } },
      { replicaCount: 1 },
    ]);
    expect(api.inlineValues?.[0].locate(['image', 'tag'])).toEqual({
      file: 'releases/api.yaml',
      line: 34,
      column: 7,
    });
    expect(api.inlineValues?.[1].locate(['auth', 'token'])).toMatchObject({
      file: 'releases/api.yaml',
      line: 42,
    });
    expect(api.inlineValues?.[2].locate(['replicaCount'])).toMatchObject({
      file: 'releases/api.yaml',
      line: 24,
    });
    expect(secrets.has('helm-values-secret-2')).toBe(true);
  });

  it('a chart from a chart repository is noted, never fetched', async () => {
    const { targets } = await discover();
    const redis = byName(targets, 'HelmRelease cache/redis');
    expect(redis.app?.skip).toBe(true);
    expect(redis.app?.notes[0]).toMatchObject({
      level: 'note',
      message: expect.stringContaining(
        'chart "redis" comes from HelmRepository cache/bitnami (https://charts.bitnami.com/bitnami), which is not fetched',
      ),
      location: { file: 'releases/remote.yaml', line: 9 },
    });
  });

  it('names the release as helm-controller does: [targetNamespace-]name, shortened past 53 characters', async () => {
    const { targets } = await discover();
    const long = byName(targets, 'HelmRelease shop/a-very-long') as HelmTarget;
    expect(long.releaseName).toMatch(/^another-long-namespace-name-a-very-long--[0-9a-f]{12}$/);
    expect(long.releaseName.length).toBeLessThanOrEqual(53);
    expect(long.namespace).toBe('another-long-namespace-name');
  });
});
