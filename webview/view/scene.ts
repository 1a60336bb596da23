/**
 * The scene: what the canvas draws, with sizes measured and positions from the layout. One entry per
 * visible item (node or collapsed box) and per visible edge; indices are the visible graph's.
 */
import type { GraphModel } from '../model/graphModel';
import type { ScopeInstance } from '../model/scopes';
import type { VisibleGraph } from '../model/visibleGraph';
import type { LayoutClusters } from '../layout/clustered';
import type { LayoutInput, LayoutResult } from '../layout/layered';
import { plural, shapeText } from '../util/format';
import type { NodeKindStyle } from './palette';

export interface SceneNode {
  kind: NodeKindStyle;
  lines: string[];
  w: number;
  h: number;
  x: number;
  y: number;
  /** Model node index, or -1 for a collapsed box. */
  node: number;
  /** The box's scope key (null for nodes). */
  scopeKey: string | null;
}

export interface SceneEdge {
  source: number;
  target: number;
  modelEdges: number[];
  /** Bend points (x0, y0, x1, y1 ...) through the layout's dummy nodes. */
  route: number[];
}

export interface Scene {
  nodes: SceneNode[];
  edges: SceneEdge[];
  width: number;
  height: number;
}

export const LABEL_FONT_SIZE = 11;
export const LINE_HEIGHT = 14;
const PAD_X = 9;
const PAD_Y = 6;

export function nodeKindStyle(model: GraphModel, i: number): NodeKindStyle {
  const node = model.nodes[i];
  if (node.isRoot || model.roots.includes(i)) return 'root';
  return node.kind;
}

/** Label lines: the op as PyTorch names it, then the variable and the shape (torchviz's `(5, 3)`). */
export function nodeLines(model: GraphModel, i: number): string[] {
  const node = model.nodes[i];
  const shape = shapeText(node.tensor.shape);
  if (node.kind === 'op') return [node.label, node.varName ? `${node.varName} ${shape}` : shape];
  return [node.varName ?? node.label, shape];
}

/** Plain-text summary of a scene node, for tooltips and the SVG export (made on demand). */
export function sceneNodeTitle(model: GraphModel, s: SceneNode): string {
  if (s.node >= 0) return nodeTitle(model, s.node);
  const scope = s.scopeKey ? model.scopes.byKey.get(s.scopeKey) : undefined;
  return scope ? `${scope.label}: collapsed scope with ${plural(scope.size, 'node')}` : s.lines.join(' ');
}

export function nodeTitle(model: GraphModel, i: number): string {
  const node = model.nodes[i];
  const parts = [node.label];
  if (node.varName && node.varName !== node.label) parts.push(node.varName);
  parts.push(`${node.kind}, ${node.tensor.dtype} ${shapeText(node.tensor.shape)}`);
  if (node.op) parts.push(`op: ${node.op}`);
  return parts.join(' · ');
}

export function scopeLines(model: GraphModel, scope: ScopeInstance): string[] {
  const gradFn = model.scopeInfo(scope.name)?.gradFn;
  const size = plural(scope.size, 'node');
  return gradFn ? [gradFn, `▸ ${scope.label} · ${size}`] : [`▸ ${scope.label}`, size];
}

/**
 * Measures label widths with the canvas font the graph uses. Labels are in the editor's (monospace)
 * font, so when the font is monospace a width is a sum of per-character widths, cached per character:
 * thousands of distinct labels cost no `measureText` call each.
 */
export class LabelMeasurer {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly charWidth = new Map<string, number>();
  private readonly textWidth = new Map<string, number>();
  private readonly monospace: boolean;
  constructor(fontFamily: string) {
    const canvas = document.createElement('canvas');
    this.ctx = canvas.getContext('2d');
    if (this.ctx) this.ctx.font = `${LABEL_FONT_SIZE}px ${fontFamily}`;
    this.monospace = this.ctx !== null && Math.abs(this.ctx.measureText('iiiiiiiiii').width - this.ctx.measureText('WWWWWWWWWW').width) < 0.01;
  }
  width(text: string): number {
    if (!this.ctx) return text.length * LABEL_FONT_SIZE * 0.62;
    if (this.monospace) {
      let w = 0;
      for (const ch of text) {
        let c = this.charWidth.get(ch);
        if (c === undefined) this.charWidth.set(ch, (c = this.ctx.measureText(ch).width));
        w += c;
      }
      return w;
    }
    let w = this.textWidth.get(text);
    if (w === undefined) this.textWidth.set(text, (w = this.ctx.measureText(text).width));
    return w;
  }
}

export function buildScene(model: GraphModel, visible: VisibleGraph, measure: LabelMeasurer): Scene {
  const nodes: SceneNode[] = visible.items.map((item) => {
    let lines: string[];
    let node = -1;
    let scopeKey: string | null = null;
    let kind: NodeKindStyle;
    if (item.kind === 'node') {
      node = item.node;
      lines = nodeLines(model, node);
      kind = nodeKindStyle(model, node);
    } else {
      lines = scopeLines(model, item.scope);
      kind = item.nodes.some((i) => model.roots.includes(i)) ? 'root' : 'scope';
      scopeKey = item.scope.key;
    }
    const w = Math.ceil(Math.max(...lines.map((l) => measure.width(l)))) + 2 * PAD_X;
    const h = lines.length * LINE_HEIGHT + 2 * PAD_Y;
    return { kind, lines, w, h, x: 0, y: 0, node, scopeKey };
  });
  const edges: SceneEdge[] = visible.edges.map((e) => ({ source: e.source, target: e.target, modelEdges: e.edges, route: [] }));
  return { nodes, edges, width: 0, height: 0 };
}

export function layoutInputOf(scene: Scene, model: GraphModel, visible: VisibleGraph, clusters?: LayoutClusters): LayoutInput {
  const n = scene.nodes.length;
  const roots = new Set<number>();
  for (const r of model.roots) if (visible.itemOfNode[r] >= 0) roots.add(visible.itemOfNode[r]);
  return {
    n,
    widths: Float64Array.from(scene.nodes, (s) => s.w),
    heights: Float64Array.from(scene.nodes, (s) => s.h),
    edgeSources: Int32Array.from(scene.edges, (e) => e.source),
    edgeTargets: Int32Array.from(scene.edges, (e) => e.target),
    roots: Int32Array.from(roots),
    clusters,
  };
}

export function applyLayout(scene: Scene, layout: LayoutResult): void {
  scene.nodes.forEach((s, i) => {
    s.x = layout.x[i];
    s.y = layout.y[i];
  });
  scene.edges.forEach((e, i) => {
    const route: number[] = [];
    for (let k = layout.routeStart[i]; k < layout.routeStart[i + 1]; k++) route.push(layout.routeX[k], layout.routeY[k]);
    e.route = route;
  });
  scene.width = layout.width;
  scene.height = layout.height;
}
