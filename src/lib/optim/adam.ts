import { ValueError } from '../errors';
import { pyValue } from '../nn/pyFormat';
import { Tensor } from '../tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer';
import { fma32 } from '../random/fusedMultiplyAdd';
import { arithmeticOf, updateInPlace, valuesOf } from './updateKernels';

/** Adam's / AdamW's hyperparameters. */
export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** AdamW's weight decay (p ← p·(1 − lr·weight_decay)) instead of adding weight_decay·p to the gradient. */
  decoupledWeightDecay: boolean;
}

function validate(o: AdamOptions): void {
  if (!(o.lr >= 0)) throw new ValueError(`Invalid learning rate: ${pyValue(o.lr)}`);
  if (!(o.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${pyValue(o.eps)}`);
  if (!(o.betas[0] >= 0 && o.betas[0] < 1)) throw new ValueError(`Invalid beta parameter at index 0: ${pyValue(o.betas[0])}`);
  if (!(o.betas[1] >= 0 && o.betas[1] < 1)) throw new ValueError(`Invalid beta parameter at index 1: ${pyValue(o.betas[1])}`);
  if (!(o.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${pyValue(o.weightDecay)}`);
}

function resolve(lr: number | Partial<AdamOptions>, options: Partial<AdamOptions>, weightDecay: number,
  decoupled: boolean): AdamOptions {
  if (typeof lr === 'object') { options = lr; lr = lr.lr ?? 1e-3; }
  const o: AdamOptions = {
    lr,
    betas: options.betas ? [options.betas[0], options.betas[1]] : [0.9, 0.999],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? weightDecay,
    amsgrad: options.amsgrad ?? false,
    maximize: options.maximize ?? false,
    decoupledWeightDecay: options.decoupledWeightDecay ?? decoupled,
  };
  validate(o);
  return o;
}

/**
 * `torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
 * *, maximize=False, decoupled_weight_decay=False)`, computed as PyTorch 2.x's `_single_tensor_adam`:
 *
 *   step ← step + 1
 *   g ← ±grad (+ weight_decay·p), or p ← p·(1 − lr·weight_decay) when decoupled (AdamW)
 *   m ← m.lerp(g, 1 − β1);  v ← v·β2 + (1 − β2)·g²   [v_max ← max(v_max, v) with amsgrad]
 *   p ← p − lr/(1 − β1^step) · m / (√v / √(1 − β2^step) + eps)
 *
 * op by op in the parameter's dtype (see NOTE [Optimizer arithmetic]). The bias corrections are
 * Python floats (double); `β^step` uses JavaScript's pow, which can differ from C's in the last
 * bit of the double — invisible once the step size is rounded to float32.
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, lr: number | Partial<AdamOptions> = 1e-3, options: Partial<AdamOptions> = {}) {
    super(params, resolve(lr, options, 0, false));
  }

  protected override updateGroup(group: ParamGroup<AdamOptions>): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize, decoupledWeightDecay } = group;
    for (const p of group.params) {
      const grad = p.grad;
      if (grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = Tensor._empty([], 'float32');
        state.expAvg = Tensor._empty(p.shape, p.dtype);
        state.expAvgSq = Tensor._empty(p.shape, p.dtype);
        if (amsgrad) state.maxExpAvgSq = Tensor._empty(p.shape, p.dtype);
      }
      if (amsgrad && !state.maxExpAvgSq) state.maxExpAvgSq = Tensor._empty(p.shape, p.dtype);
      const stepT = state.step!;
      updateInPlace(stepT, (s) => { s[0] = Math.fround(s[0] + 1); });
      const step = stepT._data[stepT.offset];
      adamUpdate(p, valuesOf(grad), state.expAvg!, state.expAvgSq!, amsgrad ? state.maxExpAvgSq! : null, {
        lr, beta1, beta2, eps, weightDecay, maximize, decoupledWeightDecay, step,
      });
    }
  }

  protected override reprEntries(g: ParamGroup<AdamOptions>): [string, unknown][] {
    return [
      ['lr', g.lr], ['betas', g.betas], ['eps', g.eps], ['weight_decay', g.weightDecay], ['amsgrad', g.amsgrad],
      ['maximize', g.maximize], ['foreach', null], ['capturable', false], ['differentiable', false], ['fused', null],
      ['decoupled_weight_decay', g.decoupledWeightDecay],
    ];
  }
}

interface AdamStep {
  lr: number; beta1: number; beta2: number; eps: number; weightDecay: number;
  maximize: boolean; decoupledWeightDecay: boolean;
  /** The step count after this step's increment. */
  step: number;
}

/**
 * One parameter's update, PyTorch 2.x `_single_tensor_adam` op by op:
 *   grad = -grad if maximize
 *   param.mul_(1 - lr * weight_decay)  (decoupled)  |  grad = grad.add(param, alpha=weight_decay)
 *   exp_avg.lerp_(grad, 1 - beta1)
 *   exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
 *   torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)  (amsgrad)
 *   denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
 *   param.addcdiv_(exp_avg, denom, value=-step_size)
 * Every op is elementwise, so they run fused in one pass per element (same roundings, one
 * pass over memory instead of seven). See NOTE [Optimizer arithmetic] for each op's rounding.
 */
