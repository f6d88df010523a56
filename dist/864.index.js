export const id = 864;
export const ids = [864];
export const modules = {

/***/ 4864:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runDrift: () => (/* binding */ runDrift)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./lib/github/client.js
var client = __webpack_require__(636);
// EXTERNAL MODULE: ./lib/model/hash.js
var hash = __webpack_require__(9877);
// EXTERNAL MODULE: ./lib/report/drift.js
var drift = __webpack_require__(1301);
;// CONCATENATED MODULE: ./lib/github/drift-issue.js


/**
 * One GitHub issue per cluster for drift: found again by a hidden marker (the cluster's identity,
 * hashed) and a label, created when drift appears, updated in place while it lasts, closed with a
 * comment once the cluster is read in full and matches Git. A run that could not tell (a chart
 * that did not render, kinds that could not be read) closes nothing: it adds what went wrong to
 * the open issue and leaves it open.
 */
const DRIFT_LABEL = 'shipshape-drift';
/** GitHub's limit for an issue body is 65,536 characters; keep room for the marker and the note. */
const BODY_LIMIT = 65_000;
/**
 * The cluster's identity. A `cluster` input names it outright; otherwise the API server's address
 * and CA fingerprint do, since context names repeat across clusters (k3s calls every context
 * `default`, and every in-cluster run is `in-cluster`) and so may in-cluster addresses.
 */
function clusterIdentity(input) {
    if (input.cluster)
        return { name: input.cluster, key: `cluster=${input.cluster}` };
    const host = hostOf(input.server);
    const context = input.context ?? 'cluster';
    return {
        name: host ? `${context} (${host})` : context,
        key: `server=${input.server ?? ''}\nca=${input.caFingerprint ?? ''}\ncontext=${input.server ? '' : context}`,
    };
}
function hostOf(server) {
    if (!server)
        return undefined;
    try {
        return new URL(server).host;
    }
    catch {
        return server;
    }
}
function driftMarker(cluster) {
    const id = (0,hash/* sha256Hex */.f)(cluster.key, 16);
    return `<!-- shipshape:drift id=${id} -->`;
}
function legacyMarker(name) {
    return `<!-- shipshape:drift cluster=${encodeURIComponent(name)} -->`;
}
async function syncDriftIssue(session, report, options) {
    const label = options.label ?? DRIFT_LABEL;
    const marker = driftMarker(options.cluster);
    const { owner, repo } = session.repo;
    const open = await findOpenIssue(session, label, marker, options.legacyName);
    if (open === null)
        return { action: 'failed' };
    const verdict = options.problems?.length
        ? (0,drift/* driftVerdict */.Zk)(report) === 'drift'
            ? 'drift'
            : 'unknown'
        : (0,drift/* driftVerdict */.Zk)(report);
    if (verdict === 'clean') {
        if (!open)
            return { action: 'none' };
        const when = (options.now ?? new Date()).toISOString();
        const run = options.runUrl ? ` ([run](${options.runUrl}))` : '';
        await session.call('comment on the drift issue', (gh) => gh.rest.issues.createComment({
            owner,
            repo,
            issue_number: open.number,
            body: `No drift in \`${options.cluster.name}\` any more as of ${when}${run}: every object Git declares was read, and the cluster matches Git. Closing.`,
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
    // Unknown: an open issue keeps the drift it reported and stays open, with what went wrong
    // added; no issue is opened for it alone.
    if (verdict === 'unknown' && !open)
        return { action: 'none' };
    const body = verdict === 'unknown' && open
        ? withProblems(open.body, marker, options)
        : issueBody(report, options, marker);
    if (open) {
        if (open.body === body)
            return {
                action: verdict === 'unknown' ? 'kept-open' : 'unchanged',
                number: open.number,
                url: open.html_url,
            };
        const updated = await session.call('update the drift issue', (gh) => gh.rest.issues.update({ owner, repo, issue_number: open.number, body, title: title(options) }));
        if (!updated)
            return { action: 'failed' };
        return {
            action: verdict === 'unknown' ? 'kept-open' : 'updated',
            number: open.number,
            url: open.html_url,
        };
    }
    const created = await session.call('create the drift issue', (gh) => gh.rest.issues.create({ owner, repo, title: title(options), body, labels: [label] }));
    return created
        ? { action: 'created', number: created.data.number, url: created.data.html_url }
        : { action: 'failed' };
}
function title(options) {
    return `Drift in cluster ${options.cluster.name}`;
}
/**
 * The open issue with our label and this cluster's marker (or, failing that, an earlier version's
 * marker for the same context name); undefined if none, null if GitHub failed.
 */
async function findOpenIssue(session, label, marker, legacyName) {
    const { owner, repo } = session.repo;
    const issues = await session.call('list drift issues', (gh) => gh.paginate(gh.rest.issues.listForRepo, { owner, repo, state: 'open', labels: label, per_page: 100 }));
    if (!issues)
        return null;
    const mine = issues.filter((i) => !i.pull_request);
    const legacy = legacyName ? legacyMarker(legacyName) : undefined;
    const found = mine.find((i) => (i.body ?? '').includes(marker)) ??
        (legacy ? mine.find((i) => (i.body ?? '').startsWith(legacy)) : undefined);
    return found ? { number: found.number, body: found.body ?? '', html_url: found.html_url } : undefined;
}
/**
 * The issue body: the Markdown report, cut at a line boundary under GitHub's limit. Stable for the
 * same drift (no run time inside) so that an unchanged issue is not rewritten every schedule.
 */
function issueBody(report, options, marker = driftMarker(options.cluster)) {
    let text = (0,drift/* renderDriftMarkdown */.b9)({ ...report, cluster: options.cluster.name }, { title: `Drift in cluster ${options.cluster.name}` });
    text += problemsSection(options);
    if (options.runUrl)
        text += `\nLatest run: ${options.runUrl}\n`;
    if (text.length > BODY_LIMIT) {
        const cut = text.lastIndexOf('\n', BODY_LIMIT - 200);
        text = `${text.slice(0, cut)}\n\n… truncated: the full report is in the run's job summary and JSON output.\n`;
    }
    return `${marker}\n${text}`;
}
const PROBLEMS_HEADING = '### The latest run could not tell';
function problemsSection(options) {
    if (!options.problems?.length)
        return '';
    const run = options.runUrl ? ` ([run](${options.runUrl}))` : '';
    return (`\n${PROBLEMS_HEADING}\n\n` +
        `The latest run${run} could not compare everything, so this issue stays open until one does:\n\n` +
        `${options.problems.map((p) => `- ${p.replaceAll('\n', ' ')}`).join('\n')}\n`);
}
/** An open issue's body as it was (the drift it reported), with the latest problems in place of earlier ones. */
function withProblems(body, marker, options) {
    const at = body.indexOf(`\n${PROBLEMS_HEADING}`);
    let kept = (at >= 0 ? body.slice(0, at) : body).trimEnd().replace(/\nLatest run: \S+$/, '');
    // An issue taken over from an earlier version gets this version's marker.
    if (!kept.startsWith(marker))
        kept = `${marker}\n${kept.replace(/^<!-- shipshape:drift [^>]*-->\n?/, '')}`;
    return `${kept}\n${problemsSection(options)}`;
}

// EXTERNAL MODULE: ./lib/jobs/drift.js + 8 modules
var jobs_drift = __webpack_require__(2993);
// EXTERNAL MODULE: ./lib/secrets/index.js + 6 modules
var secrets = __webpack_require__(2767);
// EXTERNAL MODULE: ./lib/action/config.js
var action_config = __webpack_require__(4926);
// EXTERNAL MODULE: ./lib/action/log.js
var log = __webpack_require__(2988);
;// CONCATENATED MODULE: ./lib/action/drift.js










/**
 * The drift mode as the Action runs it: the kubeconfig secret goes to a private temporary file
 * (mode 0600, removed at the end, never logged), the drift job reads the cluster, and the result
 * goes to the job summary, a JSON file, the outputs and, when asked, the cluster's drift issue.
 * A run that cannot vouch for the whole cluster fails with drift `unknown` and closes nothing.
 */
const drift_log = log/* actionLog */.Z;
async function runDrift(settings, ctx) {
    // The checkout is the default branch: its config, with the programs from the inputs.
    const { config, errors: configErrors } = await (0,action_config/* loadTrustedConfig */.C)(settings, ctx.workspace, undefined);
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
        const result = await (0,jobs_drift/* runDriftJob */.G)({
            paths: defaultPaths && config.targets.length > 0 ? [] : settings.paths,
            cwd: ctx.workspace,
            config,
            ...(kubeconfig ? { kubeconfig } : {}),
            ...(settings.drift.context ? { context: settings.drift.context } : {}),
        });
        // What Git could not give is an error of this run, not a warning: its objects were not compared.
        for (const e of result.inputErrors) {
            const text = e.location ? `${e.location.file}:${e.location.line}: ${e.message}` : e.message;
            if (e.level === 'error')
                core/* error */.z3(text);
            else
                core/* warning */.$e(text);
        }
        const { report } = result;
        const cluster = clusterIdentity({
            cluster: settings.drift.cluster,
            context: result.context ?? settings.drift.context,
            server: result.server,
            caFingerprint: result.caFingerprint,
        });
        report.cluster = cluster.name;
        // Never turn an unknown into a clean: a render or input error, a kind that could not be read,
        // or a cluster that could not be read at all leaves the verdict open.
        const gitErrors = configErrors.length > 0 || result.inputErrors.some((e) => e.level === 'error');
        const complete = !result.fatal && !gitErrors && (0,drift/* isComplete */.As)(report);
        const verdict = (0,drift/* hasDrift */.uL)(report) ? 'drift' : complete ? 'clean' : 'unknown';
        const problems = complete
            ? []
            : [...configErrors.map((e) => e.message), ...report.errors.map((e) => e.message)];
        const headline = result.fatal
            ? `Not compared in ${cluster.name}: ${result.fatal}`
            : verdict === 'unknown' && (0,drift/* isComplete */.As)(report)
                ? `Not trusted in ${cluster.name}: the config has errors (below), so no drift found is not a clean result`
                : (0,drift/* driftHeadline */.AF)(report);
        log/* actionLog */.Z.info(headline);
        const dir = external_node_path_.join(ctx.tempDir, 'shipshape');
        await (0,promises_.mkdir)(dir, { recursive: true });
        const json = external_node_path_.join(dir, 'drift.json');
        await (0,promises_.writeFile)(json, (0,secrets/* maskSecrets */.QU)((0,drift/* renderDriftJson */.WF)(report)));
        core/* setOutput */.uH('report-json', json);
        core/* setOutput */.uH('report-sarif', '');
        core/* setOutput */.uH('errors', String(report.drift.length + report.missing.length));
        core/* setOutput */.uH('warnings', String(report.images.length));
        core/* setOutput */.uH('notices', String(report.errors.length));
        core/* setOutput */.uH('rendered-changed', 'false');
        core/* setOutput */.uH('drift', verdict === 'drift' ? 'true' : verdict === 'clean' ? 'false' : 'unknown');
        let summary = (0,drift/* renderDriftMarkdown */.b9)(report, { title: `Drift: ${cluster.name}`, headline });
        if (configErrors.length)
            summary += `\n### Config\n\n${configErrors.map((e) => `- ${e.message}`).join('\n')}\n`;
        if (settings.drift.issue && settings.token) {
            const session = new client/* GitHubSession */.EU((0,client/* createGitHub */.Cl)({ token: settings.token, baseUrl: ctx.apiUrl, log: drift_log }), ctx.repo, drift_log);
            const outcome = await syncDriftIssue(session, report, {
                cluster,
                ...(result.context ? { legacyName: settings.drift.context ?? result.context } : {}),
                ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
                problems,
            });
            core/* info */.pq(`Drift issue: ${outcome.action}${outcome.number ? ` (#${outcome.number})` : ''}`);
            const refused = session.failures.find((f) => f.status === 403 || f.status === 404);
            if (outcome.action === 'failed' && refused) {
                const note = `The drift issue could not be written: GitHub answered ${refused.status} to "${refused.label}" ` +
                    `(${refused.message}). The job's token needs the \`issues: write\` permission ` +
                    '(`permissions: { issues: write }` in the workflow), and the repository must have issues enabled.';
                core/* warning */.$e(note.replaceAll('`', ''));
                summary += `\n> [!WARNING]\n> ${note}\n`;
            }
        }
        if (process.env.GITHUB_STEP_SUMMARY)
            await core/* summary */.z.addRaw(summary).write();
        if (verdict === 'unknown') {
            core/* setFailed */.C1(`shipshape: ${headline}`);
            return { failed: true };
        }
        const failed = settings.drift.failOnDrift && verdict === 'drift';
        if (failed)
            core/* setFailed */.C1(`shipshape: ${headline}`);
        return { failed };
    }
    finally {
        await (0,promises_.rm)(tmp, { recursive: true, force: true });
    }
}


/***/ })

};
