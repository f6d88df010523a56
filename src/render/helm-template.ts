/**
 * A Helm template, read the way its author reads it: line by line. Each line becomes a node that
 * the aligner (helm-align.ts) can match against rendered lines:
 *  - `lit`: a line with literal text (`image: "{{ .Values.image.repository }}"`), matched by a
 *    pattern in which each action is a wildcard;
 *  - `block`: output whose lines the text cannot predict (`{{- include "x.labels" . | nindent 4 }}`,
 *    `{{- toYaml .Values.resources | nindent 12 }}`), consuming any number of rendered lines;
 *  - `control`: lines that print nothing (`{{- if }}`, `{{- end }}`, comments, assignments).
 * Ranges become loops: the node of a range's `end` jumps back to the first node of its body.
 * Pure: text in, structure out.
 */

/** A dotted values path; `[]` stands for "the current item of an enclosing range". */
export type ValuesPath = string[];

export interface ValueRef {
  /**
   * `values`: a key of .Values; `chart`: a key of Chart.yaml (`.Chart.AppVersion` -> appVersion);
   * `arg`: a field of what a `define` was given (`.imageRoot.tag`), resolved where it is called.
   */
  source: 'values' | 'chart' | 'arg';
  path: ValuesPath;
  /**
   * Other fields that may have supplied the value instead (`.Values.a | default .Values.b`,
   * `coalesce`, `or`, `ternary`): which one did is decided by the values themselves.
   */
  alts?: ValueRef[];
}

/** What a `define` is given: the root context, a field, a `dict` of them, or something unknown. */
export type Binding =
  | { kind: 'root' }
  | { kind: 'ref'; ref: ValueRef }
  | { kind: 'dict'; entries: Record<string, Binding> }
  | { kind: 'unknown' };

/** An `include` or `template` call on a line, with what it passes. */
export interface Call {
  name: string;
  arg: Binding;
}

/**
 * The condition under which a line prints: Go's truthiness of fields (`if .Values.x`, `with`),
 * combined with `not`, `and`, `or`; anything else is `unknown` and never hides a line.
 */
export type Cond =
  | { op: 'truthy'; ref: ValueRef }
  | { op: 'not'; of: Cond }
  | { op: 'and' | 'or'; of: Cond[] }
  | { op: 'unknown' };

export interface TemplateNode {
  type: 'lit' | 'block' | 'control';
  /** 0-based line in the file. */
  line: number;
  /** 1-based column of the first non-blank character (after a list dash). */
  column: number;
  /** For `lit`: matches the rendered line (trailing blanks trimmed). */
  pattern?: LinePattern;
  /** For `lit`: how specific the pattern is (literal characters), to prefer exact matches. */
  weight?: number;
  /** For `lit`: the key the line starts (`resources` for `resources:`, `name` for `- name: x`). */
  key?: string;
  /** For `block`: the least indentation of the lines it prints. */
  indent?: number;
  /** For `block` printing a `define`: its name (and the aligner recurses into it). */
  include?: string;
  /** For `block` printing a `define`: what it passes (the define's `.`). */
  includeArg?: Binding;
  /**
   * For `block` printing a `define` given one values subtree (`include "common.render" (dict
   * "value" .Values.labels ...)`): that path, used when the define prints it verbatim.
   */
  includeOf?: ValueRef;
  /** For `block` printing `toYaml` of a values subtree: that path. */
  yamlOf?: ValueRef;
  /** Values and chart fields the line's actions read, in order of appearance. */
  refs: ValueRef[];
  /** `include`/`template` calls on the line (their defines may read more fields). */
  calls?: Call[];
  /** Ids of the ranges enclosing this node, outermost first. */
  ranges: number[];
  /** The conditions of the enclosing `if`/`with` branches, outermost first. */
  guards: Cond[];
}

export interface ParsedTemplate {
  file: string;
  nodes: TemplateNode[];
  /** Back edges of ranges: from just after the `end` line's nodes to the first node of the body. */
  loops: { id: number; start: number; end: number }[];
}

