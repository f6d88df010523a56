import { describe, expect, it } from 'vitest';
import { check, lineOf } from './helpers.js';

const DIGEST = `sha256:${'0a'.repeat(32)}`;

function deployment(...images: string[]) {
  return `
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api }
    spec:
      template:
        spec:
          initContainers:
            - name: init
              image: ghcr.io/acme/init:1.0@${DIGEST}
          containers:
${images.map((image, i) => `            - name: c${i}\n              image: ${image}`).join('\n')}
  `;
}

describe('image-reference-invalid', () => {
  it('reports an unparseable reference and a missing image on the image line', () => {
    const yaml = deployment('ghcr.io/Acme/App:v1', '""');
    const findings = check(yaml, 'image-reference-invalid');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [
        'container "c0" has an invalid image "ghcr.io/Acme/App:v1": repository name must be lowercase: "Acme"',
        lineOf(yaml, 'Acme'),
        'error',
      ],
      ['container "c1" has no image', lineOf(yaml, 'image: ""'), 'error'],
    ]);
  });

  it('passes valid references with ports, nested paths and digests', () => {
    expect(check(deployment(`localhost:5000/a/b:tag@${DIGEST}`, 'nginx'), 'image-reference-invalid')).toEqual(
      [],
    );
  });
});

describe('image-tag-latest', () => {
  it('reports latest and a missing tag', () => {
    const yaml = deployment('nginx:latest', 'registry.local:5000/team/app');
    const findings = check(yaml, 'image-tag-latest');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      ['container "c0" uses the latest tag of nginx', lineOf(yaml, 'nginx:latest')],
      [
        'container "c1" has no tag on image registry.local:5000/team/app, so it runs latest',
        lineOf(yaml, 'registry.local'),
      ],
    ]);
  });

  it('passes a versioned tag, and latest pinned by a digest', () => {
    expect(check(deployment('nginx:1.27', `nginx:latest@${DIGEST}`), 'image-tag-latest')).toEqual([]);
  });
});

describe('image-tag-debug', () => {
  it('catches the tag from the post-mortem, on the image line', () => {
    const yaml = deployment('company/checkout:v1.2.3-debug-DONT-PUSH');
    const findings = check(yaml, 'image-tag-debug');
    expect(findings.map((f) => [f.message, f.location.line])).toEqual([
      [
        'container "c0" runs a debug build: tag "v1.2.3-debug-DONT-PUSH" contains "debug"',
        lineOf(yaml, 'DONT-PUSH'),
      ],
    ]);
  });

  it('passes release tags, including ones that merely contain a pattern inside a word', () => {
    expect(
      check(deployment('nginx:1.27-bookworm', 'acme/debugger:2.0', 'acme/app:latest'), 'image-tag-debug'),
    ).toEqual([]);
  });

  it('uses the configured patterns', () => {
    const yaml = deployment('acme/app:2.0-rc1', 'acme/app:2.0-debug');
    const findings = check(yaml, 'image-tag-debug', { debugTagPatterns: ['rc\\d+'] });
    expect(findings.map((f) => f.message)).toEqual([
      'container "c0" runs a debug build: tag "2.0-rc1" contains "rc1"',
    ]);
  });
});

describe('image-digest-missing', () => {
  it('warns about each container without a digest, init containers too', () => {
    const yaml = `
      apiVersion: batch/v1
      kind: Job
      metadata: { name: j }
      spec:
        template:
          spec:
            initContainers:
              - name: fetch
                image: curlimages/curl:8.8.0
            containers:
              - name: run
                image: acme/run:3@${DIGEST}
    `;
    const findings = check(yaml, 'image-digest-missing');
    expect(findings.map((f) => [f.message, f.location.line, f.severity])).toEqual([
      [
        'init container "fetch" image curlimages/curl:8.8.0 is not pinned to a digest',
        lineOf(yaml, 'curlimages'),
        'warning',
      ],
    ]);
  });

  it('is one finding for one image written once (one edit), one per line otherwise', () => {
    const sameLine = `
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: d }
      spec:
        template:
          spec:
            containers: [{ name: a, image: "acme/app:1.2" }, { name: b, image: "acme/app:1.2" }]
    `;
    expect(check(sameLine, 'image-digest-missing').map((f) => f.message)).toEqual([
      'container "a" image acme/app:1.2 is not pinned to a digest; also: container "b" of Deployment "d"',
    ]);
    const twoLines = sameLine.replace(
      '[{ name: a, image: "acme/app:1.2" }, { name: b, image: "acme/app:1.2" }]',
      '\n              - { name: a, image: "acme/app:1.2" }\n              - { name: b, image: "acme/app:1.2" }',
    );
    expect(check(twoLines, 'image-digest-missing')).toHaveLength(2);

    // A third container on the same line with an image of its own is its own finding.
    const third = sameLine.replace('}]', '}, { name: c, image: "acme/other:3" }]');
    expect(check(third, 'image-digest-missing').map((f) => f.message)).toEqual([
      'container "a" image acme/app:1.2 is not pinned to a digest; also: container "b" of Deployment "d"',
      'container "c" image acme/other:3 is not pinned to a digest',
    ]);
  });

  it('does not pile policy findings on an invalid reference', () => {
    expect(
      check(deployment('Bad Image'), ['image-tag-latest', 'image-digest-missing', 'image-tag-debug']),
    ).toEqual([]);
  });
});
