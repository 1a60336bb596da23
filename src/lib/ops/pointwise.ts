import { isFloating, type DType } from '../dtype';
import { RuntimeError } from '../errors';
import { Tensor } from '../tensor';
import {
  ADD, arithmetic, binaryMap, DIV, divDivisorGrad, MUL, mulSumToScalar, powBackwardF32, powSmallIntF32, SUB, unaryMap,
} from './kernels';
import { isGradEnabled } from '../autograd/gradMode';
import { numelOf } from '../shape';
import { castScalar, defaultDtype, resultType, wrapScalar, type TensorOrScalar } from './promote';
import { run1, type OpDef } from './registry';
import { inplace } from './inplace';
import { floorDivideFloat, floorDivideInt } from './scalarMath';
import { eq, ge, logicalAnd } from './comparison';
import { where } from './selection';
import { log } from './unary';

/**
 * Elementwise arithmetic with two operands: add/sub/mul/div (with alpha and rounding modes),
 * remainder/fmod and pow (maximum/minimum, where and clamp are in selection.ts). Each op is one `OpDef` (see NOTE [The op table] in
 * registry.ts); the public functions only convert arguments — Python numbers become wrapped 0-dim
 * tensors of the computation dtype, as PyTorch's TensorIterator does — and call `run1`.
 *
 * NOTE [Scalars as inputs or attributes]: where PyTorch's Python binding passes a number as a
 * wrapped tensor (`a + 2.5` is add.Tensor), the number is an input and the node has an edge for it
 * (next_functions `(AccumulateGrad, None)`); where it binds a Scalar overload (`pow(a, 2)`,
 * `clamp(a, min=0)`, `2 - a` = rsub), the number is an attribute and the node has no edge for it.
 */

/** The computation dtype of a float op: integers and bools compute in the default float dtype. */
export function floatDtype(d: DType): DType {
  return isFloating(d) ? d : defaultDtype();
}

/** result_type of two tensors, without building an operand list when their dtypes agree (the hot path). */
export function resultType2(a: Tensor, b: Tensor): DType {
  return a.dtype === b.dtype ? a.dtype : resultType([a, b]);
}

/** Both operands as tensors; Python numbers become wrapped 0-dim tensors of the result dtype. */
export function operands(a: TensorOrScalar, b: TensorOrScalar, float = false): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  // NOTE: fast path for the common `tensor op number` with a floating tensor: the tensor's dtype wins.
  if (a instanceof Tensor && typeof b === 'number' && isFloating(a.dtype) && !a._wrappedNumber) {
    return [a, wrapScalar(b, a.dtype)];
  }
  let dtype = resultType([a, b]);
  if (float) dtype = floatDtype(dtype);
  return [
    a instanceof Tensor ? a : wrapScalar(a, dtype),
    b instanceof Tensor ? b : wrapScalar(b, dtype),
  ];
}

function checkAlpha(dtype: DType, alpha: number | boolean): void {
  if (typeof alpha === 'boolean' && dtype !== 'bool') {
    throw new RuntimeError('Boolean alpha only supported for Boolean results.');
  }
  if (!isFloating(dtype) && !Number.isInteger(Number(alpha))) {
    throw new RuntimeError('For integral input tensors, argument alpha must not be a floating point number.');
  }
}

