// Types for scripts/cluster.mjs, so that the TypeScript test helper can import it.

export type ToolName = 'kubectl' | 'helm' | 'kustomize' | 'kube-apiserver' | 'etcd';
export type ToolPaths = Record<ToolName, string>;

export const TOOLS_BIN: string;
export const TOOL_NAMES: ToolName[];

export interface ClusterState {
  name: string;
  /** The cluster's folder: certificates, etcd data, logs, kubeconfig. */
  dir: string;
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  pids: Partial<Record<'etcd' | 'kube-apiserver', number>>;
  startedAt: string;
  readyAfterMs?: number;
  /** The test process that owns the cluster; null for clusters started by the CLI. */
  ownerPid: number | null;
}

export interface StartedCluster extends ClusterState {
  tools: ToolPaths;
  /** The folder with kubectl, helm and kustomize (and etcd, kube-apiserver). */
  pathDir: string;
}

export function toolPaths(): ToolPaths;
export function stateDirFor(name: string): string;
export function up(options?: {
  name?: string;
  kubeconfig?: string;
  detached?: boolean;
}): Promise<StartedCluster>;
export function down(options: { name: string }): Promise<boolean>;
export function status(options: {
  name: string;
}): Promise<Partial<ClusterState> & { name: string; dir: string; up: boolean; ready: boolean }>;
export function listStates(): Promise<string[]>;
export function killNow(name: string): void;
/** Stop and remove the clusters of test processes that died without cleaning up; returns their names. */
export function sweepOrphans(): Promise<string[]>;
