import { RuntimeError } from '../errors';
import { formatShape, normalizeDim, shapeFromArgs } from '../shape';
import { Tensor } from '../tensor';
import { inScope } from '../capture/hooks';
import { readContiguous } from './kernels';
import { copyStrided } from './stridedCopy';
import { run1, type OpDef } from './registry';
import { viewOf } from './shapeOps';

/**
 * Rearranging copies: `repeat` (RepeatBackward0), `flip` (FlipBackward0), `roll`
 * (RollBackward0), `tril` / `triu` (TrilBackward0 / TriuBackward0), and the diagonal ops:
 * `diagonal` (a view, DiagonalBackward0), `diag_embed` (DiagEmbedBackward0) and `diag`.
 */

interface RepeatAttrs { repeats: number[] }

export const repeatDef: OpDef<RepeatAttrs> = {
  name: 'repeat',
  gradFn: 'RepeatBackward0',
  forward([a], { repeats }) {
    const lead = repeats.length - a.shape.length;
    const padded = [...new Array<number>(lead).fill(1), ...a.shape];
    const strides = [...new Array<number>(lead).fill(0), ...a.strides];
    // Read the input as [r0, s0, r1, s1, …] with stride 0 along each r: the row-major order of
    // that view is exactly the repeated tensor.
    const interleaved = viewOf(a, padded.flatMap((s, d) => [repeats[d], s]), strides.flatMap((st) => [0, st]), a.offset);
    let values = readContiguous(interleaved);
    if (values.buffer === a._data.buffer) values = values.slice();
    return Tensor._fromData(values, padded.map((s, d) => s * repeats[d]), a.dtype);
  },
  backward: ({ grad, inputMeta, attrs: { repeats } }) => {
    const shape = inputMeta[0].shape;
    const lead = repeats.length - shape.length;
    const padded = [...new Array<number>(lead).fill(1), ...shape];
    const interleaved = padded.flatMap((s, d) => [repeats[d], s]);
    const repeatDims = padded.map((_, d) => 2 * d);
    return [grad.reshape(interleaved).sum(repeatDims).reshape(shape)];
  },
  doc: { torch: 'Tensor.repeat', example: 'a.repeat(2, 1)', rule: 'grad summed over the copies' },
};

