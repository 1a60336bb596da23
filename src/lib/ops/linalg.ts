import { allocate, isFloating, type DType } from '../dtype';
import { RuntimeError } from '../errors';
import { broadcastShapes } from '../shape';
import { Tensor } from '../tensor';
import { gemm } from './blas';
import { contiguousTensor } from './kernels';
import { promoteTypes } from './promote';
import { run1, type OpDef } from './registry';
import { squeezeInplaceDimDef, unsafeViewDef } from './shapeOps';

/**
 * Matrix products. `mm`, `mv`, `dot` and `bmm` are primitives (one BLAS-style kernel each);
 * `matmul` is composed from them exactly as ATen's `_matmul_impl` does, so the graph shows the
 * same nodes PyTorch records (`SqueezeBackward4` → `MmBackward0` for vector @ matrix, ...).
 */

function dtypeOf(a: Tensor, b: Tensor): DType {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(`expected m1 and m2 to have the same dtype, but got: ${a.dtype} != ${b.dtype}`);
  }
  return a.dtype;
}

/** C = A·B for 2-D tensors of any strides (transposed operands are not copied). */
function matmul2d(a: Tensor, b: Tensor, dtype: DType): Tensor {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const out = allocate(dtype, m * n);
  if (m > 0 && n > 0) {
    if (k === 0) return Tensor._fromData(out, [m, n], dtype);
    const A = operand(a), B = operand(b);
    gemm(A.trans, B.trans, m, n, k, A.data, A.offset, A.ld, B.data, B.offset, B.ld, out, 0, n, dtype);
  }
  return Tensor._fromData(out, [m, n], dtype);
}

/** A 2-D operand as (storage, offset, leading dim, transposed?) without copying when possible. */
function operand(t: Tensor): { data: Tensor['_data']; offset: number; ld: number; trans: boolean } {
  const [r, c] = t.shape;
  const [sr, sc] = t.strides;
  if (c === 1 || sc === 1) return { data: t._data, offset: t.offset, ld: r === 1 ? c : sr, trans: false };
  if (r === 1 || sr === 1) return { data: t._data, offset: t.offset, ld: sc, trans: true };
  const ct = contiguousTensor(t);
  return { data: ct._data, offset: ct.offset, ld: c, trans: false };
}

export const mmDef: OpDef = {
  name: 'mm',
  gradFn: 'MmBackward0',
  forward: ([a, b]) => matmul2d(a, b, dtypeOf(a, b)),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => [
    needsGrad(0) ? grad.mm(input(1).t()) : null,
    needsGrad(1) ? input(0).t().mm(grad) : null,
  ],
  doc: { torch: 'torch.mm', example: 'torch.mm(a, b)', rule: '∂/∂A = grad·Bᵀ, ∂/∂B = Aᵀ·grad' },
};

