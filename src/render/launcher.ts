import type { ChildProcess } from 'node:child_process';

/**
 * A small process that starts the tools for us.
 *
 * Starting a program from Node forks the whole process, and `spawn` blocks until the copy has
 * replaced itself with the program. For a render process of 80 to 100 MB that wait was 15 ms per
 * tool call, and every page the process wrote afterwards cost a copy-on-write fault: a third of a
 * render's own CPU time, measured on 63 targets (1 s of 2.5 s). The launcher is a bare Node process
 * started once, while nothing else runs in it; forking it costs a fraction of that, off our thread.
 *
 * It runs `launcherMain` below as `node -e`, so that function must use nothing from outside itself.
 * Requests and replies go over Node's IPC channel. When this process goes away, the channel closes
 * and the launcher kills every process group it started, then exits.
 */

export interface LaunchRequest {
  program: string;
  args: readonly string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxMemoryBytes?: number;
  maxOutputBytes: number;
  maxErrorBytes: number;
  pollMs: number;
}

export interface LaunchReply {
  id: number;
  /** Exit status, or null when a signal ended the process. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  overMemory?: number;
  tooMuchOutput: boolean;
  /** Why the program could not start (ENOENT, EACCES), when it could not. */
  spawnError?: string;
}

interface Pending {
  resolve: (reply: LaunchReply) => void;
  /** The launcher it was sent to: when one stops, only its own runs fail. */
  child: ChildProcess;
}

let launcher: ChildProcess | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

/** Runs one program in the launcher; resolves when it has exited and its group is gone. */
export function launch(request: LaunchRequest): Promise<LaunchReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    const child = current();
    pending.set(id, { resolve, child });
    child.ref();
    (child.channel as { ref?: () => void } | undefined)?.ref?.();
    try {
      child.send({ id, ...request });
    } catch (err) {
      pending.delete(id);
      resolve(failed(id, `could not reach the process launcher: ${(err as Error).message}`));
    }
  });
}

function current(): ChildProcess {
  if (launcher?.connected) return launcher;
  // Loaded when first needed (with `net` and `dgram`, 6 ms): a check of plain files starts no program.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(process.execPath, ['-e', `(${launcherMain.toString()})(require)`], {
    // Nothing of ours: each request carries the (minimal) environment of its program.
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
  });
  launcher = child;
  child.on('message', (reply: LaunchReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    idle(child);
    waiting?.resolve(reply);
  });
  const gone = (why: string) => {
    if (launcher === child) launcher = undefined;
    for (const [id, waiting] of pending) {
      if (waiting.child !== child) continue;
      pending.delete(id);
      waiting.resolve(failed(id, `the process launcher stopped (${why})`));
    }
  };
  child.on('error', (err) => gone(err.message));
  child.on('exit', (code, signal) => gone(signal ?? `exit ${code}`));
  idle(child);
  return child;
}

/** With nothing running, the launcher must not keep this process alive. */
function idle(child: ChildProcess): void {
  for (const waiting of pending.values()) if (waiting.child === child) return;
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
}

function failed(id: number, message: string): LaunchReply {
  return {
    id,
    code: 127,
    signal: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    tooMuchOutput: false,
    spawnError: message,
  };
}

/**
 * The launcher's program. It receives `{id, ...LaunchRequest}` and answers with a `LaunchReply`.
 * Each program runs in a process group of its own, with no shell, bounded in time, output and
 * resident memory (its descendants counted); at a bound, and after it exits, the whole group is
 * killed, so no grandchild outlives it.
 */
export function launcherMain(req: NodeJS.Require): void {
  const { spawn } = req('node:child_process') as typeof import('node:child_process');
  const { closeSync, openSync, readdirSync, readSync } = req('node:fs') as typeof import('node:fs');
  const running = new Set<number>();

  const killGroup = (pid: number | undefined) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  };

  // A small /proc file, read at once into one reused buffer: the bound is checked every 100 ms for
  // every process, and reading these files the usual way (a 64 KiB buffer and five system calls each,
  // as their size is unknown) cost a third of a render's CPU time.
  const procBuffer = Buffer.alloc(16 * 1024);
  const procText = (file: string): string => {
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
  };

  // Resident bytes of a process and all its descendants; 0 when it is gone.
  const treeResidentBytes = (pid: number): number => {
    let total = 0;
    const queue = [pid];
    const seen = new Set<number>();
    while (queue.length > 0 && seen.size < 1000) {
      const p = queue.pop() as number;
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
        for (const c of procText(`/proc/${p}/task/${task}/children`).split(/\s+/))
          if (c) queue.push(Number(c));
      }
    }
    return total;
  };

  type Request = LaunchRequest & { id: number };

  const start = (r: Request) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let tooMuchOutput = false;
    let overMemory: number | undefined;
    let spawnError: string | undefined;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(r.program, r.args, {
        cwd: r.cwd,
        env: r.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (e) {
      reply({
        id: r.id,
        code: 127,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut,
        tooMuchOutput,
        spawnError: String((e as Error).message),
      });
      return;
    }
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > r.maxOutputBytes) {
        tooMuchOutput = true;
        killGroup(pid);
      } else out.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (errBytes <= r.maxErrorBytes) err.push(chunk);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(pid);
    }, r.timeoutMs);
    const poll =
      r.maxMemoryBytes !== undefined && pid !== undefined && process.platform === 'linux'
        ? setInterval(() => {
            const rss = treeResidentBytes(pid);
            if (rss > (r.maxMemoryBytes as number) && overMemory === undefined) {
              overMemory = rss;
              killGroup(pid);
            }
          }, r.pollMs)
        : undefined;
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      // Whatever the program left behind in its group goes with it.
      killGroup(pid);
      if (pid !== undefined) running.delete(pid);
      reply({
        id: r.id,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        tooMuchOutput,
        ...(overMemory !== undefined ? { overMemory } : {}),
        ...(spawnError !== undefined ? { spawnError } : {}),
      });
    });
  };

  const reply = (message: object) => {
    try {
      process.send?.(message);
    } catch {
      // the requester is gone; 'disconnect' cleans up
    }
  };

  process.on('message', (r: Request) => start(r));
  process.on('disconnect', () => {
    for (const pid of running) killGroup(pid);
    process.exit(0);
  });
}

/**
 * Lets the launcher go and waits (up to 2 s) until it has exited, so that its CPU time and its
 * tools' count as this process's children (`time shipshape render`, benchmarks). Without this it
 * exits anyway once this process is gone.
 */
export async function stopLauncher(): Promise<void> {
  const child = launcher;
  if (!child?.connected) return;
  launcher = undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    setTimeout(resolve, 2000).unref();
  });
  // Held until it exits: an idle launcher is unreferenced, and nothing else may keep this process up.
  child.ref();
  child.disconnect();
  await exited;
}

/** The running launcher's process id, if one runs (for tests). */
export function launcherPid(): number | undefined {
  return launcher?.pid;
}
