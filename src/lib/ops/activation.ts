import { allocate, isFloating, scalarTypeName, type DType } from '../dtype';
import { RuntimeError, warn } from '../errors';
import { normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { binaryMap, contiguousTensor, dimLayout, reluMap, thresholdBackwardMap, unaryMap } from './kernels';
import { resultType } from './promote';
import { run1, type OpDef } from './registry';
import { inplace } from './inplace';
import { erfc as erfcScalar } from './scalarMath';
import { mulScalar } from './pointwise';
import { where } from './selection';
import { gt, lt, logicalAnd } from './comparison';
import { sigmoidBackward } from './unary';

/**
 * Activation functions (relu, leaky_relu, gelu, silu, softplus, elu, hardtanh) and the softmax
 * family. As in PyTorch, each activation's backward is itself one op (`threshold_backward`,
 * `gelu_backward`, `_softmax_backward_data` ...) whose own backward is written with tensor ops, so
 * the gradient graph shows PyTorch's nodes (GeluBackwardBackward0, ...) and double backward works.
 */

/** Zeros shaped like the gradient (the derivative of a backward kernel w.r.t. a mask input). */
function zerosLikeGrad(grad: Tensor): Tensor {
  return Tensor._empty(grad.shape, grad.dtype);
}

function checkFloat(name: string, a: Tensor): void {
  if (!isFloating(a.dtype)) {
    throw new RuntimeError(`"${name}" not implemented for '${scalarTypeName(a.dtype)}'`);
  }
}

// ------------------------------------------------------------------------------------------ relu

/** relu's backward: grad where self > threshold (ThresholdBackwardBackward0 when differentiated). */
export const thresholdBackwardDef: OpDef<{ threshold: number }> = {
  name: 'thresholdBackward',
  gradFn: 'ThresholdBackwardBackward0',
  forward: ([g, x], { threshold }) => thresholdBackwardMap(g, x, threshold, resultType([g, x])),
  savesInputs: [1],
  backward: ({ grad, input, needsGrad, attrs: { threshold } }) => [
    needsGrad(0) ? thresholdBackward(grad, input(1), threshold) : null,
    needsGrad(1) ? zerosLikeGrad(grad) : null,
  ],
  doc: { torch: 'torch.ops.aten.threshold_backward', example: 'thresholdBackward(g, y, 0)', rule: 'grad where x > threshold' },
};

export function thresholdBackward(grad: Tensor, self: Tensor, threshold: number): Tensor {
  return run1(thresholdBackwardDef, [grad, self], { threshold });
}

export const reluDef: OpDef = {
  name: 'relu',
  gradFn: 'ReluBackward0',
  forward: ([a]) => {
    if (a.dtype === 'bool') throw new RuntimeError('"clamp_min_scalar_cpu" not implemented for \'Bool\'');
    return reluMap(a);
  },
  savesOutputs: [0],
  backward: ({ grad, output }) => [thresholdBackward(grad, output(0), 0)],
  doc: { torch: 'torch.relu', example: 'torch.relu(a)', rule: 'grad where a > 0, else 0 (also at 0)' },
};

export interface InplaceOption { inplace?: boolean }

export function relu(a: Tensor, options: InplaceOption = {}): Tensor {
  if (options.inplace) return inplace(reluDef, a, [a], {});
  return run1(reluDef, [a], {});
}

// ------------------------------------------------------------------------------------------ leaky_relu

interface SlopeAttrs { negativeSlope: number }

export const leakyReluBackwardDef: OpDef<SlopeAttrs> = {
  name: 'leakyReluBackward',
  gradFn: 'LeakyReluBackwardBackward0',
  forward: ([g, x], { negativeSlope }) => {
    const dtype = resultType([g, x]);
    const s = dtype === 'float32' ? Math.fround(negativeSlope) : negativeSlope;
    return binaryMap(g, x, dtype, (gv, xv) => (xv > 0 ? gv : gv * s));
  },
  savesInputs: [1],
  backward: ({ grad, input, needsGrad, attrs }) => [
    needsGrad(0) ? leakyReluBackward(grad, input(1), attrs.negativeSlope) : null,
    needsGrad(1) ? zerosLikeGrad(grad) : null,
  ],
  doc: { torch: 'torch.ops.aten.leaky_relu_backward', example: 'leakyReluBackward(g, x, 0.01)', rule: 'grad where x > 0, else slope·grad' },
};

function leakyReluBackward(grad: Tensor, self: Tensor, negativeSlope: number): Tensor {
  return run1(leakyReluBackwardDef, [grad, self], { negativeSlope });
}

function leakyReluForward(a: Tensor, negativeSlope: number): Tensor {
  checkFloat('leaky_relu_cpu', a);
  const s = a.dtype === 'float32' ? Math.fround(negativeSlope) : negativeSlope;
  return unaryMap(a, a.dtype, (x) => (x > 0 ? x : x * s));
}

export const leakyReluDef: OpDef<SlopeAttrs> = {
  name: 'leakyRelu',
  gradFn: 'LeakyReluBackward0',
  forward: ([a], { negativeSlope }) => leakyReluForward(a, negativeSlope),
  savesInputs: [0],
  backward: ({ grad, input, attrs }) => [leakyReluBackward(grad, input(0), attrs.negativeSlope)],
  doc: { torch: 'torch.nn.functional.leaky_relu', example: 'F.leakyRelu(x, { negativeSlope: 0.2 })', rule: 'grad where x > 0, else slope·grad' },
};

/** The in-place variant reads its result (the input is overwritten): LeakyReluBackward1. */
export const leakyReluInplaceDef: OpDef<SlopeAttrs> = {
  ...leakyReluDef,
  gradFn: 'LeakyReluBackward1',
  doc: { ...leakyReluDef.doc!, torch: 'torch.nn.functional.leaky_relu_' },
  savesInputs: undefined,
  savesOutputs: [0],
  backward: ({ grad, output, attrs }) => [leakyReluBackward(grad, output(0), attrs.negativeSlope)],
};

export interface LeakyReluOptions extends InplaceOption { negativeSlope?: number }

export function leakyRelu(a: Tensor, negativeSlope?: number | LeakyReluOptions, options: LeakyReluOptions = {}): Tensor {
  if (typeof negativeSlope === 'object') { options = negativeSlope; negativeSlope = undefined; }
  const slope = negativeSlope ?? options.negativeSlope ?? 0.01;
  if (options.inplace) {
    if (slope < 0) {
      throw new RuntimeError(
        'In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. ' +
        'This is caused by calling in-place forward function with a negative slope, please call out-of-place ' +
        'version instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting ' +
        'in-place leakRelu backward calculation with negative slope');
    }
    return inplace(leakyReluInplaceDef, a, [a], { negativeSlope: slope });
  }
  return run1(leakyReluDef, [a], { negativeSlope: slope });
}

// ------------------------------------------------------------------------------------------ gelu

export type GeluApproximate = 'none' | 'tanh';
interface GeluAttrs { approximate: GeluApproximate }

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI); // β of the tanh approximation
const KAPPA = 0.044715;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI); // the normal pdf's constant

