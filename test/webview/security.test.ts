/**
 * Hostile strings in the snapshot (tensor names, labels, file paths, scopes, attributes, rules, saved
 * tensor names, printed text) must show as text everywhere: outline, details, tooltips, exports, the
 * standalone HTML. Nothing they contain may run, and no CSP violation may fire (which would mean the
 * page tried to create something the policy forbids).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { renderStandaloneHtml } from '../../src/export/standaloneHtml';
import type { GraphSnapshot } from '../../src/protocol/snapshot';
import { parseDot } from './dotParser';
import { readFixture, useBrowser, type WebviewPage } from './harness';

/** Each payload would set window.__xss to its number if it ever ran. */
const P = {
  file: '/tmp/"><img src=x onerror="window.__xss=1">/autograd.ts',
  w: '<img src=x onerror="window.__xss=2">',
  x: '</script><script>window.__xss=3</script>',
  mmLabel: '<svg onload="window.__xss=4">MmBackward0',
  scope: '<b onmouseover="window.__xss=5">matmul</b>',
  add: '"\'><iframe src="javascript:window.__xss=6">',
  attrValue: '<script>window.__xss=7</script>',
  attrKey: '<img src=x onerror=window.__xss=8>',
  saved: '<a href="javascript:window.__xss=9">self</a>',
  rule: '<style>body{display:none}</style>{{constructor.constructor("window.__xss=10")()}}',
  text: 'tensor(<b onclick="window.__xss=11">0.6819</b>)',
  bId: 'b"]; <script>window.__xss=12</script> \\l\\N',
};

function hostileSnapshot(): GraphSnapshot {
  const s = JSON.parse(JSON.stringify(readFixture('tutorial.json'))) as GraphSnapshot;
  s.file = P.file;
  for (const n of s.nodes) {
    if (n.location) n.location.file = P.file;
    if (n.id === 'w') n.varName = P.w;
    if (n.id === 'x') n.varName = P.x;
    if (n.id === 'mm') n.label = P.mmLabel;
    if (n.scope.length) n.scope = [P.scope];
    if (n.id === 'add') {
      n.varName = P.add;
      // An own `__proto__` key, as JSON.parse makes it: must not reach Object.prototype.
      n.attrs = { alpha: P.attrValue, [P.attrKey]: 1, ...(JSON.parse('{"__proto__": {"polluted": "yes"}}') as object) };
    }
    if (n.id === 'bce') {
      n.rule = P.rule;
      n.saved = n.saved.map((sv, i) => (i === 0 ? { ...sv, name: P.saved } : sv));
      n.tensor = { ...n.tensor, text: P.text };
    }
    if (n.id === 'b') n.id = P.bId;
  }
  for (const e of s.edges) {
    if (e.source === 'b') e.source = P.bId;
    e.id = `${e.id}"><x>`;
  }
  for (const b of s.bindings) {
    if (b.nodeId === 'b') b.nodeId = P.bId;
    b.location.file = P.file;
  }
  return s;
}

