import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Real git repositories for the Action's tests: files written, committed, and diffed with git
 * itself, so the patches the local GitHub server serves are the ones GitHub would compute.
 */

export class TestRepo {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'shipshape-repo-'));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'dev@example.com');
    this.git('config', 'user.name', 'Dev');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  write(files: Record<string, string | null>): void {
    for (const [name, text] of Object.entries(files)) {
      const abs = path.join(this.dir, name);
      if (text === null) {
        rmSync(abs, { force: true });
        continue;
      }
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
  }

  commit(message: string, files: Record<string, string | null>): string {
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  checkout(ref: string): void {
    this.git('checkout', '-q', ref);
  }

  /** The pull request's files as GitHub's "list pull request files" returns them. */
  pullFiles(
    base: string,
    head: string,
  ): {
    filename: string;
    status: 'added' | 'removed' | 'modified' | 'renamed';
    patch?: string;
    previous_filename?: string;
  }[] {
    const out = this.git('diff', '--name-status', '-M', base, head).trim();
    if (!out) return [];
    return out.split('\n').map((line) => {
      const [status, a, b] = line.split('\t');
      const filename = b ?? a;
      const patch = this.git('diff', '-M', base, head, '--', ...(b ? [a, b] : [a]));
      const hunks = patch.slice(patch.indexOf('\n@@') + 1).trimEnd();
      const kind =
        status[0] === 'A'
          ? 'added'
          : status[0] === 'D'
            ? 'removed'
            : status[0] === 'R'
              ? 'renamed'
              : 'modified';
      return {
        filename,
        status: kind,
        ...(patch.includes('\n@@') ? { patch: hunks } : {}),
        ...(b ? { previous_filename: a } : {}),
      };
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The acceptance scenario's repository: a chart, a Kustomize base with an overlay, and a plain
// manifest, each reasonably production-ready at the base.

const podSecurity = (indent: string) =>
  [
    'securityContext:',
    '  runAsNonRoot: true',
    '  allowPrivilegeEscalation: false',
    '  readOnlyRootFilesystem: true',
    '  capabilities:',
    '    drop: ["ALL"]',
  ]
    .map((l) => indent + l)
    .join('\n');

export const BASE_FILES: Record<string, string> = {
  'README.md': '# shop\n',
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1.4.2"\n',
  'charts/web/values.yaml': [
    'replicaCount: 2',
    'image:',
    '  repository: ghcr.io/acme/web',
    '  tag: "1.4.2"',
    'resources:',
    '  requests:',
    '    cpu: 100m',
    '    memory: 128Mi',
    '  limits:',
    '    cpu: 500m',
    '    memory: 256Mi',
    '',
  ].join('\n'),
  'charts/web/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}',
    '  labels:',
    '    app: web',
    'spec:',
    '  replicas: {{ .Values.replicaCount }}',
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    podSecurity('          '),
    '          resources:',
    '            {{- toYaml .Values.resources | nindent 12 }}',
    '',
  ].join('\n'),
  'kustomize/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
  'kustomize/base/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  replicas: 2',
    '  selector:',
    '    matchLabels:',
    '      app: api',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: api',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: ghcr.io/acme/api:2.0.1',
    podSecurity('          '),
    '',
  ].join('\n'),
  'kustomize/overlays/prod/kustomization.yaml': [
    'namespace: prod',
    'resources:',
    '  - ../../base',
    'patches:',
    '  - path: resources.yaml',
    '',
  ].join('\n'),
  'kustomize/overlays/prod/resources.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          resources:',
    '            requests:',
    '              cpu: 250m',
    '              memory: 256Mi',
    '            limits:',
    '              cpu: "1"',
    '              memory: 512Mi',
    '',
  ].join('\n'),
  'plain/worker.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: worker',
    '  namespace: jobs',
    'spec:',
    '  replicas: 2',
    '  selector:',
    '    matchLabels:',
    '      app: worker',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: worker',
    '    spec:',
    '      containers:',
    '        - name: worker',
    '          image: ghcr.io/acme/worker:3.1.0',
    '          resources:',
    '            requests: { cpu: 100m, memory: 64Mi }',
    '            limits: { cpu: 200m, memory: 64Mi }',
    '',
  ].join('\n'),
};

/** The pull request: a debug image tag, a dropped limit in a patch, a privileged container. */
export const HEAD_CHANGES: Record<string, string> = {
  'charts/web/values.yaml': BASE_FILES['charts/web/values.yaml'].replace(
    'tag: "1.4.2"',
    'tag: "1.4.2-debug"',
  ),
  'kustomize/overlays/prod/resources.yaml': BASE_FILES['kustomize/overlays/prod/resources.yaml'].replace(
    '              memory: 512Mi\n',
    '',
  ),
  'plain/worker.yaml': BASE_FILES['plain/worker.yaml'].replace(
    '          image: ghcr.io/acme/worker:3.1.0\n',
    '          image: ghcr.io/acme/worker:3.1.0\n          securityContext:\n            privileged: true\n',
  ),
};
