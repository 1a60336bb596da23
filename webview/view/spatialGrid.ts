/**
 * A uniform grid over node boxes: which nodes touch a rectangle (the viewport) or contain a point
 * (a click), without walking every node. Built once per scene, O(nodes).
 */
export class SpatialGrid {
  private readonly cells = new Map<number, number[]>();
  private readonly stamp: Uint32Array;
  private query = 0;
  private readonly cols: number;

  constructor(
    private readonly x: Float64Array,
    private readonly y: Float64Array,
    private readonly halfW: Float64Array,
    private readonly halfH: Float64Array,
    private readonly cell: number,
    width: number,
  ) {
    this.stamp = new Uint32Array(x.length);
    this.cols = Math.max(1, Math.ceil((width + 1) / cell) + 1);
    for (let i = 0; i < x.length; i++) {
      const [c0, r0, c1, r1] = this.range(x[i] - halfW[i], y[i] - halfH[i], x[i] + halfW[i], y[i] + halfH[i]);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const k = r * this.cols + c;
          let list = this.cells.get(k);
          if (!list) this.cells.set(k, (list = []));
          list.push(i);
        }
      }
    }
  }

  private range(x1: number, y1: number, x2: number, y2: number): [number, number, number, number] {
    const clampC = (v: number): number => Math.max(0, Math.min(this.cols - 1, v));
    return [clampC(Math.floor(x1 / this.cell)), Math.max(0, Math.floor(y1 / this.cell)), clampC(Math.floor(x2 / this.cell)), Math.max(0, Math.floor(y2 / this.cell))];
  }

  /** Nodes whose box intersects the rectangle; stops early after `limit` + 1 hits. */
  inRect(x1: number, y1: number, x2: number, y2: number, limit = Infinity): number[] {
    const out: number[] = [];
    const q = ++this.query;
    const [c0, r0, c1, r1] = this.range(x1, y1, x2, y2);
    const maxRow = Math.min(r1, r0 + 100_000);
    for (let r = r0; r <= maxRow; r++) {
      for (let c = c0; c <= c1; c++) {
        const list = this.cells.get(r * this.cols + c);
        if (!list) continue;
        for (const i of list) {
          if (this.stamp[i] === q) continue;
          this.stamp[i] = q;
          if (this.x[i] + this.halfW[i] < x1 || this.x[i] - this.halfW[i] > x2 || this.y[i] + this.halfH[i] < y1 || this.y[i] - this.halfH[i] > y2) continue;
          out.push(i);
          if (out.length > limit) return out;
        }
      }
    }
    return out;
  }

  /** The node under a point (the last drawn wins), or -1. */
  at(px: number, py: number): number {
    const list = this.cells.get(Math.max(0, Math.floor(py / this.cell)) * this.cols + Math.max(0, Math.min(this.cols - 1, Math.floor(px / this.cell))));
    if (!list) return -1;
    let hit = -1;
    for (const i of list) {
      if (Math.abs(px - this.x[i]) <= this.halfW[i] && Math.abs(py - this.y[i]) <= this.halfH[i]) hit = Math.max(hit, i);
    }
    return hit;
  }
}
