// The local control plane is a real one: the versions we pinned, TLS with client certificates, RBAC that
// says no, service-account tokens signed with our key, and a kubeconfig that carries our mark.
import { existsSync, readFileSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useCluster } from '../support/cluster.js';

const cluster = useCluster();

describe('local control plane', () => {
  it('serves the pinned Kubernetes version to the pinned kubectl', async () => {
    const r = await cluster().kubectl(['version', '-o', 'json'], { check: true });
    const v = JSON.parse(r.stdout);
    expect(v.clientVersion.gitVersion).toBe('v1.36.3');
    expect(v.serverVersion.gitVersion).toBe('v1.36.3');
  });

  it('creates the system namespaces but no default service account (no controller manager)', async () => {
    const c = cluster();
    const ns = await c.kubectl(['get', 'namespaces', '-o', 'name'], { check: true });
    expect(ns.stdout.split('\n')).toEqual(
      expect.arrayContaining(['namespace/default', 'namespace/kube-system']),
    );
    const sa = await c.kubectl(['get', 'serviceaccount', 'default', '-n', 'default']);
    expect(sa.code).not.toBe(0);
    expect(sa.stderr).toMatch(/NotFound/);
  });

  it('enforces RBAC and signs service-account tokens with the generated key', async () => {
    const c = cluster();
    await c.kubectl(['create', 'namespace', 'rbac-test'], { check: true });
    await c.kubectl(['create', 'serviceaccount', 'app', '-n', 'rbac-test'], { check: true });
    const asApp = ['--as=system:serviceaccount:rbac-test:app', '-n', 'rbac-test'];
    const denied = await c.kubectl(['auth', 'can-i', 'list', 'secrets', ...asApp]);
    expect(denied.stdout.trim()).toBe('no');

    const token = (
      await c.kubectl(['create', 'token', 'app', '-n', 'rbac-test'], { check: true })
    ).stdout.trim();
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(header.alg).toBe('ES256');
    expect(claims.iss).toBe('https://kubernetes.default.svc.cluster.local');
    expect(claims.sub).toBe('system:serviceaccount:rbac-test:app');

    // The token authenticates for real, and RBAC turns it away from what it was not granted.
    const withToken = ['--kubeconfig=/dev/null', `--server=${c.server}`, `--token=${token}`];
    const ca = `--certificate-authority=${c.dir}/pki/ca.crt`;
    const forbidden = await c.kubectl(['get', 'secrets', '-n', 'rbac-test', ca, ...withToken]);
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.stderr).toContain('forbidden: User "system:serviceaccount:rbac-test:app"');
  });

  it('writes an admin kubeconfig that @kubernetes/client-node reads and that carries our mark', async () => {
    const c = cluster();
    const kc = new KubeConfig();
    kc.loadFromFile(c.kubeconfig);
    const list = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toContain('kube-system');

    const config = parse(readFileSync(c.kubeconfig, 'utf8'));
    expect(config.clusters[0].cluster.extensions).toEqual([
      { name: 'shipshape.dev/local-cluster', extension: { cluster: c.name, state: c.dir } },
    ]);
    expect(existsSync(c.tools.kubectl)).toBe(true);
    expect(c.env.KUBECONFIG).toBe(c.kubeconfig);
  });
});