export interface Define {
  name: string;
  file: string;
  /** 0-based lines of the body, exclusive of the `define` and `end` lines. */
  from: number;
  to: number;
}

interface Action {
  start: number;
  end: number;
  /** The text between the delimiters, trim markers and blanks removed. */
  body: string;
  /** `{{-` and `-}}`: Go templates drop the blanks (and newlines) before and after the action. */
  trimLeft: boolean;
  trimRight: boolean;
}

/** Split the text into actions, honouring quoted strings and comments that contain `}}`. */
export function scanActions(text: string): Action[] {
  const actions: Action[] = [];
  let i = 0;
  while (true) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    let j = open + 2;
    let quote = '';
    let close = -1;
    const isComment = /^-?\s*\/\*/.test(text.slice(open + 2, open + 6));
    if (isComment) {
      const endComment = text.indexOf('*/', open);
      const c = endComment < 0 ? -1 : text.indexOf('}}', endComment);
      close = c;
    } else {
      for (; j < text.length - 1; j++) {
        const ch = text[j];
        if (quote) {
          if (ch === '\\' && quote === '"') j++;
          else if (ch === quote) quote = '';
        } else if (ch === '"' || ch === '`' || ch === "'") quote = ch;
        else if (ch === '}' && text[j + 1] === '}') {
          close = j;
          break;
        }
      }
    }
    if (close < 0) break;
    const raw = text.slice(open + 2, close);
    const trimLeft = /^-\s/.test(raw);
    const trimRight = /\s-$/.test(raw);
    const body = raw.replace(/^-\s/, '').replace(/\s-$/, '').trim();
    actions.push({ start: open, end: close + 2, body, trimLeft, trimRight });
    i = close + 2;
  }
  return actions;
}

const CONTROL = /^(if|else|end|range|with|define|block|break|continue)\b|^\$[\w]*\s*:?=|^\/\*/;
const BLOCKY = /\b(include|toYaml|toJson|tpl|nindent|indent|template)\b/;
const MULTILINE = /\b(toYaml|nindent|indent)\b/;
const ROOT_OBJECTS = new Set(['Values', 'Chart', 'Release', 'Capabilities', 'Files', 'Template']);

interface Scope {
  kind: 'if' | 'with' | 'range' | 'define' | 'other';
  /** What `.` means inside: null = the root context, else a field (a values subtree, a define's argument). */
  dot: ValueRef | null;
  vars: Map<string, ValueRef>;
  rangeId?: number;
  startNode?: number;
  define?: string;
  defineLine?: number;
  /** `.` is something a function made (`with include "x" .`): reading fields of it reads no values. */
  opaque?: boolean;
  /** This branch's own condition, and the conditions of the branches before it (for `else`). */
  cond?: Cond;
  previous?: Cond[];
}

export interface ParseOptions {
  /** Parse a `define` body: `.` is what the define is given (fields of it are `arg` refs). */
  asDefine?: boolean;
}

