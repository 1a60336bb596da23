/**
 * The graph canvas: Cytoscape for the readable, interactive elements plus the overview layer for the
 * rest (see NOTE [Level of detail] in overview.ts). Positions come from the layered layout and are
 * handed over as-is (`preset`); states (selection, search, replay ...) are per-element flags shown as
 * classes, set in batches.
 */
import cytoscape from 'cytoscape';
import { cyStylesheet } from './cyStyle';
import { EDGE_FLAG, HULL_LABEL_HEIGHT, NODE_FLAG, OverviewRenderer, type Hull, type OverviewState } from './overview';
import type { Palette } from './palette';
import type { Scene } from './scene';
import { SpatialGrid } from './spatialGrid';

export type NodeFlagName = keyof typeof NODE_FLAG;
export type EdgeFlagName = keyof typeof EDGE_FLAG;

/** Scenes up to this many elements (nodes + edges) go to Cytoscape whole. */
export const FULL_SCENE_LIMIT = 1600;
/** In windowed mode, at most this many nodes around the viewport are given to Cytoscape. */
export const WINDOW_NODE_LIMIT = 450;
const MIN_READABLE_ZOOM = 0.45;
const MAX_ZOOM = 4;
/**
 * How far out the user may zoom, unless the graph needs more to fit: a 50,000-node graph is over a
 * million model units tall, and a floor under its fitting zoom would leave most of it (and its loss)
 * off screen.
 */
const MIN_ZOOM = 1e-3;
/** A click this close (screen px) to a node's box selects it: zoomed out, boxes are specks. */
const HIT_SLOP = 4;
/** Fitting never zooms in past this: a three-node graph should not fill the screen with giant boxes. */
const MAX_FIT_ZOOM = 1.4;
/** Screen pixels kept free around a fitted graph. */
const FIT_PADDING = 24;
const FIT_NAME_ROOM = 16;

const NODE_CLASS: Record<NodeFlagName, string> = {
  sel: 'sel',
  match: 'match',
  matchCurrent: 'match-current',
  dim: 'dim',
  linked: 'linked',
  rcur: 'rcur',
  rdone: 'rdone',
  rpend: 'rpend',
};
const EDGE_CLASS: Record<EdgeFlagName, string> = { hl: 'hl', rflow: 'rflow', dim: 'dim' };

export interface GraphViewEvents {
  /** A node or box was clicked (canvas element or overview box). */
  nodeTap(sceneIndex: number): void;
  edgeTap(sceneEdge: number): void;
  backgroundTap(): void;
  /** The name strip of an expanded scope's frame was clicked. */
  hullTap(key: string): void;
  hover(sceneIndex: number, clientX: number, clientY: number): void;
}

export interface GradientFlowStyle {
  color: string[];
  width: Float64Array;
  vanishing: Uint8Array;
}

export interface ClientRect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface ViewportState {
  zoom: number;
  pan: { x: number; y: number };
}

export class GraphView {
  readonly cy: cytoscape.Core;
  private readonly overview: OverviewRenderer;
  private scene: Scene | null = null;
  private grid: SpatialGrid | null = null;
  private incident: number[][] = [];
  private nodeFlags = new Uint16Array(0);
  private edgeFlags = new Uint8Array(0);
  private matNodes = new Uint8Array(0);
  private matEdges = new Uint8Array(0);
  private readonly flagMembers = new Map<NodeFlagName, number[]>();
  private readonly edgeFlagMembers = new Map<EdgeFlagName, number[]>();
  private flow: GradientFlowStyle | null = null;
  private hulls: readonly Hull[] = [];
  private windowed = false;
  private syncTimer = 0;
  private palette: Palette;
  private readonly resizeObserver: ResizeObserver;
  /**
   * NOTE [Fit until the user moves]: a new graph is fitted, and refitted when the panel is resized,
   * until the user pans or zooms (or a selection is brought into view); "Fit" hands control back.
   * Viewport changes the view makes itself are counted in `ownViewportChanges` so they do not count
   * as the user's.
   */
  private userMoved = false;
  private ownViewportChanges = 0;

