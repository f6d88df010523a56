import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadConfig } from '../../config/index.js';
import { resolveTargets } from '../../config/render.js';
import { runRender } from '../../jobs/render.js';
import type { Manifest } from '../../load/yaml.js';
import { formatPath } from '../../model/path.js';
import { type InputError, isRecord, type PathSegment } from '../../model/types.js';
import { type RenderResult, targetName } from '../../render/types.js';
import { verifyMapping } from '../../render/verify.js';
import { redacted, redactValue } from '../../secrets/index.js';
import { type Command, EXIT, UsageError } from '../io.js';
import { applyRenderFlags, formatError, parseShardFlag, RENDER_FLAGS, shardLine } from '../render-flags.js';

const USAGE = `Usage: shipshape render [paths...] [options]

Render what each target produces: a Helm chart (one target per values-<env>.yaml file), a
Kustomize overlay, or a folder of plain manifests. Paths may be a chart or overlay folder, or a
folder searched for them (default: the working directory).

With no path and a config whose targets: section names some, those are rendered.

Options:
  -f, --format <format>   yaml | json | sources (default: yaml). "sources" lists every field
                          with the line a human edits for it (values key, template, patch...)
      --verify            check the source map itself: every field mapped to a values line
                          (or a patch, a base) must find the rendered value on that line;
                          mismatches go to stderr and the exit status is 1
      --helm <path>       the helm binary (default: helm on PATH)
      --kustomize <path>  the kustomize binary (default: kustomize, else kubectl kustomize, on PATH)
      --timeout <secs>    time limit per helm or kustomize call (default: 60)
      --kube-version <v>  the Kubernetes version charts see (.Capabilities.KubeVersion, a chart's
                          kubeVersion:), e.g. 1.33.0 (default: helm's own, the version it was built with)
      --api-versions <l>  API versions charts see in .Capabilities.APIVersions, comma-separated
                          (monitoring.coreos.com/v1,...); may be repeated
      --shard <I/N>       render only part I of N of the targets (one job of N in a CI matrix);
                          the split is by size and the same on every machine
  -c, --config <file>     config file (default: .shipshape.yaml in the working directory, if any)
  -h, --help              show this help

Exit status: 0 when every target rendered, 2 when one did not (the others are still printed).
`;

const FORMATS = ['yaml', 'json', 'sources'] as const;

export const render: Command = {
  name: 'render',
  summary: 'print what Helm charts, Kustomize overlays and plain folders render to',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'yaml' },
        ...RENDER_FLAGS,
        verify: { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const adjust = applyRenderFlags(values, io.cwd);
    const { config, errors: configErrors } = await loadConfig({ cwd: io.cwd, file: values.config });
    adjust(config);
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    const job = await runRender({
      cwd: io.cwd,
      paths: positionals,
      configTargets: resolveTargets(config.targets, config.dir, io.cwd),
      tools: config.render.tools,
      timeoutMs: config.render.timeoutMs,
      maxMemoryBytes: config.render.maxMemoryBytes,
      concurrency: config.render.concurrency,
      discover: config.discover,
      shard: parseShardFlag(values.shard),
      ...(config.render.kubeVersion !== undefined && { kubeVersion: config.render.kubeVersion }),
      ...(config.render.apiVersions !== undefined && { apiVersions: config.render.apiVersions }),
    });
    if (job.shard) io.stderr.write(shardLine(job.shard));
    const errors: InputError[] = [...configErrors, ...job.errors, ...job.results.flatMap((r) => r.errors)];
    for (const e of errors) io.stderr.write(`${formatError(e)}\n`);

    // Secret values never leave the process: Secrets, stringData and secret-looking env values
    // print as their sizes.
    if (format === 'json') {
      const out = job.results.map((r) => ({
        target: targetName(r.target),
        kind: r.target.kind,
        tool: r.tool,
        millis: r.millis,
        objects: r.manifests.map((m) => redacted(m.object)),
        errors: r.errors,
      }));
      io.stdout.write(`${JSON.stringify({ version: 1, targets: out }, null, 2)}\n`);
    } else {
      for (const r of job.results) {
        io.stdout.write(`# target: ${targetName(r.target)}${r.tool ? ` (${r.tool}, ${r.millis} ms)` : ''}\n`);
        const texts = format === 'yaml' ? documentTexts(r) : undefined;
        for (const m of r.manifests)
          io.stdout.write(format === 'sources' ? sourcesOf(m) : yamlOf(m, texts?.get(m)));
      }
    }
    if (errors.some((e) => e.level === 'error')) return EXIT.usage;
    if (values.verify) return verifySources(job.results, io) ? EXIT.ok : EXIT.findings;
    return EXIT.ok;
  },
};

