/**
 * Failures of the cluster side, as values the drift job can report: a forbidden kind is one line
 * in the report and the run goes on; an unreachable cluster is one line and the run stops.
 */

/** The API server answered with an error status. */
export class KubeApiError extends Error {
  /** On 410 Gone during a list: the fresh continue token the server offered, if any. */
  continueToken?: string;
  /** On 429 and 503: how long the server asked us to wait (Retry-After), if it said. */
  retryAfterMs?: number;

  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** No answer at all: DNS, refused connection, TLS, timeout. Stops the run with one clear line. */
export class ClusterUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterUnreachableError';
  }
}

/**
 * The API server refused the credentials (401): an expired token, a kubeconfig for another
 * cluster. Nothing can be read with them, so the run stops with one line.
 */
export class KubeAuthError extends ClusterUnreachableError {
  constructor(message: string) {
    super(message);
    this.name = 'KubeAuthError';
  }
}

/** The run's overall deadline passed: it stops with one line rather than hang. */
export class DeadlineError extends ClusterUnreachableError {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** The kubeconfig (or its absence) does not lead to a cluster. */
export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'timed out',
  ESOCKETTIMEDOUT: 'no answer in time',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: certificate chain not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not name this host',
  CERT_HAS_EXPIRED: 'TLS: certificate expired',
};

/** A one-line reason for a low-level error, without a stack. */
export function networkReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && NETWORK_CODES[code]) return NETWORK_CODES[code];
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}

export function isNetworkError(err: unknown): boolean {
  return (
    err instanceof Error &&
    !(err instanceof KubeApiError) &&
    typeof (err as NodeJS.ErrnoException).code === 'string'
  );
}