  constructor(
    private readonly host: HTMLElement,
    palette: Palette,
    private readonly events: GraphViewEvents,
  ) {
    this.palette = palette;
    const cyContainer = document.createElement('div');
    cyContainer.className = 'gs-cy';
    this.overview = new OverviewRenderer(host, palette, () => ({ zoom: this.cy.zoom(), panX: this.cy.pan().x, panY: this.cy.pan().y }), () => this.overviewState());
    host.appendChild(cyContainer);
    this.cy = cytoscape({
      container: cyContainer,
      style: cyStylesheet(palette),
      layout: { name: 'preset' },
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      // NOTE: selection is the page's own state (one node, synchronised with the outline and the host);
      // Cytoscape's selection and box selection would be a second, conflicting one.
      autounselectify: true,
      boxSelectionEnabled: false,
      autoungrabify: true,
      hideEdgesOnViewport: false,
      textureOnViewport: false,
      pixelRatio: 'auto',
    });
    this.cy.on('tap', (e) => {
      const t = e.target as cytoscape.Core | cytoscape.SingularElementReturnValue;
      if (t === this.cy) {
        const hit = this.nodeAt(e.position, e.renderedPosition);
        const hull = hit < 0 ? this.hullLabelAt(e.position.x, e.position.y) : null;
        if (hit >= 0) this.events.nodeTap(hit);
        else if (hull) this.events.hullTap(hull.key);
        else this.events.backgroundTap();
        return;
      }
      const el = t as cytoscape.SingularElementReturnValue;
      const si = el.data('si') as number | undefined;
      if (si !== undefined) this.events.nodeTap(si);
      else this.events.edgeTap(el.data('sj') as number);
    });
    this.cy.on('mouseover', 'node', (e) => {
      const oe = e.originalEvent as MouseEvent | undefined;
      this.events.hover(e.target.data('si') as number, oe?.clientX ?? 0, oe?.clientY ?? 0);
    });
    this.cy.on('mouseout', 'node', () => this.events.hover(-1, 0, 0));
    this.cy.on('viewport', () => {
      if (this.ownViewportChanges === 0) this.userMoved = true;
      this.events.hover(-1, 0, 0);
      this.overview.request();
      this.scheduleSync();
    });
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(host);
    this.resize();
  }

  /**
   * What a click on the background (no Cytoscape element there) is on: a loss marker as drawn by the
   * overview layer, else the node nearest to it within HIT_SLOP screen pixels (one drawn by the
   * overview layer, or a Cytoscape one too small to be hit). The grid keeps this local: no walk over
   * every node per click.
   */
  private nodeAt(model: cytoscape.Position, rendered: cytoscape.Position): number {
    if (!this.scene || !this.grid) return -1;
    const marker = this.overview.lossMarkerAt(rendered.x, rendered.y, this.scene);
    if (marker >= 0) return marker;
    return this.grid.nearest(model.x, model.y, HIT_SLOP / this.cy.zoom());
  }

  private resize(): void {
    const r = this.host.getBoundingClientRect();
    this.overview.resize(r.width, r.height);
    this.applyViewport(() => this.cy.resize());
    this.updateMinZoom();
    if (this.scene && !this.userMoved) this.fit();
    this.scheduleSync();
  }

  /** Runs a viewport change of the view's own (not the user's; NOTE [Fit until the user moves]). */
  private applyViewport(change: () => void): void {
    this.ownViewportChanges++;
    try {
      change();
    } finally {
      this.ownViewportChanges--;
    }
  }

  /** Whether the user has panned or zoomed since the last fit. */
  get hasUserViewport(): boolean {
    return this.userMoved;
  }

  private overviewState(): OverviewState | null {
    if (!this.scene) return null;
    return {
      scene: this.scene,
      hulls: this.hulls,
      materializedNodes: this.matNodes,
      materializedEdges: this.matEdges,
      nodeFlags: this.nodeFlags,
      edgeFlags: this.edgeFlags,
      edgeColor: this.flow?.color ?? null,
      edgeWidth: this.flow?.width ?? null,
    };
  }

  get isWindowed(): boolean {
    return this.windowed;
  }

  get sceneValue(): Scene | null {
    return this.scene;
  }

  /** The frames of expanded scopes (drawn by the overview layer, under the nodes). */
  setHulls(hulls: readonly Hull[]): void {
    this.hulls = hulls;
    this.overview.request();
  }

