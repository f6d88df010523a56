// What the drift job does when the cluster says no: a kind the account may not list is one line
// in the report, the rest is compared and the result says it is partial (never clean); an account
// that can read nothing, a cluster that does not answer, one that accepts connections and never
// answers, and refused credentials are each one clear line and exit status 3.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
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
let nobodyKubeconfig: string;
let nsReaderKubeconfig: string;

/** An account that may read everything Git declares, but only namespace by namespace (a RoleBinding). */
const NS_READER = `
apiVersion: v1
kind: ServiceAccount
metadata: { name: ns-reader, namespace: shop }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: ns-reader, namespace: shop }
rules:
  - apiGroups: ['', apps, batch, policy, example.com]
    resources: [deployments, statefulsets, daemonsets, jobs, cronjobs, services, configmaps, secrets, pods, poddisruptionbudgets, widgets]
    verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: ns-reader, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: ns-reader }
subjects: [{ kind: ServiceAccount, name: ns-reader, namespace: shop }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: ns-reader-namespaces }
rules:
  - apiGroups: ['']
    resources: [namespaces]
    verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ns-reader-namespaces }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ns-reader-namespaces }
subjects: [{ kind: ServiceAccount, name: ns-reader, namespace: shop }]
`;

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
  cpSync(fixture('plain'), join(c.dir, 'plain'), { recursive: true });
  await k(['apply', '-f', join(c.dir, 'plain')]);
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
  const kubeconfigFor = (file: string, user: string, userToken: string) => {
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'local', cluster: { server: c.server, 'certificate-authority-data': ca } }],
        users: [{ name: user, user: { token: userToken } }],
        contexts: [{ name: `${user}@local`, context: { cluster: 'local', user } }],
        'current-context': `${user}@local`,
      }),
      { mode: 0o600 },
    );
    return file;
  };
  readerKubeconfig = kubeconfigFor(join(c.dir, 'reader.kubeconfig'), 'reader', token);
  // An account with no RBAC at all: it can ask /version and discovery, and list nothing.
  await k(['create', 'serviceaccount', 'nobody', '-n', 'shop']);
  const nobody = (await k(['create', 'token', 'nobody', '-n', 'shop'])).stdout.trim();
  nobodyKubeconfig = kubeconfigFor(join(c.dir, 'nobody.kubeconfig'), 'nobody', nobody);
  kubeconfigFor(join(c.dir, 'bogus.kubeconfig'), 'bogus', 'not-a-token-the-cluster-issued');
  await k(['apply', '-f', '-'], NS_READER);
  const nsReader = (await k(['create', 'token', 'ns-reader', '-n', 'shop'])).stdout.trim();
  nsReaderKubeconfig = kubeconfigFor(join(c.dir, 'ns-reader.kubeconfig'), 'ns-reader', nsReader);
}, 180_000);

