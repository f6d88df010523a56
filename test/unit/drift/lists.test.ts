// List semantics from the API server's OpenAPI v3, and what they change in the comparison: ports
// keyed by number AND protocol, atomic lists (RoleBinding subjects, NetworkPolicy ports) compared
// whole, and the dry-run projection pairing items the way the apply merged them.
import { describe, expect, it } from 'vitest';
import { compareObject } from '../../../src/drift/compare.js';
import { projectDeclared } from '../../../src/drift/dry-run.js';
import { decodeFieldsV1 } from '../../../src/drift/fields-v1.js';
import { DEFAULT_DRIFT_POLICY } from '../../../src/drift/policy.js';
import {
  builtInSchemas,
  displayPath,
  type OpenApiDocument,
  type Schemas,
  schemasFrom,
} from '../../../src/drift/schema.js';
import type { KubeObject } from '../../../src/model/types.js';

const T0 = '2026-11-20T10:00:00Z';
const T1 = '2026-11-21T03:07:12Z';
const ref = (name: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], default: {} });

/** A miniature of the API server's `/openapi/v3/api/v1` document, in its exact shape. */
const CORE_V1 = {
  openapi: '3.0.0',
  components: {
    schemas: {
      'io.k8s.api.core.v1.Service': {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
          spec: ref('io.k8s.api.core.v1.ServiceSpec'),
        },
        'x-kubernetes-group-version-kind': [{ group: '', kind: 'Service', version: 'v1' }],
      },
      'io.k8s.api.core.v1.ServiceSpec': {
        type: 'object',
        properties: {
          ports: {
            type: 'array',
            items: ref('io.k8s.api.core.v1.ServicePort'),
            'x-kubernetes-list-map-keys': ['port', 'protocol'],
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-patch-merge-key': 'port',
            'x-kubernetes-patch-strategy': 'merge',
          },
          selector: {
            type: 'object',
            additionalProperties: { type: 'string', default: '' },
            'x-kubernetes-map-type': 'atomic',
          },
        },
      },
      'io.k8s.api.core.v1.ServicePort': {
        type: 'object',
        required: ['port'],
        properties: {
          name: { type: 'string' },
          port: { type: 'integer', default: 0, format: 'int32' },
          protocol: { type: 'string', default: 'TCP' },
          targetPort: ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString'),
        },
      },
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        type: 'object',
        properties: {
          name: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string', default: '' } },
          finalizers: {
            type: 'array',
            items: { type: 'string', default: '' },
            'x-kubernetes-list-type': 'set',
            'x-kubernetes-patch-strategy': 'merge',
          },
        },
      },
    },
  },
};

const RBAC_V1 = {
  openapi: '3.0.0',
  components: {
    schemas: {
      'io.k8s.api.rbac.v1.RoleBinding': {
        type: 'object',
        properties: {
          subjects: {
            type: 'array',
            items: ref('io.k8s.api.rbac.v1.Subject'),
            'x-kubernetes-list-type': 'atomic',
          },
        },
        'x-kubernetes-group-version-kind': [
          { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', version: 'v1' },
        ],
      },
      'io.k8s.api.rbac.v1.Subject': {
        type: 'object',
        properties: { kind: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' } },
      },
    },
  },
};

const NETWORKING_V1 = {
  openapi: '3.0.0',
  components: {
    schemas: {
      'io.k8s.api.networking.v1.NetworkPolicy': {
        type: 'object',
        properties: { spec: ref('io.k8s.api.networking.v1.NetworkPolicySpec') },
        'x-kubernetes-group-version-kind': [
          { group: 'networking.k8s.io', kind: 'NetworkPolicy', version: 'v1' },
        ],
      },
      'io.k8s.api.networking.v1.NetworkPolicySpec': {
        type: 'object',
        properties: {
          egress: {
            type: 'array',
            items: ref('io.k8s.api.networking.v1.NetworkPolicyEgressRule'),
            'x-kubernetes-list-type': 'atomic',
          },
        },
      },
      'io.k8s.api.networking.v1.NetworkPolicyEgressRule': {
        type: 'object',
        properties: {
          ports: {
            type: 'array',
            items: ref('io.k8s.api.networking.v1.NetworkPolicyPort'),
            'x-kubernetes-list-type': 'atomic',
          },
        },
      },
      'io.k8s.api.networking.v1.NetworkPolicyPort': {
        type: 'object',
        properties: {
          port: ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString'),
          protocol: { type: 'string' },
        },
      },
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
    },
  },
};

/** A CRD's schema: inline, with its own list annotations, including the older patch-strategy ones. */
const WIDGETS_V1 = {
  openapi: '3.0.0',
  components: {
    schemas: {
      'com.example.v1.Widget': {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            properties: {
              listeners: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { name: { type: 'string' }, port: { type: 'integer' } },
                },
                'x-kubernetes-patch-merge-key': 'name',
                'x-kubernetes-patch-strategy': 'merge',
              },
              tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
              steps: { type: 'array', items: { type: 'object' } },
            },
          },
        },
        'x-kubernetes-group-version-kind': [{ group: 'example.com', kind: 'Widget', version: 'v1' }],
      },
    },
  },
};

