import { getAt } from '../model/path.js';
import { isRecord, type KubeObject, type ObjectRef, type PathSegment, refOf } from '../model/types.js';
import { redactValue } from '../secrets/index.js';
import { isEmptyValue, scalarsEqual, subsetEqual } from './normalize.js';
import { newest, type Ownership, ownershipOf } from './ownership.js';
import { controllerMayOwn, isDeployer, isIgnored } from './policy.js';
import {
  builtInRoot,
  displayPath,
  indexByKey,
  itemKey,
  keyLabel,
  keyString,
  stepPath,
  type TypeNode,
} from './schema.js';
import type { DriftItem, DriftPolicy, DriftType, ManagerEntry } from './types.js';

/**
 * One object: what Git declares against what the cluster holds.
 *
 * - `changed` and `removed` come from walking what Git declares: only declared fields are
 *   compared, so everything the API server defaulted is ignored by construction.
 * - `added` comes from `managedFields`: a field Git does not declare counts only when a manager
 *   other than the deployers (and other than a controller allowed to own it) wrote it.
 * - Lists merge the way server-side apply merges them (`type`, from the API server's OpenAPI v3
 *   or the built-in table): keyed lists pair items by their whole key (a port by number and
 *   protocol), whatever their order; atomic lists (a RoleBinding's subjects) compare whole, in
 *   order. A list whose key is not unique on either side is compared whole.
 */

interface Walk {
  want: KubeObject;
  live: KubeObject;
  ref: ObjectRef;
  own: Ownership;
  policy: DriftPolicy;
  type: TypeNode;
  desired: KubeObject;
  locate?: (segments: readonly PathSegment[]) => string | undefined;
  out: DriftItem[];
}

export interface CompareOptions {
  /** `file:line` where a human edits the field at these segments of Git's object (or its nearest parent). */
  locate?: (segments: readonly PathSegment[]) => string | undefined;
}

export function compareObject(
  desired: KubeObject,
  live: KubeObject,
  policy: DriftPolicy,
  type: TypeNode = builtInRoot(desired.kind),
  options: CompareOptions = {},
): DriftItem[] {
  const want = comparable(desired);
  const ref = refOf(desired);
  if (!ref.namespace && live.metadata?.namespace) ref.namespace = live.metadata.namespace;
  const w: Walk = {
    want,
    live,
    ref,
    own: ownershipOf(live, type),
    policy,
    type,
    desired,
    locate: options.locate,
    out: [],
  };
  for (const [key, value] of Object.entries(want))
    walkDeclared(w, value, live[key], type.field(key), [key], [key], stepPath('', key));
  findAdded(w);
  return w.out;
}

/**
 * What of Git's object is compared: labels and annotations of the metadata (name and namespace
 * identify it, the rest is the server's), everything but `status`, and a Secret's `stringData`
 * folded into `data` the way the API server stores it.
 */
function comparable(desired: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, status: _status, ...rest } = desired;
  const meta: Record<string, unknown> = {};
  if (metadata?.labels) meta.labels = metadata.labels;
  if (metadata?.annotations) meta.annotations = metadata.annotations;
  const out: KubeObject = { apiVersion, kind, metadata: meta, ...rest };
  if (kind === 'Secret' && isRecord(rest.stringData)) {
    const data: Record<string, unknown> = isRecord(rest.data) ? { ...rest.data } : {};
    for (const [k, v] of Object.entries(rest.stringData))
      data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    out.data = data;
    delete out.stringData;
  }
  delete (out as Record<string, unknown>).apiVersion;
  delete (out as Record<string, unknown>).kind;
  return out;
}

/** `path` is the display path of `ws`, built step by step as the walk goes down. */
function walkDeclared(
  w: Walk,
  want: unknown,
  live: unknown,
  type: TypeNode,
  ws: PathSegment[],
  ls: PathSegment[],
  path: string,
): void {
  if (isIgnored(path, w.policy) || isEmptyValue(want)) return;
  if (live === undefined || live === null) {
    report(w, 'removed', ws, ls.slice(0, -1), want, undefined, path);
    return;
  }
  if (isRecord(want)) {
    if (!isRecord(live)) report(w, 'changed', ws, ls, want, live, path);
    else
      for (const [k, v] of Object.entries(want))
        walkDeclared(w, v, live[k], type.field(k), [...ws, k], [...ls, k], stepPath(path, k));
  } else if (Array.isArray(want)) {
    walkList(w, want, live, type, ws, ls, path);
  } else if (!scalarsEqual(want, live, ls)) {
    report(w, 'changed', ws, ls, want, live, path);
  }
}

