import fc from 'fast-check';
import { parseEvents } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { locateByOrder, locateOffset, preorderOffsets, readTree } from '../../../src/load/positions.js';
import { parseManifests } from '../../../src/load/yaml.js';
import type { PathSegment } from '../../../src/model/types.js';

/** Every concrete path in a value, and a few that go one step past what exists. */
function allPaths(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const out: PathSegment[][] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...allPaths(v, [...prefix, i]));
    });
    out.push([...prefix, value.length]);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push(...allPaths(v, [...prefix, k]));
    out.push([...prefix, 'absent']);
  }
  return out;
}

/** The fast path (offsets kept from the parse) must agree with a fresh walk of the text's shape. */
function agree(text: string) {
  const { manifests, errors } = parseManifests(text, 't.yaml');
  expect(errors.filter((e) => e.level === 'error')).toEqual([]);
  const events = parseEvents(text, {});
  const order = preorderOffsets(events, text);
  const tree = readTree(events, text)!;
  const root = manifests[0]?.object;
  if (!order || !root) return;
  for (const path of allPaths(root)) {
    expect(locateByOrder(order, root, path), JSON.stringify(path)).toBe(locateOffset(tree, path));
  }
}

/** A List's items, each located from where it starts, agree with a fresh walk of the whole List. */
function agreeInList(text: string) {
  const { manifests } = parseManifests(text, 'l.yaml');
  const tree = readTree(parseEvents(text, {}), text)!;
  const at = (offset: number) => {
    const before = text.slice(0, offset);
    return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  };
  manifests.forEach((m, i) => {
    // Twice: the second answer comes from the start found by the first.
    for (const round of [1, 2]) {
      for (const path of allPaths(m.object)) {
        expect(m.locate(path), `${round} items[${i}] ${JSON.stringify(path)}`).toMatchObject(
          at(locateOffset(tree, ['items', i, ...path])),
        );
      }
    }
  });
}

describe('locating by parse order', () => {
  it('locates the items of a List from where each starts', () => {
    const item = (n: number, flow: boolean) =>
      flow
        ? `  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c${n}}, data: {a: "1", b: [x, y]}}`
        : `  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: d${n}}\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: nginx}, {name: s, image: "x:1"}]`;
    const items = Array.from({ length: 40 }, (_, n) => item(n, n % 3 === 0));
    agreeInList(`apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`);
  });

  it('agrees with the document shape on a realistic manifest', () => {
    agree(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, "quoted key": 'x'}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: web:1
          args: [--port, "8080"]
          env:
            - {name: A, value: "1"}
            - name: B
              valueFrom:
                secretKeyRef: {name: s, key: b}
          resources: {}
        - name: sidecar
          command:
          - sh
          - -c
          - |
            echo hi
      volumes: []
`);
  });

  it('agrees on generated documents', () => {
    const key = fc
      .stringMatching(/^[a-z][a-zA-Z0-9-]{0,8}$/)
      .filter((k) => !/^(y|n|yes|no|on|off|true|false|null)$/.test(k));
    const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('map')),
      list: fc.array(tie('tree'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), fc.boolean(), (spec, flow) => {
        const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'g' }, spec };
        agree(toYaml(doc, flow));
      }),
      { numRuns: 150 },
    );
  });

  it('gives way to a fresh parse for values changed after parsing, aliases and integer-like keys', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a: "1"\n    b: "2"\ndata:\n  x: y\n';
    const [m] = parseManifests(text, 'c.yaml').manifests;
    delete m.object.metadata.annotations!.a; // as the render layer strips Kustomize's annotations
    expect(m.locate(['data', 'x'])).toMatchObject({ line: 9, column: 3 });
    expect(m.locate(['metadata', 'annotations', 'b'])).toMatchObject({ line: 7, column: 5 });

    const numbered = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n  b: x\n  "10": y\n';
    expect(preorderOffsets(parseEvents(numbered, {}), numbered)).toBeUndefined();
    const [n] = parseManifests(numbered, 'n.yaml').manifests;
    expect(n.locate(['data', '10'])).toMatchObject({ line: 7 });
    expect(n.locate(['data', 'b'])).toMatchObject({ line: 6 });

    // YAML 1.1 integers in other forms are integer keys too (0x1F is "31", 0o17 is "15").
    for (const key of ['0x1F', '0o17', '1_000', '+3', '10']) {
      const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: h\ndata:\n  b: x\n  ${key}: y\n  c: z\n`;
      expect(preorderOffsets(parseEvents(text, {}), text)).toBeUndefined();
      const [h] = parseManifests(text, 'h.yaml').manifests;
      expect(h.locate(['data', 'c'])).toMatchObject({ line: 8 });
      expect(h.locate(['data', 'b'])).toMatchObject({ line: 6 });
    }
    // Keys that only look like words stay on the quick path (`on` is true, `null` is null).
    const words =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: w\ndata:\n  on: x\n  Null: y\n  c: z\n';
    expect(preorderOffsets(parseEvents(words, {}), words)).toBeDefined();
    const [w] = parseManifests(words, 'w.yaml').manifests;
    expect(w.locate(['data', 'c'])).toMatchObject({ line: 8 });
  });
});

/** A small YAML writer for the generator: block or flow style, every string quoted. */
function toYaml(value: unknown, flow: boolean, indent = ''): string {
  const scalar = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  const isLeaf = (v: unknown) => v === null || typeof v !== 'object';
  if (flow) return `${JSON.stringify(value)}\n`;
  const lines: string[] = [];
  const emit = (v: unknown, ind: string) => {
    if (Array.isArray(v)) {
      if (v.length === 0) return;
      for (const item of v) {
        if (isLeaf(item) || (typeof item === 'object' && Object.keys(item as object).length === 0)) {
          lines.push(`${ind}- ${isLeaf(item) ? scalar(item) : JSON.stringify(item)}`);
        } else {
          lines.push(`${ind}-`);
          emit(item, `${ind}  `);
        }
      }
      return;
    }
    for (const [k, item] of Object.entries(v as object)) {
      const empty = typeof item === 'object' && item !== null && Object.keys(item).length === 0;
      if (isLeaf(item) || empty)
        lines.push(`${ind}${k}: ${isLeaf(item) ? scalar(item) : JSON.stringify(item)}`);
      else {
        lines.push(`${ind}${k}:`);
        emit(item, `${ind}  `);
      }
    }
  };
  emit(value, indent);
  return `${lines.join('\n')}\n`;
}
