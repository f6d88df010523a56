import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { createGitHub, GitHubSession, type Log } from '../github/client.js';
import { syncDriftIssue } from '../github/drift-issue.js';
import { runDriftJob } from '../jobs/drift.js';
import { driftHeadline, hasDrift, renderDriftJson, renderDriftMarkdown } from '../report/drift.js';
import { loadTrustedConfig } from './config.js';
import type { RunContext } from './context.js';
import type { ActionSettings } from './settings.js';

/**
 * The drift mode as the Action runs it: the kubeconfig secret goes to a private temporary file
 * (mode 0600, removed at the end, never logged), the drift job reads the cluster, and the result
 * goes to the job summary, a JSON file, the outputs and, when asked, the cluster's drift issue.
 */

const log: Log = { info: (m) => core.info(m), warning: (m) => core.warning(m), debug: (m) => core.debug(m) };

export async function runDrift(settings: ActionSettings, ctx: RunContext): Promise<{ failed: boolean }> {
  // The checkout is the default branch: its config, with the programs from the inputs.
  const { config, errors: configErrors } = await loadTrustedConfig(settings, ctx.workspace, undefined);
  for (const e of configErrors) core.warning(e.message);
  const tmp = await mkdtemp(path.join(ctx.tempDir, 'shipshape-kube-'));
  try {
    let kubeconfig: string | undefined;
    if (settings.drift.kubeconfig) {
      kubeconfig = path.join(tmp, 'kubeconfig');
      await writeFile(kubeconfig, settings.drift.kubeconfig, { mode: 0o600 });
    }
    // The config's `targets:` say what Git deploys and where; the input's default `.` must not
    // render the whole workspace on top of them.
    const defaultPaths = settings.paths.length === 1 && settings.paths[0] === '.';
    const result = await runDriftJob({
      paths: defaultPaths && config.targets.length > 0 ? [] : settings.paths,
      cwd: ctx.workspace,
      config,
      ...(kubeconfig ? { kubeconfig } : {}),
      ...(settings.drift.context ? { context: settings.drift.context } : {}),
    });
    for (const e of result.inputErrors)
      core.warning(e.location ? `${e.location.file}:${e.location.line}: ${e.message}` : e.message);
    if (result.fatal) {
      core.setOutput('drift', 'unknown');
      core.setFailed(`shipshape drift: ${result.fatal}`);
      return { failed: true };
    }
    const { report } = result;
    const cluster = settings.drift.context ?? result.context ?? result.server ?? 'cluster';
    core.info(driftHeadline(report));
    if (process.env.GITHUB_STEP_SUMMARY) {
      await core.summary.addRaw(renderDriftMarkdown(report, { title: `Drift: ${cluster}` })).write();
    }
    const dir = path.join(ctx.tempDir, 'shipshape');
    await mkdir(dir, { recursive: true });
    const json = path.join(dir, 'drift.json');
    await writeFile(json, renderDriftJson(report));
    core.setOutput('report-json', json);
    core.setOutput('report-sarif', '');
    core.setOutput('errors', String(report.drift.length + report.missing.length));
    core.setOutput('warnings', String(report.images.length));
    core.setOutput('notices', String(report.errors.length));
    core.setOutput('rendered-changed', 'false');
    core.setOutput('drift', String(hasDrift(report)));

    if (settings.drift.issue && settings.token) {
      const session = new GitHubSession(
        createGitHub({ token: settings.token, baseUrl: ctx.apiUrl, log }),
        ctx.repo,
        log,
      );
      const outcome = await syncDriftIssue(session, report, {
        cluster,
        ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
      });
      core.info(`Drift issue: ${outcome.action}${outcome.number ? ` (#${outcome.number})` : ''}`);
    }
    const failed = settings.drift.failOnDrift && hasDrift(report);
    if (failed) core.setFailed(`shipshape: ${driftHeadline(report)}`);
    return { failed };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
