/**
 * A deliberately tiny tensor with reverse-mode autograd, only so the print fixtures' steps can
 * be replayed before the real library exists. Values are stored as doubles already rounded to
 * their dtype (float32 through Math.fround), the layout is always contiguous row-major.
 */
import type { DType } from '../../../src/lib/dtype';
import type { PrintableTensor } from '../../../src/lib/print/formatTensor';

/** One backward node: the gradient of each input from the gradient of the output. */
export interface GradNode {
  name: string;
  inputs: readonly MiniTensor[];
  backward(grad: Float64Array): readonly Float64Array[];
}

export class MiniTensor implements PrintableTensor {
  grad: MiniTensor | null = null;

  constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly data: Float64Array,
    public requiresGrad = false,
    readonly node: GradNode | null = null,
  ) {
    if (data.length !== numelOf(shape)) throw new Error(`data length ${data.length} does not match shape [${shape}]`);
  }

  get gradFnName(): string | null {
    return this.node?.name ?? null;
  }

  get numel(): number {
    return this.data.length;
  }

  get(i: number): number {
    return this.data[i];
  }
}

export function numelOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Round a double to what storage of `dtype` holds. */
export function roundTo(dtype: DType, x: number): number {
  switch (dtype) {
    case 'float32': return Math.fround(x);
    case 'float64': return x;
    case 'int64': return Math.trunc(x);
    case 'bool': return x !== 0 ? 1 : 0;
  }
}

export function fromValues(dtype: DType, shape: readonly number[], values: ArrayLike<number>, requiresGrad = false): MiniTensor {
  const data = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = roundTo(dtype, values[i]);
  return new MiniTensor(dtype, shape, data, requiresGrad);
}

let gradEnabled = true;

/** Run `body` with grad mode set (the `with torch.no_grad()` / `enable_grad` steps). */
export function withGradMode<T>(enabled: boolean, body: () => T): T {
  const saved = gradEnabled;
  gradEnabled = enabled;
  try {
    return body();
  } finally {
    gradEnabled = saved;
  }
}

/**
 * The result of an op: it joins the graph (gets `node`) when grad mode is on and some input
 * requires grad, as in PyTorch.
 */
export function opResult(
  dtype: DType, shape: readonly number[], values: ArrayLike<number>,
  inputs: readonly MiniTensor[], name: string, backward: GradNode['backward'],
): MiniTensor {
  const data = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = roundTo(dtype, values[i]);
  const tracked = gradEnabled && inputs.some((t) => t.requiresGrad);
  return new MiniTensor(dtype, shape, data, tracked, tracked ? { name, inputs, backward } : null);
}

/** `root.backward(gradient)`: accumulate `.grad` of the leaves that require grad. */
export function runBackward(root: MiniTensor, gradient: Float64Array): void {
  if (!root.requiresGrad) throw new Error('element 0 of tensors does not require grad and does not have a grad_fn');
  const order: MiniTensor[] = [];
  const visited = new Set<MiniTensor>();
  const visit = (t: MiniTensor): void => {
    if (visited.has(t)) return;
    visited.add(t);
    for (const input of t.node?.inputs ?? []) visit(input);
    order.push(t);
  };
  visit(root);
  const grads = new Map<MiniTensor, Float64Array>([[root, gradient]]);
  for (let k = order.length - 1; k >= 0; k--) {
    const t = order[k];
    const g = grads.get(t);
    if (!g) continue;
    if (!t.node) {
      if (t.requiresGrad) accumulateGrad(t, g);
      continue;
    }
    const inputGrads = t.node.backward(g);
    t.node.inputs.forEach((input, i) => {
      if (!input.requiresGrad) return;
      const previous = grads.get(input);
      const next = inputGrads[i].map((v) => Math.fround(v));
      if (previous) for (let j = 0; j < next.length; j++) next[j] = Math.fround(next[j] + previous[j]);
      grads.set(input, next);
    });
  }
}

function accumulateGrad(leaf: MiniTensor, g: Float64Array): void {
  const previous = leaf.grad;
  const total = previous ? g.map((v, i) => v + previous.data[i]) : g;
  leaf.grad = fromValues(leaf.dtype, leaf.shape, total);
}
