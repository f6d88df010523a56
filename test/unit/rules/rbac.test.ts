import { describe, expect, it } from 'vitest';
import { check, dedent, lineOf } from './helpers.js';

const docs = (...parts: string[]) => parts.map((p) => dedent(p).replace(/\n\s*$/, '\n')).join('---\n');

interface WorkloadOptions {
  namespace?: string;
  account?: string;
  automount?: boolean;
  app?: string;
}

function deployment(name: string, o: WorkloadOptions = {}) {
  const extra = [
    o.account ? `\n          serviceAccountName: ${o.account}` : '',
    o.automount === undefined ? '' : `\n          automountServiceAccountToken: ${o.automount}`,
  ].join('');
  return `
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ${name}${o.namespace ? `\n      namespace: ${o.namespace}` : ''}
    spec:
      selector:
        matchLabels: {app: ${o.app ?? name}}
      template:
        metadata:
          labels: {app: ${o.app ?? name}}
        spec:${extra}
          containers:
            - name: app
              image: ${name}:1.0
    `;
}

function binding(
  kind: 'ClusterRoleBinding' | 'RoleBinding',
  name: string,
  roleRef: string,
  subjects: string,
  namespace?: string,
) {
  return `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ${kind}
    metadata:
      name: ${name}${namespace ? `\n      namespace: ${namespace}` : ''}
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      ${roleRef}
    subjects:
      ${subjects.trim().split('\n').join('\n      ')}
    `;
}

function role(kind: 'ClusterRole' | 'Role', name: string, rules: string, namespace?: string) {
  return `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ${kind}
    metadata:
      name: ${name}${namespace ? `\n      namespace: ${namespace}` : ''}
    rules:
      ${rules.trim().split('\n').join('\n      ')}
    `;
}

const clusterAdminTo = (subject: string) =>
  binding('ClusterRoleBinding', 'ops', 'kind: ClusterRole\n      name: cluster-admin', subject);

