import type { InputError } from '../model/types.js';
import { discoverTargets } from '../render/discover.js';
import { renderTargets } from '../render/index.js';
import type { RenderResult, Target, ToolPaths } from '../render/types.js';

/**
 * Render what the user points at: the targets discovered under `paths`, or the config's
 * `targets:` when no path is given. Every target renders (concurrently); failures are values.
 */
export interface RenderJobInput {
  cwd: string;
  paths: readonly string[];
  /** Targets from the config file, used when `paths` is empty. */
  configTargets?: readonly Target[];
  tools?: ToolPaths;
  concurrency?: number;
  timeoutMs?: number;
}

export interface RenderJobResult {
  targets: Target[];
  results: RenderResult[];
  /** Discovery problems (a path that does not exist). Render errors sit in each result. */
  errors: InputError[];
}

export async function runRender(input: RenderJobInput): Promise<RenderJobResult> {
  const discovered =
    input.paths.length > 0 || !input.configTargets?.length
      ? await discoverTargets(input.paths.length > 0 ? input.paths : ['.'], { cwd: input.cwd })
      : { targets: [...input.configTargets], errors: [] };
  const results = await renderTargets(discovered.targets, {
    cwd: input.cwd,
    tools: input.tools,
    concurrency: input.concurrency,
    timeoutMs: input.timeoutMs,
  });
  return { targets: discovered.targets, results, errors: discovered.errors };
}
