/**
 * Container image references, parsed by the grammar the registry and the container runtimes use
 * (github.com/distribution/reference), with Docker Hub's defaults applied the way `docker pull`
 * and the kubelet apply them:
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path
 *   domain     := host [ ":" port ]          host: DNS name, IPv4, or [IPv6]
 *   path       := component ( "/" component )*
 *   component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex           sha256 (64), sha384 (96), sha512 (128) lowercase hex
 *
 * Pure and total: every string gives either a reference or an error value, never an exception.
 */

export interface ImageReference {
  /** The text as written in the manifest. */
  original: string;
  /** Registry host as written or defaulted (`docker.io`), without the port. */
  registry: string;
  /** Registry port, when one is given (`localhost:5000` -> `5000`). */
  port?: string;
  /** Repository path inside the registry, with `library/` added for official Docker Hub images. */
  repository: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:0123...`. */
  digest?: string;
  /** True when the registry was not written and Docker Hub was assumed. */
  defaultedRegistry: boolean;
}

export type ParseReferenceResult = { ok: true; ref: ImageReference } | { ok: false; error: string };

const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
/** The whole name (domain and path) may not exceed this, as in distribution/reference. */
const NAME_MAX_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** A bare 64-hex string is an image ID, which the grammar forbids as a repository name. */
const IMAGE_ID = /^[a-f0-9]{64}$/;
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export function parseReference(text: string): ParseReferenceResult {
  if (typeof text !== 'string' || text.length === 0) return fail('empty image reference');
  if (text !== text.trim()) return fail('image reference has leading or trailing whitespace');
  if (IMAGE_ID.test(text)) return fail('a 64-character hex string is an image ID, not a repository name');

  // The digest follows the last "@"; the tag follows a ":" after the last "/" (a ":" before it is a port).
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const digestError = checkDigest(digest);
    if (digestError) return fail(digestError);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return fail(`invalid tag "${tag}"`);
  }
  if (rest.length === 0) return fail('image reference has no repository name');
  if (rest.length > NAME_MAX_LENGTH)
    return fail(`repository name is longer than ${NAME_MAX_LENGTH} characters`);

  const split = splitDomain(rest);
  if (!split.ok) return split;
  const { registry, port, path, defaultedRegistry } = split;
  for (const component of path.split('/')) {
    if (component === '') return fail(`empty path component in "${rest}"`);
    if (!PATH_COMPONENT.test(component)) {
      return fail(
        component.toLowerCase() !== component
          ? `repository name must be lowercase: "${component}"`
          : `invalid repository path component "${component}"`,
      );
    }
  }
  const repository = registry === DEFAULT_REGISTRY && !path.includes('/') ? OFFICIAL_PREFIX + path : path;
  const ref: ImageReference = { original: text, registry, repository, defaultedRegistry };
  if (port !== undefined) ref.port = port;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}

type DomainSplit =
  | { ok: true; registry: string; port?: string; path: string; defaultedRegistry: boolean }
  | { ok: false; error: string };

/**
 * The first component is a registry when it looks like one: it contains "." or ":", it is
 * `localhost`, or it has uppercase letters (which a repository path may not). Otherwise the whole
 * name is a Docker Hub path. This is Docker's own rule (`splitDockerDomain`).
 */
function splitDomain(name: string): DomainSplit {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isDomain =
    slash >= 0 && (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first);
  if (!isDomain) return { ok: true, registry: DEFAULT_REGISTRY, path: name, defaultedRegistry: true };

  const path = name.slice(slash + 1);
  let host = first;
  let port: string | undefined;
  const portColon = first.lastIndexOf(':');
  if (portColon >= 0 && !first.endsWith(']')) {
    host = first.slice(0, portColon);
    port = first.slice(portColon + 1);
    if (!PORT.test(port)) return fail(`invalid registry port "${port}"`);
  }
  if (!isHost(host)) return fail(`invalid registry host "${host}"`);
  const registry = host === LEGACY_DEFAULT_REGISTRY && port === undefined ? DEFAULT_REGISTRY : host;
  const out: DomainSplit = { ok: true, registry, path, defaultedRegistry: false };
  if (port !== undefined) out.port = port;
  return out;
}

function isHost(host: string): boolean {
  if (IPV6_HOST.test(host)) return true;
  return host.length > 0 && host.split('.').every((c) => DOMAIN_COMPONENT.test(c));
}

function checkDigest(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return `invalid digest "${digest}"`;
  const [algorithm, hex] = digest.split(':');
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return `unsupported digest algorithm "${algorithm}"`;
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    return `invalid ${algorithm} digest: want ${length} lowercase hex characters`;
  }
  return undefined;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

/** `registry[:port]`, the host part of a reference as a runtime would contact it. */
export function registryHost(ref: ImageReference): string {
  return ref.port === undefined ? ref.registry : `${ref.registry}:${ref.port}`;
}

/** The fully qualified name without tag or digest: `docker.io/library/nginx`. */
export function fullName(ref: ImageReference): string {
  return `${registryHost(ref)}/${ref.repository}`;
}

/** The fully qualified reference: `docker.io/library/nginx:1.27@sha256:...`. */
export function formatReference(ref: ImageReference): string {
  let out = fullName(ref);
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** The short form people write: `nginx:1.27`, `bitnami/redis:7`, `ghcr.io/acme/app:v1`. */
export function familiarName(ref: ImageReference): string {
  let name = fullName(ref);
  if (ref.registry === DEFAULT_REGISTRY && ref.port === undefined) {
    // `library/` is dropped only where adding it back is unambiguous (`library/nginx`, not `library/a/b`).
    const official = ref.repository.startsWith(OFFICIAL_PREFIX) && ref.repository.split('/').length === 2;
    name = official ? ref.repository.slice(OFFICIAL_PREFIX.length) : ref.repository;
  }
  if (ref.tag !== undefined) name += `:${ref.tag}`;
  if (ref.digest !== undefined) name += `@${ref.digest}`;
  return name;
}

/**
 * Do two references name the same repository once Docker's defaults are applied (`nginx`,
 * `docker.io/library/nginx` and `index.docker.io/library/nginx` do)? For comparing what Git
 * declares with what a cluster runs.
 */
export function sameRepository(a: ImageReference, b: ImageReference): boolean {
  return fullName(a) === fullName(b);
}
