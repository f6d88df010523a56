export const id = 273;
export const ids = [273];
export const modules = {

/***/ 3303:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  a: () => (/* binding */ runCli)
});

// EXTERNAL MODULE: ./lib/model/suggest.js
var suggest = __webpack_require__(4603);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./lib/config/check.js
var check = __webpack_require__(5662);
// EXTERNAL MODULE: ./lib/config/index.js + 1 modules
var lib_config = __webpack_require__(2526);
// EXTERNAL MODULE: ./lib/jobs/check.js
var jobs_check = __webpack_require__(3484);
// EXTERNAL MODULE: ./lib/report/github.js
var github = __webpack_require__(6763);
// EXTERNAL MODULE: ./lib/report/json.js
var json = __webpack_require__(7406);
// EXTERNAL MODULE: ./lib/model/collections.js
var collections = __webpack_require__(412);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/report/summary.js
var summary = __webpack_require__(3394);
;// CONCATENATED MODULE: ./lib/report/markdown.js



/**
 * Markdown for job summaries and pull-request comments: a headline, a table of counts by checklist
 * category, then one table per category with the findings, and the input errors last.
 */
const ICON = { error: '🔴', warning: '🟠', info: '🔵' };
const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };
function renderMarkdown(result) {
    const s = (0,summary/* summarize */.eh)(result);
    const out = ['## shipshape readiness check', ''];
    const scope = `${(0,summary/* plural */.LS)(s.objects, 'object')} from ${(0,summary/* plural */.LS)(s.files, 'file')}`;
    out.push(s.findings === 0
        ? `✅ No findings in ${scope}.`
        : `**${(0,summary/* plural */.LS)(s.findings, 'finding')}** (${(0,summary/* severityCounts */.ur)(s)}) in ${scope}.`);
    const extras = [
        s.suppressed ? `${s.suppressed} suppressed by annotation` : '',
        s.baselined ? `${s.baselined} accepted by the baseline` : '',
    ].filter(Boolean);
    if (extras.length)
        out.push('', `Not shown: ${extras.join(', ')}.`);
    const byCategory = new Map();
    for (const f of result.findings)
        (0,collections/* pushTo */.I)(byCategory, f.checklist, f);
    if (byCategory.size > 0) {
        out.push('', '| Checklist | Errors | Warnings | Info |', '| --- | ---: | ---: | ---: |');
        for (const category of types/* CATEGORIES */.R6) {
            const list = byCategory.get(category);
            if (!list)
                continue;
            const count = (sev) => list.filter((f) => f.severity === sev).length;
            out.push(`| ${category} | ${count('error')} | ${count('warning')} | ${count('info')} |`);
        }
        for (const category of types/* CATEGORIES */.R6) {
            const list = byCategory.get(category);
            if (!list)
                continue;
            out.push('', `### ${category}`, '', '| | Rule | Object | Where | Finding |', '| --- | --- | --- | --- | --- |');
            // Errors first; the sort is stable, so file and line order holds within a severity.
            const bySeverity = [...list].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
            for (const f of bySeverity) {
                const at = `${f.location.file}:${f.location.line}`;
                out.push(`| ${ICON[f.severity]} ${f.severity} | \`${f.ruleId}\` | ${cell((0,summary/* objectName */.Hd)(f))} | ${code(at)} | ${cell(f.message)}<br>${code(f.path)}<br>Fix: ${cell(f.remediation)} |`);
            }
        }
    }
    if (result.errors.length > 0) {
        out.push('', '### Input errors', '');
        for (const e of result.errors) {
            const at = (0,summary/* where */._M)(e);
            out.push(`- ${e.level === 'error' ? '❌' : 'ℹ️'} ${at ? `${code(at)}: ` : ''}${cell(e.message)}`);
        }
    }
    return `${out.join('\n')}\n`;
}
/** Text that sits inside a table cell: no pipes, no line breaks, no stray HTML. */
function cell(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/\|/g, '\\|')
        .replace(/\r?\n/g, '<br>');
}
/** An inline code span that survives backticks and pipes in the content. */
function code(text) {
    const inner = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    const fence = inner.includes('`') ? '``' : '`';
    return `${fence}${inner.includes('`') ? ` ${inner} ` : inner}${fence}`;
}

// EXTERNAL MODULE: ./lib/report/pieces.js
var pieces = __webpack_require__(5955);
// EXTERNAL MODULE: ./lib/report/sarif.js
var sarif = __webpack_require__(123);
;// CONCATENATED MODULE: ./lib/report/text.js



const SEVERITY_COLOR = { error: 31, warning: 33, info: 36 };
const BOLD = 1;
const DIM = 2;
/** Where a finding's second and third lines start, under its message. */
const UNDER = ' '.repeat(9);
function renderText(result, options = {}) {
    return [...textChunks(result, options)].join('');
}
/**
 * The report in pieces (report/pieces.ts), so that a large one (a file of 20,000 Deployments,
 * 100,000 findings) is never held whole: each finding's text is made as it is written.
 */
function* textChunks(result, options = {}) {
    const paint = options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_, text) => text;
    const errorsByFile = new Map();
    const findingsByFile = new Map();
    const unplaced = [];
    for (const e of result.errors) {
        if (e.location)
            (0,collections/* pushTo */.I)(errorsByFile, e.location.file, e);
        else
            unplaced.push(`  ${label(e, paint)}  ${e.message}`);
    }
    for (const f of result.findings)
        (0,collections/* pushTo */.I)(findingsByFile, f.location.file, f);
    const out = new pieces/* Pieces */.q();
    if (unplaced.length > 0)
        out.add(`${unplaced.join('\n')}\n\n`);
    const files = new Set([...errorsByFile.keys(), ...findingsByFile.keys()]);
    for (const file of [...files].sort()) {
        const errors = byPosition(errorsByFile.get(file) ?? [], (e) => e.location);
        const findings = byPosition(findingsByFile.get(file) ?? [], (f) => f.location);
        // A loop, not Math.max(...): a file may hold tens of thousands of findings.
        let width = 0;
        for (const e of errors)
            width = Math.max(width, positionOf(e.location).length);
        for (const f of findings)
            width = Math.max(width, positionOf(f.location).length);
        out.add(`${paint(BOLD, file)}\n`);
        const indent = ' '.repeat(width + 4);
        const fixes = new Set();
        // In line order, an input error before a finding at the same place.
        let i = 0;
        let j = 0;
        while (i < errors.length || j < findings.length) {
            const e = errors[i];
            const f = findings[j];
            if (e && (!f || comparePositions(e.location, f.location) <= 0)) {
                out.add('  ', paint(DIM, positionOf(e.location).padEnd(width)), '  ', errorText(e, paint), '\n');
                i++;
            }
            else {
                out.add('  ', paint(DIM, positionOf(f.location).padEnd(width)), '  ', findingText(f, paint), '\n');
                out.add(indent, paint(DIM, `${UNDER}${(0,summary/* objectName */.Hd)(f)} ${f.path}`), '\n');
                if (!fixes.has(f.remediation)) {
                    fixes.add(f.remediation);
                    out.add(indent, UNDER, 'fix: ', f.remediation, '\n');
                }
                j++;
            }
            if (out.full())
                yield out.take();
        }
        out.add('\n');
    }
    out.add(`${headline(result, paint)}\n`);
    yield out.take();
}
function positionOf(at) {
    return `${at.line}:${at.column}`;
}
function comparePositions(a, b) {
    return a.line - b.line || a.column - b.column;
}
/**
 * In line order, stably. A check's findings already are (sorted by file, line and column), so
 * they are only read through: a copy is sorted only when they are not.
 */
