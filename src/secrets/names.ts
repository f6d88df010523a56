/**
 * Does a name (an env var, a Helm values key, a command-line flag, a ConfigMap key) say that its
 * value is a secret? Names are cut into words (camelCase, snake_case, kebab-case, dots, slashes)
 * and the words decide, so that `API_KEY` and `apiKey` are secret and `MONKEY_COUNT` is not.
 * A name whose last word says it only refers to a secret or describes one (`secretName`,
 * `tokenFile`, `authEnabled`, `PASSWORD_LENGTH`) is not a secret itself. Pure.
 */

/** Whole words that mark a secret value. */
const SECRET_WORDS = new Set([
  'password',
  'passwords',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'key',
  'keys',
  'apikey',
  'apikeys',
  'credential',
  'credentials',
  'cred',
  'creds',
  'cert',
  'certs',
  'certificate',
  'certificates',
  'private',
  'privatekey',
  'signing',
  'session',
  'cookie',
  'cookies',
  'auth',
  'dsn',
  'sk',
  'pat',
]);

/** A single word that ends in one of these is secret too: `DBPASSWORD`, `clientsecret`, `authtoken`. */
const SECRET_SUFFIXES = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'credentials'];

/** Single words made of a qualifier and `key`: `secretkey`, `accesskey`, `signingkey`, ... */
const KEY_COMPOUNDS = /^(api|private|secret|access|signing|encryption|master|license|hmac|client)keys?$/;

/**
 * A last word that says the value refers to a secret held elsewhere, or describes one, rather
 * than being it: `secretName`, `tokenFile`, `certPath`, `authEnabled`, `TOKEN_TTL`, `KEY_ID`.
 */
export const NOT_THE_VALUE: ReadonlySet<string> = new Set([
  'name',
  'names',
  'ref',
  'refs',
  'reference',
  'selector',
  'from',
  'source',
  'file',
  'files',
  'filename',
  'filepath',
  'path',
  'paths',
  'dir',
  'directory',
  'folder',
  'mount',
  'mountpath',
  'location',
  'enabled',
  'enable',
  'disabled',
  'disable',
  'required',
  'optional',
  'create',
  'generate',
  'ttl',
  'timeout',
  'expiry',
  'expires',
  'expiration',
  'lifetime',
  'duration',
  'age',
  'interval',
  'period',
  'seconds',
  'secs',
  'minutes',
  'hours',
  'days',
  'length',
  'size',
  'count',
  'min',
  'max',
  'limit',
  'type',
  'kind',
  'mode',
  'method',
  'algorithm',
  'alg',
  'provider',
  'driver',
  'backend',
  'store',
  'adapter',
  'engine',
  'format',
  'encoding',
  'version',
  'id',
  'ids',
  'url',
  'urls',
  'uri',
  'endpoint',
  'host',
  'hostname',
  'port',
  'domain',
  'realm',
  'issuer',
  'audience',
  'scope',
  'scopes',
  'header',
  'prefix',
  'suffix',
  'policy',
  'strategy',
  'rotation',
  'field',
  'user',
  'username',
  'login',
  'email',
  'secure',
  'samesite',
  'httponly',
  'affinity',
]);

/** Words that, anywhere in the name, make it about something other than a secret value. */
const NEVER = new Set(['existing', 'automount', 'pull', 'public']);

/** Words before a last `key` that make it a key *name* (`passwordKey`) or no secret (`PARTITION_KEY`). */
const KEY_NAMES = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'partition',
  'sort',
  'primary',
  'foreign',
  'cache',
  'routing',
  'shard',
  'lookup',
  'idempotency',
]);

/** Words before a last `secret` that make it the name of a Secret object: `tlsSecret`, `caSecret`. */
const SECRET_OBJECT_NAMES = new Set(['tls', 'cert', 'ca', 'image', 'ssl']);

/** Split a name into lower-case words at case changes, digits-to-letters kept together, and punctuation. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

function isSecretWord(word: string): boolean {
  return SECRET_WORDS.has(word) || KEY_COMPOUNDS.test(word) || SECRET_SUFFIXES.some((s) => word.endsWith(s));
}

/** A database connection string holds the password: `CONNECTION_STRING`, `connStr`, `connectionstring`. */
export function namesConnectionString(name: string): boolean {
  const words = nameWords(name);
  return isConnectionString(words) || words.includes('dsn');
}

function isConnectionString(words: readonly string[]): boolean {
  return words.some(
    (w, i) =>
      w === 'connectionstring' ||
      ((w === 'connection' || w === 'conn') && (words[i + 1] === 'string' || words[i + 1] === 'str')),
  );
}

/** Names repeat (env vars, values keys): each is decided once per run, up to a bound. */
const decided = new Map<string, boolean>();

export function looksSecretName(name: string): boolean {
  let secret = decided.get(name);
  if (secret === undefined) {
    secret = decide(name);
    if (decided.size < 50_000) decided.set(name, secret);
  }
  return secret;
}

function decide(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  // $PWD and $OLDPWD are the shell's working directory, not a MySQL password.
  if (words.length === 1 && (words[0] === 'pwd' || words[0] === 'oldpwd')) return false;
  if (!words.some(isSecretWord) && !isConnectionString(words)) return false;
  if (words.some((w) => NEVER.has(w))) return false;
  // `existingSecret`, `existingPasswordSecretKey`: a Secret (or a key of one) that exists elsewhere.
  if (words.includes('existing')) return false;
  const last = words[words.length - 1];
  if (NOT_THE_VALUE.has(last)) return false;
  const before = words[words.length - 2];
  if (before !== undefined) {
    if ((last === 'key' || last === 'keys') && KEY_NAMES.has(before)) return false;
    if ((last === 'secret' || last === 'secrets') && SECRET_OBJECT_NAMES.has(before)) return false;
  }
  return true;
}

/**
 * A name for a collection whose every entry is a secret (`secrets:`, `credentials:`,
 * `secretEnv:`), as opposed to a map that merely configures one (`auth:`, `tls:`).
 */
export function holdsSecrets(name: string): boolean {
  if (!looksSecretName(name)) return false;
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (['secrets', 'credentials', 'creds', 'passwords', 'tokens'].includes(last)) return true;
  return (
    ['env', 'envs', 'vars', 'variables', 'data', 'values'].includes(last) &&
    words.slice(0, -1).some((w) => w === 'secret' || w === 'secrets' || w === 'credentials')
  );
}
