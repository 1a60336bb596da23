/**
 * Frames around expanded scopes: each encloses its visible nodes and the frames of its expanded
 * children (so nested scopes nest), with room for its name on top. Outermost first (drawing order).
 */
import type { GraphModel } from '../model/graphModel';
import type { ScopeInstance } from '../model/scopes';
import type { VisibleGraph } from '../model/visibleGraph';
import { HULL_LABEL_HEIGHT, HULL_LABEL_SIZE, type Hull } from './overview';
import { LABEL_FONT_SIZE, type LabelMeasurer, type Scene } from './scene';

/** Room between a frame and what it encloses (model units). */
export const HULL_PAD = 8;
const PAD = HULL_PAD;
/** The title is drawn 4 px in from the frame's left edge; as much room again on its right. */
const TITLE_INSET = 8;

type Box = [number, number, number, number];

/** The title on a frame: the scope's name, with the backward node it stands for when it has one. */
export function hullLabel(model: GraphModel, s: ScopeInstance): string {
  const gradFn = model.scopeInfo(s.name)?.gradFn;
  return gradFn ? `${gradFn} (${s.label})` : s.label;
}

/** How wide a frame must be for its title (model units): "▾ " and the label at the title's size, inset. */
export function hullTitleWidth(measure: LabelMeasurer, label: string): number {
  return (measure.width(`▾ ${label}`) * HULL_LABEL_SIZE) / LABEL_FONT_SIZE + TITLE_INSET;
}

/** `measure`: widen frames to their titles (centred, so they stay in the room the layout kept). */
export function scopeHulls(model: GraphModel, visible: VisibleGraph, scene: Scene, collapsed: ReadonlySet<string>, measure?: LabelMeasurer): Hull[] {
  const boxItem = new Map<string, number>();
  scene.nodes.forEach((s, i) => {
    if (s.scopeKey) boxItem.set(s.scopeKey, i);
  });
  const hulls: (Hull & { depth: number })[] = [];
  const itemBox = (i: number): Box => {
    const n = scene.nodes[i];
    return [n.x - n.w / 2, n.y - n.h / 2, n.x + n.w / 2, n.y + n.h / 2];
  };
  const union = (a: Box | null, b: Box): Box => (a ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])] : b);
  const walk = (s: ScopeInstance): Box | null => {
    if (collapsed.has(s.key)) {
      const it = boxItem.get(s.key);
      return it === undefined ? null : itemBox(it);
    }
    let b: Box | null = null;
    for (const i of s.members) if (visible.itemOfNode[i] >= 0) b = union(b, itemBox(visible.itemOfNode[i]));
    for (const c of s.children) {
      const cb = walk(c);
      if (cb) b = union(b, cb);
    }
    if (!b) return null;
    const label = hullLabel(model, s);
    const short = measure ? hullTitleWidth(measure, label) - (b[2] - b[0] + 2 * PAD) : 0;
    if (short > 0) b = [b[0] - short / 2, b[1], b[2] + short / 2, b[3]];
    const hull = { key: s.key, label, x1: b[0] - PAD, y1: b[1] - PAD - HULL_LABEL_HEIGHT, x2: b[2] + PAD, y2: b[3] + PAD, depth: s.depth };
    hulls.push(hull);
    return [hull.x1, hull.y1, hull.x2, hull.y2];
  };
  model.scopes.roots.forEach(walk);
  return hulls.sort((a, b) => a.depth - b.depth).map(({ depth: _depth, ...h }) => h);
}
