import { imageReference } from './containers.js';

/**
 * Recognizing containers that keep durable data (databases, queues, coordination stores) from
 * their image or name, and where each keeps it.
 */

export interface DatabaseFamily {
  /** A name people use for it in messages: `PostgreSQL`. */
  name: string;
  /** Words that identify it in an image repository or a container name. */
  words: readonly string[];
  /** Where its images keep data by default. */
  dataDirs: readonly string[];
  /**
   * Often run as a cache, with nothing worth keeping: then it is a database only when it shows it
   * keeps data (a volume at its data directory, or persistence switched on in its arguments).
   */
  oftenCache?: boolean;
}

export const DATABASES: readonly DatabaseFamily[] = [
  {
    name: 'PostgreSQL',
    words: ['postgres', 'postgresql', 'postgis', 'timescaledb', 'pgvector', 'spilo'],
    dataDirs: [
      '/var/lib/postgresql/data',
      '/var/lib/pgsql/data',
      '/bitnami/postgresql',
      '/home/postgres/pgdata',
    ],
  },
  {
    name: 'MySQL',
    words: ['mysql', 'mariadb', 'percona'],
    dataDirs: ['/var/lib/mysql', '/bitnami/mysql', '/bitnami/mariadb'],
  },
  {
    name: 'MongoDB',
    words: ['mongo', 'mongodb'],
    dataDirs: ['/data/db', '/data/configdb', '/bitnami/mongodb'],
  },
  {
    name: 'Redis',
    words: ['redis', 'valkey', 'keydb'],
    dataDirs: ['/data', '/var/lib/redis', '/bitnami/redis', '/bitnami/valkey'],
    oftenCache: true,
  },
  {
    name: 'Elasticsearch',
    words: ['elasticsearch', 'opensearch'],
    dataDirs: [
      '/usr/share/elasticsearch/data',
      '/usr/share/opensearch/data',
      '/bitnami/elasticsearch',
      '/bitnami/opensearch',
    ],
  },
  {
    name: 'Cassandra',
    words: ['cassandra', 'scylla', 'scylladb'],
    dataDirs: ['/var/lib/cassandra', '/var/lib/scylla', '/bitnami/cassandra'],
  },
  {
    name: 'etcd',
    words: ['etcd'],
    dataDirs: ['/var/lib/etcd', '/etcd-data', '/var/run/etcd', '/bitnami/etcd'],
  },
  {
    name: 'ClickHouse',
    words: ['clickhouse'],
    dataDirs: ['/var/lib/clickhouse', '/bitnami/clickhouse'],
  },
  {
    name: 'Kafka',
    words: ['kafka', 'redpanda'],
    dataDirs: ['/var/lib/kafka', '/bitnami/kafka', '/kafka', '/var/lib/redpanda/data', '/opt/kafka/data'],
  },
  {
    name: 'ZooKeeper',
    words: ['zookeeper'],
    dataDirs: ['/var/lib/zookeeper', '/data', '/datalog', '/bitnami/zookeeper'],
  },
  { name: 'CockroachDB', words: ['cockroach', 'cockroachdb'], dataDirs: ['/cockroach/cockroach-data'] },
  { name: 'Neo4j', words: ['neo4j'], dataDirs: ['/data'] },
  { name: 'InfluxDB', words: ['influxdb'], dataDirs: ['/var/lib/influxdb', '/var/lib/influxdb2'] },
  { name: 'CouchDB', words: ['couchdb'], dataDirs: ['/opt/couchdb/data', '/bitnami/couchdb'] },
  { name: 'RabbitMQ', words: ['rabbitmq'], dataDirs: ['/var/lib/rabbitmq', '/bitnami/rabbitmq'] },
  { name: 'MinIO', words: ['minio'], dataDirs: ['/data', '/bitnami/minio'] },
];

