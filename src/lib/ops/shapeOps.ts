import { legacyTypeName } from '../dtype';
import { RuntimeError } from '../errors';
import { contiguousStrides, formatShape, inferShape, normalizeDim, numelOf, shapeFromArgs } from '../shape';
import { Tensor } from '../tensor';
import { inScope } from '../capture/hooks';
import { contiguousTensor } from './kernels';
import { run1, type BackwardContext, type OpDef } from './registry';

/**
 * Shape and view ops. Views share the input's storage (so in-place writes show through, as in
 * PyTorch); their backward rules only rearrange the gradient.
 */

/** A tensor over `t`'s storage with the given geometry (no autograd). */
export function viewOf(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(t._box, shape, t.dtype, strides, offset);
}

/**
 * Strides for viewing `t` as `shape` without copying, or null when impossible
 * (ATen's computeStride: each run of dims that is contiguous in memory can be regrouped).
 */
export function viewStrides(t: Tensor, shape: readonly number[]): number[] | null {
  const oldShape = t.shape, oldStrides = t.strides;
  if (t._contiguous || numelOf(oldShape) === 0) return contiguousStrides(shape);
  const newStrides = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

interface ShapeAttrs { shape: number[] }

export const viewDef: OpDef<ShapeAttrs> = {
  name: 'view',
  gradFn: 'ViewBackward0',
  isView: true,
  forward([a], { shape }) {
    const strides = viewStrides(a, shape);
    if (strides === null) {
      throw new RuntimeError(
        "view size is not compatible with input tensor's size and stride (at least one dimension spans " +
        'across two contiguous subspaces). Use .reshape(...) instead.');
    }
    return viewOf(a, shape, strides, a.offset);
  },
  backward: ({ grad, inputMeta }) => [grad.reshape(inputMeta[0].shape)],
  doc: { torch: 'Tensor.view', example: 'a.view(3, -1)', rule: 'grad reshaped back' },
};

/** The _unsafe_view that matmul uses to restore batch dims (UnsafeViewBackward0); not a view. */
export const unsafeViewDef: OpDef<ShapeAttrs> = {
  name: 'unsafeView',
  gradFn: 'UnsafeViewBackward0',
  forward([a], { shape }) {
    const c = contiguousTensor(a);
    return new Tensor(c._box, shape, c.dtype, contiguousStrides(shape), c.offset);
  },
  backward: ({ grad, inputMeta }) => [grad.reshape(inputMeta[0].shape)],
  doc: { torch: 'torch._unsafe_view', example: '(internal: matmul)', rule: 'grad reshaped back' },
};

/** `at::alias`: the same data under a new autograd node (`x[...]`, `x[:, :]`). */
export const aliasDef: OpDef = {
  name: 'alias',
  gradFn: 'AliasBackward0',
  isView: true,
  forward: ([a]) => viewOf(a, a.shape, a.strides, a.offset),
  backward: ({ grad }) => [grad],
  doc: { torch: 'torch.alias', example: 'a.index("...")', rule: 'grad' },
};

interface Dims2 { dim0: number; dim1: number }

function transposed(a: Tensor, d0: number, d1: number): Tensor {
  const shape = a.shape.slice();
  const strides = a.strides.slice();
  if (shape.length > 0) {
    [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
    [strides[d0], strides[d1]] = [strides[d1], strides[d0]];
  }
  return viewOf(a, shape, strides, a.offset);
}

export const transposeDef: OpDef<Dims2> = {
  name: 'transpose',
  gradFn: 'TransposeBackward0',
  isView: true,
  forward: ([a], { dim0, dim1 }) => transposed(a, dim0, dim1),
  backward: ({ grad, attrs: { dim0, dim1 } }) => [grad.transpose(dim0, dim1)],
  doc: { torch: 'torch.transpose', example: 'torch.transpose(a, 0, 1)', rule: 'grad transposed back' },
};

export const tDef: OpDef = {
  name: 't',
  gradFn: 'TBackward0',
  isView: true,
  forward: ([a]) => (a.shape.length < 2 ? viewOf(a, a.shape, a.strides, a.offset) : transposed(a, 0, 1)),
  backward: ({ grad }) => [grad.t()],
  doc: { torch: 'torch.t', example: 'a.t()', rule: 'grad transposed back' },
};

export const permuteDef: OpDef<{ dims: number[] }> = {
  name: 'permute',
  gradFn: 'PermuteBackward0',
  isView: true,
  forward: ([a], { dims }) => viewOf(a, dims.map((d) => a.shape[d]), dims.map((d) => a.strides[d]), a.offset),
  backward: ({ grad, attrs: { dims } }) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => { inverse[d] = i; });
    return [grad.permute(inverse)];
  },
  doc: { torch: 'torch.permute', example: 'a.permute(2, 0, 1)', rule: 'grad permuted back' },
};