describe('rbac-cluster-admin-binding', () => {
  const rule = 'rbac-cluster-admin-binding';

  it('flags the subject once, naming the workload that runs as it', () => {
    const yaml = docs(
      deployment('web', { namespace: 'shop', account: 'web' }),
      clusterAdminTo('- {kind: ServiceAccount, name: web, namespace: shop}'),
    );
    const findings = check(yaml, rule);
    expect(findings.map((f) => [f.object.kind, f.path, f.location.line, f.message])).toEqual([
      [
        'ClusterRoleBinding',
        'subjects[name=web]',
        lineOf(yaml, '- {kind: ServiceAccount'),
        'ClusterRoleBinding "ops" grants cluster-admin to ServiceAccount "web" in namespace "shop", used by Deployment "web"',
      ],
    ]);
  });

  it('is one finding for one account, however many bindings give it the power', () => {
    const yaml = docs(
      deployment('web', { namespace: 'shop', account: 'web' }),
      clusterAdminTo('- {kind: ServiceAccount, name: web, namespace: shop}'),
      binding(
        'RoleBinding',
        'admin',
        'kind: ClusterRole\n      name: cluster-admin',
        '- {kind: ServiceAccount, name: web}',
        'shop',
      ),
    );
    expect(check(yaml, rule).map((f) => f.message)).toEqual([
      'ClusterRoleBinding "ops" grants cluster-admin to ServiceAccount "web" in namespace "shop", used by Deployment "web"; also: RoleBinding "admin" grants cluster-admin in namespace "shop"',
    ]);
  });

  it('flags a RoleBinding to cluster-admin, scoped to its namespace', () => {
    const yaml = binding(
      'RoleBinding',
      'admin',
      'kind: ClusterRole\n      name: cluster-admin',
      '- {kind: ServiceAccount, name: ci}',
      'shop',
    );
    expect(check(yaml, rule).map((f) => f.message)).toEqual([
      'RoleBinding "admin" grants cluster-admin in namespace "shop" to ServiceAccount "ci" in namespace "shop"',
    ]);
  });

  it('recognises service accounts named as users and as groups', () => {
    const yaml = docs(
      deployment('web', { namespace: 'shop', account: 'web' }),
      deployment('api', { namespace: 'billing', account: 'api' }),
      clusterAdminTo(
        '- {kind: Group, name: "system:serviceaccounts:shop"}\n- {kind: User, name: "system:serviceaccount:billing:api"}',
      ),
    );
    const messages = check(yaml, rule).map((f) => f.message);
    expect(messages).toContain(
      'ClusterRoleBinding "ops" grants cluster-admin to every ServiceAccount in namespace "shop", used by Deployment "web"',
    );
    expect(messages).toContain(
      'ClusterRoleBinding "ops" grants cluster-admin to ServiceAccount "api" in namespace "billing", used by Deployment "api"',
    );
    expect(messages.filter((m) => m.startsWith('Deployment'))).toEqual([]);
  });

  it('treats system:authenticated as reaching every service account', () => {
    const yaml = docs(
      deployment('web', { namespace: 'shop', account: 'web' }),
      clusterAdminTo('- {kind: Group, name: "system:authenticated"}'),
    );
    expect(check(yaml, rule).map((f) => f.message)).toEqual([
      'ClusterRoleBinding "ops" grants cluster-admin to group "system:authenticated" (every user and ServiceAccount), used by Deployment "web"',
    ]);
  });

  it('does not reach a workload with the same account name in another namespace', () => {
    const yaml = docs(
      deployment('web', { namespace: 'billing', account: 'web' }),
      clusterAdminTo('- {kind: ServiceAccount, name: web, namespace: shop}'),
    );
    expect(check(yaml, rule).map((f) => f.message)).toEqual([
      'ClusterRoleBinding "ops" grants cluster-admin to ServiceAccount "web" in namespace "shop"',
    ]);
  });

  it('leaves human users and narrow roles alone', () => {
    const yaml = docs(
      clusterAdminTo('- {kind: User, name: alice@example.com}\n- {kind: Group, name: sre}'),
      binding(
        'ClusterRoleBinding',
        'view',
        'kind: ClusterRole\n      name: view',
        '- {kind: ServiceAccount, name: web, namespace: shop}',
      ),
    );
    expect(check(yaml, rule)).toEqual([]);
  });
});

describe('rbac-wildcard-binding', () => {
  const rule = 'rbac-wildcard-binding';
  const wildRole = role('Role', 'anything', "- apiGroups: ['']\n  resources: ['*']\n  verbs: ['*']", 'shop');

  it('flags a service account bound to a role with wildcards', () => {
    const yaml = docs(
      deployment('web', { namespace: 'shop', account: 'web' }),
      wildRole,
      binding(
        'RoleBinding',
        'web',
        'kind: Role\n      name: anything',
        '- {kind: ServiceAccount, name: web, namespace: shop}',
        'shop',
      ),
    );
    const findings = check(yaml, rule);
    expect(findings.map((f) => f.message)).toEqual([
      'RoleBinding "web" grants Role "anything" (wildcard verbs, resources) in namespace "shop" to ServiceAccount "web" in namespace "shop", used by Deployment "web"',
    ]);
    expect(findings[0].location.line).toBe(lineOf(yaml, '- {kind: ServiceAccount'));
  });

  it('resolves a Role only in the binding namespace', () => {
    const yaml = docs(
      wildRole,
      binding(
        'RoleBinding',
        'web',
        'kind: Role\n      name: anything',
        '- {kind: ServiceAccount, name: web, namespace: billing}',
        'billing',
      ),
    );
    expect(check(yaml, rule)).toEqual([]);
  });

  it('passes a role that lists what it needs', () => {
    const yaml = docs(
      role(
        'Role',
        'reader',
        "- apiGroups: ['']\n  resources: [configmaps]\n  verbs: [get, list, watch]",
        'shop',
      ),
      binding(
        'RoleBinding',
        'web',
        'kind: Role\n      name: reader',
        '- {kind: ServiceAccount, name: web, namespace: shop}',
        'shop',
      ),
    );
    expect(check(yaml, rule)).toEqual([]);
  });
});

