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

/**
 * What a violation of a cause says, whoever raised it: its rank and what a merged finding names it
 * by. Every container missing the same setting says the same, so these are made once per run and
 * shared (`Kinds`).
 */
interface Kind {
  severity: Severity;
  /** The rule's place in the checklist: among equally severe violations of one cause, the first leads. */
  ruleOrder: number;
  ruleId: string;
  /** What the lead's message names it by: its cause's `also`, else its own message. */
  text: string;
  remediation: string;
  /** Whether this is the run's one kind for what it says (`Kinds`), as chains need. */
  shared: boolean;
  /** The chain last made with this kind at its head, and the rest it was put on (see `cons`). */
  lastRest: Chain | undefined;
  lastChain: Chain | undefined;
}

/**
 * The members of a group that do not lead, while all of them come from the lead's document: their
 * kinds, the latest first. Made by `cons`, which gives the same chain for the same kinds, so the
 * 10,000 containers of a Deployment that all miss the same settings share one chain, and one merge.
 */
interface Chain {
  kind: Kind;
  /**
   * Whether this one led the group before a more severe or earlier rule's violation came: it is
   * then the first of its kind's rank (the others of that rank came after it).
   */
  led: boolean;
  rest: Chain | undefined;
  length: number;
  /** The merge last worked out for this chain, and the kind of the lead it was for. */
  mergedFor: Kind | undefined;
  merged: Merged | undefined;
}

/** What a group's others add to its lead's finding. */
interface Merged {
  tail: string;
  remediation: string;
}

/** A member of a group whose members come from several documents: its kind, document and raised order. */
interface Member {
  kind: Kind;
  /** Its document's place in the run, then its raised order: among equals, the first located leads. */
  doc: number;
  seq: number;
  /** The next member of its group that does not lead. */
  next: Member | undefined;
}

/**
 * The violations of one cause. Only the lead (the most severe, then the earliest rule, then the
 * first located) becomes a finding; the others keep what the lead's message names of them. A
 * Deployment with 10,000 containers raises about 100,000 violations merged into 40,000 findings:
 * each of them located, fingerprinted and copied flat only to be dropped was most of the run.
 *
 * What a group holds lives until the last rule has run, so it holds little. While the others all
 * come from the lead's document, they are a shared chain of kinds: among equals, the document's
 * raised order is the order they came in, so nothing else of theirs is needed. Once one comes from
 * another document, they are members with their document and raised order.
 */
interface Group {
  lead: Finding;
  /** The lead's kind, document and raised order. */
  kind: Kind;
  doc: number;
  seq: number;
  /** The others, while all come from the lead's document (the latest first). */
  chain: Chain | undefined;
  /** The others, once one came from another document (the latest first). */
  others: Member | undefined;
  mixed: boolean;
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
  /** The groups of `sameLine` causes, by key, file and line (no key string per violation). */
  private readonly onLines = new Map<string, Map<string, Map<number, Group>>>();
  private readonly kinds = new Kinds();

  constructor(private readonly order: ReadonlyMap<Manifest, number>) {}

