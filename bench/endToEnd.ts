/**
 * End to end, for issue 7: runner start-up, and "run the tutorial → its graph on screen", cold (the
 * first run in a fresh process: esbuild's service and the worker bundle not yet loaded) and warm
 * (the same run again). The runner is the real one (src/runner/runScript.ts with the worker bundle
 * the extension ships); "on screen" is the real graph page in headless Chromium, with the snapshot
 * posted as the extension posts it, until the page reports its first frame drawn. VS Code's own
 * share (command dispatch, opening the webview) is not in these numbers. Prints a JSON report on
 * its last line.
 *
 *   npx tsx bench/endToEnd.ts --worker dist/worker.js [--runs 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runScript, type RunResult } from '../src/runner/runScript';
import type { LibraryReport, Measurement } from './harness';
import { buildPage, launchBrowser, startServer, webviewHtmlFor, WebviewPage } from '../test/webview/harness';

const root = path.resolve(__dirname, '..');
const TUTORIAL = path.join(root, 'examples/autograd-tutorial.ts');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (value: number, note?: string): Measurement => ({ value, unit: 'ms', higherIsBetter: false, ...(note ? { note } : {}) });

async function timedRun(file: string, workerPath: string): Promise<{ ms: number; result: RunResult }> {
  const t0 = performance.now();
  const result = await runScript(file, { workerPath, capture: true });
  const elapsed = performance.now() - t0;
  if (result.status !== 'ok') throw new Error(`${path.basename(file)}: ${result.status} ${result.error?.message ?? ''}`);
  return { ms: elapsed, result };
}

async function main(): Promise<void> {
  const workerPath = path.resolve(arg('worker') ?? path.join(root, 'dist/worker.js'));
  const runs = Number(arg('runs') ?? 5);
  const results: LibraryReport['results'] = {};
  const notes: string[] = [];
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-bench-')), 'empty.ts');
  fs.writeFileSync(empty, "import * as torch from 'gradscope';\nvoid torch;\n");

  // Cold: nothing loaded yet in this process (esbuild's service starts, the worker bundle is read).
  const coldTutorial = await timedRun(TUTORIAL, workerPath);
  const warmStart: number[] = [];
  const warmTutorial: RunResult[] = [];
  const warmTutorialMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    warmStart.push((await timedRun(empty, workerPath)).ms);
    const t = await timedRun(TUTORIAL, workerPath);
    warmTutorialMs.push(t.ms);
    warmTutorial.push(t.result);
  }
  results['runner start-up (empty script: bundle, worker, snapshot)'] = ms(median(warmStart));
  results['tutorial run → snapshot, cold'] = ms(coldTutorial.ms);
  results['tutorial run → snapshot, warm'] = ms(median(warmTutorialMs));

  buildPage();
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const url = server.host(webviewHtmlFor(server));
    const drawCold: number[] = [];
    const drawWarm: number[] = [];
    for (let i = 0; i < runs; i++) {
      const wp = await WebviewPage.open(browser, url);
      await wp.waitForPosted('ready');
      drawCold.push(await wp.timeToDraw(coldTutorial.result.snapshot, TUTORIAL));
      drawWarm.push(await wp.timeToDraw(warmTutorial[i].snapshot, TUTORIAL));
      await wp.close();
    }
    results['tutorial graph drawn, fresh page'] = ms(median(drawCold), 'snapshot posted → first frame, headless Chromium');
    results['tutorial graph drawn, page already open'] = ms(median(drawWarm), 'the next run into an open panel');
    results['command → graph on screen, cold'] = ms(coldTutorial.ms + median(drawCold), 'run + draw (VS Code’s own share excluded)');
    results['command → graph on screen, warm'] = ms(median(warmTutorialMs) + median(drawWarm), 'run + draw (VS Code’s own share excluded)');
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(path.dirname(empty), { recursive: true, force: true });
  }
  notes.push(`median of ${runs} runs (cold: one run); wall-clock; load average ${os.loadavg()[0].toFixed(1)}`);
  const report: LibraryReport = { library: 'gradscope (end to end)', version: '-', results, notes };
  console.log(JSON.stringify(report));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
