/** Messages between the page and the layout worker (typed arrays travel as transferables). */
import type { LayoutInput, LayoutResult } from './layered';

export type ToLayoutWorker = { type: 'layout'; id: number; input: LayoutInput };
export type FromLayoutWorker = { type: 'result'; id: number; result: LayoutResult } | { type: 'error'; id: number; message: string };

/** The buffers a result owns, to transfer instead of copy. */
export function resultBuffers(r: LayoutResult): ArrayBuffer[] {
  return [r.x, r.y, r.layer, r.routeStart, r.routeX, r.routeY].map((a) => a.buffer as ArrayBuffer);
}

export function inputBuffers(i: LayoutInput): ArrayBuffer[] {
  const arrays: (Float64Array | Int32Array)[] = [i.widths, i.heights, i.edgeSources, i.edgeTargets];
  if (i.roots) arrays.push(i.roots);
  if (i.clusters) arrays.push(i.clusters.ofNode, i.clusters.parent, i.clusters.minWidth);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
