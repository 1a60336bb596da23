/**
 * A 10,000-node graph: laid out off the main thread, drawn with the level-of-detail window, usable
 * (clicks, search, outline) right away. Time bounds here are loose on purpose (the machine is shared);
 * bench/layout.bench.ts measures the real numbers.
 */
import assert from 'node:assert/strict';
import type { DebugGeometry } from '../../webview/page/debugGeometry';
import { colourDistance, pixelAt, rgbOf, setGraphMessage, useBrowser, withWebviewPage } from './harness';
import { syntheticSnapshot } from './syntheticGraph';

interface Timings {
  layoutMode: string;
  windowed: boolean;
  sceneNodes: number;
  firstFrameMs: number;
}

describe('large graphs', function () {
  this.timeout(180_000);
  const suite = useBrowser();

  it('shows a 10,000-node MLP graph and answers clicks, search and the outline', async () => {
    const snapshot = syntheticSnapshot('mlp', 10_000);
    await withWebviewPage(suite, 'mlp-10k', undefined, async (wp) => {
      await wp.waitForPosted('ready');
      await wp.send(setGraphMessage(snapshot));
      await wp.waitForGraph(60_000);
      const t = await wp.page.evaluate(() => (window as unknown as { gradscopeDebug: { timings(): Timings } }).gradscopeDebug.timings());
      assert.equal(t.layoutMode, 'worker');
      assert.equal(t.windowed, true, 'large scenes use the level-of-detail window');
      assert.equal(t.sceneNodes, snapshot.nodes.length);
      assert.ok(t.firstFrameMs < 20_000, `first frame after ${t.firstFrameMs} ms`);
      await wp.screenshot('mlp-10k');

      // First render: the whole graph fits; nodes are specks then, but the loss keeps a readable marker.
      const g = await wp.page.evaluate(() => (window as unknown as { gradscopeDebug: { geometry(): DebugGeometry } }).gradscopeDebug.geometry());
      const outside = g.items.filter((it) => it.x1 < g.canvas.x1 - 0.5 || it.y1 < g.canvas.y1 - 0.5 || it.x2 > g.canvas.x2 + 0.5 || it.y2 > g.canvas.y2 + 0.5);
      assert.equal(outside.length, 0, `${outside.length} nodes outside the canvas`);
      const loss = g.items.find((it) => it.id === snapshot.roots[0]);
      assert.ok(loss && loss.root);
      assert.ok(loss.y2 - loss.y1 < 4, 'the loss itself is too small to see at this zoom');
      const rootFill = rgbOf(await wp.page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--gs-root-fill')));
      const cx = (loss.x1 + loss.x2) / 2;
      const cy = (loss.y1 + loss.y2) / 2;
      for (const dx of [-6, 6]) {
        const px = await pixelAt(wp.page, cx + dx, cy);
        assert.ok(colourDistance(px, rootFill) < 40, `the loss marker is drawn at ${dx} px from its centre: ${px} vs ${rootFill}`);
      }

      // The outline is virtual: few rows in the DOM, each saying where it sits in the whole list.
      const rows = await wp.page.$$eval('#gs-outline-tree [role="treeitem"]', (els) => els.map((e) => Number(e.getAttribute('aria-setsize'))));
      assert.ok(rows.length > 5 && rows.length < 300, `${rows.length} rows rendered`);
      assert.equal(rows[0], snapshot.nodes.length);
      await wp.page.focus('#gs-outline-tree');
      await wp.page.keyboard.press('End');
      await wp.page.waitForFunction((id) => {
        const tree = document.getElementById('gs-outline-tree') as HTMLElement;
        return document.getElementById(tree.getAttribute('aria-activedescendant') ?? '')?.getAttribute('data-node-id') === id;
      }, snapshot.nodes[snapshot.nodes.length - 1].id);

      // The loss is on screen and answers a click.
      await wp.clearPosted();
      const c0 = Date.now();
      await wp.clickNode(snapshot.roots[0]);
      const sel = await wp.waitForPosted('openSource', 10_000);
      assert.equal(sel.nodeId, snapshot.roots[0]);
      assert.ok(Date.now() - c0 < 10_000);

      // A node far from the view: search, Enter, it is brought into view and selected.
      const target = snapshot.nodes.find((n) => n.varName === 'fc3.weight');
      assert.ok(target);
      await wp.clearPosted();
      await wp.page.fill('#gs-search', 'fc3.weight');
      await wp.page.press('#gs-search', 'Enter');
      assert.equal((await wp.waitForPosted('selectNode')).nodeId, target.id);
      const p = await wp.pointOf(target.id);
      const box = await wp.page.$eval('.gs-graph', (e) => e.getBoundingClientRect().toJSON() as { left: number; top: number; right: number; bottom: number });
      assert.ok(p.x > box.left && p.x < box.right && p.y > box.top && p.y < box.bottom, 'the match is on screen');
      // Clicking it in the window answers too.
      await wp.clearPosted();
      await wp.page.mouse.click(p.x, p.y);
      assert.equal((await wp.waitForPosted('selectNode')).nodeId, target.id);
      // Fit shows the whole graph (as the overview layer); a click there still selects.
      await wp.page.click('#gs-fit');
      await wp.page.waitForTimeout(400);
      await wp.screenshot('mlp-10k-fit');
    });
  });

  it('fits a graph taller than the panel allows at 1/1000 zoom, and selects what a click lands on: the loss marker, its name, a speck', async () => {
    // 10,000 nodes in a short panel need as low a zoom as 50,000 in a tall one: the loss is a speck of
    // a tenth of a pixel, shown by the overview layer's marker.
    const snapshot = syntheticSnapshot('mlp', 10_000);
    const lossId = snapshot.roots[0];
    await withWebviewPage(suite, 'mlp-10k-short-fit-clicks', { width: 1280, height: 560 }, async (wp) => {
      await wp.waitForPosted('ready');
      await wp.send(setGraphMessage(snapshot));
      await wp.waitForGraph(60_000);
      const g = await wp.page.evaluate(() => (window as unknown as { gradscopeDebug: { geometry(): DebugGeometry } }).gradscopeDebug.geometry());
      const outside = g.items.filter((it) => it.x1 < g.canvas.x1 - 0.5 || it.y1 < g.canvas.y1 - 0.5 || it.x2 > g.canvas.x2 + 0.5 || it.y2 > g.canvas.y2 + 0.5);
      assert.equal(outside.length, 0, `${outside.length} nodes outside the canvas (zoom ${g.zoom})`);
      const loss = g.items.find((it) => it.id === lossId);
      assert.ok(loss && loss.root);
      assert.ok(loss.x2 - loss.x1 < 1 && loss.y2 - loss.y1 < 1, 'the loss itself is under a pixel at this zoom');
      const cx = (loss.x1 + loss.x2) / 2;
      const cy = (loss.y1 + loss.y2) / 2;

      const clickSelects = async (x: number, y: number): Promise<string | null> => {
        await wp.clearPosted();
        await wp.page.mouse.click(x, y);
        return (await wp.waitForPosted('selectNode')).nodeId as string | null;
      };
      const background = { x: g.canvas.x1 + 4, y: (g.canvas.y1 + g.canvas.y2) / 2 };
      assert.ok(!g.items.some((it) => Math.abs(it.x1 - background.x) < 20), 'the left edge of the canvas is empty');
      // The marker's centre, its side (well away from the loss's own box) and its name under it.
      for (const [where, x, y] of [
        ['centre', cx, cy],
        ['side', cx + 7, cy],
        ['name', cx, cy + 12],
      ] as const) {
        assert.equal(await clickSelects(background.x, background.y), null, 'a click on the empty background clears the selection');
        assert.equal(await clickSelects(x, y), lossId, `a click on the loss marker's ${where} selects the loss`);
        await wp.page.waitForSelector(`#gs-details .gs-details-node[data-node-id="${lossId}"]`);
      }

      // A speck in the middle of the graph (drawn one pixel wide, its box a tenth of one): a click on
      // it selects a node drawn there.
      const middle = g.items.filter((it) => !it.root).sort((a, b) => a.y1 - b.y1)[Math.floor(g.items.length / 2)];
      const at = { x: Math.round((middle.x1 + middle.x2) / 2), y: Math.round((middle.y1 + middle.y2) / 2) };
      const picked = await clickSelects(at.x, at.y);
      assert.ok(picked !== null, 'a click on a speck selects a node');
      const box = g.items.find((it) => it.id === picked);
      assert.ok(box);
      const distance = Math.hypot(Math.max(0, box.x1 - at.x, at.x - box.x2), Math.max(0, box.y1 - at.y, at.y - box.y2));
      assert.ok(distance <= 4, `the node selected (${picked}) is drawn ${distance.toFixed(1)} px from the click`);
      await wp.page.waitForSelector(`#gs-details .gs-details-node[data-node-id="${picked}"]`);
      await wp.screenshot('mlp-10k-short-fit-clicks');
    });
  });

  it('starts a large graph with its module scopes collapsed, and expands one on click', async () => {
    const snapshot = syntheticSnapshot('mlp', 6_000, true);
    await withWebviewPage(suite, 'mlp-6k-scopes', undefined, async (wp) => {
      await wp.setGraph(snapshot);
      const scopes = new Set(snapshot.nodes.flatMap((n) => n.scope));
      const inScopes = snapshot.nodes.filter((n) => n.scope.length).length;
      const sceneNodes = async (): Promise<number> => Number(await wp.page.$eval('#gradscope-root', (e) => (e as HTMLElement).dataset.sceneNodes));
      assert.equal(await sceneNodes(), snapshot.nodes.length - inScopes + scopes.size);
      const key = 'fc0#0';
      await wp.send({ v: 1, type: 'revealNode', nodeId: snapshot.nodes.find((n) => n.scope[0] === 'fc1')?.id });
      await wp.page.waitForFunction(() => document.querySelector('#gs-details .gs-details-title')?.textContent === 'fc1.weight');
      assert.equal(await sceneNodes(), snapshot.nodes.length - inScopes + scopes.size - 1 + snapshot.nodes.filter((n) => n.scope[0] === 'fc1').length, 'revealing a node opens its box');
      // Select the box fc0 in the outline (it comes into view), then click it on the canvas.
      const before = await sceneNodes();
      await wp.page.click(`#gs-outline-tree [data-scope-key="${key}"] .gs-o-name`);
      await wp.page.waitForFunction((k) => document.querySelector('#gs-details article')?.getAttribute('data-scope-key') === k, key);
      await wp.clickNode(key);
      await wp.page.waitForFunction((k) => document.querySelector(`#gs-outline-tree [data-scope-key="${k}"]`)?.getAttribute('aria-expanded') === 'true', key);
      await wp.waitForGraph();
      assert.equal(await sceneNodes(), before - 1 + snapshot.nodes.filter((n) => n.scope[0] === 'fc0').length);
    });
  });
});
