import type { Manifest } from '../load/yaml.js';
import { sha256Hex } from '../model/hash.js';
import { formatPath } from '../model/path.js';
import { flat, Interner } from '../model/text.js';
import {
  type Category,
  type FieldPath,
  type Finding,
  isRecord,
  type ObjectRef,
  refKey,
  type Severity,
  type SourceLocation,
} from '../model/types.js';
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
  const order = new Map<Manifest, number>();
  for (const [i, m] of manifests.entries()) order.set(m, i);
  const causes = new CauseMerger(order);
  // Violations are located as they are raised and let go, so that they never outlive their rule.
  // Those on a document located by parsing it again are kept and located document by document at
  // the end: rule by rule, each such document would be parsed again for every rule.
  const later: Raised[] = [];
  let seq = 0;
  rules.forEach((rule, ruleOrder) => {
    if (options.disabled?.has(rule.meta.id)) return;
    const configured = options.severity?.get(rule.meta.id) ?? rule.meta.severity;
    for (const v of rule.check(ctx)) {
      const severity = v.severity && RANK[v.severity] < RANK[configured] ? v.severity : configured;
      if (v.manifest.locatesQuickly?.() === false) later.push({ rule, ruleOrder, severity, v, seq: seq++ });
      else causes.add(rule, ruleOrder, severity, v, seq++);
    }
  });
  later.sort((a, b) => (order.get(a.v.manifest) ?? 0) - (order.get(b.v.manifest) ?? 0) || a.seq - b.seq);
  for (let i = 0; i < later.length; i++) {
    const { rule, ruleOrder, severity, v, seq } = later[i];
    causes.add(rule, ruleOrder, severity, v, seq);
    (later as (Raised | undefined)[])[i] = undefined;
  }
  return sortFindings(causes.findings());
}

interface Raised {
  rule: Rule;
  /** The rule's place in the checklist: among equally severe violations of one cause, the first leads. */
  ruleOrder: number;
  severity: Severity;
  v: Violation;
  /** Raised order: rule by rule, in each rule's order. */
  seq: number;
}

/** A violation that shares its cause with others, as merging needs it once another leads. */
interface Member {
  severity: Severity;
  ruleOrder: number;
  /** Its document's place in the run, then its raised order: among equals, the first located leads. */
  doc: number;
  seq: number;
  ruleId: string;
  /** What the lead's message names it by: its cause's `also`, else its own message. */
  text: string;
  remediation: string;
  /** The next member of its group that does not lead. */
  next: Member | undefined;
}

/**
 * The violations of one cause. Only the lead (the most severe, then the earliest rule, then the
 * first located) becomes a finding; the others keep what the lead's message names of them. A
 * Deployment with 10,000 containers raises about 100,000 violations merged into 40,000 findings:
 * each of them located, fingerprinted and copied flat only to be dropped was most of the run.
 * What a group holds lives until the last rule has run, so it is kept small: the group is its
 * lead's member (a lead alone, as most are, is one object), and the members that do not lead are
 * a list through `next`.
 */
interface Group extends Member {
  lead: Finding;
  /** The members that do not lead, the latest first; none while the lead is alone. */
  others: Member | undefined;
  /** How many `others` holds. */
  count: number;
}

/** How many secondary violations a merged finding names before it counts the rest. */
const MAX_ALSO = 5;

/**
 * One finding per cause: violations with the same cause key (and, for `sameLine` causes, the same
 * line a human edits) become the finding of the most severe one (then the earliest rule, then the
 * first located), whose message lists the others. A violation on an object that carries a
 * suppression annotation for its rule stays on its own, so that the suppression drops exactly it.
 *
 * Each violation is located as it is added and let go (its path, the pieces of its message): at
 * 50,000 objects there are 100,000 of them, and only their findings need to stay. A group's lead
 * is made a finding when it takes the lead (at most once per severity); the others are never made
 * findings. The order violations are added in changes nothing: ties are broken by document and
 * raised order.
 */
class CauseMerger {
  private readonly out: Finding[] = [];
  private readonly groups = new Map<string, Group>();

  constructor(private readonly order: ReadonlyMap<Manifest, number>) {}