describe('drift faults', () => {
  it('reports a kind the account may not list, and compares the rest', async () => {
    const c = cluster();
    const result = await runDriftJob({ paths: ['plain'], cwd: c.dir, kubeconfig: readerKubeconfig });
    expect(result.fatal).toBeUndefined();
    expect(result.report.errors).toEqual([
      {
        scope: 'v1 Secret in shop',
        message: expect.stringMatching(
          /^forbidden: cannot list secrets in namespace shop; grant get and list on it \(examples\/in-cluster\/rbac\.yaml/,
        ),
      },
    ]);
    // Everything else was read and compared: no drift on untouched objects, nothing missing.
    expect(result.report.drift).toEqual([]);
    expect(result.report.missing).toEqual([]);
    expect(result.stats.compared).toBe(result.stats.objects - 1);
    expect(result.context).toBe('reader@local');
    expect(result.report.coverage).toMatchObject({
      status: 'partial',
      notCompared: ['v1 Secret in shop (1 object in Git)'],
    });
  });

  it('many namespaces: one cluster-wide list where allowed, one per namespace where RBAC is by namespace', async () => {
    const c = cluster();
    const run = (kubeconfig: string, wideFrom: number) =>
      runDriftJob({ paths: ['plain'], cwd: c.dir, kubeconfig, wideFrom });
    const perNamespace = await run(c.kubeconfig, 100);
    const wide = await run(c.kubeconfig, 1);
    expect(wide.report.coverage?.status).toBe('complete');
    expect(wide.report.errors).toEqual([]);
    expect(wide.report).toEqual({ ...perNamespace.report });
    // Refused cluster-wide, the same lists namespace by namespace: complete, and no error about it.
    const byNamespace = await run(nsReaderKubeconfig, 1);
    expect(byNamespace.report.errors).toEqual([]);
    expect(byNamespace.report.coverage?.status).toBe('complete');
    expect(byNamespace.stats.compared).toBe(perNamespace.stats.compared);
  });

  it('partially readable: the CLI says so on its first line and exits 3, not 0', async () => {
    const c = cluster();
    const { io: cli, out } = io(c.dir);
    const code = await runCli(['drift', 'plain', '--kubeconfig', readerKubeconfig], cli);
    expect(out.stdout.split('\n')[0]).toBe(
      'Partial result in reader@local: no drift in what was compared, but v1 Secret in shop (1 object in Git) could not be compared',
    );
    expect(out.stdout).toContain('Not compared\n  v1 Secret in shop (1 object in Git)');
    expect(code).toBe(3);
  });

  it('unreadable: an account that can list nothing is exit 3 and never "No drift"', async () => {
    const c = cluster();
    const { io: cli, out } = io(c.dir);
    const code = await runCli(['drift', 'plain', '--kubeconfig', nobodyKubeconfig], cli);
    expect(code).toBe(3);
    expect(out.stdout.split('\n')[0]).toMatch(
      /^Not compared in nobody@local: nothing could be read from the cluster \(.+\); this is not a clean result$/,
    );
    expect(out.stdout).not.toContain('No drift');
    expect(out.stdout).toContain('forbidden: cannot list deployments in namespace shop');
    expect(out.stderr).toBe(
      "shipshape drift: nothing could be read from the cluster; see the report's errors\n",
    );
  });

  it('refused credentials (401) are one line that says what to check, exit 3', async () => {
    const c = cluster();
    const { io: cli, out } = io(c.dir);
    const code = await runCli(['drift', 'plain', '--kubeconfig', join(c.dir, 'bogus.kubeconfig')], cli);
    expect(code).toBe(3);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      `shipshape drift: the cluster at ${c.server} refused the credentials (401 Unauthorized) (context "bogus@local"): ` +
        'the token may have expired, or the kubeconfig may be for another cluster; check the kubeconfig and its ' +
        'context (inside a pod: the service account and its token)\n',
    );
    expect(out.stderr).not.toContain('not-a-token-the-cluster-issued');
  });

  it('a black hole (accepts connections, never answers) costs one request timeout, exit 3', async () => {
    const c = cluster();
    const sockets: Socket[] = [];
    const hole: Server = createServer((s) => {
      sockets.push(s);
    });
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    const port = (hole.address() as { port: number }).port;
    const file = join(c.dir, 'hole.kubeconfig');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'hole',
            cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true },
          },
        ],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'hole', context: { cluster: 'hole', user: 'u' } }],
        'current-context': 'hole',
      }),
    );
    try {
      const { io: cli, out } = io(c.dir);
      const started = Date.now();
      const code = await runCli(['drift', 'plain', '--kubeconfig', file, '--request-timeout', '2'], cli);
      const seconds = (Date.now() - started) / 1000;
      expect(code).toBe(3);
      expect(out.stdout).toBe('');
      expect(out.stderr).toBe(
        `shipshape drift: the cluster at https://127.0.0.1:${port} did not answer GET /version within 2 s; ` +
          'raise drift.requestTimeoutSeconds (--request-timeout) if it is only slow\n',
      );
      expect(seconds).toBeLessThan(6);
      expect(sockets.length).toBe(1); // a timeout is not retried
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => hole.close(r));
    }
  });

  it('the run has a deadline: a black hole behind a long request timeout still ends at it', async () => {
    const c = cluster();
    const sockets: Socket[] = [];
    const hole: Server = createServer((s) => {
      sockets.push(s);
    });
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    const port = (hole.address() as { port: number }).port;
    const file = join(c.dir, 'hole2.kubeconfig');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'hole',
            cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true },
          },
        ],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'hole', context: { cluster: 'hole', user: 'u' } }],
        'current-context': 'hole',
      }),
    );
    try {
      const { io: cli, out } = io(c.dir);
      const code = await runCli(
        ['drift', 'plain', '--kubeconfig', file, '--request-timeout', '60', '--timeout', '5'],
        cli,
      );
      expect(code).toBe(3);
      expect(out.stderr).toBe(
        `shipshape drift: the run against https://127.0.0.1:${port} did not finish within its deadline of 5 s; ` +
          'raise drift.deadlineSeconds (--timeout) if the cluster is only large\n',
      );
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => hole.close(r));
    }
  });

  it('a server-side dry run without patch permission is reported once per kind, and compared without it', async () => {
    const c = cluster();
    const result = await runDriftJob({
      paths: ['plain'],
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
        paths: ['plain'],
        cwd: c.dir,
        connectOptions: {
          env: { HOME: root, KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port },
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
    const result = await runDriftJob({ paths: ['unserved'], cwd: c.dir, kubeconfig: c.kubeconfig });
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
      ['drift', 'broken-chart', 'plain', '--kubeconfig', c.kubeconfig, '--format', 'json'],
      cli,
    );
    expect(code).toBe(2);
    const report = JSON.parse(out.stdout);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].message).toMatch(/nope/);
    expect(report.drift).toEqual([]);
    expect(report.missing).toEqual([]);
    expect(report.coverage).toMatchObject({
      status: 'partial',
      notCompared: ['broken-chart (did not render)'],
    });
    const text = io(c.dir);
    await runCli(['drift', 'broken-chart', 'plain', '--kubeconfig', c.kubeconfig], text.io);
    expect(text.out.stdout.split('\n')[0]).toMatch(
      /^Partial result in \S+: no drift in what was compared, but broken-chart \(did not render\) could not be compared$/,
    );
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
    const code = await runCli(['drift', 'plain', '--kubeconfig', dead], cli);
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
    const code = await runCli(['drift', 'plain', '--kubeconfig', c.kubeconfig, '--context', 'nope'], cli);
    expect(code).toBe(3);
    expect(out.stderr).toBe('shipshape drift: the kubeconfig has no context named "nope"\n');
  });
});
