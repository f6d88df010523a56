/**
 * The one secrets module: what is secret (names.ts, values.ts), the values seen in this run and
 * the masking of every output (registry.ts), where they are collected from (collect.ts), and the
 * redaction of objects before they are printed or diffed (redact.ts). One placeholder
 * everywhere: `<secret: N bytes>`.
 */
export {
  collectEnvFile,
  collectKustomization,
  collectObject,
  collectValues,
  type GeneratorFiles,
} from './collect.js';
export { holdsSecrets, looksSecretName } from './names.js';
export { CHANGED, LAST_APPLIED, redacted, redactPair, redactValue } from './redact.js';
export {
  MAX_MASK_LENGTH,
  MIN_MASK_LENGTH,
  placeholder,
  type SecretListener,
  type SecretOrigin,
  SecretRegistry,
  type SecretSink,
  secrets,
} from './registry.js';
export { argumentSecrets, isReference, urlPasswords } from './values.js';

import { secrets } from './registry.js';

/** Every secret seen in this run masked in `text`: the last step before anything leaves the process. */
export function maskSecrets(text: string): string {
  return secrets.mask(text);
}