function adamUpdate(p: Tensor, grad: ArrayLike<number>, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor | null,
  o: AdamStep): void {
  const { round, fma } = arithmeticOf(p);
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const decayFactor = round(1 - o.lr * o.weightDecay);
  const decayAlpha = round(o.weightDecay);
  const w = round(1 - o.beta1);
  const small = Math.abs(w) < 0.5;
  const wm1 = round(w - 1);
  const b2 = round(o.beta2);
  const c2 = round(1 - o.beta2);
  // The bias corrections are Python floats (double).
  const biasCorrection1 = 1 - o.beta1 ** o.step;
  const biasCorrection2 = 1 - o.beta2 ** o.step;
  const bc2Sqrt = round(Math.sqrt(biasCorrection2));
  const epsR = round(o.eps);
  const value = round(-(o.lr / biasCorrection1));
  const m = expAvg._data, mo = expAvg.offset;
  const v = expAvgSq._data, vo = expAvgSq.offset;
  const mx = maxExpAvgSq === null ? null : maxExpAvgSq._data;
  const mxo = maxExpAvgSq === null ? 0 : maxExpAvgSq.offset;
  const x32 = p._data;
  if (p.isContiguous() && x32 instanceof Float32Array && grad instanceof Float32Array && m instanceof Float32Array
    && v instanceof Float32Array && (mx === null || mx instanceof Float32Array)) {
    const k: AdamF32Constants = {
      sign, decay, decoupled: o.decoupledWeightDecay, decayFactor, decayAlpha, w, small, wm1, b2, c2, bc2Sqrt, epsR, value,
    };
    adamLoopF32(x32, p.offset, p.numel(), grad, m, mo, v, vo, mx, mxo, k);
    p._box.version++;
  } else {
    updateInPlace(p, (x) => {
      for (let i = 0; i < x.length; i++) {
        let g = sign * grad[i];
        if (decay) {
          if (o.decoupledWeightDecay) x[i] = round(x[i] * decayFactor);
          else g = fma(decayAlpha, x[i], g);
        }
        const mi = m[mo + i];
        const d = round(g - mi);
        const mNew = small ? fma(w, d, mi) : fma(wm1, d, g);
        m[mo + i] = mNew;
        const vNew = fma(round(c2 * g), g, round(v[vo + i] * b2));
        v[vo + i] = vNew;
        let second = vNew;
        if (mx !== null) {
          const prev = mx[mxo + i];
          second = Number.isNaN(vNew) || vNew > prev ? vNew : prev; // torch.maximum propagates NaN
          mx[mxo + i] = second;
        }
        const denom = round(round(round(Math.sqrt(second)) / bc2Sqrt) + epsR);
        x[i] = round(x[i] + round(round(value * mNew) / denom));
      }
    });
  }
  expAvg._box.version++;
  expAvgSq._box.version++;
  if (maxExpAvgSq !== null) maxExpAvgSq._box.version++;
}

/** adamUpdate's per-step constants, already rounded to float32. */
interface AdamF32Constants {
  sign: number; decay: boolean; decoupled: boolean; decayFactor: number; decayAlpha: number;
  w: number; small: boolean; wm1: number; b2: number; c2: number; bc2Sqrt: number; epsR: number; value: number;
}

/**
 * adamUpdate's loop for a contiguous float32 parameter and state: the same operations with
 * Math.fround and fma32 called directly, so V8 compiles one monomorphic loop instead of calls
 * through the dtype's Arithmetic object inside a closure (see NOTE [Monomorphic loops]).
 */
function adamLoopF32(x: Float32Array, xo: number, n: number, grad: Float32Array, m: Float32Array, mo: number,
  v: Float32Array, vo: number, mx: Float32Array | null, mxo: number, k: AdamF32Constants): void {
  const f = Math.fround;
  const { sign, decay, decoupled, decayFactor, decayAlpha, w, small, wm1, b2, c2, bc2Sqrt, epsR, value } = k;
  for (let i = 0; i < n; i++) {
    let g = sign * grad[i];
    let xi = x[xo + i];
    if (decay) {
      if (decoupled) xi = f(xi * decayFactor);
      else g = fma32(decayAlpha, xi, g);
    }
    const mi = m[mo + i];
    const d = f(g - mi);
    const mNew = small ? fma32(w, d, mi) : fma32(wm1, d, g);
    m[mo + i] = mNew;
    const vNew = fma32(f(c2 * g), g, f(v[vo + i] * b2));
    v[vo + i] = vNew;
    let second = vNew;
    if (mx !== null) {
      const prev = mx[mxo + i];
      second = Number.isNaN(vNew) || vNew > prev ? vNew : prev; // torch.maximum propagates NaN
      mx[mxo + i] = second;
    }
    const denom = f(f(f(Math.sqrt(second)) / bc2Sqrt) + epsR);
    x[xo + i] = f(xi + f(f(value * mNew) / denom));
  }
}

/**
 * `torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
 * amsgrad=False, *, maximize=False)`: Adam with decoupled weight decay (as PyTorch 2.x defines it,
 * Adam with `decoupled_weight_decay=True`).
 */
export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamOptions>, lr: number | Partial<AdamOptions> = 1e-3, options: Partial<AdamOptions> = {}) {
    const o = typeof lr === 'object' ? lr : { ...options, lr };
    super(params, { ...o, weightDecay: o.weightDecay ?? 1e-2, decoupledWeightDecay: true });
  }
}