/**
 * A keyed list pairs items by key, whatever their order; a set needs each of Git's members
 * live; an atomic list (or one that cannot be keyed) compares whole, in order.
 */
function walkList(
  w: Walk,
  want: unknown[],
  live: unknown,
  type: TypeNode,
  ws: PathSegment[],
  ls: PathSegment[],
  path: string,
): void {
  const list = type.list();
  const items = type.items();
  if (list.type === 'map' && Array.isArray(live)) {
    const wanted = indexByKey(want, list, items);
    const found = indexByKey(live, list, items);
    if (wanted && found) {
      for (const [key, i] of wanted) {
        const j = found.get(key);
        const at = `${path}${keyLabel(itemKey(want[i], list, items)!)}`;
        if (j === undefined) report(w, 'removed', [...ws, i], ls, want[i], undefined, at);
        else walkDeclared(w, want[i], live[j], items, [...ws, i], [...ls, j], at);
      }
      return;
    }
  }
  if (list.type === 'set' && Array.isArray(live)) {
    const all = want.every((v) => isEmptyValue(v) || live.some((l) => scalarsEqual(v, l, ls)));
    if (!all) report(w, 'changed', ws, ls, want, live, path);
    return;
  }
  if (!subsetEqual(want, live, ls)) report(w, 'changed', ws, ls, want, live, path);
}

/**
 * Does Git declare the live field at `segments`? Items of keyed lists are found by key; a field
 * inside an atomic list Git declares is declared (the list is compared whole).
 */
function declared(w: Walk, segments: readonly PathSegment[]): boolean {
  return toGit(w, segments).declared;
}

/**
 * Live segments -> Git's: the segments of the same field in Git's object (as far as Git declares
 * it), and whether Git declares all of it.
 */
function toGit(w: Walk, segments: readonly PathSegment[]): { segments: PathSegment[]; declared: boolean } {
  const out: PathSegment[] = [];
  let want: unknown = w.want;
  let live: unknown = w.live;
  let type = w.type;
  const partly = () => ({ segments: out, declared: false });
  for (const seg of segments) {
    if (want === undefined || want === null) return partly();
    if (typeof seg !== 'number') {
      if (!isRecord(want) || !(seg in want)) return partly();
      out.push(seg);
      want = want[seg];
      live = isRecord(live) ? live[seg] : undefined;
      type = type.field(seg);
      continue;
    }
    if (!Array.isArray(want) || !Array.isArray(live)) return partly();
    const list = type.list();
    const items = type.items();
    const item: unknown = live[seg];
    if (list.type === 'set') {
      const i = want.findIndex((v) => scalarsEqual(v, item, []));
      if (i >= 0) out.push(i);
      return { segments: out, declared: i >= 0 };
    }
    const wanted = list.type === 'map' ? indexByKey(want, list, items) : undefined;
    if (!wanted || !indexByKey(live, list, items)) return { segments: out, declared: want.length > 0 };
    const key = itemKey(item, list, items);
    const i = key ? wanted.get(keyString(key, list)) : undefined;
    if (i === undefined) return partly();
    out.push(i);
    want = want[i];
    live = item;
    type = items;
  }
  return { segments: out, declared: want !== undefined };
}

/** Where a field of Git's comparable object sits in Git's own object (a Secret's stringData). */
function sourceOf(w: Walk, ws: readonly PathSegment[]): string | undefined {
  if (!w.locate) return undefined;
  const [top, key] = ws;
  const stringData = w.desired.stringData;
  const own =
    w.ref.kind === 'Secret' &&
    top === 'data' &&
    typeof key === 'string' &&
    isRecord(stringData) &&
    key in stringData
      ? ['stringData', ...ws.slice(1)]
      : ws;
  return w.locate(own);
}

