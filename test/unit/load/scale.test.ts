import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/load/yaml.js';

/**
 * Linear in the document, however many fields are located in it: a Deployment with thousands of
 * containers, a `kind: List` with thousands of items (what `kubectl get -o yaml` writes). Locating
 * every container once took 36 s for 10,000 containers when each look-up recounted the document.
 */

function deployment(containers: number): string {
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: big}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
  ];
  for (let i = 0; i < containers; i++) lines.push(`        - name: c${i}`, `          image: nginx:1.${i}`);
  return `${lines.join('\n')}\n`;
}

function list(items: number): string {
  const lines = ['apiVersion: v1', 'kind: List', 'items:'];
  for (let i = 0; i < items; i++) {
    lines.push(
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      `    metadata: {name: d${i}}`,
      '    spec:',
      '      template:',
      '        spec:',
      '          containers: [{name: c, image: nginx}]',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Parse, then locate one field per container or item, as the engine does for findings. */
function locateAll(text: string): { ms: number; lines: number[] } {
  const started = performance.now();
  const { manifests } = parseManifests(text, 'x.yaml');
  const lines: number[] = [];
  for (const m of manifests) {
    const containers = (m.object.spec as { template: { spec: { containers: unknown[] } } }).template.spec
      .containers;
    for (let i = 0; i < containers.length; i++) {
      lines.push(m.locate(['spec', 'template', 'spec', 'containers', i, 'image']).line);
    }
  }
  return { ms: performance.now() - started, lines };
}

/** The best of three runs, in milliseconds: a loaded machine makes single runs noisy. */
function best(text: string): number {
  return Math.min(...[0, 1, 2].map(() => locateAll(text).ms));
}

describe('locating fields', () => {
  it('finds the right line in a huge document', () => {
    expect(locateAll(deployment(3)).lines).toEqual([9, 11, 13]);
    expect(locateAll(list(2)).lines).toEqual([10, 17]);
  });

  // About 300 ms each on a quiet 2-core machine; the bound leaves room for a loaded one (unit
  // tests run in parallel with each other), and is still far below the quadratic 36 s and 56 s.
  it('takes well under a second for a Deployment with 10,000 containers', () => {
    expect(best(deployment(10_000))).toBeLessThan(5000);
  }, 60_000);

  it('takes well under a second for a List of 4,000 items', () => {
    expect(best(list(4000))).toBeLessThan(5000);
  }, 60_000);
});

describe('aliases', () => {
  it('refuses one big string aliased a thousand times, by bytes, before it costs memory', () => {
    const big = 'x'.repeat(1024 * 1024);
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  big: &a "${big}"\n  list: [${Array(1024).fill('*a').join(',')}]\n`;
    const before = process.memoryUsage().rss;
    const { manifests, errors } = parseManifests(text, 'alias.yaml');
    expect(manifests).toEqual([]);
    expect(errors.map((e) => `${e.location?.line} ${e.message}`)).toEqual([
      '1 document 1: aliases expand to more than 32 MiB; not loaded',
    ]);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('still gives every aliased field a copy of its own', () => {
    const { manifests } = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {app: a}}\ndata: {x: "1"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, labels: {app: b}, annotations: {a: "1"}}\n',
      'f.yaml',
    );
    expect(manifests.map((m) => m.ref.name)).toEqual(['a', 'b']);
    const single = parseManifests(
      'a: &x {k: v}\nb: *x\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
      'g.yaml',
    );
    const obj = single.manifests[0].object as unknown as { a: object; b: object };
    expect(obj.a).toEqual(obj.b);
    expect(obj.a).not.toBe(obj.b);
  });
});
