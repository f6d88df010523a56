import { describe, expect, it } from 'vitest';
import { compareObject } from '../../../src/drift/compare.js';
import { DEFAULT_DRIFT_POLICY } from '../../../src/drift/policy.js';
import type { DriftReport } from '../../../src/drift/types.js';
import type { KubeObject } from '../../../src/model/types.js';
import { hasDrift, renderDrift } from '../../../src/report/drift.js';

const T1 = '2026-11-21T03:07:12Z';

/** A report made by the real comparison: a Secret patched by hand and replicas scaled. */
function sample(): DriftReport {
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    stringData: { password: 'hunter2' },
  };
  const liveSecret: KubeObject = {
    ...secret,
    stringData: undefined,
    data: { password: Buffer.from('s3cr3t-typed-at-3am').toString('base64') },
    metadata: {
      ...secret.metadata,
      managedFields: [
        {
          manager: 'kubectl-patch',
          operation: 'Update',
          time: T1,
          fieldsV1: { 'f:data': { 'f:password': {} } },
        },
      ],
    },
  };
  const dep: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas: 3 },
  };
  const liveDep: KubeObject = {
    ...dep,
    metadata: {
      ...dep.metadata,
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Update',
          subresource: 'scale',
          fieldsV1: { 'f:spec': { 'f:replicas': {} } },
        },
      ],
    },
    spec: { replicas: 1 },
  };
  return {
    version: 1,
    cluster: 'prod-eu',
    drift: [
      ...compareObject(dep, liveDep, DEFAULT_DRIFT_POLICY),
      ...compareObject(secret, liveSecret, DEFAULT_DRIFT_POLICY),
    ],
    missing: [
      {
        object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'extra' },
        source: 'deploy/shop.yaml:40',
      },
    ],
    images: [
      {
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
        kind: 'debug-tag',
        container: 'app',
        image: 'shop/web:1.0-debug',
        message: 'runs a debug build: tag 1.0-debug matches "debug"',
        manager: 'kubectl-set',
        time: T1,
      },
    ],
    errors: [
      {
        scope: 'v1 Pod in shop',
        message: 'forbidden: cannot list pods in namespace shop; grant get and list on it (|x|)',
      },
    ],
  };
}

describe('drift reports', () => {
  it('JSON is exactly {version, drift, missing, images, errors}, with the documented item fields', () => {
    const json = JSON.parse(renderDrift('json', sample()));
    expect(Object.keys(json)).toEqual(['version', 'drift', 'missing', 'images', 'errors']);
    expect(json.version).toBe(1);
    for (const item of json.drift) {
      expect(Object.keys(item)).toEqual([
        'object',
        'type',
        'path',
        'desired',
        'live',
        'manager',
        'operation',
        'subresource',
        'time',
      ]);
    }
  });

  it('never prints a secret value, in any format', () => {
    for (const format of ['json', 'text', 'markdown'] as const) {
      const text = renderDrift(format, sample());
      expect(text).not.toMatch(/hunter2|s3cr3t|typed-at-3am|aHVudGVy|czNjcjN0/);
      expect(text).toContain('<secret: 19 bytes>');
    }
  });

  it('text names the change, the path, the manager and time, and says a manager is not a person', () => {
    const text = renderDrift('text', sample());
    expect(text).toContain(
      'Drift in prod-eu: 2 drifted fields in 2 objects, 1 missing, 1 image issue, 1 error',
    );
    expect(text).toContain('Deployment shop/web');
    expect(text).toMatch(
      /changed +spec\.replicas\n +Git: 3 {2}live: 1\n +by manager kubectl \(Update, subresource scale\), time not recorded/,
    );
    expect(text).toContain(`by manager kubectl-patch (Update) at ${T1}`);
    expect(text).toContain('ConfigMap shop/extra  (deploy/shop.yaml:40)');
    expect(text).toContain('not a person');
  });

  it('markdown escapes table cells', () => {
    const md = renderDrift('markdown', sample());
    expect(md).toContain(
      '| Deployment shop/web | changed | `spec.replicas` | `3` | `1` | `kubectl` (Update, scale) |  |',
    );
    expect(md).toContain('grant get and list on it (\\|x\\|)');
  });

  it('says plainly when there is no drift, and a missing digest pin alone does not count', () => {
    const clean: DriftReport = {
      version: 1,
      cluster: 'prod-eu',
      drift: [],
      missing: [],
      images: [],
      errors: [],
    };
    expect(renderDrift('text', clean)).toBe('No drift in prod-eu: the cluster matches Git\n');
    const unpinned = { ...clean, images: [{ ...sample().images[0], kind: 'not-pinned' as const }] };
    expect(hasDrift(unpinned)).toBe(false);
    expect(hasDrift(sample())).toBe(true);
  });
});