async function assertNothingRan(wp: WebviewPage, scripts: number): Promise<void> {
  const state = await wp.page.evaluate(() => {
    const handlers = Array.from(document.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}@${a.name}`));
    return {
      xss: (window as unknown as { __xss?: number }).__xss ?? null,
      polluted: ({} as { polluted?: string }).polluted ?? null,
      handlers,
      injected: document.querySelectorAll('img, iframe, object, embed, b, a[href], style:not(#__________cytoscape_stylesheet)').length,
      scripts: document.querySelectorAll('script:not([type="application/json"])').length,
      bodyVisible: getComputedStyle(document.body).display !== 'none',
    };
  });
  assert.deepEqual(state, { xss: null, polluted: null, handlers: [], injected: 0, scripts, bodyVisible: true });
  assert.deepEqual(await wp.cspViolations(), [], 'no securitypolicyviolation');
}

describe('hostile strings in the snapshot', function () {
  this.timeout(90_000);
  const hostile = hostileSnapshot();
  const suite = useBrowser();

  it('show as text in the outline, details and tooltips, and nothing runs (VS Code page)', async () => {
    const wp = await suite.openWebview();
    try {
      await wp.setGraph(hostile);
      const outline = (await wp.outline()).map((o) => o.text).join('\n');
      for (const p of [P.w, P.x, P.mmLabel, P.scope, P.add]) assert.ok(outline.includes(p), `outline shows ${p}`);
      for (const id of ['w', 'mm', 'add', 'bce', P.bId]) {
        await wp.clickNode(id);
        const node = hostile.nodes.find((n) => n.id === id) as GraphSnapshot['nodes'][number];
        const details = await wp.detailsText();
        assert.ok(details.includes(node.kind === 'op' ? node.label : (node.varName ?? node.label)), `details of ${id}`);
      }
      await wp.clickNode('bce');
      const bce = await wp.detailsText();
      for (const p of [P.rule, P.saved, P.text]) assert.ok(bce.includes(p), `details show ${p}`);
      await wp.clickNode('add');
      const add = await wp.detailsText();
      for (const p of [P.attrValue, P.attrKey]) assert.ok(add.includes(p), `details show ${p}`);
      await wp.clickNode('mm');
      assert.ok((await wp.detailsText()).includes(P.scope), 'the scope breadcrumb shows the scope name');
      // Tooltip: hover the leaf whose name is an <img> tag.
      const pw = await wp.pointOf('w');
      await wp.page.mouse.move(pw.x, pw.y);
      await wp.page.waitForSelector('.gs-tooltip:not([hidden])');
      const tip = await wp.page.$eval('.gs-tooltip', (e) => ({ text: e.textContent ?? '', children: e.children.length }));
      assert.ok(tip.text.includes(P.w), tip.text);
      assert.equal(tip.children, 0);
      // The location link shows the hostile path as text and posts it verbatim.
      await wp.clearPosted();
      await wp.page.click('#gs-details .gs-location');
      assert.equal(((await wp.waitForPosted('openSource')).location as { file: string }).file, P.file);
      await assertNothingRan(wp, 1);
      assert.deepEqual(wp.consoleErrors, []);
    } finally {
      await wp.close();
    }
  });

  it('stay text in the SVG, DOT and JSON exports', async () => {
    const wp = await suite.openWebview();
    try {
      await wp.setGraph(hostile);
      const take = async (format: string): Promise<Record<string, unknown>> => {
        await wp.clearPosted();
        await wp.page.selectOption('#gs-export', format);
        return wp.waitForPosted('export');
      };
      const svg = String((await take('svg')).data);
      const read = await wp.page.evaluate((src) => {
        const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          text: Array.from(doc.querySelectorAll('text, title')).map((t) => t.textContent).join('\n'),
          elements: Array.from(new Set(Array.from(doc.querySelectorAll('*')).map((e) => e.localName))).sort(),
          handlers: Array.from(doc.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value)).map((a) => a.name)),
        };
      }, svg);
      assert.equal(read.error, null);
      for (const p of [P.w, P.x, P.mmLabel, P.add]) assert.ok(read.text.includes(p), `SVG text shows ${p}`);
      assert.deepEqual(read.handlers, []);
      for (const el of read.elements) assert.ok(['svg', 'title', 'defs', 'marker', 'path', 'rect', 'g', 'text', 'tspan'].includes(el), `unexpected SVG element ${el}`);

      const dot = parseDot(String((await take('dot')).data));
      const labelOf = (id: string): string => (dot.nodes.get(id)?.label ?? '').split('\n')[0];
      assert.equal(labelOf('w'), P.w);
      assert.equal(labelOf('x'), P.x);
      assert.equal(labelOf('mm'), P.mmLabel);
      assert.equal(labelOf(P.bId), 'b');
      assert.ok(dot.edges.some((e) => e.from === P.bId && e.to === 'add'), 'the hostile id survives as an id');
      assert.ok(dot.subgraphs.some((s) => s.attrs.label === P.scope));

      await assertNothingRan(wp, 1);
    } finally {
      await wp.close();
    }
  });

  it('cannot break out of the standalone HTML, and its JSON export gives them back exactly', async () => {
    const html = renderStandaloneHtml(hostile);
    // The only `</script` sequences are the elements' own ends.
    assert.equal(html.match(/<\/script/gi)?.length, 3);
    const wp = await suite.open(suite.server.host(html));
    try {
      await wp.waitForGraph();
      const outline = (await wp.outline()).map((o) => o.text).join('\n');
      for (const p of [P.w, P.x, P.mmLabel, P.add]) assert.ok(outline.includes(p), `standalone outline shows ${p}`);
      assert.equal(await wp.page.title(), `Gradscope graph: autograd.ts`);
      const download = wp.page.waitForEvent('download');
      await wp.page.selectOption('#gs-export', 'json');
      const text = fs.readFileSync(await (await download).path(), 'utf8');
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(hostile)));
      await assertNothingRan(wp, 1);
      assert.deepEqual(wp.consoleErrors, []);
    } finally {
      await wp.close();
    }
  });
});
