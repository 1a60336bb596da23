/**
 * Generates the WebAssembly SIMD128 module of the packed GEMM (float32 or float64) and
 * instantiates it. Exports: `memory`, `macro` (below), `packA`/`packB` (writePack) and
 * `scale`/`axpby` (writeScale).
 *
 * `macro(pa, pb, pc, mPanels, nPanels, kc, ldcBytes, accumulate)` computes
 *   C_tile(ir, jr) (=|+=) Apanel(ir) · Bpanel(jr)   for every ir < mPanels, jr < nPanels
 * where (all pointers are byte addresses in the module's own memory, e = element bytes):
 * - packed A: panel ir holds MR rows × kc, element (row x, k) at pa + e·(ir·MR·kc + k·MR + x);
 * - packed B: panel jr holds kc × NR columns, element (k, col x) at pb + e·(jr·NR·kc + k·NR + x);
 * - C: row-major with a row stride of ldcBytes, tile (ir, jr) at pc + ir·MR·ldcBytes + jr·NR·e.
 * Panels are padded to full width by the packer, so every tile is a full MR×NR tile.
 *
 * The micro-kernel keeps an MR × NR block of C in v128 locals (V8 maps them to XMM registers):
 * per k it loads NR/lanes vectors of B, broadcasts each of the MR values of A and does a
 * mul + add per accumulator (SIMD128 has no fused multiply-add outside relaxed-simd, which
 * Node 20 only has behind a flag). The k loop can be unrolled, but see F32_KERNEL for why the
 * shipped kernels are not.
 */

import { FunctionWriter, Local, ModuleWriter, ValType } from './wasm-assembler';

export type Precision = 'f32' | 'f64';

export interface KernelShape {
  readonly precision: Precision;
  /** Rows of the register tile (and of a packed A panel). */
  readonly mr: number;
  /** Columns of the register tile (and of a packed B panel); a multiple of the lane count. */
  readonly nr: number;
  /** How many k steps one pass of the inner loop does. */
  readonly unroll: number;
}

interface PrecisionOps {
  readonly bytes: number;
  readonly lanes: number;
  readonly scalar: 'f32' | 'f64';
  /** Scalar (f32 or f64 local) → all lanes. */
  splatScalar(f: FunctionWriter): void;
  splat(f: FunctionWriter, offset: number): void;
  add(f: FunctionWriter): void;
  mul(f: FunctionWriter): void;
}

const PRECISION: Record<Precision, PrecisionOps> = {
  f32: {
    bytes: 4, lanes: 4, scalar: 'f32',
    splatScalar: (f) => { f.f32x4Splat(); },
    splat: (f, o) => { f.v128Load32Splat(o); },
    add: (f) => { f.f32x4Add(); },
    mul: (f) => { f.f32x4Mul(); },
  },
  f64: {
    bytes: 8, lanes: 2, scalar: 'f64',
    splatScalar: (f) => { f.f64x2Splat(); },
    splat: (f, o) => { f.v128Load64Splat(o); },
    add: (f) => { f.f64x2Add(); },
    mul: (f) => { f.f64x2Mul(); },
  },
};