interface DimAttrs { dim: number }

export const unsqueezeDef: OpDef<DimAttrs> = {
  name: 'unsqueeze',
  gradFn: 'UnsqueezeBackward0',
  isView: true,
  forward([a], { dim }) {
    const shape = a.shape.slice();
    const strides = a.strides.slice();
    const stride = dim < a.shape.length ? a.shape[dim] * a.strides[dim] : 1;
    shape.splice(dim, 0, 1);
    strides.splice(dim, 0, stride);
    return viewOf(a, shape, strides, a.offset);
  },
  backward: ({ grad, attrs: { dim } }) => [grad.squeeze(dim)],
  doc: { torch: 'torch.unsqueeze', example: 'a.unsqueeze(0)', rule: 'grad squeezed' },
};

/** squeeze variants: PyTorch names them by overload (0: all, 1: dim, 2: dims, 4: in-place dim). */
interface SqueezeAttrs { dims: number[] | null }
function squeezeForward([a]: readonly Tensor[], { dims }: SqueezeAttrs): Tensor {
  const shape: number[] = [];
  const strides: number[] = [];
  a.shape.forEach((s, d) => {
    const drop = s === 1 && (dims === null || dims.includes(d));
    if (!drop) { shape.push(s); strides.push(a.strides[d]); }
  });
  return viewOf(a, shape, strides, a.offset);
}
/** PyTorch's unsqueeze_to: the squeezed (size-1) dims put back one by one (UnsqueezeBackward0). */
function squeezeBackward({ grad, inputMeta, attrs: { dims } }: BackwardContext<SqueezeAttrs>): Tensor[] {
  const shape = inputMeta[0].shape;
  let g = grad;
  shape.forEach((s, d) => {
    if (s === 1 && (dims === null || dims.includes(d))) g = g.unsqueeze(d);
  });
  return [g];
}

export const squeezeDef: OpDef<SqueezeAttrs> = {
  name: 'squeeze',
  gradFn: (attrs) => (attrs.dims === null ? 'SqueezeBackward0' : attrs.dims.length === 1 ? 'SqueezeBackward1' : 'SqueezeBackward2'),
  isView: true,
  forward: squeezeForward,
  backward: squeezeBackward,
  doc: { torch: 'torch.squeeze', example: 'a.squeeze(1)', rule: 'grad unsqueezed' },
};

/**
 * matmul's internal `squeeze_(0)` on its fresh mm result (SqueezeBackward4). NOTE: in-place in
 * PyTorch, so the result is not a view of anything the user can reach: no `isView`.
 */
export const squeezeInplaceDimDef: OpDef<SqueezeAttrs> = {
  name: 'squeeze_',
  gradFn: 'SqueezeBackward4',
  forward: squeezeForward,
  backward: squeezeBackward,
  doc: { torch: 'Tensor.squeeze_', example: '(internal: matmul of a vector)', rule: 'grad unsqueezed' },
};

export const expandDef: OpDef<ShapeAttrs> = {
  name: 'expand',
  gradFn: 'ExpandBackward0',
  isView: true,
  forward([a], { shape }) {
    const lead = shape.length - a.shape.length;
    const strides = shape.map((s, i) => {
      if (i < lead) return 0;
      const d = i - lead;
      return a.shape[d] === 1 && s !== 1 ? 0 : a.strides[d];
    });
    return viewOf(a, shape, strides, a.offset);
  },
  backward: ({ grad, inputMeta }) => [grad.sumToSize(inputMeta[0].shape)],
  doc: { torch: 'Tensor.expand', example: 'a.expand(5, 4)', rule: 'grad summed over the expanded dims' },
};

