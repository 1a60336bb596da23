/**
 * The 16-value Box-Muller blocks of ATen's contiguous `normal_` kernels
 * (aten/src/ATen/native/cpu/DistributionTemplates.h). The caller has already filled the
 * block with uniforms in [0, 1); lanes j and j+8 (j < 8) become one normal pair:
 *   u1 = 1 - d[j], u2 = d[j + 8], r = sqrt(-2 log u1), theta = 2 pi u2,
 *   d[j] = r cos(theta) * std + mean,  d[j + 8] = r sin(theta) * std + mean.
 */
import { fmaVSS, LANES, log256Ps, MAX_LANES, sincos256Ps } from './avxMathfun';
import { fma64 } from './fusedMultiplyAdd';
import { cLog, cSinCos } from './cLibMath';

// `_mm256_set1_ps(2.0f * c10::pi<double>)`: 2 pi computed in double, then rounded to float.
const TWO_PI_F32 = Math.fround(2 * Math.PI);
const TWO_PI = 2 * Math.PI;

const regLog = new Float64Array(MAX_LANES);
const regTheta = new Float64Array(MAX_LANES);
const regSin = new Float64Array(MAX_LANES);
const regCos = new Float64Array(MAX_LANES);
const sincosPair = new Float64Array(2);
const BLOCKS_PER_BATCH = MAX_LANES / LANES;

/**
 * `normal_fill_16_AVX2` applied to `blockCount` consecutive 16-value blocks starting at
 * `offset`: float32 lanes, Cephes log/sincos, `_mm256_fmadd_ps(n, std, mean)`.
 * Blocks are independent, so several are evaluated together (see NOTE [lane-major loops]).
 */
export function boxMuller16Float32(
  data: Float32Array, offset: number, blockCount: number, mean: number, std: number,
): void {
  for (let first = 0; first < blockCount; first += BLOCKS_PER_BATCH) {
    const blocks = Math.min(BLOCKS_PER_BATCH, blockCount - first);
    boxMullerBatch(data, offset + first * 16, blocks, mean, std);
  }
}

function boxMullerBatch(data: Float32Array, offset: number, blocks: number, mean: number, std: number): void {
  const n = blocks * LANES;
  for (let b = 0; b < blocks; b++) {
    const base = offset + b * 16;
    for (let j = 0; j < LANES; j++) {
      regLog[b * LANES + j] = Math.fround(1 - data[base + j]); // u1 in (0, 1]
      regTheta[b * LANES + j] = Math.fround(TWO_PI_F32 * data[base + LANES + j]);
    }
  }
  log256Ps(n, regLog, regLog);
  sincos256Ps(n, regTheta, regSin, regCos);
  for (let l = 0; l < n; l++) {
    const radius = Math.fround(Math.sqrt(Math.fround(-2 * regLog[l])));
    regCos[l] = Math.fround(radius * regCos[l]);
    regSin[l] = Math.fround(radius * regSin[l]);
  }
  // fma(x, 1, +0) == x + 0, which only turns -0 into +0: randn skips the multiply-add.
  const identity = mean === 0 && std === 1 && !Object.is(mean, -0);
  if (!identity) {
    fmaVSS(n, regCos, regCos, std, mean);
    fmaVSS(n, regSin, regSin, std, mean);
  }
  for (let b = 0; b < blocks; b++) {
    const base = offset + b * 16;
    for (let j = 0; j < LANES; j++) {
      data[base + j] = identity ? regCos[b * LANES + j] + 0 : regCos[b * LANES + j];
      data[base + LANES + j] = identity ? regSin[b * LANES + j] + 0 : regSin[b * LANES + j];
    }
  }
}

/**
 * `normal_fill_16<double>` (the scalar template, used for float64 tensors): C library
 * log/sin/cos in double; GCC contracts `radius * cos(theta) * std + mean` into
 * fma(radius * cos(theta), std, mean).
 */
export function boxMuller16Float64(data: Float64Array, offset: number, mean: number, std: number): void {
  for (let j = offset; j < offset + 8; j++) {
    const u1 = 1 - data[j];
    const u2 = data[j + 8];
    const radius = Math.sqrt(-2 * cLog(u1));
    cSinCos(TWO_PI * u2, sincosPair);
    data[j] = fma64(radius * sincosPair[1], std, mean);
    data[j + 8] = fma64(radius * sincosPair[0], std, mean);
  }
}
