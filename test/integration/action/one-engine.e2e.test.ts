import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';
import { BASE_FILES, HEAD_CHANGES, TestRepo } from './repo.js';
import { ACTION_BUNDLE, pullRequestEvent, runAction } from './run-action.js';

/**
 * One base-vs-head engine: `shipshape diff --base main` and `shipshape check --base main` on a
 * branch say exactly what the Action says on the pull request of that branch — the same new
 * findings on the same lines, the same rendered diff. Main has moved on since the branch point
 * (a new manifest with problems of its own): neither the CLI nor the Action may count it, since
 * both compare from the merge base.
 */

let server: GitHubServer;
let repo: TestRepo;

beforeAll(async () => {
  if (!existsSync(ACTION_BUNDLE)) throw new Error(`${ACTION_BUNDLE} is missing: run \`npm run build\` first`);
  server = await startGitHubServer();
  repo = new TestRepo();
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});
afterEach(() => {
  expect(server.violations).toEqual([]);
});

function cliIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdoutIsTTY: false,
    env: {},
    cwd,
    writeFile: async () => undefined,
    out: () => out,
    err: () => err,
  };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = cliIo(repo.dir);
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

interface JsonFinding {
  ruleId: string;
  location: { file: string; line: number };
  fingerprint: string;
}
interface ReportJson {
  findings: JsonFinding[];
  pullRequest?: { new: string[]; mergeBase?: string; targets: { name: string }[] };
}

/** The new findings of a report.json, as rule, file and line. */
function newFindings(report: ReportJson): string[] {
  const fresh = new Set(report.pullRequest?.new ?? []);
  return report.findings
    .filter((f) => fresh.has(f.fingerprint))
    .map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`)
    .sort();
}

/** The unified diffs in the fenced `diff` blocks of a Markdown comment. */
function fencedDiffs(markdown: string): string[] {
  return [...markdown.matchAll(/^(`{3,})diff\n([\s\S]*?)\n\1$/gm)].map((m) => m[2]).sort();
}

describe('the CLI and the Action on one pull request', () => {
  it('report the same new findings and the same rendered diff, from the merge base', async () => {
    const branchPoint = repo.commit('base', BASE_FILES);
    repo.git('checkout', '-q', '-b', 'feature');
    const head = repo.commit('break three things', HEAD_CHANGES);
    // Main moves on: a manifest the branch never saw, with problems of its own.
    repo.checkout('main');
    const base = repo.commit('a cache', {
      'plain/cache.yaml': BASE_FILES['plain/worker.yaml']
        .replaceAll('worker', 'cache')
        .replace('image: ghcr.io/acme/cache:3.1.0', 'image: ghcr.io/acme/cache:latest'),
    });
    repo.checkout('feature');

    server.addPull({
      number: 51,
      head: { sha: head, ref: 'feature' },
      base: { sha: base, ref: 'main' },
      files: repo.pullFiles(branchPoint, head),
    });
    const action = await runAction({
      workspace: repo.dir,
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 51, baseSha: base, headSha: head }),
      sha: head,
    });
    expect(action.code, action.stdout + action.stderr).toBe(1);
    const actionReport = JSON.parse(action.reports.json ?? '{}') as ReportJson;
    const comment = server.issueComments
      .filter((c) => c.issue_number === 51)
      .map((c) => c.body)
      .join('\n');

    const check = await cli(['check', '--base', 'main', '--format', 'json']);
    expect(check.code, check.err).toBe(1);
    const checkReport = JSON.parse(check.out) as ReportJson;

    // The same new findings, on the same lines: the three the branch made, none of main's.
    const expected = [
      'image-tag-debug charts/web/values.yaml:4',
      'resources-limits-missing kustomize/overlays/prod/resources.yaml:14',
      'security-privileged plain/worker.yaml:20',
    ];
    expect(newFindings(actionReport)).toEqual(expected);
    expect(newFindings(checkReport)).toEqual(expected);
    expect(checkReport.pullRequest?.mergeBase).toBe(branchPoint);
    expect(checkReport.pullRequest?.targets).toEqual(actionReport.pullRequest?.targets);

    // The same rendered diff: `shipshape diff`'s objects are the comment's, diff for diff.
    const diff = await cli(['diff', '--base', 'main', '--format', 'json']);
    expect(diff.code, diff.err).toBe(0);
    const diffJson = JSON.parse(diff.out) as {
      mergeBase: string;
      changed: string[];
      targets: { target: string; objects: { key: string; diff: string }[] }[];
    };
    expect(diffJson.mergeBase).toBe(branchPoint);
    expect(diffJson.changed).toEqual(Object.keys(HEAD_CHANGES).sort());
    expect(diffJson.targets.map((t) => t.target)).toEqual(
      actionReport.pullRequest?.targets.map((t) => t.name),
    );
    const cliDiffs = diffJson.targets.flatMap((t) => t.objects.map((o) => o.diff.trimEnd())).sort();
    expect(cliDiffs).toHaveLength(3);
    expect(fencedDiffs(comment)).toEqual(cliDiffs);
    expect(comment).not.toContain('cache');

    // The preview as text: the same counts and the diff as `shipshape diff` prints it.
    const text = await cli(['check', '--base', 'main']);
    expect(text.code).toBe(1);
    expect(text.out).toContain(
      `Compared with main (merge base ${branchPoint.slice(0, 12)}), head (working tree): 3 new findings`,
    );
    const plain = await cli(['diff', '--base', 'main']);
    expect(text.out).toContain(plain.out);
    // As Markdown: the comment the Action posted, but for the links and the inline notes.
    const markdown = await cli(['check', '--base', 'main', '--format', 'markdown']);
    expect(markdown.code).toBe(1);
    expect(fencedDiffs(markdown.out)).toEqual(cliDiffs);
    const headlineOf = (md: string) => md.split('\n').find((l) => l.includes('**shipshape**'));
    expect(headlineOf(markdown.out)).toBe(headlineOf(comment));
  });

  it('check --base uses the config as the base has it, as the Action does: a branch cannot open its own gate', async () => {
    const r = new TestRepo();
    try {
      r.commit('base', BASE_FILES);
      r.git('checkout', '-q', '-b', 'lenient');
      r.commit('never fail', { ...HEAD_CHANGES, '.shipshape.yaml': 'failOn: never\n' });
      const io = cliIo(r.dir);
      const code = await runCli(['check', '--base', 'main'], io);
      expect(code, io.err()).toBe(1);
      expect(io.err()).toContain('adds `.shipshape.yaml`: the config takes effect after merge');
      expect(io.out()).toContain('3 new findings');
    } finally {
      r.remove();
    }
  });
});
