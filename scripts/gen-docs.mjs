// Regenerate docs/rules.md from the rules' own metadata, and the README's Action inputs and outputs
// from action.yml (`npm run docs`).
// TypeScript 7 has no JavaScript API and Node cannot import our .ts sources directly (their
// imports name .js files), so compile src/ with tsc into a scratch folder inside node_modules
// (where the packages resolve) and import the catalogue renderer from there.
// test/unit/report/rules-docs.test.ts fails when docs/rules.md is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { withActionTables } from './action-docs.mjs';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'node_modules', '.cache', 'shipshape-docs');
rmSync(out, { recursive: true, force: true });
execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--outDir', out], {
  cwd: root,
  stdio: 'inherit',
});

const { renderRulesMarkdown } = await import(pathToFileURL(path.join(out, 'report', 'rules.js')).href);
const { ALL_RULES } = await import(pathToFileURL(path.join(out, 'rules', 'index.js')).href);
const target = path.join(root, 'docs', 'rules.md');
writeFileSync(target, renderRulesMarkdown(ALL_RULES.map((r) => r.meta)));
rmSync(out, { recursive: true, force: true });
console.log(`wrote ${path.relative(root, target)} (${ALL_RULES.length} rules)`);

const readmePath = path.join(root, 'README.md');
const readme = withActionTables(
  readFileSync(readmePath, 'utf8'),
  readFileSync(path.join(root, 'action.yml'), 'utf8'),
);
if (readme === undefined) throw new Error('README.md has no action-inputs markers');
writeFileSync(readmePath, readme);
console.log('wrote README.md (Action inputs and outputs from action.yml)');
