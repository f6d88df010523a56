import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { createGitHub, GitHubSession, type Log } from '../github/client.js';
import { clusterIdentity, syncDriftIssue } from '../github/drift-issue.js';
import { runDriftJob } from '../jobs/drift.js';
import {
  driftHeadline,
  hasDrift,
  isComplete,
  renderDriftJson,
  renderDriftMarkdown,
} from '../report/drift.js';
import { maskSecrets } from '../secrets/index.js';
import { loadTrustedConfig } from './config.js';
import type { RunContext } from './context.js';
import { actionLog } from './log.js';
import type { ActionSettings } from './settings.js';

/**
 * The drift mode as the Action runs it: the kubeconfig secret goes to a private temporary file
 * (mode 0600, removed at the end, never logged), the drift job reads the cluster, and the result
 * goes to the job summary, a JSON file, the outputs and, when asked, the cluster's drift issue.
 * A run that cannot vouch for the whole cluster fails with drift `unknown` and closes nothing.
 */

const log: Log = actionLog;

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
    // What Git could not give is an error of this run, not a warning: its objects were not compared.
    for (const e of result.inputErrors) {
      const text = e.location ? `${e.location.file}:${e.location.line}: ${e.message}` : e.message;
      if (e.level === 'error') core.error(text);
      else core.warning(text);
    }
    const { report } = result;
    const cluster = clusterIdentity({
      cluster: settings.drift.cluster,
      context: result.context ?? settings.drift.context,
      server: result.server,
      caFingerprint: result.caFingerprint,
    });
    report.cluster = cluster.name;

    // Never turn an unknown into a clean: a render or input error, a kind that could not be read,
    // or a cluster that could not be read at all leaves the verdict open.
    const gitErrors = configErrors.length > 0 || result.inputErrors.some((e) => e.level === 'error');
    const complete = !result.fatal && !gitErrors && isComplete(report);
    const verdict = hasDrift(report) ? 'drift' : complete ? 'clean' : 'unknown';
    const problems = complete
      ? []
      : [...configErrors.map((e) => e.message), ...report.errors.map((e) => e.message)];
    const headline = result.fatal
      ? `Not compared in ${cluster.name}: ${result.fatal}`
      : verdict === 'unknown' && isComplete(report)
        ? `Not trusted in ${cluster.name}: the config has errors (below), so no drift found is not a clean result`
        : driftHeadline(report);
    actionLog.info(headline);

    const dir = path.join(ctx.tempDir, 'shipshape');
    await mkdir(dir, { recursive: true });
    const json = path.join(dir, 'drift.json');
    await writeFile(json, maskSecrets(renderDriftJson(report)));
    core.setOutput('report-json', json);
    core.setOutput('report-sarif', '');
    core.setOutput('errors', String(report.drift.length + report.missing.length));
    core.setOutput('warnings', String(report.images.length));
    core.setOutput('notices', String(report.errors.length));
    core.setOutput('rendered-changed', 'false');
    core.setOutput('drift', verdict === 'drift' ? 'true' : verdict === 'clean' ? 'false' : 'unknown');

    let summary = renderDriftMarkdown(report, { title: `Drift: ${cluster.name}`, headline });
    if (configErrors.length)
      summary += `\n### Config\n\n${configErrors.map((e) => `- ${e.message}`).join('\n')}\n`;
    if (settings.drift.issue && settings.token) {
      const session = new GitHubSession(
        createGitHub({ token: settings.token, baseUrl: ctx.apiUrl, log }),
        ctx.repo,
        log,
      );
      const outcome = await syncDriftIssue(session, report, {
        cluster,
        ...(result.context ? { legacyName: settings.drift.context ?? result.context } : {}),
        ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
        problems,
      });
      core.info(`Drift issue: ${outcome.action}${outcome.number ? ` (#${outcome.number})` : ''}`);
      const refused = session.failures.find((f) => f.status === 403 || f.status === 404);
      if (outcome.action === 'failed' && refused) {
        const note =
          `The drift issue could not be written: GitHub answered ${refused.status} to "${refused.label}" ` +
          `(${refused.message}). The job's token needs the \`issues: write\` permission ` +
          '(`permissions: { issues: write }` in the workflow), and the repository must have issues enabled.';
        core.warning(note.replaceAll('`', ''));
        summary += `\n> [!WARNING]\n> ${note}\n`;
      }
    }
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summary).write();

    if (verdict === 'unknown') {
      core.setFailed(`shipshape: ${headline}`);
      return { failed: true };
    }
    const failed = settings.drift.failOnDrift && verdict === 'drift';
    if (failed) core.setFailed(`shipshape: ${headline}`);
    return { failed };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
