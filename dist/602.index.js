export const id = 602;
export const ids = [602];
export const modules = {

/***/ 6602:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  connect: () => (/* binding */ connect)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(703);
// EXTERNAL MODULE: ./lib/kube/errors.js
var errors = __webpack_require__(4461);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./lib/kube/transport.js


/** A request that got no complete answer within its time: an API server that accepts and never answers. */
class RequestTimeoutError extends Error {
    timeoutMs;
    code = 'ESHIPSHAPE_TIMEOUT';
    constructor(timeoutMs) {
        super(`no answer within ${formatMs(timeoutMs)}`);
        this.timeoutMs = timeoutMs;
        this.name = 'RequestTimeoutError';
    }
}
function formatMs(ms) {
    if (ms >= 60_000 && ms % 60_000 === 0)
        return `${ms / 60_000} min`;
    return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
function withQuery(path, query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {}))
        if (v !== undefined && v !== '')
            params.set(k, String(v));
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
}
function httpTransport(server, options, defaultTimeoutMs = 30_000) {
    const base = new URL(server);
    const client = base.protocol === 'http:' ? external_node_http_ : external_node_https_;
    const prefix = base.pathname.replace(/\/$/, '');
    // One TLS handshake per connection, not per request: hundreds of lists reuse a few sockets.
    const agent = new client.Agent({ keepAlive: true, maxSockets: 8 });
    const send = async (method, path, query, timeoutMs, body, type, raw = false) => {
        const opts = await options();
        return new Promise((resolve, reject) => {
            const headers = {
                ...opts.headers,
                Accept: 'application/json',
            };
            if (body !== undefined) {
                headers['Content-Type'] = type ?? 'application/json';
                headers['Content-Length'] = Buffer.byteLength(body);
            }
            const req = client.request({
                agent,
                ...opts,
                method,
                protocol: base.protocol,
                hostname: base.hostname,
                port: base.port || undefined,
                path: prefix + withQuery(path, query),
                headers,
            }, (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('error', reject);
                res.on('end', () => {
                    clearTimeout(timer);
                    const text = Buffer.concat(chunks).toString('utf8');
                    const retry = Number(res.headers['retry-after']);
                    const status = res.statusCode ?? 0;
                    const ok = status >= 200 && status < 300;
                    resolve({
                        status,
                        body: raw && ok ? undefined : parseBody(text),
                        ...(raw && ok ? { text } : {}),
                        retryAfter: Number.isFinite(retry) ? retry : undefined,
                    });
                });
            });
            // The whole exchange is bounded, not only the idle socket: a server that accepts the
            // connection and never answers (or answers a byte a minute) is given up on in time.
            const timer = setTimeout(() => req.destroy(new RequestTimeoutError(timeoutMs)), timeoutMs);
            req.on('error', (err) => {
                clearTimeout(timer);
                reject(err);
            });
            req.end(body);
        });
    };
    return {
        server,
        get: (path, query, o) => send('GET', path, query, o?.timeoutMs ?? defaultTimeoutMs, undefined, undefined, o?.raw),
        dryRunApply: (path, body, fieldManager, o) => send('PATCH', path, 
        // dryRun=All is not optional: without it this would be a write, and shipshape never writes.
        { dryRun: 'All', fieldManager, force: 'true' }, o?.timeoutMs ?? defaultTimeoutMs, JSON.stringify(body), 'application/apply-patch+yaml'),
    };
}
function parseBody(text) {
    if (!text)
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}

;// CONCATENATED MODULE: ./lib/kube/client.js



