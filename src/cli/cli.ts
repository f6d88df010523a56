import { suggest } from '../model/suggest.js';
import { COMMANDS } from './commands/index.js';
import { type CliIo, EXIT, maskedIo, UsageError } from './io.js';
import { VERSION } from './version.js';

/**
 * `shipshape <command> [args]`: global flags, then dispatch to one command. Returns the exit code
 * instead of exiting, so tests run the whole CLI in-process.
 */

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: shipshape <command> [options]',
    '',
    'Keep Kubernetes manifests production-ready.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: shipshape <command> --help)',
    '  -v, --version  print the version',
    '',
  ].join('\n');
}

export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  // Secret values never leave the process: everything a command writes is masked on the way out.
  const io = maskedIo(given);
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(usage());
    return EXIT.usage;
  }
  if (first === '-h' || first === '--help') {
    io.stdout.write(usage());
    return EXIT.ok;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    const command = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
    io.stdout.write(command ? command.usage : usage());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    const hint = suggest(
      first,
      COMMANDS.map((c) => c.name),
    );
    io.stderr.write(`shipshape: unknown command "${first}"${hint}\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr.write(
        `shipshape ${command.name}: ${(err as Error).message}\nRun "shipshape ${command.name} --help" for usage.\n`,
      );
      return EXIT.usage;
    }
    io.stderr.write(`shipshape ${command.name}: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
}

/** node:util parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
