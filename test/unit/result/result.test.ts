import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripControls } from '../../../src/model/text.js';
import { neutralize } from '../../../src/result/escape.js';
import {
  checkResultSet,
  findResultFiles,
  formatResultFile,
  MAX_RESULT_BYTES,
  parseResultFile,
  readResultFiles,
  resultFileName,
} from '../../../src/result/file.js';
import { ResultError } from '../../../src/result/schema.js';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const OTHER = 'c'.repeat(40);

function finding(name = 'web', extra: Record<string, unknown> = {}) {
  return {
    ruleId: 'replicas-minimum',
    checklist: 'replicas',
    severity: 'error',
    message: `Deployment "${name}" runs 1 replica; one node drain or crash takes it down`,
    remediation: 'Set spec.replicas to 2 or more.',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name },
    path: 'spec.replicas',
    location: { file: 'charts/web/values.yaml', line: 3, column: 11 },
    // Not a path of the repository: the rendered output's name, as a run writes it.
    renderedLocation: { file: 'charts/web [rendered]', line: 12, column: 11 },
    fingerprint: '0123456789abcdef',
    ...extra,
  };
}

/** A result file as a shard writes it: plain JSON, so each test can damage it its own way. */
function file(shard = { index: 1, count: 1, positions: [0], targets: ['charts/web'], total: 1 }, pr = 7) {
  const f = finding();
  return {
    format: 'shipshape-result',
    version: 1,
    shipshape: '0.1.0',
    commit: HEAD,
    pullRequest: { number: pr, headSha: HEAD, baseSha: BASE },
    shard: { ...shard, partition: '00112233aabbccdd' },
    result: {
      version: 1,
      job: 'pull-request',
      key: 'default',
      checkName: 'shipshape',
      commit: HEAD,
      pullRequest: {
        number: pr,
        baseSha: BASE,
        headSha: HEAD,
        baseRef: 'main',
        headRef: 'fix',
        fromFork: true,
      },
      failOn: 'error',
      failed: true,
      counted: [f],
      notes: [] as string[],
      lines: { 'charts/web/values.yaml': { '3': 'replicaCount: 1' } },
      run: {
        mode: 'pull-request',
        base: BASE,
        head: HEAD,
        changedFiles: ['charts/web/values.yaml'],
        targets: [
          {
            name: 'charts/web',
            kind: 'helm',
            presence: 'both',
            head: { findings: [f], errors: [], objects: 3 },
            status: 'ok',
            baseErrors: [],
            newFindings: [f],
            existingFindings: [],
            fixedFindings: [],
            diff: [
              {
                key: 'Deployment/shop/web',
                change: 'changed',
                diff: '-  replicas: 2\n+  replicas: 1\n',
                nondeterministic: [],
                secret: false,
              },
            ],
            unchanged: 2,
            workloads: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }],
          },
        ],
        findings: [f],
        newFindings: [f],
        existingFindings: [],
        fixedFindings: [],
        errors: [],
        renderedChanged: true,
        files: ['charts/web/templates/deployment.yaml'],
        objects: 3,
      },
    },
  };
}

const parse = (value: unknown, untrusted = true) => parseResultFile(JSON.stringify(value), { untrusted });
const expected = { commit: HEAD, pullRequest: 7, version: '0.1.0' };

