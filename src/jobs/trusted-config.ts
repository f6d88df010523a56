import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAMES, type ConfigResult, defaultConfig, parseConfig } from '../config/index.js';
import { relativeName } from '../load/files.js';
import { ensureCommit, readFileAtCommit, repoRoot } from '../render/git.js';

/**
 * The config a change is checked with: the base commit's `.shipshape.yaml` (the code the
 * repository already accepted), never the head's, so that a pull request cannot choose its own
 * gate (`failOn: never`, rules off, a baseline of its own findings). A change to the config is
 * named in a note and takes effect after merge. The Action's pull-request job reads it so
 * (action/config.ts), and so do `shipshape check --base` and `diff --base`, whose preview must
 * say what the Action will.
 */

export interface TrustedConfig extends ConfigResult {
  /** For the summary: the change adds or changes the config, which applies after merge. */
  notes: string[];
  /** The commit the config and baseline were read from. */
  trustedCommit?: string;
}

/**
 * The config as the base commit has it, looked up like `loadConfig` looks in `cwd` (the named
 * `file`, else the usual names). Without the base commit nothing trusted can be read: the
 * defaults apply, with an error that says so.
 */
export async function configAtBase(cwd: string, baseSha: string, file?: string): Promise<TrustedConfig> {
  const fetchError = await ensureCommit(cwd, baseSha);
  if (fetchError) {
    return {
      config: defaultConfig(cwd),
      errors: [{ level: 'error', message: `config: ${fetchError}; the default config applies` }],
      notes: [],
    };
  }
  const root = await repoRoot(cwd).catch(() => cwd);
  for (const candidate of file ? [file] : CONFIG_FILE_NAMES) {
    const abs = path.resolve(cwd, candidate);
    const name = relativeName(cwd, abs);
    const atBase = await readFileAtCommit(cwd, baseSha, path.relative(root, abs));
    const atHead = await readFile(abs, 'utf8').catch(() => undefined);
    if (atBase === undefined) {
      if (atHead === undefined) continue;
      return {
        config: defaultConfig(cwd),
        errors: [],
        notes: [
          `This pull request adds \`${name}\`: the config takes effect after merge; this run used the defaults, as the base branch has no config.`,
        ],
        trustedCommit: baseSha,
      };
    }
    const parsed = parseConfig(atBase, name, { dir: path.dirname(abs), root });
    const notes =
      atHead !== atBase
        ? [
            `This pull request changes \`${name}\`: the change takes effect after merge; this run used the base branch's config.`,
          ]
        : [];
    return { ...parsed, notes, trustedCommit: baseSha };
  }
  const errors = file
    ? [{ level: 'error' as const, message: `config ${file}: no such file at the base commit or the head` }]
    : [];
  return { config: defaultConfig(cwd), errors, notes: [], trustedCommit: baseSha };
}
