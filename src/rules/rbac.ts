import type { Manifest } from '../load/yaml.js';
import { pushTo } from '../model/collections.js';
import { suggest } from '../model/suggest.js';
import { isRecord, type PathSegment } from '../model/types.js';
import type { ObjectIndex } from './object-index.js';
import type { Rule, Violation } from './types.js';
import { namesIn } from './util/references.js';
import {
  appNameOf,
  exampleDeployment,
  memo,
  named,
  namedList,
  serviceAccountOf,
  type WorkloadInfo,
  workloadInfos,
} from './util/selection.js';

/**
 * The `rbac` checklist category: each app runs as its own service account, with no more power
 * than it needs. The binding rules follow RoleBindings and ClusterRoleBindings to the service
 * accounts that workloads loaded in the same run actually use.
 */

// --- roles and bindings -------------------------------------------------------------------------

interface PolicyRule {
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function policyRules(role: Manifest): PolicyRule[] {
  const rules = role.object.rules;
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((r, index) =>
    isRecord(r)
      ? [
          {
            index,
            apiGroups: strings(r.apiGroups),
            resources: strings(r.resources),
            verbs: strings(r.verbs),
            resourceNames: strings(r.resourceNames),
          },
        ]
      : [],
  );
}

/** Which parts of a role are `*`, e.g. ['verbs', 'resources'], in the role's first wildcard rule. */
function wildcards(role: Manifest): { rule: PolicyRule; fields: string[] } | undefined {
  for (const rule of policyRules(role)) {
    const fields = (['verbs', 'resources', 'apiGroups'] as const).filter((f) => rule[f].includes('*'));
    if (fields.length > 0) return { rule, fields };
  }
  return undefined;
}

/**
 * Who a binding subject stands for, among service accounts: one account, every account (of a
 * namespace), or nobody we track (human users and groups).
 */
type SubjectTarget =
  | { kind: 'account'; namespace: string; name: string }
  | { kind: 'all-accounts'; namespace?: string; label: string };

function subjectTarget(
  index: ObjectIndex,
  binding: Manifest,
  subject: Record<string, unknown>,
): SubjectTarget | undefined {
  const name = typeof subject.name === 'string' ? subject.name : '';
  if (subject.kind === 'ServiceAccount' && name) {
    // The API wants a namespace on service account subjects; tools that omit it mean the binding's.
    const namespace =
      typeof subject.namespace === 'string' && subject.namespace
        ? subject.namespace
        : binding.object.kind === 'RoleBinding'
          ? index.namespaceOf(binding)
          : index.defaultNamespace;
    return { kind: 'account', namespace, name };
  }
  if (subject.kind === 'User' && name.startsWith('system:serviceaccount:')) {
    const [namespace, account] = name.slice('system:serviceaccount:'.length).split(':');
    if (namespace && account) return { kind: 'account', namespace, name: account };
  }
  if (subject.kind === 'Group') {
    if (name === 'system:serviceaccounts') {
      return { kind: 'all-accounts', label: 'group "system:serviceaccounts" (every ServiceAccount)' };
    }
    if (name === 'system:authenticated') {
      return { kind: 'all-accounts', label: 'group "system:authenticated" (every user and ServiceAccount)' };
    }
    if (name.startsWith('system:serviceaccounts:')) {
      const namespace = name.slice('system:serviceaccounts:'.length);
      return { kind: 'all-accounts', namespace, label: `every ServiceAccount in namespace "${namespace}"` };
    }
  }
  return undefined;
}

function describeTarget(t: SubjectTarget): string {
  return t.kind === 'account' ? `ServiceAccount "${t.name}" in namespace "${t.namespace}"` : t.label;
}

/** What a binding grants that the binding rules care about. */
type Grant =
  | { kind: 'cluster-admin' }
  | { kind: 'wildcard'; role: Manifest; rule: PolicyRule; fields: string[] };

interface Binding {
  manifest: Manifest;
  roleRef: { kind: string; name: string };
  /** The role it refers to, when it was loaded in this run. */
  role?: Manifest;
  grant?: Grant;
  subjects: { index: number; target: SubjectTarget }[];
}

function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'ClusterRole' ? `ClusterRole\u0000${name}` : `Role\u0000${namespace}\u0000${name}`;
}

