import { IndexError, RuntimeError } from '../errors';
import { formatShape, normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { copyStrided } from './stridedCopy';
import { run1, type OpDef } from './registry';
import { viewOf } from './shapeOps';

/**
 * Basic indexing views: `select` (an integer index: SelectBackward0) and `slice` (start:stop:step
 * along one dim: SliceBackward0), plus `narrow`. Their backward rules are ops of their own
 * (`select_backward` / `slice_backward`: the gradient embedded in zeros), so double backward
 * records them like PyTorch does.
 */

interface SelectAttrs { dim: number; index: number }

export const selectDef: OpDef<SelectAttrs> = {
  name: 'select',
  gradFn: 'SelectBackward0',
  isView: true,
  forward([a], { dim, index }) {
    const shape = a.shape.slice();
    const strides = a.strides.slice();
    shape.splice(dim, 1);
    strides.splice(dim, 1);
    return viewOf(a, shape, strides, a.offset + index * a.strides[dim]);
  },
  backward: ({ grad, inputMeta, attrs: { dim, index } }) =>
    [run1(selectBackwardDef, [grad], { inputShape: inputMeta[0].shape.slice(), dim, index })],
  doc: { torch: 'torch.select', example: 'a.select(0, 1)', rule: 'grad placed at the index, zeros elsewhere' },
};

/** `select_backward`: zeros of the input's shape with `grad` at the selected index. */
export const selectBackwardDef: OpDef<SelectAttrs & { inputShape: number[] }> = {
  name: 'selectBackward',
  gradFn: 'SelectBackwardBackward0',
  forward([g], { inputShape, dim, index }) {
    const out = Tensor._empty(inputShape, g.dtype);
    copyStrided(selectDef.forward([out], { dim, index }) as Tensor, g);
    return out;
  },
  backward: ({ grad, attrs: { dim, index } }) => [grad.select(dim, index)],
  doc: { torch: 'torch.select_backward', example: '(backward of select)', rule: 'grad selected at the index' },
};

export interface SliceAttrs { dim: number; start: number; end: number; step: number }

export const sliceDef: OpDef<SliceAttrs> = {
  name: 'slice',
  gradFn: 'SliceBackward0',
  isView: true,
  forward([a], { dim, start, end, step }) {
    const shape = a.shape.slice();
    const strides = a.strides.slice();
    shape[dim] = end > start ? Math.ceil((end - start) / step) : 0;
    strides[dim] = a.strides[dim] * step;
    return viewOf(a, shape, strides, a.offset + start * a.strides[dim]);
  },
  backward: ({ grad, inputMeta, attrs }) =>
    [run1(sliceBackwardDef, [grad], { ...attrs, inputShape: inputMeta[0].shape.slice() })],
  doc: { torch: 'torch.slice', example: "a.index('1:3')", rule: 'grad placed in the slice, zeros elsewhere' },
};

/** `slice_backward`: zeros of the input's shape with `grad` in the sliced region. */
export const sliceBackwardDef: OpDef<SliceAttrs & { inputShape: number[] }> = {
  name: 'sliceBackward',
  gradFn: 'SliceBackwardBackward0',
  forward([g], { inputShape, ...slice }) {
    const out = Tensor._empty(inputShape, g.dtype);
    copyStrided(sliceDef.forward([out], slice) as Tensor, g);
    return out;
  },
  backward: ({ grad, attrs: { dim, start, end, step } }) => [sliceDim(grad, dim, start, end, step)],
  doc: { torch: 'torch.slice_backward', example: '(backward of slice)', rule: 'grad sliced' },
};

/** `a.select(dim, index)` (negative index counts from the end). */
export function select(a: Tensor, dim: number, index: number): Tensor {
  if (a.shape.length === 0) throw new IndexError('select() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, a.shape.length);
  const size = a.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new IndexError(`select(): index ${index} out of range for tensor of size ${formatShape(a.shape)} at dimension ${d}`);
  }
  return run1(selectDef, [a], { dim: d, index: index < 0 ? index + size : index });
}

/**
 * ATen's `slice(dim, start, end, step)`: bounds are clamped like Python's (negative ones count
 * from the end; null means the whole range).
 */
export function sliceDim(a: Tensor, dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
  if (a.shape.length === 0) throw new RuntimeError('slice() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, a.shape.length);
  if (step <= 0) throw new RuntimeError('slice step must be positive');
  const size = a.shape[d];
  let s = start ?? 0;
  let e = end ?? size;
  if (s < 0) s += size;
  if (e < 0) e += size;
  s = s < 0 ? 0 : s > size ? size : s;
  e = e < s ? s : e > size ? size : e;
  return run1(sliceDef, [a], { dim: d, start: s, end: e, step });
}

/** `torch.narrow(a, dim, start, length)`: a slice of `length` elements (SliceBackward0). */
export function narrow(a: Tensor, dim: number, start: number, length: number): Tensor {
  if (a.shape.length === 0) throw new RuntimeError('narrow() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, a.shape.length);
  const size = a.shape[d];
  if (start < -size || start > size) {
    throw new IndexError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  }
  const s = start < 0 ? start + size : start;
  if (length < 0) throw new RuntimeError('narrow(): length must be non-negative.');
  if (s + length > size) {
    throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  }
  return run1(sliceDef, [a], { dim: d, start: s, end: s + length, step: 1 });
}

declare module '../tensor' {
  interface Tensor {
    select(dim: number, index: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
  }
}
const proto = Tensor.prototype;
proto.select = function (dim, index) { return select(this, dim, index); };
proto.narrow = function (dim, start, length) { return narrow(this, dim, start, length); };
