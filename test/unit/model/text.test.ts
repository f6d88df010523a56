import { describe, expect, it } from 'vitest';
import { printable } from '../../../src/model/text.js';

describe('printable', () => {
  it('removes terminal escapes and shows other control characters', () => {
    expect(printable('\u001b[31mred\u001b[0m and \u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe(
      'red and link',
    );
    expect(printable('a\u0000b\u0007c\rd\u2028e\tf\ng')).toBe('a\\x00b\\x07c\\x0dd\\x2028e\tf\ng');
  });

  it('cuts what is too long, saying how much', () => {
    expect(printable('x'.repeat(10), 4)).toBe('xxxx… (6 more characters)');
    expect(printable('short', 10)).toBe('short');
  });
});