/** Parse one template file into nodes (and the defines it holds). */
export function parseTemplate(
  file: string,
  text: string,
  lineOffset = 0,
  options: ParseOptions = {},
): { template: ParsedTemplate; defines: Define[] } {
  const actions = scanActions(text);
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);
  const lines = text.split('\n');
  const nodes: TemplateNode[] = [];
  const loops: ParsedTemplate['loops'] = [];
  const defines: Define[] = [];
  const top: Scope = {
    kind: 'other',
    dot: options.asDefine ? { source: 'arg', path: [] } : null,
    // In a define, `$` is what it was given too.
    vars: new Map(options.asDefine ? [['$', { source: 'arg', path: [] }]] : []),
  };
  const stack: Scope[] = [top];
  let nextRange = 0;
  let a = 0;

  for (let ln = 0; ln < lines.length; ln++) {
    const lineStart = lineStarts[ln];
    const lineEnd = lineStart + lines[ln].length;
    // An action that began on an earlier line and ends on or after this one swallows the line.
    while (a < actions.length && actions[a].end <= lineStart) a++;
    const here: Action[] = [];
    for (let k = a; k < actions.length && actions[k].start < lineEnd; k++) here.push(actions[k]);
    const startsInside = here.length > 0 && here[0].start < lineStart;
    const literal = literalText(lines[ln], lineStart, here);
    const ranges = stack.filter((s) => s.rangeId !== undefined).map((s) => s.rangeId!);
    const guards = stack.flatMap((s) => (s.cond ? [s.cond] : []));
    // What each action of the line sees: `{{- with .Values.x }}{{ toYaml . }}{{ end }}` on one line.
    const seen = scopesOnLine(stack, here, lineStart);
    const refs: ValueRef[] = [];
    const calls: Call[] = [];
    for (const act of here) {
      // `{{ include "x.config" . | sha256sum }}` prints a digest: nothing a human edits shows in it.
      if (DIGESTS.test(act.body)) continue;
      refs.push(...refsOf(act.body, seen.get(act)!.scope));
      calls.push(...callsOf(act.body, seen.get(act)!.scope));
    }
    const indentText = lines[ln].match(/^\s*(- )?/)![0];
    const column = indentText.length + 1;
    const base = { line: ln + lineOffset, column, refs, ranges, guards, ...(calls.length ? { calls } : {}) };

    if (startsInside && here.length === 1 && here[0].end > lineEnd) {
      nodes.push({ ...base, type: 'control' });
      continue;
    }
    const outputs = here.filter((act) => act.start >= lineStart && !CONTROL.test(act.body));
    if (literal.trim()) {
      const key = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^\s:#{"'-][^:#{]*?):(?:\s|$)/.exec(lines[ln])?.[1];
      nodes.push({
        ...base,
        type: 'lit',
        pattern: linePattern(lines[ln], lineStart, here),
        weight: weightOf(literal),
        ...(key ? { key: key.replace(/^["']|["']$/g, '') } : {}),
      });
    }
    // After literal text only multi-line output makes a block (`resources: {{ toYaml . | nindent 4 }}`);
    // an inline `{{ include "x.fullname" . }}` prints one word on the same line.
    const blocky = outputs.find((act) => (literal.trim() ? MULTILINE : BLOCKY).test(act.body));
    if (blocky || (!literal.trim() && outputs.length > 0)) {
      const act = blocky ?? outputs[0];
      const at = seen.get(act)!;
      const scope = at.scope;
      const node: TemplateNode = {
        ...base,
        guards: at.guards,
        type: 'block',
        indent: indentOf(act.body, lines[ln]),
      };
      const call = callsOf(act.body, scope)[0];
      if (call) {
        node.include = call.name;
        node.includeArg = call.arg;
        const inc = /\b(?:include|template)\s+"([^"]+)"/.exec(act.body)!;
        const args = refsOf(act.body.slice(inc.index + inc[0].length), scope).filter(
          (r) => r.source === 'values',
        );
        if (args.length === 1) node.includeOf = args[0];
      }
      const yaml = /\b(?:toYaml|toJson)\b/.exec(act.body);
      if (yaml) {
        // The subtree printed: the fields the action reads (`toYaml .Values.x`, `.Values.x | toYaml`,
        // `toYaml (.Values.x | default .Values.global.x)`); the first is the usual one, the others
        // are alternatives.
        let inner = act.body
          .replace(/\b(toYaml|toJson|toPrettyJson|trim)\b/g, ' ')
          .replace(/\bn?indent\s+\d+/g, ' ');
        // `tpl (toYaml .Values.x) .`: the context argument is not what is printed.
        if (/\btpl\b/.test(inner))
          inner = inner.replace(/\btpl\b/g, ' ').replace(/\s(\.|\$)(?=\s|\)|$)/g, ' ');
        const r = fieldOf(inner, scope);
        if (r && r.source !== 'chart') node.yamlOf = r;
      }
      nodes.push(node);
    }
    if (!literal.trim() && outputs.length === 0) nodes.push({ ...base, type: 'control' });

    // Apply the line's control actions to the scope stack, in order.
    for (const act of here) {
      if (act.start < lineStart) continue;
      const word = /^(\w+)/.exec(act.body)?.[1];
      const cur = stack[stack.length - 1];
      const assign = /^(\$\w+)\s*(:?=)\s*(.*)$/s.exec(act.body);
      if (assign) {
        // `$x := coalesce .Values.a .Values.b`: later `$x` reads those fields. `$x = ...` changes a
        // variable declared further out, maybe only in some branch: both values stay possible,
        // unless it now holds something made anew (`set $x ...`): then it is no field at all.
        const r = fieldOf(assign[3], cur);
        if (assign[2] === ':=') {
          if (r) cur.vars.set(assign[1], r);
          else cur.vars.delete(assign[1]);
        } else {
          for (const sc of stack) {
            const had = sc.vars.get(assign[1]);
            if (had && r) sc.vars.set(assign[1], combine([had, r])!);
            else if (had) sc.vars.delete(assign[1]);
          }
        }
      } else if (word === 'if') {
        const cond = condOf(act.body.slice(2), cur);
        stack.push({
          kind: 'if',
          dot: cur.dot,
          opaque: cur.opaque,
          vars: new Map(cur.vars),
          cond,
          previous: [cond],
        });
      } else if (word === 'else' && stack.length > 1 && (cur.kind === 'if' || cur.kind === 'with')) {
        // `else`, `else if X`, `else with X`: none of the branches before, and its own condition.
        const rest = act.body.slice(4).trim();
        const previous = cur.previous ?? (cur.cond ? [cur.cond] : []);
        const none: Cond[] = previous.map((c) => ({ op: 'not', of: c }));
        const own = /^(if|with)\b/.test(rest) ? condOf(rest.replace(/^(if|with)/, ''), cur) : undefined;
        const cond: Cond = own ? { op: 'and', of: [...none, own] } : { op: 'and', of: none };
        const parent = stack[stack.length - 2];
        let dot = parent.dot;
        if (/^with\b/.test(rest)) dot = combine(refsOf(rest.slice(4), parent)) ?? parent.dot;
        stack[stack.length - 1] = {
          ...cur,
          dot,
          vars: new Map(parent.vars),
          cond,
          previous: own ? [...previous, own] : previous,
        };
      } else if (word === 'with') {
        stack.push(withScope(act.body, cur));
      } else if (word === 'range') {
        stack.push({ ...rangeScope(act.body, cur), rangeId: nextRange++, startNode: nodes.length });
      } else if (word === 'define') {
        const name = /^define\s+"([^"]+)"/.exec(act.body)?.[1] ?? '';
        stack.push({ kind: 'define', dot: null, vars: new Map(), define: name, defineLine: ln });
      } else if (word === 'block') {
        stack.push({ kind: 'other', dot: null, vars: new Map() });
      } else if (word === 'end' && stack.length > 1) {
        const done = stack.pop()!;
        if (done.kind === 'range')
          // The jump back leaves from after the `end` line's nodes (text before `{{ end }}` on that line
          // belongs to the body).
          loops.push({ id: done.rangeId!, start: done.startNode!, end: nodes.length });
        if (done.kind === 'define') {
          defines.push({
            name: done.define!,
            file,
            from: done.defineLine! + 1 + lineOffset,
            to: ln + lineOffset,
          });
        }
      }
    }
  }
  return { template: { file, nodes, loops }, defines };
}

