import { describe, expect, it } from 'vitest';
import { fastYamlData, yamlData } from '../../../src/render/yaml-data.js';

/** Values files, Chart.yaml and kustomizations as data, read the way helm and kustomize read them. */
describe('yamlData', () => {
  it('reads YAML 1.1 as helm does: on is true, 0755 is octal, dates stay strings', () => {
    expect(yamlData('a: on\nb: 0755\nc: 2026-12-01\nd: "yes"\n---\ne: [1]\n')).toEqual([
      { a: true, b: 493, c: '2026-12-01', d: 'yes' },
      { e: [1] },
    ]);
  });

  it('reads text with anchors the careful way, and leaves out a document whose aliases expand too far', () => {
    expect(fastYamlData('base: &b {x: 1}\nother: *b\n')).toBeUndefined();
    expect(yamlData('base: &b {x: 1}\nother: *b\n')).toEqual([{ base: { x: 1 }, other: { x: 1 } }]);
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    expect(yamlData(levels.join('\n'))).toEqual([]);
  });

  it('leaves out a broken document and keeps the others; a string with & is no anchor', () => {
    expect(yamlData('a: 1\n---\nb: [\n---\nc: R&D\n')).toEqual([{ a: 1 }, { c: 'R&D' }]);
    expect(fastYamlData('a: 1\na: 2\n')).toBeUndefined();
    expect(fastYamlData('c: R&D\n')).toEqual([{ c: 'R&D' }]);
    expect(fastYamlData('cmd: make && make install &&\n')).toEqual([{ cmd: 'make && make install &&' }]);
    for (const anchored of ['a: &&x 1\nb: *&x\n', '{"a":&x 1, "b": *x}\n', 'l: [&x 1, *x]\n'])
      expect(fastYamlData(anchored), anchored).toBeUndefined();
  });
});
