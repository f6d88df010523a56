import { isReference, namesASecret, repeatsItsName, settingValues } from './values.js';

/**
 * The secret values seen in this run, and the one function that masks them in any text that
 * leaves the process. The CLI and the Action are one run per process, so one registry per
 * process (`secrets`) is the run's; tests reset it.
 *
 * Each value is masked with its base64 forms, its JSON-escaped and URL-encoded forms, and (for
 * a multi-line value such as a PEM key or a config file) each of its opaque lines and the values
 * of its secret-looking settings, because that is how the same secret shows up in a Secret's `data`, a JSON report, a URL or an indented YAML block. Values shorter
 * than MIN_MASK_LENGTH characters are not masked in free text: `admin` or `true` would turn every
 * report into noise. They are still replaced wherever they sit in a Secret, a secret-named env
 * var or a last-applied annotation (structural redaction, see redact.ts).
 */

/** Shortest value (in characters) masked wherever it appears in text. */
export const MIN_MASK_LENGTH = 6;

/** Longest value kept whole; a longer one is masked line by line (its lines, each up to this). */
export const MAX_MASK_LENGTH = 64 * 1024;

/** The one placeholder for a secret value, everywhere: `<secret: 12 bytes>`. */
export function placeholder(bytes: number): string {
  return `<secret: ${bytes} bytes>`;
}

/** A placeholder already in the text is left alone (a secret `secret` must not eat its own marker). */
const PLACEHOLDER_SOURCE = '<secret: \\d+ bytes>';

export type SecretListener = (text: string) => void;

/**
 * Where a value was read. `repository`: the files under check, whose text anyone who reads the
 * pull request or the repository already has; `private`: everything else (the environment, the
 * Action's inputs, a live cluster). Only the first kind ever yields to a public name.
 */
export type SecretOrigin = 'repository' | 'private';

/** What the collectors (collect.ts) write to: the registry, or its view for repository files. */
export interface SecretSink {
  add(value: unknown): void;
  /** A value held under a secret-looking name (an env var, a values key). */
  addNamed(name: string, value: unknown): void;
  addAll(values: Iterable<unknown>): void;
  addBase64(encoded: unknown): void;
  /** Names the repository shows anyway: object names, namespaces, label values, path segments. */
  addPublicNames(names: Iterable<unknown>): void;
}

export class SecretRegistry implements SecretSink {
  /** Text to mask -> the size the placeholder shows (of the value it stands for). */
  private readonly masked = new Map<string, number>();
  /** Texts that came (also) from somewhere private: masked whatever else they are. */
  private readonly privateTexts = new Set<string>();
  /**
   * Names the checked files show anyway. A value read only from those files that is also one of
   * these (a password `pricelist` in an app named `pricelist`) is not masked in free text: the
   * reader has it already, and masking it would turn every path and object name of the report
   * into placeholders (and GitHub refuses a review comment on a masked path). It is still
   * replaced where it sits as a secret (redact.ts).
   */
  private readonly publicNames = new Set<string>();
  private readonly values = new Map<string, SecretOrigin>();
  private readonly listeners = new Set<SecretListener>();
  private compiled: { sticky: RegExp; marker: RegExp; heads: Uint8Array } | undefined;

  /** How many strings are masked (values and their forms). */
  get size(): number {
    return this.masked.size;
  }

  /**
   * Remember a secret value. Non-strings, blanks and references (`$(VAR)`, `${VAR}`, `{{ ... }}`)
   * are ignored, and so (for free-text masking) are values shorter than MIN_MASK_LENGTH.
   */
  add(value: unknown, origin: SecretOrigin = 'private'): void {
    if (typeof value !== 'string' || isReference(value)) return;
    // A Secret in the repository whose value is the word `password`: a placeholder, not a secret.
    if (origin === 'repository' && namesASecret(value)) return;
    const seen = this.values.get(value);
    if (seen === 'private' || seen === origin) return;
    this.values.set(value, origin);
    for (const [text, bytes] of formsOf(value)) this.remember(text, bytes, origin);
  }

  addAll(values: Iterable<unknown>, origin: SecretOrigin = 'private'): void {
    for (const v of values) this.add(v, origin);
  }

  addNamed(name: string, value: unknown, origin: SecretOrigin = 'private'): void {
    if (origin === 'repository' && typeof value === 'string' && repeatsItsName(name, value)) return;
    this.add(value, origin);
  }

  addPublicNames(names: Iterable<unknown>): void {
    for (const name of names) {
      if (typeof name !== 'string' || name.length < MIN_MASK_LENGTH) continue;
      // The name, and each word of it (`frontend` of `pricelist-frontend`, `deploy` of `deploy.yaml`):
      // a word masked inside a file name breaks the path as much as the whole name would.
      for (const word of [name, ...name.split(/[-_.]/)]) {
        if (word.length < MIN_MASK_LENGTH || this.publicNames.has(word)) continue;
        this.publicNames.add(word);
        if (this.masked.has(word) && !this.privateTexts.has(word)) this.compiled = undefined;
      }
    }
  }

