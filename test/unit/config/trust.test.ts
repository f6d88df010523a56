import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/config/index.js';

/**
 * A config may come from a pull request: it chooses no program, and every path in it stays
 * inside the repository. Each refusal is an error on the key's line; the rest still applies.
 */

const ROOT = '/work/repo';
const parse = (text: string, file = '.shipshape.yaml') =>
  parseConfig(text, file, { dir: path.join(ROOT, path.dirname(file)), root: ROOT });
const errorsOf = (text: string, file?: string) =>
  parse(text, file).errors.map((e) => `${e.location?.line} ${e.message}`);

describe('a config from a pull request', () => {
  it('names no program: render.helm, render.kustomize and render.kubectl are refused', () => {
    const text = 'render:\n  helm: ./pwn.sh\n  kustomize: /tmp/k\n  kubectl: x\n  timeoutSeconds: 30\n';
    const errors = errorsOf(text);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(
      /^2 config: render\.helm: which program runs as helm is not read from the repository/,
    );
    expect(errors[0]).toContain('--helm');
    expect(errors[1]).toMatch(/^3 config: render\.kustomize: /);
    const { config } = parse(text);
    expect(config.render.tools).toEqual({});
    expect(config.render.timeoutMs).toBe(30_000);
  });

  it('refuses absolute values files, targets and baselines', () => {
    const errors = errorsOf(`targets:
  - chart: charts/web
    values: [/home/runner/.kube/config, charts/web/values-prod.yaml]
  - chart: /etc
  - kustomize: /srv/overlay
  - plain: [/var/run/secrets/kubernetes.io/serviceaccount/token]
baseline: /tmp/baseline.json
`);
    expect(errors).toEqual([
      '3 config: targets[0].values[0]: "/home/runner/.kube/config" is an absolute path; paths in the config are relative and stay inside the repository',
      '4 config: targets[1].chart: "/etc" is an absolute path; paths in the config are relative and stay inside the repository',
      '5 config: targets[2].kustomize: "/srv/overlay" is an absolute path; paths in the config are relative and stay inside the repository',
      '6 config: targets[3].plain[0]: "/var/run/secrets/kubernetes.io/serviceaccount/token" is an absolute path; paths in the config are relative and stay inside the repository',
      '7 config: baseline: "/tmp/baseline.json" is an absolute path; paths in the config are relative and stay inside the repository',
    ]);
    const { config } = parse('targets:\n  - chart: charts/web\n    values: [/x.yaml, values-prod.yaml]\n');
    expect(config.targets).toMatchObject([{ chart: 'charts/web', valuesFiles: ['values-prod.yaml'] }]);
  });

  it('refuses paths that climb out of the repository, and allows `..` that stays inside', () => {
    expect(errorsOf('targets:\n  - chart: ../../etc\n  - chart: charts/../../outside\n')).toEqual([
      '2 config: targets[0].chart: "../../etc" leads outside the repository; paths in the config stay inside it',
      '3 config: targets[1].chart: "charts/../../outside" leads outside the repository; paths in the config stay inside it',
    ]);
    // A config in a subfolder may name a sibling folder of the same repository.
    expect(errorsOf('targets:\n  - chart: ../charts/web\n', 'deploy/.shipshape.yaml')).toEqual([]);
    expect(errorsOf('targets:\n  - chart: ../../charts/web\n', 'deploy/.shipshape.yaml')).toEqual([
      '2 config: targets[0].chart: "../../charts/web" leads outside the repository; paths in the config stay inside it',
    ]);
  });

  it('bounds the render settings', () => {
    expect(
      errorsOf('render:\n  timeoutSeconds: 1e12\n  maxMemoryMiB: 4\n  concurrency: 0\n  concurrncy: 2\n'),
    ).toEqual([
      '2 config: render.timeoutSeconds: must be a number from 1 to 3600',
      '3 config: render.maxMemoryMiB: must be a number from 64 to 65536',
      '4 config: render.concurrency: must be a number from 1 to 64',
      '5 config: render.concurrncy: unknown key (did you mean "concurrency"?); expected one of timeoutSeconds, maxMemoryMiB, concurrency',
    ]);
    expect(parse('render:\n  maxMemoryMiB: 512\n').config.render.maxMemoryBytes).toBe(512 * 1024 * 1024);
  });

  it('loadConfig takes the repository from the nearest .git above the working directory', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'shipshape-trust-'));
    await writeFile(path.join(repo, '.git'), 'gitdir: /elsewhere\n');
    const sub = path.join(repo, 'deploy');
    await import('node:fs/promises').then((fs) => fs.mkdir(sub));
    await writeFile(
      path.join(sub, '.shipshape.yaml'),
      'targets:\n  - chart: ../charts/web\n  - chart: ../../x\n',
    );
    const { errors } = await loadConfig({ cwd: sub });
    expect(errors.map((e) => e.message)).toEqual([
      'config: targets[1].chart: "../../x" leads outside the repository; paths in the config stay inside it',
    ]);
  });
});

