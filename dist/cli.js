#!/usr/bin/env node
globalThis[Symbol.for('shipshape.cli')] = true;
await import('./index.js');
