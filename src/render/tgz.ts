import { readFile, stat } from 'node:fs/promises';

/**
 * Read the text files of a packaged chart (`charts/<name>-<version>.tgz`, what `helm dependency
 * build` writes): the templates and values the source map aligns against. Nothing is written to
 * disk; a nested chart archive (`<name>/charts/common-2.0.0.tgz`) is read the same way, its files
 * under `<name>/charts/common/`. Bounded, so that an archive cannot make us read without end.
 */

export const ARCHIVE_LIMITS = {
  /** Compressed size of one archive. */
  compressed: 16 * 1024 * 1024,
  /** Uncompressed size of one archive. */
  uncompressed: 64 * 1024 * 1024,
  /** Text files kept, over all nested archives. */
  files: 5_000,
  /** Archives inside archives. */
  depth: 4,
} as const;

export type ArchiveLimits = { readonly [K in keyof typeof ARCHIVE_LIMITS]: number };

const TEXT = /\.(ya?ml|tpl|txt|json)$/i;

/**
 * The archive's text files by their path inside it (`storedb/templates/x.yaml`), or an error in
 * words. A chart archive holds one folder named after the chart.
 */
export async function readChartArchive(
  abs: string,
  limits: ArchiveLimits = ARCHIVE_LIMITS,
): Promise<Map<string, string> | { error: string }> {
  const st = await stat(abs).catch(() => undefined);
  if (!st?.isFile()) return { error: `${abs}: not a file` };
  if (st.size > limits.compressed) return { error: `${abs}: archive over ${limits.compressed} bytes` };
  const out = new Map<string, string>();
  try {
    unpack(await readFile(abs), '', out, 0, limits);
  } catch (err) {
    return { error: `${abs}: ${(err as Error).message}` };
  }
  return out;
}

function unpack(
  gz: Buffer,
  prefix: string,
  out: Map<string, string>,
  depth: number,
  limits: ArchiveLimits,
): void {
  // zlib is loaded when a chart archive is first read (5 ms at start-up otherwise).
  const { gunzipSync } = process.getBuiltinModule('node:zlib');
  const tar = gunzipSync(gz, { maxOutputLength: limits.uncompressed });
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const ustarPrefix = field(header, 345, 155);
    let name = longName ?? (ustarPrefix ? `${ustarPrefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      if (path) longName = path;
      continue;
    }
    if (type !== '0' && type !== '\0' && type !== '7') continue; // folders, links, globals
    name = name.replace(/^\.\//, '');
    if (name.split('/').includes('..')) continue;
    if (/(^|\/)charts\/[^/]+\.tgz$/.test(name)) {
      if (depth + 1 <= limits.depth) {
        // `<chart>/charts/common-2.0.0.tgz` holds `common/...`: its files go under `<chart>/charts/`.
        unpack(
          Buffer.from(body),
          `${prefix}${name.slice(0, name.lastIndexOf('/') + 1)}`,
          out,
          depth + 1,
          limits,
        );
      }
      continue;
    }
    if (!TEXT.test(name)) continue;
    if (out.size >= limits.files) throw new Error(`more than ${limits.files} files`);
    out.set(`${prefix}${name}`, body.toString('utf8'));
  }
}

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}
