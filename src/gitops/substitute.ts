import { stringify } from 'yaml';
import { type Manifest, parseManifests } from '../load/yaml.js';
import {
  type InputError,
  isRecord,
  type KubeObject,
  type PathSegment,
  type SourceLocation,
} from '../model/types.js';
import type { RenderResult } from '../render/types.js';

/**
 * Flux's post-build variable substitution (`spec.postBuild.substitute` and `substituteFrom`),
 * as kustomize-controller does it: each built object as YAML, bash-style variables replaced
 * (`${var}`, `${var:=default}`, `${var:-default}`, `$var`; `$$` for a literal dollar; a variable
 * nobody defines becomes empty), then read back as YAML. Objects labelled or annotated
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone, and nothing is substituted
 * when no variable is defined at all. A field whose value a variable made points at the line
 * that defines the variable. Pure.
 */

export interface Variable {
  value: string;
  /** Where it is defined: the `substitute:` key, or the ConfigMap's or Secret's data key. */
  at: SourceLocation;
}

export const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';
export const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export interface Substituted {
  text: string;
  /**
   * Variables referred to, in order; `defined` when the run knows their value, `fallback` when
   * the reference says what to use without one (`${var:=default}`).
   */
  refs: { name: string; defined: boolean; fallback?: true }[];
}

/** Replace the variables in `text`. */
export function envsubst(text: string, lookup: (name: string) => string | undefined): Substituted {
  const refs: Substituted['refs'] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const close = text.indexOf('}', dollar + 2);
      const body = close < 0 ? undefined : text.slice(dollar + 2, close);
      const m = body === undefined ? null : /^(#?)([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-=+])(.*))?$/s.exec(body);
      if (!m) {
        out += '$';
        i = dollar + 1;
        continue;
      }
      const [, length, name, op, operand] = m;
      const value = lookup(name);
      refs.push({ name, defined: value !== undefined, ...(op ? { fallback: true as const } : {}) });
      let result: string;
      if (op === ':-' || op === ':=') result = value === undefined || value === '' ? (operand ?? '') : value;
      else if (op === '-' || op === '=') result = value === undefined ? (operand ?? '') : value;
      else if (op === ':+') result = value === undefined || value === '' ? '' : (operand ?? '');
      else if (op === '+') result = value === undefined ? '' : (operand ?? '');
      else result = value ?? '';
      out += length ? String(result.length) : result;
      i = (close as number) + 1;
      continue;
    }
    const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(text.slice(dollar + 1));
    if (!m) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const value = lookup(m[0]);
    refs.push({ name: m[0], defined: value !== undefined });
    out += value ?? '';
    i = dollar + 1 + m[0].length;
  }
  return { text: out, refs };
}

type Result = Omit<RenderResult, 'millis' | 'tool'>;

export interface SubstituteOptions {
  /** Where the Kustomization's `postBuild` is, for notes about it. */
  at: SourceLocation;
  /** How reports name the Kustomization. */
  name: string;
  /**
   * Whether the field's value is written quoted where it is edited (then a substituted `"${port}"`
   * stays a string, as kustomize keeps the quotes); undefined when unknown (then typed as YAML).
   */
  quoted?: (manifest: Manifest, segments: readonly PathSegment[]) => boolean | undefined;
}

/**
 * Substitute the variables in every object of a render, string by string (Flux substitutes the
 * object's YAML text; a value quoted in the source stays a string, an unquoted one is read as
 * YAML again, so `replicas: ${replicas}` becomes a number). Objects that no variable touches
 * keep their manifest; the others are read back, and their source map puts a substituted field
 * on its variable's line.
 */
