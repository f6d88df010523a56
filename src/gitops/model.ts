import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../load/yaml.js';
import { getAt } from '../model/path.js';
import {
  type InputError,
  isRecord,
  type KubeObject,
  type PathSegment,
  type SourceLocation,
} from '../model/types.js';
import type { Containment } from '../render/contain.js';
import type { Target } from '../render/types.js';
import { literalBlockAt } from './embedded.js';
import type { RepoIdentity } from './repository.js';

/**
 * The GitOps model: app definitions (Argo CD Applications and ApplicationSets, Flux Kustomizations
 * and HelmReleases) and the objects they refer to (Flux sources, ConfigMaps, Secrets), read from
 * the repository's files or from what another app renders, each knowing where its fields are
 * edited.
 */

export interface Definition {
  object: KubeObject;
  /** The file a human edits for it (relative to the working directory). */
  file: string;
  /** Where the field at `segments` is edited; its nearest parent when it is absent. */
  locate(segments: readonly PathSegment[]): SourceLocation;
  /**
   * Where a string field written as a literal block (`values: |`) starts: the first content line
   * and its indentation (0-based columns before the text). Only for definitions read from a file.
   */
  block?(segments: readonly PathSegment[]): { line: number; indent: number } | undefined;
  /** The app whose render produced it (an app of apps, a HelmRelease a Flux Kustomization builds). */
  parent?: Target;
  /** The ApplicationSet that generated it. */
  generatedBy?: string;
}

/** Everything app definitions may refer to, by kind. */
export interface Inventory {
  apps: Definition[];
  appSets: Definition[];
  sources: Definition[];
  configs: Definition[];
}

export interface Context {
  cwd: string;
  /** The repository (absolute): nothing outside it is read. */
  root: string;
  /**
   * Folders (absolute) that repository paths resolve from, in order: the repository's root, then
   * the folders discovery was pointed at (a GitOps tree kept in a subfolder of a bigger
   * repository names its paths from its own top).
   */
  bases: string[];
  identity: RepoIdentity;
  contain: Containment;
  inventory: Inventory;
  /** Run-wide notes (the repository's identity was guessed, ...). */
  notes: InputError[];
  /** Folders and files under each top, listed once per discovery (ApplicationSet git generators). */
  trees: Map<string, Promise<{ dirs: string[]; files: string[] }>>;
}

export const ARGO_GROUP = 'argoproj.io/';
export const FLUX_KUSTOMIZE = 'kustomize.toolkit.fluxcd.io/';
export const FLUX_HELM = 'helm.toolkit.fluxcd.io/';
export const FLUX_SOURCE = 'source.toolkit.fluxcd.io/';
export const FLUX_SOURCE_EXTENSIONS = 'source.extensions.fluxcd.io/';

export type DefinitionKind =
  | 'Application'
  | 'ApplicationSet'
  | 'FluxKustomization'
  | 'HelmRelease'
  | 'source'
  | 'config';

export function kindOf(o: KubeObject): DefinitionKind | undefined {
  const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  if (api.startsWith(ARGO_GROUP)) {
    if (o.kind === 'Application') return 'Application';
    if (o.kind === 'ApplicationSet') return 'ApplicationSet';
  }
  if (api.startsWith(FLUX_KUSTOMIZE) && o.kind === 'Kustomization') return 'FluxKustomization';
  if (api.startsWith(FLUX_HELM) && o.kind === 'HelmRelease') return 'HelmRelease';
  if (api.startsWith(FLUX_SOURCE) || api.startsWith(FLUX_SOURCE_EXTENSIONS)) return 'source';
  if (api === 'v1' && (o.kind === 'ConfigMap' || o.kind === 'Secret')) return 'config';
  return undefined;
}

/**
 * A definition from a parsed manifest: a file's own (`locate`) or a render's (`locateSource`).
 * A rendered one knows where its literal blocks start when the line it maps to holds the same
 * text (a ConfigMap's `values.yaml: |` a HelmRelease takes values from).
 */
export function definitionOf(m: Manifest, parent?: Target, cwd = '.'): Definition {
  const locate = m.locateSource ?? m.locate;
  const file = parent ? locate(['kind']).file : m.file;
  const def: Definition = { object: m.object, file, locate: (s) => locate(s), ...(parent ? { parent } : {}) };
  if (parent) {
    def.block = (segments) => {
      const value = getAt(m.object, segments);
      if (typeof value !== 'string') return undefined;
      const at = locate(segments);
      const text = readSmall(path.resolve(cwd, at.file));
      const block = text === undefined ? undefined : literalBlockAt(text, at.line);
      if (!block || text === undefined) return undefined;
      const first = value
        .split('\n')
        .find((l) => l.trim() !== '')
        ?.trim();
      const line = text
        .split('\n')
        .slice(block.line - 1)
        .find((l) => l.trim() !== '')
        ?.trim();
      return first !== undefined && first === line ? block : undefined;
    };
  }
  return def;
}

/** A file's text, when it is small enough to look at. */
function readSmall(file: string): string | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > 4 * 1024 * 1024) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `Kind namespace/name`, as reports name a definition. */
export function describe(def: Definition, kind = def.object.kind): string {
  const { name, namespace } = def.object.metadata;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(no name)'}`;
}

/** The object's spec, or an empty one. */
export function specOf(o: KubeObject): Record<string, unknown> {
  return isRecord(o.spec) ? o.spec : {};
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function record(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function note(message: string, location?: SourceLocation): InputError {
  return { level: 'note', message, ...(location ? { location } : {}) };
}

export function error(message: string, location?: SourceLocation): InputError {
  return { level: 'error', message, ...(location ? { location } : {}) };
}
