/**
 * What a first-time user sees: the whole graph in view on first render (wide panel and narrow side
 * view), refitted when the panel is resized until the user moves the view; scope frames that hold
 * their members and nothing else; a toolbar that fits a side-bar-sized panel.
 */
import assert from 'node:assert/strict';
import type { DebugGeometry } from '../../webview/page/debugGeometry';
import { readFixture, useBrowser, useGraphPage, withWebviewPage, type WebviewPage } from './harness';
import { nestedModuleSnapshot } from './syntheticGraph';

type Rect = { x1: number; y1: number; x2: number; y2: number };

const WIDE = { width: 1200, height: 800 };
const NARROW = { width: 400, height: 700 };

function geometry(wp: WebviewPage): Promise<DebugGeometry> {
  return wp.page.evaluate(() => {
    const g = (window as unknown as { gradscopeDebug: { geometry(): DebugGeometry | null } }).gradscopeDebug.geometry();
    if (!g) throw new Error('no graph on the canvas');
    return g;
  });
}

const inside = (r: Rect, outer: Rect): boolean => r.x1 >= outer.x1 - 0.5 && r.y1 >= outer.y1 - 0.5 && r.x2 <= outer.x2 + 0.5 && r.y2 <= outer.y2 + 0.5;
const intersects = (a: Rect, b: Rect): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** Every node and box on screen, whole. */
async function assertAllInView(wp: WebviewPage, what: string): Promise<void> {
  const g = await geometry(wp);
  assert.ok(g.items.length > 0);
  const out = g.items.filter((it) => !inside(it, g.canvas)).map((it) => it.id);
  assert.deepEqual(out, [], `${what}: nodes outside the canvas ${JSON.stringify(g.canvas)}`);
}

/** For every scope frame: no node or box that is not inside the scope overlaps the frame. */
async function assertFramesHoldOnlyMembers(wp: WebviewPage): Promise<number> {
  const g = await geometry(wp);
  const problems: string[] = [];
  for (const hull of g.hulls) {
    const members = new Set(hull.members);
    for (const it of g.items) if (!members.has(it.id) && intersects(hull, it)) problems.push(`${it.id} inside the frame of ${hull.key}`);
  }
  assert.deepEqual(problems, []);
  return g.hulls.length;
}

/** Waits for the resize observer and the frame after it. */
async function settle(wp: WebviewPage): Promise<void> {
  await wp.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await wp.page.waitForTimeout(50);
}

const zoomOf = async (wp: WebviewPage): Promise<number> => (await geometry(wp)).zoom;

