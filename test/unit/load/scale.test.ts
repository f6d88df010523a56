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

  it('takes under a second for a Deployment with 10,000 containers', () => {
    expect(best(deployment(10_000))).toBeLessThan(1000);
  });

  it('takes under a second for a List of 4,000 items', () => {
    expect(best(list(4000))).toBeLessThan(1000);
  });
});
