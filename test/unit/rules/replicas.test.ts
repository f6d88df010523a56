import { describe, expect, it } from 'vitest';
import { check, dedent, lineOf } from './helpers.js';

/** A Deployment with the given replicas and pod labels, optionally in a namespace. */
function deployment(name: string, replicas: number | undefined, labels = `app: ${name}`, namespace?: string) {
  const flow = `{${labels
    .split('\n')
    .map((l) => l.trim())
    .join(', ')}}`;
  return `
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ${name}${namespace ? `\n      namespace: ${namespace}` : ''}
    spec:${replicas === undefined ? '' : `\n      replicas: ${replicas}`}
      selector:
        matchLabels: ${flow}
      template:
        metadata:
          labels: ${flow}
        spec:
          containers:
            - name: app
              image: web:1.0
    `;
}

function pdb(name: string, spec: string, namespace?: string) {
  return `
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata:
      name: ${name}${namespace ? `\n      namespace: ${namespace}` : ''}
    spec:
      ${spec.trim().split('\n').join('\n      ')}
    `;
}

function hpa(target: string, minReplicas: number | undefined) {
  return `
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: ${target}
    spec:
      scaleTargetRef:
        apiVersion: apps/v1
        kind: Deployment
        name: ${target}${minReplicas === undefined ? '' : `\n      minReplicas: ${minReplicas}`}
      maxReplicas: 10
    `;
}

/** Several documents in one file, each written with its own indentation. */
const docs = (...parts: string[]) => parts.map((p) => dedent(p).replace(/\n\s*$/, '\n')).join('---\n');

describe('replicas-minimum', () => {
  it('flags a Deployment with one replica, on spec.replicas', () => {
    const yaml = deployment('web', 1);
    const [f, ...rest] = check(yaml, 'replicas-minimum');
    expect(rest).toEqual([]);
    expect(f.message).toBe('Deployment "web" runs 1 replica; one node drain or crash takes it down');
    expect(f.path).toBe('spec.replicas');
    expect(f.location.line).toBe(lineOf(yaml, 'replicas: 1'));
  });

  it('flags an absent replicas field (it defaults to 1) on the nearest parent, spec', () => {
    const yaml = deployment('web', undefined);
    const [f] = check(yaml, 'replicas-minimum');
    expect(f.path).toBe('spec.replicas');
    expect(f.location.line).toBe(lineOf(yaml, 'spec:'));
  });

  it('passes two replicas, a scale to zero, and kinds without replicas', () => {
    const daemonSet = deployment('agent', undefined).replace('kind: Deployment', 'kind: DaemonSet');
    const job = `
      apiVersion: batch/v1
      kind: Job
      metadata: {name: migrate}
      spec:
        template:
          spec:
            containers: [{name: m, image: m:1}]
      `;
    expect(
      check(docs(deployment('web', 2), deployment('parked', 0), daemonSet, job), 'replicas-minimum'),
    ).toEqual([]);
  });

  it('leaves the count to an HPA that scales the workload', () => {
    expect(check(docs(deployment('web', 1), hpa('web', 3)), 'replicas-minimum')).toEqual([]);
  });

  it('does not take an HPA in another namespace into account', () => {
    const yaml = docs(
      deployment('web', 1),
      hpa('web', 3).replace('name: web\n', 'name: web\n      namespace: other\n'),
    );
    expect(check(yaml, 'replicas-minimum')).toHaveLength(1);
  });
});

describe('replicas-hpa-min-replicas', () => {
  it('flags minReplicas below 2 on the field', () => {
    const yaml = docs(deployment('web', 3), hpa('web', 1));
    const [f, ...rest] = check(yaml, 'replicas-hpa-min-replicas');
    expect(rest).toEqual([]);
    expect(f.message).toBe('HorizontalPodAutoscaler "web" lets Deployment "web" scale down to 1 replica');
    expect(f.object.kind).toBe('HorizontalPodAutoscaler');
    expect(f.location.line).toBe(lineOf(yaml, 'minReplicas: 1'));
  });

  it('flags an absent minReplicas (default 1) on spec', () => {
    const yaml = hpa('web', undefined);
    const [f] = check(yaml, 'replicas-hpa-min-replicas');
    expect(f.location.line).toBe(lineOf(yaml, 'spec:'));
  });

  it('passes minReplicas 2', () => {
    expect(check(hpa('web', 2), 'replicas-hpa-min-replicas')).toEqual([]);
  });
});

