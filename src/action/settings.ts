import { FAIL_ON, type FailOn } from '../config/check.js';
import { sha256Hex } from '../model/hash.js';
import { parseShard, ShardError, type ShardSpec } from '../model/partition.js';

/**
 * The Action's inputs as one typed settings object, checked once, up front. Nothing else reads
 * inputs; a wrong value is a clear error naming the input, before any work is done.
 */

export const MODES = ['auto', 'pull-request', 'check', 'drift', 'publish'] as const;
export type Mode = (typeof MODES)[number];
export type Job = Exclude<Mode, 'auto'>;

export interface ActionSettings {
  token: string;
  mode: Mode;
  /** Roots to look for targets under, relative to the workspace. */
  paths: string[];
  /** A config file, relative to the workspace; `.shipshape.yaml` there when empty. */
  config?: string;
  failOn: FailOn;
  /** The sticky summary comment. */
  comment: boolean;
  /** Inline review comments. */
  review: boolean;
  /** Where to write SARIF, relative to the workspace; none when empty. */
  sarif?: string;
  maxInlineComments: number;
  /** The helm and kustomize programs (trusted: from the workflow, never from the repository). */
  helm?: string;
  kustomize?: string;
  /** The Kubernetes version charts see, for targets that do not set their own. */
  kubeVersion?: string;
  /** The login the token writes as, when it is a GitHub App's (`my-app[bot]`); found otherwise. */
  botLogin?: string;
  /** This job's part of the targets, when a matrix of jobs splits them (`shard: 2/4`). */
  shard?: ShardSpec;
  /**
   * `false`: compute, then leave the result in one file (for actions/upload-artifact) instead of
   * publishing it; a `mode: publish` job publishes it.
   */
  publish: boolean;
  /** mode publish: files or folders holding the result files to publish, relative to the workspace. */
  results: string[];
  drift: {
    /** The kubeconfig's content (a secret): never logged. */
    kubeconfig?: string;
    context?: string;
    /** The cluster's name: keys and titles its drift issue (else the API server's address does). */
    cluster?: string;
    failOnDrift: boolean;
    issue: boolean;
  };
}

/** Reads one input by its action.yml name; '' when unset (as @actions/core does). */
export type InputReader = (name: string) => string;

export class SettingsError extends Error {}

export const DEFAULT_MAX_INLINE_COMMENTS = 25;

export function readSettings(read: InputReader): ActionSettings {
  const problems: string[] = [];
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = read(name).trim() || fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`input ${name}: "${value}" is not one of ${allowed.join(', ')}`);
    return fallback;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const value = read(name).trim();
    if (value === '') return fallback;
    if (/^(true|yes|on)$/i.test(value)) return true;
    if (/^(false|no|off)$/i.test(value)) return false;
    problems.push(`input ${name}: "${value}" is not true or false`);
    return fallback;
  };
  const count = (name: string, fallback: number): number => {
    const value = read(name).trim();
    if (value === '') return fallback;
    if (/^\d+$/.test(value)) return Number(value);
    problems.push(`input ${name}: "${value}" is not a whole number`);
    return fallback;
  };
  const optional = (name: string): string | undefined => read(name).trim() || undefined;

  const settings: ActionSettings = {
    token: read('github-token').trim(),
    mode: oneOf('mode', MODES, 'auto'),
    paths: splitList(read('paths')),
    config: optional('config'),
    failOn: oneOf('fail-on', FAIL_ON, 'error'),
    comment: bool('comment', true),
    review: bool('review', true),
    sarif: optional('sarif'),
    maxInlineComments: count('max-inline-comments', DEFAULT_MAX_INLINE_COMMENTS),
    helm: optional('helm'),
    botLogin: optional('bot-login'),
    kustomize: optional('kustomize'),
    kubeVersion: optional('kube-version'),
    shard: undefined,
    publish: bool('publish', true),
    results: splitList(read('results')),
    drift: {
      // Not trimmed: a kubeconfig is YAML, and its content is the user's.
      kubeconfig: read('kubeconfig') || undefined,
      context: optional('context'),
      cluster: optional('cluster'),
      failOnDrift: bool('fail-on-drift', true),
      issue: bool('drift-issue', true),
    },
  };
  if (settings.paths.length === 0) settings.paths = ['.'];
  if (settings.results.length === 0) settings.results = ['shipshape-results'];
  const shard = read('shard').trim();
  if (shard) {
    try {
      settings.shard = parseShard(shard);
    } catch (err) {
      if (!(err instanceof ShardError)) throw err;
      problems.push(`input ${err.message}`);
    }
  }
  if (settings.mode === 'publish' && (settings.shard || !settings.publish))
    problems.push('mode publish publishes result files: it takes neither shard nor publish: false');
  else if (settings.shard && settings.publish && settings.shard.count > 1)
    problems.push(
      `input shard ${settings.shard.index}/${settings.shard.count} needs publish: false: a shard is part of a run, and one mode: publish job publishes the whole`,
    );
  if (settings.shard && settings.mode === 'drift') problems.push('input shard: the drift job is not split');
  if (settings.kubeVersion && !/^v?\d+\.\d+(\.\d+)?([-+][\w.-]+)?$/.test(settings.kubeVersion)) {
    problems.push(`input kube-version: "${settings.kubeVersion}" is not a Kubernetes version like 1.33.0`);
  }
  for (const p of [...settings.paths, ...settings.results, settings.config, settings.sarif]) {
    if (p && (p.startsWith('/') || p.split(/[\\/]/).includes('..'))) {
      problems.push(`path "${p}" must stay inside the workspace (relative, without "..")`);
    }
  }
  if (problems.length > 0) throw new SettingsError(problems.join('\n'));
  return settings;
}

/** Paths one per line or separated by commas; blank lines and `#` comments ignored. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/**
 * Which job `auto` means for the event that started the workflow. A schedule or a manual run is
 * drift only when drift is configured (a kubeconfig, or the Action runs inside the cluster);
 * otherwise it checks the branch, like a push.
 */
export function resolveJob(mode: Mode, eventName: string, driftConfigured: boolean): Job {
  if (mode !== 'auto') return mode;
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target':
      return 'pull-request';
    case 'schedule':
    case 'workflow_dispatch':
      return driftConfigured ? 'drift' : 'check';
    default:
      return 'check';
  }
}

/**
 * Tells this job's comments from those of another shipshape job in the same pull request
 * (say, one per team folder): `default` for the whole repository, else derived from `paths`.
 */
export function instanceKey(paths: readonly string[]): string {
  const sorted = [...paths].map((p) => p.replace(/\/+$/, '') || '.').sort();
  if (sorted.length === 1 && sorted[0] === '.') return 'default';
  return sha256Hex(sorted.join('\n'), 10);
}
