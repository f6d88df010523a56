import { parseManifests } from '../../../src/load/yaml.js';
import type { Finding } from '../../../src/model/types.js';
import { runRules } from '../../../src/rules/engine.js';
import { ALL_RULES } from '../../../src/rules/index.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../../src/rules/types.js';

/**
 * Check YAML text (one or more documents) with the whole checklist, or only the given rules.
 * Findings carry real locations in `test.yaml`, so tests can assert the exact line.
 */
export function check(
  yaml: string,
  only?: string | string[],
  settings: Partial<RuleSettings> = {},
): Finding[] {
  const { manifests, errors } = parseManifests(dedent(yaml), 'test.yaml');
  if (errors.some((e) => e.level === 'error')) throw new Error(`bad test YAML: ${JSON.stringify(errors)}`);
  const ids = only === undefined ? undefined : new Set(Array.isArray(only) ? only : [only]);
  for (const id of ids ?? []) {
    if (!ALL_RULES.some((r) => r.meta.id === id)) throw new Error(`no rule ${id}`);
  }
  const rules = ids ? ALL_RULES.filter((r) => ids.has(r.meta.id)) : ALL_RULES;
  return runRules(manifests, rules, { settings: { ...DEFAULT_RULE_SETTINGS, ...settings } });
}

/** Strip the common indentation of a template literal so YAML can be written inline in tests. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** The 1-based line of the first line containing `needle` in the dedented YAML. */
export function lineOf(yaml: string, needle: string, occurrence = 1): number {
  const lines = dedent(yaml).split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`"${needle}" not found`);
}
