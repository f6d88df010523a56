import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { driftSection } from './drift/config.js';
import { relativeName } from './load/files.js';
import { catastrophicBacktracking } from './model/regex.js';
import { suggest } from './model/suggest.js';
import { type InputError, isRecord, SEVERITIES, type Severity, type SourceLocation } from './model/types.js';
import { discoverSection, insideRepository, renderSection, targetsSection } from './render/config.js';
import { repositoryRoot } from './render/contain.js';
import { namespacesSection } from './rules/config.js';
import { ALL_RULES } from './rules/index.js';
import { SUPPRESSION_RULES } from './rules/suppress.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from './rules/types.js';

/**
 * The config file, `.shipshape.yaml`. Each top-level key is a *section* with its own validator, so
 * that later features (`targets:` for rendering, `drift:` for the drift job) add a section to
 * SECTIONS without touching the others. Problems are InputErrors naming the key and its line; the
 * valid rest of the file still applies (the run reports the errors and exits 2).
 */

export const CONFIG_FILE_NAMES = ['.shipshape.yaml', '.shipshape.yml'] as const;

export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** A rule's switch and severity: `off`, a severity, or `{ enabled, severity }`. */
export interface RuleConfig {
  enabled: boolean;
  severity?: Severity;
}

/** A key path inside the config file, e.g. `['rules', 'image-tag-latest', 'severity']`. */
export type ConfigPath = readonly (string | number)[];

/** What a section validator may ask: where a key sits, and how to report a problem with it. */
export interface ConfigReader {
  readonly file: string;
  /** The absolute folder relative paths in the file resolve from (the file's own). */
  readonly dir: string;
  /** The repository: no path in the file may lead outside it. */
  readonly root: string;
  /** The ids a `rules:` entry may name. */
  readonly ruleIds: ReadonlySet<string>;
  /** Location of the key at `path` (or of the nearest parent that exists). */
  at(path: ConfigPath): SourceLocation;
  /** Report a problem with the key at `path`; the message is prefixed with the key's dotted name. */
  error(path: ConfigPath, message: string): void;
}

export interface ConfigSection<T> {
  /** The value when the file does not have the section (or has an unusable one). */
  defaults(): T;
  /** Validate the raw value; report problems through `r.error`, return what is usable. */
  read(value: unknown, r: ConfigReader, path: ConfigPath): T;
}

// ---------------------------------------------------------------------------------------------
// Small validators shared by the sections.

function expectMap(value: unknown, r: ConfigReader, p: ConfigPath): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  if (value !== null && value !== undefined) r.error(p, `must be a mapping, got ${describe(value)}`);
  return undefined;
}

function expectStringList(value: unknown, r: ConfigReader, p: ConfigPath): string[] | undefined {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    r.error(p, `must be a list of strings, got ${describe(value)}`);
    return undefined;
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string' && item !== '') out.push(item);
    else r.error([...p, i], `must be a non-empty string, got ${describe(item)}`);
  });
  return out;
}

function expectStringMap(value: unknown, r: ConfigReader, p: ConfigPath): Record<string, string> | undefined {
  const map = expectMap(value, r, p);
  if (!map) return value === null || value === undefined ? {} : undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else r.error([...p, k], `must be a string, got ${describe(v)}`);
  }
  return out;
}

function expectOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  r: ConfigReader,
  p: ConfigPath,
): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  r.error(p, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  return undefined;
}

