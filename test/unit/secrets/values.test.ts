import { describe, expect, it } from 'vitest';
import {
  argumentSecrets,
  assignmentSecret,
  holdsSecretValue,
  isReference,
  settingValues,
  splitShellWords,
  urlPasswords,
} from '../../../src/secrets/values.js';

/** `${DB_PASSWORD}`, a shell reference (written so that no linter takes it for a template). */
const SHELL_REF = ['$', '{DB_PASSWORD}'].join('');

describe('urlPasswords', () => {
  it.each([
    ['postgres://user:PASSWORD@host/db', ['PASSWORD']],
    ['redis://:s3cr3t-pw@redis:6379/0', ['s3cr3t-pw']],
    ['amqp://guest:guest@rabbit', ['guest']],
    [
      'mongodb+srv://app:p%40ss%2Fword@cluster0.example.net/?retryWrites=true',
      ['p%40ss%2Fword', 'p@ss/word'],
    ],
    // A password with a raw @: everything up to the last @ before the host.
    ['postgres://user:p@ss@db:5432/app', ['p@ss']],
    ['jdbc:mysql://root:hunter2x@mysql:3306/shop', ['hunter2x']],
    ['two: https://a:first-one@h1/x and ftp://b:second-one@h2', ['first-one', 'second-one']],
    ['https://example.com/path?q=1', []],
    ['https://user@example.com/', []],
    ['https://user:@example.com/', []],
    ['not a url: user:pass@host', []],
  ])('%s', (text, expected) => {
    expect(urlPasswords(text)).toEqual(expected);
  });
});

describe('isReference', () => {
  it.each([
    ['$(DB_PASSWORD)', true],
    [SHELL_REF, true],
    ['{{ .Values.db.password }}', true],
    ['  ', true],
    ['$(A)$(B)', false],
    ['hunter2-$(X)', false],
    ['plain', false],
  ])('%s -> %s', (value, expected) => {
    expect(isReference(value)).toBe(expected);
  });
});

describe('splitShellWords', () => {
  it.each([
    ['app --db-password=abc --verbose', ['app', '--db-password=abc', '--verbose']],
    [`sh -c 'PGPASSWORD="x y" psql'`, ['sh', '-c', 'PGPASSWORD="x y" psql']],
    [`--password "two words"`, ['--password', 'two words']],
    ['  spaced   out  ', ['spaced', 'out']],
  ])('%s', (text, words) => {
    expect(splitShellWords(text)).toEqual(words);
  });
});

describe('assignmentSecret', () => {
  it.each([
    ['PGPASSWORD=hunter2', 'hunter2'],
    ['DB_PASSWORD="quoted value"', 'quoted value'],
    ["API_KEY='single'", 'single'],
    ['LOG_LEVEL=debug', undefined],
    ['PASSWORD_FILE=/run/secrets/pw', undefined],
    ['no assignment', undefined],
  ])('%s -> %s', (text, value) => {
    expect(assignmentSecret(text)).toBe(value);
  });
});

describe('argumentSecrets', () => {
  it('takes --flag=value and --flag value for secret-looking flags', () => {
    expect(
      argumentSecrets([
        'serve',
        '--db-password=one-secret',
        '--api-token',
        'two-secret',
        '--secret',
        'three-secret',
        '--port=8080',
        '--password-file=/etc/pw',
        '--token-file',
        '/var/run/token',
        '--log-level',
        'debug',
      ]),
    ).toEqual(['one-secret', 'two-secret', 'three-secret']);
  });

  it('does not take the next flag as a value', () => {
    expect(argumentSecrets(['--password', '--verbose'])).toEqual([]);
  });

  it('looks inside shell strings and at assignments', () => {
    expect(
      argumentSecrets(['sh', '-c', `PGPASSWORD=four-secret psql --set=x && app --auth-token "five secret"`]),
    ).toEqual(['four-secret', 'five secret']);
  });

  it('finds URL passwords in any argument', () => {
    expect(argumentSecrets(['--database=postgres://app:six-secret@db/app'])).toEqual(['six-secret']);
  });

  it('skips references and file paths', () => {
    expect(argumentSecrets(['--password=$(DB_PASSWORD)', '--tls-cert=/etc/tls/tls.crt'])).toEqual([]);
  });
});

describe('settingValues', () => {
  it('takes the values of secret-looking settings, one per line', () => {
    const text = [
      'server:',
      '  port: 8080',
      '  password: yaml-pw',
      '  "apiKey": "json-key",',
      'export DB_TOKEN=shell-token',
      'db.password = properties-pw',
      'passwordFile: /run/secrets/pw',
      `token: ${SHELL_REF}`,
      'level: info',
    ].join('\n');
    expect(settingValues(text)).toEqual(['yaml-pw', 'json-key', 'shell-token', 'properties-pw']);
  });
});

describe('holdsSecretValue', () => {
  it.each([
    ['DB_PASSWORD', 'hunter2-long', true],
    ['API_TOKEN', '12345678', true],
    ['ENABLE_SINGLE_SHARED_SESSION', 'false', false],
    ['SESSION_REDIS', 'true', false],
    ['AUTH_ENABLED', 'yes', false],
    ['connectionString', 'redis-cart:6379', false],
    ['SPANNER_CONNECTION_STRING', 'projects/p/instances/i/databases/d', false],
    ['DB_CONNECTION_STRING', 'Server=db;User Id=sa;Password=Sup3r;', true],
    ['SENTRY_DSN', 'https://public@sentry.example/1', false],
    ['DB_PASSWORD', '$(PASSWORD_FROM_SECRET)', false],
    ['TLS_CERT', '/etc/tls/tls.crt', false],
    ['MONKEY_COUNT', 'banana-12345', false],
    // Whatever the word: a live object's DB_PASSWORD=password is a real (weak) password.
    ['password', 'password', true],
  ])('%s=%s: %s', (name, value, secret) => {
    expect(holdsSecretValue(name, value)).toBe(secret);
  });
});
