// Sharding benchmark: a generated monorepo of 311 targets (70 charts with default, staging and
// production values, 50 apps with a base and two overlays, one folder of plain manifests), checked
// by one `shipshape check` process and by each of 4 `shipshape check --shard I/4` processes, one
// after another (as each job of a matrix has its own runner). Target: the slowest shard takes at
// most 0.35 x the unsharded time, and the shards together find exactly what one run finds.
//
//   tsc -p tsconfig.json --outDir lib (or npm run build), then: npm run bench shard
//   SHIPSHAPE_LIB=<compiled src> (default lib/), SHIPSHAPE_CLI=<the CLI measured> (default
//   <lib>/cli/main.js), ROUNDS (default 2), SHARDS (default 4).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureNode } from './measure.mjs';

const root = path.resolve(import.meta.dirname, '..');
const lib = path.resolve(root, process.env.SHIPSHAPE_LIB ?? 'lib');
const cliEntry = path.resolve(root, process.env.SHIPSHAPE_CLI ?? path.join(lib, 'cli/main.js'));

const CHARTS = 70;
const APPS = 50;

function write(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A chart whose size varies with `i`: 1 to 6 extra ConfigMap templates, some big ones. */
function chart(dir, i) {
  write(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: svc-${i}\nversion: 1.${i}.0\n`);
  write(
    path.join(dir, 'values.yaml'),
    `replicaCount: 2\nimage:\n  repository: registry.example.com/team/svc-${i}\n  tag: "1.${i}.0"\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n  limits:\n    memory: 256Mi\nport: 8080\nsettings:\n${Array.from({ length: 4 + (i % 9) * 6 }, (_, k) => `  key${k}: "value ${k} of svc-${i}"`).join('\n')}\n`,
  );
  write(path.join(dir, 'values-staging.yaml'), `replicaCount: 1\nimage:\n  tag: "1.${i}.0-rc.1"\n`);
  write(
    path.join(dir, 'values-prod.yaml'),
    `replicaCount: 3\nresources:\n  limits:\n    cpu: 500m\n    memory: 256Mi\n`,
  );
  write(
    path.join(dir, 'templates/_helpers.tpl'),
    `{{- define "svc.labels" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\napp.kubernetes.io/instance: {{ .Release.Name }}\n{{- end -}}\n`,
  );
  write(
    path.join(dir, 'templates/deployment.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
  labels:
    {{- include "svc.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "svc.labels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "svc.labels" . | nindent 8 }}
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - name: http
              containerPort: {{ .Values.port }}
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`,
  );
  write(
    path.join(dir, 'templates/service.yaml'),
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\nspec:\n  selector:\n    {{- include "svc.labels" . | nindent 4 }}\n  ports:\n    - port: 80\n      targetPort: http\n`,
  );
  for (let k = 0; k < 1 + (i % 6); k++) {
    write(
      path.join(dir, `templates/config-${k}.yaml`),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config-${k}\ndata:\n  {{- range $key, $value := .Values.settings }}\n  {{ $key }}-${k}: {{ $value | quote }}\n  {{- end }}\n`,
    );
  }
}

/** An app with a base and two overlays (two targets). */
function app(dir, i) {
  write(path.join(dir, 'base/kustomization.yaml'), 'resources:\n  - deployment.yaml\n  - service.yaml\n');
  write(
    path.join(dir, 'base/deployment.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  replicas: 2
  selector:
    matchLabels: { app: app-${i} }
  template:
    metadata:
      labels: { app: app-${i} }
    spec:
      containers:
        - name: app
          image: registry.example.com/apps/app-${i}:2.${i}.0
          resources:
            requests: { cpu: 50m, memory: 64Mi }
            limits: { memory: 128Mi }
`,
  );
  write(
    path.join(dir, 'base/service.yaml'),
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\nspec:\n  selector: { app: app-${i} }\n  ports:\n    - port: 80\n`,
  );
  for (const env of ['staging', 'prod']) {
    write(
      path.join(dir, `overlays/${env}/kustomization.yaml`),
      `namespace: app-${i}-${env}\nresources:\n  - ../../base\npatches:\n  - path: replicas.yaml\nimages:\n  - name: registry.example.com/apps/app-${i}\n    newTag: 2.${i}.${env === 'prod' ? 1 : 2}\n`,
    );
    write(
      path.join(dir, `overlays/${env}/replicas.yaml`),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: ${env === 'prod' ? 3 : 1}\n`,
    );
  }
}

export function generate(dir) {
  for (let i = 0; i < CHARTS; i++) chart(path.join(dir, 'charts', `svc-${String(i).padStart(3, '0')}`), i);
  for (let i = 0; i < APPS; i++) app(path.join(dir, 'apps', `app-${String(i).padStart(3, '0')}`), i);
  for (let i = 0; i < 20; i++)
    write(
      path.join(dir, 'platform', `ns-${i}.yaml`),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-${i}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n  namespace: team-${i}\nspec:\n  hard:\n    pods: "50"\n`,
    );
  execFileSync('git', ['init', '-q'], { cwd: dir });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const ROUNDS = Number(process.env.ROUNDS ?? 2);
  const SHARDS = Number(process.env.SHARDS ?? 4);
  const work = mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-shard-'));
  try {
    generate(work);
    const outDir = path.join(work, '.out');
    mkdirSync(outDir);
    const check = (extra, out) =>
      measureNode(
        [cliEntry, 'check', '.', '--format', 'json', '--fail-on', 'never', '--output', out, ...extra],
        {
          cwd: work,
        },
      );
    const whole = [];
    const shards = Array.from({ length: SHARDS }, () => []);
    const taken = [];
    // Interleaved rounds, so that load from elsewhere on the machine falls on both alike.
    for (let r = 0; r < ROUNDS; r++) {
      const w = await check([], path.join(outDir, 'whole.json'));
      if (w.code !== 0) throw new Error(`unsharded check exited ${w.code}: ${w.stderr}`);
      whole.push(w.seconds);
      for (let s = 1; s <= SHARDS; s++) {
        const m = await check(['--shard', `${s}/${SHARDS}`], path.join(outDir, `shard-${s}.json`));
        if (m.code !== 0) throw new Error(`shard ${s} exited ${m.code}: ${m.stderr}`);
        shards[s - 1].push(m.seconds);
        if (r === 0) taken.push(Number(/: (\d+) of (\d+) targets/.exec(m.stderr)?.[1]));
      }
    }
    const total = Number(
      /of (\d+) targets/.exec((await check(['--shard', '1/1'], path.join(outDir, 'one.json'))).stderr)?.[1],
    );
    // The shards find what one run finds (one finding per rule, line and message, as check reports).
    const key = (f) =>
      `${f.ruleId}\0${f.location.file}:${f.location.line}:${f.location.column}\0${f.message}`;
    const read = (f) => JSON.parse(readFileSync(path.join(outDir, f), 'utf8')).findings.map(key);
    const one = [...new Set(read('whole.json'))].sort();
    const merged = [
      ...new Set(Array.from({ length: SHARDS }, (_, s) => read(`shard-${s + 1}.json`)).flat()),
    ].sort();
    const unsharded = median(whole);
    const perShard = shards.map(median);
    const slowest = Math.max(...perShard);
    return {
      targets: total,
      cores: os.cpus().length,
      rounds: ROUNDS,
      unshardedSeconds: +unsharded.toFixed(2),
      shardSeconds: perShard.map((s) => +s.toFixed(2)),
      targetsPerShard: taken,
      slowestShardRatio: +(slowest / unsharded).toFixed(3),
      target: 0.35,
      findings: one.length,
      shardsFindTheSame: JSON.stringify(one) === JSON.stringify(merged),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