/** The field manager of dry-run applies; never recorded, since nothing is stored. */
const DRY_RUN_MANAGER = 'shipshape-dry-run';
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_DEADLINE_MS = 10 * 60_000;
class KubeClient {
    transport;
    limit;
    discovery = new Map();
    openApiIndex;
    openApiDocs = new Map();
    pageSize;
    attempts;
    backoffMs;
    sleep;
    now;
    requestTimeoutMs;
    deadlineMs;
    deadlineAt;
    requests = 0;
    constructor(transport, options = {}) {
        this.transport = transport;
        this.limit = limiter(options.concurrency ?? 6);
        this.pageSize = options.pageSize ?? 500;
        this.attempts = options.attempts ?? 5;
        this.backoffMs = options.backoffMs ?? 200;
        this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
        this.now = options.now ?? Date.now;
        this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
        this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
        this.deadlineAt = this.now() + this.deadlineMs;
    }
    /** Check that the server answers at all: one clear error when it does not. */
    async version() {
        const res = await this.request('/version');
        const body = res.body;
        return (0,types/* isRecord */.u4)(body) && typeof body.gitVersion === 'string' ? body.gitVersion : 'unknown';
    }
    /** The resource for a kind, or undefined when the cluster does not serve it (a CRD not installed). */
    async resource(apiVersion, kind) {
        let pending = this.discovery.get(apiVersion);
        if (!pending) {
            pending = this.discoverGroupVersion(apiVersion);
            this.discovery.set(apiVersion, pending);
        }
        return (await pending)?.get(kind);
    }
    async discoverGroupVersion(apiVersion) {
        const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        let res;
        try {
            res = await this.request(path);
        }
        catch (err) {
            if (err instanceof errors/* KubeApiError */.W3 && err.status === 404)
                return undefined;
            throw err;
        }
        const kinds = new Map();
        const resources = (0,types/* isRecord */.u4)(res.body) && Array.isArray(res.body.resources) ? res.body.resources : [];
        for (const r of resources) {
            // Subresources (`deployments/scale`) share the kind; keep the main resource.
            if (!(0,types/* isRecord */.u4)(r) || typeof r.name !== 'string' || r.name.includes('/') || typeof r.kind !== 'string')
                continue;
            kinds.set(r.kind, {
                apiVersion,
                kind: r.kind,
                plural: r.name,
                namespaced: r.namespaced === true,
                verbs: Array.isArray(r.verbs) ? r.verbs.map(String) : [],
            });
        }
        return kinds;
    }
    /**
     * The OpenAPI v3 document of a group version (`/openapi/v3/apis/apps/v1`): how its kinds'
     * lists merge, for built-in kinds and CRDs alike. The index (`/openapi/v3`) is read once; each
     * document once, by the URL the index gives (it carries the document's hash). Rejects with the
     * reason when the server has no such document or will not give it.
     */
    openApi(apiVersion) {
        let pending = this.openApiDocs.get(apiVersion);
        if (!pending) {
            pending = this.fetchOpenApi(apiVersion);
            this.openApiDocs.set(apiVersion, pending);
        }
        return pending;
    }
    async fetchOpenApi(apiVersion) {
        this.openApiIndex ??= this.request('/openapi/v3').then((res) => {
            const paths = (0,types/* isRecord */.u4)(res.body) && (0,types/* isRecord */.u4)(res.body.paths) ? res.body.paths : {};
            const out = new Map();
            for (const [gv, entry] of Object.entries(paths))
                if ((0,types/* isRecord */.u4)(entry) && typeof entry.serverRelativeURL === 'string')
                    out.set(gv, entry.serverRelativeURL);
            return out;
        });
        const index = await this.openApiIndex;
        const key = apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`;
        const url = index.get(key);
        if (!url)
            throw new Error(`the server's /openapi/v3 lists no ${key}`);
        return (await this.request(url)).body;
    }
    /** Every object of a resource (in one namespace, or everywhere), page by page. */
    async list(resource, namespace) {
        const items = [];
        const { pages, restarted } = await this.listEach(resource, namespace, (obj) => items.push(obj));
        return { items, pages, restarted };
    }
    /**
     * Every object of a resource, handed to `visit` page by page and not kept: for the image scan
     * of tens of thousands of pods, whose memory must not grow with the cluster.
     */
    async listEach(resource, namespace, visit) {
        const path = collectionPath(resource, namespace);
        const seen = new Set();
        const page = (token) => {
            const pending = this.withRetries(path, (timeoutMs) => this.transport.get(path, { limit: this.pageSize, continue: token }, { timeoutMs, raw: true }));
            pending.catch(() => { }); // awaited below; a failure is handled there, not reported as unhandled
            return pending;
        };
        let token;
        let pages = 0;
        let restarts = 0;
        let next = page(undefined);
        while (next) {
            let res;
            try {
                res = await next;
            }
            catch (err) {
                // 410 Gone: the continue token expired (etcd compacted past it). The server may offer a
                // fresh token that carries on from where we were; otherwise start again and keep what we
                // have, by uid, so that nothing is counted twice.
                if (err instanceof errors/* KubeApiError */.W3 && err.status === 410 && token !== undefined && restarts < 3) {
                    token = err.continueToken;
                    restarts++;
                    next = page(token);
                    continue;
                }
                throw err;
            }
            pages++;
            // The next page's token comes first in the answer (metadata before items): ask for the next
            // page now, and parse this one while the server prepares it.
            const early = res.text === undefined ? undefined : continueAtHead(res.text);
            next = early ? page(early) : undefined;
            const body = res.text === undefined ? res.body : parseJson(res.text);
            const list = (0,types/* isRecord */.u4)(body) ? body : {};
            for (const item of Array.isArray(list.items) ? list.items : []) {
                if (!(0,types/* isRecord */.u4)(item))
                    continue;
                const obj = withTypeMeta(item, resource);
                const uid = typeof obj.metadata.uid === 'string'
                    ? obj.metadata.uid
                    : `${obj.metadata.namespace}/${obj.metadata.name}`;
                // A list started over after an expired token sees some objects again: once each.
                if (seen.has(uid))
                    continue;
                seen.add(uid);
                visit(obj);
            }
            const meta = (0,types/* isRecord */.u4)(list.metadata) ? list.metadata : {};
            token = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
            if (token !== early)
                next = token ? page(token) : undefined;
        }
        return { pages, restarted: restarts > 0 };
    }
    /** One GET with bounded concurrency and retries; errors as KubeApiError or ClusterUnreachableError. */
    async request(path, query) {
        return this.withRetries(path, (timeoutMs) => this.transport.get(path, query, { timeoutMs }));
    }
    /**
     * What the API server would make of `desired` if it were applied (server-side apply with
     * `dryRun=All`: nothing is stored). Needs `patch` permission on the resource; a 403 is thrown
     * as a KubeApiError like any other refusal.
     */
    async dryRunApply(resource, desired, namespace) {
        const apply = this.transport.dryRunApply;
        if (!apply)
            throw new Error('this transport cannot do a server-side dry run');
        const name = encodeURIComponent(desired.metadata.name ?? '');
        const path = `${collectionPath(resource, namespace)}/${name}`;
        const body = {
            ...desired,
            metadata: { ...desired.metadata, ...(resource.namespaced ? { namespace } : {}) },
        };
        const res = await this.withRetries(path, (timeoutMs) => apply.call(this.transport, path, body, DRY_RUN_MANAGER, { timeoutMs }));
        return withTypeMeta((0,types/* isRecord */.u4)(res.body) ? res.body : {}, resource);
    }
    /**
     * One call with bounded concurrency, time and retries; errors as KubeApiError, or as
     * ClusterUnreachableError (and its kinds: KubeAuthError, DeadlineError) that end the run.
     */
    async withRetries(path, call) {
        for (let attempt = 1;; attempt++) {
            let res;
            let timeoutMs = this.requestTimeoutMs;
            try {
                this.requests++;
                res = await this.limit(() => {
                    const left = this.deadlineAt - this.now();
                    if (left <= 0)
                        throw this.deadlineError();
                    timeoutMs = Math.min(this.requestTimeoutMs, left);
                    return call(timeoutMs);
                });
            }
            catch (err) {
                if (err instanceof errors/* DeadlineError */.j3)
                    throw err;
                if (err instanceof RequestTimeoutError) {
                    // Bounded by the deadline rather than the request timeout: say which one ran out.
                    if (timeoutMs < this.requestTimeoutMs)
                        throw this.deadlineError();
                    throw new errors/* ClusterUnreachableError */.hy(`the cluster at ${this.transport.server} did not answer GET ${path.split('?')[0]} within ${formatMs(timeoutMs)}`);
                }
                if ((0,errors/* isNetworkError */.TX)(err) && attempt < Math.min(this.attempts, 3)) {
                    await this.pause(this.delay(attempt));
                    continue;
                }
                throw new errors/* ClusterUnreachableError */.hy(`cannot reach the cluster at ${this.transport.server}: ${(0,errors/* networkReason */.d8)(err)}`);
            }
            if (res.status >= 200 && res.status < 300)
                return res;
            if (res.status === 401) {
                throw new errors/* KubeAuthError */.iu(`the cluster at ${this.transport.server} refused the credentials (401 Unauthorized)`);
            }
            const retryable = res.status === 429 || res.status >= 500;
            if (retryable && attempt < this.attempts) {
                await this.pause(res.retryAfter !== undefined ? res.retryAfter * 1000 : this.delay(attempt));
                continue;
            }
            throw apiError(res, path);
        }
    }
    /** Sleep, but never past the deadline. */
    async pause(ms) {
        const left = this.deadlineAt - this.now();
        if (ms >= left)
            throw this.deadlineError();
        await this.sleep(ms);
    }
    deadlineError() {
        return new errors/* DeadlineError */.j3(`the run against ${this.transport.server} did not finish within its deadline of ${formatMs(this.deadlineMs)}`);
    }
    delay(attempt) {
        const base = Math.min(10_000, this.backoffMs * 2 ** (attempt - 1));
        return base / 2 + Math.random() * (base / 2);
    }
}
/** The list's continue token, read from the head of its text (before `"items"`), if it is there. */
function continueAtHead(text) {
    const head = text.slice(0, 4096);
    const items = head.indexOf('"items"');
    const m = /"continue":"([^"\\]+)"/.exec(items < 0 ? head : head.slice(0, items));
    return m?.[1];
}
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function apiError(res, path) {
    const body = (0,types/* isRecord */.u4)(res.body) ? res.body : {};
    const reason = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
    const err = new errors/* KubeApiError */.W3(res.status, path, reason);
    const meta = (0,types/* isRecord */.u4)(body.metadata) ? body.metadata : {};
    if (typeof meta.continue === 'string' && meta.continue)
        err.continueToken = meta.continue;
    return err;
}
function collectionPath(resource, namespace) {
    const base = resource.apiVersion.includes('/')
        ? `/apis/${resource.apiVersion}`
        : `/api/${resource.apiVersion}`;
    return resource.namespaced && namespace
        ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
        : `${base}/${resource.plural}`;
}
/** List items come without apiVersion and kind; put them back so that items stand alone. */
function withTypeMeta(item, resource) {
    const obj = item;
    obj.apiVersion = resource.apiVersion;
    obj.kind = resource.kind;
    if (!(0,types/* isRecord */.u4)(obj.metadata))
        obj.metadata = {};
    return obj;
}
/** At most `n` tasks at once; the rest wait in order. */
function limiter(n) {
    let active = 0;
    const queue = [];
    const next = () => {
        if (active >= n)
            return;
        const run = queue.shift();
        if (run) {
            active++;
            run();
        }
    };
    return (task) => new Promise((resolve, reject) => {
        queue.push(() => {
            task()
                .then(resolve, reject)
                .finally(() => {
                active--;
                next();
            });
        });
        next();
    });
}

