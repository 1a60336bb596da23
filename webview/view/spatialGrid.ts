/**
 * A uniform grid over node boxes: which nodes touch a rectangle (the viewport), contain a point or lie
 * near it (a click), without walking every node. Built once per scene, O(nodes).
 */
export class SpatialGrid {
  private readonly cells = new Map<number, number[]>();
  private readonly stamp: Uint32Array;
  private query = 0;
  private readonly cols: number;
  private rows = 0;

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
      this.rows = Math.max(this.rows, r1 + 1);
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

  /**
   * Calls `visit` once for each node listed in a cell the rectangle touches, until it returns true.
   * A rectangle far larger than the graph's cells (the whole graph seen from far away) walks the
   * occupied cells instead of every cell it spans, so a query never costs more than the grid holds.
   */
  private forEachCandidate(x1: number, y1: number, x2: number, y2: number, visit: (i: number) => boolean): void {
    const [c0, r0, c1, r1Unclamped] = this.range(x1, y1, x2, y2);
    const r1 = Math.min(r1Unclamped, this.rows - 1);
    if (r1 < r0 || c1 < c0) return;
    const q = ++this.query;
    const visitList = (list: number[]): boolean => {
      for (const i of list) {
        if (this.stamp[i] === q) continue;
        this.stamp[i] = q;
        if (visit(i)) return true;
      }
      return false;
    };
    if ((r1 - r0 + 1) * (c1 - c0 + 1) > this.cells.size) {
      for (const [k, list] of this.cells) {
        const r = Math.floor(k / this.cols);
        const c = k - r * this.cols;
        if (r < r0 || r > r1 || c < c0 || c > c1) continue;
        if (visitList(list)) return;
      }
      return;
    }
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const list = this.cells.get(r * this.cols + c);
        if (list && visitList(list)) return;
      }
    }
  }

  /** Nodes whose box intersects the rectangle; stops early after `limit` + 1 hits. */
  inRect(x1: number, y1: number, x2: number, y2: number, limit = Infinity): number[] {
    const out: number[] = [];
    this.forEachCandidate(x1, y1, x2, y2, (i) => {
      if (this.x[i] + this.halfW[i] < x1 || this.x[i] - this.halfW[i] > x2 || this.y[i] + this.halfH[i] < y1 || this.y[i] - this.halfH[i] > y2) return false;
      out.push(i);
      return out.length > limit;
    });
    return out;
  }

  /**
   * The node whose box is nearest to the point, if within `radius` of it (a point inside a box is at
   * distance 0; between equals the last drawn wins), or -1. Zoomed out, boxes shrink below a pixel
   * while their drawing keeps at least one: the radius is how a click still reaches them.
   */
  nearest(px: number, py: number, radius: number): number {
    let best = -1;
    let bestD2 = radius * radius;
    this.forEachCandidate(px - radius, py - radius, px + radius, py + radius, (i) => {
      const dx = Math.max(0, Math.abs(px - this.x[i]) - this.halfW[i]);
      const dy = Math.max(0, Math.abs(py - this.y[i]) - this.halfH[i]);
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD2 || (d2 === bestD2 && i > best)) {
        best = i;
        bestD2 = d2;
      }
      return false;
    });
    return best;
  }
}
