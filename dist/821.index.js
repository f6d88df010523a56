export const id = 821;
export const ids = [821];
export const modules = {

/***/ 2993:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  G: () => (/* binding */ runDriftJob)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/config/index.js + 1 modules
var lib_config = __webpack_require__(2526);
// EXTERNAL MODULE: ./lib/config/render.js
var render = __webpack_require__(8428);
// EXTERNAL MODULE: ./lib/model/path.js
var model_path = __webpack_require__(3070);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/secrets/index.js + 6 modules
var secrets = __webpack_require__(2767);
// EXTERNAL MODULE: ./lib/model/quantity.js
var quantity = __webpack_require__(9604);
;// CONCATENATED MODULE: ./lib/drift/normalize.js


/**
 * Value equality the way the API server sees it, so that an untouched object shows no drift:
 * `0.5` and `500m` are one CPU quantity, `1Gi` and `1024Mi` one memory size, `8080` and `"8080"`
 * one int-or-string port, and `{}`, `[]`, `""` and null mean the same as an absent field.
 * Quantities are compared exactly by model/quantity.ts.
 */
/**
 * Fields that hold quantities: anything under resources, limits, requests, a quota's `hard`, an
 * emptyDir's `sizeLimit`, a LimitRange's defaults. Elsewhere `"1"` and `"1.0"` stay different.
 */
const QUANTITY_PARENTS = new Set([
    'limits',
    'requests',
    'hard',
    'used',
    'capacity',
    'overhead',
    'default',
    'defaultRequest',
    'max',
    'min',
    'maxLimitRequestRatio',
]);
function isQuantityPath(segments) {
    const last = segments[segments.length - 1];
    if (last === 'sizeLimit' || last === 'storage')
        return true;
    const parent = segments[segments.length - 2];
    return typeof parent === 'string' && QUANTITY_PARENTS.has(parent);
}
/** Absent, null, `""`, `{}` and `[]` all mean "not set" to the API server (omitempty). */
function isEmptyValue(value) {
    if (value === undefined || value === null || value === '')
        return true;
    if (Array.isArray(value))
        return value.length === 0;
    if ((0,types/* isRecord */.u4)(value))
        return Object.keys(value).length === 0;
    return false;
}
/** Two scalars are equal for drift purposes at this path. */
function scalarsEqual(desired, live, segments) {
    if (desired === live)
        return true;
    if (isEmptyValue(desired) && isEmptyValue(live))
        return true;
    if (isQuantityPath(segments) && (0,quantity/* quantitiesEqual */.U)(desired, live))
        return true;
    // int-or-string (ports, maxSurge) and YAML's loose typing: 8080 and "8080", true and "true".
    const scalar = (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    return scalar(desired) && scalar(live) && String(desired) === String(live);
}
/** Does `desired` (what Git declares) hold within `live`? Extra live fields are defaults, not drift. */
function subsetEqual(desired, live, segments) {
    if (isEmptyValue(desired))
        return isEmptyValue(live) || !isScalarish(live);
    if (Array.isArray(desired)) {
        if (!Array.isArray(live) || live.length !== desired.length)
            return false;
        return desired.every((item, i) => subsetEqual(item, live[i], [...segments, i]));
    }
    if ((0,types/* isRecord */.u4)(desired)) {
        if (!(0,types/* isRecord */.u4)(live))
            return false;
        return Object.entries(desired).every(([k, v]) => subsetEqual(v, live[k], [...segments, k]));
    }
    return scalarsEqual(desired, live, segments);
}
function isScalarish(value) {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

;// CONCATENATED MODULE: ./lib/drift/schema.js


/**
 * The list semantics of a run from the group versions' OpenAPI v3 documents. A group version
 * whose document could not be read, or a kind it does not describe, uses the built-in table.
 */
function schemasFrom(documents, note) {
    const byGv = new Map();
    const used = new Set();
    const fallbackWhy = new Set();
    if (note)
        fallbackWhy.add(note);
    const kindsOf = (apiVersion) => {
        if (!byGv.has(apiVersion)) {
            const entry = documents.get(apiVersion);
            byGv.set(apiVersion, entry && 'doc' in entry ? indexKinds(entry.doc, apiVersion) : undefined);
            if (entry && 'error' in entry)
                fallbackWhy.add(`${apiVersion}: ${entry.error}`);
        }
        return byGv.get(apiVersion);
    };
    const cache = new Map();
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
                if (kinds && !schema)
                    fallbackWhy.add(`${apiVersion} ${kind}: not in the server's OpenAPI document`);
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
function builtInSchemas(note) {
    return {
        of: (_apiVersion, kind) => ({ root: builtInRoot(kind), source: 'built-in' }),
        summary: () => (note ? { source: 'built-in', note } : { source: 'built-in' }),
    };
}
function componentsOf(entry) {
    if (!entry || !('doc' in entry) || !(0,types/* isRecord */.u4)(entry.doc))
        return {};
    const components = entry.doc.components;
    return (0,types/* isRecord */.u4)(components) && (0,types/* isRecord */.u4)(components.schemas) ? components.schemas : {};
}
/** The document's kinds of this group version, by `x-kubernetes-group-version-kind`. */
function indexKinds(doc, apiVersion) {
    if (!(0,types/* isRecord */.u4)(doc) || !(0,types/* isRecord */.u4)(doc.components) || !(0,types/* isRecord */.u4)(doc.components.schemas))
        return undefined;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const out = new Map();
    for (const schema of Object.values(doc.components.schemas)) {
        if (!(0,types/* isRecord */.u4)(schema))
            continue;
        const gvks = schema['x-kubernetes-group-version-kind'];
        if (!Array.isArray(gvks))
            continue;
        for (const gvk of gvks) {
            if ((0,types/* isRecord */.u4)(gvk) && gvk.group === group && gvk.version === version && typeof gvk.kind === 'string')
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
class OpenApiNode {
    components;
    children = new Map();
    itemNode;
    resolved;
    /** `schema` as written where it is used: its own extensions win over the referenced type's. */
    constructor(schema, components) {
        this.components = components;
        this.resolved = resolve(schema, components);
    }
    field(name) {
        let child = this.children.get(name);
        if (!child) {
            const props = this.resolved.properties;
            const additional = this.resolved.additionalProperties;
            const sub = (0,types/* isRecord */.u4)(props) && (0,types/* isRecord */.u4)(props[name]) ? props[name] : (0,types/* isRecord */.u4)(additional) ? additional : {};
            child = new OpenApiNode(sub, this.components);
            this.children.set(name, child);
        }
        return child;
    }
    items() {
        this.itemNode ??= new OpenApiNode((0,types/* isRecord */.u4)(this.resolved.items) ? this.resolved.items : {}, this.components);
        return this.itemNode;
    }
    list() {
        return listTypeOf(this.resolved);
    }
    defaultValue() {
        return this.resolved.default;
    }
}
/** Follow `$ref` and single `allOf` wrappers; the outer schema's own keys win. */
function resolve(schema, components, depth = 0) {
    if (depth > 16)
        return schema;
    let inner;
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith(REF_PREFIX)) {
        const target = components[schema.$ref.slice(REF_PREFIX.length)];
        if ((0,types/* isRecord */.u4)(target))
            inner = resolve(target, components, depth + 1);
    }
    else if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && (0,types/* isRecord */.u4)(schema.allOf[0])) {
        inner = resolve(schema.allOf[0], components, depth + 1);
    }
    if (!inner)
        return schema;
    const out = { ...inner };
    for (const [k, v] of Object.entries(schema)) {
        if (k === '$ref' || k === 'allOf')
            continue;
        // An empty default ({} on every struct field) says nothing the type does not.
        if (k === 'default' && (0,types/* isRecord */.u4)(v) && Object.keys(v).length === 0 && 'default' in inner)
            continue;
        out[k] = v;
    }
    return out;
}
/**
 * The list type exactly as server-side apply derives it (kube-openapi's schemaconv):
 * `x-kubernetes-list-type` first; else a `merge` patch strategy with a merge key is a map keyed
 * by it, without one a set; else atomic.
 */
function listTypeOf(schema) {
    const type = schema['x-kubernetes-list-type'];
    if (type === 'atomic')
        return { type: 'atomic' };
    if (type === 'set')
        return { type: 'set' };
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
const MAP_BY_NAME = {
    ...model_path/* LIST_KEYS */.Uo,
    resourceClaims: ['name'],
    topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
    ownerReferences: ['uid'],
};
const SET_BY_NAME = new Set(['finalizers']);
/** Key fields whose absence means a default the API server fills in. */
const KEY_DEFAULTS = { protocol: 'TCP' };
/** The built-in table's type of a kind. */
function builtInRoot(kind) {
    return new BuiltInNode(kind, []);
}
class BuiltInNode {
    kind;
    path;
    constructor(kind, 
    /** Field names from the root; `[]` for a list's items. */
    path) {
        this.kind = kind;
        this.path = path;
    }
    field(name) {
        return new BuiltInNode(this.kind, [...this.path, name]);
    }
    items() {
        return new BuiltInNode(this.kind, [...this.path, '[]']);
    }
    list() {
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
        const keys = (0,model_path/* listKeys */.TH)(MAP_BY_NAME, name);
        if (keys)
            return { type: 'map', keys };
        if (SET_BY_NAME.has(name))
            return { type: 'set' };
        return { type: 'atomic' };
    }
    defaultValue() {
        const name = this.path[this.path.length - 1] ?? '';
        return Object.hasOwn(KEY_DEFAULTS, name) ? KEY_DEFAULTS[name] : undefined;
    }
}
// ---------------------------------------------------------------------------------------------
// Keyed lists
/** An item's key in a map list, with schema defaults for key fields it leaves out; undefined if incomplete. */
function itemKey(item, list, items) {
    if (list.type !== 'map' || !(0,types/* isRecord */.u4)(item))
        return undefined;
    const out = {};
    for (const k of list.keys) {
        let v = item[k];
        if (v === undefined || v === null)
            v = items.field(k).defaultValue();
        if (v === undefined || v === null) {
            // server-side apply allows a missing key only when the schema has no default; keep it absent.
            continue;
        }
        if (typeof v === 'object')
            return undefined;
        out[k] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
}
/** A key as one comparable string: `8080|TCP`. Numbers and their strings are one key (int-or-string). */
function keyString(key, list) {
    const keys = list.type === 'map' ? list.keys : Object.keys(key);
    return keys.map((k) => (k in key ? String(key[k]) : '\u0000')).join('|');
}
/**
 * Index a list by key, or undefined when it cannot be keyed: an item without a key, or two items
 * with the same key (never key a list by a field that is not unique in it).
 */
function indexByKey(list, type, items) {
    if (type.type !== 'map')
        return undefined;
    const out = new Map();
    for (let i = 0; i < list.length; i++) {
        const key = itemKey(list[i], type, items);
        if (!key)
            return undefined;
        const s = keyString(key, type);
        if (out.has(s))
            return undefined;
        out.set(s, i);
    }
    return out;
}
/** How a keyed item shows in a field path: `[name=app]`, `[containerPort=53,protocol=UDP]`. */
function keyLabel(key) {
    return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',')}]`;
}
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
/**
 * A concrete path (keys and indexes) of `root` in the display form people read: items of keyed
 * lists by their key (`containers[name=app]`, `ports[port=53,protocol=UDP]`), other items by index.
 */
function displayPath(root, segments, type) {
    let out = '';
    let node = root;
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
        }
        else {
            out = stepPath(out, seg);
            node = (0,types/* isRecord */.u4)(node) ? node[seg] : undefined;
            t = t.field(seg);
        }
    }
    return out;
}
/** A display path one map key further: `spec.replicas`, `metadata.annotations["a.b/c"]`. */
function stepPath(path, key) {
    return PLAIN_KEY.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

;// CONCATENATED MODULE: ./lib/drift/fields-v1.js


function decodeFieldsV1(fields, live, type) {
    const out = [];
    const root = type ?? builtInRoot((0,types/* isRecord */.u4)(live) && typeof live.kind === 'string' ? live.kind : '');
    if ((0,types/* isRecord */.u4)(fields))
        walk(fields, live, root, [], out);
    return out;
}
function walk(trie, node, type, prefix, out) {
    for (const [key, child] of Object.entries(trie)) {
        if (key === '.') {
            if (prefix.length > 0)
                out.push({ segments: [...prefix], leaf: false });
            continue;
        }
        if (!(0,types/* isRecord */.u4)(child))
            continue;
        const step = resolveStep(key, node, type);
        if (step === undefined)
            continue;
        const segments = [...prefix, step];
        const next = typeof step === 'number' ? node[step] : (0,types/* isRecord */.u4)(node) ? node[step] : undefined;
        const nextType = typeof step === 'number' ? type.items() : type.field(step);
        if (Object.keys(child).length === 0)
            out.push({ segments, leaf: true });
        else
            walk(child, next, nextType, segments, out);
    }
}
/** One trie key -> a map key or a live list index; undefined when it does not apply. */
function resolveStep(key, node, type) {
    const colon = key.indexOf(':');
    if (colon !== 1)
        return undefined;
    const kind = key[0];
    const rest = key.slice(2);
    if (kind === 'f')
        return rest;
    if (!Array.isArray(node))
        return undefined;
    if (kind === 'i') {
        const index = Number(rest);
        return Number.isInteger(index) && index >= 0 && index < node.length ? index : undefined;
    }
    const parsed = parseJson(rest);
    if (parsed === undefined)
        return undefined;
    if (kind === 'k') {
        if (!(0,types/* isRecord */.u4)(parsed))
            return undefined;
        const items = type.items();
        const index = node.findIndex((item) => matchesKeys(item, parsed, items));
        return index >= 0 ? index : undefined;
    }
    if (kind === 'v') {
        const index = node.findIndex((item) => sameJson(item, parsed));
        return index >= 0 ? index : undefined;
    }
    return undefined;
}
function matchesKeys(item, keys, items) {
    if (!(0,types/* isRecord */.u4)(item))
        return false;
    return Object.entries(keys).every(([k, v]) => sameJson(item[k] ?? items.field(k).defaultValue(), v));
}
function sameJson(a, b) {
    if (a === b)
        return true;
    return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./lib/drift/ownership.js


const keyOf = (segments) => JSON.stringify(segments);
function ownershipOf(live, type) {
    const entries = [];
    const fields = [];
    const byPath = new Map();
    const managed = live.metadata?.managedFields;
    for (const raw of Array.isArray(managed) ? managed : []) {
        if (!(0,types/* isRecord */.u4)(raw))
            continue;
        const entry = {
            manager: typeof raw.manager === 'string' ? raw.manager : '',
            operation: typeof raw.operation === 'string' ? raw.operation : '',
            subresource: typeof raw.subresource === 'string' ? raw.subresource : '',
            time: typeof raw.time === 'string' ? raw.time : null,
            apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : '',
        };
        entries.push(entry);
        for (const owned of decodeFieldsV1(raw.fieldsV1, live, type)) {
            fields.push({ ...owned, entry });
            const key = keyOf(owned.segments);
            const list = byPath.get(key);
            if (list)
                list.push(entry);
            else
                byPath.set(key, [entry]);
        }
    }
    const ownersOf = (segments) => byPath.get(keyOf(segments)) ?? [];
    const nearestOwners = (segments) => {
        for (let n = segments.length; n > 0; n--) {
            const owners = ownersOf(segments.slice(0, n));
            if (owners.length > 0)
                return owners;
        }
        return [];
    };
    return { entries, fields, ownersOf, nearestOwners };
}
/** The newest of several entries (ties keep the first). */
function newest(entries) {
    let best;
    for (const e of entries)
        if (!best || (e.time ?? '') > (best.time ?? ''))
            best = e;
    return best;
}
/** The client that created the object: the writer of its oldest entry on the main resource. */
function oldestWriter(live) {
    let best;
    const managed = live.metadata?.managedFields;
    for (const raw of Array.isArray(managed) ? managed : []) {
        if (!(0,types/* isRecord */.u4)(raw) || (typeof raw.subresource === 'string' && raw.subresource !== ''))
            continue;
        const entry = {
            manager: typeof raw.manager === 'string' ? raw.manager : '',
            operation: typeof raw.operation === 'string' ? raw.operation : '',
            subresource: '',
            time: typeof raw.time === 'string' ? raw.time : null,
            apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : '',
        };
        if (!best || (entry.time ?? '') < (best.time ?? ''))
            best = entry;
    }
    return best;
}

// EXTERNAL MODULE: ./lib/drift/policy.js
var policy = __webpack_require__(5385);
;// CONCATENATED MODULE: ./lib/drift/compare.js







function compareObject(desired, live, policy, type = builtInRoot(desired.kind), options = {}) {
    const want = comparable(desired);
    const ref = (0,types/* refOf */.H8)(desired);
    if (!ref.namespace && live.metadata?.namespace)
        ref.namespace = live.metadata.namespace;
    const w = {
        want,
        live,
        ref,
        own: ownershipOf(live, type),
        policy,
        type,
        desired,
        locate: options.locate,
        out: [],
    };
    for (const [key, value] of Object.entries(want))
        walkDeclared(w, value, live[key], type.field(key), [key], [key], stepPath('', key));
    findAdded(w);
    return w.out;
}
/**
 * What of Git's object is compared: labels and annotations of the metadata (name and namespace
 * identify it, the rest is the server's), everything but `status`, and a Secret's `stringData`
 * folded into `data` the way the API server stores it.
 */
function comparable(desired) {
    const { apiVersion, kind, metadata, status: _status, ...rest } = desired;
    const meta = {};
    if (metadata?.labels)
        meta.labels = metadata.labels;
    if (metadata?.annotations)
        meta.annotations = metadata.annotations;
    const out = { apiVersion, kind, metadata: meta, ...rest };
    if (kind === 'Secret' && (0,types/* isRecord */.u4)(rest.stringData)) {
        const data = (0,types/* isRecord */.u4)(rest.data) ? { ...rest.data } : {};
        for (const [k, v] of Object.entries(rest.stringData))
            data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        out.data = data;
        delete out.stringData;
    }
    delete out.apiVersion;
    delete out.kind;
    return out;
}
/** `path` is the display path of `ws`, built step by step as the walk goes down. */
function walkDeclared(w, want, live, type, ws, ls, path) {
    if ((0,policy/* isIgnored */.pi)(path, w.policy) || isEmptyValue(want))
        return;
    if (live === undefined || live === null) {
        report(w, 'removed', ws, ls.slice(0, -1), want, undefined, path);
        return;
    }
    if ((0,types/* isRecord */.u4)(want)) {
        if (!(0,types/* isRecord */.u4)(live))
            report(w, 'changed', ws, ls, want, live, path);
        else
            for (const [k, v] of Object.entries(want))
                walkDeclared(w, v, live[k], type.field(k), [...ws, k], [...ls, k], stepPath(path, k));
    }
    else if (Array.isArray(want)) {
        walkList(w, want, live, type, ws, ls, path);
    }
    else if (!scalarsEqual(want, live, ls)) {
        report(w, 'changed', ws, ls, want, live, path);
    }
}
/**
 * A keyed list pairs items by key, whatever their order; a set needs each of Git's members
 * live; an atomic list (or one that cannot be keyed) compares whole, in order.
 */
function walkList(w, want, live, type, ws, ls, path) {
    const list = type.list();
    const items = type.items();
    if (list.type === 'map' && Array.isArray(live)) {
        const wanted = indexByKey(want, list, items);
        const found = indexByKey(live, list, items);
        if (wanted && found) {
            for (const [key, i] of wanted) {
                const j = found.get(key);
                const at = `${path}${keyLabel(itemKey(want[i], list, items))}`;
                if (j === undefined)
                    report(w, 'removed', [...ws, i], ls, want[i], undefined, at);
                else
                    walkDeclared(w, want[i], live[j], items, [...ws, i], [...ls, j], at);
            }
            return;
        }
    }
    if (list.type === 'set' && Array.isArray(live)) {
        const all = want.every((v) => isEmptyValue(v) || live.some((l) => scalarsEqual(v, l, ls)));
        if (!all)
            report(w, 'changed', ws, ls, want, live, path);
        return;
    }
    if (!subsetEqual(want, live, ls))
        report(w, 'changed', ws, ls, want, live, path);
}
/**
 * Does Git declare the live field at `segments`? Items of keyed lists are found by key; a field
 * inside an atomic list Git declares is declared (the list is compared whole).
 */
function declared(w, segments) {
    return toGit(w, segments).declared;
}
/**
 * Live segments -> Git's: the segments of the same field in Git's object (as far as Git declares
 * it), and whether Git declares all of it.
 */
function toGit(w, segments) {
    const out = [];
    let want = w.want;
    let live = w.live;
    let type = w.type;
    const partly = () => ({ segments: out, declared: false });
    for (const seg of segments) {
        if (want === undefined || want === null)
            return partly();
        if (typeof seg !== 'number') {
            if (!(0,types/* isRecord */.u4)(want) || !(seg in want))
                return partly();
            out.push(seg);
            want = want[seg];
            live = (0,types/* isRecord */.u4)(live) ? live[seg] : undefined;
            type = type.field(seg);
            continue;
        }
        if (!Array.isArray(want) || !Array.isArray(live))
            return partly();
        const list = type.list();
        const items = type.items();
        const item = live[seg];
        if (list.type === 'set') {
            const i = want.findIndex((v) => scalarsEqual(v, item, []));
            if (i >= 0)
                out.push(i);
            return { segments: out, declared: i >= 0 };
        }
        const wanted = list.type === 'map' ? indexByKey(want, list, items) : undefined;
        if (!wanted || !indexByKey(live, list, items))
            return { segments: out, declared: want.length > 0 };
        const key = itemKey(item, list, items);
        const i = key ? wanted.get(keyString(key, list)) : undefined;
        if (i === undefined)
            return partly();
        out.push(i);
        want = want[i];
        live = item;
        type = items;
    }
    return { segments: out, declared: want !== undefined };
}
/** Where a field of Git's comparable object sits in Git's own object (a Secret's stringData). */
function sourceOf(w, ws) {
    if (!w.locate)
        return undefined;
    const [top, key] = ws;
    const stringData = w.desired.stringData;
    const own = w.ref.kind === 'Secret' &&
        top === 'data' &&
        typeof key === 'string' &&
        (0,types/* isRecord */.u4)(stringData) &&
        key in stringData
        ? ['stringData', ...ws.slice(1)]
        : ws;
    return w.locate(own);
}
/**
 * Report a changed or removed field. `ls` is the live path of the field (changed) or of its
 * nearest live parent (removed), which is where ownership is looked up.
 */
function report(w, type, ws, ls, want, live, path) {
    const owners = w.own.nearestOwners(ls);
    // A controller allowed to own the field (an HPA on replicas) makes the difference legitimate.
    if (owners.some((e) => (0,policy/* controllerMayOwn */.ko)(e, path, w.policy)))
        return;
    const foreign = owners.filter((e) => !(0,policy/* isDeployer */.$X)(e, w.policy));
    let who = newest(foreign) ?? newest(owners);
    // Nobody owns a removed field any more: the newest non-deployer writer of the object is the lead.
    if (type === 'removed')
        who = newest(foreign) ?? newestForeignWriter(w);
    push(w, type, path, (0,secrets/* redactValue */.FI)(w.ref.kind, w.want, ws, want), redact(w, ls, live), who, sourceOf(w, ws));
}
function newestForeignWriter(w) {
    return newest(w.own.entries.filter((e) => e.subresource !== 'status' &&
        !(0,policy/* isDeployer */.$X)(e, w.policy) &&
        !w.policy.controllers.some((c) => c.manager === e.manager)));
}
/** Fields owned by a non-deployer that Git does not declare, reported at the highest node that manager added. */
function findAdded(w) {
    const seen = new Set();
    for (const field of w.own.fields) {
        const { entry, segments } = field;
        // A map's own `.` (labels created by `kubectl label`) says nothing its keys do not say.
        if (!field.leaf && typeof segments[segments.length - 1] !== 'number')
            continue;
        if (entry.subresource === 'status' || (0,policy/* isDeployer */.$X)(entry, w.policy) || !comparedField(segments))
            continue;
        const path = displayPath(w.live, segments, w.type);
        if ((0,policy/* isIgnored */.pi)(path, w.policy) || (0,policy/* controllerMayOwn */.ko)(entry, path, w.policy))
            continue;
        if (declared(w, segments))
            continue; // compared by the walk
        const at = addedRoot(w, entry, segments);
        const atPath = displayPath(w.live, at, w.type);
        if (seen.has(atPath) || (0,policy/* isIgnored */.pi)(atPath, w.policy))
            continue;
        const value = (0,model_path/* getAt */.sM)(w.live, at);
        if (isEmptyValue(value))
            continue;
        seen.add(atPath);
        push(w, 'added', atPath, null, redact(w, at, value), entry, sourceOf(w, toGit(w, at).segments));
    }
}
/** The shortest undeclared list item this manager created (an env item rather than its fields), else the field. */
function addedRoot(w, entry, segments) {
    for (let n = 1; n < segments.length; n++) {
        const prefix = segments.slice(0, n);
        if (declared(w, prefix))
            continue;
        // A list item the manager created is one change (an env var); a map it created (labels,
        // when there were none) is not: its keys are reported one by one.
        if (typeof prefix[n - 1] === 'number' && w.own.ownersOf(prefix).includes(entry))
            return prefix;
    }
    return segments;
}
/** Metadata other than labels and annotations is the server's; `status` is not Git's. */
function comparedField(segments) {
    const [top, second] = segments;
    if (top === 'status' || top === 'apiVersion' || top === 'kind')
        return false;
    if (top === 'metadata')
        return second === 'labels' || second === 'annotations';
    return true;
}
function redact(w, ls, value) {
    return value === undefined ? null : (0,secrets/* redactValue */.FI)(w.ref.kind, w.live, ls, value);
}
function push(w, type, path, desired, live, who, source) {
    const item = {
        object: w.ref,
        type,
        path,
        desired: desired ?? null,
        live: live ?? null,
        manager: who?.manager ?? null,
        operation: who?.operation ?? null,
        subresource: who ? who.subresource || null : null,
        time: who?.time ?? null,
    };
    if (source)
        item.source = source;
    w.out.push(item);
}

;// CONCATENATED MODULE: ./lib/drift/dry-run.js


/**
 * The optional server-side dry-run comparison: the API server applies Git's object with
 * `dryRun=All` and answers with what the object would be: defaults, admission webhooks' mutations
 * and its own normalization included. Git's declared fields then take the server's values, so that
 * a value only the server can normalize (a webhook's rewrite of an image, say) compares as equal.
 * What Git does not declare stays out, exactly as without the dry run.
 *
 * Lists pair Git's items with the server's the way the apply merged them (`type`): keyed lists by
 * their whole key, atomic lists by position. (Pairing by a field that is not unique, a port
 * number alone, would give Git's TCP entry the server's UDP one.)
 */
function projectDeclared(desired, normalized, type = builtInRoot(desired.kind)) {
    return project(desired, normalized, type);
}
function project(want, norm, type) {
    if (norm === undefined || norm === null)
        return want;
    if ((0,types/* isRecord */.u4)(want)) {
        if (!(0,types/* isRecord */.u4)(norm))
            return want;
        const out = {};
        for (const [k, v] of Object.entries(want))
            out[k] = k in norm ? project(v, norm[k], type.field(k)) : v;
        return out;
    }
    if (Array.isArray(want)) {
        if (!Array.isArray(norm))
            return want;
        const list = type.list();
        const items = type.items();
        const found = indexByKey(norm, list, items);
        if (list.type === 'map' && found && indexByKey(want, list, items)) {
            return want.map((item) => {
                const key = itemKey(item, list, items);
                const j = key ? found.get(keyString(key, list)) : undefined;
                return j === undefined ? item : project(item, norm[j], items);
            });
        }
        // Atomic lists (and sets) keep Git's order through an apply.
        return norm.length === want.length ? want.map((item, i) => project(item, norm[i], items)) : want;
    }
    // Scalars: the server's form when it has one of the same kind of thing.
    return typeof norm === 'object' ? want : norm;
}

// EXTERNAL MODULE: ./lib/images/policy.js
var images_policy = __webpack_require__(7834);
// EXTERNAL MODULE: ./lib/images/reference.js
var reference = __webpack_require__(1403);
;// CONCATENATED MODULE: ./lib/images/index.js



// EXTERNAL MODULE: ./lib/model/workload.js
var workload = __webpack_require__(4208);
;// CONCATENATED MODULE: ./lib/drift/images.js





function scanImages(input) {
    const scan = new ImageScan(input.desired, input.debugTagPatterns);
    for (const obj of input.live)
        scan.visit(obj);
    return scan.issues();
}
/**
 * The scan one object at a time, keeping only what it reports and a small summary per tag, so
 * that tens of thousands of pods pass through without being held.
 */
class ImageScan {
    debugTagPatterns;
    pinned;
    found = [];
    running = new Map();
    constructor(desired, debugTagPatterns) {
        this.debugTagPatterns = debugTagPatterns;
        this.pinned = pinnedDigests(desired);
    }
    visit(obj) {
        if (!(0,workload/* isWorkload */.gv)(obj))
            return;
        // Pods and ReplicaSets made by a controller repeat their owner's template: report the owner once.
        if (!ownedByController(obj))
            this.found.push(...policyIssues(obj, this.debugTagPatterns));
        if (obj.kind !== 'Pod')
            return;
        this.found.push(...ephemeralIssues(obj));
        const pod = (0,types/* refOf */.H8)(obj);
        for (const run of runningDigests(obj)) {
            const foreign = foreignDigest(obj, run, this.pinned);
            if (foreign)
                this.found.push(foreign);
            // One tag, whether a pod names it alone or pins it (`repo:tag@sha256:...`): a pod pinning
            // its digest does not hide that the same tag runs as another digest elsewhere. A pinned
            // pod counts as its pin (running anything else is a foreign digest, reported above).
            if (!run.ref?.tag)
                continue;
            const tag = `${(0,reference/* fullName */.fq)(run.ref)}:${run.ref.tag}`;
            let runs = this.running.get(tag);
            if (!runs) {
                runs = { image: run.image.replace(/@.*$/, ''), digests: new Map(), pods: new Set() };
                this.running.set(tag, runs);
            }
            const digest = run.ref.digest ?? run.digest;
            if (!runs.digests.has(digest))
                runs.digests.set(digest, { pod, container: run.container });
            runs.pods.add(`${pod.namespace}/${pod.name}`);
        }
    }
    issues() {
        return [...this.found, ...splitDigests(this.running)];
    }
}
/** Digests Git pins, by repository (`docker.io/company/checkout`). */
function pinnedDigests(desired) {
    const out = new Map();
    for (const obj of desired) {
        for (const c of (0,workload/* containersOf */.Mz)(obj)) {
            const ref = parsed(c.container.image);
            if (!ref?.digest)
                continue;
            const set = out.get((0,reference/* fullName */.fq)(ref)) ?? new Set();
            set.add(ref.digest);
            out.set((0,reference/* fullName */.fq)(ref), set);
        }
    }
    return out;
}
function policyIssues(obj, patterns) {
    const out = [];
    const own = ownershipOf(obj);
    for (const c of (0,workload/* containersOf */.Mz)(obj)) {
        const image = typeof c.container.image === 'string' ? c.container.image : '';
        const ref = parsed(image);
        if (!ref)
            continue;
        const who = newest(own.nearestOwners([...c.path, 'image']));
        const base = {
            object: (0,types/* refOf */.H8)(obj),
            container: c.name,
            image,
            manager: who?.manager ?? null,
            time: who?.time ?? null,
        };
        const tag = (0,images_policy/* mutableTag */.pT)(ref);
        if (tag === 'latest')
            out.push({
                ...base,
                kind: 'latest-tag',
                message: `runs ${image}: the latest tag names no particular build`,
            });
        if (tag === 'missing')
            out.push({
                ...base,
                kind: 'missing-tag',
                message: `runs ${image} without a tag, so latest is implied`,
            });
        const debug = (0,images_policy/* debugTag */.EV)(ref, patterns);
        if (debug)
            out.push({
                ...base,
                kind: 'debug-tag',
                message: `runs a debug build: tag ${ref.tag} matches "${debug.matched}"`,
            });
        if (!(0,images_policy/* isPinned */.T4)(ref) && !tag)
            out.push({ ...base, kind: 'not-pinned', message: `runs ${image}, not pinned to a digest` });
    }
    return out;
}
const DIGEST = /(sha256|sha384|sha512):[a-f0-9]{64,128}/;
/** Each container status with the digest it runs, from `imageID` (`docker-pullable://repo@sha256:...`). */
function runningDigests(pod) {
    const status = (0,types/* isRecord */.u4)(pod.status) ? pod.status : {};
    const spec = (0,types/* isRecord */.u4)(pod.spec) ? pod.spec : {};
    const out = [];
    for (const [statusKey, specKey] of [
        ['containerStatuses', 'containers'],
        ['initContainerStatuses', 'initContainers'],
        ['ephemeralContainerStatuses', 'ephemeralContainers'],
    ]) {
        const statuses = Array.isArray(status[statusKey]) ? status[statusKey] : [];
        const specs = Array.isArray(spec[specKey]) ? spec[specKey] : [];
        for (const s of statuses) {
            if (!(0,types/* isRecord */.u4)(s) || typeof s.name !== 'string' || typeof s.imageID !== 'string')
                continue;
            const digest = DIGEST.exec(s.imageID)?.[0];
            if (!digest)
                continue;
            const declared = specs.find((c) => (0,types/* isRecord */.u4)(c) && c.name === s.name);
            const image = (0,types/* isRecord */.u4)(declared) && typeof declared.image === 'string' ? declared.image : String(s.image ?? '');
            out.push({ container: s.name, image, ref: parsed(image), digest });
        }
    }
    return out;
}
function foreignDigest(pod, run, pinned) {
    if (!run.ref)
        return undefined;
    const want = pinned.get((0,reference/* fullName */.fq)(run.ref));
    if (!want || want.has(run.digest))
        return undefined;
    const wanted = [...want];
    return {
        object: (0,types/* refOf */.H8)(pod),
        kind: 'foreign-digest',
        container: run.container,
        image: run.image,
        desiredDigest: wanted[0],
        liveDigests: [run.digest],
        message: `runs ${shortDigest(run.digest)}, but Git pins ${wanted.map(shortDigest).join(' or ')}`,
    };
}
/** One tag, several digests across pods: the tag was re-pushed, or a node pulled something else. */
function splitDigests(running) {
    const out = [];
    for (const runs of running.values()) {
        if (runs.digests.size < 2)
            continue;
        const digests = [...runs.digests.keys()].sort();
        const first = runs.digests.get(digests[0]);
        out.push({
            object: first.pod,
            kind: 'tag-digest-split',
            container: first.container,
            image: runs.image,
            liveDigests: digests,
            message: `${runs.image} runs as ${digests.length} different digests across ${runs.pods.size} pods`,
        });
    }
    return out;
}
function ephemeralIssues(pod) {
    const debug = (0,workload/* containersOf */.Mz)(pod, ['ephemeralContainers']);
    if (debug.length === 0)
        return [];
    const own = ownershipOf(pod);
    return debug.map((c) => {
        const who = newest(own.nearestOwners(c.path));
        const image = typeof c.container.image === 'string' ? c.container.image : '';
        return {
            object: (0,types/* refOf */.H8)(pod),
            kind: 'ephemeral-container',
            container: c.name,
            image,
            manager: who?.manager ?? null,
            time: who?.time ?? null,
            message: `has an ephemeral debug container ${c.name} (${image}) at ${(0,model_path/* formatPath */.jV)(pod, c.path)}`,
        };
    });
}
function ownedByController(obj) {
    const owners = obj.metadata.ownerReferences;
    return Array.isArray(owners) && owners.some((o) => (0,types/* isRecord */.u4)(o) && o.controller === true);
}
function parsed(image) {
    if (typeof image !== 'string')
        return undefined;
    const result = (0,reference/* parseReference */.F2)(image);
    return result.ok ? result.ref : undefined;
}
function shortDigest(digest) {
    return digest.slice(0, 19);
}

// EXTERNAL MODULE: ./lib/heap.js
var heap = __webpack_require__(3825);
// EXTERNAL MODULE: ./lib/kube/errors.js
var errors = __webpack_require__(2474);
// EXTERNAL MODULE: ./lib/load/files.js
var files = __webpack_require__(8971);
// EXTERNAL MODULE: ./lib/model/collections.js
var collections = __webpack_require__(412);
// EXTERNAL MODULE: ./lib/render/types.js
var render_types = __webpack_require__(677);
// EXTERNAL MODULE: ./lib/jobs/render.js
var jobs_render = __webpack_require__(7094);
;// CONCATENATED MODULE: ./lib/jobs/drift.js
















const IMAGE_KINDS = [
    ['v1', 'Pod'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet'],
    ['batch/v1', 'Job'],
    ['batch/v1', 'CronJob'],
];
/** From this many namespaces on, a kind is read with one cluster-wide list (when allowed) rather than one per namespace. */
const WIDE = 16;
/**
 * Kinds listed for orphans, besides those Git declares: what people create by hand. Objects with
 * an owner (a ReplicaSet's pods, a CronJob's Jobs) are their controller's, never orphans.
 */
const ORPHAN_KINDS = [
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet'],
    ['batch/v1', 'Job'],
    ['batch/v1', 'CronJob'],
    ['v1', 'Pod'],
    ['v1', 'Service'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'ServiceAccount'],
    ['v1', 'PersistentVolumeClaim'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['rbac.authorization.k8s.io/v1', 'Role'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
];
async function runDriftJob(settings) {
    const started = Date.now();
    (0,heap/* youngGenerationForPages */.e)();
    const config = settings.config ?? (0,lib_config/* defaultConfig */.sb)(settings.cwd);
    const drift = config.drift;
    const report = { version: 1, drift: [], missing: [], images: [], errors: [] };
    const result = {
        report,
        inputErrors: [],
        stats: { objects: 0, compared: 0, requests: 0, millis: 0 },
    };
    const cwd = settings.cwd ?? process.cwd();
    const git = await desiredObjects(settings, config, result.inputErrors);
    const desired = git.objects;
    result.stats.objects = desired.length;
    // A chart that failed to render leaves its objects out of the comparison: the report must say so.
    for (const e of result.inputErrors) {
        if (e.level !== 'error')
            continue;
        const at = e.location ? `${sourcePath(cwd, e.location.file)}:${e.location.line}` : undefined;
        report.errors.push(at ? { scope: at, message: `${at}: ${e.message}` } : { message: e.message });
    }
    const notCompared = [...new Set(git.notRendered)];
    let conn;
    try {
        const connect = settings.connect ?? (await Promise.all(/* import() */[__webpack_require__.e(723), __webpack_require__.e(760)]).then(__webpack_require__.bind(__webpack_require__, 1760))).connect;
        conn = await connect({
            ...settings.connectOptions,
            kubeconfig: settings.kubeconfig,
            context: settings.context,
            requestTimeoutMs: settings.requestTimeoutMs ?? drift.requestTimeoutMs,
            deadlineMs: settings.deadlineMs ?? drift.deadlineMs,
        });
        result.context = conn.context;
        result.server = conn.server;
        if (conn.caFingerprint)
            result.caFingerprint = conn.caFingerprint;
        report.cluster = conn.context;
        await conn.client.version(); // one clear line now rather than one per kind later
    }
    catch (err) {
        return fail(result, err, started);
    }
    const reader = new ListCache(conn.client, report.errors, settings.wideFrom ?? WIDE);
    try {
        const groups = groupByCollection(desired);
        const schemas = await readSchemas(conn.client, groups);
        const dryRun = (settings.serverSideDryRun ?? drift.serverSideDryRun)
            ? new DryRun(conn.client, report.errors, schemas)
            : undefined;
        // A kind Git declares in many namespaces is read with one cluster-wide list where allowed.
        const spread = new Map();
        for (const g of groups.values()) {
            const key = `${g.apiVersion}|${g.kind}`;
            const entry = spread.get(key) ?? { apiVersion: g.apiVersion, kind: g.kind, namespaces: new Map() };
            entry.namespaces.set(g.namespace, g.hookOnly ? 0 : g.objects.length);
            spread.set(key, entry);
        }
        for (const { apiVersion, kind, namespaces } of spread.values())
            reader.prefetchWide(apiVersion, kind, namespaces);
        let read = 0;
        await Promise.all([...groups.values()].map(async (g) => {
            const live = await reader.list(g.apiVersion, g.kind, g.namespace, g.hookOnly ? 0 : g.objects.length);
            if (!live) {
                if (!g.hookOnly)
                    notCompared.push(`${scopeOf(g)} (${plural(g.objects.length, 'object')} in Git)`);
                return;
            }
            if (!g.hookOnly)
                read++;
            // Awaited first: `x += await y` reads x before waiting, and groups finish concurrently.
            const compared = await compareGroup(g, live, drift, report, dryRun, schemas, cwd);
            result.stats.compared += compared;
        }));
        const readable = [...groups.values()].filter((g) => !g.hookOnly).length;
        // Compared: the lists are let go. The image scan streams what it needs (a few pages for a
        // kind spread over many namespaces), so memory holds one phase's objects, not both.
        if (readable >= WIDE)
            reader.release();
        const inScope = scopeNamespaces(desired, drift);
        const imageNamespaces = drift.allNamespaces || settings.allNamespaces ? [undefined] : inScope;
        const scan = new ImageScan(desired.map((d) => d.manifest.object), config.images.debugTagPatterns);
        // Hooks left out of the comparison are still Git's: never orphans.
        const orphans = (settings.orphans ?? drift.orphans) ? new Orphans([...desired, ...git.hooks], inScope) : undefined;
        const visits = [];
        const visit = (apiVersion, kind, namespaces, fn, what) => visits.push(reader.eachIn(apiVersion, kind, namespaces, fn).then((failed) => {
            for (const ns of failed)
                notCompared.push(`${apiVersion} ${kind}${ns ? ` in ${ns}` : ''} (${what})`);
        }));
        for (const [apiVersion, kind] of IMAGE_KINDS)
            visit(apiVersion, kind, imageNamespaces, (obj) => {
                scan.visit(obj);
                orphans?.visit(obj);
            }, 'images not scanned');
        if (orphans) {
            const kinds = imageNamespaces[0] === undefined ? orphans.kinds() : orphans.kindsBeyond(IMAGE_KINDS);
            for (const [apiVersion, kind] of kinds)
                visit(apiVersion, kind, inScope, (obj) => orphans.visit(obj), 'not searched for orphans');
        }
        await Promise.all(visits);
        report.images = scan.issues();
        if (orphans)
            report.orphans = orphans.found();
        const summary = schemas.summary();
        report.coverage = {
            status: readable > 0 && read === 0 ? 'none' : notCompared.length > 0 ? 'partial' : 'complete',
            notCompared: notCompared.sort(),
            lists: summary.source,
            ...(summary.note ? { listsNote: summary.note } : {}),
        };
    }
    catch (err) {
        return fail(result, err, started);
    }
    sortReport(report);
    result.stats.requests = conn.client.requests;
    result.stats.millis = Date.now() - started;
    return result;
}
/**
 * What Git declares: the targets under `paths` (charts, overlays, plain folders) rendered the way
 * the pull-request job renders them, or the config's `targets:` when no path is given.
 *
 * Helm hooks are not part of a release's steady state: test hooks never count, and other hooks
 * only when they carry no delete policy (then Helm leaves them in place) and exist.
 */
async function desiredObjects(settings, config, errors) {
    const defaultNs = settings.namespace ?? 'default';
    const out = (settings.desired ?? []).map((manifest) => ({ manifest, namespace: defaultNs }));
    const notRendered = [];
    const configTargets = config.targets.length > 0 ? (0,render/* resolveTargets */.h5)(config.targets, config.dir) : [];
    if (settings.paths.length > 0 || configTargets.length > 0) {
        const cwd = settings.cwd ?? process.cwd();
        const rendered = await (0,jobs_render/* runRender */.mn)({
            cwd,
            paths: settings.paths,
            configTargets,
            tools: config.render.tools,
            concurrency: config.render.concurrency,
            timeoutMs: config.render.timeoutMs,
            maxMemoryBytes: config.render.maxMemoryBytes,
            discover: config.discover,
        });
        (0,collections/* pushAll */.i)(errors, rendered.errors);
        for (const e of rendered.errors)
            if (e.level === 'error')
                notRendered.push(`${e.location ? sourcePath(cwd, e.location.file) : 'a path'} (not read)`);
        for (const r of rendered.results) {
            (0,collections/* pushAll */.i)(errors, r.errors);
            const failed = r.errors.filter((e) => e.level === 'error');
            // An app whose source is not in the repository (a remote chart) was not compared.
            if (r.target.app?.skip)
                notRendered.push(`${(0,render_types/* targetName */.j)(r.target)} (its source is not in the repository)`);
            // A chart or overlay that fails renders nothing; a plain folder loses only its bad files.
            if (failed.length > 0 && r.target.kind !== 'plain')
                notRendered.push(`${sourcePath(cwd, (0,render_types/* targetName */.j)(r.target))} (did not render)`);
            else
                for (const e of failed)
                    notRendered.push(`${e.location ? sourcePath(cwd, e.location.file) : (0,render_types/* targetName */.j)(r.target)} (not read)`);
            // helm template leaves the release namespace off namespaced objects: they land in it (and an
            // app definition's objects in its destination namespace).
            const ns = (0,render_types/* targetNamespace */.b)(r.target) ?? defaultNs;
            for (const manifest of r.manifests)
                out.push({ manifest, namespace: ns });
        }
    }
    const objects = [];
    const hooks = [];
    for (const d of out) {
        const { metadata } = d.manifest.object;
        // Objects Git does not name cannot be found in the cluster; generateName is the server's choice.
        if (typeof metadata.name !== 'string' || metadata.name === '')
            continue;
        const hook = hookOf(d.manifest.object);
        if (hook === 'skip') {
            hooks.push({ ...d, namespace: metadata.namespace ?? d.namespace });
            continue;
        }
        objects.push({
            ...d,
            namespace: metadata.namespace ?? d.namespace,
            ...(hook === 'keep' ? { hook: true } : {}),
        });
    }
    return { objects, hooks, notRendered };
}
/** `skip` a Helm hook that is not steady state, `keep` one Helm leaves in place, undefined for others. */
function hookOf(obj) {
    const annotations = (0,types/* isRecord */.u4)(obj.metadata.annotations) ? obj.metadata.annotations : {};
    const hooks = annotations['helm.sh/hook'];
    if (typeof hooks !== 'string' || hooks.trim() === '')
        return undefined;
    if (hooks.split(',').some((h) => h.trim().startsWith('test')))
        return 'skip';
    const policy = annotations['helm.sh/hook-delete-policy'];
    return typeof policy === 'string' && policy.trim() !== '' ? 'skip' : 'keep';
}
function groupByCollection(desired) {
    const groups = new Map();
    for (const d of desired) {
        const { apiVersion, kind } = d.manifest.object;
        const key = `${apiVersion}|${kind}|${d.namespace}`;
        let g = groups.get(key);
        if (!g) {
            g = { apiVersion, kind, namespace: d.namespace, objects: [], hookOnly: true };
            groups.set(key, g);
        }
        g.objects.push(d);
        if (!d.hook)
            g.hookOnly = false;
    }
    return groups;
}
function scopeOf(g) {
    return `${g.apiVersion} ${g.kind} in ${g.namespace}`;
}
/**
 * How the lists of every kind Git declares merge: the API server's OpenAPI v3 documents, one
 * per group version Git uses, read once; the built-in table where one cannot be read.
 */
async function readSchemas(client, groups) {
    const versions = [...new Set([...groups.values()].map((g) => g.apiVersion))];
    const docs = new Map();
    try {
        await Promise.all(versions.map(async (v) => {
            try {
                docs.set(v, { doc: await client.openApi(v) });
            }
            catch (err) {
                if (err instanceof errors/* ClusterUnreachableError */.hy)
                    throw err;
                // The index itself could not be read: no document will be, say so once.
                if (err instanceof errors/* KubeApiError */.W3 && err.path === '/openapi/v3')
                    throw err;
                docs.set(v, { error: err.message });
            }
        }));
    }
    catch (err) {
        if (err instanceof errors/* ClusterUnreachableError */.hy)
            throw err;
        return builtInSchemas(`the server's /openapi/v3 could not be read: ${err.message}`);
    }
    return schemasFrom(docs);
}
async function compareGroup(g, live, drift, report, dryRun, schemas, cwd) {
    let compared = 0;
    for (const { manifest: m, hook } of g.objects) {
        const found = live.items.get(m.object.metadata.name);
        if (!found) {
            if (hook)
                continue;
            const missing = { object: { ...m.ref } };
            if (live.namespaced)
                missing.object.namespace = g.namespace;
            else
                delete missing.object.namespace;
            const source = locate(m, [], cwd);
            if (source)
                missing.source = source;
            report.missing.push(missing);
            continue;
        }
        compared++;
        (0,secrets/* collectObject */.Kr)(found); // the live object's secrets are masked in every output too
        const ns = live.namespaced ? g.namespace : undefined;
        const type = schemas.of(m.object.apiVersion, m.object.kind).root;
        const desired = (await dryRun?.normalize(live.resource, m.object, ns)) ?? m.object;
        report.drift.push(...compareObject(desired, found, drift.policy, type, {
            locate: (segments) => locate(m, segments, cwd),
        }));
    }
    return compared;
}
/**
 * Where a human edits a field: the values key, template line, patch or plain manifest line that
 * `check` points at too, as `file:line` relative to the repository (the working directory).
 */
function locate(m, segments, cwd) {
    try {
        const at = m.locateSource?.(segments) ?? m.locate(segments);
        return at.file ? `${sourcePath(cwd, at.file)}:${at.line}` : undefined;
    }
    catch {
        return m.file ? sourcePath(cwd, m.file) : undefined;
    }
}
function sourcePath(cwd, file) {
    return (0,files/* relativeName */.IC)(cwd, external_node_path_.resolve(cwd, file));
}
/**
 * The optional server-side dry run. It needs `patch` on each kind (nothing is stored, but the API
 * server authorizes it as a write); where that is refused, one error says so and those objects
 * are compared without it.
 */
class DryRun {
    client;
    errors;
    schemas;
    refused = new Set();
    constructor(client, errors, schemas) {
        this.client = client;
        this.errors = errors;
        this.schemas = schemas;
    }
    async normalize(resource, desired, ns) {
        const key = `${resource.plural}|${ns ?? ''}`;
        if (this.refused.has(key))
            return undefined;
        try {
            const type = this.schemas.of(desired.apiVersion, desired.kind).root;
            return projectDeclared(desired, await this.client.dryRunApply(resource, desired, ns), type);
        }
        catch (err) {
            if (err instanceof errors/* ClusterUnreachableError */.hy)
                throw err;
            const where = ns ? ` in namespace ${ns}` : '';
            const scope = `${resource.apiVersion} ${resource.kind}${ns ? ` in ${ns}` : ''}`;
            if (err instanceof errors/* KubeApiError */.W3 && err.status === 403) {
                this.refused.add(key);
                this.errors.push({
                    scope,
                    message: `server-side dry run refused: it needs patch on ${resource.plural}${where}; compared without it`,
                });
            }
            else {
                this.errors.push({
                    scope,
                    message: `server-side dry run of ${resource.kind} ${desired.metadata.name} failed: ${err.message}; compared without it`,
                });
            }
            return undefined;
        }
    }
}
/**
 * Where images are scanned and orphans looked for: the config's namespaces, else every namespace
 * Git's objects land in (and the Namespaces it declares).
 */
function scopeNamespaces(desired, drift) {
    if (drift.namespaces.length > 0)
        return [...drift.namespaces];
    const set = new Set();
    for (const { manifest, namespace } of desired) {
        if (manifest.object.kind === 'Namespace')
            set.add(manifest.object.metadata.name);
        else
            set.add(namespace);
    }
    return [...set].sort();
}
/**
 * Live objects no target declares and no controller owns, in the namespaces in scope, each with
 * the manager that created it: what someone made by hand (`kubectl create`, `run`, a dashboard).
 */
class Orphans {
    declared = new Set();
    wanted = new Map();
    namespaces;
    out = new Map();
    constructor(desired, namespaces) {
        this.namespaces = new Set(namespaces);
        for (const { manifest, namespace } of desired) {
            const { apiVersion, kind, metadata } = manifest.object;
            this.declared.add(identity(apiVersion, kind, metadata.namespace ?? namespace, metadata.name));
            if (kind !== 'Namespace')
                this.wanted.set(`${apiVersion}|${kind}`, [apiVersion, kind]);
        }
        for (const [apiVersion, kind] of ORPHAN_KINDS)
            this.wanted.set(`${apiVersion}|${kind}`, [apiVersion, kind]);
    }
    /** The kinds looked at: those Git declares, and those people create by hand. */
    kinds() {
        return [...this.wanted.values()];
    }
    /** The kinds to list besides `listed` (those the image scan lists anyway). */
    kindsBeyond(listed) {
        const skip = new Set(listed.map(([a, k]) => `${a}|${k}`));
        return [...this.wanted.entries()].filter(([key]) => !skip.has(key)).map(([, kind]) => kind);
    }
    visit(obj) {
        const { metadata } = obj;
        if (!this.wanted.has(`${obj.apiVersion}|${obj.kind}`))
            return;
        if (!metadata.namespace || !this.namespaces.has(metadata.namespace))
            return;
        if (Array.isArray(metadata.ownerReferences) && metadata.ownerReferences.length > 0)
            return;
        const name = metadata.name ?? '';
        if (this.declared.has(identity(obj.apiVersion, obj.kind, metadata.namespace, name)))
            return;
        if (madeByTheCluster(obj))
            return;
        const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: metadata.namespace, name };
        const who = oldestWriter(obj);
        this.out.set((0,types/* refKey */.XF)(ref), {
            object: ref,
            manager: who?.manager ?? null,
            operation: who?.operation ?? null,
            time: who?.time ?? null,
        });
    }
    found() {
        return [...this.out.values()];
    }
}
/** Group, kind, namespace and name: the same object whichever version Git names it by. */
function identity(apiVersion, kind, namespace, name) {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    return `${group}|${kind}|${namespace ?? ''}|${name}`;
}
/** Objects every namespace gets without anyone asking: not Git's business, not orphans. */
function madeByTheCluster(obj) {
    const { kind, metadata } = obj;
    const name = metadata.name;
    if (kind === 'ConfigMap' && name === 'kube-root-ca.crt')
        return true;
    if (kind === 'ServiceAccount' && name === 'default')
        return true;
    const type = obj.type;
    // Helm's own release records, and legacy service-account token Secrets.
    if (kind === 'Secret' && (type === 'helm.sh/release.v1' || type === 'kubernetes.io/service-account-token'))
        return true;
    if (kind === 'ConfigMap' && metadata.labels?.owner === 'helm' && metadata.labels?.status !== undefined)
        return true;
    return false;
}
/**
 * Lists by (kind, namespace): those Git's objects are compared with are fetched once and kept;
 * the rest (the image scan's pods, the orphan search) pass through page by page. Errors become
 * report lines; an unreachable cluster is rethrown to stop the run.
 */
class ListCache {
    client;
    errors;
    wideFrom;
    lists = new Map();
    reported = new Set();
    constructor(client, errors, wideFrom) {
        this.client = client;
        this.errors = errors;
        this.wideFrom = wideFrom;
    }
    /** Live objects by name; undefined (and an error reported) when they cannot be read. */
    list(apiVersion, kind, namespace, declared) {
        const key = `${apiVersion}|${kind}|${namespace ?? '*'}`;
        let pending = this.lists.get(key);
        if (!pending) {
            pending = this.fetch(apiVersion, kind, namespace, declared);
            this.lists.set(key, pending);
        }
        return pending;
    }
    /**
     * Read a kind for many namespaces with one cluster-wide list (paged), split by namespace, when
     * the account may list it cluster-wide; otherwise (or on any failure) each namespace is listed
     * on its own as usual, and only those failures are reported.
     */
    prefetchWide(apiVersion, kind, declared) {
        if (declared.size < this.wideFrom)
            return;
        const namespaces = [...declared.keys()];
        const wide = (async () => {
            const resource = await this.client.resource(apiVersion, kind).catch((err) => {
                if (err instanceof errors/* ClusterUnreachableError */.hy)
                    throw err;
                return undefined;
            });
            if (!resource?.namespaced)
                return undefined;
            const wanted = new Set(namespaces);
            const byNs = new Map(namespaces.map((ns) => [ns, new Map()]));
            try {
                await this.client.listEach(resource, undefined, (o) => {
                    const ns = o.metadata.namespace ?? '';
                    if (wanted.has(ns))
                        byNs.get(ns).set(o.metadata.name ?? '', o);
                });
            }
            catch (err) {
                if (err instanceof errors/* ClusterUnreachableError */.hy)
                    throw err;
                return undefined;
            }
            this.wideResources.set(`${apiVersion}|${kind}`, resource);
            return byNs;
        })();
        for (const ns of namespaces) {
            const key = `${apiVersion}|${kind}|${ns}`;
            if (this.lists.has(key))
                continue;
            this.lists.set(key, wide.then((byNs) => {
                const resource = this.wideResources.get(`${apiVersion}|${kind}`);
                if (!byNs || !resource)
                    return this.fetch(apiVersion, kind, ns, declared.get(ns) ?? 0);
                return { items: byNs.get(ns), namespaced: true, resource };
            }));
        }
    }
    wideResources = new Map();
    /** Forget the lists kept so far: later visits list again. */
    release() {
        this.lists.clear();
    }
    /**
     * Visit every live object of a kind in these namespaces (or everywhere, for `undefined`)
     * without keeping them: the kept lists where the comparison read them, one cluster-wide list
     * for many namespaces where the account may, else one list per namespace. Resolves to the
     * namespaces that could not be read.
     */
    async eachIn(apiVersion, kind, namespaces, visit) {
        const kept = namespaces.every((ns) => this.lists.has(`${apiVersion}|${kind}|${ns ?? '*'}`));
        if (!kept && namespaces.length >= this.wideFrom && namespaces.every((ns) => ns !== undefined)) {
            const resource = await this.resource(apiVersion, kind, 0);
            if (resource === null)
                return [...namespaces];
            if (!resource?.namespaced)
                return [];
            const wanted = new Set(namespaces);
            let seen = 0;
            try {
                await this.client.listEach(resource, undefined, (o) => {
                    seen++;
                    if (o.metadata.namespace !== undefined && wanted.has(o.metadata.namespace))
                        visit(o);
                });
                return [];
            }
            catch (err) {
                if (err instanceof errors/* ClusterUnreachableError */.hy)
                    throw err;
                // Refused cluster-wide (RBAC by namespace): list each namespace instead. A list that broke
                // off midway is not started again namespace by namespace: its objects were seen already.
                if (seen > 0) {
                    this.listError(err, resource, undefined);
                    return [undefined];
                }
            }
        }
        const failed = [];
        await Promise.all(namespaces.map(async (ns) => {
            if (!(await this.each(apiVersion, kind, ns, visit)))
                failed.push(ns);
        }));
        return failed.sort();
    }
    /**
     * Visit every live object of a kind in a namespace (or everywhere) without keeping them, or
     * the kept list when the comparison already read it. False when they could not be read; a kind
     * the cluster does not serve has nothing to visit.
     */
    async each(apiVersion, kind, namespace, visit) {
        const kept = this.lists.get(`${apiVersion}|${kind}|${namespace ?? '*'}`);
        if (kept) {
            const live = await kept;
            if (live)
                for (const obj of live.items.values())
                    visit(obj);
            return live !== undefined;
        }
        const resource = await this.resource(apiVersion, kind, 0);
        if (resource === null)
            return false;
        // Not served, or cluster-scoped where a namespace's objects are asked for: nothing to visit.
        if (!resource || (!resource.namespaced && namespace !== undefined))
            return true;
        const ns = namespace;
        try {
            await this.client.listEach(resource, ns, (obj) => {
                if (!ns || obj.metadata.namespace === ns)
                    visit(obj);
            });
            return true;
        }
        catch (err) {
            this.listError(err, resource, ns);
            return false;
        }
    }
    /** The resource of a kind; undefined when not served (reported if Git declares some), null when discovery failed. */
    async resource(apiVersion, kind, declared) {
        let resource;
        try {
            resource = await this.client.resource(apiVersion, kind);
        }
        catch (err) {
            if (err instanceof errors/* ClusterUnreachableError */.hy)
                throw err;
            this.error(`${apiVersion} ${kind}`, `discovery of ${apiVersion} failed: ${err.message}`);
            return null;
        }
        if (!resource && declared > 0) {
            this.error(`${apiVersion} ${kind}`, `${kind} (${apiVersion}) is not served by this cluster: ${plural(declared, 'object')} in Git not compared`);
        }
        return resource;
    }
    async fetch(apiVersion, kind, namespace, declared) {
        const resource = await this.resource(apiVersion, kind, declared);
        if (!resource)
            return undefined;
        // A cluster-scoped kind is one collection, whatever namespace its objects were grouped under.
        if (!resource.namespaced && namespace !== undefined)
            return this.list(apiVersion, kind, undefined, declared);
        const ns = namespace;
        try {
            const { items } = await this.client.list(resource, ns);
            // By name within one namespace (or for cluster-scoped kinds); by namespace/name across all.
            const keyOf = (o) => resource.namespaced && !ns ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? '');
            const kept = items.filter((o) => !ns || o.metadata.namespace === ns);
            return { items: new Map(kept.map((o) => [keyOf(o), o])), namespaced: resource.namespaced, resource };
        }
        catch (err) {
            this.listError(err, resource, ns);
            return undefined;
        }
    }
    listError(err, resource, ns) {
        if (err instanceof errors/* ClusterUnreachableError */.hy)
            throw err;
        const where = ns ? ` in namespace ${ns}` : resource.namespaced ? ' in all namespaces' : '';
        const scope = `${resource.apiVersion} ${resource.kind}${ns ? ` in ${ns}` : ''}`;
        if (err instanceof errors/* KubeApiError */.W3 && err.status === 403) {
            this.error(scope, `forbidden: cannot list ${resource.plural}${where}; grant get and list on it ` +
                `(examples/in-cluster/rbac.yaml has a read-only ClusterRole) (${err.message})`);
        }
        else {
            this.error(scope, `cannot list ${resource.plural}${where}: ${err.message}`);
        }
    }
    error(scope, message) {
        if (this.reported.has(message))
            return;
        this.reported.add(message);
        this.errors.push({ scope, message });
    }
}
function fail(result, err, started) {
    const context = result.context && result.context !== 'in-cluster' ? ` (context "${result.context}")` : '';
    let message;
    if (err instanceof errors/* KubeAuthError */.iu) {
        message =
            `${err.message}${context}: the token may have expired, or the kubeconfig may be for another ` +
                'cluster; check the kubeconfig and its context (inside a pod: the service account and its token)';
    }
    else if (err instanceof errors/* DeadlineError */.j3) {
        message = `${err.message}; raise drift.deadlineSeconds (--timeout) if the cluster is only large`;
    }
    else if (err instanceof errors/* ClusterUnreachableError */.hy && /did not answer/.test(err.message)) {
        message = `${err.message}; raise drift.requestTimeoutSeconds (--request-timeout) if it is only slow`;
    }
    else if (err instanceof errors/* ClusterUnreachableError */.hy || err instanceof errors/* KubeConfigError */.U7) {
        message = err.message;
    }
    else {
        message = `drift run failed: ${err.message.split('\n')[0]}`;
    }
    result.fatal = message;
    result.report.errors.push({ message });
    result.report.coverage = { status: 'none', notCompared: ['the cluster (not read)'] };
    result.stats.millis = Date.now() - started;
    return result;
}
function sortReport(report) {
    const byObject = (a, b) => (0,types/* refKey */.XF)(a.object).localeCompare((0,types/* refKey */.XF)(b.object));
    // Stable sorts keep each object's fields in the order they were walked (the manifest's order).
    report.drift.sort(byObject);
    report.missing.sort(byObject);
    report.orphans?.sort(byObject);
    report.images.sort((a, b) => byObject(a, b) || a.container.localeCompare(b.container) || a.kind.localeCompare(b.kind));
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}


/***/ }),

/***/ 2474:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TX: () => (/* binding */ isNetworkError),
/* harmony export */   U7: () => (/* binding */ KubeConfigError),
/* harmony export */   W3: () => (/* binding */ KubeApiError),
/* harmony export */   d8: () => (/* binding */ networkReason),
/* harmony export */   hy: () => (/* binding */ ClusterUnreachableError),
/* harmony export */   iu: () => (/* binding */ KubeAuthError),
/* harmony export */   j3: () => (/* binding */ DeadlineError)
/* harmony export */ });
/**
 * Failures of the cluster side, as values the drift job can report: a forbidden kind is one line
 * in the report and the run goes on; an unreachable cluster is one line and the run stops.
 */
/** The API server answered with an error status. */
class KubeApiError extends Error {
    status;
    path;
    /** On 410 Gone during a list: the fresh continue token the server offered, if any. */
    continueToken;
    /** On 429 and 503: how long the server asked us to wait (Retry-After), if it said. */
    retryAfterMs;
    constructor(status, path, message) {
        super(message);
        this.status = status;
        this.path = path;
        this.name = 'KubeApiError';
    }
}
/** No answer at all: DNS, refused connection, TLS, timeout. Stops the run with one clear line. */
class ClusterUnreachableError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ClusterUnreachableError';
    }
}
/**
 * The API server refused the credentials (401): an expired token, a kubeconfig for another
 * cluster. Nothing can be read with them, so the run stops with one line.
 */