/**
 * Functions whose result shows nothing of what they were given: digests and password hashes. (A
 * random default, `.Values.password | default (randAlphaNum 16)`, still shows the values' one.)
 */
const DIGESTS = /\b(sha1sum|sha256sum|sha512sum|adler32sum|htpasswd|bcrypt|derivePassword|encryptAES)\b/;

/**
 * Functions whose result is new data, not a field of the values (`with include "x" .`,
 * `toYaml (list ...)`): what they make cannot be mapped to a values key. `omit`, `pick`,
 * `default`, `coalesce`, `ternary` keep (a part of) the field they are given.
 */
const MAKES_NEW =
  /\b(include|template|tpl|printf|print|toYaml|toJson|toPrettyJson|fromYaml|fromJson|fromYamlArray|list|dict|merge|mergeOverwrite|concat|append|prepend|trim|trimPrefix|trimSuffix|lower|upper|splitList|split|join|b64enc|b64dec|quote|squote|toString|get|index|pluck|keys|values|regexReplaceAll|replace|sortAlpha|uniq|without|add|sub|mul|div|len|set|unset|deepCopy|mustMerge|mustMergeOverwrite)\b/;

/** The field an expression is, or undefined when it makes something new. */
function fieldOf(expr: string, cur: Pick<Scope, 'dot' | 'vars'>): ValueRef | undefined {
  if (MAKES_NEW.test(expr.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return undefined;
  return combine(refsOf(expr, cur));
}

function withScope(body: string, cur: Scope): Scope {
  const r = fieldOf(body.slice(4), cur);
  if (!r && MAKES_NEW.test(body)) {
    // `with include "x" .`: the branch prints what the helper made; `.` is no field there.
    return { kind: 'with', dot: null, opaque: true, vars: new Map(cur.vars), cond: { op: 'unknown' } };
  }
  const cond: Cond = r ? { op: 'truthy', ref: r } : { op: 'unknown' };
  return { kind: 'with', dot: r ?? cur.dot, vars: new Map(cur.vars), cond, previous: [cond] };
}

function rangeScope(body: string, cur: Scope): Scope {
  const m = /^range\s+(?:(\$\w+)\s*,\s*)?(\$\w+)\s*:=\s*(.*)$/.exec(body);
  const expr = m ? m[3] : body.slice(6);
  const opaque =
    /\b(include|template|tpl|fromYaml|fromJson|fromYamlArray|list|dict|splitList|split|until|untilStep|keys|values)\b/.test(
      expr,
    );
  const r = opaque ? undefined : refsOf(expr, cur).find((x) => x.source !== 'chart');
  if (!r && opaque) return { kind: 'range', dot: null, opaque: true, vars: new Map(cur.vars) };
  const item: ValueRef | null = r ? { source: r.source, path: [...r.path, '[]'] } : null;
  const vars = new Map(cur.vars);
  if (m && item) vars.set(m[2], item);
  return { kind: 'range', dot: m ? cur.dot : item, vars };
}

/** The scope (and branch conditions) each action of one line sees, opening and closing as it goes. */
function scopesOnLine(
  stack: readonly Scope[],
  here: readonly Action[],
  lineStart: number,
): Map<Action, { scope: Scope; guards: Cond[] }> {
  const out = new Map<Action, { scope: Scope; guards: Cond[] }>();
  const sim = [...stack];
  for (const act of here) {
    const top = sim[sim.length - 1];
    out.set(act, { scope: top, guards: sim.flatMap((x) => (x.cond ? [x.cond] : [])) });
    if (act.start < lineStart) continue;
    const word = /^(\w+)/.exec(act.body)?.[1];
    if (word === 'with') sim.push(withScope(act.body, top));
    else if (word === 'range') sim.push(rangeScope(act.body, top));
    else if (word === 'if')
      sim.push({ kind: 'if', dot: top.dot, vars: top.vars, cond: condOf(act.body.slice(2), top) });
    else if ((word === 'end' || word === 'define') && sim.length > 1) sim.pop();
  }
  return out;
}

/** One field with the others as alternatives, or undefined when there is none. */
function combine(refs: ValueRef[]): ValueRef | undefined {
  if (refs.length === 0) return undefined;
  const [first, ...rest] = refs;
  const alts = [...(first.alts ?? []), ...rest.flatMap((r) => [r, ...(r.alts ?? [])])].map(
    ({ source, path }) => ({ source, path }),
  );
  return alts.length > 0
    ? { source: first.source, path: first.path, alts }
    : { source: first.source, path: first.path };
}

/**
 * The condition of an `if`: truthiness of one field, `not`, `and`, `or` of such (with or without
 * parentheses); anything that compares or calls is unknown.
 */
export function condOf(expr: string, scope: Pick<Scope, 'dot' | 'vars'>): Cond {
  const field = /^(?:\$\w*(?:\.[A-Za-z_][\w-]*)*|(?:\.[A-Za-z_][\w-]*)+|\.)$/;
  const parse = (toks: string[]): Cond => {
    if (toks.length === 1) {
      const t = toks[0];
      if (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1)))
        return parse(tokenize(t.slice(1, -1)));
      if (!field.test(t)) return { op: 'unknown' };
      const r = refsOf(t, scope);
      return r.length === 1 && r[0].source !== 'chart' ? { op: 'truthy', ref: r[0] } : { op: 'unknown' };
    }
    const [head, ...rest] = toks;
    if (head === 'not' && rest.length === 1) return { op: 'not', of: parse(rest) };
    if (head === 'empty' && rest.length === 1) return { op: 'not', of: parse(rest) };
    if ((head === 'and' || head === 'or') && rest.length >= 2)
      return { op: head, of: rest.map((t) => parse([t])) };
    return { op: 'unknown' };
  };
  const tokens = tokenize(expr.trim());
  if (tokens.includes('|')) return { op: 'unknown' };
  return parse(tokens);
}

