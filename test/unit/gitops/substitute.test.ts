import { describe, expect, it } from 'vitest';
import { envsubst, substituteResult, type Variable } from '../../../src/gitops/substitute.js';
import { parseManifests } from '../../../src/load/yaml.js';

/** Text with `%` written for `$` (the linter reads dollar-brace in a string as a mistaken template). */
const t = (s: string) => s.replaceAll('%', '$');

const vars = (entries: Record<string, string>): Map<string, Variable> =>
  new Map(
    Object.entries(entries).map(([k, value], i) => [
      k,
      { value, at: { file: 'ks.yaml', line: 10 + i, column: 7 } },
    ]),
  );

describe('envsubst (Flux post-build substitution)', () => {
  const look = (m: Record<string, string>) => (n: string) => m[n];

  it('replaces braced and bare variables and the default forms; an undefined variable becomes empty', () => {
    expect(envsubst(t('a %{x} b $x c'), look({ x: '1' })).text).toBe('a 1 b 1 c');
    expect(envsubst(t('%{x:=dflt}|%{y:=dflt}|%{z:-d2}'), look({ x: '1', y: '' })).text).toBe('1|dflt|d2');
    expect(envsubst(t('%{y-unset}|%{z-unset}'), look({ y: '' })).text).toBe('|unset');
    expect(envsubst(t('%{missing}!'), look({})).text).toBe('!');
    expect(envsubst(t('%{#x}'), look({ x: 'four' })).text).toBe('4');
  });

  it('leaves $$ as one dollar and anything that is not a variable as written', () => {
    expect(envsubst(t('cost: $$5 and %{x}'), look({ x: 'y' })).text).toBe('cost: $5 and y');
    expect(envsubst(t('price $ 5, %{ not a var }, $1'), look({})).text).toBe(
      t('price $ 5, %{ not a var }, $1'),
    );
  });

  it('reports which variables it met and whether each is known', () => {
    expect(envsubst(t('%{a}-%{b:=x}'), look({ a: '1' })).refs).toEqual([
      { name: 'a', defined: true },
      { name: 'b', defined: false, fallback: true },
    ]);
  });
});

interface Shape {
  spec: { replicas: number; template: { spec: { containers: { image: string; env: unknown[] }[] } } };
  data: Record<string, string>;
}

describe('substituteResult', () => {
  const built = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: \${replicas}
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:\${tag}
          env:
            - name: PORT
              value: "\${port}"
            - name: LEVEL
              value: \${level:=info}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: script
  annotations:
    kustomize.toolkit.fluxcd.io/substitute: disabled
data:
  run.sh: echo \${HOME}
`;
  const base = () => {
    const parsed = parseManifests(built, 'app [rendered]');
    for (const m of parsed.manifests)
      m.locateSource = (s) => ({ file: 'base.yaml', line: 100 + s.length, column: 1 });
    return {
      target: { kind: 'plain' as const, paths: [] },
      manifests: parsed.manifests,
      errors: [],
      rendered: built,
    };
  };
  const quoted = (_m: unknown, segs: readonly (string | number)[]) =>
    segs.at(-1) === 'value' && segs.includes(0);

  it('substitutes, types unquoted values as YAML and keeps quoted ones strings', () => {
    const out = substituteResult(base(), vars({ replicas: '3', tag: '1.2.0', port: '8080' }), {
      at: { file: 'ks.yaml', line: 5, column: 3 },
      name: 'Kustomization apps',
      quoted,
    });
    const [dep, cm] = out.manifests.map((m) => m.object as unknown as Shape);
    expect(dep.spec.replicas).toBe(3);
    const c = dep.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/acme/web:1.2.0');
    expect(c.env).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'LEVEL', value: 'info' },
    ]);
    // Switched off by its annotation.
    expect(cm.data['run.sh']).toBe(t('echo %{HOME}'));
    expect(out.rendered).toContain('replicas: 3');
  });

  it('puts a substituted field on the line that defines its variable, the rest where it was', () => {
    const out = substituteResult(base(), vars({ replicas: '3', tag: '1.2.0', port: '8080' }), {
      at: { file: 'ks.yaml', line: 5, column: 3 },
      name: 'Kustomization apps',
      quoted,
    });
    const dep = out.manifests[0];
    expect(dep.locateSource!(['spec', 'replicas'])).toEqual({ file: 'ks.yaml', line: 10, column: 7 });
    expect(dep.locateSource!(['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({
      file: 'ks.yaml',
      line: 11,
      column: 7,
    });
    // A default the repository does not override stays where it is written.
    expect(dep.locateSource!(['spec', 'template', 'spec', 'containers', 0, 'env', 1, 'value'])).toMatchObject(
      {
        file: 'base.yaml',
      },
    );
    expect(dep.locateSource!(['metadata', 'name'])).toMatchObject({ file: 'base.yaml' });
    // The rendered location is in the substituted text.
    expect(dep.locate(['spec', 'replicas']).line).toBe(6);
  });

  it('says which variables nobody defines, once, on the postBuild line', () => {
    const out = substituteResult(base(), vars({ replicas: '2' }), {
      at: { file: 'ks.yaml', line: 5, column: 3 },
      name: 'Kustomization apps',
    });
    const notes = out.errors.filter((e) => e.level === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0].message).toBe(
      t('Kustomization apps: %{port}, %{tag} are not defined in the repository (substituted as empty)'),
    );
    expect(notes[0].location).toEqual({ file: 'ks.yaml', line: 5, column: 3 });
  });

  it('substitutes nothing when no variable is defined at all, as kustomize-controller does', () => {
    const r = base();
    expect(substituteResult(r, new Map(), { at: { file: 'ks.yaml', line: 1, column: 1 }, name: 'x' })).toBe(
      r,
    );
  });
});