describe('replicas-pdb-missing', () => {
  it('flags a multi-replica Deployment that no PDB selects, on its metadata', () => {
    const yaml = docs(
      deployment('web', 3),
      pdb('other', 'maxUnavailable: 1\nselector:\n  matchLabels: {app: api}'),
    );
    const [f, ...rest] = check(yaml, 'replicas-pdb-missing');
    expect(rest).toEqual([]);
    expect(f.message).toBe(
      'Deployment "web" has no PodDisruptionBudget selecting its pods in namespace "default"',
    );
    expect(f.location.line).toBe(lineOf(yaml, 'metadata:'));
  });

  it('passes when a PDB in the same namespace selects the pod labels', () => {
    const yaml = docs(
      deployment('web', 3, 'app: web\ntier: front'),
      pdb('web', 'maxUnavailable: 1\nselector:\n  matchLabels: {app: web}'),
    );
    expect(check(yaml, 'replicas-pdb-missing')).toEqual([]);
  });

  it('does not count a PDB in another namespace', () => {
    const yaml = docs(
      deployment('web', 3, 'app: web', 'shop'),
      pdb('web', 'maxUnavailable: 1\nselector:\n  matchLabels: {app: web}', 'billing'),
    );
    const findings = check(yaml, 'replicas-pdb-missing');
    expect(findings.map((f) => f.message)).toEqual([
      'Deployment "web" has no PodDisruptionBudget selecting its pods in namespace "shop"',
    ]);
  });

  it('treats objects without a namespace as in the default namespace', () => {
    const yaml = docs(
      deployment('web', 3, 'app: web', 'default'),
      pdb('web', 'maxUnavailable: 1\nselector:\n  matchLabels: {app: web}'),
    );
    expect(check(yaml, 'replicas-pdb-missing')).toEqual([]);
    expect(check(yaml, 'replicas-pdb-missing', { defaultNamespace: 'shop' })).toHaveLength(1);
  });

  it('matches selectors with matchExpressions', () => {
    const selecting = pdb(
      'web',
      'maxUnavailable: 1\nselector:\n  matchExpressions:\n    - {key: app, operator: In, values: [api, web]}\n    - {key: canary, operator: DoesNotExist}',
    );
    expect(check(docs(deployment('web', 3), selecting), 'replicas-pdb-missing')).toEqual([]);
    const excluding = selecting.replace('DoesNotExist', 'Exists');
    expect(check(docs(deployment('web', 3), excluding), 'replicas-pdb-missing')).toHaveLength(1);
  });

  it('wants a PDB once an HPA keeps two or more replicas, and not for single replicas', () => {
    expect(check(docs(deployment('web', 1), hpa('web', 2)), 'replicas-pdb-missing')).toHaveLength(1);
    expect(check(deployment('web', 1), 'replicas-pdb-missing')).toEqual([]);
    expect(check(docs(deployment('web', 5), hpa('web', 1)), 'replicas-pdb-missing')).toEqual([]);
  });
});

describe('replicas-pdb-blocks-drain', () => {
  const rule = 'replicas-pdb-blocks-drain';
  const sel = 'selector:\n  matchLabels: {app: web}';

  it('flags a budget with neither maxUnavailable nor minAvailable (it allows no eviction)', () => {
    const yaml = docs(deployment('web', 3), pdb('web', sel));
    expect(check(yaml, rule).map((f) => [f.message, f.location.line])).toEqual([
      [
        'PodDisruptionBudget "web" sets neither maxUnavailable nor minAvailable, so it allows no eviction and no node running its pods can be drained',
        lineOf(yaml, 'spec:', 3),
      ],
    ]);
  });

  it('flags maxUnavailable 0 and 0%', () => {
    for (const value of ['0', '"0%"']) {
      const yaml = docs(deployment('web', 3), pdb('web', `maxUnavailable: ${value}\n${sel}`));
      const [f, ...rest] = check(yaml, rule);
      expect(rest).toEqual([]);
      expect(f.message).toBe(
        'PodDisruptionBudget "web" allows no pod to be unavailable, so no node running its pods can be drained',
      );
      expect(f.location.line).toBe(lineOf(yaml, 'maxUnavailable:'));
    }
  });

  it('flags minAvailable 100%', () => {
    const yaml = docs(deployment('web', 3), pdb('web', `minAvailable: 100%\n${sel}`));
    const [f] = check(yaml, rule);
    expect(f.path).toBe('spec.minAvailable');
    expect(f.location.line).toBe(lineOf(yaml, 'minAvailable:'));
  });

  it('flags minAvailable as large as the replica count', () => {
    const yaml = docs(deployment('web', 3), pdb('web', `minAvailable: 3\n${sel}`));
    const [f] = check(yaml, rule);
    expect(f.message).toBe(
      'PodDisruptionBudget "web" requires 3 of the 3 pods of Deployment "web" available, so no node can be drained',
    );
  });

  it('rounds a minAvailable percentage up, as Kubernetes does', () => {
    expect(check(docs(deployment('web', 2), pdb('web', `minAvailable: 60%\n${sel}`)), rule)).toHaveLength(1);
    expect(check(docs(deployment('web', 3), pdb('web', `minAvailable: 60%\n${sel}`)), rule)).toEqual([]);
  });

  it('counts an HPA minReplicas instead of spec.replicas', () => {
    expect(
      check(docs(deployment('web', 5), hpa('web', 2), pdb('web', `minAvailable: 2\n${sel}`)), rule),
    ).toHaveLength(1);
    expect(
      check(docs(deployment('web', 1), hpa('web', 3), pdb('web', `minAvailable: 2\n${sel}`)), rule),
    ).toEqual([]);
  });

  it('passes maxUnavailable 1 and a minAvailable below the replica count', () => {
    expect(check(docs(deployment('web', 3), pdb('web', `maxUnavailable: 1\n${sel}`)), rule)).toEqual([]);
    expect(check(docs(deployment('web', 3), pdb('web', `minAvailable: 2\n${sel}`)), rule)).toEqual([]);
  });
});

