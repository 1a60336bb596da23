/**
 * Host side of a run: bundle and instrument the user's file, run it in a worker thread under a
 * time and memory limit, collect its output and graph, and say how it ended — never throwing for
 * anything the script does. Used by the VS Code extension and the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import MagicString from 'magic-string';
import {
  parseFromWorker, PROTOCOL_VERSION, type CaptureLimits, type CaptureStats, type HostToWorker, type LogEntry,
  type RunError, type RunStatus,
} from '../protocol/messages';
import type { GraphSnapshot, SourceLocation } from '../protocol/snapshot';
import { bundleScript } from './bundle';
import { resolveLimits } from './capture/limits';
import { instrumentBundle, type InstrumentResult } from './instrument/instrument';

export interface RunOptions {
  /** Wall-clock limit for the whole run, bundling included (default 60 000). */
  timeoutMs?: number;
  /**
   * Memory limit (default 2048): the worker's JS heap, and how much the process may grow while the
   * script runs (tensors' ArrayBuffers live outside the JS heap).
   */
  maxMemoryMb?: number;
  /** The worker's stack (default 4; deep recursion ends in "Maximum call stack size exceeded"). */
  stackSizeMb?: number;
  /** Cancels the run (the worker is terminated at once). */
  signal?: AbortSignal;
  /** Each line of output as it arrives. */
  onLog?(entry: LogEntry): void;
  /** Shorthand for `limits.maxValuesPerTensor` (default 1000). */
  maxValuesPerTensor?: number;
  /** Capture limits; see DEFAULT_LIMITS in capture/limits.ts. */
  limits?: Partial<CaptureLimits>;
  /** Record the graph (default true); false runs the script as is (the baseline of the overhead). */
  capture?: boolean;
  /** Path of dist/worker.js (default: found next to this module or in the package's dist/). */
  /** Node options for the worker (profiling: `['--cpu-prof', '--cpu-prof-dir=...']`); none by default. */
  workerExecArgv?: string[];
  workerPath?: string;
  /** Tag of the run (default: a fresh id); every message of the run carries it. */
  runId?: string;
  /** Messages about the runner itself (a malformed message dropped, a fallback taken). */
  onDiagnostic?(message: string): void;
}

export interface RunTimings {
  bundleMs: number;
  instrumentMs: number;
  /** Running the script in the worker (0 when it never started). */
  scriptMs: number;
  /** CPU time over the same span (less sensitive to a busy machine than `scriptMs`). */
  scriptCpuMs: number;
  snapshotMs: number;
}

