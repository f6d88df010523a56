import { isRecord } from '../model/types.js';
import { forEachContainer } from './containers.js';
import { holdsSecrets, looksSecretName, NOT_THE_VALUE, nameWords } from './names.js';
import { LAST_APPLIED } from './redact.js';
import { type SecretSink, secrets } from './registry.js';
import {
  argumentSecrets,
  assignmentSecret,
  holdsSecretValue,
  isReference,
  settingValues,
  urlPasswords,
} from './values.js';

/**
 * Collect the secret values of a run as manifests, values and kustomizations come into being,
 * so that every output can mask them (registry.ts). What counts as a secret:
 *
 * - a Secret's `data` (decoded, and the base64 text) and `stringData`;
 * - env values whose names look secret; ConfigMap `data` under secret-looking keys;
 * - the password of any URL with credentials in env values, `command`, `args` and ConfigMap data,
 *   and secret-looking settings in a config file held as one value (`password: x`);
 * - values of secret-looking flags and assignments in `command` and `args`;
 * - `kubectl.kubernetes.io/last-applied-configuration` on any kind: the object inside, collected
 *   the same way;
 * - Helm values under secret-looking keys (and every entry of a `secrets:`-like map), and URL
 *   passwords and secret flags in any values string;
 * - kustomize `secretGenerator` literals and the contents of its `envs` and `files`.
 *
 * Pure: readers of files hand their contents in (render/secret-inputs.ts).
 */

/** Collect the secrets of one Kubernetes object (rendered, loaded, or read from a cluster). */
export function collectObject(obj: unknown, registry: SecretSink = secrets, depth = 0): void {
  if (!isRecord(obj) || depth > 2) return;
  registry.addPublicNames(publicNamesOf(obj));
  const annotations = isRecord(obj.metadata) ? obj.metadata.annotations : undefined;
  if (isRecord(annotations) && typeof annotations[LAST_APPLIED] === 'string') {
    const applied = annotations[LAST_APPLIED];
    registry.add(applied);
    try {
      collectObject(JSON.parse(applied), registry, depth + 1);
    } catch {
      // not JSON: the whole text is already collected
    }
  }
  if (obj.kind === 'Secret') {
    if (isRecord(obj.data)) for (const v of Object.values(obj.data)) registry.addBase64(v);
    if (isRecord(obj.stringData)) for (const v of Object.values(obj.stringData)) registry.add(v);
  }
  if (obj.kind === 'ConfigMap' && isRecord(obj.data)) {
    for (const [k, v] of Object.entries(obj.data)) collectNamed(k, v, registry);
  }
  forEachContainer(obj, (c) => {
    if (Array.isArray(c.env)) {
      for (const item of c.env)
        if (isRecord(item) && typeof item.name === 'string') collectNamed(item.name, item.value, registry);
    }
    for (const list of ['command', 'args']) {
      const argv = c[list];
      if (Array.isArray(argv)) registry.addAll(argumentSecrets(argv));
    }
  });
}

/** What an object shows of itself by name: its name, namespace and label values (its pods' too). */
function publicNamesOf(obj: Record<string, unknown>): unknown[] {
  const names: unknown[] = [];
  const meta = (m: unknown) => {
    if (!isRecord(m)) return;
    names.push(m.name, m.namespace);
    if (isRecord(m.labels)) names.push(...Object.values(m.labels));
  };
  meta(obj.metadata);
  if (isRecord(obj.spec) && isRecord(obj.spec.template)) meta(obj.spec.template.metadata);
  return names;
}

/** A named value (env var, ConfigMap key): all of it when the name looks secret, else its URL passwords. */
function collectNamed(name: string, value: unknown, registry: SecretSink): void {
  if (typeof value !== 'string') return;
  if (holdsSecretValue(name, value)) registry.addNamed(name, value);
  registry.addAll(urlPasswords(value));
  // A config file held as one value: its secret-looking settings.
  if (value.includes('\n')) registry.addAll(settingValues(value));
}

/** A key that describes or names a secret rather than holding it (`name`, `existingSecret`, `host`). */
function describes(key: string): boolean {
  const words = nameWords(key);
  const last = words[words.length - 1];
  return last === undefined || NOT_THE_VALUE.has(last) || words.includes('existing');
}

/**
 * Helm values (a chart's values.yaml, a values file, `--set` pairs as a tree): strings under
 * secret-looking keys, every entry of a map such as `secrets:` or `credentials:` (but not the
 * ones that only describe it, like `name` or `host`), `{name, value}` pairs with a secret name,
 * and URL passwords and secret flags in any string. Keys with a `/` are annotations and labels,
 * not settings.
 */
