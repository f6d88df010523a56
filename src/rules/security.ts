import type { Rule } from './types.js';

/** The `security` checklist category. */
export const rules: Rule[] = [];
