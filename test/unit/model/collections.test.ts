import { describe, expect, it } from 'vitest';
import { pushAll, pushTo } from '../../../src/model/collections.js';

describe('collections', () => {
  it('appends a list of any length, where a spread overflows the stack', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => i);
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
    const into = [-1];
    pushAll(into, many);
    expect(into.length).toBe(500_001);
    expect(into[0]).toBe(-1);
    expect(into.at(-1)).toBe(499_999);
  });

  it('groups values under their key', () => {
    const map = new Map<string, number[]>();
    pushTo(map, 'a', 1);
    pushTo(map, 'a', 2);
    pushTo(map, 'b', 3);
    expect([...map]).toEqual([
      ['a', [1, 2]],
      ['b', [3]],
    ]);
  });
});
