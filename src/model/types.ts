/**
 * Pure types shared by every layer. Nothing here does I/O.
 */

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The fixed checklist vocabulary: every finding belongs to exactly one category. */
export const CATEGORIES = [
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
] as const;
export type Category = (typeof CATEGORIES)[number];

/** 1-based line and column, `file` relative to the working directory (forward slashes). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /**
   * The key to add at this line when the field is set nowhere a human edits yet (a packaged
   * subchart's default): the dotted values path, e.g. `postgresql.primary.resources`.
   */
  key?: string;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A plain Kubernetes object as parsed from YAML or read from a cluster. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/**
 * One step into an object: a map key, a list index, or a list item chosen by its merge key
 * (`containers[name=app]`). Concrete paths from walking an object use keys and indexes; the
 * display form replaces indexes by merge keys where the list has one.
 */
export type PathSegment = string | number;

/** A path in the display form people read: `spec.template.spec.containers[name=app].image`. */
export type FieldPath = string;

export interface Finding {
  ruleId: string;
  checklist: Category;
  severity: Severity;
  message: string;
  remediation: string;
  object: ObjectRef;
  path: FieldPath;
  /** Where a human edits: the values key, template line, patch line or plain manifest line. */
  location: SourceLocation;
  /** Where the field sits in rendered output, when the manifest was rendered (Helm, Kustomize). */
  renderedLocation?: SourceLocation;
  /** Stable identity across commits: rule, object and field path, never the line. */
  fingerprint: string;
  /**
   * On a pull request: where the field this finding is about stood at the base (its line in the
   * base's files), when the pull request removed it. A regression made by deleting lines.
   */
  removedAt?: SourceLocation;
}

/** An expected failure: bad YAML, a failing render, an unreadable file. The run goes on. */
export interface InputError {
  message: string;
  location?: SourceLocation;
  /** `error` stops a file or target from being checked; `note` is informational (a skipped file). */
  level: 'error' | 'note';
}

export function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name ?? '' };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** `Deployment/shop/checkout` or `ClusterRole/admin` for cluster-scoped objects. */
export function refKey(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
