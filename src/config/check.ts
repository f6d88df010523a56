import { type ConfigSection, describe, expectOneOf, expectStringList, insideRepository } from './validate.js';

/**
 * What a check reads and when it fails:
 *
 *   exclude: ["**\/generated/**"]   # paths (globs) not checked
 *   baseline: .shipshape-baseline.json
 *   failOn: warning                 # error | warning | info | never
 */

export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const excludeSection: ConfigSection<string[]> = {
  defaults: () => [],
  read: (value, r, p) => expectStringList(value, r, p) ?? [],
};

export const baselineSection: ConfigSection<string | undefined> = {
  defaults: () => undefined,
  read(value, r, p) {
    if (typeof value === 'string' && value !== '') return insideRepository(value, r, p) ? value : undefined;
    r.error(p, `must be a file name, got ${describe(value)}`);
    return undefined;
  },
};

export const failOnSection: ConfigSection<FailOn | undefined> = {
  defaults: () => undefined,
  read: (value, r, p) => expectOneOf(value, FAIL_ON, r, p),
};
