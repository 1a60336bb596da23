/**
 * Correctly rounded double log, sin and cos (round to nearest), evaluated in double-double
 * arithmetic (~2^-100 relative error before the final rounding).
 *
 * Why: PyTorch's double Box-Muller paths call glibc's log/sin/cos. glibc's results are the
 * correctly rounded ones for all but ~0.1% of arguments, while V8's `Math` functions (fdlibm)
 * differ from them in the last bit for 3-7% (see NOTE [libm last bits] in cLibMath.ts).
 * Bit-for-bit identity with glibc would need a port of its (LGPL, FMA-variant specific) code.
 *
 * Special values (NaN, infinities, zero and negative arguments) are delegated to `Math`,
 * whose results there are exact.
 *
 * NOTE [double-double register]: every double-double operation writes its result to
 * `res[0]` (high part) and `res[1]` (low part) and returns nothing. V8 boxes a double
 * returned from a call it does not inline (and a double stored in a module-level `let`),
 * and these helpers have too many call sites to be inlined everywhere: returning results
 * through a typed array keeps the functions allocation-free.
 */

const res = new Float64Array(2);

const SPLITTER = 134217729; // 2^27 + 1: Veltkamp splitting into 26-bit halves

/** res = a + b exactly (Knuth's TwoSum). */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  res[0] = s;
  res[1] = (a - (s - bb)) + (b - bb);
}

/** res = a + b exactly, given |a| >= |b| or a == 0 (Dekker's FastTwoSum). */
function fastTwoSum(a: number, b: number): void {
  const s = a + b;
  res[0] = s;
  res[1] = b - (s - a);
}

/** res = a * b exactly (Dekker's TwoProduct; no overflow while |a|, |b| < 2^996). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  res[0] = p;
  res[1] = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** res = (ah + al) * (bh + bl). */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  fastTwoSum(res[0], res[1] + (ah * bl + al * bh));
}

/** res = (ah + al) + (bh + bl) (no catastrophic cancellation in our uses). */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  fastTwoSum(res[0], res[1] + (al + bl));
}

/** res = (ah + al) / (bh + bl). */
function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -res[0], -res[1]); // the small remainder, almost exact
  fastTwoSum(q1, (res[0] + res[1]) / bh);
}

// ---------------------------------------------------------------------------------------------
// Tables, built once at load time with the same double-double arithmetic. Pairs [hi, lo].

/** 1/n! for n = 0..MAX_FACTORIAL. */
const MAX_FACTORIAL = 12;
const INV_FACTORIAL = new Float64Array(2 * (MAX_FACTORIAL + 1));
{
  let fh = 1;
  let fl = 0;
  for (let n = 0; n <= MAX_FACTORIAL; n++) {
    if (n > 0) {
      ddMul(fh, fl, n, 0);
      fh = res[0];
      fl = res[1];
    }
    ddDiv(1, 0, fh, fl);
    INV_FACTORIAL[2 * n] = res[0];
    INV_FACTORIAL[2 * n + 1] = res[1];
  }
}

/** 1/(2k+1) for k = 0..ATANH_TERMS-1 (the atanh series). */
const ATANH_TERMS = 40;
const INV_ODD = new Float64Array(2 * ATANH_TERMS);
for (let k = 0; k < ATANH_TERMS; k++) {
  ddDiv(1, 0, 2 * k + 1, 0);
  INV_ODD[2 * k] = res[0];
  INV_ODD[2 * k + 1] = res[1];
}

/** res = 2 atanh(s) = log((1 + s) / (1 - s)) for a double-double |s| <= 0.18, summed until negligible. */
function twoAtanh(sh: number, sl: number): void {
  ddMul(sh, sl, sh, sl);
  const s2h = res[0];
  const s2l = res[1];
  let th = sh; // the power s^(2k+1)
  let tl = sl;
  let sumH = 0;
  let sumL = 0;
  for (let k = 0; k < ATANH_TERMS; k++) {
    ddMul(th, tl, INV_ODD[2 * k], INV_ODD[2 * k + 1]);
    const termH = res[0];
    ddAdd(sumH, sumL, termH, res[1]);
    sumH = res[0];
    sumL = res[1];
    if (Math.abs(termH) <= Math.abs(sumH) * 2 ** -110) break;
    ddMul(th, tl, s2h, s2l);
    th = res[0];
    tl = res[1];
  }
  res[0] = 2 * sumH;
  res[1] = 2 * sumL;
}

