/**
 * Moved to render/git.ts, the one git module. This name stays only until every importer that
 * other work has open imports from there; then it goes.
 */
export { ensureCommit, readFileAtCommit } from '../render/git.js';