describe('parseResultFile', () => {
  it('reads back what a shard wrote, unchanged when trusted', () => {
    const f = file();
    const read = parse(f, false);
    expect(read).toEqual(f);
    expect(parseResultFile(formatResultFile(read), { untrusted: false })).toEqual(f);
  });

  it('leaves ordinary text alone even when untrusted', () => {
    expect(parse(file())).toEqual(file());
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['another format', JSON.stringify({ ...file(), format: 'sarif' }), /format: expected "shipshape-result"/],
    ['an unknown field', JSON.stringify({ ...file(), run: 'x' }), /unknown field "run"/],
    [
      'a __proto__ field',
      JSON.stringify(file()).replace('{"format"', '{"__proto__":{"polluted":1},"format"'),
      /unknown field "__proto__"/,
    ],
    ['a missing field', JSON.stringify({ ...file(), commit: undefined }), /missing field "commit"/],
    [
      'a commit that is no SHA',
      JSON.stringify({ ...file(), commit: 'main; rm -rf /' }),
      /commit: .* is not allowed/,
    ],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseResultFile(text, { untrusted: true })).toThrow(ResultError);
    expect(() => parseResultFile(text, { untrusted: true })).toThrow(message);
  });

  it('refuses an oversized file before parsing it', () => {
    const huge = `{"x":"${'y'.repeat(MAX_RESULT_BYTES)}"}`;
    expect(() => parseResultFile(huge, { untrusted: true })).toThrow(/larger than 32 MiB; refused unread/);
  });

  it('bounds every string and list', () => {
    const long = file();
    long.result.counted[0].message = 'x'.repeat(10_000);
    expect(() => parse(long)).toThrow(/result\.counted\[0\]\.message: longer than 8192 characters/);
    const many = file();
    many.result.notes = Array(1_001).fill('note');
    expect(() => parse(many)).toThrow(/result\.notes: more than 1000 items/);
    const deep = file();
    deep.result.run.targets[0].diff[0].diff = 'x'.repeat(3 * 1024 * 1024);
    expect(() => parse(deep)).toThrow(/diff: longer than/);
  });

  it('refuses names outside our vocabulary and paths outside the repository', () => {
    const rule = file();
    rule.result.counted[0].ruleId = 'x<script>';
    expect(() => parse(rule)).toThrow(/ruleId: expected one of the known values/);
    const severity = file();
    severity.result.counted[0].severity = 'critical';
    expect(() => parse(severity)).toThrow(/severity/);
    for (const bad of ['../../etc/passwd', '/etc/passwd', 'a/../../b', 'a\\..\\b', 'a\nb']) {
      const p = file();
      p.result.counted[0].location.file = bad;
      expect(() => parse(p), bad).toThrow(/location\.file: .* is not allowed/);
    }
    // From an untrusted run a path is never rewritten (it is a comment's position): only plain
    // paths are taken; a trusted run's path is taken as it is.
    for (const odd of ['charts/[x](https:/evil)/values.yaml', 'a/<img>.yaml', 'a/@team.yaml', 'a/`b`.yaml']) {
      const p = file();
      p.result.counted[0].location.file = odd;
      expect(() => parse(p), odd).toThrow(/location\.file: .* is not allowed/);
      expect(parse(p, false).result.counted[0].location.file).toBe(odd);
    }
    // Any file a pull request changes is only listed: an odd name is neutralised, not refused.
    const listed = file();
    listed.result.run.changedFiles = ['docs/notes (see @team).md'];
    expect(parse(listed).result.run.changedFiles).toEqual(['docs/notes (see @\u200bteam).md']);
    const fp = file();
    fp.result.counted[0].fingerprint = 'zz';
    expect(() => parse(fp)).toThrow(/fingerprint/);
    const line = file();
    (line.result.lines as Record<string, Record<string, string>>)['charts/web/values.yaml'] = { '0x3': 'a' };
    expect(() => parse(line)).toThrow(/key/);
  });

  it('refuses a file whose envelope and result disagree', () => {
    const commit = file();
    commit.result.commit = OTHER;
    expect(() => parse(commit)).toThrow(/its result is about c{40}/);
    const pr = file();
    pr.result.pullRequest.number = 8;
    expect(() => parse(pr)).toThrow(/names another pull request/);
    const shard = file({ index: 1, count: 1, positions: [0, 1], targets: ['a'], total: 2 });
    expect(() => parse(shard)).toThrow(/do not pair/);
  });

  it('neutralises Markdown and HTML in object names and messages from an untrusted run', () => {
    const evil =
      '<img src=x onerror=alert(1)>[click](https://evil.example/x)@octo-org/admins <!-- shipshape:summary -->';
    const f = file();
    f.result.counted[0] = finding(evil);
    f.result.run.targets[0].name = `![beacon](https://evil.example/p.png) #1 ${evil}`;
    f.result.run.targets[0].diff[0].diff = '+ a\u001b[31m red\u202e\n';
    const read = parse(f);
    const texts = [
      read.result.counted[0].object.name,
      read.result.counted[0].message,
      read.result.run.targets[0].name,
    ];
    for (const t of texts) {
      expect(t).not.toMatch(/[<>]/);
      expect(t).not.toMatch(/\]\(/);
      expect(t).not.toMatch(/https:\/\//);
      expect(t).not.toMatch(/@octo-org/);
      expect(t).not.toMatch(/(^|\s)#1/);
    }
    expect(read.result.run.targets[0].diff[0].diff).toBe('+ a[31m red\n');
    // The same file from a trusted job (the same run's shards) is read as written.
    expect(parse(f, false).result.counted[0].object.name).toBe(evil);
  });
});

describe('neutralize', () => {
  it.each([
    'container "api" has no cpu limit; also: no ephemeral-storage request or limit (resources-ephemeral-storage)',
    'spec.template.spec.containers[name=app].resources.limits.memory',
    'image registry.example.com:5000/shop/api:1.8.0@sha256:abc is not pinned',
    'values key postgresql.auth.password',
    'Ingress "shop" sends shop.example.com/ to port 8080',
  ])('leaves %s as it is', (text) => {
    expect(neutralize(text)).toBe(text);
  });

  it('breaks markup apart without losing the text', () => {
    expect(neutralize('<b>x</b>')).toBe('\u2039b\u203ax\u2039/b\u203a');
    expect(neutralize('[a](b)')).toBe('[a]\u200b(b)');
    expect(neutralize('[a]: http://x')).toBe('[a]\u200b: http:\u200b//x');
    expect(neutralize('hi @team and #12')).toBe('hi @\u200bteam and #\u200b12');
    expect(neutralize('&lt;b&gt;')).toBe('&\u200blt;b&\u200bgt;');
    expect(neutralize('a\u202eb\u0007c')).toBe('abc');
    expect(stripControls('a\tb\nc\u0000\u2066')).toBe('a\tb\nc');
  });
});

describe('checkResultSet', () => {
  const shards = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      parse(file({ index: i + 1, count: n, positions: [i], targets: [`t${i}`], total: n }), false),
    );

  it('takes one file per shard, in shard order', () => {
    const [a, b, c] = shards(3);
    expect(checkResultSet([c, a, b], expected).map((f) => f.shard.index)).toEqual([1, 2, 3]);
  });

  it('refuses a missing shard and never publishes the rest as complete', () => {
    const [a, , c] = shards(3);
    expect(() => checkResultSet([a, c], expected)).toThrow(/the result of shard 2\/3 is missing/);
    expect(() => checkResultSet([], expected)).toThrow(/no result file/);
  });

  it('refuses a result about another commit or pull request (a forged or stale file)', () => {
    const [a] = shards(1);
    expect(() => checkResultSet([a], { ...expected, commit: OTHER })).toThrow(
      /shard 1\/1 is about commit aaaaaaaaaaaa, not cccccccccccc/,
    );
    expect(() => checkResultSet([a], { ...expected, pullRequest: 8 })).toThrow(
      /is about pull request #7, not #8/,
    );
    expect(() => checkResultSet([a], { commit: HEAD, version: '0.1.0' })).toThrow(/this run is about none/);
    expect(() => checkResultSet([a], { ...expected, version: '0.2.0' })).toThrow(
      /use one release in both jobs/,
    );
  });

  it('refuses shards of different splits, twice the same shard, and targets taken twice', () => {
    const [a, b] = shards(2);
    const other = parse(
      {
        ...file({ index: 2, count: 2, positions: [1], targets: ['t1'], total: 2 }),
        shard: { ...b.shard, partition: 'ffffffffffffffff' },
      },
      false,
    );
    expect(() => checkResultSet([a, other], expected)).toThrow(/split different sets of targets/);
    expect(() => checkResultSet([a, a, b], expected)).toThrow(/shard 1\/2 appears twice/);
    const twice = parse(file({ index: 2, count: 2, positions: [0], targets: ['t0'], total: 2 }), false);
    expect(() => checkResultSet([a, twice], expected)).toThrow(
      /2 targets are not taken by exactly one shard/,
    );
    const [x] = shards(1);
    const three = parse(file({ index: 2, count: 3, positions: [1], targets: ['t1'], total: 3 }), false);
    expect(() => checkResultSet([x, three], expected)).toThrow(/splits into 1 and 3 shards/);
  });
});

