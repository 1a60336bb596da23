/**
 * Runs the real graph page in headless Chromium: the HTML from renderWebviewHtml (or the standalone
 * export), served from 127.0.0.1 with its real CSP, a stand-in for VS Code's `acquireVsCodeApi` that
 * records what the page posts, and a recorder of CSP violations and page errors.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderWebviewHtml } from '../../src/export/webviewHtml';
import type { GraphSnapshot } from '../../src/protocol/snapshot';
import { decodeSnapshotJson } from '../../src/protocol/snapshotJson';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS_DIR = path.join(ROOT, 'test-results', 'screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`The webview tests drive Debian's Chromium at ${CHROMIUM}, which is missing. Install it with: apt-get install -y chromium`);
  }
}

let built = false;

/** Builds dist/webview.js and dist/layoutWorker.js (what the page loads), once per test run. */
export function buildPage(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--only', 'webview,layout'], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}

/** A snapshot file of test/fixtures/snapshots, decoded as the extension reads snapshot files. */
export function readFixture(name: string): GraphSnapshot {
  const decoded = decodeSnapshotJson(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'snapshots', name), 'utf8'));
  if (!decoded.ok) throw new Error(`fixture ${name} is not a valid snapshot: ${decoded.error}`);
  return decoded.value;
}