function byPosition(items, at) {
    for (let k = 1; k < items.length; k++) {
        if (comparePositions(at(items[k - 1]), at(items[k])) > 0)
            return [...items].sort((a, b) => comparePositions(at(a), at(b)));
    }
    return items;
}
/** A finding's first line: severity, message, rule and category. */
function findingText(f, paint) {
    const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7));
    return `${severity}  ${f.message}  ${paint(DIM, `${f.ruleId} (${f.checklist})`)}`;
}
function errorText(e, paint) {
    return `${label(e, paint)}  ${e.message}`;
}
function label(e, paint) {
    return e.level === 'error' ? paint(SEVERITY_COLOR.error, 'input error') : paint(DIM, 'note'.padEnd(11));
}
function headline(result, paint) {
    const s = (0,summary/* summarize */.eh)(result);
    const scope = `${(0,summary/* plural */.LS)(s.objects, 'object')} from ${(0,summary/* plural */.LS)(s.files, 'file')}`;
    const extras = [
        s.suppressed ? `${s.suppressed} suppressed` : '',
        s.baselined ? `${s.baselined} in the baseline` : '',
        s.errors ? paint(SEVERITY_COLOR.error, (0,summary/* plural */.LS)(s.errors, 'input error')) : '',
        s.notes ? (0,summary/* plural */.LS)(s.notes, 'note') : '',
    ].filter(Boolean);
    const tail = extras.length ? `; ${extras.join(', ')}` : '';
    if (s.findings === 0)
        return `${paint(32, '✔')} no findings in ${scope}${tail}`;
    const mark = paint(s.bySeverity.error ? SEVERITY_COLOR.error : SEVERITY_COLOR.warning, '✖');
    return `${mark} ${(0,summary/* plural */.LS)(s.findings, 'finding')} (${(0,summary/* severityCounts */.ur)(s)}) in ${scope}${tail}`;
}

;// CONCATENATED MODULE: ./lib/report/index.js






const REPORT_FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'];
const RENDERERS = {
    text: (r, o) => renderText(r, { color: o.color }),
    json: (r) => (0,json/* renderJson */.hF)(r),
    sarif: (r, o) => (0,sarif/* renderSarif */.WH)(r, { version: o.version }),
    markdown: (r) => renderMarkdown(r),
    github: (r) => (0,github/* renderGithub */.up)(r),
};
function renderReport(format, result, options) {
    return RENDERERS[format](result, options);
}
/**
 * The report in pieces of about 64 KiB (report/pieces.ts), for writing as it is made: text and
 * JSON are made a finding at a time, the other formats in one piece.
 */
function* reportChunks(format, result, options) {
    if (format === 'json')
        yield* (0,pieces/* inPieces */.x)((0,json/* jsonChunks */.VQ)(result));
    else if (format === 'text')
        yield* textChunks(result, { color: options.color });
    else
        yield renderReport(format, result, options);
}
function isReportFormat(value) {
    return REPORT_FORMATS.includes(value);
}

// EXTERNAL MODULE: ./lib/rules/baseline.js
var baseline = __webpack_require__(4260);
// EXTERNAL MODULE: ./lib/cli/io.js
var cli_io = __webpack_require__(8908);
// EXTERNAL MODULE: ./lib/model/partition.js
var partition = __webpack_require__(3427);
;// CONCATENATED MODULE: ./lib/cli/render-flags.js



/**
 * The flags every command that renders takes (`render`, `check`, `diff`), read in one place: the
 * programs (from the command line or PATH, never from the config file), the time limit, what
 * charts see as `.Capabilities`, and this job's shard.
 */
const RENDER_FLAGS = {
    helm: { type: 'string' },
    kustomize: { type: 'string' },
    timeout: { type: 'string' },
    'kube-version': { type: 'string' },
    'api-versions': { type: 'string', multiple: true },
    shard: { type: 'string' },
};
/** The render flags applied to a loaded config; usage errors are raised when this is made. */
function applyRenderFlags(values, cwd) {
    const timeoutMs = parseTimeout(values.timeout);
    const capabilities = parseCapabilities(values);
    return (config) => {
        if (values.helm)
            config.render.tools.helm = external_node_path_.resolve(cwd, values.helm);
        if (values.kustomize)
            config.render.tools.kustomize = external_node_path_.resolve(cwd, values.kustomize);
        if (timeoutMs !== undefined)
            config.render.timeoutMs = timeoutMs;
        Object.assign(config.render, capabilities);
    };
}
/**
 * `--kube-version` and `--api-versions`: what charts see as `.Capabilities`, for targets that do
 * not set their own. A version is `1.33`, `1.33.0` or `v1.33.0`.
 */
function parseCapabilities(values) {
    const out = {};
    const v = values['kube-version'];
    if (v !== undefined) {
        if (!/^v?\d+\.\d+(\.\d+)?([-+][\w.-]+)?$/.test(v))
            throw new cli_io/* UsageError */.eb(`--kube-version must be a Kubernetes version like 1.33.0, not "${v}"`);
        out.kubeVersion = v;
    }
    const apis = (values['api-versions'] ?? [])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean);
    for (const api of apis) {
        if (!/^[\w.-]+(\/[\w.-]+)*$/.test(api))
            throw new cli_io/* UsageError */.eb(`--api-versions takes group/version names like monitoring.coreos.com/v1, not "${api}"`);
    }
    if (apis.length > 0)
        out.apiVersions = apis;
    return out;
}
/** The longest a render may take, as for the config's `render.timeoutSeconds`. */
const MAX_TIMEOUT_SECONDS = 3600;
function parseTimeout(value) {
    if (value === undefined)
        return undefined;
    const secs = Number(value);
    if (!Number.isFinite(secs) || secs <= 0 || secs > MAX_TIMEOUT_SECONDS)
        throw new cli_io/* UsageError */.eb(`--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, not "${value}"`);
    return Math.round(secs * 1000);
}
/** `--shard I/N`: this job's part of the targets when N jobs split them (model/partition.ts). */
function parseShardFlag(value) {
    if (value === undefined)
        return undefined;
    try {
        return (0,partition/* parseShard */.uK)(value);
    }
    catch (err) {
        if (err instanceof partition/* ShardError */.Zj)
            throw new cli_io/* UsageError */.eb(`--${err.message}`);
        throw err;
    }
}
/** One stderr line saying what a shard took, so each job's log tells its part. */
function shardLine(info) {
    const n = info.targets.length;
    return `shipshape: shard ${(0,partition/* formatShard */._D)(info.spec)}: ${n} of ${info.total} target${info.total === 1 ? '' : 's'}\n`;
}
function formatError(e) {
    const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
    return `${where}${e.level}: ${e.message}`;
}

// EXTERNAL MODULE: ./lib/cli/version.js
var version = __webpack_require__(6802);
;// CONCATENATED MODULE: ./lib/diff/format.js
/** The rendered diff as text for a terminal or a code block in a comment. Secrets are already redacted. */
function formatDiff(diffs) {
    const out = [];
    for (const d of diffs) {
        out.push(`=== ${d.target}${statusNote(d)}`);
        for (const e of [
            ...d.baseErrors.map((x) => ['base', x]),
            ...d.headErrors.map((x) => ['head', x]),
        ]) {
            const [side, err] = e;
            const where = err.location ? `${err.location.file}:${err.location.line}:${err.location.column}: ` : '';
            out.push(`  ! ${side}: ${where}${err.message}`);
        }
        for (const o of d.objects)
            out.push(...formatObject(o));
        if (d.objects.length === 0 && d.status === 'ok')
            out.push('  (no changes)');
        out.push('');
    }
    return out.join('\n');
}
function statusNote(d) {
    switch (d.status) {
        case 'added':
            return ' (new target)';
        case 'removed':
            return ' (target removed)';
        case 'base-failed':
            return ' (base did not render: every head object shows as added)';
        case 'head-failed':
            return ' (head did not render)';
        default:
            return ` (${d.objects.length} changed, ${d.unchanged} unchanged)`;
    }
}
const SIGN = { added: '+', removed: '-', changed: '~', renamed: '>' };
function formatObject(o) {
    const title = o.change === 'renamed' ? `${o.from} -> ${o.key}` : o.key;
    const lines = [
        `${SIGN[o.change]} ${title} (${o.change}${o.unstableName ? '; name differs between renders' : ''})`,
    ];
    if (o.nondeterministic.length > 0) {
        lines.push(`    non-deterministic (differs between renders, not a change): ${o.nondeterministic.join(', ')}`);
    }
    if (o.change === 'changed' || o.change === 'renamed') {
        for (const l of o.diff.split('\n'))
            if (l)
                lines.push(`    ${l}`);
    }
    return lines;
}

