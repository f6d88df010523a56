// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what this removes
const ESCAPE_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this shows
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]/g;

/**
 * Text from outside (a tool's stderr, a message a chart wrote with `fail`) made fit for a report:
 * terminal escape sequences removed, other control characters (but newline and tab) shown as
 * `\xNN`, and anything past `max` characters cut with a note of how much was left out.
 */
export function printable(text: string, max = Number.POSITIVE_INFINITY): string {
  const clean = text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max)}… (${clean.length - max} more characters)`;
}
