import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { formatDiff } from '../../../src/diff/format.js';
import { diffObjects, toYaml } from '../../../src/diff/rendered.js';
import type { KubeObject } from '../../../src/model/types.js';
import { secrets } from '../../../src/secrets/index.js';
import { dedent } from '../rules/helpers.js';

function objs(yaml: string): KubeObject[] {
  return parseAllDocuments(dedent(yaml)).map((d) => d.toJS() as KubeObject);
}

const secret = (password: string, extra = '') => `
  apiVersion: v1
  kind: Secret
  metadata:
    name: db
    namespace: shop
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"${password}"}}'
  data:
    password: ${Buffer.from(password).toString('base64')}
    user: ${Buffer.from('admin').toString('base64')}
  stringData:
    token: ${password}-tok${extra}
`;

describe('diffObjects', () => {
  it('keys objects by kind, namespace and name, sorted, with added and removed objects', () => {
    const base = objs(`
      apiVersion: v1
      kind: Service
      metadata: { name: web, namespace: shop }
      spec: { ports: [{ port: 80 }] }
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: old, namespace: shop }
      data: { a: "1" }
    `);
    const head = objs(`
      apiVersion: v1
      kind: Service
      metadata: { name: web, namespace: shop }
      spec: { ports: [{ port: 8080 }] }
      ---
      apiVersion: v1
      kind: Namespace
      metadata: { name: shop }
    `);
    const { objects, unchanged } = diffObjects({ base, head });
    expect(objects.map((o) => [o.change, o.key])).toEqual([
      ['removed', 'ConfigMap/shop/old'],
      ['added', 'Namespace/shop'],
      ['changed', 'Service/shop/web'],
    ]);
    expect(unchanged).toBe(0);
    const svc = objects.find((o) => o.key === 'Service/shop/web')!;
    expect(svc.diff).toContain('-    - port: 80\n');
    expect(svc.diff).toContain('+    - port: 8080\n');
    expect(svc.diff).toContain('--- base/Service/shop/web');
  });

  it('puts fields in a stable order whatever the source order', () => {
    const [a] = objs(`
      spec: { b: 1, a: 2 }
      metadata: { labels: { z: "1", a: "2" }, name: x }
      kind: ConfigMap
      apiVersion: v1
    `);
    expect(toYaml(a).split('\n').slice(0, 4)).toEqual([
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: x',
    ]);
    expect(toYaml(a)).toMatch(/a: 2\n {2}b: 1/);
  });

  it('never shows a secret value: changed values show sizes and are marked, unchanged ones read the same', () => {
    const { objects } = diffObjects({ base: objs(secret('hunter2')), head: objs(secret('correct-horse')) });
    const [o] = objects;
    expect(o.secret).toBe(true);
    const text = formatDiff([
      { target: 't', status: 'ok', baseErrors: [], headErrors: [], objects, unchanged: 0 },
    ]);
    for (const leak of ['hunter2', 'correct-horse', Buffer.from('hunter2').toString('base64'), 'YWRtaW4=']) {
      expect(text).not.toContain(leak);
    }
    expect(o.diff).toContain('-  password: "<secret: 7 bytes>"');
    expect(o.diff).toContain('+  password: "<secret: 13 bytes> (changed)"');
    expect(o.diff).toContain('-  token: "<secret: 11 bytes>"'); // stringData: hunter2-tok
    expect(o.diff).not.toMatch(/[-+] {2}user:/); // unchanged: the same placeholder on both sides, no diff line
    expect(o.diff).toContain(
      '+    kubectl.kubernetes.io/last-applied-configuration: "<secret: 37 bytes> (changed)"',
    );
  });

  it('redacts env values whose names look secret, in any workload', () => {
    const dep = (v: string, level: string) => `
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: api }
      spec:
        template:
          spec:
            containers:
              - name: app
                env:
                  - { name: DB_PASSWORD, value: ${v} }
                  - { name: LOG_LEVEL, value: ${level} }
    `;
    const { objects } = diffObjects({
      base: objs(dep('s3cret', 'info')),
      head: objs(dep('n3wsecret', 'debug')),
    });
    expect(objects[0].diff).not.toContain('s3cret');
    expect(objects[0].diff).not.toContain('n3wsecret');
    expect(objects[0].diff).toContain('+              value: "<secret: 9 bytes> (changed)"');
    expect(objects[0].diff).toContain('+              value: debug');
  });

  it('marks fields that differ between two renders of the head instead of showing them as changes', () => {
    const render = (pw: string, stamp: string) => `
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: gen
        annotations: { generated-at: "${stamp}" }
      data: { password: ${pw}, mode: strict }
    `;
    const { objects, unchanged } = diffObjects({
      base: objs(render('aaa', 't1')),
      head: objs(render('bbb', 't2')),
      headAgain: objs(render('ccc', 't3')),
    });
    expect(objects).toEqual([]);
    expect(unchanged).toBe(1);

    const changed = diffObjects({
      base: objs(render('aaa', 't1')),
      head: objs(render('bbb', 't2').replace('strict', 'lax')),
      headAgain: objs(render('ccc', 't3').replace('strict', 'lax')),
    });
    expect(changed.objects[0].nondeterministic.sort()).toEqual([
      'data.password',
      'metadata.annotations.generated-at',
    ]);
    expect(changed.objects[0].diff).toContain('+  mode: lax');
    expect(changed.objects[0].diff).not.toContain('bbb');
  });

  it('reports a renamed object (a new hash suffix) as a rename with its diff', () => {
    const cm = (name: string, v: string) => `
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: ${name}, namespace: shop }
      data: { a: "1", b: "2", c: "3", d: "${v}" }
    `;
    const { objects } = diffObjects({ base: objs(cm('cfg-abc123', '4')), head: objs(cm('cfg-def456', '5')) });
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      change: 'renamed',
      from: 'ConfigMap/shop/cfg-abc123',
      key: 'ConfigMap/shop/cfg-def456',
    });
    expect(objects[0].diff).toContain('+  d: "5"');
  });
});

