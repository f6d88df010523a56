import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRules, renderRulesMarkdown } from '../../../src/report/rules.js';
import { ALL_RULES } from '../../../src/rules/index.js';
import { SUPPRESSION_RULES } from '../../../src/rules/suppress.js';
import { needsTwoReplicas } from '../suppress/fake-rules.js';

const metas = ALL_RULES.map((r) => r.meta);

describe('docs/rules.md', () => {
  it('is up to date with the rules (run `npm run docs` when this fails)', async () => {
    const onDisk = await readFile(path.resolve(import.meta.dirname, '../../../docs/rules.md'), 'utf8');
    expect(onDisk).toBe(renderRulesMarkdown(metas));
  });

  it('has a section per rule with why, how to fix and both examples', () => {
    const md = renderRulesMarkdown([needsTwoReplicas.meta]);
    const section = md.slice(md.indexOf('### fake-replicas'));
    expect(md).toContain(
      '| [`fake-replicas`](#fake-replicas) | replicas | error | Deployments run two or more replicas |',
    );
    expect(md).toContain('## replicas');
    expect(section).toContain('**Why:** One replica is one outage away from none.');
    expect(section).toContain('**How to fix:** Set spec.replicas to 2 or more.');
    expect(section).toMatch(
      /Fails \(line 1\):\n\n```yaml\nkind: Deployment\n```\n\nPasses:\n\n```yaml\nkind: Deployment\n```/,
    );
    for (const s of SUPPRESSION_RULES) expect(md).toContain(`### ${s.id}`);
  });
});

describe('rule metadata', () => {
  it('ids are unique, kebab-case, and every rule documents why, fix and examples', () => {
    const ids = [...metas.map((m) => m.id), ...SUPPRESSION_RULES.map((m) => m.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of [...metas, ...SUPPRESSION_RULES]) {
      expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const text of [m.title, m.why, m.fix, m.example.bad, m.example.good])
        expect(text.trim()).not.toBe('');
    }
  });

  it('text listing groups rules by category', () => {
    const text = renderRules('text', [needsTwoReplicas.meta]);
    expect(text.split('\n').slice(0, 2)).toEqual([
      'replicas',
      `  fake-replicas${' '.repeat('suppression-expired'.length - 'fake-replicas'.length)}  error    Deployments run two or more replicas`,
    ]);
  });
});