/** Every RoleBinding and ClusterRoleBinding, resolved to its role and service-account subjects. */
function bindings(index: ObjectIndex): Binding[] {
  return memo(index, 'rbac:bindings', () => {
    const roles = new Map<string, Manifest>();
    for (const r of index.kind('ClusterRole'))
      roles.set(roleKey('ClusterRole', undefined, r.object.metadata.name ?? ''), r);
    for (const r of index.kind('Role'))
      roles.set(roleKey('Role', index.namespaceOf(r), r.object.metadata.name ?? ''), r);

    const out: Binding[] = [];
    for (const manifest of [...index.kind('ClusterRoleBinding'), ...index.kind('RoleBinding')]) {
      const ref = isRecord(manifest.object.roleRef) ? manifest.object.roleRef : {};
      const roleRef = { kind: String(ref.kind ?? ''), name: String(ref.name ?? '') };
      // A ClusterRoleBinding can only refer to a ClusterRole; a Role lives in the binding's namespace.
      const invalid = manifest.object.kind === 'ClusterRoleBinding' && roleRef.kind !== 'ClusterRole';
      const role = invalid
        ? undefined
        : roles.get(roleKey(roleRef.kind, index.namespaceOf(manifest), roleRef.name));
      const subjects = (Array.isArray(manifest.object.subjects) ? manifest.object.subjects : []).flatMap(
        (s, i) => {
          const target = isRecord(s) ? subjectTarget(index, manifest, s) : undefined;
          return target ? [{ index: i, target }] : [];
        },
      );
      out.push({ manifest, roleRef, role, grant: grantOf(roleRef, role), subjects });
    }
    return out;
  });
}

function grantOf(roleRef: { kind: string; name: string }, role: Manifest | undefined): Grant | undefined {
  if (roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') return { kind: 'cluster-admin' };
  const wild = role ? wildcards(role) : undefined;
  return role && wild ? { kind: 'wildcard', role, ...wild } : undefined;
}

/** Bindings by the service accounts they reach: one account, a namespace's accounts, or all. */
interface BindingLookup {
  forAccount(namespace: string, name: string): Binding[];
}

function bindingLookup(index: ObjectIndex): BindingLookup {
  return memo(index, 'rbac:binding-lookup', () => {
    const byAccount = new Map<string, Binding[]>();
    const byNamespace = new Map<string, Binding[]>();
    const everywhere: Binding[] = [];
    const add = <K>(map: Map<K, Binding[]>, key: K, b: Binding) => {
      const list = map.get(key) ?? [];
      if (!list.includes(b)) list.push(b);
      map.set(key, list);
    };
    for (const b of bindings(index)) {
      for (const { target } of b.subjects) {
        if (target.kind === 'account') add(byAccount, `${target.namespace}\u0000${target.name}`, b);
        else if (target.namespace !== undefined) add(byNamespace, target.namespace, b);
        else if (!everywhere.includes(b)) everywhere.push(b);
      }
    }
    return {
      forAccount(namespace, name) {
        const found = [
          ...(byAccount.get(`${namespace}\u0000${name}`) ?? []),
          ...(byNamespace.get(namespace) ?? []),
          ...everywhere,
        ];
        return [...new Set(found)];
      },
    };
  });
}

/** Workloads by the service account they run as (namespace and name), and by namespace. */
function accountUsers(index: ObjectIndex): {
  byAccount: Map<string, WorkloadInfo[]>;
  byNamespace: Map<string, WorkloadInfo[]>;
} {
  return memo(index, 'rbac:account-users', () => {
    const byAccount = new Map<string, WorkloadInfo[]>();
    const byNamespace = new Map<string, WorkloadInfo[]>();
    for (const w of workloadInfos(index)) {
      pushTo(byAccount, `${w.namespace}\u0000${serviceAccountOf(w.template).name}`, w);
      pushTo(byNamespace, w.namespace, w);
    }
    return { byAccount, byNamespace };
  });
}

/** Workloads that run as a service account a subject stands for. */
function workloadsReached(index: ObjectIndex, target: SubjectTarget): WorkloadInfo[] {
  const users = accountUsers(index);
  if (target.kind === 'account') return users.byAccount.get(`${target.namespace}\u0000${target.name}`) ?? [];
  if (target.namespace !== undefined) return users.byNamespace.get(target.namespace) ?? [];
  return workloadInfos(index);
}

const WRITE_VERBS = ['create', 'update', 'patch', '*'];

/**
 * Can something in the set write objects of a core resource (`secrets`) in a namespace at run
 * time? A role loaded in the set that grants create, update or patch on it, bound in that
 * namespace (or cluster wide) to anyone. A hook Job that generates a password Secret is the usual
 * case.
 */
export function writtenAtRunTime(index: ObjectIndex, resource: string, namespace: string): boolean {
  const namespaces = memo(index, `rbac:creators:${resource}`, () => {
    const out = new Set<string>();
    let everywhere = false;
    for (const b of bindings(index)) {
      if (!b.role || !Array.isArray(b.manifest.object.subjects) || b.manifest.object.subjects.length === 0)
        continue;
      const grants = policyRules(b.role).some(
        (r) =>
          coversCoreGroup(r) &&
          (r.resources.includes(resource) || r.resources.includes('*')) &&
          r.verbs.some((v) => WRITE_VERBS.includes(v)),
      );
      if (!grants) continue;
      if (b.manifest.object.kind === 'ClusterRoleBinding') everywhere = true;
      else out.add(index.namespaceOf(b.manifest));
    }
    return { out, everywhere };
  });
  return namespaces.everywhere || namespaces.out.has(namespace);
}

// --- examples for the docs ---------------------------------------------------------------------

function roleExample(kind: 'Role' | 'ClusterRole', name: string, rule: string): string {
  const meta = kind === 'Role' ? `{name: ${name}, namespace: shop}` : `{name: ${name}}`;
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    `kind: ${kind}`,
    `metadata: ${meta}`,
    `rules: [${rule}]`,
  ].join('\n');
}

