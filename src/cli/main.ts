import v8 from 'node:v8';
import { stopLauncher } from '../render/launcher.js';
import { runCli } from './cli.js';
import { processIo } from './io.js';

/** The CLI's entry (bundled into dist/cli.js): everything else is in cli.ts and commands/. */

// A large check allocates fast and briefly (parse events, report lines); left alone, V8 answers by
// doubling its young generation up to 64 MiB semi-spaces, which costs memory and, since the rules no
// longer keep their violations, time too: a Deployment of 10,000 containers took 1.55 s instead of
// 1.15 s. Measured on 50,000 objects: peak memory 650 -> 520 MiB (docs/benchmarks.md).
v8.setFlagsFromString('--semi-space-growth-factor=1');
// (`--heap-growing-percent=30` held the old generation down while the rules kept every violation
// until the end; they are now located as they are raised, and without it 20,000 Deployments in one
// file take 3.6 s instead of 5.2 s at 364 MiB, 50,000 objects 345 MiB: docs/benchmarks.md.)

// `shipshape check . | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
await stopLauncher();
