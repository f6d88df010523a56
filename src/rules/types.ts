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
  /** YAML snippets for the docs: one that fails and one that passes. */
  example: { bad: string; good: string };
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
};