/** Split an expression at blanks outside quotes and parentheses. */
function tokenize(expr: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (quote) {
      cur += ch;
      if (ch === '\\' && quote === '"') cur += expr[++i] ?? '';
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (/\s/.test(ch) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** The `include "name" ARG` and `template "name" ARG` calls of an action, with what they pass. */
export function callsOf(body: string, scope: Pick<Scope, 'dot' | 'vars'>): Call[] {
  const calls: Call[] = [];
  const re = /\b(?:include|template)\s+"([^"]+)"\s*/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    let arg = tokenize(body.slice(m.index + m[0].length))[0] ?? '';
    while (arg.endsWith(')') && !balanced(arg)) arg = arg.slice(0, -1);
    calls.push({ name: m[1], arg: bindingOf(arg, scope) });
  }
  return calls;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const ch of s) d += ch === '(' ? 1 : ch === ')' ? -1 : 0;
  return d === 0;
}

function bindingOf(arg: string, scope: Pick<Scope, 'dot' | 'vars'>): Binding {
  const t = arg.trim();
  if (t === '$') {
    const own = scope.vars.get('$');
    return own ? { kind: 'ref', ref: own } : { kind: 'root' };
  }
  if (t === '.' && scope.dot === null) return { kind: 'root' };
  if (t.startsWith('(') && t.endsWith(')')) {
    const inner = tokenize(t.slice(1, -1).trim());
    if (inner[0] === 'dict') {
      const entries: Record<string, Binding> = {};
      for (let i = 1; i + 1 < inner.length; i += 2) {
        const key = /^"([^"]*)"$/.exec(inner[i])?.[1];
        if (key !== undefined) entries[key] = bindingOf(inner[i + 1], scope);
      }
      return { kind: 'dict', entries };
    }
    if (inner.length === 1) return bindingOf(inner[0], scope);
    return { kind: 'unknown' };
  }
  if (t === '.Chart' || t === '$.Chart') return { kind: 'ref', ref: { source: 'chart', path: [] } };
  if (/^(\$\w*|)(\.[\w-]+)*$|^\.$/.test(t)) {
    const r = refsOf(t, scope);
    if (r.length === 1) return { kind: 'ref', ref: r[0] };
  }
  return { kind: 'unknown' };
}

