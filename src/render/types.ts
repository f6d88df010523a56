import type { Manifest } from '../load/yaml.js';
import type { InputError } from '../model/types.js';

/**
 * What gets rendered. Paths are as the user named them (relative to the working directory,
 * forward slashes); the render layer resolves them against `cwd`.
 */
export interface HelmTarget {
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
}

export interface KustomizeTarget {
  kind: 'kustomize';
  /** The folder holding kustomization.yaml (an overlay, or a base nobody overlays). */
  dir: string;
}

export interface PlainTarget {
  kind: 'plain';
  /** Files and folders of plain manifests. */
  paths: string[];
}

export type Target = HelmTarget | KustomizeTarget | PlainTarget;

/** A short stable name for reports: `charts/web (values-prod.yaml)`, `overlays/prod`. */
export function targetName(target: Target): string {
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
}
