/**
 * The clustered layout (pure, run here in Node): the frame around each cluster, computed the way the
 * page draws it (members' boxes and nested frames, padded, a title strip on top), contains no node
 * that is not a member; edges still go down; nodes never overlap; the loss is on the bottom row.
 */
import assert from 'node:assert/strict';
import { clusteredLayout, type LayoutClusters } from '../../webview/layout/clustered';
import { layeredLayout, type LayoutInput, type LayoutResult } from '../../webview/layout/layered';

/** As webview/view/hulls.ts draws them. */
const FRAME_PAD = 8;
const TITLE_HEIGHT = 14;

type Box = [number, number, number, number];

function rng(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 16807) % 2147483647) / 2147483647;
}

/**
 * A random DAG whose nodes sit in a random tree of clusters. Like a module call, a cluster holds a
 * run of consecutive nodes (possibly with nested runs inside); edges go from lower to higher index.
 */
function clusteredDag(n: number, m: number, seed: number): LayoutInput & { clusters: LayoutClusters } {
  const rnd = rng(seed);
  const parent: number[] = [];
  const ofNode = new Int32Array(n).fill(-1);
  const open: number[] = [];
  for (let v = 0; v < n; v++) {
    const r = rnd();
    if (r < 0.08 && open.length < 4) {
      open.push(parent.length);
      parent.push(open.length > 1 ? open[open.length - 2] : -1);
    } else if (r < 0.16 && open.length) open.pop();
    ofNode[v] = open.length ? open[open.length - 1] : -1;
  }
  const src: number[] = [];
  const dst: number[] = [];
  for (let k = 0; k < m; k++) {
    const a = Math.floor(rnd() * (n - 1));
    src.push(a);
    dst.push(a + 1 + Math.floor(rnd() * Math.min(n - a - 1, 10)));
  }
  return {
    n,
    widths: Float64Array.from({ length: n }, () => 30 + rnd() * 90),
    heights: Float64Array.from({ length: n }, () => 20 + rnd() * 16),
    edgeSources: Int32Array.from(src),
    edgeTargets: Int32Array.from(dst),
    roots: Int32Array.from([n - 1]),
    clusters: { ofNode, parent: Int32Array.from(parent), minWidth: Float64Array.from(parent, () => 40), padX: FRAME_PAD + 4, padTop: FRAME_PAD + TITLE_HEIGHT + 4, padBottom: FRAME_PAD + 4 },
  };
}

function nodeBox(input: LayoutInput, r: LayoutResult, v: number): Box {
  return [r.x[v] - input.widths[v] / 2, r.y[v] - input.heights[v] / 2, r.x[v] + input.widths[v] / 2, r.y[v] + input.heights[v] / 2];
}

const intersects = (a: Box, b: Box): boolean => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** Frames of all clusters (index → box), with the nodes inside each (nested clusters' included). */
function frames(input: LayoutInput, clusters: LayoutClusters, r: LayoutResult): { box: (Box | null)[]; members: Set<number>[] } {
  const k = clusters.parent.length;
  const members = Array.from({ length: k }, () => new Set<number>());
  for (let v = 0; v < input.n; v++) for (let c = clusters.ofNode[v]; c >= 0; c = clusters.parent[c]) members[c].add(v);
  const depth = (c: number): number => (clusters.parent[c] < 0 ? 0 : 1 + depth(clusters.parent[c]));
  const box: (Box | null)[] = new Array<Box | null>(k).fill(null);
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => depth(b) - depth(a));
  for (const c of order) {
    let b: Box | null = null;
    const grow = (x: Box): void => {
      b = b ? [Math.min(b[0], x[0]), Math.min(b[1], x[1]), Math.max(b[2], x[2]), Math.max(b[3], x[3])] : x;
    };
    for (let v = 0; v < input.n; v++) if (clusters.ofNode[v] === c) grow(nodeBox(input, r, v));
    for (let d = 0; d < k; d++) if (clusters.parent[d] === c && box[d]) grow(box[d] as Box);
    const inner = b as Box | null;
    box[c] = inner ? [inner[0] - FRAME_PAD, inner[1] - FRAME_PAD - TITLE_HEIGHT, inner[2] + FRAME_PAD, inner[3] + FRAME_PAD] : null;
  }
  return { box, members };
}

