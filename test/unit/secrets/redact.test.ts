import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/types.js';
import { LAST_APPLIED, redacted, redactPair, redactValue } from '../../../src/secrets/redact.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const data = (o: KubeObject) => o.data as Record<string, string>;

function secret(password: string, annotation = 'x'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', annotations: { [LAST_APPLIED]: annotation } },
    data: { password: b64(password), user: b64('admin') },
    stringData: { token: 'tok' },
  };
}

function deployment(env: Record<string, string>, args: string[] = [], command: string[] = []): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'app',
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              args,
              command,
            },
          ],
        },
      },
    },
  };
}

const container = (o: KubeObject) =>
  (o.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];
const envOf = (o: KubeObject) =>
  Object.fromEntries((container(o).env as { name: string; value: string }[]).map((e) => [e.name, e.value]));

describe('redacted', () => {
  it('replaces Secret data (decoded size), stringData and last-applied by the placeholder', () => {
    const r = redacted(secret('hunter2'));
    expect(r.data).toEqual({ password: '<secret: 7 bytes>', user: '<secret: 5 bytes>' });
    expect(r.stringData).toEqual({ token: '<secret: 3 bytes>' });
    expect(r.metadata.annotations?.[LAST_APPLIED]).toBe('<secret: 1 bytes>');
  });

  it('does not touch the object it is given', () => {
    const s = secret('hunter2');
    redacted(s);
    expect(data(s).password).toBe(b64('hunter2'));
  });

  it('replaces last-applied on every kind', () => {
    const d = deployment({});
    d.metadata.annotations = { [LAST_APPLIED]: '{"env":"pw"}', other: 'kept' };
    expect(redacted(d).metadata.annotations).toEqual({ [LAST_APPLIED]: '<secret: 12 bytes>', other: 'kept' });
  });

  it('replaces secret-named env values whole, and only the password of a URL elsewhere', () => {
    const r = redacted(
      deployment({
        MYSQL_PWD: 'pw',
        STRIPE_SK: 'sk_live_x',
        ENCRYPTION_KEY: 'k',
        JWT_SIGNING_KEY: 'j',
        SESSION_COOKIE: 'c',
        TLS_CERT_PEM: '-----BEGIN-----',
        DATABASE_URL: 'postgres://user:PASSWORD@host/db',
        REDIS_URL: 'redis://:pw@redis:6379',
        LOG_LEVEL: 'debug',
        MONKEY_COUNT: '12',
        DB_PASSWORD: '$(FROM_ELSEWHERE)',
      }),
    );
    expect(envOf(r)).toEqual({
      MYSQL_PWD: '<secret: 2 bytes>',
      STRIPE_SK: '<secret: 9 bytes>',
      ENCRYPTION_KEY: '<secret: 1 bytes>',
      JWT_SIGNING_KEY: '<secret: 1 bytes>',
      SESSION_COOKIE: '<secret: 1 bytes>',
      TLS_CERT_PEM: '<secret: 15 bytes>',
      DATABASE_URL: 'postgres://user:<secret: 8 bytes>@host/db',
      REDIS_URL: 'redis://:<secret: 2 bytes>@redis:6379',
      LOG_LEVEL: 'debug',
      MONKEY_COUNT: '12',
      DB_PASSWORD: '$(FROM_ELSEWHERE)',
    });
  });

  it('replaces the values of secret flags and assignments in args and command', () => {
    const r = redacted(
      deployment(
        {},
        [
          '--db-password=pw1',
          '--api-token',
          'tok',
          '--port=8080',
          '--db=postgres://u:pw2@db/app',
          '--verbose',
        ],
        ['sh', '-c', 'PGPASSWORD=pw3 psql --host db'],
      ),
    );
    expect(container(r).args).toEqual([
      '--db-password=<secret: 3 bytes>',
      '--api-token',
      '<secret: 3 bytes>',
      '--port=8080',
      '--db=postgres://u:<secret: 3 bytes>@db/app',
      '--verbose',
    ]);
    expect(container(r).command).toEqual(['sh', '-c', 'PGPASSWORD=<secret: 3 bytes> psql --host db']);
  });

  it('replaces ConfigMap data under secret-looking keys and URL passwords in the rest', () => {
    const r = redacted({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { API_KEY: 'k', url: 'amqp://guest:guest@rabbit', mode: 'prod' },
    });
    expect(r.data).toEqual({
      API_KEY: '<secret: 1 bytes>',
      url: 'amqp://guest:<secret: 5 bytes>@rabbit',
      mode: 'prod',
    });
  });
});

