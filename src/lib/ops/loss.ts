import { allocate, type Storage } from '../dtype';
import { RuntimeError, ValueError, warn } from '../errors';
import { broadcastShapes, formatSize, sameShape } from '../shape';
import { Tensor } from '../tensor';
import { inScope } from '../capture/hooks';
import { binaryMap, readContiguous, ternaryMap } from './kernels';
import { run1, type OpDef } from './registry';
import { expand } from './shapeOps';

/**
 * Regression and binary losses (`torch.nn.functional.*`): mse_loss (MseLossBackward0), l1_loss
 * (a composite: |input − target| then mean/sum), binary_cross_entropy
 * (BinaryCrossEntropyBackward0) and binary_cross_entropy_with_logits
 * (BinaryCrossEntropyWithLogitsBackward0). Classification losses are in classLoss.ts.
 */

export type Reduction = 'none' | 'mean' | 'sum';

/** Python's `_Reduction.get_enum`: anything else is a ValueError. */
export function checkReduction(reduction: string | undefined): Reduction {
  const r = reduction ?? 'mean';
  if (r !== 'none' && r !== 'mean' && r !== 'sum') throw new ValueError(`${r} is not a valid value for reduction`);
  return r;
}

/** A 0-dim tensor holding the mean or sum of `values` (accumulated in double, rounded once). */
function reduceStorage(values: Storage, reduction: 'mean' | 'sum', dtype: Tensor['dtype']): Tensor {
  let acc = 0;
  for (let i = 0; i < values.length; i++) acc += values[i];
  const out = allocate(dtype, 1);
  out[0] = reduction === 'mean' ? acc / values.length : acc;
  return Tensor._fromData(out, [], dtype);
}

function reduceLoss(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? loss : reduceStorage(readContiguous(loss), reduction, loss.dtype);
}

/** Scales an elementwise gradient by the upstream one (and 1/n for the mean). */
function scaleByUpstream(g: Tensor, grad: Tensor, reduction: Reduction, n: number): Tensor {
  const r = g.mul(grad);
  return reduction === 'mean' ? r.div(n) : r;
}

/** F.mse_loss / F.l1_loss warn (from Python) before broadcasting differently-shaped targets. */
function warnTargetSize(input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) {
    warn(
      `Using a target size (${formatSize(target.shape)}) that is different to the input size ` +
      `(${formatSize(input.shape)}). This will likely lead to incorrect results due to broadcasting. ` +
      'Please ensure they have the same size.', false);
  }
}

/** `torch.broadcast_tensors` for two tensors: an expand only for the one whose shape differs. */
function broadcastPair(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (sameShape(a.shape, b.shape)) return [a, b];
  const shape = broadcastShapes(a.shape, b.shape);
  return [sameShape(a.shape, shape) ? a : expand(a, shape), sameShape(b.shape, shape) ? b : expand(b, shape)];
}

interface ReductionAttrs { reduction: Reduction }

export const mseLossDef: OpDef<ReductionAttrs> = {
  name: 'mseLoss',
  gradFn: 'MseLossBackward0',
  forward: ([x, y], { reduction }) => reduceLoss(binaryMap(x, y, x.dtype, (a, b) => (a - b) * (a - b)), reduction),
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad, inputMeta, attrs: { reduction } }) => {
    const n = inputMeta[0].shape.reduce((p, s) => p * s, 1);
    const g = scaleByUpstream(input(0).sub(input(1)).mul(2), grad, reduction, n);
    return [needsGrad(0) ? g : null, needsGrad(1) ? g.neg() : null];
  },
  doc: {
    torch: 'torch.nn.functional.mse_loss',
    example: 'F.mseLoss(pred, target)',
    rule: '∂/∂input = 2·(input − target)·grad (÷ n for mean), ∂/∂target = its negative',
  },
};

export interface LossOptions { reduction?: Reduction }

/** `F.mse_loss(input, target, reduction='mean')` */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction);
  warnTargetSize(input, target);
  const [x, y] = broadcastPair(input, target);
  return run1(mseLossDef, [x, y], { reduction });
}

/** `F.l1_loss(input, target, reduction='mean')`: |input − target| then the reduction (as ATen composes it). */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction);
  warnTargetSize(input, target);
  return inScope('l1Loss', 'composite', () => {
    const [x, y] = broadcastPair(input, target);
    const loss = x.sub(y).abs();
    return reduction === 'mean' ? loss.mean() : reduction === 'sum' ? loss.sum() : loss;
  });
}

// ------------------------------------------------------------------------- binary cross entropy

interface BceAttrs { reduction: Reduction; weight: Tensor | null }

/** ATen clamps the logs at -100 so that hard 0/1 predictions give a finite loss. */
const LOG_FLOOR = -100;
/** ATen's EPSILON in binary_cross_entropy_backward. */
const BCE_EPSILON = 1e-12;

