import path from 'node:path';
import { parseArgs } from 'node:util';
import { secondsWithin } from '../../config/drift.js';
import { loadConfig } from '../../config/index.js';
import { runDriftJob } from '../../jobs/drift.js';
import { DRIFT_FORMATS, hasDrift, isComplete, isDriftFormat, renderDrift } from '../../report/drift.js';
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
      --orphans             also list live objects in Git's namespaces that no target declares
                            and no controller owns
      --request-timeout <s> give up on one request to the API server after s seconds (default 30)
      --timeout <s>         give up on the whole run against the cluster after s seconds (default 600)
  -o, --output <file>       write the report to a file instead of stdout
  -h, --help                show this help

Needs only get and list permissions. Manager names are the clients' own names, not people.

Exit status: 0 no drift and everything compared, 1 drift (with --fail-on-drift), 2 usage,
configuration or input errors (something Git declares could not be rendered or read), 3 the
cluster could not be read, in whole or in part (one line on stderr says why when nothing was
read; otherwise the report lists what was not compared).
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
        orphans: { type: 'boolean' },
        'request-timeout': { type: 'string' },
        timeout: { type: 'string' },
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
    const seconds = (
      flag: 'request-timeout' | 'timeout',
      key: 'requestTimeoutSeconds' | 'deadlineSeconds',
    ) => {
      const value = values[flag];
      if (value === undefined) return undefined;
      const n = secondsWithin(value, key);
      if (typeof n === 'string') throw new UsageError(`--${flag} ${n}`);
      return Math.round(n * 1000);
    };
    const requestTimeoutMs = seconds('request-timeout', 'requestTimeoutSeconds');
    const deadlineMs = seconds('timeout', 'deadlineSeconds');
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
      orphans: values.orphans,
      requestTimeoutMs,
      deadlineMs,
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
    // Nothing read is no result at all; then what Git could not give (input errors, in the
    // report's errors); then a partial read of the cluster. Only a complete run can exit 0.
    if (result.report.coverage?.status === 'none') {
      io.stderr.write(`shipshape drift: nothing could be read from the cluster; see the report's errors\n`);
      return EXIT_CLUSTER;
    }
    if (configErrors.length || result.inputErrors.some((e) => e.level === 'error')) return EXIT.usage;
    if (!isComplete(result.report)) return EXIT_CLUSTER;
    return values['fail-on-drift'] && hasDrift(result.report) ? EXIT.findings : EXIT.ok;
  },
};
