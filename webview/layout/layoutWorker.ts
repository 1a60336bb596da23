/**
 * The layout Web Worker: runs the layered layout off the UI thread so the page stays responsive while
 * a large graph is placed. Built as its own bundle (dist/layoutWorker.js); the page starts it from a
 * blob URL (see layoutClient.ts).
 */
import { clusteredLayout } from './clustered';
import { resultBuffers, type FromLayoutWorker, type ToLayoutWorker } from './messages';

// NOTE: typed locally instead of pulling in the WebWorker lib, which conflicts with the DOM lib the
// rest of the page is checked against.
interface WorkerScope {
  onmessage: ((e: MessageEvent<ToLayoutWorker>) => void) | null;
  postMessage(message: FromLayoutWorker, transfer: ArrayBuffer[]): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg?.type !== 'layout') return;
  try {
    const result = clusteredLayout(msg.input);
    scope.postMessage({ type: 'result', id: msg.id, result }, resultBuffers(result));
  } catch (err) {
    scope.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) }, []);
  }
};