function writeMacroKernel(shape: KernelShape): FunctionWriter {
  const { mr, nr, unroll } = shape;
  const ops = PRECISION[shape.precision];
  if (nr % ops.lanes !== 0) throw new Error(`nr=${nr} is not a multiple of ${ops.lanes} lanes`);
  const vectorsPerRow = nr / ops.lanes;
  const aStep = mr * ops.bytes; // bytes of packed A per k
  const bStep = nr * ops.bytes; // bytes of packed B per k

  const f = new FunctionWriter(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], []);
  const pa = f.param(0), pb = f.param(1), pc = f.param(2);
  const mPanels = f.param(3), nPanels = f.param(4), kc = f.param(5);
  const ldcBytes = f.param(6), accumulate = f.param(7);

  const jr = f.local('i32'), ir = f.local('i32'), k = f.local('i32');
  const aPtr = f.local('i32'), bPtr = f.local('i32'), bPanel = f.local('i32');
  const cColumn = f.local('i32'), cTile = f.local('i32'), cRow = f.local('i32');
  const acc: Local[][] = [];
  for (let i = 0; i < mr; i++) {
    acc.push([]);
    for (let v = 0; v < vectorsPerRow; v++) acc[i].push(f.local('v128'));
  }
  const bVec: Local[] = [];
  for (let v = 0; v < vectorsPerRow; v++) bVec.push(f.local('v128'));
  const aVec = f.local('v128');

  /** One k step, reading packed A/B at byte offset `step` k-steps past aPtr/bPtr. */
  const kStep = (step: number): void => {
    for (let v = 0; v < vectorsPerRow; v++) {
      f.get(bPtr).v128Load(step * bStep + v * 16).set(bVec[v]);
    }
    for (let i = 0; i < mr; i++) {
      f.get(aPtr);
      ops.splat(f, step * aStep + i * ops.bytes);
      f.set(aVec);
      for (let v = 0; v < vectorsPerRow; v++) {
        f.get(acc[i][v]).get(aVec).get(bVec[v]);
        ops.mul(f);
        ops.add(f);
        f.set(acc[i][v]);
      }
    }
  };

  /** Stores (or adds) the accumulators into the C tile at cTile. */
  const storeTile = (add: boolean): void => {
    f.get(cTile).set(cRow);
    for (let i = 0; i < mr; i++) {
      for (let v = 0; v < vectorsPerRow; v++) {
        f.get(cRow);
        if (add) {
          f.get(cRow).v128Load(v * 16).get(acc[i][v]);
          ops.add(f);
        } else {
          f.get(acc[i][v]);
        }
        f.v128Store(v * 16);
      }
      if (i + 1 < mr) f.get(cRow).get(ldcBytes).i32Add().set(cRow);
    }
  };

  f.get(pb).set(bPanel);
  f.get(pc).set(cColumn);
  f.get(nPanels).set(jr);
  f.loop(); // over B panels (columns of tiles): the B micro-panel stays in L1 across ir
  {
    f.get(pa).set(aPtr);
    f.get(cColumn).set(cTile);
    f.get(mPanels).set(ir);
    f.loop(); // over A panels (rows of tiles)
    {
      for (const row of acc) for (const a of row) f.v128Zero().set(a);
      f.get(bPanel).set(bPtr);
      f.get(kc).set(k);

      f.block();
      f.get(k).i32Const(unroll).i32LtU().brIf(0);
      f.loop();
      for (let s = 0; s < unroll; s++) kStep(s);
      f.addConst(aPtr, aStep * unroll).addConst(bPtr, bStep * unroll);
      f.get(k).i32Const(unroll).i32Sub().tee(k).i32Const(unroll).i32GeU().brIf(0);
      f.end();
      f.end();

      f.block();
      f.get(k).i32Eqz().brIf(0);
      f.loop();
      kStep(0);
      f.addConst(aPtr, aStep).addConst(bPtr, bStep);
      f.get(k).i32Const(1).i32Sub().tee(k).brIf(0);
      f.end();
      f.end();

      f.get(accumulate).if();
      storeTile(true);
      f.else();
      storeTile(false);
      f.end();

      // aPtr now points at the next A panel (panels are contiguous, kc·MR each).
      f.get(cTile).get(ldcBytes).i32Const(mr).i32Mul().i32Add().set(cTile);
      f.get(ir).i32Const(1).i32Sub().tee(ir).brIf(0);
    }
    f.end();
    f.get(bPtr).set(bPanel); // the last tile's k loop left bPtr at the next B panel
    f.addConst(cColumn, nr * ops.bytes);
    f.get(jr).i32Const(1).i32Sub().tee(jr).brIf(0);
  }
  f.end();
  return f;
}

/**
 * `pack(dst, src, xStride, kStride, fullPanels, rem, kc)`: packs a strided window into panels
 * of width W (the layout the macro-kernel reads). Source element (x, k) is at
 * src + x·xStride + k·kStride (bytes); x runs across a panel, k along it. There are fullPanels
 * panels of width W, then, if rem > 0, one panel of rem columns zero-padded to W.
 *
 * Full panels take one of three paths: x contiguous (B, or Aᵀ) copies whole vectors; k
 * contiguous (A, or Bᵀ: the usual layouts of a weight matrix) loads a vector along k from each
 * of `lanes` rows and transposes the lanes×lanes block with shuffles; anything else gathers
 * element by element. The zero padding is not needed for correctness (padded rows and columns of
 * C are never copied out) but keeps stale, possibly subnormal, values out of the arithmetic.
 */
