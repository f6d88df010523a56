import type { CheckResult } from '../jobs/check.js';
import type { InputError, Severity, SourceLocation } from '../model/types.js';

/**
 * GitHub workflow commands (`::error file=…,line=…,col=…,title=…::message`), which the runner turns
 * into annotations on the changed files. Values are escaped as the runner's toolkit does: in the
 * message `%`, CR and LF; in properties also `:` and `,`.
 */

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function renderGithub(result: CheckResult): string {
  const lines: string[] = [];
  for (const e of result.errors) lines.push(inputErrorCommand(e));
  for (const f of result.findings) {
    lines.push(
      command(
        COMMAND[f.severity],
        { ...position(f.location), title: `${f.ruleId} (${f.checklist})` },
        `${f.message}\n${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name} ${f.path}\nFix: ${f.remediation}`,
      ),
    );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function inputErrorCommand(e: InputError): string {
  const props = { ...(e.location && position(e.location)), title: `shipshape input ${e.level}` };
  return command(e.level === 'error' ? 'error' : 'notice', props, e.message);
}

function position(loc: SourceLocation): Record<string, string> {
  return { file: loc.file, line: String(loc.line), col: String(loc.column) };
}

export function command(name: string, props: Record<string, string>, message: string): string {
  const list = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${name}${list ? ` ${list}` : ''}::${escapeData(message)}`;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
