// What the drift job does when the cluster says no: a kind the account may not list is one line
// in the report and the rest is compared; a cluster that does not answer is one clear line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import { runDriftJob } from '../../../src/jobs/drift.js';
import { useCluster } from '../support/cluster.js';

const cluster = useCluster();
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A read-only account that may list Deployments, Services, ConfigMaps and Pods, but not Secrets. */
const READER = `
apiVersion: v1
kind: ServiceAccount
metadata: { name: drift-reader, namespace: shop }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: drift-reader }
rules:
  - apiGroups: ['', apps, batch, policy, example.com]
    resources: [deployments, statefulsets, daemonsets, jobs, cronjobs, services, configmaps, pods, poddisruptionbudgets, widgets, namespaces]
    verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: drift-reader }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: drift-reader }
subjects: [{ kind: ServiceAccount, name: drift-reader, namespace: shop }]
`;

let readerKubeconfig: string;

function io(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const value: CliIo = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    stdoutIsTTY: false,
    env: {},
    cwd,
    writeFile: async () => {},
  };
  return { io: value, out };
}

beforeAll(async () => {
  const c = cluster();
  const k = (args: string[], input?: string) => c.kubectl(args, { check: true, input });
  await k(['create', 'namespace', 'shop']);
  await k(['apply', '-f', fixture('crd.yaml')]);
  await k(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
  await k(['apply', '-f', fixture('plain')]);
  await k(['apply', '-f', '-'], READER);
  const token = (await k(['create', 'token', 'drift-reader', '-n', 'shop'])).stdout.trim();
  const ca = (
    await k([
      'config',
      'view',
      '--raw',
      '--minify',
      '-o',
      'jsonpath={.clusters[0].cluster.certificate-authority-data}',
    ])
  ).stdout;
  readerKubeconfig = join(c.dir, 'reader.kubeconfig');
  writeFileSync(
    readerKubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server: c.server, 'certificate-authority-data': ca } }],
      users: [{ name: 'reader', user: { token } }],
      contexts: [{ name: 'reader@local', context: { cluster: 'local', user: 'reader' } }],
      'current-context': 'reader@local',
    }),
    { mode: 0o600 },
  );
}, 180_000);

