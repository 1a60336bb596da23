/**
 * The layered layout with clusters: the members of each expanded scope are placed together, so the
 * frame drawn around a scope contains its members and nothing else.
 *
 * NOTE [Clustered layout]: each cluster is laid out on its own (layered.ts, on its direct nodes and its
 * child clusters), innermost first; a laid-out cluster then takes part in its parent's layout as one
 * block the size of its drawing plus room for its frame and title. Placing the blocks top-down gives
 * every node its position. A block is a rectangle that no other item of its parent overlaps (the
 * layered layout keeps items apart), and everything inside it is a member, which is exactly the
 * property the frames need. An edge is laid out in the innermost cluster holding both ends, between
 * the items that stand for them there (a node, or the block of the child cluster it is in), and its
 * bends are that layout's. Cost: the layouts together see every node and edge once, so it stays about
 * linear like layered.ts.
 */
import { layeredLayout, type LayoutInput, type LayoutResult } from './layered';

export interface LayoutClusters {
  /** Innermost cluster of each node; -1: not in any cluster. */
  ofNode: Int32Array;
  /** Enclosing cluster of each cluster; -1: top level. */
  parent: Int32Array;
  /** Narrowest inner width per cluster (its title must fit over it). */
  minWidth: Float64Array;
  /** Room between a cluster's contents and its block's edges (frame padding, title strip). */
  padX: number;
  padTop: number;
  padBottom: number;
}

/** Positions are rounded to this when telling rows apart for `layer`. */
const ROW_TOLERANCE = 0.5;

