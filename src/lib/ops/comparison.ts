import { isFloating, scalarTypeName } from '../dtype';
import { RuntimeError } from '../errors';
import { sameShape } from '../shape';
import { Tensor } from '../tensor';
import { binaryMap, unaryMap } from './kernels';
import { resultType, wrapScalar, type TensorOrScalar } from './promote';
import { run1, type OpDef } from './registry';
import { inplace } from './inplace';

/**
 * Comparisons and logical ops. Their outputs are bool, so they are never differentiable and
 * never record a node (no `backward`). Operands are compared in their common dtype: a float32
 * tensor against 0.1 compares with float32(0.1), as PyTorch does.
 */

function compareDef(name: string, test: (x: number, y: number) => boolean): OpDef {
  return {
    name,
    gradFn: `${name[0].toUpperCase()}${name.slice(1)}Backward0`,
    forward: ([a, b]) => binaryMap(a, b, 'bool', (x, y) => (test(x, y) ? 1 : 0)),
    doc: { torch: `torch.${name}`, example: `torch.${name}(a, b)` },
  };
}

export const eqDef = compareDef('eq', (x, y) => x === y);
export const neDef = compareDef('ne', (x, y) => x !== y);
export const gtDef = compareDef('gt', (x, y) => x > y);
export const ltDef = compareDef('lt', (x, y) => x < y);
export const geDef = compareDef('ge', (x, y) => x >= y);
export const leDef = compareDef('le', (x, y) => x <= y);

/** Operands in their common dtype (a Python number is wrapped in it). */
function compared(a: TensorOrScalar, b: TensorOrScalar): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  const dtype = resultType([a, b]);
  return [a instanceof Tensor ? a : wrapScalar(a, dtype), b instanceof Tensor ? b : wrapScalar(b, dtype)];
}

export function eq(a: TensorOrScalar, b: TensorOrScalar): Tensor { return run1(eqDef, compared(a, b), {}); }
export function ne(a: TensorOrScalar, b: TensorOrScalar): Tensor { return run1(neDef, compared(a, b), {}); }
export function gt(a: TensorOrScalar, b: TensorOrScalar): Tensor { return run1(gtDef, compared(a, b), {}); }
export function lt(a: TensorOrScalar, b: TensorOrScalar): Tensor { return run1(ltDef, compared(a, b), {}); }
export function ge(a: TensorOrScalar, b: TensorOrScalar): Tensor { return run1(geDef, compared(a, b), {}); }
export function le(a: TensorOrScalar, b: TensorOrScalar): Tensor { return run1(leDef, compared(a, b), {}); }

// ------------------------------------------------------------------------------------------------ element tests

function testDef(name: string, torchName: string, test: (x: number) => boolean): OpDef {
  return {
    name,
    gradFn: `${name[0].toUpperCase()}${name.slice(1)}Backward0`,
    forward: ([a]) => unaryMap(a, 'bool', (x) => (test(x) ? 1 : 0)),
    doc: { torch: `torch.${torchName}`, example: `torch.${name}(a)` },
  };
}

export const isnanDef = testDef('isnan', 'isnan', (x) => x !== x);
export const isinfDef = testDef('isinf', 'isinf', (x) => x === Infinity || x === -Infinity);
export const isposinfDef = testDef('isposinf', 'isposinf', (x) => x === Infinity);
export const isneginfDef = testDef('isneginf', 'isneginf', (x) => x === -Infinity);
export const isfiniteDef = testDef('isfinite', 'isfinite', (x) => x - x === 0);
export const logicalNotDef = testDef('logicalNot', 'logical_not', (x) => x === 0);

export function isnan(a: Tensor): Tensor { return run1(isnanDef, [a], {}); }
export function isinf(a: Tensor): Tensor { return run1(isinfDef, [a], {}); }
export function isposinf(a: Tensor): Tensor { return run1(isposinfDef, [a], {}); }
export function isneginf(a: Tensor): Tensor { return run1(isneginfDef, [a], {}); }
export function isfinite(a: Tensor): Tensor { return run1(isfiniteDef, [a], {}); }
export function logicalNot(a: Tensor): Tensor { return run1(logicalNotDef, [a], {}); }

function logicalDef(name: string, torchName: string, f: (x: boolean, y: boolean) => boolean): OpDef {
  return {
    name,
    gradFn: `${name[0].toUpperCase()}${name.slice(1)}Backward0`,
    forward: ([a, b]) => binaryMap(a, b, 'bool', (x, y) => (f(x !== 0, y !== 0) ? 1 : 0)),
    doc: { torch: `torch.${torchName}`, example: `torch.${name}(a, b)` },
  };
}

export const logicalAndDef = logicalDef('logicalAnd', 'logical_and', (x, y) => x && y);
export const logicalOrDef = logicalDef('logicalOr', 'logical_or', (x, y) => x || y);
export const logicalXorDef = logicalDef('logicalXor', 'logical_xor', (x, y) => x !== y);

export function logicalAnd(a: Tensor, b: Tensor): Tensor { return run1(logicalAndDef, [a, b], {}); }
export function logicalOr(a: Tensor, b: Tensor): Tensor { return run1(logicalOrDef, [a, b], {}); }
export function logicalXor(a: Tensor, b: Tensor): Tensor { return run1(logicalXorDef, [a, b], {}); }

