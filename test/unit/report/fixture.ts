import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../../src/config/index.js';
import { type CheckResult, runCheck } from '../../../src/jobs/check.js';
import { FAKE_RULES } from '../suppress/fake-rules.js';

/**
 * A small project on disk (two manifest files, one with a YAML syntax error after a good document,
 * one suppression) checked with the fake rules: a realistic CheckResult for the report tests.
 */
export const API_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  labels: { app: api }
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: api
          image: "shop/api:1.0"
`;

export const BROKEN_YAML = `apiVersion: v1
kind: ConfigMap
metadata:
  name: "100% | <pipes>, commas: and colons"
  namespace: shop
---
apiVersion: v1
kind: ConfigMap
metadata: { name: [oops
`;

export const WORKER_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
  annotations:
    shipshape.io/ignore.fake-labels: "labels come from the chart; expires=2030-01-01"
spec:
  replicas: 3
`;

export async function makeProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shipshape-report-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

export async function sampleResult(): Promise<CheckResult> {
  const dir = await makeProject({
    'deploy/api.yaml': API_YAML,
    'deploy/broken.yaml': BROKEN_YAML,
    'deploy/worker.yaml': WORKER_YAML,
  });
  return runCheck({
    paths: ['deploy'],
    cwd: dir,
    config: defaultConfig(dir),
    rules: FAKE_RULES,
    today: '2026-06-15',
  });
}
