import { CORE_SCHEMA, load } from 'js-yaml';
import { type Manifest, parseManifests } from '../load/yaml.js';
import { formatPath, getAt, mergeKeyOf, resolvePath } from '../model/path.js';
import {
  isRecord,
  type KubeObject,
  type PathSegment,
  refKey,
  refOf,
  type SourceLocation,
} from '../model/types.js';
import { inflatedTwin } from './kustomize-helm.js';
import { type YamlLocator, yamlLocator } from './yaml-locate.js';

/** The names a kustomization file may have, in the order kustomize looks for them. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * `kustomize build` output (with build metadata) -> manifests that know where each field is
 * edited. Kustomize's own annotations say which file an object came from and which
 * kustomizations transformed it; this module decides, per field, whether a patch, an `images:`
 * or `replicas:` entry, the `namespace:` field, or the base resource set it. Pure: files come in
 * as text, keyed by display path.
 */

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

export interface BuildMetadata {
  /** The resource file the object came from (display path), or the kustomization that generated it. */
  origin?: { file: string; generatedBy?: string };
  /** Kustomization files (display paths) that configured transformers touching this object. */
  transformedIn: string[];
}

/** Strip every object's build annotations; the metadata keyed as `refKey` names the object. */
export function stripAll(objects: KubeObject[], resolve: (p: string) => string): Map<string, BuildMetadata> {
  const out = new Map<string, BuildMetadata>();
  for (const o of objects) out.set(refKey(refOf(o)), stripBuildMetadata(o, resolve));
  return out;
}

/** Read and remove one object's build annotations (paths resolved by `resolve`). */
export function stripBuildMetadata(object: KubeObject, resolve: (p: string) => string): BuildMetadata {
  const meta: BuildMetadata = { transformedIn: [] };
  const annotations = object.metadata?.annotations;
  if (!isRecord(annotations)) return meta;
  const origin = annotations[ORIGIN_ANNOTATION];
  if (typeof origin === 'string') {
    const o = parseSmallYaml(origin);
    if (isRecord(o) && typeof o.path === 'string') meta.origin = { file: resolve(o.path) };
    else if (isRecord(o) && typeof o.configuredIn === 'string') {
      const by = isRecord(o.configuredBy) ? String(o.configuredBy.kind ?? '') : '';
      meta.origin = { file: resolve(o.configuredIn), generatedBy: by };
    }
  }
  const transformations = annotations[TRANSFORMATIONS_ANNOTATION];
  if (typeof transformations === 'string') {
    const list = parseSmallYaml(transformations);
    if (Array.isArray(list)) {
      for (const t of list) {
        if (isRecord(t) && typeof t.configuredIn === 'string') {
          const file = resolve(t.configuredIn);
          if (!meta.transformedIn.includes(file)) meta.transformedIn.push(file);
        }
      }
    }
  }
  delete annotations[ORIGIN_ANNOTATION];
  delete annotations[TRANSFORMATIONS_ANNOTATION];
  if (Object.keys(annotations).length === 0) delete object.metadata.annotations;
  return meta;
}

/** An annotation's YAML (`path: base/deploy.yaml`): small, and kustomize's own; js-yaml reads it fast. */
function parseSmallYaml(text: string): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
}

/** A kustomization's patch, wherever its text lives (its own file, or inline in kustomization.yaml). */
interface PatchSource {
  locator: YamlLocator;
  /** Line and column shifts for inline patches (the text sits inside a block scalar). */
  lineShift: number;
  columnShift: number;
  target?: Record<string, unknown>;
}

export class KustomizeMapper {
  private readonly files: Map<string, string>;
  private readonly dirOf: (file: string) => string;
  private locators = new Map<string, YamlLocator | null>();
  private patches = new Map<string, PatchSource[]>();

  /** `files` holds the text of kustomizations, resources and patches; `join(dir, rel)` makes display paths. */
  private readonly join: (dir: string, rel: string) => string;
  /** Where a field lands when nothing else knows (an object from a Helm chart Kustomize inflated). */
  private readonly fallbackFile?: string;
  /** What helm printed for the kustomization's `helmCharts:`, mapped to the charts and their values. */
  private readonly inflated: readonly Manifest[];

  constructor(
    files: Map<string, string>,
    join: (dir: string, rel: string) => string,
    fallbackFile?: string,
    inflated: readonly Manifest[] = [],
  ) {
    this.files = files;
    this.join = join;
    this.fallbackFile = fallbackFile;
    this.inflated = inflated;
    this.dirOf = (file) => file.split('/').slice(0, -1).join('/') || '.';
  }

