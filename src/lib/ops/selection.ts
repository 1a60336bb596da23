import { scalarTypeName, type DType } from '../dtype';
import { RuntimeError } from '../errors';
import { Tensor } from '../tensor';
import { binaryMap, ternaryMap, unaryMap } from './kernels';
import { castScalar, resultType, wrapScalar, type TensorOrScalar } from './promote';
import { run1, type OpDef } from './registry';
import { inplace } from './inplace';
import { divScalar, operands, resultType2 } from './pointwise';
import { eq, ge, gt, le, logicalAnd, logicalOr, lt } from './comparison';

/**
 * Elementwise selection between values: maximum/minimum, where and clamp. Their gradients go to
 * the operand that was selected (split in half on maximum/minimum ties; clamp passes it where
 * min ≤ x ≤ max, bounds included).
 */

// ---------------------------------------------------------------------------------------------- maximum / minimum

/** max/min of two numbers, NaN propagating (torch.maximum). */
const maxNaN = (x: number, y: number): number => (x !== x || y !== y ? NaN : x > y ? x : y);
const minNaN = (x: number, y: number): number => (x !== x || y !== y ? NaN : x < y ? x : y);

function extremumBackward(grad: Tensor, a: Tensor, b: Tensor, losesA: Tensor, losesB: Tensor,
  needA: boolean, needB: boolean): (Tensor | null)[] {
  // Ties split the gradient in half; the losing side gets none.
  const shared = where(eq(a, b), divScalar(grad, 2), grad);
  return [needA ? where(losesA, 0, shared) : null, needB ? where(losesB, 0, shared) : null];
}

export const maximumDef: OpDef = {
  name: 'maximum',
  gradFn: 'MaximumBackward0',
  forward: ([a, b]) => binaryMap(a, b, resultType2(a, b), maxNaN),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => {
    const a = input(0), b = input(1);
    return extremumBackward(grad, a, b, lt(a, b), gt(a, b), needsGrad(0), needsGrad(1));
  },
  doc: { torch: 'torch.maximum', example: 'torch.maximum(a, b)', rule: 'grad to the larger input (half each on ties)' },
};

export const minimumDef: OpDef = {
  name: 'minimum',
  gradFn: 'MinimumBackward0',
  forward: ([a, b]) => binaryMap(a, b, resultType2(a, b), minNaN),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => {
    const a = input(0), b = input(1);
    return extremumBackward(grad, a, b, gt(a, b), lt(a, b), needsGrad(0), needsGrad(1));
  },
  doc: { torch: 'torch.minimum', example: 'torch.minimum(a, b)', rule: 'grad to the smaller input (half each on ties)' },
};

// ---------------------------------------------------------------------------------------------- where

/** The condition is an attribute: it is not differentiable and WhereBackward0 has no edge for it. */
export const whereDef: OpDef<{ condition: Tensor }> = {
  name: 'where',
  gradFn: 'WhereBackward0',
  forward: ([a, b], { condition }) =>
    ternaryMap(condition, a, b, resultType2(a, b), (c, x, y) => (c !== 0 ? x : y)),
  backward: ({ grad, attrs: { condition }, needsGrad }) => [
    needsGrad(0) ? where(condition, grad, 0) : null,
    needsGrad(1) ? where(condition, 0, grad) : null,
  ],
  doc: { torch: 'torch.where', example: 'torch.where(mask, a, b)', rule: 'grad where the condition picked the input, else 0' },
};

// ---------------------------------------------------------------------------------------------- clamp

interface ClampScalarAttrs { min: number | null; max: number | null }
interface ClampTensorAttrs { hasMin: boolean; hasMax: boolean }

function clampFn(lo: number, hi: number): (x: number) => number {
  return (x) => (x !== x ? x : Math.min(Math.max(x, lo), hi));
}

