// Real helm against the local control plane: what a release looks like to shipshape's drift job, which
// reads live objects with @kubernetes/client-node and attributes fields through managedFields.
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCluster } from '../support/cluster.js';
import { containerField, deploymentReader, entries, label, ownersOf } from './managed-fields.js';

const cluster = useCluster();
const chart = fileURLToPath(new URL('./fixtures/chart', import.meta.url));
const ns = 'helm-test';

let readDeployment: ReturnType<typeof deploymentReader>;
let core: CoreV1Api;

beforeAll(() => {
  const c = cluster();
  readDeployment = deploymentReader(c.kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
});

describe('helm', () => {
  it('reports the pinned version', async () => {
    const r = await cluster().helm(['version', '--template', '{{.Version}}'], { check: true });
    expect(r.stdout).toBe('v3.22.0');
  });

  it('installs a chart (no --wait: nothing runs pods) and its objects carry the helm manager', async () => {
    const c = cluster();
    const installed = await c.helm(['install', 'shop', chart, '-n', ns, '--create-namespace'], {
      check: true,
    });
    expect(installed.stdout).toContain('STATUS: deployed');

    const dep = await readDeployment(ns, 'shop-web');
    expect(dep.spec?.replicas).toBe(2);
    expect(dep.spec?.template.spec?.containers[0].image).toBe('registry.example.com/shop/web:1.4.2');
    expect(dep.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    expect(dep.metadata?.annotations).toMatchObject({
      'meta.helm.sh/release-name': 'shop',
      'meta.helm.sh/release-namespace': ns,
    });
    // Helm 3 creates and patches client-side: one Update entry, no Apply, no last-applied annotation.
    const [entry, ...others] = entries(dep.metadata);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ manager: 'helm', operation: 'Update', subresource: undefined });
    expect(entry.time).toBeInstanceOf(Date);
    expect(ownersOf(dep.metadata, containerField('web', 'image'))).toEqual(['helm/Update']);

    const [svc, sa] = await Promise.all([
      core.readNamespacedService({ namespace: ns, name: 'shop-web' }),
      core.readNamespacedServiceAccount({ namespace: ns, name: 'shop-web' }),
    ]);
    expect(entries(svc.metadata).map(label)).toEqual(['helm/Update']);
    expect(entries(sa.metadata).map(label)).toEqual(['helm/Update']);
    expect(sa.automountServiceAccountToken).toBe(false);

    // The release itself is a Secret that helm owns.
    const releases = await core.listNamespacedSecret({
      namespace: ns,
      labelSelector: 'owner=helm,name=shop',
    });
    expect(releases.items.map((s) => [s.metadata?.name, s.type])).toEqual([
      ['sh.helm.release.v1.shop.v1', 'helm.sh/release.v1'],
    ]);
  });

  it('a later kubectl set image shows up next to helm, and helm upgrade takes it back', async () => {
    const c = cluster();
    const image = 'web=registry.example.com/shop/web:1.4.2-debug';
    await c.kubectl(['set', 'image', 'deployment/shop-web', image, '-n', ns], { check: true });
    let dep = await readDeployment(ns, 'shop-web');
    expect(ownersOf(dep.metadata, containerField('web', 'image'))).toEqual(['kubectl-set/Update']);
    expect(entries(dep.metadata).map(label)).toEqual(['helm/Update', 'kubectl-set/Update']);

    await c.helm(['upgrade', 'shop', chart, '-n', ns, '--set', 'replicaCount=4'], { check: true });
    dep = await readDeployment(ns, 'shop-web');
    expect(dep.spec?.replicas).toBe(4);
    // Helm 3's three-way merge compares the new manifest with the live object too, so the upgrade puts
    // the chart's image back over the hand-made change and takes the field back from kubectl-set.
    expect(dep.spec?.template.spec?.containers[0].image).toBe('registry.example.com/shop/web:1.4.2');
    expect(ownersOf(dep.metadata, containerField('web', 'image'))).toEqual(['helm/Update']);
    expect(ownersOf(dep.metadata, ['f:spec', 'f:replicas'])).toEqual(['helm/Update']);
    expect(entries(dep.metadata).map(label)).toEqual(['helm/Update']);
    const list = await c.helm(['list', '-n', ns, '-o', 'json'], { check: true });
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'shop', revision: '2', status: 'deployed' }]);
  });
});
