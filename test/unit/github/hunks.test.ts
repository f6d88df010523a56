import { describe, expect, it } from 'vitest';
import { CommentableLines, parsePatch } from '../../../src/github/hunks.js';

const patch = [
  '@@ -1,4 +1,5 @@',
  ' image:',
  '   repository: shop/checkout',
  '-  tag: 1.4.2',
  '+  tag: 1.4.2-debug',
  '+  pullPolicy: Always',
  ' replicas: 2',
  '@@ -20,3 +21,2 @@ resources:',
  ' limits:',
  '-  cpu: 500m',
  '   memory: 256Mi',
  '\\ No newline at end of file',
].join('\n');

describe('parsePatch', () => {
  it('numbers the right side of every hunk', () => {
    const hunks = parsePatch(patch);
    expect(hunks).toHaveLength(2);
    expect(hunks[0]).toMatchObject({ oldStart: 1, oldLines: 4, newStart: 1, newLines: 5 });
    expect(hunks[0].rightLines).toEqual([1, 2, 3, 4, 5]);
    expect(hunks[0].addedLines).toEqual([3, 4]);
    expect(hunks[1].rightLines).toEqual([21, 22]);
    expect(hunks[1].addedLines).toEqual([]);
  });

  it('reads single-line headers without a count', () => {
    const [h] = parsePatch('@@ -3 +3 @@\n-a\n+b');
    expect(h).toMatchObject({ oldLines: 1, newLines: 1, rightLines: [3], addedLines: [3] });
  });

  it('counts an empty context line that lost its leading space', () => {
    const [h] = parsePatch('@@ -1,3 +1,3 @@\n a\n\n+c\n-d');
    expect(h.rightLines).toEqual([1, 2, 3]);
    expect(h.addedLines).toEqual([3]);
  });

  it('treats a new file as all added', () => {
    const [h] = parsePatch('@@ -0,0 +1,3 @@\n+a\n+b\n+c');
    expect(h.addedLines).toEqual([1, 2, 3]);
  });

  it('returns nothing for a missing patch (binary or too large)', () => {
    expect(parsePatch(undefined)).toEqual([]);
  });
});

describe('CommentableLines', () => {
  const lines = new CommentableLines([
    { filename: 'chart/values.yaml', status: 'modified', patch },
    { filename: 'gone.yaml', status: 'removed', patch: '@@ -1,2 +0,0 @@\n-a\n-b' },
    { filename: 'big.bin', status: 'modified' },
  ]);

  it('allows added and context lines inside hunks only', () => {
    expect(lines.has('chart/values.yaml', 3)).toBe(true);
    expect(lines.has('chart/values.yaml', 5)).toBe(true);
    expect(lines.has('chart/values.yaml', 6)).toBe(false);
    expect(lines.has('chart/values.yaml', 22)).toBe(true);
    expect(lines.has('chart/values.yaml', 23)).toBe(false);
    expect(lines.isAdded('chart/values.yaml', 3)).toBe(true);
    expect(lines.isAdded('chart/values.yaml', 5)).toBe(false);
  });

  it('allows nothing in removed files, files without a patch or files not in the diff', () => {
    expect(lines.has('gone.yaml', 1)).toBe(false);
    expect(lines.has('big.bin', 1)).toBe(false);
    expect(lines.has('other.yaml', 1)).toBe(false);
  });
});
