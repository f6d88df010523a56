import { hash } from 'node:crypto';
import type { Manifest } from '../load/yaml.js';
import { formatPath } from '../model/path.js';
import { type Finding, isRecord, refKey, type Severity } from '../model/types.js';
import { ObjectIndex } from './object-index.js';
import { type Rule, type RuleSettings, SUPPRESSION_PREFIX, type Violation } from './types.js';

export interface EngineOptions {
  settings: RuleSettings;
  /** Rules switched off by id. */
  disabled?: ReadonlySet<string>;
  /** Severity overrides by rule id. */
  severity?: ReadonlyMap<string, Severity>;
}

/**
 * Run the checklist over everything loaded in one run. Rules are pure; this turns their
 * violations into findings with a display path, a location a human edits, and a fingerprint, and
 * reports violations that share a cause as one finding (see `Cause`).
 */
export function runRules(
  manifests: readonly Manifest[],
  rules: readonly Rule[],
  options: EngineOptions,
): Finding[] {
  const index = new ObjectIndex(manifests, options.settings.defaultNamespace);
  const ctx = { manifests, index, settings: options.settings };
  const violations: Raised[] = [];
  rules.forEach((rule, ruleOrder) => {
    if (options.disabled?.has(rule.meta.id)) return;
    const configured = options.severity?.get(rule.meta.id) ?? rule.meta.severity;
    for (const v of rule.check(ctx)) {
      const severity = v.severity && RANK[v.severity] < RANK[configured] ? v.severity : configured;
      violations.push({ rule, ruleOrder, severity, v, seq: violations.length });
    }
  });
  // Locate document by document: each document's positions are then worked out once.
  const order = new Map(manifests.map((m, i) => [m, i]));
  violations.sort((a, b) => (order.get(a.v.manifest) ?? 0) - (order.get(b.v.manifest) ?? 0) || a.seq - b.seq);
  return sortFindings(mergeCauses(violations));
}

interface Raised {
  rule: Rule;
  /** The rule's place in the checklist: among equally severe violations of one cause, the first leads. */
  ruleOrder: number;
  severity: Severity;
  v: Violation;
  seq: number;
}

/** A violation that shares its cause with others, as merging needs it once another leads. */
interface Member {
  severity: Severity;
  ruleOrder: number;
  ruleId: string;
  /** What the lead's message names it by: its cause's `also`, else its own message. */
  text: string;
  remediation: string;
}

/**
 * The violations of one cause. Only the lead (the most severe, then the earliest rule, then the
 * first located) becomes a finding; the others keep what the lead's message names of them. A
 * Deployment with 10,000 containers raises about 150,000 violations merged into 10,006 findings:
 * each of them located, fingerprinted and copied flat only to be dropped was most of the run.
 */
interface Group {
  lead: Finding;
  leadMember: Member;
  /** Every member in the order it was raised, the lead included. */
  members: Member[];
}

/** How many secondary violations a merged finding names before it counts the rest. */
const MAX_ALSO = 5;

/**
 * One finding per cause: violations with the same cause key (and, for `sameLine` causes, the same
 * line a human edits) become the finding of the most severe one (then the earliest rule, then the
 * first loaded), whose message lists the others. A violation on an object that carries a
 * suppression annotation for its rule stays on its own, so that the suppression drops exactly it.
 *
 * Each violation is let go as soon as it is located (its path, the pieces of its message): at
 * 50,000 objects there are 100,000 of them, and only their findings need to stay. A group's lead
 * is made a finding when it takes the lead (at most once per severity, in document order, so each
 * document's positions are still worked out once); the others are never made findings.
 */
