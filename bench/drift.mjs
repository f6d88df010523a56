// Benchmark: the whole `shipshape drift` process against the local control plane, holding what
// issue 15 asks for: 2,800 Deployments with 42,000 Pods, and their Services, ConfigMaps and
// PodDisruptionBudgets, across 230 namespaces, compared with Git (the same manifests on disk).
// Target: under 20 s for the whole drift run, peak memory under 512 MiB.
//
// Seeding is realistic where it matters to the drift job: the manifests go in with
// `kubectl apply --server-side` (managedFields of a deployer), pods are written by the
// "controller" and their status by the "kubelet" (imageIDs), and a handful of objects are then
// changed by hand with kubectl (scale, set image, label), so the run has drift to report.
//
//   npm run bench drift                 (SHIPSHAPE_CLI=path/to/cli.js to measure another build)
//   BENCH_NAMESPACES=23 BENCH_DEPLOYMENTS=280 npm run bench drift   (a tenth of it, for a quick look)
//
// Seeding takes minutes (42,000 pods, each written twice). To measure again without seeding again,
// keep a seeded cluster and point the bench at it:
//   node bench/drift.mjs seed DIR                  (seeds a detached cluster; Git's side in DIR/git)
//   BENCH_SEEDED=DIR npm run bench drift            (measures against it; `npm run cluster -- down
//                                                   --name bench-drift-seeded` removes it)
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { down, up } from '../scripts/cluster.mjs';
import { machine, measureNode, median } from './measure.mjs';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const NAMESPACES = Number(process.env.BENCH_NAMESPACES ?? 230);
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 2800);
const PODS_PER_DEPLOYMENT = 15; // 42,000 pods
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLI = process.env.SHIPSHAPE_CLI ?? path.join(root, 'dist/cli.js');

const digest = (n) => `sha256:${n.toString(16).padStart(64, '0')}`;

function app(i) {
  const ns = `team-${i % NAMESPACES}`;
  const name = `svc-${i}`;
  const image = `registry.example.com/shop/${name}:1.${i % 50}.0`;
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels: { app.kubernetes.io/name: ${name} }
spec:
  replicas: ${PODS_PER_DEPLOYMENT}
  selector:
    matchLabels: { app.kubernetes.io/name: ${name} }
  template:
    metadata:
      labels: { app.kubernetes.io/name: ${name} }
    spec:
      containers:
        - name: app
          image: ${image}
          ports:
            - { name: http, containerPort: 8080 }
          env:
            - { name: MODE, value: prod }
          resources:
            requests: { cpu: 0.1, memory: 128Mi }
            limits: { cpu: 0.5, memory: 0.25Gi }
          envFrom:
            - configMapRef: { name: ${name} }
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { app.kubernetes.io/name: ${name} }
  ports:
    - { name: http, port: 80, targetPort: http }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name}, namespace: ${ns} }
spec:
  maxUnavailable: 1
  selector:
    matchLabels: { app.kubernetes.io/name: ${name} }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}, namespace: ${ns} }
data:
  LOG_LEVEL: info
  WORKERS: "4"
`;
  return { ns, name, image, text };
}

/** Run `fn` over items, `n` at a time. */
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function seed(cluster, gitDir) {
  const kubectl = (args) =>
    exec(cluster.tools.kubectl, args, {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfig },
      maxBuffer: 64 << 20,
    });
  const apps = Array.from({ length: DEPLOYMENTS }, (_, i) => app(i));
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `team-${i}`);
  writeFileSync(
    path.join(gitDir, 'namespaces.yaml'),
    namespaces.map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }\n`).join('---\n'),
  );
  for (const ns of namespaces) {
    writeFileSync(
      path.join(gitDir, `${ns}.yaml`),
      apps
        .filter((a) => a.ns === ns)
        .map((a) => a.text)
        .join('---\n'),
    );
  }
  await kubectl(['apply', '--server-side', '-f', path.join(gitDir, 'namespaces.yaml')]);
  // One kubectl per namespace file, a few at a time: one kubectl for 11,000 objects is slow.
  await pool(namespaces, 4, (ns) =>
    kubectl(['apply', '--server-side', '-f', path.join(gitDir, `${ns}.yaml`)]),
  );

  // Pods, as the ReplicaSet controller and the kubelet would write them (no controllers run here).
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  await pool(namespaces, 8, (ns) =>
    core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'default' } } }),
  );
  const pods = apps.flatMap((a, i) =>
    Array.from({ length: PODS_PER_DEPLOYMENT }, (_, p) => ({
      a,
      i,
      p,
      name: `${a.name}-6d9f7-${p.toString(36).padStart(5, 'x')}`,
    })),
  );
  await pool(pods, 24, async ({ a, i, p, name }) => {
    const body = {
      metadata: {
        name,
        namespace: a.ns,
        labels: { 'app.kubernetes.io/name': a.name },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `${a.name}-6d9f7`,
            uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
            controller: true,
          },
        ],
      },
      spec: { containers: [{ name: 'app', image: a.image }] },
    };
    const created = await core.createNamespacedPod({
      namespace: a.ns,
      body,
      fieldManager: 'kube-controller-manager',
    });
    // One deployment in forty has a pod whose node pulled another build of the same tag.
    const id = i % 40 === 0 && p === 0 ? digest(100_000 + i) : digest(i + 1);
    created.status = {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 0,
          image: a.image,
          imageID: `${a.image.split(':')[0]}@${id}`,
          state: { running: {} },
        },
      ],
    };
    await core.replaceNamespacedPodStatus({ name, namespace: a.ns, body: created, fieldManager: 'kubelet' });
  });

  // Changes by hand, for the run to find.
  for (let i = 0; i < 5; i++)
    await kubectl(['scale', `deployment/svc-${i}`, '-n', `team-${i % NAMESPACES}`, '--replicas=2']);
  for (let i = 5; i < 7; i++)
    await kubectl([
      'set',
      'image',
      `deployment/svc-${i}`,
      '-n',
      `team-${i % NAMESPACES}`,
      `app=registry.example.com/shop/svc-${i}:1.0.0-debug`,
    ]);
  for (let i = 7; i < 10; i++)
    await kubectl(['label', `service/svc-${i}`, '-n', `team-${i % NAMESPACES}`, 'oncall=night']);
  await kubectl(['delete', 'configmap/svc-10', '-n', `team-${10 % NAMESPACES}`]);
  return { objects: NAMESPACES + apps.length * 4, pods: pods.length };
}

