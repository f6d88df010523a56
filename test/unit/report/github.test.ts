import { describe, expect, it } from 'vitest';
import { command, escapeData, escapeProperty, renderGithub } from '../../../src/report/github.js';
import { sampleResult } from './fixture.js';

describe('github workflow commands', () => {
  it('escapes %, CR and LF in data, and also : and , in properties', () => {
    expect(escapeData('100%\r\nnext: a,b')).toBe('100%25%0D%0Anext: a,b');
    expect(escapeProperty('100%\r\nnext: a,b')).toBe('100%25%0D%0Anext%3A a%2Cb');
    expect(command('warning', { file: 'a,b.yaml', title: 'x: y' }, 'm')).toBe(
      '::warning file=a%2Cb.yaml,title=x%3A y::m',
    );
  });

  it('emits one command per finding, with file, line, column and title', async () => {
    const lines = renderGithub(await sampleResult())
      .trimEnd()
      .split('\n');
    expect(lines).toContain(
      '::error file=deploy/api.yaml,line=8,col=3,title=fake-replicas (replicas)::runs 1 replica%0ADeployment shop/api spec.replicas%0AFix: Set spec.replicas to 2 or more.',
    );
    const warning = lines.find((l) => l.startsWith('::warning'))!;
    expect(warning).toContain('ConfigMap shop/100%25 | <pipes>, commas: and colons');
    // Every line is a single workflow command: no raw newline escaped its message.
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) [^:]*::/);
  });

  it('includes input errors with their position', async () => {
    expect(renderGithub(await sampleResult())).toContain(
      '::error file=deploy/broken.yaml,line=9,col=19,title=shipshape input error::YAML syntax error: unclosed [',
    );
  });

  it('maps info to notice', () => {
    const result = {
      findings: [
        {
          ruleId: 'r',
          checklist: 'api' as const,
          severity: 'info' as const,
          message: 'm',
          remediation: 'f',
          object: { apiVersion: 'v1', kind: 'Pod', name: 'p' },
          path: 'spec',
          location: { file: 'p.yaml', line: 2, column: 1 },
          fingerprint: 'x',
        },
      ],
      errors: [],
      files: [],
      objects: 1,
      rules: [],
      suppressed: [],
      baselined: [],
    };
    expect(renderGithub(result)).toBe(
      '::notice file=p.yaml,line=2,col=1,title=r (api)::m%0APod p spec%0AFix: f\n',
    );
  });
});