describe('rbac-secrets-cluster-wide', () => {
  const rule = 'rbac-secrets-cluster-wide';
  const reader = role(
    'ClusterRole',
    'secret-reader',
    "- apiGroups: ['']\n  resources: [pods, secrets]\n  verbs: [get, list]",
  );

  it('flags a ClusterRole reading secrets bound by a ClusterRoleBinding, on its resources', () => {
    const yaml = docs(
      reader,
      binding(
        'ClusterRoleBinding',
        'read',
        'kind: ClusterRole\n      name: secret-reader',
        '- {kind: ServiceAccount, name: web, namespace: shop}',
      ),
    );
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe(
      'ClusterRole "secret-reader" grants get, list on secrets in every namespace through ClusterRoleBinding "read" to ServiceAccount "web" in namespace "shop"',
    );
    expect(f.path).toBe('rules[0].resources');
    expect(f.location.line).toBe(lineOf(yaml, 'resources: [pods, secrets]'));
  });

  it('is one finding for all the roles that give one account cluster-wide secret access', () => {
    const readerBoundTo = (name: string, verbs: string) =>
      docs(
        role('ClusterRole', name, `- apiGroups: ['']\n  resources: [secrets]\n  verbs: [${verbs}]`),
        binding(
          'ClusterRoleBinding',
          name,
          `kind: ClusterRole\n      name: ${name}`,
          '- {kind: ServiceAccount, name: controller, namespace: certs}',
        ),
      );
    const yaml = [
      readerBoundTo('issuers', 'get, list, watch'),
      readerBoundTo('certificates', 'get, list, watch'),
      readerBoundTo('challenges', 'get'),
    ].join('---\n');
    expect(check(yaml, rule).map((f) => f.message)).toEqual([
      'ClusterRole "issuers" grants get, list, watch on secrets in every namespace through ClusterRoleBinding "issuers" to ServiceAccount "controller" in namespace "certs"; also: ClusterRole "certificates" grants get, list, watch on secrets in every namespace; ClusterRole "challenges" grants get on secrets in every namespace',
    ]);
    // Other accounts are other causes.
    const other = readerBoundTo('solver', 'get').replace('name: controller', 'name: solver');
    expect(check(`${yaml}---\n${other}`, rule)).toHaveLength(2);
  });

  it('is part of the wildcard binding finding when a wildcard role is what grants it', () => {
    const yaml = docs(
      role('ClusterRole', 'everything', "- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']"),
      binding(
        'ClusterRoleBinding',
        'everything',
        'kind: ClusterRole\n      name: everything',
        '- {kind: ServiceAccount, name: gitops, namespace: ops}',
      ),
    );
    const findings = check(yaml, [rule, 'rbac-wildcard-binding']);
    expect(findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      [
        'rbac-wildcard-binding',
        'error',
        'ClusterRoleBinding "everything" grants ClusterRole "everything" (wildcard verbs, resources, apiGroups) to ServiceAccount "gitops" in namespace "ops"; also: ClusterRole "everything" grants * on secrets in every namespace (rbac-secrets-cluster-wide)',
      ],
    ]);
  });

  it('passes the same ClusterRole bound in one namespace, or restricted by resourceNames', () => {
    const namespaced = binding(
      'RoleBinding',
      'read',
      'kind: ClusterRole\n      name: secret-reader',
      '- {kind: ServiceAccount, name: web, namespace: shop}',
      'shop',
    );
    expect(check(docs(reader, namespaced), rule)).toEqual([]);
    const named = role(
      'ClusterRole',
      'secret-reader',
      "- apiGroups: ['']\n  resources: [secrets]\n  resourceNames: [tls]\n  verbs: [get]",
    );
    const clusterWide = binding(
      'ClusterRoleBinding',
      'read',
      'kind: ClusterRole\n      name: secret-reader',
      '- {kind: Group, name: x}',
    );
    expect(check(docs(named, clusterWide), rule)).toEqual([]);
  });
});

