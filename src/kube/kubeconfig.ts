import { readFileSync } from 'node:fs';
import type https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { AzureAuth } from '@kubernetes/client-node/dist/azure_auth.js';
import {
  type Cluster,
  type Context,
  newClusters,
  newContexts,
  newUsers,
  type User,
} from '@kubernetes/client-node/dist/config_types.js';
import { ExecAuth } from '@kubernetes/client-node/dist/exec_auth.js';
import { FileAuth } from '@kubernetes/client-node/dist/file_auth.js';
import { GoogleCloudPlatformAuth } from '@kubernetes/client-node/dist/gcp_auth.js';
import { parse } from 'yaml';
import { KubeConfigError } from './errors.js';

/**
 * A kubeconfig (or the pod's service account) as @kubernetes/client-node reads it, built from the
 * parts of client-node drift uses: its reading of clusters, users and contexts, and its credential
 * plugins (exec plugins, token files, the azure and gcp auth providers). Its `KubeConfig` class is
 * not imported: that module pulls in the whole generated API (19 MB bundled, 87 % models), which
 * shipshape never calls, since it makes its own requests (transport.ts).
 *
 * Not supported, with an error that says so: the `oidc` auth provider (kubectl's successor is an
 * exec plugin such as kubelogin) and SOCKS proxies on Node without built-in proxy support.
 */

export type { Cluster, Context, User };

/** What a context resolves to. */
export interface Target {
  context: Context;
  cluster: Cluster;
  user?: User;
}

interface Authenticator {
  isAuthProvider(user: User): unknown;
  applyAuthentication(user: User, opts: https.RequestOptions): Promise<void>;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export class Kubeconfig {
  // Each plugin keeps its own cache (an exec plugin's credential until it expires, a token file
  // for a minute): one set per kubeconfig, as client-node's KubeConfig has.
  private readonly authenticators: Authenticator[] = [
    new AzureAuth(),
    new GoogleCloudPlatformAuth(),
    new ExecAuth(),
    new FileAuth(),
  ];

  constructor(
    readonly clusters: Cluster[],
    readonly users: User[],
    readonly contexts: Context[],
    public currentContext: string,
  ) {}

  /** A kubeconfig file; relative certificate and key paths are relative to its folder. */
  static fromFile(file: string): Kubeconfig {
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
      throw new Error('the kubeconfig is not a YAML mapping');
    const kc = new Kubeconfig(
      newClusters(doc.clusters),
      newUsers(doc.users),
      newContexts(doc.contexts),
      typeof doc['current-context'] === 'string' ? doc['current-context'] : '',
    );
    const dir = path.dirname(file);
    const absolute = (f: string | undefined) => (f && !path.isAbsolute(f) ? path.join(dir, f) : f);
    for (const c of kc.clusters) c.caFile = absolute(c.caFile);
    for (const u of kc.users) {
      u.certFile = absolute(u.certFile);
      u.keyFile = absolute(u.keyFile);
    }
    return kc;
  }

  /**
   * The pod's service account: the API server from KUBERNETES_SERVICE_HOST and _PORT, its CA and
   * its token file (read again each minute, as the kubelet rotates it). `root` prefixes the
   * service account folder, for tests.
   */
  static inCluster(env: NodeJS.ProcessEnv, root = ''): Kubeconfig {
    const host = env.KUBERNETES_SERVICE_HOST ?? '';
    const port = env.KUBERNETES_SERVICE_PORT ?? '443';
    const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
    const server = `${scheme}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    const dir = `${root}${SERVICE_ACCOUNT_DIR}`;
    return new Kubeconfig(
      [{ name: 'in-cluster', server, caFile: `${dir}/ca.crt`, skipTLSVerify: false }],
      [{ name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile: `${dir}/token` } } }],
      [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster' }],
      'in-cluster',
    );
  }

  /** The current context's cluster and user; undefined when the context or its cluster is missing. */
  target(): Target | undefined {
    const context = this.contexts.find((c) => c.name === this.currentContext);
    const cluster = context && this.clusters.find((c) => c.name === context.cluster);
    if (!context || !cluster) return undefined;
    const user = this.users.find((u) => u.name === context.user);
    return { context, cluster, ...(user ? { user } : {}) };
  }

  /**
   * TLS material and Authorization for one request, made fresh each time so that an exec
   * plugin's short-lived token or a rotated service account token is picked up. Client-node's
   * order: the cluster's CA, server name and verification, the user's certificate and key,
   * impersonation, basic auth, then the first credential plugin that claims the user, then a
   * static token, which wins.
   */
  async requestOptions(): Promise<https.RequestOptions> {
    const target = this.target();
    if (!target) throw new KubeConfigError('the kubeconfig names no cluster for the current context');
    const { cluster, user } = target;
    const opts: https.RequestOptions = {};
    if (cluster.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = fileOrData(cluster.caFile, cluster.caData);
    if (ca) opts.ca = ca;
    if (!user) return opts;
    const cert = fileOrData(user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = fileOrData(user.keyFile, user.keyData);
    if (key) opts.key = key;
    const headers: Record<string, string> = {};
    opts.headers = headers;
    if (user.impersonateUser) headers['Impersonate-User'] = user.impersonateUser;
    if (user.username) opts.auth = `${user.username}:${user.password ?? ''}`;
    const plugin = this.authenticators.find((a) => a.isAuthProvider(user));
    if (plugin) await plugin.applyAuthentication(user, opts);
    else if (user.authProvider?.name) {
      throw new KubeConfigError(
        `the kubeconfig's user "${user.name}" uses the "${user.authProvider.name}" auth provider, which shipshape does not support: use an exec credential plugin (kubectl's own advice)`,
      );
    }
    if (user.token) headers.Authorization = `Bearer ${user.token}`;
    return opts;
  }
}

function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}
