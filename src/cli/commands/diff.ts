import { parseArgs } from 'node:util';
import { formatDiff } from '../../diff/format.js';
import { GitError } from '../../render/git.js';
import { type Command, EXIT, UsageError } from '../io.js';
import { applyRenderFlags, formatError, parseShardFlag, RENDER_FLAGS, shardLine } from '../render-flags.js';
import { type BaseRun, runAgainstBase } from './base.js';

const USAGE = `Usage: shipshape diff --base <git-ref> [--head <git-ref>] [paths...] [options]

Render every target the change touches (Helm charts, Kustomize overlays, plain folders) at the
base and at the head, and print a per-object diff: objects keyed by kind, namespace and name;
added, removed and renamed objects on one line each. Secret values are never shown: each reads
<secret: N bytes>, and a changed one <secret: N bytes> (changed). Output that differs between
two renders of the head (random passwords, generated certificates, timestamps) is marked, not
shown as a change.

The change is the branch's own, as a pull request shows it: from the merge base of --base and
the head, so what the base branch did since the branch was made is not part of it. Each commit
is read with git archive into a temporary folder, removed afterwards; your checkout is never
touched. Without --head the working tree (new files included) is the head. This is the same
pipeline as the Action's pull-request job and shipshape check --base.

Options:
      --base <ref>        the git ref to compare against (required)
      --head <ref>        the git ref to compare (default: the working tree)
  -f, --format <format>   text | json (default: text)
      --helm <path>       the helm binary (default: helm on PATH)
      --kustomize <path>  the kustomize binary (default: kustomize, else kubectl kustomize)
      --timeout <secs>    time limit per helm or kustomize call (default: 60)
      --kube-version <v>  the Kubernetes version charts see (.Capabilities.KubeVersion), e.g. 1.33.0
      --api-versions <l>  API versions charts see (.Capabilities.APIVersions), comma-separated
      --exit-code         exit 1 when there are changes
      --shard <I/N>       only part I of N of the affected targets (one job of N in a CI matrix);
                          the split is by size and the same on every machine
  -c, --config <file>     config file, as the base commit has it (default: .shipshape.yaml, if any)
  -h, --help              show this help
`;

export const diff: Command = {
  name: 'diff',
  summary: 'show how the rendered objects change between two git refs',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        base: { type: 'string' },
        head: { type: 'string' },
        format: { type: 'string', short: 'f', default: 'text' },
        ...RENDER_FLAGS,
        'exit-code': { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (!values.base) throw new UsageError('diff needs --base <git-ref>');
    const shard = parseShardFlag(values.shard);
    const adjust = applyRenderFlags(values, io.cwd);
    if (values.format !== 'text' && values.format !== 'json') {
      throw new UsageError(`--format must be text or json, not "${values.format}"`);
    }
    let run: BaseRun;
    try {
      run = await runAgainstBase({
        cwd: io.cwd,
        base: values.base,
        head: values.head,
        paths: positionals,
        shard,
        configFile: values.config,
        adjust,
      });
    } catch (err) {
      if (err instanceof GitError) {
        io.stderr.write(`shipshape diff: ${err.message}\n`);
        return EXIT.usage;
      }
      throw err;
    }
    if (run.result.shard) io.stderr.write(shardLine(run.result.shard));
    for (const note of run.notes) io.stderr.write(`note: ${note}\n`);
    for (const e of run.errors) io.stderr.write(`${formatError(e)}\n`);
    const result = {
      base: run.base,
      head: run.head,
      mergeBase: run.result.mergeBase,
      changed: run.result.changedFiles,
      targets: run.diffs,
      errors: run.errors,
    };
    if (values.format === 'json') io.stdout.write(`${JSON.stringify({ version: 1, ...result }, null, 2)}\n`);
    else if (result.targets.length === 0)
      io.stdout.write(`No target is affected by the change from ${result.base}.\n`);
    else io.stdout.write(formatDiff(result.targets));
    const changes = result.targets.some((t) => t.objects.length > 0 || t.status !== 'ok');
    return values['exit-code'] && changes ? EXIT.findings : EXIT.ok;
  },
};
