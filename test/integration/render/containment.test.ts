import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTarget, renderTargets, type Target } from '../../../src/render/index.js';

/**
 * A pull request controls every chart, overlay, values file and symlink in it. With the real
 * helm and kustomize: nothing outside the repository or inside its .git is read into any output,
 * no network connection is attempted, and a render that grows without bound is stopped while the
 * other targets are still rendered.
 */

const CANARY = 'CANARY-outside-the-repository-7f3a';
const GIT_CANARY = 'AUTHORIZATION: basic CANARY-git-token-91c2';
let top: string;
let repo: string;
let outside: string;
let listener: Server;
let port: number;
let connections = 0;

function write(files: Record<string, string>, dir = repo): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

function chart(name: string, templates: Record<string, string>, extra: Record<string, string> = {}): void {
  write({
    [`${name}/Chart.yaml`]: `apiVersion: v2\nname: ${path.basename(name)}\nversion: 0.1.0\n`,
    [`${name}/values.yaml`]: 'a: 1\n',
    ...Object.fromEntries(Object.entries(templates).map(([k, v]) => [`${name}/templates/${k}`, v])),
    ...extra,
  });
}

const helm = (chartDir: string, valuesFiles: string[] = []): Target => ({
  kind: 'helm',
  chart: chartDir,
  releaseName: 'r',
  namespace: 'default',
  valuesFiles,
  set: {},
  apiVersions: [],
});

/** Everything a render hands on: objects, rendered text, error messages. */
function everything(r: Awaited<ReturnType<typeof renderTarget>>): string {
  return JSON.stringify({
    rendered: r.rendered,
    objects: r.manifests.map((m) => m.object),
    errors: r.errors,
  });
}

beforeAll(async () => {
  top = mkdtempSync(path.join(os.tmpdir(), 'shipshape-hostile-'));
  repo = path.join(top, 'repo');
  outside = path.join(top, 'outside');
  mkdirSync(repo);
  mkdirSync(outside);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  writeFileSync(path.join(repo, '.git/config'), `[http]\n\textraheader = ${GIT_CANARY}\n`);
  write(
    {
      'canary.txt': `${CANARY}\n`,
      'kubeconfig.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\ndata: {k: ${CANARY}}\n`,
    },
    outside,
  );
  write(
    {
      'dep/Chart.yaml': 'apiVersion: v2\nname: dep\nversion: 0.1.0\n',
      'dep/templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dep}\ndata: {k: ${CANARY}}\n`,
    },
    outside,
  );
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => listener.close(r));
  rmSync(top, { recursive: true, force: true });
});