export interface PageServer {
  origin: string;
  /** Serves `html` at /page-N.html and returns its URL. */
  host(html: string): string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.html': 'text/html' };

export async function startServer(): Promise<PageServer> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = pages.get(url.pathname);
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const rel = url.pathname.replace(/^\/+/, '');
    if (!/^(dist|media)\/[\w.-]+$/.test(rel)) {
      res.writeHead(404).end();
      return;
    }
    const file = path.join(ROOT, rel);
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let n = 0;
  return {
    origin,
    host(html) {
      const p = `/page-${++n}.html`;
      pages.set(p, html);
      return origin + p;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The webview's HTML as the extension would make it, pointing at the test server. */
export function webviewHtmlFor(server: PageServer, nonce = 'dGVzdC1ub25jZS0wMDAwMQ=='): string {
  return renderWebviewHtml({
    scriptUri: `${server.origin}/dist/webview.js`,
    styleUri: `${server.origin}/media/graph.css`,
    layoutWorkerUri: `${server.origin}/dist/layoutWorker.js`,
    cspSource: server.origin,
    nonce,
  });
}

/** Installed before any page script: VS Code's API stand-in and the recorders. */
const INIT_SCRIPT = `
  window.__posted = [];
  window.__state = undefined;
  window.__cspViolations = [];
  window.__pageErrors = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  window.addEventListener('error', (e) => window.__pageErrors.push(String(e.message)));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
`;

/** The host's `setGraph` after a successful run. */
export function setGraphMessage(snapshot: unknown, durationMs = 42): unknown {
  const file = (snapshot as { file?: string }).file ?? '/tmp/script.ts';
  return { v: 1, type: 'setGraph', runId: 'run-1', snapshot, run: { file, status: 'ok', error: null, durationMs } };
}

export interface PostedMessage {
  v: number;
  type: string;
  [key: string]: unknown;
}

export class WebviewPage {
  readonly consoleErrors: string[] = [];
  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(e.message));
  }

  static async open(browser: Browser, url: string, viewport = { width: 1280, height: 800 }): Promise<WebviewPage> {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    await page.addInitScript(INIT_SCRIPT);
    const wp = new WebviewPage(page);
    await page.goto(url);
    return wp;
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }

  posted(): Promise<PostedMessage[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: PostedMessage[] }).__posted);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { __posted: unknown[] }).__posted.length = 0;
    });
  }

  async waitForPosted(type: string, timeout = 10_000): Promise<PostedMessage> {
    const handle = await this.page.waitForFunction((t) => (window as unknown as { __posted: PostedMessage[] }).__posted.find((m) => m.type === t), type, { timeout });
    return (await handle.jsonValue()) as PostedMessage;
  }

  cspViolations(): Promise<{ directive: string; blocked: string; sample: string }[]> {
    return this.page.evaluate(() => (window as unknown as { __cspViolations: { directive: string; blocked: string; sample: string }[] }).__cspViolations);
  }

  /** Posts a message to the page the way VS Code delivers host messages (a window `message` event). */
  async send(msg: unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), msg);
  }

  /** Sends a graph as the extension does after a run, and waits until it is drawn with its outline. */
  async setGraph(snapshot: unknown, timeout?: number): Promise<void> {
    await this.waitForPosted('ready');
    await this.page.evaluate(() => {
      const root = document.getElementById('gradscope-root');
      if (root) root.dataset.graphState = 'sent';
    });
    await this.send(setGraphMessage(snapshot));
    await this.waitForGraph(timeout);
  }

  /**
   * Posts a `setGraph` for `snapshot` (or for the page's `window.__snapshot` when it was made in the
   * page, so the timing covers VS Code's structured clone rather than playwright's serialisation)
   * and resolves with the milliseconds until the page reports the graph drawn.
   */
  timeToDraw(snapshot?: unknown, file = '/bench/model.ts'): Promise<number> {
    return this.page.evaluate(
      ({ given, file: f }) =>
        new Promise<number>((resolve) => {
          const root = document.getElementById('gradscope-root') as HTMLElement;
          const inPage = (window as unknown as { __snapshot?: unknown }).__snapshot;
          const t0 = performance.now();
          const obs = new MutationObserver(() => {
            if (root.dataset.graphState === 'ready') {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          });
          obs.observe(root, { attributes: true });
          window.postMessage({ v: 1, type: 'setGraph', runId: 'bench', snapshot: given ?? inPage, run: { file: f, status: 'ok', error: null, durationMs: 1 } }, '*');
        }),
      { given: snapshot ?? null, file },
    );
  }

  async waitForGraph(timeout = 20_000): Promise<void> {
    await this.page.waitForSelector('#gradscope-root[data-graph-state="ready"] #gs-outline-tree[data-ready="true"]', { timeout });
  }

  /** The outline as data: one entry per tree item. */
  outline(): Promise<{ nodeId: string | null; scopeKey: string | null; text: string; level: number; selected: boolean; expanded: string | null }[]> {
    return this.page.$$eval('#gs-outline-tree [role="treeitem"]', (items) =>
      items.map((el) => ({
        nodeId: el.getAttribute('data-node-id'),
        scopeKey: el.getAttribute('data-scope-key'),
        text: (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim(),
        level: Number(el.getAttribute('aria-level')),
        selected: el.getAttribute('aria-selected') === 'true',
        expanded: el.getAttribute('aria-expanded'),
      })),
    );
  }

  /** Client coordinates of a node (or a collapsed box, by scope key) on the canvas. */
  async pointOf(id: string): Promise<{ x: number; y: number }> {
    const p = await this.page.evaluate((i) => (window as unknown as { gradscopeDebug: { clientPoint(id: string): { x: number; y: number } | null } }).gradscopeDebug.clientPoint(i), id);
    if (!p) throw new Error(`node ${id} is not on the canvas`);
    return p;
  }

  async clickNode(id: string): Promise<void> {
    const p = await this.pointOf(id);
    await this.page.mouse.click(p.x, p.y);
  }

  detailsText(): Promise<string> {
    return this.page.$eval('#gs-details', (el) => el.textContent ?? '');
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SHOTS_DIR, { recursive: true });
    const file = path.join(SHOTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** The colour of one screen pixel (a 1×1 screenshot decoded by the page itself). */
export async function pixelAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
  const png = await page.screenshot({ clip: { x: Math.round(x), y: Math.round(y), width: 1, height: 1 } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = 1;
    c.height = 1;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2]] as [number, number, number];
  }, png.toString('base64'));
}

