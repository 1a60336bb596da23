/**
 * Gradient magnitudes along edges, for the gradient-flow view: the L2 norm of the gradient that flowed
 * back along each forward edge, on a log scale so vanishing (1e-9) and exploding (1e6) gradients both
 * show. Per iteration (training loops) the edge's own gradient is not kept; the gradient of its input
 * tensor stands in (equal when the input feeds one op).
 */
import type { TensorData } from '../../src/protocol/snapshot';
import type { GraphModel } from './graphModel';

/** Below this the gradient counts as vanished; above the other, as exploding. */
export const VANISHING_NORM = 1e-7;
export const EXPLODING_NORM = 1e4;

export function tensorNorm(t: TensorData | null | undefined): number {
  if (!t) return NaN;
  if (t.stats) return t.stats.norm;
  let s = 0;
  for (const v of t.values) s += v * v;
  return t.values.length ? Math.sqrt(s) : NaN;
}

/** NaN where no gradient is known. `frameGrads`: node id → the gradient of that tensor in one iteration. */
export function edgeGradNorms(model: GraphModel, frameGrads: Record<string, TensorData | null> | null): Float64Array {
  const out = new Float64Array(model.edges.length).fill(NaN);
  model.edges.forEach((e, i) => {
    if (frameGrads) {
      const g = Object.prototype.hasOwnProperty.call(frameGrads, e.source) ? frameGrads[e.source] : null;
      out[i] = tensorNorm(g);
    } else out[i] = tensorNorm(e.grad);
  });
  return out;
}

export type GradClass = 'unknown' | 'vanishing' | 'normal' | 'exploding';

export function gradClass(norm: number): GradClass {
  if (Number.isNaN(norm)) return 'unknown';
  if (!Number.isFinite(norm) || norm > EXPLODING_NORM) return 'exploding';
  if (norm < VANISHING_NORM) return 'vanishing';
  return 'normal';
}

/** The log10 range of the normal (finite, non-vanishing) norms, for the colour ramp and the legend. */
export function logRange(norms: Iterable<number>): { lo: number; hi: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of norms) {
    if (gradClass(x) !== 'normal') continue;
    const l = Math.log10(x);
    lo = Math.min(lo, l);
    hi = Math.max(hi, l);
  }
  return lo <= hi ? { lo, hi } : null;
}

/** Position 0..1 of a norm in the log range (0.5 when the range is a single value). */
export function rampPosition(norm: number, range: { lo: number; hi: number }): number {
  if (range.hi - range.lo < 1e-12) return 0.5;
  return Math.max(0, Math.min(1, (Math.log10(norm) - range.lo) / (range.hi - range.lo)));
}
