import { allocate, type Storage } from '../dtype';
import { IndexError, RuntimeError } from '../errors';
import { broadcastShapes, broadcastStrides, formatShape, normalizeDim, numelOf } from '../shape';
import { Tensor } from '../tensor';
import { forEachOffset, readContiguous } from './kernels';
import { castRaw } from './promote';
import { run1, type OpDef } from './registry';
import { viewOf } from './shapeOps';

/**
 * "Advanced" indexing with integer tensors (`a[i]`, `a[:, i]`, `a[i, j]`, masks after
 * `expandMasks`): `index` (IndexBackward0), its scatter counterpart `index_put`
 * (IndexPutBackward0, also `a[i] = v`), `index_select` and `nonzero`.
 *
 * NOTE [Index tensors live in attrs]
 * PyTorch's IndexBackward0 has one next edge (self); the index tensors are not differentiable
 * inputs and have no edge. Passing them as op inputs would add `null` entries to
 * next_functions, so they travel in the op's attrs.
 */

/** One int64 index tensor per leading dim of the indexed tensor; null = the whole dim. */
export type IndexList = readonly (Tensor | null)[];

/** Where each element of an advanced-indexing result lives in the indexed tensor. */
export interface IndexPlan {
  /** Result shape: [dims before the index block] + broadcast index shape + [dims after]. */
  readonly shape: number[];
  /** Relative storage offsets over the non-indexed dims before the index block (row-major). */
  readonly outer: Float64Array;
  /** Relative storage offset of each position of the broadcast index shape. */
  readonly mid: Float64Array;
  /** Relative storage offsets over the non-indexed dims after the index block. */
  readonly inner: Float64Array;
}

function offsetsOf(sizes: readonly number[], strides: readonly number[]): Float64Array {
  const out = new Float64Array(numelOf(sizes));
  forEachOffset(sizes, strides, 0, (k, off) => { out[k] = off; });
  return out;
}

/**
 * Resolves `indices` against a tensor of `shape`/`strides`. As in NumPy, the broadcast index
 * dims replace the indexed dims in place when those are adjacent, and go first otherwise.
 */