;// CONCATENATED MODULE: ./lib/kube/connect.js







const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
async function connect(options = {}) {
    const { KubeConfig } = await __webpack_require__.e(/* import() */ 646).then(__webpack_require__.bind(__webpack_require__, 646));
    const env = options.env ?? process.env;
    const kc = new KubeConfig();
    const saRoot = options.serviceAccountRoot ?? '';
    const source = pickSource(options.kubeconfig, env, saRoot);
    try {
        if (source.kind === 'file')
            kc.loadFromFile(source.file);
        else if (source.kind === 'cluster')
            kc.loadFromCluster(saRoot);
        else
            throw new errors/* KubeConfigError */.U7(source.reason);
    }
    catch (err) {
        if (err instanceof errors/* KubeConfigError */.U7)
            throw err;
        throw new errors/* KubeConfigError */.U7(`cannot read the kubeconfig: ${err.message.split('\n')[0]}`);
    }
    if (options.context) {
        if (!kc.getContexts().some((c) => c.name === options.context)) {
            throw new errors/* KubeConfigError */.U7(`the kubeconfig has no context named "${options.context}"`);
        }
        kc.setCurrentContext(options.context);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster?.server)
        throw new errors/* KubeConfigError */.U7('the kubeconfig names no cluster server for the current context');
    const transport = httpTransport(cluster.server, async () => {
        const opts = {};
        await kc.applyToHTTPSOptions(opts);
        // client-node makes a new agent for every call: one TLS handshake per request. Without a
        // proxy, the transport's keep-alive agent carries the same TLS material over a few sockets.
        if (!cluster.proxyUrl)
            delete opts.agent;
        return opts;
    }, options.requestTimeoutMs);
    const fingerprint = caFingerprint(cluster);
    return {
        client: new KubeClient(transport, options),
        context: source.kind === 'cluster' ? 'in-cluster' : kc.getCurrentContext(),
        server: cluster.server,
        ...(fingerprint ? { caFingerprint: fingerprint } : {}),
    };
}
function caFingerprint(cluster) {
    try {
        const pem = cluster.caData
            ? Buffer.from(cluster.caData, 'base64')
            : cluster.caFile
                ? (0,external_node_fs_.readFileSync)(cluster.caFile)
                : undefined;
        return pem ? (0,external_node_crypto_.createHash)('sha256').update(pem).digest('hex') : undefined;
    }
    catch {
        return undefined;
    }
}
function pickSource(kubeconfig, env, saRoot) {
    if (kubeconfig) {
        return (0,external_node_fs_.existsSync)(kubeconfig)
            ? { kind: 'file', file: kubeconfig }
            : { kind: 'none', reason: `kubeconfig ${kubeconfig} does not exist` };
    }
    const fromEnv = (env.KUBECONFIG ?? '').split(external_node_path_.delimiter).find((f) => f && (0,external_node_fs_.existsSync)(f));
    if (fromEnv)
        return { kind: 'file', file: fromEnv };
    const home = external_node_path_.join(env.HOME ?? external_node_os_.homedir(), '.kube', 'config');
    if ((0,external_node_fs_.existsSync)(home))
        return { kind: 'file', file: home };
    if (env.KUBERNETES_SERVICE_HOST && (0,external_node_fs_.existsSync)(`${saRoot}${SERVICE_ACCOUNT_DIR}/token`)) {
        return { kind: 'cluster' };
    }
    return {
        kind: 'none',
        reason: 'no kubeconfig: pass --kubeconfig, set KUBECONFIG, or run in a pod with a service account',
    };
}


/***/ })

};
