// What real kubectl writes into metadata.managedFields, which is what shipshape's drift job reads to say
// who changed a field out of band and when. A Kustomize overlay is applied server-side and client-side,
// then the server-side copy is changed the ways people change production by hand.
//
// The tests in the second block run in order and build on each other, like the changes they mimic.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCluster } from '../support/cluster.js';
import { containerField, deploymentReader, entries, label, ownersOf } from './managed-fields.js';

const cluster = useCluster();
const overlay = (name: string) =>
  fileURLToPath(new URL(`./fixtures/kustomize/overlays/${name}`, import.meta.url));

let readDeployment: ReturnType<typeof deploymentReader>;
const api = () => readDeployment('shop-prod', 'api');

// managedFields times have one-second precision: compare against the start of the second.
let startedAt: number;
const expectRecent = (time: Date | undefined) => {
  expect(time).toBeInstanceOf(Date);
  expect(time!.getTime()).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000) * 1000);
  expect(time!.getTime()).toBeLessThanOrEqual(Date.now());
};

beforeAll(async () => {
  startedAt = Date.now();
  const c = cluster();
  readDeployment = deploymentReader(c.kubeconfig);
  await c.kubectl(['create', 'namespace', 'shop-prod'], { check: true });
  await c.kubectl(['create', 'namespace', 'shop-staging'], { check: true });
});