describe('replicas-pdb-selects-nothing', () => {
  const rule = 'replicas-pdb-selects-nothing';

  it('flags a PDB whose selector matches no pods, on the selector', () => {
    const yaml = docs(
      deployment('web', 3),
      pdb('web', 'maxUnavailable: 1\nselector:\n  matchLabels: {app: web-v1}'),
    );
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe('PodDisruptionBudget "web" selects no pods in namespace "default"');
    expect(f.location.line).toBe(lineOf(yaml, 'selector:', 2));
  });

  it('flags a PDB whose pods live in another namespace', () => {
    const yaml = docs(
      deployment('web', 3, 'app: web', 'shop'),
      pdb('web', 'maxUnavailable: 1\nselector:\n  matchLabels: {app: web}', 'billing'),
    );
    expect(check(yaml, rule).map((f) => f.message)).toEqual([
      'PodDisruptionBudget "web" selects no pods in namespace "billing"',
    ]);
  });

  it('flags a PDB without a selector, and passes an empty policy/v1 selector (every pod)', () => {
    expect(check(docs(deployment('web', 3), pdb('web', 'maxUnavailable: 1')), rule)).toHaveLength(1);
    expect(check(docs(deployment('web', 3), pdb('web', 'maxUnavailable: 1\nselector: {}')), rule)).toEqual(
      [],
    );
  });

  it('passes a PDB that selects the pods', () => {
    const yaml = docs(
      deployment('web', 3),
      pdb('web', 'maxUnavailable: 1\nselector:\n  matchLabels: {app: web}'),
    );
    expect(check(yaml, rule)).toEqual([]);
  });
});