describe('config values that would hurt the run', () => {
  it('refuses a tag pattern that backtracks catastrophically, and a NUL byte', () => {
    expect(errorsOf('images:\n  debugTagPatterns: ["-debug$", "(a+)+$"]\n')).toEqual([
      '2 config: images.debugTagPatterns[1]: a repeated group inside a repetition (near "(a+)+") can take exponential time; rewrite it without the nesting',
    ]);
    expect(
      parse('images:\n  debugTagPatterns: ["-debug$", "(a+)+$"]\n').config.images.debugTagPatterns,
    ).toEqual(['-debug$']);
    expect(errorsOf('failOn: error\nrules:\0\n')).toEqual([
      '2 config: not a text file (a NUL byte); not read',
    ]);
  });

  it('refuses render.helm whatever its type, and a timeout beyond what a timer can wait', () => {
    expect(errorsOf('render:\n  helm: 5\n')).toEqual([
      expect.stringMatching(
        /^2 config: render\.helm: which program runs as helm is not read from the repository/,
      ),
    ]);
    // Node's timers overflow past 2^31 ms and fire at once: every render would time out.
    expect(errorsOf('render:\n  timeoutSeconds: 2147484\n  concurrency: "4"\n')).toEqual([
      '2 config: render.timeoutSeconds: must be a number from 1 to 3600',
      '3 config: render.concurrency: must be a number from 1 to 64',
    ]);
    expect(parse('render:\n  timeoutSeconds: 3600\n').config.render.timeoutMs).toBe(3_600_000);
  });

  it('reads text only: control characters and bytes that are not UTF-8 are refused on their line', () => {
    expect(errorsOf('failOn: error\nexclude: ["a\x1b[2Jb"]\n')).toEqual([
      '2 config: not a text file (control character U+001B); not read',
    ]);
    expect(errorsOf('failOn: error\n\nbaseline: b\ufffd.json\n')).toEqual([
      '3 config: not a text file (bytes that are not UTF-8); not read',
    ]);
    // Tabs, line ends and non-ASCII text are text.
    expect(errorsOf('exclude:\r\n  - "d\u00e9ploiement/**"\t# comment\r\n')).toEqual([]);
  });

  it('reads a config saved as UTF-16 with a byte order mark, and refuses NUL bytes without one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shipshape-config-'));
    const text = 'failOn: warning\nexclude: [vendor/**]\n';
    await writeFile(
      path.join(dir, '.shipshape.yaml'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const utf16 = await loadConfig({ cwd: dir, root: dir });
    expect(utf16.errors).toEqual([]);
    expect(utf16.config).toMatchObject({ failOn: 'warning', exclude: ['vendor/**'] });
    await writeFile(path.join(dir, '.shipshape.yaml'), Buffer.from(text, 'utf16le'));
    const binary = await loadConfig({ cwd: dir, root: dir });
    expect(binary.errors.map((e) => `${e.location?.line} ${e.message}`)).toEqual([
      '1 config: not a text file (a NUL byte); not read',
    ]);
  });

  it('refuses an alias to nothing and an alias bomb with one error, not an abort', () => {
    expect(errorsOf('failOn: *nope\n').map((e) => e.replace(/: .*/, ''))).toEqual(['1 config']);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 8 }, (_, i) => {
        const p = String.fromCharCode(97 + i);
        const n = String.fromCharCode(98 + i);
        return `${n}: &${n} [*${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}]`;
      }),
    ].join('\n');
    const errors = errorsOf(`${bomb}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^1 config: .*alias/i);
  });

  it('checks drift field patterns: they parse, and hold at most two **', () => {
    expect(
      errorsOf(
        'drift:\n  ignore: ["spec.template.**", "spec[unclosed", "**.a.**.b.**.c"]\n  controllers:\n    - { manager: vpa, paths: ["**.x.**.y.**"], path: [] }\n',
      ),
    ).toEqual([
      '2 config: drift.ignore[1]: not a field path (e.g. spec.replicas, metadata.annotations["a/b"], spec.**)',
      '2 config: drift.ignore[2]: at most 2 `**` in one pattern (each more multiplies the work of matching)',
      '4 config: drift.controllers[0].path: unknown key (did you mean "paths"?); expected one of manager, paths',
      '4 config: drift.controllers[0].paths[0]: at most 2 `**` in one pattern (each more multiplies the work of matching)',
    ]);
  });

  it('suggests the key meant at every level, on its line', () => {
    const text = `targets:
  - chart: charts/web
    valus: [x.yaml]
  - kustomize: deploy/prod
    namespce: shop
  - plain: [manifests]
    exclud: [x]
render:
  concurrncy: 2
drift:
  deployer: [helm]
discover:
  gitop: false
namespaces:
  ownd: [shop]
critical:
  label: {}
images:
  debugTagPattern: []
rules:
  image-tag-latest: { severty: error }
  image-digest-missing: of
`;
    expect(errorsOf(text)).toEqual([
      '3 config: targets[0].valus: unknown key (did you mean "values"?); expected one of chart, values, releaseName, namespace, set, kubeVersion, apiVersions',
      '5 config: targets[1].namespce: unknown key; a kustomize target takes only kustomize:',
      '7 config: targets[2].exclud: unknown key; a plain target takes only plain:',
      '9 config: render.concurrncy: unknown key (did you mean "concurrency"?); expected one of timeoutSeconds, maxMemoryMiB, concurrency',
      '11 config: drift.deployer: unknown key (did you mean "deployers"?); expected one of deployers, controllers, ignore, namespaces, allNamespaces, serverSideDryRun, orphans, requestTimeoutSeconds, deadlineSeconds',
      '13 config: discover.gitop: unknown key (did you mean "gitops"?); expected one of folders, gitops, repoURLs',
      '15 config: namespaces.ownd: unknown key (did you mean "owned"?); expected one of owned',
      '17 config: critical.label: unknown key (did you mean "labels"?); expected one of labels, annotations, priorityClassNames',
      '19 config: images.debugTagPattern: unknown key (did you mean "debugTagPatterns"?); expected one of debugTagPatterns',
      '21 config: rules.image-tag-latest.severty: unknown key (did you mean "severity"?); expected one of enabled, severity',
      '22 config: rules.image-digest-missing: must be off, on, error, warning, info or { enabled, severity }, got string "of" (did you mean "off"?)',
    ]);
    // The file name is on every error.
    expect(parse(text).errors.every((e) => e.location?.file === '.shipshape.yaml')).toBe(true);
  });
});
