import type { Finding } from '../model/types.js';
import { refKey } from '../model/types.js';
import { ruleById } from '../rules/index.js';
import { code, fence, prose } from './markdown.js';
import { fingerprintMarker } from './markers.js';

/**
 * The text of one inline review comment: what is wrong, why it matters in production, and how to
 * fix it, with a one-click suggestion when the fix is a one-line change of the commented line.
 */

const SEVERITY_LABEL: Record<Finding['severity'], string> = {
  error: '🔴 **error**',
  warning: '🟠 **warning**',
  info: '🔵 **info**',
};

export function inlineCommentBody(finding: Finding, lineText?: string, key?: string): string {
  const why = ruleById(finding.ruleId)?.meta.why;
  const suggestion = lineText === undefined ? undefined : suggestFix(finding, lineText);
  const parts = [
    `${SEVERITY_LABEL[finding.severity]} · ${finding.checklist} · ${code(finding.ruleId)}`,
    '',
    `**What is wrong:** ${prose(finding.message)}`,
  ];
  if (why) parts.push('', `**Why it matters in production:** ${prose(why)}`);
  parts.push('', `**Fix:** ${prose(finding.remediation)}`);
  if (suggestion !== undefined) parts.push('', fence(suggestion, 'suggestion'));
  parts.push(
    '',
    `<sub>${code(refKey(finding.object))} at ${code(finding.path)}</sub>`,
    fingerprintMarker(finding.fingerprint, { key }),
  );
  return parts.join('\n');
}

/** The body of a comment whose finding is gone but which a human replied to: kept, marked resolved. */
export function resolvedCommentBody(
  previous: string,
  fingerprint: string,
  sha: string,
  key?: string,
): string {
  const original = previous.replace(/<!-- shipshape:fp=[^>]* -->/g, '').trim();
  return [
    `✅ **Resolved** in ${sha.slice(0, 12)}: shipshape no longer reports this finding.`,
    '',
    '<details><summary>Original comment</summary>',
    '',
    original,
    '',
    '</details>',
    fingerprintMarker(fingerprint, { resolved: true, key }),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// One-line fixes

/** Safe values for keys whose fix is a single value change, whatever rule reported them. */
const SAFE_VALUES: Record<string, { bad: RegExp; good: string }> = {
  privileged: { bad: /^true$/i, good: 'false' },
  allowPrivilegeEscalation: { bad: /^true$/i, good: 'false' },
  runAsNonRoot: { bad: /^false$/i, good: 'true' },
  readOnlyRootFilesystem: { bad: /^false$/i, good: 'true' },
  hostNetwork: { bad: /^true$/i, good: 'false' },
  hostPID: { bad: /^true$/i, good: 'false' },
  hostIPC: { bad: /^true$/i, good: 'false' },
  automountServiceAccountToken: { bad: /^true$/i, good: 'false' },
  replicas: { bad: /^[01]$/, good: '2' },
  minReplicas: { bad: /^[01]$/, good: '2' },
  type: { bad: /^["']?Unconfined["']?$/, good: 'RuntimeDefault' },
};

/** Removed API versions and their replacements, by kind. */
const API_REPLACEMENTS: Record<string, string> = {
  'Deployment extensions/v1beta1': 'apps/v1',
  'Deployment apps/v1beta1': 'apps/v1',
  'Deployment apps/v1beta2': 'apps/v1',
  'DaemonSet extensions/v1beta1': 'apps/v1',
  'DaemonSet apps/v1beta2': 'apps/v1',
  'StatefulSet apps/v1beta1': 'apps/v1',
  'StatefulSet apps/v1beta2': 'apps/v1',
  'ReplicaSet extensions/v1beta1': 'apps/v1',
  'Ingress extensions/v1beta1': 'networking.k8s.io/v1',
  'Ingress networking.k8s.io/v1beta1': 'networking.k8s.io/v1',
  'PodDisruptionBudget policy/v1beta1': 'policy/v1',
  'CronJob batch/v1beta1': 'batch/v1',
  'HorizontalPodAutoscaler autoscaling/v2beta1': 'autoscaling/v2',
  'HorizontalPodAutoscaler autoscaling/v2beta2': 'autoscaling/v2',
  'NetworkPolicy extensions/v1beta1': 'networking.k8s.io/v1',
};

const KEY_VALUE_LINE = /^(\s*(?:-\s+)?)([A-Za-z][\w.-]*)(\s*:\s*)([^#\s][^#]*?)(\s+#.*)?$/;

/**
 * The commented line rewritten so the finding goes away, or undefined when the fix is not a
 * single-line change (a missing block to add, a tag only a human can choose). Only the value
 * changes; indentation, a list dash and a trailing comment are kept.
 */
export function suggestFix(finding: Finding, lineText: string): string | undefined {
  const m = KEY_VALUE_LINE.exec(lineText.replace(/\r$/, ''));
  if (!m) return undefined;
  const [, indent, key, sep, value, comment = ''] = m;
  const lastKey = /([A-Za-z][\w-]*)$/.exec(finding.path)?.[1];
  if (key !== lastKey) return undefined;
  let good: string | undefined;
  if (key === 'apiVersion') {
    good = API_REPLACEMENTS[`${finding.object.kind} ${value.replace(/^["']|["']$/g, '')}`];
  } else {
    const safe = SAFE_VALUES[key];
    if (safe?.bad.test(value) && (key !== 'type' || /seccompProfile\.type$/.test(finding.path)))
      good = safe.good;
  }
  return good === undefined ? undefined : `${indent}${key}${sep}${good}${comment}`;
}
