export const id = 760;
export const ids = [760];
export const modules = {

/***/ 1760:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  connect: () => (/* binding */ connect),
  proxyFor: () => (/* binding */ proxyFor)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/model/hash.js
var hash = __webpack_require__(9877);
// EXTERNAL MODULE: ./lib/model/concurrency.js
var concurrency = __webpack_require__(5866);
// EXTERNAL MODULE: ./lib/model/retry.js
var retry = __webpack_require__(7443);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/kube/errors.js
var errors = __webpack_require__(2474);
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
/** `proxyUrl`: an http:// or https:// proxy every request goes through (Node's own proxy support). */
function httpTransport(server, options, defaultTimeoutMs = 30_000, proxyUrl) {
    const base = new URL(server);
    const client = base.protocol === 'http:' ? external_node_http_ : external_node_https_;
    const prefix = base.pathname.replace(/\/$/, '');
    // One TLS handshake per connection, not per request: hundreds of lists reuse a few sockets.
    const agent = new client.Agent({
        keepAlive: true,
        maxSockets: 8,
        ...(proxyUrl ? { proxyEnv: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl } } : {}),
    });
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
        this.limit = (0,concurrency/* limiter */.TA)(options.concurrency ?? 6);
        this.pageSize = options.pageSize ?? 500;
        this.attempts = options.attempts ?? 5;
        this.backoffMs = options.backoffMs ?? 200;
        this.sleep = options.sleep ?? retry/* sleep */.yy;
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
     * One call with bounded concurrency, time and retries (429 and 5xx, honouring Retry-After; a
     * dropped connection up to three times; never a request that timed out); errors as
     * KubeApiError, or as ClusterUnreachableError (and its kinds: KubeAuthError, DeadlineError)
     * that end the run.
     */
    async withRetries(path, call) {
        const once = async () => {
            this.requests++;
            const res = await this.limit(() => {
                const left = this.deadlineAt - this.now();
                if (left <= 0)
                    throw this.deadlineError();
                return call(Math.min(this.requestTimeoutMs, left));
            });
            if (res.status >= 200 && res.status < 300)
                return res;
            if (res.status === 401) {
                throw new errors/* KubeAuthError */.iu(`the cluster at ${this.transport.server} refused the credentials (401 Unauthorized)`);
            }
            throw apiError(res, path);
        };
        try {
            return await (0,retry/* retry */.L5)(once, {
                delayMs: (err, attempt) => {
                    if (err instanceof errors/* KubeApiError */.W3 && (err.status === 429 || err.status >= 500))
                        return attempt < this.attempts ? (err.retryAfterMs ?? this.delay(attempt)) : undefined;
                    if (err instanceof RequestTimeoutError)
                        return undefined;
                    if ((0,errors/* isNetworkError */.TX)(err) && attempt < Math.min(this.attempts, 3))
                        return this.delay(attempt);
                    return undefined;
                },
                sleep: (ms) => this.pause(ms),
            });
        }
        catch (err) {
            if (err instanceof errors/* KubeApiError */.W3 || err instanceof errors/* ClusterUnreachableError */.hy)
                throw err;
            if (err instanceof RequestTimeoutError) {
                // Bounded by the deadline rather than the request timeout: say which one ran out.
                if (err.timeoutMs < this.requestTimeoutMs)
                    throw this.deadlineError();
                throw new errors/* ClusterUnreachableError */.hy(`the cluster at ${this.transport.server} did not answer GET ${path.split('?')[0]} within ${formatMs(err.timeoutMs)}`);
            }
            throw new errors/* ClusterUnreachableError */.hy(`cannot reach the cluster at ${this.transport.server}: ${(0,errors/* networkReason */.d8)(err)}`);
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
        return (0,retry/* jitter */.p$)((0,retry/* exponentialMs */.Ix)(attempt, this.backoffMs, 10_000));
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
    if (res.retryAfter !== undefined)
        err.retryAfterMs = res.retryAfter * 1000;
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

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/azure_auth.js
var azure_auth = __webpack_require__(5779);
// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/config_types.js
var config_types = __webpack_require__(6617);
// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/exec_auth.js
var exec_auth = __webpack_require__(3497);
// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/file_auth.js
var file_auth = __webpack_require__(5752);
// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/gcp_auth.js
var gcp_auth = __webpack_require__(9704);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./lib/kube/kubeconfig.js










const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
class Kubeconfig {
    clusters;
    users;
    contexts;
    currentContext;
    // Each plugin keeps its own cache (an exec plugin's credential until it expires, a token file
    // for a minute): one set per kubeconfig, as client-node's KubeConfig has.
    authenticators = [
        new azure_auth/* AzureAuth */.M(),
        new gcp_auth/* GoogleCloudPlatformAuth */.m(),
        new exec_auth/* ExecAuth */.K(),
        new file_auth/* FileAuth */.v(),
    ];
    constructor(clusters, users, contexts, currentContext) {
        this.clusters = clusters;
        this.users = users;
        this.contexts = contexts;
        this.currentContext = currentContext;
    }
    /** A kubeconfig file; relative certificate and key paths are relative to its folder. */
    static fromFile(file) {
        const doc = (0,dist/* parse */.qg)((0,external_node_fs_.readFileSync)(file, 'utf8'));
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
            throw new Error('the kubeconfig is not a YAML mapping');
        const kc = new Kubeconfig((0,config_types/* newClusters */.MA)(doc.clusters), (0,config_types/* newUsers */.bw)(doc.users), (0,config_types/* newContexts */.FE)(doc.contexts), typeof doc['current-context'] === 'string' ? doc['current-context'] : '');
        const dir = external_node_path_.dirname(file);
        const absolute = (f) => (f && !external_node_path_.isAbsolute(f) ? external_node_path_.join(dir, f) : f);
        for (const c of kc.clusters)
            c.caFile = absolute(c.caFile);
        for (const u of kc.users) {
            u.certFile = absolute(u.certFile);
            u.keyFile = absolute(u.keyFile);
        }
        return kc;
    }
    /**
     * The pod's service account: the API server from KUBERNETES_SERVICE_HOST and _PORT, its CA and
     * its token file (read again each minute, as the kubelet rotates it). `root` prefixes the
     * service account folder, for tests.
     */
    static inCluster(env, root = '') {
        const host = env.KUBERNETES_SERVICE_HOST ?? '';
        const port = env.KUBERNETES_SERVICE_PORT ?? '443';
        const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
        const server = `${scheme}://${external_node_net_.isIPv6(host) ? `[${host}]` : host}:${port}`;
        const dir = `${root}${SERVICE_ACCOUNT_DIR}`;
        return new Kubeconfig([{ name: 'in-cluster', server, caFile: `${dir}/ca.crt`, skipTLSVerify: false }], [{ name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile: `${dir}/token` } } }], [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster' }], 'in-cluster');
    }
    /** The current context's cluster and user; undefined when the context or its cluster is missing. */
    target() {
        const context = this.contexts.find((c) => c.name === this.currentContext);
        const cluster = context && this.clusters.find((c) => c.name === context.cluster);
        if (!context || !cluster)
            return undefined;
        const user = this.users.find((u) => u.name === context.user);
        return { context, cluster, ...(user ? { user } : {}) };
    }
    /**
     * TLS material and Authorization for one request, made fresh each time so that an exec
     * plugin's short-lived token or a rotated service account token is picked up. Client-node's
     * order: the cluster's CA, server name and verification, the user's certificate and key,
     * impersonation, basic auth, then the first credential plugin that claims the user, then a
     * static token, which wins.
     */
    async requestOptions() {
        const target = this.target();
        if (!target)
            throw new errors/* KubeConfigError */.U7('the kubeconfig names no cluster for the current context');
        const { cluster, user } = target;
        const opts = {};
        if (cluster.skipTLSVerify)
            opts.rejectUnauthorized = false;
        if (cluster.tlsServerName)
            opts.servername = cluster.tlsServerName;
        const ca = fileOrData(cluster.caFile, cluster.caData);
        if (ca)
            opts.ca = ca;
        if (!user)
            return opts;
        const cert = fileOrData(user.certFile, user.certData);
        if (cert)
            opts.cert = cert;
        const key = fileOrData(user.keyFile, user.keyData);
        if (key)
            opts.key = key;
        const headers = {};
        opts.headers = headers;
        if (user.impersonateUser)
            headers['Impersonate-User'] = user.impersonateUser;
        if (user.username)
            opts.auth = `${user.username}:${user.password ?? ''}`;
        const plugin = this.authenticators.find((a) => a.isAuthProvider(user));
        if (plugin)
            await plugin.applyAuthentication(user, opts);
        else if (user.authProvider?.name) {
            throw new errors/* KubeConfigError */.U7(`the kubeconfig's user "${user.name}" uses the "${user.authProvider.name}" auth provider, which shipshape does not support: use an exec credential plugin (kubectl's own advice)`);
        }
        if (user.token)
            headers.Authorization = `Bearer ${user.token}`;
        return opts;
    }
}
function fileOrData(file, data) {
    if (file)
        return (0,external_node_fs_.readFileSync)(file);
    if (data)
        return Buffer.from(data, 'base64');
    return undefined;
}

;// CONCATENATED MODULE: ./lib/kube/connect.js








async function connect(options = {}) {
    const env = options.env ?? process.env;
    const saRoot = options.serviceAccountRoot ?? '';
    const source = pickSource(options.kubeconfig, env, saRoot);
    let kc;
    try {
        if (source.kind === 'file')
            kc = Kubeconfig.fromFile(source.file);
        else if (source.kind === 'cluster')
            kc = Kubeconfig.inCluster(env, saRoot);
        else
            throw new errors/* KubeConfigError */.U7(source.reason);
    }
    catch (err) {
        if (err instanceof errors/* KubeConfigError */.U7)
            throw err;
        throw new errors/* KubeConfigError */.U7(`cannot read the kubeconfig: ${err.message.split('\n')[0]}`);
    }
    if (options.context) {
        if (!kc.contexts.some((c) => c.name === options.context)) {
            throw new errors/* KubeConfigError */.U7(`the kubeconfig has no context named "${options.context}"`);
        }
        kc.currentContext = options.context;
    }
    const cluster = kc.target()?.cluster;
    if (!cluster?.server)
        throw new errors/* KubeConfigError */.U7('the kubeconfig names no cluster server for the current context');
    const transport = httpTransport(cluster.server, () => kc.requestOptions(), options.requestTimeoutMs, cluster.proxyUrl ? proxyFor(cluster.proxyUrl) : undefined);
    const fingerprint = caFingerprint(cluster);
    return {
        client: new KubeClient(transport, options),
        context: source.kind === 'cluster' ? 'in-cluster' : kc.currentContext,
        server: cluster.server,
        ...(fingerprint ? { caFingerprint: fingerprint } : {}),
    };
}
/**
 * A cluster's `proxy-url`, carried by Node's own proxy support (http:// and https:// proxies;
 * Node 22.21 and 24.5 onwards). A SOCKS proxy, or a Node without that support, is refused with
 * a reason rather than bypassed.
 */
function proxyFor(proxyUrl, version = process.versions.node) {
    const scheme = proxyUrl.split(':')[0]?.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https')
        throw new errors/* KubeConfigError */.U7(`the cluster's proxy-url ${scheme}:// is not supported: shipshape reaches the API server through http:// and https:// proxies only`);
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 21) || (major === 24 && minor < 5))
        throw new errors/* KubeConfigError */.U7(`the cluster's proxy-url needs Node 22.21 or 24.5 or later (built-in proxy support); this is Node ${version}`);
    return proxyUrl;
}
function caFingerprint(cluster) {
    try {
        const pem = cluster.caData
            ? Buffer.from(cluster.caData, 'base64')
            : cluster.caFile
                ? (0,external_node_fs_.readFileSync)(cluster.caFile)
                : undefined;
        return pem ? (0,hash/* sha256Hex */.f)(pem) : undefined;
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


/***/ }),

/***/ 7443:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ix: () => (/* binding */ exponentialMs),
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   p$: () => (/* binding */ jitter),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/**
 * The one way a call is tried again: `retry` runs it until it succeeds or the caller's `delayMs`
 * says to stop (then the last failure is thrown as it was), waiting in between. What is worth a
 * retry and how long to wait are the caller's: GitHub (src/github/client.ts: rate limits, 5xx) and
 * the cluster client (src/kube/client.ts: 429, 5xx, dropped connections, within a deadline) each
 * pass their own, built from `exponentialMs` and `jitter`.
 */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function retry(call, options) {
    const wait = options.sleep ?? sleep;
    for (let attempt = 1;; attempt++) {
        try {
            return await call(attempt);
        }
        catch (error) {
            const ms = options.delayMs(error, attempt);
            if (ms === undefined)
                throw error;
            await wait(ms);
        }
    }
}
/** `baseMs` doubled for each attempt after the first (1: base, 2: 2 × base, ...), at most `capMs`. */
function exponentialMs(attempt, baseMs, capMs = Number.POSITIVE_INFINITY) {
    return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
/** Somewhere in the upper half of `ms`, at random: clients that failed together do not retry together. */
function jitter(ms, random = Math.random) {
    return ms / 2 + random() * (ms / 2);
}


/***/ })

};
