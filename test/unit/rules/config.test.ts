import { describe, expect, it } from 'vitest';
import { parseConfig, ruleSelectionOf } from '../../../src/config/index.js';

describe('the namespaces: section', () => {
  it('lists the namespaces the checked set owns, and hands them to the rules', () => {
    const { config, errors } = parseConfig('namespaces:\n  owned: [shop, "team-*"]\n', '.shipshape.yaml');
    expect(errors).toEqual([]);
    expect(config.namespaces.owned).toEqual(['shop', 'team-*']);
    expect(ruleSelectionOf(config).settings.ownedNamespaces).toEqual(['shop', 'team-*']);
  });

  it('owns nothing by default', () => {
    const { config } = parseConfig('failOn: error\n', '.shipshape.yaml');
    expect(ruleSelectionOf(config).settings.ownedNamespaces).toEqual([]);
  });

  it('names the key and line of what it cannot use', () => {
    const { config, errors } = parseConfig(
      'namespaces:\n  owned: [shop, 3]\n  own: [x]\n',
      '.shipshape.yaml',
    );
    expect(config.namespaces.owned).toEqual(['shop']);
    expect(errors.map((e) => `${e.location?.line} ${e.message}`).sort()).toEqual([
      '2 config: namespaces.owned[1]: must be a non-empty string, got number 3',
      '3 config: namespaces.own: unknown key (did you mean "owned"?); expected one of owned',
    ]);
  });
});
