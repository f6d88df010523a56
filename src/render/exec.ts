import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * The only place that starts processes. No shell: arguments go to the program as they are, so a
 * chart or values path can never be read as a command. The environment is minimal: helm and
 * kustomize need a PATH and a home for their caches, not the caller's tokens.
 */

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** True when the time limit killed the process. */
  timedOut: boolean;
}

const PASSED_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'HELM_CACHE_HOME',
  'HELM_CONFIG_HOME',
  'HELM_DATA_HOME',
  'LANG',
];

export function minimalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  env.HOME ??= os.tmpdir();
  // Helm must never reach out for a repository index or a plugin update while rendering.
  env.HELM_NO_PLUGINS = '1';
  // helm and kustomize are short-lived Go programs: collecting garbage a quarter as often saves
  // about a sixth of their CPU time (measured on `helm template`), and the soft memory limit keeps
  // a huge chart from growing the heap without bound. Values the caller set win.
  env.GOGC = process.env.GOGC ?? '400';
  env.GOMEMLIMIT = process.env.GOMEMLIMIT ?? '1GiB';
  return { ...env, ...extra };
}

export function run(
  program: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      {
        cwd: options.cwd,
        env: minimalEnv(options.env),
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: unknown }) | null;
        const timedOut = Boolean(err?.killed);
        let code = 0;
        if (err) code = typeof err.code === 'number' ? err.code : 127;
        if (err && typeof err.code === 'string') stderr = `${stderr}${err.message}\n`;
        resolve({ code, stdout, stderr, timedOut });
      },
    );
  });
}

/** The first executable named `name` on PATH, or undefined. */
export async function which(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}
