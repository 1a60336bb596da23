import { allocate, type DType, type Storage } from '../dtype';
import { broadcastShapes, broadcastStrides, numelOf } from '../shape';
import { Tensor } from '../tensor';
import { fma32, fma64 } from '../random/fusedMultiplyAdd';

/**
 * Loops shared by the op forwards: elementwise maps with broadcasting over strided inputs, strided
 * copies and reductions. They read any storage type as numbers and write the output dtype's
 * storage, so float32 results are rounded once on store (as a float32 kernel would compute
 * +, -, *, / and sqrt exactly; transcendental functions are computed in double and rounded).
 */

/** Calls `body(k, off)` for every element in row-major order with its storage offset. */
export function forEachOffset(shape: readonly number[], strides: readonly number[], offset: number,
  body: (k: number, off: number) => void): void {
  const n = numelOf(shape);
  const nd = shape.length;
  if (n === 0) return;
  if (nd === 0) { body(0, offset); return; }
  const idx = new Int32Array(nd);
  let off = offset;
  for (let k = 0; k < n; k++) {
    body(k, off);
    for (let d = nd - 1; d >= 0; d--) {
      off += strides[d];
      if (++idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** The elements of `t` in row-major order: the storage itself when contiguous (read only!), else a copy. */
export function readContiguous(t: Tensor): Storage {
  const n = t.numel();
  if (t._contiguous) {
    const d = t._data;
    return t.offset === 0 && d.length === n ? d : d.subarray(t.offset, t.offset + n);
  }
  const out = allocate(t.dtype, n);
  const src = t._data;
  forEachOffset(t.shape, t.strides, t.offset, (k, off) => { out[k] = src[off]; });
  return out;
}

/** A contiguous tensor with the same values (the same tensor when already contiguous). */
export function contiguousTensor(t: Tensor): Tensor {
  if (t._contiguous) return t;
  return Tensor._fromData(readContiguous(t), t.shape, t.dtype);
}

export function unaryMap(a: Tensor, outDtype: DType, f: (x: number) => number): Tensor {
  const n = a.numel();
  const out = allocate(outDtype, n);
  const src = a._data;
  if (a._contiguous) {
    const o = a.offset;
    for (let i = 0; i < n; i++) out[i] = f(src[o + i]);
  } else {
    forEachOffset(a.shape, a.strides, a.offset, (k, off) => { out[k] = f(src[off]); });
  }
  return Tensor._fromData(out, a.shape, outDtype);
}

export function binaryMap(a: Tensor, b: Tensor, outDtype: DType, f: (x: number, y: number) => number): Tensor {
  const shape = sameDims(a.shape, b.shape) ? a.shape : broadcastShapes(a.shape, b.shape);
  const n = numelOf(shape);
  const out = allocate(outDtype, n);
  const da = a._data;
  const db = b._data;
  const aFull = a._contiguous && a.numel() === n;
  const bFull = b._contiguous && b.numel() === n;
  if (aFull && bFull) {
    const oa = a.offset, ob = b.offset;
    for (let i = 0; i < n; i++) out[i] = f(da[oa + i], db[ob + i]);
  } else if (aFull && b.numel() === 1) {
    const oa = a.offset, y = db[b.offset];
    for (let i = 0; i < n; i++) out[i] = f(da[oa + i], y);
  } else if (bFull && a.numel() === 1) {
    const ob = b.offset, x = da[a.offset];
    for (let i = 0; i < n; i++) out[i] = f(x, db[ob + i]);
  } else {
    broadcastLoop2(shape, a, b, (k, ia, ib) => { out[k] = f(da[ia], db[ib]); });
  }
  return Tensor._fromData(out, shape, outDtype);
}

export function ternaryMap(a: Tensor, b: Tensor, c: Tensor, outDtype: DType,
  f: (x: number, y: number, z: number) => number): Tensor {
  const shape = broadcastShapes(broadcastShapes(a.shape, b.shape), c.shape);
  const n = numelOf(shape);
  const out = allocate(outDtype, n);
  const sa = broadcastStrides(a.shape, a.strides, shape);
  const sb = broadcastStrides(b.shape, b.strides, shape);
  const sc = broadcastStrides(c.shape, c.strides, shape);
  const da = a._data, db = b._data, dc = c._data;
  const nd = shape.length;
  const idx = new Int32Array(nd);
  let ia = a.offset, ib = b.offset, ic = c.offset;
  for (let k = 0; k < n; k++) {
    out[k] = f(da[ia], db[ib], dc[ic]);
    for (let d = nd - 1; d >= 0; d--) {
      ia += sa[d]; ib += sb[d]; ic += sc[d];
      if (++idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d]; ib -= sb[d] * shape[d]; ic -= sc[d] * shape[d];
      idx[d] = 0;
    }
  }
  return Tensor._fromData(out, shape, outDtype);
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Visits every element of the broadcast `shape` with the storage offsets of `a` and `b`. */
export function broadcastLoop2(shape: readonly number[], a: Tensor, b: Tensor,
  body: (k: number, ia: number, ib: number) => void): void {
  const n = numelOf(shape);
  const nd = shape.length;
  const sa = broadcastStrides(a.shape, a.strides, shape);
  const sb = broadcastStrides(b.shape, b.strides, shape);
  const idx = new Int32Array(nd);
  let ia = a.offset, ib = b.offset;
  for (let k = 0; k < n; k++) {
    body(k, ia, ib);
    for (let d = nd - 1; d >= 0; d--) {
      ia += sa[d]; ib += sb[d];
      if (++idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d]; ib -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** Writes `src` (broadcast to dst's shape) into dst's storage through dst's strides. */
export function copyInto(dst: Tensor, src: Tensor): void {
  const dd = dst._data;
  const ds = src._data;
  if (dst._contiguous && src._contiguous && src.numel() === dst.numel()) {
    const n = dst.numel();
    const od = dst.offset, os = src.offset;
    if (dd === ds && od > os) {
      for (let i = n - 1; i >= 0; i--) dd[od + i] = ds[os + i];
    } else {
      for (let i = 0; i < n; i++) dd[od + i] = ds[os + i];
    }
    return;
  }
  // NOTE: read the source first when it may alias the destination (x.copy_(x.t())).
  const values = dd === ds ? readContiguous(src).slice() : null;
  const srcT = values ? Tensor._fromData(values, src.shape, src.dtype) : src;
  const sd = srcT._data;
  broadcastLoop2(dst.shape, dst, srcT, (_k, id, is) => { dd[id] = sd[is]; });
}

/**
 * Reduces the dims in `dims` (sorted, normalised) with `step` over float64 accumulators.
 * Returns the reduced shape with or without the kept singleton dims.
 */
export function reduceDims(a: Tensor, dims: readonly number[], keepdim: boolean, outDtype: DType,
  init: number, step: (acc: number, x: number) => number, finish?: (acc: number, count: number) => number): Tensor {
  const nd = a.shape.length;
  const reduced = new Array<boolean>(nd).fill(false);
  for (const d of dims) reduced[d] = true;
  const keptShape = a.shape.map((s, d) => (reduced[d] ? 1 : s));
  const outN = numelOf(keptShape);
  const acc = new Float64Array(outN).fill(init);
  // Output strides for the input's index space: 0 along reduced dims.
  const outStrides = new Array<number>(nd);
  let s = 1;
  for (let d = nd - 1; d >= 0; d--) {
    outStrides[d] = reduced[d] ? 0 : s;
    s *= keptShape[d];
  }
  const src = a._data;
  const n = a.numel();
  const idx = new Int32Array(nd);
  let ia = a.offset;
  let io = 0;
  for (let k = 0; k < n; k++) {
    acc[io] = step(acc[io], src[ia]);
    for (let d = nd - 1; d >= 0; d--) {
      ia += a.strides[d]; io += outStrides[d];
      if (++idx[d] < a.shape[d]) break;
      ia -= a.strides[d] * a.shape[d]; io -= outStrides[d] * a.shape[d];
      idx[d] = 0;
    }
  }
  const count = outN === 0 ? 0 : n / outN;
  const out = allocate(outDtype, outN);
  for (let i = 0; i < outN; i++) out[i] = finish ? finish(acc[i], count) : acc[i];
  const shape = keepdim ? keptShape : a.shape.filter((_, d) => !reduced[d]);
  return Tensor._fromData(out, shape, outDtype);
}

// ---------------------------------------------------------------------------------------------
// Specialised loops for the hot paths (no per-element closure calls).

/** Op codes of `arithmetic`. */
export const ADD = 0;
export const SUB = 1;
export const MUL = 2;
export const DIV = 3;
export type ArithOp = typeof ADD | typeof SUB | typeof MUL | typeof DIV;

/**
 * `a op b` with broadcasting, one rounding into `outDtype` (float32 +, −, ·, / computed in double
 * and rounded once equal float32 arithmetic). `alpha` scales b for ADD/SUB; PyTorch's CPU kernel
 * computes `a + alpha·b` as one fused multiply-add, emulated exactly by fma32/fma64.
 * Not for bool outputs (see `boolArithmetic`).
 */
export function arithmetic(op: ArithOp, a: Tensor, b: Tensor, outDtype: DType, alpha = 1): Tensor {
  if (alpha !== 1 && (op === ADD || op === SUB)) return scaledAdd(a, b, outDtype, op === SUB ? -alpha : alpha);
  const shape = sameDims(a.shape, b.shape) ? a.shape : broadcastShapes(a.shape, b.shape);
  const n = numelOf(shape);
  const out = allocate(outDtype, n);
  const da = a._data, db = b._data;
  const na = a.numel(), nb = b.numel();
  const aFull = a._contiguous && na === n;
  const bFull = b._contiguous && nb === n;
  if (aFull && bFull) {
    if (out instanceof Float32Array && da instanceof Float32Array && db instanceof Float32Array) {
      loopF32(op, out, da, a.offset, db, b.offset, n);
    } else {
      loopAny(op, out, da, a.offset, db, b.offset, n);
    }
  } else if (aFull && nb === 1) {
    if (out instanceof Float32Array && da instanceof Float32Array) scalarLoopF32(op, out, da, a.offset, db[b.offset], n, false);
    else scalarLoopAny(op, out, da, a.offset, db[b.offset], n, false);
  } else if (bFull && na === 1) {
    if (out instanceof Float32Array && db instanceof Float32Array) scalarLoopF32(op, out, db, b.offset, da[a.offset], n, true);
    else scalarLoopAny(op, out, db, b.offset, da[a.offset], n, true);
  } else if (isConstant(a) && isConstant(b)) {
    // e.g. the expanded gradient of a full reduction divided by a count: one value everywhere.
    const x = da[a.offset], y = db[b.offset];
    out.fill(op === ADD ? x + y : op === SUB ? x - y : op === MUL ? x * y : x / y);
  } else if (bFull && isConstant(a)) {
    // One value against a contiguous run, e.g. the expanded gradient of a sum (stride 0) times a
    // full tensor in PowBackward0/MulBackward0: a scalar loop instead of the generic broadcast.
    if (out instanceof Float32Array && db instanceof Float32Array) scalarLoopF32(op, out, db, b.offset, da[a.offset], n, true);
    else scalarLoopAny(op, out, db, b.offset, da[a.offset], n, true);
  } else if (aFull && isConstant(b)) {
    if (out instanceof Float32Array && da instanceof Float32Array) scalarLoopF32(op, out, da, a.offset, db[b.offset], n, false);
    else scalarLoopAny(op, out, da, a.offset, db[b.offset], n, false);
  } else if (aFull && b._contiguous && isTrailingBlock(b.shape, shape)) {
    // b repeats along the leading dims (a bias row): a tight loop per block.
    rowLoop(op, out, da, a.offset, db, b.offset, n, nb, false);
  } else if (bFull && a._contiguous && isTrailingBlock(a.shape, shape)) {
    rowLoop(op, out, db, b.offset, da, a.offset, n, na, true);
  } else {
    switch (op) {
      case ADD: broadcastLoop2(shape, a, b, (k, ia, ib) => { out[k] = da[ia] + db[ib]; }); break;
      case SUB: broadcastLoop2(shape, a, b, (k, ia, ib) => { out[k] = da[ia] - db[ib]; }); break;
      case MUL: broadcastLoop2(shape, a, b, (k, ia, ib) => { out[k] = da[ia] * db[ib]; }); break;
      default: broadcastLoop2(shape, a, b, (k, ia, ib) => { out[k] = da[ia] / db[ib]; }); break;
    }
  }
  return Tensor._fromData(out, shape, outDtype);
}

// NOTE [Monomorphic loops]: V8 compiles a loop that only ever sees Float32Arrays to much faster
// code than one whose element accesses have seen several typed-array kinds, so the float32 hot
// path has its own copies of the loops (identical bodies, separate type feedback). They are
// unrolled four ways: V8 does not vectorise, and the unrolled body halves the loop and
// bounds-check overhead per element of these one-flop loops (same operations, same order).

function loopF32(op: ArithOp, out: Float32Array, x: Float32Array, ox: number, y: Float32Array, oy: number, n: number): void {
  switch (op) {
    case ADD: addF32(out, x, ox, y, oy, n); break;
    case SUB: subF32(out, x, ox, y, oy, n); break;
    case MUL: mulF32(out, x, ox, y, oy, n); break;
    default: divF32(out, x, ox, y, oy, n); break;
  }
}

function addF32(out: Float32Array, x: Float32Array, ox: number, y: Float32Array, oy: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[ox + i] + y[oy + i];
    out[i + 1] = x[ox + i + 1] + y[oy + i + 1];
    out[i + 2] = x[ox + i + 2] + y[oy + i + 2];
    out[i + 3] = x[ox + i + 3] + y[oy + i + 3];
  }
  for (; i < n; i++) out[i] = x[ox + i] + y[oy + i];
}

function subF32(out: Float32Array, x: Float32Array, ox: number, y: Float32Array, oy: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[ox + i] - y[oy + i];
    out[i + 1] = x[ox + i + 1] - y[oy + i + 1];
    out[i + 2] = x[ox + i + 2] - y[oy + i + 2];
    out[i + 3] = x[ox + i + 3] - y[oy + i + 3];
  }
  for (; i < n; i++) out[i] = x[ox + i] - y[oy + i];
}

function mulF32(out: Float32Array, x: Float32Array, ox: number, y: Float32Array, oy: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[ox + i] * y[oy + i];
    out[i + 1] = x[ox + i + 1] * y[oy + i + 1];
    out[i + 2] = x[ox + i + 2] * y[oy + i + 2];
    out[i + 3] = x[ox + i + 3] * y[oy + i + 3];
  }
  for (; i < n; i++) out[i] = x[ox + i] * y[oy + i];
}

function divF32(out: Float32Array, x: Float32Array, ox: number, y: Float32Array, oy: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[ox + i] / y[oy + i];
    out[i + 1] = x[ox + i + 1] / y[oy + i + 1];
    out[i + 2] = x[ox + i + 2] / y[oy + i + 2];
    out[i + 3] = x[ox + i + 3] / y[oy + i + 3];
  }
  for (; i < n; i++) out[i] = x[ox + i] / y[oy + i];
}

function loopAny(op: ArithOp, out: Storage, x: Storage, ox: number, y: Storage, oy: number, n: number): void {
  switch (op) {
    case ADD: for (let i = 0; i < n; i++) out[i] = x[ox + i] + y[oy + i]; break;
    case SUB: for (let i = 0; i < n; i++) out[i] = x[ox + i] - y[oy + i]; break;
    case MUL: for (let i = 0; i < n; i++) out[i] = x[ox + i] * y[oy + i]; break;
    default: for (let i = 0; i < n; i++) out[i] = x[ox + i] / y[oy + i]; break;
  }
}

/** `x op s` (or `s op x` when `scalarFirst`) over a contiguous operand. */
function scalarLoopF32(op: ArithOp, out: Float32Array, x: Float32Array, ox: number, s: number, n: number, scalarFirst: boolean): void {
  if (scalarFirst && (op === SUB || op === DIV)) {
    if (op === SUB) scalarSubF32(out, x, ox, s, n);
    else scalarDivF32(out, x, ox, s, n);
    return;
  }
  switch (op) {
    case ADD: addScalarF32(out, x, ox, s, n); break;
    case SUB: subScalarF32(out, x, ox, s, n); break;
    case MUL: mulScalarF32(out, x, ox, s, n); break;
    default: divScalarF32(out, x, ox, s, n); break;
  }
}

function addScalarF32(out: Float32Array, x: Float32Array, ox: number, s: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[ox + i] + s;
    out[i + 1] = x[ox + i + 1] + s;
    out[i + 2] = x[ox + i + 2] + s;
    out[i + 3] = x[ox + i + 3] + s;
  }
  for (; i < n; i++) out[i] = x[ox + i] + s;
}

function subScalarF32(out: Float32Array, x: Float32Array, ox: number, s: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[ox + i] - s;
    out[i + 1] = x[ox + i + 1] - s;
    out[i + 2] = x[ox + i + 2] - s;
    out[i + 3] = x[ox + i + 3] - s;
  }
  for (; i < n; i++) out[i] = x[ox + i] - s;
}

function mulScalarF32(out: Float32Array, x: Float32Array, ox: number, s: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[ox + i] * s;
    out[i + 1] = x[ox + i + 1] * s;
    out[i + 2] = x[ox + i + 2] * s;
    out[i + 3] = x[ox + i + 3] * s;
  }
  for (; i < n; i++) out[i] = x[ox + i] * s;
}

function divScalarF32(out: Float32Array, x: Float32Array, ox: number, s: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[ox + i] / s;
    out[i + 1] = x[ox + i + 1] / s;
    out[i + 2] = x[ox + i + 2] / s;
    out[i + 3] = x[ox + i + 3] / s;
  }
  for (; i < n; i++) out[i] = x[ox + i] / s;
}

function scalarSubF32(out: Float32Array, x: Float32Array, ox: number, s: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = s - x[ox + i];
    out[i + 1] = s - x[ox + i + 1];
    out[i + 2] = s - x[ox + i + 2];
    out[i + 3] = s - x[ox + i + 3];
  }
  for (; i < n; i++) out[i] = s - x[ox + i];
}

