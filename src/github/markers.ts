/**
 * Hidden HTML comments that let a later run recognise what an earlier run posted. GitHub keeps
 * them in the body but does not render them.
 */

// Anchored where we put them (the fingerprint last, the summary marker first), so a human who
// quotes one of our comments does not make their own comment look like ours.
const FP_MARKER = /<!-- shipshape:fp=([0-9a-zA-Z_-]+)( resolved)? -->\s*$/;
const SUMMARY_MARKER = /^<!-- shipshape:summary(?: part=(\d+)\/(\d+))?(?: key=([0-9a-zA-Z_.-]+))? -->/;

export function fingerprintMarker(fingerprint: string, resolved = false): string {
  return `<!-- shipshape:fp=${fingerprint}${resolved ? ' resolved' : ''} -->`;
}

/** The fingerprint an inline comment was posted for, and whether a later run marked it resolved. */
export function readFingerprintMarker(
  body: string | undefined,
): { fingerprint: string; resolved: boolean } | undefined {
  const m = FP_MARKER.exec(body ?? '');
  return m ? { fingerprint: m[1], resolved: Boolean(m[2]) } : undefined;
}

/**
 * The sticky summary's marker. `key` tells apart several summaries in one pull request (two jobs
 * running shipshape on different folders); parts number a summary split under the size cap.
 */
export function summaryMarker(part: number, parts: number, key = 'default'): string {
  return `<!-- shipshape:summary part=${part}/${parts} key=${key} -->`;
}

export function readSummaryMarker(
  body: string | undefined,
): { part: number; parts: number; key: string } | undefined {
  const m = SUMMARY_MARKER.exec(body ?? '');
  if (!m) return undefined;
  return { part: Number(m[1] ?? 1), parts: Number(m[2] ?? 1), key: m[3] ?? 'default' };
}
