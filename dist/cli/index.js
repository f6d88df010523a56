import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 2250:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("dns");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 481:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:readline");

/***/ }),

/***/ 99:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:sqlite");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 7830:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/web");

/***/ }),

/***/ 7997:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers");

/***/ }),

/***/ 8500:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 8877:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 3480:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("querystring");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 2018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 7016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 9154:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("vm");

/***/ }),

/***/ 3106:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("zlib");

/***/ }),

/***/ 7349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveBlockMap = __nccwpck_require__(7103);
var resolveBlockSeq = __nccwpck_require__(334);
var resolveFlowCollection = __nccwpck_require__(3142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(5937);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 5937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var composeCollection = __nccwpck_require__(7349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(7788);
var utilEmptyScalarPosition = __nccwpck_require__(2599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(1342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var identity = __nccwpck_require__(1127);
var composeDoc = __nccwpck_require__(3683);
var resolveEnd = __nccwpck_require__(7788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 7103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(4051);
var utilMapIncludes = __nccwpck_require__(1187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 8913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(2223);
var resolveProps = __nccwpck_require__(4631);
var utilFlowIndentCheck = __nccwpck_require__(4051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 7788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 3142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(1187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 6842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var resolveEnd = __nccwpck_require__(7788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 4631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 2599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 4051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 1187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var toJS = __nccwpck_require__(4043);
var Schema = __nccwpck_require__(5840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(1596);
var applyReviver = __nccwpck_require__(3661);
var createNode = __nccwpck_require__(2404);
var directives = __nccwpck_require__(1342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 1596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 3661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 1342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 1464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 8815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(5840);
var errors = __nccwpck_require__(1464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(4047);
var visit = __nccwpck_require__(204);



__webpack_unused_export__ = composer.Composer;
__webpack_unused_export__ = Document.Document;
__webpack_unused_export__ = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
__webpack_unused_export__ = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
exports.jh = identity.isMap;
__webpack_unused_export__ = identity.isNode;
exports.tO = identity.isPair;
exports.jn = identity.isScalar;
exports.oP = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
__webpack_unused_export__ = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
exports.HN = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
exports.qg = publicApi.parse;
exports.hR = publicApi.parseAllDocuments;
exports.Tp = publicApi.parseDocument;
exports.As = publicApi.stringify;
__webpack_unused_export__ = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 7249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var visit = __nccwpck_require__(204);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 6673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(3661);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 7165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyPair = __nccwpck_require__(9748);
var addPairToJSMap = __nccwpck_require__(7104);
var identity = __nccwpck_require__(1127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 3301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 4454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(1212);
var addPairToJSMap = __nccwpck_require__(7104);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 2223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyCollection = __nccwpck_require__(1212);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var toJS = __nccwpck_require__(4043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 7104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(7249);
var merge = __nccwpck_require__(452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 4043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);
var errors = __nccwpck_require__(1464);
var stringifyString = __nccwpck_require__(3069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 1733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 7715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(110);
var cstStringify = __nccwpck_require__(1733);
var cstVisit = __nccwpck_require__(7715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 6628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 4047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var log = __nccwpck_require__(7249);
var identity = __nccwpck_require__(1127);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 5840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var tags = __nccwpck_require__(18);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 7451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLMap = __nccwpck_require__(4454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 3632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLSeq = __nccwpck_require__(2223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 6464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(3069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 3959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 8405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 9874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 3559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 18:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);
var schema = __nccwpck_require__(896);
var schema$1 = __nccwpck_require__(3559);
var binary = __nccwpck_require__(6083);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var schema$2 = __nccwpck_require__(5913);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 6083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(181);
var Scalar = __nccwpck_require__(3301);
var stringifyString = __nccwpck_require__(3069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 5782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var pairs = __nccwpck_require__(8385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 8385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLSeq = __nccwpck_require__(2223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 5913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var binary = __nccwpck_require__(6083);
var bool = __nccwpck_require__(8398);
var float = __nccwpck_require__(5782);
var int = __nccwpck_require__(873);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 1528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 6752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 4475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var identity = __nccwpck_require__(1127);
var stringifyComment = __nccwpck_require__(9799);
var stringifyString = __nccwpck_require__(3069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 1212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 8689:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 9748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 3069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var foldFlowLines = __nccwpck_require__(4475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


/***/ }),

/***/ 9894:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  a: () => (/* binding */ runCli)
});

;// CONCATENATED MODULE: ./lib/model/suggest.js
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

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __nccwpck_require__(7975);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(1455);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(8815);
// EXTERNAL MODULE: ./lib/model/types.js
var types = __nccwpck_require__(3356);
;// CONCATENATED MODULE: ./lib/model/path.js

/**
 * Field paths read the way people talk about manifests. Lists with a merge key are addressed by
 * that key (`containers[name=app]`), never by index; other lists by index (`rules[0]`).
 */
/** The key that identifies an item of a list field, by the field's name (strategic-merge keys). */
const MERGE_KEYS = {
    containers: ['name'],
    initContainers: ['name'],
    ephemeralContainers: ['name'],
    env: ['name'],
    volumes: ['name'],
    volumeMounts: ['mountPath'],
    volumeDevices: ['devicePath'],
    imagePullSecrets: ['name'],
    ports: ['containerPort', 'port', 'name'],
    hostAliases: ['ip'],
    volumeClaimTemplates: ['metadata.name'],
    subjects: ['name'],
    conditions: ['type'],
    containerStatuses: ['name'],
    initContainerStatuses: ['name'],
    ephemeralContainerStatuses: ['name'],
};
function mergeKeyOf(listField, item) {
    const keys = MERGE_KEYS[listField];
    if (!keys || !(0,types/* isRecord */.u4)(item))
        return undefined;
    for (const key of keys) {
        const value = key.includes('.')
            ? key.split('.').reduce((o, k) => ((0,types/* isRecord */.u4)(o) ? o[k] : undefined), item)
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
    for (const seg of segments) {
        if (typeof seg === 'number') {
            const item = Array.isArray(node) ? node[seg] : undefined;
            const mk = mergeKeyOf(parentKey, item);
            out += mk ? `[${mk.key}=${mk.value}]` : `[${seg}]`;
            node = item;
        }
        else {
            out += PLAIN_KEY.test(seg) ? (out ? `.${seg}` : seg) : `[${JSON.stringify(seg)}]`;
            node = (0,types/* isRecord */.u4)(node) ? node[seg] : undefined;
            parentKey = seg;
        }
    }
    return out;
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
            if (!(0,types/* isRecord */.u4)(node) || !(step.key in node))
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
                const v = key.split('.').reduce((o, k) => ((0,types/* isRecord */.u4)(o) ? o[k] : undefined), item);
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
            node = (0,types/* isRecord */.u4)(node) ? node[seg] : undefined;
        if (node === undefined)
            return undefined;
    }
    return node;
}

;// CONCATENATED MODULE: ./lib/drift/policy.js

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
    return policy.controllers.some((c) => c.manager === entry.manager && (!c.paths || c.paths.some((p) => pathMatches(p, path))));
}
function isIgnored(path, policy) {
    return policy.ignore.some((p) => pathMatches(p, path));
}
/** Does a display path match a pattern? `*` is one step, `**` any number of steps. */
function pathMatches(pattern, path) {
    const want = tokens(pattern.replaceAll('[*]', '.*'));
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
function tokens(path) {
    try {
        return parsePath(path).map(token);
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

;// CONCATENATED MODULE: ./lib/drift/config.js


const KEYS = ['deployers', 'controllers', 'ignore', 'namespaces', 'allNamespaces', 'serverSideDryRun'];
function defaultDriftConfig() {
    return {
        policy: structuredClone(DEFAULT_DRIFT_POLICY),
        namespaces: [],
        allNamespaces: false,
        serverSideDryRun: false,
    };
}
const driftSection = {
    defaults: defaultDriftConfig,
    read(value, r, p) {
        const out = defaultDriftConfig();
        if (!(0,types/* isRecord */.u4)(value)) {
            if (value !== null && value !== undefined)
                r.error(p, 'must be a mapping');
            return out;
        }
        for (const key of Object.keys(value)) {
            if (!KEYS.includes(key))
                r.error([...p, key], `unknown key; expected one of ${KEYS.join(', ')}`);
        }
        if ('deployers' in value)
            out.policy.deployers = strings(value.deployers, r, [...p, 'deployers']) ?? out.policy.deployers;
        if ('ignore' in value)
            out.policy.ignore.push(...(strings(value.ignore, r, [...p, 'ignore']) ?? []));
        if ('namespaces' in value)
            out.namespaces = strings(value.namespaces, r, [...p, 'namespaces']) ?? [];
        if ('controllers' in value)
            out.policy.controllers =
                controllers(value.controllers, r, [...p, 'controllers']) ?? out.policy.controllers;
        for (const key of ['allNamespaces', 'serverSideDryRun']) {
            if (!(key in value))
                continue;
            if (typeof value[key] === 'boolean')
                out[key] = value[key];
            else
                r.error([...p, key], 'must be true or false');
        }
        return out;
    },
};
function strings(value, r, p) {
    if (!Array.isArray(value)) {
        r.error(p, 'must be a list of strings');
        return undefined;
    }
    const out = [];
    value.forEach((v, i) => {
        if (typeof v === 'string' && v)
            out.push(v);
        else
            r.error([...p, i], 'must be a non-empty string');
    });
    return out;
}
function controllers(value, r, p) {
    if (!Array.isArray(value)) {
        r.error(p, 'must be a list of { manager, paths }');
        return undefined;
    }
    const out = [];
    value.forEach((v, i) => {
        if (typeof v === 'string' && v) {
            out.push({ manager: v });
            return;
        }
        if (!(0,types/* isRecord */.u4)(v) || typeof v.manager !== 'string' || !v.manager) {
            r.error([...p, i], 'must be a manager name or { manager, paths }');
            return;
        }
        const paths = 'paths' in v ? strings(v.paths, r, [...p, i, 'paths']) : undefined;
        out.push(paths ? { manager: v.manager, paths } : { manager: v.manager });
    });
    return out;
}

// EXTERNAL MODULE: ./node_modules/js-yaml/dist/js-yaml.mjs
var js_yaml = __nccwpck_require__(3243);
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
                    const text = (0,js_yaml/* getScalarValue */.KE)(source, key);
                    const resolved = key.style === js_yaml/* SCALAR_STYLE */.jK.PLAIN ? resolvePlainKey(text) : text;
                    if (resolved === '<<' || resolved === '__proto__' || INDEX_LIKE.test(resolved))
                        return false;
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
    return walk() ? Int32Array.from(out) : undefined;
}
/** Keys JavaScript objects put first, whatever their order in the text. */
const INDEX_LIKE = /^(0|[1-9][0-9]*)$/;
/**
 * Locate with offsets from {@link preorderOffsets}: walk the value and the offsets together.
 * Undefined when the value no longer has the shape it was parsed with (someone changed it).
 */
function locateByOrder(offsets, root, segments) {
    if (nodeCount(root) !== offsets.length)
        return undefined;
    let index = 0;
    let node = root;
    let best = offsets[0];
    for (const seg of segments) {
        if (typeof seg === 'number') {
            if (!Array.isArray(node) || seg >= node.length)
                break;
            let j = index + 1;
            for (let k = 0; k < seg; k++)
                j += nodeCount(node[k]);
            index = j;
            node = node[seg];
            best = offsets[index];
        }
        else {
            if (!isPlainObject(node) || !Object.hasOwn(node, seg))
                break;
            let j = index + 1;
            for (const key of Object.keys(node)) {
                if (key === seg)
                    break;
                j += 1 + nodeCount(node[key]);
            }
            best = offsets[j];
            index = j + 1;
            node = node[seg];
        }
    }
    return best;
}
function nodeCount(value) {
    if (Array.isArray(value)) {
        let n = 1;
        for (const item of value)
            n += nodeCount(item);
        return n;
    }
    if (isPlainObject(value)) {
        let n = 1;
        for (const key in value)
            n += 1 + nodeCount(value[key]);
        return n;
    }
    return 1;
}
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

;// CONCATENATED MODULE: ./lib/load/yaml.js



const DEFAULT_MAX_ALIAS_EXPANSION = 100_000;
/**
 * kubectl reads YAML 1.1 (`yes`, `on` are booleans, `0755` is octal), so we do too; timestamps stay
 * strings, as JSON (and so the API server) has no dates.
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
    splitDocuments(text).forEach((chunk, docIndex) => {
        const source = text.slice(chunk.start, chunk.end);
        let events;
        try {
            events = (0,js_yaml/* parseEvents */.PH)(source, {});
        }
        catch (err) {
            errors.push(syntaxError(err, chunk, lines, source));
            return;
        }
        let value;
        try {
            [value] = (0,js_yaml/* constructFromEvents */.fw)(events, { source, schema: KUBERNETES_SCHEMA });
        }
        catch (err) {
            errors.push(syntaxError(err, chunk, lines, source));
            return;
        }
        if (value === null || value === undefined)
            return;
        const hasAliases = events.some((e) => e.type === js_yaml/* EVENT_ID */.hy.ALIAS);
        if (hasAliases) {
            const size = expandedSize(value, maxExpansion);
            if (size > maxExpansion) {
                errors.push({
                    level: 'error',
                    message: `document ${docIndex + 1}: aliases expand to more than ${maxExpansion} nodes; not loaded`,
                    location: lines.at(firstContentOffset(events, chunk)),
                });
                return;
            }
            // Aliased nodes are shared objects; give every field its own copy, as the API server would.
            value = structuredClone(value);
        }
        const order = hasAliases ? undefined : preorderOffsets(events, source);
        const located = new DocumentPositions(source, chunk.start, lines, value, order);
        collect(value, [], docIndex, located, manifests, errors);
    });
    return { manifests, errors };
}
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
    const base = [...prefix];
    out.push({
        object,
        ref: (0,types/* refOf */.H8)(object),
        file: positions.file,
        doc: docIndex,
        locate: (segments) => positions.locate(base.length === 0 ? segments : [...base, ...segments]),
    });
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
    order;
    static recent = new Map();
    static KEEP = 8;
    constructor(source, base, lines, root, order) {
        this.source = source;
        this.base = base;
        this.lines = lines;
        this.root = root;
        this.order = order;
    }
    get file() {
        return this.lines.file;
    }
    locate(segments) {
        const fast = this.order ? locateByOrder(this.order, this.root, segments) : undefined;
        if (fast !== undefined)
            return this.lines.at(this.base + fast);
        const tree = this.tree();
        return this.lines.at(this.base + (tree ? locateOffset(tree, segments) : 0));
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
/** Offsets -> 1-based line and column, by binary search over the line starts. */
class LineIndex {
    text;
    file;
    starts;
    constructor(text, file) {
        this.text = text;
        this.file = file;
    }
    at(offset) {
        if (!this.starts) {
            this.starts = [0];
            for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1))
                this.starts.push(i + 1);
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
        return { file: this.file, line: lo + 1, column: offset - starts[lo] + 1 };
    }
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
/** Count the nodes a value expands to, counting shared (aliased) nodes every time; stop past `limit`. */
function expandedSize(value, limit) {
    const memo = new Map();
    const size = (v) => {
        if (typeof v !== 'object' || v === null)
            return 1;
        const known = memo.get(v);
        if (known !== undefined)
            return known;
        let n = 1;
        for (const child of Array.isArray(v) ? v : Object.values(v)) {
            n += size(child);
            if (n > limit)
                break;
        }
        memo.set(v, n);
        return n;
    };
    return size(value);
}

;// CONCATENATED MODULE: ./lib/load/files.js



const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform']);
async function loadPaths(inputs, options = {}) {
    const cwd = options.cwd ?? process.cwd();
    const exclude = (options.exclude ?? []).map(globToRegExp);
    const result = { manifests: [], errors: [], files: [] };
    const files = [];
    for (const input of inputs) {
        if (input === '-') {
            files.push('-');
            continue;
        }
        const abs = external_node_path_.resolve(cwd, input);
        const st = await (0,promises_.stat)(abs).catch(() => undefined);
        if (!st) {
            result.errors.push({ level: 'error', message: `${input}: no such file or folder` });
        }
        else if (st.isDirectory()) {
            files.push(...(await walk(abs)));
        }
        else {
            files.push(abs);
        }
    }
    const unique = [...new Set(files)]
        .map((abs) => ({ abs, rel: abs === '-' ? '<stdin>' : relativeName(cwd, abs) }))
        .filter(({ abs, rel }) => abs === '-' || !exclude.some((re) => re.test(rel)));
    // Reading is I/O-bound: keep several reads in flight, then parse in the order the files were named.
    const texts = await mapConcurrent(unique, READ_CONCURRENCY, ({ abs, rel }) => abs === '-' ? (options.stdin ?? readStdin)() : readManifestFile(abs, rel, options, result.errors));
    unique.forEach(({ rel }, i) => {
        const text = texts[i];
        if (text === undefined)
            return;
        result.files.push(rel);
        const parsed = parseManifests(text, rel, options);
        result.manifests.push(...parsed.manifests);
        result.errors.push(...parsed.errors);
    });
    return result;
}
const READ_CONCURRENCY = 16;
async function mapConcurrent(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}
function relativeName(cwd, abs) {
    const rel = external_node_path_.relative(cwd, abs);
    return (rel.startsWith('..') || external_node_path_.isAbsolute(rel) ? abs : rel).split(external_node_path_.sep).join('/');
}
async function readManifestFile(abs, rel, options, errors) {
    const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    try {
        const st = await (0,promises_.stat)(abs);
        if (st.size > limit) {
            errors.push({
                level: 'error',
                message: `file is ${mib(st.size)}, over the ${mib(limit)} limit; skipped`,
                location: { file: rel, line: 1, column: 1 },
            });
            return undefined;
        }
        const bytes = await (0,promises_.readFile)(abs);
        if (bytes.subarray(0, 8192).includes(0)) {
            errors.push({
                level: 'note',
                message: 'binary file; skipped',
                location: { file: rel, line: 1, column: 1 },
            });
            return undefined;
        }
        return bytes.toString('utf8');
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
async function walk(dir) {
    const out = [];
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
        const full = external_node_path_.join(dir, e.name);
        if (e.isDirectory()) {
            if (!SKIP_DIRS.has(e.name))
                out.push(...(await walk(full)));
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
/** `**` matches any folders, `*` anything but `/`; a pattern without `/` matches a name anywhere. */
function globToRegExp(glob) {
    let re = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '*' && glob[i + 1] === '*') {
            re += '.*';
            i++;
            if (glob[i + 1] === '/')
                i++;
        }
        else if (c === '*')
            re += '[^/]*';
        else if (c === '?')
            re += '[^/]';
        else
            re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return glob.includes('/') ? new RegExp(`^${re}(/.*)?$`) : new RegExp(`(^|/)${re}(/.*)?$`);
}

;// CONCATENATED MODULE: ./lib/render/config.js



/**
 * The `targets:` and `render:` sections of `.shipshape.yaml`. Paths are relative to the config
 * file's folder, as written; `resolveTargets` makes them relative to the working directory.
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
 *     helm: /usr/local/bin/helm           # default: helm on PATH
 *     kustomize: /usr/local/bin/kustomize # default: kustomize, else kubectl kustomize, on PATH
 *     timeoutSeconds: 60                  # per helm or kustomize call
 *     concurrency: 4                      # default: the number of cores
 */
const HELM_KEYS = ['chart', 'values', 'releaseName', 'namespace', 'set', 'kubeVersion', 'apiVersions'];
const targetsSection = {
    defaults: () => [],
    read(value, r, p) {
        if (value === null || value === undefined)
            return [];
        if (!Array.isArray(value)) {
            r.error(p, 'must be a list of targets (each with chart:, kustomize: or plain:)');
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
    if (!(0,types/* isRecord */.u4)(item)) {
        r.error(p, 'must be a mapping with chart:, kustomize: or plain:');
        return undefined;
    }
    if (typeof item.kustomize === 'string' && item.kustomize) {
        for (const k of Object.keys(item))
            if (k !== 'kustomize')
                r.error([...p, k], 'unknown key for a kustomize target');
        return { kind: 'kustomize', dir: item.kustomize };
    }
    if ('plain' in item) {
        const paths = config_strings(item.plain, r, [...p, 'plain'], true);
        return paths && paths.length > 0 ? { kind: 'plain', paths } : undefined;
    }
    if (typeof item.chart !== 'string' || !item.chart) {
        r.error(p, 'needs chart: (a Helm chart folder), kustomize: (an overlay folder) or plain: (manifest paths)');
        return undefined;
    }
    for (const k of Object.keys(item))
        if (!HELM_KEYS.includes(k))
            r.error([...p, k], `unknown key; expected one of ${HELM_KEYS.join(', ')}`);
    const set = {};
    if ((0,types/* isRecord */.u4)(item.set)) {
        for (const [k, v] of Object.entries(item.set)) {
            if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
                set[k] = String(v);
            else
                r.error([...p, 'set', k], 'must be a string, number or boolean');
        }
    }
    else if (item.set !== undefined)
        r.error([...p, 'set'], 'must be a mapping of key: value');
    const chart = item.chart;
    return {
        kind: 'helm',
        chart,
        releaseName: optionalString(item.releaseName, r, [...p, 'releaseName']) ?? releaseNameOf(chart),
        namespace: optionalString(item.namespace, r, [...p, 'namespace']) ?? 'default',
        valuesFiles: config_strings(item.values, r, [...p, 'values'], true) ?? [],
        set,
        kubeVersion: optionalString(item.kubeVersion, r, [...p, 'kubeVersion']),
        apiVersions: config_strings(item.apiVersions, r, [...p, 'apiVersions'], false) ?? [],
    };
}
const renderSection = {
    defaults: () => ({ tools: {} }),
    read(value, r, p) {
        const out = { tools: {} };
        if (value === null || value === undefined)
            return out;
        if (!(0,types/* isRecord */.u4)(value)) {
            r.error(p, 'must be a mapping');
            return out;
        }
        for (const [k, v] of Object.entries(value)) {
            if (k === 'helm' || k === 'kustomize' || k === 'kubectl')
                out.tools[k] = optionalString(v, r, [...p, k]);
            else if (k === 'timeoutSeconds' || k === 'concurrency') {
                if (typeof v === 'number' && v > 0) {
                    if (k === 'timeoutSeconds')
                        out.timeoutMs = Math.round(v * 1000);
                    else
                        out.concurrency = Math.floor(v);
                }
                else
                    r.error([...p, k], 'must be a positive number');
            }
            else
                r.error([...p, k], 'unknown key; expected one of helm, kustomize, kubectl, timeoutSeconds, concurrency');
        }
        return out;
    },
};
/** Config targets with their paths made relative to the working directory (from the config's folder). */
function resolveTargets(targets, configDir, cwd) {
    const at = (p) => {
        // With the working directory known, names come out relative to it, as discovered ones do.
        if (cwd !== undefined)
            return relativeName(cwd, external_node_path_.resolve(cwd, configDir || '.', p));
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
function releaseNameOf(chart) {
    const base = chart.replace(/\/+$/, '').split('/').pop() ?? 'release';
    return (base
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 53) || 'release');
}
function optionalString(v, r, p) {
    if (v === undefined || v === null)
        return undefined;
    if (typeof v === 'string' || typeof v === 'number')
        return String(v);
    r.error(p, 'must be a string');
    return undefined;
}
function config_strings(v, r, p, allowOne) {
    if (v === undefined || v === null)
        return [];
    if (allowOne && typeof v === 'string')
        return [v];
    if (!Array.isArray(v)) {
        r.error(p, 'must be a list of strings');
        return undefined;
    }
    return v.filter((s, i) => {
        if (typeof s === 'string' && s)
            return true;
        r.error([...p, i], 'must be a non-empty string');
        return false;
    });
}

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
        },
    },
    *check(ctx) {
        for (const manifest of ctx.manifests) {
            const { apiVersion, kind } = manifest.object;
            const change = removedApi(apiVersion, kind);
            if (!change)
                continue;
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
        },
    },
    *check(ctx) {
        for (const manifest of ctx.manifests) {
            const { apiVersion, kind } = manifest.object;
            const change = deprecatedApi(apiVersion, kind);
            if (!change)
                continue;
            yield {
                manifest,
                path: ['apiVersion'],
                message: `${kind} "${manifest.ref.name}" uses ${apiVersion} ${kind}, deprecated since Kubernetes ${change.release}; use ${change.replacement}`,
            };
        }
    },
};
const rules = [removed, deprecated];

;// CONCATENATED MODULE: ./lib/images/policy.js
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

;// CONCATENATED MODULE: ./lib/images/reference.js
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

;// CONCATENATED MODULE: ./lib/model/workload.js


/**
 * Every kind that carries a pod template, and where the template's pod spec sits.
 * Unknown kinds (CRDs) have none, so the per-container rules pass them by without noise.
 */
const POD_SPEC_PATHS = {
    Pod: ['spec'],
    Deployment: ['spec', 'template', 'spec'],
    StatefulSet: ['spec', 'template', 'spec'],
    DaemonSet: ['spec', 'template', 'spec'],
    ReplicaSet: ['spec', 'template', 'spec'],
    ReplicationController: ['spec', 'template', 'spec'],
    Job: ['spec', 'template', 'spec'],
    CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const POD_META_PATHS = {
    Pod: ['metadata'],
    Deployment: ['spec', 'template', 'metadata'],
    StatefulSet: ['spec', 'template', 'metadata'],
    DaemonSet: ['spec', 'template', 'metadata'],
    ReplicaSet: ['spec', 'template', 'metadata'],
    ReplicationController: ['spec', 'template', 'metadata'],
    Job: ['spec', 'template', 'metadata'],
    CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
};
const WORKLOAD_KINDS = new Set(Object.keys(POD_SPEC_PATHS));
/** Kinds that keep pods running (and so want replicas, PDBs, probes); Jobs run to completion. */
const SERVING_KINDS = new Set([
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'ReplicationController',
    'Pod',
]);
function isWorkload(obj) {
    return WORKLOAD_KINDS.has(obj.kind) && obj.apiVersion !== 'metrics.k8s.io/v1beta1';
}
function podTemplate(obj) {
    const specPath = POD_SPEC_PATHS[obj.kind];
    if (!specPath)
        return undefined;
    const spec = getAt(obj, specPath);
    if (!(0,types/* isRecord */.u4)(spec))
        return undefined;
    const metaPath = [...POD_META_PATHS[obj.kind]];
    const meta = getAt(obj, metaPath);
    const labels = (0,types/* isRecord */.u4)(meta) && (0,types/* isRecord */.u4)(meta.labels) ? meta.labels : {};
    const annotations = (0,types/* isRecord */.u4)(meta) && (0,types/* isRecord */.u4)(meta.annotations) ? meta.annotations : {};
    return { spec, specPath: [...specPath], labels, annotations, metaPath };
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
            if (!(0,types/* isRecord */.u4)(c))
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
    if (!(0,types/* isRecord */.u4)(spec))
        return 1;
    return typeof spec.replicas === 'number' ? spec.replicas : 1;
}
/**
 * Does a label selector (`matchLabels` / `matchExpressions`, or a plain map as Services use)
 * select these labels? An empty selector selects everything; a missing one selects nothing.
 */
function selects(selector, labels) {
    if (!(0,types/* isRecord */.u4)(selector))
        return false;
    const hasStructured = 'matchLabels' in selector || 'matchExpressions' in selector;
    const matchLabels = hasStructured ? selector.matchLabels : selector;
    if ((0,types/* isRecord */.u4)(matchLabels)) {
        for (const [k, v] of Object.entries(matchLabels))
            if (labels[k] !== String(v))
                return false;
    }
    const exprs = hasStructured && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
    for (const e of exprs) {
        if (!(0,types/* isRecord */.u4)(e) || typeof e.key !== 'string')
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

;// CONCATENATED MODULE: ./lib/rules/util/containers.js



const ALL_CONTAINER_KINDS = [
    'containers',
    'initContainers',
    'ephemeralContainers',
];
/**
 * Pod templates and containers are read once per run and shared by every rule: about thirty
 * rules walk the same workloads, and re-reading each one per rule was most of their cost.
 * Keyed by the run's index, so a new run (or changed objects) starts afresh.
 */
const workloadsByRun = new WeakMap();
/** Every workload of the run with its pod template; kinds without one (CRDs) are skipped. */
function workloads(ctx) {
    let list = workloadsByRun.get(ctx.index);
    if (!list) {
        list = [];
        for (const manifest of ctx.index.workloads) {
            const template = podTemplate(manifest.object);
            if (template)
                list.push({ manifest, template, containers: containersOf(manifest.object) });
        }
        workloadsByRun.set(ctx.index, list);
    }
    return list;
}
/** A workload's containers of the given kinds. */
function containersOfKinds(workload, kinds) {
    if (kinds.length === ALL_CONTAINER_KINDS.length)
        return [...workload.containers];
    return workload.containers.filter((c) => kinds.includes(c.kind));
}
/** Every container of every workload, of the given kinds (all kinds by default). */
function* workloadContainers(ctx, kinds = ALL_CONTAINER_KINDS) {
    for (const workload of workloads(ctx)) {
        for (const container of workload.containers) {
            if (kinds === ALL_CONTAINER_KINDS || kinds.includes(container.kind)) {
                yield { manifest: workload.manifest, template: workload.template, container };
            }
        }
    }
}
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
    const containerPath = [...container.path, 'securityContext', field];
    const own = recordAt(container.container, 'securityContext')[field];
    if (own !== undefined && own !== null)
        return { value: own, path: containerPath, level: 'container' };
    const pod = recordAt(template.spec, 'securityContext')[field];
    if (pod !== undefined && pod !== null) {
        return { value: pod, path: [...template.specPath, 'securityContext', field], level: 'pod' };
    }
    return { value: undefined, path: containerPath, level: 'none' };
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
        result = parseReference(image);
        referenceCache.set(image, result);
    }
    return result;
}

;// CONCATENATED MODULE: ./lib/rules/images.js


/** The `images` checklist category. */
/** The hex of a well-formed sha256 digest, for the docs' examples. */
const EXAMPLE_DIGEST = '3b5c9e1f'.repeat(8);
function* containerImages(ctx) {
    for (const wc of workloadContainers(ctx)) {
        yield {
            manifest: wc.manifest,
            path: [...wc.container.path, 'image'],
            who: describeContainer(wc.container),
            image: wc.container.container.image,
        };
    }
}
/** Containers whose image parses, for the policy rules (invalid ones get their own finding). */
function* parsedImages(ctx) {
    for (const ci of containerImages(ctx)) {
        if (typeof ci.image !== 'string')
            continue;
        const parsed = imageReference(ci.image);
        if (parsed.ok)
            yield { ...ci, ref: parsed.ref };
    }
}
const invalid = {
    meta: {
        id: 'image-reference-invalid',
        category: 'images',
        severity: 'error',
        title: 'Image references are valid',
        why: 'The kubelet cannot pull an image whose reference does not parse; the pod sits in InvalidImageName or ErrImagePull and the rollout stalls.',
        fix: 'Write the reference as [registry[:port]/]repository[:tag][@sha256:digest], with a lowercase repository path.',
        example: {
            bad: `image: ghcr.io/Acme/App:v1`,
            good: `image: ghcr.io/acme/app:v1`,
        },
    },
    *check(ctx) {
        for (const { manifest, path, who, image } of containerImages(ctx)) {
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
            bad: `image: ghcr.io/acme/app:latest`,
            good: `image: ghcr.io/acme/app:1.4.2@sha256:${EXAMPLE_DIGEST}`,
        },
    },
    *check(ctx) {
        for (const { manifest, path, who, ref } of parsedImages(ctx)) {
            const reason = mutableTag(ref);
            if (!reason)
                continue;
            const message = reason === 'latest'
                ? `${who} uses the latest tag of ${ref.original.replace(/:[^:/]*$/, '')}`
                : `${who} has no tag on image ${ref.original}, so it runs latest`;
            yield { manifest, path, message };
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
            bad: `image: ghcr.io/acme/app:v1.2.3-debug-DONT-PUSH`,
            good: `image: ghcr.io/acme/app:v1.2.3@sha256:${EXAMPLE_DIGEST}`,
        },
    },
    *check(ctx) {
        const match = debugTagMatcher(ctx.settings.debugTagPatterns);
        for (const { manifest, path, who, ref } of parsedImages(ctx)) {
            const hit = ref.tag === undefined ? undefined : match(ref.tag);
            if (!hit)
                continue;
            yield {
                manifest,
                path,
                message: `${who} runs a debug build: tag "${ref.tag}" contains "${hit.matched}"`,
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
            bad: `image: ghcr.io/acme/app:1.4.2`,
            good: `image: ghcr.io/acme/app:1.4.2@sha256:${EXAMPLE_DIGEST}`,
        },
    },
    *check(ctx) {
        for (const { manifest, path, who, ref } of parsedImages(ctx)) {
            if (ref.digest !== undefined)
                continue;
            yield { manifest, path, message: `${who} image ${ref.original} is not pinned to a digest` };
        }
    },
};
const images_rules = [invalid, latest, debug, digestMissing];

;// CONCATENATED MODULE: ./lib/model/collections.js
/** Append to the list under `key`, creating it on first use. */
function pushTo(map, key, value) {
    const list = map.get(key);
    if (list)
        list.push(value);
    else
        map.set(key, [value]);
}

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
            bad: `spec:
  containers:
    - name: app
      lifecycle:
        preStop:
          exec: { command: [sleep, "30"] }`,
            good: `spec:
  terminationGracePeriodSeconds: 60
  containers:
    - name: app
      lifecycle:
        preStop:
          sleep: { seconds: 10 }`,
        },
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
/**
 * Services of each namespace, indexed by one `key=value` of their selector, so finding the
 * Services that select a pod costs a lookup per pod label instead of a scan of every Service.
 */
class ServiceSelectors {
    byLabel = new Map();
    constructor(ctx) {
        for (const service of ctx.index.kind('Service')) {
            const selector = recordAt(service.object.spec, 'selector');
            const first = Object.entries(selector)[0];
            // A Service without a selector has hand-managed endpoints: it selects no pods.
            if (!first)
                continue;
            pushTo(this.byLabel, this.key(ctx.index.namespaceOf(service), first[0], String(first[1])), selector);
        }
    }
    key(namespace, label, value) {
        return `${namespace}\0${label}\0${value}`;
    }
    selectsPods(namespace, labels) {
        for (const [label, value] of Object.entries(labels)) {
            const candidates = this.byLabel.get(this.key(namespace, label, String(value)));
            if (candidates?.some((selector) => selects(selector, labels)))
                return true;
        }
        return false;
    }
}
const preStopMissing = {
    meta: {
        id: 'lifecycle-prestop-missing',
        category: 'lifecycle',
        severity: 'info',
        title: 'Containers behind a Service wait for endpoints to update before stopping',
        why: 'When a pod is deleted, removing it from Service endpoints and sending SIGTERM happen at the same time. Without a short preStop pause, load balancers keep sending requests to a process that is already shutting down.',
        fix: 'Add a short preStop pause (lifecycle.preStop.sleep.seconds: 5 to 10, or exec sleep) and keep terminationGracePeriodSeconds above it plus the drain time.',
        example: {
            bad: `containers:
  - name: app
    ports: [{ name: http, containerPort: 8080 }]`,
            good: `terminationGracePeriodSeconds: 45
containers:
  - name: app
    ports: [{ name: http, containerPort: 8080 }]
    lifecycle:
      preStop:
        sleep: { seconds: 10 }`,
        },
    },
    *check(ctx) {
        const services = new ServiceSelectors(ctx);
        for (const workload of workloads(ctx)) {
            const { manifest, template } = workload;
            if (!SERVING_KINDS.has(manifest.object.kind))
                continue;
            if (!services.selectsPods(ctx.index.namespaceOf(manifest), template.labels))
                continue;
            for (const container of servingContainers(workload)) {
                if ((0,types/* isRecord */.u4)(recordAt(container.container, 'lifecycle').preStop))
                    continue;
                yield {
                    manifest,
                    path: [...container.path, 'lifecycle', 'preStop'],
                    message: `${describeContainer(container)} receives Service traffic but has no preStop hook`,
                };
            }
        }
    },
};
/** The containers that take traffic: those that declare ports, or the first one when none do. */
function servingContainers(workload) {
    const containers = containersOfKinds(workload, ['containers']);
    const withPorts = containers.filter((c) => declaredPorts(c.container).numbers.size > 0);
    return withPorts.length > 0 ? withPorts : containers.slice(0, 1);
}
const lifecycle_rules = [preStopExceedsGrace, preStopMissing];

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
    return `${key}\u0000${String(value)}`;
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
        return bySeq(candidates.filter((e) => selects(selector, e.labels)));
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
        const found = [...(this.unkeyed.get(namespace) ?? [])];
        const byPair = keyed.get(namespace);
        if (byPair)
            for (const [k, v] of Object.entries(labels))
                found.push(...(byPair.get(pairKey(k, v)) ?? []));
        return bySeq(found.filter((e) => selects(e.selector, labels)));
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
/** Every workload with a pod template, in load order. */
function workloadInfos(index) {
    return memo(index, 'workloads', () => {
        const out = [];
        for (const manifest of index.workloads) {
            const template = podTemplate(manifest.object);
            if (template)
                out.push({ manifest, namespace: index.namespaceOf(manifest), template });
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
/** Once per namespace that runs workloads, on its first workload, when no policy denies by default. */
function* namespacesWithoutDefaultDeny(ctx, direction) {
    const { index } = ctx;
    for (const [namespace, workloads] of index.workloadNamespaces()) {
        if (index.inNamespace('NetworkPolicy', namespace).some((p) => deniesAll(p, direction)))
            continue;
        const count = workloads.length === 1 ? '1 workload' : `${workloads.length} workloads`;
        yield {
            manifest: workloads[0],
            path: ['metadata'],
            message: `Namespace "${namespace}" runs ${count} (${named(workloads[0])} first) without a default-deny ${direction.toLowerCase()} NetworkPolicy`,
        };
    }
}
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
        },
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
        },
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
        },
    },
    *check({ index }) {
        const policies = policyIndex(index);
        for (const w of workloadInfos(index)) {
            if (w.template.spec.hostNetwork === true)
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
const network_rules = [defaultDenyIngress, defaultDenyEgress, policySelectsWorkload];

;// CONCATENATED MODULE: ./lib/rules/observability.js



/**
 * The `observability` checklist category: every long-running workload exposes metrics that
 * something scrapes. Scraping is recognised the ways Prometheus setups actually do it: scrape
 * annotations (on the pods or on a Service in front of them), Prometheus Operator ServiceMonitors
 * and PodMonitors, or a container port named for metrics.
 */
const SCRAPE_ANNOTATION = 'prometheus.io/scrape';
/** `metrics`, `http-metrics`, `prom`, `prometheus`: port names that say "scrape me". */
const METRICS_PORT_NAME = /metric|prom/i;
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
/** Services with a pod selector, per namespace (one without a selector fronts no pods). */
function servicesByPodSelector(index) {
    return memo(index, 'observability:service-selectors', () => {
        const services = new SelectorIndex();
        for (const s of index.kind('Service')) {
            const selector = observability_specOf(s).selector;
            if ((0,types/* isRecord */.u4)(selector) && Object.keys(selector).length > 0)
                services.add(index.namespaceOf(s), selector, s);
        }
        return services;
    });
}
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
    const ports = containersOf(w.manifest.object, ['containers', 'initContainers']).flatMap((c) => listOf(c.container.ports));
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
    const containers = containersOf(w.manifest.object, ['containers', 'initContainers']);
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
const serviceExample = [
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
        },
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            if (!SERVING_KINDS.has(w.manifest.object.kind))
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
            bad: `${serviceExample}\n---\n${serviceMonitorExample('metrics')}`,
            good: `${serviceExample}\n---\n${serviceMonitorExample('http-metrics')}`,
        },
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
 * and so does a bare Pod whose restartPolicy is Never or OnFailure.
 */
function* probes_servingContainers(ctx) {
    for (const wc of workloadContainers(ctx, ['containers'])) {
        if (!SERVING_KINDS.has(wc.manifest.object.kind))
            continue;
        const restartPolicy = wc.template.spec.restartPolicy;
        if (restartPolicy === 'Never' || restartPolicy === 'OnFailure')
            continue;
        yield wc;
    }
}
function probeOf(wc, field) {
    const probe = wc.container.container[field];
    return (0,types/* isRecord */.u4)(probe) ? probe : undefined;
}
function missingProbe(field, label) {
    return function* (ctx) {
        for (const wc of probes_servingContainers(ctx)) {
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
            bad: `containers:
  - name: app
    ports: [{ name: http, containerPort: 8080 }]`,
            good: `containers:
  - name: app
    ports: [{ name: http, containerPort: 8080 }]
    readinessProbe:
      httpGet: { path: /healthz/ready, port: http }
      periodSeconds: 10`,
        },
    },
    check: missingProbe('readinessProbe', 'readiness'),
};
const livenessMissing = {
    meta: {
        id: 'probes-liveness-missing',
        category: 'probes',
        severity: 'warning',
        title: 'Serving containers have a liveness probe',
        why: 'A process that deadlocks without exiting keeps its pod Running forever; a liveness probe lets the kubelet restart it.',
        fix: 'Add a livenessProbe that checks only the process itself (an endpoint that does not call databases or other services).',
        example: {
            bad: `containers:
  - name: app
    readinessProbe: { httpGet: { path: /healthz/ready, port: http } }`,
            good: `containers:
  - name: app
    readinessProbe: { httpGet: { path: /healthz/ready, port: http } }
    livenessProbe: { httpGet: { path: /healthz/live, port: http }, periodSeconds: 20 }`,
        },
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
            bad: `livenessProbe:
  httpGet: { path: /healthz/live, port: http }
  initialDelaySeconds: 120`,
            good: `startupProbe:
  httpGet: { path: /healthz/live, port: http }
  periodSeconds: 10
  failureThreshold: 30
livenessProbe:
  httpGet: { path: /healthz/live, port: http }`,
        },
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
/** Words in an HTTP probe path that say the endpoint checks dependencies, not the process. */
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
    'external',
    'backend',
    'backends',
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
    'full',
    'deep',
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
            reason: `calls ${String(http.path)}, which names a dependency ("${word}")`,
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
            bad: `livenessProbe:
  exec:
    command: [sh, -c, "pg_isready -h orders-db -p 5432"]`,
            good: `livenessProbe:
  httpGet: { path: /healthz/live, port: http }
readinessProbe:
  httpGet: { path: /healthz/ready, port: http }`,
        },
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
            bad: `readinessProbe: { httpGet: { path: /healthz, port: http } }
livenessProbe: { httpGet: { path: /healthz, port: http } }`,
            good: `readinessProbe: { httpGet: { path: /healthz/ready, port: http } }
livenessProbe: { httpGet: { path: /healthz/live, port: http } }`,
        },
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
            bad: `ports: [{ name: http, containerPort: 8080 }]
readinessProbe: { httpGet: { path: /ready, port: web } }`,
            good: `ports: [{ name: http, containerPort: 8080 }]
readinessProbe: { httpGet: { path: /ready, port: http } }`,
        },
    },
    *check(ctx) {
        for (const { wc, field, port, path } of probePorts(ctx)) {
            if (typeof port !== 'string' || /^\d+$/.test(port))
                continue;
            if (declaredPorts(wc.container.container).names.has(port))
                continue;
            yield {
                manifest: wc.manifest,
                path,
                message: `${describeContainer(wc.container)} ${PROBE_LABEL[field]} probe uses port "${port}", which the container does not declare`,
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
            bad: `ports: [{ name: http, containerPort: 8080 }]
livenessProbe: { httpGet: { path: /live, port: 8081 } }`,
            good: `ports: [{ name: http, containerPort: 8080 }]
livenessProbe: { httpGet: { path: /live, port: http } }`,
        },
    },
    *check(ctx) {
        for (const { wc, field, port, path } of probePorts(ctx)) {
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

;// CONCATENATED MODULE: ./lib/rules/rbac.js



function rbac_strings(value) {
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
                apiGroups: rbac_strings(r.apiGroups),
                resources: rbac_strings(r.resources),
                verbs: rbac_strings(r.verbs),
                resourceNames: rbac_strings(r.resourceNames),
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
            pushTo(byAccount, `${w.namespace}\u0000${serviceAccountOf(w.template).name}`, w);
            pushTo(byNamespace, w.namespace, w);
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
 * A dangerous binding is reported on each service-account subject, and again on the
 * serviceAccountName of each workload loaded in the run that runs as that account: the person
 * editing the Deployment should learn what its pods can do.
 */
function* dangerousBindings(index, kind) {
    const relevant = bindings(index).filter((b) => b.grant?.kind === kind);
    for (const b of relevant) {
        for (const { index: i, target } of b.subjects) {
            const users = workloadsReached(index, target);
            const usedBy = users.length > 0 ? `, used by ${namedList(users.map((w) => w.manifest))}` : '';
            yield {
                manifest: b.manifest,
                path: ['subjects', i],
                message: `${named(b.manifest)} grants ${describeGrant(index, b)} to ${describeTarget(target)}${usedBy}`,
            };
        }
    }
    if (relevant.length === 0)
        return;
    const lookup = bindingLookup(index);
    for (const w of workloadInfos(index)) {
        const account = serviceAccountOf(w.template);
        const granting = lookup.forAccount(w.namespace, account.name).filter((b) => b.grant?.kind === kind);
        if (granting.length === 0)
            continue;
        const b = granting[0];
        yield {
            manifest: w.manifest,
            path: account.path,
            message: `${named(w.manifest)} runs as ServiceAccount "${account.name}", which ${named(b.manifest)} grants ${describeGrant(index, b)}`,
        };
    }
}
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
        },
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
        },
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
        },
    },
    *check({ index }) {
        const clusterBound = new Map();
        for (const b of bindings(index)) {
            if (b.manifest.object.kind === 'ClusterRoleBinding' && b.role && !clusterBound.has(b.role)) {
                clusterBound.set(b.role, b.manifest);
            }
        }
        for (const [role, binding] of clusterBound) {
            for (const rule of policyRules(role)) {
                const secrets = rule.resources.includes('secrets') || rule.resources.includes('*');
                const verbs = rule.verbs.filter((v) => READ_VERBS.includes(v));
                if (!secrets || verbs.length === 0 || !coversCoreGroup(rule) || rule.resourceNames.length > 0)
                    continue;
                yield {
                    manifest: role,
                    path: ['rules', rule.index, 'resources'],
                    message: `${named(role)} grants ${verbs.join(', ')} on secrets in every namespace through ${named(binding)}`,
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
        },
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
        },
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
        },
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
        },
    },
    *check({ index }) {
        for (const users of accountUsers(index).byAccount.values()) {
            const account = serviceAccountOf(users[0].template).name;
            if (account === 'default')
                continue; // the default account has its own rule
            const byApp = new Map();
            for (const w of users)
                pushTo(byApp, appNameOf(w), w);
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
        },
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
const rbac_rules = [
    clusterAdmin,
    wildcardBinding,
    secretsClusterWide,
    escalationVerbs,
    podsExec,
    defaultServiceAccount,
    sharedServiceAccount,
    automountToken,
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
    const declared = replicasOf(w.manifest.object);
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
function pdbExample(budget, app) {
    return [
        'apiVersion: policy/v1',
        'kind: PodDisruptionBudget',
        'metadata: {name: web}',
        'spec:',
        `  ${budget}`,
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
        },
    },
    *check({ index }) {
        for (const w of workloadInfos(index)) {
            if (!REPLICATED_KINDS.has(w.manifest.object.kind) || hpaFor(index, w))
                continue;
            const replicas = replicasOf(w.manifest.object) ?? 1;
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
        },
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
        },
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
        why: 'A PDB that allows no disruption (maxUnavailable: 0, minAvailable: 100%, or minAvailable as ' +
            'large as the replica count) makes every node drain hang. Cluster upgrades stall and ' +
            'operators end up deleting the PDB by hand, which removes the protection entirely.',
        fix: 'Use maxUnavailable: 1 (or a minAvailable below the replica count).',
        example: {
            bad: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('minAvailable: 3', 'web')}`,
            good: `${exampleDeployment({ replicas: 3 })}\n---\n${pdbExample('maxUnavailable: 1', 'web')}`,
        },
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
        },
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
        },
    },
    *check({ index }) {
        for (const w of multiReplica(index)) {
            if (spreadsOut(w))
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
 * term counts only when its key is a failure domain and its selector matches the pods themselves.
 */
function spreadsOut(w) {
    const { spec, labels } = w.template;
    const constraints = Array.isArray(spec.topologySpreadConstraints) ? spec.topologySpreadConstraints : [];
    for (const c of constraints) {
        if ((0,types/* isRecord */.u4)(c) && isFailureDomainKey(c.topologyKey) && selects(c.labelSelector, labels))
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
    return [...required, ...preferred].some((term) => (0,types/* isRecord */.u4)(term) && isFailureDomainKey(term.topologyKey) && selects(term.labelSelector, labels));
}
const replicas_rules = [minimum, hpaMinReplicas, pdbMissing, pdbBlocksDrain, pdbSelectsNothing, spread];

;// CONCATENATED MODULE: ./lib/rules/util/quantity.js
/**
 * Kubernetes resource quantities (`500m`, `1.5`, `2Gi`, `1e3`, `128974848`), as plain numbers in
 * base units, so that `1` and `1000m`, or `1Gi` and `1024Mi`, compare equal.
 */
const BINARY = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};
const DECIMAL = {
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    '': 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;
/** The quantity's value in base units (cores, bytes), or undefined when it is not a quantity. */
function parseQuantity(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) ? value : undefined;
    if (typeof value !== 'string')
        return undefined;
    const m = QUANTITY.exec(value.trim());
    if (!m)
        return undefined;
    const [, number, exponent, suffix = ''] = m;
    if (exponent)
        return Number(number + exponent);
    return Number(number) * (BINARY[suffix] ?? DECIMAL[suffix]);
}
/** Equal as quantities, tolerating float rounding (`0.1` vs `100m`). Unparseable values never match. */
function sameQuantity(a, b) {
    const x = parseQuantity(a);
    const y = parseQuantity(b);
    if (x === undefined || y === undefined)
        return false;
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
}

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
            const who = describeContainer(container);
            const base = [...container.path, 'resources', block];
            const values = recordAt(container.container, 'resources')[block];
            if (!(0,types/* isRecord */.u4)(values)) {
                yield { manifest, path: base, message: `${who} has no ${wanted.join(' or ')} ${noun}` };
                continue;
            }
            for (const resource of wanted) {
                if (values[resource] === undefined || values[resource] === null) {
                    yield { manifest, path: [...base, resource], message: `${who} has no ${resource} ${noun}` };
                }
            }
        }
    }
}
const requestsMissing = {
    meta: {
        id: 'resources-requests-missing',
        category: 'resources',
        severity: 'error',
        title: 'Every container requests cpu and memory',
        why: 'The scheduler places pods by their requests. Without them a pod lands on a node that cannot hold it, and it is the first to be evicted under memory pressure.',
        fix: 'Set resources.requests.cpu and resources.requests.memory on every container and init container, sized from observed usage under load.',
        example: {
            bad: `containers:
  - name: app
    image: ghcr.io/acme/app:1.4.2
    resources: {}`,
            good: `containers:
  - name: app
    image: ghcr.io/acme/app:1.4.2
    resources:
      requests: { cpu: 250m, memory: 512Mi }
      limits: { cpu: "1", memory: 512Mi }`,
        },
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
            bad: `containers:
  - name: app
    resources:
      requests: { cpu: 250m, memory: 512Mi }`,
            good: `containers:
  - name: app
    resources:
      requests: { cpu: 250m, memory: 512Mi }
      limits: { cpu: "1", memory: 512Mi }`,
        },
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
        else if (!sameQuantity(request, limit)) {
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
            bad: `kind: Deployment
metadata:
  name: checkout
  labels: { shipshape.io/critical: "true" }
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests: { cpu: 500m, memory: 1Gi }
            limits: { cpu: "2", memory: 2Gi }`,
            good: `kind: Deployment
metadata:
  name: checkout
  labels: { shipshape.io/critical: "true" }
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests: { cpu: "1", memory: 2Gi }
            limits: { cpu: "1", memory: 2Gi }`,
        },
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
        },
    },
    *check(ctx) {
        const withQuota = new Set(ctx.index.kind('ResourceQuota').map((q) => ctx.index.namespaceOf(q)));
        for (const [namespace, members] of ctx.index.workloadNamespaces()) {
            if (withQuota.has(namespace))
                continue;
            const first = members[0];
            const path = first.object.metadata.namespace ? ['metadata', 'namespace'] : ['metadata'];
            yield {
                manifest: first,
                path,
                message: `namespace "${namespace}" runs workloads but has no ResourceQuota`,
            };
        }
    },
};
const resources_rules = [requestsMissing, limitsMissing, qosNotGuaranteed, quotaMissing];

;// CONCATENATED MODULE: ./lib/rules/security.js


/** The `security` checklist category. */
/** A rule that looks at one container at a time (regular, init and ephemeral alike). */
function perContainer(meta, inspect) {
    return {
        meta,
        *check(ctx) {
            for (const wc of workloadContainers(ctx)) {
                const v = inspect(wc);
                if (v)
                    yield v;
            }
        },
    };
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
        bad: `spec:
  containers:
    - name: app
      image: ghcr.io/acme/app:1.4.2`,
        good: `spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
    - name: app
      image: ghcr.io/acme/app:1.4.2`,
    },
}, (wc) => {
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
    const message = nonRoot.value === false
        ? `${who} sets runAsNonRoot: false and no non-root runAsUser`
        : `${who} may run as root: neither runAsNonRoot nor a non-root runAsUser is set`;
    return { manifest: wc.manifest, path: nonRoot.path, message };
});
const privilegeEscalation = perContainer({
    id: 'security-privilege-escalation',
    category: 'security',
    severity: 'error',
    title: 'Containers forbid privilege escalation',
    why: 'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid binaries or file capabilities.',
    fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    example: {
        bad: `containers:
  - name: app
    securityContext: {}`,
        good: `containers:
  - name: app
    securityContext:
      allowPrivilegeEscalation: false`,
    },
}, (wc) => {
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
        bad: `securityContext:
  privileged: true`,
        good: `securityContext:
  privileged: false
  capabilities: { drop: [ALL] }`,
    },
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
        bad: `securityContext:
  capabilities:
    drop: [NET_RAW]`,
        good: `securityContext:
  capabilities:
    drop: [ALL]`,
    },
}, (wc) => {
    const caps = recordAt(recordAt(wc.container.container, 'securityContext'), 'capabilities');
    const drop = Array.isArray(caps.drop) ? caps.drop.map(capabilityName) : [];
    if (drop.includes('ALL'))
        return undefined;
    return {
        manifest: wc.manifest,
        path: securityContextPath(wc, 'capabilities', 'drop'),
        message: `${describeContainer(wc.container)} does not drop ALL capabilities`,
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
            bad: `securityContext:
  capabilities:
    add: [SYS_ADMIN]`,
            good: `securityContext:
  capabilities:
    drop: [ALL]
    add: [NET_BIND_SERVICE]`,
        },
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
        bad: `securityContext:
  readOnlyRootFilesystem: false`,
        good: `securityContext:
  readOnlyRootFilesystem: true
volumeMounts:
  - { name: tmp, mountPath: /tmp }`,
    },
}, (wc) => recordAt(wc.container.container, 'securityContext').readOnlyRootFilesystem === true
    ? undefined
    : {
        manifest: wc.manifest,
        path: securityContextPath(wc, 'readOnlyRootFilesystem'),
        message: `${describeContainer(wc.container)} has a writable root filesystem`,
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
        bad: `spec:
  securityContext: {}`,
        good: `spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault`,
    },
}, (wc) => {
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
            bad: `spec:
  hostNetwork: true`,
            good: `spec:
  hostNetwork: false`,
        },
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
            bad: `volumes:
  - name: docker
    hostPath: { path: /var/run/docker.sock }`,
            good: `volumes:
  - name: cache
    emptyDir: {}`,
        },
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
function familyOfName(name) {
    const words = name.toLowerCase().split(/[-_.]+/);
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
    if (typeof container.image === 'string') {
        const parsed = imageReference(container.image);
        if (parsed.ok) {
            const last = parsed.ref.repository.split('/').pop() ?? '';
            const family = familyOfName(last);
            if (family)
                return family;
            // A known non-server image (postgres-exporter) is not rescued by its container name.
            if (last.split(/[-_.]+/).some((w) => NOT_A_SERVER.has(w)))
                return undefined;
        }
    }
    return typeof container.name === 'string' ? familyOfName(container.name) : undefined;
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
const emptyDirUnderData = {
    meta: {
        id: 'storage-database-emptydir',
        category: 'storage',
        severity: 'error',
        title: 'Databases do not keep their data in an emptyDir',
        why: 'An emptyDir lives and dies with the pod: a reschedule, an eviction or a node drain deletes the database’s files.',
        fix: 'Mount a PersistentVolumeClaim at the data directory, preferably through a StatefulSet’s volumeClaimTemplates.',
        example: {
            bad: `containers:
  - name: postgres
    image: postgres:16.4
    volumeMounts:
      - { name: data, mountPath: /var/lib/postgresql/data }
volumes:
  - name: data
    emptyDir: {}`,
            good: `volumeClaimTemplates:
  - metadata: { name: data }
    spec:
      accessModes: [ReadWriteOnce]
      resources: { requests: { storage: 20Gi } }`,
        },
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
            bad: `kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: postgres
          image: postgres:16.4`,
            good: `kind: StatefulSet
spec:
  serviceName: postgres
  template:
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          volumeMounts: [{ name: data, mountPath: /var/lib/postgresql/data }]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 20Gi } } }`,
        },
    },
    *check(ctx) {
        for (const workload of workloads(ctx)) {
            const { manifest } = workload;
            if (!storage_REPLICATED_KINDS.has(manifest.object.kind))
                continue;
            const db = containersOfKinds(workload, ['containers'])
                .map((container) => ({ container, family: databaseOf(container.container) }))
                .find((d) => d.family !== undefined);
            if (!db?.family)
                continue;
            yield {
                manifest,
                path: ['kind'],
                message: `${manifest.ref.kind} "${manifest.ref.name}" runs ${db.family.name} (${describeContainer(db.container)}); run it as a StatefulSet`,
            };
        }
    },
};
const statefulSetWithoutClaims = {
    meta: {
        id: 'storage-statefulset-no-volume-claims',
        category: 'storage',
        severity: 'warning',
        title: 'Database StatefulSets keep their data on volume claims',
        why: 'A StatefulSet without volumeClaimTemplates gives each replica no disk of its own: data lives in the container or in a volume that does not follow the pod.',
        fix: 'Add volumeClaimTemplates and mount the claim at the database’s data directory.',
        example: {
            bad: `kind: StatefulSet
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7.4`,
            good: `kind: StatefulSet
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7.4
          volumeMounts: [{ name: data, mountPath: /data }]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 5Gi } } }`,
        },
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
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
            pushTo(this.byKind, m.object.kind, m);
            if (isWorkload(m.object))
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
                pushTo(byNs, this.namespaceOf(m), m);
            this.byKindNamespace.set(kind, byNs);
        }
        return [...(byNs.get(namespace) ?? [])];
    }
    /** Namespaces that run workloads, each with its workloads, in first-seen order. */
    workloadNamespaces() {
        const out = new Map();
        for (const w of this.workloads) {
            pushTo(out, this.namespaceOf(w), w);
        }
        return out;
    }
}

;// CONCATENATED MODULE: ./lib/rules/engine.js




/**
 * Run the checklist over everything loaded in one run. Rules are pure; this turns their
 * violations into findings with a display path, a location a human edits, and a fingerprint.
 */
function runRules(manifests, rules, options) {
    const index = new ObjectIndex(manifests, options.settings.defaultNamespace);
    const ctx = { manifests, index, settings: options.settings };
    const violations = [];
    for (const rule of rules) {
        if (options.disabled?.has(rule.meta.id))
            continue;
        const severity = options.severity?.get(rule.meta.id) ?? rule.meta.severity;
        for (const v of rule.check(ctx))
            violations.push({ rule, severity, v });
    }
    // Locate document by document: each document's positions are then worked out once.
    const order = new Map(manifests.map((m, i) => [m, i]));
    violations.sort((a, b) => (order.get(a.v.manifest) ?? 0) - (order.get(b.v.manifest) ?? 0));
    return sortFindings(violations.map(({ rule, severity, v }) => toFinding(rule, severity, v)));
}
function toFinding(rule, severity, v) {
    const { manifest } = v;
    const path = formatPath(manifest.object, v.path);
    const rendered = manifest.locate(v.path);
    const source = manifest.locateSource?.(v.path);
    const finding = {
        ruleId: rule.meta.id,
        checklist: rule.meta.category,
        severity,
        message: v.message,
        remediation: v.remediation ?? rule.meta.fix,
        object: manifest.ref,
        path,
        location: source ?? rendered,
        fingerprint: fingerprint(rule.meta.id, (0,types/* refKey */.XF)(manifest.ref), path),
    };
    if (source)
        finding.renderedLocation = rendered;
    return finding;
}
/** Stable across commits and line moves: rule, object and field path only. */
function fingerprint(ruleId, objectKey, path) {
    return (0,external_node_crypto_.createHash)('sha256').update(`${ruleId}\0${objectKey}\0${path}`).digest('hex').slice(0, 16);
}
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
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

;// CONCATENATED MODULE: ./lib/rules/suppress.js




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
const SUPPRESSION_PREFIX = 'shipshape.io/ignore.';
const EXAMPLE_GOOD = `metadata:
  annotations:
    shipshape.io/ignore.image-digest: "pinned by the mirror's admission webhook; expires=2027-01-31"`;
const SUPPRESSION_RULES = [
    {
        id: 'suppression-invalid',
        severity: 'warning',
        title: 'Suppressions name a known rule and give a reason (and a valid expiry date, if any)',
        why: 'A suppression without a reason cannot be reviewed or revisited; one that names no rule, or has a date nobody can read, silently hides nothing or everything. Invalid suppressions suppress nothing.',
        fix: 'Write the annotation as `shipshape.io/ignore.<rule-id>: "<why this is acceptable>; expires=YYYY-MM-DD"`, with a rule id from `shipshape rules`.',
        example: {
            bad: `metadata:
  annotations:
    shipshape.io/ignore.image-digest: ""`,
            good: EXAMPLE_GOOD,
        },
    },
    {
        id: 'suppression-expired',
        severity: 'warning',
        title: 'Suppressions are removed or renewed when they expire',
        why: 'An expiry date is a promise to revisit the exception. Past the date the suppression no longer applies: the finding it hid is reported again, and so is the stale annotation.',
        fix: 'Fix what the rule reports and delete the annotation, or renew it with a new reason and date after a review.',
        example: {
            bad: `metadata:
  annotations:
    shipshape.io/ignore.image-digest: "mirror pins it; expires=2024-01-31"`,
            good: EXAMPLE_GOOD,
        },
    },
    {
        id: 'suppression-unused',
        severity: 'info',
        title: 'Suppressions that no longer suppress anything are removed',
        why: 'A leftover suppression hides the next regression of the same rule on that object without anyone deciding it should.',
        fix: 'Delete the annotation: the rule passes on this object now.',
        example: {
            bad: `metadata:
  annotations:
    shipshape.io/ignore.image-digest: "legacy"   # the image is pinned now
spec: ...`,
            good: `metadata:
  annotations: {}`,
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
            if (!annotation.startsWith(SUPPRESSION_PREFIX))
                continue;
            const ruleId = annotation.slice(SUPPRESSION_PREFIX.length);
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
            pushTo(byObject, `${(0,types/* refKey */.XF)(s.manifest.ref)}\0${s.ruleId}`, s);
        }
    }
    const used = new Set();
    const kept = [];
    const suppressed = [];
    for (const finding of findings) {
        const matches = byObject.get(`${(0,types/* refKey */.XF)(finding.object)}\0${finding.ruleId}`);
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
    return { findings: sortFindings([...kept, ...extra]), suppressed };
}
function suppressionFinding(s, id, category, message, severities) {
    const meta = SUPPRESSION_RULES.find((m) => m.id === id);
    const rule = { meta: { ...meta, category }, check: () => [] };
    return toFinding(rule, severities?.get(id) ?? meta.severity, {
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
    const close = closestName(ruleId, rules.map((r) => r.id), Number.POSITIVE_INFINITY);
    return rules.find((r) => r.id === close)?.category ?? 'api';
}
function nearest(id, known) {
    return suggest(id, known.keys());
}

;// CONCATENATED MODULE: ./lib/rules/types.js
const DEFAULT_RULE_SETTINGS = {
    defaultNamespace: 'default',
    critical: {
        labels: { 'shipshape.io/critical': 'true' },
        annotations: { 'shipshape.io/critical': 'true' },
        priorityClassNames: ['system-cluster-critical', 'system-node-critical'],
    },
    debugTagPatterns: ['debug', 'dont[-_]?push', 'dirty', 'snapshot', 'wip'],
};

;// CONCATENATED MODULE: ./lib/config.js











/**
 * The config file, `.shipshape.yaml`. Each top-level key is a *section* with its own validator, so
 * that later features (`targets:` for rendering, `drift:` for the drift job) add a section to
 * SECTIONS without touching the others. Problems are InputErrors naming the key and its line; the
 * valid rest of the file still applies (the run reports the errors and exits 2).
 */
const CONFIG_FILE_NAMES = ['.shipshape.yaml', '.shipshape.yml'];
const FAIL_ON = ['error', 'warning', 'info', 'never'];
// ---------------------------------------------------------------------------------------------
// Small validators shared by the sections.
function expectMap(value, r, p) {
    if ((0,types/* isRecord */.u4)(value))
        return value;
    if (value !== null && value !== undefined)
        r.error(p, `must be a mapping, got ${describe(value)}`);
    return undefined;
}
function expectStringList(value, r, p) {
    if (value === null || value === undefined)
        return [];
    if (!Array.isArray(value)) {
        r.error(p, `must be a list of strings, got ${describe(value)}`);
        return undefined;
    }
    const out = [];
    value.forEach((item, i) => {
        if (typeof item === 'string' && item !== '')
            out.push(item);
        else
            r.error([...p, i], `must be a non-empty string, got ${describe(item)}`);
    });
    return out;
}
function expectStringMap(value, r, p) {
    const map = expectMap(value, r, p);
    if (!map)
        return value === null || value === undefined ? {} : undefined;
    const out = {};
    for (const [k, v] of Object.entries(map)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
            out[k] = String(v);
        else
            r.error([...p, k], `must be a string, got ${describe(v)}`);
    }
    return out;
}
function expectOneOf(value, allowed, r, p) {
    if (typeof value === 'string' && allowed.includes(value))
        return value;
    r.error(p, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
    return undefined;
}
/** Keys of a mapping that the section does not know: an error naming each, with a suggestion. */
function rejectUnknownKeys(map, known, r, p) {
    for (const key of Object.keys(map)) {
        if (!known.includes(key))
            r.error([...p, key], `unknown key${suggest(key, known)}; expected one of ${known.join(', ')}`);
    }
}
function describe(value) {
    if (value === null || value === undefined)
        return 'nothing';
    if (Array.isArray(value))
        return 'a list';
    if ((0,types/* isRecord */.u4)(value))
        return 'a mapping';
    return `${typeof value} ${JSON.stringify(value)}`;
}
// ---------------------------------------------------------------------------------------------
// The sections.
const rulesSection = {
    defaults: () => ({}),
    read(value, r, p) {
        const map = expectMap(value, r, p);
        const out = {};
        for (const [id, setting] of Object.entries(map ?? {})) {
            const at = [...p, id];
            if (!r.ruleIds.has(id)) {
                r.error(at, `unknown rule id${suggest(id, r.ruleIds)}; \`shipshape rules\` lists them`);
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
        rejectUnknownKeys(value, ['enabled', 'severity'], r, p);
        const out = { enabled: true };
        if ('enabled' in value) {
            if (typeof value.enabled === 'boolean')
                out.enabled = value.enabled;
            else
                r.error([...p, 'enabled'], `must be true or false, got ${describe(value.enabled)}`);
        }
        if ('severity' in value) {
            const severity = expectOneOf(value.severity, types/* SEVERITIES */.oC, r, [...p, 'severity']);
            if (severity)
                out.severity = severity;
        }
        return out;
    }
    r.error(p, `must be off, on, ${types/* SEVERITIES */.oC.join(', ')} or { enabled, severity }, got ${describe(value)}`);
    return undefined;
}
const excludeSection = {
    defaults: () => [],
    read: (value, r, p) => expectStringList(value, r, p) ?? [],
};
const criticalSection = {
    defaults: () => structuredClone(DEFAULT_RULE_SETTINGS.critical),
    read(value, r, p) {
        const out = criticalSection.defaults();
        const map = expectMap(value, r, p);
        if (!map)
            return out;
        rejectUnknownKeys(map, ['labels', 'annotations', 'priorityClassNames'], r, p);
        // Each given key replaces its default, so that a team can narrow the selector as well as widen it.
        if ('labels' in map)
            out.labels = expectStringMap(map.labels, r, [...p, 'labels']) ?? out.labels;
        if ('annotations' in map) {
            out.annotations = expectStringMap(map.annotations, r, [...p, 'annotations']) ?? out.annotations;
        }
        if ('priorityClassNames' in map) {
            out.priorityClassNames =
                expectStringList(map.priorityClassNames, r, [...p, 'priorityClassNames']) ?? out.priorityClassNames;
        }
        return out;
    },
};
const imagesSection = {
    defaults: () => ({ debugTagPatterns: [...DEFAULT_RULE_SETTINGS.debugTagPatterns] }),
    read(value, r, p) {
        const out = imagesSection.defaults();
        const map = expectMap(value, r, p);
        if (!map)
            return out;
        rejectUnknownKeys(map, ['debugTagPatterns'], r, p);
        if ('debugTagPatterns' in map) {
            const at = [...p, 'debugTagPatterns'];
            const list = expectStringList(map.debugTagPatterns, r, at);
            if (list) {
                // The rules compile these as case-insensitive regular expressions: catch typos here, by line.
                out.debugTagPatterns = list.filter((pattern, i) => {
                    try {
                        new RegExp(pattern, 'i');
                        return true;
                    }
                    catch (err) {
                        r.error([...at, i], `not a valid regular expression: ${err.message}`);
                        return false;
                    }
                });
            }
        }
        return out;
    },
};
const baselineSection = {
    defaults: () => undefined,
    read(value, r, p) {
        if (typeof value === 'string' && value !== '')
            return value;
        r.error(p, `must be a file name, got ${describe(value)}`);
        return undefined;
    },
};
const failOnSection = {
    defaults: () => undefined,
    read: (value, r, p) => expectOneOf(value, FAIL_ON, r, p),
};
/**
 * Every top-level key the file may have. To add a section (`targets`, `drift`), write a
 * ConfigSection and add one line here; `Config` grows a typed field by itself.
 */
const SECTIONS = {
    rules: rulesSection,
    exclude: excludeSection,
    critical: criticalSection,
    images: imagesSection,
    baseline: baselineSection,
    failOn: failOnSection,
    drift: driftSection,
    targets: targetsSection,
    render: renderSection,
};
function defaultConfig(dir = '.') {
    const config = { dir };
    for (const [key, section] of Object.entries(SECTIONS))
        config[key] = section.defaults();
    return config;
}
function knownRuleIds() {
    return new Set([...ALL_RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((m) => m.id)]);
}
/** Pure: the text of a config file -> the config and every problem, each naming key and line. */
function parseConfig(text, file, options = {}) {
    const config = defaultConfig(options.dir ?? external_node_path_.posix.dirname(file));
    config.file = file;
    const errors = [];
    if (text.charCodeAt(0) === 0xfeff)
        text = text.slice(1);
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
        ruleIds: new Set(options.ruleIds ?? knownRuleIds()),
        at: (p) => locateKey(doc.contents, p, at),
        error: (p, message) => errors.push({ level: 'error', message: `config: ${dotted(p)}: ${message}`, location: reader.at(p) }),
    };
    const root = doc.toJS({ maxAliasCount: 100 });
    if (root === null || root === undefined)
        return { config, errors }; // an empty file is a valid config
    if (!(0,types/* isRecord */.u4)(root)) {
        errors.push({ level: 'error', message: 'config: must be a mapping of sections', location: at(0) });
        return { config, errors };
    }
    const target = config;
    for (const [key, value] of Object.entries(root)) {
        const section = SECTIONS[key];
        if (!section) {
            reader.error([key], `unknown key${suggest(key, Object.keys(SECTIONS))}; expected one of ${Object.keys(SECTIONS).join(', ')}`);
            continue;
        }
        target[key] = section.read(value, reader, [key]);
    }
    return { config, errors };
}
function dotted(p) {
    return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
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
    const candidates = options.file ? [options.file] : CONFIG_FILE_NAMES;
    for (const candidate of candidates) {
        const abs = external_node_path_.resolve(cwd, candidate);
        const rel = relativeName(cwd, abs);
        let text;
        try {
            text = await (0,promises_.readFile)(abs, 'utf8');
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
        return parseConfig(text, rel, { ...options, dir: options.dir ?? external_node_path_.dirname(abs) });
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
            ...DEFAULT_RULE_SETTINGS,
            critical: config.critical,
            debugTagPatterns: config.images.debugTagPatterns,
        },
        disabled,
        severity,
    };
}

;// CONCATENATED MODULE: ./lib/rules/baseline.js


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
            object: (0,types/* refKey */.XF)(f.object),
            path: f.path,
        });
    }
    const sorted = [...entries.values()].sort((a, b) => baseline_cmp(a.object, b.object) ||
        baseline_cmp(a.ruleId, b.ruleId) ||
        baseline_cmp(a.path, b.path) ||
        baseline_cmp(a.fingerprint, b.fingerprint));
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
    if (!(0,types/* isRecord */.u4)(data) || !Array.isArray(data.findings)) {
        return fail('expected {"version": 1, "findings": [...]} as written by --write-baseline');
    }
    if (data.version !== BASELINE_VERSION) {
        return fail(`unsupported version ${JSON.stringify(data.version)}; this shipshape reads version ${BASELINE_VERSION}`);
    }
    data.findings.forEach((entry, i) => {
        if ((0,types/* isRecord */.u4)(entry) && typeof entry.fingerprint === 'string' && entry.fingerprint) {
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
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false });
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
function baseline_cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(1421);
;// CONCATENATED MODULE: ./lib/render/exec.js




const PASSED_ENV = [
    'PATH',
    'HOME',
    'TMPDIR',
    'HELM_CACHE_HOME',
    'HELM_CONFIG_HOME',
    'HELM_DATA_HOME',
    'LANG',
];
function minimalEnv(extra = {}) {
    const env = {};
    for (const name of PASSED_ENV)
        if (process.env[name] !== undefined)
            env[name] = process.env[name];
    env.HOME ??= external_node_os_.tmpdir();
    // Helm must never reach out for a repository index or a plugin update while rendering.
    env.HELM_NO_PLUGINS = '1';
    // helm and kustomize are short-lived Go programs: collecting garbage a quarter as often saves
    // about a sixth of their CPU time (measured on `helm template`), and the soft memory limit keeps
    // a huge chart from growing the heap without bound. Values the caller set win.
    env.GOGC = process.env.GOGC ?? '400';
    env.GOMEMLIMIT = process.env.GOMEMLIMIT ?? '1GiB';
    return { ...env, ...extra };
}
function run(program, args, options = {}) {
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)(program, args, {
            cwd: options.cwd,
            env: minimalEnv(options.env),
            timeout: options.timeoutMs ?? 60_000,
            killSignal: 'SIGKILL',
            maxBuffer: 256 * 1024 * 1024,
            encoding: 'utf8',
        }, (error, stdout, stderr) => {
            const err = error;
            const timedOut = Boolean(err?.killed);
            let code = 0;
            if (err)
                code = typeof err.code === 'number' ? err.code : 127;
            if (err && typeof err.code === 'string')
                stderr = `${stderr}${err.message}\n`;
            resolve({ code, stdout, stderr, timedOut });
        });
    });
}
/** The first executable named `name` on PATH, or undefined. */
async function which(name) {
    for (const dir of (process.env.PATH ?? '').split(external_node_path_.delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_.join(dir, name);
        try {
            await (0,promises_.access)(candidate, promises_.constants.X_OK);
            return candidate;
        }
        catch {
            // not here; keep looking
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./lib/render/files.js



/** Read the text files under a folder into a map keyed by display path (`dir/sub/file`). */
async function files_readTree(absDir, cwd, into = new Map(), pattern = /\.(ya?ml|tpl|txt|json)$/i) {
    const entries = await (0,promises_.readdir)(absDir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
        const full = external_node_path_.join(absDir, e.name);
        if (e.isDirectory()) {
            if (e.name !== '.git' && e.name !== 'node_modules')
                await files_readTree(full, cwd, into, pattern);
        }
        else if (e.isFile() && pattern.test(e.name)) {
            await readText(full, cwd, into);
        }
    }
    return into;
}
/** Read one file (at most 4 MiB) into the map; silently absent when unreadable. */
async function readText(abs, cwd, into) {
    const st = await (0,promises_.stat)(abs).catch(() => undefined);
    if (!st?.isFile() || st.size > 4 * 1024 * 1024)
        return undefined;
    const text = await (0,promises_.readFile)(abs, 'utf8').catch(() => undefined);
    if (text !== undefined)
        into.set(relativeName(cwd, abs), text);
    return text;
}

;// CONCATENATED MODULE: ./lib/render/yaml-locate.js

function yamlLocator(text, file) {
    const lineCounter = new dist/* LineCounter */.HN();
    const docs = (0,dist/* parseAllDocuments */.hR)(text, { lineCounter, strict: false, version: '1.1' });
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
                if (!(0,dist/* isSeq */.oP)(node))
                    break;
                const item = node.items[seg];
                if (!item)
                    break;
                node = item;
                keyOffset = item.range[0];
            }
            else {
                if (!(0,dist/* isMap */.jh)(node))
                    break;
                const pair = node.items.find((p) => (0,dist/* isPair */.tO)(p) && (0,dist/* isScalar */.jn)(p.key) && String(p.key.value) === seg);
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
            return (0,dist/* isScalar */.jn)(w.node) ? w.node.value : w.node?.toJSON();
        },
        toJS(doc = 0) {
            return list[doc]?.toJS();
        },
        valueLine(path, doc = 0) {
            const w = walk(path, doc);
            if (w.depth !== path.length || !w.node)
                return undefined;
            const start = at(w.node.range[0]).line;
            const isBlock = (0,dist/* isScalar */.jn)(w.node) && (w.node.type === 'BLOCK_LITERAL' || w.node.type === 'BLOCK_FOLDED');
            return isBlock ? start + 1 : start;
        },
    };
}

;// CONCATENATED MODULE: ./lib/render/kustomize-map.js




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
        out.set((0,types/* refKey */.XF)((0,types/* refOf */.H8)(o)), stripBuildMetadata(o, resolve));
    return out;
}
/** Read and remove one object's build annotations (paths resolved by `resolve`). */
function stripBuildMetadata(object, resolve) {
    const meta = { transformedIn: [] };
    const annotations = object.metadata?.annotations;
    if (!(0,types/* isRecord */.u4)(annotations))
        return meta;
    const origin = annotations[ORIGIN_ANNOTATION];
    if (typeof origin === 'string') {
        const o = parseSmallYaml(origin);
        if ((0,types/* isRecord */.u4)(o) && typeof o.path === 'string')
            meta.origin = { file: resolve(o.path) };
        else if ((0,types/* isRecord */.u4)(o) && typeof o.configuredIn === 'string') {
            const by = (0,types/* isRecord */.u4)(o.configuredBy) ? String(o.configuredBy.kind ?? '') : '';
            meta.origin = { file: resolve(o.configuredIn), generatedBy: by };
        }
    }
    const transformations = annotations[TRANSFORMATIONS_ANNOTATION];
    if (typeof transformations === 'string') {
        const list = parseSmallYaml(transformations);
        if (Array.isArray(list)) {
            for (const t of list) {
                if ((0,types/* isRecord */.u4)(t) && typeof t.configuredIn === 'string') {
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
function parseSmallYaml(text) {
    try {
        return yamlLocator(text, '').toJS();
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
    constructor(files, join, fallbackFile) {
        this.files = files;
        this.join = join;
        this.fallbackFile = fallbackFile;
        this.dirOf = (file) => file.split('/').slice(0, -1).join('/') || '.';
    }
    /** Attach `locateSource` to a parsed manifest. */
    attach(m, meta) {
        m.locateSource = (segments) => this.locate(m.object, meta, segments) ??
            (this.fallbackFile ? { file: this.fallbackFile, line: 1, column: 1 } : m.locate(segments));
    }
    locate(object, meta, segments) {
        let k = segments.length;
        while (k > 0 && getAt(object, segments.slice(0, k)) === undefined)
            k--;
        const existing = segments.slice(0, k);
        const complete = k === segments.length;
        const display = formatPath(object, existing);
        const base = this.originDoc(object, meta);
        const kustomizations = [...meta.transformedIn].reverse();
        // A patch sets values; the maps and lists it walks through to reach them (`metadata`,
        // `spec.template.spec`, a container by name) stay the base's when the base has them.
        const value = getAt(object, segments);
        const structural = value !== null && typeof value === 'object';
        const inBase = base ? resolvePath(base.object, display).complete : false;
        if (complete && !(structural && inBase)) {
            for (const kfile of kustomizations) {
                const hit = this.fromReplicas(kfile, object, base?.name, segments) ??
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
            const resolved = resolvePath(base.object, display);
            if (resolved.complete)
                return base.locator.find(resolved.segments, base.doc);
            return (this.patchFor(kustomizations, object, base.name, existing, display) ??
                base.locator.find(resolved.segments, base.doc));
        }
        return (this.patchFor(kustomizations, object, undefined, existing, display) ?? this.generated(meta, object));
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
            const idx = list.findIndex((g) => (0,types/* isRecord */.u4)(g) && typeof g.name === 'string' && (object.metadata.name ?? '').includes(g.name));
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
            if (!(0,types/* isRecord */.u4)(value) || value.kind !== object.kind)
                continue;
            const name = (0,types/* isRecord */.u4)(value.metadata) ? String(value.metadata.name ?? '') : '';
            if (!rendered.includes(name))
                continue;
            if (!best || name.length > best.name.length)
                best = { locator: loc, doc: d, object: value, name };
        }
        return best;
    }
    fromReplicas(kfile, object, originalName, segments) {
        if (segments.length !== 2 || segments[0] !== 'spec' || segments[1] !== 'replicas')
            return undefined;
        const loc = this.locator(kfile);
        const list = loc?.value(['replicas']);
        if (!loc || !Array.isArray(list))
            return undefined;
        const name = originalName ?? object.metadata.name;
        const idx = list.findIndex((r) => (0,types/* isRecord */.u4)(r) && r.name === name);
        if (idx < 0)
            return undefined;
        return loc.find(['replicas', idx, 'count']) ?? loc.find(['replicas', idx]);
    }
    fromImages(kfile, object, segments) {
        if (segments[segments.length - 1] !== 'image')
            return undefined;
        const image = getAt(object, segments);
        const loc = this.locator(kfile);
        const list = loc?.value(['images']);
        if (typeof image !== 'string' || !loc || !Array.isArray(list))
            return undefined;
        const repo = imageName(image);
        for (let idx = list.length - 1; idx >= 0; idx--) {
            const entry = list[idx];
            if (!(0,types/* isRecord */.u4)(entry))
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
            if (!(0,types/* isRecord */.u4)(entry))
                return;
            const target = (0,types/* isRecord */.u4)(entry.target) ? entry.target : undefined;
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
                    locator: yamlLocator(entry.patch, kfile),
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
            this.locators.set(file, text === undefined ? null : yamlLocator(text, file));
        }
        return this.locators.get(file) ?? undefined;
    }
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
        if (!(0,types/* isRecord */.u4)(op) ||
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
        if (!(0,types/* isRecord */.u4)(doc))
            continue;
        if (!patch.target) {
            const name = (0,types/* isRecord */.u4)(doc.metadata) ? doc.metadata.name : undefined;
            if (doc.kind !== object.kind || (name !== originalName && name !== object.metadata.name))
                continue;
        }
        const resolved = resolvePath(doc, display);
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
    const parsed = parseManifests(text, renderedName);
    for (const m of parsed.manifests) {
        const meta = metas.get((0,types/* refKey */.XF)(m.ref));
        if (meta)
            mapper.attach(m, meta);
    }
    return parsed;
}

;// CONCATENATED MODULE: ./lib/render/types.js
/** A short stable name for reports: `charts/web (values-prod.yaml)`, `overlays/prod`. */
function targetName(target) {
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

;// CONCATENATED MODULE: ./lib/render/kustomize.js










/**
 * Build an overlay with `kustomize build` (or `kubectl kustomize`). A wrapper kustomization in a
 * temporary folder references the overlay and turns on Kustomize's build metadata, so the
 * user's files are never touched, and the origin and transformer annotations tell the mapper
 * where each object came from. The annotations are stripped before anything is linted or diffed.
 */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
async function kustomizationFile(dirAbs) {
    for (const name of KUSTOMIZATION_FILES) {
        const st = await (0,promises_.stat)(external_node_path_.join(dirAbs, name)).catch(() => undefined);
        if (st?.isFile())
            return external_node_path_.join(dirAbs, name);
    }
    return undefined;
}
const REMOTE = /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\.git(\/\/|$)/;
/** Read a kustomization: its local bases and any remote references (with their lines). */
async function readKustomization(dirAbs) {
    const file = await kustomizationFile(dirAbs);
    if (!file)
        return undefined;
    const text = await (0,promises_.readFile)(file, 'utf8').catch(() => '');
    const loc = yamlLocator(text, file);
    const info = { file, bases: [], remote: [] };
    for (const key of ['resources', 'bases', 'components']) {
        const list = loc.value([key]);
        if (!Array.isArray(list))
            continue;
        for (let i = 0; i < list.length; i++) {
            const ref = list[i];
            if (typeof ref !== 'string')
                continue;
            if (REMOTE.test(ref)) {
                const at = loc.find([key, i]);
                info.remote.push({ ref, line: at?.line ?? 1, column: at?.column ?? 1 });
                continue;
            }
            const abs = external_node_path_.resolve(dirAbs, ref);
            const st = await (0,promises_.stat)(abs).catch(() => undefined);
            if (st?.isDirectory())
                info.bases.push(abs);
        }
    }
    return info;
}
async function renderKustomize(target, opts) {
    const dirAbs = external_node_path_.resolve(opts.cwd, target.dir);
    const display = (abs) => displayPath(opts.cwd, abs);
    const empty = { target, manifests: [], rendered: '' };
    const kfile = await kustomizationFile(dirAbs);
    if (!kfile)
        return { ...empty, errors: [{ level: 'error', message: `${target.dir}: no kustomization.yaml` }] };
    const tree = await closure(dirAbs, new Set());
    const remote = tree.flatMap((k) => k.remote.map((r) => ({ file: k.file, ...r })));
    if (remote.length > 0) {
        return {
            ...empty,
            errors: remote.map((r) => ({
                level: 'error',
                message: `remote resource ${r.ref} cannot be built here (no network); vendor it into the repository`,
                location: { file: display(r.file), line: r.line, column: r.column },
            })),
        };
    }
    const tmp = await (0,promises_.mkdtemp)(external_node_path_.join(external_node_os_.tmpdir(), 'shipshape-kustomize-'));
    try {
        const rel = external_node_path_.relative(tmp, dirAbs).split(external_node_path_.sep).join('/');
        await (0,promises_.writeFile)(external_node_path_.join(tmp, 'kustomization.yaml'), (0,dist/* stringify */.As)({ resources: [rel], buildMetadata: ['originAnnotations', 'transformerAnnotations'] }));
        const [program, ...lead] = opts.command;
        const res = await run(program, [...lead, tmp], { cwd: opts.cwd, timeoutMs: opts.timeoutMs });
        if (res.code !== 0 || res.timedOut) {
            const error = await kustomizeError(res.stderr, res.timedOut, opts, tmp, tree, display);
            return { ...empty, errors: [error] };
        }
        const resolve = (p) => display(external_node_path_.resolve(tmp, p));
        const docs = (0,dist/* parseAllDocuments */.hR)(res.stdout);
        const objects = (Array.isArray(docs) ? docs : [])
            .map((doc) => doc.toJS())
            .filter((o) => (0,types/* isRecord */.u4)(o) && (0,types/* isRecord */.u4)(o.metadata));
        const metas = stripAll(objects, resolve);
        const rendered = objects.map((o) => (0,dist/* stringify */.As)(o, { lineWidth: 0 })).join('---\n');
        const files = new Map();
        await readSources([...metas.values()], opts.cwd, files);
        const mapper = new KustomizeMapper(files, (dir, relPath) => display(external_node_path_.resolve(opts.cwd, dir, relPath)), display(kfile));
        const parsed = mapKustomizeOutput(rendered, `${targetName(target)} [rendered]`, metas, mapper);
        const warnings = await kustomizeWarnings(res.stderr, tree, display);
        return { target, manifests: parsed.manifests, errors: [...warnings, ...parsed.errors], rendered };
    }
    finally {
        await (0,promises_.rm)(tmp, { recursive: true, force: true });
    }
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
async function closure(dirAbs, seen) {
    if (seen.has(dirAbs))
        return [];
    seen.add(dirAbs);
    const info = await readKustomization(dirAbs);
    if (!info)
        return [];
    const out = [info];
    for (const base of info.bases)
        out.push(...(await closure(base, seen)));
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
        const text = await readText(external_node_path_.resolve(cwd, file), cwd, files);
        if (text === undefined || !KUSTOMIZATION_FILES.includes(external_node_path_.basename(file)))
            continue;
        const loc = yamlLocator(text, file);
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
                    await readText(external_node_path_.resolve(cwd, external_node_path_.dirname(file), rel), cwd, files);
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
async function kustomizeError(stderr, timedOut, opts, tmp, tree, display) {
    const target = { file: display(tree[0].file), line: 1, column: 1 };
    if (timedOut) {
        return {
            level: 'error',
            message: `${opts.command.join(' ')} timed out after ${opts.timeoutMs} ms`,
            location: target,
        };
    }
    // Kustomize names files by absolute path; show them as the user does, and never the temp wrapper.
    let message = (stderr.split('\n').find((l) => l.startsWith('Error:')) ?? stderr.trim().split('\n')[0] ?? '')
        .replace(/^Error:\s*/, '')
        .replaceAll(`${tmp}/`, '')
        .replaceAll(`${opts.cwd}/`, '');
    if (!message)
        message = 'kustomize build failed';
    const location = (await errorLocation(stderr, tree, display)) ?? target;
    return { level: 'error', message: `kustomize: ${message}`, location };
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

;// CONCATENATED MODULE: ./lib/render/discover.js




const discover_SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', '.github']);
const ENV_VALUES = /^values[-.]([\w.-]+)\.ya?ml$/;
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
            await discover_walk(abs, charts, kustomizations, plain);
        else if (external_node_path_.basename(abs) === 'Chart.yaml')
            charts.push(external_node_path_.dirname(abs));
        else if (KUSTOMIZATION_FILES.includes(external_node_path_.basename(abs)))
            kustomizations.push(external_node_path_.dirname(abs));
        else
            plain.push(abs);
    }
    const targets = [];
    for (const chart of unique(charts))
        targets.push(...(await chartTargets(chart, cwd, options)));
    const roots = await kustomizeRoots(unique(kustomizations));
    for (const dir of roots.roots)
        targets.push({ kind: 'kustomize', dir: discover_relativeName(cwd, dir) });
    // Files a kustomization lists as resources are built by it, not linted on their own.
    const owned = roots.ownedDirs;
    const loose = unique(plain).filter((f) => !owned.has(external_node_path_.dirname(f)));
    if (loose.length > 0)
        targets.push({ kind: 'plain', paths: loose.map((f) => discover_relativeName(cwd, f)) });
    return { targets, errors };
}
async function discover_walk(dir, charts, kustomizations, plain) {
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => []);
    const names = new Set(entries.map((e) => e.name));
    if (names.has('Chart.yaml')) {
        // A chart: its templates/ and charts/ are Helm's business, never plain manifests. A library
        // chart only holds helpers for others and renders nothing by itself.
        if (!(await isLibraryChart(dir)))
            charts.push(dir);
        return;
    }
    if (KUSTOMIZATION_FILES.some((k) => names.has(k)))
        kustomizations.push(dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
        const full = external_node_path_.join(dir, e.name);
        if (e.isDirectory()) {
            if (!discover_SKIP_DIRS.has(e.name))
                await discover_walk(full, charts, kustomizations, plain);
        }
        else if (e.isFile() && /\.ya?ml$/i.test(e.name) && !KUSTOMIZATION_FILES.includes(e.name)) {
            plain.push(full);
        }
    }
}
async function isLibraryChart(dir) {
    const text = await (0,promises_.readFile)(external_node_path_.join(dir, 'Chart.yaml'), 'utf8').catch(() => '');
    return /^type:\s*["']?library["']?\s*$/m.test(text);
}
async function chartTargets(chartAbs, cwd, options) {
    const chart = discover_relativeName(cwd, chartAbs);
    const entries = await (0,promises_.readdir)(chartAbs).catch(() => []);
    const envFiles = entries.filter((f) => ENV_VALUES.test(f)).sort();
    const base = {
        kind: 'helm',
        chart,
        releaseName: options.releaseName ?? discover_releaseNameOf(chartAbs),
        namespace: options.namespace ?? 'default',
        set: {},
        apiVersions: [],
    };
    if (envFiles.length === 0)
        return [{ ...base, valuesFiles: [] }];
    return envFiles.map((f) => ({ ...base, valuesFiles: [discover_relativeName(cwd, external_node_path_.join(chartAbs, f))] }));
}
/** A release name Helm accepts: lowercase, digits and dashes, at most 53 characters. */
function discover_releaseNameOf(chartAbs) {
    const name = external_node_path_.basename(chartAbs)
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '');
    return (name || 'release').slice(0, 53);
}
/** Kustomizations that no other discovered kustomization builds on, and the folders they own. */
async function kustomizeRoots(dirs) {
    const usedAsBase = new Set();
    const ownedDirs = new Set(dirs);
    for (const dir of dirs) {
        const info = await readKustomization(dir);
        for (const base of info?.bases ?? []) {
            usedAsBase.add(base);
            ownedDirs.add(base);
        }
    }
    return { roots: dirs.filter((d) => !usedAsBase.has(d)), ownedDirs };
}
/** Relative to the working directory; the working directory itself is `.`. */
function discover_relativeName(cwd, abs) {
    return relativeName(cwd, abs) || '.';
}
function unique(list) {
    return [...new Set(list)];
}

// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __nccwpck_require__(643);
;// CONCATENATED MODULE: ./lib/render/helm-template.js
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
function parseTemplate(file, text, lineOffset = 0) {
    const actions = scanActions(text);
    const lineStarts = [0];
    for (let k = 0; k < text.length; k++)
        if (text[k] === '\n')
            lineStarts.push(k + 1);
    const lines = text.split('\n');
    const nodes = [];
    const loops = [];
    const defines = [];
    const stack = [{ kind: 'other', dot: null, vars: new Map() }];
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
        const scope = stack[stack.length - 1];
        const ranges = stack.filter((s) => s.rangeId !== undefined).map((s) => s.rangeId);
        const refs = [];
        for (const act of here)
            refs.push(...refsOf(act.body, scope));
        const indentText = lines[ln].match(/^\s*(- )?/)[0];
        const column = indentText.length + 1;
        const base = { line: ln + lineOffset, column, refs, ranges };
        if (startsInside && here.length === 1 && here[0].end > lineEnd) {
            nodes.push({ ...base, type: 'control' });
            continue;
        }
        const outputs = here.filter((act) => act.start >= lineStart && !CONTROL.test(act.body));
        if (literal.trim()) {
            nodes.push({
                ...base,
                type: 'lit',
                pattern: linePattern(lines[ln], lineStart, here),
                weight: weightOf(literal),
            });
        }
        // After literal text only multi-line output makes a block (`resources: {{ toYaml . | nindent 4 }}`);
        // an inline `{{ include "x.fullname" . }}` prints one word on the same line.
        const blocky = outputs.find((act) => (literal.trim() ? MULTILINE : BLOCKY).test(act.body));
        if (blocky || (!literal.trim() && outputs.length > 0)) {
            const act = blocky ?? outputs[0];
            const node = { ...base, type: 'block', indent: indentOf(act.body, lines[ln]) };
            const inc = /\b(?:include|template)\s+"([^"]+)"/.exec(act.body);
            if (inc) {
                node.include = inc[1];
                const args = refsOf(act.body.slice(inc.index + inc[0].length), scope).filter((r) => r.source === 'values');
                if (args.length === 1)
                    node.includeOf = args[0];
            }
            const yamlOf = /\btoYaml\s+\(?\s*(\$?[\w.]*)/.exec(act.body) ?? /^(\$?[\w.]+)\s*\|\s*toYaml\b/.exec(act.body);
            if (yamlOf) {
                const r = refsOf(yamlOf[1], scope).find((x) => x.source === 'values');
                if (r)
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
            const top = stack[stack.length - 1];
            if (word === 'if')
                stack.push({ kind: 'if', dot: top.dot, vars: top.vars });
            else if (word === 'with') {
                const r = refsOf(act.body.slice(4), top).find((x) => x.source === 'values');
                stack.push({ kind: 'with', dot: r ? r.path : top.dot, vars: top.vars });
            }
            else if (word === 'range') {
                const id = nextRange++;
                const m = /^range\s+(?:(\$\w+)\s*,\s*)?(\$\w+)\s*:=\s*(.*)$/.exec(act.body);
                const expr = m ? m[3] : act.body.slice(6);
                const r = refsOf(expr, top).find((x) => x.source === 'values');
                const item = r ? [...r.path, '[]'] : null;
                const vars = new Map(top.vars);
                if (m && item)
                    vars.set(m[2], item);
                stack.push({
                    kind: 'range',
                    dot: m ? top.dot : item,
                    vars,
                    rangeId: id,
                    startNode: nodes.length,
                });
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
function linePattern(line, lineStart, actions) {
    let re = '';
    let pos = lineStart;
    const end = lineStart + line.length;
    let trimNext = false;
    for (const act of actions) {
        if (act.start > pos) {
            let text = line.slice(pos - lineStart, Math.min(act.start, end) - lineStart);
            // `key: {{- include ...}}` prints `key:` with no blank: trimmed blanks become optional.
            if (trimNext)
                text = text.replace(/^\s+/, '');
            if (act.trimLeft)
                text = text.replace(/\s+$/, '');
            re += escapeRegExp(text) + (act.trimLeft ? '\\s*' : '');
        }
        re += '.*?';
        trimNext = act.trimRight;
        pos = Math.max(pos, act.end);
    }
    if (pos < end)
        re += escapeRegExp(trimNext ? line.slice(pos - lineStart).replace(/^\s+/, '') : line.slice(pos - lineStart));
    re = re.replace(/(\\s\*|\s)+$/, '');
    // A trailing action may print nothing (or only blanks); the line's indentation stays exact.
    return new RegExp(`^${re}\\s*$`);
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
    // `$var.field`, `$var`, `.field.sub`, or a bare `.`.
    const chain = /(\$\w*)((?:\.[A-Za-z_][\w-]*)*)|((?:\.[A-Za-z_][\w-]*)+)|(?<![\w)\].$])\.(?![\w.])/g;
    for (const m of body.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(chain)) {
        const variable = m[1];
        const fields = (variable !== undefined ? m[2] : (m[3] ?? '')).split('.').filter(Boolean);
        if (m[0] === '.') {
            if (scope.dot)
                refs.push({ source: 'values', path: scope.dot });
            continue;
        }
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
                refs.push({ source: 'values', path: [...base, ...fields] });
        }
        else if (scope.dot) {
            refs.push({ source: 'values', path: [...scope.dot, ...fields] });
        }
    }
    return refs;
}

;// CONCATENATED MODULE: ./lib/render/helm-align.js

/** Collect the `define`s of helper and template files: name -> body. */
function defineTable(files) {
    const table = new Map();
    for (const { file, text } of files) {
        const lines = text.split('\n');
        for (const d of parseTemplate(file, text).defines) {
            const body = lines.slice(d.from, d.to).join('\n');
            table.set(d.name, { file, template: parseTemplate(file, body, d.from).template });
        }
    }
    return table;
}
const SCORE = { blockLine: 0.2, orphan: -1 };
const MOVE = { none: 0, skip: 1, back: 2, match: 3, block: 4, orphan: 5, blank: 6 };
const MAX_DEPTH = 8;
/** Past this many (rendered line, node) pairs (~26 MB of tables) a one-pass greedy match is used. */
const MAX_CELLS = 2_000_000;
function align(rendered, template, defines, depth = 0, hint) {
    const { nodes } = template;
    const n = rendered.length;
    const M = nodes.length;
    const W = M + 1;
    if ((n + 1) * W > MAX_CELLS)
        return greedyAlign(rendered, template);
    const score = new Float64Array((n + 1) * W).fill(Number.NEGATIVE_INFINITY);
    const move = new Uint8Array((n + 1) * W);
    const from = new Int32Array((n + 1) * W).fill(-1);
    const lines = rendered.map((l) => l.replace(/\s+$/, ''));
    const indents = lines.map((l) => l.match(/^ */)[0].length);
    const backEdges = template.loops.filter((l) => l.start <= l.end);
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
                if (node.type === 'lit' && node.pattern.test(lines[i]))
                    gain[j] = 1 + 0.01 * (node.weight ?? 0);
                else if (node.type === 'block' && indents[i] >= (node.indent ?? 0)) {
                    gain[j] = blockScore(node, lines[i], defines) + (hint?.(node, lines[i]) ?? 0);
                }
            }
        }
        for (let pass = 0; pass < 16; pass++) {
            for (let j = 0; j <= M; j++) {
                const here = i * W + j;
                const s = score[here];
                if (s === Number.NEGATIVE_INFINITY)
                    continue;
                if (j < M)
                    relax(here + 1, s, MOVE.skip, here);
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
    return replay(path, W, move, lines, indents, template, defines, depth, hint);
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
function replay(path, W, move, lines, indents, template, defines, depth, hint) {
    const { nodes, file } = template;
    const origins = new Array(lines.length);
    const counters = new Map();
    const loopByStart = new Map(template.loops.map((l) => [l.start, l.id]));
    let block;
    let lastLit;
    const flush = () => {
        if (!block)
            return;
        finishBlock(block.lines, nodes[block.node], iterationsOf(nodes[block.node], counters), origins, lines, indents, file, defines, depth, hint);
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
                refs: resolveRefs(node.refs, iterationsOf(node, counters)),
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
function finishBlock(blockLines, node, iterations, origins, lines, indents, file, defines, depth, hint) {
    const content = blockLines.filter((r) => lines[r].trim());
    const minIndent = Math.min(...content.map((r) => indents[r]));
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
        const inner = align(dedented, define.template, defines, depth + 1, hint);
        // A define that prints the values it was given (`tpl (toYaml .value)`) has no literal line of
        // its own in the output: those lines come from the values subtree passed in.
        const verbatim = node.includeOf && inner.every((o) => o.kind !== 'lit');
        if (!verbatim) {
            blockLines.forEach((r, k) => {
                origins[r] = inner[k].kind === 'orphan' || inner[k].kind === 'blank' ? own : inner[k];
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
function iterationsOf(node, counters) {
    return node.ranges.map((id) => counters.get(id) ?? 0);
}
/** Replace each `[]` (an enclosing range's item) by that range's iteration, innermost last. */
function resolveRefs(refs, iterations) {
    return refs.map((ref) => {
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
    });
}
/**
 * For huge outputs (a range printing thousands of lines): match each rendered line to the next
 * literal line that fits, within a window, else to the last one matched. Coarser, bounded in
 * time and memory, and still never a line that does not exist.
 */
function greedyAlign(rendered, template) {
    const { nodes, file } = template;
    const origins = [];
    let cursor = 0;
    let last = fallback(file);
    for (const raw of rendered) {
        const line = raw.replace(/\s+$/, '');
        if (!line.trim()) {
            origins.push({ ...last, kind: 'blank' });
            continue;
        }
        let hit = -1;
        for (let step = 0; step < nodes.length && step < 400; step++) {
            const k = (cursor + step) % nodes.length;
            if (nodes[k].type === 'lit' && nodes[k].pattern.test(line)) {
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

;// CONCATENATED MODULE: ./lib/render/helm-map.js






function mapHelmOutput(output, renderedName, sources) {
    const parsed = parseManifests(output, renderedName);
    const chunks = splitChunks(output, sources.chartDir, sources.subchartDirs);
    const ctx = new MappingContext(sources);
    const errors = parsed.errors.map((e) => remapError(e, chunks, ctx));
    for (const m of parsed.manifests) {
        const startLine = m.locate([]).line;
        const chunk = chunkAt(chunks, startLine);
        if (!chunk)
            continue;
        m.locateSource = (segments) => ctx.locate(m, chunk, segments);
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
    locators = new Map();
    blockWords = new Map();
    sources;
    constructor(sources) {
        this.sources = sources;
    }
    locate(m, chunk, segments) {
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
            return this.valuesLocation(chunk, origin.yamlOf, rel, true) ?? templateLine;
        }
        // A key line whose children came from `toYaml .Values.x`, asked about a child that is missing.
        if (!complete && origin.childYamlOf) {
            const rel = segments.slice(existing.length);
            return this.valuesLocation(chunk, origin.childYamlOf, rel, true) ?? templateLine;
        }
        // `script: |` over `{{ tpl .Values.script . | nindent 4 }}`: the text is the values string's.
        if (complete && origin.childText && typeof getAt(m.object, segments) === 'string') {
            const loc = this.valuesLocation(chunk, origin.childText, [], false);
            if (loc)
                return loc;
        }
        // `replicas: {{ .Values.replicaCount }}`: the values key, when the value really came from it.
        if (complete && origin.refs.length > 0) {
            const loc = this.bestRef(chunk, origin.refs, getAt(m.object, segments));
            if (loc)
                return loc;
        }
        return templateLine;
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
        this.defines ??= defineTable([...this.sources.files]
            .filter(([f]) => /(^|\/)templates\/.*\.(tpl|yaml|yml)$/.test(f))
            .map(([file, t]) => ({ file, text: t })));
        chunk.origins = align(chunk.lines, parseTemplate(chunk.template, text).template, this.defines, 0, (node, line) => this.blockHint(chunk, node, line));
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
        for (const ref of refs) {
            out.push(ref);
            if (ref.source !== 'values' || ref.holes?.length)
                continue;
            const value = this.find(this.valuesLayers(chunk), ref.path, false)?.value;
            if (!(0,types/* isRecord */.u4)(value))
                continue;
            const keys = new Set();
            for (const layer of this.valuesLayers(chunk)) {
                const v = this.locator(layer.file)?.value(inLayer(layer, ref.path));
                if ((0,types/* isRecord */.u4)(v))
                    for (const [k, leaf] of Object.entries(v))
                        if (!(0,types/* isRecord */.u4)(leaf) && !Array.isArray(leaf))
                            keys.add(k);
            }
            for (const k of keys)
                out.push({ source: 'values', path: [...ref.path, k] });
        }
        return out;
    }
    refLocation(chunk, ref, rendered) {
        if (ref.source === 'chart') {
            return this.shows(this.find([{ file: this.chartYamlOf(chunk), prefix: [] }], ref.path, false), rendered);
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
        if (!found || !isScalarValue(found.value))
            return found;
        const text = String(found.value);
        if (!text || !isScalarValue(rendered) || !String(rendered).includes(text))
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
            else if ((0,types/* isRecord */.u4)(v))
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
            if (hit)
                return { loc: hit, value: loc.value(full) };
            if (!nearest)
                continue;
            const depth = loc.depth(full);
            if (depth > layer.prefix.length && (!best || depth > best.depth)) {
                const part = full.slice(0, depth);
                const partLoc = loc.find(part);
                if (partLoc)
                    best = { loc: partLoc, value: loc.value(part), depth };
            }
        }
        return best;
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
                prefix: subs.slice(depth),
            });
        }
        for (const file of this.sources.valuesFiles)
            layers.push({ file, prefix: [...subs] });
        return layers;
    }
    locator(file) {
        if (!this.locators.has(file)) {
            const text = this.sources.files.get(file);
            this.locators.set(file, text === undefined ? null : yamlLocator(text, file));
        }
        return this.locators.get(file) ?? undefined;
    }
}
/** Every key and scalar under a values subtree. */
function collectWords(value, into) {
    if (Array.isArray(value))
        for (const v of value)
            collectWords(v, into);
    else if ((0,types/* isRecord */.u4)(value)) {
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
    return path[0] === 'global' ? [...path] : [...layer.prefix, ...path];
}
function existingPrefix(root, segments) {
    let k = segments.length;
    while (k > 0 && getAt(root, segments.slice(0, k)) === undefined)
        k--;
    return segments.slice(0, k);
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

;// CONCATENATED MODULE: ./lib/render/helm.js











async function renderHelm(target, opts) {
    const started = { target, manifests: [], rendered: '' };
    const chartAbs = external_node_path_.resolve(opts.cwd, target.chart);
    const chartDir = helm_displayPath(opts.cwd, chartAbs);
    const files = new Map(await readChart(chartAbs, opts));
    const chartYamlName = joinPath(chartDir, 'Chart.yaml');
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
        const name = helm_displayPath(opts.cwd, abs);
        if ((await readText(abs, opts.cwd, files)) === undefined) {
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
    let renderDir = chartAbs;
    let cleanup;
    const subchartDirs = {};
    if (missing.length > 0) {
        const built = await vendorLocalDependencies(chartAbs);
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
            subchartDirs[name] = helm_displayPath(opts.cwd, abs);
            await files_readTree(abs, opts.cwd, files);
        }
    }
    try {
        const args = templateArgs(target, renderDir, valuesFiles.map((f) => external_node_path_.resolve(opts.cwd, f)));
        const res = await run(opts.helm, args, { cwd: opts.cwd, timeoutMs: opts.timeoutMs });
        if (res.timedOut) {
            return {
                ...started,
                errors: [
                    {
                        level: 'error',
                        message: `helm template timed out after ${opts.timeoutMs} ms`,
                        location: { file: chartYamlName, line: 1, column: 1 },
                    },
                ],
            };
        }
        if (res.code !== 0) {
            const error = await helmError(res.stderr, chartDir, chartYamlName, files, async () => {
                const debug = await run(opts.helm, [...args, '--debug'], {
                    cwd: opts.cwd,
                    timeoutMs: opts.timeoutMs,
                });
                return debug.stdout;
            });
            return { ...started, errors: [error] };
        }
        const sources = { chartDir, files, valuesFiles, setKeys: Object.keys(target.set), subchartDirs };
        const mapped = mapHelmOutput(res.stdout, renderedName(target), sources);
        return { target, manifests: mapped.manifests, errors: mapped.errors, rendered: res.stdout };
    }
    finally {
        await cleanup?.();
    }
}
/** The chart's files, read once per run however many targets share the chart. */
function readChart(chartAbs, opts) {
    if (!opts.trees)
        return files_readTree(chartAbs, opts.cwd);
    let tree = opts.trees.get(chartAbs);
    if (!tree) {
        tree = files_readTree(chartAbs, opts.cwd);
        opts.trees.set(chartAbs, tree);
    }
    return tree;
}
function renderedName(target) {
    return `${targetName(target)} [rendered]`;
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
    if (target.kubeVersion)
        args.push('--kube-version', target.kubeVersion);
    for (const api of target.apiVersions)
        args.push('--api-versions', api);
    return args;
}
function helm_displayPath(cwd, abs) {
    const rel = external_node_path_.relative(cwd, abs);
    const name = rel.startsWith('..') || external_node_path_.isAbsolute(rel) ? abs : rel || '.';
    return name.split(external_node_path_.sep).join('/');
}
function dependenciesOf(chartYaml) {
    const value = (0,dist/* parseDocument */.Tp)(chartYaml).toJS();
    const list = Array.isArray(value?.dependencies) ? value.dependencies : [];
    return list.flatMap((d, index) => {
        if (!d || typeof d !== 'object' || typeof d.name !== 'string')
            return [];
        const dep = d;
        return [{ name: dep.name, repository: String(dep.repository ?? ''), alias: dep.alias, index }];
    });
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
    return yamlLocator(text, file).find(['dependencies', index]) ?? { file, line: 1, column: 1 };
}
/**
 * Copy the chart to a temporary folder and vendor its missing file:// dependencies into the
 * copy's charts/ as folders (recursively, for dependencies of dependencies). This is what
 * `helm dependency build` does for local dependencies, without Helm's repository handling, so
 * nothing can reach for a network and the user's folder is never written to.
 */
async function vendorLocalDependencies(chartAbs) {
    const tmp = await (0,promises_.mkdtemp)(external_node_path_.join(external_node_os_.tmpdir(), 'shipshape-chart-'));
    const dir = external_node_path_.join(tmp, external_node_path_.basename(chartAbs));
    const cleanup = () => (0,promises_.rm)(tmp, { recursive: true, force: true });
    try {
        await (0,promises_.cp)(chartAbs, dir, { recursive: true, filter: (src) => external_node_path_.basename(src) !== '.git' });
        const sources = {};
        const failure = await vendorInto(dir, chartAbs, sources, 0);
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
async function vendorInto(copyDir, originalDir, sources, depth) {
    if (depth > 8)
        return { error: 'file:// dependencies nest more than 8 deep (a cycle?)' };
    const text = await (0,promises_.readFile)(external_node_path_.join(originalDir, 'Chart.yaml'), 'utf8').catch(() => '');
    const present = new Set(await (0,promises_.readdir)(external_node_path_.join(copyDir, 'charts')).catch(() => []));
    for (const dep of dependenciesOf(text)) {
        if (isVendored(dep, present) || !dep.repository.startsWith('file://'))
            continue;
        const from = external_node_path_.resolve(originalDir, dep.repository.slice('file://'.length));
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
        const nested = await vendorInto(to, from, sources, depth + 1);
        if (nested)
            return nested;
    }
    return undefined;
}
function firstError(stderr) {
    const line = stderr.split('\n').find((l) => l.startsWith('Error:')) ?? stderr.trim().split('\n')[0] ?? '';
    return line.replace(/^Error:\s*/, '').trim();
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
    const toFile = (source) => joinPath(chartDir, source.split('/').slice(1).join('/'));
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
    const chunk = splitChunks(output, '').find((c) => c.template === source.split('/').slice(1).join('/'));
    if (!chunk)
        return undefined;
    const helpers = [...files]
        .filter(([f]) => /(^|\/)templates\/.*\.tpl$/.test(f))
        .map(([f, t]) => ({ file: f, text: t }));
    // Helm prints a blank line after `# Source:`; its YAML line numbers count from the content.
    const lines = chunk.lines[0] === '' ? chunk.lines.slice(1) : chunk.lines;
    const origins = align(lines, parseTemplate(file, text).template, defineTable(helpers));
    const origin = origins[Math.min(line, origins.length) - 1];
    return origin ? { file: origin.file, line: origin.line, column: origin.column } : undefined;
}

;// CONCATENATED MODULE: ./lib/render/pool.js

/** Run `work` over `items` with at most `limit` in flight; results keep the input order. */
async function pool_mapConcurrent(items, work, limit = defaultConcurrency()) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await work(items[i], i);
        }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
    await Promise.all(workers);
    return results;
}
/** One render per core: helm and kustomize are CPU-bound and single-threaded per call. */
function defaultConcurrency() {
    return Math.max(1, external_node_os_.availableParallelism?.() ?? external_node_os_.cpus().length);
}

;// CONCATENATED MODULE: ./lib/render/index.js








/**
 * Render targets concurrently, one per core by default. Each result is a value: a failing chart
 * is a result with errors, and the others go on.
 */
async function renderTargets(targets, options = {}) {
    const shared = { tools: await resolveTools(options.tools), trees: new Map() };
    return pool_mapConcurrent(targets, (t) => renderOne(t, options, shared), options.concurrency ?? defaultConcurrency());
}
/**
 * Render targets from several checkouts (a base worktree and the head) in one pool, so the
 * number of helm and kustomize processes stays bounded by the cores overall.
 */
async function renderJobs(jobs, options = {}) {
    const shared = { tools: await resolveTools(options.tools), trees: new Map() };
    return pool_mapConcurrent(jobs, (job) => renderOne(job.target, { ...options, cwd: job.cwd }, shared), options.concurrency ?? defaultConcurrency());
}
async function renderTarget(target, options = {}) {
    return renderOne(target, options, { tools: await resolveTools(options.tools), trees: new Map() });
}
const toolCache = new Map();
/** Find helm and kustomize (or kubectl) and ask their versions, once per process. */
function resolveTools(given = {}) {
    const key = JSON.stringify(given) + (process.env.PATH ?? '');
    let found = toolCache.get(key);
    if (!found) {
        found = (async () => {
            const helm = given.helm ?? (await which('helm'));
            const kustomizeBin = given.kustomize ?? (await which('kustomize'));
            const kubectl = given.kubectl ?? (await which('kubectl'));
            const kustomize = kustomizeBin ? [kustomizeBin, 'build'] : kubectl ? [kubectl, 'kustomize'] : undefined;
            const versions = {};
            if (helm)
                versions.helm = `helm ${(await run(helm, ['version', '--short'], { timeoutMs: 10_000 })).stdout.trim()}`;
            if (kustomizeBin)
                versions.kustomize = `kustomize ${(await run(kustomizeBin, ['version'], { timeoutMs: 10_000 })).stdout.trim()}`;
            else if (kubectl) {
                const out = (await run(kubectl, ['version', '--client'], { timeoutMs: 10_000 })).stdout;
                versions.kustomize = `kubectl kustomize (${/Kustomize Version: (\S+)/.exec(out)?.[1] ?? 'unknown'})`;
            }
            return { helm, kustomize, versions };
        })();
        toolCache.set(key, found);
    }
    return found;
}
async function renderOne(target, options, shared) {
    const { tools } = shared;
    const cwd = options.cwd ?? process.cwd();
    const timeoutMs = options.timeoutMs ?? 60_000;
    const started = external_node_perf_hooks_.performance.now();
    const done = (r, tool) => ({
        ...r,
        tool,
        millis: Math.round(external_node_perf_hooks_.performance.now() - started),
    });
    switch (target.kind) {
        case 'helm':
            if (!tools.helm)
                return done({ target, manifests: [], rendered: '', errors: [missingTool('helm', target.chart)] });
            return done(await renderHelm(target, { cwd, helm: tools.helm, timeoutMs, trees: shared.trees }), tools.versions.helm);
        case 'kustomize':
            if (!tools.kustomize) {
                return done({
                    target,
                    manifests: [],
                    rendered: '',
                    errors: [missingTool('kustomize (or kubectl)', target.dir)],
                });
            }
            return done(await renderKustomize(target, { cwd, command: tools.kustomize, timeoutMs }), tools.versions.kustomize);
        case 'plain': {
            const loaded = await loadPaths(target.paths, { cwd });
            return done({ target, manifests: loaded.manifests, errors: loaded.errors, rendered: '' });
        }
    }
}
function missingTool(tool, what) {
    return {
        level: 'error',
        message: `${what}: ${tool} is not installed (not on PATH and not set in the config); cannot render`,
    };
}

;// CONCATENATED MODULE: ./lib/jobs/render.js





async function runRender(input) {
    const discovered = input.paths.length > 0 || !input.configTargets?.length
        ? await discoverTargets(input.paths.length > 0 ? input.paths : ['.'], { cwd: input.cwd })
        : { targets: [...input.configTargets], errors: [] };
    const results = await renderTargets(discovered.targets, {
        cwd: input.cwd,
        tools: input.tools,
        concurrency: input.concurrency,
        timeoutMs: input.timeoutMs,
    });
    return { targets: discovered.targets, results, errors: discovered.errors };
}
/**
 * What `check` lints: plain files as before, and every chart and overlay among the paths
 * rendered first (their manifests know the line a human edits). With no paths, the config's
 * `targets:`. The same shape as loadPaths, so the rest of the check does not change.
 */
async function loadSources(paths, options) {
    const { cwd } = options;
    const load = (p) => loadPaths(p, { cwd, exclude: options.exclude, stdin: options.stdin });
    const renderOpts = {
        cwd,
        tools: options.render?.tools,
        timeoutMs: options.render?.timeoutMs,
        concurrency: options.render?.concurrency,
    };
    if (paths.length === 0 && options.configTargets?.length) {
        const targets = resolveTargets(options.configTargets, options.configDir ?? '.', cwd);
        return merge(await renderTargets(targets, renderOpts), [], options.exclude);
    }
    const onDisk = paths.filter((p) => p !== '-');
    const { targets } = await discoverTargets(onDisk, { cwd });
    const rendered = targets.filter((t) => t.kind !== 'plain');
    // Nothing to render: plain manifests exactly as the loader always read them.
    if (rendered.length === 0) {
        const plainOnly = await load(paths);
        return { ...plainOnly, groups: [{ manifests: plainOnly.manifests }] };
    }
    const plain = targets.flatMap((t) => (t.kind === 'plain' ? t.paths : []));
    const loose = [...plain, ...(paths.includes('-') ? ['-'] : [])];
    const [results, plainLoad] = await Promise.all([
        renderTargets(rendered, renderOpts),
        loose.length > 0 ? load(loose) : Promise.resolve(undefined),
    ]);
    return merge(results, plainLoad ? [plainLoad] : [], options.exclude);
}
function merge(results, loads, exclude = []) {
    const out = { manifests: [], errors: [], files: [], groups: [] };
    const skip = exclude.map(globToRegExp);
    for (const r of results) {
        // `exclude:` applies to rendered objects by the file they come from (a template, a base).
        const kept = skip.length === 0 ? r.manifests : r.manifests.filter((m) => !excluded(m, skip));
        out.groups.push(r.target.kind === 'helm' ? { manifests: kept, namespace: r.target.namespace } : { manifests: kept });
        out.manifests.push(...kept);
        out.errors.push(...r.errors);
        out.files.push(targetName(r.target));
    }
    for (const l of loads) {
        out.groups.push({ manifests: l.manifests });
        out.manifests.push(...l.manifests);
        out.errors.push(...l.errors);
        out.files.push(...l.files);
    }
    return out;
}
function excluded(m, patterns) {
    const file = (m.locateSource?.([]) ?? m.locate([])).file;
    return patterns.some((re) => re.test(file));
}

;// CONCATENATED MODULE: ./lib/jobs/check.js









async function runCheck(settings) {
    const cwd = settings.cwd ?? process.cwd();
    const { config } = settings;
    const errors = [...(settings.configErrors ?? [])];
    // Config files are YAML but not manifests: checking a folder that holds one should not note it.
    const exclude = [...config.exclude, ...CONFIG_FILE_NAMES, ...(config.file ? [config.file] : [])];
    // Charts and overlays among the paths (or the config's `targets:`) are rendered first.
    const loaded = await loadSources(settings.paths, {
        cwd,
        exclude,
        stdin: settings.stdin,
        configTargets: config.targets,
        configDir: config.dir,
        render: config.render,
    });
    errors.push(...loaded.errors);
    const checklist = settings.rules ?? ALL_RULES;
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
        ({ findings, baselined } = applyBaseline(findings, fingerprints));
    }
    return {
        findings,
        errors,
        files: loaded.files,
        objects: loaded.manifests.length,
        rules: [...ran.map((r) => r.meta), ...SUPPRESSION_RULES.filter((m) => !isDisabled(config, m.id))],
        suppressed: suppression.suppressed,
        baselined,
    };
}
/**
 * The checklist over manifests already loaded (or rendered), with the config's rule selection,
 * then the suppression annotations. Pure; the pull-request job runs it per target and revision.
 */
function checkManifests(manifests, config, options = {}) {
    const checklist = options.rules ?? ALL_RULES;
    const selection = ruleSelectionOf(config);
    const ran = checklist.filter((r) => !selection.disabled.has(r.meta.id));
    const settings = options.defaultNamespace
        ? { ...selection.settings, defaultNamespace: options.defaultNamespace }
        : selection.settings;
    const raw = runRules(manifests, ran, { settings, severity: selection.severity });
    const suppression = applySuppressions(manifests, raw, {
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
    const seen = new Set();
    const findings = parts
        .flatMap((p) => p.findings)
        .filter((f) => {
        const key = `${f.ruleId}\0${f.location.file}:${f.location.line}:${f.location.column}\0${f.message}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
    return { findings: sortFindings(findings), suppressed: parts.flatMap((p) => p.suppressed) };
}
function isDisabled(config, ruleId) {
    return config.rules[ruleId]?.enabled === false;
}
/** Absolute path of the baseline to apply: the flag's (from cwd) or the config's (from its folder). */
function baselinePath(settings, config, cwd) {
    if (settings.baseline === false)
        return undefined;
    if (settings.baseline)
        return external_node_path_.resolve(cwd, settings.baseline);
    if (config.baseline)
        return external_node_path_.resolve(cwd, config.dir, config.baseline);
    return undefined;
}
async function readBaseline(abs, cwd, errors) {
    const rel = relativeName(cwd, abs);
    let text;
    try {
        text = await (0,promises_.readFile)(abs, 'utf8');
    }
    catch (err) {
        const code = err.code;
        const hint = code === 'ENOENT' ? 'no such file (write one with --write-baseline)' : (code ?? String(err));
        errors.push({ level: 'error', message: `baseline ${rel}: ${hint}` });
        return new Set();
    }
    const parsed = parseBaseline(text, rel);
    errors.push(...parsed.errors);
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

;// CONCATENATED MODULE: ./lib/report/github.js
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

;// CONCATENATED MODULE: ./lib/report/summary.js

function summarize(result) {
    const bySeverity = { error: 0, warning: 0, info: 0 };
    const byChecklist = Object.fromEntries(types/* CATEGORIES */.R6.map((c) => [c, 0]));
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

;// CONCATENATED MODULE: ./lib/report/json.js

function jsonReport(result) {
    return {
        version: 1,
        findings: result.findings.map(jsonFinding),
        errors: result.errors.map((e) => ({
            level: e.level,
            message: e.message,
            ...(e.location && { location: { ...e.location } }),
        })),
        summary: summarize(result),
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
 * never needs to exist as one string (50,000 objects can make 50 MB of JSON).
 */
function* jsonChunks(result) {
    const report = jsonReport(result);
    const keys = Object.keys(report);
    yield '{';
    for (const [k, key] of keys.entries()) {
        yield `${k === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
        const value = report[key];
        if (Array.isArray(value) && value.length > 0) {
            yield '[';
            for (const [i, item] of value.entries()) {
                yield `${i === 0 ? '' : ','}\n    ${JSON.stringify(item, null, 2).replaceAll('\n', '\n    ')}`;
            }
            yield '\n  ]';
        }
        else {
            yield JSON.stringify(value, null, 2).replaceAll('\n', '\n  ');
        }
    }
    yield '\n}\n';
}

;// CONCATENATED MODULE: ./lib/report/markdown.js



/**
 * Markdown for job summaries and pull-request comments: a headline, a table of counts by checklist
 * category, then one table per category with the findings, and the input errors last.
 */
const ICON = { error: '🔴', warning: '🟠', info: '🔵' };
const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };
function renderMarkdown(result) {
    const s = summarize(result);
    const out = ['## shipshape readiness check', ''];
    const scope = `${plural(s.objects, 'object')} from ${plural(s.files, 'file')}`;
    out.push(s.findings === 0
        ? `✅ No findings in ${scope}.`
        : `**${plural(s.findings, 'finding')}** (${severityCounts(s)}) in ${scope}.`);
    const extras = [
        s.suppressed ? `${s.suppressed} suppressed by annotation` : '',
        s.baselined ? `${s.baselined} accepted by the baseline` : '',
    ].filter(Boolean);
    if (extras.length)
        out.push('', `Not shown: ${extras.join(', ')}.`);
    const byCategory = new Map();
    for (const f of result.findings)
        pushTo(byCategory, f.checklist, f);
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
                out.push(`| ${ICON[f.severity]} ${f.severity} | \`${f.ruleId}\` | ${cell(objectName(f))} | ${code(at)} | ${cell(f.message)}<br>${code(f.path)}<br>Fix: ${cell(f.remediation)} |`);
            }
        }
    }
    if (result.errors.length > 0) {
        out.push('', '### Input errors', '');
        for (const e of result.errors) {
            const at = where(e);
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

;// CONCATENATED MODULE: ./lib/report/sarif.js

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
const sarif_RANK = { error: 0, warning: 1, info: 2 };
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
        const weight = (r) => (r.suppressions ? 3 : 0) + sarif_RANK[SEVERITY_OF[r.level ?? 'warning']];
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
            text: `${rule.fix}\n\nFails:\n${rule.example.bad}\n\nPasses:\n${rule.example.good}`,
            markdown: `${rule.fix}\n\nFails:\n\n\`\`\`yaml\n${rule.example.bad}\n\`\`\`\n\nPasses:\n\n\`\`\`yaml\n${rule.example.good}\n\`\`\``,
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
                logicalLocations: [{ fullyQualifiedName: `${(0,types/* refKey */.XF)(f.object)}:${f.path}`, kind: 'member' }],
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

;// CONCATENATED MODULE: ./lib/report/text.js


const SEVERITY_COLOR = { error: 31, warning: 33, info: 36 };
const BOLD = 1;
const DIM = 2;
function renderText(result, options = {}) {
    const paint = options.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_, text) => text;
    const byFile = new Map();
    const unplaced = [];
    for (const e of result.errors) {
        if (e.location)
            pushTo(byFile, e.location.file, errorEntry(e, paint));
        else
            unplaced.push(`  ${label(e, paint)}  ${e.message}`);
    }
    for (const f of result.findings)
        pushTo(byFile, f.location.file, findingEntry(f, paint));
    const out = [];
    if (unplaced.length > 0)
        out.push(...unplaced, '');
    for (const file of [...byFile.keys()].sort()) {
        const entries = byFile.get(file).sort((a, b) => a.line - b.line || a.column - b.column);
        const width = Math.max(...entries.map((e) => `${e.line}:${e.column}`.length));
        out.push(paint(BOLD, file));
        for (const entry of entries) {
            const pos = `${entry.line}:${entry.column}`.padEnd(width);
            const indent = ' '.repeat(width + 4);
            out.push(`  ${paint(DIM, pos)}  ${entry.text[0]}`);
            for (const more of entry.text.slice(1))
                out.push(`${indent}${more}`);
        }
        out.push('');
    }
    out.push(headline(result, paint));
    return `${out.join('\n')}\n`;
}
function findingEntry(f, paint) {
    const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7));
    return {
        line: f.location.line,
        column: f.location.column,
        text: [
            `${severity}  ${f.message}  ${paint(DIM, `${f.ruleId} (${f.checklist})`)}`,
            paint(DIM, `${' '.repeat(9)}${objectName(f)} ${f.path}`),
            `${' '.repeat(9)}fix: ${f.remediation}`,
        ],
    };
}
function errorEntry(e, paint) {
    return {
        line: e.location?.line ?? 0,
        column: e.location?.column ?? 0,
        text: [`${label(e, paint)}  ${e.message}`],
    };
}
function label(e, paint) {
    return e.level === 'error' ? paint(SEVERITY_COLOR.error, 'input error') : paint(DIM, 'note'.padEnd(11));
}
function headline(result, paint) {
    const s = summarize(result);
    const scope = `${plural(s.objects, 'object')} from ${plural(s.files, 'file')}`;
    const extras = [
        s.suppressed ? `${s.suppressed} suppressed` : '',
        s.baselined ? `${s.baselined} in the baseline` : '',
        s.errors ? paint(SEVERITY_COLOR.error, plural(s.errors, 'input error')) : '',
        s.notes ? plural(s.notes, 'note') : '',
    ].filter(Boolean);
    const tail = extras.length ? `; ${extras.join(', ')}` : '';
    if (s.findings === 0)
        return `${paint(32, '✔')} no findings in ${scope}${tail}`;
    const mark = paint(s.bySeverity.error ? SEVERITY_COLOR.error : SEVERITY_COLOR.warning, '✖');
    return `${mark} ${plural(s.findings, 'finding')} (${severityCounts(s)}) in ${scope}${tail}`;
}

;// CONCATENATED MODULE: ./lib/report/index.js





const REPORT_FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'];
const RENDERERS = {
    text: (r, o) => renderText(r, { color: o.color }),
    json: (r) => renderJson(r),
    sarif: (r, o) => renderSarif(r, { version: o.version }),
    markdown: (r) => renderMarkdown(r),
    github: (r) => renderGithub(r),
};
function renderReport(format, result, options) {
    return RENDERERS[format](result, options);
}
/**
 * The report in pieces, for writing as it is made: JSON comes a finding at a time, the other
 * formats in one piece.
 */
function* reportChunks(format, result, options) {
    if (format === 'json')
        yield* jsonChunks(result);
    else
        yield renderReport(format, result, options);
}
function isReportFormat(value) {
    return REPORT_FORMATS.includes(value);
}

// EXTERNAL MODULE: ./lib/cli/io.js
var cli_io = __nccwpck_require__(8908);
;// CONCATENATED MODULE: ./lib/cli/version.js
/** shipshape's version; a unit test keeps it equal to package.json's. */
const VERSION = '0.1.0';

;// CONCATENATED MODULE: ./lib/cli/commands/check.js









const USAGE = `Usage: shipshape check <paths...> [options]

Check Kubernetes manifests (files, folders searched for *.yaml and *.yml, or - for stdin)
against the production-readiness checklist. Helm charts and Kustomize overlays among the paths
are rendered first; with no path, the config's targets: are.

Options:
  -f, --format <format>        ${REPORT_FORMATS.join(' | ')} (default: text)
  -c, --config <file>          config file (default: .shipshape.yaml in the working directory, if any)
      --fail-on <severity>     ${FAIL_ON.join(' | ')}: lowest severity that fails the run
                               (default: the config's failOn, else error)
  -o, --output <file>          write the report to a file instead of stdout
      --baseline <file>        report only findings that are not in this baseline
      --write-baseline <file>  write every current finding to a baseline file
  -h, --help                   show this help

Exit status: 0 when no finding reaches the --fail-on severity, 1 when one does,
2 for usage, configuration or input errors (the report still covers everything readable).
`;
const check = {
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
        if (failOnFlag !== undefined && !FAIL_ON.includes(failOnFlag)) {
            throw new cli_io/* UsageError */.eb(`--fail-on must be one of ${FAIL_ON.join(', ')}, not "${failOnFlag}"`);
        }
        const { config, errors: configErrors } = await loadConfig({ cwd: io.cwd, file: values.config });
        // With no path, the config's `targets:` (charts, overlays, folders) are what is checked.
        if (positionals.length === 0 && config.targets.length === 0)
            throw new cli_io/* UsageError */.eb('check needs at least one file or folder (or - for stdin), or targets: in the config');
        const writeBaseline = values['write-baseline'];
        const result = await runCheck({
            paths: positionals,
            cwd: io.cwd,
            config,
            configErrors,
            // A new baseline records every current finding, so an old one is only applied when asked for.
            baseline: writeBaseline && !values.baseline ? false : values.baseline,
            today: io.today,
            stdin: io.readStdin,
        });
        if (writeBaseline) {
            const all = [...result.findings, ...result.baselined];
            await io.writeFile(external_node_path_.resolve(io.cwd, writeBaseline), formatBaseline(all));
            io.stderr.write(`shipshape: wrote ${all.length} finding${all.length === 1 ? '' : 's'} to ${writeBaseline}\n`);
        }
        const toFile = values.output !== undefined;
        const reportOptions = { version: VERSION, color: !toFile && (0,cli_io/* wantsColor */.zK)(io) };
        if (values.output) {
            await io.writeFile(external_node_path_.resolve(io.cwd, values.output), renderReport(format, result, reportOptions));
            // The report went to a file: still tell the person (or the CI log) how it went.
            const s = summarize(result);
            const errors = s.errors ? `, ${s.errors} input error${s.errors === 1 ? '' : 's'}` : '';
            io.stderr.write(`shipshape: ${s.findings} finding${s.findings === 1 ? '' : 's'} (${severityCounts(s)})${errors}; report in ${values.output}\n`);
        }
        else {
            for (const piece of inPiecesOf(1 << 20, reportChunks(format, result, reportOptions)))
                await io.stdout.write(piece);
        }
        const failOn = (failOnFlag ?? config.failOn ?? 'error');
        if (hasInputErrors(result))
            return cli_io/* EXIT */.dc.usage;
        return reachesThreshold(result.findings, failOn) ? cli_io/* EXIT */.dc.findings : cli_io/* EXIT */.dc.ok;
    },
};
/** Join small chunks into pieces of about `size` characters, so each write is worth its call. */
function* inPiecesOf(size, chunks) {
    let piece = '';
    for (const chunk of chunks) {
        piece += chunk;
        if (piece.length >= size) {
            yield piece;
            piece = '';
        }
    }
    if (piece)
        yield piece;
}

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

;// CONCATENATED MODULE: ./node_modules/diff/libesm/diff/base.js
class Diff {
    diff(oldStr, newStr, 
    // Type below is not accurate/complete - see above for full possibilities - but it compiles
    options = {}) {
        let callback;
        if (typeof options === 'function') {
            callback = options;
            options = {};
        }
        else if ('callback' in options) {
            callback = options.callback;
        }
        // Allow subclasses to massage the input prior to running
        const oldString = this.castInput(oldStr, options);
        const newString = this.castInput(newStr, options);
        const oldTokens = this.removeEmpty(this.tokenize(oldString, options));
        const newTokens = this.removeEmpty(this.tokenize(newString, options));
        return this.diffWithOptionsObj(oldTokens, newTokens, options, callback);
    }
    diffWithOptionsObj(oldTokens, newTokens, options, callback) {
        var _a;
        const done = (value) => {
            value = this.postProcess(value, options);
            if (callback) {
                setTimeout(function () { callback(value); }, 0);
                return undefined;
            }
            else {
                return value;
            }
        };
        const newLen = newTokens.length, oldLen = oldTokens.length;
        let editLength = 1;
        let maxEditLength = newLen + oldLen;
        if (options.maxEditLength != null) {
            maxEditLength = Math.min(maxEditLength, options.maxEditLength);
        }
        const maxExecutionTime = (_a = options.timeout) !== null && _a !== void 0 ? _a : Infinity;
        const abortAfterTimestamp = Date.now() + maxExecutionTime;
        const bestPath = [{ oldPos: -1, lastComponent: undefined }];
        // Seed editLength = 0, i.e. the content starts with the same values
        let newPos = this.extractCommon(bestPath[0], newTokens, oldTokens, 0, options);
        if (bestPath[0].oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
            // Identity per the equality and tokenizer
            return done(this.buildValues(bestPath[0].lastComponent, newTokens, oldTokens));
        }
        // Once we hit the right edge of the edit graph on some diagonal k, we can
        // definitely reach the end of the edit graph in no more than k edits, so
        // there's no point in considering any moves to diagonal k+1 any more (from
        // which we're guaranteed to need at least k+1 more edits).
        // Similarly, once we've reached the bottom of the edit graph, there's no
        // point considering moves to lower diagonals.
        // We record this fact by setting minDiagonalToConsider and
        // maxDiagonalToConsider to some finite value once we've hit the edge of
        // the edit graph.
        // This optimization is not faithful to the original algorithm presented in
        // Myers's paper, which instead pointlessly extends D-paths off the end of
        // the edit graph - see page 7 of Myers's paper which notes this point
        // explicitly and illustrates it with a diagram. This has major performance
        // implications for some common scenarios. For instance, to compute a diff
        // where the new text simply appends d characters on the end of the
        // original text of length n, the true Myers algorithm will take O(n+d^2)
        // time while this optimization needs only O(n+d) time.
        let minDiagonalToConsider = -Infinity, maxDiagonalToConsider = Infinity;
        // Main worker method. checks all permutations of a given edit length for acceptance.
        const execEditLength = () => {
            for (let diagonalPath = Math.max(minDiagonalToConsider, -editLength); diagonalPath <= Math.min(maxDiagonalToConsider, editLength); diagonalPath += 2) {
                let basePath;
                const removePath = bestPath[diagonalPath - 1], addPath = bestPath[diagonalPath + 1];
                if (removePath) {
                    // No one else is going to attempt to use this value, clear it
                    // @ts-expect-error - perf optimisation. This type-violating value will never be read.
                    bestPath[diagonalPath - 1] = undefined;
                }
                let canAdd = false;
                if (addPath) {
                    // what newPos will be after we do an insertion:
                    const addPathNewPos = addPath.oldPos - diagonalPath;
                    canAdd = addPath && 0 <= addPathNewPos && addPathNewPos < newLen;
                }
                const canRemove = removePath && removePath.oldPos + 1 < oldLen;
                if (!canAdd && !canRemove) {
                    // If this path is a terminal then prune
                    // @ts-expect-error - perf optimisation. This type-violating value will never be read.
                    bestPath[diagonalPath] = undefined;
                    continue;
                }
                // Select the diagonal that we want to branch from. We select the prior
                // path whose position in the old string is the farthest from the origin
                // and does not pass the bounds of the diff graph
                if (!canRemove || (canAdd && removePath.oldPos < addPath.oldPos)) {
                    basePath = this.addToPath(addPath, true, false, 0, options);
                }
                else {
                    basePath = this.addToPath(removePath, false, true, 1, options);
                }
                newPos = this.extractCommon(basePath, newTokens, oldTokens, diagonalPath, options);
                if (basePath.oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
                    // If we have hit the end of both strings, then we are done
                    return done(this.buildValues(basePath.lastComponent, newTokens, oldTokens)) || true;
                }
                else {
                    bestPath[diagonalPath] = basePath;
                    if (basePath.oldPos + 1 >= oldLen) {
                        maxDiagonalToConsider = Math.min(maxDiagonalToConsider, diagonalPath - 1);
                    }
                    if (newPos + 1 >= newLen) {
                        minDiagonalToConsider = Math.max(minDiagonalToConsider, diagonalPath + 1);
                    }
                }
            }
            editLength++;
        };
        // Performs the length of edit iteration. Is a bit fugly as this has to support the
        // sync and async mode which is never fun. Loops over execEditLength until a value
        // is produced, or until the edit length exceeds options.maxEditLength (if given),
        // in which case it will return undefined.
        if (callback) {
            (function exec() {
                setTimeout(function () {
                    if (editLength > maxEditLength || Date.now() > abortAfterTimestamp) {
                        return callback(undefined);
                    }
                    if (!execEditLength()) {
                        exec();
                    }
                }, 0);
            }());
        }
        else {
            while (editLength <= maxEditLength && Date.now() <= abortAfterTimestamp) {
                const ret = execEditLength();
                if (ret) {
                    return ret;
                }
            }
        }
    }
    addToPath(path, added, removed, oldPosInc, options) {
        const last = path.lastComponent;
        if (last && !options.oneChangePerToken && last.added === added && last.removed === removed) {
            return {
                oldPos: path.oldPos + oldPosInc,
                lastComponent: { count: last.count + 1, added: added, removed: removed, previousComponent: last.previousComponent }
            };
        }
        else {
            return {
                oldPos: path.oldPos + oldPosInc,
                lastComponent: { count: 1, added: added, removed: removed, previousComponent: last }
            };
        }
    }
    extractCommon(basePath, newTokens, oldTokens, diagonalPath, options) {
        const newLen = newTokens.length, oldLen = oldTokens.length;
        let oldPos = basePath.oldPos, newPos = oldPos - diagonalPath, commonCount = 0;
        while (newPos + 1 < newLen && oldPos + 1 < oldLen && this.equals(oldTokens[oldPos + 1], newTokens[newPos + 1], options)) {
            newPos++;
            oldPos++;
            commonCount++;
            if (options.oneChangePerToken) {
                basePath.lastComponent = { count: 1, previousComponent: basePath.lastComponent, added: false, removed: false };
            }
        }
        if (commonCount && !options.oneChangePerToken) {
            basePath.lastComponent = { count: commonCount, previousComponent: basePath.lastComponent, added: false, removed: false };
        }
        basePath.oldPos = oldPos;
        return newPos;
    }
    equals(left, right, options) {
        if (options.comparator) {
            return options.comparator(left, right);
        }
        else {
            return left === right
                || (!!options.ignoreCase && left.toLowerCase() === right.toLowerCase());
        }
    }
    removeEmpty(array) {
        const ret = [];
        for (let i = 0; i < array.length; i++) {
            if (array[i]) {
                ret.push(array[i]);
            }
        }
        return ret;
    }
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    castInput(value, options) {
        return value;
    }
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    tokenize(value, options) {
        return Array.from(value);
    }
    join(chars) {
        // Assumes ValueT is string, which is the case for most subclasses.
        // When it's false, e.g. in diffArrays, this method needs to be overridden (e.g. with a no-op)
        // Yes, the casts are verbose and ugly, because this pattern - of having the base class SORT OF
        // assume tokens and values are strings, but not completely - is weird and janky.
        return chars.join('');
    }
    postProcess(changeObjects, 
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    options) {
        return changeObjects;
    }
    get useLongestToken() {
        return false;
    }
    buildValues(lastComponent, newTokens, oldTokens) {
        // First we convert our linked list of components in reverse order to an
        // array in the right order:
        const components = [];
        let nextComponent;
        while (lastComponent) {
            components.push(lastComponent);
            nextComponent = lastComponent.previousComponent;
            delete lastComponent.previousComponent;
            lastComponent = nextComponent;
        }
        components.reverse();
        const componentLen = components.length;
        let componentPos = 0, newPos = 0, oldPos = 0;
        for (; componentPos < componentLen; componentPos++) {
            const component = components[componentPos];
            if (!component.removed) {
                if (!component.added && this.useLongestToken) {
                    let value = newTokens.slice(newPos, newPos + component.count);
                    value = value.map(function (value, i) {
                        const oldValue = oldTokens[oldPos + i];
                        return oldValue.length > value.length ? oldValue : value;
                    });
                    component.value = this.join(value);
                }
                else {
                    component.value = this.join(newTokens.slice(newPos, newPos + component.count));
                }
                newPos += component.count;
                // Common case
                if (!component.added) {
                    oldPos += component.count;
                }
            }
            else {
                component.value = this.join(oldTokens.slice(oldPos, oldPos + component.count));
                oldPos += component.count;
            }
        }
        return components;
    }
}

;// CONCATENATED MODULE: ./node_modules/diff/libesm/diff/line.js


class LineDiff extends Diff {
    constructor() {
        super(...arguments);
        this.tokenize = tokenize;
    }
    equals(left, right, options) {
        // If we're ignoring whitespace, we need to normalise lines by stripping
        // whitespace before checking equality. (This has an annoying interaction
        // with newlineIsToken that requires special handling: if newlines get their
        // own token, then we DON'T want to trim the *newline* tokens down to empty
        // strings, since this would cause us to treat whitespace-only line content
        // as equal to a separator between lines, which would be weird and
        // inconsistent with the documented behavior of the options.)
        if (options.ignoreWhitespace) {
            if (!options.newlineIsToken || !left.includes('\n')) {
                left = left.trim();
            }
            if (!options.newlineIsToken || !right.includes('\n')) {
                right = right.trim();
            }
        }
        else if (options.ignoreNewlineAtEof && !options.newlineIsToken) {
            if (left.endsWith('\n')) {
                left = left.slice(0, -1);
            }
            if (right.endsWith('\n')) {
                right = right.slice(0, -1);
            }
        }
        return super.equals(left, right, options);
    }
}
const lineDiff = new LineDiff();
function diffLines(oldStr, newStr, options) {
    return lineDiff.diff(oldStr, newStr, options);
}
function diffTrimmedLines(oldStr, newStr, options) {
    options = generateOptions(options, { ignoreWhitespace: true });
    return lineDiff.diff(oldStr, newStr, options);
}
// Exported standalone so it can be used from jsonDiff too.
function tokenize(value, options) {
    if (options.stripTrailingCr) {
        // remove one \r before \n to match GNU diff's --strip-trailing-cr behavior
        value = value.replace(/\r\n/g, '\n');
    }
    const retLines = [], linesAndNewlines = value.split(/(\n|\r\n)/);
    // Ignore the final empty token that occurs if the string ends with a new line
    if (!linesAndNewlines[linesAndNewlines.length - 1]) {
        linesAndNewlines.pop();
    }
    // Merge the content and line separators into single tokens
    for (let i = 0; i < linesAndNewlines.length; i++) {
        const line = linesAndNewlines[i];
        if (i % 2 && !options.newlineIsToken) {
            retLines[retLines.length - 1] += line;
        }
        else {
            retLines.push(line);
        }
    }
    return retLines;
}

;// CONCATENATED MODULE: ./node_modules/diff/libesm/patch/create.js

/**
 * Returns true if the filename contains characters that require C-style
 * quoting (as used by Git and GNU diffutils in diff output).
 */
function needsQuoting(s) {
    for (let i = 0; i < s.length; i++) {
        if (s[i] < '\x20' || s[i] > '\x7e' || s[i] === '"' || s[i] === '\\') {
            return true;
        }
    }
    return false;
}
/**
 * C-style quotes a filename, encoding special characters as escape sequences
 * and non-ASCII bytes as octal escapes. This is the inverse of
 * `parseQuotedFileName` in parse.ts.
 *
 * Non-ASCII bytes are encoded as UTF-8 before being emitted as octal escapes.
 * This matches the behaviour of both Git and GNU diffutils, which always emit
 * UTF-8 octal escapes regardless of the underlying filesystem encoding (e.g.
 * Git for Windows converts from NTFS's UTF-16 to UTF-8 internally).
 *
 * If the filename doesn't need quoting, returns it as-is.
 */
function quoteFileNameIfNeeded(s) {
    if (!needsQuoting(s)) {
        return s;
    }
    let result = '"';
    const bytes = new TextEncoder().encode(s);
    let i = 0;
    while (i < bytes.length) {
        const b = bytes[i];
        // See https://en.wikipedia.org/wiki/Escape_sequences_in_C#Escape_sequences
        if (b === 0x07) {
            result += '\\a';
        }
        else if (b === 0x08) {
            result += '\\b';
        }
        else if (b === 0x09) {
            result += '\\t';
        }
        else if (b === 0x0a) {
            result += '\\n';
        }
        else if (b === 0x0b) {
            result += '\\v';
        }
        else if (b === 0x0c) {
            result += '\\f';
        }
        else if (b === 0x0d) {
            result += '\\r';
        }
        else if (b === 0x22) {
            result += '\\"';
        }
        else if (b === 0x5c) {
            result += '\\\\';
        }
        else if (b >= 0x20 && b <= 0x7e) {
            // Just a printable ASCII character that is neither a double quote nor a
            // backslash; no need to escape it.
            result += String.fromCharCode(b);
        }
        else {
            // Either part of a non-ASCII character or a control character without a
            // special escape sequence; needs escaping as a 3-digit octal escape
            result += '\\' + b.toString(8).padStart(3, '0');
        }
        i++;
    }
    result += '"';
    return result;
}
const INCLUDE_HEADERS = {
    includeIndex: true,
    includeUnderline: true,
    includeFileHeaders: true
};
const FILE_HEADERS_ONLY = {
    includeIndex: false,
    includeUnderline: false,
    includeFileHeaders: true
};
const OMIT_HEADERS = {
    includeIndex: false,
    includeUnderline: false,
    includeFileHeaders: false
};
function structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
    let optionsObj;
    if (!options) {
        optionsObj = {};
    }
    else if (typeof options === 'function') {
        optionsObj = { callback: options };
    }
    else {
        optionsObj = options;
    }
    if (typeof optionsObj.context === 'undefined') {
        optionsObj.context = 4;
    }
    // We copy this into its own variable to placate TypeScript, which thinks
    // optionsObj.context might be undefined in the callbacks below.
    const context = optionsObj.context;
    // @ts-expect-error (runtime check for something that is correctly a static type error)
    if (optionsObj.newlineIsToken) {
        throw new Error('newlineIsToken may not be used with patch-generation functions, only with diffing functions');
    }
    if (!optionsObj.callback) {
        return diffLinesResultToPatch(diffLines(oldStr, newStr, optionsObj));
    }
    else {
        const { callback } = optionsObj;
        diffLines(oldStr, newStr, Object.assign(Object.assign({}, optionsObj), { callback: (diff) => {
                const patch = diffLinesResultToPatch(diff);
                // TypeScript is unhappy without the cast because it does not understand that `patch` may
                // be undefined here only if `callback` is StructuredPatchCallbackAbortable:
                callback(patch);
            } }));
    }
    function diffLinesResultToPatch(diff) {
        // STEP 1: Build up the patch with no "\ No newline at end of file" lines and with the arrays
        //         of lines containing trailing newline characters. We'll tidy up later...
        if (!diff) {
            return;
        }
        diff.push({ value: '', lines: [] }); // Append an empty value to make cleanup easier
        function contextLines(lines) {
            return lines.map(function (entry) { return ' ' + entry; });
        }
        const hunks = [];
        let oldRangeStart = 0, newRangeStart = 0, curRange = [], oldLine = 1, newLine = 1;
        for (let i = 0; i < diff.length; i++) {
            const current = diff[i], lines = current.lines || splitLines(current.value);
            current.lines = lines;
            if (current.added || current.removed) {
                // If we have previous context, start with that
                if (!oldRangeStart) {
                    const prev = diff[i - 1];
                    oldRangeStart = oldLine;
                    newRangeStart = newLine;
                    if (prev) {
                        curRange = context > 0 ? contextLines(prev.lines.slice(-context)) : [];
                        oldRangeStart -= curRange.length;
                        newRangeStart -= curRange.length;
                    }
                }
                // Output our changes
                for (const line of lines) {
                    curRange.push((current.added ? '+' : '-') + line);
                }
                // Track the updated file position
                if (current.added) {
                    newLine += lines.length;
                }
                else {
                    oldLine += lines.length;
                }
            }
            else {
                // Identical context lines. Track line changes
                if (oldRangeStart) {
                    // Close out any changes that have been output (or join overlapping)
                    if (lines.length <= context * 2 && i < diff.length - 2) {
                        // Overlapping
                        for (const line of contextLines(lines)) {
                            curRange.push(line);
                        }
                    }
                    else {
                        // end the range and output
                        const contextSize = Math.min(lines.length, context);
                        for (const line of contextLines(lines.slice(0, contextSize))) {
                            curRange.push(line);
                        }
                        const hunk = {
                            oldStart: oldRangeStart,
                            oldLines: (oldLine - oldRangeStart + contextSize),
                            newStart: newRangeStart,
                            newLines: (newLine - newRangeStart + contextSize),
                            lines: curRange
                        };
                        hunks.push(hunk);
                        oldRangeStart = 0;
                        newRangeStart = 0;
                        curRange = [];
                    }
                }
                oldLine += lines.length;
                newLine += lines.length;
            }
        }
        // Step 2: eliminate the trailing `\n` from each line of each hunk, and, where needed, add
        //         "\ No newline at end of file".
        for (const hunk of hunks) {
            for (let i = 0; i < hunk.lines.length; i++) {
                if (hunk.lines[i].endsWith('\n')) {
                    hunk.lines[i] = hunk.lines[i].slice(0, -1);
                }
                else {
                    hunk.lines.splice(i + 1, 0, '\\ No newline at end of file');
                    i++; // Skip the line we just added, then continue iterating
                }
            }
        }
        return {
            oldFileName: oldFileName, newFileName: newFileName,
            oldHeader: oldHeader, newHeader: newHeader,
            hunks: hunks
        };
    }
}
/**
 * creates a unified diff patch.
 *
 * @param patch either a single structured patch object (as returned by `structuredPatch`) or an
 *   array of them (as returned by `parsePatch`).
 * @param headerOptions behaves the same as the `headerOptions` option of `createTwoFilesPatch`.
 *   Ignored for patches where `isGit` is `true`.
 *
 * When a patch has `isGit: true`, `formatPatch` output is changed to more closely match Git's
 * output: it emits a `diff --git` header, emits Git extended headers as appropriate based on
 * properties like `isRename`, `isCreate`, `newMode`, etc, and will omit `---`/`+++` file
 * headers for patches with no hunks (e.g. renames without content changes).
 */
function formatPatch(patch, headerOptions) {
    var _a, _b, _c, _d, _e, _f;
    if (!headerOptions) {
        headerOptions = INCLUDE_HEADERS;
    }
    if (Array.isArray(patch)) {
        if (patch.length > 1 && !headerOptions.includeFileHeaders && !patch.every(p => p.isGit)) {
            throw new Error('Cannot omit file headers on a multi-file patch. '
                + '(The result would be unparseable; how would a tool trying to apply '
                + 'the patch know which changes are to which file?)');
        }
        return patch.map(p => formatPatch(p, headerOptions)).join('\n');
    }
    const ret = [];
    // Git patches have a fixed header format (diff --git, extended headers,
    // and ---/+++ when hunks are present), so headerOptions is ignored.
    if (patch.isGit) {
        headerOptions = INCLUDE_HEADERS;
        // Emit Git-style diff --git header and extended headers.
        // Git never puts /dev/null in the "diff --git" line; for file
        // creations/deletions it uses the real filename on both sides.
        if (!patch.oldFileName) {
            throw new Error('oldFileName must be specified for Git patches');
        }
        if (!patch.newFileName) {
            throw new Error('newFileName must be specified for Git patches');
        }
        let gitOldName = patch.oldFileName;
        let gitNewName = patch.newFileName;
        if (patch.isCreate && gitOldName === '/dev/null') {
            gitOldName = gitNewName.replace(/^b\//, 'a/');
        }
        else if (patch.isDelete && gitNewName === '/dev/null') {
            gitNewName = gitOldName.replace(/^a\//, 'b/');
        }
        ret.push('diff --git ' + quoteFileNameIfNeeded(gitOldName) + ' ' + quoteFileNameIfNeeded(gitNewName));
        if (patch.isDelete) {
            ret.push('deleted file mode ' + ((_a = patch.oldMode) !== null && _a !== void 0 ? _a : '100644'));
        }
        if (patch.isCreate) {
            ret.push('new file mode ' + ((_b = patch.newMode) !== null && _b !== void 0 ? _b : '100644'));
        }
        if (patch.oldMode && patch.newMode && !patch.isDelete && !patch.isCreate) {
            ret.push('old mode ' + patch.oldMode);
            ret.push('new mode ' + patch.newMode);
        }
        if (patch.isRename) {
            ret.push('rename from ' + quoteFileNameIfNeeded(((_c = patch.oldFileName) !== null && _c !== void 0 ? _c : '').replace(/^a\//, '')));
            ret.push('rename to ' + quoteFileNameIfNeeded(((_d = patch.newFileName) !== null && _d !== void 0 ? _d : '').replace(/^b\//, '')));
        }
        if (patch.isCopy) {
            ret.push('copy from ' + quoteFileNameIfNeeded(((_e = patch.oldFileName) !== null && _e !== void 0 ? _e : '').replace(/^a\//, '')));
            ret.push('copy to ' + quoteFileNameIfNeeded(((_f = patch.newFileName) !== null && _f !== void 0 ? _f : '').replace(/^b\//, '')));
        }
    }
    else {
        if (headerOptions.includeIndex && patch.oldFileName == patch.newFileName && patch.oldFileName !== undefined) {
            ret.push('Index: ' + patch.oldFileName);
        }
        if (headerOptions.includeUnderline) {
            ret.push('===================================================================');
        }
    }
    // Emit --- / +++ file headers. For Git patches with no hunks (e.g.
    // pure renames, mode-only changes), Git omits these, so we do too.
    const hasHunks = patch.hunks.length > 0;
    if (headerOptions.includeFileHeaders && patch.oldFileName !== undefined && patch.newFileName !== undefined
        && (!patch.isGit || hasHunks)) {
        ret.push('--- ' + quoteFileNameIfNeeded(patch.oldFileName) + (patch.oldHeader ? '\t' + patch.oldHeader : ''));
        ret.push('+++ ' + quoteFileNameIfNeeded(patch.newFileName) + (patch.newHeader ? '\t' + patch.newHeader : ''));
    }
    for (let i = 0; i < patch.hunks.length; i++) {
        const hunk = patch.hunks[i];
        // Unified Diff Format quirk: If the chunk size is 0,
        // the first number is one lower than one would expect.
        // https://www.artima.com/weblogs/viewpost.jsp?thread=164293
        const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
        const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
        ret.push('@@ -' + oldStart + ',' + hunk.oldLines
            + ' +' + newStart + ',' + hunk.newLines
            + ' @@');
        for (const line of hunk.lines) {
            ret.push(line);
        }
    }
    return ret.join('\n') + '\n';
}
function createTwoFilesPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
    if (typeof options === 'function') {
        options = { callback: options };
    }
    if (!(options === null || options === void 0 ? void 0 : options.callback)) {
        const patchObj = structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options);
        if (!patchObj) {
            return;
        }
        return formatPatch(patchObj, options === null || options === void 0 ? void 0 : options.headerOptions);
    }
    else {
        const { callback } = options;
        structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, Object.assign(Object.assign({}, options), { callback: patchObj => {
                if (!patchObj) {
                    callback(undefined);
                }
                else {
                    callback(formatPatch(patchObj, options.headerOptions));
                }
            } }));
    }
}
function createPatch(fileName, oldStr, newStr, oldHeader, newHeader, options) {
    return createTwoFilesPatch(fileName, fileName, oldStr, newStr, oldHeader, newHeader, options);
}
/**
 * Split `text` into an array of lines, including the trailing newline character (where present)
 */
function splitLines(text) {
    const hasTrailingNl = text.endsWith('\n');
    const result = text.split('\n').map(line => line + '\n');
    if (hasTrailingNl) {
        result.pop();
    }
    else {
        result.push(result.pop().slice(0, -1));
    }
    return result;
}

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
            shown.push(formatPath(obj, path));
            node[last] = UNSTABLE_MARK;
        }
        else if (Array.isArray(node) && typeof last === 'number' && last < node.length) {
            shown.push(formatPath(obj, path));
            node[last] = UNSTABLE_MARK;
        }
    }
    return shown;
}

;// CONCATENATED MODULE: ./lib/diff/redact.js

/**
 * Secret values never leave the process. Before two versions of an object are diffed, every
 * secret-bearing value is replaced on both sides by a placeholder that says only whether it
 * changed and how long it is: `(secret: 12 bytes)` -> `(secret: 16 bytes, changed)`, or
 * `(secret: redacted)` on both sides when it did not change (so no diff line shows at all).
 * Pure.
 */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Env var names that hold credentials: DB_PASSWORD, API_TOKEN, AWS_SECRET_ACCESS_KEY, ... */
const SECRET_ENV_NAME = /(pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|credential|auth|session[-_]?key|access[-_]?key|dsn|conn(ection)?[-_]?string)/i;
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
/** Every secret-bearing slot of an object, keyed by a stable name. */
function secretSlots(obj) {
    const slots = new Map();
    if (!obj)
        return slots;
    if (obj.kind === 'Secret') {
        for (const field of ['data', 'stringData']) {
            const map = obj[field];
            if (!(0,types/* isRecord */.u4)(map))
                continue;
            for (const key of Object.keys(map)) {
                slots.set(`${field}.${key}`, {
                    get: () => map[key],
                    set: (v) => {
                        map[key] = v;
                    },
                    bytes: (v) => (field === 'data' ? base64Bytes(v) : utf8Bytes(v)),
                });
            }
        }
        const annotations = obj.metadata?.annotations;
        if ((0,types/* isRecord */.u4)(annotations) && LAST_APPLIED in annotations) {
            slots.set('last-applied', {
                get: () => annotations[LAST_APPLIED],
                set: (v) => {
                    annotations[LAST_APPLIED] = v;
                },
                bytes: utf8Bytes,
            });
        }
    }
    walkContainers(obj, (container, where) => {
        const env = container.env;
        if (!Array.isArray(env))
            return;
        for (const item of env) {
            if (!(0,types/* isRecord */.u4)(item) || typeof item.name !== 'string' || !('value' in item))
                continue;
            if (!SECRET_ENV_NAME.test(item.name))
                continue;
            slots.set(`${where}.env.${item.name}`, {
                get: () => item.value,
                set: (v) => {
                    item.value = v;
                },
                bytes: utf8Bytes,
            });
        }
    });
    return slots;
}
/** Visit every container of a pod template, wherever the kind keeps it. */
function walkContainers(obj, visit) {
    const seen = new Set();
    const walk = (node, depth) => {
        if (depth > 8 || !(0,types/* isRecord */.u4)(node) || seen.has(node))
            return;
        seen.add(node);
        for (const list of CONTAINER_LISTS) {
            const items = node[list];
            if (!Array.isArray(items))
                continue;
            for (const c of items)
                if ((0,types/* isRecord */.u4)(c))
                    visit(c, `${list}.${String(c.name ?? '')}`);
        }
        for (const [k, v] of Object.entries(node))
            if (k !== 'metadata' && k !== 'status')
                walk(v, depth + 1);
    };
    walk(obj, 0);
}
/**
 * Redact a base/head pair in place (pass copies). Either side may be absent (added or removed
 * objects): the present side still loses its values.
 */
function redactPair(base, head) {
    const before = secretSlots(base);
    const after = secretSlots(head);
    for (const [key, slot] of before) {
        const other = after.get(key);
        const a = slot.get();
        if (!other) {
            slot.set(`(secret: ${slot.bytes(a)} bytes)`);
            continue;
        }
        const b = other.get();
        if (String(a) === String(b)) {
            slot.set('(secret: redacted)');
            other.set('(secret: redacted)');
        }
        else {
            slot.set(`(secret: ${slot.bytes(a)} bytes)`);
            other.set(`(secret: ${other.bytes(b)} bytes, changed)`);
        }
    }
    for (const [key, slot] of after) {
        if (!before.has(key))
            slot.set(`(secret: ${slot.bytes(slot.get())} bytes)`);
    }
}
/** True when a path of this object holds a secret value (for reports that show single fields). */
function isSecretObject(obj) {
    return obj.kind === 'Secret';
}
function utf8Bytes(v) {
    return Buffer.byteLength(v === null || v === undefined ? '' : String(v), 'utf8');
}
function base64Bytes(v) {
    const s = v === null || v === undefined ? '' : String(v).replace(/\s/g, '');
    return Buffer.from(s, 'base64').length;
}
/** A copy of the object with every secret value replaced by its size: safe to print. */
function redacted(obj) {
    const copy = structuredClone(obj);
    redactPair(copy, undefined);
    return copy;
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
    redactPair(b, h);
    const before = b ? toYaml(b) : '';
    const after = h ? toYaml(h) : '';
    if (before === after)
        return { diff: '', marked };
    const name = (0,types/* refKey */.XF)((0,types/* refOf */.H8)((head ?? base)));
    const patch = createTwoFilesPatch(`base/${name}`, `head/${name}`, before, after, undefined, undefined, {
        context: 3,
    });
    // Drop the `===` banner line; keep the ---/+++ headers and hunks.
    return { diff: patch.replace(/^=+\n/m, ''), marked };
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
    redactPair(copy, undefined);
    return toYaml(copy);
}
function similarity(a, b) {
    let same = 0;
    let total = 0;
    for (const part of diffLines(a, b)) {
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

;// CONCATENATED MODULE: ./lib/render/git.js




/**
 * The git side of the rendered diff: a temporary worktree for the base (removed afterwards, so
 * the user's checkout is never touched) and the files a change touches.
 */
class GitError extends Error {
}
async function git(cwd, args) {
    const bin = (await which('git')) ?? 'git';
    const res = await run(bin, args, { cwd, timeoutMs: 120_000 });
    if (res.code !== 0)
        throw new GitError(`git ${args.join(' ')}: ${res.stderr.trim().split('\n').pop() ?? 'failed'}`);
    return res.stdout;
}
async function repoRoot(cwd) {
    return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
}
/** The commit a ref names, or a GitError that says the ref is unknown. */
async function resolveRef(cwd, ref) {
    return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
        throw new GitError(`unknown git ref "${ref}"`);
    })).trim();
}
/** Check out `ref` (detached) in a temporary worktree. */
async function addWorktree(root, ref) {
    const commit = await resolveRef(root, ref);
    const parent = await (0,promises_.mkdtemp)(external_node_path_.join(external_node_os_.tmpdir(), 'shipshape-worktree-'));
    const dir = external_node_path_.join(parent, 'tree');
    await git(root, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
    return {
        dir,
        async remove() {
            await git(root, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
            await (0,promises_.rm)(parent, { recursive: true, force: true });
            await git(root, ['worktree', 'prune']).catch(() => undefined);
        },
    };
}
/** Files (relative to the repository root) that differ between `base` and `head` (or the working tree). */
async function changedFiles(root, base, head) {
    const args = ['diff', '--name-only', '--no-renames', '-z', base];
    if (head)
        args.push(head);
    const files = (await git(root, args)).split('\0').filter(Boolean);
    if (!head) {
        // New files not yet committed are part of the working tree's change too.
        files.push(...(await git(root, ['ls-files', '--others', '--exclude-standard', '-z'])).split('\0').filter(Boolean));
    }
    return [...new Set(files)].sort();
}

;// CONCATENATED MODULE: ./lib/jobs/diff.js









async function runDiff(input) {
    const root = await repoRoot(input.cwd);
    const prefix = external_node_path_.relative(root, input.cwd);
    const worktrees = [];
    try {
        const baseTree = await addWorktree(root, input.base);
        worktrees.push(baseTree);
        let headRoot = root;
        if (input.head) {
            const headTree = await addWorktree(root, input.head);
            worktrees.push(headTree);
            headRoot = headTree.dir;
        }
        const baseCwd = external_node_path_.join(baseTree.dir, prefix);
        const headCwd = external_node_path_.join(headRoot, prefix);
        const changed = await changedFiles(root, input.base, input.head);
        // Changed files as seen from cwd, the way target paths are written.
        const changedHere = changed.map((f) => external_node_path_.relative(prefix, f).split(external_node_path_.sep).join('/'));
        const roots = input.paths.length > 0 ? input.paths : ['.'];
        const [atHead, atBase] = await Promise.all([
            discoverTargets(roots, { cwd: headCwd }),
            discoverTargets(roots, { cwd: baseCwd }).catch(() => ({ targets: [], errors: [] })),
        ]);
        const headAffected = await affected(atHead.targets, changedHere, headCwd);
        const baseAffected = await affected(atBase.targets, changedHere, baseCwd);
        const names = new Set([...headAffected, ...baseAffected].map(targetName));
        const headTargets = headAffected.concat(atHead.targets.filter((t) => names.has(targetName(t)) && !headAffected.includes(t)));
        const baseTargets = atBase.targets.filter((t) => names.has(targetName(t)));
        const opts = { tools: input.tools, concurrency: input.concurrency, timeoutMs: input.timeoutMs };
        // One pool for all three renders (head twice, to tell random output from change; base once).
        const jobs = [
            ...headTargets.map((target) => ({ target, cwd: headCwd })),
            ...headTargets.map((target) => ({ target, cwd: headCwd })),
            ...baseTargets.map((target) => ({ target, cwd: baseCwd })),
        ];
        const all = await renderJobs(jobs, opts);
        const headOnce = all.slice(0, headTargets.length);
        const headTwice = all.slice(headTargets.length, 2 * headTargets.length);
        const baseOnce = all.slice(2 * headTargets.length);
        const targets = [...names].sort().map((name) => {
            const find = (list) => list.find((r) => targetName(r.target) === name);
            return diffTarget(name, find(baseOnce), find(headOnce), find(headTwice));
        });
        return {
            base: input.base,
            head: input.head ?? '(working tree)',
            changed,
            targets,
            errors: [...atHead.errors],
        };
    }
    finally {
        for (const w of worktrees)
            await w.remove();
    }
}
/** One target's diff; a side that did not render is a status with its errors, not an exception. */
function diffTarget(name, base, head, headAgain) {
    const failed = (r) => !!r && r.errors.some((e) => e.level === 'error') && r.manifests.length === 0;
    const baseErrors = base?.errors.filter((e) => e.level === 'error') ?? [];
    const headErrors = head?.errors.filter((e) => e.level === 'error') ?? [];
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
        return { target: name, status, baseErrors, headErrors, objects: [], unchanged: 0 };
    const { objects, unchanged } = diffObjects({
        base: (base?.manifests ?? []).map((m) => m.object),
        head: (head?.manifests ?? []).map((m) => m.object),
        headAgain: headAgain && !failed(headAgain) ? headAgain.manifests.map((m) => m.object) : undefined,
    });
    return { target: name, status, baseErrors, headErrors, objects, unchanged };
}
/** Targets that have a changed file among their inputs (a kustomization's bases included). */
async function affected(targets, changed, cwd) {
    const out = [];
    for (const t of targets) {
        const inputs = await inputsOf(t, cwd);
        const touches = (f) => inputs.some((i) => f === i || f.startsWith(`${i}/`)) && !otherEnvValues(t, f);
        if (changed.some(touches))
            out.push(t);
    }
    return out;
}
/** A chart's values-<env>.yaml that belongs to another of the chart's targets. */
function otherEnvValues(t, file) {
    if (t.kind !== 'helm' || t.valuesFiles.includes(file))
        return false;
    return external_node_path_.posix.dirname(file) === t.chart && /^values[-.][\w.-]+\.ya?ml$/.test(external_node_path_.posix.basename(file));
}
/** Folders of a chart's file:// dependencies (and theirs), relative to cwd: a change there changes it. */
async function localDependencies(chartAbs, cwd, seen) {
    if (seen.has(chartAbs))
        return [];
    seen.add(chartAbs);
    const text = await (0,promises_.readFile)(external_node_path_.join(chartAbs, 'Chart.yaml'), 'utf8').catch(() => '');
    let deps;
    try {
        deps = (0,dist/* parse */.qg)(text)?.dependencies;
    }
    catch {
        return []; // a broken Chart.yaml is the render's to report
    }
    const out = [];
    for (const dep of Array.isArray(deps) ? deps : []) {
        const repo = typeof dep?.repository === 'string' ? dep.repository : '';
        if (!repo.startsWith('file://'))
            continue;
        const abs = external_node_path_.resolve(chartAbs, repo.slice('file://'.length));
        out.push(external_node_path_.relative(cwd, abs).split(external_node_path_.sep).join('/'), ...(await localDependencies(abs, cwd, seen)));
    }
    return out;
}
async function inputsOf(t, cwd) {
    switch (t.kind) {
        case 'helm':
            return [
                t.chart,
                ...t.valuesFiles,
                ...(await localDependencies(external_node_path_.resolve(cwd, t.chart), cwd, new Set())),
            ];
        case 'plain':
            return [...t.paths];
        case 'kustomize': {
            const dirs = [];
            const seen = new Set();
            const visit = async (abs) => {
                if (seen.has(abs))
                    return;
                seen.add(abs);
                dirs.push(external_node_path_.relative(cwd, abs).split(external_node_path_.sep).join('/') || '.');
                const info = await readKustomization(abs);
                for (const b of info?.bases ?? [])
                    await visit(b);
            };
            await visit(external_node_path_.resolve(cwd, t.dir));
            return dirs;
        }
    }
}

;// CONCATENATED MODULE: ./lib/cli/commands/render.js











const render_USAGE = `Usage: shipshape render [paths...] [options]

Render what each target produces: a Helm chart (one target per values-<env>.yaml file), a
Kustomize overlay, or a folder of plain manifests. Paths may be a chart or overlay folder, or a
folder searched for them (default: the working directory).

With no path and a config whose targets: section names some, those are rendered.

Options:
  -f, --format <format>   yaml | json | sources (default: yaml). "sources" lists every field
                          with the line a human edits for it (values key, template, patch...)
      --helm <path>       the helm binary (default: helm on PATH)
      --kustomize <path>  the kustomize binary (default: kustomize, else kubectl kustomize, on PATH)
      --timeout <secs>    time limit per helm or kustomize call (default: 60)
  -c, --config <file>     config file (default: .shipshape.yaml in the working directory, if any)
  -h, --help              show this help

Exit status: 0 when every target rendered, 2 when one did not (the others are still printed).
`;
const FORMATS = ['yaml', 'json', 'sources'];
const render = {
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
                helm: { type: 'string' },
                kustomize: { type: 'string' },
                timeout: { type: 'string' },
                config: { type: 'string', short: 'c' },
                help: { type: 'boolean', short: 'h' },
            },
        });
        if (values.help) {
            io.stdout.write(render_USAGE);
            return cli_io/* EXIT */.dc.ok;
        }
        const { config, errors: configErrors } = await loadConfig({ cwd: io.cwd, file: values.config });
        const format = values.format;
        if (!FORMATS.includes(format))
            throw new cli_io/* UsageError */.eb(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
        const job = await runRender({
            cwd: io.cwd,
            paths: positionals,
            configTargets: resolveTargets(config.targets, config.dir, io.cwd),
            tools: {
                ...config.render.tools,
                ...(values.helm && { helm: external_node_path_.resolve(io.cwd, values.helm) }),
                ...(values.kustomize && { kustomize: external_node_path_.resolve(io.cwd, values.kustomize) }),
            },
            timeoutMs: parseTimeout(values.timeout) ?? config.render.timeoutMs,
            concurrency: config.render.concurrency,
        });
        const errors = [...configErrors, ...job.errors, ...job.results.flatMap((r) => r.errors)];
        for (const e of errors)
            io.stderr.write(`${formatError(e)}\n`);
        // Secret values never leave the process: Secrets, stringData and secret-looking env values
        // print as their sizes.
        if (format === 'json') {
            const out = job.results.map((r) => ({
                target: targetName(r.target),
                kind: r.target.kind,
                tool: r.tool,
                millis: r.millis,
                objects: r.manifests.map((m) => redacted(m.object)),
                errors: r.errors,
            }));
            io.stdout.write(`${JSON.stringify({ version: 1, targets: out }, null, 2)}\n`);
        }
        else {
            for (const r of job.results) {
                io.stdout.write(`# target: ${targetName(r.target)}${r.tool ? ` (${r.tool}, ${r.millis} ms)` : ''}\n`);
                for (const m of r.manifests)
                    io.stdout.write(format === 'sources' ? sourcesOf(m) : yamlOf(m));
            }
        }
        return errors.some((e) => e.level === 'error') ? cli_io/* EXIT */.dc.usage : cli_io/* EXIT */.dc.ok;
    },
};
/** One object as YAML, under a comment naming where it is edited. */
function yamlOf(m) {
    const at = m.locateSource?.([]) ?? m.locate([]);
    return `---\n# source: ${at.file}:${at.line}\n${(0,dist/* stringify */.As)(redacted(m.object), { lineWidth: 0 })}`;
}
function parseTimeout(value) {
    if (value === undefined)
        return undefined;
    const secs = Number(value);
    if (!Number.isFinite(secs) || secs <= 0)
        throw new cli_io/* UsageError */.eb(`--timeout must be a positive number of seconds, not "${value}"`);
    return Math.round(secs * 1000);
}
function formatError(e) {
    const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
    return `${where}${e.level}: ${e.message}`;
}
/** Every field of an object with the line a human edits for it: the source map, readable. */
function sourcesOf(m) {
    const lines = [`${m.ref.kind}/${m.ref.namespace ? `${m.ref.namespace}/` : ''}${m.ref.name}`];
    const walk = (value, at) => {
        if (at.length > 0 && !(0,types/* isRecord */.u4)(value) && !Array.isArray(value)) {
            const loc = m.locateSource?.(at) ?? m.locate(at);
            lines.push(`  ${formatPath(m.object, at)}  ->  ${loc.file}:${loc.line}:${loc.column}`);
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

;// CONCATENATED MODULE: ./lib/cli/commands/diff.js








const diff_USAGE = `Usage: shipshape diff --base <git-ref> [--head <git-ref>] [paths...] [options]

Render every target the change touches (Helm charts, Kustomize overlays, plain folders) at the
base and at the head, and print a per-object diff: objects keyed by kind, namespace and name;
added, removed and renamed objects on one line each. Secret values are never shown (a changed
one shows its sizes). Output that differs between two renders of the head (random passwords,
generated certificates, timestamps) is marked, not shown as a change.

The base (and a --head ref) is checked out in a temporary git worktree, removed afterwards.
Without --head the working tree is the head.

Options:
      --base <ref>        the git ref to compare against (required)
      --head <ref>        the git ref to compare (default: the working tree)
  -f, --format <format>   text | json (default: text)
      --helm <path>       the helm binary (default: helm on PATH)
      --kustomize <path>  the kustomize binary (default: kustomize, else kubectl kustomize)
      --timeout <secs>    time limit per helm or kustomize call (default: 60)
      --exit-code         exit 1 when there are changes
  -c, --config <file>     config file, for its render: section (default: .shipshape.yaml, if any)
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
                helm: { type: 'string' },
                kustomize: { type: 'string' },
                timeout: { type: 'string' },
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
        if (values.format !== 'text' && values.format !== 'json') {
            throw new cli_io/* UsageError */.eb(`--format must be text or json, not "${values.format}"`);
        }
        const { config, errors: configErrors } = await loadConfig({ cwd: io.cwd, file: values.config });
        for (const e of configErrors)
            io.stderr.write(`${formatError(e)}\n`);
        let result;
        try {
            result = await runDiff({
                cwd: io.cwd,
                base: values.base,
                head: values.head,
                paths: positionals,
                tools: {
                    ...config.render.tools,
                    ...(values.helm && { helm: external_node_path_.resolve(io.cwd, values.helm) }),
                    ...(values.kustomize && { kustomize: external_node_path_.resolve(io.cwd, values.kustomize) }),
                },
                timeoutMs: parseTimeout(values.timeout) ?? config.render.timeoutMs,
                concurrency: config.render.concurrency,
            });
        }
        catch (err) {
            if (err instanceof GitError) {
                io.stderr.write(`shipshape diff: ${err.message}\n`);
                return cli_io/* EXIT */.dc.usage;
            }
            throw err;
        }
        for (const e of result.errors)
            io.stderr.write(`${formatError(e)}\n`);
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
const normalize_QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;
/** Parse a Kubernetes resource quantity (`250m`, `1.5Gi`, `1e3`, `2`); undefined if it is not one. */
function normalize_parseQuantity(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) ? normalize_parseQuantity(String(value)) : undefined;
    if (typeof value !== 'string')
        return undefined;
    const m = normalize_QUANTITY.exec(value.trim());
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
    const x = normalize_parseQuantity(a);
    const y = normalize_parseQuantity(b);
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
        fields_v1_walk(fields, live, [], out);
    return out;
}
function fields_v1_walk(trie, node, prefix, out) {
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
            fields_v1_walk(child, next, segments, out);
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
        const item = getAt(root, segments.slice(0, -1));
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
    const path = formatPath(w.want, ws);
    if (isIgnored(path, w.policy) || isEmptyValue(want))
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
    const keys = want.map((item) => mergeKeyOf(field, item));
    const keyed = keys.every((k) => k !== undefined);
    if (!keyed || !Array.isArray(live)) {
        if (!subsetEqual(want, live, ls))
            report(w, 'changed', ws, ls, want, live);
        return;
    }
    want.forEach((item, i) => {
        const key = keys[i];
        const j = live.findIndex((l) => {
            const v = (0,types/* isRecord */.u4)(l) ? getAt(l, key.key.split('.')) : undefined;
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
    const path = formatPath(w.want, ws);
    const owners = w.own.nearestOwners(ls);
    // A controller allowed to own the field (an HPA on replicas) makes the difference legitimate.
    if (owners.some((e) => controllerMayOwn(e, path, w.policy)))
        return;
    const foreign = owners.filter((e) => !isDeployer(e, w.policy));
    let who = newest(foreign) ?? newest(owners);
    // Nobody owns a removed field any more: the newest non-deployer writer of the object is the lead.
    if (type === 'removed')
        who = newest(foreign) ?? newestForeignWriter(w);
    push(w, type, path, redactValue(w.ref.kind, w.want, ws, want), redact(w, ls, live), who);
}
function newestForeignWriter(w) {
    return newest(w.own.entries.filter((e) => e.subresource !== 'status' &&
        !isDeployer(e, w.policy) &&
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
        if (entry.subresource === 'status' || isDeployer(entry, w.policy) || !comparedField(segments))
            continue;
        const path = formatPath(w.live, segments);
        if (isIgnored(path, w.policy) || controllerMayOwn(entry, path, w.policy))
            continue;
        if (resolvePath(w.want, path).complete)
            continue; // declared: compared by the walk
        const at = addedRoot(w, entry, segments);
        const atPath = formatPath(w.live, at);
        if (seen.has(atPath) || isIgnored(atPath, w.policy))
            continue;
        const value = getAt(w.live, at);
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
        if (resolvePath(w.want, formatPath(w.live, prefix)).complete)
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
            const key = mergeKeyOf(field, item);
            if (!key)
                return norm.length === want.length ? project(item, norm[i], field) : item;
            const match = norm.find((n) => {
                const v = (0,types/* isRecord */.u4)(n) ? getAt(n, key.key.split('.')) : undefined;
                return v !== undefined && String(v) === key.value;
            });
            return match === undefined ? item : project(item, match, field);
        });
    }
    // Scalars: the server's form when it has one of the same kind of thing.
    return typeof norm === 'object' ? want : norm;
}

;// CONCATENATED MODULE: ./lib/images/index.js



;// CONCATENATED MODULE: ./lib/drift/images.js






function scanImages(input) {
    const pinned = pinnedDigests(input.desired);
    const issues = [];
    const running = new Map();
    for (const obj of input.live) {
        if (!isWorkload(obj))
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
                if (!run.ref || !isPinned(run.ref))
                    pushTo(running, run.image, { digest: run.digest, pod: obj, container: run.container });
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
        for (const c of containersOf(obj)) {
            const ref = parsed(c.container.image);
            if (!ref?.digest)
                continue;
            const set = out.get(fullName(ref)) ?? new Set();
            set.add(ref.digest);
            out.set(fullName(ref), set);
        }
    }
    return out;
}
function policyIssues(obj, patterns) {
    const out = [];
    const own = ownershipOf(obj);
    for (const c of containersOf(obj)) {
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
        const tag = mutableTag(ref);
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
        const debug = debugTag(ref, patterns);
        if (debug)
            out.push({
                ...base,
                kind: 'debug-tag',
                message: `runs a debug build: tag ${ref.tag} matches "${debug.matched}"`,
            });
        if (!isPinned(ref) && !tag)
            out.push({ ...base, kind: 'not-pinned', message: `runs ${image}, not pinned to a digest` });
    }
    return out;
}
const images_DIGEST = /(sha256|sha384|sha512):[a-f0-9]{64,128}/;
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
            const digest = images_DIGEST.exec(s.imageID)?.[0];
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
    const want = pinned.get(fullName(run.ref));
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
    const debug = containersOf(pod, ['ephemeralContainers']);
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
            message: `has an ephemeral debug container ${c.name} (${image}) at ${formatPath(pod, c.path)}`,
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
    const result = parseReference(image);
    return result.ok ? result.ref : undefined;
}
function shortDigest(digest) {
    return digest.slice(0, 19);
}

// EXTERNAL MODULE: ./lib/kube/errors.js
var errors = __nccwpck_require__(2474);
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
    const config = settings.config ?? defaultConfig(settings.cwd);
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
        const connect = settings.connect ?? (await __nccwpck_require__.e(/* import() */ 139).then(__nccwpck_require__.bind(__nccwpck_require__, 7139))).connect;
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
        return drift_fail(result, err, started);
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
        return drift_fail(result, err, started);
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
    const configTargets = config.targets.length > 0 ? resolveTargets(config.targets, config.dir) : [];
    if (settings.paths.length > 0 || configTargets.length > 0) {
        const cwd = settings.cwd ?? process.cwd();
        const rendered = await runRender({
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
function drift_fail(result, err, started) {
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

;// CONCATENATED MODULE: ./lib/report/drift.js


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
        `${drift_plural(report.drift.length, 'drifted field')} in ${drift_plural(objects, 'object')}`,
        `${report.missing.length} missing`,
        drift_plural(report.images.length, 'image issue'),
    ];
    if (report.errors.length)
        parts.push(drift_plural(report.errors.length, 'error'));
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
        pushTo(byObject, (0,types/* refKey */.XF)(d.object), d);
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
                drift_code(d.path),
                d.type === 'added' ? '' : drift_code(show(d.desired)),
                d.type === 'removed' ? '' : drift_code(show(d.live)),
                d.manager ? `${drift_code(d.manager)}${how ? ` (${how})` : ''}` : 'unknown',
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
                drift_code(i.container),
                i.kind,
                escapeCell(i.message),
                i.manager ? `${drift_code(i.manager)} ${i.time ?? ''}` : '',
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
    return `- ${drift_name(m.object)}${m.source ? ` (declared in ${drift_code(m.source)})` : ''}`;
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
function drift_plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function drift_code(text) {
    return `\`${text.replaceAll('`', "'").replaceAll('|', '\\|')}\``;
}
function escapeCell(text) {
    return text.replaceAll('|', '\\|').replaceAll('<', '&lt;');
}
function row(cells) {
    return `| ${cells.map((c) => c.replaceAll('\n', ' ')).join(' | ')} |`;
}

;// CONCATENATED MODULE: ./lib/cli/commands/drift.js






const drift_USAGE = `Usage: shipshape drift [paths...] [options]

Compare what Git declares with the live cluster, read-only. Git's side is the Helm charts,
Kustomize overlays and plain manifests found under the paths (or the config's targets:):
fields changed, added or removed out of band, who changed them and when (from managedFields),
objects missing from the cluster, and images that are unpinned, latest, debug builds, or run a
digest other than the one Git pins.

Options:
  -f, --format <format>     ${DRIFT_FORMATS.join(' | ')} (default: text)
  -c, --config <file>       config file (default: .shipshape.yaml in the working directory, if any)
      --kubeconfig <file>   kubeconfig (default: $KUBECONFIG, ~/.kube/config, then the pod's service account)
      --context <name>      kubeconfig context (default: the current one)
  -n, --namespace <name>    namespace of objects that name none (default: default)
  -A, --all-namespaces      scan the images of every namespace, not only Git's
      --fail-on-drift       exit 1 when there is drift (default); --no-fail-on-drift to report only
      --server-dry-run      also let the API server normalize Git's objects (server-side apply with
                            dryRun=All: nothing is stored, but it needs patch permission)
  -o, --output <file>       write the report to a file instead of stdout
  -h, --help                show this help

Needs only get and list permissions. Manager names are the clients' own names, not people.

Exit status: 0 no drift, 1 drift (with --fail-on-drift), 2 usage, configuration or input errors,
3 the cluster could not be read (one line on stderr says why).
`;
const EXIT_CLUSTER = 3;
const drift = {
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
                output: { type: 'string', short: 'o' },
                help: { type: 'boolean', short: 'h' },
            },
        });
        if (values.help) {
            io.stdout.write(drift_USAGE);
            return cli_io/* EXIT */.dc.ok;
        }
        const format = values.format;
        if (!isDriftFormat(format))
            throw new cli_io/* UsageError */.eb(`--format must be one of ${DRIFT_FORMATS.join(', ')}, not "${format}"`);
        const { config, errors: configErrors } = await loadConfig({ cwd: io.cwd, file: values.config });
        if (positionals.length === 0 && config.targets.length === 0) {
            throw new cli_io/* UsageError */.eb('drift needs what Git declares: paths (charts, overlays, manifests) or targets: in the config');
        }
        for (const e of configErrors)
            io.stderr.write(`shipshape drift: ${e.message}\n`);
        const result = await runDriftJob({
            paths: positionals,
            cwd: io.cwd,
            config,
            kubeconfig: values.kubeconfig ? external_node_path_.resolve(io.cwd, values.kubeconfig) : undefined,
            context: values.context,
            namespace: values.namespace,
            allNamespaces: values['all-namespaces'],
            serverSideDryRun: values['server-dry-run'],
            connectOptions: { env: io.env },
        });
        if (result.fatal) {
            io.stderr.write(`shipshape drift: ${result.fatal}\n`);
            return EXIT_CLUSTER;
        }
        const toFile = values.output !== undefined;
        const text = renderDrift(format, result.report, { color: !toFile && (0,cli_io/* wantsColor */.zK)(io) });
        if (values.output)
            await io.writeFile(external_node_path_.resolve(io.cwd, values.output), text);
        else
            io.stdout.write(text);
        // Input errors (a chart that does not render, bad YAML) are in the report's errors.
        if (configErrors.length || result.inputErrors.some((e) => e.level === 'error'))
            return cli_io/* EXIT */.dc.usage;
        return values['fail-on-drift'] && hasDrift(result.report) ? cli_io/* EXIT */.dc.findings : cli_io/* EXIT */.dc.ok;
    },
};

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
    const all = [...rules, ...SUPPRESSION_RULES];
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
    for (const r of SUPPRESSION_RULES)
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
    return `${JSON.stringify({ version: 1, rules: [...rules, ...SUPPRESSION_RULES].map(entry) }, null, 2)}\n`;
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
    for (const r of SUPPRESSION_RULES) {
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
    for (const r of SUPPRESSION_RULES)
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
        'Fails:',
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
        io.stdout.write(renderRules(values.format, ALL_RULES.map((r) => r.meta)));
        return cli_io/* EXIT */.dc.ok;
    },
};

;// CONCATENATED MODULE: ./lib/cli/commands/index.js





/** Every CLI command. To add one (`render`, `diff`, `drift`), write commands/<name>.ts and list it here. */
const COMMANDS = [check, render, diff, rules_rules, drift];

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
async function runCli(argv, io) {
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
        io.stdout.write(`${VERSION}\n`);
        return cli_io/* EXIT */.dc.ok;
    }
    if (first === 'help') {
        const command = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
        io.stdout.write(command ? command.usage : usage());
        return cli_io/* EXIT */.dc.ok;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
        const hint = suggest(first, COMMANDS.map((c) => c.name));
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
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Wr: () => (/* binding */ processIo),
/* harmony export */   dc: () => (/* binding */ EXIT),
/* harmony export */   eb: () => (/* binding */ UsageError),
/* harmony export */   zK: () => (/* binding */ wantsColor)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6760);


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
 * A report can be tens of megabytes: handing it to a pipe in one call copies all of it into one
 * more buffer. Slices written as the reader drains them keep that copy small.
 */
const SLICE = 1 << 20;
const pending = [];
function writeInSlices(stream, text) {
    const previous = pending.at(-1) ?? Promise.resolve();
    const done = previous.then(async () => {
        for (let i = 0; i < text.length; i += SLICE) {
            if (!stream.write(text.slice(i, i + SLICE))) {
                await new Promise((resolve) => stream.once('drain', resolve));
            }
        }
    });
    pending.push(done);
    return done;
}
/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
function wantsColor(io) {
    return io.stdoutIsTTY && !io.env.NO_COLOR;
}


/***/ }),

/***/ 1273:
/***/ ((__webpack_module__, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_v8__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8877);
/* harmony import */ var _cli_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(9894);
/* harmony import */ var _io_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8908);



/** The CLI's entry (bundled into dist/cli.js): everything else is in cli.ts and commands/. */
// A large check allocates fast and briefly (parse events, report lines); left alone, V8 answers by
// doubling its young generation up to 64 MiB semi-spaces, which costs memory and buys no speed here.
// Measured on 50,000 objects: peak memory 650 -> 520 MiB, time unchanged (docs/benchmarks.md).
node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString('--semi-space-growth-factor=1');
// `shipshape check . | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE')
        process.exit(process.exitCode ?? 0);
    throw err;
});
process.exitCode = await (0,_cli_js__WEBPACK_IMPORTED_MODULE_1__/* .runCli */ .a)(process.argv.slice(2), (0,_io_js__WEBPACK_IMPORTED_MODULE_2__/* .processIo */ .Wr)());

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 2474:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
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


/***/ }),

/***/ 3356:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
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

/***/ 3243:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bg: () => (/* binding */ intYaml11Tag),
/* harmony export */   Hh: () => (/* binding */ load),
/* harmony export */   KE: () => (/* binding */ getScalarValue),
/* harmony export */   L2: () => (/* binding */ nullYaml11Tag),
/* harmony export */   LJ: () => (/* binding */ mergeTag),
/* harmony export */   PH: () => (/* binding */ parseEvents),
/* harmony export */   Sj: () => (/* binding */ Schema),
/* harmony export */   UD: () => (/* binding */ seqTag),
/* harmony export */   fw: () => (/* binding */ constructFromEvents),
/* harmony export */   hy: () => (/* binding */ EVENT_ID),
/* harmony export */   iE: () => (/* binding */ boolYaml11Tag),
/* harmony export */   jK: () => (/* binding */ SCALAR_STYLE),
/* harmony export */   kt: () => (/* binding */ binaryTag),
/* harmony export */   o5: () => (/* binding */ floatYaml11Tag),
/* harmony export */   pj: () => (/* binding */ mapTag),
/* harmony export */   tB: () => (/* binding */ YAMLException),
/* harmony export */   ym: () => (/* binding */ strTag)
/* harmony export */ });
/* unused harmony exports CHOMPING_CLIP, CHOMPING_KEEP, CHOMPING_MODE, CHOMPING_STRIP, COLLECTION_STYLE, COLLECTION_STYLE_BLOCK, COLLECTION_STYLE_FLOW, CORE_SCHEMA, DEFAULT_SCALAR_STYLE_RULES, DUMP_SCHEMA, EVENT_ALIAS, EVENT_DOCUMENT, EVENT_MAPPING, EVENT_POP, EVENT_SCALAR, EVENT_SEQUENCE, FAILSAFE_SCHEMA, JSON_SCHEMA, NOT_RESOLVED, SCALAR_STYLE_DOUBLE_QUOTED, SCALAR_STYLE_FOLDED_BLOCK, SCALAR_STYLE_LITERAL_BLOCK, SCALAR_STYLE_PLAIN, SCALAR_STYLE_SINGLE_QUOTED, VISIT_BREAK, VISIT_SKIP, YAML11_SCHEMA, boolCoreTag, boolJsonTag, defineMappingTag, defineScalarTag, defineSequenceTag, dump, eventsToAst, floatCoreTag, floatJsonTag, intCoreTag, intJsonTag, jsToAst, legacyMapTag, loadAll, nullCoreTag, nullJsonTag, omapTag, pairsTag, present, realMapTag, setTag, timestampTag, visit */
/*! js-yaml 5.5.0 https://github.com/nodeca/js-yaml @license MIT */
//#region src/tag.ts
/**
* Returned by a scalar resolver when the source does not match its tag.
*
* @category Tags
*/
var NOT_RESOLVED = Symbol("NOT_RESOLVED");
/**
* Create a normalized scalar tag definition.
*
* @category Tags
*/
function defineScalarTag(tagName, options) {
	return {
		tagName,
		nodeKind: "scalar",
		implicit: options.implicit ?? false,
		matchByTagPrefix: options.matchByTagPrefix ?? false,
		implicitFirstChars: options.implicitFirstChars ?? null,
		resolve: options.resolve,
		identify: options.identify,
		represent: options.represent ?? ((data) => String(data)),
		representTagName: options.representTagName ?? (() => tagName)
	};
}
/**
* Create a normalized sequence tag definition.
*
* @category Tags
*/
function defineSequenceTag(tagName, options) {
	const carrierIsResult = options.finalize === void 0;
	return {
		tagName,
		nodeKind: "sequence",
		implicit: false,
		matchByTagPrefix: options.matchByTagPrefix ?? false,
		create: options.create,
		addItem: options.addItem,
		finalize: options.finalize ?? ((carrier) => carrier),
		carrierIsResult,
		identify: options.identify,
		represent: options.represent ?? ((data) => data),
		representTagName: options.representTagName ?? (() => tagName)
	};
}
/**
* Create a normalized mapping tag definition.
*
* @category Tags
*/
function defineMappingTag(tagName, options) {
	const carrierIsResult = options.finalize === void 0;
	return {
		tagName,
		nodeKind: "mapping",
		implicit: false,
		matchByTagPrefix: options.matchByTagPrefix ?? false,
		create: options.create,
		addPair: options.addPair,
		has: options.has,
		keys: options.keys,
		get: options.get,
		finalize: options.finalize ?? ((carrier) => carrier),
		carrierIsResult,
		identify: options.identify,
		represent: options.represent ?? ((data) => data),
		representTagName: options.representTagName ?? (() => tagName)
	};
}
//#endregion
//#region src/tag/scalar/str.ts
/** @category Tags */
var strTag = defineScalarTag("tag:yaml.org,2002:str", {
	resolve: (source) => source,
	identify: (data) => typeof data === "string"
});
//#endregion
//#region src/tag/scalar/null_core.ts
var NULL_VALUES$1 = [
	"",
	"~",
	"null",
	"Null",
	"NULL"
];
/** @category Tags */
var nullCoreTag = defineScalarTag("tag:yaml.org,2002:null", {
	implicit: true,
	implicitFirstChars: [
		"",
		"~",
		"n",
		"N"
	],
	resolve: (source) => {
		if (NULL_VALUES$1.indexOf(source) !== -1) return null;
		return NOT_RESOLVED;
	},
	identify: (object) => object === null,
	represent: () => "null"
});
//#endregion
//#region src/tag/scalar/null_json.ts
/** @category Tags */
var nullJsonTag = defineScalarTag("tag:yaml.org,2002:null", {
	implicit: true,
	implicitFirstChars: ["n"],
	resolve: (source, isExplicit) => {
		if (source === "null" || isExplicit && source === "") return null;
		return NOT_RESOLVED;
	},
	identify: (object) => object === null,
	represent: () => "null"
});
//#endregion
//#region src/tag/scalar/null_yaml11.ts
var NULL_VALUES = [
	"",
	"~",
	"null",
	"Null",
	"NULL"
];
/** @category Tags */
var nullYaml11Tag = defineScalarTag("tag:yaml.org,2002:null", {
	implicit: true,
	implicitFirstChars: [
		"",
		"~",
		"n",
		"N"
	],
	resolve: (source) => {
		if (NULL_VALUES.indexOf(source) !== -1) return null;
		return NOT_RESOLVED;
	},
	identify: (object) => object === null,
	represent: () => "null"
});
//#endregion
//#region src/tag/scalar/bool_core.ts
var TRUE_VALUES$2 = [
	"true",
	"True",
	"TRUE"
];
var FALSE_VALUES$2 = [
	"false",
	"False",
	"FALSE"
];
/** @category Tags */
var boolCoreTag = defineScalarTag("tag:yaml.org,2002:bool", {
	implicit: true,
	implicitFirstChars: [
		"t",
		"T",
		"f",
		"F"
	],
	resolve: (source) => {
		if (TRUE_VALUES$2.indexOf(source) !== -1) return true;
		if (FALSE_VALUES$2.indexOf(source) !== -1) return false;
		return NOT_RESOLVED;
	},
	identify: (object) => Object.prototype.toString.call(object) === "[object Boolean]",
	represent: (object) => object ? "true" : "false"
});
//#endregion
//#region src/tag/scalar/bool_json.ts
var TRUE_VALUES$1 = ["true"];
var FALSE_VALUES$1 = ["false"];
/** @category Tags */
var boolJsonTag = defineScalarTag("tag:yaml.org,2002:bool", {
	implicit: true,
	implicitFirstChars: ["t", "f"],
	resolve: (source) => {
		if (TRUE_VALUES$1.indexOf(source) !== -1) return true;
		if (FALSE_VALUES$1.indexOf(source) !== -1) return false;
		return NOT_RESOLVED;
	},
	identify: (object) => Object.prototype.toString.call(object) === "[object Boolean]",
	represent: (object) => object ? "true" : "false"
});
//#endregion
//#region src/tag/scalar/bool_yaml11.ts
var TRUE_VALUES = [
	"true",
	"True",
	"TRUE",
	"y",
	"Y",
	"yes",
	"Yes",
	"YES",
	"on",
	"On",
	"ON"
];
var FALSE_VALUES = [
	"false",
	"False",
	"FALSE",
	"n",
	"N",
	"no",
	"No",
	"NO",
	"off",
	"Off",
	"OFF"
];
/** @category Tags */
var boolYaml11Tag = defineScalarTag("tag:yaml.org,2002:bool", {
	implicit: true,
	implicitFirstChars: [
		"y",
		"Y",
		"n",
		"N",
		"t",
		"T",
		"f",
		"F",
		"o",
		"O"
	],
	resolve: (source) => {
		if (TRUE_VALUES.indexOf(source) !== -1) return true;
		if (FALSE_VALUES.indexOf(source) !== -1) return false;
		return NOT_RESOLVED;
	},
	identify: (object) => Object.prototype.toString.call(object) === "[object Boolean]",
	represent: (object) => object ? "true" : "false"
});
//#endregion
//#region src/tag/scalar/int_core.ts
var YAML_INTEGER_IMPLICIT_PATTERN$1 = /* @__PURE__ */ new RegExp("^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+)$");
var YAML_INTEGER_EXPLICIT_PATTERN$1 = /* @__PURE__ */ new RegExp("^(?:[-+]?0b[0-1]+|[-+]?0o[0-7]+|[-+]?0x[0-9a-fA-F]+|[-+]?[0-9]+)$");
function parseYamlInteger$2(source) {
	let value = source;
	let sign = 1;
	if (value[0] === "-" || value[0] === "+") {
		if (value[0] === "-") sign = -1;
		value = value.slice(1);
	}
	if (value.startsWith("0b")) return sign * parseInt(value.slice(2), 2);
	if (value.startsWith("0o")) return sign * parseInt(value.slice(2), 8);
	if (value.startsWith("0x")) return sign * parseInt(value.slice(2), 16);
	return sign * parseInt(value, 10);
}
function resolveYamlInteger$2(source, isExplicit) {
	if (isExplicit) {
		if (!YAML_INTEGER_EXPLICIT_PATTERN$1.test(source)) return NOT_RESOLVED;
	} else if (!YAML_INTEGER_IMPLICIT_PATTERN$1.test(source)) return NOT_RESOLVED;
	const result = parseYamlInteger$2(source);
	return Number.isFinite(result) ? result : NOT_RESOLVED;
}
/** @category Tags */
var intCoreTag = defineScalarTag("tag:yaml.org,2002:int", {
	implicit: true,
	implicitFirstChars: [
		"-",
		"+",
		..."0123456789"
	],
	resolve: resolveYamlInteger$2,
	identify: (object) => Number.isInteger(object) && !Object.is(object, -0) && object.toString(10).indexOf("e") < 0,
	represent: (object) => object.toString(10)
});
//#endregion
//#region src/tag/scalar/int_json.ts
var YAML_INTEGER_IMPLICIT_PATTERN = /* @__PURE__ */ new RegExp("^-?(?:0|[1-9][0-9]*)$");
var YAML_INTEGER_EXPLICIT_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?0b[0-1]+|[-+]?0o[0-7]+|[-+]?0x[0-9a-fA-F]+|[-+]?[0-9]+)$");
function parseYamlInteger$1(source) {
	let value = source;
	let sign = 1;
	if (value[0] === "-" || value[0] === "+") {
		if (value[0] === "-") sign = -1;
		value = value.slice(1);
	}
	if (value.startsWith("0b")) return sign * parseInt(value.slice(2), 2);
	if (value.startsWith("0o")) return sign * parseInt(value.slice(2), 8);
	if (value.startsWith("0x")) return sign * parseInt(value.slice(2), 16);
	return sign * parseInt(value, 10);
}
function resolveYamlInteger$1(source, isExplicit) {
	if (isExplicit) {
		if (!YAML_INTEGER_EXPLICIT_PATTERN.test(source)) return NOT_RESOLVED;
	} else if (!YAML_INTEGER_IMPLICIT_PATTERN.test(source)) return NOT_RESOLVED;
	const result = parseYamlInteger$1(source);
	return Number.isFinite(result) ? result : NOT_RESOLVED;
}
/** @category Tags */
var intJsonTag = defineScalarTag("tag:yaml.org,2002:int", {
	implicit: true,
	implicitFirstChars: ["-", ..."0123456789"],
	resolve: resolveYamlInteger$1,
	identify: (object) => Number.isInteger(object) && !Object.is(object, -0) && object.toString(10).indexOf("e") < 0,
	represent: (object) => object.toString(10)
});
//#endregion
//#region src/tag/scalar/int_yaml11.ts
var YAML_INTEGER_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+|[-+]?(?:0|[1-9][0-9_]*))$");
function parseYamlInteger(source) {
	let value = source.replace(/_/g, "");
	let sign = 1;
	if (value[0] === "-" || value[0] === "+") {
		if (value[0] === "-") sign = -1;
		value = value.slice(1);
	}
	if (value.startsWith("0b")) return sign * parseInt(value.slice(2), 2);
	if (value.startsWith("0x")) return sign * parseInt(value.slice(2), 16);
	if (value.includes(":")) {
		let result = 0;
		for (const part of value.split(":")) result = result * 60 + Number(part);
		return sign * result;
	}
	if (value !== "0" && value[0] === "0") return sign * parseInt(value, 8);
	return sign * parseInt(value, 10);
}
function resolveYamlInteger(source) {
	if (!YAML_INTEGER_PATTERN.test(source)) return NOT_RESOLVED;
	const result = parseYamlInteger(source);
	return Number.isFinite(result) ? result : NOT_RESOLVED;
}
/** @category Tags */
var intYaml11Tag = defineScalarTag("tag:yaml.org,2002:int", {
	implicit: true,
	implicitFirstChars: [
		"-",
		"+",
		..."0123456789"
	],
	resolve: resolveYamlInteger,
	identify: (object) => Number.isInteger(object) && !Object.is(object, -0) && object.toString(10).indexOf("e") < 0,
	represent: (object) => object.toString(10)
});
//#endregion
//#region src/tag/scalar/float_core.ts
var YAML_FLOAT_PATTERN$1 = /* @__PURE__ */ new RegExp("^(?:[-+]?[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
var YAML_FLOAT_SPECIAL_PATTERN$1 = /* @__PURE__ */ new RegExp("^(?:[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
function resolveYamlFloat$2(source) {
	if (!YAML_FLOAT_PATTERN$1.test(source)) return NOT_RESOLVED;
	let value = source.toLowerCase();
	const sign = value[0] === "-" ? -1 : 1;
	if ("+-".includes(value[0])) value = value.slice(1);
	if (value === ".inf") return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
	if (value === ".nan") return NaN;
	const result = sign * parseFloat(value);
	if (Number.isFinite(result) || YAML_FLOAT_SPECIAL_PATTERN$1.test(source)) return result;
	return NOT_RESOLVED;
}
function representYamlFloat$2(object) {
	if (isNaN(object)) return ".nan";
	if (object === Number.POSITIVE_INFINITY) return ".inf";
	if (object === Number.NEGATIVE_INFINITY) return "-.inf";
	if (Object.is(object, -0)) return "-0.0";
	const result = object.toString(10);
	return /^[-+]?[0-9]+e/.test(result) ? result.replace("e", ".e") : result;
}
/** @category Tags */
var floatCoreTag = defineScalarTag("tag:yaml.org,2002:float", {
	implicit: true,
	implicitFirstChars: [
		"-",
		"+",
		".",
		..."0123456789"
	],
	resolve: resolveYamlFloat$2,
	identify: (object) => typeof object === "number" && (!Number.isInteger(object) || Object.is(object, -0) || object.toString(10).indexOf("e") >= 0),
	represent: representYamlFloat$2
});
//#endregion
//#region src/tag/scalar/float_json.ts
var YAML_FLOAT_IMPLICIT_PATTERN = /* @__PURE__ */ new RegExp("^-?(?:0|[1-9][0-9]*)(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$");
var YAML_FLOAT_EXPLICIT_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
function resolveYamlFloat$1(source, isExplicit) {
	if (isExplicit) {
		if (!YAML_FLOAT_EXPLICIT_PATTERN.test(source)) return NOT_RESOLVED;
		let value = source.toLowerCase();
		const sign = value[0] === "-" ? -1 : 1;
		if ("+-".includes(value[0])) value = value.slice(1);
		if (value === ".inf") return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
		if (value === ".nan") return NaN;
		const result = sign * parseFloat(value);
		return Number.isFinite(result) ? result : NOT_RESOLVED;
	}
	if (!YAML_FLOAT_IMPLICIT_PATTERN.test(source)) return NOT_RESOLVED;
	const result = Number(source);
	if (Number.isFinite(result)) return result;
	return NOT_RESOLVED;
}
function representYamlFloat$1(object) {
	if (isNaN(object)) return ".nan";
	if (object === Number.POSITIVE_INFINITY) return ".inf";
	if (object === Number.NEGATIVE_INFINITY) return "-.inf";
	if (Object.is(object, -0)) return "-0.0";
	const result = object.toString(10);
	return /^[-+]?[0-9]+e/.test(result) ? result.replace("e", ".e") : result;
}
/** @category Tags */
var floatJsonTag = defineScalarTag("tag:yaml.org,2002:float", {
	implicit: true,
	implicitFirstChars: ["-", ..."0123456789"],
	resolve: resolveYamlFloat$1,
	identify: (object) => typeof object === "number" && (!Number.isInteger(object) || Object.is(object, -0) || object.toString(10).indexOf("e") >= 0),
	represent: representYamlFloat$1
});
//#endregion
//#region src/tag/scalar/float_yaml11.ts
var YAML_FLOAT_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?(?:(?:[0-9][0-9_]*)?\\.[0-9_]*)(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
var YAML_FLOAT_SPECIAL_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
function resolveYamlFloat(source) {
	if (!YAML_FLOAT_PATTERN.test(source)) return NOT_RESOLVED;
	let value = source.toLowerCase().replace(/_/g, "");
	const sign = value[0] === "-" ? -1 : 1;
	if ("+-".includes(value[0])) value = value.slice(1);
	if (value === ".inf") return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
	if (value === ".nan") return NaN;
	let result = 0;
	if (value.includes(":")) {
		for (const part of value.split(":")) result = result * 60 + Number(part);
		result *= sign;
	} else result = sign * parseFloat(value);
	if (Number.isFinite(result) || YAML_FLOAT_SPECIAL_PATTERN.test(source)) return result;
	return NOT_RESOLVED;
}
function representYamlFloat(object) {
	if (isNaN(object)) return ".nan";
	if (object === Number.POSITIVE_INFINITY) return ".inf";
	if (object === Number.NEGATIVE_INFINITY) return "-.inf";
	if (Object.is(object, -0)) return "-0.0";
	const result = object.toString(10);
	return /^[-+]?[0-9]+e/.test(result) ? result.replace("e", ".e") : result;
}
/** @category Tags */
var floatYaml11Tag = defineScalarTag("tag:yaml.org,2002:float", {
	implicit: true,
	implicitFirstChars: [
		"-",
		"+",
		".",
		..."0123456789"
	],
	resolve: resolveYamlFloat,
	identify: (object) => typeof object === "number" && (!Number.isInteger(object) || Object.is(object, -0) || object.toString(10).indexOf("e") >= 0),
	represent: representYamlFloat
});
//#endregion
//#region src/tag/scalar/merge.ts
/**
* Enables merge keys in {@link CORE_SCHEMA} when added with
* {@link Schema.withTags}.
*
* @category Tags
*/
var mergeTag = defineScalarTag("tag:yaml.org,2002:merge", {
	implicit: true,
	implicitFirstChars: ["<"],
	resolve: (source, isExplicit) => {
		if (source === "<<" || isExplicit && source === "") return "<<";
		return NOT_RESOLVED;
	},
	identify: () => false
});
//#endregion
//#region src/tag/scalar/binary.ts
var BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
function resolveYamlBinary(source) {
	const input = source.replace(/\s/g, "");
	if (input.length % 4 !== 0 || !BASE64_PATTERN.test(input)) return NOT_RESOLVED;
	const binary = atob(input);
	const result = new Uint8Array(binary.length);
	for (let index = 0; index < binary.length; index++) result[index] = binary.charCodeAt(index);
	return result;
}
function representYamlBinary(object) {
	let binary = "";
	for (let index = 0; index < object.length; index++) binary += String.fromCharCode(object[index]);
	return btoa(binary);
}
/**
* The `!!binary` tag, represented as a `Uint8Array`.
*
* @category Tags
*/
var binaryTag = defineScalarTag("tag:yaml.org,2002:binary", {
	resolve: resolveYamlBinary,
	identify: (object) => Object.prototype.toString.call(object) === "[object Uint8Array]",
	represent: representYamlBinary
});
//#endregion
//#region src/tag/scalar/timestamp.ts
var YAML_DATE_REGEXP = /* @__PURE__ */ new RegExp("^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$");
var YAML_TIMESTAMP_REGEXP = /* @__PURE__ */ new RegExp("^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\\.([0-9]*))?(?:[ \\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$");
function makeUtcDate(year, month, day, hour = 0, minute = 0, second = 0, fraction = 0) {
	const date = new Date(Date.UTC(year, month, day, hour, minute, second, fraction));
	date.setUTCFullYear(year, month, day);
	return date;
}
function resolveYamlTimestamp(source) {
	let match = YAML_DATE_REGEXP.exec(source);
	if (match === null) match = YAML_TIMESTAMP_REGEXP.exec(source);
	if (match === null) return NOT_RESOLVED;
	const year = +match[1];
	const month = +match[2] - 1;
	const day = +match[3];
	if (!match[4]) {
		const date = makeUtcDate(year, month, day);
		if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) return NOT_RESOLVED;
		return date;
	}
	const hour = +match[4];
	const minute = +match[5];
	const second = +match[6];
	let fraction = 0;
	if (hour > 23 || minute > 59 || second > 59) return NOT_RESOLVED;
	if (match[7]) {
		let value = match[7].slice(0, 3);
		while (value.length < 3) value += "0";
		fraction = +value;
	}
	const date = makeUtcDate(year, month, day, hour, minute, second, fraction);
	if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) return NOT_RESOLVED;
	if (match[9]) {
		const offsetHour = +match[10];
		const offsetMinute = +(match[11] || 0);
		if (offsetHour > 23 || offsetMinute > 59) return NOT_RESOLVED;
		const offset = (offsetHour * 60 + offsetMinute) * 6e4;
		date.setTime(date.getTime() - (match[9] === "-" ? -offset : offset));
	}
	return date;
}
/**
* The YAML 1.1 `!!timestamp` tag, represented as a JavaScript `Date`.
*
* @category Tags
*/
var timestampTag = defineScalarTag("tag:yaml.org,2002:timestamp", {
	implicit: true,
	implicitFirstChars: [..."0123456789"],
	resolve: resolveYamlTimestamp,
	identify: (object) => object instanceof Date,
	represent: (object) => object.toISOString()
});
//#endregion
//#region src/tag/sequence/seq.ts
/** @category Tags */
var seqTag = defineSequenceTag("tag:yaml.org,2002:seq", {
	create: () => [],
	addItem: (container, item) => {
		container.push(item);
	},
	identify: Array.isArray
});
//#endregion
//#region src/common/object.ts
function isPlainObject(data) {
	if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
	const prototype = Object.getPrototypeOf(data);
	return prototype === null || prototype === Object.prototype;
}
function pick(object, keys) {
	const result = {};
	for (const key of keys) if (object[key] !== void 0) result[key] = object[key];
	return result;
}
//#endregion
//#region src/tag/sequence/omap.ts
/**
* Provided only for YAML 1.1 compatibility and supported by the loader only.
* JavaScript has no dedicated class to represent this type, so it cannot be
* identified and dumped.
*
* ```yaml
* !!omap
*   - one: 1
*   - two: 2
* ```
*
* is loaded as
*
* ```javascript
* [
*   { one: 1 },
*   { two: 2 }
* ]
* ```
*
* @category Tags
*/
var omapTag = defineSequenceTag("tag:yaml.org,2002:omap", {
	create: () => ({
		list: [],
		seen: /* @__PURE__ */ new Set()
	}),
	addItem: (carrier, item) => {
		let key;
		if (item instanceof Map) {
			if (item.size !== 1) return "cannot resolve an ordered map item";
			key = item.keys().next().value;
		} else if (isPlainObject(item)) {
			const itemKeys = Object.keys(item);
			if (itemKeys.length !== 1) return "cannot resolve an ordered map item";
			key = itemKeys[0];
		} else return "cannot resolve an ordered map item";
		if (carrier.seen.has(key)) return "duplicate key in ordered map";
		carrier.seen.add(key);
		carrier.list.push(item);
		return "";
	},
	finalize: (carrier) => carrier.list,
	identify: () => false
});
//#endregion
//#region src/tag/sequence/pairs.ts
/**
* Provided only for YAML 1.1 compatibility and supported by the loader only.
* JavaScript has no dedicated class to represent this type, so it cannot be
* identified and dumped.
*
* ```yaml
* !!pairs
*   - one: 1
*   - two: 2
* ```
*
* is loaded as
*
* ```javascript
* [
*   ['one', 1],
*   ['two', 2]
* ]
* ```
*
* @category Tags
*/
var pairsTag = defineSequenceTag("tag:yaml.org,2002:pairs", {
	create: () => [],
	addItem: (container, item) => {
		if (item instanceof Map) {
			if (item.size !== 1) return "cannot resolve a pairs item";
			container.push(item.entries().next().value);
			return "";
		}
		if (Object.prototype.toString.call(item) !== "[object Object]") return "cannot resolve a pairs item";
		const object = item;
		const keys = Object.keys(object);
		if (keys.length !== 1) return "cannot resolve a pairs item";
		container.push([keys[0], object[keys[0]]]);
		return "";
	},
	identify: () => false
});
//#endregion
//#region src/tag/mapping/map.ts
/**
* This is the default mapping implementation. It uses `{}` objects and has only
* partial functionality due to language limitations. This choice was made
* because users expect to get JavaScript objects, and it was left unchanged to
* avoid too many breaking changes in the v5 release.
*
* Side effects:
*
* - `Object.hasOwn()` checks or `for...of` loops are required for safe use (to
*   avoid falling through to prototypes).
* - Only scalar string keys are supported properly.
* - Other scalar keys, such as `null` and numbers, are converted to strings.
*   This is historical behaviour, and it can cause side effects such as
*   problems with `!!merge`.
*
* Note that non-string scalar keys may be deprecated in future versions.
*
* Ideally, use {@link realMapTag} instead.
*
* @category Tags
*/
var mapTag = defineMappingTag("tag:yaml.org,2002:map", {
	create: () => ({}),
	identify: isPlainObject,
	represent: (o) => {
		const map = /* @__PURE__ */ new Map();
		for (const key of Object.keys(o)) map.set(key, o[key]);
		return map;
	},
	addPair: (container, key, value) => {
		if (key !== null && typeof key === "object") return "object-based map does not support complex keys";
		const normalizedKey = String(key);
		if (normalizedKey === "__proto__") Object.defineProperty(container, normalizedKey, {
			value,
			enumerable: true,
			configurable: true,
			writable: true
		});
		else container[normalizedKey] = value;
		return "";
	},
	has: (container, key) => {
		if (key !== null && typeof key === "object") return false;
		return Object.prototype.hasOwnProperty.call(container, String(key));
	},
	keys: (container) => Object.keys(container),
	get: (container, key) => {
		const normalizedKey = String(key);
		if (!Object.prototype.hasOwnProperty.call(container, normalizedKey)) return null;
		return container[normalizedKey];
	}
});
//#endregion
//#region src/tag/mapping/set.ts
/**
* The YAML 1.1 `!!set` tag, represented as a JavaScript `Set`.
*
* @category Tags
*/
var setTag = defineMappingTag("tag:yaml.org,2002:set", {
	create: () => /* @__PURE__ */ new Set(),
	identify: (data) => data instanceof Set,
	represent: (data) => {
		const map = /* @__PURE__ */ new Map();
		for (const key of data) map.set(key, null);
		return map;
	},
	addPair: (container, key, value) => {
		if (value !== null) return "cannot resolve a set item";
		container.add(key);
		return "";
	},
	has: (container, key) => container.has(key),
	keys: (container) => container.keys(),
	get: () => null
});
//#endregion
//#region src/schema.ts
function createTagDefinitionMap() {
	return {
		scalar: Object.create(null),
		sequence: Object.create(null),
		mapping: Object.create(null)
	};
}
function createTagDefinitionListMap() {
	return {
		scalar: [],
		sequence: [],
		mapping: []
	};
}
function compileTags(tags) {
	const result = [];
	for (const tag of tags) {
		let index = result.length;
		for (let previousIndex = 0; previousIndex < result.length; previousIndex++) {
			const previous = result[previousIndex];
			if (previous.nodeKind === tag.nodeKind && previous.tagName === tag.tagName && previous.matchByTagPrefix === tag.matchByTagPrefix) {
				index = previousIndex;
				break;
			}
		}
		result[index] = tag;
	}
	return result;
}
/**
* Controls tag resolution when loading and type selection when dumping.
*
* @category Schemas
*/
var Schema = class Schema {
	tags;
	/** @internal */
	implicitScalarTags;
	/**
	* Dispatch implicit scalar resolvers by `source.charAt(0)`. Each bucket holds
	* the resolvers that may match that key, in schema order; a key absent from
	* the map uses
	* {@link Schema.implicitScalarAnyFirstChar}
	* (resolvers that declared no first-char constraint, so they apply to any
	* first character).
	*/
	implicitScalarByFirstChar;
	implicitScalarAnyFirstChar;
	/**
	* The default scalar tag (`!!str`), resolved once so the composer's fallback
	* for unresolved plain scalars avoids a keyed lookup per scalar.
	*
	* @internal
	*/
	defaultScalarTag;
	/**
	* The default container tags (`!!seq` / `!!map`), used by the dumper: when a
	* value is identified by its default tag, the tag is implicit and not
	* printed. Undefined if the schema does not define them (then such values
	* can't be dumped).
	*
	* @internal
	*/
	defaultSequenceTag;
	/** @internal */
	defaultMappingTag;
	exact;
	prefix;
	constructor(tags) {
		const compiledTags = compileTags(tags);
		const implicitScalarTags = [];
		const exact = createTagDefinitionMap();
		const prefix = createTagDefinitionListMap();
		for (const tag of compiledTags) {
			if (tag.nodeKind === "scalar" && tag.implicit) {
				if (tag.matchByTagPrefix) throw new Error("Implicit scalar tags cannot match by tag prefix");
				implicitScalarTags.push(tag);
			}
			switch (tag.nodeKind) {
				case "scalar":
					if (tag.matchByTagPrefix) prefix.scalar.push(tag);
					else exact.scalar[tag.tagName] = tag;
					break;
				case "sequence":
					if (tag.matchByTagPrefix) prefix.sequence.push(tag);
					else exact.sequence[tag.tagName] = tag;
					break;
				case "mapping": if (tag.matchByTagPrefix) prefix.mapping.push(tag);
				else exact.mapping[tag.tagName] = tag;
			}
		}
		const implicitScalarAnyFirstChar = implicitScalarTags.filter((tag) => tag.implicitFirstChars === null);
		const keys = /* @__PURE__ */ new Set();
		for (const tag of implicitScalarTags) if (tag.implicitFirstChars !== null) for (const key of tag.implicitFirstChars) keys.add(key);
		const implicitScalarByFirstChar = /* @__PURE__ */ new Map();
		for (const key of keys) implicitScalarByFirstChar.set(key, implicitScalarTags.filter((tag) => tag.implicitFirstChars === null || tag.implicitFirstChars.indexOf(key) !== -1));
		const defaultScalarTag = exact.scalar["tag:yaml.org,2002:str"];
		if (!defaultScalarTag) throw new Error("schema does not define the default scalar tag (tag:yaml.org,2002:str)");
		this.tags = compiledTags;
		this.implicitScalarTags = implicitScalarTags;
		this.implicitScalarByFirstChar = implicitScalarByFirstChar;
		this.implicitScalarAnyFirstChar = implicitScalarAnyFirstChar;
		this.defaultScalarTag = defaultScalarTag;
		this.defaultSequenceTag = exact.sequence["tag:yaml.org,2002:seq"];
		this.defaultMappingTag = exact.mapping["tag:yaml.org,2002:map"];
		this.exact = exact;
		this.prefix = prefix;
	}
	/** @internal */
	lookupScalarTag(tagName) {
		const exactTag = this.exact.scalar[tagName];
		if (exactTag) return exactTag;
		for (const tag of this.prefix.scalar) if (tagName.startsWith(tag.tagName)) return tag;
	}
	/** @internal */
	lookupSequenceTag(tagName) {
		const exactTag = this.exact.sequence[tagName];
		if (exactTag) return exactTag;
		for (const tag of this.prefix.sequence) if (tagName.startsWith(tag.tagName)) return tag;
	}
	/** @internal */
	lookupMappingTag(tagName) {
		const exactTag = this.exact.mapping[tagName];
		if (exactTag) return exactTag;
		for (const tag of this.prefix.mapping) if (tagName.startsWith(tag.tagName)) return tag;
	}
	/** @internal */
	resolveImplicitScalarTag(source) {
		const candidates = this.implicitScalarByFirstChar.get(source.charAt(0)) ?? this.implicitScalarAnyFirstChar;
		for (const tag of candidates) {
			const value = tag.resolve(source, false, tag.tagName);
			if (value !== NOT_RESOLVED) return {
				value,
				tag
			};
		}
		const tag = this.defaultScalarTag;
		return {
			value: tag.resolve(source, false, tag.tagName),
			tag
		};
	}
	/**
	* Creates a new schema with the specified tags added. If a tag already
	* exists, it is replaced by the specified tag.
	*
	* @example
	*
	* ```javascript
	* import { CORE_SCHEMA, mergeTag, realMapTag } from 'js-yaml'
	*
	* const schema = CORE_SCHEMA.withTags(mergeTag, realMapTag)
	* ```
	*/
	withTags(...tags) {
		let flatTags = [];
		for (const tag of tags) flatTags = flatTags.concat(tag);
		return new Schema([...this.tags, ...flatTags]);
	}
};
/**
* The YAML 1.2 Failsafe Schema: strings, sequences, and mappings.
*
* @category Schemas
*/
var FAILSAFE_SCHEMA = new Schema([
	strTag,
	seqTag,
	mapTag
]);
/**
* The YAML 1.2 JSON Schema. It uses JSON scalar forms while retaining YAML
* collection syntax.
*
* @category Schemas
*/
var JSON_SCHEMA = new Schema([
	...FAILSAFE_SCHEMA.tags,
	nullJsonTag,
	boolJsonTag,
	intJsonTag,
	floatJsonTag
]);
/**
* The default schema for the loaders. Note, {@link CORE_SCHEMA} comes
* without the `!!merge` tag. You can easily enable it if needed.
*
* @example
* Enable {@link mergeTag}:
*
* ```javascript
* import { load, CORE_SCHEMA, mergeTag } from 'js-yaml'
*
* try {
*   load(data, { schema: CORE_SCHEMA.withTags(mergeTag) })
* } catch (e) {
*   console.error(e)
* }
* ```
*
* @category Schemas
*/
var CORE_SCHEMA = new Schema([
	...FAILSAFE_SCHEMA.tags,
	nullCoreTag,
	boolCoreTag,
	intCoreTag,
	floatCoreTag
]);
/**
* YAML 1.1-compatible schema.
*
* @category Schemas
*/
var YAML11_SCHEMA = new Schema([
	...FAILSAFE_SCHEMA.tags,
	nullYaml11Tag,
	boolYaml11Tag,
	intYaml11Tag,
	floatYaml11Tag,
	timestampTag,
	mergeTag,
	binaryTag,
	omapTag,
	pairsTag,
	setTag
]);
/**
* The dumper schema for maximum compatibility. It combines all supported type
* variants from YAML 1.1 and YAML 1.2 so strings matching any of them are
* quoted. This makes the generated YAML more compatible with other parsers.
*
* The schema is based on YAML 1.1, but extends `!!int` and `!!float` to accept
* both YAML 1.1 and Core Schema forms, since Core Schema supports some forms
* that YAML 1.1 does not.
*
* @category Schemas
*/
var DUMP_SCHEMA = YAML11_SCHEMA.withTags({
	...intYaml11Tag,
	resolve: (source, isExplicit, tagName) => {
		const result = intYaml11Tag.resolve(source, isExplicit, tagName);
		return result === NOT_RESOLVED ? intCoreTag.resolve(source, isExplicit, tagName) : result;
	}
}, {
	...floatYaml11Tag,
	resolve: (source, isExplicit, tagName) => {
		const result = floatYaml11Tag.resolve(source, isExplicit, tagName);
		return result === NOT_RESOLVED ? floatCoreTag.resolve(source, isExplicit, tagName) : result;
	}
});
//#endregion
//#region src/tag/mapping/real_map.ts
/**
* Recommended when non-string keys are actually needed. It uses native
* JavaScript `Map` objects, so keys keep their constructed types instead of
* being converted to strings.
*
* It is not the default to avoid widespread breaking changes in existing
* projects. `Map` has a different access API and does not pass deep equality
* checks against `{}`-based fixtures. Alongside the other changes in v5,
* making it the default was considered too disruptive.
*
* If these differences are acceptable for your project, we recommend using
* {@link realMapTag} to guarantee the absence of problems and side effects.
*
* @example
* Enable {@link realMapTag}:
*
* ```javascript
* import { load, CORE_SCHEMA, realMapTag } from 'js-yaml'
*
* try {
*   load(data, { schema: CORE_SCHEMA.withTags(realMapTag) })
* } catch (e) {
*   console.error(e)
* }
* ```
*
* @category Tags
*/
var realMapTag = defineMappingTag("tag:yaml.org,2002:map", {
	create: () => /* @__PURE__ */ new Map(),
	addPair: (container, key, value) => {
		container.set(key, value);
		return "";
	},
	has: (container, key) => container.has(key),
	keys: (container) => container.keys(),
	get: (container, key) => container.get(key),
	identify: (data) => data instanceof Map || isPlainObject(data),
	represent: (data) => {
		if (data instanceof Map) return data;
		const map = /* @__PURE__ */ new Map();
		const obj = data;
		for (const key of Object.keys(obj)) map.set(key, obj[key]);
		return map;
	}
});
//#endregion
//#region src/tag/mapping/legacy_map.ts
function normalizeKey(key) {
	if (Array.isArray(key)) {
		const array = Array.prototype.slice.call(key);
		for (let index = 0; index < array.length; index++) {
			if (Array.isArray(array[index])) return null;
			if (typeof array[index] === "object" && Object.prototype.toString.call(array[index]) === "[object Object]") array[index] = "[object Object]";
		}
		return String(array);
	}
	if (typeof key === "object" && Object.prototype.toString.call(key) === "[object Object]") return "[object Object]";
	return String(key);
}
/**
* This implementation exists solely to reproduce v4 behavior exactly. Its use
* is strongly discouraged. If complex or non-string keys are needed, use
* {@link realMapTag} instead.
*
* @category Tags
*/
var legacyMapTag = defineMappingTag("tag:yaml.org,2002:map", {
	create: () => ({}),
	identify: isPlainObject,
	represent: (o) => {
		const map = /* @__PURE__ */ new Map();
		for (const key of Object.keys(o)) map.set(key, o[key]);
		return map;
	},
	addPair: (container, key, value) => {
		const normalizedKey = normalizeKey(key);
		if (normalizedKey === null) return "nested arrays are not supported inside keys";
		if (normalizedKey === "__proto__") Object.defineProperty(container, normalizedKey, {
			value,
			enumerable: true,
			configurable: true,
			writable: true
		});
		else container[normalizedKey] = value;
		return "";
	},
	has: (container, key) => {
		const normalizedKey = normalizeKey(key);
		return normalizedKey !== null && Object.prototype.hasOwnProperty.call(container, normalizedKey);
	},
	keys: (container) => Object.keys(container),
	get: (container, key) => {
		const normalizedKey = String(key);
		if (!Object.prototype.hasOwnProperty.call(container, normalizedKey)) return null;
		return container[normalizedKey];
	}
});
//#endregion
//#region src/common/snippet.ts
var DEFAULT_SNIPPET_OPTIONS = {
	maxLength: 79,
	indent: 1,
	linesBefore: 3,
	linesAfter: 2
};
function getLine(buffer, lineStart, lineEnd, position, maxLineLength) {
	let head = "";
	let tail = "";
	const maxHalfLength = Math.floor(maxLineLength / 2) - 1;
	if (position - lineStart > maxHalfLength) {
		head = " ... ";
		lineStart = position - maxHalfLength + head.length;
	}
	if (lineEnd - position > maxHalfLength) {
		tail = " ...";
		lineEnd = position + maxHalfLength - tail.length;
	}
	return {
		str: head + buffer.slice(lineStart, lineEnd).replace(/\t/g, "→") + tail,
		pos: position - lineStart + head.length
	};
}
function padStart(string, max) {
	return " ".repeat(Math.max(max - string.length, 0)) + string;
}
function makeSnippet(mark, options) {
	if (!mark.buffer) return null;
	const opts = {
		...DEFAULT_SNIPPET_OPTIONS,
		...options
	};
	const re = /\r?\n|\r|\0/g;
	const lineStarts = [0];
	const lineEnds = [];
	let match;
	let foundLineNo = -1;
	while (match = re.exec(mark.buffer)) {
		lineEnds.push(match.index);
		lineStarts.push(match.index + match[0].length);
		if (mark.position <= match.index && foundLineNo < 0) foundLineNo = lineStarts.length - 2;
	}
	if (foundLineNo < 0) foundLineNo = lineStarts.length - 1;
	let result = "";
	const lineNoLength = Math.min(mark.line + opts.linesAfter, lineEnds.length).toString().length;
	const maxLineLength = opts.maxLength - (opts.indent + lineNoLength + 3);
	for (let i = 1; i <= opts.linesBefore; i++) {
		if (foundLineNo - i < 0) break;
		const line = getLine(mark.buffer, lineStarts[foundLineNo - i], lineEnds[foundLineNo - i], mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo - i]), maxLineLength);
		result = `${" ".repeat(opts.indent)}${padStart((mark.line - i + 1).toString(), lineNoLength)} | ${line.str}\n${result}`;
	}
	const line = getLine(mark.buffer, lineStarts[foundLineNo], lineEnds[foundLineNo], mark.position, maxLineLength);
	result += `${" ".repeat(opts.indent)}${padStart((mark.line + 1).toString(), lineNoLength)} | ${line.str}\n`;
	result += `${"-".repeat(opts.indent + lineNoLength + 3 + line.pos)}^\n`;
	for (let i = 1; i <= opts.linesAfter; i++) {
		if (foundLineNo + i >= lineEnds.length) break;
		const line = getLine(mark.buffer, lineStarts[foundLineNo + i], lineEnds[foundLineNo + i], mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo + i]), maxLineLength);
		result += `${" ".repeat(opts.indent)}${padStart((mark.line + i + 1).toString(), lineNoLength)} | ${line.str}\n`;
	}
	return result.replace(/\n$/, "");
}
//#endregion
//#region src/common/exception.ts
function formatError(exception, compact) {
	let where = "";
	if (!exception.mark) return exception.reason;
	if (exception.mark.name) where += `in "${exception.mark.name}" `;
	where += `(${exception.mark.line + 1}:${exception.mark.column + 1})`;
	if (!compact && exception.mark.snippet) where += `\n\n${exception.mark.snippet}`;
	return `${exception.reason} ${where}`;
}
/**
* A YAML error. Unlike an ordinary `Error`, it adds a source snippet showing
* the location of the problem to the error message, when available.
*
* @category Main
*/
var YAMLException = class YAMLException extends Error {
	reason;
	mark;
	/**
	* Optional `mark` contains source snippet data. Usually, use
	* {@link YAMLException.throwAt} instead of passing it directly.
	*/
	constructor(reason, mark) {
		super();
		this.name = "YAMLException";
		this.reason = reason;
		this.mark = mark;
		this.message = formatError(this, false);
		if (Error.captureStackTrace) Error.captureStackTrace(this, this.constructor);
	}
	/**
	* Returns the formatted error, omitting the source snippet in compact mode.
	*/
	toString(compact) {
		return `${this.name}: ${formatError(this, compact)}`;
	}
	/**
	* Builds a YAMLException with a source snippet and throws it. `source` is
	* the raw input text; `position` is an offset into it.
	*/
	static throwAt(source, position, message, filename = "") {
		let line = 0;
		let lineStart = 0;
		for (let index = 0; index < position; index++) {
			const ch = source.charCodeAt(index);
			if (ch === 10) {
				line++;
				lineStart = index + 1;
			} else if (ch === 13) {
				line++;
				if (source.charCodeAt(index + 1) === 10) index++;
				lineStart = index + 1;
			}
		}
		const mark = {
			name: filename,
			buffer: source,
			position,
			line,
			column: position - lineStart
		};
		mark.snippet = makeSnippet(mark);
		throw new YAMLException(message, mark);
	}
};
//#endregion
//#region src/parser/events.ts
/** @category Events */
var EVENT_ID = {
	DOCUMENT: 1,
	SEQUENCE: 2,
	MAPPING: 3,
	SCALAR: 4,
	ALIAS: 5,
	POP: 6
};
/** @category Nodes */
var SCALAR_STYLE = {
	PLAIN: 1,
	SINGLE_QUOTED: 2,
	DOUBLE_QUOTED: 3,
	LITERAL_BLOCK: 4,
	FOLDED_BLOCK: 5
};
/** @category Nodes */
var COLLECTION_STYLE = {
	BLOCK: 1,
	FLOW: 2
};
/** @category Nodes */
var CHOMPING_MODE = {
	CLIP: 1,
	STRIP: 2,
	KEEP: 3
};
//#endregion
//#region src/parser/parser_scalar.ts
var NO_RANGE$3 = -1;
function simpleEscapeSequence(c) {
	switch (c) {
		case 48: return "\0";
		case 97: return "\x07";
		case 98: return "\b";
		case 116: return "	";
		case 9: return "	";
		case 110: return "\n";
		case 118: return "\v";
		case 102: return "\f";
		case 114: return "\r";
		case 101: return "\x1B";
		case 32: return " ";
		case 34: return "\"";
		case 47: return "/";
		case 92: return "\\";
		case 78: return "";
		case 95: return "\xA0";
		case 76: return "\u2028";
		case 80: return "\u2029";
		default: return "";
	}
}
var simpleEscapeCheck = new Array(256);
var simpleEscapeMap = new Array(256);
for (let i = 0; i < 256; i++) {
	simpleEscapeCheck[i] = simpleEscapeSequence(i) ? 1 : 0;
	simpleEscapeMap[i] = simpleEscapeSequence(i);
}
function charFromCodepoint(c) {
	if (c <= 65535) return String.fromCharCode(c);
	return String.fromCharCode((c - 65536 >> 10) + 55296, (c - 65536 & 1023) + 56320);
}
function fromHexCode$1(c) {
	if (c >= 48 && c <= 57) return c - 48;
	return (c | 32) - 97 + 10;
}
function escapedHexLen$1(c) {
	if (c === 120) return 2;
	if (c === 117) return 4;
	return 8;
}
function skipFoldedBreaks(input, position, end) {
	let breaks = 0;
	while (position < end) {
		const ch = input.charCodeAt(position);
		if (ch === 10) {
			breaks++;
			position++;
		} else if (ch === 13) {
			breaks++;
			position++;
			if (input.charCodeAt(position) === 10) position++;
		} else if (ch === 32 || ch === 9) position++;
		else break;
	}
	return {
		position,
		breaks
	};
}
function foldedBreaks(count) {
	if (count === 1) return " ";
	return "\n".repeat(count - 1);
}
function getPlainValue(input, start, end) {
	let result = "";
	let position = start;
	let captureStart = start;
	let captureEnd = start;
	while (position < end) {
		const ch = input.charCodeAt(position);
		if (ch === 10 || ch === 13) {
			result += input.slice(captureStart, captureEnd);
			const fold = skipFoldedBreaks(input, position, end);
			result += foldedBreaks(fold.breaks);
			position = captureStart = captureEnd = fold.position;
		} else {
			position++;
			if (ch !== 32 && ch !== 9) captureEnd = position;
		}
	}
	return result + input.slice(captureStart, captureEnd);
}
function getSingleQuotedValue(input, start, end) {
	let result = "";
	let position = start;
	let captureStart = start;
	let captureEnd = start;
	while (position < end) {
		const ch = input.charCodeAt(position);
		if (ch === 39) {
			result += input.slice(captureStart, position) + "'";
			position += 2;
			captureStart = captureEnd = position;
		} else if (ch === 10 || ch === 13) {
			result += input.slice(captureStart, captureEnd);
			const fold = skipFoldedBreaks(input, position, end);
			result += foldedBreaks(fold.breaks);
			position = captureStart = captureEnd = fold.position;
		} else {
			position++;
			if (ch !== 32 && ch !== 9) captureEnd = position;
		}
	}
	return result + input.slice(captureStart, end);
}
function getDoubleQuotedValue(input, start, end) {
	let result = "";
	let position = start;
	let captureStart = start;
	let captureEnd = start;
	while (position < end) {
		const ch = input.charCodeAt(position);
		if (ch === 92) {
			result += input.slice(captureStart, position);
			position++;
			const escaped = input.charCodeAt(position);
			if (escaped === 10 || escaped === 13) position = skipFoldedBreaks(input, position, end).position;
			else if (escaped < 256 && simpleEscapeCheck[escaped]) {
				result += simpleEscapeMap[escaped];
				position++;
			} else {
				let hexLength = escapedHexLen$1(escaped);
				let hexResult = 0;
				for (; hexLength > 0; hexLength--) {
					position++;
					const digit = fromHexCode$1(input.charCodeAt(position));
					hexResult = (hexResult << 4) + digit;
				}
				result += charFromCodepoint(hexResult);
				position++;
			}
			captureStart = captureEnd = position;
		} else if (ch === 10 || ch === 13) {
			result += input.slice(captureStart, captureEnd);
			const fold = skipFoldedBreaks(input, position, end);
			result += foldedBreaks(fold.breaks);
			position = captureStart = captureEnd = fold.position;
		} else {
			position++;
			if (ch !== 32 && ch !== 9) captureEnd = position;
		}
	}
	return result + input.slice(captureStart, end);
}
function getBlockValue(input, start, end, indent, chomping, folded) {
	const textIndent = indent < 0 ? 0 : indent;
	const region = input.slice(start, end).replace(/\r\n?/g, "\n");
	const lines = region === "" ? [] : (region.endsWith("\n") ? region.slice(0, -1) : region).split("\n");
	let result = "";
	let didReadContent = false;
	let emptyLines = 0;
	let atMoreIndented = false;
	for (const line of lines) {
		let column = 0;
		while (column < textIndent && line.charCodeAt(column) === 32) column++;
		if (indent < 0 || column >= line.length) {
			emptyLines++;
			continue;
		}
		const content = line.slice(textIndent);
		const first = content.charCodeAt(0);
		if (folded) {
			if (first === 32 || first === 9) {
				atMoreIndented = true;
				result += "\n".repeat(didReadContent ? 1 + emptyLines : emptyLines);
			} else if (atMoreIndented) {
				atMoreIndented = false;
				result += "\n".repeat(emptyLines + 1);
			} else if (emptyLines === 0) {
				if (didReadContent) result += " ";
			} else result += "\n".repeat(emptyLines);
		} else result += "\n".repeat(didReadContent ? 1 + emptyLines : emptyLines);
		result += content;
		didReadContent = true;
		emptyLines = 0;
	}
	if (chomping === CHOMPING_MODE.KEEP) result += "\n".repeat(didReadContent ? 1 + emptyLines : emptyLines);
	else if (chomping !== CHOMPING_MODE.STRIP) {
		if (didReadContent) result += "\n";
	}
	return result;
}
/**
* Decodes the scalar referenced by event offsets in `input`.
*
* @category Events
*/
function getScalarValue(input, scalar) {
	if (scalar.valueStart === NO_RANGE$3) return "";
	const { valueStart, valueEnd } = scalar;
	if (scalar.fast) return input.slice(valueStart, valueEnd);
	switch (scalar.style) {
		case SCALAR_STYLE.SINGLE_QUOTED: return getSingleQuotedValue(input, valueStart, valueEnd);
		case SCALAR_STYLE.DOUBLE_QUOTED: return getDoubleQuotedValue(input, valueStart, valueEnd);
		case SCALAR_STYLE.LITERAL_BLOCK: return getBlockValue(input, valueStart, valueEnd, scalar.indent, scalar.chomping, false);
		case SCALAR_STYLE.FOLDED_BLOCK: return getBlockValue(input, valueStart, valueEnd, scalar.indent, scalar.chomping, true);
		default: return getPlainValue(input, valueStart, valueEnd);
	}
}
//#endregion
//#region src/common/tagname.ts
var DEFAULT_TAG_HANDLERS = Object.assign(Object.create(null), {
	"!": "!",
	"!!": "tag:yaml.org,2002:"
});
var TAG_SUFFIX_CHARS = "-#;/?:@&=+$_.~*'()";
var TAG_URI_CHARS = TAG_SUFFIX_CHARS + "!,[]";
var HEX = "0123456789ABCDEF";
function percentByte(byte) {
	return "%" + HEX[byte >> 4] + HEX[byte & 15];
}
function tagPercentEncode(source, isSuffix) {
	const allowed = isSuffix ? TAG_SUFFIX_CHARS : TAG_URI_CHARS;
	let result = "";
	for (let index = 0; index < source.length; index++) {
		let ch = source.charCodeAt(index);
		if (ch >= 48 && ch <= 57 || ch >= 65 && ch <= 90 || ch >= 97 && ch <= 122 || allowed.includes(source[index])) {
			result += source[index];
			continue;
		}
		if (ch >= 55296 && ch <= 56319) ch = 65536 + ((ch & 1023) << 10) + (source.charCodeAt(++index) & 1023);
		if (ch < 128) result += percentByte(ch);
		else if (ch < 2048) result += percentByte(192 | ch >> 6) + percentByte(128 | ch & 63);
		else if (ch < 65536) result += percentByte(224 | ch >> 12) + percentByte(128 | ch >> 6 & 63) + percentByte(128 | ch & 63);
		else result += percentByte(240 | ch >> 18) + percentByte(128 | ch >> 12 & 63) + percentByte(128 | ch >> 6 & 63) + percentByte(128 | ch & 63);
	}
	return result;
}
function tagPercentDecode(source) {
	let result = "";
	let index = 0;
	while (index < source.length) {
		if (source.charCodeAt(index) !== 37) {
			result += source[index++];
			continue;
		}
		let ch = parseInt(source.slice(index + 1, index + 3), 16);
		index += 3;
		if (ch >= 192) {
			let remaining = ch < 224 ? 1 : ch < 240 ? 2 : 3;
			ch &= (1 << 6 - remaining) - 1;
			while (remaining-- > 0) {
				ch = ch << 6 | parseInt(source.slice(index + 1, index + 3), 16) & 63;
				index += 3;
			}
		}
		if (ch < 65536) result += String.fromCharCode(ch);
		else {
			ch -= 65536;
			result += String.fromCharCode(55296 | ch >> 10, 56320 | ch & 1023);
		}
	}
	return result;
}
function tagNameFull(rawTag, tagHandlers) {
	if (rawTag.startsWith("!<") && rawTag.endsWith(">")) return tagPercentDecode(rawTag.slice(2, -1));
	const handleEnd = rawTag.indexOf("!", 1);
	const handle = handleEnd === -1 ? "!" : rawTag.slice(0, handleEnd + 1);
	return tagPercentDecode(tagHandlers?.[handle] ?? DEFAULT_TAG_HANDLERS[handle] ?? handle) + tagPercentDecode(rawTag.slice(handle.length));
}
function tagNameShort(fullTag) {
	let tag = fullTag;
	if (tag.charCodeAt(0) === 33) {
		tag = tag.slice(1);
		return `!${tagPercentEncode(tag, true)}`;
	}
	if (tag.slice(0, 18) === "tag:yaml.org,2002:") return `!!${tagPercentEncode(tag.slice(18), true)}`;
	return `!<${tagPercentEncode(tag, false)}>`;
}
//#endregion
//#region src/parser/constructor.ts
var NO_RANGE$2 = -1;
var MERGE_TAG_NAME = "tag:yaml.org,2002:merge";
var DEFAULT_CONSTRUCTOR_OPTIONS = {
	filename: "",
	schema: CORE_SCHEMA,
	json: false,
	maxTotalMergeKeys: 1e4,
	maxAliases: -1
};
function eventPosition$1(event) {
	if ("tagStart" in event && event.tagStart !== NO_RANGE$2) return event.tagStart;
	if ("anchorStart" in event && event.anchorStart !== NO_RANGE$2) return event.anchorStart;
	if ("valueStart" in event && event.valueStart !== NO_RANGE$2) return event.valueStart;
	if ("start" in event) return event.start;
	return 0;
}
function throwError$1(state, message) {
	YAMLException.throwAt(state.source, state.position, message, state.filename);
}
function finalizeCollection(state, position, tag, carrier) {
	try {
		return tag.finalize(carrier);
	} catch (error) {
		if (error instanceof YAMLException) throw error;
		YAMLException.throwAt(state.source, position, error instanceof Error ? error.message : String(error), state.filename);
	}
}
function constructScalar(state, event) {
	const source = getScalarValue(state.source, event);
	const rawTag = event.tagStart === NO_RANGE$2 ? "" : state.source.slice(event.tagStart, event.tagEnd);
	const strTag = state.schema.defaultScalarTag;
	if (rawTag !== "") {
		if (rawTag === "!") return {
			value: source,
			tag: strTag
		};
		const tagName = tagNameFull(rawTag, state.tagHandlers);
		const scalarTag = state.schema.lookupScalarTag(tagName);
		if (scalarTag) {
			const result = scalarTag.resolve(source, true, tagName);
			if (result === NOT_RESOLVED) throwError$1(state, `cannot resolve a node with !<${tagName}> explicit tag`);
			return {
				value: result,
				tag: scalarTag
			};
		}
		const collectionTagDef = state.schema.lookupMappingTag(tagName) ?? state.schema.lookupSequenceTag(tagName);
		if (collectionTagDef) {
			if (source !== "") throwError$1(state, `cannot resolve a node with !<${tagName}> explicit tag`);
			const carrier = collectionTagDef.create(tagName);
			return {
				value: collectionTagDef.carrierIsResult ? carrier : finalizeCollection(state, state.position, collectionTagDef, carrier),
				tag: collectionTagDef
			};
		}
		throwError$1(state, `unknown scalar tag !<${tagName}>`);
	}
	if (event.style === SCALAR_STYLE.PLAIN) return state.schema.resolveImplicitScalarTag(source);
	return {
		value: strTag.resolve(source, false, strTag.tagName),
		tag: strTag
	};
}
function collectionTagName(state, event, defaultTagName) {
	const rawTag = event.tagStart === NO_RANGE$2 ? "" : state.source.slice(event.tagStart, event.tagEnd);
	return rawTag === "" || rawTag === "!" ? defaultTagName : tagNameFull(rawTag, state.tagHandlers);
}
function isMappingTag(tag) {
	return tag.nodeKind === "mapping";
}
function chargeMergeWork(state) {
	state.totalMergeKeys++;
	if (state.maxTotalMergeKeys !== -1 && state.totalMergeKeys > state.maxTotalMergeKeys) throwError$1(state, `merge keys exceeded maxTotalMergeKeys (${state.maxTotalMergeKeys})`);
}
function mergeKeys(state, frame, source, sourceTag) {
	chargeMergeWork(state);
	for (const sourceKey of sourceTag.keys(source)) {
		chargeMergeWork(state);
		if (frame.tag.has(frame.value, sourceKey)) continue;
		const err = frame.tag.addPair(frame.value, sourceKey, sourceTag.get(source, sourceKey));
		if (err) throwError$1(state, err);
		frame.overridable ??= /* @__PURE__ */ new Set();
		frame.overridable.add(sourceKey);
	}
}
function mergeSource(state, frame, source, sourceTag) {
	state.position = frame.keyPosition;
	if (isMappingTag(sourceTag)) mergeKeys(state, frame, source, sourceTag);
	else if (sourceTag.nodeKind === "sequence" && Array.isArray(source)) {
		if (source.length > 100) throwError$1(state, "abnormal merge sequence size");
		for (const element of source) {
			const elementTag = state.nodeTags.get(element);
			if (!elementTag) throwError$1(state, "cannot merge mappings; the provided source object is unacceptable");
			mergeKeys(state, frame, element, elementTag);
		}
	} else throwError$1(state, "cannot merge mappings; the provided source object is unacceptable");
}
function addMappingValue(state, frame, key, value, tag) {
	state.position = frame.keyPosition;
	if (frame.keyIsMerge) {
		mergeSource(state, frame, value, tag);
		return;
	}
	if (!state.json && frame.tag.has(frame.value, key) && !frame.overridable?.has(key)) throwError$1(state, "duplicated mapping key");
	const err = frame.tag.addPair(frame.value, key, value);
	if (err) throwError$1(state, err);
	frame.overridable?.delete(key);
}
function addValue(state, value, tag) {
	const frame = state.frames[state.frames.length - 1];
	if (frame.kind === "document") {
		frame.value = value;
		frame.hasValue = true;
	} else if (frame.kind === "sequence") {
		if (isMappingTag(tag)) state.nodeTags.set(value, tag);
		const err = frame.tag.addItem(frame.value, value, frame.index++);
		if (err) throwError$1(state, err);
	} else if (frame.hasKey) {
		const key = frame.key;
		frame.key = void 0;
		frame.hasKey = false;
		addMappingValue(state, frame, key, value, tag);
	} else {
		frame.key = value;
		frame.keyPosition = state.position;
		frame.hasKey = true;
		frame.keyIsMerge = tag.tagName === MERGE_TAG_NAME;
	}
}
function storeAnchor(state, event, value, tag, isValueFinal) {
	if (event.anchorStart !== NO_RANGE$2) {
		const anchor = {
			value,
			tag,
			isValueFinal
		};
		state.anchors.set(state.source.slice(event.anchorStart, event.anchorEnd), anchor);
		return anchor;
	}
	return null;
}
/**
* Constructs JavaScript documents directly from parser events, without an
* intermediate AST.
*
* @category Events
*/
function constructFromEvents(events, options) {
	const state = {
		...DEFAULT_CONSTRUCTOR_OPTIONS,
		...options,
		events,
		documents: [],
		eventIndex: 0,
		position: 0,
		frames: [],
		anchors: /* @__PURE__ */ new Map(),
		nodeTags: /* @__PURE__ */ new Map(),
		tagHandlers: Object.create(null),
		totalMergeKeys: 0,
		aliasCount: 0
	};
	while (state.eventIndex < state.events.length) {
		const event = state.events[state.eventIndex++];
		state.position = eventPosition$1(event);
		switch (event.type) {
			case EVENT_ID.DOCUMENT:
				state.anchors = /* @__PURE__ */ new Map();
				state.nodeTags = /* @__PURE__ */ new Map();
				state.aliasCount = 0;
				state.tagHandlers = Object.create(null);
				for (const directive of event.directives) if (directive.kind === "tag") state.tagHandlers[directive.handle] = directive.prefix;
				state.frames.push({
					kind: "document",
					position: state.position,
					value: void 0,
					hasValue: false
				});
				break;
			case EVENT_ID.SCALAR: {
				const { value, tag } = constructScalar(state, event);
				storeAnchor(state, event, value, tag, true);
				addValue(state, value, tag);
				break;
			}
			case EVENT_ID.SEQUENCE: {
				const tagName = collectionTagName(state, event, "tag:yaml.org,2002:seq");
				const tag = state.schema.lookupSequenceTag(tagName);
				if (!tag) throwError$1(state, `unknown sequence tag !<${tagName}>`);
				const value = tag.create(tagName);
				const anchor = storeAnchor(state, event, value, tag, tag.carrierIsResult);
				state.frames.push({
					kind: "sequence",
					position: state.position,
					value,
					tag,
					anchor,
					index: 0
				});
				break;
			}
			case EVENT_ID.MAPPING: {
				const tagName = collectionTagName(state, event, "tag:yaml.org,2002:map");
				const tag = state.schema.lookupMappingTag(tagName);
				if (!tag) throwError$1(state, `unknown mapping tag !<${tagName}>`);
				const value = tag.create(tagName);
				const anchor = storeAnchor(state, event, value, tag, tag.carrierIsResult);
				state.frames.push({
					kind: "mapping",
					position: state.position,
					value,
					tag,
					anchor,
					key: void 0,
					keyPosition: state.position,
					hasKey: false,
					keyIsMerge: false,
					overridable: null
				});
				break;
			}
			case EVENT_ID.ALIAS: {
				if (state.maxAliases !== -1 && ++state.aliasCount > state.maxAliases) throwError$1(state, `aliases exceeded maxAliases (${state.maxAliases})`);
				const name = state.source.slice(event.anchorStart, event.anchorEnd);
				const anchor = state.anchors.get(name);
				if (!anchor) throwError$1(state, `unidentified alias "${name}"`);
				if (!anchor.isValueFinal) throwError$1(state, `recursive alias "${name}" is not supported for tag ${anchor.tag.tagName} because it uses finalize()`);
				addValue(state, anchor.value, anchor.tag);
				break;
			}
			case EVENT_ID.POP: {
				const frame = state.frames.pop();
				if (frame.kind === "mapping" && frame.hasKey) {
					state.position = frame.keyPosition;
					throwError$1(state, "incomplete mapping pair in event stream");
				}
				if (frame.kind === "document") state.documents.push(frame.value);
				else {
					const value = frame.tag.carrierIsResult ? frame.value : finalizeCollection(state, frame.position, frame.tag, frame.value);
					if (frame.anchor) {
						frame.anchor.value = value;
						frame.anchor.isValueFinal = true;
					}
					addValue(state, value, frame.tag);
				}
				break;
			}
		}
	}
	return state.documents;
}
//#endregion
//#region src/parser/parser.ts
var NO_RANGE$1 = -1;
var HAS_OWN = Object.prototype.hasOwnProperty;
var CONTEXT_FLOW_IN = 1;
var CONTEXT_FLOW_OUT = 2;
var CONTEXT_BLOCK_IN = 3;
var CONTEXT_BLOCK_OUT = 4;
var PATTERN_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
var PATTERN_FLOW_INDICATORS = /[,\[\]{}]/;
var PATTERN_TAG_HANDLE = /^(?:!|!!|![0-9A-Za-z-]+!)$/;
var NS_URI_CHAR = String.raw`(?:%[0-9A-Fa-f]{2}|[0-9A-Za-z\-#;/?:@&=+$,_.!~*'()\[\]])`;
var NS_TAG_CHAR = String.raw`(?:%[0-9A-Fa-f]{2}|[0-9A-Za-z\-#;/?:@&=+$.~*'()_])`;
var PATTERN_TAG_URI = new RegExp(`^(?:${NS_URI_CHAR})*$`);
var PATTERN_TAG_SUFFIX = new RegExp(`^(?:${NS_TAG_CHAR})+$`);
var PATTERN_TAG_PREFIX = new RegExp(`^(?:!(?:${NS_URI_CHAR})*|${NS_TAG_CHAR}(?:${NS_URI_CHAR})*)$`);
var DEFAULT_PARSER_OPTIONS = {
	filename: "",
	maxDepth: 100
};
function addDocumentEvent(state, explicitStart, explicitEnd) {
	state.events.push({
		type: EVENT_ID.DOCUMENT,
		explicitStart,
		explicitEnd,
		directives: state.directives
	});
}
function addSequenceEvent(state, start, anchorStart, anchorEnd, tagStart, tagEnd, style) {
	state.events.push({
		type: EVENT_ID.SEQUENCE,
		start,
		anchorStart,
		anchorEnd,
		tagStart,
		tagEnd,
		style
	});
}
function addMappingEvent(state, start, anchorStart, anchorEnd, tagStart, tagEnd, style) {
	state.events.push({
		type: EVENT_ID.MAPPING,
		start,
		anchorStart,
		anchorEnd,
		tagStart,
		tagEnd,
		style
	});
}
function insertFlowPairMappingEvent(state, snapshot) {
	state.events.splice(snapshot.eventsLength, 0, {
		type: EVENT_ID.MAPPING,
		start: snapshot.position,
		anchorStart: NO_RANGE$1,
		anchorEnd: NO_RANGE$1,
		tagStart: NO_RANGE$1,
		tagEnd: NO_RANGE$1,
		style: COLLECTION_STYLE.FLOW
	});
}
function addScalarEvent(state, valueStart, valueEnd, anchorStart, anchorEnd, tagStart, tagEnd, style, chomping = CHOMPING_MODE.CLIP, indent = -1, fast = false) {
	state.events.push({
		type: EVENT_ID.SCALAR,
		valueStart,
		valueEnd,
		anchorStart,
		anchorEnd,
		tagStart,
		tagEnd,
		style,
		chomping,
		indent,
		fast
	});
}
function addAliasEvent(state, anchorStart, anchorEnd) {
	state.events.push({
		type: EVENT_ID.ALIAS,
		anchorStart,
		anchorEnd
	});
}
function addPopEvent(state) {
	state.events.push({ type: EVENT_ID.POP });
}
function addEmptyScalarEvent(state) {
	addScalarEvent(state, NO_RANGE$1, NO_RANGE$1, NO_RANGE$1, NO_RANGE$1, NO_RANGE$1, NO_RANGE$1, SCALAR_STYLE.PLAIN);
}
function emptyProperties() {
	return {
		anchorStart: NO_RANGE$1,
		anchorEnd: NO_RANGE$1,
		tagStart: NO_RANGE$1,
		tagEnd: NO_RANGE$1
	};
}
function snapshotState(state) {
	return {
		position: state.position,
		line: state.line,
		lineStart: state.lineStart,
		lineIndent: state.lineIndent,
		firstTabInLine: state.firstTabInLine,
		eventsLength: state.events.length
	};
}
function restoreState(state, snapshot) {
	state.position = snapshot.position;
	state.line = snapshot.line;
	state.lineStart = snapshot.lineStart;
	state.lineIndent = snapshot.lineIndent;
	state.firstTabInLine = snapshot.firstTabInLine;
	state.events.length = snapshot.eventsLength;
}
function throwError(state, message) {
	YAMLException.throwAt(state.input.slice(0, state.length), state.position, message, state.filename);
}
function isEol(c) {
	return c === 10 || c === 13;
}
function isWhiteSpace(c) {
	return c === 9 || c === 32;
}
function isWsOrEol(c) {
	return isWhiteSpace(c) || isEol(c);
}
function isWsOrEolOrEnd(c) {
	return c === 0 || isWsOrEol(c);
}
function isFlowIndicator(c) {
	return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}
function fromDecimalCode(c) {
	return c >= 48 && c <= 57 ? c - 48 : -1;
}
function fromHexCode(c) {
	if (c >= 48 && c <= 57) return c - 48;
	const lc = c | 32;
	if (lc >= 97 && lc <= 102) return lc - 97 + 10;
	return -1;
}
function escapedHexLen(c) {
	if (c === 120) return 2;
	if (c === 117) return 4;
	if (c === 85) return 8;
	return 0;
}
function isSimpleEscape(c) {
	return c === 48 || c === 97 || c === 98 || c === 116 || c === 9 || c === 110 || c === 118 || c === 102 || c === 114 || c === 101 || c === 32 || c === 34 || c === 47 || c === 92 || c === 78 || c === 95 || c === 76 || c === 80;
}
function consumeLineBreak(state) {
	if (state.input.charCodeAt(state.position) === 10) state.position++;
	else {
		state.position++;
		if (state.input.charCodeAt(state.position) === 10) state.position++;
	}
	state.line++;
	state.lineStart = state.position;
	state.lineIndent = 0;
	state.firstTabInLine = -1;
}
function skipSeparationSpace(state, allowComments) {
	let lineBreaks = 0;
	let ch = state.input.charCodeAt(state.position);
	let hasSeparation = state.position === state.lineStart || isWsOrEol(state.input.charCodeAt(state.position - 1));
	while (ch !== 0) {
		while (isWhiteSpace(ch)) {
			hasSeparation = true;
			if (ch === 9 && state.firstTabInLine === -1) state.firstTabInLine = state.position;
			ch = state.input.charCodeAt(++state.position);
		}
		if (allowComments && hasSeparation && ch === 35) do
			ch = state.input.charCodeAt(++state.position);
		while (!isEol(ch) && ch !== 0);
		if (!isEol(ch)) break;
		consumeLineBreak(state);
		lineBreaks++;
		hasSeparation = true;
		ch = state.input.charCodeAt(state.position);
		while (ch === 32) {
			state.lineIndent++;
			ch = state.input.charCodeAt(++state.position);
		}
	}
	return lineBreaks;
}
function testDocumentSeparator(state, position = state.position) {
	const ch = state.input.charCodeAt(position);
	if ((ch === 45 || ch === 46) && ch === state.input.charCodeAt(position + 1) && ch === state.input.charCodeAt(position + 2)) {
		const following = state.input.charCodeAt(position + 3);
		return following === 0 || isWsOrEol(following);
	}
	return false;
}
function skipByteOrderMark(state) {
	if (state.position === state.lineStart && state.input.charCodeAt(state.position) === 65279) {
		state.position++;
		state.lineStart = state.position;
	}
}
function testDocumentBoundary(state) {
	if (state.position !== state.lineStart) return false;
	if (testDocumentSeparator(state)) return true;
	if (state.input.charCodeAt(state.position) !== 65279) return false;
	const snapshot = snapshotState(state);
	skipByteOrderMark(state);
	skipSeparationSpace(state, true);
	const ch = state.input.charCodeAt(state.position);
	const result = state.position === state.lineStart && (ch === 37 || ch === 45 && testDocumentSeparator(state));
	restoreState(state, snapshot);
	return result;
}
function skipUntilLineEnd(state) {
	let ch = state.input.charCodeAt(state.position);
	while (ch !== 0 && !isEol(ch)) ch = state.input.charCodeAt(++state.position);
}
function checkPrintable(state, start, end) {
	const match = PATTERN_NON_PRINTABLE.exec(state.input.slice(start, end));
	if (match !== null) {
		state.position = start + match.index + match[0].length - 1;
		throwError(state, "the stream contains non-printable characters");
	}
}
function readTagProperty(state, props, inFlow) {
	if (state.input.charCodeAt(state.position) !== 33) return false;
	if (props.tagStart !== NO_RANGE$1) throwError(state, "duplication of a tag property");
	const start = state.position;
	let isVerbatim = false;
	let isNamed = false;
	let tagHandle = "!";
	let ch = state.input.charCodeAt(++state.position);
	if (ch === 60) {
		isVerbatim = true;
		ch = state.input.charCodeAt(++state.position);
	} else if (ch === 33) {
		isNamed = true;
		tagHandle = "!!";
		ch = state.input.charCodeAt(++state.position);
	}
	let suffixStart = state.position;
	let tagName;
	if (isVerbatim) {
		while (ch !== 0 && ch !== 62) ch = state.input.charCodeAt(++state.position);
		if (ch !== 62) throwError(state, "unexpected end of the stream within a verbatim tag");
		tagName = state.input.slice(suffixStart, state.position);
		state.position++;
	} else {
		while (ch !== 0 && !isWsOrEol(ch) && !(inFlow && isFlowIndicator(ch))) {
			if (ch === 33) {
				if (!isNamed) {
					tagHandle = state.input.slice(suffixStart - 1, state.position + 1);
					if (!PATTERN_TAG_HANDLE.test(tagHandle)) throwError(state, "named tag handle cannot contain such characters");
					isNamed = true;
					suffixStart = state.position + 1;
				} else throwError(state, "tag suffix cannot contain exclamation marks");
			}
			ch = state.input.charCodeAt(++state.position);
		}
		tagName = state.input.slice(suffixStart, state.position);
		if (PATTERN_FLOW_INDICATORS.test(tagName)) throwError(state, "tag suffix cannot contain flow indicator characters");
	}
	if (tagName && !(isVerbatim ? PATTERN_TAG_URI.test(tagName) : PATTERN_TAG_SUFFIX.test(tagName))) throwError(state, `tag name cannot contain such characters: ${tagName}`);
	if (!isVerbatim && tagHandle !== "!" && tagHandle !== "!!" && !HAS_OWN.call(state.tagHandlers, tagHandle)) throwError(state, `undeclared tag handle "${tagHandle}"`);
	props.tagStart = start;
	props.tagEnd = state.position;
	return true;
}
function readAnchorProperty(state, props) {
	if (state.input.charCodeAt(state.position) !== 38) return false;
	if (props.anchorStart !== NO_RANGE$1) throwError(state, "duplication of an anchor property");
	state.position++;
	const start = state.position;
	while (state.input.charCodeAt(state.position) !== 0 && !isWsOrEol(state.input.charCodeAt(state.position)) && !isFlowIndicator(state.input.charCodeAt(state.position))) state.position++;
	if (state.position === start) throwError(state, "name of an anchor node must contain at least one character");
	props.anchorStart = start;
	props.anchorEnd = state.position;
	return true;
}
function readAlias(state, props) {
	if (state.input.charCodeAt(state.position) !== 42) return false;
	if (props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1) throwError(state, "alias node should not have any properties");
	state.position++;
	const start = state.position;
	while (state.input.charCodeAt(state.position) !== 0 && !isWsOrEol(state.input.charCodeAt(state.position)) && !isFlowIndicator(state.input.charCodeAt(state.position))) state.position++;
	if (state.position === start) throwError(state, "name of an alias node must contain at least one character");
	addAliasEvent(state, start, state.position);
	return true;
}
function readFlowScalarBreak(state, nodeIndent) {
	skipSeparationSpace(state, false);
	if (state.lineIndent < nodeIndent) throwError(state, "deficient indentation");
}
function readSingleQuotedScalar(state, nodeIndent, props) {
	if (state.input.charCodeAt(state.position) !== 39) return false;
	state.position++;
	const start = state.position;
	let simple = true;
	while (state.input.charCodeAt(state.position) !== 0) {
		const ch = state.input.charCodeAt(state.position);
		if (ch === 39) {
			if (state.input.charCodeAt(state.position + 1) === 39) {
				simple = false;
				state.position += 2;
				continue;
			}
			const end = state.position;
			state.position++;
			addScalarEvent(state, start, end, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, SCALAR_STYLE.SINGLE_QUOTED, CHOMPING_MODE.CLIP, -1, simple);
			return true;
		}
		if (isEol(ch)) {
			simple = false;
			readFlowScalarBreak(state, nodeIndent);
		} else if (state.position === state.lineStart && testDocumentSeparator(state)) throwError(state, "unexpected end of the document within a single quoted scalar");
		else if (ch !== 9 && ch < 32) throwError(state, "expected valid JSON character");
		else state.position++;
	}
	throwError(state, "unexpected end of the stream within a single quoted scalar");
}
function readDoubleQuotedScalar(state, nodeIndent, props) {
	if (state.input.charCodeAt(state.position) !== 34) return false;
	state.position++;
	const start = state.position;
	let simple = true;
	while (state.input.charCodeAt(state.position) !== 0) {
		const ch = state.input.charCodeAt(state.position);
		if (ch === 34) {
			const end = state.position;
			state.position++;
			addScalarEvent(state, start, end, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, SCALAR_STYLE.DOUBLE_QUOTED, CHOMPING_MODE.CLIP, -1, simple);
			return true;
		}
		if (ch === 92) {
			simple = false;
			const escaped = state.input.charCodeAt(++state.position);
			if (isEol(escaped)) readFlowScalarBreak(state, nodeIndent);
			else if (isSimpleEscape(escaped)) state.position++;
			else {
				let hexLength = escapedHexLen(escaped);
				if (hexLength === 0) throwError(state, "unknown escape sequence");
				while (hexLength-- > 0) {
					state.position++;
					if (fromHexCode(state.input.charCodeAt(state.position)) < 0) throwError(state, "expected hexadecimal character");
				}
				state.position++;
			}
		} else if (isEol(ch)) {
			simple = false;
			readFlowScalarBreak(state, nodeIndent);
		} else if (state.position === state.lineStart && testDocumentSeparator(state)) throwError(state, "unexpected end of the document within a double quoted scalar");
		else if (ch !== 9 && ch < 32) throwError(state, "expected valid JSON character");
		else state.position++;
	}
	throwError(state, "unexpected end of the stream within a double quoted scalar");
}
function readBlockScalar(state, parentIndent, props) {
	const ch = state.input.charCodeAt(state.position);
	let chomping = CHOMPING_MODE.CLIP;
	let indent = -1;
	let detectedIndent = false;
	if (ch !== 124 && ch !== 62) return false;
	const style = ch === 124 ? SCALAR_STYLE.LITERAL_BLOCK : SCALAR_STYLE.FOLDED_BLOCK;
	state.position++;
	while (state.input.charCodeAt(state.position) !== 0) {
		const current = state.input.charCodeAt(state.position);
		const digit = fromDecimalCode(current);
		if (current === 43 || current === 45) {
			if (chomping !== CHOMPING_MODE.CLIP) throwError(state, "repeat of a chomping mode identifier");
			chomping = current === 43 ? CHOMPING_MODE.KEEP : CHOMPING_MODE.STRIP;
			state.position++;
		} else if (digit >= 0) {
			if (digit === 0) throwError(state, "bad explicit indentation width of a block scalar; it cannot be less than one");
			if (detectedIndent) throwError(state, "repeat of an indentation width identifier");
			indent = parentIndent + digit - 1;
			detectedIndent = true;
			state.position++;
		} else break;
	}
	let hadWhitespace = false;
	while (isWhiteSpace(state.input.charCodeAt(state.position))) {
		hadWhitespace = true;
		state.position++;
	}
	if (hadWhitespace && state.input.charCodeAt(state.position) === 35) skipUntilLineEnd(state);
	if (isEol(state.input.charCodeAt(state.position))) consumeLineBreak(state);
	else if (state.input.charCodeAt(state.position) !== 0) throwError(state, "a line break is expected");
	let contentIndent = detectedIndent ? indent : -1;
	let maxLeadingIndent = 0;
	const valueStart = state.position;
	let valueEnd = state.position;
	while (state.input.charCodeAt(state.position) !== 0) {
		const linePosition = state.position;
		let column = 0;
		while (state.input.charCodeAt(linePosition + column) === 32) column++;
		const first = state.input.charCodeAt(linePosition + column);
		if (first === 0) {
			if (contentIndent >= 0) {
				if (column > contentIndent) valueEnd = linePosition + column;
			} else if (column > 0) valueEnd = linePosition + column;
			break;
		}
		if (testDocumentBoundary(state)) break;
		if (!detectedIndent && contentIndent === -1 && isEol(first)) maxLeadingIndent = Math.max(maxLeadingIndent, column);
		if (!detectedIndent && contentIndent === -1 && !isEol(first)) {
			if (first === 9 && column < parentIndent) {
				state.position = linePosition + column;
				throwError(state, "tab characters must not be used in indentation");
			}
			if (column >= parentIndent && column < maxLeadingIndent) {
				state.position = linePosition + column;
				throwError(state, "bad indentation of a mapping entry");
			}
		}
		if (contentIndent === -1 && first !== 0 && !isEol(first) && column < parentIndent) {
			state.lineIndent = column;
			state.position = linePosition + column;
			break;
		}
		if (!detectedIndent && first !== 0 && !isEol(first) && contentIndent === -1) contentIndent = column;
		const requiredIndent = contentIndent === -1 ? parentIndent + 1 : contentIndent;
		if (first !== 0 && !isEol(first) && column < requiredIndent) {
			state.lineIndent = column;
			state.position = linePosition + column;
			break;
		}
		skipUntilLineEnd(state);
		valueEnd = state.position;
		if (isEol(state.input.charCodeAt(state.position))) {
			consumeLineBreak(state);
			valueEnd = state.position;
		}
	}
	checkPrintable(state, valueStart, valueEnd);
	addScalarEvent(state, valueStart, valueEnd, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, style, chomping, contentIndent);
	return true;
}
function canStartPlainScalar(state, nodeContext) {
	const ch = state.input.charCodeAt(state.position);
	const inFlow = nodeContext === CONTEXT_FLOW_IN;
	if (ch === 0 || isWsOrEol(ch) || ch === 35 || ch === 38 || ch === 42 || ch === 33 || ch === 124 || ch === 62 || ch === 39 || ch === 34 || ch === 37 || ch === 64 || ch === 96 || isFlowIndicator(ch)) return false;
	if (ch === 63 || ch === 45) {
		const following = state.input.charCodeAt(state.position + 1);
		if (isWsOrEolOrEnd(following) || inFlow && isFlowIndicator(following)) return false;
	}
	return true;
}
function readPlainScalar(state, nodeIndent, nodeContext, props) {
	if (!canStartPlainScalar(state, nodeContext)) return false;
	const start = state.position;
	let end = state.position;
	let ch = state.input.charCodeAt(state.position);
	const inFlow = nodeContext === CONTEXT_FLOW_IN;
	let multiline = false;
	while (ch !== 0) {
		if (testDocumentBoundary(state)) break;
		if (ch === 58) {
			const following = state.input.charCodeAt(state.position + 1);
			if (isWsOrEolOrEnd(following) || inFlow && isFlowIndicator(following)) break;
		} else if (ch === 35) {
			if (isWsOrEol(state.input.charCodeAt(state.position - 1))) break;
		} else if (inFlow && isFlowIndicator(ch)) break;
		else if (isEol(ch)) {
			const savedPosition = state.position;
			const savedLine = state.line;
			const savedLineStart = state.lineStart;
			const savedLineIndent = state.lineIndent;
			skipSeparationSpace(state, false);
			if (state.lineIndent >= nodeIndent) {
				multiline = true;
				ch = state.input.charCodeAt(state.position);
				continue;
			}
			state.position = savedPosition;
			state.line = savedLine;
			state.lineStart = savedLineStart;
			state.lineIndent = savedLineIndent;
			break;
		}
		if (!isWhiteSpace(ch)) end = state.position + 1;
		ch = state.input.charCodeAt(++state.position);
	}
	if (end === start) return false;
	checkPrintable(state, start, end);
	addScalarEvent(state, start, end, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, SCALAR_STYLE.PLAIN, CHOMPING_MODE.CLIP, -1, !multiline);
	return true;
}
function skipFlowSeparationSpace(state, nodeIndent) {
	const startLine = state.line;
	skipSeparationSpace(state, true);
	if (state.line > startLine && state.lineIndent < nodeIndent || state.firstTabInLine !== -1 && state.lineIndent < nodeIndent) throwError(state, "deficient indentation");
}
function readFlowCollection(state, nodeIndent, props) {
	const ch = state.input.charCodeAt(state.position);
	const isMapping = ch === 123;
	const start = state.position;
	let readNext = true;
	if (ch !== 91 && ch !== 123) return false;
	const terminator = isMapping ? 125 : 93;
	if (isMapping) addMappingEvent(state, start, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, COLLECTION_STYLE.FLOW);
	else addSequenceEvent(state, start, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, COLLECTION_STYLE.FLOW);
	state.position++;
	while (state.input.charCodeAt(state.position) !== 0) {
		skipFlowSeparationSpace(state, nodeIndent);
		let ch = state.input.charCodeAt(state.position);
		if (ch === terminator) {
			state.position++;
			addPopEvent(state);
			return true;
		} else if (!readNext) throwError(state, "missed comma between flow collection entries");
		else if (ch === 44) throwError(state, "expected the node content, but found ','");
		let isPair = false;
		let isExplicitPair = false;
		if (ch === 63 && isWsOrEol(state.input.charCodeAt(state.position + 1))) {
			isPair = isExplicitPair = true;
			state.position += 1;
			skipFlowSeparationSpace(state, nodeIndent);
		}
		const entryLine = state.line;
		const entryStart = snapshotState(state);
		const keyWasRead = parseNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
		skipFlowSeparationSpace(state, nodeIndent);
		ch = state.input.charCodeAt(state.position);
		if ((isMapping || isExplicitPair || state.line === entryLine) && ch === 58) {
			isPair = true;
			state.position++;
			skipFlowSeparationSpace(state, nodeIndent);
			if (!isMapping) {
				insertFlowPairMappingEvent(state, entryStart);
				if (!keyWasRead) addEmptyScalarEvent(state);
			} else if (!keyWasRead) addEmptyScalarEvent(state);
			if (!parseNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true)) addEmptyScalarEvent(state);
			skipFlowSeparationSpace(state, nodeIndent);
			if (!isMapping) addPopEvent(state);
		} else if (isMapping && isPair) {
			if (!keyWasRead) addEmptyScalarEvent(state);
			addEmptyScalarEvent(state);
		} else if (isMapping) addEmptyScalarEvent(state);
		else if (isPair) {
			insertFlowPairMappingEvent(state, entryStart);
			if (!keyWasRead) addEmptyScalarEvent(state);
			addEmptyScalarEvent(state);
			addPopEvent(state);
		}
		ch = state.input.charCodeAt(state.position);
		if (ch === 44) {
			readNext = true;
			state.position++;
		} else readNext = false;
	}
	throwError(state, "unexpected end of the stream within a flow collection");
}
function readBlockSequence(state, nodeIndent, props) {
	if (state.firstTabInLine !== -1 || state.input.charCodeAt(state.position) !== 45 || !isWsOrEolOrEnd(state.input.charCodeAt(state.position + 1))) return false;
	addSequenceEvent(state, state.position, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, COLLECTION_STYLE.BLOCK);
	while (state.input.charCodeAt(state.position) === 45 && isWsOrEolOrEnd(state.input.charCodeAt(state.position + 1))) {
		if (state.firstTabInLine !== -1) {
			state.position = state.firstTabInLine;
			throwError(state, "tab characters must not be used in indentation");
		}
		const entryLine = state.line;
		state.position++;
		const hadBreak = skipSeparationSpace(state, true) > 0;
		if (state.firstTabInLine !== -1 && state.input.charCodeAt(state.position) === 45 && isWsOrEolOrEnd(state.input.charCodeAt(state.position + 1))) throwError(state, "bad indentation of a sequence entry");
		if (hadBreak && state.lineIndent <= nodeIndent) addEmptyScalarEvent(state);
		else parseNode(state, nodeIndent, CONTEXT_BLOCK_IN, false, true);
		skipSeparationSpace(state, true);
		if (state.lineIndent < nodeIndent || state.position >= state.length) break;
		if (state.lineIndent > nodeIndent) throwError(state, "bad indentation of a sequence entry");
		if (state.line === entryLine && state.input.charCodeAt(state.position) === 45 && isWsOrEolOrEnd(state.input.charCodeAt(state.position + 1))) throwError(state, "bad indentation of a sequence entry");
	}
	addPopEvent(state);
	return true;
}
function readBlockMapping(state, nodeIndent, flowIndent, props) {
	let atExplicitKey = false;
	let detected = false;
	let mappingOpened = false;
	let pendingExplicitKey = false;
	if (state.firstTabInLine !== -1) return false;
	let ch = state.input.charCodeAt(state.position);
	while (ch !== 0) {
		if (!atExplicitKey && state.firstTabInLine !== -1) {
			state.position = state.firstTabInLine;
			throwError(state, "tab characters must not be used in indentation");
		}
		const following = state.input.charCodeAt(state.position + 1);
		const entryLine = state.line;
		if ((ch === 63 || ch === 58) && isWsOrEolOrEnd(following)) {
			if (!mappingOpened) {
				addMappingEvent(state, state.position, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, COLLECTION_STYLE.BLOCK);
				mappingOpened = true;
			}
			if (ch === 63) {
				if (atExplicitKey) addEmptyScalarEvent(state);
				detected = true;
				atExplicitKey = true;
			} else if (atExplicitKey) atExplicitKey = false;
			else {
				addEmptyScalarEvent(state);
				detected = true;
				atExplicitKey = false;
			}
			state.position += 1;
			pendingExplicitKey = true;
		} else {
			if (atExplicitKey) {
				addEmptyScalarEvent(state);
				atExplicitKey = false;
			}
			const beforeKey = snapshotState(state);
			if (!parseNode(state, flowIndent, CONTEXT_FLOW_OUT, false, true)) break;
			if (state.line === entryLine) {
				ch = state.input.charCodeAt(state.position);
				while (isWhiteSpace(ch)) ch = state.input.charCodeAt(++state.position);
				if (ch === 58) {
					ch = state.input.charCodeAt(++state.position);
					if (!isWsOrEolOrEnd(ch)) throwError(state, "a whitespace character is expected after the key-value separator within a block mapping");
					if (!mappingOpened) {
						state.events.splice(beforeKey.eventsLength, 0, {
							type: EVENT_ID.MAPPING,
							start: beforeKey.position,
							anchorStart: props.anchorStart,
							anchorEnd: props.anchorEnd,
							tagStart: props.tagStart,
							tagEnd: props.tagEnd,
							style: COLLECTION_STYLE.BLOCK
						});
						mappingOpened = true;
					}
					detected = true;
					atExplicitKey = false;
					pendingExplicitKey = false;
				} else if (detected) throwError(state, "expected ':' after a mapping key");
				else {
					if (props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1) {
						restoreState(state, beforeKey);
						return false;
					}
					return true;
				}
			} else if (detected) throwError(state, "can not read a block mapping entry; a multiline key may not be an implicit key");
			else {
				if (props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1) {
					restoreState(state, beforeKey);
					return false;
				}
				return true;
			}
		}
		if (parseNode(state, nodeIndent, CONTEXT_BLOCK_OUT, true, pendingExplicitKey)) pendingExplicitKey = false;
		if (!atExplicitKey) {
			if (pendingExplicitKey) {
				addEmptyScalarEvent(state);
				pendingExplicitKey = false;
			}
		}
		skipSeparationSpace(state, true);
		ch = state.input.charCodeAt(state.position);
		if ((state.line === entryLine || state.lineIndent > nodeIndent) && ch !== 0) throwError(state, "bad indentation of a mapping entry");
		else if (state.lineIndent < nodeIndent) break;
	}
	if (!detected) return false;
	if (atExplicitKey) addEmptyScalarEvent(state);
	if (mappingOpened) addPopEvent(state);
	return true;
}
function parseNode(state, parentIndent, nodeContext, allowToSeek, allowCompact, allowPropertyMapping = true) {
	if (state.depth >= state.maxDepth) throwError(state, `nesting exceeded maxDepth (${state.maxDepth})`);
	state.depth++;
	let indentStatus = 1;
	let atNewLine = false;
	let hasContent = false;
	let propertyStart = null;
	const props = emptyProperties();
	let allowBlockScalars = nodeContext === CONTEXT_BLOCK_OUT || nodeContext === CONTEXT_BLOCK_IN;
	let allowBlockCollections = allowBlockScalars;
	const allowBlockStyles = allowBlockScalars;
	if (allowToSeek && skipSeparationSpace(state, true)) {
		atNewLine = true;
		if (state.lineIndent > parentIndent) indentStatus = 1;
		else if (state.lineIndent === parentIndent) indentStatus = 0;
		else indentStatus = -1;
	}
	if (indentStatus === 1) while (true) {
		const ch = state.input.charCodeAt(state.position);
		const propertyState = snapshotState(state);
		if (atNewLine && indentStatus !== 1 && (ch === 33 || ch === 38)) break;
		if (atNewLine && allowBlockStyles && (props.tagStart !== NO_RANGE$1 || props.anchorStart !== NO_RANGE$1) && (ch === 33 || ch === 38)) {
			const fallbackState = snapshotState(state);
			const flowIndent = parentIndent + 1;
			if (readBlockMapping(state, state.position - state.lineStart, flowIndent, props) && state.events[fallbackState.eventsLength]?.type === EVENT_ID.MAPPING) {
				state.depth--;
				return true;
			}
			restoreState(state, fallbackState);
		}
		if (atNewLine && (ch === 33 && props.tagStart !== NO_RANGE$1 || ch === 38 && props.anchorStart !== NO_RANGE$1)) break;
		if (!readTagProperty(state, props, nodeContext === CONTEXT_FLOW_IN) && !readAnchorProperty(state, props)) break;
		if (propertyStart === null) propertyStart = propertyState;
		if (skipSeparationSpace(state, true)) {
			atNewLine = true;
			allowBlockCollections = allowBlockStyles;
			if (state.lineIndent > parentIndent) indentStatus = 1;
			else if (state.lineIndent === parentIndent) indentStatus = 0;
			else indentStatus = -1;
		} else allowBlockCollections = false;
	}
	if (allowBlockCollections) allowBlockCollections = atNewLine || allowCompact;
	if (indentStatus === 1 || nodeContext === CONTEXT_BLOCK_OUT) {
		const flowIndent = nodeContext === CONTEXT_FLOW_IN || nodeContext === CONTEXT_FLOW_OUT ? parentIndent : parentIndent + 1;
		const blockIndent = state.position - state.lineStart;
		if (indentStatus === 1) {
			if (allowBlockCollections && (readBlockSequence(state, blockIndent, props) || readBlockMapping(state, blockIndent, flowIndent, props)) || readFlowCollection(state, flowIndent, props)) hasContent = true;
			else {
				const ch = state.input.charCodeAt(state.position);
				if (propertyStart !== null && allowPropertyMapping && allowBlockStyles && !allowBlockCollections && ch !== 124 && ch !== 62) {
					const fallbackState = snapshotState(state);
					const propertyIndent = propertyStart.position - propertyStart.lineStart;
					restoreState(state, propertyStart);
					if (readBlockMapping(state, propertyIndent, flowIndent, emptyProperties()) && state.events[fallbackState.eventsLength]?.type === EVENT_ID.MAPPING) hasContent = true;
					else restoreState(state, fallbackState);
				}
				if (!hasContent && (allowBlockScalars && readBlockScalar(state, flowIndent, props) || readSingleQuotedScalar(state, flowIndent, props) || readDoubleQuotedScalar(state, flowIndent, props) || readAlias(state, props) || readPlainScalar(state, flowIndent, nodeContext, props))) hasContent = true;
			}
		} else if (indentStatus === 0) hasContent = allowBlockCollections && readBlockSequence(state, blockIndent, props);
	}
	allowBlockScalars = allowBlockScalars && !hasContent;
	if (!hasContent && (props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1 || allowBlockScalars)) {
		addScalarEvent(state, NO_RANGE$1, NO_RANGE$1, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, SCALAR_STYLE.PLAIN);
		hasContent = true;
	}
	state.depth--;
	return hasContent || props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1;
}
function readDirective(state) {
	if (state.lineIndent > 0 || state.input.charCodeAt(state.position) !== 37) return false;
	state.position++;
	const nameStart = state.position;
	while (state.input.charCodeAt(state.position) !== 0 && !isWsOrEol(state.input.charCodeAt(state.position))) state.position++;
	const name = state.input.slice(nameStart, state.position);
	const args = [];
	if (name.length === 0) throwError(state, "directive name must not be less than one character in length");
	while (state.input.charCodeAt(state.position) !== 0 && !isEol(state.input.charCodeAt(state.position))) {
		while (isWhiteSpace(state.input.charCodeAt(state.position))) state.position++;
		if (state.input.charCodeAt(state.position) === 35 || isEol(state.input.charCodeAt(state.position)) || state.input.charCodeAt(state.position) === 0) break;
		const start = state.position;
		while (state.input.charCodeAt(state.position) !== 0 && !isWsOrEol(state.input.charCodeAt(state.position))) state.position++;
		args.push(state.input.slice(start, state.position));
	}
	if (isEol(state.input.charCodeAt(state.position))) consumeLineBreak(state);
	if (name === "YAML") {
		if (state.directives.some((directive) => directive.kind === "yaml")) throwError(state, "duplication of %YAML directive");
		if (args.length !== 1) throwError(state, "YAML directive accepts exactly one argument");
		const match = /^([0-9]+)\.([0-9]+)$/.exec(args[0]);
		if (match === null) throwError(state, "ill-formed argument of the YAML directive");
		if (parseInt(match[1], 10) !== 1) throwError(state, "unacceptable YAML version of the document");
		state.directives.push({
			kind: "yaml",
			version: args[0]
		});
	} else if (name === "TAG") {
		if (args.length !== 2) throwError(state, "TAG directive accepts exactly two arguments");
		const [handle, prefix] = args;
		if (!PATTERN_TAG_HANDLE.test(handle)) throwError(state, "ill-formed tag handle (first argument) of the TAG directive");
		if (HAS_OWN.call(state.tagHandlers, handle)) throwError(state, `there is a previously declared suffix for "${handle}" tag handle`);
		if (!PATTERN_TAG_PREFIX.test(prefix)) throwError(state, "ill-formed tag prefix (second argument) of the TAG directive");
		state.tagHandlers[handle] = prefix;
		state.directives.push({
			kind: "tag",
			handle,
			prefix
		});
	}
	return true;
}
function readDocument(state) {
	state.directives = [];
	state.tagHandlers = Object.create(null);
	let hasDirectives = false;
	skipSeparationSpace(state, true);
	while (readDirective(state)) {
		hasDirectives = true;
		skipSeparationSpace(state, true);
	}
	let explicitStart = false;
	let explicitEnd = false;
	let allowCompact = true;
	if (state.lineIndent === 0 && state.input.charCodeAt(state.position) === 45 && state.input.charCodeAt(state.position + 1) === 45 && state.input.charCodeAt(state.position + 2) === 45 && isWsOrEolOrEnd(state.input.charCodeAt(state.position + 3))) {
		explicitStart = true;
		const markerLine = state.line;
		state.position += 3;
		skipSeparationSpace(state, true);
		allowCompact = state.line > markerLine;
	} else if (hasDirectives) throwError(state, "directives end mark is expected");
	const documentEventIndex = state.events.length;
	if (!explicitStart && state.position === state.lineStart && state.input.charCodeAt(state.position) === 46 && testDocumentSeparator(state)) {
		state.position += 3;
		skipSeparationSpace(state, true);
		return;
	}
	addDocumentEvent(state, explicitStart, false);
	if (!parseNode(state, state.lineIndent - 1, CONTEXT_BLOCK_OUT, false, allowCompact, allowCompact)) addEmptyScalarEvent(state);
	skipSeparationSpace(state, true);
	if (state.position === state.lineStart && testDocumentSeparator(state)) {
		explicitEnd = state.input.charCodeAt(state.position) === 46;
		if (explicitEnd) {
			const markerLine = state.line;
			state.position += 3;
			skipSeparationSpace(state, true);
			if (state.line === markerLine && state.position < state.length) throwError(state, "end of the stream or a document separator is expected");
		}
	}
	const documentEvent = state.events[documentEventIndex];
	if (documentEvent?.type === EVENT_ID.DOCUMENT) documentEvent.explicitEnd = explicitEnd;
	addPopEvent(state);
	if (!explicitEnd && state.position < state.length && !testDocumentBoundary(state)) throwError(state, "end of the stream or a document separator is expected");
}
/**
* Parses YAML into a flat event stream referencing source text by offsets.
*
* @category Events
*/
function parseEvents(input, options) {
	const length = input.length;
	const state = {
		...DEFAULT_PARSER_OPTIONS,
		...options,
		input: `${input}\0`,
		length,
		position: 0,
		line: 0,
		lineStart: 0,
		lineIndent: 0,
		firstTabInLine: -1,
		depth: 0,
		directives: [],
		tagHandlers: Object.create(null),
		events: []
	};
	const nullpos = input.indexOf("\0");
	if (nullpos !== -1) YAMLException.throwAt(input, nullpos, "null byte is not allowed in input", state.filename);
	while (state.position < state.length) {
		skipByteOrderMark(state);
		skipSeparationSpace(state, true);
		if (state.position >= state.length) break;
		const documentStart = state.position;
		readDocument(state);
		if (state.position === documentStart)
 /* c8 ignore next */
		throwError(state, "can not read a document");
	}
	return state.events;
}
//#endregion
//#region src/load.ts
var DEFAULT_LOAD_OPTIONS = {
	...DEFAULT_PARSER_OPTIONS,
	...DEFAULT_CONSTRUCTOR_OPTIONS
};
function loadDocuments(input, options = {}) {
	const opts = {
		...DEFAULT_LOAD_OPTIONS,
		...options
	};
	const source = String(input);
	const PARSER_OPT_KEYS = Object.keys(DEFAULT_PARSER_OPTIONS);
	const CONSTRUCTOR_OPT_KEYS = Object.keys(DEFAULT_CONSTRUCTOR_OPTIONS);
	return constructFromEvents(parseEvents(source, pick(opts, PARSER_OPT_KEYS)), {
		...pick(opts, CONSTRUCTOR_OPT_KEYS),
		source
	});
}
function loadAll(input, iteratorOrOptions, options) {
	let iterator = null;
	if (typeof iteratorOrOptions === "function") iterator = iteratorOrOptions;
	else if (iteratorOrOptions !== null && typeof iteratorOrOptions === "object") options = iteratorOrOptions;
	const documents = loadDocuments(input, options);
	if (iterator === null) return documents;
	for (const document of documents) iterator(document);
}
/**
* Parses `string` as a single YAML document. Throws {@link YAMLException} on
* error. This function does not understand multi-document or empty sources; it
* throws an exception on those.
*
* > [!NOTE]
* > 1. When processing untrusted input, see the
* >    [security considerations](../docs/safety.md).
* > 2. All exceptions MUST be caught, not just {@link YAMLException}.
* > 3. The default {@link CORE_SCHEMA} comes without the `!!merge` tag. You can
* >    easily enable it if needed.
* > 4. The default {@link mapTag} is `{}`-object based, with known limitations
* >    (see description). For full compatibility use {@link realMapTag}
* >    instead (it uses native JS `Map`).
*
* @example
* Enable {@link mergeTag} and {@link realMapTag}:
*
* ```javascript
* import { load, CORE_SCHEMA, mergeTag, realMapTag } from 'js-yaml'
*
* try {
*   load(data, { schema: CORE_SCHEMA.withTags(mergeTag, realMapTag) })
* } catch (e) {
*   console.error(e)
* }
* ```
*
* @category Main
*/
function load(input, options) {
	const documents = loadDocuments(input, options);
	if (documents.length === 0) throw new YAMLException("expected a document, but the input is empty");
	if (documents.length === 1) return documents[0];
	throw new YAMLException("expected a single document in the stream, but found more");
}
//#endregion
//#region src/ast/from_js.ts
var INVALID = Symbol("INVALID");
function buildRepresentTypes(schema) {
	const defaultTags = new Set([
		schema.defaultScalarTag,
		schema.defaultSequenceTag,
		schema.defaultMappingTag
	].filter((t) => t !== void 0));
	const implicitScalars = schema.implicitScalarTags;
	const explicitTags = schema.tags.filter((t) => !(t.nodeKind === "scalar" && t.implicit) && !defaultTags.has(t));
	const defaultTagsLast = schema.tags.filter((t) => defaultTags.has(t));
	return [
		...implicitScalars.map((tag) => ({
			tag,
			implicitTag: true
		})),
		...explicitTags.map((tag) => ({
			tag,
			implicitTag: false
		})),
		...defaultTagsLast.map((tag) => ({
			tag,
			implicitTag: true
		}))
	];
}
function matchTag(state, object) {
	for (let index = 0, length = state.representTypes.length; index < length; index += 1) {
		const { tag, implicitTag } = state.representTypes[index];
		if (tag.identify(object)) {
			let tagName;
			if (tag.matchByTagPrefix) tagName = tag.representTagName(object);
			else tagName = tag.tagName;
			return {
				tag,
				tagName,
				implicitTag
			};
		}
	}
	return null;
}
function build(state, object) {
	if (!state.noRefs && object !== null && typeof object === "object") {
		const existing = state.refs.get(object);
		if (existing) {
			if (existing.anchor === void 0) existing.anchor = `ref_${state.refCounter++}`;
			return {
				kind: "alias",
				anchor: existing.anchor
			};
		}
	}
	const matched = matchTag(state, object);
	if (!matched) {
		if (object === void 0) return INVALID;
		if (state.skipInvalid) return INVALID;
		throw new YAMLException(`unacceptable kind of an object to dump ${Object.prototype.toString.call(object)}`);
	}
	const { tag, tagName, implicitTag } = matched;
	const nodeTagName = implicitTag ? tagName : tagNameShort(tagName);
	if (tag.nodeKind === "scalar") return {
		kind: "scalar",
		tag: nodeTagName,
		tagged: !implicitTag,
		style: SCALAR_STYLE.PLAIN,
		value: tag.represent(object)
	};
	if (tag.nodeKind === "sequence") {
		const container = tag.represent(object);
		const node = {
			kind: "sequence",
			tag: nodeTagName,
			tagged: !implicitTag,
			style: COLLECTION_STYLE.BLOCK,
			items: []
		};
		if (!state.noRefs) state.refs.set(object, node);
		for (let index = 0, length = container.length; index < length; index += 1) {
			let item = build(state, container[index]);
			if (item === INVALID && container[index] === void 0) item = build(state, null);
			if (item === INVALID) continue;
			node.items.push(item);
		}
		return node;
	}
	const map = tag.represent(object);
	const node = {
		kind: "mapping",
		tag: nodeTagName,
		tagged: !implicitTag,
		style: COLLECTION_STYLE.BLOCK,
		items: []
	};
	if (!state.noRefs) state.refs.set(object, node);
	for (const [objectKey, objectValue] of map) {
		const key = build(state, objectKey);
		if (key === INVALID) continue;
		const value = build(state, objectValue);
		if (value === INVALID) continue;
		node.items.push({
			key,
			value
		});
	}
	return node;
}
/**
* Convert JS object to AST. A JS value is one YAML document. An unrepresentable
* root becomes an empty document, which the presenter renders as an empty
* string.
*
* @category AST
*/
function jsToAst(input, schema, options = {}) {
	const root = build({
		representTypes: buildRepresentTypes(schema),
		noRefs: options.noRefs ?? false,
		skipInvalid: options.skipInvalid ?? false,
		refs: /* @__PURE__ */ new Map(),
		refCounter: 0
	}, input);
	return [{
		contents: root === INVALID ? null : root,
		directives: []
	}];
}
//#endregion
//#region src/ast/visit.ts
/**
* Return from a visitor to stop the whole traversal.
*
* @category AST
*/
var VISIT_BREAK = Symbol("visit:break");
/**
* Return from a visitor to skip the current node's children.
*
* @category AST
*/
var VISIT_SKIP = Symbol("visit:skip");
function visitNode(node, visitor, ctx) {
	const control = visitor(node, ctx);
	if (control === VISIT_BREAK) return true;
	if (control === VISIT_SKIP) return false;
	const depth = ctx.depth + 1;
	switch (node.kind) {
		case "sequence":
			for (const item of node.items) if (visitNode(item, visitor, {
				depth,
				parent: node,
				isKey: false
			})) return true;
			break;
		case "mapping": for (const { key, value } of node.items) {
			if (visitNode(key, visitor, {
				depth,
				parent: node,
				isKey: true
			})) return true;
			if (visitNode(value, visitor, {
				depth,
				parent: node,
				isKey: false
			})) return true;
		}
	}
	return false;
}
/**
* Walk every node in the documents, calling {@link Visitor} once per
* node (pre-order).
*
* @category AST
*/
function visit(documents, visitor) {
	for (const doc of documents) if (doc.contents && visitNode(doc.contents, visitor, {
		depth: 0,
		parent: null,
		isKey: false
	})) return;
}
//#endregion
//#region src/ast/styler_defaults.ts
function hasBit(mask, bit) {
	return (mask & 1 << bit) !== 0;
}
/**
* Default scalar styling rules in application order.
* See [Scalar styling](../../docs/scalar_styling.md) for usage details.
*
* @category AST
*/
var DEFAULT_SCALAR_STYLE_RULES = {
	applyQuoteFlowKeysOption,
	doubleQuoteForInvisibles,
	doubleQuoteWhitespaceOnly,
	applyForceQuotesOption,
	tryLongOrMultilineAsBlock,
	quoteInvalidPlain,
	fallbackToDoubleQuoted
};
function _preferredQuotedStyle(layout) {
	if (layout.presenterOptions.quoteStyle === "single" && hasBit(layout.allowedStylesMask, SCALAR_STYLE.SINGLE_QUOTED)) return SCALAR_STYLE.SINGLE_QUOTED;
	return SCALAR_STYLE.DOUBLE_QUOTED;
}
function applyQuoteFlowKeysOption(layout) {
	if (!layout.presenterOptions.quoteFlowKeys) return;
	if (!layout.isKey || !layout.flowOnly || layout.style !== SCALAR_STYLE.PLAIN) return;
	layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}
function doubleQuoteForInvisibles(layout) {
	if (layout.style === SCALAR_STYLE.PLAIN && /[\t\x7F-\xA0\u2028\u2029\uFEFF\uFFFE\uFFFF]/.test(layout.node.value)) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}
function doubleQuoteWhitespaceOnly(layout) {
	if (layout.style === SCALAR_STYLE.PLAIN && /^\s+$/.test(layout.node.value)) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}
function applyForceQuotesOption(layout) {
	if (!layout.presenterOptions.forceQuotes) return;
	if (layout.isKey || layout.style !== SCALAR_STYLE.PLAIN) return;
	if (layout.node.tag !== layout.presenterOptions.schema.defaultScalarTag.tagName) return;
	layout.style = layout.node.value.includes("\n") ? SCALAR_STYLE.DOUBLE_QUOTED : _preferredQuotedStyle(layout);
}
function tryLongOrMultilineAsBlock(layout) {
	if (layout.style !== SCALAR_STYLE.PLAIN || layout.isKey) return;
	const value = layout.node.value;
	const multiline = value.indexOf("\n") !== -1;
	if (!hasBit(layout.allowedStylesMask, SCALAR_STYLE.LITERAL_BLOCK)) {
		if (multiline) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
		return;
	}
	const w = layout.presenterOptions.lineWidth;
	if (w === -1) {
		if (multiline) layout.style = SCALAR_STYLE.LITERAL_BLOCK;
		return;
	}
	const availableWidth = Math.max(Math.min(w, 40), w - layout.shiftOfContent);
	let position = 0;
	let shouldFold = false;
	while (position <= value.length) {
		let lineEnd = value.length;
		const nextLineBreak = value.indexOf("\n", position);
		if (nextLineBreak !== -1) lineEnd = nextLineBreak;
		const line = value.slice(position, lineEnd);
		if (line.length > availableWidth && line[0] !== " " && / [^ \t]/.test(line)) shouldFold = true;
		if (nextLineBreak === -1) break;
		position = nextLineBreak + 1;
	}
	if (shouldFold) layout.style = SCALAR_STYLE.FOLDED_BLOCK;
	else if (multiline) layout.style = SCALAR_STYLE.LITERAL_BLOCK;
}
function quoteInvalidPlain(layout) {
	if (layout.style === SCALAR_STYLE.PLAIN && !hasBit(layout.allowedStylesMask, SCALAR_STYLE.PLAIN)) layout.style = _preferredQuotedStyle(layout);
}
function fallbackToDoubleQuoted(layout) {
	if (!hasBit(layout.allowedStylesMask, layout.style)) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}
//#endregion
//#region src/ast/scalar_styler.ts
function setBit(mask, bit) {
	return mask | 1 << bit;
}
var SRC_C_PRINTABLE = "[\\x09\\x0A\\x0D\\x20-\\x7E\\x85\\xA0-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]";
var SRC_B_CHAR = "[\\n\\r]";
var SRC_C_BYTE_ORDER_MARK = "\\uFEFF";
var SRC_S_WHITE = "[ \\t]";
var SRC_NB_CHAR = `(?:(?!(?:${SRC_B_CHAR}|${SRC_C_BYTE_ORDER_MARK}))${SRC_C_PRINTABLE})`;
var SRC_NS_CHAR = `(?:(?!${SRC_S_WHITE})${SRC_NB_CHAR})`;
var SRC_NB_JSON = "[\\x09\\x20-\\uD7FF\\uE000-\\uFFFF\\u{10000}-\\u{10FFFF}]";
var SRC_C_INDICATOR = "[-?:,\\[\\]{}#&*!|>'\"%@`]";
var SRC_C_FLOW_INDICATOR = "[,\\[\\]{}]";
var SRC_NS_PLAIN_SAFE_FLOW_OUT = SRC_NS_CHAR;
var SRC_NS_PLAIN_SAFE_FLOW_IN = `(?:(?!${SRC_C_FLOW_INDICATOR})${SRC_NS_CHAR})`;
var SRC_NS_PLAIN_FIRST_FLOW_OUT = `(?:(?:(?!${SRC_C_INDICATOR})${SRC_NS_CHAR})|[?:-](?=${SRC_NS_PLAIN_SAFE_FLOW_OUT}))`;
var SRC_NS_PLAIN_FIRST_FLOW_IN = `(?:(?:(?!${SRC_C_INDICATOR})${SRC_NS_CHAR})|[?:-](?=${SRC_NS_PLAIN_SAFE_FLOW_IN}))`;
var SRC_NS_PLAIN_CHAR_FLOW_OUT = `(?:(?:(?![:#])${SRC_NS_PLAIN_SAFE_FLOW_OUT})|:(?=${SRC_NS_PLAIN_SAFE_FLOW_OUT}))#*`;
var SRC_NS_PLAIN_CHAR_FLOW_IN = `(?:(?:(?![:#])${SRC_NS_PLAIN_SAFE_FLOW_IN})|:(?=${SRC_NS_PLAIN_SAFE_FLOW_IN}))#*`;
var SRC_NB_NS_PLAIN_IN_LINE_FLOW_OUT = `(?:${SRC_S_WHITE}*${SRC_NS_PLAIN_CHAR_FLOW_OUT})*`;
var SRC_NB_NS_PLAIN_IN_LINE_FLOW_IN = `(?:${SRC_S_WHITE}*${SRC_NS_PLAIN_CHAR_FLOW_IN})*`;
var SRC_NS_PLAIN_ONE_LINE_FLOW_OUT = `${SRC_NS_PLAIN_FIRST_FLOW_OUT}#*${SRC_NB_NS_PLAIN_IN_LINE_FLOW_OUT}`;
var SRC_NS_PLAIN_ONE_LINE_FLOW_IN = `${SRC_NS_PLAIN_FIRST_FLOW_IN}#*${SRC_NB_NS_PLAIN_IN_LINE_FLOW_IN}`;
var SRC_NS_PLAIN_ONE_LINE_BLOCK_KEY = SRC_NS_PLAIN_ONE_LINE_FLOW_OUT;
var SRC_NS_PLAIN_ONE_LINE_FLOW_KEY = SRC_NS_PLAIN_ONE_LINE_FLOW_IN;
var SRC_S_NS_PLAIN_NEXT_LINE_FLOW_OUT = `\\n+${SRC_NS_PLAIN_CHAR_FLOW_OUT}${SRC_NB_NS_PLAIN_IN_LINE_FLOW_OUT}`;
var SRC_S_NS_PLAIN_NEXT_LINE_FLOW_IN = `\\n+${SRC_NS_PLAIN_CHAR_FLOW_IN}${SRC_NB_NS_PLAIN_IN_LINE_FLOW_IN}`;
var SRC_NS_PLAIN_MULTI_LINE_FLOW_OUT = `${SRC_NS_PLAIN_ONE_LINE_FLOW_OUT}(?:${SRC_S_NS_PLAIN_NEXT_LINE_FLOW_OUT})*`;
var SRC_NS_PLAIN_MULTI_LINE_FLOW_IN = `${SRC_NS_PLAIN_ONE_LINE_FLOW_IN}(?:${SRC_S_NS_PLAIN_NEXT_LINE_FLOW_IN})*`;
var NS_PLAIN_FLOW_OUT = new RegExp(`^(?:${SRC_NS_PLAIN_MULTI_LINE_FLOW_OUT})$`, "u");
var NS_PLAIN_FLOW_IN = new RegExp(`^(?:${SRC_NS_PLAIN_MULTI_LINE_FLOW_IN})$`, "u");
var NS_PLAIN_BLOCK_KEY = new RegExp(`^(?:${SRC_NS_PLAIN_ONE_LINE_BLOCK_KEY})$`, "u");
var NS_PLAIN_FLOW_KEY = new RegExp(`^(?:${SRC_NS_PLAIN_ONE_LINE_FLOW_KEY})$`, "u");
var NB_SINGLE_ONE_LINE = new RegExp(`^(?:${SRC_NB_JSON})*$`, "u");
var NB_SINGLE_MULTI_LINE = new RegExp(`^(?:${SRC_NB_JSON}|\\n)*$`, "u");
var BLOCK_SCALAR_CONTENT = new RegExp(`^(?:${SRC_NB_CHAR}|\\n)*$`, "u");
var C_FORBIDDEN_FIRST_LINE = /^(?:---|\.\.\.)(?=$|[ \t\n\r])/;
var C_FORBIDDEN_CONTENT = /^(?:---|\.\.\.)(?=$|[ \t\n\r])/m;
function canUsePlain(layout) {
	const str = layout.node.value;
	if (str !== "") {
		if (!(layout.isKey ? layout.flowOnly ? NS_PLAIN_FLOW_KEY : NS_PLAIN_BLOCK_KEY : layout.flowOnly ? NS_PLAIN_FLOW_IN : NS_PLAIN_FLOW_OUT).test(str)) return false;
		if (layout.shiftOfFirstLine === 0 && C_FORBIDDEN_FIRST_LINE.test(str)) return false;
		if (layout.shiftOfContent === 0) {
			const firstLineBreak = str.indexOf("\n");
			if (firstLineBreak !== -1) {
				const content = str.slice(firstLineBreak + 1);
				if (C_FORBIDDEN_CONTENT.test(content)) return false;
			}
		}
	}
	const resolvedTag = layout.presenterOptions.schema.resolveImplicitScalarTag(str).tag.tagName;
	if (!layout.node.tagged && resolvedTag !== layout.node.tag) return false;
	if (!layout.node.tagged && str === "=" && resolvedTag === layout.presenterOptions.schema.defaultScalarTag.tagName) return false;
	return true;
}
function canUseSingleQuoted(layout) {
	const str = layout.node.value;
	if (!(layout.isKey ? NB_SINGLE_ONE_LINE : NB_SINGLE_MULTI_LINE).test(str)) return false;
	if (/[ \t]\n|\n[ \t]/.test(str)) return false;
	if (!layout.isKey && layout.shiftOfContent === 0) {
		const firstLineBreak = str.indexOf("\n");
		if (firstLineBreak !== -1 && C_FORBIDDEN_CONTENT.test(str.slice(firstLineBreak + 1))) return false;
	}
	return true;
}
function canUseBlock(layout) {
	if (layout.flowOnly || !BLOCK_SCALAR_CONTENT.test(layout.node.value)) return false;
	const contentIndent = layout.shiftOfContent - layout.shiftOfParent;
	if (contentIndent < 1) return false;
	if (contentIndent > 9 && /^\n* /.test(layout.node.value)) return false;
	if (layout.shiftOfContent === 0 && C_FORBIDDEN_CONTENT.test(layout.node.value)) return false;
	return true;
}
function detectAllowedStyles(layout) {
	let mask = setBit(0, SCALAR_STYLE.DOUBLE_QUOTED);
	if (canUsePlain(layout)) mask = setBit(mask, SCALAR_STYLE.PLAIN);
	if (canUseSingleQuoted(layout)) mask = setBit(mask, SCALAR_STYLE.SINGLE_QUOTED);
	if (canUseBlock(layout)) mask = setBit(setBit(mask, SCALAR_STYLE.LITERAL_BLOCK), SCALAR_STYLE.FOLDED_BLOCK);
	layout.allowedStylesMask = mask;
}
function renderScalar(layout) {
	switch (layout.style) {
		case SCALAR_STYLE.PLAIN: return renderPlain(layout);
		case SCALAR_STYLE.SINGLE_QUOTED: return renderSingleQuoted(layout);
		case SCALAR_STYLE.LITERAL_BLOCK: return renderLiteralBlock(layout);
		case SCALAR_STYLE.FOLDED_BLOCK: return renderFoldedBlock(layout);
		case SCALAR_STYLE.DOUBLE_QUOTED: return renderDoubleQuoted(layout);
	}
}
function renderPlain(layout) {
	return encodeFlowBreaks(layout.node.value, layout.shiftOfContent);
}
function renderSingleQuoted(layout) {
	return `'${encodeFlowBreaks(layout.node.value, layout.shiftOfContent).replace(/'/g, "''")}'`;
}
function renderLiteralBlock(layout) {
	const value = layout.node.value;
	return "|" + blockHeader(value, layout.shiftOfParent, layout.shiftOfContent) + dropEndingNewline(indentString(value, layout.shiftOfContent));
}
function renderFoldedBlock(layout) {
	const value = layout.node.value;
	const w = layout.presenterOptions.lineWidth;
	let availableWidth = Infinity;
	if (w !== -1) availableWidth = Math.max(Math.min(w, 40), w - layout.shiftOfContent);
	return ">" + blockHeader(value, layout.shiftOfParent, layout.shiftOfContent) + dropEndingNewline(indentString(foldBlockScalar(value, availableWidth), layout.shiftOfContent));
}
function renderDoubleQuoted(layout) {
	return `"${escapeString(layout.node.value)}"`;
}
function encodeFlowBreaks(string, shiftOfContent) {
	let nextLF = string.indexOf("\n");
	if (nextLF === -1) return string;
	const pad = " ".repeat(shiftOfContent);
	let result = string.slice(0, nextLF);
	const lineRe = /(\n+)([^\n]*)/g;
	lineRe.lastIndex = nextLF;
	let match;
	while (match = lineRe.exec(string)) {
		const breaks = match[1].length;
		const line = match[2];
		result += "\n".repeat(breaks + 1) + pad + line;
	}
	return result;
}
function indentString(string, spaces) {
	const indent = " ".repeat(spaces);
	let position = 0;
	let result = "";
	const length = string.length;
	while (position < length) {
		let line;
		const next = string.indexOf("\n", position);
		if (next === -1) {
			line = string.slice(position);
			position = length;
		} else {
			line = string.slice(position, next + 1);
			position = next + 1;
		}
		if (line.length && line !== "\n") result += indent;
		result += line;
	}
	return result;
}
function needIndentIndicator(string) {
	return /^\n* /.test(string);
}
function blockHeader(string, shiftOfParent, shiftOfContent) {
	const indentIndicator = needIndentIndicator(string) ? String(shiftOfContent - shiftOfParent) : "";
	const clip = string[string.length - 1] === "\n";
	return `${indentIndicator}${clip && (string[string.length - 2] === "\n" || string === "\n") ? "+" : clip ? "" : "-"}\n`;
}
function dropEndingNewline(string) {
	return string[string.length - 1] === "\n" ? string.slice(0, -1) : string;
}
function isMoreIndented(char) {
	return char === " " || char === "	";
}
function foldLine(line, width) {
	if (line === "" || isMoreIndented(line[0])) return line;
	const breakRe = / [^ \t]/g;
	let match;
	let start = 0;
	let end;
	let curr = 0;
	let next = 0;
	let result = "";
	while (match = breakRe.exec(line)) {
		next = match.index;
		if (next - start > width) {
			end = curr > start ? curr : next;
			result += `\n${line.slice(start, end)}`;
			start = end + 1;
		}
		curr = next;
	}
	result += "\n";
	if (line.length - start > width && curr > start) result += `${line.slice(start, curr)}\n${line.slice(curr + 1)}`;
	else result += line.slice(start);
	return result.slice(1);
}
function foldBlockScalar(string, width) {
	const lineRe = /(\n+)([^\n]*)/g;
	let nextLF = string.indexOf("\n");
	if (nextLF === -1) nextLF = string.length;
	lineRe.lastIndex = nextLF;
	let result = foldLine(string.slice(0, nextLF), width);
	let prevMoreIndented = string[0] === "\n" || isMoreIndented(string[0]);
	let moreIndented;
	let match;
	while (match = lineRe.exec(string)) {
		const prefix = match[1];
		const line = match[2];
		moreIndented = line !== "" && isMoreIndented(line[0]);
		result += prefix + (!prevMoreIndented && !moreIndented && line !== "" ? "\n" : "") + foldLine(line, width);
		prevMoreIndented = moreIndented;
	}
	return result;
}
var CHARACTERS_TO_ESCAPE = /["\\\x00-\x1F\x7F-\xA0\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/gu;
function escapeCharacter(character) {
	switch (character) {
		case "\0": return "\\0";
		case "\x07": return "\\a";
		case "\b": return "\\b";
		case "	": return "\\t";
		case "\n": return "\\n";
		case "\v": return "\\v";
		case "\f": return "\\f";
		case "\r": return "\\r";
		case "\x1B": return "\\e";
		case "\"": return "\\\"";
		case "\\": return "\\\\";
		case "": return "\\N";
		case "\xA0": return "\\_";
		case "\u2028": return "\\L";
		case "\u2029": return "\\P";
	}
	const code = character.charCodeAt(0);
	const hex = code.toString(16).toUpperCase();
	if (code <= 255) return `\\x${"0".repeat(2 - hex.length)}${hex}`;
	return `\\u${"0".repeat(4 - hex.length)}${hex}`;
}
function escapeString(string) {
	return string.replace(CHARACTERS_TO_ESCAPE, escapeCharacter);
}
//#endregion
//#region src/ast/presenter.ts
var CHAR_LINE_FEED = 10;
var DEFAULT_PRESENTER_OPTIONS = {
	indent: 2,
	seqNoIndent: false,
	seqInlineFirst: true,
	lineWidth: 80,
	flowBracketPadding: false,
	flowSkipCommaSpace: false,
	flowSkipColonSpace: false,
	quoteFlowKeys: false,
	quoteStyle: "single",
	forceQuotes: false,
	scalarStyleRules: Object.keys(DEFAULT_SCALAR_STYLE_RULES).map((name) => Reflect.get(DEFAULT_SCALAR_STYLE_RULES, name)),
	tagBeforeAnchor: false
};
function nodeTagShort(node) {
	return node.tagged ? node.tag : tagNameShort(node.tag);
}
function createPresenterState(options) {
	const opts = {
		...DEFAULT_PRESENTER_OPTIONS,
		...options
	};
	if (opts.flowSkipColonSpace) opts.quoteFlowKeys = true;
	return {
		...opts,
		defaultScalarTagName: opts.schema.defaultScalarTag.tagName,
		openEnded: false
	};
}
function generateNextLine(state, level) {
	return `\n${" ".repeat(state.indent * level)}`;
}
function scalarLayout(state, node, parent, level, isKey, flowOnly) {
	return {
		node,
		parent,
		level,
		isKey,
		flowOnly,
		shiftOfParent: level === 0 ? -1 : state.indent * (level - 1),
		shiftOfContent: state.indent * Math.max(1, level),
		shiftOfFirstLine: level === 0 ? 0 : state.indent * level,
		presenterOptions: state,
		allowedStylesMask: 0,
		style: node.style
	};
}
function writeFlowSequence(state, level, node) {
	let result = "";
	for (let index = 0, length = node.items.length; index < length; index += 1) {
		const item = writeNode(state, level, node.items[index], node, {}).text;
		if (index > 0) result += `,${!state.flowSkipCommaSpace ? " " : ""}`;
		result += item;
	}
	const pad = state.flowBracketPadding && node.items.length > 0 ? " " : "";
	return `[${pad}${result}${pad}]`;
}
function writeBlockSequence(state, level, node, compact) {
	let result = "";
	for (let index = 0, length = node.items.length; index < length; index += 1) {
		const item = writeNode(state, level + 1, node.items[index], node, {
			block: true,
			compact: state.seqInlineFirst,
			isblockseq: true
		}).text;
		if (!compact || result !== "") result += generateNextLine(state, level);
		if (item === "" || CHAR_LINE_FEED === item.charCodeAt(0)) result += "-";
		else result += "- ";
		result += item;
	}
	return result;
}
function writeFlowMapping(state, level, node) {
	let result = "";
	for (const { key, value } of node.items) {
		let pairBuffer = "";
		if (result !== "") pairBuffer += `,${!state.flowSkipCommaSpace ? " " : ""}`;
		const keyRender = writeNode(state, level, key, node, { iskey: true });
		const keyText = keyRender.text;
		const valueText = writeNode(state, level, value, node, {}).text;
		const sep = state.flowSkipColonSpace || valueText === "" ? "" : " ";
		const keyIsBareProps = key.kind === "scalar" && keyRender.noBody && (key.tagged || key.anchor !== void 0);
		const keyColonSep = key.kind === "alias" || keyIsBareProps ? " " : "";
		pairBuffer += `${keyText}${keyColonSep}:${sep}${valueText}`;
		result += pairBuffer;
	}
	const pad = state.flowBracketPadding && result !== "" ? " " : "";
	return `{${pad}${result}${pad}}`;
}
function writeBlockMapping(state, level, node, compact) {
	let result = "";
	for (let index = 0, length = node.items.length; index < length; index += 1) {
		let pairBuffer = "";
		if (!compact || result !== "") pairBuffer += generateNextLine(state, level);
		const { key, value } = node.items[index];
		const keyIsBlock = (key.kind === "mapping" || key.kind === "sequence") && key.style === COLLECTION_STYLE.BLOCK && key.items.length !== 0 || key.kind === "scalar" && (key.style === SCALAR_STYLE.LITERAL_BLOCK || key.style === SCALAR_STYLE.FOLDED_BLOCK);
		const keyRender = keyIsBlock ? writeNode(state, level + 1, key, node, {
			block: true,
			compact: true,
			isblockseq: !cannotBeCompact(state, key, level + 1)
		}) : writeNode(state, level + 1, key, node, {
			block: true,
			compact: true,
			iskey: true
		});
		const keyText = keyRender.text;
		const keyHasLineBreak = key.kind === "scalar" && key.value.indexOf("\n") !== -1;
		const keyIsTooLong = keyText.length > 1024 && /^[\s\S]{1025}/u.test(keyText);
		const explicitPair = keyIsBlock || keyHasLineBreak || keyIsTooLong;
		if (explicitPair) {
			if (keyText && CHAR_LINE_FEED === keyText.charCodeAt(0)) pairBuffer += "?";
			else pairBuffer += "? ";
		}
		pairBuffer += keyText;
		if (explicitPair) pairBuffer += generateNextLine(state, level);
		const valueText = writeNode(state, level + 1, value, node, {
			block: true,
			compact: explicitPair,
			isblockseq: explicitPair && !cannotBeCompact(state, value, level + 1)
		}).text;
		const keyIsBareProps = key.kind === "scalar" && keyRender.noBody && (key.tagged || key.anchor !== void 0);
		const keyColonSep = !explicitPair && (key.kind === "alias" || keyIsBareProps) ? " " : "";
		if (valueText === "" || CHAR_LINE_FEED === valueText.charCodeAt(0)) pairBuffer += `${keyColonSep}:`;
		else pairBuffer += `${keyColonSep}: `;
		pairBuffer += valueText;
		result += pairBuffer;
	}
	return result;
}
function cannotBeCompact(state, node, level) {
	if (node.kind === "alias") return true;
	return node.tagged || node.anchor !== void 0 || state.indent < 2 && level > 0;
}
function writeNode(state, level, node, parent, ctx) {
	if (node.kind === "alias") {
		state.openEnded = false;
		return {
			text: `*${node.anchor}`,
			noBody: false
		};
	}
	const { block = false, iskey = false, isblockseq = false } = ctx;
	let compact = ctx.compact ?? false;
	const hasAnchor = node.anchor !== void 0;
	if (cannotBeCompact(state, node, level)) compact = false;
	let body;
	let shouldPrintTag = node.tagged;
	const useBlockCollection = block && (node.kind === "mapping" || node.kind === "sequence") && node.style === COLLECTION_STYLE.BLOCK && node.items.length !== 0;
	if (node.kind === "mapping") {
		if (useBlockCollection) body = writeBlockMapping(state, level, node, compact);
		else body = writeFlowMapping(state, level, node);
	} else if (node.kind === "sequence") {
		if (useBlockCollection) {
			if (state.seqNoIndent && !isblockseq && level > 0) body = writeBlockSequence(state, level - 1, node, compact);
			else body = writeBlockSequence(state, level, node, compact);
		} else body = writeFlowSequence(state, level, node);
	} else {
		const layout = scalarLayout(state, node, parent, level, iskey, !block);
		detectAllowedStyles(layout);
		for (const rule of state.scalarStyleRules) rule(layout);
		body = renderScalar(layout);
		state.openEnded = (layout.style === SCALAR_STYLE.LITERAL_BLOCK || layout.style === SCALAR_STYLE.FOLDED_BLOCK) && (node.value === "\n" || node.value.endsWith("\n\n"));
		shouldPrintTag = node.tagged || body === "" && layout.flowOnly && parent?.kind === "sequence" && !hasAnchor || layout.style !== SCALAR_STYLE.PLAIN && node.tag !== state.defaultScalarTagName;
	}
	if ((node.kind === "mapping" || node.kind === "sequence") && !useBlockCollection) state.openEnded = false;
	if (useBlockCollection && compact && level > 0 && state.indent > 2) body = `${" ".repeat(state.indent - 2)}${body}`;
	const noBody = body === "";
	let text = body;
	if (shouldPrintTag || hasAnchor) {
		const props = [];
		const tag = shouldPrintTag ? nodeTagShort(node) : null;
		const anchor = hasAnchor ? `&${node.anchor}` : null;
		if (state.tagBeforeAnchor) {
			if (tag !== null) props.push(tag);
			if (anchor !== null) props.push(anchor);
		} else {
			if (anchor !== null) props.push(anchor);
			if (tag !== null) props.push(tag);
		}
		const sep = body === "" || body.charCodeAt(0) === CHAR_LINE_FEED ? "" : " ";
		text = `${props.join(" ")}${sep}${body}`;
	}
	return {
		text,
		noBody
	};
}
function rootStartsOwnLine(node) {
	return (node.kind === "sequence" || node.kind === "mapping") && node.style === COLLECTION_STYLE.BLOCK && node.items.length !== 0 && !node.tagged && node.anchor === void 0;
}
function writeDocumentDirectives(doc) {
	let result = "";
	for (const directive of doc.directives) {
		if (directive.kind === "yaml") {
			result += `%YAML ${directive.version}\n`;
			continue;
		}
		const { handle, prefix } = directive;
		result += `%TAG ${handle} ${prefix}\n`;
	}
	return result;
}
/**
* Build YAML from AST.
*
* @category AST
*/
function present(documents, options) {
	const state = createPresenterState(options);
	let result = "";
	let previousEnded = false;
	for (let index = 0; index < documents.length; index += 1) {
		const doc = documents[index];
		state.openEnded = false;
		const directives = writeDocumentDirectives(doc);
		const hasDirectives = directives !== "";
		const marker = doc.explicitStart || hasDirectives || index > 0 && !previousEnded;
		result += directives;
		if (doc.contents === null) {
			if (marker) result += "---\n";
		} else if (marker) {
			const body = writeNode(state, 0, doc.contents, null, {
				block: true,
				compact: true
			}).text;
			const sep = body === "" ? "" : hasDirectives || rootStartsOwnLine(doc.contents) ? "\n" : " ";
			result += `---${sep}${body}\n`;
		} else result += writeNode(state, 0, doc.contents, null, {
			block: true,
			compact: true
		}).text + "\n";
		previousEnded = doc.explicitEnd || state.openEnded;
		if (previousEnded) result += "...\n";
	}
	return result;
}
//#endregion
//#region src/dump.ts
var DEFAULT_DUMP_OPTIONS = {
	...DEFAULT_PRESENTER_OPTIONS,
	schema: DUMP_SCHEMA,
	skipInvalid: false,
	noRefs: false,
	flowLevel: -1,
	sortKeys: false,
	transform: () => {}
};
function defaultCompareFn(a, b) {
	const x = String(a);
	const y = String(b);
	if (x < y) return -1;
	if (x > y) return 1;
	return 0;
}
/**
* Serializes JS object as a YAML document. By default it can dump every
* supported YAML type, so it throws an exception if you try to dump regexps or
* functions. However, you can disable exceptions by setting the
* {@link DumpOptions.skipInvalid} option to `true`.
*
* @category Main
*/
function dump(input, options = {}) {
	const opts = {
		...DEFAULT_DUMP_OPTIONS,
		...options
	};
	const documents = jsToAst(input, opts.schema, {
		noRefs: opts.noRefs,
		skipInvalid: opts.skipInvalid
	});
	if (opts.flowLevel >= 0) visit(documents, (node, ctx) => {
		if (ctx.depth < opts.flowLevel) return;
		if (node.kind === "sequence" || node.kind === "mapping") node.style = COLLECTION_STYLE.FLOW;
		return VISIT_SKIP;
	});
	if (opts.sortKeys) {
		const compareFn = opts.sortKeys === true ? defaultCompareFn : opts.sortKeys;
		visit(documents, (node) => {
			if (node.kind !== "mapping") return;
			node.items.sort((a, b) => compareFn(a.key.kind === "scalar" ? a.key.value : "", b.key.kind === "scalar" ? b.key.value : ""));
		});
	}
	opts.transform(documents);
	return present(documents, {
		...pick(opts, Object.keys(DEFAULT_PRESENTER_OPTIONS)),
		schema: opts.schema
	});
}
//#endregion
//#region src/ast/from_events.ts
var NO_RANGE = (/* unused pure expression or super */ null && (-1));
function eventPosition(event) {
	if ("tagStart" in event && event.tagStart !== NO_RANGE) return event.tagStart;
	if ("anchorStart" in event && event.anchorStart !== NO_RANGE) return event.anchorStart;
	if ("valueStart" in event && event.valueStart !== NO_RANGE) return event.valueStart;
	if ("start" in event) return event.start;
	return 0;
}
function rawTag(state, event) {
	return event.tagStart === NO_RANGE ? "" : state.source.slice(event.tagStart, event.tagEnd);
}
function anchorName(state, event) {
	return event.anchorStart === NO_RANGE ? void 0 : state.source.slice(event.anchorStart, event.anchorEnd);
}
function buildScalar(state, event) {
	const value = getScalarValue(state.source, event);
	const raw = rawTag(state, event);
	let tag;
	let tagged = false;
	if (raw !== "") {
		tagged = true;
		tag = raw;
	} else if (event.style === SCALAR_STYLE.PLAIN) tag = state.schema.resolveImplicitScalarTag(value).tag.tagName;
	else tag = state.schema.defaultScalarTag.tagName;
	return {
		kind: "scalar",
		tag,
		tagged,
		style: event.style,
		anchor: anchorName(state, event),
		value
	};
}
function buildCollection(state, event, defaultTagName) {
	const raw = rawTag(state, event);
	let tag;
	let tagged = false;
	if (raw === "") tag = defaultTagName;
	else {
		tag = raw;
		tagged = true;
	}
	return {
		tag,
		tagged,
		style: event.style,
		anchor: anchorName(state, event)
	};
}
function addNode(state, node) {
	const frame = state.frames[state.frames.length - 1];
	if (frame.kind === "document") frame.doc.contents = node;
	else if (frame.kind === "sequence") frame.node.items.push(node);
	else if (frame.key) {
		frame.node.items.push({
			key: frame.key,
			value: node
		});
		frame.key = null;
	} else frame.key = node;
}
/**
* Builds an AST from parser events
*
* @category AST
*/
function eventsToAst(events, options) {
	const state = {
		source: options.source,
		schema: options.schema,
		eventIndex: 0,
		position: 0,
		frames: [],
		documents: []
	};
	while (state.eventIndex < events.length) {
		const event = events[state.eventIndex++];
		state.position = eventPosition(event);
		switch (event.type) {
			case EVENT_ID.DOCUMENT: {
				const doc = {
					contents: null,
					explicitStart: event.explicitStart,
					explicitEnd: event.explicitEnd,
					directives: event.directives
				};
				state.frames.push({
					kind: "document",
					doc
				});
				break;
			}
			case EVENT_ID.SCALAR:
				addNode(state, buildScalar(state, event));
				break;
			case EVENT_ID.SEQUENCE: {
				const { tag, tagged, style, anchor } = buildCollection(state, event, "tag:yaml.org,2002:seq");
				const node = {
					kind: "sequence",
					tag,
					tagged,
					style,
					anchor,
					items: []
				};
				state.frames.push({
					kind: "sequence",
					node
				});
				break;
			}
			case EVENT_ID.MAPPING: {
				const { tag, tagged, style, anchor } = buildCollection(state, event, "tag:yaml.org,2002:map");
				const node = {
					kind: "mapping",
					tag,
					tagged,
					style,
					anchor,
					items: []
				};
				state.frames.push({
					kind: "mapping",
					node,
					key: null
				});
				break;
			}
			case EVENT_ID.ALIAS:
				addNode(state, {
					kind: "alias",
					anchor: state.source.slice(event.anchorStart, event.anchorEnd)
				});
				break;
			case EVENT_ID.POP: {
				const frame = state.frames.pop();
				if (frame.kind === "mapping" && frame.key) throw new Error("incomplete mapping pair in event stream");
				if (frame.kind === "document") state.documents.push(frame.doc);
				else addNode(state, frame.node);
				break;
			}
		}
	}
	return state.documents;
}
//#endregion
//#region src/index.ts
/** @deprecated Use `EVENT_ID.DOCUMENT` instead. @internal */
var EVENT_DOCUMENT = EVENT_ID.DOCUMENT;
/** @deprecated Use `EVENT_ID.SEQUENCE` instead. @internal */
var EVENT_SEQUENCE = EVENT_ID.SEQUENCE;
/** @deprecated Use `EVENT_ID.MAPPING` instead. @internal */
var EVENT_MAPPING = EVENT_ID.MAPPING;
/** @deprecated Use `EVENT_ID.SCALAR` instead. @internal */
var EVENT_SCALAR = EVENT_ID.SCALAR;
/** @deprecated Use `EVENT_ID.ALIAS` instead. @internal */
var EVENT_ALIAS = EVENT_ID.ALIAS;
/** @deprecated Use `EVENT_ID.POP` instead. @internal */
var EVENT_POP = EVENT_ID.POP;
/** @deprecated Use `SCALAR_STYLE.PLAIN` instead. @internal */
var SCALAR_STYLE_PLAIN = SCALAR_STYLE.PLAIN;
/** @deprecated Use `SCALAR_STYLE.SINGLE_QUOTED` instead. @internal */
var SCALAR_STYLE_SINGLE_QUOTED = SCALAR_STYLE.SINGLE_QUOTED;
/** @deprecated Use `SCALAR_STYLE.DOUBLE_QUOTED` instead. @internal */
var SCALAR_STYLE_DOUBLE_QUOTED = SCALAR_STYLE.DOUBLE_QUOTED;
/** @deprecated Use `SCALAR_STYLE.LITERAL_BLOCK` instead. @internal */
var SCALAR_STYLE_LITERAL_BLOCK = SCALAR_STYLE.LITERAL_BLOCK;
/** @deprecated Use `SCALAR_STYLE.FOLDED_BLOCK` instead. @internal */
var SCALAR_STYLE_FOLDED_BLOCK = SCALAR_STYLE.FOLDED_BLOCK;
/** @deprecated Use `COLLECTION_STYLE.BLOCK` instead. @internal */
var COLLECTION_STYLE_BLOCK = COLLECTION_STYLE.BLOCK;
/** @deprecated Use `COLLECTION_STYLE.FLOW` instead. @internal */
var COLLECTION_STYLE_FLOW = COLLECTION_STYLE.FLOW;
/** @deprecated Use `CHOMPING_MODE.CLIP` instead. @internal */
var CHOMPING_CLIP = CHOMPING_MODE.CLIP;
/** @deprecated Use `CHOMPING_MODE.STRIP` instead. @internal */
var CHOMPING_STRIP = CHOMPING_MODE.STRIP;
/** @deprecated Use `CHOMPING_MODE.KEEP` instead. @internal */
var CHOMPING_KEEP = CHOMPING_MODE.KEEP;
//#endregion


//# sourceMappingURL=js-yaml.mjs.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		id: moduleId,
/******/ 		loaded: false,
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Flag the module as loaded
/******/ 	module.loaded = true;
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/node module decorator */
/******/ (() => {
/******/ 	__nccwpck_require__.nmd = (module) => {
/******/ 		module.paths = [];
/******/ 		if (!module.children) module.children = [];
/******/ 		return module;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat */
/******/ 
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = new URL('.', import.meta.url).pathname.slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(1273);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
