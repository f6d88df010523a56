import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareObject } from '../../../src/drift/compare.js';
import { decodeFieldsV1 } from '../../../src/drift/fields-v1.js';
import { DEFAULT_DRIFT_POLICY } from '../../../src/drift/policy.js';
import type { KubeObject, PathSegment } from '../../../src/model/types.js';

/**
 * Properties of the managedFields decoding, against an encoder written here the way the API
 * server writes fieldsV1: maps as `f:`, keyed list items as `k:{...}`, scalars lists as `v:`.
 */

type Trie = { [key: string]: Trie };

/** Every leaf of an object, as concrete segments; an empty map or list is a leaf too. */
function leaves(node: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  if (Array.isArray(node)) {
    return node.length === 0 ? [prefix] : node.flatMap((item, i) => leaves(item, [...prefix, i]));
  }
  if (typeof node === 'object' && node !== null) {
    if (Object.keys(node).length === 0) return [prefix];
    return Object.entries(node).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  }
  return [prefix];
}

/** fieldsV1 for every leaf: lists of objects keyed by `name`, lists of scalars as sets. */
function encode(node: unknown): Trie {
  const trie: Trie = {};
  if (Array.isArray(node)) {
    for (const item of node) {
      if (typeof item === 'object' && item !== null && 'name' in item) {
        trie[`k:${JSON.stringify({ name: (item as { name: string }).name })}`] = { '.': {}, ...encode(item) };
      } else trie[`v:${JSON.stringify(item)}`] = {};
    }
    return trie;
  }
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    trie[`f:${k}`] = typeof v === 'object' && v !== null ? encode(v) : {};
  }
  return trie;
}

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean());
const envList = fc.uniqueArray(fc.record({ name, value: fc.string({ maxLength: 5 }) }), {
  selector: (e) => e.name,
  maxLength: 4,
});
const container = fc.record({
  name,
  image: fc.string({ minLength: 1, maxLength: 10 }),
  env: envList,
  args: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 3 }),
});
const spec = fc.record({
  replicas: fc.integer({ min: 0, max: 9 }),
  labels: fc.dictionary(name, scalar, { maxKeys: 3 }),
  containers: fc.uniqueArray(container, { selector: (c) => c.name, minLength: 1, maxLength: 3 }),
});

describe('decodeFieldsV1 (properties)', () => {
  it('finds exactly the leaves it was given, whatever the live list order', () => {
    fc.assert(
      fc.property(spec, fc.integer(), (s, seed) => {
        const fields = encode(s);
        // The live object may hold keyed list items in another order than when they were written.
        const live = structuredClone(s);
        if (seed % 2 === 0) live.containers.reverse();
        const decoded = decodeFieldsV1(fields, live)
          .filter((o) => o.leaf)
          .map((o) => JSON.stringify(o.segments));
        const expected = leaves(live)
          .filter((p) => p.length > 0)
          .map((p) => JSON.stringify(p));
        expect(new Set(decoded)).toEqual(new Set(expected));
      }),
    );
  });

  it('never throws on malformed fieldsV1 or live objects', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (fields, live) => {
        expect(Array.isArray(decodeFieldsV1(fields, live))).toBe(true);
      }),
    );
  });

  it('an object compared with itself has no drift, whoever owns its fields', () => {
    fc.assert(
      fc.property(spec, fc.constantFrom('helm', 'kubectl-edit', 'node-fetch'), (s, manager) => {
        const obj: KubeObject = {
          apiVersion: 'v1',
          kind: 'Thing',
          metadata: { name: 'x', namespace: 'y' },
          spec: s,
        };
        const live: KubeObject = structuredClone(obj);
        live.metadata.managedFields = [
          { manager, operation: 'Update', time: '2026-11-21T03:00:00Z', fieldsV1: { 'f:spec': encode(s) } },
        ];
        expect(compareObject(obj, live, DEFAULT_DRIFT_POLICY)).toEqual([]);
      }),
    );
  });
});