export function planIndex(shape: readonly number[], strides: readonly number[], indices: IndexList): IndexPlan {
  const positions: number[] = [];
  indices.forEach((t, d) => { if (t !== null) positions.push(d); });
  let bshape: number[] = [];
  try {
    for (const p of positions) bshape = broadcastShapes(bshape, indices[p]!.shape);
  } catch {
    const shapes = positions.map((p) => formatShape(indices[p]!.shape)).join(', ');
    throw new IndexError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${shapes}`);
  }
  const adjacent = positions.every((p, i) => i === 0 || p === positions[i - 1] + 1);
  const rest = shape.map((_, d) => d).filter((d) => !positions.includes(d));
  const before = adjacent ? rest.filter((d) => d < positions[0]) : [];
  const after = adjacent ? rest.filter((d) => d > positions[positions.length - 1]) : rest;

  const nb = numelOf(bshape);
  const mid = new Float64Array(nb);
  for (const p of positions) {
    const idx = indices[p]!;
    const size = shape[p];
    const stride = strides[p];
    const src = idx._data;
    forEachOffset(bshape, broadcastStrides(idx.shape, idx.strides, bshape), idx.offset, (j, off) => {
      let v = src[off];
      if (v < -size || v >= size) {
        throw new IndexError(`index ${v} is out of bounds for dimension ${p} with size ${size}`);
      }
      if (v < 0) v += size;
      mid[j] += v * stride;
    });
  }
  return {
    shape: [...before.map((d) => shape[d]), ...bshape, ...after.map((d) => shape[d])],
    outer: offsetsOf(before.map((d) => shape[d]), before.map((d) => strides[d])),
    mid,
    inner: offsetsOf(after.map((d) => shape[d]), after.map((d) => strides[d])),
  };
}

interface IndexAttrs { indices: IndexList }

function takeIndexed(a: Tensor, indices: IndexList): Tensor {
  const plan = planIndex(a.shape, a.strides, indices);
  const out = allocate(a.dtype, numelOf(plan.shape));
  copyPlanned(plan, a._data, a.offset, out);
  return Tensor._fromData(out, plan.shape, a.dtype);
}

/**
 * out[k] = src[base + offset of result element k]. NOTE: plain loops rather than a per-element
 * callback: indexing moves many elements and a closure call per element costs ~10× the copy.
 */
function copyPlanned(plan: IndexPlan, src: Storage, base: number, out: Storage): void {
  const { outer, mid, inner } = plan;
  const ni = inner.length;
  let k = 0;
  for (let o = 0; o < outer.length; o++) {
    for (let j = 0; j < mid.length; j++) {
      const b = base + outer[o] + mid[j];
      if (ni === 1) { out[k++] = src[b + inner[0]]; continue; }
      for (let i = 0; i < ni; i++) out[k++] = src[b + inner[i]];
    }
  }
}

/** dst[offset of result element k] = vals[k] (or += when accumulating). */
function writePlanned(plan: IndexPlan, dst: Storage, vals: Storage, accumulate: boolean): void {
  const { outer, mid, inner } = plan;
  const ni = inner.length;
  let k = 0;
  for (let o = 0; o < outer.length; o++) {
    for (let j = 0; j < mid.length; j++) {
      const b = outer[o] + mid[j];
      if (accumulate) for (let i = 0; i < ni; i++) dst[b + inner[i]] += vals[k++];
      else for (let i = 0; i < ni; i++) dst[b + inner[i]] = vals[k++];
    }
  }
}

export const indexDef: OpDef<IndexAttrs> = {
  name: 'index',
  gradFn: 'IndexBackward0',
  forward: ([a], { indices }) => takeIndexed(a, indices),
  backward: ({ grad, inputMeta, attrs: { indices } }) =>
    [run1(indexPutDef, [Tensor._empty(inputMeta[0].shape, grad.dtype), grad], { indices, accumulate: true })],
  doc: { torch: 'Tensor.__getitem__', example: 'a.index(idx)', rule: 'grad scattered back to the indexed positions (repeats add up)' },
};

interface IndexPutAttrs { indices: IndexList; accumulate: boolean }

/** Writes (or adds) `values`, broadcast to the indexing result, into a copy of `self`. */
function scatterPlanned(self: Tensor, values: Tensor, indices: IndexList, accumulate: boolean): Tensor {
  const out = Tensor._fromData(readContiguous(self).slice(), self.shape, self.dtype);
  const plan = planIndex(out.shape, out.strides, indices);
  const vals = expandedValues(values.dtype === self.dtype ? values : castRaw(values, self.dtype), plan.shape);
  writePlanned(plan, out._data, vals, accumulate);
  return out;
}

function expandedValues(values: Tensor, shape: readonly number[]): Storage {
  const lead = shape.length - values.shape.length;
  const fits = lead >= 0 && values.shape.every((s, i) => s === 1 || s === shape[lead + i]);
  if (!fits) {
    throw new RuntimeError(
      `shape mismatch: value tensor of shape ${formatShape(values.shape)} cannot be broadcast to indexing result of shape ${formatShape(shape)}`);
  }
  return readContiguous(viewOf(values, shape, broadcastStrides(values.shape, values.strides, shape), values.offset));
}

export const indexPutDef: OpDef<IndexPutAttrs> = {
  name: 'indexPut',
  gradFn: 'IndexPutBackward0',
  forward: ([self, values], { indices, accumulate }) => scatterPlanned(self, values, indices, accumulate),
  backward: ({ grad, needsGrad, attrs: { indices, accumulate } }) => [
    needsGrad(0)
      ? (accumulate ? grad : run1(indexPutDef, [grad, Tensor._empty([], grad.dtype)], { indices, accumulate: false }))
      : null,
    needsGrad(1) ? run1(indexDef, [grad], { indices }) : null,
  ],
  doc: {
    torch: 'torch.index_put',
    example: 'a.indexPut([i], v)',
    rule: '∂/∂self = grad with the written positions zeroed (unless accumulate), ∂/∂values = grad[indices]',
  },
};

/** Validates index tensors (int64 or bool) and replaces bool masks by their nonzero() columns. */
export function expandMasks(self: Tensor, indices: IndexList): (Tensor | null)[] {
  const out: (Tensor | null)[] = [];
  for (const t of indices) {
    if (t === null) { out.push(null); continue; }
    if (t.dtype === 'bool') {
      const d0 = out.length;
      for (let j = 0; j < t.shape.length; j++) {
        if (d0 + j >= self.shape.length || t.shape[j] !== self.shape[d0 + j]) {
          throw new IndexError(
            `The shape of the mask ${formatShape(t.shape)} at index ${j} does not match the shape of the indexed ` +
            `tensor ${formatShape(self.shape)} at index ${d0 + j}`);
        }
      }
      const nz = nonzeroColumns(t);
      out.push(...nz);
    } else if (t.dtype === 'int64') {
      out.push(t);
    } else {
      throw new IndexError('tensors used as indices must be long, int, byte or bool tensors');
    }
  }
  if (out.length > self.shape.length) {
    throw new IndexError(`too many indices for tensor of dimension ${self.shape.length} (got ${out.length})`);
  }
  return out;
}

/** The coordinates of the true/non-zero elements, one int64 vector per dim. */
function nonzeroColumns(t: Tensor): Tensor[] {
  const nd = t.shape.length;
  const coords: number[][] = Array.from({ length: nd }, () => []);
  const idx = new Array<number>(nd).fill(0);
  const src = t._data;
  forEachOffset(t.shape, t.strides, t.offset, (_k, off) => {
    if (src[off] !== 0) for (let d = 0; d < nd; d++) coords[d].push(idx[d]);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  });
  return coords.map((c) => Tensor._fromData(Float64Array.from(c), [c.length], 'int64'));
}

/** `a[indices]` with int64/bool index tensors per leading dim (null = whole dim). */
export function index(a: Tensor, indices: IndexList): Tensor {
  return run1(indexDef, [a], { indices: expandMasks(a, indices) });
}

/** `torch.index_put(a, indices, values, accumulate)`: a copy of `a` with values written. */
export function indexPut(a: Tensor, indices: IndexList, values: Tensor, accumulate = false): Tensor {
  return run1(indexPutDef, [a, values], { indices: expandMasks(a, indices), accumulate });
}

/** `torch.nonzero(a)`: int64 [n, ndim] coordinates of the non-zero elements. */
export function nonzero(a: Tensor): Tensor {
  const cols = nonzeroColumns(a);
  const n = a.shape.length === 0 ? (a._get(0) !== 0 ? 1 : 0) : cols[0].shape[0];
  const nd = a.shape.length;
  const out = new Float64Array(n * nd);
  cols.forEach((c, d) => { for (let i = 0; i < n; i++) out[i * nd + d] = c._data[i]; });
  return Tensor._fromData(out, [n, nd], 'int64');
}

interface IndexSelectAttrs { dim: number; index: Tensor }

/** index_select as an index list: `index` at `dim`, whole dims before it. */
function selectIndices(dim: number, index: Tensor): IndexList {
  const list: (Tensor | null)[] = new Array(dim + 1).fill(null);
  list[dim] = index;
  return list;
}

export const indexSelectDef: OpDef<IndexSelectAttrs> = {
  name: 'indexSelect',
  gradFn: 'IndexSelectBackward0',
  forward: ([a], { dim, index: idx }) => takeIndexed(a, selectIndices(dim, idx)),
  backward: ({ grad, inputMeta, attrs: { dim, index: idx } }) => [
    run1(indexPutDef, [Tensor._empty(inputMeta[0].shape, grad.dtype), grad],
      { indices: selectIndices(dim, idx), accumulate: true }),
  ],
  doc: { torch: 'torch.index_select', example: 'torch.indexSelect(a, 0, idx)', rule: 'grad added back at the selected indices' },
};

/** `torch.index_select(a, dim, index)` with a 1-D int64 index. */
export function indexSelect(a: Tensor, dim: number, idx: Tensor): Tensor {
  if (idx.shape.length > 1) throw new IndexError('index_select(): Index is supposed to be a vector');
  if (idx.dtype !== 'int64') throw new RuntimeError('index_select(): Expected dtype int32/int64 for index');
  const d = normalizeDim(dim, a.shape.length);
  const size = a.shape.length === 0 ? 1 : a.shape[d];
  const flat = idx.shape.length === 0 ? viewOf(idx, [1], [1], idx.offset) : idx;
  const n = flat.numel();
  for (let i = 0; i < n; i++) {
    const v = flat._get(i);
    if (v < 0 || v >= size) throw new IndexError('index out of range in self');
  }
  if (a.shape.length === 0) return a.clone();
  return run1(indexSelectDef, [a], { dim: d, index: flat });
}

declare module '../tensor' {
  interface Tensor {
    indexSelect(dim: number, index: Tensor): Tensor;
    nonzero(): Tensor;
  }
}
const proto = Tensor.prototype;
proto.indexSelect = function (dim, idx) { return indexSelect(this, dim, idx); };
proto.nonzero = function () { return nonzero(this); };
