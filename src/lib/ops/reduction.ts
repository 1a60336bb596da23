import { allocate, isFloating, scalarTypeName, type DType } from '../dtype';
import { RuntimeError, warn } from '../errors';
import { normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { binaryMap, contiguousTensor, dimLayout, reduceDims, sumDims } from './kernels';
import { defaultDtype } from './promote';
import { run1, type OpDef } from './registry';
import { divScalar, mulScalar } from './pointwise';
import { where } from './selection';
import { eq } from './comparison';
import { beatsMax } from './extrema';
import {
  allDims, coveredDims, dimArgs, expandReduced, reducedCount, reducedShape, reductionDims, restoreReduced,
  type DimArg, type KeepdimOptions,
} from './reduceArgs';

/**
 * Reductions: sum, mean, prod, logsumexp, var/std, all/any, cumsum (the extrema are in
 * extrema.ts). Accumulation is in float64, rounded once into the output
 * dtype, which is at least as accurate as PyTorch's blocked float32 sums (results agree within the
 * oracle's reduction tolerance).
 */

/** `dims: null` is the full reduction overload (SumBackward0); a list the dim overload. */
interface ReduceAttrs { dims: number[] | null; keepdim: boolean; dtype: DType }

// ------------------------------------------------------------------------------------------ sum / mean

export const sumDef: OpDef<ReduceAttrs> = {
  name: 'sum',
  gradFn: (a) => (a.dims === null ? 'SumBackward0' : 'SumBackward1'),
  forward: ([a], { dims, keepdim, dtype }) => sumDims(a, coveredDims(dims, a.shape), dims === null ? false : keepdim, dtype),
  backward: ({ grad, inputMeta, attrs: { dims, keepdim } }) => [expandReduced(grad, inputMeta[0].shape, dims, keepdim)],
  doc: { torch: 'torch.sum', example: 'a.sum(1, { keepdim: true })', rule: 'grad broadcast back over the summed dims' },
};

export const meanDef: OpDef<ReduceAttrs> = {
  name: 'mean',
  gradFn: (a) => (a.dims === null ? 'MeanBackward0' : 'MeanBackward1'),
  forward: ([a], { dims, keepdim, dtype }) => {
    const covered = coveredDims(dims, a.shape);
    return sumDims(a, covered, dims === null ? false : keepdim, dtype, reducedCount(a.shape, covered));
  },
  backward: ({ grad, inputMeta, attrs: { dims, keepdim } }) => {
    const shape = inputMeta[0].shape;
    return [divScalar(expandReduced(grad, shape, dims, keepdim), reducedCount(shape, dims))];
  },
  doc: { torch: 'torch.mean', example: 'a.mean(0)', rule: 'grad / n broadcast back' },
};

export interface ReduceOptions { keepdim?: boolean; dtype?: DType }
export interface DimReduceOptions extends ReduceOptions { dim?: number | readonly number[] | null }

function sumDtype(a: Tensor, requested?: DType): DType {
  if (requested) return requested;
  return isFloating(a.dtype) ? a.dtype : 'int64';
}

export function sum(a: Tensor, dim?: DimArg | DimReduceOptions, options?: DimReduceOptions): Tensor {
  const [d, o] = dimArgs(dim, options);
  const dtype = sumDtype(a, o.dtype);
  if (d === undefined || d === null) return run1(sumDef, [a], { dims: null, keepdim: false, dtype });
  return run1(sumDef, [a], { dims: reductionDims(a, d), keepdim: o.keepdim ?? false, dtype });
}

export function mean(a: Tensor, dim?: DimArg | DimReduceOptions, options?: DimReduceOptions): Tensor {
  const [d, o] = dimArgs(dim, options);
  const dtype = o.dtype ?? a.dtype;
  if (!isFloating(dtype)) {
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(dtype)}`);
  }
  if (d === undefined || d === null) return run1(meanDef, [a], { dims: null, keepdim: false, dtype });
  return run1(meanDef, [a], { dims: reductionDims(a, d), keepdim: o.keepdim ?? false, dtype });
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

// ------------------------------------------------------------------------------------------ prod

interface ProdAttrs { dim: number | null; keepdim: boolean; dtype: DType }

/** Product along one dim (or all), accumulated in double. */
function prodForward(a: Tensor, dim: number | null, keepdim: boolean, dtype: DType): Tensor {
  const dims = dim === null ? allDims(a) : [dim];
  return reduceDims(a, dims, dim === null ? false : keepdim, dtype, 1, (acc, x) => acc * x);
}

/**
 * Product of the *other* elements along `dim`: out_i = Π_{j≠i} x_j, by prefix and suffix
 * products (exact with zeros, unlike result/x). Used by prod's backward when the input has zeros.
 */
export const prodOthersDef: OpDef<{ dim: number }> = {
  name: 'prodOthers',
  gradFn: 'ProdOthersBackward0',
  forward: ([x], { dim }) => {
    const c = contiguousTensor(x);
    const src = c._data, off = c.offset;
    const { outer, size, inner } = dimLayout(x.shape, dim);
    const out = allocate(x.dtype, x.numel());
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * size * inner + i;
        let prefix = 1;
        for (let k = 0; k < size; k++) { out[base + k * inner] = prefix; prefix *= src[off + base + k * inner]; }
        let suffix = 1;
        for (let k = size - 1; k >= 0; k--) {
          const j = base + k * inner;
          out[j] = out[j] * suffix;
          suffix *= src[off + j];
        }
      }
    }
    return Tensor._fromData(out, x.shape, x.dtype);
  },
  savesInputs: [0],
  backward: ({ grad, input, attrs: { dim } }) => [prodOthersBackward(grad, input(0), dim)],
  doc: {
    torch: 'torch.prod (backward helper)', example: 'prodOthers(x, 0) (internal)',
    rule: '∂/∂x_k = Σ_{i≠k} grad_i·Π_{j≠i,k} x_j',
  },
};

function prodOthers(x: Tensor, dim: number): Tensor {
  return run1(prodOthersDef, [x], { dim });
}

/**
 * Σ_{i≠k} G_i·Π_{j≠i,k} x_j with tensor ops (so it differentiates again): row i of an (n × n)
 * expansion holds x with x_i replaced by 1; its products-of-others, zeroed on the diagonal and
 * weighted by G_i, summed over i.
 */
function prodOthersBackward(grad: Tensor, x: Tensor, dim: number): Tensor {
  const n = x.shape[dim];
  const pairShape = [...x.shape.slice(0, dim), n, n, ...x.shape.slice(dim + 1)];
  const diag = allocate('bool', n * n);
  for (let i = 0; i < n; i++) diag[i * n + i] = 1;
  const eyeShape = pairShape.map((s, d) => (d === dim || d === dim + 1 ? s : 1));
  const eye = Tensor._fromData(diag, eyeShape, 'bool');
  const rows = where(eye, 1, x.unsqueeze(dim).expand(pairShape));
  const others = where(eye, 0, prodOthers(rows, dim + 1));
  return grad.unsqueeze(dim + 1).mul(others).sum(dim);
}

function hasZero(t: Tensor): boolean {
  const n = t.numel();
  for (let i = 0; i < n; i++) if (t._get(i) === 0) return true;
  return false;
}

export const prodDef: OpDef<ProdAttrs> = {
  name: 'prod',
  gradFn: (a) => (a.dim === null ? 'ProdBackward0' : 'ProdBackward1'),
  forward: ([a], { dim, keepdim, dtype }) => prodForward(a, dim, keepdim, dtype),
  savesInputs: [0],
  savesOutputs: [0],
  backward: ({ grad, input, output, attrs: { dim, keepdim } }) => {
    const x = input(0);
    if (x.dim() === 0) return [grad];
    if (dim === null) {
      if (!hasZero(x)) return [grad.mul(output(0).div(x))];
      return [grad.mul(prodOthers(x.reshape(-1), 0).reshape(x.shape))];
    }
    const g = keepdim ? grad : grad.unsqueeze(dim);
    if (!hasZero(x)) {
      const r = keepdim ? output(0) : output(0).unsqueeze(dim);
      return [g.mul(r.div(x))];
    }
    return [g.mul(prodOthers(x, dim))];
  },
  doc: { torch: 'torch.prod', example: 'a.prod(1)', rule: 'grad·Π of the other elements (= grad·prod/a without zeros)' },
};

export function prod(a: Tensor, dim?: number | null | ReduceOptions & { dim?: number | null }, options?: ReduceOptions): Tensor {
  const [d, o] = dimArgs<ReduceOptions & { dim?: number | null }>(dim, options);
  const dtype = sumDtype(a, o.dtype);
  if (d === undefined || d === null) return run1(prodDef, [a], { dim: null, keepdim: false, dtype });
  if (typeof d !== 'number') throw new RuntimeError('prod(): dim must be a single int');
  return run1(prodDef, [a], { dim: normalizeDim(d, a.dim()), keepdim: o.keepdim ?? false, dtype });
}

// ------------------------------------------------------------------------------------------ logsumexp

interface DimsKeepAttrs { dims: number[]; keepdim: boolean }

/** log Σ exp over `dims`, shifted by the maximum (an infinite maximum shifts by 0, as ATen does). */
function logsumexpForward(a: Tensor, dims: number[], keepdim: boolean, dtype: DType): Tensor {
  const maxes = reduceDims(a, dims, true, 'float64', -Infinity, (acc, x) => (beatsMax(x, acc) ? x : acc));
  const md = maxes._data;
  for (let i = 0; i < md.length; i++) if (Math.abs(md[i]) === Infinity) md[i] = 0;
  const shifted = binaryMap(a, maxes, 'float64', (x, m) => Math.exp(x - m));
  const sums = sumDims(shifted, dims, true, 'float64');
  const out = allocate(dtype, sums.numel());
  const sd = sums._data, so = sums.offset;
  for (let i = 0; i < out.length; i++) out[i] = Math.log(sd[so + i]) + md[i];
  return Tensor._fromData(out, reducedShape(a.shape, dims, keepdim), dtype);
}

export const logsumexpDef: OpDef<DimsKeepAttrs> = {
  name: 'logsumexp',
  gradFn: 'LogsumexpBackward0',
  forward: ([a], { dims, keepdim }) => logsumexpForward(a, dims, keepdim, isFloating(a.dtype) ? a.dtype : defaultDtype()),
  savesInputs: [0],
  savesOutputs: [0],
  backward: ({ grad, input, output, attrs: { dims, keepdim } }) => {
    const x = input(0);
    const g = restoreReduced(grad, x.shape, dims, keepdim);
    const r = restoreReduced(output(0), x.shape, dims, keepdim);
    return [g.mul(x.sub(r).exp())];
  },
  doc: { torch: 'torch.logsumexp', example: 'torch.logsumexp(a, 1)', rule: 'grad·softmax(a) over the reduced dims' },
};

/** `torch.logsumexp(a, dim, keepdim=False)` (dim is required, as in PyTorch). */
export function logsumexp(a: Tensor, dim: number | readonly number[] | (KeepdimOptions & { dim: number | readonly number[] }),
  options?: KeepdimOptions): Tensor {
  const [d, o] = dimArgs<KeepdimOptions & { dim?: DimArg }>(dim, options);
  if (d === undefined || d === null) throw new RuntimeError('logsumexp(): argument \'dim\' must be specified');
  return run1(logsumexpDef, [a], { dims: reductionDims(a, d), keepdim: o.keepdim ?? false });
}

// ------------------------------------------------------------------------------------------ var / std

interface VarAttrs { dims: number[] | null; correction: number; keepdim: boolean }

function varForward(a: Tensor, dims: number[] | null, correction: number, keepdim: boolean, sqrt: boolean, name: string): Tensor {
  if (!isFloating(a.dtype)) {
    throw new RuntimeError(`std and var only support floating point and complex dtypes`);
  }
  const covered = coveredDims(dims, a.shape);
  const n = reducedCount(a.shape, covered);
  if (n - correction <= 0) {
    warn(`${name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor ` +
      '(input numel divided by output numel).', true);
  }
  const means = sumDims(a, covered, true, 'float64', n);
  const sq = binaryMap(a, means, 'float64', (x, m) => (x - m) * (x - m));
  const m2 = sumDims(sq, covered, true, 'float64');
  const divisor = Math.max(0, n - correction);
  const out = allocate(a.dtype, m2.numel());
  const md = m2._data, mo = m2.offset;
  for (let i = 0; i < out.length; i++) {
    const v = md[mo + i] / divisor;
    out[i] = sqrt ? Math.sqrt(v) : v;
  }
  return Tensor._fromData(out, dims === null && !keepdim ? [] : reducedShape(a.shape, covered, keepdim), a.dtype);
}

/** ATen's var_backward: (2/(n − correction))·grad·(x − mean). */
function varBackward(grad: Tensor, x: Tensor, dims: number[] | null, correction: number, keepdim: boolean): Tensor {
  if (x.dim() === 0 || dims === null) {
    const dof = x.numel() - correction;
    if (dof <= 0) return grad.mul(where(eq(x, x.mean()), NaN, Infinity));
    return mulScalar(grad, 2 / dof).mul(x.sub(x.mean()));
  }
  const g = !keepdim && x.dim() > 1 ? restoreReduced(grad, x.shape, dims, false) : grad;
  const dof = reducedCount(x.shape, dims) - correction;
  return mulScalar(g, 2 / dof).mul(x.sub(x.mean(dims, { keepdim: true })));
}

export const varDef: OpDef<VarAttrs> = {
  name: 'var',
  gradFn: 'VarBackward0',
  forward: ([a], { dims, correction, keepdim }) => varForward(a, dims, correction, keepdim, false, 'var'),
  savesInputs: [0],
  backward: ({ grad, input, attrs: { dims, correction, keepdim } }) => [varBackward(grad, input(0), dims, correction, keepdim)],
  doc: { torch: 'torch.var', example: 'a.var(1, { unbiased: false })', rule: '2·grad·(a − mean)/(n − correction)' },
};

export const stdDef: OpDef<VarAttrs> = {
  name: 'std',
  gradFn: 'StdBackward0',
  forward: ([a], { dims, correction, keepdim }) => varForward(a, dims, correction, keepdim, true, 'std'),
  savesInputs: [0],
  savesOutputs: [0],
  backward: ({ grad, input, output, attrs: { dims, correction, keepdim } }) => {
    const r = output(0);
    const gradVar = where(eq(r, 0), 0, grad.div(mulScalar(r, 2)));
    return [varBackward(gradVar, input(0), dims, correction, keepdim)];
  },
  doc: { torch: 'torch.std', example: 'a.std(0)', rule: 'grad·(a − mean)/((n − correction)·std)' },
};

export interface VarOptions extends KeepdimOptions {
  dim?: number | readonly number[] | null;
  /** Bessel's correction on (default) or off. */
  unbiased?: boolean;
  /** The divisor is n − correction (default 1). */
  correction?: number;
}

function varCall(def: OpDef<VarAttrs>, a: Tensor, dim?: DimArg | boolean | VarOptions, options?: VarOptions): Tensor {
  if (typeof dim === 'boolean') { options = { ...options, unbiased: dim }; dim = undefined; }
  const [d, o] = dimArgs<VarOptions>(dim, options);
  if (o.unbiased !== undefined && o.correction !== undefined) {
    throw new RuntimeError('Cannot specify both unbiased and correction');
  }
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  const dims = d === undefined || d === null ? null : reductionDims(a, d);
  return run1(def, [a], { dims, correction, keepdim: o.keepdim ?? false });
}

/** `torch.var(a, dim=None, *, correction=1, keepdim=False)`; also `unbiased` and `var(a, unbiased)`. */
export function variance(a: Tensor, dim?: DimArg | boolean | VarOptions, options?: VarOptions): Tensor {
  return varCall(varDef, a, dim, options);
}
export function std(a: Tensor, dim?: DimArg | boolean | VarOptions, options?: VarOptions): Tensor {
  return varCall(stdDef, a, dim, options);
}

// ------------------------------------------------------------------------------------------ all / any

function logicalReduceDef(name: 'all' | 'any'): OpDef<{ dims: number[]; keepdim: boolean }> {
  const isAll = name === 'all';
  return {
    name,
    gradFn: isAll ? 'AllBackward0' : 'AnyBackward0',
    forward: ([a], { dims, keepdim }) =>
      reduceDims(a, dims, keepdim, 'bool', isAll ? 1 : 0,
        isAll ? (acc, x) => (acc !== 0 && x !== 0 ? 1 : 0) : (acc, x) => (acc !== 0 || x !== 0 ? 1 : 0)),
    doc: { torch: `torch.${name}`, example: `torch.${name}(mask)` },
  };
}

export const allDef = logicalReduceDef('all');
export const anyDef = logicalReduceDef('any');

function logicalReduce(def: OpDef<{ dims: number[]; keepdim: boolean }>, a: Tensor,
  dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor {
  const [d, o] = dimArgs<KeepdimOptions & { dim?: DimArg }>(dim, options);
  if (d === undefined || d === null) return run1(def, [a], { dims: allDims(a), keepdim: false });
  return run1(def, [a], { dims: reductionDims(a, d), keepdim: o.keepdim ?? false });
}

/** `torch.all(a)` / `torch.all(a, dim, keepdim)`: bool. */
export function all(a: Tensor, dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor {
  return logicalReduce(allDef, a, dim, options);
}
export function any(a: Tensor, dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor {
  return logicalReduce(anyDef, a, dim, options);
}

// ------------------------------------------------------------------------------------------ cumsum

/** Running sums along `dim` (accumulated in double, like ATen's CPU kernel); `reverse` runs from the end. */
export const cumsumDef: OpDef<{ dim: number; dtype: DType; reverse: boolean }> = {
  name: 'cumsum',
  gradFn: 'CumsumBackward0',
  forward: ([a], { dim, dtype, reverse }) => {
    const c = contiguousTensor(a);
    const src = c._data, off = c.offset;
    const { outer, size, inner } = dimLayout(a.shape, dim);
    const out = allocate(dtype, a.numel());
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * size * inner + i;
        let acc = 0;
        for (let s = 0; s < size; s++) {
          const k = reverse ? size - 1 - s : s;
          acc += src[off + base + k * inner];
          out[base + k * inner] = acc;
        }
      }
    }
    return Tensor._fromData(out, a.shape, dtype);
  },
  // The gradient of a running sum is the running sum of the gradient taken from the other end.
  backward: ({ grad, attrs: { dim, reverse } }) => [run1(cumsumDef, [grad], { dim, dtype: grad.dtype, reverse: !reverse })],
  doc: { torch: 'torch.cumsum', example: 'torch.cumsum(a, 0)', rule: 'reversed cumulative sum of grad' },
};

export function cumsum(a: Tensor, dim: number | ({ dim: number } & { dtype?: DType }), options: { dtype?: DType } = {}): Tensor {
  const [d, o] = typeof dim === 'number' ? [dim, options] : [dim.dim, dim];
  const dtype = sumDtype(a, o.dtype);
  return run1(cumsumDef, [a], { dim: normalizeDim(d, a.dim()), dtype, reverse: false });
}

// ------------------------------------------------------------------------------------------ methods

declare module '../tensor' {
  interface Tensor {
    sum(dim?: DimArg | DimReduceOptions, options?: DimReduceOptions): Tensor;
    mean(dim?: DimArg | DimReduceOptions, options?: DimReduceOptions): Tensor;
    sumToSize(shape: readonly number[]): Tensor;
    prod(dim?: number | null | ReduceOptions & { dim?: number | null }, options?: ReduceOptions): Tensor;
    logsumexp(dim: number | readonly number[] | (KeepdimOptions & { dim: number | readonly number[] }), options?: KeepdimOptions): Tensor;
    var(dim?: DimArg | boolean | VarOptions, options?: VarOptions): Tensor;
    std(dim?: DimArg | boolean | VarOptions, options?: VarOptions): Tensor;
    all(dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor;
    any(dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor;
    cumsum(dim: number | ({ dim: number } & { dtype?: DType }), options?: { dtype?: DType }): Tensor;
  }
}

const proto = Tensor.prototype;
proto.sum = function (dim, options) { return sum(this, dim, options); };
proto.mean = function (dim, options) { return mean(this, dim, options); };
proto.sumToSize = function (shape) { return sumToSize(this, shape); };
proto.prod = function (dim, options) { return prod(this, dim, options); };
proto.logsumexp = function (dim, options) { return logsumexp(this, dim, options); };
proto.var = function (dim, options) { return variance(this, dim, options); };
proto.std = function (dim, options) { return std(this, dim, options); };
proto.all = function (dim, options) { return all(this, dim, options); };
proto.any = function (dim, options) { return any(this, dim, options); };
proto.cumsum = function (dim, options) { return cumsum(this, dim, options); };
