import type { Manifest } from '../load/yaml.js';
import { isRecord } from '../model/types.js';
import type { ContainerRef, PodTemplate } from '../model/workload.js';
import type { Rule } from './types.js';
import { containersOfKinds, describeContainer, workloads } from './util/containers.js';
import {
  coversDataDir,
  type DatabaseFamily,
  databaseOf,
  identifyDatabase,
  persistenceInArgs,
} from './util/databases.js';

/** The `storage` checklist category. */

interface DatabaseContainer {
  manifest: Manifest;
  template: PodTemplate;
  container: ContainerRef;
  family: DatabaseFamily;
}

/** Regular containers that run a database, in every workload. */
function* databaseContainers(ctx: Parameters<Rule['check']>[0]): Generator<DatabaseContainer> {
  for (const workload of workloads(ctx)) {
    const { manifest, template } = workload;
    for (const container of containersOfKinds(workload, ['containers'])) {
      const family = databaseOf(container.container);
      if (family) yield { manifest, template, container, family };
    }
  }
}

/** Pod volumes by name. */
function volumesByName(template: PodTemplate): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const volumes = Array.isArray(template.spec.volumes) ? template.spec.volumes : [];
  for (const v of volumes) if (isRecord(v) && typeof v.name === 'string') out.set(v.name, v);
  return out;
}

/** Names of a StatefulSet's volumeClaimTemplates (they replace pod volumes of the same name). */
function claimTemplateNames(manifest: Manifest): Set<string> {
  const spec = manifest.object.spec;
  const templates =
    isRecord(spec) && Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  const names = new Set<string>();
  for (const t of templates) {
    if (isRecord(t) && isRecord(t.metadata) && typeof t.metadata.name === 'string')
      names.add(t.metadata.name);
  }
  return names;
}

/** Data directories the container says it uses through the images' own variables (PGDATA, ...). */
function envDataDirs(container: Record<string, unknown>): string[] {
  const env = Array.isArray(container.env) ? container.env : [];
  const dirs: string[] = [];
  for (const e of env) {
    if (!isRecord(e) || typeof e.value !== 'string') continue;
    if (
      ['PGDATA', 'MYSQL_DATADIR', 'MONGO_DATA_DIR', 'ETCD_DATA_DIR', 'KAFKA_LOG_DIRS'].includes(
        String(e.name),
      )
    ) {
      dirs.push(e.value);
    }
  }
  return dirs;
}

interface VolumeMountAt {
  index: number;
  mountPath: string;
  volume: Record<string, unknown> | undefined;
  volumeName: string;
}

function* mountsOf(container: Record<string, unknown>, volumes: Map<string, Record<string, unknown>>) {
  const mounts = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
  for (let index = 0; index < mounts.length; index++) {
    const m = mounts[index];
    if (!isRecord(m) || typeof m.mountPath !== 'string' || typeof m.name !== 'string') continue;
    yield {
      index,
      mountPath: m.mountPath,
      volume: volumes.get(m.name),
      volumeName: m.name,
    } satisfies VolumeMountAt;
  }
}

/** A database as it should run, for the examples: a StatefulSet whose claim template holds its data. */
const DATABASE_STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql/data}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 20Gi}}}`;

const emptyDirUnderData: Rule = {
  meta: {
    id: 'storage-database-emptydir',
    category: 'storage',
    severity: 'error',
    title: 'Databases do not keep their data in an emptyDir',
    why: 'An emptyDir lives and dies with the pod: a reschedule, an eviction or a node drain deletes the database’s files.',
    fix: 'Mount a PersistentVolumeClaim at the data directory, preferably through a StatefulSet’s volumeClaimTemplates.',
    example: {
      bad: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql/data}
      volumes:
        - name: data
          emptyDir: {}`,
      good: DATABASE_STATEFULSET,
      line: 14,
    },
    appliesTo:
      "Regular containers that run a known database (judged by the image name, else the container name) with an emptyDir mounted over its data directory (the image's default, or one set by PGDATA and similar variables). A volume claim template of the same name takes the volume's place and passes.",
  },
  *check(ctx) {
    for (const { manifest, template, container, family } of databaseContainers(ctx)) {
      const volumes = volumesByName(template);
      const claims = claimTemplateNames(manifest);
      const dataDirs = [...family.dataDirs, ...envDataDirs(container.container)];
      for (const mount of mountsOf(container.container, volumes)) {
        if (!mount.volume || !('emptyDir' in mount.volume) || claims.has(mount.volumeName)) continue;
        const dir = coversDataDir(mount.mountPath, dataDirs);
        if (!dir) continue;
        yield {
          manifest,
          path: [...container.path, 'volumeMounts', mount.index],
          message: `${describeContainer(container)} keeps ${family.name} data in emptyDir volume "${mount.volumeName}" at ${mount.mountPath}`,
        };
      }
    }
  },
};