  /** Attach `locateSource` to a parsed manifest. */
  attach(m: Manifest, meta: BuildMetadata): void {
    m.locateSource = (segments) =>
      this.locate(m.object, meta, segments) ??
      (this.fallbackFile ? { file: this.fallbackFile, line: 1, column: 1 } : m.locate(segments));
  }

  locate(
    object: KubeObject,
    meta: BuildMetadata,
    segments: readonly PathSegment[],
  ): SourceLocation | undefined {
    // The object itself (every rendered object is asked where it comes from): in a file of one
    // document, its first line, found without reading the file as YAML.
    if (segments.length === 0 && meta.origin && meta.origin.generatedBy === undefined) {
      const at = soleDocumentStart(this.files.get(meta.origin.file));
      if (at) return { file: meta.origin.file, ...at };
    }
    let k = segments.length;
    while (k > 0 && getAt(object, segments.slice(0, k)) === undefined) k--;
    const existing = segments.slice(0, k);
    const complete = k === segments.length;
    const display = formatPath(object, existing);
    const base = this.originDoc(object, meta);
    const kustomizations = [...meta.transformedIn].reverse();

    // A patch sets values; the maps and lists it walks through to reach them (`metadata`,
    // `spec.template.spec`, a container by name) stay the base's when the base has them.
    const value = getAt(object, segments);
    // A list item's merge key (`- name: web` of a container) says which item a patch changes.
    const parentList = segments[segments.length - 3];
    const mergeKey =
      typeof segments[segments.length - 2] === 'number' &&
      typeof parentList === 'string' &&
      mergeKeyOf(parentList, getAt(object, segments.slice(0, -1)))?.key === segments[segments.length - 1];
    const structural = (value !== null && typeof value === 'object') || mergeKey;
    const inBase = base ? resolvePath(base.object, display).complete : false;
    if (complete && !(structural && inBase)) {
      for (const kfile of kustomizations) {
        const hit =
          this.fromTransformerConfig(kfile, object, segments) ??
          this.fromReplicas(kfile, object, base?.name, segments) ??
          this.fromImages(kfile, object, segments) ??
          this.fromNamespace(kfile, segments) ??
          this.fromLabels(kfile, segments) ??
          this.fromPatches(kfile, object, base?.name, segments, display);
        if (hit) return hit;
      }
    }
    // The base's line when it has the field; else a patch that added it (or its parent); else the
    // nearest parent the base has.
    if (base) {
      const resolved = resolvePath(base.object, display);
      if (resolved.complete) return base.locator.find(resolved.segments, base.doc);
      return (
        this.patchFor(kustomizations, object, base.name, existing, display) ??
        base.locator.find(resolved.segments, base.doc)
      );
    }
    const patched = this.patchFor(kustomizations, object, undefined, existing, display);
    if (patched) return patched;
    // Inflated from `helmCharts:`: where helm's source map puts it (a values line of the
    // kustomization's valuesInline, the chart's values file or a template line).
    if (meta.origin?.generatedBy === 'HelmChartInflationGenerator') {
      const twin = inflatedTwin(this.inflated, object);
      if (twin?.locateSource) return twin.locateSource(segments);
    }
    return this.generated(meta, object);
  }

  private patchFor(
    kustomizations: string[],
    object: KubeObject,
    originalName: string | undefined,
    existing: readonly PathSegment[],
    display: string,
  ): SourceLocation | undefined {
    for (const kfile of kustomizations) {
      const hit = this.fromPatches(kfile, object, originalName, existing, display);
      if (hit) return hit;
    }
    return undefined;
  }

  /** A generated object (configMapGenerator, secretGenerator): its entry in the kustomization. */
  private generated(meta: BuildMetadata, object: KubeObject): SourceLocation | undefined {
    if (!meta.origin?.generatedBy)
      return meta.origin ? { file: meta.origin.file, line: 1, column: 1 } : undefined;
    const loc = this.locator(meta.origin.file);
    if (!loc) return undefined;
    for (const key of ['configMapGenerator', 'secretGenerator']) {
      const list = loc.value([key]);
      if (!Array.isArray(list)) continue;
      const idx = list.findIndex(
        (g) => isRecord(g) && typeof g.name === 'string' && (object.metadata.name ?? '').includes(g.name),
      );
      if (idx >= 0) return loc.find([key, idx]);
    }
    return { file: meta.origin.file, line: 1, column: 1 };
  }

