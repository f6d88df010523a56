/**
 * Unified-diff hunks as GitHub returns them in a pull request file's `patch`, and the question
 * the review API cares about: can a comment sit on this line of the new file (the RIGHT side)?
 * GitHub accepts a RIGHT-side comment only on a line the diff shows: an added line or a context
 * line inside a hunk. Anything else makes the API reject the whole review with a 422, so every
 * comment is checked here before it is posted.
 */

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** New-file line numbers shown by this hunk (added and context lines). */
  rightLines: number[];
  /** New-file line numbers that this hunk adds. */
  addedLines: number[];
  /** Old-file line numbers this hunk deletes (where a LEFT-side comment can say what went). */
  deletedLines: number[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parse a file's patch (the text after the `diff --git` header lines, starting at `@@`). */
export function parsePatch(patch: string | undefined): Hunk[] {
  if (!patch) return [];
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  let newLine = 0;
  let oldLine = 0;
  for (const raw of patch.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = HUNK_HEADER.exec(line);
    if (header) {
      current = {
        oldStart: Number(header[1]),
        oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newLines: header[4] === undefined ? 1 : Number(header[4]),
        rightLines: [],
        addedLines: [],
        deletedLines: [],
      };
      hunks.push(current);
      newLine = current.newStart;
      oldLine = current.oldStart;
      continue;
    }
    if (!current) continue; // `diff --git`, `index`, `---`, `+++` lines before the first hunk
    const kind = line[0];
    if (kind === '+') {
      current.rightLines.push(newLine);
      current.addedLines.push(newLine);
      newLine++;
    } else if (kind === ' ' || (line === '' && newLine < current.newStart + current.newLines)) {
      // An empty context line may lose its leading space in transit; count it while the hunk lasts.
      current.rightLines.push(newLine);
      newLine++;
      oldLine++;
    } else if (kind === '-') {
      current.deletedLines.push(oldLine);
      oldLine++;
    }
    // '\' is "No newline at end of file".
  }
  return hunks;
}

/** The pull request's files, reduced to what commenting needs. */
export interface ChangedFile {
  /** Path in the repository at the head (forward slashes). */
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previousFilename?: string;
  /** Absent when GitHub leaves it out (binary or very large diffs): no line is commentable then. */
  patch?: string;
}

/** Which lines of which files a RIGHT-side review comment may sit on. */
export class CommentableLines {
  private readonly byFile = new Map<string, Set<number>>();
  private readonly addedByFile = new Map<string, Set<number>>();
  /** Deleted lines by the file's name at the base (a renamed file's previous name). */
  private readonly leftByBaseFile = new Map<string, { filename: string; lines: Set<number> }>();

  constructor(files: readonly ChangedFile[]) {
    for (const f of files) {
      const hunks = parsePatch(f.patch);
      this.leftByBaseFile.set(f.previousFilename ?? f.filename, {
        filename: f.filename,
        lines: new Set(hunks.flatMap((h) => h.deletedLines)),
      });
      if (f.status === 'removed') continue;
      this.byFile.set(f.filename, new Set(hunks.flatMap((h) => h.rightLines)));
      this.addedByFile.set(f.filename, new Set(hunks.flatMap((h) => h.addedLines)));
    }
  }

  has(file: string, line: number): boolean {
    return this.byFile.get(file)?.has(line) ?? false;
  }

  /** True when the pull request added or changed this very line (not just shows it as context). */
  isAdded(file: string, line: number): boolean {
    return this.addedByFile.get(file)?.has(line) ?? false;
  }

  /**
   * Where a LEFT-side comment on line `line` of `baseFile` (a path at the base) may go: the path
   * GitHub names the file by, when the pull request deletes that line.
   */
  left(baseFile: string, line: number): string | undefined {
    const entry = this.leftByBaseFile.get(baseFile);
    return entry?.lines.has(line) ? entry.filename : undefined;
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }
}
