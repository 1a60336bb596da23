/**
 * Bounded copies of tensor values taken while the script runs (the tensor may change in place or
 * be collected later), and their conversion to the snapshot's TensorData.
 */
import { allocate, type DType, type Storage } from '../../lib/dtype';
import { formatTensor, getPrintOptions } from '../../lib/print/formatTensor';
import { shownIndices } from '../../lib/print/summarize';
import type { Tensor } from '../../lib/tensor';
import type { TensorData, TensorStats } from '../../protocol/snapshot';
import { MAX_EDGE_VALUES, WHOLE_COPY_FACTOR } from './limits';
import { ValuePool } from './valuePool';

/** The elements a summarised print shows, for a tensor not kept whole. */
export interface PrintedEdges {
  /** Row-major indices, ascending. */
  readonly indices: Float64Array;
  readonly values: Float64Array;
  /** edgeitems the edges were taken with. */
  readonly edgeitems: number;
}

/**
 * A bounded copy of a tensor. NOTE: a class with few fields — the capture makes one or two per
 * op, and their size is most of what it adds to the garbage collector's work. Never changed while
 * held; a dead one is refilled for a new copy (NOTE [Recycled copy buffers]).
 */
export class TensorCopy {
  shape!: readonly number[];
  dtype!: DType;
  numel!: number;
  /**
   * The first `kept` values in row-major order (all of them when kept === numel). A one-element
   * tensor keeps its value in `scalar` instead (values null): a typed array costs ~130 bytes.
   */
  values!: Storage | null;
  scalar!: number;
  kept!: number;
  edges!: PrintedEdges | null;
  /**
   * Statistics of the whole tensor: computed at copy time for partial copies, on first use for
   * whole ones (most copies are never shown: computing them eagerly cost measurable time).
   */
  stats: TensorStats | null | undefined;
  /** The printed form, computed once when first shown (a copy is often shown several times). */
  text: string | null = null;
  /**
   * The source storage's version when copied: a later copy of the same tensor at the same version
   * would hold the same values, so the capture shares this one instead (see GraphCapture).
   */
  sourceVersion = -1;
  /** Mean and norm, once asked for (a gradient sent to both inputs of an add is one copy, two series). */
  meanAndNorm: MeanAndNorm | null = null;
  /** Holders (node fields, frames) counted by CopyBudget; see NOTE [Recycled copy buffers]. */
  refs = 0;
  /** The backward pass whose copy cache holds this copy (-1: none); not recycled during it. */
  pass = -1;

  constructor(shape: readonly number[], dtype: DType, numel: number, values: Storage | null, scalar: number, kept: number,
    edges: PrintedEdges | null, stats: TensorStats | null | undefined) {
    this.fill(shape, dtype, numel, values, scalar, kept, edges, stats);
  }

  /** Sets every field: a new copy, or a recycled one starting over. */
  fill(shape: readonly number[], dtype: DType, numel: number, values: Storage | null, scalar: number, kept: number,
    edges: PrintedEdges | null, stats: TensorStats | null | undefined): this {
    this.shape = shape;
    this.dtype = dtype;
    this.numel = numel;
    this.values = values;
    this.scalar = scalar;
    this.kept = kept;
    this.edges = edges;
    this.stats = stats;
    this.text = null;
    this.sourceVersion = -1;
    this.meanAndNorm = null;
    this.refs = 0;
    this.pass = -1;
    return this;
  }

  /** Numbers held (for the capture's memory budget). */
  get size(): number {
    return this.kept + (this.edges ? this.edges.indices.length * 2 : 0);
  }
}

/**
 * Holds all copies together to a number of values (see NOTE [Capture memory bound]), counting
 * each copy's holders so a dead copy's array is reused (NOTE [Recycled copy buffers]). Every
 * field or frame that keeps a copy holds it, and releases it when it lets go — hold the new copy
 * before releasing the old one, which may be the same.
 */
export class CopyBudget {
  live = 0;
  readonly pool = new ValuePool();
  /** The backward pass running now (-1: none). */
  currentPass = -1;
  constructor(readonly maxValues: number) {}