// EXTERNAL MODULE: ./lib/github/pr-summary.js
var pr_summary = __webpack_require__(9596);
// EXTERNAL MODULE: ./lib/render/git.js
var git = __webpack_require__(2408);
// EXTERNAL MODULE: ./lib/report/pull-request.js
var pull_request = __webpack_require__(8199);
// EXTERNAL MODULE: ./lib/jobs/pull-request.js + 3 modules
var jobs_pull_request = __webpack_require__(4788);
// EXTERNAL MODULE: ./lib/jobs/trusted-config.js
var trusted_config = __webpack_require__(322);
;// CONCATENATED MODULE: ./lib/cli/commands/base.js



/** Run the pipeline; an unknown ref is a GitError (a usage error to the CLI). */
async function runAgainstBase(input) {
    await (0,git/* repoRoot */.jv)(input.cwd); // outside a repository: git says so
    const base = await (0,git/* resolveRef */.qE)(input.cwd, input.base);
    const head = input.head === undefined ? undefined : await (0,git/* resolveRef */.qE)(input.cwd, input.head);
    // The config (and its baseline) as the base has it: what the Action uses on the pull request.
    const trusted = await (0,trusted_config/* configAtBase */.Z)(input.cwd, base, input.configFile);
    input.adjust?.(trusted.config);
    const result = await (0,jobs_pull_request/* runPullRequestJob */.t0)({
        cwd: input.cwd,
        roots: input.paths.length > 0 ? input.paths : ['.'],
        config: trusted.config,
        configErrors: trusted.errors,
        trustedCommit: trusted.trustedCommit,
        base,
        head,
        log: input.log,
        today: input.today,
        shard: input.shard,
    });
    return {
        base: input.base,
        head: input.head ?? '(working tree)',
        result,
        diffs: (0,jobs_pull_request/* targetDiffs */.AJ)(result),
        errors: (0,jobs_pull_request/* runErrors */.d2)(result),
        notes: trusted.notes,
        config: trusted.config,
    };
}

;// CONCATENATED MODULE: ./lib/cli/commands/check-base.js











async function checkAgainstBase(input, io) {
    let run;
    try {
        run = await runAgainstBase({
            cwd: io.cwd,
            base: input.base,
            head: input.head,
            paths: input.paths,
            configFile: input.configFile,
            adjust: input.adjust,
            today: io.today,
            shard: input.shard,
        });
    }
    catch (err) {
        if (err instanceof git/* GitError */.XS) {
            io.stderr.write(`shipshape check: ${err.message}\n`);
            return cli_io/* EXIT */.dc.usage;
        }
        throw err;
    }
    const { result } = run;
    if (result.shard)
        io.stderr.write(shardLine(result.shard));
    for (const note of run.notes)
        io.stderr.write(`note: ${note}\n`);
    const failOn = input.failOn ?? run.config.failOn ?? 'error';
    const counted = (0,pull_request/* countedFindings */.Hs)(result);
    const inputErrors = result.errors.some((e) => e.level === 'error');
    const failed = failOn !== 'never' && ((0,jobs_check/* reachesThreshold */.Lu)(counted, failOn) || inputErrors);
    let text;
    switch (input.format) {
        case 'markdown':
            text = `${(0,pr_summary/* summaryBlocks */.X)(result, { failOn, failed, notes: run.notes }).join('\n\n')}\n`;
            break;
        case 'json':
            text = `${JSON.stringify((0,pull_request/* pullRequestJson */.NA)(result), null, 2)}\n`;
            break;
        case 'text': {
            const from = `${run.base}${result.mergeBase ? ` (merge base ${result.mergeBase.slice(0, 12)})` : ''}`;
            const counts = `${counted.length} new finding${counted.length === 1 ? '' : 's'}, ${result.existingFindings.length} existing, ${result.fixedFindings.length} fixed`;
            const report = renderReport('text', (0,pull_request/* asCheckResult */.EM)(result, counted), {
                version: version/* VERSION */.x,
                color: input.color,
            });
            const diff = run.diffs.length === 0
                ? `No target is affected by the change from ${run.base}.\n`
                : `Rendered diff:\n\n${formatDiff(run.diffs)}`;
            text = `Compared with ${from}, head ${run.head}: ${counts}.\n\n${report}\n${diff}`;
            break;
        }
        default:
            text = renderReport(input.format, (0,pull_request/* asCheckResult */.EM)(result, counted), { version: version/* VERSION */.x });
    }
    if (input.output) {
        await io.writeFile(external_node_path_.resolve(io.cwd, input.output), text);
        io.stderr.write(`shipshape: ${counted.length} new finding${counted.length === 1 ? '' : 's'}; report in ${input.output}\n`);
    }
    else {
        // Errors in the report formats are in the report; say the others' once on stderr.
        if (input.format === 'markdown')
            for (const e of run.errors)
                io.stderr.write(`${formatError(e)}\n`);
        await io.stdout.write(text);
    }
    if (inputErrors)
        return cli_io/* EXIT */.dc.usage;
    return (0,jobs_check/* reachesThreshold */.Lu)(counted, failOn) ? cli_io/* EXIT */.dc.findings : cli_io/* EXIT */.dc.ok;
}

;// CONCATENATED MODULE: ./lib/cli/commands/check.js












