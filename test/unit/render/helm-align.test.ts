import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../../../src/model/concurrency.js';
import { align, defineTable } from '../../../src/render/helm-align.js';
import { parseTemplate } from '../../../src/render/helm-template.js';

/** The aligner's promises hold for any input, not only for charts that render. */

const templateLine = fc.oneof(
  fc.constantFrom(
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  {{- if .Values.x }}',
    '  {{- end }}',
    '  {{- range .Values.items }}',
    '  - name: {{ .name }}',
    '  {{- toYaml .Values.r | nindent 4 }}',
    '  {{- include "x.labels" . | nindent 4 }}',
    '{{/* a comment }} */}}',
    '  labels:',
    '',
  ),
  fc.string({ maxLength: 30 }),
);
const renderedLine = fc.oneof(
  fc.constantFrom(
    'spec:',
    '  replicas: 3',
    '  - name: a',
    '    limits:',
    '      cpu: 1',
    '  labels:',
    '',
    '---',
  ),
  fc.string({ maxLength: 30 }),
);

describe('align', () => {
  it('gives every rendered line an origin on a line the template (or its defines) has', () => {
    fc.assert(
      fc.property(
        fc.array(templateLine, { maxLength: 40 }),
        fc.array(renderedLine, { maxLength: 60 }),
        (t, r) => {
          const text = t.join('\n');
          const helpers = '{{- define "x.labels" -}}\napp: {{ .Chart.Name }}\n{{- end }}\n';
          const origins = align(
            r,
            parseTemplate('t.yaml', text).template,
            defineTable([{ file: 'h.tpl', text: helpers }]),
          );
          expect(origins).toHaveLength(r.length);
          for (const o of origins) {
            const max = o.file === 'h.tpl' ? helpers.split('\n').length : Math.max(1, t.length);
            expect(o.line).toBeGreaterThanOrEqual(1);
            expect(o.line).toBeLessThanOrEqual(max);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays bounded on huge output, still mapping to lines that exist', () => {
    // 200 template lines x 20,000 rendered lines: past the table limit, so the greedy pass runs.
    const filler = Array.from({ length: 200 }, (_, i) => `# note ${i}`).join('\n');
    const text = `items:\n{{- range .Values.items }}\n  - name: {{ . }}\n{{- end }}\n${filler}\n`;
    const template = parseTemplate('t.yaml', text).template;
    const rendered = [
      'items:',
      ...Array.from({ length: 20_000 }, (_, i) => `  - name: item-${i}`),
      '# note 7',
    ];
    const started = Date.now();
    const origins = align(rendered, template, new Map());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(origins[0]).toMatchObject({ line: 1, kind: 'lit' });
    expect(origins[5000]).toMatchObject({ line: 3, kind: 'lit' });
    expect(origins[20_001]).toMatchObject({ line: 12, kind: 'lit' });
  });
});

describe('mapConcurrent', () => {
  it('keeps at most `limit` jobs in flight and the results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapConcurrent(
      Array.from({ length: 12 }, (_, i) => i),
      async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
        inFlight--;
        return i * 2;
      },
      3,
    );
    expect(peak).toBe(3);
    expect(out).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));
  });
});

describe('line patterns', () => {
  it('match a line of many actions at once, with no backtracking', () => {
    const actions = Array.from({ length: 60 }, (_, i) => `{{ .Values.a${i} }}`).join('');
    const text = `    ${actions}0${actions}2${actions}`;
    const { nodes } = parseTemplate('t.yaml', text).template;
    const lit = nodes.find((n) => n.type === 'lit')!;
    const started = performance.now();
    expect(lit.pattern!.test(`    ${'x'.repeat(5000)}`)).toBe(false);
    expect(lit.pattern!.test(`    ${'x'.repeat(50)}0${'y'.repeat(50)}2z`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('keep indentation exact, blanks before an action optional and trailing blanks free', () => {
    const pattern = (line: string) =>
      parseTemplate('t.yaml', line).template.nodes.find((n) => n.type === 'lit')!.pattern!;
    expect(pattern('  livenessProbe: {{ toYaml . | nindent 4 }}').test('  livenessProbe:')).toBe(true);
    expect(pattern('  livenessProbe: {{ toYaml . | nindent 4 }}').test('    livenessProbe:')).toBe(false);
    expect(pattern('  image: "{{ .a }}:{{ .b }}"').test('  image: "x:y"   ')).toBe(true);
    expect(pattern('  image: "{{ .a }}:{{ .b }}"').test('  image: "xy"')).toBe(false);
    expect(pattern('  replicas: 3').test('  replicas: 3')).toBe(true);
    expect(pattern('  replicas: 3').test('  replicas: 30')).toBe(false);
  });
});