  /** Values a new copy may take (0 once the budget is spent: statistics only). */
  allowance(wanted: number): number {
    return this.live + wanted <= this.maxValues ? wanted : 0;
  }

  hold(c: TensorCopy | null): void {
    if (c === null) return;
    this.live += c.size;
    c.refs++;
  }

  release(c: TensorCopy | null): void {
    if (c === null) return;
    this.live -= c.size;
    if (--c.refs !== 0 || (c.pass >= 0 && c.pass === this.currentPass)) return;
    if (c.values !== null) this.pool.give(c.dtype, c.values);
    this.pool.giveCopy(c);
  }
}

/**
 * Statistics over the finite elements (NaN/±Inf are counted, not averaged).
 * std is the sample standard deviation (PyTorch's default, correction=1); 0 for one element.
 *
 * NOTE [One pass over the values]
 * The capture takes statistics of every partial copy it makes (a 100,000-element weight and its
 * gradient each training step), so this loop is most of what capturing a big model costs: one
 * pass, not two. The variance is accumulated on values shifted by the first finite element (the
 * "shifted data" algorithm): with the shift within a few deviations of the mean, the sums stay
 * of the deviations' size and the subtraction at the end loses nothing, unlike the plain
 * Σx² − (Σx)²/n, which loses everything when |mean| >> std.
 */
export function statsOf(data: Storage, offset: number, n: number): TensorStats {
  // NOTE: two copies of the fast loop, so each sees one array type: a loop whose element reads
  // see Float32Array and Float64Array measured several times slower than either alone.
  const fast = data instanceof Float32Array ? finiteStatsFloat32(data, offset, n) : finiteStatsAny(data, offset, n);
  return fast ?? carefulStats(data, offset, n);
}

/** Sums of a stats pass (see NOTE [One pass over the values]). */
function statsFromSums(min: number, max: number, shift: number, sumD: number, sumD2: number, sumSq: number,
  finite: number, nanCount: number, infCount: number): TensorStats {
  if (finite === 0) return { min: NaN, max: NaN, mean: NaN, std: NaN, norm: NaN, nanCount, infCount };
  const meanD = sumD / finite;
  const variance = finite > 1 ? Math.max(0, (sumD2 - sumD * meanD) / (finite - 1)) : 0;
  return { min, max, mean: shift + meanD, std: Math.sqrt(variance), norm: Math.sqrt(sumSq), nanCount, infCount };
}

/**
 * The statistics when every element is finite, or null: the loop does not test each element (a
 * NaN or ±Inf shows in the sums instead), which measured twice as fast as the careful loop.
 */
function finiteStatsFloat32(data: Float32Array, offset: number, n: number): TensorStats | null {
  const end = offset + n;
  const shift = data[offset];
  let min = Infinity, max = -Infinity, sumD = 0, sumD2 = 0, sumSq = 0;
  for (let i = offset; i < end; i++) {
    const v = data[i];
    const d = v - shift;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sumD += d;
    sumD2 += d * d;
    sumSq += v * v;
  }
  const check = min + max + sumD + sumD2 + sumSq;
  return check - check === 0 ? statsFromSums(min, max, shift, sumD, sumD2, sumSq, n, 0, 0) : null;
}

/** finiteStatsFloat32's loop for the other storages (kept apart: NOTE [Monomorphic loops], src/lib/ops/kernels.ts). */
function finiteStatsAny(data: Storage, offset: number, n: number): TensorStats | null {
  const end = offset + n;
  const shift = data[offset];
  let min = Infinity, max = -Infinity, sumD = 0, sumD2 = 0, sumSq = 0;
  for (let i = offset; i < end; i++) {
    const v = data[i];
    const d = v - shift;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sumD += d;
    sumD2 += d * d;
    sumSq += v * v;
  }
  const check = min + max + sumD + sumD2 + sumSq;
  return check - check === 0 ? statsFromSums(min, max, shift, sumD, sumD2, sumSq, n, 0, 0) : null;
}

