import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { decodeManifest, relativeName } from '../load/files.js';
import { type InputError, isRecord, type Severity, type SourceLocation } from '../model/types.js';
import { repositoryRoot } from '../render/contain.js';
import { ALL_RULES } from '../rules/index.js';
import { SUPPRESSION_RULES } from '../rules/suppress.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/types.js';
import { baselineSection, excludeSection, failOnSection } from './check.js';
import { driftSection } from './drift.js';
import { discoverSection, renderSection, targetsSection } from './render.js';
import { criticalSection, imagesSection, namespacesSection, rulesSection } from './rules.js';
import { type ConfigPath, type ConfigReader, type ConfigSection, dotted, unknownKey } from './validate.js';

/**
 * The config file, `.shipshape.yaml`. Each top-level key is a *section* with its own validator
 * (one module per feature in this folder, all built on `validate.ts`), so that a feature adds a
 * section to SECTIONS without touching the others. Problems are InputErrors naming the key and its
 * line; the valid rest of the file still applies (the run reports the errors and exits 2).
 */

export const CONFIG_FILE_NAMES = ['.shipshape.yaml', '.shipshape.yml'] as const;

/**
 * Is `file` (relative, with `/`) a config file: named as one, in any folder, or the one in use
 * (`--config`)? Config files are YAML but no manifests, so the loaders leave them out.
 */
export function isConfigFile(file: string, inUse?: string): boolean {
  return file === inUse || (CONFIG_FILE_NAMES as readonly string[]).includes(path.posix.basename(file));
}

/**
 * Every top-level key the file may have. To add a section, write a ConfigSection and add one
 * line here; `Config` grows a typed field by itself.
 */
const SECTIONS = {
  rules: rulesSection,
  exclude: excludeSection,
  critical: criticalSection,
  images: imagesSection,
  baseline: baselineSection,
  failOn: failOnSection,
  drift: driftSection,
  targets: targetsSection,
  render: renderSection,
  discover: discoverSection,
  namespaces: namespacesSection,
} satisfies Record<string, ConfigSection<unknown>>;

type Sections = typeof SECTIONS;
type SectionValue<S> = S extends ConfigSection<infer T> ? T : never;

export type Config = { [K in keyof Sections]: SectionValue<Sections[K]> } & {
  /** The file it came from (relative to the working directory), when there was one. */
  file?: string;
  /** The folder that relative paths in the file (`baseline:`) are relative to. */
  dir: string;
};

export function defaultConfig(dir = '.'): Config {
  const config: Record<string, unknown> = { dir };
  for (const [key, section] of Object.entries(SECTIONS)) config[key] = section.defaults();
  return config as Config;
}

// ---------------------------------------------------------------------------------------------
// Parsing.

export interface ParseConfigOptions {
  /** The rule ids a `rules:` entry may name; every built-in rule by default. */
  ruleIds?: Iterable<string>;
  /** The folder relative paths are relative to; the file's own by default. */
  dir?: string;
  /** The repository the file belongs to; its paths must stay inside. Default: `dir`. */
  root?: string;
}

export interface ConfigResult {
  config: Config;
  errors: InputError[];
}

export function knownRuleIds(): Set<string> {
  return new Set([...ALL_RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((m) => m.id)]);
}

