import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Manifest } from '../../../src/load/yaml.js';
import { parsePath, resolvePath } from '../../../src/model/path.js';
import { isRecord, type PathSegment, refKey, type SourceLocation } from '../../../src/model/types.js';
import { renderTargets, type Target } from '../../../src/render/index.js';
import { readChartArchive } from '../../../src/render/tgz.js';
import { verifyMapping } from '../../../src/render/verify.js';

/**
 * The mapping corpus (test/mapping-corpus/cases.yaml): real charts and overlays with seeded
 * violations and the line a human edits for each. Reports the share that lands exactly; every
 * values-driven field and every patch must land exactly, and no location may ever name a line
 * that does not exist, for any field of any rendered object.
 */

interface Case {
  target: Target;
  expect: {
    object: string;
    path: string;
    class: string;
    at: { file: string; text: string; nth?: number };
    /** The values path named for a key that does not exist yet (a packaged subchart's default). */
    key?: string;
  }[];
}

const root = path.resolve(import.meta.dirname, '../../..');
const cases = parse(readFileSync(path.join(root, 'test/mapping-corpus/cases.yaml'), 'utf8')) as Case[];
const MUST_BE_EXACT = new Set(['values', 'patch', 'images', 'replicas', 'kustomization']);

function targetDir(t: Target): string {
  return t.kind === 'helm' ? t.chart : t.kind === 'kustomize' ? t.dir : '.';
}

function expectedLine(file: string, text: string, nth = 1): number {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].includes(text) && ++seen === nth) return i + 1;
  throw new Error(`corpus: "${text}" (#${nth}) not in ${file}`);
}

/** Concrete segments for a display path; the steps past what exists are appended as keys. */
function segmentsFor(m: Manifest, display: string): PathSegment[] {
  const { segments, complete } = resolvePath(m.object, display);
  if (complete) return segments;
  // resolvePath stops at the first missing step; each step it took is one segment.
  const rest = parsePath(display)
    .slice(segments.length)
    .map((s) => ('key' in s ? s.key : 'index' in s ? s.index : s.match.value));
  return [...segments, ...rest];
}

function leafPaths(value: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) leafPaths(value[i], [...prefix, i], out);
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) leafPaths(v, [...prefix, k], out);
  return out;
}

function lineExists(loc: SourceLocation): boolean {
  try {
    const lines = readFileSync(path.join(root, loc.file), 'utf8').split('\n');
    return loc.line >= 1 && loc.line <= lines.length && loc.column >= 1;
  } catch {
    return false;
  }
}