const FILES_GET = (file: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: files}\ndata:\n  content: {{ .Files.Get "${file}" | quote }}\n`;

describe('helm renders read only the repository', () => {
  it('refuses a chart with a symlink out of the repository, naming the link', async () => {
    chart('charts/linkout', { 'cm.yaml': FILES_GET('x.txt') });
    symlinkSync('../../../outside/canary.txt', path.join(repo, 'charts/linkout/x.txt'));
    const r = await renderTarget(helm('charts/linkout'), { cwd: repo });
    expect(r.errors).toEqual([
      {
        level: 'error',
        message:
          'charts/linkout/x.txt resolves to a path outside the repository; refused (a render reads only the repository, outside .git)',
        location: { file: 'charts/linkout/Chart.yaml', line: 1, column: 1 },
      },
    ]);
    expect(everything(r)).not.toContain(CANARY);
  });

  it('refuses a symlink into .git (the checkout token) and to an absolute path', async () => {
    chart('charts/linkgit', { 'cm.yaml': FILES_GET('x.txt') });
    symlinkSync('../../.git/config', path.join(repo, 'charts/linkgit/x.txt'));
    symlinkSync('/etc/passwd', path.join(repo, 'charts/linkgit/templates/passwd.txt'));
    const r = await renderTarget(helm('charts/linkgit'), { cwd: repo });
    expect(r.errors.map((e) => e.message.split(';')[0]).sort()).toEqual([
      'charts/linkgit/templates/passwd.txt resolves to a path outside the repository',
      "charts/linkgit/x.txt resolves into the repository's .git folder",
    ]);
    expect(everything(r)).not.toContain('CANARY');
    expect(everything(r)).not.toContain('root:x:0');
  });

  it('renders a chart at the top of its repository without its .git', async () => {
    const own = path.join(top, 'own');
    mkdirSync(own);
    execFileSync('git', ['init', '-q'], { cwd: own });
    writeFileSync(path.join(own, '.git/config'), `[http]\n\textraheader = ${GIT_CANARY}\n`);
    chart('.', { 'cm.yaml': FILES_GET('.git/config') }, {});
    write(
      {
        'Chart.yaml': 'apiVersion: v2\nname: own\nversion: 0.1.0\n',
        'templates/cm.yaml': FILES_GET('.git/config'),
      },
      own,
    );
    const r = await renderTarget(helm('.'), { cwd: own });
    expect(r.errors).toEqual([]);
    expect(r.manifests.map((m) => m.object.metadata?.name)).toEqual(['files']);
    expect(everything(r)).not.toContain('CANARY');
  });

  it('refuses a values file that is a link out, and a file:// dependency outside', async () => {
    chart('charts/valuesout', {
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v}\ndata: {{ toYaml .Values | nindent 2 }}\n',
    });
    symlinkSync('../../../outside/kubeconfig.yaml', path.join(repo, 'charts/valuesout/values-prod.yaml'));
    const r = await renderTarget(helm('charts/valuesout', ['charts/valuesout/values-prod.yaml']), {
      cwd: repo,
    });
    expect(r.errors.map((e) => e.message)).toEqual([
      'charts/valuesout/values-prod.yaml resolves to a path outside the repository; refused (a render reads only the repository, outside .git)',
    ]);
    expect(everything(r)).not.toContain(CANARY);

    chart(
      'charts/depout',
      {},
      {
        'charts/depout/Chart.yaml': `apiVersion: v2\nname: depout\nversion: 0.1.0\ndependencies:\n  - name: dep\n    version: 0.1.0\n    repository: file://${path.join(outside, 'dep')}\n`,
      },
    );
    const d = await renderTarget(helm('charts/depout'), { cwd: repo });
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0].message).toMatch(/^file:\/\/ dependency "dep": .* is outside the repository; refused/);
    expect(d.errors[0].location).toEqual({ file: 'charts/depout/Chart.yaml', line: 5, column: 5 });
    expect(everything(d)).not.toContain(CANARY);
  });

  it('bounds file:// dependency vendoring: a tree 5 wide and 7 deep is refused quickly', async () => {
    const width = 5;
    const depth = 7;
    const node = (level: number) => `charts/bomb/l${level}`;
    for (let level = 0; level <= depth; level++) {
      const deps =
        level < depth
          ? `dependencies:\n${Array.from({ length: width }, (_, i) => `  - name: d${i}\n    version: 0.1.0\n    repository: file://../l${level + 1}\n`).join('')}`
          : '';
      write({ [`${node(level)}/Chart.yaml`]: `apiVersion: v2\nname: l${level}\nversion: 0.1.0\n${deps}` });
    }
    const started = Date.now();
    const r = await renderTarget(helm(node(0)), { cwd: repo });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(/nest more than 5 deep|more than 50 file:\/\/ dependencies/);
  });

  it('stops a render over its memory bound, and still renders the other targets', async () => {
    const mib = 'x'.repeat(1024 * 1024);
    const aliases = Array.from({ length: 1024 }, () => '  - *big').join('\n');
    chart('charts/balloon', {
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n  all: {{ toYaml .Values.many | quote }}\n',
    });
    write({ 'charts/balloon/values.yaml': `big: &big "${mib}"\nmany:\n${aliases}\n` });
    chart('charts/fine', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n' });
    const started = Date.now();
    const [balloon, fine] = await renderTargets([helm('charts/balloon'), helm('charts/fine')], {
      cwd: repo,
      maxMemoryBytes: 256 * 1024 * 1024,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(balloon.errors).toHaveLength(1);
    expect(balloon.errors[0].message).toMatch(
      /^helm template was stopped: it used \d+ MiB of memory, over the bound of 256 MiB \(render\.maxMemoryMiB\)$/,
    );
    expect(balloon.errors[0].location).toEqual({ file: 'charts/balloon/Chart.yaml', line: 1, column: 1 });
    expect(fine.errors).toEqual([]);
    expect(fine.manifests).toHaveLength(1);
  });
});

describe('a broken Chart.yaml stays inside its target', () => {
  it('an unresolved alias and an alias bomb are errors on their Chart.yaml; the other chart renders', async () => {
    write({
      'charts/alias/Chart.yaml': 'apiVersion: v2\nname: alias\nversion: *nope\n',
      'charts/bomb/Chart.yaml': `apiVersion: v2\nname: bomb\nversion: 0.1.0\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [${'*a,'.repeat(9)}*a]\nc: &c [${'*b,'.repeat(9)}*b]\nd: [${'*c,'.repeat(9)}*c]\n`,
    });
    chart('charts/ok', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n' });
    const [alias, bomb, ok] = await renderTargets(
      [helm('charts/alias'), helm('charts/bomb'), helm('charts/ok')],
      {
        cwd: repo,
      },
    );
    expect(alias.errors.map((e) => e.location?.file)).toEqual(['charts/alias/Chart.yaml']);
    expect(bomb.errors.map((e) => e.location?.file)).toEqual(['charts/bomb/Chart.yaml']);
    expect(ok.errors).toEqual([]);
    expect(ok.manifests).toHaveLength(1);
  });
});

describe('what a tool prints is made printable', () => {
  it('a chart that fails with terminal escapes and control characters in its message', async () => {
    chart('charts/noisy', {
      'cm.yaml': `{{ fail (printf "bad%s%s%s" (printf "%c" 27) "[2J::error::spoofed" (printf "%c%c" 7 0)) }}\n`,
    });
    const r = await renderTarget(helm('charts/noisy'), { cwd: repo });
    expect(r.errors).toHaveLength(1);
    const controls = [...r.errors[0].message].filter((c) => c.charCodeAt(0) < 9 || c.charCodeAt(0) === 27);
    expect(controls).toEqual([]);
    expect(r.errors[0].message).toContain('bad::error::spoofed\\x07\\x00');
  });
});

describe('kustomize builds read only the repository and never the network', () => {
  it('refuses every remote reference, whatever its case, without a connection', async () => {
    const url = `127.0.0.1:${port}`;
    write({
      'k/remote/kustomization.yaml': [
        'resources:',
        `  - HTTPS://${url}/x.yaml`,
        `  - Http://${url}/base`,
        `  - git@${url.split(':')[0]}:org/repo.git`,
        '  - GitHub.com/org/repo//deploy?ref=main',
        'components:',
        `  - https://${url}/component`,
        'openapi:',
        `  path: https://${url}/schema.json`,
        'configMapGenerator:',
        '  - name: c',
        '    files:',
        `      - cfg=https://${url}/cfg.json`,
        'helmCharts:',
        '  - name: web',
        `    repo: oci://${url}/charts`,
        '',
      ].join('\n'),
    });
    const r = await renderTarget({ kind: 'kustomize', dir: 'k/remote' }, { cwd: repo });
    expect(r.errors.map((e) => `${e.location?.line} ${e.message.split(':')[0]}`)).toEqual([
      '2 resources[0]',
      '3 resources[1]',
      '4 resources[2]',
      '5 resources[3]',
      '7 components[0]',
      '9 openapi.path',
      '13 configMapGenerator[0].files[0]',
      '16 helmCharts[0].repo',
    ]);
    expect(r.errors[0].message).toContain('cannot be built here (no network)');
    expect(r.errors.every((e) => e.location?.file === 'k/remote/kustomization.yaml')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(connections).toBe(0);
  });

  it('refuses resources, patches and generator files that resolve outside, naming the line', async () => {
    write({
      'k/linkout/kustomization.yaml': [
        'resources:',
        '  - stolen.yaml',
        '  - ../../../outside/kubeconfig.yaml',
        'patches:',
        '  - path: ../../.git/config',
        'secretGenerator:',
        '  - name: s',
        '    envs: [/etc/passwd]',
        '',
      ].join('\n'),
    });
    symlinkSync('../../../outside/kubeconfig.yaml', path.join(repo, 'k/linkout/stolen.yaml'));
    const r = await renderTarget({ kind: 'kustomize', dir: 'k/linkout' }, { cwd: repo });
    expect(r.errors.map((e) => `${e.location?.line} ${e.message}`)).toEqual([
      '2 resources[0]: k/linkout/stolen.yaml resolves to a path outside the repository; refused (a render reads only the repository, outside .git)',
      `3 resources[1]: ${path.join(outside, 'kubeconfig.yaml')} is outside the repository; refused (a render reads only the repository, outside .git)`,
      "5 patches[0].path: .git/config resolves into the repository's .git folder; refused (a render reads only the repository, outside .git)",
      '8 secretGenerator[0].envs[0]: /etc/passwd is outside the repository; refused (a render reads only the repository, outside .git)',
    ]);
    expect(everything(r)).not.toContain(CANARY);
    expect(everything(r)).not.toContain('CANARY-git');
  });

  it('still builds an overlay on a base inside the repository', async () => {
    write({
      'k/base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'k/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n',
      'k/prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
    });
    const r = await renderTarget({ kind: 'kustomize', dir: 'k/prod' }, { cwd: repo });
    expect(r.errors).toEqual([]);
    expect(r.manifests.map((m) => m.object.metadata?.name)).toEqual(['prod-app']);
  });
});
