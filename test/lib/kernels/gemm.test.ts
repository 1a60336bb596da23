import assert from 'node:assert/strict';
import {
  dgemm, setGemmPath, sgemm, gemmHasWasm, GemmPath, GEMM_WASM_MIN_WORK,
} from '../../../src/lib/kernels/gemm';
import { F32_KERNEL, F64_KERNEL } from '../../../src/lib/kernels/gemm-packed';
import { gemmModuleBytes, instantiateGemm } from '../../../src/lib/kernels/wasm-gemm-module';

/** mulberry32: a small seeded generator so a failing case can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type FloatArray = Float32Array | Float64Array;

interface Case {
  transA: boolean; transB: boolean;
  M: number; N: number; K: number;
  alpha: number; beta: number;
  aOff: number; lda: number; bOff: number; ldb: number; cOff: number; ldc: number;
}

interface Operands<T extends FloatArray> { A: T; B: T; C: T }

const SENTINEL = 12345.5;

/** Operand storage with the windows at their offsets/strides and SENTINEL everywhere else in C. */
function makeOperands<T extends FloatArray>(
  c: Case, random: () => number, make: (n: number) => T,
): Operands<T> {
  const aRows = c.transA ? c.K : c.M, bRows = c.transB ? c.N : c.K;
  const A = make(c.aOff + aRows * c.lda + 3), B = make(c.bOff + bRows * c.ldb + 3);
  const C = make(c.cOff + c.M * c.ldc + 3);
  for (const X of [A, B]) for (let i = 0; i < X.length; i++) X[i] = random() * 2 - 1;
  C.fill(SENTINEL);
  for (let i = 0; i < c.M; i++) {
    for (let j = 0; j < c.N; j++) C[c.cOff + i * c.ldc + j] = random() * 2 - 1;
  }
  return { A, B, C };
}

/**
 * Naive float64 product: expected C and, per element, the scale Σ|alpha·a·b| + |beta·c| that
 * bounds float32 rounding error.
 */
function reference<T extends FloatArray>(c: Case, { A, B, C }: Operands<T>): {
  expected: Float64Array; scale: Float64Array;
} {
  const expected = new Float64Array(C.length), scale = new Float64Array(C.length);
  for (let i = 0; i < C.length; i++) expected[i] = C[i];
  for (let i = 0; i < c.M; i++) {
    for (let j = 0; j < c.N; j++) {
      let sum = 0, abs = 0;
      for (let k = 0; k < c.K; k++) {
        const a = A[c.aOff + (c.transA ? k * c.lda + i : i * c.lda + k)];
        const b = B[c.bOff + (c.transB ? j * c.ldb + k : k * c.ldb + j)];
        sum += a * b;
        abs += Math.abs(a * b);
      }
      const at = c.cOff + i * c.ldc + j;
      const old = C[at];
      expected[at] = c.alpha * sum + (c.beta === 0 ? 0 : c.beta * old);
      scale[at] = Math.abs(c.alpha) * abs + (c.beta === 0 ? 0 : Math.abs(c.beta * old));
    }
  }
  return { expected, scale };
}

function describeCase(c: Case): string {
  return `${c.transA ? 'Aᵀ' : 'A'}·${c.transB ? 'Bᵀ' : 'B'} M=${c.M} N=${c.N} K=${c.K} ` +
    `alpha=${c.alpha} beta=${c.beta} off=${c.aOff}/${c.bOff}/${c.cOff} ld=${c.lda}/${c.ldb}/${c.ldc}`;
}