export function clusteredLayout(input: LayoutInput): LayoutResult {
  const clusters = input.clusters;
  if (!clusters || clusters.parent.length === 0) return layeredLayout(input);
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const n = input.n;
  const K = clusters.parent.length;
  const TOP = K;
  const parentOf = (c: number): number => {
    const p = clusters.parent[c];
    return p >= 0 && p < K && p !== c ? p : TOP;
  };
  const containerOfNode = (v: number): number => {
    const c = clusters.ofNode[v];
    return c >= 0 && c < K ? c : TOP;
  };

  // Depths; a parent cycle (bad input) is cut by treating the cluster as top level.
  const depth = new Int32Array(K + 1).fill(-1);
  depth[TOP] = 0;
  const effectiveParent = new Int32Array(K + 1).fill(TOP);
  for (let c = 0; c < K; c++) {
    const chain: number[] = [];
    let d = c;
    while (d !== TOP && depth[d] < 0 && !chain.includes(d)) {
      chain.push(d);
      d = parentOf(d);
    }
    if (d !== TOP && depth[d] < 0) d = TOP; // cycle
    for (let k = chain.length - 1; k >= 0; k--) {
      effectiveParent[chain[k]] = k === chain.length - 1 ? d : chain[k + 1];
      depth[chain[k]] = depth[effectiveParent[chain[k]]] + 1;
    }
  }

  // Items of each container: node v is item v, cluster c is item n + c; ordered by their first node so
  // the layered layout's initial order (creation order) still holds.
  const firstNode = new Float64Array(K).fill(Infinity);
  for (let v = 0; v < n; v++) {
    for (let c = containerOfNode(v); c !== TOP; c = effectiveParent[c]) {
      if (firstNode[c] <= v) break;
      firstNode[c] = v;
    }
  }
  const items: number[][] = Array.from({ length: K + 1 }, () => []);
  for (let v = 0; v < n; v++) items[containerOfNode(v)].push(v);
  for (let c = 0; c < K; c++) items[effectiveParent[c]].push(n + c);
  const orderKey = (it: number): number => (it < n ? it : firstNode[it - n]);
  const localIndex = new Int32Array(n + K);
  for (const list of items) {
    list.sort((a, b) => orderKey(a) - orderKey(b) || a - b);
    list.forEach((it, k) => (localIndex[it] = k));
  }

  // Edges: in the innermost container holding both ends, between the items standing for them there.
  const mAll = input.edgeSources.length;
  const edgeContainer = new Int32Array(mAll).fill(-1);
  const edgeSub = new Int32Array(mAll).fill(-1);
  const subEdges: { src: number[]; dst: number[]; index: Map<string, number> }[] = Array.from({ length: K + 1 }, () => ({ src: [], dst: [], index: new Map() }));
  for (let e = 0; e < mAll; e++) {
    const s = input.edgeSources[e];
    const t = input.edgeTargets[e];
    if (s === t || s < 0 || t < 0 || s >= n || t >= n) continue;
    let a = s;
    let b = t;
    let ca = containerOfNode(s);
    let cb = containerOfNode(t);
    while (depth[ca] > depth[cb]) [a, ca] = [n + ca, effectiveParent[ca]];
    while (depth[cb] > depth[ca]) [b, cb] = [n + cb, effectiveParent[cb]];
    while (ca !== cb) {
      [a, ca] = [n + ca, effectiveParent[ca]];
      [b, cb] = [n + cb, effectiveParent[cb]];
    }
    if (a === b) continue;
    const sub = subEdges[ca];
    const key = `${a},${b}`;
    let j = sub.index.get(key);
    if (j === undefined) {
      j = sub.src.length;
      sub.index.set(key, j);
      sub.src.push(localIndex[a]);
      sub.dst.push(localIndex[b]);
    }
    edgeContainer[e] = ca;
    edgeSub[e] = j;
  }

  // Which items hold a root (the loss goes on the last row of every level down to it).
  const holdsRoot = new Uint8Array(n + K);
  for (const r of input.roots ?? []) {
    if (r < 0 || r >= n) continue;
    holdsRoot[r] = 1;
    for (let c = containerOfNode(r); c !== TOP; c = effectiveParent[c]) holdsRoot[n + c] = 1;
  }

  // Innermost first: lay out each container, then size its block.
  const containers = Array.from({ length: K + 1 }, (_, c) => c).sort((a, b) => depth[b] - depth[a]);
  const results: (LayoutResult | null)[] = new Array<LayoutResult | null>(K + 1).fill(null);
  const blockW = new Float64Array(K);
  const blockH = new Float64Array(K);
  const contentShift = new Float64Array(K);
  let dummies = 0;
  for (const c of containers) {
    const list = items[c];
    const sizeOf = (it: number, dim: 'w' | 'h'): number => (it < n ? (dim === 'w' ? input.widths[it] : input.heights[it]) : dim === 'w' ? blockW[it - n] : blockH[it - n]);
    const roots: number[] = [];
    list.forEach((it, k) => holdsRoot[it] && roots.push(k));
    const res = layeredLayout({
      n: list.length,
      widths: Float64Array.from(list, (it) => sizeOf(it, 'w')),
      heights: Float64Array.from(list, (it) => sizeOf(it, 'h')),
      edgeSources: Int32Array.from(subEdges[c].src),
      edgeTargets: Int32Array.from(subEdges[c].dst),
      roots: Int32Array.from(roots),
      options: input.options,
    });
    results[c] = res;
    dummies += res.dummies;
    if (c !== TOP) {
      const inner = Math.max(res.width, clusters.minWidth[c] ?? 0);
      contentShift[c] = (inner - res.width) / 2;
      blockW[c] = inner + 2 * clusters.padX;
      blockH[c] = res.height + clusters.padTop + clusters.padBottom;
    }
  }

  // Outermost first: place each container's drawing inside its block.
  const originX = new Float64Array(K + 1);
  const originY = new Float64Array(K + 1);
  const outX = new Float64Array(n);
  const outY = new Float64Array(n);
  for (let k = containers.length - 1; k >= 0; k--) {
    const c = containers[k];
    const res = results[c] as LayoutResult;
    items[c].forEach((it, i) => {
      const x = originX[c] + res.x[i];
      const y = originY[c] + res.y[i];
      if (it < n) {
        outX[it] = x;
        outY[it] = y;
      } else {
        const d = it - n;
        originX[d] = x - blockW[d] / 2 + clusters.padX + contentShift[d];
        originY[d] = y - blockH[d] / 2 + clusters.padTop;
      }
    });
  }

  // Bends: the container's route for the edge, moved to where the container is.
  const routeStart = new Int32Array(mAll + 1);
  for (let e = 0; e < mAll; e++) {
    const c = edgeContainer[e];
    const res = c >= 0 ? results[c] : null;
    routeStart[e + 1] = routeStart[e] + (res ? res.routeStart[edgeSub[e] + 1] - res.routeStart[edgeSub[e]] : 0);
  }
  const routeX = new Float64Array(routeStart[mAll]);
  const routeY = new Float64Array(routeStart[mAll]);
  for (let e = 0; e < mAll; e++) {
    const c = edgeContainer[e];
    if (c < 0) continue;
    const res = results[c] as LayoutResult;
    for (let k = res.routeStart[edgeSub[e]], o = routeStart[e]; k < res.routeStart[edgeSub[e] + 1]; k++, o++) {
      routeX[o] = originX[c] + res.routeX[k];
      routeY[o] = originY[c] + res.routeY[k];
    }
  }

  // Rows for keyboard moves: nodes at the same height share a row.
  const rows = Array.from(new Set(Array.from(outY, (y) => Math.round(y / ROW_TOLERANCE)))).sort((a, b) => a - b);
  const rowOf = new Map(rows.map((r, i) => [r, i]));
  const layer = Int32Array.from(outY, (y) => rowOf.get(Math.round(y / ROW_TOLERANCE)) as number);

  const top = results[TOP] as LayoutResult;
  const t1 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  return { x: outX, y: outY, layer, layerCount: rows.length, width: top.width, height: top.height, routeStart, routeX, routeY, dummies, ms: t1 - t0 };
}
