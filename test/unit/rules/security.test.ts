import { describe, expect, it } from 'vitest';
import { check, lineOf } from './helpers.js';

const SECURITY_RULES = [
  'security-run-as-root',
  'security-privilege-escalation',
  'security-privileged',
  'security-capabilities-not-dropped',
  'security-dangerous-capabilities',
  'security-root-filesystem-writable',
  'security-seccomp-missing',
  'security-host-namespaces',
  'security-host-path',
];

const PSS_RULES = [
  'security-unsafe-sysctls',
  'security-proc-mount',
  'security-host-port',
  'security-run-as-root-group',
  'security-apparmor-unconfined',
  'security-selinux-custom',
  'security-windows-host-process',
];

const hardened = `
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: api }
  spec:
    template:
      spec:
        securityContext:
          runAsNonRoot: true
          seccompProfile: { type: RuntimeDefault }
        initContainers:
          - name: migrate
            securityContext:
              allowPrivilegeEscalation: false
              readOnlyRootFilesystem: true
              capabilities: { drop: [ALL] }
        containers:
          - name: app
            securityContext:
              runAsUser: 10001
              allowPrivilegeEscalation: false
              readOnlyRootFilesystem: true
              capabilities:
                drop: [ALL]
                add: [NET_BIND_SERVICE]
        volumes:
          - name: tmp
            emptyDir: {}
`;

/** A pod with one container whose securityContext is given, plus pod-level settings. */
function pod(containerSecurity: string, podSpec = '') {
  return `
    apiVersion: v1
    kind: Pod
    metadata: { name: p }
    spec:
${podSpec}
      containers:
        - name: app
          image: acme/app:1
          securityContext:
${containerSecurity}
  `;
}

describe('security rules', () => {
  it('pass a hardened workload', () => {
    expect(check(hardened, SECURITY_RULES)).toEqual([]);
  });

  it('report a bare container once: one finding for its security context, naming each gap and its fix', () => {
    const yaml = `
      apiVersion: batch/v1
      kind: Job
      metadata: { name: once }
      spec:
        template:
          spec:
            containers:
              - name: task
                image: acme/task:1
    `;
    const findings = check(yaml, SECURITY_RULES);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.ruleId).toBe('security-run-as-root');
    expect(f.severity).toBe('error');
    expect(f.location.line).toBe(lineOf(yaml, '- name: task'));
    expect(f.message).toBe(
      'container "task" may run as root: neither runAsNonRoot nor a non-root runAsUser is set; also: ' +
        'no allowPrivilegeEscalation: false (security-privilege-escalation); ' +
        'no capabilities.drop: [ALL] (security-capabilities-not-dropped); ' +
        'no readOnlyRootFilesystem: true (security-root-filesystem-writable); ' +
        'no seccomp profile (security-seccomp-missing)',
    );
    for (const setting of [
      'runAsNonRoot: true',
      'allowPrivilegeEscalation: false',
      'capabilities.drop: [ALL]',
      'readOnlyRootFilesystem: true',
      'seccompProfile.type: RuntimeDefault',
    ])
      expect(f.remediation).toContain(setting);
  });

  it('keep each container of a pod a finding of its own', () => {
    const yaml = `
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec:
        initContainers:
          - name: init
            image: acme/init:1
        containers:
          - name: app
            image: acme/app:1
    `;
    const findings = check(yaml, SECURITY_RULES);
    expect(findings.map((f) => [f.ruleId, f.location.line])).toEqual([
      ['security-run-as-root', lineOf(yaml, '- name: init')],
      ['security-run-as-root', lineOf(yaml, '- name: app')],
    ]);
  });

  it('keep a setting written with the wrong value a finding of its own, on its line', () => {
    const yaml = pod('            readOnlyRootFilesystem: false\n            allowPrivilegeEscalation: true');
    const findings = check(yaml, SECURITY_RULES);
    const at = (id: string) => findings.find((f) => f.ruleId === id)?.location.line;
    expect(at('security-root-filesystem-writable')).toBe(lineOf(yaml, 'readOnlyRootFilesystem: false'));
    expect(at('security-privilege-escalation')).toBe(lineOf(yaml, 'allowPrivilegeEscalation: true'));
    // What is not written at all is still one finding, on the securityContext line.
    const unset = findings.filter((f) => f.location.line === lineOf(yaml, 'securityContext:'));
    expect(unset.map((f) => f.ruleId)).toEqual(['security-run-as-root']);
    expect(unset[0].message).toContain(
      'also: no capabilities.drop: [ALL] (security-capabilities-not-dropped)',
    );
    expect(findings).toHaveLength(3);
  });

  it('lets a suppression drop one gap of a bare container and leave the others', () => {
    const yaml = `
      apiVersion: v1
      kind: Pod
      metadata:
        name: p
        annotations:
          shipshape.io/ignore.security-run-as-root: "the image's USER is 10001"
      spec:
        containers:
          - name: app
            image: acme/app:1
    `;
    const findings = check(yaml, SECURITY_RULES);
    const merged = findings.find((f) => f.ruleId === 'security-privilege-escalation');
    expect(merged?.message).toContain(
      'also: no capabilities.drop: [ALL] (security-capabilities-not-dropped)',
    );
    expect(merged?.message).not.toContain('runAsNonRoot');
    // The suppressed violation stays on its own, so that the suppression (applied after) drops exactly it.
    expect(findings.map((f) => f.ruleId).sort()).toEqual([
      'security-privilege-escalation',
      'security-run-as-root',
    ]);
  });
});

