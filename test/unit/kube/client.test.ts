import { describe, expect, it } from 'vitest';
import { continueAtHead, KubeClient, type ResourceInfo } from '../../../src/kube/client.js';
import {
  ClusterUnreachableError,
  DeadlineError,
  KubeApiError,
  KubeAuthError,
} from '../../../src/kube/errors.js';
import { type KubeResponse, RequestTimeoutError, type Transport } from '../../../src/kube/transport.js';

type Handler = (path: string, query: Record<string, string | number | undefined>) => KubeResponse | Error;

function fake(handler: Handler): Transport & { calls: string[] } {
  const calls: string[] = [];
  return {
    server: 'https://test.invalid:6443',
    calls,
    async get(path, query = {}) {
      calls.push(query.continue ? `${path} continue=${query.continue}` : path);
      const res = handler(path, query);
      if (res instanceof Error) throw res;
      return res;
    },
  };
}

const noSleep = { sleep: async () => {} };
const pods: ResourceInfo = {
  apiVersion: 'v1',
  kind: 'Pod',
  plural: 'pods',
  namespaced: true,
  verbs: ['list'],
};
const pod = (n: number) => ({ metadata: { name: `p${n}`, namespace: 'shop', uid: `uid-${n}` } });

describe('KubeClient.list', () => {
  it('follows continue tokens page by page and restores apiVersion and kind', async () => {
    const t = fake((_p, q) => {
      const page = Number(q.continue ?? 0);
      const items = [pod(page * 2), pod(page * 2 + 1)];
      return { status: 200, body: { items, metadata: { continue: page < 2 ? String(page + 1) : '' } } };
    });
    const result = await new KubeClient(t, { ...noSleep, pageSize: 2 }).list(pods, 'shop');
    expect(result.items.map((i) => i.metadata.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    expect(result.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    expect(result.pages).toBe(3);
    expect(t.calls[0]).toBe('/api/v1/namespaces/shop/pods');
  });

  it('asks for the next page before parsing this one, from the token at the head of the answer', async () => {
    const events: string[] = [];
    const t: Transport = {
      server: 'https://test.invalid:6443',
      async get(_path, query = {}, options) {
        const page = Number(query.continue ?? 0);
        events.push(`get ${page}`);
        const items = [pod(page)];
        const token = page < 2 ? String(page + 1) : '';
        // The API server writes metadata before items.
        const text = `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"${token}"},"items":${JSON.stringify(items)}}`;
        expect(options?.raw).toBe(true);
        return { status: 200, body: undefined, text };
      },
    };
    const result = await new KubeClient(t, noSleep).listEach(pods, 'shop', (o) =>
      events.push(`visit ${o.metadata.name}`),
    );
    expect(result.pages).toBe(3);
    expect(events).toEqual(['get 0', 'get 1', 'visit p0', 'get 2', 'visit p1', 'visit p2']);
  });

  it('reads the continue token at the head of a list, never from inside its items', () => {
    expect(
      continueAtHead(
        '{"kind":"PodList","metadata":{"resourceVersion":"1","continue":"eyJ2IjoibWV0YSJ9"},"items":[]}',
      ),
    ).toBe('eyJ2IjoibWV0YSJ9');
    expect(
      continueAtHead('{"kind":"PodList","metadata":{"resourceVersion":"1"},"items":[{"continue":"x"}]}'),
    ).toBeUndefined();
  });

  it('recovers from an expired continue token with the fresh token the server offers', async () => {
    const t = fake((_p, q) => {
      if (!q.continue) return { status: 200, body: { items: [pod(1)], metadata: { continue: 'old' } } };
      if (q.continue === 'old')
        return {
          status: 410,
          body: { kind: 'Status', message: 'continue expired', metadata: { continue: 'fresh' } },
        };
      return { status: 200, body: { items: [pod(2)], metadata: {} } };
    });
    const result = await new KubeClient(t, noSleep).list(pods);
    expect(result.items.map((i) => i.metadata.name)).toEqual(['p1', 'p2']);
    expect(result.restarted).toBe(true);
    expect(t.calls).toEqual(['/api/v1/pods', '/api/v1/pods continue=old', '/api/v1/pods continue=fresh']);
  });

  it('starts over without duplicates when the server offers no fresh token', async () => {
    let first = true;
    const t = fake((_p, q) => {
      if (q.continue === 'a') return { status: 410, body: { message: 'Gone' } };
      if (!q.continue && first) {
        first = false;
        return { status: 200, body: { items: [pod(1)], metadata: { continue: 'a' } } };
      }
      if (!q.continue) return { status: 200, body: { items: [pod(1), pod(2)], metadata: { continue: 'b' } } };
      return { status: 200, body: { items: [pod(3)], metadata: {} } };
    });
    const result = await new KubeClient(t, noSleep).list(pods);
    expect(result.items.map((i) => i.metadata.name)).toEqual(['p1', 'p2', 'p3']);
  });

  it('backs off on 429 and 5xx, honouring Retry-After, then succeeds', async () => {
    const waits: number[] = [];
    const answers: KubeResponse[] = [
      { status: 429, body: { message: 'slow down' }, retryAfter: 2 },
      { status: 503, body: { message: 'unavailable' } },
      { status: 200, body: { items: [pod(1)], metadata: {} } },
    ];
    const t = fake(() => answers.shift()!);
    const client = new KubeClient(t, { sleep: async (ms) => void waits.push(ms), backoffMs: 100 });
    const result = await client.list(pods, 'shop');
    expect(result.items).toHaveLength(1);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the attempts and reports the status', async () => {
    const t = fake(() => ({ status: 500, body: { message: 'etcd down' } }));
    await expect(new KubeClient(t, { ...noSleep, attempts: 3 }).list(pods)).rejects.toMatchObject({
      status: 500,
      message: 'etcd down',
    });
    expect(t.calls).toHaveLength(3);
  });

  it('reports 403 at once, without retrying', async () => {
    const t = fake(() => ({ status: 403, body: { message: 'pods is forbidden' } }));
    const err = await new KubeClient(t, noSleep).list(pods).catch((e) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.status).toBe(403);
    expect(t.calls).toHaveLength(1);
  });

  it('turns a refused connection into one clear line', async () => {
    const t = fake(() =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
    );
    const err = await new KubeClient(t, noSleep).version().catch((e) => e);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect(err.message).toBe('cannot reach the cluster at https://test.invalid:6443: connection refused');
    // A dropped connection is tried three times at most (with the default five attempts).
    expect(t.calls).toHaveLength(3);
  });
});

describe('KubeClient.resource (discovery)', () => {
  it('reads one group version on demand, skips subresources, and knows unserved kinds', async () => {
    const t = fake((path) => {
      if (path === '/apis/apps/v1')
        return {
          status: 200,
          body: {
            resources: [
              { name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get', 'list'] },
              { name: 'deployments/scale', kind: 'Scale', namespaced: true, verbs: ['get'] },
            ],
          },
        };
      if (path === '/apis/example.com/v1')
        return {
          status: 200,
          body: { resources: [{ name: 'widgets', kind: 'Widget', namespaced: false, verbs: ['list'] }] },
        };
      return { status: 404, body: { message: 'not found' } };
    });
    const client = new KubeClient(t, noSleep);
    expect(await client.resource('apps/v1', 'Deployment')).toMatchObject({
      plural: 'deployments',
      namespaced: true,
    });
    expect(await client.resource('apps/v1', 'Scale')).toBeUndefined();
    expect(await client.resource('example.com/v1', 'Widget')).toMatchObject({
      plural: 'widgets',
      namespaced: false,
    });
    expect(await client.resource('nope.io/v1', 'Thing')).toBeUndefined();
    await client.resource('apps/v1', 'Deployment');
    expect(t.calls.filter((c) => c === '/apis/apps/v1')).toHaveLength(1);
  });
});

describe('KubeClient time limits and credentials', () => {
  it('gives up on a server that never answers after one request timeout, without retrying', async () => {
    const timeouts: (number | undefined)[] = [];
    const t: Transport = {
      server: 'https://test.invalid:6443',
      async get(_path, _query, options) {
        timeouts.push(options?.timeoutMs);
        throw new RequestTimeoutError(options?.timeoutMs ?? 0);
      },
    };
    const err = await new KubeClient(t, { ...noSleep, requestTimeoutMs: 2000 }).version().catch((e) => e);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect(err.message).toMatch(
      /^the cluster at https:\/\/test\.invalid:6443 did not answer GET \/version within 2 s$/,
    );
    expect(timeouts).toEqual([2000]);
  });

  it("never waits past the run's deadline: the request timeout shrinks to what is left", async () => {
    let clock = 0;
    const timeouts: (number | undefined)[] = [];
    const t: Transport = {
      server: 'https://test.invalid:6443',
      async get(_path, _query, options) {
        timeouts.push(options?.timeoutMs);
        clock += options?.timeoutMs ?? 0;
        throw new RequestTimeoutError(options?.timeoutMs ?? 0);
      },
    };
    const client = new KubeClient(t, {
      ...noSleep,
      now: () => clock,
      requestTimeoutMs: 30_000,
      deadlineMs: 5000,
    });
    const err = await client.version().catch((e) => e);
    expect(err).toBeInstanceOf(DeadlineError);
    expect(err.message).toMatch(/did not finish within its deadline of 5 s/);
    expect(timeouts).toEqual([5000]);
    expect(await client.version().catch((e) => e)).toBeInstanceOf(DeadlineError);
    expect(timeouts).toHaveLength(1);
  });

  it('requests queued behind the concurrency limit at the deadline end too, none left waiting', async () => {
    let clock = 0;
    const t = fake(() => {
      clock = 10_000;
      return { status: 200, body: {} };
    });
    const client = new KubeClient(t, { ...noSleep, now: () => clock, concurrency: 1, deadlineMs: 5000 });
    const outcomes = await Promise.all(
      [client.version(), client.version(), client.version()].map((p) => p.then(String, (e) => e.name)),
    );
    expect(outcomes).toEqual(['unknown', 'DeadlineError', 'DeadlineError']);
    expect(t.calls).toHaveLength(1);
  });

  it('a backoff that would end past the deadline ends the run instead', async () => {
    const t = fake(() => ({ status: 503, body: {}, retryAfter: 120 }));
    const err = await new KubeClient(t, { ...noSleep, deadlineMs: 60_000 }).version().catch((e) => e);
    expect(err).toBeInstanceOf(DeadlineError);
    expect(t.calls).toHaveLength(1);
  });

  it('401 ends the run with one line: the credentials were refused', async () => {
    const t = fake(() => ({ status: 401, body: { message: 'Unauthorized' } }));
    const err = await new KubeClient(t, noSleep).version().catch((e) => e);
    expect(err).toBeInstanceOf(KubeAuthError);
    expect(err.message).toBe(
      'the cluster at https://test.invalid:6443 refused the credentials (401 Unauthorized)',
    );
  });
});

describe('KubeClient.openApi', () => {
  it("reads the index once and each group version's document once, by the URL the index gives", async () => {
    const t = fake((path) => {
      if (path === '/openapi/v3')
        return {
          status: 200,
          body: {
            paths: {
              'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=AAA' },
              'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=BBB' },
            },
          },
        };
      if (path.startsWith('/openapi/v3/'))
        return { status: 200, body: { components: { schemas: { path } } } };
      return { status: 404, body: {} };
    });
    const client = new KubeClient(t, noSleep);
    const [core, apps, again] = await Promise.all([
      client.openApi('v1'),
      client.openApi('apps/v1'),
      client.openApi('v1'),
    ]);
    expect(core).toEqual({ components: { schemas: { path: '/openapi/v3/api/v1?hash=AAA' } } });
    expect(apps).toEqual({ components: { schemas: { path: '/openapi/v3/apis/apps/v1?hash=BBB' } } });
    expect(again).toBe(core);
    expect(await client.openApi('example.com/v1').catch((e) => e.message)).toBe(
      "the server's /openapi/v3 lists no apis/example.com/v1",
    );
    expect(t.calls.filter((c) => c === '/openapi/v3')).toHaveLength(1);
    expect(t.calls).toHaveLength(3);
  });
});
