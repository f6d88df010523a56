import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/load/yaml.js';
import { renderRulesMarkdown } from '../../../src/report/rules.js';
import { runRules } from '../../../src/rules/engine.js';
import { ALL_RULES } from '../../../src/rules/index.js';
import { applySuppressions, SUPPRESSION_RULES } from '../../../src/rules/suppress.js';
import { DEFAULT_RULE_SETTINGS } from '../../../src/rules/types.js';

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
});

/**
 * Every rule's examples, as docs/rules.md, `shipshape rules` and SARIF show them, run through the
 * rule: the bad one raises it on the line its metadata states, the good one does not raise it.
 */
describe('rule examples', () => {
  const findingsOf = (text: string, id: string) => {
    const { manifests, errors } = parseManifests(text, 'example.yaml');
    expect(errors).toEqual([]);
    return runRules(
      manifests,
      ALL_RULES.filter((r) => r.meta.id === id),
      {
        settings: DEFAULT_RULE_SETTINGS,
      },
    ).filter((f) => f.ruleId === id);
  };

  it.each(ALL_RULES.map((r) => [r.meta.id, r.meta.example] as const))(
    '%s: the bad example fails on its stated line, the good one passes',
    (id, example) => {
      const bad = findingsOf(example.bad, id);
      expect(bad.length).toBeGreaterThan(0);
      expect(bad.map((f) => f.location.line)).toContain(example.line);
      expect(example.bad.split('\n')[example.line - 1]?.trim()).toBeTruthy();
      expect(findingsOf(example.good, id).map((f) => `${f.location.line}: ${f.message}`)).toEqual([]);
    },
  );

  it.each(SUPPRESSION_RULES.map((r) => [r.id, r.example] as const))(
    '%s: the bad example fails on its stated line, the good one passes',
    (id, example) => {
      const run = (text: string) => {
        const { manifests, errors } = parseManifests(text, 'example.yaml');
        expect(errors).toEqual([]);
        const findings = runRules(manifests, ALL_RULES, { settings: DEFAULT_RULE_SETTINGS });
        return applySuppressions(manifests, findings, {
          rules: ALL_RULES.map((r) => r.meta),
          ran: new Set(ALL_RULES.map((r) => r.meta.id)),
          today: '2026-12-01',
        }).findings.filter((f) => f.ruleId === id);
      };
      expect(run(example.bad).map((f) => f.location.line)).toEqual([example.line]);
      expect(run(example.good)).toEqual([]);
    },
  );
});
