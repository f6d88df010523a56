// No permanent false drift. A realistic deployment (a Helm chart with hooks of every delete policy
// and a migration Job, plain manifests applied client-side and server-side) reads clean before
// anyone touches it, with and without the server-side dry run: no hook reported missing, the same
// port on TCP and UDP not confused (Services and containers), RoleBinding subjects compared whole,
// the DNS egress rule surviving the dry run. Then real changes to exactly those places are found,
// on the right item, and every item points at the file and line a human edits.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import { loadConfig } from '../../../src/config/index.js';
import type { DriftItem } from '../../../src/drift/types.js';
import { type DriftResult, runDriftJob } from '../../../src/jobs/drift.js';
import { type TestCluster, useCluster } from '../support/cluster.js';

const cluster = useCluster();

const CHART: Record<string, string> = {
  'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'charts/app/values.yaml':
    'image:\n  repository: registry.example.com/shop/app\n  tag: "1.4.2"\nstatsd: 9125\n',
  'charts/app/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: { app: app }
spec:
  replicas: 2
  selector:
    matchLabels: { app: app }
  template:
    metadata:
      labels: { app: app }
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - name: http
              containerPort: 8080
            - name: statsd-tcp
              containerPort: {{ .Values.statsd }}
            - name: statsd-udp
              containerPort: {{ .Values.statsd }}
              protocol: UDP
`,
  'charts/app/templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector: { app: app }
  ports:
    - name: dns-tcp
      port: 53
      targetPort: 5353
    - name: dns-udp
      port: 53
      targetPort: 5353
      protocol: UDP
`,
  'charts/app/templates/rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
  - kind: ServiceAccount
    name: default
    namespace: shop
  - kind: ServiceAccount
    name: default
    namespace: payments
`,
  'charts/app/templates/hooks.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-delete-policy: hook-succeeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          args: [migrate]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hook-before-creation
  annotations:
    helm.sh/hook: pre-install
    helm.sh/hook-delete-policy: before-hook-creation
data: { step: before }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hook-succeeded
  annotations:
    helm.sh/hook: post-install
    helm.sh/hook-delete-policy: hook-succeeded
data: { step: succeeded }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hook-failed
  annotations:
    helm.sh/hook: post-install
    helm.sh/hook-delete-policy: hook-failed
data: { step: failed }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: hook-kept
  annotations:
    helm.sh/hook: post-install
data: { step: kept }
---
apiVersion: v1
kind: Pod
metadata:
  name: app-test
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
  containers:
    - name: test
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
      args: [selftest]
`,
};

const PLAIN: Record<string, string> = {
  // The usual DNS egress rule, as examples/in-cluster writes it: UDP 53 and TCP 53.
  'plain/netpol.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: dns-egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`,
  'plain/statsd.yaml': `apiVersion: v1
kind: Service
metadata:
  name: statsd
  namespace: shop
spec:
  selector: { app: statsd }
  ports:
    - { name: tcp, port: 9125, targetPort: 9125 }
    - { name: udp, port: 9125, targetPort: 9125, protocol: UDP }
`,
};

let repo: string;
let clean: DriftResult;