const USAGE = `Usage: shipshape check <paths...> [options]
       shipshape check --base <git-ref> [--head <git-ref>] [paths...] [options]

Check Kubernetes manifests (files, folders searched for *.yaml and *.yml, or - for stdin)
against the production-readiness checklist. Helm charts and Kustomize overlays among the paths
are rendered first; with no path, the config's targets: are.

Options:
  -f, --format <format>        ${REPORT_FORMATS.join(' | ')} (default: text)
  -c, --config <file>          config file (default: .shipshape.yaml in the working directory, if any)
      --fail-on <severity>     ${check/* FAIL_ON */.d$.join(' | ')}: lowest severity that fails the run
                               (default: the config's failOn, else error)
  -o, --output <file>          write the report to a file instead of stdout
      --baseline <file>        report only findings that are not in this baseline
      --write-baseline <file>  write every current finding to a baseline file
      --helm <path>            the helm binary (default: helm on PATH)
      --kustomize <path>       the kustomize binary (default: kustomize, else kubectl kustomize)
      --timeout <secs>         time limit per helm or kustomize call (default: 60)
      --kube-version <v>       the Kubernetes version charts see (.Capabilities.KubeVersion),
                               e.g. 1.33.0 (default: helm's own)
      --api-versions <list>    API versions charts see (.Capabilities.APIVersions), comma-separated
      --base <ref>             preview the pull request: check only what the change from the merge
                               base of <ref> and the head makes new, and show the rendered diff
                               (the Action's own pipeline; -f markdown prints its summary comment)
      --head <ref>             with --base: the head to compare (default: the working tree)
      --shard <I/N>            check only part I of N of the targets (one job of N in a CI matrix);
                               the split is by size and the same on every machine
  -h, --help                   show this help

Exit status: 0 when no finding reaches the --fail-on severity, 1 when one does,
2 for usage, configuration or input errors (the report still covers everything readable).
`;
const check_check = {
    name: 'check',
    summary: 'check manifests against the readiness checklist',
    usage: USAGE,
    async run(args, io) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args,
            allowPositionals: true,
            strict: true,
            options: {
                format: { type: 'string', short: 'f', default: 'text' },
                config: { type: 'string', short: 'c' },
                'fail-on': { type: 'string' },
                output: { type: 'string', short: 'o' },
                baseline: { type: 'string' },
                'write-baseline': { type: 'string' },
                ...RENDER_FLAGS,
                base: { type: 'string' },
                head: { type: 'string' },
                help: { type: 'boolean', short: 'h' },
            },
        });
        if (values.help) {
            io.stdout.write(USAGE);
            return cli_io/* EXIT */.dc.ok;
        }
        const format = values.format;
        if (!isReportFormat(format))
            throw new cli_io/* UsageError */.eb(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${format}"`);
        const failOnFlag = values['fail-on'];
        if (failOnFlag !== undefined && !check/* FAIL_ON */.d$.includes(failOnFlag)) {
            throw new cli_io/* UsageError */.eb(`--fail-on must be one of ${check/* FAIL_ON */.d$.join(', ')}, not "${failOnFlag}"`);
        }
        const adjust = applyRenderFlags(values, io.cwd);
        if (values.head !== undefined && values.base === undefined)
            throw new cli_io/* UsageError */.eb('--head needs --base <git-ref>');
        if (values.base !== undefined) {
            // A preview of the pull request: only what the change makes new (check-base.ts), with the
            // config as the base has it, as the Action reads it.
            if (positionals.includes('-'))
                throw new cli_io/* UsageError */.eb('--base compares git refs: it cannot read stdin (-)');
            for (const flag of ['baseline', 'write-baseline'])
                if (values[flag] !== undefined)
                    throw new cli_io/* UsageError */.eb(`--${flag} does not go with --base`);
            return checkAgainstBase({
                base: values.base,
                head: values.head,
                paths: positionals,
                format,
                failOn: failOnFlag,
                output: values.output,
                color: values.output === undefined && (0,cli_io/* wantsColor */.zK)(io),
                configFile: values.config,
                adjust,
                shard: parseShardFlag(values.shard),
            }, io);
        }
        const { config, errors: configErrors } = await (0,lib_config/* loadConfig */.Z9)({ cwd: io.cwd, file: values.config });
        adjust(config);
        // With no path, the config's `targets:` (charts, overlays, folders) are what is checked.
        if (positionals.length === 0 && config.targets.length === 0)
            throw new cli_io/* UsageError */.eb('check needs at least one file or folder (or - for stdin), or targets: in the config');
        const shard = parseShardFlag(values.shard);
        if (shard && positionals.includes('-'))
            throw new cli_io/* UsageError */.eb('--shard cannot split stdin (-)');
        const writeBaseline = values['write-baseline'];
        if (shard && writeBaseline)
            throw new cli_io/* UsageError */.eb('--write-baseline needs every finding: run it without --shard');
        const result = await (0,jobs_check/* runCheck */.k_)({
            paths: positionals,
            cwd: io.cwd,
            config,
            configErrors,
            // A new baseline records every current finding, so an old one is only applied when asked for.
            baseline: writeBaseline && !values.baseline ? false : values.baseline,
            today: io.today,
            stdin: io.readStdin,
            shard,
        });
        if (result.shard)
            io.stderr.write(shardLine(result.shard));
        if (writeBaseline) {
            const all = [...result.findings, ...result.baselined];
            await io.writeFile(external_node_path_.resolve(io.cwd, writeBaseline), (0,baseline/* formatBaseline */.J2)(all));
            io.stderr.write(`shipshape: wrote ${all.length} finding${all.length === 1 ? '' : 's'} to ${writeBaseline}\n`);
        }
        const toFile = values.output !== undefined;
        const reportOptions = { version: version/* VERSION */.x, color: !toFile && (0,cli_io/* wantsColor */.zK)(io) };
        if (values.output) {
            await io.writeFile(external_node_path_.resolve(io.cwd, values.output), renderReport(format, result, reportOptions));
            // The report went to a file: still tell the person (or the CI log) how it went.
            const s = (0,summary/* summarize */.eh)(result);
            const errors = s.errors ? `, ${s.errors} input error${s.errors === 1 ? '' : 's'}` : '';
            io.stderr.write(`shipshape: ${s.findings} finding${s.findings === 1 ? '' : 's'} (${(0,summary/* severityCounts */.ur)(s)})${errors}; report in ${values.output}\n`);
        }
        else {
            for (const piece of reportChunks(format, result, reportOptions))
                await io.stdout.write(piece);
        }
        const failOn = (failOnFlag ?? config.failOn ?? 'error');
        if ((0,jobs_check/* hasInputErrors */.om)(result))
            return cli_io/* EXIT */.dc.usage;
        return (0,jobs_check/* reachesThreshold */.Lu)(result.findings, failOn) ? cli_io/* EXIT */.dc.findings : cli_io/* EXIT */.dc.ok;
    },
};

;// CONCATENATED MODULE: ./lib/cli/commands/diff.js






const diff_USAGE = `Usage: shipshape diff --base <git-ref> [--head <git-ref>] [paths...] [options]

Render every target the change touches (Helm charts, Kustomize overlays, plain folders) at the
base and at the head, and print a per-object diff: objects keyed by kind, namespace and name;
added, removed and renamed objects on one line each. Secret values are never shown: each reads
<secret: N bytes>, and a changed one <secret: N bytes> (changed). Output that differs between
two renders of the head (random passwords, generated certificates, timestamps) is marked, not
shown as a change.

The change is the branch's own, as a pull request shows it: from the merge base of --base and
the head, so what the base branch did since the branch was made is not part of it. Each commit
is read with git archive into a temporary folder, removed afterwards; your checkout is never
touched. Without --head the working tree (new files included) is the head. This is the same
pipeline as the Action's pull-request job and shipshape check --base.

Options:
      --base <ref>        the git ref to compare against (required)
      --head <ref>        the git ref to compare (default: the working tree)
  -f, --format <format>   text | json (default: text)
      --helm <path>       the helm binary (default: helm on PATH)
      --kustomize <path>  the kustomize binary (default: kustomize, else kubectl kustomize)
      --timeout <secs>    time limit per helm or kustomize call (default: 60)
      --kube-version <v>  the Kubernetes version charts see (.Capabilities.KubeVersion), e.g. 1.33.0
      --api-versions <l>  API versions charts see (.Capabilities.APIVersions), comma-separated
      --exit-code         exit 1 when there are changes
      --shard <I/N>       only part I of N of the affected targets (one job of N in a CI matrix);
                          the split is by size and the same on every machine
  -c, --config <file>     config file, as the base commit has it (default: .shipshape.yaml, if any)
  -h, --help              show this help
`;
const diff = {
    name: 'diff',
    summary: 'show how the rendered objects change between two git refs',
    usage: diff_USAGE,
    async run(args, io) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args,
            allowPositionals: true,
            strict: true,
            options: {
                base: { type: 'string' },
                head: { type: 'string' },
                format: { type: 'string', short: 'f', default: 'text' },
                ...RENDER_FLAGS,
                'exit-code': { type: 'boolean' },
                config: { type: 'string', short: 'c' },
                help: { type: 'boolean', short: 'h' },
            },
        });
        if (values.help) {
            io.stdout.write(diff_USAGE);
            return cli_io/* EXIT */.dc.ok;
        }
        if (!values.base)
            throw new cli_io/* UsageError */.eb('diff needs --base <git-ref>');
        const shard = parseShardFlag(values.shard);
        const adjust = applyRenderFlags(values, io.cwd);
        if (values.format !== 'text' && values.format !== 'json') {
            throw new cli_io/* UsageError */.eb(`--format must be text or json, not "${values.format}"`);
        }
        let run;
        try {
            run = await runAgainstBase({
                cwd: io.cwd,
                base: values.base,
                head: values.head,
                paths: positionals,
                shard,
                configFile: values.config,
                adjust,
            });
        }
        catch (err) {
            if (err instanceof git/* GitError */.XS) {
                io.stderr.write(`shipshape diff: ${err.message}\n`);
                return cli_io/* EXIT */.dc.usage;
            }
            throw err;
        }
        if (run.result.shard)
            io.stderr.write(shardLine(run.result.shard));
        for (const note of run.notes)
            io.stderr.write(`note: ${note}\n`);
        for (const e of run.errors)
            io.stderr.write(`${formatError(e)}\n`);
        const result = {
            base: run.base,
            head: run.head,
            mergeBase: run.result.mergeBase,
            changed: run.result.changedFiles,
            targets: run.diffs,
            errors: run.errors,
        };
        if (values.format === 'json')
            io.stdout.write(`${JSON.stringify({ version: 1, ...result }, null, 2)}\n`);
        else if (result.targets.length === 0)
            io.stdout.write(`No target is affected by the change from ${result.base}.\n`);
        else
            io.stdout.write(formatDiff(result.targets));
        const changes = result.targets.some((t) => t.objects.length > 0 || t.status !== 'ok');
        return values['exit-code'] && changes ? cli_io/* EXIT */.dc.findings : cli_io/* EXIT */.dc.ok;
    },
};

// EXTERNAL MODULE: ./lib/config/drift.js
var drift = __webpack_require__(6489);
// EXTERNAL MODULE: ./lib/jobs/drift.js + 8 modules
var jobs_drift = __webpack_require__(2993);
// EXTERNAL MODULE: ./lib/report/drift.js
var report_drift = __webpack_require__(1301);
;// CONCATENATED MODULE: ./lib/cli/commands/drift.js







