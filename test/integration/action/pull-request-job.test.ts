import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig } from '../../../src/config/index.js';
import { runPullRequestJob } from '../../../src/jobs/pull-request.js';
import { BASE_FILES, HEAD_CHANGES, TestRepo } from './repo.js';

/** The pull-request job on a real git repository, with the real helm and kustomize. */

let repo: TestRepo;
let base: string;
let head: string;

beforeAll(() => {
  repo = new TestRepo();
  base = repo.commit('base', BASE_FILES);
  repo.git('checkout', '-q', '-b', 'feature');
  head = repo.commit('break three things', HEAD_CHANGES);
});
afterAll(() => repo.remove());

describe('runPullRequestJob', () => {
  it('finds exactly the new findings, on the lines a human edits', async () => {
    const result = await runPullRequestJob({
      cwd: repo.dir,
      roots: ['.'],
      config: defaultConfig(repo.dir),
      base,
      head,
    });
    expect(result.errors).toEqual([]);
    expect(result.changedFiles).toEqual(Object.keys(HEAD_CHANGES).sort());
    expect(result.targets.map((t) => [t.name, t.presence])).toEqual([
      ['charts/web', 'both'],
      ['kustomize/overlays/prod', 'both'],
      ['plain manifests', 'both'],
    ]);
    expect(result.newFindings.map((f) => [f.ruleId, f.location.file, f.location.line])).toEqual([
      ['image-tag-debug', 'charts/web/values.yaml', 4],
      ['resources-limits-missing', 'kustomize/overlays/prod/resources.yaml', 14],
      ['security-privileged', 'plain/worker.yaml', 20],
    ]);
    // Findings the base already had are existing, never new.
    expect(result.existingFindings.length).toBeGreaterThan(10);
    const newFps = new Set(result.newFindings.map((f) => f.fingerprint));
    expect(result.existingFindings.some((f) => newFps.has(f.fingerprint))).toBe(false);
    // The rendered diff: one changed object per target.
    expect(result.renderedChanged).toBe(true);
    expect(result.targets.map((t) => t.diff.map((d) => [d.key, d.change]))).toEqual([
      [['Deployment/web', 'changed']],
      [['Deployment/prod/api', 'changed']],
      [['Deployment/jobs/worker', 'changed']],
    ]);
    expect(result.targets[0].diff[0].diff).toContain('+        - image: ghcr.io/acme/web:1.4.2-debug');
    // Plain data: a job can save the result as JSON and another publish it.
    expect(JSON.parse(JSON.stringify(result))).toStrictEqual(withoutUndefined(result));
  });

  it('marks the overlays that use a changed base (reverse dependencies)', async () => {
    const r = new TestRepo();
    try {
      const files = {
        ...BASE_FILES,
        'kustomize/overlays/staging/kustomization.yaml': 'namespace: staging\nresources:\n  - ../../base\n',
      };
      const b = r.commit('base', files);
      const h = r.commit('base changes', {
        'kustomize/base/deployment.yaml': BASE_FILES['kustomize/base/deployment.yaml'].replace(
          'api:2.0.1',
          'api:2.0.2',
        ),
      });
      const result = await runPullRequestJob({
        cwd: r.dir,
        roots: ['.'],
        config: defaultConfig(r.dir),
        base: b,
        head: h,
      });
      expect(result.targets.map((t) => t.name)).toEqual([
        'kustomize/overlays/prod',
        'kustomize/overlays/staging',
      ]);
      expect(result.newFindings).toEqual([]);
      expect(result.targets.flatMap((t) => t.diff.map((d) => d.key))).toEqual([
        'Deployment/prod/api',
        'Deployment/staging/api',
      ]);
    } finally {
      r.remove();
    }
  });

  it('marks the charts that use a changed local subchart', async () => {
    const r = new TestRepo();
    try {
      const subchartDeployment = BASE_FILES['charts/web/templates/deployment.yaml']
        .replace('name: {{ .Release.Name }}', 'name: {{ .Release.Name }}-worker')
        .replaceAll('app: web', 'app: worker');
      const b = r.commit('base', {
        ...BASE_FILES,
        'charts/shop/Chart.yaml':
          'apiVersion: v2\nname: shop\nversion: 0.1.0\ndependencies:\n  - name: worker\n    version: 0.1.0\n    repository: file://../../libs/worker\n',
        'charts/shop/values.yaml': 'worker: {}\n',
        'libs/worker/Chart.yaml': 'apiVersion: v2\nname: worker\nversion: 0.1.0\n',
        'libs/worker/values.yaml': BASE_FILES['charts/web/values.yaml'],
        'libs/worker/templates/deployment.yaml': subchartDeployment,
      });
      const h = r.commit('worker: debug build', {
        'libs/worker/values.yaml': BASE_FILES['charts/web/values.yaml'].replace(
          'tag: "1.4.2"',
          'tag: "1.4.2-debug"',
        ),
      });
      const result = await runPullRequestJob({
        cwd: r.dir,
        roots: ['.'],
        config: defaultConfig(r.dir),
        base: b,
        head: h,
      });
      expect(result.errors).toEqual([]);
      expect(result.targets.map((t) => t.name)).toEqual(['charts/shop', 'libs/worker']);
      expect(result.newFindings.map((f) => [f.ruleId, f.object.name])).toEqual([
        ['image-tag-debug', 'shop-worker'],
        ['image-tag-debug', 'worker-worker'],
      ]);
    } finally {
      r.remove();
    }
  });

  it('checks nothing when no manifest changed', async () => {
    const r = new TestRepo();
    try {
      const b = r.commit('base', BASE_FILES);
      const h = r.commit('docs', { 'README.md': '# shop\n\nMore words.\n' });
      const result = await runPullRequestJob({
        cwd: r.dir,
        roots: ['.'],
        config: defaultConfig(r.dir),
        base: b,
        head: h,
      });
      expect(result.changedFiles).toEqual(['README.md']);
      expect(result.targets).toEqual([]);
      expect(result.findings).toEqual([]);
    } finally {
      r.remove();
    }
  });

  it('fetches the base commit into a shallow clone', async () => {
    const clone = new TestRepo();
    try {
      clone.git('fetch', '-q', '--depth=1', `file://${repo.dir}`, 'feature');
      clone.git('checkout', '-q', 'FETCH_HEAD');
      clone.git('remote', 'add', 'origin', `file://${repo.dir}`);
      expect(() => clone.git('cat-file', '-e', `${base}^{commit}`)).toThrow();
      const result = await runPullRequestJob({
        cwd: clone.dir,
        roots: ['.'],
        config: defaultConfig(clone.dir),
        base,
        head,
      });
      expect(result.errors).toEqual([]);
      expect(result.newFindings.map((f) => f.ruleId)).toEqual([
        'image-tag-debug',
        'resources-limits-missing',
        'security-privileged',
      ]);
    } finally {
      clone.remove();
    }
  });

  it("works on GitHub's merge commit in a depth-1 checkout", async () => {
    repo.git('checkout', '-q', '-b', 'merge-preview', base);
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature');
    const merge = repo.head();
    repo.git('checkout', '-q', 'feature');
    const clone = new TestRepo();
    try {
      clone.git('remote', 'add', 'origin', `file://${repo.dir}`);
      clone.git('fetch', '-q', '--depth=1', 'origin', merge);
      clone.git('checkout', '-q', 'FETCH_HEAD');
      const result = await runPullRequestJob({
        cwd: clone.dir,
        roots: ['.'],
        config: defaultConfig(clone.dir),
        base,
        head,
      });
      expect(result.errors).toEqual([]);
      expect(result.changedFiles).toEqual(Object.keys(HEAD_CHANGES).sort());
      expect(result.newFindings.map((f) => [f.ruleId, f.location.line])).toEqual([
        ['image-tag-debug', 4],
        ['resources-limits-missing', 14],
        ['security-privileged', 20],
      ]);
    } finally {
      clone.remove();
    }
  });

  it("leaves out what the config's baseline accepts", async () => {
    const r = new TestRepo();
    try {
      r.commit('head', { ...BASE_FILES, ...HEAD_CHANGES });
      const all = await runPullRequestJob({ cwd: r.dir, roots: ['.'], config: defaultConfig(r.dir) });
      const privileged = all.findings.find((f) => f.ruleId === 'security-privileged')!;
      r.write({
        '.shipshape.yaml': 'baseline: baseline.json\n',
        'baseline.json': JSON.stringify({ version: 1, findings: [{ fingerprint: privileged.fingerprint }] }),
      });
      const { config, errors } = await loadConfig({ cwd: r.dir });
      expect(errors).toEqual([]);
      const result = await runPullRequestJob({ cwd: r.dir, roots: ['.'], config });
      expect(result.errors).toEqual([]);
      expect(result.findings).toHaveLength(all.findings.length - 1);
      expect(result.findings.some((f) => f.fingerprint === privileged.fingerprint)).toBe(false);
    } finally {
      r.remove();
    }
  });

  it("renders each side's own files for the config's targets:", async () => {
    const r = new TestRepo();
    try {
      const config = 'targets:\n  - chart: charts/web\n';
      const from = r.commit('base', { ...BASE_FILES, '.shipshape.yaml': config });
      r.git('checkout', '-q', '-b', 'feature');
      const to = r.commit('debug tag', { 'charts/web/values.yaml': HEAD_CHANGES['charts/web/values.yaml'] });
      const loaded = await loadConfig({ cwd: r.dir });
      expect(loaded.errors).toEqual([]);
      const result = await runPullRequestJob({
        cwd: r.dir,
        roots: ['.'],
        config: loaded.config,
        base: from,
        head: to,
      });
      expect(result.errors).toEqual([]);
      expect(result.targets.map((t) => [t.name, t.presence])).toEqual([['charts/web', 'both']]);
      // The base rendered the base's values: the debug tag is new, the rest existing.
      expect(result.newFindings.map((f) => [f.ruleId, f.location.file, f.location.line])).toEqual([
        ['image-tag-debug', 'charts/web/values.yaml', 4],
      ]);
      expect(result.existingFindings.length).toBeGreaterThan(0);
    } finally {
      r.remove();
    }
  });

  it('checks every target when there is no base (a push)', async () => {
    const result = await runPullRequestJob({
      cwd: repo.dir,
      roots: ['.'],
      config: defaultConfig(repo.dir),
      head,
    });
    expect(result.mode).toBe('check');
    expect(result.targets).toHaveLength(3);
    expect(result.newFindings).toEqual(result.findings);
    expect(result.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['image-tag-debug', 'security-privileged']),
    );
  });
});

/** The value as JSON keeps it: properties whose value is undefined dropped. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    ) as T;
  }
  return value;
}