/** x·Φ(x), with Φ(x) = erfc(−x/√2)/2 (no cancellation for negative x). */
function geluExact(x: number): number {
  return 0.5 * x * erfcScalar(-x * SQRT1_2);
}
function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + KAPPA * x * x * x)));
}
/** d/dx gelu(x): Φ(x) + x·φ(x). */
function geluExactGrad(x: number): number {
  return 0.5 * erfcScalar(-x * SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}
function geluTanhGrad(x: number): number {
  const t = Math.tanh(SQRT_2_OVER_PI * (x + KAPPA * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * KAPPA * x * x);
}

/** gelu''(x) with tensor ops (the derivative of GeluBackward's output w.r.t. x, per unit gradient). */
function geluSecondDerivative(x: Tensor, approximate: GeluApproximate): Tensor {
  if (approximate === 'none') {
    // φ(x)·(2 − x²)
    const pdf = mulScalar(mulScalar(x.mul(x), -0.5).exp(), INV_SQRT_2PI);
    return pdf.mul(x.mul(x).neg().add(2));
  }
  // With u = β(x + κx³), t = tanh u: (1 − t²)·(u'·(1 − x·t·u') + 3βκx²), u' = β(1 + 3κx²).
  const x2 = x.mul(x);
  const t = mulScalar(x.add(mulScalar(x2.mul(x), KAPPA)), SQRT_2_OVER_PI).tanh();
  const du = mulScalar(mulScalar(x2, 3 * KAPPA).add(1), SQRT_2_OVER_PI);
  const sech2 = t.mul(t).neg().add(1);
  return sech2.mul(du.mul(x.mul(t).mul(du).neg().add(1)).add(mulScalar(x2, 3 * SQRT_2_OVER_PI * KAPPA)));
}

export const geluBackwardDef: OpDef<GeluAttrs> = {
  name: 'geluBackward',
  gradFn: 'GeluBackwardBackward0',
  forward: ([g, x], { approximate }) => {
    const f = approximate === 'tanh' ? geluTanhGrad : geluExactGrad;
    return binaryMap(g, x, resultType([g, x]), (gv, xv) => gv * f(xv));
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad, attrs: { approximate } }) => [
    needsGrad(0) ? geluBackward(grad, input(1), approximate) : null,
    needsGrad(1) ? grad.mul(input(0)).mul(geluSecondDerivative(input(1), approximate)) : null,
  ],
  doc: { torch: 'torch.ops.aten.gelu_backward', example: 'geluBackward(g, x)', rule: "∂/∂g = gelu'(x), ∂/∂x = g·gelu''(x)" },
};

function geluBackward(grad: Tensor, self: Tensor, approximate: GeluApproximate): Tensor {
  return run1(geluBackwardDef, [grad, self], { approximate });
}

export const geluDef: OpDef<GeluAttrs> = {
  name: 'gelu',
  gradFn: 'GeluBackward0',
  forward: ([a], { approximate }) => {
    checkFloat('GeluKernelImpl', a);
    return unaryMap(a, a.dtype, approximate === 'tanh' ? geluTanh : geluExact);
  },
  savesInputs: [0],
  backward: ({ grad, input, attrs: { approximate } }) => [geluBackward(grad, input(0), approximate)],
  doc: {
    torch: 'torch.nn.functional.gelu', example: "F.gelu(x, { approximate: 'tanh' })",
    rule: 'grad·(Φ(x) + x·φ(x)) (exact); the tanh approximation differentiates its formula',
  },
};

export interface GeluOptions { approximate?: GeluApproximate }

export function gelu(a: Tensor, options: GeluOptions = {}): Tensor {
  const approximate = options.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new RuntimeError(`approximate argument must be either none or tanh.`);
  }
  return run1(geluDef, [a], { approximate });
}

