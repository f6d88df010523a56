import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig, parseConfig, ruleSelectionOf } from '../../../src/config/index.js';
import { DEFAULT_RULE_SETTINGS } from '../../../src/rules/types.js';

const RULE_IDS = ['image-tag-latest', 'replicas-minimum', 'suppression-unused'];
const parse = (text: string) => parseConfig(text, '.shipshape.yaml', { ruleIds: RULE_IDS });

/** The errors as `line:column message`, for exact assertions. */
function errorsOf(text: string): string[] {
  return parse(text).errors.map((e) => `${e.location?.line}:${e.location?.column} ${e.message}`);
}

describe('parseConfig', () => {
  it('reads every section', () => {
    const { config, errors } = parse(`
rules:
  image-tag-latest: off
  replicas-minimum: warning
  suppression-unused: { severity: error }
exclude: ["charts/**", "*.generated.yaml"]
critical:
  labels: { tier: critical }
  priorityClassNames: [business-critical]
images:
  debugTagPatterns: ["-debug$", "^tmp-"]
baseline: .shipshape-baseline.json
failOn: warning
`);
    expect(errors).toEqual([]);
    expect(config.rules).toEqual({
      'image-tag-latest': { enabled: false },
      'replicas-minimum': { enabled: true, severity: 'warning' },
      'suppression-unused': { enabled: true, severity: 'error' },
    });
    expect(config.exclude).toEqual(['charts/**', '*.generated.yaml']);
    // A given key replaces its default; keys not given keep theirs.
    expect(config.critical.labels).toEqual({ tier: 'critical' });
    expect(config.critical.annotations).toEqual(DEFAULT_RULE_SETTINGS.critical.annotations);
    expect(config.critical.priorityClassNames).toEqual(['business-critical']);
    expect(config.images.debugTagPatterns).toEqual(['-debug$', '^tmp-']);
    expect(config.baseline).toBe('.shipshape-baseline.json');
    expect(config.failOn).toBe('warning');
    expect(config.file).toBe('.shipshape.yaml');
  });

  it('accepts an empty file and a file of comments', () => {
    expect(parse('').errors).toEqual([]);
    expect(parse('# nothing yet\n').config.rules).toEqual({});
  });

  it('names an unknown top-level key and its line, with a suggestion', () => {
    const errors = errorsOf('failOn: error\nexlude: [x]\n');
    expect(errors).toHaveLength(1);
    // Other features add sections of their own after these.
    expect(errors[0]).toMatch(
      /^2:1 config: exlude: unknown key \(did you mean "exclude"\?\); expected one of rules, exclude, critical, images, baseline, failOn\b/,
    );
  });

  it('names an unknown rule id and its line', () => {
    expect(errorsOf('rules:\n  image-tag-latest: off\n  image-tag-lates: warning\n')).toEqual([
      '3:3 config: rules.image-tag-lates: unknown rule id (did you mean "image-tag-latest"?); `shipshape rules` lists them',
    ]);
  });

  it('rejects bad rule settings, naming the nested key', () => {
    const errors = errorsOf(`
rules:
  image-tag-latest: loud
  replicas-minimum: { severity: fatal, enabled: maybe, colour: red }
`);
    expect(errors).toEqual([
      '3:3 config: rules.image-tag-latest: must be off, on, error, warning, info or { enabled, severity }, got string "loud"',
      '4:56 config: rules.replicas-minimum.colour: unknown key; expected one of enabled, severity',
      '4:40 config: rules.replicas-minimum.enabled: must be true or false, got string "maybe"',
      '4:23 config: rules.replicas-minimum.severity: must be one of error, warning, info, got string "fatal"',
    ]);
  });

  it('checks types of lists, maps and enums with the line of the offending item', () => {
    const errors = errorsOf(`
exclude:
  - ok/**
  - 42
critical:
  labels: [a, b]
  team: payments
images:
  debugTagPatterns: ["(unclosed"]
failOn: sometimes
baseline: { file: x }
`);
    expect(errors).toEqual([
      '4:5 config: exclude[1]: must be a non-empty string, got number 42',
      '7:3 config: critical.team: unknown key; expected one of labels, annotations, priorityClassNames',
      '6:3 config: critical.labels: must be a mapping of key: value, got a list',
      expect.stringMatching(/^9:22 config: images\.debugTagPatterns\[0\]: not a valid regular expression: /),
      '10:1 config: failOn: must be one of error, warning, info, never, got string "sometimes"',
      '11:1 config: baseline: must be a file name, got a mapping',
    ]);
  });

  it('keeps the valid rest of the file when one key is wrong', () => {
    const { config, errors } = parse('rules:\n  nope: off\n  replicas-minimum: info\nfailOn: never\n');
    expect(errors).toHaveLength(1);
    expect(config.rules).toEqual({ 'replicas-minimum': { enabled: true, severity: 'info' } });
    expect(config.failOn).toBe('never');
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(errorsOf('rules:\n  a: [\n')[0]).toMatch(/^\d+:\d+ config: YAML syntax error: /);
    const dup = errorsOf('failOn: error\nfailOn: info\n');
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatch(/^2:1 config: YAML syntax error: .*unique/);
  });

  it('rejects a file that is not a mapping', () => {
    expect(errorsOf('- rules\n')).toEqual(['1:1 config: must be a mapping of sections']);
  });

  it('knows the built-in rule ids by default', () => {
    const { errors } = parseConfig('rules:\n  suppression-expired: off\n', '.shipshape.yaml');
    expect(errors).toEqual([]);
  });
});

describe('ruleSelectionOf', () => {
  it('turns rule settings into the engine options', () => {
    const { config } = parse('rules:\n  image-tag-latest: off\n  replicas-minimum: info\n');
    const sel = ruleSelectionOf(config);
    expect([...sel.disabled]).toEqual(['image-tag-latest']);
    expect([...sel.severity]).toEqual([['replicas-minimum', 'info']]);
    expect(sel.settings.debugTagPatterns).toEqual(DEFAULT_RULE_SETTINGS.debugTagPatterns);
  });

  it('defaults match the rule defaults', () => {
    const sel = ruleSelectionOf(defaultConfig());
    expect(sel.settings).toEqual(DEFAULT_RULE_SETTINGS);
    expect(sel.disabled.size).toBe(0);
  });
});

describe('loadConfig', () => {
  it('finds .shipshape.yaml in the working directory, and is fine without one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shipshape-config-'));
    expect(await loadConfig({ cwd: dir })).toEqual({ config: defaultConfig(dir), errors: [] });
    await writeFile(path.join(dir, '.shipshape.yaml'), 'failOn: warning\n');
    const { config, errors } = await loadConfig({ cwd: dir });
    expect(errors).toEqual([]);
    expect(config.failOn).toBe('warning');
    expect(config.file).toBe('.shipshape.yaml');
    expect(config.dir).toBe(dir);
  });

  it('reports a missing --config file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shipshape-config-'));
    const { errors } = await loadConfig({ cwd: dir, file: 'ci/shipshape.yaml' });
    expect(errors).toEqual([{ level: 'error', message: 'config ci/shipshape.yaml: no such file' }]);
  });
});
