/**
 * Every message that crosses a boundary, one union per direction, each message a string `type`
 * plus `v: PROTOCOL_VERSION`, and the runtime validators the receivers run on everything they get
 * (a malformed message is dropped and logged, never acted on).
 *
 *   host ──HostToWorker──▶ worker (as `workerData`)      worker ──FromWorker──▶ host
 *   host ──HostToWebview─▶ webview                       webview ──WebviewToHost─▶ host
 *
 * Imports neither Node nor the DOM: the worker, the host, the CLI and the webview share it.
 */
import {
  arrayOf, bool, int, literal, nullable, num, object, optional, str, taggedUnion, validate, type Schema,
} from './schema';
import { graphSnapshotSchema, sourceLocationSchema } from './snapshotSchema';
import type { GraphSnapshot, SourceLocation } from './snapshot';

/** Bump on any breaking change to a message below. */
export const PROTOCOL_VERSION = 1 as const;

type Msg<T extends string, P = object> = { v: typeof PROTOCOL_VERSION; type: T } & P;

// ---------------------------------------------------------------------------------------------
// Shared payloads

export type LogLevel = 'log' | 'info' | 'debug' | 'warn' | 'error';

/** One line (or block) of output. */
export interface LogEntry {
  level: LogLevel;
  /** Formatted like Node's console (tensors as PyTorch prints them), without the final newline. */
  text: string;
  /** The user's call that printed it, when known. */
  location: SourceLocation | null;
  /** `script`: console/stdout of the user's script; `bundler`: esbuild warnings; `runner`: ours. */
  source: 'script' | 'bundler' | 'runner';
}

/** How a run ended. */
export type RunStatus = 'ok' | 'error' | 'timeout' | 'oom' | 'cancelled';

/** A failure, as data. */
export interface RunError {
  /** `compile`: esbuild could not bundle; `exception`: thrown/rejected; `exit`: process.exit(n≠0). */
  kind: 'compile' | 'exception' | 'exit' | 'timeout' | 'oom' | 'cancelled' | 'internal';
  /** The JavaScript class (`RuntimeError`, `TypeError`, `RangeError`, `Error`). */
  name: string;
  message: string;
  /** Python's exception class for library errors (`RuntimeError`, `IndexError`, ...). */
  pyType?: string;
  /** Where it happened in the user's code (the innermost user frame). */
  location?: SourceLocation;
  /** `Name: message` and the user's frames, mapped to the original sources. */
  stack?: string;
}

/** Bounds of the graph capture; see NOTE [Capture memory bound] in src/runner/capture/limits.ts. */
export interface CaptureLimits {
  /** Values kept per tensor (row-major prefix); statistics always cover the whole tensor. */
  maxValuesPerTensor: number;
  /** Graph nodes kept (least recently used dropped first). */
  maxNodes: number;
  /** Iterations of a training loop whose full values are kept (the last ones). */
  iterationWindow: number;
  /** Points per sparkline series (downsampled by halving when longer). */
  maxSeriesPoints: number;
  /** Nodes that get a sparkline series. */
  maxSeriesNodes: number;
  /** Numbers in one snapshot message, all tensors together (values beyond it are left out). */
  maxSnapshotValues: number;
}

export interface CaptureStats {
  /** Ops the library reported. */
  ops: number;
  /** backward()/autograd.grad passes. */
  backwardPasses: number;
  /** Distinct graph nodes ever created (kept + dropped). */
  nodesCreated: number;
}

export interface WorkerTimings {
  /** Running the user's code until the event loop drained. */
  scriptMs: number;
  /** CPU time of the process over the same span (the worker and V8's helper threads). */
  scriptCpuMs: number;
  /** Building the snapshot. */
  snapshotMs: number;
}

// ---------------------------------------------------------------------------------------------
// host → worker

/** A variable binding site (`const w = ...`, `w = ...`): the name as written and its location. */
export interface BindingSite {
  name: string;
  location: SourceLocation;
}

export type HostToWorker = Msg<'start', {
  runId: string;
  /** Absolute path of the user's entry file. */
  file: string;
  /** The instrumented CommonJS bundle. */
  code: string;
  /** Source map of `code` → esbuild's bundle, and of the bundle → the user's sources (JSON). */
  instrumentMap: string;
  bundleMap: string;
  sites: SourceLocation[];
  bindings: BindingSite[];
  capture: boolean;
  limits: CaptureLimits;
  /** The run's time limit as configured (for messages). */
  timeoutMs: number;
  /** What is left of it when the worker starts: it reports pending work just before that. */
  remainingMs: number;
  /** Int32Array over it: [0] last call site, [1] last site executed (read by the host on timeout). */
  activity: SharedArrayBuffer;
}>;

// ---------------------------------------------------------------------------------------------
// worker → host

