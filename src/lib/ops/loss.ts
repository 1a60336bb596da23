import { RuntimeError, ValueError } from '../errors';
import { formatSize, sameShape } from '../shape';
import { Tensor } from '../tensor';
import { ternaryMap, binaryMap } from './kernels';
import { run1, type OpDef } from './registry';

/** Loss functions (`torch.nn.functional.*`). */

export type Reduction = 'none' | 'mean' | 'sum';

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  return loss;
}

/** log σ(x) = min(x, 0) − log1p(exp(−|x|)), stable for large |x|. */
function logSigmoid(x: number): number {
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}

interface BceLogitsAttrs { reduction: Reduction; weight: Tensor | null; posWeight: Tensor | null }

export const binaryCrossEntropyWithLogitsDef: OpDef<BceLogitsAttrs> = {
  name: 'binaryCrossEntropyWithLogits',
  gradFn: 'BinaryCrossEntropyWithLogitsBackward0',
  forward([input, target], { reduction, weight, posWeight }) {
    let loss = posWeight
      ? ternaryMap(input, target, posWeight, input.dtype,
        (x, y, pw) => (1 - y) * x - ((pw - 1) * y + 1) * logSigmoid(x))
      : binaryMap(input, target, input.dtype, (x, y) => (1 - y) * x - logSigmoid(x));
    if (weight) loss = binaryMap(loss, weight, input.dtype, (l, w) => l * w);
    if (reduction === 'none') return loss;
    let acc = 0;
    const n = loss.numel();
    for (let i = 0; i < n; i++) acc += loss._get(i);
    return Tensor._fromData(new (loss._data.constructor as Float32ArrayConstructor)([reduction === 'mean' ? acc / n : acc]), [], input.dtype);
  },
  savesInputs: [0, 1],
  backward({ grad, input, needsGrad, attrs: { reduction, weight, posWeight } }) {
    const x = input(0);
    const y = input(1);
    const scale = (g: Tensor): Tensor => {
      let r = weight ? g.mul(weight) : g;
      r = r.mul(grad);
      return reduction === 'mean' ? r.div(x.numel()) : r;
    };
    let gx: Tensor | null = null;
    let gy: Tensor | null = null;
    if (needsGrad(0)) {
      if (posWeight) {
        const t = posWeight.mul(y);
        gx = scale(t.add(1).sub(y).mul(x.sigmoid()).sub(t));
      } else {
        gx = scale(x.sigmoid().sub(y));
      }
    }
    if (needsGrad(1)) {
      gy = scale(posWeight ? x.neg().logSigmoid().sub(x.logSigmoid().mul(posWeight)) : x.neg());
    }
    return [gx, gy];
  },
  doc: {
    torch: 'torch.nn.functional.binary_cross_entropy_with_logits',
    example: 'F.binaryCrossEntropyWithLogits(z, y)',
    rule: '∂/∂z = (σ(z) − y) · grad (÷ n for mean)',
  },
};

export interface BceWithLogitsOptions {
  weight?: Tensor | null;
  posWeight?: Tensor | null;
  reduction?: Reduction;
}

export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw new ValueError(
      `Target size (${formatSize(target.shape)}) must be the same as input size (${formatSize(input.shape)})`);
  }
  const reduction = options.reduction ?? 'mean';
  if (!['none', 'mean', 'sum'].includes(reduction)) throw new ValueError(`${reduction} is not a valid value for reduction`);
  return run1(binaryCrossEntropyWithLogitsDef, [input, target],
    { reduction, weight: options.weight ?? null, posWeight: options.posWeight ?? null });
}

void reduce; void RuntimeError;

export const logSigmoidDef: OpDef = {
  name: 'logSigmoid',
  gradFn: 'LogSigmoidBackward0',
  forward: ([a]) => {
    const out = Tensor._empty(a.shape, a.dtype);
    for (let i = 0; i < out._data.length; i++) out._data[i] = logSigmoid(a._get(i));
    return out;
  },
  savesInputs: [0],
  backward: ({ grad, input }) => [grad.mul(input(0).neg().sigmoid())],
  doc: { torch: 'torch.nn.functional.logsigmoid', example: 'F.logSigmoid(x)', rule: 'grad·σ(−x)' },
};

export function logSigmoid_(a: Tensor): Tensor {
  return run1(logSigmoidDef, [a], {});
}

declare module '../tensor' {
  interface Tensor {
    logSigmoid(): Tensor;
  }
}
Tensor.prototype.logSigmoid = function () { return logSigmoid_(this); };