describe('drift faults', () => {
  it('reports a kind the account may not list, and compares the rest', async () => {
    const c = cluster();
    const result = await runDriftJob({ paths: [fixture('plain')], cwd: c.dir, kubeconfig: readerKubeconfig });
    expect(result.fatal).toBeUndefined();
    expect(result.report.errors).toEqual([
      {
        scope: 'v1 Secret in shop',
        message: expect.stringMatching(
          /^forbidden: cannot list secrets in namespace shop; grant get and list on it/,
        ),
      },
    ]);
    // Everything else was read and compared: no drift on untouched objects, nothing missing.
    expect(result.report.drift).toEqual([]);
    expect(result.report.missing).toEqual([]);
    expect(result.stats.compared).toBe(result.stats.objects - 1);
    expect(result.context).toBe('reader@local');
  });

  it('a server-side dry run without patch permission is reported once per kind, and compared without it', async () => {
    const c = cluster();
    const result = await runDriftJob({
      paths: [fixture('plain')],
      cwd: c.dir,
      kubeconfig: readerKubeconfig,
      serverSideDryRun: true,
    });
    const refused = result.report.errors.filter((e) => e.message.startsWith('server-side dry run refused'));
    expect(refused.map((e) => e.scope).sort()).toEqual(
      [
        'apps/v1 Deployment in shop',
        'batch/v1 CronJob in shop',
        'example.com/v1 Widget in shop',
        'policy/v1 PodDisruptionBudget in shop',
        'v1 ConfigMap in shop',
        'v1 Service in shop',
        'v1 Namespace',
      ].sort(),
    );
    const deployments = refused.find((e) => e.scope === 'apps/v1 Deployment in shop');
    expect(deployments?.message).toBe(
      'server-side dry run refused: it needs patch on deployments in namespace shop; compared without it',
    );
    expect(result.report.drift).toEqual([]);
  });

  it('inside a pod, with no kubeconfig, reads with the service account', async () => {
    const c = cluster();
    // A pod's view: the token and CA where the kubelet mounts them, the API server in the environment.
    const root = join(c.dir, 'pod');
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    const kk = (args: string[]) => c.kubectl(args, { check: true });
    writeFileSync(
      join(sa, 'token'),
      (await kk(['create', 'token', 'drift-reader', '-n', 'shop'])).stdout.trim(),
    );
    const ca = (
      await kk([
        'config',
        'view',
        '--raw',
        '--minify',
        '-o',
        'jsonpath={.clusters[0].cluster.certificate-authority-data}',
      ])
    ).stdout;
    writeFileSync(join(sa, 'ca.crt'), Buffer.from(ca, 'base64'));
    writeFileSync(join(sa, 'namespace'), 'shop');
    const url = new URL(c.server);
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = url.hostname;
    process.env.KUBERNETES_SERVICE_PORT = url.port;
    try {
      const result = await runDriftJob({
        paths: [fixture('plain')],
        cwd: c.dir,
        connectOptions: {
          env: { HOME: root, KUBERNETES_SERVICE_HOST: url.hostname },
          serviceAccountRoot: root,
        },
      });
      expect(result.fatal).toBeUndefined();
      expect(result.context).toBe('in-cluster');
      expect(result.report.drift).toEqual([]);
      expect(result.report.errors.map((e) => e.scope)).toEqual(['v1 Secret in shop']);
    } finally {
      process.env.KUBERNETES_SERVICE_HOST = saved.host;
      process.env.KUBERNETES_SERVICE_PORT = saved.port;
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    }
  });

  it('names a kind the cluster does not serve', async () => {
    const c = cluster();
    const dir = join(c.dir, 'unserved');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'thing.yaml'),
      'apiVersion: nothere.example.com/v1\nkind: Thing\nmetadata: { name: a, namespace: shop }\n',
    );
    const result = await runDriftJob({ paths: [dir], cwd: c.dir, kubeconfig: c.kubeconfig });
    expect(result.report.errors.map((e) => e.message)).toEqual([
      'Thing (nothere.example.com/v1) is not served by this cluster: 1 object in Git not compared',
    ]);
    expect(result.report.missing).toEqual([]);
  });

  it('a chart that does not render is an error in the report, exit 2, and the rest is compared', async () => {
    const c = cluster();
    const broken = join(c.dir, 'broken-chart');
    mkdirSync(join(broken, 'templates'), { recursive: true });
    writeFileSync(join(broken, 'Chart.yaml'), 'apiVersion: v2\nname: broken\nversion: 0.1.0\n');
    writeFileSync(
      join(broken, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.nope.deeper }}\n',
    );
    const { io: cli, out } = io(c.dir);
    const code = await runCli(
      ['drift', broken, fixture('plain'), '--kubeconfig', c.kubeconfig, '--format', 'json'],
      cli,
    );
    expect(code).toBe(2);
    const report = JSON.parse(out.stdout);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].message).toMatch(/nope/);
    expect(report.drift).toEqual([]);
    expect(report.missing).toEqual([]);
  });

  it('an unreachable cluster is one clear line and exit status 3, not a stack trace', async () => {
    const c = cluster();
    const dead = join(c.dir, 'dead.kubeconfig');
    writeFileSync(
      dead,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'gone', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } },
        ],
        users: [{ name: 'u', user: { token: 'not-a-real-token' } }],
        contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'u' } }],
        'current-context': 'gone',
      }),
    );
    const { io: cli, out } = io(c.dir);
    const code = await runCli(['drift', fixture('plain'), '--kubeconfig', dead], cli);
    expect(code).toBe(3);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      'shipshape drift: cannot reach the cluster at https://127.0.0.1:1: connection refused\n',
    );
    expect(out.stderr).not.toContain('not-a-real-token');
  });

  it('an unknown context is one clear line', async () => {
    const c = cluster();
    const { io: cli, out } = io(c.dir);
    const code = await runCli(
      ['drift', fixture('plain'), '--kubeconfig', c.kubeconfig, '--context', 'nope'],
      cli,
    );
    expect(code).toBe(3);
    expect(out.stderr).toBe('shipshape drift: the kubeconfig has no context named "nope"\n');
  });
});
