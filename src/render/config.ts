/**
 * Moved to `src/config/render.ts`: this re-export keeps the importers that other work has open
 * compiling until they import it themselves; then it goes.
 */
export { type DiscoverConfig, type RenderConfig, resolveTargets } from '../config/render.js';