function writePack(precision: Precision, W: number): FunctionWriter {
  const ops = PRECISION[precision];
  const { bytes, lanes } = ops;
  const vectors = (W * bytes) / 16;
  if (!Number.isInteger(vectors)) throw new Error(`panel width ${W} is not whole vectors`);
  const load = (f: FunctionWriter, o: number): void => { if (bytes === 4) f.f32Load(o); else f.f64Load(o); };
  const store = (f: FunctionWriter, o: number): void => { if (bytes === 4) f.f32Store(o); else f.f64Store(o); };

  const f = new FunctionWriter(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], []);
  const dst = f.param(0), src = f.param(1), xStride = f.param(2), kStride = f.param(3);
  const fullPanels = f.param(4), rem = f.param(5), kc = f.param(6);
  const p = f.local('i32'), k = f.local('i32'), s = f.local('i32'), q = f.local('i32');
  const x = f.local('i32'), d = f.local('i32'), panelSrc = f.local('i32');
  const kBlocks = f.local('i32'), kRest = f.local('i32');
  const rows: Local[] = [];
  for (let i = 0; i < lanes; i++) rows.push(f.local('v128'));
  const half: Local[] = [];
  for (let i = 0; i < 4; i++) half.push(f.local('v128'));

  /** Loop `counter` from `count` down to 1 around `body` (count must be ≥ 1). */
  const countdown = (counter: Local, count: Local, body: () => void): void => {
    f.get(count).set(counter);
    f.loop();
    body();
    f.get(counter).i32Const(1).i32Sub().tee(counter).brIf(0);
    f.end();
  };
  /** As countdown, but skipped when count is 0. */
  const maybeCountdown = (counter: Local, count: Local, body: () => void): void => {
    f.block();
    f.get(count).i32Eqz().brIf(0);
    countdown(counter, count, body);
    f.end();
  };
  const nextKRow = (): void => {
    f.addConst(dst, W * bytes);
    f.get(s).get(kStride).i32Add().set(s);
  };
  /** One k step of a full panel, element by element. */
  const gatherKRow = (): void => {
    f.get(s).set(q);
    for (let i = 0; i < W; i++) {
      f.get(dst).get(q);
      load(f, 0);
      store(f, i * bytes);
      if (i + 1 < W) f.get(q).get(xStride).i32Add().set(q);
    }
    nextKRow();
  };
  /** `lanes` k steps of a full panel (k contiguous): per group of `lanes` rows, a block transpose. */
  const transposeKBlock = (): void => {
    for (let g = 0; g < W / lanes; g++) {
      f.get(s).get(xStride).i32Const(g * lanes).i32Mul().i32Add().set(q);
      rows.forEach((r, i) => {
        f.get(q).v128Load(0).set(r);
        if (i + 1 < lanes) f.get(q).get(xStride).i32Add().set(q);
      });
      // out[j] = (rows[0][j], rows[1][j], ...) goes to k step j of the panel, lanes g·lanes….
      const out = (j: number): number => j * W * bytes + g * 16;
      if (lanes === 2) {
        f.get(dst).get(rows[0]).get(rows[1]).shuffleElements(8, [0, 2]).v128Store(out(0));
        f.get(dst).get(rows[0]).get(rows[1]).shuffleElements(8, [1, 3]).v128Store(out(1));
      } else {
        f.get(rows[0]).get(rows[1]).shuffleElements(4, [0, 4, 1, 5]).set(half[0]); // r0[0] r1[0] r0[1] r1[1]
        f.get(rows[2]).get(rows[3]).shuffleElements(4, [0, 4, 1, 5]).set(half[1]);
        f.get(rows[0]).get(rows[1]).shuffleElements(4, [2, 6, 3, 7]).set(half[2]); // r0[2] r1[2] r0[3] r1[3]
        f.get(rows[2]).get(rows[3]).shuffleElements(4, [2, 6, 3, 7]).set(half[3]);
        f.get(dst).get(half[0]).get(half[1]).shuffleElements(4, [0, 1, 4, 5]).v128Store(out(0));
        f.get(dst).get(half[0]).get(half[1]).shuffleElements(4, [2, 3, 6, 7]).v128Store(out(1));
        f.get(dst).get(half[2]).get(half[3]).shuffleElements(4, [0, 1, 4, 5]).v128Store(out(2));
        f.get(dst).get(half[2]).get(half[3]).shuffleElements(4, [2, 3, 6, 7]).v128Store(out(3));
      }
    }
    f.addConst(dst, lanes * W * bytes);
    f.addConst(s, lanes * bytes);
  };

  f.get(kc).i32Const(Math.log2(lanes)).i32ShrU().set(kBlocks);
  f.get(kc).i32Const(lanes - 1).i32And().set(kRest);
  f.get(src).set(panelSrc);
  f.block();
  f.get(fullPanels).i32Eqz().brIf(0);
  f.get(xStride).i32Const(bytes).i32Eq().if();
  countdown(p, fullPanels, () => {
    f.get(panelSrc).set(s);
    countdown(k, kc, () => {
      for (let v = 0; v < vectors; v++) f.get(dst).get(s).v128Load(v * 16).v128Store(v * 16);
      nextKRow();
    });
    f.addConst(panelSrc, W * bytes);
  });
  f.else();
  f.get(kStride).i32Const(bytes).i32Eq().if();
  countdown(p, fullPanels, () => {
    f.get(panelSrc).set(s);
    maybeCountdown(k, kBlocks, transposeKBlock);
    maybeCountdown(k, kRest, gatherKRow);
    f.get(panelSrc).get(xStride).i32Const(W).i32Mul().i32Add().set(panelSrc);
  });
  f.else();
  countdown(p, fullPanels, () => {
    f.get(panelSrc).set(s);
    countdown(k, kc, gatherKRow);
    f.get(panelSrc).get(xStride).i32Const(W).i32Mul().i32Add().set(panelSrc);
  });
  f.end();
  f.end();
  f.end();

  f.block();
  f.get(rem).i32Eqz().brIf(0);
  f.get(panelSrc).set(s);
  countdown(k, kc, () => {
    for (let v = 0; v < vectors; v++) f.get(dst).v128Zero().v128Store(v * 16);
    f.get(s).set(q);
    f.get(dst).set(d);
    countdown(x, rem, () => {
      f.get(d).get(q);
      load(f, 0);
      store(f, 0);
      f.get(q).get(xStride).i32Add().set(q);
      f.addConst(d, bytes);
    });
    nextKRow();
  });
  f.end();
  return f;
}

