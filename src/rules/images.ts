import type { Rule } from './types.js';

/** The `images` checklist category. */
export const rules: Rule[] = [];