  /** The innermost hull whose name strip contains the point. */
  private hullLabelAt(x: number, y: number): Hull | null {
    let found: Hull | null = null;
    for (const h of this.hulls) if (x >= h.x1 && x <= h.x2 && y >= h.y1 && y <= h.y1 + HULL_LABEL_HEIGHT) found = h;
    return found;
  }

  /** Client coordinates of a hull's name strip (tests, tools). */
  hullLabelPoint(key: string): { x: number; y: number } | null {
    const h = this.hulls.find((x) => x.key === key);
    const rect = this.cy.container()?.getBoundingClientRect();
    if (!h || !rect) return null;
    const z = this.cy.zoom();
    const p = this.cy.pan();
    return { x: rect.left + p.x + (h.x1 + 10) * z, y: rect.top + p.y + (h.y1 + HULL_LABEL_HEIGHT / 2) * z };
  }

  setPalette(p: Palette): void {
    this.palette = p;
    this.cy.style(cyStylesheet(p));
    this.overview.setPalette(p);
  }

  /**
   * Shows a laid-out scene. Flags are reset (the caller re-applies its states); `viewport`: keep this
   * viewport, if the user chose it, instead of fitting the scene. Resolves once the first frame is on screen.
   */
  setScene(scene: Scene, viewport: ViewportState | null): Promise<void> {
    this.scene = scene;
    const n = scene.nodes.length;
    const m = scene.edges.length;
    this.nodeFlags = new Uint16Array(n);
    this.edgeFlags = new Uint8Array(m);
    this.matNodes = new Uint8Array(n);
    this.matEdges = new Uint8Array(m);
    this.flagMembers.clear();
    this.edgeFlagMembers.clear();
    this.flow = null;
    this.hulls = [];
    this.incident = Array.from({ length: n }, () => []);
    scene.edges.forEach((e, j) => {
      this.incident[e.source].push(j);
      this.incident[e.target].push(j);
    });
    this.grid = new SpatialGrid(
      Float64Array.from(scene.nodes, (s) => s.x),
      Float64Array.from(scene.nodes, (s) => s.y),
      Float64Array.from(scene.nodes, (s) => s.w / 2),
      Float64Array.from(scene.nodes, (s) => s.h / 2),
      400,
      scene.width,
    );
    this.windowed = n + m > FULL_SCENE_LIMIT;
    this.cy.batch(() => {
      this.cy.elements().remove();
    });
    this.updateMinZoom();
    if (viewport && this.userMoved) this.applyViewport(() => this.cy.viewport(viewport));
    else this.fit();
    if (!this.windowed) {
      this.matNodes.fill(1);
      this.matEdges.fill(1);
      const defs: cytoscape.ElementDefinition[] = [];
      for (let i = 0; i < n; i++) defs.push(this.nodeDef(i));
      for (let j = 0; j < m; j++) defs.push(this.edgeDef(j));
      this.cy.batch(() => this.cy.add(defs));
    } else {
      this.syncWindow();
    }
    this.overview.request();
    return this.nextFrame();
  }

  /** Resolves after the next painted frame. */
  nextFrame(): Promise<void> {
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  }

  private nodeClasses(i: number): string {
    const s = this.scene as Scene;
    let c = `k-${s.nodes[i].kind}`;
    const f = this.nodeFlags[i];
    if (f) for (const k of Object.keys(NODE_FLAG) as NodeFlagName[]) if (f & NODE_FLAG[k]) c += ` ${NODE_CLASS[k]}`;
    return c;
  }

  private edgeClasses(j: number): string {
    const s = this.scene as Scene;
    const parts: string[] = [];
    if (s.edges[j].route.length) parts.push('routed');
    if (this.flow) {
      parts.push('gflow');
      if (this.flow.vanishing[j]) parts.push('gvanish');
    }
    const f = this.edgeFlags[j];
    if (f) for (const k of Object.keys(EDGE_FLAG) as EdgeFlagName[]) if (f & EDGE_FLAG[k]) parts.push(EDGE_CLASS[k]);
    return parts.join(' ');
  }

  private nodeDef(i: number): cytoscape.ElementDefinition {
    const s = (this.scene as Scene).nodes[i];
    return { group: 'nodes', data: { id: `n${i}`, si: i, label: s.lines.join('\n'), w: s.w, h: s.h }, position: { x: s.x, y: s.y }, classes: this.nodeClasses(i) };
  }

