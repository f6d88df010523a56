import { describe, expect, it } from 'vitest';
import { coversDataDir, databaseOf } from '../../../src/rules/util/databases.js';
import { check, lineOf } from './helpers.js';

function workload(kind: string, container: string, volumes: string, extra = '') {
  return `
    apiVersion: apps/v1
    kind: ${kind}
    metadata: { name: orders-db }
    spec:
      template:
        spec:
          containers:
${container}
          volumes:
${volumes}
${extra}
  `;
}

const postgres = `            - name: postgres
              image: postgres:16.4
              volumeMounts:
                - name: data
                  mountPath: /var/lib/postgresql/data`;

describe('storage-database-emptydir', () => {
  it('reports an emptyDir at the PostgreSQL data directory, on the mount', () => {
    const yaml = workload('StatefulSet', postgres, '            - name: data\n              emptyDir: {}');
    const findings = check(yaml, 'storage-database-emptydir');
    expect(findings.map((f) => [f.message, f.location.line, f.severity, f.path])).toEqual([
      [
        'container "postgres" keeps PostgreSQL data in emptyDir volume "data" at /var/lib/postgresql/data',
        lineOf(yaml, '- name: data'),
        'error',
        'spec.template.spec.containers[name=postgres].volumeMounts[mountPath=/var/lib/postgresql/data]',
      ],
    ]);
  });

  it('catches a parent directory, a bitnami path and a PGDATA override', () => {
    const parent = workload(
      'Deployment',
      `            - name: db
              image: bitnami/mongodb:7.0
              volumeMounts: [{ name: scratch, mountPath: /bitnami }]`,
      '            - name: scratch\n              emptyDir: { medium: Memory }',
    );
    expect(check(parent, 'storage-database-emptydir').map((f) => f.message)).toEqual([
      'container "db" keeps MongoDB data in emptyDir volume "scratch" at /bitnami',
    ]);
    const pgdata = workload(
      'StatefulSet',
      `            - name: pg
              image: registry.local:5000/db/postgresql:15
              env: [{ name: PGDATA, value: /pgdata/cluster }]
              volumeMounts: [{ name: tmp, mountPath: /pgdata }]`,
      '            - name: tmp\n              emptyDir: {}',
    );
    expect(check(pgdata, 'storage-database-emptydir')).toHaveLength(1);
  });

  it('passes a claim at the data directory, an emptyDir elsewhere, and non-database images', () => {
    const claim = workload(
      'StatefulSet',
      postgres,
      '            - name: data\n              persistentVolumeClaim: { claimName: pg }',
    );
    expect(check(claim, 'storage-database-emptydir')).toEqual([]);
    const tmp = workload(
      'StatefulSet',
      `            - name: redis
              image: redis:7.4
              volumeMounts: [{ name: tmp, mountPath: /tmp }]`,
      '            - name: tmp\n              emptyDir: {}',
    );
    expect(check(tmp, 'storage-database-emptydir')).toEqual([]);
    const exporter = workload(
      'Deployment',
      `            - name: redis-exporter
              image: oliver006/redis_exporter:v1.62.0
              volumeMounts: [{ name: tmp, mountPath: /data }]`,
      '            - name: tmp\n              emptyDir: {}',
    );
    expect(check(exporter, 'storage-database-emptydir')).toEqual([]);
  });

  it('lets a volumeClaimTemplate of the same name win over the pod volume', () => {
    const yaml = workload(
      'StatefulSet',
      postgres,
      '            - name: data\n              emptyDir: {}',
      '      volumeClaimTemplates:\n        - metadata: { name: data }\n          spec: {}',
    );
    expect(check(yaml, 'storage-database-emptydir')).toEqual([]);
  });
});

describe('storage-database-not-statefulset', () => {
  it('reports a database run as a Deployment, on the kind line', () => {
    const yaml = workload(
      'Deployment',
      postgres,
      '            - name: data\n              persistentVolumeClaim: { claimName: pg }',
    );
    const findings = check(yaml, 'storage-database-not-statefulset');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [
        'Deployment "orders-db" runs PostgreSQL (container "postgres", judged by its image postgres:16.4) and keeps data (volume "data" at /var/lib/postgresql/data); run it as a StatefulSet',
        lineOf(yaml, 'kind: Deployment'),
        'warning',
      ],
    ]);
  });

  it('leaves a Redis used as a cache alone, and reports one that keeps data', () => {
    const redis = (args: string, mount = '') => `            - name: cache
              image: redis:7.4${args ? `\n              args: ${args}` : ''}${mount}`;
    const deployment = (container: string, volumes = '            []') =>
      workload('Deployment', container, volumes);
    const messages = (yaml: string) => check(yaml, 'storage-database-not-statefulset').map((f) => f.message);
    expect(messages(deployment(redis('')))).toEqual([]);
    expect(messages(deployment(redis('[--save, "", --appendonly, "no"]')))).toEqual([]);
    // A config file on a ConfigMap is not data.
    const config = '\n              volumeMounts: [{ name: conf, mountPath: /data/conf }]';
    expect(
      messages(deployment(redis('', config), '            - { name: conf, configMap: { name: redis } }')),
    ).toEqual([]);
    expect(messages(deployment(redis('[--appendonly, "yes"]')))).toEqual([
      'Deployment "orders-db" runs Redis (container "cache", judged by its image redis:7.4) and keeps data (it runs with --appendonly yes); run it as a StatefulSet',
    ]);
    const data = '\n              volumeMounts: [{ name: data, mountPath: /data }]';
    expect(messages(deployment(redis('', data), '            - { name: data, emptyDir: {} }'))).toHaveLength(
      1,
    );
    // A PostgreSQL without a volume keeps its data in the container, which is worse.
    const bare = '            - name: postgres\n              image: postgres:16.4';
    expect(messages(deployment(bare))).toEqual([
      'Deployment "orders-db" runs PostgreSQL (container "postgres", judged by its image postgres:16.4) and keeps data (in the container filesystem, lost on every restart); run it as a StatefulSet',
    ]);
  });

  it('passes a StatefulSet and an application Deployment', () => {
    expect(
      check(workload('StatefulSet', postgres, '            []'), 'storage-database-not-statefulset'),
    ).toEqual([]);
    const api = workload(
      'Deployment',
      '            - name: api\n              image: ghcr.io/acme/orders-api:2.1',
      '            []',
    );
    expect(check(api, 'storage-database-not-statefulset')).toEqual([]);
  });
});