export const mvDef: OpDef = {
  name: 'mv',
  gradFn: 'MvBackward0',
  forward: ([a, v]) => {
    const r = matmul2d(a, v.unsqueeze(1), dtypeOf(a, v));
    return Tensor._fromData(r._data, [a.shape[0]], r.dtype);
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
  forward: ([a, b]) => {
    const dtype = dtypeOf(a, b);
    let acc = 0;
    for (let i = 0; i < a.shape[0]; i++) acc += a._get(i) * b._get(i);
    const out = allocate(dtype, 1);
    out[0] = acc;
    return Tensor._fromData(out, [], dtype);
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
  forward: ([a, b]) => {
    const dtype = dtypeOf(a, b);
    const [batch, m] = a.shape;
    const n = b.shape[2];
    const out = allocate(dtype, batch * m * n);
    for (let i = 0; i < batch; i++) {
      const r = matmul2d(selectRaw(a, i), selectRaw(b, i), dtype);
      out.set(r._data as never, i * m * n);
    }
    return Tensor._fromData(out, [batch, m, n], dtype);
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => [
    needsGrad(0) ? grad.bmm(input(1).transpose(1, 2)) : null,
    needsGrad(1) ? input(0).transpose(1, 2).bmm(grad) : null,
  ],
  doc: { torch: 'torch.bmm', example: 'torch.bmm(a, b)', rule: 'per batch: grad·Bᵀ and Aᵀ·grad' },
};

function selectRaw(t: Tensor, i: number): Tensor {
  return new Tensor(t._box, t.shape.slice(1), t.dtype, t.strides.slice(1), t.offset + i * t.strides[0]);
}

function checkFloatOrSame(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype && (isFloating(a.dtype) || isFloating(b.dtype))) {
    throw new RuntimeError(`expected m1 and m2 to have the same dtype, but got: ${a.dtype} != ${b.dtype}`);
  }
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2) throw new RuntimeError('self must be a matrix');
  if (b.shape.length !== 2) throw new RuntimeError('mat2 must be a matrix');
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  checkFloatOrSame(a, b);
  return run1(mmDef, [a, b], {});
}

export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.shape.length !== 2 || v.shape.length !== 1) {
    throw new RuntimeError(`vector + matrix @ vector expected, got ${v.shape.length}, ${a.shape.length}, ${v.shape.length}`);
  }
  if (a.shape[1] !== v.shape[0]) {
    throw new RuntimeError(`size mismatch, got input (${a.shape[0]}), mat (${a.shape[0]}x${a.shape[1]}), vec (${v.shape[0]})`);
  }
  checkFloatOrSame(a, v);
  return run1(mvDef, [a, v], {});
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 1 || b.shape.length !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a.shape.length}D and ${b.shape.length}D tensors`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  checkFloatOrSame(a, b);
  return run1(dotDef, [a, b], {});
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 3) throw new RuntimeError('batch1 must be a 3D tensor');
  if (b.shape.length !== 3) throw new RuntimeError('batch2 must be a 3D tensor');
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2]) {
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  checkFloatOrSame(a, b);
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
  if (da === 1 && db === 2) return run1(squeezeInplaceDimDef, [mm(a.unsqueeze(0), b)], { dims: [0] });
  if (da === 2 && db === 2) return mm(a, b);
  if (shouldFold(a, b)) {
    const transpose = db > da;
    const t1 = transpose ? b.mT : a;
    const t2 = !transpose ? b : da === 2 ? a.t() : a;
    const outShape = t1.shape.slice(0, -1);
    const folded = outShape.reduce((x, y) => x * y, 1);
    const t1f = t1.reshape(folded, t1.shape[t1.shape.length - 1]);
    if (t2.shape.length === 2) {
      outShape.push(t2.shape[1]);
      const out = run1(unsafeViewDef, [mm(t1f, t2)], { shape: outShape });
      return transpose ? out.mT.contiguous() : out;
    }
    return run1(unsafeViewDef, [mv(t1f, t2)], { shape: outShape });
  }
  // Batched: broadcast the batch dims, fold them into one, bmm, unfold.
  const n = da > 1 ? a.shape[da - 2] : 1;
  const m1 = a.shape[da - 1];
  const batchA = da > 2 ? a.shape.slice(0, -2) : [];
  const m2 = db > 1 ? b.shape[db - 2] : b.shape[0];
  const p = db > 1 ? b.shape[db - 1] : 1;
  const batchB = db > 2 ? b.shape.slice(0, -2) : [];
  const batch = broadcastShapes(batchA, batchB);
  const bsize = batch.reduce((x, y) => x * y, 1);
  const a3 = a.expand([...batch, n, m1]).reshape(bsize, n, m1);
  const b3 = b.expand([...batch, m2, p]).reshape(bsize, m2, p);
  if (m1 !== m2) {
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${bsize}, ${m1}] but got: [${bsize}, ${m2}].`);
  }
  const outShape = [...batch];
  if (da > 1) outShape.push(n);
  if (db > 1) outShape.push(p);
  return run1(unsafeViewDef, [bmm(a3, b3)], { shape: outShape });
}

/** ATen's should_fold: fold the batch of the bigger operand into mm/mv rows when that is free. */
function shouldFold(a: Tensor, b: Tensor): boolean {
  const aLarger = a.shape.length >= b.shape.length;
  const t1 = aLarger ? a : b.mT;
  const dimT2 = aLarger ? b.shape.length : a.shape.length;
  if (!(t1.shape.length >= 3 && dimT2 <= 2)) return false;
  const t2RequiresGrad = aLarger ? b.requiresGrad : a.requiresGrad;
  if (t2RequiresGrad) return true;
  if (a.shape.length === 2) return false;
  if (t1.numel() === 0) return true;
  // t1.view(-1, t1.size(-1)) does not copy only when the first n-1 dims are contiguous.
  const sizes = t1.shape, strides = t1.strides;
  for (let i = sizes.length - 2; i > 0; i--) {
    if (sizes[i] !== 1 && strides[i - 1] !== strides[i] * sizes[i]) return false;
  }
  return true;
}

void promoteTypes;

declare module '../tensor' {
  interface Tensor {
    mm(other: Tensor): Tensor;
    mv(vec: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    matmul(other: Tensor): Tensor;
  }
}
const proto = Tensor.prototype;
proto.mm = function (other) { return mm(this, other); };
proto.mv = function (vec) { return mv(this, vec); };
proto.dot = function (other) { return dot(this, other); };
proto.bmm = function (other) { return bmm(this, other); };
proto.matmul = function (other) { return matmul(this, other); };