export interface RunResult {
  runId: string;
  /** Absolute path of the script. */
  file: string;
  status: RunStatus;
  /** The graph, also when the script failed (up to the failure); null when it never ran or the worker died. */
  snapshot: GraphSnapshot | null;
  error?: RunError;
  durationMs: number;
  logs: LogEntry[];
  timings: RunTimings;
  stats: CaptureStats | null;
  /** What `onDiagnostic` received. */
  diagnostics: string[];
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_MEMORY_MB = 2048;
export const DEFAULT_STACK_SIZE_MB = 4;
/** Logs kept in RunResult (all of them still go to onLog). */
const MAX_KEPT_LOGS = 10_000;
const MEMORY_POLL_MS = 100;

let runCounter = 0;
function newRunId(): string {
  return `run-${process.pid}-${Date.now().toString(36)}-${++runCounter}`;
}

/** dist/worker.js: beside this module once bundled (dist/cli.js, dist/extension.js), else the repo's dist/. */
export function defaultWorkerPath(): string {
  const candidates = [path.join(__dirname, 'worker.js'), path.resolve(__dirname, '../../dist/worker.js'), path.resolve(__dirname, '../dist/worker.js')];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

/** Runs one script. Resolves (never rejects) with what happened. */
export async function runScript(file: string, options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const absFile = path.resolve(file);
  const runId = options.runId ?? newRunId();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const logs: LogEntry[] = [];
  const diagnostics: string[] = [];
  const timings: RunTimings = { bundleMs: 0, instrumentMs: 0, scriptMs: 0, scriptCpuMs: 0, snapshotMs: 0 };
  const diagnose = (message: string): void => {
    diagnostics.push(message);
    options.onDiagnostic?.(message);
  };
  const log = (entry: LogEntry): void => {
    if (logs.length < MAX_KEPT_LOGS) logs.push(entry);
    try {
      options.onLog?.(entry);
    } catch (e) {
      diagnose(`onLog threw: ${String(e)}`);
    }
  };
  const result = (status: RunStatus, extra: Partial<RunResult> = {}): RunResult => ({
    runId, file: absFile, status, snapshot: null, durationMs: performance.now() - started, logs, timings, stats: null,
    diagnostics, ...extra,
  });
  const cancelled = (): RunResult => result('cancelled', { error: { kind: 'cancelled', name: 'AbortError', message: 'Run cancelled' } });

  if (options.signal?.aborted) return cancelled();
  if (!fs.existsSync(absFile)) {
    return result('error', { error: { kind: 'compile', name: 'Error', message: `File not found: ${absFile}` } });
  }

  const t0 = performance.now();
  const bundle = await bundleScript(absFile);
  timings.bundleMs = performance.now() - t0;
  for (const w of bundle.warnings) log(w);
  if (!bundle.ok) return result('error', { error: bundle.error });
  if (options.signal?.aborted) return cancelled();

  const capture = options.capture ?? true;
  const t1 = performance.now();
  let prepared: InstrumentResult;
  if (capture) {
    try {
      prepared = instrumentBundle(bundle.code, bundle.map, path.dirname(absFile));
    } catch (e) {
      diagnose(`instrumentation failed, running without source locations: ${e instanceof Error ? e.message : String(e)}`);
      prepared = uninstrumented(bundle.code);
    }
  } else {
    prepared = uninstrumented(bundle.code);
  }
  timings.instrumentMs = performance.now() - t1;

  const limits = resolveLimits({ ...options.limits, ...(options.maxValuesPerTensor !== undefined ? { maxValuesPerTensor: options.maxValuesPerTensor } : {}) });
  const remaining = Math.max(0, timeoutMs - (performance.now() - started));
  const activityBuffer = new SharedArrayBuffer(8);
  const activity = new Int32Array(activityBuffer).fill(-1);
  const start: HostToWorker = {
    v: PROTOCOL_VERSION, type: 'start', runId, file: absFile, code: prepared.code,
    instrumentMap: prepared.map, bundleMap: bundle.map, sites: prepared.sites, bindings: prepared.bindings,
    capture, limits, timeoutMs, remainingMs: remaining, activity: activityBuffer,
  };
  const maxMemoryMb = options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;

  return new Promise<RunResult>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(options.workerPath ?? defaultWorkerPath(), {
        workerData: start,
        resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, stackSizeMb: options.stackSizeMb ?? DEFAULT_STACK_SIZE_MB },
        stdout: true,
        stderr: true,
        execArgv: options.workerExecArgv ?? [],
      });
    } catch (e) {
      resolve(result('error', { error: { kind: 'internal', name: 'Error', message: `could not start the worker: ${String(e)}` } }));
      return;
    }

    let settled = false;
    let snapshot: GraphSnapshot | null = null;
    let error: RunError | undefined;
    let stats: CaptureStats | null = null;
    const baselineRss = process.memoryUsage.rss();
    const lastSite = (): SourceLocation | undefined => {
      const id = activity[1];
      return id >= 0 && id < prepared.sites.length ? prepared.sites[id] : undefined;
    };

    const settle = (status: RunStatus, extraError?: RunError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(hardTimer);
      clearInterval(memoryTimer);
      options.signal?.removeEventListener('abort', onAbort);
      worker.removeAllListeners('message');
      worker.stdout.removeAllListeners('data');
      worker.stderr.removeAllListeners('data');
      void worker.terminate().catch(() => undefined);
      const err = extraError ?? error;
      resolve(result(status, { snapshot, stats, ...(err ? { error: err } : {}) }));
    };