function scalarDivF32(out: Float32Array, x: Float32Array, ox: number, s: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = s / x[ox + i];
    out[i + 1] = s / x[ox + i + 1];
    out[i + 2] = s / x[ox + i + 2];
    out[i + 3] = s / x[ox + i + 3];
  }
  for (; i < n; i++) out[i] = s / x[ox + i];
}

function scalarLoopAny(op: ArithOp, out: Storage, x: Storage, ox: number, s: number, n: number, scalarFirst: boolean): void {
  if (scalarFirst && (op === SUB || op === DIV)) {
    if (op === SUB) for (let i = 0; i < n; i++) out[i] = s - x[ox + i];
    else for (let i = 0; i < n; i++) out[i] = s / x[ox + i];
    return;
  }
  switch (op) {
    case ADD: for (let i = 0; i < n; i++) out[i] = x[ox + i] + s; break;
    case SUB: for (let i = 0; i < n; i++) out[i] = x[ox + i] - s; break;
    case MUL: for (let i = 0; i < n; i++) out[i] = x[ox + i] * s; break;
    default: for (let i = 0; i < n; i++) out[i] = x[ox + i] / s; break;
  }
}

/** `full op row` with `row` repeated over each block of `full` (`row op full` when `rowFirst`). */
function rowLoop(op: ArithOp, out: Storage, full: Storage, of: number, row: Storage, or: number, n: number, m: number,
  rowFirst: boolean): void {
  for (let base = 0; base < n; base += m) {
    const o = of + base;
    if (rowFirst && op === SUB) { for (let j = 0; j < m; j++) out[base + j] = row[or + j] - full[o + j]; continue; }
    if (rowFirst && op === DIV) { for (let j = 0; j < m; j++) out[base + j] = row[or + j] / full[o + j]; continue; }
    switch (op) {
      case ADD: for (let j = 0; j < m; j++) out[base + j] = full[o + j] + row[or + j]; break;
      case SUB: for (let j = 0; j < m; j++) out[base + j] = full[o + j] - row[or + j]; break;
      case MUL: for (let j = 0; j < m; j++) out[base + j] = full[o + j] * row[or + j]; break;
      default: for (let j = 0; j < m; j++) out[base + j] = full[o + j] / row[or + j]; break;
    }
  }
}