function bindingExample(kind: 'RoleBinding' | 'ClusterRoleBinding', roleKind: string, role: string): string {
  const meta = kind === 'RoleBinding' ? '{name: web, namespace: shop}' : '{name: web}';
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    `kind: ${kind}`,
    `metadata: ${meta}`,
    `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${role}}`,
    'subjects: [{kind: ServiceAccount, name: web, namespace: shop}]',
  ].join('\n');
}

// --- the two binding rules: cluster-admin, wildcard roles ---------------------------------------

function describeGrant(index: ObjectIndex, b: Binding): string {
  const grant = b.grant;
  if (!grant) return '';
  const scope =
    b.manifest.object.kind === 'RoleBinding' ? ` in namespace "${index.namespaceOf(b.manifest)}"` : '';
  if (grant.kind === 'cluster-admin') return `cluster-admin${scope}`;
  return `${named(grant.role)} (wildcard ${grant.fields.join(', ')})${scope}`;
}

/**
 * The cause a binding finding shares with others: what one service account (or group of them) may
 * do. Everything too powerful that reaches the same subject is one finding, listing the rest.
 */
function powerCause(targets: readonly SubjectTarget[]): string | undefined {
  if (targets.length !== 1) return undefined;
  const t = targets[0];
  const who = t.kind === 'account' ? `${t.namespace}\u0000${t.name}` : `group\u0000${t.label}`;
  return `rbac-power\u0000${who}`;
}

/**
 * A dangerous binding is reported once per service-account subject, on the subject: that is the
 * line to edit. The workloads that run as the account are named in the message, not reported
 * again on their own manifests.
 */
function* dangerousBindings(index: ObjectIndex, kind: Grant['kind']): Iterable<Violation> {
  for (const b of bindings(index)) {
    if (b.grant?.kind !== kind) continue;
    for (const { index: i, target } of b.subjects) {
      const users = workloadsReached(index, target);
      const usedBy = users.length > 0 ? `, used by ${namedList(users.map((w) => w.manifest))}` : '';
      const key = powerCause([target]);
      yield {
        manifest: b.manifest,
        path: ['subjects', i],
        message: `${named(b.manifest)} grants ${describeGrant(index, b)} to ${describeTarget(target)}${usedBy}`,
        ...(key && { cause: { key, also: `${named(b.manifest)} grants ${describeGrant(index, b)}` } }),
      };
    }
  }
}

