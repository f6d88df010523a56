import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Manifest } from '../load/yaml.js';
import { pushAll } from '../model/collections.js';
import { type InputError, isRecord, type KubeObject } from '../model/types.js';
import type { Containment } from './contain.js';
import { run } from './exec.js';
import { readText, readTree } from './files.js';
import { mapHelmOutput } from './helm-map.js';
import { yamlLocator } from './yaml-locate.js';

/**
 * `helmCharts:` in a kustomization. Kustomize inflates each chart with `helm template` when built
 * with `--enable-helm`; shipshape lets it, with the same helm it renders charts with (never a
 * program a repository names), only for charts under `helmGlobals.chartHome` inside the
 * repository (a `repo:` is refused before anything runs: there is no network). To point findings
 * at the `valuesInline` and `valuesFile` lines, each chart is also rendered here with the same
 * values, and the objects kustomize produced are matched with those helm printed.
 */

export interface HelmChartEntry {
  /** The kustomization that lists it, its index in `helmCharts`, and that file's display path. */
  kustomization: string;
  index: number;
  /** The chart folder (`<chartHome>/<name>`), absolute. */
  chartAbs: string;
  name: string;
  releaseName?: string;
  namespace?: string;
  /** Values files in the order helm gets them (absolute), and whether `valuesInline` sits among them. */
  valuesFiles: string[];
  inline?: { values: Record<string, unknown>; position: number };
  kubeVersion?: string;
  apiVersions: string[];
  includeCRDs: boolean;
  skipTests: boolean;
  skipHooks: boolean;
}

/** Where kustomize looks for charts when `helmGlobals.chartHome` is not set. */
const DEFAULT_CHART_HOME = 'charts';

/** The `helmCharts:` entries of every kustomization in the tree (kustomize.ts's KustomizationInfo). */
export async function helmChartsOf(tree: readonly { file: string }[]): Promise<HelmChartEntry[]> {
  const out: HelmChartEntry[] = [];
  for (const k of tree) {
    const text = await readFile(k.file, 'utf8').catch(() => '');
    if (!/^helmCharts:/m.test(text)) continue;
    const doc = yamlLocator(text, k.file).toJS();
    if (!isRecord(doc) || !Array.isArray(doc.helmCharts)) continue;
    const dir = path.dirname(k.file);
    const globals = isRecord(doc.helmGlobals) ? doc.helmGlobals : {};
    const home = path.resolve(
      dir,
      typeof globals.chartHome === 'string' ? globals.chartHome : DEFAULT_CHART_HOME,
    );
    doc.helmCharts.forEach((c, index) => {
      if (!isRecord(c) || typeof c.name !== 'string' || typeof c.repo === 'string') return;
      const chartAbs = path.join(home, c.name);
      const valuesFile = path.resolve(
        dir,
        typeof c.valuesFile === 'string' ? c.valuesFile : path.join(chartAbs, 'values.yaml'),
      );
      const additional = Array.isArray(c.additionalValuesFiles)
        ? c.additionalValuesFiles
            .filter((f): f is string => typeof f === 'string')
            .map((f) => path.resolve(dir, f))
        : [];
      const inline =
        isRecord(c.valuesInline) && Object.keys(c.valuesInline).length > 0 ? c.valuesInline : undefined;
      // As kustomize layers them: valuesInline replaces the values file, unless valuesMerge says
      // to merge it over (`merge`) or under (`override`) that file.
      const merge = typeof c.valuesMerge === 'string' ? c.valuesMerge : '';
      const files = !inline
        ? [valuesFile]
        : merge === 'merge'
          ? [valuesFile]
          : merge === 'override'
            ? [valuesFile]
            : [];
      const position = !inline ? -1 : merge === 'override' ? 0 : files.length;
      const strings = (v: unknown) =>
        Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      out.push({
        kustomization: k.file,
        index,
        chartAbs,
        name: c.name,
        releaseName: typeof c.releaseName === 'string' ? c.releaseName : undefined,
        namespace: typeof c.namespace === 'string' ? c.namespace : undefined,
        valuesFiles: [...files, ...additional],
        ...(inline ? { inline: { values: inline, position } } : {}),
        kubeVersion: typeof c.kubeVersion === 'string' ? c.kubeVersion : undefined,
        apiVersions: strings(c.apiVersions),
        includeCRDs: c.includeCRDs === true,
        skipTests: c.skipTests === true,
        skipHooks: c.skipHooks === true,
      });
    });
  }
  return out;
}

/**
 * What keeps a chart from being inflated here, on the line of its entry: no helm to inflate
 * with, a chart folder that is not there, or one that reads outside the repository.
 */