/**
 * Words that make a name about a database rather than the database itself: `postgres-exporter`,
 * `redis-commander`, `pgbouncer`, `mysql-client`, `kafka-ui`.
 */
const NOT_A_SERVER = new Set([
  'exporter',
  'operator',
  'proxy',
  'bouncer',
  'pgbouncer',
  'commander',
  'ui',
  'admin',
  'client',
  'cli',
  'tools',
  'backup',
  'metrics',
  'controller',
  'connect',
  'sentinel',
  'rest',
  'manager',
  'dashboards',
  'kibana',
  'migrate',
  'migrations',
  'init',
]);

const BY_WORD = new Map<string, DatabaseFamily>();
for (const family of DATABASES) for (const word of family.words) BY_WORD.set(word, family);

/**
 * Whether a lower-case name has a database's word among its words (runs between `-`, `_` and `.`):
 * most containers are not databases, and this is asked of every one by several rules.
 */
const HAS_DATABASE_WORD = new RegExp(
  `(?:^|[-_.])(?:${[...BY_WORD.keys()].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?=$|[-_.])`,
);

function familyOfName(name: string): DatabaseFamily | undefined {
  const lower = name.toLowerCase();
  if (!HAS_DATABASE_WORD.test(lower)) return undefined;
  const words = lower.split(/[-_.]+/);
  if (words.some((w) => NOT_A_SERVER.has(w))) return undefined;
  for (const w of words) {
    const family = BY_WORD.get(w);
    if (family) return family;
  }
  return undefined;
}

/** The database a container runs, judged by its image repository's last component, then its name. */
export function databaseOf(container: Record<string, unknown>): DatabaseFamily | undefined {
  return identifyDatabase(container)?.family;
}

/** The database a container runs and what gave it away (`image "postgres:16.4"`), for messages. */
export function identifyDatabase(
  container: Record<string, unknown>,
): { family: DatabaseFamily; by: string } | undefined {
  let image: string | undefined;
  if (typeof container.image === 'string') {
    const parsed = imageReference(container.image);
    if (parsed.ok) {
      image = parsed.ref.repository.slice(parsed.ref.repository.lastIndexOf('/') + 1);
      const family = familyOfName(image);
      if (family) return { family, by: `image ${container.image}` };
    }
  }
  const family = typeof container.name === 'string' ? familyOfName(container.name) : undefined;
  if (!family) return undefined;
  // A known non-server image (postgres-exporter) is not rescued by its container name.
  if (image?.split(/[-_.]+/).some((w) => NOT_A_SERVER.has(w))) return undefined;
  return { family, by: `container name "${String(container.name)}"` };
}

/**
 * Persistence switched on in a Redis-like server's arguments: `--appendonly yes`, or `--save`
 * with a schedule (`--save ""` turns snapshots off).
 */
export function persistenceInArgs(container: Record<string, unknown>): string | undefined {
  const words = [container.command, container.args]
    .flatMap((list) => (Array.isArray(list) ? list.map(String) : []))
    .flatMap((w) => w.split(/\s+/))
    .filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    const flag = words[i].replace(/^--/, '');
    const value = (words[i + 1] ?? '').replace(/^(["'])(.*)\1$/, '$2');
    if (flag === 'appendonly' && value.toLowerCase() === 'yes') return '--appendonly yes';
    if (flag === 'save' && value !== '' && !value.startsWith('--')) return `--save ${value}`;
  }
  return undefined;
}

function normalizeDir(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/**
 * Does a mount cover a data directory: the directory itself, a parent of it, or a folder
 * inside it (`/var/lib/postgresql/data/pgdata`)?
 */
export function coversDataDir(mountPath: string, dataDirs: readonly string[]): string | undefined {
  const mount = normalizeDir(mountPath);
  if (mount === '/') return undefined;
  return dataDirs.find((dir) => dir === mount || dir.startsWith(`${mount}/`) || mount.startsWith(`${dir}/`));
}