  private edgeDef(j: number): cytoscape.ElementDefinition {
    const scene = this.scene as Scene;
    const e = scene.edges[j];
    const data: Record<string, unknown> = { id: `e${j}`, sj: j, source: `n${e.source}`, target: `n${e.target}` };
    if (e.route.length) {
      // Bend points as Cytoscape's segment weights (along source → target) and distances (perpendicular).
      const s = scene.nodes[e.source];
      const t = scene.nodes[e.target];
      const dx = t.x - s.x;
      const dy = t.y - s.y;
      const len2 = dx * dx + dy * dy || 1;
      const len = Math.sqrt(len2);
      const sw: number[] = [];
      const sd: number[] = [];
      for (let k = 0; k < e.route.length; k += 2) {
        const px = e.route[k] - s.x;
        const py = e.route[k + 1] - s.y;
        sw.push((px * dx + py * dy) / len2);
        sd.push((px * -dy + py * dx) / len);
      }
      data.sw = sw;
      data.sd = sd;
    }
    if (this.flow) {
      data.gc = this.flow.color[j];
      data.gw = this.flow.width[j];
    }
    return { group: 'edges', data, classes: this.edgeClasses(j) };
  }

  /**
   * The whole scene in view, centred, with padding. However small that makes the nodes: the overview
   * layer then draws them as boxes and keeps the losses marked and named (NOTE [Level of detail]).
   */
  fit(): void {
    const scene = this.scene;
    this.userMoved = false;
    if (!scene) return;
    const { zoom, W, H, pad, padBottom } = this.fitting(scene);
    this.applyViewport(() => this.cy.viewport({ zoom, pan: { x: W / 2 - (scene.width / 2) * zoom, y: pad + (H - pad - padBottom) / 2 - (scene.height / 2) * zoom } }));
  }

  /** The zoom that shows all of the scene in the panel, and the room kept around it. */
  private fitting(scene: Scene): { zoom: number; W: number; H: number; pad: number; padBottom: number } {
    const W = this.cy.width() || 800;
    const H = this.cy.height() || 600;
    const pad = Math.min(FIT_PADDING, W / 8, H / 8);
    // Under the losses, the room their names take when labels are hidden (overview.ts).
    const padBottom = pad + Math.min(FIT_NAME_ROOM, H / 8);
    const zoom = Math.min(MAX_FIT_ZOOM, Math.max(1, W - 2 * pad) / Math.max(1, scene.width), Math.max(1, H - pad - padBottom) / Math.max(1, scene.height));
    return { zoom, W, H, pad, padBottom };
  }

  /** Lowers Cytoscape's zoom floor to the scene's fitting zoom when MIN_ZOOM would not show it all. */
  private updateMinZoom(): void {
    this.cy.minZoom(this.scene ? Math.min(MIN_ZOOM, this.fitting(this.scene).zoom) : MIN_ZOOM);
  }

  zoomBy(factor: number): void {
    const W = this.cy.width();
    const H = this.cy.height();
    this.userMoved = true;
    this.applyViewport(() => this.cy.zoom({ level: Math.max(this.cy.minZoom(), Math.min(MAX_ZOOM, this.cy.zoom() * factor)), renderedPosition: { x: W / 2, y: H / 2 } }));
  }

  /** Brings nodes into view (centre on them; zoom in when too small to read). */
  reveal(indices: number[]): void {
    const scene = this.scene;
    if (!scene || indices.length === 0) return;
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (const i of indices) {
      const s = scene.nodes[i];
      x1 = Math.min(x1, s.x - s.w / 2);
      y1 = Math.min(y1, s.y - s.h / 2);
      x2 = Math.max(x2, s.x + s.w / 2);
      y2 = Math.max(y2, s.y + s.h / 2);
    }
    const ext = this.cy.extent();
    const zoom = this.cy.zoom();
    const inside = x1 >= ext.x1 && x2 <= ext.x2 && y1 >= ext.y1 && y2 <= ext.y2;
    if (inside && zoom >= MIN_READABLE_ZOOM) return;
    const W = this.cy.width();
    const H = this.cy.height();
    let z = zoom < MIN_READABLE_ZOOM ? 0.9 : zoom;
    z = Math.min(z, (W - 40) / Math.max(1, x2 - x1), (H - 40) / Math.max(1, y2 - y1));
    z = Math.max(this.cy.minZoom(), Math.min(MAX_ZOOM, z));
    // The view moved to what the user asked to see: keep it when the panel is resized.
    this.userMoved = true;
    this.applyViewport(() => this.cy.viewport({ zoom: z, pan: { x: W / 2 - ((x1 + x2) / 2) * z, y: H / 2 - ((y1 + y2) / 2) * z } }));
  }

