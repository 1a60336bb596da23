import { type DType, isFloating } from '../dtype';
import { Tensor } from '../tensor';
import { contiguousTensor, readContiguous, unaryMap } from './kernels';
import { castRaw, castScalar, wrapScalar, type Scalar } from './promote';
import { notifyCreated, run1, type OpDef } from './registry';
import { inplace, writeRaw } from './inplace';
import { isGradEnabled } from '../autograd/gradMode';

/** Copies, casts, detaching and the in-place fills. */

export const cloneDef: OpDef = {
  name: 'clone',
  gradFn: 'CloneBackward0',
  forward: ([a]) => Tensor._fromData(readContiguous(a).slice(), a.shape, a.dtype),
  backward: ({ grad }) => [grad],
  doc: { torch: 'torch.clone', example: 'a.clone()', rule: 'grad' },
};

export const toCopyDef: OpDef<{ dtype: DType }> = {
  name: 'to',
  gradFn: 'ToCopyBackward0',
  forward: ([a], { dtype }) => castRaw(a, dtype),
  backward: ({ grad, inputMeta }) => [grad.to(inputMeta[0].dtype)],
  doc: { torch: 'Tensor.to', example: "a.to('float64')", rule: 'grad cast back to the input dtype' },
};

/** `copy_(src)`: the gradient goes to src (summed to its shape), none to the overwritten values. */
export const copyDef: OpDef = {
  name: 'copy',
  gradFn: 'CopyBackwards',
  forward: ([self, src]) => {
    const out = Tensor._empty(self.shape, self.dtype);
    const values = src.dtype === self.dtype ? src : castRaw(src, self.dtype);
    writeRaw(out, values.expand(self.shape));
    return out;
  },
  backward: ({ grad, needsGrad }) => [needsGrad(0) ? grad.mul(0) : null, needsGrad(1) ? grad : null],
  doc: { torch: 'Tensor.copy_', example: 'a.copy_(b)', rule: 'grad goes to the source (summed to its shape); the overwritten values get none' },
};

export const fillDef: OpDef<{ value: number }> = {
  name: 'fill',
  gradFn: 'FillBackward0',
  forward: ([self], { value }) => {
    const out = Tensor._empty(self.shape, self.dtype);
    out._data.fill(castScalar(value, self.dtype));
    return out;
  },
  backward: ({ grad }) => [grad.mul(0)],
  doc: { torch: 'Tensor.fill_', example: 'a.fill_(0.5)', rule: 'zero: the old values no longer matter' },
};

export const zeroDef: OpDef = {
  name: 'zero',
  gradFn: 'ZeroBackward0',
  forward: ([self]) => Tensor._empty(self.shape, self.dtype),
  backward: ({ grad }) => [grad.mul(0)],
  doc: { torch: 'Tensor.zero_', example: 'w.grad!.zero_()', rule: 'zero' },
};

export function clone(a: Tensor): Tensor {
  return run1(cloneDef, [a], {});
}

export function contiguous(a: Tensor): Tensor {
  return a._contiguous ? a : clone(a);
}

/** A new leaf sharing storage (and the version counter) with `a`, outside autograd. */
export function detach(a: Tensor): Tensor {
  const d = new Tensor(a._box, a.shape, a.dtype, a.strides, a.offset);
  return notifyCreated('detach', d);
}

export function to(a: Tensor, dtype: DType): Tensor {
  if (dtype === a.dtype) return a;
  return run1(toCopyDef, [a], { dtype });
}

declare module '../tensor' {
  interface Tensor {
    clone(): Tensor;
    contiguous(): Tensor;
    detach(): Tensor;
    /** Detaches in place: this tensor becomes a leaf. */
    detach_(): Tensor;
    /** `.data`: a detached tensor sharing storage (changes to it bypass autograd). */
    readonly data: Tensor;
    to(dtype: DType): Tensor;
    float(): Tensor;
    double(): Tensor;
    long(): Tensor;
    bool(): Tensor;
    copy_(src: Tensor): Tensor;
    fill_(value: Scalar): Tensor;
    zero_(): Tensor;
  }
}

const proto = Tensor.prototype;
proto.clone = function () { return clone(this); };
proto.contiguous = function () { return contiguous(this); };
proto.detach = function () { return detach(this); };
proto.detach_ = function () {
  this._gradFn = null;
  this._requiresGrad = false;
  return this;
};
Object.defineProperty(proto, 'data', { get(this: Tensor) { return detach(this); } });
proto.to = function (dtype) { return to(this, dtype); };
proto.float = function () { return to(this, 'float32'); };
proto.double = function () { return to(this, 'float64'); };
proto.long = function () { return to(this, 'int64'); };
proto.bool = function () { return to(this, 'bool'); };
proto.copy_ = function (src) { return inplace(copyDef, this, [this, src], {}); };
proto.fill_ = function (value) {
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  return inplace(fillDef, this, [this], { value: v });
};
proto.zero_ = function () { return inplace(zeroDef, this, [this], {}); };

void contiguousTensor; void unaryMap; void wrapScalar; void isFloating; void isGradEnabled;
