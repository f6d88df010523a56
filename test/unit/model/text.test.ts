import { describe, expect, it } from 'vitest';
import {
  Interner,
  inertInLog,
  inertOutput,
  printable,
  showsIn,
  stripControls,
} from '../../../src/model/text.js';

describe('printable', () => {
  it('removes terminal escapes and shows other control characters', () => {
    expect(printable('\u001b[31mred\u001b[0m and \u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe(
      'red and link',
    );
    expect(printable('a\u0000b\u0007c\rd\u2028e\tf\ng')).toBe('a\\x00b\\x07c\\x0dd\\x2028e\tf\ng');
  });

  it('shows the bidirectional overrides and isolates too (Trojan Source in a tool message)', () => {
    expect(printable('fail: user\u202eexe.yaml\u2066x\u2069')).toBe(
      'fail: user\\x202eexe.yaml\\x2066x\\x2069',
    );
  });

  it('finds the same characters stripControls removes: one set', () => {
    const odd =
      'a\u0000\u0009\u000a\u001b\u007f\u0085\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069\ufffe\uffffz';
    expect(stripControls(odd)).toBe('a\t\nz');
    expect(printable(odd).replace(/\\x[0-9a-f]+/g, '')).toBe('a\t\nz');
  });

  it('cuts what is too long, saying how much', () => {
    expect(printable('x'.repeat(10), 4)).toBe('xxxx… (6 more characters)');
    expect(printable('short', 10)).toBe('short');
  });
});

describe('inertInLog and inertOutput: text from a pull request never acts as a workflow command', () => {
  const commands = [
    '::add-mask::token',
    '::stop-commands::abc',
    '  ::error file=a.yaml,line=1::forged',
    '\t::set-output name=x::y',
    '##[add-mask]token',
    'text ##[error]forged',
  ];

  it('no line of the made-inert text starts a command, and it reads the same without zero-width spaces', () => {
    for (const c of commands) {
      const text = `charts/web: ok\n${c}\nlast`;
      const out = inertInLog(text);
      for (const line of out.split('\n')) {
        expect(line.trimStart().startsWith('::')).toBe(false);
        expect(line.includes('##[')).toBe(false);
      }
      expect(out.replaceAll('\u200b', '')).toBe(text);
    }
  });

  it('a single command line as @actions/core writes it passes; the same line inside other text does not', () => {
    expect(inertOutput('::add-mask::s3cret\n')).toBe('::add-mask::s3cret\n');
    expect(inertOutput('::error file=a.yaml,line=3::bad%0Aline\n')).toBe(
      '::error file=a.yaml,line=3::bad%0Aline\n',
    );
    expect(inertOutput('folder\n::add-mask::x\n')).not.toContain('\n::add-mask');
    expect(inertOutput('::warning::a\n::add-mask::b\n')).not.toContain('\n::add-mask');
    expect(inertOutput('::notice::see ##[error]x\n')).not.toContain('##[');
  });

  it('leaves ordinary text alone', () => {
    const text = 'charts/web (values.yaml): 3 findings; image: nginx:1.27 http://x:80/a::b';
    expect(inertInLog(text)).toBe(text);
  });
});

describe('showsIn', () => {
  it('finds a value as a word of its own: after a flag, a tag, a prefix, a version v, before a unit', () => {
    expect(showsIn('--workers=1', '1')).toBe(true);
    expect(showsIn('example/web:1.2', 'example/web')).toBe(true);
    expect(showsIn('example/web:1.2', '1.2')).toBe(true);
    expect(showsIn('prod-web', 'web')).toBe(true);
    expect(showsIn('quay.io/x/exporter:v1.12.1', '1.12.1')).toBe(true);
    expect(showsIn('75s', '75')).toBe(true);
    expect(showsIn('256Mi', '256')).toBe(true);
    expect(showsIn('web', 'web')).toBe(true);
  });

  it('does not find it inside a longer number or name, nor in a digest', () => {
    expect(showsIn('100m', '1')).toBe(false);
    expect(showsIn('webhook', 'web')).toBe(false);
    expect(showsIn('e70bf6a851099d385178a76de9757bb0', '1')).toBe(false);
    expect(showsIn('767ab28dedc18c5e5d82', '60')).toBe(false);
    expect(showsIn('env1.2', '1.2')).toBe(false);
    expect(showsIn('anything', '')).toBe(false);
  });
});

describe('Interner', () => {
  it('gives one copy of each recurring string, equal to it', () => {
    const words = new Interner();
    const a = words.of(['no cpu', 'request'].join(' '));
    const b = words.of(['no cpu', 'request'].join(' '));
    expect(a).toBe('no cpu request');
    expect(b).toBe(a);
  });

  it('never holds more than its limit, and every answer equals its question', () => {
    const words = new Interner(4);
    for (let i = 0; i < 1000; i++) expect(words.of(`path ${i % 7}`)).toBe(`path ${i % 7}`);
  });

  it('rests when strings do not recur, and interns again afterwards', () => {
    const words = new Interner(8);
    for (let i = 0; i < 9; i++) words.of(`unique ${i}`); // a full table, no hits: it rests
    for (let i = 0; i < 32; i++) expect(words.of(`unique again ${i}`)).toBe(`unique again ${i}`);
    const first = words.of(['same', 'text'].join(' '));
    expect(words.of(['same', 'text'].join(' '))).toBe(first);
  });
});
