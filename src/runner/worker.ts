/**
 * The worker thread that runs one user script (bundled as dist/worker.js with the library inside).
 * It receives the instrumented bundle as `workerData` (HostToWorker), routes the console to the
 * host, installs the graph capture, runs the script, waits for its event loop to drain, and posts
 * what happened (FromWorker): logs as they come, then `failed` (if it failed), `snapshot` (always,
 * with the graph up to the failure) and `finished`.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { setCaptureListener } from '../lib/capture/hooks';
import * as library from '../lib/index';
import { parseHostToWorker, PROTOCOL_VERSION, type FromWorker, type HostToWorker, type RunError } from '../protocol/messages';
import type { SourceLocation } from '../protocol/snapshot';
import { GraphCapture } from './capture/graphCapture';
import { ScriptPositions } from './sourcePositions';
import { routeConsole } from './worker/consoleRouting';
import { describeError, installStackMapping } from './worker/errorMapping';
import { executeScript, scriptFileName, type ScriptHelpers } from './worker/executeScript';
import { ExitRequest, ProcessGuards, type PendingWork } from './worker/processGuards';

/** Lines of output forwarded per run; the rest is counted and dropped. */
const MAX_LOG_ENTRIES = 10_000;
/** One console call's text is cut beyond this (a tensor printed in full, a huge string). */
const MAX_LOG_TEXT = 1024 * 1024;
/**
 * The worker reports pending work this long before the host's hard time limit (15% of it, within
 * [250 ms, 2 s]), so the report and the graph arrive before the host has to terminate it.
 */
function softDeadlineMargin(timeoutMs: number): number {
  return Math.min(2000, Math.max(250, 0.15 * timeoutMs));
}

const startedAt = performance.now();
const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');

const parsed = parseHostToWorker(workerData);
if (!parsed.ok) {
  const runId = typeof (workerData as { runId?: unknown })?.runId === 'string' ? (workerData as { runId: string }).runId : 'invalid';
  port.postMessage({ v: PROTOCOL_VERSION, type: 'failed', runId, error: { kind: 'internal', name: 'Error', message: `invalid start message: ${parsed.error}` } });
  port.postMessage({ v: PROTOCOL_VERSION, type: 'finished', runId, status: 'error', timings: { scriptMs: 0, scriptCpuMs: 0, snapshotMs: 0 }, stats: { ops: 0, backwardPasses: 0, nodesCreated: 0 } });
} else {
  run(parsed.value, port);
}

