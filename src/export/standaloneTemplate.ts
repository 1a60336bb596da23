/**
 * The standalone graph page: one offline HTML file with the page script, its stylesheet, the layout
 * worker's source and the snapshot inlined. No network at all (`default-src 'none'`, no connect-src).
 * Pure: the extension host / CLI (standaloneHtml.ts) and the page itself (its own "export HTML") both use it.
 */
import { cssForStyleElement, jsForScriptElement, jsonForScriptElement } from './htmlEscape';
import { assertNonce, CYTOSCAPE_STYLESHEET_ID, pageHtml, SNAPSHOT_ELEMENT_ID, WORKER_SOURCE_ELEMENT_ID } from './pageTemplate';

export interface StandaloneAssets {
  /** dist/webview.js */
  script: string;
  /** media/graph.css */
  style: string;
  /** dist/layoutWorker.js */
  layoutWorker: string;
}

export function standaloneCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'img-src data: blob:',
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** A bundle's trailing source-map link points at a file the standalone page does not have. */
function withoutSourceMap(js: string): string {
  return js.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, '\n');
}

/** `snapshotJson`: the snapshot as JSON text (encodeSnapshotJson), non-finite numbers as strings. */
export function buildStandaloneHtml(snapshotJson: string, assets: StandaloneAssets, nonce: string, title: string): string {
  assertNonce(nonce);
  return pageHtml({
    csp: standaloneCsp(nonce),
    title,
    mode: 'standalone',
    styleElement: `<style id="${CYTOSCAPE_STYLESHEET_ID}" nonce="${nonce}">\n${cssForStyleElement(assets.style)}\n</style>`,
    rootData: {},
    bodyEnd: [
      `<script type="application/json" id="${SNAPSHOT_ELEMENT_ID}">${jsonForScriptElement(snapshotJson)}</script>`,
      `<script type="application/json" id="${WORKER_SOURCE_ELEMENT_ID}">${jsonForScriptElement(JSON.stringify(withoutSourceMap(assets.layoutWorker)))}</script>`,
      `<script nonce="${nonce}">\n${jsForScriptElement(withoutSourceMap(assets.script))}\n</script>`,
    ].join('\n'),
  });
}
