import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CONFIG_FILE_NAMES,
  type ConfigResult,
  defaultConfig,
  loadConfig,
  parseConfig,
} from '../config/index.js';
import { ensureCommit, readFileAtCommit } from '../render/git.js';
import type { ActionSettings } from './settings.js';

/**
 * The config the Action trusts. On a pull request it is the base commit's `.shipshape.yaml` (the
 * code the repository already accepted), never the head's: a pull request may not choose its own
 * gate (`failOn: never`, rules off, a baseline of its own findings). A change to the config is
 * named in the summary and takes effect after merge. Everywhere else (pushes, schedules) the
 * checkout is the default branch, and its config is read as it is.
 *
 * Which programs run as helm and kustomize comes from the Action's inputs or PATH, never from a
 * repository file.
 */

export interface TrustedConfig extends ConfigResult {
  /** For the summary: the pull request changes the config, which applies after merge. */
  notes: string[];
  /** The commit the config and baseline were read from, on pull requests. */
  trustedCommit?: string;
}

export async function loadTrustedConfig(
  settings: ActionSettings,
  workspace: string,
  baseSha: string | undefined,
): Promise<TrustedConfig> {
  const loaded = baseSha
    ? await fromBase(settings, workspace, baseSha)
    : { ...(await loadConfig({ cwd: workspace, root: workspace, file: settings.config })), notes: [] };
  loaded.config.render.tools = {
    ...(settings.helm ? { helm: path.resolve(workspace, settings.helm) } : {}),
    ...(settings.kustomize ? { kustomize: path.resolve(workspace, settings.kustomize) } : {}),
  };
  if (settings.kubeVersion) loaded.config.render.kubeVersion = settings.kubeVersion;
  return loaded;
}

async function fromBase(
  settings: ActionSettings,
  workspace: string,
  baseSha: string,
): Promise<TrustedConfig> {
  const fetchError = await ensureCommit(workspace, baseSha);
  if (fetchError) {
    // Without the base commit nothing trusted can be read: the defaults apply, and the run says so.
    return {
      config: defaultConfig(workspace),
      errors: [{ level: 'error', message: `config: ${fetchError}; the default config applies` }],
      notes: [],
    };
  }
  const candidates = settings.config ? [settings.config] : [...CONFIG_FILE_NAMES];
  for (const file of candidates) {
    const base = await readFileAtCommit(workspace, baseSha, file);
    const head = await readFile(path.resolve(workspace, file), 'utf8').catch(() => undefined);
    if (base === undefined) {
      if (head === undefined) continue;
      return {
        config: defaultConfig(workspace),
        errors: [],
        notes: [
          `This pull request adds \`${file}\`: the config takes effect after merge; this run used the defaults, as the base branch has no config.`,
        ],
        trustedCommit: baseSha,
      };
    }
    const parsed = parseConfig(base, file, {
      dir: path.resolve(workspace, path.dirname(file)),
      root: workspace,
    });
    const notes =
      head !== base
        ? [
            `This pull request changes \`${file}\`: the change takes effect after merge; this run used the base branch's config.`,
          ]
        : [];
    return { ...parsed, notes, trustedCommit: baseSha };
  }
  const errors = settings.config
    ? [
        {
          level: 'error' as const,
          message: `config ${settings.config}: no such file at the base commit or the head`,
        },
      ]
    : [];
  return { config: defaultConfig(workspace), errors, notes: [], trustedCommit: baseSha };
}
