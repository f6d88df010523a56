import { describe, expect, it } from 'vitest';
import { debugTag, debugTagMatcher, isPinned, mutableTag } from '../../../src/images/policy.js';
import { type ImageReference, parseReference } from '../../../src/images/reference.js';
import { DEFAULT_RULE_SETTINGS } from '../../../src/rules/types.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const patterns = DEFAULT_RULE_SETTINGS.debugTagPatterns;

function ref(text: string): ImageReference {
  const result = parseReference(text);
  if (!result.ok) throw new Error(result.error);
  return result.ref;
}

describe('mutableTag', () => {
  it('reports latest and a missing tag, unless a digest pins the image', () => {
    expect(mutableTag(ref('nginx'))).toBe('missing');
    expect(mutableTag(ref('nginx:latest'))).toBe('latest');
    expect(mutableTag(ref('nginx:LATEST'))).toBe('latest');
    expect(mutableTag(ref('nginx:1.27'))).toBeUndefined();
    expect(mutableTag(ref(`nginx:latest@${DIGEST}`))).toBeUndefined();
    expect(mutableTag(ref(`nginx@${DIGEST}`))).toBeUndefined();
  });

  it('knows a pinned reference', () => {
    expect(isPinned(ref(`nginx:1@${DIGEST}`))).toBe(true);
    expect(isPinned(ref('nginx:1'))).toBe(false);
  });
});

describe('debug tags', () => {
  it.each([
    ['v1.2.3-debug-DONT-PUSH', 'debug'],
    ['1.0-SNAPSHOT', 'SNAPSHOT'],
    ['v2.1.0-dirty', 'dirty'],
    ['DONT_PUSH', 'DONT_PUSH'],
    ['dontpush', 'dontpush'],
    ['wip+build.7', 'wip'],
    ['Debug', 'Debug'],
  ])('catches %s', (tag, matched) => {
    expect(debugTagMatcher(patterns)(tag)?.matched).toBe(matched);
  });

  it.each(['latest', '1.27.3', 'debian-12', 'debugger', 'v1-snapshots', 'bookworm', 'wipe'])(
    'passes %s',
    (tag) => {
      expect(debugTagMatcher(patterns)(tag)).toBeUndefined();
    },
  );

  it('matches whole tag parts, so "test" is not found in "latest"', () => {
    const match = debugTagMatcher(['test']);
    expect(match('latest')).toBeUndefined();
    expect(match('1.2-test')?.matched).toBe('test');
  });

  it('matches an invalid regular expression literally instead of throwing', () => {
    expect(debugTagMatcher(['rc('])('1.0-rc(')).toMatchObject({ pattern: 'rc(', matched: 'rc(' });
    expect(debugTagMatcher(['rc('])('1.0-rc')).toBeUndefined();
  });

  it('reads the tag of a reference, and ignores references without one', () => {
    expect(debugTag(ref('acme/app:v1.2.3-debug-DONT-PUSH'), patterns)?.pattern).toBe('debug');
    expect(debugTag(ref(`acme/app@${DIGEST}`), patterns)).toBeUndefined();
  });
});
