/**
 * Random initialisation helpers that mirror torch.nn.init / nn.Linear / F.dropout, in the
 * order and precision PyTorch computes them (Python doubles for the bounds, float32 for
 * the dropout scale).
 */
import { ValueError } from '../errors';
import type { Generator } from './generator';

/**
 * `torch.nn.init._calculate_fan_in_and_fan_out`: fan_in = size(1) x receptive field,
 * fan_out = size(0) x receptive field (receptive field = product of dims 2..).
 */
export function calculateFanInAndFanOut(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new ValueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  }
  let receptiveField = 1;
  for (let d = 2; d < shape.length; d++) receptiveField *= shape[d];
  return { fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField };
}

/** Nonlinearities `torch.nn.init.calculate_gain` knows. */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/**
 * `torch.nn.init.calculate_gain(nonlinearity, param)`. For 'leaky_relu', `param` is the
 * negative slope (default 0.01): sqrt(2 / (1 + slope^2)).
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5.0 / 3;
    case 'relu':
      return Math.sqrt(2.0);
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2.0 / (1 + slope * slope));
    }
    case 'selu':
      return 3.0 / 4;
    default:
      throw new ValueError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** `calculate_gain('leaky_relu', a)` = sqrt(2 / (1 + a^2)). */
export function leakyReluGain(a: number): number {
  return calculateGain('leaky_relu', a);
}

/**
 * The bound of `kaiming_uniform_(w, a, mode, nonlinearity)` given the fan of the chosen mode
 * (fan_in by default), as torch.nn.init computes it in double:
 * std = gain / sqrt(fan); bound = sqrt(3) * std. The weights are then `uniform_(-bound, bound)`.
 */
export function kaimingUniformBound(fan: number, a: number, nonlinearity: Nonlinearity = 'leaky_relu'): number {
  return Math.sqrt(3.0) * kaimingNormalStd(fan, a, nonlinearity);
}

/** The std of `kaiming_normal_`: gain / sqrt(fan); the weights are then `normal_(0, std)`. */
export function kaimingNormalStd(fan: number, a: number, nonlinearity: Nonlinearity = 'leaky_relu'): number {
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/** The std of `xavier_normal_`: gain * sqrt(2 / (fan_in + fan_out)); then `normal_(0, std)`. */
export function xavierNormalStd(fanIn: number, fanOut: number, gain = 1.0): number {
  return gain * Math.sqrt(2.0 / (fanIn + fanOut));
}

/** The bound of `xavier_uniform_`: sqrt(3) * xavier std; then `uniform_(-bound, bound)`. */
export function xavierUniformBound(fanIn: number, fanOut: number, gain = 1.0): number {
  return Math.sqrt(3.0) * xavierNormalStd(fanIn, fanOut, gain);
}

/** `nn.Linear.reset_parameters` bias bound: 1 / sqrt(fan_in), or 0 when fan_in is 0. */
export function linearBiasBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}

/**
 * `nn.Linear(in, out)` default initialisation, drawing in PyTorch's order: weight
 * ([out, in], row-major) by `kaiming_uniform_(a=sqrt(5))` (bound 1/sqrt(in)), then the
 * bias by `uniform_(-1/sqrt(in), 1/sqrt(in))`.
 */
export function initLinear(
  gen: Generator,
  inFeatures: number,
  outFeatures: number,
  bias = true,
): { weight: Float32Array; bias: Float32Array | null } {
  const weight = new Float32Array(inFeatures * outFeatures);
  if (weight.length > 0) {
    // NOTE: kaiming_uniform_ on a zero-element tensor is a no-op (PyTorch warns), no draws.
    const bound = kaimingUniformBound(inFeatures, Math.sqrt(5));
    gen.fillUniform(weight, -bound, bound);
  }
  if (!bias) return { weight, bias: null };
  const biasValues = new Float32Array(outFeatures);
  const biasBound = linearBiasBound(inFeatures);
  gen.fillUniform(biasValues, -biasBound, biasBound);
  return { weight, bias: biasValues };
}

/**
 * The noise of `F.dropout(x, p, training=True)` on CPU (ATen `_dropout_impl`):
 * mask = `bernoulli_(1 - p)` (double uniforms), kept values are x * scale with
 * scale = float32(1) / float32(1 - p) (`noise.div_(1 - p)`), so the output is
 * x * (mask * scale) in float32.
 * p == 0 draws nothing (PyTorch returns the input itself); p == 1 draws nothing and
 * zeroes everything (`input * zeros({})`).
 */
export function dropoutMask(gen: Generator, n: number, p: number): { mask: Float32Array; scale: number } {
  if (!(p >= 0 && p <= 1)) {
    throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
  const mask = new Float32Array(n);
  if (p === 0) return { mask: mask.fill(1), scale: 1 };
  if (p === 1) return { mask, scale: 0 };
  gen.fillBernoulliScalar(mask, 1 - p);
  return { mask, scale: Math.fround(1 / Math.fround(1 - p)) };
}
