import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/load/yaml.js';
import { fingerprint, runRules } from '../../../src/rules/engine.js';
import { DEFAULT_RULE_SETTINGS, type Rule, type Violation } from '../../../src/rules/types.js';
import { dedent } from './helpers.js';

describe('fingerprint', () => {
  it('depends on rule, object and path only', () => {
    const a = fingerprint('r', 'Deployment/ns/a', 'spec.replicas');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('r', 'Deployment/ns/a', 'spec.replicas')).toBe(a);
    expect(fingerprint('r', 'Deployment/ns/b', 'spec.replicas')).not.toBe(a);
  });

  it('is the first 16 hex digits of the SHA-256 of its parts, so baselines and review markers keep matching', () => {
    for (const path of ['spec.replicas', 'spec.template.spec.containers[name=ünïcode].image', '']) {
      const digest = createHash('sha256').update(`r\0Deployment/ns/a\0${path}`).digest('hex');
      expect(fingerprint('r', 'Deployment/ns/a', path)).toBe(digest.slice(0, 16));
    }
    expect(fingerprint('r', 'Deployment/ns/a', 'spec.replicas')).toBe('0ce6abff3a13d093');
  });

  it("is a finding's from when it is first read, and in its JSON in the place it always had", () => {
    const [f] = run(twoPods.split('---')[0], [fake('r', 'warning', () => ({}))]);
    expect(f.fingerprint).toBe(fingerprint('r', 'Pod/a', 'spec'));
    expect(Object.keys(JSON.parse(JSON.stringify(f)))).toEqual([
      'ruleId',
      'checklist',
      'severity',
      'message',
      'remediation',
      'object',
      'path',
      'location',
      'fingerprint',
    ]);
    // Plain data to every reader: its own keys, a copy, a structured clone.
    expect(Object.keys(f)).toEqual(Object.keys(JSON.parse(JSON.stringify(f))));
    expect({ ...f }.fingerprint).toBe(f.fingerprint);
    expect(structuredClone(f)).toStrictEqual(JSON.parse(JSON.stringify(f)));
    f.removedAt = { file: 'set.yaml', line: 2, column: 1 };
    expect(JSON.parse(JSON.stringify(f))).toMatchObject({
      fingerprint: f.fingerprint,
      removedAt: f.removedAt,
    });
    expect(Object.keys(f)).not.toContain('renderedLocation');
  });
});

const example = { bad: 'kind: Pod', good: 'kind: Pod', line: 1 };

/** A rule that reports every object, with what `make` adds to the violation. */
function fake(
  id: string,
  severity: Rule['meta']['severity'],
  make: (name: string) => Partial<Violation>,
): Rule {
  return {
    meta: { id, category: 'resources', severity, title: id, why: id, fix: `fix ${id}.`, example },
    *check(ctx) {
      for (const manifest of ctx.manifests) {
        const name = manifest.object.metadata.name ?? '';
        yield { manifest, path: ['spec'], message: `${id} on ${name}`, ...make(name) };
      }
    },
  };
}

function run(yaml: string, rules: Rule[], severity?: Map<string, 'error' | 'warning' | 'info'>) {
  const { manifests } = parseManifests(dedent(yaml), 'set.yaml');
  return runRules(manifests, rules, { settings: DEFAULT_RULE_SETTINGS, severity });
}

const twoPods = `
  apiVersion: v1
  kind: Pod
  metadata: {name: a}
  spec: {}
  ---
  apiVersion: v1
  kind: Pod
  metadata: {name: b}
  spec: {}
  `;

