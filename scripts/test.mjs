// `npm test`: builds everything, then runs every test layer and ends with ONE line
// `N passed, N failed` totalling all of them (CI reads that line).
//
//   node scripts/test.mjs                 all layers
//   node scripts/test.mjs unit browser    only these layers (unit, browser, vscode)
//
// Layers:
//   unit     mocha: library, oracle fixtures, protocol, runner, CLI (Node only)
//   browser  mocha + playwright-core: the webview page in Debian's headless Chromium
//   vscode   the extension inside a real VS Code (code-server 4.96.4) driven through Chromium:
//            a UI test as a user clicks, and API tests inside the real extension host
// Missing system pieces are installed when possible (Chromium from Debian, code-server through
// the shared recipe's script), else the layer fails with a message saying how.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const layers = requested.length ? requested : ['unit', 'browser', 'vscode'];

/** The shared folder (oracle fixtures, VS Code recipe) beside the checkout, or at /work/shared. */
function sharedDir() {
  const candidates = [process.env.GRADSCOPE_SHARED_DIR, path.resolve(root, '../shared'), '/work/shared'].filter(Boolean);
  return candidates.find((c) => fs.existsSync(path.join(c, 'oracle'))) ?? null;
}
const shared = sharedDir();
if (shared && !process.env.GRADSCOPE_ORACLE_DIR) process.env.GRADSCOPE_ORACLE_DIR = path.join(shared, 'oracle');

const totals = { passed: 0, failed: 0 };
const report = [];
function record(layer, passed, failed, note = '') {
  totals.passed += passed;
  totals.failed += failed;
  report.push(`${layer}: ${passed} passed, ${failed} failed${note ? ` (${note})` : ''}`);
}

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: opts.capture ? ['inherit', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: opts.timeout });
  if (opts.capture) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
  }
  return r;
}

function mochaLayer(name, specs, extraEnv = {}) {
  const summary = path.join(os.tmpdir(), `gradscope-${name}-${process.pid}.json`);
  fs.rmSync(summary, { force: true });
  const r = run(process.execPath, [
    'node_modules/mocha/bin/mocha.js', '--reporter', 'test/reporters/summary.cjs', ...specs,
  ], { env: { GRADSCOPE_SUMMARY_FILE: summary, ...extraEnv } });
  if (!fs.existsSync(summary)) {
    record(name, 0, 1, `mocha did not finish (exit ${r.status ?? r.signal})`);
    return;
  }
  const s = JSON.parse(fs.readFileSync(summary, 'utf8'));
  fs.rmSync(summary, { force: true });
  record(name, s.passed, s.failed, s.pending ? `${s.pending} pending` : '');
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Debian's chromium: installed when missing (as root), else a clear failure. */
function ensureChromium() {
  const bin = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
  if (fs.existsSync(bin)) return true;
  if (!isRoot()) {
    console.error(`Chromium not found at ${bin}: install it with \`sudo apt-get install -y chromium\` (or set CHROMIUM_BIN).`);
    return false;
  }
  console.log('Chromium is missing: apt-get install -y chromium');
  let r = run('apt-get', ['install', '-y', '-q', 'chromium']);
  if (r.status !== 0) {
    run('apt-get', ['update', '-q']);
    r = run('apt-get', ['install', '-y', '-q', 'chromium']);
  }
  if (!fs.existsSync(bin)) {
    console.error('Could not install Chromium: run `apt-get update && apt-get install -y chromium`.');
    return false;
  }
  return true;
}

/** code-server 4.96.4 (a real VS Code 1.96.4) through the shared recipe's offline-safe script. */
function ensureCodeServer() {
  const dir = process.env.CODE_SERVER_DIR || '/tmp/code-server-4.96.4';
  const bin = path.join(dir, 'node_modules/.bin/code-server');
  if (fs.existsSync(bin)) return bin;
  if (!shared) {
    console.error('code-server is missing and the shared recipe (../shared/vscode-e2e) was not found: set GRADSCOPE_SHARED_DIR.');
    return null;
  }
  const r = run('bash', [path.join(shared, 'vscode-e2e/install-code-server.sh'), dir]);
  if (r.status !== 0 || !fs.existsSync(bin)) {
    console.error(`Installing code-server failed: run \`bash ${path.join(shared, 'vscode-e2e/install-code-server.sh')} ${dir}\` and retry.`);
    return null;
  }
  return bin;
}

const t0 = Date.now();
const build = run(process.execPath, ['scripts/build.mjs']);
if (build.status !== 0) record('build', 0, 1, 'esbuild failed');

if (layers.includes('unit')) {
  mochaLayer('unit', ['test/**/*.test.ts', '--ignore', 'test/webview/**', '--ignore', 'test/e2e/**']);
}

if (layers.includes('browser')) {
  if (ensureChromium()) mochaLayer('browser', ['test/webview/**/*.test.ts']);
  else record('browser', 0, 1, 'Chromium missing');
}

if (layers.includes('vscode')) {
  const bin = ensureChromium() ? ensureCodeServer() : null;
  if (!bin) {
    record('vscode', 0, 1, 'code-server or Chromium missing');
  } else {
    const env = { CODE_SERVER_BIN: bin, GRADSCOPE_SHARED_DIR: shared };
    const pkg = run('npm', ['run', '--silent', 'package']);
    if (pkg.status !== 0) {
      record('vscode', 0, 1, 'packaging the .vsix failed');
    } else {
      // UI tests as a user clicks (node:test prints "# pass N" / "# fail N").
      const ui = run(process.execPath, ['--test', 'test/e2e/ui.e2e.test.mjs'], { capture: true, env, timeout: 600_000 });
      const pass = Number(/# pass (\d+)/.exec(ui.stdout ?? '')?.[1] ?? 0);
      const fail = Number(/# fail (\d+)/.exec(ui.stdout ?? '')?.[1] ?? (ui.status === 0 ? 0 : 1));
      record('vscode-ui', pass, ui.status === 0 ? fail : Math.max(fail, 1));
      // API tests inside the real extension host (prints "N passed, N failed").
      const api = run(process.execPath, ['test/e2e/runApiTests.mjs'], { capture: true, env, timeout: 600_000 });
      const m = /(\d+) passed, (\d+) failed/.exec(api.stdout ?? '');
      record('vscode-api', m ? Number(m[1]) : 0, m ? Number(m[2]) || (api.status === 0 ? 0 : 1) : 1);
    }
  }
}

console.log(`\n${report.join('\n')}\n(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