describe('redactPair', () => {
  it('marks a changed secret on the head side, even at the same size; unchanged ones read the same', () => {
    const base = secret('hunter2', 'a');
    const head = secret('hunter3', 'b');
    head.stringData = { token: 'tok' };
    redactPair(base, head);
    expect(data(base).password).toBe('<secret: 7 bytes>');
    expect(data(head).password).toBe('<secret: 7 bytes> (changed)');
    expect(data(head).user).toBe(data(base).user);
    expect(head.stringData).toEqual(base.stringData);
    expect(head.metadata.annotations?.[LAST_APPLIED]).toBe('<secret: 1 bytes> (changed)');
  });

  it('marks a changed URL password and a changed flag value', () => {
    const base = deployment({ DATABASE_URL: 'postgres://u:aaaa@db/x' }, ['--db-password=one']);
    const head = deployment({ DATABASE_URL: 'postgres://u:bbbb@db/x' }, ['--db-password=two']);
    redactPair(base, head);
    expect(envOf(base).DATABASE_URL).toBe('postgres://u:<secret: 4 bytes>@db/x');
    expect(envOf(head).DATABASE_URL).toBe('postgres://u:<secret: 4 bytes>@db/x (changed)');
    expect(container(head).args).toEqual(['--db-password=<secret: 3 bytes> (changed)']);
  });

  it('does not mark a URL whose password stayed when the host changed', () => {
    const base = deployment({ DATABASE_URL: 'postgres://u:aaaa@db1/x' });
    const head = deployment({ DATABASE_URL: 'postgres://u:aaaa@db2/x' });
    redactPair(base, head);
    expect(envOf(head).DATABASE_URL).toBe('postgres://u:<secret: 4 bytes>@db2/x');
  });

  it('redacts the side that is there when the other is not', () => {
    const head = secret('hunter2');
    redactPair(undefined, head);
    expect(data(head).password).toBe('<secret: 7 bytes>');
  });
});

describe('redactValue (drift: one field at a time)', () => {
  it('takes the value from a redacted copy of its object', () => {
    const d = deployment({ DB_PASSWORD: 'hunter2', MODE: 'prod' }, ['--token=abc']);
    const spec = ['spec', 'template', 'spec', 'containers', 0];
    expect(redactValue('Deployment', d, [...spec, 'env', 0, 'value'], 'hunter2')).toBe('<secret: 7 bytes>');
    expect(redactValue('Deployment', d, [...spec, 'env', 1, 'value'], 'prod')).toBe('prod');
    expect(redactValue('Deployment', d, [...spec, 'env'], container(d).env)).toEqual([
      { name: 'DB_PASSWORD', value: '<secret: 7 bytes>' },
      { name: 'MODE', value: 'prod' },
    ]);
    expect(redactValue('Deployment', d, [...spec, 'args', 0], '--token=abc')).toBe(
      '--token=<secret: 3 bytes>',
    );
  });

  it('uses the kind it is told (comparisons drop kind from the object)', () => {
    const want = { metadata: {}, data: { password: b64('hunter2') } };
    expect(redactValue('Secret', want, ['data', 'password'], b64('hunter2'))).toBe('<secret: 7 bytes>');
    expect(redactValue('Secret', want, ['data'], want.data)).toEqual({ password: '<secret: 7 bytes>' });
  });

  it('redacts a value that is not in the object on its own', () => {
    expect(redactValue('Secret', {}, ['data', 'password'], b64('hunter2'))).toBe('<secret: 7 bytes>');
    const spec = ['spec', 'template', 'spec', 'containers', 0, 'env', 0];
    expect(redactValue('Deployment', {}, spec, { name: 'API_KEY', value: 'k' })).toEqual({
      name: 'API_KEY',
      value: '<secret: 1 bytes>',
    });
    expect(redactValue('Deployment', {}, ['metadata', 'annotations', LAST_APPLIED], '{}')).toBe(
      '<secret: 2 bytes>',
    );
    expect(redactValue('Deployment', {}, [], deployment({ TOKEN: 'abc' }))).toMatchObject({
      spec: {
        template: { spec: { containers: [{ env: [{ name: 'TOKEN', value: '<secret: 3 bytes>' }] }] } },
      },
    });
  });

  it('passes null and undefined through as null', () => {
    expect(redactValue('Secret', {}, ['data'], undefined)).toBeNull();
    expect(redactValue('Secret', {}, ['data'], null)).toBeNull();
  });
});
