import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/index.js';
import { runCheck } from '../../../src/jobs/check.js';

/**
 * The examples against the checklist as it grows: the ready app stays clean (notes included),
 * and the broken one shows each kind of broken reference at the line to edit.
 */
const root = path.resolve(import.meta.dirname, '../../..');

async function check(example: string) {
  return runCheck({ paths: [`examples/${example}`], cwd: root, config: defaultConfig(root) });
}

describe('examples/checkout-ready', () => {
  it('has no finding at all, notes included', async () => {
    const result = await check('checkout-ready');
    expect(
      result.findings.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}: ${f.message}`),
    ).toEqual([]);
  });
});

describe('examples/checkout-broken', () => {
  it('shows the references broken by a rename, each at its line', async () => {
    const result = await check('checkout-broken');
    const at = (ruleId: string) =>
      result.findings
        .filter((f) => f.ruleId === ruleId)
        .map((f) => `${path.basename(f.location.file)}:${f.location.line} ${f.severity}`);
    expect(at('lifecycle-config-reference-missing')).toEqual(['checkout-api.yaml:26 error']);
    expect(at('network-backend-missing')).toEqual(['traffic.yaml:20 error']);
    expect(at('replicas-hpa-target-missing')).toEqual(['traffic.yaml:32 error']);
    expect(at('network-policy-selects-nothing')).toEqual(['traffic.yaml:49 warning']);
  });

  it('reports one finding per cause: no container is told twice what to size', async () => {
    const result = await check('checkout-broken');
    const sizing = result.findings.filter(
      (f) => f.ruleId.startsWith('resources-') && f.message.startsWith('container'),
    );
    expect(sizing.map((f) => `${f.object.name} ${f.ruleId}`)).toEqual([
      'checkout-api resources-limits-missing',
      'checkout-db resources-requests-missing',
    ]);
  });
});
