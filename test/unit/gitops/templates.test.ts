import { describe, expect, it } from 'vitest';
import { executeFastTemplate, executeGoTemplate } from '../../../src/gitops/gotemplate.js';

describe('ApplicationSet templates', () => {
  it('fasttemplate: known parameters replaced (spaces allowed), unknown ones left as written', () => {
    const params = { 'path.basename': 'web', cluster: 'eu' };
    expect(executeFastTemplate('{{path.basename}}-{{ cluster }}-{{nope}}', params)).toBe('web-eu-{{nope}}');
  });

  it('goTemplate: fields, index, pipelines through the usual functions, trim markers', () => {
    const data = { env: 'PR-7', replicas: 2, path: { basename: 'web', segments: ['apps', 'web'] } };
    const run = (t: string) => executeGoTemplate(t, data);
    expect(run('{{ .env | lower }}-{{.path.basename}}')).toEqual({ value: 'pr-7-web' });
    expect(run('{{ index .path.segments 0 }}')).toEqual({ value: 'apps' });
    expect(run('{{ .missing | default "none" }}')).toEqual({ value: 'none' });
    expect(run('{{ .replicas }}')).toEqual({ value: '2' });
    expect(run('a {{- " b " -}} c')).toEqual({ value: 'a b c' });
    expect(run('{{ printf "%s-%d" .env .replicas }}')).toEqual({ value: 'PR-7-2' });
    expect(run('{{ .env | trunc 2 | quote }}')).toEqual({ value: '"PR"' });
    expect(run('{{ .nothing }}')).toEqual({ value: '<no value>' });
  });

  it('goTemplate: control structures and variables are reported, not guessed', () => {
    expect(executeGoTemplate('{{ if .env }}x{{ end }}', {})).toMatchObject({
      error: expect.stringContaining('control'),
    });
    expect(executeGoTemplate('{{ $x := 1 }}', {})).toMatchObject({
      error: expect.stringContaining('variables'),
    });
    expect(executeGoTemplate('{{ toJson .env }}', { env: 'x' })).toMatchObject({ error: expect.any(String) });
  });
});