describe('one finding per cause', () => {
  it('merges violations that share a cause into the most severe, listing the others', () => {
    const findings = run(twoPods, [
      fake('minor', 'warning', (n) => ({ cause: { key: n, also: `minor thing on ${n}` } })),
      fake('major', 'error', (n) => ({ cause: { key: n } })),
    ]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.object.name, f.message, f.remediation])).toEqual([
      ['major', 'error', 'a', 'major on a; also: minor thing on a (minor)', 'fix major. fix minor.'],
      ['major', 'error', 'b', 'major on b; also: minor thing on b (minor)', 'fix major. fix minor.'],
    ]);
  });

  it('leads with the earlier rule among equally severe ones, and the first object loaded', () => {
    const findings = run(twoPods, [
      fake('first', 'warning', () => ({ cause: { key: 'one' } })),
      fake('second', 'warning', () => ({ cause: { key: 'one' } })),
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'first on a; also: first on b; second on a (second); second on b (second)',
    ]);
  });

  it('leads with the first object loaded even when a later one is located first', () => {
    // Pod a uses an alias, so it is located by parsing it again, after every rule has run; Pod b
    // is located as it is raised. The lead is still a's, and the members keep document order.
    const aliased = twoPods.replace('spec: {}', 'spec: &s {x: 1}\n  status: *s');
    const { manifests } = parseManifests(dedent(aliased), 'set.yaml');
    expect(manifests.map((m) => m.locatesQuickly?.())).toEqual([false, true]);
    // The rules raise in reverse document order, as a rule walking an index may.
    const reversed = (rule: Rule): Rule => ({
      ...rule,
      check: (ctx) => [...rule.check({ ...ctx, manifests: [...ctx.manifests].reverse() })],
    });
    const findings = run(aliased, [
      reversed(fake('first', 'warning', () => ({ cause: { key: 'one' } }))),
      reversed(fake('second', 'warning', () => ({ cause: { key: 'one' } }))),
    ]);
    expect(findings.map((f) => [f.object.name, f.location.line, f.message])).toEqual([
      ['a', 4, 'first on a; also: first on b; second on a (second); second on b (second)'],
    ]);
  });

  it.each([3, 12])('lists the others in rank order however they arrive (%i objects)', (n) => {
    // Few members are put in order by hand, many by sort: both read the same.
    const pods = Array.from(
      { length: n },
      (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {}`,
    ).join('\n---\n');
    const reversed = (rule: Rule): Rule => ({
      ...rule,
      check: (ctx) => [...rule.check({ ...ctx, manifests: [...ctx.manifests].reverse() })],
    });
    const [f, ...rest] = run(pods, [
      reversed(fake('first', 'warning', () => ({ cause: { key: 'one' } }))),
      reversed(fake('second', 'error', () => ({ cause: { key: 'one' } }))),
    ]);
    expect(rest).toEqual([]);
    const others = [
      ...Array.from({ length: n - 1 }, (_, i) => `second on p${i + 1}`),
      ...Array.from({ length: n }, (_, i) => `first on p${i} (first)`),
    ];
    const more = others.length > 5 ? `; and ${others.length - 5} more` : '';
    expect(f.message).toBe(`second on p0; also: ${others.slice(0, 5).join('; ')}${more}`);
    expect(f.remediation).toBe('fix second. fix first.');
  });

  it('names five others at most, then counts the rest', () => {
    const pods = Array.from(
      { length: 8 },
      (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {}`,
    ).join('\n---\n');
    const [f, ...rest] = run(pods, [fake('r', 'warning', () => ({ cause: { key: 'same' } }))]);
    expect(rest).toEqual([]);
    expect(f.message).toBe('r on p0; also: r on p1; r on p2; r on p3; r on p4; r on p5; and 2 more');
  });

  it('merges sameLine causes only on the same line a human edits', () => {
    const findings = run(twoPods, [fake('r', 'warning', () => ({ cause: { key: 'img', sameLine: true } }))]);
    expect(findings.map((f) => f.message)).toEqual(['r on a', 'r on b']);
  });

  it('leaves a violation on its own when its object suppresses its rule', () => {
    const suppressed = twoPods.replace('{name: b}', '{name: b, annotations: {shipshape.io/ignore.r: "why"}}');
    const findings = run(suppressed, [fake('r', 'warning', () => ({ cause: { key: 'same' } }))]);
    expect(findings.map((f) => f.message)).toEqual(['r on a', 'r on b']);
  });
});

describe('severity of one violation', () => {
  it('can lower the rule severity, never raise it, and applies after the config', () => {
    const rules = [fake('r', 'warning', (n) => (n === 'a' ? { severity: 'info' } : { severity: 'error' }))];
    expect(run(twoPods, rules).map((f) => f.severity)).toEqual(['info', 'warning']);
    expect(run(twoPods, rules, new Map([['r', 'error']])).map((f) => f.severity)).toEqual(['info', 'error']);
  });
});
