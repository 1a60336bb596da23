/**
 * Scalar functions JavaScript's Math lacks, computed in double precision (the op kernels round
 * the result once into the output dtype).
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π

/**
 * erf(x) for |x| < 2 by its all-positive-terms series
 *   erf(x) = 2/√π · e^(−x²) · Σ (2x²)ⁿ · x / (1·3·5···(2n+1)),
 * which has no cancellation (unlike the alternating Taylor series).
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * erfc(x) for x >= 2 by the continued fraction
 *   erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))),
 * evaluated with the modified Lentz algorithm.
 */
function erfcContinuedFraction(x: number): number {
  if (x > 27) return 0; // e^(−x²) underflows
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The error function, accurate to a few ulp in double precision. */
export function erf(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax < 2) return erfSeries(x);
  const r = 1 - erfcContinuedFraction(ax);
  return x < 0 ? -r : r;
}

/** The complementary error function 1 − erf(x), without cancellation for large x. */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x < 2) return 1 - erf(x);
  return erfcContinuedFraction(x);
}

/** Round half to even, like C's nearbyint (torch.round). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x); // rounds .5 up
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}

/** Round to `decimals` digits as torch.round(x, decimals=d): nearbyint(x·10^d)/10^d. */
export function roundDecimals(x: number, decimals: number): number {
  if (decimals === 0) return roundHalfEven(x);
  const ten = Math.pow(10, Math.abs(decimals));
  return decimals > 0 ? roundHalfEven(x * ten) / ten : roundHalfEven(x / ten) * ten;
}

/** torch.sign: (0 < x) − (x < 0), so sign(±0) = 0 and sign(NaN) = 0. */
export function sign(x: number): number {
  return (0 < x ? 1 : 0) - (x < 0 ? 1 : 0);
}

/**
 * Python's floor division for floats (ATen's div_floor_floating): the quotient of the exact
 * remainder-corrected division, so 7 // -2 == -4 and a zero quotient keeps the sign of a/b.
 * `round` rounds each intermediate to the computation dtype (Math.fround for float32).
 */
export function floorDivideFloat(a: number, b: number, round: (v: number) => number): number {
  if (b === 0) return round(a / b);
  const mod = a % b; // fmod: exact
  let div = round(round(a - mod) / b);
  if (mod !== 0 && (b < 0) !== (mod < 0)) div = round(div - 1);
  if (div === 0) {
    const q = a / b;
    return q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv = round(floordiv + 1);
  return floordiv;
}

/** Python's floor division for integers (int64 storage holds integral doubles). */
export function floorDivideInt(a: number, b: number): number {
  return Math.floor(a / b);
}
