import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringifyInChunks } from '../../../src/model/json.js';

describe('stringifyInChunks', () => {
  it('joins to exactly what JSON.stringify writes, at any depth', () => {
    const value = fc.anything({
      withDate: true,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
      maxDepth: 5,
    });
    fc.assert(
      fc.property(fc.oneof(fc.array(value), fc.dictionary(fc.string(), value)), fc.nat(6), (v, depth) => {
        expect([...stringifyInChunks(v, depth)].join('')).toBe(JSON.stringify(v));
      }),
      { seed: 12, numRuns: 400 },
    );
  });

  it('writes members one by one, so no chunk holds a large array whole', () => {
    const file = {
      result: { run: { findings: Array.from({ length: 1000 }, (_, i) => ({ i, skip: undefined })) } },
    };
    const chunks = [...stringifyInChunks(file)];
    expect(chunks.join('')).toBe(JSON.stringify(file));
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(20);
  });
});
