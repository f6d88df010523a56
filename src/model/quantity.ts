/**
 * Kubernetes resource quantities (`250m`, `1.5Gi`, `1e3`, `2`), the one parser: exact fractions,
 * so that `0.1` and `100m`, `1` and `1000m`, or `1Gi` and `1024Mi` compare equal without float
 * error. The rules (a request equal to its limit) and drift (Git against the cluster) both use it.
 */

/** A quantity as an exact fraction. */
export interface Rational {
  num: bigint;
  den: bigint;
}

const DECIMAL_SUFFIX: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/**
 * Bounds on what is read as a quantity, since manifests are untrusted: a thousand digits and an
 * exponent of ±1000 are far past anything the API server stores (it keeps 64-bit values), and
 * keep the exact arithmetic small (`1e999999999` would otherwise ask for a billion-digit number).
 */
const MAX_DIGITS = 1000;
const MAX_EXPONENT = 1000;

/** Parse a Kubernetes resource quantity (`250m`, `1.5Gi`, `1e3`, `2`); undefined if it is not one. */
export function parseQuantity(value: unknown): Rational | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? parseQuantity(String(value)) : undefined;
  if (typeof value !== 'string' || value.length > MAX_DIGITS + 16) return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const [, sign, digits, exponent, suffix = ''] = m;
  const [whole, frac = ''] = digits.split('.');
  let num = BigInt(`${whole || '0'}${frac}`) * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(frac.length);
  let power10 = exponent ? Number(exponent.slice(1)) : (DECIMAL_SUFFIX[suffix] ?? 0);
  if (Math.abs(power10) > MAX_EXPONENT) return undefined;
  if (suffix in BINARY_SUFFIX) {
    num *= 2n ** BigInt(BINARY_SUFFIX[suffix]);
    power10 = 0;
  }
  if (power10 >= 0) num *= 10n ** BigInt(power10);
  else den *= 10n ** BigInt(-power10);
  return { num, den };
}

/** Equal as quantities; values that are not quantities never are. */
export function quantitiesEqual(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  return x !== undefined && y !== undefined && x.num * y.den === y.num * x.den;
}
