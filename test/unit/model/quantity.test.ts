import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuantity, quantitiesEqual } from '../../../src/model/quantity.js';

describe('quantities', () => {
  it.each([
    ['0.5', '500m'],
    [0.5, '500m'],
    ['1', '1000m'],
    [2, '2'],
    ['1Gi', '1024Mi'],
    ['1Mi', '1048576'],
    ['1k', '1000'],
    ['1e3', '1k'],
    ['0.1', '100m'],
    ['1.5Gi', '1536Mi'],
    ['100u', '100000n'],
  ])('%s equals %s', (a, b) => {
    expect(quantitiesEqual(a, b)).toBe(true);
  });

  it.each([
    ['1G', '1Gi'],
    ['500m', '0.6'],
    ['1Mi', '1M'],
  ])('%s differs from %s', (a, b) => {
    expect(quantitiesEqual(a, b)).toBe(false);
  });

  it('rejects what is not a quantity', () => {
    expect(parseQuantity('abc')).toBeUndefined();
    expect(parseQuantity('1Xi')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
  });

  it('milli-units round-trip exactly for any integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) =>
        quantitiesEqual(
          `${n}m`,
          String(n / 1000)
            .replace(/^0\./, '.')
            .replace(/^\./, '0.'),
        ),
      ),
    );
  });
});

describe('quantities from untrusted manifests', () => {
  it('parses the suffixes Kubernetes accepts, exactly', () => {
    expect(parseQuantity('500m')).toEqual({ num: 500n, den: 1000n });
    expect(parseQuantity('2Gi')).toEqual({ num: 2n * 2n ** 30n, den: 1n });
    expect(parseQuantity('1.5G')).toEqual({ num: 15n * 10n ** 9n, den: 10n });
    expect(parseQuantity('-1e-3')).toEqual({ num: -1n, den: 1000n });
    expect(parseQuantity(2)).toEqual({ num: 2n, den: 1n });
    expect(parseQuantity(1e21)).toEqual({ num: 10n ** 21n, den: 1n });
  });

  it('refuses at once what would need enormous arithmetic, instead of hanging', () => {
    const started = performance.now();
    expect(parseQuantity('1e999999999')).toBeUndefined();
    expect(parseQuantity('1e-999999999')).toBeUndefined();
    expect(parseQuantity('9'.repeat(1_000_000))).toBeUndefined();
    expect(quantitiesEqual('1e999999999', '1e999999999')).toBe(false);
    expect(parseQuantity('1e300')).toBeDefined();
    // Generous for a loaded machine: the unbounded parser takes minutes on the first line alone.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('never throws, whatever the string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.stringMatching(/^[+-]?[0-9.]{0,12}([eE][+-]?[0-9]{0,6}|[numkMGTPEi]{0,2})$/),
        ),
        (s) => {
          const q = parseQuantity(s);
          return q === undefined || q.den > 0n;
        },
      ),
      { seed: 12, numRuns: 2000 },
    );
  });
});
