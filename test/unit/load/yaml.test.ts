import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseManifests, splitDocuments } from '../../../src/load/yaml.js';

const deployment = [
  'apiVersion: apps/v1', // 1
  'kind: Deployment', // 2
  'metadata:', // 3
  '  name: web', // 4
  '  namespace: shop', // 5
  'spec:', // 6
  '  template:', // 7
  '    spec:', // 8
  '      containers:', // 9
  '        - name: app', // 10
  '          image: shop/web:1.2.3', // 11
  '          resources:', // 12
  '            requests:', // 13
  '              cpu: 100m', // 14
  '        - name: sidecar', // 15
  '          image: envoy:1', // 16
].join('\n');

describe('parseManifests', () => {
  it('locates keys exactly, and absent fields at the nearest parent', () => {
    const { manifests, errors } = parseManifests(deployment, 'web.yaml');
    expect(errors).toEqual([]);
    const [m] = manifests;
    expect(m.ref).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    const c = ['spec', 'template', 'spec', 'containers'];
    expect(m.locate([...c, 0, 'image'])).toEqual({ file: 'web.yaml', line: 11, column: 11 });
    expect(m.locate([...c, 0, 'resources', 'requests', 'cpu'])).toMatchObject({ line: 14, column: 15 });
    // limits is absent: the nearest parent that exists is `resources`
    expect(m.locate([...c, 0, 'resources', 'limits', 'memory'])).toMatchObject({ line: 12 });
    // the second container has no resources at all: its `- name:` line
    expect(m.locate([...c, 1, 'resources', 'limits'])).toMatchObject({ line: 15, column: 11 });
    // a missing top-level field falls back to the document start
    expect(m.locate(['status'])).toMatchObject({ line: 1, column: 1 });
  });

  it('keeps lines right with CRLF, a BOM, comments and several documents', () => {
    const text = `\uFEFF# leading comment\r\n---\r\n${deployment.split('\n').join('\r\n')}\r\n---\r\n# only a comment\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: cfg\r\n`;
    const { manifests, errors } = parseManifests(text, 'multi.yaml');
    expect(errors).toEqual([]);
    expect(manifests.map((m) => m.ref.kind)).toEqual(['Deployment', 'ConfigMap']);
    expect(manifests[0].locate(['spec', 'template', 'spec', 'containers', 0, 'image']).line).toBe(13);
    expect(manifests[1].locate(['metadata', 'name'])).toMatchObject({ line: 25, column: 3 });
    // the leading comment belongs to the first document; the comment-only document counts
    expect(manifests[1].doc).toBe(2);
  });

  it('unwraps List kinds and locates items inside them', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata:',
      '    name: a',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata:',
      '    name: b',
    ].join('\n');
    const { manifests } = parseManifests(text, 'list.yaml');
    expect(manifests.map((m) => `${m.ref.kind}/${m.ref.name}`)).toEqual(['Service/a', 'ConfigMap/b']);
    expect(manifests[1].locate(['metadata', 'name'])).toMatchObject({ line: 11, column: 5 });
    expect(manifests[1].locate(['spec'])).toMatchObject({ line: 8, column: 3 });
  });

  it('follows anchors and merge keys, and locates aliased values at their anchor', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  labels: &labels',
      '    app: shop',
      'spec:',
      '  containers:',
      '    - name: app',
      '      image: shop:1',
      '      env: &env',
      '        - name: A',
      '          value: "1"',
      '    - name: b',
      '      image: shop:1',
      '      env: *env',
    ].join('\n');
    const { manifests, errors } = parseManifests(text, 'anchors.yaml');
    expect(errors).toEqual([]);
    const spec = manifests[0].object.spec as { containers: { env: { name: string }[] }[] };
    expect(spec.containers[1].env[0].name).toBe('A');
    expect(manifests[0].locate(['spec', 'containers', 1, 'env', 0, 'value'])).toMatchObject({ line: 13 });
  });

  it('reports a syntax error with its line and goes on with the other documents', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n';
    const { manifests, errors } = parseManifests(text, 'broken.yaml');
    expect(manifests.map((m) => m.ref.name)).toEqual(['ok', 's']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ level: 'error', location: { file: 'broken.yaml' } });
    expect(errors[0].location!.line).toBeGreaterThanOrEqual(8);
    expect(errors[0].location!.line).toBeLessThanOrEqual(9);
    expect(errors[0].message).toMatch(/^YAML syntax error: /);
  });

  it('notes documents that are not Kubernetes objects, naming what is missing', () => {
    const { manifests, errors } = parseManifests(
      'replicaCount: 3\nimage:\n  tag: x\n---\n- a\n- b\n',
      'values.yaml',
    );
    expect(manifests).toEqual([]);
    expect(errors).toEqual([
      {
        level: 'note',
        message: 'not a Kubernetes object (no apiVersion and kind); skipped',
        location: { file: 'values.yaml', line: 1, column: 1 },
      },
      {
        level: 'note',
        message: 'document 2 is not a mapping; skipped',
        location: { file: 'values.yaml', line: 5, column: 1 },
      },
    ]);
  });

  it('bounds alias expansion (billion laughs) with a clear error', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n`;
    const started = Date.now();
    const { manifests, errors } = parseManifests(text, 'bomb.yaml');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(manifests.map((m) => m.ref.name)).toEqual(['fine']);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/alias/i);
    expect(errors[0].location).toMatchObject({ file: 'bomb.yaml', line: 1 });
  });

  it('reads YAML 1.1 booleans as kubectl does', () => {
    const { manifests } = parseManifests(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: yes\n  hostPID: off\n',
      'p.yaml',
    );
    expect(manifests[0].object.spec).toEqual({ hostNetwork: true, hostPID: false });
  });
});

describe('parseManifests properties', () => {
  // YAML 1.1 (what kubectl reads) turns keys such as `y`, `on` or `null` into booleans and nulls.
  const yaml11Words = /^(y|n|yes|no|on|off|true|false|null)$/;
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((k) => !yaml11Words.test(k));
  const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean());

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const r = parseManifests(text, 'fuzz.yaml');
        for (const e of r.errors) {
          if (e.location) expect(e.location.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('locates every generated key on the line it was written', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, scalar), { minLength: 1, maxLength: 12, selector: ([k]) => k }),
        fc.boolean(),
        (entries, crlf) => {
          const header = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: gen', 'data:'];
          const body = entries.map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
          const text = [...header, ...body].join(crlf ? '\r\n' : '\n');
          const { manifests, errors } = parseManifests(text, 'gen.yaml');
          expect(errors).toEqual([]);
          entries.forEach(([k, v], i) => {
            expect(manifests[0].locate(['data', k])).toEqual({
              file: 'gen.yaml',
              line: header.length + i + 1,
              column: 3,
            });
            expect((manifests[0].object.data as Record<string, unknown>)[k]).toEqual(v);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('says so when a document that does not parse holds template tags, and keeps it an error', () => {
    const jinja = parseManifests(
      '{% raw %}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'docs/snippet.yaml',
    );
    expect(jinja.errors).toHaveLength(1);
    expect(jinja.errors[0].level).toBe('error');
    expect(jinja.errors[0].message).toMatch(
      /^YAML syntax error: .*\(it holds template tags, \{% … %\}: .*exclude/,
    );
    const go = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
      'templates/cm.yaml',
    );
    expect(go.errors[0].message).toMatch(/template tags, \{\{ … \}\}/);
    // A broken document without template tags gets the plain message.
    expect(parseManifests('a: [\n', 'x.yaml').errors[0].message).not.toMatch(/template/);
  });

  it('a syntax error in one document never loses the valid documents around it', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (broken) => {
        const docs = broken.map((bad, i) =>
          bad
            ? `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x${i}\n`
            : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`,
        );
        const { manifests } = parseManifests(docs.join('---\n'), 'mixed.yaml');
        const want = broken.flatMap((bad, i) => (bad ? [] : [`c${i}`]));
        expect(manifests.map((m) => m.ref.name)).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });
});

