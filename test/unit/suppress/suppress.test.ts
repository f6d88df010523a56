import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/load/yaml.js';
import { runRules } from '../../../src/rules/engine.js';
import { applySuppressions, parseSuppression, type SuppressionOptions } from '../../../src/rules/suppress.js';
import { DEFAULT_RULE_SETTINGS } from '../../../src/rules/types.js';
import { dedent, lineOf } from '../rules/helpers.js';
import { FAKE_RULES } from './fake-rules.js';

function run(yaml: string, options: Partial<SuppressionOptions> = {}) {
  const { manifests, errors } = parseManifests(dedent(yaml), 'app.yaml');
  expect(errors).toEqual([]);
  const findings = runRules(manifests, FAKE_RULES, { settings: DEFAULT_RULE_SETTINGS });
  return applySuppressions(manifests, findings, {
    rules: FAKE_RULES.map((r) => r.meta),
    ran: new Set(FAKE_RULES.map((r) => r.meta.id)),
    today: '2026-06-15',
    ...options,
  });
}

const deployment = (annotations: string) => `
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: api
    namespace: shop
    labels: { app: api }
    annotations:
${annotations}
  spec:
    replicas: 1
`;

describe('parseSuppression', () => {
  it('reads a reason and an optional expiry date', () => {
    expect(parseSuppression('legacy batch job')).toEqual({ reason: 'legacy batch job' });
    expect(parseSuppression('mirror pins it; expires=2027-01-31')).toEqual({
      reason: 'mirror pins it',
      expires: '2027-01-31',
    });
    expect(parseSuppression(' expires = 2027-01-31 ; a; b ')).toEqual({
      reason: 'a; b',
      expires: '2027-01-31',
    });
  });

  it('wants a reason and a real date', () => {
    expect(parseSuppression('').problem).toMatch(/no reason/);
    expect(parseSuppression('expires=2027-01-31').problem).toMatch(/no reason/);
    expect(parseSuppression('ok; expires=2027-02-30').problem).toBe(
      'expiry "2027-02-30" is not a date as YYYY-MM-DD',
    );
    expect(parseSuppression('ok; expires=next week').problem).toMatch(/not a date/);
  });
});

describe('applySuppressions', () => {
  it('drops the findings of the suppressed rule on that object only', () => {
    const yaml = `${deployment('      shipshape.io/ignore.fake-replicas: "singleton leader; expires=2026-06-15"')}
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: worker, namespace: shop, labels: { app: worker } }
  spec: { replicas: 1 }
`;
    const { findings, suppressed } = run(yaml);
    expect(suppressed.map((s) => [s.finding.object.name, s.finding.ruleId, s.reason, s.expires])).toEqual([
      ['api', 'fake-replicas', 'singleton leader', '2026-06-15'],
    ]);
    expect(findings.map((f) => `${f.object.name} ${f.ruleId}`)).toEqual(['worker fake-replicas']);
  });

  it('reports a suppression without a reason, at the annotation, and keeps the finding', () => {
    const yaml = deployment('      shipshape.io/ignore.fake-replicas: ""');
    const { findings, suppressed } = run(yaml);
    expect(suppressed).toEqual([]);
    const invalid = findings.find((f) => f.ruleId === 'suppression-invalid')!;
    expect(invalid).toMatchObject({
      severity: 'warning',
      checklist: 'replicas', // the suppressed rule's category
      path: 'metadata.annotations["shipshape.io/ignore.fake-replicas"]',
      location: { file: 'app.yaml', line: lineOf(yaml, 'shipshape.io/ignore'), column: 5 },
    });
    expect(invalid.message).toMatch(/no reason given/);
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['fake-replicas', 'suppression-invalid']);
  });

  it('reports a suppression naming no rule, with a suggestion', () => {
    const { findings } = run(deployment('      shipshape.io/ignore.fake-replica: "typo"'));
    const invalid = findings.find((f) => f.ruleId === 'suppression-invalid')!;
    expect(invalid.message).toBe(
      '`shipshape.io/ignore.fake-replica` names no rule "fake-replica" (did you mean "fake-replicas"?)',
    );
    expect(invalid.checklist).toBe('replicas');
  });

  it('reports an expired suppression and the finding it no longer hides', () => {
    const { findings, suppressed } = run(
      deployment('      shipshape.io/ignore.fake-replicas: "until Q2; expires=2026-06-14"'),
    );
    expect(suppressed).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['suppression-expired', 'warning'],
      ['fake-replicas', 'error'],
    ]);
    expect(findings[0].message).toBe(
      '`shipshape.io/ignore.fake-replicas` expired on 2026-06-14; fake-replicas is reported again',
    );
  });

  it('takes today from the options (the expiry date is the last valid day)', () => {
    const yaml = deployment('      shipshape.io/ignore.fake-replicas: "until Q2; expires=2026-06-14"');
    expect(run(yaml, { today: '2026-06-14' }).suppressed).toHaveLength(1);
    expect(run(yaml, { today: new Date('2026-06-15T08:00:00Z') }).suppressed).toHaveLength(0);
  });

  it('reports an unused suppression', () => {
    const { findings } = run(
      deployment('      shipshape.io/ignore.fake-labels: "labels come from the chart"'),
    );
    const unused = findings.find((f) => f.ruleId === 'suppression-unused')!;
    expect(unused).toMatchObject({ severity: 'info', checklist: 'observability' });
    expect(unused.message).toBe(
      '`shipshape.io/ignore.fake-labels` suppresses nothing: fake-labels passes on this object',
    );
  });

  it('does not call a suppression of a rule that did not run unused', () => {
    const { findings } = run(
      deployment('      shipshape.io/ignore.fake-labels: "labels come from the chart"'),
      {
        ran: new Set(['fake-replicas']),
      },
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['fake-replicas']);
  });

  it('honours config for the suppression rules themselves', () => {
    const yaml = deployment('      shipshape.io/ignore.fake-labels: "labels come from the chart"');
    expect(run(yaml, { disabled: new Set(['suppression-unused']) }).findings.map((f) => f.ruleId)).toEqual([
      'fake-replicas',
    ]);
    const raised = run(yaml, { severity: new Map([['suppression-unused', 'error']]) });
    expect(raised.findings.find((f) => f.ruleId === 'suppression-unused')?.severity).toBe('error');
  });

  it('ignores annotations that are not suppressions', () => {
    const { findings } = run(
      deployment('      shipshape.io/critical: "true"\n      example.com/ignore.fake-replicas: x'),
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['fake-replicas']);
  });
});
