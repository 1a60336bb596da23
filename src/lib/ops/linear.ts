import { scalarTypeName } from '../dtype';
import { RuntimeError } from '../errors';
import { inScope } from '../capture/hooks';
import { Tensor } from '../tensor';
import { ADD, arithmetic, binaryMap, unaryMap } from './kernels';
import { mmDef, mmMat1Backward, mmMat2Backward } from './linalg';
import { run1, type OpDef } from './registry';
import { expandShape } from './shapeOps';

/**
 * `torch.addmm` and `torch.nn.functional.linear`. `addmm` is one primitive (PyTorch records one
 * AddmmBackward0 node for it); `linear` is composed from addmm / matmul exactly as ATen's
 * `at::native::linear` does, so the graph shows the nodes PyTorch 2.11 records:
 *   2-D input with bias                → AddmmBackward0(bias, input, TBackward0(weight))
 *   contiguous n-D input with 1-D bias → ViewBackward0(AddmmBackward0(bias, input viewed as 2-D, weight.t()))
 *   no bias                            → matmul(input, weight.t()) (MmBackward0 for 2-D input)
 *   other inputs with bias             → matmul(...).add_(bias)
 */

interface AddmmAttrs { beta: number; alpha: number }

/** `beta * self + alpha * (mat1 @ mat2)`; `self` broadcasts to the product's shape. */
export const addmmDef: OpDef<AddmmAttrs> = {
  name: 'addmm',
  gradFn: 'AddmmBackward0',
  forward([self, mat1, mat2], { beta, alpha }) {
    // NOTE: mmDef.forward is the product kernel alone (no autograd recording).
    const product = mmDef.forward([mat1, mat2], {}) as Tensor;
    const dtype = product.dtype;
    if (beta === 0) {
      // PyTorch ignores `self` entirely when beta is 0 (NaN/Inf in it do not propagate).
      return alpha === 1 ? product : unaryMap(product, dtype, (p) => alpha * p);
    }
    // The bias row is added by arithmetic's per-row loop (the same sums as an elementwise add).
    if (beta === 1 && alpha === 1) return arithmetic(ADD, product, self, dtype);
    return binaryMap(product, self, dtype, (p, s) => alpha * p + beta * s);
  },
  savesInputs: [1, 2],
  backward: ({ grad, input, needsGrad, inputStrides, attrs: { beta, alpha } }) => [
    needsGrad(0) ? scaled(grad, beta) : null,
    needsGrad(1) ? scaled(mmMat1Backward(grad, inputStrides(1), input(2)), alpha) : null,
    needsGrad(2) ? scaled(mmMat2Backward(grad, input(1), inputStrides(2)), alpha) : null,
  ],
  doc: {
    torch: 'torch.addmm',
    example: 'torch.addmm(bias, x, w.t())',
    rule: '∂/∂self = beta·grad (summed to self\'s shape), ∂/∂mat1 = alpha·grad·mat2ᵀ, ∂/∂mat2 = alpha·mat1ᵀ·grad',
  },
};

/** PyTorch's `maybe_multiply`: no extra node when the factor is 1. */
function scaled(t: Tensor, factor: number): Tensor {
  return factor === 1 ? t : t.mul(factor);
}

export interface AddmmOptions {
  beta?: number;
  alpha?: number;
}

/** `torch.addmm(input, mat1, mat2, *, beta=1, alpha=1)` */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, options: AddmmOptions = {}): Tensor {
  // Checks in the order of ATen's ADDMM_META, with its messages.
  if (input.dtype !== mat2.dtype) {
    throw new RuntimeError(
      `self and mat2 must have the same dtype, but got ${scalarTypeName(input.dtype)} and ${scalarTypeName(mat2.dtype)}`);
  }
  if (mat1.dtype !== mat2.dtype) {
    throw new RuntimeError(
      `mat1 and mat2 must have the same dtype, but got ${scalarTypeName(mat1.dtype)} and ${scalarTypeName(mat2.dtype)}`);
  }
  if (mat1.dim() !== 2) throw new RuntimeError(`mat1 must be a matrix, got ${mat1.dim()}-D tensor`);
  if (mat2.dim() !== 2) throw new RuntimeError(`mat2 must be a matrix, got ${mat2.dim()}-D tensor`);
  if (mat1.shape[1] !== mat2.shape[0]) {
    throw new RuntimeError(
      `mat1 and mat2 shapes cannot be multiplied (${mat1.shape[0]}x${mat1.shape[1]} and ${mat2.shape[0]}x${mat2.shape[1]})`);
  }
  // Throws PyTorch's "The expanded size of the tensor ..." when `input` does not broadcast.
  expandShape(input, [mat1.shape[0], mat2.shape[1]]);
  return run1(addmmDef, [input, mat1, mat2], { beta: options.beta ?? 1, alpha: options.alpha ?? 1 });
}

/** `torch.nn.functional.linear(input, weight, bias=None)`: input @ weightᵀ + bias. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return inScope('linear', 'composite', () => {
    const dim = input.dim();
    if (bias !== null && dim === 2) return addmm(bias, input, weight.t());
    if (bias !== null && dim > 0 && input.isContiguous() && (dim === 3 || bias.dim() === 1)) {
      return flattenNdLinear(input, weight, bias);
    }
    const output = input.matmul(weight.t());
    // NOTE: ATen adds the bias in place here (output.add_(bias)), giving AddBackward0.
    return bias === null ? output : output.add_(bias);
  });
}

/** ATen's `_flatten_nd_linear`: folds the leading dims into rows, one addmm, views back. */
function flattenNdLinear(input: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const sizes = input.shape;
  let rows = 1;
  for (let i = 0; i < sizes.length - 1; i++) rows *= sizes[i];
  const result = addmm(bias, input.reshape(rows, sizes[sizes.length - 1]), weight.t());
  return result.view([...sizes.slice(0, -1), result.shape[1]]);
}

declare module '../tensor' {
  interface Tensor {
    /** `self.addmm(mat1, mat2)` = `torch.addmm(self, mat1, mat2)`. */
    addmm(mat1: Tensor, mat2: Tensor, options?: AddmmOptions): Tensor;
  }
}
Tensor.prototype.addmm = function (mat1, mat2, options) { return addmm(this, mat1, mat2, options); };
