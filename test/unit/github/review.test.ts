import { describe, expect, it } from 'vitest';

const BOT = 'github-actions[bot]';

import { suggestFix } from '../../../src/github/comment.js';
import { CommentableLines } from '../../../src/github/hunks.js';
import { fingerprintMarker, readFingerprintMarker } from '../../../src/github/markers.js';
import { planReview } from '../../../src/github/review.js';
import type { Finding } from '../../../src/model/types.js';

function finding(over: Partial<Finding> & { fingerprint: string; file: string; line: number }): Finding {
  const { file, line, ...rest } = over;
  return {
    ruleId: 'no-privileged',
    checklist: 'security',
    severity: 'error',
    message: 'Container app runs privileged.',
    remediation: 'Set privileged: false.',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
    path: 'spec.template.spec.containers[name=app].securityContext.privileged',
    location: { file, line, column: 9 },
    ...rest,
  };
}

const lines = new CommentableLines([
  { filename: 'plain/web.yaml', status: 'modified', patch: '@@ -10,3 +10,4 @@\n a\n+b\n+c\n d' },
]);

describe('planReview', () => {
  const fresh = finding({ fingerprint: 'aaa', file: 'plain/web.yaml', line: 11 });
  const outside = finding({ fingerprint: 'bbb', file: 'plain/web.yaml', line: 40 });
  const otherFile = finding({ fingerprint: 'ccc', file: 'chart/values.yaml', line: 3 });

  it('comments on lines inside the hunks and sends the rest to the summary', () => {
    const plan = planReview({
      newFindings: [fresh, outside, otherFile],
      headFingerprints: new Set(['aaa', 'bbb', 'ccc']),
      lines,
      existing: [],
      maxComments: 10,
      identity: { login: BOT },
      lineText: () => '          privileged: true',
    });
    expect(plan.comments.map((c) => [c.path, c.line, c.side])).toEqual([['plain/web.yaml', 11, 'RIGHT']]);
    expect(plan.outsideDiff.map((f) => f.fingerprint)).toEqual(['bbb', 'ccc']);
    const body = plan.comments[0].body;
    expect(body).toContain('**What is wrong:** Container app runs privileged.');
    expect(body).toContain('```suggestion\n          privileged: false\n```');
    expect(readFingerprintMarker(body)).toEqual({ fingerprint: 'aaa', key: 'default', resolved: false });
  });

  it('never comments twice on the same finding across pushes', () => {
    const plan = planReview({
      newFindings: [fresh],
      headFingerprints: new Set(['aaa']),
      lines,
      existing: [
        { id: 7, path: 'plain/web.yaml', body: `old text\n${fingerprintMarker('aaa')}`, author: BOT },
      ],
      maxComments: 10,
      identity: { login: BOT },
    });
    expect(plan.comments).toEqual([]);
    expect(plan.alreadyCommented).toEqual([fresh]);
    expect(plan.toDelete).toEqual([]);
  });

  it('deletes comments whose finding is gone, and marks resolved those with replies', () => {
    const plan = planReview({
      newFindings: [],
      headFingerprints: new Set(['kept']),
      lines,
      existing: [
        { id: 1, path: 'a.yaml', body: `x\n${fingerprintMarker('gone1')}`, author: BOT },
        { id: 2, path: 'a.yaml', body: `y\n${fingerprintMarker('gone2')}`, author: BOT },
        { id: 3, path: 'a.yaml', body: 'I disagree', inReplyToId: 2 },
        { id: 4, path: 'a.yaml', body: `z\n${fingerprintMarker('kept')}`, author: BOT },
        {
          id: 5,
          path: 'a.yaml',
          body: `done\n${fingerprintMarker('gone3', { resolved: true })}`,
          author: BOT,
        },
        { id: 6, path: 'a.yaml', body: 'a human comment' },
      ],
      maxComments: 10,
      identity: { login: BOT },
    });
    expect(plan.toDelete.map((c) => c.id)).toEqual([1]);
    expect(plan.toResolve.map((c) => c.id)).toEqual([2]);
  });

  it('comments once on a line that two objects share (a base both overlays use)', () => {
    const prod = finding({ fingerprint: 'p', file: 'plain/web.yaml', line: 11 });
    const staging = {
      ...finding({ fingerprint: 's', file: 'plain/web.yaml', line: 11 }),
      object: { ...prod.object, namespace: 'staging' },
    };
    const plan = planReview({
      newFindings: [prod, staging],
      headFingerprints: new Set(['p', 's']),
      lines,
      existing: [],
      maxComments: 10,
      identity: { login: BOT },
    });
    expect(plan.comments).toHaveLength(1);
    expect(plan.alreadyCommented).toEqual([staging]);
  });

  it('stops at max-inline-comments and keeps the rest for the summary', () => {
    const many = [11, 12].map((line, i) => finding({ fingerprint: `f${i}`, file: 'plain/web.yaml', line }));
    const plan = planReview({
      newFindings: many,
      headFingerprints: new Set(),
      lines,
      existing: [],
      maxComments: 1,
      identity: { login: BOT },
    });
    expect(plan.comments).toHaveLength(1);
    expect(plan.overLimit.map((f) => f.fingerprint)).toEqual(['f1']);
  });
});