// ------------------------------------------------------------------------------------------------ closeness

export interface IsCloseOptions { rtol?: number; atol?: number; equalNan?: boolean }

export const iscloseDef: OpDef<Required<IsCloseOptions>> = {
  name: 'isclose',
  gradFn: 'IscloseBackward0',
  forward([a, b], { rtol, atol, equalNan }) {
    return binaryMap(a, b, 'bool', (x, y) => {
      if (x === y) return 1;
      if (x !== x || y !== y) return equalNan && x !== x && y !== y ? 1 : 0;
      const err = Math.abs(x - y);
      return err - err === 0 && err <= atol + Math.abs(rtol * y) ? 1 : 0;
    });
  },
  doc: { torch: 'torch.isclose', example: 'torch.isclose(a, b, { rtol: 1e-5, atol: 1e-8 })' },
};

/** `torch.isclose`: |a − b| ≤ atol + rtol·|b| elementwise (equal infinities are close). */
export function isclose(a: Tensor, b: Tensor, options: IsCloseOptions = {}): Tensor {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(`${scalarTypeName(a.dtype)} did not match ${scalarTypeName(b.dtype)}`);
  }
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  if (rtol < 0) throw new RuntimeError(`rtol must be greater than or equal to zero, but got ${rtol}`);
  if (atol < 0) throw new RuntimeError(`atol must be greater than or equal to zero, but got ${atol}`);
  return run1(iscloseDef, [a, b], { rtol, atol, equalNan: (options.equalNan ?? false) && isFloating(a.dtype) });
}

/** `torch.allclose`: whether every element is close (a JavaScript boolean). */
export function allclose(a: Tensor, b: Tensor, options: IsCloseOptions = {}): boolean {
  const close = isclose(a, b, options);
  const n = close.numel();
  for (let i = 0; i < n; i++) if (close._get(i) === 0) return false;
  return true;
}

/** `torch.equal`: same shape and the same values (a JavaScript boolean). */
export function equal(a: Tensor, b: Tensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  const n = a.numel();
  for (let i = 0; i < n; i++) if (a._get(i) !== b._get(i)) return false;
  return true;
}

// ------------------------------------------------------------------------------------------------ methods

declare module '../tensor' {
  interface Tensor {
    eq(other: TensorOrScalar): Tensor;
    ne(other: TensorOrScalar): Tensor;
    gt(other: TensorOrScalar): Tensor;
    lt(other: TensorOrScalar): Tensor;
    ge(other: TensorOrScalar): Tensor;
    le(other: TensorOrScalar): Tensor;
    /** `~mask` and `logical_not()`. */
    logicalNot(): Tensor;
    logicalAnd(other: Tensor): Tensor;
    logicalOr(other: Tensor): Tensor;
    logicalXor(other: Tensor): Tensor;
    isnan(): Tensor;
    isinf(): Tensor;
    isposinf(): Tensor;
    isneginf(): Tensor;
    isfinite(): Tensor;
    isclose(other: Tensor, options?: IsCloseOptions): Tensor;
    allclose(other: Tensor, options?: IsCloseOptions): boolean;
    equal(other: Tensor): boolean;
    eq_(other: TensorOrScalar): Tensor;
    ne_(other: TensorOrScalar): Tensor;
    gt_(other: TensorOrScalar): Tensor;
    lt_(other: TensorOrScalar): Tensor;
    ge_(other: TensorOrScalar): Tensor;
    le_(other: TensorOrScalar): Tensor;
    logicalNot_(): Tensor;
  }
}

const proto = Tensor.prototype;
proto.eq = function (other) { return eq(this, other); };
proto.ne = function (other) { return ne(this, other); };
proto.gt = function (other) { return gt(this, other); };
proto.lt = function (other) { return lt(this, other); };
proto.ge = function (other) { return ge(this, other); };
proto.le = function (other) { return le(this, other); };
proto.logicalNot = function () { return logicalNot(this); };
proto.logicalAnd = function (other) { return logicalAnd(this, other); };
proto.logicalOr = function (other) { return logicalOr(this, other); };
proto.logicalXor = function (other) { return logicalXor(this, other); };
proto.isnan = function () { return isnan(this); };
proto.isinf = function () { return isinf(this); };
proto.isposinf = function () { return isposinf(this); };
proto.isneginf = function () { return isneginf(this); };
proto.isfinite = function () { return isfinite(this); };
proto.isclose = function (other, options) { return isclose(this, other, options); };
proto.allclose = function (other, options) { return allclose(this, other, options); };
proto.equal = function (other) { return equal(this, other); };
// In-place comparisons write 0/1 into self's dtype (PyTorch's `a.gt_(b)`).
proto.eq_ = function (other) { return inplace(eqDef, this, compared(this, other), {}); };
proto.ne_ = function (other) { return inplace(neDef, this, compared(this, other), {}); };
proto.gt_ = function (other) { return inplace(gtDef, this, compared(this, other), {}); };
proto.lt_ = function (other) { return inplace(ltDef, this, compared(this, other), {}); };
proto.ge_ = function (other) { return inplace(geDef, this, compared(this, other), {}); };
proto.le_ = function (other) { return inplace(leDef, this, compared(this, other), {}); };
proto.logicalNot_ = function () { return inplace(logicalNotDef, this, [this], {}); };
