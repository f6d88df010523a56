export const id = 727;
export const ids = [727];
export const modules = {

/***/ 4926:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ loadTrustedConfig)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _config_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2526);
/* harmony import */ var _jobs_trusted_config_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(322);



/**
 * The config the Action trusts. On a pull request it is the base commit's `.shipshape.yaml`, never
 * the head's (jobs/trusted-config.ts). Everywhere else (pushes, schedules) the checkout is the
 * default branch, and its config is read as it is.
 *
 * Which programs run as helm and kustomize comes from the Action's inputs or PATH, never from a
 * repository file.
 */
async function loadTrustedConfig(settings, workspace, baseSha) {
    const loaded = baseSha
        ? await (0,_jobs_trusted_config_js__WEBPACK_IMPORTED_MODULE_2__/* .configAtBase */ .Z)(workspace, baseSha, settings.config)
        : { ...(await (0,_config_index_js__WEBPACK_IMPORTED_MODULE_1__/* .loadConfig */ .Z9)({ cwd: workspace, root: workspace, file: settings.config })), notes: [] };
    loaded.config.render.tools = {
        ...(settings.helm ? { helm: node_path__WEBPACK_IMPORTED_MODULE_0__.resolve(workspace, settings.helm) } : {}),
        ...(settings.kustomize ? { kustomize: node_path__WEBPACK_IMPORTED_MODULE_0__.resolve(workspace, settings.kustomize) } : {}),
    };
    if (settings.kubeVersion)
        loaded.config.render.kubeVersion = settings.kubeVersion;
    return loaded;
}


/***/ }),

/***/ 2988:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ actionLog)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _model_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7798);


/**
 * The Action's log for messages that carry text from the repository (folder and file names, a
 * tool's output): `core.info` writes its message as it is, so the message is made inert first and
 * a name like `::add-mask::x` cannot act as a workflow command. `core.warning` and `core.debug`
 * escape their data themselves. (Multi-line chunks are also made inert where output is written,
 * output.ts; this covers the one-line message that begins with such a name.)
 */
const actionLog = {
    info: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_model_text_js__WEBPACK_IMPORTED_MODULE_1__/* .inertInLog */ .OR)(m)),
    warning: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(m),
    debug: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(m),
};


/***/ }),