/**
 * `a += b` for tensors of the same shape (b of a's dtype): the values `a.add(b)` would have,
 * written into a's storage (the engine's gradient sums; no version bump here).
 */
export function addInto(a: Tensor, b: Tensor): void {
  const n = a.numel();
  const da = a._data, db = b._data;
  if (a._contiguous && b._contiguous) {
    const oa = a.offset, ob = b.offset;
    if (da instanceof Float32Array && db instanceof Float32Array) {
      for (let i = 0; i < n; i++) da[oa + i] += db[ob + i];
    } else {
      for (let i = 0; i < n; i++) da[oa + i] += db[ob + i];
    }
    return;
  }
  copyInto(a, arithmetic(ADD, a, b, a.dtype));
}

/** a + alpha·b rounded once (fused multiply-add, as PyTorch's AVX2 kernel). */
function scaledAdd(a: Tensor, b: Tensor, outDtype: DType, alpha: number): Tensor {
  if (outDtype === 'float32') {
    const al = Math.fround(alpha);
    return binaryMap(a, b, outDtype, (x, y) => fma32(al, Math.fround(y), Math.fround(x)));
  }
  if (outDtype === 'float64') return binaryMap(a, b, outDtype, (x, y) => fma64(alpha, y, x));
  return binaryMap(a, b, outDtype, (x, y) => x + alpha * y);
}