export const binaryCrossEntropyDef: OpDef<BceAttrs> = {
  name: 'binaryCrossEntropy',
  gradFn: 'BinaryCrossEntropyBackward0',
  forward([x, y], { reduction, weight }) {
    let loss = binaryMap(x, y, x.dtype, (p, t) => {
      if (!(p >= 0 && p <= 1)) throw new RuntimeError('all elements of input should be between 0 and 1');
      return (t - 1) * Math.max(Math.log1p(-p), LOG_FLOOR) - t * Math.max(Math.log(p), LOG_FLOOR);
    });
    if (weight) loss = binaryMap(loss, weight, x.dtype, (l, w) => l * w);
    return reduceLoss(loss, reduction);
  },
  savesInputs: [0, 1],
  backward: ({ grad, input, needsGrad, inputMeta, attrs: { reduction, weight } }) => {
    const x = input(0), y = input(1);
    const n = inputMeta[0].shape.reduce((p, s) => p * s, 1);
    const weighted = (g: Tensor) => (weight ? g.mul(weight) : g);
    const gx = needsGrad(0)
      ? scaleByUpstream(weighted(x.sub(y).div(x.neg().add(1).mul(x).clampMin(BCE_EPSILON))), grad, reduction, n)
      : null;
    // ∂/∂target = −logit(x) = log(1 − x) − log(x)
    const gy = needsGrad(1) ? scaleByUpstream(weighted(x.neg().log1p().sub(x.log())), grad, reduction, n) : null;
    return [gx, gy];
  },
  doc: {
    torch: 'torch.nn.functional.binary_cross_entropy',
    example: 'F.binaryCrossEntropy(p, y)',
    rule: '∂/∂p = (p − y) / max(p·(1 − p), 1e-12) · grad (÷ n for mean)',
  },
};

export interface BceOptions extends LossOptions { weight?: Tensor | null }

/** `F.binary_cross_entropy(input, target, weight=None, reduction='mean')` on probabilities. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction);
  if (!sameShape(input.shape, target.shape)) {
    throw new ValueError(
      `Using a target size (${formatSize(target.shape)}) that is different to the input size ` +
      `(${formatSize(input.shape)}) is deprecated. Please ensure they have the same size.`);
  }
  let weight = options.weight ?? null;
  if (weight) weight = expand(weight, broadcastShapes(target.shape, weight.shape));
  return run1(binaryCrossEntropyDef, [input, target], { reduction, weight });
}

// ------------------------------------------------------------------- binary cross entropy with logits

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
    return reduceLoss(loss, reduction);
  },
  savesInputs: [0, 1],
  backward({ grad, input, needsGrad, inputMeta, attrs: { reduction, weight, posWeight } }) {
    const x = input(0);
    const y = input(1);
    const n = inputMeta[0].shape.reduce((p, s) => p * s, 1);
    const finish = (g: Tensor): Tensor => {
      let r = g.mul(grad);
      if (weight) r = r.mul(weight);
      return reduction === 'mean' ? r.div(n) : r;
    };
    let gx: Tensor | null = null;
    let gy: Tensor | null = null;
    if (needsGrad(0)) {
      if (posWeight) {
        const t = posWeight.mul(y);
        gx = finish(t.add(1).sub(y).mul(x.sigmoid()).sub(t));
      } else {
        gx = finish(x.sigmoid().sub(y));
      }
    }
    if (needsGrad(1)) {
      gy = finish(posWeight ? logsigmoid(x.neg()).sub(logsigmoid(x).mul(posWeight)) : x.neg());
    }
    return [gx, gy];
  },
  doc: {
    torch: 'torch.nn.functional.binary_cross_entropy_with_logits',
    example: 'F.binaryCrossEntropyWithLogits(z, y)',
    rule: '∂/∂z = (σ(z) − y) · grad (÷ n for mean); with pos_weight p: ((p·y + 1 − y)·σ(z) − p·y) · grad',
  },
};

export interface BceWithLogitsOptions extends BceOptions { posWeight?: Tensor | null }

/** `F.binary_cross_entropy_with_logits(input, target, weight=None, reduction='mean', pos_weight=None)` */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw new ValueError(
      `Target size (${formatSize(target.shape)}) must be the same as input size (${formatSize(input.shape)})`);
  }
  const reduction = checkReduction(options.reduction);
  return run1(binaryCrossEntropyWithLogitsDef, [input, target],
    { reduction, weight: options.weight ?? null, posWeight: options.posWeight ?? null });
}

export const logSigmoidDef: OpDef = {
  name: 'logsigmoid',
  gradFn: 'LogSigmoidBackward0',
  forward: ([a]) => {
    const src = readContiguous(a);
    const out = allocate(a.dtype, src.length);
    for (let i = 0; i < src.length; i++) out[i] = logSigmoid(src[i]);
    return Tensor._fromData(out, a.shape, a.dtype);
  },
  savesInputs: [0],
  backward: ({ grad, input }) => [grad.mul(input(0).neg().sigmoid())],
  doc: { torch: 'torch.nn.functional.logsigmoid', example: 'F.logsigmoid(x)', rule: 'grad·σ(−x)' },
};

/** `F.logsigmoid(x)` */
export function logsigmoid(a: Tensor): Tensor {
  return run1(logSigmoidDef, [a], {});
}
