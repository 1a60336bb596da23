/** The page templates: the webview HTML the extension serves and the standalone file. */
import assert from 'node:assert/strict';
import { jsonForScriptElement } from '../../src/export/htmlEscape';
import { buildStandaloneHtml } from '../../src/export/standaloneTemplate';
import { renderWebviewHtml } from '../../src/export/webviewHtml';

const opts = {
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/graph.css?v="1"',
  layoutWorkerUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/layoutWorker.js',
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'YWJjZGVmZ2hpamtsbW5vcA==',
};

describe('renderWebviewHtml', () => {
  it('serves the page with a nonce-based CSP and the worker URI for fetch + blob', () => {
    const html = renderWebviewHtml(opts);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], [`'nonce-${opts.nonce}'`]);
    assert.deepEqual(directives['style-src'], [opts.cspSource, `'nonce-${opts.nonce}'`]);
    assert.deepEqual(directives['connect-src'], [opts.cspSource]);
    assert.deepEqual(directives['worker-src'], ['blob:']);
    assert.doesNotMatch(csp, /unsafe-/);
    assert.ok(html.includes(`<script nonce="${opts.nonce}" src="${opts.scriptUri}"></script>`));
    assert.ok(html.includes(`data-layout-worker="${opts.layoutWorkerUri}"`));
    assert.ok(html.includes('href="https://file+.vscode-resource.vscode-cdn.net/ext/media/graph.css?v=&quot;1&quot;"'), 'URIs are attribute-escaped');
    assert.ok(html.includes('id="__________cytoscape_stylesheet"'), 'our stylesheet stands in for the one Cytoscape would inject');
  });

  it("accepts VS Code's own cspSource, 'self' included", () => {
    const html = renderWebviewHtml({ ...opts, cspSource: "'self' https://*.vscode-cdn.net" });
    assert.ok(html.includes("style-src 'self' https://*.vscode-cdn.net 'nonce-"));
  });

  it('refuses nonces and CSP sources that could break out of the policy', () => {
    assert.throws(() => renderWebviewHtml({ ...opts, nonce: "abc'; script-src *" }), /nonce/);
    assert.throws(() => renderWebviewHtml({ ...opts, nonce: 'short' }), /nonce/);
    assert.throws(() => renderWebviewHtml({ ...opts, cspSource: "https://x; script-src 'unsafe-eval'" }), /cspSource/);
    assert.throws(() => renderWebviewHtml({ ...opts, cspSource: "'unsafe-inline'" }), /cspSource/);
    assert.throws(() => renderWebviewHtml({ ...opts, cspSource: '*' }), /cspSource/);
  });
});

describe('standalone template', () => {
  it('keeps data from ending its element', () => {
    const evil = JSON.stringify({ s: '</script><script>alert(1)</script><!-- \u2028' });
    const block = jsonForScriptElement(evil);
    assert.doesNotMatch(block, /<\/script/i);
    assert.doesNotMatch(block, /<!--/);
    assert.deepEqual(JSON.parse(block), JSON.parse(evil));
  });

  it('inlines the assets once each, without their source-map links', () => {
    const html = buildStandaloneHtml('{"version":1}', { script: 'console.log("</script>")\n//# sourceMappingURL=webview.js.map\n', style: 'body{}', layoutWorker: 'self.onmessage=null\n//# sourceMappingURL=layoutWorker.js.map' }, opts.nonce, 'T <&>');
    assert.doesNotMatch(html, /sourceMappingURL/);
    assert.equal(html.match(/<\/script>/g)?.length, 3);
    assert.ok(html.includes('console.log("<\\/script>")'));
    assert.ok(html.includes('<title>T &lt;&amp;&gt;</title>'));
    assert.ok(html.includes(`<style id="__________cytoscape_stylesheet" nonce="${opts.nonce}">`));
  });
});