/** Whether every element of `t` is the same storage element (a broadcast scalar: all strides 0). */
function isConstant(t: Tensor): boolean {
  const st = t.strides;
  for (let i = 0; i < st.length; i++) if (st[i] !== 0 && t.shape[i] !== 1) return false;
  return true;
}

/** Whether `inner` (a contiguous operand) is exactly the trailing dims of `outer` (leading 1s allowed). */
function isTrailingBlock(inner: readonly number[], outer: readonly number[]): boolean {
  let lead = 0;
  while (lead < inner.length && inner[lead] === 1) lead++;
  const k = inner.length - lead;
  if (k === 0 || k > outer.length) return false;
  for (let i = 0; i < k; i++) if (inner[lead + i] !== outer[outer.length - k + i]) return false;
  return true;
}

/** exp of every element (the exp op's hot loop). */
export function expMap(a: Tensor, outDtype: DType): Tensor {
  const n = a.numel();
  const out = allocate(outDtype, n);
  const src = a._data;
  if (a._contiguous) {
    const o = a.offset;
    if (out instanceof Float32Array && src instanceof Float32Array) expLoopF32(out, src, o, n);
    else for (let i = 0; i < n; i++) out[i] = Math.exp(src[o + i]);
  } else {
    forEachOffset(a.shape, a.strides, a.offset, (k, off) => { out[k] = Math.exp(src[off]); });
  }
  return Tensor._fromData(out, a.shape, outDtype);
}