// ------------------------------------------------------------------------------------------ silu

function sigmoidScalar(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export const siluBackwardDef: OpDef = {
  name: 'siluBackward',
  gradFn: 'SiluBackwardBackward0',
  forward: ([g, x]) => binaryMap(g, x, resultType([g, x]), (gv, xv) => {
    const s = sigmoidScalar(xv);
    return gv * s * (1 + xv * (1 - s));
  }),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad }) => {
    const x = input(1);
    let second: Tensor | null = null;
    if (needsGrad(1)) {
      // silu''(x) = σ(1 − σ)·(2 + x·(1 − 2σ))
      const s = x.sigmoid();
      const ds = s.mul(s.neg().add(1));
      second = grad.mul(input(0)).mul(ds.mul(x.mul(mulScalar(s, -2).add(1)).add(2)));
    }
    return [needsGrad(0) ? siluBackward(grad, x) : null, second];
  },
  doc: { torch: 'torch.ops.aten.silu_backward', example: 'siluBackward(g, x)', rule: "∂/∂g = silu'(x), ∂/∂x = g·silu''(x)" },
};

function siluBackward(grad: Tensor, self: Tensor): Tensor {
  return run1(siluBackwardDef, [grad, self], {});
}

export const siluDef: OpDef = {
  name: 'silu',
  gradFn: 'SiluBackward0',
  forward: ([a]) => {
    checkFloat('silu_cpu', a);
    return unaryMap(a, a.dtype, (x) => x / (1 + Math.exp(-x)));
  },
  savesInputs: [0],
  backward: ({ grad, input }) => [siluBackward(grad, input(0))],
  doc: { torch: 'torch.nn.functional.silu', example: 'F.silu(x)', rule: 'grad·σ(x)·(1 + x·(1 − σ(x)))' },
};

