import path from 'node:path';
import { catastrophicBacktracking } from '../model/regex.js';
import { suggest } from '../model/suggest.js';
import { isRecord, type SourceLocation } from '../model/types.js';
import { isInside } from '../render/contain.js';

/**
 * The validators every section of `.shipshape.yaml` shares: types, bounds, keys with a "did you
 * mean", paths that stay in the repository, patterns that cannot hang the run. A section reads its
 * raw value through these, reports each problem on the key's line, and keeps what is usable.
 *
 * This module and the sections import nothing from the features they configure but types and
 * defaults, and nothing imports the sections but `config/index.ts`: the config is a leaf of the
 * import graph (test/unit/repo/imports.test.ts).
 */

/** A key path inside the config file, e.g. `['rules', 'image-tag-latest', 'severity']`. */
export type ConfigPath = readonly (string | number)[];

/** What a section validator may ask: where a key sits, and how to report a problem with it. */
export interface ConfigReader {
  readonly file: string;
  /** The absolute folder relative paths in the file resolve from (the file's own). */
  readonly dir: string;
  /** The repository: no path in the file may lead outside it. */
  readonly root: string;
  /** The ids a `rules:` entry may name. */
  readonly ruleIds: ReadonlySet<string>;
  /** Location of the key at `path` (or of the nearest parent that exists). */
  at(path: ConfigPath): SourceLocation;
  /** Report a problem with the key at `path`; the message is prefixed with the key's dotted name. */
  error(path: ConfigPath, message: string): void;
}

export interface ConfigSection<T> {
  /** The value when the file does not have the section (or has an unusable one). */
  defaults(): T;
  /** Validate the raw value; report problems through `r.error`, return what is usable. */
  read(value: unknown, r: ConfigReader, path: ConfigPath): T;
}

/** `a list`, `a mapping`, `number 5`, `string "x"`: what was found, for "must be …, got …". */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A mapping; an error for anything else but nothing (which is `undefined`, no error). */
export function expectMap(value: unknown, r: ConfigReader, p: ConfigPath, what = 'a mapping') {
  if (isRecord(value)) return value;
  if (value !== null && value !== undefined) r.error(p, `must be ${what}, got ${describe(value)}`);
  return undefined;
}

/**
 * Keys of a mapping the section does not know: an error on each key's own line, naming the key
 * meant when one is within two edits (`drift.deployer` → "deployers").
 */
export function rejectUnknownKeys(
  map: Record<string, unknown>,
  known: readonly string[],
  r: ConfigReader,
  p: ConfigPath,
  expected = `expected one of ${known.join(', ')}`,
): void {
  for (const key of Object.keys(map)) if (!known.includes(key)) unknownKey(key, known, r, p, expected);
}

/** The error for one key the section does not know, with the key meant when one is near. */
export function unknownKey(
  key: string,
  known: readonly string[],
  r: ConfigReader,
  p: ConfigPath,
  expected = `expected one of ${known.join(', ')}`,
): void {
  r.error([...p, key], `unknown key${suggest(key, known)}; ${expected}`);
}

/**
 * A list of non-empty strings: nothing is an empty list; with `allowOne`, a single string is a list
 * of one. Bad items are errors on their own lines and left out, as are those `each` refuses (it
 * reports why); a value that is no list is `undefined` (the caller keeps its default).
 */
export function expectStringList(
  value: unknown,
  r: ConfigReader,
  p: ConfigPath,
  { allowOne = false, each }: { allowOne?: boolean; each?: (item: string, at: ConfigPath) => boolean } = {},
): string[] | undefined {
  if (value === null || value === undefined) return [];
  if (allowOne && typeof value === 'string' && value !== '') return !each || each(value, p) ? [value] : [];
  if (!Array.isArray(value)) {
    r.error(p, `must be a list of strings, got ${describe(value)}`);
    return undefined;
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item === '')
      r.error([...p, i], `must be a non-empty string, got ${describe(item)}`);
    else if (!each || each(item, [...p, i])) out.push(item);
  });
  return out;
}

