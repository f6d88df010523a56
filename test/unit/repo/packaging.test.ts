import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** What a newcomer and the Marketplace meet first: `npm ci` on any platform, and action.yml. */

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('package-lock.json', () => {
  it("records every platform's optional binaries, so `npm ci` works on any machine", () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { optionalDependencies?: Record<string, string> }>;
    };
    const missing: string[] = [];
    for (const [name, pkg] of Object.entries(lock.packages)) {
      for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
        const nested = `${name}/node_modules/${dep}`;
        if (!lock.packages[`node_modules/${dep}`] && !lock.packages[nested])
          missing.push(`${name} -> ${dep}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    name: string;
    description: string;
    runs: { using: string; main: string };
  };

  it('has a description the Marketplace accepts (under 125 characters)', () => {
    expect(action.description.length).toBeLessThan(125);
    expect(action.name).toBe('shipshape');
  });

  it("is what the README's inputs and outputs tables say (run `npm run docs` when this fails)", async () => {
    const { withActionTables } = await import('../../../scripts/action-docs.mjs');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(withActionTables(readme, readFileSync(path.join(ROOT, 'action.yml'), 'utf8'))).toBe(readme);
  });

  it('runs the bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
