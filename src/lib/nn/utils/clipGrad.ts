import { allocate } from '../../dtype';
import { RuntimeError } from '../../errors';
import { readContiguous } from '../../ops/kernels';
import { Tensor } from '../../tensor';
import { pyFloat } from '../pyFormat';

/**
 * `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`. They rescale or clamp `.grad` in place,
 * outside autograd (PyTorch runs them under no_grad), by writing the gradient storage directly
 * and bumping its version as an in-place op would.
 *
 * Arithmetic follows PyTorch's CPU path in the gradient's dtype: each gradient's norm (summed
 * in double, rounded once), the total norm of those norms, then
 *   clip_coef = max_norm / (total_norm + 1e-6)   (a Python number over a tensor: reciprocal × max_norm)
 *   grad ← grad · min(clip_coef, 1)
 */

type Params = Tensor | Iterable<Tensor>;

function gradsOf(parameters: Params): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  const grads: Tensor[] = [];
  for (const p of list) {
    const g = p.grad;
    if (g !== null) grads.push(g);
  }
  return grads;
}

function roundTo(t: Tensor): (x: number) => number {
  return t.dtype === 'float32' ? Math.fround : (x: number) => x;
}

/** ‖values‖_p as `torch.linalg.vector_norm` defines it (p = ±Infinity: max / min of |x|). */
function vectorNorm(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (p === Infinity || p === -Infinity) {
    let best = p === Infinity ? 0 : Infinity;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(values[i]);
      if (Number.isNaN(a)) return NaN;
      best = p === Infinity ? Math.max(best, a) : Math.min(best, a);
    }
    return n === 0 ? 0 : best;
  }
  if (p === 0) {
    let count = 0;
    for (let i = 0; i < n; i++) if (values[i] !== 0) count++;
    return count;
  }
  let acc = 0;
  if (p === 2) {
    for (let i = 0; i < n; i++) acc += values[i] * values[i];
    return Math.sqrt(acc);
  }
  if (p === 1) {
    for (let i = 0; i < n; i++) acc += Math.abs(values[i]);
    return acc;
  }
  for (let i = 0; i < n; i++) acc += Math.abs(values[i]) ** p;
  return acc ** (1 / p);
}

/** Multiplies (or maps) a tensor's elements in place, through its strides. */
function mapInPlace(t: Tensor, f: (x: number) => number): void {
  const n = t.numel();
  const data = t._data;
  if (t.isContiguous()) {
    for (let i = 0, o = t.offset; i < n; i++, o++) data[o] = f(data[o]);
  } else {
    for (let i = 0; i < n; i++) {
      const o = t._storageIndex(i);
      data[o] = f(data[o]);
    }
  }
  t._box.version++;
}

export interface ClipGradNormOptions {
  normType?: number;
  errorIfNonfinite?: boolean;
}

/**
 * `clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False)`: scales all
 * gradients together so their total norm is at most `max_norm`. Returns the total norm (before
 * clipping) as a 0-dim tensor.
 */
export function clipGradNorm_(parameters: Params, maxNorm: number, normType: number | ClipGradNormOptions = 2.0,
  errorIfNonfinite = false): Tensor {
  if (typeof normType === 'object') {
    errorIfNonfinite = normType.errorIfNonfinite ?? false;
    normType = normType.normType ?? 2.0;
  }
  const grads = gradsOf(parameters);
  if (grads.length === 0) return Tensor._fromData(allocate('float32', 1), [], 'float32');
  const dtype = grads[0].dtype;
  const round = roundTo(grads[0]);
  const norms = grads.map((g) => roundTo(g)(vectorNorm(readContiguous(g), normType as number)));
  const total = round(vectorNorm(norms, normType));
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RuntimeError(
      `The total norm of order ${pyFloat(normType)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
      'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`');
  }
  // clip_coef = max_norm / (total_norm + 1e-6): Tensor.__rtruediv__ is reciprocal() * max_norm.
  const denominator = round(total + round(1e-6));
  const coef = round(round(1 / denominator) * round(maxNorm));
  const clamped = coef > 1 ? 1 : coef; // torch.clamp(max=1.0) keeps NaN
  for (const g of grads) {
    const r = roundTo(g);
    const c = r(clamped);
    mapInPlace(g, (x) => r(x * c));
  }
  const out = allocate(dtype, 1);
  out[0] = total;
  return Tensor._fromData(out, [], dtype);
}

/** `clip_grad_value_(parameters, clip_value)`: clamps every gradient element to [−clip_value, clip_value]. */
export function clipGradValue_(parameters: Params, clipValue: number): void {
  for (const g of gradsOf(parameters)) {
    const r = roundTo(g);
    const lo = r(-clipValue), hi = r(clipValue);
    // NOTE: clamp propagates NaN, like torch.clamp.
    mapInPlace(g, (x) => (x < lo ? lo : x > hi ? hi : x));
  }
}