/** max(x, 0) keeping NaN (the relu op's hot loop). */
export function reluMap(a: Tensor): Tensor {
  const n = a.numel();
  const out = allocate(a.dtype, n);
  const src = a._data;
  if (a._contiguous) {
    const o = a.offset;
    if (out instanceof Float32Array && src instanceof Float32Array) reluLoopF32(out, src, o, n);
    else for (let i = 0; i < n; i++) { const x = src[o + i]; out[i] = x > 0 || x !== x ? x : 0; }
  } else {
    forEachOffset(a.shape, a.strides, a.offset, (k, off) => { const x = src[off]; out[k] = x > 0 || x !== x ? x : 0; });
  }
  return Tensor._fromData(out, a.shape, a.dtype);
}

function expLoopF32(out: Float32Array, x: Float32Array, o: number, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.exp(x[o + i]);
}

/**
 * NOTE [Branch-free masks]: relu and its backward keep or zero each element depending on its
 * sign, which a branch mispredicts about half the time on real activations. Both write the kept
 * element's bits (or +0's, all zero) through Int32Array views of the same storage, with the
 * condition turned into an all-ones or all-zeros mask: the same float32 values, no branches.
 * The unary plus on a comparison is deliberate: V8 compiles `+(a > b)` to a flag move, while
 * `a > b ? 1 : 0` becomes the very branch this avoids.
 */
