import type { Tensor } from '../tensor';

/**
 * dst ← src elementwise for two strided tensors of the same shape (no broadcasting, no aliasing
 * between them). Dims that are contiguous in both are merged first, so slices of contiguous
 * tensors (cat, stack, slice/select backward) copy long runs with a tight inner loop instead of
 * a call per element. Values are stored as they are: callers only use it where the destination
 * dtype can hold the source's values (same dtype or a promotion).
 */
export function copyStrided(dst: Tensor, src: Tensor): void {
  const { shape, dstStrides, srcStrides } = coalesce(dst.shape, dst.strides, src.strides);
  const n = shape.reduce((p, s) => p * s, 1);
  if (n === 0) return;
  const d = dst._data;
  const s = src._data;
  const nd = shape.length;
  if (nd === 0) { d[dst.offset] = s[src.offset]; return; }
  const inner = shape[nd - 1];
  const di = dstStrides[nd - 1];
  const si = srcStrides[nd - 1];
  if (nd === 1 && di === 1 && si === 1 && d.constructor === s.constructor) {
    (d as Float64Array).set((s as Float64Array).subarray(src.offset, src.offset + inner), dst.offset);
    return;
  }
  const idx = new Int32Array(nd);
  let od = dst.offset, os = src.offset;
  const outer = n / inner;
  for (let k = 0; k < outer; k++) {
    if (di === 1 && si === 1) {
      for (let i = 0; i < inner; i++) d[od + i] = s[os + i];
    } else {
      for (let i = 0, a = od, b = os; i < inner; i++, a += di, b += si) d[a] = s[b];
    }
    for (let dim = nd - 2; dim >= 0; dim--) {
      od += dstStrides[dim];
      os += srcStrides[dim];
      if (++idx[dim] < shape[dim]) break;
      od -= dstStrides[dim] * shape[dim];
      os -= srcStrides[dim] * shape[dim];
      idx[dim] = 0;
    }
  }
}

/** Drops size-1 dims and merges neighbours that are contiguous in both layouts. */
function coalesce(shape: readonly number[], a: readonly number[], b: readonly number[]):
  { shape: number[]; dstStrides: number[]; srcStrides: number[] } {
  const outShape: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && sa[last] === a[i] * shape[i] && sb[last] === b[i] * shape[i]) {
      outShape[last] *= shape[i];
      sa[last] = a[i];
      sb[last] = b[i];
    } else {
      outShape.push(shape[i]);
      sa.push(a[i]);
      sb.push(b[i]);
    }
  }
  return { shape: outShape, dstStrides: sa, srcStrides: sb };
}
