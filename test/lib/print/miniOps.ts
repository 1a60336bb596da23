/**
 * The handful of ops the print fixtures' steps use, on MiniTensor, with PyTorch's dtype rules
 * for tensor-with-Python-scalar arithmetic and PyTorch's backward node names. Float32 results
 * are rounded once per op (Math.fround); the fixtures print 4 significant decimals, far above
 * the last-bit differences of reduction order.
 */
import { isFloating, type DType } from '../../../src/lib/dtype';
import { MiniTensor, numelOf, opResult } from './miniTensor';

/** A Python number: `int` and `float` differ in type promotion (`int64 * 2.0` is float32). */
export interface PyScalar { py: 'int' | 'float'; value: number }

export type Operand = MiniTensor | PyScalar;

const noGrad = (): readonly Float64Array[] => [];

// ------------------------------------------------------------------------------ elementwise

type Arithmetic = 'add' | 'sub' | 'mul' | 'div' | 'remainder' | 'pow';
type Comparison = 'eq' | 'gt' | 'lt' | 'ge' | 'le' | 'ne';

const BACKWARD_NAME: Record<Arithmetic, string> = {
  add: 'AddBackward0', sub: 'SubBackward0', mul: 'MulBackward0', div: 'DivBackward0',
  remainder: 'RemainderBackward0', pow: 'PowBackward0',
};

function resultDtype(op: Arithmetic, a: MiniTensor, b: Operand): DType {
  const other: DType = b instanceof MiniTensor ? b.dtype : b.py === 'float' ? 'float32' : 'int64';
  if (b instanceof MiniTensor && b.dtype !== a.dtype) {
    throw new Error(`test evaluator: mixed tensor dtypes ${a.dtype} and ${b.dtype} are not supported`);
  }
  let dtype: DType = isFloating(a.dtype) ? a.dtype : isFloating(other) ? 'float32' : 'int64';
  if (op === 'div' && !isFloating(dtype)) dtype = 'float32'; // true division
  return dtype;
}

/** Values of `b` broadcast against `a`: same shape, or a 0-dim tensor / Python scalar. */
function operandAt(a: MiniTensor, b: Operand): (i: number) => number {
  if (!(b instanceof MiniTensor)) return () => b.value;
  if (b.shape.length === 0) return () => b.data[0];
  if (b.shape.length === a.shape.length && b.shape.every((s, d) => s === a.shape[d])) return (i) => b.data[i];
  throw new Error(`test evaluator: broadcasting [${a.shape}] with [${b.shape}] is not supported`);
}

function compute(op: Arithmetic, x: number, y: number, dtype: DType): number {
  switch (op) {
    case 'add': return x + y;
    case 'sub': return x - y;
    case 'mul': return x * y;
    case 'div': return x / y;
    case 'remainder': return x - Math.floor(x / y) * y; // Python's sign-of-divisor modulo
    case 'pow': return dtype === 'float32' ? Math.fround(x) ** Math.fround(y) : x ** y;
  }
}

export function arithmetic(op: Arithmetic, a: MiniTensor, b: Operand): MiniTensor {
  const dtype = resultDtype(op, a, b);
  // NOTE: PyTorch casts a Python scalar to the op's dtype before computing (float32 here).
  const rawB = operandAt(a, b);
  const bAt = dtype === 'float32' ? (i: number) => Math.fround(rawB(i)) : rawB;
  const out = new Float64Array(a.numel);
  for (let i = 0; i < out.length; i++) out[i] = compute(op, a.data[i], bAt(i), dtype);
  const inputs = b instanceof MiniTensor ? [a, b] : [a];
  return opResult(dtype, a.shape, out, inputs, BACKWARD_NAME[op], (g) => {
    const ga = new Float64Array(g.length);
    const gb = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const x = a.data[i];
      const y = bAt(i);
      switch (op) {
        case 'add': ga[i] = g[i]; gb[i] = g[i]; break;
        case 'sub': ga[i] = g[i]; gb[i] = -g[i]; break;
        case 'mul': ga[i] = g[i] * y; gb[i] = g[i] * x; break;
        case 'div': ga[i] = g[i] / y; gb[i] = -g[i] * x / (y * y); break;
        case 'remainder': ga[i] = g[i]; gb[i] = -g[i] * Math.floor(x / y); break;
        case 'pow': ga[i] = g[i] * y * x ** (y - 1); gb[i] = g[i] * out[i] * Math.log(x); break;
      }
    }
    return b instanceof MiniTensor ? [ga, reduceTo(b, gb)] : [ga];
  });
}

/** Sum a broadcast gradient back to the operand's shape (only 0-dim operands broadcast here). */
function reduceTo(t: MiniTensor, g: Float64Array): Float64Array {
  if (t.shape.length > 0) return g;
  return Float64Array.of(g.reduce((s, v) => s + v, 0));
}

export function compare(op: Comparison, a: MiniTensor, b: Operand): MiniTensor {
  const bAt = operandAt(a, b);
  const test: Record<Comparison, (x: number, y: number) => boolean> = {
    eq: (x, y) => x === y, ne: (x, y) => x !== y, gt: (x, y) => x > y,
    lt: (x, y) => x < y, ge: (x, y) => x >= y, le: (x, y) => x <= y,
  };
  const out = Array.from(a.data, (x, i) => (test[op](x, bAt(i)) ? 1 : 0));
  return opResult('bool', a.shape, out, [], '', noGrad);
}

