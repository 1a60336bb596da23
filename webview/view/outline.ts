/**
 * The accessible outline: the graph as an ARIA tree (scopes as expandable items, nodes as items with
 * their kind, shape and connections), walkable with the arrow keys, its selection tied to the canvas's.
 * The canvas is invisible to screen readers; this is the same graph in a form they (and tests) can read.
 *
 * NOTE [Virtual outline]: a 10,000-node graph would be 10,000 list items, whose style and layout cost
 * the browser seconds. The tree is therefore flat (each item says its aria-level, aria-setsize and
 * aria-posinset, as ARIA allows for virtual trees) and only the rows in and near the visible part are in
 * the DOM. Focus stays on the tree; `aria-activedescendant` names the active row, which is always rendered.
 */
import type { GraphModel } from '../model/graphModel';
import type { ScopeInfo } from '../model/scopeInfo';
import type { ScopeInstance } from '../model/scopes';
import { clear, h } from '../util/dom';
import { plural, shapeText } from '../util/format';

export type OutlineTarget = { kind: 'node'; node: number } | { kind: 'scope'; key: string };

export interface OutlineActions {
  select(target: OutlineTarget): void;
  /** Enter: open the node's source, or toggle a scope. */
  activate(target: OutlineTarget): void;
  setScopeCollapsed(key: string, collapsed: boolean): void;
}

interface Row {
  node: number;
  scope: ScopeInstance | null;
  level: number;
  posinset: number;
  setsize: number;
  expanded: boolean;
  parent: number;
}

/** Row height in px (rows are fixed-height so the window is arithmetic). */
const ROW_H = 38;
/** Below this many rows everything is rendered. */
const RENDER_ALL = 400;
const OVERSCAN = 12;
const MAX_CONNECTIONS = 6;

export class Outline {
  readonly element: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly viewport: HTMLElement;
  private rows: Row[] = [];
  private rowOfNode = new Map<number, number>();
  private rowOfScope = new Map<string, number>();
  private model: GraphModel | null = null;
  private active = -1;
  private selected = -1;
  private matches = new Set<number>();
  private first = 0;
  private last = -1;
  private frame = 0;

  constructor(private readonly actions: OutlineActions) {
    this.tree = h('ul', {
      class: 'gs-outline-tree',
      role: 'tree',
      id: 'gs-outline-tree',
      tabIndex: 0,
      attrs: { 'aria-labelledby': 'gs-outline-heading', 'data-ready': 'false' },
    });
    this.viewport = h('div', { class: 'gs-outline-viewport' }, this.tree);
    this.element = h('section', { class: 'gs-outline', attrs: { 'aria-labelledby': 'gs-outline-heading' } }, h('h2', { id: 'gs-outline-heading', class: 'gs-pane-heading' }, 'Outline'), this.viewport);
    this.tree.addEventListener('keydown', (e) => this.onKey(e));
    this.tree.addEventListener('focus', () => {
      if (this.active < 0 && this.rows.length) this.setActive(this.selected >= 0 ? this.selected : 0, false);
    });
    this.tree.addEventListener('click', (e) => {
      const item = (e.target as HTMLElement).closest<HTMLElement>('[role=treeitem]');
      if (!item) return;
      const r = Number(item.dataset.row);
      const row = this.rows[r];
      if (!row) return;
      if ((e.target as HTMLElement).closest('.gs-o-toggle') && row.scope) {
        this.actions.setScopeCollapsed(row.scope.key, row.expanded);
        return;
      }
      this.setActive(r, true);
    });
    this.element.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    new ResizeObserver(() => this.scheduleRender()).observe(this.element);
  }

  /** Rebuilds the rows from the model, the collapsed scopes and the focus filter. */
  render(model: GraphModel, collapsed: ReadonlySet<string>, keep: Uint8Array | null): void {
    const activeTarget = this.active >= 0 ? this.targetOf(this.active) : null;
    this.model = model;
    const shown = (i: number): boolean => !keep || keep[i] === 1;
    const scopeShown = (s: ScopeInstance): boolean => s.members.some(shown) || s.children.some(scopeShown);
    const rows: Row[] = [];
    const rowOfNode = new Map<number, number>();
    const rowOfScope = new Map<string, number>();
    type Entry = { node: number; scope: ScopeInstance | null };
    const entriesOf = (s: ScopeInstance): Entry[] =>
      [...s.members.map((node): Entry => ({ node, scope: null })), ...s.children.map((scope): Entry => ({ node: scope.firstNode, scope }))]
        .sort((a, b) => a.node - b.node)
        .filter((e) => (e.scope ? scopeShown(e.scope) : shown(e.node)));
    const walk = (entries: Entry[], level: number, parent: number): void => {
      entries.forEach((e, k) => {
        const r = rows.length;
        const expanded = e.scope !== null && !collapsed.has(e.scope.key);
        rows.push({ node: e.node, scope: e.scope, level, posinset: k + 1, setsize: entries.length, expanded, parent });
        if (e.scope) {
          rowOfScope.set(e.scope.key, r);
          if (expanded) walk(entriesOf(e.scope), level + 1, r);
        } else rowOfNode.set(e.node, r);
      });
    };
    const top: Entry[] = model.scopes.topLevel
      .map((t): Entry => (t.kind === 'node' ? { node: t.node, scope: null } : { node: t.scope.firstNode, scope: t.scope }))
      .filter((e) => (e.scope ? scopeShown(e.scope) : shown(e.node)));
    walk(top, 1, -1);
    this.rows = rows;
    this.rowOfNode = rowOfNode;
    this.rowOfScope = rowOfScope;
    this.selected = -1;
    this.active = activeTarget ? this.rowOf(activeTarget) : -1;
    this.viewport.style.height = `${rows.length * ROW_H}px`;
    this.first = 0;
    this.last = -1;
    this.renderWindow(true);
    this.tree.dataset.ready = 'true';
  }