/** Statistics counting NaN and ±Inf apart (or of finite values whose squares overflow). */
function carefulStats(data: Storage, offset: number, n: number): TensorStats {
  const end = offset + n;
  let shift = NaN;
  for (let i = offset; i < end; i++) {
    if (data[i] - data[i] === 0) { shift = data[i]; break; }
  }
  let min = Infinity, max = -Infinity, sumD = 0, sumD2 = 0, sumSq = 0, finite = 0, nanCount = 0, infCount = 0;
  for (let i = offset; i < end; i++) {
    const v = data[i];
    if (v - v !== 0) {
      if (v !== v) nanCount++; else infCount++;
      continue;
    }
    const d = v - shift;
    if (v < min) min = v;
    if (v > max) max = v;
    sumD += d;
    sumD2 += d * d;
    sumSq += v * v;
    finite++;
  }
  return statsFromSums(min, max, shift, sumD, sumD2, sumSq, finite, nanCount, infCount);
}

/** Edge indices by shape and edgeitems: a training loop copies tensors of the same few shapes. */
const edgeIndexCache = new Map<string, Float64Array | null>();
const MAX_CACHED_SHAPES = 256;

function cachedEdgeIndices(shape: readonly number[], edgeitems: number): Float64Array | null {
  const key = `${edgeitems}:${shape.join(',')}`;
  let idx = edgeIndexCache.get(key);
  if (idx === undefined) {
    const computed = edgeIndicesOf(shape, edgeitems);
    idx = computed ? Float64Array.from(computed) : null;
    if (edgeIndexCache.size >= MAX_CACHED_SHAPES) edgeIndexCache.clear();
    edgeIndexCache.set(key, idx);
  }
  return idx;
}

/** Row-major indices of the elements a summarised print shows (ascending). */
function edgeIndicesOf(shape: readonly number[], edgeitems: number): number[] | null {
  let count = 1;
  const perDim = shape.map((size) => {
    const shown = shownIndices(size, true, edgeitems).filter((i): i is number => i !== null);
    count *= shown.length;
    return shown;
  });
  if (count > MAX_EDGE_VALUES) return null;
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) { strides[d] = stride; stride *= shape[d]; }
  let out = [0];
  for (let d = 0; d < shape.length; d++) {
    const next: number[] = [];
    for (const base of out) for (const i of perDim[d]) next.push(base + i * strides[d]);
    out = next;
  }
  return out;
}

/** Copies at most `limit` values of `t` (plus its printed edges when it has more). */
export function copyTensor(t: Tensor, limit: number, pool: ValuePool | null = null): TensorCopy {
  const c = copyValues(t, limit, pool);
  c.sourceVersion = t._box.version;
  return c;
}

function copyValues(t: Tensor, limit: number, pool: ValuePool | null): TensorCopy {
  const numel = t.numel();
  const data = t._data;
  // NOTE [Whole copies of mid-sized tensors]: a tensor a few times over the limit is kept whole,
  // not summarised. Copying its values costs far less than the pass over them its statistics
  // need, and a whole copy computes them only if they are asked for (most copies are replaced in
  // the next iteration unseen). The snapshot still sends at most the limit of values.
  const kept = numel <= limit * WHOLE_COPY_FACTOR ? numel : limit;
  // NOTE: shapes are never mutated by the library, so a copy shares the array.
  if (kept === 1 && numel === 1) {
    return makeCopy(pool, t.shape, t.dtype, numel, null, data[t.offset], kept, null, t.dtype === 'bool' ? null : undefined);
  }
  // Contiguous tensors are read in place; of others (transposes, slices) only what is kept is gathered.
  const contiguous = t._contiguous;
  const values = pool !== null ? pool.take(t.dtype, kept) : allocate(t.dtype, kept);
  if (contiguous) {
    // A block copy (memcpy) when the array types match, as they do for the tensor's own dtype.
    values.set(t.offset === 0 && kept === data.length ? data : data.subarray(t.offset, t.offset + kept));
  } else {
    gatherFirst(t, values);
  }
  let edges: PrintedEdges | null = null;
  let stats: TensorStats | null | undefined;
  if (kept < numel) {
    stats = t.dtype === 'bool' ? null : wholeStats(t, numel);
    if (limit > 0) {
      const edgeitems = getPrintOptions().edgeitems;
      // NOTE: the cached indices are shared by every copy of that shape (never written).
      const idx = cachedEdgeIndices(t.shape, edgeitems);
      if (idx) {
        const edgeValues = new Float64Array(idx.length);
        if (contiguous) {
          for (let i = 0; i < idx.length; i++) edgeValues[i] = data[t.offset + idx[i]];
        } else {
          for (let i = 0; i < idx.length; i++) edgeValues[i] = data[storageIndex(t, idx[i])];
        }
        edges = { indices: idx, values: edgeValues, edgeitems };
      }
    }
  } else if (numel === 0 || t.dtype === 'bool') {
    stats = null;
  }
  return makeCopy(pool, t.shape, t.dtype, numel, values, 0, kept, edges, stats);
}

