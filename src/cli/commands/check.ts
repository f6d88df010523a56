import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAIL_ON, type FailOn } from '../../config/check.js';
import { loadConfig } from '../../config/index.js';
import { hasInputErrors, reachesThreshold, runCheck } from '../../jobs/check.js';
import { isReportFormat, REPORT_FORMATS, renderReport, reportChunks } from '../../report/index.js';
import { severityCounts, summarize } from '../../report/summary.js';
import { formatBaseline } from '../../rules/baseline.js';
import { type Command, EXIT, UsageError, wantsColor } from '../io.js';
import { applyRenderFlags, parseShardFlag, RENDER_FLAGS, shardLine } from '../render-flags.js';
import { VERSION } from '../version.js';
import { checkAgainstBase } from './check-base.js';

const USAGE = `Usage: shipshape check <paths...> [options]
       shipshape check --base <git-ref> [--head <git-ref>] [paths...] [options]

Check Kubernetes manifests (files, folders searched for *.yaml and *.yml, or - for stdin)
against the production-readiness checklist. Helm charts and Kustomize overlays among the paths
are rendered first; with no path, the config's targets: are.

Options:
  -f, --format <format>        ${REPORT_FORMATS.join(' | ')} (default: text)
  -c, --config <file>          config file (default: .shipshape.yaml in the working directory, if any)
      --fail-on <severity>     ${FAIL_ON.join(' | ')}: lowest severity that fails the run
                               (default: the config's failOn, else error)
  -o, --output <file>          write the report to a file instead of stdout
      --baseline <file>        report only findings that are not in this baseline
      --write-baseline <file>  write every current finding to a baseline file
      --helm <path>            the helm binary (default: helm on PATH)
      --kustomize <path>       the kustomize binary (default: kustomize, else kubectl kustomize)
      --timeout <secs>         time limit per helm or kustomize call (default: 60)
      --kube-version <v>       the Kubernetes version charts see (.Capabilities.KubeVersion),
                               e.g. 1.33.0 (default: helm's own)
      --api-versions <list>    API versions charts see (.Capabilities.APIVersions), comma-separated
      --base <ref>             preview the pull request: check only what the change from the merge
                               base of <ref> and the head makes new, and show the rendered diff
                               (the Action's own pipeline; -f markdown prints its summary comment)
      --head <ref>             with --base: the head to compare (default: the working tree)
      --shard <I/N>            check only part I of N of the targets (one job of N in a CI matrix);
                               the split is by size and the same on every machine
  -h, --help                   show this help

Exit status: 0 when no finding reaches the --fail-on severity, 1 when one does,
2 for usage, configuration or input errors (the report still covers everything readable).
`;

export const check: Command = {
  name: 'check',
  summary: 'check manifests against the readiness checklist',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        config: { type: 'string', short: 'c' },
        'fail-on': { type: 'string' },
        output: { type: 'string', short: 'o' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        ...RENDER_FLAGS,
        base: { type: 'string' },
        head: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const format = values.format;
    if (!isReportFormat(format))
      throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${format}"`);
    const failOnFlag = values['fail-on'];
    if (failOnFlag !== undefined && !(FAIL_ON as readonly string[]).includes(failOnFlag)) {
      throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not "${failOnFlag}"`);
    }
    const adjust = applyRenderFlags(values, io.cwd);
    if (values.head !== undefined && values.base === undefined)
      throw new UsageError('--head needs --base <git-ref>');
    if (values.base !== undefined) {
      // A preview of the pull request: only what the change makes new (check-base.ts), with the
      // config as the base has it, as the Action reads it.
      if (positionals.includes('-'))
        throw new UsageError('--base compares git refs: it cannot read stdin (-)');
      for (const flag of ['baseline', 'write-baseline'] as const)
        if (values[flag] !== undefined) throw new UsageError(`--${flag} does not go with --base`);
      return checkAgainstBase(
        {
          base: values.base,
          head: values.head,
          paths: positionals,
          format,
          failOn: failOnFlag as FailOn | undefined,
          output: values.output,
          color: values.output === undefined && wantsColor(io),
          configFile: values.config,
          adjust,
          shard: parseShardFlag(values.shard),
        },
        io,
      );
    }
    const { config, errors: configErrors } = await loadConfig({ cwd: io.cwd, file: values.config });
    adjust(config);
    // With no path, the config's `targets:` (charts, overlays, folders) are what is checked.
    if (positionals.length === 0 && config.targets.length === 0)
      throw new UsageError(
        'check needs at least one file or folder (or - for stdin), or targets: in the config',
      );
    const shard = parseShardFlag(values.shard);
    if (shard && positionals.includes('-')) throw new UsageError('--shard cannot split stdin (-)');
    const writeBaseline = values['write-baseline'];
    if (shard && writeBaseline)
      throw new UsageError('--write-baseline needs every finding: run it without --shard');
    const result = await runCheck({
      paths: positionals,
      cwd: io.cwd,
      config,
      configErrors,
      // A new baseline records every current finding, so an old one is only applied when asked for.
      baseline: writeBaseline && !values.baseline ? false : values.baseline,
      today: io.today,
      stdin: io.readStdin,
      shard,
    });
    if (result.shard) io.stderr.write(shardLine(result.shard));

    if (writeBaseline) {
      const all = [...result.findings, ...result.baselined];
      await io.writeFile(path.resolve(io.cwd, writeBaseline), formatBaseline(all));
      io.stderr.write(
        `shipshape: wrote ${all.length} finding${all.length === 1 ? '' : 's'} to ${writeBaseline}\n`,
      );
    }

    const toFile = values.output !== undefined;
    const reportOptions = { version: VERSION, color: !toFile && wantsColor(io) };
    if (values.output) {
      await io.writeFile(path.resolve(io.cwd, values.output), renderReport(format, result, reportOptions));
      // The report went to a file: still tell the person (or the CI log) how it went.
      const s = summarize(result);
      const errors = s.errors ? `, ${s.errors} input error${s.errors === 1 ? '' : 's'}` : '';
      io.stderr.write(
        `shipshape: ${s.findings} finding${s.findings === 1 ? '' : 's'} (${severityCounts(s)})${errors}; report in ${values.output}\n`,
      );
    } else {
      for (const piece of reportChunks(format, result, reportOptions)) await io.stdout.write(piece);
    }

    const failOn = (failOnFlag ?? config.failOn ?? 'error') as FailOn;
    if (hasInputErrors(result)) return EXIT.usage;
    return reachesThreshold(result.findings, failOn) ? EXIT.findings : EXIT.ok;
  },
};
