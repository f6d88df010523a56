/**
 * SHA-256, the project's one digest: findings' fingerprints, comment markers, shard digests,
 * Flux release names, CA identities. `node:crypto` is loaded when something is first hashed (6 ms
 * of start-up): a check printed to the terminal hashes nothing.
 */

/** The SHA-256 of `data` (text as UTF-8) as its first `digits` hex digits (all 64 by default). */
export function sha256Hex(data: string | Uint8Array, digits = 64): string {
  // The digest as a latin1 ('binary') string, and only the bytes wanted made hex through Buffer's
  // shared pool: a Buffer of its own per digest would hold native memory until a full collection
  // (100,000 fingerprints).
  const digest = process.getBuiltinModule('node:crypto').hash('sha256', data, 'binary');
  const hex = Buffer.from(digest.slice(0, Math.ceil(digits / 2)), 'latin1').toString('hex');
  return digits % 2 === 0 ? hex : hex.slice(0, digits);
}
