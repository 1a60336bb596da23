import { allocate, isFloating, scalarTypeName } from '../dtype';
import { IndexError, RuntimeError, ValueError } from '../errors';
import { formatShape, numelOf, sameShape } from '../shape';
import { Tensor } from '../tensor';
import { inScope } from '../capture/hooks';
import { readContiguous } from './kernels';
import { divScalar, mulScalar } from './pointwise';
import { run1, type OpDef } from './registry';
import { checkReduction, type Reduction } from './loss';

/**
 * Classification losses: `nll_loss` (NllLossBackward0, NllLoss2DBackward0 for spatial inputs) and
 * `cross_entropy`, composed as ATen's cross_entropy_loss does: log_softmax + nll_loss_nd for class
 * indices, a weighted sum for class probabilities, and the label-smoothing mixture
 * (1 − ε)·nll + ε/C·smooth.
 */

interface NllAttrs { target: Tensor; weight: Tensor | null; reduction: Reduction; ignoreIndex: number }

/**
 * The layout nll_loss sees: [C] with a 0-dim target, [N, C] with [N], or [N, C, H, W] with
 * [N, H, W]; `spatial` is H·W (1 otherwise).
 */
function nllLayout(x: Tensor): { n: number; c: number; spatial: number } {
  if (x.shape.length === 1) return { n: 1, c: x.shape[0], spatial: 1 };
  return { n: x.shape[0], c: x.shape[1], spatial: numelOf(x.shape.slice(2)) };
}

/**
 * Visits every target position with its class (ignored positions skipped), its flat offset in a
 * contiguous input ((n·C + class)·S + s) and its flat position in the target.
 */
function forEachTarget(x: Tensor, attrs: NllAttrs, body: (cls: number, inputOff: number, pos: number) => void): void {
  const { n, c, spatial } = nllLayout(x);
  const t = readContiguous(attrs.target);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < spatial; s++) {
      const pos = i * spatial + s;
      const cls = t[pos];
      if (cls === attrs.ignoreIndex) continue;
      if (!(cls >= 0 && cls < c)) throw new IndexError(`Target ${cls} is out of bounds.`);
      body(cls, (i * c + cls) * spatial + s, pos);
    }
  }
}

function classWeight(weight: Tensor | null, cls: number): number {
  return weight ? weight._get(cls) : 1;
}

/** Σ weight[target] over the non-ignored targets (the mean's denominator). */
function totalWeight(x: Tensor, attrs: NllAttrs): number {
  let total = 0;
  forEachTarget(x, attrs, (cls) => { total += classWeight(attrs.weight, cls); });
  return total;
}

export const nllLossDef: OpDef<NllAttrs> = {
  name: 'nllLoss',
  gradFn: (_attrs, inputs) => (inputs[0].shape.length === 4 ? 'NllLoss2DBackward0' : 'NllLossBackward0'),
  forward([x], attrs) {
    const values = readContiguous(x);
    const perTarget = new Float64Array(attrs.target.numel());
    let sum = 0;
    let total = 0;
    forEachTarget(x, attrs, (cls, off, pos) => {
      const w = classWeight(attrs.weight, cls);
      const l = -w * values[off];
      perTarget[pos] = l;
      sum += l;
      total += w;
    });
    if (attrs.reduction === 'none') {
      const shape = x.shape.length === 1 ? [] : [x.shape[0], ...x.shape.slice(2)];
      const out = allocate(x.dtype, perTarget.length);
      out.set(perTarget);
      return Tensor._fromData(out, shape, x.dtype);
    }
    const out = allocate(x.dtype, 1);
    out[0] = attrs.reduction === 'mean' ? sum / total : sum;
    return Tensor._fromData(out, [], x.dtype);
  },
  backward({ grad, inputMeta, attrs }) {
    const meta = inputMeta[0];
    // d loss / d input is a constant: −weight[target] at each target position (÷ total weight for
    // the mean); multiplying it by the upstream gradient keeps double backward exact.
    const coeff = Tensor._empty(meta.shape, meta.dtype);
    const scale = attrs.reduction === 'mean' ? 1 / totalWeight(coeff, attrs) : 1;
    const c = coeff._data;
    forEachTarget(coeff, attrs, (cls, off) => { c[off] = -classWeight(attrs.weight, cls) * scale; });
    const g = attrs.reduction === 'none' && meta.shape.length > 1 ? grad.unsqueeze(1) : grad;
    return [coeff.mul(g)];
  },
  doc: {
    torch: 'torch.nn.functional.nll_loss',
    example: 'F.nllLoss(logProbs, target)',
    rule: '∂/∂input[i, target[i]] = −weight[target[i]]·grad (÷ Σ weight for mean), 0 elsewhere',
  },
};

