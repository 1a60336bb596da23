import { allocate, type DType, type Storage } from '../dtype';
import { broadcastShapes, broadcastStrides, numelOf } from '../shape';
import { Tensor } from '../tensor';

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