  add(rule: Rule, ruleOrder: number, severity: Severity, v: Violation, seq: number): void {
    if (!v.cause || hasSuppression(v, rule.meta.id)) {
      this.out.push(toFinding(rule, severity, v));
      return;
    }
    let key = v.cause.key;
    let located: Located | undefined;
    if (v.cause.sameLine) {
      located = locate(v);
      const at = located.source ?? located.rendered;
      key = `${key}\0${at.file}:${at.line}`;
    }
    const doc = this.order.get(v.manifest) ?? 0;
    const text = v.cause.also ?? v.message;
    const remediation = v.remediation ?? rule.meta.fix;
    const ruleId = rule.meta.id;
    const group = this.groups.get(key);
    if (!group) {
      const lead = toFinding(rule, severity, v, located);
      // biome-ignore format: one group, as a member then as a group
      this.groups.set(key, {
        severity, ruleOrder, doc, seq, ruleId, text, remediation, next: undefined,
        lead, others: undefined, count: 0,
      });
      return;
    }
    group.count++;
    if (outranks(severity, ruleOrder, doc, seq, group)) {
      // The lead so far joins the others; the group takes the newcomer's place as lead.
      group.others = memberOf(group);
      group.severity = severity;
      group.ruleOrder = ruleOrder;
      group.doc = doc;
      group.seq = seq;
      group.ruleId = ruleId;
      group.text = text;
      group.remediation = remediation;
      group.lead = toFinding(rule, severity, v, located);
    } else {
      group.others = { severity, ruleOrder, doc, seq, ruleId, text, remediation, next: group.others };
    }
  }

  findings(): Finding[] {
    const out = this.out;
    for (const { lead, others, count } of this.groups.values()) {
      if (others) {
        const members = new Array<Member>(count);
        let i = 0;
        for (let m: Member | undefined = others; m; m = m.next) members[i++] = m;
        merge(lead, inRankOrder(members));
      }
      out.push(lead);
    }
    this.groups.clear();
    return out;
  }
}

/**
 * The lead's message names the others (the first few, by rank), and its fix is theirs too. Built
 * piece by piece and joined once: this runs once per merged finding, and a Deployment with 10,000
 * containers has 20,000 of them. The message is the lead's own and a shared tail.
 */
function merge(lead: Finding, rest: readonly Member[]): void {
  const parts = ['; also: '];
  const shown = Math.min(rest.length, MAX_ALSO);
  for (let i = 0; i < shown; i++) {
    const { text, ruleId } = rest[i];
    if (i > 0) parts.push('; ');
    parts.push(text);
    if (ruleId !== lead.ruleId) parts.push(' (', ruleId, ')');
  }
  if (rest.length > MAX_ALSO) parts.push(`; and ${rest.length - MAX_ALSO} more`);
  // Two pieces, the second shared: every container missing the same settings has the same tail.
  lead.message = lead.message + TAILS.of(parts.join(''));
  const fixes = [lead.remediation];
  for (const m of rest) if (!fixes.includes(m.remediation)) fixes.push(m.remediation);
  lead.remediation = remediationOf(fixes);
}

/** The tails of merged messages (`; also: …`). */
const TAILS = new Interner();

/** `members` sorted by rank: by hand when there are a few (most causes), without sort's scratch arrays. */
function inRankOrder(members: Member[]): Member[] {
  if (members.length > 8) return members.sort(byRank);
  for (let i = 1; i < members.length; i++) {
    const m = members[i];
    let j = i;
    for (; j > 0 && byRank(members[j - 1], m) > 0; j--) members[j] = members[j - 1];
    members[j] = m;
  }
  return members;
}

/** A group's lead so far, as the first of its others. */
function memberOf(g: Group): Member {
  const { severity, ruleOrder, doc, seq, ruleId, text, remediation } = g;
  return { severity, ruleOrder, doc, seq, ruleId, text, remediation, next: g.others };
}

