import type { ObjectChange, TargetDiff } from './rendered.js';

/** The rendered diff as text for a terminal or a code block in a comment. Secrets are already redacted. */
export function formatDiff(diffs: readonly TargetDiff[]): string {
  const out: string[] = [];
  for (const d of diffs) {
    out.push(`=== ${d.target}${statusNote(d)}`);
    for (const e of [
      ...d.baseErrors.map((x) => ['base', x] as const),
      ...d.headErrors.map((x) => ['head', x] as const),
    ]) {
      const [side, err] = e;
      const where = err.location ? `${err.location.file}:${err.location.line}:${err.location.column}: ` : '';
      out.push(`  ! ${side}: ${where}${err.message}`);
    }
    for (const o of d.objects) out.push(...formatObject(o));
    if (d.objects.length === 0 && d.status === 'ok') out.push('  (no changes)');
    out.push('');
  }
  return out.join('\n');
}

function statusNote(d: TargetDiff): string {
  switch (d.status) {
    case 'added':
      return ' (new target)';
    case 'removed':
      return ' (target removed)';
    case 'base-failed':
      return ' (base did not render: every head object shows as added)';
    case 'head-failed':
      return ' (head did not render)';
    default:
      return ` (${d.objects.length} changed, ${d.unchanged} unchanged)`;
  }
}

const SIGN: Record<ObjectChange['change'], string> = { added: '+', removed: '-', changed: '~', renamed: '>' };

function formatObject(o: ObjectChange): string[] {
  const title = o.change === 'renamed' ? `${o.from} -> ${o.key}` : o.key;
  const lines = [
    `${SIGN[o.change]} ${title} (${o.change}${o.unstableName ? '; name differs between renders' : ''})`,
  ];
  if (o.nondeterministic.length > 0) {
    lines.push(
      `    non-deterministic (differs between renders, not a change): ${o.nondeterministic.join(', ')}`,
    );
  }
  if (o.change === 'changed' || o.change === 'renamed') {
    for (const l of o.diff.split('\n')) if (l) lines.push(`    ${l}`);
  }
  return lines;
}
