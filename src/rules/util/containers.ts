import { type ParseReferenceResult, parseReference } from '../../images/reference.js';
import type { Manifest } from '../../load/yaml.js';
import { flat } from '../../model/text.js';
import { isRecord, type PathSegment } from '../../model/types.js';
import type { ContainerKind, ContainerRef, PodTemplate } from '../../model/workload.js';
import type { RuleContext, RuleSettings } from '../types.js';
import { memo, type WorkloadInfo, workloadInfos } from './selection.js';

/**
 * Small helpers the per-workload rules share. Other rule modules may import them; they read
 * objects and never change them.
 */

export interface WorkloadContainer {
  manifest: Manifest;
  template: PodTemplate;
  container: ContainerRef;
}

export const ALL_CONTAINER_KINDS: readonly ContainerKind[] = [
  'containers',
  'initContainers',
  'ephemeralContainers',
];

/** A workload of the run with its pod template and containers (see `workloadInfos`). */
export type Workload = WorkloadInfo;

/** Every workload of the run with its pod template; kinds without one (CRDs) are skipped. */
export function workloads(ctx: RuleContext): readonly Workload[] {
  return workloadInfos(ctx.index);
}

/** A workload's containers of the given kinds. */
export function containersOfKinds(workload: Workload, kinds: readonly ContainerKind[]): ContainerRef[] {
  if (kinds.length === ALL_CONTAINER_KINDS.length) return [...workload.containers];
  return workload.containers.filter((c) => kinds.includes(c.kind));
}

/**
 * Every container of every workload, of the given kinds (all kinds by default). Made once per
 * run and kinds, and shared: some thirty rules walk them, and a Deployment may have 10,000.
 */
export function workloadContainers(
  ctx: RuleContext,
  kinds: readonly ContainerKind[] = ALL_CONTAINER_KINDS,
): readonly WorkloadContainer[] {
  if (kinds !== ALL_CONTAINER_KINDS) {
    // The same objects as the whole list's, picked out: each container is one object for the run.
    return memo(ctx.index, `containers:${kinds.join(',')}`, () =>
      workloadContainers(ctx).filter((wc) => kinds.includes(wc.container.kind)),
    );
  }
  return memo(ctx.index, 'containers', () => {
    const list: WorkloadContainer[] = [];
    for (const workload of workloads(ctx)) {
      for (const container of workload.containers) {
        list.push({ manifest: workload.manifest, template: workload.template, container });
      }
    }
    return list;
  });
}

/**
 * The key of a cause one container's violations share (`Cause.key`: its sizing, its security
 * context). The run's containers are its own objects, made once (`workloadInfos`), so a container
 * is told apart by identity and numbered when first asked: the rules raising the cause for every
 * container share one short string, and the engine hashes it once.
 */
export function containerCause(
  ctx: RuleContext,
  cause: 'sizing' | 'security-context',
  container: ContainerRef,
): string {
  const keys = memo(ctx.index, CAUSE_TABLES[cause], () => new Map<ContainerRef, string>());
  let key = keys.get(container);
  if (key === undefined) {
    key = flat(`${cause}\u0000${keys.size}`);
    keys.set(container, key);
  }
  return key;
}

/** The per-run tables of `containerCause`, by cause (names made once: it is asked per container). */
const CAUSE_TABLES = { sizing: 'cause:sizing', 'security-context': 'cause:security-context' } as const;

/** `container "app"`, `init container "migrate"`, `ephemeral container "debugger"`: for messages. */
export function describeContainer(c: ContainerRef): string {
  const prefix =
    c.kind === 'initContainers'
      ? 'init container'
      : c.kind === 'ephemeralContainers'
        ? 'ephemeral container'
        : 'container';
  return `${prefix} "${c.name}"`;
}

/** A record field of a record, or an empty record (so rules can read nested optional fields). */
export function recordAt(parent: unknown, key: string): Record<string, unknown> {
  const value = isRecord(parent) ? parent[key] : undefined;
  return isRecord(value) ? value : {};
}

type SecurityField =
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'runAsGroup'
  | 'seccompProfile'
  | 'appArmorProfile'
  | 'seLinuxOptions'
  | 'windowsOptions';

/**
 * A security setting as Kubernetes applies it: the container's `securityContext` wins over the
 * pod's, for the fields both have. Returns the value and the concrete path where it is set, or
 * the container-level path it should have when neither sets it.
 */
export function effectiveSecurity(
  template: PodTemplate,
  container: ContainerRef,
  field: SecurityField,
): EffectiveSetting {
  const own = recordAt(container.container, 'securityContext')[field];
  if (own !== undefined && own !== null) return new EffectiveSetting(own, 'container', container.path, field);
  const pod = recordAt(template.spec, 'securityContext')[field];
  if (pod !== undefined && pod !== null) return new EffectiveSetting(pod, 'pod', template.specPath, field);
  return new EffectiveSetting(undefined, 'none', container.path, field);
}

/**
 * What `effectiveSecurity` finds. Its path is made when asked for: seven rules ask about every
 * container, and only those that report one need it.
 */
class EffectiveSetting {
  constructor(
    readonly value: unknown,
    readonly level: 'container' | 'pod' | 'none',
    private readonly base: readonly PathSegment[],
    private readonly field: SecurityField,
  ) {}

  /** Where the setting is, or where it belongs when neither level sets it. */
  get path(): PathSegment[] {
    return [...this.base, 'securityContext', this.field];
  }
}

/** Is a workload marked critical (so it wants Guaranteed QoS) by label, annotation or priority class? */
export function isCritical(manifest: Manifest, template: PodTemplate, settings: RuleSettings): boolean {
  const { labels, annotations, priorityClassNames } = settings.critical;
  const meta = manifest.object.metadata;
  const matches = (wanted: Record<string, string>, ...maps: (Record<string, string> | undefined)[]) =>
    Object.entries(wanted).some(([k, v]) => maps.some((m) => isRecord(m) && String(m[k]) === v));
  if (matches(labels, meta.labels, template.labels)) return true;
  if (matches(annotations, meta.annotations, template.annotations)) return true;
  const priority = template.spec.priorityClassName;
  return typeof priority === 'string' && priorityClassNames.includes(priority);
}

/** The container's declared ports, by name and by number. */
export function declaredPorts(container: Record<string, unknown>): {
  names: Set<string>;
  numbers: Set<number>;
} {
  const names = new Set<string>();
  const numbers = new Set<number>();
  const ports = Array.isArray(container.ports) ? container.ports : [];
  for (const p of ports) {
    if (!isRecord(p)) continue;
    if (typeof p.name === 'string') names.add(p.name);
    if (typeof p.containerPort === 'number') numbers.add(p.containerPort);
  }
  return { names, numbers };
}

/**
 * A Kubernetes duration-free integer field that may have been written as a string by a template
 * (`"30"`). Undefined when absent or not a number.
 */
export function intField(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

const referenceCache = new Map<string, ParseReferenceResult>();
const REFERENCE_CACHE_LIMIT = 20_000;

/**
 * `parseReference`, remembered: a fleet runs the same few images in many containers, and several
 * rules (images, storage) read each one. The results are shared, so callers must not change them.
 */
export function imageReference(image: string): ParseReferenceResult {
  let result = referenceCache.get(image);
  if (!result) {
    if (referenceCache.size >= REFERENCE_CACHE_LIMIT) referenceCache.clear();
    result = parseReference(image);
    referenceCache.set(image, result);
  }
  return result;
}
