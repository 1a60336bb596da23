/**
 * Timing for the peer benchmarks: warm up until V8 (and WebAssembly tier-up) has settled, then
 * take several samples and report the median. Each sample repeats the call enough times to last
 * at least `minSampleMs`, so sub-millisecond workloads are not dominated by timer resolution.
 */

export interface TimingOptions {
  /** Keep calling (untimed) for at least this long first. */
  warmupMs?: number;
  /** At least this many untimed warm-up calls, however slow. */
  warmupCalls?: number;
  /** Timed samples (the median of them is the result). */
  samples?: number;
  /** Each sample repeats the call until it lasts at least this long. */
  minSampleMs?: number;
}

export interface Timing {
  /** Milliseconds per call: median over samples. */
  readonly medianMs: number;
  /** Fastest sample (ms per call). */
  readonly bestMs: number;
  /** Every sample, ms per call, in the order taken. */
  readonly samplesMs: number[];
  /** Calls per sample. */
  readonly callsPerSample: number;
}

const DEFAULTS: Required<TimingOptions> = { warmupMs: 300, warmupCalls: 2, samples: 7, minSampleMs: 25 };

/**
 * What a sample measures: elapsed time ('wall'), or CPU time of this process ('cpu': user +
 * system, all threads). On a machine shared with other busy processes, wall time mostly measures
 * the neighbours; CPU time does not (it slightly penalises Node, whose GC helper threads count too).
 */
export type Clock = 'wall' | 'cpu';
let clock: Clock = 'wall';
export function setClock(c: Clock): void {
  clock = c;
}
export function currentClock(): Clock {
  return clock;
}

/** Milliseconds on the selected clock since an arbitrary origin. */
export function now(): number {
  if (clock === 'wall') return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function time(fn: () => void, options: TimingOptions = {}): Timing {
  const o = { ...DEFAULTS, ...options };
  let calls = 0;
  const warmStart = now();
  while (calls < o.warmupCalls || now() - warmStart < o.warmupMs) {
    fn();
    calls++;
  }
  const perCall = (now() - warmStart) / calls;
  const callsPerSample = Math.max(1, Math.ceil(o.minSampleMs / Math.max(perCall, 1e-6)));
  const samplesMs: number[] = [];
  for (let s = 0; s < o.samples; s++) {
    const start = now();
    for (let c = 0; c < callsPerSample; c++) fn();
    samplesMs.push((now() - start) / callsPerSample);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], bestMs: sorted[0], samplesMs, callsPerSample };
}

/** One measured value in a library's report. */
export interface Measurement {
  /** The reported number (in `unit`), from the median sample. */
  readonly value: number;
  readonly unit: 'GFLOP/s' | 'ms' | 'ms/step' | 'MB';
  /** Whether larger is better (GFLOP/s) or smaller (times). */
  readonly higherIsBetter: boolean;
  /** Milliseconds per call, median and best, when the value was timed. */
  readonly medianMs?: number;
  readonly bestMs?: number;
  /** Why the value is missing or what it is not (e.g. extrapolated from fewer iterations). */
  readonly note?: string;
}

/** What one library's benchmark process prints (as JSON) for the orchestrator. */
export interface LibraryReport {
  readonly library: string;
  readonly version: string;
  readonly results: Record<string, Measurement | { readonly error: string }>;
  readonly notes: string[];
}

export function gflops(flops: number, t: Timing): Measurement {
  return {
    value: flops / (t.medianMs * 1e6), unit: 'GFLOP/s', higherIsBetter: true,
    medianMs: t.medianMs, bestMs: t.bestMs,
  };
}

export function millis(t: Timing, unit: 'ms' | 'ms/step' = 'ms', note?: string): Measurement {
  return { value: t.medianMs, unit, higherIsBetter: false, medianMs: t.medianMs, bestMs: t.bestMs, ...(note ? { note } : {}) };
}

/** Runs one workload, turning an exception into an `error` entry so one failure doesn't hide the rest. */
export function attempt(results: LibraryReport['results'], key: string, body: () => Measurement): void {
  try {
    results[key] = body();
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    results[key] = { error: message.split('\n')[0].slice(0, 300) };
  }
}

/** Deterministic uniform numbers in [-1, 1) (the same inputs for every JS library). */
export function uniformArray(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    // xorshift32
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = (s / 0x100000000) * 2 - 1;
  }
  return out;
}
