import { getAt } from '../model/path.js';
import { isRecord, type PathSegment } from '../model/types.js';

/**
 * Secret values never leave the process. A Secret's data, and env values whose names look secret,
 * are shown as `<secret: N bytes>`: whether and how much they changed, never what they say.
 */

const SECRETISH = /pass|secret|token|key|credential|pwd|auth|cert|private|session|cookie|dsn/i;

export function looksSecretName(name: string): boolean {
  return SECRETISH.test(name);
}

export function secretPlaceholder(value: unknown, base64 = false): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  const bytes = base64 ? Buffer.from(text, 'base64').length : Buffer.byteLength(text, 'utf8');
  return `<secret: ${bytes} bytes>`;
}

/**
 * The value at `segments` of an object of `kind`, made safe to print. `root` is the object the
 * segments walk, used to find the name of an env item.
 */
export function redactValue(
  kind: string,
  root: unknown,
  segments: readonly PathSegment[],
  value: unknown,
): unknown {
  if (value === undefined || value === null) return value ?? null;
  if (kind === 'Secret' && (segments[0] === 'data' || segments[0] === 'stringData')) {
    const base64 = segments[0] === 'data';
    if (segments.length === 1 && isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretPlaceholder(v, base64)]));
    }
    return secretPlaceholder(value, base64);
  }
  return redactEnv(root, segments, value);
}

/** Env items (`{name, value}`) and lists of them, at any depth of the value. */
function redactEnv(root: unknown, segments: readonly PathSegment[], value: unknown): unknown {
  // The value is an env item's `value` field: look at the item's name.
  if (segments[segments.length - 1] === 'value' && segments[segments.length - 3] === 'env') {
    const item = getAt(root, segments.slice(0, -1));
    if (isRecord(item) && typeof item.name === 'string' && looksSecretName(item.name)) {
      return secretPlaceholder(value);
    }
    return value;
  }
  return scrub(value);
}

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === 'value' && typeof value.name === 'string' && looksSecretName(value.name)
        ? secretPlaceholder(v)
        : scrub(v);
  }
  return out;
}