class KubeAuthError extends ClusterUnreachableError {
    constructor(message) {
        super(message);
        this.name = 'KubeAuthError';
    }
}
/** The run's overall deadline passed: it stops with one line rather than hang. */
class DeadlineError extends ClusterUnreachableError {
    constructor(message) {
        super(message);
        this.name = 'DeadlineError';
    }
}
/** The kubeconfig (or its absence) does not lead to a cluster. */
class KubeConfigError extends Error {
    constructor(message) {
        super(message);
        this.name = 'KubeConfigError';
    }
}
const NETWORK_CODES = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host lookup failed',
    ETIMEDOUT: 'timed out',
    ESOCKETTIMEDOUT: 'no answer in time',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate not trusted',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS: certificate chain not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not trusted',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not name this host',
    CERT_HAS_EXPIRED: 'TLS: certificate expired',
};
/** A one-line reason for a low-level error, without a stack. */
function networkReason(err) {
    const code = err?.code;
    if (code && NETWORK_CODES[code])
        return NETWORK_CODES[code];
    const message = err instanceof Error ? err.message : String(err);
    return message.split('\n')[0];
}
function isNetworkError(err) {
    return (err instanceof Error &&
        !(err instanceof KubeApiError) &&
        typeof err.code === 'string');
}


/***/ }),

