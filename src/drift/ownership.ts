import { isRecord, type KubeObject, type PathSegment } from '../model/types.js';
import { decodeFieldsV1 } from './fields-v1.js';
import type { TypeNode } from './schema.js';
import type { ManagerEntry } from './types.js';

/**
 * Who owns which field of a live object, from `metadata.managedFields`. One entry per
 * (manager, operation, subresource); the API server merges repeated writes into it and moves a
 * field to the newest Update writer, so the owner of a changed value is its last writer.
 */

export interface OwnedField {
  segments: PathSegment[];
  leaf: boolean;
  entry: ManagerEntry;
}

export interface Ownership {
  entries: ManagerEntry[];
  fields: OwnedField[];
  /** Entries owning exactly this path. */
  ownersOf(segments: readonly PathSegment[]): ManagerEntry[];
  /** Owners of the path, or of its nearest owned ancestor (a map owned as a whole). */
  nearestOwners(segments: readonly PathSegment[]): ManagerEntry[];
}

const keyOf = (segments: readonly PathSegment[]) => JSON.stringify(segments);

export function ownershipOf(live: KubeObject, type?: TypeNode): Ownership {
  const entries: ManagerEntry[] = [];
  const fields: OwnedField[] = [];
  const byPath = new Map<string, ManagerEntry[]>();
  const managed = live.metadata?.managedFields;
  for (const raw of Array.isArray(managed) ? managed : []) {
    if (!isRecord(raw)) continue;
    const entry: ManagerEntry = {
      manager: typeof raw.manager === 'string' ? raw.manager : '',
      operation: typeof raw.operation === 'string' ? raw.operation : '',
      subresource: typeof raw.subresource === 'string' ? raw.subresource : '',
      time: typeof raw.time === 'string' ? raw.time : null,
      apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : '',
    };
    entries.push(entry);
    for (const owned of decodeFieldsV1(raw.fieldsV1, live, type)) {
      fields.push({ ...owned, entry });
      const key = keyOf(owned.segments);
      const list = byPath.get(key);
      if (list) list.push(entry);
      else byPath.set(key, [entry]);
    }
  }
  const ownersOf = (segments: readonly PathSegment[]) => byPath.get(keyOf(segments)) ?? [];
  const nearestOwners = (segments: readonly PathSegment[]) => {
    for (let n = segments.length; n > 0; n--) {
      const owners = ownersOf(segments.slice(0, n));
      if (owners.length > 0) return owners;
    }
    return [];
  };
  return { entries, fields, ownersOf, nearestOwners };
}

/** The newest of several entries (ties keep the first). */
export function newest(entries: readonly ManagerEntry[]): ManagerEntry | undefined {
  let best: ManagerEntry | undefined;
  for (const e of entries) if (!best || (e.time ?? '') > (best.time ?? '')) best = e;
  return best;
}

/** The client that created the object: the writer of its oldest entry on the main resource. */
export function oldestWriter(live: KubeObject): ManagerEntry | undefined {
  let best: ManagerEntry | undefined;
  const managed = live.metadata?.managedFields;
  for (const raw of Array.isArray(managed) ? managed : []) {
    if (!isRecord(raw) || (typeof raw.subresource === 'string' && raw.subresource !== '')) continue;
    const entry: ManagerEntry = {
      manager: typeof raw.manager === 'string' ? raw.manager : '',
      operation: typeof raw.operation === 'string' ? raw.operation : '',
      subresource: '',
      time: typeof raw.time === 'string' ? raw.time : null,
      apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : '',
    };
    if (!best || (entry.time ?? '') < (best.time ?? '')) best = entry;
  }
  return best;
}