describe('rbac-escalation-verbs', () => {
  const rule = 'rbac-escalation-verbs';

  it('flags escalate, bind and impersonate on the verbs', () => {
    const yaml = role(
      'ClusterRole',
      'rbac-manager',
      '- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [get, bind, escalate]\n- apiGroups: [""]\n  resources: [users]\n  verbs: [impersonate]',
    );
    const findings = check(yaml, rule);
    expect(findings.map((f) => [f.path, f.location.line, f.message])).toEqual([
      [
        'rules[0].verbs',
        lineOf(yaml, 'verbs: [get, bind'),
        'ClusterRole "rbac-manager" grants bind, escalate on clusterroles',
      ],
      [
        'rules[1].verbs',
        lineOf(yaml, 'verbs: [impersonate]'),
        'ClusterRole "rbac-manager" grants impersonate on users',
      ],
    ]);
  });

  it('passes ordinary verbs', () => {
    expect(
      check(role('Role', 'r', "- apiGroups: ['']\n  resources: [pods]\n  verbs: [get, list]"), rule),
    ).toEqual([]);
  });
});

describe('rbac-pods-exec', () => {
  const rule = 'rbac-pods-exec';

  it('flags pods/exec on the resources', () => {
    const yaml = role(
      'Role',
      'debugger',
      "- apiGroups: ['']\n  resources: [pods, pods/exec]\n  verbs: [get, create]",
      'shop',
    );
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe('Role "debugger" grants get, create on pods/exec');
    expect(f.location.line).toBe(lineOf(yaml, 'resources:'));
  });

  it('passes pods/log', () => {
    expect(
      check(role('Role', 'r', "- apiGroups: ['']\n  resources: [pods/log]\n  verbs: [get]"), rule),
    ).toEqual([]);
  });
});

describe('rbac-default-service-account', () => {
  const rule = 'rbac-default-service-account';

  it('flags a workload that names no account, on the pod spec', () => {
    const yaml = deployment('web');
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe(
      'Deployment "web" names no ServiceAccount, so it runs as the "default" ServiceAccount of namespace "default"',
    );
    expect(f.path).toBe('spec.template.spec.serviceAccountName');
    expect(f.location.line).toBe(lineOf(yaml, 'spec:', 2));
  });

  it('flags serviceAccountName: default on the field', () => {
    const yaml = deployment('web', { account: 'default' });
    const [f] = check(yaml, rule);
    expect(f.location.line).toBe(lineOf(yaml, 'serviceAccountName: default'));
  });

  it('passes a dedicated account', () => {
    expect(check(deployment('web', { account: 'web' }), rule)).toEqual([]);
  });
});

describe('rbac-shared-service-account', () => {
  const rule = 'rbac-shared-service-account';

  it('flags each workload of different apps that share an account', () => {
    const yaml = docs(
      deployment('web', { account: 'backend' }),
      deployment('worker', { account: 'backend' }),
    );
    const findings = check(yaml, rule);
    expect(findings.map((f) => [f.object.name, f.location.line, f.message])).toEqual([
      [
        'web',
        lineOf(yaml, 'serviceAccountName: backend'),
        'Deployment "web" shares ServiceAccount "backend" with Deployment "worker" of another app',
      ],
      [
        'worker',
        lineOf(yaml, 'serviceAccountName: backend', 2),
        'Deployment "worker" shares ServiceAccount "backend" with Deployment "web" of another app',
      ],
    ]);
  });

  it('names a few of the other apps and counts the rest', () => {
    const yaml = docs(
      ...['a', 'b', 'c', 'd', 'e'].map((n) => deployment(n, { account: 'shared' })),
      deployment('a2', { account: 'shared', app: 'a' }),
    );
    const messages = check(yaml, rule).map((f) => f.message);
    expect(messages).toHaveLength(6);
    expect(messages[0]).toBe(
      'Deployment "a" shares ServiceAccount "shared" with Deployment "b", Deployment "c", Deployment "d" and 1 more of another app',
    );
    expect(messages[1]).toBe(
      'Deployment "b" shares ServiceAccount "shared" with Deployment "a", Deployment "a2", Deployment "c" and 2 more of another app',
    );
  });

  it('passes workloads of one app (same app label) and same names in different namespaces', () => {
    const sameApp = docs(
      deployment('web', { account: 'web', app: 'shop' }),
      deployment('web-migrate', { account: 'web', app: 'shop' }),
    );
    expect(check(sameApp, rule)).toEqual([]);
    const apart = docs(
      deployment('web', { account: 'backend', namespace: 'a' }),
      deployment('worker', { account: 'backend', namespace: 'b' }),
    );
    expect(check(apart, rule)).toEqual([]);
  });
});

