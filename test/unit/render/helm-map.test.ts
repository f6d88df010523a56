import { describe, expect, it } from 'vitest';
import { helmError } from '../../../src/render/helm.js';
import { mapHelmOutput } from '../../../src/render/helm-map.js';
import { scanActions } from '../../../src/render/helm-template.js';
import { dedent } from '../rules/helpers.js';

/**
 * Source mapping from hand-written `helm template` output (what helm prints for these
 * templates), so the mapping is tested without helm. Each case names the line a human edits.
 */

const chart = 'charts/app';

function sources(files: Record<string, string>, valuesFiles: string[] = [], setKeys: string[] = []) {
  const map = new Map(Object.entries(files).map(([k, v]) => [`${chart}/${k}`, dedent(v)]));
  return { chartDir: chart, files: map, valuesFiles: valuesFiles.map((f) => `${chart}/${f}`), setKeys };
}

function where(
  output: string,
  src: ReturnType<typeof sources>,
  path: (string | number)[],
  kind = 'Deployment',
) {
  const { manifests, errors } = mapHelmOutput(dedent(output), 'rendered', src);
  expect(errors).toEqual([]);
  const m = manifests.find((x) => x.ref.kind === kind)!;
  const loc = m.locateSource!(path);
  return `${loc.file.slice(chart.length + 1)}:${loc.line}`;
}

const deployment = `
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: {{ .Release.Name }}
  spec:
    replicas: {{ .Values.replicas }}
    template:
      spec:
        containers:
          {{- range .Values.sidecars }}
          - name: {{ .name }}
            image: {{ .image }}
          {{- end }}
          - name: app
            image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
            {{- with .Values.resources }}
            resources:
              {{- toYaml . | nindent 12 }}
            {{- end }}
`;

const values = `
  replicas: 2
  image:
    repository: example/app
    tag: "1.0"
  sidecars:
    - name: proxy
      image: envoy:1.30
    - name: logs
      image: fluent-bit:3.0
  resources:
    limits:
      memory: 128Mi
`;

const output = `
  ---
  # Source: app/templates/deployment.yaml
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: rel
  spec:
    replicas: 3
    template:
      spec:
        containers:
          - name: proxy
            image: envoy:1.30
          - name: logs
            image: fluent-bit:3.1
          - name: app
            image: "example/app:1.0"
            resources:
              limits:
                memory: 128Mi
`;

describe('helm source mapping', () => {
  const src = sources(
    {
      'templates/deployment.yaml': deployment,
      'values.yaml': values,
      'values-prod.yaml':
        'replicas: 3\nsidecars:\n  - name: proxy\n    image: envoy:1.30\n  - name: logs\n    image: fluent-bit:3.1\n',
    },
    ['values-prod.yaml'],
  );
  const C = ['spec', 'template', 'spec', 'containers'];

  it('maps a value to the key of the last values file that sets it', () => {
    expect(where(output, src, ['spec', 'replicas'])).toBe('values-prod.yaml:1');
    expect(where(output, src, [...C, 2, 'image'])).toBe('values.yaml:4');
  });

  it('maps a field printed inside a range to the item of that iteration', () => {
    expect(where(output, src, [...C, 0, 'image'])).toBe('values-prod.yaml:4');
    expect(where(output, src, [...C, 1, 'image'])).toBe('values-prod.yaml:6');
  });

  it('maps a toYaml block to the values key under the subtree, and a missing child to its nearest parent there', () => {
    expect(where(output, src, [...C, 2, 'resources', 'limits', 'memory'])).toBe('values.yaml:12');
    expect(where(output, src, [...C, 2, 'resources', 'limits', 'cpu'])).toBe('values.yaml:11');
    expect(where(output, src, [...C, 2, 'resources', 'requests'])).toBe('values.yaml:10');
  });

  it('maps a literal field, and a missing one, to the template line', () => {
    expect(where(output, src, ['kind'])).toBe('templates/deployment.yaml:2');
    expect(where(output, src, [...C, 2, 'securityContext'])).toBe('templates/deployment.yaml:14');
    expect(where(output, src, ['spec', 'template', 'metadata'])).toBe('templates/deployment.yaml:7');
  });

  it('maps a value from --set to the template line (no file sets it)', () => {
    const withSet = sources(
      { 'templates/deployment.yaml': deployment, 'values.yaml': values },
      [],
      ['replicas'],
    );
    expect(where(output, withSet, ['spec', 'replicas'])).toBe('templates/deployment.yaml:6');
  });

  it('maps lines printed by an include into the define in _helpers.tpl', () => {
    const helpers = `
      {{- define "app.labels" -}}
      app.kubernetes.io/name: {{ .Chart.Name }}
      team: {{ .Values.team }}
      {{- end }}
    `;
    const tpl = `
      apiVersion: v1
      kind: Service
      metadata:
        name: svc
        labels:
          {{- include "app.labels" . | nindent 4 }}
      spec:
        type: ClusterIP
    `;
    const out = `
      ---
      # Source: app/templates/service.yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: svc
        labels:
          app.kubernetes.io/name: app
          team: payments
      spec:
        type: ClusterIP
    `;
    const s = sources({
      'templates/_helpers.tpl': helpers,
      'templates/service.yaml': tpl,
      'values.yaml': 'team: payments\n',
    });
    expect(where(out, s, ['metadata', 'labels', 'app.kubernetes.io/name'], 'Service')).toBe(
      'templates/_helpers.tpl:2',
    );
    expect(where(out, s, ['metadata', 'labels', 'team'], 'Service')).toBe('values.yaml:1');
    expect(where(out, s, ['spec', 'type'], 'Service')).toBe('templates/service.yaml:8');
  });

  it('maps a subchart template to its own values, overridden under its name in the parent', () => {
    const tpl =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  size: {{ .Values.size | quote }}\n  mode: {{ .Values.mode }}\n';
    const out = `
      ---
      # Source: app/charts/cache/templates/cm.yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: c
      data:
        size: "2Gi"
        mode: lru
    `;
    const s = sources({
      'charts/cache/templates/cm.yaml': tpl,
      'charts/cache/values.yaml': 'size: 1Gi\nmode: lru\n',
      'values.yaml': 'cache:\n  size: 2Gi\n',
    });
    expect(where(out, s, ['data', 'size'], 'ConfigMap')).toBe('values.yaml:2');
    expect(where(out, s, ['data', 'mode'], 'ConfigMap')).toBe('charts/cache/values.yaml:2');
  });

  it('falls back to the Chart.yaml dependency for a template that is not on disk', () => {
    const out =
      '---\n# Source: app/charts/db/templates/x.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
    const s = sources({
      'Chart.yaml':
        'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: db\n    version: 1.0.0\n',
    });
    expect(where(out, s, ['metadata', 'name'], 'ConfigMap')).toBe('Chart.yaml:5');
  });
});

