import type { Manifest } from '../load/yaml.js';
import type { Category, PathSegment, Severity } from '../model/types.js';
import type { ObjectIndex } from './object-index.js';

/**
 * A rule is data plus a small pure function. The metadata is the single source of the rule
 * catalogue (`shipshape rules`, docs/rules.md); the function only reports violations.
 */
export interface RuleMeta {
  /** Stable, kebab-case, never reused. */
  id: string;
  category: Category;
  severity: Severity;
  /** One line: what the rule wants. */
  title: string;
  /** Why it matters in production, in a sentence or two. */
  why: string;
  /** How to fix it, in a sentence or two. */
  fix: string;
  /**
   * Complete manifests for the docs, one that fails and one that passes; the tests run both
   * (test/unit/rules/metadata.test.ts). `line` is the line of `bad` (1-based) the rule reports.
   */
  example: { bad: string; good: string; line: number };
  /**
   * What the rule looks at, and what it leaves alone (run-to-completion work, containers that take
   * no Service traffic, namespaces the checked set does not own): one or two sentences for the docs.
   */
  appliesTo?: string;
}

/** The annotation prefix that suppresses a rule on one object (`shipshape.io/ignore.<rule-id>`). */
export const SUPPRESSION_PREFIX = 'shipshape.io/ignore.';

/**
 * What a violation is one instance of. Violations with the same key (from one rule or several) are
 * reported as one finding: the most severe, with the others listed in its message ("also: …").
 */
export interface Cause {
  key: string;
  /**
   * Only violations that land on the same line a human edits share the cause: one image tag in a
   * values file used by seven containers is one edit, the same image written in seven manifests is
   * seven.
   */
  sameLine?: boolean;
  /** How the finding that absorbs this one lists it; default: the violation's message. */
  also?: string;
}

export interface Violation {
  manifest: Manifest;
  /**
   * Concrete path (keys and indexes) of the offending field. When the field is absent, the path
   * it should have: the report locates the nearest parent that exists.
   */
  path: PathSegment[];
  message: string;
  /** A remediation specific to this violation; defaults to the rule's `fix`. */
  remediation?: string;
  /**
   * A lower severity for this violation alone (it never raises one): `info` for a namespace-level
   * finding in a namespace the checked set does not own, say.
   */
  severity?: Severity;
  /** Set when this violation may share its cause with others; see `Cause`. */
  cause?: Cause;
}

export interface RuleSettings {
  /** Namespace of objects that do not name one (the target's namespace, or `default`). */
  defaultNamespace: string;
  /** Which workloads are critical (Guaranteed QoS): by label, annotation or priority class. */
  critical: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    priorityClassNames: string[];
  };
  /** Tag patterns (case-insensitive regular expressions) that mark debug builds. */
  debugTagPatterns: string[];
  /**
   * Namespaces the checked set owns besides those whose Namespace object it contains (names, or
   * globs with `*`): namespace-level rules (default-deny policies, quotas) are raised at their
   * severity only there.
   */
  ownedNamespaces: readonly string[];
}

export interface RuleContext {
  manifests: readonly Manifest[];
  index: ObjectIndex;
  settings: RuleSettings;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): Iterable<Violation>;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  defaultNamespace: 'default',
  critical: {
    labels: { 'shipshape.io/critical': 'true' },
    annotations: { 'shipshape.io/critical': 'true' },
    priorityClassNames: ['system-cluster-critical', 'system-node-critical'],
  },
  debugTagPatterns: ['debug', 'dont[-_]?push', 'dirty', 'snapshot', 'wip'],
  ownedNamespaces: [],
};
