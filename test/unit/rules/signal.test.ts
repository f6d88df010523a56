import { describe, expect, it } from 'vitest';
import { check } from './helpers.js';

/**
 * The noise that production-grade charts drew from the first checklist, reproduced in a small
 * set of our own: a controller that serves only metrics, roles that give one account secret access
 * in pieces, install hooks and test pods, a Redis cache, a "full" health check, a namespace the
 * chart installs into but does not own. Each object below is otherwise production-ready, so the
 * findings left are exactly the ones a maintainer acts on.
 */

const DIGEST = `sha256:${'5e'.repeat(32)}`;
const hardened = `
              securityContext:
                runAsNonRoot: true
                runAsUser: 10001
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities: { drop: [ALL] }
                seccompProfile: { type: RuntimeDefault }
              resources:
                requests: { cpu: 100m, memory: 128Mi, ephemeral-storage: 64Mi }
                limits: { cpu: 500m, memory: 128Mi, ephemeral-storage: 256Mi }`;

function workload(kind: string, name: string, container: string, extra = { meta: '', spec: '', pod: '' }) {
  return `
    apiVersion: ${kind === 'Job' ? 'batch/v1' : 'apps/v1'}
    kind: ${kind}
    metadata:
      name: ${name}
      namespace: certs${extra.meta}
    spec:${extra.spec}
      selector: { matchLabels: { app: ${name} } }
      template:
        metadata:
          labels: { app: ${name} }
          annotations: { prometheus.io/scrape: "true" }
        spec:
          serviceAccountName: ${name}
          automountServiceAccountToken: false${extra.pod}
          containers:
            - name: ${name}
              image: ghcr.io/acme/${name}:1.2.0@${DIGEST}${hardened}
${container}
    `;
}

const replicated = (name: string) => ({
  meta: '',
  spec: '\n      replicas: 2',
  pod: `
          topologySpreadConstraints:
            - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: ${name} } } }`,
});

const accounts = ['controller', 'webhook', 'startupapicheck', 'cache', 'webhook-test']
  .map((n) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${n}, namespace: certs }\n`)
  .join('---\n');

const secretReaders = ['issuers', 'certificates', 'orders']
  .map(
    (n) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: controller-${n} }
rules: [{ apiGroups: [""], resources: [secrets], verbs: [get, list, watch] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: controller-${n} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: controller-${n} }
subjects: [{ kind: ServiceAccount, name: controller, namespace: certs }]
`,
  )
  .join('---\n');

const guards = ['controller', 'webhook', 'cache']
  .map(
    (n) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${n}, namespace: certs }
spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: AlwaysAllow, selector: { matchLabels: { app: ${n} } } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${n}, namespace: certs }
spec: { podSelector: { matchLabels: { app: ${n} } }, ingress: [{ from: [{ podSelector: {} }] }] }
`,
  )
  .join('---\n');

const services = `apiVersion: v1
kind: Service
metadata: { name: controller-metrics, namespace: certs }
spec:
  selector: { app: controller }
  ports: [{ name: tcp-prometheus-servicemonitor, port: 9402, targetPort: http-metrics }]
---
apiVersion: v1
kind: Service
metadata: { name: webhook, namespace: certs }
spec:
  selector: { app: webhook }
  ports: [{ name: https, port: 443, targetPort: https }]
---
apiVersion: v1
kind: Service
metadata: { name: cache, namespace: certs }
spec:
  selector: { app: cache }
  ports: [{ name: redis, port: 6379, targetPort: redis }]
`;

const controller = workload(
  'Deployment',
  'controller',
  `              ports: [{ name: http-metrics, containerPort: 9402 }, { name: healthz, containerPort: 9403 }]
              livenessProbe: { httpGet: { path: /livez, port: healthz } }`,
  replicated('controller'),
);

const webhook = workload(
  'Deployment',
  'webhook',
  `              ports: [{ name: https, containerPort: 10250 }, { name: healthz, containerPort: 6080 }]
              readinessProbe: { httpGet: { path: /healthz, port: healthz } }
              livenessProbe: { httpGet: { path: "/healthz?full=true", port: healthz }, periodSeconds: 20 }
              lifecycle: { preStop: { sleep: { seconds: 5 } } }`,
  replicated('webhook'),
);

const cache = workload(
  'Deployment',
  'cache',
  `              args: [--save, "", --appendonly, "no"]
              ports: [{ name: redis, containerPort: 6379 }]
              readinessProbe: { tcpSocket: { port: redis } }
              livenessProbe: { exec: { command: [redis-cli, ping] } }
              lifecycle: { preStop: { sleep: { seconds: 5 } } }`,
  replicated('cache'),
).replace(`ghcr.io/acme/cache:1.2.0`, 'docker.io/library/redis:7.4.1');

const hook = workload('Job', 'startupapicheck', '              args: [check, api, --wait=1m]', {
  meta: '\n      annotations: { helm.sh/hook: post-install }',
  spec: '',
  pod: '\n          restartPolicy: OnFailure',
}).replace('      selector: { matchLabels: { app: startupapicheck } }\n', '');

const testPod = `apiVersion: v1
kind: Pod
metadata:
  name: webhook-test
  namespace: certs
  annotations: { helm.sh/hook: test }
spec:
  serviceAccountName: webhook-test
  automountServiceAccountToken: false
  containers:
    - name: wget
      image: docker.io/library/busybox:1.36@${DIGEST}
      args: [wget, -qO-, "https://webhook.certs:443/healthz"]${hardened.replace(/^ {8}/gm, '')}
`;

const set = [accounts, secretReaders, guards, services, controller, webhook, cache, hook, testPod]
  .map((d) => d.replace(/^\n/, '').replace(/\n\s*$/, '\n'))
  .join('---\n');

describe('signal on a chart-shaped set', () => {
  it('leaves only the findings a maintainer acts on', () => {
    const serious = check(set)
      .filter((f) => f.severity !== 'info')
      .map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name}`);
    expect(serious).toEqual(['rbac-secrets-cluster-wide ClusterRole/controller-issuers']);
  });

  it('says what it did not check in the namespace it does not own, once', () => {
    const notes = check(set).filter((f) => f.severity === 'info');
    expect(notes.map((f) => f.ruleId)).toEqual(['resources-namespace-quota-missing']);
    expect(notes[0].message).toMatch(/^namespace "certs" .* does not own the namespace/);
  });
});
