import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { code, details, fence, splitBlock, splitMarkdown } from '../../../src/github/markdown.js';

/** Check that every fence opened in a part is closed in the same part. */
function fencesBalanced(md: string): boolean {
  let open: string | undefined;
  for (const line of md.split('\n')) {
    if (open) {
      if (new RegExp(`^${open[0] === '`' ? '`' : '~'}{${open.length},}\\s*$`).test(line)) open = undefined;
    } else {
      const m = /^(`{3,}|~{3,})/.exec(line);
      if (m) open = m[1];
    }
  }
  return open === undefined;
}

function detailsBalanced(md: string): boolean {
  let depth = 0;
  let inFence: string | undefined;
  for (const line of md.split('\n')) {
    const m = /^(`{3,}|~{3,})/.exec(line);
    if (inFence) {
      if (m && m[1].length >= inFence.length && line.trim() === m[1]) inFence = undefined;
      continue;
    }
    if (m) {
      inFence = m[1];
      continue;
    }
    if (/^<details/.test(line.trim())) depth++;
    if (/^<\/details>/.test(line.trim())) depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe('fence', () => {
  it('uses three backticks for plain content', () => {
    expect(fence('a: 1', 'yaml')).toBe('```yaml\na: 1\n```');
  });

  it('uses a longer fence than any backtick run inside', () => {
    const md = fence('data:\n  README.md: |\n    ```sh\n    make\n    ```\n', 'diff');
    expect(md.startsWith('````diff\n')).toBe(true);
    expect(md.endsWith('\n````')).toBe(true);
    expect(fencesBalanced(md)).toBe(true);
  });

  it('takes content with more backtick runs than a call takes arguments (a hostile ConfigMap)', () => {
    const content = `${'`a '.repeat(300_000)}\n\`\`\`\`\`x\n`;
    const md = fence(content, 'diff');
    expect(md.startsWith('``````diff\n')).toBe(true);
    expect(code(content).startsWith('``````')).toBe(true);
  });
});

describe('code', () => {
  it('keeps backticks and pipes inside inline code', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('x|y')).toBe('`x\\|y`');
    expect(code('`edge`')).toBe('`` `edge` ``');
  });
});

describe('splitMarkdown', () => {
  it('keeps everything in one part when it fits', () => {
    expect(splitMarkdown(['a', 'b'], 100)).toEqual(['a\n\nb']);
  });

  it('splits on block boundaries first', () => {
    const blocks = ['x'.repeat(40), 'y'.repeat(40), 'z'.repeat(40)];
    const parts = splitMarkdown(blocks, 90);
    expect(parts).toEqual([`${'x'.repeat(40)}\n\n${'y'.repeat(40)}`, 'z'.repeat(40)]);
  });

  it('cuts an oversized block between lines, closing and reopening fences and details', () => {
    const diff = Array.from({ length: 60 }, (_, i) => `+  line-${i}: value`).join('\n');
    const block = details('Deployment/shop/checkout', fence(diff, 'diff'));
    const parts = splitBlock(block, 400);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(400);
      expect(fencesBalanced(p)).toBe(true);
      expect(detailsBalanced(p)).toBe(true);
    }
    expect(parts[1]).toContain('<summary>Deployment/shop/checkout (continued)</summary>');
    // Every original line survives, whole and in order.
    const kept = parts
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('+  line-'));
    expect(kept).toEqual(diff.split('\n'));
  });

  it('shortens a single line longer than a part, with a note', () => {
    const parts = splitBlock(fence('x'.repeat(5000)), 1000);
    expect(parts).toHaveLength(1);
    expect(parts[0].length).toBeLessThanOrEqual(1000);
    expect(parts[0]).toContain('line shortened from 5000 characters');
    expect(fencesBalanced(parts[0])).toBe(true);
  });

  it('never exceeds the limit and never leaves a fence open (property)', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 60 }).map((s) => s.replace(/\n/g, ' ')),
      fc.constantFrom('```', '````yaml', '  ``` inner', '<details><summary>s</summary>', '</details>'),
    );
    const block = fc.array(line, { maxLength: 40 }).map((ls) => details('obj', fence(ls.join('\n'), 'diff')));
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 200, max: 2000 }),
        (blocks, limit) => {
          const parts = splitMarkdown(blocks, limit);
          for (const p of parts) {
            if (p.length > limit) return false;
            if (!fencesBalanced(p)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });
});
