import { describe, expect, it } from 'vitest';
import { compareObject } from '../../../src/drift/compare.js';
import { DEFAULT_DRIFT_POLICY } from '../../../src/drift/policy.js';
import type { DriftReport } from '../../../src/drift/types.js';
import type { KubeObject } from '../../../src/model/types.js';
import { driftHeadline, driftVerdict, hasDrift, renderDrift } from '../../../src/report/drift.js';

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

  it('a partial read says so first, and is never clean', () => {
    const partial: DriftReport = {
      version: 1,
      cluster: 'prod-eu',
      drift: [],
      missing: [],
      images: [],
      errors: [{ scope: 'v1 Secret in shop', message: 'forbidden: cannot list secrets in namespace shop' }],
      coverage: {
        status: 'partial',
        notCompared: ['v1 Secret in shop (2 objects in Git)'],
        lists: 'openapi-v3',
      },
    };
    const text = renderDrift('text', partial);
    expect(text.split('\n')[0]).toBe(
      'Partial result in prod-eu: no drift in what was compared, but v1 Secret in shop (2 objects in Git) could not be compared',
    );
    expect(text).toContain('Not compared\n  v1 Secret in shop (2 objects in Git)');
    expect(text).toContain("paired the way the API server's OpenAPI v3 says they merge");
    expect(driftVerdict(partial)).toBe('unknown');
    const withDrift = { ...partial, drift: sample().drift };
    expect(driftHeadline(withDrift)).toMatch(
      /^Drift in prod-eu \(partial, 1 part not compared\): 2 drifted fields/,
    );
    expect(driftVerdict(withDrift)).toBe('drift');
    const none: DriftReport = { ...partial, coverage: { ...partial.coverage!, status: 'none' } };
    expect(driftHeadline(none)).toBe(
      'Not compared in prod-eu: nothing could be read from the cluster (v1 Secret in shop (2 objects in Git)); this is not a clean result',
    );
  });

  it('says when lists were paired by the built-in table, and why', () => {
    const clean: DriftReport = {
      version: 1,
      drift: [],
      missing: [],
      images: [],
      errors: [],
      coverage: {
        status: 'complete',
        notCompared: [],
        lists: 'built-in',
        listsNote: 'the server has no /openapi/v3',
      },
    };
    expect(renderDrift('text', clean)).toBe(
      "No drift: the cluster matches Git\n\nLists were paired by shipshape's built-in table, not the API server's OpenAPI v3 (the server has no /openapi/v3).\n",
    );
    expect(renderDrift('markdown', clean)).toContain("<sub>Lists were paired by shipshape's built-in table");
    expect(driftVerdict(clean)).toBe('clean');
  });

  it('objects Git does not know count as drift, with the manager that created them, in every format', () => {
    const report: DriftReport = {
      ...sample(),
      orphans: [
        {
          object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'hotfix' },
          manager: 'kubectl-create',
          operation: 'Update',
          time: T1,
        },
      ],
    };
    expect(renderDrift('text', report)).toContain(
      `ConfigMap shop/hotfix  created by manager kubectl-create (Update) at ${T1}`,
    );
    expect(renderDrift('markdown', report)).toContain(
      '| ConfigMap shop/hotfix | `kubectl-create` (Update) |',
    );
    expect(Object.keys(JSON.parse(renderDrift('json', report)))).toEqual([
      'version',
      'drift',
      'missing',
      'orphans',
      'images',
      'errors',
    ]);
    expect(hasDrift({ ...report, drift: [], missing: [], images: [] })).toBe(true);
  });

  it('each drifted field names the file and line a human edits', () => {
    const report = sample();
    report.drift[0].source = 'charts/web/values.yaml:4';
    expect(renderDrift('text', report)).toMatch(/changed +spec\.replicas {2}\(charts\/web\/values\.yaml:4\)/);
    expect(renderDrift('markdown', report)).toContain('| `charts/web/values.yaml:4` |');
    expect(Object.keys(JSON.parse(renderDrift('json', report)).drift[0]).at(-1)).toBe('source');
  });
});
