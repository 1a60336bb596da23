/**
 * ATen's `avx_mathfun.h` (`log256_ps`, `sincos256_ps`: Cephes-style float32 polynomials by
 * Julien Pommier / Giovanni Garberoglio) lane by lane, as PyTorch's AVX2 `randn` kernel runs them.
 *
 * Every operation is float32 (`Math.fround` after each double operation is exact rounding
 * for +, -, *, sqrt of float32 operands), and the multiply-adds that GCC fuses when it
 * compiles the intrinsics with -mfma are fused here too (`fma32`). Using the C library's
 * logf/sinf/cosf instead changes the last bits of ~40% of PyTorch's normals.
 *
 * NOTE [lane-major loops]: a "register" here is a Float64Array of lanes (holding float32
 * values) and each intrinsic is one loop over all lanes, for up to MAX_LANES lanes at once
 * (several __m256 registers' worth: every lane is independent). Doing one polynomial step for
 * all lanes before the next gives the CPU many independent dependency chains, and the fma32
 * helpers return nothing (V8 boxes a double returned from a call it did not inline). The first,
 * lane-at-a-time version with double-returning helpers was about 4x slower.
 */
import { fma32 } from './fusedMultiplyAdd';

/** Number of float32 lanes in a __m256 register. */
export const LANES = 8;
/**
 * Most lanes one call processes: callers batch several registers' worth of independent
 * lanes (each lane's result depends on that lane only), which amortises loop overhead.
 */
export const MAX_LANES = 512;

const MIN_NORM_POS = Math.fround(1.17549435e-38);
const SQRTHF = Math.fround(0.707106781186547524);
const LOG_P0 = Math.fround(7.0376836292e-2);
const LOG_P1 = Math.fround(-1.1514610310e-1);
const LOG_P2 = Math.fround(1.1676998740e-1);
const LOG_P3 = Math.fround(-1.2420140846e-1);
const LOG_P4 = Math.fround(1.4249322787e-1);
const LOG_P5 = Math.fround(-1.6668057665e-1);
const LOG_P6 = Math.fround(2.0000714765e-1);
const LOG_P7 = Math.fround(-2.4999993993e-1);
const LOG_P8 = Math.fround(3.3333331174e-1);
const LOG_Q1 = Math.fround(-2.12194440e-4);
const LOG_Q2 = Math.fround(0.693359375);

const MINUS_DP1 = Math.fround(-0.78515625);
const MINUS_DP2 = Math.fround(-2.4187564849853515625e-4);
const MINUS_DP3 = Math.fround(-3.77489497744594108e-8);
const SIN_P0 = Math.fround(-1.9515295891e-4);
const SIN_P1 = Math.fround(8.3321608736e-3);
const SIN_P2 = Math.fround(-1.6666654611e-1);
const COS_P0 = Math.fround(2.443315711809948e-5);
const COS_P1 = Math.fround(-1.388731625493765e-3);
const COS_P2 = Math.fround(4.166664568298827e-2);
const FOUR_OVER_PI = Math.fround(1.27323954473516);

// Reinterpreting float32 bits (the intrinsics' integer tricks) through one shared word.
const bitsF32 = new Float32Array(1);
const bitsI32 = new Int32Array(bitsF32.buffer);

// Scratch registers (module-level so the per-block calls allocate nothing).
const regE = new Float64Array(MAX_LANES);
const regEq1 = new Float64Array(MAX_LANES);
const regM = new Float64Array(MAX_LANES);
const regNegZ = new Float64Array(MAX_LANES);
const regY = new Float64Array(MAX_LANES);
const regZ = new Float64Array(MAX_LANES);
const regYs = new Float64Array(MAX_LANES);
const regYc = new Float64Array(MAX_LANES);
const regR = new Float64Array(MAX_LANES);
const regJ = new Int32Array(MAX_LANES);
const regJf = new Float64Array(MAX_LANES);
const regNegative = new Uint8Array(MAX_LANES);

/*
 * The fused multiply-adds, one helper per operand shape (vector / scalar). They return
 * nothing: in V8 a double returned from a call that was not inlined is boxed on the heap,
 * and a function with many fma32 call sites exceeds the inlining budget.
 */

/** out = fma(a, b, c) on lanes 0..n-1, b and c vectors. */
function fmaVVV(n: number, out: Float64Array, a: Float64Array, b: Float64Array, c: Float64Array): void {
  for (let l = 0; l < n; l++) out[l] = fma32(a[l], b[l], c[l]);
}

/** out = fma(a, b, c) on lanes 0..n-1, b a vector, c a constant (a polynomial step). */
function fmaVVS(n: number, out: Float64Array, a: Float64Array, b: Float64Array, c: number): void {
  for (let l = 0; l < n; l++) out[l] = fma32(a[l], b[l], c);
}

/** out = fma(a, b, c) on lanes 0..n-1, b a constant. */
function fmaVSV(n: number, out: Float64Array, a: Float64Array, b: number, c: Float64Array): void {
  for (let l = 0; l < n; l++) out[l] = fma32(a[l], b, c[l]);
}

/** out = fma(a, b, c) on lanes 0..n-1, b and c constants (`_mm256_fmadd_ps(n, std, mean)`). */
export function fmaVSS(n: number, out: Float64Array, a: Float64Array, b: number, c: number): void {
  for (let l = 0; l < n; l++) out[l] = fma32(a[l], b, c);
}

/**
 * `log256_ps` on lanes 0..n-1 (n <= MAX_LANES): out[l] = log(x[l]) for float32 x
 * (NaN for x <= 0, the kernel's invalid mask). `out` may be `x`.
 */
