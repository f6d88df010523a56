import type { ImageReference } from './reference.js';

/**
 * Tag policies shared by the checklist (what Git declares) and the drift job (what the cluster
 * runs). Pure functions of a parsed reference.
 */

/** Why a tag does not identify one build: it is `latest`, or there is no tag (so `latest` is implied). */
export type MutableTagReason = 'latest' | 'missing';

/**
 * `latest` or no tag at all. A digest pins the image whatever the tag says, so a reference with
 * a digest is never reported here.
 */
export function mutableTag(ref: ImageReference): MutableTagReason | undefined {
  if (ref.digest !== undefined) return undefined;
  if (ref.tag === undefined) return 'missing';
  return ref.tag.toLowerCase() === 'latest' ? 'latest' : undefined;
}

export function isPinned(ref: ImageReference): boolean {
  return ref.digest !== undefined;
}

/** Characters that separate the parts of a tag: `v1.2.3-debug+build_7`. */
const TAG_SEPARATOR = '[-._+]';

export interface DebugTagMatch {
  /** The pattern (as configured) that matched. */
  pattern: string;
  /** The part of the tag it matched, e.g. `DONT-PUSH`. */
  matched: string;
}

export type DebugTagMatcher = (tag: string) => DebugTagMatch | undefined;

const matcherCache = new Map<string, DebugTagMatcher>();

/**
 * A matcher for debug-style tags. Each pattern is a case-insensitive regular expression that
 * must cover whole parts of the tag (split on `.`, `-`, `_`, `+`): `debug` matches
 * `v1.2.3-debug-DONT-PUSH` but not `debugger`; `test` would not match `latest`. A pattern may
 * span parts (`dont[-_]?push`). A pattern that is not a valid regular expression is matched literally.
 */
export function debugTagMatcher(patterns: readonly string[]): DebugTagMatcher {
  const key = patterns.join('\0');
  const cached = matcherCache.get(key);
  if (cached) return cached;
  const compiled = patterns.map((pattern) => ({ pattern, regex: compileTagPattern(pattern) }));
  const matcher: DebugTagMatcher = (tag) => {
    for (const { pattern, regex } of compiled) {
      const m = regex.exec(tag);
      if (m) return { pattern, matched: m[1] };
    }
    return undefined;
  };
  if (matcherCache.size > 64) matcherCache.clear();
  matcherCache.set(key, matcher);
  return matcher;
}

function compileTagPattern(pattern: string): RegExp {
  const wrap = (body: string) => new RegExp(`(?:^|${TAG_SEPARATOR})(${body})(?=$|${TAG_SEPARATOR})`, 'i');
  try {
    return wrap(`(?:${pattern})`);
  } catch {
    return wrap(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}

/** The debug-style match of a reference's tag, if any. */
export function debugTag(ref: ImageReference, patterns: readonly string[]): DebugTagMatch | undefined {
  return ref.tag === undefined ? undefined : debugTagMatcher(patterns)(ref.tag);
}
