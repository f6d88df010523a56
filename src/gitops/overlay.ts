import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, stringify } from 'yaml';
import type { PathSegment, SourceLocation } from '../model/types.js';
import type { KustomizeOverlay } from '../render/types.js';

/**
 * Kustomization fields an app definition sets (Argo CD `kustomize.images`, Flux `patches`...),
 * each with where it is edited. `build` writes them as YAML for the wrapper kustomization and
 * keeps, for every line of that text, the field it holds, so that a finding the Kustomize source
 * map puts on the wrapper's line lands on the app definition's line.
 */

/**
 * Where the value at `rel` (below the field) is edited. Inside a block of text (an inline patch),
 * `line` and `column` are 1-based within that text.
 */
export type FieldOrigin = (
  rel: readonly PathSegment[],
  inText?: { line: number; column: number },
) => SourceLocation | undefined;

export class OverlayBuilder {
  private readonly fields: Record<string, unknown> = {};
  private readonly origins = new Map<string, FieldOrigin>();
  readonly components: string[] = [];
  resources?: string[];
  loadRestrictorNone = false;

  set(field: string, value: unknown, origin: FieldOrigin): void {
    this.fields[field] = value;
    this.origins.set(field, origin);
  }

  /** Append to a list field; each item keeps its own origin. */
  push(field: string, item: unknown, origin: FieldOrigin): void {
    const items = (this.fields[field] as unknown[] | undefined) ?? [];
    const index = items.length;
    items.push(item);
    this.fields[field] = items;
    const previous = this.origins.get(field);
    this.origins.set(field, (rel, inText) => {
      if (rel[0] === index) return origin(rel.slice(1), inText);
      return previous?.(rel, inText);
    });
  }

  get empty(): boolean {
    return Object.keys(this.fields).length === 0 && this.components.length === 0 && !this.resources;
  }

  build(): KustomizeOverlay {
    const text = Object.keys(this.fields).length > 0 ? stringify(this.fields, { lineWidth: 0 }) : '';
    const index = lineIndex(text);
    return {
      text,
      components: [...this.components],
      ...(this.resources ? { resources: [...this.resources] } : {}),
      ...(this.loadRestrictorNone ? { loadRestrictorNone: true } : {}),
      locate: (line, column) => {
        const at = index.get(line);
        if (!at) return undefined;
        const [field, ...rel] = at.path;
        const origin = this.origins.get(String(field));
        if (!origin) return undefined;
        if (at.block) {
          const inText = { line: line - at.block.line + 1, column: Math.max(1, column - at.block.indent) };
          return origin(rel, inText) ?? origin(rel);
        }
        return origin(rel);
      },
    };
  }
}

interface LineEntry {
  path: PathSegment[];
  /** For lines of a literal block: where its text starts (1-based line) and its indentation. */
  block?: { line: number; indent: number };
}

/** For each line of the YAML text, the deepest node that starts on it. */
function lineIndex(text: string): Map<number, LineEntry> {
  const out = new Map<number, LineEntry>();
  if (!text) return out;
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  const lines = text.split('\n');
  const lineOf = (offset: number) => lc.linePos(offset).line;
  const visit = (node: Node | null | undefined, path: PathSegment[], keyLine?: number) => {
    if (!node) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const p = [...path, String(pair.key.value)];
        const kl = pair.key.range ? lineOf(pair.key.range[0]) : undefined;
        if (kl !== undefined) out.set(kl, { path: p });
        visit(pair.value as Node, p, kl);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = [...path, i];
        const r = (item as Node).range;
        if (r) out.set(lineOf(r[0]), { path: p });
        visit(item as Node, p);
      });
    } else if (isScalar(node) && node.type === 'BLOCK_LITERAL' && node.range && keyLine !== undefined) {
      const first = keyLine + 1;
      const last = lineOf(Math.max(node.range[0], node.range[1] - 1));
      const sample = lines.slice(first - 1, last).find((l) => l.trim() !== '') ?? '';
      const indent = sample.length - sample.trimStart().length;
      for (let l = first; l <= last; l++) out.set(l, { path, block: { line: first, indent } });
    }
  };
  visit(doc.contents as Node, []);
  return out;
}
