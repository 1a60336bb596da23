/**
 * Capture overhead and memory, through the real runner (src/runner/runScript.ts, the worker bundle
 * the extension uses): each script runs several times with capture on and off, alternating, and
 * the medians of the worker's script time are compared. Prints a JSON report on the last line.
 *
 *   node .bench/build/capture.cjs --worker .bench/build/worker.js [--clock wall|cpu] [--runs 5] [--cpu-prof DIR]
 *
 * `--cpu-prof DIR` writes a V8 CPU profile of every capture-on run's worker into DIR (open it in
 * Chrome DevTools); the timings of such a run include the profiler's overhead.
 */
import path from 'node:path';
import { runScript, type RunResult } from '../src/runner/runScript';
import type { LibraryReport, Measurement } from './harness';

interface CaptureScript { key: string; file: string }

const root = path.resolve(__dirname, '../..');
const SCRIPTS: CaptureScript[] = [
  { key: 'W2 MLP (100 steps)', file: 'bench/scripts/w2-mlp.ts' },
  { key: 'W3 10k tiny ops (×10)', file: 'bench/scripts/w3-tiny-ops.ts' },
  { key: 'W4 polynomial fit', file: 'examples/polynomial-fit.ts' },
];
const MEMORY_SCRIPT = 'bench/scripts/train-10k.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function runOnce(file: string, capture: boolean, workerPath: string): Promise<RunResult> {
  const profileDir = arg('cpu-prof');
  const workerExecArgv = capture && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const r = await runScript(path.join(root, file), { capture, workerPath, timeoutMs: 600_000, workerExecArgv });
  if (r.status !== 'ok') throw new Error(`${file} (capture ${capture ? 'on' : 'off'}): ${r.status} ${r.error?.message ?? ''}`);
  return r;
}

async function main(): Promise<void> {
  const workerPath = path.resolve(arg('worker') ?? path.join(root, '.bench/build/worker.js'));
  const cpu = arg('clock') === 'cpu';
  const runs = Number(arg('runs') ?? 5);
  const results: LibraryReport['results'] = {};
  const notes: string[] = [];
  const timeOf = (r: RunResult): number => (cpu ? r.timings.scriptCpuMs : r.timings.scriptMs);
  for (const s of SCRIPTS) {
    try {
      const on: number[] = [];
      const off: number[] = [];
      await runOnce(s.file, true, workerPath); // warm the bundler's and the OS's caches
      for (let i = 0; i < runs; i++) {
        off.push(timeOf(await runOnce(s.file, false, workerPath)));
        on.push(timeOf(await runOnce(s.file, true, workerPath)));
      }
      const mOn = median(on), mOff = median(off);
      const m: Measurement = { value: mOn / mOff, unit: 'ms', higherIsBetter: false, medianMs: mOn, bestMs: Math.min(...on) };
      results[`capture ${s.key}: on`] = m;
      results[`capture ${s.key}: off`] = { value: mOff, unit: 'ms', higherIsBetter: false, medianMs: mOff, bestMs: Math.min(...off) };
    } catch (e) {
      results[`capture ${s.key}: on`] = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  try {
    const r = await runOnce(MEMORY_SCRIPT, true, workerPath);
    const lines = r.logs.map((l) => l.text).filter((t) => t.startsWith('memory '));
    for (const line of lines) {
      const [, it, heap, buffers] = line.split(/\s+/);
      results[`memory under capture after ${Number(it).toLocaleString('en')} iterations`] = {
        value: (Number(heap) + Number(buffers)) / 2 ** 20, unit: 'MB', higherIsBetter: false,
        note: `heap ${(Number(heap) / 2 ** 20).toFixed(1)} MB + array buffers ${(Number(buffers) / 2 ** 20).toFixed(1)} MB`,
      };
    }
    if (lines.length === 0) throw new Error('the memory script printed no measurements');
    notes.push(`memory script: ${r.stats?.nodesCreated ?? '?'} graph nodes created, ${r.stats?.ops ?? '?'} ops`);
  } catch (e) {
    results['memory under capture after 10,000 iterations'] = { error: e instanceof Error ? e.message : String(e) };
  }
  process.stdout.write(`${JSON.stringify({ library: 'gradscope (runner)', version: 'dev', results, notes })}\n`);
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
