/**
 * A new graph arrives (a run finished, or the standalone page starts): the model is built and what the
 * user had chosen carries over when it is the same script again (open boxes, selection, focus, search),
 * or comes back from the webview's saved state after the panel was hidden.
 */
import { GraphModel } from '../model/graphModel';
import type { ViewSnapshot } from '../model/scopeInfo';
import { baseName } from '../util/format';
import type { Page } from './page';
import { defaultCollapsed } from './scopesAndFocus';

export class GraphLoader {
  constructor(private readonly page: Page) {}

  async setGraph(snapshot: ViewSnapshot, receivedAt = performance.now()): Promise<void> {
    const { state, views } = this.page;
    const started = performance.now();
    const prev = state.model;
    const model = new GraphModel(snapshot);
    const saved = this.page.savedState.read();
    const sameFile = prev ? prev.snapshot.file === snapshot.file : saved?.file === snapshot.file;
    const defaults = defaultCollapsed(model);
    if (prev && sameFile) {
      // Boxes the user opened or closed stay so; new ones start as they would on a first run.
      const next = new Set<string>();
      for (const key of model.scopes.byKey.keys()) {
        if (prev.scopes.byKey.has(key) ? state.collapsed.has(key) : defaults.has(key)) next.add(key);
      }
      state.collapsed = next;
    } else if (!prev && saved && sameFile) {
      state.collapsed = new Set(saved.collapsed.filter((k) => model.scopes.byKey.has(k)));
      state.gradFlow = saved.gradFlow;
    } else state.collapsed = defaults;

    const prevSelected = state.selection?.kind === 'node' && prev ? prev.nodes[state.selection.node].id : !prev && sameFile ? (saved?.selected ?? null) : null;
    this.page.replay.stop();
    state.model = model;
    state.selection = null;
    if (sameFile && prevSelected !== null) {
      const i = model.indexOf.get(prevSelected);
      if (i !== undefined) state.selection = { kind: 'node', node: i };
    }
    if (!sameFile) state.focusMode = 'none';
    state.focusFrom = state.focusFrom.map((i) => (prev ? model.indexOf.get(prev.nodes[i]?.id ?? '') : undefined)).filter((i): i is number => i !== undefined);
    if (state.focusMode === 'pathToLoss' && state.focusFrom.length === 0) state.focusMode = 'none';
    views.toolbar.setFocus(state.focusMode);
    views.toolbar.setGradientFlow(state.gradFlow);
    state.linked = [];
    this.page.search.refresh();
    this.page.iterations.reset();
    views.truncation.show(snapshot);
    views.empty.hidden = true;
    await this.page.renderer.rebuild({ keepViewport: Boolean(prev && sameFile), reveal: null, started, receivedAt });
    this.page.announce(`Graph of ${baseName(snapshot.file)}: ${model.nodes.length} nodes, ${model.edges.length} edges.`);
  }
}
