import type { Rule } from './types.js';

/** The `resources` checklist category. */
export const rules: Rule[] = [];
