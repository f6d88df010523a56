/**
 * Markdown that survives GitHub: fences that stay closed whatever the content holds, and
 * splitting long reports under the comment size cap without cutting a line, a fence or a
 * collapsible section in half.
 */

/** GitHub rejects issue and review comment bodies over this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * A fenced code block whose fence is longer than any backtick run in the content, so a diff of a
 * ConfigMap that itself holds Markdown (```) cannot close the block early.
 */
export function fence(content: string, info = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestBackticks(content) + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${ticks}${info}\n${body}${ticks}`;
}

/** Inline code that stays inline whatever it contains (backticks, pipes in tables). */
export function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const ticks = '`'.repeat(longestBackticks(oneLine) + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${oneLine.replace(/\|/g, '\\|')}${pad}${ticks}`;
}

/** The longest run of backticks in `text`: a loop, as a diff may hold more runs than a call takes arguments. */
function longestBackticks(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) if (m[0].length > longest) longest = m[0].length;
  return longest;
}

/** Text for a table cell or a one-line list item: no line breaks, no stray pipes, no HTML. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text from manifests and rules as Markdown prose: no raw HTML, so a value in a manifest can
 * neither break the layout nor forge one of our hidden markers.
 */
export function prose(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A collapsible section; the summary is kept on the opening line so splitting can reopen it. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

// ---------------------------------------------------------------------------------------------
// Splitting

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

interface BlockState {
  /** The opening line of the fence we are inside, and its marker (```` or ~~~). */
  fence?: { line: string; marker: string };
  /** Opening lines of the <details> sections we are inside, outermost first. */
  details: string[];
}

function advance(state: BlockState, line: string): BlockState {
  if (state.fence) {
    const t = line.replace(/^ {0,3}/, '');
    const m = state.fence.marker;
    const closes =
      t.startsWith(m[0].repeat(m.length)) &&
      t
        .replace(/\s+$/, '')
        .split('')
        .every((c) => c === m[0]);
    return closes ? { details: state.details } : state;
  }
  const open = FENCE_OPEN.exec(line);
  if (open) return { details: state.details, fence: { line, marker: open[1] } };
  const trimmed = line.trim();
  if (/^<details[\s>]/i.test(trimmed) && !/<\/details>/i.test(trimmed)) {
    return { details: [...state.details, trimmed] };
  }
  if (/^<\/details>/i.test(trimmed)) return { details: state.details.slice(0, -1) };
  return state;
}

/** Lines that close everything open, innermost first. */
function closers(state: BlockState): string[] {
  const out: string[] = [];
  if (state.fence) out.push(state.fence.marker);
  for (let i = state.details.length - 1; i >= 0; i--) out.push('', '</details>');
  return out;
}

/** Lines that reopen the same sections on the next part, outermost first. */
function reopeners(state: BlockState): string[] {
  const out: string[] = [];
  for (const d of state.details) out.push(continued(d), '');
  if (state.fence) out.push(state.fence.line);
  return out;
}

function continued(detailsLine: string): string {
  return detailsLine.replace(/<\/summary>/i, ' (continued)</summary>');
}

const joinedLength = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length + 1, 0);

/**
 * Cut one block that is too long for a part into pieces of at most `limit` characters, only
 * between lines, closing any open fence and <details> at the end of a piece and reopening them
 * at the start of the next. A single line longer than a piece can hold is shortened with a note
 * (the full text stays in the job summary and the JSON report).
 */
export function splitBlock(block: string, limit: number): string[] {
  const pieces: string[] = [];
  let state: BlockState = { details: [] };
  let lines: string[] = [];
  let used = 0;
  for (let line of block.split('\n')) {
    const after = advance(state, line);
    // Room to close whatever is still open once this line is in (a closing fence needs none).
    const reserve = joinedLength(closers(after));
    const freshRoom = limit - reserve - joinedLength(reopeners(state)) - 1;
    if (line.length > freshRoom) {
      // It has to be shortened anyway: keep it in this piece when a useful part of it fits.
      const roomHere = limit - reserve - used - 1;
      line = shorten(line, roomHere >= 200 ? roomHere : freshRoom);
    }
    if (used + line.length + 1 + reserve > limit && lines.length > 0) {
      pieces.push([...lines, ...closers(state)].join('\n'));
      lines = reopeners(state);
      used = joinedLength(lines);
    }
    lines.push(line);
    used += line.length + 1;
    state = advance(state, line);
  }
  if (lines.length > 0) pieces.push([...lines, ...closers(state)].join('\n'));
  return pieces;
}

function shorten(line: string, room: number): string {
  const note = ` … [line shortened from ${line.length} characters]`;
  return line.slice(0, Math.max(0, room - note.length)) + note;
}

/**
 * Pack blocks (one per object or section, each valid Markdown on its own) into parts of at most
 * `limit` characters. Blocks are never reordered; a block is cut only when it alone exceeds the
 * limit.
 */
export function splitMarkdown(blocks: readonly string[], limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  const push = (piece: string) => {
    const joined = current ? `${current}\n\n${piece}` : piece;
    if (joined.length <= limit) {
      current = joined;
      return;
    }
    if (current) parts.push(current);
    current = piece;
  };
  for (const block of blocks) {
    if (block.length <= limit) push(block);
    else for (const piece of splitBlock(block, limit)) push(piece);
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}
