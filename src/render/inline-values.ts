import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getAt } from '../model/path.js';
import type { PathSegment } from '../model/types.js';
import type { InlineValues } from './types.js';
import type { YamlLocator } from './yaml-locate.js';

/**
 * Helm values that live inside an app definition (an Argo CD Application's `valuesObject`, a
 * HelmRelease's `values`) rather than in a file: helm reads them from a temporary file, and the
 * source map reads them through a locator that answers with lines of the app definition.
 */

/** The values as a locator the Helm source map reads like a values file's. */
export function inlineLocator(values: InlineValues): YamlLocator {
  const depth = (p: readonly PathSegment[]) => {
    let k = 0;
    while (k < p.length && getAt(values.values, p.slice(0, k + 1)) !== undefined) k++;
    return k;
  };
  const find = (p: readonly PathSegment[]) =>
    depth(p) === p.length ? (values.locate(p) ?? undefined) : undefined;
  return {
    file: values.name,
    docCount: 1,
    find: (p) => find(p),
    depth: (p) => depth(p),
    value: (p) => (p.length === 0 ? values.values : getAt(values.values, p)),
    toJS: () => values.values,
    valueLine: (p) => find(p)?.line,
  };
}

/** Write each layer to a private temporary folder; `cleanup` removes it. */
export async function writeInlineValues(
  layers: readonly InlineValues[],
): Promise<{ files: string[]; cleanup: () => Promise<void> }> {
  if (layers.length === 0) return { files: [], cleanup: async () => undefined };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shipshape-values-'));
  const files: string[] = [];
  for (let i = 0; i < layers.length; i++) {
    const file = path.join(dir, `values-${i}.json`);
    // JSON is YAML: helm reads it as a values file, with no quoting questions.
    await writeFile(file, JSON.stringify(layers[i].values), { mode: 0o600 });
    files.push(file);
  }
  return { files, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
