import { allocate } from '../dtype';
import { RuntimeError } from '../errors';
import { formatShape, numelOf } from '../shape';
import { Tensor } from '../tensor';
import { readContiguous } from './kernels';
import { isGradEnabled } from '../autograd/gradMode';
import { run1, type BackwardContext, type OpDef } from './registry';

/**
 * `layer_norm`: one fused node like PyTorch's native_layer_norm (NativeLayerNormBackward0 with
 * edges to input, weight and bias). Its backward is written with tensor ops (the normalised
 * input is recomputed from the saved input), so double backward differentiates through the
 * mean and variance too.
 */

interface LayerNormAttrs { normalizedShape: number[]; eps: number; hasWeight: boolean; hasBias: boolean }

/**
 * Stand-in for an absent weight/bias: PyTorch's node still has an edge slot for them (shown as
 * None in next_functions), so the op keeps three inputs; this one never requires grad.
 */
function absent(like: Tensor): Tensor {
  return Tensor._empty([0], like.dtype);
}

export const layerNormDef: OpDef<LayerNormAttrs> = {
  name: 'layerNorm',
  gradFn: 'NativeLayerNormBackward0',
  forward([x, weight, bias], { normalizedShape, eps, hasWeight, hasBias }) {
    const n = numelOf(normalizedShape);
    const src = readContiguous(x);
    const w = hasWeight ? readContiguous(weight) : null;
    const b = hasBias ? readContiguous(bias) : null;
    const out = allocate(x.dtype, src.length);
    for (let row = 0; row * n < src.length; row++) {
      const base = row * n;
      let mean = 0;
      for (let i = 0; i < n; i++) mean += src[base + i];
      mean /= n;
      let variance = 0;
      for (let i = 0; i < n; i++) {
        const d = src[base + i] - mean;
        variance += d * d;
      }
      variance /= n;
      const rstd = 1 / Math.sqrt(variance + eps);
      for (let i = 0; i < n; i++) {
        let y = (src[base + i] - mean) * rstd;
        if (w) y *= w[i];
        if (b) y += b[i];
        out[base + i] = y;
      }
    }
    return Tensor._fromData(out, x.shape, x.dtype);
  },
  savesInputs: [0, 1],
  backward(ctx) {
    // NOTE: a plain backward (no createGraph) takes the one-pass kernel; with createGraph the
    // same formula is built from tensor ops so it can be differentiated again.
    return isGradEnabled() ? layerNormBackwardOps(ctx) : layerNormBackwardKernel(ctx);
  },
  doc: {
    torch: 'torch.nn.functional.layer_norm',
    example: 'F.layerNorm(x, [3], w, b)',
    rule: 'x̂ = (x − μ)·rstd; ∂/∂x = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = grad·weight; ∂/∂weight = Σ grad·x̂; ∂/∂bias = Σ grad',
  },
};

/** The backward formula as tensor ops (recorded when building a graph of the gradient). */
function layerNormBackwardOps(ctx: BackwardContext<LayerNormAttrs>): (Tensor | null)[] {
  const { grad, input, needsGrad, attrs: { normalizedShape, eps, hasWeight } } = ctx;
  const x = input(0);
  const k = normalizedShape.length;
  const nd = x.shape.length;
  const normDims = Array.from({ length: k }, (_, i) => nd - k + i);
  const batchDims = Array.from({ length: nd - k }, (_, i) => i);
  const centered = x.sub(x.mean(normDims, { keepdim: true }));
  const rstd = centered.mul(centered).mean(normDims, { keepdim: true }).add(eps).rsqrt();
  const xhat = centered.mul(rstd);
  const sumBatch = (t: Tensor) => (batchDims.length > 0 ? t.sum(batchDims) : t);
  let gx: Tensor | null = null;
  if (needsGrad(0)) {
    const gxhat = hasWeight ? grad.mul(input(1)) : grad;
    const meanG = gxhat.mean(normDims, { keepdim: true });
    const meanGX = gxhat.mul(xhat).mean(normDims, { keepdim: true });
    gx = gxhat.sub(meanG).sub(xhat.mul(meanGX)).mul(rstd);
  }
  return [
    gx,
    needsGrad(1) ? sumBatch(grad.mul(xhat)) : null,
    needsGrad(2) ? sumBatch(grad) : null,
  ];
}

