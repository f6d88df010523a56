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

describe('a password that is also the app’s name (a demo app whose MYSQL_PASSWORD is `pricelist`)', () => {
  // The pattern of a widely used GitOps examples repository: the name, namespace, folder and
  // password are one word. Masking the word everywhere made every path and object name of the
  // report a placeholder, and review comments on a masked path cannot be posted.
  const APP = `apiVersion: apps/v1
kind: Deployment
metadata: { name: pricelist, namespace: pricelist }
spec:
  replicas: 1
  selector: { matchLabels: { app: pricelist } }
  template:
    metadata: { labels: { app: pricelist } }
    spec:
      containers:
        - name: web
          image: example/pricelist:1.0
          env:
            - { name: MYSQL_PASSWORD, value: pricelist }
            - { name: API_TOKEN, value: ${CANARIES.stripe} }
`;
  let app: string;
  beforeAll(async () => {
    app = await mkdtemp(path.join(os.tmpdir(), 'shipshape-public-name-'));
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(app, 'pricelist')));
    await writeFile(path.join(app, 'pricelist', 'pricelist-deploy.yaml'), APP);
  });
  afterAll(() => rm(app, { recursive: true, force: true }));

  it('check names the file and the object as they are; the other secret stays masked', async () => {
    const run = await cli(['check', '.', '--format', 'json'], { cwd: app });
    const report = JSON.parse(run.stdout) as {
      findings: { location: { file: string }; object: { name: string } }[];
    };
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.location.file).toBe('pricelist/pricelist-deploy.yaml');
      expect(f.object.name).toBe('pricelist');
    }
    expect(run.stdout + run.stderr).not.toContain('<secret: 9 bytes>');
    expect(run.stdout + run.stderr).not.toContain(CANARIES.stripe);
  });

  it('render still replaces the value where it sits as a secret', async () => {
    const run = await cli(['render', '.', '--format', 'yaml'], { cwd: app });
    expect(run.stdout).toContain('name: pricelist');
    expect(run.stdout).toMatch(/name: MYSQL_PASSWORD\n\s+value: "?<secret: 9 bytes>"?/);
    expect(run.stdout).not.toContain(CANARIES.stripe);
  });
});
