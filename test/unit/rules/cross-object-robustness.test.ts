import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { rules as network } from '../../../src/rules/network.js';
import { rules as observability } from '../../../src/rules/observability.js';
import { rules as rbac } from '../../../src/rules/rbac.js';
import { rules as replicas } from '../../../src/rules/replicas.js';
import { check } from './helpers.js';

/**
 * The cross-object rules read fields of many kinds from other objects: selectors, subjects,
 * roleRefs, scaleTargetRefs, ports. Whatever shape those fields take in a broken manifest, the
 * rules report or stay quiet; they never throw and stop the run.
 */
const ids = [...rbac, ...replicas, ...network, ...observability].map((r) => r.meta.id);

const kinds = fc.constantFrom(
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'CronJob'],
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['monitoring.coreos.com/v1', 'ServiceMonitor'],
  ['monitoring.coreos.com/v1', 'PodMonitor'],
);

/** Odd values where the rules expect maps, lists, strings or numbers. */
const odd = fc.oneof(
  fc.constant(null),
  fc.constant('x'),
  fc.constant(0),
  fc.constant([]),
  fc.constant({}),
  fc.constant([null, 'x', { key: 1 }]),
  fc.constant({ matchLabels: 'x', matchExpressions: [{ operator: 'In' }, 'x'] }),
  fc.constant({ matchExpressions: { key: 'app' } }),
  fc.constant({ any: 'yes', matchNames: 'shop' }),
);

/** A pod template whose inner fields take odd shapes. */
const template = fc.record({
  metadata: fc.record({ labels: fc.oneof(odd, fc.constant({ app: 'web' })), annotations: odd }),
  spec: fc.dictionary(
    fc.constantFrom(
      'serviceAccountName',
      'serviceAccount',
      'automountServiceAccountToken',
      'containers',
      'initContainers',
      'topologySpreadConstraints',
      'affinity',
      'hostNetwork',
    ),
    fc.oneof(odd, fc.constant([{ name: 'app', ports: [{ name: 7 }, 'x', null] }])),
  ),
});

const object = fc.record({
  kind: kinds,
  name: fc.constantFrom('web', 'api'),
  spec: fc.dictionary(
    fc.constantFrom(
      'replicas',
      'selector',
      'podSelector',
      'template',
      'minReplicas',
      'scaleTargetRef',
      'maxUnavailable',
      'minAvailable',
      'policyTypes',
      'ingress',
      'egress',
      'endpoints',
      'podMetricsEndpoints',
      'namespaceSelector',
      'ports',
    ),
    odd,
  ),
  top: fc.dictionary(fc.constantFrom('rules', 'subjects', 'roleRef', 'automountServiceAccountToken'), odd),
  podTemplate: template,
});

describe('cross-object rules on malformed objects', () => {
  it('never throw', () => {
    fc.assert(
      fc.property(fc.array(object, { maxLength: 8 }), (objects) => {
        const yaml = objects
          .map(({ kind: [apiVersion, kind], name, spec, top, podTemplate }) =>
            stringify({
              apiVersion,
              kind,
              metadata: { name },
              spec: { template: podTemplate, ...spec },
              ...top,
            }),
          )
          .join('---\n');
        if (yaml.trim() === '') return;
        expect(() => check(yaml, ids)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });
});
