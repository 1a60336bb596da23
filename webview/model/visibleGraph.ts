/**
 * What is on screen: the model's nodes with collapsed scope instances replaced by one box each, and
 * (when focusing) only the nodes kept by the focus filter. Edges between the same pair of items merge
 * when a box is involved (one arrow into a box per producer), and stay separate between plain nodes
 * (`x * x` shows both inputs).
 */
import type { GraphModel } from './graphModel';
import { scopeChain, type ScopeInstance } from './scopes';

export type VisibleItem = { kind: 'node'; node: number } | { kind: 'scope'; scope: ScopeInstance; nodes: number[] };

export interface VisibleEdge {
  source: number;
  target: number;
  /** Model edges drawn by this one. */
  edges: number[];
}

export interface VisibleGraph {
  items: VisibleItem[];
  /** Item index per model node (-1: filtered out). */
  itemOfNode: Int32Array;
  edges: VisibleEdge[];
  /** Visible edge index per model edge (-1: inside a box or filtered out). */
  edgeOfModelEdge: Int32Array;
}

/** The outermost collapsed instance around a node, if any. */
function collapsedAncestor(inner: ScopeInstance | null, collapsed: ReadonlySet<string>): ScopeInstance | null {
  if (!inner || collapsed.size === 0) return null;
  for (const s of scopeChain(inner)) if (collapsed.has(s.key)) return s;
  return null;
}

export function buildVisibleGraph(model: GraphModel, collapsed: ReadonlySet<string>, keep: Uint8Array | null): VisibleGraph {
  const n = model.nodes.length;
  const itemOfNode = new Int32Array(n).fill(-1);
  const items: VisibleItem[] = [];
  const boxItem = new Map<ScopeInstance, number>();
  for (let i = 0; i < n; i++) {
    if (keep && !keep[i]) continue;
    const box = collapsedAncestor(model.scopes.nodeScope[i], collapsed);
    if (!box) {
      itemOfNode[i] = items.length;
      items.push({ kind: 'node', node: i });
      continue;
    }
    let item = boxItem.get(box);
    if (item === undefined) {
      item = items.length;
      boxItem.set(box, item);
      items.push({ kind: 'scope', scope: box, nodes: [] });
    }
    const it = items[item];
    if (it.kind === 'scope') it.nodes.push(i);
    itemOfNode[i] = item;
  }

  const edges: VisibleEdge[] = [];
  const edgeOfModelEdge = new Int32Array(model.edges.length).fill(-1);
  const merged = new Map<string, number>();
  for (let e = 0; e < model.edges.length; e++) {
    const s = itemOfNode[model.edgeSource[e]];
    const t = itemOfNode[model.edgeTarget[e]];
    if (s < 0 || t < 0 || s === t) continue;
    if (items[s].kind === 'node' && items[t].kind === 'node') {
      edgeOfModelEdge[e] = edges.length;
      edges.push({ source: s, target: t, edges: [e] });
      continue;
    }
    const key = `${s}>${t}`;
    const existing = merged.get(key);
    if (existing !== undefined) {
      edges[existing].edges.push(e);
      edgeOfModelEdge[e] = existing;
    } else {
      merged.set(key, edges.length);
      edgeOfModelEdge[e] = edges.length;
      edges.push({ source: s, target: t, edges: [e] });
    }
  }
  return { items, itemOfNode, edges, edgeOfModelEdge };
}