describe('security-run-as-root', () => {
  it('reports runAsUser 0 where it is set, even at pod level', () => {
    const yaml = pod(
      '            allowPrivilegeEscalation: false',
      '      securityContext:\n        runAsUser: 0',
    );
    const findings = check(yaml, 'security-run-as-root');
    expect(findings.map((f) => [f.message, f.location.line, f.path])).toEqual([
      [
        'container "app" runs as root (runAsUser: 0)',
        lineOf(yaml, 'runAsUser: 0'),
        'spec.securityContext.runAsUser',
      ],
    ]);
  });

  it('lets the container override the pod, as Kubernetes does', () => {
    const overridden = pod('            runAsUser: 1000', '      securityContext:\n        runAsUser: 0');
    expect(check(overridden, 'security-run-as-root')).toEqual([]);
    const yaml = pod('            runAsNonRoot: false', '      securityContext:\n        runAsNonRoot: true');
    const findings = check(yaml, 'security-run-as-root');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      [
        'container "app" sets runAsNonRoot: false and no non-root runAsUser',
        lineOf(yaml, 'runAsNonRoot: false'),
      ],
    ]);
  });
});

describe('container-level settings', () => {
  it('security-privilege-escalation: explicit true', () => {
    const yaml = pod('            allowPrivilegeEscalation: true');
    const [f] = check(yaml, 'security-privilege-escalation');
    expect([f.message, f.location.line]).toEqual([
      'container "app" allows privilege escalation',
      lineOf(yaml, 'allowPrivilegeEscalation'),
    ]);
  });

  it('security-privilege-escalation: not asked of privileged or SYS_ADMIN containers, which the API would refuse', () => {
    expect(check(pod('            privileged: true'), 'security-privilege-escalation')).toEqual([]);
    expect(
      check(pod('            capabilities: { add: [CAP_SYS_ADMIN] }'), 'security-privilege-escalation'),
    ).toEqual([]);
  });

  it('security-privileged', () => {
    const yaml = pod('            privileged: true');
    const findings = check(yaml, 'security-privileged');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      ['container "app" is privileged', lineOf(yaml, 'privileged: true'), 'error'],
    ]);
    expect(check(pod('            privileged: false'), 'security-privileged')).toEqual([]);
  });

  it('security-capabilities-not-dropped: a partial drop list', () => {
    const yaml = pod('            capabilities:\n              drop: [NET_RAW]');
    const [f] = check(yaml, 'security-capabilities-not-dropped');
    expect([f.message, f.location.line]).toEqual([
      'container "app" does not drop ALL capabilities',
      lineOf(yaml, 'drop:'),
    ]);
    expect(
      check(pod('            capabilities:\n              drop: [all]'), 'security-capabilities-not-dropped'),
    ).toEqual([]);
  });

  it('security-dangerous-capabilities: each dangerous add, at its list item', () => {
    const yaml = pod(
      '            capabilities:\n              drop: [ALL]\n              add:\n                - NET_BIND_SERVICE\n                - CAP_SYS_ADMIN',
    );
    const findings = check(yaml, 'security-dangerous-capabilities');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      ['container "app" adds the SYS_ADMIN capability', lineOf(yaml, 'CAP_SYS_ADMIN')],
    ]);
  });

  it('security-root-filesystem-writable', () => {
    const yaml = pod('            readOnlyRootFilesystem: false');
    const [f] = check(yaml, 'security-root-filesystem-writable');
    expect([f.message, f.location.line, f.severity]).toEqual([
      'container "app" has a writable root filesystem',
      lineOf(yaml, 'readOnlyRootFilesystem'),
      'warning',
    ]);
  });

  it('security-seccomp-missing: an Unconfined container overrides a RuntimeDefault pod', () => {
    const yaml = pod(
      '            seccompProfile:\n              type: Unconfined',
      '      securityContext:\n        seccompProfile: { type: RuntimeDefault }',
    );
    const findings = check(yaml, 'security-seccomp-missing');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      ['container "app" runs with seccomp profile Unconfined', lineOf(yaml, 'type: Unconfined')],
    ]);
    expect(
      check(
        pod('            seccompProfile: { type: Localhost, localhostProfile: p.json }'),
        'security-seccomp-missing',
      ),
    ).toEqual([]);
  });

  it('covers ephemeral containers', () => {
    const yaml = `
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec:
        ephemeralContainers:
          - name: debugger
            securityContext:
              privileged: true
    `;
    const [f] = check(yaml, 'security-privileged');
    expect([f.message, f.location.line]).toEqual([
      'ephemeral container "debugger" is privileged',
      lineOf(yaml, 'privileged'),
    ]);
  });
});

