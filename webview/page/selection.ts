/**
 * Selection: one node, collapsed box or edge at a time, the same in the canvas, the outline, the
 * details and (for nodes) the editor, which the host is told about. Also the clicks, hovers and
 * outline activations that lead to it, and the editor's own highlights (`selectNodes`).
 */
import type { SourceLocation } from '../../src/protocol/snapshot';
import { PROTOCOL_VERSION } from '../protocol';
import { shapeText } from '../util/format';
import type { OutlineTarget } from '../view/outline';
import { sceneNodeTitle } from '../view/scene';
import type { Page } from './page';
import type { Selection } from './pageState';

export interface SelectHow {
  /** Tell the host (user actions do; what the host itself asked for does not echo back). */
  post: boolean;
  /** The outline made the selection: it keeps its own scroll position. */
  fromOutline?: boolean;
}

export interface SelectNodeHow extends SelectHow {
  openSource: boolean;
  /** Make it visible (expand boxes, leave a focus that hides it) and bring it into view. */
  reveal: boolean;
}

export class SelectionController {
  constructor(private readonly page: Page) {}

  select(sel: Selection, how: SelectHow): void {
    const { state, views, host } = this.page;
    state.selection = sel;
    this.page.flags.applySelection();
    this.page.details.render();
    views.outline.setSelected(state.outlineTarget(), !how.fromOutline);
    const model = state.model;
    if (sel?.kind === 'node' && model) {
      const node = model.nodes[sel.node];
      this.page.announce(`Selected ${model.displayName(sel.node)}, ${node.kind}, shape ${shapeText(node.tensor.shape)}.`);
      if (how.post) host.post({ v: PROTOCOL_VERSION, type: 'selectNode', nodeId: node.id, location: node.location });
    } else if (sel?.kind === 'scope' && model) {
      this.page.announce(`Selected scope ${model.scopes.byKey.get(sel.key)?.name ?? ''}.`);
    } else if (!sel && how.post) host.post({ v: PROTOCOL_VERSION, type: 'selectNode', nodeId: null, location: null });
    this.page.savedState.save();
  }

  async selectNode(i: number, how: SelectNodeHow): Promise<void> {
    const model = this.page.state.model;
    if (!model || i < 0 || i >= model.nodes.length) return;
    if (how.reveal) await this.page.scopes.ensureVisible(i);
    this.select({ kind: 'node', node: i }, how);
    if (how.reveal) this.reveal([i]);
    const node = model.nodes[i];
    if (how.openSource && node.location) this.openSource(i, node.location);
  }

  /** Brings model nodes into view (those on screen). */
  reveal(nodes: readonly number[]): void {
    const items = nodes.map((i) => this.page.state.itemOf(i)).filter((i) => i >= 0);
    if (items.length) this.page.views.graph.reveal(items);
  }

  openSource(i: number | null, location: SourceLocation): void {
    const { state, host } = this.page;
    const model = state.model;
    host.post({ v: PROTOCOL_VERSION, type: 'openSource', nodeId: i === null || !model ? null : model.nodes[i].id, location });
    if (host.kind === 'standalone') this.page.announce(`Source: ${location.file}:${location.line}:${location.column}`);
  }

  onSceneTap(item: number): void {
    const s = this.page.state.scene?.nodes[item];
    if (!s) return;
    this.page.views.canvasWrap.focus({ preventScroll: true });
    if (s.scopeKey) {
      void this.page.scopes.setScopeCollapsed(s.scopeKey, false);
      return;
    }
    void this.selectNode(s.node, { post: true, openSource: true, reveal: false });
  }

  onEdgeTap(sceneEdge: number): void {
    const e = this.page.state.scene?.edges[sceneEdge];
    if (e) this.select({ kind: 'edge', edge: e.modelEdges[0] }, { post: false });
  }

  onHover(item: number, x: number, y: number): void {
    const { state, views } = this.page;
    const s = item >= 0 ? state.scene?.nodes[item] : undefined;
    if (!s || !state.model) {
      views.tooltip.hide();
      return;
    }
    views.tooltip.show(sceneNodeTitle(state.model, s), x, y, views.canvasWrap.getBoundingClientRect());
  }

  selectFromOutline(t: OutlineTarget): void {
    if (t.kind === 'node') {
      void this.selectNode(t.node, { post: true, openSource: false, reveal: true, fromOutline: true });
      return;
    }
    this.select({ kind: 'scope', key: t.key }, { post: false, fromOutline: true });
    const item = this.page.state.selectedItem();
    if (item >= 0) this.page.views.graph.reveal([item]);
  }

  activateFromOutline(t: OutlineTarget): void {
    const { state } = this.page;
    const model = state.model;
    if (!model) return;
    if (t.kind === 'scope') {
      void this.page.scopes.setScopeCollapsed(t.key, !state.collapsed.has(t.key));
      return;
    }
    const loc = model.nodes[t.node].location;
    if (loc) this.openSource(t.node, loc);
  }

  /** The editor's highlight (its cursor line): select the first, mark them all. */
  async setLinked(ids: readonly string[]): Promise<void> {
    const { state } = this.page;
    const model = state.model;
    if (!model) return;
    state.linked = ids.map((id) => model.indexOf.get(id)).filter((i): i is number => i !== undefined);
    this.page.flags.applyLinked();
    // The contract: an empty list clears the selection (the cursor left the graph's lines, or
    // another view cleared its selection).
    if (ids.length === 0 && state.selection) this.select(null, { post: false });
    if (state.linked.length) {
      await this.selectNode(state.linked[0], { post: false, openSource: false, reveal: true });
      this.page.flags.applyLinked();
      this.reveal(state.linked);
    }
  }
}
