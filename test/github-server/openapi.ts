import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * GitHub's published OpenAPI description (the @octokit/openapi package), turned into a router
 * and a validator: every request the Action makes must name a real operation, with parameters
 * and a JSON body that the operation's schema accepts.
 */

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  parameters: Parameter[];
  /** The JSON body schema, when the operation takes one. */
  bodySchema?: Json;
  bodyRequired: boolean;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

export interface Validated {
  path: Record<string, string | number>;
  query: Record<string, string | number | boolean>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;

interface Route {
  operation: Operation;
  regex: RegExp;
  names: string[];
  literals: number;
}

export class OpenApi {
  private readonly routes: Route[] = [];
  private readonly ajv: Ajv;
  private readonly bodyValidators = new Map<string, ValidateFunction>();
  private readonly paramValidators = new Map<string, ValidateFunction>();

  constructor() {
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      paths: Record<string, Record<string, Json>>;
      components: Json & { parameters: Record<string, Parameter> };
    };
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    // Schemas refer to `#/components/...`; register the components once under `gh`.
    this.ajv.addSchema({ components: typelessNullable(doc.components) }, 'gh');
    for (const [template, item] of Object.entries(doc.paths)) {
      const shared = (item.parameters as unknown as Parameter[] | undefined) ?? [];
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        const parameters = [...shared, ...((op.parameters as Parameter[] | undefined) ?? [])].map((p) =>
          resolveParameter(p, doc.components.parameters),
        );
        const body = op.requestBody as
          | { required?: boolean; content?: Record<string, { schema?: Json }> }
          | undefined;
        const operation: Operation = {
          operationId: String(op.operationId),
          method: method.toUpperCase(),
          template,
          parameters,
          bodySchema: body?.content?.['application/json']?.schema,
          bodyRequired: Boolean(body?.required),
        };
        const names: string[] = [];
        const pattern = template
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{([^}]+)\}/g, (_, n: string) => {
            names.push(n);
            return '([^/]+)';
          });
        const literals = template.split('/').filter((s) => s && !s.startsWith('{')).length;
        this.routes.push({ operation, regex: new RegExp(`^${pattern}$`), names, literals });
      }
    }
    // Prefer the most specific template: `/pulls/comments/{id}` over `/pulls/{pull_number}/...`.
    this.routes.sort((a, b) => b.literals - a.literals);
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.operation.method !== method) continue;
      const m = route.regex.exec(pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1]);
      });
      return { operation: route.operation, params };
    }
    return undefined;
  }

  /** Check parameters and body; returns the problems found (empty when the request is valid). */
  validate(
    match: RouteMatch,
    query: URLSearchParams,
    body: unknown,
    hasBody: boolean,
  ): { problems: string[]; values: Validated } {
    const { operation } = match;
    const problems: string[] = [];
    const values: Validated = { path: {}, query: {} };
    for (const p of operation.parameters.filter((p) => p.in === 'path')) {
      const raw = match.params[p.name];
      const v = this.checkParam(operation, p, raw, problems);
      if (v !== undefined) values.path[p.name] = v as string | number;
    }
    const declared = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const key of new Set(query.keys())) {
      if (!declared.has(key))
        problems.push(`query parameter "${key}" is not part of ${operation.operationId}`);
    }
    for (const p of operation.parameters.filter((p) => p.in === 'query')) {
      const raw = query.get(p.name);
      if (raw === null) {
        if (p.required) problems.push(`query parameter "${p.name}" is required`);
        continue;
      }
      const v = this.checkParam(operation, p, raw, problems);
      if (v !== undefined) values.query[p.name] = v as string | number | boolean;
    }
    if (operation.bodySchema) {
      if (!hasBody) {
        if (operation.bodyRequired) problems.push('a JSON body is required');
      } else {
        const validate = this.bodyValidator(operation);
        if (!validate(body)) {
          for (const e of validate.errors ?? []) problems.push(`body${e.instancePath} ${e.message}`);
        }
      }
    } else if (hasBody && !(typeof body === 'object' && body && Object.keys(body).length === 0)) {
      problems.push(`${operation.operationId} takes no body`);
    }
    return { problems, values };
  }

  private checkParam(
    operation: Operation,
    p: Parameter,
    raw: string | undefined,
    problems: string[],
  ): unknown {
    if (raw === undefined) {
      problems.push(`path parameter "${p.name}" is missing`);
      return undefined;
    }
    const schema = p.schema ?? {};
    const value = coerce(raw, schema);
    const key = `${operation.operationId}:${p.in}:${p.name}`;
    let validate = this.paramValidators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema));
      this.paramValidators.set(key, validate);
    }
    if (!validate(value)) {
      problems.push(
        `${p.in} parameter "${p.name}"=${JSON.stringify(raw)}: ${this.ajv.errorsText(validate.errors)}`,
      );
    }
    return value;
  }

  private bodyValidator(operation: Operation): ValidateFunction {
    const key = `${operation.method} ${operation.template}`;
    let validate = this.bodyValidators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(operation.bodySchema ?? {}));
      this.bodyValidators.set(key, validate);
    }
    return validate;
  }
}

function resolveParameter(p: Parameter | { $ref: string }, components: Record<string, Parameter>): Parameter {
  if ('$ref' in p) {
    const name = p.$ref.replace('#/components/parameters/', '');
    const resolved = components[name];
    if (!resolved) throw new Error(`unresolved parameter ${p.$ref}`);
    return resolved;
  }
  return p;
}

function rewriteRefs(schema: Json): Json {
  return typelessNullable(
    JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"gh#/components/')),
  ) as Json;
}

/**
 * OpenAPI 3.0's `nullable: true` next to `oneOf`/`anyOf` but without `type` (issues/create's
 * `milestone`, say): Ajv refuses to compile it. Say the same thing in JSON Schema: null is one more
 * alternative.
 */
function typelessNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(typelessNullable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = typelessNullable(v);
  if (out.nullable === true && !('type' in out)) {
    delete out.nullable;
    for (const key of ['oneOf', 'anyOf']) {
      if (Array.isArray(out[key])) out[key] = [...(out[key] as unknown[]), { type: 'null' }];
    }
  }
  return out;
}

/** Query and path values arrive as strings; give them the type their schema declares. */
function coerce(raw: string, schema: Json): unknown {
  const type = schema.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (type === 'array') return raw.split(',');
  return raw;
}
