/**
 * What is on screen: which scopes are collapsed into boxes and which focus filter applies. Each change
 * rebuilds the scene (the layout runs again).
 */
import { focusFilter, type FocusMode } from '../model/focus';
import type { GraphModel } from '../model/graphModel';
import { scopeChain } from '../model/scopes';
import type { Page } from './page';

/** Graphs above this many nodes start with their outermost scopes collapsed. */
const COLLAPSE_SCOPES_ABOVE = 1500;

/** Composite ops read best as PyTorch's single node; big graphs start at module level. */
export function defaultCollapsed(model: GraphModel): Set<string> {
  const out = new Set<string>();
  for (const [key, s] of model.scopes.byKey) {
    if (model.scopeInfo(s.name)?.kind === 'composite') out.add(key);
    else if (model.nodes.length > COLLAPSE_SCOPES_ABOVE && s.depth === 0) out.add(key);
  }
  return out;
}

export class ScopeController {
  constructor(private readonly page: Page) {}

  async setScopeCollapsed(key: string, collapsed: boolean): Promise<void> {
    const { state } = this.page;
    const model = state.model;
    const scope = model?.scopes.byKey.get(key);
    if (!model || !scope) return;
    if (collapsed) {
      state.collapsed.add(key);
      // The selection moves to the box that now holds it.
      if (state.selection?.kind === 'node' && scopeChain(model.scopes.nodeScope[state.selection.node]).includes(scope)) state.selection = { kind: 'scope', key };
    } else {
      state.collapsed.delete(key);
      if (state.selection?.kind === 'scope' && state.selection.key === key) state.selection = null;
    }
    await this.page.renderer.rebuild({ keepViewport: true, reveal: [scope.firstNode] });
    this.page.announce(`${collapsed ? 'Collapsed' : 'Expanded'} ${scope.label}.`);
  }

  async collapseAll(collapsed: boolean): Promise<void> {
    const { state } = this.page;
    const model = state.model;
    if (!model) return;
    state.collapsed = collapsed ? new Set(model.scopes.roots.map((s) => s.key)) : new Set();
    if (collapsed && state.selection?.kind === 'node') {
      const chain = scopeChain(model.scopes.nodeScope[state.selection.node]);
      if (chain.length) state.selection = { kind: 'scope', key: chain[0].key };
    }
    await this.page.renderer.rebuild({ keepViewport: false, reveal: null });
  }

  async setFocus(mode: FocusMode): Promise<void> {
    const { state, views } = this.page;
    const model = state.model;
    if (!model) return;
    if (mode === 'pathToLoss') {
      const sel = state.selection;
      const scope = sel?.kind === 'scope' ? model.scopes.byKey.get(sel.key) : undefined;
      const from = sel?.kind === 'node' ? [sel.node] : scope ? [scope.firstNode] : [];
      if (!from.length || !focusFilter(model, 'pathToLoss', from)) {
        this.page.announce(from.length ? 'The selection does not reach the loss.' : 'Select a node first.');
        views.toolbar.setFocus(state.focusMode);
        return;
      }
      state.focusFrom = from;
    }
    state.focusMode = mode;
    views.toolbar.setFocus(mode);
    await this.page.renderer.rebuild({ keepViewport: false, reveal: null });
  }

  /** Makes a node visible: expands the boxes around it, leaves a focus that hides it. */
  async ensureVisible(i: number): Promise<boolean> {
    const { state, views } = this.page;
    const model = state.model;
    if (!model || !state.visible) return false;
    let changed = false;
    if (state.keep && !state.keep[i]) {
      state.focusMode = 'none';
      views.toolbar.setFocus('none');
      changed = true;
    }
    for (const s of scopeChain(model.scopes.nodeScope[i])) {
      if (state.collapsed.delete(s.key)) changed = true;
    }
    if (changed) await this.page.renderer.rebuild({ keepViewport: true, reveal: [i] });
    return changed;
  }
}
