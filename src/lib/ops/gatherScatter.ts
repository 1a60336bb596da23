import { allocate, type DType } from '../dtype';
import { RuntimeError } from '../errors';
import { broadcastShapes, broadcastStrides, formatShape, normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { readContiguous } from './kernels';
import { inplace } from './inplace';
import { castRaw, castScalar, type Scalar } from './promote';
import { run1, type OpDef } from './registry';
import { viewOf } from './shapeOps';

/**
 * Element-wise indexing along one dim (`gather` / `scatter` / `scatter_add`) and `masked_fill`.
 * The index and mask tensors are not differentiable and travel in attrs (see NOTE [Index tensors
 * live in attrs] in advancedIndex.ts).
 */

/**
 * Visits every element of `index` (row-major) with its value and, for `target` and `src`, the
 * storage offset of the same coordinates — in `target` without the `dim` coordinate (the caller
 * adds `value * target.strides[dim]`).
 */
function forEachIndexed(index: Tensor, target: Tensor, src: Tensor | null, dim: number,
  body: (k: number, value: number, targetOff: number, srcOff: number) => void): void {
  const shape = index.shape;
  const nd = shape.length;
  const n = index.numel();
  if (n === 0) return;
  const ts = target.strides.map((s, d) => (d === dim ? 0 : s));
  const ss = src ? src.strides : new Array<number>(nd).fill(0);
  const is = index.strides;
  const idx = new Int32Array(nd);
  const data = index._data;
  let oi = index.offset, ot = target.offset, os = src ? src.offset : 0;
  for (let k = 0; k < n; k++) {
    body(k, data[oi], ot, os);
    for (let d = nd - 1; d >= 0; d--) {
      oi += is[d]; ot += ts[d]; os += ss[d];
      if (++idx[d] < shape[d]) break;
      oi -= is[d] * shape[d]; ot -= ts[d] * shape[d]; os -= ss[d] * shape[d];
      idx[d] = 0;
    }
  }
}

function checkedIndex(v: number, dim: number, size: number): number {
  if (!(v >= 0 && v < size)) throw new RuntimeError(`index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  return v;
}

interface DimIndexAttrs { dim: number; index: Tensor }

export const gatherDef: OpDef<DimIndexAttrs> = {
  name: 'gather',
  gradFn: 'GatherBackward0',
  forward([a], { dim, index }) {
    const out = allocate(a.dtype, index.numel());
    const src = a._data;
    const stride = a.strides[dim] ?? 0;
    const size = a.shape[dim] ?? 1;
    forEachIndexed(index, a, null, dim, (k, v, off) => { out[k] = src[off + checkedIndex(v, dim, size) * stride]; });
    return Tensor._fromData(out, index.shape.slice(), a.dtype);
  },
  backward: ({ grad, inputMeta, attrs }) =>
    [run1(scatterAddDef, [Tensor._empty(inputMeta[0].shape, grad.dtype), grad], attrs)],
  doc: { torch: 'torch.gather', example: 'torch.gather(a, 1, idx)', rule: 'grad scatter-added back along dim (repeats add up)' },
};

/** A contiguous copy of `self` with `src` (same dtype) written or added at the indexed places. */
function scatterInto(self: Tensor, src: Tensor | number, dim: number, index: Tensor, add: boolean): Tensor {
  const out = Tensor._fromData(readContiguous(self).slice(), self.shape, self.dtype);
  const dst = out._data;
  const stride = out.strides[dim] ?? 0;
  const size = out.shape[dim] ?? 1;
  if (typeof src === 'number') {
    const v = castScalar(src, self.dtype);
    forEachIndexed(index, out, null, dim, (_k, i, off) => { dst[off + checkedIndex(i, dim, size) * stride] = v; });
    return out;
  }
  const s = src.dtype === self.dtype ? src : castRaw(src, self.dtype);
  const sd = s._data;
  if (add) forEachIndexed(index, out, s, dim, (_k, i, off, so) => { dst[off + checkedIndex(i, dim, size) * stride] += sd[so]; });
  else forEachIndexed(index, out, s, dim, (_k, i, off, so) => { dst[off + checkedIndex(i, dim, size) * stride] = sd[so]; });
  return out;
}

export const scatterAddDef: OpDef<DimIndexAttrs> = {
  name: 'scatterAdd',
  gradFn: 'ScatterAddBackward0',
  forward: ([self, src], { dim, index }) => scatterInto(self, src, dim, index, true),
  backward: ({ grad, needsGrad, attrs }) => [
    needsGrad(0) ? grad : null,
    needsGrad(1) ? run1(gatherDef, [grad], attrs) : null,
  ],
  doc: { torch: 'torch.scatter_add', example: 'torch.scatterAdd(a, 0, idx, src)', rule: '∂/∂self = grad, ∂/∂src = grad gathered at the index' },
};

export const scatterDef: OpDef<DimIndexAttrs> = {
  name: 'scatter',
  gradFn: 'ScatterBackward0',
  forward: ([self, src], { dim, index }) => scatterInto(self, src, dim, index, false),
  backward: ({ grad, needsGrad, attrs }) => [
    needsGrad(0) ? run1(scatterValueDef, [grad], { ...attrs, value: 0 }) : null,
    needsGrad(1) ? run1(gatherDef, [grad], attrs) : null,
  ],
  doc: { torch: 'torch.scatter', example: 'torch.scatter(a, 0, idx, src)', rule: '∂/∂self = grad with the written places zeroed, ∂/∂src = grad gathered' },
};

export const scatterValueDef: OpDef<DimIndexAttrs & { value: number }> = {
  name: 'scatter',
  gradFn: 'ScatterBackward1',
  forward: ([self], { dim, index, value }) => scatterInto(self, value, dim, index, false),
  backward: ({ grad, attrs }) => [run1(scatterValueDef, [grad], { ...attrs, value: 0 })],
  doc: { torch: 'torch.scatter', example: 'torch.scatter(a, 0, idx, 0)', rule: 'grad with the written places zeroed' },
};

function checkIndexDtype(op: string, index: Tensor): void {
  if (index.dtype !== 'int64') throw new RuntimeError(`${op}(): Expected dtype int64 for index`);
}

/** Treats a 0-dim tensor as having one dim of size 1, as ATen's ensure_nonempty_* do. */
function nonemptyDims(t: Tensor): number {
  return Math.max(t.shape.length, 1);
}
function nonemptySize(t: Tensor, d: number): number {
  return t.shape.length === 0 ? 1 : t.shape[d];
}

/** `torch.gather(a, dim, index)`: out[i][j] = a[index[i][j]][j] (dim 0) etc. */
export function gather(a: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexDtype('gather', index);
  const d = normalizeDim(dim, a.shape.length);
  if (nonemptyDims(a) !== nonemptyDims(index)) {
    throw new RuntimeError('Index tensor must have the same number of dimensions as input tensor');
  }
  for (let i = 0; i < nonemptyDims(a); i++) {
    if (i !== d && nonemptySize(index, i) > nonemptySize(a, i)) {
      throw new RuntimeError(
        `Size does not match at dimension ${i} expected index ${formatShape(index.shape)} to be no larger than ` +
        `self ${formatShape(a.shape)} apart from dimension ${d}`);
    }
  }
  return run1(gatherDef, [a], { dim: d, index });
}

function checkScatter(self: Tensor, d: number, index: Tensor, src: Tensor | null): void {
  checkIndexDtype('scatter', index);
  if (nonemptyDims(self) !== nonemptyDims(index)) {
    throw new RuntimeError('Index tensor must have the same number of dimensions as self tensor');
  }
  if (src && nonemptyDims(src) !== nonemptyDims(index)) {
    throw new RuntimeError('Index tensor must have the same number of dimensions as src tensor');
  }
  for (let i = 0; i < nonemptyDims(self); i++) {
    const tooBig = (i !== d && nonemptySize(index, i) > nonemptySize(self, i)) ||
      (src !== null && nonemptySize(index, i) > nonemptySize(src, i));
    if (tooBig) {
      throw new RuntimeError(
        `Expected index ${formatShape(index.shape)} to be no larger than self ${formatShape(self.shape)} apart from ` +
        `dimension ${d}` + (src ? ` and to be no larger than src ${formatShape(src.shape)}` : ''));
    }
  }
}

/** `torch.scatter(a, dim, index, src)` (src a tensor or a number): a copy with values written. */
export function scatter(a: Tensor, dim: number, index: Tensor, src: Tensor | Scalar): Tensor {
  const d = normalizeDim(dim, a.shape.length);
  if (src instanceof Tensor) {
    checkScatter(a, d, index, src);
    return run1(scatterDef, [a, src], { dim: d, index });
  }
  checkScatter(a, d, index, null);
  return run1(scatterValueDef, [a], { dim: d, index, value: Number(src) });
}

/** `torch.scatter_add(a, dim, index, src)`: a copy with src added at the indexed places. */
export function scatterAdd(a: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim(dim, a.shape.length);
  checkScatter(a, d, index, src);
  return run1(scatterAddDef, [a, src], { dim: d, index });
}

interface MaskAttrs { mask: Tensor; value: number }

function maskedFillForward(a: Tensor, mask: Tensor, value: number, valueTensor: Tensor | null): Tensor {
  const shape = broadcastShapes(a.shape, mask.shape);
  const src = readContiguous(viewOf(a, shape, broadcastStrides(a.shape, a.strides, shape), a.offset)).slice();
  const m = readContiguous(viewOf(mask, shape, broadcastStrides(mask.shape, mask.strides, shape), mask.offset));
  const v = castScalar(valueTensor ? valueTensor._get(0) : value, a.dtype);
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) src[i] = v;
  return Tensor._fromData(src, shape, a.dtype);
}

export const maskedFillDef: OpDef<MaskAttrs> = {
  name: 'maskedFill',
  gradFn: 'MaskedFillBackward0',
  forward: ([a], { mask, value }) => maskedFillForward(a, mask, value, null),
  backward: ({ grad, attrs: { mask } }) => [run1(maskedFillDef, [grad], { mask, value: 0 })],
  doc: { torch: 'torch.masked_fill', example: 'a.maskedFill(mask, 0)', rule: 'grad with the filled places zeroed' },
};

/** masked_fill with a 0-dim tensor value: the value gets the sum of the filled places' grads. */
export const maskedFillTensorDef: OpDef<{ mask: Tensor }> = {
  name: 'maskedFill',
  gradFn: 'MaskedFillBackward1',
  forward: ([a, value], { mask }) => maskedFillForward(a, mask, 0, value),
  backward: ({ grad, needsGrad, attrs: { mask } }) => [
    needsGrad(0) ? run1(maskedFillDef, [grad], { mask, value: 0 }) : null,
    needsGrad(1) ? grad.mul(mask.to(grad.dtype)).sum() : null,
  ],
  doc: { torch: 'torch.masked_fill', example: 'a.maskedFill(mask, v)', rule: '∂/∂a = grad with the filled places zeroed, ∂/∂value = sum of grad over them' },
};

/** c10's type names as they appear in messages (`float`, `long int`). */
function cppTypeName(d: DType): string {
  return d === 'float32' ? 'float' : d === 'float64' ? 'double' : d === 'int64' ? 'long int' : 'bool';
}

function checkMask(mask: Tensor): void {
  if (mask.dtype !== 'bool') {
    throw new RuntimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${cppTypeName(mask.dtype)}`);
  }
}

