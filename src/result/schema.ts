/**
 * A small schema language for untrusted JSON (a result file a fork may have forged): each schema
 * is a function that checks a value and returns a fresh copy holding only what the schema names,
 * or throws a ResultError naming the field. Every string, array and the whole file are bounded,
 * so nothing in the input decides how much work or memory reading it takes. Unknown fields are
 * refused rather than ignored: a file that does not have exactly our shape is not ours.
 */

import { stripControls } from '../model/text.js';
import { neutralize } from './escape.js';

export class ResultError extends Error {}

/** Bounds that hold across the whole file, not one field; and how far the file is trusted. */
export interface Budget {
  /** Array items left to read, over every array in the file. */
  items: number;
  /** String characters left to read, over every string in the file. */
  chars: number;
  /**
   * From a run that had less privilege than this one (a fork's `pull_request` run, read by a
   * `workflow_run` job): free text is neutralised (result/escape.ts) and code loses its control
   * characters. Files from the same run's own jobs are read as written, so that publishing them
   * is exactly what one unsharded job would have published.
   */
  untrusted: boolean;
}

export function budget(untrusted: boolean, limits: { items: number; chars: number }): Budget {
  return { ...limits, untrusted };
}

export type Schema<T> = (value: unknown, at: string, budget: Budget) => T;
export type Infer<S> = S extends Schema<infer T> ? T : never;

function fail(at: string, what: string): never {
  throw new ResultError(`${at || 'the file'}: ${what}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A string of at most `max` characters, matching `pattern` when given. `text`: free text that
 * reaches Markdown (neutralised when untrusted); `code`: text shown in a fence (its control
 * characters removed when untrusted).
 */
export function str(max: number, options: { pattern?: RegExp; as?: 'text' | 'code' } = {}): Schema<string> {
  return (value, at, budget) => {
    if (typeof value !== 'string') fail(at, `expected a string, found ${describe(value)}`);
    if (value.length > max) fail(at, `longer than ${max} characters (${value.length})`);
    budget.chars -= value.length;
    if (budget.chars < 0) fail(at, 'the file holds more text than a result can');
    if (options.pattern && !options.pattern.test(value))
      fail(at, `${JSON.stringify(value.slice(0, 80))} is not allowed here`);
    if (!budget.untrusted || !options.as) return value;
    return options.as === 'text' ? neutralize(value) : stripControls(value);
  };
}

export function int(min: number, max: number): Schema<number> {
  return (value, at) => {
    if (typeof value !== 'number' || !Number.isInteger(value))
      fail(at, `expected a whole number, found ${describe(value)}`);
    if (value < min || value > max) fail(at, `${value} is out of range (${min} to ${max})`);
    return value;
  };
}

export const bool: Schema<boolean> = (value, at) => {
  if (typeof value !== 'boolean') fail(at, `expected true or false, found ${describe(value)}`);
  return value;
};

export function oneOf<const T extends string>(allowed: readonly T[]): Schema<T> {
  const set = new Set<string>(allowed);
  return (value, at) => {
    if (typeof value !== 'string' || !set.has(value))
      fail(
        at,
        `expected one of ${allowed.length > 8 ? 'the known values' : allowed.join(', ')}, found ${JSON.stringify(typeof value === 'string' ? value.slice(0, 80) : describe(value))}`,
      );
    return value as T;
  };
}

export function literal<const T extends string | number>(expected: T): Schema<T> {
  return (value, at) => {
    if (value !== expected)
      fail(at, `expected ${JSON.stringify(expected)}, found ${JSON.stringify(value)?.slice(0, 80)}`);
    return expected;
  };
}

export function list<T>(item: Schema<T>, max: number): Schema<T[]> {
  return (value, at, budget) => {
    if (!Array.isArray(value)) fail(at, `expected a list, found ${describe(value)}`);
    if (value.length > max) fail(at, `more than ${max} items (${value.length})`);
    budget.items -= value.length;
    if (budget.items < 0) fail(at, 'the file holds more items than a result can');
    return value.map((v, i) => item(v, `${at}[${i}]`, budget));
  };
}

/** A map from bounded keys to values, at most `max` entries. */
export function record<T>(key: Schema<string>, item: Schema<T>, max: number): Schema<Record<string, T>> {
  return (value, at, budget) => {
    if (!isPlainObject(value)) fail(at, `expected an object, found ${describe(value)}`);
    const entries = Object.entries(value);
    if (entries.length > max) fail(at, `more than ${max} entries (${entries.length})`);
    budget.items -= entries.length;
    if (budget.items < 0) fail(at, 'the file holds more items than a result can');
    // No prototype: a key named __proto__ or constructor is just a key.
    const out = Object.create(null) as Record<string, T>;
    for (const [k, v] of entries)
      out[key(k, `${at} key`, budget)] = item(v, `${at}.${k.slice(0, 40)}`, budget);
    return out;
  };
}

const OPTIONAL = Symbol('optional');
export type Optional<T> = Schema<T> & { [OPTIONAL]: true };

export function optional<T>(schema: Schema<T>): Optional<T> {
  const s = ((value, at, budget) => schema(value, at, budget)) as Optional<T>;
  s[OPTIONAL] = true;
  return s;
}

type Shape = Record<string, Schema<unknown>>;
type Out<S extends Shape> = {
  [K in keyof S as S[K] extends Optional<unknown> ? never : K]: Infer<S[K]>;
} & {
  [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: Infer<S[K]>;
};

/**
 * An object with exactly these fields (optional ones may be absent; unknown ones are refused),
 * copied in the order the file has them, so that what is written back reads the same.
 */
export function obj<S extends Shape>(shape: S): Schema<Out<S>> {
  const known = new Set(Object.keys(shape));
  return (value, at, budget) => {
    if (!isPlainObject(value)) fail(at, `expected an object, found ${describe(value)}`);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      if (!known.has(k)) fail(at, `unknown field ${JSON.stringify(k.slice(0, 40))}`);
      const v = value[k];
      if (v === undefined) continue;
      out[k] = shape[k](v, at ? `${at}.${k}` : k, budget);
    }
    for (const [k, schema] of Object.entries(shape))
      if (!Object.hasOwn(out, k) && !(OPTIONAL in schema)) fail(at, `missing field ${JSON.stringify(k)}`);
    return out as Out<S>;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
