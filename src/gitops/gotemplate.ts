/**
 * The part of Go's text/template that ApplicationSet templates use in practice (`goTemplate:
 * true`): field paths (`{{ .path.basename }}`), `index`, string literals, and pipelines through
 * a few Sprig functions (`default`, `lower`, `upper`, `trim`, `trunc`, `replace`, `quote`,
 * `printf`, `trimPrefix`, `trimSuffix`, `toString`, `title`). Anything else (`if`, `range`,
 * variables) is reported, never guessed. Pure.
 */

export type TemplateResult = { value: string } | { error: string };

export function executeGoTemplate(text: string, data: Record<string, unknown>): TemplateResult {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      out += text.slice(i);
      break;
    }
    let literal = text.slice(i, open);
    let start = open + 2;
    if (text[start] === '-' && /\s/.test(text[start + 1] ?? '')) {
      literal = literal.replace(/\s+$/, '');
      start += 1;
    }
    out += literal;
    const close = text.indexOf('}}', start);
    if (close < 0) return { error: `unclosed action in "${text}"` };
    let body = text.slice(start, close);
    let next = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      while (next < text.length && /\s/.test(text[next])) next++;
    }
    const value = evaluatePipeline(body.trim(), data);
    if ('error' in value) return value;
    out += value.value === undefined || value.value === null ? '<no value>' : stringOf(value.value);
    i = next;
  }
  return { value: out };
}

type Eval = { value: unknown } | { error: string };

function evaluatePipeline(body: string, data: Record<string, unknown>): Eval {
  if (/^(if|else|end|range|with|define|template|block)\b/.test(body) || body.startsWith('/*')) {
    return { error: `"{{ ${body} }}" (control structures are not expanded)` };
  }
  if (/^\$/.test(body)) return { error: `"{{ ${body} }}" (template variables are not expanded)` };
  const stages = splitPipes(body);
  let carried: { value: unknown } | undefined;
  for (const stage of stages) {
    const words = tokenize(stage);
    if ('error' in words) return words;
    if (words.length === 0) return { error: `empty command in "{{ ${body} }}"` };
    const [head, ...rest] = words;
    const args: Eval[] = rest.map((w) => operand(w, data));
    for (const a of args) if ('error' in a) return a;
    const values = args.map((a) => (a as { value: unknown }).value);
    if (carried) values.push(carried.value);
    if (head.kind === 'word' && FUNCTIONS[head.text]) {
      const r = FUNCTIONS[head.text](values);
      if ('error' in r) return { error: `${r.error} in "{{ ${body} }}"` };
      carried = r;
    } else {
      if (values.length > 0)
        return { error: `"{{ ${body} }}" (${head.text} is not a function this supports)` };
      const r = operand(head, data);
      if ('error' in r) return r;
      carried = r;
    }
  }
  return carried ?? { value: '' };
}

function splitPipes(body: string): string[] {
  const out: string[] = [];
  let quote: string | undefined;
  let current = '';
  for (const ch of body) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === '`') {
      quote = ch;
      current += ch;
    } else if (ch === '|') {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out;
}

interface Token {
  kind: 'word' | 'string' | 'number';
  text: string;
}