/**
 * Characters a config file may not hold: C0 controls but tab, line feed and carriage return, DEL,
 * C1 controls but NEL, and U+FFFD (bytes that were not UTF-8). YAML forbids the controls in a
 * stream; the `yaml` parser lets them through, and they would reach messages and the report.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const NOT_TEXT = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffd]/;

/** Pure: the text of a config file -> the config and every problem, each naming key and line. */
export function parseConfig(text: string, file: string, options: ParseConfigOptions = {}): ConfigResult {
  const config = defaultConfig(options.dir ?? path.posix.dirname(file));
  config.file = file;
  const errors: InputError[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const bad = NOT_TEXT.exec(text);
  if (bad) {
    const line = text.slice(0, bad.index).split('\n').length;
    const c = bad[0];
    const what =
      c === '\0'
        ? 'a NUL byte'
        : c === '\ufffd'
          ? 'bytes that are not UTF-8'
          : `control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    errors.push({
      level: 'error',
      message: `config: not a text file (${what}); not read`,
      location: { file, line, column: 1 },
    });
    return { config, errors };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      errors.push({
        level: 'error',
        message: `config: YAML syntax error: ${message}`,
        location: at(err.pos[0]),
      });
    }
    return { config, errors };
  }
  const reader: ConfigReader = {
    file,
    dir: path.resolve(config.dir),
    root: path.resolve(options.root ?? config.dir),
    ruleIds: new Set(options.ruleIds ?? knownRuleIds()),
    at: (p) => locateKey(doc.contents, p, at),
    error: (p, message) =>
      errors.push({ level: 'error', message: `config: ${dotted(p)}: ${message}`, location: reader.at(p) }),
  };
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias to nothing, or aliases that would expand too far: one error, the defaults apply.
    errors.push({ level: 'error', message: `config: ${(err as Error).message}`, location: at(0) });
    return { config, errors };
  }
  if (root === null || root === undefined) return { config, errors }; // an empty file is a valid config
  if (!isRecord(root)) {
    errors.push({ level: 'error', message: 'config: must be a mapping of sections', location: at(0) });
    return { config, errors };
  }
  const target = config as Record<string, unknown>;
  const known = Object.keys(SECTIONS);
  for (const [key, value] of Object.entries(root)) {
    const section = (SECTIONS as Record<string, ConfigSection<unknown>>)[key];
    if (section) target[key] = section.read(value, reader, [key]);
    else unknownKey(key, known, reader, []);
  }
  return { config, errors };
}

/** Where the key (or list item) at `p` sits; the nearest existing parent when it is absent. */
function locateKey(root: unknown, p: ConfigPath, at: (offset: number) => SourceLocation): SourceLocation {
  let node = root as Node | null;
  let best = at(0);
  for (const seg of p) {
    if (typeof seg === 'number') {
      if (!isSeq(node)) break;
      const item = node.items[seg] as Node | undefined;
      if (!item?.range) break;
      best = at(item.range[0]);
      node = item;
    } else {
      if (!isMap(node)) break;
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === seg);
      if (!pair) break;
      const key = pair.key as Node;
      if (key.range) best = at(key.range[0]);
      node = pair.value as Node | null;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Finding and reading the file (the only I/O here).

export interface LoadConfigOptions extends ParseConfigOptions {
  cwd?: string;
  /** An explicit file (`--config`); otherwise `.shipshape.yaml` in `cwd`, if there is one. */
  file?: string;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ConfigResult> {
  const cwd = options.cwd ?? process.cwd();
  const root = options.root ?? (await repositoryRoot(cwd));
  const candidates = options.file ? [options.file] : CONFIG_FILE_NAMES;
  for (const candidate of candidates) {
    const abs = path.resolve(cwd, candidate);
    const rel = relativeName(cwd, abs);
    let bytes: Buffer;
    try {
      bytes = await readFile(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!options.file && code === 'ENOENT') continue; // no config file is fine
      const reason = code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message);
      return {
        config: defaultConfig(cwd),
        errors: [{ level: 'error', message: `config ${rel}: ${reason}` }],
      };
    }
    // Decoded as manifests are (UTF-8, or UTF-16/32 with a byte order mark); NULs without a mark
    // are left in, for parseConfig to refuse on their line.
    const text = decodeManifest(bytes) ?? bytes.toString('utf8');
    return parseConfig(text, rel, { ...options, root, dir: options.dir ?? path.dirname(abs) });
  }
  return { config: defaultConfig(cwd), errors: [] };
}

// ---------------------------------------------------------------------------------------------
// What the rule engine needs from a config.

export interface RuleSelection {
  settings: RuleSettings;
  disabled: Set<string>;
  severity: Map<string, Severity>;
}

export function ruleSelectionOf(config: Config): RuleSelection {
  const disabled = new Set<string>();
  const severity = new Map<string, Severity>();
  for (const [id, rc] of Object.entries(config.rules)) {
    if (!rc.enabled) disabled.add(id);
    if (rc.severity) severity.set(id, rc.severity);
  }
  return {
    settings: {
      ...DEFAULT_RULE_SETTINGS,
      critical: config.critical,
      debugTagPatterns: config.images.debugTagPatterns,
      ownedNamespaces: config.namespaces.owned,
    },
    disabled,
    severity,
  };
}
