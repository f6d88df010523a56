import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { fileUri, sarifReport } from '../../../src/report/sarif.js';
import { sampleResult } from './fixture.js';

/** The official SARIF 2.1.0 schema; test/fixtures/sarif/README.md says where it comes from. */
const schema = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'),
);

let compiled: ReturnType<Ajv2020['compile']> | undefined;
function validator() {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

describe('sarif report', () => {
  it('validates against the official SARIF 2.1.0 schema', async () => {
    const log = sarifReport(await sampleResult(), { version: '0.1.0' });
    const validate = validator();
    const valid = validate(JSON.parse(JSON.stringify(log)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check is not vacuous: a broken log fails it', async () => {
    const log = JSON.parse(JSON.stringify(sarifReport(await sampleResult(), { version: '0.1.0' })));
    log.runs[0].results[0].level = 'fatal';
    delete log.runs[0].tool.driver.name;
    expect(validator()(log)).toBe(false);
  });

  it('describes the rules that ran, with their category and help', async () => {
    const run = sarifReport(await sampleResult(), { version: '0.1.0' }).runs[0];
    const rule = run.tool.driver.rules?.find((r) => r.id === 'fake-replicas');
    expect(rule).toMatchObject({
      shortDescription: { text: 'Deployments run two or more replicas' },
      fullDescription: { text: 'One replica is one outage away from none.' },
      help: { text: expect.stringContaining('Set spec.replicas to 2 or more.') },
      defaultConfiguration: { level: 'error' },
      properties: { category: 'replicas' },
    });
    expect(run.tool.driver.rules?.map((r) => r.id)).toContain('suppression-expired');
  });

  it('gives every result a real region, rule index and fingerprint', async () => {
    const run = sarifReport(await sampleResult(), { version: '0.1.0' }).runs[0];
    const results = run.results as Sarif.Result[];
    const first = results[0];
    expect(first.ruleId).toBe('fake-replicas');
    expect(run.tool.driver.rules?.[first.ruleIndex!].id).toBe('fake-replicas');
    expect(first.level).toBe('error');
    expect(first.locations?.[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/api.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 8, startColumn: 3 },
    });
    expect(first.partialFingerprints?.['shipshape/v1']).toMatch(/^[0-9a-f]{16}$/);
    expect(first.properties).toMatchObject({ checklist: 'replicas', path: 'spec.replicas' });
  });

  it('records suppressed findings as inSource suppressions with their justification', async () => {
    const results = sarifReport(await sampleResult(), { version: '0.1.0' }).runs[0].results ?? [];
    const suppressed = results.filter((r) => r.suppressions?.length);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions).toEqual([
      { kind: 'inSource', justification: 'labels come from the chart (until 2030-01-01)' },
    ]);
  });

  it('reports input errors as tool notifications with their location', async () => {
    const invocation = sarifReport(await sampleResult(), { version: '0.1.0' }).runs[0].invocations?.[0];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'YAML syntax error: unclosed [' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'deploy/broken.yaml', uriBaseId: '%SRCROOT%' },
              region: { startLine: 9, startColumn: 19 },
            },
          },
        ],
      },
    ]);
  });

  it('turns file names into URI references', () => {
    expect(fileUri('k8s/my app/déploiement.yaml')).toBe('k8s/my%20app/d%C3%A9ploiement.yaml');
    expect(fileUri('/abs/a b.yaml')).toBe('file:///abs/a%20b.yaml');
    expect(fileUri('<stdin>')).toBe('%3Cstdin%3E');
  });
});

describe('sarif result limit', () => {
  it('keeps the most severe results within the limit and says how many were left out', async () => {
    const result = await sampleResult();
    const log = sarifReport(result, { version: '0.1.0', maxResults: 1 });
    const run = log.runs[0];
    expect(run.results?.map((r) => [r.ruleId, r.level])).toEqual([['fake-replicas', 'error']]);
    expect(run.invocations?.[0].toolExecutionNotifications?.at(-1)).toEqual({
      level: 'warning',
      message: {
        text: '3 results; only the 1 most severe are included, as code scanning accepts no more per run. Use the json format for all of them.',
      },
    });
    expect(validator()(JSON.parse(JSON.stringify(log)))).toBe(true);
  });

  it('drops suppressed results before reported ones', async () => {
    const run = sarifReport(await sampleResult(), { version: '0.1.0', maxResults: 2 }).runs[0];
    expect(run.results?.some((r) => r.suppressions)).toBe(false);
    expect(run.results).toHaveLength(2);
  });
});
