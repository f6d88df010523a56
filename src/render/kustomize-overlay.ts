import path from 'node:path';
import { stringify } from 'yaml';
import type { InputError, SourceLocation } from '../model/types.js';
import type { Containment } from './contain.js';
import type { KustomizeTarget, RenderResult } from './types.js';

/**
 * What an app definition lays over a Kustomize target (render/types.ts `KustomizeOverlay`): its
 * fields go first in the build's wrapper kustomization, so a line of the wrapper that a finding
 * or an error lands on is a line of the overlay's text, which the app definition maps back to
 * the line a human edits.
 */

/** The kustomizations the build reads (to check before it runs), and what is refused outright. */
export async function overlayInputs(
  target: KustomizeTarget,
  cwd: string,
  contain: Containment,
  kustomizationFile: (dirAbs: string) => Promise<string | undefined>,
): Promise<{ dirs: string[]; refused: InputError[] }> {
  const overlay = target.overlay;
  const dirs: string[] = [];
  const refused: InputError[] = [];
  const at = target.app?.location;
  const refuse = (reason: string) =>
    refused.push({
      level: 'error',
      message: `${reason}; refused (a render reads only the repository, outside .git)`,
      ...(at ? { location: at } : {}),
    });
  for (const p of overlay?.resources ?? [target.dir]) {
    const abs = path.resolve(cwd, p);
    const reason = await contain.check(abs);
    if (reason) refuse(reason);
    else if (await kustomizationFile(abs)) dirs.push(abs);
  }
  for (const c of overlay?.components ?? []) {
    const abs = path.resolve(cwd, c);
    const reason = await contain.check(abs);
    if (reason) refuse(reason);
    else dirs.push(abs);
  }
  return { dirs, refused };
}

/** The wrapper: the overlay's fields first (their lines unchanged), then what to build. */
export function wrapperKustomization(target: KustomizeTarget, tmp: string, cwd: string): string {
  const overlay = target.overlay;
  const rel = (p: string) => path.relative(tmp, path.resolve(cwd, p)).split(path.sep).join('/');
  const resources = (overlay?.resources ?? [target.dir]).map(rel);
  const components = (overlay?.components ?? []).map(rel);
  const head = overlay?.text.trim() && overlay.text.trim() !== '{}' ? overlay.text.replace(/\n*$/, '\n') : '';
  return (
    head +
    stringify({
      resources,
      ...(components.length > 0 ? { components } : {}),
      buildMetadata: ['originAnnotations', 'transformerAnnotations'],
    })
  );
}

/** Locations in the wrapper, moved to the app definition's lines. */
export function overlayLocations(target: KustomizeTarget, wrapper: string) {
  const overlay = target.overlay;
  const at = (loc: SourceLocation): SourceLocation =>
    loc.file === wrapper
      ? (overlay?.locate(loc.line, loc.column) ?? target.app?.location ?? { ...loc, file: target.dir })
      : loc;
  const error = (e: InputError): InputError => (e.location ? { ...e, location: at(e.location) } : e);
  return {
    error,
    result<R extends Omit<RenderResult, 'millis' | 'tool'>>(r: R): R {
      for (const m of r.manifests) {
        const original = m.locateSource;
        if (original) m.locateSource = (segments) => at(original(segments));
      }
      return { ...r, errors: r.errors.map(error) };
    },
  };
}
