// Benchmark: the whole `shipshape check` process on generated fleets of 1,000, 10,000 and 50,000
// objects (Deployments, Services, PodDisruptionBudgets and ConfigMaps over many namespaces and files).
// Targets (issue 2): 10,000 objects < 1.5 s, 50,000 < 6 s, peak memory < 512 MiB, linear growth.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machine, measureNode, median } from './measure.mjs';

const root = path.resolve(import.meta.dirname, '..');
// SHIPSHAPE_CLI=path/to/cli.js measures another build (a tsc-compiled lib/cli/main.js works too).
const CLI = process.env.SHIPSHAPE_CLI ?? path.join(root, 'dist/cli.js');
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const APPS_PER_FILE = 5;
const APPS_PER_NAMESPACE = 40;

function app(i) {
  const ns = `team-${Math.floor(i / APPS_PER_NAMESPACE)}`;
  const name = `svc-${i}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: ${i % 3 === 0 ? 1 : 3}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
      annotations:
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: ${name}
      containers:
        - name: app
          image: registry.example.com/shop/${name}:1.${i % 50}.0${i % 7 === 0 ? '-debug' : ''}
          ports:
            - name: http
              containerPort: 8080
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          readinessProbe:
            httpGet: { path: /ready, port: http }
          livenessProbe:
            httpGet: { path: /live, port: http }
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          envFrom:
            - configMapRef: { name: ${name} }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "checkout,search,recommendations"
`;
}

export function generate(objects) {
  const dir = mkdtempSync(path.join(tmpdir(), `shipshape-fleet-${objects}-`));
  const apps = objects / 4;
  for (let f = 0; f * APPS_PER_FILE < apps; f++) {
    const ns = Math.floor((f * APPS_PER_FILE) / APPS_PER_NAMESPACE);
    const docs = [];
    for (let i = f * APPS_PER_FILE; i < Math.min(apps, (f + 1) * APPS_PER_FILE); i++) docs.push(app(i));
    mkdirSync(path.join(dir, `team-${ns}`), { recursive: true });
    writeFileSync(path.join(dir, `team-${ns}`, `apps-${f}.yaml`), docs.join('---\n'));
  }
  return dir;
}

export async function run() {
  const rows = [];
  for (const size of SIZES) {
    const dir = generate(size);
    const samples = [];
    for (let r = 0; r < RUNS; r++) {
      const m = await measureNode([CLI, 'check', '.', '--format', 'json'], {
        cwd: dir,
      });
      if (m.code !== 0 && m.code !== 1) throw new Error(`check exited ${m.code}: ${m.stderr.slice(0, 500)}`);
      samples.push(m);
    }
    rmSync(dir, { recursive: true, force: true });
    const seconds = median(samples.map((s) => s.seconds));
    const peakMiB = Math.max(...samples.map((s) => s.peakMiB));
    rows.push({ objects: size, seconds, peakMiB, perThousand: (seconds / size) * 1000 });
    console.log(
      `check ${size} objects: ${seconds.toFixed(2)} s (median of ${RUNS}), peak ${peakMiB.toFixed(0)} MiB`,
    );
  }
  return { machine: machine(), date: new Date().toISOString().slice(0, 10), rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  console.log(JSON.stringify(result, null, 2));
}
