/**
 * What the canvas shows, as client rectangles named like the snapshot (node ids, scope keys): what
 * browser tests check layout and framing against (window.gradscopeDebug.geometry()).
 */
import { scopeChain } from '../model/scopes';
import type { ClientRect } from '../view/graphView';
import type { Page } from './page';

export interface DebugGeometry {
  canvas: ClientRect;
  zoom: number;
  /** One per scene item: a node (by id) or a collapsed box (by scope key). */
  items: (ClientRect & { id: string; box: boolean; root: boolean })[];
  /** Expanded scopes' frames, with the items inside them (nested ones included). */
  hulls: (ClientRect & { key: string; members: string[] })[];
}

export function debugGeometry(page: Page): DebugGeometry | null {
  const { model, visible, scene } = page.state;
  const geo = page.views.graph.clientGeometry();
  if (!model || !visible || !scene || !geo) return null;
  const items = visible.items.map((item, i) => ({
    ...geo.nodes[i],
    id: item.kind === 'node' ? model.nodes[item.node].id : item.scope.key,
    box: item.kind === 'scope',
    root: scene.nodes[i].kind === 'root',
  }));
  const membersOf = new Map<string, string[]>();
  visible.items.forEach((item, i) => {
    const chain = item.kind === 'node' ? scopeChain(model.scopes.nodeScope[item.node]) : scopeChain(item.scope.parent);
    for (const s of chain) membersOf.set(s.key, [...(membersOf.get(s.key) ?? []), items[i].id]);
  });
  return {
    canvas: geo.canvas,
    zoom: page.views.graph.viewport().zoom,
    items,
    hulls: geo.hulls.map((h) => ({ ...h, members: membersOf.get(h.key) ?? [] })),
  };
}