describe('suggestFix', () => {
  const f = finding({ fingerprint: 'x', file: 'a.yaml', line: 1 });

  it('rewrites only the value, keeping indentation and comments', () => {
    expect(suggestFix(f, '    privileged: true # needed?')).toBe('    privileged: false # needed?');
  });

  it('offers nothing when the line is not the reported key or the fix needs a human', () => {
    expect(suggestFix(f, '    image: app:debug')).toBeUndefined();
    expect(suggestFix(f, '    privileged: false')).toBeUndefined();
    expect(
      suggestFix({ ...f, path: 'spec.template.spec.containers[name=app].image' }, '  tag: 1.0-debug'),
    ).toBeUndefined();
  });

  it('replaces removed API versions by kind', () => {
    const api = { ...f, path: 'apiVersion', object: { ...f.object, kind: 'PodDisruptionBudget' } };
    expect(suggestFix(api, 'apiVersion: policy/v1beta1')).toBe('apiVersion: policy/v1');
  });

  it('raises a single replica', () => {
    expect(suggestFix({ ...f, path: 'spec.replicas' }, '  replicas: 1')).toBe('  replicas: 2');
  });
});

describe('markers', () => {
  it('belong to our comments only, not to a human quoting one', () => {
    expect(readFingerprintMarker(`text\n${fingerprintMarker('a')}\n`)).toEqual({
      fingerprint: 'a',
      key: 'default',
      resolved: false,
    });
    expect(readFingerprintMarker(`> quoted\n> ${fingerprintMarker('a')}\n\nI disagree`)).toBeUndefined();
  });

  it('cannot be forged by text from a manifest', async () => {
    const { inlineCommentBody } = await import('../../../src/github/comment.js');
    const f = finding({
      fingerprint: 'real',
      file: 'a.yaml',
      line: 1,
      message: 'tag "<!-- shipshape:fp=forged -->"',
    });
    expect(readFingerprintMarker(inlineCommentBody(f))).toEqual({
      fingerprint: 'real',
      key: 'default',
      resolved: false,
    });
  });
});

describe('planReview when a target could not be rendered', () => {
  it('keeps earlier comments: their findings are unknown, not gone', () => {
    const plan = planReview({
      newFindings: [],
      headFingerprints: new Set(),
      lines,
      existing: [{ id: 1, path: 'a.yaml', body: `x\n${fingerprintMarker('maybe')}`, author: BOT }],
      maxComments: 10,
      identity: { login: BOT },
      keepStale: true,
    });
    expect(plan.toDelete).toEqual([]);
    expect(plan.toResolve).toEqual([]);
  });
});

describe('several shipshape jobs in one pull request', () => {
  it('leaves the comments of a job with another key alone', () => {
    const plan = planReview({
      newFindings: [],
      headFingerprints: new Set(),
      lines,
      existing: [
        { id: 1, path: 'a.yaml', body: `x\n${fingerprintMarker('mine', { key: 'team-a' })}`, author: BOT },
        { id: 2, path: 'b.yaml', body: `y\n${fingerprintMarker('theirs', { key: 'team-b' })}`, author: BOT },
        { id: 3, path: 'c.yaml', body: `z\n${fingerprintMarker('default-job')}`, author: BOT },
      ],
      maxComments: 10,
      identity: { login: BOT },
      key: 'team-a',
    });
    expect(plan.toDelete.map((c) => c.id)).toEqual([1]);
    expect(readFingerprintMarker(fingerprintMarker('f', { key: 'team-a', resolved: true }))).toEqual({
      fingerprint: 'f',
      key: 'team-a',
      resolved: true,
    });
  });
});

describe('only ours is ours', () => {
  it("never takes a human comment that quotes ours (marker and all) for ours, nor another bot's", () => {
    const quoted = `> x\n> ${fingerprintMarker('gone')}`;
    const plan = planReview({
      newFindings: [],
      headFingerprints: new Set(),
      lines: new CommentableLines([]),
      existing: [
        { id: 1, path: 'a.yaml', body: `I agree with the bot:\n${quoted}`, author: 'octocat' },
        { id: 2, path: 'a.yaml', body: `copied\n${fingerprintMarker('gone')}`, author: 'octocat' },
        { id: 3, path: 'a.yaml', body: quoted, author: BOT },
        { id: 4, path: 'a.yaml', body: `x\n${fingerprintMarker('gone')}`, author: 'renovate[bot]' },
        { id: 5, path: 'a.yaml', body: `x\n${fingerprintMarker('gone')}`, author: BOT },
      ],
      maxComments: 10,
      identity: { login: BOT },
    });
    expect(plan.toDelete.map((c) => c.id)).toEqual([5]);
    expect(plan.toResolve).toEqual([]);
  });
});
