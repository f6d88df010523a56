/**
 * A report written as it is made goes out in pieces of about 64 KiB, so that each write is worth
 * its call. At 64 KiB a piece (and its bytes) is collected young; V8 allocates a 1 MiB string
 * outside the young generation, and tens of them at a report of 30 MB grew the old generation
 * between collections. Parts are joined once per piece: a string built with `+` stays a tree of
 * every part until it is written.
 */
const PIECE = 1 << 16;

/** Parts of a report not yet written, joined when there are enough of them to be worth a write. */
export class Pieces {
  private parts: string[] = [];
  private length = 0;

  add(...parts: string[]): void {
    for (const part of parts) {
      this.parts.push(part);
      this.length += part.length;
    }
  }

  /** Whether the parts make a piece. */
  full(): boolean {
    return this.length >= PIECE;
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** The parts joined, and none left. */
  take(): string {
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    return text;
  }
}

/** Chunks of any size (a JSON report's, one per finding) joined into pieces. */
export function* inPieces(chunks: Iterable<string>): Generator<string> {
  const pieces = new Pieces();
  for (const chunk of chunks) {
    pieces.add(chunk);
    if (pieces.full()) yield pieces.take();
  }
  if (!pieces.empty) yield pieces.take();
}
