import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run, which } from './exec.js';

/**
 * The git side of the rendered diff: a temporary worktree for the base (removed afterwards, so
 * the user's checkout is never touched) and the files a change touches.
 */

export class GitError extends Error {}

async function git(cwd: string, args: string[]): Promise<string> {
  const bin = (await which('git')) ?? 'git';
  const res = await run(bin, args, { cwd, timeoutMs: 120_000 });
  if (res.code !== 0)
    throw new GitError(`git ${args.join(' ')}: ${res.stderr.trim().split('\n').pop() ?? 'failed'}`);
  return res.stdout;
}

export async function repoRoot(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
}

/** The commit a ref names, or a GitError that says the ref is unknown. */
export async function resolveRef(cwd: string, ref: string): Promise<string> {
  return (
    await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
      throw new GitError(`unknown git ref "${ref}"`);
    })
  ).trim();
}

export interface Worktree {
  dir: string;
  remove(): Promise<void>;
}

/** Check out `ref` (detached) in a temporary worktree. */
export async function addWorktree(root: string, ref: string): Promise<Worktree> {
  const commit = await resolveRef(root, ref);
  const parent = await mkdtemp(path.join(os.tmpdir(), 'shipshape-worktree-'));
  const dir = path.join(parent, 'tree');
  await git(root, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  return {
    dir,
    async remove() {
      await git(root, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
      await rm(parent, { recursive: true, force: true });
      await git(root, ['worktree', 'prune']).catch(() => undefined);
    },
  };
}

/** Files (relative to the repository root) that differ between `base` and `head` (or the working tree). */
export async function changedFiles(root: string, base: string, head?: string): Promise<string[]> {
  const args = ['diff', '--name-only', '--no-renames', '-z', base];
  if (head) args.push(head);
  const files = (await git(root, args)).split('\0').filter(Boolean);
  if (!head) {
    // New files not yet committed are part of the working tree's change too.
    files.push(
      ...(await git(root, ['ls-files', '--others', '--exclude-standard', '-z'])).split('\0').filter(Boolean),
    );
  }
  return [...new Set(files)].sort();
}

/**
 * The `origin` remote's URL, or undefined (no git, no remote). It names the repository for GitOps
 * discovery; it may hold credentials, so callers normalise it and never print it.
 */
export async function originUrl(cwd: string): Promise<string | undefined> {
  try {
    return (await git(cwd, ['config', '--get', 'remote.origin.url'])).trim() || undefined;
  } catch {
    return undefined;
  }
}