export const clampScalarDef: OpDef<ClampScalarAttrs> = {
  name: 'clamp',
  gradFn: 'ClampBackward1',
  forward([a], { min, max }) {
    const scalars = [min, max].filter((v): v is number => v !== null);
    const dtype = resultType([a, ...scalars]);
    if (dtype === 'bool') throw new RuntimeError('"clamp_scalar_cpu" not implemented for \'Bool\'');
    const lo = min === null ? -Infinity : castScalar(min, dtype);
    const hi = max === null ? Infinity : castScalar(max, dtype);
    return unaryMap(a, dtype, clampFn(lo, hi));
  },
  savesInputs: [0],
  backward: ({ grad, input, attrs: { min, max } }) => {
    const x = input(0);
    if (min !== null && max !== null) return [where(logicalAnd(ge(x, min), le(x, max)), grad, 0)];
    if (min !== null) return [where(ge(x, min), grad, 0)];
    return [where(le(x, max!), grad, 0)];
  },
  doc: { torch: 'torch.clamp', example: 'torch.clamp(a, -0.5, 0.5)', rule: 'grad where min ≤ a ≤ max, else 0' },
};

/** clamp with tensor bounds: inputs [self, min, max]; an absent bound is an empty 0-dim placeholder. */
export const clampTensorDef: OpDef<ClampTensorAttrs> = {
  name: 'clamp',
  gradFn: 'ClampBackward0',
  forward([a, lo, hi], { hasMin, hasMax }) {
    const dtype = resultType([a, ...(hasMin ? [lo] : []), ...(hasMax ? [hi] : [])]);
    return ternaryMap(a, lo, hi, dtype, (x, l, h) => {
      if (x !== x) return x;
      let v = x;
      if (hasMin) v = l !== l ? l : Math.max(v, l);
      if (hasMax) v = h !== h ? h : Math.min(v, h);
      return v;
    });
  },
  savesInputs: [0, 1, 2],
  backward: ({ grad, input, needsGrad, attrs: { hasMin, hasMax } }) => {
    const x = input(0), lo = input(1), hi = input(2);
    if (hasMin && hasMax) {
      return [
        needsGrad(0) ? where(logicalAnd(ge(x, lo), le(x, hi)), grad, 0) : null,
        needsGrad(1) ? where(logicalAnd(lt(x, lo), lt(lo, hi)), grad, 0) : null,
        needsGrad(2) ? where(logicalOr(gt(x, hi), lt(hi, lo)), grad, 0) : null,
      ];
    }
    if (hasMin) return [needsGrad(0) ? where(ge(x, lo), grad, 0) : null, needsGrad(1) ? where(lt(x, lo), grad, 0) : null, null];
    return [needsGrad(0) ? where(le(x, hi), grad, 0) : null, null, needsGrad(2) ? where(gt(x, hi), grad, 0) : null];
  },
  doc: {
    torch: 'torch.clamp', example: 'torch.clamp(a, { min: lo, max: hi })',
    rule: 'grad to the input where it lies within the bounds, else to the active bound',
  },
};

// ---------------------------------------------------------------------------------------------- functions

export function maximum(a: Tensor, b: Tensor): Tensor {
  return run1(maximumDef, [a, b], {});
}
export function minimum(a: Tensor, b: Tensor): Tensor {
  return run1(minimumDef, [a, b], {});
}

