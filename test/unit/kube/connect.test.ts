import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../../src/kube/connect.js';

const empty = () => mkdtempSync(path.join(tmpdir(), 'shipshape-connect-'));

describe('connect', () => {
  it('says what to do when there is no kubeconfig and no service account', async () => {
    await expect(connect({ env: { HOME: empty() } })).rejects.toThrow(
      'no kubeconfig: pass --kubeconfig, set KUBECONFIG, or run in a pod with a service account',
    );
  });

  it('names a kubeconfig file that does not exist', async () => {
    await expect(connect({ kubeconfig: '/nonexistent/kubeconfig', env: {} })).rejects.toThrow(
      'kubeconfig /nonexistent/kubeconfig does not exist',
    );
  });

  it('uses $KUBECONFIG and the context asked for, without contacting the server', async () => {
    const dir = empty();
    const file = path.join(dir, 'config');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'a', cluster: { server: 'https://a.example:6443' } },
          { name: 'b', cluster: { server: 'https://b.example:6443' } },
        ],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [
          { name: 'ctx-a', context: { cluster: 'a', user: 'u' } },
          { name: 'ctx-b', context: { cluster: 'b', user: 'u' } },
        ],
        'current-context': 'ctx-a',
      }),
    );
    const c = await connect({ env: { KUBECONFIG: file, HOME: dir }, context: 'ctx-b' });
    expect(c).toMatchObject({ context: 'ctx-b', server: 'https://b.example:6443' });
    await expect(connect({ env: { KUBECONFIG: file }, context: 'ctx-z' })).rejects.toThrow(
      'the kubeconfig has no context named "ctx-z"',
    );
  });
});
