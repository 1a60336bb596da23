/**
 * The HTML of the VS Code webview (panel and side view). Pure string building: the extension passes
 * `webview.asWebviewUri(...)` strings and `webview.cspSource`; tests serve exactly the same HTML.
 */
import { escapeHtml } from './htmlEscape';
import { assertNonce, CYTOSCAPE_STYLESHEET_ID, pageHtml } from './pageTemplate';

export interface WebviewHtmlOptions {
  /** dist/webview.js as a webview URI. */
  scriptUri: string;
  /** media/graph.css as a webview URI. */
  styleUri: string;
  /** dist/layoutWorker.js as a webview URI (fetched, then started from a blob: see layoutClient.ts). */
  layoutWorkerUri: string;
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  title?: string;
}

export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    // The layout worker's script is fetched from the extension's files, then started from a blob.
    `connect-src ${cspSource}`,
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * `webview.cspSource` is a list of sources (VS Code 1.96: `'self' https://*.vscode-cdn.net`). Each must
 * be `'self'` or a scheme/host source: anything that could end a directive or widen it is refused.
 */
function checkCspSource(cspSource: string): void {
  const tokens = cspSource.trim().split(/\s+/);
  const ok = tokens.length > 0 && tokens.every((t) => t === "'self'" || /^([a-z][a-z0-9+.-]*:)?(\/\/)?[\w*][\w.*:+-]*(\/[^\s;,'"<>]*)?$/i.test(t) || /^[a-z][a-z0-9+.-]*:$/i.test(t));
  if (!ok || tokens.includes('*')) throw new Error(`cspSource has unexpected sources: ${JSON.stringify(cspSource)}`);
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  assertNonce(o.nonce);
  checkCspSource(o.cspSource);
  return pageHtml({
    csp: webviewCsp(o.cspSource.trim().split(/\s+/).join(' '), o.nonce),
    title: o.title ?? 'Gradscope graph',
    mode: 'vscode',
    styleElement: `<link rel="stylesheet" id="${CYTOSCAPE_STYLESHEET_ID}" href="${escapeHtml(o.styleUri)}" nonce="${o.nonce}">`,
    rootData: { 'layout-worker': o.layoutWorkerUri },
    bodyEnd: `<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>`,
  });
}