const BINDING_APPLIES_TO =
  'RoleBindings and ClusterRoleBindings in the set, once per service-account subject (a ServiceAccount, ' +
  'a system:serviceaccount user, or a service-account group); the workloads that run as the account ' +
  'are named in the message. Human users and groups are left alone.';

const clusterAdmin: Rule = {
  meta: {
    id: 'rbac-cluster-admin-binding',
    category: 'rbac',
    severity: 'error',
    title: 'No service account is bound to cluster-admin',
    why:
      'cluster-admin can do anything to any object in any namespace. Bound to a service account, ' +
      'it hands the whole cluster to anyone who breaks into one pod running as that account, or ' +
      'who can read its token.',
    fix:
      'Bind a Role (or a ClusterRole through a RoleBinding) that lists only the resources and verbs ' +
      'the workload uses, in its own namespace.',
    example: {
      bad: bindingExample('ClusterRoleBinding', 'ClusterRole', 'cluster-admin'),
      good: `${roleExample('Role', 'web-config', "{apiGroups: [''], resources: [configmaps], verbs: [get, list, watch]}")}\n---\n${bindingExample('RoleBinding', 'Role', 'web-config')}`,
      line: 5,
    },
    appliesTo: BINDING_APPLIES_TO,
  },
  check: ({ index }) => dangerousBindings(index, 'cluster-admin'),
};

const wildcardBinding: Rule = {
  meta: {
    id: 'rbac-wildcard-binding',
    category: 'rbac',
    severity: 'error',
    title: 'No service account is bound to a role with wildcard verbs, resources or API groups',
    why:
      'A `*` in a role grants every verb, resource or API group, including ones added later by new ' +
      'CRDs and Kubernetes versions. It is cluster-admin in all but name, and the role grows on its ' +
      'own with every upgrade.',
    fix: 'List the API groups, resources and verbs the workload needs explicitly.',
    example: {
      bad: `${roleExample('Role', 'web', "{apiGroups: ['*'], resources: ['*'], verbs: ['*']}")}\n---\n${bindingExample('RoleBinding', 'Role', 'web')}`,
      good: `${roleExample('Role', 'web', "{apiGroups: [''], resources: [configmaps], verbs: [get, list, watch]}")}\n---\n${bindingExample('RoleBinding', 'Role', 'web')}`,
      line: 10,
    },
    appliesTo: BINDING_APPLIES_TO,
  },
  check: ({ index }) => dangerousBindings(index, 'wildcard'),
};

// --- rules on what a role grants ----------------------------------------------------------------

const READ_VERBS = ['get', 'list', 'watch', '*'];

function coversCoreGroup(rule: PolicyRule): boolean {
  return rule.apiGroups.includes('') || rule.apiGroups.includes('*');
}

const secretsClusterWide: Rule = {
  meta: {
    id: 'rbac-secrets-cluster-wide',
    category: 'rbac',
    severity: 'warning',
    title: 'No ClusterRoleBinding grants reading Secrets in every namespace',
    why:
      'get, list or watch on secrets through a ClusterRoleBinding reads every password, token and ' +
      'key in the cluster, including the service account tokens of other apps, which opens the ' +
      'way to everything they can do.',
    fix:
      'Grant secret access with a RoleBinding in the namespace that holds the secret, ideally ' +
      'restricted with resourceNames.',
    example: {
      bad: `${roleExample('ClusterRole', 'web', "{apiGroups: [''], resources: [secrets], verbs: [get, list, watch]}")}\n---\n${bindingExample('ClusterRoleBinding', 'ClusterRole', 'web')}`,
      good: `${roleExample('Role', 'web', "{apiGroups: [''], resources: [secrets], resourceNames: [web-tls], verbs: [get]}")}\n---\n${bindingExample('RoleBinding', 'Role', 'web')}`,
      line: 4,
    },
    appliesTo:
      'ClusterRoles bound by a ClusterRoleBinding in the set. All the roles that give one service ' +
      'account cluster-wide secret access are one finding (and one with its cluster-admin or wildcard ' +
      'binding finding).',
  },
  *check({ index }) {
    const clusterBound = new Map<Manifest, { binding: Manifest; targets: SubjectTarget[] }>();
    for (const b of bindings(index)) {
      if (b.manifest.object.kind !== 'ClusterRoleBinding' || !b.role) continue;
      const entry = clusterBound.get(b.role) ?? { binding: b.manifest, targets: [] };
      for (const { target } of b.subjects) {
        if (!entry.targets.some((t) => describeTarget(t) === describeTarget(target)))
          entry.targets.push(target);
      }
      clusterBound.set(b.role, entry);
    }
    for (const [role, { binding, targets }] of clusterBound) {
      const key = powerCause(targets) ?? `rbac-secrets\u0000${role.object.metadata.name ?? ''}`;
      for (const rule of policyRules(role)) {
        const secrets = rule.resources.includes('secrets') || rule.resources.includes('*');
        const verbs = rule.verbs.filter((v) => READ_VERBS.includes(v));
        if (!secrets || verbs.length === 0 || !coversCoreGroup(rule) || rule.resourceNames.length > 0)
          continue;
        const who = targets.length === 1 ? ` to ${describeTarget(targets[0])}` : '';
        yield {
          manifest: role,
          path: ['rules', rule.index, 'resources'],
          message: `${named(role)} grants ${verbs.join(', ')} on secrets in every namespace through ${named(binding)}${who}`,
          cause: { key, also: `${named(role)} grants ${verbs.join(', ')} on secrets in every namespace` },
        };
      }
    }
  },
};

