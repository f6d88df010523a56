import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type ParsedNode,
  parseAllDocuments,
  type ScalarTag,
  type Tags,
  type YAMLError,
} from 'yaml';
import {
  type InputError,
  isRecord,
  type KubeObject,
  type ObjectRef,
  type PathSegment,
  refOf,
  type SourceLocation,
} from '../model/types.js';

/**
 * YAML text -> Kubernetes objects, each able to say where any of its fields sits in the text.
 * Pure: takes text, returns values; expected failures are InputErrors, never exceptions.
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
}

export interface ParseOptions {
  /** Most alias expansions allowed per document (guards against "billion laughs"). */
  maxAliasCount?: number;
}

export interface ParseResult {
  manifests: Manifest[];
  errors: InputError[];
}

const DEFAULT_MAX_ALIASES = 1000;

export function parseManifests(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const manifests: Manifest[] = [];
  const errors: InputError[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    version: '1.1',
    customTags: kubernetesTags,
    prettyErrors: false,
    strict: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };

  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      // Later errors in a broken document are mostly echoes of the first one.
      errors.push(yamlError(doc.errors[0], file, at, text));
      return;
    }
    if (doc.contents === null) return; // empty document (a stray `---`)
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? DEFAULT_MAX_ALIASES });
    } catch (err) {
      errors.push({
        level: 'error',
        message: `document ${index + 1}: ${(err as Error).message}`,
        location: at(doc.contents.range[0]),
      });
      return;
    }
    if (value === null || value === undefined) return;
    const locator = makeLocator(doc, at);
    collect(value, [], index, doc, locator, manifests, errors, file, at);
  });
  return { manifests, errors };
}

/**
 * kubectl reads YAML 1.1 (`yes`, `on` are booleans), so we do too, with two corrections that make
 * our values match what the API server receives: an exponent needs digits before it (`e0` is a
 * string, not NaN), and timestamps stay strings (JSON has no dates).
 */
function kubernetesTags(tags: Tags): Tags {
  return tags
    .filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp')
    .map((t) =>
      typeof t !== 'string' && t.tag === 'tag:yaml.org,2002:float' && t.format === 'EXP'
        ? ({ ...t, test: /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$/ } as ScalarTag)
        : t,
    );
}

type Locator = (segments: readonly PathSegment[]) => SourceLocation;

function collect(
  value: unknown,
  prefix: PathSegment[],
  docIndex: number,
  doc: Document.Parsed,
  locate: Locator,
  out: Manifest[],
  errors: InputError[],
  file: string,
  at: (offset: number) => SourceLocation,
): void {
  const here = locate(prefix);
  if (!isRecord(value)) {
    errors.push({
      level: 'note',
      message: `document ${docIndex + 1} is not a mapping; skipped`,
      location: here,
    });
    return;
  }
  const { apiVersion, kind } = value;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || !kind || !apiVersion) {
    const missing = [
      typeof apiVersion === 'string' && apiVersion ? '' : 'apiVersion',
      typeof kind === 'string' && kind ? '' : 'kind',
    ]
      .filter(Boolean)
      .join(' and ');
    errors.push({
      level: 'note',
      message: `not a Kubernetes object (no ${missing}); skipped`,
      location: here,
    });
    return;
  }
  // `kind: List` (and FooList) wraps other objects in `items`.
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items) && !isRecord(value.spec))) {
    const items = Array.isArray(value.items) ? value.items : [];
    items.forEach((item, i) => {
      collect(item, [...prefix, 'items', i], docIndex, doc, locate, out, errors, file, at);
    });
    return;
  }
  if (!isRecord(value.metadata)) value.metadata = {};
  const object = value as KubeObject;
  const base = [...prefix];
  out.push({
    object,
    ref: refOf(object),
    file,
    doc: docIndex,
    locate: base.length === 0 ? locate : (segments) => locate([...base, ...segments]),
  });
}

function yamlError(
  err: YAMLError,
  file: string,
  at: (offset: number) => SourceLocation,
  text: string,
): InputError {
  // yaml's messages end with "at line N, column M:" plus a code excerpt; keep the first sentence.
  const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  // An unclosed `[` or `{` is only noticed where the next line starts: point at the opening instead.
  const flow = /^Flow (sequence|map)/.exec(message);
  if (flow) {
    const bracket = flow[1] === 'sequence' ? '[' : '{';
    const open = text.lastIndexOf(bracket, err.pos[0] - 1);
    if (open >= 0)
      return { level: 'error', message: `YAML syntax error: unclosed ${bracket}`, location: at(open) };
  }
  const location = err.linePos
    ? { file, line: err.linePos[0].line, column: err.linePos[0].col }
    : at(err.pos[0]);
  return { level: 'error', message: `YAML syntax error: ${message}`, location };
}

/**
 * Walk the document's nodes along a concrete path. A map entry is located at its key (the line a
 * human edits); a list item at its first character (`- name: app` is located at `name`).
 * Aliases are followed to their anchor.
 */
function makeLocator(doc: Document.Parsed, at: (offset: number) => SourceLocation): Locator {
  return (segments) => {
    let node: ParsedNode | null = doc.contents;
    let best = node ? at(node.range[0]) : at(0);
    for (const seg of segments) {
      node = deref(node, doc);
      if (!node) break;
      if (typeof seg === 'number') {
        if (!isSeq(node)) break;
        const item = node.items[seg] as ParsedNode | undefined;
        if (!item) break;
        best = at(item.range[0]);
        node = item;
      } else {
        if (!isMap(node)) break;
        const pair = node.items.find((p) => isPair(p) && keyString(p.key) === seg);
        if (!pair) break;
        const key = pair.key as ParsedNode | null;
        const value = pair.value as ParsedNode | null;
        if (key?.range) best = at(key.range[0]);
        else if (value?.range) best = at(value.range[0]);
        node = value;
      }
    }
    return best;
  };
}

function deref(node: ParsedNode | null, doc: Document.Parsed): ParsedNode | null {
  let n: Node | null = node;
  for (let hops = 0; n && isAlias(n) && hops < 64; hops++) n = n.resolve(doc) ?? null;
  return (n as ParsedNode | null) ?? null;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (typeof key === 'string') return key;
  return undefined;
}