  private rowOf(t: OutlineTarget): number {
    return (t.kind === 'node' ? this.rowOfNode.get(t.node) : this.rowOfScope.get(t.key)) ?? -1;
  }

  private targetOf(r: number): OutlineTarget | null {
    const row = this.rows[r];
    if (!row) return null;
    return row.scope ? { kind: 'scope', key: row.scope.key } : { kind: 'node', node: row.node };
  }

  private scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderWindow(false);
    });
  }

  private windowRange(): [number, number] {
    const n = this.rows.length;
    if (n <= RENDER_ALL) return [0, n - 1];
    const top = this.element.scrollTop - this.viewport.offsetTop;
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const count = Math.ceil((this.element.clientHeight || 600) / ROW_H) + 2 * OVERSCAN;
    return [first, Math.min(n - 1, first + count)];
  }

  private renderWindow(force: boolean): void {
    let [first, last] = this.windowRange();
    // The active row must exist for aria-activedescendant.
    if (this.active >= 0 && this.rows.length > RENDER_ALL && (this.active < first || this.active > last)) {
      if (this.active < first) first = this.active;
      else last = this.active;
    }
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const model = this.model;
    clear(this.tree);
    this.tree.style.transform = `translateY(${first * ROW_H}px)`;
    if (!model) return;
    const frag = document.createDocumentFragment();
    for (let r = first; r <= last; r++) frag.appendChild(this.rowElement(model, r));
    this.tree.appendChild(frag);
    this.tree.setAttribute('aria-activedescendant', this.active >= 0 ? this.rowId(this.active) : '');
    if (this.active < 0) this.tree.removeAttribute('aria-activedescendant');
  }

  private rowId(r: number): string {
    const row = this.rows[r];
    return row.scope ? `gs-o-s${row.scope.firstNode}-${row.scope.depth}` : `gs-o-n${row.node}`;
  }

  private rowElement(model: GraphModel, r: number): HTMLElement {
    const row = this.rows[r];
    const common = {
      'aria-level': row.level,
      'aria-setsize': row.setsize,
      'aria-posinset': row.posinset,
      'aria-selected': r === this.selected ? 'true' : 'false',
      'data-row': r,
    };
    let item: HTMLElement;
    if (row.scope) {
      const s = row.scope;
      const info = model.scopeInfo(s.name);
      const label = `${info?.gradFn ? `${info.gradFn} (${s.label})` : s.label}, ${info ? `${info.kind} scope` : 'scope'}, ${plural(s.size, 'node')}`;
      item = h(
        'li',
        { role: 'treeitem', id: this.rowId(r), attrs: { ...common, 'aria-expanded': row.expanded ? 'true' : 'false', 'aria-label': label, 'data-scope-key': s.key } },
        h('span', { class: 'gs-o-line' }, h('span', { class: 'gs-o-toggle', attrs: { 'aria-hidden': 'true' } }, row.expanded ? '▾ ' : '▸ '), h('span', { class: 'gs-o-name' }, info?.gradFn ?? s.label), h('span', { class: 'gs-o-meta' }, ` ${scopeMeta(s, info)}`)),
        // The second line says what is inside, so a closed box is not a mystery (and rows keep one height).
        h('span', { class: 'gs-o-line gs-o-conn' }, ` contains: ${scopeContents(model, s)}`),
      );
    } else {
      const i = row.node;
      const node = model.nodes[i];
      const name = node.kind === 'op' ? node.label : (node.varName ?? node.label);
      const kind = node.isRoot ? 'output' : node.kind === 'op' ? 'backward node' : node.kind === 'leaf' ? 'leaf, requires grad' : 'constant';
      const names = (list: readonly number[], end: (e: number) => number): string => {
        const all = list.slice(0, MAX_CONNECTIONS + 1).map((e) => model.displayName(end(e)));
        return list.length > MAX_CONNECTIONS ? `${all.slice(0, MAX_CONNECTIONS).join(', ')} and ${list.length - MAX_CONNECTIONS} more` : all.join(', ');
      };
      const ins = model.inEdges[i];
      const outs = model.outEdges[i];
      const conn: string[] = [];
      if (ins.length) conn.push(`inputs: ${names(ins, (e) => model.edgeSource[e])}`);
      if (outs.length) conn.push(`used by: ${names(outs, (e) => model.edgeTarget[e])}`);
      const meta = [kind, `${shapeText(node.tensor.shape)} ${node.tensor.dtype}`];
      if (node.kind === 'op' && node.varName) meta.push(node.varName);
      item = h(
        'li',
        { role: 'treeitem', id: this.rowId(r), attrs: { ...common, 'data-node-id': node.id, 'data-kind': node.isRoot ? 'root' : node.kind, 'data-match': this.matches.has(i) ? 'true' : null } },
        h('span', { class: 'gs-o-line' }, h('span', { class: 'gs-o-name' }, name), h('span', { class: 'gs-o-meta' }, ` ${meta.join(' · ')}`)),
        h('span', { class: 'gs-o-line gs-o-conn' }, conn.length ? ` ${conn.join('; ')}` : ' no connections'),
      );
    }
    // Indentation by level (CSSOM: allowed by the CSP).
    item.style.paddingLeft = `${4 + (row.level - 1) * 14}px`;
    if (r === this.active) item.classList.add('gs-o-active');
    return item;
  }

  /** Makes row `r` the active one (keyboard focus), scrolls it into view, optionally selects it. */
  private setActive(r: number, select: boolean): void {
    if (r < 0 || r >= this.rows.length) return;
    this.active = r;
    this.scrollToRow(r);
    this.renderWindow(true);
    if (select) {
      const t = this.targetOf(r);
      if (t) this.actions.select(t);
    }
  }

  private scrollToRow(r: number): void {
    const top = this.viewport.offsetTop + r * ROW_H;
    const view = this.element;
    const heading = this.viewport.offsetTop;
    if (top < view.scrollTop + heading) view.scrollTop = top - heading;
    else if (top + ROW_H > view.scrollTop + view.clientHeight) view.scrollTop = top + ROW_H - view.clientHeight;
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.rows.length) return;
    const r = this.active >= 0 ? this.active : 0;
    const row = this.rows[r];
    const pageRows = Math.max(1, Math.floor(this.element.clientHeight / ROW_H) - 1);
    switch (e.key) {
      case 'ArrowDown':
        this.setActive(Math.min(this.rows.length - 1, this.active < 0 ? 0 : r + 1), true);
        break;
      case 'ArrowUp':
        this.setActive(Math.max(0, r - 1), true);
        break;
      case 'PageDown':
        this.setActive(Math.min(this.rows.length - 1, r + pageRows), true);
        break;
      case 'PageUp':
        this.setActive(Math.max(0, r - pageRows), true);
        break;
      case 'Home':
        this.setActive(0, true);
        break;
      case 'End':
        this.setActive(this.rows.length - 1, true);
        break;
      case 'ArrowRight':
        if (row.scope) {
          if (!row.expanded) this.actions.setScopeCollapsed(row.scope.key, false);
          else if (this.rows[r + 1]?.parent === r) this.setActive(r + 1, true);
        }
        break;
      case 'ArrowLeft':
        if (row.scope && row.expanded) this.actions.setScopeCollapsed(row.scope.key, true);
        else if (row.parent >= 0) this.setActive(row.parent, true);
        break;
      case 'Enter': {
        const t = this.targetOf(r);
        if (t) this.actions.activate(t);
        break;
      }
      case ' ': {
        const t = this.targetOf(r);
        if (t) this.actions.select(t);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  /** Marks the selected row (and makes it the active one), scrolling to it when asked. */
  setSelected(target: OutlineTarget | null, scroll: boolean): void {
    this.selected = target ? this.rowOf(target) : -1;
    if (this.selected >= 0) {
      this.active = this.selected;
      if (scroll) this.scrollToRow(this.selected);
    }
    this.renderWindow(true);
  }

  setMatches(nodes: readonly number[]): void {
    this.matches = new Set(nodes);
    this.renderWindow(true);
  }
}

/** "module · 5 nodes", or for a composite op shown as its PyTorch node, the call it stands for. */
function scopeMeta(s: ScopeInstance, info: ScopeInfo | undefined): string {
  const what = info?.gradFn ? s.label : info?.kind === 'composite' ? 'composite op' : info?.kind === 'module' ? 'module' : 'scope';
  return `${what} · ${plural(s.size, 'node')}`;
}

/** The first few things directly inside a scope (nested scopes by name, nodes by display name). */
function scopeContents(model: GraphModel, s: ScopeInstance): string {
  const inside: [number, string][] = [...s.children.map((c): [number, string] => [c.firstNode, c.name]), ...s.members.map((i): [number, string] => [i, model.displayName(i)])];
  const parts = inside.sort((a, b) => a[0] - b[0]).map(([, name]) => name);
  return parts.length > MAX_CONNECTIONS ? `${parts.slice(0, MAX_CONNECTIONS).join(', ')} and ${parts.length - MAX_CONNECTIONS} more` : parts.join(', ');
}
