export const id = 139;
export const ids = [139];
export const modules = {

/***/ 7139:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  connect: () => (/* binding */ connect)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/kube/errors.js
var errors = __webpack_require__(2474);
;// CONCATENATED MODULE: ./lib/kube/client.js


/** The field manager of dry-run applies; never recorded, since nothing is stored. */
const DRY_RUN_MANAGER = 'shipshape-dry-run';
class KubeClient {
    transport;
    limit;
    discovery = new Map();
    pageSize;
    attempts;
    backoffMs;
    sleep;
    requests = 0;
    constructor(transport, options = {}) {
        this.transport = transport;
        this.limit = limiter(options.concurrency ?? 6);
        this.pageSize = options.pageSize ?? 500;
        this.attempts = options.attempts ?? 5;
        this.backoffMs = options.backoffMs ?? 200;
        this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
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
    /** Every object of a resource (in one namespace, or everywhere), page by page. */
    async list(resource, namespace) {
        const path = collectionPath(resource, namespace);
        const byUid = new Map();
        let token;
        let pages = 0;
        let restarts = 0;
        for (;;) {
            let res;
            try {
                res = await this.request(path, { limit: this.pageSize, continue: token });
            }
            catch (err) {
                // 410 Gone: the continue token expired (etcd compacted past it). The server may offer a
                // fresh token that carries on from where we were; otherwise start again and keep what we
                // have, by uid, so that nothing is counted twice.
                if (err instanceof errors/* KubeApiError */.W3 && err.status === 410 && token !== undefined && restarts < 3) {
                    token = err.continueToken;
                    restarts++;
                    continue;
                }
                throw err;
            }
            pages++;
            const body = (0,types/* isRecord */.u4)(res.body) ? res.body : {};
            for (const item of Array.isArray(body.items) ? body.items : []) {
                if (!(0,types/* isRecord */.u4)(item))
                    continue;
                const obj = withTypeMeta(item, resource);
                const uid = typeof obj.metadata.uid === 'string'
                    ? obj.metadata.uid
                    : `${obj.metadata.namespace}/${obj.metadata.name}`;
                byUid.set(uid, obj);
            }
            const meta = (0,types/* isRecord */.u4)(body.metadata) ? body.metadata : {};
            token = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
            if (!token)
                break;
        }
        return { items: [...byUid.values()], pages, restarted: restarts > 0 };
    }
    /** One GET with bounded concurrency and retries; errors as KubeApiError or ClusterUnreachableError. */
    async request(path, query) {
        return this.withRetries(path, () => this.transport.get(path, query));
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
        const res = await this.withRetries(path, () => apply.call(this.transport, path, body, DRY_RUN_MANAGER));
        return withTypeMeta((0,types/* isRecord */.u4)(res.body) ? res.body : {}, resource);
    }
    /** One call with bounded concurrency and retries; errors as KubeApiError or ClusterUnreachableError. */
    async withRetries(path, call) {
        for (let attempt = 1;; attempt++) {
            let res;
            try {
                this.requests++;
                res = await this.limit(call);
            }
            catch (err) {
                if ((0,errors/* isNetworkError */.TX)(err) && attempt < Math.min(this.attempts, 3)) {
                    await this.sleep(this.delay(attempt));
                    continue;
                }
                throw new errors/* ClusterUnreachableError */.hy(`cannot reach the cluster at ${this.transport.server}: ${(0,errors/* networkReason */.d8)(err)}`);
            }
            if (res.status >= 200 && res.status < 300)
                return res;
            const retryable = res.status === 429 || res.status >= 500;
            if (retryable && attempt < this.attempts) {
                await this.sleep(res.retryAfter !== undefined ? res.retryAfter * 1000 : this.delay(attempt));
                continue;
            }
            throw apiError(res, path);
        }
    }
    delay(attempt) {
        const base = Math.min(10_000, this.backoffMs * 2 ** (attempt - 1));
        return base / 2 + Math.random() * (base / 2);
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

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./lib/kube/transport.js


function withQuery(path, query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {}))
        if (v !== undefined && v !== '')
            params.set(k, String(v));
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
}
function httpTransport(server, options, timeoutMs = 30_000) {
    const base = new URL(server);
    const client = base.protocol === 'http:' ? external_node_http_ : external_node_https_;
    const prefix = base.pathname.replace(/\/$/, '');
    const send = async (method, path, query, body, type) => {
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
                ...opts,
                method,
                protocol: base.protocol,
                hostname: base.hostname,
                port: base.port || undefined,
                path: prefix + withQuery(path, query),
                headers,
                timeout: timeoutMs,
            }, (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('error', reject);
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    const retry = Number(res.headers['retry-after']);
                    resolve({
                        status: res.statusCode ?? 0,
                        body: parseBody(text),
                        retryAfter: Number.isFinite(retry) ? retry : undefined,
                    });
                });
            });
            req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
            req.on('error', reject);
            req.end(body);
        });
    };
    return {
        server,
        get: (path, query) => send('GET', path, query),
        dryRunApply: (path, body, fieldManager) => send('PATCH', path, 
        // dryRun=All is not optional: without it this would be a write, and shipshape never writes.
        { dryRun: 'All', fieldManager, force: 'true' }, JSON.stringify(body), 'application/apply-patch+yaml'),
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

;// CONCATENATED MODULE: ./lib/kube/connect.js






const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
async function connect(options = {}) {
    const { KubeConfig } = await __webpack_require__.e(/* import() */ 94).then(__webpack_require__.bind(__webpack_require__, 94));
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
        return opts;
    });
    return {
        client: new KubeClient(transport, options),
        context: source.kind === 'cluster' ? 'in-cluster' : kc.getCurrentContext(),
        server: cluster.server,
    };
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