describe('scalars as the API server sees them', () => {
  const data = (yaml: string) =>
    parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${yaml}`, 'c.yaml')
      .manifests[0].object.data as Record<string, unknown>;

  it('keeps exponent-looking words and dates as strings', () => {
    expect(data('  e0: x\n  created: 2026-11-21\n')).toEqual({ e0: 'x', created: '2026-11-21' });
  });

  it('reads numbers with exponents as numbers', () => {
    expect(data('  a: 1.5e+3\n  b: 2.5E-1\n')).toEqual({ a: 1500, b: 0.25 });
  });

  it('points an unclosed bracket or quote at where it opens', () => {
    const bad = (body: string) =>
      parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${body}`, 'u.yaml')
        .errors;
    expect(bad('  a: [1, 2\n  b: 3\n')).toEqual([
      {
        level: 'error',
        message: 'YAML syntax error: unclosed [',
        location: { file: 'u.yaml', line: 6, column: 6 },
      },
    ]);
    expect(bad('  a: "open\n\n# note\nb: 1\n')[0]).toMatchObject({
      message: 'YAML syntax error: unclosed quote',
      location: { line: 6, column: 6 },
    });
  });
});

describe('splitDocuments', () => {
  /** Every line read: the plain statement of the rule the fast scan must keep. */
  function reference(text: string): { start: number; end: number }[] {
    const chunks: { start: number; end: number }[] = [];
    let start = 0;
    let hasContent = false;
    for (let pos = 0; pos < text.length; ) {
      const nl = text.indexOf('\n', pos);
      const next = nl < 0 ? text.length : nl + 1;
      const line = text.slice(pos, nl < 0 ? text.length : nl).replace(/\r$/, '');
      if (/^---(\s|$)/.test(line)) {
        if (hasContent) chunks.push({ start, end: pos });
        if (hasContent) start = pos;
        hasContent = true;
      } else if (/^\.\.\.(\s|$)/.test(line)) {
        if (hasContent) chunks.push({ start, end: next });
        start = next;
        hasContent = false;
      } else if (!hasContent && !/^\s*(#.*)?$/.test(line) && !line.startsWith('%')) {
        hasContent = true;
      }
      pos = next;
    }
    if (hasContent) chunks.push({ start, end: text.length });
    return chunks;
  }

  it('splits at the markers a line-by-line reading finds, whatever the lines', () => {
    const line = fc.constantFrom(
      '---',
      '--- # c',
      '---x',
      '...',
      '... ',
      '..',
      '- item',
      '-',
      '.hidden: 1',
      '# comment',
      '',
      '  ',
      '%YAML 1.2',
      'kind: Pod',
      '  name: x',
      '---\r',
      '...\r',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), (lines, trailing) => {
        const text = lines.join('\n') + (trailing ? '\n' : '');
        expect(splitDocuments(text)).toEqual(reference(text));
      }),
      { seed: 12, numRuns: 2000 },
    );
  });
});