/**
 * Report a changed or removed field. `ls` is the live path of the field (changed) or of its
 * nearest live parent (removed), which is where ownership is looked up.
 */
function report(
  w: Walk,
  type: DriftType,
  ws: PathSegment[],
  ls: PathSegment[],
  want: unknown,
  live: unknown,
  path: string,
): void {
  const owners = w.own.nearestOwners(ls);
  // A controller allowed to own the field (an HPA on replicas) makes the difference legitimate.
  if (owners.some((e) => controllerMayOwn(e, path, w.policy))) return;
  const foreign = owners.filter((e) => !isDeployer(e, w.policy));
  let who = newest(foreign) ?? newest(owners);
  // Nobody owns a removed field any more: the newest non-deployer writer of the object is the lead.
  if (type === 'removed') who = newest(foreign) ?? newestForeignWriter(w);
  push(w, type, path, redactValue(w.ref.kind, w.want, ws, want), redact(w, ls, live), who, sourceOf(w, ws));
}

function newestForeignWriter(w: Walk): ManagerEntry | undefined {
  return newest(
    w.own.entries.filter(
      (e) =>
        e.subresource !== 'status' &&
        !isDeployer(e, w.policy) &&
        !w.policy.controllers.some((c) => c.manager === e.manager),
    ),
  );
}

/** Fields owned by a non-deployer that Git does not declare, reported at the highest node that manager added. */
function findAdded(w: Walk): void {
  const seen = new Set<string>();
  for (const field of w.own.fields) {
    const { entry, segments } = field;
    // A map's own `.` (labels created by `kubectl label`) says nothing its keys do not say.
    if (!field.leaf && typeof segments[segments.length - 1] !== 'number') continue;
    if (entry.subresource === 'status' || isDeployer(entry, w.policy) || !comparedField(segments)) continue;
    const path = displayPath(w.live, segments, w.type);
    if (isIgnored(path, w.policy) || controllerMayOwn(entry, path, w.policy)) continue;
    if (declared(w, segments)) continue; // compared by the walk
    const at = addedRoot(w, entry, segments);
    const atPath = displayPath(w.live, at, w.type);
    if (seen.has(atPath) || isIgnored(atPath, w.policy)) continue;
    const value = getAt(w.live, at);
    if (isEmptyValue(value)) continue;
    seen.add(atPath);
    push(w, 'added', atPath, null, redact(w, at, value), entry, sourceOf(w, toGit(w, at).segments));
  }
}

/** The shortest undeclared list item this manager created (an env item rather than its fields), else the field. */
function addedRoot(w: Walk, entry: ManagerEntry, segments: PathSegment[]): PathSegment[] {
  for (let n = 1; n < segments.length; n++) {
    const prefix = segments.slice(0, n);
    if (declared(w, prefix)) continue;
    // A list item the manager created is one change (an env var); a map it created (labels,
    // when there were none) is not: its keys are reported one by one.
    if (typeof prefix[n - 1] === 'number' && w.own.ownersOf(prefix).includes(entry)) return prefix;
  }
  return segments;
}

/** Metadata other than labels and annotations is the server's; `status` is not Git's. */
function comparedField(segments: readonly PathSegment[]): boolean {
  const [top, second] = segments;
  if (top === 'status' || top === 'apiVersion' || top === 'kind') return false;
  if (top === 'metadata') return second === 'labels' || second === 'annotations';
  return true;
}

function redact(w: Walk, ls: PathSegment[], value: unknown): unknown {
  return value === undefined ? null : redactValue(w.ref.kind, w.live, ls, value);
}

function push(
  w: Walk,
  type: DriftType,
  path: string,
  desired: unknown,
  live: unknown,
  who: ManagerEntry | undefined,
  source: string | undefined,
): void {
  const item: DriftItem = {
    object: w.ref,
    type,
    path,
    desired: desired ?? null,
    live: live ?? null,
    manager: who?.manager ?? null,
    operation: who?.operation ?? null,
    subresource: who ? who.subresource || null : null,
    time: who?.time ?? null,
  };
  if (source) item.source = source;
  w.out.push(item);
}
