import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGlob, decodeManifest, inFolder, loadPaths, readsPath } from '../../../src/load/files.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('loadPaths', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'shipshape-load-'));
    await mkdir(path.join(dir, 'app/nested'), { recursive: true });
    await mkdir(path.join(dir, 'node_modules/x'), { recursive: true });
    await writeFile(path.join(dir, 'app/a.yaml'), cm('a'));
    await writeFile(path.join(dir, 'app/nested/b.yml'), cm('b'));
    await writeFile(path.join(dir, 'app/notes.txt'), cm('not-yaml-extension'));
    await writeFile(path.join(dir, 'node_modules/x/c.yaml'), cm('vendored'));
    await writeFile(path.join(dir, 'app/broken.yaml'), `${cm('before')}---\nkind: [\n`);
    await writeFile(path.join(dir, 'app/image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    await writeFile(
      path.join(dir, 'big.yaml'),
      `${cm('big')}data:\n  blob: "${'x'.repeat(50 * 1024 * 1024)}"\n`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('walks folders recursively in a stable order, skipping vendored folders and other extensions', async () => {
    const r = await loadPaths(['app'], { cwd: dir });
    expect(r.files).toEqual(['app/a.yaml', 'app/broken.yaml', 'app/nested/b.yml']);
    expect(r.manifests.map((m) => `${m.file}:${m.ref.name}`)).toEqual([
      'app/a.yaml:a',
      'app/broken.yaml:before',
      'app/nested/b.yml:b',
    ]);
  });

  it('reports bad files by name and line, and goes on with the rest', async () => {
    const r = await loadPaths(['app', 'big.yaml', 'missing.yaml'], { cwd: dir });
    expect(r.manifests.map((m) => m.ref.name)).toEqual(['a', 'before', 'b']);
    const byFile = Object.fromEntries(r.errors.map((e) => [e.location?.file ?? e.message, e]));
    expect(byFile['app/broken.yaml']).toMatchObject({ level: 'error', location: { line: 6 } });
    expect(byFile['app/image.yaml']).toMatchObject({
      level: 'error',
      message: 'not text (NUL bytes and no UTF-16 or UTF-32 byte order mark); not checked',
    });
    expect(byFile['big.yaml'].message).toMatch(/^file is 50\.0 MiB, over the 16\.0 MiB limit; skipped$/);
    expect(r.errors.some((e) => e.message === 'missing.yaml: no such file or folder')).toBe(true);
  });

  it('reads `-` from stdin', async () => {
    const r = await loadPaths(['-'], { cwd: dir, stdin: async () => cm('piped') });
    expect(r.manifests.map((m) => [m.file, m.ref.name])).toEqual([['<stdin>', 'piped']]);
  });

  it('leaves out excluded paths', async () => {
    const r = await loadPaths(['app'], { cwd: dir, exclude: ['app/nested/**', 'broken.yaml'] });
    expect(r.files).toEqual(['app/a.yaml']);
  });
});

describe('decodeManifest', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: é}\n';
  const utf32 = (le: boolean) => {
    const b = Buffer.alloc(4 + [...text].length * 4);
    if (le) b.set([0xff, 0xfe, 0, 0]);
    else b.set([0, 0, 0xfe, 0xff]);
    [...text].forEach((ch, i) => {
      if (le) b.writeUInt32LE(ch.codePointAt(0)!, 4 + i * 4);
      else b.writeUInt32BE(ch.codePointAt(0)!, 4 + i * 4);
    });
    return b;
  };

  it('reads UTF-16 and UTF-32 with a byte order mark, as kubectl applies them', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect(decodeManifest(le)).toBe(text);
    expect(decodeManifest(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
    expect(decodeManifest(utf32(true))).toBe(text);
    expect(decodeManifest(utf32(false))).toBe(text);
    expect(decodeManifest(Buffer.from(text))).toBe(text);
  });

  it('refuses bytes that are not text', () => {
    expect(decodeManifest(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14]))).toBeUndefined();
  });

  it('checks a privileged Pod saved as UTF-16: no silent pass', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shipshape-utf16-'));
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: sneaky}\nspec:\n  hostPID: true\n  containers: [{name: c, image: x, securityContext: {privileged: true}}]\n';
    await writeFile(
      path.join(dir, 'utf16.yaml'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod, 'utf16le')]),
    );
    const r = await loadPaths(['utf16.yaml'], { cwd: dir });
    expect(r.errors).toEqual([]);
    expect(r.manifests.map((m) => m.ref.name)).toEqual(['sneaky']);
    expect(r.manifests[0].locate(['spec', 'hostPID']).line).toBe(5);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('compileGlob', () => {
  it.each([
    ['**/secret.yaml', 'deploy/topsecret.yaml', false],
    ['**/secret.yaml', 'deploy/secret.yaml', true],
    ['**/secret.yaml', 'secret.yaml', true],
    ['secret.yaml', 'a/b/secret.yaml', true],
    ['secret.yaml', 'a/topsecret.yaml', false],
    ['legacy', 'legacy/a/b.yaml', true],
    ['legacy', 'src/legacy/a.yaml', true],
    ['*.generated.yaml', 'x.generated.yaml', true],
    ['charts/{web,api}/**', 'charts/api/values.yaml', true],
    ['legacy/**', 'legacy/a/b.yaml', true],
    ['legacy/**', 'src/legacy/a.yaml', false],
    ['*.tmp.yaml', 'deep/x.tmp.yaml', true],
    ['charts/*/values.yaml', 'charts/web/values.yaml', true],
    ['charts/*/values.yaml', 'charts/web/sub/values.yaml', false],
    ['**/test/**', 'a/test/b.yaml', true],
  ])('%s matches %s: %s', (glob, file, want) => {
    expect(compileGlob(glob).test(file)).toBe(want);
  });
});

describe('inFolder and readsPath: which repository paths a target reads', () => {
  it('matches a folder by whole path segments, and "." holds everything', () => {
    expect(inFolder('charts/web/values.yaml', 'charts/web')).toBe(true);
    expect(inFolder('charts/web', 'charts/web')).toBe(true);
    expect(inFolder('charts/web-2/values.yaml', 'charts/web')).toBe(false);
    expect(inFolder('anything/at/all.yaml', '.')).toBe(true);
  });

  it('reads its files and its folders, but not a file of those folders it excludes', () => {
    const set = { dirs: ['charts/web'], files: ['env/prod.yaml'], excluded: ['charts/web/values-dev.yaml'] };
    expect(readsPath(set, 'env/prod.yaml')).toBe(true);
    expect(readsPath(set, 'charts/web/templates/deploy.yaml')).toBe(true);
    expect(readsPath(set, 'charts/web/values-dev.yaml')).toBe(false);
    expect(readsPath(set, 'env/dev.yaml')).toBe(false);
    expect(readsPath({ dirs: [], files: [] }, 'a.yaml')).toBe(false);
  });
});
