import { isFloating, type DType } from '../dtype';
import { Tensor } from '../tensor';
import { binaryMap, unaryMap } from './kernels';
import { defaultDtype, resultType, wrapScalar, type TensorOrScalar } from './promote';
import { run1, type OpDef } from './registry';
import { inplace } from './inplace';

/**
 * Elementwise arithmetic and math. Each op is one `OpDef` (see NOTE [The op table] in registry.ts);
 * the functions below only convert arguments (Python numbers become wrapped 0-dim tensors of the
 * computation dtype, as PyTorch's TensorIterator does) and call `run1`.
 */

interface AlphaAttrs { alpha: number }

function f32(x: number): number {
  return Math.fround(x);
}

/** The computation dtype of a float op: integers and bools compute in the default float dtype. */
function floatDtype(d: DType): DType {
  return isFloating(d) ? d : defaultDtype();
}

export const addDef: OpDef<AlphaAttrs> = {
  name: 'add',
  gradFn: 'AddBackward0',
  forward([a, b], { alpha }) {
    const dtype = resultType([a, b]);
    if (alpha === 1) return binaryMap(a, b, dtype, (x, y) => x + y);
    // NOTE: CPU add with alpha is fma(alpha, b, a) with alpha in the op's dtype: one rounding.
    const al = dtype === 'float32' ? f32(alpha) : alpha;
    return binaryMap(a, b, dtype, (x, y) => x + al * y);
  },
  backward: ({ grad, attrs: { alpha }, needsGrad }) =>
    [grad, needsGrad(1) ? (alpha === 1 ? grad : grad.mul(alpha)) : null],
  doc: { torch: 'torch.add', example: 'torch.add(a, b, { alpha: 2 })', rule: '∂/∂a = grad, ∂/∂b = alpha·grad' },
};

export const subDef: OpDef<AlphaAttrs> = {
  name: 'sub',
  gradFn: 'SubBackward0',
  forward([a, b], { alpha }) {
    const dtype = resultType([a, b]);
    if (alpha === 1) return binaryMap(a, b, dtype, (x, y) => x - y);
    const al = dtype === 'float32' ? f32(alpha) : alpha;
    return binaryMap(a, b, dtype, (x, y) => x - al * y);
  },
  backward: ({ grad, attrs: { alpha }, needsGrad }) =>
    [grad, needsGrad(1) ? (alpha === 1 ? grad.neg() : grad.mul(-alpha)) : null],
  doc: { torch: 'torch.sub', example: 'torch.sub(a, b)', rule: '∂/∂a = grad, ∂/∂b = −alpha·grad' },
};

export const mulDef: OpDef = {
  name: 'mul',
  gradFn: 'MulBackward0',
  forward: ([a, b]) => binaryMap(a, b, resultType([a, b]), (x, y) => x * y),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => [
    needsGrad(0) ? grad.mul(input(1)) : null,
    needsGrad(1) ? grad.mul(input(0)) : null,
  ],
  doc: { torch: 'torch.mul', example: 'torch.mul(a, b)', rule: '∂/∂a = grad·b, ∂/∂b = grad·a' },
};

export const divDef: OpDef = {
  name: 'div',
  gradFn: 'DivBackward0',
  forward: ([a, b]) => binaryMap(a, b, floatDtype(resultType([a, b])), (x, y) => x / y),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => {
    const b = input(1);
    return [
      needsGrad(0) ? grad.div(b) : null,
      needsGrad(1) ? grad.neg().mul(input(0).div(b).div(b)) : null,
    ];
  },
  doc: { torch: 'torch.div', example: 'torch.div(a, b)', rule: '∂/∂a = grad/b, ∂/∂b = −grad·a/b²' },
};

export const negDef: OpDef = {
  name: 'neg',
  gradFn: 'NegBackward0',
  forward: ([a]) => unaryMap(a, a.dtype, (x) => -x),
  backward: ({ grad }) => [grad.neg()],
  doc: { torch: 'torch.neg', example: 'torch.neg(a)', rule: '−grad' },
};

export const reciprocalDef: OpDef = {
  name: 'reciprocal',
  gradFn: 'ReciprocalBackward0',
  forward: ([a]) => unaryMap(a, floatDtype(a.dtype), (x) => 1 / x),
  savesOutputs: [0],
  backward: ({ grad, output }) => {
    const r = output(0);
    return [grad.neg().mul(r.mul(r))];
  },
  doc: { torch: 'torch.reciprocal', example: 'torch.reciprocal(a)', rule: '−grad/a²' },
};

export const expDef: OpDef = {
  name: 'exp',
  gradFn: 'ExpBackward0',
  forward: ([a]) => unaryMap(a, floatDtype(a.dtype), Math.exp),
  savesOutputs: [0],
  backward: ({ grad, output }) => [grad.mul(output(0))],
  doc: { torch: 'torch.exp', example: 'torch.exp(a)', rule: 'grad·exp(a)' },
};

