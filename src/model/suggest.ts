/** "Did you mean" hints for names people mistype: config keys, rule ids. */

/** ` (did you mean "x"?)` when a known name is within two edits of `name`, else ''. */
export function suggest(name: string, known: Iterable<string>): string {
  const best = closestName(name, known);
  return best ? ` (did you mean "${best}"?)` : '';
}

/** The known name nearest to `name` by edit distance, when it is at most `maxDistance` away. */
export function closestName(name: string, known: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