export function silu(a: Tensor, options: InplaceOption = {}): Tensor {
  if (options.inplace) return inplace(siluDef, a, [a], {});
  return run1(siluDef, [a], {});
}

// ------------------------------------------------------------------------------------------ softplus

interface SoftplusAttrs { beta: number; threshold: number }

/** β·x as the float32 kernel computes it (the threshold test uses the rounded product). */
function scaledInput(dtype: DType, beta: number): (x: number) => number {
  if (dtype !== 'float32') return (x) => x * beta;
  const b = Math.fround(beta);
  return (x) => Math.fround(x * b);
}

export const softplusBackwardDef: OpDef<SoftplusAttrs> = {
  name: 'softplusBackward',
  gradFn: 'SoftplusBackwardBackward0',
  forward: ([g, x], { beta, threshold }) => {
    const dtype = resultType([g, x]);
    const scale = scaledInput(dtype, beta);
    return binaryMap(g, x, dtype, (gv, xv) => {
      const bx = scale(xv);
      if (bx > threshold) return gv;
      const z = Math.exp(bx);
      return (gv * z) / (z + 1);
    });
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad, attrs: { beta, threshold } }) => {
    const x = input(1);
    let second: Tensor | null = null;
    if (needsGrad(1)) {
      // β·σ'(βx) below the threshold, 0 above it (where the forward is linear).
      const bx = mulScalar(x, beta);
      second = mulScalar(sigmoidBackward(grad.mul(input(0)), bx.sigmoid()).mul(lt(bx, threshold)), beta);
    }
    return [needsGrad(0) ? softplusBackward(grad, x, beta, threshold) : null, second];
  },
  doc: {
    torch: 'torch.ops.aten.softplus_backward', example: 'softplusBackward(g, x, 1, 20)',
    rule: "∂/∂g = σ(βx), ∂/∂x = g·β·σ'(βx)",
  },
};

function softplusBackward(grad: Tensor, self: Tensor, beta: number, threshold: number): Tensor {
  return run1(softplusBackwardDef, [grad, self], { beta, threshold });
}

export const softplusDef: OpDef<SoftplusAttrs> = {
  name: 'softplus',
  gradFn: 'SoftplusBackward0',
  forward: ([a], { beta, threshold }) => {
    checkFloat('softplus_cpu', a);
    const scale = scaledInput(a.dtype, beta);
    return unaryMap(a, a.dtype, (x) => {
      const bx = scale(x);
      return bx > threshold ? x : Math.log1p(Math.exp(bx)) / beta;
    });
  },
  savesInputs: [0],
  backward: ({ grad, input, attrs: { beta, threshold } }) => [softplusBackward(grad, input(0), beta, threshold)],
  doc: {
    torch: 'torch.nn.functional.softplus', example: 'F.softplus(x, { beta: 2 })',
    rule: 'grad·σ(βx), or grad where βx > threshold (the linear part)',
  },
};

export interface SoftplusOptions { beta?: number; threshold?: number }

export function softplus(a: Tensor, options: SoftplusOptions = {}): Tensor {
  return run1(softplusDef, [a], { beta: options.beta ?? 1, threshold: options.threshold ?? 20 });
}

// ------------------------------------------------------------------------------------------ elu, hardtanh

