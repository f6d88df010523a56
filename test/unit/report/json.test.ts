import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../src/model/types.js';
import { jsonChunks, jsonReport, renderJson } from '../../../src/report/json.js';
import { sampleResult } from './fixture.js';

describe('json report', () => {
  it('has exactly version, findings, errors and summary', async () => {
    const report = JSON.parse(renderJson(await sampleResult()));
    expect(Object.keys(report)).toEqual(['version', 'findings', 'errors', 'summary']);
    expect(report.version).toBe(1);
  });

  it('gives each finding its rule, category, object, path and location', async () => {
    const report = JSON.parse(renderJson(await sampleResult()));
    expect(report.findings[0]).toEqual({
      ruleId: 'fake-replicas',
      checklist: 'replicas',
      severity: 'error',
      message: 'runs 1 replica',
      remediation: 'Set spec.replicas to 2 or more.',
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' },
      path: 'spec.replicas',
      location: { file: 'deploy/api.yaml', line: 8, column: 3 },
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    for (const f of report.findings) expect(CATEGORIES).toContain(f.checklist);
  });

  it('lists input errors with file and line, and the rest of the file is still checked', async () => {
    const report = JSON.parse(renderJson(await sampleResult()));
    expect(report.errors).toEqual([
      {
        level: 'error',
        message: 'YAML syntax error: unclosed [',
        location: { file: 'deploy/broken.yaml', line: 9, column: 19 },
      },
    ]);
    // The good document before the syntax error was checked.
    expect(report.findings.map((f: { location: { file: string } }) => f.location.file)).toContain(
      'deploy/broken.yaml',
    );
  });

  it('summarises by severity and by every checklist category', async () => {
    const { summary } = JSON.parse(renderJson(await sampleResult()));
    expect(summary).toEqual({
      files: 3,
      objects: 3,
      findings: 2,
      bySeverity: { error: 1, warning: 1, info: 0 },
      byChecklist: Object.fromEntries(
        CATEGORIES.map((c) => [c, c === 'replicas' || c === 'observability' ? 1 : 0]),
      ),
      suppressed: 1,
      baselined: 0,
      errors: 1,
      notes: 0,
    });
    expect(Object.keys(summary.byChecklist)).toEqual([...CATEGORIES]);
  });
});

describe('jsonChunks', () => {
  it('writes exactly what JSON.stringify would, a finding at a time', async () => {
    const result = await sampleResult();
    const chunks = [...jsonChunks(result)];
    expect(chunks.length).toBeGreaterThan(result.findings.length);
    expect(chunks.join('')).toBe(`${JSON.stringify(jsonReport(result), null, 2)}\n`);
  });

  it('writes empty lists as JSON.stringify does', async () => {
    const empty = { ...(await sampleResult()), findings: [], errors: [] };
    expect([...jsonChunks(empty)].join('')).toBe(`${JSON.stringify(jsonReport(empty), null, 2)}\n`);
  });
});
