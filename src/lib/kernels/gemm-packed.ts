/**
 * The blocked, packed GEMM driver around the WebAssembly kernels (Goto/BLIS loop order):
 *
 *   stage the stored A and B windows into WASM memory (one memcpy-like `set` each, usually)
 *   for each NC-wide column block of C (jc)
 *     for each MCHUNK-tall row chunk of C (i0)         — bounds the C scratch in WASM memory
 *       for each KC-deep slice of K (pc)
 *         packB: op(B)[pc:pc+kc, jc:jc+nc] into NR-wide panels         (lives in L2)
 *         for each MC-tall block of rows (ic)
 *           packA: op(A)[ic:ic+mc, pc:pc+kc] into MR-tall panels       (lives in L2)
 *           macro-kernel: C_scratch[ic block] (=|+=) Apack · Bpack    (B micro-panel in L1)
 *       C[i0 chunk, jc block] = alpha · C_scratch + beta · C   (in WASM, then copied out)
 *
 * Staging is O(MK + KN) copying against O(MNK) arithmetic; packing happens inside WASM because
 * a JS packing loop cost about a third of the kernel time at n = 256.
 */

import { GemmInstance, KernelShape, instantiateGemm } from './wasm-gemm-module';

/**
 * 4×8 register tile: 8 accumulators + 2 B vectors + 4 A broadcasts fit V8's 15 usable XMM
 * registers even though TurboFan hoists all loads of an iteration to its top; 6×8 and wider tiles
 * spill. Unrolling k made it slower for the same reason.
 */
export const F32_KERNEL: KernelShape = { precision: 'f32', mr: 4, nr: 8, unroll: 1 };
/** The same register budget in f64x2 lanes: 4×4 elements. */
export const F64_KERNEL: KernelShape = { precision: 'f64', mr: 4, nr: 4, unroll: 1 };

/**
 * Cache blocking, in elements. The B micro-panel (KC·NR elements: 8 KB for either kernel) stays in
 * L1 across the ir loop; the packed A block (MC·KC: 128 KB f32, 256 KB f64) stays in L2.
 */
const KC = 256;
const MC = 128; // multiple of MR
const NC = 2048; // multiple of NR
const MCHUNK = 1024; // multiple of MC

const PAGE_BYTES = 65536;
/** Byte addresses are passed as i32; staying below 2³¹ keeps them positive. */
const MAX_BYTES = 2 ** 31 - PAGE_BYTES;

type FloatArray = Float32Array | Float64Array;

function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}

/** A stored (not transposed) row-major matrix window copied into WASM memory. */
interface Staged {
  /** Element index in WASM memory of element (0, 0). */
  readonly at: number;
  /** Row stride in elements. */
  readonly ld: number;
}

/** Elements a staged copy of a rows × cols window with row stride ld occupies. */
function stagedElements(rows: number, cols: number, ld: number): number {
  const span = (rows - 1) * ld + cols;
  // Copying the gaps between rows is one `set` instead of `rows` of them; worth it unless the
  // window is a narrow slice of much wider rows.
  return span <= 2 * rows * cols ? span : rows * cols;
}

/** The typed-array constructor matching a kernel's precision. */
interface ArrayType<T extends FloatArray> {
  new (buffer: ArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}

export class PackedGemm<T extends FloatArray> {
  private view: T;
  private readonly bytes: number;

  private constructor(
    private readonly wasm: GemmInstance, private readonly shape: KernelShape,
    private readonly arrayType: ArrayType<T>,
  ) {
    this.view = new arrayType(wasm.memory.buffer);
    this.bytes = arrayType.BYTES_PER_ELEMENT;
  }

  /** Undefined when this engine cannot compile the SIMD module. */
  static float32(): PackedGemm<Float32Array> | undefined {
    const wasm = instantiateGemm(F32_KERNEL);
    return wasm ? new PackedGemm(wasm, F32_KERNEL, Float32Array) : undefined;
  }

  /** Undefined when this engine cannot compile the SIMD module. */
  static float64(): PackedGemm<Float64Array> | undefined {
    const wasm = instantiateGemm(F64_KERNEL);
    return wasm ? new PackedGemm(wasm, F64_KERNEL, Float64Array) : undefined;
  }

