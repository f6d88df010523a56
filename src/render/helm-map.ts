import { type Manifest, parseManifests } from '../load/yaml.js';
import { getAt } from '../model/path.js';
import { showsIn } from '../model/text.js';
import { type InputError, isRecord, type PathSegment, type SourceLocation } from '../model/types.js';
import { align, type DefineTable, defineTable, type LineOrigin, type ResolvedRef } from './helm-align.js';
import { type Cond, type ParsedTemplate, parseTemplate, type TemplateNode } from './helm-template.js';
import { type YamlLocator, yamlLocator } from './yaml-locate.js';

/**
 * `helm template` output -> manifests whose `locateSource` answers "which line do I edit?".
 * Pure: the chart's files are handed in as text. Alignment is lazy (per template, on the first
 * question about it), so rendering stays as fast as helm itself.
 */

export interface ChartSources {
  /** The chart folder as the user names it (relative to the working directory). */
  chartDir: string;
  /** Text of every file under the chart, keyed by `chartDir/...` path. */
  files: Map<string, string>;
  /** User values files in order (display paths); the chart's values.yaml comes first implicitly. */
  valuesFiles: string[];
  /** `--set` keys (dotted): their values have no file line, so fields from them map to the template. */
  setKeys: string[];
  /** Local (file://) dependencies by name -> their own folder (display path), where they are edited. */
  subchartDirs?: Record<string, string>;
  /**
   * Files read from packaged subcharts (`charts/*.tgz`), by the display path helm renders them
   * under: aligned against, never pointed at (nobody edits inside an archive).
   */
  virtual?: ReadonlySet<string>;
  /**
   * The user's values layers, in order, when they are not all whole files: a layer may sit under
   * a key of its file (`helmCharts[0].valuesInline` in a kustomization). Replaces `valuesFiles`.
   */
  layers?: { file: string; anchor: PathSegment[] }[];
  /**
   * Values layers that are not files, by the name `valuesFiles` gives them: an app definition's
   * inline values (render/inline-values.ts), whose keys are edited in the app definition.
   */
  inline?: ReadonlyMap<string, YamlLocator>;
}

interface Chunk {
  /** The template file as a display path (`charts/web/templates/deployment.yaml`). */
  template: string;
  /** 1-based line in the output of the chunk's first content line, and its lines. */
  firstLine: number;
  lines: string[];
  /** Subcharts on the way to the template: `webapp/charts/cache/...` -> ['cache']. */
  subcharts: string[];
  /** A file of a chart's `crds/` folder, which helm does not template. */
  crd?: boolean;
  origins?: LineOrigin[];
}

interface ValuesLayer {
  file: string;
  /** Where the values sit in the file (`helmCharts[0].valuesInline`); empty for a values file. */
  anchor: PathSegment[];
  /** The subchart the layer is for, as its parent's values name it (not for `global`). */
  prefix: string[];
}

export function mapHelmOutput(
  output: string,
  renderedName: string,
  sources: ChartSources,
): { manifests: Manifest[]; errors: InputError[] } {
  const parsed = parseManifests(output, renderedName);
  const chunks = splitChunks(output, sources.chartDir, sources.subchartDirs);
  const ctx = new MappingContext(sources);
  const errors = parsed.errors.map((e) => remapError(e, chunks, ctx));
  for (const m of parsed.manifests) {
    const startLine = m.locate([]).line;
    const chunk = chunkAt(chunks, startLine);
    if (!chunk) continue;
    // A chart's crds/ files are not templates: helm prints them as they are, so the object is
    // found in its file and located there directly, with no alignment.
    m.locateSource = (segments) => {
      const crd = chunk.crd && segments.length > 0 ? ctx.staticObject(chunk.template, m) : undefined;
      return crd ? crd.locate(segments) : ctx.locate(m, chunk, segments);
    };
  }
  return { manifests: parsed.manifests, errors };
}