  add(rule: Rule, ruleOrder: number, severity: Severity, v: Violation, seq: number): void {
    if (!v.cause || hasSuppression(v, rule.meta.id)) {
      this.out.push(toFinding(rule, severity, v));
      return;
    }
    const { key } = v.cause;
    let located: Located | undefined;
    let lines: Map<number, Group> | undefined;
    let line = 0;
    if (v.cause.sameLine) {
      located = locate(v);
      const at = located.source ?? located.rendered;
      lines = this.linesOf(key, at.file);
      line = at.line;
    }
    const doc = this.order.get(v.manifest) ?? 0;
    const text = v.cause.also ?? v.message;
    const remediation = v.remediation ?? rule.meta.fix;
    // A sameLine cause's text names its container, and its groups mostly stay alone (one image
    // on each line): its kind is made shared only if it joins a chain.
    const kind = lines
      ? ownKind(severity, ruleOrder, rule.meta.id, text, remediation)
      : this.kinds.of(severity, ruleOrder, rule.meta.id, text, remediation);
    const group = lines ? lines.get(line) : this.groups.get(key);
    if (!group) {
      const lead = toFinding(rule, severity, v, located);
      // biome-ignore format: one group
      const made: Group = {
        lead, kind, doc, seq, chain: undefined, others: undefined, mixed: false,
      };
      if (lines) lines.set(line, made);
      else this.groups.set(key, made);
      return;
    }
    if (!group.mixed && doc !== group.doc) mix(group);
    const leads = outranks(kind, doc, seq, group);
    // The lead so far joins the others when the newcomer takes its place.
    if (group.mixed) {
      group.others = leads
        ? { kind: group.kind, doc: group.doc, seq: group.seq, next: group.others }
        : { kind, doc, seq, next: group.others };
    } else if (leads) group.chain = cons(this.kinds.shared(group.kind), true, group.chain);
    else group.chain = cons(this.kinds.shared(kind), false, group.chain);
    if (leads) {
      group.kind = kind;
      group.doc = doc;
      group.seq = seq;
      group.lead = toFinding(rule, severity, v, located);
    }
  }

  /** The groups of a `sameLine` cause in one file, by line. */
  private linesOf(key: string, file: string): Map<number, Group> {
    let files = this.onLines.get(key);
    if (!files) {
      files = new Map();
      this.onLines.set(key, files);
    }
    let lines = files.get(file);
    if (!lines) {
      lines = new Map();
      files.set(file, lines);
    }
    return lines;
  }

  findings(): Finding[] {
    const out = this.out;
    for (const group of this.groups.values()) out.push(finished(group));
    for (const files of this.onLines.values()) {
      for (const lines of files.values()) for (const group of lines.values()) out.push(finished(group));
    }
    this.groups.clear();
    this.onLines.clear();
    return out;
  }
}

/** A group's lead, its message and fix naming its others. */
function finished(group: Group): Finding {
  const { lead } = group;
  let merged: Merged | undefined;
  if (group.chain) merged = mergedChain(group.chain, group.kind);
  else if (group.others) {
    const members: Member[] = [];
    for (let m: Member | undefined = group.others; m; m = m.next) members.push(m);
    merged = merge(
      group.kind,
      members.sort(byRank).map((m) => m.kind),
    );
  }
  if (merged) {
    // Two pieces, the second shared: every container missing the same settings has the same tail.
    lead.message = lead.message + merged.tail;
    lead.remediation = merged.remediation;
  }
  return lead;
}

/** The kinds of one run, one object for each (see `Kind`). */
class Kinds {
  private readonly byText = new Map<string, Kind[]>();

  of(severity: Severity, ruleOrder: number, ruleId: string, text: string, remediation: string): Kind {
    const same = this.byText.get(text);
    if (same) {
      // In one run a rule's place names the rule.
      for (const k of same) {
        if (k.ruleOrder === ruleOrder && k.severity === severity && k.remediation === remediation) return k;
      }
    }
    const kind = ownKind(severity, ruleOrder, ruleId, text, remediation);
    kind.shared = true;
    if (same) same.push(kind);
    else {
      // Texts that name a container each are many: the table starts over rather than grow.
      if (this.byText.size >= 4096) this.byText.clear();
      this.byText.set(text, [kind]);
    }
    return kind;
  }

  /** The run's one kind that says what `kind` says. */
  shared(kind: Kind): Kind {
    return kind.shared
      ? kind
      : this.of(kind.severity, kind.ruleOrder, kind.ruleId, kind.text, kind.remediation);
  }
}

/** A kind of its own, not (yet) the run's shared one. */
function ownKind(
  severity: Severity,
  ruleOrder: number,
  ruleId: string,
  text: string,
  remediation: string,
): Kind {
  // biome-ignore format: one kind
  return {
    severity, ruleOrder, ruleId, text, remediation, shared: false, lastRest: undefined, lastChain: undefined,
  };
}

