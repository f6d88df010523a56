import { describe, expect, it } from 'vitest';
import { OverlayBuilder } from '../../../src/gitops/overlay.js';

describe('OverlayBuilder', () => {
  it('maps each line of the wrapper text back to the field it came from', () => {
    const o = new OverlayBuilder();
    const at = (line: number) => ({ file: 'app.yaml', line, column: 9 });
    o.set('namespace', 'shop', () => at(20));
    o.push('images', { name: 'web', newTag: 'latest' }, (rel) => (rel[0] === 'newTag' ? at(31) : at(30)));
    o.push('images', { name: 'api', newTag: '1.0' }, () => at(40));
    o.push('patches', { target: { kind: 'Deployment' }, patch: 'spec:\n  replicas: 1\n' }, (_rel, inText) =>
      inText ? { file: 'app.yaml', line: 50 + inText.line, column: 10 + inText.column } : at(49),
    );
    const overlay = o.build();
    const lines = overlay.text.split('\n');
    const lineOf = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    expect(overlay.locate(lineOf('namespace:'), 1)).toEqual(at(20));
    expect(overlay.locate(lineOf('newTag: latest'), 5)).toEqual(at(31));
    expect(overlay.locate(lineOf('name: web'), 5)).toEqual(at(30));
    expect(overlay.locate(lineOf('name: api'), 5)).toEqual(at(40));
    // Inside the inline patch: line and column within its text.
    const replicas = lineOf('replicas: 1');
    const column = lines[replicas - 1].indexOf('replicas') + 1;
    expect(overlay.locate(replicas, column)).toEqual({ file: 'app.yaml', line: 52, column: 13 });
    expect(overlay.locate(999, 1)).toBeUndefined();
  });

  it('writes nothing when nothing is set', () => {
    const o = new OverlayBuilder();
    expect(o.empty).toBe(true);
    o.components.push('components/tls');
    expect(o.empty).toBe(false);
    expect(o.build().text).toBe('');
  });
});
