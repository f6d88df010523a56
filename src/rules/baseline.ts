import { LineCounter, parseDocument } from 'yaml';
import { type Finding, type InputError, isRecord, refKey } from '../model/types.js';

/**
 * A baseline is the set of findings a team has accepted for now, by fingerprint (rule, object and
 * field path; never the line, so edits elsewhere in a file do not resurface them). With a baseline,
 * a run reports only what is new. The file is JSON, sorted and deduplicated, so that rewriting it
 * after a fix shows as a small diff in review. Pure: text in, text out.
 */

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** `Kind/namespace/name`, for the humans reading the file; only the fingerprint is matched. */
  object: string;
  path: string;
}

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

/** The baseline file's text for these findings: stable order, one entry per fingerprint. */
export function formatBaseline(findings: readonly Finding[]): string {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings) {
    entries.set(f.fingerprint, {
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      object: refKey(f.object),
      path: f.path,
    });
  }
  const sorted = [...entries.values()].sort(
    (a, b) =>
      cmp(a.object, b.object) ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.path, b.path) ||
      cmp(a.fingerprint, b.fingerprint),
  );
  const file: BaselineFile = { version: BASELINE_VERSION, findings: sorted };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export interface ParsedBaseline {
  fingerprints: Set<string>;
  errors: InputError[];
}

/** Read a baseline file; a broken one is an input error (with its line) and baselines nothing. */
export function parseBaseline(text: string, file: string): ParsedBaseline {
  const fingerprints = new Set<string>();
  const errors: InputError[] = [];
  const fail = (message: string, line = 1, column = 1): ParsedBaseline => {
    errors.push({ level: 'error', message: `baseline: ${message}`, location: { file, line, column } });
    return { fingerprints: new Set(), errors };
  };
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const { line, column } = jsonErrorPosition(text);
    return fail(`not valid JSON: ${(err as Error).message.split('\n')[0]}`, line, column);
  }
  if (!isRecord(data) || !Array.isArray(data.findings)) {
    return fail('expected {"version": 1, "findings": [...]} as written by --write-baseline');
  }
  if (data.version !== BASELINE_VERSION) {
    return fail(
      `unsupported version ${JSON.stringify(data.version)}; this shipshape reads version ${BASELINE_VERSION}`,
    );
  }
  data.findings.forEach((entry, i) => {
    if (isRecord(entry) && typeof entry.fingerprint === 'string' && entry.fingerprint) {
      fingerprints.add(entry.fingerprint);
    } else {
      errors.push({
        level: 'error',
        message: `baseline: findings[${i}] has no fingerprint; ignored`,
        location: { file, line: lineOfEntry(text, i), column: 1 },
      });
    }
  });
  return { fingerprints, errors };
}

/** Split findings into the new ones and those the baseline already accepts. */
export function applyBaseline(
  findings: readonly Finding[],
  fingerprints: ReadonlySet<string>,
): { findings: Finding[]; baselined: Finding[] } {
  const fresh: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) (fingerprints.has(f.fingerprint) ? baselined : fresh).push(f);
  return { findings: fresh, baselined };
}

/**
 * V8's JSON.parse messages do not always say where; the YAML parser (JSON is YAML) does, with a
 * line counter.
 */
function jsonErrorPosition(text: string): { line: number; column: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (!first) return { line: 1, column: 1 };
  const { line, col } = lineCounter.linePos(first.pos[0]);
  return { line, column: col };
}

/**
 * Best-effort line of the i-th entry for error messages: files we write put one `"fingerprint"`
 * per entry; otherwise the first line.
 */
function lineOfEntry(text: string, index: number): number {
  const lines = text.split('\n');
  let seen = -1;
  for (let n = 0; n < lines.length; n++) {
    if (/^\s*\{\s*("|$)/.test(lines[n]) && n > 0 && ++seen === index) return n + 1;
  }
  return 1;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
