import { isRecord } from '../model/types.js';
import type { Cause, Rule, RuleContext, RuleMeta, Violation } from './types.js';
import {
  containerCause,
  describeContainer,
  effectiveSecurity,
  intField,
  recordAt,
  type WorkloadContainer,
  workloadContainers,
  workloads,
} from './util/containers.js';

/** The `security` checklist category. */

/** What the five baseline rules' docs say of the finding they share. */
const ONE_CONTEXT =
  ' Settings a container leaves unset among runAsNonRoot, allowPrivilegeEscalation, capabilities.drop, ' +
  'readOnlyRootFilesystem and seccompProfile are one finding (one edit: its securityContext); a ' +
  'setting written with a wrong value is a finding of its own.';

/** A rule that looks at one container at a time (regular, init and ephemeral alike). */
function perContainer(
  meta: RuleMeta,
  inspect: (wc: WorkloadContainer, ctx: RuleContext) => Violation | undefined,
): Rule {
  return {
    meta,
    *check(ctx: RuleContext) {
      for (const wc of workloadContainers(ctx)) {
        const v = inspect(wc, ctx);
        if (v) yield v;
      }
    },
  };
}

/**
 * The baseline settings a container's security context lacks (runAsNonRoot, allowPrivilegeEscalation:
 * false, drop ALL, a read-only root filesystem, a seccomp profile) are one edit: writing that
 * context. A container with none of it is one finding that lists the rest, not five on its line.
 * A setting written with a wrong value is a line of its own, and stays a finding of its own.
 */
function unsetInContext(ctx: RuleContext, wc: WorkloadContainer, also: string): Cause {
  return { key: containerCause(ctx, 'security-context', wc.container), also };
}

function securityContextPath(wc: WorkloadContainer, ...rest: (string | number)[]) {
  return [...wc.container.path, 'securityContext', ...rest];
}

const runAsRoot = perContainer(
  {
    id: 'security-run-as-root',
    category: 'security',
    severity: 'error',
    title: 'Containers run as a non-root user',
    why: 'A process running as root inside the container is one kernel or runtime bug away from root on the node. Most images run fine as an unprivileged user.',
    fix: 'Set securityContext.runAsNonRoot: true (pod or container level) and a non-zero runAsUser, and build the image with a USER.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      line: 6,
    },
    appliesTo:
      "Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included; the container's settings, else the pod's." +
      ONE_CONTEXT,
  },
  (wc, ctx) => {
    const who = describeContainer(wc.container);
    const user = effectiveSecurity(wc.template, wc.container, 'runAsUser');
    const nonRoot = effectiveSecurity(wc.template, wc.container, 'runAsNonRoot');
    const uid = intField(user.value);
    if (uid === 0)
      return { manifest: wc.manifest, path: user.path, message: `${who} runs as root (runAsUser: 0)` };
    if (uid !== undefined && uid > 0) return undefined;
    if (nonRoot.value === true) return undefined;
    if (nonRoot.value === false)
      return {
        manifest: wc.manifest,
        path: nonRoot.path,
        message: `${who} sets runAsNonRoot: false and no non-root runAsUser`,
      };
    return {
      manifest: wc.manifest,
      path: nonRoot.path,
      message: `${who} may run as root: neither runAsNonRoot nor a non-root runAsUser is set`,
      ...(user.level === 'none' &&
        nonRoot.level === 'none' && {
          cause: unsetInContext(ctx, wc, 'no runAsNonRoot: true or non-root runAsUser'),
        }),
    };
  },
);

