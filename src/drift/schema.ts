import { LIST_KEYS, listKeys } from '../model/path.js';
import { isRecord } from '../model/types.js';

/**
 * How each list of an object merges, the way server-side apply sees it: keyed by some of its
 * items' fields (`x-kubernetes-list-type: map` with `x-kubernetes-list-map-keys`), a set of
 * scalars, or atomic (compared whole, in order). The source of truth is the API server's
 * OpenAPI v3 (`/openapi/v3/<group version>`), for built-in kinds and CRDs alike, read once per
 * run; a built-in table stands in when the document cannot be read.
 *
 * Pure: the documents come in as values (src/kube reads them).
 */

export type ListType = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: readonly string[] };

/** One node of an object's type: what a field holds and how a list of it merges. */
export interface TypeNode {
  /** The type of a field of this map or struct. */
  field(name: string): TypeNode;
  /** The type of this list's items. */
  items(): TypeNode;
  /** How this list merges; atomic when the schema says nothing (as in server-side apply). */
  list(): ListType;
  /** The schema's default for this field (`protocol: TCP`), used for list keys an item leaves out. */
  defaultValue(): unknown;
}

/** Where the list semantics of a kind came from. */
export type SchemaSource = 'openapi-v3' | 'built-in';

export interface KindSchema {
  root: TypeNode;
  source: SchemaSource;
}

/** The list semantics of every kind in a run, and a word on where they came from. */
export interface Schemas {
  of(apiVersion: string, kind: string): KindSchema;
  /** `openapi-v3`, `built-in`, or `mixed`, with why the fallback was used, for the report. */
  summary(): SchemasSummary;
}

export interface SchemasSummary {
  source: SchemaSource | 'mixed';
  /** Why the built-in table was used, when it was. */
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI v3 documents

type Schema = Record<string, unknown>;

/** One group version's document (`/openapi/v3/apis/apps/v1`), or why it could not be read. */
export type OpenApiDocument = { doc: unknown } | { error: string };

/**
 * The list semantics of a run from the group versions' OpenAPI v3 documents. A group version
 * whose document could not be read, or a kind it does not describe, uses the built-in table.
 */
export function schemasFrom(documents: ReadonlyMap<string, OpenApiDocument>, note?: string): Schemas {
  const byGv = new Map<string, Map<string, Schema> | undefined>();
  const used = new Set<SchemaSource>();
  const fallbackWhy = new Set<string>();
  if (note) fallbackWhy.add(note);
  const kindsOf = (apiVersion: string) => {
    if (!byGv.has(apiVersion)) {
      const entry = documents.get(apiVersion);
      byGv.set(apiVersion, entry && 'doc' in entry ? indexKinds(entry.doc, apiVersion) : undefined);
      if (entry && 'error' in entry) fallbackWhy.add(`${apiVersion}: ${entry.error}`);
    }
    return byGv.get(apiVersion);
  };
  const cache = new Map<string, KindSchema>();
  return {
    of(apiVersion, kind) {
      const key = `${apiVersion}|${kind}`;
      let found = cache.get(key);
      if (!found) {
        const kinds = kindsOf(apiVersion);
        const schema = kinds?.get(kind);
        found = schema
          ? { root: new OpenApiNode(schema, componentsOf(documents.get(apiVersion))), source: 'openapi-v3' }
          : { root: builtInRoot(kind), source: 'built-in' };
        if (kinds && !schema) fallbackWhy.add(`${apiVersion} ${kind}: not in the server's OpenAPI document`);
        cache.set(key, found);
      }
      used.add(found.source);
      return found;
    },
    summary() {
      const source = used.size === 0 ? 'openapi-v3' : used.size === 1 ? [...used][0] : 'mixed';
      return source === 'openapi-v3' || fallbackWhy.size === 0
        ? { source }
        : { source, note: [...fallbackWhy].join('; ') };
    },
  };
}

/** The built-in table for every kind: when the API server's documents are not to be had at all. */
export function builtInSchemas(note?: string): Schemas {
  return {
    of: (_apiVersion, kind) => ({ root: builtInRoot(kind), source: 'built-in' }),
    summary: () => (note ? { source: 'built-in', note } : { source: 'built-in' }),
  };
}

function componentsOf(entry: OpenApiDocument | undefined): Schema {
  if (!entry || !('doc' in entry) || !isRecord(entry.doc)) return {};
  const components = entry.doc.components;
  return isRecord(components) && isRecord(components.schemas) ? components.schemas : {};
}

/** The document's kinds of this group version, by `x-kubernetes-group-version-kind`. */
function indexKinds(doc: unknown, apiVersion: string): Map<string, Schema> | undefined {
  if (!isRecord(doc) || !isRecord(doc.components) || !isRecord(doc.components.schemas)) return undefined;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const out = new Map<string, Schema>();
  for (const schema of Object.values(doc.components.schemas)) {
    if (!isRecord(schema)) continue;
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks) {
      if (isRecord(gvk) && gvk.group === group && gvk.version === version && typeof gvk.kind === 'string')
        out.set(gvk.kind, schema);
    }
  }
  return out;
}

