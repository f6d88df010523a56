import { describe, expect, it } from 'vitest';
import { cell, code, renderMarkdown } from '../../../src/report/markdown.js';
import { sampleResult } from './fixture.js';

describe('markdown report', () => {
  it('has a headline, a table of counts, and a table per checklist category', async () => {
    const md = renderMarkdown(await sampleResult());
    const lines = md.split('\n');
    expect(lines[0]).toBe('## shipshape readiness check');
    expect(md).toContain('**2 findings** (1 error, 1 warning, 0 info) in 3 objects from 3 files.');
    expect(md).toContain('Not shown: 1 suppressed by annotation.');
    expect(md).toContain('| replicas | 1 | 0 | 0 |\n| observability | 0 | 1 | 0 |');
    // Category sections follow the checklist order.
    expect(lines.filter((l) => l.startsWith('### '))).toEqual([
      '### replicas',
      '### observability',
      '### Input errors',
    ]);
    expect(md).toContain(
      '| 🔴 error | `fake-replicas` | Deployment shop/api | `deploy/api.yaml:8` | runs 1 replica<br>`spec.replicas`<br>Fix: Set spec.replicas to 2 or more. |',
    );
  });

  it('escapes what would break a table row', async () => {
    const md = renderMarkdown(await sampleResult());
    const row = md.split('\n').find((l) => l.includes('fake-labels'))!;
    expect(row).toContain('ConfigMap shop/100% \\| &lt;pipes&gt;, commas: and colons');
    // Exactly the six unescaped pipes of a five-column row.
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
  });

  it('lists input errors with file and line', async () => {
    expect(renderMarkdown(await sampleResult())).toContain(
      '- ❌ `deploy/broken.yaml:9:19`: YAML syntax error: unclosed [',
    );
  });

  it('escapes cells and code spans', () => {
    expect(cell('a|b\nc <d>')).toBe('a\\|b<br>c &lt;d&gt;');
    expect(code('x`y')).toBe('`` x`y ``');
    expect(code('a|b')).toBe('`a\\|b`');
  });
});

describe('markdown ordering', () => {
  it('lists errors before warnings within a category', async () => {
    const base = await sampleResult();
    const [error] = base.findings.filter((f) => f.severity === 'error');
    const warning = {
      ...error,
      severity: 'warning' as const,
      ruleId: 'fake-warning',
      location: { ...error.location, line: 1 },
    };
    const md = renderMarkdown({ ...base, findings: [warning, error] });
    expect(md.indexOf('`fake-replicas`')).toBeLessThan(md.indexOf('`fake-warning`'));
  });
});
