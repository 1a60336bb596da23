import { allocate, type DType, type Storage } from '../dtype';
import { RuntimeError } from '../errors';
import { broadcastShapes, numelOf } from '../shape';
import { Tensor } from '../tensor';
import { inScope } from '../capture/hooks';
import { gemm, matrixOperand } from './blas';
import { contiguousTensor, readContiguous } from './kernels';
import { run1, type OpDef } from './registry';
import { squeezeInplaceDimDef, unsafeViewDef } from './shapeOps';

/**
 * Matrix products. `mm`, `mv`, `dot` and `bmm` are primitives (one GEMM each);
 * `matmul` is composed from them exactly as ATen's `_matmul_impl` does, so the graph shows the
 * nodes PyTorch records: SqueezeBackward4 → MmBackward0 for vector @ matrix, UnsafeViewBackward0
 * → MmBackward0 when a batch folds into the rows of one mm, UnsafeViewBackward0 → BmmBackward0
 * for broadcast batches, CloneBackward0 → TransposeBackward0 for matrix @ batch.
 */

/** c10's names for dtypes in messages (`float != double`). */
function cppName(d: DType): string {
  return d === 'float32' ? 'float' : d === 'float64' ? 'double' : d === 'int64' ? 'long int' : 'bool';
}

function checkDtypes(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(`expected m1 and m2 to have the same dtype, but got: ${cppName(a.dtype)} != ${cppName(b.dtype)}`);
  }
  if (a.dtype === 'bool') throw new RuntimeError('"addmm_impl_cpu_" not implemented for \'Bool\'');
}

/** Storage, offset and BLAS layout of a 2-D operand (a contiguous copy when strides don't fit). */
interface Operand { data: Storage; offset: number; trans: boolean; ld: number }

function operand2d(t: Tensor, rows: number, cols: number, rowStride: number, colStride: number, offset: number): Operand {
  const layout = matrixOperand(rows, cols, rowStride, colStride);
  if (layout) return { data: t._data, offset, ...layout };
  const c = Tensor._fromData(readContiguous(new Tensor(t._box, [rows, cols], t.dtype, [rowStride, colStride], offset)), [rows, cols], t.dtype);
  return { data: c._data, offset: 0, trans: false, ld: Math.max(cols, 1) };
}

/** out = a·b (+ beta·out) for 2-D `a` [m×k] and `b` [k×n] of any strides, into contiguous `out`. */
function mmInto(a: Tensor, b: Tensor, out: Storage, beta: number): void {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const A = operand2d(a, m, k, a.strides[0], a.strides[1], a.offset);
  const B = operand2d(b, k, n, b.strides[0], b.strides[1], b.offset);
  gemm(A.trans, B.trans, m, n, k, A.data, A.offset, A.ld, B.data, B.offset, B.ld, beta, out, 0, Math.max(n, 1), a.dtype);
}

export const mmDef: OpDef = {
  name: 'mm',
  gradFn: 'MmBackward0',
  forward([a, b]) {
    const out = allocate(a.dtype, a.shape[0] * b.shape[1]);
    mmInto(a, b, out, 0);
    return Tensor._fromData(out, [a.shape[0], b.shape[1]], a.dtype);
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad, inputStrides }) => [
    needsGrad(0) ? mmMat1Backward(grad, inputStrides(0), input(1)) : null,
    needsGrad(1) ? mmMat2Backward(grad, input(0), inputStrides(1)) : null,
  ],
  doc: { torch: 'torch.mm', example: 'torch.mm(a, b)', rule: '∂/∂A = grad·Bᵀ, ∂/∂B = Aᵀ·grad' },
};

/**
 * NOTE [Gradient layout of mm]
 * ATen's mm_mat1_backward / mm_mat2_backward give each matrix's gradient the layout of the matrix
 * itself: for a column-major operand — typically `weight.t()` in a linear layer — the product is
 * computed transposed (contiguous in the weight's own layout) and returned as its `.t()` view, so
 * the weight's gradient arrives contiguous instead of being transposed again by AccumulateGrad's
 * copy. Same values: each element is the same dot product, summed in the same order.
 */
