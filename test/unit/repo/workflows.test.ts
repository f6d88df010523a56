import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The workflows users copy (examples/workflows/) use only inputs action.yml has, ask for their
 * permissions explicitly, and never run a pull request's code with a write token: no
 * `pull_request_target`, and no checkout in a job that publishes another run's results.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DIR = path.join(ROOT, 'examples/workflows');
const inputs = Object.keys(
  (parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
);

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix?: Record<string, unknown[]> };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflows = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => [f, parse(readFileSync(path.join(DIR, f), 'utf8')) as Workflow] as const);

describe.each(workflows)('examples/workflows/%s', (_, wf) => {
  const ours = Object.values(wf.jobs).flatMap((j) =>
    j.steps.filter((s) => s.uses?.startsWith('shipshape/shipshape@')),
  );

  it('uses only inputs action.yml has', () => {
    for (const step of ours) for (const key of Object.keys(step.with ?? {})) expect(inputs).toContain(key);
  });

  it('asks for its permissions explicitly, and never for pull_request_target', () => {
    expect(Object.keys(wf.on)).not.toContain('pull_request_target');
    for (const job of Object.values(wf.jobs)) expect(job.permissions ?? wf.permissions).toBeDefined();
  });

  it('checks nothing out where it publishes results, and writes nothing where it only computes', () => {
    for (const job of Object.values(wf.jobs)) {
      const steps = job.steps.filter((s) => s.uses?.startsWith('shipshape/shipshape@'));
      const perms = { ...wf.permissions, ...job.permissions };
      if (steps.some((s) => s.with?.mode === 'publish'))
        expect(job.steps.some((s) => s.uses?.startsWith('actions/checkout@'))).toBe(false);
      if (steps.some((s) => s.with?.publish === false))
        expect(Object.values(perms).filter((p) => p === 'write')).toEqual([]);
    }
  });

  it('uploads the result file even when the job failed on its findings', () => {
    for (const job of Object.values(wf.jobs)) {
      if (!job.steps.some((s) => s.with?.publish === false)) continue;
      const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@')) as Step & {
        if?: string;
      };
      expect(upload?.if).toMatch(/!cancelled\(\)|always\(\)/);
    }
  });

  it('splits into as many shards as its matrix has jobs', () => {
    for (const job of Object.values(wf.jobs)) {
      const shard = job.steps.find((s) => s.with?.shard)?.with?.shard;
      if (!shard) continue;
      expect(String(shard)).toBe(`\${{ matrix.shard }}/${job.strategy?.matrix?.shard?.length}`);
    }
  });
});