export function collectValues(tree: unknown, registry: SecretSink = secrets): void {
  // `parent` is the key of the map holding this one (a list's items share the list's key).
  const walk = (
    node: unknown,
    key: string | undefined,
    parent: string | undefined,
    inSecrets: boolean,
    depth: number,
  ): void => {
    if (depth > 64) return;
    if (typeof node === 'string') {
      if (key !== undefined && (isSecretSetting(key, parent, node) || (inSecrets && !describes(key))))
        registry.addNamed(key, node);
      if (!isReference(node)) registry.addAll(argumentSecrets([node]));
      if (node.includes('\n')) registry.addAll(settingValues(node));
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) walk(item, key, parent, inSecrets, depth + 1);
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.name === 'string' && holdsSecretValue(node.name, node.value))
      registry.addNamed(node.name, node.value);
    for (const [k, v] of Object.entries(node)) walk(v, k, key, inSecrets || holdsSecrets(k), depth + 1);
  };
  walk(tree, undefined, undefined, false, 0);
}

/** Owners of a bare `key:` that makes it key material (`tls.key`), not a label key (`tolerations[].key`). */
const KEY_OWNERS = new Set(['tls', 'ssl', 'ssh', 'gpg', 'pgp', 'jwt', 'api', 'encryption', 'signing']);

/**
 * A values key whose string is a secret. Annotation and label keys (with a `/`) are not settings.
 * A bare `key` is the most common word in Kubernetes-shaped values (tolerations, selectors,
 * `secretKeyRef`): it counts only under a map that is about keys or secrets.
 */
function isSecretSetting(key: string | undefined, parent: string | undefined, value: string): boolean {
  if (key === undefined || key.includes('/') || !holdsSecretValue(key, value)) return false;
  if (!/^keys?$/i.test(key)) return true;
  return parent !== undefined && (KEY_OWNERS.has(parent.toLowerCase()) || looksSecretName(parent));
}

/** `KEY=value` lines (a kustomize or docker env file): every value, or only secret-named ones. */
export function collectEnvFile(text: string, everyValue: boolean, registry: SecretSink = secrets): void {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : line;
    const value = eq > 0 ? unquote(line.slice(eq + 1).trim()) : '';
    if (everyValue) registry.add(eq > 0 ? value : line);
    else if (holdsSecretValue(name, value)) registry.addNamed(name, value);
    registry.addAll(urlPasswords(value));
  }
}

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/s.exec(value);
  return m ? m[2] : value;
}

/** The files a kustomization's generators read, for the caller to read and hand back. */
export interface GeneratorFiles {
  /** `secretGenerator` files: all of their content is secret. */
  secretFiles: string[];
  /** `secretGenerator` env files: every value is secret. */
  secretEnvs: string[];
  /** `configMapGenerator` env files: values under secret-looking names, and URL passwords. */
  configEnvs: string[];
}

/**
 * A parsed kustomization: `secretGenerator` literals (`KEY=value`: the value; a literal without
 * `=` is malformed, and kustomize's error echoes all of it, so all of it), secret-named
 * `configMapGenerator` literals, and inline Helm values. Returns the generator files to read.
 */
export function collectKustomization(k: unknown, registry: SecretSink = secrets): GeneratorFiles {
  const files: GeneratorFiles = { secretFiles: [], secretEnvs: [], configEnvs: [] };
  if (!isRecord(k)) return files;
  const entries = (field: string) => (Array.isArray(k[field]) ? k[field].filter(isRecord) : []);
  const strings = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  for (const g of entries('secretGenerator')) {
    for (const literal of strings(g.literals)) {
      const eq = literal.indexOf('=');
      registry.add(eq > 0 ? unquote(literal.slice(eq + 1)) : literal);
    }
    // `files:` entries may be `key=path`.
    for (const f of strings(g.files))
      files.secretFiles.push(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
    files.secretEnvs.push(...strings(g.envs), ...strings(g.env));
  }
  for (const g of entries('configMapGenerator')) {
    for (const literal of strings(g.literals)) {
      const value = assignmentSecret(literal);
      if (value !== undefined) registry.add(value);
      registry.addAll(urlPasswords(literal));
    }
    files.configEnvs.push(...strings(g.envs), ...strings(g.env));
  }
  for (const chart of entries('helmCharts')) collectValues(chart.valuesInline, registry);
  return files;
}
