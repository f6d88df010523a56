import { loadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_SCHEMA } from '../load/yaml.js';

/**
 * YAML as plain data, without positions: values files, Chart.yaml, kustomizations, read the way
 * helm and kustomize read them (YAML 1.1: `on` is a boolean, `0755` octal; no dates). js-yaml reads
 * a few times faster than the document model (yaml-locate.ts), which is kept for the lines of
 * keys. Text with an anchor goes through the document model, which bounds alias expansion (a
 * values file of nested aliases would otherwise grow without bound when walked).
 */
/**
 * An anchor (`&name`, a name may itself start with `&`) where a node may start, after a blank, a
 * flow indicator or a JSON-style `"key":`: only then can a document hold aliases. Shell text in
 * values (`a && b`) is no anchor.
 */
const ANCHOR = /(^|[\s[{,:])&+[^\s&]/m;

/**
 * Every document of `text` read fast, or undefined when the text has an anchor or any document
 * is not valid YAML (duplicate keys included): then the caller reads it the careful way.
 */
export function fastYamlData(text: string): unknown[] | undefined {
  if (ANCHOR.test(text)) return undefined;
  try {
    return loadAll(text, null, { schema: KUBERNETES_SCHEMA });
  } catch {
    return undefined;
  }
}

/**
 * Every document of `text` as data. A document that is not valid YAML is left out (the tool
 * that reads it reports it); so is one whose aliases expand too far.
 */
export function yamlData(text: string): unknown[] {
  const fast = fastYamlData(text);
  if (fast) return fast;
  const out: unknown[] = [];
  try {
    for (const doc of parseAllDocuments(text, { version: '1.1' })) {
      if (doc.errors.length > 0) continue;
      try {
        out.push(doc.toJS({ maxAliasCount: 100 }));
      } catch {
        // too many aliases, or an unresolvable one
      }
    }
  } catch {
    // not YAML at all
  }
  return out;
}
