export const id = 563;
export const ids = [563];
export const modules = {

/***/ 2563:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkAgainstBase: () => (/* binding */ checkAgainstBase)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _diff_format_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1392);
/* harmony import */ var _github_pr_summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9596);
/* harmony import */ var _jobs_check_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3484);
/* harmony import */ var _render_git_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2408);
/* harmony import */ var _report_index_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5016);
/* harmony import */ var _report_pull_request_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8199);
/* harmony import */ var _io_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8908);
/* harmony import */ var _render_flags_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1366);
/* harmony import */ var _version_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(6802);
/* harmony import */ var _base_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(7040);











async function checkAgainstBase(input, io) {
    let run;
    try {
        run = await (0,_base_js__WEBPACK_IMPORTED_MODULE_9__/* .runAgainstBase */ .e)({
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
        if (err instanceof _render_git_js__WEBPACK_IMPORTED_MODULE_4__/* .GitError */ .XS) {
            io.stderr.write(`shipshape check: ${err.message}\n`);
            return _io_js__WEBPACK_IMPORTED_MODULE_7__/* .EXIT */ .dc.usage;
        }
        throw err;
    }
    const { result } = run;
    if (result.shard)
        io.stderr.write((0,_render_flags_js__WEBPACK_IMPORTED_MODULE_8__/* .shardLine */ .d)(result.shard));
    for (const note of run.notes)
        io.stderr.write(`note: ${note}\n`);
    const failOn = input.failOn ?? run.config.failOn ?? 'error';
    const counted = (0,_report_pull_request_js__WEBPACK_IMPORTED_MODULE_6__/* .countedFindings */ .Hs)(result);
    const inputErrors = result.errors.some((e) => e.level === 'error');
    const failed = failOn !== 'never' && ((0,_jobs_check_js__WEBPACK_IMPORTED_MODULE_3__/* .reachesThreshold */ .Lu)(counted, failOn) || inputErrors);
    let text;
    switch (input.format) {
        case 'markdown':
            text = `${(0,_github_pr_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .summaryBlocks */ .X)(result, { failOn, failed, notes: run.notes }).join('\n\n')}\n`;
            break;
        case 'json':
            text = `${JSON.stringify((0,_report_pull_request_js__WEBPACK_IMPORTED_MODULE_6__/* .pullRequestJson */ .NA)(result), null, 2)}\n`;
            break;
        case 'text': {
            const from = `${run.base}${result.mergeBase ? ` (merge base ${result.mergeBase.slice(0, 12)})` : ''}`;
            const counts = `${counted.length} new finding${counted.length === 1 ? '' : 's'}, ${result.existingFindings.length} existing, ${result.fixedFindings.length} fixed`;
            const report = (0,_report_index_js__WEBPACK_IMPORTED_MODULE_5__/* .renderReport */ .B1)('text', (0,_report_pull_request_js__WEBPACK_IMPORTED_MODULE_6__/* .asCheckResult */ .EM)(result, counted), {
                version: _version_js__WEBPACK_IMPORTED_MODULE_10__/* .VERSION */ .x,
                color: input.color,
            });
            const diff = run.diffs.length === 0
                ? `No target is affected by the change from ${run.base}.\n`
                : `Rendered diff:\n\n${(0,_diff_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDiff */ .V)(run.diffs)}`;
            text = `Compared with ${from}, head ${run.head}: ${counts}.\n\n${report}\n${diff}`;
            break;
        }
        default:
            text = (0,_report_index_js__WEBPACK_IMPORTED_MODULE_5__/* .renderReport */ .B1)(input.format, (0,_report_pull_request_js__WEBPACK_IMPORTED_MODULE_6__/* .asCheckResult */ .EM)(result, counted), { version: _version_js__WEBPACK_IMPORTED_MODULE_10__/* .VERSION */ .x });
    }
    if (input.output) {
        await io.writeFile(node_path__WEBPACK_IMPORTED_MODULE_0__.resolve(io.cwd, input.output), text);
        io.stderr.write(`shipshape: ${counted.length} new finding${counted.length === 1 ? '' : 's'}; report in ${input.output}\n`);
    }
    else {
        // Errors in the report formats are in the report; say the others' once on stderr.
        if (input.format === 'markdown')
            for (const e of run.errors)
                io.stderr.write(`${(0,_render_flags_js__WEBPACK_IMPORTED_MODULE_8__/* .formatError */ .Wk)(e)}\n`);
        await io.stdout.write(text);
    }
    if (inputErrors)
        return _io_js__WEBPACK_IMPORTED_MODULE_7__/* .EXIT */ .dc.usage;
    return (0,_jobs_check_js__WEBPACK_IMPORTED_MODULE_3__/* .reachesThreshold */ .Lu)(counted, failOn) ? _io_js__WEBPACK_IMPORTED_MODULE_7__/* .EXIT */ .dc.findings : _io_js__WEBPACK_IMPORTED_MODULE_7__/* .EXIT */ .dc.ok;
}


/***/ }),

