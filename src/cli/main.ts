import { youngGenerationAtFirstSize } from '../heap.js';
import { stopLauncher } from '../render/launcher.js';
import { runCli } from './cli.js';
import { processIo } from './io.js';

/** The CLI's entry (bundled into dist/cli.js): everything else is in cli.ts and commands/. */

youngGenerationAtFirstSize();

// `shipshape check . | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
await stopLauncher();
