import { describe, expect, it } from 'vitest';
import { catastrophicBacktracking } from '../../../src/model/regex.js';

describe('catastrophicBacktracking', () => {
  it.each([
    '(a+)+$',
    '(a*)*',
    '(x+x+)+y',
    '(\\w?)+$',
    '((ab)*)+',
    '(a{1,5})*',
    '(?:[a-z]+-?)*$',
    '(.*a){3,}',
    '(a|aa+)+',
  ])('%s is refused', (pattern) => {
    expect(catastrophicBacktracking(pattern)).toMatch(/exponential time/);
  });

  it.each([
    '-debug$',
    '^tmp-',
    '(^|[-_.])(debug|dirty|snapshot)([-_.]|$)',
    'DONT-PUSH',
    '[+*]+',
    '\\(a+\\)+',
    '(ab)+',
    '(a|b)*c',
    '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    'web-.*',
    '(a+)?',
  ])('%s is allowed', (pattern) => {
    expect(catastrophicBacktracking(pattern)).toBeUndefined();
  });
});
