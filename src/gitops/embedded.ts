import { parseDocument } from 'yaml';
import { isRecord, type PathSegment, type SourceLocation } from '../model/types.js';
import { yamlLocator } from '../render/yaml-locate.js';

/**
 * YAML held in a string of a definition: an Argo CD source's `helm.values: |`, a ConfigMap's
 * `values.yaml: |` a HelmRelease takes values from. Its keys are edited on the lines of the
 * literal block, so each one maps to its own line of the definition's file; when the string is
 * not a literal block (quoted, folded, or rendered by something else), to the field's own line.
 */

export interface EmbeddedValues {
  values: Record<string, unknown>;
  locate(path: readonly PathSegment[]): SourceLocation | undefined;
}

/** What of an app definition (gitops/model.ts's Definition) locating embedded values needs. */
export interface EmbeddingFile {
  file: string;
  locate(segments: readonly PathSegment[]): SourceLocation;
  block?(segments: readonly PathSegment[]): { line: number; indent: number } | undefined;
}

export function embeddedValues(
  def: EmbeddingFile,
  at: readonly PathSegment[],
  text: string,
): EmbeddedValues | { error: string } {
  let values: unknown;
  try {
    const doc = parseDocument(text, { version: '1.1' });
    if (doc.errors.length > 0) return { error: `not valid YAML: ${doc.errors[0].message.split('\n')[0]}` };
    values = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { error: `not valid YAML: ${(err as Error).message}` };
  }
  if (values === null || values === undefined) values = {};
  if (!isRecord(values)) return { error: 'must be a mapping of values' };
  const inner = yamlLocator(text, def.file);
  const block = def.block?.(at);
  const field = def.locate(at);
  return {
    values,
    locate(path) {
      const hit = inner.find(path);
      if (!hit) return undefined;
      if (!block) return field;
      return { file: def.file, line: block.line + hit.line - 1, column: block.indent + hit.column };
    },
  };
}

/**
 * Where a literal block (`key: |`) starts in a file's text: the line after the key and the
 * indentation of its first line with text; undefined for any other kind of scalar.
 */
export function literalBlockAt(text: string, keyLine: number): { line: number; indent: number } | undefined {
  const lines = text.split('\n');
  const head = lines[keyLine - 1];
  if (head === undefined || !/:\s*\|[-+0-9]*\s*(#.*)?$/.test(head)) return undefined;
  for (let k = keyLine; k < lines.length; k++) {
    const line = lines[k];
    if (line.trim() === '') continue;
    return { line: keyLine + 1, indent: line.length - line.trimStart().length };
  }
  return undefined;
}