function mergeCauses(violations: (Raised | undefined)[]): Finding[] {
  const out: Finding[] = [];
  const groups = new Map<string, Group>();
  for (let i = 0; i < violations.length; i++) {
    const { v, rule, severity, ruleOrder } = violations[i] as Raised;
    violations[i] = undefined;
    if (!v.cause || hasSuppression(v, rule.meta.id)) {
      out.push(toFinding(rule, severity, v));
      continue;
    }
    let key = v.cause.key;
    if (v.cause.sameLine) {
      const at = v.manifest.locateSource?.(v.path) ?? v.manifest.locate(v.path);
      key = `${key}\0${at.file}:${at.line}`;
    }
    const member: Member = {
      severity,
      ruleOrder,
      ruleId: rule.meta.id,
      text: v.cause.also ?? v.message,
      remediation: v.remediation ?? rule.meta.fix,
    };
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { lead: toFinding(rule, severity, v), leadMember: member, members: [member] });
      continue;
    }
    group.members.push(member);
    if (leads(member, group.leadMember)) {
      group.lead = toFinding(rule, severity, v);
      group.leadMember = member;
    }
  }
  for (const { lead, leadMember, members } of groups.values()) {
    if (members.length === 1) {
      out.push(lead);
      continue;
    }
    // The same order as sorting the members by rank, stably: the lead first, then the rest.
    const rest = members.filter((m) => m !== leadMember).sort(byRank);
    const also = rest.slice(0, MAX_ALSO).map(({ text, ruleId }) => {
      return ruleId === lead.ruleId ? text : `${text} (${ruleId})`;
    });
    if (rest.length > MAX_ALSO) also.push(`and ${rest.length - MAX_ALSO} more`);
    const remediations = new Set([lead.remediation]);
    for (const m of rest) remediations.add(m.remediation);
    out.push({
      ...lead,
      message: flat(`${lead.message}; also: ${also.join('; ')}`),
      remediation: [...remediations].join(' '),
    });
  }
  return out;
}

function byRank(a: Member, b: Member): number {
  return RANK[b.severity] - RANK[a.severity] || a.ruleOrder - b.ruleOrder;
}

/** Whether `a`, raised after `b`, leads their cause instead of it (earlier wins a tie). */
function leads(a: Member, b: Member): boolean {
  return byRank(a, b) < 0;
}

function hasSuppression(v: Violation, ruleId: string): boolean {
  const annotations = v.manifest.object.metadata?.annotations;
  return isRecord(annotations) && Object.hasOwn(annotations, `${SUPPRESSION_PREFIX}${ruleId}`);
}

export function toFinding(rule: Rule, severity: Severity, v: Violation): Finding {
  const { manifest } = v;
  const path = formatPath(manifest.object, v.path);
  const rendered = manifest.locate(v.path);
  const source = manifest.locateSource?.(v.path);
  const finding: Finding = {
    ruleId: rule.meta.id,
    checklist: rule.meta.category,
    severity,
    message: flat(v.message),
    remediation: v.remediation ?? rule.meta.fix,
    object: manifest.ref,
    path,
    location: source ?? rendered,
    fingerprint: fingerprint(rule.meta.id, refKey(manifest.ref), path),
  };
  if (source) finding.renderedLocation = rendered;
  return finding;
}

/** Stable across commits and line moves: rule, object and field path only. */
export function fingerprint(ruleId: string, objectKey: string, path: string): string {
  // 8 bytes as 16 hex digits: a string of its own, not a slice that keeps the whole digest's text.
  // One call, no hash object per finding (each holds native memory until a full collection).
  return hash('sha256', `${ruleId}\0${objectKey}\0${path}`, 'buffer').toString('hex', 0, 8);
}

/**
 * A message built from pieces (`${who} runs as root`) is a tree of them in V8 (a rope), and stays
 * one, whatever reads it; a finding keeps its message for the run (100,000 of them at 50,000
 * objects: 30 MiB of rope), so it keeps a copy in one piece. JSON's round trip is the one cheap
 * copy V8 makes flat.
 */
function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/**
 * Several targets that make the same finding on one line (a base two overlays use, a values file
 * two releases read) make one: one edit fixes it. Each keeps its first place in order, and the
 * most severe of them (one target may be configured to take it more seriously than another).
 */
export function onePerLine(findings: readonly Finding[]): Finding[] {
  const at = new Map<string, number>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.location.file}:${f.location.line}:${f.location.column}\0${f.message}`;
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, out.length);
      out.push(f);
    } else if (RANK[f.severity] > RANK[out[i].severity]) out[i] = f;
  }
  return out;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.path, b.path),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
