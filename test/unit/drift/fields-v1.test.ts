import { describe, expect, it } from 'vitest';
import { decodeFieldsV1 } from '../../../src/drift/fields-v1.js';
import { formatPath } from '../../../src/model/path.js';

const live = {
  metadata: { labels: { app: 'shop', team: 'x' }, finalizers: ['a.example/x', 'b.example/y'] },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          {
            name: 'sidecar',
            image: 'envoy:1',
            ports: [{ containerPort: 9901, protocol: 'TCP' }],
          },
          {
            name: 'app',
            image: 'shop:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'DEBUG', value: 'true' },
            ],
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
          },
        ],
      },
    },
    args: ['--x', '--y'],
  },
};

function owned(fields: unknown) {
  return decodeFieldsV1(fields, live).map((o) => `${formatPath(live, o.segments)}${o.leaf ? '' : ' (node)'}`);
}

describe('decodeFieldsV1', () => {
  it('decodes f: keys into map paths, empty objects being the owned leaves', () => {
    expect(owned({ 'f:spec': { 'f:replicas': {} }, 'f:metadata': { 'f:labels': { 'f:team': {} } } })).toEqual(
      ['spec.replicas', 'metadata.labels.team'],
    );
  });

  it('resolves k:{...} against the live list by its JSON key, whatever the order', () => {
    const fields = {
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                'f:image': {},
                'f:env': { 'k:{"name":"DEBUG"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
              },
            },
          },
        },
      },
    };
    expect(owned(fields)).toEqual([
      'spec.template.spec.containers[name=app].image',
      'spec.template.spec.containers[name=app].env[name=DEBUG] (node)',
      'spec.template.spec.containers[name=app].env[name=DEBUG].name',
      'spec.template.spec.containers[name=app].env[name=DEBUG].value',
    ]);
    const debugEnv = decodeFieldsV1(fields, live).find((o) => !o.leaf);
    expect(debugEnv?.segments).toEqual(['spec', 'template', 'spec', 'containers', 1, 'env', 1]);
  });

  it('matches composite keys with numbers (ports by containerPort and protocol)', () => {
    const fields = {
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': { 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {} } } },
            },
          },
        },
      },
    };
    expect(decodeFieldsV1(fields, live)[0].segments).toEqual([
      'spec',
      'template',
      'spec',
      'containers',
      1,
      'ports',
      0,
    ]);
  });

  it('resolves v: set members and i: indexes', () => {
    expect(
      owned({
        'f:metadata': { 'f:finalizers': { 'v:"b.example/y"': {} } },
        'f:spec': { 'f:args': { 'i:1': {} } },
      }),
    ).toEqual(['metadata.finalizers[1]', 'spec.args[1]']);
  });

  it('skips items the live object no longer has (stale entries) instead of guessing', () => {
    const fields = {
      'f:spec': {
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"gone"}': { 'f:image': {} } } } },
        'f:args': { 'i:7': {} },
      },
      'f:metadata': { 'f:finalizers': { 'v:"nope"': {} } },
    };
    expect(owned(fields)).toEqual([]);
  });

  it('treats "." as owning the node itself and keeps children', () => {
    expect(owned({ 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } })).toEqual([
      'metadata.labels (node)',
      'metadata.labels.app',
    ]);
  });

  it('ignores malformed input rather than throwing', () => {
    expect(decodeFieldsV1(null, live)).toEqual([]);
    expect(decodeFieldsV1({ 'f:spec': 'oops', 'k:{bad json': {}, 'x:weird': {} }, live)).toEqual([]);
  });
});