  /**
   * Same contract as sgemm, for M, N, K ≥ 1 and alpha ≠ 0 (the caller handles the degenerate
   * cases, where A and B must not be read). Returns false, having done nothing, when the
   * WASM memory for this product cannot be had (over MAX_BYTES, or the engine refused to grow).
   */
  run(
    transA: boolean, transB: boolean, M: number, N: number, K: number,
    alpha: number, A: T, aOff: number, lda: number,
    B: T, bOff: number, ldb: number,
    beta: number, C: T, cOff: number, ldc: number,
  ): boolean {
    const elementBytes = this.bytes;
    const { mr, nr } = this.shape;
    const { packA, packB, macro } = this.wasm;
    const aRows = transA ? K : M, aCols = transA ? M : K;
    const bRows = transB ? N : K, bCols = transB ? K : N;

    // WASM memory layout (element indices, 16-byte aligned):
    // [staged A][staged B][packed A block][packed B slice][C chunk scratch]
    const kcMax = Math.min(KC, K);
    const ncPadMax = roundUp(Math.min(NC, N), nr);
    const chunkPadMax = roundUp(Math.min(MCHUNK, M), mr);
    const aAt = 0;
    const bAt = aAt + roundUp(stagedElements(aRows, aCols, lda), 4);
    const paAt = bAt + roundUp(stagedElements(bRows, bCols, ldb), 4);
    const pbAt = paAt + roundUp(Math.min(MC, chunkPadMax) * kcMax, 4);
    const cAt = pbAt + roundUp(kcMax * ncPadMax, 4);
    const cInAt = cAt + chunkPadMax * ncPadMax; // old C, for beta ≠ 0 (MR = 4 keeps it aligned)
    if (!this.ensureBytes((beta === 0 ? cInAt : cInAt + chunkPadMax * ncPadMax) * elementBytes)) {
      return false;
    }

    const a = this.stage(A, aOff, aRows, aCols, lda, aAt);
    const b = this.stage(B, bOff, bRows, bCols, ldb, bAt);
    // Strides of op(X) in bytes: rs between rows (i or k), cs between columns (k or j).
    const aRs = (transA ? 1 : a.ld) * elementBytes, aCs = (transA ? a.ld : 1) * elementBytes;
    const bRs = (transB ? 1 : b.ld) * elementBytes, bCs = (transB ? b.ld : 1) * elementBytes;

    for (let jc = 0; jc < N; jc += NC) {
      const nc = Math.min(NC, N - jc);
      const nPanels = Math.ceil(nc / nr);
      const ncPad = nPanels * nr;
      for (let i0 = 0; i0 < M; i0 += MCHUNK) {
        const mChunk = Math.min(MCHUNK, M - i0);
        for (let pc = 0; pc < K; pc += KC) {
          const kc = Math.min(KC, K - pc);
          const bSrc = b.at * elementBytes + pc * bRs + jc * bCs;
          packB(pbAt * elementBytes, bSrc, bCs, bRs, Math.floor(nc / nr), nc % nr, kc);
          for (let ic = 0; ic < mChunk; ic += MC) {
            const mc = Math.min(MC, mChunk - ic);
            const aSrc = a.at * elementBytes + (i0 + ic) * aRs + pc * aCs;
            packA(paAt * elementBytes, aSrc, aRs, aCs, Math.floor(mc / mr), mc % mr, kc);
            macro(
              paAt * elementBytes, pbAt * elementBytes, (cAt + ic * ncPad) * elementBytes,
              Math.ceil(mc / mr), nPanels, kc, ncPad * elementBytes, pc > 0 ? 1 : 0,
            );
          }
        }
        const cWindow = cOff + i0 * ldc + jc;
        if (beta === 0) {
          if (alpha !== 1) this.wasm.scale(cAt * elementBytes, mChunk * ncPad, alpha);
        } else {
          copyRows(C, cWindow, ldc, this.view, cInAt, ncPad, mChunk, nc);
          this.wasm.axpby(cAt * elementBytes, cInAt * elementBytes, mChunk * ncPad, alpha, beta);
        }
        copyRows(this.view, cAt, ncPad, C, cWindow, ldc, mChunk, nc);
      }
    }
    return true;
  }

  /** Copies a stored rows × cols window (row stride ld) to element index `at` of WASM memory. */
  private stage(
    src: T, off: number, rows: number, cols: number, ld: number, at: number,
  ): Staged {
    const span = (rows - 1) * ld + cols;
    if (stagedElements(rows, cols, ld) === span) {
      this.view.set(src.subarray(off, off + span), at);
      return { at, ld };
    }
    for (let r = 0; r < rows; r++) {
      const s = off + r * ld;
      this.view.set(src.subarray(s, s + cols), at + r * cols);
    }
    return { at, ld: cols };
  }

  private ensureBytes(bytes: number): boolean {
    if (bytes > MAX_BYTES) return false;
    const memory = this.wasm.memory;
    const have = memory.buffer.byteLength;
    if (bytes > have) {
      try {
        memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
      } catch {
        return false; // RangeError: the engine could not reserve that much
      }
    }
    // Growing detaches the old ArrayBuffer, so the view is refreshed whenever the buffer changed.
    if (this.view.buffer !== memory.buffer) this.view = new this.arrayType(memory.buffer);
    return true;
  }
}

/** Copies a rows × cols window between row-major arrays with the given row strides. */
function copyRows<T extends FloatArray>(
  src: T, srcAt: number, srcStride: number,
  dst: T, dstAt: number, dstStride: number, rows: number, cols: number,
): void {
  if (srcStride === cols && dstStride === cols) {
    dst.set(src.subarray(srcAt, srcAt + rows * cols), dstAt);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const s = srcAt + i * srcStride;
    dst.set(src.subarray(s, s + cols), dstAt + i * dstStride);
  }
}