/** `kind` put before `rest`: the chain made last time for the same, if it was. */
function cons(kind: Kind, led: boolean, rest: Chain | undefined): Chain {
  const last = kind.lastChain;
  if (last && kind.lastRest === rest && last.led === led) return last;
  // biome-ignore format: one chain
  const chain: Chain = {
    kind, led, rest, length: (rest?.length ?? 0) + 1, mergedFor: undefined, merged: undefined,
  };
  kind.lastRest = rest;
  kind.lastChain = chain;
  return chain;
}

/**
 * A chain's others as members of several documents would be: all of the lead's document. Their
 * raised order is not kept, so they are given places after the lead's and before the next raised
 * violation's, in the order they came, a former lead first among its rank: only their order among
 * themselves and against those is ever asked. (One that came before the lead ranks below it, so
 * never ties with it.)
 */
function mix(group: Group): void {
  const chain: Chain[] = [];
  for (let c = group.chain; c; c = c.rest) chain.push(c);
  const slots = chain.length + 1;
  let others: Member | undefined;
  for (let i = chain.length - 1, n = 1; i >= 0; i--, n++) {
    const { kind, led } = chain[i];
    others = { kind, doc: group.doc, seq: group.seq + (led ? 0.5 : n) / slots, next: others };
  }
  group.others = others;
  group.chain = undefined;
  group.mixed = true;
}

/** The merge of a chain's kinds into a lead of `lead`'s kind: worked out once per chain and lead. */
function mergedChain(chain: Chain, lead: Kind): Merged {
  if (chain.merged && chain.mergedFor === lead) return chain.merged;
  const links = new Array<Chain>(chain.length);
  // Oldest first; a stable sort by rank then keeps the order they came in among equals, after a
  // former lead of their rank.
  let i = chain.length;
  for (let c: Chain | undefined = chain; c; c = c.rest) links[--i] = c;
  links.sort((a, b) => byKind(a.kind, b.kind) || Number(b.led) - Number(a.led));
  chain.mergedFor = lead;
  chain.merged = merge(
    lead,
    links.map((c) => c.kind),
  );
  return chain.merged;
}

/**
 * The lead's message names the others (the first few, by rank), and its fix is theirs too. Built
 * piece by piece and joined once: this runs once per distinct merge (a chain's once for all its
 * groups), and a Deployment with 10,000 containers has 20,000 merged findings.
 */
function merge(lead: Kind, rest: readonly Kind[]): Merged {
  const parts = ['; also: '];
  const shown = Math.min(rest.length, MAX_ALSO);
  for (let i = 0; i < shown; i++) {
    const { text, ruleId } = rest[i];
    if (i > 0) parts.push('; ');
    parts.push(text);
    if (ruleId !== lead.ruleId) parts.push(' (', ruleId, ')');
  }
  if (rest.length > MAX_ALSO) parts.push(`; and ${rest.length - MAX_ALSO} more`);
  const fixes = [lead.remediation];
  for (const m of rest) if (!fixes.includes(m.remediation)) fixes.push(m.remediation);
  return { tail: MERGED.of(parts.join('')), remediation: MERGED.of(fixes.join(' ')) };
}

/**
 * The tails and fixes of merged findings: the same few recur (every container missing requests,
 * limits and ephemeral storage), one string each rather than one per finding.
 */
const MERGED = new Interner();

/** Does a violation of this kind, document and raised order come before the group's lead (see `byRank`)? */
function outranks(kind: Kind, doc: number, seq: number, than: Group): boolean {
  const d = byKind(kind, than.kind) || doc - than.doc || seq - than.seq;
  return d < 0;
}

/** The more severe first, then the earlier rule, then the first located (document, raised order). */
function byRank(a: Member, b: Member): number {
  return byKind(a.kind, b.kind) || a.doc - b.doc || a.seq - b.seq;
}

/** The more severe first, then the earlier rule. */
function byKind(a: Kind, b: Kind): number {
  return RANK[b.severity] - RANK[a.severity] || a.ruleOrder - b.ruleOrder;
}

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
