import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/index.js';
import { type CheckResult, runCheck } from '../../../src/jobs/check.js';
import type { Finding } from '../../../src/model/types.js';
import { renderText } from '../../../src/report/text.js';
import { FAKE_RULES } from '../suppress/fake-rules.js';
import { makeProject, sampleResult } from './fixture.js';

const ESC = '\u001b';
const ANSI = new RegExp(`${ESC}\\[`);
const ANSI_CODES = new RegExp(`${ESC}\\[\\d+m`, 'g');

describe('text report', () => {
  it('groups findings and input errors by file, in line order, each with object, path and fix', async () => {
    const text = renderText(await sampleResult());
    expect(ANSI.test(text)).toBe(false);
    const lines = text.split('\n');
    const api = lines.indexOf('deploy/api.yaml');
    const broken = lines.indexOf('deploy/broken.yaml');
    expect(api).toBeGreaterThanOrEqual(0);
    expect(broken).toBeGreaterThan(api);
    expect(lines[api + 1]).toBe('  8:3  error    runs 1 replica  fake-replicas (replicas)');
    expect(lines[api + 2].trim()).toBe('Deployment shop/api spec.replicas');
    expect(lines[api + 3].trim()).toBe('fix: Set spec.replicas to 2 or more.');
    // Within a file: the finding on line 3 before the syntax error on line 9.
    expect(lines[broken + 1]).toMatch(/^ {2}3:1 +warning +has no app label/);
    expect(lines[broken + 4]).toBe('  9:19  input error  YAML syntax error: unclosed [');
  });

  it('ends with a headline of counts', async () => {
    const text = renderText(await sampleResult());
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '✖ 2 findings (1 error, 1 warning, 0 info) in 3 objects from 3 files; 1 suppressed, 1 input error',
    );
  });

  it('says so when everything passes', async () => {
    const dir = await makeProject({
      'ok.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: api, labels: { app: api } }\n',
    });
    const result = await runCheck({ paths: ['.'], cwd: dir, config: defaultConfig(dir), rules: FAKE_RULES });
    expect(renderText(result)).toBe('✔ no findings in 1 object from 1 file\n');
  });

  it('colours severities only when asked', async () => {
    const text = renderText(await sampleResult(), { color: true });
    expect(text).toContain('\u001b[31merror  \u001b[0m');
    expect(text).toContain('\u001b[33mwarning\u001b[0m');
    expect(text.replace(ANSI_CODES, '')).toBe(renderText(await sampleResult()));
  });

  it('lists errors that have no file first', async () => {
    const dir = await makeProject({});
    const result = await runCheck({
      paths: ['missing'],
      cwd: dir,
      config: defaultConfig(dir),
      rules: FAKE_RULES,
    });
    expect(renderText(result).split('\n')[0]).toBe('  input error  missing: no such file or folder');
  });

  it('prints a fix once per file, at the first finding it answers', () => {
    const finding = (file: string, line: number, name: string, remediation: string): Finding => ({
      ruleId: 'probes-liveness-missing',
      checklist: 'probes',
      severity: 'warning',
      message: `container "${name}" has no liveness probe`,
      remediation,
      object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      path: `spec.template.spec.containers[name=${name}].livenessProbe`,
      location: { file, line, column: 11 },
      fingerprint: '0123456789abcdef',
    });
    const result: CheckResult = {
      findings: [
        finding('a.yaml', 8, 'one', 'Add a livenessProbe.'),
        finding('a.yaml', 12, 'two', 'Add a livenessProbe.'),
        finding('a.yaml', 16, 'three', 'Add a livenessProbe; also set resources.'),
        finding('b.yaml', 8, 'one', 'Add a livenessProbe.'),
      ],
      errors: [],
      files: ['a.yaml', 'b.yaml'],
      objects: 2,
      rules: [],
      suppressed: [],
      baselined: [],
    };
    const lines = renderText(result).split('\n');
    expect(lines.filter((l) => l.trim().startsWith('fix:')).map((l) => l.trim())).toEqual([
      'fix: Add a livenessProbe.',
      'fix: Add a livenessProbe; also set resources.',
      'fix: Add a livenessProbe.',
    ]);
    const a = lines.indexOf('a.yaml');
    expect(lines.slice(a + 1, a + 6).map((l) => l.trim())).toEqual([
      '8:11   warning  container "one" has no liveness probe  probes-liveness-missing (probes)',
      'Deployment web spec.template.spec.containers[name=one].livenessProbe',
      'fix: Add a livenessProbe.',
      '12:11  warning  container "two" has no liveness probe  probes-liveness-missing (probes)',
      'Deployment web spec.template.spec.containers[name=two].livenessProbe',
    ]);
  });

  it('orders a file by line, an input error before a finding at the same place, whatever order it is given', () => {
    const finding = (line: number, name: string): Finding => ({
      ruleId: 'probes-liveness-missing',
      checklist: 'probes',
      severity: 'warning',
      message: `container "${name}" has no liveness probe`,
      remediation: 'Add a livenessProbe.',
      object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      path: `spec.template.spec.containers[name=${name}].livenessProbe`,
      location: { file: 'a.yaml', line, column: 3 },
      fingerprint: '0123456789abcdef',
    });
    const result: CheckResult = {
      findings: [finding(9, 'late'), finding(4, 'early'), finding(9, 'later')],
      errors: [{ level: 'error', message: 'broken', location: { file: 'a.yaml', line: 9, column: 3 } }],
      files: ['a.yaml'],
      objects: 1,
      rules: [],
      suppressed: [],
      baselined: [],
    };
    const heads = renderText(result)
      .split('\n')
      .filter((l) => /^ {2}\d/.test(l))
      .map((l) => l.trim().replace(/ +/g, ' '));
    expect(heads).toEqual([
      '4:3 warning container "early" has no liveness probe probes-liveness-missing (probes)',
      '9:3 input error broken',
      '9:3 warning container "late" has no liveness probe probes-liveness-missing (probes)',
      '9:3 warning container "later" has no liveness probe probes-liveness-missing (probes)',
    ]);
  });
});
