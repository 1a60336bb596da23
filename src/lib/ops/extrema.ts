import { allocate } from '../dtype';
import { IndexError, RuntimeError } from '../errors';
import { normalizeDim, numelOf } from '../shape';
import { Tensor } from '../tensor';
import { contiguousTensor, dimLayout, reduceDims } from './kernels';
import { run, run1, type OpDef } from './registry';
import { maximum, minimum, where } from './selection';
import { eq } from './comparison';
import { allDims, dimArgs, reducedShape, reductionDims, restoreReduced, type DimArg, type KeepdimOptions } from './reduceArgs';

/**
 * Extrema: max/min (full, along a dim with indices, or of two tensors), amax/amin and
 * argmax/argmin. NaN propagates (it counts as the extremum) and ties go to the first occurrence,
 * as in PyTorch; full reductions and amax/amin share the gradient evenly among tied extrema.
 */

/** Strict "better" tests with NaN winning over everything (PyTorch propagates NaN). */
export const beatsMax = (x: number, best: number): boolean => x > best || (x !== x && best === best);
export const beatsMin = (x: number, best: number): boolean => x < best || (x !== x && best === best);

/** PyTorch's `torch.return_types.max` / `min`: `{ values, indices }`, also `[values, indices]`. */
export class ValuesIndices {
  constructor(readonly values: Tensor, readonly indices: Tensor, private readonly kind = 'max') {}
  get 0(): Tensor { return this.values; }
  get 1(): Tensor { return this.indices; }
  get length(): 2 { return 2; }
  *[Symbol.iterator](): IterableIterator<Tensor> {
    yield this.values;
    yield this.indices;
  }
  toString(): string {
    return `torch.return_types.${this.kind}(\nvalues=${this.values.toString()},\nindices=${this.indices.toString()})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Values and (first) indices of the extremum along `dim`. */
function extremumAlongDim(a: Tensor, dim: number, keepdim: boolean, beats: (x: number, best: number) => boolean,
  wantValues: boolean): Tensor[] {
  const c = contiguousTensor(a);
  const src = c._data, off = c.offset;
  const { outer, size, inner } = dimLayout(a.shape, dim);
  if (size === 0) {
    throw new IndexError(`max(): Expected reduction dim ${dim} to have non-zero size.`);
  }
  const n = outer * inner;
  const values = wantValues ? allocate(a.dtype, n) : null;
  const indices = allocate('int64', n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = off + o * size * inner + i;
      let best = src[base];
      let at = 0;
      for (let k = 1; k < size; k++) {
        const v = src[base + k * inner];
        if (beats(v, best)) { best = v; at = k; }
      }
      if (values) values[o * inner + i] = best;
      indices[o * inner + i] = at;
    }
  }
  const shape = a.dim() === 0 ? [] : reducedShape(a.shape, [dim], keepdim);
  const outs = [Tensor._fromData(indices, shape, 'int64')];
  if (values) outs.unshift(Tensor._fromData(values, shape, a.dtype));
  return outs;
}

/** The full-reduction extremum (NaN propagating). */
function extremumAll(a: Tensor, beats: (x: number, best: number) => boolean, name: string): Tensor {
  const n = a.numel();
  if (n === 0) {
    throw new RuntimeError(
      `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
  let best = a._get(0);
  for (let i = 1; i < n; i++) {
    const v = a._get(i);
    if (beats(v, best)) best = v;
  }
  const out = allocate(a.dtype, 1);
  out[0] = best;
  return Tensor._fromData(out, [], a.dtype);
}

/** `grad` spread evenly over the elements equal to `value` (NaN matches NaN): ATen's evenly_distribute_backward. */
function evenlyDistribute(grad: Tensor, input: Tensor, value: Tensor): Tensor {
  const v = value.item();
  const mask = v !== v ? input.isnan() : eq(input, value);
  return where(mask, grad.div(mask.sum()), 0);
}

interface DimKeepAttrs { dim: number; keepdim: boolean }

function selectedBackward(grad: Tensor, indices: Tensor, inputShape: readonly number[], dim: number, keepdim: boolean): Tensor {
  // A one-hot mask of the returned indices along dim (ATen scatters the gradient there).
  const n = numelOf(inputShape);
  const mask = allocate('bool', n);
  const { outer, size, inner } = dimLayout(inputShape, dim);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const k = indices._get(o * inner + i);
      mask[(o * size + k) * inner + i] = 1;
    }
  }
  const g = keepdim || inputShape.length === 0 ? grad : grad.unsqueeze(dim);
  return where(Tensor._fromData(mask, inputShape, 'bool'), g, 0);
}

