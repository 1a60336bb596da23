/**
 * Focus filters: which nodes stay on screen when the user narrows the graph down.
 * Both walk the model's adjacency once: O(nodes + edges).
 */
import type { GraphModel } from './graphModel';

export type FocusMode = 'none' | 'lossAncestors' | 'pathToLoss';

/** Nodes from which one of `targets` is reachable (the targets included). */
export function ancestorsOf(model: GraphModel, targets: readonly number[]): Uint8Array {
  const mark = new Uint8Array(model.nodes.length);
  const stack = [...targets];
  for (const t of targets) mark[t] = 1;
  while (stack.length) {
    const v = stack.pop() as number;
    for (const e of model.inEdges[v]) {
      const s = model.edgeSource[e];
      if (!mark[s]) {
        mark[s] = 1;
        stack.push(s);
      }
    }
  }
  return mark;
}

/** Nodes reachable from `sources` along forward edges (the sources included). */
export function descendantsOf(model: GraphModel, sources: readonly number[]): Uint8Array {
  const mark = new Uint8Array(model.nodes.length);
  const stack = [...sources];
  for (const s of sources) mark[s] = 1;
  while (stack.length) {
    const v = stack.pop() as number;
    for (const e of model.outEdges[v]) {
      const t = model.edgeTarget[e];
      if (!mark[t]) {
        mark[t] = 1;
        stack.push(t);
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
