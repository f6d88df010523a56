import { getAt } from '../model/path.js';
import { isRecord, type KubeObject, type PathSegment } from '../model/types.js';
import { forEachContainer } from './containers.js';
import { placeholder } from './registry.js';
import { holdsSecretValue, isReference, type Redacted, redactArgv, redactUrlPasswords } from './values.js';

/**
 * Structural redaction: before an object is printed or diffed, each value that sits where a
 * secret sits is replaced by `<secret: N bytes>`:
 *
 * - a Secret's `data` (N is the decoded size) and `stringData`;
 * - `kubectl.kubernetes.io/last-applied-configuration`, on every kind (it repeats the object);
 * - env values whose names look secret, and ConfigMap `data` under secret-looking keys;
 * - the password of a URL with credentials, and the value of a secret-looking flag or
 *   assignment, in env values, ConfigMap data, and a container's `command` and `args`.
 *
 * This catches secrets of any length where they sit; free-text masking (registry.ts) catches
 * them wherever else they turn up. Pure.
 */

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Shown after the placeholder on the head side of a diff when a secret changed. */
export const CHANGED = ' (changed)';

/** A place in an object that holds a secret, or text with one inside. */
interface Slot {
  get(): unknown;
  set(value: string): void;
  /** The safe text and the secrets it hides; undefined when there is nothing to hide. */
  redact(value: unknown): Redacted | undefined;
}

const utf8 = (v: string) => Buffer.byteLength(v, 'utf8');
const mark = (secret: string) => placeholder(utf8(secret));

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

/** The whole value is secret. */
function whole(bytes: (v: string) => number) {
  return (v: unknown): Redacted => ({ text: placeholder(bytes(text(v))), secrets: [text(v)] });
}

function base64Bytes(v: string): number {
  return Buffer.from(v.replace(/\s/g, ''), 'base64').length;
}

/** Secrets inside free text (a URL with credentials); undefined when it holds none. */
function inText(v: unknown): Redacted | undefined {
  if (typeof v !== 'string') return undefined;
  const r = redactUrlPasswords(v, mark);
  return r.secrets.length > 0 ? r : undefined;
}

/** A named value (an env var, a ConfigMap key): whole when the name looks secret, else its URLs. */
function named(name: string) {
  return (v: unknown): Redacted | undefined => {
    if (typeof v === 'string' && isReference(v)) return undefined;
    return holdsSecretValue(name, v) ? whole(utf8)(v) : inText(v);
  };
}

function slot(map: Record<string, unknown> | unknown[], key: string | number, redact: Slot['redact']): Slot {
  const m = map as Record<string | number, unknown>;
  return {
    get: () => m[key],
    set: (v) => {
      m[key] = v;
    },
    redact,
  };
}

/** Every secret-bearing place of an object, by a stable key (so that base and head pair up). */
function secretSlots(obj: unknown, kind: string | undefined): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  if (!isRecord(obj)) return slots;
  if (kind === 'Secret') {
    for (const field of ['data', 'stringData'] as const) {
      const map = obj[field];
      if (!isRecord(map)) continue;
      const redact = whole(field === 'data' ? base64Bytes : utf8);
      for (const key of Object.keys(map)) slots.set(`${field}.${key}`, slot(map, key, redact));
    }
  }
  if (kind === 'ConfigMap' && isRecord(obj.data)) {
    const data = obj.data;
    for (const key of Object.keys(data)) slots.set(`data.${key}`, slot(data, key, named(key)));
  }
  const annotations = isRecord(obj.metadata) ? obj.metadata.annotations : undefined;
  if (isRecord(annotations) && LAST_APPLIED in annotations)
    slots.set('last-applied', slot(annotations, LAST_APPLIED, whole(utf8)));
  forEachContainer(obj, (container, where) => {
    if (Array.isArray(container.env)) {
      for (const item of container.env) {
        if (!isRecord(item) || typeof item.name !== 'string' || !('value' in item)) continue;
        slots.set(`${where}.env.${item.name}`, slot(item, 'value', named(item.name)));
      }
    }
    for (const list of ['command', 'args'] as const) {
      const argv = container[list];
      if (!Array.isArray(argv)) continue;
      const redacted = redactArgv(argv, mark);
      argv.forEach((_, i) => {
        const r = redacted[i];
        slots.set(
          `${where}.${list}.${i}`,
          slot(argv, i, () => (r.secrets.length > 0 ? r : undefined)),
        );
      });
    }
  });
  return slots;
}