const drift_USAGE = `Usage: shipshape drift [paths...] [options]

Compare what Git declares with the live cluster, read-only. Git's side is the Helm charts,
Kustomize overlays and plain manifests found under the paths (or the config's targets:):
fields changed, added or removed out of band, who changed them and when (from managedFields),
objects missing from the cluster, and images that are unpinned, latest, debug builds, or run a
digest other than the one Git pins.

Options:
  -f, --format <format>     ${report_drift/* DRIFT_FORMATS */.fW.join(' | ')} (default: text)
  -c, --config <file>       config file (default: .shipshape.yaml in the working directory, if any)
      --kubeconfig <file>   kubeconfig (default: $KUBECONFIG, ~/.kube/config, then the pod's service account)
      --context <name>      kubeconfig context (default: the current one)
  -n, --namespace <name>    namespace of objects that name none (default: default)
  -A, --all-namespaces      scan the images of every namespace, not only Git's
      --fail-on-drift       exit 1 when there is drift (default); --no-fail-on-drift to report only
      --server-dry-run      also let the API server normalize Git's objects (server-side apply with
                            dryRun=All: nothing is stored, but it needs patch permission)
      --orphans             also list live objects in Git's namespaces that no target declares
                            and no controller owns
      --request-timeout <s> give up on one request to the API server after s seconds (default 30)
      --timeout <s>         give up on the whole run against the cluster after s seconds (default 600)
  -o, --output <file>       write the report to a file instead of stdout
  -h, --help                show this help

Needs only get and list permissions. Manager names are the clients' own names, not people.

Exit status: 0 no drift and everything compared, 1 drift (with --fail-on-drift), 2 usage,
configuration or input errors (something Git declares could not be rendered or read), 3 the
cluster could not be read, in whole or in part (one line on stderr says why when nothing was
read; otherwise the report lists what was not compared).
`;
const EXIT_CLUSTER = 3;
const drift_drift = {
    name: 'drift',
    summary: 'compare the live cluster with Git: who changed what, and when',
    usage: drift_USAGE,
    async run(args, io) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args,
            allowPositionals: true,
            allowNegative: true,
            strict: true,
            options: {
                format: { type: 'string', short: 'f', default: 'text' },
                config: { type: 'string', short: 'c' },
                kubeconfig: { type: 'string' },
                context: { type: 'string' },
                namespace: { type: 'string', short: 'n' },
                'all-namespaces': { type: 'boolean', short: 'A' },
                'fail-on-drift': { type: 'boolean', default: true },
                'server-dry-run': { type: 'boolean' },
                orphans: { type: 'boolean' },
                'request-timeout': { type: 'string' },
                timeout: { type: 'string' },
                output: { type: 'string', short: 'o' },
                help: { type: 'boolean', short: 'h' },
            },
        });
        if (values.help) {
            io.stdout.write(drift_USAGE);
            return cli_io/* EXIT */.dc.ok;
        }
        const format = values.format;
        if (!(0,report_drift/* isDriftFormat */.Zd)(format))
            throw new cli_io/* UsageError */.eb(`--format must be one of ${report_drift/* DRIFT_FORMATS */.fW.join(', ')}, not "${format}"`);
        const seconds = (flag, key) => {
            const value = values[flag];
            if (value === undefined)
                return undefined;
            const n = (0,drift/* secondsWithin */.Fs)(value, key);
            if (typeof n === 'string')
                throw new cli_io/* UsageError */.eb(`--${flag} ${n}`);
            return Math.round(n * 1000);
        };
        const requestTimeoutMs = seconds('request-timeout', 'requestTimeoutSeconds');
        const deadlineMs = seconds('timeout', 'deadlineSeconds');
        const { config, errors: configErrors } = await (0,lib_config/* loadConfig */.Z9)({ cwd: io.cwd, file: values.config });
        if (positionals.length === 0 && config.targets.length === 0) {
            throw new cli_io/* UsageError */.eb('drift needs what Git declares: paths (charts, overlays, manifests) or targets: in the config');
        }
        for (const e of configErrors)
            io.stderr.write(`shipshape drift: ${e.message}\n`);
        const result = await (0,jobs_drift/* runDriftJob */.G)({
            paths: positionals,
            cwd: io.cwd,
            config,
            kubeconfig: values.kubeconfig ? external_node_path_.resolve(io.cwd, values.kubeconfig) : undefined,
            context: values.context,
            namespace: values.namespace,
            allNamespaces: values['all-namespaces'],
            serverSideDryRun: values['server-dry-run'],
            orphans: values.orphans,
            requestTimeoutMs,
            deadlineMs,
            connectOptions: { env: io.env },
        });
        if (result.fatal) {
            io.stderr.write(`shipshape drift: ${result.fatal}\n`);
            return EXIT_CLUSTER;
        }
        const toFile = values.output !== undefined;
        const text = (0,report_drift/* renderDrift */.iI)(format, result.report, { color: !toFile && (0,cli_io/* wantsColor */.zK)(io) });
        if (values.output)
            await io.writeFile(external_node_path_.resolve(io.cwd, values.output), text);
        else
            io.stdout.write(text);
        // Nothing read is no result at all; then what Git could not give (input errors, in the
        // report's errors); then a partial read of the cluster. Only a complete run can exit 0.
        if (result.report.coverage?.status === 'none') {
            io.stderr.write(`shipshape drift: nothing could be read from the cluster; see the report's errors\n`);
            return EXIT_CLUSTER;
        }
        if (configErrors.length || result.inputErrors.some((e) => e.level === 'error'))
            return cli_io/* EXIT */.dc.usage;
        if (!(0,report_drift/* isComplete */.As)(result.report))
            return EXIT_CLUSTER;
        return values['fail-on-drift'] && (0,report_drift/* hasDrift */.uL)(result.report) ? cli_io/* EXIT */.dc.findings : cli_io/* EXIT */.dc.ok;
    },
};

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./lib/config/render.js
var render = __webpack_require__(8428);
// EXTERNAL MODULE: ./lib/jobs/render.js
var jobs_render = __webpack_require__(7094);
// EXTERNAL MODULE: ./lib/model/path.js
var path = __webpack_require__(3070);
// EXTERNAL MODULE: ./lib/render/types.js
var render_types = __webpack_require__(677);
// EXTERNAL MODULE: ./lib/model/text.js
var model_text = __webpack_require__(7798);
;// CONCATENATED MODULE: ./lib/render/verify.js




