import { looksSecretName, namesConnectionString, nameWords } from './names.js';

/**
 * Secrets inside free-form values: the password of a URL with credentials, the value of a
 * `--db-password=...` flag (or `--db-password ...`), a `PGPASSWORD=...` assignment in a shell
 * command. Pure.
 */

/** `scheme://user:password@host`: the password runs to the last `@` before the path. */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@'"]*:([^\s/?#'"]*)@/gi;

/** The passwords of every URL with credentials in the text, raw and percent-decoded. */
export function urlPasswords(text: string): string[] {
  if (!text.includes('://')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    const raw = m[1];
    if (!raw) continue;
    out.push(raw);
    if (raw.includes('%')) {
      try {
        const decoded = decodeURIComponent(raw);
        if (decoded !== raw) out.push(decoded);
      } catch {
        // not valid percent-encoding: the raw text is all there is
      }
    }
  }
  return out;
}

/**
 * A value that only points at another: `$(VAR)` (Kubernetes env expansion), `${VAR}` (shell),
 * a Helm template `{{ ... }}`, or blank. Not a secret, and worth showing as it is.
 */
export function isReference(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/.test(v) ||
    /^\$\{[A-Za-z_][A-Za-z0-9_.-]*\}$/.test(v) ||
    /^\{\{[^{}]*\}\}$/.test(v)
  );
}

/** A file path is where a secret lives, not the secret: `--tls-cert=/etc/tls/tls.crt`. */
function isFilePath(value: string): boolean {
  return /^\/[\w./-]*$/.test(value);
}

/** A word worth collecting as the value of a secret-looking flag or assignment. */
function usable(value: string): boolean {
  return value !== '' && !isReference(value) && !isFilePath(value);
}

/**
 * Is the value under this name a secret, whole? The name must look secret, and the value must be
 * one: not a reference, a file path or a switch (`ENABLE_SESSION: "false"`), and for a connection
 * string or DSN, not one without credentials (`REDIS_ADDR`'s `connectionString: redis-cart:6379`;
 * the password of one that has them is collected on its own).
 */
export function holdsSecretValue(name: string, value: unknown): value is string {
  if (typeof value !== 'string' || !looksSecretName(name)) return false;
  const v = value.trim();
  if (!usable(v) || SWITCH.test(v)) return false;
  if (namesConnectionString(name)) return /(^|[;\s])(password|pwd)=/i.test(v);
  return true;
}

const SWITCH = /^(true|false|yes|no|on|off|null|none|enabled|disabled)$/i;

/**
 * A placeholder in the repository's own files, not a secret to look for in every text: one bare
 * word that names a kind of secret (`password`, `token`), or, held under a name, a word of that name
 * (`password: password`, `clusterSecretKey: cluster`: the key a Secret holds the value under).
 * Masking such a word would mask it in every message that says "password". Only ever asked of
 * repository values (registry.ts): where a value sits it is still redacted, and a live object's
 * `DB_PASSWORD=password` is a real (weak) password.
 */
export function namesASecret(value: string): boolean {
  return /^[A-Za-z]+$/.test(value) && looksSecretName(value);
}

export function repeatsItsName(name: string, value: string): boolean {
  return nameWords(name).includes(value.trim().toLowerCase());
}

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/s.exec(value);
  return m ? m[2] : value;
}

/** Words of a shell command line, honouring single and double quotes (no escapes, no expansion). */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** `NAME=value` whose name looks secret: the value, unquoted. */
export function assignmentSecret(text: string): string | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(text);
  if (!m || !looksSecretName(m[1])) return undefined;
  const value = unquote(m[2]);
  return usable(value) ? value : undefined;
}

/**
 * The values of secret-looking settings in a config file's text: `password: x`, `"apiKey": "x"`,
 * `API_TOKEN=x`, `db.password = x`, one per line.
 */
export function settingValues(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$/.exec(line);
    if (!m || !looksSecretName(m[1])) continue;
    const value = unquote(m[2]);
    if (usable(value)) out.push(value);
  }
  return out;
}

const FLAG_WITH_VALUE = /^--?([A-Za-z0-9][\w.-]*)=(.*)$/s;
const FLAG = /^--?([A-Za-z0-9][\w.-]*)$/;

