import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { relativeName } from '../load/files.js';
import { parseManifests } from '../load/yaml.js';
import { pushAll } from '../model/collections.js';
import { mapConcurrent } from '../model/concurrency.js';
import { getAt } from '../model/path.js';
import { isRecord, type PathSegment } from '../model/types.js';
import type { RenderResult, Target } from '../render/types.js';
import { literalBlockAt } from './embedded.js';
import { type Definition, definitionOf, type Inventory, kindOf } from './model.js';

/**
 * Find app definitions and what they refer to: in the repository's YAML files (only those that
 * mention a GitOps API group, a ConfigMap or a Secret are parsed), and in what a render produced.
 */

const SKIP_DIRS = new Set(['.git', 'node_modules', '.terraform', '.github']);
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const CONFIGS = /kind:\s*["']?(ConfigMap|Secret)\b/;

export function emptyInventory(): Inventory {
  return { apps: [], appSets: [], sources: [], configs: [] };
}

/** Add definitions to the inventory by kind; anything else is ignored. */
export function addDefinitions(inventory: Inventory, defs: readonly Definition[]): void {
  for (const d of defs) {
    switch (kindOf(d.object)) {
      case 'Application':
      case 'FluxKustomization':
      case 'HelmRelease':
        inventory.apps.push(d);
        break;
      case 'ApplicationSet':
        inventory.appSets.push(d);
        break;
      case 'source':
        inventory.sources.push(d);
        break;
      case 'config':
        inventory.configs.push(d);
        break;
    }
  }
}

/** The YAML files under the inputs (folders walked without following symlinks), absolute. */
export async function yamlFiles(inputs: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(full);
      } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(full);
    }
  };
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    const st = await stat(abs).catch(() => undefined);
    if (st?.isDirectory()) await walk(abs);
    else if (st?.isFile() && /\.ya?ml$/i.test(abs)) out.push(abs);
  }
  return [...new Set(out)];
}

/**
 * Definitions in the repository's files. A file that does not parse is the plain target's to
 * report; a file a kustomization names as a patch holds a patch, not a definition.
 */
export async function scanFiles(files: readonly string[], cwd: string): Promise<Definition[]> {
  const out: Definition[] = [];
  const configs: { abs: string; bytes: Buffer }[] = [];
  const patches = await patchFiles(files);
  // Read as bytes and looked through before decoding: most files of a big repository name no
  // GitOps API group, and only those that do are parsed.
  const contents = await mapConcurrent(
    files,
    async (abs) => {
      if (patches.has(abs)) return undefined;
      const st = await stat(abs).catch(() => undefined);
      if (!st?.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      return readFile(abs).catch(() => undefined);
    },
    16,
  );
  files.forEach((abs, i) => {
    const bytes = contents[i];
    if (!bytes) return;
    if (bytes.includes('argoproj.io') || bytes.includes('fluxcd.io')) {
      pushAll(out, definitionsInText(bytes.toString('utf8'), relativeName(cwd, abs)));
    } else if (bytes.includes('ConfigMap') || bytes.includes('Secret')) configs.push({ abs, bytes });
  });
  // ConfigMaps and Secrets matter only to app definitions: a repository of plain manifests is not
  // parsed twice.
  if (out.some((d) => kindOf(d.object) !== 'config' && kindOf(d.object) !== 'source')) {
    for (const { abs, bytes } of configs) {
      const text = bytes.toString('utf8');
      if (CONFIGS.test(text)) pushAll(out, definitionsInText(text, relativeName(cwd, abs)));
    }
  }
  return out;
}

/** Files the kustomizations among `files` name as patches (absolute). */
async function patchFiles(files: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const abs of files) {
    if (!/^kustomization\.ya?ml$/.test(path.basename(abs))) continue;
    const text = await readFile(abs, 'utf8').catch(() => '');
    let doc: unknown;
    try {
      doc = parse(text);
    } catch {
      continue;
    }
    if (!isRecord(doc)) continue;
    const add = (p: unknown) => {
      if (typeof p === 'string' && !p.includes('\n')) out.add(path.resolve(path.dirname(abs), p));
    };
    for (const p of Array.isArray(doc.patchesStrategicMerge) ? doc.patchesStrategicMerge : []) add(p);
    for (const key of ['patches', 'patchesJson6902']) {
      const list = doc[key];
      for (const p of Array.isArray(list) ? list : []) if (isRecord(p)) add(p.path);
    }
  }
  return out;
}

/** Definitions in one file's text, each able to say where its literal blocks start. */
export function definitionsInText(text: string, file: string): Definition[] {
  const out: Definition[] = [];
  for (const m of parseManifests(text, file).manifests) {
    if (!kindOf(m.object)) continue;
    const def = definitionOf(m);
    def.block = (segments: readonly PathSegment[]) => {
      if (typeof getAt(m.object, segments) !== 'string') return undefined;
      return literalBlockAt(text, m.locate(segments).line);
    };
    out.push(def);
  }
  return out;
}

/** Definitions among a render's objects (an app of apps, a Flux Kustomization's HelmReleases). */
export function definitionsIn(
  result: Pick<RenderResult, 'manifests'>,
  parent: Target,
  cwd: string,
): Definition[] {
  return result.manifests.filter((m) => kindOf(m.object)).map((m) => definitionOf(m, parent, cwd));
}
