import { rules as api } from './api.js';
import { rules as images } from './images.js';
import { rules as lifecycle } from './lifecycle.js';
import { rules as network } from './network.js';
import { rules as observability } from './observability.js';
import { rules as probes } from './probes.js';
import { rules as rbac } from './rbac.js';
import { rules as replicas } from './replicas.js';
import { rules as resources } from './resources.js';
import { rules as security } from './security.js';
import { rules as storage } from './storage.js';
import type { Rule } from './types.js';

/** The whole checklist, in the order of the design notes' categories. */
export const ALL_RULES: readonly Rule[] = [
  ...resources,
  ...probes,
  ...rbac,
  ...replicas,
  ...observability,
  ...security,
  ...network,
  ...images,
  ...storage,
  ...lifecycle,
  ...api,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
