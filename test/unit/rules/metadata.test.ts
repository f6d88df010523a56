import { describe, expect, it } from 'vitest';
import { renderRulesMarkdown } from '../../../src/report/rules.js';
import { ALL_RULES } from '../../../src/rules/index.js';
import { check } from './helpers.js';

describe('rule metadata', () => {
  it('says what each rule applies to, and docs/rules.md shows it', () => {
    const missing = ALL_RULES.filter((r) => !r.meta.appliesTo?.trim()).map((r) => r.meta.id);
    expect(missing).toEqual([]);
    const md = renderRulesMarkdown(ALL_RULES.map((r) => r.meta));
    for (const r of ALL_RULES) {
      const section = md.slice(md.indexOf(`### ${r.meta.id}\n`));
      expect(section).toContain(`**Applies to:** ${r.meta.appliesTo?.trim()}`);
    }
  });

  it('the reference rules: the bad example of each fails it, the good one passes', () => {
    const ids = ['lifecycle-config-reference-missing', 'rbac-service-account-missing'];
    for (const id of ids) {
      const { example } = ALL_RULES.find((r) => r.meta.id === id)!.meta;
      expect(check(example.bad, id).length).toBeGreaterThan(0);
      expect(check(example.good, id)).toEqual([]);
    }
  });
});
