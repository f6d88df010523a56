import { describe, expect, it } from 'vitest';
import { builtInRoot } from '../../../src/drift/schema.js';
import { formatPath, LIST_KEYS, mergeKeyOf } from '../../../src/model/path.js';

describe('list keys: one table for field paths and drift', () => {
  it('addresses list items by their strategic-merge key, other lists by index', () => {
    const obj = {
      spec: {
        containers: [
          { name: 'app', volumeMounts: [{ mountPath: '/data' }], ports: [{ containerPort: 8080 }] },
        ],
        args: ['a'],
      },
    };
    expect(formatPath(obj, ['spec', 'containers', 0, 'volumeMounts', 0])).toBe(
      'spec.containers[name=app].volumeMounts[mountPath=/data]',
    );
    expect(formatPath(obj, ['spec', 'containers', 0, 'ports', 0])).toBe(
      'spec.containers[name=app].ports[containerPort=8080]',
    );
    expect(formatPath(obj, ['spec', 'args', 0])).toBe('spec.args[0]');
  });

  it("drift's built-in fallback pairs the same lists by the same keys, and adds its own", () => {
    const pod = builtInRoot('Pod').field('spec');
    for (const [name, keys] of Object.entries(LIST_KEYS))
      expect(pod.field(name).list(), name).toEqual({ type: 'map', keys });
    expect(pod.field('topologySpreadConstraints').list()).toEqual({
      type: 'map',
      keys: ['topologyKey', 'whenUnsatisfiable'],
    });
    // A container's ports are keyed by number and protocol for drift (TCP and UDP share a number).
    expect(pod.field('containers').items().field('ports').list()).toEqual({
      type: 'map',
      keys: ['containerPort', 'protocol'],
    });
  });

  it('takes lists named like Object.prototype members as plain lists, without throwing', () => {
    const obj = { spec: { toString: [{ name: 'x' }], constructor: [{ name: 'y' }] } };
    expect(formatPath(obj, ['spec', 'toString', 0])).toBe('spec.toString[0]');
    expect(formatPath(obj, ['spec', 'constructor', 0])).toBe('spec.constructor[0]');
    expect(mergeKeyOf('hasOwnProperty', { name: 'z' })).toBeUndefined();
    const spec = builtInRoot('Pod').field('spec');
    expect(spec.field('constructor').list()).toEqual({ type: 'atomic' });
    expect(spec.field('constructor').defaultValue()).toBeUndefined();
    expect(spec.field('protocol').defaultValue()).toBe('TCP');
  });
});
