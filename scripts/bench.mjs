// `npm run bench`: the performance benchmarks of issue 7, ours against the peers, in one run.
//
//   node scripts/bench.mjs                         everything
//   node scripts/bench.mjs --only W1,W3            some workloads (W1 W2 W3 W4 deep capture e2e layout)
//   node scripts/bench.mjs --libraries gradscope,tfjs   some libraries (gradscope tfjs js-pytorch torch)
//   node scripts/bench.mjs --clock wall|cpu|auto   what a sample measures (default auto: CPU time
//                                                  when the machine is busy, see harness.ts)
//
// Each library runs in its own fresh process (bench/run.ts, bundled with esbuild the way the
// extension bundles the library: keepNames, ES2022), PyTorch through bench/peers/torch_bench.py
// when /usr/bin/python3.11 can import torch. Prints a markdown table (our median, each peer's,
// and the ratio) and writes everything to .bench/results/latest.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, '.bench', 'build');
const resultsDir = path.join(root, '.bench', 'results');
const PYTHON = '/usr/bin/python3.11';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const only = option('only', 'W1,W2,W3,W4,deep,capture,e2e,layout').split(',');
const libraries = option('libraries', 'gradscope,tfjs,js-pytorch,torch').split(',');
const wants = (w) => only.includes(w);
/** The capture benchmarks need the runner (src/runner/runScript.ts, the extension's worker). */
const runnerExists = fs.existsSync(path.join(root, 'src/runner/runScript.ts')) && fs.existsSync(path.join(root, 'src/runner/worker.ts'));
const clockOption = option('clock', 'auto');
const load = os.loadavg()[0];
const cores = os.cpus().length;
const clock = clockOption === 'auto' ? (load > cores * 0.75 ? 'cpu' : 'wall') : clockOption;

/** Targets of issue 7 (ours), by result key. */
const TARGETS = {
  'W1 matmul n=256': { atLeast: 20, text: '≥ 20 GFLOP/s' },
  'W2 MLP step': { atMost: 3, text: '≤ 3 ms' },
  'W3 10k tiny ops (1 el.) + backward': { atMost: 10, text: '≤ 10 ms, < PyTorch', beatTorch: true },
  'W3 10k tiny ops (4 el.) + backward': { atMost: 10, text: '≤ 10 ms, < PyTorch', beatTorch: true },
  'W4 polynomial fit': { atMost: 200, text: '≤ 200 ms, < PyTorch', beatTorch: true },
};
const PEERS = [
  { id: 'tfjs', column: 'tfjs-core cpu' },
  { id: 'js-pytorch', column: 'js-pytorch' },
  { id: 'torch', column: 'PyTorch eager' },
];

async function bundle() {
  fs.mkdirSync(buildDir, { recursive: true });
  const common = {
    bundle: true, platform: 'node', format: 'cjs', target: 'es2022', keepNames: true, logLevel: 'warning',
    absWorkingDir: root, sourcemap: false,
  };
  await esbuild.build({
    ...common, entryPoints: ['bench/run.ts'], outfile: path.join(buildDir, 'run.cjs'),
    // tfjs is bundled from its ES modules so that its gradient registrations (register_all_gradients)
    // and the CPU backend land in the same module instance as the API.
    external: ['js-pytorch'], mainFields: ['module', 'main'],
  });
  if (wants('capture') && runnerExists) {
    // The worker as scripts/build.mjs builds it for the extension, kept out of dist/ (others' files).
    await esbuild.build({ ...common, entryPoints: ['src/runner/worker.ts'], outfile: path.join(buildDir, 'worker.js'), external: ['esbuild'] });
    await esbuild.build({ ...common, entryPoints: ['bench/capture.ts'], outfile: path.join(buildDir, 'capture.cjs'), external: ['esbuild'] });
  }
}

/** Runs a command that prints a JSON report on its last stdout line. */
function runReport(command, args, label, timeoutMs = 30 * 60_000) {
  process.stderr.write(`… ${label}\n`);
  const t0 = Date.now();
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs });
  const lines = (r.stdout ?? '').trim().split('\n');
  try {
    const report = JSON.parse(lines[lines.length - 1]);
    process.stderr.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    return report;
  } catch {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ');
    process.stderr.write(`  failed: ${why}\n`);
    return { library: label, version: '?', results: {}, notes: [`did not run: ${why.slice(0, 300)}`], failed: true };
  }
}

