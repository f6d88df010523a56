import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import {
  controllerMayOwn,
  DEFAULT_DRIFT_POLICY,
  isDeployer,
  isIgnored,
  pathMatches,
} from '../../../src/drift/policy.js';
import type { ManagerEntry } from '../../../src/drift/types.js';

const entry = (manager: string, operation = 'Update', subresource = ''): ManagerEntry => ({
  manager,
  operation,
  subresource,
  time: null,
  apiVersion: 'apps/v1',
});

describe('drift policy', () => {
  it('matches display paths with * for one step and ** for many', () => {
    expect(
      pathMatches('metadata.annotations.*', 'metadata.annotations["deployment.kubernetes.io/revision"]'),
    ).toBe(true);
    expect(pathMatches('metadata.annotations.*', 'metadata.annotations')).toBe(false);
    expect(
      pathMatches(
        'spec.template.spec.containers[*].resources.**',
        'spec.template.spec.containers[name=app].resources.limits.cpu',
      ),
    ).toBe(true);
    expect(pathMatches('**.caBundle', 'webhooks[0].clientConfig.caBundle')).toBe(true);
    expect(pathMatches('spec.replicas', 'spec.replicasX')).toBe(false);
  });

  it('tells a pipeline apply from a person scaling, by operation', () => {
    expect(isDeployer(entry('kubectl', 'Apply'), DEFAULT_DRIFT_POLICY)).toBe(true);
    expect(isDeployer(entry('kubectl', 'Update', 'scale'), DEFAULT_DRIFT_POLICY)).toBe(false);
    expect(isDeployer(entry('helm'), DEFAULT_DRIFT_POLICY)).toBe(true);
    expect(isDeployer(entry('kubectl-edit'), DEFAULT_DRIFT_POLICY)).toBe(false);
  });

  it('lets controllers own only their fields', () => {
    expect(
      controllerMayOwn(
        entry('kube-controller-manager', 'Update', 'scale'),
        'spec.replicas',
        DEFAULT_DRIFT_POLICY,
      ),
    ).toBe(true);
    expect(
      controllerMayOwn(
        entry('kube-controller-manager'),
        'spec.template.spec.containers[name=app].image',
        DEFAULT_DRIFT_POLICY,
      ),
    ).toBe(false);
    expect(isIgnored('status.replicas', DEFAULT_DRIFT_POLICY)).toBe(true);
  });

  it('reads the drift: section, replacing deployers and controllers and adding to ignore', () => {
    const text = [
      'drift:',
      '  deployers: [argocd-controller]',
      '  controllers: [keda-operator, { manager: vpa-updater, paths: ["spec.template.spec.containers[*].resources.**"] }]',
      '  ignore: [spec.paused]',
      '  namespaces: [shop]',
      '  serverSideDryRun: true',
      '',
    ].join('\n');
    const { config, errors } = parseConfig(text, '.shipshape.yaml');
    expect(errors).toEqual([]);
    expect(config.drift.policy.deployers).toEqual(['argocd-controller']);
    expect(config.drift.policy.controllers).toEqual([
      { manager: 'keda-operator' },
      { manager: 'vpa-updater', paths: ['spec.template.spec.containers[*].resources.**'] },
    ]);
    expect(config.drift.policy.ignore).toContain('spec.paused');
    expect(config.drift.policy.ignore).toContain('status.**');
    expect(config.drift).toMatchObject({
      namespaces: ['shop'],
      serverSideDryRun: true,
      allNamespaces: false,
    });
  });

  it('names a bad key and its line', () => {
    const { errors } = parseConfig(
      'drift:\n  deployer: [helm]\n  allNamespaces: maybe\n  requestTimeoutSeconds: 0\n',
      '.shipshape.yaml',
    );
    expect(errors.map((e) => [e.message, e.location?.line])).toEqual([
      [
        'config: drift.deployer: unknown key (did you mean "deployers"?); expected one of deployers, controllers, ignore, namespaces, allNamespaces, serverSideDryRun, orphans, requestTimeoutSeconds, deadlineSeconds',
        2,
      ],
      ['config: drift.allNamespaces: must be true or false, got string "maybe"', 3],
      ['config: drift.requestTimeoutSeconds: must be a number of seconds from 1 to 600', 4],
    ]);
  });

  it('reads the time limits and orphans', () => {
    const { config, errors } = parseConfig(
      'drift:\n  requestTimeoutSeconds: 5\n  deadlineSeconds: 120\n  orphans: true\n',
      '.shipshape.yaml',
    );
    expect(errors).toEqual([]);
    expect(config.drift).toMatchObject({ requestTimeoutMs: 5000, deadlineMs: 120_000, orphans: true });
  });
});
