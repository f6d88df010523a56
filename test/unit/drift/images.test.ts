import { describe, expect, it } from 'vitest';
import { scanImages } from '../../../src/drift/images.js';
import type { KubeObject } from '../../../src/model/types.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const PATTERNS = ['debug', 'dont[-_]?push'];

function deployment(image: string, managedFields: unknown[] = []): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace: 'shop', managedFields },
    spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
  };
}

function pod(name: string, image: string, imageID: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'checkout-1', controller: true }],
    },
    spec: { containers: [{ name: 'app', image }] },
    status: {
      containerStatuses: [{ name: 'app', image, imageID: `docker-pullable://company/checkout@${imageID}` }],
    },
    ...extra,
  };
}

describe('scanImages', () => {
  it('reports a debug tag set by kubectl set image, with who and when', () => {
    const live = deployment('company/checkout:v1.2.3-debug-DONT-PUSH', [
      {
        manager: 'kubectl-set',
        operation: 'Update',
        time: '2026-11-21T03:07:12Z',
        fieldsV1: {
          'f:spec': {
            'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } } } },
          },
        },
      },
    ]);
    const issues = scanImages({ live: [live], desired: [], debugTagPatterns: PATTERNS });
    expect(issues.map((i) => i.kind)).toEqual(['debug-tag', 'not-pinned']);
    expect(issues[0]).toMatchObject({
      container: 'app',
      manager: 'kubectl-set',
      time: '2026-11-21T03:07:12Z',
    });
  });

  it('reports latest and missing tags but not for digest-pinned images', () => {
    const kinds = (image: string) =>
      scanImages({ live: [deployment(image)], desired: [], debugTagPatterns: PATTERNS }).map((i) => i.kind);
    expect(kinds('nginx:latest')).toEqual(['latest-tag']);
    expect(kinds('nginx')).toEqual(['missing-tag']);
    expect(kinds(`nginx:1.27@${A}`)).toEqual([]);
  });

  it('reports a pod running a digest other than the one Git pins, and leaves controller-made pods to their owner', () => {
    const desired = deployment(`company/checkout:v1.2.2@${A}`);
    const issues = scanImages({
      live: [pod('p1', `company/checkout:v1.2.2@${A}`, A), pod('p2', `company/checkout:v1.2.2@${A}`, B)],
      desired: [desired],
      debugTagPatterns: PATTERNS,
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      kind: 'foreign-digest',
      object: { kind: 'Pod', name: 'p2' },
      desiredDigest: A,
      liveDigests: [B],
    });
  });

  it('reports one tag running as several digests', () => {
    const issues = scanImages({
      live: [
        pod('p1', 'company/checkout:v1', A),
        pod('p2', 'company/checkout:v1', B),
        pod('p3', 'company/checkout:v1', A),
      ],
      desired: [],
      debugTagPatterns: PATTERNS,
    });
    expect(issues).toEqual([
      expect.objectContaining({
        kind: 'tag-digest-split',
        image: 'company/checkout:v1',
        liveDigests: [A, B],
      }),
    ]);
  });

  it('reports one tag running as several digests even when one pod pins the digest', () => {
    const issues = scanImages({
      live: [pod('p1', `company/checkout:v1@${A}`, A), pod('p2', 'company/checkout:v1', B)],
      desired: [],
      debugTagPatterns: PATTERNS,
    });
    expect(issues).toEqual([
      expect.objectContaining({
        kind: 'tag-digest-split',
        image: 'company/checkout:v1',
        liveDigests: [A, B],
        object: expect.objectContaining({ name: 'p1' }),
      }),
    ]);
  });

  it('reports ephemeral debug containers', () => {
    const p = pod('p1', `company/checkout:v1@${A}`, A);
    (p.spec as Record<string, unknown>).ephemeralContainers = [{ name: 'debugger-x', image: 'busybox:1.36' }];
    const issues = scanImages({ live: [p], desired: [], debugTagPatterns: PATTERNS });
    expect(issues).toEqual([
      expect.objectContaining({
        kind: 'ephemeral-container',
        container: 'debugger-x',
        image: 'busybox:1.36',
      }),
    ]);
  });
});