const SEEDED_NAME = 'bench-drift-seeded';

/** Seed a detached cluster to measure against again and again (`BENCH_SEEDED=dir`). */
async function seedOnly(dir) {
  const gitDir = path.join(dir, 'git');
  mkdirSync(gitDir, { recursive: true });
  const cluster = await up({ name: SEEDED_NAME, detached: true });
  const started = Date.now();
  const seeded = await seed(cluster, gitDir);
  const info = { ...seeded, seedSeconds: (Date.now() - started) / 1000, kubeconfig: cluster.kubeconfig };
  writeFileSync(path.join(dir, 'seeded.json'), JSON.stringify(info));
  return info;
}

export async function run() {
  const reuse = process.env.BENCH_SEEDED;
  const work = reuse ?? mkdtempSync(path.join(tmpdir(), 'shipshape-bench-drift-'));
  const gitDir = path.join(work, 'git');
  let cluster;
  let seeded;
  let seedSeconds;
  if (reuse) {
    const info = JSON.parse(readFileSync(path.join(reuse, 'seeded.json'), 'utf8'));
    cluster = { name: SEEDED_NAME, kubeconfig: info.kubeconfig, reused: true };
    seeded = info;
    seedSeconds = info.seedSeconds;
  } else {
    mkdirSync(gitDir);
    cluster = await up({ name: `bench-drift-${process.pid}` });
  }
  try {
    if (!reuse) {
      const seedStarted = Date.now();
      seeded = await seed(cluster, gitDir);
      seedSeconds = (Date.now() - seedStarted) / 1000;
    }
    const out = path.join(work, 'drift.json');
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const m = await measureNode(
        [CLI, 'drift', gitDir, '--kubeconfig', cluster.kubeconfig, '--format', 'json', '--output', out],
        { cwd: work },
      );
      if (m.code !== 0 && m.code !== 1) throw new Error(`drift exited ${m.code}: ${m.stderr}`);
      runs.push(m);
    }
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const count = (list, key) => {
      const out = {};
      for (const x of list) out[x[key]] = (out[x[key]] ?? 0) + 1;
      return out;
    };
    return {
      machine: machine(),
      cli: path.relative(root, CLI),
      cluster: `${NAMESPACES} namespaces, ${DEPLOYMENTS} Deployments, ${seeded.pods} Pods, ${DEPLOYMENTS} Services, ConfigMaps and PDBs (${seeded.objects} objects in Git)`,
      seedSeconds,
      runs: runs.map((m) => ({ seconds: +m.seconds.toFixed(2), peakMiB: +m.peakMiB.toFixed(0) })),
      medianSeconds: +median(runs.map((m) => m.seconds)).toFixed(2),
      maxPeakMiB: +Math.max(...runs.map((m) => m.peakMiB)).toFixed(0),
      found: {
        drift: count(report.drift, 'type'),
        missing: report.missing.length,
        images: count(report.images, 'kind'),
        errors: report.errors.map((e) => e.message),
        coverage: report.coverage,
      },
      targets: { seconds: 20, peakMiB: 512 },
    };
  } finally {
    if (!cluster.reused) {
      await down({ name: cluster.name });
      rmSync(work, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = process.argv[2] === 'seed' ? await seedOnly(path.resolve(process.argv[3])) : await run();
  console.log(JSON.stringify(result, null, 2));
}
