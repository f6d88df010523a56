import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/types.js';
import {
  collectEnvFile,
  collectKustomization,
  collectObject,
  collectValues,
} from '../../../src/secrets/collect.js';
import { LAST_APPLIED, redacted } from '../../../src/secrets/redact.js';
import { SecretRegistry } from '../../../src/secrets/registry.js';

let reg: SecretRegistry;
beforeEach(() => {
  reg = new SecretRegistry();
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** What the registry masks, among the candidates. */
const masked = (...candidates: string[]) => candidates.filter((c) => reg.mask(c) !== c);

function deployment(env: { name: string; value?: string }[], args: string[] = [], command: string[] = []) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: {
      template: {
        spec: {
          initContainers: [{ name: 'migrate', command: ['migrate', '--db-password', 'init-canary-pw'] }],
          containers: [{ name: 'app', env, args, command }],
        },
      },
    },
  } as KubeObject;
}

describe('collectObject', () => {
  it('takes Secret data (decoded and as written) and stringData', () => {
    collectObject(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
        data: { password: b64('data-canary-1') },
        stringData: { token: 'stringdata-canary-2' },
      },
      reg,
    );
    expect(masked('data-canary-1', b64('data-canary-1'), 'stringdata-canary-2')).toHaveLength(3);
  });

  it('takes env values whose names look secret, and URL passwords in any env value', () => {
    collectObject(
      deployment([
        { name: 'MYSQL_PWD', value: 'mysql-canary' },
        { name: 'STRIPE_SK', value: 'sk_live_canary' },
        { name: 'ENCRYPTION_KEY', value: 'encryption-canary' },
        { name: 'JWT_SIGNING_KEY', value: 'jwt-signing-canary' },
        { name: 'SESSION_COOKIE', value: 'session-cookie-canary' },
        {
          name: 'TLS_CERT_PEM',
          value: '-----BEGIN CERTIFICATE-----\ncert-canary-line\n-----END CERTIFICATE-----',
        },
        { name: 'DATABASE_URL', value: 'postgres://user:database-url-canary@db/app' },
        { name: 'LOG_LEVEL', value: 'verbose-info' },
        { name: 'FROM_SECRET' },
        { name: 'DB_PASSWORD', value: '$(OTHER_PASSWORD)' },
        { name: 'MONKEY_COUNT', value: 'twelve-monkeys' },
      ]),
      reg,
    );
    expect(
      masked(
        'mysql-canary',
        'sk_live_canary',
        'encryption-canary',
        'jwt-signing-canary',
        'session-cookie-canary',
        'cert-canary-line',
        'database-url-canary',
      ),
    ).toHaveLength(7);
    expect(masked('verbose-info', '$(OTHER_PASSWORD)', 'twelve-monkeys', 'postgres', 'user')).toEqual([]);
  });

  it('takes secret flags and URL passwords from command and args, init containers too', () => {
    collectObject(
      deployment(
        [],
        [
          '--db-password=args-canary-1',
          '--api-token',
          'args-canary-2',
          '--port=8080',
          '--mode',
          'production',
        ],
        ['sh', '-c', 'PGPASSWORD=command-canary psql postgres://app:url-canary@db/app'],
      ),
      reg,
    );
    expect(
      masked('args-canary-1', 'args-canary-2', 'command-canary', 'url-canary', 'init-canary-pw'),
    ).toHaveLength(5);
    expect(masked('production', '--port=8080')).toEqual([]);
  });

  it('takes ConfigMap data under secret-looking keys and URL passwords in any of it', () => {
    collectObject(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
        data: {
          API_KEY: 'configmap-key-canary',
          'app.properties': 'db.url=jdbc:postgresql://app:properties-canary@db/app\nmode=production',
          'app.yaml': 'db:\n  host: db\n  password: config-file-canary\n',
          mode: 'production',
        },
      },
      reg,
    );
    expect(masked('configmap-key-canary', 'properties-canary', 'config-file-canary')).toHaveLength(3);
    expect(masked('production')).toEqual([]);
  });

  it('reads the object inside last-applied-configuration, on any kind', () => {
    const inner = deployment([{ name: 'API_TOKEN', value: 'last-applied-canary' }]);
    const outer = deployment([]);
    outer.metadata.annotations = { [LAST_APPLIED]: JSON.stringify(inner) };
    collectObject(outer, reg);
    expect(masked('last-applied-canary')).toEqual(['last-applied-canary']);
    // The annotation text itself, which repeats it.
    expect(reg.mask(JSON.stringify(inner))).not.toContain('apps/v1');
  });

  it('survives odd shapes', () => {
    for (const odd of [
      null,
      1,
      'x',
      [],
      { kind: 'Secret', data: 'not a map' },
      { spec: { containers: 'no' } },
    ])
      collectObject(odd, reg);
    const bad = deployment([]);
    bad.metadata.annotations = { [LAST_APPLIED]: '{not json, but long enough' };
    collectObject(bad, reg);
    expect(masked('{not json, but long enough')).toHaveLength(1);
  });
});

