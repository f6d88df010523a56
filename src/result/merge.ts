import { finish, type PullRequestJobResult, type TargetOutcome } from '../jobs/pull-request.js';
import type { ResultFile } from './file.js';
import { ResultError } from './schema.js';

/**
 * The shards' results as the one run they split: every target's outcome back in the place it had
 * in the unsharded run's plan, and the run's lists rebuilt from them in that order, the way the
 * pull-request job builds them (then finished as it finishes a run), so that publishing the merge is publishing what one job would
 * have computed (the same finding kept where several targets make it on one line, the same
 * order everywhere). Run-wide facts (the commits, the changed files, the config's and
 * discovery's errors) are every shard's alike; a shard that disagrees is refused.
 *
 * Takes files already checked as one set (file.ts: checkResultSet).
 */
export function mergeRuns(files: readonly ResultFile[]): PullRequestJobResult {
  const runs: PullRequestJobResult[] = files.map((f) => f.result.run);
  const first = runs[0];
  const problems: string[] = [];
  const placed: { position: number; outcome: TargetOutcome }[] = [];
  let shared: PullRequestJobResult['errors'] | undefined;
  const readFiles = new Set<string>();
  let objects = 0;
  files.forEach((file, i) => {
    const run = runs[i];
    const label = `shard ${file.shard.index}/${file.shard.count}`;
    for (const key of ['mode', 'base', 'head', 'mergeBase'] as const)
      if (run[key] !== first[key])
        problems.push(`${label} has another ${key} (${run[key]} vs ${first[key]})`);
    if (JSON.stringify(run.changedFiles) !== JSON.stringify(first.changedFiles))
      problems.push(`${label} saw other changed files`);
    const { positions, targets } = file.shard;
    if (run.targets.length !== positions.length) {
      problems.push(`${label} reports ${run.targets.length} targets but took ${positions.length}`);
      return;
    }
    // A run lists its targets by name; the shard says where each stood in the split.
    const position = new Map(targets.map((name, k) => [name, positions[k]]));
    for (const outcome of run.targets) {
      const at = position.get(outcome.name);
      if (at === undefined) problems.push(`${label} reports a target it did not take`);
      else placed.push({ position: at, outcome });
    }
    if (position.size !== targets.length) problems.push(`${label} names a target twice`);
    // The run's errors are the run-wide ones, then each target's head errors in order.
    const own = run.targets.reduce((n, t) => n + (t.head?.errors.length ?? 0), 0);
    const runWide = run.errors.slice(0, run.errors.length - own);
    if (shared === undefined) shared = runWide;
    else if (JSON.stringify(shared) !== JSON.stringify(runWide))
      problems.push(`${label} reports other run-wide errors than shard ${files[0].shard.index}`);
    for (const f of run.files) readFiles.add(f);
    objects += run.objects;
  });
  if (problems.length > 0)
    throw new ResultError(`the shards' results do not fit together:\n- ${problems.join('\n- ')}`);

  const outcomes = placed.sort((a, b) => a.position - b.position).map((p) => p.outcome);
  const merged: PullRequestJobResult = {
    mode: first.mode,
    ...(first.base !== undefined ? { base: first.base } : {}),
    ...(first.head !== undefined ? { head: first.head } : {}),
    ...(first.mergeBase !== undefined ? { mergeBase: first.mergeBase } : {}),
    changedFiles: first.changedFiles,
    targets: outcomes,
    findings: outcomes.flatMap((o) => o.head?.findings ?? []),
    newFindings: outcomes.flatMap((o) => o.newFindings),
    existingFindings: outcomes.flatMap((o) => o.existingFindings),
    fixedFindings: outcomes.flatMap((o) => o.fixedFindings),
    errors: [...(shared ?? []), ...outcomes.flatMap((o) => o.head?.errors ?? [])],
    renderedChanged: outcomes.some((o) => o.diff.length > 0),
    files: [...readFiles],
    objects,
  };
  // As the job finishes a run: the same stable sorts over the same order.
  return finish(merged);
}

/** The head's text of the lines new findings sit on, from every shard. */
export function mergeLines(files: readonly ResultFile[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const f of files)
    for (const [file, lines] of Object.entries(f.result.lines)) out[file] = { ...out[file], ...lines };
  return out;
}
