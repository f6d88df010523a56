/**
 * Moved to `src/config/`: this re-export keeps the importers that other work has open compiling
 * until they import `./config/index.js` and `./config/check.js` themselves; then it goes.
 */
export { FAIL_ON, type FailOn } from './config/check.js';
export * from './config/index.js';
