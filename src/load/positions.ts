import { EVENT_ID, type Event, getScalarValue, SCALAR_STYLE, type ScalarEvent } from 'js-yaml';
import type { PathSegment } from '../model/types.js';

/**
 * A document's shape with source offsets, read from js-yaml's event stream: just enough to say
 * where a field sits. A map entry is located at its key (the line a human edits); a list item at
 * its first character (`- name: app` is located at `name`). Aliases share their anchor's node, so
 * an aliased field is located where its anchor defines it.
 */
export type DocNode =
  | { kind: 'map'; start: number; entries: MapEntry[]; merges: DocNode[] }
  | { kind: 'seq'; start: number; items: DocNode[] }
  | { kind: 'scalar'; start: number };

interface MapEntry {
  key: string;
  /** The key as YAML 1.1 resolves a plain scalar (`on` -> `true`), to match constructed keys. */
  resolvedKey: string;
  keyStart: number;
  value: DocNode;
}

/** Read the first document's content from its events; null for an empty document. */
export function readTree(events: readonly Event[], source: string): DocNode | null {
  const anchors = new Map<string, DocNode>();
  let i = 0;

  const anchorOf = (e: { anchorStart: number; anchorEnd: number }) =>
    e.anchorStart >= 0 ? source.slice(e.anchorStart, e.anchorEnd).replace(/^[&*]/, '') : undefined;

  const read = (): DocNode => {
    const e = events[i++];
    switch (e.type) {
      case EVENT_ID.SCALAR: {
        const node: DocNode = { kind: 'scalar', start: scalarStart(e, source) };
        remember(anchorOf(e), node);
        return node;
      }
      case EVENT_ID.ALIAS: {
        const target = anchors.get(anchorOf(e) ?? '');
        return target ?? { kind: 'scalar', start: e.anchorStart };
      }
      case EVENT_ID.SEQUENCE: {
        const node: DocNode = { kind: 'seq', start: e.start, items: [] };
        remember(anchorOf(e), node);
        while (events[i].type !== EVENT_ID.POP) node.items.push(read());
        i++;
        return node;
      }
      case EVENT_ID.MAPPING: {
        const node: DocNode = { kind: 'map', start: e.start, entries: [], merges: [] };
        remember(anchorOf(e), node);
        while (events[i].type !== EVENT_ID.POP) {
          const keyEvent = events[i];
          const keyNode = read();
          const value = read();
          if (keyEvent.type !== EVENT_ID.SCALAR) continue; // complex keys never name Kubernetes fields
          const key = getScalarValue(source, keyEvent);
          if (key === '<<' && keyEvent.style === SCALAR_STYLE.PLAIN) {
            node.merges.push(...(value.kind === 'seq' ? value.items : [value]));
            continue;
          }
          const resolvedKey = keyEvent.style === SCALAR_STYLE.PLAIN ? resolvePlainKey(key) : key;
          node.entries.push({ key, resolvedKey, keyStart: keyNode.start, value });
        }
        i++;
        return node;
      }
      default:
        throw new Error(`unexpected YAML event ${e.type}`);
    }
  };

  const remember = (anchor: string | undefined, node: DocNode) => {
    if (anchor) anchors.set(anchor, node);
  };

  while (i < events.length && events[i].type !== EVENT_ID.DOCUMENT) i++;
  i++;
  if (i >= events.length || events[i].type === EVENT_ID.POP) return null;
  return read();
}

/** The offset of the node at `segments`, or of the nearest parent that exists. */
export function locateOffset(root: DocNode, segments: readonly PathSegment[]): number {
  let node: DocNode = root;
  let best = root.start;
  for (const seg of segments) {
    if (typeof seg === 'number') {
      if (node.kind !== 'seq' || !node.items[seg]) break;
      node = node.items[seg];
      best = node.start;
    } else {
      const entry = node.kind === 'map' ? findEntry(node, seg, 0) : undefined;
      if (!entry) break;
      best = entry.keyStart;
      node = entry.value;
    }
  }
  return best;
}

