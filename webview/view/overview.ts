/**
 * The overview layer: a plain canvas under Cytoscape's that draws, as boxes and lines without labels,
 * every node and edge Cytoscape does not currently hold.
 *
 * NOTE [Level of detail]: Cytoscape costs about half a millisecond per element to add, style and
 * measure here, so a 10,000-node graph given to it whole takes many seconds before the first frame.
 * Large scenes therefore hand Cytoscape only the window around the viewport (readable, interactive
 * elements) and draw the rest here, at about a microsecond per element, in the same colours.
 * What is drawn here is clickable too: GraphView looks a background click up in its spatial grid
 * (with a few pixels of slop, nodes being specks when zoomed out) and in the loss markers as drawn.
 */
import type { Palette } from './palette';
import { opaque } from './palette';
import { cyDrawsLabels } from './cyStyle';
import type { Scene } from './scene';

/** An expanded scope drawn as a frame around its nodes, its name in the top-left corner. */
export interface Hull {
  key: string;
  label: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Hull labels: font size and the clickable strip's height (model units). */
export const HULL_LABEL_SIZE = 10;
export const HULL_LABEL_HEIGHT = 14;
/** When labels are hidden, a loss is drawn at least this big (screen px), its name under it. */
const LOSS_MARKER_MIN_HEIGHT = 10;
const LOSS_MARKER_MIN_WIDTH = 16;
const LOSS_MARKER_FONT = 11;
const LOSS_LABEL_MARGIN = 4;

export interface OverviewState {
  scene: Scene;
  hulls: readonly Hull[];
  materializedNodes: Uint8Array;
  materializedEdges: Uint8Array;
  nodeFlags: Uint16Array;
  edgeFlags: Uint8Array;
  /** Per scene edge, when the gradient-flow view is on. */
  edgeColor: string[] | null;
  edgeWidth: Float64Array | null;
}

/**
 * Where the loss markers of the last frame on screen were drawn (canvas CSS pixels): a box and its
 * name per loss, scene index alongside. Clicks are tested against what the user saw, not against the
 * loss's own box, which is a speck at that zoom.
 */
class LossMarkerHits {
  private readonly index: number[] = [];
  private readonly rects: number[] = [];
  constructor(readonly scene: Scene) {}

  add(i: number, x1: number, y1: number, x2: number, y2: number): void {
    this.index.push(i);
    this.rects.push(x1, y1, x2, y2);
  }

  /** The last drawn marker containing the point, or -1. */
  at(x: number, y: number): number {
    for (let k = this.index.length - 1; k >= 0; k--) {
      const r = 4 * k;
      if (x >= this.rects[r] && x <= this.rects[r + 2] && y >= this.rects[r + 1] && y <= this.rects[r + 3]) return this.index[k];
    }
    return -1;
  }
}

export const NODE_FLAG = { sel: 1, match: 2, matchCurrent: 4, dim: 8, linked: 16, rcur: 32, rdone: 64, rpend: 128 } as const;
export const EDGE_FLAG = { hl: 1, rflow: 2, dim: 4 } as const;

export class OverviewRenderer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D | null;
  private palette: Palette;
  private frame = 0;
  private cssW = 0;
  private cssH = 0;
  private markerHits: LossMarkerHits | null = null;

  constructor(
    parent: HTMLElement,
    palette: Palette,
    private readonly viewport: () => { zoom: number; panX: number; panY: number },
    private readonly state: () => OverviewState | null,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'gs-overview';
    this.canvas.setAttribute('aria-hidden', 'true');
    parent.appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d');
    this.palette = palette;
  }

  setPalette(p: Palette): void {
    this.palette = p;
    this.request();
  }

  resize(w: number, h: number): void {
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    this.cssW = w;
    this.cssH = h;
    this.canvas.width = Math.max(1, Math.round(w * dpr));
    this.canvas.height = Math.max(1, Math.round(h * dpr));
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.request();
  }

  request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /**
   * The loss whose marker (box or name, as last drawn on screen) is at this point of the canvas (CSS
   * pixels), or -1; `scene`: the scene the caller means (markers of an older scene do not count).
   */
  lossMarkerAt(x: number, y: number, scene: Scene): number {
    return this.markerHits && this.markerHits.scene === scene ? this.markerHits.at(x, y) : -1;
  }