/** "cluster c's frame holds node v, which is not a member" for every such pair. */
function intruders(input: LayoutInput, clusters: LayoutClusters, r: LayoutResult): string[] {
  const { box, members } = frames(input, clusters, r);
  const out: string[] = [];
  box.forEach((b, c) => {
    if (!b) return;
    for (let v = 0; v < input.n; v++) if (!members[c].has(v) && intersects(b, nodeBox(input, r, v))) out.push(`cluster ${c} holds node ${v}`);
  });
  return out;
}

describe('clustered layout', () => {
  it('frames each cluster around its members only, on random clustered DAGs', () => {
    for (const seed of [3, 17, 101, 2024, 77777]) {
      const input = clusteredDag(300, 520, seed);
      const r = clusteredLayout(input);
      assert.deepEqual(intruders(input, input.clusters, r), [], `seed ${seed}`);
      // The check can fail: the same graph laid out without clusters puts strangers inside frames.
      assert.ok(intruders(input, input.clusters, layeredLayout(input)).length > 0, `seed ${seed}: the plain layout mixes clusters`);
    }
  });

  it('keeps the layered layout\'s guarantees: edges go down, no overlaps, inside the extent, the loss last', () => {
    const input = clusteredDag(400, 700, 5);
    const r = clusteredLayout(input);
    for (let e = 0; e < input.edgeSources.length; e++) {
      const s = input.edgeSources[e];
      const t = input.edgeTargets[e];
      assert.ok(r.y[s] < r.y[t], `edge ${s}→${t} goes down`);
      for (let k = r.routeStart[e]; k < r.routeStart[e + 1]; k++) assert.ok(r.routeY[k] > r.y[s] && r.routeY[k] < r.y[t], `edge ${e}: bends between its ends`);
    }
    const boxes = Array.from({ length: input.n }, (_, v) => nodeBox(input, r, v));
    for (let a = 0; a < input.n; a++) {
      assert.ok(boxes[a][0] >= -1e-6 && boxes[a][2] <= r.width + 1e-6 && boxes[a][1] >= -1e-6 && boxes[a][3] <= r.height + 1e-6, `node ${a} inside the extent`);
      for (let b = a + 1; b < input.n; b++) assert.ok(!intersects(boxes[a], boxes[b]), `nodes ${a} and ${b} overlap`);
    }
    const root = input.n - 1;
    for (let v = 0; v < input.n; v++) assert.ok(r.y[v] <= r.y[root] + 1e-6, `node ${v} is not below the loss`);
    assert.equal(r.layer[root], r.layerCount - 1);
    // Deterministic.
    assert.deepEqual(Array.from(clusteredLayout(clusteredDag(400, 700, 5)).x), Array.from(r.x));
  });

  it('leaves a graph without clusters to the layered layout, and survives a cluster cycle', () => {
    const input = clusteredDag(120, 200, 9);
    const plain = { ...input, clusters: undefined };
    assert.deepEqual(Array.from(clusteredLayout(plain).x), Array.from(layeredLayout(plain).x));
    const cyclic: LayoutClusters = { ...input.clusters, parent: Int32Array.from(input.clusters.parent, (_, c) => (c + 1) % input.clusters.parent.length) };
    const r = clusteredLayout({ ...input, clusters: cyclic });
    for (let v = 0; v < input.n; v++) assert.ok(Number.isFinite(r.x[v]) && Number.isFinite(r.y[v]));
  });

  it('widens a cluster to fit its title', () => {
    const input: LayoutInput = {
      n: 3,
      widths: Float64Array.from([40, 40, 40]),
      heights: Float64Array.from([30, 30, 30]),
      edgeSources: Int32Array.from([0, 1]),
      edgeTargets: Int32Array.from([1, 2]),
      clusters: { ofNode: Int32Array.from([-1, 0, -1]), parent: Int32Array.from([-1]), minWidth: Float64Array.from([300]), padX: 10, padTop: 20, padBottom: 10 },
    };
    const r = clusteredLayout(input);
    assert.ok(r.width >= 300 + 2 * 10 - 1e-6, `width ${r.width}`);
  });
});
