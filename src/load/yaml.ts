import {
  binaryTag,
  boolYaml11Tag,
  constructFromEvents,
  EVENT_ID,
  type Event,
  floatYaml11Tag,
  intYaml11Tag,
  mapTag,
  mergeTag,
  nullYaml11Tag,
  parseEvents,
  Schema,
  seqTag,
  strTag,
  YAMLException,
} from 'js-yaml';
import {
  type InputError,
  isRecord,
  type KubeObject,
  type ObjectRef,
  type PathSegment,
  refOf,
  type SourceLocation,
} from '../model/types.js';
import {
  type DocNode,
  type ItemStart,
  itemStartOf,
  locateByOrder,
  locateOffset,
  ordered,
  preorderOffsetsInto,
  readTree,
} from './positions.js';

/**
 * YAML text -> Kubernetes objects, each able to say where any of its fields sits in the text.
 * Pure: takes text, returns values; expected failures are InputErrors, never exceptions.
 *
 * Speed matters (50,000 objects in a few seconds), so values are built straight from js-yaml's
 * event stream, and positions are worked out only when a finding asks for one: the document's
 * events are parsed again then, once, and kept while the same document is asked about.
 */

export interface Manifest {
  object: KubeObject;
  ref: ObjectRef;
  /** The file as the user named it, relative to the working directory. */
  file: string;
  /** 0-based index of the YAML document within the file. */
  doc: number;
  /** Where the node at `segments` sits in this text, or its nearest existing parent when it is absent. */
  locate(segments: readonly PathSegment[]): SourceLocation;
  /**
   * For rendered manifests (Helm, Kustomize): where a human edits the field (a values key, a
   * template line, a patch). Set by the render layer; absent for plain manifests.
   */
  locateSource?: (segments: readonly PathSegment[]) => SourceLocation;
  /**
   * False when `locate` has to parse the document again (aliases, a value changed since it was
   * parsed): such a document is best asked about all at once, not once per rule.
   */
  locatesQuickly?: () => boolean;
}

export interface ParseOptions {
  /** Most nodes a document may expand to through aliases (guards against "billion laughs"). */
  maxAliasExpansion?: number;
  /** Most bytes of strings a document may expand to through aliases (one big string aliased often). */
  maxAliasBytes?: number;
}

export interface ParseResult {
  manifests: Manifest[];
  errors: InputError[];
}

const DEFAULT_MAX_ALIAS_EXPANSION = 100_000;
/** What a document's aliases may expand its text to: far above any real manifest (the file limit is 16 MiB). */
const DEFAULT_MAX_ALIAS_BYTES = 32 * 1024 * 1024;

/**
 * kubectl reads YAML 1.1 (`yes`, `on` are booleans, `0755` is octal), so we do too; timestamps stay
 * strings, as JSON (and so the API server) has no dates. Helm and kustomize read values files,
 * Chart.yaml and kustomizations the same way (render/yaml-data.ts).
 */
export const KUBERNETES_SCHEMA = new Schema([
  strTag,
  seqTag,
  mapTag,
  nullYaml11Tag,
  boolYaml11Tag,
  intYaml11Tag,
  floatYaml11Tag,
  mergeTag,
  binaryTag,
]);

/** One YAML document's slice of the file: documents are parsed one by one so one bad one loses nothing else. */
interface Chunk {
  start: number;
  end: number;
}

