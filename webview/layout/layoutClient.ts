/**
 * Runs layouts in a Web Worker, falling back to the main thread when no worker can start.
 *
 * NOTE [Worker in a webview]: a VS Code webview cannot start a worker from its resource URL (a
 * different origin than the page), so the page fetches the script (CSP `connect-src ${cspSource}`)
 * and starts the worker from a blob URL (`worker-src blob:`). The standalone HTML has no server: it
 * carries the worker's source inline, which becomes the same kind of blob.
 */
import { clusteredLayout } from './clustered';
import type { LayoutInput, LayoutResult } from './layered';
import { inputBuffers, type FromLayoutWorker, type ToLayoutWorker } from './messages';

export type WorkerSource = { kind: 'url'; url: string } | { kind: 'inline'; source: string } | { kind: 'none' };

export interface LayoutRunner {
  run(input: LayoutInput): Promise<LayoutResult>;
  /** 'worker' once the worker answered, 'main-thread' after a fallback. */
  readonly mode: 'pending' | 'worker' | 'main-thread';
  dispose(): void;
}

async function workerScriptUrl(source: WorkerSource): Promise<string | null> {
  if (source.kind === 'none') return null;
  const text = source.kind === 'inline' ? source.source : await (await fetch(source.url)).text();
  return URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
}

export function createLayoutRunner(source: WorkerSource, onFallback: (reason: string) => void): LayoutRunner {
  let mode: LayoutRunner['mode'] = 'pending';
  let nextId = 1;
  const pending = new Map<number, { input: LayoutInput; resolve: (r: LayoutResult) => void; reject: (e: Error) => void }>();
  let worker: Worker | null = null;

  const fallBack = (reason: string): void => {
    if (mode === 'main-thread') return;
    mode = 'main-thread';
    worker?.terminate();
    worker = null;
    onFallback(reason);
    // Inputs were transferred to a worker that failed: they were copied before sending (see run()).
    for (const [id, p] of pending) {
      pending.delete(id);
      try {
        p.resolve(clusteredLayout(p.input));
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  };

  const ready: Promise<Worker | null> = workerScriptUrl(source)
    .then((url) => {
      if (!url) {
        fallBack('no layout worker configured');
        return null;
      }
      const w = new Worker(url);
      w.onmessage = (e: MessageEvent<FromLayoutWorker>) => {
        const msg = e.data;
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        mode = 'worker';
        if (msg.type === 'result') p.resolve(msg.result);
        else p.reject(new Error(`layout failed: ${msg.message}`));
      };
      w.onerror = (e) => {
        e.preventDefault();
        fallBack(`layout worker error: ${e.message || 'could not start'}`);
      };
      worker = w;
      return w;
    })
    .catch((e: unknown) => {
      fallBack(`layout worker unavailable: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    });

  return {
    get mode() {
      return mode;
    },
    async run(input: LayoutInput): Promise<LayoutResult> {
      const w = await ready;
      if (!w || mode === 'main-thread') return clusteredLayout(input);
      const id = nextId++;
      // Keep a copy for the fallback path: the originals are transferred.
      const copy: LayoutInput = {
        n: input.n,
        widths: input.widths.slice(),
        heights: input.heights.slice(),
        edgeSources: input.edgeSources.slice(),
        edgeTargets: input.edgeTargets.slice(),
        roots: input.roots?.slice(),
        options: input.options,
        clusters: input.clusters && { ...input.clusters, ofNode: input.clusters.ofNode.slice(), parent: input.clusters.parent.slice(), minWidth: input.clusters.minWidth.slice() },
      };
      return new Promise<LayoutResult>((resolve, reject) => {
        pending.set(id, { input: copy, resolve, reject });
        const msg: ToLayoutWorker = { type: 'layout', id, input };
        w.postMessage(msg, inputBuffers(input));
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
    },
  };
}
