import type { DType, Storage } from '../dtype';
import { dgemm, sgemm } from '../kernels/gemm';

/**
 * The one GEMM entry point of the op modules: C[m×n] = op(A)·op(B) + beta·C, row-major,
 * op(X) = Xᵀ when trans; lda/ldb/ldc are row strides of the stored matrices.
 * float32 runs the WebAssembly SIMD sgemm (kernels/gemm.ts), float64 its dgemm; int64 (stored
 * as exact integers in a Float64Array) uses the reference loop below, exact up to 2^53.
 */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Storage, aOff: number, lda: number, B: Storage, bOff: number, ldb: number,
  beta: number, C: Storage, cOff: number, ldc: number, dtype: DType): void {
  if (m === 0 || n === 0) return;
  if (dtype === 'float32') {
    sgemm(transA, transB, m, n, k, 1, A as Float32Array, aOff, lda, B as Float32Array, bOff, ldb,
      beta, C as Float32Array, cOff, ldc);
  } else if (dtype === 'float64') {
    dgemm(transA, transB, m, n, k, 1, A as Float64Array, aOff, lda, B as Float64Array, bOff, ldb,
      beta, C as Float64Array, cOff, ldc);
  } else {
    referenceGemm(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
  }
}

/** Plain triple loop (integer dtypes): accumulates in double, then C = acc + beta·C. */
export function referenceGemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Storage, aOff: number, lda: number, B: Storage, bOff: number, ldb: number,
  beta: number, C: Storage, cOff: number, ldc: number): void {
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const av = transA ? A[aOff + p * lda + i] : A[aOff + i * lda + p];
      if (av === 0) continue;
      if (transB) {
        for (let j = 0; j < n; j++) acc[j] += av * B[bOff + j * ldb + p];
      } else {
        const row = bOff + p * ldb;
        for (let j = 0; j < n; j++) acc[j] += av * B[row + j];
      }
    }
    const crow = cOff + i * ldc;
    if (beta === 0) for (let j = 0; j < n; j++) C[crow + j] = acc[j];
    else for (let j = 0; j < n; j++) C[crow + j] = acc[j] + beta * C[crow + j];
  }
}

/** A strided matrix as BLAS sees it: stored row-major (possibly transposed) with a leading dim. */
export interface MatrixOperand {
  readonly trans: boolean;
  readonly ld: number;
}

/**
 * How to pass a rows×cols matrix with the given strides to GEMM without copying, or null when
 * its layout is not BLAS-compatible (e.g. broadcast rows with stride 0).
 */
export function matrixOperand(rows: number, cols: number, rowStride: number, colStride: number): MatrixOperand | null {
  if ((cols <= 1 || colStride === 1) && (rows <= 1 || rowStride >= Math.max(cols, 1))) {
    return { trans: false, ld: rows <= 1 ? Math.max(cols, 1) : rowStride };
  }
  if ((rows <= 1 || rowStride === 1) && (cols <= 1 || colStride >= Math.max(rows, 1))) {
    return { trans: true, ld: cols <= 1 ? Math.max(rows, 1) : colStride };
  }
  return null;
}
