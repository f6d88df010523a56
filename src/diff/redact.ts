import { isRecord, type KubeObject } from '../model/types.js';

/**
 * Secret values never leave the process. Before two versions of an object are diffed, every
 * secret-bearing value is replaced on both sides by a placeholder that says only whether it
 * changed and how long it is: `(secret: 12 bytes)` -> `(secret: 16 bytes, changed)`, or
 * `(secret: redacted)` on both sides when it did not change (so no diff line shows at all).
 * Pure.
 */

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Env var names that hold credentials: DB_PASSWORD, API_TOKEN, AWS_SECRET_ACCESS_KEY, ... */
export const SECRET_ENV_NAME =
  /(pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|credential|auth|session[-_]?key|access[-_]?key|dsn|conn(ection)?[-_]?string)/i;

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

type Slot = { get(): unknown; set(v: unknown): void; bytes(v: unknown): number };

/** Every secret-bearing slot of an object, keyed by a stable name. */
function secretSlots(obj: KubeObject | undefined): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  if (!obj) return slots;
  if (obj.kind === 'Secret') {
    for (const field of ['data', 'stringData'] as const) {
      const map = obj[field];
      if (!isRecord(map)) continue;
      for (const key of Object.keys(map)) {
        slots.set(`${field}.${key}`, {
          get: () => map[key],
          set: (v) => {
            map[key] = v;
          },
          bytes: (v) => (field === 'data' ? base64Bytes(v) : utf8Bytes(v)),
        });
      }
    }
    const annotations = obj.metadata?.annotations;
    if (isRecord(annotations) && LAST_APPLIED in annotations) {
      slots.set('last-applied', {
        get: () => annotations[LAST_APPLIED],
        set: (v) => {
          annotations[LAST_APPLIED] = v as string;
        },
        bytes: utf8Bytes,
      });
    }
  }
  walkContainers(obj, (container, where) => {
    const env = container.env;
    if (!Array.isArray(env)) return;
    for (const item of env) {
      if (!isRecord(item) || typeof item.name !== 'string' || !('value' in item)) continue;
      if (!SECRET_ENV_NAME.test(item.name)) continue;
      slots.set(`${where}.env.${item.name}`, {
        get: () => item.value,
        set: (v) => {
          item.value = v;
        },
        bytes: utf8Bytes,
      });
    }
  });
  return slots;
}

/** Visit every container of a pod template, wherever the kind keeps it. */
function walkContainers(obj: KubeObject, visit: (c: Record<string, unknown>, where: string) => void): void {
  const seen = new Set<unknown>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > 8 || !isRecord(node) || seen.has(node)) return;
    seen.add(node);
    for (const list of CONTAINER_LISTS) {
      const items = node[list];
      if (!Array.isArray(items)) continue;
      for (const c of items) if (isRecord(c)) visit(c, `${list}.${String(c.name ?? '')}`);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'metadata' && k !== 'status') walk(v, depth + 1);
  };
  walk(obj, 0);
}

/**
 * Redact a base/head pair in place (pass copies). Either side may be absent (added or removed
 * objects): the present side still loses its values.
 */
export function redactPair(base: KubeObject | undefined, head: KubeObject | undefined): void {
  const before = secretSlots(base);
  const after = secretSlots(head);
  for (const [key, slot] of before) {
    const other = after.get(key);
    const a = slot.get();
    if (!other) {
      slot.set(`(secret: ${slot.bytes(a)} bytes)`);
      continue;
    }
    const b = other.get();
    if (String(a) === String(b)) {
      slot.set('(secret: redacted)');
      other.set('(secret: redacted)');
    } else {
      slot.set(`(secret: ${slot.bytes(a)} bytes)`);
      other.set(`(secret: ${other.bytes(b)} bytes, changed)`);
    }
  }
  for (const [key, slot] of after) {
    if (!before.has(key)) slot.set(`(secret: ${slot.bytes(slot.get())} bytes)`);
  }
}

/** True when a path of this object holds a secret value (for reports that show single fields). */
export function isSecretObject(obj: KubeObject): boolean {
  return obj.kind === 'Secret';
}

function utf8Bytes(v: unknown): number {
  return Buffer.byteLength(v === null || v === undefined ? '' : String(v), 'utf8');
}

function base64Bytes(v: unknown): number {
  const s = v === null || v === undefined ? '' : String(v).replace(/\s/g, '');
  return Buffer.from(s, 'base64').length;
}

/** A copy of the object with every secret value replaced by its size: safe to print. */
export function redacted(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  redactPair(copy, undefined);
  return copy;
}