const privilegeEscalation = perContainer(
  {
    id: 'security-privilege-escalation',
    category: 'security',
    severity: 'error',
    title: 'Containers forbid privilege escalation',
    why: 'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid binaries or file capabilities.',
    fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext: {}`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        allowPrivilegeEscalation: false`,
      line: 8,
    },
    appliesTo:
      'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included. Not containers that are privileged or add SYS_ADMIN (the API refuses the setting there; they have findings of their own).' +
      ONE_CONTEXT,
  },
  (wc, ctx) => {
    const context = recordAt(wc.container.container, 'securityContext');
    const value = context.allowPrivilegeEscalation;
    if (value === false) return undefined;
    // The API refuses allowPrivilegeEscalation: false next to privileged or an added SYS_ADMIN;
    // those get their own findings, and asking for the impossible here would only confuse.
    const added = recordAt(context, 'capabilities').add;
    if (context.privileged === true) return undefined;
    if (Array.isArray(added) && added.some((c) => capabilityName(c) === 'SYS_ADMIN')) return undefined;
    return {
      manifest: wc.manifest,
      path: securityContextPath(wc, 'allowPrivilegeEscalation'),
      message:
        value === true
          ? `${describeContainer(wc.container)} allows privilege escalation`
          : `${describeContainer(wc.container)} does not set allowPrivilegeEscalation: false`,
      ...((value === undefined || value === null) && {
        cause: unsetInContext(ctx, wc, 'no allowPrivilegeEscalation: false'),
      }),
    };
  },
);

