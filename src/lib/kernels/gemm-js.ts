/**
 * Plain-JS GEMM: the path for tiny products (where a WebAssembly call and the packing cost more
 * than the arithmetic), for float64, and for engines without WebAssembly SIMD.
 *
 * C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C, row-major, strided.
 * As in BLAS, beta = 0 means C is written without being read (NaN/Inf in C do not propagate),
 * and alpha = 0 or K = 0 means A and B are not read.
 */

export type FloatArray = Float32Array | Float64Array;

/** C = beta · C over the M×N window (beta = 0 clears without reading). */
export function scaleC(
  M: number, N: number, beta: number, C: FloatArray, cOff: number, ldc: number,
): void {
  if (beta === 1) return;
  for (let i = 0; i < M; i++) {
    const row = cOff + i * ldc;
    if (beta === 0) C.fill(0, row, row + N);
    else for (let j = 0; j < N; j++) C[row + j] *= beta;
  }
}

/**
 * i-k-j order when op(B)'s rows are contiguous (the inner loop streams four rows of B into a
 * row accumulator); otherwise (Bᵀ) i-j-k dot products, which stream along k.
 * Sums are kept in float64 (JS numbers) and rounded once when stored.
 */
export function gemmJs<T extends FloatArray>(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  alpha: number, A: T, aOff: number, lda: number,
  B: T, bOff: number, ldb: number,
  beta: number, C: T, cOff: number, ldc: number,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha === 0) {
    scaleC(M, N, beta, C, cOff, ldc);
    return;
  }
  // op(A)(i, k) = A[aOff + i·ars + k·acs]
  const ars = transA ? 1 : lda, acs = transA ? lda : 1;
  if (rowScratch.length < N) rowScratch = new Float64Array(N);
  const acc = rowScratch;
  for (let i = 0; i < M; i++) {
    const aRow = aOff + i * ars;
    if (transB) dotRow(N, K, A, aRow, acs, B, bOff, ldb, acc);
    else streamRow(N, K, A, aRow, acs, B, bOff, ldb, acc);
    storeRow(acc, N, alpha, beta, C, cOff + i * ldc);
  }
}

let rowScratch = new Float64Array(64);

/** acc[j] = Σ_k op(A)(i, k) · B[k, j] with B stored K×N (row stride ldb). */
function streamRow(
  N: number, K: number, A: FloatArray, aRow: number, acs: number,
  B: FloatArray, bOff: number, ldb: number, acc: Float64Array,
): void {
  acc.fill(0, 0, N);
  let k = 0;
  // Four rows of B per pass: a quarter of the accumulator loads and stores.
  for (; k + 4 <= K; k += 4) {
    const a0 = A[aRow + k * acs], a1 = A[aRow + (k + 1) * acs];
    const a2 = A[aRow + (k + 2) * acs], a3 = A[aRow + (k + 3) * acs];
    const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    for (let j = 0; j < N; j++) {
      acc[j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
    }
  }
  for (; k < K; k++) {
    const a0 = A[aRow + k * acs], b0 = bOff + k * ldb;
    for (let j = 0; j < N; j++) acc[j] += a0 * B[b0 + j];
  }
}

/** acc[j] = Σ_k op(A)(i, k) · B[j, k] with B stored N×K (row stride ldb), i.e. op(B) = Bᵀ. */
function dotRow(
  N: number, K: number, A: FloatArray, aRow: number, acs: number,
  B: FloatArray, bOff: number, ldb: number, acc: Float64Array,
): void {
  for (let j = 0; j < N; j++) {
    const bRow = bOff + j * ldb;
    // Four independent partial sums break the add latency chain.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0;
    for (; k + 4 <= K; k += 4) {
      s0 += A[aRow + k * acs] * B[bRow + k];
      s1 += A[aRow + (k + 1) * acs] * B[bRow + k + 1];
      s2 += A[aRow + (k + 2) * acs] * B[bRow + k + 2];
      s3 += A[aRow + (k + 3) * acs] * B[bRow + k + 3];
    }
    for (; k < K; k++) s0 += A[aRow + k * acs] * B[bRow + k];
    acc[j] = (s0 + s1) + (s2 + s3);
  }
}

function storeRow(
  acc: Float64Array, N: number, alpha: number, beta: number, C: FloatArray, row: number,
): void {
  if (beta === 0) for (let j = 0; j < N; j++) C[row + j] = alpha * acc[j];
  else for (let j = 0; j < N; j++) C[row + j] = alpha * acc[j] + beta * C[row + j];
}
