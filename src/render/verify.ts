import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { Manifest } from '../load/yaml.js';
import { formatPath } from '../model/path.js';
import { showsIn } from '../model/text.js';
import { isRecord, type PathSegment, refKey, type SourceLocation } from '../model/types.js';

/**
 * The mapping's self-check: a field whose value came from a values file (or a patch, a base, a
 * kustomization entry) must be mapped to a line that holds that value. For every scalar field of
 * every rendered object whose location is a line of plain YAML (not a template), the node at that
 * line is read: a scalar must equal the rendered value, or be part of it (`repo:tag` built from
 * `tag: 1.2`), or be its base64 (a Secret's `b64enc`); a key that holds nothing, or a map or list,
 * can never be where a rendered scalar came from. Lines that hold template text are not judged.
 * Pure: files come in through `read`.
 */

export interface MappingMismatch {
  manifest: Manifest;
  segments: PathSegment[];
  object: string;
  path: string;
  rendered: unknown;
  location: SourceLocation;
  /** What the line holds, in words: `"1.2"`, `an empty map`, `a map of 3 keys`. */
  found: string;
}

export interface VerifyReport {
  /** Scalar fields whose location is a plain YAML line that was judged. */
  checked: number;
  /** Of those, the ones located in a values file (`values*.yaml`). */
  values: number;
  mismatches: MappingMismatch[];
}

type At =
  | { kind: 'scalar'; value: unknown; block: boolean; text?: string; item?: boolean }
  | { kind: 'map' | 'seq'; size: number; item?: boolean };

/** Every key and list item of a YAML file, by its 1-based line and column. */
export function positionsOf(text: string): Map<string, At> {
  const out = new Map<string, At>();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, strict: false, version: '1.1' });
  const describe = (node: unknown): At | undefined => {
    if (node === null || node === undefined) return { kind: 'scalar', value: null, block: false };
    if (isScalar(node)) {
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      // A plain scalar's text as written: kustomize reads a resource's `tier: yes` as the string
      // "yes", which YAML 1.1 (helm's and kubectl's reading) takes for true.
      const text = node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : undefined;
      return { kind: 'scalar', value: node.value, block, ...(text !== undefined ? { text } : {}) };
    }
    if (isMap(node)) return { kind: 'map', size: node.items.length };
    if (isSeq(node)) return { kind: 'seq', size: node.items.length };
    return undefined;
  };
  const key = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !pair.key || !(pair.key as Node).range) continue;
        const at = describe(pair.value);
        const where = key((pair.key as Node).range![0]);
        // `- name: x` is both a list item and its first key: either may be meant.
        if (at) out.set(where, out.get(where)?.item ? { ...at, item: true } : at);
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const range = (item as Node | null)?.range;
        const at = describe(item);
        if (range && at) out.set(key(range[0]), at.kind === 'scalar' ? at : { ...at, item: true });
        visit(item);
      }
    }
  };
  for (const doc of Array.isArray(docs) ? docs : []) visit(doc.contents);
  return out;
}

/** Is this file a template (its lines print text, they do not hold values)? */
function isTemplate(file: string, text: string, line: number): boolean {
  if (/(^|\/)templates\//.test(file) || /\.tpl$/.test(file)) return true;
  return (text.split('\n')[line - 1] ?? '').includes('{{');
}

export function verifyMapping(
  manifests: readonly Manifest[],
  read: (file: string) => string | undefined,
): VerifyReport {
  const report: VerifyReport = { checked: 0, values: 0, mismatches: [] };
  const texts = new Map<string, string | null>();
  const positions = new Map<string, Map<string, At>>();
  const textOf = (file: string): string | undefined => {
    if (!texts.has(file)) texts.set(file, read(file) ?? null);
    return texts.get(file) ?? undefined;
  };
  const atOf = (loc: SourceLocation): At | undefined => {
    let map = positions.get(loc.file);
    if (!map) {
      map = positionsOf(textOf(loc.file) ?? '');
      positions.set(loc.file, map);
    }
    return map.get(`${loc.line}:${loc.column}`);
  };
  for (const m of manifests) {
    if (!m.locateSource) continue;
    const visit = (value: unknown, at: PathSegment[]): void => {
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(value[i], [...at, i]);
      else if (isRecord(value)) for (const [k, v] of Object.entries(value)) visit(v, [...at, k]);
      else if (at.length > 0) judge(value, at);
    };
    const judge = (rendered: unknown, at: PathSegment[]): void => {
      const loc = m.locateSource!(at);
      // A line that says which key to add holds a parent of the value, not the value.
      if (loc.key !== undefined) return;
      const text = textOf(loc.file);
      if (text === undefined || isTemplate(loc.file, text, loc.line)) return;
      const found = atOf(loc);
      // A values string that is itself a template (`tpl .Values.config .`) renders to other text.
      if (!found || (found.kind === 'scalar' && String(found.value ?? '').includes('{{'))) return;
      const verdict = consistent(rendered, found);
      // A list item's line (`- name: x`) is where a field of that item lands when nothing nearer
      // holds it: not judged unless its first key holds the value.
      if (verdict !== true && found.item) return;
      report.checked++;
      if (/(^|\/)values[^/]*\.ya?ml$/.test(loc.file)) report.values++;
      if (verdict !== true) {
        report.mismatches.push({
          manifest: m,
          segments: at,
          object: refKey(m.ref),
          path: formatPath(m.object, at),
          rendered,
          location: loc,
          found: verdict,
        });
      }
    };
    visit(m.object, []);
  }
  return report;
}

/** True, or what the line holds when it cannot be where `rendered` came from. */
function consistent(rendered: unknown, at: At): true | string {
  if (at.kind !== 'scalar') {
    const what = at.kind === 'map' ? 'map' : 'list';
    return at.size === 0
      ? `an empty ${what}`
      : `a ${what} of ${at.size} ${at.kind === 'map' ? 'keys' : 'items'}`;
  }
  const value = at.value;
  if (value === null || value === undefined) return rendered === null ? true : 'nothing (null)';
  if (sameScalar(rendered, value) || (at.text !== undefined && String(rendered) === at.text)) return true;
  const r = String(rendered ?? '');
  const v = String(value);
  if (v === '') return 'an empty string';
  // Part of the rendered value (`repo:tag`, `--flag=value`, a prefix added by a kustomization).
  if (showsIn(r, v) || showsIn(r.toLowerCase(), v.toLowerCase())) return true;
  // Multi-line text: the same lines, whatever the indentation and trailing blanks.
  if (at.block || v.includes('\n')) {
    const norm = (s: string) =>
      s
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join('\n');
    if (norm(r).includes(norm(v))) return true;
  }
  if (Buffer.from(v, 'utf8').toString('base64') === r) return true;
  // Kustomize `vars:` put `$(NAME)` in the text; the rendered value has what they stand for.
  if (/\$\([A-Za-z_][\w.-]*\)/.test(v)) {
    const pattern = v
      .split(/\$\([A-Za-z_][\w.-]*\)/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    if (new RegExp(`^${pattern}$`, 's').test(r)) return true;
  }
  return JSON.stringify(value);
}

function sameScalar(rendered: unknown, value: unknown): boolean {
  if (String(rendered) === String(value)) return true;
  const a = Number(rendered);
  const b = Number(value);
  return (
    typeof rendered !== 'boolean' &&
    typeof value !== 'boolean' &&
    String(rendered).trim() !== '' &&
    String(value).trim() !== '' &&
    Number.isFinite(a) &&
    a === b
  );
}