describe('template scanning', () => {
  it('keeps `}}` inside strings and comments within their action', () => {
    const acts = scanActions('a: {{ printf "}}" .x }} b: {{/* a }} comment */}} c: {{- .y -}}');
    expect(acts.map((a) => a.body)).toEqual(['printf "}}" .x', '/* a }} comment */', '.y']);
  });
});

describe('helm errors', () => {
  const files = new Map([[`${chart}/templates/x.yaml`, 'a\nb\nc\nd\ne\nf\n']]);
  const noDebug = async () => '';

  it('takes file, line and column from an execution error', async () => {
    const err = await helmError(
      'Error: template: app/templates/x.yaml:4:12: executing "app/templates/x.yaml" at <.Values.a.b>: nil pointer\n',
      chart,
      `${chart}/Chart.yaml`,
      files,
      noDebug,
    );
    expect(err.location).toEqual({ file: `${chart}/templates/x.yaml`, line: 4, column: 12 });
  });

  it('takes the line from a parse error and a `required` failure', async () => {
    const parse = await helmError(
      'Error: parse error at (app/templates/x.yaml:5): unclosed action\n',
      chart,
      'c',
      files,
      noDebug,
    );
    expect(parse.location).toMatchObject({ line: 5 });
    const req = await helmError(
      'Error: execution error at (app/templates/x.yaml:3:8): need foo\n',
      chart,
      'c',
      files,
      noDebug,
    );
    expect(req.location).toEqual({ file: `${chart}/templates/x.yaml`, line: 3, column: 8 });
  });

  it('maps a YAML error in rendered output back to the template line that printed it', async () => {
    const tfiles = new Map([
      [
        `${chart}/templates/x.yaml`,
        '{{- if true }}\napiVersion: v1\nkind: ConfigMap\ndata:\n  k: v\n   j: {{ .Values.j }}\n{{- end }}\n',
      ],
    ]);
    const debug = async () =>
      '---\n# Source: app/templates/x.yaml\n\napiVersion: v1\nkind: ConfigMap\ndata:\n  k: v\n   j: x\n';
    const err = await helmError(
      'Error: YAML parse error on app/templates/x.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context\n',
      chart,
      `${chart}/Chart.yaml`,
      tfiles,
      debug,
    );
    expect(err.location).toMatchObject({ file: `${chart}/templates/x.yaml`, line: 6 });
  });
});

describe('library defines that print the values they are given', () => {
  it('maps lines of `include "common.render" (dict "value" .Values.x ...)` to the keys under x', () => {
    const helpers = `
      {{- define "common.render" -}}
      {{- if typeIs "string" .value }}
      {{- tpl .value .context }}
      {{- else }}
      {{- tpl (.value | toYaml) .context }}
      {{- end }}
      {{- end }}
    `;
    const tpl = `
      apiVersion: v1
      kind: Pod
      metadata:
        name: p
        labels:
          {{- include "common.render" (dict "value" .Values.podLabels "context" $) | nindent 4 }}
      spec:
        containers: []
    `;
    const out = `
      ---
      # Source: app/templates/pod.yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: p
        labels:
          team: payments
          tier: backend
      spec:
        containers: []
    `;
    const s = sources({
      'templates/_helpers.tpl': helpers,
      'templates/pod.yaml': tpl,
      'values.yaml': 'podLabels:\n  team: payments\n  tier: backend\n',
    });
    expect(where(out, s, ['metadata', 'labels', 'tier'], 'Pod')).toBe('values.yaml:3');
    expect(where(out, s, ['metadata', 'labels', 'owner'], 'Pod')).toBe('values.yaml:1');
  });
});