/***/ 1301:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AF: () => (/* binding */ driftHeadline),
/* harmony export */   As: () => (/* binding */ isComplete),
/* harmony export */   WF: () => (/* binding */ renderDriftJson),
/* harmony export */   Zd: () => (/* binding */ isDriftFormat),
/* harmony export */   Zk: () => (/* binding */ driftVerdict),
/* harmony export */   b9: () => (/* binding */ renderDriftMarkdown),
/* harmony export */   fW: () => (/* binding */ DRIFT_FORMATS),
/* harmony export */   iI: () => (/* binding */ renderDrift),
/* harmony export */   uL: () => (/* binding */ hasDrift)
/* harmony export */ });
/* unused harmony exports MANAGER_NOTE, listsNote, renderDriftText */
/* harmony import */ var _model_collections_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(412);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3356);


/**
 * Drift reports: text for the terminal, JSON (the stable contract), Markdown for the job summary
 * and the drift issue. Values are already redacted by the comparison (secrets show as sizes).
 */
const DRIFT_FORMATS = ['text', 'json', 'markdown'];
function isDriftFormat(value) {
    return DRIFT_FORMATS.includes(value);
}
const MANAGER_NOTE = 'A manager is the name a client gives itself (kubectl-edit, helm, a dashboard), not a person: ' +
    "the cluster's audit log says who ran it.";
