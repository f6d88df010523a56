import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The source's import graph has no cycle: a module's dependencies load before it, whatever the
 * entry point, and a bundle never meets a half-initialised module. Type-only imports count too:
 * a cycle of types is a fact living in the wrong module (the config's sections once imported their
 * reader's type from the module that imported them).
 */

const SRC = path.resolve(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative specifiers of `import … from`, `export … from` and `import(…)`, types included. */
function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const statement =
    /(?:^\s*(?:import|export)\b[^'";]*?\bfrom\s*|^\s*import\s+|\bimport\s*\(\s*)(['"])(\.[^'"]+)\1/gm;
  for (const m of code.matchAll(statement)) out.push(m[2]);
  return out;
}

function graph(): Map<string, string[]> {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(readFileSync(file, 'utf8')).map((spec) => {
      const resolved = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
      if (!known.has(resolved)) throw new Error(`${path.relative(SRC, file)}: cannot resolve ${spec}`);
      return resolved;
    });
    edges.set(file, targets);
  }
  return edges;
}

/** One cycle per strongly connected component with more than one module (or a self-import). */
function cycles(edges: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative so that a deep graph cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const targets = edges.get(top.node) ?? [];
      if (top.next < targets.length) {
        const t = targets[top.next++];
        if (!index.has(t)) {
          index.set(t, counter);
          low.set(t, counter++);
          stack.push(t);
          onStack.add(t);
          work.push({ node: t, next: 0 });
        } else if (onStack.has(t)) low.set(top.node, Math.min(low.get(top.node)!, index.get(t)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== top.node);
        if (component.length > 1 || targets.includes(top.node))
          found.push(component.map((f) => path.relative(SRC, f)).sort());
      }
    }
  }
  return found;
}

describe('the import graph of src/', () => {
  it('reads imports (types too), re-exports and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "import {\n  type G,\n  h,\n} from './gh.js';",
      "export type { I } from './i.js';",
      "export { c } from './c.js';",
      "import './side-effect.js';",
      "const d = await import('./d.js');",
      "// import { e } from './e.js';",
      "import { f } from 'node:fs';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      './a.js',
      '../b.js',
      './gh.js',
      './i.js',
      './c.js',
      './side-effect.js',
      './d.js',
    ]);
  });

  it('finds a cycle when there is one', () => {
    const edges = new Map([
      ['/a', ['/b']],
      ['/b', ['/c']],
      ['/c', ['/a']],
      ['/d', ['/a']],
    ]);
    expect(cycles(edges)).toHaveLength(1);
  });

  it('has no cycle', () => {
    expect(cycles(graph())).toEqual([]);
  });
});