  /** The same registry, for values read from the repository's own files. */
  fromRepository(): SecretSink {
    return {
      add: (value) => this.add(value, 'repository'),
      addNamed: (name, value) => this.addNamed(name, value, 'repository'),
      addAll: (values) => this.addAll(values, 'repository'),
      addBase64: (encoded) => this.addBase64(encoded, 'repository'),
      addPublicNames: (names) => this.addPublicNames(names),
    };
  }

  /**
   * A Secret's `data` value: the decoded value (when it is text) with its forms, and the base64
   * text exactly as written (line breaks and padding included).
   */
  addBase64(encoded: unknown, origin: SecretOrigin = 'private'): void {
    if (typeof encoded !== 'string') return;
    const compact = encoded.replace(/\s/g, '');
    const buf = Buffer.from(compact, 'base64');
    const decoded = buf.toString('utf8');
    if (Buffer.from(decoded, 'utf8').equals(buf)) this.add(decoded, origin);
    for (const text of new Set([encoded.trim(), compact])) this.remember(text, buf.length, origin);
  }

  /** Called with every new string to mask (the Action hands each to the runner's log masking). */
  onAdd(listener: SecretListener): () => void {
    this.listeners.add(listener);
    for (const text of this.masked.keys()) if (this.masks(text)) listener(text);
    return () => this.listeners.delete(listener);
  }

  has(text: string): boolean {
    return this.masked.has(text);
  }

  /** Forget everything (tests; each run is its own process otherwise). Listeners stay. */
  reset(): void {
    this.masked.clear();
    this.privateTexts.clear();
    this.publicNames.clear();
    this.values.clear();
    this.compiled = undefined;
  }

  private remember(text: string, bytes: number, origin: SecretOrigin): void {
    if (text.length < MIN_MASK_LENGTH || text.length > MAX_MASK_LENGTH) return;
    // The same for a form of one (a `password: password` line of a config file held as a value).
    if (origin === 'repository' && namesASecret(text)) return;
    if (origin === 'private' && !this.privateTexts.has(text)) {
      this.privateTexts.add(text);
      if (this.masked.has(text)) {
        // Known from the repository before, perhaps as a public name: masked from now on.
        this.compiled = undefined;
        for (const listener of this.listeners) listener(text);
        return;
      }
    }
    if (this.masked.has(text)) return;
    this.masked.set(text, bytes);
    this.compiled = undefined;
    if (this.masks(text)) for (const listener of this.listeners) listener(text);
  }

  /** Whether `text` is masked in free text (not a repository value that is also a public name). */
  private masks(text: string): boolean {
    return this.privateTexts.has(text) || !this.publicNames.has(text);
  }

  /**
   * Every occurrence of every secret (and its forms) replaced by `<secret: N bytes>`, N the
   * size of the value it stands for. Where two secrets overlap, the union is masked as one.
   * One precompiled pattern (a trie of the strings, so the longest match wins at each position,
   * rebuilt only when the set changes), tried only where the text's next MIN_MASK_LENGTH
   * characters start some secret (or a placeholder): a rolling hash of them is looked up in a
   * table of the secrets' first characters, so a long report is read once, at a few ns a character.
   */
  mask(text: string): string {
    if (this.masked.size === 0 || text.length < MIN_MASK_LENGTH) return text;
    const { sticky, marker, heads } = this.patterns();
    const n = text.length;
    let out = '';
    let last = 0;
    let i = 0;
    let h = windowHash(text, 0);
    while (i + MIN_MASK_LENGTH <= n) {
      if (heads[h & HEAD_MASK]) {
        marker.lastIndex = i;
        const ph = marker.exec(text);
        if (ph) {
          // A placeholder already: left as it is.
          i += ph[0].length;
          h = windowHash(text, i);
          continue;
        }
        sticky.lastIndex = i;
        const m = sticky.exec(text);
        if (m) {
          const start = i;
          let end = start + m[0].length;
          let bytes = this.masked.get(m[0]);
          // A secret that starts inside this one and runs on past its end: mask the union.
          for (let p = start + 1; p < end; p++) {
            sticky.lastIndex = p;
            const o = sticky.exec(text);
            if (o && p + o[0].length > end) {
              end = p + o[0].length;
              bytes = undefined;
            }
          }
          out +=
            text.slice(last, start) + placeholder(bytes ?? Buffer.byteLength(text.slice(start, end), 'utf8'));
          last = end;
          i = end;
          h = windowHash(text, i);
          continue;
        }
      }
      // Roll the window one character on.
      if (i + MIN_MASK_LENGTH < n)
        h =
          (Math.imul(h - Math.imul(text.charCodeAt(i), HASH_TOP), HASH_BASE) +
            text.charCodeAt(i + MIN_MASK_LENGTH)) |
          0;
      i++;
    }
    return last === 0 ? text : out + text.slice(last);
  }

  /** A copy of a JSON-like value with every string masked (keys too). */
  maskDeep<T>(value: T): T {
    if (this.masked.size === 0) return value;
    return this.deep(value, 0) as T;
  }

