import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run, which } from '../render/exec.js';

/**
 * The little git the pull-request job needs: make sure the base commit is here (a shallow
 * checkout may lack it), find the merge base, list changed files, and extract a commit's tree to
 * a temporary folder. Extraction uses `git archive`, which writes nothing into the user's
 * repository (no worktree bookkeeping, no index change).
 */

export interface GitChange {
  status: string;
  file: string;
  previous?: string;
}

async function git(cwd: string, args: string[], timeoutMs = 120_000) {
  const program = (await which('git')) ?? 'git';
  // The base commit may have to be fetched from origin: git (trusted, from the runner) may reach it.
  return run(program, args, { cwd, timeoutMs, network: true, env: { GIT_TERMINAL_PROMPT: '0' } });
}

export async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  return (await git(cwd, ['cat-file', '-e', `${sha}^{commit}`])).code === 0;
}

/**
 * Fetch `sha` from origin when it is missing. `actions/checkout` makes a depth-1 clone by
 * default; deepening by the commit itself is what GitHub allows for any reachable commit.
 */
export async function ensureCommit(cwd: string, sha: string): Promise<string | undefined> {
  if (await hasCommit(cwd, sha)) return undefined;
  const fetched = await git(cwd, [
    'fetch',
    '--no-tags',
    '--no-recurse-submodules',
    '--depth=100',
    'origin',
    sha,
  ]);
  if (fetched.code === 0 && (await hasCommit(cwd, sha))) return undefined;
  return `cannot fetch the base commit ${sha.slice(0, 12)}: ${fetched.stderr.trim().split('\n').pop() ?? 'git fetch failed'}`;
}

/** The commit a checkout has out (`HEAD`), or undefined outside a repository. */
export async function checkedOut(cwd: string): Promise<string | undefined> {
  const res = await git(cwd, ['rev-parse', 'HEAD']);
  return res.code === 0 ? res.stdout.trim() : undefined;
}

export async function mergeBase(cwd: string, a: string, b: string): Promise<string | undefined> {
  const res = await git(cwd, ['merge-base', a, b]);
  return res.code === 0 ? res.stdout.trim() : undefined;
}

/** Files changed between two commits, with renames' previous names (both sides matter). */
export async function changedFiles(
  cwd: string,
  base: string,
  head: string,
): Promise<GitChange[] | undefined> {
  const res = await git(cwd, ['diff', '--name-status', '-z', '-M', base, head]);
  if (res.code !== 0) return undefined;
  const parts = res.stdout.split('\0').filter((p) => p !== '');
  const out: GitChange[] = [];
  for (let i = 0; i < parts.length; ) {
    const status = parts[i++];
    if (status.startsWith('R') || status.startsWith('C')) {
      const previous = parts[i++];
      out.push({ status: status[0], file: parts[i++], previous });
    } else {
      out.push({ status, file: parts[i++] });
    }
  }
  return out;
}

/** A commit's files in a fresh temporary folder; remove it with the returned function. */
export async function extractCommit(
  cwd: string,
  sha: string,
): Promise<{ dir: string; remove: () => Promise<void> } | { error: string }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'shipshape-base-'));
  const remove = () => rm(tmp, { recursive: true, force: true });
  const tar = path.join(tmp, 'tree.tar');
  const dir = path.join(tmp, 'tree');
  await mkdir(dir);
  const archived = await git(cwd, ['archive', '--format=tar', '-o', tar, sha]);
  if (archived.code !== 0) {
    await remove();
    return { error: `git archive ${sha.slice(0, 12)} failed: ${archived.stderr.trim()}` };
  }
  const tarProgram = (await which('tar')) ?? 'tar';
  const extracted = await run(tarProgram, ['-xf', tar, '-C', dir], { timeoutMs: 120_000 });
  if (extracted.code !== 0) {
    await remove();
    return { error: `extracting ${sha.slice(0, 12)} failed: ${extracted.stderr.trim()}` };
  }
  return { dir, remove };
}

/**
 * A file's text as a commit has it, or undefined when the commit has no such file (or it is not
 * a regular file: a symlink's target is never followed). For what must not come from the pull
 * request: the config and the baseline are read from the base commit.
 */
export async function readFileAtCommit(
  cwd: string,
  sha: string,
  file: string,
  maxBytes = 4 * 1024 * 1024,
): Promise<string | undefined> {
  const name = path.posix.normalize(file.split(path.sep).join('/')).replace(/^(\.\/)+/, '');
  if (name.startsWith('../') || name === '..' || path.posix.isAbsolute(name)) return undefined;
  const tree = await git(cwd, ['ls-tree', '-z', '--full-tree', sha, '--', name]);
  // `<mode> blob <sha>\t<name>`: only a regular file (100644 or 100755) counts.
  const entry = /^(100644|100755) blob ([0-9a-f]+)\t/.exec(tree.stdout);
  if (tree.code !== 0 || !entry) return undefined;
  const size = await git(cwd, ['cat-file', '-s', entry[2]]);
  if (size.code !== 0 || Number(size.stdout.trim()) > maxBytes) return undefined;
  const blob = await git(cwd, ['cat-file', 'blob', entry[2]]);
  return blob.code === 0 ? blob.stdout : undefined;
}