  viewport(): ViewportState {
    return { zoom: this.cy.zoom(), pan: { ...this.cy.pan() } };
  }

  /** Client (page) rectangles of every scene node and expanded-scope frame, and the canvas's (tests, tools). */
  clientGeometry(): { canvas: ClientRect; nodes: ClientRect[]; hulls: (ClientRect & { key: string })[] } | null {
    const scene = this.scene;
    const rect = this.cy.container()?.getBoundingClientRect();
    if (!scene || !rect) return null;
    const z = this.cy.zoom();
    const p = this.cy.pan();
    const box = (x1: number, y1: number, x2: number, y2: number): ClientRect => ({ x1: rect.left + p.x + x1 * z, y1: rect.top + p.y + y1 * z, x2: rect.left + p.x + x2 * z, y2: rect.top + p.y + y2 * z });
    return {
      canvas: { x1: rect.left, y1: rect.top, x2: rect.right, y2: rect.bottom },
      nodes: scene.nodes.map((s) => box(s.x - s.w / 2, s.y - s.h / 2, s.x + s.w / 2, s.y + s.h / 2)),
      hulls: this.hulls.map((h) => ({ key: h.key, ...box(h.x1, h.y1, h.x2, h.y2) })),
    };
  }

  /** Client (page) coordinates of a node's centre. */
  clientPoint(i: number): { x: number; y: number } | null {
    const s = this.scene?.nodes[i];
    if (!s) return null;
    const rect = this.cy.container()?.getBoundingClientRect();
    if (!rect) return null;
    const z = this.cy.zoom();
    const p = this.cy.pan();
    return { x: rect.left + p.x + s.x * z, y: rect.top + p.y + s.y * z };
  }

  /** Replaces the set of nodes carrying a flag. */
  setNodeFlag(flag: NodeFlagName, indices: Iterable<number>): void {
    this.refreshNodes(replaceFlagMembers(this.nodeFlags, this.flagMembers, flag, NODE_FLAG[flag], indices));
  }

  setEdgeFlag(flag: EdgeFlagName, indices: Iterable<number>): void {
    const changed = replaceFlagMembers(this.edgeFlags, this.edgeFlagMembers, flag, EDGE_FLAG[flag], indices);
    this.cy.batch(() => {
      for (const j of changed) if (this.matEdges[j]) this.cy.getElementById(`e${j}`).classes(this.edgeClasses(j));
    });
    this.overview.request();
  }

  private refreshNodes(changed: Iterable<number>): void {
    let pinChanged = false;
    this.cy.batch(() => {
      for (const i of changed) {
        if (this.matNodes[i]) this.cy.getElementById(`n${i}`).classes(this.nodeClasses(i));
        else if (this.windowed && this.isPinned(i)) pinChanged = true;
      }
    });
    if (pinChanged) this.syncWindow();
    this.overview.request();
  }

  setGradientFlow(flow: GradientFlowStyle | null): void {
    this.flow = flow;
    this.cy.batch(() => {
      this.cy.edges().forEach((e) => {
        const j = e.data('sj') as number;
        if (flow) e.data({ gc: flow.color[j], gw: flow.width[j] });
        e.classes(this.edgeClasses(j));
      });
    });
    this.overview.request();
  }

  /** Pinned nodes stay in Cytoscape whatever the viewport: they carry the states users look for. */
  private isPinned(i: number): boolean {
    return (this.nodeFlags[i] & (NODE_FLAG.sel | NODE_FLAG.rcur | NODE_FLAG.matchCurrent | NODE_FLAG.linked)) !== 0;
  }

  private scheduleSync(): void {
    if (!this.windowed) return;
    clearTimeout(this.syncTimer);
    this.syncTimer = window.setTimeout(() => this.syncWindow(), 140);
  }

