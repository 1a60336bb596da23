/**
 * What every controller of the page can reach: the state, the views, the host and the other
 * controllers. The App (webview/app.ts) implements it; controllers take it in their constructor and
 * only use it from their methods, so they can be built in any order.
 */
import type { Host } from '../host';
import type { Palette } from '../view/palette';
import type { CanvasFlags } from './canvasFlags';
import type { DetailsPane } from './detailsPane';
import type { ExportController } from './exports';
import type { GradientFlowController } from './gradientFlow';
import type { GraphRenderer } from './graphRenderer';
import type { IterationController } from './iterations';
import type { PageViews } from './pageShell';
import type { PageState } from './pageState';
import type { ReplayController } from './replay';
import type { SavedStateStore } from './savedState';
import type { ScopeController } from './scopesAndFocus';
import type { SearchController } from './search';
import type { SelectionController } from './selection';

export interface Page {
  readonly root: HTMLElement;
  readonly host: Host;
  readonly state: PageState;
  readonly views: PageViews;
  /** The theme's colours (changes with the theme). */
  readonly palette: Palette;
  /** Tells screen readers (the polite live region). */
  announce(text: string): void;

  readonly renderer: GraphRenderer;
  readonly flags: CanvasFlags;
  readonly details: DetailsPane;
  readonly selection: SelectionController;
  readonly scopes: ScopeController;
  readonly search: SearchController;
  readonly replay: ReplayController;
  readonly iterations: IterationController;
  readonly gradientFlow: GradientFlowController;
  readonly exports: ExportController;
  readonly savedState: SavedStateStore;
}