describe('first view', function () {
  this.timeout(90_000);
  const suite = useBrowser();

  for (const [name, snapshot] of [
    ['the tutorial graph', readFixture('tutorial.json')],
    ['a nested nn.Sequential', nestedModuleSnapshot(3)],
  ] as const) {
    for (const viewport of [WIDE, NARROW]) {
      it(`shows all of ${name} at ${viewport.width}×${viewport.height}, with every scope expanded too`, () =>
        withWebviewPage(suite, `fit-${name}-${viewport.width}`, viewport, async (wp) => {
          await wp.setGraph(snapshot);
          await assertAllInView(wp, 'first render');
          await wp.screenshot(`fit-${name.replace(/\W+/g, '-')}-${viewport.width}`);
          await wp.page.click('#gs-expand-all');
          await wp.waitForGraph();
          await assertAllInView(wp, 'after expanding every scope');
        }));
    }
  }

  describe('resizing the panel', () => {
    const current = useGraphPage(suite, nestedModuleSnapshot(3), WIDE);

    it('refits until the user zooms or pans, and Fit hands control back', async () => {
      const wp = current.wp;
      await wp.page.setViewportSize(NARROW);
      await settle(wp);
      await assertAllInView(wp, 'narrowed before any user move');
      await wp.page.setViewportSize(WIDE);
      await settle(wp);
      await assertAllInView(wp, 'widened again');

      // The user zooms in: a resize keeps their zoom.
      await wp.page.click('button[aria-label="Zoom in"]');
      const zoomed = await zoomOf(wp);
      await wp.page.setViewportSize({ width: 900, height: 650 });
      await settle(wp);
      assert.equal(await zoomOf(wp), zoomed, 'the user\'s zoom survives a resize');

      await wp.page.click('#gs-fit');
      await assertAllInView(wp, 'after Fit');
      await wp.page.setViewportSize(NARROW);
      await settle(wp);
      await assertAllInView(wp, 'resized after Fit');

      // A drag on the canvas background pans: again the view stays where the user put it.
      const g = await geometry(wp);
      const at = { x: (g.canvas.x1 + g.canvas.x2) / 2, y: g.canvas.y1 + 4 };
      await wp.page.mouse.move(at.x, at.y);
      await wp.page.mouse.down();
      await wp.page.mouse.move(at.x + 60, at.y + 40, { steps: 5 });
      await wp.page.mouse.up();
      const panned = (await geometry(wp)).items[0];
      await wp.page.setViewportSize({ width: 420, height: 720 });
      await settle(wp);
      const after = (await geometry(wp)).items[0];
      assert.ok(Math.abs(after.x1 - panned.x1) < 1 && Math.abs(after.y1 - panned.y1) < 1, 'the pan survives a resize');
    });
  });

  it('on a re-run of the same script, refits a view the user left alone and keeps one they moved', () =>
    withWebviewPage(suite, 're-run', WIDE, async (wp) => {
      await wp.setGraph(nestedModuleSnapshot(1));
      await wp.setGraph(nestedModuleSnapshot(4));
      await assertAllInView(wp, 'a bigger graph from the re-run');
      await wp.page.click('button[aria-label="Zoom in"]');
      const zoomed = await zoomOf(wp);
      await wp.setGraph(nestedModuleSnapshot(2));
      assert.equal(await zoomOf(wp), zoomed, 'the user\'s zoom survives the re-run');
    }));

  describe('scope frames', () => {
    for (const [name, snapshot] of [
      ['the tutorial graph', readFixture('tutorial.json')],
      ['a nested nn.Sequential', nestedModuleSnapshot(3)],
    ] as const) {
      it(`hold only their members in ${name}`, () =>
        withWebviewPage(suite, `frames-${name}`, WIDE, async (wp) => {
          await wp.setGraph(snapshot);
          await wp.page.click('#gs-expand-all');
          await wp.waitForGraph();
          const frames = await assertFramesHoldOnlyMembers(wp);
          assert.ok(frames >= 1, 'some scope is drawn as a frame');
          await wp.screenshot(`frames-${name.replace(/\W+/g, '-')}`);
        }));
    }
  });

  it('says in the outline what a scope contains, nested scopes by name, in order', () =>
    withWebviewPage(suite, 'outline-contents', WIDE, async (wp) => {
      await wp.setGraph(nestedModuleSnapshot(2));
      const text = await wp.page.$eval('#gs-outline-tree [data-scope-key="Sequential#0"]', (e) => e.textContent ?? '');
      assert.match(text, /contains: Linear\[0\], ReLU\[1\], Linear\[2\], ReLU\[3\]/);
      assert.match(text, /module|scope/);
    }));

  describe('narrow side view', () => {
    const current = useGraphPage(suite, readFixture('tutorial.json'), NARROW);

    it('keeps the toolbar to two rows inside the panel, every control reachable', async () => {
      const controls = await current.wp.page.$$eval('.gs-toolbar button, .gs-toolbar select, .gs-toolbar input', (els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { id: e.id || e.getAttribute('aria-label') || e.tagName, top: Math.round(r.top), left: r.left, right: r.right, width: r.width };
        }),
      );
      const rows = new Set(controls.map((c) => c.top));
      assert.ok(rows.size <= 2, `toolbar rows at ${[...rows].join(', ')}`);
      for (const c of controls) assert.ok(c.left >= 0 && c.right <= NARROW.width && c.width >= 20, `${c.id} fits (${c.left}..${c.right})`);
    });

    it('gives the graph most of the height', async () => {
      const g = await geometry(current.wp);
      assert.ok(g.canvas.y2 - g.canvas.y1 >= 0.4 * NARROW.height, `canvas height ${g.canvas.y2 - g.canvas.y1}`);
    });
  });
});
