/**
 * Matrix multiply for the tensor library: every matmul/mm/bmm/linear and their backward end here.
 *
 * Both precisions run a packed, cache-blocked WebAssembly SIMD128 kernel (see gemm-packed.ts)
 * for all but tiny products, where the plain-JS loop wins because staging, packing and the call
 * cost more than the arithmetic; engines without WebAssembly SIMD always take the JS path.
 * The WASM path stages A and B before writing C, so C may even overlap them; the JS path needs C
 * disjoint from A and B, as BLAS does.
 */

import { gemmJs, scaleC } from './gemm-js';
import { PackedGemm } from './gemm-packed';

/**
 * Below this many multiply-adds (M·N·K) the JS loop is faster than staging + packing + WASM.
 * Measured with `npx tsx bench/gemm.bench.ts --crossover` on the project's 2-core machine
 * (Node 20), for float32 and float64 alike: 6³ was faster in JS, 8³ in WASM; 1×16×16 in JS,
 * 16×16×1 and 1×64×64 in WASM.
 */
export const GEMM_WASM_MIN_WORK = 512;

export type GemmPath = 'auto' | 'wasm' | 'js';

let forcedPath: GemmPath = 'auto';

/** Compiles a WASM kernel on first use; remembers that it is unavailable. */
function lazily<T>(create: () => T | undefined): () => T | undefined {
  let tried = false;
  let value: T | undefined;
  return () => {
    if (!tried) {
      tried = true;
      value = create();
    }
    return value;
  };
}

const packed32 = lazily(PackedGemm.float32);
const packed64 = lazily(PackedGemm.float64);

/** Whether this engine runs the WebAssembly kernels (compiles the float32 one if not yet done). */
export function gemmHasWasm(): boolean {
  return packed32() !== undefined;
}

/**
 * For tests and benchmarks: force one implementation of sgemm and dgemm ('wasm' throws where
 * unavailable) or go back to choosing by size ('auto'). Returns the previous setting.
 */
export function setGemmPath(path: GemmPath): GemmPath {
  if (path === 'wasm' && (packed32() === undefined || packed64() === undefined)) {
    throw new Error('WebAssembly SIMD is not available');
  }
  const previous = forcedPath;
  forcedPath = path;
  return previous;
}

function wantsWasm(M: number, N: number, K: number): boolean {
  return forcedPath === 'wasm' || (forcedPath === 'auto' && M * N * K >= GEMM_WASM_MIN_WORK);
}

/** Throws unless the rows × cols window at `off` with row stride `ld` lies inside `length`. */
function checkWindow(
  what: string, rows: number, cols: number, off: number, ld: number, length: number,
): void {
  if (!(ld >= cols && ld >= 1)) throw new RangeError(`gemm: ${what} leading dimension ${ld} < ${cols}`);
  if (rows > 0 && cols > 0 && !(off >= 0 && off + (rows - 1) * ld + cols <= length)) {
    throw new RangeError(
      `gemm: ${what} window (${rows}×${cols}, offset ${off}, ld ${ld}) exceeds length ${length}`,
    );
  }
}

function checkArgs(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  aLength: number, aOff: number, lda: number, bLength: number, bOff: number, ldb: number,
  cLength: number, cOff: number, ldc: number,
): void {
  if (!(M >= 0 && N >= 0 && K >= 0)) throw new RangeError(`gemm: bad sizes M=${M} N=${N} K=${K}`);
  if (M === 0 || N === 0) return;
  // Stored shapes: A is M×K (K×M if transposed), B is K×N (N×K if transposed).
  if (K > 0) {
    checkWindow('A', transA ? K : M, transA ? M : K, aOff, lda, aLength);
    checkWindow('B', transB ? N : K, transB ? K : N, bOff, ldb, bLength);
  }
  checkWindow('C', M, N, cOff, ldc, cLength);
}

/** C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C, row-major, float32.
 *  op(X) = X or Xᵀ. lda/ldb/ldc are row strides (elements) of the stored matrices; offsets in elements.
 *  beta = 0 overwrites C without reading it (BLAS semantics). */
export function sgemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  alpha: number, A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
): void {
  checkArgs(transA, transB, M, N, K, A.length, aOff, lda, B.length, bOff, ldb, C.length, cOff, ldc);
  if (M === 0 || N === 0) return;
  if (K === 0 || alpha === 0) {
    scaleC(M, N, beta, C, cOff, ldc);
    return;
  }
  if (wantsWasm(M, N, K)
    && packed32()?.run(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc)) {
    return;
  }
  gemmJs(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
}

/** float64 version of sgemm (f64x2 WASM kernel; the JS fallback sums in float64 too). */
export function dgemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  alpha: number, A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  beta: number, C: Float64Array, cOff: number, ldc: number,
): void {
  checkArgs(transA, transB, M, N, K, A.length, aOff, lda, B.length, bOff, ldb, C.length, cOff, ldc);
  if (M === 0 || N === 0) return;
  if (K === 0 || alpha === 0) {
    scaleC(M, N, beta, C, cOff, ldc);
    return;
  }
  if (wantsWasm(M, N, K)
    && packed64()?.run(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc)) {
    return;
  }
  gemmJs(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
}
