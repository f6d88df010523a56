import { describe, expect, it } from 'vitest';
import { builtInRoot } from '../../../src/drift/schema.js';
import { formatPath, LIST_KEYS, mergeKeyOf, PathFormatter } from '../../../src/model/path.js';

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

describe('PathFormatter: the paths of many findings', () => {
  const pod = () => ({
    spec: {
      containers: [
        { name: 'app', env: [{ name: 'A' }], securityContext: {} },
        { name: 'side', args: ['--x'] },
      ],
      'weird key': [{ name: 'w' }],
      args: ['a', ['nested']],
    },
  });
  const paths: (string | number)[][] = [
    [],
    ['spec'],
    ['spec', 'containers'],
    ['spec', 'containers', 0],
    ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'],
    ['spec', 'containers', 0, 'env', 0, 'value'],
    ['spec', 'containers', 1, 'args', 0],
    ['spec', 'containers', 7, 'image'],
    ['spec', 'weird key', 0, 'name'],
    ['spec', 'args', 1, 0],
    ['spec', 'args', 0, 'x'],
    [0, 'name'],
  ];

  it('writes what formatPath writes, asked once or again', () => {
    const obj = pod();
    const paths2 = new PathFormatter();
    for (let round = 0; round < 2; round++)
      for (const p of paths) expect(paths2.format(obj, p), p.join('/')).toBe(formatPath(obj, p));
  });

  it('shares the text up to a list item between the paths through it', () => {
    const obj = pod();
    const f = new PathFormatter();
    const a = f.format(obj, ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
    const b = f.format(obj, ['spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
    expect(a).toBe('spec.containers[name=app].securityContext.runAsNonRoot');
    expect(b).toBe(a);
  });

  it('formats an item reached by two paths (a YAML alias shares one object) by the path asked', () => {
    const shared = { name: 'same' };
    const obj = { spec: { containers: [shared], initContainers: [shared] } };
    const f = new PathFormatter();
    expect(f.format(obj, ['spec', 'containers', 0, 'image'])).toBe('spec.containers[name=same].image');
    expect(f.format(obj, ['spec', 'initContainers', 0, 'image'])).toBe(
      'spec.initContainers[name=same].image',
    );
    expect(f.format(obj, ['spec', 'containers', 0, 'image'])).toBe('spec.containers[name=same].image');
    // The same item under another object (two documents) is formatted against that object.
    const other = { items: [obj] };
    expect(f.format(other, ['items', 0, 'spec', 'containers', 0, 'image'])).toBe(
      'items[0].spec.containers[name=same].image',
    );
  });
});
