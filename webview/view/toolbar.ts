/** The toolbar: search, view commands, focus, gradient flow, replay, exports. */
import type { FocusMode } from '../model/focus';
import type { ExportFormat } from '../protocol';
import { h } from '../util/dom';

export interface ToolbarActions {
  search(query: string): void;
  searchStep(delta: 1 | -1): void;
  fit(): void;
  zoom(factor: number): void;
  collapseAll(collapsed: boolean): void;
  focus(mode: FocusMode): void;
  toggleGradientFlow(): void;
  toggleReplay(): void;
  export(format: ExportFormat): void;
  toggleTheme: (() => void) | null;
  /** VS Code only: run the script again. */
  rerun: (() => void) | null;
}

export class Toolbar {
  readonly element: HTMLElement;
  readonly searchInput: HTMLInputElement;
  private readonly searchCount: HTMLElement;
  private readonly focusSelect: HTMLSelectElement;
  private readonly flowButton: HTMLButtonElement;
  private readonly replayButton: HTMLButtonElement;
  private readonly exportSelect: HTMLSelectElement;

  constructor(a: ToolbarActions) {
    const button = (label: string, title: string, onClick: () => void, id?: string): HTMLButtonElement =>
      h('button', { class: 'gs-button', type: 'button', title, id, attrs: { 'aria-label': title }, on: { click: onClick } }, label);
    // A symbol and a word; in a narrow panel only the symbol shows (the title and aria-label still say it all).
    const wordButton = (symbol: string, word: string, title: string, onClick: () => void, id: string): HTMLButtonElement =>
      h('button', { class: 'gs-button', type: 'button', title, id, attrs: { 'aria-label': title }, on: { click: onClick } }, symbol, h('span', { class: 'gs-button-word' }, ` ${word}`));
    this.searchInput = h('input', {
      class: 'gs-search',
      type: 'search',
      id: 'gs-search',
      // A short placeholder: it must still read in a side-bar-sized panel; the title says the rest.
      title: 'Search nodes by name, op or variable (Enter: next match)',
      attrs: { placeholder: 'Search nodes', 'aria-label': 'Search nodes by name, op or variable', autocomplete: 'off', spellcheck: 'false' },
    });
    this.searchInput.addEventListener('input', () => a.search(this.searchInput.value));
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        a.searchStep(e.shiftKey ? -1 : 1);
        e.preventDefault();
      } else if (e.key === 'Escape') {
        this.searchInput.value = '';
        a.search('');
      }
    });
    this.searchCount = h('span', { class: 'gs-search-count', id: 'gs-search-count', attrs: { 'aria-live': 'polite' } });
    this.focusSelect = h(
      'select',
      { class: 'gs-select', id: 'gs-focus', attrs: { 'aria-label': 'Focus' } },
      h('option', { attrs: { value: 'none' } }, 'Whole graph'),
      h('option', { attrs: { value: 'lossAncestors' } }, 'What feeds the loss'),
      h('option', { attrs: { value: 'pathToLoss' } }, 'Selection → loss'),
    );
    this.focusSelect.addEventListener('change', () => a.focus(this.focusSelect.value as FocusMode));
    this.flowButton = wordButton('∇', 'flow', 'Colour edges by gradient magnitude', () => a.toggleGradientFlow(), 'gs-flow');
    this.flowButton.setAttribute('aria-pressed', 'false');
    this.replayButton = wordButton('▶', 'Backward', 'Replay the backward pass step by step', () => a.toggleReplay(), 'gs-replay');
    this.replayButton.setAttribute('aria-pressed', 'false');
    this.exportSelect = h(
      'select',
      { class: 'gs-select', id: 'gs-export', attrs: { 'aria-label': 'Export' } },
      h('option', { attrs: { value: '' } }, 'Export…'),
      h('option', { attrs: { value: 'png' } }, 'PNG (current view)'),
      h('option', { attrs: { value: 'svg' } }, 'SVG (current graph)'),
      h('option', { attrs: { value: 'dot' } }, 'DOT (Graphviz)'),
      h('option', { attrs: { value: 'json' } }, 'JSON snapshot'),
      h('option', { attrs: { value: 'html' } }, 'Standalone HTML'),
    );
    this.exportSelect.addEventListener('change', () => {
      const v = this.exportSelect.value;
      this.exportSelect.value = '';
      if (v === 'png' || v === 'svg' || v === 'dot' || v === 'json' || v === 'html') a.export(v);
    });
    this.element = h(
      'div',
      { class: 'gs-toolbar', role: 'toolbar', attrs: { 'aria-label': 'Graph tools' } },
      h('div', { class: 'gs-group gs-group-search' }, this.searchInput, button('↑', 'Previous match', () => a.searchStep(-1)), button('↓', 'Next match', () => a.searchStep(1)), this.searchCount),
      h('div', { class: 'gs-group' }, button('Fit', 'Fit the graph in view', () => a.fit(), 'gs-fit'), button('+', 'Zoom in', () => a.zoom(1.25)), button('−', 'Zoom out', () => a.zoom(0.8))),
      h('div', { class: 'gs-group' }, button('⊟', 'Collapse all scopes', () => a.collapseAll(true), 'gs-collapse-all'), button('⊞', 'Expand all scopes', () => a.collapseAll(false), 'gs-expand-all'), this.focusSelect),
      h('div', { class: 'gs-group' }, this.flowButton, this.replayButton, this.exportSelect, a.toggleTheme ? button('◐', 'Switch light / dark', a.toggleTheme, 'gs-theme') : null, a.rerun ? wordButton('↻', 'Run', 'Run the script again', a.rerun, 'gs-rerun') : null),
    );
  }

  setSearchCount(text: string): void {
    this.searchCount.textContent = text;
  }

  setFocus(mode: FocusMode): void {
    this.focusSelect.value = mode;
  }

  setGradientFlow(on: boolean): void {
    this.flowButton.setAttribute('aria-pressed', String(on));
  }

  setReplay(on: boolean): void {
    this.replayButton.setAttribute('aria-pressed', String(on));
  }
}
