/**
 * The graph page's HTML skeleton, shared by the VS Code webview and the standalone export so both run
 * the same markup under the same kind of CSP. The page builds its whole UI from script (webview/main.ts);
 * the HTML only carries the CSP, the stylesheet, the configuration and (standalone) the data.
 */
import { escapeHtml } from './htmlEscape';

/**
 * NOTE [Cytoscape stylesheet id]: Cytoscape injects a nonce-less <style> into <head> unless an element
 * with this id already exists, which a strict `style-src` blocks (a securitypolicyviolation). Our own
 * stylesheet element takes the id, and media/graph.css carries the one rule Cytoscape wanted to add.
 */
export const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';

export const ROOT_ELEMENT_ID = 'gradscope-root';
export const SNAPSHOT_ELEMENT_ID = 'gradscope-snapshot';
export const WORKER_SOURCE_ELEMENT_ID = 'gradscope-layout-worker';

export type PageMode = 'vscode' | 'standalone';

export interface PageParts {
  csp: string;
  title: string;
  mode: PageMode;
  /** A `<link>` or `<style>` element carrying CYTOSCAPE_STYLESHEET_ID. */
  styleElement: string;
  /** Extra attributes on the root element (`data-*`), values unescaped. */
  rootData: Record<string, string>;
  /** Data blocks and scripts, already escaped, in order. */
  bodyEnd: string;
}

export function pageHtml(p: PageParts): string {
  const data = Object.entries(p.rootData)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(p.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
${p.styleElement}
</head>
<body>
<div id="${ROOT_ELEMENT_ID}" data-mode="${p.mode}"${data}></div>
${p.bodyEnd}
</body>
</html>
`;
}

/** A fresh nonce: 128 random bits, base64 (from Web Crypto, present in Node 20 and browsers). */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function assertNonce(nonce: string): void {
  // A nonce lands inside attributes and the CSP: restrict it to base64 characters.
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('nonce must be at least 16 base64 characters');
}