  private deep(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, depth + 1));
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
      return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[this.mask(k)] = this.deep(v, depth + 1);
    return out;
  }

  private patterns(): { sticky: RegExp; marker: RegExp; heads: Uint8Array } {
    if (!this.compiled) {
      const strings = [...this.masked.keys()].filter((text) => this.masks(text));
      const heads = new Uint8Array(HEAD_MASK + 1);
      for (const text of [...strings, PLACEHOLDER_HEAD]) heads[windowHash(text, 0) & HEAD_MASK] = 1;
      this.compiled = {
        sticky: new RegExp(trieSource(strings), 'y'),
        marker: new RegExp(PLACEHOLDER_SOURCE, 'y'),
        heads,
      };
    }
    return this.compiled;
  }
}

/** How every placeholder starts (MIN_MASK_LENGTH characters of `<secret: `). */
const PLACEHOLDER_HEAD = '<secret: ';
const HASH_BASE = 31;
/** HASH_BASE ** (MIN_MASK_LENGTH - 1), in 32-bit arithmetic: what the first character weighs. */
const HASH_TOP = (() => {
  let p = 1;
  for (let k = 1; k < MIN_MASK_LENGTH; k++) p = Math.imul(p, HASH_BASE);
  return p;
})();
const HEAD_MASK = (1 << 20) - 1;

/** A hash of the MIN_MASK_LENGTH characters from `at` (what `mask` rolls along the text). */
function windowHash(text: string, at: number): number {
  let h = 0;
  for (let k = 0; k < MIN_MASK_LENGTH; k++)
    h = (Math.imul(h, HASH_BASE) + (text.charCodeAt(at + k) || 0)) | 0;
  return h;
}

/** The strings a value is masked as, each with the size of the value it stands for. */
export function formsOf(value: string): [string, number][] {
  const out = new Map<string, number>();
  const add = (text: string, bytes: number) => {
    if (!out.has(text)) out.set(text, bytes);
  };
  const bytes = Buffer.byteLength(value, 'utf8');
  const whole = value.length >= MIN_MASK_LENGTH && value.length <= MAX_MASK_LENGTH;
  if (whole) {
    add(value, bytes);
    const trimmed = value.trim();
    if (trimmed !== value) add(trimmed, Buffer.byteLength(trimmed, 'utf8'));
    const base64 = Buffer.from(value, 'utf8').toString('base64');
    add(base64.replace(/=+$/, ''), bytes);
    const url = Buffer.from(value, 'utf8').toString('base64url');
    add(url, bytes);
    add(JSON.stringify(value).slice(1, -1), bytes);
    add(encodeURIComponent(value), bytes);
  }
  // A multi-line value (a PEM key, a config file) shows up indented in YAML, a line at a time:
  // each line that is one opaque word (a PEM body line, a token), not armour or plain settings,
  // and the values of secret-looking settings in it (`password: x`, `API_KEY=x`).
  if (value.includes('\n')) {
    for (const line of value.split(/\r?\n/)) {
      const t = line.trim();
      if (!/\s/.test(t) && !t.startsWith('-----') && !/^[\w.-]+:$/.test(t))
        add(t, Buffer.byteLength(t, 'utf8'));
    }
    for (const v of settingValues(value)) add(v, Buffer.byteLength(v, 'utf8'));
  }
  return [...out];
}

const SPECIAL = /[\\^$.*+?()[\]{}|/-]/;

function escapeChar(ch: string): string {
  if (SPECIAL.test(ch)) return `\\${ch}`;
  const code = ch.charCodeAt(0);
  // Control characters and non-ASCII as \uXXXX: the pattern stays plain ASCII.
  return code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  end: boolean;
}

/**
 * A regular expression source that matches any of the strings, longest first: a trie, so that
 * at each position only the strings that share the text's next characters are tried.
 */
export function trieSource(strings: readonly string[]): string {
  const root: TrieNode = { next: new Map(), end: false };
  for (const s of strings) {
    let node = root;
    // UTF-16 code units, as the (non-unicode) pattern reads the text.
    for (let i = 0; i < s.length; i++) {
      let child = node.next.get(s[i]);
      if (!child) {
        child = { next: new Map(), end: false };
        node.next.set(s[i], child);
      }
      node = child;
    }
    node.end = true;
  }
  // Every non-empty continuation from a node. Runs without branches are written out in a loop,
  // not by recursion: values can be long.
  const emit = (node: TrieNode): string => {
    const branches: string[] = [];
    for (const [unit, child] of node.next) {
      let text = escapeChar(unit);
      let at = child;
      while (!at.end && at.next.size === 1) {
        const [[u, c]] = at.next;
        text += escapeChar(u);
        at = c;
      }
      // Where a string ends and a longer one goes on, the rest is optional and greedy: longest first.
      if (at.next.size > 0) text += at.end ? `(?:${emit(at)})?` : emit(at);
      branches.push(text);
    }
    return branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
  };
  return strings.length === 0 ? '(?!)' : `(?:${emit(root)})`;
}

/** The run's registry: the CLI and the Action are one run per process. */
export const secrets = new SecretRegistry();