describe('storage-statefulset-no-volume-claims', () => {
  it('reports a database StatefulSet without claim templates, at spec', () => {
    const yaml = workload('StatefulSet', postgres, '            - name: data\n              emptyDir: {}');
    const findings = check(yaml, 'storage-statefulset-no-volume-claims');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      [
        'StatefulSet "orders-db" runs PostgreSQL (container "postgres") without volumeClaimTemplates',
        lineOf(yaml, 'spec:'),
      ],
    ]);
  });

  it('passes claim templates, or a data directory on an existing claim', () => {
    const templates = workload(
      'StatefulSet',
      postgres,
      '            []',
      '      volumeClaimTemplates:\n        - metadata: { name: data }\n          spec: {}',
    );
    expect(check(templates, 'storage-statefulset-no-volume-claims')).toEqual([]);
    const claim = workload(
      'StatefulSet',
      postgres,
      '            - name: data\n              persistentVolumeClaim: { claimName: pg }',
    );
    expect(check(claim, 'storage-statefulset-no-volume-claims')).toEqual([]);
  });
});

describe('database recognition', () => {
  it.each([
    ['postgres:16', 'PostgreSQL'],
    ['docker.io/bitnami/postgresql:16.4.0', 'PostgreSQL'],
    ['mysql:8.4', 'MySQL'],
    ['mariadb:11', 'MySQL'],
    ['confluentinc/cp-kafka:7.6.1', 'Kafka'],
    ['quay.io/coreos/etcd:v3.5.15', 'etcd'],
    ['clickhouse/clickhouse-server:24.8', 'ClickHouse'],
    ['opensearchproject/opensearch:2', 'Elasticsearch'],
  ])('%s is %s', (image, name) => {
    expect(databaseOf({ name: 'x', image })?.name).toBe(name);
  });

  it.each([
    'prometheuscommunity/postgres-exporter:v0.15.0',
    'bitnami/pgbouncer:1',
    'provectuslabs/kafka-ui:latest',
    'nginx:1.27',
  ])('%s is not a database', (image) => {
    expect(databaseOf({ name: 'sidecar', image })).toBeUndefined();
  });

  it('judges by the container name only when the image names no database and is no known non-server', () => {
    expect(databaseOf({ name: 'postgres', image: 'ghcr.io/acme/db:1' })?.name).toBe('PostgreSQL');
    expect(databaseOf({ name: 'main-redis_cache', image: 'ghcr.io/acme/cache:1' })?.name).toBe('Redis');
    expect(databaseOf({ name: 'POSTGRES', image: 'ghcr.io/acme/db:1' })?.name).toBe('PostgreSQL');
    expect(
      databaseOf({ name: 'postgres', image: 'prometheuscommunity/postgres-exporter:v0.15.0' }),
    ).toBeUndefined();
    expect(databaseOf({ name: 'redis', image: 'oliver006/redis_exporter:v1' })).toBeUndefined();
    expect(databaseOf({ name: 'postgresish', image: 'ghcr.io/acme/db:1' })).toBeUndefined();
    expect(databaseOf({ name: 'my-postgres-exporter', image: 'ghcr.io/acme/db:1' })).toBeUndefined();
  });

  it('matches data directories, their parents and their insides', () => {
    expect(coversDataDir('/var/lib/postgresql/', ['/var/lib/postgresql/data'])).toBe(
      '/var/lib/postgresql/data',
    );
    expect(coversDataDir('/var/lib/postgresql/data/pgdata', ['/var/lib/postgresql/data'])).toBeDefined();
    expect(coversDataDir('/var/lib/postgresql-backup', ['/var/lib/postgresql/data'])).toBeUndefined();
    expect(coversDataDir('/', ['/data'])).toBeUndefined();
  });
});
