/**
 * Correctly rounded fused multiply-add (a*b + c with a single rounding) for float32 and
 * float64, emulated with ordinary double arithmetic. PyTorch's AVX2 kernels fuse these
 * multiply-adds (explicitly with `_mm256_fmadd_ps`, or because GCC contracts `x * y + z`),
 * and an unfused version changes the last bit of many random values.
 *
 * No allocation and no BigInt: both functions sit in per-element loops.
 */

/**
 * fmaf(a, b, c) for float32 operands (the caller passes values that are exactly float32).
 *
 * NOTE [float32 FMA through float64]: a*b is exact in double (24 + 24 significand bits
 * <= 53), so s = a*b + c suffers one double rounding and `Math.fround(s)` a second one.
 * Double rounding can only go wrong when s lands exactly on a float32 midpoint while the
 * exact sum did not: then the discarded error term of the double sum decides the direction
 * instead of ties-to-even. s is such a midpoint iff `other` = r + 2(s - r), the float32 on
 * the far side of s, is itself a float32.
 */
export function fma32(a: number, b: number, c: number): number {
  const s = a * b + c;
  const r = Math.fround(s);
  const other = s + (s - r); // exact: r and s are neighbours
  if (r === s || Math.fround(other) !== other) return r;
  return fma32AtMidpoint(a, b, c, s, r, other);
}

/** The rare case: s is a float32 midpoint (or r overflowed). Kept out of line so fma32 inlines. */
function fma32AtMidpoint(a: number, b: number, c: number, s: number, r: number, other: number): number {
  if (r - r !== 0) return r; // overflow to infinity
  const p = a * b;
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb); // s + err == a*b + c exactly (TwoSum)
  if (err === 0) return r; // a genuine tie: fround already rounded it to even
  return (err > 0) === (s > r) ? other : r;
}

// Veltkamp splitting constant 2^27 + 1: splits a double into two 26-bit halves.
const SPLITTER = 134217729;

const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);
// Index of the low 32-bit word of a double in the platform's byte order.
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/**
 * fma(a, b, c) for doubles, correctly rounded to nearest-even.
 *
 * NOTE [float64 FMA by rounding to odd]: with error-free transformations
 * a*b + c == uh + ul + tl exactly, where uh is the rounded sum and |ul + tl| < ulp(uh).
 * Rounding ul + tl *to odd* keeps a sticky bit far below the rounding position of uh,
 * so RN(uh + RO(ul + tl)) == RN(a*b + c) (Boldo & Melquiond, "Emulation of FMA and
 * correctly rounded sums: proved algorithms using rounding to odd", 2008).
 * Valid while a*b neither overflows nor falls into the subnormal range (|a|, |b| < 2^996,
 * |a*b| > 2^-969): always true for the bounds and samples this module produces.
 */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  // Infinities / NaN need no fusing; with a zero operand the sum is exact and p + c also
  // gets the IEEE sign of a zero result right (-0 + -0 = -0).
  if (p - p !== 0 || c - c !== 0 || p === 0 || c === 0) return p + c;
  // (p, pe) = TwoProduct(a, b) by Dekker's algorithm.
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  // (s, se) = TwoSum(p, c)
  const s = p + c;
  let bv = s - p;
  const se = (p - (s - bv)) + (c - bv);
  // (th, tl) = TwoSum(se, pe)
  const th = se + pe;
  bv = th - se;
  const tl = (se - (th - bv)) + (pe - bv);
  // (uh, ul) = TwoSum(s, th)
  const uh = s + th;
  bv = uh - s;
  const ul = (s - (uh - bv)) + (th - bv);
  return uh + roundToOddSum(ul, tl);
}

/** x + y rounded to odd: the exact sum if representable, else the neighbour with an odd significand. */
function roundToOddSum(x: number, y: number): number {
  const v = x + y;
  const bv = v - x;
  const e = (x - (v - bv)) + (y - bv);
  if (e === 0) return v;
  scratchF64[0] = v;
  if ((scratchU32[LOW_WORD] & 1) === 1) return v;
  // v is even, so both neighbours are odd: step one unit toward the discarded error.
  if ((e > 0) === (v > 0)) {
    scratchU32[LOW_WORD] += 1; // low word is even: no carry
  } else if (scratchU32[LOW_WORD] === 0) {
    scratchU32[LOW_WORD] = 0xffffffff;
    scratchU32[1 - LOW_WORD] -= 1;
  } else {
    scratchU32[LOW_WORD] -= 1;
  }
  return scratchF64[0];
}