function renderDrift(format, report, options = {}) {
    if (format === 'json')
        return renderDriftJson(report);
    if (format === 'markdown')
        return renderDriftMarkdown(report);
    return renderDriftText(report, options);
}
/** `{version, drift, missing, orphans (when looked for), images, errors, coverage}`. */
function renderDriftJson(report) {
    const { version, drift, missing, orphans, images, errors, coverage } = report;
    return `${JSON.stringify({ version, drift, missing, orphans, images, errors, coverage }, null, 2)}\n`;
}
/**
 * Whether the run found something to act on: drifted fields, missing objects, objects Git does
 * not know (when looked for), or an image issue other than a missing digest pin (which the
 * checklist already reports on Git's side).
 */
function hasDrift(report) {
    return (report.drift.length > 0 ||
        report.missing.length > 0 ||
        (report.orphans?.length ?? 0) > 0 ||
        report.images.some((i) => i.kind !== 'not-pinned'));
}
/** Everything Git declares was rendered and every collection in scope read. */
function isComplete(report) {
    return (report.coverage?.status ?? 'complete') === 'complete';
}
/**
 * What the run can say: `drift` (found, whatever could not be read), `clean` (nothing found and
 * everything read), or `unknown` (nothing found in what could be read, which is not clean).
 */
function driftVerdict(report) {
    if (hasDrift(report))
        return 'drift';
    return isComplete(report) ? 'clean' : 'unknown';
}
function driftHeadline(report) {
    const objects = new Set(report.drift.map((d) => (0,_model_types_js__WEBPACK_IMPORTED_MODULE_0__/* .refKey */ .XF)(d.object))).size;
    const parts = [
        `${plural(report.drift.length, 'drifted field')} in ${plural(objects, 'object')}`,
        `${report.missing.length} missing`,
    ];
    if (report.orphans)
        parts.push(`${report.orphans.length} not in Git`);
    parts.push(plural(report.images.length, 'image issue'));
    if (report.errors.length)
        parts.push(plural(report.errors.length, 'error'));
    const where = report.cluster ? ` in ${report.cluster}` : '';
    const coverage = report.coverage;
    if (coverage?.status === 'none')
        return `Not compared${where}: nothing could be read from the cluster (${notComparedList(coverage)}); this is not a clean result`;
    const partial = coverage?.status === 'partial'
        ? `partial, ${plural(coverage.notCompared.length, 'part')} not compared`
        : '';
    if (hasDrift(report))
        return `Drift${where}${partial ? ` (${partial})` : ''}: ${parts.join(', ')}`;
    if (coverage?.status === 'partial')
        return `Partial result${where}: no drift in what was compared, but ${notComparedList(coverage)} could not be compared`;
    return `No drift${where}: the cluster matches Git`;
}
/** The first few of what was not compared, for a headline. */
function notComparedList(coverage) {
    const shown = coverage.notCompared.slice(0, 3);
    const more = coverage.notCompared.length - shown.length;
    return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}` || 'nothing';
}
/** The word on how lists were compared: the API server's own description, or the built-in table. */
function listsNote(coverage) {
    if (!coverage?.lists)
        return undefined;
    if (coverage.lists === 'openapi-v3')
        return "Lists were paired the way the API server's OpenAPI v3 says they merge.";
    const why = coverage.listsNote ? ` (${coverage.listsNote})` : '';
    return coverage.lists === 'mixed'
        ? `Lists were paired by the API server's OpenAPI v3 where it describes them, else by shipshape's built-in table${why}.`
        : `Lists were paired by shipshape's built-in table, not the API server's OpenAPI v3${why}.`;
}
function renderDriftText(report, options = {}) {
    const paint = options.color ? (c, t) => `\u001b[${c}m${t}\u001b[0m` : (_, t) => t;
    const out = [paint(1, driftHeadline(report)), ''];
    const byObject = new Map();
    for (const d of report.drift)
        (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_1__/* .pushTo */ .I)(byObject, (0,_model_types_js__WEBPACK_IMPORTED_MODULE_0__/* .refKey */ .XF)(d.object), d);
    for (const items of byObject.values()) {
        out.push(paint(1, name(items[0].object)));
        for (const d of items)
            out.push(...textItem(d, paint));
        out.push('');
    }
    if (report.missing.length) {
        out.push(paint(1, 'Missing: declared in Git, absent from the cluster'));
        for (const m of report.missing)
            out.push(`  ${name(m.object)}${m.source ? `  (${m.source})` : ''}`);
        out.push('');
    }
    if (report.orphans?.length) {
        out.push(paint(1, 'Not in Git: live objects no target declares and no controller owns'));
        for (const o of report.orphans)
            out.push(`  ${name(o.object)}  ${created(o)}`);
        out.push('');
    }
    if (report.images.length) {
        out.push(paint(1, 'Images'));
        for (const i of report.images)
            out.push(`  ${name(i.object)} [${i.container}] ${paint(33, i.kind)}: ${i.message}${by(i)}`);
        out.push('');
    }
    if (report.errors.length) {
        out.push(paint(1, 'Errors'));
        for (const e of report.errors)
            out.push(`  ${paint(31, 'error')}  ${e.message}`);
        out.push('');
    }
    if (report.coverage && report.coverage.status !== 'complete') {
        out.push(paint(1, 'Not compared'));
        for (const n of report.coverage.notCompared)
            out.push(`  ${n}`);
        out.push('');
    }
    if (report.drift.length || report.images.some((i) => i.manager) || report.orphans?.length)
        out.push(paint(2, MANAGER_NOTE));
    const lists = listsNote(report.coverage);
    if (lists)
        out.push(paint(2, lists));
    return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
function created(o) {
    if (!o.manager)
        return 'created by: unknown (no field manager recorded it)';
    return `created by manager ${o.manager}${o.operation ? ` (${o.operation})` : ''}${o.time ? ` at ${o.time}` : ''}`;
}
const TYPE_COLOR = { changed: 33, added: 35, removed: 31 };
function textItem(d, paint) {
    const lines = [
        `  ${paint(TYPE_COLOR[d.type], d.type.padEnd(8))} ${d.path}${d.source ? `  (${d.source})` : ''}`,
    ];
    const pad = ' '.repeat(11);
    if (d.type === 'changed')
        lines.push(`${pad}Git: ${show(d.desired)}  live: ${show(d.live)}`);
    else if (d.type === 'added')
        lines.push(`${pad}live: ${show(d.live)}`);
    else
        lines.push(`${pad}Git: ${show(d.desired)}`);
    lines.push(`${pad}${attribution(d)}`);
    return lines;
}
function attribution(d) {
    if (!d.manager)
        return 'by: unknown (no field manager recorded it)';
    const how = [d.operation, d.subresource ? `subresource ${d.subresource}` : ''].filter(Boolean).join(', ');
    // Writes through /scale carry no time: say so rather than leave the reader guessing.
    return `by manager ${d.manager}${how ? ` (${how})` : ''}${d.time ? ` at ${d.time}` : ', time not recorded'}`;
}
function by(i) {
    return i.manager ? ` (image set by manager ${i.manager}${i.time ? ` at ${i.time}` : ''})` : '';
}
// ---------------------------------------------------------------------------------------------
// Markdown
function renderDriftMarkdown(report, options = {}) {
    const out = [
        `## ${options.title ?? 'shipshape drift'}`,
        '',
        `**${escapeCell(options.headline ?? driftHeadline(report))}.**`,
    ];
    if (report.drift.length) {
        out.push('', '| Object | Change | Field | Git | Live | Manager | When | Declared in |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
        for (const d of report.drift) {
            const how = [d.operation, d.subresource].filter(Boolean).join(', ');
            out.push(row([
                name(d.object),
                d.type,
                code(d.path),
                d.type === 'added' ? '' : code(show(d.desired)),
                d.type === 'removed' ? '' : code(show(d.live)),
                d.manager ? `${code(d.manager)}${how ? ` (${how})` : ''}` : 'unknown',
                d.time ?? '',
                d.source ? code(d.source) : '',
            ]));
        }
    }
    if (report.missing.length) {
        out.push('', '### Missing from the cluster', '', ...report.missing.map((m) => missingLine(m)));
    }
    if (report.orphans?.length) {
        out.push('', '### Not in Git', '', 'Live objects no target declares and no controller owns.', '', '| Object | Created by | When |', '| --- | --- | --- |', ...report.orphans.map((o) => row([
            name(o.object),
            o.manager ? `${code(o.manager)}${o.operation ? ` (${o.operation})` : ''}` : 'unknown',
            o.time ?? '',
        ])));
    }
    if (report.images.length) {
        out.push('', '### Images', '', '| Object | Container | Issue | Detail | Set by |', '| --- | --- | --- | --- | --- |');
        for (const i of report.images) {
            out.push(row([
                name(i.object),
                code(i.container),
                i.kind,
                escapeCell(i.message),
                i.manager ? `${code(i.manager)} ${i.time ?? ''}` : '',
            ]));
        }
    }
    if (report.errors.length)
        out.push('', '### Errors', '', ...report.errors.map((e) => `- ${escapeCell(e.message)}`));
    if (report.coverage && report.coverage.status !== 'complete')
        out.push('', '### Not compared', '', ...report.coverage.notCompared.map((n) => `- ${escapeCell(n)}`));
    const notes = [
        report.drift.length || report.images.some((i) => i.manager) || report.orphans?.length ? MANAGER_NOTE : '',
        listsNote(report.coverage) ?? '',
    ].filter(Boolean);
    if (notes.length)
        out.push('', `<sub>${notes.map(escapeCell).join(' ')}</sub>`);
    return `${out.join('\n')}\n`;
}
function missingLine(m) {
    return `- ${name(m.object)}${m.source ? ` (declared in ${code(m.source)})` : ''}`;
}
// ---------------------------------------------------------------------------------------------
function name(ref) {
    return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}
function show(value) {
    if (value === null || value === undefined)
        return '(absent)';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function code(text) {
    return `\`${text.replaceAll('`', "'").replaceAll('|', '\\|')}\``;
}
function escapeCell(text) {
    return text.replaceAll('|', '\\|').replaceAll('<', '&lt;');
}
function row(cells) {
    return `| ${cells.map((c) => c.replaceAll('\n', ' ')).join(' | ')} |`;
}


/***/ })

};