function workloadList() {
  return ['W1', 'W2', 'W3', 'W4'].filter(wants).join(',');
}

function runJsLibrary(id) {
  const list = workloadList();
  if (!list) return null;
  const report = runReport(process.execPath, [path.join(buildDir, 'run.cjs'), '--library', id, '--only', list, '--clock', clock], id);
  // A recursive backward overflows Node's default stack on W3's 10,000-op chain: say so, and
  // measure it again with a bigger stack (what a user of that library would have to do).
  const overflowed = Object.entries(report.results)
    .filter(([key, value]) => key.startsWith('W3') && value.error?.includes('Maximum call stack size exceeded'))
    .map(([key]) => key);
  if (overflowed.length > 0) {
    const again = runReport(process.execPath, [path.join(buildDir, 'run.cjs'), '--library', id, '--only', 'W3', '--clock', clock, '--stack-mb', '512'], `${id} W3 with a 512 MB stack`);
    for (const key of overflowed) {
      const retry = again.results[key];
      report.results[key] = retry && !retry.error
        ? { ...retry, note: 'overflows the default stack; measured with a 512 MB stack' }
        : { error: 'overflows the default stack (and failed with a 512 MB stack)' };
    }
  }
  return report;
}

function runTorch() {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return { library: 'PyTorch eager', version: '-', results: {}, notes: [`skipped: ${PYTHON} cannot import torch (apt-get install python3-torch libopenblas0)`], failed: true };
  }
  const list = workloadList();
  if (!list) return null;
  return runReport(PYTHON, [path.join(root, 'bench/peers/torch_bench.py'), list, clock], 'PyTorch');
}

// ---------------------------------------------------------------------------------------------- table

const fmt = (v, unit) => {
  if (v === undefined || v === null || Number.isNaN(v)) return '—';
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit === 'GFLOP/s' ? '' : ' ms'}`;
};

/** "how many times better we are" (> 1: we win). */
function advantage(ours, peer) {
  return ours.higherIsBetter ? ours.value / peer.value : peer.value / ours.value;
}

function verdict(key, ours, torchResult) {
  const t = TARGETS[key];
  if (!t || !ours || ours.error) return '';
  let ok = t.atLeast !== undefined ? ours.value >= t.atLeast : ours.value <= t.atMost;
  if (t.beatTorch && torchResult && !torchResult.error) ok = ok && ours.value < torchResult.value;
  return `${t.text}: ${ok ? '**met**' : 'missed'}`;
}

function table(reports) {
  const ours = reports.gradscope;
  const keys = Object.keys(ours?.results ?? {});
  const header = ['workload', 'gradscope', ...PEERS.map((p) => `${p.column} (ours ×faster)`), 'target'];
  const rows = [header, header.map(() => '---')];
  for (const key of keys) {
    const o = ours.results[key];
    const unit = o.unit === 'GFLOP/s' ? ' (GFLOP/s)' : '';
    const cells = [`${key}${unit}`, o.error ? `error: ${o.error}` : fmt(o.value, o.unit)];
    for (const p of PEERS) {
      const r = reports[p.id]?.results?.[key];
      if (!r) { cells.push('—'); continue; }
      if (r.error) { cells.push(r.error.includes('call stack') ? 'stack overflow' : `error: ${r.error.slice(0, 60)}`); continue; }
      const adv = o.error ? '' : ` (${advantage(o, r).toFixed(2)}×)`;
      cells.push(`${fmt(r.value, r.unit)}${adv}${r.note ? '¹' : ''}`);
    }
    cells.push(verdict(key, o, reports.torch?.results?.[key]));
    rows.push(cells);
  }
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function extraTable(title, report) {
  if (!report) return '';
  const lines = [`\n${title}\n`, '| measurement | value |', '| --- | --- |'];
  for (const [k, v] of Object.entries(report.results)) {
    lines.push(`| ${k} | ${v.error ? `error: ${v.error}` : `${fmt(v.value, v.unit).replace(' ms', v.unit === 'MB' ? ' MB' : ' ms')}${v.note ? ` (${v.note})` : ''}` } |`);
  }
  for (const n of report.notes ?? []) lines.push(`\n${n}`);
  return lines.join('\n');
}

function captureTable(report) {
  if (!report) return '';
  const lines = ['\nCapture overhead (real runner, worker script time, median of alternating runs):\n',
    '| script | capture off | capture on | on / off | target |', '| --- | --- | --- | --- | --- |'];
  for (const [k, v] of Object.entries(report.results)) {
    if (!k.endsWith(': on')) continue;
    const name = k.slice('capture '.length, -': on'.length);
    const off = report.results[`capture ${name}: off`];
    if (v.error) { lines.push(`| ${name} | — | error: ${v.error} | — | ≤ 1.5× |`); continue; }
    lines.push(`| ${name} | ${fmt(off.value, 'ms')} | ${fmt(v.medianMs, 'ms')} | ${v.value.toFixed(2)}× | ≤ 1.5×: ${v.value <= 1.5 ? '**met**' : 'missed'} |`);
  }
  for (const [k, v] of Object.entries(report.results)) {
    if (!k.startsWith('memory')) continue;
    lines.push(`\n${k}: ${v.error ? `error: ${v.error}` : `${v.value.toFixed(1)} MB (${v.note})`}`);
  }
  for (const n of report.notes ?? []) lines.push(`\n${n}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------- main

