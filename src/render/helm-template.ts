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
  /** `values`: a key of .Values; `chart`: a key of Chart.yaml (`.Chart.AppVersion` -> appVersion). */
  source: 'values' | 'chart';
  path: ValuesPath;
}

export interface TemplateNode {
  type: 'lit' | 'block' | 'control';
  /** 0-based line in the file. */
  line: number;
  /** 1-based column of the first non-blank character (after a list dash). */
  column: number;
  /** For `lit`: matches the rendered line (trailing blanks trimmed). */
  pattern?: RegExp;
  /** For `lit`: how specific the pattern is (literal characters), to prefer exact matches. */
  weight?: number;
  /** For `block`: the least indentation of the lines it prints. */
  indent?: number;
  /** For `block` printing a `define`: its name (and the aligner recurses into it). */
  include?: string;
  /**
   * For `block` printing a `define` given one values subtree (`include "common.render" (dict
   * "value" .Values.labels ...)`): that path, used when the define prints it verbatim.
   */
  includeOf?: ValueRef;
  /** For `block` printing `toYaml` of a values subtree: that path. */
  yamlOf?: ValueRef;
  /** Values and chart fields the line's actions read, in order of appearance. */
  refs: ValueRef[];
  /** Ids of the ranges enclosing this node, outermost first. */
  ranges: number[];
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
  /** What `.` means inside: null = the root context, a path = a values subtree. */
  dot: ValuesPath | null;
  vars: Map<string, ValuesPath>;
  rangeId?: number;
  startNode?: number;
  define?: string;
  defineLine?: number;
}