/** Parses `#rgb` / `#rrggbb` / `rgb(...)`. */
export function rgbOf(css: string): [number, number, number] {
  const s = css.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s);
  if (hex) {
    const h = hex[1].length === 3 ? hex[1].replace(/./g, (c) => c + c) : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const m = /rgba?\(([^)]+)\)/.exec(s);
  if (!m) throw new Error(`not a colour: ${css}`);
  const [r, g, b] = m[1].split(/[\s,/]+/).map(Number);
  return [r, g, b];
}

export function colourDistance(a: [number, number, number], b: [number, number, number]): number {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}

/** The page server and browser one `describe` block shares: started in its `before`, closed in its `after`. */
export interface BrowserSuite {
  readonly browser: Browser;
  readonly server: PageServer;
  /** A new page (own browser context) showing the VS Code webview HTML, served with its CSP. */
  openWebview(viewport?: { width: number; height: number }): Promise<WebviewPage>;
  /** A new page at any URL (a standalone export, a page served with `server.host`). */
  open(url: string, viewport?: { width: number; height: number }): Promise<WebviewPage>;
}

/** Call inside a `describe`: registers the hooks that build the page bundles, start the server and the browser. */
export function useBrowser(): BrowserSuite {
  let browser: Browser | null = null;
  let server: PageServer | null = null;
  before(async function () {
    this.timeout(120_000);
    buildPage();
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  const suite: BrowserSuite = {
    get browser(): Browser {
      if (!browser) throw new Error('the browser starts in the suite\'s before hook');
      return browser;
    },
    get server(): PageServer {
      if (!server) throw new Error('the page server starts in the suite\'s before hook');
      return server;
    },
    openWebview: (viewport) => WebviewPage.open(suite.browser, suite.server.host(webviewHtmlFor(suite.server)), viewport),
    open: (url, viewport) => WebviewPage.open(suite.browser, url, viewport),
  };
  return suite;
}

/**
 * Closes a page, then fails if it recorded a CSP violation or a console error (each test's page must
 * stay clean, whatever it did).
 */
export async function closeChecked(wp: WebviewPage): Promise<void> {
  const violations = await wp.cspViolations();
  const errors = [...wp.consoleErrors];
  await wp.close();
  assert.deepEqual(violations, [], 'no securitypolicyviolation');
  assert.deepEqual(errors, [], 'no console errors');
}

/**
 * Runs `body` on a fresh webview page; on success the page is closed and checked (closeChecked), on
 * failure it is screenshotted as FAIL-<name> and closed, and the body's error is what the test reports.
 */
export async function withWebviewPage(suite: BrowserSuite, name: string, viewport: { width: number; height: number } | undefined, body: (wp: WebviewPage) => Promise<void>): Promise<void> {
  const wp = await suite.openWebview(viewport);
  try {
    await body(wp);
  } catch (e) {
    await wp.screenshot(`FAIL-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
    await wp.close();
    throw e;
  }
  await closeChecked(wp);
}

/**
 * Call inside a `describe`: a fresh webview page per test with `snapshot` drawn; after each test the
 * page is closed and checked (closeChecked), with a screenshot under test-results/ when the test failed.
 */
export function useGraphPage(suite: BrowserSuite, snapshot: GraphSnapshot, viewport?: { width: number; height: number }): { readonly wp: WebviewPage } {
  let current: WebviewPage | null = null;
  beforeEach(async () => {
    current = await suite.openWebview(viewport);
    await current.setGraph(snapshot);
  });
  afterEach(async function () {
    const wp = current;
    current = null;
    if (!wp) return;
    if (this.currentTest?.state === 'failed') await wp.screenshot(`FAIL-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`);
    await closeChecked(wp);
  });
  return {
    get wp(): WebviewPage {
      if (!current) throw new Error('the page opens in beforeEach');
      return current;
    },
  };
}
