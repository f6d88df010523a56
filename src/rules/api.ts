import type { Rule, RuleContext } from './types.js';

/** The `api` checklist category. */

interface ApiChange {
  /** The Kubernetes minor release that stopped serving the version (`1.16`), or deprecated it. */
  release: string;
  /** What to use instead. */
  replacement: string;
}

/** PodSecurityPolicy has no successor API: its replacement is an admission controller. */
const PSA = 'Pod Security Admission (pod-security.kubernetes.io labels on the namespace)';

/**
 * Removed built-in API versions, by `apiVersion` and kind, from the Kubernetes deprecated API
 * migration guide (and the v1.16 / v1.21 release notes for the few kinds the guide leaves out).
 */
const REMOVED: ReadonlyMap<string, ApiChange> = new Map(
  (
    [
      // v1.16
      ['extensions/v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet'], '1.16', 'apps/v1'],
      ['apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet', 'ControllerRevision'], '1.16', 'apps/v1'],
      [
        'apps/v1beta2',
        ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
        '1.16',
        'apps/v1',
      ],
      ['extensions/v1beta1', ['NetworkPolicy'], '1.16', 'networking.k8s.io/v1'],
      ['extensions/v1beta1', ['PodSecurityPolicy'], '1.16', PSA],
      // v1.21
      ['batch/v2alpha1', ['CronJob'], '1.21', 'batch/v1'],
      // v1.22
      ['extensions/v1beta1', ['Ingress'], '1.22', 'networking.k8s.io/v1'],
      ['networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], '1.22', 'networking.k8s.io/v1'],
      [
        'admissionregistration.k8s.io/v1beta1',
        ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
        '1.22',
        'admissionregistration.k8s.io/v1',
      ],
      ['apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], '1.22', 'apiextensions.k8s.io/v1'],
      ['apiregistration.k8s.io/v1beta1', ['APIService'], '1.22', 'apiregistration.k8s.io/v1'],
      ['authentication.k8s.io/v1beta1', ['TokenReview'], '1.22', 'authentication.k8s.io/v1'],
      [
        'authorization.k8s.io/v1beta1',
        ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'],
        '1.22',
        'authorization.k8s.io/v1',
      ],
      ['certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], '1.22', 'certificates.k8s.io/v1'],
      ['coordination.k8s.io/v1beta1', ['Lease'], '1.22', 'coordination.k8s.io/v1'],
      [
        'rbac.authorization.k8s.io/v1beta1',
        ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
        '1.22',
        'rbac.authorization.k8s.io/v1',
      ],
      ['scheduling.k8s.io/v1beta1', ['PriorityClass'], '1.22', 'scheduling.k8s.io/v1'],
      [
        'storage.k8s.io/v1beta1',
        ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
        '1.22',
        'storage.k8s.io/v1',
      ],
      // v1.25
      ['batch/v1beta1', ['CronJob'], '1.25', 'batch/v1'],
      ['discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.25', 'discovery.k8s.io/v1'],
      ['events.k8s.io/v1beta1', ['Event'], '1.25', 'events.k8s.io/v1'],
      ['autoscaling/v2beta1', ['HorizontalPodAutoscaler'], '1.25', 'autoscaling/v2'],
      ['policy/v1beta1', ['PodDisruptionBudget'], '1.25', 'policy/v1'],
      ['policy/v1beta1', ['PodSecurityPolicy'], '1.25', PSA],
      ['node.k8s.io/v1beta1', ['RuntimeClass'], '1.25', 'node.k8s.io/v1'],
      // v1.26
      [
        'flowcontrol.apiserver.k8s.io/v1beta1',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        '1.26',
        'flowcontrol.apiserver.k8s.io/v1',
      ],
      ['autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.26', 'autoscaling/v2'],
      // v1.27
      ['storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.27', 'storage.k8s.io/v1'],
      // v1.29
      [
        'flowcontrol.apiserver.k8s.io/v1beta2',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        '1.29',
        'flowcontrol.apiserver.k8s.io/v1',
      ],
      // v1.32
      [
        'flowcontrol.apiserver.k8s.io/v1beta3',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        '1.32',
        'flowcontrol.apiserver.k8s.io/v1',
      ],
    ] as const
  ).flatMap(([apiVersion, kinds, release, replacement]) =>
    kinds.map((kind) => [`${apiVersion}\0${kind}`, { release, replacement }] as const),
  ),
);

/** Served, but deprecated: still accepted with a warning, on the way out. */
const DEPRECATED: ReadonlyMap<string, ApiChange> = new Map([
  ['v1\0Endpoints', { release: '1.33', replacement: 'discovery.k8s.io/v1 EndpointSlice' }],
  [
    'v1\0ComponentStatus',
    { release: '1.19', replacement: 'the API server health endpoints (/livez, /readyz)' },
  ],
]);

/** The removal of an object's apiVersion, if Kubernetes no longer serves it. Exported for the drift job. */
export function removedApi(apiVersion: string, kind: string): ApiChange | undefined {
  return REMOVED.get(`${apiVersion}\0${kind}`);
}

export function deprecatedApi(apiVersion: string, kind: string): ApiChange | undefined {
  return DEPRECATED.get(`${apiVersion}\0${kind}`);
}

/** Every object whose apiVersion and kind `lookup` has a change for (removed, or deprecated). */
function* changed(ctx: RuleContext, lookup: (apiVersion: string, kind: string) => ApiChange | undefined) {
  for (const manifest of ctx.manifests) {
    const { apiVersion, kind } = manifest.object;
    const change = lookup(apiVersion, kind);
    if (change) yield { manifest, apiVersion, kind, change };
  }
}

/** Is the replacement another apiVersion of the same kind (rather than a different mechanism)? */
function isApiVersion(replacement: string): boolean {
  return /^[a-z0-9.-]*\/?v\d+\w*$/.test(replacement);
}

const removed: Rule = {
  meta: {
    id: 'api-version-removed',
    category: 'api',
    severity: 'error',
    title: 'Objects use API versions that Kubernetes still serves',
    why: 'The API server rejects objects whose apiVersion it no longer serves: the apply fails, often in the middle of a cluster upgrade.',
    fix: 'Move the object to the replacement apiVersion (kubectl convert helps) and adjust the fields that changed.',
    example: {
      bad: `apiVersion: extensions/v1beta1
kind: Ingress`,
      good: `apiVersion: networking.k8s.io/v1
kind: Ingress`,
      line: 1,
    },
    appliesTo: 'Every object, by apiVersion and kind, against the Kubernetes deprecated API migration guide.',
  },
  *check(ctx) {
    for (const { manifest, apiVersion, kind, change } of changed(ctx, removedApi)) {
      const versioned = isApiVersion(change.replacement);
      yield {
        manifest,
        path: ['apiVersion'],
        message: `${kind} "${manifest.ref.name}" uses ${apiVersion}, removed in Kubernetes ${change.release}; use ${change.replacement}`,
        remediation: versioned
          ? `Change apiVersion to ${change.replacement} and update the fields that changed between versions (kubectl convert helps).`
          : `${kind} no longer exists in Kubernetes; delete it and use ${change.replacement} instead.`,
      };
    }
  },
};

const deprecated: Rule = {
  meta: {
    id: 'api-version-deprecated',
    category: 'api',
    severity: 'warning',
    title: 'Objects avoid deprecated API versions',
    why: 'A deprecated API still works but will be removed; manifests that use it break on a future upgrade, and every apply prints a warning.',
    fix: 'Move to the replacement API while both are served.',
    example: {
      bad: `apiVersion: v1
kind: Endpoints`,
      good: `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice`,
      line: 1,
    },
    appliesTo: 'Every object, by apiVersion and kind, against the Kubernetes deprecated API migration guide.',
  },
  *check(ctx) {
    for (const { manifest, apiVersion, kind, change } of changed(ctx, deprecatedApi))
      yield {
        manifest,
        path: ['apiVersion'],
        message: `${kind} "${manifest.ref.name}" uses ${apiVersion} ${kind}, deprecated since Kubernetes ${change.release}; use ${change.replacement}`,
      };
  },
};

export const rules: Rule[] = [removed, deprecated];
