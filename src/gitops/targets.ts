import type { InputError } from '../model/types.js';
import type { AppInfo, PlainTarget } from '../render/types.js';
import { type Definition, describe } from './model.js';

/**
 * How reports name an app: `Application argocd/web (apps/web.yaml)`, and for one another app
 * rendered, the name of that app (not of the whole chain above it): `HelmRelease web/api
 * (apps/base/api/release.yaml) in Kustomization flux-system/apps (clusters/prod/apps.yaml)`.
 */
export function appName(def: Definition): string {
  const parent = def.parent?.app?.name.replace(/\) in .*$/, ')');
  return `${describe(def)} (${def.file})${parent ? ` in ${parent}` : ''}`;
}

/** What every app target carries: its name, where it is defined, what it reads, its notes. */
export function appInfo(def: Definition, name: string, notes: InputError[]): AppInfo {
  return {
    name,
    location: def.locate(['kind']),
    inputs: { files: [def.file], dirs: [] },
    notes,
    ...(def.parent ? { parent: def.parent } : {}),
  };
}

/** An app with nothing to render here (a remote chart, a plugin): only its notes are reported. */
export function skipped(app: AppInfo): PlainTarget {
  return { kind: 'plain', paths: [], app: { ...app, skip: true } };
}
