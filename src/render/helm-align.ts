import type { PathSegment } from '../model/types.js';
import {
  type Binding,
  bindBinding,
  bindCond,
  bindRef,
  type Cond,
  type ParsedTemplate,
  parseTemplate,
  type TemplateNode,
  type ValueRef,
} from './helm-template.js';

/**
 * Align rendered lines with the template lines that printed them. A dynamic programme over
 * (rendered line, template node) finds the best explanation of the output: literal lines match
 * their pattern, blocks (`include`, `toYaml`) absorb the lines they print, `if` branches and
 * empty ranges are skipped, and a range's body may repeat. Lines printed by an `include` are
 * aligned again, recursively, against the `define` they came from (usually in _helpers.tpl).
 */

export interface ResolvedRef {
  /** `arg` only inside a define, until the block that includes it binds it. */
  source: 'values' | 'chart' | 'arg';
  path: PathSegment[];
  /** Positions in `path` that stand for a range's item (filled with the iteration count). */
  holes?: number[];
  /** Fields that may have supplied the value instead (`default`, `coalesce`). */
  alts?: ResolvedRef[];
}

export interface LineOrigin {
  kind: 'lit' | 'block' | 'orphan' | 'blank';
  /** The template file and 1-based line and column that printed this rendered line. */
  file: string;
  line: number;
  column: number;
  /** Values and chart fields read on that template line (range items resolved to indexes). */
  refs: ResolvedRef[];
  /** Printed by `toYaml` of this values subtree; `blockStart` is the block's first rendered line. */
  yamlOf?: ResolvedRef;
  blockStart?: number;
  /** A key line (`resources:`) whose children a `toYaml` block printed. */
  childYamlOf?: ResolvedRef;
  /** A key line (`script: |`) whose text a block printed from a values string (`tpl .Values.x .`). */
  childText?: ResolvedRef;
}

export interface DefineSource {
  file: string;
  /** The define's body as its own template, lines numbered as in the file. */
  template: ParsedTemplate;
}

export type DefineTable = Map<string, DefineSource>;

/**
 * Collect the `define`s of helper and template files: name -> body. Only files that hold a
 * `define` are read for them (a chart's large static files, CRDs, hold none), and each body is
 * parsed the first time the aligner needs it.
 */