function int32View(a: Float32Array, offset: number, n: number): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset + 4 * offset, n);
}

/** max(x, 0) keeping NaN, −0 → +0: x's bits where x > 0 or x is NaN, else zero bits. */
function reluLoopF32(out: Float32Array, x: Float32Array, o: number, n: number): void {
  const out32 = int32View(out, 0, n), x32 = int32View(x, o, n);
  for (let i = 0; i < n; i++) {
    const v = x[o + i];
    out32[i] = x32[i] & -(+(v > 0) | +(v !== v));
  }
}

/** The sizes around one dim of a shape: element (o, k, i) of a contiguous tensor is at (o·size + k)·inner + i. */
export interface DimLayout { outer: number; size: number; inner: number }

export function dimLayout(shape: readonly number[], dim: number): DimLayout {
  let outer = 1, inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, size: shape.length === 0 ? 1 : shape[dim], inner };
}

/**
 * Sums over `dims` (sorted, normalised) into float64 accumulators, optionally dividing by
 * `divisor` (mean). Fast loops for full reductions and single-dim reductions of contiguous input.
 */
export function sumDims(a: Tensor, dims: readonly number[], keepdim: boolean, outDtype: DType, divisor = 1): Tensor {
  const nd = a.shape.length;
  const full = dims.length === nd || nd === 0;
  const outShape = keepdim
    ? a.shape.map((s, d) => (dims.includes(d) ? 1 : s))
    : a.shape.filter((_, d) => !dims.includes(d));
  if (a._contiguous && (full || dims.length === 1)) {
    const src = a._data;
    const off = a.offset;
    if (full) {
      const n = a.numel();
      const acc = src instanceof Float32Array ? sumF32(src, off, n) : sumAny(src, off, n);
      const out = allocate(outDtype, 1);
      out[0] = divisor === 1 ? acc : acc / divisor;
      return Tensor._fromData(out, outShape, outDtype);
    }
    const { outer, size, inner } = dimLayout(a.shape, dims[0]);
    const out = allocate(outDtype, outer * inner);
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        let acc = 0;
        const base = off + o * size;
        for (let k = 0; k < size; k++) acc += src[base + k];
        out[o] = divisor === 1 ? acc : acc / divisor;
      }
    } else {
      const acc = new Float64Array(inner);
      for (let o = 0; o < outer; o++) {
        acc.fill(0);
        for (let k = 0; k < size; k++) {
          const base = off + (o * size + k) * inner;
          for (let i = 0; i < inner; i++) acc[i] += src[base + i];
        }
        for (let i = 0; i < inner; i++) out[o * inner + i] = divisor === 1 ? acc[i] : acc[i] / divisor;
      }
    }
    return Tensor._fromData(out, outShape, outDtype);
  }
  return reduceDims(a, dims, keepdim, outDtype, 0, (acc, x) => acc + x,
    divisor === 1 ? undefined : (acc) => acc / divisor);
}

