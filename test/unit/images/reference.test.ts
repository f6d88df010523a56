import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  familiarName,
  formatReference,
  type ImageReference,
  parseReference,
  sameRepository,
} from '../../../src/images/reference.js';

const HEX64 = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

function ok(text: string): ImageReference {
  const result = parseReference(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error}`);
  return result.ref;
}

function error(text: string): string {
  const result = parseReference(text);
  if (result.ok) throw new Error(`expected ${text} to be rejected, got ${JSON.stringify(result.ref)}`);
  return result.error;
}

describe('parseReference: valid references', () => {
  it('applies the Docker Hub defaults to familiar names', () => {
    expect(ok('nginx')).toMatchObject({
      registry: 'docker.io',
      repository: 'library/nginx',
      defaultedRegistry: true,
    });
    expect(ok('nginx').tag).toBeUndefined();
    expect(ok('bitnami/redis:7.2')).toMatchObject({
      registry: 'docker.io',
      repository: 'bitnami/redis',
      tag: '7.2',
    });
    expect(ok('index.docker.io/library/busybox:1')).toMatchObject({
      registry: 'docker.io',
      defaultedRegistry: false,
    });
  });

  it('reads a registry with a port, nested paths, a tag and a digest', () => {
    const ref = ok(`localhost:5000/a/b:tag@sha256:${HEX64}`);
    expect(ref).toMatchObject({
      registry: 'localhost',
      port: '5000',
      repository: 'a/b',
      tag: 'tag',
      digest: `sha256:${HEX64}`,
    });
    expect(ok('registry.example.com:443/team/platform/api:v1.2.3')).toMatchObject({
      registry: 'registry.example.com',
      port: '443',
      repository: 'team/platform/api',
      tag: 'v1.2.3',
    });
  });

  it('treats localhost, dotted names and uppercase first components as registries', () => {
    expect(ok('localhost/app').registry).toBe('localhost');
    expect(ok('ghcr.io/acme/app').registry).toBe('ghcr.io');
    expect(ok('MyRegistry/app').registry).toBe('MyRegistry');
    expect(ok('acme/app').registry).toBe('docker.io');
    expect(ok('[::1]:5000/app:1')).toMatchObject({ registry: '[::1]', port: '5000', tag: '1' });
    expect(ok('192.168.1.10:5000/app')).toMatchObject({ registry: '192.168.1.10', port: '5000' });
  });

  it('accepts a digest without a tag, and the path separators the grammar allows', () => {
    const pinned = ok(`nginx@sha256:${HEX64}`);
    expect(pinned.tag).toBeUndefined();
    expect(pinned.digest).toBe(`sha256:${HEX64}`);
    expect(ok('a/b__c/d-----e/f.g_h:ok').repository).toBe('a/b__c/d-----e/f.g_h');
    expect(ok('app:v1.2.3-debug-DONT-PUSH').tag).toBe('v1.2.3-debug-DONT-PUSH');
  });

  it('formats the full and the familiar forms', () => {
    expect(formatReference(ok('nginx:1.27'))).toBe('docker.io/library/nginx:1.27');
    expect(familiarName(ok('docker.io/library/nginx:1.27'))).toBe('nginx:1.27');
    expect(familiarName(ok('docker.io/library/a/b'))).toBe('library/a/b');
    expect(familiarName(ok('ghcr.io/acme/app@sha256:' + HEX64))).toBe(`ghcr.io/acme/app@sha256:${HEX64}`);
  });
});

describe('sameRepository', () => {
  it('applies the Docker Hub defaults before comparing', () => {
    expect(sameRepository(ok('nginx:1'), ok(`index.docker.io/library/nginx@sha256:${HEX64}`))).toBe(true);
    expect(sameRepository(ok('nginx'), ok('ghcr.io/library/nginx'))).toBe(false);
    expect(sameRepository(ok('localhost:5000/app'), ok('localhost:5001/app'))).toBe(false);
  });
});

describe('parseReference: invalid references', () => {
  it.each([
    ['', /empty/],
    [' nginx', /whitespace/],
    ['Nginx', /lowercase/],
    ['acme/App', /lowercase/],
    ['nginx:', /invalid tag/],
    [`nginx:${'x'.repeat(129)}`, /invalid tag/],
    ['nginx:-bad', /invalid tag/],
    ['nginx@sha256:abc', /invalid digest/],
    [`nginx@sha256:${HEX64.toUpperCase()}`, /lowercase hex/],
    [`nginx@sha256:${HEX64}00`, /64 lowercase hex/],
    [`nginx@md5:${HEX64}`, /unsupported digest algorithm "md5"/],
    ['localhost:abc/app', /invalid tag|port/],
    ['-bad.example.com/app', /invalid registry host/],
    ['a//b', /empty path component/],
    ['a/b/', /empty path component/],
    ['a/-b', /invalid repository path component/],
    [HEX64, /image ID/],
    [`${'a'.repeat(256)}`, /longer than 255/],
  ])('rejects %j', (text, message) => {
    expect(error(text)).toMatch(message);
  });
});

// Generators for the grammar's pieces, so the round trip covers what real registries accept.
const alnum = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const pathComponent = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 }))
  .map(([head, tail]) => head + tail.map(([s, a]) => s + a).join(''));
const domainComponent = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/);
const registry = fc.oneof(
  fc.constant('localhost'),
  fc.array(domainComponent, { minLength: 2, maxLength: 3 }).map((c) => c.join('.')),
  fc.constant('[::1]'),
);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);

const reference = fc.record({
  registry: fc.option(registry, { nil: undefined }),
  port: fc.option(fc.integer({ min: 1, max: 65535 }).map(String), { nil: undefined }),
  path: fc.array(pathComponent, { minLength: 1, maxLength: 4 }),
  tag: fc.option(tag, { nil: undefined }),
  digest: fc.option(digest, { nil: undefined }),
});

describe('parseReference: properties', () => {
  it('round-trips every generated valid reference', () => {
    fc.assert(
      fc.property(reference, (r) => {
        const domain = r.registry === undefined ? '' : r.registry + (r.port ? `:${r.port}` : '') + '/';
        const text =
          domain +
          r.path.join('/') +
          (r.tag !== undefined ? `:${r.tag}` : '') +
          (r.digest ? `@${r.digest}` : '');
        fc.pre(text.length - (r.tag ? r.tag.length + 1 : 0) - (r.digest ? r.digest.length + 1 : 0) <= 255);
        fc.pre(!/^[a-f0-9]{64}$/.test(text));
        // Without a registry, a first component that looks like a host would be read as one (Docker's rule).
        fc.pre(r.registry !== undefined || r.path.length === 1 || !/[.]|^localhost$/.test(r.path[0]));
        const parsed = ok(text);
        expect(parsed.tag).toBe(r.tag);
        expect(parsed.digest).toBe(r.digest);
        if (r.registry !== undefined) {
          expect(parsed.registry).toBe(r.registry);
          expect(parsed.port).toBe(r.port);
          expect(parsed.repository).toBe(r.path.join('/'));
        } else {
          expect(parsed.registry).toBe('docker.io');
          expect(parsed.repository.endsWith(r.path.join('/'))).toBe(true);
        }
        // Formatting and parsing again gives the same reference, in both forms.
        const again = ok(formatReference(parsed));
        expect({ ...again, original: '', defaultedRegistry: false }).toEqual({
          ...parsed,
          original: '',
          defaultedRegistry: false,
        });
        expect(formatReference(ok(familiarName(parsed)))).toBe(formatReference(parsed));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary strings; returns a reference or an error message', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[a-z:@/.\-_0-9]{0,40}$/)),
        (s) => {
          const result = parseReference(s);
          if (result.ok) expect(result.ref.original).toBe(s);
          else expect(result.error.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  }, 60_000); // 2,000 cases: seconds on a loaded machine
});
