import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/types.js';
import { applyBaseline, formatBaseline, parseBaseline } from '../../../src/rules/baseline.js';
import { fingerprint } from '../../../src/rules/engine.js';

function finding(name: string, ruleId: string, path: string, line = 1): Finding {
  const object = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name };
  return {
    ruleId,
    checklist: 'replicas',
    severity: 'error',
    message: 'm',
    remediation: 'r',
    object,
    path,
    location: { file: 'a.yaml', line, column: 3 },
    fingerprint: fingerprint(ruleId, `Deployment/shop/${name}`, path),
  };
}

const a = finding('api', 'fake-replicas', 'spec.replicas');
const b = finding('worker', 'fake-replicas', 'spec.replicas');
const c = finding('api', 'fake-labels', 'metadata.labels.app');

describe('formatBaseline', () => {
  it('is sorted, deduplicated and independent of the findings order and lines', () => {
    const text = formatBaseline([b, c, a, { ...a, location: { file: 'a.yaml', line: 99, column: 1 } }]);
    expect(formatBaseline([a, b, c])).toBe(text);
    const parsed = JSON.parse(text);
    expect(parsed.version).toBe(1);
    expect(parsed.findings).toEqual([
      {
        fingerprint: c.fingerprint,
        ruleId: 'fake-labels',
        object: 'Deployment/shop/api',
        path: 'metadata.labels.app',
      },
      {
        fingerprint: a.fingerprint,
        ruleId: 'fake-replicas',
        object: 'Deployment/shop/api',
        path: 'spec.replicas',
      },
      {
        fingerprint: b.fingerprint,
        ruleId: 'fake-replicas',
        object: 'Deployment/shop/worker',
        path: 'spec.replicas',
      },
    ]);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('round-trips through parseBaseline', () => {
    const { fingerprints, errors } = parseBaseline(formatBaseline([a, b]), 'baseline.json');
    expect(errors).toEqual([]);
    expect([...fingerprints].sort()).toEqual([a.fingerprint, b.fingerprint].sort());
  });
});

describe('applyBaseline', () => {
  it('reports only findings whose fingerprint is not in the baseline, even when they moved', () => {
    const { fingerprints } = parseBaseline(formatBaseline([a]), 'baseline.json');
    const moved = { ...a, location: { file: 'a.yaml', line: 40, column: 3 } };
    const out = applyBaseline([moved, b, c], fingerprints);
    expect(out.findings).toEqual([b, c]);
    expect(out.baselined).toEqual([moved]);
  });
});

describe('parseBaseline', () => {
  it('reports invalid JSON with its line', () => {
    const { fingerprints, errors } = parseBaseline('{\n  "version": 1,\n  "findings": [,]\n}\n', 'b.json');
    expect(fingerprints.size).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^baseline: not valid JSON: /);
    expect(errors[0].location).toEqual({ file: 'b.json', line: 3, column: expect.any(Number) });
  });

  it('rejects other shapes and versions', () => {
    expect(parseBaseline('[]', 'b.json').errors[0].message).toMatch(/expected \{"version": 1/);
    expect(parseBaseline('{"version": 2, "findings": []}', 'b.json').errors[0].message).toBe(
      'baseline: unsupported version 2; this shipshape reads version 1',
    );
  });

  it('skips entries without a fingerprint, naming them, and keeps the others', () => {
    const text =
      '{\n  "version": 1,\n  "findings": [\n    { "ruleId": "x" },\n    { "fingerprint": "abc" }\n  ]\n}\n';
    const { fingerprints, errors } = parseBaseline(text, 'b.json');
    expect([...fingerprints]).toEqual(['abc']);
    expect(errors).toEqual([
      {
        level: 'error',
        message: 'baseline: findings[0] has no fingerprint; ignored',
        location: { file: 'b.json', line: 4, column: 1 },
      },
    ]);
  });
});