/** Resolves `expand` sizes (-1 keeps a dim) with PyTorch's checks. */
export function expandShape(a: Tensor, sizes: readonly number[]): number[] {
  if (sizes.length < a.shape.length) {
    throw new RuntimeError(
      `expand(${legacyTypeName(a.dtype)}{[${a.shape.join(', ')}]}, size=[${sizes.join(', ')}]): ` +
      `the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions ` +
      `in the tensor (${a.shape.length})`);
  }
  const lead = sizes.length - a.shape.length;
  return sizes.map((s, i) => {
    if (i < lead) {
      if (s < 0) throw new RuntimeError(`The expanded size of the tensor (${s}) isn't allowed in a leading, non-existing dimension ${i}`);
      return s;
    }
    const cur = a.shape[i - lead];
    if (s === -1) return cur;
    if (cur !== 1 && cur !== s) {
      throw new RuntimeError(
        `The expanded size of the tensor (${s}) must match the existing size (${cur}) at non-singleton ` +
        `dimension ${i}.  Target sizes: ${formatShape(sizes)}.  Tensor sizes: ${formatShape(a.shape)}`);
    }
    return s;
  });
}

export function view(a: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  return run1(viewDef, [a], { shape: inferShape(shapeFromArgs(shape), a.numel()) });
}

/**
 * `torch.reshape`: a view (ViewBackward0) when the strides allow one, otherwise a contiguous copy
 * that is then viewed (CloneBackward0 → ViewBackward0).
 */
export function reshape(a: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  return reshapeTo(a, inferShape(shapeFromArgs(shape), a.numel()));
}

function reshapeTo(a: Tensor, shape: number[]): Tensor {
  if (viewStrides(a, shape) !== null) return run1(viewDef, [a], { shape });
  return inScope('reshape', 'composite', () => run1(viewDef, [a.clone()], { shape }));
}

export function transpose(a: Tensor, dim0: number, dim1: number): Tensor {
  const n = a.shape.length;
  return run1(transposeDef, [a], { dim0: normalizeDim(dim0, n), dim1: normalizeDim(dim1, n) });
}
export function t(a: Tensor): Tensor {
  if (a.shape.length > 2) {
    throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${a.shape.length}D`);
  }
  return run1(tDef, [a], {});
}
export function permute(a: Tensor, ...dims: (number | readonly number[])[]): Tensor {
  const n = a.shape.length;
  const requested = shapeFromArgs(dims);
  if (requested.length !== n) {
    throw new RuntimeError(
      'permute(sparse_coo): number of dimensions in the tensor input does not match the length of the ' +
      `desired ordering of dimensions i.e. input.dim() = ${n} is not equal to len(dims) = ${requested.length}`);
  }
  const ds = requested.map((d) => normalizeDim(d, n));
  if (new Set(ds).size !== ds.length) throw new RuntimeError('permute(): duplicate dims are not allowed.');
  return run1(permuteDef, [a], { dims: ds });
}
export function unsqueeze(a: Tensor, dim: number): Tensor {
  return run1(unsqueezeDef, [a], { dim: normalizeDim(dim, a.shape.length + 1) });
}
export function squeeze(a: Tensor, dim?: number | readonly number[]): Tensor {
  if (dim === undefined) return run1(squeezeDef, [a], { dims: null });
  const dims = (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, a.shape.length));
  return run1(squeezeDef, [a], { dims });
}
export function expand(a: Tensor, ...sizes: (number | readonly number[])[]): Tensor {
  return run1(expandDef, [a], { shape: expandShape(a, shapeFromArgs(sizes)) });
}
export function alias(a: Tensor): Tensor {
  return run1(aliasDef, [a], {});
}
/** `torch.flatten(a, start_dim, end_dim)`; also accepts `{ startDim, endDim }`. */
export function flatten(a: Tensor, startDim: number | FlattenOptions = 0, endDim = -1): Tensor {
  if (typeof startDim === 'object') {
    endDim = startDim.endDim ?? -1;
    startDim = startDim.startDim ?? 0;
  }
  if (a.shape.length === 0) return reshapeTo(a, [1]);
  const s = normalizeDim(startDim, a.shape.length);
  const e = normalizeDim(endDim, a.shape.length);
  if (s > e) throw new RuntimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return a;
  const shape = [...a.shape.slice(0, s), numelOf(a.shape.slice(s, e + 1)), ...a.shape.slice(e + 1)];
  return reshapeTo(a, shape);
}
export interface FlattenOptions { startDim?: number; endDim?: number }

/** `torch.unflatten(a, dim, sizes)`: splits one dim into `sizes` (one may be -1). */
export function unflatten(a: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, a.shape.length);
  if (sizes.length === 0) throw new RuntimeError('unflatten: sizes must be non-empty');
  const inner = inferShapeForUnflatten(sizes, a.shape[d]);
  return view(a, [...a.shape.slice(0, d), ...inner, ...a.shape.slice(d + 1)]);
}

function inferShapeForUnflatten(sizes: readonly number[], size: number): number[] {
  const known = sizes.reduce((p, s) => (s === -1 ? p : p * s), 1);
  const out = sizes.map((s) => (s === -1 ? (known === 0 ? 0 : size / known) : s));
  if (numelOf(out) !== size || !out.every(Number.isInteger)) {
    throw new RuntimeError(
      `unflatten: Provided sizes ${formatShape(sizes)} don't multiply up to the size of dim ${size} in the input tensor`);
  }
  return out;
}

