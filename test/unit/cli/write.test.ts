import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeInSlices } from '../../../src/cli/io.js';

/** A stream that holds what it is given and writes it later, as a full pipe or a slow reader does. */
function slowStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const got: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 1 << 16,
    write(chunk: Buffer, _encoding, done) {
      setTimeout(() => {
        got.push(Buffer.from(chunk));
        done();
      }, 1);
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => Buffer.concat(got).toString('utf8') };
}

/** A stream that takes every write at once, as a file or a pipe on Linux does. */
function quickStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const got: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      got.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => Buffer.concat(got).toString('utf8') };
}

describe('writing a large report', () => {
  const pieces = Array.from({ length: 40 }, (_, i) => `${String(i).repeat(20_000 + i)}é€😀\n`);
  // One piece longer than a slice (1 Mi characters), so it is cut.
  pieces.push('x'.repeat((1 << 20) + 5));

  for (const [name, make] of [
    ['a stream that writes at once', quickStream],
    ['a stream that keeps what it is given', slowStream],
  ] as const) {
    it(`writes every byte in order to ${name}, though its buffer is reused`, async () => {
      const { stream, text } = make();
      await Promise.all(pieces.map((p) => writeInSlices(stream, p)));
      await new Promise<void>((resolve) => stream.end(resolve));
      expect(text()).toBe(pieces.join(''));
    });
  }
});
