import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  formsOf,
  MIN_MASK_LENGTH,
  placeholder,
  SecretRegistry,
  trieSource,
} from '../../../src/secrets/registry.js';

/** `${DB_PASSWORD}`, a shell reference (written so that no linter takes it for a template). */
const SHELL_REF = ['$', '{DB_PASSWORD}'].join('');

let reg: SecretRegistry;
beforeEach(() => {
  reg = new SecretRegistry();
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('placeholder', () => {
  it('is the one form the docs promise', () => {
    expect(placeholder(12)).toBe('<secret: 12 bytes>');
  });
});

describe('SecretRegistry.mask', () => {
  it('leaves text alone when nothing is secret', () => {
    expect(reg.mask('hunter2-canary')).toBe('hunter2-canary');
  });

  it('masks every occurrence, with the size of the value', () => {
    reg.add('hunter2-canary');
    expect(reg.mask('a hunter2-canary b hunter2-canary')).toBe('a <secret: 14 bytes> b <secret: 14 bytes>');
  });

  it('masks the base64 forms (padded, unpadded, url-safe) with the decoded size', () => {
    const value = 'p>s?w~rd-xyz??';
    reg.add(value);
    expect(reg.mask(`data: ${b64(value)}`)).not.toContain(b64(value).replace(/=+$/, ''));
    expect(reg.mask(`data: ${b64(value)}`)).toContain('<secret: 14 bytes>');
    const url = Buffer.from(value).toString('base64url');
    expect(reg.mask(`token=${url}`)).toBe('token=<secret: 14 bytes>');
  });

  it('masks the JSON-escaped and URL-encoded forms', () => {
    const value = 'quote"back\\slash';
    reg.add(value);
    expect(reg.mask(JSON.stringify({ message: `bad ${value}` }))).toBe(
      '{"message":"bad <secret: 16 bytes>"}',
    );
    reg.add('p@ss/word!');
    expect(reg.mask('postgres://u:p%40ss%2Fword!@h/db')).toBe('postgres://u:<secret: 10 bytes>@h/db');
  });

  it('masks each line of a multi-line value, wherever it is indented', () => {
    const pem =
      '-----BEGIN KEY-----\nMIIEowIBAAKCAQEAsecretline1\nMIIEowIBAAKCAQEAsecretline2\n-----END KEY-----';
    reg.add(pem);
    const yaml = `key: |\n    ${pem.split('\n').join('\n    ')}\n`;
    const masked = reg.mask(yaml);
    expect(masked).not.toContain('secretline1');
    expect(masked).not.toContain('secretline2');
  });

  it('masks the secret settings of a multi-line config, not its plain lines or PEM armour', () => {
    reg.add('server:\n  port: 8080\n  password: cfg-secret-pw\nlevel: information\n');
    reg.add('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----');
    expect(reg.mask('pw cfg-secret-pw')).toBe('pw <secret: 13 bytes>');
    expect(reg.mask('MIIBszCCAVmgAwIBAgIU')).toBe('<secret: 20 bytes>');
    for (const plain of ['server:', 'port: 8080', 'level: information', '-----BEGIN CERTIFICATE-----'])
      expect(reg.mask(plain)).toBe(plain);
  });

  it('prefers the longest secret at a position', () => {
    reg.add('abcdef');
    reg.add('abcdefghij');
    expect(reg.mask('xx abcdefghij yy abcdefXX')).toBe('xx <secret: 10 bytes> yy <secret: 6 bytes>XX');
  });

  it('masks the union of overlapping secrets', () => {
    reg.add('abcdefgh');
    reg.add('efghijkl');
    expect(reg.mask('1 abcdefghijkl 2')).toBe('1 <secret: 12 bytes> 2');
    // One inside another: the outer one.
    reg.add('cdefgh');
    expect(reg.mask('abcdefgh')).toBe('<secret: 8 bytes>');
  });

  it('never masks a placeholder that is already there', () => {
    reg.add('secret');
    reg.add('bytes>');
    expect(reg.mask('value: <secret: 12 bytes> (secret)')).toBe(
      'value: <secret: 12 bytes> (<secret: 6 bytes>)',
    );
  });

  it(`ignores values shorter than ${MIN_MASK_LENGTH} characters, blanks, references and non-strings`, () => {
    reg.add('admin');
    reg.add('');
    reg.add('   ');
    reg.add('$(DB_PASSWORD)');
    reg.add(SHELL_REF);
    reg.add(12345678);
    reg.add(true);
    expect(reg.size).toBe(0);
    expect(reg.mask('admin $(DB_PASSWORD) 12345678 true')).toBe('admin $(DB_PASSWORD) 12345678 true');
  });

  it('escapes every character a pattern would read specially', () => {
    const value = '^$.*+?()[]{}|\\/-x';
    reg.add(value);
    expect(reg.mask(`a ${value} b`)).toBe(`a <secret: ${Buffer.byteLength(value)} bytes> b`);
    expect(reg.mask('a ^$.*+?()[]{}|\\/-y b')).toBe('a ^$.*+?()[]{}|\\/-y b');
  });

  it('masks non-ASCII values', () => {
    reg.add('pässwörd-✓-🔑');
    expect(reg.mask('x pässwörd-✓-🔑 y')).toBe(`x <secret: ${Buffer.byteLength('pässwörd-✓-🔑')} bytes> y`);
  });

  it('recompiles when the set changes', () => {
    reg.add('first-secret');
    expect(reg.mask('second-secret')).toBe('second-secret');
    reg.add('second-secret');
    expect(reg.mask('second-secret')).toBe('<secret: 13 bytes>');
  });

  it('takes a Secret data value: decoded, and the base64 text as written', () => {
    const encoded = `${b64('a-long-enough-secret-value-for-line-breaks')}`;
    const wrapped = `${encoded.slice(0, 20)}\n${encoded.slice(20)}`;
    reg.addBase64(wrapped);
    expect(reg.mask('a-long-enough-secret-value-for-line-breaks')).toBe('<secret: 42 bytes>');
    expect(reg.mask(encoded)).toBe('<secret: 42 bytes>');
    expect(reg.mask(wrapped)).toBe('<secret: 42 bytes>');
  });

  it('skips the decoded form of binary data but masks its base64', () => {
    const encoded = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81, 0x82, 0x83]).toString('base64');
    reg.addBase64(encoded);
    expect(reg.mask(`x ${encoded} y`)).toBe('x <secret: 8 bytes> y');
  });

  it('masks every string of a JSON-like value', () => {
    reg.add('deep-secret');
    expect(
      reg.maskDeep({ a: ['x deep-secret', { b: 'deep-secret' }], n: 1, t: true, 'deep-secret': null }),
    ).toEqual({
      a: ['x <secret: 11 bytes>', { b: '<secret: 11 bytes>' }],
      n: 1,
      t: true,
      '<secret: 11 bytes>': null,
    });
  });

  it('tells listeners of every string it will mask, earlier ones too', () => {
    reg.add('early-secret');
    const heard: string[] = [];
    const stop = reg.onAdd((s) => heard.push(s));
    reg.add('later-secret');
    stop();
    reg.add('unheard-secret');
    expect(heard).toContain('early-secret');
    expect(heard).toContain('later-secret');
    expect(heard).toContain(b64('later-secret').replace(/=+$/, ''));
    expect(heard).not.toContain('unheard-secret');
  });

  it('forgets everything on reset', () => {
    reg.add('hunter2-canary');
    reg.reset();
    expect(reg.mask('hunter2-canary')).toBe('hunter2-canary');
  });

  it('is linear: a thousand secrets over a megabyte of text', () => {
    for (let i = 0; i < 1000; i++) reg.add(`secret-${i}-${'x'.repeat(i % 40)}-${i * 7919}`);
    const text = 'lorem ipsum dolor sit amet, secret-1-x-7919 '.repeat(25_000);
    const started = performance.now();
    const masked = reg.mask(text);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(masked).not.toContain('secret-1-x-7919');
  });

  it('takes a very long value in lines', () => {
    const line = 'L'.repeat(100);
    const big = Array.from({ length: 1000 }, (_, i) => `${line}${i}`).join('\n');
    reg.add(big);
    expect(reg.mask(`x ${line}42 y`)).toBe('x <secret: 102 bytes> y');
  });
});