export async function helmChartProblems(
  entries: readonly HelmChartEntry[],
  helm: string | undefined,
  contain: Containment,
  display: (abs: string) => string,
): Promise<InputError[]> {
  const out: InputError[] = [];
  for (const e of entries) {
    const text = await readFile(e.kustomization, 'utf8').catch(() => '');
    const at = yamlLocator(text, e.kustomization).find(['helmCharts', e.index]) ?? { line: 1, column: 1 };
    const location = { file: display(e.kustomization), line: at.line, column: at.column };
    const error = (message: string) => out.push({ level: 'error', message, location });
    if (!helm) {
      error(
        `helmCharts: "${e.name}" needs helm to inflate it, and helm is not installed (not on PATH, and no --helm or Action input names it)`,
      );
      continue;
    }
    const reason = (await contain.check(e.chartAbs)) ?? (await contain.escapesUnder(e.chartAbs))[0]?.reason;
    if (reason) {
      error(`helmCharts: "${e.name}": ${reason}; refused (a render reads only the repository, outside .git)`);
      continue;
    }
    if ((await readText(path.join(e.chartAbs, 'Chart.yaml'), '/', new Map())) === undefined) {
      error(
        `helmCharts: "${e.name}" has no chart at ${display(e.chartAbs)} (helmGlobals.chartHome + name); ` +
          'vendor it there (there is no network to pull it from)',
      );
    }
  }
  return out;
}

/** The flags that let kustomize inflate charts, with our helm. */
export function enableHelmArgs(
  helm: string,
  kubeVersion?: string,
  apiVersions: readonly string[] = [],
): string[] {
  const args = ['--enable-helm', '--helm-command', helm];
  if (kubeVersion) args.push('--helm-kube-version', kubeVersion);
  if (apiVersions.length > 0) args.push('--helm-api-versions', apiVersions.join(','));
  return args;
}

/**
 * Render each chart as kustomize does (same release, namespace and values), with `# Source:`
 * comments this time, and map what helm printed to the chart's templates, its values files and
 * the `valuesInline` lines of the kustomization. Failures leave the chart unmapped (kustomize's
 * own build is what reports errors).
 */
export async function inflatedManifests(
  entries: readonly HelmChartEntry[],
  opts: {
    cwd: string;
    helm: string;
    timeoutMs: number;
    maxMemoryBytes?: number;
    kubeVersion?: string;
    apiVersions?: string[];
  },
  display: (abs: string) => string,
): Promise<Manifest[]> {
  const out: Manifest[] = [];
  if (entries.length === 0) return out;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'shipshape-inflate-'));
  try {
    for (const e of entries) {
      const inlineFile = path.join(tmp, `${e.index}-${e.name}-values.yaml`);
      const files = [...e.valuesFiles];
      if (e.inline) {
        await writeFile(inlineFile, stringify(e.inline.values, { version: '1.1' })); // helm reads YAML 1.1
        files.splice(e.inline.position, 0, inlineFile);
      }
      const args = ['template', e.releaseName ?? 'release-name', e.chartAbs];
      if (e.namespace) args.push('--namespace', e.namespace);
      for (const f of files) args.push('--values', f);
      for (const api of [...e.apiVersions, ...(opts.apiVersions ?? [])]) args.push('--api-versions', api);
      const kubeVersion = e.kubeVersion ?? opts.kubeVersion;
      if (kubeVersion) args.push('--kube-version', kubeVersion);
      if (e.includeCRDs) args.push('--include-crds');
      if (e.skipTests) args.push('--skip-tests');
      if (e.skipHooks) args.push('--no-hooks');
      const res = await run(opts.helm, args, {
        cwd: opts.cwd,
        timeoutMs: opts.timeoutMs,
        maxMemoryBytes: opts.maxMemoryBytes,
      });
      if (res.code !== 0 || res.timedOut || res.overMemory) continue;
      const chartDir = display(e.chartAbs);
      const texts = await readTree(e.chartAbs, opts.cwd);
      const kfile = display(e.kustomization);
      await readText(e.kustomization, opts.cwd, texts);
      const valuesFiles: string[] = [];
      const layers: { file: string; anchor: (string | number)[] }[] = [];
      for (const f of files) {
        if (f === inlineFile) {
          layers.push({ file: kfile, anchor: ['helmCharts', e.index, 'valuesInline'] });
          continue;
        }
        if ((await readText(f, opts.cwd, texts)) === undefined) continue;
        layers.push({ file: display(f), anchor: [] });
      }
      for (const l of layers) if (l.anchor.length === 0) valuesFiles.push(l.file);
      const mapped = mapHelmOutput(res.stdout, `${kfile} helmCharts[${e.index}]`, {
        chartDir,
        files: texts,
        valuesFiles,
        setKeys: [],
        layers,
      });
      pushAll(out, mapped.manifests);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return out;
}

/**
 * The object helm printed that kustomize then transformed: same kind, and a name that kustomize
 * made from it (a prefix or suffix added), the longest such name.
 */
export function inflatedTwin(inflated: readonly Manifest[], object: KubeObject): Manifest | undefined {
  const name = object.metadata?.name ?? '';
  let best: Manifest | undefined;
  for (const m of inflated) {
    if (m.ref.kind !== object.kind || !name.includes(m.ref.name)) continue;
    if (!best || m.ref.name.length > best.ref.name.length) best = m;
  }
  return best;
}
