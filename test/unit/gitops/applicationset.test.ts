import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverTargets } from '../../../src/render/discover.js';
import type { HelmTarget, Target } from '../../../src/render/types.js';

/** ApplicationSets expanded into Applications: list, git directories, git files. */

let repo: string;
const URL = 'https://github.com/acme/deploy';
const write = (files: Record<string, string>) => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
};
const appNames = (targets: Target[]) => targets.flatMap((t) => (t.app ? [t.app.name] : [])).sort();

beforeAll(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'shipshape-appset-'));
  mkdirSync(path.join(repo, '.git'));
  write({
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'services/billing/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: billing}\n',
    'services/search/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: search}\n',
    'services/legacy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: legacy}\n',
    'clusters/eu/config.json': '{"cluster": {"name": "eu", "replicas": "3"}}',
    'clusters/us/config.json': '{"cluster": {"name": "us", "replicas": "1"}}',
    'appsets/list.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  generators:
    - list:
        elements:
          - env: staging
            replicas: "1"
          - env: prod
            replicas: "4"
  template:
    metadata:
      name: 'web-{{env}}'
    spec:
      source:
        repoURL: ${URL}
        path: charts/web
        helm:
          parameters:
            - name: replicaCount
              value: '{{replicas}}'
      destination:
        namespace: 'web-{{ env }}'
`,
    'appsets/dirs.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: services
  namespace: argocd
spec:
  generators:
    - git:
        repoURL: ${URL}
        revision: HEAD
        directories:
          - path: services/*
          - path: services/legacy
            exclude: true
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      source:
        repoURL: ${URL}
        path: '{{path}}'
      destination:
        namespace: '{{path[1]}}'
`,
    'appsets/files.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: clusters
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: ${URL}
        revision: HEAD
        files:
          - path: clusters/*/config.json
    - clusters: {}
  template:
    metadata:
      name: 'web-{{ .cluster.name }}'
    spec:
      source:
        repoURL: ${URL}
        path: charts/web
        helm:
          valuesObject:
            replicaCount: '{{ .cluster.replicas }}'
      destination:
        namespace: web
`,
  });
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

const discover = () => discoverTargets(['.'], { cwd: repo, gitops: { repoURLs: [URL], env: {} } });

describe('ApplicationSets', () => {
  it('expands list, git directory and git file generators into Applications', async () => {
    const { targets } = await discover();
    expect(appNames(targets)).toEqual([
      'Application argocd/billing (appsets/dirs.yaml)',
      'Application argocd/search (appsets/dirs.yaml)',
      'Application argocd/web-eu (appsets/files.yaml)',
      'Application argocd/web-prod (appsets/list.yaml)',
      'Application argocd/web-staging (appsets/list.yaml)',
      'Application argocd/web-us (appsets/files.yaml)',
    ]);
    const billing = targets.find((t) => t.app?.name.startsWith('Application argocd/billing'))!;
    expect(billing).toMatchObject({ kind: 'plain', paths: ['services/billing/cm.yaml'] });
    expect(billing.app?.namespace).toBe('billing');
  });

  it('a field that is one parameter is edited where the parameter is set', async () => {
    const { targets } = await discover();
    const prod = targets.find((t) => t.app?.name.startsWith('Application argocd/web-prod')) as HelmTarget;
    expect(prod.app?.namespace).toBe('web-prod');
    expect(prod.inlineValues?.[0].values).toEqual({ replicaCount: 4 });
    // The list element's `replicas:` line, not the template's parameter.
    expect(prod.inlineValues?.[0].locate(['replicaCount'])).toMatchObject({
      file: 'appsets/list.yaml',
      line: 13,
    });
    const eu = targets.find((t) => t.app?.name.startsWith('Application argocd/web-eu')) as HelmTarget;
    expect(eu.inlineValues?.[0].values).toEqual({ replicaCount: '3' });
    expect(eu.inlineValues?.[0].locate(['replicaCount'])).toMatchObject({
      file: 'clusters/eu/config.json',
      line: 1,
    });
  });

  it('generators that need a cluster or a provider are noted', async () => {
    const { errors } = await discover();
    expect(errors).toContainEqual(
      expect.objectContaining({
        level: 'note',
        message: expect.stringContaining('the clusters generator is not expanded'),
        location: expect.objectContaining({ file: 'appsets/files.yaml', line: 14 }),
      }),
    );
  });
});