await bundle();
const reports = {};
if (libraries.includes('gradscope')) reports.gradscope = runJsLibrary('gradscope');
if (libraries.includes('tfjs')) reports.tfjs = runJsLibrary('tfjs');
if (libraries.includes('js-pytorch')) reports['js-pytorch'] = runJsLibrary('js-pytorch');
if (libraries.includes('torch')) reports.torch = runTorch();
const deep = wants('deep')
  ? runReport(process.execPath, ['--max-old-space-size=4096', path.join(buildDir, 'run.cjs'), '--deep-chain', '--clock', clock], 'deep chain')
  : null;
const capture = !wants('capture') ? null : !runnerExists
  ? { library: 'gradscope (runner)', version: '-', results: {}, notes: ['capture overhead and memory: pending (src/runner does not exist yet)'] }
  : runReport(process.execPath, [path.join(buildDir, 'capture.cjs'), '--worker', path.join(buildDir, 'worker.js'), '--clock', clock], 'capture overhead');

const endToEnd = !wants('e2e') ? null : (() => {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'ignore' });
  return runReport(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'bench/endToEnd.ts', '--worker', 'dist/worker.js'], 'end to end');
})();
const layout = wants('layout') ? layoutTable() : '';

/** The graph page's layout + first frame for generated graphs (bench/layout.bench.ts prints the table). */
function layoutTable() {
  process.stderr.write('… layout (headless Chromium)\n');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'bench/layout.bench.ts', '--sizes', '1000,10000,50000', '--shapes', 'mlp,chain', '--runs', '1'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 20 * 60_000 });
  const rows = (r.stdout ?? '').split('\n').filter((l) => l.startsWith('|'));
  if (rows.length === 0) return `\nGraph page layout: did not run (${(r.stderr || `exit ${r.status}`).trim().split('\n').slice(-2).join(' ')})`;
  return ['\nGraph page, layout + first frame of generated graphs (headless Chromium, one run each; target: 10,000 nodes interactive in < 2 s):\n', ...rows].join('\n');
}

const machine = `${cores} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${load.toFixed(1)} at start`;
const clockText = clock === 'cpu'
  ? 'process CPU time (the machine was busy; CPU time is what the work itself costs)'
  : 'elapsed (wall-clock) time';
const out = [
  `Benchmarks, ${new Date().toISOString().slice(0, 10)} — ${machine}. Each value is the median of several timed repetitions after warm-up, measured as ${clockText}; ratios are how many times faster gradscope is (> 1: gradscope wins).\n`,
  table(reports),
];
const notes = Object.entries(reports).flatMap(([id, r]) => [
  ...Object.entries(r?.results ?? {}).filter(([, v]) => v.note && id !== 'gradscope').map(([k, v]) => `¹ ${r.library}, ${k}: ${v.note}`),
  ...(r?.notes ?? []).map((n) => `${r.library}: ${n}`),
]);
if (notes.length) out.push(`\n${notes.join('\n\n')}`);
out.push(extraTable('Deep graph (iterative engine):', deep));
out.push(captureTable(capture));
out.push(extraTable('End to end (wall-clock; the real runner and the real graph page):', endToEnd));
out.push(layout);
const markdown = out.filter(Boolean).join('\n');
console.log(markdown);

fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({
  date: new Date().toISOString(), machine, clock, reports, deep, capture, endToEnd, markdown,
}, null, 2)}\n`);
console.error(`\nwrote ${path.relative(root, path.join(resultsDir, 'latest.json'))}`);
