/**
 * Reading exec commands (probes, lifecycle hooks) the way a shell would, well enough to see
 * which programs they run and with what arguments. Not a shell: no expansion, no subshells.
 */

const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh|ksh)$/;

/**
 * The simple commands an exec `command` list runs: itself, or, for `sh -c "script"`, each
 * command of the script (split on `;`, `&&`, `||`, `|`, `&` and newlines).
 */
export function simpleCommands(command: unknown): string[][] {
  if (!Array.isArray(command)) return [];
  const argv = command.map((a) => String(a));
  if (argv.length === 0) return [];
  const script = shellScript(argv);
  if (script === undefined) return [argv.map(stripQuotes)];
  return splitScript(script);
}

/** The script of `sh -c "..."` (also `sh -ec`, `bash -lc`), or undefined for a direct exec. */
function shellScript(argv: string[]): string | undefined {
  if (!SHELLS.test(argv[0])) return undefined;
  for (let i = 1; i < argv.length; i++) {
    if (/^-[a-z]*c[a-z]*$/.test(argv[i])) return argv.slice(i + 1, i + 2).join(' ');
    if (!argv[i].startsWith('-')) return undefined;
  }
  return undefined;
}

function splitScript(script: string): string[][] {
  const out: string[][] = [];
  for (const part of splitOutsideQuotes(script)) {
    const words = wordsOf(part);
    if (words.length > 0) out.push(words);
  }
  return out;
}

/** Split a script into simple commands at separators that are not inside quotes. */
function splitOutsideQuotes(script: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === ';' || ch === '\n' || ch === '|' || ch === '&') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function wordsOf(text: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push(m[1] ?? m[2] ?? stripQuotes(m[3]));
  // `exec psql ...`, `timeout 5 redis-cli ...`, `env X=1 curl ...`: the program is further in.
  while (
    words.length > 1 &&
    /^(?:exec|command|nice|nohup|env|timeout|\d+[smh]?|[A-Za-z_][A-Za-z0-9_]*=.*)$/.test(words[0])
  ) {
    words.shift();
  }
  return words;
}

function stripQuotes(word: string): string {
  return word.replace(/^(["'])(.*)\1$/, '$2');
}

/** The program's base name: `/usr/bin/psql` -> `psql`. */
export function programName(words: readonly string[]): string {
  return (words[0] ?? '').split('/').pop() ?? '';
}

/**
 * The value of an option in any of its spellings: `-h db`, `-hdb`, `--host db`, `--host=db`.
 * Single-letter short options only take the attached form when `short` is given.
 */
export function optionValue(
  words: readonly string[],
  short: string | undefined,
  long: string | undefined,
): string | undefined {
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (long && (w === `--${long}` || w === `-${long}`)) return words[i + 1];
    if (long && w.startsWith(`--${long}=`)) return w.slice(long.length + 3);
    if (long && w.startsWith(`-${long}=`)) return w.slice(long.length + 2);
    if (short && w === `-${short}`) return words[i + 1];
    if (short && w.startsWith(`-${short}`) && w.length > 2 && !w.startsWith('--')) return w.slice(2);
  }
  return undefined;
}