/** Every element of C within rtol of the reference (relative to the error scale); gaps untouched. */
function assertMatches(c: Case, actual: FloatArray, expected: Float64Array, scale: Float64Array, rtol: number): void {
  for (let at = 0; at < actual.length; at++) {
    const e = expected[at], a = actual[at];
    if (!Number.isFinite(e)) {
      assert.ok(Object.is(a, e), `${describeCase(c)}: C[${at}] = ${a}, expected ${e}`);
      continue;
    }
    const tol = rtol * scale[at] + 1e-30;
    if (!(Math.abs(a - e) <= tol)) {
      assert.fail(`${describeCase(c)}: C[${at}] = ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/** One precision's entry point with its storage type and tolerance (relative to the error scale). */
interface Precision<T extends FloatArray> {
  readonly name: 'sgemm' | 'dgemm';
  readonly make: (n: number) => T;
  readonly rtol: number;
  readonly gemm: (
    transA: boolean, transB: boolean, M: number, N: number, K: number,
    alpha: number, A: T, aOff: number, lda: number, B: T, bOff: number, ldb: number,
    beta: number, C: T, cOff: number, ldc: number,
  ) => void;
}

const SGEMM: Precision<Float32Array> = { name: 'sgemm', make: (n) => new Float32Array(n), rtol: 1e-4, gemm: sgemm };
const DGEMM: Precision<Float64Array> = { name: 'dgemm', make: (n) => new Float64Array(n), rtol: 1e-12, gemm: dgemm };

function run<T extends FloatArray>(p: Precision<T>, c: Case, { A, B, C }: Operands<T>): void {
  p.gemm(c.transA, c.transB, c.M, c.N, c.K, c.alpha, A, c.aOff, c.lda, B, c.bOff, c.ldb,
    c.beta, C, c.cOff, c.ldc);
}

function check<T extends FloatArray>(p: Precision<T>, c: Case, seed: number): void {
  const ops = makeOperands(c, rng(seed), p.make);
  const { expected, scale } = reference(c, ops);
  run(p, c, ops);
  assertMatches(c, ops.C, expected, scale, p.rtol);
}

/** A compact case: no offsets, leading dimensions equal to the stored widths. */
function plain(M: number, N: number, K: number, transA = false, transB = false, alpha = 1, beta = 0): Case {
  return {
    transA, transB, M, N, K, alpha, beta,
    aOff: 0, lda: Math.max(1, transA ? M : K), bOff: 0, ldb: Math.max(1, transB ? K : N),
    cOff: 0, ldc: Math.max(1, N),
  };
}

/** Shapes at and around the kernel's tile (4×8) and cache blocks (KC 256, MC 128, MCHUNK 1024, NC 2048). */
const EDGE_SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [1, 1, 7], [1, 9, 1], [5, 1, 3], [2, 3, 4], [3, 5, 7], [4, 8, 1], [4, 8, 16],
  [5, 9, 17], [7, 15, 31], [8, 16, 32], [13, 11, 257], [129, 9, 5], [131, 17, 300], [33, 47, 512],
  [1, 300, 40], [300, 1, 40], [1030, 3, 6], [3, 2055, 5], [64, 64, 64], [100, 100, 100],
];

const ALL_TRANSPOSES: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

/** Random shapes with random transposes, offsets, padded leading dimensions, alpha and beta. */
function randomCases(count: number, seed: number, maxDim: number, maxK: number): Case[] {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const cases: Case[] = [];
  for (let n = 0; n < count; n++) {
    const transA = r() < 0.5, transB = r() < 0.5;
    const M = int(1, maxDim), N = int(1, maxDim), K = int(1, maxK);
    cases.push({
      transA, transB, M, N, K,
      alpha: [1, -1.5, 0.25, 2][int(0, 3)], beta: [0, 1, 0.5, -2][int(0, 3)],
      aOff: int(0, 9), lda: (transA ? M : K) + int(0, 1) * int(1, 5),
      bOff: int(0, 9), ldb: (transB ? K : N) + int(0, 1) * int(1, 5),
      cOff: int(0, 9), ldc: N + int(0, 1) * int(1, 5),
    });
  }
  return cases;
}

function withPath(path: GemmPath, body: () => void): void {
  const previous = setGemmPath(path);
  try {
    body();
  } finally {
    setGemmPath(previous);
  }
}

/** The same behaviour checks for one precision on each path. */
function describePrecision<T extends FloatArray>(p: Precision<T>): void {
  for (const path of ['wasm', 'js', 'auto'] as const) {
    describe(`${p.name} (${path} path)`, () => {
      it('matches the float64 reference on edge shapes, all transposes', function () {
        this.timeout(60000);
        withPath(path, () => {
          let seed = 1;
          for (const [M, N, K] of EDGE_SHAPES) {
            for (const [tA, tB] of ALL_TRANSPOSES) check(p, plain(M, N, K, tA, tB), seed++);
          }
        });
      });

      it('matches on random shapes with offsets, lda > width, alpha and beta', function () {
        this.timeout(60000);
        withPath(path, () => {
          randomCases(150, path.length * 7919, 40, 70).forEach((c, i) => check(p, c, 1000 + i));
          randomCases(12, 17, 150, 600).forEach((c, i) => check(p, c, 2000 + i));
        });
      });

      it('K = 0 scales C by beta (beta = 0 clears NaN) and leaves the rest alone', () => {
        withPath(path, () => {
          for (const beta of [0, 1, -0.5]) check(p, plain(3, 5, 0, false, false, 2, beta), 7);
          const ops = { A: p.make(0), B: p.make(0), C: p.make(3) };
          ops.C.set([NaN, Infinity, 7]);
          run(p, plain(1, 2, 0), ops);
          assert.deepEqual(Array.from(ops.C), [0, 0, 7]);
        });
      });

      it('M = 0 or N = 0 writes nothing', () => {
        withPath(path, () => {
          const ops = { A: p.make(6), B: p.make(6), C: p.make(3) };
          ops.A.fill(1);
          ops.B.fill(1);
          ops.C.set([1, 2, 3]);
          run(p, plain(0, 3, 2), ops);
          run(p, plain(1, 0, 2), ops);
          assert.deepEqual(Array.from(ops.C), [1, 2, 3]);
        });
      });

      it('beta = 0 ignores NaN in C; NaN/Inf in A or B propagate like BLAS (0·Inf = NaN)', () => {
        withPath(path, () => {
          const M = 9, N = 10, K = 11;
          const c = plain(M, N, K);
          const ops = makeOperands(c, rng(99), p.make);
          ops.C.fill(NaN);
          ops.A[2 * K + 3] = Infinity; // row 2
          for (let j = 0; j < N; j++) ops.B[3 * N + j] = j % 2 === 0 ? 0 : 1; // 0·Inf in even columns
          ops.B[5 * N + 7] = NaN; // column 7 all NaN
          const { expected, scale } = reference(c, ops);
          run(p, c, ops);
          assertMatches(c, ops.C, expected, scale, p.rtol);
          assert.ok(Number.isNaN(ops.C[2 * N]) && ops.C[2 * N + 1] === Infinity);
          assert.ok(Number.isNaN(ops.C[7]) && Number.isFinite(ops.C[6]));
        });
      });

      it('keeps working after WASM memory grows and with a small call after a large one', function () {
        this.timeout(60000);
        withPath(path, () => {
          check(p, plain(8, 8, 8), 5);
          check(p, plain(700, 300, 260, true, false), 6); // several MB: forces memory.grow
          check(p, plain(9, 7, 5, false, true, 1, 1), 8);
        });
      });
    });
  }
}

describe('kernels/gemm', () => {
  it('has the WebAssembly SIMD kernels on Node 20 (else the wasm tests below would test JS)', () => {
    assert.equal(gemmHasWasm(), true);
    assert.equal(WebAssembly.validate(gemmModuleBytes(F32_KERNEL)), true);
    assert.equal(WebAssembly.validate(gemmModuleBytes(F64_KERNEL)), true);
  });

  describePrecision(SGEMM);
  describePrecision(DGEMM);

  it('js, wasm and auto agree bit for bit on exact products either side of the crossover', () => {
    // Products and sums of small multiples of 0.5 are exact in float32, whatever the order.
    for (const n of [Math.round(Math.cbrt(GEMM_WASM_MIN_WORK)) - 1, 16]) {
      const A = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 5) - 2);
      const B = Float32Array.from({ length: n * n }, (_, i) => ((i * 3) % 4) * 0.5);
      const results = (['js', 'wasm', 'auto'] as const).map((path) => {
        const C = new Float32Array(n * n);
        withPath(path, () => sgemm(false, false, n, n, n, 1, A, 0, n, B, 0, n, 0, C, 0, n));
        return Array.from(C);
      });
      assert.deepEqual(results[0], results[1]);
      assert.deepEqual(results[2], results[0]);
    }
  });

  it('rejects windows outside the arrays and bad leading dimensions', () => {
    const A = new Float32Array(6), B = new Float32Array(6), C = new Float32Array(4);
    assert.throws(() => sgemm(false, false, 2, 2, 3, 1, A, 1, 3, B, 0, 2, 0, C, 0, 2), RangeError);
    assert.throws(() => sgemm(false, false, 2, 2, 3, 1, A, 0, 2, B, 0, 2, 0, C, 0, 2), RangeError);
    assert.throws(() => sgemm(false, false, 2, 2, 3, 1, A, 0, 3, B, 0, 2, 0, C, 1, 2), RangeError);
    assert.throws(() => sgemm(false, false, -1, 2, 3, 1, A, 0, 3, B, 0, 2, 0, C, 0, 2), RangeError);
    assert.throws(() => dgemm(false, true, 2, 2, 3, 1, new Float64Array(6), 0, 3,
      new Float64Array(5), 0, 3, 0, new Float64Array(4), 0, 2), RangeError);
  });

  it('instantiateGemm reports no kernel where WebAssembly is missing', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
    assert.ok(saved);
    Reflect.deleteProperty(globalThis, 'WebAssembly');
    try {
      assert.equal(instantiateGemm(F32_KERNEL), undefined);
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', saved);
    }
  });
});
