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

export interface SarifOptions {
  version: string;
}

export function sarifReport(result: CheckResult, options: SarifOptions): Sarif.Log {
  const rules = result.rules.map(sarifRule);
  const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
  const results: Sarif.Result[] = [
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
            toolExecutionNotifications: result.errors.map(notification),
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
      text: `${rule.fix}\n\nFails:\n${rule.example.bad}\n\nPasses:\n${rule.example.good}`,
      markdown: `${rule.fix}\n\nFails:\n\n\`\`\`yaml\n${rule.example.bad}\n\`\`\`\n\nPasses:\n\n\`\`\`yaml\n${rule.example.good}\n\`\`\``,
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
