/**
 * Exact a*b + c with BigInt, rounded once to float32 or float64 (round to nearest, ties to
 * even): the reference the FMA emulations are tested against. Slow and simple on purpose.
 */

/** x = mantissa * 2^exponent exactly (mantissa a signed integer). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: negative ? -mantissa : mantissa, exponent };
}

/** Rounds mantissa * 2^exponent to `precision` significant bits, ulps no finer than 2^minExponent. */
function roundToFormat(mantissa: bigint, exponent: number, precision: number, minExponent: number): number {
  if (mantissa === 0n) return 0;
  const negative = mantissa < 0n;
  let n = negative ? -mantissa : mantissa;
  const bitLength = n.toString(2).length;
  const ulpExponent = Math.max(exponent + bitLength - precision, minExponent);
  const shift = ulpExponent - exponent;
  let e = exponent;
  if (shift > 0) {
    const big = BigInt(shift);
    let q = n >> big;
    const rem = n - (q << big);
    const half = 1n << (big - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    n = q;
    e = ulpExponent;
  }
  // n has at most `precision` + 1 bits: Number(n) is exact; scaling by 2^e is exact in range.
  const magnitude = Number(n) * 2 ** e;
  return negative ? -magnitude : magnitude;
}

function exactFma(a: number, b: number, c: number, precision: number, minExponent: number): number {
  const x = decompose(a);
  const y = decompose(b);
  const z = decompose(c);
  const productMantissa = x.mantissa * y.mantissa;
  const productExponent = x.exponent + y.exponent;
  const e = Math.min(productExponent, z.exponent);
  const sum = (productMantissa << BigInt(productExponent - e)) + (z.mantissa << BigInt(z.exponent - e));
  if (sum === 0n) {
    // An exact zero is +0 in round-to-nearest unless both addends are -0.
    return Object.is(a * b, -0) && Object.is(c, -0) ? -0 : 0;
  }
  return roundToFormat(sum, e, precision, minExponent);
}

/** Correctly rounded float32 fma of float32 operands. */
export function exactFma32(a: number, b: number, c: number): number {
  return exactFma(a, b, c, 24, -149);
}

/** Correctly rounded float64 fma. */
export function exactFma64(a: number, b: number, c: number): number {
  return exactFma(a, b, c, 53, -1074);
}