/** Parse one template file into nodes (and the defines it holds). */
export function parseTemplate(
  file: string,
  text: string,
  lineOffset = 0,
): { template: ParsedTemplate; defines: Define[] } {
  const actions = scanActions(text);
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);
  const lines = text.split('\n');
  const nodes: TemplateNode[] = [];
  const loops: ParsedTemplate['loops'] = [];
  const defines: Define[] = [];
  const stack: Scope[] = [{ kind: 'other', dot: null, vars: new Map() }];
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
    const scope = stack[stack.length - 1];
    const ranges = stack.filter((s) => s.rangeId !== undefined).map((s) => s.rangeId!);
    const refs: ValueRef[] = [];
    for (const act of here) refs.push(...refsOf(act.body, scope));
    const indentText = lines[ln].match(/^\s*(- )?/)![0];
    const column = indentText.length + 1;
    const base = { line: ln + lineOffset, column, refs, ranges };

    if (startsInside && here.length === 1 && here[0].end > lineEnd) {
      nodes.push({ ...base, type: 'control' });
      continue;
    }
    const outputs = here.filter((act) => act.start >= lineStart && !CONTROL.test(act.body));
    if (literal.trim()) {
      nodes.push({
        ...base,
        type: 'lit',
        pattern: linePattern(lines[ln], lineStart, here),
        weight: weightOf(literal),
      });
    }
    // After literal text only multi-line output makes a block (`resources: {{ toYaml . | nindent 4 }}`);
    // an inline `{{ include "x.fullname" . }}` prints one word on the same line.
    const blocky = outputs.find((act) => (literal.trim() ? MULTILINE : BLOCKY).test(act.body));
    if (blocky || (!literal.trim() && outputs.length > 0)) {
      const act = blocky ?? outputs[0];
      const node: TemplateNode = { ...base, type: 'block', indent: indentOf(act.body, lines[ln]) };
      const inc = /\b(?:include|template)\s+"([^"]+)"/.exec(act.body);
      if (inc) {
        node.include = inc[1];
        const args = refsOf(act.body.slice(inc.index + inc[0].length), scope).filter(
          (r) => r.source === 'values',
        );
        if (args.length === 1) node.includeOf = args[0];
      }
      const yamlOf =
        /\btoYaml\s+\(?\s*(\$?[\w.]*)/.exec(act.body) ?? /^(\$?[\w.]+)\s*\|\s*toYaml\b/.exec(act.body);
      if (yamlOf) {
        const r = refsOf(yamlOf[1], scope).find((x) => x.source === 'values');
        if (r) node.yamlOf = r;
      }
      nodes.push(node);
    }
    if (!literal.trim() && outputs.length === 0) nodes.push({ ...base, type: 'control' });

    // Apply the line's control actions to the scope stack, in order.
    for (const act of here) {
      if (act.start < lineStart) continue;
      const word = /^(\w+)/.exec(act.body)?.[1];
      const top = stack[stack.length - 1];
      if (word === 'if') stack.push({ kind: 'if', dot: top.dot, vars: top.vars });
      else if (word === 'with') {
        const r = refsOf(act.body.slice(4), top).find((x) => x.source === 'values');
        stack.push({ kind: 'with', dot: r ? r.path : top.dot, vars: top.vars });
      } else if (word === 'range') {
        const id = nextRange++;
        const m = /^range\s+(?:(\$\w+)\s*,\s*)?(\$\w+)\s*:=\s*(.*)$/.exec(act.body);
        const expr = m ? m[3] : act.body.slice(6);
        const r = refsOf(expr, top).find((x) => x.source === 'values');
        const item = r ? [...r.path, '[]'] : null;
        const vars = new Map(top.vars);
        if (m && item) vars.set(m[2], item);
        stack.push({
          kind: 'range',
          dot: m ? top.dot : item,
          vars,
          rangeId: id,
          startNode: nodes.length,
        });
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

function linePattern(line: string, lineStart: number, actions: Action[]): RegExp {
  let re = '';
  let pos = lineStart;
  const end = lineStart + line.length;
  let trimNext = false;
  for (const act of actions) {
    if (act.start > pos) {
      let text = line.slice(pos - lineStart, Math.min(act.start, end) - lineStart);
      // `key: {{- include ...}}` prints `key:` with no blank: trimmed blanks become optional.
      if (trimNext) text = text.replace(/^\s+/, '');
      if (act.trimLeft) text = text.replace(/\s+$/, '');
      re += escapeRegExp(text) + (act.trimLeft ? '\\s*' : '');
    }
    re += '.*?';
    trimNext = act.trimRight;
    pos = Math.max(pos, act.end);
  }
  if (pos < end)
    re += escapeRegExp(
      trimNext ? line.slice(pos - lineStart).replace(/^\s+/, '') : line.slice(pos - lineStart),
    );
  re = re.replace(/(\\s\*|\s)+$/, '');
  // A trailing action may print nothing (or only blanks); the line's indentation stays exact.
  return new RegExp(`^${re}\\s*$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
export function refsOf(body: string, scope: Pick<Scope, 'dot' | 'vars'>): ValueRef[] {
  const refs: ValueRef[] = [];
  // `$var.field`, `$var`, `.field.sub`, or a bare `.`.
  const chain = /(\$\w*)((?:\.[A-Za-z_][\w-]*)*)|((?:\.[A-Za-z_][\w-]*)+)|(?<![\w)\].$])\.(?![\w.])/g;
  for (const m of body.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(chain)) {
    const variable = m[1];
    const fields = (variable !== undefined ? m[2] : (m[3] ?? '')).split('.').filter(Boolean);
    if (m[0] === '.') {
      if (scope.dot) refs.push({ source: 'values', path: scope.dot });
      continue;
    }
    if (variable === '$' || (!variable && scope.dot === null) || (!variable && ROOT_OBJECTS.has(fields[0]))) {
      if (fields[0] === 'Values' && fields.length > 1) refs.push({ source: 'values', path: fields.slice(1) });
      else if (fields[0] === 'Chart' && fields.length > 1) {
        refs.push({ source: 'chart', path: [fields[1][0].toLowerCase() + fields[1].slice(1)] });
      }
    } else if (variable) {
      const base = scope.vars.get(variable);
      if (base) refs.push({ source: 'values', path: [...base, ...fields] });
    } else if (scope.dot) {
      refs.push({ source: 'values', path: [...scope.dot, ...fields] });
    }
  }
  return refs;
}