/**
 * Redact a base/head pair in place (pass copies). Either side may be absent (an added or
 * removed object): the present side is still redacted. A secret that differs between the two
 * sides carries ` (changed)` after its placeholder on the head side, so the change shows even
 * when the sizes are equal; an unchanged one reads the same on both sides (no diff line).
 */
export function redactPair(base: KubeObject | undefined, head: KubeObject | undefined): void {
  const before = secretSlots(base, base?.kind);
  const after = secretSlots(head, head?.kind);
  const apply = (s: Slot, r: Redacted | undefined, suffix = '') => {
    if (r) s.set(r.text + suffix);
  };
  for (const [key, b] of before) {
    const rb = b.redact(b.get());
    const h = after.get(key);
    if (!h) {
      apply(b, rb);
      continue;
    }
    const rh = h.redact(h.get());
    const changed = rh !== undefined && JSON.stringify(rb?.secrets ?? []) !== JSON.stringify(rh.secrets);
    apply(b, rb);
    apply(h, rh, changed ? CHANGED : '');
  }
  for (const [key, h] of after) if (!before.has(key)) apply(h, h.redact(h.get()));
}

/** A copy of the object with every secret value replaced by its size: safe to print. */
export function redacted(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  redactPair(copy, undefined);
  return copy;
}

const copies = new WeakMap<object, Map<string, unknown>>();

/**
 * The value at `segments` of `root` (an object of `kind`; `root` may lack its own `kind`), made
 * safe to print: taken from a redacted copy of `root`. A value that is not the one at that path
 * is redacted on its own, as an object of that kind would be.
 */
export function redactValue(
  kind: string,
  root: unknown,
  segments: readonly PathSegment[],
  value: unknown,
): unknown {
  if (value === undefined || value === null) return value ?? null;
  if (!isRecord(root) || getAt(root, segments) !== value) return redactDetached(kind, segments, value);
  let byKind = copies.get(root);
  if (!byKind) {
    byKind = new Map();
    copies.set(root, byKind);
  }
  let copy = byKind.get(kind);
  if (!copy) {
    copy = { ...(structuredClone(root) as Record<string, unknown>), kind };
    redactPair(copy as KubeObject, undefined);
    byKind.set(kind, copy);
  }
  return getAt(copy, segments) ?? null;
}

/** A value on its own: under a Secret's data it is all secret; otherwise as part of an object. */
function redactDetached(kind: string, segments: readonly PathSegment[], value: unknown): unknown {
  const [top] = segments;
  if (kind === 'Secret' && (top === 'data' || top === 'stringData')) {
    const bytes = top === 'data' ? base64Bytes : utf8;
    if (segments.length === 1 && isRecord(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholder(bytes(text(v)))]));
    return placeholder(bytes(text(value)));
  }
  // Put it back where it sits (in an env item, a container, a map of annotations) and redact that.
  const holder: Record<string | number, unknown> = { kind };
  if (segments.length === 0)
    return isRecord(value) ? redacted({ ...(structuredClone(value) as KubeObject), kind }) : value;
  let node = holder;
  for (let i = 0; i < segments.length - 1; i++) {
    const next = (typeof segments[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
    node[segments[i]] = next;
    node = next;
  }
  node[segments[segments.length - 1]] = structuredClone(value);
  redactPair(holder as KubeObject, undefined);
  return getAt(holder, segments) ?? null;
}