  /** Windowed mode: give Cytoscape the nodes around the viewport (and the pinned ones), take back the rest. */
  private syncWindow(): void {
    const scene = this.scene;
    if (!scene || !this.windowed || !this.grid) return;
    const ext = this.cy.extent();
    const margin = 0.25 * Math.max(ext.w, ext.h);
    let around = this.grid.inRect(ext.x1 - margin, ext.y1 - margin, ext.x2 + margin, ext.y2 + margin, WINDOW_NODE_LIMIT);
    if (around.length > WINDOW_NODE_LIMIT) {
      // Too many to read at this zoom: the overview draws them; keep only what is pinned.
      around = this.grid.inRect(ext.x1, ext.y1, ext.x2, ext.y2, WINDOW_NODE_LIMIT);
      if (around.length > WINDOW_NODE_LIMIT) around = [];
    }
    const wantNodes = new Uint8Array(scene.nodes.length);
    for (const i of around) wantNodes[i] = 1;
    for (const [flag, members] of this.flagMembers) {
      if (flag === 'sel' || flag === 'rcur' || flag === 'matchCurrent' || flag === 'linked') for (const i of members) wantNodes[i] = 1;
    }
    const wantEdges = new Uint8Array(scene.edges.length);
    for (let i = 0; i < wantNodes.length; i++) {
      if (!wantNodes[i]) continue;
      for (const j of this.incident[i]) {
        const e = scene.edges[j];
        if (wantNodes[e.source] && wantNodes[e.target]) wantEdges[j] = 1;
      }
    }
    const add: cytoscape.ElementDefinition[] = [];
    const removeIds: string[] = [];
    for (let j = 0; j < wantEdges.length; j++) {
      if (this.matEdges[j] && !wantEdges[j]) removeIds.push(`e${j}`);
    }
    for (let i = 0; i < wantNodes.length; i++) {
      if (this.matNodes[i] && !wantNodes[i]) removeIds.push(`n${i}`);
      else if (!this.matNodes[i] && wantNodes[i]) add.push(this.nodeDef(i));
    }
    for (let j = 0; j < wantEdges.length; j++) if (!this.matEdges[j] && wantEdges[j]) add.push(this.edgeDef(j));
    if (add.length || removeIds.length) {
      this.cy.batch(() => {
        for (const id of removeIds) this.cy.getElementById(id).remove();
        if (add.length) this.cy.add(add);
      });
    }
    this.matNodes = wantNodes;
    this.matEdges = wantEdges;
    this.overview.request();
  }

  flagsForExport(): { nodeFlags: Uint16Array; edgeFlags: Uint8Array } {
    return { nodeFlags: this.nodeFlags, edgeFlags: this.edgeFlags };
  }

  /** The current view as PNG (base64, no prefix): the overview layer under Cytoscape's image. */
  async pngBase64(scale = 2): Promise<string> {
    const W = Math.max(1, Math.round(this.cy.width()));
    const H = Math.max(1, Math.round(this.cy.height()));
    const canvas = document.createElement('canvas');
    canvas.width = W * scale;
    canvas.height = H * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    this.overview.draw(ctx, scale);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (this.cy.elements().length) {
      const blob = await this.cy.png({ output: 'blob-promise', full: false, scale, bg: 'rgba(0,0,0,0)' });
      const bitmap = await createImageBitmap(blob);
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
    }
    const url = canvas.toDataURL('image/png');
    return url.slice(url.indexOf(',') + 1);
  }

  destroy(): void {
    clearTimeout(this.syncTimer);
    this.resizeObserver.disconnect();
    this.overview.dispose();
    this.cy.destroy();
  }
}

/**
 * Moves flag `bit` from its previous members (`members.get(flag)`) to `indices` (out-of-range ones
 * ignored) and returns every index whose flags changed.
 */
function replaceFlagMembers<F>(flags: Uint8Array | Uint16Array, members: Map<F, number[]>, flag: F, bit: number,
  indices: Iterable<number>): Set<number> {
  const changed = new Set<number>();
  for (const i of members.get(flag) ?? []) {
    flags[i] &= ~bit;
    changed.add(i);
  }
  const now: number[] = [];
  for (const i of indices) {
    if (i < 0 || i >= flags.length) continue;
    flags[i] |= bit;
    now.push(i);
    changed.add(i);
  }
  members.set(flag, now);
  return changed;
}
