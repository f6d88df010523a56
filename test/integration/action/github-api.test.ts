import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ANNOTATIONS_PER_REQUEST, type Annotation, publishCheckRun } from '../../../src/github/checks.js';
import { createGitHub, GitHubSession } from '../../../src/github/client.js';
import { listChangedFiles } from '../../../src/github/files.js';
import { CommentableLines } from '../../../src/github/hunks.js';
import { fence, splitMarkdown } from '../../../src/github/markdown.js';
import { listReviewComments, planReview, publishReview } from '../../../src/github/review.js';
import { publishSticky, SUMMARY_PART_LIMIT } from '../../../src/github/sticky.js';
import type { Finding } from '../../../src/model/types.js';
import {
  COMMENT_BODY_LIMIT,
  type GitHubServer,
  type PullFile,
  startGitHubServer,
} from '../../github-server/server.js';

/** The GitHub layer against the local server that validates every request against the OpenAPI description. */

let server: GitHubServer;
const warnings: string[] = [];
const log = { info: () => {}, warning: (m: string) => void warnings.push(m) };

beforeAll(async () => {
  server = await startGitHubServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  // Every request must have been a valid GitHub API call, unless a test expects otherwise.
  expect(server.violations).toEqual([]);
  warnings.length = 0;
});

function session(): GitHubSession {
  return new GitHubSession(
    createGitHub({ token: 'ghs_test', baseUrl: server.url, log }),
    { owner: 'acme', repo: 'shop' },
    log,
  );
}

let pullNumber = 100;
function newPull(
  files: PullFile[] = [
    { filename: 'plain/web.yaml', status: 'modified' as const, patch: '@@ -1,3 +1,4 @@\n a\n+b\n c\n d' },
  ],
) {
  return server.addPull({
    number: ++pullNumber,
    head: { sha: 'h'.repeat(40), ref: 'feature' },
    base: { sha: 'b'.repeat(40), ref: 'main' },
    files,
  });
}

function finding(fingerprint: string, line: number, file = 'plain/web.yaml'): Finding {
  return {
    ruleId: 'no-privileged',
    checklist: 'security',
    severity: 'error',
    message: 'Container app runs privileged.',
    remediation: 'Set securityContext.privileged to false.',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
    path: 'spec.template.spec.containers[name=app].securityContext.privileged',
    location: { file, line, column: 1 },
    fingerprint,
  };
}

