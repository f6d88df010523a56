#!/usr/bin/env node
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write('shipshape needs Node.js 22.19 or later (24 recommended); this is ' + process.version + '\n');
  process.exit(2);
}
globalThis[Symbol.for('shipshape.cli')] = true;
await import('./index.js');
