import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../../src/model/types.js';
import { onePerLine } from '../../../src/rules/engine.js';

const finding = (name: string, severity: Severity, line = 7): Finding => ({
  ruleId: 'network-default-deny-missing',
  checklist: 'network',
  severity,
  message: 'namespace "shop" has no default-deny NetworkPolicy',
  remediation: 'Add one.',
  object: { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'shop' },
  path: 'spec',
  location: { file: 'base/deploy.yaml', line, column: 1 },
  fingerprint: `fp-${name}-${severity}`,
});

describe('onePerLine: one finding per rule, line and message across targets', () => {
  it('keeps the first place and the most severe of the same finding', () => {
    const out = onePerLine([
      finding('a', 'info'),
      finding('b', 'warning', 9),
      finding('c', 'error'),
      finding('d', 'warning'),
    ]);
    expect(out.map((f) => [f.location.line, f.severity, f.object.name])).toEqual([
      [7, 'error', 'c'],
      [9, 'warning', 'b'],
    ]);
  });

  it('keeps the first of equally severe ones', () => {
    expect(onePerLine([finding('a', 'warning'), finding('b', 'warning')]).map((f) => f.object.name)).toEqual([
      'a',
    ]);
  });
});