/** Every key and list item of a YAML file, by its 1-based line and column. */
function positionsOf(text) {
    const out = new Map();
    const lineCounter = new dist/* LineCounter */.HN();
    const docs = (0,dist/* parseAllDocuments */.hR)(text, { lineCounter, strict: false, version: '1.1' });
    const describe = (node) => {
        if (node === null || node === undefined)
            return { kind: 'scalar', value: null, block: false };
        if ((0,dist/* isScalar */.jn)(node)) {
            const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
            // A plain scalar's text as written: kustomize reads a resource's `tier: yes` as the string
            // "yes", which YAML 1.1 (helm's and kubectl's reading) takes for true.
            const text = node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : undefined;
            return { kind: 'scalar', value: node.value, block, ...(text !== undefined ? { text } : {}) };
        }
        if ((0,dist/* isMap */.jh)(node))
            return { kind: 'map', size: node.items.length };
        if ((0,dist/* isSeq */.oP)(node))
            return { kind: 'seq', size: node.items.length };
        return undefined;
    };
    const key = (offset) => {
        const { line, col } = lineCounter.linePos(offset);
        return `${line}:${col}`;
    };
    const visit = (node) => {
        if ((0,dist/* isMap */.jh)(node)) {
            for (const pair of node.items) {
                if (!(0,dist/* isPair */.tO)(pair) || !pair.key || !pair.key.range)
                    continue;
                const at = describe(pair.value);
                const where = key(pair.key.range[0]);
                // `- name: x` is both a list item and its first key: either may be meant.
                if (at)
                    out.set(where, out.get(where)?.item ? { ...at, item: true } : at);
                visit(pair.value);
            }
        }
        else if ((0,dist/* isSeq */.oP)(node)) {
            for (const item of node.items) {
                const range = item?.range;
                const at = describe(item);
                if (range && at)
                    out.set(key(range[0]), at.kind === 'scalar' ? at : { ...at, item: true });
                visit(item);
            }
        }
    };
    for (const doc of Array.isArray(docs) ? docs : [])
        visit(doc.contents);
    return out;
}
/** Is this file a template (its lines print text, they do not hold values)? */
function isTemplate(file, text, line) {
    if (/(^|\/)templates\//.test(file) || /\.tpl$/.test(file))
        return true;
    return (text.split('\n')[line - 1] ?? '').includes('{{');
}
function verifyMapping(manifests, read) {
    const report = { checked: 0, values: 0, mismatches: [] };
    const texts = new Map();
    const positions = new Map();
    const textOf = (file) => {
        if (!texts.has(file))
            texts.set(file, read(file) ?? null);
        return texts.get(file) ?? undefined;
    };
    const atOf = (loc) => {
        let map = positions.get(loc.file);
        if (!map) {
            map = positionsOf(textOf(loc.file) ?? '');
            positions.set(loc.file, map);
        }
        return map.get(`${loc.line}:${loc.column}`);
    };
    for (const m of manifests) {
        if (!m.locateSource)
            continue;
        const visit = (value, at) => {
            if (Array.isArray(value))
                for (let i = 0; i < value.length; i++)
                    visit(value[i], [...at, i]);
            else if ((0,types/* isRecord */.u4)(value))
                for (const [k, v] of Object.entries(value))
                    visit(v, [...at, k]);
            else if (at.length > 0)
                judge(value, at);
        };
        const judge = (rendered, at) => {
            const loc = m.locateSource(at);
            // A line that says which key to add holds a parent of the value, not the value.
            if (loc.key !== undefined)
                return;
            const text = textOf(loc.file);
            if (text === undefined || isTemplate(loc.file, text, loc.line))
                return;
            const found = atOf(loc);
            // A values string that is itself a template (`tpl .Values.config .`) renders to other text.
            if (!found || (found.kind === 'scalar' && String(found.value ?? '').includes('{{')))
                return;
            const verdict = consistent(rendered, found);
            // A list item's line (`- name: x`) is where a field of that item lands when nothing nearer
            // holds it: not judged unless its first key holds the value.
            if (verdict !== true && found.item)
                return;
            report.checked++;
            if (/(^|\/)values[^/]*\.ya?ml$/.test(loc.file))
                report.values++;
            if (verdict !== true) {
                report.mismatches.push({
                    manifest: m,
                    segments: at,
                    object: (0,types/* refKey */.XF)(m.ref),
                    path: (0,path/* formatPath */.jV)(m.object, at),
                    rendered,
                    location: loc,
                    found: verdict,
                });
            }
        };
        visit(m.object, []);
    }
    return report;
}
/** True, or what the line holds when it cannot be where `rendered` came from. */
function consistent(rendered, at) {
    if (at.kind !== 'scalar') {
        const what = at.kind === 'map' ? 'map' : 'list';
        return at.size === 0
            ? `an empty ${what}`
            : `a ${what} of ${at.size} ${at.kind === 'map' ? 'keys' : 'items'}`;
    }
    const value = at.value;
    if (value === null || value === undefined)
        return rendered === null ? true : 'nothing (null)';
    if (sameScalar(rendered, value) || (at.text !== undefined && String(rendered) === at.text))
        return true;
    const r = String(rendered ?? '');
    const v = String(value);
    if (v === '')
        return 'an empty string';
    // Part of the rendered value (`repo:tag`, `--flag=value`, a prefix added by a kustomization).
    if ((0,model_text/* showsIn */.WJ)(r, v) || (0,model_text/* showsIn */.WJ)(r.toLowerCase(), v.toLowerCase()))
        return true;
    // Multi-line text: the same lines, whatever the indentation and trailing blanks.
    if (at.block || v.includes('\n')) {
        const norm = (s) => s
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .join('\n');
        if (norm(r).includes(norm(v)))
            return true;
    }
    if (Buffer.from(v, 'utf8').toString('base64') === r)
        return true;
    // Kustomize `vars:` put `$(NAME)` in the text; the rendered value has what they stand for.
    if (/\$\([A-Za-z_][\w.-]*\)/.test(v)) {
        const pattern = v
            .split(/\$\([A-Za-z_][\w.-]*\)/)
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*');
        if (new RegExp(`^${pattern}$`, 's').test(r))
            return true;
    }
    return JSON.stringify(value);
}
function sameScalar(rendered, value) {
    if (String(rendered) === String(value))
        return true;
    const a = Number(rendered);
    const b = Number(value);
    return (typeof rendered !== 'boolean' &&
        typeof value !== 'boolean' &&
        String(rendered).trim() !== '' &&
        String(value).trim() !== '' &&
        Number.isFinite(a) &&
        a === b);
}

// EXTERNAL MODULE: ./lib/secrets/index.js + 6 modules
var secrets = __webpack_require__(2767);
;// CONCATENATED MODULE: ./lib/cli/commands/render.js














const render_USAGE = `Usage: shipshape render [paths...] [options]

Render what each target produces: a Helm chart (one target per values-<env>.yaml file), a
Kustomize overlay, or a folder of plain manifests. Paths may be a chart or overlay folder, or a
folder searched for them (default: the working directory).

With no path and a config whose targets: section names some, those are rendered.

Options:
  -f, --format <format>   yaml | json | sources (default: yaml). "sources" lists every field
                          with the line a human edits for it (values key, template, patch...)
      --verify            check the source map itself: every field mapped to a values line
                          (or a patch, a base) must find the rendered value on that line;
                          mismatches go to stderr and the exit status is 1
      --helm <path>       the helm binary (default: helm on PATH)
      --kustomize <path>  the kustomize binary (default: kustomize, else kubectl kustomize, on PATH)
      --timeout <secs>    time limit per helm or kustomize call (default: 60)
      --kube-version <v>  the Kubernetes version charts see (.Capabilities.KubeVersion, a chart's
                          kubeVersion:), e.g. 1.33.0 (default: helm's own, the version it was built with)
      --api-versions <l>  API versions charts see in .Capabilities.APIVersions, comma-separated
                          (monitoring.coreos.com/v1,...); may be repeated
      --shard <I/N>       render only part I of N of the targets (one job of N in a CI matrix);
                          the split is by size and the same on every machine
  -c, --config <file>     config file (default: .shipshape.yaml in the working directory, if any)
  -h, --help              show this help

Exit status: 0 when every target rendered, 2 when one did not (the others are still printed).
`;
const FORMATS = ['yaml', 'json', 'sources'];
const render_render = {
    name: 'render',
    summary: 'print what Helm charts, Kustomize overlays and plain folders render to',
    usage: render_USAGE,
    async run(args, io) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args,
            allowPositionals: true,
            strict: true,
            options: {
                format: { type: 'string', short: 'f', default: 'yaml' },
                ...RENDER_FLAGS,
                verify: { type: 'boolean' },
                config: { type: 'string', short: 'c' },
                help: { type: 'boolean', short: 'h' },
            },
        });
        if (values.help) {
            io.stdout.write(render_USAGE);
            return cli_io/* EXIT */.dc.ok;
        }
        const adjust = applyRenderFlags(values, io.cwd);
        const { config, errors: configErrors } = await (0,lib_config/* loadConfig */.Z9)({ cwd: io.cwd, file: values.config });
        adjust(config);
        const format = values.format;
        if (!FORMATS.includes(format))
            throw new cli_io/* UsageError */.eb(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
        const job = await (0,jobs_render/* runRender */.mn)({
            cwd: io.cwd,
            paths: positionals,
            configTargets: (0,render/* resolveTargets */.h5)(config.targets, config.dir, io.cwd),
            tools: config.render.tools,
            timeoutMs: config.render.timeoutMs,
            maxMemoryBytes: config.render.maxMemoryBytes,
            concurrency: config.render.concurrency,
            discover: config.discover,
            shard: parseShardFlag(values.shard),
            ...(config.render.kubeVersion !== undefined && { kubeVersion: config.render.kubeVersion }),
            ...(config.render.apiVersions !== undefined && { apiVersions: config.render.apiVersions }),
        });
        if (job.shard)
            io.stderr.write(shardLine(job.shard));
        const errors = [...configErrors, ...job.errors, ...job.results.flatMap((r) => r.errors)];
        for (const e of errors)
            io.stderr.write(`${formatError(e)}\n`);
        // Secret values never leave the process: Secrets, stringData and secret-looking env values
        // print as their sizes.
        if (format === 'json') {
            const out = job.results.map((r) => ({
                target: (0,render_types/* targetName */.j)(r.target),
                kind: r.target.kind,
                tool: r.tool,
                millis: r.millis,
                objects: r.manifests.map((m) => (0,secrets/* redacted */.pc)(m.object)),
                errors: r.errors,
            }));
            io.stdout.write(`${JSON.stringify({ version: 1, targets: out }, null, 2)}\n`);
        }
        else {
            for (const r of job.results) {
                io.stdout.write(`# target: ${(0,render_types/* targetName */.j)(r.target)}${r.tool ? ` (${r.tool}, ${r.millis} ms)` : ''}\n`);
                const texts = format === 'yaml' ? documentTexts(r) : undefined;
                for (const m of r.manifests)
                    io.stdout.write(format === 'sources' ? sourcesOf(m) : yamlOf(m, texts?.get(m)));
            }
        }
        if (errors.some((e) => e.level === 'error'))
            return cli_io/* EXIT */.dc.usage;
        if (values.verify)
            return verifySources(job.results, io) ? cli_io/* EXIT */.dc.ok : cli_io/* EXIT */.dc.findings;
        return cli_io/* EXIT */.dc.ok;
    },
};
/**
 * `--verify`: the source map's self-check on every target (render/verify.ts). Mismatches are
 * printed with the rendered value (secrets redacted) and what the line holds.
 */