describe('mapping corpus', async () => {
  const results = await renderTargets(
    cases.map(
      (c) => ({ set: {}, apiVersions: [], releaseName: 'web', namespace: 'default', ...c.target }) as Target,
    ),
    { cwd: root },
  );

  it('renders every corpus target without errors', () => {
    for (const r of results) expect(r.errors.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('lands every values-driven field and every patch exactly, and reports the share', () => {
    const tally = new Map<string, { exact: number; total: number }>();
    const misses: string[] = [];
    cases.forEach((c, i) => {
      const byKey = new Map(results[i].manifests.map((m) => [refKey(m.ref).replace(/\/[^/]+\//, '/'), m]));
      for (const e of c.expect) {
        const named = (x: Manifest) =>
          e.object.endsWith('*')
            ? `${x.ref.kind}/${x.ref.name}`.startsWith(e.object.slice(0, -1))
            : `${x.ref.kind}/${x.ref.name}` === e.object;
        const m = byKey.get(e.object) ?? results[i].manifests.find(named);
        const file = path.posix.normalize(`${targetDir(c.target)}/${e.at.file}`);
        const want = expectedLine(file, e.at.text, e.at.nth);
        const got = m?.locateSource?.(segmentsFor(m, e.path));
        const exact = got?.file === file && got.line === want && got.key === e.key;
        const t = tally.get(e.class) ?? { exact: 0, total: 0 };
        t.total++;
        if (exact) t.exact++;
        tally.set(e.class, t);
        if (!exact)
          misses.push(
            `${e.class} ${e.object} ${e.path}: want ${file}:${want}${e.key ? ` (add ${e.key})` : ''}, got ${got ? `${got.file}:${got.line}${got.key ? ` (add ${got.key})` : ''}` : 'nothing'}`,
          );
      }
    });
    const all = [...tally.values()].reduce(
      (a, t) => ({ exact: a.exact + t.exact, total: a.total + t.total }),
      {
        exact: 0,
        total: 0,
      },
    );
    const lines = [...tally].map(([k, t]) => `  ${k.padEnd(14)} ${t.exact}/${t.total}`);
    console.log(
      `mapping corpus: ${all.exact}/${all.total} exact (${((100 * all.exact) / all.total).toFixed(1)}%)\n${lines.join('\n')}`,
    );
    if (misses.length) console.log(`misses:\n  ${misses.join('\n  ')}`);
    const required = misses.filter((m) => MUST_BE_EXACT.has(m.split(' ')[0]));
    expect(required).toEqual([]);
    expect(all.total).toBeGreaterThan(40);
  });

  it('passes its own consistency check: every field mapped to a values line finds its value there', () => {
    const read = (file: string) => {
      try {
        return readFileSync(path.join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    };
    let checked = 0;
    const bad: string[] = [];
    for (const r of results) {
      const report = verifyMapping(r.manifests, read);
      checked += report.checked;
      for (const x of report.mismatches)
        bad.push(
          `${x.location.file}:${x.location.line} ${x.object} ${x.path} = ${JSON.stringify(x.rendered)}: ${x.found}`,
        );
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  });

  it('keeps what kustomize printed as strings (`"yes"`, `"on"`, a key `"y"`) strings, as kubectl reads them', () => {
    const i = cases.findIndex((c) => targetDir(c.target).endsWith('kustomize/flags'));
    const object = (kind: string) => results[i].manifests.find((m) => m.ref.kind === kind)?.object;
    expect(object('ConfigMap')).toMatchObject({
      metadata: { labels: { managed: 'yes', canary: 'no' } },
      data: { SEARCH_V2: 'yes', LEGACY_CHECKOUT: 'on', on: 'weekdays', y: 'north' },
    });
    expect(object('Deployment')).toMatchObject({
      spec: {
        template: {
          spec: { nodeSelector: { spot: 'yes' }, containers: [{ env: [{ name: 'VERBOSE', value: 'on' }] }] },
        },
      },
    });
  });

  it('packages exactly sources/storedb as the shop chart’s subchart archive', async () => {
    const archive = await readChartArchive(
      path.join(root, 'test/mapping-corpus/charts/shop/charts/storedb-1.2.0.tgz'),
    );
    if ('error' in archive) throw new Error(archive.error);
    const src = path.join(root, 'test/mapping-corpus/sources/storedb');
    const want = ['Chart.yaml', 'values.yaml', 'templates/_helpers.tpl', 'templates/statefulset.yaml'];
    expect([...archive.keys()].sort()).toEqual(want.map((f) => `storedb/${f}`).sort());
    for (const f of want) {
      const packaged = archive.get(`storedb/${f}`)!;
      // helm package rewrites Chart.yaml in its own key order: compare its fields.
      if (f === 'Chart.yaml') expect(parse(packaged)).toEqual(parse(readFileSync(path.join(src, f), 'utf8')));
      else expect(packaged, f).toBe(readFileSync(path.join(src, f), 'utf8'));
    }
  });

  it('never points any field of any rendered object at a line that does not exist', () => {
    let checked = 0;
    const bad: string[] = [];
    for (const r of results) {
      for (const m of r.manifests) {
        for (const segs of leafPaths(m.object)) {
          const loc = m.locateSource?.(segs);
          checked++;
          if (!loc || !lineExists(loc))
            bad.push(`${refKey(m.ref)} ${segs.join('.')} -> ${JSON.stringify(loc)}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(400);
  });
});
