import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pushAll } from '../model/collections.js';
import { mapConcurrent } from '../model/concurrency.js';
import type { InputError } from '../model/types.js';
import { type Manifest, type ParseOptions, parseManifests } from './yaml.js';

/** Files, folders (recursively, *.yaml / *.yml) and `-` for stdin -> manifests. */

export interface LoadOptions extends ParseOptions {
  /** Largest file read, in bytes; larger files are reported and skipped. */
  maxFileBytes?: number;
  /** Paths (relative to cwd, forward slashes) to leave out: simple globs with `*` and `**`. */
  exclude?: readonly string[];
  /** Files (relative, as `exclude`) that are no manifests whatever the globs say: config files. */
  skip?: (file: string) => boolean;
  cwd?: string;
  /** Read stdin for `-`; injectable for tests. */
  stdin?: () => Promise<string>;
}

export interface LoadResult {
  manifests: Manifest[];
  errors: InputError[];
  files: string[];
}

export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform']);

export async function loadPaths(inputs: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const exclude = (options.exclude ?? []).map(compileGlob);
  const result: LoadResult = { manifests: [], errors: [], files: [] };
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    const abs = path.resolve(cwd, input);
    const st = await stat(abs).catch(() => undefined);
    if (!st) {
      result.errors.push({ level: 'error', message: `${input}: no such file or folder` });
    } else if (st.isDirectory()) {
      pushAll(files, await walk(abs));
    } else {
      files.push(abs);
    }
  }
  const unique = [...new Set(files)]
    .map((abs) => ({ abs, rel: abs === '-' ? '<stdin>' : relativeName(cwd, abs) }))
    .filter(({ abs, rel }) => abs === '-' || !(options.skip?.(rel) || exclude.some((re) => re.test(rel))));
  // Reading is I/O-bound: keep several reads in flight, then parse in the order the files were named.
  const texts = await mapConcurrent(
    unique,
    ({ abs, rel }) =>
      abs === '-' ? (options.stdin ?? readStdin)() : readManifestFile(abs, rel, options, result.errors),
    READ_CONCURRENCY,
  );
  unique.forEach(({ rel }, i) => {
    const text = texts[i];
    if (text === undefined) return;
    result.files.push(rel);
    const parsed = parseManifests(text, rel, options);
    pushAll(result.manifests, parsed.manifests);
    pushAll(result.errors, parsed.errors);
  });
  return result;
}

const READ_CONCURRENCY = 16;

export function relativeName(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}

async function readManifestFile(
  abs: string,
  rel: string,
  options: LoadOptions,
  errors: InputError[],
): Promise<string | undefined> {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  try {
    const st = await stat(abs);
    if (st.size > limit) {
      errors.push({
        level: 'error',
        message: `file is ${mib(st.size)}, over the ${mib(limit)} limit; skipped`,
        location: { file: rel, line: 1, column: 1 },
      });
      return undefined;
    }
    const bytes = await readFile(abs);
    const text = decodeManifest(bytes);
    if (text === undefined) {
      // kubectl would refuse it too; but a file that cannot be checked is never a silent pass.
      errors.push({
        level: 'error',
        message: 'not text (NUL bytes and no UTF-16 or UTF-32 byte order mark); not checked',
        location: { file: rel, line: 1, column: 1 },
      });
      return undefined;
    }
    return text;
  } catch (err) {
    errors.push({
      level: 'error',
      message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      location: { file: rel, line: 1, column: 1 },
    });
    return undefined;
  }
}

/**
 * A manifest file's text. kubectl decodes UTF-16 with a byte order mark, so a manifest saved that
 * way is applied: it is checked too (and UTF-32 with a mark likewise). UTF-8, with or without its
 * mark, is the rest; NUL bytes without a mark mean it is not text: undefined.
 */
export function decodeManifest(bytes: Buffer): string | undefined {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0)
    return utf32(b.subarray(4), true);
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)
    return utf32(b.subarray(4), false);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff)
    return new TextDecoder('utf-16be').decode(b.subarray(2));
  if (b.subarray(0, 8192).includes(0)) return undefined;
  return b.toString('utf8');
}

function utf32(b: Buffer, littleEndian: boolean): string | undefined {
  const codes: string[] = [];
  for (let i = 0; i + 3 < b.length; i += 4) {
    const cp = littleEndian ? b.readUInt32LE(i) : b.readUInt32BE(i);
    if (cp > 0x10ffff) return undefined;
    codes.push(String.fromCodePoint(cp));
  }
  return codes.join('');
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) pushAll(out, await walk(full));
    } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
      out.push(full);
    }
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The one glob of the project (`exclude:`, owned namespaces), matched by Node's own
 * `path.matchesGlob`: `**` any folders, `*` anything but `/`, `?`, `[...]`, `{a,b}`. As users
 * write excludes: a pattern without `/` matches a name in any folder, and a pattern that matches
 * a folder matches everything under it.
 */
export interface Glob {
  test(file: string): boolean;
}

export function compileGlob(glob: string): Glob {
  const base = glob.replace(/\/+$/, '');
  const patterns = base.includes('/')
    ? [base, `${base}/**`]
    : [base, `**/${base}`, `${base}/**`, `**/${base}/**`];
  return { test: (file) => patterns.some((p) => path.posix.matchesGlob(file, p)) };
}

/**
 * Is `file` the folder `dir` or under it? Both relative to one folder, with `/` (as git and the
 * config write them); `.` is that folder itself, so everything is under it.
 */
export function inFolder(file: string, dir: string): boolean {
  return dir === '.' || file === dir || file.startsWith(`${dir}/`);
}

/** What a target reads, as repository paths: folders whole, single files, and files of those folders it does not. */
export interface PathSet {
  dirs: readonly string[];
  files: readonly string[];
  excluded?: readonly string[];
}

/** Does the target read `file`: one of its files, or in one of its folders and not excluded? */
export function readsPath(set: PathSet, file: string): boolean {
  return (
    set.files.includes(file) || (!set.excluded?.includes(file) && set.dirs.some((d) => inFolder(file, d)))
  );
}