export type FromWorker =
  | Msg<'log', { runId: string; entry: LogEntry }>
  | Msg<'failed', { runId: string; error: RunError }>
  | Msg<'snapshot', { runId: string; snapshot: GraphSnapshot }>
  | Msg<'finished', {
    runId: string;
    /** What the worker saw; the host adds `cancelled` and hard timeouts/OOM it detected itself. */
    status: Exclude<RunStatus, 'cancelled'>;
    timings: WorkerTimings;
    stats: CaptureStats;
  }>;

// ---------------------------------------------------------------------------------------------
// host → webview

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** What the panel shows about the run besides its graph. */
export interface RunSummary {
  file: string;
  status: RunStatus;
  error: RunError | null;
  durationMs: number;
}

export type HostToWebview =
  /** A run started (the panel may show progress; the current graph stays until `setGraph`). */
  | Msg<'runStarted', { runId: string; file: string }>
  /** The result of a run: its graph (null when nothing ran, e.g. a syntax error) and outcome. */
  | Msg<'setGraph', { runId: string; snapshot: GraphSnapshot | null; run: RunSummary }>
  /** Center on a node and highlight it (from the editor: "show in graph"). */
  | Msg<'revealNode', { nodeId: string }>
  /** Select these nodes (from the editor's cursor line); empty clears the selection. */
  | Msg<'selectNodes', { nodeIds: string[] }>
  | Msg<'theme', { kind: ThemeKind }>;

// ---------------------------------------------------------------------------------------------
// webview → host

export type WebviewToHost =
  /** The page is listening: the host sends the current graph only after this. */
  | Msg<'ready'>
  /** Open the user's file at this location (clicking a node's source link); `nodeId`: the node clicked. */
  | Msg<'openSource', { location: SourceLocation; nodeId?: string | null }>
  /** The user selected a node in the graph (null: cleared); `location`: that node's, if it has one. */
  | Msg<'selectNode', { nodeId: string | null; location?: SourceLocation | null }>
  /**
   * Save the graph. html/json: the host renders its own snapshot (no data). png: `data` is the
   * image as base64 (a `data:image/png;base64,` prefix is allowed); svg: `data` is the SVG text.
   * `fileName`: the name the page suggests.
   */
  | Msg<'export', { format: 'html' | 'json' | 'png' | 'svg' | 'dot'; data?: string; fileName?: string }>
  /** Run the script again. */
  | Msg<'rerun'>
  /** A problem inside the page, for the host's output channel. */
  | Msg<'log', { level: 'info' | 'warn' | 'error'; message: string }>;

// ---------------------------------------------------------------------------------------------
// Schemas

const v = literal(PROTOCOL_VERSION);
const runId = str({ minLength: 1, maxLength: 128 });
const MAX_TEXT = 4 * 1024 * 1024;

const logEntrySchema: Schema<LogEntry> = object({
  level: literal('log', 'info', 'debug', 'warn', 'error'),
  text: str({ maxLength: MAX_TEXT }),
  location: nullable(sourceLocationSchema),
  source: literal('script', 'bundler', 'runner'),
});

export const runErrorSchema: Schema<RunError> = object({
  kind: literal('compile', 'exception', 'exit', 'timeout', 'oom', 'cancelled', 'internal'),
  name: str({ maxLength: 1024 }),
  message: str({ maxLength: MAX_TEXT }),
  pyType: optional(str({ maxLength: 256 })),
  location: optional(sourceLocationSchema),
  stack: optional(str({ maxLength: MAX_TEXT })),
});

const nonNegative = num();
const fromWorkerSchema: Schema<FromWorker> = taggedUnion('type', {
  log: object({ v, type: literal('log'), runId, entry: logEntrySchema }),
  failed: object({ v, type: literal('failed'), runId, error: runErrorSchema }),
  snapshot: object({ v, type: literal('snapshot'), runId, snapshot: graphSnapshotSchema }),
  finished: object({
    v, type: literal('finished'), runId,
    status: literal('ok', 'error', 'timeout', 'oom'),
    timings: object({ scriptMs: nonNegative, scriptCpuMs: nonNegative, snapshotMs: nonNegative }),
    stats: object({ ops: int(0), backwardPasses: int(0), nodesCreated: int(0) }),
  }),
});

const runSummarySchema: Schema<RunSummary> = object({
  file: str({ maxLength: 4096 }),
  status: literal('ok', 'error', 'timeout', 'oom', 'cancelled'),
  error: nullable(runErrorSchema),
  durationMs: num(),
});

