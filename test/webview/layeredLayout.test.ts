/**
 * The layered layout (pure, run here in Node): layering respects every edge, rows never overlap,
 * losses sit on the last row, long edges bend through rows between their ends, it is deterministic
 * and scales about linearly.
 */
import assert from 'node:assert/strict';
import { layeredLayout, type LayoutInput, type LayoutResult } from '../../webview/layout/layered';
import { syntheticSnapshot, type GraphShape } from './syntheticGraph';

const NODE_SEP = 18;

function inputOf(shape: GraphShape, n: number): LayoutInput {
  const s = syntheticSnapshot(shape, n);
  const index = new Map(s.nodes.map((node, i) => [node.id, i]));
  return {
    n: s.nodes.length,
    widths: Float64Array.from(s.nodes, (node) => 40 + (node.label.length % 7) * 9),
    heights: Float64Array.from(s.nodes, () => 34),
    edgeSources: Int32Array.from(s.edges, (e) => index.get(e.source) as number),
    edgeTargets: Int32Array.from(s.edges, (e) => index.get(e.target) as number),
    roots: Int32Array.from(s.roots, (r) => index.get(r) as number),
    options: { nodeSep: NODE_SEP },
  };
}

/** A random DAG (edges from lower to higher index), seeded. */
function randomDag(n: number, m: number, seed: number): LayoutInput {
  let x = seed;
  const rnd = (): number => ((x = (x * 16807) % 2147483647) / 2147483647);
  const src: number[] = [];
  const dst: number[] = [];
  for (let k = 0; k < m; k++) {
    const a = Math.floor(rnd() * (n - 1));
    const b = a + 1 + Math.floor(rnd() * Math.min(n - a - 1, 12));
    src.push(a);
    dst.push(b);
  }
  return { n, widths: Float64Array.from({ length: n }, () => 30 + rnd() * 90), heights: Float64Array.from({ length: n }, () => 20 + rnd() * 30), edgeSources: Int32Array.from(src), edgeTargets: Int32Array.from(dst), options: { nodeSep: NODE_SEP } };
}

function checkLayout(input: LayoutInput, r: LayoutResult, dag: boolean): void {
  const { n } = input;
  for (let v = 0; v < n; v++) {
    assert.ok(Number.isFinite(r.x[v]) && Number.isFinite(r.y[v]), `node ${v} has a position`);
    assert.ok(r.x[v] - input.widths[v] / 2 >= -1e-6 && r.x[v] + input.widths[v] / 2 <= r.width + 1e-6, `node ${v} inside the width`);
    assert.ok(r.layer[v] >= 0 && r.layer[v] < r.layerCount);
  }
  if (dag) {
    for (let e = 0; e < input.edgeSources.length; e++) {
      const s = input.edgeSources[e];
      const t = input.edgeTargets[e];
      assert.ok(r.layer[s] < r.layer[t], `edge ${s}→${t} goes down (${r.layer[s]} → ${r.layer[t]})`);
      assert.ok(r.y[s] < r.y[t]);
    }
  }
  // Rows: same layer, same y, and no two boxes closer than the gap.
  const rows = new Map<number, number[]>();
  for (let v = 0; v < n; v++) rows.set(r.layer[v], [...(rows.get(r.layer[v]) ?? []), v]);
  for (const [layer, row] of rows) {
    row.sort((a, b) => r.x[a] - r.x[b]);
    for (let k = 1; k < row.length; k++) {
      const a = row[k - 1];
      const b = row[k];
      assert.equal(r.y[a], r.y[b], `layer ${layer} is one row`);
      const gap = r.x[b] - r.x[a] - (input.widths[a] + input.widths[b]) / 2;
      assert.ok(gap >= NODE_SEP - 1e-6, `layer ${layer}: nodes ${a} and ${b} keep the gap (${gap})`);
    }
  }
  // Routes: one bend per row crossed, strictly between the ends, in order.
  for (let e = 0; e < input.edgeSources.length; e++) {
    const s = input.edgeSources[e];
    const t = input.edgeTargets[e];
    const k0 = r.routeStart[e];
    const k1 = r.routeStart[e + 1];
    if (k1 === k0) continue;
    assert.equal(k1 - k0, Math.abs(r.layer[t] - r.layer[s]) - 1, `edge ${e}: one bend per row crossed`);
    let prev = r.y[s];
    for (let k = k0; k < k1; k++) {
      assert.ok(dag ? r.routeY[k] > prev : true, `edge ${e}: bends go from source to target`);
      prev = r.routeY[k];
    }
  }
}

