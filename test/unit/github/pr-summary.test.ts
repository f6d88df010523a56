import { describe, expect, it } from 'vitest';
import { jobSummary, summaryBlocks } from '../../../src/github/pr-summary.js';
import type { PullRequestJobResult, TargetOutcome } from '../../../src/jobs/pull-request.js';
import type { Finding } from '../../../src/model/types.js';

const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

function finding(fp: string, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'security-privileged',
    checklist: 'security',
    severity: 'error',
    message: 'container "web" is privileged <script>',
    remediation: 'Remove privileged: true.',
    object: web,
    path: 'spec.template.spec.containers[name=web].securityContext.privileged',
    location: { file: 'charts/web/values.yaml', line: 7, column: 3 },
    fingerprint: fp,
    ...over,
  };
}

function result(target: Partial<TargetOutcome>): PullRequestJobResult {
  const t: TargetOutcome = {
    name: 'charts/web',
    kind: 'helm',
    presence: 'both',
    status: 'ok',
    baseErrors: [],
    newFindings: [],
    existingFindings: [],
    fixedFindings: [],
    diff: [],
    unchanged: 0,
    workloads: [web],
    ...target,
  };
  const headFindings = [...t.newFindings, ...t.existingFindings];
  t.head = { objects: 0, findings: headFindings, errors: [] };
  return {
    mode: 'pull-request',
    changedFiles: ['charts/web/values.yaml'],
    targets: [t],
    findings: headFindings,
    newFindings: t.newFindings,
    existingFindings: t.existingFindings,
    fixedFindings: t.fixedFindings,
    errors: [],
    renderedChanged: t.diff.length > 0,
    files: [],
    objects: 1,
  };
}

describe('summaryBlocks', () => {
  it('scores workloads per category, telling new from existing', () => {
    const r = result({
      newFindings: [finding('n1')],
      existingFindings: [
        finding('e1', { ruleId: 'probes-liveness-missing', checklist: 'probes', severity: 'warning' }),
      ],
    });
    const md = summaryBlocks(r, { failOn: 'error', failed: true, commented: new Set(['n1']) }).join('\n\n');
    expect(md).toContain('1 new (1 errors, 0 warnings, 0 info) · 1 existing · 0 fixed. Fails on `error`.');
    const row = md.split('\n').find((l) => l.startsWith('| Deployment/shop/web |'))!;
    const cells = row
      .split('|')
      .map((c) => c.trim())
      .slice(2, -1);
    // resources, probes, rbac, replicas, observability, security, ...
    expect(cells.slice(0, 6)).toEqual(['✅', '⚪ 1', '✅', '✅', '✅', '🔴 1']);
    expect(md).toContain('· 💬 inline');
    expect(md).toContain('&lt;script&gt;');
    expect(md).not.toContain('<script>');
  });

  it('says which new findings are not on a changed line', () => {
    const md = summaryBlocks(result({ newFindings: [finding('n1')] }), {
      failOn: 'error',
      failed: true,
      commented: new Set(),
    }).join('\n');
    expect(md).toContain('not on a changed line');
    const capped = summaryBlocks(result({ newFindings: [finding('n1')] }), {
      failOn: 'error',
      failed: true,
      commented: new Set(),
      overLimit: new Set(['n1']),
    }).join('\n');
    expect(capped).toContain('over the inline comment limit');
  });

  it('puts each changed object in its own collapsible block, secrets flagged', () => {
    const blocks = summaryBlocks(
      result({
        diff: [
          {
            key: 'Secret/shop/db',
            change: 'changed',
            diff: '-  password: <secret: 8 bytes>\n+  password: <secret: 9 bytes> (changed)',
            nondeterministic: [],
            secret: true,
          },
        ],
      }),
      { failOn: 'error', failed: false, commented: new Set() },
    );
    const block = blocks.find((b) => b.includes('Secret/shop/db'))!;
    expect(block.startsWith('<details><summary>✏️ Secret/shop/db 🔒</summary>')).toBe(true);
    expect(block).toContain('```diff');
    expect(block.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('says so when nothing is affected', () => {
    const empty = { ...result({}), targets: [] };
    expect(
      summaryBlocks(empty, { failOn: 'error', failed: false, commented: new Set() }).join('\n'),
    ).toContain('No Helm chart, Kustomize overlay or manifest folder is affected');
  });
});

describe('jobSummary', () => {
  it('keeps whole blocks under the limit and says what it left out', () => {
    const out = jobSummary(['a'.repeat(400), 'b'.repeat(400), 'c'.repeat(400)], 1100);
    expect(out).toContain('a'.repeat(400));
    expect(out).not.toContain('c'.repeat(400));
    expect(out).toContain('more sections left out');
  });
});