function run(init: HostToWorker, out: NonNullable<typeof parentPort>): void {
  const post = (m: FromWorker): void => out.postMessage(m);
  const { runId } = init;
  const activity = new Int32Array(init.activity);
  const siteLocation = (id: number): SourceLocation | null => (id >= 0 && id < init.sites.length ? init.sites[id] : null);
  const realSetTimeout = globalThis.setTimeout;

  installStackMapping(new ScriptPositions(init.instrumentMap, init.bundleMap, path.dirname(init.file)), scriptFileName(init.file));

  let finished = false;
  let logCount = 0;
  const flushConsole = routeConsole((level, text) => {
    if (finished) return;
    logCount++;
    if (logCount > MAX_LOG_ENTRIES) {
      if (logCount === MAX_LOG_ENTRIES + 1) {
        post({ v: PROTOCOL_VERSION, type: 'log', runId, entry: { level: 'warn', text: `[gradscope] output truncated after ${MAX_LOG_ENTRIES} lines`, location: null, source: 'runner' } });
      }
      return;
    }
    const bounded = text.length <= MAX_LOG_TEXT ? text : `${text.slice(0, MAX_LOG_TEXT)}… [${text.length - MAX_LOG_TEXT} more characters]`;
    post({ v: PROTOCOL_VERSION, type: 'log', runId, entry: { level, text: bounded, location: siteLocation(activity[0]), source: 'script' } });
  });

  const capture = init.capture
    ? new GraphCapture({ file: init.file, limits: init.limits, sites: init.sites, bindings: init.bindings, activity })
    : null;
  const helpers: ScriptHelpers = {
    at: (site, value) => { activity[0] = site; activity[1] = site; return value; },
    bind: capture ? (value, binding) => { capture.bind(value, binding); return value; } : (value) => value,
    tick: (site) => { activity[1] = site; },
  };
  const guards = new ProcessGuards(() => activity[0]);
  guards.install();

  let failed = false;
  let scriptStart = performance.now();
  let cpuStart = process.cpuUsage();
  const fail = (error: RunError): void => {
    if (failed || finished) return;
    failed = true;
    post({ v: PROTOCOL_VERSION, type: 'failed', runId, error });
  };

  const finish = (status: 'ok' | 'error' | 'timeout'): void => {
    if (finished) return;
    flushConsole();
    finished = true;
    const scriptMs = performance.now() - scriptStart;
    const cpu = process.cpuUsage(cpuStart);
    setCaptureListener(null);
    const t0 = performance.now();
    if (capture) {
      try {
        post({ v: PROTOCOL_VERSION, type: 'snapshot', runId, snapshot: capture.snapshot() });
      } catch (e) {
        post({ v: PROTOCOL_VERSION, type: 'log', runId, entry: { level: 'error', text: `[gradscope] could not build the graph: ${e instanceof Error ? e.stack ?? e.message : String(e)}`, location: null, source: 'runner' } });
      }
    }
    post({
      v: PROTOCOL_VERSION, type: 'finished', runId, status,
      timings: { scriptMs, scriptCpuMs: (cpu.user + cpu.system) / 1000, snapshotMs: performance.now() - t0 },
      stats: capture ? { ...capture.stats } : { ops: 0, backwardPasses: 0, nodesCreated: 0 },
    });
  };

  /** Anything the script throws, rejects or exits with ends the run. */
  const onThrown = (error: unknown, how: 'thrown' | 'rejection'): void => {
    if (error instanceof ExitRequest) {
      if (error.code === 0) { finish('ok'); return; }
      fail({ kind: 'exit', name: 'ExitRequest', message: error.message, ...locationField(siteLocation(activity[0])) });
      finish('error');
      return;
    }
    const described = describeError(error, 'exception', null);
    if (how === 'rejection') described.message = `Unhandled promise rejection: ${described.message}`;
    fail(described);
    finish('error');
  };
  process.on('uncaughtException', (e) => onThrown(e, 'thrown'));
  process.on('unhandledRejection', (reason) => onThrown(reason, 'rejection'));

  // Timers, I/O and promises may keep the script going: wait for the loop to drain, then report
  // whatever is still pending just before the host's hard limit.
  process.once('beforeExit', () => finish(failed ? 'error' : 'ok'));
  const softDeadline = Math.max(0, init.remainingMs - softDeadlineMargin(init.timeoutMs) - (performance.now() - startedAt));
  realSetTimeout(() => {
    if (finished) return;
    fail({ kind: 'timeout', name: 'TimeoutError', message: describePending(guards.pendingWork(), init.timeoutMs, siteLocation),
      ...locationField(firstTimerLocation(guards.pendingWork(), siteLocation)) });
    finish('timeout');
  }, softDeadline).unref();

  setCaptureListener(capture);
  scriptStart = performance.now();
  cpuStart = process.cpuUsage();
  try {
    executeScript(init.code, init.file, library as unknown as Record<string, unknown>, helpers);
  } catch (e) {
    onThrown(e, 'thrown');
  }
}

function locationField(location: SourceLocation | null): { location?: SourceLocation } {
  return location ? { location } : {};
}

function firstTimerLocation(p: PendingWork, siteLocation: (id: number) => SourceLocation | null): SourceLocation | null {
  for (const t of p.timers) {
    const l = siteLocation(t.site);
    if (l) return l;
  }
  return null;
}

function describePending(p: PendingWork, timeoutMs: number, siteLocation: (id: number) => SourceLocation | null): string {
  const parts = p.timers.map((t) => {
    const l = siteLocation(t.site);
    return l ? `${t.kind} at ${path.basename(l.file)}:${l.line}:${l.column}` : t.kind;
  });
  parts.push(...p.others);
  const what = parts.length > 0 ? `; still pending: ${parts.join(', ')}` : '';
  return `Script did not finish within ${timeoutMs} ms${what}`;
}
