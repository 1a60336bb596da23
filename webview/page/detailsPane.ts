/** The details pane: renders what is selected (node, collapsed box or edge) from the page's state. */
import { clear } from '../util/dom';
import { edgeDetails, emptyDetails, nodeDetails, scopeDetails, type DetailsContext } from '../view/details';
import type { Page } from './page';

export class DetailsPane {
  constructor(private readonly page: Page) {}

  private context(): DetailsContext | null {
    const { state } = this.page;
    const model = state.model;
    if (!model) return null;
    const replayNode = state.replay ? model.backwardSteps[state.replay.step] : -1;
    const sel = state.selection;
    return {
      model,
      palette: this.page.palette,
      frame: state.currentFrame(),
      iteration: state.shownIteration(),
      replay: state.replay && sel?.kind === 'node' && sel.node === replayNode ? { step: state.replay.step, total: model.backwardSteps.length } : null,
      actions: {
        selectNode: (i) => void this.page.selection.selectNode(i, { post: true, openSource: false, reveal: true }),
        openSource: (i, loc) => this.page.selection.openSource(i, loc),
        setScopeCollapsed: (k, c) => void this.page.scopes.setScopeCollapsed(k, c),
      },
    };
  }

  render(): void {
    const body = this.page.views.detailsBody;
    const ctx = this.context();
    const sel = this.page.state.selection;
    clear(body);
    if (!ctx || !sel) {
      body.appendChild(emptyDetails(Boolean(ctx)));
      return;
    }
    if (sel.kind === 'node') body.appendChild(nodeDetails(ctx, sel.node));
    else if (sel.kind === 'edge') body.appendChild(edgeDetails(ctx, sel.edge));
    else {
      const scope = ctx.model.scopes.byKey.get(sel.key);
      body.appendChild(scope ? scopeDetails(ctx, scope) : emptyDetails(true));
    }
  }
}