function served(): Schemas {
  const docs = new Map<string, OpenApiDocument>([
    ['v1', { doc: CORE_V1 }],
    ['rbac.authorization.k8s.io/v1', { doc: RBAC_V1 }],
    ['networking.k8s.io/v1', { doc: NETWORKING_V1 }],
    ['example.com/v1', { doc: WIDGETS_V1 }],
  ]);
  return schemasFrom(docs);
}

const both: [string, () => Schemas][] = [
  ['the OpenAPI v3 document', served],
  ['the built-in fallback', () => builtInSchemas()],
];

function dnsService(ports: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'dns', namespace: 'kube-system' },
    spec: { selector: { app: 'dns' }, ports },
  };
}

function live(obj: KubeObject, fieldsV1: Record<string, unknown>, extra: unknown[] = []): KubeObject {
  const copy = structuredClone(obj);
  copy.metadata.managedFields = [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: obj.apiVersion,
      time: T0,
      fieldsV1,
    },
    ...extra,
  ];
  return copy;
}

describe('list semantics from the OpenAPI v3 document', () => {
  it('reads list types, map keys and defaults as server-side apply does', () => {
    const s = served();
    const spec = s.of('v1', 'Service').root.field('spec');
    expect(spec.field('ports').list()).toEqual({ type: 'map', keys: ['port', 'protocol'] });
    expect(spec.field('ports').items().field('protocol').defaultValue()).toBe('TCP');
    expect(s.of('v1', 'Service').root.field('metadata').field('finalizers').list()).toEqual({ type: 'set' });
    expect(s.of('rbac.authorization.k8s.io/v1', 'RoleBinding').root.field('subjects').list()).toEqual({
      type: 'atomic',
    });
    const widget = s.of('example.com/v1', 'Widget').root.field('spec');
    expect(widget.field('listeners').list()).toEqual({ type: 'map', keys: ['name'] });
    expect(widget.field('tags').list()).toEqual({ type: 'set' });
    expect(widget.field('steps').list()).toEqual({ type: 'atomic' });
    expect(s.summary()).toEqual({ source: 'openapi-v3' });
  });

  it('falls back to the built-in table for a group version it could not read, and says why', () => {
    const s = schemasFrom(new Map([['v1', { error: 'forbidden' }]]));
    expect(s.of('v1', 'Service').source).toBe('built-in');
    expect(s.summary()).toEqual({ source: 'built-in', note: 'v1: forbidden' });
    const mixed = schemasFrom(new Map<string, OpenApiDocument>([['v1', { doc: CORE_V1 }]]));
    mixed.of('v1', 'Service');
    mixed.of('apps/v1', 'Deployment');
    expect(mixed.summary().source).toBe('mixed');
  });

  it('shows keyed items by their whole key', () => {
    const obj = dnsService([
      { name: 'dns-udp', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53 },
    ]);
    const root = served().of('v1', 'Service').root;
    expect(displayPath(obj, ['spec', 'ports', 0, 'name'], root)).toBe(
      'spec.ports[port=53,protocol=UDP].name',
    );
    expect(displayPath(obj, ['spec', 'ports', 1], root)).toBe('spec.ports[port=53,protocol=TCP]');
  });
});

