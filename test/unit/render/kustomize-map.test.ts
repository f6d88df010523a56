import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../../../src/model/types.js';
import {
  KustomizeMapper,
  mapKustomizeOutput,
  soleDocumentStart,
  stripAll,
} from '../../../src/render/kustomize-map.js';
import { yamlLocator } from '../../../src/render/yaml-locate.js';
import { dedent } from '../rules/helpers.js';

/** Kustomize mapping from hand-written `kustomize build` output with build metadata. */

const files = new Map(
  Object.entries({
    'base/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: example/api:1.0
`,
    'prod/kustomization.yaml': `resources:
  - ../base
namePrefix: prod-
images:
  - name: example/api
    newTag: "2.0"
replicas:
  - name: api
    count: 3
patches:
  - path: sc.yaml
  - target: { kind: Deployment, name: api }
    patch: |-
      - op: add
        path: /spec/template/spec/containers/0/args
        value: ["--debug"]
`,
    'prod/sc.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: app
          securityContext:
            privileged: true
`,
  }),
);

const built = dedent(`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    annotations:
      alpha.config.kubernetes.io/transformations: |
        - configuredIn: prod/kustomization.yaml
          configuredBy:
            apiVersion: builtin
            kind: PatchTransformer
      config.kubernetes.io/origin: |
        path: base/deploy.yaml
      team: payments
    name: prod-api
  spec:
    replicas: 3
    template:
      spec:
        containers:
        - args:
          - --debug
          image: example/api:2.0
          name: app
          securityContext:
            privileged: true
`);

function manifest() {
  const objects = parseAllDocuments(built).map((d) => d.toJS() as KubeObject);
  const metas = stripAll(objects, (p) => p);
  const text = objects.map((o) => stringify(o)).join('---\n');
  const mapper = new KustomizeMapper(files, (dir, rel) => `${dir}/${rel}`.replace(/[^/]+\/\.\.\//, ''));
  const { manifests } = mapKustomizeOutput(text, 'rendered', metas, mapper);
  return manifests[0];
}

const C = ['spec', 'template', 'spec', 'containers', 0];
const at = (segments: (string | number)[]) => {
  const loc = manifest().locateSource!(segments);
  return `${loc.file}:${loc.line}`;
};

describe('kustomize source mapping', () => {
  it('strips the build annotations and keeps the others', () => {
    expect(manifest().object.metadata.annotations).toEqual({ team: 'payments' });
  });

  it('maps images: and replicas: entries to their lines in kustomization.yaml', () => {
    expect(at([...C, 'image'])).toBe('prod/kustomization.yaml:6');
    expect(at(['spec', 'replicas'])).toBe('prod/kustomization.yaml:9');
  });

  it('maps a strategic-merge patch field to the patch file, matching containers by name', () => {
    expect(at([...C, 'securityContext', 'privileged'])).toBe('prod/sc.yaml:11');
    expect(at([...C, 'securityContext', 'runAsNonRoot'])).toBe('prod/sc.yaml:10');
  });

  it('maps an inline JSON 6902 op to its line inside kustomization.yaml', () => {
    expect(at([...C, 'args', 0])).toBe('prod/kustomization.yaml:16');
  });

  it('keeps maps and lists a patch only walks through (metadata, a container) on the base', () => {
    expect(at(['metadata'])).toBe('base/deploy.yaml:3');
    expect(at([...C])).toBe('base/deploy.yaml:10');
    expect(at([...C, 'securityContext'])).toBe('prod/sc.yaml:10');
  });

  it('maps other fields, and missing ones, to the base resource', () => {
    expect(at(['metadata', 'name'])).toBe('base/deploy.yaml:4');
    expect(at([...C, 'resources', 'limits'])).toBe('base/deploy.yaml:10');
  });
});

describe('soleDocumentStart', () => {
  it('finds the first key of a file of one document without reading it as YAML', () => {
    expect(soleDocumentStart('apiVersion: v1\nkind: ConfigMap\n')).toEqual({ line: 1, column: 1 });
    expect(soleDocumentStart('# a comment\n---\napiVersion: v1\n')).toEqual({ line: 3, column: 1 });
    expect(soleDocumentStart('%YAML 1.1\n--- # start\n\n"apiVersion": v1\n')).toEqual({ line: 4, column: 1 });
  });

  it('leaves files of several documents, and unusual starts, to the document model', () => {
    expect(soleDocumentStart('a: 1\n---\nb: 2\n')).toBeUndefined();
    expect(soleDocumentStart('--- !!map\na: 1\n')).toBeUndefined();
    expect(soleDocumentStart('&x\na: 1\n')).toBeUndefined();
    expect(soleDocumentStart('{a: 1}\n')).toBeUndefined();
    expect(soleDocumentStart('# nothing\n')).toBeUndefined();
    expect(soleDocumentStart(undefined)).toBeUndefined();
  });

  it('agrees with the document model on where the object starts', () => {
    for (const text of [
      'apiVersion: v1\nkind: A\n',
      '\n# c\n---\napiVersion: v1\n',
      '  apiVersion: v1 # c\n',
    ]) {
      const at = soleDocumentStart(text);
      const model = yamlLocator(text, 'f.yaml').find([]);
      expect(at && { line: at.line, column: at.column }).toEqual(
        model && { line: model.line, column: model.column },
      );
    }
  });
});