function verifySources(results, io) {
    const read = (file) => {
        try {
            return (0,external_node_fs_.readFileSync)(external_node_path_.resolve(io.cwd, file), 'utf8');
        }
        catch {
            return undefined;
        }
    };
    let checked = 0;
    let mismatches = 0;
    for (const r of results) {
        const report = verifyMapping(r.manifests, read);
        checked += report.checked;
        mismatches += report.mismatches.length;
        for (const x of report.mismatches) {
            const loc = `${x.location.file}:${x.location.line}:${x.location.column}`;
            const shown = (0,secrets/* redactValue */.FI)(x.manifest.object.kind, x.manifest.object, x.segments, x.rendered);
            io.stderr.write(`${loc}: mismatch: ${x.object} ${x.path} renders ${JSON.stringify(shown)}, but the line holds ${x.found}\n`);
        }
    }
    io.stderr.write(`verify: ${checked} mapped fields checked, ${mismatches} mismatch${mismatches === 1 ? '' : 'es'}\n`);
    return mismatches === 0;
}
/**
 * One object as YAML, under a comment naming where it is edited. The tool's own text of it when
 * there is one and nothing in it is redacted (writing YAML again costs more than rendering it).
 */
function yamlOf(m, text) {
    const at = m.locateSource?.([]) ?? m.locate([]);
    const safe = (0,secrets/* redacted */.pc)(m.object);
    const body = text !== undefined && (0,external_node_util_.isDeepStrictEqual)(safe, m.object) ? text : (0,dist/* stringify */.As)(safe, { lineWidth: 0 });
    return `---\n# source: ${at.file}:${at.line}\n${body}`;
}
/**
 * Each object's own text in what the tool printed: from its first line to the next document.
 * None when a step after the render may have changed the objects (an app definition's).
 */
function documentTexts(r) {
    if (!r.rendered || r.target.app?.postRender)
        return undefined;
    const lines = r.rendered.split('\n');
    const out = new Map();
    for (const m of r.manifests) {
        const start = m.locate([]).line - 1;
        let end = start;
        while (end < lines.length && lines[end] !== '---')
            end++;
        out.set(m, `${lines.slice(start, end).join('\n').trimEnd()}\n`);
    }
    return out;
}
/** Every field of an object with the line a human edits for it: the source map, readable. */
function sourcesOf(m) {
    const lines = [`${m.ref.kind}/${m.ref.namespace ? `${m.ref.namespace}/` : ''}${m.ref.name}`];
    const walk = (value, at) => {
        if (at.length > 0 && !(0,types/* isRecord */.u4)(value) && !Array.isArray(value)) {
            const loc = m.locateSource?.(at) ?? m.locate(at);
            const add = loc.key ? `  (add ${loc.key})` : '';
            lines.push(`  ${(0,path/* formatPath */.jV)(m.object, at)}  ->  ${loc.file}:${loc.line}:${loc.column}${add}`);
            return;
        }
        if (Array.isArray(value))
            for (let i = 0; i < value.length; i++)
                walk(value[i], [...at, i]);
        else if ((0,types/* isRecord */.u4)(value))
            for (const [k, v] of Object.entries(value))
                walk(v, [...at, k]);
    };
    walk(m.object, []);
    return `${lines.join('\n')}\n`;
}

// EXTERNAL MODULE: ./lib/rules/suppress.js
var suppress = __webpack_require__(2200);
;// CONCATENATED MODULE: ./lib/report/rules.js


/**
 * The rule catalogue, from the rules' own metadata: `shipshape rules` (text, json, markdown) and
 * docs/rules.md (the markdown form, regenerated by `npm run docs` and checked by a unit test).
 */