/** The same formula in one pass over each row, accumulating in double. */
function layerNormBackwardKernel(ctx: BackwardContext<LayerNormAttrs>): (Tensor | null)[] {
  const { grad, input, needsGrad, inputMeta, attrs: { normalizedShape, eps, hasWeight } } = ctx;
  const xt = input(0);
  const x = readContiguous(xt);
  const g = readContiguous(grad);
  const w = hasWeight ? readContiguous(input(1)) : null;
  const n = numelOf(normalizedShape);
  const gx = needsGrad(0) ? allocate(xt.dtype, x.length) : null;
  const gw = needsGrad(1) ? new Float64Array(n) : null;
  const gb = needsGrad(2) ? new Float64Array(n) : null;
  const xhat = new Float64Array(n);
  for (let base = 0; base < x.length; base += n) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[base + i];
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) {
      const d = x[base + i] - mean;
      variance += d * d;
    }
    const rstd = 1 / Math.sqrt(variance / n + eps);
    let sumG = 0;
    let sumGX = 0;
    for (let i = 0; i < n; i++) {
      const h = (x[base + i] - mean) * rstd;
      xhat[i] = h;
      const gi = g[base + i];
      const gh = w ? gi * w[i] : gi;
      sumG += gh;
      sumGX += gh * h;
      if (gw) gw[i] += gi * h;
      if (gb) gb[i] += gi;
    }
    if (gx) {
      const meanG = sumG / n, meanGX = sumGX / n;
      for (let i = 0; i < n; i++) {
        const gh = w ? g[base + i] * w[i] : g[base + i];
        gx[base + i] = rstd * (gh - meanG - xhat[i] * meanGX);
      }
    }
  }
  const param = (acc: Float64Array | null, i: number) => {
    if (!acc) return null;
    const out = allocate(inputMeta[i].dtype, n);
    out.set(acc);
    return Tensor._fromData(out, normalizedShape.slice(), inputMeta[i].dtype);
  };
  return [gx ? Tensor._fromData(gx, xt.shape, xt.dtype) : null, param(gw, 1), param(gb, 2)];
}

export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/**
 * `F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05)`: normalises over the
 * last `normalized_shape.length` dims. Options may replace the trailing positional arguments:
 * `layerNorm(x, [3], { eps: 0.01 })`.
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[],
  weight?: Tensor | null | LayerNormOptions, bias?: Tensor | null, eps?: number): Tensor {
  let w: Tensor | null;
  let b: Tensor | null;
  let e: number;
  if (weight !== null && weight !== undefined && !(weight instanceof Tensor)) {
    w = weight.weight ?? null;
    b = weight.bias ?? null;
    e = weight.eps ?? 1e-5;
  } else {
    w = weight ?? null;
    b = bias ?? null;
    e = eps ?? 1e-5;
  }
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape.slice();
  checkLayerNormInputs(input, shape, w, b);
  return run1(layerNormDef, [input, w ?? absent(input), b ?? absent(input)],
    { normalizedShape: shape, eps: e, hasWeight: w !== null, hasBias: b !== null });
}

function checkLayerNormInputs(input: Tensor, shape: number[], weight: Tensor | null, bias: Tensor | null): void {
  if (shape.length === 0) {
    throw new RuntimeError(
      'Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got ' +
      `normalized_shape = ${formatShape(shape)}`);
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && formatShape(t.shape) !== formatShape(shape)) {
      throw new RuntimeError(
        `Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${formatShape(t.shape)} ` +
        `and normalized_shape = ${formatShape(shape)}`);
    }
  }
  const nd = input.shape.length;
  const suffix = input.shape.slice(nd - shape.length);
  if (nd < shape.length || formatShape(suffix) !== formatShape(shape)) {
    throw new RuntimeError(
      `Given normalized_shape=${formatShape(shape)}, expected input with shape [*, ${shape.join(', ')}], but got ` +
      `input of size${formatShape(input.shape)}`);
  }
}
