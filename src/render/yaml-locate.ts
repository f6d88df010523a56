import { isMap, isPair, isScalar, isSeq, LineCounter, type ParsedNode, parseAllDocuments } from 'yaml';
import type { PathSegment, SourceLocation } from '../model/types.js';

/**
 * Locate keys in YAML that is not a Kubernetes object (values files, kustomization.yaml,
 * patches): where `image.tag` sits in values-prod.yaml. Pure.
 */
export interface YamlLocator {
  file: string;
  docCount: number;
  /** The location of the node at `path` in document `doc`, only when the whole path exists. */
  find(path: readonly PathSegment[], doc?: number): SourceLocation | undefined;
  /** How many leading segments of `path` exist in document `doc`. */
  depth(path: readonly PathSegment[], doc?: number): number;
  /** The node's plain value (scalars as JS values), or undefined. */
  value(path: readonly PathSegment[], doc?: number): unknown;
  /** The document's plain value. */
  toJS(doc?: number): unknown;
  /** 1-based line of the node's value (for block scalars: the line after the indicator). */
  valueLine(path: readonly PathSegment[], doc?: number): number | undefined;
}

/**
 * `version` is how the tool that reads the file reads it: '1.1' (the default) for what helm and
 * kubectl read (values files, Chart.yaml, kustomization.yaml itself), where `yes` and `on` are
 * booleans; '1.2' for the resources and patches kustomize reads, where they are strings (a label
 * `tier: yes` renders as "yes", a key `n:` is `n`). A key is also found by its text as written.
 */
export function yamlLocator(text: string, file: string, version: '1.1' | '1.2' = '1.1'): YamlLocator {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, strict: false, version });
  const list = Array.isArray(docs) ? docs : [];
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const walk = (path: readonly PathSegment[], doc: number) => {
    let node = (list[doc]?.contents ?? null) as ParsedNode | null;
    let keyOffset: number | undefined = node?.range[0];
    let depth = 0;
    for (const seg of path) {
      if (!node) break;
      if (typeof seg === 'number') {
        if (!isSeq(node)) break;
        const item = node.items[seg] as ParsedNode | undefined;
        if (!item) break;
        node = item;
        keyOffset = item.range[0];
      } else {
        if (!isMap(node)) break;
        const pair = node.items.find(
          (p) =>
            isPair(p) &&
            isScalar(p.key) &&
            (String(p.key.value) === seg || (p.key.type === 'PLAIN' && p.key.source === seg)),
        );
        if (!pair) break;
        keyOffset = (pair.key as ParsedNode).range[0];
        node = pair.value as ParsedNode | null;
      }
      depth++;
    }
    return { node, keyOffset, depth };
  };
  return {
    file,
    docCount: list.length,
    find(path, doc = 0) {
      const w = walk(path, doc);
      return w.depth === path.length && w.keyOffset !== undefined ? at(w.keyOffset) : undefined;
    },
    depth(path, doc = 0) {
      return walk(path, doc).depth;
    },
    value(path, doc = 0) {
      const w = walk(path, doc);
      if (w.depth !== path.length) return undefined;
      if (w.node === null) return null;
      return isScalar(w.node) ? w.node.value : (w.node?.toJSON() as unknown);
    },
    toJS(doc = 0) {
      return list[doc]?.toJS();
    },
    valueLine(path, doc = 0) {
      const w = walk(path, doc);
      if (w.depth !== path.length || !w.node) return undefined;
      const start = at(w.node.range[0]).line;
      const isBlock = isScalar(w.node) && (w.node.type === 'BLOCK_LITERAL' || w.node.type === 'BLOCK_FOLDED');
      return isBlock ? start + 1 : start;
    },
  };
}
