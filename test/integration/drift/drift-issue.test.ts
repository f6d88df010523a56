// The drift issue's lifecycle against the local GitHub server, which checks every request
// against GitHub's OpenAPI description: created when drift appears, updated in place while it
// lasts, closed with a comment when it is gone, one issue per cluster; a run that could not tell
// closes nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport } from '../../../src/drift/types.js';
import { createGitHub, GitHubSession } from '../../../src/github/client.js';
import {
  type ClusterIdentity,
  clusterIdentity,
  DRIFT_LABEL,
  driftMarker,
  syncDriftIssue,
} from '../../../src/github/drift-issue.js';
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

const EU: ClusterIdentity = clusterIdentity({ cluster: 'prod-eu' });
const US: ClusterIdentity = clusterIdentity({ cluster: 'prod-us' });

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
    expect(await syncDriftIssue(session(), report(0), { cluster: EU })).toEqual({ action: 'none' });
    expect(server.issues).toHaveLength(0);
  });

  it('creates one labelled issue with a hidden marker when drift appears', async () => {
    const outcome = await syncDriftIssue(session(), report(1), { cluster: EU });
    expect(outcome.action).toBe('created');
    expect(server.issues).toHaveLength(1);
    const [issue] = server.issues;
    expect(issue.labels).toEqual([DRIFT_LABEL]);
    expect(issue.title).toBe('Drift in cluster prod-eu');
    expect(issue.body.startsWith(driftMarker(EU))).toBe(true);
    expect(issue.body).toContain('spec.replicas');
    expect(issue.body).toContain('not a person');
  });

  it('updates the same issue in place while drift lasts, and leaves it alone when nothing changed', async () => {
    expect((await syncDriftIssue(session(), report(2), { cluster: EU })).action).toBe('updated');
    expect(server.issues).toHaveLength(1);
    expect(server.issues[0].body).toContain('app-1');
    expect((await syncDriftIssue(session(), report(2), { cluster: EU })).action).toBe('unchanged');
  });

  it('keeps clusters apart: another cluster gets its own issue', async () => {
    expect((await syncDriftIssue(session(), report(1), { cluster: US })).action).toBe('created');
    expect(server.issues.filter((i) => i.state === 'open')).toHaveLength(2);
  });

  it('closes the issue with a comment when the drift is gone', async () => {
    const outcome = await syncDriftIssue(session(), report(0), { cluster: EU });
    expect(outcome.action).toBe('closed');
    const issue = server.issues.find((i) => i.body.includes(driftMarker(EU)))!;
    expect(issue.state).toBe('closed');
    const comments = server.issueComments.filter((c) => c.issue_number === issue.number);
    expect(comments.map((c) => c.body)).toEqual([expect.stringContaining('No drift in `prod-eu` any more')]);
    // The other cluster's issue stays open.
    expect(server.issues.find((i) => i.body.includes(driftMarker(US)))!.state).toBe('open');
  });

  it('opens a new issue when drift comes back after the old one was closed', async () => {
    expect((await syncDriftIssue(session(), report(1), { cluster: EU })).action).toBe('created');
    expect(server.issues.filter((i) => i.body.includes(driftMarker(EU)))).toHaveLength(2);
  });

  it('a run that could not tell keeps the issue open, with the drift it reported and the problem added', async () => {
    const open = server.issues.find((i) => i.state === 'open' && i.body.includes(driftMarker(EU)))!;
    const before = open.body;
    const partial: DriftReport = {
      ...report(0),
      errors: [{ message: 'charts/web/templates/deployment.yaml:12: image.tag is required' }],
      coverage: { status: 'partial', notCompared: ['charts/web (did not render)'], lists: 'openapi-v3' },
    };
    const outcome = await syncDriftIssue(session(), partial, {
      cluster: EU,
      problems: ['charts/web/templates/deployment.yaml:12: image.tag is required'],
    });
    expect(outcome.action).toBe('kept-open');
    expect(open.state).toBe('open');
    expect(open.body.startsWith(before.trimEnd())).toBe(true);
    expect(open.body).toContain('### The latest run could not tell');
    expect(open.body).toContain('image.tag is required');
    // Again: the problem replaces the earlier one rather than piling up.
    await syncDriftIssue(session(), partial, { cluster: EU, problems: ['v1 Secret in shop: forbidden'] });
    expect(open.body.match(/could not tell/g)).toHaveLength(1);
    expect(open.body).toContain('v1 Secret in shop: forbidden');
    expect(open.body).not.toContain('image.tag is required');
    // Nothing is opened for an unknown alone.
    const other = clusterIdentity({ cluster: 'staging' });
    expect((await syncDriftIssue(session(), partial, { cluster: other, problems: ['x'] })).action).toBe(
      'none',
    );
  });

  it('keys clusters by address and CA, not by a context name two clusters share', () => {
    const a = clusterIdentity({ context: 'default', server: 'https://10.0.0.1:6443', caFingerprint: 'aa' });
    const b = clusterIdentity({ context: 'default', server: 'https://10.0.0.2:6443', caFingerprint: 'bb' });
    const inA = clusterIdentity({
      context: 'in-cluster',
      server: 'https://10.96.0.1:443',
      caFingerprint: 'aa',
    });
    const inB = clusterIdentity({
      context: 'in-cluster',
      server: 'https://10.96.0.1:443',
      caFingerprint: 'bb',
    });
    expect(driftMarker(a)).not.toBe(driftMarker(b));
    expect(driftMarker(inA)).not.toBe(driftMarker(inB));
    expect(a.name).toBe('default (10.0.0.1:6443)');
    expect(driftMarker(a)).toMatch(/^<!-- shipshape:drift id=[0-9a-f]{16} -->$/);
  });

  it('takes over an issue an earlier version marked with the context name', async () => {
    const legacyBody = '<!-- shipshape:drift cluster=prod-ap -->\n## Drift in cluster prod-ap\n';
    const gh = session();
    const created = await gh.call('seed', (o) =>
      o.rest.issues.create({
        owner: 'acme',
        repo: 'shop',
        title: 'Drift in cluster prod-ap',
        body: legacyBody,
        labels: [DRIFT_LABEL],
      }),
    );
    const ap = clusterIdentity({ context: 'prod-ap', server: 'https://ap.example:6443' });
    const outcome = await syncDriftIssue(session(), report(1), { cluster: ap, legacyName: 'prod-ap' });
    expect(outcome).toMatchObject({ action: 'updated', number: created?.data.number });
    const issue = server.issues.find((i) => i.number === created?.data.number)!;
    expect(issue.body.startsWith(driftMarker(ap))).toBe(true);
  });
});