const REPLICATED_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController']);

const notStatefulSet: Rule = {
  meta: {
    id: 'storage-database-not-statefulset',
    category: 'storage',
    severity: 'warning',
    title: 'Databases run as StatefulSets',
    why: 'A Deployment gives its pods no stable identity and starts the new pod before the old one stops: two database processes can share a volume, or a new pod comes up with no data at all.',
    fix: 'Run the database as a StatefulSet with volumeClaimTemplates (or use a managed database or an operator).',
    example: {
      bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql/data}
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: db-data}`,
      good: DATABASE_STATEFULSET,
      line: 2,
    },
    appliesTo:
      'Deployments, ReplicaSets and ReplicationControllers whose containers run a known database, ' +
      'judged by the image name (else the container name), that keeps data: a volume (not a ' +
      'ConfigMap or Secret) at its data directory, or, for servers often run as caches (Redis, ' +
      'Valkey), persistence switched on in their arguments. A cache with nothing to keep is left alone.',
  },
  *check(ctx) {
    for (const workload of workloads(ctx)) {
      const { manifest, template } = workload;
      if (!REPLICATED_KINDS.has(manifest.object.kind)) continue;
      for (const container of containersOfKinds(workload, ['containers'])) {
        const db = identifyDatabase(container.container);
        const keeps = db && keptData(container.container, template, db.family);
        if (!db || !keeps) continue;
        yield {
          manifest,
          path: ['kind'],
          message: `${manifest.ref.kind} "${manifest.ref.name}" runs ${db.family.name} (${describeContainer(container)}, judged by its ${db.by}) and keeps data (${keeps}); run it as a StatefulSet`,
        };
        break;
      }
    }
  },
};

/** Volume kinds that hold configuration, not data. */
const CONFIG_VOLUMES = ['configMap', 'secret', 'projected', 'downwardAPI'];

/**
 * How a database container shows that it keeps data, or undefined when it does not: a volume
 * other than configuration at its data directory; persistence switched on in its arguments; or,
 * for servers that are not often caches, simply being one (its data then lives in the container).
 */
function keptData(
  container: Record<string, unknown>,
  template: PodTemplate,
  family: DatabaseFamily,
): string | undefined {
  const dataDirs = [...family.dataDirs, ...envDataDirs(container)];
  for (const mount of mountsOf(container, volumesByName(template))) {
    if (!mount.volume || CONFIG_VOLUMES.some((k) => k in mount.volume!)) continue;
    if (coversDataDir(mount.mountPath, dataDirs)) return `volume "${mount.volumeName}" at ${mount.mountPath}`;
  }
  const flag = persistenceInArgs(container);
  if (flag) return `it runs with ${flag}`;
  return family.oftenCache ? undefined : 'in the container filesystem, lost on every restart';
}

const statefulSetWithoutClaims: Rule = {
  meta: {
    id: 'storage-statefulset-no-volume-claims',
    category: 'storage',
    severity: 'warning',
    title: 'Database StatefulSets keep their data on volume claims',
    why: 'A StatefulSet without volumeClaimTemplates gives each replica no disk of its own: data lives in the container or in a volume that does not follow the pod.',
    fix: 'Add volumeClaimTemplates and mount the claim at the database’s data directory.',
    example: {
      bad: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4`,
      good: DATABASE_STATEFULSET,
      line: 4,
    },
    appliesTo:
      'StatefulSets without volumeClaimTemplates whose containers run a known database; a data directory on an existing claim is accepted.',
  },
  *check(ctx) {
    for (const workload of workloads(ctx)) {
      const { manifest, template } = workload;
      if (manifest.object.kind !== 'StatefulSet' || claimTemplateNames(manifest).size > 0) continue;
      const volumes = volumesByName(template);
      for (const container of containersOfKinds(workload, ['containers'])) {
        const family = databaseOf(container.container);
        if (!family) continue;
        // A data directory on an existing claim is a deliberate choice (a single replica, say).
        const onClaim = [...mountsOf(container.container, volumes)].some(
          (m) =>
            m.volume && 'persistentVolumeClaim' in m.volume && coversDataDir(m.mountPath, family.dataDirs),
        );
        if (onClaim) continue;
        yield {
          manifest,
          path: ['spec', 'volumeClaimTemplates'],
          message: `StatefulSet "${manifest.ref.name}" runs ${family.name} (${describeContainer(container)}) without volumeClaimTemplates`,
        };
        break;
      }
    }
  },
};

export const rules: Rule[] = [emptyDirUnderData, notStatefulSet, statefulSetWithoutClaims];
