/**
 * The graph inspector's composition root: builds the state, the views and the controllers that change
 * them (webview/page/), and answers the page's entry (main.ts) and its tests. Each controller owns one
 * concern; they reach each other through this object (the `Page` they are given).
 */
import type { Host } from './host';
import type { LayoutRunner } from './layout/layoutClient';
import type { ViewSnapshot } from './model/scopeInfo';
import { CanvasFlags } from './page/canvasFlags';
import { onCanvasKey } from './page/canvasKeys';
import { debugGeometry, type DebugGeometry } from './page/debugGeometry';
import { DetailsPane } from './page/detailsPane';
import { ExportController } from './page/exports';
import { GradientFlowController } from './page/gradientFlow';
import { GraphLoader } from './page/graphLoader';
import { GraphRenderer, type Timings } from './page/graphRenderer';
import { handleHostMessage } from './page/hostMessages';
import { IterationController } from './page/iterations';
import type { Page } from './page/page';
import { buildPageShell, type PageViews } from './page/pageShell';
import { PageState } from './page/pageState';
import { ReplayController } from './page/replay';
import { SavedStateStore } from './page/savedState';
import { ScopeController } from './page/scopesAndFocus';
import { SearchController } from './page/search';
import { SelectionController } from './page/selection';
import type { ThemeKind, ToWebview } from './protocol';
import { readPalette, type Palette } from './view/palette';
import { LabelMeasurer } from './view/scene';
import { applyTheme, currentTheme, watchTheme } from './view/theme';

export type { Timings } from './page/graphRenderer';

export class App implements Page {
  readonly state = new PageState();
  readonly views: PageViews;
  palette: Palette;

  readonly renderer: GraphRenderer;
  readonly flags: CanvasFlags = new CanvasFlags(this);
  readonly details: DetailsPane = new DetailsPane(this);
  readonly selection: SelectionController = new SelectionController(this);
  readonly scopes: ScopeController = new ScopeController(this);
  readonly search: SearchController = new SearchController(this);
  readonly replay: ReplayController = new ReplayController(this);
  readonly iterations: IterationController = new IterationController(this);
  readonly gradientFlow: GradientFlowController = new GradientFlowController(this);
  readonly exports: ExportController = new ExportController(this);
  readonly savedState: SavedStateStore = new SavedStateStore(this);
  private readonly loader: GraphLoader = new GraphLoader(this);

  constructor(
    readonly root: HTMLElement,
    readonly host: Host,
    layout: LayoutRunner,
  ) {
    this.palette = readPalette();
    const themeToggle = host.kind === 'standalone' ? () => this.setTheme(currentTheme() === 'dark' ? 'light' : 'dark') : null;
    this.views = buildPageShell(root, this.palette, this, themeToggle);
    this.renderer = new GraphRenderer(this, layout, new LabelMeasurer(this.palette.monoFamily));
    this.views.canvasWrap.addEventListener('keydown', (e) => onCanvasKey(this, e));
    watchTheme(() => this.refreshTheme());
    this.views.legend.render(this.palette, null);
  }

  announce(text: string): void {
    this.views.status.textContent = text;
  }

  handle(msg: ToWebview, receivedAt = performance.now()): void {
    handleHostMessage(this, this.loader, (kind) => this.setTheme(kind), msg, receivedAt);
  }

  get snapshot(): ViewSnapshot | null {
    return this.state.model?.snapshot ?? null;
  }

  get timings(): Timings | null {
    return this.renderer.timings;
  }

  setGraph(snapshot: ViewSnapshot, receivedAt = performance.now()): Promise<void> {
    return this.loader.setGraph(snapshot, receivedAt);
  }

  private setTheme(kind: ThemeKind): void {
    applyTheme(kind);
    this.refreshTheme();
  }

  private refreshTheme(): void {
    this.palette = readPalette();
    this.views.graph.setPalette(this.palette);
    this.gradientFlow.apply();
    this.details.render();
  }

  /** For tests and tools: where a node is on screen, and what the last build cost. */
  debugInfo(): { clientPoint(id: string): { x: number; y: number } | null; hullLabelPoint(key: string): { x: number; y: number } | null; geometry(): DebugGeometry | null; timings: Timings | null } {
    return {
      geometry: () => debugGeometry(this),
      hullLabelPoint: (key) => this.views.graph.hullLabelPoint(key),
      /** `id`: a node id, or a scope key for a collapsed box. */
      clientPoint: (id) => {
        const i = this.state.model?.indexOf.get(id);
        const item = i !== undefined ? this.state.itemOf(i) : this.state.boxItemOf(id);
        return item >= 0 ? this.views.graph.clientPoint(item) : null;
      },
      timings: this.timings,
    };
  }
}