/** `torch.movedim(a, source, destination)` (a permute). */
export function movedim(a: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  const n = a.shape.length;
  const src = (typeof source === 'number' ? [source] : source).map((d) => normalizeDim(d, n));
  const dst = (typeof destination === 'number' ? [destination] : destination).map((d) => normalizeDim(d, n));
  if (src.length !== dst.length) {
    throw new RuntimeError(
      `movedim: Invalid source or destination dims: source (${formatShape(src)} dims) should contain the same ` +
      `number of dims as destination (${formatShape(dst)} dims)`);
  }
  const order = new Array<number>(n).fill(-1);
  src.forEach((s, i) => { order[dst[i]] = s; });
  const rest = a.shape.map((_, i) => i).filter((i) => !src.includes(i));
  let k = 0;
  for (let i = 0; i < n; i++) if (order[i] === -1) order[i] = rest[k++];
  return permute(a, order);
}

declare module '../tensor' {
  interface Tensor {
    view(...shape: (number | readonly number[])[]): Tensor;
    reshape(...shape: (number | readonly number[])[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    swapaxes(dim0: number, dim1: number): Tensor;
    swapdims(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    /** `.T`: all dims reversed. */
    readonly T: Tensor;
    /** `.mT`: the last two dims swapped. */
    readonly mT: Tensor;
    permute(...dims: (number | readonly number[])[]): Tensor;
    movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    expand(...sizes: (number | readonly number[])[]): Tensor;
    expandAs(other: Tensor): Tensor;
    viewAs(other: Tensor): Tensor;
    reshapeAs(other: Tensor): Tensor;
    flatten(startDim?: number | FlattenOptions, endDim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
  }
}

const proto = Tensor.prototype;
proto.view = function (...shape) { return view(this, ...shape); };
proto.reshape = function (...shape) { return reshape(this, ...shape); };
proto.transpose = function (d0, d1) { return transpose(this, d0, d1); };
proto.swapaxes = function (d0, d1) { return transpose(this, d0, d1); };
proto.swapdims = function (d0, d1) { return transpose(this, d0, d1); };
proto.t = function () { return t(this); };
Object.defineProperty(proto, 'T', {
  get(this: Tensor) { return permute(this, this.shape.map((_, i) => this.shape.length - 1 - i)); },
});
Object.defineProperty(proto, 'mT', {
  get(this: Tensor) {
    if (this.shape.length < 2) {
      throw new RuntimeError(`tensor.mT is only supported on matrices or batches of matrices. Got ${this.shape.length}-D tensor.`);
    }
    return transpose(this, -2, -1);
  },
});
proto.permute = function (...dims) { return permute(this, ...dims); };
proto.movedim = function (s, d) { return movedim(this, s, d); };
proto.unsqueeze = function (dim) { return unsqueeze(this, dim); };
proto.squeeze = function (dim) { return squeeze(this, dim); };
proto.expand = function (...sizes) { return expand(this, ...sizes); };
proto.expandAs = function (other) { return expand(this, other.shape); };
proto.viewAs = function (other) { return view(this, other.shape); };
proto.reshapeAs = function (other) { return reshape(this, other.shape); };
proto.flatten = function (s, e) { return flatten(this, s, e); };
proto.unflatten = function (dim, sizes) { return unflatten(this, dim, sizes); };
