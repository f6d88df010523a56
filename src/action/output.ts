import * as core from '@actions/core';
import { inertOutput } from '../model/text.js';
import { maskSecrets, secrets } from '../secrets/index.js';

/**
 * Secret values never leave the Action. Installed first thing in main:
 *
 * - every secret value the run collects (and each form it is masked in) is registered with the
 *   runner's own log masking (`core.setSecret`), as soon as it is seen;
 * - everything the process writes to stdout and stderr (every `core` log function, workflow
 *   annotations, `setFailed`) is masked on the way out: one wrapper for all the log functions;
 * - in the same wrapper, text from the pull request cannot act as a workflow command: only a chunk
 *   that is one command line (what `@actions/core` writes) reaches the runner as one; every other
 *   line that starts like a command is made inert (model/text.ts `inertOutput`);
 * - the job summary is masked as it is added (drift's and the pull request's alike).
 *
 * Files the Action writes itself (JSON and SARIF reports) go through maskSecrets where they are
 * written, and GitHub request bodies in the one GitHub client (github/client.ts).
 */

/** The runner's command that registers a mask: it must reach the runner as it is. */
const ADD_MASK = '::add-mask::';

let installed = false;

export function installSecretMasking(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(
        typeof chunk === 'string' && !chunk.startsWith(ADD_MASK) ? inertOutput(maskSecrets(chunk)) : chunk,
        ...rest,
      )) as typeof stream.write;
  }
  const addRaw = core.summary.addRaw.bind(core.summary);
  core.summary.addRaw = (text: string, addEOL?: boolean) => addRaw(maskSecrets(text), addEOL);
  secrets.onAdd((text) => core.setSecret(text));
}
