import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * What a render may read: files inside the repository checkout and outside its `.git/`. A pull
 * request controls every chart, overlay and symlink in it, and helm and kustomize follow
 * symlinks; so before a tool runs, every path it will be given and every symlink under the
 * folders it reads is resolved, and anything that lands outside (a kubeconfig, `/etc/passwd`,
 * `.git/config` with the checkout's token) is refused with the link named.
 */

export interface Escape {
  /** The path as the repository names it (relative to the root). */
  link: string;
  /** Why it is refused, in words. */
  reason: string;
}

/** Most entries one folder walk looks at before it gives up (and refuses the render). */
export const MAX_WALK_ENTRIES = 50_000;

export class Containment {
  private readonly realRoot: Promise<string>;
  private readonly scans = new Map<string, Promise<Scan>>();
  /** Each path is resolved once per run: every target of a repository asks about its shared bases. */
  private readonly checks = new Map<string, Promise<string | undefined>>();

  constructor(readonly root: string) {
    this.realRoot = realpath(root).catch(() => path.resolve(root));
  }

  /** The repository-relative name of an absolute path (as written, not resolved). */
  name(abs: string): string {
    const rel = path.relative(this.root, abs);
    return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel || '.').split(path.sep).join('/');
  }

  /**
   * Why `abs` may not be read, or undefined when it may: it must resolve (symlinks followed)
   * inside the root and outside its `.git`. A path that does not exist is the tool's to report.
   */
  check(abs: string): Promise<string | undefined> {
    const key = path.resolve(abs);
    let found = this.checks.get(key);
    if (!found) {
      found = this.resolveCheck(key);
      this.checks.set(key, found);
    }
    return found;
  }

  private async resolveCheck(abs: string): Promise<string | undefined> {
    const root = await this.realRoot;
    const lexical = path.resolve(abs);
    if (!isInside(path.resolve(this.root), lexical) && !isInside(root, lexical)) {
      return `${this.name(abs)} is outside the repository`;
    }
    const real = await realpath(lexical).catch(() => undefined);
    if (real === undefined) {
      // A dangling link, or a path that is not there: refuse a link whose target is outside.
      const st = await lstat(lexical).catch(() => undefined);
      if (!st?.isSymbolicLink()) return undefined;
      const target = path.resolve(path.dirname(lexical), await readlink(lexical));
      return isInside(root, target) || isInside(path.resolve(this.root), target)
        ? undefined
        : `${this.name(abs)} is a symbolic link to a path outside the repository`;
    }
    if (!isInside(root, real)) {
      return `${this.name(abs)} resolves to a path outside the repository`;
    }
    if (isGitDir(root, real)) return `${this.name(abs)} resolves into the repository's .git folder`;
    return undefined;
  }

  /**
   * Every symlink under `dir` (recursively) that resolves outside the repository or into
   * `.git`: what helm would follow when it loads a chart; and whether a `.git` folder sits under
   * it (a chart at the top of its repository), which helm would load too. Scanned once per
   * folder per run.
   */
  scan(dir: string): Promise<Scan> {
    const abs = path.resolve(dir);
    let scan = this.scans.get(abs);
    if (!scan) {
      scan = this.walk(abs);
      this.scans.set(abs, scan);
    }
    return scan;
  }

  /** The escaping symlinks under `dir` (see `scan`). */
  async escapesUnder(dir: string): Promise<Escape[]> {
    return (await this.scan(dir)).escapes;
  }

  private async walk(dir: string): Promise<Scan> {
    const out: Escape[] = [];
    let gitInside = false;
    let seen = 0;
    const queue = [dir];
    while (queue.length > 0) {
      const current = queue.pop()!;
      const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (++seen > MAX_WALK_ENTRIES) {
          out.push({
            link: this.name(dir),
            reason: `${this.name(dir)} holds more than ${MAX_WALK_ENTRIES} files; not rendered`,
          });
          return { escapes: out, gitInside };
        }
        const full = path.join(current, e.name);
        if (e.isSymbolicLink()) {
          const reason = await this.check(full);
          if (reason) out.push({ link: this.name(full), reason });
        } else if (e.isDirectory()) {
          if (e.name === '.git') gitInside = true;
          else queue.push(full);
        } else if (e.name === '.git') {
          gitInside = true; // a worktree's .git file
        }
      }
    }
    return { escapes: out, gitInside };
  }
}

export interface Scan {
  escapes: Escape[];
  /** A `.git` folder or file somewhere under the folder. */
  gitInside: boolean;
}

export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function isGitDir(root: string, real: string): boolean {
  const rel = path.relative(root, real);
  return rel.split(path.sep)[0] === '.git';
}

/**
 * The repository a working directory belongs to: the nearest folder upwards with a `.git`
 * (a folder, or the file a worktree has), else the folder itself.
 */
export async function repositoryRoot(cwd: string): Promise<string> {
  let dir = path.resolve(cwd);
  for (;;) {
    if (await stat(path.join(dir, '.git')).catch(() => undefined)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

/**
 * A reference that names something on a network rather than a path: any `scheme://` URL, an
 * scp-like `git@host:`, go-getter forms (`git::`, `?ref=`, `.git//`), or a host name followed
 * by a path (`github.com/org/repo`). Case does not matter to the tools, so not here either.
 */
const REMOTE_PATTERNS = [
  /^[a-z][a-z0-9+.-]*:\/\//i,
  /^[a-z0-9._-]+@[a-z0-9.-]+:/i,
  /^[a-z0-9]+::/i,
  /[?&]ref=/i,
  /\.git(\/\/|\/?$|\?)/i,
  /^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|dev|sh|cloud|co|de|cn|ru|uk|eu|xyz|app|info)(:\d+)?\//i,
];

export function isRemoteReference(ref: string): boolean {
  const s = ref.trim();
  return REMOTE_PATTERNS.some((re) => re.test(s));
}
