import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/types.js';
import { renderText } from '../../../src/report/text.js';
import { makeProject } from '../report/fixture.js';
import { cli } from './io.js';

/**
 * Inputs that once aborted the whole run with one line and no report: each now stays inside its
 * own file, and the good file beside it is still checked and reported.
 */

const GOOD = `apiVersion: v1
kind: Pod
metadata:
  name: good
  namespace: shop
spec:
  containers:
    - name: app
      image: nginx:latest
`;

describe('one bad input never costs the report', () => {
  it('a selector whose value is a mapping with a toString key', async () => {
    const dir = await makeProject({
      'good.yaml': GOOD,
      'svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\nspec:\n  selector: {app: {toString: x}}\n  ports: [{port: 80}]\n',
    });
    for (const format of ['text', 'json', 'sarif', 'markdown', 'github']) {
      const run = await cli(['check', '.', '--format', format], { cwd: dir });
      expect(run.stderr, format).not.toMatch(/shipshape check:/);
      expect([0, 1]).toContain(run.code);
      expect(run.stdout, format).toContain('image-tag-latest');
    }
  });

  it('one file of 10,000 Deployments, in the default text format, beside a good file', async () => {
    const deployments = Array.from(
      { length: 10_000 },
      (_, i) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: nginx}]\n`,
    ).join('---\n');
    const dir = await makeProject({ 'good.yaml': GOOD, 'many.yaml': deployments });
    const run = await cli(['check', '.'], { cwd: dir });
    expect(run.stderr).not.toMatch(/shipshape check:/);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('good.yaml');
    expect(run.stdout).toMatch(/many\.yaml[\s\S]*\b6000\d:/); // findings on the file's last lines
  }, 120_000);

  it('a hundred and fifty thousand findings in one file, in the text report', () => {
    const finding = (i: number): Finding => ({
      ruleId: 'image-tag-latest',
      checklist: 'images',
      severity: 'error',
      message: 'uses latest',
      remediation: 'pin it',
      object: { apiVersion: 'v1', kind: 'Pod', name: `p${i}`, namespace: 'shop' },
      path: 'spec.containers[name=app].image',
      location: { file: 'many.yaml', line: i + 1, column: 7 },
      fingerprint: String(i),
    });
    const findings = Array.from({ length: 150_000 }, (_, i) => finding(i));
    const text = renderText(
      {
        findings,
        errors: [],
        files: ['many.yaml'],
        objects: 150_000,
        rules: [],
        suppressed: [],
        baselined: [],
      },
      { color: false },
    );
    expect(text).toContain('150000:7');
  }, 60_000);
});