export function log256Ps(n: number, x: Float64Array, out: Float64Array): void {
  const e = regE;
  const m = regM;
  const y = regY;
  const z = regZ;
  for (let l = 0; l < n; l++) {
    const input = x[l];
    // NOTE: _mm256_max_ps(x, min_norm) returns min_norm for a NaN input; so do we.
    bitsF32[0] = input > MIN_NORM_POS ? input : MIN_NORM_POS;
    const bits = bitsI32[0];
    let exponent = ((bits >>> 23) - 0x7f) + 1;
    // Keep the mantissa, force the exponent of 0.5: mantissa in [0.5, 1).
    bitsI32[0] = (bits & ~0x7f800000) | 0x3f000000;
    let mantissa = bitsF32[0];
    // x = mantissa > sqrt(1/2) ? mantissa - 1 : 2 * mantissa - 1 (and e -= 1), in float32 steps.
    const small = mantissa < SQRTHF;
    const tmp = small ? mantissa : 0;
    mantissa = Math.fround(mantissa - 1);
    if (small) exponent -= 1;
    mantissa = Math.fround(mantissa + tmp);
    m[l] = mantissa;
    // The exponent is a small integer (exact in float32). x <= 0 poisons it with NaN, which
    // reaches the result like the kernel's invalid mask (a NaN input is not <= 0: it yields
    // log(min_norm), as in the kernel).
    const el = input <= 0 ? NaN : exponent;
    e[l] = el;
    regEq1[l] = Math.fround(el * LOG_Q1);
    const zl = Math.fround(mantissa * mantissa);
    z[l] = zl;
    regNegZ[l] = -zl;
    y[l] = LOG_P0;
  }
  fmaVVS(n, y, y, m, LOG_P1);
  fmaVVS(n, y, y, m, LOG_P2);
  fmaVVS(n, y, y, m, LOG_P3);
  fmaVVS(n, y, y, m, LOG_P4);
  fmaVVS(n, y, y, m, LOG_P5);
  fmaVVS(n, y, y, m, LOG_P6);
  fmaVVS(n, y, y, m, LOG_P7);
  fmaVVS(n, y, y, m, LOG_P8);
  for (let l = 0; l < n; l++) y[l] = Math.fround(y[l] * m[l]);
  fmaVVV(n, y, y, z, regEq1); // y = y*z + e*q1
  fmaVSV(n, y, regNegZ, 0.5, y); // y = y - z*0.5
  for (let l = 0; l < n; l++) m[l] = Math.fround(m[l] + y[l]);
  fmaVSV(n, out, e, LOG_Q2, m); // x + e*q2
}

/**
 * `sincos256_ps` on lanes 0..n-1 (n <= MAX_LANES): sinOut[l], cosOut[l] = sin(x[l]), cos(x[l])
 * for float32 x. The outputs may alias x.
 */
export function sincos256Ps(n: number, x: Float64Array, sinOut: Float64Array, cosOut: Float64Array): void {
  const r = regR; // the reduced argument
  const z = regZ;
  const ys = regYs;
  const yc = regYc;
  const j = regJ;
  const jf = regJf;
  for (let l = 0; l < n; l++) {
    const input = x[l];
    regNegative[l] = input < 0 || (input === 0 && 1 / input < 0) ? 1 : 0;
    const xl = Math.abs(input);
    // j = (int)(|x| * 4/pi) rounded up to even: the octant, mapping |x| to [-pi/4, pi/4].
    const jl = (Math.trunc(Math.fround(xl * FOUR_OVER_PI)) + 1) & ~1;
    j[l] = jl;
    jf[l] = jl; // _mm256_cvtepi32_ps: exact for these small integers
    r[l] = xl;
  }
  // Extended-precision modular arithmetic: x = ((x - j*DP1) - j*DP2) - j*DP3, fused.
  fmaVSV(n, r, jf, MINUS_DP1, r);
  fmaVSV(n, r, jf, MINUS_DP2, r);
  fmaVSV(n, r, jf, MINUS_DP3, r);
  for (let l = 0; l < n; l++) {
    const zl = Math.fround(r[l] * r[l]);
    z[l] = zl;
    regNegZ[l] = -Math.fround(zl * 0.5);
    yc[l] = COS_P0;
    ys[l] = SIN_P0;
  }
  // Cosine polynomial on [-pi/4, pi/4]: ((c0 z + c1) z + c2) z^2 - z/2 + 1.
  fmaVVS(n, yc, yc, z, COS_P1);
  fmaVVS(n, yc, yc, z, COS_P2);
  for (let l = 0; l < n; l++) yc[l] = Math.fround(yc[l] * z[l]);
  fmaVVV(n, yc, yc, z, regNegZ);
  // Sine polynomial on [-pi/4, pi/4]: ((s0 z + s1) z + s2) z x + x.
  fmaVVS(n, ys, ys, z, SIN_P1);
  fmaVVS(n, ys, ys, z, SIN_P2);
  for (let l = 0; l < n; l++) ys[l] = Math.fround(ys[l] * z[l]);
  fmaVVV(n, ys, ys, r, r);
  for (let l = 0; l < n; l++) {
    const c0 = Math.fround(yc[l] + 1);
    const s0 = ys[l];
    const jl = j[l];
    const useSinPoly = (jl & 2) === 0;
    const s = useSinPoly ? s0 : c0;
    const c = useSinPoly ? c0 : s0;
    // NOTE: the kernel flips sign bits with XOR; negation does the same, zeros included.
    sinOut[l] = (regNegative[l] === 1) !== ((jl & 4) !== 0) ? -s : s;
    cosOut[l] = (~(jl - 2) & 4) !== 0 ? -c : c;
  }
}