export interface NllLossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
}

function checkWeight(weight: Tensor | null, classes: number): void {
  if (weight && (weight.shape.length !== 1 || weight.numel() !== classes)) {
    throw new RuntimeError(
      `weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor ` +
      `of shape: ${formatShape(weight.shape)}`);
  }
}

function checkTargetDtype(target: Tensor): void {
  if (target.dtype !== 'int64') throw new RuntimeError(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
}

/** ATen's nll_loss (1-D / 2-D input). */
function nllLoss1d2d(x: Tensor, target: Tensor, attrs: Omit<NllAttrs, 'target'>): Tensor {
  if (target.shape.length > 1) throw new RuntimeError('0D or 1D target tensor expected, multi-target not supported');
  const noBatch = x.shape.length === 1 && target.shape.length === 0;
  if (!noBatch && x.shape[0] !== target.shape[0]) {
    throw new RuntimeError(`size mismatch (got input: ${formatShape(x.shape)}, target: ${formatShape(target.shape)})`);
  }
  checkWeight(attrs.weight, x.shape[x.shape.length - 1]);
  checkTargetDtype(target);
  return run1(nllLossDef, [x], { ...attrs, target });
}

/** ATen's nll_loss2d ([N, C, H, W] input, [N, H, W] target). */
function nllLoss2d(x: Tensor, target: Tensor, attrs: Omit<NllAttrs, 'target'>): Tensor {
  if (target.shape.length !== 3) {
    throw new RuntimeError(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.shape.length}`);
  }
  const [n, , h, w] = x.shape;
  if (target.shape[0] !== n || target.shape[1] !== h || target.shape[2] !== w) {
    throw new RuntimeError(`size mismatch (got input: ${formatShape(x.shape)}, target: ${formatShape(target.shape)})`);
  }
  checkWeight(attrs.weight, x.shape[1]);
  checkTargetDtype(target);
  return run1(nllLossDef, [x], { ...attrs, target });
}

/** ATen's nll_loss_nd: 3-D and >4-D inputs are viewed as [N, C, 1, L] for nll_loss2d. */
function nllLossNd(x: Tensor, target: Tensor, attrs: Omit<NllAttrs, 'target'>): Tensor {
  if (x.shape.length < 1) throw new ValueError(`Expected 1 or more dimensions (got ${x.shape.length})`);
  if (x.shape.length !== 1 && x.shape[0] !== target.shape[0]) {
    throw new ValueError(`Expected input batch_size (${x.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  }
  if (x.shape.length <= 2) return nllLoss1d2d(x, target, attrs);
  if (x.shape.length === 4) return nllLoss2d(x, target, attrs);
  const [n, c] = x.shape;
  const outSize = [n, ...x.shape.slice(2)];
  if (!sameShape(target.shape.slice(1), x.shape.slice(2))) {
    throw new RuntimeError(`Expected target size ${formatShape(outSize)}, got ${formatShape(target.shape)}`);
  }
  const empty = x.numel() === 0;
  const x4 = x.contiguous().view(empty ? [n, c, 0, 0] : [n, c, 1, -1]);
  const t3 = target.contiguous().view(empty ? [n, 0, 0] : [n, 1, -1]);
  const out = nllLoss2d(x4, t3, attrs);
  return attrs.reduction !== 'none' || empty ? out : out.view(outSize);
}

/** `F.nll_loss(input, target, weight=None, ignore_index=-100, reduction='mean')` */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction);
  return inScope('nllLoss', 'composite', () => nllLossNd(input, target,
    { weight: options.weight ?? null, reduction, ignoreIndex: options.ignoreIndex ?? -100 }));
}

export interface CrossEntropyOptions extends NllLossOptions {
  /** ε in [0, 1]: the target becomes (1 − ε)·one-hot + ε / C. */
  labelSmoothing?: number;
}

/**
 * `F.cross_entropy(input, target, weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)`:
 * class indices (int64 target of shape [N] / [N, d1, …] / []) or class probabilities (a float
 * target of the input's shape).
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction);
  const weight = options.weight ?? null;
  const ignoreIndex = options.ignoreIndex ?? -100;
  const labelSmoothing = options.labelSmoothing ?? 0;
  return inScope('crossEntropy', 'composite', () => {
    if (sameShape(input.shape, target.shape)) {
      if (!isFloating(target.dtype)) {
        throw new RuntimeError(
          `Expected floating point type for target with class probabilities, got ${scalarTypeName(target.dtype)}`);
      }
      if (ignoreIndex >= 0) throw new RuntimeError('ignore_index is not supported for floating point target');
      return crossEntropyProbabilities(input, target, weight, reduction, labelSmoothing);
    }
    if (labelSmoothing > 0) {
      checkLabelSmoothing(labelSmoothing);
      return crossEntropyLabelSmoothing(input, target, weight, reduction, ignoreIndex, labelSmoothing);
    }
    const classDim = input.shape.length === 1 ? 0 : 1;
    return nllLossNd(input.logSoftmax(classDim), target, { weight, reduction, ignoreIndex });
  });
}

function checkLabelSmoothing(ls: number): void {
  if (ls > 1) throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${pyFloat(ls)}`);
}

/** Python's repr of a float (`0.1`, `1.5`, `2.0`). */
function pyFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** weight viewed as [1, C, 1, …] to broadcast along the class dim. */
function classDimView(weight: Tensor, ndim: number, classDim: number): Tensor {
  if (ndim <= 1) return weight;
  const shape = new Array<number>(ndim).fill(1);
  shape[classDim] = weight.shape[0];
  return weight.view(shape);
}

function crossEntropyProbabilities(self: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction,
  labelSmoothing: number): Tensor {
  const classDim = self.shape.length === 1 ? 0 : 1;
  const nClasses = self.shape[classDim];
  checkWeight(weight, nClasses);
  const input = self.logSoftmax(classDim);
  let t = target;
  if (labelSmoothing > 0) {
    checkLabelSmoothing(labelSmoothing);
    t = mulScalar(target, 1 - labelSmoothing).add(labelSmoothing / nClasses);
  }
  let prod = input.mul(t);
  if (weight) prod = prod.mul(classDimView(weight, input.shape.length, classDim));
  if (reduction === 'mean') {
    const loss = prod.sum().neg();
    if (input.numel() === 0) return loss.fill_(NaN);
    return divScalar(loss, Math.floor(input.numel() / nClasses));
  }
  if (reduction === 'sum') return prod.sum().neg();
  return prod.sum(classDim).neg();
}

function crossEntropyLabelSmoothing(self: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction,
  ignoreIndex: number, labelSmoothing: number): Tensor {
  const classDim = self.shape.length === 1 ? 0 : 1;
  const input = self.logSoftmax(classDim);
  const nll = nllLossNd(input, target, { weight, reduction, ignoreIndex });
  const nClasses = input.shape[classDim];
  const ignoreMask = target.eq(ignoreIndex);
  const smooth = (weight ? input.mul(classDimView(weight, input.shape.length, classDim)) : input).sum(classDim).neg();
  smooth.maskedFill_(ignoreMask, 0);
  let ret: Tensor;
  if (reduction === 'mean') {
    if (weight) {
      const kept = target.index(ignoreMask.logicalNot()).flatten();
      ret = smooth.sum().div(weight.gather(0, kept).sum());
    } else {
      ret = smooth.sum().div(ignoreMask.logicalNot().sum());
    }
  } else {
    ret = reduction === 'sum' ? smooth.sum() : smooth;
  }
  return mulScalar(nll, 1 - labelSmoothing).add(mulScalar(ret, labelSmoothing / nClasses));
}