/** Verbs that let a holder raise its own privileges past what RBAC granted it. */
const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];

const escalationVerbs: Rule = {
  meta: {
    id: 'rbac-escalation-verbs',
    category: 'rbac',
    severity: 'warning',
    title: 'Roles do not grant escalate, bind or impersonate',
    why:
      'escalate lets a holder edit roles to grant permissions it does not have, bind lets it bind ' +
      'any role (cluster-admin included) to itself, and impersonate lets it act as any user or ' +
      'service account. Each is a short path to cluster-admin.',
    fix: 'Remove the verb; controllers that manage RBAC should be few, reviewed, and run in their own namespace.',
    example: {
      bad: roleExample(
        'ClusterRole',
        'rbac-editor',
        '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [get, bind, escalate]}',
      ),
      good: roleExample(
        'ClusterRole',
        'rbac-viewer',
        '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [get, list]}',
      ),
      line: 4,
    },
    appliesTo: 'Every Role and ClusterRole in the set, bound or not.',
  },
  *check({ index }) {
    for (const role of [...index.kind('ClusterRole'), ...index.kind('Role')]) {
      for (const rule of policyRules(role)) {
        const verbs = rule.verbs.filter((v) => ESCALATION_VERBS.includes(v));
        if (verbs.length === 0) continue;
        const on = rule.resources.length > 0 ? ` on ${rule.resources.join(', ')}` : '';
        yield {
          manifest: role,
          path: ['rules', rule.index, 'verbs'],
          message: `${named(role)} grants ${verbs.join(', ')}${on}`,
        };
      }
    }
  },
};

const podsExec: Rule = {
  meta: {
    id: 'rbac-pods-exec',
    category: 'rbac',
    severity: 'warning',
    title: 'Roles do not grant exec or attach into pods',
    why:
      'pods/exec (and pods/attach) opens a shell in any container the role reaches: its secrets, ' +
      'its service account token, its network position. A workload that can exec into others ' +
      'turns one compromised pod into many.',
    fix: 'Remove pods/exec and pods/attach; debug through logs, metrics or an ephemeral debug container granted to people, not workloads.',
    example: {
      bad: roleExample(
        'Role',
        'debugger',
        "{apiGroups: [''], resources: [pods, pods/exec], verbs: [get, create]}",
      ),
      good: roleExample(
        'Role',
        'log-reader',
        "{apiGroups: [''], resources: [pods, pods/log], verbs: [get, list]}",
      ),
      line: 4,
    },
    appliesTo: 'Every Role and ClusterRole in the set, bound or not, for the core API group.',
  },
  *check({ index }) {
    for (const role of [...index.kind('ClusterRole'), ...index.kind('Role')]) {
      for (const rule of policyRules(role)) {
        const sub = rule.resources.filter((r) => r === 'pods/exec' || r === 'pods/attach');
        const verbs = rule.verbs.filter((v) => v === 'create' || v === 'get' || v === '*');
        if (sub.length === 0 || verbs.length === 0 || !coversCoreGroup(rule)) continue;
        yield {
          manifest: role,
          path: ['rules', rule.index, 'resources'],
          message: `${named(role)} grants ${verbs.join(', ')} on ${sub.join(', ')}`,
        };
      }
    }
  },
};