describe('rbac-automount-token', () => {
  const rule = 'rbac-automount-token';

  it('flags a mounted token for an account nothing binds, on the pod spec', () => {
    const yaml = deployment('web', { account: 'web' });
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe(
      'Deployment "web" mounts a token for ServiceAccount "web", which no RoleBinding or ClusterRoleBinding grants anything',
    );
    expect(f.path).toBe('spec.template.spec.automountServiceAccountToken');
    expect(f.location.line).toBe(lineOf(yaml, 'spec:', 2));
  });

  it('flags automountServiceAccountToken: true on the field', () => {
    const yaml = deployment('web', { account: 'web', automount: true });
    expect(check(yaml, rule)[0].location.line).toBe(lineOf(yaml, 'automountServiceAccountToken: true'));
  });

  it('passes when the pod spec or the ServiceAccount turns it off', () => {
    expect(check(deployment('web', { account: 'web', automount: false }), rule)).toEqual([]);
    const account = `
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: web}
      automountServiceAccountToken: false
      `;
    expect(check(docs(deployment('web', { account: 'web' }), account), rule)).toEqual([]);
    // The pod spec wins over the account.
    expect(check(docs(deployment('web', { account: 'web', automount: true }), account), rule)).toHaveLength(
      1,
    );
  });

  it('passes when a binding gives the account something to do', () => {
    const yaml = docs(
      deployment('web', { account: 'web', namespace: 'shop' }),
      binding(
        'RoleBinding',
        'web',
        'kind: Role\n      name: reader',
        '- {kind: ServiceAccount, name: web, namespace: shop}',
        'shop',
      ),
    );
    expect(check(yaml, rule)).toEqual([]);
  });
});

describe('rbac-service-account-missing', () => {
  const rule = 'rbac-service-account-missing';
  const account = (name: string, namespace = 'shop') => `
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: ${name}, namespace: ${namespace}}
    `;

  it('flags an account the set does not define where it defines others, on the field', () => {
    const yaml = docs(account('web'), deployment('web', { namespace: 'shop', account: 'wbe' }));
    expect(check(yaml, rule).map((f) => [f.message, f.severity, f.location.line])).toEqual([
      [
        'Deployment "web" runs as ServiceAccount "wbe", which the set does not define in namespace "shop" (did you mean "web"?): no pod can be created',
        'error',
        lineOf(yaml, 'serviceAccountName: wbe'),
      ],
    ]);
  });

  it('passes a defined account, the default one, and namespaces where the set defines no account', () => {
    expect(
      check(docs(account('web'), deployment('web', { namespace: 'shop', account: 'web' })), rule),
    ).toEqual([]);
    expect(check(docs(account('web'), deployment('web', { namespace: 'shop' })), rule)).toEqual([]);
    expect(
      check(docs(account('web', 'other'), deployment('web', { namespace: 'shop', account: 'x' })), rule),
    ).toEqual([]);
  });
});
