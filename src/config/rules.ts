import { suggest } from '../model/suggest.js';
import { isRecord, SEVERITIES, type Severity } from '../model/types.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/types.js';
import {
  type ConfigPath,
  type ConfigReader,
  type ConfigSection,
  describe,
  expectBoolean,
  expectMap,
  expectOneOf,
  expectPatterns,
  expectStringList,
  expectStringMap,
  rejectUnknownKeys,
} from './validate.js';

/**
 * The sections that tune the checklist:
 *
 *   rules:
 *     image-digest-missing: off                 # off | on | a severity | { enabled, severity }
 *     probes-startup-missing: { severity: warning }
 *   critical:                                   # which workloads must be Guaranteed QoS
 *     labels: { tier: payments }                # each given key replaces its default
 *     annotations: {}
 *     priorityClassNames: [system-cluster-critical]
 *   images:
 *     debugTagPatterns: [debug, "-rc\\d+$"]     # case-insensitive regular expressions
 *   namespaces:
 *     owned: [shop, "team-*"]                   # namespaces this repository manages
 *
 * Namespace-level rules (default-deny policies, quotas) are raised at their severity only in
 * namespaces the checked set owns; elsewhere they are one info note per namespace.
 */

/** A rule's switch and severity: `off`, a severity, or `{ enabled, severity }`. */
export interface RuleConfig {
  enabled: boolean;
  severity?: Severity;
}

export const rulesSection: ConfigSection<Record<string, RuleConfig>> = {
  defaults: () => ({}),
  read(value, r, p) {
    const map = expectMap(value, r, p);
    const out: Record<string, RuleConfig> = {};
    for (const [id, setting] of Object.entries(map ?? {})) {
      const at = [...p, id];
      if (!r.ruleIds.has(id)) {
        r.error(at, `unknown rule id${suggest(id, r.ruleIds)}; \`shipshape rules\` lists them`);
        continue;
      }
      const parsed = readRuleSetting(setting, r, at);
      if (parsed) out[id] = parsed;
    }
    return out;
  },
};

/** `off` | `on` | `false` | `true` | a severity | `{ enabled, severity }`. */
function readRuleSetting(value: unknown, r: ConfigReader, p: ConfigPath): RuleConfig | undefined {
  if (value === 'off' || value === false) return { enabled: false };
  if (value === 'on' || value === true) return { enabled: true };
  if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) {
    return { enabled: true, severity: value as Severity };
  }
  if (isRecord(value)) {
    const map = value;
    rejectUnknownKeys(map, ['enabled', 'severity'], r, p);
    const out: RuleConfig = { enabled: true };
    if ('enabled' in map) out.enabled = expectBoolean(map.enabled, r, [...p, 'enabled']) ?? true;
    if ('severity' in map) {
      const severity = expectOneOf(map.severity, SEVERITIES, r, [...p, 'severity']);
      if (severity) out.severity = severity;
    }
    return out;
  }
  const hint = typeof value === 'string' ? suggest(value, ['off', 'on', ...SEVERITIES]) : '';
  r.error(
    p,
    `must be off, on, ${SEVERITIES.join(', ')} or { enabled, severity }, got ${describe(value)}${hint}`,
  );
  return undefined;
}

type Critical = RuleSettings['critical'];

export const criticalSection: ConfigSection<Critical> = {
  defaults: () => structuredClone(DEFAULT_RULE_SETTINGS.critical),
  read(value, r, p) {
    const out = criticalSection.defaults();
    const map = expectMap(value, r, p);
    if (!map) return out;
    rejectUnknownKeys(map, ['labels', 'annotations', 'priorityClassNames'], r, p);
    // Each given key replaces its default, so that a team can narrow the selector as well as widen it.
    if ('labels' in map) out.labels = expectStringMap(map.labels, r, [...p, 'labels']) ?? out.labels;
    if ('annotations' in map) {
      out.annotations = expectStringMap(map.annotations, r, [...p, 'annotations']) ?? out.annotations;
    }
    if ('priorityClassNames' in map) {
      out.priorityClassNames =
        expectStringList(map.priorityClassNames, r, [...p, 'priorityClassNames']) ?? out.priorityClassNames;
    }
    return out;
  },
};

export interface ImagesConfig {
  debugTagPatterns: string[];
}

export const imagesSection: ConfigSection<ImagesConfig> = {
  defaults: () => ({ debugTagPatterns: [...DEFAULT_RULE_SETTINGS.debugTagPatterns] }),
  read(value, r, p) {
    const out = imagesSection.defaults();
    const map = expectMap(value, r, p);
    if (!map) return out;
    rejectUnknownKeys(map, ['debugTagPatterns'], r, p);
    if ('debugTagPatterns' in map) {
      // The rules compile these as case-insensitive regular expressions: catch typos here, by line.
      out.debugTagPatterns =
        expectPatterns(map.debugTagPatterns, r, [...p, 'debugTagPatterns']) ?? out.debugTagPatterns;
    }
    return out;
  },
};

export interface NamespacesConfig {
  owned: string[];
}

export const namespacesSection: ConfigSection<NamespacesConfig> = {
  defaults: () => ({ owned: [] }),
  read(value, r, p) {
    const out: NamespacesConfig = { owned: [] };
    const map = expectMap(value, r, p, 'a mapping with `owned:`, a list of namespace names');
    if (!map) return out;
    rejectUnknownKeys(map, ['owned'], r, p);
    out.owned = expectStringList(map.owned, r, [...p, 'owned']) ?? [];
    return out;
  },
};
