// Build: tsc 7 compiles src/ to lib/, then ncc bundles one entry into dist/ (ESM, Node 24).
// TypeScript 7 has no JavaScript API, so ncc bundles the emitted JavaScript, not the .ts files.
//   dist/index.js (+ chunks)  the one bundle (src/main.ts): the Action (action.yml `main`) by default
//   dist/cli.js               the CLI (package.json `bin`): a launcher that marks the run as the CLI's
//                             and loads dist/index.js, so the two share every chunk and copy none
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

rmSync(path.join(root, 'lib'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.json']);

const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const bundle = (entry, outDir) => {
  run(bin('ncc'), ['build', entry, '-o', outDir, '--quiet', '--target', 'es2023']);
  for (const f of readdirSync(outDir)) if (f === 'package.json') rmSync(path.join(outDir, f));
};
bundle('lib/main.js', dist);
// The mark is src/main.ts's CLI_MARK; set before the bundle loads (a dynamic import, not a hoisted one).
// An older Node is told so in one line (package.json `engines`) before the bundle can fail to load.
writeFileSync(
  path.join(dist, 'cli.js'),
  [
    '#!/usr/bin/env node',
    "const [major, minor] = process.versions.node.split('.').map(Number);",
    'if (major < 22 || (major === 22 && minor < 19)) {',
    "  process.stderr.write('shipshape needs Node.js 22.19 or later (24 recommended); this is ' + process.version + '\\n');",
    '  process.exit(2);',
    '}',
    "globalThis[Symbol.for('shipshape.cli')] = true;",
    "await import('./index.js');",
    '',
  ].join('\n'),
);
chmodSync(path.join(dist, 'cli.js'), 0o755);
