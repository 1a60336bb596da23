/**
 * Entry of the graph page (dist/webview.js). Two ways to run:
 *  - inside a VS Code webview: the host sends the graph after the page says `ready`;
 *  - standalone HTML: the snapshot and the layout worker's source are inlined in the file.
 */
import { decodeSnapshotJson, encodeSnapshotJson } from '../src/protocol/snapshotJson';
import { CYTOSCAPE_STYLESHEET_ID, makeNonce, ROOT_ELEMENT_ID, SNAPSHOT_ELEMENT_ID, WORKER_SOURCE_ELEMENT_ID } from '../src/export/pageTemplate';
import { buildStandaloneHtml } from '../src/export/standaloneTemplate';
import { App } from './app';
import { StandaloneHost, VsCodeHost, type Host } from './host';
import { createLayoutRunner, type WorkerSource } from './layout/layoutClient';
import { PROTOCOL_VERSION } from './protocol';
import { ensureThemeClass } from './view/theme';

// Read synchronously: `currentScript` is only set while the script first runs.
const ownScript = document.currentScript?.textContent ?? '';

function jsonBlock(id: string): unknown {
  const el = document.getElementById(id);
  if (!el?.textContent) return undefined;
  return JSON.parse(el.textContent) as unknown;
}

function fatal(root: HTMLElement, message: string): void {
  const p = document.createElement('p');
  p.className = 'gs-fatal';
  p.setAttribute('role', 'alert');
  p.textContent = message;
  root.appendChild(p);
}

function boot(): void {
  const root = document.getElementById(ROOT_ELEMENT_ID);
  if (!root) return;
  const standalone = root.dataset.mode === 'standalone';
  // NOTE: in VS Code the host sets the theme classes (possibly after this script ran); only the
  // standalone page picks one itself.
  if (standalone) ensureThemeClass();
  let app: App | null = null;
  const warnFallback = (reason: string): void => console.warn(`Gradscope: layout runs on the main thread (${reason})`);

  let host: Host;
  let workerSource: WorkerSource;
  if (standalone) {
    const source = jsonBlock(WORKER_SOURCE_ELEMENT_ID);
    workerSource = typeof source === 'string' ? { kind: 'inline', source } : { kind: 'none' };
    const style = document.getElementById(CYTOSCAPE_STYLESHEET_ID)?.textContent ?? '';
    const current = (): NonNullable<App['snapshot']> => {
      const snapshot = app?.snapshot;
      if (!snapshot) throw new Error('no graph');
      return snapshot;
    };
    host = new StandaloneHost(
      () => buildStandaloneHtml(encodeSnapshotJson(current()), { script: ownScript, style, layoutWorker: workerSource.kind === 'inline' ? workerSource.source : '' }, makeNonce(), document.title),
      () => encodeSnapshotJson(current(), 1),
    );
  } else {
    const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
    if (!api) {
      fatal(root, 'This page runs inside VS Code (Gradscope). Export the graph as standalone HTML to open it in a browser.');
      return;
    }
    host = new VsCodeHost(api);
    const url = root.dataset.layoutWorker;
    workerSource = url ? { kind: 'url', url } : { kind: 'none' };
  }

  const layout = createLayoutRunner(workerSource, warnFallback);
  app = new App(root, host, layout);
  const theApp = app;
  Object.defineProperty(window, 'gradscopeDebug', {
    value: Object.freeze({
      clientPoint: (id: string) => theApp.debugInfo().clientPoint(id),
      hullLabelPoint: (key: string) => theApp.debugInfo().hullLabelPoint(key),
      geometry: () => theApp.debugInfo().geometry(),
      timings: () => theApp.timings,
    }),
  });

  if (standalone) {
    const read = decodeSnapshotJson(document.getElementById(SNAPSHOT_ELEMENT_ID)?.textContent ?? '');
    if (read.ok) void app.setGraph(read.value);
    else fatal(root, `This file does not contain a valid graph: ${read.error}`);
  } else {
    host.listen((msg, receivedAt) => theApp.handle(msg, receivedAt));
    host.post({ v: PROTOCOL_VERSION, type: 'ready' });
  }
}

boot();