  /** The object's document in its origin file: matched by kind and by the name it had there. */
  private originDoc(
    object: KubeObject,
    meta: BuildMetadata,
  ): { locator: YamlLocator; doc: number; object: unknown; name: string } | undefined {
    if (!meta.origin || meta.origin.generatedBy !== undefined) return undefined;
    const loc = this.locator(meta.origin.file);
    if (!loc) return undefined;
    const rendered = object.metadata.name ?? '';
    let best: { locator: YamlLocator; doc: number; object: unknown; name: string } | undefined;
    for (let d = 0; d < loc.docCount; d++) {
      const value = loc.toJS(d);
      if (!isRecord(value) || value.kind !== object.kind) continue;
      const name = isRecord(value.metadata) ? String(value.metadata.name ?? '') : '';
      if (!rendered.includes(name)) continue;
      if (!best || name.length > best.name.length) best = { locator: loc, doc: d, object: value, name };
    }
    return best;
  }

  /**
   * A builtin transformer configured in a file of its own (`transformers: [labels.yaml]` with
   * `kind: LabelTransformer`): the entry of that file that sets the field.
   */
  private fromTransformerConfig(
    kfile: string,
    object: KubeObject,
    segments: readonly PathSegment[],
  ): SourceLocation | undefined {
    const loc = this.locator(kfile);
    if (!loc) return undefined;
    for (let d = 0; d < loc.docCount; d++) {
      const config = loc.toJS(d);
      if (!isRecord(config) || typeof config.kind !== 'string' || !config.kind.endsWith('Transformer'))
        continue;
      const key = segments[segments.length - 1];
      const parent = segments[segments.length - 2];
      const last = segments.length;
      switch (config.kind) {
        case 'LabelTransformer':
          if (typeof key === 'string' && ['labels', 'matchLabels', 'selector'].includes(String(parent))) {
            const hit = loc.find(['labels', key], d);
            if (hit) return hit;
          }
          break;
        case 'AnnotationsTransformer':
          if (typeof key === 'string' && parent === 'annotations') {
            const hit = loc.find(['annotations', key], d);
            if (hit) return hit;
          }
          break;
        case 'NamespaceTransformer':
          if (last === 2 && segments[0] === 'metadata' && key === 'namespace') {
            const hit = loc.find(['metadata', 'namespace'], d);
            if (hit) return hit;
          }
          break;
        case 'ImageTagTransformer':
          if (key === 'image' && typeof getAt(object, segments) === 'string') {
            const hit =
              loc.find(['imageTag', 'newTag'], d) ??
              loc.find(['imageTag', 'digest'], d) ??
              loc.find(['imageTag'], d);
            if (hit) return hit;
          }
          break;
        case 'ReplicaCountTransformer':
          if (last === 2 && segments[0] === 'spec' && key === 'replicas') {
            const hit = loc.find(['replica', 'count'], d);
            if (hit) return hit;
          }
          break;
      }
    }
    return undefined;
  }

  private fromReplicas(
    kfile: string,
    object: KubeObject,
    originalName: string | undefined,
    segments: readonly PathSegment[],
  ): SourceLocation | undefined {
    if (segments.length !== 2 || segments[0] !== 'spec' || segments[1] !== 'replicas') return undefined;
    const loc = this.locator(kfile);
    const list = loc?.value(['replicas']);
    if (!loc || !Array.isArray(list)) return undefined;
    const name = originalName ?? object.metadata.name;
    const idx = list.findIndex((r) => isRecord(r) && r.name === name);
    if (idx < 0) return undefined;
    return loc.find(['replicas', idx, 'count']) ?? loc.find(['replicas', idx]);
  }

  private fromImages(
    kfile: string,
    object: KubeObject,
    segments: readonly PathSegment[],
  ): SourceLocation | undefined {
    if (segments[segments.length - 1] !== 'image') return undefined;
    const image = getAt(object, segments);
    const loc = this.locator(kfile);
    const list = loc?.value(['images']);
    if (typeof image !== 'string' || !loc || !Array.isArray(list)) return undefined;
    const repo = imageName(image);
    for (let idx = list.length - 1; idx >= 0; idx--) {
      const entry = list[idx];
      if (!isRecord(entry)) continue;
      const target = typeof entry.newName === 'string' ? entry.newName : entry.name;
      if (target !== repo) continue;
      // The field a human changes for a tag or digest finding; else the entry itself.
      for (const field of ['newTag', 'digest', 'newName']) {
        if (field in entry) return loc.find(['images', idx, field]);
      }
      return loc.find(['images', idx]);
    }
    return undefined;
  }

