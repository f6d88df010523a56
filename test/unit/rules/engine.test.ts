import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/rules/engine.js';

describe('fingerprint', () => {
  it('depends on rule, object and path only', () => {
    const a = fingerprint('r', 'Deployment/ns/a', 'spec.replicas');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('r', 'Deployment/ns/a', 'spec.replicas')).toBe(a);
    expect(fingerprint('r', 'Deployment/ns/b', 'spec.replicas')).not.toBe(a);
  });
});
