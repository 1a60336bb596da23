/**
 * Layout + first frame of the graph page for generated graphs, in headless Chromium.
 *
 *   npx tsx bench/layout.bench.ts [--sizes 1000,10000,50000] [--shapes mlp,chain,wide] [--runs 3]
 *
 * For each graph: a fresh page, the snapshot posted as VS Code would, then
 *   total      message posted → graph drawn (validation, scene, layout, first frame)
 *   layout     the layered layout itself (in the Web Worker)
 *   frame      graph received → first frame on screen (layout included)
 *   click      a click on the loss (fitted: its marker) → the page's `selectNode` for it (interactive?)
 *   fit        "Fit" (whole graph, overview) → next frame
 * Median of the runs. The machine's load is printed too: other processes share these 2 cores.
 */
import * as esbuild from 'esbuild';
import os from 'node:os';
import path from 'node:path';
import { buildPage, launchBrowser, ROOT, startServer, webviewHtmlFor, WebviewPage } from '../test/webview/harness';
import { syntheticSnapshot, type GraphShape } from '../test/webview/syntheticGraph';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sizes = arg('sizes', '1000,10000,50000').split(',').map(Number);
const shapes = arg('shapes', 'mlp,chain,wide').split(',') as GraphShape[];
const runs = Number(arg('runs', '3'));

interface Row {
  shape: string;
  nodes: number;
  edges: number;
  total: number;
  layout: number;
  frame: number;
  click: number;
  fit: number;
  mode: string;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The generator bundled for the page: large snapshots are made inside the page, because handing a
 * 70 MB object to page.evaluate breaks the DevTools connection.
 */
function generatorSource(): string {
  const out = esbuild.buildSync({ entryPoints: [path.join(ROOT, 'test/webview/syntheticGraph.ts')], bundle: true, format: 'iife', globalName: 'GradscopeSynthetic', write: false, platform: 'browser' });
  return out.outputFiles[0].text;
}

async function main(): Promise<void> {
  buildPage();
  const server = await startServer();
  const browser = await launchBrowser();
  const url = server.host(webviewHtmlFor(server));
  const rows: Row[] = [];
  const generator = generatorSource();
  console.log(`load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
  for (const shape of shapes) {
    for (const n of sizes) {
      const snapshot = syntheticSnapshot(shape, n);
      const samples: Omit<Row, 'shape' | 'nodes' | 'edges' | 'mode'>[] = [];
      let mode = '';
      let phases = '';
      for (let r = 0; r < runs; r++) {
        const wp = await WebviewPage.open(browser, url);
        await wp.waitForPosted('ready');
        // Make the snapshot in the page first, so that the timing covers what VS Code's postMessage
        // delivers (structured clone), not playwright's serialisation.
        await wp.page.evaluate(`${generator}; window.__snapshot = GradscopeSynthetic.syntheticSnapshot(${JSON.stringify(shape)}, ${n});`);
        const total = await wp.timeToDraw();
        const timings = await wp.page.evaluate(() => (window as unknown as { gradscopeDebug: { timings(): { layoutMs: number; firstFrameMs: number; layoutMode: string; windowed: boolean; sceneNodes: number; phases: Record<string, number> } } }).gradscopeDebug.timings());
        phases = Object.entries(timings.phases).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
        mode = `${timings.layoutMode}${timings.windowed ? ', windowed' : ', full'}`;
        // Interactive: click the loss and wait for the page's answer.
        const rootId = snapshot.roots[0];
        const p = await wp.pointOf(rootId);
        await wp.clearPosted();
        const c0 = Date.now();
        await wp.page.mouse.click(p.x, p.y);
        const selected = await wp.waitForPosted('selectNode', 30_000);
        const click = Date.now() - c0;
        // A click that missed clears the selection (also a `selectNode`): that is not interactive.
        if (selected.nodeId !== rootId) throw new Error(`${shape} ${n}: the click on the loss ${rootId} selected ${String(selected.nodeId)}`);
        const fit = await wp.page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const t0 = performance.now();
              (document.getElementById('gs-fit') as HTMLButtonElement).click();
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
            }),
        );
        samples.push({ total, layout: timings.layoutMs, frame: timings.firstFrameMs, click, fit });
        await wp.close();
      }
      const row: Row = {
        shape,
        nodes: snapshot.nodes.length,
        edges: snapshot.edges.length,
        total: median(samples.map((s) => s.total)),
        layout: median(samples.map((s) => s.layout)),
        frame: median(samples.map((s) => s.frame)),
        click: median(samples.map((s) => s.click)),
        fit: median(samples.map((s) => s.fit)),
        mode,
      };
      rows.push(row);
      console.log(`${shape.padEnd(6)} ${String(row.nodes).padStart(6)} nodes ${String(row.edges).padStart(6)} edges: total ${row.total.toFixed(0)} ms, layout ${row.layout.toFixed(0)} ms, first frame ${row.frame.toFixed(0)} ms, click→selectNode ${row.click} ms, fit ${row.fit.toFixed(0)} ms (${mode}; last run's phases: ${phases})`);
    }
  }
  console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('\n| graph | nodes | edges | total (ms) | layout (ms) | first frame (ms) | click → selectNode (ms) | fit (ms) | mode |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) console.log(`| ${r.shape} | ${r.nodes} | ${r.edges} | ${r.total.toFixed(0)} | ${r.layout.toFixed(0)} | ${r.frame.toFixed(0)} | ${r.click} | ${r.fit.toFixed(0)} | ${r.mode} |`);
  await browser.close();
  await server.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
