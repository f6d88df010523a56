import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectTargetInputs, secureResult } from '../../../src/render/secret-inputs.js';
import type { HelmTarget, KustomizeTarget } from '../../../src/render/types.js';
import { SecretRegistry } from '../../../src/secrets/index.js';

let dir: string;
let reg: SecretRegistry;
const masked = (...candidates: string[]) => candidates.filter((c) => reg.mask(c) !== c);

async function write(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-secret-inputs-'));
  await write({
    'outside/values.yaml': 'password: outside-canary\n',
    'repo/charts/app/Chart.yaml':
      'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: lib\n    repository: file://../lib\n',
    'repo/charts/app/values.yaml': 'db:\n  password: chart-values-canary\n',
    'repo/charts/app/values-prod.yaml': 'auth:\n  token: values-file-canary\n',
    'repo/charts/app/charts/vendored/values.yaml': 'apiKey: vendored-canary\n',
    'repo/charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\n',
    'repo/charts/lib/values.yaml': 'secret: file-dependency-canary\n',
    'repo/base/kustomization.yaml':
      'secretGenerator:\n  - name: s\n    literals: [password=base-literal-canary]\n    envs: [s.env]\n    files: [k=key.pem]\n',
    'repo/base/s.env': 'TOKEN=env-file-canary\n',
    'repo/base/key.pem': 'generator-file-canary\n',
    'repo/overlay/kustomization.yaml':
      'resources: [../base]\nconfigMapGenerator:\n  - name: c\n    literals: [API_KEY=configmap-literal-canary, MODE=production]\n',
  });
  await symlink(path.join(dir, 'outside/values.yaml'), path.join(dir, 'repo/charts/app/values-linked.yaml'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  reg = new SecretRegistry();
});

/** A containment like the render's: inside `repo`, following symlinks. */
const contain = {
  async check(abs: string) {
    const { realpath } = await import('node:fs/promises');
    const real = await realpath(abs).catch(() => abs);
    return real.startsWith(path.join(dir, 'repo')) ? undefined : `${abs} is outside the repository`;
  },
};

describe('collectTargetInputs', () => {
  it('leaves a values password that is also a folder of the target readable in text (the bitnami pattern)', async () => {
    // A chart repository whose charts sit under `bitnami/`, with `password: bitnami` in values: a
    // chart that fails to render is still named in full in its error.
    await write({
      'repo/bitnami/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'repo/bitnami/web/values.yaml': 'auth:\n  password: bitnami\n  token: bitnami-token-canary\n',
    });
    const target: HelmTarget = {
      kind: 'helm',
      chart: 'bitnami/web',
      releaseName: 'web',
      namespace: 'default',
      valuesFiles: [],
      set: {},
      apiVersions: [],
    };
    await collectTargetInputs(target, path.join(dir, 'repo'), contain, reg);
    expect(reg.mask('bitnami/web: dependency not vendored in bitnami/web/charts')).toBe(
      'bitnami/web: dependency not vendored in bitnami/web/charts',
    );
    expect(masked('bitnami-token-canary')).toHaveLength(1);
  });

  it('reads a chart values, its subcharts, the values files and --set, before any render', async () => {
    const target: HelmTarget = {
      kind: 'helm',
      chart: 'charts/app',
      releaseName: 'app',
      namespace: 'default',
      valuesFiles: ['charts/app/values-prod.yaml', 'charts/app/values-linked.yaml'],
      set: { 'db.password': 'set-canary-value' },
      apiVersions: [],
    };
    await collectTargetInputs(target, path.join(dir, 'repo'), contain, reg);
    expect(
      masked(
        'chart-values-canary',
        'values-file-canary',
        'vendored-canary',
        'file-dependency-canary',
        'set-canary-value',
      ),
    ).toHaveLength(5);
    // Nothing outside the repository is read, even for this.
    expect(masked('outside-canary')).toEqual([]);
  });

  it('reads a kustomization and its bases: generator literals, env files and files', async () => {
    const target: KustomizeTarget = { kind: 'kustomize', dir: 'overlay' };
    await collectTargetInputs(target, path.join(dir, 'repo'), contain, reg);
    expect(
      masked('base-literal-canary', 'env-file-canary', 'generator-file-canary', 'configmap-literal-canary'),
    ).toHaveLength(4);
    expect(masked('production')).toEqual([]);
  });
});

describe('secureResult', () => {
  it('collects the rendered objects and masks the error text', () => {
    reg.add('already-known-canary');
    const result = secureResult(
      {
        manifests: [
          {
            object: {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: 's' },
              stringData: { a: 'rendered-canary' },
            },
          },
        ] as never,
        errors: [{ level: 'error' as const, message: 'helm: bad already-known-canary and rendered-canary' }],
      },
      reg,
    );
    expect(result.errors[0].message).toBe('helm: bad <secret: 20 bytes> and <secret: 15 bytes>');
  });
});
