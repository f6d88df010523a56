import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { secrets } from '../../../src/secrets/index.js';
import { cli } from './io.js';

/**
 * The CLI in-process on plain manifests that hold secrets in every place a manifest can: no
 * secret value reaches stdout, stderr or a written report, in any format.
 */

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const CANARIES = {
  secretData: 'canary-secret-data-1',
  stringData: 'canary-string-data-2',
  mysqlPwd: 'canary-mysql-pwd-3',
  stripe: 'canary-stripe-sk-4',
  url: 'canary-url-password-5',
  flag: 'canary-flag-value-6',
  applied: 'canary-last-applied-7',
  configMap: 'canary-configmap-key-8',
};

const inner = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    template: {
      spec: { containers: [{ name: 'app', env: [{ name: 'API_TOKEN', value: CANARIES.applied }] }] },
    },
  },
};

const MANIFESTS = `apiVersion: v1
kind: Secret
metadata: { name: db, namespace: shop }
data:
  password: ${b64(CANARIES.secretData)}
stringData:
  token: ${CANARIES.stringData}
---
apiVersion: v1
kind: ConfigMap
metadata: { name: notes, namespace: shop }
data:
  API_KEY: ${CANARIES.configMap}
  # The same values, where no name says they are secret: masked as free text.
  readme: "db password is ${CANARIES.secretData}, token ${CANARIES.stringData}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '${JSON.stringify(inner)}'
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: app
          image: example/api:1.0
          args: ["--db-password=${CANARIES.flag}"]
          env:
            - { name: MYSQL_PWD, value: ${CANARIES.mysqlPwd} }
            - { name: STRIPE_SK, value: ${CANARIES.stripe} }
            - { name: DATABASE_URL, value: "postgres://app:${CANARIES.url}@db/app" }
            - { name: ECHO, value: "${CANARIES.mysqlPwd}" }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-secrets-'));
  await writeFile(path.join(dir, 'app.yaml'), MANIFESTS);
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => secrets.reset());

function expectNoCanary(text: string) {
  for (const [where, canary] of Object.entries(CANARIES)) {
    expect(text, where).not.toContain(canary);
    expect(text, `${where} (base64)`).not.toContain(b64(canary).replace(/=+$/, ''));
  }
}

describe('the CLI never prints a secret value', () => {
  it.each(['yaml', 'json', 'sources'])('render --format %s', async (format) => {
    const run = await cli(['render', '.', '--format', format], { cwd: dir });
    expect(run.stdout).toContain(format === 'json' ? '"kind": "ConfigMap"' : 'ConfigMap');
    expectNoCanary(run.stdout + run.stderr);
    if (format === 'yaml') {
      expect(run.stdout).toContain('readme: db password is <secret: 20 bytes>, token <secret: 20 bytes>');
      expect(run.stdout).toContain('value: "<secret: 18 bytes>"');
    }
  });

  it.each(['text', 'json', 'sarif', 'markdown', 'github'])(
    'check --format %s, to stdout and to a file',
    async (format) => {
      const out = await cli(['check', '.', '--format', format], { cwd: dir });
      expectNoCanary(out.stdout + out.stderr);
      const file = path.join(dir, `report.${format}`);
      const toFile = await cli(['check', '.', '--format', format, '-o', file], { cwd: dir });
      expectNoCanary(toFile.stdout + toFile.stderr + (await readFile(file, 'utf8')));
    },
  );

  it('check from stdin', async () => {
    const run = await cli(['check', '-', '--format', 'json'], { cwd: dir, stdin: MANIFESTS });
    expectNoCanary(run.stdout + run.stderr);
  });
});