function checkSub(a: Tensor, b: Tensor): void {
  if (a.dtype === 'bool' && b.dtype === 'bool') {
    throw new RuntimeError(
      'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
  }
  if (a.dtype === 'bool' || b.dtype === 'bool') {
    throw new RuntimeError(
      'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  }
}

// ---------------------------------------------------------------------------------------------- add / sub

interface AlphaAttrs { alpha: number }

export const addDef: OpDef<AlphaAttrs> = {
  name: 'add',
  gradFn: 'AddBackward0',
  forward([a, b], { alpha }) {
    const dtype = resultType2(a, b);
    // bool + bool is a logical or (alpha can only be true there).
    if (dtype === 'bool') return binaryMap(a, b, dtype, (x, y) => (x !== 0 || (alpha !== 0 && y !== 0) ? 1 : 0));
    return arithmetic(ADD, a, b, dtype, alpha);
  },
  backward: ({ grad, attrs: { alpha }, needsGrad }) =>
    [grad, needsGrad(1) ? (alpha === 1 ? grad : mulScalar(grad, alpha)) : null],
  doc: { torch: 'torch.add', example: 'torch.add(a, b, { alpha: 2 })', rule: '∂/∂a = grad, ∂/∂b = alpha·grad' },
};

export const subDef: OpDef<AlphaAttrs> = {
  name: 'sub',
  gradFn: 'SubBackward0',
  forward([a, b], { alpha }) {
    checkSub(a, b);
    return arithmetic(SUB, a, b, resultType2(a, b), alpha);
  },
  backward: ({ grad, attrs: { alpha }, needsGrad }) =>
    [grad, needsGrad(1) ? (alpha === 1 ? grad.neg() : mulScalar(grad.neg(), alpha)) : null],
  doc: { torch: 'torch.sub', example: 'torch.sub(a, b)', rule: '∂/∂a = grad, ∂/∂b = −alpha·grad' },
};

/** `number - tensor` (Python's `2 - a` is `torch.rsub(a, 2)`). */
export const rsubDef: OpDef<{ other: number; alpha: number }> = {
  name: 'rsub',
  gradFn: 'RsubBackward1',
  forward([a], { other, alpha }) {
    const dtype = resultType([a, other]);
    return arithmetic(SUB, wrapScalar(other, dtype), a, dtype, alpha);
  },
  backward: ({ grad, attrs: { alpha } }) => [alpha === 1 ? grad.neg() : mulScalar(grad.neg(), alpha)],
  doc: { torch: 'torch.rsub', example: 'torch.rsub(a, 1)', rule: '−alpha·grad' },
};

// ---------------------------------------------------------------------------------------------- mul / div

export const mulDef: OpDef = {
  name: 'mul',
  gradFn: 'MulBackward0',
  forward([a, b]) {
    const dtype = resultType2(a, b);
    if (dtype === 'bool') return binaryMap(a, b, dtype, (x, y) => (x !== 0 && y !== 0 ? 1 : 0));
    return arithmetic(MUL, a, b, dtype);
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad, inputShape }) => [
    needsGrad(0) ? mulGrad(grad, input(1), inputShape(0)) : null,
    needsGrad(1) ? mulGrad(grad, input(0), inputShape(1)) : null,
  ],
  doc: { torch: 'torch.mul', example: 'torch.mul(a, b)', rule: '∂/∂a = grad·b, ∂/∂b = grad·a' },
};

/**
 * ∂(a·b)/∂a = grad·b, for an input of shape `shape`. When that input is one element broadcast
 * against a full tensor (a scalar weight) and the pass is not recorded, the product and the
 * engine's sum back to one element are done in one loop (NOTE [Fused gradient loops]).
 */
function mulGrad(grad: Tensor, other: Tensor, shape: readonly number[]): Tensor {
  if (!isGradEnabled() && numelOf(shape) === 1) {
    const fused = mulSumToScalar(grad, other, shape);
    if (fused !== null) return fused;
  }
  return grad.mul(other);
}

/** Tensor × number as ATen's backward formulas call it (mul.Scalar, MulBackward1). */
export const mulScalarDef: OpDef<{ other: number }> = {
  name: 'mul',
  gradFn: 'MulBackward1',
  forward: ([a], { other }) => {
    const dtype = resultType([a, other]);
    return arithmetic(MUL, a, wrapScalar(other, dtype), dtype);
  },
  backward: ({ grad, attrs: { other } }) => [mulScalar(grad, other)],
  doc: { torch: 'torch.mul', example: 'mulScalar(a, 2) (internal: mul.Scalar)', rule: 'grad·s' },
};

/** Tensor ÷ number as ATen's backward formulas call it (div.Scalar, DivBackward1). */
export const divScalarDef: OpDef<{ other: number }> = {
  name: 'div',
  gradFn: 'DivBackward1',
  forward: ([a], { other }) => {
    const dtype = floatDtype(resultType([a, other]));
    return arithmetic(DIV, a, wrapScalar(other, dtype), dtype);
  },
  backward: ({ grad, attrs: { other } }) => [divScalar(grad, other)],
  doc: { torch: 'torch.div', example: 'divScalar(a, 2) (internal: div.Scalar)', rule: 'grad/s' },
};

export const divDef: OpDef = {
  name: 'div',
  gradFn: 'DivBackward0',
  forward: ([a, b]) => arithmetic(DIV, a, b, floatDtype(resultType2(a, b))),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => {
    const b = input(1);
    return [
      needsGrad(0) ? grad.div(b) : null,
      needsGrad(1) ? divisorGrad(grad, input(0), b) : null,
    ];
  },
  doc: { torch: 'torch.div', example: 'torch.div(a, b)', rule: '∂/∂a = grad/b, ∂/∂b = −grad·a/b²' },
};

/**
 * ∂(a/b)/∂b = −grad·((a/b)/b): four full-size passes as tensor ops, one fused loop when the pass
 * is not recorded (NOTE [Fused gradient loops] in kernels.ts).
 */
function divisorGrad(grad: Tensor, a: Tensor, b: Tensor): Tensor {
  if (!isGradEnabled()) {
    const fused = divDivisorGrad(grad, a, b);
    if (fused !== null) return fused;
  }
  return grad.neg().mul(a.div(b).div(b));
}

export type RoundingMode = 'trunc' | 'floor';

/** Division with rounding: piecewise constant, so both gradients are zero (DivBackward2). */
export const divRoundingDef: OpDef<{ roundingMode: RoundingMode }> = {
  name: 'div',
  gradFn: 'DivBackward2',
  forward([a, b], { roundingMode }) {
    const dtype = resultType2(a, b);
    if (!isFloating(dtype)) {
      if (dtype === 'bool') throw new RuntimeError('"div_floor_cpu" not implemented for \'Bool\'');
      return binaryMap(a, b, dtype, (x, y) => {
        if (y === 0) throw new RuntimeError('ZeroDivisionError');
        return roundingMode === 'trunc' ? Math.trunc(x / y) : floorDivideInt(x, y);
      });
    }
    const round = dtype === 'float32' ? Math.fround : (v: number) => v;
    if (roundingMode === 'trunc') {
      return binaryMap(a, b, dtype, (x, y) => Math.trunc(round(round(x) / round(y))));
    }
    return binaryMap(a, b, dtype, (x, y) => floorDivideFloat(round(x), round(y), round));
  },
  backward: ({ grad, needsGrad }) => [needsGrad(0) ? grad.mul(0) : null, needsGrad(1) ? grad.mul(0) : null],
  doc: { torch: 'torch.div', example: "torch.div(a, b, { roundingMode: 'floor' })", rule: 'zero (piecewise constant)' },
};

// ---------------------------------------------------------------------------------------------- remainder / fmod

/** Python's modulo (sign of the divisor) or C's fmod (sign of the dividend). */
function moduloFn(dtype: DType, python: boolean): (x: number, y: number) => number {
  if (!isFloating(dtype)) {
    return (x, y) => {
      if (y === 0) throw new RuntimeError('ZeroDivisionError');
      const r = x % y;
      return python && r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
    };
  }
  return python ? (x, y) => {
    const r = x % y;
    return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
  } : (x, y) => x % y;
}

/**
 * `torch.remainder` (python = true) or `torch.fmod`: [divisor is a Python number, divisor is a
 * tensor]. With a number the gradient passes straight through; with a tensor the divisor gets
 * −grad·(a/b rounded like the quotient).
 */
function moduloDefs(python: boolean): [OpDef<{ other: number }>, OpDef] {
  const name = python ? 'remainder' : 'fmod';
  const Cap = python ? 'Remainder' : 'Fmod';
  const scalar: OpDef<{ other: number }> = {
    name,
    gradFn: `${Cap}Backward0`,
    forward: ([a], { other }) => {
      const dtype = resultType([a, other]);
      const b = castScalar(other, dtype);
      const f = moduloFn(dtype, python);
      return unaryMap(a, dtype, (x) => f(x, b));
    },
    backward: ({ grad }) => [grad],
    doc: { torch: `torch.${name}`, example: `torch.${name}(a, 3)`, rule: 'grad' },
  };
  const tensor: OpDef = {
    name,
    gradFn: `${Cap}Backward1`,
    forward: ([a, b]) => {
      const dtype = resultType2(a, b);
      return binaryMap(a, b, dtype, moduloFn(dtype, python));
    },
    savesInputs: [0, 1],
    backward: ({ grad, input, needsGrad }) => [
      needsGrad(0) ? grad : null,
      needsGrad(1) ? grad.neg().mul(div(input(0), input(1), { roundingMode: python ? 'floor' : 'trunc' })) : null,
    ],
    doc: {
      torch: `torch.${name}`, example: `torch.${name}(a, b)`,
      rule: `∂/∂a = grad, ∂/∂b = −grad·${python ? 'floor' : 'trunc'}(a/b)`,
    },
  };
  return [scalar, tensor];
}

export const [remainderScalarDef, remainderTensorDef] = moduloDefs(true);
export const [fmodScalarDef, fmodTensorDef] = moduloDefs(false);

// ---------------------------------------------------------------------------------------------- pow

/** x^e for one element; the float32 special cases mirror ATen's kernels (x·x, x·x·x, sqrt, 1/sqrt). */
function powScalarFn(dtype: DType, e: number): (x: number) => number {
  if (dtype === 'float32') {
    const f = Math.fround;
    if (e === 2) return (x) => x * x;
    if (e === 3) return (x) => f(x * x) * x;
    if (e === 0.5) return Math.sqrt;
    if (e === -0.5) return (x) => 1 / f(Math.sqrt(x));
    if (e === -1) return (x) => 1 / x;
    if (e === -2) return (x) => 1 / f(x * x);
    const ef = f(e);
    return (x) => Math.pow(x, ef);
  }
  return (x) => Math.pow(x, e);
}

function checkIntegerPow(dtype: DType, exponent: number): void {
  if (!isFloating(dtype) && exponent < 0 && Number.isInteger(exponent)) {
    throw new RuntimeError('Integers to negative integer powers are not allowed.');
  }
}

export const powTensorScalarDef: OpDef<{ exponent: number }> = {
  name: 'pow',
  gradFn: 'PowBackward0',
  forward([a], { exponent }) {
    const dtype = resultType([a, exponent]);
    checkIntegerPow(dtype, exponent);
    if (dtype === 'float32' && (exponent === 1 || exponent === 2 || exponent === 3)) {
      const fast = powSmallIntF32(a, exponent);
      if (fast !== null) return fast;
    }
    return unaryMap(a, dtype, powScalarFn(dtype, exponent));
  },
  savesInputs: [0],
  backward: ({ grad, input, attrs: { exponent } }) => {
    const x = input(0);
    if (exponent === 0) return [Tensor._empty(x.shape, grad.dtype)];
    if ((exponent === 2 || exponent === 3) && !isGradEnabled() && grad.dtype === 'float32') {
      // One pass instead of three (NOTE [Fused gradient loops]).
      const fused = powBackwardF32(grad, x, exponent);
      if (fused !== null) return [fused];
    }
    return [grad.mul(mulScalar(pow(x, exponent - 1), exponent))];
  },
  doc: { torch: 'torch.pow', example: 'a.pow(2)', rule: 'grad·e·a^(e−1)' },
};

export const powTensorTensorDef: OpDef = {
  name: 'pow',
  gradFn: 'PowBackward1',
  forward([a, b]) {
    const dtype = resultType2(a, b);
    if (!isFloating(dtype)) {
      return binaryMap(a, b, dtype, (x, y) => {
        if (y < 0) throw new RuntimeError('Integers to negative integer powers are not allowed.');
        return Math.pow(x, y);
      });
    }
    return binaryMap(a, b, dtype, Math.pow);
  },
  savesInputs: [0, 1],
  savesOutputs: [0],
  backward: ({ grad, input, output, needsGrad }) => {
    const x = input(0), e = input(1);
    return [
      needsGrad(0) ? where(eq(e, 0), 0, grad.mul(e.mul(pow(x, e.sub(1))))) : null,
      needsGrad(1) ? grad.mul(where(logicalAnd(eq(x, 0), ge(e, 0)), 0, output(0).mul(log(x)))) : null,
    ];
  },
  doc: { torch: 'torch.pow', example: 'torch.pow(a, b)', rule: '∂/∂a = grad·b·a^(b−1), ∂/∂b = grad·a^b·ln a' },
};

export const powScalarTensorDef: OpDef<{ base: number }> = {
  name: 'pow',
  gradFn: 'PowBackward2',
  forward([e], { base }) {
    const dtype = resultType([base, e]);
    const b = castScalar(base, dtype);
    if (!isFloating(dtype)) {
      return unaryMap(e, dtype, (y) => {
        if (y < 0) throw new RuntimeError('Integers to negative integer powers are not allowed.');
        return Math.pow(b, y);
      });
    }
    return unaryMap(e, dtype, (y) => (b === 1 ? 1 : Math.pow(b, y)));
  },
  savesInputs: [0],
  savesOutputs: [0],
  backward: ({ grad, input, output, attrs: { base } }) => {
    const scaled = mulScalar(output(0), Math.log(base));
    if (base === 0) return [grad.mul(where(ge(input(0), 0), 0, scaled))];
    return [grad.mul(scaled)];
  },
  doc: { torch: 'torch.pow', example: 'torch.pow(2, a)', rule: 'grad·s^a·ln s' },
};

// ---------------------------------------------------------------------------------------------- functions

export interface AlphaOptions { alpha?: number | boolean }

/** Shared attribute objects of the hot calls (attrs are never mutated). */
const NO_ATTRS: Readonly<Record<string, never>> = Object.freeze({});
const ALPHA_ONE: AlphaAttrs = Object.freeze({ alpha: 1 });
function alphaAttrs(alpha: number): AlphaAttrs {
  return alpha === 1 ? ALPHA_ONE : { alpha };
}

function alphaOf(options: AlphaOptions | undefined): number {
  const a = options?.alpha ?? 1;
  return typeof a === 'boolean' ? (a ? 1 : 0) : a;
}

function alphaOperands(a: TensorOrScalar, b: TensorOrScalar, options: AlphaOptions | undefined): [Tensor, Tensor] {
  const ops = operands(a, b);
  if (options?.alpha !== undefined) checkAlpha(resultType(ops), options.alpha);
  return ops;
}

export function add(a: TensorOrScalar, b: TensorOrScalar, options?: AlphaOptions): Tensor {
  const alpha = alphaOf(options);
  // NOTE: Python's `2 + a` is a.__radd__(2) = add(a, 2): the tensor comes first.
  if (!(a instanceof Tensor) && b instanceof Tensor && alpha === 1) return run1(addDef, operands(b, a), ALPHA_ONE);
  return run1(addDef, alphaOperands(a, b, options), alphaAttrs(alpha));
}

export function sub(a: TensorOrScalar, b: TensorOrScalar, options?: AlphaOptions): Tensor {
  const alpha = alphaOf(options);
  if (!(a instanceof Tensor) && b instanceof Tensor) return rsub(b, a, options);
  return run1(subDef, alphaOperands(a, b, options), alphaAttrs(alpha));
}

/** `torch.rsub(a, other)` = other − alpha·a. */
export function rsub(a: Tensor, other: TensorOrScalar, options?: AlphaOptions): Tensor {
  if (other instanceof Tensor) return sub(other, a, options);
  const alpha = alphaOf(options);
  const o = typeof other === 'boolean' ? (other ? 1 : 0) : other;
  if (options?.alpha !== undefined) checkAlpha(resultType([a, other]), options.alpha);
  checkSub(a, wrapScalar(other, resultType([a, other])));
  return run1(rsubDef, [a], { other: o, alpha });
}

export function mul(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  // NOTE: Python's `2 * a` is a.__rmul__(2) = mul(a, 2).
  if (!(a instanceof Tensor) && b instanceof Tensor) return run1(mulDef, operands(b, a), NO_ATTRS);
  return run1(mulDef, operands(a, b), NO_ATTRS);
}

export interface DivOptions { roundingMode?: RoundingMode | null }

export function div(a: TensorOrScalar, b: TensorOrScalar, options: DivOptions = {}): Tensor {
  const mode = options.roundingMode ?? null;
  if (mode !== null) {
    if (mode !== 'trunc' && mode !== 'floor') {
      throw new RuntimeError(
        `div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(mode)}'`);
    }
    return run1(divRoundingDef, operands(a, b), { roundingMode: mode });
  }
  // NOTE: `2.5 / x` is x.reciprocal() * 2.5 in PyTorch (Tensor.__rtruediv__): two roundings, MulBackward0.
  if (!(a instanceof Tensor)) return mul((b as Tensor).reciprocal(), a);
  return run1(divDef, operands(a, b, true), NO_ATTRS);
}

/** `torch.true_divide` */
export const trueDivide = (a: TensorOrScalar, b: TensorOrScalar): Tensor => div(a, b);
/** `torch.floor_divide` (Python's `//`). */
export const floorDivide = (a: TensorOrScalar, b: TensorOrScalar): Tensor => div(a, b, { roundingMode: 'floor' });

function modulo(a: TensorOrScalar, b: TensorOrScalar, python: boolean): Tensor {
  const [scalarDef, tensorDef] = python ? [remainderScalarDef, remainderTensorDef] : [fmodScalarDef, fmodTensorDef];
  if (a instanceof Tensor && !(b instanceof Tensor)) return run1(scalarDef, [a], { other: Number(b) });
  return run1(tensorDef, operands(a, b), {});
}

/** `torch.remainder(a, b)`: Python's `%` (the result has the sign of b). */
export function remainder(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return modulo(a, b, true);
}

/** `torch.fmod(a, b)`: C's fmod (the result has the sign of a). */
export function fmod(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return modulo(a, b, false);
}

/** Tensor × number recorded as mul.Scalar (MulBackward1), as in ATen's backward formulas. */
export function mulScalar(a: Tensor, s: number): Tensor {
  return run1(mulScalarDef, [a], { other: s });
}

/** Tensor ÷ number recorded as div.Scalar (DivBackward1), as in ATen's backward formulas. */
export function divScalar(a: Tensor, s: number): Tensor {
  return run1(divScalarDef, [a], { other: s });
}

export function pow(a: TensorOrScalar, exponent: TensorOrScalar): Tensor {
  if (a instanceof Tensor) {
    if (exponent instanceof Tensor) {
      if (exponent._wrappedNumber) return run1(powTensorScalarDef, [a], { exponent: exponent.item() });
      return run1(powTensorTensorDef, [a, exponent], {});
    }
    return run1(powTensorScalarDef, [a], { exponent: Number(exponent) });
  }
  if (!(exponent instanceof Tensor)) {
    throw new RuntimeError('pow(): at least one of the arguments must be a tensor');
  }
  return run1(powScalarTensorDef, [exponent], { base: Number(a) });
}

/** `torch.square(a)` = a.pow(2). */
export function square(a: Tensor): Tensor {
  return pow(a, 2);
}

// ---------------------------------------------------------------------------------------------- methods

declare module '../tensor' {
  interface Tensor {
    add(other: TensorOrScalar, options?: AlphaOptions): Tensor;
    sub(other: TensorOrScalar, options?: AlphaOptions): Tensor;
    /** `a.rsub(x)` = x − a */
    rsub(other: TensorOrScalar, options?: AlphaOptions): Tensor;
    mul(other: TensorOrScalar): Tensor;
    div(other: TensorOrScalar, options?: DivOptions): Tensor;
    trueDivide(other: TensorOrScalar): Tensor;
    floorDivide(other: TensorOrScalar): Tensor;
    remainder(other: TensorOrScalar): Tensor;
    fmod(other: TensorOrScalar): Tensor;
    pow(exponent: TensorOrScalar): Tensor;
    square(): Tensor;
    add_(other: TensorOrScalar, options?: AlphaOptions): Tensor;
    sub_(other: TensorOrScalar, options?: AlphaOptions): Tensor;
    mul_(other: TensorOrScalar): Tensor;
    div_(other: TensorOrScalar, options?: DivOptions): Tensor;
    pow_(exponent: TensorOrScalar): Tensor;
    square_(): Tensor;
  }
}

const proto = Tensor.prototype;
proto.add = function (other, options) { return add(this, other, options); };
proto.sub = function (other, options) { return sub(this, other, options); };
proto.rsub = function (other, options) { return rsub(this, other, options); };
proto.mul = function (other) { return mul(this, other); };
proto.div = function (other, options) { return div(this, other, options); };
proto.trueDivide = function (other) { return div(this, other); };
proto.floorDivide = function (other) { return div(this, other, { roundingMode: 'floor' }); };
proto.remainder = function (other) { return remainder(this, other); };
proto.fmod = function (other) { return fmod(this, other); };
proto.pow = function (exponent) { return pow(this, exponent); };
proto.square = function () { return square(this); };

proto.add_ = function (other, options) {
  return inplace(addDef, this, alphaOperands(this, other, options), { alpha: alphaOf(options) });
};
proto.sub_ = function (other, options) {
  const ops = alphaOperands(this, other, options);
  checkSub(ops[0], ops[1]);
  return inplace(subDef, this, ops, { alpha: alphaOf(options) });
};
proto.mul_ = function (other) { return inplace(mulDef, this, operands(this, other), {}); };
proto.div_ = function (other, options) {
  const mode = options?.roundingMode ?? null;
  if (mode !== null) return inplace(divRoundingDef, this, operands(this, other), { roundingMode: mode });
  return inplace(divDef, this, operands(this, other, true), {});
};
proto.pow_ = function (exponent) {
  if (exponent instanceof Tensor && !exponent._wrappedNumber) return inplace(powTensorTensorDef, this, [this, exponent], {});
  const e = exponent instanceof Tensor ? exponent.item() : Number(exponent);
  return inplace(powTensorScalarDef, this, [this], { exponent: e });
};
proto.square_ = function () { return inplace(powTensorScalarDef, this, [this], { exponent: 2 }); };
