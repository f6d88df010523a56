import type { Rule } from '../../../src/rules/types.js';

/**
 * Two tiny rules with predictable findings, so the tests around the checklist (suppressions,
 * baseline, reports, CLI) do not depend on what the real rules report.
 */
const example = { bad: 'kind: Deployment', good: 'kind: Deployment', line: 1 };

export const needsTwoReplicas: Rule = {
  meta: {
    id: 'fake-replicas',
    category: 'replicas',
    severity: 'error',
    title: 'Deployments run two or more replicas',
    why: 'One replica is one outage away from none.',
    fix: 'Set spec.replicas to 2 or more.',
    example,
  },
  *check(ctx) {
    for (const m of ctx.manifests) {
      if (m.object.kind !== 'Deployment') continue;
      const spec = m.object.spec as { replicas?: number } | undefined;
      if ((spec?.replicas ?? 1) < 2) {
        yield { manifest: m, path: ['spec', 'replicas'], message: `runs ${spec?.replicas ?? 1} replica` };
      }
    }
  },
};

export const labelled: Rule = {
  meta: {
    id: 'fake-labels',
    category: 'observability',
    severity: 'warning',
    title: 'Objects carry an app label',
    why: 'Dashboards group by it.',
    fix: 'Add metadata.labels.app.',
    example,
  },
  *check(ctx) {
    for (const m of ctx.manifests) {
      if (!m.object.metadata.labels?.app) {
        yield { manifest: m, path: ['metadata', 'labels', 'app'], message: 'has no app label' };
      }
    }
  },
};

export const FAKE_RULES: readonly Rule[] = [needsTwoReplicas, labelled];
