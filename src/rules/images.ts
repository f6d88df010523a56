import { debugTagMatcher, mutableTag } from '../images/policy.js';
import type { ImageReference } from '../images/reference.js';
import type { Manifest } from '../load/yaml.js';
import type { PathSegment } from '../model/types.js';
import type { Rule, RuleContext, Violation } from './types.js';
import {
  describeContainer,
  imageReference,
  type WorkloadContainer,
  workloadContainers,
} from './util/containers.js';
import { memo } from './util/selection.js';

/** The `images` checklist category. */

/** The hex of a well-formed sha256 digest, for the docs' examples. */
const EXAMPLE_DIGEST = '3b5c9e1f'.repeat(8);

/**
 * A container as the image rules see it: its image, parsed when it parses. Made afresh by each
 * rule's walk and let go (a Deployment may have 10,000 containers): what only a finding needs,
 * its path and wording, is made for a finding.
 */
class ContainerImage {
  constructor(
    readonly wc: WorkloadContainer,
    readonly image: unknown,
    /** The image parsed, when it is a string that parses. */
    readonly ref: ImageReference | undefined,
    /** Whether another container of the run names the same image (see `cause`). */
    private readonly shared: boolean,
  ) {}

  get manifest(): Manifest {
    return this.wc.manifest;
  }

  get path(): PathSegment[] {
    return [...this.wc.container.path, 'image'];
  }

  /** `container "app"`. */
  get who(): string {
    return describeContainer(this.wc.container);
  }

  /**
   * One image written once (a values key several containers share) is one edit: the findings of
   * a rule on the same image at the same line are one finding, naming the other containers. An
   * image no other container names has no one to share a line with.
   */
  cause(ruleId: string): Violation['cause'] {
    if (!this.shared) return undefined;
    const { ref } = this.wc.manifest;
    return {
      key: `image\u0000${ruleId}\u0000${String(this.image)}`,
      sameLine: true,
      also: `${this.who} of ${ref.kind} "${ref.name}"`,
    };
  }
}

const IMAGE_APPLIES_TO =
  'Every container (regular, init and ephemeral) of every workload kind. Containers that share one ' +
  'image written on one line (a values key) are one finding.';

/** Every container's image, for one image rule's walk. */
function* containerImages(ctx: RuleContext): Generator<ContainerImage> {
  const shared = sharedImages(ctx);
  for (const wc of workloadContainers(ctx)) {
    const { image } = wc.container.container;
    const parsed = typeof image === 'string' ? imageReference(image) : undefined;
    yield new ContainerImage(wc, image, parsed?.ok ? parsed.ref : undefined, shared.has(image));
  }
}

type ParsedImage = ContainerImage & { readonly ref: ImageReference };

/** Containers whose image parses, for the policy rules (invalid ones get their own finding). */
function* parsedImages(ctx: RuleContext): Generator<ParsedImage> {
  for (const ci of containerImages(ctx)) if (ci.ref !== undefined) yield ci as ParsedImage;
}

/** The images more than one container of the run names: only theirs can share a line. */
function sharedImages(ctx: RuleContext): ReadonlySet<unknown> {
  return memo(ctx.index, 'images:shared', () => {
    const seen = new Set<unknown>();
    const shared = new Set<unknown>();
    for (const wc of workloadContainers(ctx)) {
      const { image } = wc.container.container;
      if (seen.has(image)) shared.add(image);
      else seen.add(image);
    }
    return shared;
  });
}

