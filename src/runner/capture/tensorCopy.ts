/**
 * Bounded copies of tensor values taken while the script runs (the tensor may change in place or
 * be collected later), and their conversion to the snapshot's TensorData.
 */
import type { DType, Storage } from '../../lib/dtype';
import { formatTensor, getPrintOptions } from '../../lib/print/formatTensor';
import { shownIndices } from '../../lib/print/summarize';
import type { Tensor } from '../../lib/tensor';
import type { TensorData, TensorStats } from '../../protocol/snapshot';
import { MAX_EDGE_VALUES } from './limits';

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
 * op, and their size is most of what it adds to the garbage collector's work.
 */
export class TensorCopy {
  /**
   * Statistics of the whole tensor: computed at copy time for partial copies, on first use for
   * whole ones (most copies are never shown: computing them eagerly cost measurable time).
   */
  stats: TensorStats | null | undefined;
  /** The printed form, computed once when first shown (a copy is often shown several times). */
  text: string | null = null;

  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly numel: number,
    /**
     * The first `kept` values in row-major order (all of them when kept === numel). A one-element
     * tensor keeps its value in `scalar` instead (values null): a typed array costs ~130 bytes.
     */
    readonly values: Storage | null,
    readonly scalar: number,
    readonly kept: number,
    readonly edges: PrintedEdges | null,
    stats: TensorStats | null | undefined,
  ) {
    this.stats = stats;
  }

  /** Numbers held (for the capture's memory budget). */
  get size(): number {
    return this.kept + (this.edges ? this.edges.indices.length * 2 : 0);
  }
}

/** Holds all copies together to a number of values; see NOTE [Capture memory bound]. */
export class CopyBudget {
  live = 0;
  constructor(readonly maxValues: number) {}

  /** Values a new copy may take (0 once the budget is spent: statistics only). */
  allowance(wanted: number): number {
    return this.live + wanted <= this.maxValues ? wanted : 0;
  }

  hold(c: TensorCopy | null): void {
    if (c !== null) this.live += c.size;
  }

  release(c: TensorCopy | null): void {
    if (c !== null) this.live -= c.size;
  }
}

/**
 * Statistics over the finite elements (NaN/±Inf are counted, not averaged).
 * std is the sample standard deviation (PyTorch's default, correction=1); 0 for one element.
 */
export function statsOf(data: Storage, offset: number, n: number): TensorStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let finite = 0;
  let nanCount = 0;
  let infCount = 0;
  for (let i = offset; i < offset + n; i++) {
    const v = data[i];
    if (v - v !== 0) {
      if (v !== v) nanCount++; else infCount++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
    finite++;
  }
  if (finite === 0) return { min: NaN, max: NaN, mean: NaN, std: NaN, norm: NaN, nanCount, infCount };
  const mean = sum / finite;
  let dev = 0;
  // Second pass for the deviation: one-pass formulas lose everything when |mean| >> std.
  for (let i = offset; i < offset + n; i++) {
    const v = data[i];
    if (v - v === 0) dev += (v - mean) * (v - mean);
  }
  return { min, max, mean, std: finite > 1 ? Math.sqrt(dev / (finite - 1)) : 0, norm: Math.sqrt(sumSq), nanCount, infCount };
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
export function copyTensor(t: Tensor, limit: number): TensorCopy {
  const numel = t.numel();
  // Contiguous tensors are read in place; others are gathered once in row-major order.
  const data = t._contiguous ? t._data : t._toArray();
  const offset = t._contiguous ? t.offset : 0;
  const kept = numel < limit ? numel : limit;
  // NOTE: shapes are never mutated by the library, so a copy shares the array.
  if (kept === 1 && numel === 1) {
    return new TensorCopy(t.shape, t.dtype, numel, null, data[offset], kept, null, t.dtype === 'bool' ? null : undefined);
  }
  const values = data.slice(offset, offset + kept);
  let edges: PrintedEdges | null = null;
  let stats: TensorStats | null | undefined;
  if (kept < numel) {
    stats = t.dtype === 'bool' ? null : statsOf(data, offset, numel);
    if (limit > 0) {
      const edgeitems = getPrintOptions().edgeitems;
      const idx = edgeIndicesOf(t.shape, edgeitems);
      if (idx) {
        const edgeValues = new Float64Array(idx.length);
        for (let i = 0; i < idx.length; i++) edgeValues[i] = data[offset + idx[i]];
        edges = { indices: Float64Array.from(idx), values: edgeValues, edgeitems };
      }
    }
  } else if (numel === 0 || t.dtype === 'bool') {
    stats = null;
  }
  return new TensorCopy(t.shape, t.dtype, numel, values, 0, kept, edges, stats);
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