export function substituteResult(
  result: Result,
  vars: ReadonlyMap<string, Variable>,
  options: SubstituteOptions,
): Result {
  if (vars.size === 0) return result;
  const lookup = (name: string) => vars.get(name)?.value;
  const notes: InputError[] = [];
  const undefinedNames = new Set<string>();
  const made: { object: KubeObject; fields: Map<string, string[]> | undefined }[] = [];
  for (const m of result.manifests) {
    const o = m.object;
    if (disabled(o) || !JSON.stringify(o).includes('$')) {
      made.push({ object: o, fields: undefined });
      continue;
    }
    const fields = new Map<string, string[]>();
    const walk = (v: unknown, at: PathSegment[]): unknown => {
      if (typeof v === 'string') {
        if (!v.includes('$')) return v;
        const sub = envsubst(v, lookup);
        for (const r of sub.refs) if (!r.defined && !r.fallback) undefinedNames.add(r.name);
        if (sub.text === v) return v;
        fields.set(
          JSON.stringify(at),
          sub.refs.filter((r) => r.defined).map((r) => r.name),
        );
        return options.quoted?.(m, at) ? sub.text : typed(sub.text);
      }
      if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, i]));
      if (isRecord(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          const key = k.includes('$') ? envsubst(k, lookup).text : k;
          out[key] = walk(x, [...at, k]);
        }
        return out;
      }
      return v;
    };
    const next = walk(o, []) as KubeObject;
    made.push(fields.size > 0 ? { object: next, fields } : { object: o, fields: undefined });
  }
  if (undefinedNames.size > 0) {
    notes.push({
      level: 'note',
      message: `${options.name}: ${[...undefinedNames]
        .sort()
        .map((n) => `\${${n}}`)
        .join(
          ', ',
        )} ${undefinedNames.size === 1 ? 'is' : 'are'} not defined in the repository (substituted as empty)`,
      location: options.at,
    });
  }
  if (!made.some((x) => x.fields)) {
    return notes.length > 0 ? { ...result, errors: [...result.errors, ...notes] } : result;
  }
  const rendered = made.map((x) => stringify(x.object, { lineWidth: 0 })).join('---\n');
  const name = result.manifests[0]?.file ?? 'rendered';
  const reparsed = parseManifests(rendered, name);
  const manifests: Manifest[] = reparsed.manifests.map((m, k) => {
    const before = result.manifests[k];
    const fields = made[k]?.fields;
    if (!before) return m;
    const original = before.locateSource ?? before.locate;
    m.locateSource = fields
      ? (segments) => variableAt(fields, segments, vars) ?? original(segments)
      : original;
    return m;
  });
  return { ...result, manifests, rendered, errors: [...result.errors, ...reparsed.errors, ...notes] };
}

/** An unquoted value read again as YAML: numbers, booleans and null typed; anything else a string. */
function typed(text: string): unknown {
  try {
    const v = parseManifests(`apiVersion: v1\nkind: T\nmetadata: {}\nv: ${text}\n`, '').manifests[0]?.object
      .v;
    return v === null || typeof v === 'number' || typeof v === 'boolean' ? v : text;
  } catch {
    return text;
  }
}

/**
 * The definition of the variable that made the field (or the string it sits in): of its
 * variables, the last one defined (the one that shows last in the value).
 */
function variableAt(
  fields: ReadonlyMap<string, string[]>,
  segments: readonly PathSegment[],
  vars: ReadonlyMap<string, Variable>,
): SourceLocation | undefined {
  for (let k = segments.length; k >= 0; k--) {
    const names = fields.get(JSON.stringify(segments.slice(0, k)));
    if (names) return names.length > 0 ? vars.get(names[names.length - 1])?.at : undefined;
  }
  return undefined;
}

function disabled(o: KubeObject): boolean {
  const meta = o.metadata;
  const label = isRecord(meta?.labels) ? meta.labels[SUBSTITUTE_ANNOTATION] : undefined;
  const annotation = isRecord(meta?.annotations) ? meta.annotations[SUBSTITUTE_ANNOTATION] : undefined;
  return label === 'disabled' || annotation === 'disabled';
}
