import { RuntimeError } from '../errors';
import { normalizeDim } from '../shape';
import type { Tensor } from '../tensor';

/**
 * Argument handling shared by the reductions: dim lists (normalised, sorted, checked), the
 * `f(a, dim, { keepdim })` / `f(a, { dim, keepdim })` calling styles, and putting reduced dims back
 * (for backward rules that broadcast a reduced gradient over the input).
 */

export function allDims(a: { shape: readonly number[] }): number[] {
  return a.shape.map((_, i) => i);
}

/** Normalised, sorted, de-duplicated reduction dims (PyTorch errors on repeats); [] means all. */
export function reductionDims(a: Tensor, dim: number | readonly number[]): number[] {
  const list = typeof dim === 'number' ? [dim] : dim;
  if (list.length === 0) return allDims(a);
  const out = list.map((d) => normalizeDim(d, a.shape.length));
  const set = new Set(out);
  if (set.size !== out.length) {
    const dup = out.find((d, i) => out.indexOf(d) !== i);
    throw new RuntimeError(`dim ${dup} appears multiple times in the list of dims`);
  }
  return [...set].sort((x, y) => x - y);
}

/** The dims a reduction attr covers. */
export function coveredDims(dims: number[] | null, shape: readonly number[]): number[] {
  return dims ?? shape.map((_, i) => i);
}

/** A reduced gradient (or result) with the reduced dims put back as size 1 (ATen's unsqueeze_multiple). */
export function restoreReduced(t: Tensor, inputShape: readonly number[], dims: number[] | null, keepdim: boolean): Tensor {
  if (keepdim || inputShape.length === 0) return t;
  if (dims === null) return t.reshape(inputShape.map(() => 1));
  let g = t;
  for (const d of dims) g = g.unsqueeze(d);
  return g;
}

/** The gradient of a sum, broadcast back over the reduced dims (ExpandBackward0 on top, as in PyTorch). */
export function expandReduced(grad: Tensor, inputShape: readonly number[], dims: number[] | null, keepdim: boolean): Tensor {
  if (dims === null) return grad.expand(inputShape);
  return restoreReduced(grad, inputShape, dims, keepdim).expand(inputShape);
}

export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((s, d) => (dims.includes(d) ? 1 : s)) : shape.filter((_, d) => !dims.includes(d));
}

/** How many elements each output reduces over (a 0-dim input's dim 0 has size 1). */
export function reducedCount(shape: readonly number[], dims: number[] | null): number {
  return coveredDims(dims, shape).reduce((n, d) => n * (shape[d] ?? 1), 1);
}

export type DimArg = number | readonly number[] | null | undefined;

/** Accepts `f(a, dim, { keepdim })` and `f(a, { dim, keepdim })`. */
export function dimArgs<O extends { dim?: unknown }>(dim: DimArg | O, options: O | undefined): [DimArg, O] {
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
    const o = dim as O;
    return [o.dim as DimArg, o];
  }
  return [dim as DimArg, options ?? ({} as O)];
}

export interface KeepdimOptions { keepdim?: boolean }
