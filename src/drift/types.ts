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
  /**
   * Where a human edits the field: `file:line` relative to the repository (a values key, a
   * template line, a patch, a plain manifest line); for a field Git does not declare, its nearest
   * declared parent. Set by the drift job.
   */
  source?: string;
}

export interface MissingItem {
  object: ObjectRef;
  /** Where Git declares it (`file:line`, relative to the repository), when known. */
  source?: string;
}

/** A live object in a namespace Git's targets own that no target declares and no controller owns. */
export interface OrphanItem {
  object: ObjectRef;
  /** The manager of its oldest managedFields entry: the client that created it. */
  manager: string | null;
  operation: string | null;
  time: string | null;
}

/**
 * What the run could vouch for. `complete`: everything Git declares was rendered and every
 * collection in scope was read; `partial`: some were not (`notCompared` says which); `none`:
 * nothing could be read from the cluster. Only a complete run with no drift is clean.
 */
export interface DriftCoverage {
  status: 'complete' | 'partial' | 'none';
  notCompared: string[];
  /**
   * Where list semantics came from: the API server's OpenAPI v3, the built-in table, or both;
   * absent when the cluster could not be read at all.
   */
  lists?: 'openapi-v3' | 'built-in' | 'mixed';
  /** Why the built-in table was used, when it was. */
  listsNote?: string;
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
  /** Only when the run looked for them (`drift.orphans`, `--orphans`). */
  orphans?: OrphanItem[];
  images: ImageIssue[];
  errors: DriftError[];
  /** Set by the drift job; a report without it is taken as complete. */
  coverage?: DriftCoverage;
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
