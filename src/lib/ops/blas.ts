import type { DType, Storage } from '../dtype';

/**
 * C[m×n] = op(A)·op(B) into a zeroed C, row-major; op(X) = Xᵀ when trans. Accumulates in double.
 * NOTE: the portable reference loop; the fast float32 path plugs in here (kernels/gemm.ts).
 */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Storage, aOff: number, lda: number, B: Storage, bOff: number, ldb: number,
  C: Storage, cOff: number, ldc: number, _dtype: DType): void {
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const av = transA ? A[aOff + p * lda + i] : A[aOff + i * lda + p];
      if (transB) {
        for (let j = 0; j < n; j++) acc[j] += av * B[bOff + j * ldb + p];
      } else {
        const row = bOff + p * ldb;
        for (let j = 0; j < n; j++) acc[j] += av * B[row + j];
      }
    }
    const crow = cOff + i * ldc;
    for (let j = 0; j < n; j++) C[crow + j] = acc[j];
  }
}