export const logDef: OpDef = {
  name: 'log',
  gradFn: 'LogBackward0',
  forward: ([a]) => unaryMap(a, floatDtype(a.dtype), Math.log),
  savesInputs: [0],
  backward: ({ grad, input }) => [grad.div(input(0))],
  doc: { torch: 'torch.log', example: 'torch.log(a)', rule: 'grad/a' },
};

export const sigmoidDef: OpDef = {
  name: 'sigmoid',
  gradFn: 'SigmoidBackward0',
  forward: ([a]) => unaryMap(a, floatDtype(a.dtype), (x) => 1 / (1 + Math.exp(-x))),
  savesOutputs: [0],
  backward: ({ grad, output }) => {
    const s = output(0);
    return [grad.mul(s.mul(s.neg().add(1)))];
  },
  doc: { torch: 'torch.sigmoid', example: 'torch.sigmoid(a)', rule: 'grad·σ(a)·(1 − σ(a))' },
};

export const reluDef: OpDef = {
  name: 'relu',
  gradFn: 'ReluBackward0',
  forward: ([a]) => unaryMap(a, a.dtype, (x) => (x > 0 ? x : x !== x ? x : 0)),
  savesOutputs: [0],
  backward: ({ grad, output }) => [grad.mul(output(0).gt(0))],
  doc: { torch: 'torch.relu', example: 'torch.relu(a)', rule: 'grad where a > 0, else 0' },
};

export const gtDef: OpDef = {
  name: 'gt',
  gradFn: 'GtBackward0',
  forward: ([a, b]) => binaryMap(a, b, 'bool', (x, y) => (x > y ? 1 : 0)),
  doc: { torch: 'torch.gt', example: 'torch.gt(a, 0)' },
};

/** Both operands as tensors; Python numbers become wrapped 0-dim tensors of the result dtype. */
export function operands(a: TensorOrScalar, b: TensorOrScalar, float = false): [Tensor, Tensor] {
  let dtype = resultType([a, b]);
  if (float) dtype = floatDtype(dtype);
  return [
    a instanceof Tensor ? a : wrapScalar(a, dtype),
    b instanceof Tensor ? b : wrapScalar(b, dtype),
  ];
}

export function add(a: TensorOrScalar, b: TensorOrScalar, options: { alpha?: number } = {}): Tensor {
  return run1(addDef, operands(a, b), { alpha: options.alpha ?? 1 });
}
export function sub(a: TensorOrScalar, b: TensorOrScalar, options: { alpha?: number } = {}): Tensor {
  return run1(subDef, operands(a, b), { alpha: options.alpha ?? 1 });
}
export function mul(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return run1(mulDef, operands(a, b), {});
}
export function div(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  // NOTE: `2.5 / x` is x.reciprocal() * 2.5 in PyTorch (Tensor.__rtruediv__): two roundings, MulBackward0.
  if (!(a instanceof Tensor)) return mul(reciprocal(b as Tensor), a);
  return run1(divDef, operands(a, b, true), {});
}
export function neg(a: Tensor): Tensor {
  return run1(negDef, [a], {});
}
export function reciprocal(a: Tensor): Tensor {
  return run1(reciprocalDef, [a], {});
}
export function exp(a: Tensor): Tensor {
  return run1(expDef, [a], {});
}
export function log(a: Tensor): Tensor {
  return run1(logDef, [a], {});
}
export function sigmoid(a: Tensor): Tensor {
  return run1(sigmoidDef, [a], {});
}
export function relu(a: Tensor): Tensor {
  return run1(reluDef, [a], {});
}
export function gt(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return run1(gtDef, operands(a, b), {});
}

declare module '../tensor' {
  interface Tensor {
    add(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
    sub(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
    mul(other: TensorOrScalar): Tensor;
    div(other: TensorOrScalar): Tensor;
    neg(): Tensor;
    reciprocal(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    gt(other: TensorOrScalar): Tensor;
    add_(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
    sub_(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
    mul_(other: TensorOrScalar): Tensor;
    div_(other: TensorOrScalar): Tensor;
  }
}

const proto = Tensor.prototype;
proto.add = function (other, options) { return add(this, other, options); };
proto.sub = function (other, options) { return sub(this, other, options); };
proto.mul = function (other) { return mul(this, other); };
proto.div = function (other) { return div(this, other); };
proto.neg = function () { return neg(this); };
proto.reciprocal = function () { return reciprocal(this); };
proto.exp = function () { return exp(this); };
proto.log = function () { return log(this); };
proto.sigmoid = function () { return sigmoid(this); };
proto.relu = function () { return relu(this); };
proto.gt = function (other) { return gt(this, other); };
proto.add_ = function (other, options) { return inplace(addDef, this, operands(this, other), { alpha: options?.alpha ?? 1 }); };
proto.sub_ = function (other, options) { return inplace(subDef, this, operands(this, other), { alpha: options?.alpha ?? 1 }); };
proto.mul_ = function (other) { return inplace(mulDef, this, operands(this, other), {}); };
proto.div_ = function (other) { return inplace(divDef, this, operands(this, other, true), {}); };