function findEntry(node: DocNode, key: string, depth: number): MapEntry | undefined {
  if (node.kind !== 'map' || depth > 16) return undefined;
  // the last occurrence wins, as it does when the value is built
  for (let k = node.entries.length - 1; k >= 0; k--) {
    const e = node.entries[k];
    if (e.key === key || e.resolvedKey === key) return e;
  }
  for (const merged of node.merges) {
    const found = findEntry(merged, key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Quoted scalars start at their opening quote. */
function scalarStart(e: ScalarEvent, source: string): number {
  const quoted = e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED;
  return quoted && e.valueStart > 0 && /['"]/.test(source[e.valueStart - 1])
    ? e.valueStart - 1
    : e.valueStart;
}

const YAML11_TRUE = /^(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/;
const YAML11_FALSE = /^(n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/;
const YAML11_NULL = /^(~|null|Null|NULL|)$/;

function resolvePlainKey(key: string): string {
  if (YAML11_TRUE.test(key)) return 'true';
  if (YAML11_FALSE.test(key)) return 'false';
  if (YAML11_NULL.test(key)) return 'null';
  if (/^[-+]?(0|[1-9][0-9_]*)$/.test(key)) return String(Number(key.replace(/_/g, '')));
  return key;
}

/**
 * Offsets of a document's nodes in the order a walk of its constructed value visits them: a node,
 * then for a map each key followed by its value's nodes, for a list each item's nodes. Taken from
 * the parse that built the value, so locating a field later needs no second parse. Undefined when
 * the value's shape does not follow the text one to one: aliases and merge keys (one node in the
 * text, many in the value), explicit tags, and integer-like keys, which JavaScript objects reorder.
 */
export function preorderOffsets(events: readonly Event[], source: string): Int32Array | undefined {
  const out: number[] = [];
  return preorderOffsetsInto(events, source, out) === undefined ? undefined : Int32Array.from(out);
}

/**
 * {@link preorderOffsets}, appended to `out` (a file's documents share one array, so that 50,000
 * small documents are not 50,000 typed arrays of their own): how many were appended, or undefined
 * (and `out` as it was) when the offsets do not apply.
 */
export function preorderOffsetsInto(
  events: readonly Event[],
  source: string,
  out: number[],
): number | undefined {
  const before = out.length;
  let i = 0;
  const walk = (): boolean => {
    const e = events[i++];
    switch (e.type) {
      case EVENT_ID.SCALAR:
        if (e.tagStart >= 0) return false;
        out.push(scalarStart(e, source));
        return true;
      case EVENT_ID.SEQUENCE:
        if (e.tagStart >= 0) return false;
        out.push(e.start);
        while (events[i].type !== EVENT_ID.POP) if (!walk()) return false;
        i++;
        return true;
      case EVENT_ID.MAPPING:
        if (e.tagStart >= 0) return false;
        out.push(e.start);
        while (events[i].type !== EVENT_ID.POP) {
          const key = events[i++];
          if (key.type !== EVENT_ID.SCALAR || key.tagStart >= 0) return false;
          // A plain key that starts with a letter is itself, true, false or null: none of them is
          // `<<`, `__proto__` or a number, so most keys are not read. One that starts like a number
          // may be one in any of YAML 1.1's forms (`0x1F`, `0o17`, `1_000`, `+3`): JavaScript would
          // put it first if it is an integer, so such a document is located by parsing it again.
          const first = key.style === SCALAR_STYLE.PLAIN ? source.charCodeAt(key.valueStart) : -1;
          if (first >= 0 && NUMBER_START.test(source[key.valueStart])) return false;
          if (!isLetter(first)) {
            const text = getScalarValue(source, key);
            const resolved = key.style === SCALAR_STYLE.PLAIN ? resolvePlainKey(text) : text;
            if (resolved === '<<' || resolved === '__proto__' || INDEX_LIKE.test(resolved)) return false;
          }
          out.push(scalarStart(key, source));
          if (!walk()) return false;
        }
        i++;
        return true;
      default:
        return false; // aliases
    }
  };
  while (i < events.length && events[i].type !== EVENT_ID.DOCUMENT) i++;
  i++;
  if (i >= events.length || events[i].type === EVENT_ID.POP) return undefined;
  if (walk()) return out.length - before;
  out.length = before;
  return undefined;
}

const NUMBER_START = /[-+.0-9]/;

function isLetter(c: number): boolean {
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
export function locateByOrder(
  offsets: Int32Array,
  root: unknown,
  segments: readonly PathSegment[],
  from = 0,
  count = offsets.length - from,
  prefix: readonly PathSegment[] = NO_SEGMENTS,
  start?: ItemStart,
): number | undefined {
  if (!ordered(root, count)) return undefined;
  let index = start ? start.index : from;
  let node = start ? start.node : root;
  let best = offsets[index];
  // `prefix` then `segments`, without an array of both per call.
  const steps = prefix.length + segments.length;
  for (let k = start ? prefix.length : 0; k < steps; k++) {
    const seg = k < prefix.length ? prefix[k] : segments[k - prefix.length];
    const child = childIndex(node, index, seg);
    if (child < 0) break;
    // A key's own offset for a field (its line), an item's for an item.
    best = offsets[typeof seg === 'number' ? child : child - 1];
    index = child;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return best;
}

/** Where a List item's walk starts: its node and the index of its offset. */
export interface ItemStart {
  node: unknown;
  index: number;
}

/**
 * The node and offset index `prefix` leads to in a document whose offsets (`count` of them, from
 * `from`) apply, or undefined. Found once per List item: its findings then walk only their own
 * path (a 4,000-item List's 40,000 findings walked the List's top for each).
 */
export function itemStartOf(
  root: unknown,
  prefix: readonly PathSegment[],
  from: number,
  count: number,
): ItemStart | undefined {
  if (!ordered(root, count)) return undefined;
  let index = from;
  let node = root;
  for (const seg of prefix) {
    const child = childIndex(node, index, seg);
    if (child < 0) return undefined;
    index = child;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return { node, index };
}

/**
 * The index of the offset of `node[seg]` (its value's, for a key) given `node`'s own at `index`;
 * -1 when it has none.
 */
function childIndex(node: unknown, index: number, seg: PathSegment): number {
  if (typeof seg === 'number') {
    if (!Array.isArray(node) || seg >= node.length) return -1;
    return index + itemStart(node, seg);
  }
  if (!isPlainObject(node) || !Object.hasOwn(node, seg)) return -1;
  // The keys before `seg`, in the object's own order (`for in` over a plain object made from
  // YAML, whose prototype is empty of enumerable keys): no array of keys per finding.
  let j = index + 1;
  for (const key in node) {
    if (key === seg) break;
    j += 1 + nodeCount(node[key]);
  }
  return j + 1;
}

const NO_SEGMENTS: readonly PathSegment[] = [];

/** Whether a value still has the shape it was parsed with: as many nodes as offsets were kept. */
export function ordered(root: unknown, count: number): boolean {
  return nodeCount(root) === count;
}

/**
 * Subtree sizes are asked for again and again while a document's findings are located (every
 * item before the one wanted, for every finding): large subtrees keep theirs, so that locating
 * stays linear in the document however many findings it has (a Deployment with 10,000
 * containers). Small ones are counted again, which is cheaper than remembering them.
 */
const CACHE_FROM = 32;
const sizes = new WeakMap<object, number>();
const itemStarts = new WeakMap<unknown[], Int32Array>();

function nodeCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1;
  const known = sizes.get(value);
  if (known !== undefined) return known;
  let n = 1;
  if (Array.isArray(value)) {
    for (const item of value) n += nodeCount(item);
  } else if (isPlainObject(value)) {
    for (const key in value) n += 1 + nodeCount(value[key]);
  }
  if (n > CACHE_FROM) sizes.set(value, n);
  return n;
}

/** How many nodes after a list's own node its item `k` starts: 1 + the sizes of the items before. */
function itemStart(list: unknown[], k: number): number {
  if (list.length <= CACHE_FROM) {
    let j = 1;
    for (let i = 0; i < k; i++) j += nodeCount(list[i]);
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