  /** Draws now (also used to compose PNG exports). */
  draw(target: CanvasRenderingContext2D | null = this.ctx, scale = Math.min(2, window.devicePixelRatio || 1)): void {
    if (!target) return;
    const onScreen = target === this.ctx;
    if (onScreen) this.markerHits = null;
    const st = this.state();
    target.setTransform(1, 0, 0, 1, 0, 0);
    target.clearRect(0, 0, target.canvas.width, target.canvas.height);
    if (!st) return;
    const { zoom, panX, panY } = this.viewport();
    const p = this.palette;
    const bg = p.background;
    target.setTransform(scale * zoom, 0, 0, scale * zoom, scale * panX, scale * panY);
    // Visible model rectangle, for culling.
    const x1 = -panX / zoom;
    const y1 = -panY / zoom;
    const x2 = x1 + this.cssW / zoom;
    const y2 = y1 + this.cssH / zoom;
    const { scene } = st;
    const nodes = scene.nodes;

    // Expanded scopes under everything else, outermost first (hulls are sorted that way).
    if (st.hulls.length) {
      const scopeFill = opaque(p.kinds.scope.fill, bg);
      target.font = `${HULL_LABEL_SIZE}px ${p.monoFamily}`;
      target.textBaseline = 'top';
      target.lineWidth = 1 / zoom;
      target.setLineDash([4 / zoom, 3 / zoom]);
      for (const hull of st.hulls) {
        if (hull.x2 < x1 || hull.x1 > x2 || hull.y2 < y1 || hull.y1 > y2) continue;
        target.globalAlpha = 0.35;
        target.fillStyle = scopeFill;
        target.fillRect(hull.x1, hull.y1, hull.x2 - hull.x1, hull.y2 - hull.y1);
        target.globalAlpha = 1;
        target.strokeStyle = opaque(p.kinds.scope.border, bg);
        target.strokeRect(hull.x1, hull.y1, hull.x2 - hull.x1, hull.y2 - hull.y1);
        if (zoom * HULL_LABEL_SIZE >= 6) {
          target.fillStyle = opaque(p.muted, bg);
          target.fillText(`▾ ${hull.label}`, hull.x1 + 4, hull.y1 + 2);
        }
      }
      target.setLineDash([]);
    }

    const edgeColor = opaque(p.edge, bg);
    target.lineCap = 'round';
    for (let j = 0; j < scene.edges.length; j++) {
      if (st.materializedEdges[j]) continue;
      const e = scene.edges[j];
      const s = nodes[e.source];
      const t = nodes[e.target];
      if (Math.max(s.x, t.x) < x1 || Math.min(s.x, t.x) > x2 || Math.max(s.y, t.y) < y1 || Math.min(s.y, t.y) > y2) continue;
      const f = st.edgeFlags[j];
      target.globalAlpha = f & EDGE_FLAG.dim ? 0.22 : 1;
      target.strokeStyle = f & EDGE_FLAG.rflow ? p.replay : f & EDGE_FLAG.hl ? p.selection : (st.edgeColor?.[j] ?? edgeColor);
      target.lineWidth = Math.max(st.edgeWidth ? st.edgeWidth[j] : 1.4, 0.6 / zoom);
      target.beginPath();
      target.moveTo(s.x, s.y);
      for (let k = 0; k < e.route.length; k += 2) target.lineTo(e.route[k], e.route[k + 1]);
      target.lineTo(t.x, t.y);
      target.stroke();
    }
    target.globalAlpha = 1;
    const minStroke = 1 / zoom;
    const fill = {} as Record<string, string>;
    const border = {} as Record<string, string>;
    for (const [kind, k] of Object.entries(p.kinds)) {
      fill[kind] = opaque(k.fill, bg);
      border[kind] = opaque(k.border, bg);
    }
    for (let i = 0; i < nodes.length; i++) {
      if (st.materializedNodes[i]) continue;
      const s = nodes[i];
      if (s.x + s.w / 2 < x1 || s.x - s.w / 2 > x2 || s.y + s.h / 2 < y1 || s.y - s.h / 2 > y2) continue;
      const f = st.nodeFlags[i];
      target.globalAlpha = f & NODE_FLAG.dim ? 0.22 : f & NODE_FLAG.rpend ? 0.35 : 1;
      if (f & (NODE_FLAG.match | NODE_FLAG.sel | NODE_FLAG.rcur | NODE_FLAG.linked)) {
        target.fillStyle = f & NODE_FLAG.sel ? p.selection : f & NODE_FLAG.rcur ? p.replay : f & NODE_FLAG.linked ? p.linked : p.match;
        const pad = 6;
        target.fillRect(s.x - s.w / 2 - pad, s.y - s.h / 2 - pad, s.w + 2 * pad, s.h + 2 * pad);
      }
      target.fillStyle = fill[s.kind];
      target.fillRect(s.x - s.w / 2, s.y - s.h / 2, s.w, s.h);
      target.strokeStyle = border[s.kind];
      target.lineWidth = minStroke;
      target.strokeRect(s.x - s.w / 2, s.y - s.h / 2, s.w, s.h);
    }
    target.globalAlpha = 1;
    const hits = onScreen ? new LossMarkerHits(scene) : null;
    this.drawLossMarkers(target, scale, zoom, panX, panY, scene, fill.root, border.root, hits);
    if (onScreen) this.markerHits = hits;
  }

