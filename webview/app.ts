/**
 * The graph inspector: holds the page's state (graph, collapsed scopes, focus, selection, search,
 * replay, gradient flow, iteration) and keeps the canvas, the outline, the details pane and the host
 * in step with it. Every change goes through one method here; views only report user intents.
 */
import type { SourceLocation } from '../src/protocol/snapshot';
import { encodeSnapshotJson } from '../src/protocol/snapshotJson';
import { modelToDot } from './export/dotExport';
import { sceneToSvg } from './export/svgExport';
import type { LayoutRunner } from './layout/layoutClient';
import { focusFilter, type FocusMode } from './model/focus';
import { GraphModel } from './model/graphModel';
import type { ViewSnapshot } from './model/scopeInfo';
import { scopeChain } from './model/scopes';
import { searchNodes } from './model/search';
import { buildVisibleGraph, type VisibleGraph } from './model/visibleGraph';
import { PROTOCOL_VERSION, type ExportFormat, type ToWebview } from './protocol';
import type { Host } from './host';
import { clear, h } from './util/dom';
import { baseName, shapeText } from './util/format';
import { edgeDetails, emptyDetails, nodeDetails, scopeDetails, type DetailsContext, type FrameView } from './view/details';
import { gradientFlowStyle, type GradientFlow } from './view/gradientFlowStyle';
import { GraphView } from './view/graphView';
import { scopeHulls } from './view/hulls';
import { neighbourItem, type SceneNavigation } from './view/navigation';
import { RunStatusView } from './view/runStatus';
import { IterationBar } from './view/iterationBar';
import { Legend } from './view/legend';
import { Outline, type OutlineTarget } from './view/outline';
import { readPalette, type Palette } from './view/palette';
import { ReplayBar } from './view/replayBar';
import { applyLayout, buildScene, LabelMeasurer, layoutInputOf, sceneNodeTitle, type Scene } from './view/scene';
import { applyTheme, currentTheme, watchTheme } from './view/theme';
import { Toolbar } from './view/toolbar';
import { Tooltip } from './view/tooltip';

type Selection = { kind: 'node'; node: number } | { kind: 'scope'; key: string } | { kind: 'edge'; edge: number } | null;

/** What the page remembers across hide/show of the panel (VS Code's webview state). */
interface SavedState {
  file: string;
  collapsed: string[];
  selected: string | null;
  gradFlow: boolean;
}

/** Graphs above this many nodes start with their outermost scopes collapsed. */
const COLLAPSE_SCOPES_ABOVE = 1500;
const REPLAY_INTERVAL_MS = 1100;

export interface Timings {
  /** Milliseconds per step of the last build (model, scene, layout round trip, canvas, frame). */
  phases: Record<string, number>;
  layoutMs: number;
  layoutMode: string;
  /** From receiving the graph to its first frame on screen. */
  firstFrameMs: number;
  sceneNodes: number;
  sceneEdges: number;
  windowed: boolean;
}

export class App {
  private model: GraphModel | null = null;
  private visible: VisibleGraph | null = null;
  private scene: Scene | null = null;
  private sceneLayer: Int32Array = new Int32Array(0);
  private sceneIn: number[][] = [];
  private sceneOut: number[][] = [];
  private keep: Uint8Array | null = null;
  private collapsed = new Set<string>();
  private focusMode: FocusMode = 'none';
  private focusFrom: number[] = [];
  private selection: Selection = null;
  private searchQuery = '';
  private searchMatches: number[] = [];
  private searchCurrent = -1;
  private searchTimer = 0;
  private linked: number[] = [];
  private replay: { step: number; playing: boolean; timer: number } | null = null;
  private gradFlow = false;
  private frameIndex = -1;
  private generation = 0;
  private palette: Palette;
  private readonly measurer: LabelMeasurer;
  timings: Timings | null = null;

