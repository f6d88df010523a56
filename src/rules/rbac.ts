import type { Rule } from './types.js';

/** The `rbac` checklist category. */
export const rules: Rule[] = [];