describe('applying a Kustomize overlay', () => {
  it('server-side: `kustomize build | kubectl apply --server-side` leaves one Apply entry named kubectl', async () => {
    const c = cluster();
    const built = await c.kustomize(['build', overlay('prod')], { check: true });
    const applied = await c.kubectl(['apply', '--server-side', '-f', '-'], {
      input: built.stdout,
      check: true,
    });
    expect(applied.stdout).toContain('deployment.apps/api serverside-applied');

    const dep = await api();
    expect(dep.spec?.replicas).toBe(3);
    expect(dep.spec?.template.spec?.containers.map((x) => x.image)).toEqual([
      'registry.example.com/shop/api:1.4.2',
      'registry.example.com/shop/exporter:0.9.0',
    ]);
    const [entry, ...others] = entries(dep.metadata);
    expect(others).toEqual([]);
    expect(label(entry)).toBe('kubectl/Apply');
    expectRecent(entry.time);
    expect(ownersOf(dep.metadata, containerField('app', 'image'))).toEqual(['kubectl/Apply']);
    expect(ownersOf(dep.metadata, ['f:spec', 'f:replicas'])).toEqual(['kubectl/Apply']);
    // Server-side apply keeps no last-applied annotation.
    expect(dep.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
  });

  it('client-side: `kubectl apply -k` leaves an Update entry named kubectl-client-side-apply', async () => {
    const c = cluster();
    await c.kubectl(['apply', '-k', overlay('staging')], { check: true });
    const dep = await readDeployment('shop-staging', 'api');
    expect(dep.spec?.template.spec?.containers[0].image).toBe('registry.example.com/shop/api:1.5.0-rc.1');
    expect(entries(dep.metadata).map(label)).toEqual(['kubectl-client-side-apply/Update']);
    expectRecent(entries(dep.metadata)[0].time);
    const lastApplied = dep.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
    expect(JSON.parse(lastApplied ?? '{}').metadata).toMatchObject({
      name: 'api',
      namespace: 'shop-staging',
    });
  });
});

describe('changing the applied Deployment by hand', () => {
  it('kubectl edit (EDITOR rewrites the file): manager kubectl-edit, operation Update', async () => {
    const c = cluster();
    // A genuine editor session: kubectl writes the object to a temp file, runs $EDITOR on it and sends
    // what changed. Our "editor" swaps the image for a debug build, as in the post-mortem.
    const editor = join(c.dir, 'editor.mjs');
    writeFileSync(
      editor,
      `import { readFileSync, writeFileSync } from 'node:fs';
const [file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const { EDIT_FROM: from, EDIT_TO: to } = process.env;
if (!text.includes(from)) { console.error('editor: ' + from + ' not in ' + file); process.exit(1); }
writeFileSync(file, text.replace(from, to));
`,
    );
    // kubectl splits EDITOR on spaces when it has no quotes, so the two paths must not contain any.
    expect(`${process.execPath}${editor}`).not.toMatch(/\s/);
    const edited = await c.kubectl(['edit', 'deployment/api', '-n', 'shop-prod'], {
      env: {
        EDITOR: `${process.execPath} ${editor}`,
        EDIT_FROM: 'shop/api:1.4.2',
        EDIT_TO: 'shop/api:1.4.2-debug',
      },
      check: true,
    });
    expect(edited.stdout).toContain('deployment.apps/api edited');

    const dep = await api();
    expect(dep.spec?.template.spec?.containers[0].image).toBe('registry.example.com/shop/api:1.4.2-debug');
    const entry = entries(dep.metadata).find((e) => e.manager === 'kubectl-edit');
    expect(entry).toMatchObject({ operation: 'Update', subresource: undefined });
    expectRecent(entry?.time);
    // The changed field moves to the editor; the applier keeps the rest of the container.
    expect(ownersOf(dep.metadata, containerField('app', 'image'))).toEqual(['kubectl-edit/Update']);
    expect(ownersOf(dep.metadata, containerField('app', 'name'))).toEqual(['kubectl/Apply']);
  });

  it('kubectl set image: manager kubectl-set, operation Update', async () => {
    const c = cluster();
    const image = 'exporter=registry.example.com/shop/exporter:1.0.0';
    await c.kubectl(['set', 'image', 'deployment/api', image, '-n', 'shop-prod'], { check: true });
    const dep = await api();
    const entry = entries(dep.metadata).find((e) => e.manager === 'kubectl-set');
    expect(entry).toMatchObject({ operation: 'Update', subresource: undefined });
    expectRecent(entry?.time);
    expect(ownersOf(dep.metadata, containerField('exporter', 'image'))).toEqual(['kubectl-set/Update']);
    // The earlier edit still owns the other container's image.
    expect(ownersOf(dep.metadata, containerField('app', 'image'))).toEqual(['kubectl-edit/Update']);
  });

  it('kubectl scale: manager kubectl (not kubectl-scale), subresource scale, and no time', async () => {
    const c = cluster();
    await c.kubectl(['scale', 'deployment/api', '--replicas=5', '-n', 'shop-prod'], { check: true });
    const dep = await api();
    expect(dep.spec?.replicas).toBe(5);
    const entry = entries(dep.metadata).find((e) => e.subresource === 'scale');
    // What v1.36.3 writes: the same manager name as the server-side apply, told apart only by the
    // operation and the subresource; and the API server records no time for writes through /scale.
    expect(entry).toEqual({ manager: 'kubectl', operation: 'Update', subresource: 'scale', time: undefined });
    expect(ownersOf(dep.metadata, ['f:spec', 'f:replicas'])).toEqual(['kubectl/Update/scale']);
  });

  it('kubectl patch: manager kubectl-patch, operation Update', async () => {
    const c = cluster();
    const patch = {
      spec: {
        template: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '512Mi' } } }] } },
      },
    };
    await c.kubectl(['patch', 'deployment/api', '-n', 'shop-prod', '-p', JSON.stringify(patch)], {
      check: true,
    });
    const dep = await api();
    expect(dep.spec?.template.spec?.containers[0].resources?.limits?.memory).toBe('512Mi');
    const entry = entries(dep.metadata).find((e) => e.manager === 'kubectl-patch');
    expect(entry).toMatchObject({ operation: 'Update', subresource: undefined });
    expectRecent(entry?.time);
    expect(ownersOf(dep.metadata, containerField('app', 'resources', 'limits', 'memory'))).toEqual([
      'kubectl-patch/Update',
    ]);
  });

  it('kubectl label: manager kubectl-label, operation Update', async () => {
    const c = cluster();
    await c.kubectl(['label', 'deployment/api', 'owner=oncall', '-n', 'shop-prod'], { check: true });
    const dep = await api();
    expect(dep.metadata?.labels).toMatchObject({ env: 'prod', owner: 'oncall' });
    const entry = entries(dep.metadata).find((e) => e.manager === 'kubectl-label');
    expect(entry).toMatchObject({ operation: 'Update', subresource: undefined });
    expectRecent(entry?.time);
    expect(ownersOf(dep.metadata, ['f:metadata', 'f:labels', 'f:owner'])).toEqual(['kubectl-label/Update']);
    expect(ownersOf(dep.metadata, ['f:metadata', 'f:labels', 'f:env'])).toEqual(['kubectl/Apply']);
  });

  it('leaves one entry per writer, each owning only what it changed', async () => {
    const dep = await api();
    expect(entries(dep.metadata).map(label).sort()).toEqual([
      'kubectl-edit/Update',
      'kubectl-label/Update',
      'kubectl-patch/Update',
      'kubectl-set/Update',
      'kubectl/Apply',
      'kubectl/Update/scale',
    ]);
    // The applier lost exactly the fields the others took over.
    const apply = dep.metadata?.managedFields?.find((e) => label(e) === 'kubectl/Apply');
    const owned = JSON.stringify(apply?.fieldsV1);
    expect(owned).not.toContain('f:replicas');
    expect(owned).not.toContain('f:image');
    expect(owned).not.toContain('f:memory');
    expect(owned).toContain('LOG_LEVEL');
  });

  it('a later server-side apply with --force-conflicts takes the fields back', async () => {
    const c = cluster();
    const built = await c.kustomize(['build', overlay('prod')], { check: true });
    const conflict = await c.kubectl(['apply', '--server-side', '-f', '-'], { input: built.stdout });
    // Without force, the apply refuses to overwrite fields another manager owns, and names them.
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 4 conflicts');
    expect(conflict.stderr).toContain(
      'conflicts with "kubectl" with subresource "scale" using apps/v1:\n- .spec.replicas',
    );
    expect(conflict.stderr).toContain(
      'conflicts with "kubectl-edit" using apps/v1:\n- .spec.template.spec.containers[name="app"].image',
    );
    await c.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], {
      input: built.stdout,
      check: true,
    });
    const dep = await api();
    expect(dep.spec?.replicas).toBe(3);
    expect(dep.spec?.template.spec?.containers[0].image).toBe('registry.example.com/shop/api:1.4.2');
    expect(ownersOf(dep.metadata, containerField('app', 'image'))).toEqual(['kubectl/Apply']);
    // Writers left with nothing drop out; the label the overlay does not mention stays with its writer.
    expect(entries(dep.metadata).map(label).sort()).toEqual(['kubectl-label/Update', 'kubectl/Apply']);
  });
});
