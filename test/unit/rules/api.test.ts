import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { rules as api, removedApi } from '../../../src/rules/api.js';
import { rules as images } from '../../../src/rules/images.js';
import { rules as lifecycle } from '../../../src/rules/lifecycle.js';
import { rules as probes } from '../../../src/rules/probes.js';
import { rules as resources } from '../../../src/rules/resources.js';
import { rules as security } from '../../../src/rules/security.js';
import { rules as storage } from '../../../src/rules/storage.js';
import { check, lineOf } from './helpers.js';

const object = (apiVersion: string, kind: string, name = 'x') => `
  kind: ${kind}
  apiVersion: ${apiVersion}
  metadata:
    name: ${name}
`;

describe('api-version-removed', () => {
  it('reports a removed version on the apiVersion line, with the release and the replacement', () => {
    const yaml = object('extensions/v1beta1', 'Ingress', 'shop');
    const findings = check(yaml, 'api-version-removed');
    expect(findings.map((f) => [f.message, f.location.line, f.severity, f.path])).toEqual([
      [
        'Ingress "shop" uses extensions/v1beta1, removed in Kubernetes 1.22; use networking.k8s.io/v1',
        lineOf(yaml, 'apiVersion'),
        'error',
        'apiVersion',
      ],
    ]);
    expect(findings[0].remediation).toMatch(/Change apiVersion to networking.k8s.io\/v1/);
  });

  it.each([
    ['apps/v1beta2', 'Deployment', '1.16', 'apps/v1'],
    ['apps/v1beta1', 'StatefulSet', '1.16', 'apps/v1'],
    ['extensions/v1beta1', 'NetworkPolicy', '1.16', 'networking.k8s.io/v1'],
    ['policy/v1beta1', 'PodDisruptionBudget', '1.25', 'policy/v1'],
    ['batch/v1beta1', 'CronJob', '1.25', 'batch/v1'],
    ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.25', 'autoscaling/v2'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', 'autoscaling/v2'],
    ['networking.k8s.io/v1beta1', 'Ingress', '1.22', 'networking.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding', '1.22', 'rbac.authorization.k8s.io/v1'],
    ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', '1.26', 'flowcontrol.apiserver.k8s.io/v1'],
    [
      'flowcontrol.apiserver.k8s.io/v1beta2',
      'PriorityLevelConfiguration',
      '1.29',
      'flowcontrol.apiserver.k8s.io/v1',
    ],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32', 'flowcontrol.apiserver.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27', 'storage.k8s.io/v1'],
  ])('%s %s was removed in %s for %s', (apiVersion, kind, release, replacement) => {
    expect(removedApi(apiVersion, kind)).toEqual({ release, replacement });
  });

  it('tells PodSecurityPolicy users there is no successor API', () => {
    const [f] = check(object('policy/v1beta1', 'PodSecurityPolicy', 'restricted'), 'api-version-removed');
    expect(f.message).toBe(
      'PodSecurityPolicy "restricted" uses policy/v1beta1, removed in Kubernetes 1.25; use Pod Security Admission (pod-security.kubernetes.io labels on the namespace)',
    );
    expect(f.remediation).toMatch(/no longer exists/);
  });

  it('passes current versions, kinds a version still serves, and custom resources', () => {
    const yaml = [
      object('apps/v1', 'Deployment'),
      object('storage.k8s.io/v1beta1', 'VolumeAttributesClass'),
      object('extensions/v1beta1', 'Widget'),
      object('acme.io/v1beta1', 'Ingress'),
    ].join('\n---\n');
    expect(check(yaml, ['api-version-removed', 'api-version-deprecated'])).toEqual([]);
  });
});

describe('api-version-deprecated', () => {
  it('warns about v1 Endpoints', () => {
    const yaml = object('v1', 'Endpoints', 'legacy');
    const findings = check(yaml, 'api-version-deprecated');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [
        'Endpoints "legacy" uses v1 Endpoints, deprecated since Kubernetes 1.33; use discovery.k8s.io/v1 EndpointSlice',
        lineOf(yaml, 'apiVersion'),
        'warning',
      ],
    ]);
  });
});

// docs/rules.md shows these examples as YAML: they must read as YAML, not as prose with dots.
describe('examples of the per-workload rules', () => {
  const all = [...resources, ...probes, ...security, ...lifecycle, ...storage, ...images, ...api];
  it.each(all.map((r) => [r.meta.id, r.meta.example] as const))(
    '%s has valid YAML examples',
    (_id, example) => {
      for (const text of [example.bad, example.good]) {
        const docs = parseAllDocuments(text);
        expect(Array.isArray(docs) ? docs.flatMap((d) => d.errors) : ['not parsed']).toEqual([]);
        expect(text.trim().length).toBeGreaterThan(0);
      }
    },
  );
});