/** `a.repeat(*sizes)`: tiles the tensor (sizes may add leading dims). */
export function repeat(a: Tensor, ...sizes: (number | readonly number[])[]): Tensor {
  const repeats = shapeFromArgs(sizes);
  if (repeats.length < a.shape.length) {
    throw new RuntimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  if (repeats.some((r) => r < 0 || !Number.isInteger(r))) {
    throw new RuntimeError(`Trying to create tensor with negative dimension ${repeats.find((r) => r < 0)}: ${formatShape(repeats)}`);
  }
  return run1(repeatDef, [a], { repeats });
}

interface DimsAttrs { dims: number[] }

export const flipDef: OpDef<DimsAttrs> = {
  name: 'flip',
  gradFn: 'FlipBackward0',
  forward([a], { dims }) {
    let offset = a.offset;
    const strides = a.strides.slice();
    for (const d of dims) {
      if (a.shape[d] > 0) offset += (a.shape[d] - 1) * a.strides[d];
      strides[d] = -a.strides[d];
    }
    // NOTE: a negative-stride read, copied out (PyTorch's flip returns a new tensor too).
    const out = Tensor._empty(a.shape, a.dtype);
    copyStrided(out, new Tensor(a._box, a.shape, a.dtype, strides, offset));
    return out;
  },
  backward: ({ grad, attrs: { dims } }) => [grad.flip(dims)],
  doc: { torch: 'torch.flip', example: 'torch.flip(a, [0])', rule: 'grad flipped back' },
};

/** `torch.flip(a, dims)` */
export function flip(a: Tensor, dims: number | readonly number[]): Tensor {
  const ds = (typeof dims === 'number' ? [dims] : dims).map((d) => normalizeDim(d, a.shape.length));
  if (new Set(ds).size !== ds.length) throw new RuntimeError(`dims has duplicates, original flip dims size=${ds.length}, but unique flip dims size=${new Set(ds).size}`);
  return run1(flipDef, [a], { dims: ds });
}

interface RollAttrs { shifts: number[]; dims: number[] }

export const rollDef: OpDef<RollAttrs> = {
  name: 'roll',
  gradFn: 'RollBackward0',
  forward([a], { shifts, dims }) {
    let cur = a;
    shifts.forEach((shift, i) => {
      const d = dims[i];
      const size = cur.shape[d];
      if (size === 0) return;
      const s = ((shift % size) + size) % size;
      if (s === 0) return;
      const out = Tensor._empty(cur.shape, cur.dtype);
      const part = (t: Tensor, start: number, len: number) => {
        const shape = t.shape.slice();
        shape[d] = len;
        return viewOf(t, shape, t.strides, t.offset + start * t.strides[d]);
      };
      copyStrided(part(out, s, size - s), part(cur, 0, size - s));
      copyStrided(part(out, 0, s), part(cur, size - s, s));
      cur = out;
    });
    return cur === a ? Tensor._fromData(readContiguous(a).slice(), a.shape, a.dtype) : cur;
  },
  backward: ({ grad, attrs: { shifts, dims } }) => [run1(rollDef, [grad], { shifts: shifts.map((s) => -s), dims })],
  doc: { torch: 'torch.roll', example: 'torch.roll(a, 1, 0)', rule: 'grad rolled back' },
};

/** `torch.roll(a, shifts, dims)`; without dims the flattened tensor is rolled. */
export function roll(a: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  const s = typeof shifts === 'number' ? [shifts] : shifts.slice();
  if (dims === undefined || (Array.isArray(dims) && dims.length === 0)) {
    if (s.length !== 1) throw new RuntimeError(`shifts and dimensions must align. shifts: ${s.length}, dims:0`);
    return inScope('roll', 'composite', () => run1(rollDef, [a.flatten()], { shifts: s, dims: [0] }).view(a.shape));
  }
  const ds = (typeof dims === 'number' ? [dims] : dims).map((d) => normalizeDim(d, a.shape.length));
  if (ds.length !== s.length) throw new RuntimeError(`shifts and dimensions must align. shifts: ${s.length}, dims:${ds.length}`);
  return run1(rollDef, [a], { shifts: s, dims: ds });
}

interface TriAttrs { diagonal: number; upper: boolean }

export const trilDef: OpDef<TriAttrs> = {
  name: 'tril',
  gradFn: (a) => (a.upper ? 'TriuBackward0' : 'TrilBackward0'),
  forward([a], { diagonal, upper }) {
    const out = Tensor._fromData(readContiguous(a).slice(), a.shape, a.dtype);
    const [rows, cols] = a.shape.slice(-2);
    const data = out._data;
    const plane = rows * cols;
    for (let base = 0; base < data.length; base += plane) {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const keep = upper ? j - i >= diagonal : j - i <= diagonal;
          if (!keep) data[base + i * cols + j] = 0;
        }
      }
    }
    return out;
  },
  backward: ({ grad, attrs }) => [run1(trilDef, [grad], attrs)],
  doc: { torch: 'torch.tril', example: 'torch.tril(a)', rule: 'grad with the same triangle kept' },
};

function triangle(a: Tensor, diagonal: number, upper: boolean): Tensor {
  if (a.shape.length < 2) {
    throw new RuntimeError(`${upper ? 'triu' : 'tril'}: input tensor must have at least 2 dimensions`);
  }
  return run1(trilDef, [a], { diagonal, upper });
}
/** `torch.tril(a, diagonal=0)`: zeros above the diagonal. */
export function tril(a: Tensor, diagonal = 0): Tensor {
  return triangle(a, diagonal, false);
}
/** `torch.triu(a, diagonal=0)`: zeros below the diagonal. */
export function triu(a: Tensor, diagonal = 0): Tensor {
  return triangle(a, diagonal, true);
}

interface DiagonalAttrs { offset: number; dim1: number; dim2: number }

function diagonalView(a: Tensor, { offset, dim1, dim2 }: DiagonalAttrs): Tensor {
  const size = offset >= 0
    ? Math.max(Math.min(a.shape[dim1], a.shape[dim2] - offset), 0)
    : Math.max(Math.min(a.shape[dim1] + offset, a.shape[dim2]), 0);
  let start = a.offset;
  if (size > 0) start += offset >= 0 ? offset * a.strides[dim2] : -offset * a.strides[dim1];
  const keep = a.shape.map((_, d) => d).filter((d) => d !== dim1 && d !== dim2);
  return viewOf(a, [...keep.map((d) => a.shape[d]), size], [...keep.map((d) => a.strides[d]), a.strides[dim1] + a.strides[dim2]], start);
}

export const diagonalDef: OpDef<DiagonalAttrs> = {
  name: 'diagonal',
  gradFn: 'DiagonalBackward0',
  isView: true,
  forward: ([a], attrs) => diagonalView(a, attrs),
  backward: ({ grad, inputMeta, attrs }) => [run1(diagonalBackwardDef, [grad], { ...attrs, inputShape: inputMeta[0].shape.slice() })],
  doc: { torch: 'torch.diagonal', example: 'torch.diagonal(a)', rule: 'grad placed on the diagonal of zeros' },
};

