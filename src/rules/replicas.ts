import type { Rule } from './types.js';

/** The `replicas` checklist category. */
export const rules: Rule[] = [];
