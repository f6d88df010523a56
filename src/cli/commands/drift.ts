import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { runDriftJob } from '../../jobs/drift.js';
import { DRIFT_FORMATS, hasDrift, isDriftFormat, renderDrift } from '../../report/drift.js';
import { type Command, EXIT, UsageError, wantsColor } from '../io.js';

const USAGE = `Usage: shipshape drift [paths...] [options]

Compare what Git declares with the live cluster, read-only. Git's side is the Helm charts,
Kustomize overlays and plain manifests found under the paths (or the config's targets:):
fields changed, added or removed out of band, who changed them and when (from managedFields),
objects missing from the cluster, and images that are unpinned, latest, debug builds, or run a
digest other than the one Git pins.

Options:
  -f, --format <format>     ${DRIFT_FORMATS.join(' | ')} (default: text)
  -c, --config <file>       config file (default: .shipshape.yaml in the working directory, if any)
      --kubeconfig <file>   kubeconfig (default: $KUBECONFIG, ~/.kube/config, then the pod's service account)
      --context <name>      kubeconfig context (default: the current one)
  -n, --namespace <name>    namespace of objects that name none (default: default)
  -A, --all-namespaces      scan the images of every namespace, not only Git's
      --fail-on-drift       exit 1 when there is drift (default); --no-fail-on-drift to report only
      --server-dry-run      also let the API server normalize Git's objects (server-side apply with
                            dryRun=All: nothing is stored, but it needs patch permission)
  -o, --output <file>       write the report to a file instead of stdout
  -h, --help                show this help

Needs only get and list permissions. Manager names are the clients' own names, not people.

Exit status: 0 no drift, 1 drift (with --fail-on-drift), 2 usage, configuration or input errors,
3 the cluster could not be read (one line on stderr says why).
`;

export const EXIT_CLUSTER = 3;

export const drift: Command = {
  name: 'drift',
  summary: 'compare the live cluster with Git: who changed what, and when',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        config: { type: 'string', short: 'c' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        'fail-on-drift': { type: 'boolean', default: true },
        'server-dry-run': { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const format = values.format;
    if (!isDriftFormat(format))
      throw new UsageError(`--format must be one of ${DRIFT_FORMATS.join(', ')}, not "${format}"`);
    const { config, errors: configErrors } = await loadConfig({ cwd: io.cwd, file: values.config });
    if (positionals.length === 0 && config.targets.length === 0) {
      throw new UsageError(
        'drift needs what Git declares: paths (charts, overlays, manifests) or targets: in the config',
      );
    }
    for (const e of configErrors) io.stderr.write(`shipshape drift: ${e.message}\n`);
    const result = await runDriftJob({
      paths: positionals,
      cwd: io.cwd,
      config,
      kubeconfig: values.kubeconfig ? path.resolve(io.cwd, values.kubeconfig) : undefined,
      context: values.context,
      namespace: values.namespace,
      allNamespaces: values['all-namespaces'],
      serverSideDryRun: values['server-dry-run'],
      connectOptions: { env: io.env as NodeJS.ProcessEnv },
    });
    if (result.fatal) {
      io.stderr.write(`shipshape drift: ${result.fatal}\n`);
      return EXIT_CLUSTER;
    }
    const toFile = values.output !== undefined;
    const text = renderDrift(format, result.report, { color: !toFile && wantsColor(io) });
    if (values.output) await io.writeFile(path.resolve(io.cwd, values.output), text);
    else io.stdout.write(text);
    // Input errors (a chart that does not render, bad YAML) are in the report's errors.
    if (configErrors.length || result.inputErrors.some((e) => e.level === 'error')) return EXIT.usage;
    return values['fail-on-drift'] && hasDrift(result.report) ? EXIT.findings : EXIT.ok;
  },
};