// --- rules on the service account a workload runs as --------------------------------------------

const defaultServiceAccount: Rule = {
  meta: {
    id: 'rbac-default-service-account',
    category: 'rbac',
    severity: 'warning',
    title: 'Workloads run as a service account of their own, not `default`',
    why:
      "Every pod that names no service account runs as the namespace's `default` account. Any " +
      'permission granted to it for one app is silently shared by all of them, and audit logs ' +
      'cannot tell the apps apart.',
    fix: 'Create a ServiceAccount for the app and set spec.template.spec.serviceAccountName to it.',
    example: {
      bad: exampleDeployment({ namespace: 'shop' }),
      good: exampleDeployment({ namespace: 'shop', podSpec: ['serviceAccountName: web'] }),
      line: 9,
    },
    appliesTo: "Every workload kind, Jobs and hooks included: their pods run with the account's token too.",
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      const account = serviceAccountOf(w.template);
      if (account.name !== 'default') continue;
      const how = account.explicit ? 'runs as' : 'names no ServiceAccount, so it runs as';
      yield {
        manifest: w.manifest,
        path: account.path,
        message: `${named(w.manifest)} ${how} the "default" ServiceAccount of namespace "${w.namespace}"`,
      };
    }
  },
};

const sharedServiceAccount: Rule = {
  meta: {
    id: 'rbac-shared-service-account',
    category: 'rbac',
    severity: 'warning',
    title: 'Each app has its own service account',
    why:
      'A service account shared by several apps holds the union of their permissions, so a break-in ' +
      'to the least important one gets what the most powerful one needs. Apps are told apart by ' +
      'their app.kubernetes.io/name (or app) label, else by workload name.',
    fix: 'Give each app its own ServiceAccount and bind to it only the roles that app needs.',
    example: {
      bad: [
        exampleDeployment({ name: 'web', podSpec: ['serviceAccountName: backend'] }),
        exampleDeployment({ name: 'worker', podSpec: ['serviceAccountName: backend'] }),
      ].join('\n---\n'),
      good: [
        exampleDeployment({ name: 'web', podSpec: ['serviceAccountName: web'] }),
        exampleDeployment({ name: 'worker', podSpec: ['serviceAccountName: worker'] }),
      ].join('\n---\n'),
      line: 10,
    },
    appliesTo:
      'Workloads that run as the same ServiceAccount (other than default) in one namespace, told apart by app (the app.kubernetes.io/name, app or k8s-app label, else the workload name).',
  },
  *check({ index }) {
    for (const users of accountUsers(index).byAccount.values()) {
      const account = serviceAccountOf(users[0].template).name;
      if (account === 'default') continue; // the default account has its own rule
      const byApp = new Map<string, WorkloadInfo[]>();
      for (const w of users) pushTo(byApp, appNameOf(w), w);
      if (byApp.size < 2) continue;
      for (const [app, own] of byApp) {
        const others = otherApps(byApp, app);
        for (const w of own) {
          yield {
            manifest: w.manifest,
            path: serviceAccountOf(w.template).path,
            message: `${named(w.manifest)} shares ServiceAccount "${account}" with ${namedList(others.first, 3, others.total)} of another app`,
          };
        }
      }
    }
  },
};

/** The first few workloads of the other apps (enough for a message) and how many there are. */
function otherApps(byApp: Map<string, WorkloadInfo[]>, app: string): { first: Manifest[]; total: number } {
  const first: Manifest[] = [];
  let total = 0;
  for (const list of byApp.values()) total += list.length;
  total -= byApp.get(app)?.length ?? 0;
  for (const [other, list] of byApp) {
    if (first.length >= 3) break;
    if (other !== app) for (const w of list.slice(0, 3 - first.length)) first.push(w.manifest);
  }
  return { first, total };
}