describe('layered layout', () => {
  for (const shape of ['mlp', 'chain', 'wide'] as GraphShape[]) {
    it(`lays out a ${shape} graph: edges go down, rows do not overlap, the loss is last`, () => {
      const input = inputOf(shape, 600);
      const r = layeredLayout(input);
      checkLayout(input, r, true);
      const root = (input.roots as Int32Array)[0];
      assert.equal(r.layer[root], r.layerCount - 1, 'the loss is on the last row');
    });
  }

  it('places a pure input next to its first consumer (no long edge from the top)', () => {
    // a → b → c → d ← bias: the bias belongs on the row above d.
    const input: LayoutInput = { n: 5, widths: new Float64Array(5).fill(50), heights: new Float64Array(5).fill(30), edgeSources: Int32Array.from([0, 1, 2, 4]), edgeTargets: Int32Array.from([1, 2, 3, 3]) };
    const r = layeredLayout(input);
    assert.equal(r.layer[4], r.layer[3] - 1);
    assert.equal(r.layer[0], 0);
  });

  it('handles random DAGs with long edges, and is deterministic', () => {
    for (const seed of [1, 7, 42]) {
      const input = randomDag(400, 900, seed);
      const a = layeredLayout(input);
      checkLayout(input, a, true);
      assert.ok(a.dummies > 0, 'the random graphs have long edges');
      const b = layeredLayout(randomDag(400, 900, seed));
      assert.deepEqual([a.x, a.y, a.routeX], [b.x, b.y, b.routeX]);
    }
  });

  it('survives cycles (collapsed boxes can make them), self loops and empty graphs', () => {
    const cyc: LayoutInput = { n: 4, widths: new Float64Array(4).fill(40), heights: new Float64Array(4).fill(20), edgeSources: Int32Array.from([0, 1, 2, 3, 2]), edgeTargets: Int32Array.from([1, 2, 0, 3, 2]) };
    checkLayout(cyc, layeredLayout(cyc), false);
    const empty = layeredLayout({ n: 0, widths: new Float64Array(0), heights: new Float64Array(0), edgeSources: new Int32Array(0), edgeTargets: new Int32Array(0) });
    assert.equal(empty.layerCount, 0);
    assert.equal(empty.width, 0);
  });

  it('keeps within the dummy budget: beyond it, long edges are drawn straight', () => {
    const input = randomDag(300, 800, 3);
    const r = layeredLayout({ ...input, options: { ...input.options, maxDummies: 50 } });
    assert.ok(r.dummies <= 50);
    checkLayout(input, r, true);
    const short = layeredLayout({ ...input, options: { ...input.options, maxSpan: 2 } });
    for (let e = 0; e < input.edgeSources.length; e++) {
      const span = short.layer[input.edgeTargets[e]] - short.layer[input.edgeSources[e]];
      assert.equal(short.routeStart[e + 1] - short.routeStart[e], span <= 2 ? span - 1 : 0, `edge ${e} (span ${span})`);
    }
  });

  it('scales about linearly (50,000 nodes in well under the time of 5,000 with dagre)', () => {
    const small = inputOf('mlp', 5_000);
    const big = inputOf('mlp', 50_000);
    const t0 = performance.now();
    layeredLayout(small);
    const t1 = performance.now();
    const r = layeredLayout(big);
    const t2 = performance.now();
    assert.equal(r.x.length, big.n);
    // 10× the nodes may cost at most 30× the time (sorting within rows is n log n; the machine is shared).
    assert.ok(t2 - t1 < 30 * Math.max(t1 - t0, 20), `5k: ${(t1 - t0).toFixed(0)} ms, 50k: ${(t2 - t1).toFixed(0)} ms`);
    assert.ok(t2 - t1 < 20_000, `50k nodes in ${(t2 - t1).toFixed(0)} ms`);
  });
});