  private fromNamespace(kfile: string, segments: readonly PathSegment[]): SourceLocation | undefined {
    if (segments.length !== 2 || segments[0] !== 'metadata' || segments[1] !== 'namespace') return undefined;
    return this.locator(kfile)?.find(['namespace']);
  }

  /** A label or annotation that `labels:`, `commonLabels:` or `commonAnnotations:` adds. */
  private fromLabels(kfile: string, segments: readonly PathSegment[]): SourceLocation | undefined {
    const key = segments[segments.length - 1];
    const parent = segments[segments.length - 2];
    if (
      typeof key !== 'string' ||
      !['labels', 'matchLabels', 'selector', 'annotations'].includes(String(parent))
    ) {
      return undefined;
    }
    const loc = this.locator(kfile);
    if (!loc) return undefined;
    if (parent === 'annotations') return loc.find(['commonAnnotations', key]);
    const labels = loc.value(['labels']);
    if (Array.isArray(labels)) {
      for (let i = labels.length - 1; i >= 0; i--) {
        const hit = loc.find(['labels', i, 'pairs', key]);
        if (hit) return hit;
      }
    }
    return loc.find(['commonLabels', key]);
  }

  /** The last patch of this kustomization that sets the field (strategic merge or JSON 6902). */
  private fromPatches(
    kfile: string,
    object: KubeObject,
    originalName: string | undefined,
    segments: readonly PathSegment[],
    display: string,
  ): SourceLocation | undefined {
    for (const patch of [...this.patchesOf(kfile)].reverse()) {
      if (patch.target && !targetMatches(patch.target, object, originalName)) continue;
      const hit = isJson6902(patch)
        ? json6902Location(patch, segments)
        : strategicLocation(patch, object, originalName, display);
      if (hit) return { ...hit, line: hit.line + patch.lineShift, column: hit.column + patch.columnShift };
    }
    return undefined;
  }

  private patchesOf(kfile: string): PatchSource[] {
    const cached = this.patches.get(kfile);
    if (cached) return cached;
    const out: PatchSource[] = [];
    const loc = this.locator(kfile);
    const text = this.files.get(kfile) ?? '';
    const dir = this.dirOf(kfile);
    const add = (entry: unknown, at: PathSegment[]) => {
      if (typeof entry === 'string') {
        const file = this.locator(this.join(dir, entry));
        if (file) out.push({ locator: file, lineShift: 0, columnShift: 0 });
        return;
      }
      if (!isRecord(entry)) return;
      const target = isRecord(entry.target) ? entry.target : undefined;
      if (typeof entry.path === 'string') {
        const file = this.locator(this.join(dir, entry.path));
        if (file) out.push({ locator: file, lineShift: 0, columnShift: 0, target });
      } else if (typeof entry.patch === 'string' && loc) {
        const first = loc.valueLine([...at, 'patch']);
        if (first === undefined) return;
        const indent = (text.split('\n')[first - 1] ?? '').match(/^ */)![0].length;
        out.push({
          locator: yamlLocator(entry.patch, kfile, '1.2'),
          lineShift: first - 1,
          columnShift: indent,
          target,
        });
      }
    };
    for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
      const list = loc?.value([key]);
      if (Array.isArray(list)) for (let i = 0; i < list.length; i++) add(list[i], [key, i]);
    }
    this.patches.set(kfile, out);
    return out;
  }

  private locator(file: string): YamlLocator | undefined {
    if (!this.locators.has(file)) {
      const text = this.files.get(file);
      // Kustomize reads a kustomization as YAML 1.1 and the resources and patches it lists as 1.2.
      const version = KUSTOMIZATION_FILES.includes(file.split('/').pop() ?? '') ? '1.1' : '1.2';
      this.locators.set(file, text === undefined ? null : yamlLocator(text, file, version));
    }
    return this.locators.get(file) ?? undefined;
  }
}

/**
 * Where the one document of a YAML file starts (its first key), or undefined when the file holds
 * more than one document or starts in a way this does not read (then the document model decides).
 */
