import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/index.js';
import { runCheck } from '../../../src/jobs/check.js';
import { cli } from './io.js';

/**
 * The examples are part of the product: the broken app must fail the checklist the way real
 * outages start, and the ready one must pass. When a rule changes, fix the example if the example
 * is what is wrong.
 */
const root = path.resolve(import.meta.dirname, '../../..');

async function check(example: string) {
  return runCheck({ paths: [`examples/${example}`], cwd: root, config: defaultConfig(root) });
}

describe('examples/checkout-ready', () => {
  it('has no finding at warning or above, and no input error', async () => {
    const result = await check('checkout-ready');
    expect(result.errors).toEqual([]);
    const serious = result.findings.filter((f) => f.severity !== 'info');
    expect(serious.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}: ${f.message}`)).toEqual([]);
    expect(result.objects).toBeGreaterThanOrEqual(20);
  });

  it('passes the CLI with exit 0 even at --fail-on warning', async () => {
    const run = await cli(['check', 'examples/checkout-ready', '--fail-on', 'warning'], { cwd: root });
    expect(run.code).toBe(0);
  });
});

describe('examples/checkout-broken', () => {
  it('fails with the faults that start outages, each at its line', async () => {
    const result = await check('checkout-broken');
    expect(result.errors).toEqual([]);
    const at = (ruleId: string, file: string) =>
      result.findings
        .filter((f) => f.ruleId === ruleId && f.location.file === `examples/checkout-broken/${file}`)
        .map((f) => f.location.line);
    // One replica, a debug image, no limits, privileged, a liveness probe that pings the database.
    expect(at('replicas-minimum', 'checkout-api.yaml')).toEqual([9]);
    expect(at('image-tag-debug', 'checkout-api.yaml')).toEqual([20]);
    expect(at('resources-limits-missing', 'checkout-api.yaml')).toEqual([33]);
    expect(at('security-privileged', 'checkout-api.yaml')).toEqual([38]);
    expect(at('probes-liveness-dependency', 'checkout-api.yaml')).toEqual([45]);
    // Postgres as a Deployment, its data on an emptyDir, on `latest`.
    expect(at('storage-database-not-statefulset', 'postgres.yaml')).toEqual([2]);
    expect(at('storage-database-emptydir', 'postgres.yaml')).toEqual([33]);
    expect(at('image-tag-latest', 'postgres.yaml')).toEqual([20]);
  });

  it('misses the guard rails of every checklist category but api', async () => {
    const result = await check('checkout-broken');
    const ids = new Set(result.findings.map((f) => f.ruleId));
    expect([...ids]).toEqual(
      expect.arrayContaining([
        'resources-requests-missing',
        'resources-namespace-quota-missing',
        'probes-readiness-missing',
        'rbac-default-service-account',
        'observability-metrics',
        'security-run-as-root',
        'network-default-deny-ingress',
        'network-policy-missing',
        'image-digest-missing',
        'lifecycle-prestop-missing',
      ]),
    );
    const categories = new Set(result.findings.map((f) => f.checklist));
    expect([...categories].sort()).toEqual([
      'images',
      'lifecycle',
      'network',
      'observability',
      'probes',
      'rbac',
      'replicas',
      'resources',
      'security',
      'storage',
    ]);
  });

  it('fails the CLI with exit 1', async () => {
    const run = await cli(['check', 'examples/checkout-broken', '-f', 'json'], { cwd: root });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).summary.bySeverity.error).toBeGreaterThanOrEqual(10);
  });
});
