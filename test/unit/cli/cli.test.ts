import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/cli/version.js';
import { renderRulesMarkdown } from '../../../src/report/rules.js';
import { ALL_RULES } from '../../../src/rules/index.js';
import { SUPPRESSION_RULES } from '../../../src/rules/suppress.js';
import { makeProject } from '../report/fixture.js';
import { cli } from './io.js';

/**
 * The CLI end to end, in-process. To stay independent of what the other rules report, the test
 * projects switch off every rule but `image-tag-latest` (an error by default).
 */
const ONLY_LATEST = `rules:\n${ALL_RULES.map((r) => r.meta.id)
  .filter((id) => id !== 'image-tag-latest')
  .map((id) => `  ${id}: off\n`)
  .join('')}`;

const pod = (name: string, image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
spec:
  containers:
    - name: app
      image: ${image}
`;

async function project(files: Record<string, string>, config = ONLY_LATEST): Promise<string> {
  return makeProject({ '.shipshape.yaml': config, ...files });
}

describe('shipshape (global)', () => {
  it('prints the version, the same as package.json', async () => {
    const pkg = JSON.parse(
      await readFile(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8'),
    );
    expect(VERSION).toBe(pkg.version);
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('prints help listing the commands', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: shipshape <command>/);
    expect(stdout).toMatch(/^ {2}check +check manifests/m);
    expect(stdout).toMatch(/^ {2}rules +list the rules/m);
    expect((await cli(['help', 'check'])).stdout).toMatch(/^Usage: shipshape check <paths\.\.\.>/);
    expect((await cli(['check', '--help'])).stdout).toMatch(/--fail-on <severity>/);
  });

  it('exits 2 with usage on stderr when called without a command or with an unknown one', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage:/);
    const typo = await cli(['chek', 'x']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^shipshape: unknown command "chek" \(did you mean "check"\?\)/);
  });
});

describe('shipshape check', () => {
  it('exits 0 when nothing reaches the threshold', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:1.2.3') });
    const { code, stdout } = await cli(['check', 'a.yaml'], { cwd: dir });
    expect(stdout).toBe('✔ no findings in 1 object from 1 file\n');
    expect(code).toBe(0);
  });

  it('exits 1 when a finding reaches the threshold, and reports it', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:latest') });
    const { code, stdout } = await cli(['check', '.', '--format', 'json'], { cwd: dir });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['image-tag-latest']);
    expect(report.findings[0].location).toEqual({ file: 'a.yaml', line: 9, column: 7 });
  });

  it('honours --fail-on and the config failOn, the flag first', async () => {
    const config = `${ONLY_LATEST.replace('rules:\n', 'rules:\n  image-tag-latest: warning\n')}failOn: never\n`;
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:latest') }, config);
    expect((await cli(['check', 'a.yaml'], { cwd: dir })).code).toBe(0);
    expect((await cli(['check', 'a.yaml', '--fail-on', 'warning'], { cwd: dir })).code).toBe(1);
    expect((await cli(['check', 'a.yaml', '--fail-on', 'info'], { cwd: dir })).code).toBe(1);
    expect((await cli(['check', 'a.yaml', '--fail-on', 'error'], { cwd: dir })).code).toBe(0);
  });

  it('exits 2 for a YAML syntax error but still reports the rest', async () => {
    const dir = await project({
      'a.yaml': pod('a', 'shop/api:latest'),
      'b.yaml': 'kind: [\n',
    });
    const { code, stdout } = await cli(['check', '.', '-f', 'json'], { cwd: dir });
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.errors).toEqual([
      {
        level: 'error',
        message: 'YAML syntax error: unclosed [',
        location: { file: 'b.yaml', line: 1, column: 7 },
      },
    ]);
  });

  it('exits 2 for usage errors, naming the problem', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:1') });
    const cases: [string[], RegExp][] = [
      [['check'], /needs at least one file or folder/],
      [
        ['check', 'a.yaml', '--format', 'xml'],
        /--format must be one of text, json, sarif, markdown, github, not "xml"/,
      ],
      [['check', 'a.yaml', '--fail-on', 'sometimes'], /--fail-on must be one of error, warning, info, never/],
      [['check', 'a.yaml', '--colour'], /Unknown option '--colour'/],
      [['check', 'a.yaml', '--format'], /--format/],
      // Past Node's timer range every render would time out at once: bounded like the config's.
      [
        ['check', 'a.yaml', '--timeout', '9999999999'],
        /--timeout must be a number of seconds above 0 and at most 3600/,
      ],
      [['check', 'a.yaml', '--timeout', '0'], /--timeout must be/],
      [['check', 'a.yaml', '--kube-version', 'latest'], /--kube-version must be a Kubernetes version/],
      [['check', 'a.yaml', '--shard', '5/4'], /--shard/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(argv, { cwd: dir });
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(message);
      expect(run.stderr).toMatch(/Run "shipshape check --help" for usage\./);
      expect(run.stdout).toBe('');
    }
  });

  it('exits 2 for a missing path, and checks the others', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:latest') });
    const { code, stdout } = await cli(['check', 'a.yaml', 'nope/'], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toContain('input error  nope/: no such file or folder');
    expect(stdout).toContain('image-tag-latest');
  });

  it('exits 2 for config errors, naming the file, key and line', async () => {
    const dir = await project(
      { 'a.yaml': pod('a', 'shop/api:1') },
      'failOn: error\nrules:\n  no-such-rule: off\n',
    );
    const { code, stdout } = await cli(['check', 'a.yaml'], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toContain(
      '.shipshape.yaml\n  3:3  input error  config: rules.no-such-rule: unknown rule id',
    );
  });

  it('reads --config from elsewhere, and reports a missing one', async () => {
    const dir = await project({
      'a.yaml': pod('a', 'shop/api:latest'),
      'ci/strict.yaml': 'rules:\n  image-tag-latest: off\n',
    });
    expect(
      (await cli(['check', 'a.yaml', '-f', 'json', '--config', 'ci/strict.yaml'], { cwd: dir })).code,
    ).not.toBe(2);
    const missing = await cli(['check', 'a.yaml', '--config', 'ci/none.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('config ci/none.yaml: no such file');
  });

  it('writes the report to --output and nothing to stdout', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:latest') });
    const run = await cli(['check', 'a.yaml', '-f', 'sarif', '-o', 'report.sarif'], {
      cwd: dir,
      tty: true,
    });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe('shipshape: 1 finding (1 error, 0 warnings, 0 info); report in report.sarif\n');
    const sarif = JSON.parse(await readFile(path.join(dir, 'report.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].ruleId).toBe('image-tag-latest');
  });

  it('writes a baseline and then reports only what is new', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:latest') });
    const write = await cli(['check', 'a.yaml', '--write-baseline', 'baseline.json'], { cwd: dir });
    expect(write.code).toBe(1); // writing a baseline still reports the run as it is
    expect(write.stderr).toBe('shipshape: wrote 1 finding to baseline.json\n');
    const baseline = JSON.parse(await readFile(path.join(dir, 'baseline.json'), 'utf8'));
    expect(baseline.findings).toEqual([
      expect.objectContaining({
        ruleId: 'image-tag-latest',
        object: 'Pod/shop/a',
        path: 'spec.containers[name=app].image',
      }),
    ]);

    const again = await cli(['check', 'a.yaml', '--baseline', 'baseline.json', '-f', 'json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).summary).toMatchObject({ findings: 0, baselined: 1 });

    // A new problem is reported; the accepted one stays quiet.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'b.yaml'), pod('b', 'shop/worker'));
    const next = await cli(['check', '.', '--baseline', 'baseline.json', '-f', 'json'], { cwd: dir });
    expect(next.code).toBe(1);
    expect(JSON.parse(next.stdout).findings.map((f: { object: { name: string } }) => f.object.name)).toEqual([
      'b',
    ]);
  });

  it('takes the baseline from the config, relative to the config file', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:latest') });
    await cli(['check', 'a.yaml', '--write-baseline', 'ci/baseline.json'], { cwd: dir });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'ci/shipshape.yaml'), `${ONLY_LATEST}baseline: baseline.json\n`);
    const run = await cli(['check', 'a.yaml', '-c', 'ci/shipshape.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 in the baseline');
  });

  it('reports a missing baseline file as an input error', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:1') });
    const run = await cli(['check', 'a.yaml', '--baseline', 'nope.json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('baseline nope.json: no such file (write one with --write-baseline)');
  });

  it('colours text only on a terminal, and never with NO_COLOR', async () => {
    const dir = await project({ 'a.yaml': pod('a', 'shop/api:latest') });
    const esc = '\u001b[';
    expect((await cli(['check', 'a.yaml'], { cwd: dir, tty: true })).stdout).toContain(esc);
    expect((await cli(['check', 'a.yaml'], { cwd: dir, tty: false })).stdout).not.toContain(esc);
    expect(
      (await cli(['check', 'a.yaml'], { cwd: dir, tty: true, env: { NO_COLOR: '1' } })).stdout,
    ).not.toContain(esc);
    // no-color.org: only a non-empty NO_COLOR turns colour off.
    expect((await cli(['check', 'a.yaml'], { cwd: dir, tty: true, env: { NO_COLOR: '' } })).stdout).toContain(
      esc,
    );
  });

  it('reads - from stdin', async () => {
    const dir = await project({});
    const run = await cli(['check', '-', '-f', 'json'], { cwd: dir, stdin: pod('s', 'shop/api:latest') });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0].location.file).toBe('<stdin>');
  });

  it('applies suppression annotations with today from the clock', async () => {
    const suppressed = pod('a', 'shop/api:latest').replace(
      '  namespace: shop\n',
      '  namespace: shop\n  annotations:\n    shipshape.io/ignore.image-tag-latest: "rebuilt nightly; expires=2026-06-30"\n',
    );
    const dir = await project({ 'a.yaml': suppressed });
    const before = await cli(['check', 'a.yaml', '-f', 'json'], {
      cwd: dir,
      today: new Date('2026-06-30T23:00:00Z'),
    });
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).summary.suppressed).toBe(1);
    const after = await cli(['check', 'a.yaml', '-f', 'json'], {
      cwd: dir,
      today: new Date('2026-07-01T00:00:00Z'),
    });
    expect(after.code).toBe(1);
    expect(
      JSON.parse(after.stdout)
        .findings.map((f: { ruleId: string }) => f.ruleId)
        .sort(),
    ).toEqual(['image-tag-latest', 'suppression-expired']);
  });
});

describe('shipshape rules', () => {
  it('lists every rule, suppression rules included', async () => {
    const { code, stdout } = await cli(['rules']);
    expect(code).toBe(0);
    for (const id of [...ALL_RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((r) => r.id)]) {
      expect(stdout).toMatch(new RegExp(`^ {2}${id} `, 'm'));
    }
  });

  it("prints JSON with each rule's metadata", async () => {
    const { stdout } = await cli(['rules', '--format', 'json']);
    const { version, rules } = JSON.parse(stdout);
    expect(version).toBe(1);
    expect(rules).toHaveLength(ALL_RULES.length + SUPPRESSION_RULES.length);
    for (const r of rules)
      expect(Object.keys(r)).toEqual(['id', 'category', 'severity', 'title', 'why', 'fix', 'example']);
  });

  it('prints docs/rules.md with --format markdown', async () => {
    const { code, stdout } = await cli(['rules', '--format', 'markdown']);
    expect(code).toBe(0);
    expect(stdout).toBe(renderRulesMarkdown(ALL_RULES.map((r) => r.meta)));
  });

  it('rejects an unknown format', async () => {
    const run = await cli(['rules', '-f', 'html']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--format must be one of text, json, markdown/);
  });
});

describe('shipshape check and config files', () => {
  it('never reads a config file as a manifest', async () => {
    const dir = await makeProject({
      '.shipshape.yaml': 'failOn: error\n',
      'ci/shipshape.yaml': `${ONLY_LATEST}`,
      'app/.shipshape.yml': 'failOn: never\n',
      'app/a.yaml': pod('a', 'shop/api:1.0'),
    });
    const run = await cli(['check', '.', '-c', 'ci/shipshape.yaml', '-f', 'json'], { cwd: dir });
    const report = JSON.parse(run.stdout);
    expect(report.errors).toEqual([]);
    expect(report.summary.files).toBe(1);
    expect(run.code).toBe(0);
  });

  it('leaves out config files in hidden folders too, and still applies the excludes', async () => {
    const dir = await makeProject({
      '.shipshape.yaml': `${ONLY_LATEST}exclude: ["old/**"]\n`,
      '.github/.shipshape.yaml': 'failOn: never\n',
      'old/b.yaml': pod('b', 'shop/api:latest'),
      'app/a.yaml': pod('a', 'shop/api:1.0'),
    });
    const run = await cli(['check', '.', '-f', 'json'], { cwd: dir });
    const report = JSON.parse(run.stdout);
    expect(report.errors).toEqual([]);
    expect(report.summary.files).toBe(1);
    expect(report.findings).toEqual([]);
  });
});
