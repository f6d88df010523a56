import type { Rule } from './types.js';

/** The `api` checklist category. */
export const rules: Rule[] = [];