/** The line's text outside actions (what it prints besides its actions). */
function literalText(line: string, lineStart: number, actions: Action[]): string {
  let out = '';
  let pos = lineStart;
  const end = lineStart + line.length;
  for (const act of actions) {
    if (act.start > pos) out += line.slice(pos - lineStart, Math.min(act.start, end) - lineStart);
    pos = Math.max(pos, act.end);
  }
  if (pos < end) out += line.slice(pos - lineStart);
  return out;
}

/**
 * What a template line prints: its literal text with each action a wildcard. Matched without a
 * regular expression (a line of twenty actions would make one backtrack for minutes): the
 * literal pieces are found left to right, the first at the start (indentation exact) and the last
 * at the end.
 */
export class LinePattern {
  /** Literal pieces; between each two, a wildcard. One piece: the whole line, exactly. */
  readonly parts: readonly string[];

  constructor(parts: readonly string[]) {
    this.parts = parts;
  }

  test(rendered: string): boolean {
    const line = rendered.trimEnd();
    const p = this.parts;
    if (p.length === 1) return line === p[0];
    if (!line.startsWith(p[0])) return false;
    let pos = p[0].length;
    for (let k = 1; k < p.length - 1; k++) {
      if (!p[k]) continue;
      const at = line.indexOf(p[k], pos);
      if (at < 0) return false;
      pos = at + p[k].length;
    }
    const last = p[p.length - 1];
    return line.length - last.length >= pos && line.endsWith(last);
  }
}

