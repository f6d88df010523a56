// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what this removes
const ESCAPE_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g;

/**
 * The one set of characters that make text read other than it is: C0 controls but tab and newline,
 * DEL, C1 controls, the bidirectional marks, overrides and isolates (Trojan Source), the line and
 * paragraph separators, and the noncharacters U+FFFE and U+FFFF. `printable` shows them,
 * `stripControls` removes them.
 */
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff]/g;

/**
 * Text from outside (a tool's stderr, a message a chart wrote with `fail`) made fit for a report:
 * terminal escape sequences removed, other control characters (but newline and tab) shown as
 * `\xNN`, and anything past `max` characters cut with a note of how much was left out.
 */
export function printable(text: string, max = Number.POSITIVE_INFINITY): string {
  const clean = text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max)}… (${clean.length - max} more characters)`;
}

/** Code shown in a fence (a rendered diff, a line of a file): only the control characters go. */
export function stripControls(text: string): string {
  return text.replace(CONTROL, '');
}

/** A line the runner would read as a workflow command (`::name …::data`, after any indentation). */
const COMMAND_LINE = /^([ \t]*):(?=:)/gm;
/** The runner's older command syntax, which it reads anywhere in a line. */
const OLD_COMMAND = /##\[/g;
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Text from outside made inert in a GitHub Actions log: no line of it can be read by the runner
 * as a workflow command (`::add-mask::`, `::stop-commands::`, `::error …::`, `##[…]`). A zero-width
 * space goes between the characters that start one, so the log still reads the same to a human.
 */
export function inertInLog(text: string): string {
  return text.replace(COMMAND_LINE, `$1:${ZERO_WIDTH_SPACE}`).replace(OLD_COMMAND, `##${ZERO_WIDTH_SPACE}[`);
}

/**
 * One chunk the process writes to its output, made inert unless it is a single workflow command
 * line, the only shape `@actions/core` writes one in (it escapes newlines in a command's data).
 * Text that spans lines, or holds the older syntax, cannot smuggle a command past this.
 */
export function inertOutput(chunk: string): string {
  const newline = chunk.indexOf('\n');
  const oneLine = newline === -1 || newline === chunk.length - 1;
  if (oneLine && chunk.startsWith('::')) return chunk.replace(OLD_COMMAND, `##${ZERO_WIDTH_SPACE}[`);
  return inertInLog(chunk);
}

const ALNUM = /[A-Za-z0-9]/;
const DIGIT = /[0-9]/;
const LETTER = /[A-Za-z]/;

/**
 * `part` shows in `whole` as a whole word, not inside a longer number or name: `1` shows in
 * `--replicas=1` but not in `100m` or a sha256 digest; `web` shows in `prod-web` and `example/web:1.2`
 * but not in `webhook`. A version's `v` (`v1.12.1`) and a unit after a number (`256Mi`, `30s`) do
 * not join a number to a word. Both empty strings and case differences count as no match.
 */
export function showsIn(whole: string, part: string): boolean {
  if (!part) return false;
  const first = part[0];
  const last = part[part.length - 1];
  for (let i = whole.indexOf(part); i >= 0; i = whole.indexOf(part, i + 1)) {
    const before = whole[i - 1];
    const after = whole[i + part.length];
    const open =
      before === undefined ||
      !ALNUM.test(first) ||
      !ALNUM.test(before) ||
      (DIGIT.test(first) && /[vV]/.test(before) && !ALNUM.test(whole[i - 2] ?? ''));
    const close =
      after === undefined ||
      !ALNUM.test(last) ||
      !ALNUM.test(after) ||
      (DIGIT.test(last) && LETTER.test(after));
    if (open && close) return true;
  }
  return false;
}

/**
 * A string built from pieces (`${who} runs as root`) is a tree of them in V8 (a rope). What is kept
 * for a whole run (a finding's message and path: 100,000 of them at 50,000 objects, 30 MiB of
 * rope) is made one piece. A regular expression's subject must be flat, and V8 flattens it in
 * place: the rope then holds one copy, and the collector drops the rope for it. (JSON's round
 * trip did the same with two copies and an escape pass: 60 ms of 80,000 findings.)
 */
export function flat(text: string): string {
  ANYTHING.test(text);
  return text;
}

const ANYTHING = /^/;

/**
 * One copy of each of a few strings that recur (the wordings of merged findings, field paths),
 * made flat once. It holds at most `limit` of them, then starts over: it never grows with the
 * input. When few of a table's strings came again (every container's path names the container),
 * it rests for a while and only makes strings flat: a table that is never hit is all cost.
 */
export class Interner {
  readonly #known = new Map<string, string>();
  #hits = 0;
  #resting = 0;

  constructor(private readonly limit = 1024) {}

  of(text: string): string {
    if (this.#resting > 0) {
      this.#resting--;
      return flat(text);
    }
    let known = this.#known.get(text);
    if (known !== undefined) {
      this.#hits++;
      return known;
    }
    if (this.#known.size >= this.limit) {
      if (this.#hits < this.limit / 8) this.#resting = this.limit * 4;
      this.#known.clear();
      this.#hits = 0;
    }
    known = flat(text);
    this.#known.set(known, known);
    return known;
  }
}