function maxMinDefs(name: 'max' | 'min', beats: (x: number, best: number) => boolean): [OpDef, OpDef<DimKeepAttrs>] {
  const Cap = name === 'max' ? 'Max' : 'Min';
  const all: OpDef = {
    name,
    gradFn: `${Cap}Backward1`,
    forward: ([a]) => extremumAll(a, beats, name),
    savesInputs: [0],
    savesOutputs: [0],
    backward: ({ grad, input, output }) => [evenlyDistribute(grad, input(0), output(0))],
    doc: { torch: `torch.${name}`, example: `a.${name}()`, rule: 'grad split evenly among the tied extrema' },
  };
  const alongDim: OpDef<DimKeepAttrs> = {
    name,
    gradFn: `${Cap}Backward0`,
    forward: ([a], { dim, keepdim }) => extremumAlongDim(a, dim, keepdim, beats, true),
    savesOutputs: [1],
    backward: ({ grad, output, inputMeta, attrs: { dim, keepdim } }) =>
      [selectedBackward(grad, output(1), inputMeta[0].shape, dim, keepdim)],
    doc: { torch: `torch.${name}`, example: `a.${name}(1)`, rule: 'grad to the returned index (first occurrence)' },
  };
  return [all, alongDim];
}

export const [maxDef, maxDimDef] = maxMinDefs('max', beatsMax);
export const [minDef, minDimDef] = maxMinDefs('min', beatsMin);

function maxMin(name: 'max' | 'min', a: Tensor, dim?: number | Tensor | (KeepdimOptions & { dim?: number }),
  options?: KeepdimOptions): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return name === 'max' ? maximum(a, dim) : minimum(a, dim);
  const [d, o] = dimArgs<KeepdimOptions & { dim?: number }>(dim, options);
  if (d === undefined || d === null) return run1(name === 'max' ? maxDef : minDef, [a], {});
  if (typeof d !== 'number') throw new RuntimeError(`${name}(): dim must be a single int`);
  const [values, indices] = run(name === 'max' ? maxDimDef : minDimDef, [a],
    { dim: normalizeDim(d, a.dim()), keepdim: o.keepdim ?? false });
  return new ValuesIndices(values, indices, name);
}


/** `torch.max(a)` → 0-dim tensor; `torch.max(a, dim)` → { values, indices }; `torch.max(a, b)` → maximum. */
export function max(a: Tensor): Tensor;
export function max(a: Tensor, other: Tensor): Tensor;
export function max(a: Tensor, dim: number, options?: KeepdimOptions): ValuesIndices;
export function max(a: Tensor, options: KeepdimOptions & { dim: number }): ValuesIndices;
export function max(a: Tensor, dim?: number | Tensor | (KeepdimOptions & { dim?: number }), options?: KeepdimOptions): Tensor | ValuesIndices {
  return maxMin('max', a, dim, options);
}

/** `torch.min(a)` → 0-dim tensor; `torch.min(a, dim)` → { values, indices }; `torch.min(a, b)` → minimum. */
export function min(a: Tensor): Tensor;
export function min(a: Tensor, other: Tensor): Tensor;
export function min(a: Tensor, dim: number, options?: KeepdimOptions): ValuesIndices;
export function min(a: Tensor, options: KeepdimOptions & { dim: number }): ValuesIndices;
export function min(a: Tensor, dim?: number | Tensor | (KeepdimOptions & { dim?: number }), options?: KeepdimOptions): Tensor | ValuesIndices {
  return maxMin('min', a, dim, options);
}

// ------------------------------------------------------------------------------------------ amax / amin

interface DimsKeepAttrs { dims: number[]; keepdim: boolean }