function linePattern(line: string, lineStart: number, actions: Action[]): LinePattern {
  const parts: string[] = [''];
  let pos = lineStart;
  const end = lineStart + line.length;
  let trimNext = false;
  for (const act of actions) {
    if (act.start > pos) {
      let text = line.slice(pos - lineStart, Math.min(act.start, end) - lineStart);
      // `key: {{- include ...}}` prints `key:` with no blank: blanks next to a wildcard are its own.
      if (trimNext) text = text.replace(/^\s+/, '');
      // Blanks just before an action are optional: `{{-` removes them, and an action that prints
      // nothing (or starts with a newline: `key: {{ toYaml . | nindent 4 }}`) leaves them at the end
      // of a line, where rendered lines are trimmed. Indentation alone stays exact.
      if (act.trimLeft || (/\S/.test(text) && /\s$/.test(text))) text = text.replace(/\s+$/, '');
      parts[parts.length - 1] += text;
    }
    // Actions side by side are one wildcard.
    if (parts[parts.length - 1] !== '' || parts.length === 1) parts.push('');
    trimNext = act.trimRight;
    pos = Math.max(pos, act.end);
  }
  if (pos < end)
    parts[parts.length - 1] += trimNext
      ? line.slice(pos - lineStart).replace(/^\s+/, '')
      : line.slice(pos - lineStart);
  // A trailing action may print nothing (or only blanks): trailing blanks never count.
  parts[parts.length - 1] = parts[parts.length - 1].trimEnd();
  return new LinePattern(parts);
}

function weightOf(literal: string): number {
  return literal.replace(/\s/g, '').length;
}

function indentOf(body: string, line: string): number {
  const n = /\b(?:nindent|indent)\s+(\d+)/.exec(body);
  if (n) return Number(n[1]);
  return line.match(/^\s*/)![0].length;
}