describe('property: no secret survives masking', () => {
  it('holds for random secrets planted in random text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: MIN_MASK_LENGTH, maxLength: 20 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.string({ maxLength: 10 }), { maxLength: 8 }),
        (values, fillers) => {
          const r = new SecretRegistry();
          const kept = values.filter((v) => v.trim() !== '' && !/^\s|\s$/.test(v));
          for (const v of kept) r.add(v);
          const text = kept.map((v, i) => `${fillers[i] ?? ''}${v}`).join(' | ');
          // Placeholders (and any text shaped like one) become a character no value holds.
          const masked = r.mask(text).replace(/<secret: \d+ bytes>/g, '\0');
          for (const v of kept) {
            if (/<secret: \d+ bytes>/.test(v)) continue;
            expect(masked.includes(v)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('property: the hashed scan masks what one pattern over the whole text masks', () => {
  /** The scan `mask` replaced: one global pattern (placeholder or trie), leftmost match first. */
  function reference(strings: string[], text: string): string {
    const all = new RegExp(`(<secret: \\d+ bytes>)|${trieSource(strings)}`, 'g');
    const sticky = new RegExp(trieSource(strings), 'y');
    let out = '';
    let last = 0;
    for (let m = all.exec(text); m !== null; m = all.exec(text)) {
      if (m[1] !== undefined) continue;
      let end = m.index + m[0].length;
      for (let p = m.index + 1; p < end; p++) {
        sticky.lastIndex = p;
        const o = sticky.exec(text);
        if (o && p + o[0].length > end) end = p + o[0].length;
      }
      out += `${text.slice(last, m.index)}<secret>`;
      last = end;
      all.lastIndex = end;
    }
    return out + text.slice(last);
  }

  it('holds for overlapping secrets, placeholders and text of their pieces', () => {
    const piece = fc.constantFrom('ab', 'abc', 'cab', 'x', '<secret: 3 bytes>', 'é', '\n', 'Zz', '==');
    const word = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.array(word, { maxLength: 30 }),
        (values, parts) => {
          const r = new SecretRegistry();
          const strings: string[] = [];
          r.onAdd((t) => strings.push(t));
          for (const v of values) r.add(v);
          const text = parts.join('') + values.join('-') + parts.reverse().join('');
          const norm = (t: string) => t.replace(/<secret: \d+ bytes>/g, '<secret>');
          expect(norm(r.mask(text))).toBe(norm(reference(strings, text)));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('trieSource', () => {
  it('matches exactly the strings, longest first', () => {
    const re = new RegExp(`^${trieSource(['abc', 'abcdef', 'abx', 'b'])}`);
    expect(re.exec('abcdefg')?.[0]).toBe('abcdef');
    expect(re.exec('abcdx')?.[0]).toBe('abc');
    expect(re.exec('abxy')?.[0]).toBe('abx');
    expect(re.exec('by')?.[0]).toBe('b');
    expect(re.exec('ab')).toBeNull();
  });

  it('matches nothing for no strings', () => {
    expect(new RegExp(trieSource([])).test('anything')).toBe(false);
  });
});

describe('formsOf', () => {
  it('lists the value, its base64 forms, and its escaped forms, each with the value size', () => {
    const forms = new Map(formsOf('a"b c/d+?'));
    expect(forms.get('a"b c/d+?')).toBe(9);
    expect(forms.get(b64('a"b c/d+?').replace(/=+$/, ''))).toBe(9);
    expect(forms.get('a\\"b c/d+?')).toBe(9);
    expect(forms.get(encodeURIComponent('a"b c/d+?'))).toBe(9);
  });
});

describe('values the repository shows anyway (public names)', () => {
  it('does not mask a repository value that is also a name the repository shows', () => {
    const repo = reg.fromRepository();
    repo.add('pricelist');
    repo.add('hunter2-canary');
    reg.addPublicNames(['pricelist', 'pricelist-frontend']);
    expect(reg.mask('Deployment pricelist/pricelist in app-of-apps/pricelist/deploy.yaml')).toBe(
      'Deployment pricelist/pricelist in app-of-apps/pricelist/deploy.yaml',
    );
    // The same run's other repository secrets stay masked.
    expect(reg.mask('password hunter2-canary')).toBe('password <secret: 14 bytes>');
  });

  it('takes a bare secret word from the repository (a Secret holding `password`) for a placeholder', () => {
    reg.fromRepository().add('password');
    reg.fromRepository().addBase64(b64('password'));
    reg.fromRepository().add('db:\n  password: password\n  host: pg\n');
    expect(reg.mask('config.datasource.password is required')).toBe('config.datasource.password is required');
    reg.add('password');
    expect(reg.mask('password')).toBe('<secret: 8 bytes>');
  });

  it('counts each word of a name as shown too (a folder pricelist-frontend shows frontend)', () => {
    reg.fromRepository().add('frontend');
    reg.addPublicNames(['pricelist-frontend', 'values-staging.yaml']);
    expect(reg.mask('pricelist-frontend/deploy.yaml')).toBe('pricelist-frontend/deploy.yaml');
    reg.fromRepository().add('staging');
    expect(reg.mask('values-staging.yaml')).toBe('values-staging.yaml');
  });

  it('holds whichever comes first, the name or the value', () => {
    reg.addPublicNames(['pricelist']);
    reg.fromRepository().add('pricelist');
    expect(reg.mask('ns pricelist')).toBe('ns pricelist');
  });

  it('always masks a value that came from anywhere private, whatever is named after it', () => {
    reg.add('cluster-token-xyz');
    reg.addPublicNames(['cluster-token-xyz']);
    expect(reg.mask('name cluster-token-xyz')).toBe('name <secret: 17 bytes>');
    // Seen in the repository first, then privately (an input, a live Secret): masked from then on.
    reg.fromRepository().add('pricelist');
    reg.addPublicNames(['pricelist']);
    expect(reg.mask('pricelist')).toBe('pricelist');
    reg.add('pricelist');
    expect(reg.mask('pricelist')).toBe('<secret: 9 bytes>');
  });

  it('hands the runner only what it masks, and a private value when it becomes one', () => {
    const seen: string[] = [];
    reg.onAdd((text) => seen.push(text));
    reg.addPublicNames(['pricelist']);
    reg.fromRepository().add('pricelist');
    expect(seen).not.toContain('pricelist');
    reg.add('pricelist');
    expect(seen).toContain('pricelist');
  });
});
