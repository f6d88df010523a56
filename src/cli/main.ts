import { runCli } from './cli.js';
import { processIo } from './io.js';

/** The CLI's entry (bundled into dist/cli.js): everything else is in cli.ts and commands/. */
process.exitCode = await runCli(process.argv.slice(2), processIo());