/***/ 7637:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CS: () => (/* binding */ prose),
/* harmony export */   EI: () => (/* binding */ splitMarkdown),
/* harmony export */   EU: () => (/* binding */ fence),
/* harmony export */   Hn: () => (/* binding */ cell),
/* harmony export */   _4: () => (/* binding */ GITHUB_COMMENT_LIMIT),
/* harmony export */   aY: () => (/* binding */ code),
/* harmony export */   zH: () => (/* binding */ details)
/* harmony export */ });
/* unused harmony export splitBlock */
/**
 * Markdown that survives GitHub: fences that stay closed whatever the content holds, and
 * splitting long reports under the comment size cap without cutting a line, a fence or a
 * collapsible section in half.
 */
/** GitHub rejects issue and review comment bodies over this many characters. */
const GITHUB_COMMENT_LIMIT = 65_536;
/**
 * A fenced code block whose fence is longer than any backtick run in the content, so a diff of a
 * ConfigMap that itself holds Markdown (```) cannot close the block early.
 */
function fence(content, info = '') {
    const ticks = '`'.repeat(Math.max(3, longestBackticks(content) + 1));
    const body = content.endsWith('\n') ? content : `${content}\n`;
    return `${ticks}${info}\n${body}${ticks}`;
}
/** Inline code that stays inline whatever it contains (backticks, pipes in tables). */
function code(text) {
    const oneLine = text.replace(/\r?\n/g, ' ');
    const ticks = '`'.repeat(longestBackticks(oneLine) + 1);
    const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
    return `${ticks}${pad}${oneLine.replace(/\|/g, '\\|')}${pad}${ticks}`;
}
/** The longest run of backticks in `text`: a loop, as a diff may hold more runs than a call takes arguments. */
function longestBackticks(text) {
    let longest = 0;
    for (const m of text.matchAll(/`+/g))
        if (m[0].length > longest)
            longest = m[0].length;
    return longest;
}
/** Text for a table cell or a one-line list item: no line breaks, no stray pipes, no HTML. */
function cell(text) {
    return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/**
 * Text from manifests and rules as Markdown prose: no raw HTML, so a value in a manifest can
 * neither break the layout nor forge one of our hidden markers.
 */
function prose(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A collapsible section; the summary is kept on the opening line so splitting can reopen it. */
function details(summary, body, open = false) {
    return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
// ---------------------------------------------------------------------------------------------
// Splitting
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
function advance(state, line) {
    if (state.fence) {
        const t = line.replace(/^ {0,3}/, '');
        const m = state.fence.marker;
        const closes = t.startsWith(m[0].repeat(m.length)) &&
            t
                .replace(/\s+$/, '')
                .split('')
                .every((c) => c === m[0]);
        return closes ? { details: state.details } : state;
    }
    const open = FENCE_OPEN.exec(line);
    if (open)
        return { details: state.details, fence: { line, marker: open[1] } };
    const trimmed = line.trim();
    if (/^<details[\s>]/i.test(trimmed) && !/<\/details>/i.test(trimmed)) {
        return { details: [...state.details, trimmed] };
    }
    if (/^<\/details>/i.test(trimmed))
        return { details: state.details.slice(0, -1) };
    return state;
}
/** Lines that close everything open, innermost first. */
function closers(state) {
    const out = [];
    if (state.fence)
        out.push(state.fence.marker);
    for (let i = state.details.length - 1; i >= 0; i--)
        out.push('', '</details>');
    return out;
}
/** Lines that reopen the same sections on the next part, outermost first. */
function reopeners(state) {
    const out = [];
    for (const d of state.details)
        out.push(continued(d), '');
    if (state.fence)
        out.push(state.fence.line);
    return out;
}
function continued(detailsLine) {
    return detailsLine.replace(/<\/summary>/i, ' (continued)</summary>');
}
const joinedLength = (lines) => lines.reduce((n, l) => n + l.length + 1, 0);
/**
 * Cut one block that is too long for a part into pieces of at most `limit` characters, only
 * between lines, closing any open fence and <details> at the end of a piece and reopening them
 * at the start of the next. A single line longer than a piece can hold is shortened with a note
 * (the full text stays in the job summary and the JSON report).
 */
function splitBlock(block, limit) {
    const pieces = [];
    let state = { details: [] };
    let lines = [];
    let used = 0;
    for (let line of block.split('\n')) {
        const after = advance(state, line);
        // Room to close whatever is still open once this line is in (a closing fence needs none).
        const reserve = joinedLength(closers(after));
        const freshRoom = limit - reserve - joinedLength(reopeners(state)) - 1;
        if (line.length > freshRoom) {
            // It has to be shortened anyway: keep it in this piece when a useful part of it fits.
            const roomHere = limit - reserve - used - 1;
            line = shorten(line, roomHere >= 200 ? roomHere : freshRoom);
        }
        if (used + line.length + 1 + reserve > limit && lines.length > 0) {
            pieces.push([...lines, ...closers(state)].join('\n'));
            lines = reopeners(state);
            used = joinedLength(lines);
        }
        lines.push(line);
        used += line.length + 1;
        state = advance(state, line);
    }
    if (lines.length > 0)
        pieces.push([...lines, ...closers(state)].join('\n'));
    return pieces;
}
function shorten(line, room) {
    const note = ` … [line shortened from ${line.length} characters]`;
    return line.slice(0, Math.max(0, room - note.length)) + note;
}
/**
 * Pack blocks (one per object or section, each valid Markdown on its own) into parts of at most
 * `limit` characters. Blocks are never reordered; a block is cut only when it alone exceeds the
 * limit.
 */
function splitMarkdown(blocks, limit) {
    const parts = [];
    let current = '';
    const push = (piece) => {
        const joined = current ? `${current}\n\n${piece}` : piece;
        if (joined.length <= limit) {
            current = joined;
            return;
        }
        if (current)
            parts.push(current);
        current = piece;
    };
    for (const block of blocks) {
        if (block.length <= limit)
            push(block);
        else
            for (const piece of splitBlock(block, limit))
                push(piece);
    }
    if (current || parts.length === 0)
        parts.push(current);
    return parts;
}


/***/ }),

/***/ 9596:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ summaryBlocks),
/* harmony export */   s: () => (/* binding */ jobSummary)
/* harmony export */ });
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3356);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7637);


const ICON = { error: '🔴', warning: '🟠', info: '🔵' };
function summaryBlocks(result, ctx) {
    const blocks = [headline(result, ctx)];
    if (ctx.notes?.length)
        blocks.push(ctx.notes.map((n) => `> ${n}`).join('\n'));
    if (result.targets.length === 0) {
        blocks.push(result.mode === 'pull-request'
            ? 'No Helm chart, Kustomize overlay or manifest folder is affected by this change.'
            : 'No Helm chart, Kustomize overlay or manifest folder was found.');
    }
    else {
        blocks.push(overview(result));
    }
    if (result.errors.length > 0)
        blocks.push(errorsBlock(result.errors, ctx));
    for (const t of result.targets)
        blocks.push(...targetBlocks(t, result, ctx));
    return blocks;
}
function headline(result, ctx) {
    const counted = result.mode === 'pull-request' ? result.newFindings : result.findings;
    const bySeverity = (s) => counted.filter((f) => f.severity === s).length;
    const status = ctx.failed ? '❌' : '✅';
    const what = result.mode === 'pull-request' ? 'new' : 'found';
    const parts = [
        `${status} **shipshape**: ${counted.length} ${what} (${bySeverity('error')} errors, ${bySeverity('warning')} warnings, ${bySeverity('info')} info)`,
    ];
    if (result.mode === 'pull-request') {
        parts.push(`${result.existingFindings.length} existing`, `${result.fixedFindings.length} fixed`);
    }
    const verdict = ctx.failed
        ? `Fails on \`${ctx.failOn}\`.`
        : ctx.failOn === 'never'
            ? 'Never fails (`fail-on: never`).'
            : `Nothing at \`${ctx.failOn}\` or above.`;
    return `## shipshape readiness report\n\n${parts.join(' · ')}. ${verdict}`;
}
function overview(result) {
    const pr = result.mode === 'pull-request';
    const head = pr
        ? '| target | new | existing | fixed | rendered objects changed |\n| --- | ---: | ---: | ---: | ---: |'
        : '| target | errors | warnings | info | objects |\n| --- | ---: | ---: | ---: | ---: |';
    const rows = result.targets.map((t) => {
        const name = `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(t.name)}${t.presence === 'added' ? ' (new)' : t.presence === 'removed' ? ' (removed)' : ''}`;
        if (pr)
            return `| ${name} | ${t.newFindings.length} | ${t.existingFindings.length} | ${t.fixedFindings.length} | ${t.diff.length} |`;
        const f = t.head?.findings ?? [];
        const n = (s) => f.filter((x) => x.severity === s).length;
        return `| ${name} | ${n('error')} | ${n('warning')} | ${n('info')} | ${t.head?.objects ?? 0} |`;
    });
    return [head, ...rows].join('\n');
}
function targetBlocks(t, result, ctx) {
    const blocks = [`### ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(t.name)}`];
    if (t.head)
        blocks.push(scorecard(t));
    const pr = result.mode === 'pull-request';
    const listed = pr ? t.newFindings : (t.head?.findings ?? []);
    if (listed.length > 0) {
        blocks.push(`**${pr ? 'New findings' : 'Findings'}**\n\n${findingList(listed, ctx, pr)}`);
    }
    else if (t.head) {
        blocks.push(pr ? '**No new findings.**' : '**No findings.**');
    }
    if (t.existingFindings.length > 0) {
        blocks.push((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .details */ .zH)(`${t.existingFindings.length} existing ${t.existingFindings.length === 1 ? 'finding' : 'findings'} (already at the base; not failing this pull request)`, findingList(t.existingFindings, ctx, false)));
    }
    if (t.fixedFindings.length > 0) {
        blocks.push((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .details */ .zH)(`${t.fixedFindings.length} fixed by this pull request`, t.fixedFindings
            .map((f) => `- ✅ ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(f.ruleId)} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)((0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .refKey */ .XF)(f.object))} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(f.path)}`)
            .join('\n')));
    }
    if (pr && t.diff.length > 0) {
        blocks.push(`**Rendered diff** (${t.diff.length} ${t.diff.length === 1 ? 'object' : 'objects'})`);
        for (const d of t.diff)
            blocks.push(objectDiffBlock(d));
    }
    else if (pr && t.head) {
        blocks.push('_The rendered output did not change._');
    }
    return blocks;
}
const CHANGE_ICON = { added: '➕', removed: '➖', changed: '✏️', renamed: '🔀' };
function objectDiffBlock(d) {
    const title = `${CHANGE_ICON[d.change]} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(d.key)}${d.from ? ` (renamed from ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(d.from)})` : ''}${d.secret ? ' 🔒' : ''}`;
    const notes = [];
    if (d.secret)
        notes.push('_A Secret: values are never shown, only whether they changed and their sizes._');
    if (d.nondeterministic.length > 0) {
        notes.push(`_Differs between two renders of the head (random output, not a change): ${d.nondeterministic.map(_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY).join(', ')}._`);
    }
    const body = d.diff ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .fence */ .EU)(d.diff, 'diff') : '_Only the name changed._';
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .details */ .zH)(title, [...notes, body].join('\n\n'));
}
/**
 * Workloads against the checklist: ✅ nothing found, 🔴/🟠/🔵 the worst new finding, ⚪ only
 * existing ones. Findings on other objects (a namespace without a NetworkPolicy) get their own row.
 */
