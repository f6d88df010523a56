// The drift issue's lifecycle against the local GitHub server, which checks every request
// against GitHub's OpenAPI description: created when drift appears, updated in place while it
// lasts, closed with a comment when it is gone, one issue per cluster.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport } from '../../../src/drift/types.js';
import { createGitHub, GitHubSession } from '../../../src/github/client.js';
import { DRIFT_LABEL, driftMarker, syncDriftIssue } from '../../../src/github/drift-issue.js';
import { type GitHubServer, startGitHubServer } from '../../github-server/server.js';

let server: GitHubServer;
const log = { info: () => {}, warning: () => {} };

beforeAll(async () => {
  server = await startGitHubServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  expect(server.violations).toEqual([]);
});

function session(): GitHubSession {
  return new GitHubSession(
    createGitHub({ token: 'ghs_test', baseUrl: server.url, log }),
    { owner: 'acme', repo: 'shop' },
    log,
  );
}

function report(drift: number): DriftReport {
  return {
    version: 1,
    drift: Array.from({ length: drift }, (_, i) => ({
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: `app-${i}` },
      type: 'changed' as const,
      path: 'spec.replicas',
      desired: 2,
      live: 5,
      manager: 'kubectl',
      operation: 'Update',
      subresource: 'scale',
      time: null,
    })),
    missing: [],
    images: [],
    errors: [],
  };
}

describe('drift issue lifecycle', () => {
  it('does nothing while there is no drift and no issue', async () => {
    expect(await syncDriftIssue(session(), report(0), { cluster: 'prod-eu' })).toEqual({ action: 'none' });
    expect(server.issues).toHaveLength(0);
  });

  it('creates one labelled issue with a hidden marker when drift appears', async () => {
    const outcome = await syncDriftIssue(session(), report(1), { cluster: 'prod-eu' });
    expect(outcome.action).toBe('created');
    expect(server.issues).toHaveLength(1);
    const [issue] = server.issues;
    expect(issue.labels).toEqual([DRIFT_LABEL]);
    expect(issue.title).toBe('Drift in cluster prod-eu');
    expect(issue.body.startsWith(driftMarker('prod-eu'))).toBe(true);
    expect(issue.body).toContain('spec.replicas');
    expect(issue.body).toContain('not a person');
  });

  it('updates the same issue in place while drift lasts, and leaves it alone when nothing changed', async () => {
    expect((await syncDriftIssue(session(), report(2), { cluster: 'prod-eu' })).action).toBe('updated');
    expect(server.issues).toHaveLength(1);
    expect(server.issues[0].body).toContain('app-1');
    expect((await syncDriftIssue(session(), report(2), { cluster: 'prod-eu' })).action).toBe('unchanged');
  });

  it('keeps clusters apart: another cluster gets its own issue', async () => {
    expect((await syncDriftIssue(session(), report(1), { cluster: 'prod-us' })).action).toBe('created');
    expect(server.issues.filter((i) => i.state === 'open')).toHaveLength(2);
  });

  it('closes the issue with a comment when the drift is gone', async () => {
    const outcome = await syncDriftIssue(session(), report(0), { cluster: 'prod-eu' });
    expect(outcome.action).toBe('closed');
    const issue = server.issues.find((i) => i.body.includes(driftMarker('prod-eu')))!;
    expect(issue.state).toBe('closed');
    const comments = server.issueComments.filter((c) => c.issue_number === issue.number);
    expect(comments.map((c) => c.body)).toEqual([expect.stringContaining('No drift in `prod-eu` any more')]);
    // The other cluster's issue stays open.
    expect(server.issues.find((i) => i.body.includes(driftMarker('prod-us')))!.state).toBe('open');
  });

  it('opens a new issue when drift comes back after the old one was closed', async () => {
    expect((await syncDriftIssue(session(), report(1), { cluster: 'prod-eu' })).action).toBe('created');
    expect(server.issues.filter((i) => i.body.includes(driftMarker('prod-eu')))).toHaveLength(2);
  });
});
