import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHub, maskRequest } from '../../../src/github/client.js';
import { secrets } from '../../../src/secrets/index.js';

afterEach(() => secrets.reset());

describe('maskRequest', () => {
  it('masks every string sent, at any depth, but not what routes the request', () => {
    secrets.add('hunter2-canary');
    const params: Record<string, unknown> = {
      method: 'POST',
      url: '/repos/{owner}/{repo}/check-runs',
      owner: 'hunter2-canary', // a route parameter: where the request goes, left alone
      repo: 'shop',
      headers: { authorization: 'token hunter2-canary' },
      name: 'shipshape',
      output: {
        summary: 'diff: password hunter2-canary',
        annotations: [{ message: 'bad hunter2-canary', start_line: 3 }],
      },
    };
    maskRequest(params);
    expect(params.owner).toBe('hunter2-canary');
    expect(params.headers).toEqual({ authorization: 'token hunter2-canary' });
    expect(params.output).toEqual({
      summary: 'diff: password <secret: 14 bytes>',
      annotations: [{ message: 'bad <secret: 14 bytes>', start_line: 3 }],
    });
  });

  it('masks GraphQL variables but not the document', () => {
    secrets.add('resolveReviewThread');
    const params: Record<string, unknown> = {
      method: 'POST',
      url: '/graphql',
      query: 'mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id } } }',
      id: 'resolveReviewThread',
    };
    maskRequest(params);
    expect(params.query).toContain('resolveReviewThread(input');
    expect(params.id).toBe('<secret: 19 bytes>');
  });

  it('leaves a request alone when the run has seen no secret', () => {
    const params = { url: '/x', body: 'hunter2-canary' };
    maskRequest(params);
    expect(params.body).toBe('hunter2-canary');
  });
});

describe('createGitHub', () => {
  let server: Server;
  let url: string;
  const bodies: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        bodies.push(`${req.url} ${body}`);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"id":1}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('masks the body of every request it sends', async () => {
    secrets.add('hunter2-canary');
    const gh = createGitHub({ token: 't', baseUrl: url, log: { info: () => {}, warning: () => {} } });
    await gh.rest.issues.createComment({
      owner: 'acme',
      repo: 'shop',
      issue_number: 7,
      body: 'pw: hunter2-canary',
    });
    expect(bodies.at(-1)).toBe('/repos/acme/shop/issues/7/comments {"body":"pw: <secret: 14 bytes>"}');
  });
});