const privileged = perContainer(
  {
    id: 'security-privileged',
    category: 'security',
    severity: 'error',
    title: 'Containers are not privileged',
    why: 'A privileged container has every capability and access to all host devices: it is effectively root on the node.',
    fix: 'Remove privileged: true. Grant the one capability the process needs instead, if any.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        privileged: true`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        privileged: false
        capabilities: {drop: [ALL]}`,
      line: 9,
    },
    appliesTo: 'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included.',
  },
  (wc) =>
    recordAt(wc.container.container, 'securityContext').privileged === true
      ? {
          manifest: wc.manifest,
          path: securityContextPath(wc, 'privileged'),
          message: `${describeContainer(wc.container)} is privileged`,
        }
      : undefined,
);

/** Normalized capability names: `cap_sys_admin` and `SYS_ADMIN` are the same thing. */
function capabilityName(value: unknown): string {
  return String(value).toUpperCase().replace(/^CAP_/, '');
}

const capabilitiesNotDropped = perContainer(
  {
    id: 'security-capabilities-not-dropped',
    category: 'security',
    severity: 'warning',
    title: 'Containers drop all Linux capabilities',
    why: 'Container runtimes grant a default set of capabilities (NET_RAW, CHOWN, SETUID, ...) that most applications never use and attackers do.',
    fix: 'Set securityContext.capabilities.drop: [ALL], and add back only what the process needs (NET_BIND_SERVICE, say).',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        capabilities:
          drop: [NET_RAW]`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        capabilities:
          drop: [ALL]`,
      line: 10,
    },
    appliesTo:
      'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included.' +
      ONE_CONTEXT,
  },
  (wc, ctx) => {
    const caps = recordAt(recordAt(wc.container.container, 'securityContext'), 'capabilities');
    const drop = Array.isArray(caps.drop) ? caps.drop.map(capabilityName) : [];
    if (drop.includes('ALL')) return undefined;
    return {
      manifest: wc.manifest,
      path: securityContextPath(wc, 'capabilities', 'drop'),
      message: `${describeContainer(wc.container)} does not drop ALL capabilities`,
      ...((caps.drop === undefined || caps.drop === null) && {
        cause: unsetInContext(ctx, wc, 'no capabilities.drop: [ALL]'),
      }),
    };
  },
);

/** Capabilities that let a container escape, reconfigure the host, or spy on other processes. */
const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'DAC_OVERRIDE',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'NET_RAW',
  'SETFCAP',
]);

const dangerousCapabilities: Rule = {
  meta: {
    id: 'security-dangerous-capabilities',
    category: 'security',
    severity: 'error',
    title: 'Containers add no dangerous capabilities',
    why: 'Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE give a container most of root’s power over the node, its network or its other processes.',
    fix: 'Remove the capability from securityContext.capabilities.add; run the privileged part as a separate, reviewed component if it is truly needed.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        capabilities:
          add: [SYS_ADMIN]`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        capabilities:
          drop: [ALL]
          add: [NET_BIND_SERVICE]`,
      line: 10,
    },
    appliesTo:
      'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included: each dangerous capability added.',
  },
  *check(ctx) {
    for (const wc of workloadContainers(ctx)) {
      const caps = recordAt(recordAt(wc.container.container, 'securityContext'), 'capabilities');
      if (!Array.isArray(caps.add)) continue;
      for (let i = 0; i < caps.add.length; i++) {
        const name = capabilityName(caps.add[i]);
        if (!DANGEROUS_CAPABILITIES.has(name)) continue;
        yield {
          manifest: wc.manifest,
          path: securityContextPath(wc, 'capabilities', 'add', i),
          message: `${describeContainer(wc.container)} adds the ${name} capability`,
        };
      }
    }
  },
};

const writableRootFilesystem = perContainer(
  {
    id: 'security-root-filesystem-writable',
    category: 'security',
    severity: 'warning',
    title: 'Containers have a read-only root filesystem',
    why: 'A writable root filesystem lets an intruder drop tools and modify binaries, and hides state in the container that vanishes on restart.',
    fix: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process must write (/tmp, caches).',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        readOnlyRootFilesystem: false`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes: [{name: tmp, emptyDir: {}}]
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        readOnlyRootFilesystem: true
      volumeMounts:
        - {name: tmp, mountPath: /tmp}`,
      line: 9,
    },
    appliesTo:
      'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included.' +
      ONE_CONTEXT,
  },
  (wc, ctx) => {
    const value = recordAt(wc.container.container, 'securityContext').readOnlyRootFilesystem;
    if (value === true) return undefined;
    return {
      manifest: wc.manifest,
      path: securityContextPath(wc, 'readOnlyRootFilesystem'),
      message: `${describeContainer(wc.container)} has a writable root filesystem`,
      ...((value === undefined || value === null) && {
        cause: unsetInContext(ctx, wc, 'no readOnlyRootFilesystem: true'),
      }),
    };
  },
);

const SAFE_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

const seccomp = perContainer(
  {
    id: 'security-seccomp-missing',
    category: 'security',
    severity: 'warning',
    title: 'Containers run with the RuntimeDefault (or a Localhost) seccomp profile',
    why: 'Without a seccomp profile a container can make every system call, including the rarely used ones most kernel exploits need.',
    fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod (or each container).',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      line: 7,
    },
    appliesTo:
      "Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included; the container's profile, else the pod's." +
      ONE_CONTEXT,
  },
  (wc, ctx) => {
    const profile = effectiveSecurity(wc.template, wc.container, 'seccompProfile');
    const type = isRecord(profile.value) ? profile.value.type : undefined;
    if (typeof type === 'string' && SAFE_SECCOMP.has(type)) return undefined;
    const who = describeContainer(wc.container);
    return {
      manifest: wc.manifest,
      path: type === undefined ? profile.path : [...profile.path, 'type'],
      message:
        type === undefined
          ? `${who} has no seccomp profile`
          : `${who} runs with seccomp profile ${String(type)}`,
      ...(profile.level === 'none' && { cause: unsetInContext(ctx, wc, 'no seccomp profile') }),
    };
  },
);

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

const hostNamespaces: Rule = {
  meta: {
    id: 'security-host-namespaces',
    category: 'security',
    severity: 'error',
    title: 'Pods do not share the host’s network, process or IPC namespaces',
    why: 'hostNetwork, hostPID and hostIPC let a pod see and reach the node’s interfaces, processes and shared memory, bypassing NetworkPolicies and isolation.',
    fix: 'Remove hostNetwork, hostPID and hostIPC (or set them to false); expose ports through a Service instead.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  hostNetwork: true
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  hostNetwork: false
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      line: 5,
    },
    appliesTo: 'The pod spec of every workload kind, Jobs and hooks included.',
  },
  *check(ctx) {
    for (const { manifest, template } of workloads(ctx)) {
      for (const field of HOST_NAMESPACES) {
        if (template.spec[field] !== true) continue;
        yield {
          manifest,
          path: [...template.specPath, field],
          message: `${manifest.ref.kind} "${manifest.ref.name}" sets ${field}: true`,
        };
      }
    }
  },
};

const hostPath: Rule = {
  meta: {
    id: 'security-host-path',
    category: 'security',
    severity: 'error',
    title: 'Pods mount no hostPath volumes',
    why: 'A hostPath volume exposes the node’s filesystem to the pod: the container runtime socket, kubelet credentials, other pods’ data.',
    fix: 'Use a PersistentVolumeClaim, a ConfigMap or Secret, or an emptyDir instead of hostPath.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes:
    - name: docker
      hostPath: {path: /var/run/docker.sock}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes:
    - name: cache
      emptyDir: {}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      line: 7,
    },
    appliesTo: 'The volumes of every workload kind, Jobs and hooks included.',
  },
  *check(ctx) {
    for (const { manifest, template } of workloads(ctx)) {
      const volumes = Array.isArray(template.spec.volumes) ? template.spec.volumes : [];
      for (let i = 0; i < volumes.length; i++) {
        const volume = volumes[i];
        if (!isRecord(volume) || !isRecord(volume.hostPath)) continue;
        yield {
          manifest,
          path: [...template.specPath, 'volumes', i, 'hostPath'],
          message:
            `volume "${String(volume.name)}" mounts the host path ${String(volume.hostPath.path ?? '')}`.trimEnd(),
        };
      }
    }
  },
};

// ---- the rest of the Pod Security Standards (baseline, and restricted's group rule) -------------

/**
 * Sysctls the baseline Pod Security Standard allows: namespaced in the pod and isolated from
 * other pods on the node. Any other sysctl can change the whole node's kernel.
 */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

const PSS_APPLIES_TO =
  'Every workload kind, Jobs and hooks included; containers of every kind (regular, init, ephemeral). ' +
  'A Pod Security Standards baseline control: a namespace that enforces baseline or restricted ' +
  'rejects these pods.';

const unsafeSysctls: Rule = {
  meta: {
    id: 'security-unsafe-sysctls',
    category: 'security',
    severity: 'error',
    title: 'Pods set only safe sysctls',
    why:
      'A sysctl outside the safe set is not isolated to the pod: it changes kernel settings that ' +
      'every pod on the node shares, or can disable protections. Kubelets refuse such pods unless ' +
      'the node allows them, and then one pod reconfigures the node for all.',
    fix: 'Remove the sysctl, or tune the nodes themselves (a node pool, or a DaemonSet run by the platform team).',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    sysctls:
      - {name: kernel.msgmax, value: "65536"}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    sysctls:
      - {name: net.ipv4.ip_local_port_range, value: "1024 65535"}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
      line: 7,
    },
    appliesTo: PSS_APPLIES_TO,
  },
  *check(ctx) {
    for (const { manifest, template } of workloads(ctx)) {
      const sysctls = recordAt(template.spec, 'securityContext').sysctls;
      if (!Array.isArray(sysctls)) continue;
      for (let i = 0; i < sysctls.length; i++) {
        const s = sysctls[i];
        const name = isRecord(s) ? String(s.name ?? '') : '';
        if (SAFE_SYSCTLS.has(name)) continue;
        yield {
          manifest,
          path: [...template.specPath, 'securityContext', 'sysctls', i],
          message: `${manifest.ref.kind} "${manifest.ref.name}" sets sysctl ${name}, which is not in the safe set`,
        };
      }
    }
  },
};

const procMount = perContainer(
  {
    id: 'security-proc-mount',
    category: 'security',
    severity: 'error',
    title: 'Containers keep the default masked /proc',
    why: 'procMount: Unmasked exposes the parts of /proc that the runtime hides (kernel memory, keys, timers): a direct path to information about, and control of, the host.',
    fix: 'Remove securityContext.procMount (or set it to Default).',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        procMount: Unmasked`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        procMount: Default`,
      line: 9,
    },
    appliesTo: PSS_APPLIES_TO,
  },
  (wc) => {
    const value = recordAt(wc.container.container, 'securityContext').procMount;
    if (value === undefined || value === null || value === 'Default') return undefined;
    return {
      manifest: wc.manifest,
      path: securityContextPath(wc, 'procMount'),
      message: `${describeContainer(wc.container)} sets procMount: ${String(value)}`,
    };
  },
);

const hostPort: Rule = {
  meta: {
    id: 'security-host-port',
    category: 'security',
    severity: 'warning',
    title: 'Containers do not bind ports on the node (hostPort)',
    why:
      'A hostPort opens the port on the node itself: it bypasses the Service and usually the ' +
      'NetworkPolicies in front of the pod, ties the pod to nodes where the port is free, and lets ' +
      'two replicas never share a node.',
    fix: 'Remove hostPort and expose the port through a Service (a LoadBalancer or NodePort one if it must be reachable from outside).',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports:
        - {name: http, containerPort: 8080, hostPort: 80}`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports:
        - {name: http, containerPort: 8080}`,
      line: 9,
    },
    appliesTo: PSS_APPLIES_TO,
  },
  *check(ctx) {
    for (const wc of workloadContainers(ctx)) {
      const ports = Array.isArray(wc.container.container.ports) ? wc.container.container.ports : [];
      for (let i = 0; i < ports.length; i++) {
        const p = ports[i];
        const port = isRecord(p) ? intField(p.hostPort) : undefined;
        if (port === undefined || port === 0) continue;
        yield {
          manifest: wc.manifest,
          path: [...wc.container.path, 'ports', i, 'hostPort'],
          message: `${describeContainer(wc.container)} binds port ${port} on the node (hostPort)`,
        };
      }
    }
  },
};

const rootGroup = perContainer(
  {
    id: 'security-run-as-root-group',
    category: 'security',
    severity: 'warning',
    title: 'Containers do not run with the root group',
    why: 'runAsGroup: 0 gives the process the root group: it can read and write every file the image (or a mounted volume) left group-root, which is often most of them.',
    fix: 'Set runAsGroup to a non-zero group (and fsGroup for volumes), at pod or container level.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        runAsUser: 10001
        runAsGroup: 0`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        runAsUser: 10001
        runAsGroup: 10001`,
      line: 10,
    },
    appliesTo:
      'Every container of every workload kind. Only an explicit runAsGroup: 0 (container level, else ' +
      'pod level) is reported: without one the image decides.',
  },
  (wc) => {
    const group = effectiveSecurity(wc.template, wc.container, 'runAsGroup');
    if (intField(group.value) !== 0) return undefined;
    return {
      manifest: wc.manifest,
      path: group.path,
      message: `${describeContainer(wc.container)} runs with the root group (runAsGroup: 0)`,
    };
  },
);

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

const appArmorUnconfined = perContainer(
  {
    id: 'security-apparmor-unconfined',
    category: 'security',
    severity: 'error',
    title: 'Containers keep an AppArmor profile (not Unconfined)',
    why: 'Unconfined switches off the AppArmor profile the runtime applies by default, which blocks writes to /proc and /sys, mounts and raw access the container should never need.',
    fix: 'Remove the Unconfined profile, or use RuntimeDefault or a Localhost profile written for the app.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        appArmorProfile:
          type: Unconfined`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        appArmorProfile:
          type: RuntimeDefault`,
      line: 10,
    },
    appliesTo: `${PSS_APPLIES_TO} Both the appArmorProfile field and the older per-container annotation are read.`,
  },
  (wc) => {
    const profile = effectiveSecurity(wc.template, wc.container, 'appArmorProfile');
    const type = isRecord(profile.value) ? profile.value.type : undefined;
    const who = describeContainer(wc.container);
    if (type === 'Unconfined') {
      return {
        manifest: wc.manifest,
        path: [...profile.path, 'type'],
        message: `${who} runs without an AppArmor profile (Unconfined)`,
      };
    }
    const annotation = `${APPARMOR_ANNOTATION}${wc.container.name}`;
    if (wc.template.annotations[annotation] === 'unconfined') {
      return {
        manifest: wc.manifest,
        path: [...wc.template.metaPath, 'annotations', annotation],
        message: `${who} runs without an AppArmor profile (annotation ${annotation}: unconfined)`,
      };
    }
    return undefined;
  },
);

/** SELinux types the baseline standard allows; user and role may not be set at all. */
const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

const seLinuxCustom = perContainer(
  {
    id: 'security-selinux-custom',
    category: 'security',
    severity: 'error',
    title: 'Containers do not set a custom SELinux user, role or type',
    why: 'A custom SELinux user or role, or a type other than the container ones, lifts the confinement SELinux puts around container processes: the process gets the rights of whatever the label allows on the host.',
    fix: 'Remove seLinuxOptions.user and role, and keep type to container_t (or leave it unset); set only level if you need MCS separation.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        seLinuxOptions:
          type: spc_t`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        seLinuxOptions:
          level: "s0:c123,c456"`,
      line: 10,
    },
    appliesTo: PSS_APPLIES_TO,
  },
  (wc) => {
    const options = effectiveSecurity(wc.template, wc.container, 'seLinuxOptions');
    if (!isRecord(options.value)) return undefined;
    const who = describeContainer(wc.container);
    for (const field of ['user', 'role'] as const) {
      const v = options.value[field];
      if (typeof v === 'string' && v !== '') {
        return {
          manifest: wc.manifest,
          path: [...options.path, field],
          message: `${who} sets a custom SELinux ${field} (${v})`,
        };
      }
    }
    const type = options.value.type;
    if (typeof type === 'string' && !SELINUX_TYPES.has(type)) {
      return {
        manifest: wc.manifest,
        path: [...options.path, 'type'],
        message: `${who} runs with SELinux type ${type}, not a container type`,
      };
    }
    return undefined;
  },
);

const windowsHostProcess = perContainer(
  {
    id: 'security-windows-host-process',
    category: 'security',
    severity: 'error',
    title: 'Windows containers are not host processes',
    why: 'A Windows HostProcess container runs directly on the node, with the node’s network and file system and the rights of a host account: the Windows counterpart of privileged.',
    fix: 'Remove windowsOptions.hostProcess; run node-level agents as reviewed platform components.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        windowsOptions:
          hostProcess: true`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        windowsOptions:
          runAsUserName: ContainerUser`,
      line: 10,
    },
    appliesTo: PSS_APPLIES_TO,
  },
  (wc) => {
    const options = effectiveSecurity(wc.template, wc.container, 'windowsOptions');
    if (!isRecord(options.value) || options.value.hostProcess !== true) return undefined;
    return {
      manifest: wc.manifest,
      path: [...options.path, 'hostProcess'],
      message: `${describeContainer(wc.container)} runs as a Windows host process`,
    };
  },
);

export const rules: Rule[] = [
  runAsRoot,
  privilegeEscalation,
  privileged,
  capabilitiesNotDropped,
  dangerousCapabilities,
  writableRootFilesystem,
  seccomp,
  hostNamespaces,
  hostPath,
  unsafeSysctls,
  procMount,
  hostPort,
  rootGroup,
  appArmorUnconfined,
  seLinuxCustom,
  windowsHostProcess,
];
