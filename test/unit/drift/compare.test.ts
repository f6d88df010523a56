import { describe, expect, it } from 'vitest';
import { compareObject } from '../../../src/drift/compare.js';
import { DEFAULT_DRIFT_POLICY } from '../../../src/drift/policy.js';
import type { KubeObject } from '../../../src/model/types.js';

const T0 = '2026-11-20T10:00:00Z';
const T1 = '2026-11-21T03:07:12Z';

function desiredDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace: 'shop', labels: { app: 'checkout' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'checkout' } },
      template: {
        metadata: { labels: { app: 'checkout' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'company/checkout:v1.2.2',
              ports: [{ containerPort: 8080 }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'DB_PASSWORD', value: 'hunter2' },
              ],
              resources: { requests: { cpu: 0.5, memory: '1Gi' }, limits: { memory: '1Gi' } },
            },
            { name: 'proxy', image: 'envoy:1.30', resources: {} },
          ],
        },
      },
    },
  };
}

const helmFields = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:env': {
              '.': {},
              'k:{"name":"MODE"}': { '.': {}, 'f:name': {}, 'f:value': {} },
              'k:{"name":"DB_PASSWORD"}': { '.': {}, 'f:name': {}, 'f:value': {} },
            },
            'f:resources': { 'f:requests': { 'f:cpu': {}, 'f:memory': {} }, 'f:limits': { 'f:memory': {} } },
          },
          'k:{"name":"proxy"}': { '.': {}, 'f:image': {}, 'f:name': {} },
        },
      },
    },
  },
};

/** The live object as the API server returns an untouched helm install: defaults, order changes. */
function liveUntouched(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      uid: 'u1',
      generation: 1,
      labels: { app: 'checkout', 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: { 'deployment.kubernetes.io/revision': '1', 'meta.helm.sh/release-name': 'shop' },
      managedFields: [
        {
          manager: 'helm',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: T0,
          fieldsType: 'FieldsV1',
          fieldsV1: helmFields,
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: T0,
          fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } } },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          subresource: 'status',
          apiVersion: 'apps/v1',
          time: T0,
          fieldsV1: { 'f:status': { 'f:replicas': {} } },
        },
      ],
    },
    spec: {
      replicas: 3,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      selector: { matchLabels: { app: 'checkout' } },
      template: {
        metadata: { labels: { app: 'checkout' } },
        spec: {
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
          containers: [
            { name: 'proxy', image: 'envoy:1.30', imagePullPolicy: 'IfNotPresent', resources: {} },
            {
              name: 'app',
              image: 'company/checkout:v1.2.2',
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'DB_PASSWORD', value: 'hunter2' },
              ],
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1024Mi' } },
            },
          ],
        },
      },
    },
    status: { replicas: 3 },
  };
}

type Trie = { [key: string]: Trie };
interface AppContainer {
  env: { name: string; value: string }[];
  resources: { limits: Record<string, string> };
}

function containerApp(live: KubeObject): AppContainer {
  return (live.spec as { template: { spec: { containers: AppContainer[] } } }).template.spec.containers[1];
}

function fieldsOf(live: KubeObject, index: number): Trie {
  return (live.metadata.managedFields as { fieldsV1: Trie }[])[index].fieldsV1;
}

function setReplicas(live: KubeObject, n: number) {
  (live.spec as { replicas: number }).replicas = n;
}

function addEntry(live: KubeObject, entry: Record<string, unknown>) {
  (live.metadata.managedFields as unknown[]).push({
    apiVersion: 'apps/v1',
    fieldsType: 'FieldsV1',
    ...entry,
  });
}

