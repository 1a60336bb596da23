import { isFloating, scalarTypeName, type DType } from '../dtype';
import { RuntimeError } from '../errors';
import { normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { reduceDims } from './kernels';
import { defaultDtype } from './promote';
import { run1, type OpDef } from './registry';

/**
 * Reductions. Sums accumulate in float64 and round once, which is at least as accurate as
 * PyTorch's blocked float32 sums (results agree within the oracle's reduction tolerance).
 */

interface ReduceAttrs { dims: number[] | null; keepdim: boolean; dtype: DType }

function allDims(a: Tensor): number[] {
  return a.shape.map((_, i) => i);
}

/** Normalised, sorted, de-duplicated reduction dims (PyTorch errors on repeats). */
export function reductionDims(a: Tensor, dim: number | readonly number[]): number[] {
  const list = typeof dim === 'number' ? [dim] : dim;
  const out = list.map((d) => normalizeDim(d, a.shape.length));
  const set = new Set(out);
  if (set.size !== out.length) {
    const dup = out.find((d, i) => out.indexOf(d) !== i);
    throw new RuntimeError(`dim ${dup} appears multiple times in the list of dims`);
  }
  return [...set].sort((x, y) => x - y);
}

/** The gradient of a reduction, broadcast back over the reduced dims. */
function expandReduced(grad: Tensor, inputShape: readonly number[], dims: number[] | null, keepdim: boolean): Tensor {
  if (dims === null) return grad.expand(inputShape);
  let g = grad;
  if (!keepdim && inputShape.length > 0) {
    for (const d of dims) g = g.unsqueeze(d);
  }
  return g.expand(inputShape);
}

export const sumDef: OpDef<ReduceAttrs> = {
  name: 'sum',
  gradFn: (a) => (a.dims === null ? 'SumBackward0' : 'SumBackward1'),
  forward: ([a], { dims, keepdim, dtype }) =>
    reduceDims(a, dims ?? allDims(a), dims === null ? false : keepdim, dtype, 0, (acc, x) => acc + x),
  backward: ({ grad, inputMeta, attrs: { dims, keepdim } }) => [expandReduced(grad, inputMeta[0].shape, dims, keepdim)],
  doc: { torch: 'torch.sum', example: 'a.sum(1, { keepdim: true })', rule: 'grad broadcast back over the summed dims' },
};

export const meanDef: OpDef<ReduceAttrs> = {
  name: 'mean',
  gradFn: (a) => (a.dims === null ? 'MeanBackward0' : 'MeanBackward1'),
  forward: ([a], { dims, keepdim, dtype }) =>
    reduceDims(a, dims ?? allDims(a), dims === null ? false : keepdim, dtype, 0, (acc, x) => acc + x, (acc, n) => acc / n),
  backward: ({ grad, inputMeta, attrs: { dims, keepdim } }) => {
    const shape = inputMeta[0].shape;
    const count = (dims ?? shape.map((_, i) => i)).reduce((n, d) => n * shape[d], 1);
    return [expandReduced(grad, shape, dims, keepdim).div(count)];
  },
  doc: { torch: 'torch.mean', example: 'a.mean(0)', rule: 'grad / n broadcast back' },
};

export interface ReduceOptions { keepdim?: boolean; dtype?: DType }

function sumDtype(a: Tensor, requested?: DType): DType {
  if (requested) return requested;
  return isFloating(a.dtype) ? a.dtype : 'int64';
}

export function sum(a: Tensor, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  const dtype = sumDtype(a, options.dtype);
  if (dim === undefined || dim === null) return run1(sumDef, [a], { dims: null, keepdim: false, dtype });
  return run1(sumDef, [a], { dims: reductionDims(a, dim), keepdim: options.keepdim ?? false, dtype });
}

export function mean(a: Tensor, dim?: number | readonly number[] | null, options: ReduceOptions = {}): Tensor {
  const dtype = options.dtype ?? a.dtype;
  if (!isFloating(dtype)) {
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(a.dtype)}`);
  }
  if (dim === undefined || dim === null) return run1(meanDef, [a], { dims: null, keepdim: false, dtype });
  return run1(meanDef, [a], { dims: reductionDims(a, dim), keepdim: options.keepdim ?? false, dtype });
}

/**
 * Sums `a` down to `shape` (the inverse of broadcasting `shape` to a.shape). Used by expand's
 * backward and by the engine to un-broadcast gradients — the one place that does it.
 */
export function sumToSize(a: Tensor, shape: readonly number[]): Tensor {
  const lead = a.shape.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < a.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && a.shape[i] !== 1)) dims.push(i);
  }
  if (dims.length === 0) return a.shape.length === shape.length ? a : a.reshape(shape);
  let r = sum(a, dims, { keepdim: true });
  if (lead > 0) r = r.reshape(shape);
  return r;
}

void defaultDtype;

declare module '../tensor' {
  interface Tensor {
    sum(dim?: number | readonly number[] | null, options?: ReduceOptions): Tensor;
    mean(dim?: number | readonly number[] | null, options?: ReduceOptions): Tensor;
    sumToSize(shape: readonly number[]): Tensor;
  }
}
const proto = Tensor.prototype;
proto.sum = function (dim, options) { return sum(this, dim, options); };
proto.mean = function (dim, options) { return mean(this, dim, options); };
proto.sumToSize = function (shape) { return sumToSize(this, shape); };
