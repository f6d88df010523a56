import * as core from '@actions/core';
import { youngGenerationAtFirstSize } from '../heap.js';
import { reachesThreshold } from '../jobs/check.js';
import { ResultError } from '../result/schema.js';
import { readContext } from './context.js';
import { installSecretMasking } from './output.js';
import { runReadiness } from './readiness.js';
import { computeOnly, runPublishResults } from './results.js';
import { readSettings, resolveJob, SettingsError } from './settings.js';

/**
 * The Action's entry: inputs -> settings -> one job. It only orchestrates; each job publishes its
 * own results, and the exit status says whether the job found what `fail-on` fails on.
 */
async function main(): Promise<void> {
  youngGenerationAtFirstSize();
  // Every secret value the run sees is registered with the runner and masked in all output.
  installSecretMasking();
  const settings = readSettings((name) => core.getInput(name));
  // The workflow token and every secret passed in are the runner's to mask already.
  const ctx = readContext();
  const driftConfigured = Boolean(settings.drift.kubeconfig) || Boolean(process.env.KUBERNETES_SERVICE_HOST);
  const job = resolveJob(settings.mode, ctx.eventName, driftConfigured);
  core.info(`shipshape: ${job} (event ${ctx.eventName || 'unknown'}, mode ${settings.mode})`);
  if (job === 'drift') {
    // Loaded lazily: the cluster client is most of the bundle, and pull requests never need it.
    const { runDrift } = await import('./drift.js');
    await runDrift(settings, ctx);
    return;
  }
  // A job of a split (or a fork's run) computes; one `mode: publish` job publishes for all.
  const result =
    job === 'publish'
      ? await runPublishResults(settings, ctx)
      : settings.publish
        ? await runReadiness(job, settings, ctx)
        : await computeOnly(job, settings, ctx);
  if (result?.failed) {
    const pr = result.run.mode === 'pull-request';
    const reaching = result.counted.filter((f) => reachesThreshold([f], settings.failOn)).length;
    const errors = result.run.errors.filter((e) => e.level === 'error').length;
    const parts = [
      reaching ? `${reaching} ${pr ? 'new ' : ''}findings at or above "${settings.failOn}"` : '',
      errors ? `${errors} targets or files could not be checked` : '',
    ].filter(Boolean);
    core.setFailed(`shipshape: ${parts.join('; ')}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof SettingsError) core.setFailed(err.message);
  else if (err instanceof ResultError) core.setFailed(`shipshape: ${err.message}`);
  else core.setFailed(`shipshape failed: ${(err as Error).stack ?? String(err)}`);
});
