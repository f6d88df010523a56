import v8 from 'node:v8';
import { stopLauncher } from '../render/launcher.js';
import { runCli } from './cli.js';
import { processIo } from './io.js';

/** The CLI's entry (bundled into dist/cli.js): everything else is in cli.ts and commands/. */

// A large check allocates fast and briefly (parse events, report lines); left alone, V8 answers by
// doubling its young generation up to 64 MiB semi-spaces, which costs memory and buys no speed here.
// Measured on 50,000 objects: peak memory 650 -> 520 MiB, time unchanged (docs/benchmarks.md).
v8.setFlagsFromString('--semi-space-growth-factor=1');
// The rules phase promotes much short-lived garbage (violations live until located); after a full
// collection V8 lets the old generation grow up to about 3x before the next, so 20,000 Deployments
// in one file reached 495 MiB of heap on about 300 of live data. Growing it by 30 % at a time costs
// a few more full collections (CPU +5-10 %) and holds that file's peak to about 475 MiB and 50,000
// objects to about 365 (docs/benchmarks.md).
v8.setFlagsFromString('--heap-growing-percent=30');

// `shipshape check . | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
await stopLauncher();