function write(root: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

/**
 * `helm install` waits for the pre-install Job; with no job controller here, the test plays it:
 * the Job's status is written through the status subresource once helm has created it.
 */
async function helmInstall(c: TestCluster): Promise<void> {
  const helm = spawn(
    c.tools.helm,
    ['install', 'app', join(repo, 'charts/app'), '-n', 'shop', '--timeout', '90s'],
    {
      env: c.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  helm.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<number>((resolve) => helm.on('close', (code) => resolve(code ?? -1)));
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const status = {
    status: {
      startTime: now,
      completionTime: now,
      succeeded: 1,
      active: 0,
      ready: 0,
      terminating: 0,
      conditions: [
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          reason: 'CompletionsReached',
          lastProbeTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'Complete',
          status: 'True',
          reason: 'CompletionsReached',
          lastProbeTime: now,
          lastTransitionTime: now,
        },
      ],
    },
  };
  for (let i = 0; i < 300; i++) {
    const got = await c.kubectl(['get', 'job/migrate', '-n', 'shop', '-o', 'name']);
    if (got.code === 0) {
      await c.kubectl(
        [
          'patch',
          'job/migrate',
          '-n',
          'shop',
          '--subresource=status',
          '--type=merge',
          '-p',
          JSON.stringify(status),
        ],
        { check: true },
      );
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await done, stderr).toBe(0);
}

async function drift(c: TestCluster, extra: { serverSideDryRun?: boolean } = {}): Promise<DriftResult> {
  const { config, errors } = await loadConfig({ cwd: repo });
  expect(errors).toEqual([]);
  return runDriftJob({ paths: [], cwd: repo, config, kubeconfig: c.kubeconfig, ...extra });
}

function cli(cwd: string) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    stdoutIsTTY: false,
    env: {},
    cwd,
    writeFile: async () => {},
  };
  return { io, out };
}

const key = (d: DriftItem) => `${d.object.kind}/${d.object.name} ${d.type} ${d.path}`;

beforeAll(async () => {
  const c = cluster();
  repo = join(c.dir, 'repo');
  write(repo, { ...CHART, ...PLAIN });
  write(repo, {
    '.shipshape.yaml': [
      'targets:',
      '  - chart: charts/app',
      '    releaseName: app',
      '    namespace: shop',
      '  - plain: [plain]',
      '',
    ].join('\n'),
  });
  const k = (args: string[]) => c.kubectl(args, { check: true });
  await k(['create', 'namespace', 'shop']);
  await k(['create', 'namespace', 'payments']);
  await helmInstall(c);
  await k(['apply', '-f', join(repo, 'plain/netpol.yaml')]);
  await k(['apply', '--server-side', '-f', join(repo, 'plain/statsd.yaml')]);
  clean = await drift(c);
}, 180_000);

describe('a deployment nobody touched', () => {
  it('reads clean: every kind read, lists paired as the API server says they merge', () => {
    expect(clean.fatal).toBeUndefined();
    expect(clean.report.errors).toEqual([]);
    expect(clean.report.drift.map(key)).toEqual([]);
    expect(clean.report.missing).toEqual([]);
    expect(clean.report.coverage).toEqual({ status: 'complete', notCompared: [], lists: 'openapi-v3' });
  });

  it('hooks: only the one Helm keeps is compared; deleted and test hooks are not missing', async () => {
    const c = cluster();
    // What helm left behind, for the record: the kept hooks are there, the deleted ones are not.
    const cms = await c.kubectl(['get', 'configmaps', '-n', 'shop', '-o', 'name'], { check: true });
    expect(cms.stdout).toContain('configmap/hook-kept');
    expect(cms.stdout).toContain('configmap/hook-before-creation');
    expect(cms.stdout).not.toContain('configmap/hook-succeeded');
    expect((await c.kubectl(['get', 'job/migrate', '-n', 'shop'])).code).not.toBe(0);
    // Compared: the chart's Deployment, Service, Role, RoleBinding, the kept hook; plain: 2.
    expect(clean.stats.compared).toBe(7);
  });

  it('reads clean through the server-side dry run too (the DNS egress rule keeps UDP and TCP)', async () => {
    const dry = await drift(cluster(), { serverSideDryRun: true });
    expect(dry.report.errors).toEqual([]);
    expect(dry.report.drift.map(key)).toEqual([]);
    expect(dry.report.missing).toEqual([]);
  });

  it('the CLI exits 0 and says so on its first line', async () => {
    const c = cluster();
    const { io, out } = cli(repo);
    const code = await runCli(['drift', '--kubeconfig', c.kubeconfig], io);
    expect(out.stderr).toBe('');
    expect(out.stdout.split('\n')[0]).toMatch(/^No drift in \S+: the cluster matches Git$/);
    expect(out.stdout).toContain("Lists were paired the way the API server's OpenAPI v3 says they merge.");
    expect(code).toBe(0);
  });
});

describe('objects Git does not know (opt-in)', () => {
  it("lists what someone made by hand in Git's namespaces, with the manager that made it", async () => {
    const c = cluster();
    const k = (args: string[]) => c.kubectl(args, { check: true });
    // No controller manager here: the namespace's default service account is ours to make.
    await k(['create', 'serviceaccount', 'default', '-n', 'shop']);
    await k(['create', 'configmap', 'hotfix', '-n', 'shop', '--from-literal=FLAG=on']);
    await k(['run', 'debug', '-n', 'shop', '--image=busybox:1.36', '--restart=Never', '--', 'sleep', '3600']);
    // Not in a namespace Git's targets own: not Git's business.
    await k(['create', 'configmap', 'elsewhere', '-n', 'payments']);
    try {
      const { config } = await loadConfig({ cwd: repo });
      const result = await runDriftJob({
        paths: [],
        cwd: repo,
        config,
        kubeconfig: c.kubeconfig,
        orphans: true,
      });
      const found = result.report.orphans?.map((o) => [`${o.object.kind}/${o.object.name}`, o.manager]);
      // Not the hooks Helm kept, not Helm's release Secret, not the default service account.
      expect(found).toEqual([
        ['ConfigMap/hotfix', 'kubectl-create'],
        ['Pod/debug', 'kubectl-run'],
      ]);
      expect(result.report.coverage?.status).toBe('complete');
      const { io, out } = cli(repo);
      expect(await runCli(['drift', '--kubeconfig', c.kubeconfig, '--orphans'], io)).toBe(1);
      expect(out.stdout.split('\n')[0]).toMatch(
        /^Drift in \S+: 0 drifted fields in 0 objects, 0 missing, 2 not in Git, /,
      );
      // Off by default: the same cluster reads clean.
      expect((await drift(c)).report.orphans).toBeUndefined();
    } finally {
      await k(['delete', 'configmap/hotfix', 'pod/debug', '-n', 'shop', '--wait=false']);
    }
  });
});

describe('then changed by hand', () => {
  let changed: DriftResult;

  beforeAll(async () => {
    const c = cluster();
    const k = (args: string[]) => c.kubectl(args, { check: true });
    // The UDP entry of a port both protocols share, renamed.
    await k([
      'patch',
      'service/dns',
      '-n',
      'shop',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/ports/1/name', value: 'dns-udp-hotfix' }]),
    ]);
    // One subject of the RoleBinding pointed elsewhere.
    await k([
      'patch',
      'rolebinding/reader',
      '-n',
      'shop',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: '/subjects/1/namespace', value: 'billing' }]),
    ]);
    await k(['set', 'env', 'deployment/app', '-n', 'shop', 'DEBUG=true']);
    await k(['delete', 'service/statsd', '-n', 'shop']);
    await k(['delete', 'configmap/hook-kept', '-n', 'shop']);
    changed = await drift(c);
  }, 120_000);

  it('finds each change on the right item, with its manager', () => {
    const items = changed.report.drift.map((d) => [key(d), d.manager]);
    expect(items).toEqual([
      ['Deployment/app added spec.template.spec.containers[name=app].env[name=DEBUG]', 'kubectl-set'],
      ['RoleBinding/reader changed subjects', 'kubectl-patch'],
      ['Service/dns changed spec.ports[port=53,protocol=UDP].name', 'kubectl-patch'],
    ]);
  });

  it('points each item at the file and line a human edits, relative to the repository', () => {
    const source = (path: string) => changed.report.drift.find((d) => d.path === path)?.source;
    // The env var Git does not declare: its container's line in the template.
    expect(source('spec.template.spec.containers[name=app].env[name=DEBUG]')).toBe(
      'charts/app/templates/deployment.yaml:15',
    );
    expect(source('spec.ports[port=53,protocol=UDP].name')).toBe('charts/app/templates/service.yaml:11');
    expect(source('subjects')).toBe('charts/app/templates/rbac.yaml:18');
    expect(changed.report.missing).toEqual([
      {
        object: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'statsd' },
        source: 'plain/statsd.yaml:1',
      },
    ]);
  });

  it('a kept hook deleted by hand is not missing: Helm makes it again on the next upgrade', () => {
    expect(changed.report.missing.map((m) => m.object.name)).not.toContain('hook-kept');
  });

  it('a Helm object deleted by hand is missing, at its template line', async () => {
    const c = cluster();
    await c.kubectl(['delete', 'service/dns', '-n', 'shop'], { check: true });
    const after = await drift(c);
    expect(after.report.missing).toContainEqual({
      object: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'dns' },
      source: 'charts/app/templates/service.yaml:1',
    });
  });
});