/***/ 5727:
/***/ ((__unused_webpack___webpack_module__, __unused_webpack___webpack_exports__, __webpack_require__) => {


// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./lib/heap.js
var heap = __webpack_require__(3825);
// EXTERNAL MODULE: ./lib/jobs/check.js
var check = __webpack_require__(3484);
// EXTERNAL MODULE: ./lib/model/text.js
var model_text = __webpack_require__(7798);
;// CONCATENATED MODULE: ./lib/result/escape.js
/**
 * Free text from an untrusted result file (object names, messages, target names, notes) made
 * inert before any of it reaches Markdown, whichever renderer it goes through: no HTML (so no
 * hidden comment can forge one of our markers, no <img> can beacon), no links or images, no
 * @-mentions or #-references that notify people, no terminal or bidirectional control characters.
 * What is left reads the same to a person. Code (a rendered diff) is not free text: it goes into
 * fences that no content can close (github/markdown.ts), and only loses control characters.
 */

const ZWSP = '\u200b';
/** Text for prose, table cells and headings: inert whatever it holds. */
function neutralize(text) {
    return ((0,model_text/* stripControls */.$Y)(text)
        // No raw HTML or comments: the angle brackets become look-alikes that are never markup.
        .replace(/</g, '\u2039')
        .replace(/>/g, '\u203a')
        // Entities would let `&lt;` turn back into markup in a renderer that decodes them.
        .replace(/&(?=[#\w]+;)/g, `&${ZWSP}`)
        // No links or images: `](` and `]:` (reference definitions) are broken apart.
        .replace(/\]\s*([(:[])/g, `]${ZWSP}$1`)
        // No autolinked URLs.
        .replace(/([a-z][\w+.-]*):\/\//gi, `$1:${ZWSP}//`)
        .replace(/\bwww\./gi, `www${ZWSP}.`)
        // No mentions or issue references that notify.
        .replace(/(^|[^\w`])@(?=[\w-])/g, `$1@${ZWSP}`)
        .replace(/(^|[^\w&`])#(?=\d)/g, `$1#${ZWSP}`));
}

;// CONCATENATED MODULE: ./lib/result/schema.js
/**
 * A small schema language for untrusted JSON (a result file a fork may have forged): each schema
 * is a function that checks a value and returns a fresh copy holding only what the schema names,
 * or throws a ResultError naming the field. Every string, array and the whole file are bounded,
 * so nothing in the input decides how much work or memory reading it takes. Unknown fields are
 * refused rather than ignored: a file that does not have exactly our shape is not ours.
 */


class ResultError extends Error {
}
function budget(untrusted, limits) {
    return { ...limits, untrusted };
}
function fail(at, what) {
    throw new ResultError(`${at || 'the file'}: ${what}`);
}
function describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
/**
 * A string of at most `max` characters, matching `pattern` when given. `text`: free text that
 * reaches Markdown (neutralised when untrusted); `code`: text shown in a fence (its control
 * characters removed when untrusted).
 */
function str(max, options = {}) {
    return (value, at, budget) => {
        if (typeof value !== 'string')
            fail(at, `expected a string, found ${describe(value)}`);
        if (value.length > max)
            fail(at, `longer than ${max} characters (${value.length})`);
        budget.chars -= value.length;
        if (budget.chars < 0)
            fail(at, 'the file holds more text than a result can');
        if (options.pattern && !options.pattern.test(value))
            fail(at, `${JSON.stringify(value.slice(0, 80))} is not allowed here`);
        if (!budget.untrusted || !options.as)
            return value;
        return options.as === 'text' ? neutralize(value) : (0,model_text/* stripControls */.$Y)(value);
    };
}
function schema_int(min, max) {
    return (value, at) => {
        if (typeof value !== 'number' || !Number.isInteger(value))
            fail(at, `expected a whole number, found ${describe(value)}`);
        if (value < min || value > max)
            fail(at, `${value} is out of range (${min} to ${max})`);
        return value;
    };
}
const bool = (value, at) => {
    if (typeof value !== 'boolean')
        fail(at, `expected true or false, found ${describe(value)}`);
    return value;
};
function oneOf(allowed) {
    const set = new Set(allowed);
    return (value, at) => {
        if (typeof value !== 'string' || !set.has(value))
            fail(at, `expected one of ${allowed.length > 8 ? 'the known values' : allowed.join(', ')}, found ${JSON.stringify(typeof value === 'string' ? value.slice(0, 80) : describe(value))}`);
        return value;
    };
}
function literal(expected) {
    return (value, at) => {
        if (value !== expected)
            fail(at, `expected ${JSON.stringify(expected)}, found ${JSON.stringify(value)?.slice(0, 80)}`);
        return expected;
    };
}
function list(item, max) {
    return (value, at, budget) => {
        if (!Array.isArray(value))
            fail(at, `expected a list, found ${describe(value)}`);
        if (value.length > max)
            fail(at, `more than ${max} items (${value.length})`);
        budget.items -= value.length;
        if (budget.items < 0)
            fail(at, 'the file holds more items than a result can');
        return value.map((v, i) => item(v, `${at}[${i}]`, budget));
    };
}
/** A map from bounded keys to values, at most `max` entries. */
function record(key, item, max) {
    return (value, at, budget) => {
        if (!isPlainObject(value))
            fail(at, `expected an object, found ${describe(value)}`);
        const entries = Object.entries(value);
        if (entries.length > max)
            fail(at, `more than ${max} entries (${entries.length})`);
        budget.items -= entries.length;
        if (budget.items < 0)
            fail(at, 'the file holds more items than a result can');
        // No prototype: a key named __proto__ or constructor is just a key.
        const out = Object.create(null);
        for (const [k, v] of entries)
            out[key(k, `${at} key`, budget)] = item(v, `${at}.${k.slice(0, 40)}`, budget);
        return out;
    };
}
const OPTIONAL = Symbol('optional');
function optional(schema) {
    const s = ((value, at, budget) => schema(value, at, budget));
    s[OPTIONAL] = true;
    return s;
}
/**
 * An object with exactly these fields (optional ones may be absent; unknown ones are refused),
 * copied in the order the file has them, so that what is written back reads the same.
 */
function obj(shape) {
    const known = new Set(Object.keys(shape));
    return (value, at, budget) => {
        if (!isPlainObject(value))
            fail(at, `expected an object, found ${describe(value)}`);
        const out = {};
        for (const k of Object.keys(value)) {
            if (!known.has(k))
                fail(at, `unknown field ${JSON.stringify(k.slice(0, 40))}`);
            const v = value[k];
            if (v === undefined)
                continue;
            out[k] = shape[k](v, at ? `${at}.${k}` : k, budget);
        }
        for (const [k, schema] of Object.entries(shape))
            if (!Object.hasOwn(out, k) && !(OPTIONAL in schema))
                fail(at, `missing field ${JSON.stringify(k)}`);
        return out;
    };
}
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./lib/action/context.js


function readContext(env = process.env) {
    const payload = readPayload(env.GITHUB_EVENT_PATH);
    const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
    const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
    const ctx = {
        eventName: env.GITHUB_EVENT_NAME ?? '',
        workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
        sha: env.GITHUB_SHA ?? '',
        repo: { owner, repo },
        apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
        serverUrl,
        tempDir: env.RUNNER_TEMP ?? external_node_os_.tmpdir(),
    };
    if (env.GITHUB_RUN_ID && owner)
        ctx.runUrl = `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`;
    const pr = pullRequestOf(payload);
    if (pr)
        ctx.pullRequest = pr;
    const run = workflowRunOf(payload);
    if (run)
        ctx.workflowRun = run;
    return ctx;
}
function workflowRunOf(payload) {
    const run = payload.workflow_run;
    if (!run?.id || !run.head_sha)
        return undefined;
    return {
        id: run.id,
        event: run.event ?? '',
        headSha: run.head_sha,
        headBranch: run.head_branch ?? '',
        headRepository: run.head_repository?.full_name ?? '',
    };
}
function readPayload(file) {
    if (!file)
        return {};
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        return {};
    }
}
function pullRequestOf(payload) {
    const pr = payload.pull_request;
    if (!pr?.number || !pr.base?.sha || !pr.head?.sha)
        return undefined;
    const baseRepo = pr.base.repo?.full_name;
    const headRepo = pr.head.repo?.full_name;
    return {
        number: pr.number,
        baseSha: pr.base.sha,
        headSha: pr.head.sha,
        baseRef: pr.base.ref ?? '',
        headRef: pr.head.ref ?? '',
        // A deleted fork has no head repository at all; treat it as a fork too.
        fromFork: headRepo === undefined || headRepo !== baseRepo,
    };
}

// EXTERNAL MODULE: ./lib/secrets/index.js + 6 modules
var secrets = __webpack_require__(2767);
;// CONCATENATED MODULE: ./lib/action/output.js



/**
 * Secret values never leave the Action. Installed first thing in main:
 *
 * - every secret value the run collects (and each form it is masked in) is registered with the
 *   runner's own log masking (`core.setSecret`), as soon as it is seen;
 * - everything the process writes to stdout and stderr (every `core` log function, workflow
 *   annotations, `setFailed`) is masked on the way out: one wrapper for all the log functions;
 * - in the same wrapper, text from the pull request cannot act as a workflow command: only a chunk
 *   that is one command line (what `@actions/core` writes) reaches the runner as one; every other
 *   line that starts like a command is made inert (model/text.ts `inertOutput`);
 * - the job summary is masked as it is added (drift's and the pull request's alike).
 *
 * Files the Action writes itself (JSON and SARIF reports) go through maskSecrets where they are
 * written, and GitHub request bodies in the one GitHub client (github/client.ts).
 */
/** The runner's command that registers a mask: it must reach the runner as it is. */
const ADD_MASK = '::add-mask::';
let installed = false;
function installSecretMasking() {
    if (installed)
        return;
    installed = true;
    for (const stream of [process.stdout, process.stderr]) {
        const write = stream.write.bind(stream);
        stream.write = ((chunk, ...rest) => write(typeof chunk === 'string' && !chunk.startsWith(ADD_MASK) ? (0,model_text/* inertOutput */.Gv)((0,secrets/* maskSecrets */.QU)(chunk)) : chunk, ...rest));
    }
    const addRaw = core/* summary */.z.addRaw.bind(core/* summary */.z);
    core/* summary */.z.addRaw = (text, addEOL) => addRaw((0,secrets/* maskSecrets */.QU)(text), addEOL);
    secrets/* secrets */.O3.onAdd((text) => core/* setSecret */.Pq(text));
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/github/client.js
var client = __webpack_require__(636);
;// CONCATENATED MODULE: ./lib/github/files.js
/**
 * The pull request's changed files with their patches, every page of them. GitHub lists at most
 * 3,000 files; a larger pull request gets a warning, and the caller also uses git for the names.
 */
async function listChangedFiles(session, pullNumber) {
    const files = await session.call('list pull request files', (gh) => gh.paginate(gh.rest.pulls.listFiles, { ...session.repo, pull_number: pullNumber, per_page: 100 }));
    if (!files)
        return undefined;
    if (files.length >= 3000) {
        session.log.warning('GitHub lists at most 3,000 changed files; shipshape also reads the rest from git');
    }
    return files.map((f) => ({
        filename: f.filename,
        status: f.status,
        ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
        ...(f.patch !== undefined ? { patch: f.patch } : {}),
    }));
}

;// CONCATENATED MODULE: ./lib/github/identity.js

/**
 * Who the token acts as, so that only comments it wrote are taken for shipshape's own: a
 * reviewer's comment that quotes one of ours, hidden marker and all, is never edited or deleted.
 *
 * A personal token is a user (`GET /user` says which). An installation token (the workflow's
 * `GITHUB_TOKEN`, or a GitHub App's) is no user: GitHub answers 403 there, and the workflow's
 * token writes as `github-actions[bot]`; an App's token writes as `<app-slug>[bot]`, which the
 * `bot-login` input names.
 */
const ACTIONS_BOT = 'github-actions[bot]';
async function resolveIdentity(session, configured) {
    if (configured)
        return { login: configured };
    try {
        const { data } = await session.octokit.rest.users.getAuthenticated();
        return { login: data.login };
    }
    catch (error) {
        // Not a failure of the run: the token is an installation's, not a user's.
        if ((0,client/* statusOf */.c2)(error) !== 403)
            session.log.info(`GitHub: cannot tell who the token is (${(0,client/* statusOf */.c2)(error) ?? 'no answer'}); assuming ${ACTIONS_BOT}`);
        return { login: ACTIONS_BOT };
    }
}
/** Written by the identity the token acts as. */
function isOurs(author, identity) {
    return author?.login !== undefined && author.login.toLowerCase() === identity.login.toLowerCase();
}

// EXTERNAL MODULE: ./lib/jobs/pull-request.js + 3 modules
var pull_request = __webpack_require__(4788);
// EXTERNAL MODULE: ./lib/render/git.js
var git = __webpack_require__(2408);
// EXTERNAL MODULE: ./lib/report/pull-request.js
var report_pull_request = __webpack_require__(8199);
// EXTERNAL MODULE: ./lib/action/config.js
var config = __webpack_require__(4926);
// EXTERNAL MODULE: ./lib/action/log.js
var log = __webpack_require__(2988);
// EXTERNAL MODULE: ./lib/github/pr-summary.js
var pr_summary = __webpack_require__(9596);
// EXTERNAL MODULE: ./lib/report/github.js
var github = __webpack_require__(6763);
;// CONCATENATED MODULE: ./lib/action/publish/blocks.js

/**
 * The report's Markdown blocks, as the summary comment, the check run and the job summary show
 * it: made when asked, from the result and what the publishers before did (which findings got an
 * inline comment).
 */
function reportBlocks(result, ctx) {
    const { run } = ctx;
    const link = (file, line) => `${run.serverUrl}/${run.repo.owner}/${run.repo.repo}/blob/${result.commit}/${file.split('/').map(encodeURIComponent).join('/')}#L${line}`;
    return (0,pr_summary/* summaryBlocks */.X)(result.run, {
        failOn: result.failOn,
        failed: result.failed,
        link,
        commented: ctx.state.commented,
        overLimit: ctx.state.overLimit,
        notes: [...result.notes, ...ctx.state.notes],
    });
}
/** The check run's title: the verdict and the count. */
function headline(result) {
    const what = result.run.mode === 'pull-request' ? 'new finding' : 'finding';
    const n = result.counted.length;
    return `${result.failed ? 'Not ready' : 'Ready'}: ${n} ${what}${n === 1 ? '' : 's'}`;
}

;// CONCATENATED MODULE: ./lib/action/publish/annotations.js






/**
 * What needs no token: workflow-command annotations, only for findings that neither an inline
 * comment nor a check run carries (a read-only token), and the job summary.
 */
const publishAnnotations = async (result, ctx) => {
    const findings = ctx.state.checkRunMade
        ? []
        : result.counted.filter((f) => !ctx.state.commented.has(f.fingerprint));
    // One command per write: the output guard (action/output.ts) lets a chunk through as a
    // workflow command only when it is one line, as @actions/core writes them.
    for (const line of (0,github/* renderGithub */.up)((0,report_pull_request/* asCheckResult */.EM)(result.run, findings)).split('\n')) {
        if (line)
            process.stdout.write(`${line}\n`);
    }
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await core/* summary */.z.addRaw((0,secrets/* maskSecrets */.QU)((0,pr_summary/* jobSummary */.s)(reportBlocks(result, ctx)))).write();
};

;// CONCATENATED MODULE: ./lib/github/checks.js
/**
 * The `shipshape` check run: a conclusion branch protection can require, and one annotation per
 * finding. GitHub takes at most 50 annotations per request, so the first batch rides on the
 * create call and the rest are appended by updates; the conclusion comes with the last one.
 */
const ANNOTATIONS_PER_REQUEST = 50;
const OUTPUT_TEXT_LIMIT = 65_535;
function batches(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}
function clip(text, limit = OUTPUT_TEXT_LIMIT) {
    if (text.length <= limit)
        return text;
    const note = '\n\n… (shortened; the job summary and the JSON report have everything)';
    return text.slice(0, limit - note.length) + note;
}
async function publishCheckRun(session, input) {
    const output = (annotations) => ({
        title: input.title,
        summary: clip(input.summary),
        ...(annotations.length > 0 ? { annotations } : {}),
    });
    const groups = batches(input.annotations, ANNOTATIONS_PER_REQUEST);
    const first = groups.shift() ?? [];
    const done = groups.length === 0;
    const created = await session.call('create check run', (gh) => gh.rest.checks.create({
        ...session.repo,
        name: input.name,
        head_sha: input.headSha,
        ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
        ...(done
            ? {
                status: 'completed',
                conclusion: input.conclusion,
                completed_at: new Date().toISOString(),
            }
            : { status: 'in_progress' }),
        output: output(first),
    }));
    if (!created)
        return { annotations: 0, failed: true };
    const id = created.data.id;
    let sent = first.length;
    let failed = false;
    for (let i = 0; i < groups.length; i++) {
        const last = i === groups.length - 1;
        const ok = await session.call(`update check run ${id}`, (gh) => gh.rest.checks.update({
            ...session.repo,
            check_run_id: id,
            ...(last
                ? {
                    status: 'completed',
                    conclusion: input.conclusion,
                    completed_at: new Date().toISOString(),
                }
                : {}),
            output: output(groups[i]),
        }));
        if (ok)
            sent += groups[i].length;
        else
            failed = true;
    }
    if (failed) {
        // Make sure the run does not stay in progress forever when an annotation batch failed.
        await session.call(`complete check run ${id}`, (gh) => gh.rest.checks.update({
            ...session.repo,
            check_run_id: id,
            status: 'completed',
            conclusion: input.conclusion,
            completed_at: new Date().toISOString(),
        }));
    }
    return { id, annotations: sent, failed };
}

;// CONCATENATED MODULE: ./lib/action/publish/types.js
/** A fork's token is read-only: nothing can be written to the pull request. */
function readOnly(result) {
    return result.pullRequest?.fromFork === true;
}
/** May this run write to GitHub at all (a token, not a fork's)? Each write still needs its permission. */
function canWrite(result, ctx) {
    return ctx.session !== undefined && !readOnly(result);
}

;// CONCATENATED MODULE: ./lib/action/publish/check-run.js





/**
 * The check run a branch protection rule can require: the verdict, the report, and an annotation
 * for each counted finding that has no inline comment (each finding shows once in the files view).
 */
const publishCheck = async (result, ctx) => {
    if (!canWrite(result, ctx))
        return;
    const { session } = ctx;
    const failuresBefore = session.failures.length;
    const annotations = result.counted.filter((f) => !ctx.state.commented.has(f.fingerprint)).map(toAnnotation);
    const check = await publishCheckRun(session, {
        name: result.checkName,
        headSha: result.commit,
        conclusion: result.failed ? 'failure' : 'success',
        title: headline(result),
        summary: (0,pr_summary/* jobSummary */.s)(reportBlocks(result, ctx), 65_000),
        annotations,
        ...(ctx.run.runUrl ? { detailsUrl: ctx.run.runUrl } : {}),
    });
    ctx.state.checkRunMade = !check.failed;
    if (!check.failed) {
        core/* info */.pq(`Check run: ${result.failed ? 'failure' : 'success'}, ${check.annotations} annotations.`);
    }
    else if (session.failures.slice(failuresBefore).some((f) => f.status === 403)) {
        core/* info */.pq('GitHub refused the check run (needs `checks: write`): the job status and the annotations carry the verdict.');
    }
};
const LEVEL = {
    error: 'failure',
    warning: 'warning',
    info: 'notice',
};
function toAnnotation(f) {
    return {
        path: f.location.file,
        start_line: f.location.line,
        end_line: f.location.endLine ?? f.location.line,
        annotation_level: LEVEL[f.severity],
        title: `${f.ruleId} (${f.checklist})`,
        message: `${f.message}\nFix: ${f.remediation}`,
        raw_details: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name} ${f.path}`,
    };
}

// EXTERNAL MODULE: ./lib/cli/version.js
var version = __webpack_require__(6802);
// EXTERNAL MODULE: ./lib/report/sarif.js
var sarif = __webpack_require__(123);
// EXTERNAL MODULE: ./lib/rules/engine.js + 1 modules
var engine = __webpack_require__(7217);
;// CONCATENATED MODULE: ./lib/action/publish/reports.js









/**
 * Report files and step outputs: the JSON report (always), SARIF (when asked for, and as a
 * fallback when nothing could be written to the pull request), and the counts.
 */
const publishReports = async (result, ctx) => {
    const dir = external_node_path_.join(ctx.run.tempDir, 'shipshape');
    await (0,promises_.mkdir)(dir, { recursive: true });
    const jsonPath = external_node_path_.join(dir, 'report.json');
    await (0,promises_.writeFile)(jsonPath, (0,secrets/* maskSecrets */.QU)(`${JSON.stringify((0,report_pull_request/* pullRequestJson */.NA)(result.run), null, 2)}\n`));
    core/* setOutput */.uH('report-json', jsonPath);
    // Without write access the SARIF report is one of the fallbacks: write it even unasked.
    const fellBack = readOnly(result) || ctx.session?.writeDenied === true;
    const sarifPath = ctx.settings.sarif
        ? external_node_path_.resolve(ctx.run.workspace, ctx.settings.sarif)
        : fellBack
            ? external_node_path_.join(dir, 'report.sarif')
            : undefined;
    if (sarifPath) {
        await (0,promises_.mkdir)(external_node_path_.dirname(sarifPath), { recursive: true });
        const all = (0,report_pull_request/* asCheckResult */.EM)(result.run, (0,engine/* onePerLine */.gj)(result.run.findings));
        await (0,promises_.writeFile)(sarifPath, (0,secrets/* maskSecrets */.QU)((0,sarif/* renderSarif */.WH)(all, { version: version/* VERSION */.x })));
        if (!ctx.settings.sarif)
            core/* info */.pq(`SARIF report: ${sarifPath} (upload it with github/codeql-action/upload-sarif)`);
    }
    core/* setOutput */.uH('report-sarif', sarifPath ?? '');
    const count = (s) => String(result.counted.filter((f) => f.severity === s).length);
    core/* setOutput */.uH('errors', count('error'));
    core/* setOutput */.uH('warnings', count('warning'));
    core/* setOutput */.uH('notices', count('info'));
    core/* setOutput */.uH('rendered-changed', String(result.run.renderedChanged));
};

;// CONCATENATED MODULE: ./lib/github/hunks.js
/**
 * Unified-diff hunks as GitHub returns them in a pull request file's `patch`, and the question
 * the review API cares about: can a comment sit on this line of the new file (the RIGHT side)?
 * GitHub accepts a RIGHT-side comment only on a line the diff shows: an added line or a context
 * line inside a hunk. Anything else makes the API reject the whole review with a 422, so every
 * comment is checked here before it is posted.
 */
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
/** Parse a file's patch (the text after the `diff --git` header lines, starting at `@@`). */
function parsePatch(patch) {
    if (!patch)
        return [];
    const hunks = [];
    let current;
    let newLine = 0;
    let oldLine = 0;
    for (const raw of patch.split('\n')) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        const header = HUNK_HEADER.exec(line);
        if (header) {
            current = {
                oldStart: Number(header[1]),
                oldLines: header[2] === undefined ? 1 : Number(header[2]),
                newStart: Number(header[3]),
                newLines: header[4] === undefined ? 1 : Number(header[4]),
                rightLines: [],
                addedLines: [],
                deletedLines: [],
            };
            hunks.push(current);
            newLine = current.newStart;
            oldLine = current.oldStart;
            continue;
        }
        if (!current)
            continue; // `diff --git`, `index`, `---`, `+++` lines before the first hunk
        const kind = line[0];
        if (kind === '+') {
            current.rightLines.push(newLine);
            current.addedLines.push(newLine);
            newLine++;
        }
        else if (kind === ' ' || (line === '' && newLine < current.newStart + current.newLines)) {
            // An empty context line may lose its leading space in transit; count it while the hunk lasts.
            current.rightLines.push(newLine);
            newLine++;
            oldLine++;
        }
        else if (kind === '-') {
            current.deletedLines.push(oldLine);
            oldLine++;
        }
        // '\' is "No newline at end of file".
    }
    return hunks;
}
/** Which lines of which files a RIGHT-side review comment may sit on. */
class CommentableLines {
    byFile = new Map();
    addedByFile = new Map();
    /** Deleted lines by the file's name at the base (a renamed file's previous name). */
    leftByBaseFile = new Map();
    constructor(files) {
        for (const f of files) {
            const hunks = parsePatch(f.patch);
            this.leftByBaseFile.set(f.previousFilename ?? f.filename, {
                filename: f.filename,
                lines: new Set(hunks.flatMap((h) => h.deletedLines)),
            });
            if (f.status === 'removed')
                continue;
            this.byFile.set(f.filename, new Set(hunks.flatMap((h) => h.rightLines)));
            this.addedByFile.set(f.filename, new Set(hunks.flatMap((h) => h.addedLines)));
        }
    }
    has(file, line) {
        return this.byFile.get(file)?.has(line) ?? false;
    }
    /** True when the pull request added or changed this very line (not just shows it as context). */
    isAdded(file, line) {
        return this.addedByFile.get(file)?.has(line) ?? false;
    }
    /**
     * Where a LEFT-side comment on line `line` of `baseFile` (a path at the base) may go: the path
     * GitHub names the file by, when the pull request deletes that line.
     */
    left(baseFile, line) {
        const entry = this.leftByBaseFile.get(baseFile);
        return entry?.lines.has(line) ? entry.filename : undefined;
    }
    files() {
        return [...this.byFile.keys()];
    }
}

// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/rules/index.js + 17 modules
var rules = __webpack_require__(4697);
// EXTERNAL MODULE: ./lib/github/markdown.js
var markdown = __webpack_require__(7637);
;// CONCATENATED MODULE: ./lib/github/markers.js
/**
 * Hidden HTML comments that let a later run recognise what an earlier run posted. GitHub keeps
 * them in the body but does not render them.
 */
// Anchored where we put them (the fingerprint last, the summary marker first), so a human who
// quotes one of our comments does not make their own comment look like ours.
// The fingerprint marker stands alone on the body's last line: quoted (`> <!-- ... -->`) it is a
// human's comment that cites ours.
const FP_MARKER = /(?:^|\n)<!-- shipshape:fp=([0-9a-zA-Z_-]+)(?: key=([0-9a-zA-Z_.-]+))?( resolved)? -->\s*$/;
const SUMMARY_MARKER = /^<!-- shipshape:summary(?: part=(\d+)\/(\d+))?(?: key=([0-9a-zA-Z_.-]+))? -->/;
/**
 * `key` tells apart the comments of several shipshape jobs in one pull request (each checking
 * its own folders), so that one job never deletes another's comments.
 */
function fingerprintMarker(fingerprint, options = {}) {
    const key = options.key && options.key !== DEFAULT_KEY ? ` key=${options.key}` : '';
    return `<!-- shipshape:fp=${fingerprint}${key}${options.resolved ? ' resolved' : ''} -->`;
}
const DEFAULT_KEY = 'default';
/** The fingerprint an inline comment was posted for, its job's key, and whether a later run marked it resolved. */
function readFingerprintMarker(body) {
    const m = FP_MARKER.exec(body ?? '');
    return m ? { fingerprint: m[1], key: m[2] ?? DEFAULT_KEY, resolved: Boolean(m[3]) } : undefined;
}
/**
 * The sticky summary's marker. `key` tells apart several summaries in one pull request (two jobs
 * running shipshape on different folders); parts number a summary split under the size cap.
 */
function summaryMarker(part, parts, key = DEFAULT_KEY) {
    return `<!-- shipshape:summary part=${part}/${parts} key=${key} -->`;
}
function readSummaryMarker(body) {
    const m = SUMMARY_MARKER.exec(body ?? '');
    if (!m)
        return undefined;
    return { part: Number(m[1] ?? 1), parts: Number(m[2] ?? 1), key: m[3] ?? DEFAULT_KEY };
}

;// CONCATENATED MODULE: ./lib/github/comment.js




/**
 * The text of one inline review comment: what is wrong, why it matters in production, and how to
 * fix it, with a one-click suggestion when the fix is a one-line change of the commented line.
 */
const SEVERITY_LABEL = {
    error: '🔴 **error**',
    warning: '🟠 **warning**',
    info: '🔵 **info**',
};
function inlineCommentBody(finding, lineText, key) {
    const why = (0,rules/* ruleById */.B)(finding.ruleId)?.meta.why;
    const suggestion = lineText === undefined ? undefined : suggestFix(finding, lineText);
    const parts = [
        `${SEVERITY_LABEL[finding.severity]} · ${finding.checklist} · ${(0,markdown/* code */.aY)(finding.ruleId)}`,
        '',
        `**What is wrong:** ${(0,markdown/* prose */.CS)(finding.message)}`,
    ];
    if (why)
        parts.push('', `**Why it matters in production:** ${(0,markdown/* prose */.CS)(why)}`);
    parts.push('', `**Fix:** ${(0,markdown/* prose */.CS)(finding.remediation)}`);
    if (suggestion !== undefined)
        parts.push('', (0,markdown/* fence */.EU)(suggestion, 'suggestion'));
    parts.push('', `<sub>${(0,markdown/* code */.aY)((0,types/* refKey */.XF)(finding.object))} at ${(0,markdown/* code */.aY)(finding.path)}</sub>`, fingerprintMarker(finding.fingerprint, { key }));
    return parts.join('\n');
}
/** The body of a comment whose finding is gone but which a human replied to: kept, marked resolved. */
function resolvedCommentBody(previous, fingerprint, sha, key) {
    const original = previous.replace(/<!-- shipshape:fp=[^>]* -->/g, '').trim();
    return [
        `✅ **Resolved** in ${sha.slice(0, 12)}: shipshape no longer reports this finding.`,
        '',
        '<details><summary>Original comment</summary>',
        '',
        original,
        '',
        '</details>',
        fingerprintMarker(fingerprint, { resolved: true, key }),
    ].join('\n');
}
// ---------------------------------------------------------------------------------------------
// One-line fixes
/** Safe values for keys whose fix is a single value change, whatever rule reported them. */
const SAFE_VALUES = {
    privileged: { bad: /^true$/i, good: 'false' },
    allowPrivilegeEscalation: { bad: /^true$/i, good: 'false' },
    runAsNonRoot: { bad: /^false$/i, good: 'true' },
    readOnlyRootFilesystem: { bad: /^false$/i, good: 'true' },
    hostNetwork: { bad: /^true$/i, good: 'false' },
    hostPID: { bad: /^true$/i, good: 'false' },
    hostIPC: { bad: /^true$/i, good: 'false' },
    automountServiceAccountToken: { bad: /^true$/i, good: 'false' },
    replicas: { bad: /^[01]$/, good: '2' },
    minReplicas: { bad: /^[01]$/, good: '2' },
    type: { bad: /^["']?Unconfined["']?$/, good: 'RuntimeDefault' },
};
/** Removed API versions and their replacements, by kind. */
const API_REPLACEMENTS = {
    'Deployment extensions/v1beta1': 'apps/v1',
    'Deployment apps/v1beta1': 'apps/v1',
    'Deployment apps/v1beta2': 'apps/v1',
    'DaemonSet extensions/v1beta1': 'apps/v1',
    'DaemonSet apps/v1beta2': 'apps/v1',
    'StatefulSet apps/v1beta1': 'apps/v1',
    'StatefulSet apps/v1beta2': 'apps/v1',
    'ReplicaSet extensions/v1beta1': 'apps/v1',
    'Ingress extensions/v1beta1': 'networking.k8s.io/v1',
    'Ingress networking.k8s.io/v1beta1': 'networking.k8s.io/v1',
    'PodDisruptionBudget policy/v1beta1': 'policy/v1',
    'CronJob batch/v1beta1': 'batch/v1',
    'HorizontalPodAutoscaler autoscaling/v2beta1': 'autoscaling/v2',
    'HorizontalPodAutoscaler autoscaling/v2beta2': 'autoscaling/v2',
    'NetworkPolicy extensions/v1beta1': 'networking.k8s.io/v1',
};
const KEY_VALUE_LINE = /^(\s*(?:-\s+)?)([A-Za-z][\w.-]*)(\s*:\s*)([^#\s][^#]*?)(\s+#.*)?$/;
/**
 * The commented line rewritten so the finding goes away, or undefined when the fix is not a
 * single-line change (a missing block to add, a tag only a human can choose). Only the value
 * changes; indentation, a list dash and a trailing comment are kept.
 */
function suggestFix(finding, lineText) {
    const m = KEY_VALUE_LINE.exec(lineText.replace(/\r$/, ''));
    if (!m)
        return undefined;
    const [, indent, key, sep, value, comment = ''] = m;
    const lastKey = /([A-Za-z][\w-]*)$/.exec(finding.path)?.[1];
    if (key !== lastKey)
        return undefined;
    let good;
    if (key === 'apiVersion') {
        good = API_REPLACEMENTS[`${finding.object.kind} ${value.replace(/^["']|["']$/g, '')}`];
    }
    else {
        const safe = SAFE_VALUES[key];
        if (safe?.bad.test(value) && (key !== 'type' || /seccompProfile\.type$/.test(finding.path)))
            good = safe.good;
    }
    return good === undefined ? undefined : `${indent}${key}${sep}${good}${comment}`;
}

;// CONCATENATED MODULE: ./lib/github/review.js




function planReview(input) {
    const plan = {
        comments: [],
        outsideDiff: [],
        overLimit: [],
        alreadyCommented: [],
        toDelete: [],
        toResolve: [],
    };
    const key = input.key ?? DEFAULT_KEY;
    const ours = input.existing.filter((c) => c.inReplyToId === undefined &&
        isOurs({ login: c.author }, input.identity) &&
        readFingerprintMarker(c.body)?.key === key);
    const active = new Set(ours
        .map((c) => readFingerprintMarker(c.body))
        .filter((m) => !m.resolved)
        .map((m) => m.fingerprint));
    const posted = new Set();
    for (const f of input.newFindings) {
        if (active.has(f.fingerprint)) {
            plan.alreadyCommented.push(f);
            continue;
        }
        // The same finding reached twice (two values files), or two objects made from one line (a
        // base both overlays use): one comment, since one edit fixes both.
        const sameLine = `${f.ruleId}\0${f.location.file}:${f.location.line}\0${f.message}`;
        if (posted.has(f.fingerprint) || posted.has(sameLine)) {
            plan.alreadyCommented.push(f); // covered by the comment just planned
            continue;
        }
        const { file, line } = f.location;
        // A regression made by deleting lines: its finding sits on a parent line the diff may not
        // show; the deleted lines are shown, on the LEFT side, and say best what went.
        const onRight = input.lines.has(file, line);
        const removed = f.removedAt ? input.lines.left(f.removedAt.file, f.removedAt.line) : undefined;
        if (!onRight && !removed) {
            plan.outsideDiff.push(f);
            continue;
        }
        if (plan.comments.length >= input.maxComments) {
            plan.overLimit.push(f);
            continue;
        }
        posted.add(f.fingerprint);
        posted.add(sameLine);
        if (removed && f.removedAt) {
            const body = `${removalNote(f)}\n\n${inlineCommentBody(f, undefined, key)}`;
            plan.comments.push({ path: removed, line: f.removedAt.line, side: 'LEFT', body, finding: f });
        }
        else {
            const body = inlineCommentBody(f, input.lineText?.(file, line), key);
            const note = f.removedAt ? `${removalNote(f)}\n\n` : '';
            plan.comments.push({ path: file, line, side: 'RIGHT', body: note + body, finding: f });
        }
    }
    const replied = new Set(input.existing.map((c) => c.inReplyToId).filter((id) => id !== undefined));
    for (const c of input.keepStale ? [] : ours) {
        const marker = readFingerprintMarker(c.body);
        if (marker.resolved || input.headFingerprints.has(marker.fingerprint))
            continue;
        (replied.has(c.id) ? plan.toResolve : plan.toDelete).push(c);
    }
    return plan;
}
/** What a LEFT-side comment says first: this pull request removed the field the finding needs. */
function removalNote(f) {
    const field = f.path.split('.').at(-1) ?? f.path;
    const at = f.removedAt ? ` (line ${f.removedAt.line} of \`${f.removedAt.file}\` at the base)` : '';
    return `⚠️ **Removed by this pull request:** \`${field}\`${at}; without it ${(0,types/* refKey */.XF)(f.object)} no longer passes \`${f.ruleId}\`.`;
}
/** Read the review comments already on the pull request (all pages). */
async function listReviewComments(session, pr) {
    const raw = await session.call('list review comments', (gh) => gh.paginate(gh.rest.pulls.listReviewComments, { ...session.repo, pull_number: pr.number, per_page: 100 }));
    return raw?.map((c) => ({
        id: c.id,
        body: c.body ?? '',
        path: c.path,
        ...(c.user?.login ? { author: c.user.login } : {}),
        ...(c.in_reply_to_id ? { inReplyToId: c.in_reply_to_id } : {}),
    }));
}
/**
 * Post the plan: the new comments as one review (GitHub rejects the whole review when one line
 * is outside the diff, which the plan has already ruled out), then tidy up the stale ones.
 */
async function publishReview(session, pr, plan) {
    const outcome = {
        posted: 0,
        deleted: 0,
        resolved: 0,
        failed: false,
        postedFingerprints: [],
    };
    if (plan.comments.length > 0) {
        const n = plan.comments.length;
        const review = await session.call('create review', (gh) => gh.rest.pulls.createReview({
            ...session.repo,
            pull_number: pr.number,
            commit_id: pr.headSha,
            event: 'COMMENT',
            body: `shipshape found ${n} new readiness ${n === 1 ? 'problem' : 'problems'} on lines this pull request changes.`,
            comments: plan.comments.map(({ path, line, side, body }) => ({ path, line, side, body })),
        }));
        if (review)
            outcome.posted = n;
        else if (session.failures.at(-1)?.status === 422 && n > 1) {
            // GitHub rejected one line we thought was in the diff, and with it the whole review: post
            // the comments one by one so only the offending one is lost (it stays in the summary).
            for (const c of plan.comments) {
                const ok = await session.call(`create review comment on ${c.path}:${c.line}`, (gh) => gh.rest.pulls.createReview({
                    ...session.repo,
                    pull_number: pr.number,
                    commit_id: pr.headSha,
                    event: 'COMMENT',
                    comments: [{ path: c.path, line: c.line, side: c.side, body: c.body }],
                }));
                if (ok) {
                    outcome.posted++;
                    outcome.postedFingerprints.push(c.finding.fingerprint);
                }
            }
            outcome.failed = outcome.posted === 0;
        }
        else
            outcome.failed = true;
        if (review)
            outcome.postedFingerprints.push(...plan.comments.map((c) => c.finding.fingerprint));
    }
    for (const c of plan.toDelete) {
        const ok = await session.call(`delete review comment ${c.id}`, (gh) => gh.rest.pulls.deleteReviewComment({ ...session.repo, comment_id: c.id }));
        if (ok)
            outcome.deleted++;
    }
    for (const c of plan.toResolve) {
        const marker = readFingerprintMarker(c.body);
        const ok = await session.call(`mark review comment ${c.id} resolved`, (gh) => gh.rest.pulls.updateReviewComment({
            ...session.repo,
            comment_id: c.id,
            body: resolvedCommentBody(c.body, marker.fingerprint, pr.headSha, marker.key),
        }));
        if (ok)
            outcome.resolved++;
    }
    return outcome;
}

;// CONCATENATED MODULE: ./lib/action/publish/review.js




/**
 * Inline review comments: each new finding on a line the pull request shows (or on the lines it
 * deleted), once; earlier comments whose finding is gone are deleted or marked resolved.
 */
const publishReviewComments = async (result, ctx) => {
    const pr = result.pullRequest;
    if (pr && canWrite(result, ctx) && ctx.settings.review && ctx.files && ctx.identity) {
        const { session } = ctx;
        const existing = await listReviewComments(session, { number: pr.number, headSha: pr.headSha });
        if (existing) {
            const { run } = result;
            const plan = planReview({
                newFindings: run.newFindings,
                headFingerprints: new Set(run.findings.map((f) => f.fingerprint)),
                lines: new CommentableLines(ctx.files),
                existing,
                maxComments: ctx.settings.maxInlineComments,
                lineText: (file, line) => result.lines[file]?.[String(line)],
                keepStale: run.errors.some((e) => e.level === 'error'),
                key: result.key,
                identity: ctx.identity,
            });
            const outcome = await publishReview(session, { number: pr.number, headSha: pr.headSha }, plan);
            for (const f of plan.alreadyCommented)
                ctx.state.commented.add(f.fingerprint);
            for (const fp of outcome.postedFingerprints)
                ctx.state.commented.add(fp);
            for (const f of plan.overLimit)
                ctx.state.overLimit.add(f.fingerprint);
            core/* info */.pq(`Review: ${outcome.posted} new inline comments, ${plan.alreadyCommented.length} already commented, ${outcome.deleted} deleted, ${outcome.resolved} marked resolved, ${plan.outsideDiff.length} outside the diff, ${plan.overLimit.length} over the limit of ${ctx.settings.maxInlineComments}.`);
        }
    }
    if (ctx.session?.writeDenied && canWrite(result, ctx)) {
        ctx.state.notes.push('The token may not write review comments (needs `pull-requests: write`): findings are in the annotations and the job summary.');
        core/* info */.pq('GitHub refused a write (403): falling back to annotations, the job summary and SARIF.');
    }
};

;// CONCATENATED MODULE: ./lib/github/sticky.js



/**
 * The sticky summary: one comment per pull request (more when it must be split), found again by
 * its hidden marker and edited in place on every push, so the conversation does not fill up with
 * a new report per commit.
 */
/** Room each part leaves for its marker line. */
const SUMMARY_PART_LIMIT = markdown/* GITHUB_COMMENT_LIMIT */._4 - 200;
async function publishSticky(session, issueNumber, parts, identity, key = 'default') {
    const outcome = { created: 0, updated: 0, deleted: 0, failed: false };
    const comments = await session.call('list pull request comments', (gh) => gh.paginate(gh.rest.issues.listComments, { ...session.repo, issue_number: issueNumber, per_page: 100 }));
    if (!comments) {
        outcome.failed = true;
        return outcome;
    }
    const ours = comments
        .filter((c) => isOurs(c.user, identity))
        .map((c) => ({ id: c.id, body: c.body ?? '', marker: readSummaryMarker(c.body) }))
        .filter((c) => c.marker?.key === key)
        .sort((a, b) => a.marker.part - b.marker.part || a.id - b.id);
    for (let i = 0; i < parts.length; i++) {
        const body = `${summaryMarker(i + 1, parts.length, key)}\n${parts[i]}`;
        const existing = ours[i];
        if (existing?.body === body)
            continue;
        const ok = existing
            ? await session.call(`update summary comment ${existing.id}`, (gh) => gh.rest.issues.updateComment({ ...session.repo, comment_id: existing.id, body }))
            : await session.call('create summary comment', (gh) => gh.rest.issues.createComment({ ...session.repo, issue_number: issueNumber, body }));
        if (!ok)
            outcome.failed = true;
        else if (existing)
            outcome.updated++;
        else
            outcome.created++;
    }
    for (const stale of ours.slice(parts.length)) {
        const ok = await session.call(`delete summary comment ${stale.id}`, (gh) => gh.rest.issues.deleteComment({ ...session.repo, comment_id: stale.id }));
        if (ok)
            outcome.deleted++;
    }
    return outcome;
}

;// CONCATENATED MODULE: ./lib/action/publish/summary-comment.js







/**
 * The sticky summary comment on the pull request, in as many parts as the comment cap needs,
 * updated in place on every run. A pull request that touches no manifest gets none (but an
 * earlier one is kept current).
 */
const publishSummaryComment = async (result, ctx) => {
    const pr = result.pullRequest;
    if (!pr || !canWrite(result, ctx) || !ctx.settings.comment || !ctx.identity)
        return;
    const nothingToSay = result.run.targets.length === 0 && result.counted.length === 0;
    const parts = (0,markdown/* splitMarkdown */.EI)(reportBlocks(result, ctx), SUMMARY_PART_LIMIT);
    const existing = nothingToSay ? await hasSticky(ctx.session, pr.number, result.key, ctx.identity) : true;
    if (!existing) {
        core/* info */.pq('No manifest is affected: no summary comment.');
        return;
    }
    const outcome = await publishSticky(ctx.session, pr.number, parts, ctx.identity, result.key);
    core/* info */.pq(`Summary comment: ${outcome.created} created, ${outcome.updated} updated, ${outcome.deleted} deleted (${parts.length} parts).`);
};
async function hasSticky(session, issue, key, identity) {
    const comments = await session.call('list pull request comments', (gh) => gh.paginate(gh.rest.issues.listComments, { ...session.repo, issue_number: issue, per_page: 100 }));
    return (comments ?? []).some((c) => isOurs(c.user, identity) && readSummaryMarker(c.body)?.key === key);
}

;// CONCATENATED MODULE: ./lib/action/publish/index.js





/**
 * Every output of the pull-request and check jobs, in order: the review first (the others say
 * which findings it commented), the check run before the workflow annotations (which it makes
 * unnecessary). A new output is one new file and one line here.
 */
const PUBLISHERS = [
    publishReviewComments,
    publishSummaryComment,
    publishCheck,
    publishAnnotations,
    publishReports,
];
/** Run every publisher over one result; each reports its own failures and the rest go on. */
async function publishAll(result, ctx) {
    for (const publish of PUBLISHERS)
        await publish(result, ctx);
}

// EXTERNAL MODULE: ./lib/config/check.js
var config_check = __webpack_require__(5662);
// EXTERNAL MODULE: ./lib/model/hash.js
var hash = __webpack_require__(9877);
// EXTERNAL MODULE: ./lib/model/partition.js
var partition = __webpack_require__(3427);
;// CONCATENATED MODULE: ./lib/action/settings.js



/**
 * The Action's inputs as one typed settings object, checked once, up front. Nothing else reads
 * inputs; a wrong value is a clear error naming the input, before any work is done.
 */
const MODES = ['auto', 'pull-request', 'check', 'drift', 'publish'];
class SettingsError extends Error {
}
const DEFAULT_MAX_INLINE_COMMENTS = 25;
function readSettings(read) {
    const problems = [];
    const oneOf = (name, allowed, fallback) => {
        const value = read(name).trim() || fallback;
        if (allowed.includes(value))
            return value;
        problems.push(`input ${name}: "${value}" is not one of ${allowed.join(', ')}`);
        return fallback;
    };
    const bool = (name, fallback) => {
        const value = read(name).trim();
        if (value === '')
            return fallback;
        if (/^(true|yes|on)$/i.test(value))
            return true;
        if (/^(false|no|off)$/i.test(value))
            return false;
        problems.push(`input ${name}: "${value}" is not true or false`);
        return fallback;
    };
    const count = (name, fallback) => {
        const value = read(name).trim();
        if (value === '')
            return fallback;
        if (/^\d+$/.test(value))
            return Number(value);
        problems.push(`input ${name}: "${value}" is not a whole number`);
        return fallback;
    };
    const optional = (name) => read(name).trim() || undefined;
    const settings = {
        token: read('github-token').trim(),
        mode: oneOf('mode', MODES, 'auto'),
        paths: splitList(read('paths')),
        config: optional('config'),
        failOn: oneOf('fail-on', config_check/* FAIL_ON */.d$, 'error'),
        comment: bool('comment', true),
        review: bool('review', true),
        sarif: optional('sarif'),
        maxInlineComments: count('max-inline-comments', DEFAULT_MAX_INLINE_COMMENTS),
        helm: optional('helm'),
        botLogin: optional('bot-login'),
        kustomize: optional('kustomize'),
        kubeVersion: optional('kube-version'),
        shard: undefined,
        publish: bool('publish', true),
        results: splitList(read('results')),
        drift: {
            // Not trimmed: a kubeconfig is YAML, and its content is the user's.
            kubeconfig: read('kubeconfig') || undefined,
            context: optional('context'),
            cluster: optional('cluster'),
            failOnDrift: bool('fail-on-drift', true),
            issue: bool('drift-issue', true),
        },
    };
    if (settings.paths.length === 0)
        settings.paths = ['.'];
    if (settings.results.length === 0)
        settings.results = ['shipshape-results'];
    const shard = read('shard').trim();
    if (shard) {
        try {
            settings.shard = (0,partition/* parseShard */.uK)(shard);
        }
        catch (err) {
            if (!(err instanceof partition/* ShardError */.Zj))
                throw err;
            problems.push(`input ${err.message}`);
        }
    }
    if (settings.mode === 'publish' && (settings.shard || !settings.publish))
        problems.push('mode publish publishes result files: it takes neither shard nor publish: false');
    else if (settings.shard && settings.publish && settings.shard.count > 1)
        problems.push(`input shard ${settings.shard.index}/${settings.shard.count} needs publish: false: a shard is part of a run, and one mode: publish job publishes the whole`);
    if (settings.shard && settings.mode === 'drift')
        problems.push('input shard: the drift job is not split');
    if (settings.kubeVersion && !/^v?\d+\.\d+(\.\d+)?([-+][\w.-]+)?$/.test(settings.kubeVersion)) {
        problems.push(`input kube-version: "${settings.kubeVersion}" is not a Kubernetes version like 1.33.0`);
    }
    for (const p of [...settings.paths, ...settings.results, settings.config, settings.sarif]) {
        if (p && (p.startsWith('/') || p.split(/[\\/]/).includes('..'))) {
            problems.push(`path "${p}" must stay inside the workspace (relative, without "..")`);
        }
    }
    if (problems.length > 0)
        throw new SettingsError(problems.join('\n'));
    return settings;
}
/** Paths one per line or separated by commas; blank lines and `#` comments ignored. */
function splitList(text) {
    return text
        .split(/[\n,]/)
        .map((s) => s.replace(/#.*$/, '').trim())
        .filter(Boolean);
}
/**
 * Which job `auto` means for the event that started the workflow. A schedule or a manual run is
 * drift only when drift is configured (a kubeconfig, or the Action runs inside the cluster);
 * otherwise it checks the branch, like a push.
 */
function resolveJob(mode, eventName, driftConfigured) {
    if (mode !== 'auto')
        return mode;
    switch (eventName) {
        case 'pull_request':
        case 'pull_request_target':
            return 'pull-request';
        case 'schedule':
        case 'workflow_dispatch':
            return driftConfigured ? 'drift' : 'check';
        default:
            return 'check';
    }
}
/**
 * Tells this job's comments from those of another shipshape job in the same pull request
 * (say, one per team folder): `default` for the whole repository, else derived from `paths`.
 */
function instanceKey(paths) {
    const sorted = [...paths].map((p) => p.replace(/\/+$/, '') || '.').sort();
    if (sorted.length === 1 && sorted[0] === '.')
        return 'default';
    return (0,hash/* sha256Hex */.f)(sorted.join('\n'), 10);
}

;// CONCATENATED MODULE: ./lib/action/readiness.js














/**
 * The pull-request and check jobs as the Action runs them: compute one result (the base-vs-head
 * run, what counts, the verdict), then hand it to every publisher (src/action/publish/). The exit
 * status follows `fail-on` whatever GitHub accepted, so the job stays a trustworthy required check.
 */
const readiness_log = log/* actionLog */.Z;
async function runReadiness(job, settings, ctx) {
    const pr = job === 'pull-request' ? ctx.pullRequest : undefined;
    if (job === 'pull-request' && !pr) {
        core/* warning */.$e('mode is pull-request but the event carries no pull request; checking the branch instead');
    }
    const session = openSession(settings, ctx);
    // Only comments the token itself wrote are ours to edit or delete.
    const identity = pr && session ? await resolveIdentity(session, settings.botLogin) : undefined;
    // The pull request's files and hunks, from the API (paginated); git fills in the names anyway.
    const files = pr && session ? await listChangedFiles(session, pr.number) : undefined;
    const result = await computeReadiness(job, settings, ctx, files);
    await publishResult(result, settings, ctx, { session, identity, files });
    return result;
}
/** The API as the token allows; none without a token. */
function openSession(settings, ctx) {
    return settings.token
        ? new client/* GitHubSession */.EU((0,client/* createGitHub */.Cl)({ token: settings.token, baseUrl: ctx.apiUrl, log: readiness_log }), ctx.repo, readiness_log)
        : undefined;
}
/** Hand one result to every publisher, with what they need from GitHub besides it. */
async function publishResult(result, settings, ctx, github) {
    const publish = {
        settings,
        run: ctx,
        ...github,
        state: { commented: new Set(), overLimit: new Set(), notes: [], checkRunMade: false },
    };
    if (result.pullRequest?.fromFork) {
        publish.state.notes.push('This pull request comes from a fork, whose token is read-only: the findings are in the workflow annotations, the job summary and the SARIF report instead of review comments.');
        core/* info */.pq('Pull request from a fork: read-only token. Falling back to annotations, the job summary and SARIF.');
    }
    await publishAll(result, publish);
}
/**
 * What a job decides from its own inputs, whoever computed the run: the comment key and the check
 * run's name (from `paths`: two jobs on different folders each need their own required check),
 * what counts, and the verdict against its `fail-on` (a counted finding reaches it, or something
 * could not be checked).
 */
function judge(run, settings) {
    const counted = (0,report_pull_request/* countedFindings */.Hs)(run);
    const inputErrors = run.errors.some((e) => e.level === 'error');
    const key = instanceKey(settings.paths);
    return {
        key,
        checkName: key === 'default' ? 'shipshape' : `shipshape (${settings.paths.join(', ')})`,
        failOn: settings.failOn,
        failed: settings.failOn !== 'never' && ((0,check/* reachesThreshold */.Lu)(counted, settings.failOn) || inputErrors),
        counted,
    };
}
/**
 * The one result every publisher works from: the base-vs-head run (on a pull request) or the
 * check of the branch, what counts, the verdict, and the head's text of each line a new finding
 * is on. Plain data: it can be saved as JSON and published by another job.
 */
async function computeReadiness(job, settings, ctx, files) {
    const pr = job === 'pull-request' ? ctx.pullRequest : undefined;
    // On a pull request the config (and the baseline) are the base branch's, never the head's.
    const trusted = await (0,config/* loadTrustedConfig */.C)(settings, ctx.workspace, pr?.baseSha);
    for (const note of trusted.notes)
        core/* notice */.lm(note);
    const commit = pr?.headSha ?? ctx.sha;
    const run = await (0,pull_request/* runPullRequestJob */.t0)({
        cwd: ctx.workspace,
        roots: settings.paths,
        config: trusted.config,
        configErrors: trusted.errors,
        base: pr?.baseSha,
        head: commit,
        trustedCommit: trusted.trustedCommit,
        changed: files?.flatMap((f) => (f.previousFilename ? [f.filename, f.previousFilename] : [f.filename])),
        log: log/* actionLog */.Z.info,
        shard: settings.shard,
    });
    const lines = pr ? await lineTexts(ctx.workspace, pr.headSha, run.newFindings) : {};
    return resultOf(run, settings, { job, commit, pullRequest: pr, notes: trusted.notes, lines });
}
/** The result of a run, judged by this job's own settings: what one job computes or a publish job merges. */
function resultOf(run, settings, about) {
    const judged = judge(run, settings);
    return {
        version: 1,
        job: about.job,
        key: judged.key,
        checkName: judged.checkName,
        commit: about.commit,
        ...(about.pullRequest ? { pullRequest: about.pullRequest } : {}),
        failOn: judged.failOn,
        failed: judged.failed,
        counted: judged.counted,
        notes: about.notes,
        lines: about.lines,
        run,
    };
}
/** The head's text of each line that carries a new finding, for one-line suggestions. */
async function lineTexts(cwd, headSha, findings) {
    const out = {};
    for (const file of new Set(findings.map((f) => f.location.file))) {
        // The head commit's text, not the checkout's: a merge checkout's lines are not the head's.
        const text = (await (0,git/* readFileAtCommit */.ln)(cwd, headSha, file)) ??
            (await (0,promises_.readFile)(external_node_path_.resolve(cwd, file), 'utf8').catch(() => undefined));
        if (text === undefined)
            continue;
        const lines = text.split('\n');
        const wanted = {};
        for (const f of findings) {
            const line = f.location.file === file ? lines[f.location.line - 1] : undefined;
            if (line !== undefined)
                wanted[String(f.location.line)] = line;
        }
        out[file] = wanted;
    }
    return out;
}

;// CONCATENATED MODULE: ./lib/github/pulls.js
async function findPullForRun(session, run) {
    const owner = run.headRepository.split('/')[0];
    if (!owner || !run.headBranch)
        return { error: 'the workflow_run event names no head repository and branch' };
    const pulls = await session.call('list pull requests', (gh) => gh.paginate(gh.rest.pulls.list, {
        ...session.repo,
        state: 'open',
        head: `${owner}:${run.headBranch}`,
        per_page: 100,
    }));
    if (!pulls)
        return { error: 'could not list the pull requests for the run’s head (see the log)' };
    const here = `${session.repo.owner}/${session.repo.repo}`.toLowerCase();
    const fromRepo = pulls.filter((p) => p.head.ref === run.headBranch &&
        (p.head.repo?.full_name ?? '').toLowerCase() === run.headRepository.toLowerCase() &&
        (p.base.repo?.full_name ?? here).toLowerCase() === here);
    const matching = fromRepo.filter((p) => p.head.sha === run.headSha);
    if (matching.length === 1) {
        const p = matching[0];
        return {
            pull: {
                number: p.number,
                baseSha: p.base.sha,
                baseRef: p.base.ref,
                headSha: p.head.sha,
                headRef: p.head.ref,
                fromFork: (p.head.repo?.full_name ?? '').toLowerCase() !== here,
            },
        };
    }
    if (matching.length > 1)
        return {
            error: `${matching.length} open pull requests have head ${run.headSha.slice(0, 12)}: not publishing to any`,
        };
    if (fromRepo.length > 0)
        return {
            superseded: true,
            error: `pull request #${fromRepo[0].number} has moved on to ${fromRepo[0].head.sha.slice(0, 12)} since this run (${run.headSha.slice(0, 12)}): the newer run publishes`,
        };
    return {
        error: `no open pull request has head ${run.headRepository}:${run.headBranch} at ${run.headSha.slice(0, 12)}`,
    };
}

// EXTERNAL MODULE: ./lib/report/pieces.js
var pieces = __webpack_require__(5955);
// EXTERNAL MODULE: ./lib/jobs/shard.js
var shard = __webpack_require__(7304);
;// CONCATENATED MODULE: ./lib/model/json.js
/**
 * `JSON.stringify(value)` (compact) as a run of chunks (the CLI's indented report has its own,
 * `report/json.ts`, shaped finding by finding), the same text once joined: arrays and plain
 * objects down to `depth` levels are written member by member, anything deeper as one chunk. A
 * result with 160,000 findings is more JSON than one JavaScript string can hold (about 512 MiB),
 * and it need never be one string: it is written a piece at a time.
 */
function* stringifyInChunks(value, depth = 4) {
    const json = toJsonValue(value);
    if (depth <= 0 || json === null || typeof json !== 'object') {
        yield JSON.stringify(json) ?? 'null';
        return;
    }
    if (Array.isArray(json)) {
        yield '[';
        for (let i = 0; i < json.length; i++) {
            if (i > 0)
                yield ',';
            const item = toJsonValue(json[i]);
            if (item === undefined || typeof item === 'function' || typeof item === 'symbol')
                yield 'null';
            else
                yield* stringifyInChunks(item, depth - 1);
        }
        yield ']';
        return;
    }
    yield '{';
    let first = true;
    for (const key of Object.keys(json)) {
        const item = toJsonValue(json[key]);
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol')
            continue;
        yield `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        yield* stringifyInChunks(item, depth - 1);
    }
    yield '}';
}
/** What `JSON.stringify` serialises in a value's place: its `toJSON()`, or a boxed primitive's value. */
function toJsonValue(value) {
    if (value === null || typeof value !== 'object')
        return value;
    if (typeof value.toJSON === 'function')
        return value.toJSON();
    if (value instanceof Number || value instanceof String || value instanceof Boolean)
        return value.valueOf();
    return value;
}

// EXTERNAL MODULE: ./lib/rules/suppress.js
var suppress = __webpack_require__(2200);
;// CONCATENATED MODULE: ./lib/result/payload.js





/**
 * The schemas of what a result file carries: findings, input errors, the rendered diff, and the
 * pull-request job's result. Every field a run writes from its own vocabulary (rule ids,
 * categories, severities, fingerprints, commits) must be exactly that vocabulary; free text is
 * bounded and, from an untrusted run, neutralised; file paths stay relative and inside the
 * repository (they become links and review-comment positions).
 */
/** The most any one list in a result may hold (findings of a run, targets, objects of a diff). */
const MAX_LIST = 50_000;
/** The longest free text (a message, a note, an error). */
const MAX_TEXT = 8_192;
/** The longest rendered diff of one object. */
const MAX_DIFF = 2 * 1024 * 1024;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const sha = str(64, { pattern: SHA });
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what it refuses
const ref = str(255, { pattern: /^[^\u0000-\u001f\u007f]*$/, as: 'text' });
/**
 * A repository-relative path: no leading `/`, no `..` segment, no control characters. A path is
 * a review comment's position and a link, so it is never rewritten: from an untrusted run it must
 * also be plain (letters, digits, `. _ - / + = , ~` and spaces), or the file is refused.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what it refuses
const RELATIVE = /^(?!\/)(?!(?:.*\/)?\.\.(?:\/|$))[^\u0000-\u001f\u007f\\]+$/;
const PLAIN_PATH = /^[\w.\-/+=,~ ]+$/;
const anyPath = str(1024, { pattern: RELATIVE });
const plainPath = str(1024, { pattern: PLAIN_PATH });
const repoPath = (value, at, budget) => {
    const path = anyPath(value, at, budget);
    return budget.untrusted ? plainPath(path, at, { ...budget, chars: Number.POSITIVE_INFINITY }) : path;
};
const payload_text = str(MAX_TEXT, { as: 'text' });
const line = schema_int(0, 10_000_000);
const locationIn = (file) => obj({
    file,
    line,
    column: line,
    endLine: optional(line),
    endColumn: optional(line),
    key: optional(str(1024, { as: 'text' })),
});
const payload_location = locationIn(repoPath);
/** A path that is only shown (any file a pull request changes), neutralised like text. */
const pathText = str(1024, { pattern: RELATIVE, as: 'text' });
/** Where a field sits in rendered output: `charts/web [rendered]`, a name more than a path. */
const renderedLocation = locationIn(pathText);
/** Names as Kubernetes has them, bounded; from an untrusted run, neutralised like any text. */
const payload_name = str(253, { as: 'text' });
const objectRef = obj({
    apiVersion: payload_name,
    kind: payload_name,
    namespace: optional(payload_name),
    name: payload_name,
});
const RULE_IDS = [...rules/* ALL_RULES */.U.map((r) => r.meta.id), ...suppress/* SUPPRESSION_RULES */.AX.map((m) => m.id)];
const finding = obj({
    ruleId: oneOf(RULE_IDS),
    checklist: oneOf(types/* CATEGORIES */.R6),
    severity: oneOf(['error', 'warning', 'info']),
    message: payload_text,
    remediation: payload_text,
    object: objectRef,
    path: str(4096, { as: 'text' }),
    location: payload_location,
    renderedLocation: optional(renderedLocation),
    fingerprint: str(16, { pattern: /^[0-9a-f]{16}$/ }),
    removedAt: optional(payload_location),
});
const inputError = obj({
    // A tool's own error text can be long (helm's template traces): bounded, more generously.
    message: str(64 * 1024, { as: 'text' }),
    location: optional(payload_location),
    level: oneOf(['error', 'note']),
});
const objectDiff = obj({
    key: payload_name,
    change: oneOf(['added', 'removed', 'changed', 'renamed']),
    from: optional(payload_name),
    diff: str(MAX_DIFF, { as: 'code' }),
    nondeterministic: list(str(4096, { as: 'text' }), 10_000),
    unstableName: optional(bool),
    secret: bool,
});
const findings = list(finding, MAX_LIST);
const errors = list(inputError, MAX_LIST);
const targetOutcome = obj({
    name: str(2048, { as: 'text' }),
    kind: oneOf(['helm', 'kustomize', 'plain']),
    app: optional(str(2048, { as: 'text' })),
    presence: oneOf(['both', 'added', 'removed', 'head-only-check']),
    head: optional(obj({ findings, errors, objects: schema_int(0, 10_000_000) })),
    status: oneOf(['ok', 'added', 'removed', 'base-failed', 'head-failed']),
    baseErrors: errors,
    newFindings: findings,
    existingFindings: findings,
    fixedFindings: findings,
    diff: list(objectDiff, MAX_LIST),
    unchanged: schema_int(0, 10_000_000),
    workloads: list(objectRef, MAX_LIST),
});
/** The pull-request (or check) job's result: jobs/pull-request.ts's PullRequestJobResult. */
const jobResult = obj({
    mode: oneOf(['pull-request', 'check']),
    base: optional(sha),
    head: optional(sha),
    mergeBase: optional(sha),
    changedFiles: list(pathText, MAX_LIST),
    targets: list(targetOutcome, 10_000),
    findings,
    newFindings: findings,
    existingFindings: findings,
    fixedFindings: findings,
    errors,
    renderedChanged: bool,
    files: list(str(2048, { as: 'text' }), MAX_LIST),
    objects: schema_int(0, 100_000_000),
});
const pullRequestInfo = obj({
    number: schema_int(1, 1_000_000_000),
    baseSha: sha,
    headSha: sha,
    baseRef: ref,
    headRef: ref,
    fromFork: bool,
});
/** The Action's result of one run (action/publish/types.ts's ReadinessResult). */
const readinessResult = obj({
    version: schema_int(1, 1),
    job: oneOf(['pull-request', 'check']),
    key: str(64, { pattern: /^(default|[0-9a-f]{10})$/ }),
    checkName: str(1024, { as: 'text' }),
    commit: sha,
    pullRequest: optional(pullRequestInfo),
    failOn: oneOf(config_check/* FAIL_ON */.d$),
    failed: bool,
    counted: findings,
    notes: list(payload_text, 1_000),
    // The head's text of each line a new finding sits on: file -> line number -> text.
    lines: record(repoPath, record(str(9, { pattern: /^[1-9]\d{0,8}$/ }), str(MAX_TEXT, { as: 'code' }), 10_000), 10_000),
    run: jobResult,
});

;// CONCATENATED MODULE: ./lib/result/file.js






/**
 * The result file: what a job that computes without publishing (`publish: false`) leaves for a
 * job that publishes (`mode: publish`), in the same workflow run (shards of a monorepo) or in a
 * `workflow_run` that a fork's pull request triggered. One file per job, named by its shard.
 *
 * Reading one is reading untrusted input: the size is checked before anything is parsed, the
 * content against the schema (every list and string bounded, unknown fields refused), and a set
 * of files against what the trusted side knows (the commit and pull request the event names, one
 * file per shard, all from one split of the same targets). Nothing in a file is ever run.
 */
const RESULT_FORMAT = 'shipshape-result';
/** Larger than any run's result we have seen by far; a file over it is refused unread. */
const MAX_RESULT_BYTES = 32 * 1024 * 1024;
/** Most result files one publish job reads (GitHub allows 256 jobs per matrix). */
const MAX_RESULT_FILES = 256;
/** Over the whole file: list items, and characters of text. */
const LIMITS = { items: 1_000_000, chars: MAX_RESULT_BYTES };
/** What the file says about the split it belongs to (jobs/shard.ts's ShardInfo). */
const shardStamp = obj({
    index: schema_int(1, 256),
    count: schema_int(1, 256),
    /** The digest of every target id of the split: shards of one run agree on it. */
    partition: str(64, { pattern: /^[0-9a-f]{16}$/ }),
    total: schema_int(0, 1_000_000),
    targets: list(str(2048, { as: 'text' }), 1_000_000),
    positions: list(schema_int(0, 1_000_000), 1_000_000),
});
const envelope = obj({
    format: literal(RESULT_FORMAT),
    version: literal(1),
    /** The shipshape version that wrote it: shards and the publisher must be the same release. */
    shipshape: str(64, { pattern: /^[\w.+-]+$/ }),
    /** The commit the result is about: the pull request's head, else the commit checked. */
    commit: sha,
    pullRequest: optional(obj({ number: schema_int(1, 1_000_000_000), headSha: sha, baseSha: sha })),
    shard: shardStamp,
    result: readinessResult,
});
/** The file's name for a shard, so that artifacts of a matrix can be downloaded side by side. */
function resultFileName(shard) {
    return shard.count === 1
        ? `${RESULT_FORMAT}.json`
        : `${RESULT_FORMAT}-${shard.index}-of-${shard.count}.json`;
}
/** The envelope for one job's result: which commit and pull request, which shard of which split. */
function resultFileOf(result, version) {
    const pr = result.pullRequest;
    // The split goes in the envelope; the run stored is the run as publishers read it.
    const { shard: split, ...run } = result.run;
    const shard = split ?? wholeRun(result.run);
    return {
        format: RESULT_FORMAT,
        version: 1,
        shipshape: version,
        commit: result.commit,
        ...(pr ? { pullRequest: { number: pr.number, headSha: pr.headSha, baseSha: pr.baseSha } } : {}),
        shard: {
            index: shard.spec.index,
            count: shard.spec.count,
            partition: shard.partition,
            total: shard.total,
            targets: shard.targets,
            positions: shard.positions,
        },
        result: { ...result, run },
    };
}
/** A run that was not split: shard 1 of 1, every target it evaluated, in its order. */
function wholeRun(run) {
    const ids = run.targets.map((t) => t.name);
    return {
        spec: { index: 1, count: 1 },
        targets: ids,
        positions: ids.map((_, i) => i),
        total: ids.length,
        partition: (0,shard/* partitionDigest */.P3)(ids),
    };
}
/** The text of a result file. Write it through the secrets module's masking, like every output. */
function formatResultFile(file) {
    return [...resultFileChunks(file)].join('');
}
/**
 * A result file's text a piece at a time (`formatResultFile` joined): a run with 160,000 findings
 * makes more than one JavaScript string can hold, and must still leave its result.
 */
function* resultFileChunks(file) {
    yield* stringifyInChunks(file);
    yield '\n';
}
/**
 * Parse and validate one result file. `untrusted`: it comes from a run with less privilege than
 * this one (a fork's), so its free text is neutralised too (result/escape.ts).
 */
function parseResultFile(text, options) {
    const where = options.name ?? 'the result file';
    if (Buffer.byteLength(text) > MAX_RESULT_BYTES)
        throw new ResultError(`${where}: larger than ${MAX_RESULT_BYTES / 1024 / 1024} MiB; refused unread`);
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        throw new ResultError(`${where}: not JSON (${err.message.slice(0, 200)})`);
    }
    let file;
    try {
        file = envelope(value, '', budget(options.untrusted, { ...LIMITS }));
    }
    catch (err) {
        if (err instanceof ResultError)
            throw new ResultError(`${where}: ${err.message}`);
        throw err;
    }
    // The envelope and the result inside it must tell one story.
    const { result, shard } = file;
    const problems = [];
    if (result.commit !== file.commit)
        problems.push(`its result is about ${result.commit}, its envelope ${file.commit}`);
    if (file.pullRequest?.number !== result.pullRequest?.number)
        problems.push('its result names another pull request');
    if (file.pullRequest && file.pullRequest.headSha !== file.commit)
        problems.push('its pull request head is not its commit');
    if (shard.index > shard.count)
        problems.push(`shard ${shard.index} of ${shard.count}`);
    if (shard.targets.length !== shard.positions.length)
        problems.push('its shard lists targets and positions that do not pair');
    if (shard.positions.some((p) => p >= shard.total))
        problems.push('its shard names a target past the total');
    if (problems.length > 0)
        throw new ResultError(`${where}: ${problems.join('; ')}`);
    return file;
}
/**
 * A set of result files checked as one run: every shard of one split, each once, all about the
 * expected commit and pull request. Anything else is refused with what is wrong, so that a
 * missing shard is never published as a complete result. Returns the files in shard order.
 */
function checkResultSet(files, expected) {
    if (files.length === 0)
        throw new ResultError('no result file was found: nothing to publish');
    const problems = [];
    const label = (f) => `shard ${f.shard.index}/${f.shard.count}`;
    for (const f of files) {
        if (f.commit !== expected.commit)
            problems.push(`${label(f)} is about commit ${f.commit.slice(0, 12)}, not ${expected.commit.slice(0, 12)} (a result of another run or push)`);
        if (expected.pullRequest !== undefined && f.pullRequest?.number !== expected.pullRequest)
            problems.push(`${label(f)} is about ${f.pullRequest ? `pull request #${f.pullRequest.number}` : 'no pull request'}, not #${expected.pullRequest}`);
        if (expected.pullRequest === undefined && f.pullRequest)
            problems.push(`${label(f)} is about pull request #${f.pullRequest.number}, but this run is about none`);
        if (f.shipshape !== expected.version)
            problems.push(`${label(f)} was written by shipshape ${f.shipshape}, and this is ${expected.version}: use one release in both jobs`);
    }
    const count = files[0].shard.count;
    if (files.some((f) => f.shard.count !== count))
        problems.push(`the files come from splits into ${[...new Set(files.map((f) => f.shard.count))].join(' and ')} shards`);
    const digest = files[0].shard.partition;
    if (files.some((f) => f.shard.partition !== digest))
        problems.push('the shards split different sets of targets (another commit, other paths or config)');
    const byIndex = new Map();
    for (const f of files) {
        if (byIndex.has(f.shard.index))
            problems.push(`${label(f)} appears twice`);
        byIndex.set(f.shard.index, f);
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length > 0)
        problems.push(`the result of shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} is missing (did that job fail, or its upload?): a partial result is not published as complete`);
    if (problems.length === 0) {
        // Together the shards take every target once.
        const total = files[0].shard.total;
        const seen = new Array(total).fill(0);
        for (const f of files) {
            if (f.shard.total !== total)
                problems.push(`${label(f)} counts ${f.shard.total} targets, not ${total}`);
            for (const p of f.shard.positions)
                if (p < total)
                    seen[p]++;
        }
        const wrong = seen.filter((n) => n !== 1).length;
        if (wrong > 0)
            problems.push(`${wrong} target${wrong === 1 ? ' is' : 's are'} not taken by exactly one shard`);
    }
    if (problems.length > 0)
        throw new ResultError(`cannot publish these results:\n- ${problems.join('\n- ')}`);
    return [...files].sort((a, b) => a.shard.index - b.shard.index);
}
/**
 * Result files under the given paths (files, or folders as actions/download-artifact leaves them,
 * searched for `shipshape-result*.json`). Links are not followed; at most MAX_RESULT_FILES.
 */
async function findResultFiles(paths, cwd) {
    const found = [];
    const visit = async (abs, depth, named) => {
        const st = await (0,promises_.lstat)(abs).catch(() => undefined);
        if (!st) {
            if (named)
                throw new ResultError(`${external_node_path_.relative(cwd, abs) || abs}: no such file or folder`);
            return;
        }
        if (st.isSymbolicLink())
            throw new ResultError(`${external_node_path_.relative(cwd, abs)}: a link; result files are read only as plain files`);
        if (st.isFile()) {
            if (named || /^shipshape-result.*\.json$/.test(external_node_path_.basename(abs)))
                found.push(abs);
        }
        else if (st.isDirectory() && depth < 4) {
            const entries = (await (0,promises_.readdir)(abs)).sort();
            for (const e of entries)
                await visit(external_node_path_.join(abs, e), depth + 1, false);
        }
        if (found.length > MAX_RESULT_FILES)
            throw new ResultError(`more than ${MAX_RESULT_FILES} result files`);
    };
    for (const p of paths)
        await visit(external_node_path_.resolve(cwd, p), 0, true);
    return found;
}
/** Read and validate result files; the size is checked before a file is read. */
async function readResultFiles(files, options) {
    const out = [];
    for (const file of files) {
        const name = external_node_path_.relative(options.cwd, file) || file;
        const st = await (0,promises_.lstat)(file);
        if (st.size > MAX_RESULT_BYTES)
            throw new ResultError(`${name}: larger than ${MAX_RESULT_BYTES / 1024 / 1024} MiB; refused unread`);
        out.push(parseResultFile(await (0,promises_.readFile)(file, 'utf8'), { untrusted: options.untrusted, name }));
    }
    return out;
}

;// CONCATENATED MODULE: ./lib/result/merge.js


/**
 * The shards' results as the one run they split: every target's outcome back in the place it had
 * in the unsharded run's plan, and the run's lists rebuilt from them in that order, the way the
 * pull-request job builds them (then finished as it finishes a run), so that publishing the merge is publishing what one job would
 * have computed (the same finding kept where several targets make it on one line, the same
 * order everywhere). Run-wide facts (the commits, the changed files, the config's and
 * discovery's errors) are every shard's alike; a shard that disagrees is refused.
 *
 * Takes files already checked as one set (file.ts: checkResultSet).
 */
function mergeRuns(files) {
    const runs = files.map((f) => f.result.run);
    const first = runs[0];
    const problems = [];
    const placed = [];
    let shared;
    const readFiles = new Set();
    let objects = 0;
    files.forEach((file, i) => {
        const run = runs[i];
        const label = `shard ${file.shard.index}/${file.shard.count}`;
        for (const key of ['mode', 'base', 'head', 'mergeBase'])
            if (run[key] !== first[key])
                problems.push(`${label} has another ${key} (${run[key]} vs ${first[key]})`);
        if (JSON.stringify(run.changedFiles) !== JSON.stringify(first.changedFiles))
            problems.push(`${label} saw other changed files`);
        const { positions, targets } = file.shard;
        if (run.targets.length !== positions.length) {
            problems.push(`${label} reports ${run.targets.length} targets but took ${positions.length}`);
            return;
        }
        // A run lists its targets by name; the shard says where each stood in the split.
        const position = new Map(targets.map((name, k) => [name, positions[k]]));
        for (const outcome of run.targets) {
            const at = position.get(outcome.name);
            if (at === undefined)
                problems.push(`${label} reports a target it did not take`);
            else
                placed.push({ position: at, outcome });
        }
        if (position.size !== targets.length)
            problems.push(`${label} names a target twice`);
        // The run's errors are the run-wide ones, then each target's head errors in order.
        const own = run.targets.reduce((n, t) => n + (t.head?.errors.length ?? 0), 0);
        const runWide = run.errors.slice(0, run.errors.length - own);
        if (shared === undefined)
            shared = runWide;
        else if (JSON.stringify(shared) !== JSON.stringify(runWide))
            problems.push(`${label} reports other run-wide errors than shard ${files[0].shard.index}`);
        for (const f of run.files)
            readFiles.add(f);
        objects += run.objects;
    });
    if (problems.length > 0)
        throw new ResultError(`the shards' results do not fit together:\n- ${problems.join('\n- ')}`);
    const outcomes = placed.sort((a, b) => a.position - b.position).map((p) => p.outcome);
    const merged = {
        mode: first.mode,
        ...(first.base !== undefined ? { base: first.base } : {}),
        ...(first.head !== undefined ? { head: first.head } : {}),
        ...(first.mergeBase !== undefined ? { mergeBase: first.mergeBase } : {}),
        changedFiles: first.changedFiles,
        targets: outcomes,
        findings: outcomes.flatMap((o) => o.head?.findings ?? []),
        newFindings: outcomes.flatMap((o) => o.newFindings),
        existingFindings: outcomes.flatMap((o) => o.existingFindings),
        fixedFindings: outcomes.flatMap((o) => o.fixedFindings),
        errors: [...(shared ?? []), ...outcomes.flatMap((o) => o.head?.errors ?? [])],
        renderedChanged: outcomes.some((o) => o.diff.length > 0),
        files: [...readFiles],
        objects,
    };
    // As the job finishes a run: the same stable sorts over the same order.
    return (0,pull_request/* finish */.O9)(merged);
}
/** The head's text of the lines new findings sit on, from every shard. */
function mergeLines(files) {
    const out = {};
    for (const f of files)
        for (const [file, lines] of Object.entries(f.result.lines))
            out[file] = { ...out[file], ...lines };
    return out;
}

;// CONCATENATED MODULE: ./lib/action/results.js













/**
 * Computing and publishing in different jobs. `publish: false` computes the result as every job
 * does and leaves it in one file; `mode: publish` reads the files of every shard (or of a fork's
 * run), checks them as one run about the commit and pull request its own event names, merges
 * them, and hands the merge to the same publishers a single job uses (src/action/publish/).
 */
/** `publish: false`: compute, save the result file, write nothing to GitHub. */
async function computeOnly(job, settings, ctx) {
    const pr = job === 'pull-request' ? ctx.pullRequest : undefined;
    const session = openSession(settings, ctx);
    // Reading the pull request's files is all this job asks of the API.
    const files = pr && session ? await listChangedFiles(session, pr.number) : undefined;
    const result = await computeReadiness(job, settings, ctx, files);
    await saveResult(result, ctx);
    return result;
}
/**
 * The result as one file in the runner's temporary folder (masked like every file the Action
 * writes), named by its shard, and the `result-file` output naming it.
 */
async function saveResult(result, ctx) {
    const file = resultFileOf(result, version/* VERSION */.x);
    const stamp = { ...file.shard, spec: { index: file.shard.index, count: file.shard.count } };
    const dir = external_node_path_.join(ctx.tempDir, 'shipshape');
    await (0,promises_.mkdir)(dir, { recursive: true });
    const out = external_node_path_.join(dir, resultFileName(stamp.spec));
    // Written a piece at a time (each masked): it can be larger than one string may be.
    const handle = await (0,promises_.open)(out, 'w');
    try {
        for (const piece of (0,pieces/* inPieces */.x)(resultFileChunks(file)))
            await handle.write((0,secrets/* maskSecrets */.QU)(piece));
    }
    finally {
        await handle.close();
    }
    core/* setOutput */.uH('result-file', out);
    core/* info */.pq(`Result of shard ${stamp.spec.index}/${stamp.spec.count} (${stamp.targets.length} of ${stamp.total} targets, ${result.counted.length} counted findings, ${result.failed ? 'failing' : 'passing'}): ${out}. Nothing was published: a mode: publish job publishes it.`);
    return out;
}
/**
 * `mode: publish`. What is published, and where, is decided by what this job trusts: its inputs
 * and its event. On `workflow_run` the files come from a run that had less privilege (a fork's)
 * and are read as hostile input; the pull request is the open one whose head is exactly the
 * commit the event names. Otherwise they come from this run's own jobs and are published as they
 * are, to this event's pull request or commit.
 */
async function runPublishResults(settings, ctx) {
    const session = openSession(settings, ctx);
    const untrusted = ctx.eventName === 'workflow_run';
    let pr;
    let commit;
    if (untrusted) {
        const run = ctx.workflowRun;
        if (!run)
            throw new ResultError('the workflow_run event names no run');
        if (run.event !== 'pull_request')
            throw new ResultError(`the run that triggered this one ran on ${run.event || 'an unknown event'}, not pull_request`);
        if (!session)
            throw new ResultError('mode publish on workflow_run needs a github-token to find the pull request');
        const found = await findPullForRun(session, run);
        if ('error' in found) {
            if (found.superseded) {
                core/* warning */.$e(`Not published: ${found.error}.`);
                return undefined;
            }
            throw new ResultError(`cannot tell which pull request to publish to: ${found.error}`);
        }
        // This job's token may write even when the head is a fork's: that is what the pattern is for.
        pr = { ...found.pull, fromFork: false };
        commit = run.headSha;
    }
    else {
        pr = ctx.pullRequest;
        commit = pr?.headSha ?? ctx.sha;
    }
    const paths = await findResultFiles(settings.results, ctx.workspace);
    const files = checkResultSet(await readResultFiles(paths, { untrusted, cwd: ctx.workspace }), {
        commit,
        ...(pr ? { pullRequest: pr.number } : {}),
        version: version/* VERSION */.x,
    });
    const run = mergeRuns(files);
    if (run.head !== undefined && run.head !== commit)
        throw new ResultError(`the results compare up to ${run.head.slice(0, 12)}, not the head ${commit.slice(0, 12)}`);
    if ((run.mode === 'pull-request') !== (pr !== undefined))
        throw new ResultError(pr
            ? 'the results are a check of a branch, not a pull request review'
            : 'the results review a pull request, but this run is about none');
    core/* info */.pq(`Publishing ${files.length} result file${files.length === 1 ? '' : 's'} (${paths.map((p) => external_node_path_.relative(ctx.workspace, p)).join(', ')}) as one run: ${run.targets.length} targets${untrusted ? ', read as untrusted input from the pull request’s run' : ''}.`);
    // What this job decides itself: the verdict against its own fail-on, the check's name and the
    // comment key from its own paths, the pull request from its own event.
    const result = resultOf(run, settings, {
        job: pr ? 'pull-request' : 'check',
        commit,
        pullRequest: pr,
        notes: files[0].result.notes,
        lines: mergeLines(files),
    });
    const identity = pr && session ? await resolveIdentity(session, settings.botLogin) : undefined;
    const changed = pr && session ? await listChangedFiles(session, pr.number) : undefined;
    await publishResult(result, settings, ctx, { session, identity, files: changed });
    return result;
}

;// CONCATENATED MODULE: ./lib/action/main.js









/**
 * The Action's entry: inputs -> settings -> one job. It only orchestrates; each job publishes its
 * own results, and the exit status says whether the job found what `fail-on` fails on.
 */
async function main() {
    (0,heap/* youngGenerationAtFirstSize */.h)();
    // Every secret value the run sees is registered with the runner and masked in all output.
    installSecretMasking();
    const settings = readSettings((name) => core/* getInput */.V4(name));
    // The workflow token and every secret passed in are the runner's to mask already.
    const ctx = readContext();
    const driftConfigured = Boolean(settings.drift.kubeconfig) || Boolean(process.env.KUBERNETES_SERVICE_HOST);
    const job = resolveJob(settings.mode, ctx.eventName, driftConfigured);
    core/* info */.pq(`shipshape: ${job} (event ${ctx.eventName || 'unknown'}, mode ${settings.mode})`);
    if (job === 'drift') {
        // Loaded lazily: the cluster client is most of the bundle, and pull requests never need it.
        const { runDrift } = await Promise.all(/* import() */[__webpack_require__.e(821), __webpack_require__.e(864)]).then(__webpack_require__.bind(__webpack_require__, 4864));
        await runDrift(settings, ctx);
        return;
    }
    // A job of a split (or a fork's run) computes; one `mode: publish` job publishes for all.
    const result = job === 'publish'
        ? await runPublishResults(settings, ctx)
        : settings.publish
            ? await runReadiness(job, settings, ctx)
            : await computeOnly(job, settings, ctx);
    if (result?.failed) {
        const pr = result.run.mode === 'pull-request';
        const reaching = result.counted.filter((f) => (0,check/* reachesThreshold */.Lu)([f], settings.failOn)).length;
        const errors = result.run.errors.filter((e) => e.level === 'error').length;
        const parts = [
            reaching ? `${reaching} ${pr ? 'new ' : ''}findings at or above "${settings.failOn}"` : '',
            errors ? `${errors} targets or files could not be checked` : '',
        ].filter(Boolean);
        core/* setFailed */.C1(`shipshape: ${parts.join('; ')}`);
    }
}
main().catch((err) => {
    if (err instanceof SettingsError)
        core/* setFailed */.C1(err.message);
    else if (err instanceof ResultError)
        core/* setFailed */.C1(`shipshape: ${err.message}`);
    else
        core/* setFailed */.C1(`shipshape failed: ${err.stack ?? String(err)}`);
});


/***/ }),

/***/ 636:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cl: () => (/* binding */ createGitHub),
/* harmony export */   EU: () => (/* binding */ GitHubSession),
/* harmony export */   c2: () => (/* binding */ statusOf)
/* harmony export */ });
/* unused harmony exports maskRequest, retryDelayMs, withRetry, describeError, isPermissionDenied */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _model_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7443);
/* harmony import */ var _secrets_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2767);



const DEFAULT_RETRIES = 4;
const DEFAULT_MAX_WAIT_MS = 120_000;
function createGitHub(options) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, options.baseUrl ? { baseUrl: options.baseUrl } : {});
    // Secret values never leave the process: comments, reviews, check runs and issues included.
    octokit.hook.before('request', (params) => maskRequest(params));
    octokit.hook.wrap('request', (request, params) => withRetry(async () => request(params), `${params.method} ${params.url}`, options));
    return octokit;
}
/** What routes a request rather than being sent as its content: never masked. */
const ROUTING = new Set(['method', 'url', 'baseUrl', 'headers', 'request', 'mediaType']);
/**
 * Every secret the run has seen masked in a request's parameters (bodies, titles, annotations,
 * GraphQL variables), in place. The URL's own parameters (`{owner}`, `{issue_number}`) and a
 * GraphQL document are left as they are: they say where the request goes and what it does.
 */
function maskRequest(params) {
    if (_secrets_index_js__WEBPACK_IMPORTED_MODULE_1__/* .secrets */ .O3.size === 0)
        return;
    const url = typeof params.url === 'string' ? params.url : '';
    for (const key of Object.keys(params)) {
        if (ROUTING.has(key) || url.includes(`{${key}}`))
            continue;
        if (key === 'query' && url.endsWith('/graphql'))
            continue; // the GraphQL document: code, not content
        params[key] = _secrets_index_js__WEBPACK_IMPORTED_MODULE_1__/* .secrets */ .O3.maskDeep(params[key]);
    }
}
/**
 * How long to wait before trying again after the failure of retry `attempt` (0: the first call),
 * or undefined when the error is not worth a retry.
 */
function retryDelayMs(error, attempt) {
    const e = error;
    const status = e.status ?? 0;
    const headers = e.response?.headers ?? {};
    const retryAfter = Number(headers['retry-after']);
    const message = `${e.message ?? ''} ${JSON.stringify(e.response?.data ?? '')}`.toLowerCase();
    if (status === 403 || status === 429) {
        if (Number.isFinite(retryAfter) && retryAfter >= 0)
            return retryAfter * 1000;
        if (message.includes('secondary rate limit'))
            return (0,_model_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .exponentialMs */ .Ix)(attempt + 1, 60_000);
        if (String(headers['x-ratelimit-remaining']) === '0') {
            const reset = Number(headers['x-ratelimit-reset']) * 1000;
            return Number.isFinite(reset) ? Math.max(0, reset - Date.now()) + 1000 : undefined;
        }
        return undefined; // a real permission problem
    }
    if (status >= 500 && status <= 599) {
        if (Number.isFinite(retryAfter) && retryAfter >= 0)
            return retryAfter * 1000;
        return (0,_model_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .exponentialMs */ .Ix)(attempt + 1, 1000);
    }
    return undefined;
}
function withRetry(call, label, options) {
    const retries = options.retries ?? DEFAULT_RETRIES;
    const maxWait = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    return (0,_model_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L5)(call, {
        delayMs: (error, attempt) => {
            const delay = retryDelayMs(error, attempt - 1);
            if (delay === undefined || attempt > retries || delay > maxWait)
                return undefined;
            const status = error.status;
            options.log.info(`GitHub answered ${status} to ${label}; retrying in ${Math.ceil(delay / 1000)} s`);
            return delay;
        },
        sleep: options.sleep,
    });
}
/** The parts of a failed call worth logging: never the request headers (the token is there). */
function describeError(error) {
    const e = error;
    const data = e.response?.data;
    const detail = data?.message ?? e.message ?? String(error);
    const errors = data?.errors ? ` ${JSON.stringify(data.errors).slice(0, 500)}` : '';
    return e.status ? `${e.status} ${detail}${errors}` : `${detail}${errors}`;
}
function statusOf(error) {
    return error.status;
}
/** A 403 on a write: the token may not write here (a fork's pull request, missing permissions). */
function isPermissionDenied(error) {
    return statusOf(error) === 403;
}
/**
 * One run's conversation with GitHub. A failed call is logged and recorded, and the run goes on
 * with the next one: a 404 on a deleted comment must not cost the user their check run.
 */
class GitHubSession {
    octokit;
    repo;
    log;
    failures = [];
    /** Set when GitHub refused a write with 403: the rest of the run falls back to read-only. */
    writeDenied = false;
    constructor(octokit, repo, log) {
        this.octokit = octokit;
        this.repo = repo;
        this.log = log;
    }
    async call(label, fn) {
        try {
            return await fn(this.octokit);
        }
        catch (error) {
            const status = statusOf(error);
            const message = describeError(error);
            this.failures.push({ label, status, message });
            if (isPermissionDenied(error))
                this.writeDenied = true;
            this.log.warning(`GitHub: ${label} failed: ${message}`);
            return undefined;
        }
    }
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
