import { RuntimeError } from '../errors';
import { formatShape, normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { run, type BackwardContext, type OpDef } from './registry';
import { sliceDef, selectDef } from './indexing';
import { cat, stack, type DimOption } from './join';

/**
 * Splitting into views: `split` (SplitBackward0), `split` with a list of sizes
 * (SplitWithSizesBackward0), `chunk` (split with ceil(size / chunks)) and `unbind`
 * (UnbindBackward0). One node has all the pieces as outputs; its backward joins their
 * gradients again, with zeros for pieces that got none.
 */

function piecesOf(a: Tensor, dim: number, sizes: readonly number[]): Tensor[] {
  let start = 0;
  return sizes.map((size) => {
    const piece = sliceDef.forward([a], { dim, start, end: start + size, step: 1 }) as Tensor;
    start += size;
    return piece;
  });
}

/** The sizes `split(splitSize)` cuts a dim of `size` into (the last piece may be smaller). */
function splitSizes(size: number, splitSize: number): number[] {
  const n = splitSize === 0 ? 1 : Math.max(Math.ceil(size / splitSize), 1);
  const sizes = new Array<number>(n).fill(splitSize);
  sizes[n - 1] = splitSize - (splitSize * n - size);
  return sizes;
}

/** Gradient of the input: the pieces' gradients joined along `dim` (zeros where none flowed). */
function joinPieceGrads<A>(ctx: BackwardContext<A>, dim: number, sizes: readonly number[]): Tensor {
  const shape = ctx.inputMeta[0].shape;
  const dtype = ctx.grad.dtype;
  const parts = sizes.map((size, i) => {
    const g = ctx.grads[i];
    if (g) return g;
    const s = shape.slice();
    s[dim] = size;
    return Tensor._empty(s, dtype);
  });
  return cat(parts, dim);
}

interface SplitAttrs { dim: number; splitSize: number }
interface SplitSizesAttrs { dim: number; sizes: number[] }

export const splitDef: OpDef<SplitAttrs> = {
  name: 'split',
  gradFn: 'SplitBackward0',
  isView: true,
  multiOutputView: true,
  forward: ([a], { dim, splitSize }) => piecesOf(a, dim, splitSizes(a.shape[dim], splitSize)),
  backward: (ctx) => [joinPieceGrads(ctx, ctx.attrs.dim, splitSizes(ctx.inputMeta[0].shape[ctx.attrs.dim], ctx.attrs.splitSize))],
  doc: { torch: 'torch.split', example: 'torch.split(a, 2)', rule: 'the pieces’ grads concatenated' },
};

export const splitWithSizesDef: OpDef<SplitSizesAttrs> = {
  name: 'splitWithSizes',
  gradFn: 'SplitWithSizesBackward0',
  isView: true,
  multiOutputView: true,
  forward: ([a], { dim, sizes }) => piecesOf(a, dim, sizes),
  backward: (ctx) => [joinPieceGrads(ctx, ctx.attrs.dim, ctx.attrs.sizes)],
  doc: { torch: 'torch.split', example: 'torch.split(a, [1, 4])', rule: 'the pieces’ grads concatenated' },
};

export const unbindDef: OpDef<{ dim: number }> = {
  name: 'unbind',
  gradFn: 'UnbindBackward0',
  isView: true,
  multiOutputView: true,
  forward: ([a], { dim }) =>
    Array.from({ length: a.shape[dim] }, (_, i) => selectDef.forward([a], { dim, index: i }) as Tensor),
  backward: (ctx) => {
    const { dim } = ctx.attrs;
    const shape = ctx.inputMeta[0].shape.filter((_, d) => d !== dim);
    const grads = ctx.grads.map((g) => g ?? Tensor._empty(shape, ctx.grad.dtype));
    return [stack(grads, dim)];
  },
  doc: { torch: 'torch.unbind', example: 'torch.unbind(a, 0)', rule: 'the slices’ grads stacked' },
};

function splitDimArg(dim: number | DimOption | undefined): number {
  return typeof dim === 'object' ? dim.dim ?? 0 : dim ?? 0;
}

/**
 * `torch.split(a, splitSizeOrSections, dim=0)`: equal pieces of `splitSize` (the last one smaller)
 * or pieces of the listed sizes; all views of `a`.
 */
export function split(a: Tensor, splitSizeOrSections: number | readonly number[], dim?: number | DimOption): Tensor[] {
  if (a.shape.length === 0) throw new RuntimeError('split expects at least a 1-dimensional tensor');
  const d = normalizeDim(splitDimArg(dim), a.shape.length);
  const size = a.shape[d];
  if (typeof splitSizeOrSections === 'number') {
    const s = splitSizeOrSections;
    if (s < 0) throw new RuntimeError(`split expects split_size be non-negative, but got split_size=${s}`);
    if (s === 0 && size !== 0) {
      throw new RuntimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
    }
    return run(splitDef, [a], { dim: d, splitSize: s });
  }
  const sizes = splitSizeOrSections.slice();
  for (const s of sizes) {
    if (s < 0) throw new RuntimeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${formatShape(sizes)}`);
  }
  if (sizes.reduce((x, y) => x + y, 0) !== size) {
    throw new RuntimeError(
      `split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), ` +
      `but got split_sizes=${formatShape(sizes)}`);
  }
  return run(splitWithSizesDef, [a], { dim: d, sizes });
}

/** `torch.chunk(a, chunks, dim=0)`: at most `chunks` views of size ceil(size / chunks). */
export function chunk(a: Tensor, chunks: number, dim?: number | DimOption): Tensor[] {
  if (a.shape.length === 0) throw new RuntimeError('chunk expects at least a 1-dimensional tensor');
  if (chunks <= 0) throw new RuntimeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normalizeDim(splitDimArg(dim), a.shape.length);
  const size = a.shape[d];
  const splitSize = Math.ceil(size / chunks);
  if (splitSize === 0 && size === 0) {
    const sizes = new Array<number>(chunks).fill(0);
    return run(splitWithSizesDef, [a], { dim: d, sizes });
  }
  return run(splitDef, [a], { dim: d, splitSize });
}

/** `torch.unbind(a, dim=0)`: the slices along `dim` (views without that dim). */
export function unbind(a: Tensor, dim?: number | DimOption): Tensor[] {
  if (a.shape.length === 0) throw new RuntimeError('Dimension specified as 0 but tensor has no dimensions');
  return run(unbindDef, [a], { dim: normalizeDim(splitDimArg(dim), a.shape.length) });
}

declare module '../tensor' {
  interface Tensor {
    split(splitSizeOrSections: number | readonly number[], dim?: number | DimOption): Tensor[];
    chunk(chunks: number, dim?: number | DimOption): Tensor[];
    unbind(dim?: number | DimOption): Tensor[];
  }
}
const proto = Tensor.prototype;
proto.split = function (s, dim) { return split(this, s, dim); };
proto.chunk = function (c, dim) { return chunk(this, c, dim); };
proto.unbind = function (dim) { return unbind(this, dim); };
