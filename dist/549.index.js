export const id = 549;
export const ids = [549];
export const modules = {

/***/ 6802:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ VERSION)
/* harmony export */ });
/** shipshape's version; a unit test keeps it equal to package.json's. */
const VERSION = '0.1.0';


/***/ }),

/***/ 5662:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VT: () => (/* binding */ failOnSection),
/* harmony export */   YX: () => (/* binding */ excludeSection),
/* harmony export */   d$: () => (/* binding */ FAIL_ON),
/* harmony export */   d_: () => (/* binding */ baselineSection)
/* harmony export */ });
/* harmony import */ var _validate_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8029);

/**
 * What a check reads and when it fails:
 *
 *   exclude: ["**\/generated/**"]   # paths (globs) not checked
 *   baseline: .shipshape-baseline.json
 *   failOn: warning                 # error | warning | info | never
 */
const FAIL_ON = ['error', 'warning', 'info', 'never'];
const excludeSection = {
    defaults: () => [],
    read: (value, r, p) => (0,_validate_js__WEBPACK_IMPORTED_MODULE_0__/* .expectStringList */ .Tx)(value, r, p) ?? [],
};
const baselineSection = {
    defaults: () => undefined,
    read(value, r, p) {
        if (typeof value === 'string' && value !== '')
            return (0,_validate_js__WEBPACK_IMPORTED_MODULE_0__/* .insideRepository */ .rz)(value, r, p) ? value : undefined;
        r.error(p, `must be a file name, got ${(0,_validate_js__WEBPACK_IMPORTED_MODULE_0__/* .describe */ .q0)(value)}`);
        return undefined;
    },
};
const failOnSection = {
    defaults: () => undefined,
    read: (value, r, p) => (0,_validate_js__WEBPACK_IMPORTED_MODULE_0__/* .expectOneOf */ .Lt)(value, FAIL_ON, r, p),
};


/***/ }),

/***/ 6489:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fs: () => (/* binding */ secondsWithin),
/* harmony export */   tX: () => (/* binding */ driftSection)
/* harmony export */ });
/* unused harmony exports TIME_LIMITS, defaultDriftConfig */
/* harmony import */ var _drift_policy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5385);
/* harmony import */ var _validate_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8029);


const KEYS = [
    'deployers',
    'controllers',
    'ignore',
    'namespaces',
    'allNamespaces',
    'serverSideDryRun',
    'orphans',
    'requestTimeoutSeconds',
    'deadlineSeconds',
];
/** Bounds of the time limits, in seconds (the command line's --request-timeout and --timeout too). */
const TIME_LIMITS = {
    requestTimeoutSeconds: { min: 1, max: 600, unit: 'seconds', fallback: 30 },
    deadlineSeconds: { min: 5, max: 6 * 3600, unit: 'seconds', fallback: 600 },
};
function defaultDriftConfig() {
    return {
        policy: structuredClone(_drift_policy_js__WEBPACK_IMPORTED_MODULE_0__/* .DEFAULT_DRIFT_POLICY */ .t_),
        namespaces: [],
        allNamespaces: false,
        serverSideDryRun: false,
        orphans: false,
        requestTimeoutMs: TIME_LIMITS.requestTimeoutSeconds.fallback * 1000,
        deadlineMs: TIME_LIMITS.deadlineSeconds.fallback * 1000,
    };
}
/** A number of seconds within bounds (a string of digits too: a flag), or what is wrong with it. */
function secondsWithin(value, key) {
    const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    return (0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .outOfBounds */ .Lo)(n, TIME_LIMITS[key]) ?? n;
}
const driftSection = {
    defaults: defaultDriftConfig,
    read(value, r, p) {
        const out = defaultDriftConfig();
        const map = (0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .expectMap */ .Ym)(value, r, p);
        if (!map)
            return out;
        (0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .rejectUnknownKeys */ .gR)(map, KEYS, r, p);
        if ('deployers' in map)
            out.policy.deployers = list(map.deployers, r, [...p, 'deployers']) ?? out.policy.deployers;
        if ('ignore' in map)
            out.policy.ignore.push(...(patterns(map.ignore, r, [...p, 'ignore']) ?? []));
        if ('namespaces' in map)
            out.namespaces = list(map.namespaces, r, [...p, 'namespaces']) ?? [];
        if ('controllers' in map)
            out.policy.controllers =
                controllers(map.controllers, r, [...p, 'controllers']) ?? out.policy.controllers;
        for (const key of ['allNamespaces', 'serverSideDryRun', 'orphans']) {
            if (key in map)
                out[key] = (0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .expectBoolean */ .ak)(map[key], r, [...p, key]) ?? out[key];
        }
        for (const [key, field] of [
            ['requestTimeoutSeconds', 'requestTimeoutMs'],
            ['deadlineSeconds', 'deadlineMs'],
        ]) {
            if (!(key in map))
                continue;
            const seconds = secondsWithin(map[key], key);
            if (typeof seconds === 'string')
                r.error([...p, key], seconds);
            else
                out[field] = Math.round(seconds * 1000);
        }
        return out;
    },
};
/** A list of strings given explicitly (nothing is an error here: it would empty a default list). */
function list(value, r, p) {
    if (value === null || value === undefined) {
        r.error(p, `must be a list of strings, got ${(0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(value)}`);
        return undefined;
    }
    return (0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .expectStringList */ .Tx)(value, r, p);
}
function patterns(value, r, p) {
    if (value === null || value === undefined)
        return list(value, r, p);
    return (0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .expectStringList */ .Tx)(value, r, p, {
        each(pattern, at) {
            const problem = (0,_drift_policy_js__WEBPACK_IMPORTED_MODULE_0__/* .pathPatternProblem */ .PG)(pattern);
            if (problem)
                r.error(at, problem);
            return !problem;
        },
    });
}
function controllers(value, r, p) {
    if (!Array.isArray(value)) {
        r.error(p, `must be a list of { manager, paths }, got ${(0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(value)}`);
        return undefined;
    }
    const out = [];
    value.forEach((v, i) => {
        if (typeof v === 'string' && v) {
            out.push({ manager: v });
            return;
        }
        const map = (0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .expectMap */ .Ym)(v, r, [...p, i], 'a manager name or { manager, paths }');
        if (!map) {
            if (v === null || v === undefined)
                r.error([...p, i], 'must be a manager name or { manager, paths }');
            return;
        }
        (0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .rejectUnknownKeys */ .gR)(map, ['manager', 'paths'], r, [...p, i]);
        if (typeof map.manager !== 'string' || !map.manager) {
            r.error([...p, i, 'manager'], `must be a manager name, got ${(0,_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(map.manager)}`);
            return;
        }
        const paths = 'paths' in map ? patterns(map.paths, r, [...p, i, 'paths']) : undefined;
        out.push(paths ? { manager: map.manager, paths } : { manager: map.manager });
    });
    return out;
}


/***/ }),

/***/ 2526:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  HR: () => (/* binding */ CONFIG_FILE_NAMES),
  sb: () => (/* binding */ defaultConfig),
  rp: () => (/* binding */ isConfigFile),
  Z9: () => (/* binding */ loadConfig),
  o4: () => (/* binding */ parseConfig),
  q9: () => (/* binding */ ruleSelectionOf)
});

// UNUSED EXPORTS: knownRuleIds

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./lib/load/files.js
var files = __webpack_require__(8971);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/render/contain.js
var contain = __webpack_require__(8632);
// EXTERNAL MODULE: ./lib/rules/index.js + 17 modules
var rules = __webpack_require__(4697);
// EXTERNAL MODULE: ./lib/rules/suppress.js
var suppress = __webpack_require__(2200);
// EXTERNAL MODULE: ./lib/rules/types.js
var rules_types = __webpack_require__(3042);
// EXTERNAL MODULE: ./lib/config/check.js
var check = __webpack_require__(5662);
// EXTERNAL MODULE: ./lib/config/drift.js
var drift = __webpack_require__(6489);
// EXTERNAL MODULE: ./lib/config/render.js
var render = __webpack_require__(8428);
// EXTERNAL MODULE: ./lib/model/suggest.js
var suggest = __webpack_require__(4603);
// EXTERNAL MODULE: ./lib/config/validate.js + 1 modules
var validate = __webpack_require__(8029);
;// CONCATENATED MODULE: ./lib/config/rules.js




const rulesSection = {
    defaults: () => ({}),
    read(value, r, p) {
        const map = (0,validate/* expectMap */.Ym)(value, r, p);
        const out = {};
        for (const [id, setting] of Object.entries(map ?? {})) {
            const at = [...p, id];
            if (!r.ruleIds.has(id)) {
                r.error(at, `unknown rule id${(0,suggest/* suggest */.ZA)(id, r.ruleIds)}; \`shipshape rules\` lists them`);
                continue;
            }
            const parsed = readRuleSetting(setting, r, at);
            if (parsed)
                out[id] = parsed;
        }
        return out;
    },
};
/** `off` | `on` | `false` | `true` | a severity | `{ enabled, severity }`. */
function readRuleSetting(value, r, p) {
    if (value === 'off' || value === false)
        return { enabled: false };
    if (value === 'on' || value === true)
        return { enabled: true };
    if (typeof value === 'string' && types/* SEVERITIES */.oC.includes(value)) {
        return { enabled: true, severity: value };
    }
    if ((0,types/* isRecord */.u4)(value)) {
        const map = value;
        (0,validate/* rejectUnknownKeys */.gR)(map, ['enabled', 'severity'], r, p);
        const out = { enabled: true };
        if ('enabled' in map)
            out.enabled = (0,validate/* expectBoolean */.ak)(map.enabled, r, [...p, 'enabled']) ?? true;
        if ('severity' in map) {
            const severity = (0,validate/* expectOneOf */.Lt)(map.severity, types/* SEVERITIES */.oC, r, [...p, 'severity']);
            if (severity)
                out.severity = severity;
        }
        return out;
    }
    const hint = typeof value === 'string' ? (0,suggest/* suggest */.ZA)(value, ['off', 'on', ...types/* SEVERITIES */.oC]) : '';
    r.error(p, `must be off, on, ${types/* SEVERITIES */.oC.join(', ')} or { enabled, severity }, got ${(0,validate/* describe */.q0)(value)}${hint}`);
    return undefined;
}
const criticalSection = {
    defaults: () => structuredClone(rules_types/* DEFAULT_RULE_SETTINGS */.D.critical),
    read(value, r, p) {
        const out = criticalSection.defaults();
        const map = (0,validate/* expectMap */.Ym)(value, r, p);
        if (!map)
            return out;
        (0,validate/* rejectUnknownKeys */.gR)(map, ['labels', 'annotations', 'priorityClassNames'], r, p);
        // Each given key replaces its default, so that a team can narrow the selector as well as widen it.
        if ('labels' in map)
            out.labels = (0,validate/* expectStringMap */.xq)(map.labels, r, [...p, 'labels']) ?? out.labels;
        if ('annotations' in map) {
            out.annotations = (0,validate/* expectStringMap */.xq)(map.annotations, r, [...p, 'annotations']) ?? out.annotations;
        }
        if ('priorityClassNames' in map) {
            out.priorityClassNames =
                (0,validate/* expectStringList */.Tx)(map.priorityClassNames, r, [...p, 'priorityClassNames']) ?? out.priorityClassNames;
        }
        return out;
    },
};
const imagesSection = {
    defaults: () => ({ debugTagPatterns: [...rules_types/* DEFAULT_RULE_SETTINGS */.D.debugTagPatterns] }),
    read(value, r, p) {
        const out = imagesSection.defaults();
        const map = (0,validate/* expectMap */.Ym)(value, r, p);
        if (!map)
            return out;
        (0,validate/* rejectUnknownKeys */.gR)(map, ['debugTagPatterns'], r, p);
        if ('debugTagPatterns' in map) {
            // The rules compile these as case-insensitive regular expressions: catch typos here, by line.
            out.debugTagPatterns =
                (0,validate/* expectPatterns */.tj)(map.debugTagPatterns, r, [...p, 'debugTagPatterns']) ?? out.debugTagPatterns;
        }
        return out;
    },
};
const namespacesSection = {
    defaults: () => ({ owned: [] }),
    read(value, r, p) {
        const out = { owned: [] };
        const map = (0,validate/* expectMap */.Ym)(value, r, p, 'a mapping with `owned:`, a list of namespace names');
        if (!map)
            return out;
        (0,validate/* rejectUnknownKeys */.gR)(map, ['owned'], r, p);
        out.owned = (0,validate/* expectStringList */.Tx)(map.owned, r, [...p, 'owned']) ?? [];
        return out;
    },
};

;// CONCATENATED MODULE: ./lib/config/index.js














/**
 * The config file, `.shipshape.yaml`. Each top-level key is a *section* with its own validator
 * (one module per feature in this folder, all built on `validate.ts`), so that a feature adds a
 * section to SECTIONS without touching the others. Problems are InputErrors naming the key and its
 * line; the valid rest of the file still applies (the run reports the errors and exits 2).
 */
const CONFIG_FILE_NAMES = ['.shipshape.yaml', '.shipshape.yml'];
/**
 * Is `file` (relative, with `/`) a config file: named as one, in any folder, or the one in use
 * (`--config`)? Config files are YAML but no manifests, so the loaders leave them out.
 */
function isConfigFile(file, inUse) {
    return file === inUse || CONFIG_FILE_NAMES.includes(external_node_path_.posix.basename(file));
}
/**
 * Every top-level key the file may have. To add a section, write a ConfigSection and add one
 * line here; `Config` grows a typed field by itself.
 */
const SECTIONS = {
    rules: rulesSection,
    exclude: check/* excludeSection */.YX,
    critical: criticalSection,
    images: imagesSection,
    baseline: check/* baselineSection */.d_,
    failOn: check/* failOnSection */.VT,
    drift: drift/* driftSection */.tX,
    targets: render/* targetsSection */.im,
    render: render/* renderSection */.YN,
    discover: render/* discoverSection */.$n,
    namespaces: namespacesSection,
};
function defaultConfig(dir = '.') {
    const config = { dir };
    for (const [key, section] of Object.entries(SECTIONS))
        config[key] = section.defaults();
    return config;
}
function knownRuleIds() {
    return new Set([...rules/* ALL_RULES */.U.map((r) => r.meta.id), ...suppress/* SUPPRESSION_RULES */.AX.map((m) => m.id)]);
}
/**
 * Characters a config file may not hold: C0 controls but tab, line feed and carriage return, DEL,
 * C1 controls but NEL, and U+FFFD (bytes that were not UTF-8). YAML forbids the controls in a
 * stream; the `yaml` parser lets them through, and they would reach messages and the report.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const NOT_TEXT = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffd]/;
/** Pure: the text of a config file -> the config and every problem, each naming key and line. */
function parseConfig(text, file, options = {}) {
    const config = defaultConfig(options.dir ?? external_node_path_.posix.dirname(file));
    config.file = file;
    const errors = [];
    if (text.charCodeAt(0) === 0xfeff)
        text = text.slice(1);
    const bad = NOT_TEXT.exec(text);
    if (bad) {
        const line = text.slice(0, bad.index).split('\n').length;
        const c = bad[0];
        const what = c === '\0'
            ? 'a NUL byte'
            : c === '\ufffd'
                ? 'bytes that are not UTF-8'
                : `control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
        errors.push({
            level: 'error',
            message: `config: not a text file (${what}); not read`,
            location: { file, line, column: 1 },
        });
        return { config, errors };
    }
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const at = (offset) => {
        const { line, col } = lineCounter.linePos(offset);
        return { file, line, column: col };
    };
    if (doc.errors.length > 0) {
        for (const err of doc.errors) {
            const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
            errors.push({
                level: 'error',
                message: `config: YAML syntax error: ${message}`,
                location: at(err.pos[0]),
            });
        }
        return { config, errors };
    }
    const reader = {
        file,
        dir: external_node_path_.resolve(config.dir),
        root: external_node_path_.resolve(options.root ?? config.dir),
        ruleIds: new Set(options.ruleIds ?? knownRuleIds()),
        at: (p) => locateKey(doc.contents, p, at),
        error: (p, message) => errors.push({ level: 'error', message: `config: ${(0,validate/* dotted */.Bs)(p)}: ${message}`, location: reader.at(p) }),
    };
    let root;
    try {
        root = doc.toJS({ maxAliasCount: 100 });
    }
    catch (err) {
        // An alias to nothing, or aliases that would expand too far: one error, the defaults apply.
        errors.push({ level: 'error', message: `config: ${err.message}`, location: at(0) });
        return { config, errors };
    }
    if (root === null || root === undefined)
        return { config, errors }; // an empty file is a valid config
    if (!(0,types/* isRecord */.u4)(root)) {
        errors.push({ level: 'error', message: 'config: must be a mapping of sections', location: at(0) });
        return { config, errors };
    }
    const target = config;
    const known = Object.keys(SECTIONS);
    for (const [key, value] of Object.entries(root)) {
        const section = SECTIONS[key];
        if (section)
            target[key] = section.read(value, reader, [key]);
        else
            (0,validate/* unknownKey */.a)(key, known, reader, []);
    }
    return { config, errors };
}
/** Where the key (or list item) at `p` sits; the nearest existing parent when it is absent. */
function locateKey(root, p, at) {
    let node = root;
    let best = at(0);
    for (const seg of p) {
        if (typeof seg === 'number') {
            if (!(0,dist/* isSeq */.oP)(node))
                break;
            const item = node.items[seg];
            if (!item?.range)
                break;
            best = at(item.range[0]);
            node = item;
        }
        else {
            if (!(0,dist/* isMap */.jh)(node))
                break;
            const pair = node.items.find((it) => (0,dist/* isPair */.tO)(it) && (0,dist/* isScalar */.jn)(it.key) && String(it.key.value) === seg);
            if (!pair)
                break;
            const key = pair.key;
            if (key.range)
                best = at(key.range[0]);
            node = pair.value;
        }
    }
    return best;
}
async function loadConfig(options = {}) {
    const cwd = options.cwd ?? process.cwd();
    const root = options.root ?? (await (0,contain/* repositoryRoot */.Hn)(cwd));
    const candidates = options.file ? [options.file] : CONFIG_FILE_NAMES;
    for (const candidate of candidates) {
        const abs = external_node_path_.resolve(cwd, candidate);
        const rel = (0,files/* relativeName */.IC)(cwd, abs);
        let bytes;
        try {
            bytes = await (0,promises_.readFile)(abs);
        }
        catch (err) {
            const code = err.code;
            if (!options.file && code === 'ENOENT')
                continue; // no config file is fine
            const reason = code === 'ENOENT' ? 'no such file' : (code ?? err.message);
            return {
                config: defaultConfig(cwd),
                errors: [{ level: 'error', message: `config ${rel}: ${reason}` }],
            };
        }
        // Decoded as manifests are (UTF-8, or UTF-16/32 with a byte order mark); NULs without a mark
        // are left in, for parseConfig to refuse on their line.
        const text = (0,files/* decodeManifest */.MK)(bytes) ?? bytes.toString('utf8');
        return parseConfig(text, rel, { ...options, root, dir: options.dir ?? external_node_path_.dirname(abs) });
    }
    return { config: defaultConfig(cwd), errors: [] };
}
function ruleSelectionOf(config) {
    const disabled = new Set();
    const severity = new Map();
    for (const [id, rc] of Object.entries(config.rules)) {
        if (!rc.enabled)
            disabled.add(id);
        if (rc.severity)
            severity.set(id, rc.severity);
    }
    return {
        settings: {
            ...rules_types/* DEFAULT_RULE_SETTINGS */.D,
            critical: config.critical,
            debugTagPatterns: config.images.debugTagPatterns,
            ownedNamespaces: config.namespaces.owned,
        },
        disabled,
        severity,
    };
}


/***/ }),

/***/ 8428:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $n: () => (/* binding */ discoverSection),
/* harmony export */   YN: () => (/* binding */ renderSection),
/* harmony export */   h5: () => (/* binding */ resolveTargets),
/* harmony export */   im: () => (/* binding */ targetsSection)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _load_files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8971);
/* harmony import */ var _validate_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8029);



/**
 * The `targets:`, `render:` and `discover:` sections of `.shipshape.yaml`. Paths are relative to
 * the config file's folder, as written; `resolveTargets` makes them relative to the working
 * directory.
 *
 *   targets:
 *     - chart: charts/web                 # a Helm chart
 *       values: [charts/web/values-prod.yaml]
 *       releaseName: web                  # default: the chart folder's name
 *       namespace: shop                   # default: default
 *       set: { image.tag: "1.4.2" }
 *       kubeVersion: "1.31.0"
 *       apiVersions: [monitoring.coreos.com/v1]
 *     - kustomize: deploy/overlays/prod   # a Kustomize overlay
 *     - plain: [manifests/]               # plain manifests
 *   render:
 *     timeoutSeconds: 60                  # per helm or kustomize call (at most 3600)
 *     maxMemoryMiB: 2048                  # per helm or kustomize call (64 to 65536)
 *     concurrency: 4                      # default: the number of cores, plus one
 *
 * Every path resolves inside the repository: an absolute path or one that climbs out with `..` is
 * an error on its line. Which programs run as helm and kustomize is never read from this file
 * (a pull request could change it): that is `--helm`/`--kustomize`, the Action's inputs, or PATH.
 */
const HELM_KEYS = ['chart', 'values', 'releaseName', 'namespace', 'set', 'kubeVersion', 'apiVersions'];
const TARGET_KINDS = 'chart: (a Helm chart folder), kustomize: (an overlay folder) or plain: (manifest paths)';
const targetsSection = {
    defaults: () => [],
    read(value, r, p) {
        if (value === null || value === undefined)
            return [];
        if (!Array.isArray(value)) {
            r.error(p, `must be a list of targets (each with chart:, kustomize: or plain:), got ${(0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .describe */ .q0)(value)}`);
            return [];
        }
        const out = [];
        value.forEach((item, i) => {
            const t = readTarget(item, r, [...p, i]);
            if (t)
                out.push(t);
        });
        return out;
    },
};
function readTarget(item, r, p) {
    const map = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectMap */ .Ym)(item, r, p, 'a mapping with chart:, kustomize: or plain:');
    if (!map) {
        if (item === null || item === undefined)
            r.error(p, `needs ${TARGET_KINDS}`);
        return undefined;
    }
    if ('kustomize' in map) {
        (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .rejectUnknownKeys */ .gR)(map, ['kustomize'], r, p, 'a kustomize target takes only kustomize:');
        const dir = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalString */ .sx)(map.kustomize, r, [...p, 'kustomize']);
        if (!dir) {
            if (map.kustomize === null || map.kustomize === undefined || map.kustomize === '')
                r.error([...p, 'kustomize'], 'must be an overlay folder');
            return undefined;
        }
        return (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .insideRepository */ .rz)(dir, r, [...p, 'kustomize']) ? { kind: 'kustomize', dir } : undefined;
    }
    if ('plain' in map) {
        (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .rejectUnknownKeys */ .gR)(map, ['plain'], r, p, 'a plain target takes only plain:');
        const paths = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectRepositoryPaths */ .Ij)(map.plain, r, [...p, 'plain'], { allowOne: true });
        return paths && paths.length > 0 ? { kind: 'plain', paths } : undefined;
    }
    (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .rejectUnknownKeys */ .gR)(map, HELM_KEYS, r, p);
    if (typeof map.chart !== 'string' || !map.chart) {
        r.error('chart' in map ? [...p, 'chart'] : p, `needs ${TARGET_KINDS}`);
        return undefined;
    }
    const chart = map.chart;
    const set = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectStringMap */ .xq)(map.set, r, [...p, 'set']) ?? {};
    if (!(0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .insideRepository */ .rz)(chart, r, [...p, 'chart']))
        return undefined;
    return {
        kind: 'helm',
        chart,
        releaseName: (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalString */ .sx)(map.releaseName, r, [...p, 'releaseName']) ?? releaseNameOf(chart),
        namespace: (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalString */ .sx)(map.namespace, r, [...p, 'namespace']) ?? 'default',
        valuesFiles: (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectRepositoryPaths */ .Ij)(map.values, r, [...p, 'values'], { allowOne: true }) ?? [],
        set,
        kubeVersion: (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalString */ .sx)(map.kubeVersion, r, [...p, 'kubeVersion']),
        apiVersions: (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectStringList */ .Tx)(map.apiVersions, r, [...p, 'apiVersions']) ?? [],
    };
}
function releaseNameOf(chart) {
    const base = chart.replace(/\/+$/, '').split('/').pop() ?? 'release';
    return (base
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 53) || 'release');
}
const DISCOVER_KEYS = ['folders', 'gitops', 'repoURLs'];
const discoverSection = {
    defaults: () => ({ folders: true, gitops: true, repoURLs: [] }),
    read(value, r, p) {
        const out = discoverSection.defaults();
        const map = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectMap */ .Ym)(value, r, p, 'a mapping (folders:, gitops:, repoURLs:)');
        if (!map)
            return out;
        (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .rejectUnknownKeys */ .gR)(map, DISCOVER_KEYS, r, p);
        if ('folders' in map)
            out.folders = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectBoolean */ .ak)(map.folders, r, [...p, 'folders']) ?? out.folders;
        if ('gitops' in map)
            out.gitops = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectBoolean */ .ak)(map.gitops, r, [...p, 'gitops']) ?? out.gitops;
        if ('repoURLs' in map)
            out.repoURLs = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectStringList */ .Tx)(map.repoURLs, r, [...p, 'repoURLs'], { allowOne: true }) ?? [];
        return out;
    },
};
/**
 * Bounds each render setting must keep. A timeout stays far below Node's 2^31 ms timer limit
 * (beyond it every timer fires at once, and every render would time out).
 */
const RENDER_NUMBERS = {
    timeoutSeconds: { min: 1, max: 3600 },
    maxMemoryMiB: { min: 64, max: 65_536 },
    concurrency: { min: 1, max: 64 },
};
const TOOLS = ['helm', 'kustomize', 'kubectl'];
const renderSection = {
    defaults: () => ({ tools: {} }),
    read(value, r, p) {
        const out = { tools: {} };
        const map = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectMap */ .Ym)(value, r, p);
        if (!map)
            return out;
        for (const [k, v] of Object.entries(map)) {
            if (TOOLS.includes(k)) {
                const flag = k === 'kubectl' ? 'kustomize' : k;
                r.error([...p, k], `which program runs as ${k} is not read from the repository (a pull request could point it at its own script); ` +
                    `use --${flag} on the command line, the Action's ${flag} input, or PATH`);
            }
            else if (!(k in RENDER_NUMBERS))
                (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .unknownKey */ .a)(k, Object.keys(RENDER_NUMBERS), r, p);
            else {
                const n = (0,_validate_js__WEBPACK_IMPORTED_MODULE_2__/* .expectNumberWithin */ .Wd)(v, RENDER_NUMBERS[k], r, [...p, k]);
                if (n === undefined)
                    continue;
                if (k === 'timeoutSeconds')
                    out.timeoutMs = Math.round(n * 1000);
                else if (k === 'maxMemoryMiB')
                    out.maxMemoryBytes = Math.round(n * 1024 * 1024);
                else
                    out.concurrency = Math.floor(n);
            }
        }
        return out;
    },
};
/** Config targets with their paths made relative to the working directory (from the config's folder). */
function resolveTargets(targets, configDir, cwd) {
    const at = (p) => {
        // With the working directory known, names come out relative to it, as discovered ones do.
        if (cwd !== undefined)
            return (0,_load_files_js__WEBPACK_IMPORTED_MODULE_1__/* .relativeName */ .IC)(cwd, node_path__WEBPACK_IMPORTED_MODULE_0__.resolve(cwd, configDir || '.', p));
        return configDir === '.' || !configDir || p.startsWith('/') ? p : `${configDir.replace(/\/+$/, '')}/${p}`;
    };
    return targets.map((t) => {
        if (t.kind === 'helm')
            return { ...t, chart: at(t.chart), valuesFiles: t.valuesFiles.map(at) };
        if (t.kind === 'kustomize')
            return { ...t, dir: at(t.dir) };
        return { ...t, paths: t.paths.map(at) };
    });
}


/***/ }),

/***/ 8029:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  q0: () => (/* binding */ describe),
  Bs: () => (/* binding */ dotted),
  ak: () => (/* binding */ expectBoolean),
  Ym: () => (/* binding */ expectMap),
  Wd: () => (/* binding */ expectNumberWithin),
  Lt: () => (/* binding */ expectOneOf),
  tj: () => (/* binding */ expectPatterns),
  Ij: () => (/* binding */ expectRepositoryPaths),
  Tx: () => (/* binding */ expectStringList),
  xq: () => (/* binding */ expectStringMap),
  rz: () => (/* binding */ insideRepository),
  sx: () => (/* binding */ optionalString),
  Lo: () => (/* binding */ outOfBounds),
  gR: () => (/* binding */ rejectUnknownKeys),
  a: () => (/* binding */ unknownKey)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./lib/model/regex.js
/**
 * Regular expressions from a config file or a kustomization are input: one with a quantifier
 * over a group that itself repeats (`(a+)+$`, `(x*)*`, `(\w?)+`) backtracks exponentially on a
 * near-match, and a single image tag or object name would hang the run. Such a pattern (star
 * height above one) is refused with a reason; anything else backtracks at most polynomially, and
 * the texts matched here are short (a tag is at most 128 characters, a name 253).
 */
/** Why the pattern may backtrack catastrophically, or undefined when it is safe to run. */
function catastrophicBacktracking(pattern) {
    const stack = [{ repeats: false }];
    /** What the next quantifier applies to: a group that repeats inside, or anything else. */
    let last;
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '\\') {
            i++;
            last = 'atom';
            continue;
        }
        if (c === '[') {
            // A character class is one atom, whatever it holds.
            for (i++; i < pattern.length && pattern[i] !== ']'; i++)
                if (pattern[i] === '\\')
                    i++;
            last = 'atom';
            continue;
        }
        if (c === '(') {
            stack.push({ repeats: false });
            last = undefined;
            continue;
        }
        if (c === ')') {
            const frame = stack.length > 1 ? stack.pop() : { repeats: false };
            last = frame.repeats ? 'group-repeats' : 'atom';
            if (frame.repeats)
                stack[stack.length - 1].repeats = true;
            continue;
        }
        const quantifier = quantifierAt(pattern, i);
        if (quantifier) {
            if (last === 'group-repeats' && quantifier.unbounded) {
                return `a repeated group inside a repetition (near "${pattern.slice(Math.max(0, i - 12), i + 1)}") can take exponential time; rewrite it without the nesting`;
            }
            stack[stack.length - 1].repeats = true;
            i += quantifier.length - 1;
            if (pattern[i + 1] === '?' || pattern[i + 1] === '+')
                i++; // lazy or possessive marker
            last = undefined;
            continue;
        }
        last = c === '|' ? undefined : 'atom';
    }
    return undefined;
}
function quantifierAt(pattern, i) {
    const c = pattern[i];
    if (c === '*' || c === '+')
        return { length: 1, unbounded: true };
    if (c === '?')
        return { length: 1, unbounded: false };
    if (c !== '{')
        return undefined;
    const m = /^\{(\d*)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m || (m[1] === '' && m[3] === undefined))
        return undefined;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    return { length: m[0].length, unbounded: max > 1 };
}

// EXTERNAL MODULE: ./lib/model/suggest.js
var suggest = __webpack_require__(4603);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/render/contain.js
var contain = __webpack_require__(8632);
;// CONCATENATED MODULE: ./lib/config/validate.js





/** `a list`, `a mapping`, `number 5`, `string "x"`: what was found, for "must be …, got …". */
function describe(value) {
    if (value === null || value === undefined)
        return 'nothing';
    if (Array.isArray(value))
        return 'a list';
    if ((0,types/* isRecord */.u4)(value))
        return 'a mapping';
    return `${typeof value} ${JSON.stringify(value)}`;
}
/** A mapping; an error for anything else but nothing (which is `undefined`, no error). */
function expectMap(value, r, p, what = 'a mapping') {
    if ((0,types/* isRecord */.u4)(value))
        return value;
    if (value !== null && value !== undefined)
        r.error(p, `must be ${what}, got ${describe(value)}`);
    return undefined;
}
/**
 * Keys of a mapping the section does not know: an error on each key's own line, naming the key
 * meant when one is within two edits (`drift.deployer` → "deployers").
 */
function rejectUnknownKeys(map, known, r, p, expected = `expected one of ${known.join(', ')}`) {
    for (const key of Object.keys(map))
        if (!known.includes(key))
            unknownKey(key, known, r, p, expected);
}
/** The error for one key the section does not know, with the key meant when one is near. */
function unknownKey(key, known, r, p, expected = `expected one of ${known.join(', ')}`) {
    r.error([...p, key], `unknown key${(0,suggest/* suggest */.ZA)(key, known)}; ${expected}`);
}
/**
 * A list of non-empty strings: nothing is an empty list; with `allowOne`, a single string is a list
 * of one. Bad items are errors on their own lines and left out, as are those `each` refuses (it
 * reports why); a value that is no list is `undefined` (the caller keeps its default).
 */
function expectStringList(value, r, p, { allowOne = false, each } = {}) {
    if (value === null || value === undefined)
        return [];
    if (allowOne && typeof value === 'string' && value !== '')
        return !each || each(value, p) ? [value] : [];
    if (!Array.isArray(value)) {
        r.error(p, `must be a list of strings, got ${describe(value)}`);
        return undefined;
    }
    const out = [];
    value.forEach((item, i) => {
        if (typeof item !== 'string' || item === '')
            r.error([...p, i], `must be a non-empty string, got ${describe(item)}`);
        else if (!each || each(item, [...p, i]))
            out.push(item);
    });
    return out;
}
/** A mapping of scalars, each made a string (`image.tag: 1.4` is "1.4"). */
function expectStringMap(value, r, p) {
    if (value === null || value === undefined)
        return {};
    const map = expectMap(value, r, p, 'a mapping of key: value');
    if (!map)
        return undefined;
    const out = {};
    for (const [k, v] of Object.entries(map)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
            out[k] = String(v);
        else
            r.error([...p, k], `must be a string, number or boolean, got ${describe(v)}`);
    }
    return out;
}
/** A string (a number is taken as written), or `undefined` for nothing. */
function optionalString(value, r, p) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value === 'string' || typeof value === 'number')
        return String(value);
    r.error(p, `must be a string, got ${describe(value)}`);
    return undefined;
}
function expectBoolean(value, r, p) {
    if (typeof value === 'boolean')
        return value;
    r.error(p, `must be true or false, got ${describe(value)}`);
    return undefined;
}
function expectOneOf(value, allowed, r, p) {
    if (typeof value === 'string' && allowed.includes(value))
        return value;
    const hint = typeof value === 'string' ? (0,suggest/* suggest */.ZA)(value, allowed) : '';
    r.error(p, `must be one of ${allowed.join(', ')}, got ${describe(value)}${hint}`);
    return undefined;
}
/** Why `value` is not a number within `bounds`, or undefined when it is. */
function outOfBounds(value, { min, max, unit }) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max)
        return undefined;
    return `must be a number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;
}
/**
 * A number within bounds. The bounds keep each value where the runtime can honour it: a timeout
 * beyond Node's 2^31 ms timer limit would fire at once, so none is above an hour or so.
 */
function expectNumberWithin(value, bounds, r, p) {
    const problem = outOfBounds(value, bounds);
    if (problem) {
        r.error(p, problem);
        return undefined;
    }
    return value;
}
/**
 * Regular expressions (compiled case-insensitive by the rules): each must compile and must not
 * backtrack catastrophically on a near-match (`(a+)+$`); the others are errors and left out.
 */
function expectPatterns(value, r, p) {
    return expectStringList(value, r, p, {
        each(pattern, at) {
            try {
                new RegExp(pattern, 'i');
            }
            catch (err) {
                r.error(at, `not a valid regular expression: ${err.message}`);
                return false;
            }
            const slow = catastrophicBacktracking(pattern);
            if (slow)
                r.error(at, slow);
            return !slow;
        },
    });
}
/**
 * A path from the config must stay inside the repository: relative, and not climbing out of it
 * from the config's folder. Otherwise an error on its line, and the path is not used.
 */
function insideRepository(p, r, at) {
    if (external_node_path_.isAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p)) {
        r.error(at, `"${p}" is an absolute path; paths in the config are relative and stay inside the repository`);
        return false;
    }
    if (!(0,contain/* isInside */.FK)(r.root, external_node_path_.resolve(r.dir, p))) {
        r.error(at, `"${p}" leads outside the repository; paths in the config stay inside it`);
        return false;
    }
    return true;
}
/** Paths (a list, or one with `allowOne`) that each stay inside the repository. */
function expectRepositoryPaths(value, r, p, { allowOne = false } = {}) {
    return expectStringList(value, r, p, { allowOne, each: (f, at) => insideRepository(f, r, at) });
}
/** The key's dotted name in messages: `targets[0].values[1]`. */
function dotted(p) {
    return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}


/***/ }),

/***/ 5385:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $X: () => (/* binding */ isDeployer),
/* harmony export */   PG: () => (/* binding */ pathPatternProblem),
/* harmony export */   ko: () => (/* binding */ controllerMayOwn),
/* harmony export */   pi: () => (/* binding */ isIgnored),
/* harmony export */   t_: () => (/* binding */ DEFAULT_DRIFT_POLICY)
/* harmony export */ });
/* unused harmony exports pathMatches, MAX_DEEP_WILDCARDS */
/* harmony import */ var _model_path_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3070);

/**
 * Which writers are Git's, which controllers may own which fields, and which paths never count.
 * Sensible defaults; the config file replaces any of the three lists.
 */
const DEFAULT_DRIFT_POLICY = {
    deployers: [
        'helm',
        'kubectl-client-side-apply',
        'kubectl:Apply',
        'kubectl-create',
        'kubectl-replace',
        'argocd-controller',
        'argocd-application-controller',
        'kustomize-controller',
        'helm-controller',
        'before-first-apply',
        'Go-http-client:Apply',
    ],
    controllers: [
        // Deployment revisions, HPA scaling (through the scale subresource), garbage collection.
        {
            manager: 'kube-controller-manager',
            paths: ['metadata.annotations.*', 'metadata.labels.*', 'metadata.finalizers', 'spec.replicas'],
        },
        { manager: 'kube-scheduler' },
        { manager: 'kubelet' },
        { manager: 'cluster-autoscaler', paths: ['spec.replicas'] },
        { manager: 'keda-operator', paths: ['spec.replicas'] },
        { manager: 'vpa-updater', paths: ['spec.template.spec.containers[*].resources.**'] },
        { manager: 'cainjector', paths: ['**.caBundle'] },
    ],
    ignore: [
        'status.**',
        'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]',
        'metadata.annotations["deployment.kubernetes.io/revision"]',
        'metadata.annotations["meta.helm.sh/release-name"]',
        'metadata.annotations["meta.helm.sh/release-namespace"]',
    ],
};
/** `helm` matches the manager; `kubectl:Apply` the manager with that operation. */
function isDeployer(entry, policy) {
    return policy.deployers.some((d) => {
        const colon = d.lastIndexOf(':');
        if (colon < 0)
            return d === entry.manager;
        return d.slice(0, colon) === entry.manager && d.slice(colon + 1) === entry.operation;
    });
}
function controllerMayOwn(entry, path, policy) {
    return remembered(policy, `${entry.manager}\n${path}`, () => policy.controllers.some((c) => c.manager === entry.manager && (!c.paths || c.paths.some((p) => pathMatches(p, path)))));
}
function isIgnored(path, policy) {
    return remembered(policy, path, () => policy.ignore.some((p) => pathMatches(p, path)));
}
/**
 * The same paths come up in every object of a kind (`spec.template.spec.containers[name=app].image`
 * in each of 2,800 Deployments): each answer is worked out once per policy (a policy does not
 * change once a run has started).
 */
const answers = new WeakMap();
function remembered(policy, key, answer) {
    let known = answers.get(policy);
    if (!known) {
        known = new Map();
        answers.set(policy, known);
    }
    let value = known.get(key);
    if (value === undefined) {
        value = answer();
        if (known.size < 200_000)
            known.set(key, value);
    }
    return value;
}
/** Does a display path match a pattern? `*` is one step, `**` any number of steps. */
function pathMatches(pattern, path) {
    const want = patternTokens(pattern);
    const have = tokens(path);
    if (!want || !have)
        return false;
    return matchFrom(want, 0, have, 0);
}
function matchFrom(want, i, have, j) {
    if (i === want.length)
        return j === have.length;
    if (want[i] === '**') {
        for (let k = j; k <= have.length; k++)
            if (matchFrom(want, i + 1, have, k))
                return true;
        return false;
    }
    if (j === have.length)
        return false;
    return (want[i] === '*' || want[i] === have[j]) && matchFrom(want, i + 1, have, j + 1);
}
/** At most this many `**` in one pattern: each one more multiplies the matching work by the depth. */
const MAX_DEEP_WILDCARDS = 2;
/** Why `pattern` cannot be a field path pattern (for the config to report), or undefined. */
function pathPatternProblem(pattern) {
    const steps = tokens(pattern.replaceAll('[*]', '.*'));
    if (!steps)
        return 'not a field path (e.g. spec.replicas, metadata.annotations["a/b"], spec.**)';
    if (steps.filter((t) => t === '**').length > MAX_DEEP_WILDCARDS)
        return `at most ${MAX_DEEP_WILDCARDS} \`**\` in one pattern (each more multiplies the work of matching)`;
    return undefined;
}
/** Patterns are few and asked about for every field compared: each is parsed once. */
const patterns = new Map();
function patternTokens(pattern) {
    if (!patterns.has(pattern))
        patterns.set(pattern, tokens(pattern.replaceAll('[*]', '.*')));
    return patterns.get(pattern);
}
function tokens(path) {
    try {
        return (0,_model_path_js__WEBPACK_IMPORTED_MODULE_0__/* .parsePath */ .Rr)(path).map(token);
    }
    catch {
        return undefined;
    }
}
function token(step) {
    if ('key' in step)
        return step.key;
    if ('index' in step)
        return `[${step.index}]`;
    return `[${step.match.key}=${step.match.value}]`;
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

/***/ 3825:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* binding */ youngGenerationForPages),
/* harmony export */   h: () => (/* binding */ youngGenerationAtFirstSize)
/* harmony export */ });
/* harmony import */ var node_v8__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8877);

/**
 * V8's young generation as shipshape's jobs want it, one place for both entries (the CLI and the
 * Action run the same engine). Figures in docs/benchmarks.md.
 */
/**
 * A large check allocates fast and briefly (parse events, report lines); left alone, V8 answers by
 * doubling its young generation up to 64 MiB semi-spaces, which costs memory and time: a
 * Deployment of 10,000 containers took 1.55 s instead of 1.15 s, and 50,000 objects peaked at 650
 * MiB instead of 520. Fixed larger semi-spaces were slower too: a small nursery is fastest here.
 * (`--heap-growing-percent=30` held the old generation down while the rules kept every violation
 * until the end; they are located as they are raised now, and without it 20,000 Deployments in
 * one file take 3.6 s instead of 5.2 s, at 364 MiB.)
 */
function youngGenerationAtFirstSize() {
    node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString('--semi-space-growth-factor=1');
}
/**
 * A page of a list (500 pods, about 10 MB of objects) lives until it is visited, then dies. With
 * the young generation held at its first size, every page outlives a few scavenges and is
 * promoted, and the old generation fills with dead pages; the drift job lets it grow as V8 usually
 * does. Measured on 42,000 pods: peak memory about 455 -> 395 MiB, a little less CPU.
 */
function youngGenerationForPages() {
    node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString('--semi-space-growth-factor=2');
}


/***/ }),

/***/ 7834:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EV: () => (/* binding */ debugTag),
/* harmony export */   T4: () => (/* binding */ isPinned),
/* harmony export */   pT: () => (/* binding */ mutableTag),
/* harmony export */   uR: () => (/* binding */ debugTagMatcher)
/* harmony export */ });
/**
 * `latest` or no tag at all. A digest pins the image whatever the tag says, so a reference with
 * a digest is never reported here.
 */
function mutableTag(ref) {
    if (ref.digest !== undefined)
        return undefined;
    if (ref.tag === undefined)
        return 'missing';
    return ref.tag.toLowerCase() === 'latest' ? 'latest' : undefined;
}
function isPinned(ref) {
    return ref.digest !== undefined;
}
/** Characters that separate the parts of a tag: `v1.2.3-debug+build_7`. */
const TAG_SEPARATOR = '[-._+]';
const matcherCache = new Map();
/**
 * A matcher for debug-style tags. Each pattern is a case-insensitive regular expression that
 * must cover whole parts of the tag (split on `.`, `-`, `_`, `+`): `debug` matches
 * `v1.2.3-debug-DONT-PUSH` but not `debugger`; `test` would not match `latest`. A pattern may
 * span parts (`dont[-_]?push`). A pattern that is not a valid regular expression is matched literally.
 */
function debugTagMatcher(patterns) {
    const key = patterns.join('\0');
    const cached = matcherCache.get(key);
    if (cached)
        return cached;
    const compiled = patterns.map((pattern) => ({ pattern, regex: compileTagPattern(pattern) }));
    const matcher = (tag) => {
        for (const { pattern, regex } of compiled) {
            const m = regex.exec(tag);
            if (m)
                return { pattern, matched: m[1] };
        }
        return undefined;
    };
    if (matcherCache.size > 64)
        matcherCache.clear();
    matcherCache.set(key, matcher);
    return matcher;
}
function compileTagPattern(pattern) {
    const wrap = (body) => new RegExp(`(?:^|${TAG_SEPARATOR})(${body})(?=$|${TAG_SEPARATOR})`, 'i');
    try {
        return wrap(`(?:${pattern})`);
    }
    catch {
        return wrap(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    }
}
/** The debug-style match of a reference's tag, if any. */
function debugTag(ref, patterns) {
    return ref.tag === undefined ? undefined : debugTagMatcher(patterns)(ref.tag);
}


/***/ }),

/***/ 1403:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F2: () => (/* binding */ parseReference),
/* harmony export */   fq: () => (/* binding */ fullName)
/* harmony export */ });
/* unused harmony exports registryHost, formatReference, familiarName, sameRepository */
/**
 * Container image references, parsed by the grammar the registry and the container runtimes use
 * (github.com/distribution/reference), with Docker Hub's defaults applied the way `docker pull`
 * and the kubelet apply them:
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path
 *   domain     := host [ ":" port ]          host: DNS name, IPv4, or [IPv6]
 *   path       := component ( "/" component )*
 *   component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex           sha256 (64), sha384 (96), sha512 (128) lowercase hex
 *
 * Pure and total: every string gives either a reference or an error value, never an exception.
 */
const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
/** The whole name (domain and path) may not exceed this, as in distribution/reference. */
const NAME_MAX_LENGTH = 255;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** A bare 64-hex string is an image ID, which the grammar forbids as a repository name. */
const IMAGE_ID = /^[a-f0-9]{64}$/;
const DIGEST_HEX_LENGTH = { sha256: 64, sha384: 96, sha512: 128 };
function parseReference(text) {
    if (typeof text !== 'string' || text.length === 0)
        return fail('empty image reference');
    if (text !== text.trim())
        return fail('image reference has leading or trailing whitespace');
    if (IMAGE_ID.test(text))
        return fail('a 64-character hex string is an image ID, not a repository name');
    // The digest follows the last "@"; the tag follows a ":" after the last "/" (a ":" before it is a port).
    let rest = text;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        const digestError = checkDigest(digest);
        if (digestError)
            return fail(digestError);
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            return fail(`invalid tag "${tag}"`);
    }
    if (rest.length === 0)
        return fail('image reference has no repository name');
    if (rest.length > NAME_MAX_LENGTH)
        return fail(`repository name is longer than ${NAME_MAX_LENGTH} characters`);
    const split = splitDomain(rest);
    if (!split.ok)
        return split;
    const { registry, port, path, defaultedRegistry } = split;
    for (const component of path.split('/')) {
        if (component === '')
            return fail(`empty path component in "${rest}"`);
        if (!PATH_COMPONENT.test(component)) {
            return fail(component.toLowerCase() !== component
                ? `repository name must be lowercase: "${component}"`
                : `invalid repository path component "${component}"`);
        }
    }
    const repository = registry === DEFAULT_REGISTRY && !path.includes('/') ? OFFICIAL_PREFIX + path : path;
    const ref = { original: text, registry, repository, defaultedRegistry };
    if (port !== undefined)
        ref.port = port;
    if (tag !== undefined)
        ref.tag = tag;
    if (digest !== undefined)
        ref.digest = digest;
    return { ok: true, ref };
}
/**
 * The first component is a registry when it looks like one: it contains "." or ":", it is
 * `localhost`, or it has uppercase letters (which a repository path may not). Otherwise the whole
 * name is a Docker Hub path. This is Docker's own rule (`splitDockerDomain`).
 */
function splitDomain(name) {
    const slash = name.indexOf('/');
    const first = slash < 0 ? '' : name.slice(0, slash);
    const isDomain = slash >= 0 && (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first);
    if (!isDomain)
        return { ok: true, registry: DEFAULT_REGISTRY, path: name, defaultedRegistry: true };
    const path = name.slice(slash + 1);
    let host = first;
    let port;
    const portColon = first.lastIndexOf(':');
    if (portColon >= 0 && !first.endsWith(']')) {
        host = first.slice(0, portColon);
        port = first.slice(portColon + 1);
        if (!PORT.test(port))
            return fail(`invalid registry port "${port}"`);
    }
    if (!isHost(host))
        return fail(`invalid registry host "${host}"`);
    const registry = host === LEGACY_DEFAULT_REGISTRY && port === undefined ? DEFAULT_REGISTRY : host;
    const out = { ok: true, registry, path, defaultedRegistry: false };
    if (port !== undefined)
        out.port = port;
    return out;
}
function isHost(host) {
    if (IPV6_HOST.test(host))
        return true;
    return host.length > 0 && host.split('.').every((c) => DOMAIN_COMPONENT.test(c));
}
function checkDigest(digest) {
    if (!DIGEST.test(digest))
        return `invalid digest "${digest}"`;
    const [algorithm, hex] = digest.split(':');
    const length = DIGEST_HEX_LENGTH[algorithm];
    if (length === undefined)
        return `unsupported digest algorithm "${algorithm}"`;
    if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
        return `invalid ${algorithm} digest: want ${length} lowercase hex characters`;
    }
    return undefined;
}
function fail(error) {
    return { ok: false, error };
}
/** `registry[:port]`, the host part of a reference as a runtime would contact it. */
function registryHost(ref) {
    return ref.port === undefined ? ref.registry : `${ref.registry}:${ref.port}`;
}
/** The fully qualified name without tag or digest: `docker.io/library/nginx`. */
function fullName(ref) {
    return `${registryHost(ref)}/${ref.repository}`;
}
/** The fully qualified reference: `docker.io/library/nginx:1.27@sha256:...`. */
function formatReference(ref) {
    let out = fullName(ref);
    if (ref.tag !== undefined)
        out += `:${ref.tag}`;
    if (ref.digest !== undefined)
        out += `@${ref.digest}`;
    return out;
}
/** The short form people write: `nginx:1.27`, `bitnami/redis:7`, `ghcr.io/acme/app:v1`. */
function familiarName(ref) {
    let name = fullName(ref);
    if (ref.registry === DEFAULT_REGISTRY && ref.port === undefined) {
        // `library/` is dropped only where adding it back is unambiguous (`library/nginx`, not `library/a/b`).
        const official = ref.repository.startsWith(OFFICIAL_PREFIX) && ref.repository.split('/').length === 2;
        name = official ? ref.repository.slice(OFFICIAL_PREFIX.length) : ref.repository;
    }
    if (ref.tag !== undefined)
        name += `:${ref.tag}`;
    if (ref.digest !== undefined)
        name += `@${ref.digest}`;
    return name;
}
/**
 * Do two references name the same repository once Docker's defaults are applied (`nginx`,
 * `docker.io/library/nginx` and `index.docker.io/library/nginx` do)? For comparing what Git
 * declares with what a cluster runs.
 */
function sameRepository(a, b) {
    return fullName(a) === fullName(b);
}


/***/ }),

/***/ 3484:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lu: () => (/* binding */ reachesThreshold),
/* harmony export */   d5: () => (/* binding */ checkManifests),
/* harmony export */   k_: () => (/* binding */ runCheck),
/* harmony export */   om: () => (/* binding */ hasInputErrors)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _config_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2526);
/* harmony import */ var _load_files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8971);
/* harmony import */ var _model_collections_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(412);
/* harmony import */ var _rules_baseline_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4260);
/* harmony import */ var _rules_engine_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7217);
/* harmony import */ var _rules_index_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4697);
/* harmony import */ var _rules_suppress_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2200);
/* harmony import */ var _render_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(7094);










async function runCheck(settings) {
    const cwd = settings.cwd ?? process.cwd();
    const { config } = settings;
    const errors = [...(settings.configErrors ?? [])];
    // Config files are YAML but not manifests: checking a folder that holds one should not note it.
    const skip = (file) => (0,_config_index_js__WEBPACK_IMPORTED_MODULE_2__/* .isConfigFile */ .rp)(file, config.file);
    // Charts and overlays among the paths (or the config's `targets:`) are rendered first.
    const loaded = await (0,_render_js__WEBPACK_IMPORTED_MODULE_8__/* .loadSources */ .Dl)(settings.paths, {
        cwd,
        exclude: config.exclude,
        skip,
        stdin: settings.stdin,
        configTargets: config.targets,
        configDir: config.dir,
        render: config.render,
        discover: config.discover,
        shard: settings.shard,
    });
    (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_9__/* .pushAll */ .i)(errors, loaded.errors);
    const checklist = settings.rules ?? _rules_index_js__WEBPACK_IMPORTED_MODULE_6__/* .ALL_RULES */ .U;
    // Each rendered target (a chart with one values file, an overlay) is its own deployment: the
    // checklist runs on each alone, and the same finding several of them make on one line (a base
    // both overlays use) is reported once: one edit fixes it.
    const parts = loaded.groups.map((group) => checkManifests(group.manifests, config, {
        rules: checklist,
        today: settings.today,
        defaultNamespace: group.namespace,
    }));
    const ran = parts[0]?.ran ?? checklist.filter((r) => !isDisabled(config, r.meta.id));
    const suppression = mergeChecks(parts);
    let findings = suppression.findings;
    let baselined = [];
    const baselineFile = baselinePath(settings, config, cwd);
    if (baselineFile) {
        const fingerprints = await readBaseline(baselineFile, cwd, errors);
        ({ findings, baselined } = (0,_rules_baseline_js__WEBPACK_IMPORTED_MODULE_4__/* .applyBaseline */ .Qp)(findings, fingerprints));
    }
    return {
        findings,
        errors,
        files: loaded.files,
        objects: loaded.manifests.length,
        rules: [...ran.map((r) => r.meta), ..._rules_suppress_js__WEBPACK_IMPORTED_MODULE_7__/* .SUPPRESSION_RULES */ .AX.filter((m) => !isDisabled(config, m.id))],
        suppressed: suppression.suppressed,
        baselined,
        ...(loaded.shard && { shard: loaded.shard }),
    };
}
/**
 * The checklist over manifests already loaded (or rendered), with the config's rule selection,
 * then the suppression annotations. Pure; the pull-request job runs it per target and revision.
 */
function checkManifests(manifests, config, options = {}) {
    const checklist = options.rules ?? _rules_index_js__WEBPACK_IMPORTED_MODULE_6__/* .ALL_RULES */ .U;
    const selection = (0,_config_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ruleSelectionOf */ .q9)(config);
    const ran = checklist.filter((r) => !selection.disabled.has(r.meta.id));
    const settings = options.defaultNamespace
        ? { ...selection.settings, defaultNamespace: options.defaultNamespace }
        : selection.settings;
    const raw = (0,_rules_engine_js__WEBPACK_IMPORTED_MODULE_5__/* .runRules */ .xG)(manifests, ran, { settings, severity: selection.severity });
    const suppression = (0,_rules_suppress_js__WEBPACK_IMPORTED_MODULE_7__/* .applySuppressions */ .px)(manifests, raw, {
        rules: checklist.map((r) => r.meta),
        ran: new Set(ran.map((r) => r.meta.id)),
        today: options.today ?? new Date(),
        disabled: selection.disabled,
        severity: selection.severity,
    });
    return { ...suppression, ran };
}
function mergeChecks(parts) {
    if (parts.length === 1)
        return parts[0];
    const findings = (0,_rules_engine_js__WEBPACK_IMPORTED_MODULE_5__/* .onePerLine */ .gj)(parts.flatMap((p) => p.findings));
    return { findings: (0,_rules_engine_js__WEBPACK_IMPORTED_MODULE_5__/* .sortFindings */ .Tc)(findings), suppressed: parts.flatMap((p) => p.suppressed) };
}
function isDisabled(config, ruleId) {
    return config.rules[ruleId]?.enabled === false;
}
/** Absolute path of the baseline to apply: the flag's (from cwd) or the config's (from its folder). */
function baselinePath(settings, config, cwd) {
    if (settings.baseline === false)
        return undefined;
    if (settings.baseline)
        return node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, settings.baseline);
    if (config.baseline)
        return node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, config.dir, config.baseline);
    return undefined;
}
async function readBaseline(abs, cwd, errors) {
    const rel = (0,_load_files_js__WEBPACK_IMPORTED_MODULE_3__/* .relativeName */ .IC)(cwd, abs);
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(abs, 'utf8');
    }
    catch (err) {
        const code = err.code;
        const hint = code === 'ENOENT' ? 'no such file (write one with --write-baseline)' : (code ?? String(err));
        errors.push({ level: 'error', message: `baseline ${rel}: ${hint}` });
        return new Set();
    }
    const parsed = (0,_rules_baseline_js__WEBPACK_IMPORTED_MODULE_4__/* .parseBaseline */ .nk)(text, rel);
    (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_9__/* .pushAll */ .i)(errors, parsed.errors);
    return parsed.fingerprints;
}
const RANK = { error: 3, warning: 2, info: 1 };
/** Does any finding reach the threshold (`warning` means warnings and errors)? */
function reachesThreshold(findings, failOn) {
    if (failOn === 'never')
        return false;
    return findings.some((f) => RANK[f.severity] >= RANK[failOn]);
}
/** Input errors (not notes) make a run's result incomplete. */
function hasInputErrors(result) {
    return result.errors.some((e) => e.level === 'error');
}


/***/ }),

/***/ 926:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   fH: () => (/* binding */ isAffected),
/* harmony export */   hD: () => (/* binding */ targetKey),
/* harmony export */   lY: () => (/* binding */ targetInputs)
/* harmony export */ });
/* unused harmony export PLAIN_KEY */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _load_files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8971);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3356);
/* harmony import */ var _render_kustomize_map_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(772);
/* harmony import */ var _render_types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(677);







/**
 * Which targets a pull request touches. Each target lists the files it is made of (its inputs),
 * following the links users make between folders: an overlay's bases and components, a chart's
 * local (file://) dependencies and vendored subcharts, extra values files. A changed file marks
 * every target that has it as an input, so a change to a shared base re-checks every overlay
 * that uses it, and a change to a subchart re-checks its parents.
 */
/**
 * A target's identity across commits, to pair its base with its head. The discovered plain
 * target's name lists its files, so adding a file would make it a different target (and every
 * finding in it look new): it goes by a fixed key instead.
 */
function targetKey(target, discovered) {
    // Discovery makes at most one plain target, of every loose manifest (an app's go by its name).
    if (target.kind === 'plain' && discovered && !target.app)
        return PLAIN_KEY;
    return (0,_render_types_js__WEBPACK_IMPORTED_MODULE_5__/* .targetName */ .j)(target);
}
const PLAIN_KEY = 'plain manifests';
async function targetInputs(cwd, target, depth = 0) {
    const inputs = { dirs: [], files: [] };
    if (target.app)
        await appInputs(cwd, target, inputs, depth);
    if (target.kind === 'plain') {
        for (const p of target.paths) {
            const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, p)).catch(() => undefined);
            (st?.isDirectory() ? inputs.dirs : inputs.files).push(normalize(p));
        }
    }
    else if (target.kind === 'helm') {
        await chartInputs(cwd, normalize(target.chart), inputs, new Set());
        inputs.files.push(...target.valuesFiles.map(normalize));
        inputs.excluded = await otherValuesFiles(cwd, target.chart, target.valuesFiles.map(normalize));
    }
    else {
        await kustomizeInputs(cwd, normalize(target.dir), inputs, new Set());
    }
    return inputs;
}
/**
 * What an app definition adds (src/gitops): the definition's file, the values files and the
 * ConfigMaps and Secrets it names, the components it lays over, and whatever the app that
 * rendered the definition reads (an app of apps: a change there may change this app).
 */
async function appInputs(cwd, target, into, depth) {
    const app = target.app;
    into.files.push(...app.inputs.files.map(normalize));
    for (const d of app.inputs.dirs) {
        const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, d)).catch(() => undefined);
        if (st?.isDirectory())
            await kustomizeInputs(cwd, normalize(d), into, new Set());
        else
            into.files.push(normalize(d));
    }
    if (target.kind === 'kustomize') {
        for (const r of target.overlay?.resources ?? [])
            into.files.push(normalize(r));
    }
    // The app that rendered this definition: what shapes its copy of it. A Flux folder without a
    // kustomization is only its definition and variables (the other files hold other objects);
    // anything else (an overlay's patches, an app-of-apps chart's templates) whole.
    const parent = app.parent;
    if (parent && depth < 5) {
        const whole = !(parent.kind === 'kustomize' && parent.overlay?.resources);
        const from = whole
            ? await targetInputs(cwd, parent, depth + 1)
            : await targetInputs(cwd, { kind: 'plain', paths: [], app: parent.app }, depth + 1);
        into.dirs.push(...from.dirs);
        into.files.push(...from.files);
    }
}
async function chartInputs(cwd, chart, into, seen) {
    if (seen.has(chart))
        return;
    seen.add(chart);
    into.dirs.push(chart); // templates, values, vendored subcharts under charts/
    const text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, chart, 'Chart.yaml'), 'utf8').catch(() => '');
    const doc = safeParse(text);
    const deps = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_6__/* .isRecord */ .u4)(doc) && Array.isArray(doc.dependencies) ? doc.dependencies : [];
    for (const d of deps) {
        if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_6__/* .isRecord */ .u4)(d) && typeof d.repository === 'string' && d.repository.startsWith('file://')) {
            await chartInputs(cwd, join(chart, d.repository.slice('file://'.length)), into, seen);
        }
    }
}
async function kustomizeInputs(cwd, dir, into, seen) {
    if (seen.has(dir))
        return;
    seen.add(dir);
    into.dirs.push(dir);
    for (const ref of await kustomizationRefs(cwd, dir, true)) {
        const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, ref)).catch(() => undefined);
        if (st?.isDirectory())
            await kustomizeInputs(cwd, ref, into, seen);
        else
            into.files.push(ref);
    }
}
/**
 * Paths a kustomization names, relative to `cwd`. By default only folders it builds on
 * (resources, bases, components); with `allFiles`, also patches, generators' files and the like.
 */
async function kustomizationRefs(cwd, dir, allFiles = false) {
    let text = '';
    for (const name of _render_kustomize_map_js__WEBPACK_IMPORTED_MODULE_4__/* .KUSTOMIZATION_FILES */ .Ct) {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, dir, name), 'utf8').catch(() => '');
        if (text)
            break;
    }
    const doc = safeParse(text);
    if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_6__/* .isRecord */ .u4)(doc))
        return [];
    const refs = [];
    const add = (p) => {
        if (typeof p === 'string' && !/^[a-z]+:\/\//i.test(p) && !p.startsWith('git@'))
            refs.push(join(dir, p));
    };
    for (const key of ['resources', 'bases', 'components']) {
        if (Array.isArray(doc[key]))
            for (const p of doc[key])
                add(p);
    }
    if (allFiles) {
        for (const key of ['patchesStrategicMerge', 'crds', 'configurations', 'transformers', 'generators']) {
            if (Array.isArray(doc[key]))
                for (const p of doc[key])
                    add(p);
        }
        for (const key of ['patches', 'patchesJson6902', 'replacements']) {
            if (Array.isArray(doc[key]))
                for (const p of doc[key])
                    if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_6__/* .isRecord */ .u4)(p))
                        add(p.path);
        }
        for (const key of ['configMapGenerator', 'secretGenerator']) {
            if (!Array.isArray(doc[key]))
                continue;
            for (const g of doc[key]) {
                if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_6__/* .isRecord */ .u4)(g))
                    continue;
                for (const f of [
                    ...(Array.isArray(g.files) ? g.files : []),
                    ...(Array.isArray(g.envs) ? g.envs : []),
                ]) {
                    if (typeof f === 'string')
                        add(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
                }
            }
        }
    }
    return refs;
}
/** A chart's own `values-<env>.yaml` (or `values.<env>.yaml`) files that this target does not use. */
async function otherValuesFiles(cwd, chart, used) {
    const names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, chart)).catch(() => []);
    return names
        .filter((n) => /^values[-.][\w.-]+\.ya?ml$/.test(n))
        .map((n) => join(chart, n))
        .filter((f) => !used.includes(f));
}
/** Does any changed file (relative to the folder targets are named from) belong to this target? */
function isAffected(inputs, changed) {
    return changed.some((file) => (0,_load_files_js__WEBPACK_IMPORTED_MODULE_3__/* .readsPath */ .j3)(inputs, file));
}
function safeParse(text) {
    try {
        return (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parse */ .qg)(text);
    }
    catch {
        return undefined;
    }
}
function join(a, b) {
    return normalize(node_path__WEBPACK_IMPORTED_MODULE_1__.posix.join(a, b));
}
function normalize(p) {
    const n = node_path__WEBPACK_IMPORTED_MODULE_1__.posix.normalize(p.split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep).join('/')).replace(/\/$/, '');
    return n === '' ? '.' : n.replace(/^\.\//, '');
}


/***/ }),

/***/ 4788:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  O9: () => (/* binding */ finish),
  d2: () => (/* binding */ runErrors),
  t0: () => (/* binding */ runPullRequestJob),
  AJ: () => (/* binding */ targetDiffs)
});

// UNUSED EXPORTS: repoPath

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/model/collections.js
var collections = __webpack_require__(412);
// EXTERNAL MODULE: ./lib/model/concurrency.js
var concurrency = __webpack_require__(5866);
// EXTERNAL MODULE: ./lib/model/path.js
var model_path = __webpack_require__(3070);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/model/workload.js
var workload = __webpack_require__(4208);
// EXTERNAL MODULE: ./lib/render/git.js
var git = __webpack_require__(2408);
// EXTERNAL MODULE: ./lib/rules/engine.js + 1 modules
var engine = __webpack_require__(7217);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./lib/config/index.js + 1 modules
var lib_config = __webpack_require__(2526);
// EXTERNAL MODULE: ./lib/config/render.js
var config_render = __webpack_require__(8428);
// EXTERNAL MODULE: ./node_modules/diff/libesm/patch/create.js
var create = __webpack_require__(4112);
// EXTERNAL MODULE: ./node_modules/diff/libesm/diff/line.js + 1 modules
var line = __webpack_require__(7073);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./lib/secrets/index.js + 6 modules
var secrets = __webpack_require__(2767);
;// CONCATENATED MODULE: ./lib/diff/nondeterminism.js


function findUnstable(first, second) {
    if (!first || !second)
        return { paths: [], whole: true };
    const paths = [];
    compare(first, second, [], paths);
    return { paths, whole: false };
}
function compare(a, b, at, out) {
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
        for (let i = 0; i < a.length; i++)
            compare(a[i], b[i], [...at, i], out);
        return;
    }
    if ((0,types/* isRecord */.u4)(a) && (0,types/* isRecord */.u4)(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        for (const k of keys)
            compare(a[k], b[k], [...at, k], out);
        return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b))
        out.push(at);
}
const UNSTABLE_MARK = '(non-deterministic: differs between renders)';
/** Replace unstable fields by the mark (in place), where the path exists. Returns display paths. */
function markUnstable(obj, paths) {
    if (!obj)
        return [];
    const shown = [];
    for (const path of paths) {
        if (path.length === 0)
            continue;
        let node = obj;
        for (const seg of path.slice(0, -1)) {
            node = (0,types/* isRecord */.u4)(node) ? node[seg] : Array.isArray(node) ? node[seg] : undefined;
        }
        const last = path[path.length - 1];
        if ((0,types/* isRecord */.u4)(node) && typeof last === 'string' && last in node) {
            shown.push((0,model_path/* formatPath */.jV)(obj, path));
            node[last] = UNSTABLE_MARK;
        }
        else if (Array.isArray(node) && typeof last === 'number' && last < node.length) {
            shown.push((0,model_path/* formatPath */.jV)(obj, path));
            node[last] = UNSTABLE_MARK;
        }
    }
    return shown;
}

;// CONCATENATED MODULE: ./lib/diff/rendered.js





function diffObjects(input) {
    const base = byKey(input.base);
    const head = byKey(input.head);
    const again = input.headAgain ? byKey(input.headAgain) : undefined;
    const changes = [];
    let unchanged = 0;
    const removed = [...base.keys()].filter((k) => !head.has(k));
    const added = [...head.keys()].filter((k) => !base.has(k));
    const renames = pairRenames(removed, added, base, head);
    for (const [key, h] of head) {
        const renamedFrom = renames.byAdded.get(key);
        const b = base.get(key) ?? (renamedFrom ? base.get(renamedFrom) : undefined);
        const unstable = again ? findUnstable(h, again.get(key)) : { paths: [], whole: false };
        const change = compareOne(b, h, unstable.paths);
        const kind = renamedFrom
            ? 'renamed'
            : !b
                ? 'added'
                : change.diff
                    ? 'changed'
                    : undefined;
        if (!kind) {
            unchanged++;
            continue;
        }
        changes.push({
            key,
            change: kind,
            ...(renamedFrom ? { from: renamedFrom } : {}),
            diff: change.diff,
            nondeterministic: change.marked,
            ...(unstable.whole && again ? { unstableName: true } : {}),
            secret: h.kind === 'Secret',
        });
    }
    for (const key of removed) {
        if (renames.byRemoved.has(key))
            continue;
        const b = base.get(key);
        changes.push({
            key,
            change: 'removed',
            diff: compareOne(b, undefined, []).diff,
            nondeterministic: [],
            secret: b.kind === 'Secret',
        });
    }
    changes.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    return { objects: changes, unchanged };
}
function byKey(objects) {
    const map = new Map();
    for (const o of objects)
        map.set((0,types/* refKey */.XF)((0,types/* refOf */.H8)(o)), o);
    return new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
function compareOne(base, head, unstable) {
    const b = base ? structuredClone(base) : undefined;
    const h = head ? structuredClone(head) : undefined;
    const marked = markUnstable(h, unstable);
    markUnstable(b, unstable);
    (0,secrets/* redactPair */.wv)(b, h);
    const before = b ? toYaml(b) : '';
    const after = h ? toYaml(h) : '';
    if (before === after)
        return { diff: '', marked };
    const name = (0,types/* refKey */.XF)((0,types/* refOf */.H8)((head ?? base)));
    const patch = (0,create/* createTwoFilesPatch */.ss)(`base/${name}`, `head/${name}`, before, after, undefined, undefined, {
        context: 3,
    });
    // Drop the `===` banner line; keep the ---/+++ headers and hunks.
    return { diff: maskPatch(patch.replace(/^=+\n/m, '')), marked };
}
/**
 * The run's secrets masked in a patch. A changed line that reads the same once masked (a
 * password in a URL that changed at the same length) gets ` (changed)` on its head side, so
 * the change still shows without its content.
 */
function maskPatch(patch) {
    if (secrets/* secrets */.O3.size === 0)
        return patch;
    const lines = patch.split('\n');
    const out = lines.map((l) => secrets/* secrets */.O3.mask(l));
    for (let i = 0; i < lines.length;) {
        if (!lines[i].startsWith('-') || lines[i].startsWith('---')) {
            i++;
            continue;
        }
        let j = i;
        while (j < lines.length && lines[j].startsWith('-'))
            j++;
        let k = j;
        while (k < lines.length && lines[k].startsWith('+'))
            k++;
        for (let n = 0; n < Math.min(j - i, k - j); n++) {
            const [minus, plus] = [i + n, j + n];
            if (out[minus].slice(1) === out[plus].slice(1) && lines[minus].slice(1) !== lines[plus].slice(1))
                out[plus] += secrets/* CHANGED */.Rj;
        }
        i = Math.max(k, i + 1);
    }
    return out.join('\n');
}
/** YAML with fields in a stable order: identity first, then alphabetical at every level. */
function toYaml(obj) {
    return (0,dist/* stringify */.As)(canonical(obj, 0), { lineWidth: 0, sortMapEntries: false });
}
const TOP_ORDER = ['apiVersion', 'kind', 'metadata', 'spec', 'data', 'stringData'];
const META_ORDER = ['name', 'namespace', 'labels', 'annotations'];
function canonical(value, depth, parentKey = '') {
    if (Array.isArray(value))
        return value.map((v) => canonical(v, depth + 1));
    if (!(0,types/* isRecord */.u4)(value))
        return value;
    const order = depth === 0 ? TOP_ORDER : parentKey === 'metadata' ? META_ORDER : [];
    const keys = Object.keys(value).sort((a, b) => {
        const ia = order.indexOf(a);
        const ib = order.indexOf(b);
        if (ia >= 0 || ib >= 0)
            return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
        return a < b ? -1 : a > b ? 1 : 0;
    });
    const out = {};
    for (const k of keys)
        out[k] = canonical(value[k], depth + 1, k);
    return out;
}
/**
 * A removed and an added object of the same kind and namespace whose content is mostly the
 * same (a renamed Deployment, a ConfigMap whose hash suffix changed) is a rename.
 */
function pairRenames(removed, added, base, head) {
    const byAdded = new Map();
    const byRemoved = new Map();
    const candidates = [];
    for (const r of removed) {
        const b = base.get(r);
        for (const a of added) {
            const h = head.get(a);
            if (b.kind !== h.kind || (b.metadata.namespace ?? '') !== (h.metadata.namespace ?? ''))
                continue;
            const score = similarity(withoutName(b), withoutName(h));
            if (score >= 0.6)
                candidates.push({ r, a, score });
        }
    }
    candidates.sort((x, y) => y.score - x.score);
    for (const c of candidates) {
        if (byAdded.has(c.a) || byRemoved.has(c.r))
            continue;
        byAdded.set(c.a, c.r);
        byRemoved.set(c.r, c.a);
    }
    return { byAdded, byRemoved };
}
function withoutName(obj) {
    const copy = structuredClone(obj);
    delete copy.metadata.name;
    (0,secrets/* redactPair */.wv)(copy, undefined);
    return toYaml(copy);
}
function similarity(a, b) {
    let same = 0;
    let total = 0;
    for (const part of (0,line/* diffLines */.Pp)(a, b)) {
        const n = part.count ?? 0;
        total += n;
        if (!part.added && !part.removed)
            same += 2 * n;
        else
            same += 0;
    }
    const lines = a.split('\n').length + b.split('\n').length;
    return total === 0 ? 1 : same / Math.max(lines, 1);
}

// EXTERNAL MODULE: ./lib/load/files.js
var files = __webpack_require__(8971);
// EXTERNAL MODULE: ./lib/render/discover.js + 14 modules
var discover = __webpack_require__(6821);
// EXTERNAL MODULE: ./lib/render/index.js + 3 modules
var lib_render = __webpack_require__(8376);
// EXTERNAL MODULE: ./lib/rules/baseline.js
var baseline = __webpack_require__(4260);
// EXTERNAL MODULE: ./lib/jobs/check.js
var check = __webpack_require__(3484);
// EXTERNAL MODULE: ./lib/jobs/render.js
var jobs_render = __webpack_require__(7094);
;// CONCATENATED MODULE: ./lib/jobs/pull-request-adapters.js












/**
 * The pull-request job's view of the other layers: targets found and rendered by the render
 * layer, the checklist run per target the way the check job runs it (config selection,
 * suppressions), and the diff layer's per-object rendered diff.
 */
/**
 * Render targets with the real tools, as the config's `render:` section says, sharing one run's
 * state (render/index.ts). Rendered objects that come from a file `exclude:` names are dropped,
 * as the check job does.
 */
async function configRenderer(config) {
    const { render } = config;
    const renderIn = await (0,lib_render/* renderer */.Uk)({
        tools: render.tools,
        timeoutMs: render.timeoutMs,
        maxMemoryBytes: render.maxMemoryBytes,
        kubeVersion: render.kubeVersion,
        apiVersions: render.apiVersions,
    });
    const skip = config.exclude.map(files/* compileGlob */.SO);
    return async (target, cwd) => {
        const result = await renderIn(target, cwd);
        if (skip.length === 0 || target.kind === 'plain')
            return result;
        const kept = result.manifests.filter((m) => {
            const file = (m.locateSource?.([]) ?? m.locate([])).file;
            return !skip.some((re) => re.test(file));
        });
        return { ...result, manifests: kept };
    };
}
/**
 * The targets under `roots`: the config's `targets:` when it has some, else those discovered
 * (charts, overlays, and the loose manifests as one plain target, as `shipshape check` does).
 * Plain files the config excludes are left out. `cwd` is the tree to look in, `checkout` the
 * folder the config was read for (the two differ for an extracted base or head commit).
 */
async function findTargets(cwd, roots, config, checkout = cwd) {
    if (config.targets.length > 0) {
        // The config's folder as it sits in the checkout, applied to this tree (the base's or the
        // head's extracted copy): each side renders its own files.
        const dir = config.dir === checkout ? '.' : (0,files/* relativeName */.IC)(checkout, config.dir);
        return {
            targets: (0,config_render/* resolveTargets */.h5)(config.targets, dir),
            errors: [],
            fromConfig: true,
        };
    }
    const { render } = config;
    const found = await (0,discover/* discoverTargets */.K)(roots, {
        cwd,
        gitops: (0,jobs_render/* gitopsOptions */.nJ)(config.discover, {
            cwd,
            tools: render.tools,
            timeoutMs: render.timeoutMs,
            maxMemoryBytes: render.maxMemoryBytes,
        }),
    });
    // The config file is YAML but no manifest; neither is anything the config excludes.
    const exclude = config.exclude.map(files/* compileGlob */.SO);
    const left = (p) => (0,lib_config/* isConfigFile */.rp)(p) || exclude.some((re) => re.test(p));
    const targets = found.targets
        .map((t) => (t.kind === 'plain' ? { ...t, paths: t.paths.filter((p) => !left(p)) } : t))
        .filter((t) => t.kind !== 'plain' || t.paths.length > 0 || t.app);
    return { targets, errors: found.errors, fromConfig: false };
}
/** The checklist over one target's manifests: the check job's own, per target and revision. */
function checkManifests(manifests, config, today = new Date()) {
    return (0,check/* checkManifests */.d5)(manifests, config, { today }).findings;
}
/**
 * The config's baseline (findings accepted as they are), read from the head checkout. A broken
 * or missing file is an input error and accepts nothing.
 */
async function loadBaseline(cwd, config, trustedCommit) {
    if (!config.baseline)
        return { fingerprints: new Set(), errors: [] };
    const abs = external_node_path_.resolve(cwd, config.dir, config.baseline);
    const rel = (0,files/* relativeName */.IC)(cwd, abs);
    // On a pull request the baseline is the base branch's: the change may not accept its own findings.
    const text = trustedCommit
        ? await (0,git/* readFileAtCommit */.ln)(cwd, trustedCommit, rel)
        : await (0,promises_.readFile)(abs, 'utf8').catch(() => undefined);
    if (text === undefined) {
        return {
            fingerprints: new Set(),
            errors: [
                {
                    level: 'error',
                    message: `baseline ${rel}: cannot read it${trustedCommit ? ` at the base commit ${trustedCommit.slice(0, 12)}` : ''}`,
                },
            ],
        };
    }
    return (0,baseline/* parseBaseline */.nk)(text, rel);
}
function diffManifests(base, head, headAgain) {
    return diffObjects({
        base: base.map((m) => m.object),
        head: head.map((m) => m.object),
        ...(headAgain ? { headAgain: headAgain.map((m) => m.object) } : {}),
    });
}

// EXTERNAL MODULE: ./lib/jobs/pull-request-targets.js
var pull_request_targets = __webpack_require__(926);
// EXTERNAL MODULE: ./lib/jobs/shard.js
var shard = __webpack_require__(7304);
;// CONCATENATED MODULE: ./lib/jobs/pull-request.js











async function runPullRequestJob(settings) {
    const log = settings.log ?? (() => { });
    const errors = [...(settings.configErrors ?? [])];
    const { cwd } = settings;
    const result = {
        mode: settings.base ? 'pull-request' : 'check',
        base: settings.base,
        head: settings.head,
        changedFiles: [],
        targets: [],
        findings: [],
        newFindings: [],
        existingFindings: [],
        fixedFindings: [],
        errors,
        renderedChanged: false,
        files: [],
        objects: 0,
    };
    // Where cwd sits in its repository: git names files from the top, targets from cwd.
    const root = settings.base ? await (0,git/* repoRoot */.jv)(cwd).catch(() => cwd) : cwd;
    const prefix = external_node_path_.relative(root, cwd).split(external_node_path_.sep).join('/');
    // `actions/checkout` on pull_request checks out GitHub's merge commit by default: its lines are
    // not the head's once the base has moved, and comments are posted against the head. Render the
    // head commit itself then, so every line a finding names is a line of the head. (The CLI's
    // --head is a commit other than the checkout too.)
    const headTree = await headCheckout(settings, log);
    if (headTree.error)
        errors.push({ level: 'note', message: headTree.error });
    const headCwd = headTree.dir ? external_node_path_.join(headTree.dir, prefix) : cwd;
    try {
        return await runIn(settings, result, { root, prefix, headCwd });
    }
    finally {
        await headTree.remove?.();
    }
}
async function headCheckout(settings, log) {
    const { cwd, head } = settings;
    if (!settings.base || !head)
        return {};
    const current = await (0,git/* checkedOut */.M8)(cwd);
    if (current === undefined || current === head)
        return {};
    const fetchError = await (0,git/* ensureCommit */.q$)(cwd, head);
    if (fetchError)
        return {
            error: `${fetchError}; findings are placed on the lines of the checkout ${current.slice(0, 12)}`,
        };
    const extracted = await (0,git/* extractCommit */.bG)(cwd, head);
    if ('error' in extracted)
        return { error: `${extracted.error}; findings are placed on the lines of the checkout` };
    log(`The checkout (${current.slice(0, 12)}) is not the pull request's head (${head.slice(0, 12)}), as with GitHub's merge commit: rendering the head commit, so that every comment lands on the head's own line.`);
    return extracted;
}
async function runIn(settings, result, { prefix, headCwd }) {
    const log = settings.log ?? (() => { });
    const { cwd } = settings;
    const { errors } = result;
    const found = await findTargets(headCwd, settings.roots, settings.config, cwd);
    (0,collections/* pushAll */.i)(errors, found.errors);
    const baseline = await loadBaseline(cwd, settings.config, settings.trustedCommit);
    (0,collections/* pushAll */.i)(errors, baseline.errors);
    const render = await configRenderer(settings.config);
    const evalSettings = { ...settings, headCwd, baseline: baseline.fingerprints, render };
    const keyOf = (t) => (0,pull_request_targets/* targetKey */.hD)(t, !found.fromConfig);
    const headTargets = found.targets;
    if (!settings.base) {
        const plan = await shardOf(result, headTargets.map((t) => ({ key: keyOf(t), head: t })), settings, headCwd);
        await evaluateAll(result, plan, evalSettings);
        return finish(result);
    }
    // The base: make sure the commit is here, diff from the merge base (what GitHub shows).
    const fetchError = await (0,git/* ensureCommit */.q$)(cwd, settings.base);
    if (fetchError)
        errors.push({ level: 'error', message: fetchError });
    // The checkout may be GitHub's merge commit, whose head parent a shallow clone lacks: the
    // checkout itself is then the head to compare. No head at all: the working tree is the head.
    const head = settings.head && (await (0,git/* hasCommit */.QE)(cwd, settings.head)) ? settings.head : undefined;
    const from = (await (0,git/* mergeBase */.wu)(cwd, settings.base, head ?? 'HEAD')) ?? settings.base;
    result.mergeBase = from;
    const gitChanges = await (0,git/* changedFiles */.Y_)(cwd, from, settings.head ? (head ?? 'HEAD') : undefined);
    const changed = new Set(settings.changed ?? []);
    for (const c of gitChanges ?? []) {
        changed.add(c.file);
        if (c.previous)
            changed.add(c.previous);
    }
    result.changedFiles = [...changed].sort();
    if (changed.size === 0) {
        log('No changed files: nothing to check.');
        await shardOf(result, [], settings, headCwd);
        return finish(result);
    }
    // Changed files as seen from cwd, the way target paths are written.
    const changedHere = prefix ? [...changed].map((f) => external_node_path_.posix.relative(prefix, f)) : [...changed];
    const extracted = await (0,git/* extractCommit */.bG)(cwd, from);
    if ('error' in extracted) {
        errors.push({ level: 'error', message: `${extracted.error}; every finding counts as new` });
    }
    const baseDir = 'dir' in extracted ? external_node_path_.join(extracted.dir, prefix) : undefined;
    try {
        const baseTargets = baseDir
            ? (await findTargets(baseDir, settings.roots, settings.config, cwd)).targets
            : [];
        const affected = await affectedTargets(headCwd, baseDir, headTargets, baseTargets, changedHere, keyOf);
        log(affected.length === 0
            ? 'No target is affected by the changed files.'
            : `Affected targets: ${affected.map((p) => p.key).join(', ')}`);
        const plan = await shardOf(result, affected, settings, headCwd, baseDir);
        await evaluateAll(result, plan, { ...evalSettings, baseDir });
    }
    finally {
        if ('remove' in extracted)
            await extracted.remove();
    }
    return finish(result);
}
/** This shard's part of the plan (all of it without a shard), noting the split in the result. */
async function shardOf(result, plan, settings, headCwd, baseDir) {
    if (!settings.shard)
        return plan;
    const { items, info } = await (0,shard/* shardPlan */.eK)(plan, settings.shard, headCwd, baseDir);
    result.shard = info;
    settings.log?.(`Shard ${info.spec.index}/${info.spec.count}: ${items.length} of ${plan.length} targets${items.length > 0 ? ` (${items.map((p) => p.key).join(', ')})` : ''}.`);
    return items;
}
/**
 * Targets whose inputs (at the head or at the base) include a changed file, each paired with its
 * definition on the other side when it exists there.
 */
async function affectedTargets(cwd, baseDir, headTargets, baseTargets, changed, keyOf) {
    const headByKey = new Map(headTargets.map((t) => [keyOf(t), t]));
    const baseByKey = new Map(baseTargets.map((t) => [keyOf(t), t]));
    const plan = new Map();
    for (const [key, t] of headByKey) {
        if ((0,pull_request_targets/* isAffected */.fH)(await (0,pull_request_targets/* targetInputs */.lY)(cwd, t), changed))
            plan.set(key, { key, head: t, base: baseByKey.get(key) });
    }
    for (const [key, t] of baseByKey) {
        if (plan.has(key) || !baseDir)
            continue;
        // Affected only through its base definition: a file it used was removed or renamed away.
        if ((0,pull_request_targets/* isAffected */.fH)(await (0,pull_request_targets/* targetInputs */.lY)(baseDir, t), changed))
            plan.set(key, { key, head: headByKey.get(key), base: t });
    }
    return [...plan.values()];
}
async function evaluateAll(result, plan, settings) {
    // Each target renders twice at once (base and head): half as many targets as renders at once
    // (the config's render.concurrency, else the cores).
    const limit = Math.max(1, Math.ceil((settings.config.render.concurrency ?? (0,concurrency/* defaultConcurrency */.PV)()) / 2));
    const outcomes = await (0,concurrency/* mapConcurrent */._k)(plan, async (p) => {
        const [head, base] = await Promise.all([
            p.head ? evaluate(p.head, settings.headCwd, settings, result.mode === 'pull-request') : undefined,
            p.base && settings.baseDir ? evaluate(p.base, settings.baseDir, settings) : undefined,
        ]);
        return { outcome: pull_request_compare(p, head, base, result.mode), head };
    }, limit);
    const files = new Set(result.files);
    for (const { outcome: o, head } of outcomes) {
        result.targets.push(o);
        (0,collections/* pushAll */.i)(result.findings, o.head?.findings ?? []);
        (0,collections/* pushAll */.i)(result.newFindings, o.newFindings);
        (0,collections/* pushAll */.i)(result.existingFindings, o.existingFindings);
        (0,collections/* pushAll */.i)(result.fixedFindings, o.fixedFindings);
        (0,collections/* pushAll */.i)(result.errors, o.head?.errors ?? []);
        if (o.diff.length > 0)
            result.renderedChanged = true;
        for (const m of head?.manifests ?? []) {
            if (files.has(m.file))
                continue;
            files.add(m.file);
            result.files.push(m.file);
        }
        result.objects += head?.manifests.length ?? 0;
    }
}
async function evaluate(target, cwd, settings, twice = false) {
    const rendered = await settings.render(target, cwd);
    // Findings the baseline accepts are not reported, at the base or the head.
    const findings = checkManifests(rendered.manifests, settings.config, settings.today).filter((f) => !settings.baseline.has(f.fingerprint));
    const evaluation = { manifests: rendered.manifests, findings, errors: rendered.errors };
    // Only templates can produce random output; Kustomize and plain files render the same every time.
    if (twice && target.kind === 'helm' && rendered.errors.length === 0) {
        evaluation.again = (await settings.render(target, cwd)).manifests;
    }
    return evaluation;
}
/** New is "absent at the base" by fingerprint (rule, object, field path), never by line. */
function pull_request_compare(p, head, base, mode) {
    const baseFps = new Set(base?.findings.map((f) => f.fingerprint) ?? []);
    const headFps = new Set(head?.findings.map((f) => f.fingerprint) ?? []);
    const headFindings = head?.findings ?? [];
    const comparable = mode === 'pull-request' && base !== undefined;
    const target = (p.head ?? p.base);
    const rendered = mode === 'pull-request' ? renderedDiff(base, head) : { status: 'ok', objects: [], unchanged: 0 };
    return {
        name: p.key,
        kind: target.kind,
        ...(target.app ? { app: target.app.name } : {}),
        presence: mode === 'check' ? 'head-only-check' : p.head && p.base ? 'both' : p.head ? 'added' : 'removed',
        ...(head
            ? { head: { findings: head.findings, errors: head.errors, objects: head.manifests.length } }
            : {}),
        status: rendered.status,
        baseErrors: base?.errors.filter((e) => e.level === 'error') ?? [],
        newFindings: comparable
            ? markRemovals(headFindings.filter((f) => !baseFps.has(f.fingerprint)), base?.manifests ?? [], head?.manifests ?? [])
            : [...headFindings],
        existingFindings: comparable ? headFindings.filter((f) => baseFps.has(f.fingerprint)) : [],
        fixedFindings: (base?.findings ?? []).filter((f) => !headFps.has(f.fingerprint)),
        diff: rendered.objects,
        unchanged: rendered.unchanged,
        workloads: (head?.manifests ?? []).filter((m) => (0,workload/* isWorkload */.gv)(m.object)).map((m) => (0,types/* refOf */.H8)(m.object)),
    };
}
/**
 * One target's rendered diff. A side that did not render is a status with its errors, not a
 * change: a head that failed shows no objects (not every object removed); a base that failed
 * shows every head object as added.
 */
function renderedDiff(base, head) {
    const failed = (e) => !!e && e.manifests.length === 0 && e.errors.some((x) => x.level === 'error');
    const status = !base
        ? 'added'
        : !head
            ? 'removed'
            : failed(head)
                ? 'head-failed'
                : failed(base)
                    ? 'base-failed'
                    : 'ok';
    if (status === 'head-failed')
        return { status, objects: [], unchanged: 0 };
    const again = head?.again && head.again.length > 0 ? head.again : undefined;
    return { status, ...diffManifests(base?.manifests ?? [], head?.manifests ?? [], again) };
}
/**
 * New findings about a field the base had (a deleted readinessProbe, deleted limits): each gets
 * the line that held the field at the base, where a review comment can say what was removed.
 */
function markRemovals(findings, baseManifests, headManifests) {
    if (findings.length === 0 || baseManifests.length === 0)
        return findings;
    const byRef = new Map(baseManifests.map((m) => [(0,types/* refKey */.XF)(m.ref), m]));
    const headByRef = new Map(headManifests.map((m) => [(0,types/* refKey */.XF)(m.ref), m]));
    for (const f of findings) {
        const base = byRef.get((0,types/* refKey */.XF)(f.object));
        if (!base)
            continue;
        const { segments, complete } = (0,model_path/* resolvePath */.o1)(base.object, f.path);
        if (!complete || (0,model_path/* getAt */.sM)(base.object, segments) === undefined)
            continue;
        // Removed, not changed: the head no longer has the field at all.
        const head = headByRef.get((0,types/* refKey */.XF)(f.object));
        if (head && (0,model_path/* resolvePath */.o1)(head.object, f.path).complete)
            continue;
        f.removedAt = base.locateSource?.(segments) ?? base.locate(segments);
    }
    return findings;
}
/** How a run ends: targets by name, findings by place, files sorted. The merge of shards ends alike. */
function finish(result) {
    result.targets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    (0,engine/* sortFindings */.Tc)(result.findings);
    (0,engine/* sortFindings */.Tc)(result.newFindings);
    (0,engine/* sortFindings */.Tc)(result.existingFindings);
    result.files.sort();
    return result;
}
/** Repository-relative form of a path under the workspace. */
function repoPath(cwd, file) {
    return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
}
/** Each target's rendered diff, as `shipshape diff` prints it (diff/format.ts). */
function targetDiffs(result) {
    return result.targets.map((t) => ({
        target: t.name,
        status: t.status,
        baseErrors: t.baseErrors,
        headErrors: (t.head?.errors ?? []).filter((e) => e.level === 'error'),
        objects: t.diff,
        unchanged: t.unchanged,
    }));
}
/** The run's errors that belong to no target's render (config, discovery, git). */
function runErrors(result) {
    const ofTargets = new Set(result.targets.flatMap((t) => t.head?.errors ?? []));
    return result.errors.filter((e) => !ofTargets.has(e));
}


/***/ }),

/***/ 7094:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dl: () => (/* binding */ loadSources),
/* harmony export */   mn: () => (/* binding */ runRender),
/* harmony export */   nJ: () => (/* binding */ gitopsOptions)
/* harmony export */ });
/* harmony import */ var _config_render_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8428);
/* harmony import */ var _load_files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8971);
/* harmony import */ var _model_collections_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(412);
/* harmony import */ var _render_discover_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6821);
/* harmony import */ var _render_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8376);
/* harmony import */ var _render_secret_inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4954);
/* harmony import */ var _render_types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(677);
/* harmony import */ var _shard_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7304);








async function runRender(input) {
    const renderOpts = {
        cwd: input.cwd,
        tools: input.tools,
        concurrency: input.concurrency,
        timeoutMs: input.timeoutMs,
        maxMemoryBytes: input.maxMemoryBytes,
        kubeVersion: input.kubeVersion,
        apiVersions: input.apiVersions,
    };
    const done = new Map();
    const discovered = input.paths.length > 0 || !input.configTargets?.length
        ? await (0,_render_discover_js__WEBPACK_IMPORTED_MODULE_2__/* .discoverTargets */ .K)(input.paths.length > 0 ? input.paths : ['.'], {
            cwd: input.cwd,
            gitops: gitopsOptions(input.discover, renderOpts, done),
        })
        : { targets: [...input.configTargets], errors: [] };
    const fromConfig = !(input.paths.length > 0 || !input.configTargets?.length);
    const sharded = input.shard
        ? await (0,_shard_js__WEBPACK_IMPORTED_MODULE_5__/* .selectShard */ .Xm)(input.cwd, discovered.targets, input.shard, !fromConfig)
        : undefined;
    const targets = sharded?.targets ?? discovered.targets;
    const results = await renderOnce(targets, renderOpts, done);
    return { targets, results, errors: discovered.errors, ...(sharded && { shard: sharded.info }) };
}
/** Render the targets, reusing what discovery already rendered (an app it expanded). */
async function renderOnce(targets, options, done) {
    const todo = targets.filter((t) => !done.has(t));
    const fresh = await (0,_render_index_js__WEBPACK_IMPORTED_MODULE_3__/* .renderTargets */ .d8)(todo, options);
    const byTarget = new Map(todo.map((t, i) => [t, fresh[i]]));
    return Promise.all(targets.map((t) => byTarget.get(t) ?? done.get(t)));
}
/**
 * What `check` lints: plain files as before, and every chart and overlay among the paths
 * rendered first (their manifests know the line a human edits). With no paths, the config's
 * `targets:`. The same shape as loadPaths, so the rest of the check does not change.
 */
async function loadSources(paths, options) {
    const { cwd } = options;
    // Plain manifests' secrets are collected as they load, like rendered ones (render/index.ts).
    const load = async (p) => (0,_render_secret_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .secureResult */ .x)(await (0,_load_files_js__WEBPACK_IMPORTED_MODULE_1__/* .loadPaths */ .D6)(p, { cwd, exclude: options.exclude, skip: options.skip, stdin: options.stdin }));
    const renderOpts = {
        cwd,
        tools: options.render?.tools,
        timeoutMs: options.render?.timeoutMs,
        maxMemoryBytes: options.render?.maxMemoryBytes,
        concurrency: options.render?.concurrency,
        kubeVersion: options.render?.kubeVersion,
        apiVersions: options.render?.apiVersions,
    };
    const { shard } = options;
    if (shard && paths.includes('-'))
        throw new Error('stdin (-) cannot be split into shards');
    if (paths.length === 0 && options.configTargets?.length) {
        const all = (0,_config_render_js__WEBPACK_IMPORTED_MODULE_0__/* .resolveTargets */ .h5)(options.configTargets, options.configDir ?? '.', cwd);
        const sharded = shard ? await (0,_shard_js__WEBPACK_IMPORTED_MODULE_5__/* .selectShard */ .Xm)(cwd, all, shard, false) : undefined;
        const merged = merge(await (0,_render_index_js__WEBPACK_IMPORTED_MODULE_3__/* .renderTargets */ .d8)(sharded?.targets ?? all, renderOpts), [], options);
        return sharded ? { ...merged, shard: sharded.info } : merged;
    }
    const onDisk = paths.filter((p) => p !== '-');
    const done = new Map();
    const discovered = await (0,_render_discover_js__WEBPACK_IMPORTED_MODULE_2__/* .discoverTargets */ .K)(onDisk, {
        cwd,
        gitops: gitopsOptions(options.discover, renderOpts, done),
    });
    const { errors } = discovered;
    const sharded = shard ? await (0,_shard_js__WEBPACK_IMPORTED_MODULE_5__/* .selectShard */ .Xm)(cwd, discovered.targets, shard) : undefined;
    const targets = sharded?.targets ?? discovered.targets;
    const withShard = (r) => (sharded ? { ...r, shard: sharded.info } : r);
    // App definitions' targets render as apps, plain ones included (their notes and namespace).
    const rendered = targets.filter((t) => t.kind !== 'plain' || t.app);
    // Discovery's own notes (an app whose source is elsewhere); missing paths the loader reports.
    const notes = errors.filter((e) => !/: no such file or folder$/.test(e.message));
    // Nothing to render: plain manifests exactly as the loader always read them.
    // (Of all targets, not this shard's: a shard holding only the loose manifests reads only them.)
    if (!discovered.targets.some((t) => t.kind !== 'plain' || t.app) && options.discover?.folders !== false) {
        // A shard without the loose manifests has nothing to read (paths that do not exist are
        // every shard's error, as they are discovery's).
        const mine = !sharded || targets.length > 0;
        const plainOnly = mine
            ? await load(paths)
            : { manifests: [], files: [], errors: errors.filter((e) => !notes.includes(e)) };
        return withShard({
            ...plainOnly,
            errors: [...notes, ...plainOnly.errors],
            groups: [{ manifests: plainOnly.manifests }],
        });
    }
    const plain = targets.flatMap((t) => (t.kind === 'plain' && !t.app ? t.paths : []));
    const loose = [...plain, ...(paths.includes('-') ? ['-'] : [])];
    const [results, plainLoad] = await Promise.all([
        renderOnce(rendered, renderOpts, done),
        loose.length > 0 ? load(loose) : Promise.resolve(undefined),
    ]);
    const merged = merge(results, plainLoad ? [plainLoad] : [], options);
    merged.errors.unshift(...notes);
    return withShard(merged);
}
/**
 * GitOps discovery as the config says, with a renderer for the app definitions other apps
 * render (an app of apps, the HelmReleases a Flux Kustomization builds). What it renders is kept
 * in `done`, when given, so that a target is not rendered twice in one run.
 */
function gitopsOptions(discover, render, done) {
    return {
        gitops: discover?.gitops ?? true,
        folders: discover?.folders ?? true,
        repoURLs: discover?.repoURLs ?? [],
        render: (target) => {
            const result = (0,_render_index_js__WEBPACK_IMPORTED_MODULE_3__/* .renderTarget */ .S_)(target, render);
            done?.set(target, result);
            return result;
        },
    };
}
function merge(results, loads, options) {
    const out = { manifests: [], errors: [], files: [], groups: [] };
    const globs = (options.exclude ?? []).map(_load_files_js__WEBPACK_IMPORTED_MODULE_1__/* .compileGlob */ .SO);
    const left = (file) => options.skip?.(file) || globs.some((re) => re.test(file));
    for (const r of results) {
        // `exclude:` applies to rendered objects by the file they come from (a template, a base).
        const kept = !options.skip && globs.length === 0 ? r.manifests : r.manifests.filter((m) => !left(sourceFile(m)));
        const namespace = (0,_render_types_js__WEBPACK_IMPORTED_MODULE_6__/* .targetNamespace */ .b)(r.target);
        out.groups.push(namespace ? { manifests: kept, namespace } : { manifests: kept });
        (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_7__/* .pushAll */ .i)(out.manifests, kept);
        (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_7__/* .pushAll */ .i)(out.errors, r.errors);
        out.files.push((0,_render_types_js__WEBPACK_IMPORTED_MODULE_6__/* .targetName */ .j)(r.target));
    }
    for (const l of loads) {
        out.groups.push({ manifests: l.manifests });
        (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_7__/* .pushAll */ .i)(out.manifests, l.manifests);
        (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_7__/* .pushAll */ .i)(out.errors, l.errors);
        (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_7__/* .pushAll */ .i)(out.files, l.files);
    }
    return out;
}
/** The file an object comes from: its template or base for a rendered one. */
function sourceFile(m) {
    return (m.locateSource?.([]) ?? m.locate([])).file;
}


/***/ }),

/***/ 7304:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P3: () => (/* binding */ partitionDigest),
/* harmony export */   Xm: () => (/* binding */ selectShard),
/* harmony export */   eK: () => (/* binding */ shardPlan)
/* harmony export */ });
/* unused harmony exports PROCESS_COST_BYTES, sizeTargets */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _load_files_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8971);
/* harmony import */ var _model_hash_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9877);
/* harmony import */ var _model_partition_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3427);
/* harmony import */ var _pull_request_targets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(926);






/**
 * Which targets this job takes when the work is split across jobs (`--shard I/N`, the `shard`
 * input). Every shard discovers the same targets from the same commit and runs the same pure
 * partition (model/partition.ts) over them, so the shards agree without talking to each other.
 *
 * A target's size is what it costs to render and check, estimated from what is the same on every
 * machine: the bytes of its source files (its inputs as the pull-request job follows them: the
 * chart with its local dependencies and values files, the overlay with its bases, components and
 * patches, an app definition and what it reads), plus a fixed cost for the tool's process.
 */
/** What starting helm or kustomize costs, in bytes of source it could have read in that time. */
const PROCESS_COST_BYTES = 64 * 1024;
/**
 * This shard's targets, in their discovery order. `discovered` is whether discovery (not the
 * config's `targets:`) made them: it decides their ids, as in the pull-request job.
 */
async function selectShard(cwd, targets, spec, discovered = true) {
    const { items, info } = takeShard(await sizeTargets(cwd, targets, discovered), spec);
    return { targets: items.map((s) => s.target), info };
}
/**
 * The pull-request job's plan (each affected target, by key, with its head and base definition),
 * split the same way: each sized from its head, or its base when the change removes it.
 */
async function shardPlan(plan, spec, headCwd, baseCwd) {
    const size = sizer();
    const sized = [];
    for (const item of plan) {
        const side = item.head
            ? { cwd: headCwd, target: item.head }
            : { cwd: baseCwd ?? headCwd, target: item.base };
        sized.push({ id: item.key, size: await size(side.cwd, side.target), item });
    }
    const { items, info } = takeShard(sized, spec);
    return { items: items.map((s) => s.item), info };
}
/** The sized items shard `spec` takes, and what the result file says about it. */
function takeShard(sized, spec) {
    const mine = (0,_model_partition_js__WEBPACK_IMPORTED_MODULE_4__/* .shardItems */ .l6)(sized, spec);
    const position = new Map(sized.map((s, i) => [s, i]));
    return {
        items: mine,
        info: {
            spec,
            targets: mine.map((s) => s.id),
            positions: mine.map((s) => position.get(s)),
            total: sized.length,
            partition: partitionDigest(sized.map((s) => s.id)),
        },
    };
}
/** Each target with its id and estimated size. Folders shared by several targets are read once. */
async function sizeTargets(cwd, targets, discovered = true) {
    const size = sizer();
    const out = [];
    for (const target of targets)
        out.push({ id: (0,_pull_request_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .targetKey */ .hD)(target, discovered), size: await size(cwd, target), target });
    return out;
}
/** A target's estimated size; folders shared by several targets are read once per sizer. */
function sizer() {
    const dirs = new Map();
    const dirSize = (abs) => {
        let size = dirs.get(abs);
        if (!size) {
            size = treeBytes(abs);
            dirs.set(abs, size);
        }
        return size;
    };
    return async (cwd, target) => {
        const inputs = await (0,_pull_request_targets_js__WEBPACK_IMPORTED_MODULE_3__/* .targetInputs */ .lY)(cwd, target);
        // A folder inside another input folder (a vendored subchart) is counted with its parent.
        const roots = [...new Set(inputs.dirs)].filter((d) => !inputs.dirs.some((o) => o !== d && (0,_load_files_js__WEBPACK_IMPORTED_MODULE_2__/* .inFolder */ ._z)(d, o)));
        let bytes = 0;
        for (const d of roots)
            bytes += await dirSize(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, d));
        for (const f of new Set(inputs.files)) {
            if (roots.some((d) => (0,_load_files_js__WEBPACK_IMPORTED_MODULE_2__/* .inFolder */ ._z)(f, d)))
                continue;
            bytes += await fileBytes(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, f));
        }
        const renders = target.kind !== 'plain' || target.app !== undefined;
        return bytes + (renders ? PROCESS_COST_BYTES : 0);
    };
}
/** Every target id of a split, order aside, as a short digest. */
function partitionDigest(ids) {
    const sorted = unique(ids).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return (0,_model_hash_js__WEBPACK_IMPORTED_MODULE_5__/* .sha256Hex */ .f)(sorted.join('\n'), 16);
}
/** Bytes of the regular files under a folder; links are not followed, `.git` is skipped. */
async function treeBytes(dir) {
    const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir, { withFileTypes: true }).catch(() => undefined);
    if (!entries)
        return fileBytes(dir);
    let bytes = 0;
    for (const e of entries) {
        if (e.isDirectory()) {
            if (e.name !== '.git')
                bytes += await treeBytes(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, e.name));
        }
        else if (e.isFile()) {
            bytes += await fileBytes(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, e.name));
        }
    }
    return bytes;
}
async function fileBytes(file) {
    const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(file).catch(() => undefined);
    return st?.isFile() ? st.size : 0;
}
function unique(xs) {
    return [...new Set(xs)];
}


/***/ }),

/***/ 322:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ configAtBase)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _config_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2526);
/* harmony import */ var _load_files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8971);
/* harmony import */ var _render_git_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2408);





/**
 * The config as the base commit has it, looked up like `loadConfig` looks in `cwd` (the named
 * `file`, else the usual names). Without the base commit nothing trusted can be read: the
 * defaults apply, with an error that says so.
 */
async function configAtBase(cwd, baseSha, file) {
    const fetchError = await (0,_render_git_js__WEBPACK_IMPORTED_MODULE_4__/* .ensureCommit */ .q$)(cwd, baseSha);
    if (fetchError) {
        return {
            config: (0,_config_index_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultConfig */ .sb)(cwd),
            errors: [{ level: 'error', message: `config: ${fetchError}; the default config applies` }],
            notes: [],
        };
    }
    const root = await (0,_render_git_js__WEBPACK_IMPORTED_MODULE_4__/* .repoRoot */ .jv)(cwd).catch(() => cwd);
    for (const candidate of file ? [file] : _config_index_js__WEBPACK_IMPORTED_MODULE_2__/* .CONFIG_FILE_NAMES */ .HR) {
        const abs = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, candidate);
        const name = (0,_load_files_js__WEBPACK_IMPORTED_MODULE_3__/* .relativeName */ .IC)(cwd, abs);
        const atBase = await (0,_render_git_js__WEBPACK_IMPORTED_MODULE_4__/* .readFileAtCommit */ .ln)(cwd, baseSha, node_path__WEBPACK_IMPORTED_MODULE_1__.relative(root, abs));
        const atHead = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(abs, 'utf8').catch(() => undefined);
        if (atBase === undefined) {
            if (atHead === undefined)
                continue;
            return {
                config: (0,_config_index_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultConfig */ .sb)(cwd),
                errors: [],
                notes: [
                    `This pull request adds \`${name}\`: the config takes effect after merge; this run used the defaults, as the base branch has no config.`,
                ],
                trustedCommit: baseSha,
            };
        }
        const parsed = (0,_config_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseConfig */ .o4)(atBase, name, { dir: node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(abs), root });
        const notes = atHead !== atBase
            ? [
                `This pull request changes \`${name}\`: the change takes effect after merge; this run used the base branch's config.`,
            ]
            : [];
        return { ...parsed, notes, trustedCommit: baseSha };
    }
    const errors = file
        ? [{ level: 'error', message: `config ${file}: no such file at the base commit or the head` }]
        : [];
    return { config: (0,_config_index_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultConfig */ .sb)(cwd), errors, notes: [], trustedCommit: baseSha };
}


/***/ }),

/***/ 8971:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D6: () => (/* binding */ loadPaths),
/* harmony export */   IC: () => (/* binding */ relativeName),
/* harmony export */   MK: () => (/* binding */ decodeManifest),
/* harmony export */   SO: () => (/* binding */ compileGlob),
/* harmony export */   _z: () => (/* binding */ inFolder),
/* harmony export */   j3: () => (/* binding */ readsPath)
/* harmony export */ });
/* unused harmony export DEFAULT_MAX_FILE_BYTES */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _model_collections_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(412);
/* harmony import */ var _model_concurrency_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5866);
/* harmony import */ var _yaml_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4536);





const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform']);
async function loadPaths(inputs, options = {}) {
    const cwd = options.cwd ?? process.cwd();
    const exclude = (options.exclude ?? []).map(compileGlob);
    const result = { manifests: [], errors: [], files: [] };
    const files = [];
    for (const input of inputs) {
        if (input === '-') {
            files.push('-');
            continue;
        }
        const abs = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, input);
        const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(abs).catch(() => undefined);
        if (!st) {
            result.errors.push({ level: 'error', message: `${input}: no such file or folder` });
        }
        else if (st.isDirectory()) {
            (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .pushAll */ .i)(files, await walk(abs));
        }
        else {
            files.push(abs);
        }
    }
    const unique = [...new Set(files)]
        .map((abs) => ({ abs, rel: abs === '-' ? '<stdin>' : relativeName(cwd, abs) }))
        .filter(({ abs, rel }) => abs === '-' || !(options.skip?.(rel) || exclude.some((re) => re.test(rel))));
    // Reading is I/O-bound: keep several reads in flight, then parse in the order the files were named.
    const texts = await (0,_model_concurrency_js__WEBPACK_IMPORTED_MODULE_2__/* .mapConcurrent */ ._k)(unique, ({ abs, rel }) => abs === '-' ? (options.stdin ?? readStdin)() : readManifestFile(abs, rel, options, result.errors), READ_CONCURRENCY);
    unique.forEach(({ rel }, i) => {
        const text = texts[i];
        if (text === undefined)
            return;
        result.files.push(rel);
        const parsed = (0,_yaml_js__WEBPACK_IMPORTED_MODULE_3__/* .parseManifests */ .Ye)(text, rel, options);
        (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .pushAll */ .i)(result.manifests, parsed.manifests);
        (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .pushAll */ .i)(result.errors, parsed.errors);
    });
    return result;
}
const READ_CONCURRENCY = 16;
function relativeName(cwd, abs) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_1__.relative(cwd, abs);
    return (rel.startsWith('..') || node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute(rel) ? abs : rel).split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep).join('/');
}
async function readManifestFile(abs, rel, options, errors) {
    const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    try {
        const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(abs);
        if (st.size > limit) {
            errors.push({
                level: 'error',
                message: `file is ${mib(st.size)}, over the ${mib(limit)} limit; skipped`,
                location: { file: rel, line: 1, column: 1 },
            });
            return undefined;
        }
        const bytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(abs);
        const text = decodeManifest(bytes);
        if (text === undefined) {
            // kubectl would refuse it too; but a file that cannot be checked is never a silent pass.
            errors.push({
                level: 'error',
                message: 'not text (NUL bytes and no UTF-16 or UTF-32 byte order mark); not checked',
                location: { file: rel, line: 1, column: 1 },
            });
            return undefined;
        }
        return text;
    }
    catch (err) {
        errors.push({
            level: 'error',
            message: `cannot read: ${err.code ?? err.message}`,
            location: { file: rel, line: 1, column: 1 },
        });
        return undefined;
    }
}
/**
 * A manifest file's text. kubectl decodes UTF-16 with a byte order mark, so a manifest saved that
 * way is applied: it is checked too (and UTF-32 with a mark likewise). UTF-8, with or without its
 * mark, is the rest; NUL bytes without a mark mean it is not text: undefined.
 */
function decodeManifest(bytes) {
    const b = bytes;
    if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0)
        return utf32(b.subarray(4), true);
    if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)
        return utf32(b.subarray(4), false);
    if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe)
        return new TextDecoder('utf-16le').decode(b.subarray(2));
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff)
        return new TextDecoder('utf-16be').decode(b.subarray(2));
    if (b.subarray(0, 8192).includes(0))
        return undefined;
    return b.toString('utf8');
}
function utf32(b, littleEndian) {
    const codes = [];
    for (let i = 0; i + 3 < b.length; i += 4) {
        const cp = littleEndian ? b.readUInt32LE(i) : b.readUInt32BE(i);
        if (cp > 0x10ffff)
            return undefined;
        codes.push(String.fromCodePoint(cp));
    }
    return codes.join('');
}
async function walk(dir) {
    const out = [];
    const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
        const full = node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, e.name);
        if (e.isDirectory()) {
            if (!SKIP_DIRS.has(e.name))
                (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .pushAll */ .i)(out, await walk(full));
        }
        else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
            out.push(full);
        }
    }
    return out;
}
async function readStdin() {
    const chunks = [];
    for await (const chunk of process.stdin)
        chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}
function mib(bytes) {
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
function compileGlob(glob) {
    const base = glob.replace(/\/+$/, '');
    const patterns = base.includes('/')
        ? [base, `${base}/**`]
        : [base, `**/${base}`, `${base}/**`, `**/${base}/**`];
    return { test: (file) => patterns.some((p) => node_path__WEBPACK_IMPORTED_MODULE_1__.posix.matchesGlob(file, p)) };
}
/**
 * Is `file` the folder `dir` or under it? Both relative to one folder, with `/` (as git and the
 * config write them); `.` is that folder itself, so everything is under it.
 */
function inFolder(file, dir) {
    return dir === '.' || file === dir || file.startsWith(`${dir}/`);
}
/** Does the target read `file`: one of its files, or in one of its folders and not excluded? */
function readsPath(set, file) {
    return (set.files.includes(file) || (!set.excluded?.includes(file) && set.dirs.some((d) => inFolder(file, d))));
}


/***/ }),

/***/ 4536:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dq: () => (/* binding */ KUBERNETES_SCHEMA),
  Ye: () => (/* binding */ parseManifests)
});

// UNUSED EXPORTS: splitDocuments

// EXTERNAL MODULE: ./node_modules/js-yaml/dist/js-yaml.mjs
var js_yaml = __webpack_require__(3243);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
;// CONCATENATED MODULE: ./lib/load/positions.js

/** Read the first document's content from its events; null for an empty document. */
function readTree(events, source) {
    const anchors = new Map();
    let i = 0;
    const anchorOf = (e) => e.anchorStart >= 0 ? source.slice(e.anchorStart, e.anchorEnd).replace(/^[&*]/, '') : undefined;
    const read = () => {
        const e = events[i++];
        switch (e.type) {
            case js_yaml/* EVENT_ID */.hy.SCALAR: {
                const node = { kind: 'scalar', start: scalarStart(e, source) };
                remember(anchorOf(e), node);
                return node;
            }
            case js_yaml/* EVENT_ID */.hy.ALIAS: {
                const target = anchors.get(anchorOf(e) ?? '');
                return target ?? { kind: 'scalar', start: e.anchorStart };
            }
            case js_yaml/* EVENT_ID */.hy.SEQUENCE: {
                const node = { kind: 'seq', start: e.start, items: [] };
                remember(anchorOf(e), node);
                while (events[i].type !== js_yaml/* EVENT_ID */.hy.POP)
                    node.items.push(read());
                i++;
                return node;
            }
            case js_yaml/* EVENT_ID */.hy.MAPPING: {
                const node = { kind: 'map', start: e.start, entries: [], merges: [] };
                remember(anchorOf(e), node);
                while (events[i].type !== js_yaml/* EVENT_ID */.hy.POP) {
                    const keyEvent = events[i];
                    const keyNode = read();
                    const value = read();
                    if (keyEvent.type !== js_yaml/* EVENT_ID */.hy.SCALAR)
                        continue; // complex keys never name Kubernetes fields
                    const key = (0,js_yaml/* getScalarValue */.KE)(source, keyEvent);
                    if (key === '<<' && keyEvent.style === js_yaml/* SCALAR_STYLE */.jK.PLAIN) {
                        node.merges.push(...(value.kind === 'seq' ? value.items : [value]));
                        continue;
                    }
                    const resolvedKey = keyEvent.style === js_yaml/* SCALAR_STYLE */.jK.PLAIN ? resolvePlainKey(key) : key;
                    node.entries.push({ key, resolvedKey, keyStart: keyNode.start, value });
                }
                i++;
                return node;
            }
            default:
                throw new Error(`unexpected YAML event ${e.type}`);
        }
    };
    const remember = (anchor, node) => {
        if (anchor)
            anchors.set(anchor, node);
    };
    while (i < events.length && events[i].type !== js_yaml/* EVENT_ID */.hy.DOCUMENT)
        i++;
    i++;
    if (i >= events.length || events[i].type === js_yaml/* EVENT_ID */.hy.POP)
        return null;
    return read();
}
/** The offset of the node at `segments`, or of the nearest parent that exists. */
function locateOffset(root, segments) {
    let node = root;
    let best = root.start;
    for (const seg of segments) {
        if (typeof seg === 'number') {
            if (node.kind !== 'seq' || !node.items[seg])
                break;
            node = node.items[seg];
            best = node.start;
        }
        else {
            const entry = node.kind === 'map' ? findEntry(node, seg, 0) : undefined;
            if (!entry)
                break;
            best = entry.keyStart;
            node = entry.value;
        }
    }
    return best;
}
function findEntry(node, key, depth) {
    if (node.kind !== 'map' || depth > 16)
        return undefined;
    // the last occurrence wins, as it does when the value is built
    for (let k = node.entries.length - 1; k >= 0; k--) {
        const e = node.entries[k];
        if (e.key === key || e.resolvedKey === key)
            return e;
    }
    for (const merged of node.merges) {
        const found = findEntry(merged, key, depth + 1);
        if (found)
            return found;
    }
    return undefined;
}
/** Quoted scalars start at their opening quote. */
function scalarStart(e, source) {
    const quoted = e.style === js_yaml/* SCALAR_STYLE */.jK.SINGLE_QUOTED || e.style === js_yaml/* SCALAR_STYLE */.jK.DOUBLE_QUOTED;
    return quoted && e.valueStart > 0 && /['"]/.test(source[e.valueStart - 1])
        ? e.valueStart - 1
        : e.valueStart;
}
const YAML11_TRUE = /^(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/;
const YAML11_FALSE = /^(n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/;
const YAML11_NULL = /^(~|null|Null|NULL|)$/;
function resolvePlainKey(key) {
    if (YAML11_TRUE.test(key))
        return 'true';
    if (YAML11_FALSE.test(key))
        return 'false';
    if (YAML11_NULL.test(key))
        return 'null';
    if (/^[-+]?(0|[1-9][0-9_]*)$/.test(key))
        return String(Number(key.replace(/_/g, '')));
    return key;
}
/**
 * Offsets of a document's nodes in the order a walk of its constructed value visits them: a node,
 * then for a map each key followed by its value's nodes, for a list each item's nodes. Taken from
 * the parse that built the value, so locating a field later needs no second parse. Undefined when
 * the value's shape does not follow the text one to one: aliases and merge keys (one node in the
 * text, many in the value), explicit tags, and integer-like keys, which JavaScript objects reorder.
 */
function preorderOffsets(events, source) {
    const out = [];
    return preorderOffsetsInto(events, source, out) === undefined ? undefined : Int32Array.from(out);
}
/**
 * {@link preorderOffsets}, appended to `out` (a file's documents share one array, so that 50,000
 * small documents are not 50,000 typed arrays of their own): how many were appended, or undefined
 * (and `out` as it was) when the offsets do not apply.
 */
function preorderOffsetsInto(events, source, out) {
    const before = out.length;
    let i = 0;
    const walk = () => {
        const e = events[i++];
        switch (e.type) {
            case js_yaml/* EVENT_ID */.hy.SCALAR:
                if (e.tagStart >= 0)
                    return false;
                out.push(scalarStart(e, source));
                return true;
            case js_yaml/* EVENT_ID */.hy.SEQUENCE:
                if (e.tagStart >= 0)
                    return false;
                out.push(e.start);
                while (events[i].type !== js_yaml/* EVENT_ID */.hy.POP)
                    if (!walk())
                        return false;
                i++;
                return true;
            case js_yaml/* EVENT_ID */.hy.MAPPING:
                if (e.tagStart >= 0)
                    return false;
                out.push(e.start);
                while (events[i].type !== js_yaml/* EVENT_ID */.hy.POP) {
                    const key = events[i++];
                    if (key.type !== js_yaml/* EVENT_ID */.hy.SCALAR || key.tagStart >= 0)
                        return false;
                    // A plain key that starts with a letter is itself, true, false or null: none of them is
                    // `<<`, `__proto__` or a number, so most keys are not read. One that starts like a number
                    // may be one in any of YAML 1.1's forms (`0x1F`, `0o17`, `1_000`, `+3`): JavaScript would
                    // put it first if it is an integer, so such a document is located by parsing it again.
                    const first = key.style === js_yaml/* SCALAR_STYLE */.jK.PLAIN ? source.charCodeAt(key.valueStart) : -1;
                    if (first >= 0 && NUMBER_START.test(source[key.valueStart]))
                        return false;
                    if (!isLetter(first)) {
                        const text = (0,js_yaml/* getScalarValue */.KE)(source, key);
                        const resolved = key.style === js_yaml/* SCALAR_STYLE */.jK.PLAIN ? resolvePlainKey(text) : text;
                        if (resolved === '<<' || resolved === '__proto__' || INDEX_LIKE.test(resolved))
                            return false;
                    }
                    out.push(scalarStart(key, source));
                    if (!walk())
                        return false;
                }
                i++;
                return true;
            default:
                return false; // aliases
        }
    };
    while (i < events.length && events[i].type !== js_yaml/* EVENT_ID */.hy.DOCUMENT)
        i++;
    i++;
    if (i >= events.length || events[i].type === js_yaml/* EVENT_ID */.hy.POP)
        return undefined;
    if (walk())
        return out.length - before;
    out.length = before;
    return undefined;
}
const NUMBER_START = /[-+.0-9]/;
function isLetter(c) {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
/** Keys JavaScript objects put first, whatever their order in the text. */
const INDEX_LIKE = /^(0|[1-9][0-9]*)$/;
/**
 * Locate with offsets from {@link preorderOffsets}: walk the value and the offsets together.
 * Undefined when the value no longer has the shape it was parsed with (someone changed it).
 * `prefix` is walked first (an item of a List is located under its place in the List), unless
 * `start` says where it leads (see {@link itemStartOf}).
 */
function locateByOrder(offsets, root, segments, from = 0, count = offsets.length - from, prefix = NO_SEGMENTS, start) {
    if (!ordered(root, count))
        return undefined;
    let index = start ? start.index : from;
    let node = start ? start.node : root;
    let best = offsets[index];
    // `prefix` then `segments`, without an array of both per call.
    const steps = prefix.length + segments.length;
    for (let k = start ? prefix.length : 0; k < steps; k++) {
        const seg = k < prefix.length ? prefix[k] : segments[k - prefix.length];
        const child = childIndex(node, index, seg);
        if (child < 0)
            break;
        // A key's own offset for a field (its line), an item's for an item.
        best = offsets[typeof seg === 'number' ? child : child - 1];
        index = child;
        node = node[seg];
    }
    return best;
}
/**
 * The node and offset index `prefix` leads to in a document whose offsets (`count` of them, from
 * `from`) apply, or undefined. Found once per List item: its findings then walk only their own
 * path (a 4,000-item List's 40,000 findings walked the List's top for each).
 */
function itemStartOf(root, prefix, from, count) {
    if (!ordered(root, count))
        return undefined;
    let index = from;
    let node = root;
    for (const seg of prefix) {
        const child = childIndex(node, index, seg);
        if (child < 0)
            return undefined;
        index = child;
        node = node[seg];
    }
    return { node, index };
}
/**
 * The index of the offset of `node[seg]` (its value's, for a key) given `node`'s own at `index`;
 * -1 when it has none.
 */
function childIndex(node, index, seg) {
    if (typeof seg === 'number') {
        if (!Array.isArray(node) || seg >= node.length)
            return -1;
        return index + itemStart(node, seg);
    }
    if (!isPlainObject(node) || !Object.hasOwn(node, seg))
        return -1;
    // The keys before `seg`, in the object's own order (`for in` over a plain object made from
    // YAML, whose prototype is empty of enumerable keys): no array of keys per finding.
    let j = index + 1;
    for (const key in node) {
        if (key === seg)
            break;
        j += 1 + nodeCount(node[key]);
    }
    return j + 1;
}
const NO_SEGMENTS = [];
/** Whether a value still has the shape it was parsed with: as many nodes as offsets were kept. */
function ordered(root, count) {
    return nodeCount(root) === count;
}
/**
 * Subtree sizes are asked for again and again while a document's findings are located (every
 * item before the one wanted, for every finding): large subtrees keep theirs, so that locating
 * stays linear in the document however many findings it has (a Deployment with 10,000
 * containers). Small ones are counted again, which is cheaper than remembering them.
 */
const CACHE_FROM = 32;
const sizes = new WeakMap();
const itemStarts = new WeakMap();
function nodeCount(value) {
    if (typeof value !== 'object' || value === null)
        return 1;
    const known = sizes.get(value);
    if (known !== undefined)
        return known;
    let n = 1;
    if (Array.isArray(value)) {
        for (const item of value)
            n += nodeCount(item);
    }
    else if (isPlainObject(value)) {
        for (const key in value)
            n += 1 + nodeCount(value[key]);
    }
    if (n > CACHE_FROM)
        sizes.set(value, n);
    return n;
}
/** How many nodes after a list's own node its item `k` starts: 1 + the sizes of the items before. */
function itemStart(list, k) {
    if (list.length <= CACHE_FROM) {
        let j = 1;
        for (let i = 0; i < k; i++)
            j += nodeCount(list[i]);
        return j;
    }
    let starts = itemStarts.get(list);
    if (!starts) {
        starts = new Int32Array(list.length);
        let j = 1;
        for (let i = 0; i < list.length; i++) {
            starts[i] = j;
            j += nodeCount(list[i]);
        }
        itemStarts.set(list, starts);
    }
    return starts[k];
}
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

;// CONCATENATED MODULE: ./lib/load/yaml.js



const DEFAULT_MAX_ALIAS_EXPANSION = 100_000;
/** What a document's aliases may expand its text to: far above any real manifest (the file limit is 16 MiB). */
const DEFAULT_MAX_ALIAS_BYTES = 32 * 1024 * 1024;
/**
 * kubectl reads YAML 1.1 (`yes`, `on` are booleans, `0755` is octal), so we do too; timestamps stay
 * strings, as JSON (and so the API server) has no dates. Helm and kustomize read values files,
 * Chart.yaml and kustomizations the same way (render/yaml-data.ts).
 */
const KUBERNETES_SCHEMA = new js_yaml/* Schema */.Sj([
    js_yaml/* strTag */.ym,
    js_yaml/* seqTag */.UD,
    js_yaml/* mapTag */.pj,
    js_yaml/* nullYaml11Tag */.L2,
    js_yaml/* boolYaml11Tag */.iE,
    js_yaml/* intYaml11Tag */.Bg,
    js_yaml/* floatYaml11Tag */.o5,
    js_yaml/* mergeTag */.LJ,
    js_yaml/* binaryTag */.kt,
]);
function parseManifests(text, file, options = {}) {
    const manifests = [];
    const errors = [];
    if (text.charCodeAt(0) === 0xfeff)
        text = text.slice(1); // editors do not count the BOM as a column
    const lines = new LineIndex(text, file);
    const maxExpansion = options.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION;
    const maxBytes = options.maxAliasBytes ?? DEFAULT_MAX_ALIAS_BYTES;
    // Every document's offsets in one typed array for the file (filled in when the file is done).
    const offsets = [];
    const pool = { data: EMPTY_OFFSETS };
    splitDocuments(text).forEach((chunk, docIndex) => {
        const source = text.slice(chunk.start, chunk.end);
        let events;
        try {
            events = (0,js_yaml/* parseEvents */.PH)(source, {});
        }
        catch (err) {
            errors.push(withTemplateHint(syntaxError(err, chunk, lines, source), source));
            return;
        }
        let value;
        try {
            [value] = (0,js_yaml/* constructFromEvents */.fw)(events, { source, schema: KUBERNETES_SCHEMA });
        }
        catch (err) {
            errors.push(withTemplateHint(syntaxError(err, chunk, lines, source), source));
            return;
        }
        if (value === null || value === undefined)
            return;
        const hasAliases = events.some((e) => e.type === js_yaml/* EVENT_ID */.hy.ALIAS);
        if (hasAliases) {
            const size = expandedSize(value, { nodes: maxExpansion, bytes: maxBytes });
            if (size.nodes > maxExpansion || size.bytes > maxBytes) {
                const what = size.nodes > maxExpansion ? `${maxExpansion} nodes` : `${maxBytes / 1024 / 1024} MiB`;
                errors.push({
                    level: 'error',
                    message: `document ${docIndex + 1}: aliases expand to more than ${what}; not loaded`,
                    location: lines.at(firstContentOffset(events, chunk)),
                });
                return;
            }
            // Aliased nodes are shared objects; give every field its own copy, as the API server would.
            value = unshare(value);
        }
        const from = offsets.length;
        const count = hasAliases ? undefined : preorderOffsetsInto(events, source, offsets);
        const located = new DocumentPositions(source, chunk.start, lines, value, pool, from, count);
        collect(value, [], docIndex, located, manifests, errors);
    });
    if (offsets.length > 0)
        pool.data = Int32Array.from(offsets);
    return { manifests, errors };
}
const EMPTY_OFFSETS = new Int32Array(0);
/**
 * Split a YAML stream at its document markers. A `---` or `...` at the start of a line can only be
 * a marker (the spec forbids them inside content), so this split is exact. Slices holding nothing
 * but comments, directives and blank lines are joined to the document that follows.
 */
function splitDocuments(text) {
    const chunks = [];
    let start = 0;
    let hasContent = false; // does the slice since `start` hold a document (content, or a `---`)?
    for (let pos = 0; pos < text.length;) {
        const nl = text.indexOf('\n', pos);
        const next = nl < 0 ? text.length : nl + 1;
        // Inside a document only a line that starts with `-` or `.` can be a marker: the others are
        // passed over without being read (a document of 20,000 lines).
        const first = text.charCodeAt(pos);
        if (hasContent && first !== 45 && first !== 46) {
            pos = next;
            continue;
        }
        const line = text.slice(pos, nl < 0 ? text.length : nl).replace(/\r$/, '');
        if (/^---(\s|$)/.test(line)) {
            if (hasContent) {
                chunks.push({ start, end: pos });
                start = pos;
            }
            hasContent = true; // even a bare `---` opens a (possibly empty) document
        }
        else if (/^\.\.\.(\s|$)/.test(line)) {
            if (hasContent)
                chunks.push({ start, end: next });
            start = next;
            hasContent = false;
        }
        else if (!hasContent && !/^\s*(#.*)?$/.test(line) && !line.startsWith('%')) {
            hasContent = true;
        }
        pos = next;
    }
    if (hasContent)
        chunks.push({ start, end: text.length });
    return chunks;
}
function collect(value, prefix, docIndex, positions, out, errors) {
    const here = () => positions.locate(prefix);
    if (!(0,types/* isRecord */.u4)(value)) {
        errors.push({
            level: 'note',
            message: `document ${docIndex + 1} is not a mapping; skipped`,
            location: here(),
        });
        return;
    }
    const { apiVersion, kind } = value;
    const hasApiVersion = typeof apiVersion === 'string' && apiVersion !== '';
    const hasKind = typeof kind === 'string' && kind !== '';
    if (!hasApiVersion || !hasKind) {
        const missing = [hasApiVersion ? '' : 'apiVersion', hasKind ? '' : 'kind'].filter(Boolean).join(' and ');
        errors.push({
            level: 'note',
            message: `not a Kubernetes object (no ${missing}); skipped`,
            location: here(),
        });
        return;
    }
    // `kind: List` (and the typed FooList forms) wrap other objects in `items`.
    if (kind === 'List' ||
        (kind.endsWith('List') && Array.isArray(value.items) && !(0,types/* isRecord */.u4)(value.spec))) {
        const items = Array.isArray(value.items) ? value.items : [];
        items.forEach((item, i) => {
            collect(item, [...prefix, 'items', i], docIndex, positions, out, errors);
        });
        return;
    }
    if (!(0,types/* isRecord */.u4)(value.metadata))
        value.metadata = {};
    const object = value;
    out.push({
        object,
        ref: (0,types/* refOf */.H8)(object),
        file: positions.file,
        doc: docIndex,
        locate: locator(positions, prefix.length === 0 ? undefined : prefix),
        locatesQuickly: positions.quick,
    });
}
/**
 * A manifest's `locate`: a closure over just what it needs (there is one per object, kept for the
 * run). A List item finds where it starts once, for all its findings.
 */
function locator(positions, base) {
    if (!base)
        return (segments) => positions.locate(segments);
    let start;
    return (segments) => {
        start ??= positions.itemStart(base);
        return positions.locate(segments, base, start);
    };
}
/**
 * Positions of one document. Usually read off the offsets kept from its parse, in the order a walk
 * of the value visits its nodes; when those do not apply (aliases, reordered keys, or a value
 * changed since it was parsed), the document is parsed again for its shape. Only the most recently
 * used of those shapes are kept (the engine asks document by document), so memory stays flat.
 */
class DocumentPositions {
    source;
    base;
    lines;
    root;
    pool;
    from;
    count;
    static recent = new Map();
    static KEEP = 8;
    constructor(source, base, lines, root, pool, from, 
    /** How many offsets the document has in the pool; undefined when they do not apply (aliases). */
    count) {
        this.source = source;
        this.base = base;
        this.lines = lines;
        this.root = root;
        this.pool = pool;
        this.from = from;
        this.count = count;
    }
    get file() {
        return this.lines.file;
    }
    /**
     * Whether `locate` answers from the offsets kept at parse time, without parsing again. One
     * function per document, which its objects share (a List's 4,000 items).
     */
    quick = () => this.count !== undefined && ordered(this.root, this.count);
    /** Where `prefix` leads in the offsets (a List item's start), when they apply. */
    itemStart(prefix) {
        return this.count === undefined ? undefined : itemStartOf(this.root, prefix, this.from, this.count);
    }
    /**
     * Where `prefix` then `segments` leads (`prefix`: an item's place in its List; `start`: where it
     * leads in the offsets, when known).
     */
    locate(segments, prefix, start) {
        const fast = this.count === undefined
            ? undefined
            : locateByOrder(this.pool.data, this.root, segments, this.from, this.count, prefix, start);
        if (fast !== undefined)
            return this.lines.at(this.base + fast);
        const tree = this.tree();
        const path = prefix ? [...prefix, ...segments] : segments;
        return this.lines.at(this.base + (tree ? locateOffset(tree, path) : 0));
    }
    tree() {
        const recent = DocumentPositions.recent;
        let tree = recent.get(this);
        if (tree !== undefined) {
            recent.delete(this);
        }
        else {
            tree = readTree((0,js_yaml/* parseEvents */.PH)(this.source, {}), this.source);
            if (recent.size >= DocumentPositions.KEEP)
                recent.delete(recent.keys().next().value);
        }
        recent.set(this, tree);
        return tree;
    }
}
/**
 * Offsets -> 1-based line and column, by binary search over the line starts. The place of an
 * offset asked for again is the same object (locations are never changed): the findings on one
 * container share the line and column of its first field.
 */
class LineIndex {
    text;
    file;
    starts;
    known = new Map();
    constructor(text, file) {
        this.text = text;
        this.file = file;
    }
    at(offset) {
        const known = this.known.get(offset);
        if (known)
            return known;
        if (!this.starts) {
            const starts = [0];
            for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1))
                starts.push(i + 1);
            this.starts = Int32Array.from(starts); // kept for the run: half the size of the array
        }
        const starts = this.starts;
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        const at = { file: this.file, line: lo + 1, column: offset - starts[lo] + 1 };
        this.known.set(offset, at);
        return at;
    }
}
/** A Go or Jinja template tag (`{{ .Values.x }}`, `{{- include`, `{% raw %}`, `{%- if`). */
const TEMPLATE_TAG = /\{\{-?\s*[.$\w(]|\{%-?\s*\w/;
/**
 * A document that does not parse and holds template tags is a template, not a manifest (a docs
 * snippet wrapped in `{% raw %}`, a Helm template outside a chart). Still an error: whatever renders
 * it may deploy the result, and it is not checked. The message says what to do about it.
 */
function withTemplateHint(error, source) {
    const tag = TEMPLATE_TAG.exec(source);
    if (!tag)
        return error;
    const opener = tag[0].startsWith('{%') ? '{% … %}' : '{{ … }}';
    return {
        ...error,
        message: `${error.message} (it holds template tags, ${opener}: it is YAML only once rendered; check what renders it, or list it under exclude in .shipshape.yaml)`,
    };
}
function syntaxError(err, chunk, lines, source) {
    if (err instanceof js_yaml/* YAMLException */.tB) {
        const position = err.mark?.position ?? 0;
        // An unclosed `[`, `{` or quote is only noticed where the next line starts: point at the opening.
        const opener = err.reason === 'deficient indentation' ? unclosedOpener(source, position) : undefined;
        if (opener) {
            return {
                level: 'error',
                message: `YAML syntax error: unclosed ${opener.what}`,
                location: lines.at(chunk.start + opener.at),
            };
        }
        return {
            level: 'error',
            message: `YAML syntax error: ${err.reason}`,
            location: lines.at(chunk.start + position),
        };
    }
    return {
        level: 'error',
        message: `YAML error: ${err.message}`,
        location: lines.at(chunk.start),
    };
}
/** The last unbalanced `[`, `{` or quote on the content line before `offset`, if any. */
function unclosedOpener(source, offset) {
    let end = source.lastIndexOf('\n', offset - 1);
    while (end > 0) {
        const start = source.lastIndexOf('\n', end - 1) + 1;
        const line = source.slice(start, end);
        if (line.trim() === '' || line.trimStart().startsWith('#')) {
            end = start - 1;
            continue;
        }
        const stack = [];
        let quote;
        for (let k = 0; k < line.length; k++) {
            const ch = line[k];
            if (quote) {
                if (ch === quote.ch)
                    quote = undefined;
            }
            else if (ch === '"' || (ch === "'" && /[\s:[{,]/.test(line[k - 1] ?? ' ')))
                quote = { ch, at: start + k };
            else if (ch === '[' || ch === '{')
                stack.push({ ch, at: start + k });
            else if ((ch === ']' || ch === '}') && stack.length > 0)
                stack.pop();
            else if (ch === '#' && /\s/.test(line[k - 1] ?? ' '))
                break;
        }
        if (quote)
            return { what: 'quote', at: quote.at };
        const open = stack.at(-1);
        return open ? { what: open.ch, at: open.at } : undefined;
    }
    return undefined;
}
function firstContentOffset(events, chunk) {
    for (const e of events) {
        if ('start' in e)
            return chunk.start + e.start;
        if ('valueStart' in e)
            return chunk.start + e.valueStart;
    }
    return chunk.start;
}
/**
 * What a value expands to, counting shared (aliased) nodes every time: its nodes, and the bytes of
 * its strings (one 1 MiB string aliased a thousand times is a gigabyte of output everywhere it is
 * printed). Stops counting past either limit.
 */
function expandedSize(value, limits) {
    const memo = new Map();
    const size = (v) => {
        if (typeof v === 'string')
            return { nodes: 1, bytes: v.length };
        if (typeof v !== 'object' || v === null)
            return { nodes: 1, bytes: 8 };
        const known = memo.get(v);
        if (known !== undefined)
            return known;
        const total = { nodes: 1, bytes: 0 };
        for (const [key, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
            const s = size(child);
            total.nodes += s.nodes;
            total.bytes += s.bytes + (typeof key === 'string' ? key.length : 0);
            if (total.nodes > limits.nodes || total.bytes > limits.bytes)
                break;
        }
        memo.set(v, total);
        return total;
    };
    return size(value);
}
/**
 * A copy in which every aliased node is a node of its own, as the API server would have it.
 * Strings are immutable, so they are shared, not copied (structuredClone would copy each one).
 */
function unshare(value) {
    if (typeof value !== 'object' || value === null)
        return value;
    if (Array.isArray(value))
        return value.map(unshare);
    if (ArrayBuffer.isView(value))
        return value; // !!binary
    const out = {};
    for (const [k, v] of Object.entries(value)) {
        if (k === '__proto__')
            Object.defineProperty(out, k, {
                value: unshare(v),
                enumerable: true,
                writable: true,
                configurable: true,
            });
        else
            out[k] = unshare(v);
    }
    return out;
}


/***/ }),

/***/ 412:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ pushTo),
/* harmony export */   i: () => (/* binding */ pushAll)
/* harmony export */ });
/** Append to the list under `key`, creating it on first use. */
function pushTo(map, key, value) {
    const list = map.get(key);
    if (list)
        list.push(value);
    else
        map.set(key, [value]);
}
/**
 * Append every item of `items` to `target`. Not `target.push(...items)`: a spread passes each item
 * as an argument on the stack, and a run's lists (80,000 findings of one Deployment, the objects of
 * a file of 200,000 documents) overflow it.
 */
function pushAll(target, items) {
    for (const item of items)
        target.push(item);
}


/***/ }),

/***/ 5866:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PV: () => (/* binding */ defaultConcurrency),
/* harmony export */   TA: () => (/* binding */ limiter),
/* harmony export */   _k: () => (/* binding */ mapConcurrent)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8161);

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
            // A task that throws before returning its promise still gives its slot back.
            new Promise((run) => run(task())).then(resolve, reject).finally(() => {
                active--;
                next();
            });
        });
        next();
    });
}
/** Run `work` over `items` with at most `limit` in flight; results keep the input order. */
function mapConcurrent(items, work, limit = defaultConcurrency()) {
    const bounded = limiter(Math.max(1, limit));
    return Promise.all(items.map((item, i) => bounded(() => work(item, i))));
}
/** One render per core: helm and kustomize are CPU-bound and single-threaded per call. */
function defaultConcurrency() {
    return Math.max(1, node_os__WEBPACK_IMPORTED_MODULE_0__.availableParallelism?.() ?? node_os__WEBPACK_IMPORTED_MODULE_0__.cpus().length);
}


/***/ }),

/***/ 9877:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ sha256Hex)
/* harmony export */ });
/**
 * SHA-256, the project's one digest: findings' fingerprints, comment markers, shard digests,
 * Flux release names, CA identities. `node:crypto` is loaded when something is first hashed (6 ms
 * of start-up): a check printed to the terminal hashes nothing.
 */
/** The SHA-256 of `data` (text as UTF-8) as its first `digits` hex digits (all 64 by default). */
function sha256Hex(data, digits = 64) {
    // The digest as a latin1 ('binary') string, and only the bytes wanted made hex through Buffer's
    // shared pool: a Buffer of its own per digest would hold native memory until a full collection
    // (100,000 fingerprints).
    const digest = process.getBuiltinModule('node:crypto').hash('sha256', data, 'binary');
    const hex = Buffer.from(digest.slice(0, Math.ceil(digits / 2)), 'latin1').toString('hex');
    return digits % 2 === 0 ? hex : hex.slice(0, digits);
}


/***/ }),

/***/ 3427:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Zj: () => (/* binding */ ShardError),
/* harmony export */   _D: () => (/* binding */ formatShard),
/* harmony export */   l6: () => (/* binding */ shardItems),
/* harmony export */   uK: () => (/* binding */ parseShard)
/* harmony export */ });
/* unused harmony exports MAX_SHARDS, partition */
/**
 * Sharding: which of N jobs (an Actions matrix) does which part of the work. The partition is a
 * pure function of the items' ids and sizes, so every shard, on any machine and in any run,
 * computes the same split without talking to the others, and the shards together cover every
 * item exactly once.
 *
 * Balance is by size, not count: greedy longest-processing-time (the biggest item first, each to
 * the shard with the least work so far), which is never worse than 4/3 of the best split. Ties
 * are broken by id (plain code-unit order, never the locale's), then by the shard with fewest
 * items, then by the lowest shard.
 */
/** More shards than this is a typo, not a matrix (GitHub allows 256 jobs per matrix). */
const MAX_SHARDS = 256;
class ShardError extends Error {
}
/** `I/N` with 1 <= I <= N <= 256; anything else is a ShardError saying what is wrong. */
function parseShard(text) {
    const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
    if (!m)
        throw new ShardError(`shard "${text}" is not I/N (this job's number, then how many jobs), e.g. 2/4`);
    const index = Number(m[1]);
    const count = Number(m[2]);
    if (count < 1 || count > MAX_SHARDS)
        throw new ShardError(`shard "${text}": the number of shards must be 1 to ${MAX_SHARDS}`);
    if (index < 1 || index > count)
        throw new ShardError(`shard "${text}": this job's number must be 1 to ${count} (shards count from 1)`);
    return { index, count };
}
function formatShard(spec) {
    return `${spec.index}/${spec.count}`;
}
/**
 * Split `items` into `count` shards. Items that share an id stay together (one unit, sizes
 * summed), so the split never depends on the order they came in. Each shard keeps the input
 * order, so a shard's output reads like the matching part of an unsharded run.
 */
function partition(items, count) {
    if (!Number.isInteger(count) || count < 1)
        throw new ShardError(`cannot split into ${count} shards`);
    const units = new Map();
    for (const item of items)
        units.set(item.id, (units.get(item.id) ?? 0) + cost(item.size));
    const order = [...units].sort(([a, sa], [b, sb]) => sb - sa || (a < b ? -1 : a > b ? 1 : 0));
    const load = new Array(count).fill(0);
    const held = new Array(count).fill(0);
    const shardOf = new Map();
    for (const [id, size] of order) {
        // The least loaded shard; among equals the one with fewest items (so items of no size
        // spread too), then the first.
        let best = 0;
        for (let s = 1; s < count; s++)
            if (load[s] < load[best] || (load[s] === load[best] && held[s] < held[best]))
                best = s;
        load[best] += size;
        held[best]++;
        shardOf.set(id, best);
    }
    const shards = Array.from({ length: count }, () => []);
    for (const item of items)
        shards[shardOf.get(item.id)].push(item);
    return shards;
}
/** The items shard `spec` takes (all of them for 1/1). */
function shardItems(items, spec) {
    if (spec.count === 1)
        return [...items];
    return partition(items, spec.count)[spec.index - 1];
}
/** Sizes are estimates: anything that is not a finite, non-negative number counts as nothing. */
function cost(size) {
    return Number.isFinite(size) && size > 0 ? size : 0;
}


/***/ }),

/***/ 3070:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Rr: () => (/* binding */ parsePath),
/* harmony export */   TH: () => (/* binding */ listKeys),
/* harmony export */   Uo: () => (/* binding */ LIST_KEYS),
/* harmony export */   dh: () => (/* binding */ mergeKeyOf),
/* harmony export */   jV: () => (/* binding */ formatPath),
/* harmony export */   o1: () => (/* binding */ resolvePath),
/* harmony export */   sM: () => (/* binding */ getAt)
/* harmony export */ });
/* harmony import */ var _text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7798);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3356);


/**
 * Field paths read the way people talk about manifests. Lists with a merge key are addressed by
 * that key (`containers[name=app]`), never by index; other lists by index (`rules[0]`).
 */
/**
 * The fields that key the items of the built-in kinds' lists, by the list's name: their
 * strategic-merge keys (`containers` by `name`, `volumeMounts` by `mountPath`). Field paths
 * address list items by them, and drift's built-in fallback pairs list items by them
 * (drift/schema.ts); each adds the few lists only it keys.
 */
const LIST_KEYS = {
    containers: ['name'],
    initContainers: ['name'],
    ephemeralContainers: ['name'],
    env: ['name'],
    volumes: ['name'],
    volumeMounts: ['mountPath'],
    volumeDevices: ['devicePath'],
    imagePullSecrets: ['name'],
    hostAliases: ['ip'],
    conditions: ['type'],
    containerStatuses: ['name'],
    initContainerStatuses: ['name'],
    ephemeralContainerStatuses: ['name'],
};
/** `table[name]`, own entries only: a list named `constructor` or `toString` has no keys. */
function listKeys(table, name) {
    return Object.hasOwn(table, name) ? table[name] : undefined;
}
/** For addressing: a port by its number (or name), a claim template by its name, a subject by its name. */
const MERGE_KEYS = {
    ...LIST_KEYS,
    ports: ['containerPort', 'port', 'name'],
    volumeClaimTemplates: ['metadata.name'],
    subjects: ['name'],
};
function mergeKeyOf(listField, item) {
    const keys = listKeys(MERGE_KEYS, listField);
    if (!keys || !(0,_types_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(item))
        return undefined;
    for (const key of keys) {
        const value = key.includes('.')
            ? key.split('.').reduce((o, k) => ((0,_types_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(o) ? o[k] : undefined), item)
            : item[key];
        if (typeof value === 'string' || typeof value === 'number')
            return { key, value: String(value) };
    }
    return undefined;
}
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
/** Format a concrete path (keys and indexes) against the object it walks, using merge keys. */
function formatPath(root, segments) {
    let out = '';
    let node = root;
    let parentKey = '';
    for (let i = 0; i < segments.length; i++) {
        const seg = segments[i];
        if (typeof seg === 'number') {
            const item = Array.isArray(node) ? node[seg] : undefined;
            const mk = mergeKeyOf(parentKey, item);
            out += mk ? `[${mk.key}=${mk.value}]` : `[${seg}]`;
            node = item;
        }
        else {
            out += !PLAIN_KEY.test(seg) ? `[${JSON.stringify(seg)}]` : i > 0 ? `.${seg}` : seg;
            node = (0,_types_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(node) ? node[seg] : undefined;
            parentKey = seg;
        }
    }
    // One piece: a finding keeps its path for the run.
    return (0,_text_js__WEBPACK_IMPORTED_MODULE_1__/* .flat */ .Ct)(out);
}
function parsePath(path) {
    const steps = [];
    let i = 0;
    while (i < path.length) {
        const ch = path[i];
        if (ch === '.') {
            i++;
            continue;
        }
        if (ch === '[') {
            const end = findClosingBracket(path, i);
            const inner = path.slice(i + 1, end);
            i = end + 1;
            if (inner.startsWith('"'))
                steps.push({ key: JSON.parse(inner) });
            else if (/^\d+$/.test(inner))
                steps.push({ index: Number(inner) });
            else {
                const eq = inner.indexOf('=');
                if (eq < 0)
                    throw new Error(`bad field path ${path}: [${inner}]`);
                steps.push({ match: { key: inner.slice(0, eq), value: inner.slice(eq + 1) } });
            }
            continue;
        }
        let j = i;
        while (j < path.length && path[j] !== '.' && path[j] !== '[')
            j++;
        steps.push({ key: path.slice(i, j) });
        i = j;
    }
    return steps;
}
function findClosingBracket(path, open) {
    let inString = false;
    for (let i = open + 1; i < path.length; i++) {
        const c = path[i];
        if (inString) {
            if (c === '\\')
                i++;
            else if (c === '"')
                inString = false;
        }
        else if (c === '"')
            inString = true;
        else if (c === ']')
            return i;
    }
    throw new Error(`bad field path ${path}: unclosed [`);
}
/** Resolve a display path against an object into concrete segments (as far as it exists). */
function resolvePath(root, path) {
    const segments = [];
    let node = root;
    for (const step of parsePath(path)) {
        if ('key' in step) {
            if (!(0,_types_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(node) || !(step.key in node))
                return { segments, complete: false };
            segments.push(step.key);
            node = node[step.key];
        }
        else if ('index' in step) {
            if (!Array.isArray(node) || step.index >= node.length)
                return { segments, complete: false };
            segments.push(step.index);
            node = node[step.index];
        }
        else {
            if (!Array.isArray(node))
                return { segments, complete: false };
            const { key, value } = step.match;
            const idx = node.findIndex((item) => {
                const v = key.split('.').reduce((o, k) => ((0,_types_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(o) ? o[k] : undefined), item);
                return v !== undefined && String(v) === value;
            });
            if (idx < 0)
                return { segments, complete: false };
            segments.push(idx);
            node = node[idx];
        }
    }
    return { segments, complete: true };
}
/** Read the value at a concrete path, or undefined. */
function getAt(root, segments) {
    let node = root;
    for (const seg of segments) {
        if (typeof seg === 'number')
            node = Array.isArray(node) ? node[seg] : undefined;
        else
            node = (0,_types_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(node) ? node[seg] : undefined;
        if (node === undefined)
            return undefined;
    }
    return node;
}


/***/ }),

/***/ 9604:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ quantitiesEqual)
/* harmony export */ });
/* unused harmony export parseQuantity */
/**
 * Kubernetes resource quantities (`250m`, `1.5Gi`, `1e3`, `2`), the one parser: exact fractions,
 * so that `0.1` and `100m`, `1` and `1000m`, or `1Gi` and `1024Mi` compare equal without float
 * error. The rules (a request equal to its limit) and drift (Git against the cluster) both use it.
 */
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
/**
 * Bounds on what is read as a quantity, since manifests are untrusted: a thousand digits and an
 * exponent of ±1000 are far past anything the API server stores (it keeps 64-bit values), and
 * keep the exact arithmetic small (`1e999999999` would otherwise ask for a billion-digit number).
 */
const MAX_DIGITS = 1000;
const MAX_EXPONENT = 1000;
/** Parse a Kubernetes resource quantity (`250m`, `1.5Gi`, `1e3`, `2`); undefined if it is not one. */
function parseQuantity(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) ? parseQuantity(String(value)) : undefined;
    if (typeof value !== 'string' || value.length > MAX_DIGITS + 16)
        return undefined;
    const m = QUANTITY.exec(value.trim());
    if (!m)
        return undefined;
    const [, sign, digits, exponent, suffix = ''] = m;
    const [whole, frac = ''] = digits.split('.');
    let num = BigInt(`${whole || '0'}${frac}`) * (sign === '-' ? -1n : 1n);
    let den = 10n ** BigInt(frac.length);
    let power10 = exponent ? Number(exponent.slice(1)) : (DECIMAL_SUFFIX[suffix] ?? 0);
    if (Math.abs(power10) > MAX_EXPONENT)
        return undefined;
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
/** Equal as quantities; values that are not quantities never are. */
function quantitiesEqual(a, b) {
    const x = parseQuantity(a);
    const y = parseQuantity(b);
    return x !== undefined && y !== undefined && x.num * y.den === y.num * x.den;
}


/***/ }),

/***/ 4603:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Nf: () => (/* binding */ closestName),
/* harmony export */   ZA: () => (/* binding */ suggest)
/* harmony export */ });
/* unused harmony export editDistance */
/** "Did you mean" hints for names people mistype: config keys, rule ids. */
/** ` (did you mean "x"?)` when a known name is within two edits of `name`, else ''. */
function suggest(name, known) {
    const best = closestName(name, known);
    return best ? ` (did you mean "${best}"?)` : '';
}
/** The known name nearest to `name` by edit distance, when it is at most `maxDistance` away. */
function closestName(name, known, maxDistance = 2) {
    let best;
    let bestDistance = maxDistance + 1;
    for (const candidate of known) {
        const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}
/** Levenshtein distance, one row at a time. */
function editDistance(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = row;
    }
    return prev[b.length];
}


/***/ }),

/***/ 7798:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $Y: () => (/* binding */ stripControls),
/* harmony export */   Ct: () => (/* binding */ flat),
/* harmony export */   Gv: () => (/* binding */ inertOutput),
/* harmony export */   Ms: () => (/* binding */ Interner),
/* harmony export */   OR: () => (/* binding */ inertInLog),
/* harmony export */   WJ: () => (/* binding */ showsIn),
/* harmony export */   g$: () => (/* binding */ printable)
/* harmony export */ });
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what this removes
const ESCAPE_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g;
/**
 * The one set of characters that make text read other than it is: C0 controls but tab and newline,
 * DEL, C1 controls, the bidirectional marks, overrides and isolates (Trojan Source), the line and
 * paragraph separators, and the noncharacters U+FFFE and U+FFFF. `printable` shows them,
 * `stripControls` removes them.
 */
const CONTROL = 
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff]/g;
/**
 * Text from outside (a tool's stderr, a message a chart wrote with `fail`) made fit for a report:
 * terminal escape sequences removed, other control characters (but newline and tab) shown as
 * `\xNN`, and anything past `max` characters cut with a note of how much was left out.
 */
function printable(text, max = Number.POSITIVE_INFINITY) {
    const clean = text
        .replace(ESCAPE_SEQUENCE, '')
        .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    if (clean.length <= max)
        return clean;
    return `${clean.slice(0, max)}… (${clean.length - max} more characters)`;
}
/** Code shown in a fence (a rendered diff, a line of a file): only the control characters go. */
function stripControls(text) {
    return text.replace(CONTROL, '');
}
/** A line the runner would read as a workflow command (`::name …::data`, after any indentation). */
const COMMAND_LINE = /^([ \t]*):(?=:)/gm;
/** The runner's older command syntax, which it reads anywhere in a line. */
const OLD_COMMAND = /##\[/g;
const ZERO_WIDTH_SPACE = '\u200b';
/**
 * Text from outside made inert in a GitHub Actions log: no line of it can be read by the runner
 * as a workflow command (`::add-mask::`, `::stop-commands::`, `::error …::`, `##[…]`). A zero-width
 * space goes between the characters that start one, so the log still reads the same to a human.
 */
function inertInLog(text) {
    return text.replace(COMMAND_LINE, `$1:${ZERO_WIDTH_SPACE}`).replace(OLD_COMMAND, `##${ZERO_WIDTH_SPACE}[`);
}
/**
 * One chunk the process writes to its output, made inert unless it is a single workflow command
 * line, the only shape `@actions/core` writes one in (it escapes newlines in a command's data).
 * Text that spans lines, or holds the older syntax, cannot smuggle a command past this.
 */
function inertOutput(chunk) {
    const newline = chunk.indexOf('\n');
    const oneLine = newline === -1 || newline === chunk.length - 1;
    if (oneLine && chunk.startsWith('::'))
        return chunk.replace(OLD_COMMAND, `##${ZERO_WIDTH_SPACE}[`);
    return inertInLog(chunk);
}
const ALNUM = /[A-Za-z0-9]/;
const DIGIT = /[0-9]/;
const LETTER = /[A-Za-z]/;
/**
 * `part` shows in `whole` as a whole word, not inside a longer number or name: `1` shows in
 * `--replicas=1` but not in `100m` or a sha256 digest; `web` shows in `prod-web` and `example/web:1.2`
 * but not in `webhook`. A version's `v` (`v1.12.1`) and a unit after a number (`256Mi`, `30s`) do
 * not join a number to a word. Both empty strings and case differences count as no match.
 */
function showsIn(whole, part) {
    if (!part)
        return false;
    const first = part[0];
    const last = part[part.length - 1];
    for (let i = whole.indexOf(part); i >= 0; i = whole.indexOf(part, i + 1)) {
        const before = whole[i - 1];
        const after = whole[i + part.length];
        const open = before === undefined ||
            !ALNUM.test(first) ||
            !ALNUM.test(before) ||
            (DIGIT.test(first) && /[vV]/.test(before) && !ALNUM.test(whole[i - 2] ?? ''));
        const close = after === undefined ||
            !ALNUM.test(last) ||
            !ALNUM.test(after) ||
            (DIGIT.test(last) && LETTER.test(after));
        if (open && close)
            return true;
    }
    return false;
}
/**
 * A string built from pieces (`${who} runs as root`) is a tree of them in V8 (a rope). What is kept
 * for a whole run (a finding's message and path: 100,000 of them at 50,000 objects, 30 MiB of
 * rope) is made one piece. A regular expression's subject must be flat, and V8 flattens it in
 * place: the rope then holds one copy, and the collector drops the rope for it. (JSON's round
 * trip did the same with two copies and an escape pass: 60 ms of 80,000 findings.)
 */
function flat(text) {
    ANYTHING.test(text);
    return text;
}
const ANYTHING = /^/;
/**
 * One copy of each of a few strings that recur (the wordings of merged findings, field paths),
 * made flat once. It holds at most `limit` of them, then starts over: it never grows with the
 * input. When few of a table's strings came again (every container's path names the container),
 * it rests for a while and only makes strings flat: a table that is never hit is all cost.
 */
class Interner {
    limit;
    #known = new Map();
    #hits = 0;
    #resting = 0;
    constructor(limit = 1024) {
        this.limit = limit;
    }
    of(text) {
        if (this.#resting > 0) {
            this.#resting--;
            return flat(text);
        }
        let known = this.#known.get(text);
        if (known !== undefined) {
            this.#hits++;
            return known;
        }
        if (this.#known.size >= this.limit) {
            if (this.#hits < this.limit / 8)
                this.#resting = this.limit * 4;
            this.#known.clear();
            this.#hits = 0;
        }
        known = flat(text);
        this.#known.set(known, known);
        return known;
    }
}


/***/ }),

/***/ 3356:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H8: () => (/* binding */ refOf),
/* harmony export */   R6: () => (/* binding */ CATEGORIES),
/* harmony export */   XF: () => (/* binding */ refKey),
/* harmony export */   oC: () => (/* binding */ SEVERITIES),
/* harmony export */   u4: () => (/* binding */ isRecord)
/* harmony export */ });
/**
 * Pure types shared by every layer. Nothing here does I/O.
 */
const SEVERITIES = ['error', 'warning', 'info'];
/** The fixed checklist vocabulary: every finding belongs to exactly one category. */
const CATEGORIES = [
    'resources',
    'probes',
    'rbac',
    'replicas',
    'observability',
    'security',
    'network',
    'images',
    'storage',
    'lifecycle',
    'api',
];
function refOf(obj) {
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name ?? '' };
    if (obj.metadata?.namespace)
        ref.namespace = obj.metadata.namespace;
    return ref;
}
/** `Deployment/shop/checkout` or `ClusterRole/admin` for cluster-scoped objects. */
function refKey(ref) {
    return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/***/ }),

/***/ 4208:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mz: () => (/* binding */ containersOf),
/* harmony export */   N4: () => (/* binding */ replicasOf),
/* harmony export */   gv: () => (/* binding */ isWorkload),
/* harmony export */   ko: () => (/* binding */ selects),
/* harmony export */   oM: () => (/* binding */ podTemplate),
/* harmony export */   s5: () => (/* binding */ podSpecPath),
/* harmony export */   uR: () => (/* binding */ isLongRunning)
/* harmony export */ });
/* unused harmony exports WORKLOAD_KINDS, SERVING_KINDS, isDeployHook */
/* harmony import */ var _path_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3070);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3356);


/**
 * Every kind that carries a pod template, and where the template sits (a Pod is its own); its pod
 * spec and metadata are under it. Unknown kinds (CRDs) have none, so the per-container rules pass
 * them by without noise.
 */
const TEMPLATE_PATHS = {
    Pod: [],
    Deployment: ['spec', 'template'],
    StatefulSet: ['spec', 'template'],
    DaemonSet: ['spec', 'template'],
    ReplicaSet: ['spec', 'template'],
    ReplicationController: ['spec', 'template'],
    Job: ['spec', 'template'],
    CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};
const under = (key) => Object.fromEntries(Object.entries(TEMPLATE_PATHS).map(([kind, path]) => [kind, [...path, key]]));
const POD_SPEC_PATHS = {
    ...under('spec'),
    // Not a workload (nothing runs it), but its pod spec holds containers all the same.
    PodTemplate: ['template', 'spec'],
};
const POD_META_PATHS = under('metadata');
/** Where a kind keeps its pod spec: the workloads and PodTemplate; undefined for other kinds. */
function podSpecPath(kind) {
    return Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
}
const WORKLOAD_KINDS = new Set(Object.keys(TEMPLATE_PATHS));
/** Kinds that keep pods running (and so want replicas, PDBs, probes); Jobs run to completion. */
const SERVING_KINDS = new Set([
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'ReplicationController',
    'Pod',
]);
/** Annotations that make an object part of a deploy tool's own lifecycle: install hooks, tests. */
const HOOK_ANNOTATIONS = ['helm.sh/hook', 'argocd.argoproj.io/hook'];
/** Is this object a Helm or Argo CD hook (a migration, a check, a `helm test` pod)? */
function isDeployHook(obj) {
    const annotations = obj.metadata?.annotations;
    return (0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(annotations) && HOOK_ANNOTATIONS.some((a) => Object.hasOwn(annotations, a));
}
/**
 * Does this workload keep pods running (and so want probes, metrics, a NetworkPolicy, replicas)?
 * Not Jobs and CronJobs, which run to completion; not a bare Pod whose restartPolicy is Never or
 * OnFailure, or that is a Helm or Argo CD hook (`helm test` pods, install checks).
 */
function isLongRunning(obj) {
    if (!SERVING_KINDS.has(obj.kind))
        return false;
    if (obj.kind !== 'Pod')
        return true;
    const spec = (0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(obj.spec) ? obj.spec : {};
    if (spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure')
        return false;
    return !isDeployHook(obj);
}
function isWorkload(obj) {
    return WORKLOAD_KINDS.has(obj.kind) && obj.apiVersion !== 'metrics.k8s.io/v1beta1';
}
function podTemplate(obj) {
    // Own keys only: a kind named `constructor` is no workload.
    if (!WORKLOAD_KINDS.has(obj.kind))
        return undefined;
    const specPath = POD_SPEC_PATHS[obj.kind];
    const spec = (0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .getAt */ .sM)(obj, specPath);
    if (!(0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(spec))
        return undefined;
    const metaPath = POD_META_PATHS[obj.kind];
    const meta = (0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .getAt */ .sM)(obj, metaPath);
    const labels = (0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(meta) && (0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(meta.labels) ? meta.labels : {};
    const annotations = (0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(meta) && (0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(meta.annotations) ? meta.annotations : {};
    return { spec, specPath, labels, annotations, metaPath };
}
/** Every container of a workload: regular, init and ephemeral, each with its concrete path. */
function containersOf(obj, kinds = ['containers', 'initContainers', 'ephemeralContainers']) {
    const tpl = podTemplate(obj);
    if (!tpl)
        return [];
    const out = [];
    for (const kind of kinds) {
        const list = tpl.spec[kind];
        if (!Array.isArray(list))
            continue;
        list.forEach((c, i) => {
            if (!(0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(c))
                return;
            out.push({
                container: c,
                name: typeof c.name === 'string' ? c.name : `#${i}`,
                kind,
                path: [...tpl.specPath, kind, i],
            });
        });
    }
    return out;
}
/** Desired replicas: undefined for kinds without the field (DaemonSet, Pod, Job). Absent means 1. */
function replicasOf(obj) {
    if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(obj.kind))
        return undefined;
    const spec = obj.spec;
    if (!(0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(spec))
        return 1;
    return typeof spec.replicas === 'number' ? spec.replicas : 1;
}
/**
 * Does a label selector (`matchLabels` / `matchExpressions`, or a plain map as Services use)
 * select these labels? An empty selector selects everything; a missing one selects nothing.
 */
function selects(selector, labels) {
    if (!(0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(selector))
        return false;
    const hasStructured = 'matchLabels' in selector || 'matchExpressions' in selector;
    const matchLabels = hasStructured ? selector.matchLabels : selector;
    if ((0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(matchLabels)) {
        for (const [k, v] of Object.entries(matchLabels))
            if (labels[k] !== String(v))
                return false;
    }
    const exprs = hasStructured && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
    for (const e of exprs) {
        if (!(0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(e) || typeof e.key !== 'string')
            return false;
        const values = Array.isArray(e.values) ? e.values.map(String) : [];
        const has = Object.hasOwn(labels, e.key);
        switch (e.operator) {
            case 'In':
                if (!has || !values.includes(labels[e.key]))
                    return false;
                break;
            case 'NotIn':
                if (has && values.includes(labels[e.key]))
                    return false;
                break;
            case 'Exists':
                if (!has)
                    return false;
                break;
            case 'DoesNotExist':
                if (has)
                    return false;
                break;
            default:
                return false;
        }
    }
    return true;
}


/***/ }),

/***/ 8632:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FK: () => (/* binding */ isInside),
/* harmony export */   Hn: () => (/* binding */ repositoryRoot),
/* harmony export */   gt: () => (/* binding */ isRemoteReference),
/* harmony export */   xP: () => (/* binding */ Containment)
/* harmony export */ });
/* unused harmony export MAX_WALK_ENTRIES */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);


/** Most entries one folder walk looks at before it gives up (and refuses the render). */
const MAX_WALK_ENTRIES = 50_000;
class Containment {
    root;
    realRoot;
    scans = new Map();
    /** Each path is resolved once per run: every target of a repository asks about its shared bases. */
    checks = new Map();
    constructor(root) {
        this.root = root;
        this.realRoot = (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(root).catch(() => node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(root));
    }
    /** The repository-relative name of an absolute path (as written, not resolved). */
    name(abs) {
        const rel = node_path__WEBPACK_IMPORTED_MODULE_1__.relative(this.root, abs);
        return (rel.startsWith('..') || node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute(rel) ? abs : rel || '.').split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep).join('/');
    }
    /**
     * Why `abs` may not be read, or undefined when it may: it must resolve (symlinks followed)
     * inside the root and outside its `.git`. A path that does not exist is the tool's to report.
     */
    check(abs) {
        const key = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(abs);
        let found = this.checks.get(key);
        if (!found) {
            found = this.resolveCheck(key);
            this.checks.set(key, found);
        }
        return found;
    }
    async resolveCheck(abs) {
        const root = await this.realRoot;
        const lexical = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(abs);
        if (!isInside(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(this.root), lexical) && !isInside(root, lexical)) {
            return `${this.name(abs)} is outside the repository`;
        }
        const real = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(lexical).catch(() => undefined);
        if (real === undefined) {
            // A dangling link, or a path that is not there: refuse a link whose target is outside.
            const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(lexical).catch(() => undefined);
            if (!st?.isSymbolicLink())
                return undefined;
            const target = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(lexical), await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readlink)(lexical));
            return isInside(root, target) || isInside(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(this.root), target)
                ? undefined
                : `${this.name(abs)} is a symbolic link to a path outside the repository`;
        }
        if (!isInside(root, real)) {
            return `${this.name(abs)} resolves to a path outside the repository`;
        }
        if (isGitDir(root, real))
            return `${this.name(abs)} resolves into the repository's .git folder`;
        return undefined;
    }
    /**
     * Every symlink under `dir` (recursively) that resolves outside the repository or into
     * `.git`: what helm would follow when it loads a chart; and whether a `.git` folder sits under
     * it (a chart at the top of its repository), which helm would load too. Scanned once per
     * folder per run.
     */
    scan(dir) {
        const abs = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(dir);
        let scan = this.scans.get(abs);
        if (!scan) {
            scan = this.walk(abs);
            this.scans.set(abs, scan);
        }
        return scan;
    }
    /** The escaping symlinks under `dir` (see `scan`). */
    async escapesUnder(dir) {
        return (await this.scan(dir)).escapes;
    }
    async walk(dir) {
        const out = [];
        let gitInside = false;
        let seen = 0;
        const queue = [dir];
        while (queue.length > 0) {
            const current = queue.pop();
            const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(current, { withFileTypes: true }).catch(() => []);
            for (const e of entries) {
                if (++seen > MAX_WALK_ENTRIES) {
                    out.push({
                        link: this.name(dir),
                        reason: `${this.name(dir)} holds more than ${MAX_WALK_ENTRIES} files; not rendered`,
                    });
                    return { escapes: out, gitInside };
                }
                const full = node_path__WEBPACK_IMPORTED_MODULE_1__.join(current, e.name);
                if (e.isSymbolicLink()) {
                    const reason = await this.check(full);
                    if (reason)
                        out.push({ link: this.name(full), reason });
                }
                else if (e.isDirectory()) {
                    if (e.name === '.git')
                        gitInside = true;
                    else
                        queue.push(full);
                }
                else if (e.name === '.git') {
                    gitInside = true; // a worktree's .git file
                }
            }
        }
        return { escapes: out, gitInside };
    }
}
function isInside(root, p) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_1__.relative(root, p);
    return rel === '' || (!rel.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_1__.sep}`) && rel !== '..' && !node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute(rel));
}
function isGitDir(root, real) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_1__.relative(root, real);
    return rel.split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep)[0] === '.git';
}
/**
 * The repository a working directory belongs to: the nearest folder upwards with a `.git`
 * (a folder, or the file a worktree has), else the folder itself.
 */
async function repositoryRoot(cwd) {
    let dir = node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd);
    for (;;) {
        if (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, '.git')).catch(() => undefined))
            return dir;
        const parent = node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(dir);
        if (parent === dir)
            return node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd);
        dir = parent;
    }
}
/**
 * A reference that names something on a network rather than a path: any `scheme://` URL, an
 * scp-like `git@host:`, go-getter forms (`git::`, `?ref=`, `.git//`), or a host name followed
 * by a path (`github.com/org/repo`). Case does not matter to the tools, so not here either.
 */
const REMOTE_PATTERNS = [
    /^[a-z][a-z0-9+.-]*:\/\//i,
    /^[a-z0-9._-]+@[a-z0-9.-]+:/i,
    /^[a-z0-9]+::/i,
    /[?&]ref=/i,
    /\.git(\/\/|\/?$|\?)/i,
    /^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|dev|sh|cloud|co|de|cn|ru|uk|eu|xyz|app|info)(:\d+)?\//i,
];
function isRemoteReference(ref) {
    const s = ref.trim();
    return REMOTE_PATTERNS.some((re) => re.test(s));
}


/***/ }),

/***/ 6821:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  K: () => (/* binding */ discoverTargets)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/load/files.js
var load_files = __webpack_require__(8971);
// EXTERNAL MODULE: ./lib/model/concurrency.js
var concurrency = __webpack_require__(5866);
// EXTERNAL MODULE: ./lib/render/contain.js
var contain = __webpack_require__(8632);
// EXTERNAL MODULE: ./lib/render/git.js
var git = __webpack_require__(2408);
// EXTERNAL MODULE: ./lib/render/kustomize.js + 1 modules
var kustomize = __webpack_require__(142);
// EXTERNAL MODULE: ./lib/render/types.js
var types = __webpack_require__(677);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./lib/model/path.js
var path = __webpack_require__(3070);
// EXTERNAL MODULE: ./lib/model/types.js
var model_types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/render/yaml-locate.js
var yaml_locate = __webpack_require__(536);
;// CONCATENATED MODULE: ./lib/gitops/gotemplate.js
/**
 * The part of Go's text/template that ApplicationSet templates use in practice (`goTemplate:
 * true`): field paths (`{{ .path.basename }}`), `index`, string literals, and pipelines through
 * a few Sprig functions (`default`, `lower`, `upper`, `trim`, `trunc`, `replace`, `quote`,
 * `printf`, `trimPrefix`, `trimSuffix`, `toString`, `title`). Anything else (`if`, `range`,
 * variables) is reported, never guessed. Pure.
 */
function executeGoTemplate(text, data) {
    let out = '';
    let i = 0;
    while (i < text.length) {
        const open = text.indexOf('{{', i);
        if (open < 0) {
            out += text.slice(i);
            break;
        }
        let literal = text.slice(i, open);
        let start = open + 2;
        if (text[start] === '-' && /\s/.test(text[start + 1] ?? '')) {
            literal = literal.replace(/\s+$/, '');
            start += 1;
        }
        out += literal;
        const close = text.indexOf('}}', start);
        if (close < 0)
            return { error: `unclosed action in "${text}"` };
        let body = text.slice(start, close);
        let next = close + 2;
        if (/\s-$/.test(body)) {
            body = body.slice(0, -1);
            while (next < text.length && /\s/.test(text[next]))
                next++;
        }
        const value = evaluatePipeline(body.trim(), data);
        if ('error' in value)
            return value;
        out += value.value === undefined || value.value === null ? '<no value>' : stringOf(value.value);
        i = next;
    }
    return { value: out };
}
function evaluatePipeline(body, data) {
    if (/^(if|else|end|range|with|define|template|block)\b/.test(body) || body.startsWith('/*')) {
        return { error: `"{{ ${body} }}" (control structures are not expanded)` };
    }
    if (/^\$/.test(body))
        return { error: `"{{ ${body} }}" (template variables are not expanded)` };
    const stages = splitPipes(body);
    let carried;
    for (const stage of stages) {
        const words = tokenize(stage);
        if ('error' in words)
            return words;
        if (words.length === 0)
            return { error: `empty command in "{{ ${body} }}"` };
        const [head, ...rest] = words;
        const args = rest.map((w) => operand(w, data));
        for (const a of args)
            if ('error' in a)
                return a;
        const values = args.map((a) => a.value);
        if (carried)
            values.push(carried.value);
        if (head.kind === 'word' && FUNCTIONS[head.text]) {
            const r = FUNCTIONS[head.text](values);
            if ('error' in r)
                return { error: `${r.error} in "{{ ${body} }}"` };
            carried = r;
        }
        else {
            if (values.length > 0)
                return { error: `"{{ ${body} }}" (${head.text} is not a function this supports)` };
            const r = operand(head, data);
            if ('error' in r)
                return r;
            carried = r;
        }
    }
    return carried ?? { value: '' };
}
function splitPipes(body) {
    const out = [];
    let quote;
    let current = '';
    for (const ch of body) {
        if (quote) {
            current += ch;
            if (ch === quote)
                quote = undefined;
        }
        else if (ch === '"' || ch === '`') {
            quote = ch;
            current += ch;
        }
        else if (ch === '|') {
            out.push(current.trim());
            current = '';
        }
        else
            current += ch;
    }
    out.push(current.trim());
    return out;
}
function tokenize(stage) {
    const out = [];
    const re = /\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|(-?\d+(?:\.\d+)?)(?![\w.])|([^\s"`]+))/y;
    re.lastIndex = 0;
    while (re.lastIndex < stage.length) {
        const m = re.exec(stage);
        if (!m)
            break;
        if (m[1] !== undefined)
            out.push({ kind: 'string', text: JSON.parse(`"${m[1]}"`) });
        else if (m[2] !== undefined)
            out.push({ kind: 'string', text: m[2] });
        else if (m[3] !== undefined)
            out.push({ kind: 'number', text: m[3] });
        else if (m[4] !== undefined) {
            if (m[4].startsWith('('))
                return { error: `"${stage}" (parenthesised pipelines are not expanded)` };
            out.push({ kind: 'word', text: m[4] });
        }
        if (stage.slice(re.lastIndex).trim() === '')
            break;
    }
    return out;
}
function operand(t, data) {
    if (t.kind === 'string')
        return { value: t.text };
    if (t.kind === 'number')
        return { value: Number(t.text) };
    if (t.text === '.')
        return { value: data };
    if (t.text.startsWith('.')) {
        let node = data;
        for (const part of t.text.slice(1).split('.')) {
            if (node === null || typeof node !== 'object')
                return { value: undefined };
            node = node[part];
        }
        return { value: node };
    }
    if (t.text === 'true' || t.text === 'false')
        return { value: t.text === 'true' };
    if (t.text === 'nil')
        return { value: null };
    return { error: `"${t.text}" is not a field or a function this supports` };
}
function stringOf(v) {
    if (typeof v === 'string')
        return v;
    if (typeof v === 'number' || typeof v === 'boolean')
        return String(v);
    if (Array.isArray(v))
        return `[${v.map(stringOf).join(' ')}]`;
    if (v && typeof v === 'object')
        return `map[${Object.entries(v)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, x]) => `${k}:${stringOf(x)}`)
            .join(' ')}]`;
    return '<no value>';
}
const empty = (v) => v === undefined ||
    v === null ||
    v === '' ||
    v === false ||
    v === 0 ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
const oneString = (f) => (args) => args.length === 1 ? { value: f(stringOf(args[0])) } : { error: 'wrong number of arguments' };
const FUNCTIONS = {
    default: (args) => args.length === 2
        ? { value: empty(args[1]) ? args[0] : args[1] }
        : { error: 'default takes 2 arguments' },
    lower: oneString((s) => s.toLowerCase()),
    upper: oneString((s) => s.toUpperCase()),
    trim: oneString((s) => s.trim()),
    title: oneString((s) => s.replace(/\b\w/g, (c) => c.toUpperCase())),
    toString: oneString((s) => s),
    quote: (args) => ({ value: args.map((a) => JSON.stringify(stringOf(a))).join(' ') }),
    squote: (args) => ({ value: args.map((a) => `'${stringOf(a)}'`).join(' ') }),
    trunc: (args) => {
        if (args.length !== 2 || typeof args[0] !== 'number')
            return { error: 'trunc takes a length and a string' };
        const s = stringOf(args[1]);
        const n = args[0];
        return { value: n >= 0 ? s.slice(0, n) : s.slice(Math.max(0, s.length + n)) };
    },
    replace: (args) => args.length === 3
        ? { value: stringOf(args[2]).split(stringOf(args[0])).join(stringOf(args[1])) }
        : { error: 'replace takes 3 arguments' },
    trimPrefix: (args) => {
        if (args.length !== 2)
            return { error: 'trimPrefix takes 2 arguments' };
        const [p, s] = [stringOf(args[0]), stringOf(args[1])];
        return { value: s.startsWith(p) ? s.slice(p.length) : s };
    },
    trimSuffix: (args) => {
        if (args.length !== 2)
            return { error: 'trimSuffix takes 2 arguments' };
        const [p, s] = [stringOf(args[0]), stringOf(args[1])];
        return { value: p && s.endsWith(p) ? s.slice(0, -p.length) : s };
    },
    index: (args) => {
        let node = args[0];
        for (const k of args.slice(1)) {
            if (Array.isArray(node) && typeof k === 'number')
                node = node[k];
            else if (node && typeof node === 'object')
                node = node[stringOf(k)];
            else
                return { value: undefined };
        }
        return { value: node };
    },
    printf: (args) => {
        if (args.length === 0)
            return { error: 'printf needs a format' };
        const [format, ...rest] = args;
        let k = 0;
        const value = stringOf(format).replace(/%([svdq%])/g, (_, verb) => {
            if (verb === '%')
                return '%';
            const a = rest[k++];
            return verb === 'q' ? JSON.stringify(stringOf(a)) : stringOf(a);
        });
        return { value };
    },
};
/**
 * Argo CD's default templates (fasttemplate): `{{ name }}` is the parameter `name` when the
 * generator gave one, and left as written otherwise.
 */
function executeFastTemplate(text, params) {
    return text.replace(/\{\{([^{}]*)\}\}/g, (whole, tag) => {
        const key = tag.trim();
        return Object.hasOwn(params, key) ? params[key] : whole;
    });
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./lib/gitops/embedded.js



function embeddedValues(def, at, text) {
    let values;
    try {
        const doc = (0,dist/* parseDocument */.Tp)(text, { version: '1.1' });
        if (doc.errors.length > 0)
            return { error: `not valid YAML: ${doc.errors[0].message.split('\n')[0]}` };
        values = doc.toJS({ maxAliasCount: 100 });
    }
    catch (err) {
        return { error: `not valid YAML: ${err.message}` };
    }
    if (values === null || values === undefined)
        values = {};
    if (!(0,model_types/* isRecord */.u4)(values))
        return { error: 'must be a mapping of values' };
    const inner = (0,yaml_locate/* yamlLocator */.G)(text, def.file);
    const block = def.block?.(at);
    const field = def.locate(at);
    return {
        values,
        locate(path) {
            const hit = inner.find(path);
            if (!hit)
                return undefined;
            if (!block)
                return field;
            return { file: def.file, line: block.line + hit.line - 1, column: block.indent + hit.column };
        },
    };
}
/**
 * Where a literal block (`key: |`) starts in a file's text: the line after the key and the
 * indentation of its first line with text; undefined for any other kind of scalar.
 */
function literalBlockAt(text, keyLine) {
    const lines = text.split('\n');
    const head = lines[keyLine - 1];
    if (head === undefined || !/:\s*\|[-+0-9]*\s*(#.*)?$/.test(head))
        return undefined;
    for (let k = keyLine; k < lines.length; k++) {
        const line = lines[k];
        if (line.trim() === '')
            continue;
        return { line: keyLine + 1, indent: line.length - line.trimStart().length };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./lib/gitops/model.js





const ARGO_GROUP = 'argoproj.io/';
const FLUX_KUSTOMIZE = 'kustomize.toolkit.fluxcd.io/';
const FLUX_HELM = 'helm.toolkit.fluxcd.io/';
const FLUX_SOURCE = 'source.toolkit.fluxcd.io/';
const FLUX_SOURCE_EXTENSIONS = 'source.extensions.fluxcd.io/';
function kindOf(o) {
    const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    if (api.startsWith(ARGO_GROUP)) {
        if (o.kind === 'Application')
            return 'Application';
        if (o.kind === 'ApplicationSet')
            return 'ApplicationSet';
    }
    if (api.startsWith(FLUX_KUSTOMIZE) && o.kind === 'Kustomization')
        return 'FluxKustomization';
    if (api.startsWith(FLUX_HELM) && o.kind === 'HelmRelease')
        return 'HelmRelease';
    if (api.startsWith(FLUX_SOURCE) || api.startsWith(FLUX_SOURCE_EXTENSIONS))
        return 'source';
    if (api === 'v1' && (o.kind === 'ConfigMap' || o.kind === 'Secret'))
        return 'config';
    return undefined;
}
/**
 * A definition from a parsed manifest: a file's own (`locate`) or a render's (`locateSource`).
 * A rendered one knows where its literal blocks start when the line it maps to holds the same
 * text (a ConfigMap's `values.yaml: |` a HelmRelease takes values from).
 */
function definitionOf(m, parent, cwd = '.') {
    const locate = m.locateSource ?? m.locate;
    const file = parent ? locate(['kind']).file : m.file;
    const def = { object: m.object, file, locate: (s) => locate(s), ...(parent ? { parent } : {}) };
    if (parent) {
        def.block = (segments) => {
            const value = (0,path/* getAt */.sM)(m.object, segments);
            if (typeof value !== 'string')
                return undefined;
            const at = locate(segments);
            const text = readSmall(external_node_path_.resolve(cwd, at.file));
            const block = text === undefined ? undefined : literalBlockAt(text, at.line);
            if (!block || text === undefined)
                return undefined;
            const first = value
                .split('\n')
                .find((l) => l.trim() !== '')
                ?.trim();
            const line = text
                .split('\n')
                .slice(block.line - 1)
                .find((l) => l.trim() !== '')
                ?.trim();
            return first !== undefined && first === line ? block : undefined;
        };
    }
    return def;
}
/** A file's text, when it is small enough to look at. */
function readSmall(file) {
    const st = (0,external_node_fs_.statSync)(file, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > 4 * 1024 * 1024)
        return undefined;
    try {
        return (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
/** `Kind namespace/name`, as reports name a definition. */
function describe(def, kind = def.object.kind) {
    const { name, namespace } = def.object.metadata;
    return `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(no name)'}`;
}
/** The object's spec, or an empty one. */
function specOf(o) {
    return (0,model_types/* isRecord */.u4)(o.spec) ? o.spec : {};
}
function str(v) {
    return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}
function record(v) {
    return (0,model_types/* isRecord */.u4)(v) ? v : undefined;
}
function list(v) {
    return Array.isArray(v) ? v : [];
}
function note(message, location) {
    return { level: 'note', message, ...(location ? { location } : {}) };
}
function error(message, location) {
    return { level: 'error', message, ...(location ? { location } : {}) };
}

;// CONCATENATED MODULE: ./lib/gitops/applicationset.js









/**
 * An ApplicationSet -> the Applications its generators make: `list` (elements and
 * elementsYaml), and `git` directories and files in this repository, rendered through the
 * template the way Argo CD does (fasttemplate `{{ name }}` parameters, or Go templates with
 * `goTemplate: true`). Each generated Application is edited in the ApplicationSet's template,
 * except a field that is exactly one parameter, which is edited where the parameter is set (the
 * list element's key, the git file's key). Generators that need a cluster or a provider's API
 * (clusters, pull requests, SCM providers, plugins, matrix and merge of those) are noted.
 */
/** Most Applications one ApplicationSet may make here. */
const MAX_GENERATED = 500;
async function expandApplicationSet(def, ctx) {
    const spec = specOf(def.object);
    const notes = [];
    const name = describe(def);
    const template = record(spec.template);
    if (!template)
        return { apps: [], notes: [error(`${name}: has no template`, def.locate(['spec']))] };
    if (spec.templatePatch !== undefined) {
        notes.push(note(`${name}: templatePatch is not applied`, def.locate(['spec', 'templatePatch'])));
    }
    const goTemplate = spec.goTemplate === true;
    const sets = [];
    for (const [gi, raw] of list(spec.generators).entries()) {
        const g = record(raw);
        if (!g)
            continue;
        const at = (...p) => def.locate(['spec', 'generators', gi, ...p]);
        if (record(g.list))
            sets.push(...listParams(def, gi, record(g.list), goTemplate, notes));
        else if (record(g.git))
            sets.push(...(await gitParams(def, ctx, gi, record(g.git), goTemplate, notes)));
        else {
            const kind = Object.keys(g).find((k) => k !== 'selector' && k !== 'values') ?? 'generator';
            notes.push(note(`${name}: the ${kind} generator is not expanded (it needs a cluster or a provider's API); only list and git generators are`, at(kind)));
        }
    }
    const apps = [];
    for (const params of sets.slice(0, MAX_GENERATED)) {
        const made = generate(def, template, params, goTemplate);
        if ('error' in made) {
            notes.push(error(`${name}: ${made.error}; that Application is left out`, def.locate(['spec', 'template'])));
            continue;
        }
        apps.push(made);
    }
    if (sets.length > MAX_GENERATED) {
        notes.push(note(`${name}: makes ${sets.length} Applications; the first ${MAX_GENERATED} are checked`, def.locate(['spec'])));
    }
    return { apps, notes };
}
function listParams(def, gi, g, goTemplate, notes) {
    const out = [];
    const base = ['spec', 'generators', gi, 'list'];
    for (const [ei, raw] of list(g.elements).entries()) {
        const element = record(raw);
        if (!element)
            continue;
        const set = paramsOf(element, goTemplate, (key) => def.locate([...base, 'elements', ei, ...key.split('.')]));
        if (set)
            out.push(set);
        else
            notes.push(error(`${describe(def)}: list element ${ei} has a value that is not a string`, def.locate([...base, 'elements', ei])));
    }
    if (typeof g.elementsYaml === 'string') {
        try {
            const docs = (0,dist/* parseAllDocuments */.hR)(g.elementsYaml);
            const items = (Array.isArray(docs) ? docs : []).flatMap((d) => {
                const v = d.toJS({ maxAliasCount: 100 });
                return Array.isArray(v) ? v : [];
            });
            for (const item of items) {
                const set = (0,model_types/* isRecord */.u4)(item)
                    ? paramsOf(item, true, () => def.locate([...base, 'elementsYaml']))
                    : undefined;
                if (set)
                    out.push(set);
            }
        }
        catch {
            notes.push(error(`${describe(def)}: elementsYaml is not valid YAML`, def.locate([...base, 'elementsYaml'])));
        }
    }
    return out;
}
/**
 * Parameters from one object: nested as they are for Go templates; for fasttemplate, strings as
 * they are and `values` flattened one level (`values.x`), as Argo CD's list generator does.
 */
function paramsOf(element, goTemplate, origin) {
    const flat = {};
    const origins = new Map();
    if (goTemplate) {
        for (const [k, leaf] of flatten(element)) {
            flat[k] = leaf;
            origins.set(k, origin(k));
        }
        return { flat, data: element, origins };
    }
    for (const [k, v] of Object.entries(element)) {
        if (k === 'values' && (0,model_types/* isRecord */.u4)(v)) {
            for (const [vk, vv] of Object.entries(v)) {
                if (typeof vv !== 'string')
                    return undefined;
                flat[`values.${vk}`] = vv;
                origins.set(`values.${vk}`, origin(`values.${vk}`));
            }
        }
        else if (typeof v === 'string') {
            flat[k] = v;
            origins.set(k, origin(k));
        }
        else
            return undefined;
    }
    return { flat, data: element, origins };
}
/** Dotted leaves of an object, as Argo CD's flatten (DotStyle) makes them. */
function flatten(value, prefix = '') {
    if (Array.isArray(value))
        return value.flatMap((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i)));
    if ((0,model_types/* isRecord */.u4)(value))
        return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
    return prefix ? [[prefix, value === null || value === undefined ? '<nil>' : String(value)]] : [];
}
async function gitParams(def, ctx, gi, g, goTemplate, notes) {
    const name = describe(def);
    const base = ['spec', 'generators', gi, 'git'];
    const at = (...p) => def.locate([...base, ...p]);
    const repoURL = str(g.repoURL);
    const prefix = str(g.pathParamPrefix);
    const dirs = list(g.directories).flatMap((d, i) => {
        const r = record(d);
        return r && str(r.path) ? [{ pattern: str(r.path), exclude: r.exclude === true, i }] : [];
    });
    const files = list(g.files).flatMap((d, i) => {
        const r = record(d);
        return r && str(r.path) ? [{ pattern: str(r.path), exclude: r.exclude === true, i }] : [];
    });
    // The first folder discovery knows that has a match is the repository's top for these patterns.
    for (const top of ctx.bases) {
        const tree = await listTree(ctx, top);
        const matchDirs = dirs.length > 0 ? matching(tree.dirs, dirs) : [];
        const matchFiles = files.length > 0 ? matching(tree.files, files) : [];
        if (matchDirs.length === 0 && matchFiles.length === 0)
            continue;
        if (!ctx.identity.isThis(repoURL, true))
            break;
        const out = [];
        for (const d of matchDirs) {
            const origin = at('directories', d.i, 'path');
            out.push(withValues(pathParams(d.path, undefined, prefix, goTemplate, origin), g, goTemplate, def, base));
        }
        for (const f of matchFiles) {
            const origin = at('files', f.i, 'path');
            const abs = external_node_path_.join(top, f.path);
            if (await ctx.contain.check(abs))
                continue;
            const text = await (0,promises_.readFile)(abs, 'utf8').catch(() => undefined);
            const file = (0,load_files/* relativeName */.IC)(ctx.cwd, abs);
            if (text === undefined)
                continue;
            let value;
            try {
                value = (0,dist/* parseAllDocuments */.hR)(text)[0]?.toJS({ maxAliasCount: 100 }) ?? {};
            }
            catch {
                notes.push(error(`${name}: ${file} is not valid YAML or JSON; its Applications are left out`, origin));
                continue;
            }
            const objects = Array.isArray(value) ? value : [value];
            const loc = (0,yaml_locate/* yamlLocator */.G)(text, file);
            objects.forEach((o, idx) => {
                if (!(0,model_types/* isRecord */.u4)(o))
                    return;
                const set = pathParams(external_node_path_.posix.dirname(f.path), f.path, prefix, goTemplate, origin);
                for (const [k, leaf] of flatten(o)) {
                    set.flat[k] = leaf;
                    const segs = k.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
                    set.origins.set(k, loc.find(Array.isArray(value) ? [idx, ...segs] : segs) ?? { file, line: 1, column: 1 });
                }
                Object.assign(set.data, o);
                out.push(withValues(set, g, goTemplate, def, base));
            });
        }
        return out;
    }
    if (!ctx.identity.isThis(repoURL, false)) {
        notes.push(note(`${name}: ${repoURL ?? 'the git generator'} is another repository, which is not read`, at('repoURL')));
    }
    else {
        notes.push(note(`${name}: the git generator matches no ${dirs.length > 0 ? 'folder' : 'file'} in this repository`, at()));
    }
    return [];
}
function matching(entries, patterns) {
    const out = [];
    for (const p of entries) {
        const include = patterns.find((x) => !x.exclude && external_node_path_.posix.matchesGlob(p, x.pattern));
        if (!include)
            continue;
        if (patterns.some((x) => x.exclude && external_node_path_.posix.matchesGlob(p, x.pattern)))
            continue;
        out.push({ path: p, i: include.i });
    }
    return out;
}
/** Argo CD's path parameters for a folder (and a file in it). */
function pathParams(dir, file, prefix, goTemplate, origin) {
    const name = prefix ? `${prefix}.path` : 'path';
    const basename = external_node_path_.posix.basename(dir);
    const flat = { [name]: dir, [`${name}.basename`]: basename };
    flat[`${name}.basenameNormalized`] = sanitize(basename);
    if (file) {
        flat[`${name}.filename`] = external_node_path_.posix.basename(file);
        flat[`${name}.filenameNormalized`] = sanitize(external_node_path_.posix.basename(file));
    }
    dir.split('/').forEach((seg, i) => {
        if (seg)
            flat[`${name}[${i}]`] = seg;
    });
    const pathData = {
        path: dir,
        basename,
        basenameNormalized: sanitize(basename),
        segments: dir.split('/'),
        ...(file
            ? { filename: external_node_path_.posix.basename(file), filenameNormalized: sanitize(external_node_path_.posix.basename(file)) }
            : {}),
    };
    const data = prefix ? { [prefix]: { path: pathData } } : { path: pathData };
    const origins = new Map(Object.keys(flat).map((k) => [k, origin]));
    if (goTemplate)
        for (const k of ['path', 'path.path', 'path.basename'])
            origins.set(k, origin);
    return { flat, data, origins };
}
/** The generator's `values:`, themselves templates over the other parameters. */
function withValues(set, g, goTemplate, def, base) {
    const values = record(g.values);
    if (!values)
        return set;
    const data = {};
    for (const [k, v] of Object.entries(values)) {
        if (typeof v !== 'string')
            continue;
        const rendered = goTemplate
            ? executeGoTemplate(v, set.data)
            : { value: executeFastTemplate(v, set.flat) };
        const value = 'value' in rendered ? rendered.value : v;
        set.flat[`values.${k}`] = value;
        data[k] = value;
        set.origins.set(`values.${k}`, def.locate([...base, 'values', k]));
    }
    set.data.values = data;
    return set;
}
/** Argo CD's SanitizeName: a DNS-1123 label. */
function sanitize(name) {
    return name
        .toLowerCase()
        .replace(/[^a-z0-9-.]+/g, '-')
        .replace(/^[-.]+|[-.]+$/g, '')
        .slice(0, 253);
}
/** Every folder and file under `top` (relative, forward slashes), hidden folders left out. */
function listTree(ctx, top) {
    let found = ctx.trees.get(top);
    if (!found) {
        found = (async () => {
            const dirs = [];
            const files = [];
            const walk = async (abs, rel, depth) => {
                if (depth > 12 || dirs.length + files.length > 50_000)
                    return;
                const entries = await (0,promises_.readdir)(abs, { withFileTypes: true }).catch(() => []);
                for (const e of entries) {
                    if (e.name.startsWith('.') || e.name === 'node_modules')
                        continue;
                    const r = rel ? `${rel}/${e.name}` : e.name;
                    if (e.isDirectory()) {
                        dirs.push(r);
                        await walk(external_node_path_.join(abs, e.name), r, depth + 1);
                    }
                    else if (e.isFile())
                        files.push(r);
                }
            };
            await walk(top, '', 0);
            dirs.sort();
            files.sort();
            return { dirs, files };
        })();
        ctx.trees.set(top, found);
    }
    return found;
}
/** Render the template with one parameter set into an Application definition. */
function generate(appSet, template, params, goTemplate) {
    let failure;
    const render = (text) => {
        if (!text.includes('{{'))
            return text;
        if (!goTemplate)
            return executeFastTemplate(text, params.flat);
        const r = executeGoTemplate(text, params.data);
        if ('error' in r) {
            failure ??= `template expression ${r.error}`;
            return text;
        }
        return r.value;
    };
    const walk = (v) => {
        if (typeof v === 'string')
            return render(v);
        if (Array.isArray(v))
            return v.map(walk);
        if ((0,model_types/* isRecord */.u4)(v))
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [render(k), walk(x)]));
        return v;
    };
    const rendered = walk(template);
    if (failure)
        return { error: failure };
    const metadata = record(rendered.metadata) ?? {};
    const namespace = str(metadata.namespace) ?? appSet.object.metadata.namespace;
    const object = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { ...metadata, ...(namespace ? { namespace } : {}) },
        spec: rendered.spec ?? {},
    };
    const single = /^\s*\{\{-?\s*\.?([\w.[\]-]+)\s*-?\}\}\s*$/;
    return {
        object,
        file: appSet.file,
        generatedBy: describe(appSet),
        ...(appSet.parent ? { parent: appSet.parent } : {}),
        locate(segments) {
            const raw = (0,path/* getAt */.sM)(template, segments);
            if (typeof raw === 'string') {
                const m = single.exec(raw);
                const origin = m ? params.origins.get(m[1]) : undefined;
                if (origin)
                    return origin;
            }
            return appSet.locate(['spec', 'template', ...segments]);
        },
        block: appSet.block ? (segments) => appSet.block(['spec', 'template', ...segments]) : undefined,
    };
}

// EXTERNAL MODULE: ./lib/render/kustomize-map.js
var kustomize_map = __webpack_require__(772);
;// CONCATENATED MODULE: ./lib/gitops/overlay.js

class OverlayBuilder {
    fields = {};
    origins = new Map();
    components = [];
    resources;
    loadRestrictorNone = false;
    set(field, value, origin) {
        this.fields[field] = value;
        this.origins.set(field, origin);
    }
    /** Append to a list field; each item keeps its own origin. */
    push(field, item, origin) {
        const items = this.fields[field] ?? [];
        const index = items.length;
        items.push(item);
        this.fields[field] = items;
        const previous = this.origins.get(field);
        this.origins.set(field, (rel, inText) => {
            if (rel[0] === index)
                return origin(rel.slice(1), inText);
            return previous?.(rel, inText);
        });
    }
    get empty() {
        return Object.keys(this.fields).length === 0 && this.components.length === 0 && !this.resources;
    }
    build() {
        const text = Object.keys(this.fields).length > 0 ? (0,dist/* stringify */.As)(this.fields, { lineWidth: 0 }) : '';
        const index = lineIndex(text);
        return {
            text,
            components: [...this.components],
            ...(this.resources ? { resources: [...this.resources] } : {}),
            ...(this.loadRestrictorNone ? { loadRestrictorNone: true } : {}),
            locate: (line, column) => {
                const at = index.get(line);
                if (!at)
                    return undefined;
                const [field, ...rel] = at.path;
                const origin = this.origins.get(String(field));
                if (!origin)
                    return undefined;
                if (at.block) {
                    const inText = { line: line - at.block.line + 1, column: Math.max(1, column - at.block.indent) };
                    return origin(rel, inText) ?? origin(rel);
                }
                return origin(rel);
            },
        };
    }
}
/** For each line of the YAML text, the deepest node that starts on it. */
function lineIndex(text) {
    const out = new Map();
    if (!text)
        return out;
    const lc = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lc, keepSourceTokens: false });
    const lines = text.split('\n');
    const lineOf = (offset) => lc.linePos(offset).line;
    const visit = (node, path, keyLine) => {
        if (!node)
            return;
        if ((0,dist/* isMap */.jh)(node)) {
            for (const pair of node.items) {
                if (!(0,dist/* isPair */.tO)(pair) || !(0,dist/* isScalar */.jn)(pair.key))
                    continue;
                const p = [...path, String(pair.key.value)];
                const kl = pair.key.range ? lineOf(pair.key.range[0]) : undefined;
                if (kl !== undefined)
                    out.set(kl, { path: p });
                visit(pair.value, p, kl);
            }
        }
        else if ((0,dist/* isSeq */.oP)(node)) {
            node.items.forEach((item, i) => {
                const p = [...path, i];
                const r = item.range;
                if (r)
                    out.set(lineOf(r[0]), { path: p });
                visit(item, p);
            });
        }
        else if ((0,dist/* isScalar */.jn)(node) && node.type === 'BLOCK_LITERAL' && node.range && keyLine !== undefined) {
            const first = keyLine + 1;
            const last = lineOf(Math.max(node.range[0], node.range[1] - 1));
            const sample = lines.slice(first - 1, last).find((l) => l.trim() !== '') ?? '';
            const indent = sample.length - sample.trimStart().length;
            for (let l = first; l <= last; l++)
                out.set(l, { path, block: { line: first, indent } });
        }
    };
    visit(doc.contents, []);
    return out;
}

;// CONCATENATED MODULE: ./lib/gitops/paths.js




async function resolveIn(ctx, from, p) {
    if (external_node_path_.isAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p)) {
        return {
            error: `"${p}" is an absolute path; app definitions are read only for paths inside the repository`,
        };
    }
    const abs = external_node_path_.resolve(from, p);
    if (!(0,contain/* isInside */.FK)(ctx.root, abs))
        return { error: `"${p}" leads outside the repository; refused` };
    const reason = await ctx.contain.check(abs);
    if (reason)
        return { error: `"${p}": ${reason}; refused (only the repository is read, outside .git)` };
    const st = await (0,promises_.stat)(abs).catch(() => undefined);
    return { abs, rel: (0,load_files/* relativeName */.IC)(ctx.cwd, abs) || '.', exists: !!st, isDir: !!st?.isDirectory() };
}
/**
 * A path named from the top of the repository (an Argo CD source's `path`, a Flux source's):
 * from the repository's root, else from a folder discovery was pointed at, whichever has it.
 */
async function resolveFromTop(ctx, p) {
    let first;
    for (const base of ctx.bases) {
        const r = await resolveIn(ctx, base, p === '' ? '.' : p);
        if ('error' in r)
            return r;
        if (r.exists)
            return r;
        first ??= r;
    }
    return first ?? { error: `"${p}" cannot be resolved` };
}

;// CONCATENATED MODULE: ./lib/gitops/targets.js

/**
 * How reports name an app: `Application argocd/web (apps/web.yaml)`, and for one another app
 * rendered, the name of that app (not of the whole chain above it): `HelmRelease web/api
 * (apps/base/api/release.yaml) in Kustomization flux-system/apps (clusters/prod/apps.yaml)`.
 */
function appName(def) {
    const parent = def.parent?.app?.name.replace(/\) in .*$/, ')');
    return `${describe(def)} (${def.file})${parent ? ` in ${parent}` : ''}`;
}
/** What every app target carries: its name, where it is defined, what it reads, its notes. */
function appInfo(def, name, notes) {
    return {
        name,
        location: def.locate(['kind']),
        inputs: { files: [def.file], dirs: [] },
        notes,
        ...(def.parent ? { parent: def.parent } : {}),
    };
}
/** An app with nothing to render here (a remote chart, a plugin): only its notes are reported. */
function skipped(app) {
    return { kind: 'plain', paths: [], app: { ...app, skip: true } };
}

;// CONCATENATED MODULE: ./lib/gitops/values.js

/**
 * Helm's `--set` syntax, as Argo CD parameters and Flux `valuesFrom.targetPath` use it: a dotted
 * path with `[n]` list indexes and `\.` for a dot inside a key, and a value typed the way Helm's
 * strvals types it (`true`, `false`, `null`, integers without a leading zero; everything else a
 * string).
 */
function parseSetPath(name) {
    const out = [];
    let key = '';
    let i = 0;
    const flush = () => {
        if (key !== '')
            out.push(key);
        key = '';
    };
    while (i < name.length) {
        const ch = name[i];
        if (ch === '\\' && i + 1 < name.length) {
            key += name[i + 1];
            i += 2;
        }
        else if (ch === '.') {
            if (key === '' && out.length === 0)
                return undefined;
            flush();
            i++;
        }
        else if (ch === '[') {
            flush();
            const close = name.indexOf(']', i);
            if (close < 0)
                return undefined;
            const n = Number(name.slice(i + 1, close));
            if (!Number.isInteger(n) || n < 0 || n > 65_535)
                return undefined;
            out.push(n);
            i = close + 1;
        }
        else {
            key += ch;
            i++;
        }
    }
    flush();
    return out.length > 0 ? out : undefined;
}
function typedValue(v) {
    if (v === 'true')
        return true;
    if (v === 'false')
        return false;
    if (v === 'null')
        return null;
    if (/^-?(0|[1-9]\d*)$/.test(v) && Number.isSafeInteger(Number(v)))
        return Number(v);
    return v;
}
/** A nested object holding `value` at `path` (lists grown as needed). */
function nested(path, value) {
    const root = {};
    setAt(root, path, value);
    return root;
}
function setAt(root, path, value) {
    let node = root;
    for (let k = 0; k < path.length; k++) {
        const seg = path[k];
        const last = k === path.length - 1;
        const next = typeof path[k + 1] === 'number' ? [] : {};
        if (Array.isArray(node) && typeof seg === 'number') {
            while (node.length <= seg)
                node.push(null);
            if (last)
                node[seg] = value;
            else {
                if (node[seg] === null || typeof node[seg] !== 'object')
                    node[seg] = next;
                node = node[seg];
            }
        }
        else if ((0,model_types/* isRecord */.u4)(node) && typeof seg === 'string') {
            if (last)
                node[seg] = value;
            else {
                if (node[seg] === null || typeof node[seg] !== 'object')
                    node[seg] = next;
                node = node[seg];
            }
        }
        else
            return;
    }
}
/** A values layer read from a field of a definition that holds a mapping (`valuesObject`, `values`). */
function objectLayer(name, def, at, values) {
    return { name, values, locate: (p) => def.locate([...at, ...p]) };
}
/** Parameters (`name`, `value`) as one values layer; each key is edited on its parameter's line. */
function parameterLayer(name, entries) {
    const values = {};
    for (const e of entries)
        setAt(values, e.path, e.value);
    return {
        name,
        values,
        locate(p) {
            for (let i = entries.length - 1; i >= 0; i--) {
                const e = entries[i];
                if (e.path.length === p.length && e.path.every((s, k) => s === p[k]))
                    return e.at;
            }
            return undefined;
        },
    };
}
/**
 * `kustomize edit set image` syntax, as Argo CD's `kustomize.images` uses it:
 * `[name=]newName[:tag][@digest]`, or `name=*:tag`-free forms like `nginx:1.25`.
 */
function parseImageOverride(spec) {
    const s = spec.trim();
    if (!s)
        return undefined;
    const eq = s.indexOf('=');
    const name = eq >= 0 ? s.slice(0, eq) : undefined;
    let rest = eq >= 0 ? s.slice(eq + 1) : s;
    let digest;
    let tag;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    const colon = rest.lastIndexOf(':');
    let repo = rest;
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        repo = rest.slice(0, colon);
    }
    const out = { name: name ?? repo };
    if (name !== undefined && repo !== '' && repo !== name && repo !== '*')
        out.newName = repo;
    if (tag !== undefined)
        out.newTag = tag;
    if (digest !== undefined)
        out.digest = digest;
    return out.name ? out : undefined;
}

;// CONCATENATED MODULE: ./lib/gitops/argocd.js










async function applicationTargets(def, ctx) {
    const o = def.object;
    const spec = specOf(o);
    const base = appName(def);
    const sources = Array.isArray(spec.sources)
        ? spec.sources.flatMap((src, i) => {
            const r = record(src);
            return r ? [{ at: ['spec', 'sources', i], src: r }] : [];
        })
        : record(spec.source)
            ? [{ at: ['spec', 'source'], src: spec.source }]
            : [];
    if (sources.length === 0) {
        return [skipped(appInfo(def, base, [error(`${base}: has no source`, def.locate(['spec']))]))];
    }
    const refs = new Map();
    for (const s of sources) {
        const ref = str(s.src.ref);
        if (ref)
            refs.set(ref, s);
    }
    const rendering = sources.filter((s) => !(str(s.src.ref) && s.src.path === undefined && s.src.chart === undefined));
    const out = [];
    for (const s of rendering) {
        const name = rendering.length > 1 ? `${base} sources[${s.at[2]}]` : base;
        out.push(await sourceTarget(def, ctx, s, name, refs));
    }
    return out;
}
async function sourceTarget(def, ctx, s, name, refs) {
    const spec = specOf(def.object);
    const notes = [];
    const app = appInfo(def, name, notes);
    const destNs = str(record(spec.destination)?.namespace);
    if (destNs)
        app.namespace = destNs;
    const at = (...p) => def.locate([...s.at, ...p]);
    const src = s.src;
    const repoURL = str(src.repoURL);
    const chart = str(src.chart);
    if (chart) {
        notes.push(note(`${name}: chart "${chart}" comes from the chart repository ${repoURL ?? '(none given)'}, which is not fetched (no network); vendor the chart into this repository to have it rendered and checked`, at('chart')));
        return skipped(app);
    }
    if (record(src.plugin)) {
        const plugin = str(record(src.plugin)?.name);
        notes.push(note(`${name}: config management plugin${plugin ? ` "${plugin}"` : ''} is not run (no program from the repository runs); only Helm charts, Kustomize overlays and plain manifests are rendered`, at('plugin')));
        return skipped(app);
    }
    const p = str(src.path) ?? '.';
    const dir = await resolveFromTop(ctx, p);
    if ('error' in dir) {
        notes.push(error(`${name}: path ${dir.error}`, at('path')));
        return skipped(app);
    }
    if (!ctx.identity.isThis(repoURL, dir.exists)) {
        notes.push(note(`${name}: ${repoURL ?? 'the source'} is another repository, which is not fetched; only sources in this repository are rendered`, at('repoURL')));
        return skipped(app);
    }
    if (!dir.isDir) {
        notes.push(missingPath(name, p, str(src.targetRevision), at('path')));
        return skipped(app);
    }
    const tool = await toolOf(src, dir.abs);
    if (tool.problem)
        notes.push(error(`${name}: ${tool.problem}`, at(tool.kind)));
    if (tool.kind === 'helm')
        return helmTarget(def, ctx, s, app, dir, refs);
    if (tool.kind === 'kustomize')
        return kustomizeTarget(def, ctx, s, app, dir);
    return directoryTarget(def, ctx, s, app, dir);
}
/**
 * A source path that is not in this checkout: an error, unless the source tracks a revision other
 * than the usual default branches (`HEAD`, `main`, `master`), which may hold it: other revisions
 * are not fetched.
 */
function missingPath(name, p, revision, at) {
    if (revision && !['HEAD', 'main', 'master'].includes(revision)) {
        return note(`${name}: path "${p}" is not in this checkout; the source tracks revision "${revision}", which may hold it (other revisions are not fetched)`, at);
    }
    return error(`${name}: path "${p}" is not a folder in this repository`, at);
}
async function toolOf(src, dirAbs) {
    const exists = async (f) => !!(await (0,promises_.stat)(external_node_path_.join(dirAbs, f)).catch(() => undefined));
    const hasChart = await exists('Chart.yaml');
    let hasKustomization = false;
    for (const f of kustomize_map/* KUSTOMIZATION_FILES */.Ct)
        if (await exists(f))
            hasKustomization = true;
    const explicit = ['helm', 'kustomize', 'directory'].filter((k) => src[k] !== undefined && src[k] !== null);
    if (explicit.length === 1) {
        const kind = explicit[0];
        if (kind === 'helm' && !hasChart)
            return {
                kind: hasKustomization ? 'kustomize' : 'directory',
                problem: 'helm: is set, but the folder has no Chart.yaml',
            };
        if (kind === 'kustomize' && !hasKustomization)
            return {
                kind: hasChart ? 'helm' : 'directory',
                problem: 'kustomize: is set, but the folder has no kustomization.yaml',
            };
        return { kind };
    }
    return { kind: hasChart ? 'helm' : hasKustomization ? 'kustomize' : 'directory' };
}
async function helmTarget(def, ctx, s, app, dir, refs) {
    const name = app.name;
    const notes = app.notes;
    const helm = record(s.src.helm) ?? {};
    const hat = (...p) => [...s.at, 'helm', ...p];
    const valuesFiles = [];
    const ignoreMissing = helm.ignoreMissingValueFiles === true;
    for (const [i, v] of list(helm.valueFiles).entries()) {
        if (typeof v !== 'string' || v === '')
            continue;
        const where = def.locate(hat('valueFiles', i));
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
            notes.push(note(`${name}: values file ${v} is remote and is not fetched; it is left out`, where));
            continue;
        }
        let file;
        if (v.startsWith('$')) {
            const slash = v.indexOf('/');
            const refName = v.slice(1, slash < 0 ? undefined : slash);
            const ref = refs.get(refName);
            if (!ref) {
                notes.push(error(`${name}: ${v}: no source has ref "${refName}"`, where));
                continue;
            }
            file = await resolveFromTop(ctx, slash < 0 ? '.' : v.slice(slash + 1));
            if (!('error' in file) && !ctx.identity.isThis(str(ref.src.repoURL), file.exists)) {
                notes.push(note(`${name}: ${v} is in ${str(ref.src.repoURL) ?? 'another repository'}, which is not fetched; it is left out`, where));
                continue;
            }
        }
        else
            file = await resolveIn(ctx, dir.abs, v);
        if ('error' in file) {
            notes.push(error(`${name}: values file ${file.error}`, where));
            continue;
        }
        if (!file.exists || file.isDir) {
            notes.push(ignoreMissing
                ? note(`${name}: values file ${v} does not exist (ignoreMissingValueFiles)`, where)
                : error(`${name}: values file ${v} does not exist; rendered without it`, where));
            continue;
        }
        valuesFiles.push(file.rel);
        app.inputs.files.push(file.rel);
    }
    const inlineValues = [];
    // valuesObject replaces values when both are set, as Argo CD does.
    const valuesObject = record(helm.valuesObject);
    if (valuesObject) {
        inlineValues.push(objectLayer(`${def.file} (valuesObject)`, def, hat('valuesObject'), valuesObject));
    }
    else if (typeof helm.values === 'string') {
        const embedded = embeddedValues(def, hat('values'), helm.values);
        if ('error' in embedded)
            notes.push(error(`${name}: helm.values: ${embedded.error}`, def.locate(hat('values'))));
        else
            inlineValues.push({ name: `${def.file} (values)`, ...embedded });
    }
    else if (record(helm.values)) {
        inlineValues.push(objectLayer(`${def.file} (values)`, def, hat('values'), helm.values));
    }
    const set = {};
    const setString = {};
    const params = [];
    for (const [i, raw] of list(helm.parameters).entries()) {
        const param = record(raw);
        const key = str(param?.name);
        if (!param || !key)
            continue;
        const value = param.value === undefined || param.value === null ? '' : String(param.value);
        const force = param.forceString === true;
        const segments = parseSetPath(key);
        if (!segments) {
            notes.push(error(`${name}: parameter "${key}" is not a Helm value path`, def.locate(hat('parameters', i, 'name'))));
            continue;
        }
        // A list index keeps --set's own merge (one item of a list); anything else is a values layer,
        // whose keys are edited on their parameter's line.
        if (segments.some((x) => typeof x === 'number'))
            (force ? setString : set)[key] = value;
        else
            params.push({
                path: segments,
                value: force ? value : typedValue(value),
                at: def.locate(hat('parameters', i, 'value')),
            });
    }
    if (params.length > 0)
        inlineValues.push(parameterLayer(`${def.file} (parameters)`, params));
    if (list(helm.fileParameters).length > 0) {
        notes.push(note(`${name}: helm.fileParameters are not applied`, def.locate(hat('fileParameters'))));
    }
    const destNs = app.namespace;
    const target = {
        kind: 'helm',
        chart: dir.rel,
        releaseName: str(helm.releaseName) ?? str(def.object.metadata.name) ?? 'release',
        namespace: str(helm.namespace) ?? destNs ?? 'default',
        valuesFiles,
        set,
        apiVersions: list(helm.apiVersions).filter((a) => typeof a === 'string'),
        app: { ...app, namespace: str(helm.namespace) ?? destNs ?? 'default' },
    };
    const kubeVersion = str(helm.kubeVersion);
    if (kubeVersion)
        target.kubeVersion = kubeVersion.replace(/^v/, '');
    if (Object.keys(setString).length > 0)
        target.setString = setString;
    if (inlineValues.length > 0)
        target.inlineValues = inlineValues;
    return target;
}
async function kustomizeTarget(def, ctx, s, app, dir) {
    const k = record(s.src.kustomize) ?? {};
    const kat = (...p) => [...s.at, 'kustomize', ...p];
    const here = (...p) => def.locate(kat(...p));
    const overlay = new OverlayBuilder();
    for (const field of ['namePrefix', 'nameSuffix', 'namespace']) {
        const v = str(k[field]);
        if (v)
            overlay.set(field, v, () => here(field));
    }
    for (const [i, v] of list(k.images).entries()) {
        const image = typeof v === 'string' ? parseImageOverride(v) : undefined;
        if (!image) {
            app.notes.push(error(`${app.name}: kustomize.images: "${String(v)}" is not name=image:tag`, here('images', i)));
            continue;
        }
        overlay.push('images', image, () => here('images', i));
    }
    const labels = record(k.commonLabels);
    if (labels) {
        overlay.push('labels', { pairs: labels, includeSelectors: k.labelWithoutSelector !== true }, (rel) => rel[0] === 'pairs' && rel[1] !== undefined ? here('commonLabels', rel[1]) : here('commonLabels'));
    }
    const annotations = record(k.commonAnnotations);
    if (annotations)
        overlay.set('commonAnnotations', annotations, (rel) => here('commonAnnotations', ...rel));
    const replicas = list(k.replicas).flatMap((r) => {
        const e = record(r);
        const count = Number(e?.count);
        return e && str(e.name) && Number.isFinite(count) ? [{ name: str(e.name), count }] : [];
    });
    if (replicas.length > 0)
        overlay.set('replicas', replicas, (rel) => here('replicas', ...rel));
    for (const [i, raw] of list(k.patches).entries()) {
        const p = record(raw);
        if (!p)
            continue;
        await addPatch(overlay, def, ctx, app, kat('patches', i), p, dir.abs);
    }
    for (const [i, c] of list(k.components).entries()) {
        if (typeof c !== 'string' || !c)
            continue;
        const r = await resolveIn(ctx, dir.abs, c);
        if ('error' in r)
            app.notes.push(error(`${app.name}: kustomize.components: ${r.error}`, here('components', i)));
        else {
            overlay.components.push(r.rel);
            app.inputs.dirs.push(r.rel);
        }
    }
    const target = { kind: 'kustomize', dir: dir.rel, app };
    if (!overlay.empty)
        target.overlay = overlay.build();
    return target;
}
/**
 * One `patches:` entry of an app definition into the overlay: inline text as it is, a `path:` read
 * from the repository and inlined (its lines still map to its own file).
 */
async function addPatch(overlay, def, ctx, app, at, p, fromDir) {
    const entry = {};
    if (record(p.target))
        entry.target = p.target;
    if (record(p.options))
        entry.options = p.options;
    if (typeof p.patch === 'string') {
        entry.patch = p.patch;
        overlay.push('patches', entry, (rel, inText) => {
            if (rel[0] === 'patch' && inText) {
                const b = def.block?.([...at, 'patch']);
                if (b)
                    return { file: def.file, line: b.line + inText.line - 1, column: b.indent + inText.column };
            }
            return def.locate([...at, ...rel]);
        });
        return;
    }
    const file = str(p.path);
    if (!file)
        return;
    const r = await resolveIn(ctx, fromDir, file);
    if ('error' in r) {
        app.notes.push(error(`${app.name}: patch ${r.error}`, def.locate([...at, 'path'])));
        return;
    }
    const text = r.exists && !r.isDir ? await (0,promises_.readFile)(r.abs, 'utf8').catch(() => undefined) : undefined;
    if (text === undefined) {
        app.notes.push(error(`${app.name}: patch ${file} does not exist`, def.locate([...at, 'path'])));
        return;
    }
    entry.patch = text;
    app.inputs.files.push(r.rel);
    overlay.push('patches', entry, (rel, inText) => rel[0] === 'patch' && inText
        ? { file: r.rel, line: inText.line, column: inText.column }
        : def.locate([...at, rel[0] === 'patch' ? 'path' : String(rel[0] ?? 'path')]));
}
async function directoryTarget(def, ctx, s, app, dir) {
    const d = record(s.src.directory) ?? {};
    const at = (...p) => def.locate([...s.at, 'directory', ...p]);
    const include = str(d.include);
    const exclude = str(d.exclude);
    const inc = include ? argoGlob(include) : undefined;
    const exc = exclude ? argoGlob(exclude) : undefined;
    const files = [];
    let jsonnet = false;
    const walk = async (abs, rel) => {
        const entries = await (0,promises_.readdir)(abs, { withFileTypes: true }).catch(() => []);
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
            const r = rel ? `${rel}/${e.name}` : e.name;
            if (e.isDirectory()) {
                if (d.recurse === true && !e.name.startsWith('.'))
                    await walk(external_node_path_.join(abs, e.name), r);
            }
            else if (e.isFile()) {
                if (/\.(jsonnet|libsonnet)$/.test(e.name))
                    jsonnet = true;
                if (!/\.(ya?ml|json)$/i.test(e.name))
                    continue;
                if (inc && !inc.test(r))
                    continue;
                if (exc?.test(r))
                    continue;
                const reason = await ctx.contain.check(external_node_path_.join(abs, e.name));
                if (reason)
                    app.notes.push(error(`${app.name}: ${reason}; refused`, at()));
                else
                    files.push((0,load_files/* relativeName */.IC)(ctx.cwd, external_node_path_.join(abs, e.name)));
            }
        }
    };
    await walk(dir.abs, '');
    if (jsonnet || record(d.jsonnet)) {
        app.notes.push(note(`${app.name}: Jsonnet is not evaluated; only the folder's YAML and JSON manifests are checked`, at()));
    }
    return { kind: 'plain', paths: files, app };
}
/** Argo CD's directory globs: `*` crosses folders, `{a,b}` alternatives, `?` one character. */
function argoGlob(pattern) {
    let re = '';
    let depth = 0;
    for (const ch of pattern) {
        if (ch === '*')
            re += '.*';
        else if (ch === '?')
            re += '.';
        else if (ch === '{') {
            re += '(?:';
            depth++;
        }
        else if (ch === '}' && depth > 0) {
            re += ')';
            depth--;
        }
        else if (ch === ',' && depth > 0)
            re += '|';
        else
            re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
    const compiled = new RegExp(`^(?:${re})$`);
    return { test: (file) => compiled.test(file) };
}

// EXTERNAL MODULE: ./lib/model/hash.js
var model_hash = __webpack_require__(9877);
// EXTERNAL MODULE: ./lib/secrets/index.js + 6 modules
var secrets = __webpack_require__(2767);
// EXTERNAL MODULE: ./lib/load/yaml.js + 1 modules
var yaml = __webpack_require__(4536);
;// CONCATENATED MODULE: ./lib/gitops/substitute.js



const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';
const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
/** Replace the variables in `text`. */
function envsubst(text, lookup) {
    const refs = [];
    let out = '';
    let i = 0;
    while (i < text.length) {
        const dollar = text.indexOf('$', i);
        if (dollar < 0) {
            out += text.slice(i);
            break;
        }
        out += text.slice(i, dollar);
        const next = text[dollar + 1];
        if (next === '$') {
            out += '$';
            i = dollar + 2;
            continue;
        }
        if (next === '{') {
            const close = text.indexOf('}', dollar + 2);
            const body = close < 0 ? undefined : text.slice(dollar + 2, close);
            const m = body === undefined ? null : /^(#?)([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-=+])(.*))?$/s.exec(body);
            if (!m) {
                out += '$';
                i = dollar + 1;
                continue;
            }
            const [, length, name, op, operand] = m;
            const value = lookup(name);
            refs.push({ name, defined: value !== undefined, ...(op ? { fallback: true } : {}) });
            let result;
            if (op === ':-' || op === ':=')
                result = value === undefined || value === '' ? (operand ?? '') : value;
            else if (op === '-' || op === '=')
                result = value === undefined ? (operand ?? '') : value;
            else if (op === ':+')
                result = value === undefined || value === '' ? '' : (operand ?? '');
            else if (op === '+')
                result = value === undefined ? '' : (operand ?? '');
            else
                result = value ?? '';
            out += length ? String(result.length) : result;
            i = close + 1;
            continue;
        }
        const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(text.slice(dollar + 1));
        if (!m) {
            out += '$';
            i = dollar + 1;
            continue;
        }
        const value = lookup(m[0]);
        refs.push({ name: m[0], defined: value !== undefined });
        out += value ?? '';
        i = dollar + 1 + m[0].length;
    }
    return { text: out, refs };
}
/**
 * Substitute the variables in every object of a render, string by string (Flux substitutes the
 * object's YAML text; a value quoted in the source stays a string, an unquoted one is read as
 * YAML again, so `replicas: ${replicas}` becomes a number). Objects that no variable touches
 * keep their manifest; the others are read back, and their source map puts a substituted field
 * on its variable's line.
 */
function substituteResult(result, vars, options) {
    if (vars.size === 0)
        return result;
    const lookup = (name) => vars.get(name)?.value;
    const notes = [];
    const undefinedNames = new Set();
    const made = [];
    for (const m of result.manifests) {
        const o = m.object;
        if (disabled(o) || !JSON.stringify(o).includes('$')) {
            made.push({ object: o, fields: undefined });
            continue;
        }
        const fields = new Map();
        const walk = (v, at) => {
            if (typeof v === 'string') {
                if (!v.includes('$'))
                    return v;
                const sub = envsubst(v, lookup);
                for (const r of sub.refs)
                    if (!r.defined && !r.fallback)
                        undefinedNames.add(r.name);
                if (sub.text === v)
                    return v;
                fields.set(JSON.stringify(at), sub.refs.filter((r) => r.defined).map((r) => r.name));
                return options.quoted?.(m, at) ? sub.text : typed(sub.text);
            }
            if (Array.isArray(v))
                return v.map((x, i) => walk(x, [...at, i]));
            if ((0,model_types/* isRecord */.u4)(v)) {
                const out = {};
                for (const [k, x] of Object.entries(v)) {
                    const key = k.includes('$') ? envsubst(k, lookup).text : k;
                    out[key] = walk(x, [...at, k]);
                }
                return out;
            }
            return v;
        };
        const next = walk(o, []);
        made.push(fields.size > 0 ? { object: next, fields } : { object: o, fields: undefined });
    }
    if (undefinedNames.size > 0) {
        notes.push({
            level: 'note',
            message: `${options.name}: ${[...undefinedNames]
                .sort()
                .map((n) => `\${${n}}`)
                .join(', ')} ${undefinedNames.size === 1 ? 'is' : 'are'} not defined in the repository (substituted as empty)`,
            location: options.at,
        });
    }
    if (!made.some((x) => x.fields)) {
        return notes.length > 0 ? { ...result, errors: [...result.errors, ...notes] } : result;
    }
    const rendered = made.map((x) => (0,dist/* stringify */.As)(x.object, { lineWidth: 0 })).join('---\n');
    const name = result.manifests[0]?.file ?? 'rendered';
    const reparsed = (0,yaml/* parseManifests */.Ye)(rendered, name);
    const manifests = reparsed.manifests.map((m, k) => {
        const before = result.manifests[k];
        const fields = made[k]?.fields;
        if (!before)
            return m;
        const original = before.locateSource ?? before.locate;
        m.locateSource = fields
            ? (segments) => variableAt(fields, segments, vars) ?? original(segments)
            : original;
        return m;
    });
    return { ...result, manifests, rendered, errors: [...result.errors, ...reparsed.errors, ...notes] };
}
/** An unquoted value read again as YAML: numbers, booleans and null typed; anything else a string. */
function typed(text) {
    try {
        const v = (0,yaml/* parseManifests */.Ye)(`apiVersion: v1\nkind: T\nmetadata: {}\nv: ${text}\n`, '').manifests[0]?.object
            .v;
        return v === null || typeof v === 'number' || typeof v === 'boolean' ? v : text;
    }
    catch {
        return text;
    }
}
/**
 * The definition of the variable that made the field (or the string it sits in): of its
 * variables, the last one defined (the one that shows last in the value).
 */
function variableAt(fields, segments, vars) {
    for (let k = segments.length; k >= 0; k--) {
        const names = fields.get(JSON.stringify(segments.slice(0, k)));
        if (names)
            return names.length > 0 ? vars.get(names[names.length - 1])?.at : undefined;
    }
    return undefined;
}
function disabled(o) {
    const meta = o.metadata;
    const label = (0,model_types/* isRecord */.u4)(meta?.labels) ? meta.labels[SUBSTITUTE_ANNOTATION] : undefined;
    const annotation = (0,model_types/* isRecord */.u4)(meta?.annotations) ? meta.annotations[SUBSTITUTE_ANNOTATION] : undefined;
    return label === 'disabled' || annotation === 'disabled';
}

;// CONCATENATED MODULE: ./lib/gitops/flux.js
















/**
 * Flux: a Kustomization -> a Kustomize target over its source's path (a folder without a
 * kustomization.yaml is all of its manifests, as kustomize-controller generates one), with its
 * `targetNamespace`, `namePrefix`/`nameSuffix`, `commonMetadata`, `images`, `patches` and
 * `components` laid over, and its `postBuild` variables substituted after the build. A
 * HelmRelease whose chart is in this repository (a GitRepository source, or `chartRef` to a
 * HelmChart on one) -> a Helm target with `valuesFiles`, `valuesFrom` and `values` layered as
 * helm-controller layers them. Sources are this repository when their URL says so (or for the
 * `flux-system` GitRepository that bootstrap creates, when the repository does not define it);
 * chart repositories, OCI and Bucket sources are never fetched.
 */
/** Files source-controller leaves out of every artifact. */
const IGNORED = /^(\.|appveyor\.yml$|cloudbuild\.yaml$|codeship-(services|steps)\.yml$)/;
// ---------------------------------------------------------------------------------------------
// Sources
async function sourceRoot(ctx, def, at, ref) {
    const kind = str(ref.kind) ?? 'GitRepository';
    const name = str(ref.name) ?? '';
    const ns = str(ref.namespace) ?? def.object.metadata.namespace ?? 'default';
    const where = def.locate(at);
    if (kind === 'GitRepository')
        return gitRoot(ctx, name, ns, where, def);
    if (kind === 'ExternalArtifact')
        return artifactRoot(ctx, name, ns, where, def);
    const src = findSource(ctx, kind, ns, name, def);
    const url = src ? str(specOf(src.object).url) : undefined;
    return {
        note: note(`${kind} ${ns}/${name}${url ? ` (${url})` : ''} is not fetched (no network); only sources in this repository are rendered`, where),
    };
}
/**
 * The source a definition refers to. Clusters kept side by side in one repository reuse names
 * (`flux-system` everywhere): the one defined nearest the referring file wins.
 */
function findSource(ctx, kind, ns, name, near) {
    const all = ctx.inventory.sources.filter((d) => d.object.kind === kind && d.object.metadata.name === name);
    return (nearest(all.filter((d) => (d.object.metadata.namespace ?? ns) === ns), near) ?? all[0]);
}
/** Of the candidates, the one whose file shares the longest folder prefix with `near`'s. */
function nearest(candidates, near) {
    if (!near || candidates.length < 2)
        return candidates[0];
    const parts = (d) => d.file.split('/').slice(0, -1);
    const here = parts(near);
    let best = candidates[0];
    let score = -1;
    for (const c of candidates) {
        const there = parts(c);
        let k = 0;
        while (k < there.length && k < here.length && there[k] === here[k])
            k++;
        const s = k + (near.parent && c.parent === near.parent ? 100 : 0);
        if (s > score) {
            best = c;
            score = s;
        }
    }
    return best;
}
function gitRoot(ctx, name, ns, where, near) {
    const src = findSource(ctx, 'GitRepository', ns, name, near);
    const url = src ? str(specOf(src.object).url) : undefined;
    // Bootstrap's own GitRepository is the repository that holds the cluster's folder.
    const own = src
        ? ctx.identity.isThis(url, true)
        : name === 'flux-system' || ctx.identity.isThis(undefined, true);
    if (!own) {
        return {
            note: note(src
                ? `GitRepository ${ns}/${name} is ${url ?? 'another repository'}, which is not fetched; only sources in this repository are rendered`
                : `GitRepository ${ns}/${name} is not defined in this repository, so its content is not known; not rendered`, where),
        };
    }
    const ref = record(src ? specOf(src.object).ref : undefined);
    const revision = str(ref?.branch) ?? str(ref?.tag) ?? str(ref?.semver) ?? str(ref?.name) ?? str(ref?.commit);
    // Bootstrap's own source is the checkout, whatever branch it names.
    return {
        resolve: (p) => resolveFromTop(ctx, p),
        ...(revision && name !== 'flux-system' ? { revision } : {}),
    };
}
/**
 * An ExternalArtifact an ArtifactGenerator makes by copying folders of this repository
 * (`from: "@repo/apps/**"`, `to: "@artifact/apps/"`): its paths map back to those folders.
 */
function artifactRoot(ctx, name, ns, where, near) {
    const generator = nearest(ctx.inventory.sources.filter((d) => d.object.kind === 'ArtifactGenerator' &&
        (d.object.metadata.namespace ?? ns) === ns &&
        list(specOf(d.object).artifacts).some((a) => record(a)?.name === name)), near);
    if (!generator) {
        return {
            note: note(`ExternalArtifact ${ns}/${name} is not made by an ArtifactGenerator in this repository; not rendered`, where),
        };
    }
    const spec = specOf(generator.object);
    const artifact = list(spec.artifacts)
        .map(record)
        .find((a) => a?.name === name);
    const aliases = new Map();
    for (const s of list(spec.sources)) {
        const r = record(s);
        const alias = str(r?.alias);
        if (!r || !alias)
            continue;
        aliases.set(alias, str(r.kind) === 'GitRepository'
            ? gitRoot(ctx, str(r.name) ?? '', str(r.namespace) ?? ns, where, generator)
            : { note: note(`${str(r.kind)} ${str(r.name)} is not fetched`, where) });
    }
    const rules = list(artifact.copy).flatMap((c) => {
        const r = record(c);
        const from = /^@([^/]+)\/(.*?)\/?\*\*$/.exec(str(r?.from) ?? '');
        const to = /^@artifact\/?(.*)$/.exec(str(r?.to) ?? '');
        if (!from || !to)
            return [];
        return [{ alias: from[1], from: from[2].replace(/\/+$/, ''), to: to[1].replace(/\/+$/, '') }];
    });
    return {
        async resolve(p) {
            const rel = external_node_path_.posix.normalize(p.replace(/^\.\//, '')).replace(/^\.$/, '').replace(/\/+$/, '');
            // The longest `to` that holds the path wins (a later rule of equal length overrides).
            let best;
            for (const r of rules) {
                if (r.to === '' || rel === r.to || rel.startsWith(`${r.to}/`)) {
                    if (!best || r.to.length >= best.to.length)
                        best = r;
                }
            }
            if (!best)
                return { error: `"${p}" is not copied into ExternalArtifact ${ns}/${name} from this repository` };
            const root = aliases.get(best.alias);
            if (!root || 'note' in root)
                return { error: `"${p}" comes from @${best.alias}, which is not this repository` };
            const rest = best.to === '' ? rel : rel.slice(best.to.length).replace(/^\//, '');
            return root.resolve(external_node_path_.posix.join(best.from || '.', rest || '.'));
        },
    };
}
function findConfig(ctx, kind, ns, name, near) {
    const all = ctx.inventory.configs.filter((d) => d.object.kind === kind && d.object.metadata.name === name && (d.object.metadata.namespace ?? ns) === ns);
    // Built by the same Kustomization, then written with this namespace, then any; nearest first.
    const same = all.filter((d) => near.parent && d.parent === near.parent);
    const named = all.filter((d) => d.object.metadata.namespace === ns);
    return nearest(same, near) ?? nearest(named, near) ?? nearest(all, near);
}
function configEntries(def) {
    const out = new Map();
    const secret = def.object.kind === 'Secret';
    const data = record(def.object.data) ?? {};
    for (const [k, v] of Object.entries(data)) {
        if (typeof v !== 'string')
            continue;
        const text = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
        out.set(k, { text, secret, def, at: ['data', k], encoded: secret });
    }
    for (const [k, v] of Object.entries(record(def.object.stringData) ?? {})) {
        if (typeof v === 'string')
            out.set(k, { text: v, secret, def, at: ['stringData', k], encoded: false });
    }
    return out;
}
function sopsEncrypted(def) {
    return (0,model_types/* isRecord */.u4)(def.object.sops);
}
// ---------------------------------------------------------------------------------------------
// Kustomization
async function fluxKustomizationTarget(def, ctx) {
    const name = appName(def);
    const notes = [];
    const app = appInfo(def, name, notes);
    const spec = specOf(def.object);
    const here = (...p) => def.locate(['spec', ...p]);
    const src = await sourceRoot(ctx, def, ['spec', 'sourceRef'], record(spec.sourceRef) ?? {});
    if ('note' in src) {
        notes.push({ ...src.note, message: `${name}: ${src.note.message}` });
        return skipped(app);
    }
    const p = str(spec.path) ?? './';
    const dir = await src.resolve(p);
    if ('error' in dir) {
        notes.push(error(`${name}: path ${dir.error}`, here('path')));
        return skipped(app);
    }
    if (!dir.isDir) {
        notes.push(missingPath(name, p, src.revision, here('path')));
        return skipped(app);
    }
    const overlay = new OverlayBuilder();
    overlay.loadRestrictorNone = true;
    let hasKustomization = false;
    for (const f of kustomize_map/* KUSTOMIZATION_FILES */.Ct)
        if (await (0,promises_.stat)(external_node_path_.join(dir.abs, f)).catch(() => undefined))
            hasKustomization = true;
    if (!hasKustomization)
        overlay.resources = await folderResources(dir.abs, ctx, app, here('path'));
    const targetNamespace = str(spec.targetNamespace);
    if (targetNamespace) {
        app.namespace = targetNamespace;
        overlay.set('namespace', targetNamespace, () => here('targetNamespace'));
    }
    for (const field of ['namePrefix', 'nameSuffix']) {
        const v = str(spec[field]);
        if (v)
            overlay.set(field, v, () => here(field));
    }
    const common = record(spec.commonMetadata);
    const labels = record(common?.labels);
    if (labels) {
        overlay.push('labels', { pairs: labels, includeSelectors: false }, (rel) => here('commonMetadata', 'labels', ...(rel[0] === 'pairs' ? rel.slice(1) : [])));
    }
    const annotations = record(common?.annotations);
    if (annotations)
        overlay.set('commonAnnotations', annotations, (rel) => here('commonMetadata', 'annotations', ...rel));
    for (const [i, raw] of list(spec.images).entries()) {
        const img = record(raw);
        if (!img || !str(img.name))
            continue;
        const entry = {};
        for (const k of ['name', 'newName', 'newTag', 'digest'])
            if (str(img[k]))
                entry[k] = str(img[k]);
        overlay.push('images', entry, (rel) => here('images', i, ...rel));
    }
    for (const [i, raw] of list(spec.patches).entries()) {
        const patch = record(raw);
        if (patch)
            await addPatch(overlay, def, ctx, app, ['spec', 'patches', i], patch, dir.abs);
    }
    for (const old of ['patchesStrategicMerge', 'patchesJson6902']) {
        if (list(spec[old]).length > 0)
            notes.push(note(`${name}: ${old} (removed in kustomize.toolkit.fluxcd.io/v1) is not applied; use patches`, here(old)));
    }
    for (const [i, c] of list(spec.components).entries()) {
        if (typeof c !== 'string' || !c)
            continue;
        const r = await src.resolve(external_node_path_.posix.join(p, c));
        if ('error' in r || !r.isDir)
            notes.push(error(`${name}: component ${'error' in r ? r.error : `"${c}" is not a folder`}`, here('components', i)));
        else {
            overlay.components.push(r.rel);
            app.inputs.dirs.push(r.rel);
        }
    }
    const vars = await variables(def, ctx, app);
    if (vars.size > 0) {
        const quoted = quotedReader(ctx);
        app.postRender = (result) => substituteResult(result, vars, {
            at: here('postBuild'),
            name,
            quoted: (m, segs) => quoted(m.locateSource?.(segs)),
        });
    }
    return { kind: 'kustomize', dir: dir.rel, overlay: overlay.build(), app };
}
/**
 * A Flux path without a kustomization.yaml: every manifest under it, and each subfolder that has
 * a kustomization as a whole (kustomize-controller's generated kustomization). A YAML file that
 * is no Kubernetes object fails Flux's build; here it is left out with an error on it.
 */
async function folderResources(dirAbs, ctx, app, at) {
    const out = [];
    const walk = async (abs) => {
        const entries = await (0,promises_.readdir)(abs, { withFileTypes: true }).catch(() => []);
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
            if (IGNORED.test(e.name))
                continue;
            const full = external_node_path_.join(abs, e.name);
            if (e.isDirectory()) {
                let sub = false;
                for (const f of kustomize_map/* KUSTOMIZATION_FILES */.Ct)
                    if (await (0,promises_.stat)(external_node_path_.join(full, f)).catch(() => undefined))
                        sub = true;
                if (sub)
                    out.push((0,load_files/* relativeName */.IC)(ctx.cwd, full));
                else
                    await walk(full);
            }
            else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
                const reason = await ctx.contain.check(full);
                const rel = (0,load_files/* relativeName */.IC)(ctx.cwd, full);
                if (reason) {
                    app.notes.push(error(`${app.name}: ${reason}; refused`, at));
                    continue;
                }
                const text = await (0,promises_.readFile)(full, 'utf8').catch(() => '');
                if (!/^\s*kind:\s*\S/m.test(text) || !/^\s*apiVersion:\s*\S/m.test(text)) {
                    app.notes.push(error(`${app.name}: ${rel} is not a Kubernetes manifest (Flux's build fails on it); left out`, {
                        file: rel,
                        line: 1,
                        column: 1,
                    }));
                    continue;
                }
                out.push(rel);
            }
        }
    };
    await walk(dirAbs);
    return out;
}
/** `postBuild.substituteFrom` (in order) then `postBuild.substitute`, as kustomize-controller merges them. */
async function variables(def, ctx, app) {
    const out = new Map();
    const spec = specOf(def.object);
    const post = record(spec.postBuild);
    if (!post)
        return out;
    const ns = def.object.metadata.namespace ?? 'default';
    const here = (...p) => def.locate(['spec', 'postBuild', ...p]);
    for (const [i, raw] of list(post.substituteFrom).entries()) {
        const ref = record(raw);
        const kind = str(ref?.kind);
        const name = str(ref?.name);
        if (!ref || !name || (kind !== 'ConfigMap' && kind !== 'Secret'))
            continue;
        const cfg = findConfig(ctx, kind, ns, name, def);
        if (!cfg) {
            if (ref.optional !== true) {
                app.notes.push(note(`${app.name}: ${kind} ${ns}/${name} is not in this repository; its variables are not known here`, here('substituteFrom', i)));
            }
            continue;
        }
        app.inputs.files.push(cfg.file);
        if (sopsEncrypted(cfg)) {
            app.notes.push(note(`${app.name}: ${kind} ${ns}/${name} is encrypted (SOPS); its variables are not known here`, here('substituteFrom', i)));
            continue;
        }
        for (const [key, v] of configEntries(cfg)) {
            if (v.secret)
                secrets/* secrets */.O3.add(v.text, 'repository');
            out.set(key, { value: v.text.replaceAll('\n', ''), at: cfg.locate(v.at) });
        }
    }
    for (const [key, v] of Object.entries(record(post.substitute) ?? {})) {
        if (v === null || v === undefined || typeof v === 'object')
            continue;
        out.set(key, { value: String(v).replaceAll('\n', ''), at: here('substitute', key) });
    }
    for (const key of out.keys()) {
        if (!VARIABLE_NAME.test(key)) {
            app.notes.push(error(`${app.name}: "${key}" is not a valid variable name (Flux refuses the substitution)`, here()));
            out.delete(key);
        }
    }
    return out;
}
/** Is the value at a location written in quotes (read from the file, once per file)? */
function quotedReader(ctx) {
    const files = new Map();
    return (loc) => {
        if (!loc)
            return undefined;
        if (!files.has(loc.file)) {
            let lines = null;
            try {
                // Synchronous on purpose: a post-render step runs in one go, and each file is read once.
                lines = readFileSyncSafe(external_node_path_.resolve(ctx.cwd, loc.file))?.split('\n') ?? null;
            }
            catch {
                lines = null;
            }
            files.set(loc.file, lines);
        }
        const line = files.get(loc.file)?.[loc.line - 1];
        if (line === undefined)
            return undefined;
        const rest = line.slice(loc.column - 1);
        const m = /^(?:-\s+)?(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^:#]*?):\s+(["'])/.exec(rest);
        return !!m || /^(?:-\s+)?["']/.test(rest);
    };
}
function readFileSyncSafe(abs) {
    const st = (0,external_node_fs_.statSync)(abs, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > 4 * 1024 * 1024)
        return undefined;
    return (0,external_node_fs_.readFileSync)(abs, 'utf8');
}
// ---------------------------------------------------------------------------------------------
// HelmRelease
async function helmReleaseTarget(def, ctx) {
    const name = appName(def);
    const notes = [];
    const app = appInfo(def, name, notes);
    const spec = specOf(def.object);
    const here = (...p) => def.locate(['spec', ...p]);
    const ns = def.object.metadata.namespace ?? def.parent?.app?.namespace ?? 'default';
    const releaseNs = str(spec.targetNamespace) ?? ns;
    app.namespace = releaseNs;
    // The chart: spec.chart.spec, or chartRef to a HelmChart (whose spec has the same fields).
    let chartDef = def;
    let chartAt = ['spec', 'chart', 'spec'];
    const chartRef = record(spec.chartRef);
    if (chartRef) {
        const kind = str(chartRef.kind) ?? '';
        const refNs = str(chartRef.namespace) ?? ns;
        const refName = str(chartRef.name) ?? '';
        if (kind !== 'HelmChart') {
            const src = findSource(ctx, kind, refNs, refName, def);
            const url = src ? str(specOf(src.object).url) : undefined;
            notes.push(note(`${name}: the chart comes from ${kind} ${refNs}/${refName}${url ? ` (${url})` : ''}, which is not fetched (no network); the HelmRelease is not rendered (vendor the chart into this repository to have it checked)`, here('chartRef')));
            return skipped(app);
        }
        const hc = findSource(ctx, 'HelmChart', refNs, refName, def);
        if (!hc) {
            notes.push(error(`${name}: HelmChart ${refNs}/${refName} is not defined in this repository`, here('chartRef')));
            return skipped(app);
        }
        chartDef = hc;
        chartAt = ['spec'];
        app.inputs.files.push(hc.file);
    }
    const chartSpec = record(getIn(chartDef.object, chartAt));
    const chartName = str(chartSpec?.chart);
    if (!chartSpec || !chartName) {
        notes.push(error(`${name}: names no chart`, here()));
        return skipped(app);
    }
    const sourceRef = record(chartSpec.sourceRef) ?? {};
    const sourceKind = str(sourceRef.kind) ?? 'HelmRepository';
    if (sourceKind !== 'GitRepository' && sourceKind !== 'ExternalArtifact') {
        const refNs = str(sourceRef.namespace) ?? chartDef.object.metadata.namespace ?? ns;
        const src = findSource(ctx, sourceKind, refNs, str(sourceRef.name) ?? '', chartDef);
        const url = src ? str(specOf(src.object).url) : undefined;
        notes.push(note(`${name}: chart "${chartName}" comes from ${sourceKind} ${refNs}/${str(sourceRef.name) ?? ''}${url ? ` (${url})` : ''}, which is not fetched (no network); the HelmRelease is not rendered (vendor the chart into this repository to have it checked)`, chartDef.locate([...chartAt, 'chart'])));
        return skipped(app);
    }
    const root = await sourceRoot(ctx, chartDef, [...chartAt, 'sourceRef'], sourceRef);
    if ('note' in root) {
        notes.push({ ...root.note, message: `${name}: ${root.note.message}` });
        return skipped(app);
    }
    const chart = await root.resolve(chartName);
    if ('error' in chart ||
        !chart.isDir ||
        !(await (0,promises_.stat)(external_node_path_.join(chart.abs, 'Chart.yaml')).catch(() => undefined))) {
        notes.push(error(`${name}: chart ${'error' in chart ? chart.error : `"${chartName}" is not a chart folder in this repository`}`, chartDef.locate([...chartAt, 'chart'])));
        return skipped(app);
    }
    const valuesFiles = [];
    for (const [i, f] of list(chartSpec.valuesFiles).entries()) {
        if (typeof f !== 'string' || !f)
            continue;
        const r = await root.resolve(f);
        if ('error' in r || !r.exists) {
            notes.push(error(`${name}: values file ${'error' in r ? r.error : `${f} does not exist`}`, chartDef.locate([...chartAt, 'valuesFiles', i])));
        }
        else {
            valuesFiles.push(r.rel);
            app.inputs.files.push(r.rel);
        }
    }
    const inlineValues = [];
    for (const [i, raw] of list(spec.valuesFrom).entries()) {
        const layer = valuesFrom(def, ctx, app, ns, i, record(raw));
        if (layer)
            inlineValues.push(layer);
    }
    const values = record(spec.values);
    if (values)
        inlineValues.push(objectLayer(`${def.file} (values)`, def, ['spec', 'values'], values));
    if (list(spec.postRenderers).length > 0) {
        notes.push(note(`${name}: postRenderers are not applied; the chart's output is checked as Helm renders it`, here('postRenderers')));
    }
    const target = {
        kind: 'helm',
        chart: chart.rel,
        releaseName: releaseName(def),
        namespace: releaseNs,
        valuesFiles,
        set: {},
        apiVersions: [],
        app,
    };
    if (inlineValues.length > 0)
        target.inlineValues = inlineValues;
    return target;
}
function getIn(o, at) {
    let node = o;
    for (const s of at)
        node = (0,model_types/* isRecord */.u4)(node) ? node[String(s)] : undefined;
    return node;
}
/** `spec.releaseName`, else `[targetNamespace-]name`, shortened as helm-controller does past 53 characters. */
function releaseName(def) {
    const spec = specOf(def.object);
    const given = str(spec.releaseName);
    if (given)
        return given;
    const tn = str(spec.targetNamespace);
    const name = `${tn ? `${tn}-` : ''}${def.object.metadata.name ?? 'release'}`;
    if (name.length <= 53)
        return name;
    const hash = (0,model_hash/* sha256Hex */.f)(name, 12);
    return `${name.slice(0, 40)}-${hash}`;
}
function valuesFrom(def, ctx, app, ns, i, ref) {
    const kind = str(ref?.kind);
    const cfgName = str(ref?.name);
    const where = def.locate(['spec', 'valuesFrom', i]);
    if (!ref || !cfgName || (kind !== 'ConfigMap' && kind !== 'Secret'))
        return undefined;
    const optional = ref.optional === true;
    const cfg = findConfig(ctx, kind, ns, cfgName, def);
    if (!cfg) {
        if (!optional)
            app.notes.push(note(`${app.name}: ${kind} ${ns}/${cfgName} is not in this repository; its values are left out`, where));
        return undefined;
    }
    app.inputs.files.push(cfg.file);
    if (sopsEncrypted(cfg)) {
        app.notes.push(note(`${app.name}: ${kind} ${ns}/${cfgName} is encrypted (SOPS); its values are left out`, where));
        return undefined;
    }
    const key = str(ref.valuesKey) ?? 'values.yaml';
    const entry = configEntries(cfg).get(key);
    if (!entry) {
        if (!optional)
            app.notes.push(note(`${app.name}: ${kind} ${ns}/${cfgName} has no key "${key}"; its values are left out`, where));
        return undefined;
    }
    if (entry.secret)
        secrets/* secrets */.O3.add(entry.text, 'repository');
    const name = `${cfg.file} (${kind} ${cfgName} ${key})`;
    const targetPath = str(ref.targetPath);
    if (targetPath) {
        const segments = parseSetPath(targetPath);
        if (!segments) {
            app.notes.push(error(`${app.name}: targetPath "${targetPath}" is not a Helm value path`, def.locate(['spec', 'valuesFrom', i, 'targetPath'])));
            return undefined;
        }
        const quoted = /^(".*"|'.*')$/s.exec(entry.text);
        const value = quoted ? entry.text.slice(1, -1) : typedValue(entry.text);
        if (entry.secret && typeof value === 'string')
            secrets/* secrets */.O3.add(value, 'repository');
        const at = cfg.locate(entry.at);
        return {
            name,
            values: nested(segments, value),
            locate: (p) => (p.length === segments.length && p.every((s, k) => s === segments[k]) ? at : undefined),
        };
    }
    const source = entry.encoded ? { file: cfg.file, locate: cfg.locate } : cfg;
    const embedded = embeddedValues(source, entry.at, entry.text);
    if ('error' in embedded) {
        app.notes.push(error(`${app.name}: ${kind} ${ns}/${cfgName} key ${key}: ${embedded.error}`, cfg.locate(entry.at)));
        return undefined;
    }
    if (entry.secret)
        secrets/* secrets */.O3.addAll(leaves(embedded.values), 'repository');
    return { name, ...embedded };
}
function leaves(v) {
    if (typeof v === 'string')
        return [v];
    if (Array.isArray(v))
        return v.flatMap(leaves);
    if ((0,model_types/* isRecord */.u4)(v))
        return Object.values(v).flatMap(leaves);
    return [];
}

;// CONCATENATED MODULE: ./lib/gitops/repository.js
/**
 * Which repository URLs are this repository. App definitions name their sources by URL
 * (`https://github.com/acme/deploy.git`, `ssh://git@github.com/acme/deploy`): a source counts as
 * this checkout when its URL is one of the repository's known names: the config's
 * `discover.repoURLs`, `GITHUB_REPOSITORY` on the Actions runner, and the `origin` remote. Nothing
 * else is fetched.
 *
 * When none of the definitions names a known URL (a copy of a repository, a run without a
 * remote), the repository cannot be told from others by name; then a source counts as this
 * checkout when the path it names exists here, and the run says so once.
 */
/** `https://user:pw@GitHub.com/Acme/Deploy.git/` and `git@github.com:acme/deploy` -> `github.com/acme/deploy`. */
function normalizeRepoURL(url) {
    let u = url.trim().replace(/^git\+/i, '');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u))
        u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    else {
        // scp-like: [user@]host:path
        const scp = /^(?:[^@/]+@)?([^/:]+):(.+)$/.exec(u);
        if (scp)
            u = `${scp[1]}/${scp[2].replace(/^\/+/, '')}`;
    }
    u = u.replace(/^[^@/]*@/, ''); // user and password
    const slash = u.indexOf('/');
    let host = slash < 0 ? u : u.slice(0, slash);
    const rest = slash < 0 ? '' : u.slice(slash);
    host = host.toLowerCase().replace(/:\d+$/, '');
    return `${host}${rest}`
        .replace(/\/+$/, '')
        .replace(/\.git$/i, '')
        .replace(/\/+$/, '')
        .toLowerCase();
}
class RepoIdentity {
    names;
    /** Whether some definition names a known URL: then only known URLs are this repository. */
    strict = false;
    /** URLs taken as this repository because their paths exist here (for the run's note). */
    guessed = new Set();
    constructor(urls) {
        this.names = new Set([...urls].filter(Boolean).map(normalizeRepoURL));
    }
    /** Is the URL one of the repository's known names? */
    known(url) {
        return url !== undefined && url !== '' && this.names.has(normalizeRepoURL(url));
    }
    /**
     * Is a source with this URL this checkout? `exists` says whether the path it names is here,
     * for the case where the repository cannot be told by name.
     */
    isThis(url, exists) {
        if (this.known(url))
            return true;
        if (this.strict || !exists)
            return false;
        if (url)
            this.guessed.add(url);
        return true;
    }
    /** Strict as soon as any of these URLs is known. */
    settle(urls) {
        for (const u of urls)
            if (this.known(u))
                this.strict = true;
    }
}
/** The repository's names the environment knows: the Actions runner's, and the origin remote's. */
function environmentNames(env, origin) {
    const out = [];
    if (env.GITHUB_REPOSITORY) {
        const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
        out.push(`${server}/${env.GITHUB_REPOSITORY}`);
    }
    if (origin)
        out.push(origin);
    return out;
}

// EXTERNAL MODULE: ./lib/model/collections.js
var collections = __webpack_require__(412);
;// CONCATENATED MODULE: ./lib/gitops/scan.js











/**
 * Find app definitions and what they refer to: in the repository's YAML files (only those that
 * mention a GitOps API group, a ConfigMap or a Secret are parsed), and in what a render produced.
 */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', '.github']);
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const CONFIGS = /kind:\s*["']?(ConfigMap|Secret)\b/;
function emptyInventory() {
    return { apps: [], appSets: [], sources: [], configs: [] };
}
/** Add definitions to the inventory by kind; anything else is ignored. */
function addDefinitions(inventory, defs) {
    for (const d of defs) {
        switch (kindOf(d.object)) {
            case 'Application':
            case 'FluxKustomization':
            case 'HelmRelease':
                inventory.apps.push(d);
                break;
            case 'ApplicationSet':
                inventory.appSets.push(d);
                break;
            case 'source':
                inventory.sources.push(d);
                break;
            case 'config':
                inventory.configs.push(d);
                break;
        }
    }
}
/** The YAML files under the inputs (folders walked without following symlinks), absolute. */
async function yamlFiles(inputs, cwd) {
    const out = [];
    const walk = async (dir) => {
        const entries = await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => []);
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
            const full = external_node_path_.join(dir, e.name);
            if (e.isDirectory()) {
                if (!SKIP_DIRS.has(e.name))
                    await walk(full);
            }
            else if (e.isFile() && /\.ya?ml$/i.test(e.name))
                out.push(full);
        }
    };
    for (const input of inputs) {
        const abs = external_node_path_.resolve(cwd, input);
        const st = await (0,promises_.stat)(abs).catch(() => undefined);
        if (st?.isDirectory())
            await walk(abs);
        else if (st?.isFile() && /\.ya?ml$/i.test(abs))
            out.push(abs);
    }
    return [...new Set(out)];
}
/**
 * Definitions in the repository's files. A file that does not parse is the plain target's to
 * report; a file a kustomization names as a patch holds a patch, not a definition.
 */
async function scanFiles(files, cwd) {
    const out = [];
    const configs = [];
    const patches = await patchFiles(files);
    // Read as bytes and looked through before decoding: most files of a big repository name no
    // GitOps API group, and only those that do are parsed.
    const contents = await (0,concurrency/* mapConcurrent */._k)(files, async (abs) => {
        if (patches.has(abs))
            return undefined;
        const st = await (0,promises_.stat)(abs).catch(() => undefined);
        if (!st?.isFile() || st.size > MAX_FILE_BYTES)
            return undefined;
        return (0,promises_.readFile)(abs).catch(() => undefined);
    }, 16);
    files.forEach((abs, i) => {
        const bytes = contents[i];
        if (!bytes)
            return;
        if (bytes.includes('argoproj.io') || bytes.includes('fluxcd.io')) {
            (0,collections/* pushAll */.i)(out, definitionsInText(bytes.toString('utf8'), (0,load_files/* relativeName */.IC)(cwd, abs)));
        }
        else if (bytes.includes('ConfigMap') || bytes.includes('Secret'))
            configs.push({ abs, bytes });
    });
    // ConfigMaps and Secrets matter only to app definitions: a repository of plain manifests is not
    // parsed twice.
    if (out.some((d) => kindOf(d.object) !== 'config' && kindOf(d.object) !== 'source')) {
        for (const { abs, bytes } of configs) {
            const text = bytes.toString('utf8');
            if (CONFIGS.test(text))
                (0,collections/* pushAll */.i)(out, definitionsInText(text, (0,load_files/* relativeName */.IC)(cwd, abs)));
        }
    }
    return out;
}
/** Files the kustomizations among `files` name as patches (absolute). */
async function patchFiles(files) {
    const out = new Set();
    for (const abs of files) {
        if (!/^kustomization\.ya?ml$/.test(external_node_path_.basename(abs)))
            continue;
        const text = await (0,promises_.readFile)(abs, 'utf8').catch(() => '');
        let doc;
        try {
            doc = (0,dist/* parse */.qg)(text);
        }
        catch {
            continue;
        }
        if (!(0,model_types/* isRecord */.u4)(doc))
            continue;
        const add = (p) => {
            if (typeof p === 'string' && !p.includes('\n'))
                out.add(external_node_path_.resolve(external_node_path_.dirname(abs), p));
        };
        for (const p of Array.isArray(doc.patchesStrategicMerge) ? doc.patchesStrategicMerge : [])
            add(p);
        for (const key of ['patches', 'patchesJson6902']) {
            const list = doc[key];
            for (const p of Array.isArray(list) ? list : [])
                if ((0,model_types/* isRecord */.u4)(p))
                    add(p.path);
        }
    }
    return out;
}
/** Definitions in one file's text, each able to say where its literal blocks start. */
function definitionsInText(text, file) {
    const out = [];
    for (const m of (0,yaml/* parseManifests */.Ye)(text, file).manifests) {
        if (!kindOf(m.object))
            continue;
        const def = definitionOf(m);
        def.block = (segments) => {
            if (typeof (0,path/* getAt */.sM)(m.object, segments) !== 'string')
                return undefined;
            return literalBlockAt(text, m.locate(segments).line);
        };
        out.push(def);
    }
    return out;
}
/** Definitions among a render's objects (an app of apps, a Flux Kustomization's HelmReleases). */
function definitionsIn(result, parent, cwd) {
    return result.manifests.filter((m) => kindOf(m.object)).map((m) => definitionOf(m, parent, cwd));
}

;// CONCATENATED MODULE: ./lib/gitops/discover.js














/** Rounds of "render what may define more apps" (an app of apps of apps...). */
const MAX_ROUNDS = 5;
/** Most app targets one discovery makes. */
const MAX_APPS = 2000;
const GITOPS_TEXT = /argoproj\.io|fluxcd\.io/;
async function withGitOps(inputs, found, cwd, options = {}) {
    const folders = options.folders === false ? [] : found.targets;
    if (options.gitops === false)
        return { targets: folders, errors: found.errors };
    const root = await (0,contain/* repositoryRoot */.Hn)(cwd);
    const files = await yamlFiles(inputs, cwd);
    const inventory = emptyInventory();
    addDefinitions(inventory, await scanFiles(files, cwd));
    // Folder targets that may render app definitions (an app-of-apps chart) are expanded too.
    const producers = [];
    if (options.render) {
        for (const t of folders)
            if (await mayDefineApps(t, cwd, inventory.apps))
                producers.push(t);
    }
    if (inventory.apps.length + inventory.appSets.length + producers.length === 0) {
        return { targets: folders, errors: found.errors };
    }
    const bases = [root];
    for (const input of inputs) {
        const abs = external_node_path_.resolve(cwd, input);
        const st = await (0,promises_.stat)(abs).catch(() => undefined);
        const dir = st?.isDirectory() ? abs : external_node_path_.dirname(abs);
        if ((0,contain/* isInside */.FK)(root, dir) && !bases.includes(dir))
            bases.push(dir);
    }
    const identity = new RepoIdentity([
        ...(options.repoURLs ?? []),
        ...environmentNames(options.env ?? process.env, await (0,git/* originUrl */.sH)(root)),
    ]);
    identity.settle(urlsOf([...inventory.apps, ...inventory.appSets, ...inventory.sources]));
    const ctx = {
        cwd,
        root,
        bases,
        identity,
        contain: new contain/* Containment */.xP(root),
        inventory,
        notes: [],
        trees: new Map(),
    };
    const apps = new AppSet();
    // The definition each app target was made from, to follow a render's chain of parents.
    const defOf = new Map();
    let queue = [...inventory.apps];
    for (const set of inventory.appSets)
        queue.push(...(await expandSet(set, ctx)));
    for (let round = 1; round <= MAX_ROUNDS && (queue.length > 0 || producers.length > 0); round++) {
        const planned = [];
        for (const def of queue) {
            if (apps.size >= MAX_APPS)
                break;
            planned.push({ def, targets: await targetsOf(def, ctx) });
        }
        // A definition inside the folder another app renders waits for that render: the rendered copy
        // (patched, substituted) is what the controller applies.
        const expandable = new Map();
        // A folder that an app renders is the app's to expand (with its overlay and variables).
        const uncovered = withoutCovered(producers.splice(0), planned.flatMap((p) => p.targets.map((target) => ({ target }))), cwd);
        for (const t of uncovered)
            expandable.set(t, await reachOf(t, cwd));
        const waiting = [];
        if (options.render) {
            for (const p of planned)
                for (const t of p.targets)
                    if (await mayDefineApps(t, cwd, inventory.apps))
                        expandable.set(t, await reachOf(t, cwd));
        }
        const isNested = (p) => round < MAX_ROUNDS &&
            !p.def.parent &&
            planned.some((o) => o !== p && o.targets.some((t) => expandable.has(t) && (0,load_files/* readsPath */.j3)(expandable.get(t), p.def.file)));
        const nestedDefs = new Set(planned.filter(isNested));
        // Definitions that all reach each other: none waits.
        if (nestedDefs.size === planned.length)
            nestedDefs.clear();
        for (const p of planned) {
            if (nestedDefs.has(p)) {
                waiting.push(p.def);
                for (const t of p.targets)
                    expandable.delete(t);
            }
            else
                apps.add(p.def, p.targets);
            for (const t of p.targets)
                defOf.set(t, p.def);
        }
        const toRender = [...expandable.keys()];
        const results = options.render
            ? await (0,concurrency/* mapConcurrent */._k)(toRender, (t) => options.render(t).catch(() => undefined), (0,concurrency/* defaultConcurrency */.PV)())
            : [];
        const next = [];
        results.forEach((result, k) => {
            if (!result)
                return;
            const parent = toRender[k];
            const defs = definitionsIn(result, parent, cwd);
            addDefinitions(ctx.inventory, defs.filter((d) => kindOf(d.object) === 'source' || kindOf(d.object) === 'config'));
            for (const d of defs) {
                const kind = kindOf(d.object);
                if (kind !== 'Application' &&
                    kind !== 'FluxKustomization' &&
                    kind !== 'HelmRelease' &&
                    kind !== 'ApplicationSet')
                    continue;
                // An app that renders its own definition (flux-system applies the folder it is in).
                if (ancestors(parent, defOf).some((a) => sameOrigin(a, d)))
                    continue;
                // The rendered copy stands for the file it came from (and for anything that one made).
                for (const w of [...waiting])
                    if (sameOrigin(w, d))
                        waiting.splice(waiting.indexOf(w), 1);
                apps.supersede(d);
                next.push(d);
            }
        });
        queue = [];
        for (const d of next) {
            if (kindOf(d.object) === 'ApplicationSet')
                queue.push(...(await expandSet(d, ctx)));
            else
                queue.push(d);
        }
        queue.push(...waiting);
    }
    if (apps.size >= MAX_APPS)
        ctx.notes.push(note(`more than ${MAX_APPS} apps; the first ${MAX_APPS} are checked`));
    if (identity.guessed.size > 0) {
        ctx.notes.push(note(`which repository URL is this one is not known (discover.repoURLs, GITHUB_REPOSITORY and the origin remote name none that the app definitions use), so ${[
            ...identity.guessed,
        ].join(', ')} ${identity.guessed.size === 1 ? 'was' : 'were'} taken as this repository because the paths named exist here; set discover.repoURLs to be sure`));
    }
    const appTargets = ordered(apps.all());
    return {
        targets: [...withoutCovered(folders, appTargets, cwd), ...appTargets.map((a) => a.target)],
        errors: [...found.errors, ...ctx.notes],
    };
}
/** The definitions of the apps whose renders led to this target: itself, its parent, theirs... */
function ancestors(target, defOf) {
    const out = [];
    let t = target;
    while (t && out.length < 20) {
        const d = defOf.get(t);
        if (!d)
            break;
        out.push(d);
        t = d.parent;
    }
    return out;
}
async function expandSet(def, ctx) {
    const r = await expandApplicationSet(def, ctx);
    ctx.notes.push(...r.notes);
    return r.apps;
}
async function targetsOf(def, ctx) {
    switch (kindOf(def.object)) {
        case 'Application':
            return applicationTargets(def, ctx);
        case 'FluxKustomization':
            return [await fluxKustomizationTarget(def, ctx)];
        case 'HelmRelease':
            return [await helmReleaseTarget(def, ctx)];
        default:
            return [];
    }
}
/** The app targets found so far, by definition, in the order found. */
class AppSet {
    entries = [];
    get size() {
        return this.entries.reduce((n, e) => n + e.targets.length, 0);
    }
    add(def, targets) {
        this.entries.push({ def, targets });
    }
    targetsOf(def) {
        return this.entries.find((e) => e.def === def)?.targets;
    }
    /** A rendered definition replaces the file's own (and whatever that one's render defined). */
    supersede(rendered) {
        const gone = new Set();
        for (const e of [...this.entries]) {
            if (e.def.parent || !sameOrigin(e.def, rendered))
                continue;
            this.entries.splice(this.entries.indexOf(e), 1);
            for (const t of e.targets)
                gone.add(t);
        }
        let changed = gone.size > 0;
        while (changed) {
            changed = false;
            for (const e of [...this.entries]) {
                if (e.def.parent && gone.has(e.def.parent)) {
                    this.entries.splice(this.entries.indexOf(e), 1);
                    for (const t of e.targets)
                        gone.add(t);
                    changed = true;
                }
            }
        }
    }
    all() {
        return this.entries.flatMap((e) => e.targets.map((target) => ({ def: e.def, target })));
    }
}
/** The same definition: one written in a file, and its copy in a render (same file, same line). */
function sameOrigin(a, b) {
    if (a.object.kind !== b.object.kind)
        return false;
    const x = a.locate(['kind']);
    const y = b.locate(['kind']);
    return x.file === y.file && x.line === y.line && a.generatedBy === b.generatedBy;
}
function urlsOf(defs) {
    const out = [];
    for (const d of defs) {
        const spec = specOf(d.object);
        const add = (v) => {
            const s = str(v);
            if (s)
                out.push(s);
        };
        add(spec.url);
        add(record(spec.source)?.repoURL);
        for (const s of list(spec.sources))
            add(record(s)?.repoURL);
        for (const g of list(spec.generators))
            add(record(record(g)?.git)?.repoURL);
        add(record(record(spec.template)?.spec)?.source &&
            record(record(record(spec.template)?.spec)?.source)?.repoURL);
    }
    return out;
}
// ---------------------------------------------------------------------------------------------
// What a target reaches, and whether it may define apps
/** Folders (relative to cwd) and files a target renders from, as far as discovery needs to know. */
async function reach(t, cwd) {
    if (t.app?.skip)
        return { dirs: [], files: [] };
    if (t.kind === 'helm')
        return { dirs: [t.chart], files: [] };
    if (t.kind === 'plain')
        return { dirs: [], files: t.paths };
    const dirs = [];
    const files = [];
    const seen = new Set();
    const visit = async (rel) => {
        const abs = external_node_path_.resolve(cwd, rel);
        if (seen.has(abs) || seen.size > 200)
            return;
        seen.add(abs);
        dirs.push(rel);
        const info = await (0,kustomize/* readKustomization */.kG)(abs).catch(() => undefined);
        for (const b of info?.bases ?? [])
            await visit(external_node_path_.relative(cwd, b).split(external_node_path_.sep).join('/') || '.');
    };
    for (const r of t.overlay?.resources ?? [t.dir]) {
        const st = await (0,promises_.stat)(external_node_path_.resolve(cwd, r)).catch(() => undefined);
        if (st?.isDirectory())
            await visit(r);
        else
            files.push(r);
    }
    for (const c of t.overlay?.components ?? [])
        await visit(c);
    return { dirs, files };
}
const reaches = new WeakMap();
function reachOf(t, cwd) {
    let r = reaches.get(t);
    if (!r) {
        r = reach(t, cwd);
        reaches.set(t, r);
    }
    return r;
}
/**
 * Whether rendering the target may define apps: a Flux Kustomization or an overlay whose folders
 * hold app definitions, or a chart whose templates name Argo CD or Flux kinds.
 */
async function mayDefineApps(t, cwd, apps) {
    if (t.app?.skip || t.kind === 'plain')
        return false;
    if (t.kind === 'helm')
        return chartMentions(external_node_path_.resolve(cwd, t.chart));
    const r = await reachOf(t, cwd);
    if (apps.some((a) => !a.parent && (0,load_files/* readsPath */.j3)(r, a.file)))
        return true;
    // A Flux Kustomization's folder may hold the ConfigMaps its HelmReleases take values from.
    return t.app?.name.startsWith('Kustomization ') === true && r.dirs.length + r.files.length > 0
        ? await anyMentions(r, cwd)
        : false;
}
async function chartMentions(chartAbs) {
    const templates = external_node_path_.join(chartAbs, 'templates');
    const entries = await (0,promises_.readdir)(templates, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries.slice(0, 500)) {
        if (!e.isFile())
            continue;
        const text = await (0,promises_.readFile)(external_node_path_.join(e.parentPath, e.name), 'utf8').catch(() => '');
        if (GITOPS_TEXT.test(text))
            return true;
    }
    return false;
}
async function anyMentions(r, cwd) {
    for (const f of r.files) {
        const text = await (0,promises_.readFile)(external_node_path_.resolve(cwd, f), 'utf8').catch(() => '');
        if (GITOPS_TEXT.test(text))
            return true;
    }
    for (const d of r.dirs) {
        const entries = await (0,promises_.readdir)(external_node_path_.resolve(cwd, d), { withFileTypes: true }).catch(() => []);
        for (const e of entries) {
            if (!e.isFile() || !/\.ya?ml$/i.test(e.name))
                continue;
            const text = await (0,promises_.readFile)(external_node_path_.join(external_node_path_.resolve(cwd, d), e.name), 'utf8').catch(() => '');
            if (GITOPS_TEXT.test(text))
                return true;
        }
    }
    return false;
}
// ---------------------------------------------------------------------------------------------
// Coverage and order
/** Folder targets an app renders are left to the app (it renders them the way production does). */
function withoutCovered(folders, apps, _cwd) {
    const charts = new Set();
    const dirs = new Set();
    const files = new Set();
    for (const { target: t } of apps) {
        if (t.app?.skip)
            continue;
        if (t.kind === 'helm') {
            charts.add(t.chart);
            // A values file the app names (`$values/...`) is no manifest of its own.
            for (const f of t.valuesFiles)
                files.add(f);
        }
        else if (t.kind === 'kustomize') {
            dirs.add(t.dir);
            // A Flux folder's resources: its manifests, and the folders with a kustomization under it.
            for (const r of t.overlay?.resources ?? []) {
                files.add(r);
                dirs.add(r);
            }
        }
        else
            for (const p of t.paths)
                files.add(p);
    }
    const out = [];
    for (const t of folders) {
        if (t.kind === 'helm' && charts.has(t.chart))
            continue;
        if (t.kind === 'kustomize' && dirs.has(t.dir))
            continue;
        if (t.kind === 'plain') {
            const paths = t.paths.filter((p) => !files.has(p));
            if (paths.length > 0)
                out.push(paths.length === t.paths.length ? t : { ...t, paths });
            continue;
        }
        out.push(t);
    }
    return out;
}
/** Flux Kustomizations after those they depend on (`dependsOn`, in the same folder of definitions). */
function ordered(entries) {
    const key = (d, ns, name) => `${external_node_path_.posix.dirname(d.file)}|${d.parent ? (0,types/* targetName */.j)(d.parent) : ''}|${ns ?? d.object.metadata.namespace ?? ''}/${name}`;
    const byKey = new Map();
    for (const e of entries) {
        if (kindOf(e.def.object) === 'FluxKustomization')
            byKey.set(key(e.def, undefined, e.def.object.metadata.name ?? ''), e);
    }
    const out = [];
    const done = new Set();
    const visiting = new Set();
    const visit = (e) => {
        if (done.has(e) || visiting.has(e))
            return;
        visiting.add(e);
        if (kindOf(e.def.object) === 'FluxKustomization') {
            for (const dep of list(specOf(e.def.object).dependsOn)) {
                const r = record(dep);
                const name = str(r?.name);
                const other = name ? byKey.get(key(e.def, str(r?.namespace), name)) : undefined;
                if (other)
                    visit(other);
            }
        }
        visiting.delete(e);
        done.add(e);
        out.push(e);
    };
    for (const e of entries)
        visit(e);
    return out;
}

// EXTERNAL MODULE: ./lib/render/kustomize-helm.js
var kustomize_helm = __webpack_require__(1136);
;// CONCATENATED MODULE: ./lib/render/discover.js






const discover_SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', '.github']);
const ENV_VALUES = /^values[-.]([\w.-]+)\.ya?ml$/;
/** Values files for a chart's own tests (chart-testing, linters, examples), not environments. */
const TEST_VALUES = /(^|[-._])(test|tests|ci|lint|linter|example|examples|sample|schema|e2e|debug)([-._]|$)/i;
async function discoverTargets(inputs, options = {}) {
    const cwd = options.cwd ?? process.cwd();
    const charts = [];
    const kustomizations = [];
    const plain = [];
    const errors = [];
    for (const input of inputs) {
        const abs = external_node_path_.resolve(cwd, input);
        const st = await (0,promises_.stat)(abs).catch(() => undefined);
        if (!st) {
            errors.push({ level: 'error', message: `${input}: no such file or folder` });
            continue;
        }
        if (st.isDirectory())
            await walk(abs, charts, kustomizations, plain);
        else if (external_node_path_.basename(abs) === 'Chart.yaml')
            charts.push(external_node_path_.dirname(abs));
        else if (kustomize/* KUSTOMIZATION_FILES */.Ct.includes(external_node_path_.basename(abs)))
            kustomizations.push(external_node_path_.dirname(abs));
        else
            plain.push(abs);
    }
    const targets = [];
    const roots = await kustomizeRoots(unique(kustomizations));
    // A chart a kustomization inflates (`helmCharts:`) is built by it, not on its own.
    for (const chart of unique(charts))
        if (!roots.ownedCharts.has(chart))
            targets.push(...(await chartTargets(chart, cwd, options)));
    for (const dir of roots.roots)
        targets.push({ kind: 'kustomize', dir: relativeName(cwd, dir) });
    // Files a kustomization reaches are built by it, not linted on their own.
    const loose = unique(plain).filter((f) => !roots.ownedDirs.has(external_node_path_.dirname(f)) && !roots.ownedFiles.has(f));
    if (loose.length > 0)
        targets.push({ kind: 'plain', paths: loose.map((f) => relativeName(cwd, f)) });
    return withGitOps(inputs, { targets, errors }, cwd, options.gitops);
}
async function walk(dir, charts, kustomizations, plain) {
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => []);
    const names = new Set(entries.map((e) => e.name));
    if (names.has('Chart.yaml')) {
        // A chart: its templates/ and charts/ are Helm's business, never plain manifests. A library
        // chart only holds helpers for others and renders nothing by itself.
        if (!(await isLibraryChart(dir)))
            charts.push(dir);
        return;
    }
    if (kustomize/* KUSTOMIZATION_FILES */.Ct.some((k) => names.has(k)))
        kustomizations.push(dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
        const full = external_node_path_.join(dir, e.name);
        if (e.isDirectory()) {
            if (!discover_SKIP_DIRS.has(e.name))
                await walk(full, charts, kustomizations, plain);
        }
        else if (e.isFile() && /\.ya?ml$/i.test(e.name) && !kustomize/* KUSTOMIZATION_FILES */.Ct.includes(e.name)) {
            plain.push(full);
        }
    }
}
async function isLibraryChart(dir) {
    const text = await (0,promises_.readFile)(external_node_path_.join(dir, 'Chart.yaml'), 'utf8').catch(() => '');
    return /^type:\s*["']?library["']?\s*$/m.test(text);
}
async function chartTargets(chartAbs, cwd, options) {
    const chart = relativeName(cwd, chartAbs);
    const entries = await (0,promises_.readdir)(chartAbs).catch(() => []);
    const envFiles = entries
        .filter((f) => ENV_VALUES.exec(f) && !TEST_VALUES.test(ENV_VALUES.exec(f)[1]))
        .sort();
    const base = {
        kind: 'helm',
        chart,
        releaseName: options.releaseName ?? releaseNameOf(chartAbs),
        namespace: options.namespace ?? 'default',
        set: {},
        apiVersions: [],
    };
    return [
        { ...base, valuesFiles: [] },
        ...envFiles.map((f) => ({ ...base, valuesFiles: [relativeName(cwd, external_node_path_.join(chartAbs, f))] })),
    ];
}
/** A release name Helm accepts: lowercase, digits and dashes, at most 53 characters. */
function releaseNameOf(chartAbs) {
    const name = external_node_path_.basename(chartAbs)
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '');
    return (name || 'release').slice(0, 53);
}
/**
 * Kustomizations that no other discovered kustomization builds on (Components are never roots),
 * and what they own: their folders, the folders they build on, and every file any of them names,
 * through the whole tree of bases and components.
 */
async function kustomizeRoots(dirs) {
    const usedAsBase = new Set();
    const components = new Set();
    const ownedDirs = new Set(dirs);
    const ownedFiles = new Set();
    const seen = new Set();
    const infos = [];
    const visit = async (dir) => {
        if (seen.has(dir))
            return;
        seen.add(dir);
        const info = await (0,kustomize/* readKustomization */.kG)(dir);
        if (!info)
            return;
        infos.push(info);
        if (info.component)
            components.add(dir);
        for (const f of info.files ?? [])
            ownedFiles.add(f);
        for (const base of info.bases) {
            usedAsBase.add(base);
            ownedDirs.add(base);
            await visit(base);
        }
    };
    for (const dir of dirs)
        await visit(dir);
    const ownedCharts = new Set((await (0,kustomize_helm/* helmChartsOf */.v3)(infos)).map((c) => c.chartAbs));
    return {
        roots: dirs.filter((d) => !usedAsBase.has(d) && !components.has(d)),
        ownedDirs,
        ownedFiles,
        ownedCharts,
    };
}
/** Relative to the working directory; the working directory itself is `.`. */
function relativeName(cwd, abs) {
    return (0,load_files/* relativeName */.IC)(cwd, abs) || '.';
}
function unique(list) {
    return [...new Set(list)];
}


/***/ }),

/***/ 2947:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K7: () => (/* binding */ which),
/* harmony export */   df: () => (/* binding */ DEFAULT_MAX_MEMORY_BYTES),
/* harmony export */   eF: () => (/* binding */ run),
/* harmony export */   h2: () => (/* binding */ MAX_MESSAGE),
/* harmony export */   wy: () => (/* binding */ boundMessage)
/* harmony export */ });
/* unused harmony exports MAX_TIMEOUT_MS, minimalEnv */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _model_text_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7798);
/* harmony import */ var _launcher_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(346);





/** The longest bound a timer can hold (Node fires at once past 2^31 - 1 ms). */
const MAX_TIMEOUT_MS = 3_600_000;
const DEFAULT_MAX_MEMORY_BYTES = 2 * 1024 ** 3;
/** Longest message taken from a tool's output into a report. */
const MAX_MESSAGE = 2000;
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const MAX_ERROR_BYTES = 4 * 1024 * 1024;
/**
 * How often the memory bound is checked. A tool's heap grows by well under a GiB in this time, and
 * each check reads a few /proc files per process and thread.
 */
const MEMORY_POLL_MS = 100;
const PASSED_ENV = [
    'PATH',
    'HOME',
    'TMPDIR',
    'HELM_CACHE_HOME',
    'HELM_CONFIG_HOME',
    'HELM_DATA_HOME',
    'LANG',
];
/**
 * A proxy that refuses at once: any HTTP(S) request a tool tries (a remote base, a chart
 * repository, an OCI registry) fails without a DNS lookup or a connection anywhere else.
 */
const DEAD_PROXY = 'http://127.0.0.1:9';
function minimalEnv(extra = {}, network = false) {
    const env = {};
    for (const name of PASSED_ENV)
        if (process.env[name] !== undefined)
            env[name] = process.env[name];
    env.HOME ??= node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir();
    // Helm must never load a plugin (a post-renderer, a downloader) while rendering.
    env.HELM_NO_PLUGINS = '1';
    if (!network) {
        for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'])
            env[name] = DEAD_PROXY;
        // git (kustomize clones remote bases with it) may use no transport at all, not even file://.
        env.GIT_ALLOW_PROTOCOL = 'none';
        env.GIT_TERMINAL_PROMPT = '0';
        env.GIT_CONFIG_NOSYSTEM = '1';
    }
    // helm and kustomize are short-lived Go programs: collecting garbage a quarter as often saves
    // about a sixth of their CPU time (measured on `helm template`), and the soft memory limit keeps
    // a huge chart from growing the heap without bound. Values the caller set win.
    env.GOGC = process.env.GOGC ?? '400';
    env.GOMEMLIMIT = process.env.GOMEMLIMIT ?? '1GiB';
    return { ...env, ...extra };
}
async function run(program, args, options = {}) {
    const timeoutMs = Math.min(Math.max(1, options.timeoutMs ?? 60_000), MAX_TIMEOUT_MS);
    const res = await (0,_launcher_js__WEBPACK_IMPORTED_MODULE_3__/* .launch */ .ql)({
        program,
        args,
        cwd: options.cwd,
        env: minimalEnv(options.env, options.network),
        timeoutMs,
        maxMemoryBytes: options.maxMemoryBytes,
        maxOutputBytes: MAX_OUTPUT_BYTES,
        maxErrorBytes: MAX_ERROR_BYTES,
        pollMs: MEMORY_POLL_MS,
    });
    // What a tool prints may come from the input (a chart's `fail` message): printable only.
    let stderr = (0,_model_text_js__WEBPACK_IMPORTED_MODULE_4__/* .printable */ .g$)(res.stderr);
    if (res.spawnError !== undefined)
        stderr += `${(0,_model_text_js__WEBPACK_IMPORTED_MODULE_4__/* .printable */ .g$)(res.spawnError)}\n`;
    if (res.tooMuchOutput)
        stderr += `output over ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB; stopped\n`;
    const status = res.code ?? (res.signal ? 128 + (node_os__WEBPACK_IMPORTED_MODULE_1__.constants.signals[res.signal] ?? 9) : 1);
    return {
        code: res.spawnError !== undefined ? 127 : status,
        stdout: res.stdout,
        stderr,
        timedOut: res.timedOut,
        ...(res.overMemory !== undefined ? { overMemory: res.overMemory } : {}),
    };
}
/** The first executable named `name` on PATH, or undefined. */
async function which(name) {
    for (const dir of (process.env.PATH ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter)) {
        if (!dir)
            continue;
        const candidate = node_path__WEBPACK_IMPORTED_MODULE_2__.join(dir, name);
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.access)(candidate, node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.constants.X_OK);
            return candidate;
        }
        catch {
            // not here; keep looking
        }
    }
    return undefined;
}
/** Why a bounded process was stopped, in words: `timed out after 60 s`, `used over 2 GiB ...`. */
function boundMessage(res, bounds) {
    if (res.overMemory !== undefined) {
        return `was stopped: it used ${mib(res.overMemory)} of memory, over the bound of ${mib(bounds.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES)} (render.maxMemoryMiB)`;
    }
    return `timed out after ${bounds.timeoutMs / 1000} s (render.timeoutSeconds)`;
}
function mib(bytes) {
    return `${Math.round(bytes / 1024 / 1024)} MiB`;
}


/***/ }),

/***/ 3836:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ readTree),
/* harmony export */   y: () => (/* binding */ readText)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _load_files_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8971);



/** Read the text files under a folder into a map keyed by display path (`dir/sub/file`). */
async function readTree(absDir, cwd, into = new Map(), pattern = /\.(ya?ml|tpl|txt|json)$/i) {
    const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(absDir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
        const full = node_path__WEBPACK_IMPORTED_MODULE_1__.join(absDir, e.name);
        if (e.isDirectory()) {
            if (e.name !== '.git' && e.name !== 'node_modules')
                await readTree(full, cwd, into, pattern);
        }
        else if (e.isFile() && pattern.test(e.name)) {
            await readText(full, cwd, into);
        }
    }
    return into;
}
/** Read one file (at most 4 MiB) into the map; silently absent when unreadable. */
async function readText(abs, cwd, into) {
    const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(abs).catch(() => undefined);
    if (!st?.isFile() || st.size > 4 * 1024 * 1024)
        return undefined;
    const text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(abs, 'utf8').catch(() => undefined);
    if (text !== undefined)
        into.set((0,_load_files_js__WEBPACK_IMPORTED_MODULE_2__/* .relativeName */ .IC)(cwd, abs), text);
    return text;
}


/***/ }),

/***/ 2408:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M8: () => (/* binding */ checkedOut),
/* harmony export */   QE: () => (/* binding */ hasCommit),
/* harmony export */   XS: () => (/* binding */ GitError),
/* harmony export */   Y_: () => (/* binding */ changedFiles),
/* harmony export */   bG: () => (/* binding */ extractCommit),
/* harmony export */   jv: () => (/* binding */ repoRoot),
/* harmony export */   ln: () => (/* binding */ readFileAtCommit),
/* harmony export */   q$: () => (/* binding */ ensureCommit),
/* harmony export */   qE: () => (/* binding */ resolveRef),
/* harmony export */   sH: () => (/* binding */ originUrl),
/* harmony export */   wu: () => (/* binding */ mergeBase)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2947);




/**
 * All the git shipshape runs, for the one base-vs-head pipeline (jobs/pull-request.ts) that the
 * Action's pull-request job, `shipshape diff` and `shipshape check --base` share: make sure a
 * commit is here (a shallow checkout may lack it), resolve refs, find the merge base, list the
 * files a change touches (with renames' previous names; with the working tree and its new files
 * when there is no head commit), extract a commit's tree to a temporary folder, and read one
 * file at a commit. Extraction uses `git archive`, which writes nothing into the user's
 * repository (no worktree bookkeeping, no index change); the user's checkout is never touched.
 */
class GitError extends Error {
}
/**
 * Run git. Only `fetch` reaches the network: git (trusted, from the runner or the user's PATH)
 * may fetch a missing base commit from origin.
 */
async function git(cwd, args, options = {}) {
    const program = (await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .which */ .K7)('git')) ?? 'git';
    return (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .run */ .eF)(program, args, {
        cwd,
        timeoutMs: 120_000,
        network: options.network === true,
        env: { GIT_TERMINAL_PROMPT: '0' },
    });
}
/** git's output, or a GitError with its last line of complaint. */
async function gitOut(cwd, args) {
    const res = await git(cwd, args);
    if (res.code !== 0)
        throw new GitError(`git ${args.join(' ')}: ${res.stderr.trim().split('\n').pop() || 'failed'}`);
    return res.stdout;
}
async function repoRoot(cwd) {
    return (await gitOut(cwd, ['rev-parse', '--show-toplevel'])).trim();
}
/** The commit a ref names, or a GitError that says the ref is unknown. */
async function resolveRef(cwd, ref) {
    const res = await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (res.code !== 0)
        throw new GitError(`unknown git ref "${ref}"`);
    return res.stdout.trim();
}
async function hasCommit(cwd, sha) {
    return (await git(cwd, ['cat-file', '-e', `${sha}^{commit}`])).code === 0;
}
/**
 * Fetch `sha` from origin when it is missing; a message saying why it cannot be had, else
 * undefined. `actions/checkout` makes a depth-1 clone by default; deepening by the commit itself
 * is what GitHub allows for any reachable commit.
 */
async function ensureCommit(cwd, sha) {
    if (await hasCommit(cwd, sha))
        return undefined;
    const fetched = await git(cwd, ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=100', 'origin', sha], {
        network: true,
    });
    if (fetched.code === 0 && (await hasCommit(cwd, sha)))
        return undefined;
    return `cannot fetch the base commit ${sha.slice(0, 12)}: ${fetched.stderr.trim().split('\n').pop() ?? 'git fetch failed'}`;
}
/** The commit a checkout has out (`HEAD`), or undefined outside a repository. */
async function checkedOut(cwd) {
    const res = await git(cwd, ['rev-parse', 'HEAD']);
    return res.code === 0 ? res.stdout.trim() : undefined;
}
async function mergeBase(cwd, a, b) {
    const res = await git(cwd, ['merge-base', a, b]);
    return res.code === 0 ? res.stdout.trim() : undefined;
}
/**
 * Files changed from `base` to `head` (repository-relative), with renames' previous names (both
 * sides matter). Without `head`, to the working tree, new files not yet committed included.
 */
async function changedFiles(cwd, base, head) {
    const res = await git(cwd, ['diff', '--name-status', '-z', '-M', base, ...(head ? [head] : [])]);
    if (res.code !== 0)
        return undefined;
    const parts = res.stdout.split('\0').filter((p) => p !== '');
    const out = [];
    for (let i = 0; i < parts.length;) {
        const status = parts[i++];
        if (status.startsWith('R') || status.startsWith('C')) {
            const previous = parts[i++];
            out.push({ status: status[0], file: parts[i++], previous });
        }
        else {
            out.push({ status, file: parts[i++] });
        }
    }
    if (!head) {
        // New files not yet committed are part of the working tree's change too (from the top, so
        // that every name is repository-relative as git diff's are).
        const untracked = await git(await repoRoot(cwd), ['ls-files', '--others', '--exclude-standard', '-z']);
        for (const file of untracked.stdout.split('\0').filter(Boolean))
            out.push({ status: 'A', file });
    }
    return out;
}
/** A commit's files in a fresh temporary folder; remove it with the returned function. */
async function extractCommit(cwd, sha) {
    const tmp = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdtemp)(node_path__WEBPACK_IMPORTED_MODULE_2__.join(node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir(), 'shipshape-tree-'));
    const remove = () => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(tmp, { recursive: true, force: true });
    const tar = node_path__WEBPACK_IMPORTED_MODULE_2__.join(tmp, 'tree.tar');
    const dir = node_path__WEBPACK_IMPORTED_MODULE_2__.join(tmp, 'tree');
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(dir);
    const archived = await git(cwd, ['archive', '--format=tar', '-o', tar, sha]);
    if (archived.code !== 0) {
        await remove();
        return { error: `git archive ${sha.slice(0, 12)} failed: ${archived.stderr.trim()}` };
    }
    const tarProgram = (await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .which */ .K7)('tar')) ?? 'tar';
    const extracted = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_3__/* .run */ .eF)(tarProgram, ['-xf', tar, '-C', dir], { timeoutMs: 120_000 });
    if (extracted.code !== 0) {
        await remove();
        return { error: `extracting ${sha.slice(0, 12)} failed: ${extracted.stderr.trim()}` };
    }
    return { dir, remove };
}
/**
 * A file's text as a commit has it, or undefined when the commit has no such file (or it is not
 * a regular file: a symlink's target is never followed). For what must not come from the pull
 * request: the config and the baseline are read from the base commit.
 */
async function readFileAtCommit(cwd, sha, file, maxBytes = 4 * 1024 * 1024) {
    const name = node_path__WEBPACK_IMPORTED_MODULE_2__.posix.normalize(file.split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/')).replace(/^(\.\/)+/, '');
    if (name.startsWith('../') || name === '..' || node_path__WEBPACK_IMPORTED_MODULE_2__.posix.isAbsolute(name))
        return undefined;
    const tree = await git(cwd, ['ls-tree', '-z', '--full-tree', sha, '--', name]);
    // `<mode> blob <sha>\t<name>`: only a regular file (100644 or 100755) counts.
    const entry = /^(100644|100755) blob ([0-9a-f]+)\t/.exec(tree.stdout);
    if (tree.code !== 0 || !entry)
        return undefined;
    const size = await git(cwd, ['cat-file', '-s', entry[2]]);
    if (size.code !== 0 || Number(size.stdout.trim()) > maxBytes)
        return undefined;
    const blob = await git(cwd, ['cat-file', 'blob', entry[2]]);
    return blob.code === 0 ? blob.stdout : undefined;
}
/**
 * The `origin` remote's URL, or undefined (no git, no remote). It names the repository for GitOps
 * discovery; it may hold credentials, so callers normalise it and never print it.
 */
async function originUrl(cwd) {
    const res = await git(cwd, ['config', '--get', 'remote.origin.url']);
    return res.code === 0 ? res.stdout.trim() || undefined : undefined;
}


/***/ }),

/***/ 8426:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ align),
/* harmony export */   a: () => (/* binding */ defineTable)
/* harmony export */ });
/* harmony import */ var _helm_template_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2617);

/**
 * Collect the `define`s of helper and template files: name -> body. Only files that hold a
 * `define` are read for them (a chart's large static files, CRDs, hold none), and each body is
 * parsed the first time the aligner needs it.
 */
function defineTable(files) {
    const table = new Map();
    for (const { file, text } of files) {
        if (!/\{\{-?\s*define\b/.test(text))
            continue;
        const lines = text.split('\n');
        for (const d of (0,_helm_template_js__WEBPACK_IMPORTED_MODULE_0__/* .parseTemplate */ .QC)(file, text).defines) {
            let parsed;
            table.set(d.name, {
                file,
                get template() {
                    parsed ??= (0,_helm_template_js__WEBPACK_IMPORTED_MODULE_0__/* .parseTemplate */ .QC)(file, lines.slice(d.from, d.to).join('\n'), d.from, {
                        asDefine: true,
                    }).template;
                    return parsed;
                },
            });
        }
    }
    return table;
}
const SCORE = { blockLine: 0.2, orphan: -1, gap: 0.002 };
const MOVE = { none: 0, skip: 1, back: 2, match: 3, block: 4, orphan: 5, blank: 6 };
const MAX_DEPTH = 8;
/** Past this many (rendered line, node) pairs (~26 MB of tables) a one-pass greedy match is used. */
const MAX_CELLS = 2_000_000;
/**
 * The best explanation of `rendered` by `template`. Skipping template lines costs nothing before
 * the first rendered line and after the last (a chunk is one document of a template that may
 * print several), and a little in between, so that of two equally good explanations the one that
 * keeps an object's lines together wins (two ClusterRoles in one file).
 */
function align(rendered, template, defines, options = {}) {
    const { nodes } = template;
    const n = rendered.length;
    const M = nodes.length;
    const W = M + 1;
    const enabled = enabledNodes(nodes, options);
    if ((n + 1) * W > MAX_CELLS)
        return greedyAlign(rendered, template, enabled);
    const score = new Float64Array((n + 1) * W).fill(Number.NEGATIVE_INFINITY);
    const move = new Uint8Array((n + 1) * W);
    const from = new Int32Array((n + 1) * W).fill(-1);
    const lines = rendered.map((l) => l.trimEnd());
    const indents = lines.map((l) => l.match(/^ */)[0].length);
    const backEdges = template.loops.filter((l) => l.start <= l.end);
    const hint = options.hint;
    const relax = (to, value, kind, prev) => {
        if (value > score[to] + 1e-9) {
            score[to] = value;
            move[to] = kind;
            from[to] = prev;
            return true;
        }
        return false;
    };
    score[0] = 0;
    // What each node can do with the current line, computed once per line (passes repeat for loops).
    const gain = new Float64Array(M);
    for (let i = 0; i <= n; i++) {
        if (i < n) {
            for (let j = 0; j < M; j++) {
                const node = nodes[j];
                gain[j] = Number.NaN;
                if (!enabled[j])
                    continue;
                if (node.type === 'lit' && node.pattern.test(lines[i]))
                    gain[j] = litScore(node.weight ?? 0);
                else if (node.type === 'block' && indents[i] >= (node.indent ?? 0)) {
                    gain[j] = blockScore(node, lines[i], defines) + (hint?.(node, lines[i]) ?? 0);
                }
            }
        }
        const skipCost = i === 0 || i === n ? 0 : SCORE.gap;
        for (let pass = 0; pass < 16; pass++) {
            for (let j = 0; j <= M; j++) {
                const here = i * W + j;
                const s = score[here];
                if (s === Number.NEGATIVE_INFINITY)
                    continue;
                if (j < M)
                    relax(here + 1, s - (nodes[j].type === 'control' ? 0 : skipCost), MOVE.skip, here);
                if (i === n)
                    continue;
                const next = (i + 1) * W + j;
                if (!lines[i].trim()) {
                    relax(next, s, MOVE.blank, here);
                    continue;
                }
                relax(next, s + SCORE.orphan, MOVE.orphan, here);
                if (j === M)
                    continue;
                const g = gain[j];
                if (Number.isNaN(g))
                    continue;
                if (nodes[j].type === 'lit')
                    relax(next + 1, s + g, MOVE.match, here);
                else
                    relax(next, s + g, MOVE.block, here);
            }
            let changed = false;
            for (const loop of backEdges) {
                const end = i * W + loop.end;
                if (score[end] > Number.NEGATIVE_INFINITY)
                    changed = relax(i * W + loop.start, score[end], MOVE.back, end) || changed;
            }
            if (!changed)
                break;
        }
    }
    // Walk back from the end, then replay forwards to count range iterations.
    const path = [];
    for (let at = n * W + M; at > 0 && from[at] >= 0; at = from[at])
        path.push(at);
    path.reverse();
    return replay(path, W, move, lines, indents, template, defines, options);
}
/**
 * How much a literal line's match tells: `{{ $key }}: {{ $value }}` matches nearly any line and
 * says little (less than a block that prints exactly what is there), `replicas: {{ ... }}` a lot.
 */
function litScore(weight) {
    return Math.min(1, 0.35 + 0.1 * weight) + 0.01 * weight;
}
/** Which nodes may print: those under no branch that the values rule out. */
function enabledNodes(nodes, options) {
    const { evaluate } = options;
    if (!evaluate)
        return nodes.map(() => true);
    const cache = new Map();
    const holds = (cond) => {
        let v = cache.get(cond);
        if (v === undefined) {
            let bound = cond;
            for (const b of options.bindings ?? [])
                bound = (0,_helm_template_js__WEBPACK_IMPORTED_MODULE_0__/* .bindCond */ .QI)(bound, b);
            v = evaluate(bound) !== false;
            cache.set(cond, v);
        }
        return v;
    };
    return nodes.map((node) => node.guards.every(holds));
}
/**
 * How well a block explains a line. Deeper blocks are more specific (a `toYaml | nindent 12`
 * under `securityContext:` before an `include | nindent 10`), and an `include` explains a line
 * best when its define has a line that matches it.
 */
function blockScore(node, line, defines) {
    let score = SCORE.blockLine + 0.001 * (node.indent ?? 0);
    const define = node.include ? defines.get(node.include) : undefined;
    if (define) {
        const inner = line.slice(Math.min(node.indent ?? 0, line.match(/^ */)[0].length));
        const hit = define.template.nodes.some((d) => d.type === 'lit' && d.pattern.test(inner));
        const nested = define.template.nodes.some((d) => d.type === 'block');
        score += hit ? 0.1 : nested ? 0 : -0.1;
    }
    return score;
}
function replay(path, W, move, lines, indents, template, defines, options) {
    const { nodes, file } = template;
    const origins = new Array(lines.length);
    const counters = new Map();
    const loopByStart = new Map(template.loops.map((l) => [l.start, l.id]));
    let block;
    let lastLit;
    const flush = () => {
        if (!block)
            return;
        finishBlock(block.lines, nodes[block.node], iterationsOf(nodes[block.node], counters), origins, lines, indents, file, defines, options);
        block = undefined;
    };
    for (const at of path) {
        const i = Math.floor(at / W);
        const j = at % W;
        const kind = move[at];
        if (kind === MOVE.skip) {
            const loop = loopByStart.get(j);
            if (loop !== undefined)
                counters.set(loop, 0);
            continue;
        }
        if (kind === MOVE.back) {
            const loop = loopByStart.get(j);
            if (loop !== undefined)
                counters.set(loop, (counters.get(loop) ?? 0) + 1);
            continue;
        }
        const r = i - 1;
        if (kind === MOVE.block) {
            if (!block || block.node !== j || block.lines[block.lines.length - 1] !== r - 1) {
                flush();
                block = { node: j, lines: [] };
            }
            block.lines.push(r);
            continue;
        }
        if (kind === MOVE.blank) {
            if (block)
                block.lines.push(r);
            else
                origins[r] = { ...(lastLit ?? fallback(file)), kind: 'blank' };
            continue;
        }
        flush();
        if (kind === MOVE.match) {
            const node = nodes[j - 1];
            lastLit = {
                kind: 'lit',
                file,
                line: node.line + 1,
                column: node.column,
                refs: resolveRefs([...node.refs, ...callRefs(node, defines)], iterationsOf(node, counters)),
            };
            origins[r] = lastLit;
        }
        else {
            // Unexplained output: attribute it to the last line that was explained, never to nowhere.
            origins[r] = { ...(lastLit ?? fallback(file)), kind: 'orphan', refs: [] };
        }
    }
    flush();
    for (let r = 0; r < origins.length; r++)
        origins[r] ??= { ...fallback(file), kind: 'orphan' };
    return origins;
}
function fallback(file) {
    return { kind: 'orphan', file, line: 1, column: 1, refs: [] };
}
function finishBlock(blockLines, node, iterations, origins, lines, indents, file, defines, options) {
    const depth = options.depth ?? 0;
    const content = blockLines.filter((r) => lines[r].trim());
    let minIndent = Number.POSITIVE_INFINITY; // a loop, not Math.min(...): a block may be very long
    for (const r of content)
        if (indents[r] < minIndent)
            minIndent = indents[r];
    const own = {
        kind: 'block',
        file,
        line: node.line + 1,
        column: node.column,
        refs: resolveRefs(node.refs, iterations),
    };
    const define = node.include ? defines.get(node.include) : undefined;
    if (define && depth < MAX_DEPTH && content.length > 0) {
        const dedented = blockLines.map((r) => lines[r].slice(Math.min(minIndent, indents[r])));
        const arg = node.includeArg ?? { kind: 'unknown' };
        const inner = align(dedented, define.template, defines, {
            ...options,
            depth: depth + 1,
            bindings: [arg, ...(options.bindings ?? [])],
        });
        // A define that prints the values it was given (`tpl (toYaml .value)`) has no literal line of
        // its own in the output: those lines come from the values subtree passed in.
        const verbatim = node.includeOf &&
            inner.every((o) => o.kind !== 'lit') &&
            (options.isSubtree?.(resolveRefs([node.includeOf], iterations)[0]) ?? true);
        if (!verbatim) {
            // The define's fields are in terms of what it was given: this include says what that is.
            const bind = (r) => (r ? bindResolved(r, arg, iterations) : undefined);
            blockLines.forEach((r, k) => {
                const o = inner[k];
                if (o.kind === 'orphan' || o.kind === 'blank') {
                    origins[r] = own;
                    return;
                }
                const bound = {
                    ...o,
                    refs: o.refs.flatMap((x) => {
                        const b = bind(x);
                        return b ? [b] : [];
                    }),
                };
                for (const key of ['yamlOf', 'childYamlOf', 'childText']) {
                    if (!o[key])
                        continue;
                    const b = bind(o[key]);
                    if (b && b.source !== 'arg')
                        bound[key] = b;
                    else
                        delete bound[key];
                }
                origins[r] = bound;
            });
            return;
        }
    }
    const source = node.yamlOf ?? (define ? node.includeOf : undefined);
    const yamlOf = source ? resolveRefs([source], iterations)[0] : undefined;
    const start = blockLines[0];
    for (const r of blockLines)
        origins[r] = yamlOf ? { ...own, yamlOf, blockStart: start } : own;
    const text = yamlOf ? undefined : own.refs.find((r) => r.source === 'values');
    if ((yamlOf || text) && content.length > 0) {
        // The key line the block hangs under (`resources:`): the nearest line above, less indented.
        for (let h = start - 1; h >= 0; h--) {
            if (!lines[h].trim())
                continue;
            if (indents[h] < minIndent) {
                if (origins[h]?.kind === 'lit') {
                    origins[h] = yamlOf ? { ...origins[h], childYamlOf: yamlOf } : { ...origins[h], childText: text };
                }
                break;
            }
        }
    }
}
/**
 * A resolved field of a define's argument in the including template's terms: bound through the
 * include's argument, with the range items of the including line filled in.
 */
function bindResolved(ref, arg, iterations) {
    if (ref.source !== 'arg')
        return ref;
    // Positions the inner ranges filled stay as they are; the argument's own `[]` take the outer items.
    const bound = (0,_helm_template_js__WEBPACK_IMPORTED_MODULE_0__/* .bindRef */ .Zp)({ source: 'arg', path: ref.path }, arg);
    if (!bound)
        return undefined;
    const added = bound.path.length - ref.path.length;
    const filled = resolveRefs([{ source: bound.source, path: bound.path.slice(0, added) }], iterations)[0];
    const out = { source: bound.source, path: [...filled.path, ...ref.path] };
    if (filled.holes)
        out.holes = filled.holes;
    if (ref.holes)
        out.holes = [...(out.holes ?? []), ...ref.holes.map((h) => h + added)];
    return out;
}
/**
 * The fields read by the defines that a line includes inline (`image: {{ include "x.image" . }}`),
 * followed through nested includes, in the line's terms. A define's own ranges are left out.
 */
const callRefCache = new WeakMap();
function callRefs(node, defines) {
    if (!node.calls?.length)
        return [];
    let refs = callRefCache.get(node);
    if (!refs) {
        refs = [];
        const seen = new Set();
        for (const call of node.calls)
            refs.push(...deepRefs(call.name, call.arg, defines, 0, seen));
        callRefCache.set(node, refs);
    }
    return refs;
}
function deepRefs(name, arg, defines, depth, seen) {
    const key = `${name}\0${JSON.stringify(arg)}`;
    const define = defines.get(name);
    if (!define || depth > MAX_DEPTH || seen.has(key))
        return [];
    seen.add(key);
    const out = [];
    for (const n of define.template.nodes) {
        for (const r of n.refs) {
            if (r.path.includes('[]'))
                continue;
            const b = (0,_helm_template_js__WEBPACK_IMPORTED_MODULE_0__/* .bindRef */ .Zp)(r, arg);
            // Chart.yaml's name and version make names and labels, which are edited where they are
            // printed; its appVersion is an image tag's fallback.
            if (b?.source === 'chart' && b.path[0] !== 'appVersion')
                continue;
            if (b && b.source !== 'arg' && !b.path.includes('[]'))
                out.push(b);
        }
        for (const c of n.calls ?? [])
            out.push(...deepRefs(c.name, (0,_helm_template_js__WEBPACK_IMPORTED_MODULE_0__/* .bindBinding */ .DA)(c.arg, arg), defines, depth + 1, seen));
    }
    return out;
}
function iterationsOf(node, counters) {
    return node.ranges.map((id) => counters.get(id) ?? 0);
}
/** Replace each `[]` (an enclosing range's item) by that range's iteration, innermost last. */
function resolveRefs(refs, iterations) {
    return refs.map((ref) => {
        const out = resolveOne(ref, iterations);
        if (ref.alts?.length)
            out.alts = ref.alts.map((a) => resolveOne(a, iterations));
        return out;
    });
}
function resolveOne(ref, iterations) {
    const holes = ref.path.filter((p) => p === '[]').length;
    let k = iterations.length - holes;
    const at = [];
    const path = ref.path.map((p, i) => {
        if (p !== '[]')
            return p;
        at.push(i);
        return iterations[k++] ?? 0;
    });
    return at.length > 0 ? { source: ref.source, path, holes: at } : { source: ref.source, path };
}
/**
 * For huge outputs (a range printing thousands of lines): match each rendered line to the next
 * literal line that fits, within a window, else to the last one matched. Coarser, bounded in
 * time and memory, and still never a line that does not exist.
 */
function greedyAlign(rendered, template, enabled) {
    const { nodes, file } = template;
    const origins = [];
    let cursor = 0;
    let last = fallback(file);
    for (const raw of rendered) {
        const line = raw.trimEnd();
        if (!line.trim()) {
            origins.push({ ...last, kind: 'blank' });
            continue;
        }
        let hit = -1;
        for (let step = 0; step < nodes.length && step < 400; step++) {
            const k = (cursor + step) % nodes.length;
            if (enabled[k] && nodes[k].type === 'lit' && nodes[k].pattern.test(line)) {
                hit = k;
                break;
            }
        }
        if (hit >= 0) {
            const node = nodes[hit];
            last = {
                kind: 'lit',
                file,
                line: node.line + 1,
                column: node.column,
                refs: resolveRefs(node.refs, []),
            };
            cursor = hit + 1;
            origins.push(last);
        }
        else
            origins.push({ ...last, kind: 'orphan', refs: [] });
    }
    return origins;
}


/***/ }),

/***/ 7293:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Os: () => (/* binding */ mapHelmOutput),
/* harmony export */   bV: () => (/* binding */ splitChunks),
/* harmony export */   uJ: () => (/* binding */ joinPath)
/* harmony export */ });
/* unused harmony export chartPath */
/* harmony import */ var _load_yaml_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4536);
/* harmony import */ var _model_path_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3070);
/* harmony import */ var _model_text_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7798);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3356);
/* harmony import */ var _helm_align_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8426);
/* harmony import */ var _helm_template_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2617);
/* harmony import */ var _yaml_locate_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(536);







function mapHelmOutput(output, renderedName, sources) {
    const parsed = (0,_load_yaml_js__WEBPACK_IMPORTED_MODULE_0__/* .parseManifests */ .Ye)(output, renderedName);
    const chunks = splitChunks(output, sources.chartDir, sources.subchartDirs);
    const ctx = new MappingContext(sources);
    const errors = parsed.errors.map((e) => remapError(e, chunks, ctx));
    for (const m of parsed.manifests) {
        const startLine = m.locate([]).line;
        const chunk = chunkAt(chunks, startLine);
        if (!chunk)
            continue;
        // A chart's crds/ files are not templates: helm prints them as they are, so the object is
        // found in its file and located there directly, with no alignment.
        m.locateSource = (segments) => {
            const crd = chunk.crd && segments.length > 0 ? ctx.staticObject(chunk.template, m) : undefined;
            return crd ? crd.locate(segments) : ctx.locate(m, chunk, segments);
        };
    }
    return { manifests: parsed.manifests, errors };
}
/** Split at Helm's `# Source:` comments; each chunk is one template's output. */
function splitChunks(output, chartDir, subchartDirs = {}) {
    const lines = output.split('\n');
    const chunks = [];
    let current;
    for (let k = 0; k < lines.length; k++) {
        const m = /^# Source: (.+?)\s*$/.exec(lines[k]);
        if (m) {
            const parts = m[1].split('/');
            const rel = parts.slice(1);
            const subcharts = [];
            for (let p = 0; p + 1 < rel.length; p++)
                if (rel[p] === 'charts')
                    subcharts.push(rel[p + 1]);
            current = {
                template: chartPath(chartDir, subchartDirs, rel.join('/')),
                firstLine: k + 2,
                lines: [],
                subcharts,
                ...(/^(?:charts\/[^/]+\/)*crds\//.test(rel.join('/')) ? { crd: true } : {}),
            };
            chunks.push(current);
            continue;
        }
        if (!current)
            continue;
        // Helm separates templates with `---` just before the next `# Source:`.
        if (lines[k] === '---' && /^# Source: /.test(lines[k + 1] ?? '')) {
            current = undefined;
            continue;
        }
        current.lines.push(lines[k]);
    }
    return chunks;
}
function chunkAt(chunks, line) {
    let found;
    for (const c of chunks)
        if (c.firstLine <= line)
            found = c;
    return found;
}
/** `charts/common/templates/x.yaml` of a local dependency -> the file in that dependency's own folder. */
function chartPath(chartDir, subchartDirs, rel) {
    const m = /^charts\/([^/]+)\/(.*)$/.exec(rel);
    if (m && subchartDirs[m[1]])
        return joinPath(subchartDirs[m[1]], m[2]);
    return joinPath(chartDir, rel);
}
function joinPath(dir, rel) {
    if (!dir || dir === '.')
        return rel;
    return `${dir.replace(/\/+$/, '')}/${rel}`;
}
class MappingContext {
    defines;
    templates = new Map();
    statics = new Map();
    locators = new Map();
    blockWords = new Map();
    sources;
    constructor(sources) {
        this.sources = sources;
    }
    /** The one line of the chunk's template that reads exactly `text` (quotes aside), if exactly one does. */
    onlyLine(chunk, text) {
        const source = this.sources.files.get(chunk.template);
        if (source === undefined || this.sources.virtual?.has(chunk.template))
            return undefined;
        const lines = source.split('\n');
        const same = (l) => l.trim().replace(/["']/g, '') === text;
        const at = lines.findIndex(same);
        if (at < 0 || lines.findIndex((l, i) => i > at && same(l)) >= 0)
            return undefined;
        return { file: chunk.template, line: at + 1, column: lines[at].search(/\S/) + 1 };
    }
    /** The template line that prints the chunk's first line: the same text, else its `apiVersion:`. */
    objectLine(chunk) {
        const text = this.sources.files.get(chunk.template);
        if (text === undefined || this.sources.virtual?.has(chunk.template))
            return this.fallback(chunk);
        const first = chunk.lines.find((l) => l.trim())?.trim() ?? '';
        const lines = text.split('\n');
        let at = lines.findIndex((l) => l.trim() === first);
        if (at < 0)
            at = lines.findIndex((l) => /^\s*apiVersion:/.test(l));
        const line = Math.max(0, at);
        return { file: chunk.template, line: line + 1, column: (lines[line]?.search(/\S/) ?? 0) + 1 };
    }
    /** The object as its static file has it (same kind and name), located in that file. */
    staticObject(file, m) {
        let parsed = this.statics.get(file);
        if (!parsed) {
            const text = this.sources.files.get(file);
            parsed = text === undefined ? [] : (0,_load_yaml_js__WEBPACK_IMPORTED_MODULE_0__/* .parseManifests */ .Ye)(text, file).manifests;
            this.statics.set(file, parsed);
        }
        return parsed.find((x) => x.ref.kind === m.ref.kind && x.ref.name === m.ref.name);
    }
    locate(m, chunk, segments) {
        // The object as a whole (a report's file name, `# source:`): its template, at the line that
        // prints its first line, found without aligning the whole template.
        if (segments.length === 0)
            return this.objectLine(chunk);
        // `kind:` and `apiVersion:` are literal lines almost always: found without aligning, when the
        // template has exactly one such line.
        if (segments.length === 1 && (segments[0] === 'kind' || segments[0] === 'apiVersion')) {
            const hit = this.onlyLine(chunk, `${segments[0]}: ${String((0,_model_path_js__WEBPACK_IMPORTED_MODULE_1__/* .getAt */ .sM)(m.object, segments))}`);
            if (hit)
                return hit;
        }
        const loc = this.locateAny(m, chunk, segments);
        // Inside a packaged subchart: its Chart.yaml dependency in the parent is the nearest edit.
        return this.sources.virtual?.has(loc.file) ? this.fallback(chunk) : loc;
    }
    locateAny(m, chunk, segments) {
        const existing = existingPrefix(m.object, segments);
        const complete = existing.length === segments.length;
        const origins = this.originsOf(chunk);
        const originAt = (segs) => origins[m.locate(segs).line - chunk.firstLine];
        const origin = originAt(existing);
        if (!origin)
            return this.fallback(chunk);
        const templateLine = { file: origin.file, line: origin.line, column: origin.column };
        // Printed by `toYaml .Values.x`: the key under x, in the last values file that sets it.
        if (origin.yamlOf && origin.blockStart !== undefined) {
            let head = existing.length;
            while (head > 0) {
                const o = originAt(existing.slice(0, head - 1));
                if (!o || o.blockStart !== origin.blockStart)
                    break;
                head--;
            }
            const rel = segments.slice(Math.max(0, head - 1));
            // A block that appends items to a list after literal ones (`volumes: [tmp]` then
            // `toYaml .Values.extraVolumes`): item k of the block is item k - first of the values list.
            if (head > 0 && typeof rel[0] === 'number') {
                const list = existing.slice(0, head - 1);
                let first = rel[0];
                while (first > 0 && originAt([...list, first - 1])?.blockStart === origin.blockStart)
                    first--;
                rel[0] -= first;
            }
            const rendered = complete ? (0,_model_path_js__WEBPACK_IMPORTED_MODULE_1__/* .getAt */ .sM)(m.object, segments) : undefined;
            const picked = this.pickAlt(chunk, origin.yamlOf, rel, rendered);
            // In a range whose items print one document each, which item this block printed.
            const item = this.pickItem(chunk, picked, (0,_model_path_js__WEBPACK_IMPORTED_MODULE_1__/* .getAt */ .sM)(m.object, segments.slice(0, Math.max(0, head - 1))));
            return this.valuesLocation(chunk, item, rel, true) ?? templateLine;
        }
        // A key line whose children came from `toYaml .Values.x`, asked about a child that is missing.
        if (!complete && origin.childYamlOf) {
            const rel = segments.slice(existing.length);
            return (this.valuesLocation(chunk, this.pickAlt(chunk, origin.childYamlOf, rel, undefined), rel, true) ??
                templateLine);
        }
        // `script: |` over `{{ tpl .Values.script . | nindent 4 }}`: the text is the values string's.
        if (complete && origin.childText && typeof (0,_model_path_js__WEBPACK_IMPORTED_MODULE_1__/* .getAt */ .sM)(m.object, segments) === 'string') {
            const loc = this.valuesLocation(chunk, origin.childText, [], false);
            if (loc)
                return loc;
        }
        // `replicas: {{ .Values.replicaCount }}`: the values key, when the value really came from it.
        if (complete && origin.refs.length > 0) {
            const loc = this.bestRef(chunk, origin.refs, (0,_model_path_js__WEBPACK_IMPORTED_MODULE_1__/* .getAt */ .sM)(m.object, segments));
            if (loc)
                return loc;
        }
        // Absent, but the template has the knob: a line that would print it under a branch the values
        // turned off (`{{- with .Values.lifecycleHooks }}`, `{{- if .Values.metrics.enabled }}`).
        if (!complete) {
            const loc = this.knob(chunk, origin, segments.slice(existing.length));
            if (loc)
                return loc;
        }
        return templateLine;
    }
    /**
     * Of a field and its alternatives (`.Values.x | default .Values.global.x`), the one that
     * supplied the value: the one holding the rendered scalar at `rel`, else one that has `rel`,
     * else the first that is not empty.
     */
    pickAlt(chunk, ref, rel, rendered) {
        if (!ref.alts?.length)
            return ref;
        const all = [ref, ...ref.alts].filter((r) => r.source === 'values');
        const layers = this.valuesLayers(chunk);
        const hits = all.map((r) => this.find(layers, [...r.path, ...rel], false));
        if (isScalarValue(rendered)) {
            const k = hits.findIndex((h) => h && isScalarValue(h.value) && String(h.value) === String(rendered));
            if (k >= 0)
                return all[k];
        }
        const k = hits.findIndex((h) => h !== undefined);
        if (k >= 0)
            return all[k];
        const full = all.find((r) => truthy(this.valueOf(chunk, r.path)));
        return full ?? ref;
    }
    /**
     * The values key that turns on a missing field: a line of the template, under the field's
     * parent, that would print the field's first missing step, inside a branch whose condition the
     * values make false. The condition's own key is what a human edits (`lifecycleHooks: {}`,
     * `metrics.enabled: false`); for `with .Values.x` printing `toYaml .`, the key under x.
     */
    knob(chunk, origin, missing) {
        if (origin.kind !== 'lit' || origin.file !== chunk.template || missing.length === 0)
            return undefined;
        const template = this.templates.get(chunk.template);
        const text = this.sources.files.get(chunk.template);
        if (!template || text === undefined)
            return undefined;
        const lines = text.split('\n');
        const p = template.nodes.findIndex((n) => n.type === 'lit' && n.line + 1 === origin.line);
        if (p < 0)
            return undefined;
        const parent = template.nodes[p];
        const item = /^\s*- /.test(lines[parent.line] ?? '');
        const want = String(missing[0]);
        for (let j = p + 1; j < template.nodes.length; j++) {
            const n = template.nodes[j];
            if (n.type !== 'lit')
                continue;
            const line = lines[n.line] ?? '';
            const isItem = /^\s*- /.test(line);
            // Past the parent: a line no deeper than it (for a list item, its next sibling too).
            if (n.column < parent.column || (n.column === parent.column && (!item || isItem)))
                break;
            const names = n.key === want || new RegExp(`^\\s*-\\s+name:\\s*["']?${escapeRegExp(want)}["']?\\s*$`).test(line);
            if (!names)
                continue;
            const off = n.guards.findLast((g) => this.evaluate(chunk, g) === false);
            const ref = off ? guardRef(off) : undefined;
            if (ref?.source !== 'values')
                return undefined;
            const rel = n.yamlOf && samePath(n.yamlOf.path, ref.path) ? missing.slice(1) : [];
            return this.find(this.valuesLayers(chunk), [...ref.path, ...rel], true)?.loc;
        }
        return undefined;
    }
    /** A condition's truth with this chunk's values: undefined when it cannot be told. */
    evaluate(chunk, cond) {
        switch (cond.op) {
            case 'truthy': {
                let unknown = false;
                for (const r of [cond.ref, ...(cond.ref.alts ?? [])]) {
                    if (r.source !== 'values' || r.path.includes('[]') || this.isSet(chunk, r.path)) {
                        unknown = true;
                        continue;
                    }
                    if (truthy(this.valueOf(chunk, r.path)))
                        return true;
                }
                return unknown ? undefined : false;
            }
            case 'not': {
                const v = this.evaluate(chunk, cond.of);
                return v === undefined ? undefined : !v;
            }
            case 'and': {
                const vs = cond.of.map((c) => this.evaluate(chunk, c));
                return vs.includes(false) ? false : vs.every((v) => v === true) ? true : undefined;
            }
            case 'or': {
                const vs = cond.of.map((c) => this.evaluate(chunk, c));
                return vs.includes(true) ? true : vs.every((v) => v === false) ? false : undefined;
            }
            default:
                return undefined;
        }
    }
    /** The merged value at a values path: the last layer that sets it. */
    valueOf(chunk, path) {
        return this.find(this.valuesLayers(chunk), path, false)?.value;
    }
    originsOf(chunk) {
        if (chunk.origins)
            return chunk.origins;
        const text = this.sources.files.get(chunk.template);
        if (text === undefined) {
            const f = this.fallback(chunk);
            chunk.origins = chunk.lines.map(() => ({ kind: 'orphan', ...f, refs: [] }));
            return chunk.origins;
        }
        this.defines ??= (0,_helm_align_js__WEBPACK_IMPORTED_MODULE_2__/* .defineTable */ .a)([...this.sources.files]
            .filter(([f]) => /(^|\/)templates\/.*\.(tpl|yaml|yml)$/.test(f))
            .map(([file, t]) => ({ file, text: t })));
        let template = this.templates.get(chunk.template);
        if (!template) {
            template = (0,_helm_template_js__WEBPACK_IMPORTED_MODULE_3__/* .parseTemplate */ .QC)(chunk.template, text).template;
            this.templates.set(chunk.template, template);
        }
        chunk.origins = (0,_helm_align_js__WEBPACK_IMPORTED_MODULE_2__/* .align */ .M)(chunk.lines, template, this.defines, {
            hint: (node, line) => this.blockHint(chunk, node, line),
            evaluate: (cond) => this.evaluate(chunk, cond),
            isSubtree: (ref) => {
                if (ref.source !== 'values')
                    return false;
                const v = this.valueOf(chunk, ref.path);
                return v === undefined || Array.isArray(v) || (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(v);
            },
        });
        return chunk.origins;
    }
    /**
     * Does a `toYaml .Values.x` block explain this line? Only if the line's key (or list scalar)
     * occurs somewhere under x in the values files: `limits:` is not printed by `toYaml
     * .Values.volumeMounts` when that is `[]`, even though both blocks sit at the same indentation.
     */
    blockHint(chunk, node, line) {
        const ref = node.yamlOf ?? node.includeOf;
        if (ref?.source !== 'values' || ref.path.includes('[]'))
            return 0;
        const key = `${chunk.subcharts.join('/')}|${ref.path.join('.')}`;
        let words = this.blockWords.get(key);
        if (!words) {
            words = new Set();
            for (const layer of this.valuesLayers(chunk))
                collectWords(this.locator(layer.file)?.value(inLayer(layer, ref.path)), words);
            this.blockWords.set(key, words);
        }
        const content = line.trim().replace(/^-\s*/, '');
        const m = /^("[^"]*"|'[^']*'|[^:\s][^:]*?):(\s|$)/.exec(content);
        const word = (m ? m[1] : content).replace(/^["']|["']$/g, '');
        return words.has(word) ? 0.05 : -0.15;
    }
    /** A template that is not on disk (a subchart from a .tgz): its chart's Chart.yaml. */
    fallback(chunk) {
        const chartYaml = joinPath(this.sources.chartDir, 'Chart.yaml');
        const loc = this.locator(chartYaml);
        const dep = chunk.subcharts[0];
        if (loc && dep) {
            const deps = loc.value(['dependencies']);
            if (Array.isArray(deps)) {
                const idx = deps.findIndex((d) => d?.name === dep);
                const found = idx >= 0 ? loc.find(['dependencies', idx]) : undefined;
                if (found)
                    return found;
            }
        }
        return { file: chartYaml, line: 1, column: 1 };
    }
    /**
     * Of the fields a line reads, the one whose value shows last in the rendered value: in
     * `image: {{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}`
     * that is the tag when values set it, else Chart.yaml's appVersion.
     */
    bestRef(chunk, refs, rendered) {
        let best;
        for (const ref of this.withLeaves(chunk, refs)) {
            const found = this.refLocation(chunk, ref, rendered);
            if (!found)
                continue;
            const text = isScalarValue(found.value) ? String(found.value) : '';
            const at = text ? String(rendered).lastIndexOf(text) : -1;
            const end = at < 0 ? -1 : at + text.length;
            if (!best || end > best.end || (end === best.end && text.length > best.length)) {
                best = { loc: found.loc, end, length: text.length };
            }
        }
        return best?.loc;
    }
    /**
     * A helper given a whole values map (`include "common.images.image" (dict "imageRoot"
     * .Values.image ...)`) prints some of its leaves: each scalar under it is a candidate too, so
     * the tag, not the `image:` key, is where a tag finding lands.
     */
    withLeaves(chunk, refs) {
        const out = [];
        for (const ref of refs.flatMap((r) => [r, ...(r.alts ?? [])])) {
            out.push(ref);
            if (ref.source !== 'values' || ref.holes?.length)
                continue;
            const value = this.find(this.valuesLayers(chunk), ref.path, false)?.value;
            if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(value))
                continue;
            const keys = new Set();
            for (const layer of this.valuesLayers(chunk)) {
                const v = this.locator(layer.file)?.value(inLayer(layer, ref.path));
                if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(v))
                    for (const [k, leaf] of Object.entries(v))
                        if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(leaf) && !Array.isArray(leaf))
                            keys.add(k);
            }
            for (const k of keys)
                out.push({ source: 'values', path: [...ref.path, k] });
        }
        return out;
    }
    refLocation(chunk, ref, rendered) {
        if (ref.source === 'chart') {
            return this.shows(this.find([{ file: this.chartYamlOf(chunk), anchor: [], prefix: [] }], ref.path, false), rendered);
        }
        for (const path of this.candidates(chunk, ref)) {
            if (this.isSet(chunk, path))
                continue;
            const hit = this.shows(this.find(this.valuesLayers(chunk), path, false), rendered);
            if (hit)
                return hit;
        }
        return undefined;
    }
    /** Only when the value shows in the field: `tag: ""` overridden by `| default .Chart.AppVersion` does not. */
    shows(found, rendered) {
        if (!found)
            return undefined;
        if (!isScalarValue(found.value)) {
            // A map or list can print a field only as a whole (`toJson .Values.x` on one line), never a
            // scalar, and nothing (null, `{}`, `[]`) prints nothing.
            return !isScalarValue(rendered) && truthy(found.value) ? found : undefined;
        }
        const text = String(found.value);
        // As a word of its own: `orgid: 1` does not show in a digest or in `100m`.
        if (!isScalarValue(rendered) || !(0,_model_text_js__WEBPACK_IMPORTED_MODULE_6__/* .showsIn */ .WJ)(String(rendered), text))
            return undefined;
        return found;
    }
    /**
     * A range item's path: the iteration count first, then every other item of that list (or key
     * of that map) in the values files. Helm prints each document of a range under its own
     * `# Source:` and ranges over maps in key order, so the count alone can be wrong; the value
     * shown in the field decides.
     */
    candidates(chunk, ref) {
        if (!ref.holes?.length)
            return [ref.path];
        const hole = ref.holes[ref.holes.length - 1];
        const parent = ref.path.slice(0, hole);
        const keys = new Set();
        for (const layer of this.valuesLayers(chunk)) {
            const v = this.locator(layer.file)?.value(inLayer(layer, parent));
            if (Array.isArray(v))
                for (let i = 0; i < v.length; i++)
                    keys.add(i);
            else if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(v))
                for (const k of Object.keys(v))
                    keys.add(k);
        }
        const out = [ref.path];
        for (const k of keys) {
            if (k === ref.path[hole])
                continue;
            const p = [...ref.path];
            p[hole] = k;
            out.push(p);
        }
        return out;
    }
    /**
     * A `toYaml` block of a range item (`range .Values.apps` ... `with .tool` ... `toYaml .`): the
     * iteration count says which item when the range prints into one document; when each item is a
     * document of its own, the count starts again, and the item is the one whose values all show in
     * what the block printed into (its parent map). The count's item first, when it fits.
     */
    pickItem(chunk, ref, printedInto) {
        if (ref.source !== 'values' || !ref.holes?.length || printedInto === undefined)
            return ref;
        const layers = this.valuesLayers(chunk);
        for (const path of this.candidates(chunk, ref)) {
            const value = this.find(layers, path, false)?.value;
            if (value !== undefined && truthy(value) && shownIn(printedInto, value))
                return { ...ref, path };
        }
        return ref;
    }
    valuesLocation(chunk, ref, rel, nearest) {
        if (ref.source !== 'values')
            return undefined;
        return this.find(this.valuesLayers(chunk), [...ref.path, ...rel], nearest)?.loc;
    }
    /**
     * The last layer that sets `path` exactly. With `nearest`, when none does, the deepest
     * existing parent instead (the last layer among those reaching that depth).
     */
    find(layers, path, nearest) {
        let best;
        for (const layer of [...layers].reverse()) {
            const loc = this.locator(layer.file);
            if (!loc)
                continue;
            const full = inLayer(layer, path);
            const hit = loc.find(full);
            if (hit && this.sources.virtual?.has(layer.file)) {
                // Set only by a packaged subchart's own values: the parent's values under the subchart's
                // name are where it is changed, at the deepest key that exists there, naming the path.
                return { loc: this.inParentValues(layers, path), value: loc.value(full) };
            }
            if (hit)
                return { loc: hit, value: loc.value(full) };
            if (!nearest || this.sources.virtual?.has(layer.file))
                continue;
            const depth = loc.depth(full);
            if (depth > layer.anchor.length + layer.prefix.length && (!best || depth > best.depth)) {
                const part = full.slice(0, depth);
                const partLoc = loc.find(part);
                if (partLoc)
                    best = { loc: partLoc, value: loc.value(part), depth };
            }
        }
        return best;
    }
    /**
     * Where a packaged subchart's value is overridden: the deepest existing key of `path` under the
     * subchart's name in the parent's values files (the last file that reaches deepest), else the
     * top of the chart's values.yaml; `key` names the full path to set.
     */
    inParentValues(layers, path) {
        const editable = layers.filter((l) => !this.sources.virtual?.has(l.file) && l.prefix.length > 0);
        let best;
        let key = path.join('.');
        for (const layer of [...editable].reverse()) {
            const loc = this.locator(layer.file);
            const full = inLayer(layer, path);
            key = full.slice(layer.anchor.length).join('.');
            const depth = loc?.depth(full) ?? 0;
            const at = depth > layer.anchor.length ? loc?.find(full.slice(0, depth)) : undefined;
            if (at && (!best || depth > best.depth))
                best = { loc: at, depth };
        }
        const top = editable[0]?.file ?? joinPath(this.sources.chartDir, 'values.yaml');
        return { ...(best?.loc ?? { file: top, line: 1, column: 1 }), key };
    }
    isSet(chunk, path) {
        const key = [...chunk.subcharts, ...path].join('.');
        return this.sources.setKeys.some((k) => k === key || key.startsWith(`${k}.`));
    }
    chartYamlOf(chunk) {
        const rel = chunk.subcharts.map((s) => `charts/${s}/`).join('');
        return chartPath(this.sources.chartDir, this.sources.subchartDirs ?? {}, `${rel}Chart.yaml`);
    }
    /** Values layers, first to last: a subchart's own values.yaml, then its parents' under its name. */
    valuesLayers(chunk) {
        const layers = [];
        const subs = chunk.subcharts;
        for (let depth = subs.length; depth >= 0; depth--) {
            const dir = subs
                .slice(0, depth)
                .map((s) => `charts/${s}/`)
                .join('');
            layers.push({
                file: chartPath(this.sources.chartDir, this.sources.subchartDirs ?? {}, `${dir}values.yaml`),
                anchor: [],
                prefix: subs.slice(depth),
            });
        }
        const user = this.sources.layers ?? this.sources.valuesFiles.map((file) => ({ file, anchor: [] }));
        for (const { file, anchor } of user)
            layers.push({ file, anchor, prefix: [...subs] });
        return layers;
    }
    locator(file) {
        const inline = this.sources.inline?.get(file);
        if (inline)
            return inline;
        if (!this.locators.has(file)) {
            const text = this.sources.files.get(file);
            this.locators.set(file, text === undefined ? null : (0,_yaml_locate_js__WEBPACK_IMPORTED_MODULE_4__/* .yamlLocator */ .G)(text, file));
        }
        return this.locators.get(file) ?? undefined;
    }
}
/** Every key and scalar under a values subtree. */
function collectWords(value, into) {
    if (Array.isArray(value))
        for (const v of value)
            collectWords(v, into);
    else if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(value)) {
        for (const [k, v] of Object.entries(value)) {
            into.add(k);
            collectWords(v, into);
        }
    }
    else if (value !== null && value !== undefined)
        into.add(String(value));
}
/** Where a values path sits in a layer: under the subchart's key, except `global`, shared by all. */
function inLayer(layer, path) {
    return [...layer.anchor, ...(path[0] === 'global' ? path : [...layer.prefix, ...path])];
}
function existingPrefix(root, segments) {
    let k = segments.length;
    while (k > 0 && (0,_model_path_js__WEBPACK_IMPORTED_MODULE_1__/* .getAt */ .sM)(root, segments.slice(0, k)) === undefined)
        k--;
    return segments.slice(0, k);
}
/** Every key and item of `values` is in `printed` with the same scalars (a map may have more keys). */
function shownIn(printed, values, depth = 0) {
    if (depth > 32)
        return false;
    if (values === null)
        return printed === null;
    if (isScalarValue(values))
        return isScalarValue(printed) && String(printed) === String(values);
    if (Array.isArray(values))
        return (Array.isArray(printed) &&
            printed.length === values.length &&
            values.every((v, i) => shownIn(printed[i], v, depth + 1)));
    if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(values))
        return (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(printed) && Object.entries(values).every(([k, v]) => shownIn(printed[k], v, depth + 1));
    return false;
}
function isScalarValue(v) {
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
/** A YAML error in rendered output, moved to the template line that printed the bad line. */
function remapError(err, chunks, ctx) {
    const line = err.location?.line;
    if (line === undefined)
        return err;
    const chunk = chunkAt(chunks, line);
    if (!chunk)
        return err;
    const origin = ctx.originsOf(chunk)[line - chunk.firstLine];
    if (!origin)
        return err;
    return {
        ...err,
        message: `${err.message} (in the output of ${chunk.template})`,
        location: { file: origin.file, line: origin.line, column: origin.column },
    };
}
/** Go templates' truth: false, 0, nil and empty strings, maps and lists are false. */
function truthy(v) {
    if (v === null || v === undefined || v === false || v === 0 || v === '')
        return false;
    if (Array.isArray(v))
        return v.length > 0;
    if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(v))
        return Object.keys(v).length > 0;
    return true;
}
/** The field a simple condition tests (`if .Values.x`, `with .Values.x`, `not`). */
function guardRef(cond) {
    if (cond.op === 'truthy')
        return cond.ref.path.includes('[]') ? undefined : cond.ref;
    if (cond.op === 'not')
        return guardRef(cond.of);
    if (cond.op === 'and') {
        for (const c of cond.of) {
            const r = guardRef(c);
            if (r)
                return r;
        }
    }
    return undefined;
}
function samePath(a, b) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}


/***/ }),

/***/ 2617:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DA: () => (/* binding */ bindBinding),
/* harmony export */   QC: () => (/* binding */ parseTemplate),
/* harmony export */   QI: () => (/* binding */ bindCond),
/* harmony export */   Zp: () => (/* binding */ bindRef)
/* harmony export */ });
/* unused harmony exports scanActions, condOf, callsOf, LinePattern, refsOf */
/**
 * A Helm template, read the way its author reads it: line by line. Each line becomes a node that
 * the aligner (helm-align.ts) can match against rendered lines:
 *  - `lit`: a line with literal text (`image: "{{ .Values.image.repository }}"`), matched by a
 *    pattern in which each action is a wildcard;
 *  - `block`: output whose lines the text cannot predict (`{{- include "x.labels" . | nindent 4 }}`,
 *    `{{- toYaml .Values.resources | nindent 12 }}`), consuming any number of rendered lines;
 *  - `control`: lines that print nothing (`{{- if }}`, `{{- end }}`, comments, assignments).
 * Ranges become loops: the node of a range's `end` jumps back to the first node of its body.
 * Pure: text in, structure out.
 */
/** Split the text into actions, honouring quoted strings and comments that contain `}}`. */
function scanActions(text) {
    const actions = [];
    let i = 0;
    while (true) {
        const open = text.indexOf('{{', i);
        if (open < 0)
            break;
        let j = open + 2;
        let quote = '';
        let close = -1;
        const isComment = /^-?\s*\/\*/.test(text.slice(open + 2, open + 6));
        if (isComment) {
            const endComment = text.indexOf('*/', open);
            const c = endComment < 0 ? -1 : text.indexOf('}}', endComment);
            close = c;
        }
        else {
            for (; j < text.length - 1; j++) {
                const ch = text[j];
                if (quote) {
                    if (ch === '\\' && quote === '"')
                        j++;
                    else if (ch === quote)
                        quote = '';
                }
                else if (ch === '"' || ch === '`' || ch === "'")
                    quote = ch;
                else if (ch === '}' && text[j + 1] === '}') {
                    close = j;
                    break;
                }
            }
        }
        if (close < 0)
            break;
        const raw = text.slice(open + 2, close);
        const trimLeft = /^-\s/.test(raw);
        const trimRight = /\s-$/.test(raw);
        const body = raw.replace(/^-\s/, '').replace(/\s-$/, '').trim();
        actions.push({ start: open, end: close + 2, body, trimLeft, trimRight });
        i = close + 2;
    }
    return actions;
}
const CONTROL = /^(if|else|end|range|with|define|block|break|continue)\b|^\$[\w]*\s*:?=|^\/\*/;
const BLOCKY = /\b(include|toYaml|toJson|tpl|nindent|indent|template)\b/;
const MULTILINE = /\b(toYaml|nindent|indent)\b/;
const ROOT_OBJECTS = new Set(['Values', 'Chart', 'Release', 'Capabilities', 'Files', 'Template']);
/** Parse one template file into nodes (and the defines it holds). */
function parseTemplate(file, text, lineOffset = 0, options = {}) {
    const actions = scanActions(text);
    const lineStarts = [0];
    for (let k = 0; k < text.length; k++)
        if (text[k] === '\n')
            lineStarts.push(k + 1);
    const lines = text.split('\n');
    const nodes = [];
    const loops = [];
    const defines = [];
    const top = {
        kind: 'other',
        dot: options.asDefine ? { source: 'arg', path: [] } : null,
        // In a define, `$` is what it was given too.
        vars: new Map(options.asDefine ? [['$', { source: 'arg', path: [] }]] : []),
    };
    const stack = [top];
    let nextRange = 0;
    let a = 0;
    for (let ln = 0; ln < lines.length; ln++) {
        const lineStart = lineStarts[ln];
        const lineEnd = lineStart + lines[ln].length;
        // An action that began on an earlier line and ends on or after this one swallows the line.
        while (a < actions.length && actions[a].end <= lineStart)
            a++;
        const here = [];
        for (let k = a; k < actions.length && actions[k].start < lineEnd; k++)
            here.push(actions[k]);
        const startsInside = here.length > 0 && here[0].start < lineStart;
        const literal = literalText(lines[ln], lineStart, here);
        const ranges = stack.filter((s) => s.rangeId !== undefined).map((s) => s.rangeId);
        const guards = stack.flatMap((s) => (s.cond ? [s.cond] : []));
        // What each action of the line sees: `{{- with .Values.x }}{{ toYaml . }}{{ end }}` on one line.
        const seen = scopesOnLine(stack, here, lineStart);
        const refs = [];
        const calls = [];
        for (const act of here) {
            // `{{ include "x.config" . | sha256sum }}` prints a digest: nothing a human edits shows in it.
            if (DIGESTS.test(act.body))
                continue;
            refs.push(...refsOf(act.body, seen.get(act).scope));
            calls.push(...callsOf(act.body, seen.get(act).scope));
        }
        const indentText = lines[ln].match(/^\s*(- )?/)[0];
        const column = indentText.length + 1;
        const base = { line: ln + lineOffset, column, refs, ranges, guards, ...(calls.length ? { calls } : {}) };
        if (startsInside && here.length === 1 && here[0].end > lineEnd) {
            nodes.push({ ...base, type: 'control' });
            continue;
        }
        const outputs = here.filter((act) => act.start >= lineStart && !CONTROL.test(act.body));
        if (literal.trim()) {
            const key = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^\s:#{"'-][^:#{]*?):(?:\s|$)/.exec(lines[ln])?.[1];
            nodes.push({
                ...base,
                type: 'lit',
                pattern: linePattern(lines[ln], lineStart, here),
                weight: weightOf(literal),
                ...(key ? { key: key.replace(/^["']|["']$/g, '') } : {}),
            });
        }
        // After literal text only multi-line output makes a block (`resources: {{ toYaml . | nindent 4 }}`);
        // an inline `{{ include "x.fullname" . }}` prints one word on the same line.
        const blocky = outputs.find((act) => (literal.trim() ? MULTILINE : BLOCKY).test(act.body));
        if (blocky || (!literal.trim() && outputs.length > 0)) {
            const act = blocky ?? outputs[0];
            const at = seen.get(act);
            const scope = at.scope;
            const node = {
                ...base,
                guards: at.guards,
                type: 'block',
                indent: indentOf(act.body, lines[ln]),
            };
            const call = callsOf(act.body, scope)[0];
            if (call) {
                node.include = call.name;
                node.includeArg = call.arg;
                const inc = /\b(?:include|template)\s+"([^"]+)"/.exec(act.body);
                const args = refsOf(act.body.slice(inc.index + inc[0].length), scope).filter((r) => r.source === 'values');
                if (args.length === 1)
                    node.includeOf = args[0];
            }
            const yaml = /\b(?:toYaml|toJson)\b/.exec(act.body);
            if (yaml) {
                // The subtree printed: the fields the action reads (`toYaml .Values.x`, `.Values.x | toYaml`,
                // `toYaml (.Values.x | default .Values.global.x)`); the first is the usual one, the others
                // are alternatives.
                let inner = act.body
                    .replace(/\b(toYaml|toJson|toPrettyJson|trim)\b/g, ' ')
                    .replace(/\bn?indent\s+\d+/g, ' ');
                // `tpl (toYaml .Values.x) .`: the context argument is not what is printed.
                if (/\btpl\b/.test(inner))
                    inner = inner.replace(/\btpl\b/g, ' ').replace(/\s(\.|\$)(?=\s|\)|$)/g, ' ');
                const r = fieldOf(inner, scope);
                if (r && r.source !== 'chart')
                    node.yamlOf = r;
            }
            nodes.push(node);
        }
        if (!literal.trim() && outputs.length === 0)
            nodes.push({ ...base, type: 'control' });
        // Apply the line's control actions to the scope stack, in order.
        for (const act of here) {
            if (act.start < lineStart)
                continue;
            const word = /^(\w+)/.exec(act.body)?.[1];
            const cur = stack[stack.length - 1];
            const assign = /^(\$\w+)\s*(:?=)\s*(.*)$/s.exec(act.body);
            if (assign) {
                // `$x := coalesce .Values.a .Values.b`: later `$x` reads those fields. `$x = ...` changes a
                // variable declared further out, maybe only in some branch: both values stay possible,
                // unless it now holds something made anew (`set $x ...`): then it is no field at all.
                const r = fieldOf(assign[3], cur);
                if (assign[2] === ':=') {
                    if (r)
                        cur.vars.set(assign[1], r);
                    else
                        cur.vars.delete(assign[1]);
                }
                else {
                    for (const sc of stack) {
                        const had = sc.vars.get(assign[1]);
                        if (had && r)
                            sc.vars.set(assign[1], combine([had, r]));
                        else if (had)
                            sc.vars.delete(assign[1]);
                    }
                }
            }
            else if (word === 'if') {
                const cond = condOf(act.body.slice(2), cur);
                stack.push({
                    kind: 'if',
                    dot: cur.dot,
                    opaque: cur.opaque,
                    vars: new Map(cur.vars),
                    cond,
                    previous: [cond],
                });
            }
            else if (word === 'else' && stack.length > 1 && (cur.kind === 'if' || cur.kind === 'with')) {
                // `else`, `else if X`, `else with X`: none of the branches before, and its own condition.
                const rest = act.body.slice(4).trim();
                const previous = cur.previous ?? (cur.cond ? [cur.cond] : []);
                const none = previous.map((c) => ({ op: 'not', of: c }));
                const own = /^(if|with)\b/.test(rest) ? condOf(rest.replace(/^(if|with)/, ''), cur) : undefined;
                const cond = own ? { op: 'and', of: [...none, own] } : { op: 'and', of: none };
                const parent = stack[stack.length - 2];
                let dot = parent.dot;
                if (/^with\b/.test(rest))
                    dot = combine(refsOf(rest.slice(4), parent)) ?? parent.dot;
                stack[stack.length - 1] = {
                    ...cur,
                    dot,
                    vars: new Map(parent.vars),
                    cond,
                    previous: own ? [...previous, own] : previous,
                };
            }
            else if (word === 'with') {
                stack.push(withScope(act.body, cur));
            }
            else if (word === 'range') {
                stack.push({ ...rangeScope(act.body, cur), rangeId: nextRange++, startNode: nodes.length });
            }
            else if (word === 'define') {
                const name = /^define\s+"([^"]+)"/.exec(act.body)?.[1] ?? '';
                stack.push({ kind: 'define', dot: null, vars: new Map(), define: name, defineLine: ln });
            }
            else if (word === 'block') {
                stack.push({ kind: 'other', dot: null, vars: new Map() });
            }
            else if (word === 'end' && stack.length > 1) {
                const done = stack.pop();
                if (done.kind === 'range')
                    // The jump back leaves from after the `end` line's nodes (text before `{{ end }}` on that line
                    // belongs to the body).
                    loops.push({ id: done.rangeId, start: done.startNode, end: nodes.length });
                if (done.kind === 'define') {
                    defines.push({
                        name: done.define,
                        file,
                        from: done.defineLine + 1 + lineOffset,
                        to: ln + lineOffset,
                    });
                }
            }
        }
    }
    return { template: { file, nodes, loops }, defines };
}
/**
 * Functions whose result shows nothing of what they were given: digests and password hashes. (A
 * random default, `.Values.password | default (randAlphaNum 16)`, still shows the values' one.)
 */
const DIGESTS = /\b(sha1sum|sha256sum|sha512sum|adler32sum|htpasswd|bcrypt|derivePassword|encryptAES)\b/;
/**
 * Functions whose result is new data, not a field of the values (`with include "x" .`,
 * `toYaml (list ...)`): what they make cannot be mapped to a values key. `omit`, `pick`,
 * `default`, `coalesce`, `ternary` keep (a part of) the field they are given.
 */
const MAKES_NEW = /\b(include|template|tpl|printf|print|toYaml|toJson|toPrettyJson|fromYaml|fromJson|fromYamlArray|list|dict|merge|mergeOverwrite|concat|append|prepend|trim|trimPrefix|trimSuffix|lower|upper|splitList|split|join|b64enc|b64dec|quote|squote|toString|get|index|pluck|keys|values|regexReplaceAll|replace|sortAlpha|uniq|without|add|sub|mul|div|len|set|unset|deepCopy|mustMerge|mustMergeOverwrite)\b/;
/** The field an expression is, or undefined when it makes something new. */
function fieldOf(expr, cur) {
    if (MAKES_NEW.test(expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')))
        return undefined;
    return combine(refsOf(expr, cur));
}
function withScope(body, cur) {
    const r = fieldOf(body.slice(4), cur);
    if (!r && MAKES_NEW.test(body)) {
        // `with include "x" .`: the branch prints what the helper made; `.` is no field there.
        return { kind: 'with', dot: null, opaque: true, vars: new Map(cur.vars), cond: { op: 'unknown' } };
    }
    const cond = r ? { op: 'truthy', ref: r } : { op: 'unknown' };
    return { kind: 'with', dot: r ?? cur.dot, vars: new Map(cur.vars), cond, previous: [cond] };
}
function rangeScope(body, cur) {
    const m = /^range\s+(?:(\$\w+)\s*,\s*)?(\$\w+)\s*:=\s*(.*)$/.exec(body);
    const expr = m ? m[3] : body.slice(6);
    const opaque = /\b(include|template|tpl|fromYaml|fromJson|fromYamlArray|list|dict|splitList|split|until|untilStep|keys|values)\b/.test(expr);
    const r = opaque ? undefined : refsOf(expr, cur).find((x) => x.source !== 'chart');
    if (!r && opaque)
        return { kind: 'range', dot: null, opaque: true, vars: new Map(cur.vars) };
    const item = r ? { source: r.source, path: [...r.path, '[]'] } : null;
    const vars = new Map(cur.vars);
    if (m && item)
        vars.set(m[2], item);
    return { kind: 'range', dot: m ? cur.dot : item, vars };
}
/** The scope (and branch conditions) each action of one line sees, opening and closing as it goes. */
function scopesOnLine(stack, here, lineStart) {
    const out = new Map();
    const sim = [...stack];
    for (const act of here) {
        const top = sim[sim.length - 1];
        out.set(act, { scope: top, guards: sim.flatMap((x) => (x.cond ? [x.cond] : [])) });
        if (act.start < lineStart)
            continue;
        const word = /^(\w+)/.exec(act.body)?.[1];
        if (word === 'with')
            sim.push(withScope(act.body, top));
        else if (word === 'range')
            sim.push(rangeScope(act.body, top));
        else if (word === 'if')
            sim.push({ kind: 'if', dot: top.dot, vars: top.vars, cond: condOf(act.body.slice(2), top) });
        else if ((word === 'end' || word === 'define') && sim.length > 1)
            sim.pop();
    }
    return out;
}
/** One field with the others as alternatives, or undefined when there is none. */
function combine(refs) {
    if (refs.length === 0)
        return undefined;
    const [first, ...rest] = refs;
    const alts = [...(first.alts ?? []), ...rest.flatMap((r) => [r, ...(r.alts ?? [])])].map(({ source, path }) => ({ source, path }));
    return alts.length > 0
        ? { source: first.source, path: first.path, alts }
        : { source: first.source, path: first.path };
}
/**
 * The condition of an `if`: truthiness of one field, `not`, `and`, `or` of such (with or without
 * parentheses); anything that compares or calls is unknown.
 */
function condOf(expr, scope) {
    const field = /^(?:\$\w*(?:\.[A-Za-z_][\w-]*)*|(?:\.[A-Za-z_][\w-]*)+|\.)$/;
    const parse = (toks) => {
        if (toks.length === 1) {
            const t = toks[0];
            if (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1)))
                return parse(tokenize(t.slice(1, -1)));
            if (!field.test(t))
                return { op: 'unknown' };
            const r = refsOf(t, scope);
            return r.length === 1 && r[0].source !== 'chart' ? { op: 'truthy', ref: r[0] } : { op: 'unknown' };
        }
        const [head, ...rest] = toks;
        if (head === 'not' && rest.length === 1)
            return { op: 'not', of: parse(rest) };
        if (head === 'empty' && rest.length === 1)
            return { op: 'not', of: parse(rest) };
        if ((head === 'and' || head === 'or') && rest.length >= 2)
            return { op: head, of: rest.map((t) => parse([t])) };
        return { op: 'unknown' };
    };
    const tokens = tokenize(expr.trim());
    if (tokens.includes('|'))
        return { op: 'unknown' };
    return parse(tokens);
}
/** Split an expression at blanks outside quotes and parentheses. */
function tokenize(expr) {
    const out = [];
    let depth = 0;
    let quote = '';
    let cur = '';
    for (let i = 0; i < expr.length; i++) {
        const ch = expr[i];
        if (quote) {
            cur += ch;
            if (ch === '\\' && quote === '"')
                cur += expr[++i] ?? '';
            else if (ch === quote)
                quote = '';
            continue;
        }
        if (ch === '"' || ch === '`' || ch === "'")
            quote = ch;
        else if (ch === '(')
            depth++;
        else if (ch === ')')
            depth = Math.max(0, depth - 1);
        if (/\s/.test(ch) && depth === 0) {
            if (cur)
                out.push(cur);
            cur = '';
        }
        else
            cur += ch;
    }
    if (cur)
        out.push(cur);
    return out;
}
/** The `include "name" ARG` and `template "name" ARG` calls of an action, with what they pass. */
function callsOf(body, scope) {
    const calls = [];
    const re = /\b(?:include|template)\s+"([^"]+)"\s*/g;
    for (let m = re.exec(body); m; m = re.exec(body)) {
        let arg = tokenize(body.slice(m.index + m[0].length))[0] ?? '';
        while (arg.endsWith(')') && !balanced(arg))
            arg = arg.slice(0, -1);
        calls.push({ name: m[1], arg: bindingOf(arg, scope) });
    }
    return calls;
}
function balanced(s) {
    let d = 0;
    for (const ch of s)
        d += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    return d === 0;
}
function bindingOf(arg, scope) {
    const t = arg.trim();
    if (t === '$') {
        const own = scope.vars.get('$');
        return own ? { kind: 'ref', ref: own } : { kind: 'root' };
    }
    if (t === '.' && scope.dot === null)
        return { kind: 'root' };
    if (t.startsWith('(') && t.endsWith(')')) {
        const inner = tokenize(t.slice(1, -1).trim());
        if (inner[0] === 'dict') {
            const entries = {};
            for (let i = 1; i + 1 < inner.length; i += 2) {
                const key = /^"([^"]*)"$/.exec(inner[i])?.[1];
                if (key !== undefined)
                    entries[key] = bindingOf(inner[i + 1], scope);
            }
            return { kind: 'dict', entries };
        }
        if (inner.length === 1)
            return bindingOf(inner[0], scope);
        return { kind: 'unknown' };
    }
    if (t === '.Chart' || t === '$.Chart')
        return { kind: 'ref', ref: { source: 'chart', path: [] } };
    if (/^(\$\w*|)(\.[\w-]+)*$|^\.$/.test(t)) {
        const r = refsOf(t, scope);
        if (r.length === 1)
            return { kind: 'ref', ref: r[0] };
    }
    return { kind: 'unknown' };
}
/** The line's text outside actions (what it prints besides its actions). */
function literalText(line, lineStart, actions) {
    let out = '';
    let pos = lineStart;
    const end = lineStart + line.length;
    for (const act of actions) {
        if (act.start > pos)
            out += line.slice(pos - lineStart, Math.min(act.start, end) - lineStart);
        pos = Math.max(pos, act.end);
    }
    if (pos < end)
        out += line.slice(pos - lineStart);
    return out;
}
/**
 * What a template line prints: its literal text with each action a wildcard. Matched without a
 * regular expression (a line of twenty actions would make one backtrack for minutes): the
 * literal pieces are found left to right, the first at the start (indentation exact) and the last
 * at the end.
 */
class LinePattern {
    /** Literal pieces; between each two, a wildcard. One piece: the whole line, exactly. */
    parts;
    constructor(parts) {
        this.parts = parts;
    }
    test(rendered) {
        const line = rendered.trimEnd();
        const p = this.parts;
        if (p.length === 1)
            return line === p[0];
        if (!line.startsWith(p[0]))
            return false;
        let pos = p[0].length;
        for (let k = 1; k < p.length - 1; k++) {
            if (!p[k])
                continue;
            const at = line.indexOf(p[k], pos);
            if (at < 0)
                return false;
            pos = at + p[k].length;
        }
        const last = p[p.length - 1];
        return line.length - last.length >= pos && line.endsWith(last);
    }
}
function linePattern(line, lineStart, actions) {
    const parts = [''];
    let pos = lineStart;
    const end = lineStart + line.length;
    let trimNext = false;
    for (const act of actions) {
        if (act.start > pos) {
            let text = line.slice(pos - lineStart, Math.min(act.start, end) - lineStart);
            // `key: {{- include ...}}` prints `key:` with no blank: blanks next to a wildcard are its own.
            if (trimNext)
                text = text.replace(/^\s+/, '');
            // Blanks just before an action are optional: `{{-` removes them, and an action that prints
            // nothing (or starts with a newline: `key: {{ toYaml . | nindent 4 }}`) leaves them at the end
            // of a line, where rendered lines are trimmed. Indentation alone stays exact.
            if (act.trimLeft || (/\S/.test(text) && /\s$/.test(text)))
                text = text.replace(/\s+$/, '');
            parts[parts.length - 1] += text;
        }
        // Actions side by side are one wildcard.
        if (parts[parts.length - 1] !== '' || parts.length === 1)
            parts.push('');
        trimNext = act.trimRight;
        pos = Math.max(pos, act.end);
    }
    if (pos < end)
        parts[parts.length - 1] += trimNext
            ? line.slice(pos - lineStart).replace(/^\s+/, '')
            : line.slice(pos - lineStart);
    // A trailing action may print nothing (or only blanks): trailing blanks never count.
    parts[parts.length - 1] = parts[parts.length - 1].trimEnd();
    return new LinePattern(parts);
}
function weightOf(literal) {
    return literal.replace(/\s/g, '').length;
}
function indentOf(body, line) {
    const n = /\b(?:nindent|indent)\s+(\d+)/.exec(body);
    if (n)
        return Number(n[1]);
    return line.match(/^\s*/)[0].length;
}
/** The values and chart fields an action reads, resolved against the scope. */
function refsOf(body, scope) {
    const refs = [];
    const at = (base, fields) => {
        const ref = { source: base.source, path: [...base.path, ...fields] };
        if (base.alts?.length)
            ref.alts = base.alts.map((a) => ({ source: a.source, path: [...a.path, ...fields] }));
        return ref;
    };
    // `$var.field`, `$var`, `.field.sub`, or a bare `.`.
    const chain = /(\$\w*)((?:\.[A-Za-z_][\w-]*)*)|((?:\.[A-Za-z_][\w-]*)+)|(?<![\w)\].$])\.(?![\w.])/g;
    for (const m of body.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(chain)) {
        const variable = m[1];
        const fields = (variable !== undefined ? m[2] : (m[3] ?? '')).split('.').filter(Boolean);
        if (m[0] === '.') {
            if (scope.dot)
                refs.push(at(scope.dot, []));
            continue;
        }
        if (scope.opaque && !variable && !ROOT_OBJECTS.has(fields[0]))
            continue;
        if (variable === '$' || (!variable && scope.dot === null) || (!variable && ROOT_OBJECTS.has(fields[0]))) {
            if (fields[0] === 'Values' && fields.length > 1)
                refs.push({ source: 'values', path: fields.slice(1) });
            else if (fields[0] === 'Chart' && fields.length > 1) {
                refs.push({ source: 'chart', path: [fields[1][0].toLowerCase() + fields[1].slice(1)] });
            }
        }
        else if (variable) {
            const base = scope.vars.get(variable);
            if (base)
                refs.push(at(base, fields));
        }
        else if (scope.dot) {
            refs.push(at(scope.dot, fields));
        }
    }
    return refs;
}
/**
 * A field of a define's argument in the caller's terms: `.imageRoot.tag` given `(dict "imageRoot"
 * .Values.image)` is `.Values.image.tag`; given the root context, `.Values.x` stays itself.
 * Undefined when the argument does not say (a computed value).
 */
function bindRef(ref, arg) {
    const alts = (r) => {
        if (!ref.alts?.length)
            return r;
        const bound = ref.alts.flatMap((a) => {
            const b = bindRef({ source: a.source, path: a.path }, arg);
            return b ? [b] : [];
        });
        return bound.length ? { ...r, alts: bound } : r;
    };
    if (ref.source !== 'arg')
        return ref;
    const [head, ...rest] = ref.path;
    switch (arg.kind) {
        case 'root':
            if (head === 'Values' && rest.length > 0)
                return alts({ source: 'values', path: rest });
            if (head === 'Chart' && typeof rest[0] === 'string' && rest[0])
                return alts({ source: 'chart', path: [rest[0][0].toLowerCase() + rest[0].slice(1)] });
            return undefined;
        case 'ref':
            if (arg.ref.source === 'chart') {
                const field = arg.ref.path[0] ?? head;
                return typeof field === 'string' && field
                    ? alts({ source: 'chart', path: [field[0].toLowerCase() + field.slice(1)] })
                    : undefined;
            }
            return alts({ source: arg.ref.source, path: [...arg.ref.path, ...ref.path] });
        case 'dict': {
            const entry = head === undefined ? undefined : arg.entries[head];
            return entry ? bindRef({ source: 'arg', path: rest }, entry) : undefined;
        }
        default:
            return undefined;
    }
}
/** A binding written inside a define, in the terms of that define's own caller. */
function bindBinding(inner, outer) {
    switch (inner.kind) {
        case 'ref': {
            if (inner.ref.source !== 'arg')
                return inner;
            if (inner.ref.path.length === 0)
                return outer;
            const r = bindRef(inner.ref, outer);
            return r ? { kind: 'ref', ref: r } : { kind: 'unknown' };
        }
        case 'dict':
            return {
                kind: 'dict',
                entries: Object.fromEntries(Object.entries(inner.entries).map(([k, b]) => [k, bindBinding(b, outer)])),
            };
        default:
            return inner;
    }
}
/** A condition in the caller's terms (fields it cannot resolve become unknown). */
function bindCond(cond, arg) {
    switch (cond.op) {
        case 'truthy': {
            const r = bindRef(cond.ref, arg);
            return r ? { op: 'truthy', ref: r } : { op: 'unknown' };
        }
        case 'not':
            return { op: 'not', of: bindCond(cond.of, arg) };
        case 'and':
        case 'or':
            return { op: cond.op, of: cond.of.map((c) => bindCond(c, arg)) };
        default:
            return cond;
    }
}


/***/ }),

/***/ 8376:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  S_: () => (/* binding */ renderTarget),
  d8: () => (/* binding */ renderTargets),
  Uk: () => (/* binding */ renderer)
});

// UNUSED EXPORTS: discoverTargets, resolveTools, targetName, targetNamespace

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/load/files.js
var files = __webpack_require__(8971);
// EXTERNAL MODULE: ./lib/model/concurrency.js
var concurrency = __webpack_require__(5866);
// EXTERNAL MODULE: ./lib/render/contain.js
var contain = __webpack_require__(8632);
// EXTERNAL MODULE: ./lib/render/exec.js
var exec = __webpack_require__(2947);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./lib/model/text.js
var model_text = __webpack_require__(7798);
// EXTERNAL MODULE: ./lib/render/files.js
var render_files = __webpack_require__(3836);
// EXTERNAL MODULE: ./lib/render/helm-align.js
var helm_align = __webpack_require__(8426);
// EXTERNAL MODULE: ./lib/render/helm-map.js
var helm_map = __webpack_require__(7293);
// EXTERNAL MODULE: ./lib/render/helm-template.js
var helm_template = __webpack_require__(2617);
// EXTERNAL MODULE: ./lib/model/path.js
var path = __webpack_require__(3070);
;// CONCATENATED MODULE: ./lib/render/inline-values.js




/**
 * Helm values that live inside an app definition (an Argo CD Application's `valuesObject`, a
 * HelmRelease's `values`) rather than in a file: helm reads them from a temporary file, and the
 * source map reads them through a locator that answers with lines of the app definition.
 */
/** The values as a locator the Helm source map reads like a values file's. */
function inlineLocator(values) {
    const depth = (p) => {
        let k = 0;
        while (k < p.length && (0,path/* getAt */.sM)(values.values, p.slice(0, k + 1)) !== undefined)
            k++;
        return k;
    };
    const find = (p) => depth(p) === p.length ? (values.locate(p) ?? undefined) : undefined;
    return {
        file: values.name,
        docCount: 1,
        find: (p) => find(p),
        depth: (p) => depth(p),
        value: (p) => (p.length === 0 ? values.values : (0,path/* getAt */.sM)(values.values, p)),
        toJS: () => values.values,
        valueLine: (p) => find(p)?.line,
    };
}
/** Write each layer to a private temporary folder; `cleanup` removes it. */
async function writeInlineValues(layers) {
    if (layers.length === 0)
        return { files: [], cleanup: async () => undefined };
    const dir = await (0,promises_.mkdtemp)(external_node_path_.join(external_node_os_.tmpdir(), 'shipshape-values-'));
    const files = [];
    for (let i = 0; i < layers.length; i++) {
        const file = external_node_path_.join(dir, `values-${i}.json`);
        // JSON is YAML: helm reads it as a values file, with no quoting questions.
        await (0,promises_.writeFile)(file, JSON.stringify(layers[i].values), { mode: 0o600 });
        files.push(file);
    }
    return { files, cleanup: () => (0,promises_.rm)(dir, { recursive: true, force: true }) };
}

;// CONCATENATED MODULE: ./lib/render/tgz.js

/**
 * Read the text files of a packaged chart (`charts/<name>-<version>.tgz`, what `helm dependency
 * build` writes): the templates and values the source map aligns against. Nothing is written to
 * disk; a nested chart archive (`<name>/charts/common-2.0.0.tgz`) is read the same way, its files
 * under `<name>/charts/common/`. Bounded, so that an archive cannot make us read without end.
 */
const ARCHIVE_LIMITS = {
    /** Compressed size of one archive. */
    compressed: 16 * 1024 * 1024,
    /** Uncompressed size of one archive. */
    uncompressed: 64 * 1024 * 1024,
    /** Text files kept, over all nested archives. */
    files: 5_000,
    /** Archives inside archives. */
    depth: 4,
};
const TEXT = /\.(ya?ml|tpl|txt|json)$/i;
/**
 * The archive's text files by their path inside it (`storedb/templates/x.yaml`), or an error in
 * words. A chart archive holds one folder named after the chart.
 */
async function readChartArchive(abs, limits = ARCHIVE_LIMITS) {
    const st = await (0,promises_.stat)(abs).catch(() => undefined);
    if (!st?.isFile())
        return { error: `${abs}: not a file` };
    if (st.size > limits.compressed)
        return { error: `${abs}: archive over ${limits.compressed} bytes` };
    const out = new Map();
    try {
        unpack(await (0,promises_.readFile)(abs), '', out, 0, limits);
    }
    catch (err) {
        return { error: `${abs}: ${err.message}` };
    }
    return out;
}
function unpack(gz, prefix, out, depth, limits) {
    // zlib is loaded when a chart archive is first read (5 ms at start-up otherwise).
    const { gunzipSync } = process.getBuiltinModule('node:zlib');
    const tar = gunzipSync(gz, { maxOutputLength: limits.uncompressed });
    let longName;
    for (let at = 0; at + 512 <= tar.length;) {
        const header = tar.subarray(at, at + 512);
        if (header.every((b) => b === 0))
            break;
        const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
        const type = String.fromCharCode(header[156] || 48);
        const ustarPrefix = field(header, 345, 155);
        let name = longName ?? (ustarPrefix ? `${ustarPrefix}/${field(header, 0, 100)}` : field(header, 0, 100));
        longName = undefined;
        const body = tar.subarray(at + 512, at + 512 + size);
        at += 512 + Math.ceil(size / 512) * 512;
        if (type === 'L') {
            longName = body.toString('utf8').replace(/\0.*$/s, '');
            continue;
        }
        if (type === 'x') {
            const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
            if (path)
                longName = path;
            continue;
        }
        if (type !== '0' && type !== '\0' && type !== '7')
            continue; // folders, links, globals
        name = name.replace(/^\.\//, '');
        if (name.split('/').includes('..'))
            continue;
        if (/(^|\/)charts\/[^/]+\.tgz$/.test(name)) {
            if (depth + 1 <= limits.depth) {
                // `<chart>/charts/common-2.0.0.tgz` holds `common/...`: its files go under `<chart>/charts/`.
                unpack(Buffer.from(body), `${prefix}${name.slice(0, name.lastIndexOf('/') + 1)}`, out, depth + 1, limits);
            }
            continue;
        }
        if (!TEXT.test(name))
            continue;
        if (out.size >= limits.files)
            throw new Error(`more than ${limits.files} files`);
        out.set(`${prefix}${name}`, body.toString('utf8'));
    }
}
function field(header, offset, length) {
    const raw = header.subarray(offset, offset + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

// EXTERNAL MODULE: ./lib/render/types.js
var types = __webpack_require__(677);
// EXTERNAL MODULE: ./lib/render/yaml-data.js
var yaml_data = __webpack_require__(1010);
// EXTERNAL MODULE: ./lib/render/yaml-locate.js
var yaml_locate = __webpack_require__(536);
;// CONCATENATED MODULE: ./lib/render/helm.js














async function renderHelm(target, opts) {
    const started = { target, manifests: [], rendered: '' };
    const chartAbs = external_node_path_.resolve(opts.cwd, target.chart);
    const chartDir = displayPath(opts.cwd, chartAbs);
    const chartYamlName = (0,helm_map/* joinPath */.uJ)(chartDir, 'Chart.yaml');
    const refused = await escapes(chartAbs, target.valuesFiles, opts, chartYamlName);
    if (refused.length > 0)
        return { ...started, errors: refused };
    const files = new Map(await readChart(chartAbs, opts));
    const chartYaml = files.get(chartYamlName);
    if (chartYaml === undefined) {
        return {
            ...started,
            errors: [{ level: 'error', message: `${chartDir}: no Chart.yaml; not a Helm chart` }],
        };
    }
    const valuesFiles = [];
    const errors = [];
    for (const f of target.valuesFiles) {
        const abs = external_node_path_.resolve(opts.cwd, f);
        const name = displayPath(opts.cwd, abs);
        if ((await (0,render_files/* readText */.y)(abs, opts.cwd, files)) === undefined) {
            errors.push({ level: 'error', message: `values file ${f} not found or unreadable` });
        }
        else
            valuesFiles.push(name);
    }
    if (errors.length > 0)
        return { ...started, errors };
    const deps = dependenciesOf(chartYaml);
    const vendored = new Set(await (0,promises_.readdir)(external_node_path_.join(chartAbs, 'charts')).catch(() => []));
    const missing = deps.filter((d) => !isVendored(d, vendored));
    const remote = missing.filter((d) => !d.repository.startsWith('file://'));
    if (remote.length > 0) {
        return {
            ...started,
            errors: remote.map((d) => ({
                level: 'error',
                message: `dependency "${d.name}" comes from ${d.repository || 'no repository'} and is not vendored in ${chartDir}/charts/; ` +
                    'rendering has no network: run `helm dependency build` where it has and commit charts/, or use a file:// dependency',
                location: depLocation(chartYamlName, chartYaml, d.index),
            })),
        };
    }
    // Subcharts packaged as .tgz: their templates and values are read for the source map (never
    // as places to edit: what a human changes is the parent's values under the subchart's name).
    const virtual = await readArchives(chartAbs, chartDir, deps, files);
    let renderDir = chartAbs;
    let cleanup;
    const subchartDirs = {};
    // A chart at the top of its repository would load .git (the checkout's token) as chart files:
    // it renders from a copy without it, as a chart with dependencies to vendor does.
    const gitInside = (await opts.contain.scan(chartAbs)).gitInside;
    if (missing.length > 0 || gitInside) {
        const built = await vendorLocalDependencies(chartAbs, opts);
        if ('error' in built) {
            const dep = missing.find((d) => d.name === built.dependency);
            const location = dep
                ? depLocation(chartYamlName, chartYaml, dep.index)
                : { file: chartYamlName, line: 1, column: 1 };
            return { ...started, errors: [{ level: 'error', message: built.error, location }] };
        }
        renderDir = built.dir;
        cleanup = built.cleanup;
        // Findings in a local dependency land in its own folder, where it is edited.
        for (const [name, abs] of Object.entries(built.sources)) {
            subchartDirs[name] = displayPath(opts.cwd, abs);
            await (0,render_files/* readTree */.Z)(abs, opts.cwd, files);
        }
    }
    // An app definition's inline values: temporary files for helm, the definition's lines for the map.
    const inline = await writeInlineValues(target.inlineValues ?? []).catch(async (err) => {
        await cleanup?.();
        throw err;
    });
    try {
        const args = templateArgs(target, renderDir, [
            ...valuesFiles.map((f) => external_node_path_.resolve(opts.cwd, f)),
            ...inline.files,
        ]);
        const bounds = { cwd: opts.cwd, timeoutMs: opts.timeoutMs, maxMemoryBytes: opts.maxMemoryBytes };
        const res = await (0,exec/* run */.eF)(opts.helm, args, bounds);
        if (res.timedOut || res.overMemory) {
            return {
                ...started,
                errors: [
                    {
                        level: 'error',
                        message: `helm template ${(0,exec/* boundMessage */.wy)(res, opts)}`,
                        location: { file: chartYamlName, line: 1, column: 1 },
                    },
                ],
            };
        }
        if (res.code !== 0) {
            const error = await helmError(res.stderr, chartDir, chartYamlName, files, async () => {
                const debug = await (0,exec/* run */.eF)(opts.helm, [...args, '--debug'], bounds);
                return debug.stdout;
            });
            return { ...started, errors: [error] };
        }
        const layers = target.inlineValues ?? [];
        const sources = {
            chartDir,
            files,
            valuesFiles: [...valuesFiles, ...layers.map((l) => l.name)],
            setKeys: [...Object.keys(target.set), ...Object.keys(target.setString ?? {})],
            subchartDirs,
            virtual,
            inline: new Map(layers.map((l) => [l.name, inlineLocator(l)])),
        };
        const mapped = (0,helm_map/* mapHelmOutput */.Os)(res.stdout, renderedName(target), sources);
        return { target, manifests: mapped.manifests, errors: mapped.errors, rendered: res.stdout };
    }
    finally {
        await cleanup?.();
        await inline.cleanup();
    }
}
/**
 * What helm would read from outside the repository (or from `.git`): the chart folder or a values
 * file that resolves there, or a symlink anywhere under the chart. Each is an error naming it.
 */
async function escapes(chartAbs, valuesFiles, opts, chartYamlName) {
    const at = { file: chartYamlName, line: 1, column: 1 };
    const refuse = (reason) => ({
        level: 'error',
        message: `${reason}; refused (a render reads only the repository, outside .git)`,
        location: at,
    });
    const chart = await opts.contain.check(chartAbs);
    if (chart)
        return [refuse(chart)];
    const out = [];
    for (const f of valuesFiles) {
        const reason = await opts.contain.check(external_node_path_.resolve(opts.cwd, f));
        if (reason)
            out.push({ ...refuse(reason), location: undefined });
    }
    const named = new Set(out.map((e) => e.message));
    for (const e of await opts.contain.escapesUnder(chartAbs)) {
        const error = refuse(e.reason);
        if (!named.has(error.message))
            out.push(error);
    }
    return out;
}
/** The chart's files, read once per run however many targets share the chart. */
function readChart(chartAbs, opts) {
    if (!opts.trees)
        return (0,render_files/* readTree */.Z)(chartAbs, opts.cwd);
    let tree = opts.trees.get(chartAbs);
    if (!tree) {
        tree = (0,render_files/* readTree */.Z)(chartAbs, opts.cwd);
        opts.trees.set(chartAbs, tree);
    }
    return tree;
}
function renderedName(target) {
    return `${(0,types/* targetName */.j)(target)} [rendered]`;
}
function templateArgs(target, chartPath, valuesFiles) {
    // CRDs are objects the chart installs; `helm test` Pods are not part of the deployment.
    const args = [
        'template',
        target.releaseName,
        chartPath,
        '--namespace',
        target.namespace,
        '--include-crds',
        '--skip-tests',
    ];
    for (const f of valuesFiles)
        args.push('--values', f);
    for (const [k, v] of Object.entries(target.set))
        args.push('--set', `${k}=${v}`);
    for (const [k, v] of Object.entries(target.setString ?? {}))
        args.push('--set-string', `${k}=${v}`);
    if (target.kubeVersion)
        args.push('--kube-version', target.kubeVersion);
    for (const api of target.apiVersions)
        args.push('--api-versions', api);
    return args;
}
function displayPath(cwd, abs) {
    const rel = external_node_path_.relative(cwd, abs);
    const name = rel.startsWith('..') || external_node_path_.isAbsolute(rel) ? abs : rel || '.';
    return name.split(external_node_path_.sep).join('/');
}
function dependenciesOf(chartYaml) {
    // An alias bomb or a broken file gives nothing here: helm itself reports the file.
    const value = (0,yaml_data/* yamlData */.O)(chartYaml)[0];
    const list = Array.isArray(value?.dependencies) ? value.dependencies : [];
    return list.flatMap((d, index) => {
        if (!d || typeof d !== 'object' || typeof d.name !== 'string')
            return [];
        const dep = d;
        return [{ name: dep.name, repository: String(dep.repository ?? ''), alias: dep.alias, index }];
    });
}
/**
 * Read every `charts/*.tgz` of the chart into `files`, under the folder helm renders it as
 * (`chartDir/charts/<alias or name>/...`), and return those display paths.
 */
async function readArchives(chartAbs, chartDir, deps, files) {
    const virtual = new Set();
    const entries = await (0,promises_.readdir)(external_node_path_.join(chartAbs, 'charts')).catch(() => []);
    for (const entry of entries.filter((e) => e.endsWith('.tgz')).sort()) {
        const archive = await readChartArchive(external_node_path_.join(chartAbs, 'charts', entry));
        if ('error' in archive)
            continue;
        const top = [...archive.keys()][0]?.split('/')[0];
        if (!top)
            continue;
        const dep = deps.find((d) => d.name === top && entry.startsWith(`${d.name}-`));
        const folder = (0,helm_map/* joinPath */.uJ)(chartDir, `charts/${dep?.alias ?? top}`);
        // A folder of the same name wins, as it does for helm.
        if (files.has(`${folder}/Chart.yaml`))
            continue;
        for (const [name, text] of archive) {
            if (!name.startsWith(`${top}/`))
                continue;
            const file = `${folder}/${name.slice(top.length + 1)}`;
            files.set(file, text);
            virtual.add(file);
        }
    }
    return virtual;
}
/** Vendored as `charts/<name>/` or `charts/<name>-<version>.tgz`. */
function isVendored(dep, entries) {
    if (entries.has(dep.name))
        return true;
    for (const e of entries)
        if (e.startsWith(`${dep.name}-`) && e.endsWith('.tgz'))
            return true;
    return false;
}
function depLocation(file, text, index) {
    return (0,yaml_locate/* yamlLocator */.G)(text, file).find(['dependencies', index]) ?? { file, line: 1, column: 1 };
}
/**
 * Copy the chart to a temporary folder and vendor its missing file:// dependencies into the
 * copy's charts/ as folders (recursively, for dependencies of dependencies). This is what
 * `helm dependency build` does for local dependencies, without Helm's repository handling, so
 * nothing can reach for a network and the user's folder is never written to.
 */
async function vendorLocalDependencies(chartAbs, opts) {
    const tmp = await (0,promises_.mkdtemp)(external_node_path_.join(external_node_os_.tmpdir(), 'shipshape-chart-'));
    const dir = external_node_path_.join(tmp, external_node_path_.basename(chartAbs));
    const cleanup = () => (0,promises_.rm)(tmp, { recursive: true, force: true });
    try {
        await (0,promises_.cp)(chartAbs, dir, { recursive: true, filter: (src) => external_node_path_.basename(src) !== '.git' });
        const sources = {};
        const budget = { charts: 0, deadline: Date.now() + opts.timeoutMs, contain: opts.contain };
        const failure = await vendorInto(dir, chartAbs, sources, 0, budget);
        if (failure) {
            await cleanup();
            return failure;
        }
        return { dir, cleanup, sources };
    }
    catch (err) {
        await cleanup();
        return { error: `cannot vendor local dependencies: ${err.message}` };
    }
}
/** Bounds on vendoring file:// dependencies: a chart may not make us copy without end. */
const VENDOR_LIMITS = { depth: 5, charts: 50 };
async function vendorInto(copyDir, originalDir, sources, depth, budget) {
    if (depth > VENDOR_LIMITS.depth) {
        return {
            error: `file:// dependencies nest more than ${VENDOR_LIMITS.depth} deep (a cycle?); not rendered`,
        };
    }
    const text = await (0,promises_.readFile)(external_node_path_.join(originalDir, 'Chart.yaml'), 'utf8').catch(() => '');
    const present = new Set(await (0,promises_.readdir)(external_node_path_.join(copyDir, 'charts')).catch(() => []));
    for (const dep of dependenciesOf(text)) {
        if (isVendored(dep, present) || !dep.repository.startsWith('file://'))
            continue;
        const from = external_node_path_.resolve(originalDir, dep.repository.slice('file://'.length));
        const outside = await budget.contain.check(from);
        if (outside) {
            return {
                error: `file:// dependency "${dep.name}": ${outside}; refused (a render reads only the repository, outside .git)`,
                dependency: depth === 0 ? dep.name : undefined,
            };
        }
        const links = await budget.contain.escapesUnder(from);
        if (links.length > 0) {
            return {
                error: `file:// dependency "${dep.name}": ${links[0].reason}; refused (a render reads only the repository, outside .git)`,
                dependency: depth === 0 ? dep.name : undefined,
            };
        }
        if (++budget.charts > VENDOR_LIMITS.charts) {
            return { error: `more than ${VENDOR_LIMITS.charts} file:// dependencies to vendor; not rendered` };
        }
        if (Date.now() > budget.deadline)
            return { error: 'vendoring file:// dependencies took too long; not rendered' };
        const st = await (0,promises_.stat)(external_node_path_.join(from, 'Chart.yaml')).catch(() => undefined);
        if (!st) {
            return {
                error: `file:// dependency "${dep.name}" has no chart at ${dep.repository} (no Chart.yaml there)`,
                dependency: depth === 0 ? dep.name : undefined,
            };
        }
        const to = external_node_path_.join(copyDir, 'charts', dep.name);
        await (0,promises_.cp)(from, to, { recursive: true, filter: (src) => external_node_path_.basename(src) !== '.git' });
        if (depth === 0)
            sources[dep.name] = from;
        const nested = await vendorInto(to, from, sources, depth + 1, budget);
        if (nested)
            return nested;
    }
    return undefined;
}
function firstError(stderr) {
    const line = stderr.split('\n').find((l) => l.startsWith('Error:')) ?? stderr.trim().split('\n')[0] ?? '';
    return (0,model_text/* printable */.g$)(line.replace(/^Error:\s*/, '').trim(), exec/* MAX_MESSAGE */.h2);
}
/**
 * Helm's error -> an InputError on the file and line it names:
 *   template: web/templates/x.yaml:8:20: executing ...      (execution, with column)
 *   execution error at (web/templates/x.yaml:6:8): ...       (`required`, `fail`)
 *   parse error at (web/templates/x.yaml:7): ...             (template syntax)
 *   YAML parse error on web/templates/x.yaml: ... line 7: ...  (line of the rendered output)
 */
async function helmError(stderr, chartDir, chartYaml, files, debugOutput) {
    const message = firstError(stderr) || 'helm template failed';
    const toFile = (source) => (0,helm_map/* joinPath */.uJ)(chartDir, source.split('/').slice(1).join('/'));
    const clamp = (file, line, column) => {
        const text = files.get(file);
        if (text === undefined)
            return { file: chartYaml, line: 1, column: 1 };
        const count = text.split('\n').length;
        return { file, line: Math.max(1, Math.min(line, count)), column: Math.max(1, column) };
    };
    const exec = /(?:template: |error at \()([^:()\s]+):(\d+)(?::(\d+))?/.exec(message);
    if (exec) {
        const file = toFile(exec[1]);
        return {
            level: 'error',
            message: `helm: ${message}`,
            location: clamp(file, Number(exec[2]), Number(exec[3] ?? 1)),
        };
    }
    const yamlErr = /YAML parse error on ([^:\s]+): .*?line (\d+)/.exec(message);
    if (yamlErr) {
        const file = toFile(yamlErr[1]);
        const location = await renderedLineToTemplate(yamlErr[1], file, Number(yamlErr[2]), files, await debugOutput());
        return { level: 'error', message: `helm: ${message}`, location: location ?? clamp(file, 1, 1) };
    }
    const valuesMissing = /open ([^:]+): no such file/.exec(message);
    return {
        level: 'error',
        message: `helm: ${message}`,
        location: valuesMissing ? undefined : { file: chartYaml, line: 1, column: 1 },
    };
}
/** `--debug` prints the invalid output: align that template's output to find the printing line. */
async function renderedLineToTemplate(source, file, line, files, output) {
    const text = files.get(file);
    if (text === undefined)
        return undefined;
    const chunk = (0,helm_map/* splitChunks */.bV)(output, '').find((c) => c.template === source.split('/').slice(1).join('/'));
    if (!chunk)
        return undefined;
    const helpers = [...files]
        .filter(([f]) => /(^|\/)templates\/.*\.tpl$/.test(f))
        .map(([f, t]) => ({ file: f, text: t }));
    // Helm prints a blank line after `# Source:`; its YAML line numbers count from the content.
    const lines = chunk.lines[0] === '' ? chunk.lines.slice(1) : chunk.lines;
    const origins = (0,helm_align/* align */.M)(lines, (0,helm_template/* parseTemplate */.QC)(file, text).template, (0,helm_align/* defineTable */.a)(helpers));
    const origin = origins[Math.min(line, origins.length) - 1];
    return origin ? { file: origin.file, line: origin.line, column: origin.column } : undefined;
}

// EXTERNAL MODULE: ./lib/render/kustomize.js + 1 modules
var kustomize = __webpack_require__(142);
// EXTERNAL MODULE: ./lib/render/secret-inputs.js
var secret_inputs = __webpack_require__(4954);
// EXTERNAL MODULE: ./lib/render/discover.js + 14 modules
var discover = __webpack_require__(6821);
;// CONCATENATED MODULE: ./lib/render/index.js











/**
 * Renders at once by default: one per core, and one more. A render is a helm or kustomize process
 * and then this process reading and mapping what it printed; while one render's output is read
 * here, the others keep both cores busy with the tools.
 */
function renderConcurrency() {
    return (0,concurrency/* defaultConcurrency */.PV)() + 1;
}
/**
 * Render targets concurrently, one per core (and one more) by default. Each result is a value: a failing chart
 * is a result with errors, and the others go on.
 */
async function renderTargets(targets, options = {}) {
    const shared = newShared(await resolveTools(options.tools));
    return (0,concurrency/* mapConcurrent */._k)(targets, (t) => renderOne(t, options, shared), options.concurrency ?? renderConcurrency());
}
/**
 * One run's renders in several trees (the base's and the head's): the tools are found once,
 * chart files read once, and each tree's containment worked out once. The base-vs-head pipeline
 * renders every target two or three times.
 */
async function renderer(options = {}) {
    const shared = newShared(await resolveTools(options.tools));
    return (target, cwd) => renderOne(target, { ...options, cwd }, shared);
}
async function renderTarget(target, options = {}) {
    return renderOne(target, options, newShared(await resolveTools(options.tools)));
}
function newShared(tools) {
    return { tools, trees: new Map(), contain: new Map() };
}
/** The containment for renders in `cwd`: its repository (the given root, or found upwards). */
function containmentFor(shared, cwd, root) {
    const key = `${cwd}\0${root ?? ''}`;
    let found = shared.contain.get(key);
    if (!found) {
        found = (async () => new contain/* Containment */.xP(root ?? (await (0,contain/* repositoryRoot */.Hn)(cwd))))();
        shared.contain.set(key, found);
    }
    return found;
}
const toolCache = new Map();
/** Find helm and kustomize (or kubectl) and ask their versions, once per process. */
function resolveTools(given = {}) {
    const key = JSON.stringify(given) + (process.env.PATH ?? '');
    let found = toolCache.get(key);
    if (!found) {
        found = (async () => {
            const helm = given.helm ?? (await (0,exec/* which */.K7)('helm'));
            const kustomizeBin = given.kustomize ?? (await (0,exec/* which */.K7)('kustomize'));
            const kubectl = given.kubectl ?? (await (0,exec/* which */.K7)('kubectl'));
            const kustomize = kustomizeBin ? [kustomizeBin, 'build'] : kubectl ? [kubectl, 'kustomize'] : undefined;
            // Both versions at once: every render waits for them.
            const probe = async (program, args) => (await (0,exec/* run */.eF)(program, args, { timeoutMs: 10_000 })).stdout.trim();
            const [helmVersion, kustomizeVersion] = await Promise.all([
                helm ? probe(helm, ['version', '--short']) : undefined,
                kustomizeBin
                    ? probe(kustomizeBin, ['version'])
                    : kubectl
                        ? probe(kubectl, ['version', '--client'])
                        : undefined,
            ]);
            const versions = {};
            if (helmVersion !== undefined)
                versions.helm = `helm ${helmVersion}`;
            if (kustomizeBin)
                versions.kustomize = `kustomize ${kustomizeVersion}`;
            else if (kubectl)
                versions.kustomize = `kubectl kustomize (${/Kustomize Version: (\S+)/.exec(kustomizeVersion ?? '')?.[1] ?? 'unknown'})`;
            return { helm, kustomize, versions };
        })();
        toolCache.set(key, found);
    }
    return found;
}
/**
 * One target, whatever its input does: anything that throws while rendering or mapping it (a
 * YAML alias bomb in a Chart.yaml, a broken alias) becomes an error on that target, and the
 * other targets go on.
 */
async function renderOne(target, options, shared) {
    const started = performance.now();
    try {
        return await renderUnguarded(target, options, shared);
    }
    catch (err) {
        const file = target.kind === 'helm' ? `${target.chart.replace(/\/+$/, '')}/Chart.yaml` : undefined;
        return {
            target,
            manifests: [],
            rendered: '',
            millis: Math.round(performance.now() - started),
            errors: [
                {
                    level: 'error',
                    message: `${(0,types/* targetName */.j)(target)}: cannot be rendered: ${err.message ?? String(err)}`,
                    ...(file ? { location: { file, line: 1, column: 1 } } : {}),
                },
            ],
        };
    }
}
async function renderUnguarded(target, options, shared) {
    const { tools } = shared;
    const cwd = options.cwd ?? process.cwd();
    const timeoutMs = options.timeoutMs ?? 60_000;
    const maxMemoryBytes = options.maxMemoryBytes ?? exec/* DEFAULT_MAX_MEMORY_BYTES */.df;
    const contain = await containmentFor(shared, cwd, options.root);
    // Secrets in the inputs are known before any output, a failing render's error text included.
    await (0,secret_inputs/* collectTargetInputs */.r)(target, cwd, contain);
    const started = performance.now();
    const done = (r, tool) => (0,secret_inputs/* secureResult */.x)({ ...appResult(target, r), tool, millis: Math.round(performance.now() - started) });
    if (target.app?.skip)
        return done({ target, manifests: [], rendered: '', errors: [] });
    switch (target.kind) {
        case 'helm':
            if (!tools.helm)
                return done({
                    target,
                    manifests: [],
                    rendered: '',
                    errors: [missingTool('helm', (0,types/* targetName */.j)(target))],
                });
            return done({
                ...(await renderHelm({
                    ...target,
                    kubeVersion: target.kubeVersion || options.kubeVersion,
                    apiVersions: [...target.apiVersions, ...(options.apiVersions ?? [])],
                }, { cwd, helm: tools.helm, timeoutMs, maxMemoryBytes, contain, trees: shared.trees })),
                target,
            }, tools.versions.helm);
        case 'kustomize':
            if (!tools.kustomize) {
                return done({
                    target,
                    manifests: [],
                    rendered: '',
                    errors: [missingTool('kustomize (or kubectl)', (0,types/* targetName */.j)(target))],
                });
            }
            return done(await (0,kustomize/* renderKustomize */.i4)(target, {
                cwd,
                command: tools.kustomize,
                timeoutMs,
                maxMemoryBytes,
                contain,
                helm: tools.helm,
                kubeVersion: options.kubeVersion,
                apiVersions: options.apiVersions,
            }), tools.versions.kustomize);
        case 'plain': {
            // A plain file named by the config may be a symlink too: only the repository is read.
            const refused = [];
            const paths = [];
            for (const p of target.paths) {
                const reason = await contain.check(external_node_path_.resolve(cwd, p));
                if (reason)
                    refused.push({
                        level: 'error',
                        message: `${reason}; refused (only the repository is read, outside .git)`,
                    });
                else
                    paths.push(p);
            }
            const loaded = await (0,files/* loadPaths */.D6)(paths, { cwd });
            return done({
                target,
                manifests: loaded.manifests,
                errors: [...refused, ...loaded.errors],
                rendered: '',
            });
        }
    }
}
/**
 * What an app definition adds to a render (src/gitops): its notes first, and its post-render
 * step (Flux's variable substitution) on what rendered.
 */
function appResult(target, r) {
    const app = target.app;
    if (!app)
        return r;
    const after = app.postRender && r.manifests.length > 0 ? app.postRender(r) : r;
    return { ...after, errors: [...app.notes, ...after.errors] };
}
function missingTool(tool, what) {
    return {
        level: 'error',
        message: `${what}: ${tool} is not installed (not on PATH, and no --helm/--kustomize or Action input names it); cannot render`,
    };
}


/***/ }),

/***/ 1136:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A6: () => (/* binding */ inflatedTwin),
/* harmony export */   FD: () => (/* binding */ helmChartProblems),
/* harmony export */   Q6: () => (/* binding */ inflatedManifests),
/* harmony export */   tX: () => (/* binding */ enableHelmArgs),
/* harmony export */   v3: () => (/* binding */ helmChartsOf)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8815);
/* harmony import */ var _model_collections_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(412);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(3356);
/* harmony import */ var _exec_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2947);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3836);
/* harmony import */ var _helm_map_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7293);
/* harmony import */ var _yaml_locate_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(536);










/** Where kustomize looks for charts when `helmGlobals.chartHome` is not set. */
const DEFAULT_CHART_HOME = 'charts';
/** The `helmCharts:` entries of every kustomization in the tree (kustomize.ts's KustomizationInfo). */
async function helmChartsOf(tree) {
    const out = [];
    for (const k of tree) {
        const text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(k.file, 'utf8').catch(() => '');
        if (!/^helmCharts:/m.test(text))
            continue;
        const doc = (0,_yaml_locate_js__WEBPACK_IMPORTED_MODULE_7__/* .yamlLocator */ .G)(text, k.file).toJS();
        if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_8__/* .isRecord */ .u4)(doc) || !Array.isArray(doc.helmCharts))
            continue;
        const dir = node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(k.file);
        const globals = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_8__/* .isRecord */ .u4)(doc.helmGlobals) ? doc.helmGlobals : {};
        const home = node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(dir, typeof globals.chartHome === 'string' ? globals.chartHome : DEFAULT_CHART_HOME);
        doc.helmCharts.forEach((c, index) => {
            if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_8__/* .isRecord */ .u4)(c) || typeof c.name !== 'string' || typeof c.repo === 'string')
                return;
            const chartAbs = node_path__WEBPACK_IMPORTED_MODULE_2__.join(home, c.name);
            const valuesFile = node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(dir, typeof c.valuesFile === 'string' ? c.valuesFile : node_path__WEBPACK_IMPORTED_MODULE_2__.join(chartAbs, 'values.yaml'));
            const additional = Array.isArray(c.additionalValuesFiles)
                ? c.additionalValuesFiles
                    .filter((f) => typeof f === 'string')
                    .map((f) => node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(dir, f))
                : [];
            const inline = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_8__/* .isRecord */ .u4)(c.valuesInline) && Object.keys(c.valuesInline).length > 0 ? c.valuesInline : undefined;
            // As kustomize layers them: valuesInline replaces the values file, unless valuesMerge says
            // to merge it over (`merge`) or under (`override`) that file.
            const merge = typeof c.valuesMerge === 'string' ? c.valuesMerge : '';
            const files = !inline
                ? [valuesFile]
                : merge === 'merge'
                    ? [valuesFile]
                    : merge === 'override'
                        ? [valuesFile]
                        : [];
            const position = !inline ? -1 : merge === 'override' ? 0 : files.length;
            const strings = (v) => Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
            out.push({
                kustomization: k.file,
                index,
                chartAbs,
                name: c.name,
                releaseName: typeof c.releaseName === 'string' ? c.releaseName : undefined,
                namespace: typeof c.namespace === 'string' ? c.namespace : undefined,
                valuesFiles: [...files, ...additional],
                ...(inline ? { inline: { values: inline, position } } : {}),
                kubeVersion: typeof c.kubeVersion === 'string' ? c.kubeVersion : undefined,
                apiVersions: strings(c.apiVersions),
                includeCRDs: c.includeCRDs === true,
                skipTests: c.skipTests === true,
                skipHooks: c.skipHooks === true,
            });
        });
    }
    return out;
}
/**
 * What keeps a chart from being inflated here, on the line of its entry: no helm to inflate
 * with, a chart folder that is not there, or one that reads outside the repository.
 */
async function helmChartProblems(entries, helm, contain, display) {
    const out = [];
    for (const e of entries) {
        const text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(e.kustomization, 'utf8').catch(() => '');
        const at = (0,_yaml_locate_js__WEBPACK_IMPORTED_MODULE_7__/* .yamlLocator */ .G)(text, e.kustomization).find(['helmCharts', e.index]) ?? { line: 1, column: 1 };
        const location = { file: display(e.kustomization), line: at.line, column: at.column };
        const error = (message) => out.push({ level: 'error', message, location });
        if (!helm) {
            error(`helmCharts: "${e.name}" needs helm to inflate it, and helm is not installed (not on PATH, and no --helm or Action input names it)`);
            continue;
        }
        const reason = (await contain.check(e.chartAbs)) ?? (await contain.escapesUnder(e.chartAbs))[0]?.reason;
        if (reason) {
            error(`helmCharts: "${e.name}": ${reason}; refused (a render reads only the repository, outside .git)`);
            continue;
        }
        if ((await (0,_files_js__WEBPACK_IMPORTED_MODULE_5__/* .readText */ .y)(node_path__WEBPACK_IMPORTED_MODULE_2__.join(e.chartAbs, 'Chart.yaml'), '/', new Map())) === undefined) {
            error(`helmCharts: "${e.name}" has no chart at ${display(e.chartAbs)} (helmGlobals.chartHome + name); ` +
                'vendor it there (there is no network to pull it from)');
        }
    }
    return out;
}
/** The flags that let kustomize inflate charts, with our helm. */
function enableHelmArgs(helm, kubeVersion, apiVersions = []) {
    const args = ['--enable-helm', '--helm-command', helm];
    if (kubeVersion)
        args.push('--helm-kube-version', kubeVersion);
    if (apiVersions.length > 0)
        args.push('--helm-api-versions', apiVersions.join(','));
    return args;
}
/**
 * Render each chart as kustomize does (same release, namespace and values), with `# Source:`
 * comments this time, and map what helm printed to the chart's templates, its values files and
 * the `valuesInline` lines of the kustomization. Failures leave the chart unmapped (kustomize's
 * own build is what reports errors).
 */
async function inflatedManifests(entries, opts, display) {
    const out = [];
    if (entries.length === 0)
        return out;
    const tmp = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdtemp)(node_path__WEBPACK_IMPORTED_MODULE_2__.join(node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir(), 'shipshape-inflate-'));
    try {
        for (const e of entries) {
            const inlineFile = node_path__WEBPACK_IMPORTED_MODULE_2__.join(tmp, `${e.index}-${e.name}-values.yaml`);
            const files = [...e.valuesFiles];
            if (e.inline) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(inlineFile, (0,yaml__WEBPACK_IMPORTED_MODULE_3__/* .stringify */ .As)(e.inline.values, { version: '1.1' })); // helm reads YAML 1.1
                files.splice(e.inline.position, 0, inlineFile);
            }
            const args = ['template', e.releaseName ?? 'release-name', e.chartAbs];
            if (e.namespace)
                args.push('--namespace', e.namespace);
            for (const f of files)
                args.push('--values', f);
            for (const api of [...e.apiVersions, ...(opts.apiVersions ?? [])])
                args.push('--api-versions', api);
            const kubeVersion = e.kubeVersion ?? opts.kubeVersion;
            if (kubeVersion)
                args.push('--kube-version', kubeVersion);
            if (e.includeCRDs)
                args.push('--include-crds');
            if (e.skipTests)
                args.push('--skip-tests');
            if (e.skipHooks)
                args.push('--no-hooks');
            const res = await (0,_exec_js__WEBPACK_IMPORTED_MODULE_4__/* .run */ .eF)(opts.helm, args, {
                cwd: opts.cwd,
                timeoutMs: opts.timeoutMs,
                maxMemoryBytes: opts.maxMemoryBytes,
            });
            if (res.code !== 0 || res.timedOut || res.overMemory)
                continue;
            const chartDir = display(e.chartAbs);
            const texts = await (0,_files_js__WEBPACK_IMPORTED_MODULE_5__/* .readTree */ .Z)(e.chartAbs, opts.cwd);
            const kfile = display(e.kustomization);
            await (0,_files_js__WEBPACK_IMPORTED_MODULE_5__/* .readText */ .y)(e.kustomization, opts.cwd, texts);
            const valuesFiles = [];
            const layers = [];
            for (const f of files) {
                if (f === inlineFile) {
                    layers.push({ file: kfile, anchor: ['helmCharts', e.index, 'valuesInline'] });
                    continue;
                }
                if ((await (0,_files_js__WEBPACK_IMPORTED_MODULE_5__/* .readText */ .y)(f, opts.cwd, texts)) === undefined)
                    continue;
                layers.push({ file: display(f), anchor: [] });
            }
            for (const l of layers)
                if (l.anchor.length === 0)
                    valuesFiles.push(l.file);
            const mapped = (0,_helm_map_js__WEBPACK_IMPORTED_MODULE_6__/* .mapHelmOutput */ .Os)(res.stdout, `${kfile} helmCharts[${e.index}]`, {
                chartDir,
                files: texts,
                valuesFiles,
                setKeys: [],
                layers,
            });
            (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_9__/* .pushAll */ .i)(out, mapped.manifests);
        }
    }
    finally {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(tmp, { recursive: true, force: true });
    }
    return out;
}
/**
 * The object helm printed that kustomize then transformed: same kind, and a name that kustomize
 * made from it (a prefix or suffix added), the longest such name.
 */
function inflatedTwin(inflated, object) {
    const name = object.metadata?.name ?? '';
    let best;
    for (const m of inflated) {
        if (m.ref.kind !== object.kind || !name.includes(m.ref.name))
            continue;
        if (!best || m.ref.name.length > best.ref.name.length)
            best = m;
    }
    return best;
}


/***/ }),

/***/ 772:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $L: () => (/* binding */ mapKustomizeOutput),
/* harmony export */   Ct: () => (/* binding */ KUSTOMIZATION_FILES),
/* harmony export */   Sk: () => (/* binding */ stripAll),
/* harmony export */   vF: () => (/* binding */ KustomizeMapper)
/* harmony export */ });
/* unused harmony exports ORIGIN_ANNOTATION, TRANSFORMATIONS_ANNOTATION, stripBuildMetadata, soleDocumentStart */
/* harmony import */ var js_yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3243);
/* harmony import */ var _load_yaml_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4536);
/* harmony import */ var _model_path_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3070);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3356);
/* harmony import */ var _kustomize_helm_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1136);
/* harmony import */ var _yaml_locate_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(536);






/** The names a kustomization file may have, in the order kustomize looks for them. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/**
 * `kustomize build` output (with build metadata) -> manifests that know where each field is
 * edited. Kustomize's own annotations say which file an object came from and which
 * kustomizations transformed it; this module decides, per field, whether a patch, an `images:`
 * or `replicas:` entry, the `namespace:` field, or the base resource set it. Pure: files come in
 * as text, keyed by display path.
 */
const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
/** Strip every object's build annotations; the metadata keyed as `refKey` names the object. */
function stripAll(objects, resolve) {
    const out = new Map();
    for (const o of objects)
        out.set((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .refKey */ .XF)((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .refOf */ .H8)(o)), stripBuildMetadata(o, resolve));
    return out;
}
/** Read and remove one object's build annotations (paths resolved by `resolve`). */
function stripBuildMetadata(object, resolve) {
    const meta = { transformedIn: [] };
    const annotations = object.metadata?.annotations;
    if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(annotations))
        return meta;
    const origin = annotations[ORIGIN_ANNOTATION];
    if (typeof origin === 'string') {
        const o = parseSmallYaml(origin);
        if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(o) && typeof o.path === 'string')
            meta.origin = { file: resolve(o.path) };
        else if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(o) && typeof o.configuredIn === 'string') {
            const by = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(o.configuredBy) ? String(o.configuredBy.kind ?? '') : '';
            meta.origin = { file: resolve(o.configuredIn), generatedBy: by };
        }
    }
    const transformations = annotations[TRANSFORMATIONS_ANNOTATION];
    if (typeof transformations === 'string') {
        const list = parseSmallYaml(transformations);
        if (Array.isArray(list)) {
            for (const t of list) {
                if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(t) && typeof t.configuredIn === 'string') {
                    const file = resolve(t.configuredIn);
                    if (!meta.transformedIn.includes(file))
                        meta.transformedIn.push(file);
                }
            }
        }
    }
    delete annotations[ORIGIN_ANNOTATION];
    delete annotations[TRANSFORMATIONS_ANNOTATION];
    if (Object.keys(annotations).length === 0)
        delete object.metadata.annotations;
    return meta;
}
/** An annotation's YAML (`path: base/deploy.yaml`): small, and kustomize's own; js-yaml reads it fast. */
function parseSmallYaml(text) {
    try {
        return (0,js_yaml__WEBPACK_IMPORTED_MODULE_0__/* .load */ .Hh)(text, { schema: js_yaml__WEBPACK_IMPORTED_MODULE_0__/* .CORE_SCHEMA */ .OU });
    }
    catch {
        return undefined;
    }
}
class KustomizeMapper {
    files;
    dirOf;
    locators = new Map();
    patches = new Map();
    /** `files` holds the text of kustomizations, resources and patches; `join(dir, rel)` makes display paths. */
    join;
    /** Where a field lands when nothing else knows (an object from a Helm chart Kustomize inflated). */
    fallbackFile;
    /** What helm printed for the kustomization's `helmCharts:`, mapped to the charts and their values. */
    inflated;
    constructor(files, join, fallbackFile, inflated = []) {
        this.files = files;
        this.join = join;
        this.fallbackFile = fallbackFile;
        this.inflated = inflated;
        this.dirOf = (file) => file.split('/').slice(0, -1).join('/') || '.';
    }
    /** Attach `locateSource` to a parsed manifest. */
    attach(m, meta) {
        m.locateSource = (segments) => this.locate(m.object, meta, segments) ??
            (this.fallbackFile ? { file: this.fallbackFile, line: 1, column: 1 } : m.locate(segments));
    }
    locate(object, meta, segments) {
        // The object itself (every rendered object is asked where it comes from): in a file of one
        // document, its first line, found without reading the file as YAML.
        if (segments.length === 0 && meta.origin && meta.origin.generatedBy === undefined) {
            const at = soleDocumentStart(this.files.get(meta.origin.file));
            if (at)
                return { file: meta.origin.file, ...at };
        }
        let k = segments.length;
        while (k > 0 && (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .getAt */ .sM)(object, segments.slice(0, k)) === undefined)
            k--;
        const existing = segments.slice(0, k);
        const complete = k === segments.length;
        const display = (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(object, existing);
        const base = this.originDoc(object, meta);
        const kustomizations = [...meta.transformedIn].reverse();
        // A patch sets values; the maps and lists it walks through to reach them (`metadata`,
        // `spec.template.spec`, a container by name) stay the base's when the base has them.
        const value = (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .getAt */ .sM)(object, segments);
        // A list item's merge key (`- name: web` of a container) says which item a patch changes.
        const parentList = segments[segments.length - 3];
        const mergeKey = typeof segments[segments.length - 2] === 'number' &&
            typeof parentList === 'string' &&
            (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .mergeKeyOf */ .dh)(parentList, (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .getAt */ .sM)(object, segments.slice(0, -1)))?.key === segments[segments.length - 1];
        const structural = (value !== null && typeof value === 'object') || mergeKey;
        const inBase = base ? (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .resolvePath */ .o1)(base.object, display).complete : false;
        if (complete && !(structural && inBase)) {
            for (const kfile of kustomizations) {
                const hit = this.fromTransformerConfig(kfile, object, segments) ??
                    this.fromReplicas(kfile, object, base?.name, segments) ??
                    this.fromImages(kfile, object, segments) ??
                    this.fromNamespace(kfile, segments) ??
                    this.fromLabels(kfile, segments) ??
                    this.fromPatches(kfile, object, base?.name, segments, display);
                if (hit)
                    return hit;
            }
        }
        // The base's line when it has the field; else a patch that added it (or its parent); else the
        // nearest parent the base has.
        if (base) {
            const resolved = (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .resolvePath */ .o1)(base.object, display);
            if (resolved.complete)
                return base.locator.find(resolved.segments, base.doc);
            return (this.patchFor(kustomizations, object, base.name, existing, display) ??
                base.locator.find(resolved.segments, base.doc));
        }
        const patched = this.patchFor(kustomizations, object, undefined, existing, display);
        if (patched)
            return patched;
        // Inflated from `helmCharts:`: where helm's source map puts it (a values line of the
        // kustomization's valuesInline, the chart's values file or a template line).
        if (meta.origin?.generatedBy === 'HelmChartInflationGenerator') {
            const twin = (0,_kustomize_helm_js__WEBPACK_IMPORTED_MODULE_3__/* .inflatedTwin */ .A6)(this.inflated, object);
            if (twin?.locateSource)
                return twin.locateSource(segments);
        }
        return this.generated(meta, object);
    }
    patchFor(kustomizations, object, originalName, existing, display) {
        for (const kfile of kustomizations) {
            const hit = this.fromPatches(kfile, object, originalName, existing, display);
            if (hit)
                return hit;
        }
        return undefined;
    }
    /** A generated object (configMapGenerator, secretGenerator): its entry in the kustomization. */
    generated(meta, object) {
        if (!meta.origin?.generatedBy)
            return meta.origin ? { file: meta.origin.file, line: 1, column: 1 } : undefined;
        const loc = this.locator(meta.origin.file);
        if (!loc)
            return undefined;
        for (const key of ['configMapGenerator', 'secretGenerator']) {
            const list = loc.value([key]);
            if (!Array.isArray(list))
                continue;
            const idx = list.findIndex((g) => (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(g) && typeof g.name === 'string' && (object.metadata.name ?? '').includes(g.name));
            if (idx >= 0)
                return loc.find([key, idx]);
        }
        return { file: meta.origin.file, line: 1, column: 1 };
    }
    /** The object's document in its origin file: matched by kind and by the name it had there. */
    originDoc(object, meta) {
        if (!meta.origin || meta.origin.generatedBy !== undefined)
            return undefined;
        const loc = this.locator(meta.origin.file);
        if (!loc)
            return undefined;
        const rendered = object.metadata.name ?? '';
        let best;
        for (let d = 0; d < loc.docCount; d++) {
            const value = loc.toJS(d);
            if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(value) || value.kind !== object.kind)
                continue;
            const name = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(value.metadata) ? String(value.metadata.name ?? '') : '';
            if (!rendered.includes(name))
                continue;
            if (!best || name.length > best.name.length)
                best = { locator: loc, doc: d, object: value, name };
        }
        return best;
    }
    /**
     * A builtin transformer configured in a file of its own (`transformers: [labels.yaml]` with
     * `kind: LabelTransformer`): the entry of that file that sets the field.
     */
    fromTransformerConfig(kfile, object, segments) {
        const loc = this.locator(kfile);
        if (!loc)
            return undefined;
        for (let d = 0; d < loc.docCount; d++) {
            const config = loc.toJS(d);
            if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(config) || typeof config.kind !== 'string' || !config.kind.endsWith('Transformer'))
                continue;
            const key = segments[segments.length - 1];
            const parent = segments[segments.length - 2];
            const last = segments.length;
            switch (config.kind) {
                case 'LabelTransformer':
                    if (typeof key === 'string' && ['labels', 'matchLabels', 'selector'].includes(String(parent))) {
                        const hit = loc.find(['labels', key], d);
                        if (hit)
                            return hit;
                    }
                    break;
                case 'AnnotationsTransformer':
                    if (typeof key === 'string' && parent === 'annotations') {
                        const hit = loc.find(['annotations', key], d);
                        if (hit)
                            return hit;
                    }
                    break;
                case 'NamespaceTransformer':
                    if (last === 2 && segments[0] === 'metadata' && key === 'namespace') {
                        const hit = loc.find(['metadata', 'namespace'], d);
                        if (hit)
                            return hit;
                    }
                    break;
                case 'ImageTagTransformer':
                    if (key === 'image' && typeof (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .getAt */ .sM)(object, segments) === 'string') {
                        const hit = loc.find(['imageTag', 'newTag'], d) ??
                            loc.find(['imageTag', 'digest'], d) ??
                            loc.find(['imageTag'], d);
                        if (hit)
                            return hit;
                    }
                    break;
                case 'ReplicaCountTransformer':
                    if (last === 2 && segments[0] === 'spec' && key === 'replicas') {
                        const hit = loc.find(['replica', 'count'], d);
                        if (hit)
                            return hit;
                    }
                    break;
            }
        }
        return undefined;
    }
    fromReplicas(kfile, object, originalName, segments) {
        if (segments.length !== 2 || segments[0] !== 'spec' || segments[1] !== 'replicas')
            return undefined;
        const loc = this.locator(kfile);
        const list = loc?.value(['replicas']);
        if (!loc || !Array.isArray(list))
            return undefined;
        const name = originalName ?? object.metadata.name;
        const idx = list.findIndex((r) => (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(r) && r.name === name);
        if (idx < 0)
            return undefined;
        return loc.find(['replicas', idx, 'count']) ?? loc.find(['replicas', idx]);
    }
    fromImages(kfile, object, segments) {
        if (segments[segments.length - 1] !== 'image')
            return undefined;
        const image = (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .getAt */ .sM)(object, segments);
        const loc = this.locator(kfile);
        const list = loc?.value(['images']);
        if (typeof image !== 'string' || !loc || !Array.isArray(list))
            return undefined;
        const repo = imageName(image);
        for (let idx = list.length - 1; idx >= 0; idx--) {
            const entry = list[idx];
            if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(entry))
                continue;
            const target = typeof entry.newName === 'string' ? entry.newName : entry.name;
            if (target !== repo)
                continue;
            // The field a human changes for a tag or digest finding; else the entry itself.
            for (const field of ['newTag', 'digest', 'newName']) {
                if (field in entry)
                    return loc.find(['images', idx, field]);
            }
            return loc.find(['images', idx]);
        }
        return undefined;
    }
    fromNamespace(kfile, segments) {
        if (segments.length !== 2 || segments[0] !== 'metadata' || segments[1] !== 'namespace')
            return undefined;
        return this.locator(kfile)?.find(['namespace']);
    }
    /** A label or annotation that `labels:`, `commonLabels:` or `commonAnnotations:` adds. */
    fromLabels(kfile, segments) {
        const key = segments[segments.length - 1];
        const parent = segments[segments.length - 2];
        if (typeof key !== 'string' ||
            !['labels', 'matchLabels', 'selector', 'annotations'].includes(String(parent))) {
            return undefined;
        }
        const loc = this.locator(kfile);
        if (!loc)
            return undefined;
        if (parent === 'annotations')
            return loc.find(['commonAnnotations', key]);
        const labels = loc.value(['labels']);
        if (Array.isArray(labels)) {
            for (let i = labels.length - 1; i >= 0; i--) {
                const hit = loc.find(['labels', i, 'pairs', key]);
                if (hit)
                    return hit;
            }
        }
        return loc.find(['commonLabels', key]);
    }
    /** The last patch of this kustomization that sets the field (strategic merge or JSON 6902). */
    fromPatches(kfile, object, originalName, segments, display) {
        for (const patch of [...this.patchesOf(kfile)].reverse()) {
            if (patch.target && !targetMatches(patch.target, object, originalName))
                continue;
            const hit = isJson6902(patch)
                ? json6902Location(patch, segments)
                : strategicLocation(patch, object, originalName, display);
            if (hit)
                return { ...hit, line: hit.line + patch.lineShift, column: hit.column + patch.columnShift };
        }
        return undefined;
    }
    patchesOf(kfile) {
        const cached = this.patches.get(kfile);
        if (cached)
            return cached;
        const out = [];
        const loc = this.locator(kfile);
        const text = this.files.get(kfile) ?? '';
        const dir = this.dirOf(kfile);
        const add = (entry, at) => {
            if (typeof entry === 'string') {
                const file = this.locator(this.join(dir, entry));
                if (file)
                    out.push({ locator: file, lineShift: 0, columnShift: 0 });
                return;
            }
            if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(entry))
                return;
            const target = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(entry.target) ? entry.target : undefined;
            if (typeof entry.path === 'string') {
                const file = this.locator(this.join(dir, entry.path));
                if (file)
                    out.push({ locator: file, lineShift: 0, columnShift: 0, target });
            }
            else if (typeof entry.patch === 'string' && loc) {
                const first = loc.valueLine([...at, 'patch']);
                if (first === undefined)
                    return;
                const indent = (text.split('\n')[first - 1] ?? '').match(/^ */)[0].length;
                out.push({
                    locator: (0,_yaml_locate_js__WEBPACK_IMPORTED_MODULE_4__/* .yamlLocator */ .G)(entry.patch, kfile, '1.2'),
                    lineShift: first - 1,
                    columnShift: indent,
                    target,
                });
            }
        };
        for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
            const list = loc?.value([key]);
            if (Array.isArray(list))
                for (let i = 0; i < list.length; i++)
                    add(list[i], [key, i]);
        }
        this.patches.set(kfile, out);
        return out;
    }
    locator(file) {
        if (!this.locators.has(file)) {
            const text = this.files.get(file);
            // Kustomize reads a kustomization as YAML 1.1 and the resources and patches it lists as 1.2.
            const version = KUSTOMIZATION_FILES.includes(file.split('/').pop() ?? '') ? '1.1' : '1.2';
            this.locators.set(file, text === undefined ? null : (0,_yaml_locate_js__WEBPACK_IMPORTED_MODULE_4__/* .yamlLocator */ .G)(text, file, version));
        }
        return this.locators.get(file) ?? undefined;
    }
}
/**
 * Where the one document of a YAML file starts (its first key), or undefined when the file holds
 * more than one document or starts in a way this does not read (then the document model decides).
 */
function soleDocumentStart(text) {
    if (text === undefined)
        return undefined;
    const lines = text.split('\n');
    let first = -1;
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (/^(---|\.\.\.)(\s|$)/.test(line)) {
            // A marker after the content starts another document; one before it starts this one.
            if (first >= 0 ||
                line
                    .replace(/^(---|\.\.\.)/, '')
                    .trim()
                    .replace(/^#.*/, '') !== '')
                return undefined;
            continue;
        }
        if (first < 0 && (/^\s*(#.*)?$/.test(line) || line.startsWith('%')))
            continue;
        if (first < 0)
            first = i;
    }
    if (first < 0)
        return undefined;
    const indent = /^ */.exec(lines[first])[0].length;
    // Only a plain block map (`apiVersion: v1`): anchors, tags and flow maps are the model's to read.
    if (!/^ *[A-Za-z_"'][^:]*:(\s|$)/.test(lines[first]))
        return undefined;
    return { line: first + 1, column: indent + 1 };
}
function imageName(image) {
    const at = image.indexOf('@');
    const noDigest = at >= 0 ? image.slice(0, at) : image;
    const colon = noDigest.lastIndexOf(':');
    return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}
function isJson6902(patch) {
    return Array.isArray(patch.locator.toJS());
}
function targetMatches(target, object, originalName) {
    if (typeof target.kind === 'string' && target.kind !== object.kind)
        return false;
    if (typeof target.name === 'string') {
        const re = new RegExp(`^(?:${target.name})$`);
        if (!re.test(originalName ?? '') && !re.test(object.metadata.name ?? ''))
            return false;
    }
    if (typeof target.namespace === 'string' && target.namespace !== (object.metadata.namespace ?? ''))
        return false;
    if (typeof target.labelSelector === 'string') {
        const labels = object.metadata.labels ?? {};
        for (const part of target.labelSelector.split(',')) {
            const [k, v] = part.split('=').map((s) => s.trim());
            if (k && (v === undefined ? !(k in labels) : labels[k] !== v))
                return false;
        }
    }
    return true;
}
/** JSON 6902: the op whose path is the field or one of its parents; inside its `value` when it can. */
function json6902Location(patch, segments) {
    const ops = patch.locator.toJS();
    if (!Array.isArray(ops))
        return undefined;
    for (let i = ops.length - 1; i >= 0; i--) {
        const op = ops[i];
        if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(op) ||
            typeof op.path !== 'string' ||
            !['add', 'replace', 'copy', 'move'].includes(String(op.op)))
            continue;
        const pointer = op.path
            .split('/')
            .slice(1)
            .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
        if (pointer.length > segments.length)
            continue;
        const same = pointer.every((t, k) => t === String(segments[k]) || (t === '-' && typeof segments[k] === 'number'));
        if (!same)
            continue;
        const rel = segments.slice(pointer.length);
        return (patch.locator.find([i, 'value', ...rel]) ??
            patch.locator.find([i, 'value']) ??
            patch.locator.find([i, 'path']));
    }
    return undefined;
}
/** Strategic merge: the patch document for this object, walked with merge keys (`containers[name=app]`). */
function strategicLocation(patch, object, originalName, display) {
    for (let d = 0; d < patch.locator.docCount; d++) {
        const doc = patch.locator.toJS(d);
        if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(doc))
            continue;
        if (!patch.target) {
            const name = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(doc.metadata) ? doc.metadata.name : undefined;
            if (doc.kind !== object.kind || (name !== originalName && name !== object.metadata.name))
                continue;
        }
        const resolved = (0,_model_path_js__WEBPACK_IMPORTED_MODULE_2__/* .resolvePath */ .o1)(doc, display);
        if (!resolved.complete || resolved.segments.length === 0)
            continue;
        // Identity fields of the patch (kind, metadata.name) say which object, not what to set.
        if (display === 'metadata.name' || display === 'kind' || display === 'apiVersion')
            continue;
        return patch.locator.find(resolved.segments, d);
    }
    return undefined;
}
/**
 * Parse stripped kustomize output into manifests with the build metadata attached, matched by
 * kind, namespace and name (which Kustomize keeps unique), not by position.
 */
function mapKustomizeOutput(text, renderedName, metas, mapper) {
    const parsed = (0,_load_yaml_js__WEBPACK_IMPORTED_MODULE_1__/* .parseManifests */ .Ye)(text, renderedName);
    for (const m of parsed.manifests) {
        const meta = metas.get((0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .refKey */ .XF)(m.ref));
        if (meta)
            mapper.attach(m, meta);
    }
    return parsed;
}


/***/ }),

/***/ 142:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ct: () => (/* reexport */ kustomize_map/* KUSTOMIZATION_FILES */.Ct),
  Oi: () => (/* binding */ kustomizationFile),
  kG: () => (/* binding */ readKustomization),
  i4: () => (/* binding */ renderKustomize)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/js-yaml/dist/js-yaml.mjs
var js_yaml = __webpack_require__(3243);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./lib/model/text.js
var model_text = __webpack_require__(7798);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/render/contain.js
var render_contain = __webpack_require__(8632);
// EXTERNAL MODULE: ./lib/render/exec.js
var exec = __webpack_require__(2947);
// EXTERNAL MODULE: ./lib/render/files.js
var render_files = __webpack_require__(3836);
// EXTERNAL MODULE: ./lib/render/kustomize-helm.js
var kustomize_helm = __webpack_require__(1136);
// EXTERNAL MODULE: ./lib/render/kustomize-map.js
var kustomize_map = __webpack_require__(772);
;// CONCATENATED MODULE: ./lib/render/kustomize-overlay.js


/**
 * What an app definition lays over a Kustomize target (render/types.ts `KustomizeOverlay`): its
 * fields go first in the build's wrapper kustomization, so a line of the wrapper that a finding
 * or an error lands on is a line of the overlay's text, which the app definition maps back to
 * the line a human edits.
 */
/** The kustomizations the build reads (to check before it runs), and what is refused outright. */
async function overlayInputs(target, cwd, contain, kustomizationFile) {
    const overlay = target.overlay;
    const dirs = [];
    const refused = [];
    const at = target.app?.location;
    const refuse = (reason) => refused.push({
        level: 'error',
        message: `${reason}; refused (a render reads only the repository, outside .git)`,
        ...(at ? { location: at } : {}),
    });
    for (const p of overlay?.resources ?? [target.dir]) {
        const abs = external_node_path_.resolve(cwd, p);
        const reason = await contain.check(abs);
        if (reason)
            refuse(reason);
        else if (await kustomizationFile(abs))
            dirs.push(abs);
    }
    for (const c of overlay?.components ?? []) {
        const abs = external_node_path_.resolve(cwd, c);
        const reason = await contain.check(abs);
        if (reason)
            refuse(reason);
        else
            dirs.push(abs);
    }
    return { dirs, refused };
}
/** The wrapper: the overlay's fields first (their lines unchanged), then what to build. */
function wrapperKustomization(target, tmp, cwd) {
    const overlay = target.overlay;
    const rel = (p) => external_node_path_.relative(tmp, external_node_path_.resolve(cwd, p)).split(external_node_path_.sep).join('/');
    const resources = (overlay?.resources ?? [target.dir]).map(rel);
    const components = (overlay?.components ?? []).map(rel);
    const head = overlay?.text.trim() && overlay.text.trim() !== '{}' ? overlay.text.replace(/\n*$/, '\n') : '';
    return (head +
        (0,dist/* stringify */.As)({
            resources,
            ...(components.length > 0 ? { components } : {}),
            buildMetadata: ['originAnnotations', 'transformerAnnotations'],
        }));
}
/** Locations in the wrapper, moved to the app definition's lines. */
function overlayLocations(target, wrapper) {
    const overlay = target.overlay;
    const at = (loc) => loc.file === wrapper
        ? (overlay?.locate(loc.line, loc.column) ?? target.app?.location ?? { ...loc, file: target.dir })
        : loc;
    const error = (e) => (e.location ? { ...e, location: at(e.location) } : e);
    return {
        error,
        result(r) {
            for (const m of r.manifests) {
                const original = m.locateSource;
                if (original)
                    m.locateSource = (segments) => at(original(segments));
            }
            return { ...r, errors: r.errors.map(error) };
        },
    };
}

// EXTERNAL MODULE: ./lib/render/types.js
var render_types = __webpack_require__(677);
// EXTERNAL MODULE: ./lib/render/yaml-data.js
var yaml_data = __webpack_require__(1010);
// EXTERNAL MODULE: ./lib/render/yaml-locate.js
var yaml_locate = __webpack_require__(536);
;// CONCATENATED MODULE: ./lib/render/kustomize.js
















/**
 * Build an overlay with `kustomize build` (or `kubectl kustomize`). A wrapper kustomization in a
 * temporary folder references the overlay and turns on Kustomize's build metadata, so the
 * user's files are never touched, and the origin and transformer annotations tell the mapper
 * where each object came from. The annotations are stripped before anything is linted or diffed.
 */

async function kustomizationFile(dirAbs) {
    for (const name of kustomize_map/* KUSTOMIZATION_FILES */.Ct) {
        const st = await (0,promises_.stat)(external_node_path_.join(dirAbs, name)).catch(() => undefined);
        if (st?.isFile())
            return external_node_path_.join(dirAbs, name);
    }
    return undefined;
}
/**
 * Every field of a kustomization that names a file, a folder or a URL, as paths into its YAML
 * (`*` for each list item). Anything kustomize can read from a path is here, so that each is
 * checked for the network and for escapes before kustomize runs.
 */
const PATH_FIELDS = [
    ['resources', '*'],
    ['bases', '*'],
    ['components', '*'],
    ['crds', '*'],
    ['configurations', '*'],
    ['generators', '*'],
    ['transformers', '*'],
    ['validators', '*'],
    ['patchesStrategicMerge', '*'],
    ['patches', '*', 'path'],
    ['patchesJson6902', '*', 'path'],
    ['replacements', '*', 'path'],
    ['openapi', 'path'],
    ['helmGlobals', 'chartHome'],
    ['helmGlobals', 'configHome'],
    ['helmCharts', '*', 'repo'],
    ['helmCharts', '*', 'valuesFile'],
    ['helmCharts', '*', 'additionalValuesFiles', '*'],
    ...['configMapGenerator', 'secretGenerator'].flatMap((g) => [
        [g, '*', 'files', '*'],
        [g, '*', 'envs', '*'],
        [g, '*', 'env'],
    ]),
];
/** Fields whose folders kustomize builds as kustomizations of their own. */
const BASE_FIELDS = new Set(['resources', 'bases', 'components']);
/**
 * Read a kustomization: its local bases, any remote references, and any path that would read
 * outside the repository (each with its line). `contain` is the run's containment; without one
 * only remote references are looked for.
 */
async function readKustomization(dirAbs, contain) {
    const file = await kustomizationFile(dirAbs);
    if (!file)
        return undefined;
    const text = await (0,promises_.readFile)(file, 'utf8').catch(() => '');
    // Read fast (kustomize reads a kustomization as YAML 1.1); lines are looked up only for what is
    // refused, which is rare.
    // Anchors, or a broken document, go through the document model, as tolerant as before.
    const data = (0,yaml_data/* fastYamlData */.w)(text)?.[0] ?? (0,yaml_locate/* yamlLocator */.G)(text, file).toJS();
    let loc;
    const lineOf = (segments) => {
        loc ??= (0,yaml_locate/* yamlLocator */.G)(text, file);
        return loc.find(segments);
    };
    const info = {
        file,
        bases: [],
        files: [],
        remote: [],
        escapes: [],
        component: (0,types/* isRecord */.u4)(data) && data.kind === 'Component',
    };
    if (contain) {
        const reason = await contain.check(file);
        if (reason)
            info.escapes.push({ ref: external_node_path_.basename(file), field: '', line: 1, column: 1, reason });
    }
    for (const { segments, value } of valuesAt(data, PATH_FIELDS)) {
        if (typeof value !== 'string' || value === '' || value.includes('\n'))
            continue; // inline YAML
        const field = segments[0];
        // `files:` entries may be `key=path`.
        const ref = segments.includes('files') && value.includes('=') ? value.slice(value.indexOf('=') + 1) : value;
        const where = () => {
            const at = lineOf(segments);
            return { ref, field: fieldName(segments), line: at?.line ?? 1, column: at?.column ?? 1 };
        };
        const abs = external_node_path_.resolve(dirAbs, ref);
        const local = await (0,promises_.stat)(abs).catch(() => undefined);
        // kustomize reads a local file first and falls back to a URL or a git repository; a helm
        // chart repository is always remote.
        if ((field === 'helmCharts' && segments.at(-1) === 'repo') ||
            /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
            (!local && (0,render_contain/* isRemoteReference */.gt)(ref))) {
            info.remote.push(where());
            continue;
        }
        if (contain) {
            const reason = await contain.check(abs);
            if (reason) {
                info.escapes.push({ ...where(), reason });
                continue;
            }
        }
        if (local?.isDirectory() && BASE_FIELDS.has(field))
            info.bases.push(abs);
        else if (local?.isFile())
            info.files?.push(abs);
    }
    info.remote.sort((a, b) => a.line - b.line || a.column - b.column);
    info.escapes.sort((a, b) => a.line - b.line || a.column - b.column);
    return info;
}
/** The values at each field path (with `*` over list items), with their concrete paths. */
function valuesAt(root, fields) {
    const out = [];
    const visit = (node, rest, at) => {
        if (rest.length === 0) {
            out.push({ segments: at, value: node });
            return;
        }
        const [head, ...tail] = rest;
        if (head === '*') {
            if (Array.isArray(node)) {
                for (let i = 0; i < node.length; i++)
                    visit(node[i], tail, [...at, i]);
            }
        }
        else if ((0,types/* isRecord */.u4)(node) && head in node)
            visit(node[head], tail, [...at, head]);
    };
    for (const f of fields)
        visit(root, f, []);
    return out;
}
function fieldName(segments) {
    return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
async function renderKustomize(target, opts) {
    const dirAbs = external_node_path_.resolve(opts.cwd, target.dir);
    const display = (abs) => displayPath(opts.cwd, abs);
    const empty = { target, manifests: [], rendered: '' };
    const kfile = await kustomizationFile(dirAbs);
    if (!kfile && !target.overlay?.resources)
        return { ...empty, errors: [{ level: 'error', message: `${target.dir}: no kustomization.yaml` }] };
    // An app definition's overlay: its own resources and components are read and checked too.
    const inputs = target.overlay
        ? await overlayInputs(target, opts.cwd, opts.contain, kustomizationFile)
        : undefined;
    const seen = new Set();
    const tree = [];
    for (const dir of inputs?.dirs ?? [dirAbs])
        tree.push(...(await closure(dir, seen, opts.contain)));
    const refused = tree.flatMap((k) => [
        ...k.remote.map((r) => ({
            level: 'error',
            message: r.field.startsWith('helmCharts')
                ? `${r.field}: ${r.ref} is a chart repository, which renders cannot reach (no network); vendor the chart under helmGlobals.chartHome and drop \`repo:\``
                : `${r.field}: remote reference ${r.ref} cannot be built here (no network); vendor it into the repository`,
            location: { file: display(k.file), line: r.line, column: r.column },
        })),
        ...k.escapes.map((e) => ({
            level: 'error',
            message: `${e.field ? `${e.field}: ` : ''}${e.reason}; refused (a render reads only the repository, outside .git)`,
            location: { file: display(k.file), line: e.line, column: e.column },
        })),
    ]);
    refused.unshift(...(inputs?.refused ?? []));
    // `helmCharts:` are inflated by our helm, from charts inside the repository only.
    const charts = await (0,kustomize_helm/* helmChartsOf */.v3)(tree);
    refused.push(...(await (0,kustomize_helm/* helmChartProblems */.FD)(charts, opts.helm, opts.contain, display)));
    if (refused.length > 0)
        return { ...empty, errors: refused };
    const tmp = await (0,promises_.mkdtemp)(external_node_path_.join(external_node_os_.tmpdir(), 'shipshape-kustomize-'));
    try {
        const rel = external_node_path_.relative(tmp, dirAbs).split(external_node_path_.sep).join('/');
        const wrapper = external_node_path_.join(tmp, 'kustomization.yaml');
        await (0,promises_.writeFile)(wrapper, target.overlay
            ? wrapperKustomization(target, tmp, opts.cwd)
            : (0,dist/* stringify */.As)({ resources: [rel], buildMetadata: ['originAnnotations', 'transformerAnnotations'] }));
        const [program, ...lead] = opts.command;
        const helmFlags = charts.length > 0 && opts.helm ? (0,kustomize_helm/* enableHelmArgs */.tX)(opts.helm, opts.kubeVersion, opts.apiVersions) : [];
        const restrictor = target.overlay?.loadRestrictorNone
            ? ['--load-restrictor', 'LoadRestrictionsNone']
            : [];
        // Errors and notes about the overlay's own fields land in the app definition.
        const fromWrapper = target.overlay ? overlayLocations(target, display(wrapper)) : undefined;
        const wrapperInfo = target.overlay ? await readKustomization(tmp) : undefined;
        if (wrapperInfo)
            tree.unshift(wrapperInfo);
        const res = await (0,exec/* run */.eF)(program, [...lead, ...helmFlags, tmp, ...restrictor], {
            cwd: opts.cwd,
            timeoutMs: opts.timeoutMs,
            maxMemoryBytes: opts.maxMemoryBytes,
        });
        if (res.code !== 0 || res.timedOut || res.overMemory) {
            const error = await kustomizeError(res, opts, tmp, tree, display);
            return { ...empty, errors: [fromWrapper?.error(error) ?? error] };
        }
        const resolve = (p) => display(external_node_path_.resolve(tmp, p));
        const objects = readOutput(res.stdout);
        const metas = (0,kustomize_map/* stripAll */.Sk)(objects, resolve);
        // Printed as YAML 1.1, which is how it is read back (and how kubectl reads it): a string that
        // 1.1 would take for something else (`"yes"`, `"on"`, a key `"n"`) stays quoted, as kustomize
        // printed it.
        const rendered = objects.map((o) => (0,dist/* stringify */.As)(o, { lineWidth: 0, version: '1.1' })).join('---\n');
        const files = new Map();
        await readSources([...metas.values()], opts.cwd, files);
        const inflated = opts.helm ? await (0,kustomize_helm/* inflatedManifests */.Q6)(charts, { ...opts, helm: opts.helm }, display) : [];
        const mapper = new kustomize_map/* KustomizeMapper */.vF(files, (dir, relPath) => display(external_node_path_.resolve(opts.cwd, dir, relPath)), display(kfile ?? wrapper), inflated);
        const parsed = (0,kustomize_map/* mapKustomizeOutput */.$L)(rendered, `${(0,render_types/* targetName */.j)(target)} [rendered]`, metas, mapper);
        const warnings = await kustomizeWarnings(res.stderr, tree, display);
        const result = { target, manifests: parsed.manifests, errors: [...warnings, ...parsed.errors], rendered };
        return fromWrapper?.result(result) ?? result;
    }
    finally {
        await (0,promises_.rm)(tmp, { recursive: true, force: true });
    }
}
/**
 * The objects kustomize printed, read with js-yaml (a few times faster than the document model,
 * which is not needed here): YAML 1.2's core schema, as kustomize printed them, no dates.
 * Aliases stay shared objects; the printed text is parsed again later with its bounds.
 */
function readOutput(stdout) {
    let docs;
    try {
        docs = (0,js_yaml/* loadAll */.gh)(stdout, null, { schema: js_yaml/* CORE_SCHEMA */.OU });
    }
    catch {
        // What kustomize printed is YAML; if it is not, the printed text's parse says where.
        docs = (0,dist/* parseAllDocuments */.hR)(stdout).map((doc) => doc.toJS());
    }
    return docs.filter((o) => (0,types/* isRecord */.u4)(o) && (0,types/* isRecord */.u4)(o.metadata));
}
/**
 * Kustomize's warnings (`# Warning: 'commonLabels' is deprecated...`) as notes, on the line of the
 * field they name in the kustomization that has it.
 */
async function kustomizeWarnings(stderr, tree, display) {
    const notes = [];
    for (const line of stderr.split('\n')) {
        const m = /^#?\s*Warning:\s*(.*)$/.exec(line.trim());
        if (!m)
            continue;
        const field = /'([A-Za-z]+)'/.exec(m[1])?.[1];
        let location = { file: display(tree[0].file), line: 1, column: 1 };
        for (const k of tree) {
            const lines = (await (0,promises_.readFile)(k.file, 'utf8').catch(() => '')).split('\n');
            const at = field ? lines.findIndex((l) => l.startsWith(`${field}:`)) : -1;
            if (at >= 0) {
                location = { file: display(k.file), line: at + 1, column: 1 };
                break;
            }
        }
        notes.push({ level: 'note', message: `kustomize: ${m[1]}`, location });
    }
    return notes;
}
/** The kustomization and every local one it builds on, each read once. */
async function closure(dirAbs, seen, contain) {
    if (seen.has(dirAbs))
        return [];
    seen.add(dirAbs);
    const info = await readKustomization(dirAbs, contain);
    if (!info)
        return [];
    const out = [info];
    for (const base of info.bases)
        out.push(...(await closure(base, seen, contain)));
    return out;
}
/** Read every file the mapper may need: origins, kustomizations, and their patches. */
async function readSources(metas, cwd, files) {
    const wanted = new Set();
    for (const m of metas) {
        if (m.origin)
            wanted.add(m.origin.file);
        for (const k of m.transformedIn)
            wanted.add(k);
    }
    for (const file of wanted) {
        const text = await (0,render_files/* readText */.y)(external_node_path_.resolve(cwd, file), cwd, files);
        if (text === undefined || !kustomize_map/* KUSTOMIZATION_FILES */.Ct.includes(external_node_path_.basename(file)))
            continue;
        const loc = (0,yaml_locate/* yamlLocator */.G)(text, file);
        for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
            const list = loc.value([key]);
            if (!Array.isArray(list))
                continue;
            for (const entry of list) {
                const rel = typeof entry === 'string'
                    ? entry
                    : (0,types/* isRecord */.u4)(entry) && typeof entry.path === 'string'
                        ? entry.path
                        : undefined;
                if (rel)
                    await (0,render_files/* readText */.y)(external_node_path_.resolve(cwd, external_node_path_.dirname(file), rel), cwd, files);
            }
        }
    }
}
/**
 * Kustomize's error -> an InputError on the file and line it is about, found among the
 * kustomizations of the tree:
 *   ... MalformedYAMLError: yaml: line 7: mapping values ... in File: deployment.yaml
 *   invalid Kustomization: yaml: line 5: did not find expected ',' or ']'
 *   ... lstat /abs/path/patch.yaml: no such file or directory   (a missing resource or patch)
 * otherwise the target's kustomization.
 */
async function kustomizeError(res, opts, tmp, tree, display) {
    const stderr = generatorReason(res.stderr);
    const target = { file: display(tree[0].file), line: 1, column: 1 };
    if (res.timedOut || res.overMemory) {
        return {
            level: 'error',
            message: `${opts.command.join(' ')} ${(0,exec/* boundMessage */.wy)(res, opts)}`,
            location: target,
        };
    }
    // Kustomize names files by absolute path; show them as the user does, and never the temp wrapper.
    let message = (0,model_text/* printable */.g$)((stderr.split('\n').find((l) => l.startsWith('Error:')) ?? stderr.trim().split('\n')[0] ?? '')
        // kubectl kustomize logs through klog: `E1201 01:57:52.930571 5047 run.go:72] "command failed" err="..."`
        .replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] /, ''), exec/* MAX_MESSAGE */.h2)
        .replace(/^Error:\s*/, '')
        .replaceAll(`${tmp}/`, '')
        .replaceAll(`${opts.cwd}/`, '');
    if (!message)
        message = 'kustomize build failed';
    // A file a kustomization lists that is not there comes back at the end of a chain of every
    // kustomization on the way (2,000 characters for three levels): say that, and which build it was.
    const missing = /lstat ([^:']+): no such file or directory/.exec(message);
    if (missing) {
        const overlay = display(external_node_path_.dirname(tree[0].file)) || '.';
        message = `${missing[1]} does not exist (building ${overlay}; a kustomization it reaches lists it)`;
    }
    const location = (await errorLocation(stderr, tree, display)) ?? target;
    return { level: 'error', message: `kustomize: ${message}`, location };
}
/**
 * Kustomize reports a generator it cannot run as `trouble configuring builtin X with config: `,
 * the whole config as YAML, then `: <reason>`; the reason (`must specify --enable-helm`, helm's
 * own error) is what a human needs, so the config in between goes.
 */
function generatorReason(stderr) {
    const m = /^(Error: .*?with config: )`\n[\s\S]*?\n`: ([\s\S]*)$/m.exec(stderr);
    return m ? `${m[1]}${m[2].trim().replace(/\s*\n\s*/g, ' ')}` : stderr;
}
async function errorLocation(stderr, tree, display) {
    const malformed = /yaml: line (\d+): .*? in File: (\S+)/.exec(stderr);
    if (malformed) {
        for (const k of tree) {
            const candidate = external_node_path_.resolve(external_node_path_.dirname(k.file), malformed[2]);
            if (await (0,promises_.stat)(candidate).catch(() => undefined)) {
                return { file: display(candidate), line: Number(malformed[1]), column: 1 };
            }
        }
    }
    if (/invalid Kustomization/.test(stderr)) {
        for (const k of tree) {
            const text = await (0,promises_.readFile)(k.file, 'utf8').catch(() => '');
            const lineCounter = new dist/* LineCounter */.HN();
            const err = (0,dist/* parseAllDocuments */.hR)(text, { lineCounter }).flatMap((d) => ('errors' in d ? d.errors : []))[0];
            if (err) {
                const { line, col } = lineCounter.linePos(err.pos[0]);
                return { file: display(k.file), line, column: col };
            }
        }
    }
    const missing = /(?:lstat|open) (\/[^:\s]+): no such file/.exec(stderr);
    if (missing) {
        const name = external_node_path_.basename(missing[1]);
        for (const k of tree) {
            const lines = (await (0,promises_.readFile)(k.file, 'utf8').catch(() => '')).split('\n');
            const at = lines.findIndex((l) => l.includes(name));
            if (at >= 0)
                return { file: display(k.file), line: at + 1, column: lines[at].search(/\S/) + 1 };
        }
    }
    return undefined;
}
function displayPath(cwd, abs) {
    const rel = external_node_path_.relative(cwd, abs);
    const name = rel.startsWith('..') || external_node_path_.isAbsolute(rel) ? abs : rel || '.';
    return name.split(external_node_path_.sep).join('/');
}


/***/ }),

/***/ 346:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b7: () => (/* binding */ stopLauncher),
/* harmony export */   ql: () => (/* binding */ launch)
/* harmony export */ });
/* unused harmony exports launcherMain, launcherPid */
let launcher;
const pending = new Map();
let nextId = 1;
/** Runs one program in the launcher; resolves when it has exited and its group is gone. */
function launch(request) {
    const id = nextId++;
    return new Promise((resolve) => {
        const child = current();
        pending.set(id, { resolve, child });
        child.ref();
        child.channel?.ref?.();
        try {
            child.send({ id, ...request });
        }
        catch (err) {
            pending.delete(id);
            resolve(failed(id, `could not reach the process launcher: ${err.message}`));
        }
    });
}
function current() {
    if (launcher?.connected)
        return launcher;
    // Loaded when first needed (with `net` and `dgram`, 6 ms): a check of plain files starts no program.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(process.execPath, ['-e', `(${launcherMain.toString()})(require)`], {
        // Nothing of ours: each request carries the (minimal) environment of its program.
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        serialization: 'advanced',
    });
    launcher = child;
    child.on('message', (reply) => {
        const waiting = pending.get(reply.id);
        pending.delete(reply.id);
        idle(child);
        waiting?.resolve(reply);
    });
    const gone = (why) => {
        if (launcher === child)
            launcher = undefined;
        for (const [id, waiting] of pending) {
            if (waiting.child !== child)
                continue;
            pending.delete(id);
            waiting.resolve(failed(id, `the process launcher stopped (${why})`));
        }
    };
    child.on('error', (err) => gone(err.message));
    child.on('exit', (code, signal) => gone(signal ?? `exit ${code}`));
    idle(child);
    return child;
}
/** With nothing running, the launcher must not keep this process alive. */
function idle(child) {
    for (const waiting of pending.values())
        if (waiting.child === child)
            return;
    child.unref();
    child.channel?.unref?.();
}
function failed(id, message) {
    return {
        id,
        code: 127,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        tooMuchOutput: false,
        spawnError: message,
    };
}
/**
 * The launcher's program. It receives `{id, ...LaunchRequest}` and answers with a `LaunchReply`.
 * Each program runs in a process group of its own, with no shell, bounded in time, output and
 * resident memory (its descendants counted); at a bound, and after it exits, the whole group is
 * killed, so no grandchild outlives it.
 */
function launcherMain(req) {
    const { spawn } = req('node:child_process');
    const { closeSync, openSync, readdirSync, readSync } = req('node:fs');
    const running = new Set();
    const killGroup = (pid) => {
        if (pid === undefined)
            return;
        try {
            process.kill(-pid, 'SIGKILL');
        }
        catch {
            // the group is gone already
        }
    };
    // A small /proc file, read at once into one reused buffer: the bound is checked every 100 ms for
    // every process, and reading these files the usual way (a 64 KiB buffer and five system calls each,
    // as their size is unknown) cost a third of a render's CPU time.
    const procBuffer = Buffer.alloc(16 * 1024);
    const procText = (file) => {
        let fd;
        try {
            fd = openSync(file, 'r');
            const n = readSync(fd, procBuffer, 0, procBuffer.length, null);
            return procBuffer.toString('utf8', 0, n);
        }
        catch {
            return '';
        }
        finally {
            if (fd !== undefined)
                closeSync(fd);
        }
    };
    // Resident bytes of a process and all its descendants; 0 when it is gone.
    const treeResidentBytes = (pid) => {
        let total = 0;
        const queue = [pid];
        const seen = new Set();
        while (queue.length > 0 && seen.size < 1000) {
            const p = queue.pop();
            if (seen.has(p))
                continue;
            seen.add(p);
            const kb = /^VmRSS:\s+(\d+) kB/m.exec(procText(`/proc/${p}/status`));
            if (kb)
                total += Number(kb[1]) * 1024;
            // Children hang off the thread that started them: read every thread's list.
            let tasks = [];
            try {
                tasks = readdirSync(`/proc/${p}/task`);
            }
            catch {
                // gone already
            }
            for (const task of tasks) {
                for (const c of procText(`/proc/${p}/task/${task}/children`).split(/\s+/))
                    if (c)
                        queue.push(Number(c));
            }
        }
        return total;
    };
    const start = (r) => {
        const out = [];
        const err = [];
        let outBytes = 0;
        let errBytes = 0;
        let timedOut = false;
        let tooMuchOutput = false;
        let overMemory;
        let spawnError;
        let child;
        try {
            child = spawn(r.program, r.args, {
                cwd: r.cwd,
                env: r.env,
                stdio: ['ignore', 'pipe', 'pipe'],
                detached: true,
            });
        }
        catch (e) {
            reply({
                id: r.id,
                code: 127,
                signal: null,
                stdout: '',
                stderr: '',
                timedOut,
                tooMuchOutput,
                spawnError: String(e.message),
            });
            return;
        }
        const pid = child.pid;
        if (pid !== undefined)
            running.add(pid);
        child.stdout?.on('data', (chunk) => {
            outBytes += chunk.length;
            if (outBytes > r.maxOutputBytes) {
                tooMuchOutput = true;
                killGroup(pid);
            }
            else
                out.push(chunk);
        });
        child.stderr?.on('data', (chunk) => {
            errBytes += chunk.length;
            if (errBytes <= r.maxErrorBytes)
                err.push(chunk);
        });
        const timer = setTimeout(() => {
            timedOut = true;
            killGroup(pid);
        }, r.timeoutMs);
        const poll = r.maxMemoryBytes !== undefined && pid !== undefined && process.platform === 'linux'
            ? setInterval(() => {
                const rss = treeResidentBytes(pid);
                if (rss > r.maxMemoryBytes && overMemory === undefined) {
                    overMemory = rss;
                    killGroup(pid);
                }
            }, r.pollMs)
            : undefined;
        child.on('error', (e) => {
            spawnError = e.message;
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            if (poll)
                clearInterval(poll);
            // Whatever the program left behind in its group goes with it.
            killGroup(pid);
            if (pid !== undefined)
                running.delete(pid);
            reply({
                id: r.id,
                code,
                signal,
                stdout: Buffer.concat(out).toString('utf8'),
                stderr: Buffer.concat(err).toString('utf8'),
                timedOut,
                tooMuchOutput,
                ...(overMemory !== undefined ? { overMemory } : {}),
                ...(spawnError !== undefined ? { spawnError } : {}),
            });
        });
    };
    const reply = (message) => {
        try {
            process.send?.(message);
        }
        catch {
            // the requester is gone; 'disconnect' cleans up
        }
    };
    process.on('message', (r) => start(r));
    process.on('disconnect', () => {
        for (const pid of running)
            killGroup(pid);
        process.exit(0);
    });
}
/**
 * Lets the launcher go and waits (up to 2 s) until it has exited, so that its CPU time and its
 * tools' count as this process's children (`time shipshape render`, benchmarks). Without this it
 * exits anyway once this process is gone.
 */
async function stopLauncher() {
    const child = launcher;
    if (!child?.connected)
        return;
    launcher = undefined;
    const exited = new Promise((resolve) => {
        child.once('exit', () => resolve());
        setTimeout(resolve, 2000).unref();
    });
    // Held until it exits: an idle launcher is unreferenced, and nothing else may keep this process up.
    child.ref();
    child.disconnect();
    await exited;
}
/** The running launcher's process id, if one runs (for tests). */
function launcherPid() {
    return launcher?.pid;
}


/***/ }),

/***/ 4954:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   r: () => (/* binding */ collectTargetInputs),
/* harmony export */   x: () => (/* binding */ secureResult)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3356);
/* harmony import */ var _secrets_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2767);
/* harmony import */ var _kustomize_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(142);
/* harmony import */ var _yaml_data_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1010);






const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Charts, dependencies and kustomizations visited per target, at most. */
const MAX_VISITS = 200;
async function readSafe(abs, contain) {
    if (contain && (await contain.check(abs)) !== undefined)
        return undefined;
    const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(abs).catch(() => undefined);
    if (!st?.isFile() || st.size > MAX_FILE_BYTES)
        return undefined;
    return (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(abs, 'utf8').catch(() => undefined);
}
/** Collect the secrets a target's inputs hold: Helm values, kustomize generators. */
async function collectTargetInputs(target, cwd, contain, registry = _secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .secrets */ .O3) {
    const sink = registry.fromRepository();
    // The target's own folders and files are named in every message about it, rendered or not.
    const paths = target.kind === 'helm'
        ? [target.chart, ...target.valuesFiles]
        : target.kind === 'kustomize'
            ? [target.dir]
            : target.paths;
    sink.addPublicNames(paths.flatMap((p) => p.split('/')));
    if (target.kind === 'helm') {
        await collectChartValues(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, target.chart), contain, sink, new Set());
        for (const f of target.valuesFiles) {
            const text = await readSafe(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, f), contain);
            if (text !== undefined)
                for (const doc of (0,_yaml_data_js__WEBPACK_IMPORTED_MODULE_4__/* .yamlData */ .O)(text))
                    (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectValues */ .b2)(doc, sink);
        }
        for (const [key, value] of Object.entries(target.set))
            (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectValues */ .b2)({ [key]: value }, sink);
        for (const [key, value] of Object.entries(target.setString ?? {}))
            (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectValues */ .b2)({ [key]: value }, sink);
        for (const layer of target.inlineValues ?? [])
            (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectValues */ .b2)(layer.values, sink);
    }
    else if (target.kind === 'kustomize') {
        await collectKustomizations(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(cwd, target.dir), contain, sink, new Set());
    }
}
/** A chart's values.yaml, and those of its subcharts (vendored folders and file:// dependencies). */
async function collectChartValues(chartAbs, contain, registry, seen) {
    if (seen.has(chartAbs) || seen.size >= MAX_VISITS)
        return;
    seen.add(chartAbs);
    for (const name of ['values.yaml', 'values.yml']) {
        const text = await readSafe(node_path__WEBPACK_IMPORTED_MODULE_1__.join(chartAbs, name), contain);
        if (text !== undefined)
            for (const doc of (0,_yaml_data_js__WEBPACK_IMPORTED_MODULE_4__/* .yamlData */ .O)(text))
                (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectValues */ .b2)(doc, registry);
    }
    const subcharts = [];
    const chartYaml = await readSafe(node_path__WEBPACK_IMPORTED_MODULE_1__.join(chartAbs, 'Chart.yaml'), contain);
    for (const doc of chartYaml === undefined ? [] : (0,_yaml_data_js__WEBPACK_IMPORTED_MODULE_4__/* .yamlData */ .O)(chartYaml)) {
        const deps = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(doc) && Array.isArray(doc.dependencies) ? doc.dependencies : [];
        for (const d of deps) {
            const repo = (0,_model_types_js__WEBPACK_IMPORTED_MODULE_5__/* .isRecord */ .u4)(d) && typeof d.repository === 'string' ? d.repository : '';
            if (repo.startsWith('file://'))
                subcharts.push(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(chartAbs, repo.slice('file://'.length)));
        }
    }
    const vendored = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(node_path__WEBPACK_IMPORTED_MODULE_1__.join(chartAbs, 'charts'), { withFileTypes: true }).catch(() => []);
    for (const e of vendored)
        if (e.isDirectory())
            subcharts.push(node_path__WEBPACK_IMPORTED_MODULE_1__.join(chartAbs, 'charts', e.name));
    for (const sub of subcharts) {
        if (contain && (await contain.check(sub)) !== undefined)
            continue;
        await collectChartValues(sub, contain, registry, seen);
    }
}
/** A kustomization's generator literals and files, and those of every local base it builds on. */
async function collectKustomizations(dirAbs, contain, registry, seen) {
    if (seen.has(dirAbs) || seen.size >= MAX_VISITS)
        return;
    seen.add(dirAbs);
    const file = await (0,_kustomize_js__WEBPACK_IMPORTED_MODULE_3__/* .kustomizationFile */ .Oi)(dirAbs);
    const text = file === undefined ? undefined : await readSafe(file, contain);
    if (text === undefined)
        return;
    for (const doc of (0,_yaml_data_js__WEBPACK_IMPORTED_MODULE_4__/* .yamlData */ .O)(text)) {
        const files = (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectKustomization */ .Ao)(doc, registry);
        const read = (f) => readSafe(node_path__WEBPACK_IMPORTED_MODULE_1__.resolve(dirAbs, f), contain);
        for (const f of files.secretFiles)
            registry.add(await read(f));
        for (const f of files.secretEnvs) {
            const env = await read(f);
            if (env !== undefined)
                (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectEnvFile */ .mj)(env, true, registry);
        }
        for (const f of files.configEnvs) {
            const env = await read(f);
            if (env !== undefined)
                (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectEnvFile */ .mj)(env, false, registry);
        }
    }
    const info = await (0,_kustomize_js__WEBPACK_IMPORTED_MODULE_3__/* .readKustomization */ .kG)(dirAbs).catch(() => undefined);
    for (const base of info?.bases ?? []) {
        if (contain && (await contain.check(base)) !== undefined)
            continue;
        await collectKustomizations(base, contain, registry, seen);
    }
}
/**
 * After a render: collect the secrets of what it produced, and mask every secret seen so far in
 * its error text (helm and kustomize quote values and literals back).
 */
function secureResult(result, registry = _secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .secrets */ .O3) {
    const sink = registry.fromRepository();
    for (const m of result.manifests) {
        sink.addPublicNames(m.file?.split('/') ?? []);
        (0,_secrets_index_js__WEBPACK_IMPORTED_MODULE_2__/* .collectObject */ .Kr)(m.object, sink);
    }
    if (result.errors.length === 0 || registry.size === 0)
        return result;
    return { ...result, errors: result.errors.map((e) => ({ ...e, message: registry.mask(e.message) })) };
}


/***/ }),

/***/ 677:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ targetNamespace),
/* harmony export */   j: () => (/* binding */ targetName)
/* harmony export */ });
/** The namespace objects without one are installed to, when the target says. */
function targetNamespace(target) {
    return target.kind === 'helm' ? target.namespace : target.app?.namespace;
}
/** A short stable name for reports: `charts/web (values-prod.yaml)`, `overlays/prod`. */
function targetName(target) {
    if (target.app)
        return target.app.name;
    switch (target.kind) {
        case 'helm': {
            const extra = target.valuesFiles.map((f) => f.split('/').pop()).join(', ');
            return extra ? `${target.chart} (${extra})` : target.chart;
        }
        case 'kustomize':
            return target.dir;
        case 'plain':
            return target.paths.join(', ');
    }
}


/***/ }),

/***/ 1010:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ yamlData),
/* harmony export */   w: () => (/* binding */ fastYamlData)
/* harmony export */ });
/* harmony import */ var js_yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3243);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8815);
/* harmony import */ var _load_yaml_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4536);



/**
 * YAML as plain data, without positions: values files, Chart.yaml, kustomizations, read the way
 * helm and kustomize read them (YAML 1.1: `on` is a boolean, `0755` octal; no dates). js-yaml reads
 * a few times faster than the document model (yaml-locate.ts), which is kept for the lines of
 * keys. Text with an anchor goes through the document model, which bounds alias expansion (a
 * values file of nested aliases would otherwise grow without bound when walked).
 */
/**
 * An anchor (`&name`, a name may itself start with `&`) where a node may start, after a blank, a
 * flow indicator or a JSON-style `"key":`: only then can a document hold aliases. Shell text in
 * values (`a && b`) is no anchor.
 */
const ANCHOR = /(^|[\s[{,:])&+[^\s&]/m;
/**
 * Every document of `text` read fast, or undefined when the text has an anchor or any document
 * is not valid YAML (duplicate keys included): then the caller reads it the careful way.
 */
function fastYamlData(text) {
    if (ANCHOR.test(text))
        return undefined;
    try {
        return (0,js_yaml__WEBPACK_IMPORTED_MODULE_0__/* .loadAll */ .gh)(text, null, { schema: _load_yaml_js__WEBPACK_IMPORTED_MODULE_2__/* .KUBERNETES_SCHEMA */ .dq });
    }
    catch {
        return undefined;
    }
}
/**
 * Every document of `text` as data. A document that is not valid YAML is left out (the tool
 * that reads it reports it); so is one whose aliases expand too far.
 */
function yamlData(text) {
    const fast = fastYamlData(text);
    if (fast)
        return fast;
    const out = [];
    try {
        for (const doc of (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .parseAllDocuments */ .hR)(text, { version: '1.1' })) {
            if (doc.errors.length > 0)
                continue;
            try {
                out.push(doc.toJS({ maxAliasCount: 100 }));
            }
            catch {
                // too many aliases, or an unresolvable one
            }
        }
    }
    catch {
        // not YAML at all
    }
    return out;
}


/***/ }),

/***/ 536:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ yamlLocator)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);

/**
 * `version` is how the tool that reads the file reads it: '1.1' (the default) for what helm and
 * kubectl read (values files, Chart.yaml, kustomization.yaml itself), where `yes` and `on` are
 * booleans; '1.2' for the resources and patches kustomize reads, where they are strings (a label
 * `tier: yes` renders as "yes", a key `n:` is `n`). A key is also found by its text as written.
 */
function yamlLocator(text, file, version = '1.1') {
    const lineCounter = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
    const docs = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseAllDocuments */ .hR)(text, { lineCounter, strict: false, version });
    const list = Array.isArray(docs) ? docs : [];
    const at = (offset) => {
        const { line, col } = lineCounter.linePos(offset);
        return { file, line, column: col };
    };
    const walk = (path, doc) => {
        let node = (list[doc]?.contents ?? null);
        let keyOffset = node?.range[0];
        let depth = 0;
        for (const seg of path) {
            if (!node)
                break;
            if (typeof seg === 'number') {
                if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node))
                    break;
                const item = node.items[seg];
                if (!item)
                    break;
                node = item;
                keyOffset = item.range[0];
            }
            else {
                if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node))
                    break;
                const pair = node.items.find((p) => (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isPair */ .tO)(p) &&
                    (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(p.key) &&
                    (String(p.key.value) === seg || (p.key.type === 'PLAIN' && p.key.source === seg)));
                if (!pair)
                    break;
                keyOffset = pair.key.range[0];
                node = pair.value;
            }
            depth++;
        }
        return { node, keyOffset, depth };
    };
    return {
        file,
        docCount: list.length,
        find(path, doc = 0) {
            const w = walk(path, doc);
            return w.depth === path.length && w.keyOffset !== undefined ? at(w.keyOffset) : undefined;
        },
        depth(path, doc = 0) {
            return walk(path, doc).depth;
        },
        value(path, doc = 0) {
            const w = walk(path, doc);
            if (w.depth !== path.length)
                return undefined;
            if (w.node === null)
                return null;
            return (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(w.node) ? w.node.value : w.node?.toJSON();
        },
        toJS(doc = 0) {
            return list[doc]?.toJS();
        },
        valueLine(path, doc = 0) {
            const w = walk(path, doc);
            if (w.depth !== path.length || !w.node)
                return undefined;
            const start = at(w.node.range[0]).line;
            const isBlock = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(w.node) && (w.node.type === 'BLOCK_LITERAL' || w.node.type === 'BLOCK_FOLDED');
            return isBlock ? start + 1 : start;
        },
    };
}


/***/ }),

/***/ 6763:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   up: () => (/* binding */ renderGithub)
/* harmony export */ });
/* unused harmony exports command, escapeData, escapeProperty */
/**
 * GitHub workflow commands (`::error file=…,line=…,col=…,title=…::message`), which the runner turns
 * into annotations on the changed files. Values are escaped as the runner's toolkit does: in the
 * message `%`, CR and LF; in properties also `:` and `,`.
 */
const COMMAND = { error: 'error', warning: 'warning', info: 'notice' };
function renderGithub(result) {
    const lines = [];
    for (const e of result.errors)
        lines.push(inputErrorCommand(e));
    for (const f of result.findings) {
        lines.push(command(COMMAND[f.severity], { ...position(f.location), title: `${f.ruleId} (${f.checklist})` }, `${f.message}\n${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name} ${f.path}\nFix: ${f.remediation}`));
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
}
function inputErrorCommand(e) {
    const props = { ...(e.location && position(e.location)), title: `shipshape input ${e.level}` };
    return command(e.level === 'error' ? 'error' : 'notice', props, e.message);
}
function position(loc) {
    return { file: loc.file, line: String(loc.line), col: String(loc.column) };
}
function command(name, props, message) {
    const list = Object.entries(props)
        .map(([k, v]) => `${k}=${escapeProperty(v)}`)
        .join(',');
    return `::${name}${list ? ` ${list}` : ''}::${escapeData(message)}`;
}
function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}


/***/ }),

/***/ 7406:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L7: () => (/* binding */ jsonReport),
/* harmony export */   VQ: () => (/* binding */ jsonChunks),
/* harmony export */   hF: () => (/* binding */ renderJson)
/* harmony export */ });
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3394);

function jsonReport(result) {
    return { ...reportOf(result), findings: result.findings.map(jsonFinding) };
}
/** The report with the findings as they are (the same key order). */
function reportOf(result) {
    return {
        version: 1,
        findings: result.findings,
        errors: result.errors.map((e) => ({
            level: e.level,
            message: e.message,
            ...(e.location && { location: { ...e.location } }),
        })),
        summary: (0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .summarize */ .eh)(result),
    };
}
function jsonFinding(f) {
    const out = {
        ruleId: f.ruleId,
        checklist: f.checklist,
        severity: f.severity,
        message: f.message,
        remediation: f.remediation,
        object: {
            apiVersion: f.object.apiVersion,
            kind: f.object.kind,
            ...(f.object.namespace !== undefined && { namespace: f.object.namespace }),
            name: f.object.name,
        },
        path: f.path,
        location: { ...f.location },
        fingerprint: f.fingerprint,
    };
    if (f.renderedLocation)
        out.renderedLocation = { ...f.renderedLocation };
    return out;
}
function renderJson(result) {
    return [...jsonChunks(result)].join('');
}
/**
 * The same text as `JSON.stringify(report, null, 2)`, a finding at a time: a large report then
 * never needs to exist as one string (50,000 objects can make 50 MB of JSON), and each finding's
 * JSON shape is made as it is written, not all of them first (100,000 findings: 40 MiB less).
 */
function* jsonChunks(result) {
    const report = reportOf(result);
    const keys = Object.keys(report);
    yield '{';
    for (const [k, key] of keys.entries()) {
        yield `${k === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
        const value = report[key];
        if (Array.isArray(value) && value.length > 0) {
            const shape = key === 'findings' ? (item) => jsonFinding(item) : (item) => item;
            yield '[';
            for (const [i, item] of value.entries()) {
                yield `${i === 0 ? '' : ','}\n    ${JSON.stringify(shape(item), null, 2).replaceAll('\n', '\n    ')}`;
            }
            yield '\n  ]';
        }
        else {
            yield JSON.stringify(value, null, 2).replaceAll('\n', '\n  ');
        }
    }
    yield '\n}\n';
}


/***/ }),

/***/ 5955:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ Pieces),
/* harmony export */   x: () => (/* binding */ inPieces)
/* harmony export */ });
/**
 * A report written as it is made goes out in pieces of about 64 KiB, so that each write is worth
 * its call. At 64 KiB a piece (and its bytes) is collected young; V8 allocates a 1 MiB string
 * outside the young generation, and tens of them at a report of 30 MB grew the old generation
 * between collections. Parts are joined once per piece: a string built with `+` stays a tree of
 * every part until it is written.
 */
const PIECE = 1 << 16;
/** Parts of a report not yet written, joined when there are enough of them to be worth a write. */
class Pieces {
    parts = [];
    length = 0;
    add(...parts) {
        for (const part of parts) {
            this.parts.push(part);
            this.length += part.length;
        }
    }
    /** Whether the parts make a piece. */
    full() {
        return this.length >= PIECE;
    }
    get empty() {
        return this.parts.length === 0;
    }
    /** The parts joined, and none left. */
    take() {
        const text = this.parts.join('');
        this.parts = [];
        this.length = 0;
        return text;
    }
}
/** Chunks of any size (a JSON report's, one per finding) joined into pieces. */
function* inPieces(chunks) {
    const pieces = new Pieces();
    for (const chunk of chunks) {
        pieces.add(chunk);
        if (pieces.full())
            yield pieces.take();
    }
    if (!pieces.empty)
        yield pieces.take();
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


/***/ }),

/***/ 123:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WH: () => (/* binding */ renderSarif)
/* harmony export */ });
/* unused harmony exports SARIF_SCHEMA, MAX_SARIF_RESULTS, sarifReport, fileUri */
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3356);

/**
 * SARIF 2.1.0, as GitHub code scanning and IDE viewers read it: one run, the rules that ran (with
 * their category, why and how to fix), one result per finding with a real region, and input
 * errors as tool notifications. Findings dropped by a suppression annotation are included with an
 * `inSource` suppression and its justification, the way SARIF records accepted exceptions.
 */
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL = { error: 'error', warning: 'warning', info: 'note' };
const SEVERITY_OF = {
    error: 'error',
    warning: 'warning',
    note: 'info',
    none: 'info',
};
/** GitHub code scanning rejects a run with more results than this. */
const MAX_SARIF_RESULTS = 25_000;
const RANK = { error: 0, warning: 1, info: 2 };
function sarifReport(result, options) {
    const rules = result.rules.map(sarifRule);
    const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
    const all = [
        ...result.findings.map((f) => sarifResult(f, ruleIndex)),
        ...result.suppressed.map(({ finding, reason, expires }) => ({
            ...sarifResult(finding, ruleIndex),
            suppressions: [
                {
                    kind: 'inSource',
                    justification: expires ? `${reason} (until ${expires})` : reason,
                },
            ],
        })),
    ];
    const max = options.maxResults ?? MAX_SARIF_RESULTS;
    const notifications = result.errors.map(notification);
    let results = all;
    if (all.length > max) {
        // Reported findings before suppressed ones, then by severity; the sort is stable.
        const weight = (r) => (r.suppressions ? 3 : 0) + RANK[SEVERITY_OF[r.level ?? 'warning']];
        results = [...all].sort((a, b) => weight(a) - weight(b)).slice(0, max);
        notifications.push({
            level: 'warning',
            message: {
                text: `${all.length} results; only the ${max} most severe are included, as code scanning accepts no more per run. Use the json format for all of them.`,
            },
        });
    }
    return {
        $schema: SARIF_SCHEMA,
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: 'shipshape',
                        version: options.version,
                        semanticVersion: options.version,
                        rules,
                    },
                },
                invocations: [
                    {
                        executionSuccessful: !result.errors.some((e) => e.level === 'error'),
                        toolExecutionNotifications: notifications,
                    },
                ],
                columnKind: 'unicodeCodePoints',
                results,
            },
        ],
    };
}
function renderSarif(result, options) {
    return `${JSON.stringify(sarifReport(result, options), null, 2)}\n`;
}
function sarifRule(rule) {
    return {
        id: rule.id,
        name: pascalCase(rule.id),
        shortDescription: { text: rule.title },
        fullDescription: { text: rule.why },
        help: {
            text: `${rule.fix}\n\nFails (line ${rule.example.line}):\n${rule.example.bad}\n\nPasses:\n${rule.example.good}`,
            markdown: `${rule.fix}\n\nFails (line ${rule.example.line}):\n\n\`\`\`yaml\n${rule.example.bad}\n\`\`\`\n\nPasses:\n\n\`\`\`yaml\n${rule.example.good}\n\`\`\``,
        },
        defaultConfiguration: { level: LEVEL[rule.severity] },
        properties: {
            // Suppression rules have no category of their own: each result carries its suppressed rule's.
            ...(rule.category && { category: rule.category }),
            tags: ['kubernetes', 'production-readiness', ...(rule.category ? [rule.category] : [])],
        },
    };
}
function sarifResult(f, ruleIndex) {
    const index = ruleIndex.get(f.ruleId);
    return {
        ruleId: f.ruleId,
        ...(index !== undefined && { ruleIndex: index }),
        level: LEVEL[f.severity],
        message: { text: `${f.message}\nFix: ${f.remediation}` },
        locations: [
            {
                physicalLocation: physical(f.location),
                logicalLocations: [{ fullyQualifiedName: `${(0,_model_types_js__WEBPACK_IMPORTED_MODULE_0__/* .refKey */ .XF)(f.object)}:${f.path}`, kind: 'member' }],
            },
        ],
        partialFingerprints: { 'shipshape/v1': f.fingerprint },
        properties: {
            checklist: f.checklist,
            object: f.object,
            path: f.path,
            remediation: f.remediation,
            ...(f.renderedLocation && { renderedLocation: f.renderedLocation }),
        },
    };
}
function notification(e) {
    return {
        level: e.level === 'error' ? 'error' : 'note',
        message: { text: e.message },
        ...(e.location && { locations: [{ physicalLocation: physical(e.location) }] }),
    };
}
function physical(loc) {
    const region = { startLine: loc.line, startColumn: loc.column };
    if (loc.endLine)
        region.endLine = loc.endLine;
    if (loc.endColumn)
        region.endColumn = loc.endColumn;
    const uri = fileUri(loc.file);
    // Relative URIs are relative to the checkout root, which SARIF consumers call %SRCROOT%.
    const artifactLocation = uri.startsWith('file:') ? { uri } : { uri, uriBaseId: '%SRCROOT%' };
    return { artifactLocation, region };
}
/** Relative paths become relative URI references (each segment percent-encoded). */
function fileUri(file) {
    if (file.startsWith('/'))
        return `file://${file.split('/').map(encodeURIComponent).join('/')}`;
    return file.split('/').map(encodeURIComponent).join('/');
}
function pascalCase(id) {
    return id
        .split('-')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join('');
}


/***/ }),

/***/ 3394:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hd: () => (/* binding */ objectName),
/* harmony export */   LS: () => (/* binding */ plural),
/* harmony export */   _M: () => (/* binding */ where),
/* harmony export */   eh: () => (/* binding */ summarize),
/* harmony export */   ur: () => (/* binding */ severityCounts)
/* harmony export */ });
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3356);

function summarize(result) {
    const bySeverity = { error: 0, warning: 0, info: 0 };
    const byChecklist = Object.fromEntries(_model_types_js__WEBPACK_IMPORTED_MODULE_0__/* .CATEGORIES */ .R6.map((c) => [c, 0]));
    for (const f of result.findings) {
        bySeverity[f.severity]++;
        byChecklist[f.checklist]++;
    }
    return {
        files: result.files.length,
        objects: result.objects,
        findings: result.findings.length,
        bySeverity,
        byChecklist,
        suppressed: result.suppressed.length,
        baselined: result.baselined.length,
        errors: result.errors.filter((e) => e.level === 'error').length,
        notes: result.errors.filter((e) => e.level === 'note').length,
    };
}
/** `3 errors, 1 warning, 0 info` style counts, for headlines. */
function plural(n, word) {
    return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}
function severityCounts(s) {
    return `${plural(s.bySeverity.error, 'error')}, ${plural(s.bySeverity.warning, 'warning')}, ${plural(s.bySeverity.info, 'info')}`;
}
/** `Deployment shop/checkout` (or `ClusterRole admin`), the way people name objects. */
function objectName(f) {
    const { kind, namespace, name } = f.object;
    return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}
/** `file:line:column`, or just the file, or nothing, as much as the error knows. */
function where(e) {
    const l = e.location;
    if (!l)
        return '';
    return `${l.file}:${l.line}:${l.column}`;
}


/***/ }),

/***/ 4260:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J2: () => (/* binding */ formatBaseline),
/* harmony export */   Qp: () => (/* binding */ applyBaseline),
/* harmony export */   nk: () => (/* binding */ parseBaseline)
/* harmony export */ });
/* unused harmony export BASELINE_VERSION */
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3356);


/**
 * A baseline is the set of findings a team has accepted for now, by fingerprint (rule, object and
 * field path; never the line, so edits elsewhere in a file do not resurface them). With a baseline,
 * a run reports only what is new. The file is JSON, sorted and deduplicated, so that rewriting it
 * after a fix shows as a small diff in review. Pure: text in, text out.
 */
const BASELINE_VERSION = 1;
/** The baseline file's text for these findings: stable order, one entry per fingerprint. */
function formatBaseline(findings) {
    const entries = new Map();
    for (const f of findings) {
        entries.set(f.fingerprint, {
            fingerprint: f.fingerprint,
            ruleId: f.ruleId,
            object: (0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .refKey */ .XF)(f.object),
            path: f.path,
        });
    }
    const sorted = [...entries.values()].sort((a, b) => cmp(a.object, b.object) ||
        cmp(a.ruleId, b.ruleId) ||
        cmp(a.path, b.path) ||
        cmp(a.fingerprint, b.fingerprint));
    const file = { version: BASELINE_VERSION, findings: sorted };
    return `${JSON.stringify(file, null, 2)}\n`;
}
/** Read a baseline file; a broken one is an input error (with its line) and baselines nothing. */
function parseBaseline(text, file) {
    const fingerprints = new Set();
    const errors = [];
    const fail = (message, line = 1, column = 1) => {
        errors.push({ level: 'error', message: `baseline: ${message}`, location: { file, line, column } });
        return { fingerprints: new Set(), errors };
    };
    let data;
    try {
        data = JSON.parse(text.replace(/^\uFEFF/, ''));
    }
    catch (err) {
        const { line, column } = jsonErrorPosition(text);
        return fail(`not valid JSON: ${err.message.split('\n')[0]}`, line, column);
    }
    if (!(0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(data) || !Array.isArray(data.findings)) {
        return fail('expected {"version": 1, "findings": [...]} as written by --write-baseline');
    }
    if (data.version !== BASELINE_VERSION) {
        return fail(`unsupported version ${JSON.stringify(data.version)}; this shipshape reads version ${BASELINE_VERSION}`);
    }
    data.findings.forEach((entry, i) => {
        if ((0,_model_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(entry) && typeof entry.fingerprint === 'string' && entry.fingerprint) {
            fingerprints.add(entry.fingerprint);
        }
        else {
            errors.push({
                level: 'error',
                message: `baseline: findings[${i}] has no fingerprint; ignored`,
                location: { file, line: lineOfEntry(text, i), column: 1 },
            });
        }
    });
    return { fingerprints, errors };
}
/** Split findings into the new ones and those the baseline already accepts. */
function applyBaseline(findings, fingerprints) {
    const fresh = [];
    const baselined = [];
    for (const f of findings)
        (fingerprints.has(f.fingerprint) ? baselined : fresh).push(f);
    return { findings: fresh, baselined };
}
/**
 * V8's JSON.parse messages do not always say where; the YAML parser (JSON is YAML) does, with a
 * line counter.
 */
function jsonErrorPosition(text) {
    const lineCounter = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseDocument */ .Tp)(text, { lineCounter, prettyErrors: false });
    const first = doc.errors[0];
    if (!first)
        return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(first.pos[0]);
    return { line, column: col };
}
/**
 * Best-effort line of the i-th entry for error messages: files we write put one `"fingerprint"`
 * per entry; otherwise the first line.
 */
function lineOfEntry(text, index) {
    const lines = text.split('\n');
    let seen = -1;
    for (let n = 0; n < lines.length; n++) {
        if (/^\s*\{\s*("|$)/.test(lines[n]) && n > 0 && ++seen === index)
            return n + 1;
    }
    return 1;
}
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}


/***/ }),

/***/ 7217:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gj: () => (/* binding */ onePerLine),
  xG: () => (/* binding */ runRules),
  Tc: () => (/* binding */ sortFindings),
  N6: () => (/* binding */ toFinding)
});

// UNUSED EXPORTS: fingerprint

// EXTERNAL MODULE: ./lib/model/hash.js
var hash = __webpack_require__(9877);
// EXTERNAL MODULE: ./lib/model/path.js
var path = __webpack_require__(3070);
// EXTERNAL MODULE: ./lib/model/text.js
var model_text = __webpack_require__(7798);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/model/collections.js
var collections = __webpack_require__(412);
// EXTERNAL MODULE: ./lib/model/workload.js
var workload = __webpack_require__(4208);
;// CONCATENATED MODULE: ./lib/rules/object-index.js


/** Everything loaded in one run, indexed for the cross-object (namespace-aware) rules. */
class ObjectIndex {
    manifests;
    defaultNamespace;
    byKind = new Map();
    workloads = [];
    /** kind -> namespace -> objects, built per kind on first use so that `inNamespace` stays O(1). */
    byKindNamespace = new Map();
    constructor(manifests, defaultNamespace) {
        this.manifests = manifests;
        this.defaultNamespace = defaultNamespace;
        for (const m of manifests) {
            (0,collections/* pushTo */.I)(this.byKind, m.object.kind, m);
            if ((0,workload/* isWorkload */.gv)(m.object))
                this.workloads.push(m);
        }
    }
    /** The namespace an object lives in (its own, or the default for namespaced objects without one). */
    namespaceOf(m) {
        return m.object.metadata.namespace ?? this.defaultNamespace;
    }
    kind(kind) {
        return this.byKind.get(kind) ?? [];
    }
    /** Objects of a kind in a namespace. */
    inNamespace(kind, namespace) {
        let byNs = this.byKindNamespace.get(kind);
        if (!byNs) {
            byNs = new Map();
            for (const m of this.kind(kind))
                (0,collections/* pushTo */.I)(byNs, this.namespaceOf(m), m);
            this.byKindNamespace.set(kind, byNs);
        }
        return [...(byNs.get(namespace) ?? [])];
    }
    /** Namespaces that run workloads, each with its workloads, in first-seen order. */
    workloadNamespaces() {
        const out = new Map();
        for (const w of this.workloads) {
            (0,collections/* pushTo */.I)(out, this.namespaceOf(w), w);
        }
        return out;
    }
}

// EXTERNAL MODULE: ./lib/rules/types.js
var rules_types = __webpack_require__(3042);
;// CONCATENATED MODULE: ./lib/rules/engine.js






/**
 * Run the checklist over everything loaded in one run. Rules are pure; this turns their
 * violations into findings with a display path, a location a human edits, and a fingerprint, and
 * reports violations that share a cause as one finding (see `Cause`).
 */
function runRules(manifests, rules, options) {
    const index = new ObjectIndex(manifests, options.settings.defaultNamespace);
    const ctx = { manifests, index, settings: options.settings };
    const order = new Map();
    for (const [i, m] of manifests.entries())
        order.set(m, i);
    const causes = new CauseMerger(order);
    // Violations are located as they are raised and let go, so that they never outlive their rule.
    // Those on a document located by parsing it again are kept and located document by document at
    // the end: rule by rule, each such document would be parsed again for every rule.
    const later = [];
    let seq = 0;
    rules.forEach((rule, ruleOrder) => {
        if (options.disabled?.has(rule.meta.id))
            return;
        const configured = options.severity?.get(rule.meta.id) ?? rule.meta.severity;
        for (const v of rule.check(ctx)) {
            const severity = v.severity && RANK[v.severity] < RANK[configured] ? v.severity : configured;
            if (v.manifest.locatesQuickly?.() === false)
                later.push({ rule, ruleOrder, severity, v, seq: seq++ });
            else
                causes.add(rule, ruleOrder, severity, v, seq++);
        }
    });
    later.sort((a, b) => (order.get(a.v.manifest) ?? 0) - (order.get(b.v.manifest) ?? 0) || a.seq - b.seq);
    for (let i = 0; i < later.length; i++) {
        const { rule, ruleOrder, severity, v, seq } = later[i];
        causes.add(rule, ruleOrder, severity, v, seq);
        later[i] = undefined;
    }
    return sortFindings(causes.findings());
}
/** How many secondary violations a merged finding names before it counts the rest. */
const MAX_ALSO = 5;
/**
 * One finding per cause: violations with the same cause key (and, for `sameLine` causes, the same
 * line a human edits) become the finding of the most severe one (then the earliest rule, then the
 * first located), whose message lists the others. A violation on an object that carries a
 * suppression annotation for its rule stays on its own, so that the suppression drops exactly it.
 *
 * Each violation is located as it is added and let go (its path, the pieces of its message): at
 * 50,000 objects there are 100,000 of them, and only their findings need to stay. A group's lead
 * is made a finding when it takes the lead (at most once per severity); the others are never made
 * findings. The order violations are added in changes nothing: ties are broken by document and
 * raised order.
 */
class CauseMerger {
    order;
    out = [];
    groups = new Map();
    /** The groups of `sameLine` causes, by key, file and line (no key string per violation). */
    onLines = new Map();
    kinds = new Kinds();
    constructor(order) {
        this.order = order;
    }
    add(rule, ruleOrder, severity, v, seq) {
        if (!v.cause || hasSuppression(v, rule.meta.id)) {
            this.out.push(toFinding(rule, severity, v));
            return;
        }
        const { key } = v.cause;
        let located;
        let lines;
        let line = 0;
        if (v.cause.sameLine) {
            located = locate(v);
            const at = located.source ?? located.rendered;
            lines = this.linesOf(key, at.file);
            line = at.line;
        }
        const doc = this.order.get(v.manifest) ?? 0;
        const text = v.cause.also ?? v.message;
        const remediation = v.remediation ?? rule.meta.fix;
        // A sameLine cause's text names its container, and its groups mostly stay alone (one image
        // on each line): its kind is made shared only if it joins a chain.
        const kind = lines
            ? ownKind(severity, ruleOrder, rule.meta.id, text, remediation)
            : this.kinds.of(severity, ruleOrder, rule.meta.id, text, remediation);
        const group = lines ? lines.get(line) : this.groups.get(key);
        if (!group) {
            const lead = toFinding(rule, severity, v, located);
            // biome-ignore format: one group
            const made = {
                lead, kind, doc, seq, chain: undefined, others: undefined, mixed: false,
            };
            if (lines)
                lines.set(line, made);
            else
                this.groups.set(key, made);
            return;
        }
        if (!group.mixed && doc !== group.doc)
            mix(group);
        const leads = outranks(kind, doc, seq, group);
        // The lead so far joins the others when the newcomer takes its place.
        if (group.mixed) {
            group.others = leads
                ? { kind: group.kind, doc: group.doc, seq: group.seq, next: group.others }
                : { kind, doc, seq, next: group.others };
        }
        else if (leads)
            group.chain = cons(this.kinds.shared(group.kind), true, group.chain);
        else
            group.chain = cons(this.kinds.shared(kind), false, group.chain);
        if (leads) {
            group.kind = kind;
            group.doc = doc;
            group.seq = seq;
            group.lead = toFinding(rule, severity, v, located);
        }
    }
    /** The groups of a `sameLine` cause in one file, by line. */
    linesOf(key, file) {
        let files = this.onLines.get(key);
        if (!files) {
            files = new Map();
            this.onLines.set(key, files);
        }
        let lines = files.get(file);
        if (!lines) {
            lines = new Map();
            files.set(file, lines);
        }
        return lines;
    }
    findings() {
        const out = this.out;
        for (const group of this.groups.values())
            out.push(finished(group));
        for (const files of this.onLines.values()) {
            for (const lines of files.values())
                for (const group of lines.values())
                    out.push(finished(group));
        }
        this.groups.clear();
        this.onLines.clear();
        return out;
    }
}
/** A group's lead, its message and fix naming its others. */
function finished(group) {
    const { lead } = group;
    let merged;
    if (group.chain)
        merged = mergedChain(group.chain, group.kind);
    else if (group.others) {
        const members = [];
        for (let m = group.others; m; m = m.next)
            members.push(m);
        merged = merge(group.kind, members.sort(byRank).map((m) => m.kind));
    }
    if (merged) {
        // Two pieces, the second shared: every container missing the same settings has the same tail.
        lead.message = lead.message + merged.tail;
        lead.remediation = merged.remediation;
    }
    return lead;
}
/** The kinds of one run, one object for each (see `Kind`). */
class Kinds {
    byText = new Map();
    of(severity, ruleOrder, ruleId, text, remediation) {
        const same = this.byText.get(text);
        if (same) {
            // In one run a rule's place names the rule.
            for (const k of same) {
                if (k.ruleOrder === ruleOrder && k.severity === severity && k.remediation === remediation)
                    return k;
            }
        }
        const kind = ownKind(severity, ruleOrder, ruleId, text, remediation);
        kind.shared = true;
        if (same)
            same.push(kind);
        else {
            // Texts that name a container each are many: the table starts over rather than grow.
            if (this.byText.size >= 4096)
                this.byText.clear();
            this.byText.set(text, [kind]);
        }
        return kind;
    }
    /** The run's one kind that says what `kind` says. */
    shared(kind) {
        return kind.shared
            ? kind
            : this.of(kind.severity, kind.ruleOrder, kind.ruleId, kind.text, kind.remediation);
    }
}
/** A kind of its own, not (yet) the run's shared one. */
function ownKind(severity, ruleOrder, ruleId, text, remediation) {
    // biome-ignore format: one kind
    return {
        severity, ruleOrder, ruleId, text, remediation, shared: false, lastRest: undefined, lastChain: undefined,
    };
}
/** `kind` put before `rest`: the chain made last time for the same, if it was. */
function cons(kind, led, rest) {
    const last = kind.lastChain;
    if (last && kind.lastRest === rest && last.led === led)
        return last;
    // biome-ignore format: one chain
    const chain = {
        kind, led, rest, length: (rest?.length ?? 0) + 1, mergedFor: undefined, merged: undefined,
    };
    kind.lastRest = rest;
    kind.lastChain = chain;
    return chain;
}
/**
 * A chain's others as members of several documents would be: all of the lead's document. Their
 * raised order is not kept, so they are given places after the lead's and before the next raised
 * violation's, in the order they came, a former lead first among its rank: only their order among
 * themselves and against those is ever asked. (One that came before the lead ranks below it, so
 * never ties with it.)
 */
function mix(group) {
    const chain = [];
    for (let c = group.chain; c; c = c.rest)
        chain.push(c);
    const slots = chain.length + 1;
    let others;
    for (let i = chain.length - 1, n = 1; i >= 0; i--, n++) {
        const { kind, led } = chain[i];
        others = { kind, doc: group.doc, seq: group.seq + (led ? 0.5 : n) / slots, next: others };
    }
    group.others = others;
    group.chain = undefined;
    group.mixed = true;
}
/** The merge of a chain's kinds into a lead of `lead`'s kind: worked out once per chain and lead. */
function mergedChain(chain, lead) {
    if (chain.merged && chain.mergedFor === lead)
        return chain.merged;
    const links = new Array(chain.length);
    // Oldest first; a stable sort by rank then keeps the order they came in among equals, after a
    // former lead of their rank.
    let i = chain.length;
    for (let c = chain; c; c = c.rest)
        links[--i] = c;
    links.sort((a, b) => byKind(a.kind, b.kind) || Number(b.led) - Number(a.led));
    chain.mergedFor = lead;
    chain.merged = merge(lead, links.map((c) => c.kind));
    return chain.merged;
}
/**
 * The lead's message names the others (the first few, by rank), and its fix is theirs too. Built
 * piece by piece and joined once: this runs once per distinct merge (a chain's once for all its
 * groups), and a Deployment with 10,000 containers has 20,000 merged findings.
 */
function merge(lead, rest) {
    const parts = ['; also: '];
    const shown = Math.min(rest.length, MAX_ALSO);
    for (let i = 0; i < shown; i++) {
        const { text, ruleId } = rest[i];
        if (i > 0)
            parts.push('; ');
        parts.push(text);
        if (ruleId !== lead.ruleId)
            parts.push(' (', ruleId, ')');
    }
    if (rest.length > MAX_ALSO)
        parts.push(`; and ${rest.length - MAX_ALSO} more`);
    const fixes = [lead.remediation];
    for (const m of rest)
        if (!fixes.includes(m.remediation))
            fixes.push(m.remediation);
    return { tail: MERGED.of(parts.join('')), remediation: MERGED.of(fixes.join(' ')) };
}
/**
 * The tails and fixes of merged findings: the same few recur (every container missing requests,
 * limits and ephemeral storage), one string each rather than one per finding.
 */
const MERGED = new model_text/* Interner */.Ms();
/** Does a violation of this kind, document and raised order come before the group's lead (see `byRank`)? */
function outranks(kind, doc, seq, than) {
    const d = byKind(kind, than.kind) || doc - than.doc || seq - than.seq;
    return d < 0;
}
/** The more severe first, then the earlier rule, then the first located (document, raised order). */
function byRank(a, b) {
    return byKind(a.kind, b.kind) || a.doc - b.doc || a.seq - b.seq;
}
/** The more severe first, then the earlier rule. */
function byKind(a, b) {
    return RANK[b.severity] - RANK[a.severity] || a.ruleOrder - b.ruleOrder;
}
function hasSuppression(v, ruleId) {
    const annotations = v.manifest.object.metadata?.annotations;
    return (0,types/* isRecord */.u4)(annotations) && Object.hasOwn(annotations, `${rules_types/* SUPPRESSION_PREFIX */.B}${ruleId}`);
}
function locate(v) {
    return { rendered: v.manifest.locate(v.path), source: v.manifest.locateSource?.(v.path) };
}
function toFinding(rule, severity, v, located = locate(v)) {
    const { manifest } = v;
    const { rendered, source } = located;
    const finding = new RuleFinding(rule.meta.id, rule.meta.category, severity, (0,model_text/* flat */.Ct)(v.message), v.remediation ?? rule.meta.fix, manifest.ref, PATHS.of((0,path/* formatPath */.jV)(manifest.object, v.path)), source ?? rendered);
    if (source)
        finding.renderedLocation = rendered;
    return finding;
}
/** Field paths: every object of a kind made from one template has the same few (`spec.replicas`). */
const PATHS = new model_text/* Interner */.Ms();
/**
 * A finding as the engine makes it. Its fingerprint is worked out when it is first read: a terminal
 * report never reads it, and hashing 80,000 findings was 80 ms of such a run. It is an own,
 * enumerable property (an accessor every finding shares), so JSON, spreads, `Object.entries` and
 * `structuredClone` see it where it always was, after `location`.
 */
class RuleFinding {
    ruleId;
    checklist;
    severity;
    message;
    remediation;
    object;
    path;
    location;
    #fingerprint;
    constructor(ruleId, checklist, severity, message, remediation, object, path, location) {
        this.ruleId = ruleId;
        this.checklist = checklist;
        this.severity = severity;
        this.message = message;
        this.remediation = remediation;
        this.object = object;
        this.path = path;
        this.location = location;
        Object.defineProperty(this, 'fingerprint', RuleFinding.#FINGERPRINT);
    }
    /** One descriptor (one getter and setter) for every finding, so that they share their shape. */
    static #FINGERPRINT = {
        enumerable: true,
        configurable: true,
        get() {
            this.#fingerprint ??= fingerprint(this.ruleId, (0,types/* refKey */.XF)(this.object), this.path);
            return this.#fingerprint;
        },
        set(value) {
            this.#fingerprint = value;
        },
    };
}
/** Stable across commits and line moves: rule, object and field path only. */
function fingerprint(ruleId, objectKey, path) {
    return (0,hash/* sha256Hex */.f)(`${ruleId}\0${objectKey}\0${path}`, 16);
}
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
const RANK = { error: 3, warning: 2, info: 1 };
/**
 * Several targets that make the same finding on one line (a base two overlays use, a values file
 * two releases read) make one: one edit fixes it. Each keeps its first place in order, and the
 * most severe of them (one target may be configured to take it more seriously than another).
 */
function onePerLine(findings) {
    const at = new Map();
    const out = [];
    for (const f of findings) {
        const key = `${f.ruleId}\0${f.location.file}:${f.location.line}:${f.location.column}\0${f.message}`;
        const i = at.get(key);
        if (i === undefined) {
            at.set(key, out.length);
            out.push(f);
        }
        else if (RANK[f.severity] > RANK[out[i].severity])
            out[i] = f;
    }
    return out;
}
function sortFindings(findings) {
    return findings.sort((a, b) => cmp(a.location.file, b.location.file) ||
        a.location.line - b.location.line ||
        a.location.column - b.location.column ||
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        cmp(a.ruleId, b.ruleId) ||
        cmp(a.path, b.path));
}
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}


/***/ }),

/***/ 4697:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  U: () => (/* binding */ ALL_RULES),
  B: () => (/* binding */ ruleById)
});

;// CONCATENATED MODULE: ./lib/rules/api.js
/** PodSecurityPolicy has no successor API: its replacement is an admission controller. */
const PSA = 'Pod Security Admission (pod-security.kubernetes.io labels on the namespace)';
/**
 * Removed built-in API versions, by `apiVersion` and kind, from the Kubernetes deprecated API
 * migration guide (and the v1.16 / v1.21 release notes for the few kinds the guide leaves out).
 */
const REMOVED = new Map([
    // v1.16
    ['extensions/v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet'], '1.16', 'apps/v1'],
    ['apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet', 'ControllerRevision'], '1.16', 'apps/v1'],
    [
        'apps/v1beta2',
        ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
        '1.16',
        'apps/v1',
    ],
    ['extensions/v1beta1', ['NetworkPolicy'], '1.16', 'networking.k8s.io/v1'],
    ['extensions/v1beta1', ['PodSecurityPolicy'], '1.16', PSA],
    // v1.21
    ['batch/v2alpha1', ['CronJob'], '1.21', 'batch/v1'],
    // v1.22
    ['extensions/v1beta1', ['Ingress'], '1.22', 'networking.k8s.io/v1'],
    ['networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], '1.22', 'networking.k8s.io/v1'],
    [
        'admissionregistration.k8s.io/v1beta1',
        ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
        '1.22',
        'admissionregistration.k8s.io/v1',
    ],
    ['apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], '1.22', 'apiextensions.k8s.io/v1'],
    ['apiregistration.k8s.io/v1beta1', ['APIService'], '1.22', 'apiregistration.k8s.io/v1'],
    ['authentication.k8s.io/v1beta1', ['TokenReview'], '1.22', 'authentication.k8s.io/v1'],
    [
        'authorization.k8s.io/v1beta1',
        ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'],
        '1.22',
        'authorization.k8s.io/v1',
    ],
    ['certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], '1.22', 'certificates.k8s.io/v1'],
    ['coordination.k8s.io/v1beta1', ['Lease'], '1.22', 'coordination.k8s.io/v1'],
    [
        'rbac.authorization.k8s.io/v1beta1',
        ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
        '1.22',
        'rbac.authorization.k8s.io/v1',
    ],
    ['scheduling.k8s.io/v1beta1', ['PriorityClass'], '1.22', 'scheduling.k8s.io/v1'],
    [
        'storage.k8s.io/v1beta1',
        ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
        '1.22',
        'storage.k8s.io/v1',
    ],
    // v1.25
    ['batch/v1beta1', ['CronJob'], '1.25', 'batch/v1'],
    ['discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.25', 'discovery.k8s.io/v1'],
    ['events.k8s.io/v1beta1', ['Event'], '1.25', 'events.k8s.io/v1'],
    ['autoscaling/v2beta1', ['HorizontalPodAutoscaler'], '1.25', 'autoscaling/v2'],
    ['policy/v1beta1', ['PodDisruptionBudget'], '1.25', 'policy/v1'],
    ['policy/v1beta1', ['PodSecurityPolicy'], '1.25', PSA],
    ['node.k8s.io/v1beta1', ['RuntimeClass'], '1.25', 'node.k8s.io/v1'],
    // v1.26
    [
        'flowcontrol.apiserver.k8s.io/v1beta1',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        '1.26',
        'flowcontrol.apiserver.k8s.io/v1',
    ],
    ['autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.26', 'autoscaling/v2'],
    // v1.27
    ['storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.27', 'storage.k8s.io/v1'],
    // v1.29
    [
        'flowcontrol.apiserver.k8s.io/v1beta2',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        '1.29',
        'flowcontrol.apiserver.k8s.io/v1',
    ],
    // v1.32
    [
        'flowcontrol.apiserver.k8s.io/v1beta3',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        '1.32',
        'flowcontrol.apiserver.k8s.io/v1',
    ],
].flatMap(([apiVersion, kinds, release, replacement]) => kinds.map((kind) => [`${apiVersion}\0${kind}`, { release, replacement }])));
/** Served, but deprecated: still accepted with a warning, on the way out. */
const DEPRECATED = new Map([
    ['v1\0Endpoints', { release: '1.33', replacement: 'discovery.k8s.io/v1 EndpointSlice' }],
    [
        'v1\0ComponentStatus',
        { release: '1.19', replacement: 'the API server health endpoints (/livez, /readyz)' },
    ],
]);
/** The removal of an object's apiVersion, if Kubernetes no longer serves it. Exported for the drift job. */
function removedApi(apiVersion, kind) {
    return REMOVED.get(`${apiVersion}\0${kind}`);
}
function deprecatedApi(apiVersion, kind) {
    return DEPRECATED.get(`${apiVersion}\0${kind}`);
}
/** Every object whose apiVersion and kind `lookup` has a change for (removed, or deprecated). */
function* changed(ctx, lookup) {
    for (const manifest of ctx.manifests) {
        const { apiVersion, kind } = manifest.object;
        const change = lookup(apiVersion, kind);
        if (change)
            yield { manifest, apiVersion, kind, change };
    }
}
/** Is the replacement another apiVersion of the same kind (rather than a different mechanism)? */
function isApiVersion(replacement) {
    return /^[a-z0-9.-]*\/?v\d+\w*$/.test(replacement);
}
const removed = {
    meta: {
        id: 'api-version-removed',
        category: 'api',
        severity: 'error',
        title: 'Objects use API versions that Kubernetes still serves',
        why: 'The API server rejects objects whose apiVersion it no longer serves: the apply fails, often in the middle of a cluster upgrade.',
        fix: 'Move the object to the replacement apiVersion (kubectl convert helps) and adjust the fields that changed.',
        example: {
            bad: `apiVersion: extensions/v1beta1
kind: Ingress`,
            good: `apiVersion: networking.k8s.io/v1
kind: Ingress`,
            line: 1,
        },
        appliesTo: 'Every object, by apiVersion and kind, against the Kubernetes deprecated API migration guide.',
    },
    *check(ctx) {
        for (const { manifest, apiVersion, kind, change } of changed(ctx, removedApi)) {
            const versioned = isApiVersion(change.replacement);
            yield {
                manifest,
                path: ['apiVersion'],
                message: `${kind} "${manifest.ref.name}" uses ${apiVersion}, removed in Kubernetes ${change.release}; use ${change.replacement}`,
                remediation: versioned
                    ? `Change apiVersion to ${change.replacement} and update the fields that changed between versions (kubectl convert helps).`
                    : `${kind} no longer exists in Kubernetes; delete it and use ${change.replacement} instead.`,
            };
        }
    },
};
const deprecated = {
    meta: {
        id: 'api-version-deprecated',
        category: 'api',
        severity: 'warning',
        title: 'Objects avoid deprecated API versions',
        why: 'A deprecated API still works but will be removed; manifests that use it break on a future upgrade, and every apply prints a warning.',
        fix: 'Move to the replacement API while both are served.',
        example: {
            bad: `apiVersion: v1
kind: Endpoints`,
            good: `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice`,
            line: 1,
        },
        appliesTo: 'Every object, by apiVersion and kind, against the Kubernetes deprecated API migration guide.',
    },
    *check(ctx) {
        for (const { manifest, apiVersion, kind, change } of changed(ctx, deprecatedApi))
            yield {
                manifest,
                path: ['apiVersion'],
                message: `${kind} "${manifest.ref.name}" uses ${apiVersion} ${kind}, deprecated since Kubernetes ${change.release}; use ${change.replacement}`,
            };
    },
};
const rules = [removed, deprecated];

// EXTERNAL MODULE: ./lib/images/policy.js
var policy = __webpack_require__(7834);
// EXTERNAL MODULE: ./lib/images/reference.js
var reference = __webpack_require__(1403);
// EXTERNAL MODULE: ./lib/model/text.js
var model_text = __webpack_require__(7798);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/model/collections.js
var collections = __webpack_require__(412);
// EXTERNAL MODULE: ./lib/model/workload.js
var workload = __webpack_require__(4208);
;// CONCATENATED MODULE: ./lib/rules/util/selection.js



/**
 * Helpers for the cross-object rules: who selects whom, in which namespace, without comparing
 * every object with every other one. A run may hold 50,000 objects; these keep the checks linear.
 */
// --- per-run memo -------------------------------------------------------------------------------
const memos = new WeakMap();
/** Build a derived table once per run (per ObjectIndex) and share it between rules. */
function memo(index, key, build) {
    let tables = memos.get(index);
    if (!tables) {
        tables = new Map();
        memos.set(index, tables);
    }
    if (!tables.has(key))
        tables.set(key, build());
    return tables.get(key);
}
// --- label selectors ----------------------------------------------------------------------------
function pairKey(key, value) {
    // A label value is a string; a mapping in its place (even one with a `toString` key) is text too.
    const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
    return `${key}\u0000${text}`;
}
/**
 * What a selector demands, as alternatives to index it by: each alternative is a set of label
 * pairs of which a selected object must carry one (`app=web` alone, or `tier=a|tier=b` from an
 * `In` expression). Undefined when it demands no particular pair (empty, or only NotIn / Exists /
 * DoesNotExist) so that every object has to be tried; `[[]]` (an empty alternative) for a missing
 * selector, which selects nothing.
 */
function pairAlternatives(selector) {
    if (!(0,types/* isRecord */.u4)(selector))
        return [[]];
    const structured = 'matchLabels' in selector || 'matchExpressions' in selector;
    const out = [];
    const matchLabels = structured ? selector.matchLabels : selector;
    if ((0,types/* isRecord */.u4)(matchLabels))
        for (const [k, v] of Object.entries(matchLabels))
            out.push([pairKey(k, v)]);
    const exprs = structured && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
    for (const e of exprs) {
        if ((0,types/* isRecord */.u4)(e) && e.operator === 'In' && typeof e.key === 'string' && Array.isArray(e.values)) {
            const key = e.key;
            out.push([...new Set(e.values.map((v) => pairKey(key, v)))]);
        }
    }
    return out.length > 0 ? out : undefined;
}
/** The alternative whose pairs are rarest, by a count of how often each pair occurs. */
function rarest(alternatives, count) {
    let best = alternatives[0];
    let bestCount = Number.POSITIVE_INFINITY;
    for (const alt of alternatives) {
        const n = alt.reduce((sum, p) => sum + count(p), 0);
        if (n < bestCount) {
            best = alt;
            bestCount = n;
        }
    }
    return best;
}
/**
 * Is this a selector with no requirement at all (`{}`, or empty lists)? In a NetworkPolicy's
 * podSelector that means every pod in the namespace. A missing podSelector decodes to the same.
 */
function isEmptySelector(selector) {
    if (selector === undefined || selector === null)
        return true;
    if (!(0,types/* isRecord */.u4)(selector))
        return false;
    const labels = selector.matchLabels;
    const exprs = selector.matchExpressions;
    return ((labels === undefined || labels === null || ((0,types/* isRecord */.u4)(labels) && Object.keys(labels).length === 0)) &&
        (exprs === undefined || exprs === null || (Array.isArray(exprs) && exprs.length === 0)) &&
        Object.keys(selector).every((k) => k === 'matchLabels' || k === 'matchExpressions'));
}
function bySeq(entries) {
    return [...entries].sort((a, b) => a.seq - b.seq).map((e) => e.item);
}
/**
 * Labelled things (pod templates, Services) by namespace, to answer "what does this selector
 * select here?" by looking up one of the pairs the selector requires rather than scanning.
 */
class LabelIndex {
    seq = 0;
    all = new Map();
    byPair = new Map();
    add(namespace, labels, item) {
        const entry = { seq: this.seq++, item, labels };
        getOrCreate(this.all, namespace, () => []).push(entry);
        const pairs = getOrCreate(this.byPair, namespace, () => new Map());
        for (const [k, v] of Object.entries(labels))
            getOrCreate(pairs, pairKey(k, v), () => []).push(entry);
    }
    /** Namespaces with at least one item, in first-seen order. */
    namespaces() {
        return [...this.all.keys()];
    }
    /** Items in the namespace whose labels the selector selects, in the order they were added. */
    selectedBy(namespace, selector) {
        const alternatives = pairAlternatives(selector);
        const byPair = this.byPair.get(namespace);
        let candidates;
        if (alternatives === undefined)
            candidates = this.all.get(namespace) ?? [];
        else {
            // Every alternative is necessary; look up the one with the fewest candidates.
            const pairs = rarest(alternatives, (p) => byPair?.get(p)?.length ?? 0);
            candidates = pairs.flatMap((p) => byPair?.get(p) ?? []);
        }
        return bySeq(candidates.filter((e) => (0,workload/* selects */.ko)(selector, e.labels)));
    }
}
/**
 * Selectors (PDBs, NetworkPolicies, monitors) by namespace, to answer "which selectors select
 * these labels?" by looking up the labels' own pairs rather than trying every selector.
 */
class SelectorIndex {
    entries = new Map();
    /** Built on the first query after an add: namespace -> label pair -> selectors requiring it. */
    keyed;
    unkeyed = new Map();
    seq = 0;
    add(namespace, selector, item) {
        const entry = { seq: this.seq++, item, selector, alternatives: pairAlternatives(selector) };
        getOrCreate(this.entries, namespace, () => []).push(entry);
        this.keyed = undefined;
    }
    /** Items in the namespace whose selector selects these labels, in the order they were added. */
    selecting(namespace, labels) {
        const keyed = this.build();
        const unkeyed = this.unkeyed.get(namespace);
        const byPair = keyed.get(namespace);
        // Nothing here selects anything (no Service in the namespace, say): asked for every workload.
        if (!unkeyed && !byPair)
            return [];
        const found = unkeyed ? [...unkeyed] : [];
        if (byPair)
            for (const [k, v] of Object.entries(labels))
                (0,collections/* pushAll */.i)(found, byPair.get(pairKey(k, v)) ?? []);
        return bySeq(found.filter((e) => (0,workload/* selects */.ko)(e.selector, labels)));
    }
    /**
     * File each selector under the pairs of its rarest alternative. Selectors often share their
     * first label (a Helm release's `app.kubernetes.io/instance`); the rarest one tells them apart,
     * so that a lookup finds few candidates. An object carries at most one value per key, so it
     * meets each selector at most once.
     */
    build() {
        if (this.keyed)
            return this.keyed;
        const keyed = new Map();
        this.unkeyed = new Map();
        for (const [namespace, entries] of this.entries) {
            const frequency = new Map();
            for (const e of entries) {
                for (const alt of e.alternatives ?? [])
                    for (const p of alt)
                        frequency.set(p, (frequency.get(p) ?? 0) + 1);
            }
            const byPair = new Map();
            for (const e of entries) {
                if (e.alternatives === undefined)
                    getOrCreate(this.unkeyed, namespace, () => []).push(e);
                else
                    for (const p of rarest(e.alternatives, (q) => frequency.get(q) ?? 0))
                        getOrCreate(byPair, p, () => []).push(e);
            }
            keyed.set(namespace, byPair);
        }
        this.keyed = keyed;
        return keyed;
    }
}
function getOrCreate(map, key, make) {
    let value = map.get(key);
    if (value === undefined) {
        value = make();
        map.set(key, value);
    }
    return value;
}
/**
 * Every workload with a pod template (kinds without one, CRDs, are skipped), in load order, with
 * its containers. Read once per run and shared by every rule: some thirty rules walk the same
 * workloads, and re-reading each one per rule was most of their cost.
 */
function workloadInfos(index) {
    return memo(index, 'workloads', () => {
        const out = [];
        for (const manifest of index.workloads) {
            const template = (0,workload/* podTemplate */.oM)(manifest.object);
            if (template) {
                const namespace = index.namespaceOf(manifest);
                out.push({ manifest, namespace, template, containers: (0,workload/* containersOf */.Mz)(manifest.object) });
            }
        }
        return out;
    });
}
/** Workloads by the labels of the pods they make, to find what a selector selects. */
function podLabelIndex(index) {
    return memo(index, 'pod-labels', () => {
        const labels = new LabelIndex();
        for (const w of workloadInfos(index))
            labels.add(w.namespace, w.template.labels, w);
        return labels;
    });
}
// --- Services and the containers they send traffic to -------------------------------------------
/** Services with a pod selector, per namespace (one without a selector fronts no pods). */
function servicesByPodSelector(index) {
    return memo(index, 'services:pod-selectors', () => {
        const services = new SelectorIndex();
        for (const s of index.kind('Service')) {
            const spec = s.object.spec;
            const selector = (0,types/* isRecord */.u4)(spec) ? spec.selector : undefined;
            if ((0,types/* isRecord */.u4)(selector) && Object.keys(selector).length > 0)
                services.add(index.namespaceOf(s), selector, s);
        }
        return services;
    });
}
/** Port names that say "scrape me": `metrics`, `http-metrics`, `prom`, `tcp-prometheus-servicemonitor`. */
const METRICS_PORT_NAME = /metric|prom/i;
/**
 * The Service traffic each regular container of a workload receives: for every Service in its
 * namespace that selects its pods, each port whose targetPort (by name, or by number) lands on
 * the container. A number no container declares goes to the first container, as it usually
 * does. Metrics ports are left out (a scrape is not traffic a readiness probe gates), and so are
 * Services that publish addresses that are not ready.
 */
function serviceTraffic(index, w) {
    const out = new Map();
    const containers = Array.isArray(w.template.spec.containers) ? w.template.spec.containers : [];
    const byName = new Map();
    const byNumber = new Map();
    containers.forEach((c, i) => {
        if (!(0,types/* isRecord */.u4)(c) || !Array.isArray(c.ports))
            return;
        for (const p of c.ports) {
            if (!(0,types/* isRecord */.u4)(p))
                continue;
            if (typeof p.name === 'string' && !byName.has(p.name))
                byName.set(p.name, i);
            if (typeof p.containerPort === 'number' && !byNumber.has(p.containerPort))
                byNumber.set(p.containerPort, i);
        }
    });
    for (const service of servicesByPodSelector(index).selecting(w.namespace, w.template.labels)) {
        const spec = (0,types/* isRecord */.u4)(service.object.spec) ? service.object.spec : {};
        if (spec.publishNotReadyAddresses === true)
            continue;
        const ports = Array.isArray(spec.ports) ? spec.ports.filter(types/* isRecord */.u4) : [];
        for (const p of ports) {
            const target = p.targetPort ?? p.port;
            const label = typeof p.name === 'string' && p.name !== '' ? p.name : String(p.port ?? target);
            if (METRICS_PORT_NAME.test(label) || (typeof target === 'string' && METRICS_PORT_NAME.test(target)))
                continue;
            let container;
            if (typeof target === 'string' && !/^\d+$/.test(target))
                container = byName.get(target);
            else if (target !== undefined)
                container = byNumber.get(Number(target)) ?? (containers.length > 0 ? 0 : undefined);
            if (container === undefined)
                continue;
            const routes = out.get(container) ?? [];
            routes.push({ service, port: label });
            out.set(container, routes);
        }
    }
    return out;
}
/** The service account a workload's pods run as. */
function serviceAccountOf(template) {
    const { spec, specPath } = template;
    for (const field of ['serviceAccountName', 'serviceAccount']) {
        const value = spec[field];
        if (typeof value === 'string' && value !== '') {
            return { name: value, explicit: true, path: [...specPath, field] };
        }
    }
    return { name: 'default', explicit: false, path: [...specPath, 'serviceAccountName'] };
}
const APP_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app'];
/** The app a workload belongs to: its app name label (pods first, then the object), else its name. */
function appNameOf(w) {
    const own = w.manifest.object.metadata.labels;
    for (const labels of [w.template.labels, (0,types/* isRecord */.u4)(own) ? own : {}]) {
        for (const key of APP_LABELS) {
            const value = labels[key];
            if (value !== undefined && value !== null && String(value) !== '')
                return String(value);
        }
    }
    return w.manifest.object.metadata.name ?? '';
}
/** `Deployment "web"`: how messages name an object. */
function named(obj) {
    const o = 'ref' in obj && 'locate' in obj ? obj.object : obj;
    return `${o.kind} "${o.metadata.name ?? ''}"`;
}
/**
 * `Deployment "web", StatefulSet "db" and 2 more`: a short list for a one-line message. `total`
 * counts items beyond those passed, when the caller only collected the first few.
 */
function namedList(items, max = 3, total = items.length) {
    const names = items.slice(0, max).map(named);
    const rest = total - names.length;
    if (rest > 0)
        return `${names.join(', ')} and ${rest} more`;
    if (names.length <= 1)
        return names.join('');
    return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
// --- examples for the docs ----------------------------------------------------------------------
/**
 * A Deployment whose container serves a named port behind a Service, and nothing more: the bad
 * example of the rules that ask more of a container that receives traffic (probes, preStop).
 */
const EXAMPLE_SERVED_WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]`;
/**
 * A short but complete Deployment for the rule catalogue's examples. The cross-object rules'
 * examples are whole manifest sets, so that the tests can run each example through its rule.
 */
function exampleDeployment(o = {}) {
    const name = o.name ?? 'web';
    const lines = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata: {name: ${name}${o.namespace ? `, namespace: ${o.namespace}` : ''}}`,
        'spec:',
        ...(o.replicas === undefined ? [] : [`  replicas: ${o.replicas}`]),
        `  selector: {matchLabels: {app: ${name}}}`,
        '  template:',
        '    metadata:',
        `      labels: {app: ${name}}`,
        ...(o.podMetadata ?? []).map((l) => `      ${l}`),
        '    spec:',
        ...(o.podSpec ?? []).map((l) => `      ${l}`),
        '      containers:',
        `        - name: ${name}`,
        `          image: ghcr.io/acme/${name}:1.4.2`,
        ...(o.ports ? [`          ports: ${o.ports}`] : []),
    ];
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./lib/rules/util/containers.js




const ALL_CONTAINER_KINDS = [
    'containers',
    'initContainers',
    'ephemeralContainers',
];
/** Every workload of the run with its pod template; kinds without one (CRDs) are skipped. */
function workloads(ctx) {
    return workloadInfos(ctx.index);
}
/** A workload's containers of the given kinds. */
function containersOfKinds(workload, kinds) {
    if (kinds.length === ALL_CONTAINER_KINDS.length)
        return [...workload.containers];
    return workload.containers.filter((c) => kinds.includes(c.kind));
}
/**
 * Every container of every workload, of the given kinds (all kinds by default). Made once per
 * run and kinds, and shared: some thirty rules walk them, and a Deployment may have 10,000.
 */
function workloadContainers(ctx, kinds = ALL_CONTAINER_KINDS) {
    if (kinds !== ALL_CONTAINER_KINDS) {
        // The same objects as the whole list's, picked out: each container is one object for the run.
        return memo(ctx.index, `containers:${kinds.join(',')}`, () => workloadContainers(ctx).filter((wc) => kinds.includes(wc.container.kind)));
    }
    return memo(ctx.index, 'containers', () => {
        const list = [];
        for (const workload of workloads(ctx)) {
            for (const container of workload.containers) {
                list.push({ manifest: workload.manifest, template: workload.template, container });
            }
        }
        return list;
    });
}
/**
 * The key of a cause one container's violations share (`Cause.key`: its sizing, its security
 * context). The run's containers are its own objects, made once (`workloadInfos`), so a container
 * is told apart by identity and numbered when first asked: the rules raising the cause for every
 * container share one short string, and the engine hashes it once.
 */
function containerCause(ctx, cause, container) {
    const keys = memo(ctx.index, CAUSE_TABLES[cause], () => new Map());
    let key = keys.get(container);
    if (key === undefined) {
        key = (0,model_text/* flat */.Ct)(`${cause}\u0000${keys.size}`);
        keys.set(container, key);
    }
    return key;
}
/** The per-run tables of `containerCause`, by cause (names made once: it is asked per container). */
const CAUSE_TABLES = { sizing: 'cause:sizing', 'security-context': 'cause:security-context' };
/** `container "app"`, `init container "migrate"`, `ephemeral container "debugger"`: for messages. */
function describeContainer(c) {
    const prefix = c.kind === 'initContainers'
        ? 'init container'
        : c.kind === 'ephemeralContainers'
            ? 'ephemeral container'
            : 'container';
    return `${prefix} "${c.name}"`;
}
/** A record field of a record, or an empty record (so rules can read nested optional fields). */
function recordAt(parent, key) {
    const value = (0,types/* isRecord */.u4)(parent) ? parent[key] : undefined;
    return (0,types/* isRecord */.u4)(value) ? value : {};
}
/**
 * A security setting as Kubernetes applies it: the container's `securityContext` wins over the
 * pod's, for the fields both have. Returns the value and the concrete path where it is set, or
 * the container-level path it should have when neither sets it.
 */
function effectiveSecurity(template, container, field) {
    const own = recordAt(container.container, 'securityContext')[field];
    if (own !== undefined && own !== null)
        return new EffectiveSetting(own, 'container', container.path, field);
    const pod = recordAt(template.spec, 'securityContext')[field];
    if (pod !== undefined && pod !== null)
        return new EffectiveSetting(pod, 'pod', template.specPath, field);
    return new EffectiveSetting(undefined, 'none', container.path, field);
}
/**
 * What `effectiveSecurity` finds. Its path is made when asked for: seven rules ask about every
 * container, and only those that report one need it.
 */
class EffectiveSetting {
    value;
    level;
    base;
    field;
    constructor(value, level, base, field) {
        this.value = value;
        this.level = level;
        this.base = base;
        this.field = field;
    }
    /** Where the setting is, or where it belongs when neither level sets it. */
    get path() {
        return [...this.base, 'securityContext', this.field];
    }
}
/** Is a workload marked critical (so it wants Guaranteed QoS) by label, annotation or priority class? */
function isCritical(manifest, template, settings) {
    const { labels, annotations, priorityClassNames } = settings.critical;
    const meta = manifest.object.metadata;
    const matches = (wanted, ...maps) => Object.entries(wanted).some(([k, v]) => maps.some((m) => (0,types/* isRecord */.u4)(m) && String(m[k]) === v));
    if (matches(labels, meta.labels, template.labels))
        return true;
    if (matches(annotations, meta.annotations, template.annotations))
        return true;
    const priority = template.spec.priorityClassName;
    return typeof priority === 'string' && priorityClassNames.includes(priority);
}
/** The container's declared ports, by name and by number. */
function declaredPorts(container) {
    const names = new Set();
    const numbers = new Set();
    const ports = Array.isArray(container.ports) ? container.ports : [];
    for (const p of ports) {
        if (!(0,types/* isRecord */.u4)(p))
            continue;
        if (typeof p.name === 'string')
            names.add(p.name);
        if (typeof p.containerPort === 'number')
            numbers.add(p.containerPort);
    }
    return { names, numbers };
}
/**
 * A Kubernetes duration-free integer field that may have been written as a string by a template
 * (`"30"`). Undefined when absent or not a number.
 */
function intField(value) {
    if (typeof value === 'number' && Number.isFinite(value))
        return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim()))
        return Number(value.trim());
    return undefined;
}
const referenceCache = new Map();
const REFERENCE_CACHE_LIMIT = 20_000;
/**
 * `parseReference`, remembered: a fleet runs the same few images in many containers, and several
 * rules (images, storage) read each one. The results are shared, so callers must not change them.
 */
function imageReference(image) {
    let result = referenceCache.get(image);
    if (!result) {
        if (referenceCache.size >= REFERENCE_CACHE_LIMIT)
            referenceCache.clear();
        result = (0,reference/* parseReference */.F2)(image);
        referenceCache.set(image, result);
    }
    return result;
}

;// CONCATENATED MODULE: ./lib/rules/images.js



/** The `images` checklist category. */
/** The hex of a well-formed sha256 digest, for the docs' examples. */
const EXAMPLE_DIGEST = '3b5c9e1f'.repeat(8);
/**
 * A container as the image rules see it: its image, parsed when it parses. Made afresh by each
 * rule's walk and let go (a Deployment may have 10,000 containers): what only a finding needs,
 * its path and wording, is made for a finding.
 */
class ContainerImage {
    wc;
    image;
    ref;
    shared;
    constructor(wc, image, 
    /** The image parsed, when it is a string that parses. */
    ref, 
    /** Whether another container of the run names the same image (see `cause`). */
    shared) {
        this.wc = wc;
        this.image = image;
        this.ref = ref;
        this.shared = shared;
    }
    get manifest() {
        return this.wc.manifest;
    }
    get path() {
        return [...this.wc.container.path, 'image'];
    }
    /** `container "app"`. */
    get who() {
        return describeContainer(this.wc.container);
    }
    /**
     * One image written once (a values key several containers share) is one edit: the findings of
     * a rule on the same image at the same line are one finding, naming the other containers. An
     * image no other container names has no one to share a line with.
     */
    cause(ruleId) {
        if (!this.shared)
            return undefined;
        const { ref } = this.wc.manifest;
        return {
            key: `image\u0000${ruleId}\u0000${String(this.image)}`,
            sameLine: true,
            also: `${this.who} of ${ref.kind} "${ref.name}"`,
        };
    }
}
const IMAGE_APPLIES_TO = 'Every container (regular, init and ephemeral) of every workload kind. Containers that share one ' +
    'image written on one line (a values key) are one finding.';
/** Every container's image, for one image rule's walk. */
function* containerImages(ctx) {
    const shared = sharedImages(ctx);
    for (const wc of workloadContainers(ctx)) {
        const { image } = wc.container.container;
        const parsed = typeof image === 'string' ? imageReference(image) : undefined;
        yield new ContainerImage(wc, image, parsed?.ok ? parsed.ref : undefined, shared.has(image));
    }
}
/** Containers whose image parses, for the policy rules (invalid ones get their own finding). */
function* parsedImages(ctx) {
    for (const ci of containerImages(ctx))
        if (ci.ref !== undefined)
            yield ci;
}
/** The images more than one container of the run names: only theirs can share a line. */
function sharedImages(ctx) {
    return memo(ctx.index, 'images:shared', () => {
        const seen = new Set();
        const shared = new Set();
        for (const wc of workloadContainers(ctx)) {
            const { image } = wc.container.container;
            if (seen.has(image))
                shared.add(image);
            else
                seen.add(image);
        }
        return shared;
    });
}
/** A Pod whose image is pinned to a digest, for the examples. */
const PINNED_POD = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:1.4.2@sha256:${EXAMPLE_DIGEST}`;
const invalid = {
    meta: {
        id: 'image-reference-invalid',
        category: 'images',
        severity: 'error',
        title: 'Image references are valid',
        why: 'The kubelet cannot pull an image whose reference does not parse; the pod sits in InvalidImageName or ErrImagePull and the rollout stalls.',
        fix: 'Write the reference as [registry[:port]/]repository[:tag][@sha256:digest], with a lowercase repository path.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/Acme/App:v1`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:v1`,
            line: 7,
        },
        appliesTo: IMAGE_APPLIES_TO,
    },
    *check(ctx) {
        for (const ci of containerImages(ctx)) {
            const { image } = ci;
            if (ci.ref !== undefined)
                continue;
            const { manifest, path, who } = ci;
            if (image === undefined || image === null || image === '') {
                yield { manifest, path, message: `${who} has no image` };
                continue;
            }
            if (typeof image !== 'string') {
                yield { manifest, path, message: `${who} has an image that is not a string` };
                continue;
            }
            const parsed = imageReference(image);
            if (!parsed.ok)
                yield { manifest, path, message: `${who} has an invalid image "${image}": ${parsed.error}` };
        }
    },
};
const latest = {
    meta: {
        id: 'image-tag-latest',
        category: 'images',
        severity: 'error',
        title: 'Images name a version, not `latest` or no tag',
        why: '`latest` (which a missing tag means) points at whatever was pushed last: two pods of one Deployment can run different code, and a rollback cannot bring the old version back.',
        fix: 'Tag images with an immutable version (a release number or a commit SHA) and pin the digest.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:latest`,
            good: PINNED_POD,
            line: 7,
        },
        appliesTo: IMAGE_APPLIES_TO,
    },
    *check(ctx) {
        for (const ci of parsedImages(ctx)) {
            const reason = (0,policy/* mutableTag */.pT)(ci.ref);
            if (!reason)
                continue;
            const { manifest, path, who, ref } = ci;
            const message = reason === 'latest'
                ? `${who} uses the latest tag of ${ref.original.replace(/:[^:/]*$/, '')}`
                : `${who} has no tag on image ${ref.original}, so it runs latest`;
            yield { manifest, path, message, cause: ci.cause('image-tag-latest') };
        }
    },
};
const debug = {
    meta: {
        id: 'image-tag-debug',
        category: 'images',
        severity: 'error',
        title: 'Images are not debug or work-in-progress builds',
        why: 'Tags such as `debug`, `DONT-PUSH`, `dirty` or `SNAPSHOT` mark builds that were never meant for production: extra tooling, verbose logging, uncommitted code.',
        fix: 'Deploy a release build. The patterns are configurable (debugTagPatterns) if your release tags use one of these words.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:v1.2.3-debug-DONT-PUSH`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:v1.2.3@sha256:${EXAMPLE_DIGEST}`,
            line: 7,
        },
        appliesTo: IMAGE_APPLIES_TO,
    },
    *check(ctx) {
        const match = (0,policy/* debugTagMatcher */.uR)(ctx.settings.debugTagPatterns);
        for (const ci of parsedImages(ctx)) {
            const hit = ci.ref.tag === undefined ? undefined : match(ci.ref.tag);
            if (!hit)
                continue;
            const { manifest, path, who, ref } = ci;
            yield {
                manifest,
                path,
                message: `${who} runs a debug build: tag "${ref.tag}" contains "${hit.matched}"`,
                cause: ci.cause('image-tag-debug'),
            };
        }
    },
};
const digestMissing = {
    meta: {
        id: 'image-digest-missing',
        category: 'images',
        severity: 'warning',
        title: 'Images are pinned to a digest',
        why: 'A tag can be moved or overwritten in the registry; a digest names exactly one image. Pinning makes every node run the same bytes and makes tampering visible.',
        fix: 'Append the digest to the reference (`app:1.4.2@sha256:...`); tools such as crane, skopeo or your CI can resolve it.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:1.4.2`,
            good: PINNED_POD,
            line: 7,
        },
        appliesTo: IMAGE_APPLIES_TO,
    },
    *check(ctx) {
        for (const ci of parsedImages(ctx)) {
            if (ci.ref.digest !== undefined)
                continue;
            const { manifest, path, who, ref } = ci;
            yield {
                manifest,
                path,
                message: `${who} image ${ref.original} is not pinned to a digest`,
                cause: ci.cause('image-digest-missing'),
            };
        }
    },
};
const images_rules = [invalid, latest, debug, digestMissing];

// EXTERNAL MODULE: ./lib/model/suggest.js
var suggest = __webpack_require__(4603);
;// CONCATENATED MODULE: ./lib/rules/util/references.js


/**
 * Helpers for the reference rules: does the checked set define the object a reference names? A
 * set that defines no object of a kind in a namespace says nothing about it (the object may come
 * from elsewhere); one that defines some, but not the one named, most likely has a typo or a
 * rename.
 */
/** Names of the objects of a kind the set defines in a namespace. */
function namesIn(index, kind, namespace) {
    const table = memo(index, `references:names:${kind}`, () => {
        const out = new Map();
        for (const m of index.kind(kind)) {
            const ns = index.namespaceOf(m);
            const names = out.get(ns) ?? new Set();
            names.add(m.object.metadata.name ?? '');
            out.set(ns, names);
        }
        return out;
    });
    return table.get(namespace) ?? new Set();
}
/** The object of a kind named `name` in a namespace, if the set defines it. */
function findNamed(index, kind, namespace, name) {
    const table = memo(index, `references:objects:${kind}`, () => {
        const out = new Map();
        for (const m of index.kind(kind)) {
            const key = `${index.namespaceOf(m)}\u0000${m.object.metadata.name ?? ''}`;
            if (!out.has(key))
                out.set(key, m);
        }
        return out;
    });
    return table.get(`${namespace}\u0000${name}`);
}
/**
 * Is this object of a Kubernetes API group (core, apps, batch, policy, autoscaling, `*.k8s.io`)?
 * Anything else is a custom resource, which an operator may turn into pods the set cannot see.
 */
function isBuiltIn(apiVersion) {
    const slash = apiVersion.indexOf('/');
    if (slash < 0)
        return true;
    const group = apiVersion.slice(0, slash);
    return !group.includes('.') || group.endsWith('.k8s.io');
}
/** Namespaces where the set holds custom resources (operators may make pods from them there). */
function customResourceNamespaces(index) {
    return memo(index, 'references:custom-resource-namespaces', () => {
        const out = new Set();
        for (const m of index.manifests) {
            if (!isBuiltIn(m.object.apiVersion) && m.object.metadata.namespace)
                out.add(m.object.metadata.namespace);
        }
        return out;
    });
}
/**
 * Secrets that resources in the set make at run time, by namespace: External Secrets, Sealed
 * Secrets and cert-manager Certificates name the Secret they write.
 */
function generatedSecrets(index, namespace) {
    const table = memo(index, 'references:generated-secrets', () => {
        const out = new Map();
        const add = (m, name) => {
            if (typeof name !== 'string' || name === '')
                return;
            const ns = index.namespaceOf(m);
            const names = out.get(ns) ?? new Set();
            names.add(name);
            out.set(ns, names);
        };
        for (const m of index.manifests) {
            const { kind, apiVersion, metadata } = m.object;
            const spec = (0,types/* isRecord */.u4)(m.object.spec) ? m.object.spec : {};
            const group = apiVersion.split('/')[0];
            if (kind === 'ExternalSecret' && group === 'external-secrets.io') {
                const target = (0,types/* isRecord */.u4)(spec.target) ? spec.target : {};
                add(m, target.name ?? metadata.name);
            }
            else if (kind === 'SealedSecret' && group === 'bitnami.com') {
                add(m, metadata.name);
            }
            else if (kind === 'Certificate' && group === 'cert-manager.io') {
                add(m, spec.secretName);
            }
        }
        return out;
    });
    return table.get(namespace) ?? new Set();
}

;// CONCATENATED MODULE: ./lib/rules/rbac.js





function strings(value) {
    return Array.isArray(value) ? value.map(String) : [];
}
function policyRules(role) {
    const rules = role.object.rules;
    if (!Array.isArray(rules))
        return [];
    return rules.flatMap((r, index) => (0,types/* isRecord */.u4)(r)
        ? [
            {
                index,
                apiGroups: strings(r.apiGroups),
                resources: strings(r.resources),
                verbs: strings(r.verbs),
                resourceNames: strings(r.resourceNames),
            },
        ]
        : []);
}
/** Which parts of a role are `*`, e.g. ['verbs', 'resources'], in the role's first wildcard rule. */
function wildcards(role) {
    for (const rule of policyRules(role)) {
        const fields = ['verbs', 'resources', 'apiGroups'].filter((f) => rule[f].includes('*'));
        if (fields.length > 0)
            return { rule, fields };
    }
    return undefined;
}
function subjectTarget(index, binding, subject) {
    const name = typeof subject.name === 'string' ? subject.name : '';
    if (subject.kind === 'ServiceAccount' && name) {
        // The API wants a namespace on service account subjects; tools that omit it mean the binding's.
        const namespace = typeof subject.namespace === 'string' && subject.namespace
            ? subject.namespace
            : binding.object.kind === 'RoleBinding'
                ? index.namespaceOf(binding)
                : index.defaultNamespace;
        return { kind: 'account', namespace, name };
    }
    if (subject.kind === 'User' && name.startsWith('system:serviceaccount:')) {
        const [namespace, account] = name.slice('system:serviceaccount:'.length).split(':');
        if (namespace && account)
            return { kind: 'account', namespace, name: account };
    }
    if (subject.kind === 'Group') {
        if (name === 'system:serviceaccounts') {
            return { kind: 'all-accounts', label: 'group "system:serviceaccounts" (every ServiceAccount)' };
        }
        if (name === 'system:authenticated') {
            return { kind: 'all-accounts', label: 'group "system:authenticated" (every user and ServiceAccount)' };
        }
        if (name.startsWith('system:serviceaccounts:')) {
            const namespace = name.slice('system:serviceaccounts:'.length);
            return { kind: 'all-accounts', namespace, label: `every ServiceAccount in namespace "${namespace}"` };
        }
    }
    return undefined;
}
function describeTarget(t) {
    return t.kind === 'account' ? `ServiceAccount "${t.name}" in namespace "${t.namespace}"` : t.label;
}
function roleKey(kind, namespace, name) {
    return kind === 'ClusterRole' ? `ClusterRole\u0000${name}` : `Role\u0000${namespace}\u0000${name}`;
}
/** Every RoleBinding and ClusterRoleBinding, resolved to its role and service-account subjects. */
function bindings(index) {
    return memo(index, 'rbac:bindings', () => {
        const roles = new Map();
        for (const r of index.kind('ClusterRole'))
            roles.set(roleKey('ClusterRole', undefined, r.object.metadata.name ?? ''), r);
        for (const r of index.kind('Role'))
            roles.set(roleKey('Role', index.namespaceOf(r), r.object.metadata.name ?? ''), r);
        const out = [];
        for (const manifest of [...index.kind('ClusterRoleBinding'), ...index.kind('RoleBinding')]) {
            const ref = (0,types/* isRecord */.u4)(manifest.object.roleRef) ? manifest.object.roleRef : {};
            const roleRef = { kind: String(ref.kind ?? ''), name: String(ref.name ?? '') };
            // A ClusterRoleBinding can only refer to a ClusterRole; a Role lives in the binding's namespace.
            const invalid = manifest.object.kind === 'ClusterRoleBinding' && roleRef.kind !== 'ClusterRole';
            const role = invalid
                ? undefined
                : roles.get(roleKey(roleRef.kind, index.namespaceOf(manifest), roleRef.name));
            const subjects = (Array.isArray(manifest.object.subjects) ? manifest.object.subjects : []).flatMap((s, i) => {
                const target = (0,types/* isRecord */.u4)(s) ? subjectTarget(index, manifest, s) : undefined;
                return target ? [{ index: i, target }] : [];
            });
            out.push({ manifest, roleRef, role, grant: grantOf(roleRef, role), subjects });
        }
        return out;
    });
}
function grantOf(roleRef, role) {
    if (roleRef.kind === 'ClusterRole' && roleRef.name === 'cluster-admin')
        return { kind: 'cluster-admin' };
    const wild = role ? wildcards(role) : undefined;
    return role && wild ? { kind: 'wildcard', role, ...wild } : undefined;
}
function bindingLookup(index) {
    return memo(index, 'rbac:binding-lookup', () => {
        const byAccount = new Map();
        const byNamespace = new Map();
        const everywhere = [];
        const add = (map, key, b) => {
            const list = map.get(key) ?? [];
            if (!list.includes(b))
                list.push(b);
            map.set(key, list);
        };
        for (const b of bindings(index)) {
            for (const { target } of b.subjects) {
                if (target.kind === 'account')
                    add(byAccount, `${target.namespace}\u0000${target.name}`, b);
                else if (target.namespace !== undefined)
                    add(byNamespace, target.namespace, b);
                else if (!everywhere.includes(b))
                    everywhere.push(b);
            }
        }
        return {
            forAccount(namespace, name) {
                const found = [
                    ...(byAccount.get(`${namespace}\u0000${name}`) ?? []),
                    ...(byNamespace.get(namespace) ?? []),
                    ...everywhere,
                ];
                return [...new Set(found)];
            },
        };
    });
}
/** Workloads by the service account they run as (namespace and name), and by namespace. */
function accountUsers(index) {
    return memo(index, 'rbac:account-users', () => {
        const byAccount = new Map();
        const byNamespace = new Map();
        for (const w of workloadInfos(index)) {
            (0,collections/* pushTo */.I)(byAccount, `${w.namespace}\u0000${serviceAccountOf(w.template).name}`, w);
            (0,collections/* pushTo */.I)(byNamespace, w.namespace, w);
        }
        return { byAccount, byNamespace };
    });
}
/** Workloads that run as a service account a subject stands for. */
function workloadsReached(index, target) {
    const users = accountUsers(index);
    if (target.kind === 'account')
        return users.byAccount.get(`${target.namespace}\u0000${target.name}`) ?? [];
    if (target.namespace !== undefined)
        return users.byNamespace.get(target.namespace) ?? [];
    return workloadInfos(index);
}
const WRITE_VERBS = ['create', 'update', 'patch', '*'];
/**
 * Can something in the set write objects of a core resource (`secrets`) in a namespace at run
 * time? A role loaded in the set that grants create, update or patch on it, bound in that
 * namespace (or cluster wide) to anyone. A hook Job that generates a password Secret is the usual
 * case.
 */
function writtenAtRunTime(index, resource, namespace) {
    const namespaces = memo(index, `rbac:creators:${resource}`, () => {
        const out = new Set();
        let everywhere = false;
        for (const b of bindings(index)) {
            if (!b.role || !Array.isArray(b.manifest.object.subjects) || b.manifest.object.subjects.length === 0)
                continue;
            const grants = policyRules(b.role).some((r) => coversCoreGroup(r) &&
                (r.resources.includes(resource) || r.resources.includes('*')) &&
                r.verbs.some((v) => WRITE_VERBS.includes(v)));
            if (!grants)
                continue;
            if (b.manifest.object.kind === 'ClusterRoleBinding')
                everywhere = true;
            else
                out.add(index.namespaceOf(b.manifest));
        }
        return { out, everywhere };
    });
    return namespaces.everywhere || namespaces.out.has(namespace);
}
// --- examples for the docs ---------------------------------------------------------------------
function roleExample(kind, name, rule) {
    const meta = kind === 'Role' ? `{name: ${name}, namespace: shop}` : `{name: ${name}}`;
    return [
        'apiVersion: rbac.authorization.k8s.io/v1',
        `kind: ${kind}`,
        `metadata: ${meta}`,
        `rules: [${rule}]`,
    ].join('\n');
}
function bindingExample(kind, roleKind, role) {
    const meta = kind === 'RoleBinding' ? '{name: web, namespace: shop}' : '{name: web}';
    return [
        'apiVersion: rbac.authorization.k8s.io/v1',
        `kind: ${kind}`,
        `metadata: ${meta}`,
        `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${role}}`,
        'subjects: [{kind: ServiceAccount, name: web, namespace: shop}]',
    ].join('\n');
}
// --- the two binding rules: cluster-admin, wildcard roles ---------------------------------------
function describeGrant(index, b) {
    const grant = b.grant;
    if (!grant)
        return '';
    const scope = b.manifest.object.kind === 'RoleBinding' ? ` in namespace "${index.namespaceOf(b.manifest)}"` : '';
    if (grant.kind === 'cluster-admin')
        return `cluster-admin${scope}`;
    return `${named(grant.role)} (wildcard ${grant.fields.join(', ')})${scope}`;
}
/**
 * The cause a binding finding shares with others: what one service account (or group of them) may
 * do. Everything too powerful that reaches the same subject is one finding, listing the rest.
 */
function powerCause(targets) {
    if (targets.length !== 1)
        return undefined;
    const t = targets[0];
    const who = t.kind === 'account' ? `${t.namespace}\u0000${t.name}` : `group\u0000${t.label}`;
    return `rbac-power\u0000${who}`;
}
/**
 * A dangerous binding is reported once per service-account subject, on the subject: that is the
 * line to edit. The workloads that run as the account are named in the message, not reported
 * again on their own manifests.
 */
function* dangerousBindings(index, kind) {
    for (const b of bindings(index)) {
        if (b.grant?.kind !== kind)
            continue;
        for (const { index: i, target } of b.subjects) {
            const users = workloadsReached(index, target);
            const usedBy = users.length > 0 ? `, used by ${namedList(users.map((w) => w.manifest))}` : '';
            const key = powerCause([target]);
            yield {
                manifest: b.manifest,
                path: ['subjects', i],
                message: `${named(b.manifest)} grants ${describeGrant(index, b)} to ${describeTarget(target)}${usedBy}`,
                ...(key && { cause: { key, also: `${named(b.manifest)} grants ${describeGrant(index, b)}` } }),
            };
        }
    }
}
const BINDING_APPLIES_TO = 'RoleBindings and ClusterRoleBindings in the set, once per service-account subject (a ServiceAccount, ' +
    'a system:serviceaccount user, or a service-account group); the workloads that run as the account ' +
    'are named in the message. Human users and groups are left alone.';
const clusterAdmin = {
    meta: {
        id: 'rbac-cluster-admin-binding',
        category: 'rbac',
        severity: 'error',
        title: 'No service account is bound to cluster-admin',
        why: 'cluster-admin can do anything to any object in any namespace. Bound to a service account, ' +
            'it hands the whole cluster to anyone who breaks into one pod running as that account, or ' +
            'who can read its token.',
        fix: 'Bind a Role (or a ClusterRole through a RoleBinding) that lists only the resources and verbs ' +
            'the workload uses, in its own namespace.',
        example: {
            bad: bindingExample('ClusterRoleBinding', 'ClusterRole', 'cluster-admin'),
            good: `${roleExample('Role', 'web-config', "{apiGroups: [''], resources: [configmaps], verbs: [get, list, watch]}")}\n---\n${bindingExample('RoleBinding', 'Role', 'web-config')}`,
            line: 5,
        },
        appliesTo: BINDING_APPLIES_TO,
    },
    check: ({ index }) => dangerousBindings(index, 'cluster-admin'),
};
const wildcardBinding = {
    meta: {
        id: 'rbac-wildcard-binding',
        category: 'rbac',
        severity: 'error',
        title: 'No service account is bound to a role with wildcard verbs, resources or API groups',
        why: 'A `*` in a role grants every verb, resource or API group, including ones added later by new ' +
            'CRDs and Kubernetes versions. It is cluster-admin in all but name, and the role grows on its ' +
            'own with every upgrade.',
        fix: 'List the API groups, resources and verbs the workload needs explicitly.',
        example: {
            bad: `${roleExample('Role', 'web', "{apiGroups: ['*'], resources: ['*'], verbs: ['*']}")}\n---\n${bindingExample('RoleBinding', 'Role', 'web')}`,
            good: `${roleExample('Role', 'web', "{apiGroups: [''], resources: [configmaps], verbs: [get, list, watch]}")}\n---\n${bindingExample('RoleBinding', 'Role', 'web')}`,
            line: 10,
        },
        appliesTo: BINDING_APPLIES_TO,
    },
    check: ({ index }) => dangerousBindings(index, 'wildcard'),
};
// --- rules on what a role grants ----------------------------------------------------------------
const READ_VERBS = ['get', 'list', 'watch', '*'];
function coversCoreGroup(rule) {
    return rule.apiGroups.includes('') || rule.apiGroups.includes('*');
}
const secretsClusterWide = {
    meta: {
        id: 'rbac-secrets-cluster-wide',
        category: 'rbac',
        severity: 'warning',
        title: 'No ClusterRoleBinding grants reading Secrets in every namespace',
        why: 'get, list or watch on secrets through a ClusterRoleBinding reads every password, token and ' +
            'key in the cluster, including the service account tokens of other apps, which opens the ' +
            'way to everything they can do.',
        fix: 'Grant secret access with a RoleBinding in the namespace that holds the secret, ideally ' +
            'restricted with resourceNames.',
        example: {
            bad: `${roleExample('ClusterRole', 'web', "{apiGroups: [''], resources: [secrets], verbs: [get, list, watch]}")}\n---\n${bindingExample('ClusterRoleBinding', 'ClusterRole', 'web')}`,
            good: `${roleExample('Role', 'web', "{apiGroups: [''], resources: [secrets], resourceNames: [web-tls], verbs: [get]}")}\n---\n${bindingExample('RoleBinding', 'Role', 'web')}`,
            line: 4,
        },
        appliesTo: 'ClusterRoles bound by a ClusterRoleBinding in the set. All the roles that give one service ' +
            'account cluster-wide secret access are one finding (and one with its cluster-admin or wildcard ' +
            'binding finding).',
    },
    *check({ index }) {
        const clusterBound = new Map();
        for (const b of bindings(index)) {
            if (b.manifest.object.kind !== 'ClusterRoleBinding' || !b.role)
                continue;
            const entry = clusterBound.get(b.role) ?? { binding: b.manifest, targets: [] };
            for (const { target } of b.subjects) {
                if (!entry.targets.some((t) => describeTarget(t) === describeTarget(target)))
                    entry.targets.push(target);
            }
            clusterBound.set(b.role, entry);
        }
        for (const [role, { binding, targets }] of clusterBound) {
            const key = powerCause(targets) ?? `rbac-secrets\u0000${role.object.metadata.name ?? ''}`;
            for (const rule of policyRules(role)) {
                const secrets = rule.resources.includes('secrets') || rule.resources.includes('*');
                const verbs = rule.verbs.filter((v) => READ_VERBS.includes(v));
                if (!secrets || verbs.length === 0 || !coversCoreGroup(rule) || rule.resourceNames.length > 0)
                    continue;
                const who = targets.length === 1 ? ` to ${describeTarget(targets[0])}` : '';
                yield {
                    manifest: role,
                    path: ['rules', rule.index, 'resources'],
                    message: `${named(role)} grants ${verbs.join(', ')} on secrets in every namespace through ${named(binding)}${who}`,
                    cause: { key, also: `${named(role)} grants ${verbs.join(', ')} on secrets in every namespace` },
                };
            }
        }
    },
};
/** Verbs that let a holder raise its own privileges past what RBAC granted it. */
const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];
const escalationVerbs = {
    meta: {
        id: 'rbac-escalation-verbs',
        category: 'rbac',
        severity: 'warning',
        title: 'Roles do not grant escalate, bind or impersonate',
        why: 'escalate lets a holder edit roles to grant permissions it does not have, bind lets it bind ' +
            'any role (cluster-admin included) to itself, and impersonate lets it act as any user or ' +
            'service account. Each is a short path to cluster-admin.',
        fix: 'Remove the verb; controllers that manage RBAC should be few, reviewed, and run in their own namespace.',
        example: {
            bad: roleExample('ClusterRole', 'rbac-editor', '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [get, bind, escalate]}'),
            good: roleExample('ClusterRole', 'rbac-viewer', '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [get, list]}'),
            line: 4,
        },
        appliesTo: 'Every Role and ClusterRole in the set, bound or not.',
    },
    *check({ index }) {
        for (const role of [...index.kind('ClusterRole'), ...index.kind('Role')]) {
            for (const rule of policyRules(role)) {
                const verbs = rule.verbs.filter((v) => ESCALATION_VERBS.includes(v));
                if (verbs.length === 0)
                    continue;
                const on = rule.resources.length > 0 ? ` on ${rule.resources.join(', ')}` : '';
                yield {
                    manifest: role,
                    path: ['rules', rule.index, 'verbs'],
                    message: `${named(role)} grants ${verbs.join(', ')}${on}`,
                };
            }
        }
    },
};
const podsExec = {
    meta: {
        id: 'rbac-pods-exec',
        category: 'rbac',
        severity: 'warning',
        title: 'Roles do not grant exec or attach into pods',
        why: 'pods/exec (and pods/attach) opens a shell in any container the role reaches: its secrets, ' +
            'its service account token, its network position. A workload that can exec into others ' +
            'turns one compromised pod into many.',
        fix: 'Remove pods/exec and pods/attach; debug through logs, metrics or an ephemeral debug container granted to people, not workloads.',
        example: {
            bad: roleExample('Role', 'debugger', "{apiGroups: [''], resources: [pods, pods/exec], verbs: [get, create]}"),
            good: roleExample('Role', 'log-reader', "{apiGroups: [''], resources: [pods, pods/log], verbs: [get, list]}"),
            line: 4,
        },
        appliesTo: 'Every Role and ClusterRole in the set, bound or not, for the core API group.',
    },
    *check({ index }) {
        for (const role of [...index.kind('ClusterRole'), ...index.kind('Role')]) {
            for (const rule of policyRules(role)) {
                const sub = rule.resources.filter((r) => r === 'pods/exec' || r === 'pods/attach');
                const verbs = rule.verbs.filter((v) => v === 'create' || v === 'get' || v === '*');
                if (sub.length === 0 || verbs.length === 0 || !coversCoreGroup(rule))
                    continue;
                yield {
                    manifest: role,
                    path: ['rules', rule.index, 'resources'],
                    message: `${named(role)} grants ${verbs.join(', ')} on ${sub.join(', ')}`,
                };
            }
        }
    },
};
// --- rules on the service account a workload runs as --------------------------------------------
const defaultServiceAccount = {
    meta: {
        id: 'rbac-default-service-account',
        category: 'rbac',
        severity: 'warning',
        title: 'Workloads run as a service account of their own, not `default`',
        why: "Every pod that names no service account runs as the namespace's `default` account. Any " +
            'permission granted to it for one app is silently shared by all of them, and audit logs ' +
            'cannot tell the apps apart.',
        fix: 'Create a ServiceAccount for the app and set spec.template.spec.serviceAccountName to it.',
        example: {
            bad: exampleDeployment({ namespace: 'shop' }),
            good: exampleDeployment({ namespace: 'shop', podSpec: ['serviceAccountName: web'] }),
            line: 9,
        },
        appliesTo: "Every workload kind, Jobs and hooks included: their pods run with the account's token too.",
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            const account = serviceAccountOf(w.template);
            if (account.name !== 'default')
                continue;
            const how = account.explicit ? 'runs as' : 'names no ServiceAccount, so it runs as';
            yield {
                manifest: w.manifest,
                path: account.path,
                message: `${named(w.manifest)} ${how} the "default" ServiceAccount of namespace "${w.namespace}"`,
            };
        }
    },
};
const sharedServiceAccount = {
    meta: {
        id: 'rbac-shared-service-account',
        category: 'rbac',
        severity: 'warning',
        title: 'Each app has its own service account',
        why: 'A service account shared by several apps holds the union of their permissions, so a break-in ' +
            'to the least important one gets what the most powerful one needs. Apps are told apart by ' +
            'their app.kubernetes.io/name (or app) label, else by workload name.',
        fix: 'Give each app its own ServiceAccount and bind to it only the roles that app needs.',
        example: {
            bad: [
                exampleDeployment({ name: 'web', podSpec: ['serviceAccountName: backend'] }),
                exampleDeployment({ name: 'worker', podSpec: ['serviceAccountName: backend'] }),
            ].join('\n---\n'),
            good: [
                exampleDeployment({ name: 'web', podSpec: ['serviceAccountName: web'] }),
                exampleDeployment({ name: 'worker', podSpec: ['serviceAccountName: worker'] }),
            ].join('\n---\n'),
            line: 10,
        },
        appliesTo: 'Workloads that run as the same ServiceAccount (other than default) in one namespace, told apart by app (the app.kubernetes.io/name, app or k8s-app label, else the workload name).',
    },
    *check({ index }) {
        for (const users of accountUsers(index).byAccount.values()) {
            const account = serviceAccountOf(users[0].template).name;
            if (account === 'default')
                continue; // the default account has its own rule
            const byApp = new Map();
            for (const w of users)
                (0,collections/* pushTo */.I)(byApp, appNameOf(w), w);
            if (byApp.size < 2)
                continue;
            for (const [app, own] of byApp) {
                const others = otherApps(byApp, app);
                for (const w of own) {
                    yield {
                        manifest: w.manifest,
                        path: serviceAccountOf(w.template).path,
                        message: `${named(w.manifest)} shares ServiceAccount "${account}" with ${namedList(others.first, 3, others.total)} of another app`,
                    };
                }
            }
        }
    },
};
/** The first few workloads of the other apps (enough for a message) and how many there are. */
function otherApps(byApp, app) {
    const first = [];
    let total = 0;
    for (const list of byApp.values())
        total += list.length;
    total -= byApp.get(app)?.length ?? 0;
    for (const [other, list] of byApp) {
        if (first.length >= 3)
            break;
        if (other !== app)
            for (const w of list.slice(0, 3 - first.length))
                first.push(w.manifest);
    }
    return { first, total };
}
/** ServiceAccount objects by namespace and name. */
function serviceAccounts(index) {
    return memo(index, 'rbac:service-accounts', () => {
        const out = new Map();
        for (const sa of index.kind('ServiceAccount')) {
            out.set(`${index.namespaceOf(sa)}\u0000${sa.object.metadata.name ?? ''}`, sa);
        }
        return out;
    });
}
/**
 * Is an API token mounted into the pods? The pod spec decides when it says; otherwise the
 * ServiceAccount object does; otherwise Kubernetes mounts one.
 */
function mountsToken(index, w, account) {
    const own = w.template.spec.automountServiceAccountToken;
    if (typeof own === 'boolean')
        return own;
    const sa = serviceAccounts(index).get(`${w.namespace}\u0000${account}`);
    const fromAccount = sa?.object.automountServiceAccountToken;
    return typeof fromAccount === 'boolean' ? fromAccount : true;
}
const automountToken = {
    meta: {
        id: 'rbac-automount-token',
        category: 'rbac',
        severity: 'warning',
        title: 'Pods do not mount an API token they do not need',
        why: 'A mounted service account token is the first thing an attacker looks for after breaking ' +
            'into a container. When no RoleBinding or ClusterRoleBinding gives the account anything, ' +
            'the app does not talk to the Kubernetes API and the token is pure risk.',
        fix: 'Set automountServiceAccountToken: false in the pod spec (or on the ServiceAccount), or bind ' +
            'the role the app needs if it does use the API.',
        example: {
            bad: exampleDeployment({ podSpec: ['serviceAccountName: web'] }),
            good: exampleDeployment({
                podSpec: ['serviceAccountName: web', 'automountServiceAccountToken: false'],
            }),
            line: 9,
        },
        appliesTo: 'Every workload kind whose pods mount a token (the pod spec decides, else the ServiceAccount) for an account that no binding in the set grants anything. Bindings outside the set are not seen.',
    },
    *check({ index }) {
        const lookup = bindingLookup(index);
        for (const w of workloadInfos(index)) {
            const account = serviceAccountOf(w.template).name;
            if (!mountsToken(index, w, account))
                continue;
            if (lookup.forAccount(w.namespace, account).length > 0)
                continue;
            const path = [...w.template.specPath, 'automountServiceAccountToken'];
            yield {
                manifest: w.manifest,
                path,
                message: `${named(w.manifest)} mounts a token for ServiceAccount "${account}", which no RoleBinding or ClusterRoleBinding grants anything`,
            };
        }
    },
};
const serviceAccountMissing = {
    meta: {
        id: 'rbac-service-account-missing',
        category: 'rbac',
        severity: 'error',
        title: 'Workloads run as a ServiceAccount that exists',
        why: 'The API server refuses to create a pod whose service account does not exist: a Deployment ' +
            'with a misspelled serviceAccountName rolls out no pods at all, and says so only in its ' +
            "ReplicaSet's events.",
        fix: 'Name a ServiceAccount the set defines in the namespace, or add it.',
        example: {
            bad: `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n---\n${exampleDeployment({ podSpec: ['serviceAccountName: wbe'] })}`,
            good: `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n---\n${exampleDeployment({ podSpec: ['serviceAccountName: web'] })}`,
            line: 14,
        },
        appliesTo: 'Workloads that name a ServiceAccount other than `default`, in namespaces where the set defines ' +
            'ServiceAccounts (elsewhere the account may come from another source).',
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            const account = serviceAccountOf(w.template);
            if (!account.explicit || account.name === 'default')
                continue;
            const defined = namesIn(index, 'ServiceAccount', w.namespace);
            if (defined.size === 0 || defined.has(account.name))
                continue;
            yield {
                manifest: w.manifest,
                path: account.path,
                message: `${named(w.manifest)} runs as ServiceAccount "${account.name}", which the set does not define in namespace "${w.namespace}"${(0,suggest/* suggest */.ZA)(account.name, defined)}: no pod can be created`,
            };
        }
    },
};
const rbac_rules = [
    clusterAdmin,
    wildcardBinding,
    secretsClusterWide,
    escalationVerbs,
    podsExec,
    defaultServiceAccount,
    sharedServiceAccount,
    automountToken,
    serviceAccountMissing,
];

;// CONCATENATED MODULE: ./lib/rules/util/command.js
/**
 * Reading exec commands (probes, lifecycle hooks) the way a shell would, well enough to see
 * which programs they run and with what arguments. Not a shell: no expansion, no subshells.
 */
const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh|ksh)$/;
/**
 * The simple commands an exec `command` list runs: itself, or, for `sh -c "script"`, each
 * command of the script (split on `;`, `&&`, `||`, `|`, `&` and newlines).
 */
function simpleCommands(command) {
    if (!Array.isArray(command))
        return [];
    const argv = command.map((a) => String(a));
    if (argv.length === 0)
        return [];
    const script = shellScript(argv);
    if (script === undefined)
        return [argv.map(stripQuotes)];
    return splitScript(script);
}
/** The script of `sh -c "..."` (also `sh -ec`, `bash -lc`), or undefined for a direct exec. */
function shellScript(argv) {
    if (!SHELLS.test(argv[0]))
        return undefined;
    for (let i = 1; i < argv.length; i++) {
        if (/^-[a-z]*c[a-z]*$/.test(argv[i]))
            return argv.slice(i + 1, i + 2).join(' ');
        if (!argv[i].startsWith('-'))
            return undefined;
    }
    return undefined;
}
function splitScript(script) {
    const out = [];
    for (const part of splitOutsideQuotes(script)) {
        const words = wordsOf(part);
        if (words.length > 0)
            out.push(words);
    }
    return out;
}
/** Split a script into simple commands at separators that are not inside quotes. */
function splitOutsideQuotes(script) {
    const parts = [];
    let current = '';
    let quote;
    for (let i = 0; i < script.length; i++) {
        const ch = script[i];
        if (quote) {
            if (ch === quote)
                quote = undefined;
            current += ch;
        }
        else if (ch === '"' || ch === "'") {
            quote = ch;
            current += ch;
        }
        else if (ch === ';' || ch === '\n' || ch === '|' || ch === '&') {
            parts.push(current);
            current = '';
        }
        else
            current += ch;
    }
    parts.push(current);
    return parts;
}
function wordsOf(text) {
    const words = [];
    const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
    for (let m = re.exec(text); m; m = re.exec(text))
        words.push(m[1] ?? m[2] ?? stripQuotes(m[3]));
    // `exec psql ...`, `timeout 5 redis-cli ...`, `env X=1 curl ...`: the program is further in.
    while (words.length > 1 &&
        /^(?:exec|command|nice|nohup|env|timeout|\d+[smh]?|[A-Za-z_][A-Za-z0-9_]*=.*)$/.test(words[0])) {
        words.shift();
    }
    return words;
}
function stripQuotes(word) {
    return word.replace(/^(["'])(.*)\1$/, '$2');
}
/** The program's base name: `/usr/bin/psql` -> `psql`. */
function programName(words) {
    return (words[0] ?? '').split('/').pop() ?? '';
}
/**
 * The value of an option in any of its spellings: `-h db`, `-hdb`, `--host db`, `--host=db`.
 * Single-letter short options only take the attached form when `short` is given.
 */
function optionValue(words, short, long) {
    for (let i = 1; i < words.length; i++) {
        const w = words[i];
        if (long && (w === `--${long}` || w === `-${long}`))
            return words[i + 1];
        if (long && w.startsWith(`--${long}=`))
            return w.slice(long.length + 3);
        if (long && w.startsWith(`-${long}=`))
            return w.slice(long.length + 2);
        if (short && w === `-${short}`)
            return words[i + 1];
        if (short && w.startsWith(`-${short}`) && w.length > 2 && !w.startsWith('--'))
            return w.slice(2);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./lib/rules/lifecycle.js








/** The `lifecycle` checklist category. */
/** What Kubernetes uses when terminationGracePeriodSeconds is absent. */
const DEFAULT_GRACE_SECONDS = 30;
const SLEEP_UNITS = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
/** Seconds of one `sleep` invocation (`sleep 15`, `sleep 1m 30s`, `sleep infinity`), or undefined. */
function sleepArgs(args) {
    if (args.length === 0)
        return undefined;
    let total = 0;
    for (const arg of args) {
        if (arg === 'infinity' || arg === 'inf')
            return Number.POSITIVE_INFINITY;
        const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(arg);
        if (!m)
            return undefined; // `sleep $DRAIN_SECONDS`: not knowable here
        total += Number(m[1]) * SLEEP_UNITS[m[2]];
    }
    return total;
}
/**
 * How long a preStop hook sleeps, and where: the native `sleep.seconds` action, or `sleep N`
 * run by exec directly or inside `sh -c` (sleeps in one script add up).
 */
function preStopSleep(preStop) {
    if (!(0,types/* isRecord */.u4)(preStop))
        return undefined;
    const native = intField(recordAt(preStop, 'sleep').seconds);
    if (native !== undefined)
        return { seconds: native, path: ['sleep', 'seconds'] };
    const exec = recordAt(preStop, 'exec');
    let total = 0;
    let found = false;
    for (let words of simpleCommands(exec.command)) {
        if (programName(words) === 'busybox')
            words = words.slice(1);
        if (programName(words) !== 'sleep')
            continue;
        const seconds = sleepArgs(words.slice(1));
        if (seconds === undefined)
            continue;
        total += seconds;
        found = true;
    }
    return found ? { seconds: total, path: ['exec', 'command'] } : undefined;
}
function formatSeconds(seconds) {
    return Number.isFinite(seconds) ? `${seconds}s` : 'forever';
}
const preStopExceedsGrace = {
    meta: {
        id: 'lifecycle-prestop-exceeds-grace',
        category: 'lifecycle',
        severity: 'error',
        title: 'The preStop sleep is shorter than the termination grace period',
        why: 'The grace period counts from the start of the preStop hook. A hook that sleeps as long as the grace period (30s when unset) uses all of it: the container is killed with SIGKILL before it ever receives SIGTERM, dropping in-flight requests.',
        fix: 'Raise terminationGracePeriodSeconds above the preStop sleep plus the time the app needs to drain, or shorten the sleep.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      lifecycle:
        preStop:
          exec: {command: [sleep, "40"]}`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 60
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      lifecycle:
        preStop:
          sleep: {seconds: 10}`,
            line: 10,
        },
        appliesTo: 'Containers and init containers with a preStop sleep (the sleep action, or sleep run by exec or a shell script).',
    },
    *check(ctx) {
        for (const workload of workloads(ctx)) {
            const { manifest, template } = workload;
            const configured = intField(template.spec.terminationGracePeriodSeconds);
            const grace = configured ?? DEFAULT_GRACE_SECONDS;
            for (const container of containersOfKinds(workload, ['containers', 'initContainers'])) {
                const sleep = preStopSleep(recordAt(container.container, 'lifecycle').preStop);
                if (!sleep || sleep.seconds < grace)
                    continue;
                const graceText = configured === undefined ? `the default grace period of ${grace}s` : `a grace period of ${grace}s`;
                yield {
                    manifest,
                    path: [...container.path, 'lifecycle', 'preStop', ...sleep.path],
                    message: `${describeContainer(container)} preStop hook sleeps ${formatSeconds(sleep.seconds)}, which uses up ${graceText}`,
                };
            }
        }
    },
};
const preStopMissing = {
    meta: {
        id: 'lifecycle-prestop-missing',
        category: 'lifecycle',
        severity: 'info',
        title: 'Containers behind a Service wait for endpoints to update before stopping',
        why: 'When a pod is deleted, removing it from Service endpoints and sending SIGTERM happen at the same time. Without a short preStop pause, load balancers keep sending requests to a process that is already shutting down.',
        fix: 'Add a short preStop pause (lifecycle.preStop.sleep.seconds: 5 to 10, or exec sleep) and keep terminationGracePeriodSeconds above it plus the drain time.',
        example: {
            bad: EXAMPLE_SERVED_WEB,
            good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          lifecycle:
            preStop:
              sleep: {seconds: 10}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]`,
            line: 10,
        },
        appliesTo: 'Regular containers of long-running workloads that receive Service traffic: a Service in the set selects the pods and one of its ports (not a metrics port) lands on the container.',
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            if (!(0,workload/* isLongRunning */.uR)(w.manifest.object))
                continue;
            const traffic = serviceTraffic(index, w);
            if (traffic.size === 0)
                continue;
            for (const container of containersOfKinds(w, ['containers'])) {
                const routes = traffic.get(Number(container.path[container.path.length - 1]));
                if (!routes || (0,types/* isRecord */.u4)(recordAt(container.container, 'lifecycle').preStop))
                    continue;
                yield {
                    manifest: w.manifest,
                    path: [...container.path, 'lifecycle', 'preStop'],
                    message: `${describeContainer(container)} receives Service traffic but has no preStop hook`,
                };
            }
        }
    },
};
/**
 * The references in `holder` under a ConfigMap field and a Secret field (`configMapRef` and
 * `secretRef`, say) that name their object (in `name`, or the Secret's in `secretNameField`, as a
 * volume does) and are not optional.
 */
function* namedRefs(holder, configMapField, secretField, secretNameField = 'name') {
    for (const [field, kind, nameField] of [
        [configMapField, 'ConfigMap', 'name'],
        [secretField, 'Secret', secretNameField],
    ]) {
        const ref = recordAt(holder, field);
        const name = ref[nameField];
        if (typeof name === 'string' && ref.optional !== true)
            yield { field, nameField, kind, ref, name };
    }
}
/** Every non-optional ConfigMap and Secret reference of a pod template. */
function* configReferences(template, containers) {
    const itemKeys = (source) => Array.isArray(source.items)
        ? source.items.flatMap((i) => ((0,types/* isRecord */.u4)(i) && typeof i.key === 'string' ? [i.key] : []))
        : [];
    for (const c of containers) {
        const who = describeContainer(c);
        const env = Array.isArray(c.container.env) ? c.container.env : [];
        for (let i = 0; i < env.length; i++) {
            const e = env[i];
            const from = (0,types/* isRecord */.u4)(e) ? recordAt(e, 'valueFrom') : {};
            for (const { field, kind, ref, name } of namedRefs(from, 'configMapKeyRef', 'secretKeyRef')) {
                const keys = typeof ref.key === 'string' ? [ref.key] : [];
                const reader = `${who} (env ${(0,types/* isRecord */.u4)(e) ? String(e.name) : i})`;
                yield { kind, name, keys, path: [...c.path, 'env', i, 'valueFrom', field, 'name'], reader };
            }
        }
        const envFrom = Array.isArray(c.container.envFrom) ? c.container.envFrom : [];
        for (let i = 0; i < envFrom.length; i++) {
            for (const { field, kind, name } of namedRefs(envFrom[i], 'configMapRef', 'secretRef'))
                yield {
                    kind,
                    name,
                    keys: [],
                    path: [...c.path, 'envFrom', i, field, 'name'],
                    reader: `${who} (envFrom)`,
                };
        }
    }
    const volumes = Array.isArray(template.spec.volumes) ? template.spec.volumes : [];
    for (let i = 0; i < volumes.length; i++) {
        const v = volumes[i];
        if (!(0,types/* isRecord */.u4)(v))
            continue;
        const reader = `volume "${String(v.name)}"`;
        const base = [...template.specPath, 'volumes', i];
        for (const { field, nameField, kind, ref, name } of namedRefs(v, 'configMap', 'secret', 'secretName'))
            yield { kind, name, keys: itemKeys(ref), path: [...base, field, nameField], reader };
        const sources = recordAt(v, 'projected').sources;
        const list = Array.isArray(sources) ? sources : [];
        for (let j = 0; j < list.length; j++) {
            for (const { field, kind, ref, name } of namedRefs(list[j], 'configMap', 'secret'))
                yield {
                    kind,
                    name,
                    keys: itemKeys(ref),
                    path: [...base, 'projected', 'sources', j, field, 'name'],
                    reader,
                };
        }
    }
}
/** The keys a ConfigMap or Secret defines (data, stringData, binaryData). */
function keysOf(object) {
    return new Set(['data', 'stringData', 'binaryData'].flatMap((f) => Object.keys(recordAt(object, f))));
}
/** Every namespace has this ConfigMap, published by the control plane. */
const ALWAYS_THERE = new Set(['ConfigMap\u0000kube-root-ca.crt']);
const configReferenceMissing = {
    meta: {
        id: 'lifecycle-config-reference-missing',
        category: 'lifecycle',
        severity: 'error',
        title: 'Pods read only ConfigMaps, Secrets and keys that exist',
        why: 'A container whose env or envFrom names a ConfigMap or Secret (or a key) that is not there does ' +
            'not start (CreateContainerConfigError), and a missing volume source keeps the pod in ' +
            'ContainerCreating: the rollout stalls on a typo or a rename.',
        fix: 'Name an object (and key) the set defines, add it, or mark the reference optional: true if the app copes without it.',
        example: {
            bad: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {LOG_LEVEL: info}\n---\n${exampleDeployment().replace('          image: ghcr.io/acme/web:1.4.2', '          image: ghcr.io/acme/web:1.4.2\n          envFrom: [{configMapRef: {name: web-config}}]')}`,
            good: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {LOG_LEVEL: info}\n---\n${exampleDeployment().replace('          image: ghcr.io/acme/web:1.4.2', '          image: ghcr.io/acme/web:1.4.2\n          envFrom: [{configMapRef: {name: web}}]')}`,
            line: 18,
        },
        appliesTo: 'Non-optional env, envFrom and volume (also projected) references, in namespaces where the set ' +
            'defines objects of that kind; keys are checked on objects the set defines. Not where something ' +
            'in the set may write that kind at run time (a role that grants create, update or patch on it, ' +
            'like a hook Job that generates a password), nor Secrets that External Secrets, Sealed Secrets ' +
            'or cert-manager Certificates in the set produce.',
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            for (const ref of configReferences(w.template, w.containers)) {
                const defined = namesIn(index, ref.kind, w.namespace);
                if (defined.size === 0 || ALWAYS_THERE.has(`${ref.kind}\u0000${ref.name}`))
                    continue;
                const resource = ref.kind === 'ConfigMap' ? 'configmaps' : 'secrets';
                if (writtenAtRunTime(index, resource, w.namespace))
                    continue;
                if (ref.kind === 'Secret' && generatedSecrets(index, w.namespace).has(ref.name))
                    continue;
                const object = findNamed(index, ref.kind, w.namespace, ref.name);
                const cause = {
                    key: `config-ref\u0000${(0,types/* refKey */.XF)(w.manifest.ref)}\u0000${ref.kind}\u0000${ref.name}`,
                    also: `${ref.reader} too`,
                };
                if (!object) {
                    yield {
                        manifest: w.manifest,
                        path: ref.path,
                        message: `${ref.reader} reads ${ref.kind} "${ref.name}", which the set does not define in namespace "${w.namespace}"${(0,suggest/* suggest */.ZA)(ref.name, defined)}: the pod cannot start`,
                        cause,
                    };
                    continue;
                }
                const keys = keysOf(object.object);
                const missing = ref.keys.filter((k) => !keys.has(k));
                if (missing.length === 0)
                    continue;
                yield {
                    manifest: w.manifest,
                    path: ref.path,
                    message: `${ref.reader} reads key${missing.length === 1 ? '' : 's'} ${missing.map((k) => `"${k}"`).join(', ')} of ${ref.kind} "${ref.name}", which has no such key${(0,suggest/* suggest */.ZA)(missing[0], keys)}: the pod cannot start`,
                    cause,
                };
            }
        }
    },
};
const envDuplicate = {
    meta: {
        id: 'lifecycle-env-duplicate',
        category: 'lifecycle',
        severity: 'warning',
        title: 'Containers set each environment variable once',
        why: 'When a container lists the same variable twice, the last one wins without a word: the value ' +
            'someone just changed in the first entry has no effect, and reviews read the wrong one.',
        fix: 'Keep one entry per variable name in the container env list.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      env:
        - {name: LOG_LEVEL, value: debug}
        - {name: LOG_LEVEL, value: info}`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      env:
        - {name: LOG_LEVEL, value: info}`,
            line: 10,
        },
        appliesTo: 'The env list of every container (init and ephemeral too). A variable from envFrom that env ' +
            'sets again is an intended override and is left alone.',
    },
    *check(ctx) {
        for (const workload of workloads(ctx)) {
            for (const c of workload.containers) {
                const env = Array.isArray(c.container.env) ? c.container.env : [];
                const seen = new Set();
                for (let i = 0; i < env.length; i++) {
                    const e = env[i];
                    if (!(0,types/* isRecord */.u4)(e) || typeof e.name !== 'string')
                        continue;
                    if (!seen.has(e.name)) {
                        seen.add(e.name);
                        continue;
                    }
                    yield {
                        manifest: workload.manifest,
                        path: [...c.path, 'env', i],
                        message: `${describeContainer(c)} sets ${e.name} more than once; the last entry wins and the earlier one is ignored`,
                    };
                }
            }
        }
    },
};
const lifecycle_rules = [preStopExceedsGrace, preStopMissing, configReferenceMissing, envDuplicate];

// EXTERNAL MODULE: ./lib/load/files.js
var files = __webpack_require__(8971);
;// CONCATENATED MODULE: ./lib/rules/util/namespaces.js


/**
 * Namespace-level rules (a default-deny policy, a quota) ask something of a namespace, not of one
 * object. A chart or an overlay usually installs into a namespace that somebody else manages, so
 * they are raised at their severity only where the checked set owns the namespace: it contains
 * the Namespace object, or the config says so (`namespaces.owned`). Elsewhere, one note per
 * namespace says what was not checked.
 */
/** Does the checked set own this namespace? */
function ownsNamespace(ctx, namespace) {
    const owned = memo(ctx.index, 'namespaces:owned', () => {
        const names = new Set(ctx.index.kind('Namespace').map((n) => n.object.metadata.name ?? ''));
        const patterns = ctx.settings.ownedNamespaces.map(files/* compileGlob */.SO);
        return { names, patterns };
    });
    return owned.names.has(namespace) || owned.patterns.some((p) => p.test(namespace));
}
/** The remediation of every note about a namespace the set does not own (one text, so it merges). */
const NOT_OWNED_REMEDIATION = 'If this set manages the namespace, add its Namespace object or list it under namespaces.owned in ' +
    '.shipshape.yaml and the check applies at full severity; otherwise make sure whoever manages the ' +
    'namespace provides it.';
/**
 * A namespace-level violation: at the rule's severity (sharing `ownedCause` with related rules)
 * where the set owns the namespace; elsewhere an `info` note that merges with the other
 * namespace-level notes on the same namespace into one.
 */
function namespaceViolation(ctx, namespace, first, v) {
    if (ownsNamespace(ctx, namespace)) {
        return {
            manifest: first,
            path: v.path,
            message: v.ownedMessage,
            ...(v.ownedCause && { cause: { key: v.ownedCause, also: v.missing } }),
        };
    }
    const severity = 'info';
    return {
        manifest: first,
        path: v.path,
        severity,
        message: `namespace "${namespace}" (where ${named(first)} runs) has ${v.missing} in the checked set, which does not own the namespace (no Namespace object, not in namespaces.owned): it may be managed elsewhere`,
        remediation: NOT_OWNED_REMEDIATION,
        cause: { key: `namespace-not-owned\u0000${namespace}`, also: v.missing },
    };
}

;// CONCATENATED MODULE: ./lib/rules/network.js






/** A policy's own spec, or an empty one. */
function specOf(policy) {
    return (0,types/* isRecord */.u4)(policy.object.spec) ? policy.object.spec : {};
}
/**
 * The directions a policy governs. Without policyTypes, Kubernetes assumes Ingress, plus Egress
 * when the policy has egress rules.
 */
function policyTypes(spec) {
    if (Array.isArray(spec.policyTypes)) {
        return spec.policyTypes.filter((t) => t === 'Ingress' || t === 'Egress');
    }
    return Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}
/**
 * Does this policy deny all traffic in a direction for every pod of its namespace? That takes an
 * empty podSelector (a missing one decodes to the same), the direction among its types, and no
 * rule allowing anything in it (`ingress: [{}]` would allow everything).
 */
function deniesAll(policy, direction) {
    const spec = specOf(policy);
    if (!isEmptySelector(spec.podSelector))
        return false;
    if (!policyTypes(spec).includes(direction))
        return false;
    const allow = spec[direction === 'Ingress' ? 'ingress' : 'egress'];
    return allow === undefined || allow === null || (Array.isArray(allow) && allow.length === 0);
}
/** NetworkPolicies by their podSelector, per namespace. */
function policyIndex(index) {
    return memo(index, 'network:policies', () => {
        const policies = new SelectorIndex();
        for (const p of index.kind('NetworkPolicy')) {
            const selector = specOf(p).podSelector;
            policies.add(index.namespaceOf(p), selector ?? {}, p);
        }
        return policies;
    });
}
/**
 * Once per namespace that runs workloads, on its first workload, when no policy denies by default:
 * at the rule's severity where the checked set owns the namespace, else a note (see namespaces.ts).
 */
function* namespacesWithoutDefaultDeny(ctx, direction) {
    const { index } = ctx;
    const missing = `no default-deny ${direction.toLowerCase()} NetworkPolicy`;
    for (const [namespace, workloads] of index.workloadNamespaces()) {
        if (index.inNamespace('NetworkPolicy', namespace).some((p) => deniesAll(p, direction)))
            continue;
        const count = workloads.length === 1 ? '1 workload' : `${workloads.length} workloads`;
        yield namespaceViolation(ctx, namespace, workloads[0], {
            path: ['metadata'],
            missing,
            ownedMessage: `Namespace "${namespace}" runs ${count} (${named(workloads[0])} first) without a default-deny ${direction.toLowerCase()} NetworkPolicy`,
            ownedCause: `default-deny\u0000${namespace}`,
        });
    }
}
const NAMESPACE_APPLIES_TO = 'Each namespace that runs workloads, once. At full severity where the checked set owns the ' +
    'namespace (it holds the Namespace object, or namespaces.owned lists it); elsewhere one info note ' +
    'per namespace, shared with the other namespace-level rules.';
function policyExample(namespace, podSelector, rest) {
    const name = podSelector === '{}' ? 'default-deny' : 'allow';
    return [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        `metadata: {name: ${name}, namespace: ${namespace}}`,
        'spec:',
        `  podSelector: ${podSelector}`,
        `  ${rest}`,
    ].join('\n');
}
const defaultDenyIngress = {
    meta: {
        id: 'network-default-deny-ingress',
        category: 'network',
        severity: 'warning',
        title: 'Every namespace that runs workloads has a default-deny ingress NetworkPolicy',
        why: 'Without a default-deny policy, every pod in the cluster can connect to every pod in the ' +
            'namespace, so one compromised pod anywhere can reach your databases and internal APIs. ' +
            'A default deny makes each allowed connection an explicit, reviewed policy.',
        fix: 'Add a NetworkPolicy with an empty podSelector, policyTypes [Ingress] and no ingress rules to ' +
            'the namespace, then allow the traffic each workload needs with its own policy.',
        example: {
            bad: exampleDeployment({ namespace: 'shop' }),
            good: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{}', 'policyTypes: [Ingress, Egress]')}`,
            line: 3,
        },
        appliesTo: NAMESPACE_APPLIES_TO,
    },
    check: (ctx) => namespacesWithoutDefaultDeny(ctx, 'Ingress'),
};
const defaultDenyEgress = {
    meta: {
        id: 'network-default-deny-egress',
        category: 'network',
        severity: 'info',
        title: 'Every namespace that runs workloads has a default-deny egress NetworkPolicy',
        why: 'Denying egress by default limits what a compromised pod can reach: the cloud metadata ' +
            'endpoint, other namespaces, the internet for exfiltration. It takes more care than ingress ' +
            '(DNS must be allowed explicitly), so it is a lower-severity expectation.',
        fix: "Add Egress to the policyTypes of the namespace's default-deny policy (no egress rules), and " +
            'allow DNS and the destinations each workload needs in their own policies.',
        example: {
            bad: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{}', 'policyTypes: [Ingress]')}`,
            good: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{}', 'policyTypes: [Ingress, Egress]')}`,
            line: 3,
        },
        appliesTo: NAMESPACE_APPLIES_TO,
    },
    check: (ctx) => namespacesWithoutDefaultDeny(ctx, 'Egress'),
};
const policySelectsWorkload = {
    meta: {
        id: 'network-policy-missing',
        category: 'network',
        severity: 'warning',
        title: "Every workload's pods are selected by a NetworkPolicy in its namespace",
        why: 'A pod that no NetworkPolicy selects accepts connections from anywhere in the cluster. ' +
            'Selecting it (with the default deny, or a policy of its own that names its allowed peers) ' +
            'puts its traffic under review. Pods on the host network are not affected by policies and ' +
            'are left out.',
        fix: 'Add a NetworkPolicy in the same namespace whose podSelector matches the pod labels.',
        example: {
            bad: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{matchLabels: {app: api}}', 'ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]')}`,
            good: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{matchLabels: {app: web}}', 'ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]')}`,
            line: 3,
        },
        appliesTo: 'Workloads that keep pods running, except pods on the host network (policies do not apply to ' +
            'them). Not Jobs, CronJobs, Pods that run once, or Helm and Argo CD hooks: they serve nothing ' +
            'for long.',
    },
    *check({ index }) {
        const policies = policyIndex(index);
        for (const w of workloadInfos(index)) {
            if (w.template.spec.hostNetwork === true || !(0,workload/* isLongRunning */.uR)(w.manifest.object))
                continue;
            if (policies.selecting(w.namespace, w.template.labels).length > 0)
                continue;
            yield {
                manifest: w.manifest,
                path: ['metadata'],
                message: `${named(w.manifest)} runs pods that no NetworkPolicy in namespace "${w.namespace}" selects`,
            };
        }
    },
};
// --- references that must resolve inside the set ------------------------------------------------
/**
 * How sure a "selects nothing" finding is: where the set holds custom resources in the namespace,
 * an operator may make the pods from them, so the finding is a note that says so.
 */
function selectsNothing(index, manifest, path, what) {
    const namespace = index.namespaceOf(manifest);
    if (!customResourceNamespaces(index).has(namespace)) {
        return { manifest, path, message: `${named(manifest)} ${what} in namespace "${namespace}"` };
    }
    return {
        manifest,
        path,
        severity: 'info',
        message: `${named(manifest)} ${what} in namespace "${namespace}"; the set holds custom resources there, whose operators may make the pods`,
    };
}
function serviceExample(selector, extra = '') {
    return [
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: web}',
        'spec:',
        `  selector: ${selector}`,
        `  ports: [{name: http, port: 80, targetPort: 8080}]${extra}`,
    ].join('\n');
}
const serviceSelectsNothing = {
    meta: {
        id: 'network-service-selects-nothing',
        category: 'network',
        severity: 'warning',
        title: 'Services select the pods of some workload in the set',
        why: 'A Service whose selector matches no pod has no endpoints: every connection to it is refused ' +
            'or times out. It usually follows a renamed label on the workload, or a Service in the wrong ' +
            'namespace.',
        fix: "Make spec.selector match the pod template labels of the workload, in the workload's namespace.",
        example: {
            bad: `${exampleDeployment()}\n---\n${serviceExample('{app: web-v1}')}`,
            good: `${exampleDeployment()}\n---\n${serviceExample('{app: web}')}`,
            line: 18,
        },
        appliesTo: 'Services with a selector (not ExternalName Services, nor Services whose endpoints are managed ' +
            'by hand). Where the set holds custom resources in the namespace, an info note: an operator ' +
            'may make the pods.',
    },
    *check({ index }) {
        const pods = podLabelIndex(index);
        for (const service of index.kind('Service')) {
            const spec = specOf(service);
            if (spec.type === 'ExternalName')
                continue;
            if (!(0,types/* isRecord */.u4)(spec.selector) || Object.keys(spec.selector).length === 0)
                continue;
            if (pods.selectedBy(index.namespaceOf(service), spec.selector).length > 0)
                continue;
            yield selectsNothing(index, service, ['spec', 'selector'], 'selects no pods of a workload in the set');
        }
    },
};
const networkPolicySelectsNothing = {
    meta: {
        id: 'network-policy-selects-nothing',
        category: 'network',
        severity: 'warning',
        title: 'NetworkPolicies select the pods of some workload in the set',
        why: 'A NetworkPolicy whose podSelector matches no pod protects nothing, silently: the workload it ' +
            'was written for stays open (or stays cut off from what the policy would allow) while ' +
            'everybody believes otherwise.',
        fix: "Make spec.podSelector match the pod template labels of the workload, in the workload's namespace.",
        example: {
            bad: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{matchLabels: {app: web-v1}}', 'ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]')}`,
            good: `${exampleDeployment({ namespace: 'shop' })}\n---\n${policyExample('shop', '{matchLabels: {app: web}}', 'ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]')}`,
            line: 18,
        },
        appliesTo: 'NetworkPolicies whose podSelector is not empty, in namespaces where the set runs workloads. ' +
            'Where the set holds custom resources in the namespace, an info note.',
    },
    *check({ index }) {
        const pods = podLabelIndex(index);
        const running = new Set(pods.namespaces());
        for (const policy of index.kind('NetworkPolicy')) {
            const selector = specOf(policy).podSelector;
            const namespace = index.namespaceOf(policy);
            if (isEmptySelector(selector) || !running.has(namespace))
                continue;
            if (pods.selectedBy(namespace, selector).length > 0)
                continue;
            yield selectsNothing(index, policy, ['spec', 'podSelector'], 'selects no pods of a workload in the set');
        }
    },
};
/** A Service port as a backend names it: by number (`port`) or by name. */
function servicePortExists(service, port) {
    if (port === undefined || port === null)
        return true;
    const ports = Array.isArray(specOf(service).ports)
        ? specOf(service).ports.filter(types/* isRecord */.u4)
        : [];
    return ports.some((p) => String(p.port) === String(port) || (typeof port === 'string' && p.name === port));
}
/** The Service backends an Ingress (networking.k8s.io/v1, or the old serviceName form) names. */
function ingressBackends(index, ingress) {
    const namespace = index.namespaceOf(ingress);
    const out = [];
    const add = (backend, path, serves) => {
        if (!(0,types/* isRecord */.u4)(backend))
            return;
        if ((0,types/* isRecord */.u4)(backend.service) && typeof backend.service.name === 'string') {
            const port = (0,types/* isRecord */.u4)(backend.service.port)
                ? (backend.service.port.number ?? backend.service.port.name)
                : undefined;
            const at = [...path, 'service'];
            out.push({ path: at, portPath: [...at, 'port'], namespace, name: backend.service.name, port, serves });
        }
        else if (typeof backend.serviceName === 'string') {
            const portPath = [...path, 'servicePort'];
            out.push({ path, portPath, namespace, name: backend.serviceName, port: backend.servicePort, serves });
        }
    };
    const spec = specOf(ingress);
    add(spec.defaultBackend ?? spec.backend, ['spec', spec.defaultBackend ? 'defaultBackend' : 'backend'], 'by default');
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule, i) => {
        if (!(0,types/* isRecord */.u4)(rule) || !(0,types/* isRecord */.u4)(rule.http) || !Array.isArray(rule.http.paths))
            return;
        const host = typeof rule.host === 'string' ? rule.host : '';
        rule.http.paths.forEach((p, j) => {
            if (!(0,types/* isRecord */.u4)(p))
                return;
            const serves = `${host}${typeof p.path === 'string' ? p.path : '/'}`;
            add(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend'], serves);
        });
    });
    return out;
}
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];
/** The Service backendRefs of a Gateway API route. */
function routeBackends(index, route) {
    const out = [];
    const rules = specOf(route).rules;
    (Array.isArray(rules) ? rules : []).forEach((rule, i) => {
        if (!(0,types/* isRecord */.u4)(rule) || !Array.isArray(rule.backendRefs))
            return;
        rule.backendRefs.forEach((ref, j) => {
            if (!(0,types/* isRecord */.u4)(ref) || typeof ref.name !== 'string')
                return;
            if ((ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '')
                return;
            const namespace = typeof ref.namespace === 'string' ? ref.namespace : index.namespaceOf(route);
            out.push({
                path: ['spec', 'rules', i, 'backendRefs', j],
                portPath: ['spec', 'rules', i, 'backendRefs', j, 'port'],
                namespace,
                name: ref.name,
                port: ref.port,
                serves: `rule ${i + 1}`,
            });
        });
    });
    return out;
}
function ingressExample(service, port) {
    return [
        'apiVersion: networking.k8s.io/v1',
        'kind: Ingress',
        'metadata: {name: web}',
        'spec:',
        '  rules:',
        '    - host: shop.example.com',
        '      http:',
        '        paths:',
        `          - {path: /, pathType: Prefix, backend: {service: {name: ${service}, port: {${port}}}}}`,
    ].join('\n');
}
const backendMissing = {
    meta: {
        id: 'network-backend-missing',
        category: 'network',
        severity: 'error',
        title: 'Ingresses and Gateway API routes send traffic to a Service and port that exist',
        why: 'A backend that names a Service or port that is not there answers every request with an error ' +
            '(a 503 from the ingress controller, or a route the Gateway marks unresolved): the path is down ' +
            'from the first request.',
        fix: 'Name a Service the set defines in that namespace, and one of its ports (by number or by name).',
        example: {
            bad: `${serviceExample('{app: web}')}\n---\n${ingressExample('web', 'number: 8080')}`,
            good: `${serviceExample('{app: web}')}\n---\n${ingressExample('web', 'name: http')}`,
            line: 16,
        },
        appliesTo: 'Ingress backends and the Service backendRefs of HTTPRoute, GRPCRoute, TCPRoute, TLSRoute and ' +
            'UDPRoute, in namespaces where the set defines Services (elsewhere the Service may come from ' +
            'another source).',
    },
    *check({ index }) {
        const sources = [
            ...index.kind('Ingress').map((m) => ({ m, backends: ingressBackends(index, m) })),
            ...ROUTE_KINDS.flatMap((k) => index.kind(k)).map((m) => ({ m, backends: routeBackends(index, m) })),
        ];
        for (const { m, backends } of sources) {
            for (const b of backends) {
                const defined = namesIn(index, 'Service', b.namespace);
                if (defined.size === 0)
                    continue;
                const service = findNamed(index, 'Service', b.namespace, b.name);
                if (!service) {
                    yield {
                        manifest: m,
                        path: b.path,
                        message: `${named(m)} sends ${b.serves} to Service "${b.name}", which the set does not define in namespace "${b.namespace}"${(0,suggest/* suggest */.ZA)(b.name, defined)}`,
                    };
                }
                else if (!servicePortExists(service, b.port)) {
                    yield {
                        manifest: m,
                        path: b.portPath,
                        message: `${named(m)} sends ${b.serves} to port ${String(b.port)} of Service "${b.name}", which has no such port`,
                    };
                }
            }
        }
    },
};
const statefulSetService = {
    meta: {
        id: 'network-statefulset-service',
        category: 'network',
        severity: 'warning',
        title: 'StatefulSets name a headless Service that selects their pods',
        why: "A StatefulSet's pods get stable DNS names (db-0.db) only through the headless Service named " +
            'by spec.serviceName. Without it, or with a Service that has a cluster IP, peers cannot find ' +
            'each other by name and replication or leader election breaks.',
        fix: 'Set spec.serviceName to a Service with clusterIP: None whose selector matches the pod labels.',
        example: {
            bad: [
                'apiVersion: apps/v1',
                'kind: StatefulSet',
                'metadata: {name: db}',
                'spec:',
                '  serviceName: db',
                '  selector: {matchLabels: {app: db}}',
                '  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: ghcr.io/acme/db:1.4.2}]}}',
                '---',
                'apiVersion: v1',
                'kind: Service',
                'metadata: {name: db}',
                'spec: {selector: {app: db}, ports: [{port: 5432}]}',
            ].join('\n'),
            good: [
                'apiVersion: apps/v1',
                'kind: StatefulSet',
                'metadata: {name: db}',
                'spec:',
                '  serviceName: db',
                '  selector: {matchLabels: {app: db}}',
                '  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: ghcr.io/acme/db:1.4.2}]}}',
                '---',
                'apiVersion: v1',
                'kind: Service',
                'metadata: {name: db}',
                'spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}',
            ].join('\n'),
            line: 5,
        },
        appliesTo: 'StatefulSets. A serviceName the set does not define is reported only where the set defines ' +
            'Services in that namespace (elsewhere it may come from another source). A missing Service ' +
            'is a note for a single replica, which has no peers to find by name.',
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            if (w.manifest.object.kind !== 'StatefulSet')
                continue;
            const spec = specOf(w.manifest);
            const name = typeof spec.serviceName === 'string' ? spec.serviceName : '';
            const at = ['spec', 'serviceName'];
            // Without the Service the pods still run; only peers that address each other by name break.
            // With one replica there are no peers, so a missing Service is a note.
            const replicas = (0,workload/* replicasOf */.N4)(w.manifest.object) ?? 1;
            // The message does not depend on the replica count, so that targets of one chart with different
            // values (dev with one replica, prod with three) report the same finding on the same line.
            const missing = (text) => ({
                manifest: w.manifest,
                path: at,
                message: `${text}: its pods get no stable DNS names, which replicas that find each other by name need`,
                ...(replicas < 2 && { severity: 'info' }),
            });
            if (name === '') {
                yield missing(`${named(w.manifest)} names no governing Service (spec.serviceName)`);
                continue;
            }
            const service = findNamed(index, 'Service', w.namespace, name);
            if (!service) {
                const defined = namesIn(index, 'Service', w.namespace);
                if (defined.size === 0)
                    continue;
                yield missing(`${named(w.manifest)} names Service "${name}", which the set does not define in namespace "${w.namespace}"${(0,suggest/* suggest */.ZA)(name, defined)}`);
                continue;
            }
            const serviceSpec = specOf(service);
            if (serviceSpec.clusterIP !== 'None') {
                yield {
                    manifest: w.manifest,
                    path: at,
                    message: `${named(w.manifest)} names Service "${name}", which is not headless (clusterIP: None): its pods get no stable DNS names`,
                };
            }
            else if ((0,types/* isRecord */.u4)(serviceSpec.selector) && !(0,workload/* selects */.ko)(serviceSpec.selector, w.template.labels)) {
                yield {
                    manifest: w.manifest,
                    path: at,
                    message: `${named(w.manifest)} names Service "${name}", whose selector does not match its pods`,
                };
            }
        }
    },
};
const network_rules = [
    defaultDenyIngress,
    defaultDenyEgress,
    policySelectsWorkload,
    serviceSelectsNothing,
    networkPolicySelectsNothing,
    backendMissing,
    statefulSetService,
];

;// CONCATENATED MODULE: ./lib/rules/observability.js




/**
 * The `observability` checklist category: every long-running workload exposes metrics that
 * something scrapes. Scraping is recognised the ways Prometheus setups actually do it: scrape
 * annotations (on the pods or on a Service in front of them), Prometheus Operator ServiceMonitors
 * and PodMonitors, or a container port named for metrics.
 */
const SCRAPE_ANNOTATION = 'prometheus.io/scrape';
const MONITORING_GROUP = 'monitoring.coreos.com/';
function observability_specOf(m) {
    return (0,types/* isRecord */.u4)(m.object.spec) ? m.object.spec : {};
}
function wantsScrape(annotations) {
    return (0,types/* isRecord */.u4)(annotations) && String(annotations[SCRAPE_ANNOTATION]).toLowerCase() === 'true';
}
function isMonitor(m) {
    return m.object.apiVersion.startsWith(MONITORING_GROUP);
}
/**
 * The namespaces a ServiceMonitor or PodMonitor looks in: `any: true` (every namespace loaded),
 * `matchNames`, or by default its own namespace.
 */
function monitoredNamespaces(index, monitor, all) {
    const ns = observability_specOf(monitor).namespaceSelector;
    if ((0,types/* isRecord */.u4)(ns) && ns.any === true)
        return all();
    if ((0,types/* isRecord */.u4)(ns) && Array.isArray(ns.matchNames) && ns.matchNames.length > 0)
        return ns.matchNames.map(String);
    return [index.namespaceOf(monitor)];
}
function describeNamespaces(index, monitor) {
    const ns = observability_specOf(monitor).namespaceSelector;
    if ((0,types/* isRecord */.u4)(ns) && ns.any === true)
        return 'in any namespace';
    const names = monitoredNamespaces(index, monitor, () => []);
    return names.length === 1
        ? `in namespace "${names[0]}"`
        : `in namespaces ${names.map((n) => `"${n}"`).join(', ')}`;
}
function listOf(value) {
    return Array.isArray(value) ? value.filter(types/* isRecord */.u4) : [];
}
// --- Services and ServiceMonitors ---------------------------------------------------------------
/** Services by their own labels, for ServiceMonitors to select. */
function servicesByLabels(index) {
    return memo(index, 'observability:service-labels', () => {
        const services = new LabelIndex();
        for (const s of index.kind('Service')) {
            const labels = s.object.metadata.labels;
            services.add(index.namespaceOf(s), (0,types/* isRecord */.u4)(labels) ? labels : {}, s);
        }
        return services;
    });
}
/**
 * Does one of a ServiceMonitor's endpoints scrape one of this Service's ports? `port` names a
 * Service port; the older `targetPort` names or numbers the port behind it. An endpoint naming
 * neither scrapes whatever the Service exposes.
 */
function endpointMatches(endpoint, service) {
    const ports = listOf(observability_specOf(service).ports);
    if (typeof endpoint.port === 'string')
        return ports.some((p) => p.name === endpoint.port);
    if (endpoint.targetPort !== undefined) {
        return ports.some((p) => String(p.targetPort ?? p.port) === String(endpoint.targetPort));
    }
    return ports.length > 0;
}
/** For each ServiceMonitor, the Services it selects and those whose ports it scrapes. */
function serviceMonitorReach(index) {
    return memo(index, 'observability:service-monitors', () => {
        const labels = servicesByLabels(index);
        const out = new Map();
        for (const sm of index.kind('ServiceMonitor')) {
            if (!isMonitor(sm))
                continue;
            const spec = observability_specOf(sm);
            const endpoints = listOf(spec.endpoints);
            const selected = monitoredNamespaces(index, sm, () => labels.namespaces()).flatMap((ns) => labels.selectedBy(ns, spec.selector));
            const scraped = selected.filter((s) => endpoints.some((e) => endpointMatches(e, s)));
            out.set(sm, { selected, scraped });
        }
        return out;
    });
}
/** Services that some ServiceMonitor scrapes. */
function scrapedServices(index) {
    return memo(index, 'observability:scraped-services', () => {
        const out = new Set();
        for (const reach of serviceMonitorReach(index).values())
            for (const s of reach.scraped)
                out.add(s);
        return out;
    });
}
// --- PodMonitors --------------------------------------------------------------------------------
/** PodMonitors by selector, per namespace they watch; `any: true` ones under every namespace. */
function podMonitorIndex(index) {
    return memo(index, 'observability:pod-monitors', () => {
        const byNamespace = new SelectorIndex();
        const anywhere = new SelectorIndex();
        for (const pm of index.kind('PodMonitor')) {
            if (!isMonitor(pm))
                continue;
            const spec = observability_specOf(pm);
            const ns = spec.namespaceSelector;
            if ((0,types/* isRecord */.u4)(ns) && ns.any === true)
                anywhere.add('*', spec.selector, pm);
            else
                for (const n of monitoredNamespaces(index, pm, () => []))
                    byNamespace.add(n, spec.selector, pm);
        }
        return { byNamespace, anywhere };
    });
}
/** Does one of a PodMonitor's endpoints name a port this workload's containers have? */
function podMonitorScrapes(pm, w) {
    const ports = containersOfKinds(w, ['containers', 'initContainers']).flatMap((c) => listOf(c.container.ports));
    return listOf(observability_specOf(pm).podMetricsEndpoints).some((e) => {
        if (typeof e.port === 'string')
            return ports.some((p) => p.name === e.port);
        if (e.portNumber !== undefined)
            return ports.some((p) => p.containerPort === e.portNumber);
        if (e.targetPort !== undefined) {
            return ports.some((p) => String(p.name) === String(e.targetPort) || p.containerPort === e.targetPort);
        }
        return true;
    });
}
// --- rules --------------------------------------------------------------------------------------
/** How this workload's metrics get scraped, or undefined when nothing scrapes them. */
function scrapedBy(index, w) {
    if (wantsScrape(w.template.annotations))
        return 'scrape annotation';
    const containers = containersOfKinds(w, ['containers', 'initContainers']);
    if (containers.some((c) => listOf(c.container.ports).some((p) => METRICS_PORT_NAME.test(String(p.name ?? ''))))) {
        return 'metrics port';
    }
    const scraped = scrapedServices(index);
    for (const service of servicesByPodSelector(index).selecting(w.namespace, w.template.labels)) {
        if (wantsScrape(service.object.metadata.annotations) || scraped.has(service))
            return named(service);
    }
    const pms = podMonitorIndex(index);
    const monitors = [
        ...pms.byNamespace.selecting(w.namespace, w.template.labels),
        ...pms.anywhere.selecting('*', w.template.labels),
    ];
    return monitors.find((pm) => podMonitorScrapes(pm, w)) ? 'PodMonitor' : undefined;
}
const observability_serviceExample = [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: web, labels: {app: web}}',
    'spec:',
    '  selector: {app: web}',
    '  ports: [{name: http, port: 80, targetPort: 8080}, {name: http-metrics, port: 9090}]',
].join('\n');
function serviceMonitorExample(port) {
    return [
        'apiVersion: monitoring.coreos.com/v1',
        'kind: ServiceMonitor',
        'metadata: {name: web}',
        'spec:',
        '  selector: {matchLabels: {app: web}}',
        `  endpoints: [{port: ${port}}]`,
    ].join('\n');
}
const metricsExposed = {
    meta: {
        id: 'observability-metrics',
        category: 'observability',
        severity: 'warning',
        title: 'Long-running workloads expose metrics that something scrapes',
        why: 'Without metrics, the first sign of saturation, error spikes or a slow dependency is a user ' +
            'complaint, and the 2 AM debugging starts blind. shipshape looks for a prometheus.io/scrape ' +
            'annotation on the pods or on a Service in front of them, a ServiceMonitor or PodMonitor ' +
            'that reaches the pods, or a container port named for metrics. Jobs and CronJobs are left out.',
        fix: 'Expose a metrics port (name it `metrics`) and scrape it: annotate the pod template with ' +
            'prometheus.io/scrape: "true", or add a ServiceMonitor or PodMonitor that selects the pods.',
        example: {
            bad: exampleDeployment({ ports: '[{name: http, containerPort: 8080}]' }),
            good: exampleDeployment({
                podMetadata: ['annotations: {prometheus.io/scrape: "true", prometheus.io/port: "9090"}'],
                ports: '[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]',
            }),
            line: 7,
        },
        appliesTo: 'Workloads that keep pods running: Deployments, StatefulSets, DaemonSets, ReplicaSets and bare ' +
            'Pods that restart. Not Jobs and CronJobs, nor Pods that run once or are Helm or Argo CD hooks.',
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            if (!(0,workload/* isLongRunning */.uR)(w.manifest.object))
                continue;
            if (scrapedBy(index, w))
                continue;
            yield {
                manifest: w.manifest,
                path: [...w.template.metaPath, 'annotations'],
                message: `${named(w.manifest)} exposes no metrics: no scrape annotation, metrics port, ServiceMonitor or PodMonitor reaches its pods`,
            };
        }
    },
};
const monitorSelectsNothing = {
    meta: {
        id: 'observability-monitor-selects-nothing',
        category: 'observability',
        severity: 'warning',
        title: 'ServiceMonitors and PodMonitors select something to scrape',
        why: 'A monitor that selects nothing scrapes nothing, silently: the dashboards stay empty and the ' +
            'alerts never fire, while everybody believes the service is watched. It usually follows a ' +
            'renamed label or port, or a monitor in the wrong namespace.',
        fix: 'Make spec.selector match the labels of the Service (ServiceMonitor) or the pods (PodMonitor), ' +
            'spec.namespaceSelector name their namespace, and each endpoint port name a port they have.',
        example: {
            bad: `${observability_serviceExample}\n---\n${serviceMonitorExample('metrics')}`,
            good: `${observability_serviceExample}\n---\n${serviceMonitorExample('http-metrics')}`,
            line: 13,
        },
        appliesTo: 'Prometheus Operator ServiceMonitors and PodMonitors (monitoring.coreos.com).',
    },
    *check({ index }) {
        for (const [sm, reach] of serviceMonitorReach(index)) {
            const v = serviceMonitorProblem(index, sm, reach);
            if (v)
                yield v;
        }
        const pods = podLabelIndex(index);
        for (const pm of index.kind('PodMonitor')) {
            if (!isMonitor(pm))
                continue;
            const selector = observability_specOf(pm).selector;
            const namespaces = monitoredNamespaces(index, pm, () => pods.namespaces());
            if (namespaces.some((ns) => pods.selectedBy(ns, selector).length > 0))
                continue;
            yield {
                manifest: pm,
                path: ['spec', 'selector'],
                message: `${named(pm)} selects no pods ${describeNamespaces(index, pm)}`,
            };
        }
    },
};
function serviceMonitorProblem(index, sm, reach) {
    if (reach.selected.length === 0) {
        return {
            manifest: sm,
            path: ['spec', 'selector'],
            message: `${named(sm)} selects no Service ${describeNamespaces(index, sm)}`,
        };
    }
    if (reach.scraped.length > 0)
        return undefined;
    const endpoints = listOf(observability_specOf(sm).endpoints);
    const portNames = endpoints.map((e) => e.port).filter((p) => typeof p === 'string');
    const wanted = portNames.length > 0 ? `a port named ${portNames.map((p) => `"${p}"`).join(' or ')}` : 'a matching port';
    return {
        manifest: sm,
        path: endpoints.length > 0 ? ['spec', 'endpoints', 0, 'port'] : ['spec', 'endpoints'],
        message: `${named(sm)} selects ${namedList(reach.selected)}, but none has ${wanted}`,
    };
}
const observability_rules = [metricsExposed, monitorSelectsNothing];

;// CONCATENATED MODULE: ./lib/rules/probes.js





/** The `probes` checklist category. */
const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'];
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
/**
 * Regular containers of workloads that keep pods running. Jobs and CronJobs run to completion,
 * and so does a bare Pod whose restartPolicy is Never or OnFailure, or that is a Helm or Argo CD
 * hook.
 */
function* longRunningContainers(ctx) {
    for (const wc of workloadContainers(ctx, ['containers'])) {
        if ((0,workload/* isLongRunning */.uR)(wc.manifest.object))
            yield wc;
    }
}
function probeOf(wc, field) {
    const probe = wc.container.container[field];
    return (0,types/* isRecord */.u4)(probe) ? probe : undefined;
}
function missingProbe(field, label) {
    return function* (ctx) {
        for (const wc of longRunningContainers(ctx)) {
            if (probeOf(wc, field))
                continue;
            yield {
                manifest: wc.manifest,
                path: [...wc.container.path, field],
                message: `${describeContainer(wc.container)} has no ${label} probe`,
            };
        }
    };
}
const readinessMissing = {
    meta: {
        id: 'probes-readiness-missing',
        category: 'probes',
        severity: 'error',
        title: 'Serving containers have a readiness probe',
        why: 'Without a readiness probe a pod receives traffic the moment its process starts, before it can answer, and keeps receiving it while it is overloaded or shutting down.',
        fix: 'Add a readinessProbe that answers only when the container can serve requests (an HTTP endpoint such as /healthz/ready).',
        example: {
            bad: EXAMPLE_SERVED_WEB,
            good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /healthz/ready, port: http}
            periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]`,
            line: 10,
        },
        appliesTo: 'Regular containers that receive Service traffic: a Service in the set selects the pods and one ' +
            'of its ports (not a metrics port) lands on the container. Sidecars and workers that no Service ' +
            'reaches, controllers that only serve metrics, and run-to-completion work are left alone.',
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            if (!(0,workload/* isLongRunning */.uR)(w.manifest.object))
                continue;
            const traffic = serviceTraffic(index, w);
            if (traffic.size === 0)
                continue;
            for (const c of containersOfKinds(w, ['containers'])) {
                const routes = traffic.get(Number(c.path[c.path.length - 1]));
                if (!routes || (0,types/* isRecord */.u4)(c.container.readinessProbe))
                    continue;
                yield {
                    manifest: w.manifest,
                    path: [...c.path, 'readinessProbe'],
                    message: `${describeContainer(c)} receives traffic from ${describeRoutes(routes)} but has no readiness probe`,
                };
            }
        }
    },
};
/** `Service "web" (ports http, grpc)`, and how many more Services. */
function describeRoutes(routes) {
    const first = routes[0].service;
    const ports = [...new Set(routes.filter((r) => r.service === first).map((r) => r.port))];
    const others = new Set(routes.map((r) => r.service));
    others.delete(first);
    const more = others.size === 0 ? '' : ` and ${others.size} more Service${others.size === 1 ? '' : 's'}`;
    return `${named(first)} (port${ports.length === 1 ? '' : 's'} ${ports.join(', ')})${more}`;
}
const livenessMissing = {
    meta: {
        id: 'probes-liveness-missing',
        category: 'probes',
        severity: 'warning',
        title: 'Serving containers have a liveness probe',
        why: 'A process that deadlocks without exiting keeps its pod Running forever; a liveness probe lets the kubelet restart it.',
        fix: 'Add a livenessProbe that checks only the process itself (an endpoint that does not call databases or other services).',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      readinessProbe: {httpGet: {path: /healthz/ready, port: 8080}}`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      readinessProbe: {httpGet: {path: /healthz/ready, port: 8080}}
      livenessProbe: {httpGet: {path: /healthz/live, port: 8080}, periodSeconds: 20}`,
            line: 6,
        },
        appliesTo: 'Regular containers of workloads that keep pods running. Not Jobs, CronJobs, Pods that run once, or Helm and Argo CD hooks; not init or ephemeral containers.',
    },
    check: missingProbe('livenessProbe', 'liveness'),
};
/** A liveness delay this long means a slow starter, which a startupProbe protects better. */
const SLOW_START_SECONDS = 60;
const startupMissing = {
    meta: {
        id: 'probes-startup-missing',
        category: 'probes',
        severity: 'warning',
        title: 'Slow starters use a startup probe, not a long liveness delay',
        why: 'A long initialDelaySeconds on the liveness probe leaves a hung container undetected for that long on every restart, and is still too short on a bad day. A startupProbe holds liveness off exactly until the app has started.',
        fix: 'Add a startupProbe (failureThreshold x periodSeconds covering the slowest start) and drop the liveness initialDelaySeconds.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      livenessProbe:
        httpGet: {path: /healthz/live, port: 8080}
        initialDelaySeconds: 120`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      startupProbe:
        httpGet: {path: /healthz/live, port: 8080}
        periodSeconds: 10
        failureThreshold: 30
      livenessProbe:
        httpGet: {path: /healthz/live, port: 8080}`,
            line: 10,
        },
        appliesTo: 'Containers and init containers whose liveness probe waits 60 seconds or more and that have no startup probe.',
    },
    *check(ctx) {
        for (const wc of workloadContainers(ctx, ['containers', 'initContainers'])) {
            const liveness = probeOf(wc, 'livenessProbe');
            if (!liveness || probeOf(wc, 'startupProbe'))
                continue;
            const delay = intField(liveness.initialDelaySeconds);
            if (delay === undefined || delay < SLOW_START_SECONDS)
                continue;
            yield {
                manifest: wc.manifest,
                path: [...wc.container.path, 'livenessProbe', 'initialDelaySeconds'],
                message: `${describeContainer(wc.container)} delays its liveness probe by ${delay}s and has no startup probe`,
            };
        }
    },
};
// ---- liveness that depends on other services --------------------------------------------
/** Hosts that are the pod itself. Anything else (a Service name, an env var for one) is another service. */
function isLocalHost(host) {
    const h = host.toLowerCase().replace(/^\[|\]$/g, '');
    return (h === '' ||
        h === 'localhost' ||
        h === '::1' ||
        h === '0.0.0.0' ||
        h.startsWith('127.') ||
        h.startsWith('/') || // a unix socket path
        /^\$\{?(hostname|pod_ip|my_pod_ip|host_ip)\}?$/i.test(h) ||
        h.startsWith('$(hostname'));
}
/** The host of `scheme://user:pass@host:port/path` or `host:port/path`. */
function hostOfUrl(text) {
    const rest = text.includes('://') ? text.slice(text.indexOf('://') + 3) : text;
    const authority = rest.split(/[/?#]/)[0];
    const hostPort = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
    if (hostPort.startsWith('['))
        return hostPort.slice(0, hostPort.indexOf(']') + 1);
    return hostPort.split(',')[0].split(':')[0];
}
/** Database and queue clients, and how each names the server it talks to. */
const CLIENT_HOST_OPTIONS = {
    psql: { short: 'h', long: 'host' },
    pg_isready: { short: 'h', long: 'host' },
    mysql: { short: 'h', long: 'host' },
    mysqladmin: { short: 'h', long: 'host' },
    mariadb: { short: 'h', long: 'host' },
    'mariadb-admin': { short: 'h', long: 'host' },
    'redis-cli': { short: 'h' },
    'valkey-cli': { short: 'h' },
    mongo: { long: 'host' },
    mongosh: { long: 'host' },
    'clickhouse-client': { long: 'host' },
    cqlsh: { positional: true },
    grpc_health_probe: { long: 'addr' },
    etcdctl: { long: 'endpoints' },
};
const HTTP_CLIENTS = new Set(['curl', 'wget', 'http', 'httpie']);
const PORT_CHECKERS = new Set(['nc', 'ncat', 'netcat']);
/** `nc [options] host port`: the host is the word before the port. */
function netcatHost(words) {
    const operands = words.slice(1).filter((w) => !w.startsWith('-'));
    if (operands.length < 2 || !/^\d+$/.test(operands[operands.length - 1]))
        return undefined;
    return operands[operands.length - 2];
}
/** The other host an exec command reaches, with the program that reaches it, if any. */
function remoteCall(command) {
    for (const words of simpleCommands(command)) {
        const program = programName(words);
        const options = CLIENT_HOST_OPTIONS[program];
        if (options) {
            const value = optionValue(words, options.short, options.long);
            const url = words.slice(1).find((w) => /^[a-z][a-z0-9+.-]*:\/\//i.test(w));
            // libpq connection strings: psql "host=orders-db dbname=orders"
            const conninfo = words
                .slice(1)
                .map((w) => /(?:^|\s)host=(\S+)/.exec(w)?.[1])
                .find(Boolean);
            // cqlsh HOST [PORT]
            const positional = options.positional && words.length > 1 && !words[1].startsWith('-') ? words[1] : undefined;
            const host = value !== undefined
                ? hostOfUrl(value)
                : url !== undefined
                    ? hostOfUrl(url)
                    : (conninfo ?? positional);
            if (host !== undefined && !isLocalHost(host))
                return { program, host };
        }
        else if (PORT_CHECKERS.has(program)) {
            const host = netcatHost(words);
            if (host !== undefined && !isLocalHost(host))
                return { program, host };
        }
        else if (HTTP_CLIENTS.has(program)) {
            const target = words.slice(1).find((w) => w.includes('://')) ?? words.slice(1).find(looksLikeHostPath);
            if (target !== undefined) {
                const host = hostOfUrl(target);
                if (!isLocalHost(host))
                    return { program, host };
            }
        }
    }
    return undefined;
}
function looksLikeHostPath(word) {
    return !word.startsWith('-') && /^[A-Za-z0-9$_{}.-]+(:\d+)?\/\S*$/.test(word);
}
/**
 * Words in an HTTP probe path that name a dependency: a kind of service, or a product. Words that
 * only describe how thorough a check is (`full`, `deep`, `verbose`) or name a part of the app
 * (`backend`) are not enough: `/healthz?full=true` may still check only the process.
 */
const DEPENDENCY_WORDS = new Set([
    'db',
    'database',
    'databases',
    'dep',
    'deps',
    'dependency',
    'dependencies',
    'upstream',
    'upstreams',
    'downstream',
    'downstreams',
    'postgres',
    'postgresql',
    'pg',
    'mysql',
    'redis',
    'mongo',
    'mongodb',
    'kafka',
    'rabbitmq',
    'amqp',
    'elasticsearch',
    'cassandra',
]);
function dependencyWordInPath(path) {
    if (typeof path !== 'string')
        return undefined;
    return path
        .toLowerCase()
        .split(/[/?&=.,_\-:;]+/)
        .find((word) => DEPENDENCY_WORDS.has(word));
}
/** Why a liveness probe depends on something outside its own process, or undefined. */
function livenessDependency(liveness) {
    const exec = (0,types/* isRecord */.u4)(liveness.exec) ? liveness.exec : undefined;
    if (exec) {
        const call = remoteCall(exec.command);
        if (call)
            return { reason: `runs ${call.program} against ${call.host}`, path: ['exec', 'command'] };
    }
    for (const handler of ['httpGet', 'tcpSocket']) {
        const h = (0,types/* isRecord */.u4)(liveness[handler]) ? liveness[handler] : undefined;
        if (h && typeof h.host === 'string' && !isLocalHost(h.host)) {
            return { reason: `checks another host (${h.host})`, path: [handler, 'host'] };
        }
    }
    const http = (0,types/* isRecord */.u4)(liveness.httpGet) ? liveness.httpGet : undefined;
    const word = http ? dependencyWordInPath(http.path) : undefined;
    if (http && word) {
        return {
            reason: `calls ${String(http.path)}, whose path names a dependency ("${word}"), so it likely checks more than the process`,
            path: ['httpGet', 'path'],
        };
    }
    return undefined;
}
const livenessDependsOnService = {
    meta: {
        id: 'probes-liveness-dependency',
        category: 'probes',
        severity: 'error',
        title: 'Liveness probes do not depend on other services',
        why: 'When a liveness probe checks a database or another service, a slow dependency makes every pod fail liveness at once: the kubelet restarts them all, the survivors take the load and fail too. A dependency outage becomes your outage.',
        fix: 'Make liveness check only the process (is it able to answer at all?). Put dependency checks in the readiness probe, which takes pods out of rotation without restarting them.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      livenessProbe:
        exec:
          command: [sh, -c, "pg_isready -h orders-db -p 5432"]`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      livenessProbe:
        httpGet: {path: /healthz/live, port: 8080}
      readinessProbe:
        httpGet: {path: /healthz/ready, port: 8080}`,
            line: 10,
        },
        appliesTo: 'Liveness probes of containers and init containers: exec commands that run a database, queue or HTTP client against another host; httpGet or tcpSocket probes against another host; HTTP paths with a word that names a dependency (db, database, dependencies, upstream, or a product such as postgres, redis or kafka). The last is a guess from words, and the message says which word it went by.',
    },
    *check(ctx) {
        for (const wc of workloadContainers(ctx, ['containers', 'initContainers'])) {
            const liveness = probeOf(wc, 'livenessProbe');
            const dependency = liveness && livenessDependency(liveness);
            if (!dependency)
                continue;
            yield {
                manifest: wc.manifest,
                path: [...wc.container.path, 'livenessProbe', ...dependency.path],
                message: `${describeContainer(wc.container)} liveness probe ${dependency.reason}`,
            };
        }
    },
};
/** The probe's handler in a canonical form (keys sorted), timings left out. */
function handlerKey(probe) {
    for (const handler of HANDLERS) {
        if (probe[handler] !== undefined)
            return `${handler}:${canonicalJson(probe[handler])}`;
    }
    return undefined;
}
function canonicalJson(value) {
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    if ((0,types/* isRecord */.u4)(value)) {
        const keys = Object.keys(value).sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
}
const livenessSameAsReadiness = {
    meta: {
        id: 'probes-liveness-same-as-readiness',
        category: 'probes',
        severity: 'warning',
        title: 'Liveness and readiness probes check different things',
        why: 'Readiness answers "can I take traffic?", which usually includes dependencies; liveness answers "am I stuck?". With the same check, anything that makes a pod unready also gets it restarted, turning brief overloads into restart storms.',
        fix: 'Point liveness at a cheaper endpoint that checks only the process, and keep the readiness probe for traffic decisions.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      readinessProbe: {httpGet: {path: /healthz, port: 8080}}
      livenessProbe: {httpGet: {path: /healthz, port: 8080}}`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      readinessProbe: {httpGet: {path: /healthz/ready, port: 8080}}
      livenessProbe: {httpGet: {path: /healthz/live, port: 8080}}`,
            line: 9,
        },
        appliesTo: 'Containers and init containers that have both probes, compared by their handler (timings aside).',
    },
    *check(ctx) {
        for (const wc of workloadContainers(ctx, ['containers', 'initContainers'])) {
            const liveness = probeOf(wc, 'livenessProbe');
            const readiness = probeOf(wc, 'readinessProbe');
            if (!liveness || !readiness)
                continue;
            const key = handlerKey(liveness);
            if (key === undefined || key !== handlerKey(readiness))
                continue;
            yield {
                manifest: wc.manifest,
                path: [...wc.container.path, 'livenessProbe'],
                message: `${describeContainer(wc.container)} liveness probe is the same check as its readiness probe`,
            };
        }
    },
};
/** Probes of one container on the same missing port are one thing to fix: one finding. */
function portCause(pp) {
    const { manifest, container } = pp.wc;
    return {
        key: `probe-port\u0000${(0,types/* refKey */.XF)(manifest.ref)}\u0000${container.path.join('.')}\u0000${pp.port}`,
        also: `the ${PROBE_LABEL[pp.field]} probe uses it too`,
    };
}
function* probePorts(ctx) {
    for (const wc of workloadContainers(ctx, ['containers', 'initContainers'])) {
        for (const field of PROBES) {
            const probe = probeOf(wc, field);
            if (!probe)
                continue;
            for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
                const h = probe[handler];
                if (!(0,types/* isRecord */.u4)(h))
                    continue;
                // A probe against another host is about that host's ports, not this container's.
                if (typeof h.host === 'string' && !isLocalHost(h.host))
                    continue;
                const port = h.port;
                if (typeof port !== 'string' && typeof port !== 'number')
                    continue;
                yield { wc, field, port, path: [...wc.container.path, field, handler, 'port'] };
            }
        }
    }
}
const PROBE_LABEL = {
    readinessProbe: 'readiness',
    livenessProbe: 'liveness',
    startupProbe: 'startup',
};
const namedPortUnknown = {
    meta: {
        id: 'probes-port-name-unknown',
        category: 'probes',
        severity: 'error',
        title: 'Probes use port names the container declares',
        why: 'A probe on a port name the container does not declare can never succeed: the pod never becomes ready, or is restarted in a loop.',
        fix: 'Use a name from the container’s ports list (or add the port there).',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports: [{name: http, containerPort: 8080}]
      readinessProbe: {httpGet: {path: /ready, port: web}}`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports: [{name: http, containerPort: 8080}]
      readinessProbe: {httpGet: {path: /ready, port: http}}`,
            line: 9,
        },
        appliesTo: 'httpGet, tcpSocket and grpc probes on a named port, except probes against another host.',
    },
    *check(ctx) {
        for (const pp of probePorts(ctx)) {
            const { wc, field, port, path } = pp;
            if (typeof port !== 'string' || /^\d+$/.test(port))
                continue;
            if (declaredPorts(wc.container.container).names.has(port))
                continue;
            yield {
                manifest: wc.manifest,
                path,
                message: `${describeContainer(wc.container)} ${PROBE_LABEL[field]} probe uses port "${port}", which the container does not declare`,
                cause: portCause(pp),
            };
        }
    },
};
const numericPortUndeclared = {
    meta: {
        id: 'probes-port-undeclared',
        category: 'probes',
        severity: 'warning',
        title: 'Probes use a port the container declares',
        why: 'When a container lists its ports, a probe on a number that is not among them is usually a typo or a port that moved, and fails on the next rollout.',
        fix: 'Probe a declared port, preferably by name, or declare the port the probe uses.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports: [{name: http, containerPort: 8080}]
      livenessProbe: {httpGet: {path: /live, port: 8081}}`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports: [{name: http, containerPort: 8080}]
      livenessProbe: {httpGet: {path: /live, port: http}}`,
            line: 9,
        },
        appliesTo: 'Probes on a port number, in containers that declare ports (one that declares none is not judged). All probes of one container on one port are one finding.',
    },
    *check(ctx) {
        for (const pp of probePorts(ctx)) {
            const { wc, field, port, path } = pp;
            const number = typeof port === 'number' ? port : /^\d+$/.test(port) ? Number(port) : undefined;
            if (number === undefined)
                continue;
            const { numbers } = declaredPorts(wc.container.container);
            if (numbers.size === 0 || numbers.has(number))
                continue;
            yield {
                manifest: wc.manifest,
                path,
                message: `${describeContainer(wc.container)} ${PROBE_LABEL[field]} probe uses port ${number}, which the container does not declare`,
                cause: portCause(pp),
            };
        }
    },
};
const probes_rules = [
    readinessMissing,
    livenessMissing,
    startupMissing,
    livenessDependsOnService,
    livenessSameAsReadiness,
    namedPortUnknown,
    numericPortUndeclared,
];

;// CONCATENATED MODULE: ./lib/rules/replicas.js





/**
 * The `replicas` checklist category: enough pods to survive a node going away, a
 * PodDisruptionBudget that protects them without blocking drains, and pods spread over nodes.
 * Only long-running replicated kinds are checked: Jobs run to completion and DaemonSets run one
 * pod per node by design.
 */
const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet']);
// --- shared tables ------------------------------------------------------------------------------
/** HorizontalPodAutoscalers by the workload they scale (namespace, kind, name). */
function hpaTargets(index) {
    return memo(index, 'replicas:hpa', () => {
        const out = new Map();
        for (const hpa of index.kind('HorizontalPodAutoscaler')) {
            const spec = hpa.object.spec;
            const target = (0,types/* isRecord */.u4)(spec) ? spec.scaleTargetRef : undefined;
            if (!(0,types/* isRecord */.u4)(target) || typeof target.kind !== 'string' || typeof target.name !== 'string')
                continue;
            const key = targetKey(index.namespaceOf(hpa), target.kind, target.name);
            if (!out.has(key))
                out.set(key, hpa);
        }
        return out;
    });
}
function targetKey(namespace, kind, name) {
    return `${namespace}\u0000${kind}\u0000${name}`;
}
function hpaFor(index, w) {
    const { kind, metadata } = w.manifest.object;
    return hpaTargets(index).get(targetKey(w.namespace, kind, metadata.name ?? ''));
}
function minReplicasOf(hpa) {
    const spec = hpa.object.spec;
    return (0,types/* isRecord */.u4)(spec) && typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
}
/**
 * How many pods a workload keeps at the least: an HPA's minReplicas when one scales it (the HPA
 * owns spec.replicas then), else spec.replicas. Undefined for kinds without replicas.
 */
function effectiveReplicas(index, w) {
    const declared = (0,workload/* replicasOf */.N4)(w.manifest.object);
    if (declared === undefined)
        return w.manifest.object.kind === 'Pod' ? 1 : undefined;
    const hpa = hpaFor(index, w);
    return hpa ? minReplicasOf(hpa) : declared;
}
/** Replicated workloads that keep two or more pods: the ones that want a PDB and spreading. */
function multiReplica(index) {
    return workloadInfos(index).filter((w) => REPLICATED_KINDS.has(w.manifest.object.kind) && (effectiveReplicas(index, w) ?? 0) >= 2);
}
/** PodDisruptionBudgets by their selector, per namespace. */
function pdbIndex(index) {
    return memo(index, 'replicas:pdb', () => {
        const pdbs = new SelectorIndex();
        for (const pdb of index.kind('PodDisruptionBudget'))
            pdbs.add(index.namespaceOf(pdb), pdbSelector(pdb), pdb);
        return pdbs;
    });
}
/** policy/v1beta1 read an empty selector as "no pods"; policy/v1 reads it as "every pod". */
function pdbSelector(pdb) {
    const spec = pdb.object.spec;
    const selector = (0,types/* isRecord */.u4)(spec) ? spec.selector : undefined;
    if (pdb.object.apiVersion === 'policy/v1beta1' && isEmptySelector(selector))
        return undefined;
    return selector;
}
// --- rules --------------------------------------------------------------------------------------
function hpaExample(minReplicas) {
    return [
        'apiVersion: autoscaling/v2',
        'kind: HorizontalPodAutoscaler',
        'metadata: {name: web}',
        'spec:',
        '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
        `  minReplicas: ${minReplicas}`,
        '  maxReplicas: 10',
    ].join('\n');
}
function pdbExample(budget, app, unhealthy = 'AlwaysAllow') {
    return [
        'apiVersion: policy/v1',
        'kind: PodDisruptionBudget',
        'metadata: {name: web}',
        'spec:',
        `  ${budget}`,
        ...(unhealthy ? [`  unhealthyPodEvictionPolicy: ${unhealthy}`] : []),
        `  selector: {matchLabels: {app: ${app}}}`,
    ].join('\n');
}
const minimum = {
    meta: {
        id: 'replicas-minimum',
        category: 'replicas',
        severity: 'error',
        title: 'Deployments and StatefulSets run two or more replicas',
        why: 'With a single pod, every node drain, eviction, crash or rollout is an outage. A second replica ' +
            'keeps the service answering while the first one is replaced. A workload scaled to zero on ' +
            'purpose (replicas: 0) is left alone; one scaled by an HPA is judged by the HPA.',
        fix: 'Set spec.replicas to 2 or more, or let a HorizontalPodAutoscaler with minReplicas of 2 or more scale it.',
        example: {
            bad: exampleDeployment({ replicas: 1 }),
            good: exampleDeployment({ replicas: 3 }),
            line: 5,
        },
        appliesTo: 'Deployments and StatefulSets that no HPA in the set scales, unless scaled to zero on purpose. Not DaemonSets (one pod per node by design) nor run-to-completion work.',
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            if (!REPLICATED_KINDS.has(w.manifest.object.kind) || hpaFor(index, w))
                continue;
            const replicas = (0,workload/* replicasOf */.N4)(w.manifest.object) ?? 1;
            const spec = w.manifest.object.spec;
            const scaledToZero = replicas === 0 && (0,types/* isRecord */.u4)(spec) && spec.replicas === 0;
            if (replicas >= 2 || scaledToZero)
                continue;
            yield {
                manifest: w.manifest,
                path: ['spec', 'replicas'],
                message: `${named(w.manifest)} runs ${replicas} replica; one node drain or crash takes it down`,
            };
        }
    },
};
const hpaMinReplicas = {
    meta: {
        id: 'replicas-hpa-min-replicas',
        category: 'replicas',
        severity: 'error',
        title: 'HorizontalPodAutoscalers keep at least two replicas',
        why: 'An HPA owns the replica count of the workload it scales. With minReplicas below 2 it scales ' +
            'the workload down to a single pod when traffic is low, often at night, exactly when a node ' +
            'upgrade drains it.',
        fix: 'Set spec.minReplicas to 2 or more.',
        example: {
            bad: hpaExample(1),
            good: hpaExample(2),
            line: 6,
        },
        appliesTo: 'Every HorizontalPodAutoscaler.',
    },
    *check({ index }) {
        for (const hpa of index.kind('HorizontalPodAutoscaler')) {
            const min = minReplicasOf(hpa);
            if (min >= 2)
                continue;
            const spec = hpa.object.spec;
            const target = (0,types/* isRecord */.u4)(spec) && (0,types/* isRecord */.u4)(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
            const what = typeof target.kind === 'string' ? `${target.kind} "${String(target.name ?? '')}"` : 'its target';
            yield {
                manifest: hpa,
                path: ['spec', 'minReplicas'],
                message: `${named(hpa)} lets ${what} scale down to ${min} replica${min === 1 ? '' : 's'}`,
            };
        }
    },
};
const pdbMissing = {
    meta: {
        id: 'replicas-pdb-missing',
        category: 'replicas',
        severity: 'warning',
        title: 'Multi-replica workloads are covered by a PodDisruptionBudget',
        why: 'Without a PodDisruptionBudget, a node drain or cluster upgrade may evict every replica at ' +
            'once. A PDB in the same namespace whose selector matches the pod labels makes voluntary ' +
            'evictions wait until enough pods are ready elsewhere.',
        fix: "Add a PodDisruptionBudget in the workload's namespace that selects its pod labels, with maxUnavailable: 1.",
        example: {
            bad: exampleDeployment({ replicas: 3 }),
            good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
            line: 3,
        },
        appliesTo: 'Deployments and StatefulSets that keep two or more pods (spec.replicas, or the minReplicas of the HPA that scales them).',
    },
    *check({ index }) {
        const pdbs = pdbIndex(index);
        for (const w of multiReplica(index)) {
            if (pdbs.selecting(w.namespace, w.template.labels).length > 0)
                continue;
            yield {
                manifest: w.manifest,
                path: ['metadata'],
                message: `${named(w.manifest)} has no PodDisruptionBudget selecting its pods in namespace "${w.namespace}"`,
            };
        }
    },
};
const pdbBlocksDrain = {
    meta: {
        id: 'replicas-pdb-blocks-drain',
        category: 'replicas',
        severity: 'error',
        title: 'PodDisruptionBudgets allow at least one eviction',
        why: 'A PDB that allows no disruption (maxUnavailable: 0, minAvailable: 100%, minAvailable as large ' +
            'as the replica count, or neither field set) makes every node drain hang. Cluster upgrades stall and ' +
            'operators end up deleting the PDB by hand, which removes the protection entirely.',
        fix: 'Use maxUnavailable: 1 (or a minAvailable below the replica count).',
        example: {
            bad: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('minAvailable: 3', 'web')}`,
            good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
            line: 19,
        },
        appliesTo: 'Every PodDisruptionBudget. A minAvailable count is compared with the pods of the workloads it selects, at their fewest.',
    },
    *check({ index }) {
        for (const pdb of index.kind('PodDisruptionBudget')) {
            const v = drainBlock(index, pdb);
            if (v)
                yield v;
        }
    },
};
/** A count (`2`) or a percentage (`50%`) of pods, as PodDisruptionBudgets spell them. */
function parseIntOrPercent(value) {
    if (typeof value === 'number' && Number.isInteger(value))
        return { count: value };
    if (typeof value === 'string') {
        const m = /^(\d+)%$/.exec(value.trim());
        if (m)
            return { percent: Number(m[1]) };
    }
    return undefined;
}
function drainBlock(index, pdb) {
    const spec = pdb.object.spec;
    if (!(0,types/* isRecord */.u4)(spec))
        return undefined;
    const unset = (v) => v === undefined || v === null;
    if (unset(spec.maxUnavailable) && unset(spec.minAvailable)) {
        // The disruption controller expects no pods then, and allows no eviction at all.
        return {
            manifest: pdb,
            path: ['spec', 'maxUnavailable'],
            message: `${named(pdb)} sets neither maxUnavailable nor minAvailable, so it allows no eviction and no node running its pods can be drained`,
        };
    }
    const maxUnavailable = parseIntOrPercent(spec.maxUnavailable);
    if (maxUnavailable && ('count' in maxUnavailable ? maxUnavailable.count : maxUnavailable.percent) === 0) {
        return {
            manifest: pdb,
            path: ['spec', 'maxUnavailable'],
            message: `${named(pdb)} allows no pod to be unavailable, so no node running its pods can be drained`,
        };
    }
    const minAvailable = parseIntOrPercent(spec.minAvailable);
    if (!minAvailable)
        return undefined;
    const path = ['spec', 'minAvailable'];
    if ('percent' in minAvailable && minAvailable.percent >= 100) {
        return {
            manifest: pdb,
            path,
            message: `${named(pdb)} requires 100% of its pods available, so no node can be drained`,
        };
    }
    // Compare with the pods the PDB covers, at the least the workloads keep (an HPA's minReplicas).
    const selected = podLabelIndex(index).selectedBy(index.namespaceOf(pdb), pdbSelector(pdb));
    if (selected.length === 0)
        return undefined;
    let total = 0;
    for (const w of selected) {
        const replicas = effectiveReplicas(index, w);
        if (replicas === undefined)
            return undefined; // DaemonSets and the like: pod count unknown
        total += replicas;
    }
    // Kubernetes rounds a minAvailable percentage up.
    const required = 'count' in minAvailable ? minAvailable.count : Math.ceil((minAvailable.percent * total) / 100);
    if (total === 0 || required < total)
        return undefined;
    return {
        manifest: pdb,
        path,
        message: `${named(pdb)} requires ${required} of the ${total} pods of ${namedList(selected.map((w) => w.manifest))} available, so no node can be drained`,
    };
}
const pdbSelectsNothing = {
    meta: {
        id: 'replicas-pdb-selects-nothing',
        category: 'replicas',
        severity: 'warning',
        title: 'PodDisruptionBudgets select the pods of some workload',
        why: 'A PDB whose selector matches no pod in its namespace protects nothing: usually a label was ' +
            'renamed on the workload, or the PDB sits in another namespace. The workload it was meant ' +
            'for is unprotected while everybody believes otherwise.',
        fix: "Make spec.selector match the pod template labels of the workload, in the workload's namespace.",
        example: {
            bad: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web-v1')}`,
            good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
            line: 21,
        },
        appliesTo: 'Every PodDisruptionBudget (an empty selector selects nothing under policy/v1beta1, everything under policy/v1).',
    },
    *check({ index }) {
        const pods = podLabelIndex(index);
        for (const pdb of index.kind('PodDisruptionBudget')) {
            const namespace = index.namespaceOf(pdb);
            if (pods.selectedBy(namespace, pdbSelector(pdb)).length > 0)
                continue;
            yield {
                manifest: pdb,
                path: ['spec', 'selector'],
                message: `${named(pdb)} selects no pods in namespace "${namespace}"`,
            };
        }
    },
};
const spread = {
    meta: {
        id: 'replicas-spread',
        category: 'replicas',
        severity: 'warning',
        title: 'Multi-replica workloads spread their pods across nodes or zones',
        why: 'The scheduler may put every replica on the same node or in the same zone; losing that node ' +
            'or zone then loses them all, and the extra replicas bought nothing. A topology spread ' +
            'constraint or a pod anti-affinity on the hostname or zone keeps them apart.',
        fix: 'Add spec.template.spec.topologySpreadConstraints on topology.kubernetes.io/zone or ' +
            'kubernetes.io/hostname, with a labelSelector matching the pod labels.',
        example: {
            bad: exampleDeployment({ replicas: 3 }),
            good: exampleDeployment({
                replicas: 3,
                podSpec: [
                    'topologySpreadConstraints:',
                    '  - maxSkew: 1',
                    '    topologyKey: topology.kubernetes.io/zone',
                    '    whenUnsatisfiable: ScheduleAnyway',
                    '    labelSelector: {matchLabels: {app: web}}',
                ],
            }),
            line: 10,
        },
        appliesTo: 'Deployments and StatefulSets that keep two or more pods. A spread constraint or an anti-affinity term counts when its key is a hostname, zone or region, its selector matches the pods, and (anti-affinity) its namespaces can include their own.',
    },
    *check({ index }) {
        for (const w of multiReplica(index)) {
            if (spreadsOut(index, w))
                continue;
            yield {
                manifest: w.manifest,
                path: [...w.template.specPath, 'topologySpreadConstraints'],
                message: `${named(w.manifest)} runs ${effectiveReplicas(index, w)} replicas with nothing spreading them across nodes or zones`,
            };
        }
    },
};
/** Topology keys that separate failure domains: nodes, zones, regions (well-known and vendor ones). */
function isFailureDomainKey(key) {
    return typeof key === 'string' && /hostname|zone|region/i.test(key);
}
/**
 * Does the pod spec keep this workload's own pods apart? A spread constraint or an anti-affinity
 * term counts only when its key is a failure domain, its selector matches the pods themselves and
 * (for anti-affinity) its namespaces can include the workload's own.
 */
function spreadsOut(index, w) {
    const { spec, labels } = w.template;
    const constraints = Array.isArray(spec.topologySpreadConstraints) ? spec.topologySpreadConstraints : [];
    for (const c of constraints) {
        if ((0,types/* isRecord */.u4)(c) && isFailureDomainKey(c.topologyKey) && (0,workload/* selects */.ko)(c.labelSelector, labels))
            return true;
    }
    const anti = (0,types/* isRecord */.u4)(spec.affinity) ? spec.affinity.podAntiAffinity : undefined;
    if (!(0,types/* isRecord */.u4)(anti))
        return false;
    const required = Array.isArray(anti.requiredDuringSchedulingIgnoredDuringExecution)
        ? anti.requiredDuringSchedulingIgnoredDuringExecution
        : [];
    const preferred = Array.isArray(anti.preferredDuringSchedulingIgnoredDuringExecution)
        ? anti.preferredDuringSchedulingIgnoredDuringExecution.map((p) => (0,types/* isRecord */.u4)(p) ? p.podAffinityTerm : undefined)
        : [];
    return [...required, ...preferred].some((term) => (0,types/* isRecord */.u4)(term) &&
        isFailureDomainKey(term.topologyKey) &&
        (0,workload/* selects */.ko)(term.labelSelector, labels) &&
        termReachesNamespace(index, term, w.namespace));
}
const NAME_LABEL = 'kubernetes.io/metadata.name';
/**
 * Can a pod affinity term's namespaces include this one? With neither `namespaces` nor a
 * `namespaceSelector` it means the pod's own namespace; a list names namespaces; a selector
 * (`{}` for all) matches namespace labels. Without the Namespace object only the name label is
 * known, so a selector is ruled out only when it asks for another name.
 */
function termReachesNamespace(index, term, namespace) {
    const names = Array.isArray(term.namespaces) ? term.namespaces.map(String) : [];
    const selector = term.namespaceSelector;
    const hasSelector = selector !== undefined && selector !== null;
    if (names.length === 0 && !hasSelector)
        return true;
    if (names.includes(namespace))
        return true;
    if (!hasSelector)
        return false;
    const object = index.kind('Namespace').find((n) => n.object.metadata.name === namespace);
    const own = object?.object.metadata.labels;
    const labels = { ...((0,types/* isRecord */.u4)(own) ? own : {}), [NAME_LABEL]: namespace };
    if ((0,workload/* selects */.ko)(selector, labels))
        return true;
    if (object)
        return false;
    return (0,workload/* selects */.ko)(nameRequirements(selector), { [NAME_LABEL]: namespace });
}
/** The part of a label selector about the namespace name label. */
function nameRequirements(selector) {
    if (!(0,types/* isRecord */.u4)(selector))
        return {};
    const matchLabels = (0,types/* isRecord */.u4)(selector.matchLabels) ? selector.matchLabels : {};
    const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
    return {
        matchLabels: NAME_LABEL in matchLabels ? { [NAME_LABEL]: matchLabels[NAME_LABEL] } : {},
        matchExpressions: exprs.filter((e) => (0,types/* isRecord */.u4)(e) && e.key === NAME_LABEL),
    };
}
const hpaTargetMissing = {
    meta: {
        id: 'replicas-hpa-target-missing',
        category: 'replicas',
        severity: 'error',
        title: 'HorizontalPodAutoscalers scale a workload that exists',
        why: 'An HPA whose scaleTargetRef names nothing scales nothing: the workload it was meant for runs ' +
            'at its static replica count through every traffic peak, and the HPA only reports ' +
            'FailedGetScale.',
        fix: 'Make spec.scaleTargetRef name the kind and name of the workload, in the same namespace.',
        example: {
            bad: `${exampleDeployment()}\n---\n${hpaExample(2).replace('kind: Deployment, name: web}', 'kind: Deployment, name: web-v2}')}`,
            good: `${exampleDeployment()}\n---\n${hpaExample(2)}`,
            line: 18,
        },
        appliesTo: 'HorizontalPodAutoscalers whose target kind the set defines objects of in that namespace ' +
            '(elsewhere the target may come from another source).',
    },
    *check({ index }) {
        for (const hpa of index.kind('HorizontalPodAutoscaler')) {
            const spec = hpa.object.spec;
            const target = (0,types/* isRecord */.u4)(spec) ? spec.scaleTargetRef : undefined;
            if (!(0,types/* isRecord */.u4)(target) || typeof target.kind !== 'string' || typeof target.name !== 'string')
                continue;
            const namespace = index.namespaceOf(hpa);
            const defined = namesIn(index, target.kind, namespace);
            if (defined.size === 0 || defined.has(target.name))
                continue;
            yield {
                manifest: hpa,
                path: ['spec', 'scaleTargetRef', 'name'],
                message: `${named(hpa)} scales ${target.kind} "${target.name}", which the set does not define in namespace "${namespace}"${(0,suggest/* suggest */.ZA)(target.name, defined)}`,
            };
        }
    },
};
const staticReplicasUnderHpa = {
    meta: {
        id: 'replicas-hpa-static-replicas',
        category: 'replicas',
        severity: 'warning',
        title: 'Workloads an HPA scales do not also set spec.replicas',
        why: 'The HPA owns the replica count. A spec.replicas in the manifest puts it back on every apply, ' +
            'Helm upgrade or GitOps sync: a Deployment scaled to 12 for a traffic peak drops to 3 in the ' +
            'middle of it, until the HPA scales it up again.',
        fix: 'Remove spec.replicas from the manifest (in a chart, render it only when autoscaling is off).',
        example: {
            bad: `${exampleDeployment({ replicas: 3 })}\n---\n${hpaExample(3)}`,
            good: `${exampleDeployment()}\n---\n${hpaExample(3)}`,
            line: 5,
        },
        appliesTo: 'Workloads a HorizontalPodAutoscaler in the set scales.',
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            const hpa = hpaFor(index, w);
            const spec = w.manifest.object.spec;
            if (!hpa || !(0,types/* isRecord */.u4)(spec) || spec.replicas === undefined || spec.replicas === null)
                continue;
            yield {
                manifest: w.manifest,
                path: ['spec', 'replicas'],
                message: `${named(w.manifest)} sets spec.replicas: ${String(spec.replicas)}, but ${named(hpa)} scales it: every apply or sync resets the count to ${String(spec.replicas)}`,
            };
        }
    },
};
const pdbUnhealthyEviction = {
    meta: {
        id: 'replicas-pdb-unhealthy-eviction',
        category: 'replicas',
        severity: 'warning',
        title: 'PodDisruptionBudgets let unhealthy pods be evicted (unhealthyPodEvictionPolicy: AlwaysAllow)',
        why: 'By default a pod that is running but not ready counts against the budget: when an app is ' +
            'already broken (crash-looping, never ready), its PDB blocks every node drain that would move ' +
            'it, and a cluster upgrade stalls on an app that is down anyway.',
        fix: 'Set spec.unhealthyPodEvictionPolicy: AlwaysAllow (Kubernetes 1.27 and later).',
        example: {
            bad: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web', '')}`,
            good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
            line: 18,
        },
        appliesTo: 'policy/v1 PodDisruptionBudgets that do not set the field. One that sets IfHealthyBudget on ' +
            'purpose is left alone.',
    },
    *check({ index }) {
        for (const pdb of index.kind('PodDisruptionBudget')) {
            if (pdb.object.apiVersion !== 'policy/v1')
                continue;
            const spec = pdb.object.spec;
            if ((0,types/* isRecord */.u4)(spec) &&
                spec.unhealthyPodEvictionPolicy !== undefined &&
                spec.unhealthyPodEvictionPolicy !== null)
                continue;
            yield {
                manifest: pdb,
                path: ['spec', 'unhealthyPodEvictionPolicy'],
                message: `${named(pdb)} does not set unhealthyPodEvictionPolicy, so pods that are not ready block node drains`,
            };
        }
    },
};
const replicas_rules = [
    minimum,
    hpaMinReplicas,
    hpaTargetMissing,
    staticReplicasUnderHpa,
    pdbMissing,
    pdbBlocksDrain,
    pdbSelectsNothing,
    pdbUnhealthyEviction,
    spread,
];

// EXTERNAL MODULE: ./lib/model/quantity.js
var quantity = __webpack_require__(9604);
;// CONCATENATED MODULE: ./lib/rules/resources.js





/** The `resources` checklist category. */
const RESOURCES = ['cpu', 'memory'];
/** Ephemeral containers may not set resources (the API rejects them), so they are not asked to. */
const SIZED_KINDS = ['containers', 'initContainers'];
/**
 * Missing `requests` or `limits`: one finding for the whole block when it is absent, otherwise
 * one per missing resource, each at the path the field should have. A resource set at pod level
 * (`spec.resources`, pod-level resources) covers every container, so it is not asked of them.
 */
function* missing(ctx, block) {
    const noun = block === 'requests' ? 'request' : 'limit';
    for (const workload of workloads(ctx)) {
        const { manifest, template } = workload;
        const podLevel = recordAt(recordAt(template.spec, 'resources'), block);
        const wanted = RESOURCES.filter((r) => podLevel[r] === undefined || podLevel[r] === null);
        if (wanted.length === 0)
            continue;
        for (const container of containersOfKinds(workload, SIZED_KINDS)) {
            const values = recordAt(container.container, 'resources')[block];
            const absent = (0,types/* isRecord */.u4)(values)
                ? wanted.filter((r) => values[r] === undefined || values[r] === null)
                : [...wanted];
            if (absent.length === 0)
                continue;
            const who = describeContainer(container);
            const base = [...container.path, 'resources', block];
            // Missing requests and limits on one container are one thing to fix: one finding.
            const key = containerCause(ctx, 'sizing', container);
            if (!(0,types/* isRecord */.u4)(values)) {
                const none = noneOf(absent.join(' or '), noun);
                yield { manifest, path: base, message: `${who} has ${none}`, cause: { key, also: none } };
                continue;
            }
            for (const resource of absent) {
                const none = noneOf(resource, noun);
                yield {
                    manifest,
                    path: [...base, resource],
                    message: `${who} has ${none}`,
                    cause: { key, also: none },
                };
            }
        }
    }
}
/**
 * `no cpu or memory request`: what a merged sizing finding lists. One string per wording (there
 * are a handful), not one per container: the engine keeps it until every rule has run.
 */
function noneOf(resources, noun) {
    return WORDINGS.of(`no ${resources} ${noun}`);
}
const WORDINGS = new model_text/* Interner */.Ms();
const SIZING_APPLIES_TO = 'Containers and init containers of every workload kind, Jobs and Helm hooks included (the ' +
    'scheduler places them too); not ephemeral containers, which may not set resources. A resource ' +
    'set at pod level covers every container. Missing requests and limits on one container are one ' +
    'finding.';
/** A Pod whose container requests and limits cpu and memory, for the examples. */
const SIZED_POD = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      resources:
        requests: {cpu: 250m, memory: 512Mi}
        limits: {cpu: "1", memory: 512Mi}`;
const requestsMissing = {
    meta: {
        id: 'resources-requests-missing',
        category: 'resources',
        severity: 'error',
        title: 'Every container requests cpu and memory',
        why: 'The scheduler places pods by their requests. Without them a pod lands on a node that cannot hold it, and it is the first to be evicted under memory pressure.',
        fix: 'Set resources.requests.cpu and resources.requests.memory on every container and init container, sized from observed usage under load.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      resources: {}`,
            good: SIZED_POD,
            line: 8,
        },
        appliesTo: SIZING_APPLIES_TO,
    },
    check: (ctx) => missing(ctx, 'requests'),
};
const limitsMissing = {
    meta: {
        id: 'resources-limits-missing',
        category: 'resources',
        severity: 'error',
        title: 'Every container has cpu and memory limits',
        why: 'Without a memory limit one leaking container can push its node into out-of-memory kills that take its neighbours (and the kubelet) down with it; without a cpu limit it can starve them.',
        fix: 'Set resources.limits.memory (and resources.limits.cpu) on every container and init container; keep the memory limit close to the request.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      resources:
        requests: {cpu: 250m, memory: 512Mi}`,
            good: SIZED_POD,
            line: 8,
        },
        appliesTo: SIZING_APPLIES_TO,
    },
    check: (ctx) => missing(ctx, 'limits'),
};
/**
 * Guaranteed QoS needs a cpu and a memory limit and requests equal to them (an absent request
 * defaults to the limit, as the API server does): on every container and init container, or
 * once for the whole pod when it sets pod-level resources.
 */
function* guaranteedViolations(manifest, resources, base, who) {
    const requests = recordAt(resources, 'requests');
    const limits = recordAt(resources, 'limits');
    for (const resource of RESOURCES) {
        const limit = limits[resource];
        const request = requests[resource] ?? limit;
        if (limit === undefined || limit === null) {
            yield {
                manifest,
                path: [...base, 'limits', resource],
                message: `${who} has no ${resource} limit, so the critical workload is not Guaranteed QoS`,
            };
        }
        else if (!(0,quantity/* quantitiesEqual */.U)(request, limit)) {
            yield {
                manifest,
                path: [...base, 'requests', resource],
                message: `${who} requests ${resource} ${String(request)} but is limited to ${String(limit)}; a critical workload needs them equal (Guaranteed QoS)`,
            };
        }
    }
}
const qosNotGuaranteed = {
    meta: {
        id: 'resources-critical-not-guaranteed',
        category: 'resources',
        severity: 'error',
        title: 'Critical workloads run with Guaranteed QoS (requests equal limits)',
        why: 'Burstable pods are evicted before Guaranteed ones when a node runs short of memory, and can overcommit it in the first place. The workloads you marked critical should be the last to go.',
        fix: 'On every container and init container, set cpu and memory limits and make the requests equal to them.',
        example: {
            bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  labels: {shipshape.io/critical: "true"}
spec:
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/checkout:1.4.2
          resources:
            requests: {cpu: 500m, memory: 1Gi}
            limits: {cpu: "2", memory: 2Gi}`,
            good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  labels: {shipshape.io/critical: "true"}
spec:
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/checkout:1.4.2
          resources:
            requests: {cpu: "1", memory: 2Gi}
            limits: {cpu: "1", memory: 2Gi}`,
            line: 15,
        },
        appliesTo: 'Workloads marked critical (by the labels, annotations or priority classes of the critical: config): every container and init container, or the pod as a whole when it sets pod-level resources.',
    },
    *check(ctx) {
        for (const workload of workloads(ctx)) {
            const { manifest, template } = workload;
            if (!isCritical(manifest, template, ctx.settings))
                continue;
            const podResources = template.spec.resources;
            if ((0,types/* isRecord */.u4)(podResources) && ((0,types/* isRecord */.u4)(podResources.limits) || (0,types/* isRecord */.u4)(podResources.requests))) {
                const who = `pod of ${manifest.ref.kind} "${manifest.ref.name}"`;
                yield* guaranteedViolations(manifest, podResources, [...template.specPath, 'resources'], who);
                continue;
            }
            for (const container of containersOfKinds(workload, SIZED_KINDS)) {
                const base = [...container.path, 'resources'];
                yield* guaranteedViolations(manifest, container.container.resources, base, describeContainer(container));
            }
        }
    },
};
const quotaMissing = {
    meta: {
        id: 'resources-namespace-quota-missing',
        category: 'resources',
        severity: 'warning',
        title: 'Every namespace that runs workloads has a ResourceQuota',
        why: 'A ResourceQuota caps what one namespace can take from the cluster, so one bad rollout is rejected by the API server instead of starving every other team on the same nodes.',
        fix: 'Add a ResourceQuota to the namespace that bounds requests.cpu, requests.memory, limits.cpu and limits.memory.',
        example: {
            bad: `# the only object in namespace shop: no ResourceQuota
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop`,
            good: `apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: shop
spec:
  hard:
    requests.cpu: "20"
    requests.memory: 40Gi
    limits.cpu: "40"
    limits.memory: 80Gi`,
            line: 6,
        },
        appliesTo: 'Each namespace that runs workloads, once. At full severity where the checked set owns the ' +
            'namespace (it holds the Namespace object, or namespaces.owned lists it); elsewhere one info ' +
            'note per namespace, shared with the other namespace-level rules.',
    },
    *check(ctx) {
        const withQuota = new Set(ctx.index.kind('ResourceQuota').map((q) => ctx.index.namespaceOf(q)));
        for (const [namespace, members] of ctx.index.workloadNamespaces()) {
            if (withQuota.has(namespace))
                continue;
            const first = members[0];
            const path = first.object.metadata.namespace ? ['metadata', 'namespace'] : ['metadata'];
            yield namespaceViolation(ctx, namespace, first, {
                path,
                missing: 'no ResourceQuota',
                ownedMessage: `namespace "${namespace}" runs workloads but has no ResourceQuota`,
            });
        }
    },
};
const ephemeralStorage = {
    meta: {
        id: 'resources-ephemeral-storage',
        category: 'resources',
        severity: 'info',
        title: 'Containers request and limit ephemeral-storage',
        why: 'Logs, emptyDirs and files written to the container filesystem use the node disk. Without an ' +
            'ephemeral-storage request the scheduler ignores that use; without a limit one container can ' +
            'fill the disk, and the kubelet then evicts pods that did nothing wrong.',
        fix: 'Set resources.requests.ephemeral-storage and resources.limits.ephemeral-storage on every container.',
        example: {
            bad: SIZED_POD,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      resources:
        requests: {cpu: 250m, memory: 512Mi, ephemeral-storage: 256Mi}
        limits: {cpu: "1", memory: 512Mi, ephemeral-storage: 1Gi}`,
            line: 9,
        },
        appliesTo: 'Containers and init containers of every workload kind, unless pod-level resources set it. Part ' +
            "of the same finding as the container's missing requests or limits, when it has that too.",
    },
    *check(ctx) {
        for (const workload of workloads(ctx)) {
            const { manifest, template } = workload;
            const pod = recordAt(template.spec, 'resources');
            for (const container of containersOfKinds(workload, SIZED_KINDS)) {
                const resources = recordAt(container.container, 'resources');
                const absent = ['requests', 'limits'].filter((block) => {
                    const set = recordAt(resources, block)['ephemeral-storage'] ?? recordAt(pod, block)['ephemeral-storage'];
                    return set === undefined || set === null;
                });
                if (absent.length === 0)
                    continue;
                const what = absent.length === 2 ? 'request or limit' : absent[0] === 'requests' ? 'request' : 'limit';
                const none = noneOf('ephemeral-storage', what);
                yield {
                    manifest,
                    path: [...container.path, 'resources', absent[0], 'ephemeral-storage'],
                    message: `${describeContainer(container)} has ${none}`,
                    cause: { key: containerCause(ctx, 'sizing', container), also: none },
                };
            }
        }
    },
};
const resources_rules = [
    requestsMissing,
    limitsMissing,
    qosNotGuaranteed,
    quotaMissing,
    ephemeralStorage,
];

;// CONCATENATED MODULE: ./lib/rules/security.js


/** The `security` checklist category. */
/** What the five baseline rules' docs say of the finding they share. */
const ONE_CONTEXT = ' Settings a container leaves unset among runAsNonRoot, allowPrivilegeEscalation, capabilities.drop, ' +
    'readOnlyRootFilesystem and seccompProfile are one finding (one edit: its securityContext); a ' +
    'setting written with a wrong value is a finding of its own.';
/** A rule that looks at one container at a time (regular, init and ephemeral alike). */
function perContainer(meta, inspect) {
    return {
        meta,
        *check(ctx) {
            for (const wc of workloadContainers(ctx)) {
                const v = inspect(wc, ctx);
                if (v)
                    yield v;
            }
        },
    };
}
/**
 * The baseline settings a container's security context lacks (runAsNonRoot, allowPrivilegeEscalation:
 * false, drop ALL, a read-only root filesystem, a seccomp profile) are one edit: writing that
 * context. A container with none of it is one finding that lists the rest, not five on its line.
 * A setting written with a wrong value is a line of its own, and stays a finding of its own.
 */
function unsetInContext(ctx, wc, also) {
    return { key: containerCause(ctx, 'security-context', wc.container), also };
}
function securityContextPath(wc, ...rest) {
    return [...wc.container.path, 'securityContext', ...rest];
}
const runAsRoot = perContainer({
    id: 'security-run-as-root',
    category: 'security',
    severity: 'error',
    title: 'Containers run as a non-root user',
    why: 'A process running as root inside the container is one kernel or runtime bug away from root on the node. Most images run fine as an unprivileged user.',
    fix: 'Set securityContext.runAsNonRoot: true (pod or container level) and a non-zero runAsUser, and build the image with a USER.',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
        line: 6,
    },
    appliesTo: "Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included; the container's settings, else the pod's." +
        ONE_CONTEXT,
}, (wc, ctx) => {
    const who = describeContainer(wc.container);
    const user = effectiveSecurity(wc.template, wc.container, 'runAsUser');
    const nonRoot = effectiveSecurity(wc.template, wc.container, 'runAsNonRoot');
    const uid = intField(user.value);
    if (uid === 0)
        return { manifest: wc.manifest, path: user.path, message: `${who} runs as root (runAsUser: 0)` };
    if (uid !== undefined && uid > 0)
        return undefined;
    if (nonRoot.value === true)
        return undefined;
    if (nonRoot.value === false)
        return {
            manifest: wc.manifest,
            path: nonRoot.path,
            message: `${who} sets runAsNonRoot: false and no non-root runAsUser`,
        };
    return {
        manifest: wc.manifest,
        path: nonRoot.path,
        message: `${who} may run as root: neither runAsNonRoot nor a non-root runAsUser is set`,
        ...(user.level === 'none' &&
            nonRoot.level === 'none' && {
            cause: unsetInContext(ctx, wc, 'no runAsNonRoot: true or non-root runAsUser'),
        }),
    };
});
const privilegeEscalation = perContainer({
    id: 'security-privilege-escalation',
    category: 'security',
    severity: 'error',
    title: 'Containers forbid privilege escalation',
    why: 'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid binaries or file capabilities.',
    fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext: {}`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        allowPrivilegeEscalation: false`,
        line: 8,
    },
    appliesTo: 'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included. Not containers that are privileged or add SYS_ADMIN (the API refuses the setting there; they have findings of their own).' +
        ONE_CONTEXT,
}, (wc, ctx) => {
    const context = recordAt(wc.container.container, 'securityContext');
    const value = context.allowPrivilegeEscalation;
    if (value === false)
        return undefined;
    // The API refuses allowPrivilegeEscalation: false next to privileged or an added SYS_ADMIN;
    // those get their own findings, and asking for the impossible here would only confuse.
    const added = recordAt(context, 'capabilities').add;
    if (context.privileged === true)
        return undefined;
    if (Array.isArray(added) && added.some((c) => capabilityName(c) === 'SYS_ADMIN'))
        return undefined;
    return {
        manifest: wc.manifest,
        path: securityContextPath(wc, 'allowPrivilegeEscalation'),
        message: value === true
            ? `${describeContainer(wc.container)} allows privilege escalation`
            : `${describeContainer(wc.container)} does not set allowPrivilegeEscalation: false`,
        ...((value === undefined || value === null) && {
            cause: unsetInContext(ctx, wc, 'no allowPrivilegeEscalation: false'),
        }),
    };
});
const privileged = perContainer({
    id: 'security-privileged',
    category: 'security',
    severity: 'error',
    title: 'Containers are not privileged',
    why: 'A privileged container has every capability and access to all host devices: it is effectively root on the node.',
    fix: 'Remove privileged: true. Grant the one capability the process needs instead, if any.',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        privileged: true`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        privileged: false
        capabilities: {drop: [ALL]}`,
        line: 9,
    },
    appliesTo: 'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included.',
}, (wc) => recordAt(wc.container.container, 'securityContext').privileged === true
    ? {
        manifest: wc.manifest,
        path: securityContextPath(wc, 'privileged'),
        message: `${describeContainer(wc.container)} is privileged`,
    }
    : undefined);
/** Normalized capability names: `cap_sys_admin` and `SYS_ADMIN` are the same thing. */
function capabilityName(value) {
    return String(value).toUpperCase().replace(/^CAP_/, '');
}
const capabilitiesNotDropped = perContainer({
    id: 'security-capabilities-not-dropped',
    category: 'security',
    severity: 'warning',
    title: 'Containers drop all Linux capabilities',
    why: 'Container runtimes grant a default set of capabilities (NET_RAW, CHOWN, SETUID, ...) that most applications never use and attackers do.',
    fix: 'Set securityContext.capabilities.drop: [ALL], and add back only what the process needs (NET_BIND_SERVICE, say).',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        capabilities:
          drop: [NET_RAW]`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        capabilities:
          drop: [ALL]`,
        line: 10,
    },
    appliesTo: 'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included.' +
        ONE_CONTEXT,
}, (wc, ctx) => {
    const caps = recordAt(recordAt(wc.container.container, 'securityContext'), 'capabilities');
    const drop = Array.isArray(caps.drop) ? caps.drop.map(capabilityName) : [];
    if (drop.includes('ALL'))
        return undefined;
    return {
        manifest: wc.manifest,
        path: securityContextPath(wc, 'capabilities', 'drop'),
        message: `${describeContainer(wc.container)} does not drop ALL capabilities`,
        ...((caps.drop === undefined || caps.drop === null) && {
            cause: unsetInContext(ctx, wc, 'no capabilities.drop: [ALL]'),
        }),
    };
});
/** Capabilities that let a container escape, reconfigure the host, or spy on other processes. */
const DANGEROUS_CAPABILITIES = new Set([
    'ALL',
    'SYS_ADMIN',
    'NET_ADMIN',
    'SYS_PTRACE',
    'SYS_MODULE',
    'SYS_RAWIO',
    'SYS_BOOT',
    'SYS_TIME',
    'DAC_READ_SEARCH',
    'DAC_OVERRIDE',
    'BPF',
    'PERFMON',
    'MAC_ADMIN',
    'MAC_OVERRIDE',
    'NET_RAW',
    'SETFCAP',
]);
const dangerousCapabilities = {
    meta: {
        id: 'security-dangerous-capabilities',
        category: 'security',
        severity: 'error',
        title: 'Containers add no dangerous capabilities',
        why: 'Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE give a container most of root’s power over the node, its network or its other processes.',
        fix: 'Remove the capability from securityContext.capabilities.add; run the privileged part as a separate, reviewed component if it is truly needed.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        capabilities:
          add: [SYS_ADMIN]`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        capabilities:
          drop: [ALL]
          add: [NET_BIND_SERVICE]`,
            line: 10,
        },
        appliesTo: 'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included: each dangerous capability added.',
    },
    *check(ctx) {
        for (const wc of workloadContainers(ctx)) {
            const caps = recordAt(recordAt(wc.container.container, 'securityContext'), 'capabilities');
            if (!Array.isArray(caps.add))
                continue;
            for (let i = 0; i < caps.add.length; i++) {
                const name = capabilityName(caps.add[i]);
                if (!DANGEROUS_CAPABILITIES.has(name))
                    continue;
                yield {
                    manifest: wc.manifest,
                    path: securityContextPath(wc, 'capabilities', 'add', i),
                    message: `${describeContainer(wc.container)} adds the ${name} capability`,
                };
            }
        }
    },
};
const writableRootFilesystem = perContainer({
    id: 'security-root-filesystem-writable',
    category: 'security',
    severity: 'warning',
    title: 'Containers have a read-only root filesystem',
    why: 'A writable root filesystem lets an intruder drop tools and modify binaries, and hides state in the container that vanishes on restart.',
    fix: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process must write (/tmp, caches).',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        readOnlyRootFilesystem: false`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes: [{name: tmp, emptyDir: {}}]
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        readOnlyRootFilesystem: true
      volumeMounts:
        - {name: tmp, mountPath: /tmp}`,
        line: 9,
    },
    appliesTo: 'Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included.' +
        ONE_CONTEXT,
}, (wc, ctx) => {
    const value = recordAt(wc.container.container, 'securityContext').readOnlyRootFilesystem;
    if (value === true)
        return undefined;
    return {
        manifest: wc.manifest,
        path: securityContextPath(wc, 'readOnlyRootFilesystem'),
        message: `${describeContainer(wc.container)} has a writable root filesystem`,
        ...((value === undefined || value === null) && {
            cause: unsetInContext(ctx, wc, 'no readOnlyRootFilesystem: true'),
        }),
    };
});
const SAFE_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);
const seccomp = perContainer({
    id: 'security-seccomp-missing',
    category: 'security',
    severity: 'warning',
    title: 'Containers run with the RuntimeDefault (or a Localhost) seccomp profile',
    why: 'Without a seccomp profile a container can make every system call, including the rarely used ones most kernel exploits need.',
    fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod (or each container).',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
        line: 7,
    },
    appliesTo: "Every container (regular, init, ephemeral) of every workload kind, Jobs and hooks included; the container's profile, else the pod's." +
        ONE_CONTEXT,
}, (wc, ctx) => {
    const profile = effectiveSecurity(wc.template, wc.container, 'seccompProfile');
    const type = (0,types/* isRecord */.u4)(profile.value) ? profile.value.type : undefined;
    if (typeof type === 'string' && SAFE_SECCOMP.has(type))
        return undefined;
    const who = describeContainer(wc.container);
    return {
        manifest: wc.manifest,
        path: type === undefined ? profile.path : [...profile.path, 'type'],
        message: type === undefined
            ? `${who} has no seccomp profile`
            : `${who} runs with seccomp profile ${String(type)}`,
        ...(profile.level === 'none' && { cause: unsetInContext(ctx, wc, 'no seccomp profile') }),
    };
});
const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'];
const hostNamespaces = {
    meta: {
        id: 'security-host-namespaces',
        category: 'security',
        severity: 'error',
        title: 'Pods do not share the host’s network, process or IPC namespaces',
        why: 'hostNetwork, hostPID and hostIPC let a pod see and reach the node’s interfaces, processes and shared memory, bypassing NetworkPolicies and isolation.',
        fix: 'Remove hostNetwork, hostPID and hostIPC (or set them to false); expose ports through a Service instead.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  hostNetwork: true
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  hostNetwork: false
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
            line: 5,
        },
        appliesTo: 'The pod spec of every workload kind, Jobs and hooks included.',
    },
    *check(ctx) {
        for (const { manifest, template } of workloads(ctx)) {
            for (const field of HOST_NAMESPACES) {
                if (template.spec[field] !== true)
                    continue;
                yield {
                    manifest,
                    path: [...template.specPath, field],
                    message: `${manifest.ref.kind} "${manifest.ref.name}" sets ${field}: true`,
                };
            }
        }
    },
};
const hostPath = {
    meta: {
        id: 'security-host-path',
        category: 'security',
        severity: 'error',
        title: 'Pods mount no hostPath volumes',
        why: 'A hostPath volume exposes the node’s filesystem to the pod: the container runtime socket, kubelet credentials, other pods’ data.',
        fix: 'Use a PersistentVolumeClaim, a ConfigMap or Secret, or an emptyDir instead of hostPath.',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes:
    - name: docker
      hostPath: {path: /var/run/docker.sock}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  volumes:
    - name: cache
      emptyDir: {}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
            line: 7,
        },
        appliesTo: 'The volumes of every workload kind, Jobs and hooks included.',
    },
    *check(ctx) {
        for (const { manifest, template } of workloads(ctx)) {
            const volumes = Array.isArray(template.spec.volumes) ? template.spec.volumes : [];
            for (let i = 0; i < volumes.length; i++) {
                const volume = volumes[i];
                if (!(0,types/* isRecord */.u4)(volume) || !(0,types/* isRecord */.u4)(volume.hostPath))
                    continue;
                yield {
                    manifest,
                    path: [...template.specPath, 'volumes', i, 'hostPath'],
                    message: `volume "${String(volume.name)}" mounts the host path ${String(volume.hostPath.path ?? '')}`.trimEnd(),
                };
            }
        }
    },
};
// ---- the rest of the Pod Security Standards (baseline, and restricted's group rule) -------------
/**
 * Sysctls the baseline Pod Security Standard allows: namespaced in the pod and isolated from
 * other pods on the node. Any other sysctl can change the whole node's kernel.
 */
const SAFE_SYSCTLS = new Set([
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
    'net.ipv4.ip_local_reserved_ports',
    'net.ipv4.tcp_keepalive_time',
    'net.ipv4.tcp_fin_timeout',
    'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes',
    'net.ipv4.tcp_rmem',
    'net.ipv4.tcp_wmem',
]);
const PSS_APPLIES_TO = 'Every workload kind, Jobs and hooks included; containers of every kind (regular, init, ephemeral). ' +
    'A Pod Security Standards baseline control: a namespace that enforces baseline or restricted ' +
    'rejects these pods.';
const unsafeSysctls = {
    meta: {
        id: 'security-unsafe-sysctls',
        category: 'security',
        severity: 'error',
        title: 'Pods set only safe sysctls',
        why: 'A sysctl outside the safe set is not isolated to the pod: it changes kernel settings that ' +
            'every pod on the node shares, or can disable protections. Kubelets refuse such pods unless ' +
            'the node allows them, and then one pod reconfigures the node for all.',
        fix: 'Remove the sysctl, or tune the nodes themselves (a node pool, or a DaemonSet run by the platform team).',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    sysctls:
      - {name: kernel.msgmax, value: "65536"}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext:
    sysctls:
      - {name: net.ipv4.ip_local_port_range, value: "1024 65535"}
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2`,
            line: 7,
        },
        appliesTo: PSS_APPLIES_TO,
    },
    *check(ctx) {
        for (const { manifest, template } of workloads(ctx)) {
            const sysctls = recordAt(template.spec, 'securityContext').sysctls;
            if (!Array.isArray(sysctls))
                continue;
            for (let i = 0; i < sysctls.length; i++) {
                const s = sysctls[i];
                const name = (0,types/* isRecord */.u4)(s) ? String(s.name ?? '') : '';
                if (SAFE_SYSCTLS.has(name))
                    continue;
                yield {
                    manifest,
                    path: [...template.specPath, 'securityContext', 'sysctls', i],
                    message: `${manifest.ref.kind} "${manifest.ref.name}" sets sysctl ${name}, which is not in the safe set`,
                };
            }
        }
    },
};
const procMount = perContainer({
    id: 'security-proc-mount',
    category: 'security',
    severity: 'error',
    title: 'Containers keep the default masked /proc',
    why: 'procMount: Unmasked exposes the parts of /proc that the runtime hides (kernel memory, keys, timers): a direct path to information about, and control of, the host.',
    fix: 'Remove securityContext.procMount (or set it to Default).',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        procMount: Unmasked`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        procMount: Default`,
        line: 9,
    },
    appliesTo: PSS_APPLIES_TO,
}, (wc) => {
    const value = recordAt(wc.container.container, 'securityContext').procMount;
    if (value === undefined || value === null || value === 'Default')
        return undefined;
    return {
        manifest: wc.manifest,
        path: securityContextPath(wc, 'procMount'),
        message: `${describeContainer(wc.container)} sets procMount: ${String(value)}`,
    };
});
const hostPort = {
    meta: {
        id: 'security-host-port',
        category: 'security',
        severity: 'warning',
        title: 'Containers do not bind ports on the node (hostPort)',
        why: 'A hostPort opens the port on the node itself: it bypasses the Service and usually the ' +
            'NetworkPolicies in front of the pod, ties the pod to nodes where the port is free, and lets ' +
            'two replicas never share a node.',
        fix: 'Remove hostPort and expose the port through a Service (a LoadBalancer or NodePort one if it must be reachable from outside).',
        example: {
            bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports:
        - {name: http, containerPort: 8080, hostPort: 80}`,
            good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      ports:
        - {name: http, containerPort: 8080}`,
            line: 9,
        },
        appliesTo: PSS_APPLIES_TO,
    },
    *check(ctx) {
        for (const wc of workloadContainers(ctx)) {
            const ports = Array.isArray(wc.container.container.ports) ? wc.container.container.ports : [];
            for (let i = 0; i < ports.length; i++) {
                const p = ports[i];
                const port = (0,types/* isRecord */.u4)(p) ? intField(p.hostPort) : undefined;
                if (port === undefined || port === 0)
                    continue;
                yield {
                    manifest: wc.manifest,
                    path: [...wc.container.path, 'ports', i, 'hostPort'],
                    message: `${describeContainer(wc.container)} binds port ${port} on the node (hostPort)`,
                };
            }
        }
    },
};
const rootGroup = perContainer({
    id: 'security-run-as-root-group',
    category: 'security',
    severity: 'warning',
    title: 'Containers do not run with the root group',
    why: 'runAsGroup: 0 gives the process the root group: it can read and write every file the image (or a mounted volume) left group-root, which is often most of them.',
    fix: 'Set runAsGroup to a non-zero group (and fsGroup for volumes), at pod or container level.',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        runAsUser: 10001
        runAsGroup: 0`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        runAsUser: 10001
        runAsGroup: 10001`,
        line: 10,
    },
    appliesTo: 'Every container of every workload kind. Only an explicit runAsGroup: 0 (container level, else ' +
        'pod level) is reported: without one the image decides.',
}, (wc) => {
    const group = effectiveSecurity(wc.template, wc.container, 'runAsGroup');
    if (intField(group.value) !== 0)
        return undefined;
    return {
        manifest: wc.manifest,
        path: group.path,
        message: `${describeContainer(wc.container)} runs with the root group (runAsGroup: 0)`,
    };
});
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const appArmorUnconfined = perContainer({
    id: 'security-apparmor-unconfined',
    category: 'security',
    severity: 'error',
    title: 'Containers keep an AppArmor profile (not Unconfined)',
    why: 'Unconfined switches off the AppArmor profile the runtime applies by default, which blocks writes to /proc and /sys, mounts and raw access the container should never need.',
    fix: 'Remove the Unconfined profile, or use RuntimeDefault or a Localhost profile written for the app.',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        appArmorProfile:
          type: Unconfined`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        appArmorProfile:
          type: RuntimeDefault`,
        line: 10,
    },
    appliesTo: `${PSS_APPLIES_TO} Both the appArmorProfile field and the older per-container annotation are read.`,
}, (wc) => {
    const profile = effectiveSecurity(wc.template, wc.container, 'appArmorProfile');
    const type = (0,types/* isRecord */.u4)(profile.value) ? profile.value.type : undefined;
    const who = describeContainer(wc.container);
    if (type === 'Unconfined') {
        return {
            manifest: wc.manifest,
            path: [...profile.path, 'type'],
            message: `${who} runs without an AppArmor profile (Unconfined)`,
        };
    }
    const annotation = `${APPARMOR_ANNOTATION}${wc.container.name}`;
    if (wc.template.annotations[annotation] === 'unconfined') {
        return {
            manifest: wc.manifest,
            path: [...wc.template.metaPath, 'annotations', annotation],
            message: `${who} runs without an AppArmor profile (annotation ${annotation}: unconfined)`,
        };
    }
    return undefined;
});
/** SELinux types the baseline standard allows; user and role may not be set at all. */
const SELINUX_TYPES = new Set([
    '',
    'container_t',
    'container_init_t',
    'container_kvm_t',
    'container_engine_t',
]);
const seLinuxCustom = perContainer({
    id: 'security-selinux-custom',
    category: 'security',
    severity: 'error',
    title: 'Containers do not set a custom SELinux user, role or type',
    why: 'A custom SELinux user or role, or a type other than the container ones, lifts the confinement SELinux puts around container processes: the process gets the rights of whatever the label allows on the host.',
    fix: 'Remove seLinuxOptions.user and role, and keep type to container_t (or leave it unset); set only level if you need MCS separation.',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        seLinuxOptions:
          type: spc_t`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        seLinuxOptions:
          level: "s0:c123,c456"`,
        line: 10,
    },
    appliesTo: PSS_APPLIES_TO,
}, (wc) => {
    const options = effectiveSecurity(wc.template, wc.container, 'seLinuxOptions');
    if (!(0,types/* isRecord */.u4)(options.value))
        return undefined;
    const who = describeContainer(wc.container);
    for (const field of ['user', 'role']) {
        const v = options.value[field];
        if (typeof v === 'string' && v !== '') {
            return {
                manifest: wc.manifest,
                path: [...options.path, field],
                message: `${who} sets a custom SELinux ${field} (${v})`,
            };
        }
    }
    const type = options.value.type;
    if (typeof type === 'string' && !SELINUX_TYPES.has(type)) {
        return {
            manifest: wc.manifest,
            path: [...options.path, 'type'],
            message: `${who} runs with SELinux type ${type}, not a container type`,
        };
    }
    return undefined;
});
const windowsHostProcess = perContainer({
    id: 'security-windows-host-process',
    category: 'security',
    severity: 'error',
    title: 'Windows containers are not host processes',
    why: 'A Windows HostProcess container runs directly on the node, with the node’s network and file system and the rights of a host account: the Windows counterpart of privileged.',
    fix: 'Remove windowsOptions.hostProcess; run node-level agents as reviewed platform components.',
    example: {
        bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        windowsOptions:
          hostProcess: true`,
        good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.4.2
      securityContext:
        windowsOptions:
          runAsUserName: ContainerUser`,
        line: 10,
    },
    appliesTo: PSS_APPLIES_TO,
}, (wc) => {
    const options = effectiveSecurity(wc.template, wc.container, 'windowsOptions');
    if (!(0,types/* isRecord */.u4)(options.value) || options.value.hostProcess !== true)
        return undefined;
    return {
        manifest: wc.manifest,
        path: [...options.path, 'hostProcess'],
        message: `${describeContainer(wc.container)} runs as a Windows host process`,
    };
});
const security_rules = [
    runAsRoot,
    privilegeEscalation,
    privileged,
    capabilitiesNotDropped,
    dangerousCapabilities,
    writableRootFilesystem,
    seccomp,
    hostNamespaces,
    hostPath,
    unsafeSysctls,
    procMount,
    hostPort,
    rootGroup,
    appArmorUnconfined,
    seLinuxCustom,
    windowsHostProcess,
];

;// CONCATENATED MODULE: ./lib/rules/util/databases.js

const DATABASES = [
    {
        name: 'PostgreSQL',
        words: ['postgres', 'postgresql', 'postgis', 'timescaledb', 'pgvector', 'spilo'],
        dataDirs: [
            '/var/lib/postgresql/data',
            '/var/lib/pgsql/data',
            '/bitnami/postgresql',
            '/home/postgres/pgdata',
        ],
    },
    {
        name: 'MySQL',
        words: ['mysql', 'mariadb', 'percona'],
        dataDirs: ['/var/lib/mysql', '/bitnami/mysql', '/bitnami/mariadb'],
    },
    {
        name: 'MongoDB',
        words: ['mongo', 'mongodb'],
        dataDirs: ['/data/db', '/data/configdb', '/bitnami/mongodb'],
    },
    {
        name: 'Redis',
        words: ['redis', 'valkey', 'keydb'],
        dataDirs: ['/data', '/var/lib/redis', '/bitnami/redis', '/bitnami/valkey'],
        oftenCache: true,
    },
    {
        name: 'Elasticsearch',
        words: ['elasticsearch', 'opensearch'],
        dataDirs: [
            '/usr/share/elasticsearch/data',
            '/usr/share/opensearch/data',
            '/bitnami/elasticsearch',
            '/bitnami/opensearch',
        ],
    },
    {
        name: 'Cassandra',
        words: ['cassandra', 'scylla', 'scylladb'],
        dataDirs: ['/var/lib/cassandra', '/var/lib/scylla', '/bitnami/cassandra'],
    },
    {
        name: 'etcd',
        words: ['etcd'],
        dataDirs: ['/var/lib/etcd', '/etcd-data', '/var/run/etcd', '/bitnami/etcd'],
    },
    {
        name: 'ClickHouse',
        words: ['clickhouse'],
        dataDirs: ['/var/lib/clickhouse', '/bitnami/clickhouse'],
    },
    {
        name: 'Kafka',
        words: ['kafka', 'redpanda'],
        dataDirs: ['/var/lib/kafka', '/bitnami/kafka', '/kafka', '/var/lib/redpanda/data', '/opt/kafka/data'],
    },
    {
        name: 'ZooKeeper',
        words: ['zookeeper'],
        dataDirs: ['/var/lib/zookeeper', '/data', '/datalog', '/bitnami/zookeeper'],
    },
    { name: 'CockroachDB', words: ['cockroach', 'cockroachdb'], dataDirs: ['/cockroach/cockroach-data'] },
    { name: 'Neo4j', words: ['neo4j'], dataDirs: ['/data'] },
    { name: 'InfluxDB', words: ['influxdb'], dataDirs: ['/var/lib/influxdb', '/var/lib/influxdb2'] },
    { name: 'CouchDB', words: ['couchdb'], dataDirs: ['/opt/couchdb/data', '/bitnami/couchdb'] },
    { name: 'RabbitMQ', words: ['rabbitmq'], dataDirs: ['/var/lib/rabbitmq', '/bitnami/rabbitmq'] },
    { name: 'MinIO', words: ['minio'], dataDirs: ['/data', '/bitnami/minio'] },
];
/**
 * Words that make a name about a database rather than the database itself: `postgres-exporter`,
 * `redis-commander`, `pgbouncer`, `mysql-client`, `kafka-ui`.
 */
const NOT_A_SERVER = new Set([
    'exporter',
    'operator',
    'proxy',
    'bouncer',
    'pgbouncer',
    'commander',
    'ui',
    'admin',
    'client',
    'cli',
    'tools',
    'backup',
    'metrics',
    'controller',
    'connect',
    'sentinel',
    'rest',
    'manager',
    'dashboards',
    'kibana',
    'migrate',
    'migrations',
    'init',
]);
const BY_WORD = new Map();
for (const family of DATABASES)
    for (const word of family.words)
        BY_WORD.set(word, family);
/**
 * Whether a lower-case name has a database's word among its words (runs between `-`, `_` and `.`):
 * most containers are not databases, and this is asked of every one by several rules.
 */
const HAS_DATABASE_WORD = new RegExp(`(?:^|[-_.])(?:${[...BY_WORD.keys()].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?=$|[-_.])`);
function familyOfName(name) {
    const lower = name.toLowerCase();
    if (!HAS_DATABASE_WORD.test(lower))
        return undefined;
    const words = lower.split(/[-_.]+/);
    if (words.some((w) => NOT_A_SERVER.has(w)))
        return undefined;
    for (const w of words) {
        const family = BY_WORD.get(w);
        if (family)
            return family;
    }
    return undefined;
}
/** The database a container runs, judged by its image repository's last component, then its name. */
function databaseOf(container) {
    return identifyDatabase(container)?.family;
}
/** The database a container runs and what gave it away (`image "postgres:16.4"`), for messages. */
function identifyDatabase(container) {
    let image;
    if (typeof container.image === 'string') {
        const parsed = imageReference(container.image);
        if (parsed.ok) {
            image = parsed.ref.repository.slice(parsed.ref.repository.lastIndexOf('/') + 1);
            const family = familyOfName(image);
            if (family)
                return { family, by: `image ${container.image}` };
        }
    }
    const family = typeof container.name === 'string' ? familyOfName(container.name) : undefined;
    if (!family)
        return undefined;
    // A known non-server image (postgres-exporter) is not rescued by its container name.
    if (image?.split(/[-_.]+/).some((w) => NOT_A_SERVER.has(w)))
        return undefined;
    return { family, by: `container name "${String(container.name)}"` };
}
/**
 * Persistence switched on in a Redis-like server's arguments: `--appendonly yes`, or `--save`
 * with a schedule (`--save ""` turns snapshots off).
 */
function persistenceInArgs(container) {
    const words = [container.command, container.args]
        .flatMap((list) => (Array.isArray(list) ? list.map(String) : []))
        .flatMap((w) => w.split(/\s+/))
        .filter((w) => w !== '');
    for (let i = 0; i < words.length; i++) {
        const flag = words[i].replace(/^--/, '');
        const value = (words[i + 1] ?? '').replace(/^(["'])(.*)\1$/, '$2');
        if (flag === 'appendonly' && value.toLowerCase() === 'yes')
            return '--appendonly yes';
        if (flag === 'save' && value !== '' && !value.startsWith('--'))
            return `--save ${value}`;
    }
    return undefined;
}
function normalizeDir(path) {
    const trimmed = path.replace(/\/+$/, '');
    return trimmed === '' ? '/' : trimmed;
}
/**
 * Does a mount cover a data directory: the directory itself, a parent of it, or a folder
 * inside it (`/var/lib/postgresql/data/pgdata`)?
 */
function coversDataDir(mountPath, dataDirs) {
    const mount = normalizeDir(mountPath);
    if (mount === '/')
        return undefined;
    return dataDirs.find((dir) => dir === mount || dir.startsWith(`${mount}/`) || mount.startsWith(`${dir}/`));
}

;// CONCATENATED MODULE: ./lib/rules/storage.js



/** Regular containers that run a database, in every workload. */
function* databaseContainers(ctx) {
    for (const workload of workloads(ctx)) {
        const { manifest, template } = workload;
        for (const container of containersOfKinds(workload, ['containers'])) {
            const family = databaseOf(container.container);
            if (family)
                yield { manifest, template, container, family };
        }
    }
}
/** Pod volumes by name. */
function volumesByName(template) {
    const out = new Map();
    const volumes = Array.isArray(template.spec.volumes) ? template.spec.volumes : [];
    for (const v of volumes)
        if ((0,types/* isRecord */.u4)(v) && typeof v.name === 'string')
            out.set(v.name, v);
    return out;
}
/** Names of a StatefulSet's volumeClaimTemplates (they replace pod volumes of the same name). */
function claimTemplateNames(manifest) {
    const spec = manifest.object.spec;
    const templates = (0,types/* isRecord */.u4)(spec) && Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
    const names = new Set();
    for (const t of templates) {
        if ((0,types/* isRecord */.u4)(t) && (0,types/* isRecord */.u4)(t.metadata) && typeof t.metadata.name === 'string')
            names.add(t.metadata.name);
    }
    return names;
}
/** Data directories the container says it uses through the images' own variables (PGDATA, ...). */
function envDataDirs(container) {
    const env = Array.isArray(container.env) ? container.env : [];
    const dirs = [];
    for (const e of env) {
        if (!(0,types/* isRecord */.u4)(e) || typeof e.value !== 'string')
            continue;
        if (['PGDATA', 'MYSQL_DATADIR', 'MONGO_DATA_DIR', 'ETCD_DATA_DIR', 'KAFKA_LOG_DIRS'].includes(String(e.name))) {
            dirs.push(e.value);
        }
    }
    return dirs;
}
function* mountsOf(container, volumes) {
    const mounts = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
    for (let index = 0; index < mounts.length; index++) {
        const m = mounts[index];
        if (!(0,types/* isRecord */.u4)(m) || typeof m.mountPath !== 'string' || typeof m.name !== 'string')
            continue;
        yield {
            index,
            mountPath: m.mountPath,
            volume: volumes.get(m.name),
            volumeName: m.name,
        };
    }
}
/** A database as it should run, for the examples: a StatefulSet whose claim template holds its data. */
const DATABASE_STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql/data}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 20Gi}}}`;
const emptyDirUnderData = {
    meta: {
        id: 'storage-database-emptydir',
        category: 'storage',
        severity: 'error',
        title: 'Databases do not keep their data in an emptyDir',
        why: 'An emptyDir lives and dies with the pod: a reschedule, an eviction or a node drain deletes the database’s files.',
        fix: 'Mount a PersistentVolumeClaim at the data directory, preferably through a StatefulSet’s volumeClaimTemplates.',
        example: {
            bad: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql/data}
      volumes:
        - name: data
          emptyDir: {}`,
            good: DATABASE_STATEFULSET,
            line: 14,
        },
        appliesTo: "Regular containers that run a known database (judged by the image name, else the container name) with an emptyDir mounted over its data directory (the image's default, or one set by PGDATA and similar variables). A volume claim template of the same name takes the volume's place and passes.",
    },
    *check(ctx) {
        for (const { manifest, template, container, family } of databaseContainers(ctx)) {
            const volumes = volumesByName(template);
            const claims = claimTemplateNames(manifest);
            const dataDirs = [...family.dataDirs, ...envDataDirs(container.container)];
            for (const mount of mountsOf(container.container, volumes)) {
                if (!mount.volume || !('emptyDir' in mount.volume) || claims.has(mount.volumeName))
                    continue;
                const dir = coversDataDir(mount.mountPath, dataDirs);
                if (!dir)
                    continue;
                yield {
                    manifest,
                    path: [...container.path, 'volumeMounts', mount.index],
                    message: `${describeContainer(container)} keeps ${family.name} data in emptyDir volume "${mount.volumeName}" at ${mount.mountPath}`,
                };
            }
        }
    },
};
const storage_REPLICATED_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController']);
const notStatefulSet = {
    meta: {
        id: 'storage-database-not-statefulset',
        category: 'storage',
        severity: 'warning',
        title: 'Databases run as StatefulSets',
        why: 'A Deployment gives its pods no stable identity and starts the new pod before the old one stops: two database processes can share a volume, or a new pod comes up with no data at all.',
        fix: 'Run the database as a StatefulSet with volumeClaimTemplates (or use a managed database or an operator).',
        example: {
            bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          volumeMounts:
            - {name: data, mountPath: /var/lib/postgresql/data}
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: db-data}`,
            good: DATABASE_STATEFULSET,
            line: 2,
        },
        appliesTo: 'Deployments, ReplicaSets and ReplicationControllers whose containers run a known database, ' +
            'judged by the image name (else the container name), that keeps data: a volume (not a ' +
            'ConfigMap or Secret) at its data directory, or, for servers often run as caches (Redis, ' +
            'Valkey), persistence switched on in their arguments. A cache with nothing to keep is left alone.',
    },
    *check(ctx) {
        for (const workload of workloads(ctx)) {
            const { manifest, template } = workload;
            if (!storage_REPLICATED_KINDS.has(manifest.object.kind))
                continue;
            for (const container of containersOfKinds(workload, ['containers'])) {
                const db = identifyDatabase(container.container);
                const keeps = db && keptData(container.container, template, db.family);
                if (!db || !keeps)
                    continue;
                yield {
                    manifest,
                    path: ['kind'],
                    message: `${manifest.ref.kind} "${manifest.ref.name}" runs ${db.family.name} (${describeContainer(container)}, judged by its ${db.by}) and keeps data (${keeps}); run it as a StatefulSet`,
                };
                break;
            }
        }
    },
};
/** Volume kinds that hold configuration, not data. */
const CONFIG_VOLUMES = ['configMap', 'secret', 'projected', 'downwardAPI'];
/**
 * How a database container shows that it keeps data, or undefined when it does not: a volume
 * other than configuration at its data directory; persistence switched on in its arguments; or,
 * for servers that are not often caches, simply being one (its data then lives in the container).
 */
function keptData(container, template, family) {
    const dataDirs = [...family.dataDirs, ...envDataDirs(container)];
    for (const mount of mountsOf(container, volumesByName(template))) {
        if (!mount.volume || CONFIG_VOLUMES.some((k) => k in mount.volume))
            continue;
        if (coversDataDir(mount.mountPath, dataDirs))
            return `volume "${mount.volumeName}" at ${mount.mountPath}`;
    }
    const flag = persistenceInArgs(container);
    if (flag)
        return `it runs with ${flag}`;
    return family.oftenCache ? undefined : 'in the container filesystem, lost on every restart';
}
const statefulSetWithoutClaims = {
    meta: {
        id: 'storage-statefulset-no-volume-claims',
        category: 'storage',
        severity: 'warning',
        title: 'Database StatefulSets keep their data on volume claims',
        why: 'A StatefulSet without volumeClaimTemplates gives each replica no disk of its own: data lives in the container or in a volume that does not follow the pod.',
        fix: 'Add volumeClaimTemplates and mount the claim at the database’s data directory.',
        example: {
            bad: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4`,
            good: DATABASE_STATEFULSET,
            line: 4,
        },
        appliesTo: 'StatefulSets without volumeClaimTemplates whose containers run a known database; a data directory on an existing claim is accepted.',
    },
    *check(ctx) {
        for (const workload of workloads(ctx)) {
            const { manifest, template } = workload;
            if (manifest.object.kind !== 'StatefulSet' || claimTemplateNames(manifest).size > 0)
                continue;
            const volumes = volumesByName(template);
            for (const container of containersOfKinds(workload, ['containers'])) {
                const family = databaseOf(container.container);
                if (!family)
                    continue;
                // A data directory on an existing claim is a deliberate choice (a single replica, say).
                const onClaim = [...mountsOf(container.container, volumes)].some((m) => m.volume && 'persistentVolumeClaim' in m.volume && coversDataDir(m.mountPath, family.dataDirs));
                if (onClaim)
                    continue;
                yield {
                    manifest,
                    path: ['spec', 'volumeClaimTemplates'],
                    message: `StatefulSet "${manifest.ref.name}" runs ${family.name} (${describeContainer(container)}) without volumeClaimTemplates`,
                };
                break;
            }
        }
    },
};
const storage_rules = [emptyDirUnderData, notStatefulSet, statefulSetWithoutClaims];

;// CONCATENATED MODULE: ./lib/rules/index.js











/** The whole checklist, in the order of the design notes' categories. */
const ALL_RULES = [
    ...resources_rules,
    ...probes_rules,
    ...rbac_rules,
    ...replicas_rules,
    ...observability_rules,
    ...security_rules,
    ...network_rules,
    ...images_rules,
    ...storage_rules,
    ...lifecycle_rules,
    ...rules,
];
function ruleById(id) {
    return ALL_RULES.find((r) => r.meta.id === id);
}


/***/ }),

/***/ 2200:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AX: () => (/* binding */ SUPPRESSION_RULES),
/* harmony export */   px: () => (/* binding */ applySuppressions)
/* harmony export */ });
/* unused harmony exports parseSuppression, collectSuppressions */
/* harmony import */ var _model_collections_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(412);
/* harmony import */ var _model_suggest_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4603);
/* harmony import */ var _model_types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3356);
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7217);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3042);





/**
 * Per-object suppressions, by annotation on the object that has the finding:
 *
 *     metadata:
 *       annotations:
 *         shipshape.io/ignore.<rule-id>: "<reason>; expires=YYYY-MM-DD"
 *
 * A suppression drops that rule's findings on that object while it is valid. It must say why, and
 * may say until when (the date is the last day it holds). Suppressions that rot are findings of
 * their own: one without a reason or with a bad date (`suppression-invalid`), one past its date
 * (`suppression-expired`), one with nothing left to suppress (`suppression-unused`). Invalid and
 * expired suppressions suppress nothing. Pure: "today" is an input.
 */

/** A Pod whose image has no digest (image-digest-missing), with the given suppression annotation. */
function suppressed(value, image = 'ghcr.io/acme/web:1.4.2') {
    return [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: web',
        ...(value === undefined
            ? []
            : ['  annotations:', `    shipshape.io/ignore.image-digest-missing: ${value}`]),
        'spec:',
        '  containers:',
        '    - name: web',
        `      image: ${image}`,
    ].join('\n');
}
const EXAMPLE_GOOD = suppressed('"pinned by the mirror\'s admission webhook; expires=2099-01-31"');
const SUPPRESSION_RULES = [
    {
        id: 'suppression-invalid',
        severity: 'warning',
        title: 'Suppressions name a known rule and give a reason (and a valid expiry date, if any)',
        why: 'A suppression without a reason cannot be reviewed or revisited; one that names no rule, or has a date nobody can read, silently hides nothing or everything. Invalid suppressions suppress nothing.',
        fix: 'Write the annotation as `shipshape.io/ignore.<rule-id>: "<why this is acceptable>; expires=YYYY-MM-DD"`, with a rule id from `shipshape rules`.',
        example: { bad: suppressed('""'), good: EXAMPLE_GOOD, line: 6 },
    },
    {
        id: 'suppression-expired',
        severity: 'warning',
        title: 'Suppressions are removed or renewed when they expire',
        why: 'An expiry date is a promise to revisit the exception. Past the date the suppression no longer applies: the finding it hid is reported again, and so is the stale annotation.',
        fix: 'Fix what the rule reports and delete the annotation, or renew it with a new reason and date after a review.',
        example: { bad: suppressed('"mirror pins it; expires=2024-01-31"'), good: EXAMPLE_GOOD, line: 6 },
    },
    {
        id: 'suppression-unused',
        severity: 'info',
        title: 'Suppressions that no longer suppress anything are removed',
        why: 'A leftover suppression hides the next regression of the same rule on that object without anyone deciding it should.',
        fix: 'Delete the annotation: the rule passes on this object now.',
        example: {
            // The image is pinned now: nothing is left to suppress.
            bad: suppressed('"legacy"', `ghcr.io/acme/web:1.4.2@sha256:${'3b5c9e1f'.repeat(8)}`),
            good: suppressed(undefined, `ghcr.io/acme/web:1.4.2@sha256:${'3b5c9e1f'.repeat(8)}`),
            line: 6,
        },
    },
];
/** Read one annotation value: `reason; expires=YYYY-MM-DD` (the expiry part is optional). */
function parseSuppression(value) {
    const reasons = [];
    let expires;
    let problem;
    for (const raw of value.split(';')) {
        const part = raw.trim();
        const m = /^expires\s*[=:]\s*(.*)$/i.exec(part);
        if (!m) {
            if (part)
                reasons.push(part);
            continue;
        }
        expires = m[1].trim();
        if (!isCalendarDate(expires))
            problem = `expiry "${expires}" is not a date as YYYY-MM-DD`;
    }
    const reason = reasons.join('; ');
    if (!reason)
        problem ??= 'no reason given: say why this finding is acceptable';
    return { reason, ...(expires !== undefined && { expires }), ...(problem && { problem }) };
}
function isCalendarDate(s) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s))
        return false;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
/** Every suppression annotation on the objects loaded, invalid ones included. */
function collectSuppressions(manifests) {
    const out = [];
    for (const manifest of manifests) {
        const annotations = manifest.object.metadata.annotations;
        if (!annotations || typeof annotations !== 'object')
            continue;
        for (const [annotation, value] of Object.entries(annotations)) {
            if (!annotation.startsWith(_types_js__WEBPACK_IMPORTED_MODULE_1__/* .SUPPRESSION_PREFIX */ .B))
                continue;
            const ruleId = annotation.slice(_types_js__WEBPACK_IMPORTED_MODULE_1__/* .SUPPRESSION_PREFIX */ .B.length);
            out.push({ manifest, annotation, ruleId, ...parseSuppression(typeof value === 'string' ? value : '') });
        }
    }
    return out;
}
function applySuppressions(manifests, findings, options) {
    const today = typeof options.today === 'string' ? options.today : options.today.toISOString().slice(0, 10);
    const known = new Map(options.rules.map((r) => [r.id, r]));
    const byObject = new Map();
    const extra = [];
    const report = (s, id, message) => {
        if (options.disabled?.has(id))
            return;
        extra.push(suppressionFinding(s, id, categoryFor(s.ruleId, options.rules), message, options.severity));
    };
    for (const s of collectSuppressions(manifests)) {
        if (!known.has(s.ruleId)) {
            report(s, 'suppression-invalid', `\`${s.annotation}\` names no rule "${s.ruleId}"${nearest(s.ruleId, known)}`);
        }
        else if (s.problem) {
            report(s, 'suppression-invalid', `\`${s.annotation}\`: ${s.problem}; it suppresses nothing`);
        }
        else if (s.expires && s.expires < today) {
            report(s, 'suppression-expired', `\`${s.annotation}\` expired on ${s.expires}; ${s.ruleId} is reported again`);
        }
        else {
            (0,_model_collections_js__WEBPACK_IMPORTED_MODULE_2__/* .pushTo */ .I)(byObject, `${(0,_model_types_js__WEBPACK_IMPORTED_MODULE_3__/* .refKey */ .XF)(s.manifest.ref)}\0${s.ruleId}`, s);
        }
    }
    // No annotation suppresses anything (most runs): every finding is kept as it is.
    if (byObject.size === 0)
        return { findings: (0,_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .sortFindings */ .Tc)([...findings, ...extra]), suppressed: [] };
    const used = new Set();
    const kept = [];
    const suppressed = [];
    for (const finding of findings) {
        const matches = byObject.get(`${(0,_model_types_js__WEBPACK_IMPORTED_MODULE_3__/* .refKey */ .XF)(finding.object)}\0${finding.ruleId}`);
        if (!matches) {
            kept.push(finding);
            continue;
        }
        for (const s of matches)
            used.add(s);
        const s = matches[0];
        suppressed.push({ finding, reason: s.reason, ...(s.expires && { expires: s.expires }) });
    }
    for (const list of byObject.values()) {
        for (const s of list) {
            if (used.has(s) || !options.ran.has(s.ruleId))
                continue;
            report(s, 'suppression-unused', `\`${s.annotation}\` suppresses nothing: ${s.ruleId} passes on this object`);
        }
    }
    return { findings: (0,_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .sortFindings */ .Tc)([...kept, ...extra]), suppressed };
}
function suppressionFinding(s, id, category, message, severities) {
    const meta = SUPPRESSION_RULES.find((m) => m.id === id);
    const rule = { meta: { ...meta, category }, check: () => [] };
    return (0,_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .toFinding */ .N6)(rule, severities?.get(id) ?? meta.severity, {
        manifest: s.manifest,
        path: ['metadata', 'annotations', s.annotation],
        message,
    });
}
/** The suppressed rule's category; for an unknown id, that of the closest known rule id. */
function categoryFor(ruleId, rules) {
    const exact = rules.find((r) => r.id === ruleId);
    if (exact)
        return exact.category;
    // Any distance will do here: the category only groups the report, the message names the typo.
    const close = (0,_model_suggest_js__WEBPACK_IMPORTED_MODULE_4__/* .closestName */ .Nf)(ruleId, rules.map((r) => r.id), Number.POSITIVE_INFINITY);
    return rules.find((r) => r.id === close)?.category ?? 'api';
}
function nearest(id, known) {
    return (0,_model_suggest_js__WEBPACK_IMPORTED_MODULE_4__/* .suggest */ .ZA)(id, known.keys());
}


/***/ }),

/***/ 3042:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ SUPPRESSION_PREFIX),
/* harmony export */   D: () => (/* binding */ DEFAULT_RULE_SETTINGS)
/* harmony export */ });
/** The annotation prefix that suppresses a rule on one object (`shipshape.io/ignore.<rule-id>`). */
const SUPPRESSION_PREFIX = 'shipshape.io/ignore.';
const DEFAULT_RULE_SETTINGS = {
    defaultNamespace: 'default',
    critical: {
        labels: { 'shipshape.io/critical': 'true' },
        annotations: { 'shipshape.io/critical': 'true' },
        priorityClassNames: ['system-cluster-critical', 'system-node-critical'],
    },
    debugTagPatterns: ['debug', 'dont[-_]?push', 'dirty', 'snapshot', 'wip'],
    ownedNamespaces: [],
};


/***/ }),

/***/ 2767:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Rj: () => (/* reexport */ CHANGED),
  mj: () => (/* reexport */ collectEnvFile),
  Ao: () => (/* reexport */ collectKustomization),
  Kr: () => (/* reexport */ collectObject),
  b2: () => (/* reexport */ collectValues),
  QU: () => (/* binding */ maskSecrets),
  wv: () => (/* reexport */ redactPair),
  FI: () => (/* reexport */ redactValue),
  pc: () => (/* reexport */ redacted),
  O3: () => (/* reexport */ secrets)
});

// UNUSED EXPORTS: LAST_APPLIED, MAX_MASK_LENGTH, MIN_MASK_LENGTH, SecretRegistry, argumentSecrets, holdsSecrets, isReference, looksSecretName, placeholder, urlPasswords

// EXTERNAL MODULE: ./lib/model/types.js
var types = __webpack_require__(3356);
// EXTERNAL MODULE: ./lib/model/workload.js
var workload = __webpack_require__(4208);
;// CONCATENATED MODULE: ./lib/secrets/containers.js


/**
 * The containers of an object, wherever its kind keeps them: straight where the built-in
 * workloads do, by a bounded search for custom kinds, and not at all for the built-in kinds that
 * hold none (most of a large repository: Services, ConfigMaps, PodDisruptionBudgets, ...).
 */
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
/** Built-in kinds without containers. */
const NO_CONTAINERS = new Set([
    'Service',
    'ConfigMap',
    'Secret',
    'Namespace',
    'ServiceAccount',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
    'PodDisruptionBudget',
    'NetworkPolicy',
    'Ingress',
    'IngressClass',
    'HorizontalPodAutoscaler',
    'ResourceQuota',
    'LimitRange',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'StorageClass',
    'PriorityClass',
    'Endpoints',
    'EndpointSlice',
    'CustomResourceDefinition',
    'ServiceMonitor',
    'PodMonitor',
]);
/** Visit every container (with a stable name for it: `containers.app`) of an object. */
function forEachContainer(obj, visit) {
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    if (NO_CONTAINERS.has(kind))
        return;
    const inPodSpec = (spec) => {
        if (!(0,types/* isRecord */.u4)(spec))
            return;
        for (const list of CONTAINER_LISTS) {
            const items = spec[list];
            if (Array.isArray(items))
                for (const c of items)
                    if ((0,types/* isRecord */.u4)(c))
                        visit(c, `${list}.${String(c.name ?? '')}`);
        }
    };
    const path = (0,workload/* podSpecPath */.s5)(kind);
    if (path) {
        let node = obj;
        for (const key of path)
            node = (0,types/* isRecord */.u4)(node) ? node[key] : undefined;
        inPodSpec(node);
        return;
    }
    // A custom kind: look for container lists anywhere outside metadata and status.
    const walk = (node, depth) => {
        if (depth > 8)
            return;
        if (Array.isArray(node)) {
            for (const item of node)
                if ((0,types/* isRecord */.u4)(item) || Array.isArray(item))
                    walk(item, depth + 1);
            return;
        }
        if (!(0,types/* isRecord */.u4)(node))
            return;
        inPodSpec(node);
        for (const [k, v] of Object.entries(node)) {
            if (k === 'metadata' || k === 'status' || CONTAINER_LISTS.includes(k))
                continue;
            if ((0,types/* isRecord */.u4)(v) || Array.isArray(v))
                walk(v, depth + 1);
        }
    };
    walk(obj, 0);
}

;// CONCATENATED MODULE: ./lib/secrets/names.js
/**
 * Does a name (an env var, a Helm values key, a command-line flag, a ConfigMap key) say that its
 * value is a secret? Names are cut into words (camelCase, snake_case, kebab-case, dots, slashes)
 * and the words decide, so that `API_KEY` and `apiKey` are secret and `MONKEY_COUNT` is not.
 * A name whose last word says it only refers to a secret or describes one (`secretName`,
 * `tokenFile`, `authEnabled`, `PASSWORD_LENGTH`) is not a secret itself. Pure.
 */
/** Whole words that mark a secret value. */
const SECRET_WORDS = new Set([
    'password',
    'passwords',
    'passwd',
    'pwd',
    'pass',
    'passphrase',
    'secret',
    'secrets',
    'token',
    'tokens',
    'key',
    'keys',
    'apikey',
    'apikeys',
    'credential',
    'credentials',
    'cred',
    'creds',
    'cert',
    'certs',
    'certificate',
    'certificates',
    'private',
    'privatekey',
    'signing',
    'session',
    'cookie',
    'cookies',
    'auth',
    'dsn',
    'sk',
    'pat',
]);
/** A single word that ends in one of these is secret too: `DBPASSWORD`, `clientsecret`, `authtoken`. */
const SECRET_SUFFIXES = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'credentials'];
/** Single words made of a qualifier and `key`: `secretkey`, `accesskey`, `signingkey`, ... */
const KEY_COMPOUNDS = /^(api|private|secret|access|signing|encryption|master|license|hmac|client)keys?$/;
/**
 * A last word that says the value refers to a secret held elsewhere, or describes one, rather
 * than being it: `secretName`, `tokenFile`, `certPath`, `authEnabled`, `TOKEN_TTL`, `KEY_ID`.
 */
const NOT_THE_VALUE = new Set([
    'name',
    'names',
    'ref',
    'refs',
    'reference',
    'selector',
    'from',
    'source',
    'file',
    'files',
    'filename',
    'filepath',
    'path',
    'paths',
    'dir',
    'directory',
    'folder',
    'mount',
    'mountpath',
    'location',
    'enabled',
    'enable',
    'disabled',
    'disable',
    'required',
    'optional',
    'create',
    'generate',
    'ttl',
    'timeout',
    'expiry',
    'expires',
    'expiration',
    'lifetime',
    'duration',
    'age',
    'interval',
    'period',
    'seconds',
    'secs',
    'minutes',
    'hours',
    'days',
    'length',
    'size',
    'count',
    'min',
    'max',
    'limit',
    'type',
    'kind',
    'mode',
    'method',
    'algorithm',
    'alg',
    'provider',
    'driver',
    'backend',
    'store',
    'adapter',
    'engine',
    'format',
    'encoding',
    'version',
    'id',
    'ids',
    'url',
    'urls',
    'uri',
    'endpoint',
    'host',
    'hostname',
    'port',
    'domain',
    'realm',
    'issuer',
    'audience',
    'scope',
    'scopes',
    'header',
    'prefix',
    'suffix',
    'policy',
    'strategy',
    'rotation',
    'field',
    'user',
    'username',
    'login',
    'email',
    'secure',
    'samesite',
    'httponly',
    'affinity',
]);
/** Words that, anywhere in the name, make it about something other than a secret value. */
const NEVER = new Set(['existing', 'automount', 'pull', 'public']);
/** Words before a last `key` that make it a key *name* (`passwordKey`) or no secret (`PARTITION_KEY`). */
const KEY_NAMES = new Set([
    'password',
    'passwd',
    'pwd',
    'pass',
    'partition',
    'sort',
    'primary',
    'foreign',
    'cache',
    'routing',
    'shard',
    'lookup',
    'idempotency',
]);
/** Words before a last `secret` that make it the name of a Secret object: `tlsSecret`, `caSecret`. */
const SECRET_OBJECT_NAMES = new Set(['tls', 'cert', 'ca', 'image', 'ssl']);
/** Split a name into lower-case words at case changes, digits-to-letters kept together, and punctuation. */
function nameWords(name) {
    return name
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .split(/[^A-Za-z0-9]+/)
        .filter((w) => w !== '')
        .map((w) => w.toLowerCase());
}
function isSecretWord(word) {
    return SECRET_WORDS.has(word) || KEY_COMPOUNDS.test(word) || SECRET_SUFFIXES.some((s) => word.endsWith(s));
}
/** A database connection string holds the password: `CONNECTION_STRING`, `connStr`, `connectionstring`. */
function namesConnectionString(name) {
    const words = nameWords(name);
    return isConnectionString(words) || words.includes('dsn');
}
function isConnectionString(words) {
    return words.some((w, i) => w === 'connectionstring' ||
        ((w === 'connection' || w === 'conn') && (words[i + 1] === 'string' || words[i + 1] === 'str')));
}
/** Names repeat (env vars, values keys): each is decided once per run, up to a bound. */
const decided = new Map();
function looksSecretName(name) {
    let secret = decided.get(name);
    if (secret === undefined) {
        secret = decide(name);
        if (decided.size < 50_000)
            decided.set(name, secret);
    }
    return secret;
}
function decide(name) {
    const words = nameWords(name);
    if (words.length === 0)
        return false;
    // $PWD and $OLDPWD are the shell's working directory, not a MySQL password.
    if (words.length === 1 && (words[0] === 'pwd' || words[0] === 'oldpwd'))
        return false;
    if (!words.some(isSecretWord) && !isConnectionString(words))
        return false;
    if (words.some((w) => NEVER.has(w)))
        return false;
    // `existingSecret`, `existingPasswordSecretKey`: a Secret (or a key of one) that exists elsewhere.
    if (words.includes('existing'))
        return false;
    const last = words[words.length - 1];
    if (NOT_THE_VALUE.has(last))
        return false;
    const before = words[words.length - 2];
    if (before !== undefined) {
        if ((last === 'key' || last === 'keys') && KEY_NAMES.has(before))
            return false;
        if ((last === 'secret' || last === 'secrets') && SECRET_OBJECT_NAMES.has(before))
            return false;
    }
    return true;
}
/**
 * A name for a collection whose every entry is a secret (`secrets:`, `credentials:`,
 * `secretEnv:`), as opposed to a map that merely configures one (`auth:`, `tls:`).
 */
function holdsSecrets(name) {
    if (!looksSecretName(name))
        return false;
    const words = nameWords(name);
    const last = words[words.length - 1];
    if (['secrets', 'credentials', 'creds', 'passwords', 'tokens'].includes(last))
        return true;
    return (['env', 'envs', 'vars', 'variables', 'data', 'values'].includes(last) &&
        words.slice(0, -1).some((w) => w === 'secret' || w === 'secrets' || w === 'credentials'));
}

// EXTERNAL MODULE: ./lib/model/path.js
var path = __webpack_require__(3070);
;// CONCATENATED MODULE: ./lib/secrets/values.js

/**
 * Secrets inside free-form values: the password of a URL with credentials, the value of a
 * `--db-password=...` flag (or `--db-password ...`), a `PGPASSWORD=...` assignment in a shell
 * command. Pure.
 */
/** `scheme://user:password@host`: the password runs to the last `@` before the path. */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@'"]*:([^\s/?#'"]*)@/gi;
/** The passwords of every URL with credentials in the text, raw and percent-decoded. */
function urlPasswords(text) {
    if (!text.includes('://'))
        return [];
    const out = [];
    for (const m of text.matchAll(URL_CREDENTIALS)) {
        const raw = m[1];
        if (!raw)
            continue;
        out.push(raw);
        if (raw.includes('%')) {
            try {
                const decoded = decodeURIComponent(raw);
                if (decoded !== raw)
                    out.push(decoded);
            }
            catch {
                // not valid percent-encoding: the raw text is all there is
            }
        }
    }
    return out;
}
/**
 * A value that only points at another: `$(VAR)` (Kubernetes env expansion), `${VAR}` (shell),
 * a Helm template `{{ ... }}`, or blank. Not a secret, and worth showing as it is.
 */
function isReference(value) {
    const v = value.trim();
    return (v === '' ||
        /^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/.test(v) ||
        /^\$\{[A-Za-z_][A-Za-z0-9_.-]*\}$/.test(v) ||
        /^\{\{[^{}]*\}\}$/.test(v));
}
/** A file path is where a secret lives, not the secret: `--tls-cert=/etc/tls/tls.crt`. */
function isFilePath(value) {
    return /^\/[\w./-]*$/.test(value);
}
/** A word worth collecting as the value of a secret-looking flag or assignment. */
function usable(value) {
    return value !== '' && !isReference(value) && !isFilePath(value);
}
/**
 * Is the value under this name a secret, whole? The name must look secret, and the value must be
 * one: not a reference, a file path or a switch (`ENABLE_SESSION: "false"`), and for a connection
 * string or DSN, not one without credentials (`REDIS_ADDR`'s `connectionString: redis-cart:6379`;
 * the password of one that has them is collected on its own).
 */
function holdsSecretValue(name, value) {
    if (typeof value !== 'string' || !looksSecretName(name))
        return false;
    const v = value.trim();
    if (!usable(v) || SWITCH.test(v))
        return false;
    if (namesConnectionString(name))
        return /(^|[;\s])(password|pwd)=/i.test(v);
    return true;
}
const SWITCH = /^(true|false|yes|no|on|off|null|none|enabled|disabled)$/i;
/**
 * A placeholder in the repository's own files, not a secret to look for in every text: one bare
 * word that names a kind of secret (`password`, `token`), or, held under a name, a word of that name
 * (`password: password`, `clusterSecretKey: cluster`: the key a Secret holds the value under).
 * Masking such a word would mask it in every message that says "password". Only ever asked of
 * repository values (registry.ts): where a value sits it is still redacted, and a live object's
 * `DB_PASSWORD=password` is a real (weak) password.
 */
function namesASecret(value) {
    return /^[A-Za-z]+$/.test(value) && looksSecretName(value);
}
function repeatsItsName(name, value) {
    return nameWords(name).includes(value.trim().toLowerCase());
}
function unquote(value) {
    const m = /^(["'])(.*)\1$/s.exec(value);
    return m ? m[2] : value;
}
/** Words of a shell command line, honouring single and double quotes (no escapes, no expansion). */
function splitShellWords(text) {
    const words = [];
    let word = '';
    let inWord = false;
    let quote;
    for (const ch of text) {
        if (quote) {
            if (ch === quote)
                quote = undefined;
            else
                word += ch;
        }
        else if (ch === '"' || ch === "'") {
            quote = ch;
            inWord = true;
        }
        else if (/\s/.test(ch)) {
            if (inWord)
                words.push(word);
            word = '';
            inWord = false;
        }
        else {
            word += ch;
            inWord = true;
        }
    }
    if (inWord)
        words.push(word);
    return words;
}
/** `NAME=value` whose name looks secret: the value, unquoted. */
function assignmentSecret(text) {
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(text);
    if (!m || !looksSecretName(m[1]))
        return undefined;
    const value = unquote(m[2]);
    return usable(value) ? value : undefined;
}
/**
 * The values of secret-looking settings in a config file's text: `password: x`, `"apiKey": "x"`,
 * `API_TOKEN=x`, `db.password = x`, one per line.
 */
function settingValues(text) {
    const out = [];
    for (const line of text.split(/\r?\n/)) {
        const m = /^\s*(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$/.exec(line);
        if (!m || !looksSecretName(m[1]))
            continue;
        const value = unquote(m[2]);
        if (usable(value))
            out.push(value);
    }
    return out;
}
const FLAG_WITH_VALUE = /^--?([A-Za-z0-9][\w.-]*)=(.*)$/s;
const FLAG = /^--?([A-Za-z0-9][\w.-]*)$/;
/**
 * Secrets in a container's `command` and `args` (or any argv): values of secret-looking flags
 * (`--db-password=x`, `--db-password x`), secret-looking assignments (`PGPASSWORD=x`), URL
 * passwords; shell command lines (`sh -c "..."`) are split into words and read the same way.
 */
function argumentSecrets(argv) {
    const out = new Set();
    const visit = (words, depth) => {
        for (let i = 0; i < words.length; i++) {
            const word = words[i];
            for (const p of urlPasswords(word))
                out.add(p);
            const withValue = FLAG_WITH_VALUE.exec(word);
            if (withValue) {
                const value = unquote(withValue[2]);
                if (looksSecretName(withValue[1]) && usable(value))
                    out.add(value);
            }
            else {
                const flag = FLAG.exec(word);
                const next = words[i + 1];
                if (flag && next !== undefined && !next.startsWith('-') && looksSecretName(flag[1])) {
                    if (usable(next))
                        out.add(next);
                    i++;
                    for (const p of urlPasswords(next))
                        out.add(p);
                    continue;
                }
                const assigned = /\s/.test(word) ? undefined : assignmentSecret(word);
                if (assigned !== undefined)
                    out.add(assigned);
            }
            // A shell command line in one argument: its own words.
            if (depth < 2 && /\s/.test(word))
                visit(splitShellWords(word), depth + 1);
        }
    };
    visit(argv.filter((a) => typeof a === 'string'), 0);
    return [...out];
}
/** `postgres://user:<secret: 8 bytes>@host/db`: only the password goes. */
function redactUrlPasswords(text, mark) {
    const secrets = [];
    if (!text.includes('://'))
        return { text, secrets };
    const out = text.replace(URL_CREDENTIALS, (match, password) => {
        if (!password)
            return match;
        secrets.push(password);
        return `${match.slice(0, match.length - password.length - 1)}${mark(password)}@`;
    });
    return { text: out, secrets };
}
/**
 * A container's `command` or `args` with the values of secret-looking flags and assignments and
 * URL passwords replaced, element by element (`--db-password=<secret: 6 bytes>`). A shell
 * command line in one element has each secret word replaced where it stands.
 */
function redactArgv(argv, mark) {
    const out = [];
    let valueOfSecretFlag = false;
    for (const item of argv) {
        if (typeof item !== 'string') {
            out.push({ text: JSON.stringify(item) ?? '', secrets: [] });
            valueOfSecretFlag = false;
            continue;
        }
        const secrets = [];
        let text = item;
        const withValue = FLAG_WITH_VALUE.exec(item);
        const flag = FLAG.exec(item);
        if (valueOfSecretFlag && !item.startsWith('-') && usable(item)) {
            secrets.push(item);
            text = mark(item);
        }
        else if (withValue && looksSecretName(withValue[1]) && usable(unquote(withValue[2]))) {
            secrets.push(unquote(withValue[2]));
            text = `${item.slice(0, item.length - withValue[2].length)}${mark(unquote(withValue[2]))}`;
        }
        else if (!flag && !/\s/.test(item) && assignmentSecret(item) !== undefined) {
            const value = assignmentSecret(item);
            secrets.push(value);
            text = `${item.slice(0, item.indexOf('=') + 1)}${mark(value)}`;
        }
        else if (/\s/.test(item)) {
            // A shell line: each secret word where it stands (after `=`, a blank or a quote).
            for (const value of argumentSecrets([item]).sort((a, b) => b.length - a.length)) {
                const escaped = value.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
                const re = new RegExp(`(?<=^|[=\\s'":@])${escaped}(?=$|[\\s'"@])`, 'g');
                if (re.test(text)) {
                    secrets.push(value);
                    text = text.replace(re, () => mark(value));
                }
            }
        }
        valueOfSecretFlag = flag !== null && looksSecretName(flag[1]);
        const urls = redactUrlPasswords(text, mark);
        out.push({ text: urls.text, secrets: [...secrets, ...urls.secrets] });
    }
    return out;
}

;// CONCATENATED MODULE: ./lib/secrets/registry.js

/**
 * The secret values seen in this run, and the one function that masks them in any text that
 * leaves the process. The CLI and the Action are one run per process, so one registry per
 * process (`secrets`) is the run's; tests reset it.
 *
 * Each value is masked with its base64 forms, its JSON-escaped and URL-encoded forms, and (for
 * a multi-line value such as a PEM key or a config file) each of its opaque lines and the values
 * of its secret-looking settings, because that is how the same secret shows up in a Secret's `data`, a JSON report, a URL or an indented YAML block. Values shorter
 * than MIN_MASK_LENGTH characters are not masked in free text: `admin` or `true` would turn every
 * report into noise. They are still replaced wherever they sit in a Secret, a secret-named env
 * var or a last-applied annotation (structural redaction, see redact.ts).
 */
/** Shortest value (in characters) masked wherever it appears in text. */
const MIN_MASK_LENGTH = 6;
/** Longest value kept whole; a longer one is masked line by line (its lines, each up to this). */
const MAX_MASK_LENGTH = 64 * 1024;
/** The one placeholder for a secret value, everywhere: `<secret: 12 bytes>`. */
function placeholder(bytes) {
    return `<secret: ${bytes} bytes>`;
}
/** A placeholder already in the text is left alone (a secret `secret` must not eat its own marker). */
const PLACEHOLDER_SOURCE = '<secret: \\d+ bytes>';
class SecretRegistry {
    /** Text to mask -> the size the placeholder shows (of the value it stands for). */
    masked = new Map();
    /** Texts that came (also) from somewhere private: masked whatever else they are. */
    privateTexts = new Set();
    /**
     * Names the checked files show anyway. A value read only from those files that is also one of
     * these (a password `pricelist` in an app named `pricelist`) is not masked in free text: the
     * reader has it already, and masking it would turn every path and object name of the report
     * into placeholders (and GitHub refuses a review comment on a masked path). It is still
     * replaced where it sits as a secret (redact.ts).
     */
    publicNames = new Set();
    values = new Map();
    listeners = new Set();
    compiled;
    /** How many strings are masked (values and their forms). */
    get size() {
        return this.masked.size;
    }
    /**
     * Remember a secret value. Non-strings, blanks and references (`$(VAR)`, `${VAR}`, `{{ ... }}`)
     * are ignored, and so (for free-text masking) are values shorter than MIN_MASK_LENGTH.
     */
    add(value, origin = 'private') {
        if (typeof value !== 'string' || isReference(value))
            return;
        // A Secret in the repository whose value is the word `password`: a placeholder, not a secret.
        if (origin === 'repository' && namesASecret(value))
            return;
        const seen = this.values.get(value);
        if (seen === 'private' || seen === origin)
            return;
        this.values.set(value, origin);
        for (const [text, bytes] of formsOf(value))
            this.remember(text, bytes, origin);
    }
    addAll(values, origin = 'private') {
        for (const v of values)
            this.add(v, origin);
    }
    addNamed(name, value, origin = 'private') {
        if (origin === 'repository' && typeof value === 'string' && repeatsItsName(name, value))
            return;
        this.add(value, origin);
    }
    addPublicNames(names) {
        for (const name of names) {
            if (typeof name !== 'string' || name.length < MIN_MASK_LENGTH)
                continue;
            // The name, and each word of it (`frontend` of `pricelist-frontend`, `deploy` of `deploy.yaml`):
            // a word masked inside a file name breaks the path as much as the whole name would.
            for (const word of [name, ...name.split(/[-_.]/)]) {
                if (word.length < MIN_MASK_LENGTH || this.publicNames.has(word))
                    continue;
                this.publicNames.add(word);
                if (this.masked.has(word) && !this.privateTexts.has(word))
                    this.compiled = undefined;
            }
        }
    }
    /** The same registry, for values read from the repository's own files. */
    fromRepository() {
        return {
            add: (value) => this.add(value, 'repository'),
            addNamed: (name, value) => this.addNamed(name, value, 'repository'),
            addAll: (values) => this.addAll(values, 'repository'),
            addBase64: (encoded) => this.addBase64(encoded, 'repository'),
            addPublicNames: (names) => this.addPublicNames(names),
        };
    }
    /**
     * A Secret's `data` value: the decoded value (when it is text) with its forms, and the base64
     * text exactly as written (line breaks and padding included).
     */
    addBase64(encoded, origin = 'private') {
        if (typeof encoded !== 'string')
            return;
        const compact = encoded.replace(/\s/g, '');
        const buf = Buffer.from(compact, 'base64');
        const decoded = buf.toString('utf8');
        if (Buffer.from(decoded, 'utf8').equals(buf))
            this.add(decoded, origin);
        for (const text of new Set([encoded.trim(), compact]))
            this.remember(text, buf.length, origin);
    }
    /** Called with every new string to mask (the Action hands each to the runner's log masking). */
    onAdd(listener) {
        this.listeners.add(listener);
        for (const text of this.masked.keys())
            if (this.masks(text))
                listener(text);
        return () => this.listeners.delete(listener);
    }
    has(text) {
        return this.masked.has(text);
    }
    /** Forget everything (tests; each run is its own process otherwise). Listeners stay. */
    reset() {
        this.masked.clear();
        this.privateTexts.clear();
        this.publicNames.clear();
        this.values.clear();
        this.compiled = undefined;
    }
    remember(text, bytes, origin) {
        if (text.length < MIN_MASK_LENGTH || text.length > MAX_MASK_LENGTH)
            return;
        // The same for a form of one (a `password: password` line of a config file held as a value).
        if (origin === 'repository' && namesASecret(text))
            return;
        if (origin === 'private' && !this.privateTexts.has(text)) {
            this.privateTexts.add(text);
            if (this.masked.has(text)) {
                // Known from the repository before, perhaps as a public name: masked from now on.
                this.compiled = undefined;
                for (const listener of this.listeners)
                    listener(text);
                return;
            }
        }
        if (this.masked.has(text))
            return;
        this.masked.set(text, bytes);
        this.compiled = undefined;
        if (this.masks(text))
            for (const listener of this.listeners)
                listener(text);
    }
    /** Whether `text` is masked in free text (not a repository value that is also a public name). */
    masks(text) {
        return this.privateTexts.has(text) || !this.publicNames.has(text);
    }
    /**
     * Every occurrence of every secret (and its forms) replaced by `<secret: N bytes>`, N the
     * size of the value it stands for. Where two secrets overlap, the union is masked as one.
     * One precompiled pattern (a trie of the strings, so the longest match wins at each position,
     * rebuilt only when the set changes), tried only where the text's next MIN_MASK_LENGTH
     * characters start some secret (or a placeholder): a rolling hash of them is looked up in a
     * table of the secrets' first characters, so a long report is read once, at a few ns a character.
     */
    mask(text) {
        if (this.masked.size === 0 || text.length < MIN_MASK_LENGTH)
            return text;
        const { sticky, marker, heads } = this.patterns();
        const n = text.length;
        let out = '';
        let last = 0;
        let i = 0;
        let h = windowHash(text, 0);
        while (i + MIN_MASK_LENGTH <= n) {
            if (heads[h & HEAD_MASK]) {
                marker.lastIndex = i;
                const ph = marker.exec(text);
                if (ph) {
                    // A placeholder already: left as it is.
                    i += ph[0].length;
                    h = windowHash(text, i);
                    continue;
                }
                sticky.lastIndex = i;
                const m = sticky.exec(text);
                if (m) {
                    const start = i;
                    let end = start + m[0].length;
                    let bytes = this.masked.get(m[0]);
                    // A secret that starts inside this one and runs on past its end: mask the union.
                    for (let p = start + 1; p < end; p++) {
                        sticky.lastIndex = p;
                        const o = sticky.exec(text);
                        if (o && p + o[0].length > end) {
                            end = p + o[0].length;
                            bytes = undefined;
                        }
                    }
                    out +=
                        text.slice(last, start) + placeholder(bytes ?? Buffer.byteLength(text.slice(start, end), 'utf8'));
                    last = end;
                    i = end;
                    h = windowHash(text, i);
                    continue;
                }
            }
            // Roll the window one character on.
            if (i + MIN_MASK_LENGTH < n)
                h =
                    (Math.imul(h - Math.imul(text.charCodeAt(i), HASH_TOP), HASH_BASE) +
                        text.charCodeAt(i + MIN_MASK_LENGTH)) |
                        0;
            i++;
        }
        return last === 0 ? text : out + text.slice(last);
    }
    /** A copy of a JSON-like value with every string masked (keys too). */
    maskDeep(value) {
        if (this.masked.size === 0)
            return value;
        return this.deep(value, 0);
    }
    deep(value, depth) {
        if (typeof value === 'string')
            return this.mask(value);
        if (depth > 64 || value === null || typeof value !== 'object')
            return value;
        if (Array.isArray(value))
            return value.map((v) => this.deep(v, depth + 1));
        if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
            return value;
        const out = {};
        for (const [k, v] of Object.entries(value))
            out[this.mask(k)] = this.deep(v, depth + 1);
        return out;
    }
    patterns() {
        if (!this.compiled) {
            const strings = [...this.masked.keys()].filter((text) => this.masks(text));
            const heads = new Uint8Array(HEAD_MASK + 1);
            for (const text of [...strings, PLACEHOLDER_HEAD])
                heads[windowHash(text, 0) & HEAD_MASK] = 1;
            this.compiled = {
                sticky: new RegExp(trieSource(strings), 'y'),
                marker: new RegExp(PLACEHOLDER_SOURCE, 'y'),
                heads,
            };
        }
        return this.compiled;
    }
}
/** How every placeholder starts (MIN_MASK_LENGTH characters of `<secret: `). */
const PLACEHOLDER_HEAD = '<secret: ';
const HASH_BASE = 31;
/** HASH_BASE ** (MIN_MASK_LENGTH - 1), in 32-bit arithmetic: what the first character weighs. */
const HASH_TOP = (() => {
    let p = 1;
    for (let k = 1; k < MIN_MASK_LENGTH; k++)
        p = Math.imul(p, HASH_BASE);
    return p;
})();
const HEAD_MASK = (1 << 20) - 1;
/** A hash of the MIN_MASK_LENGTH characters from `at` (what `mask` rolls along the text). */
function windowHash(text, at) {
    let h = 0;
    for (let k = 0; k < MIN_MASK_LENGTH; k++)
        h = (Math.imul(h, HASH_BASE) + (text.charCodeAt(at + k) || 0)) | 0;
    return h;
}
/** The strings a value is masked as, each with the size of the value it stands for. */
function formsOf(value) {
    const out = new Map();
    const add = (text, bytes) => {
        if (!out.has(text))
            out.set(text, bytes);
    };
    const bytes = Buffer.byteLength(value, 'utf8');
    const whole = value.length >= MIN_MASK_LENGTH && value.length <= MAX_MASK_LENGTH;
    if (whole) {
        add(value, bytes);
        const trimmed = value.trim();
        if (trimmed !== value)
            add(trimmed, Buffer.byteLength(trimmed, 'utf8'));
        const base64 = Buffer.from(value, 'utf8').toString('base64');
        add(base64.replace(/=+$/, ''), bytes);
        const url = Buffer.from(value, 'utf8').toString('base64url');
        add(url, bytes);
        add(JSON.stringify(value).slice(1, -1), bytes);
        add(encodeURIComponent(value), bytes);
    }
    // A multi-line value (a PEM key, a config file) shows up indented in YAML, a line at a time:
    // each line that is one opaque word (a PEM body line, a token), not armour or plain settings,
    // and the values of secret-looking settings in it (`password: x`, `API_KEY=x`).
    if (value.includes('\n')) {
        for (const line of value.split(/\r?\n/)) {
            const t = line.trim();
            if (!/\s/.test(t) && !t.startsWith('-----') && !/^[\w.-]+:$/.test(t))
                add(t, Buffer.byteLength(t, 'utf8'));
        }
        for (const v of settingValues(value))
            add(v, Buffer.byteLength(v, 'utf8'));
    }
    return [...out];
}
const SPECIAL = /[\\^$.*+?()[\]{}|/-]/;
function escapeChar(ch) {
    if (SPECIAL.test(ch))
        return `\\${ch}`;
    const code = ch.charCodeAt(0);
    // Control characters and non-ASCII as \uXXXX: the pattern stays plain ASCII.
    return code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
}
/**
 * A regular expression source that matches any of the strings, longest first: a trie, so that
 * at each position only the strings that share the text's next characters are tried.
 */
function trieSource(strings) {
    const root = { next: new Map(), end: false };
    for (const s of strings) {
        let node = root;
        // UTF-16 code units, as the (non-unicode) pattern reads the text.
        for (let i = 0; i < s.length; i++) {
            let child = node.next.get(s[i]);
            if (!child) {
                child = { next: new Map(), end: false };
                node.next.set(s[i], child);
            }
            node = child;
        }
        node.end = true;
    }
    // Every non-empty continuation from a node. Runs without branches are written out in a loop,
    // not by recursion: values can be long.
    const emit = (node) => {
        const branches = [];
        for (const [unit, child] of node.next) {
            let text = escapeChar(unit);
            let at = child;
            while (!at.end && at.next.size === 1) {
                const [[u, c]] = at.next;
                text += escapeChar(u);
                at = c;
            }
            // Where a string ends and a longer one goes on, the rest is optional and greedy: longest first.
            if (at.next.size > 0)
                text += at.end ? `(?:${emit(at)})?` : emit(at);
            branches.push(text);
        }
        return branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
    };
    return strings.length === 0 ? '(?!)' : `(?:${emit(root)})`;
}
/** The run's registry: the CLI and the Action are one run per process. */
const secrets = new SecretRegistry();

;// CONCATENATED MODULE: ./lib/secrets/redact.js





/**
 * Structural redaction: before an object is printed or diffed, each value that sits where a
 * secret sits is replaced by `<secret: N bytes>`:
 *
 * - a Secret's `data` (N is the decoded size) and `stringData`;
 * - `kubectl.kubernetes.io/last-applied-configuration`, on every kind (it repeats the object);
 * - env values whose names look secret, and ConfigMap `data` under secret-looking keys;
 * - the password of a URL with credentials, and the value of a secret-looking flag or
 *   assignment, in env values, ConfigMap data, and a container's `command` and `args`.
 *
 * This catches secrets of any length where they sit; free-text masking (registry.ts) catches
 * them wherever else they turn up. Pure.
 */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Shown after the placeholder on the head side of a diff when a secret changed. */
const CHANGED = ' (changed)';
const utf8 = (v) => Buffer.byteLength(v, 'utf8');
const mark = (secret) => placeholder(utf8(secret));
function redact_text(v) {
    return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}
/** The whole value is secret. */
function whole(bytes) {
    return (v) => ({ text: placeholder(bytes(redact_text(v))), secrets: [redact_text(v)] });
}
function base64Bytes(v) {
    return Buffer.from(v.replace(/\s/g, ''), 'base64').length;
}
/** Secrets inside free text (a URL with credentials); undefined when it holds none. */
function inText(v) {
    if (typeof v !== 'string')
        return undefined;
    const r = redactUrlPasswords(v, mark);
    return r.secrets.length > 0 ? r : undefined;
}
/** A named value (an env var, a ConfigMap key): whole when the name looks secret, else its URLs. */
function named(name) {
    return (v) => {
        if (typeof v === 'string' && isReference(v))
            return undefined;
        return holdsSecretValue(name, v) ? whole(utf8)(v) : inText(v);
    };
}
function slot(map, key, redact) {
    const m = map;
    return {
        get: () => m[key],
        set: (v) => {
            m[key] = v;
        },
        redact,
    };
}
/** Every secret-bearing place of an object, by a stable key (so that base and head pair up). */
function secretSlots(obj, kind) {
    const slots = new Map();
    if (!(0,types/* isRecord */.u4)(obj))
        return slots;
    if (kind === 'Secret') {
        for (const field of ['data', 'stringData']) {
            const map = obj[field];
            if (!(0,types/* isRecord */.u4)(map))
                continue;
            const redact = whole(field === 'data' ? base64Bytes : utf8);
            for (const key of Object.keys(map))
                slots.set(`${field}.${key}`, slot(map, key, redact));
        }
    }
    if (kind === 'ConfigMap' && (0,types/* isRecord */.u4)(obj.data)) {
        const data = obj.data;
        for (const key of Object.keys(data))
            slots.set(`data.${key}`, slot(data, key, named(key)));
    }
    const annotations = (0,types/* isRecord */.u4)(obj.metadata) ? obj.metadata.annotations : undefined;
    if ((0,types/* isRecord */.u4)(annotations) && LAST_APPLIED in annotations)
        slots.set('last-applied', slot(annotations, LAST_APPLIED, whole(utf8)));
    forEachContainer(obj, (container, where) => {
        if (Array.isArray(container.env)) {
            for (const item of container.env) {
                if (!(0,types/* isRecord */.u4)(item) || typeof item.name !== 'string' || !('value' in item))
                    continue;
                slots.set(`${where}.env.${item.name}`, slot(item, 'value', named(item.name)));
            }
        }
        for (const list of ['command', 'args']) {
            const argv = container[list];
            if (!Array.isArray(argv))
                continue;
            const redacted = redactArgv(argv, mark);
            argv.forEach((_, i) => {
                const r = redacted[i];
                slots.set(`${where}.${list}.${i}`, slot(argv, i, () => (r.secrets.length > 0 ? r : undefined)));
            });
        }
    });
    return slots;
}
/**
 * Redact a base/head pair in place (pass copies). Either side may be absent (an added or
 * removed object): the present side is still redacted. A secret that differs between the two
 * sides carries ` (changed)` after its placeholder on the head side, so the change shows even
 * when the sizes are equal; an unchanged one reads the same on both sides (no diff line).
 */
function redactPair(base, head) {
    const before = secretSlots(base, base?.kind);
    const after = secretSlots(head, head?.kind);
    const apply = (s, r, suffix = '') => {
        if (r)
            s.set(r.text + suffix);
    };
    for (const [key, b] of before) {
        const rb = b.redact(b.get());
        const h = after.get(key);
        if (!h) {
            apply(b, rb);
            continue;
        }
        const rh = h.redact(h.get());
        const changed = rh !== undefined && JSON.stringify(rb?.secrets ?? []) !== JSON.stringify(rh.secrets);
        apply(b, rb);
        apply(h, rh, changed ? CHANGED : '');
    }
    for (const [key, h] of after)
        if (!before.has(key))
            apply(h, h.redact(h.get()));
}
/** A copy of the object with every secret value replaced by its size: safe to print. */
function redacted(obj) {
    const copy = structuredClone(obj);
    redactPair(copy, undefined);
    return copy;
}
const copies = new WeakMap();
/**
 * The value at `segments` of `root` (an object of `kind`; `root` may lack its own `kind`), made
 * safe to print: taken from a redacted copy of `root`. A value that is not the one at that path
 * is redacted on its own, as an object of that kind would be.
 */
function redactValue(kind, root, segments, value) {
    if (value === undefined || value === null)
        return value ?? null;
    if (!(0,types/* isRecord */.u4)(root) || (0,path/* getAt */.sM)(root, segments) !== value)
        return redactDetached(kind, segments, value);
    let byKind = copies.get(root);
    if (!byKind) {
        byKind = new Map();
        copies.set(root, byKind);
    }
    let copy = byKind.get(kind);
    if (!copy) {
        copy = { ...structuredClone(root), kind };
        redactPair(copy, undefined);
        byKind.set(kind, copy);
    }
    return (0,path/* getAt */.sM)(copy, segments) ?? null;
}
/** A value on its own: under a Secret's data it is all secret; otherwise as part of an object. */
function redactDetached(kind, segments, value) {
    const [top] = segments;
    if (kind === 'Secret' && (top === 'data' || top === 'stringData')) {
        const bytes = top === 'data' ? base64Bytes : utf8;
        if (segments.length === 1 && (0,types/* isRecord */.u4)(value))
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholder(bytes(redact_text(v)))]));
        return placeholder(bytes(redact_text(value)));
    }
    // Put it back where it sits (in an env item, a container, a map of annotations) and redact that.
    const holder = { kind };
    if (segments.length === 0)
        return (0,types/* isRecord */.u4)(value) ? redacted({ ...structuredClone(value), kind }) : value;
    let node = holder;
    for (let i = 0; i < segments.length - 1; i++) {
        const next = (typeof segments[i + 1] === 'number' ? [] : {});
        node[segments[i]] = next;
        node = next;
    }
    node[segments[segments.length - 1]] = structuredClone(value);
    redactPair(holder, undefined);
    return (0,path/* getAt */.sM)(holder, segments) ?? null;
}

;// CONCATENATED MODULE: ./lib/secrets/collect.js






/**
 * Collect the secret values of a run as manifests, values and kustomizations come into being,
 * so that every output can mask them (registry.ts). What counts as a secret:
 *
 * - a Secret's `data` (decoded, and the base64 text) and `stringData`;
 * - env values whose names look secret; ConfigMap `data` under secret-looking keys;
 * - the password of any URL with credentials in env values, `command`, `args` and ConfigMap data,
 *   and secret-looking settings in a config file held as one value (`password: x`);
 * - values of secret-looking flags and assignments in `command` and `args`;
 * - `kubectl.kubernetes.io/last-applied-configuration` on any kind: the object inside, collected
 *   the same way;
 * - Helm values under secret-looking keys (and every entry of a `secrets:`-like map), and URL
 *   passwords and secret flags in any values string;
 * - kustomize `secretGenerator` literals and the contents of its `envs` and `files`.
 *
 * Pure: readers of files hand their contents in (render/secret-inputs.ts).
 */
/** Collect the secrets of one Kubernetes object (rendered, loaded, or read from a cluster). */
function collectObject(obj, registry = secrets, depth = 0) {
    if (!(0,types/* isRecord */.u4)(obj) || depth > 2)
        return;
    registry.addPublicNames(publicNamesOf(obj));
    const annotations = (0,types/* isRecord */.u4)(obj.metadata) ? obj.metadata.annotations : undefined;
    if ((0,types/* isRecord */.u4)(annotations) && typeof annotations[LAST_APPLIED] === 'string') {
        const applied = annotations[LAST_APPLIED];
        registry.add(applied);
        try {
            collectObject(JSON.parse(applied), registry, depth + 1);
        }
        catch {
            // not JSON: the whole text is already collected
        }
    }
    if (obj.kind === 'Secret') {
        if ((0,types/* isRecord */.u4)(obj.data))
            for (const v of Object.values(obj.data))
                registry.addBase64(v);
        if ((0,types/* isRecord */.u4)(obj.stringData))
            for (const v of Object.values(obj.stringData))
                registry.add(v);
    }
    if (obj.kind === 'ConfigMap' && (0,types/* isRecord */.u4)(obj.data)) {
        for (const [k, v] of Object.entries(obj.data))
            collectNamed(k, v, registry);
    }
    forEachContainer(obj, (c) => {
        if (Array.isArray(c.env)) {
            for (const item of c.env)
                if ((0,types/* isRecord */.u4)(item) && typeof item.name === 'string')
                    collectNamed(item.name, item.value, registry);
        }
        for (const list of ['command', 'args']) {
            const argv = c[list];
            if (Array.isArray(argv))
                registry.addAll(argumentSecrets(argv));
        }
    });
}
/** What an object shows of itself by name: its name, namespace and label values (its pods' too). */
function publicNamesOf(obj) {
    const names = [];
    const meta = (m) => {
        if (!(0,types/* isRecord */.u4)(m))
            return;
        names.push(m.name, m.namespace);
        if ((0,types/* isRecord */.u4)(m.labels))
            names.push(...Object.values(m.labels));
    };
    meta(obj.metadata);
    if ((0,types/* isRecord */.u4)(obj.spec) && (0,types/* isRecord */.u4)(obj.spec.template))
        meta(obj.spec.template.metadata);
    return names;
}
/** A named value (env var, ConfigMap key): all of it when the name looks secret, else its URL passwords. */
function collectNamed(name, value, registry) {
    if (typeof value !== 'string')
        return;
    if (holdsSecretValue(name, value))
        registry.addNamed(name, value);
    registry.addAll(urlPasswords(value));
    // A config file held as one value: its secret-looking settings.
    if (value.includes('\n'))
        registry.addAll(settingValues(value));
}
/** A key that describes or names a secret rather than holding it (`name`, `existingSecret`, `host`). */
function describes(key) {
    const words = nameWords(key);
    const last = words[words.length - 1];
    return last === undefined || NOT_THE_VALUE.has(last) || words.includes('existing');
}
/**
 * Helm values (a chart's values.yaml, a values file, `--set` pairs as a tree): strings under
 * secret-looking keys, every entry of a map such as `secrets:` or `credentials:` (but not the
 * ones that only describe it, like `name` or `host`), `{name, value}` pairs with a secret name,
 * and URL passwords and secret flags in any string. Keys with a `/` are annotations and labels,
 * not settings.
 */
function collectValues(tree, registry = secrets) {
    // `parent` is the key of the map holding this one (a list's items share the list's key).
    const walk = (node, key, parent, inSecrets, depth) => {
        if (depth > 64)
            return;
        if (typeof node === 'string') {
            if (key !== undefined && (isSecretSetting(key, parent, node) || (inSecrets && !describes(key))))
                registry.addNamed(key, node);
            if (!isReference(node))
                registry.addAll(argumentSecrets([node]));
            if (node.includes('\n'))
                registry.addAll(settingValues(node));
            return;
        }
        if (Array.isArray(node)) {
            for (const item of node)
                walk(item, key, parent, inSecrets, depth + 1);
            return;
        }
        if (!(0,types/* isRecord */.u4)(node))
            return;
        if (typeof node.name === 'string' && holdsSecretValue(node.name, node.value))
            registry.addNamed(node.name, node.value);
        for (const [k, v] of Object.entries(node))
            walk(v, k, key, inSecrets || holdsSecrets(k), depth + 1);
    };
    walk(tree, undefined, undefined, false, 0);
}
/** Owners of a bare `key:` that makes it key material (`tls.key`), not a label key (`tolerations[].key`). */
const KEY_OWNERS = new Set(['tls', 'ssl', 'ssh', 'gpg', 'pgp', 'jwt', 'api', 'encryption', 'signing']);
/**
 * A values key whose string is a secret. Annotation and label keys (with a `/`) are not settings.
 * A bare `key` is the most common word in Kubernetes-shaped values (tolerations, selectors,
 * `secretKeyRef`): it counts only under a map that is about keys or secrets.
 */
function isSecretSetting(key, parent, value) {
    if (key === undefined || key.includes('/') || !holdsSecretValue(key, value))
        return false;
    if (!/^keys?$/i.test(key))
        return true;
    return parent !== undefined && (KEY_OWNERS.has(parent.toLowerCase()) || looksSecretName(parent));
}
/** `KEY=value` lines (a kustomize or docker env file): every value, or only secret-named ones. */
function collectEnvFile(text, everyValue, registry = secrets) {
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const eq = line.indexOf('=');
        const name = eq > 0 ? line.slice(0, eq).trim() : line;
        const value = eq > 0 ? collect_unquote(line.slice(eq + 1).trim()) : '';
        if (everyValue)
            registry.add(eq > 0 ? value : line);
        else if (holdsSecretValue(name, value))
            registry.addNamed(name, value);
        registry.addAll(urlPasswords(value));
    }
}
function collect_unquote(value) {
    const m = /^(["'])(.*)\1$/s.exec(value);
    return m ? m[2] : value;
}
/**
 * A parsed kustomization: `secretGenerator` literals (`KEY=value`: the value; a literal without
 * `=` is malformed, and kustomize's error echoes all of it, so all of it), secret-named
 * `configMapGenerator` literals, and inline Helm values. Returns the generator files to read.
 */
function collectKustomization(k, registry = secrets) {
    const files = { secretFiles: [], secretEnvs: [], configEnvs: [] };
    if (!(0,types/* isRecord */.u4)(k))
        return files;
    const entries = (field) => (Array.isArray(k[field]) ? k[field].filter(types/* isRecord */.u4) : []);
    const strings = (v) => typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((s) => typeof s === 'string') : [];
    for (const g of entries('secretGenerator')) {
        for (const literal of strings(g.literals)) {
            const eq = literal.indexOf('=');
            registry.add(eq > 0 ? collect_unquote(literal.slice(eq + 1)) : literal);
        }
        // `files:` entries may be `key=path`.
        for (const f of strings(g.files))
            files.secretFiles.push(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
        files.secretEnvs.push(...strings(g.envs), ...strings(g.env));
    }
    for (const g of entries('configMapGenerator')) {
        for (const literal of strings(g.literals)) {
            const value = assignmentSecret(literal);
            if (value !== undefined)
                registry.add(value);
            registry.addAll(urlPasswords(literal));
        }
        files.configEnvs.push(...strings(g.envs), ...strings(g.env));
    }
    for (const chart of entries('helmCharts'))
        collectValues(chart.valuesInline, registry);
    return files;
}

;// CONCATENATED MODULE: ./lib/secrets/index.js
/**
 * The one secrets module: what is secret (names.ts, values.ts), the values seen in this run and
 * the masking of every output (registry.ts), where they are collected from (collect.ts), and the
 * redaction of objects before they are printed or diffed (redact.ts). One placeholder
 * everywhere: `<secret: N bytes>`.
 */






/** Every secret seen in this run masked in `text`: the last step before anything leaves the process. */
function maskSecrets(text) {
    return secrets.mask(text);
}


/***/ })

};