describe('pod-level settings', () => {
  it('security-host-namespaces: one finding per shared namespace', () => {
    const yaml = `
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        template:
          spec:
            hostNetwork: true
            hostPID: true
            hostIPC: false
            containers: []
    `;
    const findings = check(yaml, 'security-host-namespaces');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      ['DaemonSet "agent" sets hostNetwork: true', lineOf(yaml, 'hostNetwork')],
      ['DaemonSet "agent" sets hostPID: true', lineOf(yaml, 'hostPID')],
    ]);
  });

  it('security-host-path', () => {
    const yaml = `
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata: { name: rs }
      spec:
        template:
          spec:
            containers: []
            volumes:
              - name: cache
                emptyDir: {}
              - name: docker
                hostPath:
                  path: /var/run/docker.sock
    `;
    const findings = check(yaml, 'security-host-path');
    expect(findings.map((f) => [f.message, f.location.line, f.path])).toEqual([
      [
        'volume "docker" mounts the host path /var/run/docker.sock',
        lineOf(yaml, 'hostPath:'),
        'spec.template.spec.volumes[name=docker].hostPath',
      ],
    ]);
  });

  it('stays quiet for custom resources', () => {
    const yaml = `
      apiVersion: acme.io/v1
      kind: Agent
      metadata: { name: a }
      spec:
        hostNetwork: true
        containers:
          - name: x
            securityContext: { privileged: true }
    `;
    expect(check(yaml, SECURITY_RULES)).toEqual([]);
  });
});

describe('the rest of the Pod Security Standards', () => {
  it('pass a hardened workload, and settings the standards allow', () => {
    expect(check(hardened, PSS_RULES)).toEqual([]);
    const allowed = pod(
      [
        '            procMount: Default',
        '            runAsGroup: 10001',
        '            appArmorProfile: { type: RuntimeDefault }',
        '            seLinuxOptions: { type: container_t, level: "s0:c1,c2" }',
        '            windowsOptions: { hostProcess: false }',
      ].join('\n'),
      '      securityContext:\n        sysctls: [{ name: net.ipv4.tcp_keepalive_time, value: "300" }]',
    );
    expect(check(allowed, PSS_RULES)).toEqual([]);
  });

  it.each([
    [
      'security-unsafe-sysctls',
      pod(
        '            {}',
        '      securityContext:\n        sysctls: [{ name: kernel.msgmax, value: "65536" }]',
      ),
      'Pod "p" sets sysctl kernel.msgmax, which is not in the safe set',
      'sysctls:',
    ],
    [
      'security-proc-mount',
      pod('            procMount: Unmasked'),
      'container "app" sets procMount: Unmasked',
      'procMount',
    ],
    [
      'security-run-as-root-group',
      pod('            runAsUser: 10001', '      securityContext:\n        runAsGroup: 0'),
      'container "app" runs with the root group (runAsGroup: 0)',
      'runAsGroup: 0',
    ],
    [
      'security-apparmor-unconfined',
      pod('            appArmorProfile: { type: Unconfined }'),
      'container "app" runs without an AppArmor profile (Unconfined)',
      'appArmorProfile',
    ],
    [
      'security-selinux-custom',
      pod('            seLinuxOptions: { type: spc_t }'),
      'container "app" runs with SELinux type spc_t, not a container type',
      'seLinuxOptions',
    ],
    [
      'security-selinux-custom',
      pod('            seLinuxOptions: { user: system_u }'),
      'container "app" sets a custom SELinux user (system_u)',
      'seLinuxOptions',
    ],
    [
      'security-windows-host-process',
      pod('            {}', '      securityContext:\n        windowsOptions: { hostProcess: true }'),
      'container "app" runs as a Windows host process',
      'windowsOptions',
    ],
  ])('%s: %s', (rule, yaml, message, line) => {
    const findings = check(yaml, rule);
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([[message, lineOf(yaml, line)]]);
  });

  it('security-host-port: a port bound on the node, on its hostPort', () => {
    const yaml = `
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: edge }
      spec:
        template:
          spec:
            containers:
              - name: proxy
                image: acme/proxy:1
                ports:
                  - { name: http, containerPort: 8080, hostPort: 80 }
                  - { name: admin, containerPort: 9000, hostPort: 0 }
    `;
    expect(check(yaml, 'security-host-port').map((f) => [f.message, f.severity, f.location.line])).toEqual([
      ['container "proxy" binds port 80 on the node (hostPort)', 'warning', lineOf(yaml, 'hostPort: 80')],
    ]);
  });

  it('security-apparmor-unconfined: the older per-container annotation too', () => {
    const yaml = `
      apiVersion: v1
      kind: Pod
      metadata:
        name: p
        annotations: { container.apparmor.security.beta.kubernetes.io/app: unconfined }
      spec:
        containers:
          - { name: app, image: acme/app:1 }
          - { name: sidecar, image: acme/sidecar:1 }
    `;
    expect(check(yaml, 'security-apparmor-unconfined').map((f) => f.message)).toEqual([
      'container "app" runs without an AppArmor profile (annotation container.apparmor.security.beta.kubernetes.io/app: unconfined)',
    ]);
  });
});
