import path from 'node:path';
import type { Config } from '../config/index.js';
import type { ShardInfo } from '../jobs/shard.js';
import { formatShard, parseShard, ShardError, type ShardSpec } from '../model/partition.js';
import type { InputError } from '../model/types.js';
import { UsageError } from './io.js';

/**
 * The flags every command that renders takes (`render`, `check`, `diff`), read in one place: the
 * programs (from the command line or PATH, never from the config file), the time limit, what
 * charts see as `.Capabilities`, and this job's shard.
 */
export const RENDER_FLAGS = {
  helm: { type: 'string' },
  kustomize: { type: 'string' },
  timeout: { type: 'string' },
  'kube-version': { type: 'string' },
  'api-versions': { type: 'string', multiple: true },
  shard: { type: 'string' },
} as const;

export interface RenderFlagValues {
  helm?: string;
  kustomize?: string;
  timeout?: string;
  'kube-version'?: string;
  'api-versions'?: string[];
  shard?: string;
}

/** The render flags applied to a loaded config; usage errors are raised when this is made. */
export function applyRenderFlags(values: RenderFlagValues, cwd: string): (config: Config) => void {
  const timeoutMs = parseTimeout(values.timeout);
  const capabilities = parseCapabilities(values);
  return (config) => {
    if (values.helm) config.render.tools.helm = path.resolve(cwd, values.helm);
    if (values.kustomize) config.render.tools.kustomize = path.resolve(cwd, values.kustomize);
    if (timeoutMs !== undefined) config.render.timeoutMs = timeoutMs;
    Object.assign(config.render, capabilities);
  };
}

/**
 * `--kube-version` and `--api-versions`: what charts see as `.Capabilities`, for targets that do
 * not set their own. A version is `1.33`, `1.33.0` or `v1.33.0`.
 */
export function parseCapabilities(values: { 'kube-version'?: string; 'api-versions'?: string[] }): {
  kubeVersion?: string;
  apiVersions?: string[];
} {
  const out: { kubeVersion?: string; apiVersions?: string[] } = {};
  const v = values['kube-version'];
  if (v !== undefined) {
    if (!/^v?\d+\.\d+(\.\d+)?([-+][\w.-]+)?$/.test(v))
      throw new UsageError(`--kube-version must be a Kubernetes version like 1.33.0, not "${v}"`);
    out.kubeVersion = v;
  }
  const apis = (values['api-versions'] ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const api of apis) {
    if (!/^[\w.-]+(\/[\w.-]+)*$/.test(api))
      throw new UsageError(
        `--api-versions takes group/version names like monitoring.coreos.com/v1, not "${api}"`,
      );
  }
  if (apis.length > 0) out.apiVersions = apis;
  return out;
}

/** The longest a render may take, as for the config's `render.timeoutSeconds`. */
const MAX_TIMEOUT_SECONDS = 3600;

export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const secs = Number(value);
  if (!Number.isFinite(secs) || secs <= 0 || secs > MAX_TIMEOUT_SECONDS)
    throw new UsageError(
      `--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, not "${value}"`,
    );
  return Math.round(secs * 1000);
}

/** `--shard I/N`: this job's part of the targets when N jobs split them (model/partition.ts). */
export function parseShardFlag(value: string | undefined): ShardSpec | undefined {
  if (value === undefined) return undefined;
  try {
    return parseShard(value);
  } catch (err) {
    if (err instanceof ShardError) throw new UsageError(`--${err.message}`);
    throw err;
  }
}

/** One stderr line saying what a shard took, so each job's log tells its part. */
export function shardLine(info: ShardInfo): string {
  const n = info.targets.length;
  return `shipshape: shard ${formatShard(info.spec)}: ${n} of ${info.total} target${info.total === 1 ? '' : 's'}\n`;
}

export function formatError(e: InputError): string {
  const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
  return `${where}${e.level}: ${e.message}`;
}