interface EluAttrs { alpha: number }

export const eluDef: OpDef<EluAttrs> = {
  name: 'elu',
  gradFn: 'EluBackward0',
  forward: ([a], { alpha }) => {
    checkFloat('elu_cpu', a);
    return unaryMap(a, a.dtype, (x) => (x > 0 ? x : alpha * Math.expm1(x)));
  },
  savesInputs: [0],
  backward: ({ grad, input, attrs: { alpha } }) => {
    const x = input(0);
    return [where(gt(x, 0), grad, grad.mul(mulScalar(x.exp(), alpha)))];
  },
  doc: { torch: 'torch.nn.functional.elu', example: 'F.elu(x, { alpha: 1 })', rule: 'grad where x > 0, else grad·α·exp(x)' },
};

/** The in-place variant reads its result: α·exp(x) = y + α where x ≤ 0 (EluBackward1). */
export const eluInplaceDef: OpDef<EluAttrs> = {
  ...eluDef,
  gradFn: 'EluBackward1',
  savesInputs: undefined,
  savesOutputs: [0],
  backward: ({ grad, output, attrs: { alpha } }) => {
    const y = output(0);
    return [where(gt(y, 0), grad, grad.mul(y.add(alpha)))];
  },
  doc: { ...eluDef.doc!, torch: 'torch.nn.functional.elu_' },
};

export interface EluOptions extends InplaceOption { alpha?: number }

export function elu(a: Tensor, options: EluOptions = {}): Tensor {
  const attrs = { alpha: options.alpha ?? 1 };
  if (options.inplace) return inplace(eluInplaceDef, a, [a], attrs);
  return run1(eluDef, [a], attrs);
}

interface HardtanhAttrs { minVal: number; maxVal: number }

export const hardtanhDef: OpDef<HardtanhAttrs> = {
  name: 'hardtanh',
  gradFn: 'HardtanhBackward0',
  forward: ([a], { minVal, maxVal }) => {
    if (a.dtype === 'bool') throw new RuntimeError('"hardtanh_cpu" not implemented for \'Bool\'');
    return unaryMap(a, a.dtype, (x) => (x !== x ? x : Math.min(Math.max(x, minVal), maxVal)));
  },
  savesInputs: [0],
  // NOTE: unlike clamp, hardtanh's gradient is zero *at* the bounds.
  backward: ({ grad, input, attrs: { minVal, maxVal } }) => {
    const x = input(0);
    return [where(logicalAnd(gt(x, minVal), lt(x, maxVal)), grad, 0)];
  },
  doc: { torch: 'torch.nn.functional.hardtanh', example: 'F.hardtanh(x, -1, 1)', rule: 'grad where min < x < max, else 0' },
};

/** The in-place variant reads its (clamped) result (HardtanhBackward1). */
export const hardtanhInplaceDef: OpDef<HardtanhAttrs> = {
  ...hardtanhDef,
  gradFn: 'HardtanhBackward1',
  savesInputs: undefined,
  savesOutputs: [0],
  backward: ({ grad, output, attrs: { minVal, maxVal } }) => {
    const y = output(0);
    return [where(logicalAnd(gt(y, minVal), lt(y, maxVal)), grad, 0)];
  },
  doc: { ...hardtanhDef.doc!, torch: 'torch.nn.functional.hardtanh_' },
};

export interface HardtanhOptions extends InplaceOption { minVal?: number; maxVal?: number }

export function hardtanh(a: Tensor, minVal?: number | HardtanhOptions, maxVal?: number, options: HardtanhOptions = {}): Tensor {
  if (typeof minVal === 'object') { options = minVal; minVal = undefined; }
  const attrs = { minVal: minVal ?? options.minVal ?? -1, maxVal: maxVal ?? options.maxVal ?? 1 };
  if (options.inplace) return inplace(hardtanhInplaceDef, a, [a], attrs);
  return run1(hardtanhDef, [a], attrs);
}