export function where(condition: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (condition.dtype !== 'bool') {
    throw new RuntimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarTypeName(condition.dtype)}`);
  }
  return run1(whereDef, operands(a, b), { condition });
}

export type ClampBound = TensorOrScalar | null | undefined;
export interface ClampOptions { min?: ClampBound; max?: ClampBound }

function isOptions(x: unknown): x is ClampOptions {
  return typeof x === 'object' && x !== null && !(x instanceof Tensor);
}

/** Placeholder input for an absent tensor bound: never read, never requires grad. */
function absentBound(dtype: DType): Tensor {
  return wrapScalar(0, dtype);
}

/**
 * `torch.clamp(a, min, max)`; also `clamp(a, { min, max })`. Number bounds give ClampBackward1,
 * tensor bounds ClampBackward0 (with a gradient for the bounds too).
 */
export function clamp(a: Tensor, min?: ClampBound | ClampOptions, max?: ClampBound): Tensor {
  const [lo, hi] = clampArgs(min, max);
  const [def, inputs, attrs] = clampCall(a, lo, hi);
  return run1(def as OpDef<unknown>, inputs, attrs);
}

function clampArgs(min?: ClampBound | ClampOptions, max?: ClampBound): [ClampBound, ClampBound] {
  if (isOptions(min)) return [min.min, min.max];
  return [min, max];
}

function clampCall(a: Tensor, lo: ClampBound, hi: ClampBound):
  [OpDef<ClampScalarAttrs>, Tensor[], ClampScalarAttrs] | [OpDef<ClampTensorAttrs>, Tensor[], ClampTensorAttrs] {
  const hasMin = lo !== null && lo !== undefined;
  const hasMax = hi !== null && hi !== undefined;
  if (!hasMin && !hasMax) throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (lo instanceof Tensor || hi instanceof Tensor) {
    const dtype = resultType([a, ...(hasMin ? [lo!] : []), ...(hasMax ? [hi!] : [])]);
    const toTensor = (v: ClampBound): Tensor =>
      v instanceof Tensor ? v : v === null || v === undefined ? absentBound(dtype) : wrapScalar(v, dtype);
    return [clampTensorDef, [a, toTensor(lo), toTensor(hi)], { hasMin, hasMax }];
  }
  const num = (v: ClampBound): number | null => (v === null || v === undefined ? null : Number(v));
  return [clampScalarDef, [a], { min: num(lo), max: num(hi) }];
}

export function clampMin(a: Tensor, min: TensorOrScalar): Tensor {
  return clamp(a, min, null);
}
export function clampMax(a: Tensor, max: TensorOrScalar): Tensor {
  return clamp(a, null, max);
}

// ---------------------------------------------------------------------------------------------- methods

declare module '../tensor' {
  interface Tensor {
    maximum(other: Tensor): Tensor;
    minimum(other: Tensor): Tensor;
    clamp(min?: ClampBound | ClampOptions, max?: ClampBound): Tensor;
    clip(min?: ClampBound | ClampOptions, max?: ClampBound): Tensor;
    clampMin(min: TensorOrScalar): Tensor;
    clampMax(max: TensorOrScalar): Tensor;
    /** `cond.where(a, b)` is not PyTorch's; `a.where(cond, b)` is: a where cond, else b. */
    where(condition: Tensor, other: TensorOrScalar): Tensor;
    clamp_(min?: ClampBound | ClampOptions, max?: ClampBound): Tensor;
    clip_(min?: ClampBound | ClampOptions, max?: ClampBound): Tensor;
    clampMin_(min: TensorOrScalar): Tensor;
    clampMax_(max: TensorOrScalar): Tensor;
  }
}

const proto = Tensor.prototype;
proto.maximum = function (other) { return maximum(this, other); };
proto.minimum = function (other) { return minimum(this, other); };
proto.clamp = function (min, max) { return clamp(this, min, max); };
proto.clip = function (min, max) { return clamp(this, min, max); };
proto.clampMin = function (min) { return clampMin(this, min); };
proto.clampMax = function (max) { return clampMax(this, max); };
proto.where = function (condition, other) { return where(condition, this, other); };
function clampInplace(self: Tensor, lo: ClampBound, hi: ClampBound): Tensor {
  const [def, inputs, attrs] = clampCall(self, lo, hi);
  return inplace(def as OpDef<unknown>, self, inputs, attrs);
}
proto.clamp_ = function (min, max) { return clampInplace(this, ...clampArgs(min, max)); };
proto.clip_ = function (min, max) { return clampInplace(this, ...clampArgs(min, max)); };
proto.clampMin_ = function (min) { return clampInplace(this, min, null); };
proto.clampMax_ = function (max) { return clampInplace(this, null, max); };

