import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { maskSecrets } from '../secrets/index.js';

/**
 * What a command may touch of the outside world, so tests run the CLI in-process with a fake
 * terminal, environment and clock.
 */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Whether stdout is a terminal (colour is used only then, and never with NO_COLOR). */
  stdoutIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Read all of stdin (for `-`). */
  readStdin?: () => Promise<string>;
  /** "Today", for suppression expiry. */
  today?: Date;
  /** Write a report or baseline, creating its folder if needed. */
  writeFile(file: string, text: string): Promise<void>;
}

export interface Command {
  name: string;
  /** One line for `shipshape --help`. */
  summary: string;
  /** The full help text for `shipshape <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A mistake in how the command was called: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {}

export function processIo(): CliIo {
  return {
    stdout: { write: (text: string) => writeInSlices(process.stdout, text) },
    stderr: process.stderr,
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    writeFile: async (file, text) => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text, 'utf8');
    },
  };
}

/**
 * The same terminal and files with every secret the run has seen masked in everything written:
 * reports in every format, rendered objects and diffs, error text. runCli hands commands this.
 */
export function maskedIo(io: CliIo): CliIo {
  return {
    ...io,
    stdout: { write: (text: string) => io.stdout.write(maskSecrets(text)) },
    stderr: { write: (text: string) => io.stderr.write(maskSecrets(text)) },
    writeFile: (file, text) => io.writeFile(file, maskSecrets(text)),
  };
}

/**
 * A report can be tens of megabytes: handing it to a pipe in one call copies all of it into one
 * more buffer. Slices written as the reader drains them keep that copy small.
 */
const SLICE = 1 << 20;
/** The last write: each waits for the one before (only the last is kept, not one per piece). */
let lastWrite: Promise<void> = Promise.resolve();

export function writeInSlices(stream: NodeJS.WriteStream, text: string): Promise<void> {
  const done = lastWrite.then(async () => {
    for (let i = 0; i < text.length; i += SLICE) {
      if (!stream.write(encoded(text.slice(i, i + SLICE)))) {
        await new Promise<void>((resolve) => stream.once('drain', resolve));
      }
      // The stream kept the bytes (it writes later: a full pipe, a terminal elsewhere): the next
      // slice gets a buffer of its own.
      if (stream.writableLength > 0) scratch = undefined;
    }
  });
  lastWrite = done;
  return done;
}

/**
 * The UTF-8 bytes of a slice, in a buffer reused while the stream writes each slice at once (a
 * file or a pipe on Linux). Node gives every string written a fresh buffer of its own, and
 * touching that new memory was 40 ms of a 20 MB report.
 */
let scratch: Buffer | undefined;

function encoded(text: string): Buffer {
  const most = text.length * 3;
  if (!scratch || scratch.length < most) scratch = Buffer.allocUnsafe(Math.max(most, SLICE));
  const bytes = scratch.write(text, 0, 'utf8');
  return scratch.subarray(0, bytes);
}

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
export function wantsColor(io: CliIo): boolean {
  return io.stdoutIsTTY && !io.env.NO_COLOR;
}
