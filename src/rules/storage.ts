import type { Rule } from './types.js';

/** The `storage` checklist category. */
export const rules: Rule[] = [];