function amaxAminDef(name: 'amax' | 'amin', beats: (x: number, best: number) => boolean): OpDef<DimsKeepAttrs> {
  const init = name === 'amax' ? -Infinity : Infinity;
  return {
    name,
    gradFn: name === 'amax' ? 'AmaxBackward0' : 'AminBackward0',
    forward: ([a], { dims, keepdim }) => {
      if (a.numel() === 0) {
        const empty = dims.find((d) => a.shape[d] === 0);
        if (dims.length === a.dim() || empty === undefined) {
          throw new RuntimeError(
            `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
        }
        throw new IndexError(`${name}(): Expected reduction dim ${empty} to have non-zero size.`);
      }
      return reduceDims(a, dims, keepdim, a.dtype, init, (acc, x) => (beats(x, acc) ? x : acc));
    },
    savesInputs: [0],
    savesOutputs: [0],
    backward: ({ grad, input, output, attrs: { dims, keepdim } }) => {
      // ATen's scale_grad_by_count: grad / (number of ties) at each extremum.
      const x = input(0);
      const mask = eq(restoreReduced(output(0), x.shape, dims, keepdim), x);
      const g = restoreReduced(grad, x.shape, dims, keepdim);
      return [g.div(mask.sum(dims, { keepdim: true })).mul(mask)];
    },
    doc: { torch: `torch.${name}`, example: `torch.${name}(a, 1)`, rule: 'grad split evenly among the tied extrema of each slice' },
  };
}

export const amaxDef = amaxAminDef('amax', beatsMax);
export const aminDef = amaxAminDef('amin', beatsMin);

function amaxAmin(def: OpDef<DimsKeepAttrs>, a: Tensor, dim?: DimArg | (KeepdimOptions & { dim?: DimArg }),
  options?: KeepdimOptions): Tensor {
  const [d, o] = dimArgs<KeepdimOptions & { dim?: DimArg }>(dim, options);
  const dims = d === undefined || d === null ? allDims(a) : reductionDims(a, d);
  return run1(def, [a], { dims, keepdim: o.keepdim ?? false });
}

/** `torch.amax(a, dim=(), keepdim=False)`: the maximum over `dim` (all dims by default). */
export function amax(a: Tensor, dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor {
  return amaxAmin(amaxDef, a, dim, options);
}
export function amin(a: Tensor, dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor {
  return amaxAmin(aminDef, a, dim, options);
}

// ------------------------------------------------------------------------------------------ argmax / argmin

interface ArgAttrs { dim: number | null; keepdim: boolean }

function argDef(name: 'argmax' | 'argmin', beats: (x: number, best: number) => boolean): OpDef<ArgAttrs> {
  return {
    name,
    gradFn: name === 'argmax' ? 'ArgmaxBackward0' : 'ArgminBackward0',
    forward: ([a], { dim, keepdim }) => {
      if (dim === null) {
        if (a.numel() === 0) {
          throw new IndexError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.`);
        }
        const flat = contiguousTensor(a);
        const [idx] = extremumAlongDim(Tensor._fromData(flat._toArray(), [a.numel()], a.dtype), 0, false, beats, false);
        return keepdim ? Tensor._fromData(idx._data, a.shape.map(() => 1), 'int64') : idx;
      }
      return extremumAlongDim(a, dim, keepdim, beats, false)[0];
    },
    doc: { torch: `torch.${name}`, example: `torch.${name}(a, { dim: 1 })` },
  };
}

export const argmaxDef = argDef('argmax', beatsMax);
export const argminDef = argDef('argmin', beatsMin);

function argCall(def: OpDef<ArgAttrs>, a: Tensor, dim?: number | null | (KeepdimOptions & { dim?: number | null }),
  options?: KeepdimOptions): Tensor {
  const [d, o] = dimArgs<KeepdimOptions & { dim?: number | null }>(dim, options);
  if (d !== undefined && d !== null && typeof d !== 'number') throw new RuntimeError(`${def.name}(): dim must be a single int`);
  return run1(def, [a], { dim: d === undefined || d === null ? null : normalizeDim(d, a.dim()), keepdim: o.keepdim ?? false });
}

/** `torch.argmax(a, dim=None, keepdim=False)`: index of the first maximum (NaN counts as maximal). */
export function argmax(a: Tensor, dim?: number | null | (KeepdimOptions & { dim?: number | null }), options?: KeepdimOptions): Tensor {
  return argCall(argmaxDef, a, dim, options);
}
export function argmin(a: Tensor, dim?: number | null | (KeepdimOptions & { dim?: number | null }), options?: KeepdimOptions): Tensor {
  return argCall(argminDef, a, dim, options);
}

// ------------------------------------------------------------------------------------------ methods

declare module '../tensor' {
  interface Tensor {
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(dim: number, options?: KeepdimOptions): ValuesIndices;
    max(options: KeepdimOptions & { dim: number }): ValuesIndices;
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(dim: number, options?: KeepdimOptions): ValuesIndices;
    min(options: KeepdimOptions & { dim: number }): ValuesIndices;
    amax(dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor;
    amin(dim?: DimArg | (KeepdimOptions & { dim?: DimArg }), options?: KeepdimOptions): Tensor;
    argmax(dim?: number | null | (KeepdimOptions & { dim?: number | null }), options?: KeepdimOptions): Tensor;
    argmin(dim?: number | null | (KeepdimOptions & { dim?: number | null }), options?: KeepdimOptions): Tensor;
  }
}

const proto = Tensor.prototype;
proto.max = function (this: Tensor, dim?: number | Tensor | (KeepdimOptions & { dim?: number }), options?: KeepdimOptions) {
  return maxMin('max', this, dim, options);
} as Tensor['max'];
proto.min = function (this: Tensor, dim?: number | Tensor | (KeepdimOptions & { dim?: number }), options?: KeepdimOptions) {
  return maxMin('min', this, dim, options);
} as Tensor['min'];
proto.amax = function (dim, options) { return amax(this, dim, options); };
proto.amin = function (dim, options) { return amin(this, dim, options); };
proto.argmax = function (dim, options) { return argmax(this, dim, options); };
proto.argmin = function (dim, options) { return argmin(this, dim, options); };
