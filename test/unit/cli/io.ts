import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../../../src/cli/cli.js';
import type { CliIo } from '../../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the whole CLI in-process, in `cwd`, with a fake terminal. */
export async function cli(
  argv: string[],
  options: { cwd?: string; tty?: boolean; env?: Record<string, string>; stdin?: string; today?: Date } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdoutIsTTY: options.tty ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    readStdin: async () => options.stdin ?? '',
    today: options.today ?? new Date('2026-06-15T12:00:00Z'),
    writeFile: async (file, text) => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text, 'utf8');
    },
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
