/**
 * Frames around expanded scopes: each encloses its visible nodes and the frames of its expanded
 * children (so nested scopes nest), with room for its name on top. Outermost first (drawing order).
 */
import type { GraphModel } from '../model/graphModel';
import type { ScopeInstance } from '../model/scopes';
import type { VisibleGraph } from '../model/visibleGraph';
import { HULL_LABEL_HEIGHT, type Hull } from './overview';
import type { Scene } from './scene';

const PAD = 8;

type Box = [number, number, number, number];

export function scopeHulls(model: GraphModel, visible: VisibleGraph, scene: Scene, collapsed: ReadonlySet<string>): Hull[] {
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
    const gradFn = model.scopeInfo(s.name)?.gradFn;
    const hull = { key: s.key, label: gradFn ? `${gradFn} (${s.name})` : s.name, x1: b[0] - PAD, y1: b[1] - PAD - HULL_LABEL_HEIGHT, x2: b[2] + PAD, y2: b[3] + PAD, depth: s.depth };
    hulls.push(hull);
    return [hull.x1, hull.y1, hull.x2, hull.y2];
  };
  model.scopes.roots.forEach(walk);
  return hulls.sort((a, b) => a.depth - b.depth).map(({ depth: _depth, ...h }) => h);
}