/** Keys of a mapping that the section does not know: an error naming each, with a suggestion. */
function rejectUnknownKeys(
  map: Record<string, unknown>,
  known: readonly string[],
  r: ConfigReader,
  p: ConfigPath,
): void {
  for (const key of Object.keys(map)) {
    if (!known.includes(key))
      r.error([...p, key], `unknown key${suggest(key, known)}; expected one of ${known.join(', ')}`);
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

// ---------------------------------------------------------------------------------------------
// The sections.

const rulesSection: ConfigSection<Record<string, RuleConfig>> = {
  defaults: () => ({}),
  read(value, r, p) {
    const map = expectMap(value, r, p);
    const out: Record<string, RuleConfig> = {};
    for (const [id, setting] of Object.entries(map ?? {})) {
      const at = [...p, id];
      if (!r.ruleIds.has(id)) {
        r.error(at, `unknown rule id${suggest(id, r.ruleIds)}; \`shipshape rules\` lists them`);
        continue;
      }
      const parsed = readRuleSetting(setting, r, at);
      if (parsed) out[id] = parsed;
    }
    return out;
  },
};

/** `off` | `on` | `false` | `true` | a severity | `{ enabled, severity }`. */
function readRuleSetting(value: unknown, r: ConfigReader, p: ConfigPath): RuleConfig | undefined {
  if (value === 'off' || value === false) return { enabled: false };
  if (value === 'on' || value === true) return { enabled: true };
  if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) {
    return { enabled: true, severity: value as Severity };
  }
  if (isRecord(value)) {
    rejectUnknownKeys(value, ['enabled', 'severity'], r, p);
    const out: RuleConfig = { enabled: true };
    if ('enabled' in value) {
      if (typeof value.enabled === 'boolean') out.enabled = value.enabled;
      else r.error([...p, 'enabled'], `must be true or false, got ${describe(value.enabled)}`);
    }
    if ('severity' in value) {
      const severity = expectOneOf(value.severity, SEVERITIES, r, [...p, 'severity']);
      if (severity) out.severity = severity;
    }
    return out;
  }
  r.error(p, `must be off, on, ${SEVERITIES.join(', ')} or { enabled, severity }, got ${describe(value)}`);
  return undefined;
}

const excludeSection: ConfigSection<string[]> = {
  defaults: () => [],
  read: (value, r, p) => expectStringList(value, r, p) ?? [],
};

type Critical = RuleSettings['critical'];

const criticalSection: ConfigSection<Critical> = {
  defaults: () => structuredClone(DEFAULT_RULE_SETTINGS.critical),
  read(value, r, p) {
    const out = criticalSection.defaults();
    const map = expectMap(value, r, p);
    if (!map) return out;
    rejectUnknownKeys(map, ['labels', 'annotations', 'priorityClassNames'], r, p);
    // Each given key replaces its default, so that a team can narrow the selector as well as widen it.
    if ('labels' in map) out.labels = expectStringMap(map.labels, r, [...p, 'labels']) ?? out.labels;
    if ('annotations' in map) {
      out.annotations = expectStringMap(map.annotations, r, [...p, 'annotations']) ?? out.annotations;
    }
    if ('priorityClassNames' in map) {
      out.priorityClassNames =
        expectStringList(map.priorityClassNames, r, [...p, 'priorityClassNames']) ?? out.priorityClassNames;
    }
    return out;
  },
};

interface ImagesConfig {
  debugTagPatterns: string[];
}

const imagesSection: ConfigSection<ImagesConfig> = {
  defaults: () => ({ debugTagPatterns: [...DEFAULT_RULE_SETTINGS.debugTagPatterns] }),
  read(value, r, p) {
    const out = imagesSection.defaults();
    const map = expectMap(value, r, p);
    if (!map) return out;
    rejectUnknownKeys(map, ['debugTagPatterns'], r, p);
    if ('debugTagPatterns' in map) {
      const at = [...p, 'debugTagPatterns'];
      const list = expectStringList(map.debugTagPatterns, r, at);
      if (list) {
        // The rules compile these as case-insensitive regular expressions: catch typos here, by line.
        out.debugTagPatterns = list.filter((pattern, i) => {
          try {
            new RegExp(pattern, 'i');
            const slow = catastrophicBacktracking(pattern);
            if (slow) r.error([...at, i], slow);
            return !slow;
          } catch (err) {
            r.error([...at, i], `not a valid regular expression: ${(err as Error).message}`);
            return false;
          }
        });
      }
    }
    return out;
  },
};

const baselineSection: ConfigSection<string | undefined> = {
  defaults: () => undefined,
  read(value, r, p) {
    if (typeof value === 'string' && value !== '') return insideRepository(value, r, p) ? value : undefined;
    r.error(p, `must be a file name, got ${describe(value)}`);
    return undefined;
  },
};

const failOnSection: ConfigSection<FailOn | undefined> = {
  defaults: () => undefined,
  read: (value, r, p) => expectOneOf(value, FAIL_ON, r, p),
};

/**
 * Every top-level key the file may have. To add a section (`targets`, `drift`), write a
 * ConfigSection and add one line here; `Config` grows a typed field by itself.
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

/** Pure: the text of a config file -> the config and every problem, each naming key and line. */
export function parseConfig(text: string, file: string, options: ParseConfigOptions = {}): ConfigResult {
  const config = defaultConfig(options.dir ?? path.posix.dirname(file));
  config.file = file;
  const errors: InputError[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    errors.push({
      level: 'error',
      message: 'config: not a text file (a NUL byte); not read',
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
  const root: unknown = doc.toJS({ maxAliasCount: 100 });
  if (root === null || root === undefined) return { config, errors }; // an empty file is a valid config
  if (!isRecord(root)) {
    errors.push({ level: 'error', message: 'config: must be a mapping of sections', location: at(0) });
    return { config, errors };
  }
  const target = config as Record<string, unknown>;
  for (const [key, value] of Object.entries(root)) {
    const section = (SECTIONS as Record<string, ConfigSection<unknown>>)[key];
    if (!section) {
      reader.error(
        [key],
        `unknown key${suggest(key, Object.keys(SECTIONS))}; expected one of ${Object.keys(SECTIONS).join(', ')}`,
      );
      continue;
    }
    target[key] = section.read(value, reader, [key]);
  }
  return { config, errors };
}

function dotted(p: ConfigPath): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
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
    let text: string;
    try {
      text = await readFile(abs, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!options.file && code === 'ENOENT') continue; // no config file is fine
      const reason = code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message);
      return {
        config: defaultConfig(cwd),
        errors: [{ level: 'error', message: `config ${rel}: ${reason}` }],
      };
    }
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
