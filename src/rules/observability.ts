import type { Rule } from './types.js';

/** The `observability` checklist category. */
export const rules: Rule[] = [];
