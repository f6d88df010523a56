import {
  debugTag,
  fullName,
  type ImageReference,
  isPinned,
  mutableTag,
  parseReference,
} from '../images/index.js';
import { pushTo } from '../model/collections.js';
import { formatPath } from '../model/path.js';
import { isRecord, type KubeObject, refOf } from '../model/types.js';
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
  const pinned = pinnedDigests(input.desired);
  const issues: ImageIssue[] = [];
  const running = new Map<string, { digest: string; pod: KubeObject; container: string }[]>();
  for (const obj of input.live) {
    if (!isWorkload(obj)) continue;
    // Pods and ReplicaSets made by a controller repeat their owner's template: report the owner once.
    if (!ownedByController(obj)) issues.push(...policyIssues(obj, input.debugTagPatterns));
    if (obj.kind === 'Pod') {
      issues.push(...ephemeralIssues(obj));
      for (const run of runningDigests(obj)) {
        const foreign = foreignDigest(obj, run, pinned);
        if (foreign) issues.push(foreign);
        if (!run.ref || !isPinned(run.ref))
          pushTo(running, run.image, { digest: run.digest, pod: obj, container: run.container });
      }
    }
  }
  issues.push(...splitDigests(running));
  return issues;
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
function splitDigests(
  running: Map<string, { digest: string; pod: KubeObject; container: string }[]>,
): ImageIssue[] {
  const out: ImageIssue[] = [];
  for (const [image, runs] of running) {
    const digests = [...new Set(runs.map((r) => r.digest))].sort();
    if (digests.length < 2) continue;
    const first = runs[0];
    out.push({
      object: refOf(first.pod),
      kind: 'tag-digest-split',
      container: first.container,
      image,
      liveDigests: digests,
      message: `${image} runs as ${digests.length} different digests across ${new Set(runs.map((r) => r.pod)).size} pods`,
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
