import {
  debugTag,
  fullName,
  type ImageReference,
  isPinned,
  mutableTag,
  parseReference,
} from '../images/index.js';
import { formatPath } from '../model/path.js';
import { isRecord, type KubeObject, type ObjectRef, refOf } from '../model/types.js';
import { containersOf, isWorkload } from '../model/workload.js';
import { newest, ownershipOf } from './ownership.js';
import type { ImageIssue } from './types.js';

/**
 * What the cluster runs, image by image: the same tag policies as the checklist applies to Git
 * (latest or no tag, debug builds, no digest), plus what only a live cluster can tell: the digest
 * a pod really runs (`status.containerStatuses[].imageID`) against the one Git pins, one tag
 * running as several digests, and ephemeral debug containers.
 */

export interface ImageScanInput {
  /** Live workloads and pods in scope. */
  live: readonly KubeObject[];
  /** What Git declares, for the digests it pins. */
  desired: readonly KubeObject[];
  debugTagPatterns: readonly string[];
}

export function scanImages(input: ImageScanInput): ImageIssue[] {
  const scan = new ImageScan(input.desired, input.debugTagPatterns);
  for (const obj of input.live) scan.visit(obj);
  return scan.issues();
}

/** Where a tag ran as which digest: the first pod seen with each, and how many pods ran it. */
interface TagRuns {
  image: string;
  digests: Map<string, { pod: ObjectRef; container: string }>;
  pods: Set<string>;
}

/**
 * The scan one object at a time, keeping only what it reports and a small summary per tag, so
 * that tens of thousands of pods pass through without being held.
 */
export class ImageScan {
  private readonly pinned: Map<string, Set<string>>;
  private readonly found: ImageIssue[] = [];
  private readonly running = new Map<string, TagRuns>();

  constructor(
    desired: readonly KubeObject[],
    private readonly debugTagPatterns: readonly string[],
  ) {
    this.pinned = pinnedDigests(desired);
  }

  visit(obj: KubeObject): void {
    if (!isWorkload(obj)) return;
    // Pods and ReplicaSets made by a controller repeat their owner's template: report the owner once.
    if (!ownedByController(obj)) this.found.push(...policyIssues(obj, this.debugTagPatterns));
    if (obj.kind !== 'Pod') return;
    this.found.push(...ephemeralIssues(obj));
    const pod = refOf(obj);
    for (const run of runningDigests(obj)) {
      const foreign = foreignDigest(obj, run, this.pinned);
      if (foreign) this.found.push(foreign);
      // One tag, whether a pod names it alone or pins it (`repo:tag@sha256:...`): a pod pinning
      // its digest does not hide that the same tag runs as another digest elsewhere. A pinned
      // pod counts as its pin (running anything else is a foreign digest, reported above).
      if (!run.ref?.tag) continue;
      const tag = `${fullName(run.ref)}:${run.ref.tag}`;
      let runs = this.running.get(tag);
      if (!runs) {
        runs = { image: run.image.replace(/@.*$/, ''), digests: new Map(), pods: new Set() };
        this.running.set(tag, runs);
      }
      const digest = run.ref.digest ?? run.digest;
      if (!runs.digests.has(digest)) runs.digests.set(digest, { pod, container: run.container });
      runs.pods.add(`${pod.namespace}/${pod.name}`);
    }
  }

  issues(): ImageIssue[] {
    return [...this.found, ...splitDigests(this.running)];
  }
}

/** Digests Git pins, by repository (`docker.io/company/checkout`). */
function pinnedDigests(desired: readonly KubeObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const obj of desired) {
    for (const c of containersOf(obj)) {
      const ref = parsed(c.container.image);
      if (!ref?.digest) continue;
      const set = out.get(fullName(ref)) ?? new Set<string>();
      set.add(ref.digest);
      out.set(fullName(ref), set);
    }
  }
  return out;
}

