/**
 * What the page remembers across hide/show of the panel (VS Code's webview state): the file, its
 * collapsed boxes, the selected node and the gradient colouring. Read back defensively: the state is
 * whatever an earlier version of the page stored.
 */
import type { Page } from './page';

export interface SavedState {
  file: string;
  collapsed: string[];
  selected: string | null;
  gradFlow: boolean;
}

export class SavedStateStore {
  constructor(private readonly page: Page) {}

  read(): SavedState | null {
    const s = this.page.host.getState();
    if (typeof s !== 'object' || s === null) return null;
    const r = s as Partial<SavedState>;
    if (typeof r.file !== 'string' || !Array.isArray(r.collapsed)) return null;
    return {
      file: r.file,
      collapsed: r.collapsed.filter((k): k is string => typeof k === 'string'),
      selected: typeof r.selected === 'string' ? r.selected : null,
      gradFlow: r.gradFlow === true,
    };
  }

  save(): void {
    const { state, host } = this.page;
    const model = state.model;
    if (!model) return;
    const sel = state.selection;
    const saved: SavedState = {
      file: model.snapshot.file,
      collapsed: [...state.collapsed],
      selected: sel?.kind === 'node' ? model.nodes[sel.node].id : null,
      gradFlow: state.gradFlow,
    };
    host.setState(saved);
  }
}