describe('global values', () => {
  it('maps a subchart’s .Values.global.x to the parent’s top-level global: key', () => {
    const tpl =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  registry: {{ .Values.global.registry }}\n';
    const out = `
      ---
      # Source: app/charts/cache/templates/cm.yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: c
      data:
        registry: registry.example.com
    `;
    const s = sources(
      {
        'charts/cache/templates/cm.yaml': tpl,
        'charts/cache/values.yaml': 'global:\n  registry: docker.io\n',
        'values.yaml': 'cache: {}\nglobal:\n  registry: registry.example.com\n',
      },
      [],
    );
    expect(where(out, s, ['data', 'registry'], 'ConfigMap')).toBe('values.yaml:3');
  });
});

describe('template shapes', () => {
  it('maps a range whose `end` shares the line with the body, and output of `template`', () => {
    const tpl = `
      apiVersion: example.com/v1
      kind: Example
      metadata:
        name: {{ template "app.name" . }}
      args:
      {{- range .Values.args }}
        - {{ . | quote }}{{ end }}
      after: true
    `;
    const out = `
      ---
      # Source: app/templates/example.yaml
      apiVersion: example.com/v1
      kind: Example
      metadata:
        name: app
      args:
        - "first"
        - "second"
      after: true
    `;
    const s = sources({
      'templates/_helpers.tpl': '{{- define "app.name" -}}\napp\n{{- end }}\n',
      'templates/example.yaml': tpl,
      'values.yaml': 'args:\n  - first\n  - second\n',
    });
    expect(where(out, s, ['args', 1], 'Example')).toBe('values.yaml:3');
    expect(where(out, s, ['args', 0], 'Example')).toBe('values.yaml:2');
    expect(where(out, s, ['after'], 'Example')).toBe('templates/example.yaml:8');
  });
});

describe('helpers given a values map', () => {
  it('lands an image built by a helper from .Values.image on the leaf that shows last (the tag)', () => {
    const helpers = `
      {{- define "common.images.image" -}}
      {{- printf "%s/%s:%s" .imageRoot.registry .imageRoot.repository .imageRoot.tag -}}
      {{- end }}
    `;
    const tpl = `
      apiVersion: v1
      kind: Pod
      metadata:
        name: p
      spec:
        containers:
          - name: app
            image: {{ include "common.images.image" (dict "imageRoot" .Values.image "global" $) }}
    `;
    const out = `
      ---
      # Source: app/templates/pod.yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: p
      spec:
        containers:
          - name: app
            image: docker.io/bitnami/nginx:1.25.0-debian-12-r0
    `;
    const s = sources(
      {
        'templates/_helpers.tpl': helpers,
        'templates/pod.yaml': tpl,
        'values.yaml': 'image:\n  registry: docker.io\n  repository: bitnami/nginx\n  tag: 1.24.0\n',
        'values-prod.yaml': 'image:\n  tag: 1.25.0-debian-12-r0\n',
      },
      ['values-prod.yaml'],
    );
    expect(where(out, s, ['spec', 'containers', 0, 'image'], 'Pod')).toBe('values-prod.yaml:2');
  });
});

describe('YAML errors in rendered output', () => {
  it('are moved to the template line that printed the bad line', () => {
    const tpl = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: {{ .Values.a }}\n';
    const out =
      '---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: [unclosed\n';
    const { errors } = mapHelmOutput(
      out,
      'rendered',
      sources({ 'templates/cm.yaml': tpl, 'values.yaml': 'a: "[unclosed"\n' }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ level: 'error', location: { file: `${chart}/templates/cm.yaml` } });
    expect(errors[0].location!.line).toBeGreaterThanOrEqual(5);
    expect(errors[0].message).toContain(`in the output of ${chart}/templates/cm.yaml`);
  });
});

describe('helm template arguments', () => {
  it('passes the release, namespace, values files in order, --set, kube version and API versions', async () => {
    const { templateArgs } = await import('../../../src/render/helm.js');
    const args = templateArgs(
      {
        kind: 'helm',
        chart: 'charts/web',
        releaseName: 'web',
        namespace: 'shop',
        valuesFiles: ['a.yaml', 'b.yaml'],
        set: { 'image.tag': '1.2.3' },
        kubeVersion: '1.31.0',
        apiVersions: ['monitoring.coreos.com/v1'],
      },
      '/abs/charts/web',
      ['/abs/a.yaml', '/abs/b.yaml'],
    );
    expect(args).toEqual([
      'template',
      'web',
      '/abs/charts/web',
      '--namespace',
      'shop',
      '--include-crds',
      '--skip-tests',
      '--values',
      '/abs/a.yaml',
      '--values',
      '/abs/b.yaml',
      '--set',
      'image.tag=1.2.3',
      '--kube-version',
      '1.31.0',
      '--api-versions',
      'monitoring.coreos.com/v1',
    ]);
  });
});