export function defineTable(files: { file: string; text: string }[]): DefineTable {
  const table: DefineTable = new Map();
  for (const { file, text } of files) {
    if (!/\{\{-?\s*define\b/.test(text)) continue;
    const lines = text.split('\n');
    for (const d of parseTemplate(file, text).defines) {
      let parsed: ParsedTemplate | undefined;
      table.set(d.name, {
        file,
        get template() {
          parsed ??= parseTemplate(file, lines.slice(d.from, d.to).join('\n'), d.from, {
            asDefine: true,
          }).template;
          return parsed;
        },
      });
    }
  }
  return table;
}

const SCORE = { blockLine: 0.2, orphan: -1, gap: 0.002 };
const MOVE = { none: 0, skip: 1, back: 2, match: 3, block: 4, orphan: 5, blank: 6 } as const;
const MAX_DEPTH = 8;
/** Past this many (rendered line, node) pairs (~26 MB of tables) a one-pass greedy match is used. */
const MAX_CELLS = 2_000_000;

/**
 * Extra evidence for a block printing a line: helm-map knows what a `toYaml .Values.x` block can
 * print (the keys under x), which tells apart two blocks at the same indentation.
 */
export type BlockHint = (node: TemplateNode, line: string) => number;

export interface AlignOptions {
  hint?: BlockHint;
  /**
   * Whether a condition holds with the values in use (true, false, or undefined when it cannot
   * be told). A line under a branch known not to be taken is never matched.
   */
  evaluate?: (cond: Cond) => boolean | undefined;
  /**
   * Whether a values field holds a map or a list: a helper given a scalar (`dict "type" .Values.preset`)
   * prints something it made from it, never the scalar itself.
   */
  isSubtree?: (ref: ResolvedRef) => boolean;
  /** Recursion into defines: how deep, and what each enclosing include passed (innermost first). */
  depth?: number;
  bindings?: Binding[];
}

/**
 * The best explanation of `rendered` by `template`. Skipping template lines costs nothing before
 * the first rendered line and after the last (a chunk is one document of a template that may
 * print several), and a little in between, so that of two equally good explanations the one that
 * keeps an object's lines together wins (two ClusterRoles in one file).
 */
export function align(
  rendered: readonly string[],
  template: ParsedTemplate,
  defines: DefineTable,
  options: AlignOptions = {},
): LineOrigin[] {
  const { nodes } = template;
  const n = rendered.length;
  const M = nodes.length;
  const W = M + 1;
  const enabled = enabledNodes(nodes, options);
  if ((n + 1) * W > MAX_CELLS) return greedyAlign(rendered, template, enabled);
  const score = new Float64Array((n + 1) * W).fill(Number.NEGATIVE_INFINITY);
  const move = new Uint8Array((n + 1) * W);
  const from = new Int32Array((n + 1) * W).fill(-1);
  const lines = rendered.map((l) => l.trimEnd());
  const indents = lines.map((l) => l.match(/^ */)![0].length);
  const backEdges = template.loops.filter((l) => l.start <= l.end);
  const hint = options.hint;

  const relax = (to: number, value: number, kind: number, prev: number): boolean => {
    if (value > score[to] + 1e-9) {
      score[to] = value;
      move[to] = kind;
      from[to] = prev;
      return true;
    }
    return false;
  };

  score[0] = 0;
  // What each node can do with the current line, computed once per line (passes repeat for loops).
  const gain = new Float64Array(M);
  for (let i = 0; i <= n; i++) {
    if (i < n) {
      for (let j = 0; j < M; j++) {
        const node = nodes[j];
        gain[j] = Number.NaN;
        if (!enabled[j]) continue;
        if (node.type === 'lit' && node.pattern!.test(lines[i])) gain[j] = litScore(node.weight ?? 0);
        else if (node.type === 'block' && indents[i] >= (node.indent ?? 0)) {
          gain[j] = blockScore(node, lines[i], defines) + (hint?.(node, lines[i]) ?? 0);
        }
      }
    }
    const skipCost = i === 0 || i === n ? 0 : SCORE.gap;
    for (let pass = 0; pass < 16; pass++) {
      for (let j = 0; j <= M; j++) {
        const here = i * W + j;
        const s = score[here];
        if (s === Number.NEGATIVE_INFINITY) continue;
        if (j < M) relax(here + 1, s - (nodes[j].type === 'control' ? 0 : skipCost), MOVE.skip, here);
        if (i === n) continue;
        const next = (i + 1) * W + j;
        if (!lines[i].trim()) {
          relax(next, s, MOVE.blank, here);
          continue;
        }
        relax(next, s + SCORE.orphan, MOVE.orphan, here);
        if (j === M) continue;
        const g = gain[j];
        if (Number.isNaN(g)) continue;
        if (nodes[j].type === 'lit') relax(next + 1, s + g, MOVE.match, here);
        else relax(next, s + g, MOVE.block, here);
      }
      let changed = false;
      for (const loop of backEdges) {
        const end = i * W + loop.end;
        if (score[end] > Number.NEGATIVE_INFINITY)
          changed = relax(i * W + loop.start, score[end], MOVE.back, end) || changed;
      }
      if (!changed) break;
    }
  }

  // Walk back from the end, then replay forwards to count range iterations.
  const path: number[] = [];
  for (let at = n * W + M; at > 0 && from[at] >= 0; at = from[at]) path.push(at);
  path.reverse();
  return replay(path, W, move, lines, indents, template, defines, options);
}

/**
 * How much a literal line's match tells: `{{ $key }}: {{ $value }}` matches nearly any line and
 * says little (less than a block that prints exactly what is there), `replicas: {{ ... }}` a lot.
 */
function litScore(weight: number): number {
  return Math.min(1, 0.35 + 0.1 * weight) + 0.01 * weight;
}

/** Which nodes may print: those under no branch that the values rule out. */
function enabledNodes(nodes: readonly TemplateNode[], options: AlignOptions): boolean[] {
  const { evaluate } = options;
  if (!evaluate) return nodes.map(() => true);
  const cache = new Map<Cond, boolean>();
  const holds = (cond: Cond): boolean => {
    let v = cache.get(cond);
    if (v === undefined) {
      let bound = cond;
      for (const b of options.bindings ?? []) bound = bindCond(bound, b);
      v = evaluate(bound) !== false;
      cache.set(cond, v);
    }
    return v;
  };
  return nodes.map((node) => node.guards.every(holds));
}

/**
 * How well a block explains a line. Deeper blocks are more specific (a `toYaml | nindent 12`
 * under `securityContext:` before an `include | nindent 10`), and an `include` explains a line
 * best when its define has a line that matches it.
 */
function blockScore(node: TemplateNode, line: string, defines: DefineTable): number {
  let score = SCORE.blockLine + 0.001 * (node.indent ?? 0);
  const define = node.include ? defines.get(node.include) : undefined;
  if (define) {
    const inner = line.slice(Math.min(node.indent ?? 0, line.match(/^ */)![0].length));
    const hit = define.template.nodes.some((d) => d.type === 'lit' && d.pattern!.test(inner));
    const nested = define.template.nodes.some((d) => d.type === 'block');
    score += hit ? 0.1 : nested ? 0 : -0.1;
  }
  return score;
}

function replay(
  path: number[],
  W: number,
  move: Uint8Array,
  lines: string[],
  indents: number[],
  template: ParsedTemplate,
  defines: DefineTable,
  options: AlignOptions,
): LineOrigin[] {
  const { nodes, file } = template;
  const origins: LineOrigin[] = new Array(lines.length);
  const counters = new Map<number, number>();
  const loopByStart = new Map(template.loops.map((l) => [l.start, l.id]));
  let block: { node: number; lines: number[] } | undefined;
  let lastLit: LineOrigin | undefined;

  const flush = (): void => {
    if (!block) return;
    finishBlock(
      block.lines,
      nodes[block.node],
      iterationsOf(nodes[block.node], counters),
      origins,
      lines,
      indents,
      file,
      defines,
      options,
    );
    block = undefined;
  };

  for (const at of path) {
    const i = Math.floor(at / W);
    const j = at % W;
    const kind = move[at];
    if (kind === MOVE.skip) {
      const loop = loopByStart.get(j);
      if (loop !== undefined) counters.set(loop, 0);
      continue;
    }
    if (kind === MOVE.back) {
      const loop = loopByStart.get(j);
      if (loop !== undefined) counters.set(loop, (counters.get(loop) ?? 0) + 1);
      continue;
    }
    const r = i - 1;
    if (kind === MOVE.block) {
      if (!block || block.node !== j || block.lines[block.lines.length - 1] !== r - 1) {
        flush();
        block = { node: j, lines: [] };
      }
      block.lines.push(r);
      continue;
    }
    if (kind === MOVE.blank) {
      if (block) block.lines.push(r);
      else origins[r] = { ...(lastLit ?? fallback(file)), kind: 'blank' };
      continue;
    }
    flush();
    if (kind === MOVE.match) {
      const node = nodes[j - 1];
      lastLit = {
        kind: 'lit',
        file,
        line: node.line + 1,
        column: node.column,
        refs: resolveRefs([...node.refs, ...callRefs(node, defines)], iterationsOf(node, counters)),
      };
      origins[r] = lastLit;
    } else {
      // Unexplained output: attribute it to the last line that was explained, never to nowhere.
      origins[r] = { ...(lastLit ?? fallback(file)), kind: 'orphan', refs: [] };
    }
  }
  flush();
  for (let r = 0; r < origins.length; r++) origins[r] ??= { ...fallback(file), kind: 'orphan' };
  return origins;
}

function fallback(file: string): LineOrigin {
  return { kind: 'orphan', file, line: 1, column: 1, refs: [] };
}

function finishBlock(
  blockLines: number[],
  node: TemplateNode,
  iterations: number[],
  origins: LineOrigin[],
  lines: string[],
  indents: number[],
  file: string,
  defines: DefineTable,
  options: AlignOptions,
): void {
  const depth = options.depth ?? 0;
  const content = blockLines.filter((r) => lines[r].trim());
  let minIndent = Number.POSITIVE_INFINITY; // a loop, not Math.min(...): a block may be very long
  for (const r of content) if (indents[r] < minIndent) minIndent = indents[r];
  const own: LineOrigin = {
    kind: 'block',
    file,
    line: node.line + 1,
    column: node.column,
    refs: resolveRefs(node.refs, iterations),
  };
  const define = node.include ? defines.get(node.include) : undefined;
  if (define && depth < MAX_DEPTH && content.length > 0) {
    const dedented = blockLines.map((r) => lines[r].slice(Math.min(minIndent, indents[r])));
    const arg = node.includeArg ?? { kind: 'unknown' };
    const inner = align(dedented, define.template, defines, {
      ...options,
      depth: depth + 1,
      bindings: [arg, ...(options.bindings ?? [])],
    });
    // A define that prints the values it was given (`tpl (toYaml .value)`) has no literal line of
    // its own in the output: those lines come from the values subtree passed in.
    const verbatim =
      node.includeOf &&
      inner.every((o) => o.kind !== 'lit') &&
      (options.isSubtree?.(resolveRefs([node.includeOf], iterations)[0]) ?? true);
    if (!verbatim) {
      // The define's fields are in terms of what it was given: this include says what that is.
      const bind = (r: ResolvedRef | undefined) => (r ? bindResolved(r, arg, iterations) : undefined);
      blockLines.forEach((r, k) => {
        const o = inner[k];
        if (o.kind === 'orphan' || o.kind === 'blank') {
          origins[r] = own;
          return;
        }
        const bound: LineOrigin = {
          ...o,
          refs: o.refs.flatMap((x) => {
            const b = bind(x);
            return b ? [b] : [];
          }),
        };
        for (const key of ['yamlOf', 'childYamlOf', 'childText'] as const) {
          if (!o[key]) continue;
          const b = bind(o[key]);
          if (b && b.source !== 'arg') bound[key] = b;
          else delete bound[key];
        }
        origins[r] = bound;
      });
      return;
    }
  }
  const source = node.yamlOf ?? (define ? node.includeOf : undefined);
  const yamlOf = source ? resolveRefs([source], iterations)[0] : undefined;
  const start = blockLines[0];
  for (const r of blockLines) origins[r] = yamlOf ? { ...own, yamlOf, blockStart: start } : own;
  const text = yamlOf ? undefined : own.refs.find((r) => r.source === 'values');
  if ((yamlOf || text) && content.length > 0) {
    // The key line the block hangs under (`resources:`): the nearest line above, less indented.
    for (let h = start - 1; h >= 0; h--) {
      if (!lines[h].trim()) continue;
      if (indents[h] < minIndent) {
        if (origins[h]?.kind === 'lit') {
          origins[h] = yamlOf ? { ...origins[h], childYamlOf: yamlOf } : { ...origins[h], childText: text };
        }
        break;
      }
    }
  }
}

/**
 * A resolved field of a define's argument in the including template's terms: bound through the
 * include's argument, with the range items of the including line filled in.
 */
function bindResolved(ref: ResolvedRef, arg: Binding, iterations: number[]): ResolvedRef | undefined {
  if (ref.source !== 'arg') return ref;
  // Positions the inner ranges filled stay as they are; the argument's own `[]` take the outer items.
  const bound = bindRef({ source: 'arg', path: ref.path as string[] }, arg);
  if (!bound) return undefined;
  const added = bound.path.length - ref.path.length;
  const filled = resolveRefs(
    [{ source: bound.source, path: bound.path.slice(0, added) as string[] }],
    iterations,
  )[0];
  const out: ResolvedRef = { source: bound.source, path: [...filled.path, ...ref.path] };
  if (filled.holes) out.holes = filled.holes;
  if (ref.holes) out.holes = [...(out.holes ?? []), ...ref.holes.map((h) => h + added)];
  return out;
}

/**
 * The fields read by the defines that a line includes inline (`image: {{ include "x.image" . }}`),
 * followed through nested includes, in the line's terms. A define's own ranges are left out.
 */
const callRefCache = new WeakMap<TemplateNode, ValueRef[]>();
function callRefs(node: TemplateNode, defines: DefineTable): ValueRef[] {
  if (!node.calls?.length) return [];
  let refs = callRefCache.get(node);
  if (!refs) {
    refs = [];
    const seen = new Set<string>();
    for (const call of node.calls) refs.push(...deepRefs(call.name, call.arg, defines, 0, seen));
    callRefCache.set(node, refs);
  }
  return refs;
}

function deepRefs(
  name: string,
  arg: Binding,
  defines: DefineTable,
  depth: number,
  seen: Set<string>,
): ValueRef[] {
  const key = `${name}\0${JSON.stringify(arg)}`;
  const define = defines.get(name);
  if (!define || depth > MAX_DEPTH || seen.has(key)) return [];
  seen.add(key);
  const out: ValueRef[] = [];
  for (const n of define.template.nodes) {
    for (const r of n.refs) {
      if (r.path.includes('[]')) continue;
      const b = bindRef(r, arg);
      // Chart.yaml's name and version make names and labels, which are edited where they are
      // printed; its appVersion is an image tag's fallback.
      if (b?.source === 'chart' && b.path[0] !== 'appVersion') continue;
      if (b && b.source !== 'arg' && !b.path.includes('[]')) out.push(b);
    }
    for (const c of n.calls ?? [])
      out.push(...deepRefs(c.name, bindBinding(c.arg, arg), defines, depth + 1, seen));
  }
  return out;
}

function iterationsOf(node: TemplateNode, counters: Map<number, number>): number[] {
  return node.ranges.map((id) => counters.get(id) ?? 0);
}

/** Replace each `[]` (an enclosing range's item) by that range's iteration, innermost last. */
function resolveRefs(refs: ValueRef[], iterations: number[]): ResolvedRef[] {
  return refs.map((ref) => {
    const out = resolveOne(ref, iterations);
    if (ref.alts?.length) out.alts = ref.alts.map((a) => resolveOne(a, iterations));
    return out;
  });
}

function resolveOne(ref: ValueRef, iterations: number[]): ResolvedRef {
  const holes = ref.path.filter((p) => p === '[]').length;
  let k = iterations.length - holes;
  const at: number[] = [];
  const path: PathSegment[] = ref.path.map((p, i) => {
    if (p !== '[]') return p;
    at.push(i);
    return iterations[k++] ?? 0;
  });
  return at.length > 0 ? { source: ref.source, path, holes: at } : { source: ref.source, path };
}

/**
 * For huge outputs (a range printing thousands of lines): match each rendered line to the next
 * literal line that fits, within a window, else to the last one matched. Coarser, bounded in
 * time and memory, and still never a line that does not exist.
 */
function greedyAlign(
  rendered: readonly string[],
  template: ParsedTemplate,
  enabled: readonly boolean[],
): LineOrigin[] {
  const { nodes, file } = template;
  const origins: LineOrigin[] = [];
  let cursor = 0;
  let last: LineOrigin = fallback(file);
  for (const raw of rendered) {
    const line = raw.trimEnd();
    if (!line.trim()) {
      origins.push({ ...last, kind: 'blank' });
      continue;
    }
    let hit = -1;
    for (let step = 0; step < nodes.length && step < 400; step++) {
      const k = (cursor + step) % nodes.length;
      if (enabled[k] && nodes[k].type === 'lit' && nodes[k].pattern!.test(line)) {
        hit = k;
        break;
      }
    }
    if (hit >= 0) {
      const node = nodes[hit];
      last = {
        kind: 'lit',
        file,
        line: node.line + 1,
        column: node.column,
        refs: resolveRefs(node.refs, []),
      };
      cursor = hit + 1;
      origins.push(last);
    } else origins.push({ ...last, kind: 'orphan', refs: [] });
  }
  return origins;
}
