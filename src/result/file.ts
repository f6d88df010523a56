import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReadinessResult } from '../action/publish/types.js';
import type { PullRequestJobResult } from '../jobs/pull-request.js';
import { partitionDigest, type ShardInfo } from '../jobs/shard.js';
import { stringifyInChunks } from '../model/json.js';
import { readinessResult, sha } from './payload.js';
import { budget, type Infer, int, list, literal, obj, optional, ResultError, str } from './schema.js';

/**
 * The result file: what a job that computes without publishing (`publish: false`) leaves for a
 * job that publishes (`mode: publish`), in the same workflow run (shards of a monorepo) or in a
 * `workflow_run` that a fork's pull request triggered. One file per job, named by its shard.
 *
 * Reading one is reading untrusted input: the size is checked before anything is parsed, the
 * content against the schema (every list and string bounded, unknown fields refused), and a set
 * of files against what the trusted side knows (the commit and pull request the event names, one
 * file per shard, all from one split of the same targets). Nothing in a file is ever run.
 */

export const RESULT_FORMAT = 'shipshape-result';
/** Larger than any run's result we have seen by far; a file over it is refused unread. */
export const MAX_RESULT_BYTES = 32 * 1024 * 1024;
/** Most result files one publish job reads (GitHub allows 256 jobs per matrix). */
export const MAX_RESULT_FILES = 256;
/** Over the whole file: list items, and characters of text. */
const LIMITS = { items: 1_000_000, chars: MAX_RESULT_BYTES };

/** What the file says about the split it belongs to (jobs/shard.ts's ShardInfo). */
const shardStamp = obj({
  index: int(1, 256),
  count: int(1, 256),
  /** The digest of every target id of the split: shards of one run agree on it. */
  partition: str(64, { pattern: /^[0-9a-f]{16}$/ }),
  total: int(0, 1_000_000),
  targets: list(str(2048, { as: 'text' }), 1_000_000),
  positions: list(int(0, 1_000_000), 1_000_000),
});

const envelope = obj({
  format: literal(RESULT_FORMAT),
  version: literal(1),
  /** The shipshape version that wrote it: shards and the publisher must be the same release. */
  shipshape: str(64, { pattern: /^[\w.+-]+$/ }),
  /** The commit the result is about: the pull request's head, else the commit checked. */
  commit: sha,
  pullRequest: optional(obj({ number: int(1, 1_000_000_000), headSha: sha, baseSha: sha })),
  shard: shardStamp,
  result: readinessResult,
});

export type ResultFile = Infer<typeof envelope>;
export type ShardStamp = ResultFile['shard'];
export type StoredResult = ResultFile['result'];

/** The file's name for a shard, so that artifacts of a matrix can be downloaded side by side. */
export function resultFileName(shard: Pick<ShardStamp, 'index' | 'count'>): string {
  return shard.count === 1
    ? `${RESULT_FORMAT}.json`
    : `${RESULT_FORMAT}-${shard.index}-of-${shard.count}.json`;
}

/** The envelope for one job's result: which commit and pull request, which shard of which split. */
export function resultFileOf(result: ReadinessResult, version: string): ResultFile {
  const pr = result.pullRequest;
  // The split goes in the envelope; the run stored is the run as publishers read it.
  const { shard: split, ...run } = result.run;
  const shard = split ?? wholeRun(result.run);
  return {
    format: RESULT_FORMAT,
    version: 1,
    shipshape: version,
    commit: result.commit,
    ...(pr ? { pullRequest: { number: pr.number, headSha: pr.headSha, baseSha: pr.baseSha } } : {}),
    shard: {
      index: shard.spec.index,
      count: shard.spec.count,
      partition: shard.partition,
      total: shard.total,
      targets: shard.targets,
      positions: shard.positions,
    },
    result: { ...result, run },
  };
}

/** A run that was not split: shard 1 of 1, every target it evaluated, in its order. */
export function wholeRun(run: PullRequestJobResult): ShardInfo {
  const ids = run.targets.map((t) => t.name);
  return {
    spec: { index: 1, count: 1 },
    targets: ids,
    positions: ids.map((_, i) => i),
    total: ids.length,
    partition: partitionDigest(ids),
  };
}

/** The text of a result file. Write it through the secrets module's masking, like every output. */
export function formatResultFile(file: ResultFile): string {
  return [...resultFileChunks(file)].join('');
}

/**
 * A result file's text a piece at a time (`formatResultFile` joined): a run with 160,000 findings
 * makes more than one JavaScript string can hold, and must still leave its result.
 */
export function* resultFileChunks(file: ResultFile): Generator<string> {
  yield* stringifyInChunks(file);
  yield '\n';
}

/**
 * Parse and validate one result file. `untrusted`: it comes from a run with less privilege than
 * this one (a fork's), so its free text is neutralised too (result/escape.ts).
 */
export function parseResultFile(text: string, options: { untrusted: boolean; name?: string }): ResultFile {
  const where = options.name ?? 'the result file';
  if (Buffer.byteLength(text) > MAX_RESULT_BYTES)
    throw new ResultError(`${where}: larger than ${MAX_RESULT_BYTES / 1024 / 1024} MiB; refused unread`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ResultError(`${where}: not JSON (${(err as Error).message.slice(0, 200)})`);
  }
  let file: ResultFile;
  try {
    file = envelope(value, '', budget(options.untrusted, { ...LIMITS }));
  } catch (err) {
    if (err instanceof ResultError) throw new ResultError(`${where}: ${err.message}`);
    throw err;
  }
  // The envelope and the result inside it must tell one story.
  const { result, shard } = file;
  const problems: string[] = [];
  if (result.commit !== file.commit)
    problems.push(`its result is about ${result.commit}, its envelope ${file.commit}`);
  if (file.pullRequest?.number !== result.pullRequest?.number)
    problems.push('its result names another pull request');
  if (file.pullRequest && file.pullRequest.headSha !== file.commit)
    problems.push('its pull request head is not its commit');
  if (shard.index > shard.count) problems.push(`shard ${shard.index} of ${shard.count}`);
  if (shard.targets.length !== shard.positions.length)
    problems.push('its shard lists targets and positions that do not pair');
  if (shard.positions.some((p) => p >= shard.total)) problems.push('its shard names a target past the total');
  if (problems.length > 0) throw new ResultError(`${where}: ${problems.join('; ')}`);
  return file;
}

