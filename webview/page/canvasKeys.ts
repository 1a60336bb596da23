/**
 * The canvas's keyboard: arrows walk along edges (up to an input, down to a consumer, sideways within a
 * row), Enter opens the source or a box, Escape leaves the replay or the selection, + − 0 zoom and fit,
 * / goes to the search.
 */
import type { SourceLocation } from '../../src/protocol/snapshot';
import { neighbourItem } from '../view/navigation';
import type { Page } from './page';

export function onCanvasKey(page: Page, e: KeyboardEvent): void {
  const { state, views } = page;
  const scene = state.scene;
  if (!scene) return;
  const cur = state.selectedItem();
  let next = -1;
  switch (e.key) {
    case 'ArrowUp':
    case 'ArrowDown':
    case 'ArrowLeft':
    case 'ArrowRight': {
      if (cur >= 0) next = neighbourItem({ scene, layer: state.sceneLayer, incoming: state.sceneIn, outgoing: state.sceneOut }, cur, e.key);
      else next = state.model?.roots.length ? state.itemOf(state.model.roots[0]) : scene.nodes.length - 1;
      break;
    }
    case 'Enter': {
      const s = cur >= 0 ? scene.nodes[cur] : null;
      const node = s && s.node >= 0 ? state.model?.nodes[s.node] : undefined;
      if (s?.scopeKey) void page.scopes.setScopeCollapsed(s.scopeKey, false);
      else if (s && node?.location) page.selection.openSource(s.node, node.location as SourceLocation);
      break;
    }
    case 'Escape':
      if (state.replay) page.replay.stop();
      else page.selection.select(null, { post: true });
      break;
    case '+':
    case '=':
      views.graph.zoomBy(1.25);
      break;
    case '-':
      views.graph.zoomBy(0.8);
      break;
    case '0':
      views.graph.fit();
      break;
    case '/':
      views.toolbar.searchInput.focus();
      break;
    default:
      return;
  }
  e.preventDefault();
  if (next >= 0) {
    const s = scene.nodes[next];
    if (s.scopeKey) page.selection.select({ kind: 'scope', key: s.scopeKey }, { post: false });
    else page.selection.select({ kind: 'node', node: s.node }, { post: true });
    views.graph.reveal([next]);
  }
}
