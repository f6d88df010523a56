/**
 * Regular expressions from a config file or a kustomization are input: one with a quantifier
 * over a group that itself repeats (`(a+)+$`, `(x*)*`, `(\w?)+`) backtracks exponentially on a
 * near-match, and a single image tag or object name would hang the run. Such a pattern (star
 * height above one) is refused with a reason; anything else backtracks at most polynomially, and
 * the texts matched here are short (a tag is at most 128 characters, a name 253).
 */

interface Frame {
  /** The group's body repeats something (a quantifier inside it, at any depth). */
  repeats: boolean;
}

/** Why the pattern may backtrack catastrophically, or undefined when it is safe to run. */
export function catastrophicBacktracking(pattern: string): string | undefined {
  const stack: Frame[] = [{ repeats: false }];
  /** What the next quantifier applies to: a group that repeats inside, or anything else. */
  let last: 'group-repeats' | 'atom' | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      // A character class is one atom, whatever it holds.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      stack.push({ repeats: false });
      last = undefined;
      continue;
    }
    if (c === ')') {
      const frame = stack.length > 1 ? stack.pop()! : { repeats: false };
      last = frame.repeats ? 'group-repeats' : 'atom';
      if (frame.repeats) stack[stack.length - 1].repeats = true;
      continue;
    }
    const quantifier = quantifierAt(pattern, i);
    if (quantifier) {
      if (last === 'group-repeats' && quantifier.unbounded) {
        return `a repeated group inside a repetition (near "${pattern.slice(Math.max(0, i - 12), i + 1)}") can take exponential time; rewrite it without the nesting`;
      }
      stack[stack.length - 1].repeats = true;
      i += quantifier.length - 1;
      if (pattern[i + 1] === '?' || pattern[i + 1] === '+') i++; // lazy or possessive marker
      last = undefined;
      continue;
    }
    last = c === '|' ? undefined : 'atom';
  }
  return undefined;
}

function quantifierAt(pattern: string, i: number): { length: number; unbounded: boolean } | undefined {
  const c = pattern[i];
  if (c === '*' || c === '+') return { length: 1, unbounded: true };
  if (c === '?') return { length: 1, unbounded: false };
  if (c !== '{') return undefined;
  const m = /^\{(\d*)(,(\d*))?\}/.exec(pattern.slice(i));
  if (!m || (m[1] === '' && m[3] === undefined)) return undefined;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  return { length: m[0].length, unbounded: max > 1 };
}