const RULE_FORMATS = ['text', 'json', 'markdown'];
function renderRules(format, rules) {
    if (format === 'json')
        return renderRulesJson(rules);
    if (format === 'markdown')
        return renderRulesMarkdown(rules);
    return renderRulesText(rules);
}
function renderRulesText(rules) {
    const all = [...rules, ...suppress/* SUPPRESSION_RULES */.AX];
    const width = Math.max(...all.map((r) => r.id.length), 2);
    const out = [];
    for (const category of types/* CATEGORIES */.R6) {
        const list = rules.filter((r) => r.category === category);
        if (list.length === 0)
            continue;
        out.push(category);
        for (const r of list)
            out.push(`  ${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.title}`);
        out.push('');
    }
    out.push('suppressions (category: that of the suppressed rule)');
    for (const r of suppress/* SUPPRESSION_RULES */.AX)
        out.push(`  ${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.title}`);
    return `${out.join('\n')}\n`;
}
function renderRulesJson(rules) {
    const entry = (r) => ({
        id: r.id,
        category: 'category' in r ? r.category : null,
        severity: r.severity,
        title: r.title,
        why: r.why,
        fix: r.fix,
        example: r.example,
    });
    return `${JSON.stringify({ version: 1, rules: [...rules, ...suppress/* SUPPRESSION_RULES */.AX].map(entry) }, null, 2)}\n`;
}
function renderRulesMarkdown(rules) {
    const out = [
        '# Rules',
        '',
        "<!-- Generated from the rules' metadata by `npm run docs` (scripts/gen-docs.mjs). Do not edit by hand: a unit test fails when this file is stale. -->",
        '',
        'Every finding belongs to one checklist category. Severities are defaults: `.shipshape.yaml` can change',
        'them or switch a rule off (see [configuration](configuration.md)), and an annotation can suppress a rule',
        'on one object (see [suppressions](suppressions.md)).',
        '',
        '| Rule | Category | Severity | Wants |',
        '| --- | --- | --- | --- |',
    ];
    const ordered = types/* CATEGORIES */.R6.flatMap((c) => rules.filter((r) => r.category === c));
    for (const r of ordered)
        out.push(`| [\`${r.id}\`](#${r.id}) | ${r.category} | ${r.severity} | ${oneLine(r.title)} |`);
    for (const r of suppress/* SUPPRESSION_RULES */.AX) {
        out.push(`| [\`${r.id}\`](#${r.id}) | (the suppressed rule's) | ${r.severity} | ${oneLine(r.title)} |`);
    }
    for (const category of types/* CATEGORIES */.R6) {
        const list = ordered.filter((r) => r.category === category);
        if (list.length === 0)
            continue;
        out.push('', `## ${category}`);
        for (const r of list)
            out.push('', ...ruleSection(r, category));
    }
    out.push('', '## Suppressions', '', 'These findings take the category of the rule the annotation suppresses.');
    for (const r of suppress/* SUPPRESSION_RULES */.AX)
        out.push('', ...ruleSection(r, "(the suppressed rule's)"));
    return `${out.join('\n')}\n`;
}
function ruleSection(r, category) {
    return [
        `### ${r.id}`,
        '',
        `**${oneLine(r.title)}** — category \`${category}\`, severity \`${r.severity}\`.`,
        '',
        `**Why:** ${r.why.trim()}`,
        '',
        `**How to fix:** ${r.fix.trim()}`,
        '',
        ...('appliesTo' in r && r.appliesTo ? [`**Applies to:** ${r.appliesTo.trim()}`, ''] : []),
        `Fails (line ${r.example.line}):`,
        '',
        '```yaml',
        r.example.bad.trimEnd(),
        '```',
        '',
        'Passes:',
        '',
        '```yaml',
        r.example.good.trimEnd(),
        '```',
    ];
}
function oneLine(text) {
    return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

// EXTERNAL MODULE: ./lib/rules/index.js + 17 modules
var rules = __webpack_require__(4697);
;// CONCATENATED MODULE: ./lib/cli/commands/rules.js




const rules_USAGE = `Usage: shipshape rules [--format ${RULE_FORMATS.join('|')}]

List every rule of the checklist with its category, default severity and what it wants.
--format markdown prints docs/rules.md.
`;
const rules_rules = {
    name: 'rules',
    summary: 'list the rules of the checklist',
    usage: rules_USAGE,
    async run(args, io) {
        const { values } = (0,external_node_util_.parseArgs)({
            args,
            strict: true,
            allowPositionals: false,
            options: {
                format: { type: 'string', short: 'f', default: 'text' },
                help: { type: 'boolean', short: 'h' },
            },
        });
        if (values.help) {
            io.stdout.write(rules_USAGE);
            return cli_io/* EXIT */.dc.ok;
        }
        if (!RULE_FORMATS.includes(values.format)) {
            throw new cli_io/* UsageError */.eb(`--format must be one of ${RULE_FORMATS.join(', ')}, not "${values.format}"`);
        }
        io.stdout.write(renderRules(values.format, rules/* ALL_RULES */.U.map((r) => r.meta)));
        return cli_io/* EXIT */.dc.ok;
    },
};

;// CONCATENATED MODULE: ./lib/cli/commands/index.js





/** Every CLI command. To add one (`render`, `diff`, `drift`), write commands/<name>.ts and list it here. */
const COMMANDS = [check_check, render_render, diff, rules_rules, drift_drift];

;// CONCATENATED MODULE: ./lib/cli/cli.js




/**
 * `shipshape <command> [args]`: global flags, then dispatch to one command. Returns the exit code
 * instead of exiting, so tests run the whole CLI in-process.
 */
function usage() {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    return [
        'Usage: shipshape <command> [options]',
        '',
        'Keep Kubernetes manifests production-ready.',
        '',
        'Commands:',
        ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
        '',
        'Options:',
        '  -h, --help     show help (also: shipshape <command> --help)',
        '  -v, --version  print the version',
        '',
    ].join('\n');
}
async function runCli(argv, given) {
    // Secret values never leave the process: everything a command writes is masked on the way out.
    const io = (0,cli_io/* maskedIo */.WM)(given);
    const [first, ...rest] = argv;
    if (first === undefined) {
        io.stderr.write(usage());
        return cli_io/* EXIT */.dc.usage;
    }
    if (first === '-h' || first === '--help') {
        io.stdout.write(usage());
        return cli_io/* EXIT */.dc.ok;
    }
    if (first === '-v' || first === '--version') {
        io.stdout.write(`${version/* VERSION */.x}\n`);
        return cli_io/* EXIT */.dc.ok;
    }
    if (first === 'help') {
        const command = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
        io.stdout.write(command ? command.usage : usage());
        return cli_io/* EXIT */.dc.ok;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
        const hint = (0,suggest/* suggest */.ZA)(first, COMMANDS.map((c) => c.name));
        io.stderr.write(`shipshape: unknown command "${first}"${hint}\n\n${usage()}`);
        return cli_io/* EXIT */.dc.usage;
    }
    try {
        return await command.run(rest, io);
    }
    catch (err) {
        if (err instanceof cli_io/* UsageError */.eb || isParseArgsError(err)) {
            io.stderr.write(`shipshape ${command.name}: ${err.message}\nRun "shipshape ${command.name} --help" for usage.\n`);
            return cli_io/* EXIT */.dc.usage;
        }
        io.stderr.write(`shipshape ${command.name}: ${err.message}\n`);
        return cli_io/* EXIT */.dc.usage;
    }
}
/** node:util parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(err) {
    const code = err?.code;
    return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}


/***/ }),

/***/ 8908:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WM: () => (/* binding */ maskedIo),
/* harmony export */   Wr: () => (/* binding */ processIo),
/* harmony export */   dc: () => (/* binding */ EXIT),
/* harmony export */   eb: () => (/* binding */ UsageError),
/* harmony export */   zK: () => (/* binding */ wantsColor)
/* harmony export */ });
/* unused harmony export writeInSlices */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _secrets_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2767);



const EXIT = { ok: 0, findings: 1, usage: 2 };
/** A mistake in how the command was called: printed with a pointer to --help, exit 2. */
class UsageError extends Error {
}
function processIo() {
    return {
        stdout: { write: (text) => writeInSlices(process.stdout, text) },
        stderr: process.stderr,
        stdoutIsTTY: process.stdout.isTTY === true,
        env: process.env,
        cwd: process.cwd(),
        writeFile: async (file, text) => {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(file), { recursive: true });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(file, text, 'utf8');
        },
    };
}
/**
 * The same terminal and files with every secret the run has seen masked in everything written:
 * reports in every format, rendered objects and diffs, error text. runCli hands commands this.
 */
function maskedIo(io) {
    return {
        ...io,
        stdout: { write: (text) => io.stdout.write((0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecrets */ .QU)(text)) },
        stderr: { write: (text) => io.stderr.write((0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecrets */ .QU)(text)) },
        writeFile: (file, text) => io.writeFile(file, (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecrets */ .QU)(text)),
    };
}
/**
 * A report can be tens of megabytes: handing it to a pipe in one call copies all of it into one
 * more buffer. Slices written as the reader drains them keep that copy small.
 */
const SLICE = 1 << 20;
/** The last write: each waits for the one before (only the last is kept, not one per piece). */
let lastWrite = Promise.resolve();
function writeInSlices(stream, text) {
    const done = lastWrite.then(async () => {
        for (let i = 0; i < text.length; i += SLICE) {
            if (!stream.write(encoded(text.slice(i, i + SLICE)))) {
                await new Promise((resolve) => stream.once('drain', resolve));
            }
            // The stream kept the bytes (it writes later: a full pipe, a terminal elsewhere): the next
            // slice gets a buffer of its own.
            if (stream.writableLength > 0)
                scratch = undefined;
        }
    });
    lastWrite = done;
    return done;
}
/**
 * The UTF-8 bytes of a slice, in a buffer reused while the stream writes each slice at once (a
 * file or a pipe on Linux). Node gives every string written a fresh buffer of its own, and
 * touching that new memory was 40 ms of a 20 MB report.
 */
let scratch;
function encoded(text) {
    const most = text.length * 3;
    if (!scratch || scratch.length < most)
        scratch = Buffer.allocUnsafe(Math.max(most, SLICE));
    const bytes = scratch.write(text, 0, 'utf8');
    return scratch.subarray(0, bytes);
}
/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
function wantsColor(io) {
    return io.stdoutIsTTY && !io.env.NO_COLOR;
}


/***/ }),

/***/ 1273:
/***/ ((__webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
__webpack_require__.r(__webpack_exports__);
/* harmony import */ var _heap_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3825);
/* harmony import */ var _render_launcher_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(346);
/* harmony import */ var _cli_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3303);
/* harmony import */ var _io_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8908);




/** The CLI's entry (bundled into dist/cli.js): everything else is in cli.ts and commands/. */
(0,_heap_js__WEBPACK_IMPORTED_MODULE_0__/* .youngGenerationAtFirstSize */ .h)();
// `shipshape check . | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE')
        process.exit(process.exitCode ?? 0);
    throw err;
});
process.exitCode = await (0,_cli_js__WEBPACK_IMPORTED_MODULE_2__/* .runCli */ .a)(process.argv.slice(2), (0,_io_js__WEBPACK_IMPORTED_MODULE_3__/* .processIo */ .Wr)());
await (0,_render_launcher_js__WEBPACK_IMPORTED_MODULE_1__/* .stopLauncher */ .b7)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ })

};
