import type { CaptureLimits } from '../../protocol/messages';

/**
 * NOTE [Capture memory bound]
 * Whatever the script does (a million ops, a 10,000-iteration training loop), the capture holds:
 * - at most `maxNodes` graph nodes, least recently used dropped first (CLOCK), counted in the
 *   snapshot's `truncation`; plus, at snapshot time only, one node per binding site whose tensor
 *   was dropped (so hovering `x` still works): ≤ maxNodes + number of binding sites;
 * - per node a record of ~25 fields, and up to (2 + its number of inputs) tensor copies: its
 *   value, its gradient, the gradient along each input edge (copies of the same gradient tensor
 *   are shared within a backward pass);
 * - each copy: at most WHOLE_COPY_FACTOR × `maxValuesPerTensor` values (a tensor up to that
 *   size is kept whole, a bigger one summarised to `maxValuesPerTensor` values) plus, for tensors
 *   summarised, the (2·edgeitems)^ndim values PyTorch prints (≤ 1,296 for 4-D, none above MAX_EDGE_VALUES); all
 *   copies together (frames included) are held to MAX_CAPTURED_VALUES numbers — past it, new
 *   copies keep statistics and no values;
 * - `iterationWindow` frames (references to copies of the last iterations) and
 *   `maxSeriesNodes` × `maxSeriesPoints` × 4 numbers of sparkline series;
 * - one tensor and one module per binding site of the source (their last values), and one
 *   WeakMap entry per live leaf/constant/no-grad tensor, per live parameter or sub-module (its
 *   owner and name) and per live storage whose statistics were taken (they go away with them);
 * - the arrays of dead copies waiting for reuse (NOTE [Recycled copy buffers]): ≤ MAX_POOLED_VALUES
 *   (1 M) numbers; interned scope paths (≤ MAX_INTERNED_PATHS) and edge indices of ≤ 256 shapes.
 * With the defaults: ≤ 20 M captured numbers (≤ 160 MB as float64, half that for float32
 * tensors), ≤ 1 M series numbers (8 MB), and ~0.5 KB per node (≤ 2.5 MB) — independent of how
 * many ops or iterations run. Nodes dropped while their grad_fn is still alive keep a record
 * without data (~200 bytes) until the library frees that grad_fn.
 */
export const DEFAULT_LIMITS: Readonly<CaptureLimits> = {
  maxValuesPerTensor: 1000,
  maxNodes: 5000,
  iterationWindow: 3,
  maxSeriesPoints: 256,
  maxSeriesNodes: 1000,
  maxSnapshotValues: 2_000_000,
};

/** Numbers all tensor copies may hold together (see NOTE [Capture memory bound]). */
export const MAX_CAPTURED_VALUES = 20_000_000;

/**
 * A tensor of up to this many times `maxValuesPerTensor` values is copied whole (see NOTE [Whole
 * copies of mid-sized tensors] in tensorCopy.ts); the snapshot sends at most `maxValuesPerTensor`.
 */
export const WHOLE_COPY_FACTOR = 4;

/** Above this many edge values (high-dimensional tensors) no printed form is kept. */
export const MAX_EDGE_VALUES = 4096;

export function resolveLimits(partial: Partial<CaptureLimits> | undefined): CaptureLimits {
  const out = { ...DEFAULT_LIMITS };
  if (partial) {
    for (const key of Object.keys(out) as (keyof CaptureLimits)[]) {
      const v = partial[key];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = Math.floor(v);
    }
  }
  out.maxNodes = Math.max(1, out.maxNodes);
  out.maxSeriesPoints = Math.max(2, out.maxSeriesPoints);
  return out;
}