/** Does a violation of this rank come before `than` (see `byRank`)? */
function outranks(severity: Severity, ruleOrder: number, doc: number, seq: number, than: Member): boolean {
  const d =
    RANK[than.severity] - RANK[severity] || ruleOrder - than.ruleOrder || doc - than.doc || seq - than.seq;
  return d < 0;
}

/** The more severe first, then the earlier rule, then the first located (document, raised order). */
function byRank(a: Member, b: Member): number {
  return RANK[b.severity] - RANK[a.severity] || a.ruleOrder - b.ruleOrder || a.doc - b.doc || a.seq - b.seq;
}

/**
 * The fixes of a merged finding, one after another. The same few combinations recur (every
 * container missing requests, limits and ephemeral storage): each is one string, not one per
 * finding. Looked up fix by fix (each a rule's own string, hashed once), not by joining them first.
 */
function remediationOf(fixes: readonly string[]): string {
  if (remediations.nodes >= 256) remediations = { root: { next: new Map() }, nodes: 0 };
  let node = remediations.root;
  for (const fix of fixes) {
    let next = node.next.get(fix);
    if (next === undefined) {
      next = { next: new Map() };
      node.next.set(fix, next);
      remediations.nodes++;
    }
    node = next;
  }
  node.text ??= fixes.join(' ');
  return node.text;
}

/** Combinations of fixes by their fixes in order: a trie, kept to a few hundred nodes. */
interface FixesNode {
  next: Map<string, FixesNode>;
  text?: string;
}

let remediations: { root: FixesNode; nodes: number } = { root: { next: new Map() }, nodes: 0 };

function hasSuppression(v: Violation, ruleId: string): boolean {
  const annotations = v.manifest.object.metadata?.annotations;
  return isRecord(annotations) && Object.hasOwn(annotations, `${SUPPRESSION_PREFIX}${ruleId}`);
}

/** Where a violation is: in what was checked, and in the file a human edits when that differs. */
interface Located {
  rendered: SourceLocation;
  source?: SourceLocation;
}

function locate(v: Violation): Located {
  return { rendered: v.manifest.locate(v.path), source: v.manifest.locateSource?.(v.path) };
}

export function toFinding(rule: Rule, severity: Severity, v: Violation, located = locate(v)): Finding {
  const { manifest } = v;
  const { rendered, source } = located;
  const finding = new RuleFinding(
    rule.meta.id,
    rule.meta.category,
    severity,
    flat(v.message),
    v.remediation ?? rule.meta.fix,
    manifest.ref,
    PATHS.of(formatPath(manifest.object, v.path)),
    source ?? rendered,
  );
  if (source) finding.renderedLocation = rendered;
  return finding;
}

/** Field paths: every object of a kind made from one template has the same few (`spec.replicas`). */
const PATHS = new Interner();

/**
 * A finding as the engine makes it. Its fingerprint is worked out when it is first read: a terminal
 * report never reads it, and hashing 80,000 findings was 80 ms of such a run. It is an own,
 * enumerable property (an accessor every finding shares), so JSON, spreads, `Object.entries` and
 * `structuredClone` see it where it always was, after `location`.
 */
class RuleFinding implements Finding {
  declare fingerprint: string;
  declare renderedLocation?: SourceLocation;
  declare removedAt?: SourceLocation;
  #fingerprint: string | undefined;

  constructor(
    public ruleId: string,
    public checklist: Category,
    public severity: Severity,
    public message: string,
    public remediation: string,
    public object: ObjectRef,
    public path: FieldPath,
    public location: SourceLocation,
  ) {
    Object.defineProperty(this, 'fingerprint', RuleFinding.#FINGERPRINT);
  }

  /** One descriptor (one getter and setter) for every finding, so that they share their shape. */
  static readonly #FINGERPRINT: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: RuleFinding): string {
      this.#fingerprint ??= fingerprint(this.ruleId, refKey(this.object), this.path);
      return this.#fingerprint;
    },
    set(this: RuleFinding, value: string) {
      this.#fingerprint = value;
    },
  };
}

/** Stable across commits and line moves: rule, object and field path only. */
export function fingerprint(ruleId: string, objectKey: string, path: string): string {
  return sha256Hex(`${ruleId}\0${objectKey}\0${path}`, 16);
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
