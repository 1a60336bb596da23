/**
 * The spatial grid (pure, run here in Node) answers like a walk over every box: rectangles (small,
 * and far larger than the graph, as the viewport is when zoomed out) and nearest-within-a-radius
 * (clicks on boxes drawn smaller than a pixel).
 */
import assert from 'node:assert/strict';
import { SpatialGrid } from '../../webview/view/spatialGrid';

interface Boxes {
  x: Float64Array;
  y: Float64Array;
  hw: Float64Array;
  hh: Float64Array;
  width: number;
}

/** Random boxes in a tall, narrow region (like a deep graph), seeded. */
function randomBoxes(n: number, seed: number): Boxes {
  let s = seed;
  const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  const width = 3000;
  const b: Boxes = { x: new Float64Array(n), y: new Float64Array(n), hw: new Float64Array(n), hh: new Float64Array(n), width };
  for (let i = 0; i < n; i++) {
    b.hw[i] = 10 + 40 * rnd();
    b.hh[i] = 17;
    b.x[i] = b.hw[i] + (width - 2 * b.hw[i]) * rnd();
    b.y[i] = 17 + 200_000 * rnd();
  }
  return b;
}

const gridOf = (b: Boxes): SpatialGrid => new SpatialGrid(b.x, b.y, b.hw, b.hh, 400, b.width);

function bruteInRect(b: Boxes, x1: number, y1: number, x2: number, y2: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.x.length; i++) if (!(b.x[i] + b.hw[i] < x1 || b.x[i] - b.hw[i] > x2 || b.y[i] + b.hh[i] < y1 || b.y[i] - b.hh[i] > y2)) out.push(i);
  return out;
}

/** Nearest box within the radius; between equal distances the highest index (drawn last). */
function bruteNearest(b: Boxes, px: number, py: number, radius: number): number {
  let best = -1;
  let bestD2 = Infinity;
  for (let i = 0; i < b.x.length; i++) {
    const dx = Math.max(0, Math.abs(px - b.x[i]) - b.hw[i]);
    const dy = Math.max(0, Math.abs(py - b.y[i]) - b.hh[i]);
    const d2 = dx * dx + dy * dy;
    if (d2 > radius * radius) continue;
    if (d2 < bestD2 || (d2 === bestD2 && i > best)) {
      best = i;
      bestD2 = d2;
    }
  }
  return best;
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

describe('spatial grid', () => {
  const boxes = randomBoxes(5000, 7);
  const grid = gridOf(boxes);

  it('finds the boxes touching a rectangle, small or far larger than the graph', () => {
    const rects: [number, number, number, number][] = [
      [100, 1000, 600, 1400],
      [-50, -50, 20, 20],
      [2900, 199_000, 5000, 260_000],
      // The whole graph and far beyond: the viewport of a fitted graph zoomed out further.
      [-1e7, -1e7, 1e7, 1e7],
    ];
    for (const [x1, y1, x2, y2] of rects) assert.deepEqual(sorted(grid.inRect(x1, y1, x2, y2)), bruteInRect(boxes, x1, y1, x2, y2), `rect ${[x1, y1, x2, y2]}`);
  });

  it('stops after limit + 1 boxes', () => {
    const all = bruteInRect(boxes, -1e7, -1e7, 1e7, 1e7).length;
    assert.ok(all > 100);
    assert.equal(grid.inRect(-1e7, -1e7, 1e7, 1e7, 100).length, 101);
  });

  it('finds the nearest box within a radius, as a walk over every box does', () => {
    let s = 11;
    const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
    let hits = 0;
    let misses = 0;
    for (let k = 0; k < 400; k++) {
      const px = -200 + 3400 * rnd();
      const py = -200 + 200_400 * rnd();
      // Radii from a click at readable zoom (a few units) to one zoomed far out (a pixel is thousands).
      const radius = [0, 3, 60, 4000][k % 4];
      const want = bruteNearest(boxes, px, py, radius);
      assert.equal(grid.nearest(px, py, radius), want, `point ${px}, ${py}, radius ${radius}`);
      if (want >= 0) hits++;
      else misses++;
    }
    assert.ok(hits > 50 && misses > 50, `both cases exercised (${hits} hits, ${misses} misses)`);
  });

  it('prefers a box containing the point to a nearer centre, and the last drawn between overlapping boxes', () => {
    const b: Boxes = { x: Float64Array.of(100, 130, 130), y: Float64Array.of(100, 100, 100), hw: Float64Array.of(50, 5, 5), hh: Float64Array.of(20, 5, 5), width: 400 };
    const g = gridOf(b);
    assert.equal(g.nearest(60, 100, 10), 0, 'inside the big box');
    assert.equal(g.nearest(130, 100, 10), 2, 'inside all three: the last drawn');
    assert.equal(g.nearest(100, 135, 10), -1, 'further than the radius from every box');
    assert.equal(g.nearest(100, 125, 10), 0, 'within the radius of the big box only');
  });
});
