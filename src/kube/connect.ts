import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../model/hash.js';
import { type ClientOptions, KubeClient } from './client.js';
import { KubeConfigError } from './errors.js';
import { Kubeconfig, SERVICE_ACCOUNT_DIR } from './kubeconfig.js';
import { httpTransport } from './transport.js';

/**
 * kubeconfig (a file, a context) or the pod's service account -> a read-only KubeClient. The
 * kubeconfig is read by kubeconfig.ts, with the few parts of `@kubernetes/client-node` that read
 * it; callers import this module lazily, so that the pull-request path never loads them.
 */

export interface ConnectOptions extends ClientOptions {
  /** A kubeconfig file. Without one: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Prefix of the service account folder (`/var/run/secrets/kubernetes.io/serviceaccount`), for
   * tests; the API server's address comes from KUBERNETES_SERVICE_HOST and _PORT, as in a pod.
   */
  serviceAccountRoot?: string;
}

export interface Connection {
  client: KubeClient;
  /** The context name, or `in-cluster`. */
  context: string;
  server: string;
  /**
   * SHA-256 of the cluster's CA certificate, when the kubeconfig (or the pod) has one: with the
   * server's address, what tells two clusters apart whose contexts share a name (`default`) or
   * whose in-cluster address is the same (`https://10.96.0.1:443`).
   */
  caFingerprint?: string;
}

export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const env = options.env ?? process.env;
  const saRoot = options.serviceAccountRoot ?? '';
  const source = pickSource(options.kubeconfig, env, saRoot);
  let kc: Kubeconfig;
  try {
    if (source.kind === 'file') kc = Kubeconfig.fromFile(source.file);
    else if (source.kind === 'cluster') kc = Kubeconfig.inCluster(env, saRoot);
    else throw new KubeConfigError(source.reason);
  } catch (err) {
    if (err instanceof KubeConfigError) throw err;
    throw new KubeConfigError(`cannot read the kubeconfig: ${(err as Error).message.split('\n')[0]}`);
  }
  if (options.context) {
    if (!kc.contexts.some((c) => c.name === options.context)) {
      throw new KubeConfigError(`the kubeconfig has no context named "${options.context}"`);
    }
    kc.currentContext = options.context;
  }
  const cluster = kc.target()?.cluster;
  if (!cluster?.server)
    throw new KubeConfigError('the kubeconfig names no cluster server for the current context');
  const transport = httpTransport(
    cluster.server,
    () => kc.requestOptions(),
    options.requestTimeoutMs,
    cluster.proxyUrl ? proxyFor(cluster.proxyUrl) : undefined,
  );
  const fingerprint = caFingerprint(cluster);
  return {
    client: new KubeClient(transport, options),
    context: source.kind === 'cluster' ? 'in-cluster' : kc.currentContext,
    server: cluster.server,
    ...(fingerprint ? { caFingerprint: fingerprint } : {}),
  };
}

/**
 * A cluster's `proxy-url`, carried by Node's own proxy support (http:// and https:// proxies;
 * Node 22.21 and 24.5 onwards). A SOCKS proxy, or a Node without that support, is refused with
 * a reason rather than bypassed.
 */
export function proxyFor(proxyUrl: string, version = process.versions.node): string {
  const scheme = proxyUrl.split(':')[0]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https')
    throw new KubeConfigError(
      `the cluster's proxy-url ${scheme}:// is not supported: shipshape reaches the API server through http:// and https:// proxies only`,
    );
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 21) || (major === 24 && minor < 5))
    throw new KubeConfigError(
      `the cluster's proxy-url needs Node 22.21 or 24.5 or later (built-in proxy support); this is Node ${version}`,
    );
  return proxyUrl;
}

function caFingerprint(cluster: { caData?: string; caFile?: string }): string | undefined {
  try {
    const pem = cluster.caData
      ? Buffer.from(cluster.caData, 'base64')
      : cluster.caFile
        ? readFileSync(cluster.caFile)
        : undefined;
    return pem ? sha256Hex(pem) : undefined;
  } catch {
    return undefined;
  }
}

type Source = { kind: 'file'; file: string } | { kind: 'cluster' } | { kind: 'none'; reason: string };

function pickSource(kubeconfig: string | undefined, env: NodeJS.ProcessEnv, saRoot: string): Source {
  if (kubeconfig) {
    return existsSync(kubeconfig)
      ? { kind: 'file', file: kubeconfig }
      : { kind: 'none', reason: `kubeconfig ${kubeconfig} does not exist` };
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).find((f) => f && existsSync(f));
  if (fromEnv) return { kind: 'file', file: fromEnv };
  const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
  if (existsSync(home)) return { kind: 'file', file: home };
  if (env.KUBERNETES_SERVICE_HOST && existsSync(`${saRoot}${SERVICE_ACCOUNT_DIR}/token`)) {
    return { kind: 'cluster' };
  }
  return {
    kind: 'none',
    reason: 'no kubeconfig: pass --kubeconfig, set KUBECONFIG, or run in a pod with a service account',
  };
}