  /**
   * Zoomed out until labels are hidden (a graph fitted into a small panel), the losses would be
   * anonymous boxes, and once nodes are specks they would vanish: they keep their name under them and
   * a box of visible size, drawn in screen units.
   */
  private drawLossMarkers(target: CanvasRenderingContext2D, scale: number, zoom: number, panX: number, panY: number, scene: Scene, fill: string, border: string, hits: LossMarkerHits | null): void {
    if (cyDrawsLabels(zoom, window.devicePixelRatio || 1)) return;
    const p = this.palette;
    target.setTransform(scale, 0, 0, scale, 0, 0);
    target.font = `${LOSS_MARKER_FONT}px ${p.monoFamily}`;
    target.textBaseline = 'top';
    target.textAlign = 'center';
    target.lineJoin = 'round';
    // Names already drawn (screen rectangles): a name that would overlap one moves a line down.
    const taken: [number, number, number, number][] = [];
    for (let i = 0; i < scene.nodes.length; i++) {
      const s = scene.nodes[i];
      if (s.kind !== 'root') continue;
      const cx = panX + s.x * zoom;
      const cy = panY + s.y * zoom;
      if (cx < -LOSS_MARKER_MIN_WIDTH || cy < -LOSS_MARKER_MIN_HEIGHT || cx > this.cssW + LOSS_MARKER_MIN_WIDTH || cy > this.cssH + LOSS_MARKER_MIN_HEIGHT) continue;
      const w = Math.max(s.w * zoom, LOSS_MARKER_MIN_WIDTH);
      const h = Math.max(s.h * zoom, LOSS_MARKER_MIN_HEIGHT);
      target.fillStyle = fill;
      target.fillRect(cx - w / 2, cy - h / 2, w, h);
      target.strokeStyle = border;
      target.lineWidth = 1.5;
      target.strokeRect(cx - w / 2, cy - h / 2, w, h);
      // The whole label if the panel is wide enough, else its last line (the variable and shape: "loss ()").
      let label = s.lines.join(' ');
      if (target.measureText(label).width > this.cssW - 2 * LOSS_LABEL_MARGIN) label = s.lines[s.lines.length - 1] ?? label;
      const half = target.measureText(label).width / 2;
      // Kept inside the panel: a loss near an edge still shows its whole name.
      const x = Math.max(LOSS_LABEL_MARGIN + half, Math.min(this.cssW - LOSS_LABEL_MARGIN - half, cx));
      let top = cy + h / 2 + 2;
      const clash = (): boolean => taken.some(([x1, y1, x2, y2]) => x - half < x2 && x + half > x1 && top < y2 && top + LOSS_MARKER_FONT + 2 > y1);
      for (let tries = 0; tries < 8 && clash(); tries++) top += LOSS_MARKER_FONT + 2;
      taken.push([x - half, top, x + half, top + LOSS_MARKER_FONT + 2]);
      hits?.add(i, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
      hits?.add(i, x - half, top, x + half, top + LOSS_MARKER_FONT + 2);
      // A halo in the background colour keeps the name readable over edges and boxes.
      target.lineWidth = 3;
      target.strokeStyle = p.background;
      target.strokeText(label, x, top);
      target.fillStyle = p.foreground;
      target.fillText(label, x, top);
    }
    target.textAlign = 'start';
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.canvas.remove();
  }
}
