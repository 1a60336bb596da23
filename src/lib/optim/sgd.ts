import { ValueError } from '../errors';
import { pyValue } from '../nn/pyFormat';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer';
import { Tensor } from '../tensor';
import { arithmeticOf, updateInPlace, valuesOf } from './updateKernels';
import { fma32 } from '../random/fusedMultiplyAdd';

/** SGD's hyperparameters (PyTorch 2.x defaults). */
export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * `torch.optim.SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
 * maximize=False)`:
 *
 *   g ← ±grad (+ weight_decay · p)
 *   buf ← g on the first step, then momentum · buf + (1 − dampening) · g
 *   g ← g + momentum · buf (nesterov) or buf
 *   p ← p − lr · g
 *
 * computed as PyTorch's `_single_tensor_sgd` does, op by op (see NOTE [Optimizer arithmetic]).
 *   new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })   // or optim.SGD(params, 0.1)
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, lr: number | Partial<SGDOptions> = 1e-3, options: Partial<SGDOptions> = {}) {
    if (typeof lr === 'object') { options = lr; lr = lr.lr ?? 1e-3; }
    const defaults: SGDOptions = {
      lr,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    };
    if (defaults.lr < 0) throw new ValueError(`Invalid learning rate: ${pyValue(defaults.lr)}`);
    if (defaults.momentum < 0) throw new ValueError(`Invalid momentum value: ${pyValue(defaults.momentum)}`);
    if (defaults.weightDecay < 0) throw new ValueError(`Invalid weight_decay value: ${pyValue(defaults.weightDecay)}`);
    if (defaults.nesterov && (defaults.momentum <= 0 || defaults.dampening !== 0)) {
      throw new ValueError('Nesterov momentum requires a momentum and zero dampening');
    }
    super(params, defaults);
  }

  protected override updateGroup(group: ParamGroup<SGDOptions>): void {
    for (const p of group.params) {
      const grad = p.grad;
      if (grad === null) continue;
      let buf: Tensor | null = null;
      let firstStep = false;
      if (group.momentum !== 0) {
        const state = this.stateOf(p);
        buf = state.momentumBuffer ?? null;
        if (buf === null) {
          buf = Tensor._empty(p.shape, p.dtype);
          state.momentumBuffer = buf;
          firstStep = true;
        }
      }
      sgdUpdate(p, valuesOf(grad), buf, firstStep, group);
    }
  }

  protected override reprEntries(g: ParamGroup<SGDOptions>): [string, unknown][] {
    return [
      ['lr', g.lr], ['momentum', g.momentum], ['dampening', g.dampening], ['weight_decay', g.weightDecay],
      ['nesterov', g.nesterov], ['maximize', g.maximize], ['foreach', null], ['differentiable', false], ['fused', null],
    ];
  }
}

/**
 * One parameter's update, PyTorch's `_single_tensor_sgd` op by op:
 *   grad = -grad if maximize;  grad = grad.add(param, alpha=weight_decay)
 *   buf = torch.clone(grad).detach()  (first step)  |  buf.mul_(momentum).add_(grad, alpha=1 - dampening)
 *   grad = grad.add(buf, alpha=momentum) (nesterov)  |  grad = buf
 *   param.add_(grad, alpha=-lr)
 * fused in one pass per element (every op is elementwise; see NOTE [Optimizer arithmetic]).
 */
function sgdUpdate(p: Tensor, grad: ArrayLike<number>, buf: Tensor | null, firstStep: boolean, o: SGDOptions): void {
  if (buf === null && o.weightDecay === 0 && !o.maximize && p.dtype === 'float32' && p.isContiguous()
    && grad instanceof Float32Array) {
    plainSgdF32(p, grad, o.lr);
    return;
  }
  const { round, fma } = arithmeticOf(p);
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const decayAlpha = round(o.weightDecay);
  const momentum = round(o.momentum);
  const keep = round(1 - o.dampening);
  const alpha = round(-o.lr);
  const b = buf === null ? null : buf._data;
  const bo = buf === null ? 0 : buf.offset;
  const x32 = p._data;
  if (p.isContiguous() && x32 instanceof Float32Array && grad instanceof Float32Array
    && (b === null || b instanceof Float32Array)) {
    sgdLoopF32(x32, p.offset, p.numel(), grad, b, bo, firstStep,
      { sign, decay, decayAlpha, momentum, keep, alpha, nesterov: o.nesterov });
    p._box.version++;
    if (buf !== null) buf._box.version++;
    return;
  }
  updateInPlace(p, (x) => {
    for (let i = 0; i < x.length; i++) {
      let g = sign * grad[i];
      if (decay) g = fma(decayAlpha, x[i], g);
      if (b !== null) {
        const next = firstStep ? g : fma(keep, g, round(b[bo + i] * momentum));
        b[bo + i] = next;
        g = o.nesterov ? fma(momentum, next, g) : next;
      }
      x[i] = fma(alpha, g, x[i]);
    }
  });
  if (buf !== null) buf._box.version++;
}

/** sgdUpdate's per-step constants, already rounded to float32. */
interface SgdF32Constants {
  sign: number; decay: boolean; decayAlpha: number; momentum: number; keep: number; alpha: number; nesterov: boolean;
}

/**
 * sgdUpdate's loop for a contiguous float32 parameter (and momentum buffer): the same operations
 * with Math.fround and fma32 called directly, one monomorphic loop instead of calls through the
 * dtype's Arithmetic object inside a closure.
 */
function sgdLoopF32(x: Float32Array, xo: number, n: number, grad: Float32Array, b: Float32Array | null, bo: number,
  firstStep: boolean, k: SgdF32Constants): void {
  const { sign, decay, decayAlpha, momentum, keep, alpha, nesterov } = k;
  for (let i = 0; i < n; i++) {
    const xi = x[xo + i];
    let g = sign * grad[i];
    if (decay) g = fma32(decayAlpha, xi, g);
    if (b !== null) {
      const next = firstStep ? g : fma32(keep, g, Math.fround(b[bo + i] * momentum));
      b[bo + i] = next;
      g = nesterov ? fma32(momentum, next, g) : next;
    }
    x[xo + i] = fma32(alpha, g, xi);
  }
}

/**
 * Plain SGD on a contiguous float32 parameter — p ← fma(−lr, g, p), the general loop's result
 * when there is no momentum, weight decay or maximize — as one monomorphic loop: the general
 * loop's per-element branches and closure call made it the costliest part of a small MLP's step.
 */
function plainSgdF32(p: Tensor, grad: Float32Array, lr: number): void {
  const x = p._data as Float32Array;
  const off = p.offset;
  const n = p.numel();
  const alpha = Math.fround(-lr);
  for (let i = 0; i < n; i++) x[off + i] = fma32(alpha, grad[i], x[off + i]);
  p._box.version++;
}
