import { stat } from 'node:fs/promises';
import path from 'node:path';
import { relativeName } from '../load/files.js';
import { isInside } from '../render/contain.js';
import type { Context } from './model.js';

/**
 * Paths an app definition names (a source's `path`, a values file, a component) are untrusted: each
 * must be relative and resolve, symlinks followed, inside the repository and outside `.git`.
 * Otherwise the reason, which the caller reports on the definition's line.
 */

export interface Resolved {
  abs: string;
  /** Relative to the working directory, `.` for itself. */
  rel: string;
  exists: boolean;
  isDir: boolean;
}

export async function resolveIn(
  ctx: Pick<Context, 'cwd' | 'root' | 'contain'>,
  from: string,
  p: string,
): Promise<Resolved | { error: string }> {
  if (path.isAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p)) {
    return {
      error: `"${p}" is an absolute path; app definitions are read only for paths inside the repository`,
    };
  }
  const abs = path.resolve(from, p);
  if (!isInside(ctx.root, abs)) return { error: `"${p}" leads outside the repository; refused` };
  const reason = await ctx.contain.check(abs);
  if (reason) return { error: `"${p}": ${reason}; refused (only the repository is read, outside .git)` };
  const st = await stat(abs).catch(() => undefined);
  return { abs, rel: relativeName(ctx.cwd, abs) || '.', exists: !!st, isDir: !!st?.isDirectory() };
}

/**
 * A path named from the top of the repository (an Argo CD source's `path`, a Flux source's):
 * from the repository's root, else from a folder discovery was pointed at, whichever has it.
 */
export async function resolveFromTop(
  ctx: Pick<Context, 'cwd' | 'root' | 'contain' | 'bases'>,
  p: string,
): Promise<Resolved | { error: string }> {
  let first: Resolved | { error: string } | undefined;
  for (const base of ctx.bases) {
    const r = await resolveIn(ctx, base, p === '' ? '.' : p);
    if ('error' in r) return r;
    if (r.exists) return r;
    first ??= r;
  }
  return first ?? { error: `"${p}" cannot be resolved` };
}