const REF_PREFIX = '#/components/schemas/';

/**
 * A schema node, resolved lazily: built-in schemas refer to each other (`allOf: [{$ref}]`) and
 * CRDs' can be deep, so children are resolved when a comparison steps into them, once.
 */
class OpenApiNode implements TypeNode {
  private readonly children = new Map<string, TypeNode>();
  private itemNode?: TypeNode;
  private readonly resolved: Schema;

  /** `schema` as written where it is used: its own extensions win over the referenced type's. */
  constructor(
    schema: Schema,
    private readonly components: Schema,
  ) {
    this.resolved = resolve(schema, components);
  }

  field(name: string): TypeNode {
    let child = this.children.get(name);
    if (!child) {
      const props = this.resolved.properties;
      const additional = this.resolved.additionalProperties;
      const sub =
        isRecord(props) && isRecord(props[name]) ? props[name] : isRecord(additional) ? additional : {};
      child = new OpenApiNode(sub, this.components);
      this.children.set(name, child);
    }
    return child;
  }

  items(): TypeNode {
    this.itemNode ??= new OpenApiNode(
      isRecord(this.resolved.items) ? this.resolved.items : {},
      this.components,
    );
    return this.itemNode;
  }

  list(): ListType {
    return listTypeOf(this.resolved);
  }

  defaultValue(): unknown {
    return this.resolved.default;
  }
}

/** Follow `$ref` and single `allOf` wrappers; the outer schema's own keys win. */
function resolve(schema: Schema, components: Schema, depth = 0): Schema {
  if (depth > 16) return schema;
  let inner: Schema | undefined;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith(REF_PREFIX)) {
    const target = components[schema.$ref.slice(REF_PREFIX.length)];
    if (isRecord(target)) inner = resolve(target, components, depth + 1);
  } else if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && isRecord(schema.allOf[0])) {
    inner = resolve(schema.allOf[0], components, depth + 1);
  }
  if (!inner) return schema;
  const out: Schema = { ...inner };
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' || k === 'allOf') continue;
    // An empty default ({} on every struct field) says nothing the type does not.
    if (k === 'default' && isRecord(v) && Object.keys(v).length === 0 && 'default' in inner) continue;
    out[k] = v;
  }
  return out;
}

/**
 * The list type exactly as server-side apply derives it (kube-openapi's schemaconv):
 * `x-kubernetes-list-type` first; else a `merge` patch strategy with a merge key is a map keyed
 * by it, without one a set; else atomic.
 */
function listTypeOf(schema: Schema): ListType {
  const type = schema['x-kubernetes-list-type'];
  if (type === 'atomic') return { type: 'atomic' };
  if (type === 'set') return { type: 'set' };
  if (type === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'];
    return Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string')
      ? { type: 'map', keys }
      : { type: 'atomic' };
  }
  const strategy = schema['x-kubernetes-patch-strategy'];
  if (typeof strategy === 'string' && strategy.split(',').includes('merge')) {
    const key = schema['x-kubernetes-patch-merge-key'];
    return typeof key === 'string' && key ? { type: 'map', keys: [key] } : { type: 'set' };
  }
  return { type: 'atomic' };
}

// ---------------------------------------------------------------------------------------------
// The built-in fallback: the lists of the built-in kinds that server-side apply keys, by where
// they sit. Everything else is atomic, as it is for server-side apply without a schema.