    const hardTimer = setTimeout(() => {
      const where = lastSite();
      settle('timeout', {
        kind: 'timeout', name: 'TimeoutError',
        message: `Script did not finish within ${timeoutMs} ms${where ? ` (last line executed: ${path.basename(where.file)}:${where.line})` : ''}`,
        ...(where ? { location: where } : {}),
      });
    }, remaining);

    const memoryTimer = setInterval(() => {
      // NOTE: tensors live in ArrayBuffers, outside the worker's JS heap limit, and a thread's
      // ArrayBuffers are invisible from another thread: watch the whole process's resident memory.
      const grown = process.memoryUsage.rss() - baselineRss;
      if (grown > maxMemoryMb * 1024 * 1024) settle('oom', oomError(maxMemoryMb, lastSite()));
    }, MEMORY_POLL_MS);

    const onAbort = (): void => settle('cancelled', { kind: 'cancelled', name: 'AbortError', message: 'Run cancelled' });
    options.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (raw: unknown) => {
      const parsed = parseFromWorker(raw);
      if (!parsed.ok) {
        diagnose(`dropped a malformed message from the worker: ${parsed.error}`);
        return;
      }
      const m = parsed.value;
      if (m.runId !== runId) {
        diagnose(`ignored a message of another run (${m.runId})`);
        return;
      }
      switch (m.type) {
        case 'log': log(m.entry); break;
        case 'failed': error ??= m.error; break;
        case 'snapshot': snapshot = m.snapshot; break;
        case 'finished':
          timings.scriptMs = m.timings.scriptMs;
          timings.scriptCpuMs = m.timings.scriptCpuMs;
          timings.snapshotMs = m.timings.snapshotMs;
          stats = m.stats;
          settle(m.status === 'ok' && error ? 'error' : m.status);
          break;
      }
    });
    const forward = (level: LogEntry['level']) => (chunk: Buffer): void => {
      const text = chunk.toString('utf8').replace(/\n$/, '');
      if (text) log({ level, text, location: null, source: 'runner' });
    };
    worker.stdout.on('data', forward('log'));
    worker.stderr.on('data', forward('warn'));
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') settle('oom', oomError(maxMemoryMb, lastSite()));
      else settle('error', { kind: 'internal', name: e.name, message: `worker crashed: ${e.message}`, ...(e.stack ? { stack: e.stack } : {}) });
    });
    worker.on('exit', (code) => {
      settle('error', error ?? { kind: 'internal', name: 'Error', message: `the worker exited unexpectedly (code ${code})` });
    });
  });
}

function oomError(maxMemoryMb: number, where: SourceLocation | undefined): RunError {
  return {
    kind: 'oom', name: 'RangeError',
    message: `Script ran out of memory (limit ${maxMemoryMb} MB)${where ? ` near ${path.basename(where.file)}:${where.line}` : ''}`,
    ...(where ? { location: where } : {}),
  };
}

/** The bundle as is, with an identity map (no call sites, no bindings). */
function uninstrumented(code: string): InstrumentResult {
  const map = new MagicString(code).generateMap({ hires: true, source: 'bundle.js', includeContent: false }).toString();
  return { code, map, sites: [], bindings: [] };
}

/**
 * Runs one script at a time: a new run cancels the one in flight (its late messages are ignored,
 * its promise resolves as `cancelled`). The extension keeps one per workspace.
 */
export class ScriptRunner {
  private current: AbortController | null = null;

  run(file: string, options: RunOptions = {}): Promise<RunResult> {
    this.cancel();
    const controller = new AbortController();
    this.current = controller;
    const outer = options.signal;
    if (outer) {
      if (outer.aborted) controller.abort();
      else outer.addEventListener('abort', () => controller.abort(), { once: true });
    }
    return runScript(file, { ...options, signal: controller.signal }).finally(() => {
      if (this.current === controller) this.current = null;
    });
  }

  /** Cancels the run in flight, if any. */
  cancel(): void {
    this.current?.abort();
    this.current = null;
  }

  get running(): boolean {
    return this.current !== null;
  }
}
