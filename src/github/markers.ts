/**
 * Hidden HTML comments that let a later run recognise what an earlier run posted. GitHub keeps
 * them in the body but does not render them.
 */

// Anchored where we put them (the fingerprint last, the summary marker first), so a human who
// quotes one of our comments does not make their own comment look like ours.
// The fingerprint marker stands alone on the body's last line: quoted (`> <!-- ... -->`) it is a
// human's comment that cites ours.
const FP_MARKER = /(?:^|\n)<!-- shipshape:fp=([0-9a-zA-Z_-]+)(?: key=([0-9a-zA-Z_.-]+))?( resolved)? -->\s*$/;
const SUMMARY_MARKER = /^<!-- shipshape:summary(?: part=(\d+)\/(\d+))?(?: key=([0-9a-zA-Z_.-]+))? -->/;

/**
 * `key` tells apart the comments of several shipshape jobs in one pull request (each checking
 * its own folders), so that one job never deletes another's comments.
 */
export function fingerprintMarker(
  fingerprint: string,
  options: { resolved?: boolean; key?: string } = {},
): string {
  const key = options.key && options.key !== DEFAULT_KEY ? ` key=${options.key}` : '';
  return `<!-- shipshape:fp=${fingerprint}${key}${options.resolved ? ' resolved' : ''} -->`;
}

export const DEFAULT_KEY = 'default';

/** The fingerprint an inline comment was posted for, its job's key, and whether a later run marked it resolved. */
export function readFingerprintMarker(
  body: string | undefined,
): { fingerprint: string; key: string; resolved: boolean } | undefined {
  const m = FP_MARKER.exec(body ?? '');
  return m ? { fingerprint: m[1], key: m[2] ?? DEFAULT_KEY, resolved: Boolean(m[3]) } : undefined;
}

/**
 * The sticky summary's marker. `key` tells apart several summaries in one pull request (two jobs
 * running shipshape on different folders); parts number a summary split under the size cap.
 */
export function summaryMarker(part: number, parts: number, key = DEFAULT_KEY): string {
  return `<!-- shipshape:summary part=${part}/${parts} key=${key} -->`;
}

export function readSummaryMarker(
  body: string | undefined,
): { part: number; parts: number; key: string } | undefined {
  const m = SUMMARY_MARKER.exec(body ?? '');
  if (!m) return undefined;
  return { part: Number(m[1] ?? 1), parts: Number(m[2] ?? 1), key: m[3] ?? DEFAULT_KEY };
}
