import { describe, expect, it } from 'vitest';
import type { PullRequestJobResult, TargetOutcome } from '../../../src/jobs/pull-request.js';
import type { Finding } from '../../../src/model/types.js';
import { countedFindings } from '../../../src/report/pull-request.js';
import type { ResultFile } from '../../../src/result/file.js';
import { mergeLines, mergeRuns } from '../../../src/result/merge.js';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);

function finding(namespace: string, fingerprint: string, file = 'base/deployment.yaml', line = 3): Finding {
  return {
    ruleId: 'replicas-minimum',
    checklist: 'replicas',
    severity: 'error',
    message: 'Deployment "api" runs 1 replica',
    remediation: 'Set spec.replicas to 2 or more.',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'api' },
    path: 'spec.replicas',
    location: { file, line, column: 3 },
    fingerprint,
  };
}

function outcome(name: string, findings: Finding[], errors = 0): TargetOutcome {
  return {
    name,
    kind: 'kustomize',
    presence: 'both',
    head: {
      findings,
      errors: Array.from({ length: errors }, (_, i) => ({
        level: 'error' as const,
        message: `${name} error ${i}`,
      })),
      objects: 1,
    },
    status: 'ok',
    baseErrors: [],
    newFindings: findings,
    existingFindings: [],
    fixedFindings: findings.map((f) => ({ ...f, fingerprint: `f${f.fingerprint.slice(1)}` })),
    diff: [],
    unchanged: 0,
    workloads: [],
  };
}

/** One shard's file: its outcomes (listed by name, as a run lists them) at these plan positions. */
function shard(
  index: number,
  count: number,
  taken: [number, TargetOutcome][],
  runWide: string[] = [],
): ResultFile {
  const targets = [...taken].map(([, o]) => o).sort((a, b) => (a.name < b.name ? -1 : 1));
  const run: PullRequestJobResult = {
    mode: 'pull-request',
    base: BASE,
    head: HEAD,
    changedFiles: ['base/deployment.yaml'],
    targets,
    findings: targets.flatMap((t) => t.head!.findings),
    newFindings: targets.flatMap((t) => t.newFindings),
    existingFindings: [],
    fixedFindings: targets.flatMap((t) => t.fixedFindings),
    errors: [
      ...runWide.map((message) => ({ level: 'note' as const, message })),
      ...targets.flatMap((t) => t.head!.errors),
    ],
    renderedChanged: false,
    files: targets.map((t) => `${t.name}/kustomization.yaml`),
    objects: targets.length,
  };
  return {
    format: 'shipshape-result',
    version: 1,
    shipshape: '0.1.0',
    commit: HEAD,
    shard: {
      index,
      count,
      partition: '0011223344556677',
      total: 3,
      targets: taken.map(([, o]) => o.name),
      positions: taken.map(([p]) => p),
    },
    result: {
      version: 1,
      job: 'pull-request',
      key: 'default',
      checkName: 'shipshape',
      commit: HEAD,
      failOn: 'error',
      failed: true,
      counted: countedFindings(run),
      notes: [],
      lines: { 'base/deployment.yaml': { [String(index)]: `line ${index}` } },
      run,
    },
  };
}

// Two overlays of one base make the same finding on one line (different namespaces, so different
// fingerprints); the unsharded run keeps the first in plan order.
const prod = outcome('overlays/prod', [finding('prod', '1111111111111111')], 1);
const dev = outcome('overlays/dev', [finding('dev', '2222222222222222')]);
const web = outcome('charts/web', [finding('web', '3333333333333333', 'charts/web/values.yaml', 1)], 2);

describe('mergeRuns', () => {
  it('puts every target back where the plan had it, and rebuilds the run in that order', () => {
    // Plan order: prod (0), dev (1), web (2); shard 1 took dev, shard 2 prod and web.
    const merged = mergeRuns([
      shard(1, 2, [[1, dev]], ['config note']),
      shard(
        2,
        2,
        [
          [0, prod],
          [2, web],
        ],
        ['config note'],
      ),
    ]);
    expect(merged.targets.map((t) => t.name)).toEqual(['charts/web', 'overlays/dev', 'overlays/prod']);
    // Where several targets make one finding on one line, the plan's first (prod) is the one kept.
    expect(countedFindings(merged).map((f) => f.object.namespace)).toEqual(['prod', 'web']);
    expect(merged.fixedFindings.map((f) => f.object.namespace)).toEqual(['prod', 'dev', 'web']);
    expect(merged.errors.map((e) => e.message)).toEqual([
      'config note',
      'overlays/prod error 0',
      'charts/web error 0',
      'charts/web error 1',
    ]);
    expect(merged.objects).toBe(3);
    expect(merged.files).toEqual([
      'charts/web/kustomization.yaml',
      'overlays/dev/kustomization.yaml',
      'overlays/prod/kustomization.yaml',
    ]);
  });

  it('is the same whichever order the files come in', () => {
    const a = shard(1, 2, [[1, dev]]);
    const b = shard(2, 2, [
      [0, prod],
      [2, web],
    ]);
    expect(mergeRuns([b, a])).toEqual(mergeRuns([a, b]));
  });

  it('refuses shards that disagree on the run', () => {
    const a = shard(1, 2, [[1, dev]], ['config note']);
    const b = shard(
      2,
      2,
      [
        [0, prod],
        [2, web],
      ],
      ['another note'],
    );
    expect(() => mergeRuns([a, b])).toThrow(/shard 2\/2 reports other run-wide errors/);
    const c = shard(2, 2, [
      [0, prod],
      [2, web],
    ]);
    c.result.run.base = HEAD;
    expect(() => mergeRuns([shard(1, 2, [[1, dev]]), c])).toThrow(/shard 2\/2 has another base/);
    const d = shard(2, 2, [[0, prod]]);
    d.result.run.targets.push(web);
    expect(() => mergeRuns([shard(1, 2, [[1, dev]]), d])).toThrow(/reports 2 targets but took 1/);
  });

  it('merges the lines of the head each shard read', () => {
    expect(mergeLines([shard(1, 2, [[1, dev]]), shard(2, 2, [[0, prod]])])).toEqual({
      'base/deployment.yaml': { '1': 'line 1', '2': 'line 2' },
    });
  });
});