/** log(i/128) for i = LOG_TABLE_FIRST..LOG_TABLE_LAST (covers [sqrt(1/2), sqrt(2)]). */
const LOG_TABLE_FIRST = 90;
const LOG_TABLE_LAST = 182;
const LOG_TABLE = new Float64Array(2 * (LOG_TABLE_LAST + 1));
for (let i = LOG_TABLE_FIRST; i <= LOG_TABLE_LAST; i++) {
  // log(i/128) = 2 atanh((i - 128) / (i + 128)), an exact integer ratio.
  ddDiv(i - 128, 0, i + 128, 0);
  twoAtanh(res[0], res[1]);
  LOG_TABLE[2 * i] = res[0];
  LOG_TABLE[2 * i + 1] = res[1];
}

/** sin(j/64) and cos(j/64) for j = 0..SINCOS_TABLE_LAST (covers [0, pi/4]). */
const SINCOS_TABLE_LAST = 51;
const SIN_TABLE = new Float64Array(2 * (SINCOS_TABLE_LAST + 1));
const COS_TABLE = new Float64Array(2 * (SINCOS_TABLE_LAST + 1));
for (let j = 0; j <= SINCOS_TABLE_LAST; j++) {
  const a = j / 64;
  // Taylor series of sin and cos together, term by term: a^n/n! = (a^(n-1)/(n-1)!) * a / n.
  let sinH = 0;
  let sinL = 0;
  let cosH = 0;
  let cosL = 0;
  let th = 1;
  let tl = 0;
  for (let n = 0; n < 60; n++) {
    if (n > 0) {
      ddMul(th, tl, a, 0);
      ddDiv(res[0], res[1], n, 0);
      th = res[0];
      tl = res[1];
    }
    const sign = (n >> 1) % 2 === 0 ? 1 : -1;
    if (n % 2 === 0) {
      ddAdd(cosH, cosL, sign * th, sign * tl);
      cosH = res[0];
      cosL = res[1];
    } else {
      ddAdd(sinH, sinL, sign * th, sign * tl);
      sinH = res[0];
      sinL = res[1];
    }
    if (th < 2 ** -120) break;
  }
  SIN_TABLE[2 * j] = sinH;
  SIN_TABLE[2 * j + 1] = sinL;
  COS_TABLE[2 * j] = cosH;
  COS_TABLE[2 * j + 1] = cosL;
}

// ---------------------------------------------------------------------------------------------
// log

// ln 2 = LN2_HI + LN2_LO + LN2_LO2 (each the double nearest to what remains).
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const LN2_LO2 = 5.707708438416212e-34;
const MIN_NORMAL = 2.2250738585072014e-308;

const wordF64 = new Float64Array(1);
const wordU32 = new Uint32Array(wordF64.buffer);
// Index of the high 32-bit word (sign, exponent) of a double in the platform's byte order.
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Correctly rounded natural logarithm. */
export function logCR(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  let k = 0;
  let m = x;
  if (m < MIN_NORMAL) {
    m *= 2 ** 54;
    k = -54;
  }
  // x = 2^k * m with m in [1, 2), then in [sqrt(1/2), sqrt(2)).
  wordF64[0] = m;
  const high = wordU32[HIGH_WORD];
  k += ((high >>> 20) & 0x7ff) - 1023;
  wordU32[HIGH_WORD] = (high & 0x000fffff) | 0x3ff00000;
  m = wordF64[0];
  if (m > Math.SQRT2) {
    m *= 0.5;
    k += 1;
  }
  // log m = log c + 2 atanh((m - c) / (m + c)) with c = i/128 the nearest table point.
  const i = Math.round(m * 128);
  const c = i / 128;
  twoSum(m, c);
  ddDiv(m - c, 0, res[0], res[1]); // m - c is exact (Sterbenz)
  twoAtanh(res[0], res[1]);
  ddAdd(LOG_TABLE[2 * i], LOG_TABLE[2 * i + 1], res[0], res[1]);
  if (k === 0) return res[0];
  const logMH = res[0];
  const logML = res[1];
  // k ln 2 as a double-double: k * LN2_HI and k * LN2_LO are exact products.
  twoProd(k, LN2_LO);
  const k2h = res[0];
  const k2l = res[1] + k * LN2_LO2;
  twoProd(k, LN2_HI);
  ddAdd(res[0], res[1], k2h, k2l);
  ddAdd(res[0], res[1], logMH, logML); // |k ln 2| > 0.69 > |log m|: no cancellation
  return res[0];
}

// ---------------------------------------------------------------------------------------------
// sin / cos

// pi/2 = C1 + C2 + C3 + C4: C1..C3 have at most 33 significant bits, so k * Ci is exact for
// |k| < 2^20 (Cody & Waite's reduction); the error of the sum is below 2^-160.
const HALF_PI_C1 = 1.5707963267341256;
const HALF_PI_C2 = 6.077100506303966e-11;
const HALF_PI_C3 = 2.0222662487111665e-21;
const HALF_PI_C4 = 8.4784276603689e-32;
const TWO_OVER_PI = 0.6366197723675814;
const REDUCTION_LIMIT = 2 ** 19;