function makeCopy(pool: ValuePool | null, shape: readonly number[], dtype: DType, numel: number, values: Storage | null,
  scalar: number, kept: number, edges: PrintedEdges | null, stats: TensorStats | null | undefined): TensorCopy {
  const dead = pool?.takeCopy();
  return dead !== undefined
    ? dead.fill(shape, dtype, numel, values, scalar, kept, edges, stats)
    : new TensorCopy(shape, dtype, numel, values, scalar, kept, edges, stats);
}

/** Fills `out` with the first elements of a strided tensor, in row-major order. */
function gatherFirst(t: Tensor, out: Storage): void {
  const count = out.length;
  const data = t._data;
  const shape = t.shape;
  const strides = t.strides;
  const nd = shape.length;
  let pos = t.offset;
  if (nd === 1) {
    // The usual case (a gradient expanded from a scalar, a column of a matrix): one stride.
    const stride = strides[0];
    if (stride === 0) out.fill(data[pos]); // a scalar expanded (the gradient of a sum)
    else for (let k = 0; k < count; k++, pos += stride) out[k] = data[pos];
    return;
  }
  const index = new Array<number>(nd).fill(0);
  for (let k = 0; k < count; k++) {
    out[k] = data[pos];
    for (let d = nd - 1; d >= 0; d--) {
      pos += strides[d];
      if (++index[d] < shape[d]) break;
      pos -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
}

/** Where row-major element `i` of a strided tensor is in its storage. */
function storageIndex(t: Tensor, i: number): number {
  const shape = t.shape;
  const strides = t.strides;
  let pos = t.offset;
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d];
    pos += (rest % size) * strides[d];
    rest = Math.floor(rest / size);
  }
  return pos;
}

/**
 * Whether `t` is its whole storage in some order (a contiguous tensor or a transpose/permute of
 * one): then its statistics are the storage's, read in place.
 */
function coversStorage(t: Tensor, numel: number): boolean {
  if (t.offset !== 0 || numel !== t._data.length) return false;
  if (t._contiguous) return true;
  // Dense without overlap: ordered by stride, each stride is the product of the sizes inside it.
  const dims = t.shape.map((size, d) => ({ size, stride: t.strides[d] })).filter((x) => x.size !== 1);
  dims.sort((a, b) => a.stride - b.stride);
  let expected = 1;
  for (const { size, stride } of dims) {
    if (stride !== expected) return false;
    expected *= size;
  }
  return true;
}

/**
 * Statistics of a whole storage by its box, at the version they were computed: the views of one
 * tensor (a weight and its transpose, a gradient and the transposed gradient the next node
 * makes of it) are copied in the same pass and share them.
 */
const storageStats = new WeakMap<object, { data: Storage; version: number; stats: TensorStats }>();

/** Statistics of all of `t` (numel > kept), shared with its other views when it covers its storage. */
function wholeStats(t: Tensor, numel: number): TensorStats {
  if (!coversStorage(t, numel)) {
    return t._contiguous ? statsOf(t._data, t.offset, numel) : statsOf(t._toArray(), 0, numel);
  }
  const box = t._box;
  const cached = storageStats.get(box);
  if (cached !== undefined && cached.data === box.data && cached.version === box.version) return cached.stats;
  const stats = statsOf(box.data, 0, numel);
  storageStats.set(box, { data: box.data, version: box.version, stats });
  return stats;
}

