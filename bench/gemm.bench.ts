/**
 * sgemm/dgemm throughput: the WebAssembly SIMD kernels against the plain-JS fallback.
 *
 *   npx tsx bench/gemm.bench.ts              square n = 64, 256, 512 (GFLOP/s, median and best)
 *   npx tsx bench/gemm.bench.ts --crossover  small shapes, to re-tune GEMM_WASM_MIN_WORK
 *
 * Each case is warmed up first: V8 runs a WebAssembly function in its baseline compiler until
 * it has been hot for a while, and only the optimised code is representative. The machine is a
 * shared VM whose speed drifts between runs, so the best time is reported beside the median.
 */

import { dgemm, setGemmPath, sgemm, GEMM_WASM_MIN_WORK, GemmPath } from '../src/lib/kernels/gemm';

interface Timing {
  readonly median: number;
  readonly best: number;
}

/** Seconds per call: median and best of `rounds` rounds, each averaging enough calls for ~20 ms. */
function time(fn: () => void, rounds = 15): Timing {
  const warmUntil = performance.now() + 300;
  let calls = 0;
  while (performance.now() < warmUntil || calls < 5) {
    fn();
    calls++;
  }
  const perRound = Math.max(1, Math.round((calls / 300) * 20));
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let c = 0; c < perRound; c++) fn();
    samples.push((performance.now() - start) / perRound / 1000);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], best: samples[0] };
}

function random(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

/** Timing of C = A·B (M×K by K×N, compact row-major) on one path, in float32 or float64. */
function gemmCase(path: GemmPath, precision: 'f32' | 'f64', M: number, N: number, K: number): Timing {
  setGemmPath(path);
  try {
    if (precision === 'f32') {
      const A = Float32Array.from(random(M * K)), B = Float32Array.from(random(K * N));
      const C = new Float32Array(M * N);
      return time(() => sgemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C, 0, N));
    }
    const A = random(M * K), B = random(K * N), C = new Float64Array(M * N);
    return time(() => dgemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C, 0, N));
  } finally {
    setGemmPath('auto');
  }
}

const gflops = (M: number, N: number, K: number, seconds: number): string =>
  ((2 * M * N * K) / seconds / 1e9).toFixed(2).padStart(7);

function squareTable(): void {
  console.log('C = A·B, square n×n, GFLOP/s as median / best');
  console.log('    n   float32 wasm        float32 js         float64 wasm       float64 js');
  for (const n of [64, 256, 512]) {
    const cells = (['f32', 'f64'] as const).flatMap((precision) =>
      (['wasm', 'js'] as const).map((path) => {
        const t = gemmCase(path, precision, n, n, n);
        return `${gflops(n, n, n, t.median)} /${gflops(n, n, n, t.best)}`;
      }));
    console.log(`${String(n).padStart(5)}  ${cells.join('   ')}`);
  }
}

function crossoverTable(): void {
  console.log(`small shapes: µs per call (median); auto picks wasm from M·N·K >= ${GEMM_WASM_MIN_WORK}`);
  console.log('      M     N     K     M·N·K   f32 wasm    f32 js  faster   f64 wasm    f64 js  faster');
  const shapes: Array<[number, number, number]> = [
    [2, 2, 2], [4, 4, 4], [6, 6, 6], [8, 8, 8], [10, 10, 10], [12, 12, 12], [16, 16, 16],
    [24, 24, 24], [32, 32, 32], [1, 16, 16], [1, 32, 32], [1, 64, 64], [32, 32, 1], [8, 1, 64],
    [1, 8, 64], [1, 256, 256], [64, 1, 64], [16, 16, 1], [64, 64, 1], [4, 64, 16],
  ];
  for (const [M, N, K] of shapes) {
    const cells = (['f32', 'f64'] as const).map((precision) => {
      const wasm = gemmCase('wasm', precision, M, N, K).median * 1e6;
      const js = gemmCase('js', precision, M, N, K).median * 1e6;
      return `${wasm.toFixed(2).padStart(10)}${js.toFixed(2).padStart(10)}  ${wasm < js ? 'wasm' : 'js  '}`;
    });
    console.log(`${[M, N, K, M * N * K].map((v) => String(v).padStart(6)).join('')}${cells.join(' ')}`);
  }
}

if (process.argv.includes('--crossover')) crossoverTable();
else squareTable();