function checkMaskedFillValue(value: Tensor): void {
  if (value.shape.length !== 0) {
    throw new RuntimeError(
      `masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.shape.length} dimension(s).`);
  }
}

/** `torch.masked_fill(a, mask, value)`: a copy with `value` where `mask` is true (broadcasting). */
export function maskedFill(a: Tensor, mask: Tensor, value: Tensor | Scalar): Tensor {
  checkMask(mask);
  if (value instanceof Tensor) {
    checkMaskedFillValue(value);
    return run1(maskedFillTensorDef, [a, value], { mask });
  }
  return run1(maskedFillDef, [a], { mask, value: Number(value) });
}

/** `a.masked_fill_(mask, value)` */
function maskedFillInplace(a: Tensor, mask: Tensor, value: Tensor | Scalar): Tensor {
  checkMask(mask);
  if (value instanceof Tensor) {
    checkMaskedFillValue(value);
    return inplace(maskedFillTensorDef, a, [a, value], { mask });
  }
  return inplace(maskedFillDef, a, [a], { mask, value: Number(value) });
}

declare module '../tensor' {
  interface Tensor {
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: Tensor | Scalar): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    maskedFill(mask: Tensor, value: Tensor | Scalar): Tensor;
    maskedFill_(mask: Tensor, value: Tensor | Scalar): Tensor;
    scatter_(dim: number, index: Tensor, src: Tensor | Scalar): Tensor;
    scatterAdd_(dim: number, index: Tensor, src: Tensor): Tensor;
  }
}
const proto = Tensor.prototype;
proto.gather = function (dim, idx) { return gather(this, dim, idx); };
proto.scatter = function (dim, idx, src) { return scatter(this, dim, idx, src); };
proto.scatterAdd = function (dim, idx, src) { return scatterAdd(this, dim, idx, src); };
proto.maskedFill = function (mask, value) { return maskedFill(this, mask, value); };
proto.maskedFill_ = function (mask, value) { return maskedFillInplace(this, mask, value); };
proto.scatter_ = function (dim, idx, src) {
  const d = normalizeDim(dim, this.shape.length);
  if (src instanceof Tensor) {
    checkScatter(this, d, idx, src);
    return inplace(scatterDef, this, [this, src], { dim: d, index: idx });
  }
  checkScatter(this, d, idx, null);
  return inplace(scatterValueDef, this, [this], { dim: d, index: idx, value: Number(src) });
};
proto.scatterAdd_ = function (dim, idx, src) {
  const d = normalizeDim(dim, this.shape.length);
  checkScatter(this, d, idx, src);
  return inplace(scatterAddDef, this, [this, src], { dim: d, index: idx });
};
