import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ARCHIVE_LIMITS, readChartArchive } from '../../../src/render/tgz.js';

/** Chart archives as `helm package` writes them, made here byte by byte. */

function header(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function entry(name: string, body: Buffer | string, type = '0'): Buffer {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header(name, data.length, type), data, pad]);
}

function tgz(entries: Buffer[]): Buffer {
  return gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-tgz-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readChartArchive', () => {
  it('reads the text files of a chart archive, nested archives under their chart’s charts/ folder', async () => {
    const common = tgz([
      entry('common/Chart.yaml', 'name: common\n'),
      entry('common/templates/_images.tpl', '{{- define "common.image" -}}{{- end -}}\n'),
    ]);
    const long = `db/templates/${'deeply/'.repeat(14)}configmap.yaml`;
    const file = path.join(dir, 'db-1.0.0.tgz');
    await writeFile(
      file,
      tgz([
        entry('db/Chart.yaml', 'name: db\n'),
        entry('db/values.yaml', 'replicas: 1\n'),
        entry('db/img/logo.png', Buffer.from([0x89, 0x50])),
        entry('././@LongLink', `${long}\0`, 'L'),
        entry(long.slice(0, 100), 'kind: ConfigMap\n'),
        entry('db/charts/common-2.0.0.tgz', common),
        entry('../escape.yaml', 'nope: true\n'),
      ]),
    );
    const files = await readChartArchive(file);
    if ('error' in files) throw new Error(files.error);
    expect([...files.keys()].sort()).toEqual(
      [
        'db/Chart.yaml',
        'db/values.yaml',
        long,
        'db/charts/common/Chart.yaml',
        'db/charts/common/templates/_images.tpl',
      ].sort(),
    );
    expect(files.get('db/values.yaml')).toBe('replicas: 1\n');
  });

  it('says why an archive cannot be read instead of throwing', async () => {
    const bad = path.join(dir, 'bad.tgz');
    await writeFile(bad, 'not gzip');
    expect(await readChartArchive(bad)).toEqual({ error: expect.stringContaining('bad.tgz') });
    expect(await readChartArchive(path.join(dir, 'missing.tgz'))).toEqual({ error: expect.any(String) });
  });

  it('stops at its bounds: an archive that unpacks beyond them is refused', async () => {
    const big = path.join(dir, 'big.tgz');
    await writeFile(big, tgz([entry('big/values.yaml', Buffer.alloc(64 * 1024, 0x20))]));
    const limits = { ...ARCHIVE_LIMITS, uncompressed: 32 * 1024 };
    expect(await readChartArchive(big, limits)).toEqual({ error: expect.stringContaining('big.tgz') });
    expect(await readChartArchive(big)).toBeInstanceOf(Map);
  });
});