/** `diagonal_backward`: zeros of the input's shape with `grad` on the diagonal. */
export const diagonalBackwardDef: OpDef<DiagonalAttrs & { inputShape: number[] }> = {
  name: 'diagonalBackward',
  gradFn: 'DiagonalBackwardBackward0',
  forward([g], { inputShape, ...attrs }) {
    const out = Tensor._empty(inputShape, g.dtype);
    copyStrided(diagonalView(out, attrs), g);
    return out;
  },
  backward: ({ grad, attrs: { offset, dim1, dim2 } }) => [run1(diagonalDef, [grad], { offset, dim1, dim2 })],
  doc: { torch: 'torch.diagonal_backward', example: '(backward of diagonal)', rule: 'grad’s diagonal' },
};

/** `torch.diagonal(a, offset=0, dim1=0, dim2=1)`: a view of the diagonal (appended as the last dim). */
export function diagonal(a: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const d1 = normalizeDim(dim1, a.shape.length);
  const d2 = normalizeDim(dim2, a.shape.length);
  if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  return run1(diagonalDef, [a], { offset, dim1: d1, dim2: d2 });
}

export const diagEmbedDef: OpDef<DiagonalAttrs> = {
  name: 'diagEmbed',
  gradFn: 'DiagEmbedBackward0',
  forward([a], attrs) {
    const n = a.shape[a.shape.length - 1] + Math.abs(attrs.offset);
    const shape = a.shape.slice(0, -1);
    const [lo, hi] = attrs.dim1 < attrs.dim2 ? [attrs.dim1, attrs.dim2] : [attrs.dim2, attrs.dim1];
    shape.splice(lo, 0, n);
    shape.splice(hi, 0, n);
    const out = Tensor._empty(shape, a.dtype);
    copyStrided(diagonalView(out, attrs), a);
    return out;
  },
  backward: ({ grad, attrs }) => [run1(diagonalDef, [grad], attrs)],
  doc: { torch: 'torch.diag_embed', example: 'torch.diagEmbed(v)', rule: 'the diagonal of grad' },
};

/** `torch.diag_embed(a, offset=0, dim1=-2, dim2=-1)` */
export function diagEmbed(a: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  const nd = a.shape.length + 1;
  const d1 = normalizeDim(dim1, nd);
  const d2 = normalizeDim(dim2, nd);
  if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  return run1(diagEmbedDef, [a], { offset, dim1: d1, dim2: d2 });
}

/** `torch.diag(a, diagonal=0)`: a 1-D tensor becomes a diagonal matrix; a matrix gives its diagonal (a copy). */
export function diag(a: Tensor, diagonalIndex = 0): Tensor {
  if (a.shape.length === 1) return diagEmbed(a, diagonalIndex, 0, 1);
  if (a.shape.length !== 2) throw new RuntimeError('diag(): Supports 1D or 2D tensors. Got ' + `${a.shape.length}D`);
  return inScope('diag', 'composite', () => diagonal(a, diagonalIndex).clone());
}

/** `torch.trace(a)`: sum of the main diagonal. */
export function trace(a: Tensor): Tensor {
  if (a.shape.length !== 2) throw new RuntimeError('trace: expected a matrix, but got tensor with dim ' + a.shape.length);
  return inScope('trace', 'composite', () => diagonal(a).sum(), 'TraceBackward0');
}


declare module '../tensor' {
  interface Tensor {
    repeat(...sizes: (number | readonly number[])[]): Tensor;
    flip(dims: number | readonly number[]): Tensor;
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    tril(diagonal?: number): Tensor;
    triu(diagonal?: number): Tensor;
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    diag(diagonal?: number): Tensor;
    diagEmbed(offset?: number, dim1?: number, dim2?: number): Tensor;
    trace(): Tensor;
  }
}
const proto = Tensor.prototype;
proto.repeat = function (...sizes) { return repeat(this, ...sizes); };
proto.flip = function (dims) { return flip(this, dims); };
proto.roll = function (shifts, dims) { return roll(this, shifts, dims); };
proto.tril = function (d) { return tril(this, d); };
proto.triu = function (d) { return triu(this, d); };
proto.diagonal = function (o, d1, d2) { return diagonal(this, o, d1, d2); };
proto.diag = function (d) { return diag(this, d); };
proto.diagEmbed = function (o, d1, d2) { return diagEmbed(this, o, d1, d2); };
proto.trace = function () { return trace(this); };