/** What the trusted side knows: from the event (`workflow_run`, `pull_request`), never a file. */
export interface Expected {
  /** The commit the results must be about: the pull request's head SHA, else the run's commit. */
  commit: string;
  /** The pull request they must be about, when the event names one. */
  pullRequest?: number;
  /** The shipshape release that publishes: the shards must have been the same one. */
  version: string;
}

/**
 * A set of result files checked as one run: every shard of one split, each once, all about the
 * expected commit and pull request. Anything else is refused with what is wrong, so that a
 * missing shard is never published as a complete result. Returns the files in shard order.
 */
export function checkResultSet(files: readonly ResultFile[], expected: Expected): ResultFile[] {
  if (files.length === 0) throw new ResultError('no result file was found: nothing to publish');
  const problems: string[] = [];
  const label = (f: ResultFile) => `shard ${f.shard.index}/${f.shard.count}`;
  for (const f of files) {
    if (f.commit !== expected.commit)
      problems.push(
        `${label(f)} is about commit ${f.commit.slice(0, 12)}, not ${expected.commit.slice(0, 12)} (a result of another run or push)`,
      );
    if (expected.pullRequest !== undefined && f.pullRequest?.number !== expected.pullRequest)
      problems.push(
        `${label(f)} is about ${f.pullRequest ? `pull request #${f.pullRequest.number}` : 'no pull request'}, not #${expected.pullRequest}`,
      );
    if (expected.pullRequest === undefined && f.pullRequest)
      problems.push(`${label(f)} is about pull request #${f.pullRequest.number}, but this run is about none`);
    if (f.shipshape !== expected.version)
      problems.push(
        `${label(f)} was written by shipshape ${f.shipshape}, and this is ${expected.version}: use one release in both jobs`,
      );
  }
  const count = files[0].shard.count;
  if (files.some((f) => f.shard.count !== count))
    problems.push(
      `the files come from splits into ${[...new Set(files.map((f) => f.shard.count))].join(' and ')} shards`,
    );
  const digest = files[0].shard.partition;
  if (files.some((f) => f.shard.partition !== digest))
    problems.push('the shards split different sets of targets (another commit, other paths or config)');
  const byIndex = new Map<number, ResultFile>();
  for (const f of files) {
    if (byIndex.has(f.shard.index)) problems.push(`${label(f)} appears twice`);
    byIndex.set(f.shard.index, f);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    problems.push(
      `the result of shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} is missing (did that job fail, or its upload?): a partial result is not published as complete`,
    );
  if (problems.length === 0) {
    // Together the shards take every target once.
    const total = files[0].shard.total;
    const seen = new Array<number>(total).fill(0);
    for (const f of files) {
      if (f.shard.total !== total) problems.push(`${label(f)} counts ${f.shard.total} targets, not ${total}`);
      for (const p of f.shard.positions) if (p < total) seen[p]++;
    }
    const wrong = seen.filter((n) => n !== 1).length;
    if (wrong > 0)
      problems.push(`${wrong} target${wrong === 1 ? ' is' : 's are'} not taken by exactly one shard`);
  }
  if (problems.length > 0) throw new ResultError(`cannot publish these results:\n- ${problems.join('\n- ')}`);
  return [...files].sort((a, b) => a.shard.index - b.shard.index);
}

/**
 * Result files under the given paths (files, or folders as actions/download-artifact leaves them,
 * searched for `shipshape-result*.json`). Links are not followed; at most MAX_RESULT_FILES.
 */
export async function findResultFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (abs: string, depth: number, named: boolean): Promise<void> => {
    const st = await lstat(abs).catch(() => undefined);
    if (!st) {
      if (named) throw new ResultError(`${path.relative(cwd, abs) || abs}: no such file or folder`);
      return;
    }
    if (st.isSymbolicLink())
      throw new ResultError(`${path.relative(cwd, abs)}: a link; result files are read only as plain files`);
    if (st.isFile()) {
      if (named || /^shipshape-result.*\.json$/.test(path.basename(abs))) found.push(abs);
    } else if (st.isDirectory() && depth < 4) {
      const entries = (await readdir(abs)).sort();
      for (const e of entries) await visit(path.join(abs, e), depth + 1, false);
    }
    if (found.length > MAX_RESULT_FILES) throw new ResultError(`more than ${MAX_RESULT_FILES} result files`);
  };
  for (const p of paths) await visit(path.resolve(cwd, p), 0, true);
  return found;
}

/** Read and validate result files; the size is checked before a file is read. */
export async function readResultFiles(
  files: readonly string[],
  options: { untrusted: boolean; cwd: string },
): Promise<ResultFile[]> {
  const out: ResultFile[] = [];
  for (const file of files) {
    const name = path.relative(options.cwd, file) || file;
    const st = await lstat(file);
    if (st.size > MAX_RESULT_BYTES)
      throw new ResultError(`${name}: larger than ${MAX_RESULT_BYTES / 1024 / 1024} MiB; refused unread`);
    out.push(parseResultFile(await readFile(file, 'utf8'), { untrusted: options.untrusted, name }));
  }
  return out;
}