/** A Pod whose image is pinned to a digest, for the examples. */
const PINNED_POD = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:1.4.2@sha256:${EXAMPLE_DIGEST}`;

const invalid: Rule = {
  meta: {
    id: 'image-reference-invalid',
    category: 'images',
    severity: 'error',
    title: 'Image references are valid',
    why: 'The kubelet cannot pull an image whose reference does not parse; the pod sits in InvalidImageName or ErrImagePull and the rollout stalls.',
    fix: 'Write the reference as [registry[:port]/]repository[:tag][@sha256:digest], with a lowercase repository path.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/Acme/App:v1`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:v1`,
      line: 7,
    },
    appliesTo: IMAGE_APPLIES_TO,
  },
  *check(ctx) {
    for (const ci of containerImages(ctx)) {
      const { image } = ci;
      if (ci.ref !== undefined) continue;
      const { manifest, path, who } = ci;
      if (image === undefined || image === null || image === '') {
        yield { manifest, path, message: `${who} has no image` };
        continue;
      }
      if (typeof image !== 'string') {
        yield { manifest, path, message: `${who} has an image that is not a string` };
        continue;
      }
      const parsed = imageReference(image);
      if (!parsed.ok)
        yield { manifest, path, message: `${who} has an invalid image "${image}": ${parsed.error}` };
    }
  },
};

const latest: Rule = {
  meta: {
    id: 'image-tag-latest',
    category: 'images',
    severity: 'error',
    title: 'Images name a version, not `latest` or no tag',
    why: '`latest` (which a missing tag means) points at whatever was pushed last: two pods of one Deployment can run different code, and a rollback cannot bring the old version back.',
    fix: 'Tag images with an immutable version (a release number or a commit SHA) and pin the digest.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:latest`,
      good: PINNED_POD,
      line: 7,
    },
    appliesTo: IMAGE_APPLIES_TO,
  },
  *check(ctx) {
    for (const ci of parsedImages(ctx)) {
      const reason = mutableTag(ci.ref);
      if (!reason) continue;
      const { manifest, path, who, ref } = ci;
      const message =
        reason === 'latest'
          ? `${who} uses the latest tag of ${ref.original.replace(/:[^:/]*$/, '')}`
          : `${who} has no tag on image ${ref.original}, so it runs latest`;
      yield { manifest, path, message, cause: ci.cause('image-tag-latest') };
    }
  },
};

const debug: Rule = {
  meta: {
    id: 'image-tag-debug',
    category: 'images',
    severity: 'error',
    title: 'Images are not debug or work-in-progress builds',
    why: 'Tags such as `debug`, `DONT-PUSH`, `dirty` or `SNAPSHOT` mark builds that were never meant for production: extra tooling, verbose logging, uncommitted code.',
    fix: 'Deploy a release build. The patterns are configurable (debugTagPatterns) if your release tags use one of these words.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:v1.2.3-debug-DONT-PUSH`,
      good: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:v1.2.3@sha256:${EXAMPLE_DIGEST}`,
      line: 7,
    },
    appliesTo: IMAGE_APPLIES_TO,
  },
  *check(ctx) {
    const match = debugTagMatcher(ctx.settings.debugTagPatterns);
    for (const ci of parsedImages(ctx)) {
      const hit = ci.ref.tag === undefined ? undefined : match(ci.ref.tag);
      if (!hit) continue;
      const { manifest, path, who, ref } = ci;
      yield {
        manifest,
        path,
        message: `${who} runs a debug build: tag "${ref.tag}" contains "${hit.matched}"`,
        cause: ci.cause('image-tag-debug'),
      };
    }
  },
};

const digestMissing: Rule = {
  meta: {
    id: 'image-digest-missing',
    category: 'images',
    severity: 'warning',
    title: 'Images are pinned to a digest',
    why: 'A tag can be moved or overwritten in the registry; a digest names exactly one image. Pinning makes every node run the same bytes and makes tampering visible.',
    fix: 'Append the digest to the reference (`app:1.4.2@sha256:...`); tools such as crane, skopeo or your CI can resolve it.',
    example: {
      bad: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: ghcr.io/acme/app:1.4.2`,
      good: PINNED_POD,
      line: 7,
    },
    appliesTo: IMAGE_APPLIES_TO,
  },
  *check(ctx) {
    for (const ci of parsedImages(ctx)) {
      if (ci.ref.digest !== undefined) continue;
      const { manifest, path, who, ref } = ci;
      yield {
        manifest,
        path,
        message: `${who} image ${ref.original} is not pinned to a digest`,
        cause: ci.cause('image-digest-missing'),
      };
    }
  },
};

export const rules: Rule[] = [invalid, latest, debug, digestMissing];
