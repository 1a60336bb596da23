/**
 * Runs the workloads for ONE library in this process and prints its LibraryReport as JSON on the
 * last line of stdout. scripts/bench.mjs bundles this file and runs it once per library, each in
 * a fresh process, so one library's JIT state and garbage never affect another's numbers.
 *
 *   node .bench/build/run.cjs --library gradscope|tfjs|js-pytorch [--only W1,W3] [--clock wall|cpu]
 *   node .bench/build/run.cjs --deep-chain            the 1,000,000-op backward check (gradscope)
 *   ... --stack-mb 256                                 re-run inside a worker with a bigger stack
 */
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { attempt, gflops, millis, setClock, time, type Clock, type LibraryReport } from './harness';
import { jsPytorch } from './peers/jsPytorch';
import { ours } from './peers/ours';
import { initTfjs, tfjs } from './peers/tfjs';
import { deepChain } from './deepChain';
import { KEYS, W1_SIZES, W3, W4, type LibraryAdapter } from './workloads';

interface Args {
  library: string;
  only: Set<string> | null;
  clock: Clock;
  deepChain: boolean;
  stackMb: number | null;
  /** js-pytorch's W4 takes minutes: run this many iterations and scale to the full 2000. */
  slowIterations: number;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('only');
  const stack = value('stack-mb');
  return {
    library: value('library') ?? 'gradscope',
    only: only ? new Set(only.split(',')) : null,
    clock: value('clock') === 'cpu' ? 'cpu' : 'wall',
    deepChain: argv.includes('--deep-chain'),
    stackMb: stack ? Number(stack) : null,
    slowIterations: Number(value('slow-iterations') ?? 20),
  };
}

async function adapterFor(library: string): Promise<LibraryAdapter> {
  switch (library) {
    case 'gradscope': return ours;
    case 'tfjs': await initTfjs(); return tfjs;
    case 'js-pytorch': return jsPytorch;
    default: throw new Error(`unknown library ${library}`);
  }
}

async function runLibrary(args: Args): Promise<LibraryReport> {
  const lib = await adapterFor(args.library);
  const want = (w: string): boolean => args.only === null || args.only.has(w);
  const results: LibraryReport['results'] = {};
  const notes: string[] = [];
  if (want('W1')) {
    for (const n of W1_SIZES) attempt(results, KEYS.w1(n), () => gflops(2 * n ** 3, time(lib.matmul(n))));
  }
  if (want('W2')) attempt(results, KEYS.w2, () => millis(time(lib.mlpStep()), 'ms/step'));
  if (want('W3')) {
    for (const size of W3.sizes) {
      attempt(results, KEYS.w3(size), () =>
        millis(time(lib.tinyOps(size), { warmupMs: 500, samples: 7, minSampleMs: 0 })));
    }
  }
  if (want('W4')) {
    // A library slower than ~5 s per fit runs a shorter fit, scaled to the full iteration count.
    const probe = time(lib.polyFit(args.slowIterations), { warmupMs: 0, warmupCalls: 1, samples: 1, minSampleMs: 0 });
    const projected = probe.medianMs * (W4.iterations / args.slowIterations);
    if (projected > 5000 && args.library !== 'gradscope') {
      attempt(results, KEYS.w4, () => {
        const t = time(lib.polyFit(args.slowIterations), { warmupMs: 0, warmupCalls: 1, samples: 3, minSampleMs: 0 });
        const scale = W4.iterations / args.slowIterations;
        return {
          ...millis({ ...t, medianMs: t.medianMs * scale, bestMs: t.bestMs * scale }),
          note: `${args.slowIterations} iterations timed, scaled ×${scale}`,
        };
      });
    } else {
      attempt(results, KEYS.w4, () =>
        millis(time(lib.polyFit(W4.iterations), { warmupMs: 0, warmupCalls: 1, samples: 5, minSampleMs: 0 })));
    }
  }
  return { library: lib.name, version: lib.version, results, notes };
}

async function main(args: Args): Promise<void> {
  setClock(args.clock);
  const report = args.deepChain ? deepChain() : await runLibrary(args);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (isMainThread) {
  const args = parseArgs(process.argv.slice(2));
  if (args.stackMb !== null) {
    // A deeper stack than Node's default (~1 MB) for libraries whose backward recurses per op.
    const worker = new Worker(__filename, {
      argv: process.argv.slice(2).filter((a, i, all) => a !== '--stack-mb' && all[i - 1] !== '--stack-mb'),
      workerData: { isBenchWorker: true },
      resourceLimits: { stackSizeMb: args.stackMb },
      stdout: false,
    });
    worker.on('error', (e) => { console.error(e); process.exitCode = 1; });
  } else {
    main(args).catch((e: unknown) => { console.error(e); process.exitCode = 1; });
  }
} else if ((workerData as { isBenchWorker?: boolean } | null)?.isBenchWorker) {
  main(parseArgs(process.argv.slice(2))).catch((e: unknown) => { console.error(e); process.exitCode = 1; });
}
