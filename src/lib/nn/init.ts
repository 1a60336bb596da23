import { noGrad } from '../autograd/gradMode';
import { ValueError, warn } from '../errors';
import type { Generator } from '../random/generator';
import type { Tensor } from '../tensor';
import { pyValue } from './pyFormat';

/**
 * `torch.nn.init`: in-place initialisers, run under no_grad so they work on parameters (leaves
 * that require grad). Bounds are computed in double exactly as torch/nn/init.py does; the draws
 * are the tensor's own `uniform_` / `normal_` on the default generator (or `generator`), so the
 * same seed gives PyTorch's values bit for bit.
 */

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

export type FanMode = 'fan_in' | 'fan_out';

export interface GeneratorOption {
  generator?: Generator;
}

const LINEAR_FNS = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];

/** `calculate_gain(nonlinearity, param=None)`: the recommended gain for a nonlinearity. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  if (LINEAR_FNS.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    let negativeSlope: number;
    if (param === undefined || param === null) negativeSlope = 0.01;
    else if (typeof param === 'number') negativeSlope = param;
    else throw new ValueError(`negative_slope ${pyValue(param)} not a valid number`);
    return Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new ValueError(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

/** `_calculate_fan_in_and_fan_out`: fan_in = size(1)·receptive field, fan_out = size(0)·receptive field. */
export function calculateFanInAndFanOut(tensor: Tensor): { fanIn: number; fanOut: number } {
  if (tensor.dim() < 2) {
    throw new ValueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  }
  let receptiveField = 1;
  for (const s of tensor.shape.slice(2)) receptiveField *= s;
  return { fanIn: tensor.shape[1] * receptiveField, fanOut: tensor.shape[0] * receptiveField };
}

function correctFan(tensor: Tensor, mode: string): number {
  const m = mode.toLowerCase();
  if (m !== 'fan_in' && m !== 'fan_out') {
    throw new ValueError(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  }
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensor);
  return m === 'fan_in' ? fanIn : fanOut;
}

/** `uniform_(tensor, a=0, b=1)` */
export function uniform_(tensor: Tensor, a = 0, b = 1, options: GeneratorOption = {}): Tensor {
  return noGrad(() => tensor.uniform_(a, b, { generator: options.generator }));
}

/** `normal_(tensor, mean=0, std=1)` */
export function normal_(tensor: Tensor, mean = 0, std = 1, options: GeneratorOption = {}): Tensor {
  return noGrad(() => tensor.normal_(mean, std, { generator: options.generator }));
}

/** `constant_(tensor, val)` */
export function constant_(tensor: Tensor, val: number): Tensor {
  return noGrad(() => tensor.fill_(val));
}

/** `ones_(tensor)` */
export function ones_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.fill_(1));
}

/** `zeros_(tensor)` */
export function zeros_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.zero_());
}

export interface XavierOptions extends GeneratorOption {
  gain?: number;
}

function xavierStd(tensor: Tensor, gain: number): number {
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensor);
  return gain * Math.sqrt(2.0 / (fanIn + fanOut));
}

/** `xavier_uniform_(tensor, gain=1)`: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)). */
export function xavierUniform_(tensor: Tensor, gain: number | XavierOptions = 1, options: XavierOptions = {}): Tensor {
  if (typeof gain === 'object') { options = gain; gain = gain.gain ?? 1; }
  const a = Math.sqrt(3.0) * xavierStd(tensor, gain);
  return uniform_(tensor, -a, a, options);
}

/** `xavier_normal_(tensor, gain=1)`: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). */
export function xavierNormal_(tensor: Tensor, gain: number | XavierOptions = 1, options: XavierOptions = {}): Tensor {
  if (typeof gain === 'object') { options = gain; gain = gain.gain ?? 1; }
  return normal_(tensor, 0, xavierStd(tensor, gain), options);
}

export interface KaimingOptions extends GeneratorOption {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

interface KaimingArgs { a: number; mode: FanMode; nonlinearity: Nonlinearity; generator?: Generator }

function kaimingArgs(a: number | KaimingOptions | undefined, mode: FanMode | undefined,
  nonlinearity: Nonlinearity | undefined, options: KaimingOptions): KaimingArgs {
  const o = typeof a === 'object' ? a : options;
  return {
    a: (typeof a === 'number' ? a : o.a) ?? 0,
    mode: mode ?? o.mode ?? 'fan_in',
    nonlinearity: nonlinearity ?? o.nonlinearity ?? 'leaky_relu',
    generator: o.generator,
  };
}

/** Kaiming init of a zero-element tensor draws nothing and warns, as PyTorch does. */
function isEmpty(tensor: Tensor): boolean {
  if (!tensor.shape.includes(0)) return false;
  warn('Initializing zero-element tensors is a no-op', false);
  return true;
}

/**
 * `kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')`:
 * U(−bound, bound) with bound = √3 · gain / √fan. `nn.Linear` uses it with a = √5.
 */
export function kaimingUniform_(tensor: Tensor, a?: number | KaimingOptions, mode?: FanMode,
  nonlinearity?: Nonlinearity, options: KaimingOptions = {}): Tensor {
  const k = kaimingArgs(a, mode, nonlinearity, options);
  if (isEmpty(tensor)) return tensor;
  const std = calculateGain(k.nonlinearity, k.a) / Math.sqrt(correctFan(tensor, k.mode));
  const bound = Math.sqrt(3.0) * std;
  return uniform_(tensor, -bound, bound, { generator: k.generator });
}

/** `kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')`: N(0, (gain / √fan)²). */
export function kaimingNormal_(tensor: Tensor, a?: number | KaimingOptions, mode?: FanMode,
  nonlinearity?: Nonlinearity, options: KaimingOptions = {}): Tensor {
  const k = kaimingArgs(a, mode, nonlinearity, options);
  if (isEmpty(tensor)) return tensor;
  const std = calculateGain(k.nonlinearity, k.a) / Math.sqrt(correctFan(tensor, k.mode));
  return normal_(tensor, 0, std, { generator: k.generator });
}