describe("diffObjects with the run's secrets", () => {
  afterEach(() => secrets.reset());

  const app = (redisUrl: string, args: string) => `
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api }
    spec:
      template:
        spec:
          containers:
            - name: app
              env:
                - { name: REDIS_URL, value: "${redisUrl}" }
              args: [${args}]
  `;

  it('masks a secret seen anywhere in the run, and marks a change that masking hides', () => {
    // A Helm values password the template put into a URL built by hand (no `://user:` form).
    secrets.add('old-values-pw');
    secrets.add('new-values-pw');
    const { objects } = diffObjects({
      base: objs(app('redis;password=old-values-pw', '"--mode=a"')),
      head: objs(app('redis;password=new-values-pw', '"--mode=b"')),
    });
    const diff = objects[0].diff;
    expect(diff).not.toMatch(/values-pw/);
    expect(diff).toContain('-              value: redis;password=<secret: 13 bytes>\n');
    expect(diff).toContain('+              value: redis;password=<secret: 13 bytes> (changed)\n');
    expect(diff).toContain('+            - --mode=b\n');
    expect(diff).not.toContain('--mode=b (changed)');
  });

  it('redacts URL passwords and secret flags of any length where they sit', () => {
    const { objects } = diffObjects({
      base: objs(app('redis://:pw1@redis:6379', '"--db-password=abc"')),
      head: objs(app('redis://:pw2@redis:6379', '"--db-password=abd"')),
    });
    const diff = objects[0].diff;
    expect(diff).not.toMatch(/pw1|pw2|abc|abd/);
    expect(diff).toContain('+              value: "redis://:<secret: 3 bytes>@redis:6379 (changed)"');
    expect(diff).toContain('+            - "--db-password=<secret: 3 bytes> (changed)"');
  });
});