  private readonly toolbar: Toolbar;
  private readonly replayBar: ReplayBar;
  private readonly iterationBar: IterationBar;
  private readonly graphView: GraphView;
  private readonly outline: Outline;
  private readonly legend = new Legend();
  private readonly tooltip = new Tooltip();
  private readonly detailsBody: HTMLElement;
  private readonly status: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly runStatus: RunStatusView;
  private readonly canvasWrap: HTMLElement;
  private readonly empty: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
    private readonly layout: LayoutRunner,
  ) {
    this.palette = readPalette();
    this.measurer = new LabelMeasurer(this.palette.monoFamily);
    this.toolbar = new Toolbar({
      search: (q) => this.scheduleSearch(q),
      searchStep: (d) => this.searchStep(d),
      fit: () => this.graphView.fit(),
      zoom: (f) => this.graphView.zoomBy(f),
      collapseAll: (c) => void this.collapseAll(c),
      focus: (m) => void this.setFocus(m),
      toggleGradientFlow: () => this.setGradientFlow(!this.gradFlow),
      toggleReplay: () => (this.replay ? this.stopReplay() : this.startReplay()),
      export: (f) => void this.export(f),
      toggleTheme: host.kind === 'standalone' ? () => this.setTheme(currentTheme() === 'dark' ? 'light' : 'dark') : null,
      rerun: host.kind === 'vscode' ? () => this.host.post({ v: PROTOCOL_VERSION, type: 'rerun' }) : null,
    });
    this.replayBar = new ReplayBar({
      step: (d) => this.replayGo((this.replay?.step ?? 0) + d),
      go: (i) => this.replayGo(i),
      togglePlay: () => this.replayTogglePlay(),
      close: () => this.stopReplay(),
    });
    this.iterationBar = new IterationBar((i) => this.setFrame(i));
    this.banner = h('div', { class: 'gs-banner', role: 'status', hidden: true });
    this.runStatus = new RunStatusView((loc) => this.openSource(null, loc));
    this.status = h('div', { class: 'gs-sr-only', id: 'gs-status', role: 'status', attrs: { 'aria-live': 'polite' } });
    const graphHost = h('div', { class: 'gs-graph' });
    this.empty = h('div', { class: 'gs-empty' }, 'Waiting for a run…');
    this.canvasWrap = h(
      'div',
      {
        class: 'gs-canvas-wrap',
        tabIndex: 0,
        role: 'application',
        attrs: { 'aria-label': 'Graph canvas. Arrow keys move between connected nodes, Enter opens the source, plus and minus zoom. The outline lists the same graph.', 'aria-describedby': 'gs-status' },
      },
      graphHost,
      this.legend.element,
      this.tooltip.element,
      this.empty,
    );
    this.detailsBody = h('div', { class: 'gs-details-body', id: 'gs-details' }, emptyDetails(false));
    this.outline = new Outline({
      select: (t) => this.selectFromOutline(t),
      activate: (t) => this.activateFromOutline(t),
      setScopeCollapsed: (k, c) => void this.setScopeCollapsed(k, c),
    });
    root.appendChild(
      h(
        'div',
        { class: 'gs-app' },
        h('header', { class: 'gs-header' }, this.toolbar.element, this.runStatus.element, this.replayBar.element, this.iterationBar.element, this.banner),
        h(
          'main',
          { class: 'gs-main' },
          this.canvasWrap,
          h(
            'aside',
            { class: 'gs-side' },
            h('section', { class: 'gs-details', attrs: { 'aria-labelledby': 'gs-details-heading' } }, h('h2', { id: 'gs-details-heading', class: 'gs-pane-heading' }, 'Details'), this.detailsBody),
            this.outline.element,
          ),
        ),
        this.status,
      ),
    );
    this.graphView = new GraphView(graphHost, this.palette, {
      nodeTap: (i) => this.onSceneTap(i),
      edgeTap: (j) => this.onEdgeTap(j),
      backgroundTap: () => this.select(null, { post: true }),
      hullTap: (key) => void this.setScopeCollapsed(key, true),
      hover: (i, x, y) => this.onHover(i, x, y),
    });
    this.canvasWrap.addEventListener('keydown', (e) => this.onCanvasKey(e));
    watchTheme(() => this.refreshTheme());
    this.legend.render(this.palette, null);
  }

  // ---- host messages -------------------------------------------------------------------------

  handle(msg: ToWebview, receivedAt = performance.now()): void {
    switch (msg.type) {
      case 'runStarted':
        this.runStatus.running(msg.file);
        break;
      case 'setGraph':
        this.runStatus.finished(msg.run, !msg.snapshot && this.model !== null);
        if (msg.snapshot) void this.setGraph(msg.snapshot, receivedAt);
        else if (!this.model) this.empty.textContent = msg.run.status === 'ok' ? 'The run recorded no graph.' : 'The run failed before it recorded a graph.';
        break;
      case 'revealNode': {
        const i = this.model?.indexOf.get(msg.nodeId);
        if (i !== undefined) void this.selectNode(i, { post: false, openSource: false, reveal: true });
        break;
      }
      case 'selectNodes':
        void this.setLinked(msg.nodeIds);
        break;
      case 'theme':
        this.setTheme(msg.kind);
        break;
    }
  }

  private setTheme(kind: Parameters<typeof applyTheme>[0]): void {
    applyTheme(kind);
    this.refreshTheme();
  }

  private refreshTheme(): void {
    this.palette = readPalette();
    this.graphView.setPalette(this.palette);
    if (this.gradFlow) this.applyGradientFlow();
    this.renderLegend();
    this.renderDetails();
  }

  // ---- graph -----------------------------------------------------------------------------------

  get snapshot(): ViewSnapshot | null {
    return this.model?.snapshot ?? null;
  }

  async setGraph(snapshot: ViewSnapshot, receivedAt = performance.now()): Promise<void> {
    const started = performance.now();
    const prev = this.model;
    const model = new GraphModel(snapshot);
    const saved = this.savedState();
    const sameFile = prev ? prev.snapshot.file === snapshot.file : saved?.file === snapshot.file;
    const defaults = this.defaultCollapsed(model);
    if (prev && sameFile) {
      const next = new Set<string>();
      for (const key of model.scopes.byKey.keys()) {
        if (prev.scopes.byKey.has(key) ? this.collapsed.has(key) : defaults.has(key)) next.add(key);
      }
      this.collapsed = next;
    } else if (!prev && saved && sameFile) {
      this.collapsed = new Set(saved.collapsed.filter((k) => model.scopes.byKey.has(k)));
      this.gradFlow = saved.gradFlow;
    } else this.collapsed = defaults;
    const prevSelected = this.selection?.kind === 'node' && prev ? prev.nodes[this.selection.node].id : !prev && sameFile ? (saved?.selected ?? null) : null;
    this.stopReplay();
    this.model = model;
    this.selection = null;
    if (sameFile && prevSelected !== null) {
      const i = model.indexOf.get(prevSelected);
      if (i !== undefined) this.selection = { kind: 'node', node: i };
    }
    if (!sameFile) this.focusMode = 'none';
    this.focusFrom = this.focusFrom.map((i) => (prev ? model.indexOf.get(prev.nodes[i]?.id ?? '') : undefined)).filter((i): i is number => i !== undefined);
    if (this.focusMode === 'pathToLoss' && this.focusFrom.length === 0) this.focusMode = 'none';
    this.toolbar.setFocus(this.focusMode);
    this.toolbar.setGradientFlow(this.gradFlow);
    this.linked = [];
    this.searchMatches = this.searchQuery ? searchNodes(model, this.searchQuery) : [];
    this.searchCurrent = this.searchMatches.length ? 0 : -1;
    const frames = snapshot.iterations?.frames ?? [];
    this.frameIndex = frames.length ? frames.length - 1 : -1;
    this.iterationBar.set(
      frames.map((f) => f.iteration),
      snapshot.iterations?.count ?? 0,
      Math.max(0, this.frameIndex),
    );
    const t = snapshot.truncation;
    this.banner.hidden = !t;
    this.banner.textContent = t ? `The capture kept part of the run: ${t.droppedNodes} nodes and ${t.droppedIterations} iterations dropped (${t.reason}).` : '';
    this.empty.hidden = true;
    await this.rebuild({ keepViewport: Boolean(prev && sameFile), reveal: null, started, receivedAt });
    this.announce(`Graph of ${baseName(snapshot.file)}: ${model.nodes.length} nodes, ${model.edges.length} edges.`);
  }

  private defaultCollapsed(model: GraphModel): Set<string> {
    const out = new Set<string>();
    for (const [key, s] of model.scopes.byKey) {
      // Composite ops read best as PyTorch's single node; big graphs start at module level.
      if (model.scopeInfo(s.name)?.kind === 'composite') out.add(key);
      else if (model.nodes.length > COLLAPSE_SCOPES_ABOVE && s.depth === 0) out.add(key);
    }
    return out;
  }

  /** Recomputes what is visible, lays it out off the main thread, shows it, re-applies every state. */
  private async rebuild(opts: { keepViewport: boolean; reveal: number[] | null; started?: number; receivedAt?: number }): Promise<void> {
    const model = this.model;
    if (!model) return;
    const gen = ++this.generation;
    const started = opts.receivedAt ?? opts.started ?? performance.now();
    const phases: Record<string, number> = {};
    let mark = performance.now();
    const phase = (name: string): void => {
      const now = performance.now();
      phases[name] = now - mark;
      mark = now;
    };
    if (opts.receivedAt !== undefined && opts.started !== undefined) phases.validate = opts.started - opts.receivedAt;
    if (opts.started !== undefined) phases.model = mark - opts.started;
    this.root.dataset.graphState = 'layout';
    const keep = focusFilter(model, this.focusMode, this.focusFrom);
    const visible = buildVisibleGraph(model, this.collapsed, keep);
    phase('visible');
    const scene = buildScene(model, visible, this.measurer);
    phase('scene');
    const layout = await this.layout.run(layoutInputOf(scene, model, visible));
    if (gen !== this.generation) return;
    phase('layout');
    applyLayout(scene, layout);
    this.keep = keep;
    this.visible = visible;
    this.scene = scene;
    this.sceneLayer = layout.layer;
    this.sceneIn = scene.nodes.map(() => []);
    this.sceneOut = scene.nodes.map(() => []);
    scene.edges.forEach((e, j) => {
      this.sceneOut[e.source].push(j);
      this.sceneIn[e.target].push(j);
    });
    const rootItems = model.roots.map((r) => visible.itemOfNode[r]).filter((i) => i >= 0);
    const shown = this.graphView.setScene(scene, opts.keepViewport ? this.graphView.viewport() : null, rootItems);
    this.graphView.setHulls(scopeHulls(model, visible, scene, this.collapsed));
    phase('canvas');
    await shown;
    if (gen !== this.generation) return;
    phase('frame');
    this.applyStates();
    const reveal = opts.reveal?.map((i) => visible.itemOfNode[i]).filter((i) => i >= 0) ?? [];
    if (reveal.length) this.graphView.reveal(reveal);
    await this.graphView.nextFrame();
    if (gen !== this.generation) return;
    phase('states');
    this.timings = {
      phases,
      layoutMs: layout.ms,
      layoutMode: this.layout.mode,
      firstFrameMs: performance.now() - started,
      sceneNodes: scene.nodes.length,
      sceneEdges: scene.edges.length,
      windowed: this.graphView.isWindowed,
    };
    this.root.dataset.graphState = 'ready';
    this.root.dataset.sceneNodes = String(scene.nodes.length);
    this.renderDetails();
    this.renderLegend();
    this.saveState();
    this.outline.render(model, this.collapsed, keep);
    this.outline.setSelected(this.outlineTarget(), true);
    this.outline.setMatches(this.searchMatches);
  }

  /** Pushes every state into the view's flags (after a new scene). */
  private applyStates(): void {
    this.applySelectionFlags();
    this.applySearchFlags();
    this.applyLinkedFlags();
    this.applyReplayFlags();
    if (this.gradFlow) this.applyGradientFlow();
  }

  private itemOf(node: number): number {
    return this.visible ? this.visible.itemOfNode[node] : -1;
  }

  private selectedItem(): number {
    const s = this.selection;
    if (!s || !this.scene) return -1;
    if (s.kind === 'node') return this.itemOf(s.node);
    if (s.kind === 'scope') return this.scene.nodes.findIndex((n) => n.scopeKey === s.key);
    return -1;
  }

  private applySelectionFlags(): void {
    const item = this.selectedItem();
    this.graphView.setNodeFlag('sel', item >= 0 ? [item] : []);
    const edges: number[] = [];
    if (item >= 0) edges.push(...this.sceneIn[item], ...this.sceneOut[item]);
    if (this.selection?.kind === 'edge' && this.visible) {
      const j = this.visible.edgeOfModelEdge[this.selection.edge];
      if (j >= 0) edges.push(j);
    }
    this.graphView.setEdgeFlag('hl', edges);
  }

  private applySearchFlags(): void {
    const items = new Set<number>();
    for (const i of this.searchMatches) {
      const it = this.itemOf(i);
      if (it >= 0) items.add(it);
    }
    this.graphView.setNodeFlag('match', items);
    const cur = this.searchCurrent >= 0 ? this.itemOf(this.searchMatches[this.searchCurrent]) : -1;
    this.graphView.setNodeFlag('matchCurrent', cur >= 0 ? [cur] : []);
    const dim: number[] = [];
    if (items.size && this.scene) for (let i = 0; i < this.scene.nodes.length; i++) if (!items.has(i)) dim.push(i);
    this.graphView.setNodeFlag('dim', dim);
    this.toolbar.setSearchCount(this.searchQuery ? (this.searchMatches.length ? `${this.searchCurrent + 1} of ${this.searchMatches.length}` : 'no match') : '');
  }

  private applyLinkedFlags(): void {
    this.graphView.setNodeFlag(
      'linked',
      this.linked.map((i) => this.itemOf(i)).filter((i) => i >= 0),
    );
  }

  private applyReplayFlags(): void {
    const model = this.model;
    if (!this.replay || !model) {
      this.graphView.setNodeFlag('rcur', []);
      this.graphView.setNodeFlag('rdone', []);
      this.graphView.setNodeFlag('rpend', []);
      this.graphView.setEdgeFlag('rflow', []);
      return;
    }
    const steps = model.backwardSteps;
    const cur = this.replay.step;
    const item = (k: number): number => this.itemOf(steps[k]);
    const curItem = item(cur);
    const done = new Set<number>();
    const pend = new Set<number>();
    steps.forEach((_, k) => {
      const it = item(k);
      if (it < 0 || it === curItem) return;
      (k < cur ? done : pend).add(it);
    });
    for (const it of done) pend.delete(it);
    this.graphView.setNodeFlag('rcur', curItem >= 0 ? [curItem] : []);
    this.graphView.setNodeFlag('rdone', done);
    this.graphView.setNodeFlag('rpend', pend);
    const flow: number[] = [];
    if (this.visible) for (const e of model.inEdges[steps[cur]]) {
      const j = this.visible.edgeOfModelEdge[e];
      if (j >= 0) flow.push(j);
    }
    this.graphView.setEdgeFlag('rflow', flow);
  }

  // ---- gradient flow ---------------------------------------------------------------------------

  private currentFrame(): FrameView | null {
    const frames = this.model?.snapshot.iterations?.frames;
    if (!frames || this.frameIndex < 0 || this.frameIndex >= frames.length) return null;
    // The last kept frame is the snapshot's own data: show that directly (edge gradients included).
    if (this.frameIndex === frames.length - 1) return null;
    return frames[this.frameIndex];
  }

  private gradientFlowStyle(): GradientFlow | null {
    const model = this.model;
    const scene = this.scene;
    if (!model || !scene) return null;
    return gradientFlowStyle(model, scene, this.currentFrame()?.grads ?? null, this.palette);
  }

  private applyGradientFlow(): void {
    const flow = this.gradFlow ? this.gradientFlowStyle() : null;
    this.graphView.setGradientFlow(flow?.style ?? null);
    this.renderLegend();
  }

  setGradientFlow(on: boolean): void {
    this.gradFlow = on;
    this.toolbar.setGradientFlow(on);
    this.applyGradientFlow();
    this.saveState();
    this.announce(on ? 'Edges coloured by gradient norm.' : 'Gradient colouring off.');
  }

  private renderLegend(): void {
    const flow = this.gradFlow ? this.gradientFlowStyle() : null;
    this.legend.render(this.palette, flow ? flow.legend : null);
  }

  // ---- selection -------------------------------------------------------------------------------

  private outlineTarget(): OutlineTarget | null {
    const s = this.selection;
    if (!s) return null;
    if (s.kind === 'node') return { kind: 'node', node: s.node };
    if (s.kind === 'scope') return { kind: 'scope', key: s.key };
    return null;
  }

  /** Makes a node visible (expands the boxes around it, leaves a focus that hides it). */
  private async ensureVisible(i: number): Promise<boolean> {
    const model = this.model;
    if (!model || !this.visible) return false;
    let changed = false;
    if (this.keep && !this.keep[i]) {
      this.focusMode = 'none';
      this.toolbar.setFocus('none');
      changed = true;
    }
    for (const s of scopeChain(model.scopes.nodeScope[i])) {
      if (this.collapsed.delete(s.key)) changed = true;
    }
    if (changed) await this.rebuild({ keepViewport: true, reveal: [i] });
    return changed;
  }

  async selectNode(i: number, how: { post: boolean; openSource: boolean; reveal: boolean; fromOutline?: boolean }): Promise<void> {
    const model = this.model;
    if (!model || i < 0 || i >= model.nodes.length) return;
    if (how.reveal) await this.ensureVisible(i);
    this.select({ kind: 'node', node: i }, { post: how.post, fromOutline: how.fromOutline });
    if (how.reveal) {
      const item = this.itemOf(i);
      if (item >= 0) this.graphView.reveal([item]);
    }
    const node = model.nodes[i];
    if (how.openSource && node.location) this.openSource(i, node.location);
  }

  private select(sel: Selection, how: { post: boolean; fromOutline?: boolean }): void {
    this.selection = sel;
    this.applySelectionFlags();
    this.renderDetails();
    this.outline.setSelected(this.outlineTarget(), !how.fromOutline);
    const model = this.model;
    if (sel?.kind === 'node' && model) {
      const node = model.nodes[sel.node];
      this.announce(`Selected ${model.displayName(sel.node)}, ${node.kind}, shape ${shapeText(node.tensor.shape)}.`);
      if (how.post) this.host.post({ v: PROTOCOL_VERSION, type: 'selectNode', nodeId: node.id, location: node.location });
    } else if (sel?.kind === 'scope' && model) {
      this.announce(`Selected scope ${model.scopes.byKey.get(sel.key)?.name ?? ''}.`);
    } else if (!sel && how.post) this.host.post({ v: PROTOCOL_VERSION, type: 'selectNode', nodeId: null, location: null });
    this.saveState();
  }

  private openSource(i: number | null, location: SourceLocation): void {
    const model = this.model;
    this.host.post({ v: PROTOCOL_VERSION, type: 'openSource', nodeId: i === null || !model ? null : model.nodes[i].id, location });
    if (this.host.kind === 'standalone') this.announce(`Source: ${location.file}:${location.line}:${location.column}`);
  }

  private onSceneTap(item: number): void {
    const s = this.scene?.nodes[item];
    if (!s) return;
    this.canvasWrap.focus({ preventScroll: true });
    if (s.scopeKey) {
      void this.setScopeCollapsed(s.scopeKey, false);
      return;
    }
    void this.selectNode(s.node, { post: true, openSource: true, reveal: false });
  }

  private onEdgeTap(j: number): void {
    const e = this.scene?.edges[j];
    if (!e) return;
    this.select({ kind: 'edge', edge: e.modelEdges[0] }, { post: false });
  }

  private onHover(item: number, x: number, y: number): void {
    const s = item >= 0 ? this.scene?.nodes[item] : undefined;
    if (!s) {
      this.tooltip.hide();
      return;
    }
    this.tooltip.show(sceneNodeTitle(this.model as GraphModel, s), x, y, this.canvasWrap.getBoundingClientRect());
  }

  private selectFromOutline(t: OutlineTarget): void {
    if (t.kind === 'node') void this.selectNode(t.node, { post: true, openSource: false, reveal: true, fromOutline: true });
    else {
      this.select({ kind: 'scope', key: t.key }, { post: false, fromOutline: true });
      const item = this.selectedItem();
      if (item >= 0) this.graphView.reveal([item]);
    }
  }

  private activateFromOutline(t: OutlineTarget): void {
    const model = this.model;
    if (!model) return;
    if (t.kind === 'scope') void this.setScopeCollapsed(t.key, !this.collapsed.has(t.key));
    else {
      const loc = model.nodes[t.node].location;
      if (loc) this.openSource(t.node, loc);
    }
  }

  private async setLinked(ids: string[]): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.linked = ids.map((id) => model.indexOf.get(id)).filter((i): i is number => i !== undefined);
    this.applyLinkedFlags();
    // The contract: an empty list clears the selection (the cursor left the graph's lines, or
    // another view cleared its selection).
    if (ids.length === 0 && this.selection) this.select(null, { post: false });
    if (this.linked.length) {
      await this.selectNode(this.linked[0], { post: false, openSource: false, reveal: true });
      const items = this.linked.map((i) => this.itemOf(i)).filter((i) => i >= 0);
      this.applyLinkedFlags();
      this.graphView.reveal(items);
    }
  }

  // ---- details ---------------------------------------------------------------------------------

  private detailsContext(): DetailsContext | null {
    const model = this.model;
    if (!model) return null;
    const replayNode = this.replay ? model.backwardSteps[this.replay.step] : -1;
    const sel = this.selection;
    return {
      model,
      palette: this.palette,
      frame: this.currentFrame(),
      iteration: model.snapshot.iterations?.frames[this.frameIndex]?.iteration ?? null,
      replay: this.replay && sel?.kind === 'node' && sel.node === replayNode ? { step: this.replay.step, total: model.backwardSteps.length } : null,
      actions: {
        selectNode: (i) => void this.selectNode(i, { post: true, openSource: false, reveal: true }),
        openSource: (i, loc) => this.openSource(i, loc),
        setScopeCollapsed: (k, c) => void this.setScopeCollapsed(k, c),
      },
    };
  }

  private renderDetails(): void {
    const ctx = this.detailsContext();
    clear(this.detailsBody);
    const sel = this.selection;
    if (!ctx || !sel) {
      this.detailsBody.appendChild(emptyDetails(Boolean(ctx)));
      return;
    }
    if (sel.kind === 'node') this.detailsBody.appendChild(nodeDetails(ctx, sel.node));
    else if (sel.kind === 'edge') this.detailsBody.appendChild(edgeDetails(ctx, sel.edge));
    else {
      const scope = ctx.model.scopes.byKey.get(sel.key);
      this.detailsBody.appendChild(scope ? scopeDetails(ctx, scope) : emptyDetails(true));
    }
  }

  private setFrame(index: number): void {
    this.frameIndex = index;
    this.renderDetails();
    if (this.gradFlow) this.applyGradientFlow();
    const frames = this.model?.snapshot.iterations?.frames;
    if (frames?.[index]) this.announce(`Showing iteration ${frames[index].iteration}.`);
  }

  // ---- collapse, focus, search -----------------------------------------------------------------

  async setScopeCollapsed(key: string, collapsed: boolean): Promise<void> {
    const model = this.model;
    const scope = model?.scopes.byKey.get(key);
    if (!model || !scope) return;
    if (collapsed) {
      this.collapsed.add(key);
      // The selection moves to the box that now holds it.
      if (this.selection?.kind === 'node' && scopeChain(model.scopes.nodeScope[this.selection.node]).includes(scope)) this.selection = { kind: 'scope', key };
    } else {
      this.collapsed.delete(key);
      if (this.selection?.kind === 'scope' && this.selection.key === key) this.selection = null;
    }
    await this.rebuild({ keepViewport: true, reveal: [scope.firstNode] });
    this.announce(`${collapsed ? 'Collapsed' : 'Expanded'} ${scope.name}.`);
  }

  private async collapseAll(collapsed: boolean): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.collapsed = collapsed ? new Set([...model.scopes.roots].map((s) => s.key)) : new Set();
    if (collapsed && this.selection?.kind === 'node') {
      const chain = scopeChain(model.scopes.nodeScope[this.selection.node]);
      if (chain.length) this.selection = { kind: 'scope', key: chain[0].key };
    }
    await this.rebuild({ keepViewport: false, reveal: null });
  }

  private async setFocus(mode: FocusMode): Promise<void> {
    const model = this.model;
    if (!model) return;
    if (mode === 'pathToLoss') {
      const sel = this.selection;
      const from = sel?.kind === 'node' ? [sel.node] : sel?.kind === 'scope' ? (model.scopes.byKey.get(sel.key) ? [model.scopes.byKey.get(sel.key)?.firstNode ?? 0] : []) : [];
      if (!from.length || !focusFilter(model, 'pathToLoss', from)) {
        this.announce(from.length ? 'The selection does not reach the loss.' : 'Select a node first.');
        this.toolbar.setFocus(this.focusMode);
        return;
      }
      this.focusFrom = from;
    }
    this.focusMode = mode;
    this.toolbar.setFocus(mode);
    await this.rebuild({ keepViewport: false, reveal: null });
  }

  private scheduleSearch(q: string): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => this.search(q), 120);
  }

  search(q: string): void {
    const model = this.model;
    this.searchQuery = q;
    this.searchMatches = model ? searchNodes(model, q) : [];
    this.searchCurrent = this.searchMatches.length ? 0 : -1;
    this.applySearchFlags();
    this.outline.setMatches(this.searchMatches);
    if (q) this.announce(this.searchMatches.length ? `${this.searchMatches.length} matches.` : 'No match.');
  }

  private searchStep(delta: 1 | -1): void {
    clearTimeout(this.searchTimer);
    if (this.toolbar.searchInput.value !== this.searchQuery) this.search(this.toolbar.searchInput.value);
    else if (this.searchMatches.length) this.searchCurrent = (this.searchCurrent + delta + this.searchMatches.length) % this.searchMatches.length;
    if (this.searchCurrent < 0) return;
    this.applySearchFlags();
    void this.selectNode(this.searchMatches[this.searchCurrent], { post: true, openSource: false, reveal: true });
  }

  // ---- replay ----------------------------------------------------------------------------------

  private startReplay(): void {
    const model = this.model;
    if (!model) return;
    if (!model.backwardSteps.length) {
      this.announce('No backward pass was recorded for this graph.');
      return;
    }
    this.replay = { step: 0, playing: false, timer: 0 };
    this.toolbar.setReplay(true);
    this.replayBar.show(true);
    this.replayGo(0);
  }

  private stopReplay(): void {
    if (this.replay) clearInterval(this.replay.timer);
    const was = this.replay !== null;
    this.replay = null;
    this.toolbar.setReplay(false);
    this.replayBar.show(false);
    if (was) {
      this.applyReplayFlags();
      this.renderDetails();
    }
  }

  private replayGo(step: number): void {
    const model = this.model;
    const r = this.replay;
    if (!model || !r) return;
    const total = model.backwardSteps.length;
    r.step = Math.max(0, Math.min(total - 1, step));
    const i = model.backwardSteps[r.step];
    this.replayBar.update(r.step, total, model.displayName(i), r.playing);
    this.applyReplayFlags();
    this.select({ kind: 'node', node: i }, { post: true });
    const item = this.itemOf(i);
    if (item >= 0) this.graphView.reveal([item]);
    if (r.playing && r.step === total - 1) this.replayTogglePlay();
  }

  private replayTogglePlay(): void {
    const r = this.replay;
    const model = this.model;
    if (!r || !model) return;
    r.playing = !r.playing;
    clearInterval(r.timer);
    if (r.playing) {
      if (r.step >= model.backwardSteps.length - 1) r.step = -1;
      r.timer = window.setInterval(() => this.replayGo((this.replay?.step ?? 0) + 1), REPLAY_INTERVAL_MS);
      this.replayGo(r.step + 1);
    } else this.replayBar.update(r.step, model.backwardSteps.length, model.displayName(model.backwardSteps[r.step]), false);
  }

  // ---- keyboard on the canvas ------------------------------------------------------------------

  private onCanvasKey(e: KeyboardEvent): void {
    const scene = this.scene;
    if (!scene) return;
    const cur = this.selectedItem();
    let next = -1;
    switch (e.key) {
      case 'ArrowUp':
      case 'ArrowDown':
      case 'ArrowLeft':
      case 'ArrowRight': {
        const start = cur >= 0 ? cur : this.model?.roots.length ? this.itemOf(this.model.roots[0]) : scene.nodes.length - 1;
        next = cur < 0 ? start : neighbourItem(this.navigation(), cur, e.key);
        break;
      }
      case 'Enter': {
        const s = cur >= 0 ? scene.nodes[cur] : null;
        if (s?.scopeKey) void this.setScopeCollapsed(s.scopeKey, false);
        else if (s && s.node >= 0 && this.model?.nodes[s.node].location) this.openSource(s.node, this.model.nodes[s.node].location as SourceLocation);
        break;
      }
      case 'Escape':
        if (this.replay) this.stopReplay();
        else this.select(null, { post: true });
        break;
      case '+':
      case '=':
        this.graphView.zoomBy(1.25);
        break;
      case '-':
        this.graphView.zoomBy(0.8);
        break;
      case '0':
        this.graphView.fit();
        break;
      case '/':
        this.toolbar.searchInput.focus();
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next >= 0) {
      const s = scene.nodes[next];
      if (s.scopeKey) this.select({ kind: 'scope', key: s.scopeKey }, { post: false });
      else this.select({ kind: 'node', node: s.node }, { post: true });
      this.graphView.reveal([next]);
    }
  }

  private navigation(): SceneNavigation {
    return { scene: this.scene as Scene, layer: this.sceneLayer, incoming: this.sceneIn, outgoing: this.sceneOut };
  }

  // ---- exports ---------------------------------------------------------------------------------

  private fileStem(): string {
    const file = this.model ? baseName(this.model.snapshot.file) : 'graph';
    return `${file.replace(/\.[^.]+$/, '') || 'graph'}-graph`;
  }

  /** The export's content (also what tests read back). */
  async exportContent(format: Exclude<ExportFormat, 'html'>): Promise<string> {
    // json: the standalone page's own file; in VS Code the host writes it from its snapshot.
    const model = this.model;
    const scene = this.scene;
    if (!model || !scene) throw new Error('no graph to export');
    switch (format) {
      case 'png':
        return this.graphView.pngBase64();
      case 'svg': {
        const flow = this.gradFlow ? this.gradientFlowStyle()?.style : null;
        const st = this.graphView.flagsForExport();
        return sceneToSvg(scene, (s) => sceneNodeTitle(model, s), this.palette, { ...st, edgeColor: flow?.color ?? null, edgeWidth: flow?.width ?? null, vanishing: flow?.vanishing ?? null }, `Gradscope graph of ${model.snapshot.file}`);
      }
      case 'dot':
        return modelToDot(model);
      case 'json':
        return encodeSnapshotJson(model.snapshot, 1);
    }
  }

  async export(format: ExportFormat): Promise<void> {
    if (!this.model) return;
    const fileName = `${this.fileStem()}.${format}`;
    try {
      if (format === 'html' || format === 'json') this.host.save({ format, fileName });
      else if (format === 'png') this.host.save({ format, fileName, base64: await this.exportContent('png') });
      else this.host.save({ format, fileName, text: await this.exportContent(format) });
      this.announce(`Exported ${fileName}.`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.announce(`Export failed: ${message}`);
      this.host.post({ v: PROTOCOL_VERSION, type: 'log', level: 'error', message: `export ${format} failed: ${message}` });
    }
  }

  // ---- misc ------------------------------------------------------------------------------------

  private announce(text: string): void {
    this.status.textContent = text;
  }

  private savedState(): SavedState | null {
    const s = this.host.getState();
    if (typeof s !== 'object' || s === null) return null;
    const r = s as Partial<SavedState>;
    if (typeof r.file !== 'string' || !Array.isArray(r.collapsed)) return null;
    return { file: r.file, collapsed: r.collapsed.filter((k): k is string => typeof k === 'string'), selected: typeof r.selected === 'string' ? r.selected : null, gradFlow: r.gradFlow === true };
  }

  private saveState(): void {
    const model = this.model;
    if (!model) return;
    const sel = this.selection;
    const state: SavedState = { file: model.snapshot.file, collapsed: [...this.collapsed], selected: sel?.kind === 'node' ? model.nodes[sel.node].id : null, gradFlow: this.gradFlow };
    this.host.setState(state);
  }

  /** For tests and tools: where a node is on screen, and what the last build cost. */
  debugInfo(): { clientPoint(id: string): { x: number; y: number } | null; hullLabelPoint(key: string): { x: number; y: number } | null; timings: Timings | null } {
    return {
      hullLabelPoint: (key) => this.graphView.hullLabelPoint(key),
      /** `id`: a node id, or a scope key for a collapsed box. */
      clientPoint: (id) => {
        const i = this.model?.indexOf.get(id);
        const item = i !== undefined ? this.itemOf(i) : (this.scene?.nodes.findIndex((n) => n.scopeKey === id) ?? -1);
        return item >= 0 ? this.graphView.clientPoint(item) : null;
      },
      timings: this.timings,
    };
  }
}
