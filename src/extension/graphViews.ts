/**
 * The two places the graph is shown: a panel beside the editor (WebviewPanel) and a view in the
 * "Gradscope" activity-bar container (WebviewView). Both load the same page, restricted to the
 * extension's `dist/` and `media/` folders, and are kept in sync by the GraphHub.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderWebviewHtml } from '../export/webviewHtml';
import type { GraphHub } from './graphHub';

export const PANEL_VIEW_TYPE = 'gradscope.graphPanel';
export const SIDE_VIEW_ID = 'gradscope.graphView';

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The page, with a fresh nonce for each load (its CSP allows only scripts carrying it). */
function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  return renderWebviewHtml({
    scriptUri: asset('dist', 'webview.js'),
    styleUri: asset('media', 'graph.css'),
    layoutWorkerUri: asset('dist', 'layoutWorker.js'),
    cspSource: webview.cspSource,
    nonce: randomBytes(18).toString('base64'),
  });
}

/** The panel beside the editor: at most one, created on demand. */
export class GraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private connection: vscode.Disposable | null = null;

  constructor(private readonly extensionUri: vscode.Uri, private readonly hub: GraphHub) {}

  get isOpen(): boolean {
    return this.panel !== null;
  }

  /** Shows the panel (beside the active editor when it has to be created). */
  show(options: { preserveFocus: boolean }): void {
    if (this.panel) {
      this.panel.reveal(undefined, options.preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE, 'Gradscope Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus },
      // NOTE: keep the page alive while hidden: re-laying out a large graph on every tab switch is slow.
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: true },
    );
    panel.webview.html = pageHtml(panel.webview, this.extensionUri);
    this.connection = this.hub.attach(panel.webview);
    panel.onDidDispose(() => {
      this.connection?.dispose();
      this.connection = null;
      this.panel = null;
    });
    this.panel = panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** The side view: VS Code creates it when the user opens the container. */
export class GraphViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | null = null;

  constructor(private readonly extensionUri: vscode.Uri, private readonly hub: GraphHub) {}

  get isResolved(): boolean {
    return this.view !== null;
  }

  /** Resolved and on screen (its container is open). */
  get isVisible(): boolean {
    return this.view?.visible === true;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = pageHtml(view.webview, this.extensionUri);
    const connection = this.hub.attach(view.webview);
    this.view = view;
    view.onDidDispose(() => {
      connection.dispose();
      if (this.view === view) this.view = null;
    });
  }
}