/** Σ src[off..off+n) in float64, row-major (a float32-only copy: see NOTE [Monomorphic loops]). */
function sumF32(src: Float32Array, off: number, n: number): number {
  let acc = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    acc += src[off + i];
    acc += src[off + i + 1];
    acc += src[off + i + 2];
    acc += src[off + i + 3];
  }
  for (; i < n; i++) acc += src[off + i];
  return acc;
}

function sumAny(src: Storage, off: number, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += src[off + i];
  return acc;
}

/** relu's backward `x <= threshold ? 0 : g` (threshold_backward), with a tight loop for contiguous operands. */
export function thresholdBackwardMap(g: Tensor, x: Tensor, threshold: number, outDtype: DType): Tensor {
  const n = x.numel();
  if (!(g._contiguous && x._contiguous && sameDims(g.shape, x.shape))) {
    return binaryMap(g, x, outDtype, (gv, xv) => (xv <= threshold ? 0 : gv));
  }
  const out = allocate(outDtype, n);
  const gd = g._data, xd = x._data, og = g.offset, ox = x.offset;
  if (out instanceof Float32Array && gd instanceof Float32Array && xd instanceof Float32Array) {
    thresholdBackwardF32(out, gd, og, xd, ox, n, threshold);
  } else {
    for (let i = 0; i < n; i++) out[i] = xd[ox + i] <= threshold ? 0 : gd[og + i];
  }
  return Tensor._fromData(out, x.shape, outDtype);
}

/** `x <= threshold ? +0 : g` through a mask (NOTE [Branch-free masks]). */
function thresholdBackwardF32(out: Float32Array, g: Float32Array, og: number, x: Float32Array, ox: number, n: number,
  threshold: number): void {
  const out32 = int32View(out, 0, n), g32 = int32View(g, og, n);
  for (let i = 0; i < n; i++) out32[i] = g32[i] & (+(x[ox + i] <= threshold) - 1);
}

/**
 * x¹, x², x³ of a contiguous float32 tensor (pow's hot cases: polynomial features and the
 * backward of pow(x, 2) and pow(x, 3)), rounded as powScalarFn's float32 formulas — x, x·x and
 * fround(x·x)·x — without a closure call per element. Null when `a` is not contiguous float32.
 */
export function powSmallIntF32(a: Tensor, e: 1 | 2 | 3): Tensor | null {
  const src = a._data;
  if (!a._contiguous || !(src instanceof Float32Array)) return null;
  const n = a.numel();
  const out = new Float32Array(n);
  const o = a.offset;
  if (e === 1) out.set(src.subarray(o, o + n));
  else if (e === 2) squareF32(out, src, o, n);
  else cubeF32(out, src, o, n);
  return Tensor._fromData(out, a.shape, 'float32');
}

function squareF32(out: Float32Array, x: Float32Array, o: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = x[o + i], x1 = x[o + i + 1], x2 = x[o + i + 2], x3 = x[o + i + 3];
    out[i] = x0 * x0;
    out[i + 1] = x1 * x1;
    out[i + 2] = x2 * x2;
    out[i + 3] = x3 * x3;
  }
  for (; i < n; i++) { const v = x[o + i]; out[i] = v * v; }
}

function cubeF32(out: Float32Array, x: Float32Array, o: number, n: number): void {
  const f = Math.fround;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = x[o + i], x1 = x[o + i + 1], x2 = x[o + i + 2], x3 = x[o + i + 3];
    out[i] = f(x0 * x0) * x0;
    out[i + 1] = f(x1 * x1) * x1;
    out[i + 2] = f(x2 * x2) * x2;
    out[i + 3] = f(x3 * x3) * x3;
  }
  for (; i < n; i++) { const v = x[o + i]; out[i] = f(v * v) * v; }
}

// ---------------------------------------------------------------------------------------------
// Fused gradient loops (NOTE [Fused gradient loops])
//
// A backward rule written with tensor ops materialises every intermediate: `grad.mul(other)` for
// a scalar operand is a full-size product that the engine then sums back to one element, and
// pow's `grad·(e·x^(e−1))` is three full-size passes. When the pass is not recorded (grad mode
// off, i.e. no createGraph) these loops compute the same values in one pass: each intermediate
// is rounded to the dtype exactly where its tensor would have been stored, and sums accumulate
// in float64 in row-major order as `sumDims` does.

/**
 * Σ_k round(g_k · o_k) for contiguous same-size float operands of one dtype — the value of
 * `grad.mul(other)` summed to a one-element shape by the engine — or null when the operands do
 * not qualify. The result has `shape` (the one-element input's shape) and the operands' dtype.
 */
