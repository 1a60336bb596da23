/**
 * The double-precision C library functions PyTorch's double Box-Muller paths call
 * (`std::log`, `::log1p`, and `::sin`/`::cos` of one angle, which GCC merges into `sincos`),
 * i.e. glibc's libm in PyTorch's Linux builds.
 *
 * NOTE [libm last bits]: glibc does not promise correctly rounded results, and its code
 * (LGPL, with FMA-specific variants chosen at run time) is not ported here. Instead:
 * - log, sin, cos are correctly rounded (correctlyRoundedMath.ts). glibc returns the correctly
 *   rounded value for all but ~0.1% of Box-Muller arguments (measured on 60,000 arguments,
 *   glibc 2.36 x86-64 with FMA: log 0.075%, sin 0.12%, cos 0.12% differ by one ulp), whereas
 *   V8's `Math.log/sin/cos` (fdlibm) differ from glibc for 7.3%, 3.4%, 3.2%.
 * - log1p is V8's `Math.log1p`, the same fdlibm algorithm as glibc's (0.07% differ), while a
 *   correctly rounded log1p would differ from glibc's for ~7%.
 * float32 outputs are rounded from these doubles, so a one-ulp difference changes them only
 * with probability ~2^-29; float64 outputs of the double normal paths can differ from
 * PyTorch's in the last bit that rarely. (PyTorch itself gives different last bits on
 * machines with a different libm.)
 */
import { logCR, sincosCR } from './correctlyRoundedMath';

export function cLog(x: number): number {
  return logCR(x);
}

export function cLog1p(x: number): number {
  return Math.log1p(x);
}

/** sincos(x): out[0] = sin x, out[1] = cos x. */
export function cSinCos(x: number, out: Float64Array): void {
  sincosCR(x, out);
}