/**
 * `--verify`: the source map's self-check on every target (render/verify.ts). Mismatches are
 * printed with the rendered value (secrets redacted) and what the line holds.
 */
function verifySources(
  results: readonly RenderResult[],
  io: { cwd: string; stderr: { write(s: string): unknown } },
): boolean {
  const read = (file: string) => {
    try {
      return readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  let checked = 0;
  let mismatches = 0;
  for (const r of results) {
    const report = verifyMapping(r.manifests, read);
    checked += report.checked;
    mismatches += report.mismatches.length;
    for (const x of report.mismatches) {
      const loc = `${x.location.file}:${x.location.line}:${x.location.column}`;
      const shown = redactValue(x.manifest.object.kind, x.manifest.object, x.segments, x.rendered);
      io.stderr.write(
        `${loc}: mismatch: ${x.object} ${x.path} renders ${JSON.stringify(shown)}, but the line holds ${x.found}\n`,
      );
    }
  }
  io.stderr.write(
    `verify: ${checked} mapped fields checked, ${mismatches} mismatch${mismatches === 1 ? '' : 'es'}\n`,
  );
  return mismatches === 0;
}

/**
 * One object as YAML, under a comment naming where it is edited. The tool's own text of it when
 * there is one and nothing in it is redacted (writing YAML again costs more than rendering it).
 */
function yamlOf(m: Manifest, text: string | undefined): string {
  const at = m.locateSource?.([]) ?? m.locate([]);
  const safe = redacted(m.object);
  const body =
    text !== undefined && isDeepStrictEqual(safe, m.object) ? text : stringify(safe, { lineWidth: 0 });
  return `---\n# source: ${at.file}:${at.line}\n${body}`;
}

/**
 * Each object's own text in what the tool printed: from its first line to the next document.
 * None when a step after the render may have changed the objects (an app definition's).
 */
function documentTexts(r: RenderResult): Map<Manifest, string> | undefined {
  if (!r.rendered || r.target.app?.postRender) return undefined;
  const lines = r.rendered.split('\n');
  const out = new Map<Manifest, string>();
  for (const m of r.manifests) {
    const start = m.locate([]).line - 1;
    let end = start;
    while (end < lines.length && lines[end] !== '---') end++;
    out.set(m, `${lines.slice(start, end).join('\n').trimEnd()}\n`);
  }
  return out;
}

/** Every field of an object with the line a human edits for it: the source map, readable. */
function sourcesOf(m: Manifest): string {
  const lines = [`${m.ref.kind}/${m.ref.namespace ? `${m.ref.namespace}/` : ''}${m.ref.name}`];
  const walk = (value: unknown, at: PathSegment[]): void => {
    if (at.length > 0 && !isRecord(value) && !Array.isArray(value)) {
      const loc = m.locateSource?.(at) ?? m.locate(at);
      const add = loc.key ? `  (add ${loc.key})` : '';
      lines.push(`  ${formatPath(m.object, at)}  ->  ${loc.file}:${loc.line}:${loc.column}${add}`);
      return;
    }
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walk(value[i], [...at, i]);
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
  };
  walk(m.object, []);
  return `${lines.join('\n')}\n`;
}