function scorecard(t) {
    const findings = t.head?.findings ?? [];
    const newOnes = new Set(t.newFindings.map((f) => f.fingerprint));
    const rows = new Map();
    for (const w of t.workloads)
        rows.set((0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .refKey */ .XF)(w), []);
    const other = [];
    for (const f of findings) {
        const row = rows.get((0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .refKey */ .XF)(f.object));
        if (row)
            row.push(f);
        else
            other.push(f);
    }
    if (rows.size === 0 && other.length === 0)
        return '_No workloads._';
    const header = `| workload | ${_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .CATEGORIES */ .R6.join(' | ')} |\n| --- |${_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .CATEGORIES */ .R6.map(() => ' :-: |').join('')}`;
    const line = (name, list) => `| ${name} | ${_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .CATEGORIES */ .R6.map((c) => scoreCell(list.filter((f) => f.checklist === c), newOnes)).join(' | ')} |`;
    const lines = [...rows].map(([key, list]) => line((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(key), list));
    if (other.length > 0)
        lines.push(line('_other objects_', other));
    const ready = [...rows.values()].filter((l) => l.length === 0).length;
    return `**Readiness scorecard**: ${ready} of ${rows.size} workloads pass every check.\n\n${header}\n${lines.join('\n')}`;
}
function scoreCell(list, newOnes) {
    if (list.length === 0)
        return '✅';
    const fresh = list.filter((f) => newOnes.has(f.fingerprint));
    const worst = (fresh.length > 0 ? fresh : list).reduce((a, f) => (rank(f) < rank(a) ? f : a));
    return fresh.length > 0 ? `${ICON[worst.severity]} ${list.length}` : `⚪ ${list.length}`;
}
function rank(f) {
    return { error: 0, warning: 1, info: 2 }[f.severity];
}
function findingList(findings, ctx, markInline) {
    return findings
        .map((f) => {
        const where = `${f.location.file}:${f.location.line}`;
        const place = ctx.link
            ? `[${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(where)}](${ctx.link(f.location.file, f.location.line)})`
            : (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(where);
        const inline = markInline ? inlineNote(f, ctx) : '';
        return `- ${ICON[f.severity]} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(f.ruleId)} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)((0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .refKey */ .XF)(f.object))}: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(f.message)} (${place}${inline})`;
    })
        .join('\n');
}
function inlineNote(f, ctx) {
    if (!ctx.commented)
        return '';
    if (ctx.commented.has(f.fingerprint))
        return ' · 💬 inline';
    if (ctx.overLimit?.has(f.fingerprint))
        return ' · over the inline comment limit';
    return ' · not on a changed line';
}
function errorsBlock(errors, ctx) {
    const lines = errors.map((e) => {
        const where = e.location ? `${e.location.file}:${e.location.line}` : '';
        const place = where
            ? ` (${ctx.link && e.location ? `[${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(where)}](${ctx.link(e.location.file, e.location.line)})` : (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(where)})`
            : '';
        return `- ${e.level === 'error' ? '⛔' : 'ℹ️'} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(e.message)}${place}`;
    });
    return `**Could not check everything**\n\n${lines.join('\n')}`;
}
/** The job summary takes up to 1 MiB per step; keep whole blocks and say what was left out. */
function jobSummary(blocks, limit = 1_000_000) {
    const out = [];
    let used = 0;
    for (let i = 0; i < blocks.length; i++) {
        if (used + blocks[i].length + 2 > limit - 200) {
            out.push(`_… ${blocks.length - i} more sections left out to stay under the job summary's size limit; the JSON report has everything._`);
            break;
        }
        out.push(blocks[i]);
        used += blocks[i].length + 2;
    }
    return `${out.join('\n\n')}\n`;
}


/***/ }),

