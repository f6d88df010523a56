/**
 * A fresh local Kubernetes control plane (etcd + kube-apiserver, real binaries) for one vitest suite.
 *
 *   import { useCluster } from '../support/cluster.js';
 *
 *   const cluster = useCluster(); // call at the top of a file or describe block
 *
 *   it('applies', async () => {
 *     const c = cluster();
 *     await c.kubectl(['apply', '--server-side', '-f', '-'], { input: yaml, check: true });
 *     const r = await c.kubectl(['get', 'deploy', 'web', '-o', 'json']);
 *     expect(r.code, r.stderr).toBe(0);
 *   });
 *
 * - One control plane per suite: started in beforeAll (about 3 s), shared by the suite's tests, stopped and
 *   its folder removed in afterAll, whether the tests passed or not.
 * - `cluster()` returns the TestCluster below; call it inside tests or hooks, not at collection time.
 * - kubectl, helm and kustomize run with `env`: PATH starts with the tools folder, KUBECONFIG points at the
 *   admin kubeconfig (system:masters), and kubectl's discovery cache and helm's folders live in the
 *   cluster's own folder, so suites never see each other's state. Pass `env` to add or override variables
 *   (EDITOR for `kubectl edit`, say).
 * - The runners never throw for a non-zero exit unless `check: true`; they resolve { stdout, stderr, code }.
 * - There is no kubelet, scheduler or controller manager: no pod runs, Deployments get no ReplicaSets,
 *   and namespaces get no `default` service account. Create the service accounts a test needs.
 * - The binaries come from .tools/bin (`npm run tools`); when they are missing the suite fails with a
 *   message saying so. `tools` gives their absolute paths.
 * - Read objects with @kubernetes/client-node: `new KubeConfig().loadFromFile(c.kubeconfig)`.
 */

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { down, killNow, sweepOrphans, TOOLS_BIN, type ToolPaths, up } from '../../../scripts/cluster.mjs';

export interface RunResult {
  stdout: string;
  stderr: string;
  /** The exit code; -1 when the process was killed by a signal. */
  code: number;
}

export interface RunOptions {
  /** Written to the process's stdin (otherwise stdin is empty). */
  input?: string;
  /** Added to (and overriding) the cluster's env. */
  env?: Record<string, string>;
  cwd?: string;
  /** Throw, with the command and its stderr, when the exit code is not 0. */
  check?: boolean;
  /** Kill the process after this many ms (default 60 000) and reject. */
  timeoutMs?: number;
}

export type Runner = (args: string[], options?: RunOptions) => Promise<RunResult>;

export interface TestCluster {
  /** The cluster's name; its folder is `dir`. */
  name: string;
  dir: string;
  /** Path of the admin kubeconfig. */
  kubeconfig: string;
  /** The API server's URL, https://127.0.0.1:<port>. */
  server: string;
  /** process.env plus PATH, KUBECONFIG and the per-cluster cache folders. */
  env: NodeJS.ProcessEnv;
  /** Absolute paths of kubectl, helm, kustomize, kube-apiserver and etcd. */
  tools: ToolPaths;
  kubectl: Runner;
  helm: Runner;
  kustomize: Runner;
}

/** Register beforeAll/afterAll hooks that give the calling suite its own control plane. */
export function useCluster(): () => TestCluster {
  let current: TestCluster | undefined;
  let name: string | undefined;
  // afterAll does not run if the worker is torn down abruptly; an 'exit' handler still can, synchronously.
  const killOnExit = () => {
    if (name) killNow(name);
  };

  beforeAll(async () => {
    await sweepOrphans();
    const started = await up();
    name = started.name;
    process.once('exit', killOnExit);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`,
      KUBECONFIG: started.kubeconfig,
      // Ports are reused between clusters; a shared discovery cache would mix up their API groups.
      KUBECACHEDIR: join(started.dir, 'kube-cache'),
      HELM_CACHE_HOME: join(started.dir, 'helm', 'cache'),
      HELM_CONFIG_HOME: join(started.dir, 'helm', 'config'),
      HELM_DATA_HOME: join(started.dir, 'helm', 'data'),
    };
    const runner =
      (path: string): Runner =>
      (args, options) =>
        runTool(path, args, { ...options, env: { ...env, ...options?.env } as Record<string, string> });
    current = {
      name: started.name,
      dir: started.dir,
      kubeconfig: started.kubeconfig,
      server: started.server,
      env,
      tools: started.tools,
      kubectl: runner(started.tools.kubectl),
      helm: runner(started.tools.helm),
      kustomize: runner(started.tools.kustomize),
    };
  });

  afterAll(async () => {
    current = undefined;
    if (name) {
      process.off('exit', killOnExit);
      await down({ name });
    }
  });

  return () => {
    if (!current) {
      throw new Error(
        'useCluster(): the cluster exists only inside tests and hooks, after its beforeAll ran',
      );
    }
    return current;
  };
}

/** Run a binary to completion and collect its output. */
export function runTool(
  path: string,
  args: string[],
  options: RunOptions & { env: Record<string, string> },
): Promise<RunResult> {
  const { input, env, cwd, check = false, timeoutMs = 60_000 } = options;
  const command = [path.split('/').pop(), ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command}: no exit after ${timeoutMs} ms; stderr so far:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command}: could not start: ${error.message}`));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const code = exitCode ?? -1;
      if (check && code !== 0) reject(new Error(`${command}: exit ${code}\n${stderr || stdout}`));
      else resolve({ stdout, stderr, code });
    });
    child.stdin.on('error', () => {}); // a tool that exits without reading stdin is not our error
    child.stdin.end(input ?? '');
  });
}
