import { createHash } from 'node:crypto';
import fc from 'fast-check';
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

describe('one finding per cause, against a plain model of it', () => {
  // Every violation of a run, merged the simple way: all of a cause's members kept with their
  // document and raised order, sorted, the first leading. The engine keeps less (members of one
  // document as shared chains) and must say exactly the same.
  const SEVERITIES = ['error', 'warning', 'info'] as const;
  const RANKS = { error: 3, warning: 2, info: 1 };

  interface Plan {
    docs: number;
    /** Documents located by parsing them again (an alias): their violations are merged last. */
    aliased: boolean[];
    rules: {
      severity: (typeof SEVERITIES)[number];
      /** The order the rule visits the documents in. */
      order: number[];
      /** Per document: the violations raised there (cause key, also, own fix, lower severity). */
      raises: { key?: string; also?: string; fix?: string; lower?: 'info' }[][];
    }[];
  }

  const plan: fc.Arbitrary<Plan> = fc.integer({ min: 1, max: 5 }).chain((docs) =>
    fc.record({
      docs: fc.constant(docs),
      aliased: fc.array(fc.boolean(), { minLength: docs, maxLength: docs }),
      rules: fc.array(
        fc.record({
          severity: fc.constantFrom(...SEVERITIES),
          order: fc.shuffledSubarray([...Array(docs).keys()], { minLength: docs, maxLength: docs }),
          raises: fc.array(
            fc.array(
              fc.record(
                {
                  // s0 and s1 are sameLine causes: each document's violations sit on its own line.
                  key: fc.constantFrom('k0', 'k1', 'k2', 's0', 's1'),
                  also: fc.constantFrom('a', 'b', 'c'),
                  fix: fc.constantFrom('fix one.', 'fix two.'),
                  lower: fc.constant('info' as const),
                },
                { requiredKeys: ['key'] },
              ),
              { maxLength: 3 },
            ),
            { minLength: docs, maxLength: docs },
          ),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    }),
  );

  function rulesOf(p: Plan): Rule[] {
    return p.rules.map((r, i) => ({
      meta: {
        id: `r${i}`,
        category: 'resources',
        severity: r.severity,
        title: 'r',
        why: 'r',
        fix: `fix r${i}.`,
        example,
      },
      *check(ctx) {
        for (const d of r.order) {
          for (const [j, x] of r.raises[d].entries()) {
            yield {
              manifest: ctx.manifests[d],
              path: ['spec'],
              message: `r${i} on p${d} #${j}`,
              ...(x.fix && { remediation: x.fix }),
              ...(x.lower && { severity: x.lower }),
              cause: {
                key: x.key!,
                ...(x.key!.startsWith('s') && { sameLine: true }),
                ...(x.also && { also: `${x.also} of r${i}` }),
              },
            };
          }
        }
      },
    }));
  }

  function model(p: Plan): string[] {
    interface M {
      sev: number;
      ruleOrder: number;
      doc: number;
      seq: number;
      ruleId: string;
      message: string;
      text: string;
      fix: string;
    }
    const groups = new Map<string, M[]>();
    let seq = 0;
    p.rules.forEach((r, i) => {
      for (const d of r.order) {
        for (const [j, x] of r.raises[d].entries()) {
          const severity = x.lower && RANKS[x.lower] < RANKS[r.severity] ? x.lower : r.severity;
          const message = `r${i} on p${d} #${j}`;
          const m = {
            sev: RANKS[severity],
            ruleOrder: i,
            doc: d,
            seq: seq++,
            ruleId: `r${i}`,
            message,
            text: x.also ? `${x.also} of r${i}` : message,
            fix: x.fix ?? `fix r${i}.`,
          };
          const key = x.key!.startsWith('s') ? `${x.key} on p${d}` : x.key!;
          const list = groups.get(key) ?? [];
          list.push(m);
          groups.set(key, list);
        }
      }
    });
    const out: string[] = [];
    for (const list of groups.values()) {
      list.sort((a, b) => b.sev - a.sev || a.ruleOrder - b.ruleOrder || a.doc - b.doc || a.seq - b.seq);
      const [lead, ...rest] = list;
      let message = lead.message;
      if (rest.length > 0) {
        const named = rest
          .slice(0, 5)
          .map((m) => (m.ruleId === lead.ruleId ? m.text : `${m.text} (${m.ruleId})`));
        message += `; also: ${named.join('; ')}${rest.length > 5 ? `; and ${rest.length - 5} more` : ''}`;
      }
      const fixes = [...new Set([lead.fix, ...rest.map((m) => m.fix)])].join(' ');
      const severity = SEVERITIES[3 - lead.sev];
      out.push(JSON.stringify([lead.ruleId, severity, `p${lead.doc}`, message, fixes]));
    }
    return out.sort();
  }

  it('merges as the model does, however the rules raise', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const pods = Array.from({ length: p.docs }, (_, d) =>
          p.aliased[d]
            ? `apiVersion: v1\nkind: Pod\nmetadata: {name: p${d}}\nspec: &s {x: 1}\nstatus: *s`
            : `apiVersion: v1\nkind: Pod\nmetadata: {name: p${d}}\nspec: {}`,
        );
        const { manifests } = parseManifests(pods.join('\n---\n'), 'set.yaml');
        expect(manifests.map((m) => m.locatesQuickly?.() === false)).toEqual(p.aliased);
        const findings = runRules(manifests, rulesOf(p), { settings: DEFAULT_RULE_SETTINGS });
        const got = findings.map((f) =>
          JSON.stringify([f.ruleId, f.severity, f.object.name, f.message, f.remediation]),
        );
        expect(got.sort()).toEqual(model(p));
      }),
      { seed: 21, numRuns: 600 },
    );
  });
});
