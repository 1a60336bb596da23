/**
 * Focus filters: which nodes stay on screen when the user narrows the graph down.
 * Both walk the model's adjacency once: O(nodes + edges).
 */
import type { GraphModel } from './graphModel';

export type FocusMode = 'none' | 'lossAncestors' | 'pathToLoss';

/** Nodes from which one of `targets` is reachable (the targets included). */
export function ancestorsOf(model: GraphModel, targets: readonly number[]): Uint8Array {
  return reachable(model.nodes.length, targets, model.inEdges, model.edgeSource);
}

/** Nodes reachable from `sources` along forward edges (the sources included). */
export function descendantsOf(model: GraphModel, sources: readonly number[]): Uint8Array {
  return reachable(model.nodes.length, sources, model.outEdges, model.edgeTarget);
}

/** Marks `starts` and every node reached by following `edgesOf[v]` to each edge's `farEnd`. */
function reachable(n: number, starts: readonly number[], edgesOf: readonly number[][], farEnd: Int32Array): Uint8Array {
  const mark = new Uint8Array(n);
  const stack = [...starts];
  for (const v of starts) mark[v] = 1;
  while (stack.length) {
    const v = stack.pop() as number;
    for (const e of edgesOf[v]) {
      const w = farEnd[e];
      if (!mark[w]) {
        mark[w] = 1;
        stack.push(w);
      }
    }
  }
  return mark;
}

/**
 * The nodes to keep for a focus mode, or null to keep everything. `from` is the selection (for
 * "path to loss": every node on some path from it to a root, i.e. its descendants that are ancestors
 * of the loss). Returns null when the mode cannot apply (no roots, nothing selected, empty result).
 */
export function focusFilter(model: GraphModel, mode: FocusMode, from: readonly number[]): Uint8Array | null {
  if (mode === 'none' || model.roots.length === 0) return null;
  const up = ancestorsOf(model, model.roots);
  if (mode === 'lossAncestors') return up;
  if (from.length === 0) return null;
  const down = descendantsOf(model, from);
  let any = false;
  for (let i = 0; i < down.length; i++) {
    down[i] &= up[i];
    any ||= down[i] === 1;
  }
  return any ? down : null;
}
