import type { Manifest } from '../load/yaml.js';
import type { InputError, PathSegment, SourceLocation } from '../model/types.js';

/**
 * What gets rendered. Paths are as the user named them (relative to the working directory,
 * forward slashes); the render layer resolves them against `cwd`.
 */
export interface HelmTarget extends AppTarget {
  kind: 'helm';
  /** The chart folder (the one holding Chart.yaml). */
  chart: string;
  releaseName: string;
  namespace: string;
  /** Extra values files, in order, layered on the chart's own values.yaml (later files win). */
  valuesFiles: string[];
  /** `--set key=value` pairs, applied after the values files. */
  set: Record<string, string>;
  /** `--kube-version`, e.g. `1.31.0`; empty for Helm's default. */
  kubeVersion?: string;
  /** `--api-versions`, e.g. `monitoring.coreos.com/v1`. */
  apiVersions: string[];
  /** `--set-string key=value` pairs (an Argo CD parameter with forceString). */
  setString?: Record<string, string>;
  /** Values that live inside an app definition rather than a file of their own: after the files. */
  inlineValues?: InlineValues[];
}

export interface KustomizeTarget extends AppTarget {
  kind: 'kustomize';
  /** The folder holding kustomization.yaml (an overlay, or a base nobody overlays). */
  dir: string;
  /** What an app definition lays over the overlay (Argo CD `kustomize:`, Flux `patches:`...). */
  overlay?: KustomizeOverlay;
}

export interface PlainTarget extends AppTarget {
  kind: 'plain';
  /** Files and folders of plain manifests. */
  paths: string[];
}

export type Target = HelmTarget | KustomizeTarget | PlainTarget;

// ---------------------------------------------------------------------------------------------
// What a GitOps app definition (an Argo CD Application, a Flux Kustomization or HelmRelease) adds
// to a target. src/gitops makes these; the render layer only applies them.

export interface AppTarget {
  /** Set when an app definition, not the folder's shape, made the target. */
  app?: AppInfo;
}

export interface AppInfo {
  /** How reports name the target: `Application argocd/web (apps/web.yaml)`. */
  name: string;
  /** Where the definition is edited (its `kind:` line). */
  location: SourceLocation;
  /** Where objects that name no namespace go (Argo CD destination.namespace, Flux targetNamespace). */
  namespace?: string;
  /**
   * What the app reads besides the target's own files, relative to the working directory: the
   * definition, `$values` files, the ConfigMaps and Secrets it takes values or variables from,
   * the definitions that produced it (an app of apps).
   */
  inputs: { files: string[]; dirs: string[] };
  /** The app whose render holds this definition (an app of apps): its inputs are this one's too. */
  parent?: Target;
  /** Notes found while reading the definition (a remote values file left out...), reported with the render. */
  notes: InputError[];
  /** Nothing to render (a chart from a remote repository): the notes say why. */
  skip?: boolean;
  /** Applied to the rendered objects before they are checked (Flux postBuild substitution). */
  postRender?: (result: Omit<RenderResult, 'millis' | 'tool'>) => Omit<RenderResult, 'millis' | 'tool'>;
}

/** Helm values that sit inside an app definition (`valuesObject`, a HelmRelease's `values`). */
export interface InlineValues {
  /** A name for the layer, unique in the target (it never names a file on disk). */
  name: string;
  values: Record<string, unknown>;
  /** Where the key at `path` (under these values) is edited, when these values set it. */
  locate(path: readonly PathSegment[]): SourceLocation | undefined;
}

/**
 * Kustomization fields an app definition lays over the target's overlay: written first in the
 * build's wrapper kustomization, so that line N of `text` is line N there.
 */
export interface KustomizeOverlay {
  /** YAML of kustomization fields (`namespace:`, `namePrefix:`, `images:`, inline `patches:`...). */
  text: string;
  /** Component folders (relative to the working directory) added on top. */
  components: string[];
  /**
   * The resources instead of `dir` (relative to the working directory): a Flux path that has no
   * kustomization.yaml is all of its manifests.
   */
  resources?: string[];
  /** Build as Flux does: a kustomization may name files outside its folder (still inside the repository). */
  loadRestrictorNone?: boolean;
  /** Where the thing at line and column of `text` is edited (in the app definition). */
  locate(line: number, column: number): SourceLocation | undefined;
}

/** The namespace objects without one are installed to, when the target says. */
export function targetNamespace(target: Target): string | undefined {
  return target.kind === 'helm' ? target.namespace : target.app?.namespace;
}

/** A short stable name for reports: `charts/web (values-prod.yaml)`, `overlays/prod`. */
export function targetName(target: Target): string {
  if (target.app) return target.app.name;
  switch (target.kind) {
    case 'helm': {
      const extra = target.valuesFiles.map((f) => f.split('/').pop()).join(', ');
      return extra ? `${target.chart} (${extra})` : target.chart;
    }
    case 'kustomize':
      return target.dir;
    case 'plain':
      return target.paths.join(', ');
  }
}

export interface RenderResult {
  target: Target;
  /** Rendered objects; `locateSource` points each field at the line a human edits. */
  manifests: Manifest[];
  /** A failed render, unparseable output, a missing dependency: with file and line when known. */
  errors: InputError[];
  /**
   * The rendered text as linted (Kustomize build annotations stripped); empty for plain targets.
   * It holds Secret values as rendered: redact (diff/redact.ts) before showing any of it.
   */
  rendered: string;
  /** The tool and version that rendered it, e.g. `helm v3.22.0`. */
  tool?: string;
  /** Wall-clock milliseconds spent rendering. */
  millis: number;
}

/** Where helm and kustomize live; found on PATH unless given. */
export interface ToolPaths {
  helm?: string;
  kustomize?: string;
  kubectl?: string;
}

export interface RenderOptions {
  cwd?: string;
  tools?: ToolPaths;
  /** Most renders running at once; defaults to the number of cores. */
  concurrency?: number;
  /** Per-process time limit in milliseconds (no network here: nothing may hang). */
  timeoutMs?: number;
  /** Per-process bound on resident memory, in bytes (default 2 GiB). */
  maxMemoryBytes?: number;
  /**
   * The repository: nothing outside it (or inside its `.git`) is read by a render. By default the
   * nearest folder above `cwd` with a `.git`, else `cwd`.
   */
  root?: string;
  /**
   * What charts see as `.Capabilities` when their target does not say (`--kube-version`,
   * `--api-versions`): for Helm targets and the charts a kustomization inflates.
   */
  kubeVersion?: string;
  apiVersions?: string[];
}
