import type { Rule } from './types.js';

/** The `network` checklist category. */
export const rules: Rule[] = [];
