import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/types.js';
import { containersOf, podSpecPath, podTemplate, WORKLOAD_KINDS } from '../../../src/model/workload.js';
import { forEachContainer } from '../../../src/secrets/containers.js';

const obj = (kind: string, body: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'v1', kind, metadata: { name: 'x' }, ...body }) as KubeObject;

describe('where a kind keeps its pods', () => {
  it('one table for the rules and the secret scan: the workloads, and a PodTemplate', () => {
    expect(podSpecPath('CronJob')).toEqual(['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    expect(podSpecPath('Pod')).toEqual(['spec']);
    expect(podSpecPath('PodTemplate')).toEqual(['template', 'spec']);
    expect(podSpecPath('Service')).toBeUndefined();
    expect(WORKLOAD_KINDS.has('PodTemplate')).toBe(false);
  });

  it('gives a workload its template, spec and labels, and a PodTemplate none (nothing runs it)', () => {
    const cron = obj('CronJob', {
      spec: {
        jobTemplate: {
          spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c' }] } } },
        },
      },
    });
    expect(podTemplate(cron)).toMatchObject({
      labels: { app: 'a' },
      metaPath: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
    });
    expect(containersOf(cron).map((c) => c.path)).toEqual([
      ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0],
    ]);
    expect(podTemplate(obj('PodTemplate', { template: { spec: { containers: [] } } }))).toBeUndefined();
  });

  it('takes kinds named like Object.prototype members for what they are: unknown kinds', () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const o = obj(kind, { spec: { containers: [{ name: 'c', image: 'i' }] } });
      expect(podSpecPath(kind)).toBeUndefined();
      expect(podTemplate(o)).toBeUndefined();
      const seen: string[] = [];
      forEachContainer(o as unknown as Record<string, unknown>, (_c, where) => seen.push(where));
      // Searched like any custom kind.
      expect(seen).toEqual(['containers.c']);
    }
  });

  it("finds a PodTemplate's containers for the secret scan", () => {
    const seen: string[] = [];
    forEachContainer(
      { kind: 'PodTemplate', template: { spec: { initContainers: [{ name: 'i' }] } } },
      (_c, where) => seen.push(where),
    );
    expect(seen).toEqual(['initContainers.i']);
  });
});