/** A mapping of scalars, each made a string (`image.tag: 1.4` is "1.4"). */
export function expectStringMap(
  value: unknown,
  r: ConfigReader,
  p: ConfigPath,
): Record<string, string> | undefined {
  if (value === null || value === undefined) return {};
  const map = expectMap(value, r, p, 'a mapping of key: value');
  if (!map) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else r.error([...p, k], `must be a string, number or boolean, got ${describe(v)}`);
  }
  return out;
}

/** A string (a number is taken as written), or `undefined` for nothing. */
export function optionalString(value: unknown, r: ConfigReader, p: ConfigPath): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  r.error(p, `must be a string, got ${describe(value)}`);
  return undefined;
}

export function expectBoolean(value: unknown, r: ConfigReader, p: ConfigPath): boolean | undefined {
  if (typeof value === 'boolean') return value;
  r.error(p, `must be true or false, got ${describe(value)}`);
  return undefined;
}

export function expectOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  r: ConfigReader,
  p: ConfigPath,
): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const hint = typeof value === 'string' ? suggest(value, allowed) : '';
  r.error(p, `must be one of ${allowed.join(', ')}, got ${describe(value)}${hint}`);
  return undefined;
}

export interface Bounds {
  min: number;
  max: number;
  /** The unit in the message: `must be a number of seconds from 1 to 3600`. */
  unit?: string;
}

/** Why `value` is not a number within `bounds`, or undefined when it is. */
export function outOfBounds(value: unknown, { min, max, unit }: Bounds): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return undefined;
  return `must be a number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;
}

/**
 * A number within bounds. The bounds keep each value where the runtime can honour it: a timeout
 * beyond Node's 2^31 ms timer limit would fire at once, so none is above an hour or so.
 */
export function expectNumberWithin(
  value: unknown,
  bounds: Bounds,
  r: ConfigReader,
  p: ConfigPath,
): number | undefined {
  const problem = outOfBounds(value, bounds);
  if (problem) {
    r.error(p, problem);
    return undefined;
  }
  return value as number;
}

/**
 * Regular expressions (compiled case-insensitive by the rules): each must compile and must not
 * backtrack catastrophically on a near-match (`(a+)+$`); the others are errors and left out.
 */
export function expectPatterns(value: unknown, r: ConfigReader, p: ConfigPath): string[] | undefined {
  return expectStringList(value, r, p, {
    each(pattern, at) {
      try {
        new RegExp(pattern, 'i');
      } catch (err) {
        r.error(at, `not a valid regular expression: ${(err as Error).message}`);
        return false;
      }
      const slow = catastrophicBacktracking(pattern);
      if (slow) r.error(at, slow);
      return !slow;
    },
  });
}

/**
 * A path from the config must stay inside the repository: relative, and not climbing out of it
 * from the config's folder. Otherwise an error on its line, and the path is not used.
 */
export function insideRepository(p: string, r: ConfigReader, at: ConfigPath): boolean {
  if (path.isAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p)) {
    r.error(
      at,
      `"${p}" is an absolute path; paths in the config are relative and stay inside the repository`,
    );
    return false;
  }
  if (!isInside(r.root, path.resolve(r.dir, p))) {
    r.error(at, `"${p}" leads outside the repository; paths in the config stay inside it`);
    return false;
  }
  return true;
}

/** Paths (a list, or one with `allowOne`) that each stay inside the repository. */
export function expectRepositoryPaths(
  value: unknown,
  r: ConfigReader,
  p: ConfigPath,
  { allowOne = false }: { allowOne?: boolean } = {},
): string[] | undefined {
  return expectStringList(value, r, p, { allowOne, each: (f, at) => insideRepository(f, r, at) });
}

/** The key's dotted name in messages: `targets[0].values[1]`. */
export function dotted(p: ConfigPath): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
