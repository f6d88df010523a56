import type { FieldPath, ObjectRef } from '../model/types.js';

/**
 * The drift model: what differs between Git and the live cluster, and who (which client) made
 * the live side what it is. Pure data; the JSON report is exactly these shapes.
 */

export type DriftType = 'changed' | 'added' | 'removed';

/** One `metadata.managedFields` entry, reduced to what attribution needs. */
export interface ManagerEntry {
  /** The client's field manager name (`kubectl-edit`, `helm`, ...): a program, not a person. */
  manager: string;
  operation: string;
  /** `scale`, `status`, ... ; empty for the main resource. */
  subresource: string;
  /** RFC 3339 time of the entry's last change; the API server records it to the second. */
  time: string | null;
  apiVersion: string;
}

export interface DriftItem {
  object: ObjectRef;
  type: DriftType;
  path: FieldPath;
  /** Git's value (normalized only for display of secrets: `<secret: 12 bytes>`); null when absent. */
  desired: unknown;
  live: unknown;
  manager: string | null;
  operation: string | null;
  subresource: string | null;
  time: string | null;
}

export interface MissingItem {
  object: ObjectRef;
  /** Where Git declares it, when known. */
  source?: string;
}

export type ImageIssueKind =
  | 'latest-tag'
  | 'missing-tag'
  | 'debug-tag'
  | 'not-pinned'
  | 'foreign-digest'
  | 'tag-digest-split'
  | 'ephemeral-container';

export interface ImageIssue {
  object: ObjectRef;
  kind: ImageIssueKind;
  container: string;
  image: string;
  message: string;
  /** The digest Git pins, the running digest(s), when the issue is about digests. */
  desiredDigest?: string;
  liveDigests?: string[];
  /** Attribution of the image field, when the live object records one. */
  manager?: string | null;
  time?: string | null;
}

export interface DriftError {
  message: string;
  /** `Deployment` or `apps/v1 Deployment in shop`, when the error concerns a kind or object. */
  scope?: string;
}

export interface DriftReport {
  version: 1;
  /** The cluster (context name or server) the run read; not part of the JSON contract's arrays. */
  cluster?: string;
  drift: DriftItem[];
  missing: MissingItem[];
  images: ImageIssue[];
  errors: DriftError[];
}

/** Which field managers deploy from Git, and which controllers may own which fields. */
export interface DriftPolicy {
  /**
   * Managers whose writes are Git's: `helm`, `kubectl-client-side-apply`, ... An entry may
   * name an operation too, `kubectl:Apply` (server-side apply from a pipeline).
   */
  deployers: string[];
  /**
   * Controllers that legitimately own fields: a field they own is not drift. `paths` are display
   * paths with `*` for one step and a trailing `**` for a subtree; omitted = any field.
   */
  controllers: { manager: string; paths?: string[] }[];
  /** Paths never compared, whoever wrote them (same pattern syntax). */
  ignore: string[];
}
