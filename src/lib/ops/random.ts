import { allocate, isFloating } from '../dtype';
import { RuntimeError } from '../errors';
import { numelOf } from '../shape';
import { Tensor } from '../tensor';
import { defaultGenerator, type Generator } from '../random/generator';
import { finishLeaf, parseSizeArgs, type FactoryOptions, type SizeArgs } from './creation';
import { checkInplace } from './inplace';
import { defaultDtype } from './promote';
import { notifyCreated } from './registry';

/** Random factories and in-place samplers on PyTorch's default generator (same seed, same numbers). */

export interface RandomOptions extends FactoryOptions {
  generator?: Generator;
}

function floatLeaf(op: string, args: SizeArgs, fill: (out: Float32Array | Float64Array, gen: Generator) => void): Tensor {
  const { shape, options } = parseSizeArgs(args);
  const opts = options as RandomOptions;
  const dtype = opts.dtype ?? defaultDtype();
  if (!isFloating(dtype)) throw new RuntimeError(`"${op}" not implemented for '${dtype === 'int64' ? 'Long' : 'Bool'}'`);
  const data = allocate(dtype, numelOf(shape)) as Float32Array | Float64Array;
  fill(data, opts.generator ?? defaultGenerator);
  return notifyCreated(op, finishLeaf(Tensor._fromData(data, shape, dtype), opts));
}

/** `torch.manual_seed(seed)` */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** `torch.initial_seed()` */
export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}

/** `torch.randn(*size)`: standard normal samples. */
export function randn(...args: SizeArgs): Tensor {
  return floatLeaf('randn', args, (out, g) => g.fillNormal(out, 0, 1));
}

/** `torch.rand(*size)`: uniform samples in [0, 1). */
export function rand(...args: SizeArgs): Tensor {
  return floatLeaf('rand', args, (out, g) => g.fillRand(out));
}

/** `torch.normal(mean, std, size)` */
export function normal(mean: number, std: number, size: readonly number[], options: RandomOptions = {}): Tensor {
  return floatLeaf('normal', [size, options], (out, g) => g.fillNormal(out, mean, std));
}

/** `torch.randint(low, high, size)` (int64). */
export function randint(low: number, high: number, size: readonly number[], options: RandomOptions = {}): Tensor {
  if (high <= low) throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const { shape } = parseSizeArgs([size]);
  const data = new Float64Array(numelOf(shape));
  (options.generator ?? defaultGenerator).fillRandint(data, low, high);
  const t = Tensor._fromData(data, shape, 'int64');
  return notifyCreated('randint', finishLeaf(options.dtype && options.dtype !== 'int64' ? t.to(options.dtype) : t, options));
}

/** `torch.randperm(n)` (int64). */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  const data = (options.generator ?? defaultGenerator).randperm(n);
  return notifyCreated('randperm', finishLeaf(Tensor._fromData(data, [n], 'int64'), options));
}

/** `torch.bernoulli(p)`: 1 with probability p per element. */
export function bernoulli(p: Tensor, options: { generator?: Generator } = {}): Tensor {
  const data = allocate(p.dtype, p.numel()) as Float32Array | Float64Array;
  (options.generator ?? defaultGenerator).fillBernoulliTensor(data, p._toArray());
  return notifyCreated('bernoulli', Tensor._fromData(data, p.shape, p.dtype));
}

/**
 * Fills `self` in place from a sampler. A contiguous tensor is filled in row-major order; a
 * non-contiguous one (only `normal_` differs) is visited in memory order, as PyTorch's serial kernel does.
 */
function sampleInPlace(self: Tensor, fill: (out: Float32Array | Float64Array) => void,
  fillSerial: (out: Float32Array | Float64Array) => void = fill): Tensor {
  checkInplace(self);
  if (!isFloating(self.dtype)) throw new RuntimeError('expected a floating-point tensor');
  const n = self.numel();
  const out = allocate(self.dtype, n) as Float32Array | Float64Array;
  if (self._contiguous) {
    fill(out);
    self._data.set(out as never, self.offset);
  } else {
    const offsets = Array.from({ length: n }, (_, i) => self._storageIndex(i)).sort((x, y) => x - y);
    fillSerial(out);
    for (let i = 0; i < n; i++) self._data[offsets[i]] = out[i];
  }
  self._box.version++;
  return self;
}

declare module '../tensor' {
  interface Tensor {
    normal_(mean?: number, std?: number, options?: { generator?: Generator }): Tensor;
    uniform_(from?: number, to?: number, options?: { generator?: Generator }): Tensor;
    bernoulli_(p?: number, options?: { generator?: Generator }): Tensor;
  }
}
const proto = Tensor.prototype;
proto.normal_ = function (mean = 0, std = 1, options = {}) {
  const gen = options.generator ?? defaultGenerator;
  return sampleInPlace(this, (out) => gen.fillNormal(out, mean, std), (out) => gen.fillNormalSerial(out, mean, std));
};
proto.uniform_ = function (from = 0, to = 1, options = {}) {
  return sampleInPlace(this, (out) => (options.generator ?? defaultGenerator).fillUniform(out, from, to));
};
proto.bernoulli_ = function (p = 0.5, options = {}) {
  return sampleInPlace(this, (out) => (options.generator ?? defaultGenerator).fillBernoulliScalar(out, p));
};