export function soleDocumentStart(text: string | undefined): { line: number; column: number } | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  let first = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      // A marker after the content starts another document; one before it starts this one.
      if (
        first >= 0 ||
        line
          .replace(/^(---|\.\.\.)/, '')
          .trim()
          .replace(/^#.*/, '') !== ''
      )
        return undefined;
      continue;
    }
    if (first < 0 && (/^\s*(#.*)?$/.test(line) || line.startsWith('%'))) continue;
    if (first < 0) first = i;
  }
  if (first < 0) return undefined;
  const indent = /^ */.exec(lines[first])![0].length;
  // Only a plain block map (`apiVersion: v1`): anchors, tags and flow maps are the model's to read.
  if (!/^ *[A-Za-z_"'][^:]*:(\s|$)/.test(lines[first])) return undefined;
  return { line: first + 1, column: indent + 1 };
}

function imageName(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

function isJson6902(patch: PatchSource): boolean {
  return Array.isArray(patch.locator.toJS());
}

function targetMatches(
  target: Record<string, unknown>,
  object: KubeObject,
  originalName: string | undefined,
): boolean {
  if (typeof target.kind === 'string' && target.kind !== object.kind) return false;
  if (typeof target.name === 'string') {
    const re = new RegExp(`^(?:${target.name})$`);
    if (!re.test(originalName ?? '') && !re.test(object.metadata.name ?? '')) return false;
  }
  if (typeof target.namespace === 'string' && target.namespace !== (object.metadata.namespace ?? ''))
    return false;
  if (typeof target.labelSelector === 'string') {
    const labels = object.metadata.labels ?? {};
    for (const part of target.labelSelector.split(',')) {
      const [k, v] = part.split('=').map((s) => s.trim());
      if (k && (v === undefined ? !(k in labels) : labels[k] !== v)) return false;
    }
  }
  return true;
}

/** JSON 6902: the op whose path is the field or one of its parents; inside its `value` when it can. */
function json6902Location(patch: PatchSource, segments: readonly PathSegment[]): SourceLocation | undefined {
  const ops = patch.locator.toJS();
  if (!Array.isArray(ops)) return undefined;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i];
    if (
      !isRecord(op) ||
      typeof op.path !== 'string' ||
      !['add', 'replace', 'copy', 'move'].includes(String(op.op))
    )
      continue;
    const pointer = op.path
      .split('/')
      .slice(1)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (pointer.length > segments.length) continue;
    const same = pointer.every(
      (t, k) => t === String(segments[k]) || (t === '-' && typeof segments[k] === 'number'),
    );
    if (!same) continue;
    const rel = segments.slice(pointer.length);
    return (
      patch.locator.find([i, 'value', ...rel]) ??
      patch.locator.find([i, 'value']) ??
      patch.locator.find([i, 'path'])
    );
  }
  return undefined;
}

/** Strategic merge: the patch document for this object, walked with merge keys (`containers[name=app]`). */
function strategicLocation(
  patch: PatchSource,
  object: KubeObject,
  originalName: string | undefined,
  display: string,
): SourceLocation | undefined {
  for (let d = 0; d < patch.locator.docCount; d++) {
    const doc = patch.locator.toJS(d);
    if (!isRecord(doc)) continue;
    if (!patch.target) {
      const name = isRecord(doc.metadata) ? doc.metadata.name : undefined;
      if (doc.kind !== object.kind || (name !== originalName && name !== object.metadata.name)) continue;
    }
    const resolved = resolvePath(doc, display);
    if (!resolved.complete || resolved.segments.length === 0) continue;
    // Identity fields of the patch (kind, metadata.name) say which object, not what to set.
    if (display === 'metadata.name' || display === 'kind' || display === 'apiVersion') continue;
    return patch.locator.find(resolved.segments, d);
  }
  return undefined;
}

/**
 * Parse stripped kustomize output into manifests with the build metadata attached, matched by
 * kind, namespace and name (which Kustomize keeps unique), not by position.
 */
export function mapKustomizeOutput(
  text: string,
  renderedName: string,
  metas: ReadonlyMap<string, BuildMetadata>,
  mapper: KustomizeMapper,
): ReturnType<typeof parseManifests> {
  const parsed = parseManifests(text, renderedName);
  for (const m of parsed.manifests) {
    const meta = metas.get(refKey(m.ref));
    if (meta) mapper.attach(m, meta);
  }
  return parsed;
}