/** ServiceAccount objects by namespace and name. */
function serviceAccounts(index: ObjectIndex): Map<string, Manifest> {
  return memo(index, 'rbac:service-accounts', () => {
    const out = new Map<string, Manifest>();
    for (const sa of index.kind('ServiceAccount')) {
      out.set(`${index.namespaceOf(sa)}\u0000${sa.object.metadata.name ?? ''}`, sa);
    }
    return out;
  });
}

/**
 * Is an API token mounted into the pods? The pod spec decides when it says; otherwise the
 * ServiceAccount object does; otherwise Kubernetes mounts one.
 */
function mountsToken(index: ObjectIndex, w: WorkloadInfo, account: string): boolean {
  const own = w.template.spec.automountServiceAccountToken;
  if (typeof own === 'boolean') return own;
  const sa = serviceAccounts(index).get(`${w.namespace}\u0000${account}`);
  const fromAccount = sa?.object.automountServiceAccountToken;
  return typeof fromAccount === 'boolean' ? fromAccount : true;
}

const automountToken: Rule = {
  meta: {
    id: 'rbac-automount-token',
    category: 'rbac',
    severity: 'warning',
    title: 'Pods do not mount an API token they do not need',
    why:
      'A mounted service account token is the first thing an attacker looks for after breaking ' +
      'into a container. When no RoleBinding or ClusterRoleBinding gives the account anything, ' +
      'the app does not talk to the Kubernetes API and the token is pure risk.',
    fix:
      'Set automountServiceAccountToken: false in the pod spec (or on the ServiceAccount), or bind ' +
      'the role the app needs if it does use the API.',
    example: {
      bad: exampleDeployment({ podSpec: ['serviceAccountName: web'] }),
      good: exampleDeployment({
        podSpec: ['serviceAccountName: web', 'automountServiceAccountToken: false'],
      }),
      line: 9,
    },
    appliesTo:
      'Every workload kind whose pods mount a token (the pod spec decides, else the ServiceAccount) for an account that no binding in the set grants anything. Bindings outside the set are not seen.',
  },
  *check({ index }) {
    const lookup = bindingLookup(index);
    for (const w of workloadInfos(index)) {
      const account = serviceAccountOf(w.template).name;
      if (!mountsToken(index, w, account)) continue;
      if (lookup.forAccount(w.namespace, account).length > 0) continue;
      const path: PathSegment[] = [...w.template.specPath, 'automountServiceAccountToken'];
      yield {
        manifest: w.manifest,
        path,
        message: `${named(w.manifest)} mounts a token for ServiceAccount "${account}", which no RoleBinding or ClusterRoleBinding grants anything`,
      };
    }
  },
};

const serviceAccountMissing: Rule = {
  meta: {
    id: 'rbac-service-account-missing',
    category: 'rbac',
    severity: 'error',
    title: 'Workloads run as a ServiceAccount that exists',
    why:
      'The API server refuses to create a pod whose service account does not exist: a Deployment ' +
      'with a misspelled serviceAccountName rolls out no pods at all, and says so only in its ' +
      "ReplicaSet's events.",
    fix: 'Name a ServiceAccount the set defines in the namespace, or add it.',
    example: {
      bad: `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n---\n${exampleDeployment({ podSpec: ['serviceAccountName: wbe'] })}`,
      good: `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n---\n${exampleDeployment({ podSpec: ['serviceAccountName: web'] })}`,
      line: 14,
    },
    appliesTo:
      'Workloads that name a ServiceAccount other than `default`, in namespaces where the set defines ' +
      'ServiceAccounts (elsewhere the account may come from another source).',
  },
  *check({ index }) {
    for (const w of workloadInfos(index)) {
      const account = serviceAccountOf(w.template);
      if (!account.explicit || account.name === 'default') continue;
      const defined = namesIn(index, 'ServiceAccount', w.namespace);
      if (defined.size === 0 || defined.has(account.name)) continue;
      yield {
        manifest: w.manifest,
        path: account.path,
        message: `${named(w.manifest)} runs as ServiceAccount "${account.name}", which the set does not define in namespace "${w.namespace}"${suggest(account.name, defined)}: no pod can be created`,
      };
    }
  },
};

export const rules: Rule[] = [
  clusterAdmin,
  wildcardBinding,
  secretsClusterWide,
  escalationVerbs,
  podsExec,
  defaultServiceAccount,
  sharedServiceAccount,
  automountToken,
  serviceAccountMissing,
];
