import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/load/yaml.js';
import type { PathSegment, SourceLocation } from '../../../src/model/types.js';
import { positionsOf, verifyMapping } from '../../../src/render/verify.js';
import { dedent } from '../rules/helpers.js';

/** The source map's self-check: a field mapped to a values line must find its value there. */

const values = dedent(`
  replicaCount: 3
  image:
    repository: example/app
    tag: "1.4.2"
    digest: ""
  tolerations: []
  script: |
    echo {{ .Values.x }}
  password: hunter2
`);

const manifest = dedent(`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    replicas: 3
    template:
      spec:
        containers:
          - name: app
            image: example/app:1.4.2
`);

/** One manifest whose fields are mapped by `map` (path joined with dots -> values line). */
function check(
  map: Record<string, number>,
  text = manifest,
  files: Record<string, string> = { 'values.yaml': values },
) {
  const { manifests } = parseManifests(text, 'out.yaml');
  for (const m of manifests) {
    m.locateSource = (segs: readonly PathSegment[]): SourceLocation => {
      const line = map[segs.join('.')];
      if (line === undefined) return { file: 'templates/x.yaml', line: 1, column: 1 };
      const col = (files['values.yaml'].split('\n')[line - 1] ?? '').search(/\S/) + 1;
      return { file: 'values.yaml', line, column: col };
    };
  }
  return verifyMapping(manifests, (f) => files[f]);
}

describe('verifyMapping', () => {
  it('accepts a field whose values line holds its value, or a part of it', () => {
    const report = check({
      'spec.replicas': 1,
      'spec.template.spec.containers.0.image': 4,
    });
    expect(report.mismatches).toEqual([]);
    expect(report.checked).toBe(2);
    expect(report.values).toBe(2);
  });

  it('reports a field mapped to a line that holds another value, an empty string or an empty list', () => {
    const report = check({
      'spec.replicas': 4, // tag: "1.4.2"
      'spec.template.spec.containers.0.image': 5, // digest: ""
      'spec.template.spec.containers.0.name': 6, // tolerations: []
    });
    expect(report.mismatches).toHaveLength(3);
    const byPath = Object.fromEntries(report.mismatches.map((m) => [m.path, m.found]));
    expect(byPath).toEqual({
      'spec.replicas': '"1.4.2"',
      'spec.template.spec.containers[name=app].image': 'an empty string',
      'spec.template.spec.containers[name=app].name': 'an empty list',
    });
  });

  it('does not judge template lines, nor values that are templates themselves', () => {
    const report = check({ 'spec.template.spec.containers.0.image': 7 });
    expect(report).toEqual({ checked: 0, values: 0, mismatches: [] });
  });

  it('accepts a Secret value that is the base64 of the values string', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: aHVudGVyMg==\n';
    expect(check({ 'data.password': 9 }, secret).mismatches).toEqual([]);
  });

  it('compares with the text as written: `yes` is the string kustomize renders and the true helm reads', () => {
    const flags = 'tier: yes\nlegacy: off\nquoted: "no"\n';
    const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\ndata:\n${data}`;
    const files = { 'values.yaml': flags };
    // Kustomize printed the resource's words as the strings it read.
    expect(check({ 'data.a': 1, 'data.b': 2 }, cm('  a: "yes"\n  b: "off"\n'), files).mismatches).toEqual([]);
    // Helm read YAML 1.1 and printed the booleans.
    expect(check({ 'data.a': 1, 'data.b': 2 }, cm('  a: "true"\n  b: "false"\n'), files).mismatches).toEqual(
      [],
    );
    // A quoted "no" is only ever the string: true does not come from it.
    const report = check({ 'data.a': 3 }, cm('  a: "false"\n'), files);
    expect(report.mismatches.map((m) => m.found)).toEqual(['"no"']);
  });

  it('finds a part of the rendered value only as a word of its own (`1` is no part of a digest)', () => {
    const small = 'workers: 1\ntag: 1.12.1\n';
    const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\ndata:\n${data}`;
    const files = { 'values.yaml': small };
    const ok = check({ 'data.a': 1, 'data.b': 2 }, cm('  a: "--workers=1"\n  b: "x/y:v1.12.1"\n'), files);
    expect(ok.mismatches).toEqual([]);
    const bad = check({ 'data.a': 1, 'data.b': 1 }, cm('  a: "e70bf6a851099d3851"\n  b: "100m"\n'), files);
    expect(bad.mismatches.map((m) => m.found)).toEqual(['1', '1']);
  });

  it('reads every key and list item of a YAML file by line and column', () => {
    const at = positionsOf('a:\n  - name: x\n    port: 80\n  - plain\nb: {}\n');
    expect(at.get('1:1')).toEqual({ kind: 'seq', size: 2 });
    expect(at.get('2:5')).toMatchObject({ kind: 'scalar', value: 'x', item: true });
    expect(at.get('3:5')).toMatchObject({ kind: 'scalar', value: 80 });
    expect(at.get('4:5')).toMatchObject({ kind: 'scalar', value: 'plain' });
    expect(at.get('5:1')).toEqual({ kind: 'map', size: 0 });
  });
});
