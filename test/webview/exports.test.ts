/**
 * Exports: PNG, SVG, DOT, JSON from the VS Code page (posted to the host), the standalone HTML
 * (rendered host-side, opened offline, exporting by download), each read back and checked.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderStandaloneHtml } from '../../src/export/standaloneHtml';
import { decodeSnapshotJson } from '../../src/protocol/snapshotJson';
import { parseDot } from './dotParser';
import { readFixture, useBrowser, useGraphPage, type PostedMessage, type WebviewPage } from './harness';

const tutorial = readFixture('tutorial.json');

async function exportVia(wp: WebviewPage, format: string): Promise<PostedMessage> {
  await wp.clearPosted();
  await wp.page.selectOption('#gs-export', format);
  const msg = await wp.waitForPosted('export');
  assert.equal(msg.format, format);
  assert.equal(await wp.page.$eval('#gs-export', (e) => (e as HTMLSelectElement).value), '', 'the menu resets');
  return msg;
}

/** Reads an SVG with the browser's XML parser and reports what the tests check. */
async function readSvg(wp: WebviewPage, text: string): Promise<{ error: string | null; nodes: number; edges: number; texts: string[]; titles: string[]; scripts: number; handlers: string[]; strokeWidths: number[] }> {
  return wp.page.evaluate((src) => {
    const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
    const err = doc.querySelector('parsererror');
    const all = Array.from(doc.querySelectorAll('*'));
    return {
      error: err ? (err.textContent ?? 'parse error') : null,
      nodes: doc.querySelectorAll('g.node').length,
      edges: doc.querySelectorAll('path.edge').length,
      texts: Array.from(doc.querySelectorAll('g.node text')).map((t) => Array.from(t.querySelectorAll('tspan')).map((s) => s.textContent).join('\n')),
      titles: Array.from(doc.querySelectorAll('g.node > title')).map((t) => t.textContent ?? ''),
      scripts: doc.querySelectorAll('script, foreignObject, image, a, iframe').length,
      handlers: all.flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value)).map((a) => `${el.tagName}@${a.name}`)),
      strokeWidths: Array.from(doc.querySelectorAll('path.edge')).map((p) => Number(p.getAttribute('stroke-width'))),
    };
  }, text);
}

