import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type RunResult, run, which } from './exec.js';

/**
 * All the git shipshape runs, for the one base-vs-head pipeline (jobs/pull-request.ts) that the
 * Action's pull-request job, `shipshape diff` and `shipshape check --base` share: make sure a
 * commit is here (a shallow checkout may lack it), resolve refs, find the merge base, list the
 * files a change touches (with renames' previous names; with the working tree and its new files
 * when there is no head commit), extract a commit's tree to a temporary folder, and read one
 * file at a commit. Extraction uses `git archive`, which writes nothing into the user's
 * repository (no worktree bookkeeping, no index change); the user's checkout is never touched.
 */

export class GitError extends Error {}

export interface GitChange {
  /** `A`, `M`, `D`, `R` (renamed from `previous`), `C` (copied), `T` ... as `git diff --name-status` says. */
  status: string;
  file: string;
  previous?: string;
}

/**
 * Run git. Only `fetch` reaches the network: git (trusted, from the runner or the user's PATH)
 * may fetch a missing base commit from origin.
 */
async function git(cwd: string, args: string[], options: { network?: boolean } = {}): Promise<RunResult> {
  const program = (await which('git')) ?? 'git';
  return run(program, args, {
    cwd,
    timeoutMs: 120_000,
    network: options.network === true,
    env: { GIT_TERMINAL_PROMPT: '0' },
  });
}

/** git's output, or a GitError with its last line of complaint. */
async function gitOut(cwd: string, args: string[]): Promise<string> {
  const res = await git(cwd, args);
  if (res.code !== 0)
    throw new GitError(`git ${args.join(' ')}: ${res.stderr.trim().split('\n').pop() || 'failed'}`);
  return res.stdout;
}

export async function repoRoot(cwd: string): Promise<string> {
  return (await gitOut(cwd, ['rev-parse', '--show-toplevel'])).trim();
}

/** The commit a ref names, or a GitError that says the ref is unknown. */
export async function resolveRef(cwd: string, ref: string): Promise<string> {
  const res = await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (res.code !== 0) throw new GitError(`unknown git ref "${ref}"`);
  return res.stdout.trim();
}

export async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  return (await git(cwd, ['cat-file', '-e', `${sha}^{commit}`])).code === 0;
}

/**
 * Fetch `sha` from origin when it is missing; a message saying why it cannot be had, else
 * undefined. `actions/checkout` makes a depth-1 clone by default; deepening by the commit itself
 * is what GitHub allows for any reachable commit.
 */
export async function ensureCommit(cwd: string, sha: string): Promise<string | undefined> {
  if (await hasCommit(cwd, sha)) return undefined;
  const fetched = await git(
    cwd,
    ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=100', 'origin', sha],
    {
      network: true,
    },
  );
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

/**
 * Files changed from `base` to `head` (repository-relative), with renames' previous names (both
 * sides matter). Without `head`, to the working tree, new files not yet committed included.
 */
export async function changedFiles(
  cwd: string,
  base: string,
  head?: string,
): Promise<GitChange[] | undefined> {
  const res = await git(cwd, ['diff', '--name-status', '-z', '-M', base, ...(head ? [head] : [])]);
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
  if (!head) {
    // New files not yet committed are part of the working tree's change too (from the top, so
    // that every name is repository-relative as git diff's are).
    const untracked = await git(await repoRoot(cwd), ['ls-files', '--others', '--exclude-standard', '-z']);
    for (const file of untracked.stdout.split('\0').filter(Boolean)) out.push({ status: 'A', file });
  }
  return out;
}

/** A commit's files in a fresh temporary folder; remove it with the returned function. */
export async function extractCommit(
  cwd: string,
  sha: string,
): Promise<{ dir: string; remove: () => Promise<void> } | { error: string }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'shipshape-tree-'));
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

/**
 * The `origin` remote's URL, or undefined (no git, no remote). It names the repository for GitOps
 * discovery; it may hold credentials, so callers normalise it and never print it.
 */
export async function originUrl(cwd: string): Promise<string | undefined> {
  const res = await git(cwd, ['config', '--get', 'remote.origin.url']);
  return res.code === 0 ? res.stdout.trim() || undefined : undefined;
}
