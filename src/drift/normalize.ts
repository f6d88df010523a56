import { quantitiesEqual } from '../model/quantity.js';
import type { PathSegment } from '../model/types.js';
import { isRecord } from '../model/types.js';

/**
 * Value equality the way the API server sees it, so that an untouched object shows no drift:
 * `0.5` and `500m` are one CPU quantity, `1Gi` and `1024Mi` one memory size, `8080` and `"8080"`
 * one int-or-string port, and `{}`, `[]`, `""` and null mean the same as an absent field.
 * Quantities are compared exactly by model/quantity.ts.
 */

/**
 * Fields that hold quantities: anything under resources, limits, requests, a quota's `hard`, an
 * emptyDir's `sizeLimit`, a LimitRange's defaults. Elsewhere `"1"` and `"1.0"` stay different.
 */
const QUANTITY_PARENTS = new Set([
  'limits',
  'requests',
  'hard',
  'used',
  'capacity',
  'overhead',
  'default',
  'defaultRequest',
  'max',
  'min',
  'maxLimitRequestRatio',
]);

export function isQuantityPath(segments: readonly PathSegment[]): boolean {
  const last = segments[segments.length - 1];
  if (last === 'sizeLimit' || last === 'storage') return true;
  const parent = segments[segments.length - 2];
  return typeof parent === 'string' && QUANTITY_PARENTS.has(parent);
}

/** Absent, null, `""`, `{}` and `[]` all mean "not set" to the API server (omitempty). */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.keys(value).length === 0;
  return false;
}

/** Two scalars are equal for drift purposes at this path. */
export function scalarsEqual(desired: unknown, live: unknown, segments: readonly PathSegment[]): boolean {
  if (desired === live) return true;
  if (isEmptyValue(desired) && isEmptyValue(live)) return true;
  if (isQuantityPath(segments) && quantitiesEqual(desired, live)) return true;
  // int-or-string (ports, maxSurge) and YAML's loose typing: 8080 and "8080", true and "true".
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return scalar(desired) && scalar(live) && String(desired) === String(live);
}

/** Does `desired` (what Git declares) hold within `live`? Extra live fields are defaults, not drift. */
export function subsetEqual(desired: unknown, live: unknown, segments: readonly PathSegment[]): boolean {
  if (isEmptyValue(desired)) return isEmptyValue(live) || !isScalarish(live);
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    return desired.every((item, i) => subsetEqual(item, live[i], [...segments, i]));
  }
  if (isRecord(desired)) {
    if (!isRecord(live)) return false;
    return Object.entries(desired).every(([k, v]) => subsetEqual(v, live[k], [...segments, k]));
  }
  return scalarsEqual(desired, live, segments);
}

function isScalarish(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
