/**
 * Pushes the page's states onto the canvas as per-element flags: the selection (and its edges), search
 * matches (the rest dimmed), nodes linked from the editor, the backward replay's progress.
 */
import type { Page } from './page';

export class CanvasFlags {
  constructor(private readonly page: Page) {}

  /** Everything, after a new scene (the view starts with no flags). */
  applyAll(): void {
    this.applySelection();
    this.applySearch();
    this.applyLinked();
    this.applyReplay();
  }

  applySelection(): void {
    const { state, views } = this.page;
    const item = state.selectedItem();
    views.graph.setNodeFlag('sel', item >= 0 ? [item] : []);
    const edges: number[] = [];
    if (item >= 0) edges.push(...state.sceneIn[item], ...state.sceneOut[item]);
    if (state.selection?.kind === 'edge' && state.visible) {
      const j = state.visible.edgeOfModelEdge[state.selection.edge];
      if (j >= 0) edges.push(j);
    }
    views.graph.setEdgeFlag('hl', edges);
  }

  applySearch(): void {
    const { state, views } = this.page;
    const items = new Set<number>();
    for (const i of state.search.matches) {
      const it = state.itemOf(i);
      if (it >= 0) items.add(it);
    }
    views.graph.setNodeFlag('match', items);
    const cur = state.search.current >= 0 ? state.itemOf(state.search.matches[state.search.current]) : -1;
    views.graph.setNodeFlag('matchCurrent', cur >= 0 ? [cur] : []);
    const dim: number[] = [];
    if (items.size && state.scene) for (let i = 0; i < state.scene.nodes.length; i++) if (!items.has(i)) dim.push(i);
    views.graph.setNodeFlag('dim', dim);
  }

  applyLinked(): void {
    const { state, views } = this.page;
    views.graph.setNodeFlag(
      'linked',
      state.linked.map((i) => state.itemOf(i)).filter((i) => i >= 0),
    );
  }

  /** Replay: the current step, the steps done and those still to come, the gradient flowing out. */
  applyReplay(): void {
    const { state, views } = this.page;
    const model = state.model;
    const graph = views.graph;
    if (!state.replay || !model) {
      graph.setNodeFlag('rcur', []);
      graph.setNodeFlag('rdone', []);
      graph.setNodeFlag('rpend', []);
      graph.setEdgeFlag('rflow', []);
      return;
    }
    const steps = model.backwardSteps;
    const cur = state.replay.step;
    const curItem = state.itemOf(steps[cur]);
    const done = new Set<number>();
    const pending = new Set<number>();
    steps.forEach((node, k) => {
      const it = state.itemOf(node);
      if (it < 0 || it === curItem) return;
      (k < cur ? done : pending).add(it);
    });
    // A collapsed box holding steps on both sides of the current one counts as done.
    for (const it of done) pending.delete(it);
    graph.setNodeFlag('rcur', curItem >= 0 ? [curItem] : []);
    graph.setNodeFlag('rdone', done);
    graph.setNodeFlag('rpend', pending);
    const flow: number[] = [];
    if (state.visible) {
      for (const e of model.inEdges[steps[cur]]) {
        const j = state.visible.edgeOfModelEdge[e];
        if (j >= 0) flow.push(j);
      }
    }
    graph.setEdgeFlag('rflow', flow);
  }
}