/** `F.relu6(x)` = hardtanh(x, 0, 6). */
export function relu6(a: Tensor, options: InplaceOption = {}): Tensor {
  return hardtanh(a, 0, 6, options);
}

// ------------------------------------------------------------------------------------------ softmax family

interface DimAttrs { dim: number }

/** softmax / log_softmax along `dim` of a contiguous copy, in double: max-shifted, so large values are safe. */
function softmaxForward(a: Tensor, dim: number, log: boolean): Tensor {
  const c = contiguousTensor(a);
  const src = c._data, off = c.offset;
  const { outer, size, inner } = dimLayout(a.shape, dim);
  const out = allocate(a.dtype, a.numel());
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = src[off + base + k * inner];
        if (v > max || v !== v) max = v;
      }
      let sum = 0;
      for (let k = 0; k < size; k++) sum += Math.exp(src[off + base + k * inner] - max);
      if (log) {
        const lse = Math.log(sum);
        for (let k = 0; k < size; k++) out[base + k * inner] = src[off + base + k * inner] - max - lse;
      } else {
        for (let k = 0; k < size; k++) out[base + k * inner] = Math.exp(src[off + base + k * inner] - max) / sum;
      }
    }
  }
  return Tensor._fromData(out, a.shape, a.dtype);
}

/**
 * The backward kernels of the softmax family, along `dim`:
 *   softmax:     y·(g − Σ g·y)
 *   log_softmax: g − exp(y)·Σ g
 */
function softmaxBackwardForward(g: Tensor, y: Tensor, dim: number, log: boolean): Tensor {
  const gc = contiguousTensor(g), yc = contiguousTensor(y);
  const gd = gc._data, go = gc.offset, yd = yc._data, yo = yc.offset;
  const { outer, size, inner } = dimLayout(y.shape, dim);
  const dtype = resultType([g, y]);
  const out = allocate(dtype, y.numel());
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let sum = 0;
      for (let k = 0; k < size; k++) {
        const j = base + k * inner;
        sum += log ? gd[go + j] : gd[go + j] * yd[yo + j];
      }
      for (let k = 0; k < size; k++) {
        const j = base + k * inner;
        out[j] = log ? gd[go + j] - Math.exp(yd[yo + j]) * sum : yd[yo + j] * (gd[go + j] - sum);
      }
    }
  }
  return Tensor._fromData(out, y.shape, dtype);
}

export const softmaxBackwardDataDef: OpDef<DimAttrs> = {
  name: 'softmaxBackwardData',
  gradFn: 'SoftmaxBackwardDataBackward0',
  forward: ([g, y], { dim }) => softmaxBackwardForward(g, y, dim, false),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad, attrs: { dim } }) => {
    const g = input(0), y = input(1);
    return [
      needsGrad(0) ? softmaxBackwardData(grad, y, dim) : null,
      // ∂/∂y of y·(g − Σ g·y) applied to G: G·(g − Σ g·y) − g·Σ G·y
      needsGrad(1)
        ? grad.mul(g.sub(g.mul(y).sum(dim, { keepdim: true }))).sub(g.mul(grad.mul(y).sum(dim, { keepdim: true })))
        : null,
    ];
  },
  doc: { torch: 'torch.ops.aten._softmax_backward_data', example: 'softmaxBackwardData(g, y, 1)', rule: 'y·(g − Σ g·y)' },
};

export const logSoftmaxBackwardDataDef: OpDef<DimAttrs> = {
  name: 'logSoftmaxBackwardData',
  gradFn: 'LogSoftmaxBackwardDataBackward0',
  forward: ([g, y], { dim }) => softmaxBackwardForward(g, y, dim, true),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad, attrs: { dim } }) => {
    const g = input(0), y = input(1);
    return [
      needsGrad(0) ? grad.sub(grad.mul(y.exp()).sum(dim, { keepdim: true })) : null,
      needsGrad(1) ? g.sum(dim, { keepdim: true }).neg().mul(y.exp()).mul(grad) : null,
    ];
  },
  doc: { torch: 'torch.ops.aten._log_softmax_backward_data', example: 'logSoftmaxBackwardData(g, y, 1)', rule: 'g − exp(y)·Σ g' },
};

