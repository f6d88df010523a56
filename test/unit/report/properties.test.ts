import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/types.js';
import { escapeData, escapeProperty } from '../../../src/report/github.js';
import { cell } from '../../../src/report/markdown.js';
import { formatBaseline, parseBaseline } from '../../../src/rules/baseline.js';
import { fingerprint } from '../../../src/rules/engine.js';

/** The runner's own decoding of workflow command values (the inverse of the toolkit's escaping). */
function decodeCommandValue(s: string): string {
  return s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

/** Text dense in the characters that matter, and in sequences that look escaped already (`%0A`). */
const tricky = fc.string({ unit: fc.constantFrom(...'%\r\n:,|<>`aZ0A3D2C5é '.split('')), maxLength: 40 });

describe('escaping, for any text', () => {
  it('workflow command properties never contain a raw separator and decode back', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string()), (s) => {
        const e = escapeProperty(s);
        expect(e).not.toMatch(/[\r\n:,]/);
        expect(decodeCommandValue(e)).toBe(s);
      }),
    );
  });

  it('workflow command messages stay on one line and decode back', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string()), (s) => {
        const e = escapeData(s);
        expect(e).not.toMatch(/[\r\n]/);
        expect(decodeCommandValue(e)).toBe(s);
      }),
    );
  });

  it('markdown cells never end a table row or open a tag', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string()), (s) => {
        const c = cell(s);
        expect(c.replace(/\\\|/g, '')).not.toContain('|');
        expect(c.replace(/<br>/g, '')).not.toMatch(/[<>\n]/);
      }),
    );
  });
});

const finding = fc
  .record({
    name: fc.constantFrom('api', 'worker', 'db', 'web'),
    ruleId: fc.constantFrom('replicas-minimum', 'image-tag-latest', 'security-privileged'),
    path: fc.constantFrom('spec.replicas', 'spec.template.spec.containers[name=app].image'),
    line: fc.integer({ min: 1, max: 500 }),
  })
  .map(
    ({ name, ruleId, path, line }): Finding => ({
      ruleId,
      checklist: 'replicas',
      severity: 'error',
      message: 'm',
      remediation: 'r',
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name },
      path,
      location: { file: 'a.yaml', line, column: 1 },
      fingerprint: fingerprint(ruleId, `Deployment/shop/${name}`, path),
    }),
  );

describe('baseline files, for any findings', () => {
  it('are the same whatever the order and lines, and hold exactly the fingerprints', () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 40 }), (findings) => {
        const text = formatBaseline(findings);
        const moved = [...findings]
          .reverse()
          .map((f) => ({ ...f, location: { ...f.location, line: f.location.line + 7 } }));
        expect(formatBaseline(moved)).toBe(text);
        const { fingerprints, errors } = parseBaseline(text, 'b.json');
        expect(errors).toEqual([]);
        expect([...fingerprints].sort()).toEqual([...new Set(findings.map((f) => f.fingerprint))].sort());
      }),
    );
  });
});
