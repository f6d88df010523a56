import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selects } from '../../../src/model/workload.js';
import { isEmptySelector, LabelIndex, namedList, SelectorIndex } from '../../../src/rules/util/selection.js';

/**
 * The indexes must answer exactly what trying every selector on every object would: they only
 * skip candidates that cannot match. Property-based: small label vocabularies make collisions,
 * shared pairs and In/NotIn/Exists mixes common.
 */

const key = fc.constantFrom('app', 'tier', 'app.kubernetes.io/instance', 'team');
const value = fc.constantFrom('a', 'b', 'c');
const labels = fc.dictionary(key, value, { maxKeys: 4 });
const namespace = fc.constantFrom('shop', 'billing');

const expression = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(value, { maxLength: 3 }) }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);

const selector = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  labels, // a Service's plain map
  fc.record(
    { matchLabels: labels, matchExpressions: fc.array(expression, { maxLength: 3 }) },
    { requiredKeys: [] },
  ),
);

describe('SelectorIndex and LabelIndex', () => {
  it('find exactly what a brute-force scan finds, in insertion order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ namespace, selector }), { maxLength: 12 }),
        fc.array(fc.record({ namespace, labels }), { maxLength: 12 }),
        (selectors, objects) => {
          const bySelector = new SelectorIndex<number>();
          selectors.forEach((s, i) => {
            bySelector.add(s.namespace, s.selector, i);
          });
          const byLabels = new LabelIndex<number>();
          objects.forEach((o, i) => {
            byLabels.add(o.namespace, o.labels, i);
          });
          for (const o of objects) {
            const expected = selectors
              .map((s, i) => (s.namespace === o.namespace && selects(s.selector, o.labels) ? i : -1))
              .filter((i) => i >= 0);
            expect(bySelector.selecting(o.namespace, o.labels)).toEqual(expected);
          }
          for (const s of selectors) {
            const expected = objects
              .map((o, i) => (o.namespace === s.namespace && selects(s.selector, o.labels) ? i : -1))
              .filter((i) => i >= 0);
            expect(byLabels.selectedBy(s.namespace, s.selector)).toEqual(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('tells apart selectors that share their first label', () => {
    const index = new SelectorIndex<string>();
    for (const name of ['web', 'api', 'worker']) {
      index.add(
        'shop',
        { matchLabels: { 'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/name': name } },
        name,
      );
    }
    expect(
      index.selecting('shop', { 'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/name': 'api' }),
    ).toEqual(['api']);
    // Adding after a query rebuilds the index.
    index.add('shop', {}, 'everything');
    expect(index.selecting('shop', { 'app.kubernetes.io/name': 'web' })).toEqual(['everything']);
  });
});

describe('isEmptySelector', () => {
  it('is true for a missing or requirement-free selector only', () => {
    expect(isEmptySelector(undefined)).toBe(true);
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(isEmptySelector({ matchLabels: { app: 'web' } })).toBe(false);
    expect(isEmptySelector({ matchExpressions: [{ key: 'app', operator: 'Exists' }] })).toBe(false);
  });
});

describe('namedList', () => {
  const obj = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name } });
  it('names a few objects and counts the rest', () => {
    expect(namedList([obj('a')])).toBe('Deployment "a"');
    expect(namedList([obj('a'), obj('b')])).toBe('Deployment "a" and Deployment "b"');
    expect(namedList([obj('a'), obj('b'), obj('c'), obj('d'), obj('e')])).toBe(
      'Deployment "a", Deployment "b", Deployment "c" and 2 more',
    );
    expect(namedList([obj('a')], 3, 4)).toBe('Deployment "a" and 3 more');
  });
});