describe('exports', function () {
  this.timeout(90_000);
  const suite = useBrowser();

  describe('from the VS Code page (posted to the host)', () => {
    const current = useGraphPage(suite, tutorial);

    it('SVG: the current graph, parseable, one group per node with its label lines', async () => {
      const msg = await exportVia(current.wp, 'svg');
      assert.equal(msg.fileName, 'autograd-graph.svg');
      const svg = await readSvg(current.wp, String(msg.data));
      assert.equal(svg.error, null);
      assert.equal(svg.nodes, tutorial.nodes.length);
      assert.equal(svg.edges, tutorial.edges.length);
      for (const n of tutorial.nodes) {
        const name = n.kind === 'op' ? n.label : (n.varName ?? n.label);
        assert.ok(svg.texts.some((t) => t.split('\n')[0] === name), `label of ${n.id}`);
      }
      assert.equal(svg.scripts, 0);
      assert.deepEqual(svg.handlers, []);
      // With gradient flow on, edge widths follow the gradient magnitude.
      await current.wp.page.click('#gs-flow');
      const flow = await readSvg(current.wp, String((await exportVia(current.wp, 'svg')).data));
      assert.ok(Math.max(...flow.strokeWidths) > Math.min(...flow.strokeWidths), `widths vary: ${flow.strokeWidths.join(',')}`);
    });

    it('DOT: torchviz conventions, every node and edge, parseable', async () => {
      const msg = await exportVia(current.wp, 'dot');
      const g = parseDot(String(msg.data));
      assert.equal(g.directed, true);
      assert.equal(g.defaults.node.shape, 'box');
      assert.equal(g.defaults.node.fontname, 'monospace');
      assert.deepEqual([...g.nodes.keys()].sort(), tutorial.nodes.map((n) => n.id).sort());
      assert.deepEqual(
        g.edges.map((e) => `${e.from}->${e.to}`).sort(),
        tutorial.edges.map((e) => `${e.source}->${e.target}`).sort(),
      );
      for (const n of tutorial.nodes) {
        const attrs = g.nodes.get(n.id) ?? {};
        const label = attrs.label ?? '';
        const name = n.kind === 'op' ? n.label : (n.varName ?? n.label);
        assert.equal(label.split('\n')[0], name, `${n.id} label`);
        assert.ok(label.includes(`(${n.tensor.shape.join(', ')})`), `${n.id} shape in the label`);
        const fill = attrs.fillcolor;
        if (n.isRoot) assert.equal(fill, 'darkolivegreen1');
        else if (n.kind === 'leaf') assert.equal(fill, 'lightblue');
        else if (n.kind === 'op') assert.equal(fill, undefined, 'ops keep Graphviz lightgrey');
      }
      assert.ok(g.subgraphs.some((s) => s.attrs.label === 'matmul' && s.nodes.includes('mm')), 'scopes become clusters');
    });

    it('JSON and HTML: ask the host to write them from its own snapshot', async () => {
      assert.deepEqual(await exportVia(current.wp, 'json'), { v: 1, type: 'export', fileName: 'autograd-graph.json', format: 'json' });
      assert.deepEqual(await exportVia(current.wp, 'html'), { v: 1, type: 'export', fileName: 'autograd-graph.html', format: 'html' });
    });

    it('PNG: the current view, a real PNG at twice the canvas size', async () => {
      const msg = await exportVia(current.wp, 'png');
      const png = Buffer.from(String(msg.data), 'base64');
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
      const width = png.readUInt32BE(16);
      const height = png.readUInt32BE(20);
      const canvas = await current.wp.page.$eval('.gs-graph', (e) => e.getBoundingClientRect());
      assert.equal(width, Math.round(canvas.width) * 2);
      assert.equal(height, Math.round(canvas.height) * 2);
    });

  });

  describe('standalone HTML', () => {
    const html = (): string => renderStandaloneHtml(tutorial);

    async function openStandalone(url: string): Promise<WebviewPage> {
      const wp = await suite.open(url);
      await wp.waitForGraph();
      return wp;
    }

    it('is one offline file with a strict CSP and no external references', () => {
      const page = html();
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1] ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
      assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
      assert.doesNotMatch(csp, /connect-src/);
      assert.doesNotMatch(page, /<script[^>]+src=/);
      assert.doesNotMatch(page, /<link[^>]+href=/);
      // Two renders get different nonces.
      assert.notEqual(/nonce-([^']+)'/.exec(page)?.[1], /nonce-([^']+)'/.exec(html())?.[1]);
    });

    it('renders the graph from a file:// URL, lays it out in a worker, and exports by download', async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-')), 'graph.html');
      fs.writeFileSync(file, html());
      const wp = await openStandalone(pathToFileURL(file).href);
      try {
        const outline = await wp.outline();
        assert.deepEqual(
          outline.filter((o) => o.nodeId).map((o) => o.nodeId).sort(),
          tutorial.nodes.map((n) => n.id).sort(),
        );
        const timings = await wp.page.evaluate(() => (window as unknown as { gradscopeDebug: { timings(): { layoutMode: string } } }).gradscopeDebug.timings());
        assert.equal(timings.layoutMode, 'worker', 'the inlined worker source starts from a blob');
        // Selection works without a host; the source link says where the code is.
        await wp.clickNode('w');
        assert.equal(await wp.page.$eval('#gs-details .gs-details-title', (e) => e.textContent), 'w');
        const svgDownload = wp.page.waitForEvent('download');
        await wp.page.selectOption('#gs-export', 'svg');
        const svg = await svgDownload;
        assert.equal(svg.suggestedFilename(), 'autograd-graph.svg');
        const svgText = fs.readFileSync(await svg.path(), 'utf8');
        assert.equal((await readSvg(wp, svgText)).nodes, tutorial.nodes.length);
        // JSON: the snapshot file, read back identical (and valid for the shared validator).
        const jsonDownload = wp.page.waitForEvent('download');
        await wp.page.selectOption('#gs-export', 'json');
        const jsonText = fs.readFileSync(await (await jsonDownload).path(), 'utf8');
        assert.deepEqual(JSON.parse(jsonText), tutorial);
        assert.equal(decodeSnapshotJson(jsonText).ok, true);
        // DOT downloads too.
        const dotDownload = wp.page.waitForEvent('download');
        await wp.page.selectOption('#gs-export', 'dot');
        assert.equal(parseDot(fs.readFileSync(await (await dotDownload).path(), 'utf8')).nodes.size, tutorial.nodes.length);
        // The page exports itself again: the downloaded HTML is a working standalone page.
        const htmlDownload = wp.page.waitForEvent('download');
        await wp.page.selectOption('#gs-export', 'html');
        const again = fs.readFileSync(await (await htmlDownload).path(), 'utf8');
        const file2 = `${file}.again.html`;
        fs.writeFileSync(file2, again);
        const wp2 = await openStandalone(pathToFileURL(file2).href);
        assert.deepEqual(await wp2.outline(), outline);
        assert.deepEqual(await wp2.cspViolations(), []);
        assert.deepEqual(wp2.consoleErrors, []);
        await wp2.close();
        assert.deepEqual(await wp.cspViolations(), []);
        assert.deepEqual(wp.consoleErrors, []);
      } finally {
        await wp.close();
      }
    });

    it('offers a light/dark switch and starts from the OS preference', async () => {
      const wp = await suite.open(suite.server.host(html()));
      try {
        await wp.waitForGraph();
        const before = await wp.page.evaluate(() => document.body.className);
        assert.match(before, /vscode-(light|dark)/);
        await wp.page.click('#gs-theme');
        const after = await wp.page.evaluate(() => document.body.className);
        assert.notEqual(after, before);
        await wp.screenshot(`standalone-${after.includes('dark') ? 'dark' : 'light'}`);
        assert.deepEqual(await wp.cspViolations(), []);
      } finally {
        await wp.close();
      }
    });
  });
});
