import { allocate, isFloating, scalarTypeName } from '../dtype';
import { RuntimeError, ValueError } from '../errors';
import { inScope } from '../capture/hooks';
import { pyRepr } from '../print/pyFloat';
import { defaultGenerator, type Generator } from '../random/generator';
import { dropoutMask } from '../random/init';
import { Tensor } from '../tensor';
import { notifyCreated } from './registry';

/**
 * `torch.nn.functional.dropout`. On CPU PyTorch does not use the fused `native_dropout` kernel
 * (that is for CUDA/XPU/lazy tensors); it runs ATen's `_dropout_impl`:
 *   noise = empty_like(input).bernoulli_(1 - p).div_(1 - p);  return input * noise
 * so the graph has one MulBackward0 node (input, noise) and the random numbers are those of
 * `bernoulli_` on the default generator (see random/init.ts `dropoutMask`).
 */

export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
  /** Not in PyTorch's functional signature; lets tests and callers use their own generator. */
  generator?: Generator;
}

/**
 * `F.dropout(input, p=0.5, training=True, inplace=False)`. With `training` false, p == 0 or an
 * empty input the input object itself is returned (no node, as in PyTorch).
 */
export function dropout(input: Tensor, p: number | DropoutOptions = 0.5, training = true, inplace = false): Tensor {
  let generator: Generator = defaultGenerator;
  if (typeof p === 'object') {
    training = p.training ?? true;
    inplace = p.inplace ?? false;
    generator = p.generator ?? defaultGenerator;
    p = p.p ?? 0.5;
  }
  if (!(p >= 0 && p <= 1)) {
    throw new ValueError(`dropout probability has to be between 0 and 1, but got ${pythonNumber(p)}`);
  }
  if (p === 0 || !training || input.numel() === 0) return input;
  const prob = p;
  return inScope('dropout', 'composite', () => {
    const noise = dropoutNoise(input, prob, generator);
    return inplace ? input.mul_(noise) : input.mul(noise);
  });
}

/**
 * The tensor `input` is multiplied by: 0 where dropped, 1/(1-p) (rounded to the input's
 * dtype, as `div_` computes it) where kept; a 0-dim zero when p == 1 (`input * zeros({})`).
 */
function dropoutNoise(input: Tensor, p: number, generator: Generator): Tensor {
  if (p === 1) return notifyCreated('zeros', Tensor._empty([], input.dtype));
  if (!isFloating(input.dtype)) {
    // NOTE: PyTorch fails in `noise.div_(1 - p)` on integer tensors with this message.
    throw new RuntimeError(`result type Float can't be cast to the desired output type ${scalarTypeName(input.dtype)}`);
  }
  const n = input.numel();
  const { mask, scale } = dropoutMask(generator, n, p);
  const keep = input.dtype === 'float32' ? scale : 1 / (1 - p);
  const data = allocate(input.dtype, n);
  for (let i = 0; i < n; i++) data[i] = mask[i] * keep;
  return notifyCreated('bernoulli', Tensor._fromData(data, input.shape.slice(), input.dtype));
}

/** A JS number as Python prints it (integral numbers stand for Python ints). */
function pythonNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : pyRepr(x);
}
