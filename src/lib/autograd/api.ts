import { Tensor, type RemovableHandle, type TensorHook } from '../tensor';
import { RuntimeError } from '../errors';
import { backward as runBackward, grad as runGrad, type BackwardOptions, type GradOptions } from './engine';
import { setDetectAnomalyRaw } from './gradMode';

/** `tensor.backward()`, `retainGrad()`, `registerHook()` and `torch.autograd.*`. */

export interface TensorBackwardOptions extends BackwardOptions {
  /** Only accumulate into these leaves (PyTorch's `inputs=`). Not yet supported. */
}

function asList<T>(x: T | readonly T[]): T[] {
  return Array.isArray(x) ? [...x] : [x as T];
}

/** `torch.autograd.backward(tensors, grad_tensors)` */
export function backward(tensors: Tensor | readonly Tensor[], gradTensors?: Tensor | readonly (Tensor | null)[] | null,
  options: BackwardOptions = {}): void {
  const ts = asList(tensors);
  const gs = gradTensors === undefined || gradTensors === null ? ts.map(() => null) : asList(gradTensors);
  runBackward(ts, gs, options);
}

/** `torch.autograd.grad(outputs, inputs, grad_outputs)`: returns one gradient per input. */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[],
  options: GradOptions & { gradOutputs?: Tensor | readonly (Tensor | null)[] | null } = {}): (Tensor | null)[] {
  const outs = asList(outputs);
  const gos = options.gradOutputs === undefined || options.gradOutputs === null
    ? outs.map(() => null) : asList(options.gradOutputs);
  return runGrad(outs, asList(inputs), gos, options);
}

/** `torch.autograd.set_detect_anomaly(mode)`; with a function, scoped like `detect_anomaly()`. */
export function detectAnomaly<T>(fn?: () => T): T | undefined {
  if (!fn) { setDetectAnomalyRaw(true); return undefined; }
  const prev = setDetectAnomalyRaw(true);
  try { return fn(); } finally { setDetectAnomalyRaw(prev); }
}
export function setDetectAnomaly(mode: boolean): void {
  setDetectAnomalyRaw(mode);
}

declare module '../tensor' {
  interface Tensor {
    /** Computes the gradient of this tensor w.r.t. the graph leaves (accumulated into `.grad`). */
    backward(gradient?: Tensor | null, options?: BackwardOptions): void;
    /** `loss.backward({ retainGraph: true })`: options without a gradient. */
    backward(options: BackwardOptions): void;
    /** Keep `.grad` for this non-leaf tensor during backward. */
    retainGrad(): void;
    /** Calls `hook(grad)` when this tensor's gradient is computed; a returned tensor replaces it. */
    registerHook(hook: TensorHook): RemovableHandle;
  }
}

const proto = Tensor.prototype;
proto.backward = function (this: Tensor, gradientOrOptions?: Tensor | BackwardOptions | null, options?: BackwardOptions) {
  if (gradientOrOptions instanceof Tensor || gradientOrOptions === null || gradientOrOptions === undefined) {
    runBackward([this], [gradientOrOptions ?? null], options ?? {});
  } else {
    runBackward([this], [null], gradientOrOptions);
  }
} as Tensor['backward'];
proto.retainGrad = function () {
  if (!this.requiresGrad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
  if (this._gradFn === null) return;
  this._retainsGrad = true;
  const node = this._gradFn;
  node.retainGradOf ??= new Map();
  node.retainGradOf.set(this._outputNr, this);
};
proto.registerHook = function (hook) {
  if (!this.requiresGrad) {
    throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient");
  }
  if (this._gradFn === null) {
    const hooks = (this._hooks ??= []);
    hooks.push(hook);
    return { remove: () => { const i = hooks.indexOf(hook); if (i >= 0) hooks.splice(i, 1); } };
  }
  const remove = this._gradFn.addPreHook(this._outputNr, hook);
  return { remove };
};
