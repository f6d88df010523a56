import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printable } from '../model/text.js';

/**
 * The only place that starts processes. No shell: arguments go to the program as they are, so a
 * chart or values path can never be read as a command. The environment is minimal: helm and
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

export function run(program: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = Math.min(Math.max(1, options.timeoutMs ?? 60_000), MAX_TIMEOUT_MS);
  const maxMemory = options.maxMemoryBytes;
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, args, {
        cwd: options.cwd,
        env: minimalEnv(options.env, options.network),
        stdio: ['ignore', 'pipe', 'pipe'],
        // A process group of its own: the whole group is stopped at the bounds.
        detached: true,
      });
    } catch (err) {
      resolve({ code: 127, stdout: '', stderr: `${(err as Error).message}\n`, timedOut: false });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let overMemory: number | undefined;
    let tooMuchOutput = false;
    let spawnError: Error | undefined;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT_BYTES) {
        tooMuchOutput = true;
        killGroup();
      } else out.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (errBytes <= 4 * 1024 * 1024) err.push(chunk);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    let polling = false;
    const poll =
      maxMemory !== undefined && child.pid !== undefined && process.platform === 'linux'
        ? setInterval(async () => {
            if (polling || child.pid === undefined) return;
            polling = true;
            const rss = await treeResidentBytes(child.pid);
            polling = false;
            if (rss > maxMemory && overMemory === undefined) {
              overMemory = rss;
              killGroup();
            }
          }, MEMORY_POLL_MS)
        : undefined;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      // Whatever the program left behind in its group goes with it.
      killGroup();
      // What a tool prints may come from the input (a chart's `fail` message): printable only.
      let stderr = printable(Buffer.concat(err).toString('utf8'));
      if (spawnError) stderr += `${spawnError.message}\n`;
      if (tooMuchOutput) stderr += `output over ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB; stopped\n`;
      const status = code ?? (signal ? 128 + (os.constants.signals[signal] ?? 9) : 1);
      resolve({
        code: spawnError ? 127 : status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        timedOut,
        ...(overMemory !== undefined ? { overMemory } : {}),
      });
    });
  });
}

/** Resident bytes of a process and all its descendants (Linux /proc); 0 when it is gone. */
export async function treeResidentBytes(pid: number): Promise<number> {
  let total = 0;
  const queue = [pid];
  const seen = new Set<number>();
  while (queue.length > 0 && seen.size < 1000) {
    const p = queue.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(procText(`/proc/${p}/status`));
    if (kb) total += Number(kb[1]) * 1024;
    // Children hang off the thread that started them: read every thread's list.
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      // gone already
    }
    for (const task of tasks) {
      for (const c of procText(`/proc/${p}/task/${task}/children`).split(/\s+/)) if (c) queue.push(Number(c));
    }
  }
  return total;
}

/**
 * A small /proc file, read at once into one reused buffer: the bound is checked every 100 ms for
 * every process, and reading these files the usual way (a 64 KiB buffer and five system calls
 * each, as their size is unknown) cost a third of a render's CPU time.
 */
const procBuffer = Buffer.alloc(16 * 1024);
function procText(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const n = readSync(fd, procBuffer, 0, procBuffer.length, null);
    return procBuffer.toString('utf8', 0, n);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
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
