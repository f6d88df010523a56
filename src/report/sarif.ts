import type * as Sarif from 'sarif';
import type { CheckResult, RuleInfo } from '../jobs/check.js';
import { type Finding, type InputError, refKey, type Severity, type SourceLocation } from '../model/types.js';

/**
 * SARIF 2.1.0, as GitHub code scanning and IDE viewers read it: one run, the rules that ran (with
 * their category, why and how to fix), one result per finding with a real region, and input
 * errors as tool notifications. Findings dropped by a suppression annotation are included with an
 * `inSource` suppression and its justification, the way SARIF records accepted exceptions.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };
const SEVERITY_OF: Record<Sarif.Result.level, Severity> = {
  error: 'error',
  warning: 'warning',
  note: 'info',
  none: 'info',
};

/** GitHub code scanning rejects a run with more results than this. */
export const MAX_SARIF_RESULTS = 25_000;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface SarifOptions {
  version: string;
  /** Most results in the run; the most severe are kept and a notification says how many were left out. */
  maxResults?: number;
}

export function sarifReport(result: CheckResult, options: SarifOptions): Sarif.Log {
  const rules = result.rules.map(sarifRule);
  const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
  const all: Sarif.Result[] = [
    ...result.findings.map((f) => sarifResult(f, ruleIndex)),
    ...result.suppressed.map(({ finding, reason, expires }) => ({
      ...sarifResult(finding, ruleIndex),
      suppressions: [
        {
          kind: 'inSource' as const,
          justification: expires ? `${reason} (until ${expires})` : reason,
        },
      ],
    })),
  ];
  const max = options.maxResults ?? MAX_SARIF_RESULTS;
  const notifications = result.errors.map(notification);
  let results = all;
  if (all.length > max) {
    // Reported findings before suppressed ones, then by severity; the sort is stable.
    const weight = (r: Sarif.Result) => (r.suppressions ? 3 : 0) + RANK[SEVERITY_OF[r.level ?? 'warning']];
    results = [...all].sort((a, b) => weight(a) - weight(b)).slice(0, max);
    notifications.push({
      level: 'warning',
      message: {
        text: `${all.length} results; only the ${max} most severe are included, as code scanning accepts no more per run. Use the json format for all of them.`,
      },
    });
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipshape',
            version: options.version,
            semanticVersion: options.version,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: !result.errors.some((e) => e.level === 'error'),
            toolExecutionNotifications: notifications,
          },
        ],
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
}

export function renderSarif(result: CheckResult, options: SarifOptions): string {
  return `${JSON.stringify(sarifReport(result, options), null, 2)}\n`;
}

function sarifRule(rule: RuleInfo): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: {
      text: `${rule.fix}\n\nFails (line ${rule.example.line}):\n${rule.example.bad}\n\nPasses:\n${rule.example.good}`,
      markdown: `${rule.fix}\n\nFails (line ${rule.example.line}):\n\n\`\`\`yaml\n${rule.example.bad}\n\`\`\`\n\nPasses:\n\n\`\`\`yaml\n${rule.example.good}\n\`\`\``,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      // Suppression rules have no category of their own: each result carries its suppressed rule's.
      ...(rule.category && { category: rule.category }),
      tags: ['kubernetes', 'production-readiness', ...(rule.category ? [rule.category] : [])],
    },
  };
}

function sarifResult(f: Finding, ruleIndex: Map<string, number>): Sarif.Result {
  const index = ruleIndex.get(f.ruleId);
  return {
    ruleId: f.ruleId,
    ...(index !== undefined && { ruleIndex: index }),
    level: LEVEL[f.severity],
    message: { text: `${f.message}\nFix: ${f.remediation}` },
    locations: [
      {
        physicalLocation: physical(f.location),
        logicalLocations: [{ fullyQualifiedName: `${refKey(f.object)}:${f.path}`, kind: 'member' }],
      },
    ],
    partialFingerprints: { 'shipshape/v1': f.fingerprint },
    properties: {
      checklist: f.checklist,
      object: f.object,
      path: f.path,
      remediation: f.remediation,
      ...(f.renderedLocation && { renderedLocation: f.renderedLocation }),
    },
  };
}

function notification(e: InputError): Sarif.Notification {
  return {
    level: e.level === 'error' ? 'error' : 'note',
    message: { text: e.message },
    ...(e.location && { locations: [{ physicalLocation: physical(e.location) }] }),
  };
}

function physical(loc: SourceLocation): Sarif.PhysicalLocation {
  const region: Sarif.Region = { startLine: loc.line, startColumn: loc.column };
  if (loc.endLine) region.endLine = loc.endLine;
  if (loc.endColumn) region.endColumn = loc.endColumn;
  const uri = fileUri(loc.file);
  // Relative URIs are relative to the checkout root, which SARIF consumers call %SRCROOT%.
  const artifactLocation = uri.startsWith('file:') ? { uri } : { uri, uriBaseId: '%SRCROOT%' };
  return { artifactLocation, region };
}

/** Relative paths become relative URI references (each segment percent-encoded). */
export function fileUri(file: string): string {
  if (file.startsWith('/')) return `file://${file.split('/').map(encodeURIComponent).join('/')}`;
  return file.split('/').map(encodeURIComponent).join('/');
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