describe.each(both)('the comparison with %s', (_, schemas) => {
  const typeOf = (obj: KubeObject) => schemas().of(obj.apiVersion, obj.kind).root;

  it('the same port on TCP and UDP: each entry is compared with its own, in any order', () => {
    const git = dnsService([
      { name: 'dns-tcp', port: 53, targetPort: 53 },
      { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53 },
    ]);
    const cluster = live(
      dnsService([
        { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ]),
      {
        'f:spec': {
          'f:ports': {
            'k:{"port":53,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:targetPort': {} },
            'k:{"port":53,"protocol":"UDP"}': {
              '.': {},
              'f:name': {},
              'f:port': {},
              'f:protocol': {},
              'f:targetPort': {},
            },
          },
        },
      },
    );
    expect(compareObject(git, cluster, DEFAULT_DRIFT_POLICY, typeOf(git))).toEqual([]);
  });

  it('a UDP entry changed by hand is reported on that entry, with its manager', () => {
    const git = dnsService([
      { name: 'dns-tcp', port: 53 },
      { name: 'dns-udp', port: 53, protocol: 'UDP' },
    ]);
    const cluster = live(
      dnsService([
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'dns-udp-renamed', port: 53, protocol: 'UDP' },
      ]),
      {
        'f:spec': {
          'f:ports': {
            'k:{"port":53,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} },
            'k:{"port":53,"protocol":"UDP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} },
          },
        },
      },
      [
        {
          manager: 'kubectl-edit',
          operation: 'Update',
          apiVersion: 'v1',
          time: T1,
          fieldsV1: { 'f:spec': { 'f:ports': { 'k:{"port":53,"protocol":"UDP"}': { 'f:name': {} } } } },
        },
      ],
    );
    const drift = compareObject(git, cluster, DEFAULT_DRIFT_POLICY, typeOf(git));
    expect(drift.map((d) => [d.type, d.path, d.desired, d.live, d.manager])).toEqual([
      ['changed', 'spec.ports[port=53,protocol=UDP].name', 'dns-udp', 'dns-udp-renamed', 'kubectl-edit'],
    ]);
  });

  it('a port added by hand is added on its own key', () => {
    const git = dnsService([{ name: 'dns-tcp', port: 53 }]);
    const cluster = live(
      dnsService([
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
      ]),
      {
        'f:spec': {
          'f:ports': { 'k:{"port":53,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} } },
        },
      },
      [
        {
          manager: 'kubectl-patch',
          operation: 'Update',
          apiVersion: 'v1',
          time: T1,
          fieldsV1: {
            'f:spec': {
              'f:ports': {
                'k:{"port":53,"protocol":"UDP"}': { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {} },
              },
            },
          },
        },
      ],
    );
    const drift = compareObject(git, cluster, DEFAULT_DRIFT_POLICY, typeOf(git));
    expect(drift.map((d) => [d.type, d.path, d.manager])).toEqual([
      ['added', 'spec.ports[port=53,protocol=UDP]', 'kubectl-patch'],
    ]);
  });

  it('RoleBinding subjects are atomic: two ServiceAccounts called default are not confused', () => {
    const subjects = [
      { kind: 'ServiceAccount', name: 'default', namespace: 'shop' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'payments' },
    ];
    const git: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read' },
      subjects,
    };
    const cluster = live(git, { 'f:roleRef': {}, 'f:subjects': {} });
    expect(compareObject(git, cluster, DEFAULT_DRIFT_POLICY, typeOf(git))).toEqual([]);
    (cluster.subjects as { namespace: string }[])[1].namespace = 'billing';
    const drift = compareObject(git, cluster, DEFAULT_DRIFT_POLICY, typeOf(git));
    expect(drift.map((d) => [d.type, d.path])).toEqual([['changed', 'subjects']]);
  });

  it('a list whose key is not unique is compared whole, never by that key', () => {
    const git = dnsService([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'UDP' },
    ]);
    const cluster = live(
      dnsService([
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'UDP' },
      ]),
      {},
    );
    expect(compareObject(git, cluster, DEFAULT_DRIFT_POLICY, typeOf(git))).toEqual([]);
  });

  it('the dry run keeps the DNS egress rule as Git wrote it: UDP 53 and TCP 53', () => {
    const egress = [
      {
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ];
    const git: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'dns', namespace: 'shop' },
      spec: { egress },
    };
    const normalized: KubeObject = {
      ...git,
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    };
    const projected = projectDeclared(git, normalized, typeOf(git));
    expect((projected.spec as { egress: unknown }).egress).toEqual(egress);
    const cluster = live(normalized, { 'f:spec': { 'f:egress': {} } });
    expect(compareObject(projected, cluster, DEFAULT_DRIFT_POLICY, typeOf(git))).toEqual([]);
  });

  it('the dry run pairs a Service port by port and protocol', () => {
    const git = dnsService([
      { name: 'dns-tcp', port: 53, targetPort: 'dns-tcp' },
      { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 'dns' },
    ]);
    const normalized = dnsService([
      { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 'dns' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 'dns-tcp' },
    ]);
    const projected = projectDeclared(git, normalized, typeOf(git));
    expect((projected.spec as { ports: unknown }).ports).toEqual([
      { name: 'dns-tcp', port: 53, targetPort: 'dns-tcp' },
      { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 'dns' },
    ]);
  });

  it('managedFields: a key the item leaves out is matched through the default', () => {
    const obj = dnsService([{ name: 'dns-tcp', port: 53 }]);
    const owned = decodeFieldsV1(
      { 'f:spec': { 'f:ports': { 'k:{"port":53,"protocol":"TCP"}': { 'f:name': {} } } } },
      obj,
      typeOf(obj),
    );
    expect(owned).toEqual([{ segments: ['spec', 'ports', 0, 'name'], leaf: true }]);
  });
});