function policyIssues(obj: KubeObject, patterns: readonly string[]): ImageIssue[] {
  const out: ImageIssue[] = [];
  const own = ownershipOf(obj);
  for (const c of containersOf(obj)) {
    const image = typeof c.container.image === 'string' ? c.container.image : '';
    const ref = parsed(image);
    if (!ref) continue;
    const who = newest(own.nearestOwners([...c.path, 'image']));
    const base = {
      object: refOf(obj),
      container: c.name,
      image,
      manager: who?.manager ?? null,
      time: who?.time ?? null,
    };
    const tag = mutableTag(ref);
    if (tag === 'latest')
      out.push({
        ...base,
        kind: 'latest-tag',
        message: `runs ${image}: the latest tag names no particular build`,
      });
    if (tag === 'missing')
      out.push({
        ...base,
        kind: 'missing-tag',
        message: `runs ${image} without a tag, so latest is implied`,
      });
    const debug = debugTag(ref, patterns);
    if (debug)
      out.push({
        ...base,
        kind: 'debug-tag',
        message: `runs a debug build: tag ${ref.tag} matches "${debug.matched}"`,
      });
    if (!isPinned(ref) && !tag)
      out.push({ ...base, kind: 'not-pinned', message: `runs ${image}, not pinned to a digest` });
  }
  return out;
}

interface Running {
  container: string;
  image: string;
  ref?: ImageReference;
  digest: string;
}

const DIGEST = /(sha256|sha384|sha512):[a-f0-9]{64,128}/;

/** Each container status with the digest it runs, from `imageID` (`docker-pullable://repo@sha256:...`). */
function runningDigests(pod: KubeObject): Running[] {
  const status = isRecord(pod.status) ? pod.status : {};
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const out: Running[] = [];
  for (const [statusKey, specKey] of [
    ['containerStatuses', 'containers'],
    ['initContainerStatuses', 'initContainers'],
    ['ephemeralContainerStatuses', 'ephemeralContainers'],
  ] as const) {
    const statuses = Array.isArray(status[statusKey]) ? status[statusKey] : [];
    const specs = Array.isArray(spec[specKey]) ? spec[specKey] : [];
    for (const s of statuses) {
      if (!isRecord(s) || typeof s.name !== 'string' || typeof s.imageID !== 'string') continue;
      const digest = DIGEST.exec(s.imageID)?.[0];
      if (!digest) continue;
      const declared = specs.find((c) => isRecord(c) && c.name === s.name);
      const image =
        isRecord(declared) && typeof declared.image === 'string' ? declared.image : String(s.image ?? '');
      out.push({ container: s.name, image, ref: parsed(image), digest });
    }
  }
  return out;
}

function foreignDigest(
  pod: KubeObject,
  run: Running,
  pinned: Map<string, Set<string>>,
): ImageIssue | undefined {
  if (!run.ref) return undefined;
  const want = pinned.get(fullName(run.ref));
  if (!want || want.has(run.digest)) return undefined;
  const wanted = [...want];
  return {
    object: refOf(pod),
    kind: 'foreign-digest',
    container: run.container,
    image: run.image,
    desiredDigest: wanted[0],
    liveDigests: [run.digest],
    message: `runs ${shortDigest(run.digest)}, but Git pins ${wanted.map(shortDigest).join(' or ')}`,
  };
}

/** One tag, several digests across pods: the tag was re-pushed, or a node pulled something else. */
function splitDigests(running: Map<string, TagRuns>): ImageIssue[] {
  const out: ImageIssue[] = [];
  for (const runs of running.values()) {
    if (runs.digests.size < 2) continue;
    const digests = [...runs.digests.keys()].sort();
    const first = runs.digests.get(digests[0])!;
    out.push({
      object: first.pod,
      kind: 'tag-digest-split',
      container: first.container,
      image: runs.image,
      liveDigests: digests,
      message: `${runs.image} runs as ${digests.length} different digests across ${runs.pods.size} pods`,
    });
  }
  return out;
}

function ephemeralIssues(pod: KubeObject): ImageIssue[] {
  const debug = containersOf(pod, ['ephemeralContainers']);
  if (debug.length === 0) return [];
  const own = ownershipOf(pod);
  return debug.map((c) => {
    const who = newest(own.nearestOwners(c.path));
    const image = typeof c.container.image === 'string' ? c.container.image : '';
    return {
      object: refOf(pod),
      kind: 'ephemeral-container' as const,
      container: c.name,
      image,
      manager: who?.manager ?? null,
      time: who?.time ?? null,
      message: `has an ephemeral debug container ${c.name} (${image}) at ${formatPath(pod, c.path)}`,
    };
  });
}

function ownedByController(obj: KubeObject): boolean {
  const owners = obj.metadata.ownerReferences;
  return Array.isArray(owners) && owners.some((o) => isRecord(o) && o.controller === true);
}

function parsed(image: unknown): ImageReference | undefined {
  if (typeof image !== 'string') return undefined;
  const result = parseReference(image);
  return result.ok ? result.ref : undefined;
}

function shortDigest(digest: string): string {
  return digest.slice(0, 19);
}