const MAP_BY_NAME: Record<string, readonly string[]> = {
  ...LIST_KEYS,
  resourceClaims: ['name'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  ownerReferences: ['uid'],
};

const SET_BY_NAME = new Set(['finalizers']);

/** Key fields whose absence means a default the API server fills in. */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The built-in table's type of a kind. */
export function builtInRoot(kind: string): TypeNode {
  return new BuiltInNode(kind, []);
}

class BuiltInNode implements TypeNode {
  constructor(
    private readonly kind: string,
    /** Field names from the root; `[]` for a list's items. */
    private readonly path: readonly string[],
  ) {}

  field(name: string): TypeNode {
    return new BuiltInNode(this.kind, [...this.path, name]);
  }

  items(): TypeNode {
    return new BuiltInNode(this.kind, [...this.path, '[]']);
  }

  list(): ListType {
    const name = this.path[this.path.length - 1] ?? '';
    const parent = this.path[this.path.length - 2];
    if (name === 'ports') {
      // A container's ports, and a Service's: the same number may serve TCP and UDP.
      if (parent === '[]' && /^(containers|initContainers|ephemeralContainers)$/.test(this.path.at(-3) ?? ''))
        return { type: 'map', keys: ['containerPort', 'protocol'] };
      if (this.kind === 'Service' && this.path.join('.') === 'spec.ports')
        return { type: 'map', keys: ['port', 'protocol'] };
      return { type: 'atomic' };
    }
    const keys = listKeys(MAP_BY_NAME, name);
    if (keys) return { type: 'map', keys };
    if (SET_BY_NAME.has(name)) return { type: 'set' };
    return { type: 'atomic' };
  }

  defaultValue(): unknown {
    const name = this.path[this.path.length - 1] ?? '';
    return Object.hasOwn(KEY_DEFAULTS, name) ? KEY_DEFAULTS[name] : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Keyed lists

/** An item's key in a map list, with schema defaults for key fields it leaves out; undefined if incomplete. */
export function itemKey(item: unknown, list: ListType, items: TypeNode): Record<string, unknown> | undefined {
  if (list.type !== 'map' || !isRecord(item)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of list.keys) {
    let v = item[k];
    if (v === undefined || v === null) v = items.field(k).defaultValue();
    if (v === undefined || v === null) {
      // server-side apply allows a missing key only when the schema has no default; keep it absent.
      continue;
    }
    if (typeof v === 'object') return undefined;
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A key as one comparable string: `8080|TCP`. Numbers and their strings are one key (int-or-string). */
export function keyString(key: Record<string, unknown>, list: ListType): string {
  const keys = list.type === 'map' ? list.keys : Object.keys(key);
  return keys.map((k) => (k in key ? String(key[k]) : '\u0000')).join('|');
}

/**
 * Index a list by key, or undefined when it cannot be keyed: an item without a key, or two items
 * with the same key (never key a list by a field that is not unique in it).
 */
export function indexByKey(
  list: readonly unknown[],
  type: ListType,
  items: TypeNode,
): Map<string, number> | undefined {
  if (type.type !== 'map') return undefined;
  const out = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const key = itemKey(list[i], type, items);
    if (!key) return undefined;
    const s = keyString(key, type);
    if (out.has(s)) return undefined;
    out.set(s, i);
  }
  return out;
}

/** How a keyed item shows in a field path: `[name=app]`, `[containerPort=53,protocol=UDP]`. */
export function keyLabel(key: Record<string, unknown>): string {
  return `[${Object.entries(key)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',')}]`;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * A concrete path (keys and indexes) of `root` in the display form people read: items of keyed
 * lists by their key (`containers[name=app]`, `ports[port=53,protocol=UDP]`), other items by index.
 */
export function displayPath(root: unknown, segments: readonly (string | number)[], type: TypeNode): string {
  let out = '';
  let node: unknown = root;
  let t = type;
  for (const seg of segments) {
    if (typeof seg === 'number') {
      const list = Array.isArray(node) ? node : [];
      const lt = t.list();
      const items = t.items();
      const key = indexByKey(list, lt, items) ? itemKey(list[seg], lt, items) : undefined;
      out += key ? keyLabel(key) : `[${seg}]`;
      node = list[seg];
      t = items;
    } else {
      out = stepPath(out, seg);
      node = isRecord(node) ? node[seg] : undefined;
      t = t.field(seg);
    }
  }
  return out;
}

/** A display path one map key further: `spec.replicas`, `metadata.annotations["a.b/c"]`. */
export function stepPath(path: string, key: string): string {
  return PLAIN_KEY.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}