function tokenize(stage: string): Token[] | { error: string } {
  const out: Token[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|(-?\d+(?:\.\d+)?)(?![\w.])|([^\s"`]+))/y;
  re.lastIndex = 0;
  while (re.lastIndex < stage.length) {
    const m = re.exec(stage);
    if (!m) break;
    if (m[1] !== undefined) out.push({ kind: 'string', text: JSON.parse(`"${m[1]}"`) as string });
    else if (m[2] !== undefined) out.push({ kind: 'string', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'number', text: m[3] });
    else if (m[4] !== undefined) {
      if (m[4].startsWith('(')) return { error: `"${stage}" (parenthesised pipelines are not expanded)` };
      out.push({ kind: 'word', text: m[4] });
    }
    if (stage.slice(re.lastIndex).trim() === '') break;
  }
  return out;
}

function operand(t: Token, data: Record<string, unknown>): Eval {
  if (t.kind === 'string') return { value: t.text };
  if (t.kind === 'number') return { value: Number(t.text) };
  if (t.text === '.') return { value: data };
  if (t.text.startsWith('.')) {
    let node: unknown = data;
    for (const part of t.text.slice(1).split('.')) {
      if (node === null || typeof node !== 'object') return { value: undefined };
      node = (node as Record<string, unknown>)[part];
    }
    return { value: node };
  }
  if (t.text === 'true' || t.text === 'false') return { value: t.text === 'true' };
  if (t.text === 'nil') return { value: null };
  return { error: `"${t.text}" is not a field or a function this supports` };
}

function stringOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(stringOf).join(' ')}]`;
  if (v && typeof v === 'object')
    return `map[${Object.entries(v)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${k}:${stringOf(x)}`)
      .join(' ')}]`;
  return '<no value>';
}

const empty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  v === false ||
  v === 0 ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

type Fn = (args: unknown[]) => Eval;

const oneString =
  (f: (s: string) => string): Fn =>
  (args) =>
    args.length === 1 ? { value: f(stringOf(args[0])) } : { error: 'wrong number of arguments' };

const FUNCTIONS: Record<string, Fn> = {
  default: (args) =>
    args.length === 2
      ? { value: empty(args[1]) ? args[0] : args[1] }
      : { error: 'default takes 2 arguments' },
  lower: oneString((s) => s.toLowerCase()),
  upper: oneString((s) => s.toUpperCase()),
  trim: oneString((s) => s.trim()),
  title: oneString((s) => s.replace(/\b\w/g, (c) => c.toUpperCase())),
  toString: oneString((s) => s),
  quote: (args) => ({ value: args.map((a) => JSON.stringify(stringOf(a))).join(' ') }),
  squote: (args) => ({ value: args.map((a) => `'${stringOf(a)}'`).join(' ') }),
  trunc: (args) => {
    if (args.length !== 2 || typeof args[0] !== 'number')
      return { error: 'trunc takes a length and a string' };
    const s = stringOf(args[1]);
    const n = args[0];
    return { value: n >= 0 ? s.slice(0, n) : s.slice(Math.max(0, s.length + n)) };
  },
  replace: (args) =>
    args.length === 3
      ? { value: stringOf(args[2]).split(stringOf(args[0])).join(stringOf(args[1])) }
      : { error: 'replace takes 3 arguments' },
  trimPrefix: (args) => {
    if (args.length !== 2) return { error: 'trimPrefix takes 2 arguments' };
    const [p, s] = [stringOf(args[0]), stringOf(args[1])];
    return { value: s.startsWith(p) ? s.slice(p.length) : s };
  },
  trimSuffix: (args) => {
    if (args.length !== 2) return { error: 'trimSuffix takes 2 arguments' };
    const [p, s] = [stringOf(args[0]), stringOf(args[1])];
    return { value: p && s.endsWith(p) ? s.slice(0, -p.length) : s };
  },
  index: (args) => {
    let node = args[0];
    for (const k of args.slice(1)) {
      if (Array.isArray(node) && typeof k === 'number') node = node[k];
      else if (node && typeof node === 'object') node = (node as Record<string, unknown>)[stringOf(k)];
      else return { value: undefined };
    }
    return { value: node };
  },
  printf: (args) => {
    if (args.length === 0) return { error: 'printf needs a format' };
    const [format, ...rest] = args;
    let k = 0;
    const value = stringOf(format).replace(/%([svdq%])/g, (_, verb: string) => {
      if (verb === '%') return '%';
      const a = rest[k++];
      return verb === 'q' ? JSON.stringify(stringOf(a)) : stringOf(a);
    });
    return { value };
  },
};

/**
 * Argo CD's default templates (fasttemplate): `{{ name }}` is the parameter `name` when the
 * generator gave one, and left as written otherwise.
 */
export function executeFastTemplate(text: string, params: Record<string, string>): string {
  return text.replace(/\{\{([^{}]*)\}\}/g, (whole, tag: string) => {
    const key = tag.trim();
    return Object.hasOwn(params, key) ? params[key] : whole;
  });
}