describe('collectValues', () => {
  it('takes strings under secret-looking keys, at any depth and in lists', () => {
    collectValues(
      {
        db: { password: 'values-canary-1', host: 'db.example.com', existingSecret: 'db-credentials' },
        auth: {
          enabled: true,
          username: 'admin-user',
          token: 'values-canary-2',
          tokenFile: '/var/run/token',
        },
        apiKeys: ['values-canary-3'],
        redis: { url: 'redis://:values-canary-4@redis:6379' },
        extraArgs: ['--signing-key=values-canary-5'],
        env: [{ name: 'SMTP_PASSWORD', value: 'values-canary-6' }],
        config: 'smtp:\n  user: mailer\n  password: values-canary-7\n',
        podAnnotations: { 'nginx.ingress.kubernetes.io/auth-secret': 'basic-auth-object' },
        ingress: { tls: [{ secretName: 'web-tls-secret' }] },
        tolerations: [{ key: 'dedicated-nodes', operator: 'Equal', value: 'workers' }],
        envFrom: [{ secretKeyRef: { name: 'db', key: 'password-key-name' } }],
        tls: { key: 'values-canary-8', crt: 'public-certificate' },
      },
      reg,
    );
    expect(
      masked(
        'values-canary-1',
        'values-canary-2',
        'values-canary-3',
        'values-canary-4',
        'values-canary-5',
        'values-canary-6',
        'values-canary-7',
        'values-canary-8',
      ),
    ).toHaveLength(8);
    expect(
      masked(
        'db.example.com',
        'db-credentials',
        'admin-user',
        '/var/run/token',
        'basic-auth-object',
        'web-tls-secret',
        'dedicated-nodes',
        'password-key-name',
        'public-certificate',
      ),
    ).toEqual([]);
  });

  it('takes every entry of a secrets map except the ones that describe it', () => {
    collectValues(
      {
        secrets: { STRIPE: 'secrets-map-canary', DB_HOST: 'postgres.internal', name: 'app-secrets' },
        credentials: [{ name: 'registry', value: 'credential-canary' }],
      },
      reg,
    );
    expect(masked('secrets-map-canary', 'credential-canary')).toHaveLength(2);
    expect(masked('postgres.internal', 'app-secrets', 'registry')).toEqual([]);
  });

  it('takes --set pairs by their dotted key', () => {
    collectValues(
      { 'db.password': 'set-canary-1', 'image.tag': 'v1.2.3-release', 'auth.existingSecret': 'other' },
      reg,
    );
    expect(masked('set-canary-1')).toHaveLength(1);
    expect(masked('v1.2.3-release')).toEqual([]);
  });
});

describe('collectKustomization', () => {
  it('takes secretGenerator literals (malformed ones whole) and lists the files to read', () => {
    const files = collectKustomization(
      {
        secretGenerator: [
          {
            name: 'db',
            literals: ['password=literal-canary-1', 'quoted="literal-canary-2"', 'malformed-literal-canary'],
            files: ['tls.key', 'cert=certs/tls.crt'],
            envs: ['secret.env'],
          },
        ],
        configMapGenerator: [
          { name: 'cfg', literals: ['API_TOKEN=cm-literal-canary', 'MODE=production'], envs: ['cfg.env'] },
        ],
        helmCharts: [{ name: 'x', valuesInline: { auth: { password: 'inline-values-canary' } } }],
      },
      reg,
    );
    expect(files).toEqual({
      secretFiles: ['tls.key', 'certs/tls.crt'],
      secretEnvs: ['secret.env'],
      configEnvs: ['cfg.env'],
    });
    expect(
      masked(
        'literal-canary-1',
        'literal-canary-2',
        'malformed-literal-canary',
        'cm-literal-canary',
        'inline-values-canary',
      ),
    ).toHaveLength(5);
    expect(masked('production', 'password', 'quoted')).toEqual([]);
  });
});

describe('collectEnvFile', () => {
  it('takes every value of a secret env file, and secret-named ones of a config env file', () => {
    collectEnvFile(
      '# comment\nUSER=env-file-user\nPASSWORD="env-file-canary"\n\nBARE_LINE_CANARY\n',
      true,
      reg,
    );
    collectEnvFile('MODE=production\nAPI_KEY=config-env-canary\n', false, reg);
    expect(masked('env-file-user', 'env-file-canary', 'BARE_LINE_CANARY', 'config-env-canary')).toHaveLength(
      4,
    );
    expect(masked('production')).toEqual([]);
  });
});

describe('placeholders: only the repository’s own files may hold one', () => {
  const weak = () =>
    deployment([
      { name: 'MYSQL_PASSWORD', value: 'mysqlpassword' },
      { name: 'DB_PASSWORD', value: 'password' },
    ]);

  it('a repository value that repeats its own name or is a bare secret word is not looked for in text', () => {
    collectObject(weak(), reg.fromRepository());
    collectValues(
      { clusterSecretKey: 'cluster', pass: 'password', auth: { password: 'hunter2-canary' } },
      reg.fromRepository(),
    );
    expect(masked('mysqlpassword', 'password', 'cluster')).toEqual([]);
    expect(masked('hunter2-canary')).toEqual(['hunter2-canary']);
  });

  it('the same values read from anywhere else (a live object in drift) are secrets, and masked', () => {
    collectObject(weak(), reg);
    collectValues({ clusterSecretKey: 'cluster' }, reg);
    expect(masked('mysqlpassword', 'password', 'cluster')).toEqual(['mysqlpassword', 'password', 'cluster']);
  });

  it('where the value sits it is replaced, whatever the word', () => {
    const env = (
      redacted(weak()).spec as { template: { spec: { containers: { env: { value: string }[] }[] } } }
    ).template.spec.containers[0].env;
    expect(env.map((e) => e.value)).toEqual(['<secret: 13 bytes>', '<secret: 8 bytes>']);
  });
});