export function exp(a: MiniTensor): MiniTensor {
  const dtype = isFloating(a.dtype) ? a.dtype : 'float32';
  const out = Array.from(a.data, Math.exp);
  const result = opResult(dtype, a.shape, out, [a], 'ExpBackward0', (g) => [g.map((v, i) => v * result.data[i])]);
  return result;
}

// ------------------------------------------------------------------------------ reductions

export function sum(a: MiniTensor): MiniTensor {
  const dtype = isFloating(a.dtype) ? a.dtype : 'int64';
  const total = a.data.reduce((s, v) => s + v, 0);
  return opResult(dtype, [], [total], [a], 'SumBackward0', (g) => [new Float64Array(a.numel).fill(g[0])]);
}

export function mean(a: MiniTensor): MiniTensor {
  if (!isFloating(a.dtype)) throw new Error('mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype.');
  const n = a.numel;
  const total = a.data.reduce((s, v) => s + v, 0);
  return opResult(a.dtype, [], [total / n], [a], 'MeanBackward0', (g) => [new Float64Array(n).fill(g[0] / n)]);
}

/** `argmax(dim)`: index of the first maximum along `dim` (int64, no grad). */
export function argmax(a: MiniTensor, dim: number): MiniTensor {
  const d = dim < 0 ? dim + a.shape.length : dim;
  const size = a.shape[d];
  const inner = numelOf(a.shape.slice(d + 1));
  const outer = numelOf(a.shape.slice(0, d));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      for (let k = 1; k < size; k++) {
        if (a.data[(o * size + k) * inner + i] > a.data[(o * size + best) * inner + i]) best = k;
      }
      out.push(best);
    }
  }
  return opResult('int64', a.shape.filter((_, k) => k !== d), out, [], '', noGrad);
}

// ------------------------------------------------------------------------------ linear algebra

/** 2-D view of a matmul operand and how to restore the result's shape. */
function asMatrix(t: MiniTensor, side: 'left' | 'right'): [number, number] {
  if (t.shape.length === 2) return [t.shape[0], t.shape[1]];
  if (t.shape.length === 1) return side === 'left' ? [1, t.shape[0]] : [t.shape[0], 1];
  throw new Error(`test evaluator: matmul of a ${t.shape.length}-D tensor is not supported`);
}

function matmulValues(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA = false, transB = false): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = s;
    }
  }
  return out;
}

export function matmul(a: MiniTensor, b: MiniTensor): MiniTensor {
  const [m, k] = asMatrix(a, 'left');
  const [k2, n] = asMatrix(b, 'right');
  if (k !== k2) throw new Error(`mat1 and mat2 shapes cannot be multiplied (${m}x${k} and ${k2}x${n})`);
  const shape = [...(a.shape.length === 2 ? [m] : []), ...(b.shape.length === 2 ? [n] : [])];
  // PyTorch 2.x names: mm for 2-D x 2-D, mv for 2-D x 1-D, dot for 1-D x 1-D, and 1-D x 2-D
  // is an unsqueeze + mm + squeeze.
  const name = a.shape.length === 2
    ? (b.shape.length === 2 ? 'MmBackward0' : 'MvBackward0')
    : (b.shape.length === 2 ? 'SqueezeBackward4' : 'DotBackward0');
  const out = matmulValues(a.data, b.data, m, k, n);
  return opResult(a.dtype, shape, out, [a, b], name, (g) => [
    matmulValues(g, b.data, m, n, k, false, true), // g · bᵀ
    matmulValues(a.data, g, k, m, n, true, false), // aᵀ · g
  ]);
}

export function transpose2d(a: MiniTensor): MiniTensor {
  if (a.shape.length !== 2) throw new Error('test evaluator: t() is only implemented for 2-D tensors');
  const [r, c] = a.shape;
  const swap = (src: Float64Array, rows: number, cols: number): Float64Array => {
    const out = new Float64Array(src.length);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = src[i * cols + j];
    return out;
  };
  return opResult(a.dtype, [c, r], swap(a.data, r, c), [a], 'TBackward0', (g) => [swap(g, c, r)]);
}

export function reshape(a: MiniTensor, shape: readonly number[]): MiniTensor {
  const known = shape.filter((s) => s !== -1).reduce((x, y) => x * y, 1);
  const resolved = shape.map((s) => (s === -1 ? a.numel / known : s));
  if (numelOf(resolved) !== a.numel) throw new Error(`shape '[${shape.join(', ')}]' is invalid for input of size ${a.numel}`);
  // PyTorch 2.x: reshape of a contiguous tensor is a view.
  return opResult(a.dtype, resolved, a.data, [a], 'ViewBackward0', (g) => [g]);
}

// ------------------------------------------------------------------------------ losses

/** `binary_cross_entropy_with_logits(z, y)`, mean reduction, PyTorch's log-sum-exp form. */
export function binaryCrossEntropyWithLogits(z: MiniTensor, y: MiniTensor): MiniTensor {
  if (z.numel !== y.numel) throw new Error('test evaluator: target must have the shape of input');
  const n = z.numel;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = z.data[i];
    const t = y.data[i];
    const maxVal = Math.max(-x, 0);
    total += Math.fround((1 - t) * x + maxVal + Math.log(Math.exp(-maxVal) + Math.exp(-x - maxVal)));
  }
  return opResult(z.dtype, [], [total / n], [z, y], 'BinaryCrossEntropyWithLogitsBackward0', (g) => [
    Float64Array.from(z.data, (x, i) => ((1 / (1 + Math.exp(-x)) - y.data[i]) * g[0]) / n),
    Float64Array.from(z.data, (x) => (-x * g[0]) / n),
  ]);
}