export function parseManifests(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const manifests: Manifest[] = [];
  const errors: InputError[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // editors do not count the BOM as a column
  const lines = new LineIndex(text, file);
  const maxExpansion = options.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION;
  const maxBytes = options.maxAliasBytes ?? DEFAULT_MAX_ALIAS_BYTES;
  // Every document's offsets in one typed array for the file (filled in when the file is done).
  const offsets: number[] = [];
  const pool: OffsetPool = { data: EMPTY_OFFSETS };

  splitDocuments(text).forEach((chunk, docIndex) => {
    const source = text.slice(chunk.start, chunk.end);
    let events: Event[];
    try {
      events = parseEvents(source, {});
    } catch (err) {
      errors.push(withTemplateHint(syntaxError(err, chunk, lines, source), source));
      return;
    }
    let value: unknown;
    try {
      [value] = constructFromEvents(events, { source, schema: KUBERNETES_SCHEMA });
    } catch (err) {
      errors.push(withTemplateHint(syntaxError(err, chunk, lines, source), source));
      return;
    }
    if (value === null || value === undefined) return;
    const hasAliases = events.some((e) => e.type === EVENT_ID.ALIAS);
    if (hasAliases) {
      const size = expandedSize(value, { nodes: maxExpansion, bytes: maxBytes });
      if (size.nodes > maxExpansion || size.bytes > maxBytes) {
        const what = size.nodes > maxExpansion ? `${maxExpansion} nodes` : `${maxBytes / 1024 / 1024} MiB`;
        errors.push({
          level: 'error',
          message: `document ${docIndex + 1}: aliases expand to more than ${what}; not loaded`,
          location: lines.at(firstContentOffset(events, chunk)),
        });
        return;
      }
      // Aliased nodes are shared objects; give every field its own copy, as the API server would.
      value = unshare(value);
    }
    const from = offsets.length;
    const count = hasAliases ? undefined : preorderOffsetsInto(events, source, offsets);
    const located = new DocumentPositions(source, chunk.start, lines, value, pool, from, count);
    collect(value, [], docIndex, located, manifests, errors);
  });
  if (offsets.length > 0) pool.data = Int32Array.from(offsets);
  return { manifests, errors };
}

/** The offsets of a file's documents, one after the other. */
interface OffsetPool {
  data: Int32Array;
}

const EMPTY_OFFSETS = new Int32Array(0);

/**
 * Split a YAML stream at its document markers. A `---` or `...` at the start of a line can only be
 * a marker (the spec forbids them inside content), so this split is exact. Slices holding nothing
 * but comments, directives and blank lines are joined to the document that follows.
 */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let hasContent = false; // does the slice since `start` hold a document (content, or a `---`)?
  for (let pos = 0; pos < text.length; ) {
    const nl = text.indexOf('\n', pos);
    const next = nl < 0 ? text.length : nl + 1;
    // Inside a document only a line that starts with `-` or `.` can be a marker: the others are
    // passed over without being read (a document of 20,000 lines).
    const first = text.charCodeAt(pos);
    if (hasContent && first !== 45 && first !== 46) {
      pos = next;
      continue;
    }
    const line = text.slice(pos, nl < 0 ? text.length : nl).replace(/\r$/, '');
    if (/^---(\s|$)/.test(line)) {
      if (hasContent) {
        chunks.push({ start, end: pos });
        start = pos;
      }
      hasContent = true; // even a bare `---` opens a (possibly empty) document
    } else if (/^\.\.\.(\s|$)/.test(line)) {
      if (hasContent) chunks.push({ start, end: next });
      start = next;
      hasContent = false;
    } else if (!hasContent && !/^\s*(#.*)?$/.test(line) && !line.startsWith('%')) {
      hasContent = true;
    }
    pos = next;
  }
  if (hasContent) chunks.push({ start, end: text.length });
  return chunks;
}

function collect(
  value: unknown,
  prefix: PathSegment[],
  docIndex: number,
  positions: DocumentPositions,
  out: Manifest[],
  errors: InputError[],
): void {
  const here = () => positions.locate(prefix);
  if (!isRecord(value)) {
    errors.push({
      level: 'note',
      message: `document ${docIndex + 1} is not a mapping; skipped`,
      location: here(),
    });
    return;
  }
  const { apiVersion, kind } = value;
  const hasApiVersion = typeof apiVersion === 'string' && apiVersion !== '';
  const hasKind = typeof kind === 'string' && kind !== '';
  if (!hasApiVersion || !hasKind) {
    const missing = [hasApiVersion ? '' : 'apiVersion', hasKind ? '' : 'kind'].filter(Boolean).join(' and ');
    errors.push({
      level: 'note',
      message: `not a Kubernetes object (no ${missing}); skipped`,
      location: here(),
    });
    return;
  }
  // `kind: List` (and the typed FooList forms) wrap other objects in `items`.
  if (
    kind === 'List' ||
    ((kind as string).endsWith('List') && Array.isArray(value.items) && !isRecord(value.spec))
  ) {
    const items = Array.isArray(value.items) ? value.items : [];
    items.forEach((item, i) => {
      collect(item, [...prefix, 'items', i], docIndex, positions, out, errors);
    });
    return;
  }
  if (!isRecord(value.metadata)) value.metadata = {};
  const object = value as KubeObject;
  out.push({
    object,
    ref: refOf(object),
    file: positions.file,
    doc: docIndex,
    locate: locator(positions, prefix.length === 0 ? undefined : prefix),
    locatesQuickly: positions.quick,
  });
}

/**
 * A manifest's `locate`: a closure over just what it needs (there is one per object, kept for the
 * run). A List item finds where it starts once, for all its findings.
 */
function locator(positions: DocumentPositions, base: readonly PathSegment[] | undefined): Manifest['locate'] {
  if (!base) return (segments) => positions.locate(segments);
  let start: ItemStart | undefined;
  return (segments) => {
    start ??= positions.itemStart(base);
    return positions.locate(segments, base, start);
  };
}

/**
 * Positions of one document. Usually read off the offsets kept from its parse, in the order a walk
 * of the value visits its nodes; when those do not apply (aliases, reordered keys, or a value
 * changed since it was parsed), the document is parsed again for its shape. Only the most recently
 * used of those shapes are kept (the engine asks document by document), so memory stays flat.
 */
class DocumentPositions {
  private static readonly recent = new Map<DocumentPositions, DocNode | null>();
  private static readonly KEEP = 8;

  constructor(
    private readonly source: string,
    private readonly base: number,
    private readonly lines: LineIndex,
    private readonly root: unknown,
    private readonly pool: OffsetPool,
    private readonly from: number,
    /** How many offsets the document has in the pool; undefined when they do not apply (aliases). */
    private readonly count: number | undefined,
  ) {}

  get file(): string {
    return this.lines.file;
  }

  /**
   * Whether `locate` answers from the offsets kept at parse time, without parsing again. One
   * function per document, which its objects share (a List's 4,000 items).
   */
  readonly quick = (): boolean => this.count !== undefined && ordered(this.root, this.count);

  /** Where `prefix` leads in the offsets (a List item's start), when they apply. */
  itemStart(prefix: readonly PathSegment[]): ItemStart | undefined {
    return this.count === undefined ? undefined : itemStartOf(this.root, prefix, this.from, this.count);
  }

  /**
   * Where `prefix` then `segments` leads (`prefix`: an item's place in its List; `start`: where it
   * leads in the offsets, when known).
   */
  locate(
    segments: readonly PathSegment[],
    prefix?: readonly PathSegment[],
    start?: ItemStart,
  ): SourceLocation {
    const fast =
      this.count === undefined
        ? undefined
        : locateByOrder(this.pool.data, this.root, segments, this.from, this.count, prefix, start);
    if (fast !== undefined) return this.lines.at(this.base + fast);
    const tree = this.tree();
    const path = prefix ? [...prefix, ...segments] : segments;
    return this.lines.at(this.base + (tree ? locateOffset(tree, path) : 0));
  }

  private tree(): DocNode | null {
    const recent = DocumentPositions.recent;
    let tree = recent.get(this);
    if (tree !== undefined) {
      recent.delete(this);
    } else {
      tree = readTree(parseEvents(this.source, {}), this.source);
      if (recent.size >= DocumentPositions.KEEP)
        recent.delete(recent.keys().next().value as DocumentPositions);
    }
    recent.set(this, tree);
    return tree;
  }
}

/**
 * Offsets -> 1-based line and column, by binary search over the line starts. The place of an
 * offset asked for again is the same object (locations are never changed): the findings on one
 * container share the line and column of its first field.
 */
class LineIndex {
  private starts: Int32Array | undefined;
  private readonly known = new Map<number, SourceLocation>();

  constructor(
    private readonly text: string,
    readonly file: string,
  ) {}

  at(offset: number): SourceLocation {
    const known = this.known.get(offset);
    if (known) return known;
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = Int32Array.from(starts); // kept for the run: half the size of the array
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const at = { file: this.file, line: lo + 1, column: offset - starts[lo] + 1 };
    this.known.set(offset, at);
    return at;
  }
}

/** A Go or Jinja template tag (`{{ .Values.x }}`, `{{- include`, `{% raw %}`, `{%- if`). */
const TEMPLATE_TAG = /\{\{-?\s*[.$\w(]|\{%-?\s*\w/;

/**
 * A document that does not parse and holds template tags is a template, not a manifest (a docs
 * snippet wrapped in `{% raw %}`, a Helm template outside a chart). Still an error: whatever renders
 * it may deploy the result, and it is not checked. The message says what to do about it.
 */
function withTemplateHint(error: InputError, source: string): InputError {
  const tag = TEMPLATE_TAG.exec(source);
  if (!tag) return error;
  const opener = tag[0].startsWith('{%') ? '{% … %}' : '{{ … }}';
  return {
    ...error,
    message: `${error.message} (it holds template tags, ${opener}: it is YAML only once rendered; check what renders it, or list it under exclude in .shipshape.yaml)`,
  };
}

function syntaxError(err: unknown, chunk: Chunk, lines: LineIndex, source: string): InputError {
  if (err instanceof YAMLException) {
    const position = err.mark?.position ?? 0;
    // An unclosed `[`, `{` or quote is only noticed where the next line starts: point at the opening.
    const opener = err.reason === 'deficient indentation' ? unclosedOpener(source, position) : undefined;
    if (opener) {
      return {
        level: 'error',
        message: `YAML syntax error: unclosed ${opener.what}`,
        location: lines.at(chunk.start + opener.at),
      };
    }
    return {
      level: 'error',
      message: `YAML syntax error: ${err.reason}`,
      location: lines.at(chunk.start + position),
    };
  }
  return {
    level: 'error',
    message: `YAML error: ${(err as Error).message}`,
    location: lines.at(chunk.start),
  };
}

/** The last unbalanced `[`, `{` or quote on the content line before `offset`, if any. */
function unclosedOpener(source: string, offset: number): { what: string; at: number } | undefined {
  let end = source.lastIndexOf('\n', offset - 1);
  while (end > 0) {
    const start = source.lastIndexOf('\n', end - 1) + 1;
    const line = source.slice(start, end);
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      end = start - 1;
      continue;
    }
    const stack: { ch: string; at: number }[] = [];
    let quote: { ch: string; at: number } | undefined;
    for (let k = 0; k < line.length; k++) {
      const ch = line[k];
      if (quote) {
        if (ch === quote.ch) quote = undefined;
      } else if (ch === '"' || (ch === "'" && /[\s:[{,]/.test(line[k - 1] ?? ' ')))
        quote = { ch, at: start + k };
      else if (ch === '[' || ch === '{') stack.push({ ch, at: start + k });
      else if ((ch === ']' || ch === '}') && stack.length > 0) stack.pop();
      else if (ch === '#' && /\s/.test(line[k - 1] ?? ' ')) break;
    }
    if (quote) return { what: 'quote', at: quote.at };
    const open = stack.at(-1);
    return open ? { what: open.ch, at: open.at } : undefined;
  }
  return undefined;
}

function firstContentOffset(events: Event[], chunk: Chunk): number {
  for (const e of events) {
    if ('start' in e) return chunk.start + e.start;
    if ('valueStart' in e) return chunk.start + e.valueStart;
  }
  return chunk.start;
}

/**
 * What a value expands to, counting shared (aliased) nodes every time: its nodes, and the bytes of
 * its strings (one 1 MiB string aliased a thousand times is a gigabyte of output everywhere it is
 * printed). Stops counting past either limit.
 */
function expandedSize(
  value: unknown,
  limits: { nodes: number; bytes: number },
): { nodes: number; bytes: number } {
  const memo = new Map<object, { nodes: number; bytes: number }>();
  const size = (v: unknown): { nodes: number; bytes: number } => {
    if (typeof v === 'string') return { nodes: 1, bytes: v.length };
    if (typeof v !== 'object' || v === null) return { nodes: 1, bytes: 8 };
    const known = memo.get(v);
    if (known !== undefined) return known;
    const total = { nodes: 1, bytes: 0 };
    for (const [key, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      const s = size(child);
      total.nodes += s.nodes;
      total.bytes += s.bytes + (typeof key === 'string' ? key.length : 0);
      if (total.nodes > limits.nodes || total.bytes > limits.bytes) break;
    }
    memo.set(v, total);
    return total;
  };
  return size(value);
}

/**
 * A copy in which every aliased node is a node of its own, as the API server would have it.
 * Strings are immutable, so they are shared, not copied (structuredClone would copy each one).
 */
function unshare(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(unshare);
  if (ArrayBuffer.isView(value)) return value; // !!binary
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__')
      Object.defineProperty(out, k, {
        value: unshare(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[k] = unshare(v);
  }
  return out;
}
