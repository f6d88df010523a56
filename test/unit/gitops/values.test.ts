import { describe, expect, it } from 'vitest';
import { embeddedValues, literalBlockAt } from '../../../src/gitops/embedded.js';
import { definitionsInText } from '../../../src/gitops/scan.js';
import {
  nested,
  parameterLayer,
  parseImageOverride,
  parseSetPath,
  typedValue,
} from '../../../src/gitops/values.js';

describe('Helm value paths and types (--set syntax)', () => {
  it('parses dotted paths, list indexes and escaped dots', () => {
    expect(parseSetPath('image.tag')).toEqual(['image', 'tag']);
    expect(parseSetPath('ports[1].name')).toEqual(['ports', 1, 'name']);
    expect(parseSetPath('podAnnotations.prometheus\\.io/scrape')).toEqual([
      'podAnnotations',
      'prometheus.io/scrape',
    ]);
    expect(parseSetPath('')).toBeUndefined();
    expect(parseSetPath('a[x]')).toBeUndefined();
  });

  it('types values as Helm does: booleans, null, integers without a leading zero', () => {
    expect([typedValue('true'), typedValue('null'), typedValue('3'), typedValue('-2')]).toEqual([
      true,
      null,
      3,
      -2,
    ]);
    expect([typedValue('007'), typedValue('1.5'), typedValue('3.2.1'), typedValue('yes')]).toEqual([
      '007',
      '1.5',
      '3.2.1',
      'yes',
    ]);
    expect(nested(['a', 1, 'b'], 'x')).toEqual({ a: [null, { b: 'x' }] });
  });

  it('locates each parameter on its own line; the last one setting a path wins', () => {
    const at = (line: number) => ({ file: 'app.yaml', line, column: 9 });
    const layer = parameterLayer('p', [
      { path: ['image', 'tag'], value: '1', at: at(10) },
      { path: ['replicaCount'], value: 2, at: at(12) },
      { path: ['image', 'tag'], value: '2', at: at(14) },
    ]);
    expect(layer.values).toEqual({ image: { tag: '2' }, replicaCount: 2 });
    expect(layer.locate(['image', 'tag'])).toEqual(at(14));
    expect(layer.locate(['image'])).toBeUndefined();
  });

  it('reads kustomize image overrides as Argo CD writes them', () => {
    expect(parseImageOverride('ghcr.io/acme/web:1.2')).toEqual({ name: 'ghcr.io/acme/web', newTag: '1.2' });
    expect(parseImageOverride('web=ghcr.io/acme/web:1.2')).toEqual({
      name: 'web',
      newName: 'ghcr.io/acme/web',
      newTag: '1.2',
    });
    expect(parseImageOverride('registry:5000/web@sha256:abc')).toEqual({
      name: 'registry:5000/web',
      digest: 'sha256:abc',
    });
    expect(parseImageOverride('')).toBeUndefined();
  });
});

const helmValues = (o: unknown) =>
  (o as { spec: { source: { helm: { values: string } } } }).spec.source.helm.values;

describe('YAML held in a string of a definition', () => {
  const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    helm:
      values: |
        replicaCount: 1
        image:
          tag: latest
`;
  const quoted = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    helm:
      values: "replicaCount: 1"
`;

  it('maps each key to its own line of a literal block', () => {
    const [def] = definitionsInText(text, 'apps/web.yaml');
    const at = ['spec', 'source', 'helm', 'values'];
    const v = embeddedValues(def, at, helmValues(def.object));
    if ('error' in v) throw new Error(v.error);
    expect(v.values).toEqual({ replicaCount: 1, image: { tag: 'latest' } });
    expect(v.locate(['replicaCount'])).toEqual({ file: 'apps/web.yaml', line: 9, column: 9 });
    expect(v.locate(['image', 'tag'])).toEqual({ file: 'apps/web.yaml', line: 11, column: 11 });
    expect(v.locate(['nope'])).toBeUndefined();
  });

  it('maps every key to the field itself when the string is not a literal block', () => {
    const [def] = definitionsInText(quoted, 'apps/web.yaml');
    const at = ['spec', 'source', 'helm', 'values'];
    const v = embeddedValues(def, at, helmValues(def.object));
    if ('error' in v) throw new Error(v.error);
    expect(v.locate(['replicaCount'])).toMatchObject({ file: 'apps/web.yaml', line: 8 });
  });

  it('says so when the string is not a mapping of values', () => {
    const [def] = definitionsInText(text, 'apps/web.yaml');
    expect(embeddedValues(def, ['x'], '- a\n- b\n')).toEqual({ error: 'must be a mapping of values' });
    expect(embeddedValues(def, ['x'], 'a: [\n')).toMatchObject({
      error: expect.stringContaining('not valid YAML'),
    });
  });

  it('finds literal blocks, not folded or quoted ones', () => {
    expect(literalBlockAt('a: |-\n\n  x: 1\n', 1)).toEqual({ line: 2, indent: 2 });
    expect(literalBlockAt('a: >\n  x\n', 1)).toBeUndefined();
    expect(literalBlockAt('a: "x"\n', 1)).toBeUndefined();
  });
});
