import { readFileSync } from 'node:fs';

/** Running (a zombie nobody reaped yet is not: in a container, PID 1 may never reap it). */
export function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