/**
 * Secrets in a container's `command` and `args` (or any argv): values of secret-looking flags
 * (`--db-password=x`, `--db-password x`), secret-looking assignments (`PGPASSWORD=x`), URL
 * passwords; shell command lines (`sh -c "..."`) are split into words and read the same way.
 */
export function argumentSecrets(argv: readonly unknown[]): string[] {
  const out = new Set<string>();
  const visit = (words: readonly string[], depth: number): void => {
    for (let i = 0; i < words.length; i++) {
      const word = words[i];
      for (const p of urlPasswords(word)) out.add(p);
      const withValue = FLAG_WITH_VALUE.exec(word);
      if (withValue) {
        const value = unquote(withValue[2]);
        if (looksSecretName(withValue[1]) && usable(value)) out.add(value);
      } else {
        const flag = FLAG.exec(word);
        const next = words[i + 1];
        if (flag && next !== undefined && !next.startsWith('-') && looksSecretName(flag[1])) {
          if (usable(next)) out.add(next);
          i++;
          for (const p of urlPasswords(next)) out.add(p);
          continue;
        }
        const assigned = /\s/.test(word) ? undefined : assignmentSecret(word);
        if (assigned !== undefined) out.add(assigned);
      }
      // A shell command line in one argument: its own words.
      if (depth < 2 && /\s/.test(word)) visit(splitShellWords(word), depth + 1);
    }
  };
  visit(
    argv.filter((a): a is string => typeof a === 'string'),
    0,
  );
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Redaction in place: the secret part of a value replaced by its placeholder, the rest kept.

/** What a redaction did: the safe text, and the secrets it took out (to tell whether two sides differ). */
export interface Redacted {
  text: string;
  secrets: string[];
}

/** `postgres://user:<secret: 8 bytes>@host/db`: only the password goes. */
export function redactUrlPasswords(text: string, mark: (secret: string) => string): Redacted {
  const secrets: string[] = [];
  if (!text.includes('://')) return { text, secrets };
  const out = text.replace(URL_CREDENTIALS, (match: string, password: string) => {
    if (!password) return match;
    secrets.push(password);
    return `${match.slice(0, match.length - password.length - 1)}${mark(password)}@`;
  });
  return { text: out, secrets };
}

/**
 * A container's `command` or `args` with the values of secret-looking flags and assignments and
 * URL passwords replaced, element by element (`--db-password=<secret: 6 bytes>`). A shell
 * command line in one element has each secret word replaced where it stands.
 */
export function redactArgv(argv: readonly unknown[], mark: (secret: string) => string): Redacted[] {
  const out: Redacted[] = [];
  let valueOfSecretFlag = false;
  for (const item of argv) {
    if (typeof item !== 'string') {
      out.push({ text: JSON.stringify(item) ?? '', secrets: [] });
      valueOfSecretFlag = false;
      continue;
    }
    const secrets: string[] = [];
    let text = item;
    const withValue = FLAG_WITH_VALUE.exec(item);
    const flag = FLAG.exec(item);
    if (valueOfSecretFlag && !item.startsWith('-') && usable(item)) {
      secrets.push(item);
      text = mark(item);
    } else if (withValue && looksSecretName(withValue[1]) && usable(unquote(withValue[2]))) {
      secrets.push(unquote(withValue[2]));
      text = `${item.slice(0, item.length - withValue[2].length)}${mark(unquote(withValue[2]))}`;
    } else if (!flag && !/\s/.test(item) && assignmentSecret(item) !== undefined) {
      const value = assignmentSecret(item)!;
      secrets.push(value);
      text = `${item.slice(0, item.indexOf('=') + 1)}${mark(value)}`;
    } else if (/\s/.test(item)) {
      // A shell line: each secret word where it stands (after `=`, a blank or a quote).
      for (const value of argumentSecrets([item]).sort((a, b) => b.length - a.length)) {
        const escaped = value.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        const re = new RegExp(`(?<=^|[=\\s'":@])${escaped}(?=$|[\\s'"@])`, 'g');
        if (re.test(text)) {
          secrets.push(value);
          text = text.replace(re, () => mark(value));
        }
      }
    }
    valueOfSecretFlag = flag !== null && looksSecretName(flag[1]);
    const urls = redactUrlPasswords(text, mark);
    out.push({ text: urls.text, secrets: [...secrets, ...urls.secrets] });
  }
  return out;
}