/** The values and chart fields an action reads, resolved against the scope. */
export function refsOf(body: string, scope: Pick<Scope, 'dot' | 'vars' | 'opaque'>): ValueRef[] {
  const refs: ValueRef[] = [];
  const at = (base: ValueRef, fields: string[]): ValueRef => {
    const ref: ValueRef = { source: base.source, path: [...base.path, ...fields] };
    if (base.alts?.length)
      ref.alts = base.alts.map((a) => ({ source: a.source, path: [...a.path, ...fields] }));
    return ref;
  };
  // `$var.field`, `$var`, `.field.sub`, or a bare `.`.
  const chain = /(\$\w*)((?:\.[A-Za-z_][\w-]*)*)|((?:\.[A-Za-z_][\w-]*)+)|(?<![\w)\].$])\.(?![\w.])/g;
  for (const m of body.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(chain)) {
    const variable = m[1];
    const fields = (variable !== undefined ? m[2] : (m[3] ?? '')).split('.').filter(Boolean);
    if (m[0] === '.') {
      if (scope.dot) refs.push(at(scope.dot, []));
      continue;
    }
    if (scope.opaque && !variable && !ROOT_OBJECTS.has(fields[0])) continue;
    if (variable === '$' || (!variable && scope.dot === null) || (!variable && ROOT_OBJECTS.has(fields[0]))) {
      if (fields[0] === 'Values' && fields.length > 1) refs.push({ source: 'values', path: fields.slice(1) });
      else if (fields[0] === 'Chart' && fields.length > 1) {
        refs.push({ source: 'chart', path: [fields[1][0].toLowerCase() + fields[1].slice(1)] });
      }
    } else if (variable) {
      const base = scope.vars.get(variable);
      if (base) refs.push(at(base, fields));
    } else if (scope.dot) {
      refs.push(at(scope.dot, fields));
    }
  }
  return refs;
}

/**
 * A field of a define's argument in the caller's terms: `.imageRoot.tag` given `(dict "imageRoot"
 * .Values.image)` is `.Values.image.tag`; given the root context, `.Values.x` stays itself.
 * Undefined when the argument does not say (a computed value).
 */
export function bindRef(ref: ValueRef, arg: Binding): ValueRef | undefined {
  const alts = (r: ValueRef): ValueRef | undefined => {
    if (!ref.alts?.length) return r;
    const bound = ref.alts.flatMap((a) => {
      const b = bindRef({ source: a.source, path: a.path }, arg);
      return b ? [b] : [];
    });
    return bound.length ? { ...r, alts: bound } : r;
  };
  if (ref.source !== 'arg') return ref;
  const [head, ...rest] = ref.path;
  switch (arg.kind) {
    case 'root':
      if (head === 'Values' && rest.length > 0) return alts({ source: 'values', path: rest });
      if (head === 'Chart' && typeof rest[0] === 'string' && rest[0])
        return alts({ source: 'chart', path: [rest[0][0].toLowerCase() + rest[0].slice(1)] });
      return undefined;
    case 'ref':
      if (arg.ref.source === 'chart') {
        const field = arg.ref.path[0] ?? head;
        return typeof field === 'string' && field
          ? alts({ source: 'chart', path: [field[0].toLowerCase() + field.slice(1)] })
          : undefined;
      }
      return alts({ source: arg.ref.source, path: [...arg.ref.path, ...ref.path] });
    case 'dict': {
      const entry = head === undefined ? undefined : arg.entries[head];
      return entry ? bindRef({ source: 'arg', path: rest }, entry) : undefined;
    }
    default:
      return undefined;
  }
}

/** A binding written inside a define, in the terms of that define's own caller. */
export function bindBinding(inner: Binding, outer: Binding): Binding {
  switch (inner.kind) {
    case 'ref': {
      if (inner.ref.source !== 'arg') return inner;
      if (inner.ref.path.length === 0) return outer;
      const r = bindRef(inner.ref, outer);
      return r ? { kind: 'ref', ref: r } : { kind: 'unknown' };
    }
    case 'dict':
      return {
        kind: 'dict',
        entries: Object.fromEntries(
          Object.entries(inner.entries).map(([k, b]) => [k, bindBinding(b, outer)]),
        ),
      };
    default:
      return inner;
  }
}

/** A condition in the caller's terms (fields it cannot resolve become unknown). */
export function bindCond(cond: Cond, arg: Binding): Cond {
  switch (cond.op) {
    case 'truthy': {
      const r = bindRef(cond.ref, arg);
      return r ? { op: 'truthy', ref: r } : { op: 'unknown' };
    }
    case 'not':
      return { op: 'not', of: bindCond(cond.of, arg) };
    case 'and':
    case 'or':
      return { op: cond.op, of: cond.of.map((c) => bindCond(c, arg)) };
    default:
      return cond;
  }
}
