import type { Rule } from './types.js';

/** The `probes` checklist category. */
export const rules: Rule[] = [];
