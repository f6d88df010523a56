import { describe, expect, it } from 'vitest';
import { isEmptyValue, scalarsEqual, subsetEqual } from '../../../src/drift/normalize.js';

const cpu = ['spec', 'containers', 0, 'resources', 'limits', 'cpu'];
const memory = ['spec', 'containers', 0, 'resources', 'requests', 'memory'];

describe('scalar equality for drift', () => {
  it('uses quantity equality only where a quantity lives', () => {
    expect(scalarsEqual('0.5', '500m', cpu)).toBe(true);
    expect(scalarsEqual('1Gi', '1024Mi', memory)).toBe(true);
    expect(scalarsEqual('0.5', '500m', ['spec', 'containers', 0, 'env', 0, 'value'])).toBe(false);
  });

  it('treats int-or-string and loosely typed YAML scalars alike', () => {
    expect(scalarsEqual(8080, '8080', ['spec', 'ports', 0, 'targetPort'])).toBe(true);
    expect(scalarsEqual('http', 8080, ['spec', 'ports', 0, 'targetPort'])).toBe(false);
    expect(scalarsEqual(true, 'true', ['metadata', 'labels', 'x'])).toBe(true);
  });

  it('treats empty and absent alike', () => {
    for (const v of [undefined, null, '', {}, []]) expect(isEmptyValue(v)).toBe(true);
    expect(isEmptyValue(0)).toBe(false);
    expect(isEmptyValue(false)).toBe(false);
    expect(scalarsEqual('', undefined, ['x'])).toBe(true);
  });

  it('lets defaulted fields exist live without counting (subset equality)', () => {
    const declared = [{ key: 'a', operator: 'Exists' }];
    const live = [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }];
    expect(subsetEqual(declared, live, ['tolerations'])).toBe(true);
    expect(subsetEqual(['a', 'b'], ['b', 'a'], ['args'])).toBe(false);
    expect(subsetEqual({ resources: {} }, { resources: { limits: { cpu: '1' } } }, [])).toBe(true);
  });
});
