import path from 'node:path';
import { loadConfig } from '../config/index.js';
import { configAtBase, type TrustedConfig } from '../jobs/trusted-config.js';
import type { ActionSettings } from './settings.js';

export type { TrustedConfig };

/**
 * The config the Action trusts. On a pull request it is the base commit's `.shipshape.yaml`, never
 * the head's (jobs/trusted-config.ts). Everywhere else (pushes, schedules) the checkout is the
 * default branch, and its config is read as it is.
 *
 * Which programs run as helm and kustomize comes from the Action's inputs or PATH, never from a
 * repository file.
 */

export async function loadTrustedConfig(
  settings: ActionSettings,
  workspace: string,
  baseSha: string | undefined,
): Promise<TrustedConfig> {
  const loaded = baseSha
    ? await configAtBase(workspace, baseSha, settings.config)
    : { ...(await loadConfig({ cwd: workspace, root: workspace, file: settings.config })), notes: [] };
  loaded.config.render.tools = {
    ...(settings.helm ? { helm: path.resolve(workspace, settings.helm) } : {}),
    ...(settings.kustomize ? { kustomize: path.resolve(workspace, settings.kustomize) } : {}),
  };
  if (settings.kubeVersion) loaded.config.render.kubeVersion = settings.kubeVersion;
  return loaded;
}