/** What a sparkline point needs of a copy: the mean and L2 norm over its finite elements. */
export interface MeanAndNorm { mean: number; norm: number }

/**
 * The mean and norm of a copy, from its statistics when it has them, else in one pass of two
 * sums (a point of every node's series is taken each iteration: the full statistics cost
 * several times more, and most copies are never shown).
 */
export function meanAndNormOf(c: TensorCopy): MeanAndNorm {
  return (c.meanAndNorm ??= computeMeanAndNorm(c));
}

function computeMeanAndNorm(c: TensorCopy): MeanAndNorm {
  const stats = c.stats;
  if (stats !== undefined) return stats === null ? { mean: NaN, norm: NaN } : { mean: stats.mean, norm: stats.norm };
  if (c.values === null) {
    const v = c.scalar;
    return v - v === 0 ? { mean: v, norm: Math.abs(v) } : { mean: NaN, norm: NaN };
  }
  const data = c.values;
  const n = c.kept;
  // Optimistic: no test per element; a NaN or ±Inf shows in the sums, and then the careful loop runs.
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    sum += v;
    sumSq += v * v;
  }
  if (sum - sum === 0 && sumSq - sumSq === 0) return { mean: sum / n, norm: Math.sqrt(sumSq) };
  const careful = statsOf(data, 0, n);
  return { mean: careful.mean, norm: careful.norm };
}

/** The statistics of a copy (see TensorCopy.stats). */
export function statsOfCopy(c: TensorCopy): TensorStats | null {
  if (c.stats === undefined) c.stats = c.values === null ? scalarStats(c.scalar) : statsOf(c.values, 0, c.kept);
  return c.stats;
}

function scalarStats(v: number): TensorStats {
  if (v - v !== 0) return { min: NaN, max: NaN, mean: NaN, std: NaN, norm: NaN, nanCount: v !== v ? 1 : 0, infCount: v !== v ? 0 : 1 };
  return { min: v, max: v, mean: v, std: 0, norm: Math.abs(v), nanCount: 0, infCount: 0 };
}

/** Kept value `i` (< c.kept). */
export function valueAt(c: TensorCopy, i: number): number {
  return c.values === null ? c.scalar : c.values[i];
}

class MissingValue extends Error {}

/** PyTorch's printed form from a copy: exact when the copy is whole or holds the printed edges. */
export function textOf(c: TensorCopy): string {
  const whole = c.kept === c.numel;
  const edges = c.edges;
  if (!whole && edges === null) {
    return `tensor(<${c.numel} values not kept>, size=(${c.shape.join(', ')}${c.shape.length === 1 ? ',' : ''}), dtype=torch.${c.dtype})`;
  }
  const get = (i: number): number => {
    if (i < c.kept) return valueAt(c, i);
    if (edges) {
      let lo = 0;
      let hi = edges.indices.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = edges.indices[mid];
        if (at === i) return edges.values[mid];
        if (at < i) lo = mid + 1; else hi = mid - 1;
      }
    }
    throw new MissingValue();
  };
  // A partial copy prints summarised with the edges it kept (PyTorch would too under the default
  // threshold; a script that raised the threshold past maxValuesPerTensor sees the summary).
  const overrides = whole ? undefined : { threshold: Math.min(getPrintOptions().threshold, c.kept), edgeitems: edges!.edgeitems };
  try {
    return formatTensor({ dtype: c.dtype, shape: c.shape, get, requiresGrad: false, gradFnName: null }, overrides);
  } catch (e) {
    if (!(e instanceof MissingValue)) throw e;
    return `tensor(<${c.numel} values>, size=(${c.shape.join(', ')}))`;
  }
}

/** The snapshot's form of a copy, keeping at most `maxValues` values. */
export function tensorDataOf(c: TensorCopy, maxValues: number): TensorData {
  const n = Math.min(c.kept, maxValues);
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) values[i] = valueAt(c, i);
  c.text ??= textOf(c);
  return { shape: c.shape.slice(), dtype: c.dtype, values, truncated: n < c.numel, text: c.text, stats: statsOfCopy(c) };
}