export function mulSumToScalar(grad: Tensor, other: Tensor, shape: readonly number[]): Tensor | null {
  const dtype = grad.dtype;
  if (other.dtype !== dtype || !grad._contiguous || !other._contiguous) return null;
  if (!sameDims(grad.shape, other.shape)) return null;
  const n = grad.numel();
  if (n < 2) return null;
  const g = grad._data, o = other._data;
  let acc: number;
  if (g instanceof Float32Array && o instanceof Float32Array) {
    acc = dotRoundedF32(g, grad.offset, o, other.offset, n);
  } else if (g instanceof Float64Array && o instanceof Float64Array && dtype === 'float64') {
    acc = dotF64(g, grad.offset, o, other.offset, n);
  } else {
    return null;
  }
  const out = allocate(dtype, 1);
  out[0] = acc;
  return Tensor._fromData(out, shape, dtype);
}

function dotRoundedF32(g: Float32Array, og: number, o: Float32Array, oo: number, n: number): number {
  const f = Math.fround;
  let acc = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    acc += f(g[og + i] * o[oo + i]);
    acc += f(g[og + i + 1] * o[oo + i + 1]);
    acc += f(g[og + i + 2] * o[oo + i + 2]);
    acc += f(g[og + i + 3] * o[oo + i + 3]);
  }
  for (; i < n; i++) acc += f(g[og + i] * o[oo + i]);
  return acc;
}

function dotF64(g: Float64Array, og: number, o: Float64Array, oo: number, n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += g[og + i] * o[oo + i];
  return acc;
}

/**
 * pow's backward `grad · (e · x^(e−1))` for e = 2 or 3 on contiguous float32 `x`, rounded as the
 * unfused ops (x^(e−1) as powSmallIntF32, then ·fround(e), then ·grad), with `grad` of x's shape
 * either contiguous or one broadcast value (the expanded gradient of a sum). Null otherwise.
 */
export function powBackwardF32(grad: Tensor, x: Tensor, e: 2 | 3): Tensor | null {
  const xd = x._data, gd = grad._data;
  if (!x._contiguous || !(xd instanceof Float32Array) || !(gd instanceof Float32Array) || !sameDims(grad.shape, x.shape)) {
    return null;
  }
  const n = x.numel();
  const out = new Float32Array(n);
  if (grad._contiguous) powBackwardLoopF32(out, gd, grad.offset, 1, xd, x.offset, n, e);
  else if (isConstant(grad)) powBackwardLoopF32(out, gd, grad.offset, 0, xd, x.offset, n, e);
  else return null;
  return Tensor._fromData(out, x.shape, 'float32');
}

function powBackwardLoopF32(out: Float32Array, g: Float32Array, og: number, gStep: number, x: Float32Array, ox: number,
  n: number, e: 2 | 3): void {
  if (e === 2) {
    for (let i = 0; i < n; i++) out[i] = g[og + i * gStep] * Math.fround(2 * x[ox + i]);
  } else {
    for (let i = 0; i < n; i++) {
      const v = x[ox + i];
      out[i] = g[og + i * gStep] * Math.fround(3 * Math.fround(v * v));
    }
  }
}

/**
 * div's gradient for the divisor, `−grad · ((a / b) / b)`, for contiguous operands of one float
 * dtype and one shape, rounded as the unfused ops would store each intermediate (the negation is
 * exact, so it commutes with the rounding). Null when the operands do not qualify.
 */
export function divDivisorGrad(grad: Tensor, a: Tensor, b: Tensor): Tensor | null {
  const dtype = grad.dtype;
  if (a.dtype !== dtype || b.dtype !== dtype || !grad._contiguous || !a._contiguous || !b._contiguous) return null;
  if (!sameDims(grad.shape, a.shape) || !sameDims(grad.shape, b.shape)) return null;
  const n = grad.numel();
  const g = grad._data, x = a._data, y = b._data;
  if (g instanceof Float32Array && x instanceof Float32Array && y instanceof Float32Array) {
    const out = new Float32Array(n);
    divDivisorGradF32(out, g, grad.offset, x, a.offset, y, b.offset, n);
    return Tensor._fromData(out, grad.shape, dtype);
  }
  if (g instanceof Float64Array && x instanceof Float64Array && y instanceof Float64Array && dtype === 'float64') {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const q = y[b.offset + i];
      out[i] = -g[grad.offset + i] * (x[a.offset + i] / q / q);
    }
    return Tensor._fromData(out, grad.shape, dtype);
  }
  return null;
}

function divDivisorGradF32(out: Float32Array, g: Float32Array, og: number, x: Float32Array, ox: number,
  y: Float32Array, oy: number, n: number): void {
  const f = Math.fround;
  for (let i = 0; i < n; i++) {
    const q = y[oy + i];
    out[i] = -g[og + i] * f(f(x[ox + i] / q) / q);
  }
}