function softmaxBackwardData(grad: Tensor, output: Tensor, dim: number): Tensor {
  return run1(softmaxBackwardDataDef, [grad, output], { dim });
}
function logSoftmaxBackwardData(grad: Tensor, output: Tensor, dim: number): Tensor {
  return run1(logSoftmaxBackwardDataDef, [grad, output], { dim });
}

export const softmaxDef: OpDef<DimAttrs> = {
  name: 'softmax',
  gradFn: 'SoftmaxBackward0',
  forward: ([a], { dim }) => {
    checkFloat('softmax_lastdim_kernel_impl', a);
    return softmaxForward(a, dim, false);
  },
  savesOutputs: [0],
  backward: ({ grad, output, attrs: { dim } }) => [softmaxBackwardData(grad, output(0), dim)],
  doc: { torch: 'torch.softmax', example: 'torch.softmax(x, 1)', rule: 'y·(grad − Σ grad·y) along dim' },
};

export const logSoftmaxDef: OpDef<DimAttrs> = {
  name: 'logSoftmax',
  gradFn: 'LogSoftmaxBackward0',
  forward: ([a], { dim }) => {
    checkFloat('log_softmax_lastdim_kernel_impl', a);
    return softmaxForward(a, dim, true);
  },
  savesOutputs: [0],
  backward: ({ grad, output, attrs: { dim } }) => [logSoftmaxBackwardData(grad, output(0), dim)],
  doc: { torch: 'torch.log_softmax', example: 'torch.logSoftmax(x, 1)', rule: 'grad − exp(y)·Σ grad along dim' },
};

export interface SoftmaxOptions { dim?: number | null; dtype?: DType }

/** PyTorch's `_get_softmax_dim`: the legacy implicit dim (with its deprecation warning). */
function implicitDim(name: string, ndim: number): number {
  warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`, false);
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

function softmaxCall(def: OpDef<DimAttrs>, name: string, a: Tensor,
  dim: number | null | undefined | SoftmaxOptions, options: SoftmaxOptions): Tensor {
  if (typeof dim === 'object' && dim !== null) { options = dim; dim = undefined; }
  const d = dim ?? options.dim;
  const resolved = d === undefined || d === null ? implicitDim(name, a.dim()) : normalizeDim(d, a.dim());
  const input = options.dtype && options.dtype !== a.dtype ? a.to(options.dtype) : a;
  return run1(def, [input], { dim: resolved });
}

/** `torch.softmax(x, dim)` / `F.softmax(x, dim)`; also `softmax(x, { dim, dtype })`. */
export function softmax(a: Tensor, dim?: number | null | SoftmaxOptions, options: SoftmaxOptions = {}): Tensor {
  return softmaxCall(softmaxDef, 'softmax', a, dim, options);
}

/** `torch.log_softmax(x, dim)` / `F.log_softmax(x, dim)`. */
export function logSoftmax(a: Tensor, dim?: number | null | SoftmaxOptions, options: SoftmaxOptions = {}): Tensor {
  return softmaxCall(logSoftmaxDef, 'log_softmax', a, dim, options);
}

// ------------------------------------------------------------------------------------------ methods

declare module '../tensor' {
  interface Tensor {
    relu(): Tensor;
    relu_(): Tensor;
    softmax(dim?: number | null | SoftmaxOptions, options?: SoftmaxOptions): Tensor;
    logSoftmax(dim?: number | null | SoftmaxOptions, options?: SoftmaxOptions): Tensor;
  }
}

const proto = Tensor.prototype;
proto.relu = function () { return run1(reluDef, [this], {}); };
proto.relu_ = function () { return inplace(reluDef, this, [this], {}); };
proto.softmax = function (dim, options) { return softmax(this, dim, options); };
proto.logSoftmax = function (dim, options) { return logSoftmax(this, dim, options); };

