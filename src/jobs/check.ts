import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FailOn } from '../config/check.js';
import { type Config, isConfigFile, ruleSelectionOf } from '../config/index.js';
import { relativeName } from '../load/files.js';
import type { Manifest } from '../load/yaml.js';
import { pushAll } from '../model/collections.js';
import type { ShardSpec } from '../model/partition.js';
import type { Category, Finding, InputError, Severity } from '../model/types.js';
import { applyBaseline, parseBaseline } from '../rules/baseline.js';
import { onePerLine, runRules, sortFindings } from '../rules/engine.js';
import { ALL_RULES } from '../rules/index.js';
import { applySuppressions, SUPPRESSION_RULES, type SuppressionResult } from '../rules/suppress.js';
import type { Rule, RuleMeta } from '../rules/types.js';
import { loadSources } from './render.js';
import type { ShardInfo } from './shard.js';

/**
 * The check job: paths and settings -> load -> rules -> suppressions -> baseline -> a CheckResult.
 * The CLI and the Action both call it and hand the result to a reporter. Expected failures (bad
 * YAML, a missing file, a broken baseline) are InputErrors in the result; the run goes on.
 */

export interface CheckSettings {
  /** Files, folders and `-` (stdin), relative to `cwd`. */
  paths: readonly string[];
  cwd?: string;
  config: Config;
  /** Problems found while reading the config; reported with the rest. */
  configErrors?: readonly InputError[];
  /**
   * A baseline file (relative to `cwd`) to apply, overriding the config's `baseline:`; `false` to
   * apply none (when writing a new baseline from every current finding).
   */
  baseline?: string | false;
  /** "Today" for suppression expiry; injectable for tests. */
  today?: Date | string;
  /** The checklist; all built-in rules by default (tests pass small fake ones). */
  rules?: readonly Rule[];
  stdin?: () => Promise<string>;
  /** Check only this shard's part of the targets (jobs/shard.ts). */
  shard?: ShardSpec;
}

/** A rule as reports describe it; suppression rules take their category from each finding. */
export type RuleInfo = Omit<RuleMeta, 'category'> & { category?: Category };

export interface CheckResult {
  /** What to report: after suppressions and the baseline, sorted by file and line. */
  findings: Finding[];
  errors: InputError[];
  /** Files read, relative to the working directory. */
  files: string[];
  objects: number;
  /** Every rule that ran (and the suppression rules), for reports that describe rules. */
  rules: RuleInfo[];
  suppressed: SuppressionResult['suppressed'];
  /** Findings the baseline accepts (not reported, but kept for `--write-baseline`). */
  baselined: Finding[];
  /** With a shard: which targets it took, of how many. */
  shard?: ShardInfo;
}

export async function runCheck(settings: CheckSettings): Promise<CheckResult> {
  const cwd = settings.cwd ?? process.cwd();
  const { config } = settings;
  const errors: InputError[] = [...(settings.configErrors ?? [])];

  // Config files are YAML but not manifests: checking a folder that holds one should not note it.
  const skip = (file: string) => isConfigFile(file, config.file);
  // Charts and overlays among the paths (or the config's `targets:`) are rendered first.
  const loaded = await loadSources(settings.paths, {
    cwd,
    exclude: config.exclude,
    skip,
    stdin: settings.stdin,
    configTargets: config.targets,
    configDir: config.dir,
    render: config.render,
    discover: config.discover,
    shard: settings.shard,
  });
  pushAll(errors, loaded.errors);

  const checklist = settings.rules ?? ALL_RULES;
  // Each rendered target (a chart with one values file, an overlay) is its own deployment: the
  // checklist runs on each alone, and the same finding several of them make on one line (a base
  // both overlays use) is reported once: one edit fixes it.
  const parts = loaded.groups.map((group) =>
    checkManifests(group.manifests, config, {
      rules: checklist,
      today: settings.today,
      defaultNamespace: group.namespace,
    }),
  );
  const ran = parts[0]?.ran ?? checklist.filter((r) => !isDisabled(config, r.meta.id));
  const suppression = mergeChecks(parts);

  let findings = suppression.findings;
  let baselined: Finding[] = [];
  const baselineFile = baselinePath(settings, config, cwd);
  if (baselineFile) {
    const fingerprints = await readBaseline(baselineFile, cwd, errors);
    ({ findings, baselined } = applyBaseline(findings, fingerprints));
  }

  return {
    findings,
    errors,
    files: loaded.files,
    objects: loaded.manifests.length,
    rules: [...ran.map((r) => r.meta), ...SUPPRESSION_RULES.filter((m) => !isDisabled(config, m.id))],
    suppressed: suppression.suppressed,
    baselined,
    ...(loaded.shard && { shard: loaded.shard }),
  };
}

