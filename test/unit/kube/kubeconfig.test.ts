import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, proxyFor } from '../../../src/kube/connect.js';
import { KubeConfigError } from '../../../src/kube/errors.js';
import { Kubeconfig, SERVICE_ACCOUNT_DIR } from '../../../src/kube/kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfigFile(doc: unknown): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-kubeconfig-'));
  const file = path.join(dir, 'config');
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return { dir, file };
}

const config = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'c', cluster: { server: 'https://c.example:6443', ...cluster } }],
  users: [{ name: 'u', user }],
  contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
  'current-context': 'ctx',
});

describe('Kubeconfig.fromFile', () => {
  it("gives a request the cluster's CA, server name and verification, and the user's certificate, key and token", async () => {
    const { dir, file } = kubeconfigFile(
      config(
        { 'client-certificate': 'certs/me.crt', 'client-key-data': b64('KEY'), token: 't0k', as: 'jane' },
        { 'certificate-authority': 'certs/ca.crt', 'tls-server-name': 'api.internal' },
      ),
    );
    mkdirSync(path.join(dir, 'certs'));
    writeFileSync(path.join(dir, 'certs/ca.crt'), 'CA');
    writeFileSync(path.join(dir, 'certs/me.crt'), 'CERT');
    const kc = Kubeconfig.fromFile(file);
    // Relative paths are relative to the kubeconfig's folder, as kubectl has them.
    expect(kc.target()?.cluster.caFile).toBe(path.join(dir, 'certs/ca.crt'));
    const opts = await kc.requestOptions();
    expect(String(opts.ca)).toBe('CA');
    expect(String(opts.cert)).toBe('CERT');
    expect(String(opts.key)).toBe('KEY');
    expect(opts.servername).toBe('api.internal');
    expect(opts.rejectUnauthorized).toBeUndefined();
    expect(opts.headers).toEqual({ Authorization: 'Bearer t0k', 'Impersonate-User': 'jane' });
  });

  it('reads YAML, a token file, basic auth and insecure-skip-tls-verify', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-kubeconfig-'));
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, 'from-file');
    const file = path.join(dir, 'config');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
  - name: c
    cluster: {server: "https://c.example:6443/", insecure-skip-tls-verify: true}
users:
  - name: u
    user: {username: admin, password: pw}
  - name: t
    user: {token-file: ${JSON.stringify(tokenFile)}}
contexts:
  - name: ctx
    context: {cluster: c, user: u}
  - name: ctx-t
    context: {cluster: c, user: t}
current-context: ctx
`,
    );
    const kc = Kubeconfig.fromFile(file);
    expect(kc.target()?.cluster.server).toBe('https://c.example:6443');
    expect(await kc.requestOptions()).toMatchObject({ rejectUnauthorized: false, auth: 'admin:pw' });
    kc.currentContext = 'ctx-t';
    expect((await kc.requestOptions()).headers).toEqual({ Authorization: 'Bearer from-file' });
  });

  it('runs an exec credential plugin and keeps its credential until it expires', async () => {
    const { dir, file } = kubeconfigFile({});
    const counter = path.join(dir, 'calls');
    const plugin = path.join(dir, 'plugin.mjs');
    writeFileSync(
      plugin,
      `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counter)}, 'x');
console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential',
  status: { token: 'exec-' + process.env.TEAM, expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() } }));
`,
    );
    writeFileSync(
      file,
      JSON.stringify(
        config({
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: process.execPath,
            args: [plugin],
            env: [{ name: 'TEAM', value: 'shop' }],
            interactiveMode: 'Never',
          },
        }),
      ),
    );
    const kc = Kubeconfig.fromFile(file);
    expect((await kc.requestOptions()).headers).toEqual({ Authorization: 'Bearer exec-shop' });
    expect((await kc.requestOptions()).headers).toEqual({ Authorization: 'Bearer exec-shop' });
    expect(readFileSync(counter, 'utf8')).toBe('x');
  });

  it('says which auth provider it does not support rather than send no credentials', async () => {
    const { file } = kubeconfigFile(
      config({
        'auth-provider': { name: 'oidc', config: { 'id-token': 'x', 'idp-issuer-url': 'https://i' } },
      }),
    );
    const err = await Kubeconfig.fromFile(file)
      .requestOptions()
      .catch((e) => e);
    expect(err).toBeInstanceOf(KubeConfigError);
    expect(err.message).toMatch(/user "u" uses the "oidc" auth provider, which shipshape does not support/);
  });

  it('names an invalid entry', async () => {
    const { file } = kubeconfigFile({ clusters: [{ name: 'c', cluster: {} }] });
    await expect(connect({ kubeconfig: file, env: {} })).rejects.toThrow(
      'cannot read the kubeconfig: clusters[0].cluster.server is missing',
    );
  });
});

describe('Kubeconfig.inCluster', () => {
  it("uses the pod's service account: its CA, its token (read again as it rotates) and the service's address", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'shipshape-sa-'));
    const dir = `${root}${SERVICE_ACCOUNT_DIR}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/ca.crt`, 'POD-CA');
    writeFileSync(`${dir}/token`, 'sa-token');
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
    const c = await connect({ env, serviceAccountRoot: root });
    expect(c).toMatchObject({ context: 'in-cluster', server: 'https://[fd00::1]:443' });
    const kc = Kubeconfig.inCluster(env, root);
    const opts = await kc.requestOptions();
    expect(String(opts.ca)).toBe('POD-CA');
    expect(opts.headers).toEqual({ Authorization: 'Bearer sa-token' });
    expect(
      Kubeconfig.inCluster({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '8080' }).target()
        ?.cluster.server,
    ).toBe('http://10.0.0.1:8080');
  });
});

describe('proxy-url', () => {
  let server: http.Server | undefined;
  afterEach(() => server?.close());

  it('refuses SOCKS proxies and a Node without built-in proxy support, rather than go around them', () => {
    expect(() => proxyFor('socks5://127.0.0.1:1080')).toThrow(/socks5:\/\/ is not supported/);
    expect(() => proxyFor('http://proxy:3128', '22.20.0')).toThrow(/needs Node 22.21 or 24.5/);
    expect(() => proxyFor('http://proxy:3128', '24.4.1')).toThrow(/needs Node 22.21 or 24.5/);
    expect(proxyFor('http://proxy:3128', '22.21.0')).toBe('http://proxy:3128');
    expect(proxyFor('http://proxy:3128', '24.5.0')).toBe('http://proxy:3128');
  });

  it('sends every request through the proxy the cluster names', async () => {
    const seen: string[] = [];
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ gitVersion: 'v1.36.3' }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const { file } = kubeconfigFile(
      config(
        { token: 't' },
        // An address nothing listens on: only the proxy can answer.
        {
          server: 'http://cluster.invalid:6443',
          'insecure-skip-tls-verify': true,
          'proxy-url': `http://127.0.0.1:${port}`,
        },
      ),
    );
    const c = await connect({ kubeconfig: file, env: {} });
    expect(await c.client.version()).toBe('v1.36.3');
    expect(seen).toEqual(['GET http://cluster.invalid:6443/version']);
  });
});