describe('compareObject', () => {
  it('finds nothing on an untouched object (defaults, quantities, order, controller annotations)', () => {
    expect(compareObject(desiredDeployment(), liveUntouched(), DEFAULT_DRIFT_POLICY)).toEqual([]);
  });

  it('attributes a kubectl edit that added an env var and changed a limit', () => {
    const live = liveUntouched();
    containerApp(live).env.push({ name: 'DEBUG', value: 'true' });
    containerApp(live).resources.limits.memory = '2Gi';
    // kubectl edit takes ownership of what it changed; helm loses the limit.
    delete fieldsOf(live, 0)['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}'][
      'f:resources'
    ]['f:limits'];
    addEntry(live, {
      manager: 'kubectl-edit',
      operation: 'Update',
      time: T1,
      fieldsV1: {
        'f:spec': {
          'f:template': {
            'f:spec': {
              'f:containers': {
                'k:{"name":"app"}': {
                  'f:env': { 'k:{"name":"DEBUG"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                  'f:resources': { 'f:limits': { 'f:memory': {} } },
                },
              },
            },
          },
        },
      },
    });
    const drift = compareObject(desiredDeployment(), live, DEFAULT_DRIFT_POLICY);
    expect(drift).toEqual([
      {
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        type: 'changed',
        path: 'spec.template.spec.containers[name=app].resources.limits.memory',
        desired: '1Gi',
        live: '2Gi',
        manager: 'kubectl-edit',
        operation: 'Update',
        subresource: null,
        time: T1,
      },
      {
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        type: 'added',
        path: 'spec.template.spec.containers[name=app].env[name=DEBUG]',
        desired: null,
        live: { name: 'DEBUG', value: 'true' },
        manager: 'kubectl-edit',
        operation: 'Update',
        subresource: null,
        time: T1,
      },
    ]);
  });

  it('attributes kubectl scale through the scale subresource', () => {
    const live = liveUntouched();
    setReplicas(live, 1);
    delete fieldsOf(live, 0)['f:spec']['f:replicas'];
    addEntry(live, {
      manager: 'kubectl',
      operation: 'Update',
      subresource: 'scale',
      time: T1,
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    const [item] = compareObject(desiredDeployment(), live, DEFAULT_DRIFT_POLICY);
    expect(item).toMatchObject({
      type: 'changed',
      path: 'spec.replicas',
      desired: 3,
      live: 1,
      manager: 'kubectl',
      subresource: 'scale',
    });
  });

  it('does not count replicas an HPA (kube-controller-manager) owns', () => {
    const live = liveUntouched();
    setReplicas(live, 7);
    delete fieldsOf(live, 0)['f:spec']['f:replicas'];
    addEntry(live, {
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'scale',
      time: T1,
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    expect(compareObject(desiredDeployment(), live, DEFAULT_DRIFT_POLICY)).toEqual([]);
  });

  it('reports a label added by kubectl label, but not labels the deployer added', () => {
    const live = liveUntouched();
    live.metadata.labels!.oncall = 'night';
    addEntry(live, {
      manager: 'kubectl-label',
      operation: 'Update',
      time: T1,
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:oncall': {} } } },
    });
    const drift = compareObject(desiredDeployment(), live, DEFAULT_DRIFT_POLICY);
    expect(drift.map((d) => [d.type, d.path, d.live, d.manager])).toEqual([
      ['added', 'metadata.labels.oncall', 'night', 'kubectl-label'],
    ]);
  });

  it('reports labels added to an object that had none key by key', () => {
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }] },
    };
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'web',
        namespace: 'shop',
        labels: { oncall: 'night', tier: 'front' },
        managedFields: [
          {
            manager: 'kubectl-label',
            operation: 'Update',
            time: T1,
            fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:oncall': {}, 'f:tier': {} } } },
          },
        ],
      },
      spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], clusterIP: '10.96.0.9' },
    };
    expect(
      compareObject(desired, live, DEFAULT_DRIFT_POLICY).map((d) => `${d.type} ${d.path} ${d.live}`),
    ).toEqual(['added metadata.labels.oncall night', 'added metadata.labels.tier front']);
  });

  it('reports a removed field and leads to the newest non-deployer writer', () => {
    const live = liveUntouched();
    containerApp(live).env = [{ name: 'DB_PASSWORD', value: 'hunter2' }];
    addEntry(live, { manager: 'kubectl-edit', operation: 'Update', time: T1, fieldsV1: {} });
    const [item] = compareObject(desiredDeployment(), live, DEFAULT_DRIFT_POLICY);
    expect(item).toMatchObject({
      type: 'removed',
      path: 'spec.template.spec.containers[name=app].env[name=MODE]',
      desired: { name: 'MODE', value: 'prod' },
      live: null,
      manager: 'kubectl-edit',
      time: T1,
    });
  });

  it('never shows secret-looking env values, only their size', () => {
    const live = liveUntouched();
    containerApp(live).env[1].value = 'correct horse battery';
    const [item] = compareObject(desiredDeployment(), live, DEFAULT_DRIFT_POLICY);
    expect(item.path).toBe('spec.template.spec.containers[name=app].env[name=DB_PASSWORD].value');
    expect(item.desired).toBe('<secret: 7 bytes>');
    expect(item.live).toBe('<secret: 21 bytes>');
    expect(JSON.stringify(item)).not.toContain('hunter2');
  });

  it('compares Secret stringData with the stored base64 data and never prints either', () => {
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      stringData: { password: 'hunter2', user: 'app' },
    };
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'shop',
        managedFields: [
          {
            manager: 'kubectl-patch',
            operation: 'Update',
            apiVersion: 'v1',
            time: T1,
            fieldsV1: { 'f:data': { 'f:password': {} } },
          },
        ],
      },
      type: 'Opaque',
      data: {
        password: Buffer.from('longer-secret').toString('base64'),
        user: Buffer.from('app').toString('base64'),
      },
    };
    const drift = compareObject(desired, live, DEFAULT_DRIFT_POLICY);
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({
      type: 'changed',
      path: 'data.password',
      desired: '<secret: 7 bytes>',
      live: '<secret: 13 bytes>',
      manager: 'kubectl-patch',
    });
    expect(JSON.stringify(drift)).not.toMatch(/hunter2|longer-secret|bG9uZ2Vy|aHVudGVy/);
  });

  it('matches Service ports by key and int-or-string target ports', () => {
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        selector: { app: 'web' },
        ports: [
          { port: 80, targetPort: '8080' },
          { port: 443, targetPort: 8443 },
        ],
      },
    };
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        clusterIP: '10.0.0.7',
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [
          { port: 443, targetPort: 8443, protocol: 'TCP' },
          { port: 80, targetPort: 8080, protocol: 'TCP' },
        ],
      },
    };
    expect(compareObject(desired, live, DEFAULT_DRIFT_POLICY)).toEqual([]);
  });

  it('reports an added field such as suspend: true on a CronJob', () => {
    const desired: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'ops' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: {} } },
    };
    const live: KubeObject = {
      ...desired,
      metadata: {
        ...desired.metadata,
        managedFields: [
          {
            manager: 'kubectl-patch',
            operation: 'Update',
            apiVersion: 'batch/v1',
            time: T1,
            fieldsV1: { 'f:spec': { 'f:suspend': {} } },
          },
        ],
      },
      spec: { schedule: '0 3 * * *', suspend: true, concurrencyPolicy: 'Allow', jobTemplate: { spec: {} } },
    };
    expect(compareObject(desired, live, DEFAULT_DRIFT_POLICY)).toMatchObject([
      { type: 'added', path: 'spec.suspend', live: true, desired: null, manager: 'kubectl-patch' },
    ]);
  });
});

describe('projectDeclared (server-side dry run)', () => {
  it("takes the server's values for declared fields only, pairing keyed lists by key", async () => {
    const { projectDeclared } = await import('../../../src/drift/dry-run.js');
    const desired = desiredDeployment();
    const normalized = liveUntouched();
    // A mutating webhook rewrote the image to the mirror; the server answered in canonical quantities.
    (
      normalized.spec as { template: { spec: { containers: { image: string }[] } } }
    ).template.spec.containers[1].image = 'mirror.example.com/company/checkout:v1.2.2';
    const projected = projectDeclared(desired, normalized);
    const app = (projected.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template
      .spec.containers[0];
    expect(app.image).toBe('mirror.example.com/company/checkout:v1.2.2');
    expect(app.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1024Mi' } });
    // Defaulted fields Git does not declare stay out.
    expect(app).not.toHaveProperty('imagePullPolicy');
    expect(projected.spec).not.toHaveProperty('revisionHistoryLimit');
  });
});