describe('replicas-spread', () => {
  const rule = 'replicas-spread';

  it('flags a multi-replica workload with nothing spreading it, on the pod spec', () => {
    const yaml = deployment('web', 3);
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect(f.message).toBe(
      'Deployment "web" runs 3 replicas with nothing spreading them across nodes or zones',
    );
    expect(f.path).toBe('spec.template.spec.topologySpreadConstraints');
    expect(f.location.line).toBe(lineOf(yaml, 'spec:', 2));
  });

  it('passes a zone spread constraint that selects its own pods', () => {
    const spreadBy = (app: string) =>
      deployment('web', 3).replace(
        '          containers:',
        [
          '          topologySpreadConstraints:',
          '            - maxSkew: 1',
          '              topologyKey: topology.kubernetes.io/zone',
          '              whenUnsatisfiable: ScheduleAnyway',
          '              labelSelector:',
          `                matchLabels: {app: ${app}}`,
          '          containers:',
        ].join('\n'),
      );
    expect(check(spreadBy('web'), rule)).toEqual([]);
    // A constraint whose selector matches other pods spreads nothing of ours.
    expect(check(spreadBy('api'), rule)).toHaveLength(1);
  });

  it('passes a preferred pod anti-affinity on the hostname', () => {
    const yaml = deployment('web', 3).replace(
      '          containers:',
      [
        '          affinity:',
        '            podAntiAffinity:',
        '              preferredDuringSchedulingIgnoredDuringExecution:',
        '                - weight: 100',
        '                  podAffinityTerm:',
        '                    topologyKey: kubernetes.io/hostname',
        '                    labelSelector:',
        '                      matchExpressions: [{key: app, operator: In, values: [web]}]',
        '          containers:',
      ].join('\n'),
    );
    expect(check(yaml, rule)).toEqual([]);
  });

  it('counts an anti-affinity term only when its namespaces can include the workload own', () => {
    const antiAffinity = (namespaces: string) =>
      deployment('web', 3, 'app: web', 'shop').replace(
        '          containers:',
        [
          '          affinity:',
          '            podAntiAffinity:',
          '              requiredDuringSchedulingIgnoredDuringExecution:',
          '                - topologyKey: kubernetes.io/hostname',
          '                  labelSelector: {matchLabels: {app: web}}',
          ...(namespaces ? [`                  ${namespaces}`] : []),
          '          containers:',
        ].join('\n'),
      );
    const spreads = (namespaces: string, ...extra: string[]) =>
      check(docs(antiAffinity(namespaces), ...extra), rule).length === 0;
    expect(spreads('')).toBe(true);
    expect(spreads('namespaces: [shop, billing]')).toBe(true);
    expect(spreads('namespaceSelector: {}')).toBe(true);
    expect(spreads('namespaces: [billing]')).toBe(false);
    expect(spreads('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: billing}}')).toBe(false);
    // Labels the set cannot see may match; with the Namespace object they are known.
    expect(spreads('namespaceSelector: {matchLabels: {team: payments}}')).toBe(true);
    const namespace = (labels: string) =>
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {${labels}}}\n`;
    expect(spreads('namespaceSelector: {matchLabels: {team: payments}}', namespace('team: shop'))).toBe(
      false,
    );
    expect(spreads('namespaceSelector: {matchLabels: {team: payments}}', namespace('team: payments'))).toBe(
      true,
    );
  });

  it('passes single replicas', () => {
    expect(check(deployment('web', 1), rule)).toEqual([]);
  });
});

describe('replicas-hpa-target-missing', () => {
  const rule = 'replicas-hpa-target-missing';

  it('flags an HPA whose target the set does not define, on the target name', () => {
    const yaml = docs(deployment('web', undefined), hpa('wbe', 2));
    const [f, ...rest] = check(yaml, rule);
    expect(rest).toEqual([]);
    expect([f.message, f.severity, f.location.line]).toEqual([
      'HorizontalPodAutoscaler "wbe" scales Deployment "wbe", which the set does not define in namespace "default" (did you mean "web"?)',
      'error',
      lineOf(yaml, 'name: wbe', 2),
    ]);
  });

  it('passes an existing target, and says nothing where the set defines no object of that kind', () => {
    expect(check(docs(deployment('web', undefined), hpa('web', 2)), rule)).toEqual([]);
    expect(check(hpa('web', 2), rule)).toEqual([]);
    expect(check(docs(deployment('web', undefined, 'app: web', 'shop'), hpa('web', 2)), rule)).toEqual([]);
  });
});

describe('replicas-hpa-static-replicas', () => {
  const rule = 'replicas-hpa-static-replicas';

  it('flags spec.replicas on a workload an HPA scales, on the field', () => {
    const yaml = docs(deployment('web', 3), hpa('web', 3));
    expect(check(yaml, rule).map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [
        'Deployment "web" sets spec.replicas: 3, but HorizontalPodAutoscaler "web" scales it: every apply or sync resets the count to 3',
        lineOf(yaml, 'replicas: 3'),
        'warning',
      ],
    ]);
  });

  it('passes a workload the HPA alone sizes, and static replicas without an HPA', () => {
    expect(check(docs(deployment('web', undefined), hpa('web', 3)), rule)).toEqual([]);
    expect(check(deployment('web', 3), rule)).toEqual([]);
  });
});

describe('replicas-pdb-unhealthy-eviction', () => {
  const rule = 'replicas-pdb-unhealthy-eviction';

  it('flags a policy/v1 PDB that does not set unhealthyPodEvictionPolicy', () => {
    const yaml = pdb('web', 'maxUnavailable: 1\nselector: {matchLabels: {app: web}}');
    expect(check(yaml, rule).map((f) => [f.message, f.path, f.location.line])).toEqual([
      [
        'PodDisruptionBudget "web" does not set unhealthyPodEvictionPolicy, so pods that are not ready block node drains',
        'spec.unhealthyPodEvictionPolicy',
        lineOf(yaml, 'spec:'),
      ],
    ]);
  });

  it('passes AlwaysAllow, and an explicit IfHealthyBudget (a choice)', () => {
    for (const policy of ['AlwaysAllow', 'IfHealthyBudget']) {
      const yaml = pdb('web', `maxUnavailable: 1\nunhealthyPodEvictionPolicy: ${policy}`);
      expect(check(yaml, rule)).toEqual([]);
    }
  });
});