/** Split at Helm's `# Source:` comments; each chunk is one template's output. */
export function splitChunks(
  output: string,
  chartDir: string,
  subchartDirs: Record<string, string> = {},
): Chunk[] {
  const lines = output.split('\n');
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (let k = 0; k < lines.length; k++) {
    const m = /^# Source: (.+?)\s*$/.exec(lines[k]);
    if (m) {
      const parts = m[1].split('/');
      const rel = parts.slice(1);
      const subcharts: string[] = [];
      for (let p = 0; p + 1 < rel.length; p++) if (rel[p] === 'charts') subcharts.push(rel[p + 1]);
      current = {
        template: chartPath(chartDir, subchartDirs, rel.join('/')),
        firstLine: k + 2,
        lines: [],
        subcharts,
        ...(/^(?:charts\/[^/]+\/)*crds\//.test(rel.join('/')) ? { crd: true } : {}),
      };
      chunks.push(current);
      continue;
    }
    if (!current) continue;
    // Helm separates templates with `---` just before the next `# Source:`.
    if (lines[k] === '---' && /^# Source: /.test(lines[k + 1] ?? '')) {
      current = undefined;
      continue;
    }
    current.lines.push(lines[k]);
  }
  return chunks;
}

function chunkAt(chunks: Chunk[], line: number): Chunk | undefined {
  let found: Chunk | undefined;
  for (const c of chunks) if (c.firstLine <= line) found = c;
  return found;
}

/** `charts/common/templates/x.yaml` of a local dependency -> the file in that dependency's own folder. */
export function chartPath(chartDir: string, subchartDirs: Record<string, string>, rel: string): string {
  const m = /^charts\/([^/]+)\/(.*)$/.exec(rel);
  if (m && subchartDirs[m[1]]) return joinPath(subchartDirs[m[1]], m[2]);
  return joinPath(chartDir, rel);
}

export function joinPath(dir: string, rel: string): string {
  if (!dir || dir === '.') return rel;
  return `${dir.replace(/\/+$/, '')}/${rel}`;
}

class MappingContext {
  private defines?: DefineTable;
  private templates = new Map<string, ParsedTemplate>();
  private statics = new Map<string, Manifest[]>();
  private locators = new Map<string, YamlLocator | null>();
  private blockWords = new Map<string, Set<string>>();

  private readonly sources: ChartSources;

  constructor(sources: ChartSources) {
    this.sources = sources;
  }

  /** The one line of the chunk's template that reads exactly `text` (quotes aside), if exactly one does. */
  private onlyLine(chunk: Chunk, text: string): SourceLocation | undefined {
    const source = this.sources.files.get(chunk.template);
    if (source === undefined || this.sources.virtual?.has(chunk.template)) return undefined;
    const lines = source.split('\n');
    const same = (l: string) => l.trim().replace(/["']/g, '') === text;
    const at = lines.findIndex(same);
    if (at < 0 || lines.findIndex((l, i) => i > at && same(l)) >= 0) return undefined;
    return { file: chunk.template, line: at + 1, column: lines[at].search(/\S/) + 1 };
  }

  /** The template line that prints the chunk's first line: the same text, else its `apiVersion:`. */
  private objectLine(chunk: Chunk): SourceLocation {
    const text = this.sources.files.get(chunk.template);
    if (text === undefined || this.sources.virtual?.has(chunk.template)) return this.fallback(chunk);
    const first = chunk.lines.find((l) => l.trim())?.trim() ?? '';
    const lines = text.split('\n');
    let at = lines.findIndex((l) => l.trim() === first);
    if (at < 0) at = lines.findIndex((l) => /^\s*apiVersion:/.test(l));
    const line = Math.max(0, at);
    return { file: chunk.template, line: line + 1, column: (lines[line]?.search(/\S/) ?? 0) + 1 };
  }

  /** The object as its static file has it (same kind and name), located in that file. */
  staticObject(file: string, m: Manifest): Manifest | undefined {
    let parsed = this.statics.get(file);
    if (!parsed) {
      const text = this.sources.files.get(file);
      parsed = text === undefined ? [] : parseManifests(text, file).manifests;
      this.statics.set(file, parsed);
    }
    return parsed.find((x) => x.ref.kind === m.ref.kind && x.ref.name === m.ref.name);
  }

  locate(m: Manifest, chunk: Chunk, segments: readonly PathSegment[]): SourceLocation {
    // The object as a whole (a report's file name, `# source:`): its template, at the line that
    // prints its first line, found without aligning the whole template.
    if (segments.length === 0) return this.objectLine(chunk);
    // `kind:` and `apiVersion:` are literal lines almost always: found without aligning, when the
    // template has exactly one such line.
    if (segments.length === 1 && (segments[0] === 'kind' || segments[0] === 'apiVersion')) {
      const hit = this.onlyLine(chunk, `${segments[0]}: ${String(getAt(m.object, segments))}`);
      if (hit) return hit;
    }
    const loc = this.locateAny(m, chunk, segments);
    // Inside a packaged subchart: its Chart.yaml dependency in the parent is the nearest edit.
    return this.sources.virtual?.has(loc.file) ? this.fallback(chunk) : loc;
  }

  private locateAny(m: Manifest, chunk: Chunk, segments: readonly PathSegment[]): SourceLocation {
    const existing = existingPrefix(m.object, segments);
    const complete = existing.length === segments.length;
    const origins = this.originsOf(chunk);
    const originAt = (segs: readonly PathSegment[]): LineOrigin | undefined =>
      origins[m.locate(segs).line - chunk.firstLine];
    const origin = originAt(existing);
    if (!origin) return this.fallback(chunk);
    const templateLine: SourceLocation = { file: origin.file, line: origin.line, column: origin.column };

    // Printed by `toYaml .Values.x`: the key under x, in the last values file that sets it.
    if (origin.yamlOf && origin.blockStart !== undefined) {
      let head = existing.length;
      while (head > 0) {
        const o = originAt(existing.slice(0, head - 1));
        if (!o || o.blockStart !== origin.blockStart) break;
        head--;
      }
      const rel = segments.slice(Math.max(0, head - 1));
      // A block that appends items to a list after literal ones (`volumes: [tmp]` then
      // `toYaml .Values.extraVolumes`): item k of the block is item k - first of the values list.
      if (head > 0 && typeof rel[0] === 'number') {
        const list = existing.slice(0, head - 1);
        let first = rel[0];
        while (first > 0 && originAt([...list, first - 1])?.blockStart === origin.blockStart) first--;
        rel[0] -= first;
      }
      const rendered = complete ? getAt(m.object, segments) : undefined;
      const picked = this.pickAlt(chunk, origin.yamlOf, rel, rendered);
      // In a range whose items print one document each, which item this block printed.
      const item = this.pickItem(chunk, picked, getAt(m.object, segments.slice(0, Math.max(0, head - 1))));
      return this.valuesLocation(chunk, item, rel, true) ?? templateLine;
    }
    // A key line whose children came from `toYaml .Values.x`, asked about a child that is missing.
    if (!complete && origin.childYamlOf) {
      const rel = segments.slice(existing.length);
      return (
        this.valuesLocation(chunk, this.pickAlt(chunk, origin.childYamlOf, rel, undefined), rel, true) ??
        templateLine
      );
    }
    // `script: |` over `{{ tpl .Values.script . | nindent 4 }}`: the text is the values string's.
    if (complete && origin.childText && typeof getAt(m.object, segments) === 'string') {
      const loc = this.valuesLocation(chunk, origin.childText, [], false);
      if (loc) return loc;
    }
    // `replicas: {{ .Values.replicaCount }}`: the values key, when the value really came from it.
    if (complete && origin.refs.length > 0) {
      const loc = this.bestRef(chunk, origin.refs, getAt(m.object, segments));
      if (loc) return loc;
    }
    // Absent, but the template has the knob: a line that would print it under a branch the values
    // turned off (`{{- with .Values.lifecycleHooks }}`, `{{- if .Values.metrics.enabled }}`).
    if (!complete) {
      const loc = this.knob(chunk, origin, segments.slice(existing.length));
      if (loc) return loc;
    }
    return templateLine;
  }

  /**
   * Of a field and its alternatives (`.Values.x | default .Values.global.x`), the one that
   * supplied the value: the one holding the rendered scalar at `rel`, else one that has `rel`,
   * else the first that is not empty.
   */
  private pickAlt(
    chunk: Chunk,
    ref: ResolvedRef,
    rel: readonly PathSegment[],
    rendered: unknown,
  ): ResolvedRef {
    if (!ref.alts?.length) return ref;
    const all = [ref, ...ref.alts].filter((r) => r.source === 'values');
    const layers = this.valuesLayers(chunk);
    const hits = all.map((r) => this.find(layers, [...r.path, ...rel], false));
    if (isScalarValue(rendered)) {
      const k = hits.findIndex((h) => h && isScalarValue(h.value) && String(h.value) === String(rendered));
      if (k >= 0) return all[k];
    }
    const k = hits.findIndex((h) => h !== undefined);
    if (k >= 0) return all[k];
    const full = all.find((r) => truthy(this.valueOf(chunk, r.path)));
    return full ?? ref;
  }

  /**
   * The values key that turns on a missing field: a line of the template, under the field's
   * parent, that would print the field's first missing step, inside a branch whose condition the
   * values make false. The condition's own key is what a human edits (`lifecycleHooks: {}`,
   * `metrics.enabled: false`); for `with .Values.x` printing `toYaml .`, the key under x.
   */
  private knob(
    chunk: Chunk,
    origin: LineOrigin,
    missing: readonly PathSegment[],
  ): SourceLocation | undefined {
    if (origin.kind !== 'lit' || origin.file !== chunk.template || missing.length === 0) return undefined;
    const template = this.templates.get(chunk.template);
    const text = this.sources.files.get(chunk.template);
    if (!template || text === undefined) return undefined;
    const lines = text.split('\n');
    const p = template.nodes.findIndex((n) => n.type === 'lit' && n.line + 1 === origin.line);
    if (p < 0) return undefined;
    const parent = template.nodes[p];
    const item = /^\s*- /.test(lines[parent.line] ?? '');
    const want = String(missing[0]);
    for (let j = p + 1; j < template.nodes.length; j++) {
      const n = template.nodes[j];
      if (n.type !== 'lit') continue;
      const line = lines[n.line] ?? '';
      const isItem = /^\s*- /.test(line);
      // Past the parent: a line no deeper than it (for a list item, its next sibling too).
      if (n.column < parent.column || (n.column === parent.column && (!item || isItem))) break;
      const names =
        n.key === want || new RegExp(`^\\s*-\\s+name:\\s*["']?${escapeRegExp(want)}["']?\\s*$`).test(line);
      if (!names) continue;
      const off = n.guards.findLast((g) => this.evaluate(chunk, g) === false);
      const ref = off ? guardRef(off) : undefined;
      if (ref?.source !== 'values') return undefined;
      const rel = n.yamlOf && samePath(n.yamlOf.path, ref.path) ? missing.slice(1) : [];
      return this.find(this.valuesLayers(chunk), [...ref.path, ...rel], true)?.loc;
    }
    return undefined;
  }

  /** A condition's truth with this chunk's values: undefined when it cannot be told. */
  evaluate(chunk: Chunk, cond: Cond): boolean | undefined {
    switch (cond.op) {
      case 'truthy': {
        let unknown = false;
        for (const r of [cond.ref, ...(cond.ref.alts ?? [])]) {
          if (r.source !== 'values' || r.path.includes('[]') || this.isSet(chunk, r.path)) {
            unknown = true;
            continue;
          }
          if (truthy(this.valueOf(chunk, r.path))) return true;
        }
        return unknown ? undefined : false;
      }
      case 'not': {
        const v = this.evaluate(chunk, cond.of);
        return v === undefined ? undefined : !v;
      }
      case 'and': {
        const vs = cond.of.map((c) => this.evaluate(chunk, c));
        return vs.includes(false) ? false : vs.every((v) => v === true) ? true : undefined;
      }
      case 'or': {
        const vs = cond.of.map((c) => this.evaluate(chunk, c));
        return vs.includes(true) ? true : vs.every((v) => v === false) ? false : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The merged value at a values path: the last layer that sets it. */
  private valueOf(chunk: Chunk, path: readonly PathSegment[]): unknown {
    return this.find(this.valuesLayers(chunk), path, false)?.value;
  }

  originsOf(chunk: Chunk): LineOrigin[] {
    if (chunk.origins) return chunk.origins;
    const text = this.sources.files.get(chunk.template);
    if (text === undefined) {
      const f = this.fallback(chunk);
      chunk.origins = chunk.lines.map(() => ({ kind: 'orphan', ...f, refs: [] }));
      return chunk.origins;
    }
    this.defines ??= defineTable(
      [...this.sources.files]
        .filter(([f]) => /(^|\/)templates\/.*\.(tpl|yaml|yml)$/.test(f))
        .map(([file, t]) => ({ file, text: t })),
    );
    let template = this.templates.get(chunk.template);
    if (!template) {
      template = parseTemplate(chunk.template, text).template;
      this.templates.set(chunk.template, template);
    }
    chunk.origins = align(chunk.lines, template, this.defines, {
      hint: (node, line) => this.blockHint(chunk, node, line),
      evaluate: (cond) => this.evaluate(chunk, cond),
      isSubtree: (ref) => {
        if (ref.source !== 'values') return false;
        const v = this.valueOf(chunk, ref.path);
        return v === undefined || Array.isArray(v) || isRecord(v);
      },
    });
    return chunk.origins;
  }

  /**
   * Does a `toYaml .Values.x` block explain this line? Only if the line's key (or list scalar)
   * occurs somewhere under x in the values files: `limits:` is not printed by `toYaml
   * .Values.volumeMounts` when that is `[]`, even though both blocks sit at the same indentation.
   */
  private blockHint(chunk: Chunk, node: TemplateNode, line: string): number {
    const ref = node.yamlOf ?? node.includeOf;
    if (ref?.source !== 'values' || ref.path.includes('[]')) return 0;
    const key = `${chunk.subcharts.join('/')}|${ref.path.join('.')}`;
    let words = this.blockWords.get(key);
    if (!words) {
      words = new Set();
      for (const layer of this.valuesLayers(chunk))
        collectWords(this.locator(layer.file)?.value(inLayer(layer, ref.path)), words);
      this.blockWords.set(key, words);
    }
    const content = line.trim().replace(/^-\s*/, '');
    const m = /^("[^"]*"|'[^']*'|[^:\s][^:]*?):(\s|$)/.exec(content);
    const word = (m ? m[1] : content).replace(/^["']|["']$/g, '');
    return words.has(word) ? 0.05 : -0.15;
  }

  /** A template that is not on disk (a subchart from a .tgz): its chart's Chart.yaml. */
  private fallback(chunk: Chunk): SourceLocation {
    const chartYaml = joinPath(this.sources.chartDir, 'Chart.yaml');
    const loc = this.locator(chartYaml);
    const dep = chunk.subcharts[0];
    if (loc && dep) {
      const deps = loc.value(['dependencies']);
      if (Array.isArray(deps)) {
        const idx = deps.findIndex((d) => (d as { name?: string })?.name === dep);
        const found = idx >= 0 ? loc.find(['dependencies', idx]) : undefined;
        if (found) return found;
      }
    }
    return { file: chartYaml, line: 1, column: 1 };
  }

  /**
   * Of the fields a line reads, the one whose value shows last in the rendered value: in
   * `image: {{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}`
   * that is the tag when values set it, else Chart.yaml's appVersion.
   */
  private bestRef(chunk: Chunk, refs: ResolvedRef[], rendered: unknown): SourceLocation | undefined {
    let best: { loc: SourceLocation; end: number; length: number } | undefined;
    for (const ref of this.withLeaves(chunk, refs)) {
      const found = this.refLocation(chunk, ref, rendered);
      if (!found) continue;
      const text = isScalarValue(found.value) ? String(found.value) : '';
      const at = text ? String(rendered).lastIndexOf(text) : -1;
      const end = at < 0 ? -1 : at + text.length;
      if (!best || end > best.end || (end === best.end && text.length > best.length)) {
        best = { loc: found.loc, end, length: text.length };
      }
    }
    return best?.loc;
  }

  /**
   * A helper given a whole values map (`include "common.images.image" (dict "imageRoot"
   * .Values.image ...)`) prints some of its leaves: each scalar under it is a candidate too, so
   * the tag, not the `image:` key, is where a tag finding lands.
   */
  private withLeaves(chunk: Chunk, refs: ResolvedRef[]): ResolvedRef[] {
    const out: ResolvedRef[] = [];
    for (const ref of refs.flatMap((r) => [r, ...(r.alts ?? [])])) {
      out.push(ref);
      if (ref.source !== 'values' || ref.holes?.length) continue;
      const value = this.find(this.valuesLayers(chunk), ref.path, false)?.value;
      if (!isRecord(value)) continue;
      const keys = new Set<string>();
      for (const layer of this.valuesLayers(chunk)) {
        const v = this.locator(layer.file)?.value(inLayer(layer, ref.path));
        if (isRecord(v))
          for (const [k, leaf] of Object.entries(v)) if (!isRecord(leaf) && !Array.isArray(leaf)) keys.add(k);
      }
      for (const k of keys) out.push({ source: 'values', path: [...ref.path, k] });
    }
    return out;
  }

  private refLocation(
    chunk: Chunk,
    ref: ResolvedRef,
    rendered: unknown,
  ): { loc: SourceLocation; value: unknown } | undefined {
    if (ref.source === 'chart') {
      return this.shows(
        this.find([{ file: this.chartYamlOf(chunk), anchor: [], prefix: [] }], ref.path, false),
        rendered,
      );
    }
    for (const path of this.candidates(chunk, ref)) {
      if (this.isSet(chunk, path)) continue;
      const hit = this.shows(this.find(this.valuesLayers(chunk), path, false), rendered);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Only when the value shows in the field: `tag: ""` overridden by `| default .Chart.AppVersion` does not. */
  private shows(
    found: { loc: SourceLocation; value: unknown } | undefined,
    rendered: unknown,
  ): { loc: SourceLocation; value: unknown } | undefined {
    if (!found) return undefined;
    if (!isScalarValue(found.value)) {
      // A map or list can print a field only as a whole (`toJson .Values.x` on one line), never a
      // scalar, and nothing (null, `{}`, `[]`) prints nothing.
      return !isScalarValue(rendered) && truthy(found.value) ? found : undefined;
    }
    const text = String(found.value);
    // As a word of its own: `orgid: 1` does not show in a digest or in `100m`.
    if (!isScalarValue(rendered) || !showsIn(String(rendered), text)) return undefined;
    return found;
  }

  /**
   * A range item's path: the iteration count first, then every other item of that list (or key
   * of that map) in the values files. Helm prints each document of a range under its own
   * `# Source:` and ranges over maps in key order, so the count alone can be wrong; the value
   * shown in the field decides.
   */
  private candidates(chunk: Chunk, ref: ResolvedRef): PathSegment[][] {
    if (!ref.holes?.length) return [ref.path];
    const hole = ref.holes[ref.holes.length - 1];
    const parent = ref.path.slice(0, hole);
    const keys = new Set<PathSegment>();
    for (const layer of this.valuesLayers(chunk)) {
      const v = this.locator(layer.file)?.value(inLayer(layer, parent));
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) keys.add(i);
      else if (isRecord(v)) for (const k of Object.keys(v)) keys.add(k);
    }
    const out = [ref.path];
    for (const k of keys) {
      if (k === ref.path[hole]) continue;
      const p = [...ref.path];
      p[hole] = k;
      out.push(p);
    }
    return out;
  }

  /**
   * A `toYaml` block of a range item (`range .Values.apps` ... `with .tool` ... `toYaml .`): the
   * iteration count says which item when the range prints into one document; when each item is a
   * document of its own, the count starts again, and the item is the one whose values all show in
   * what the block printed into (its parent map). The count's item first, when it fits.
   */
  private pickItem(chunk: Chunk, ref: ResolvedRef, printedInto: unknown): ResolvedRef {
    if (ref.source !== 'values' || !ref.holes?.length || printedInto === undefined) return ref;
    const layers = this.valuesLayers(chunk);
    for (const path of this.candidates(chunk, ref)) {
      const value = this.find(layers, path, false)?.value;
      if (value !== undefined && truthy(value) && shownIn(printedInto, value)) return { ...ref, path };
    }
    return ref;
  }

  private valuesLocation(
    chunk: Chunk,
    ref: ResolvedRef,
    rel: readonly PathSegment[],
    nearest: boolean,
  ): SourceLocation | undefined {
    if (ref.source !== 'values') return undefined;
    return this.find(this.valuesLayers(chunk), [...ref.path, ...rel], nearest)?.loc;
  }

  /**
   * The last layer that sets `path` exactly. With `nearest`, when none does, the deepest
   * existing parent instead (the last layer among those reaching that depth).
   */
  private find(
    layers: ValuesLayer[],
    path: readonly PathSegment[],
    nearest: boolean,
  ): { loc: SourceLocation; value: unknown } | undefined {
    let best: { loc: SourceLocation; value: unknown; depth: number } | undefined;
    for (const layer of [...layers].reverse()) {
      const loc = this.locator(layer.file);
      if (!loc) continue;
      const full = inLayer(layer, path);
      const hit = loc.find(full);
      if (hit && this.sources.virtual?.has(layer.file)) {
        // Set only by a packaged subchart's own values: the parent's values under the subchart's
        // name are where it is changed, at the deepest key that exists there, naming the path.
        return { loc: this.inParentValues(layers, path), value: loc.value(full) };
      }
      if (hit) return { loc: hit, value: loc.value(full) };
      if (!nearest || this.sources.virtual?.has(layer.file)) continue;
      const depth = loc.depth(full);
      if (depth > layer.anchor.length + layer.prefix.length && (!best || depth > best.depth)) {
        const part = full.slice(0, depth);
        const partLoc = loc.find(part);
        if (partLoc) best = { loc: partLoc, value: loc.value(part), depth };
      }
    }
    return best;
  }

  /**
   * Where a packaged subchart's value is overridden: the deepest existing key of `path` under the
   * subchart's name in the parent's values files (the last file that reaches deepest), else the
   * top of the chart's values.yaml; `key` names the full path to set.
   */
  private inParentValues(layers: ValuesLayer[], path: readonly PathSegment[]): SourceLocation {
    const editable = layers.filter((l) => !this.sources.virtual?.has(l.file) && l.prefix.length > 0);
    let best: { loc: SourceLocation; depth: number } | undefined;
    let key = path.join('.');
    for (const layer of [...editable].reverse()) {
      const loc = this.locator(layer.file);
      const full = inLayer(layer, path);
      key = full.slice(layer.anchor.length).join('.');
      const depth = loc?.depth(full) ?? 0;
      const at = depth > layer.anchor.length ? loc?.find(full.slice(0, depth)) : undefined;
      if (at && (!best || depth > best.depth)) best = { loc: at, depth };
    }
    const top = editable[0]?.file ?? joinPath(this.sources.chartDir, 'values.yaml');
    return { ...(best?.loc ?? { file: top, line: 1, column: 1 }), key };
  }

  private isSet(chunk: Chunk, path: readonly PathSegment[]): boolean {
    const key = [...chunk.subcharts, ...path].join('.');
    return this.sources.setKeys.some((k) => k === key || key.startsWith(`${k}.`));
  }

  private chartYamlOf(chunk: Chunk): string {
    const rel = chunk.subcharts.map((s) => `charts/${s}/`).join('');
    return chartPath(this.sources.chartDir, this.sources.subchartDirs ?? {}, `${rel}Chart.yaml`);
  }

  /** Values layers, first to last: a subchart's own values.yaml, then its parents' under its name. */
  private valuesLayers(chunk: Chunk): ValuesLayer[] {
    const layers: ValuesLayer[] = [];
    const subs = chunk.subcharts;
    for (let depth = subs.length; depth >= 0; depth--) {
      const dir = subs
        .slice(0, depth)
        .map((s) => `charts/${s}/`)
        .join('');
      layers.push({
        file: chartPath(this.sources.chartDir, this.sources.subchartDirs ?? {}, `${dir}values.yaml`),
        anchor: [],
        prefix: subs.slice(depth),
      });
    }
    const user = this.sources.layers ?? this.sources.valuesFiles.map((file) => ({ file, anchor: [] }));
    for (const { file, anchor } of user) layers.push({ file, anchor, prefix: [...subs] });
    return layers;
  }

  private locator(file: string): YamlLocator | undefined {
    const inline = this.sources.inline?.get(file);
    if (inline) return inline;
    if (!this.locators.has(file)) {
      const text = this.sources.files.get(file);
      this.locators.set(file, text === undefined ? null : yamlLocator(text, file));
    }
    return this.locators.get(file) ?? undefined;
  }
}

/** Every key and scalar under a values subtree. */
function collectWords(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectWords(v, into);
  else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      collectWords(v, into);
    }
  } else if (value !== null && value !== undefined) into.add(String(value));
}

/** Where a values path sits in a layer: under the subchart's key, except `global`, shared by all. */
function inLayer(layer: ValuesLayer, path: readonly PathSegment[]): PathSegment[] {
  return [...layer.anchor, ...(path[0] === 'global' ? path : [...layer.prefix, ...path])];
}

function existingPrefix(root: unknown, segments: readonly PathSegment[]): PathSegment[] {
  let k = segments.length;
  while (k > 0 && getAt(root, segments.slice(0, k)) === undefined) k--;
  return segments.slice(0, k);
}

/** Every key and item of `values` is in `printed` with the same scalars (a map may have more keys). */
function shownIn(printed: unknown, values: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (values === null) return printed === null;
  if (isScalarValue(values)) return isScalarValue(printed) && String(printed) === String(values);
  if (Array.isArray(values))
    return (
      Array.isArray(printed) &&
      printed.length === values.length &&
      values.every((v, i) => shownIn(printed[i], v, depth + 1))
    );
  if (isRecord(values))
    return isRecord(printed) && Object.entries(values).every(([k, v]) => shownIn(printed[k], v, depth + 1));
  return false;
}

function isScalarValue(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A YAML error in rendered output, moved to the template line that printed the bad line. */
function remapError(err: InputError, chunks: Chunk[], ctx: MappingContext): InputError {
  const line = err.location?.line;
  if (line === undefined) return err;
  const chunk = chunkAt(chunks, line);
  if (!chunk) return err;
  const origin = ctx.originsOf(chunk)[line - chunk.firstLine];
  if (!origin) return err;
  return {
    ...err,
    message: `${err.message} (in the output of ${chunk.template})`,
    location: { file: origin.file, line: origin.line, column: origin.column },
  };
}

/** Go templates' truth: false, 0, nil and empty strings, maps and lists are false. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

/** The field a simple condition tests (`if .Values.x`, `with .Values.x`, `not`). */
function guardRef(cond: Cond): ResolvedRef | undefined {
  if (cond.op === 'truthy') return cond.ref.path.includes('[]') ? undefined : (cond.ref as ResolvedRef);
  if (cond.op === 'not') return guardRef(cond.of);
  if (cond.op === 'and') {
    for (const c of cond.of) {
      const r = guardRef(c);
      if (r) return r;
    }
  }
  return undefined;
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