const nodeId = str({ minLength: 1, maxLength: 256 });
const hostToWebviewSchema: Schema<HostToWebview> = taggedUnion('type', {
  runStarted: object({ v, type: literal('runStarted'), runId, file: str({ maxLength: 4096 }) }),
  setGraph: object({ v, type: literal('setGraph'), runId, snapshot: nullable(graphSnapshotSchema), run: runSummarySchema }),
  revealNode: object({ v, type: literal('revealNode'), nodeId }),
  selectNodes: object({ v, type: literal('selectNodes'), nodeIds: arrayOf(nodeId, { maxLength: 100_000 }) }),
  theme: object({ v, type: literal('theme'), kind: literal('light', 'dark', 'high-contrast', 'high-contrast-light') }),
});

const webviewToHostSchema: Schema<WebviewToHost> = taggedUnion('type', {
  ready: object({ v, type: literal('ready') }),
  openSource: object({ v, type: literal('openSource'), location: sourceLocationSchema, nodeId: optional(nullable(nodeId)) }),
  selectNode: object({ v, type: literal('selectNode'), nodeId: nullable(nodeId), location: optional(nullable(sourceLocationSchema)) }),
  export: object({
    v, type: literal('export'), format: literal('html', 'json', 'png', 'svg', 'dot'),
    data: optional(str({ maxLength: 64 * 1024 * 1024 })),
    fileName: optional(str({ maxLength: 1024 })),
  }),
  rerun: object({ v, type: literal('rerun') }),
  log: object({ v, type: literal('log'), level: literal('info', 'warn', 'error'), message: str({ maxLength: 64 * 1024 }) }),
});

const limitsSchema: Schema<CaptureLimits> = object({
  maxValuesPerTensor: int(0, 1e8),
  maxNodes: int(1, 1e7),
  iterationWindow: int(0, 1024),
  maxSeriesPoints: int(2, 1e6),
  maxSeriesNodes: int(0, 1e7),
  maxSnapshotValues: int(0, 1e9),
});

const sharedBuffer: Schema<SharedArrayBuffer> = {
  check: (value, path) => (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer && value.byteLength >= 8
    ? null : `${path}: expected a SharedArrayBuffer of at least 8 bytes`),
};

const hostToWorkerSchema: Schema<HostToWorker> = taggedUnion('type', {
  start: object({
    v, type: literal('start'), runId, file: str({ minLength: 1, maxLength: 4096 }),
    code: str(), instrumentMap: str(), bundleMap: str(),
    sites: arrayOf(sourceLocationSchema),
    bindings: arrayOf(object({ name: str({ minLength: 1, maxLength: 4096 }), location: sourceLocationSchema })),
    capture: bool(),
    limits: limitsSchema,
    timeoutMs: num(),
    remainingMs: num(),
    activity: sharedBuffer,
  }),
});

// ---------------------------------------------------------------------------------------------
// Validators

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Checks that references inside a structurally valid snapshot point at nodes it contains. */
export function checkSnapshotIntegrity(s: GraphSnapshot): string | null {
  const ids = new Set<string>();
  for (const n of s.nodes) {
    if (ids.has(n.id)) return `snapshot.nodes: duplicate id ${JSON.stringify(n.id)}`;
    ids.add(n.id);
  }
  const edgeIds = new Set<string>();
  for (const e of s.edges) {
    if (edgeIds.has(e.id)) return `snapshot.edges: duplicate id ${JSON.stringify(e.id)}`;
    edgeIds.add(e.id);
    if (!ids.has(e.source) || !ids.has(e.target)) return `snapshot.edges: ${e.id} refers to a missing node`;
  }
  for (const b of s.bindings) if (!ids.has(b.nodeId)) return `snapshot.bindings: ${b.name} refers to a missing node`;
  for (const r of s.roots) if (!ids.has(r)) return `snapshot.roots: ${r} is not a node`;
  return null;
}

function withIntegrity<T>(parsed: Parsed<T>, snapshotOf: (value: T) => GraphSnapshot | null): Parsed<T> {
  if (!parsed.ok) return parsed;
  const snapshot = snapshotOf(parsed.value);
  const problem = snapshot ? checkSnapshotIntegrity(snapshot) : null;
  return problem === null ? parsed : { ok: false, error: problem };
}

export function parseGraphSnapshot(value: unknown): Parsed<GraphSnapshot> {
  return withIntegrity(validate(graphSnapshotSchema, value, 'snapshot'), (s) => s);
}

export function parseFromWorker(value: unknown): Parsed<FromWorker> {
  return withIntegrity(validate(fromWorkerSchema, value, 'message'), (m) => (m.type === 'snapshot' ? m.snapshot : null));
}

export function parseHostToWebview(value: unknown): Parsed<HostToWebview> {
  return withIntegrity(validate(hostToWebviewSchema, value, 'message'), (m) => (m.type === 'setGraph' ? m.snapshot : null));
}

export function parseWebviewToHost(value: unknown): Parsed<WebviewToHost> {
  return validate(webviewToHostSchema, value, 'message');
}

export function parseHostToWorker(value: unknown): Parsed<HostToWorker> {
  return validate(hostToWorkerSchema, value, 'workerData');
}
