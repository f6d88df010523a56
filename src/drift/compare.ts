import { formatPath, getAt, mergeKeyOf, resolvePath } from '../model/path.js';
import { isRecord, type KubeObject, type ObjectRef, type PathSegment, refOf } from '../model/types.js';
import { isEmptyValue, scalarsEqual, subsetEqual } from './normalize.js';
import { newest, type Ownership, ownershipOf } from './ownership.js';
import { controllerMayOwn, isDeployer, isIgnored } from './policy.js';
import { redactValue } from './redact.js';
import type { DriftItem, DriftPolicy, DriftType, ManagerEntry } from './types.js';

/**
 * One object: what Git declares against what the cluster holds.
 *
 * - `changed` and `removed` come from walking what Git declares: only declared fields are
 *   compared, so everything the API server defaulted is ignored by construction.
 * - `added` comes from `managedFields`: a field Git does not declare counts only when a manager
 *   other than the deployers (and other than a controller allowed to own it) wrote it.
 */

interface Walk {
  want: KubeObject;
  live: KubeObject;
  ref: ObjectRef;
  own: Ownership;
  policy: DriftPolicy;
  out: DriftItem[];
}

export function compareObject(desired: KubeObject, live: KubeObject, policy: DriftPolicy): DriftItem[] {
  const want = comparable(desired);
  const ref = refOf(desired);
  if (!ref.namespace && live.metadata?.namespace) ref.namespace = live.metadata.namespace;
  const w: Walk = { want, live, ref, own: ownershipOf(live), policy, out: [] };
  for (const [key, value] of Object.entries(want)) walkDeclared(w, value, live[key], [key], [key]);
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

function walkDeclared(w: Walk, want: unknown, live: unknown, ws: PathSegment[], ls: PathSegment[]): void {
  const path = formatPath(w.want, ws);
  if (isIgnored(path, w.policy) || isEmptyValue(want)) return;
  if (live === undefined || live === null) {
    report(w, 'removed', ws, ls.slice(0, -1), want, undefined);
    return;
  }
  if (isRecord(want)) {
    if (!isRecord(live)) report(w, 'changed', ws, ls, want, live);
    else for (const [k, v] of Object.entries(want)) walkDeclared(w, v, live[k], [...ws, k], [...ls, k]);
  } else if (Array.isArray(want)) {
    walkList(w, want, live, ws, ls);
  } else if (!scalarsEqual(want, live, ls)) {
    report(w, 'changed', ws, ls, want, live);
  }
}

/** Keyed lists (containers, env, ports, ...) pair items by key, whatever their order. */
function walkList(w: Walk, want: unknown[], live: unknown, ws: PathSegment[], ls: PathSegment[]): void {
  const field = String(ws[ws.length - 1]);
  const keys = want.map((item) => mergeKeyOf(field, item));
  const keyed = keys.every((k) => k !== undefined);
  if (!keyed || !Array.isArray(live)) {
    if (!subsetEqual(want, live, ls)) report(w, 'changed', ws, ls, want, live);
    return;
  }
  want.forEach((item, i) => {
    const key = keys[i]!;
    const j = live.findIndex((l) => {
      const v = isRecord(l) ? getAt(l, key.key.split('.')) : undefined;
      return v !== undefined && String(v) === key.value;
    });
    if (j < 0) report(w, 'removed', [...ws, i], ls, item, undefined);
    else walkDeclared(w, item, live[j], [...ws, i], [...ls, j]);
  });
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
): void {
  const path = formatPath(w.want, ws);
  const owners = w.own.nearestOwners(ls);
  // A controller allowed to own the field (an HPA on replicas) makes the difference legitimate.
  if (owners.some((e) => controllerMayOwn(e, path, w.policy))) return;
  const foreign = owners.filter((e) => !isDeployer(e, w.policy));
  let who = newest(foreign) ?? newest(owners);
  // Nobody owns a removed field any more: the newest non-deployer writer of the object is the lead.
  if (type === 'removed') who = newest(foreign) ?? newestForeignWriter(w);
  push(w, type, path, redactValue(w.ref.kind, w.want, ws, want), redact(w, ls, live), who);
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
    const path = formatPath(w.live, segments);
    if (isIgnored(path, w.policy) || controllerMayOwn(entry, path, w.policy)) continue;
    if (resolvePath(w.want, path).complete) continue; // declared: compared by the walk
    const at = addedRoot(w, entry, segments);
    const atPath = formatPath(w.live, at);
    if (seen.has(atPath) || isIgnored(atPath, w.policy)) continue;
    const value = getAt(w.live, at);
    if (isEmptyValue(value)) continue;
    seen.add(atPath);
    push(w, 'added', atPath, null, redact(w, at, value), entry);
  }
}

/** The shortest undeclared list item this manager created (an env item rather than its fields), else the field. */
function addedRoot(w: Walk, entry: ManagerEntry, segments: PathSegment[]): PathSegment[] {
  for (let n = 1; n < segments.length; n++) {
    const prefix = segments.slice(0, n);
    if (resolvePath(w.want, formatPath(w.live, prefix)).complete) continue;
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
  who?: ManagerEntry,
): void {
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