/**
 * `scale(dst, count, alpha)`: dst = alpha · dst, and
 * `axpby(dst, src, count, alpha, beta)`: dst = alpha · dst + beta · src,
 * over `count` elements, which must be a positive multiple of the lane count (the C scratch rows
 * are padded to NR, so they always are). This applies GEMM's alpha and beta to a C chunk.
 */
function writeScale(precision: Precision, withSource: boolean): FunctionWriter {
  const ops = PRECISION[precision];
  const params: ValType[] = withSource
    ? ['i32', 'i32', 'i32', ops.scalar, ops.scalar]
    : ['i32', 'i32', ops.scalar];
  const f = new FunctionWriter(params, []);
  const dst = f.param(0);
  const src = withSource ? f.param(1) : undefined;
  const count = f.param(withSource ? 2 : 1);
  const alpha = f.param(withSource ? 3 : 2);
  const beta = withSource ? f.param(4) : undefined;
  const alphaVec = f.local('v128'), betaVec = f.local('v128');
  f.get(alpha);
  ops.splatScalar(f);
  f.set(alphaVec);
  if (beta) {
    f.get(beta);
    ops.splatScalar(f);
    f.set(betaVec);
  }
  f.loop();
  f.get(dst).get(dst).v128Load(0).get(alphaVec);
  ops.mul(f);
  if (src) {
    f.get(src).v128Load(0).get(betaVec);
    ops.mul(f);
    ops.add(f);
    f.addConst(src, 16);
  }
  f.v128Store(0);
  f.addConst(dst, 16);
  f.get(count).i32Const(ops.lanes).i32Sub().tee(count).brIf(0);
  f.end();
  return f;
}

/** Bytes of the GEMM module for the given register tile. */
export function gemmModuleBytes(shape: KernelShape): Uint8Array<ArrayBuffer> {
  const module = new ModuleWriter(1);
  module.addFunction('macro', writeMacroKernel(shape));
  module.addFunction('packA', writePack(shape.precision, shape.mr));
  module.addFunction('packB', writePack(shape.precision, shape.nr));
  module.addFunction('scale', writeScale(shape.precision, false));
  module.addFunction('axpby', writeScale(shape.precision, true));
  return module.encode();
}

export type MacroKernel = (
  pa: number, pb: number, pc: number, mPanels: number, nPanels: number, kc: number,
  ldcBytes: number, accumulate: number,
) => void;

export type PackPanels = (
  dst: number, src: number, xStride: number, kStride: number, fullPanels: number, rem: number,
  kc: number,
) => void;

export type Scale = (dst: number, count: number, alpha: number) => void;
export type Axpby = (dst: number, src: number, count: number, alpha: number, beta: number) => void;

export interface GemmInstance {
  readonly memory: WebAssembly.Memory;
  readonly macro: MacroKernel;
  /** Packs MR-wide panels of A. */
  readonly packA: PackPanels;
  /** Packs NR-wide panels of B. */
  readonly packB: PackPanels;
  readonly scale: Scale;
  readonly axpby: Axpby;
}

/**
 * Compiles synchronously: the module is about 3 KB (under the 4 KB that Chrome used to allow for
 * synchronous compilation on the main thread) and takes well under a millisecond to compile.
 * Returns undefined where WebAssembly or SIMD128 is unavailable.
 */
export function instantiateGemm(shape: KernelShape): GemmInstance | undefined {
  if (typeof WebAssembly !== 'object') return undefined;
  const bytes = gemmModuleBytes(shape);
  try {
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, {});
    const exports = instance.exports;
    return {
      memory: exports.memory as WebAssembly.Memory,
      macro: exports.macro as MacroKernel,
      packA: exports.packA as PackPanels,
      packB: exports.packB as PackPanels,
      scale: exports.scale as Scale,
      axpby: exports.axpby as Axpby,
    };
  } catch {
    return undefined; // e.g. an engine without SIMD128 rejects the module at compile time
  }
}
