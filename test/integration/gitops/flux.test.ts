import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import { type Config, defaultConfig } from '../../../src/config/index.js';
import { type CheckResult, runCheck } from '../../../src/jobs/check.js';
import { type RenderJobResult, runRender } from '../../../src/jobs/render.js';
import type { Manifest } from '../../../src/load/yaml.js';
import type { Finding } from '../../../src/model/types.js';

/**
 * examples/gitops/flux with the real kustomize and helm: Kustomizations build with their overlay
 * and variables, the HelmReleases they build render with their values, and findings land on the
 * lines that set them: a `postBuild.substitute` value, a HelmRelease's `values`, a ConfigMap's
 * values. Secrets used for substitution never leave the process.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const EX = 'examples/gitops/flux';
const SECRET = 's3cr3t-smtp-Passw0rd';
let config: Config;
let check: CheckResult;
let render: RenderJobResult;

/** The fields of a rendered Deployment these tests read. */
interface Dep {
  metadata: { namespace?: string; labels: Record<string, string> };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        priorityClassName?: string;
        containers: {
          image: string;
          env?: { name: string; value: unknown }[];
          resources: { limits: Record<string, string> };
        }[];
      };
    };
  };
}
const asDep = (m: Manifest) => m.object as unknown as Dep;

beforeAll(async () => {
  config = defaultConfig(root);
  config.discover.repoURLs = ['https://github.com/example/fleet'];
  [check, render] = await Promise.all([
    runCheck({ paths: [EX], cwd: root, config, today: '2026-06-01' }),
    runRender({ cwd: root, paths: [EX], discover: config.discover }),
  ]);
});

const at = (f: Finding) => `${f.location.file.replace(`${EX}/`, '')}:${f.location.line}`;
const finding = (ruleId: string, objectName: string) => {
  const found = check.findings.filter((f) => f.ruleId === ruleId && f.object.name === objectName);
  expect(found, `${ruleId} on ${objectName}`).toHaveLength(1);
  return found[0];
};
const result = (prefix: string) => {
  const r = render.results.find((x) => x.target.app?.name.startsWith(prefix));
  expect(r, prefix).toBeDefined();
  return r!;
};
const object = (manifests: Manifest[], kind: string, name: string) => {
  const m = manifests.find((x) => x.object.kind === kind && x.object.metadata.name === name);
  expect(m, `${kind}/${name}`).toBeDefined();
  return m!;
};
const where = (m: Manifest, segments: (string | number)[]) => {
  const loc = m.locateSource!(segments);
  return `${loc.file.replace(`${EX}/`, '')}:${loc.line}`;
};

describe('Flux Kustomizations and HelmReleases, rendered and checked', () => {
  it('renders what the cluster folder declares, in dependsOn order, and notes the remote chart', () => {
    expect(render.results.map((r) => r.target.app?.name.replace(/ \(.*$/, '') ?? r.target.kind)).toEqual([
      'Kustomization flux-system/flux-system',
      'Kustomization flux-system/infrastructure',
      'Kustomization flux-system/apps',
      'HelmRelease web/api',
      'HelmRelease web/podinfo',
    ]);
    for (const r of render.results)
      expect(
        r.errors.filter((e) => e.level === 'error'),
        r.target.app?.name,
      ).toEqual([]);
    expect(result('HelmRelease web/podinfo').errors).toEqual([
      expect.objectContaining({
        level: 'note',
        message: expect.stringContaining(
          'chart "podinfo" comes from HelmRepository web/podinfo (https://stefanprodan.github.io/podinfo), which is not fetched',
        ),
        location: expect.objectContaining({ file: `${EX}/apps/production/podinfo.yaml`, line: 20 }),
      }),
    ]);
  });

  it('a Kustomization: images, patches and postBuild variables from substitute, a ConfigMap and a Secret', () => {
    const r = result('Kustomization flux-system/apps');
    const m = object(r.manifests, 'Deployment', 'web');
    const dep = asDep(m);
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.template.spec.priorityClassName).toBe('business-critical');
    const c = dep.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/example/web:2.4.1');
    expect(c.env).toEqual([
      { name: 'CLUSTER_ENV', value: 'production' },
      { name: 'REGION', value: 'eu-west-1' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'SMTP_PASSWORD', value: SECRET },
    ]);
    const env = (i: number) => ['spec', 'template', 'spec', 'containers', 0, 'env', i, 'value'];
    expect(where(m, ['spec', 'replicas'])).toBe('clusters/production/apps.yaml:29');
    expect(where(m, env(0))).toBe('clusters/production/apps.yaml:28');
    expect(where(m, env(1))).toBe('clusters/production/cluster-settings.yaml:7');
    expect(where(m, env(3))).toBe('clusters/production/cluster-secrets.yaml:8');
    expect(where(m, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(
      'clusters/production/apps.yaml:17',
    );
    expect(where(m, ['spec', 'template', 'spec', 'priorityClassName'])).toBe(
      'clusters/production/apps.yaml:25',
    );
    // What no variable touches stays on the base's line.
    expect(where(m, ['spec', 'template', 'spec', 'containers', 0, 'ports'])).toBe(
      'apps/base/web/deployment.yaml:37',
    );
  });

  it('a HelmRelease it builds: the in-repo chart with valuesFrom (whole and targetPath) and values, substituted', () => {
    const r = result('HelmRelease web/api');
    expect(r.target).toMatchObject({
      kind: 'helm',
      chart: `${EX}/charts/api`,
      releaseName: 'api',
      namespace: 'web',
    });
    const m = object(r.manifests, 'Deployment', 'api');
    const dep = asDep(m);
    expect(dep.spec.replicas).toBe(3);
    const c = dep.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/example/api:latest');
    expect(c.env).toEqual([
      { name: 'ENVIRONMENT', value: 'production' },
      { name: 'LOG_LEVEL', value: 'debug' },
    ]);
    const env = (i: number) => ['spec', 'template', 'spec', 'containers', 0, 'env', i, 'value'];
    expect(where(m, ['spec', 'replicas'])).toBe('apps/production/api-values.yaml:9');
    expect(where(m, env(1))).toBe('apps/production/api-values.yaml:7');
    expect(where(m, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(
      'apps/base/api/release.yaml:26',
    );
    // `env: ${cluster_env}` in the HelmRelease: the variable's line, through both renders.
    expect(where(m, env(0))).toBe('clusters/production/apps.yaml:28');
  });

  it('findings land on the substitution, the HelmRelease values and the Kustomization images', () => {
    expect(at(finding('replicas-minimum', 'web'))).toBe('clusters/production/apps.yaml:29');
    expect(at(finding('image-tag-latest', 'api'))).toBe('apps/base/api/release.yaml:26');
    expect(at(finding('image-digest-missing', 'web'))).toBe('clusters/production/apps.yaml:17');
    expect(check.errors.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('never prints a Secret used for substitution', async () => {
    let out = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (out += t) },
      stdoutIsTTY: false,
      env: {},
      cwd: root,
      writeFile: async () => undefined,
    };
    for (const args of [
      ['render', EX],
      ['render', EX, '--format', 'json'],
      ['render', EX, '--format', 'sources'],
      ['check', EX, '--format', 'json'],
    ]) {
      await runCli(args, io);
    }
    expect(out).toContain('SMTP_PASSWORD');
    expect(out).toContain('<secret: 20 bytes>');
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(Buffer.from(SECRET).toString('base64'));
  });
});
