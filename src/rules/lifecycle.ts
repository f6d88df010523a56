import type { Rule } from './types.js';

/** The `lifecycle` checklist category. */
export const rules: Rule[] = [];
