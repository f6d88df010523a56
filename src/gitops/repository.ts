/**
 * Which repository URLs are this repository. App definitions name their sources by URL
 * (`https://github.com/acme/deploy.git`, `ssh://git@github.com/acme/deploy`): a source counts as
 * this checkout when its URL is one of the repository's known names: the config's
 * `discover.repoURLs`, `GITHUB_REPOSITORY` on the Actions runner, and the `origin` remote. Nothing
 * else is fetched.
 *
 * When none of the definitions names a known URL (a copy of a repository, a run without a
 * remote), the repository cannot be told from others by name; then a source counts as this
 * checkout when the path it names exists here, and the run says so once.
 */

/** `https://user:pw@GitHub.com/Acme/Deploy.git/` and `git@github.com:acme/deploy` -> `github.com/acme/deploy`. */
export function normalizeRepoURL(url: string): string {
  let u = url.trim().replace(/^git\+/i, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  else {
    // scp-like: [user@]host:path
    const scp = /^(?:[^@/]+@)?([^/:]+):(.+)$/.exec(u);
    if (scp) u = `${scp[1]}/${scp[2].replace(/^\/+/, '')}`;
  }
  u = u.replace(/^[^@/]*@/, ''); // user and password
  const slash = u.indexOf('/');
  let host = slash < 0 ? u : u.slice(0, slash);
  const rest = slash < 0 ? '' : u.slice(slash);
  host = host.toLowerCase().replace(/:\d+$/, '');
  return `${host}${rest}`
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

export class RepoIdentity {
  private readonly names: Set<string>;
  /** Whether some definition names a known URL: then only known URLs are this repository. */
  strict = false;
  /** URLs taken as this repository because their paths exist here (for the run's note). */
  readonly guessed = new Set<string>();

  constructor(urls: Iterable<string>) {
    this.names = new Set([...urls].filter(Boolean).map(normalizeRepoURL));
  }

  /** Is the URL one of the repository's known names? */
  known(url: string | undefined): boolean {
    return url !== undefined && url !== '' && this.names.has(normalizeRepoURL(url));
  }

  /**
   * Is a source with this URL this checkout? `exists` says whether the path it names is here,
   * for the case where the repository cannot be told by name.
   */
  isThis(url: string | undefined, exists: boolean): boolean {
    if (this.known(url)) return true;
    if (this.strict || !exists) return false;
    if (url) this.guessed.add(url);
    return true;
  }

  /** Strict as soon as any of these URLs is known. */
  settle(urls: Iterable<string>): void {
    for (const u of urls) if (this.known(u)) this.strict = true;
  }
}

/** The repository's names the environment knows: the Actions runner's, and the origin remote's. */
export function environmentNames(env: NodeJS.ProcessEnv, origin: string | undefined): string[] {
  const out: string[] = [];
  if (env.GITHUB_REPOSITORY) {
    const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
    out.push(`${server}/${env.GITHUB_REPOSITORY}`);
  }
  if (origin) out.push(origin);
  return out;
}