describe('result files on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'results-'));
    for (const i of [1, 2]) {
      const f = file({ index: i, count: 2, positions: [i - 1], targets: [`t${i}`], total: 2 });
      await mkdir(path.join(dir, `shard-${i}`), { recursive: true });
      await writeFile(path.join(dir, `shard-${i}`, resultFileName(f.shard)), JSON.stringify(f));
    }
    await writeFile(path.join(dir, 'shard-1', 'other.json'), '{}');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the shards’ files in the folders download-artifact makes, and reads them', async () => {
    const found = await findResultFiles([path.basename(dir)], path.dirname(dir));
    expect(found.map((f) => path.relative(dir, f))).toEqual([
      'shard-1/shipshape-result-1-of-2.json',
      'shard-2/shipshape-result-2-of-2.json',
    ]);
    const read = await readResultFiles(found, { untrusted: true, cwd: dir });
    expect(checkResultSet(read, expected)).toHaveLength(2);
  });

  it('refuses links and names a missing path', async () => {
    await symlink('/etc/passwd', path.join(dir, 'shard-2', 'shipshape-result-x.json'));
    await expect(findResultFiles([dir], dir)).rejects.toThrow(/a link/);
    await expect(findResultFiles(['nope'], dir)).rejects.toThrow(/nope: no such file or folder/);
  });
});