/** sin t (hi, lo) and cos t (hi, lo) from `sincosSmall`. */
const small = new Float64Array(4);

/** small = sin t, cos t of a double-double |t| <= 1/128 + tiny, by Taylor series in t^2. */
function sincosSmall(th: number, tl: number): void {
  ddMul(th, tl, th, tl);
  const t2h = res[0];
  const t2l = res[1];
  // sin t = t * (1 - t^2/3! + t^4/5! - ... - t^10/11!)
  let ph = -INV_FACTORIAL[2 * 11];
  let pl = -INV_FACTORIAL[2 * 11 + 1];
  for (let n = 9; n >= 1; n -= 2) {
    ddMul(ph, pl, t2h, t2l);
    const sign = ((n - 1) >> 1) % 2 === 0 ? 1 : -1;
    ddAdd(res[0], res[1], sign * INV_FACTORIAL[2 * n], sign * INV_FACTORIAL[2 * n + 1]);
    ph = res[0];
    pl = res[1];
  }
  ddMul(ph, pl, th, tl);
  small[0] = res[0];
  small[1] = res[1];
  // cos t = 1 - t^2/2! + t^4/4! - ... + t^12/12!
  ph = INV_FACTORIAL[2 * 12];
  pl = INV_FACTORIAL[2 * 12 + 1];
  for (let n = 10; n >= 0; n -= 2) {
    ddMul(ph, pl, t2h, t2l);
    const sign = (n >> 1) % 2 === 0 ? 1 : -1;
    ddAdd(res[0], res[1], sign * INV_FACTORIAL[2 * n], sign * INV_FACTORIAL[2 * n + 1]);
    ph = res[0];
    pl = res[1];
  }
  small[2] = ph;
  small[3] = pl;
}

/**
 * Correctly rounded sin(x) and cos(x) together (what GCC's `sincos` fusion of PyTorch's
 * `::sin(theta)`, `::cos(theta)` computes): out[0] = sin x, out[1] = cos x.
 * Arguments beyond +-2^19 fall back to `Math.sin` / `Math.cos` (Box-Muller never gets there).
 */
export function sincosCR(x: number, out: Float64Array): void {
  if (!(Math.abs(x) < REDUCTION_LIMIT)) {
    out[0] = Math.sin(x);
    out[1] = Math.cos(x);
    return;
  }
  if (x === 0) {
    out[0] = x; // keeps the sign of zero
    out[1] = 1;
    return;
  }
  // x = k pi/2 + r, r in [-pi/4, pi/4] as a double-double.
  const k = Math.round(x * TWO_OVER_PI);
  twoSum(x - k * HALF_PI_C1, -k * HALF_PI_C2); // x - k*C1 and k*C2 are exact
  ddAdd(res[0], res[1], -k * HALF_PI_C3, 0);
  const r1h = res[0];
  const r1l = res[1];
  twoProd(k, HALF_PI_C4);
  ddAdd(r1h, r1l, -res[0], -res[1]);
  const rh = res[0];
  const rl = res[1];
  // r = a + t with a = j/64 from the table, |t| <= 1/128.
  const j = Math.round(Math.abs(rh) * 64);
  const sign = rh < 0 ? -1 : 1;
  const a = sign * (j / 64);
  twoSum(rh - a, rl); // rh - a is exact (Sterbenz, or a == 0)
  sincosSmall(res[0], res[1]);
  const sah = sign * SIN_TABLE[2 * j];
  const sal = sign * SIN_TABLE[2 * j + 1];
  const cah = COS_TABLE[2 * j];
  const cal = COS_TABLE[2 * j + 1];
  // sin r = sin a cos t + cos a sin t; cos r = cos a cos t - sin a sin t.
  ddMul(sah, sal, small[2], small[3]);
  let uh = res[0];
  let ul = res[1];
  ddMul(cah, cal, small[0], small[1]);
  ddAdd(uh, ul, res[0], res[1]);
  const sinR = res[0];
  ddMul(cah, cal, small[2], small[3]);
  uh = res[0];
  ul = res[1];
  ddMul(sah, sal, small[0], small[1]);
  ddAdd(uh, ul, -res[0], -res[1]);
  const cosR = res[0];
  switch (((k % 4) + 4) % 4) {
    case 0: out[0] = sinR; out[1] = cosR; break;
    case 1: out[0] = cosR; out[1] = -sinR; break;
    case 2: out[0] = -sinR; out[1] = -cosR; break;
    default: out[0] = -cosR; out[1] = sinR; break;
  }
}
