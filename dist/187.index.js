export const id = 187;
export const ids = [187];
export const modules = {

/***/ 3568:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runDrift: () => (/* binding */ runDrift)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 16 modules
var core = __webpack_require__(8179);
// EXTERNAL MODULE: ./lib/config.js + 2 modules
var lib_config = __webpack_require__(9837);
// EXTERNAL MODULE: ./lib/github/client.js + 23 modules
var client = __webpack_require__(1053);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
;// CONCATENATED MODULE: ./lib/report/drift.js


/**
 * Drift reports: text for the terminal, JSON (the stable contract), Markdown for the job summary
 * and the drift issue. Values are already redacted by the comparison (secrets show as sizes).
 */
const DRIFT_FORMATS = (/* unused pure expression or super */ null && (['text', 'json', 'markdown']));
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
/** Exactly `{version, drift, missing, images, errors}`. */
function renderDriftJson(report) {
    const { version, drift, missing, images, errors } = report;
    return `${JSON.stringify({ version, drift, missing, images, errors }, null, 2)}\n`;
}
/**
 * Whether the run found something to act on: drifted fields, missing objects, or an image issue
 * other than a missing digest pin (which the checklist already reports on Git's side).
 */
function hasDrift(report) {
    return (report.drift.length > 0 || report.missing.length > 0 || report.images.some((i) => i.kind !== 'not-pinned'));
}
function driftHeadline(report) {
    const objects = new Set(report.drift.map((d) => (0,types/* refKey */.XF)(d.object))).size;
    const parts = [
        `${plural(report.drift.length, 'drifted field')} in ${plural(objects, 'object')}`,
        `${report.missing.length} missing`,
        plural(report.images.length, 'image issue'),
    ];
    if (report.errors.length)
        parts.push(plural(report.errors.length, 'error'));
    const where = report.cluster ? ` in ${report.cluster}` : '';
    return hasDrift(report)
        ? `Drift${where}: ${parts.join(', ')}`
        : `No drift${where}: the cluster matches Git`;
}
function renderDriftText(report, options = {}) {
    const paint = options.color ? (c, t) => `\u001b[${c}m${t}\u001b[0m` : (_, t) => t;
    const out = [paint(1, driftHeadline(report)), ''];
    const byObject = new Map();
    for (const d of report.drift)
        pushTo(byObject, refKey(d.object), d);
    for (const items of byObject.values()) {
        out.push(paint(1, drift_name(items[0].object)));
        for (const d of items)
            out.push(...textItem(d, paint));
        out.push('');
    }
    if (report.missing.length) {
        out.push(paint(1, 'Missing: declared in Git, absent from the cluster'));
        for (const m of report.missing)
            out.push(`  ${drift_name(m.object)}${m.source ? `  (${m.source})` : ''}`);
        out.push('');
    }
    if (report.images.length) {
        out.push(paint(1, 'Images'));
        for (const i of report.images)
            out.push(`  ${drift_name(i.object)} [${i.container}] ${paint(33, i.kind)}: ${i.message}${by(i)}`);
        out.push('');
    }
    if (report.errors.length) {
        out.push(paint(1, 'Errors'));
        for (const e of report.errors)
            out.push(`  ${paint(31, 'error')}  ${e.message}`);
        out.push('');
    }
    if (report.drift.length || report.images.some((i) => i.manager))
        out.push(paint(2, MANAGER_NOTE));
    return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
const TYPE_COLOR = { changed: 33, added: 35, removed: 31 };
function textItem(d, paint) {
    const lines = [`  ${paint(TYPE_COLOR[d.type], d.type.padEnd(8))} ${d.path}`];
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
    const out = [`## ${options.title ?? 'shipshape drift'}`, '', `**${driftHeadline(report)}.**`];
    if (report.drift.length) {
        out.push('', '| Object | Change | Field | Git | Live | Manager | When |', '| --- | --- | --- | --- | --- | --- | --- |');
        for (const d of report.drift) {
            const how = [d.operation, d.subresource].filter(Boolean).join(', ');
            out.push(row([
                drift_name(d.object),
                d.type,
                code(d.path),
                d.type === 'added' ? '' : code(show(d.desired)),
                d.type === 'removed' ? '' : code(show(d.live)),
                d.manager ? `${code(d.manager)}${how ? ` (${how})` : ''}` : 'unknown',
                d.time ?? '',
            ]));
        }
    }
    if (report.missing.length) {
        out.push('', '### Missing from the cluster', '', ...report.missing.map((m) => missingLine(m)));
    }
    if (report.images.length) {
        out.push('', '### Images', '', '| Object | Container | Issue | Detail | Set by |', '| --- | --- | --- | --- | --- |');
        for (const i of report.images) {
            out.push(row([
                drift_name(i.object),
                code(i.container),
                i.kind,
                escapeCell(i.message),
                i.manager ? `${code(i.manager)} ${i.time ?? ''}` : '',
            ]));
        }
    }
    if (report.errors.length)
        out.push('', '### Errors', '', ...report.errors.map((e) => `- ${escapeCell(e.message)}`));
    if (report.drift.length || report.images.some((i) => i.manager))
        out.push('', `<sub>${MANAGER_NOTE}</sub>`);
    return `${out.join('\n')}\n`;
}
function missingLine(m) {
    return `- ${drift_name(m.object)}${m.source ? ` (declared in ${code(m.source)})` : ''}`;
}
// ---------------------------------------------------------------------------------------------
function drift_name(ref) {
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

;// CONCATENATED MODULE: ./lib/github/drift-issue.js

/**
 * One GitHub issue per cluster for drift: found again by a hidden marker and a label, created
 * when drift appears, updated in place while it lasts, closed with a comment once it is gone.
 */
const DRIFT_LABEL = 'shipshape-drift';
/** GitHub's limit for an issue body is 65,536 characters; keep room for the marker and the note. */
const BODY_LIMIT = 65_000;
function driftMarker(cluster) {
    return `<!-- shipshape:drift cluster=${encodeURIComponent(cluster)} -->`;
}
async function syncDriftIssue(session, report, options) {
    const label = options.label ?? DRIFT_LABEL;
    const marker = driftMarker(options.cluster);
    const { owner, repo } = session.repo;
    const open = await findOpenIssue(session, label, marker);
    if (open === null)
        return { action: 'failed' };
    if (!hasDrift(report)) {
        if (!open)
            return { action: 'none' };
        const when = (options.now ?? new Date()).toISOString();
        const run = options.runUrl ? ` ([run](${options.runUrl}))` : '';
        await session.call('comment on the drift issue', (gh) => gh.rest.issues.createComment({
            owner,
            repo,
            issue_number: open.number,
            body: `No drift in \`${options.cluster}\` any more as of ${when}${run}: the cluster matches Git. Closing.`,
        }));
        const closed = await session.call('close the drift issue', (gh) => gh.rest.issues.update({
            owner,
            repo,
            issue_number: open.number,
            state: 'closed',
            state_reason: 'completed',
        }));
        return closed ? { action: 'closed', number: open.number, url: open.html_url } : { action: 'failed' };
    }
    const body = issueBody(report, options, marker);
    if (open) {
        if (open.body === body)
            return { action: 'unchanged', number: open.number, url: open.html_url };
        const updated = await session.call('update the drift issue', (gh) => gh.rest.issues.update({ owner, repo, issue_number: open.number, body }));
        return updated ? { action: 'updated', number: open.number, url: open.html_url } : { action: 'failed' };
    }
    const created = await session.call('create the drift issue', (gh) => gh.rest.issues.create({
        owner,
        repo,
        title: `Drift in cluster ${options.cluster}`,
        body,
        labels: [label],
    }));
    return created
        ? { action: 'created', number: created.data.number, url: created.data.html_url }
        : { action: 'failed' };
}
/** The open issue with our label and this cluster's marker; undefined if none, null if GitHub failed. */
async function findOpenIssue(session, label, marker) {
    const { owner, repo } = session.repo;
    const issues = await session.call('list drift issues', (gh) => gh.paginate(gh.rest.issues.listForRepo, { owner, repo, state: 'open', labels: label, per_page: 100 }));
    if (!issues)
        return null;
    const found = issues.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
    return found ? { number: found.number, body: found.body ?? '', html_url: found.html_url } : undefined;
}
/**
 * The issue body: the Markdown report, cut at a line boundary under GitHub's limit. Stable for the
 * same drift (no run time inside) so that an unchanged issue is not rewritten every schedule.
 */
function issueBody(report, options, marker = driftMarker(options.cluster)) {
    let text = renderDriftMarkdown({ ...report, cluster: options.cluster }, { title: `Drift in cluster ${options.cluster}` });
    if (options.runUrl)
        text += `\nLatest run: ${options.runUrl}\n`;
    if (text.length > BODY_LIMIT) {
        const cut = text.lastIndexOf('\n', BODY_LIMIT - 200);
        text = `${text.slice(0, cut)}\n\n… truncated: the full report is in the run's job summary and JSON output.\n`;
    }
    return `${marker}\n${text}`;
}

// EXTERNAL MODULE: ./lib/model/path.js
var model_path = __webpack_require__(3070);
;// CONCATENATED MODULE: ./lib/drift/normalize.js

const DECIMAL_SUFFIX = {
    n: -9,
    u: -6,
    m: -3,
    '': 0,
    k: 3,
    M: 6,
    G: 9,
    T: 12,
    P: 15,
    E: 18,
};
const BINARY_SUFFIX = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;
/** Parse a Kubernetes resource quantity (`250m`, `1.5Gi`, `1e3`, `2`); undefined if it is not one. */
function parseQuantity(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) ? parseQuantity(String(value)) : undefined;
    if (typeof value !== 'string')
        return undefined;
    const m = QUANTITY.exec(value.trim());
    if (!m)
        return undefined;
    const [, sign, digits, exponent, suffix = ''] = m;
    const [whole, frac = ''] = digits.split('.');
    let num = BigInt(`${whole || '0'}${frac}`) * (sign === '-' ? -1n : 1n);
    let den = 10n ** BigInt(frac.length);
    let power10 = exponent ? Number(exponent.slice(1)) : (DECIMAL_SUFFIX[suffix] ?? 0);
    if (suffix in BINARY_SUFFIX) {
        num *= 2n ** BigInt(BINARY_SUFFIX[suffix]);
        power10 = 0;
    }
    if (power10 >= 0)
        num *= 10n ** BigInt(power10);
    else
        den *= 10n ** BigInt(-power10);
    return { num, den };
}
function quantitiesEqual(a, b) {
    const x = parseQuantity(a);
    const y = parseQuantity(b);
    return x !== undefined && y !== undefined && x.num * y.den === y.num * x.den;
}
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
    if (isQuantityPath(segments) && quantitiesEqual(desired, live))
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

;// CONCATENATED MODULE: ./lib/drift/fields-v1.js

function decodeFieldsV1(fields, live) {
    const out = [];
    if ((0,types/* isRecord */.u4)(fields))
        walk(fields, live, [], out);
    return out;
}
function walk(trie, node, prefix, out) {
    for (const [key, child] of Object.entries(trie)) {
        if (key === '.') {
            if (prefix.length > 0)
                out.push({ segments: [...prefix], leaf: false });
            continue;
        }
        if (!(0,types/* isRecord */.u4)(child))
            continue;
        const step = resolveStep(key, node);
        if (step === undefined)
            continue;
        const segments = [...prefix, step];
        const next = typeof step === 'number' ? node[step] : (0,types/* isRecord */.u4)(node) ? node[step] : undefined;
        if (Object.keys(child).length === 0)
            out.push({ segments, leaf: true });
        else
            walk(child, next, segments, out);
    }
}
/** One trie key -> a map key or a live list index; undefined when it does not apply. */
function resolveStep(key, node) {
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
        const index = node.findIndex((item) => matchesKeys(item, parsed));
        return index >= 0 ? index : undefined;
    }
    if (kind === 'v') {
        const index = node.findIndex((item) => sameJson(item, parsed));
        return index >= 0 ? index : undefined;
    }
    return undefined;
}
function matchesKeys(item, keys) {
    if (!(0,types/* isRecord */.u4)(item))
        return false;
    return Object.entries(keys).every(([k, v]) => sameJson(item[k], v));
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
function ownershipOf(live) {
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
        for (const owned of decodeFieldsV1(raw.fieldsV1, live)) {
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

// EXTERNAL MODULE: ./lib/drift/policy.js
var policy = __webpack_require__(5385);
;// CONCATENATED MODULE: ./lib/drift/redact.js


/**
 * Secret values never leave the process. A Secret's data, and env values whose names look secret,
 * are shown as `<secret: N bytes>`: whether and how much they changed, never what they say.
 */
const SECRETISH = /pass|secret|token|key|credential|pwd|auth|cert|private|session|cookie|dsn/i;
function looksSecretName(name) {
    return SECRETISH.test(name);
}
function secretPlaceholder(value, base64 = false) {
    const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
    const bytes = base64 ? Buffer.from(text, 'base64').length : Buffer.byteLength(text, 'utf8');
    return `<secret: ${bytes} bytes>`;
}
/**
 * The value at `segments` of an object of `kind`, made safe to print. `root` is the object the
 * segments walk, used to find the name of an env item.
 */
function redactValue(kind, root, segments, value) {
    if (value === undefined || value === null)
        return value ?? null;
    if (kind === 'Secret' && (segments[0] === 'data' || segments[0] === 'stringData')) {
        const base64 = segments[0] === 'data';
        if (segments.length === 1 && (0,types/* isRecord */.u4)(value)) {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretPlaceholder(v, base64)]));
        }
        return secretPlaceholder(value, base64);
    }
    return redactEnv(root, segments, value);
}
/** Env items (`{name, value}`) and lists of them, at any depth of the value. */
function redactEnv(root, segments, value) {
    // The value is an env item's `value` field: look at the item's name.
    if (segments[segments.length - 1] === 'value' && segments[segments.length - 3] === 'env') {
        const item = (0,model_path/* getAt */.sM)(root, segments.slice(0, -1));
        if ((0,types/* isRecord */.u4)(item) && typeof item.name === 'string' && looksSecretName(item.name)) {
            return secretPlaceholder(value);
        }
        return value;
    }
    return scrub(value);
}
function scrub(value) {
    if (Array.isArray(value))
        return value.map(scrub);
    if (!(0,types/* isRecord */.u4)(value))
        return value;
    const out = {};
    for (const [k, v] of Object.entries(value)) {
        out[k] =
            k === 'value' && typeof value.name === 'string' && looksSecretName(value.name)
                ? secretPlaceholder(v)
                : scrub(v);
    }
    return out;
}

;// CONCATENATED MODULE: ./lib/drift/compare.js






function compareObject(desired, live, policy) {
    const want = comparable(desired);
    const ref = (0,types/* refOf */.H8)(desired);
    if (!ref.namespace && live.metadata?.namespace)
        ref.namespace = live.metadata.namespace;
    const w = { want, live, ref, own: ownershipOf(live), policy, out: [] };
    for (const [key, value] of Object.entries(want))
        walkDeclared(w, value, live[key], [key], [key]);
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
function walkDeclared(w, want, live, ws, ls) {
    const path = (0,model_path/* formatPath */.jV)(w.want, ws);
    if ((0,policy/* isIgnored */.pi)(path, w.policy) || isEmptyValue(want))
        return;
    if (live === undefined || live === null) {
        report(w, 'removed', ws, ls.slice(0, -1), want, undefined);
        return;
    }
    if ((0,types/* isRecord */.u4)(want)) {
        if (!(0,types/* isRecord */.u4)(live))
            report(w, 'changed', ws, ls, want, live);
        else
            for (const [k, v] of Object.entries(want))
                walkDeclared(w, v, live[k], [...ws, k], [...ls, k]);
    }
    else if (Array.isArray(want)) {
        walkList(w, want, live, ws, ls);
    }
    else if (!scalarsEqual(want, live, ls)) {
        report(w, 'changed', ws, ls, want, live);
    }
}
/** Keyed lists (containers, env, ports, ...) pair items by key, whatever their order. */
function walkList(w, want, live, ws, ls) {
    const field = String(ws[ws.length - 1]);
    const keys = want.map((item) => (0,model_path/* mergeKeyOf */.dh)(field, item));
    const keyed = keys.every((k) => k !== undefined);
    if (!keyed || !Array.isArray(live)) {
        if (!subsetEqual(want, live, ls))
            report(w, 'changed', ws, ls, want, live);
        return;
    }
    want.forEach((item, i) => {
        const key = keys[i];
        const j = live.findIndex((l) => {
            const v = (0,types/* isRecord */.u4)(l) ? (0,model_path/* getAt */.sM)(l, key.key.split('.')) : undefined;
            return v !== undefined && String(v) === key.value;
        });
        if (j < 0)
            report(w, 'removed', [...ws, i], ls, item, undefined);
        else
            walkDeclared(w, item, live[j], [...ws, i], [...ls, j]);
    });
}
/**
 * Report a changed or removed field. `ls` is the live path of the field (changed) or of its
 * nearest live parent (removed), which is where ownership is looked up.
 */
function report(w, type, ws, ls, want, live) {
    const path = (0,model_path/* formatPath */.jV)(w.want, ws);
    const owners = w.own.nearestOwners(ls);
    // A controller allowed to own the field (an HPA on replicas) makes the difference legitimate.
    if (owners.some((e) => (0,policy/* controllerMayOwn */.ko)(e, path, w.policy)))
        return;
    const foreign = owners.filter((e) => !(0,policy/* isDeployer */.$X)(e, w.policy));
    let who = newest(foreign) ?? newest(owners);
    // Nobody owns a removed field any more: the newest non-deployer writer of the object is the lead.
    if (type === 'removed')
        who = newest(foreign) ?? newestForeignWriter(w);
    push(w, type, path, redactValue(w.ref.kind, w.want, ws, want), redact(w, ls, live), who);
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
        const path = (0,model_path/* formatPath */.jV)(w.live, segments);
        if ((0,policy/* isIgnored */.pi)(path, w.policy) || (0,policy/* controllerMayOwn */.ko)(entry, path, w.policy))
            continue;
        if ((0,model_path/* resolvePath */.o1)(w.want, path).complete)
            continue; // declared: compared by the walk
        const at = addedRoot(w, entry, segments);
        const atPath = (0,model_path/* formatPath */.jV)(w.live, at);
        if (seen.has(atPath) || (0,policy/* isIgnored */.pi)(atPath, w.policy))
            continue;
        const value = (0,model_path/* getAt */.sM)(w.live, at);
        if (isEmptyValue(value))
            continue;
        seen.add(atPath);
        push(w, 'added', atPath, null, redact(w, at, value), entry);
    }
}
/** The shortest undeclared list item this manager created (an env item rather than its fields), else the field. */
function addedRoot(w, entry, segments) {
    for (let n = 1; n < segments.length; n++) {
        const prefix = segments.slice(0, n);
        if ((0,model_path/* resolvePath */.o1)(w.want, (0,model_path/* formatPath */.jV)(w.live, prefix)).complete)
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
    return value === undefined ? null : redactValue(w.ref.kind, w.live, ls, value);
}
function push(w, type, path, desired, live, who) {
    w.out.push({
        object: w.ref,
        type,
        path,
        desired: desired ?? null,
        live: live ?? null,
        manager: who?.manager ?? null,
        operation: who?.operation ?? null,
        subresource: who ? who.subresource || null : null,
        time: who?.time ?? null,
    });
}

;// CONCATENATED MODULE: ./lib/drift/dry-run.js


/**
 * The optional server-side dry-run comparison: the API server applies Git's object with
 * `dryRun=All` and answers with what the object would be: defaults, admission webhooks' mutations
 * and its own normalization included. Git's declared fields then take the server's values, so that
 * a value only the server can normalize (a webhook's rewrite of an image, say) compares as equal.
 * What Git does not declare stays out, exactly as without the dry run.
 */
function projectDeclared(desired, normalized) {
    return project(desired, normalized, '');
}
function project(want, norm, field) {
    if (norm === undefined || norm === null)
        return want;
    if ((0,types/* isRecord */.u4)(want)) {
        if (!(0,types/* isRecord */.u4)(norm))
            return want;
        const out = {};
        for (const [k, v] of Object.entries(want))
            out[k] = k in norm ? project(v, norm[k], k) : v;
        return out;
    }
    if (Array.isArray(want)) {
        if (!Array.isArray(norm))
            return want;
        return want.map((item, i) => {
            const key = (0,model_path/* mergeKeyOf */.dh)(field, item);
            if (!key)
                return norm.length === want.length ? project(item, norm[i], field) : item;
            const match = norm.find((n) => {
                const v = (0,types/* isRecord */.u4)(n) ? (0,model_path/* getAt */.sM)(n, key.key.split('.')) : undefined;
                return v !== undefined && String(v) === key.value;
            });
            return match === undefined ? item : project(item, match, field);
        });
    }
    // Scalars: the server's form when it has one of the same kind of thing.
    return typeof norm === 'object' ? want : norm;
}

// EXTERNAL MODULE: ./lib/images/policy.js
var images_policy = __webpack_require__(7834);
// EXTERNAL MODULE: ./lib/images/reference.js
var reference = __webpack_require__(1403);
;// CONCATENATED MODULE: ./lib/images/index.js



// EXTERNAL MODULE: ./lib/model/collections.js
var collections = __webpack_require__(412);
// EXTERNAL MODULE: ./lib/model/workload.js
var workload = __webpack_require__(4208);
;// CONCATENATED MODULE: ./lib/drift/images.js






function scanImages(input) {
    const pinned = pinnedDigests(input.desired);
    const issues = [];
    const running = new Map();
    for (const obj of input.live) {
        if (!(0,workload/* isWorkload */.gv)(obj))
            continue;
        // Pods and ReplicaSets made by a controller repeat their owner's template: report the owner once.
        if (!ownedByController(obj))
            issues.push(...policyIssues(obj, input.debugTagPatterns));
        if (obj.kind === 'Pod') {
            issues.push(...ephemeralIssues(obj));
            for (const run of runningDigests(obj)) {
                const foreign = foreignDigest(obj, run, pinned);
                if (foreign)
                    issues.push(foreign);
                if (!run.ref || !(0,images_policy/* isPinned */.T4)(run.ref))
                    (0,collections/* pushTo */.I)(running, run.image, { digest: run.digest, pod: obj, container: run.container });
            }
        }
    }
    issues.push(...splitDigests(running));
    return issues;
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
    for (const [image, runs] of running) {
        const digests = [...new Set(runs.map((r) => r.digest))].sort();
        if (digests.length < 2)
            continue;
        const first = runs[0];
        out.push({
            object: (0,types/* refOf */.H8)(first.pod),
            kind: 'tag-digest-split',
            container: first.container,
            image,
            liveDigests: digests,
            message: `${image} runs as ${digests.length} different digests across ${new Set(runs.map((r) => r.pod)).size} pods`,
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

// EXTERNAL MODULE: ./lib/kube/errors.js
var errors = __webpack_require__(2474);
// EXTERNAL MODULE: ./lib/render/config.js
var render_config = __webpack_require__(8260);
// EXTERNAL MODULE: ./lib/jobs/render.js
var render = __webpack_require__(7094);
;// CONCATENATED MODULE: ./lib/jobs/drift.js








const IMAGE_KINDS = [
    ['v1', 'Pod'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet'],
    ['batch/v1', 'Job'],
    ['batch/v1', 'CronJob'],
];
async function runDriftJob(settings) {
    const started = Date.now();
    const config = settings.config ?? (0,lib_config/* defaultConfig */.sb)(settings.cwd);
    const drift = config.drift;
    const report = { version: 1, drift: [], missing: [], images: [], errors: [] };
    const result = {
        report,
        inputErrors: [],
        stats: { objects: 0, compared: 0, requests: 0, millis: 0 },
    };
    const desired = await desiredObjects(settings, config, result.inputErrors);
    result.stats.objects = desired.length;
    // A chart that failed to render leaves its objects out of the comparison: the report must say so.
    for (const e of result.inputErrors) {
        if (e.level !== 'error')
            continue;
        const at = e.location ? `${e.location.file}:${e.location.line}` : undefined;
        report.errors.push(at ? { scope: at, message: `${at}: ${e.message}` } : { message: e.message });
    }
    let conn;
    try {
        const connect = settings.connect ?? (await __webpack_require__.e(/* import() */ 139).then(__webpack_require__.bind(__webpack_require__, 7139))).connect;
        conn = await connect({
            ...settings.connectOptions,
            kubeconfig: settings.kubeconfig,
            context: settings.context,
        });
        result.context = conn.context;
        result.server = conn.server;
        report.cluster = conn.context;
        await conn.client.version(); // one clear line now rather than one per kind later
    }
    catch (err) {
        return fail(result, err, started);
    }
    const reader = new ListCache(conn.client, report.errors);
    try {
        const groups = groupByCollection(desired);
        const dryRun = (settings.serverSideDryRun ?? drift.serverSideDryRun)
            ? new DryRun(conn.client, report.errors)
            : undefined;
        await Promise.all([...groups.values()].map(async (g) => {
            const live = await reader.list(g.apiVersion, g.kind, g.namespace, g.objects.length);
            if (live)
                result.stats.compared += await compareGroup(g, live, drift, report, dryRun);
        }));
        const namespaces = drift.allNamespaces || settings.allNamespaces ? undefined : imageNamespaces(desired, drift);
        const workloads = (await Promise.all(IMAGE_KINDS.flatMap(([apiVersion, kind]) => (namespaces ?? [undefined]).map((ns) => reader.list(apiVersion, kind, ns, 0, true))))).flatMap((list) => (list ? [...list.items.values()] : []));
        report.images = scanImages({
            live: workloads,
            desired: desired.map((d) => d.manifest.object),
            debugTagPatterns: config.images.debugTagPatterns,
        });
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
 */
async function desiredObjects(settings, config, errors) {
    const defaultNs = settings.namespace ?? 'default';
    const out = (settings.desired ?? []).map((manifest) => ({ manifest, namespace: defaultNs }));
    const configTargets = config.targets.length > 0 ? (0,render_config/* resolveTargets */.h5)(config.targets, config.dir) : [];
    if (settings.paths.length > 0 || configTargets.length > 0) {
        const cwd = settings.cwd ?? process.cwd();
        const rendered = await (0,render/* runRender */.m)({
            cwd,
            paths: settings.paths,
            configTargets,
            tools: config.render.tools,
            concurrency: config.render.concurrency,
            timeoutMs: config.render.timeoutMs,
        });
        errors.push(...rendered.errors);
        for (const r of rendered.results) {
            errors.push(...r.errors);
            // helm template leaves the release namespace off namespaced objects: they land in it.
            const ns = r.target.kind === 'helm' ? r.target.namespace : defaultNs;
            for (const manifest of r.manifests)
                out.push({ manifest, namespace: ns });
        }
    }
    // Objects Git does not name cannot be found in the cluster; generateName is the server's choice.
    return out
        .filter((d) => typeof d.manifest.object.metadata.name === 'string' && d.manifest.object.metadata.name !== '')
        .map((d) => ({ ...d, namespace: d.manifest.object.metadata.namespace ?? d.namespace }));
}
function groupByCollection(desired) {
    const groups = new Map();
    for (const { manifest, namespace } of desired) {
        const { apiVersion, kind } = manifest.object;
        const key = `${apiVersion}|${kind}|${namespace}`;
        let g = groups.get(key);
        if (!g) {
            g = { apiVersion, kind, namespace, objects: [] };
            groups.set(key, g);
        }
        g.objects.push(manifest);
    }
    return groups;
}
async function compareGroup(g, live, drift, report, dryRun) {
    let compared = 0;
    for (const m of g.objects) {
        const found = live.items.get(m.object.metadata.name);
        if (!found) {
            const missing = { object: { ...m.ref } };
            if (live.namespaced)
                missing.object.namespace = g.namespace;
            else
                delete missing.object.namespace;
            if (m.file)
                missing.source = `${m.file}:${m.locate([]).line}`;
            report.missing.push(missing);
            continue;
        }
        compared++;
        const ns = live.namespaced ? g.namespace : undefined;
        const desired = (await dryRun?.normalize(live.resource, m.object, ns)) ?? m.object;
        report.drift.push(...compareObject(desired, found, drift.policy));
    }
    return compared;
}
/**
 * The optional server-side dry run. It needs `patch` on each kind (nothing is stored, but the API
 * server authorizes it as a write); where that is refused, one error says so and those objects
 * are compared without it.
 */
class DryRun {
    client;
    errors;
    refused = new Set();
    constructor(client, errors) {
        this.client = client;
        this.errors = errors;
    }
    async normalize(resource, desired, ns) {
        const key = `${resource.plural}|${ns ?? ''}`;
        if (this.refused.has(key))
            return undefined;
        try {
            return projectDeclared(desired, await this.client.dryRunApply(resource, desired, ns));
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
function imageNamespaces(desired, drift) {
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
 * Lists by (kind, namespace), each fetched once and shared by the comparison and the image scan.
 * Errors become report lines; an unreachable cluster is rethrown to stop the run.
 */
class ListCache {
    client;
    errors;
    lists = new Map();
    reported = new Set();
    constructor(client, errors) {
        this.client = client;
        this.errors = errors;
    }
    /** Live objects by name; undefined (and an error reported) when they cannot be read. */
    list(apiVersion, kind, namespace, declared, quiet = false) {
        const key = `${apiVersion}|${kind}|${namespace ?? '*'}`;
        let pending = this.lists.get(key);
        if (!pending) {
            pending = this.fetch(apiVersion, kind, namespace, declared, quiet);
            this.lists.set(key, pending);
        }
        return pending;
    }
    async fetch(apiVersion, kind, namespace, declared, quiet) {
        let resource;
        try {
            resource = await this.client.resource(apiVersion, kind);
        }
        catch (err) {
            if (err instanceof errors/* ClusterUnreachableError */.hy)
                throw err;
            this.error(`${apiVersion} ${kind}`, `discovery of ${apiVersion} failed: ${err.message}`);
            return undefined;
        }
        if (!resource) {
            if (!quiet) {
                this.error(`${apiVersion} ${kind}`, `${kind} (${apiVersion}) is not served by this cluster: ${declared} object${declared === 1 ? '' : 's'} in Git not compared`);
            }
            return undefined;
        }
        // A cluster-scoped kind is one collection, whatever namespace its objects were grouped under.
        if (!resource.namespaced && namespace !== undefined)
            return this.list(apiVersion, kind, undefined, declared, quiet);
        const ns = namespace;
        try {
            const { items } = await this.client.list(resource, ns);
            // By name within one namespace (or for cluster-scoped kinds); by namespace/name across all.
            const keyOf = (o) => resource.namespaced && !ns ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata.name ?? '');
            const kept = items.filter((o) => !ns || o.metadata.namespace === ns);
            return { items: new Map(kept.map((o) => [keyOf(o), o])), namespaced: resource.namespaced, resource };
        }
        catch (err) {
            if (err instanceof errors/* ClusterUnreachableError */.hy)
                throw err;
            const where = ns ? ` in namespace ${ns}` : resource.namespaced ? ' in all namespaces' : '';
            const scope = `${apiVersion} ${kind}${ns ? ` in ${ns}` : ''}`;
            if (err instanceof errors/* KubeApiError */.W3 && err.status === 403) {
                this.error(scope, `forbidden: cannot list ${resource.plural}${where}; grant get and list on it (${err.message})`);
            }
            else {
                this.error(scope, `cannot list ${resource.plural}${where}: ${err.message}`);
            }
            return undefined;
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
    const known = err instanceof errors/* ClusterUnreachableError */.hy || err instanceof errors/* KubeConfigError */.U7;
    result.fatal = known
        ? err.message
        : `drift run failed: ${err.message.split('\n')[0]}`;
    result.report.errors.push({ message: result.fatal });
    result.stats.millis = Date.now() - started;
    return result;
}
function sortReport(report) {
    const byObject = (a, b) => (0,types/* refKey */.XF)(a.object).localeCompare((0,types/* refKey */.XF)(b.object));
    // Stable sorts keep each object's fields in the order they were walked (the manifest's order).
    report.drift.sort(byObject);
    report.missing.sort(byObject);
    report.images.sort((a, b) => byObject(a, b) || a.container.localeCompare(b.container) || a.kind.localeCompare(b.kind));
}

;// CONCATENATED MODULE: ./lib/action/drift.js








/**
 * The drift mode as the Action runs it: the kubeconfig secret goes to a private temporary file
 * (mode 0600, removed at the end, never logged), the drift job reads the cluster, and the result
 * goes to the job summary, a JSON file, the outputs and, when asked, the cluster's drift issue.
 */
const log = { info: (m) => core/* info */.pq(m), warning: (m) => core/* warning */.$e(m), debug: (m) => core/* debug */.Yz(m) };
async function runDrift(settings, ctx) {
    const { config, errors: configErrors } = await (0,lib_config/* loadConfig */.Z9)({ cwd: ctx.workspace, file: settings.config });
    for (const e of configErrors)
        core/* warning */.$e(e.message);
    const tmp = await (0,promises_.mkdtemp)(external_node_path_.join(ctx.tempDir, 'shipshape-kube-'));
    try {
        let kubeconfig;
        if (settings.drift.kubeconfig) {
            kubeconfig = external_node_path_.join(tmp, 'kubeconfig');
            await (0,promises_.writeFile)(kubeconfig, settings.drift.kubeconfig, { mode: 0o600 });
        }
        // The config's `targets:` say what Git deploys and where; the input's default `.` must not
        // render the whole workspace on top of them.
        const defaultPaths = settings.paths.length === 1 && settings.paths[0] === '.';
        const result = await runDriftJob({
            paths: defaultPaths && config.targets.length > 0 ? [] : settings.paths,
            cwd: ctx.workspace,
            config,
            ...(kubeconfig ? { kubeconfig } : {}),
            ...(settings.drift.context ? { context: settings.drift.context } : {}),
        });
        for (const e of result.inputErrors)
            core/* warning */.$e(e.location ? `${e.location.file}:${e.location.line}: ${e.message}` : e.message);
        if (result.fatal) {
            core/* setOutput */.uH('drift', 'unknown');
            core/* setFailed */.C1(`shipshape drift: ${result.fatal}`);
            return { failed: true };
        }
        const { report } = result;
        const cluster = settings.drift.context ?? result.context ?? result.server ?? 'cluster';
        core/* info */.pq(driftHeadline(report));
        if (process.env.GITHUB_STEP_SUMMARY) {
            await core/* summary */.z.addRaw(renderDriftMarkdown(report, { title: `Drift: ${cluster}` })).write();
        }
        const dir = external_node_path_.join(ctx.tempDir, 'shipshape');
        await (0,promises_.mkdir)(dir, { recursive: true });
        const json = external_node_path_.join(dir, 'drift.json');
        await (0,promises_.writeFile)(json, renderDriftJson(report));
        core/* setOutput */.uH('report-json', json);
        core/* setOutput */.uH('report-sarif', '');
        core/* setOutput */.uH('errors', String(report.drift.length + report.missing.length));
        core/* setOutput */.uH('warnings', String(report.images.length));
        core/* setOutput */.uH('notices', String(report.errors.length));
        core/* setOutput */.uH('rendered-changed', 'false');
        core/* setOutput */.uH('drift', String(hasDrift(report)));
        if (settings.drift.issue && settings.token) {
            const session = new client/* GitHubSession */.EU((0,client/* createGitHub */.Cl)({ token: settings.token, baseUrl: ctx.apiUrl, log }), ctx.repo, log);
            const outcome = await syncDriftIssue(session, report, {
                cluster,
                ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
            });
            core/* info */.pq(`Drift issue: ${outcome.action}${outcome.number ? ` (#${outcome.number})` : ''}`);
        }
        const failed = settings.drift.failOnDrift && hasDrift(report);
        if (failed)
            core/* setFailed */.C1(`shipshape: ${driftHeadline(report)}`);
        return { failed };
    }
    finally {
        await (0,promises_.rm)(tmp, { recursive: true, force: true });
    }
}


/***/ }),

/***/ 2474:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TX: () => (/* binding */ isNetworkError),
/* harmony export */   U7: () => (/* binding */ KubeConfigError),
/* harmony export */   W3: () => (/* binding */ KubeApiError),
/* harmony export */   d8: () => (/* binding */ networkReason),
/* harmony export */   hy: () => (/* binding */ ClusterUnreachableError)
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


/***/ })

};
