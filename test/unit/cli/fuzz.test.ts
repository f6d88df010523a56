import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { makeProject } from '../report/fixture.js';
import { cli } from './io.js';

/**
 * Fuzzed input, a fixed seed so a failure reproduces: whatever a manifest holds, `check` never
 * aborts, its exit status stays 0, 1 or 2, every input error names the file it is about, and the
 * good file beside the bad one is still checked.
 */

const GOOD = `apiVersion: v1
kind: Pod
metadata:
  name: good
  namespace: shop
spec:
  containers:
    - name: app
      image: nginx:latest
`;

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: &l {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: *l
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: "ghcr.io/acme/web:1.0"
          ports: [{containerPort: 8080}]
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
          env:
            - {name: DB_PASSWORD, value: hunter2}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

const NASTY = [
  '*a',
  '&a ',
  '{',
  '[',
  ']',
  '}',
  '"',
  "'",
  ': ',
  '- ',
  '\n',
  '\n---\n',
  '\t',
  '\0',
  '\uFEFF',
  '!!binary ',
  '!!map ',
  '<<: ',
  'toString',
  '__proto__',
  'constructor',
  '0x',
  '1e999',
  'null',
  '~',
  '? ',
  '|\n',
  '>-\n',
  '%YAML 1.2\n',
  '@',
  '`',
  '#',
  '\u2028',
];

/** A mutation of the base text: characters cut, nasty tokens inserted, lines doubled. */
const mutated = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...NASTY) }),
      fc.record({ kind: fc.constant('text' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((ops) => {
    let s = BASE;
    for (const op of ops) {
      const at = op.at % (s.length + 1);
      s = op.kind === 'cut' ? s.slice(0, at) + s.slice(at + op.len) : s.slice(0, at) + op.text + s.slice(at);
    }
    return s;
  });

/** A well-formed document with odd shapes where objects are expected. */
const oddShapes = fc
  .record({
    kind: fc.constantFrom(
      'Deployment',
      'Service',
      'Pod',
      'List',
      'Role',
      'NetworkPolicy',
      'StatefulSet',
      'CronJob',
    ),
    spec: fc.jsonValue({ maxDepth: 4 }),
    metadata: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ name: 'x', namespace: 'shop' })),
  })
  .map((o) => stringify({ apiVersion: 'v1', ...o }));

describe('fuzzed manifests', () => {
  it('never abort a run, keep exit codes in 0-2, and name their file', async () => {
    const dir = await makeProject({ 'good.yaml': GOOD });
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, oddShapes), async (text) => {
        const run = await cli(['check', 'good.yaml', '-', '--format', 'json'], { cwd: dir, stdin: text });
        expect(run.stderr).not.toMatch(/^shipshape check:/m);
        expect([0, 1, 2]).toContain(run.code);
        const report = JSON.parse(run.stdout) as {
          findings: { location: { file: string } }[];
          errors: { message: string; location?: { file: string } }[];
        };
        expect(report.findings.some((f) => f.location.file === 'good.yaml')).toBe(true);
        for (const e of report.errors) expect(e.location?.file ?? e.message).toMatch(/<stdin>|good\.yaml/);
        expect(run.stdout).not.toContain('hunter2');
      }),
      { seed: 20261201, numRuns: 3000 },
    );
  }, 300_000);
});