/***/ 8199:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EM: () => (/* binding */ asCheckResult),
/* harmony export */   Hs: () => (/* binding */ countedFindings),
/* harmony export */   NA: () => (/* binding */ pullRequestJson)
/* harmony export */ });
/* harmony import */ var _rules_engine_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7217);
/* harmony import */ var _rules_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4697);
/* harmony import */ var _rules_suppress_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2200);
/* harmony import */ var _json_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7406);




/**
 * A base-vs-head run in the shapes the shared reporters take (text, JSON, SARIF, annotations),
 * and the JSON report's `pullRequest` section: the Action's report.json and
 * `shipshape check --base --format json` write the same document.
 */
/** What counts on a run: the new findings on a pull request, every finding otherwise, one per line. */
function countedFindings(result) {
    return (0,_rules_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .onePerLine */ .gj)(result.mode === 'pull-request' ? result.newFindings : result.findings);
}
/** The shape the shared reporters take, reporting `findings`. */
function asCheckResult(result, findings) {
    return {
        findings,
        errors: result.errors,
        files: result.files,
        objects: result.objects,
        rules: [..._rules_index_js__WEBPACK_IMPORTED_MODULE_1__/* .ALL_RULES */ .U.map((r) => r.meta), ..._rules_suppress_js__WEBPACK_IMPORTED_MODULE_2__/* .SUPPRESSION_RULES */ .AX],
        suppressed: [],
        baselined: [],
    };
}
/** The JSON report of a run: every head finding (one per line), and on a pull request what is new. */
function pullRequestJson(result) {
    return {
        ...(0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .jsonReport */ .L7)(asCheckResult(result, (0,_rules_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .onePerLine */ .gj)(result.findings))),
        pullRequest: result.mode === 'pull-request'
            ? {
                base: result.base,
                head: result.head,
                ...(result.mergeBase ? { mergeBase: result.mergeBase } : {}),
                changedFiles: result.changedFiles,
                renderedChanged: result.renderedChanged,
                new: result.newFindings.map((f) => f.fingerprint),
                existing: result.existingFindings.map((f) => f.fingerprint),
                fixed: result.fixedFindings.map((f) => ({
                    ruleId: f.ruleId,
                    object: f.object,
                    path: f.path,
                    fingerprint: f.fingerprint,
                })),
                targets: result.targets.map((t) => ({
                    name: t.name,
                    presence: t.presence,
                    new: t.newFindings.length,
                    existing: t.existingFindings.length,
                    fixed: t.fixedFindings.length,
                    changedObjects: t.diff.map((d) => ({ object: d.key, change: d.change })),
                })),
            }
            : undefined,
    };
}


/***/ })

};
