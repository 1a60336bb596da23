/**
 * The page's skeleton: toolbar and bars on top, the canvas with its legend under it, the details and
 * the outline beside (or below, in narrow views). Builds every view and routes their user intents to
 * the controllers; holds no state of its own.
 */
import { PROTOCOL_VERSION } from '../protocol';
import { h } from '../util/dom';
import { emptyDetails } from '../view/details';
import { GraphView } from '../view/graphView';
import { IterationBar } from '../view/iterationBar';
import { Legend } from '../view/legend';
import { Outline } from '../view/outline';
import type { Palette } from '../view/palette';
import { ReplayBar } from '../view/replayBar';
import { RunStatusView } from '../view/runStatus';
import { Toolbar } from '../view/toolbar';
import { Tooltip } from '../view/tooltip';
import { TruncationNotice } from '../view/truncationNotice';
import type { Page } from './page';

export interface PageViews {
  toolbar: Toolbar;
  runStatus: RunStatusView;
  replayBar: ReplayBar;
  iterationBar: IterationBar;
  truncation: TruncationNotice;
  graph: GraphView;
  legend: Legend;
  tooltip: Tooltip;
  outline: Outline;
  detailsBody: HTMLElement;
  /** The focusable canvas area (keyboard navigation). */
  canvasWrap: HTMLElement;
  /** "Waiting for a run…" over the empty canvas. */
  empty: HTMLElement;
  /** The polite live region. */
  status: HTMLElement;
}

export function buildPageShell(root: HTMLElement, palette: Palette, page: Page, themeToggle: (() => void) | null): PageViews {
  const toolbar = new Toolbar({
    search: (q) => page.search.schedule(q),
    searchStep: (d) => page.search.step(d),
    fit: () => page.views.graph.fit(),
    zoom: (f) => page.views.graph.zoomBy(f),
    collapseAll: (c) => void page.scopes.collapseAll(c),
    focus: (m) => void page.scopes.setFocus(m),
    toggleGradientFlow: () => page.gradientFlow.set(!page.state.gradFlow),
    toggleReplay: () => page.replay.toggle(),
    export: (f) => void page.exports.export(f),
    toggleTheme: themeToggle,
    rerun: page.host.kind === 'vscode' ? () => page.host.post({ v: PROTOCOL_VERSION, type: 'rerun' }) : null,
  });
  const replayBar = new ReplayBar({
    step: (d) => page.replay.go((page.state.replay?.step ?? 0) + d),
    go: (i) => page.replay.go(i),
    togglePlay: () => page.replay.togglePlay(),
    close: () => page.replay.stop(),
  });
  const iterationBar = new IterationBar((i) => page.iterations.setFrame(i));
  const truncation = new TruncationNotice();
  const runStatus = new RunStatusView((loc) => page.selection.openSource(null, loc));
  const status = h('div', { class: 'gs-sr-only', id: 'gs-status', role: 'status', attrs: { 'aria-live': 'polite' } });
  const graphHost = h('div', { class: 'gs-graph' });
  const empty = h('div', { class: 'gs-empty' }, 'Waiting for a run…');
  const legend = new Legend();
  const tooltip = new Tooltip();
  const canvasWrap = h(
    'div',
    {
      class: 'gs-canvas-wrap',
      tabIndex: 0,
      role: 'application',
      attrs: {
        'aria-label': 'Graph canvas. Arrow keys move between connected nodes, Enter opens the source, plus and minus zoom. The outline lists the same graph.',
        'aria-describedby': 'gs-status',
      },
    },
    graphHost,
    tooltip.element,
    empty,
  );
  const detailsBody = h('div', { class: 'gs-details-body', id: 'gs-details' }, emptyDetails(false));
  const outline = new Outline({
    select: (t) => page.selection.selectFromOutline(t),
    activate: (t) => page.selection.activateFromOutline(t),
    setScopeCollapsed: (k, c) => void page.scopes.setScopeCollapsed(k, c),
  });
  root.appendChild(
    h(
      'div',
      { class: 'gs-app' },
      h('header', { class: 'gs-header' }, toolbar.element, runStatus.element, replayBar.element, iterationBar.element, truncation.element),
      h(
        'main',
        { class: 'gs-main' },
        h('div', { class: 'gs-canvas-column' }, canvasWrap, legend.element),
        h(
          'aside',
          { class: 'gs-side' },
          h('section', { class: 'gs-details', attrs: { 'aria-labelledby': 'gs-details-heading' } }, h('h2', { id: 'gs-details-heading', class: 'gs-pane-heading' }, 'Details'), detailsBody),
          outline.element,
        ),
      ),
      status,
    ),
  );
  const graph = new GraphView(graphHost, palette, {
    nodeTap: (i) => page.selection.onSceneTap(i),
    edgeTap: (j) => page.selection.onEdgeTap(j),
    backgroundTap: () => page.selection.select(null, { post: true }),
    hullTap: (key) => void page.scopes.setScopeCollapsed(key, true),
    hover: (i, x, y) => page.selection.onHover(i, x, y),
  });
  return { toolbar, runStatus, replayBar, iterationBar, truncation, graph, legend, tooltip, outline, detailsBody, canvasWrap, empty, status };
}