function isColumnMajor(strides: readonly number[] | null, rows: number): boolean {
  return strides !== null && strides[0] === 1 && strides[1] === rows && rows > 1;
}

/** ∂/∂mat1 of mat1·mat2 (mat1 of `mat1Strides`): grad·mat2ᵀ, or (mat2·gradᵀ)ᵀ for a column-major mat1. */
export function mmMat1Backward(grad: Tensor, mat1Strides: readonly number[] | null, mat2: Tensor): Tensor {
  return isColumnMajor(mat1Strides, grad.shape[0]) ? mat2.mm(grad.t()).t() : grad.mm(mat2.t());
}

/** ∂/∂mat2 of mat1·mat2 (mat2 of `mat2Strides`): mat1ᵀ·grad, or (gradᵀ·mat1)ᵀ for a column-major mat2. */
export function mmMat2Backward(grad: Tensor, mat1: Tensor, mat2Strides: readonly number[] | null): Tensor {
  return isColumnMajor(mat2Strides, mat1.shape[1]) ? grad.t().mm(mat1).t() : mat1.t().mm(grad);
}

export const mvDef: OpDef = {
  name: 'mv',
  gradFn: 'MvBackward0',
  forward([a, v]) {
    const [m, k] = a.shape;
    const out = allocate(a.dtype, m);
    const A = operand2d(a, m, k, a.strides[0], a.strides[1], a.offset);
    const V = operand2d(v, k, 1, v.strides[0], 1, v.offset);
    gemm(A.trans, V.trans, m, 1, k, A.data, A.offset, A.ld, V.data, V.offset, V.ld, 0, out, 0, 1, a.dtype);
    return Tensor._fromData(out, [m], a.dtype);
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => [
    needsGrad(0) ? grad.unsqueeze(1).mul(input(1).unsqueeze(0)) : null,
    needsGrad(1) ? input(0).t().mv(grad) : null,
  ],
  doc: { torch: 'torch.mv', example: 'torch.mv(A, v)', rule: '∂/∂A = grad ⊗ v, ∂/∂v = Aᵀ·grad' },
};

export const dotDef: OpDef = {
  name: 'dot',
  gradFn: 'DotBackward0',
  forward([a, b]) {
    const n = a.shape[0];
    const da = a._data, db = b._data;
    const sa = a.strides[0], sb = b.strides[0];
    let acc = 0;
    for (let i = 0, ia = a.offset, ib = b.offset; i < n; i++, ia += sa, ib += sb) acc += da[ia] * db[ib];
    const out = allocate(a.dtype, 1);
    out[0] = acc;
    return Tensor._fromData(out, [], a.dtype);
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => [
    needsGrad(0) ? input(1).mul(grad) : null,
    needsGrad(1) ? input(0).mul(grad) : null,
  ],
  doc: { torch: 'torch.dot', example: 'torch.dot(a, b)', rule: '∂/∂a = grad·b, ∂/∂b = grad·a' },
};

export const bmmDef: OpDef = {
  name: 'bmm',
  gradFn: 'BmmBackward0',
  forward([a, b]) {
    const [batch, m, k] = a.shape;
    const n = b.shape[2];
    const out = allocate(a.dtype, batch * m * n);
    if (batch * m * n === 0) return Tensor._fromData(out, [batch, m, n], a.dtype);
    // NOTE: one layout decision (and at most one copy) per operand, then GEMM per batch in place.
    const A = batchOperand(a, m, k);
    const B = batchOperand(b, k, n);
    for (let i = 0; i < batch; i++) {
      gemm(A.trans, B.trans, m, n, k, A.data, A.offset + i * A.batchStride, A.ld,
        B.data, B.offset + i * B.batchStride, B.ld, 0, out, i * m * n, Math.max(n, 1), a.dtype);
    }
    return Tensor._fromData(out, [batch, m, n], a.dtype);
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => [
    needsGrad(0) ? grad.bmm(input(1).transpose(1, 2)) : null,
    needsGrad(1) ? input(0).transpose(1, 2).bmm(grad) : null,
  ],
  doc: { torch: 'torch.bmm', example: 'torch.bmm(a, b)', rule: 'per batch: grad·Bᵀ and Aᵀ·grad' },
};

function batchOperand(t: Tensor, rows: number, cols: number): Operand & { batchStride: number } {
  const layout = matrixOperand(rows, cols, t.strides[1], t.strides[2]);
  if (layout) return { data: t._data, offset: t.offset, batchStride: t.strides[0], ...layout };
  const c = contiguousTensor(t);
  return { data: c._data, offset: c.offset, batchStride: rows * cols, trans: false, ld: Math.max(cols, 1) };
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2) throw new RuntimeError('self must be a matrix');
  if (b.shape.length !== 2) throw new RuntimeError('mat2 must be a matrix');
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  checkDtypes(a, b);
  return run1(mmDef, [a, b], {});
}

export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.shape.length !== 2 || v.shape.length !== 1) {
    throw new RuntimeError(`vector + matrix @ vector expected, got 1, ${a.shape.length}, ${v.shape.length}`);
  }
  if (a.shape[1] !== v.shape[0]) {
    throw new RuntimeError(`size mismatch, got input (${a.shape[0]}), mat (${a.shape[0]}x${a.shape[1]}), vec (${v.shape[0]})`);
  }
  checkDtypes(a, v);
  return run1(mvDef, [a, v], {});
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 1 || b.shape.length !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a.shape.length}D and ${b.shape.length}D tensors`);
  }
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(
      `dot : expected both vectors to have same dtype, but found ${scalarName(a.dtype)} and ${scalarName(b.dtype)}`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of ` +
      `elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  return run1(dotDef, [a, b], {});
}

function scalarName(d: DType): string {
  return d === 'float32' ? 'Float' : d === 'float64' ? 'Double' : d === 'int64' ? 'Long' : 'Bool';
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 3) throw new RuntimeError('batch1 must be a 3D tensor');
  if (b.shape.length !== 3) throw new RuntimeError('batch2 must be a 3D tensor');
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2]) {
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  checkDtypes(a, b);
  return run1(bmmDef, [a, b], {});
}

/** `torch.matmul`, following ATen's `_matmul_impl` case by case. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.shape.length, db = b.shape.length;
  if (da === 0 || db === 0) {
    throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  }
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 2 && db === 2) return mm(a, b);
  return inScope('matmul', 'composite', () => matmulComposite(a, b));
}

function matmulComposite(a: Tensor, b: Tensor): Tensor {
  const da = a.shape.length, db = b.shape.length;
  if (da === 1 && db === 2) return run1(squeezeInplaceDimDef, [mm(a.unsqueeze(0), b)], { dims: [0] });
  if (shouldFold(a, b)) return matmulFolded(a, b);

  const n = da > 1 ? a.shape[da - 2] : 1;
  const m1 = a.shape[da - 1];
  const batchA = a.shape.slice(0, Math.max(da - 2, 0));
  const m2 = db > 1 ? b.shape[db - 2] : b.shape[0];
  const p = db > 1 ? b.shape[db - 1] : 1;
  const batchB = b.shape.slice(0, Math.max(db - 2, 0));
  // NOTE: like should_fold, avoid a batch-sized gradient for an operand broadcast over the batch.
  if (da === 3 && db === 3 && batchA[0] !== batchB[0]) {
    if (batchA[0] === 1 && a.requiresGrad) return matmulComposite(a.squeeze(0), b);
    if (batchB[0] === 1 && b.requiresGrad) return matmulComposite(a, b.squeeze(0));
  }
  const outShape = broadcastShapes(batchA, batchB);
  const bsize = numelOf(outShape);
  const a3 = a.expand([...outShape, n, m1]).reshape(bsize, n, m1);
  const vectorRhs = db === 1;
  const b3 = vectorRhs
    ? b.expand([...outShape, m2]).reshape(bsize, m2).unsqueeze(2)
    : b.expand([...outShape, m2, p]).reshape(bsize, m2, p);
  if (da > 1) outShape.push(n);
  if (db > 1) outShape.push(p);
  const prod = bmm(a3, b3);
  return run1(unsafeViewDef, [vectorRhs ? prod.squeeze(-1) : prod], { shape: outShape });
}

/** N-D @ 1/2-D (or 1/2-D @ N-D): the batch folds into the rows of one mm / mv. */
function matmulFolded(a: Tensor, b: Tensor): Tensor {
  const da = a.shape.length, db = b.shape.length;
  const transpose = db > da;
  const t1 = transpose ? b.mT : a;
  const t2 = !transpose ? b : da === 2 ? a.t() : a;
  const outShape = t1.shape.slice(0, -1);
  const folded = numelOf(outShape);
  const t1f = t1.reshape(folded, t1.shape[t1.shape.length - 1]);
  if (t2.shape.length === 2) {
    outShape.push(t2.shape[1]);
    const out = run1(unsafeViewDef, [mm(t1f, t2)], { shape: outShape });
    return transpose ? out.mT.contiguous() : out;
  }
  return run1(unsafeViewDef, [mv(t1f, t2)], { shape: outShape });
}

/**
 * ATen's should_fold: fold when the small operand needs a gradient (a broadcast bmm would build
 * a batch-sized gradient for it) or when the big one folds into a matrix without a copy.
 * Geometry only: PyTorch builds `b.mT` here, we don't record a throwaway node.
 */
function shouldFold(a: Tensor, b: Tensor): boolean {
  const aLarger = a.shape.length >= b.shape.length;
  const big = aLarger ? a : b;
  const t1Shape = aLarger ? a.shape.slice() : swapLastTwo(b.shape);
  const t1Strides = aLarger ? a.strides.slice() : swapLastTwo(b.strides);
  const dimT2 = aLarger ? b.shape.length : a.shape.length;
  if (!(t1Shape.length >= 3 && dimT2 <= 2)) return false;
  if ((aLarger ? b : a).requiresGrad) return true;
  if (a.shape.length === 2) return false;
  if (big.numel() === 0) return true;
  for (let i = 0; i < t1Shape.length - 2; i++) {
    if (t1Strides[i] !== t1Strides[i + 1] * t1Shape[i + 1]) return false;
  }
  return true;
}

function swapLastTwo(xs: readonly number[]): number[] {
  const out = xs.slice();
  const n = out.length;
  [out[n - 2], out[n - 1]] = [out[n - 1], out[n - 2]];
  return out;
}

/** `torch.outer(a, b)`: a.reshape(n, 1) * b (ViewBackward0 → MulBackward0, as in ATen). */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 1) throw new RuntimeError(`outer: Expected 1-D argument self, but got ${a.shape.length}-D`);
  if (b.shape.length !== 1) throw new RuntimeError(`outer: Expected 1-D argument vec2, but got ${b.shape.length}-D`);
  return inScope('outer', 'composite', () => a.reshape(a.shape[0], 1).mul(b));
}

declare module '../tensor' {
  interface Tensor {
    mm(other: Tensor): Tensor;
    mv(vec: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    matmul(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
  }
}
const proto = Tensor.prototype;
proto.mm = function (other) { return mm(this, other); };
proto.mv = function (vec) { return mv(this, vec); };
proto.dot = function (other) { return dot(this, other); };
proto.bmm = function (other) { return bmm(this, other); };
proto.matmul = function (other) { return matmul(this, other); };
proto.outer = function (other) { return outer(this, other); };