export interface ChecklistOptions {
  /** The checklist; all built-in rules by default. */
  rules?: readonly Rule[];
  /** "Today" for suppression expiry. */
  today?: Date | string;
  /** Where objects that name no namespace go (a Helm target's --namespace); default: `default`. */
  defaultNamespace?: string;
}

/**
 * The checklist over manifests already loaded (or rendered), with the config's rule selection,
 * then the suppression annotations. Pure; the pull-request job runs it per target and revision.
 */
export function checkManifests(
  manifests: readonly Manifest[],
  config: Config,
  options: ChecklistOptions = {},
): SuppressionResult & { ran: Rule[] } {
  const checklist = options.rules ?? ALL_RULES;
  const selection = ruleSelectionOf(config);
  const ran = checklist.filter((r) => !selection.disabled.has(r.meta.id));
  const settings = options.defaultNamespace
    ? { ...selection.settings, defaultNamespace: options.defaultNamespace }
    : selection.settings;
  const raw = runRules(manifests, ran, { settings, severity: selection.severity });
  const suppression = applySuppressions(manifests, raw, {
    rules: checklist.map((r) => r.meta),
    ran: new Set(ran.map((r) => r.meta.id)),
    today: options.today ?? new Date(),
    disabled: selection.disabled,
    severity: selection.severity,
  });
  return { ...suppression, ran };
}

function mergeChecks(parts: SuppressionResult[]): SuppressionResult {
  if (parts.length === 1) return parts[0];
  const findings = onePerLine(parts.flatMap((p) => p.findings));
  return { findings: sortFindings(findings), suppressed: parts.flatMap((p) => p.suppressed) };
}

function isDisabled(config: Config, ruleId: string): boolean {
  return config.rules[ruleId]?.enabled === false;
}

/** Absolute path of the baseline to apply: the flag's (from cwd) or the config's (from its folder). */
function baselinePath(settings: CheckSettings, config: Config, cwd: string): string | undefined {
  if (settings.baseline === false) return undefined;
  if (settings.baseline) return path.resolve(cwd, settings.baseline);
  if (config.baseline) return path.resolve(cwd, config.dir, config.baseline);
  return undefined;
}

async function readBaseline(abs: string, cwd: string, errors: InputError[]): Promise<Set<string>> {
  const rel = relativeName(cwd, abs);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? 'no such file (write one with --write-baseline)' : (code ?? String(err));
    errors.push({ level: 'error', message: `baseline ${rel}: ${hint}` });
    return new Set();
  }
  const parsed = parseBaseline(text, rel);
  pushAll(errors, parsed.errors);
  return parsed.fingerprints;
}

// ---------------------------------------------------------------------------------------------
// Thresholds, shared by the CLI's exit code and the Action's check-run conclusion.

export type { FailOn };

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Does any finding reach the threshold (`warning` means warnings and errors)? */
export function reachesThreshold(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => RANK[f.severity] >= RANK[failOn]);
}

/** Input errors (not notes) make a run's result incomplete. */
export function hasInputErrors(result: Pick<CheckResult, 'errors'>): boolean {
  return result.errors.some((e) => e.level === 'error');
}