describe('the local GitHub server', () => {
  it('rejects an unknown route and an invalid body loudly', async () => {
    const headers = { authorization: 'token x', 'content-type': 'application/json' };
    const unknown = await fetch(`${server.url}/repos/acme/shop/not-a-thing`, { headers });
    expect(unknown.status).toBe(404);
    const invalid = await fetch(`${server.url}/repos/acme/shop/check-runs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 1 }),
    });
    expect(invalid.status).toBe(422);
    expect(server.violations.map((v) => v.problems.join(' '))).toEqual([
      'no such operation in the OpenAPI description',
      expect.stringContaining('body/name must be string'),
    ]);
    server.violations.length = 0;
  });

  it('rejects the whole review when one comment is outside the diff', async () => {
    const pr = newPull();
    const s = session();
    const res = await s.call('create review', (gh) =>
      gh.rest.pulls.createReview({
        owner: 'acme',
        repo: 'shop',
        pull_number: pr.number,
        event: 'COMMENT',
        body: 'x',
        comments: [
          { path: 'plain/web.yaml', line: 2, side: 'RIGHT', body: 'inside' },
          { path: 'plain/web.yaml', line: 9, side: 'RIGHT', body: 'outside' },
        ],
      }),
    );
    expect(res).toBeUndefined();
    expect(s.failures[0]).toMatchObject({ status: 422 });
    expect(server.threads(pr.number)).toEqual([]);
  });

  it('rejects a comment body over 65,536 characters', async () => {
    const pr = newPull();
    const s = session();
    const ok = await s.call('c', (gh) =>
      gh.rest.issues.createComment({
        owner: 'acme',
        repo: 'shop',
        issue_number: pr.number,
        body: 'x'.repeat(COMMENT_BODY_LIMIT),
      }),
    );
    const tooLong = await s.call('c', (gh) =>
      gh.rest.issues.createComment({
        owner: 'acme',
        repo: 'shop',
        issue_number: pr.number,
        body: 'x'.repeat(COMMENT_BODY_LIMIT + 1),
      }),
    );
    expect(ok).toBeDefined();
    expect(tooLong).toBeUndefined();
    expect(s.failures[0]).toMatchObject({ status: 422 });
  });
});

describe('changed files', () => {
  it('reads every page', async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({
      filename: `f${i}.yaml`,
      status: 'added' as const,
      patch: '@@ -0,0 +1 @@\n+a',
    }));
    const pr = newPull(files);
    const listed = await listChangedFiles(session(), pr.number);
    expect(listed?.map((f) => f.filename)).toEqual(files.map((f) => f.filename));
  });

  it('waits out a secondary rate limit, honouring retry-after', async () => {
    const pr = newPull();
    server.secondaryRateLimit(1, 1);
    const started = Date.now();
    const listed = await listChangedFiles(session(), pr.number);
    expect(listed).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('retries 5xx, and reports a 404 without stopping', async () => {
    const pr = newPull();
    server.fail(502, { count: 2, path: /\/files$/ });
    expect(await listChangedFiles(session(), pr.number)).toHaveLength(1);
    const s = session();
    expect(await listChangedFiles(s, 99_999)).toBeUndefined();
    expect(s.failures).toEqual([expect.objectContaining({ status: 404 })]);
    expect(await listChangedFiles(s, pr.number)).toHaveLength(1);
  });
});

describe('reviews across pushes', () => {
  it('posts once, never repeats, deletes the stale and keeps the answered', async () => {
    const pr = newPull([
      { filename: 'plain/web.yaml', status: 'modified', patch: '@@ -1,2 +1,5 @@\n a\n+b\n+c\n+d\n e' },
    ]);
    const lines = new CommentableLines(pr.files);
    const s = session();
    const run = async (findings: Finding[]) => {
      const existing = (await listReviewComments(s, { number: pr.number, headSha: pr.head.sha })) ?? [];
      const plan = planReview({
        newFindings: findings,
        headFingerprints: new Set(findings.map((f) => f.fingerprint)),
        lines,
        existing,
        maxComments: 50,
        identity: { login: 'github-actions[bot]' },
      });
      return publishReview(s, { number: pr.number, headSha: pr.head.sha }, plan);
    };
    expect(await run([finding('a', 2), finding('b', 3), finding('c', 4), finding('z', 40)])).toMatchObject({
      posted: 3,
    });
    expect(server.threads(pr.number).map((c) => c.line)).toEqual([2, 3, 4]);
    expect(server.reviews.filter((r) => r.pull_number === pr.number)).toHaveLength(1);

    // A human answers the comment on `b`; then both `b` and `c` are fixed.
    const b = server.threads(pr.number).find((c) => c.body.includes('fp=b'))!;
    server.reply(b.id, 'Fixed, thanks');
    expect(await run([finding('a', 2)])).toMatchObject({ posted: 0, deleted: 1, resolved: 1 });
    const left = server.threads(pr.number);
    expect(left.map((c) => c.line)).toEqual([2, 3]);
    expect(left[1].body).toContain('**Resolved**');
    expect(server.reviews.filter((r) => r.pull_number === pr.number)).toHaveLength(1);
  });

  it('posts comments one by one when GitHub rejects the review for one line', async () => {
    const pr = newPull();
    // Our idea of the diff is wider than GitHub's: line 9 is not in GitHub's hunks.
    const lines = new CommentableLines([
      {
        filename: 'plain/web.yaml',
        status: 'modified',
        patch: '@@ -1,3 +1,12 @@\n a\n+b\n c\n d\n+e\n+f\n+g\n+h\n+i',
      },
    ]);
    const s = session();
    const plan = planReview({
      newFindings: [finding('in', 2), finding('out', 9)],
      headFingerprints: new Set(['in', 'out']),
      lines,
      existing: [],
      maxComments: 5,
      identity: { login: 'github-actions[bot]' },
    });
    const outcome = await publishReview(s, { number: pr.number, headSha: pr.head.sha }, plan);
    expect(outcome).toMatchObject({ posted: 1, failed: false, postedFingerprints: ['in'] });
    expect(server.threads(pr.number).map((c) => c.line)).toEqual([2]);
    expect(s.failures.map((f) => f.status)).toEqual([422, 422]);
  });

  it("reports a fork's read-only token instead of failing the run", async () => {
    const pr = newPull();
    const s = session();
    server.readOnly = true;
    try {
      const plan = planReview({
        newFindings: [finding('a', 2)],
        headFingerprints: new Set(['a']),
        lines: new CommentableLines(pr.files),
        existing: [],
        maxComments: 5,
        identity: { login: 'github-actions[bot]' },
      });
      expect(await publishReview(s, { number: pr.number, headSha: pr.head.sha }, plan)).toMatchObject({
        failed: true,
      });
      expect(s.writeDenied).toBe(true);
    } finally {
      server.readOnly = false;
    }
  });
});

describe('the sticky summary', () => {
  it('splits under the cap, updates in place and removes parts no longer needed', async () => {
    const pr = newPull();
    const s = session();
    const diff = Array.from(
      { length: 4000 },
      (_, i) => `+  key-${i}: "value with \`\`\` backticks ${i}"`,
    ).join('\n');
    const blocks = ['## shipshape', fence(diff, 'diff'), 'tail'];
    const parts = splitMarkdown(blocks, SUMMARY_PART_LIMIT);
    expect(parts.length).toBeGreaterThan(2);
    expect(await publishSticky(s, pr.number, parts, { login: 'github-actions[bot]' })).toMatchObject({
      created: parts.length,
    });
    const comments = server.issueComments.filter((c) => c.issue_number === pr.number);
    expect(comments).toHaveLength(parts.length);
    for (const c of comments) expect(c.body.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT);
    const ids = comments.map((c) => c.id);

    expect(
      await publishSticky(s, pr.number, ['## shipshape\nall good'], { login: 'github-actions[bot]' }),
    ).toMatchObject({
      updated: 1,
      deleted: parts.length - 1,
    });
    const after = server.issueComments.filter((c) => c.issue_number === pr.number);
    expect(after.map((c) => c.id)).toEqual([ids[0]]);
    expect(after[0].body).toContain('all good');
  });
});

describe('the check run', () => {
  it('sends annotations in batches of 50 and completes with the conclusion', async () => {
    const annotations: Annotation[] = Array.from({ length: 120 }, (_, i) => ({
      path: 'plain/web.yaml',
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: 'failure',
      message: `m${i}`,
    }));
    const out = await publishCheckRun(session(), {
      name: 'shipshape',
      headSha: 'h'.repeat(40),
      conclusion: 'failure',
      title: 't',
      summary: 's',
      annotations,
    });
    const run = server.checkRuns.find((r) => r.id === out.id)!;
    expect(run.annotationBatches).toEqual([ANNOTATIONS_PER_REQUEST, ANNOTATIONS_PER_REQUEST, 20]);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(out).toMatchObject({ annotations: 120, failed: false });
  });

  it('is refused by the server with 51 annotations in one request', async () => {
    const s = session();
    const annotations = Array.from({ length: 51 }, () => ({
      path: 'a',
      start_line: 1,
      end_line: 1,
      annotation_level: 'notice' as const,
      message: 'm',
    }));
    const res = await s.call('create', (gh) =>
      gh.rest.checks.create({
        owner: 'acme',
        repo: 'shop',
        name: 'x',
        head_sha: 'h',
        output: { title: 't', summary: 's', annotations },
      }),
    );
    expect(res).toBeUndefined();
    expect(s.failures[0]).toMatchObject({ status: 422 });
    expect(server.violations).toHaveLength(1);
    server.violations.length = 0;
  });
});
