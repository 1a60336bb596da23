/**
 * The expanded scopes as layout clusters (NOTE [Clustered layout]): every visible item belongs to the
 * innermost expanded scope around it, so the layout keeps each scope's members in one block sized for
 * the frame hulls.ts draws around them.
 */
import type { LayoutClusters } from '../layout/clustered';
import type { GraphModel } from '../model/graphModel';
import type { ScopeInstance } from '../model/scopes';
import type { VisibleGraph } from '../model/visibleGraph';
import { HULL_PAD, hullLabel, hullTitleWidth } from './hulls';
import { HULL_LABEL_HEIGHT } from './overview';
import type { LabelMeasurer } from './scene';

/** Extra room past the frame itself, so nested frames and their neighbours do not touch. */
const FRAME_GAP = 4;

export function sceneClusters(model: GraphModel, visible: VisibleGraph, measure: LabelMeasurer): LayoutClusters | undefined {
  const index = new Map<ScopeInstance, number>();
  const parent: number[] = [];
  const minWidth: number[] = [];
  const clusterOf = (s: ScopeInstance | null): number => {
    if (!s) return -1;
    const known = index.get(s);
    if (known !== undefined) return known;
    const up = clusterOf(s.parent);
    const c = parent.length;
    index.set(s, c);
    parent.push(up);
    minWidth.push(Math.max(0, hullTitleWidth(measure, hullLabel(model, s)) - 2 * HULL_PAD));
    return c;
  };
  const ofNode = Int32Array.from(visible.items, (item) => clusterOf(item.kind === 'node' ? model.scopes.nodeScope[item.node] : item.scope.parent));
  if (parent.length === 0) return undefined;
  return {
    ofNode,
    parent: Int32Array.from(parent),
    minWidth: Float64Array.from(minWidth),
    padX: HULL_PAD + FRAME_GAP,
    padTop: HULL_PAD + HULL_LABEL_HEIGHT + FRAME_GAP,
    padBottom: HULL_PAD + FRAME_GAP,
  };
}
