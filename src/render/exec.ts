import { access, constants } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printable } from '../model/text.js';
import { launch } from './launcher.js';

/**
 * The only place that starts processes (through the launcher, `launcher.ts`). No shell: arguments
 * go to the program as they are, so a chart or values path can never be read as a command. The environment is minimal: helm and
 * kustomize need a PATH and a home for their caches, not the caller's tokens, and every way out
 * to a network is closed. Each process runs in a process group of its own, bounded in time and
 * in resident memory; at the bound, and after it exits, the whole group is killed, so no
 * grandchild outlives it.
 */

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** True when the time limit killed the process. */
  timedOut: boolean;
  /** Set when the memory bound killed the process: the resident bytes seen. */
  overMemory?: number;
}

export interface RunOptions {
  cwd?: string;
  timeoutMs?: number;
  /** Resident memory (bytes) of the process and its descendants at which it is stopped. */
  maxMemoryBytes?: number;
  env?: Record<string, string>;
  /** Let the process reach the network (never for renders of untrusted input). */
  network?: boolean;
}

/** The longest bound a timer can hold (Node fires at once past 2^31 - 1 ms). */
export const MAX_TIMEOUT_MS = 3_600_000;
export const DEFAULT_MAX_MEMORY_BYTES = 2 * 1024 ** 3;
/** Longest message taken from a tool's output into a report. */
export const MAX_MESSAGE = 2000;
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const MAX_ERROR_BYTES = 4 * 1024 * 1024;
/**
 * How often the memory bound is checked. A tool's heap grows by well under a GiB in this time, and
 * each check reads a few /proc files per process and thread.
 */
const MEMORY_POLL_MS = 100;

const PASSED_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'HELM_CACHE_HOME',
  'HELM_CONFIG_HOME',
  'HELM_DATA_HOME',
  'LANG',
];

/**
 * A proxy that refuses at once: any HTTP(S) request a tool tries (a remote base, a chart
 * repository, an OCI registry) fails without a DNS lookup or a connection anywhere else.
 */
const DEAD_PROXY = 'http://127.0.0.1:9';

export function minimalEnv(extra: Record<string, string> = {}, network = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  env.HOME ??= os.tmpdir();
  // Helm must never load a plugin (a post-renderer, a downloader) while rendering.
  env.HELM_NO_PLUGINS = '1';
  if (!network) {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'])
      env[name] = DEAD_PROXY;
    // git (kustomize clones remote bases with it) may use no transport at all, not even file://.
    env.GIT_ALLOW_PROTOCOL = 'none';
    env.GIT_TERMINAL_PROMPT = '0';
    env.GIT_CONFIG_NOSYSTEM = '1';
  }
  // helm and kustomize are short-lived Go programs: collecting garbage a quarter as often saves
  // about a sixth of their CPU time (measured on `helm template`), and the soft memory limit keeps
  // a huge chart from growing the heap without bound. Values the caller set win.
  env.GOGC = process.env.GOGC ?? '400';
  env.GOMEMLIMIT = process.env.GOMEMLIMIT ?? '1GiB';
  return { ...env, ...extra };
}

export async function run(
  program: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const timeoutMs = Math.min(Math.max(1, options.timeoutMs ?? 60_000), MAX_TIMEOUT_MS);
  const res = await launch({
    program,
    args,
    cwd: options.cwd,
    env: minimalEnv(options.env, options.network),
    timeoutMs,
    maxMemoryBytes: options.maxMemoryBytes,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    maxErrorBytes: MAX_ERROR_BYTES,
    pollMs: MEMORY_POLL_MS,
  });
  // What a tool prints may come from the input (a chart's `fail` message): printable only.
  let stderr = printable(res.stderr);
  if (res.spawnError !== undefined) stderr += `${printable(res.spawnError)}\n`;
  if (res.tooMuchOutput) stderr += `output over ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB; stopped\n`;
  const status =
    res.code ?? (res.signal ? 128 + (os.constants.signals[res.signal as NodeJS.Signals] ?? 9) : 1);
  return {
    code: res.spawnError !== undefined ? 127 : status,
    stdout: res.stdout,
    stderr,
    timedOut: res.timedOut,
    ...(res.overMemory !== undefined ? { overMemory: res.overMemory } : {}),
  };
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

/** Why a bounded process was stopped, in words: `timed out after 60 s`, `used over 2 GiB ...`. */
export function boundMessage(res: RunResult, bounds: { timeoutMs: number; maxMemoryBytes?: number }): string {
  if (res.overMemory !== undefined) {
    return `was stopped: it used ${mib(res.overMemory)} of memory, over the bound of ${mib(bounds.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES)} (render.maxMemoryMiB)`;
  }
  return `timed out after ${bounds.timeoutMs / 1000} s (render.timeoutSeconds)`;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}
