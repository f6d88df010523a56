import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/model/hash.js';

describe('sha256Hex', () => {
  it('is the SHA-256 of the text as UTF-8, in hex', () => {
    // FIPS 180-2's example.
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const text of ['', 'héllo wörld ✔', 'rule\0Deployment/x\0spec.replicas', '\u{1F600}'.repeat(40)]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });

  it('keeps the first digits asked for, even or odd', () => {
    const whole = createHash('sha256').update('shipshape').digest('hex');
    for (const digits of [1, 10, 12, 15, 16, 63, 64])
      expect(sha256Hex('shipshape', digits)).toBe(whole.slice(0, digits));
  });

  it('hashes bytes as they are', () => {
    const bytes = Buffer.from([0, 255, 128, 10, 0xc3]);
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
