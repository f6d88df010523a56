import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { rules as network } from '../../../src/rules/network.js';
import { rules as observability } from '../../../src/rules/observability.js';
import { rules as rbac } from '../../../src/rules/rbac.js';
import { rules as replicas } from '../../../src/rules/replicas.js';
import { check } from './helpers.js';

/**
 * docs/rules.md shows each rule's examples. For the cross-object rules they are whole manifest
 * sets, so they can be checked for real: the bad one fails its rule, the good one passes it.
 */
describe('examples of the cross-object rules', () => {
  const all = [...rbac, ...replicas, ...network, ...observability];
  it.each(all.map((r) => [r.meta.id, r.meta.example] as const))(
    '%s: bad fails, good passes',
    (id, example) => {
      for (const text of [example.bad, example.good]) {
        const docs = parseAllDocuments(text);
        expect(Array.isArray(docs) ? docs.flatMap((d) => d.errors) : ['not parsed']).toEqual([]);
      }
      expect(check(example.bad, id).length).toBeGreaterThan(0);
      expect(check(example.good, id)).toEqual([]);
    },
  );
});
